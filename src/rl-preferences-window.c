/* rl-preferences-window.c — the settings, bound to GSettings and the keyring.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rl-preferences-window.h"
#include "rl-secrets.h"

struct _RlPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  RlSession            *session;
  GSettings            *settings;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;

  AdwPreferencesGroup *server_group;
  AdwPreferencesGroup *mqtt_group;
  AdwPreferencesGroup *map_group;
  AdwPreferencesGroup *alerts_group;
  AdwPreferencesGroup *storage_group;
  AdwEntryRow         *server_row;
  AdwActionRow        *ca_row;
  GtkButton           *ca_clear_button;
  AdwEntryRow         *mqtt_url_row;
  AdwEntryRow         *topic_prefix_row;
  AdwEntryRow         *mqtt_username_row;
  AdwEntryRow         *mqtt_password_row;
  AdwEntryRow         *tile_row;

  GtkLabel *server_message;
  GtkLabel *mqtt_message;
  GtkLabel *map_message;
};

G_DEFINE_FINAL_TYPE (RlPreferencesWindow, rl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

char *
rl_preferences_check_mqtt_url (const char *text)
{
  g_autoptr (GUri) uri = NULL;
  const char *scheme;

  if (text == NULL || *text == '\0')
    return NULL;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return g_strdup (_ ("This is not a URL. Use mqtt://host:1883 or mqtts://host:8883."));

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "mqtt") != 0 && g_ascii_strcasecmp (scheme, "mqtts") != 0)
    return g_strdup (_ ("The broker URL must start with mqtt:// or mqtts://."));

  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return g_strdup (_ ("The broker URL needs a host name."));

  if (g_uri_get_port (uri) == 0 || g_uri_get_port (uri) > 65535)
    return g_strdup (_ ("The port must be between 1 and 65535."));

  return NULL;
}

char *
rl_preferences_check_topic_prefix (const char *text)
{
  if (text == NULL || *text == '\0')
    return g_strdup (_ ("The topic prefix cannot be empty (the default is “devices”)."));

  if (strpbrk (text, "+#") != NULL)
    return g_strdup (_ ("The topic prefix cannot contain the wildcards + or #."));

  if (text[0] == '/' || g_str_has_suffix (text, "/") || strstr (text, "//") != NULL)
    return g_strdup (_ ("The topic prefix cannot start or end with / or contain an empty level."));

  return NULL;
}

char *
rl_preferences_check_tile_template (const char *text)
{
  g_autofree char *lower = NULL;

  if (text == NULL || *text == '\0')
    return NULL;

  lower = g_ascii_strdown (text, -1);
  if (!g_str_has_prefix (lower, "https://") && !g_str_has_prefix (lower, "http://"))
    return g_strdup (_ ("The tile URL must start with https:// or http://."));

  if (strstr (text, "{z}") == NULL || strstr (text, "{x}") == NULL || strstr (text, "{y}") == NULL)
    return g_strdup (_ ("The tile URL must contain {z}, {x} and {y}."));

  return NULL;
}

static void
show_message (GtkLabel    *label,
              AdwEntryRow *row,
              const char  *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);

  if (row != NULL)
    {
      if (message != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
    }
}

static GtkLabel *
add_message_label (AdwPreferencesGroup *group)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_visible (label, FALSE);
  adw_preferences_group_add (group, label);

  return GTK_LABEL (label);
}

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
server_apply_cb (RlPreferencesWindow *self)
{
  g_autofree char *text = row_text (self->server_row);
  g_autofree char *normalized = NULL;
  g_autoptr (GError) error = NULL;

  if (*text == '\0')
    {
      g_settings_set_string (self->settings, "server-url", "");
      show_message (self->server_message, self->server_row, NULL);
      return;
    }

  normalized = rl_session_normalize_server_url (text, &error);
  if (normalized == NULL)
    {
      show_message (self->server_message, self->server_row,
                    g_str_has_prefix (text, "http://")
                        ? _ ("Plain http:// is only allowed for a server on this computer. Use an "
                             "https:// address.")
                        : _ ("This is not a valid server address. Use an address like "
                             "https://reloop.example.org."));
      return;
    }

  g_settings_set_string (self->settings, "server-url", normalized);
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), normalized);
  show_message (self->server_message, self->server_row, NULL);
}

static void
mqtt_url_apply_cb (RlPreferencesWindow *self)
{
  g_autofree char *text = row_text (self->mqtt_url_row);
  g_autofree char *message = rl_preferences_check_mqtt_url (text);

  show_message (self->mqtt_message, self->mqtt_url_row, message);
  if (message == NULL)
    g_settings_set_string (self->settings, "mqtt-url", text);
}

static void
topic_prefix_apply_cb (RlPreferencesWindow *self)
{
  g_autofree char *text = row_text (self->topic_prefix_row);
  g_autofree char *message = rl_preferences_check_topic_prefix (text);

  show_message (self->mqtt_message, self->topic_prefix_row, message);
  if (message == NULL)
    g_settings_set_string (self->settings, "mqtt-topic-prefix", text);
}

static void
mqtt_username_apply_cb (RlPreferencesWindow *self)
{
  g_autofree char *text = row_text (self->mqtt_username_row);

  show_message (self->mqtt_message, self->mqtt_username_row, NULL);
  g_settings_set_string (self->settings, "mqtt-username", text);
}

static void
mqtt_password_done (RlPreferencesWindow *self,
                    gboolean             ok,
                    GError              *error,
                    const char          *done_message)
{
  const char *message;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (ok)
    {
      show_message (self->mqtt_message, self->mqtt_password_row, NULL);
      gtk_editable_set_text (GTK_EDITABLE (self->mqtt_password_row), "");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (done_message));
      return;
    }

  if (g_error_matches (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_LOCKED))
    message = _ ("The keyring is locked: unlock it and try again.");
  else if (g_error_matches (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_NO_SERVICE))
    message = _ ("No keyring is available on this computer: the password cannot be stored.");
  else
    message = _ ("The keyring could not store the password.");

  g_debug ("Keyring: %s", error != NULL ? error->message : "?");
  show_message (self->mqtt_message, self->mqtt_password_row, message);
}

static void
mqtt_password_stored_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr (RlPreferencesWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean ok = rl_secrets_store_finish (result, &error);

  mqtt_password_done (self, ok, error, _ ("Broker password saved in the keyring"));
}

static void
mqtt_password_cleared_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr (RlPreferencesWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean ok = rl_secrets_clear_finish (result, &error);

  mqtt_password_done (self, ok, error, _ ("Broker password removed from the keyring"));
}

static void
mqtt_password_apply_cb (RlPreferencesWindow *self)
{
  const char      *password = gtk_editable_get_text (GTK_EDITABLE (self->mqtt_password_row));
  g_autofree char *username = g_settings_get_string (self->settings, "mqtt-username");
  g_autofree char *mqtt_url = g_settings_get_string (self->settings, "mqtt-url");

  if (*username == '\0')
    {
      show_message (self->mqtt_message, self->mqtt_password_row,
                    _ ("Enter the broker user name first."));
      return;
    }

  /* The item is keyed by broker URL (as configured) and user name. */
  if (*password == '\0')
    rl_secrets_clear_async (RL_SECRET_KIND_MQTT_PASSWORD,
                            *mqtt_url != '\0' ? mqtt_url : NULL, username, NULL, NULL,
                            self->cancellable, mqtt_password_cleared_cb, g_object_ref (self));
  else
    rl_secrets_store_async (RL_SECRET_KIND_MQTT_PASSWORD,
                            *mqtt_url != '\0' ? mqtt_url : NULL, username, NULL, NULL,
                            password, self->cancellable, mqtt_password_stored_cb,
                            g_object_ref (self));
}

static void
tile_apply_cb (RlPreferencesWindow *self)
{
  g_autofree char *text = row_text (self->tile_row);
  g_autofree char *message = rl_preferences_check_tile_template (text);

  show_message (self->map_message, self->tile_row, message);
  if (message == NULL)
    g_settings_set_string (self->settings, "tile-url-template", text);
}

static void
update_ca_row (RlPreferencesWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "ca-file");

  adw_action_row_set_subtitle (
      self->ca_row, *path != '\0' ? path : _ ("None: only the system’s authorities are trusted"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->ca_clear_button), *path != '\0');
}

static void
ca_chooser_response_cb (RlPreferencesWindow  *self,
                        int                   response,
                        GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "ca-file", path);
    }

  g_clear_object (&self->chooser);
}

static void
ca_choose_cb (RlPreferencesWindow *self)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  gtk_file_filter_set_name (filter, _ ("PEM Certificates"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_mime_type (filter, "application/x-x509-ca-cert");

  self->chooser = gtk_file_chooser_native_new (_ ("Choose a Certificate File"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _ ("_Choose"), _ ("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (ca_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
ca_clear_cb (RlPreferencesWindow *self)
{
  g_settings_set_string (self->settings, "ca-file", "");
}

/* An AdwActionRow with a GtkSpinButton bound to a numeric key; the
 * adjustment enforces the range. */
static void
add_spin_row (RlPreferencesWindow *self,
              AdwPreferencesGroup *group,
              const char          *key,
              const char          *title,
              const char          *subtitle,
              double               lower,
              double               upper,
              double               step,
              guint                digits)
{
  GtkAdjustment *adjustment = gtk_adjustment_new (lower, lower, upper, step, step * 10, 0);
  GtkWidget     *row = adw_action_row_new ();
  GtkWidget     *spin = gtk_spin_button_new (adjustment, step, digits);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_update_policy (GTK_SPIN_BUTTON (spin), GTK_UPDATE_IF_VALID);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (group, row);

  g_settings_bind (self->settings, key, adjustment, "value", G_SETTINGS_BIND_DEFAULT);
}

static void
rl_preferences_window_dispose (GObject *object)
{
  RlPreferencesWindow *self = RL_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (rl_preferences_window_parent_class)->dispose (object);
}

static void
rl_preferences_window_class_init (RlPreferencesWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/reloop/Console/ui/rl-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, server_group);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, mqtt_group);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, map_group);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, alerts_group);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, storage_group);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, ca_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, ca_clear_button);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, mqtt_url_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, topic_prefix_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, mqtt_username_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, mqtt_password_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, tile_row);
  gtk_widget_class_bind_template_callback (widget_class, server_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, mqtt_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, topic_prefix_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, mqtt_username_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, mqtt_password_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, tile_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, ca_choose_cb);
  gtk_widget_class_bind_template_callback (widget_class, ca_clear_cb);
}

static void
rl_preferences_window_init (RlPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->server_message = add_message_label (self->server_group);
  self->mqtt_message = add_message_label (self->mqtt_group);
  self->map_message = add_message_label (self->map_group);
}

/* ---- Map rows: tiles, offline map pack, legend ---------------------------- */

static const char *const map_tiles_values[] = { "online", "pack", "none" };

static gboolean
map_tiles_get_mapping (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  const char *mode = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (map_tiles_values); i++)
    if (g_str_equal (mode, map_tiles_values[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
map_tiles_set_mapping (const GValue       *value,
                       const GVariantType *expected_type,
                       gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  if (i >= G_N_ELEMENTS (map_tiles_values))
    return NULL;
  return g_variant_new_string (map_tiles_values[i]);
}

static void
add_map_rows (RlPreferencesWindow *self)
{
  const char *names[] = { _ ("Online Map"), _ ("Offline Map Pack"), _ ("No Map"), NULL };
  g_autoptr (GtkStringList) model = gtk_string_list_new (names);
  AdwComboRow  *tiles_row = ADW_COMBO_ROW (adw_combo_row_new ());
  AdwActionRow *pack_row = ADW_ACTION_ROW (adw_action_row_new ());
  AdwActionRow *legend_row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget    *legend_switch = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (tiles_row), _ ("Map Tiles"));
  adw_action_row_set_subtitle (
      ADW_ACTION_ROW (tiles_row),
      _ ("Online tiles are cached on disk; a map pack works with no network"));
  adw_combo_row_set_model (tiles_row, G_LIST_MODEL (model));
  g_settings_bind_with_mapping (self->settings, "map-tiles", tiles_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                map_tiles_get_mapping, map_tiles_set_mapping, NULL, NULL);
  adw_preferences_group_add (self->map_group, GTK_WIDGET (tiles_row));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (pack_row), _ ("Offline Map Pack"));
  g_settings_bind (self->settings, "map-pack", pack_row, "subtitle", G_SETTINGS_BIND_GET);
  gtk_widget_set_tooltip_text (GTK_WIDGET (pack_row),
                               _ ("Import a pack (MBTiles) from the map’s menu"));
  adw_preferences_group_add (self->map_group, GTK_WIDGET (pack_row));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (legend_row), _ ("Show Legend"));
  gtk_widget_set_valign (legend_switch, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (legend_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Show Legend"), -1);
  adw_action_row_add_suffix (legend_row, legend_switch);
  adw_action_row_set_activatable_widget (legend_row, legend_switch);
  g_settings_bind (self->settings, "map-show-legend", legend_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (self->map_group, GTK_WIDGET (legend_row));
}

static void
set_row_from_key (AdwEntryRow *row,
                  GSettings   *settings,
                  const char  *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  gtk_editable_set_text (GTK_EDITABLE (row), value);
}

RlPreferencesWindow *
rl_preferences_window_new (GtkWindow *parent,
                           RlSession *session,
                           GSettings *settings)
{
  RlPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RL_IS_SESSION (session), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->session = g_object_ref (session);
  self->settings = g_object_ref (settings);

  set_row_from_key (self->server_row, settings, "server-url");
  set_row_from_key (self->mqtt_url_row, settings, "mqtt-url");
  set_row_from_key (self->topic_prefix_row, settings, "mqtt-topic-prefix");
  set_row_from_key (self->mqtt_username_row, settings, "mqtt-username");
  set_row_from_key (self->tile_row, settings, "tile-url-template");

  add_map_rows (self);

  g_signal_connect_object (settings, "changed::ca-file",
                           G_CALLBACK (update_ca_row), self, G_CONNECT_SWAPPED);
  update_ca_row (self);

  add_spin_row (self, self->alerts_group, "fill-alert-threshold",
                _ ("Full Bin"), _ ("Alert when a bin is fuller than this (%)"),
                0, 100, 1, 0);
  add_spin_row (self, self->alerts_group, "battery-alert-threshold",
                _ ("Low Battery"), _ ("Alert when a battery is below this (%)"),
                0, 100, 1, 0);
  add_spin_row (self, self->alerts_group, "temperature-alert-threshold",
                _ ("High Temperature"), _ ("Alert when a bin is hotter than this (°C)"),
                -40, 85, 1, 0);
  add_spin_row (self, self->alerts_group, "offline-after-minutes",
                _ ("Offline After"), _ ("Minutes without a message before a bin counts as offline"),
                1, 1440, 1, 0);
  add_spin_row (self, self->storage_group, "reading-retention-days",
                _ ("Keep Readings"), _ ("Days of sensor history kept in the local cache"),
                1, 365, 1, 0);

  return self;
}
