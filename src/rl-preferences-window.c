/* rl-preferences-window.c — the settings, bound to GSettings and the keyring.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rows live in ui/rl-preferences-window.ui; this file binds them to the
 * settings and checks addresses with core's rules (rl-url), worded by
 * rl_ui_error_message.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rl-a11y.h"
#include "rl-preferences-brokers.h"
#include "rl-preferences-window.h"
#include "rl-secrets.h"
#include "rl-tile-choice.h"
#include "rl-tile-sources.h"
#include "rl-ui-errors.h"
#include "rl-url.h"

struct _RlPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  RlSession            *session;
  GSettings            *settings;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;

  AdwEntryRow        *server_row;
  AdwActionRow       *ca_row;
  GtkButton          *ca_clear_button;
  AdwEntryRow        *mqtt_url_row;
  AdwEntryRow        *topic_prefix_row;
  AdwEntryRow        *mqtt_username_row;
  AdwEntryRow        *mqtt_password_row;
  AdwPreferencesPage *map_page;
  AdwComboRow        *tile_source_row;
  AdwEntryRow        *tile_row;
  AdwEntryRow        *tile_api_key_row;
  AdwEntryRow        *tile_attribution_row;
  AdwComboRow        *map_tiles_row;
  AdwActionRow       *map_pack_row;
  GtkSwitch          *legend_switch;
  GtkSwitch          *notify_switch;
  GtkAdjustment      *fill_adjustment;
  GtkAdjustment      *battery_adjustment;
  GtkAdjustment      *temperature_adjustment;
  GtkAdjustment      *offline_adjustment;
  GtkAdjustment      *retention_adjustment;
  GtkAdjustment      *pull_interval_adjustment;

  /* The broker list (rl-preferences-brokers.c). */
  AdwPreferencesGroup *brokers_group;
  GtkButton           *add_broker_button;
  RlBrokerRows        *broker_rows;

  /* One message per group, under its rows. */
  GtkLabel *server_message;
  GtkLabel *mqtt_message;
  GtkLabel *map_message;
};

G_DEFINE_FINAL_TYPE (RlPreferencesWindow, rl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

typedef gboolean (*Validator) (const char *text,
                               char      **out_normalised,
                               GError    **error);

/* What a validated row checks and where it stores the result. */
typedef struct
{
  Validator   validate;
  const char *key;
  gboolean    empty_allowed; /* "" stored as is: the setting's "not set" */
} RowRule;

static const RowRule server_rule = { rl_url_validate_server, "server-url", TRUE };
static const RowRule prefix_rule = { rl_url_validate_topic_prefix, "mqtt-topic-prefix", FALSE };
static const RowRule tile_rule = { rl_url_validate_tile_template, "tile-url-template", TRUE };

/* Shows @message under the group of @row, marks the row with the error
 * style, and tells assistive technologies the row is invalid and why. NULL
 * clears the row, and hides the group's message when it was this row's (a
 * group's rows share one message). */
static void
show_message (GtkLabel    *label,
              AdwEntryRow *row,
              const char  *message)
{
  gpointer owner = g_object_get_data (G_OBJECT (label), "rl-row");

  if (message != NULL)
    {
      gtk_label_set_text (label, message);
      gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
      g_object_set_data (G_OBJECT (label), "rl-row", row);
    }
  else if (owner == NULL || owner == row)
    {
      gtk_label_set_text (label, "");
      gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
      g_object_set_data (G_OBJECT (label), "rl-row", NULL);
    }

  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      message, -1);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE,
                                      label, -1); /* GTK 4.8: one reference, no list */
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE);
    }
}

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Checks @row against @rule (the rule itself is core's): an error is worded
 * under the row and nothing is stored; otherwise the normalised text is
 * stored and shown. */
static void
apply_row (RlPreferencesWindow *self,
           AdwEntryRow         *row,
           GtkLabel            *label,
           const RowRule       *rule)
{
  g_autofree char *text = row_text (row);
  g_autofree char *normalised = NULL;
  g_autoptr (GError) error = NULL;

  if (*text == '\0' && rule->empty_allowed)
    normalised = g_strdup ("");
  else if (!rule->validate (text, &normalised, &error))
    {
      g_autofree char *message = rl_ui_error_message (error);

      g_debug ("Preferences: %s: %s", rule->key, error->message);
      show_message (label, row, message);
      return;
    }

  show_message (label, row, NULL);
  g_settings_set_string (self->settings, rule->key, normalised);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), normalised) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), normalised);
}

/* While a row shows an error, the error goes away as soon as the text is
 * valid (nothing is stored until Apply). */
static void
recheck_row (AdwEntryRow   *row,
             GtkLabel      *label,
             const RowRule *rule)
{
  g_autofree char *text = NULL;

  if (!gtk_widget_has_css_class (GTK_WIDGET (row), "error"))
    return;
  text = row_text (row);
  if ((*text == '\0' && rule->empty_allowed) || rule->validate (text, NULL, NULL))
    show_message (label, row, NULL);
}

static void
server_apply_cb (RlPreferencesWindow *self)
{
  apply_row (self, self->server_row, self->server_message, &server_rule);
}

static void
server_changed_cb (RlPreferencesWindow *self)
{
  recheck_row (self->server_row, self->server_message, &server_rule);
}

static void
mqtt_url_apply_cb (RlPreferencesWindow *self)
{
  if (self->broker_rows != NULL)
    rl_broker_rows_apply_first (self->broker_rows);
}

static void
mqtt_url_changed_cb (RlPreferencesWindow *self)
{
  /* Not while the rows are made (the text is set) or torn down. */
  if (self->broker_rows != NULL)
    rl_broker_rows_recheck_first (self->broker_rows);
}

static void
topic_prefix_apply_cb (RlPreferencesWindow *self)
{
  apply_row (self, self->topic_prefix_row, self->mqtt_message, &prefix_rule);
}

static void
topic_prefix_changed_cb (RlPreferencesWindow *self)
{
  recheck_row (self->topic_prefix_row, self->mqtt_message, &prefix_rule);
}

static void
tile_apply_cb (RlPreferencesWindow *self)
{
  apply_row (self, self->tile_row, self->map_message, &tile_rule);
}

static void
tile_changed_cb (RlPreferencesWindow *self)
{
  recheck_row (self->tile_row, self->map_message, &tile_rule);
}

static void
tile_attribution_apply_cb (RlPreferencesWindow *self)
{
  g_autofree char *text = row_text (self->tile_attribution_row);

  g_settings_set_string (self->settings, "tile-attribution", text);
}

static void
tile_api_key_stored_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr (RlPreferencesWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (rl_secrets_store_finish (result, &error))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->tile_api_key_row), "");
      show_message (self->map_message, self->tile_api_key_row, NULL);
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *why = rl_ui_error_message (error);
      g_autofree char *message = g_strdup_printf (_ ("The API key cannot be saved: %s"), why);

      show_message (self->map_message, self->tile_api_key_row, message);
    }
}

/* The key goes to the keyring, labelled with the tile server it is for. */
static void
tile_api_key_apply_cb (RlPreferencesWindow *self)
{
  g_autofree char *key = row_text (self->tile_api_key_row);
  g_autofree char *template = g_settings_get_string (self->settings, "tile-url-template");
  g_autofree char *origin = NULL;

  if (*template == '\0' || strstr (template, RL_TILE_APIKEY) == NULL)
    {
      show_message (self->map_message, self->tile_api_key_row,
                    _ ("Put {apikey} in the tile URL template where the key goes first."));
      return;
    }
  origin = rl_tile_template_origin (template);
  rl_secrets_store_async (RL_SECRET_KIND_TILE_API_KEY, origin, NULL, NULL, NULL, key,
                          self->cancellable, tile_api_key_stored_cb, g_object_ref (self));
}

static void
tile_source_changed_cb (RlPreferencesWindow *self)
{
  gboolean custom = adw_combo_row_get_selected (self->tile_source_row) == 2;

  gtk_widget_set_sensitive (GTK_WIDGET (self->tile_row), custom);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tile_api_key_row), custom);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tile_attribution_row), custom);
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
  g_autofree char *message = NULL;

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

  message = rl_ui_error_message (error);
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
  g_auto (GStrv) urls = rl_settings_dup_mqtt_urls (self->settings);
  /* The cluster's one password is kept under its first broker's URL. */
  const char *mqtt_url = urls[0] != NULL ? urls[0] : "";

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

/* ---- Importing an offline map pack (as the map's menu does) ---------------- */

static void
pack_imported_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  RlPreferencesWindow *self = RL_PREFERENCES_WINDOW (object);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = rl_tile_source_import_mbtiles_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (path == NULL)
    {
      g_autofree char *why = rl_ui_error_message (error);
      g_autofree char *message =
          g_strdup_printf (_ ("The offline map pack cannot be imported: %s"), why);

      gtk_label_set_text (self->map_message, message);
      gtk_widget_set_visible (GTK_WIDGET (self->map_message), TRUE);
      return;
    }
  g_settings_set_string (self->settings, "map-pack", path);
  g_settings_set_string (self->settings, "map-tiles", "pack");
}

static void
pack_chooser_response_cb (RlPreferencesWindow  *self,
                          int                   response,
                          GtkFileChooserNative *chooser)
{
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL && g_file_peek_path (file) != NULL)
    rl_tile_source_import_mbtiles_async (self, g_file_peek_path (file), self->cancellable,
                                         pack_imported_cb, NULL);
  g_clear_object (&self->chooser);
}

static void
map_pack_import_cb (RlPreferencesWindow *self)
{
  if (self->chooser != NULL)
    return;
  self->chooser = rl_tile_source_pack_chooser_new (GTK_WINDOW (self));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (pack_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
ca_clear_cb (RlPreferencesWindow *self)
{
  g_settings_set_string (self->settings, "ca-file", "");
}

static const char *const map_tiles_values[] = { "online", "pack", "none", NULL };
static const char *const tile_source_values[] = { "auto", "osm", "custom", NULL };

static gboolean
map_tiles_get_mapping (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  const char *const *values = user_data;
  const char        *mode = g_variant_get_string (variant, NULL);

  for (guint i = 0; values[i] != NULL; i++)
    if (g_str_equal (mode, values[i]))
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
  const char *const *values = user_data;
  guint              i = g_value_get_uint (value);

  if (i >= g_strv_length ((char **) values))
    return NULL;
  return g_variant_new_string (values[i]);
}

static void
set_row_from_key (AdwEntryRow *row,
                  GSettings   *settings,
                  const char  *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  gtk_editable_set_text (GTK_EDITABLE (row), value);
}

/* The rows are declared in the template; the settings are bound here, once
 * the window has them. */
static void
bind_settings (RlPreferencesWindow *self)
{
  const struct
  {
    const char    *key;
    GtkAdjustment *adjustment;
  } spins[] = {
    { "fill-alert-threshold", self->fill_adjustment },
    { "battery-alert-threshold", self->battery_adjustment },
    { "temperature-alert-threshold", self->temperature_adjustment },
    { "offline-after-minutes", self->offline_adjustment },
    { "reading-retention-days", self->retention_adjustment },
    { "pull-interval", self->pull_interval_adjustment },
  };

  g_settings_bind_with_mapping (self->settings, "map-tiles", self->map_tiles_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                map_tiles_get_mapping, map_tiles_set_mapping,
                                (gpointer) map_tiles_values, NULL);
  g_settings_bind_with_mapping (self->settings, "tile-source", self->tile_source_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, map_tiles_get_mapping,
                                map_tiles_set_mapping, (gpointer) tile_source_values, NULL);
  g_signal_connect_object (self->tile_source_row, "notify::selected",
                           G_CALLBACK (tile_source_changed_cb), self, G_CONNECT_SWAPPED);
  tile_source_changed_cb (self);
  g_settings_bind (self->settings, "map-pack", self->map_pack_row, "subtitle",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "map-show-legend", self->legend_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-high-alerts", self->notify_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  /* The adjustments' bounds (in the template) enforce the ranges. */
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    g_settings_bind (self->settings, spins[i].key, spins[i].adjustment, "value",
                     G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->settings, "changed::ca-file",
                           G_CALLBACK (update_ca_row), self, G_CONNECT_SWAPPED);
  update_ca_row (self);
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
  g_clear_pointer (&self->broker_rows, rl_broker_rows_free);
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
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, ca_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, ca_clear_button);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, mqtt_url_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, brokers_group);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, add_broker_button);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, topic_prefix_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, mqtt_username_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, mqtt_password_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, map_page);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, tile_source_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, tile_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, tile_api_key_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, tile_attribution_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, map_tiles_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, map_pack_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, legend_switch);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, notify_switch);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, fill_adjustment);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, battery_adjustment);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, temperature_adjustment);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, offline_adjustment);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, retention_adjustment);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, pull_interval_adjustment);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, server_message);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, mqtt_message);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, map_message);
  gtk_widget_class_bind_template_callback (widget_class, server_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, mqtt_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, mqtt_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, topic_prefix_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, topic_prefix_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, mqtt_username_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, mqtt_password_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, tile_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, tile_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tile_api_key_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, tile_attribution_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, ca_choose_cb);
  gtk_widget_class_bind_template_callback (widget_class, ca_clear_cb);
  gtk_widget_class_bind_template_callback (widget_class, map_pack_import_cb);
}

static void
rl_preferences_window_init (RlPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
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
  self->broker_rows = rl_broker_rows_new (settings, self->mqtt_url_row, self->brokers_group,
                                          self->add_broker_button, self->mqtt_message,
                                          show_message);
  set_row_from_key (self->topic_prefix_row, settings, "mqtt-topic-prefix");
  set_row_from_key (self->mqtt_username_row, settings, "mqtt-username");
  set_row_from_key (self->tile_row, settings, "tile-url-template");
  set_row_from_key (self->tile_attribution_row, settings, "tile-attribution");

  bind_settings (self);

  return self;
}

void
rl_preferences_window_show_map_source (RlPreferencesWindow *self)
{
  g_return_if_fail (RL_IS_PREFERENCES_WINDOW (self));

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), self->map_page);
  gtk_widget_grab_focus (GTK_WIDGET (self->tile_source_row));
}
