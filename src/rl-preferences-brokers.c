/* rl-preferences-brokers.c — the broker list of Preferences: the "Broker
 * URL" row and one row per other node of the cluster.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row keeps the normalised URL it last stored (object data
 * "rl-broker-url"); the list stored is the first row's and then the other
 * rows' in order, the empty ones left out.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-preferences-brokers.h"
#include "rl-ui-errors.h"
#include "rl-url.h"

#define URL_DATA "rl-broker-url"

struct _RlBrokerRows
{
  GSettings           *settings;
  AdwEntryRow         *first_row;
  AdwPreferencesGroup *group;
  GtkButton           *add_button;
  GtkLabel            *message;
  RlBrokerMessageFunc  show_message;
  GPtrArray           *rows; /* the other brokers' AdwEntryRow*, in order */
};

GStrv
rl_settings_dup_mqtt_urls (GSettings *settings)
{
  g_auto (GStrv) urls = g_settings_get_strv (settings, "mqtt-urls");
  g_autofree char *old = NULL;

  if (urls[0] != NULL)
    return g_steal_pointer (&urls);
  /* Earlier versions' one URL, until the list is saved. */
  old = g_settings_get_string (settings, "mqtt-url");
  if (*old == '\0')
    return g_steal_pointer (&urls);
  g_strfreev (urls);
  urls = g_new0 (char *, 2);
  urls[0] = g_steal_pointer (&old);
  return g_steal_pointer (&urls);
}

static void
store (RlBrokerRows *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) urls = NULL;
  const char *first = g_object_get_data (G_OBJECT (self->first_row), URL_DATA);

  if (first != NULL && *first != '\0')
    g_strv_builder_add (builder, first);
  for (guint i = 0; i < self->rows->len; i++)
    {
      const char *url = g_object_get_data (g_ptr_array_index (self->rows, i), URL_DATA);

      if (url != NULL && *url != '\0')
        g_strv_builder_add (builder, url);
    }
  urls = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "mqtt-urls", (const char *const *) urls);
  /* The list replaces the old key: it is not read again (reset once: each
   * change restarts the feed). */
  {
    g_autofree char *old = g_settings_get_string (self->settings, "mqtt-url");

    if (*old != '\0')
      g_settings_reset (self->settings, "mqtt-url");
  }
}

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Checks @row (empty is allowed: no broker there); on success keeps the
 * normalised URL and shows it. */
static gboolean
check_row (RlBrokerRows *self,
           AdwEntryRow  *row)
{
  g_autofree char *text = row_text (row);
  g_autofree char *normalised = NULL;
  g_autoptr (GError) error = NULL;

  if (*text != '\0' && !rl_url_validate_broker (text, &normalised, &error))
    {
      g_autofree char *message = rl_ui_error_message (error);

      g_debug ("Preferences: broker URL: %s", error->message);
      self->show_message (self->message, row, message);
      return FALSE;
    }
  if (normalised == NULL)
    normalised = g_strdup ("");
  self->show_message (self->message, row, NULL);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), normalised) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), normalised);
  g_object_set_data_full (G_OBJECT (row), URL_DATA, g_steal_pointer (&normalised), g_free);
  return TRUE;
}

static void
recheck (RlBrokerRows *self,
         AdwEntryRow  *row)
{
  g_autofree char *text = NULL;

  if (!gtk_widget_has_css_class (GTK_WIDGET (row), "error"))
    return;
  text = row_text (row);
  if (*text == '\0' || rl_url_validate_broker (text, NULL, NULL))
    self->show_message (self->message, row, NULL);
}

/* The other rows' titles and button names follow their place. */
static void
renumber (RlBrokerRows *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      AdwEntryRow *row = g_ptr_array_index (self->rows, i);
      GtkWidget   *remove = g_object_get_data (G_OBJECT (row), "rl-remove-button");
      /* Translators: the title of the second, third… broker's row; %u is its place. */
      g_autofree char *title = g_strdup_printf (_ ("Broker URL %u"), i + 2);
      /* Translators: a button's accessible name; %u is the broker's place. */
      g_autofree char *name = g_strdup_printf (_ ("Remove Broker %u"), i + 2);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_set_tooltip_text (remove, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
    }
}

static void
row_apply_cb (AdwEntryRow  *row,
              RlBrokerRows *self)
{
  if (check_row (self, row))
    store (self);
}

static void
row_changed_cb (AdwEntryRow  *row,
                RlBrokerRows *self)
{
  recheck (self, row);
}

static void
remove_clicked_cb (GtkButton    *button,
                   RlBrokerRows *self)
{
  AdwEntryRow *row = g_object_get_data (G_OBJECT (button), "rl-row");

  self->show_message (self->message, row, NULL);
  g_ptr_array_remove (self->rows, row);
  adw_preferences_group_remove (self->group, GTK_WIDGET (row));
  renumber (self);
  gtk_widget_set_visible (GTK_WIDGET (self->group), TRUE);
  store (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->add_button));
}

static AdwEntryRow *
add_row (RlBrokerRows *self,
         const char   *url)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
  GtkWidget   *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_entry_row_set_show_apply_button (row, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), url);
  g_object_set (row, "input-purpose", GTK_INPUT_PURPOSE_URL, NULL);
  g_object_set_data_full (G_OBJECT (row), URL_DATA, g_strdup (url), g_free);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data (G_OBJECT (remove), "rl-row", row);
  g_object_set_data (G_OBJECT (row), "rl-remove-button", remove);
  adw_entry_row_add_suffix (row, remove);
  g_signal_connect (row, "apply", G_CALLBACK (row_apply_cb), self);
  g_signal_connect (row, "changed", G_CALLBACK (row_changed_cb), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  adw_preferences_group_add (self->group, GTK_WIDGET (row));
  g_ptr_array_add (self->rows, row);
  renumber (self);
  return row;
}

static void
add_clicked_cb (GtkButton    *button,
                RlBrokerRows *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (add_row (self, "")));
}

RlBrokerRows *
rl_broker_rows_new (GSettings           *settings,
                    AdwEntryRow         *first_row,
                    AdwPreferencesGroup *group,
                    GtkButton           *add_button,
                    GtkLabel            *message,
                    RlBrokerMessageFunc  show_message)
{
  RlBrokerRows *self = g_new0 (RlBrokerRows, 1);
  g_auto (GStrv) urls = rl_settings_dup_mqtt_urls (settings);

  self->settings = g_object_ref (settings);
  self->first_row = first_row;
  self->group = group;
  self->add_button = add_button;
  self->message = message;
  self->show_message = show_message;
  self->rows = g_ptr_array_new ();

  gtk_editable_set_text (GTK_EDITABLE (first_row), urls[0] != NULL ? urls[0] : "");
  g_object_set_data_full (G_OBJECT (first_row), URL_DATA, g_strdup (urls[0] != NULL ? urls[0] : ""),
                          g_free);
  for (guint i = 1; urls[0] != NULL && urls[i] != NULL; i++)
    add_row (self, urls[i]);
  g_signal_connect (add_button, "clicked", G_CALLBACK (add_clicked_cb), self);
  return self;
}

void
rl_broker_rows_free (RlBrokerRows *self)
{
  if (self == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->add_button, self);
  for (guint i = 0; i < self->rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->rows, i);

      g_signal_handlers_disconnect_by_data (row, self);
      g_signal_handlers_disconnect_by_data (g_object_get_data (row, "rl-remove-button"), self);
    }
  g_ptr_array_unref (self->rows);
  g_object_unref (self->settings);
  g_free (self);
}

void
rl_broker_rows_apply_first (RlBrokerRows *self)
{
  if (check_row (self, self->first_row))
    store (self);
}

void
rl_broker_rows_recheck_first (RlBrokerRows *self)
{
  recheck (self, self->first_row);
}
