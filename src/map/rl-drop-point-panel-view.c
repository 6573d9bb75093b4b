/* rl-drop-point-panel-view.c — the panel: filling its widgets from the record.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "rl-drop-point-panel-private.h"
#include "rl-search.h"
#include "rl-time.h"

const char *const rl_dpp_status_ids[3] = { "active", "maintenance", "retired" };

/* ---- Helpers ------------------------------------------------------------ */

double
rl_dpp_member_double (JsonObject *o,
                      const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return NAN;
  if (json_node_get_value_type (n) != G_TYPE_DOUBLE && json_node_get_value_type (n) != G_TYPE_INT64)
    return NAN;
  return json_node_get_double (n);
}

const char *
rl_dpp_member_string (JsonObject *o,
                      const char *key)
{
  return o ? json_object_get_string_member_with_default (o, key, NULL) : NULL;
}

static void
set_value (GtkLabel   *label,
           double      value,
           int         decimals,
           const char *unit)
{
  g_autofree char *text = NULL;

  if (!isfinite (value))
    {
      gtk_label_set_text (label, "—");
      return;
    }
  text = g_strdup_printf ("%.*f %s", decimals, value, unit);
  gtk_label_set_text (label, text);
}

const char *
rl_dpp_status_label (const char *status)
{
  if (g_strcmp0 (status, "active") == 0)
    return _ ("Active");
  if (g_strcmp0 (status, "maintenance") == 0)
    return _ ("Maintenance");
  if (g_strcmp0 (status, "retired") == 0)
    return _ ("Retired");
  return status ? status : _ ("Unknown");
}

char *
rl_dpp_format_age (gint64 then_ms,
                   gint64 now_ms)
{
  gint64 minutes = (now_ms - then_ms) / 60000;

  if (then_ms <= 0)
    return g_strdup (_ ("Never"));
  if (minutes < 1)
    return g_strdup (_ ("Just now"));
  if (minutes < 60)
    return g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", (gulong) minutes),
        (int) minutes);
  if (minutes < 48 * 60)
    return g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", (gulong) (minutes / 60)),
        (int) (minutes / 60));
  return g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", (gulong) (minutes / 1440)),
      (int) (minutes / 1440));
}

/* "16:40 today", "09:15 tomorrow", "08:00 on Thursday" (local time). */
static char *
format_when (gint64 ms,
             gint64 now_ms)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);
  g_autofree char *hm = NULL;
  int              days;

  if (dt == NULL || now == NULL)
    return g_strdup ("?");
  hm = g_date_time_format (dt, "%H:%M");
  days = g_date_time_get_day_of_year (dt) - g_date_time_get_day_of_year (now)
         + 366 * (g_date_time_get_year (dt) - g_date_time_get_year (now));
  if (days == 0)
    return g_strdup_printf (_ ("%s today"), hm);
  if (days == 1)
    return g_strdup_printf (_ ("%s tomorrow"), hm);
  if (days == -1)
    return g_strdup_printf (_ ("%s yesterday"), hm);
  {
    g_autofree char *day = g_date_time_format (dt, "%A");

    return g_strdup_printf (_ ("%s on %s"), hm, day);
  }
}

static char *
format_band_end (gint64 ms,
                 gint64 full_ms)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);
  g_autoptr (GDateTime) full = g_date_time_new_from_unix_local (full_ms / 1000);

  if (dt == NULL || full == NULL)
    return g_strdup ("?");
  if (g_date_time_get_day_of_year (dt) == g_date_time_get_day_of_year (full))
    return g_date_time_format (dt, "%H:%M");
  return g_date_time_format (dt, "%a %H:%M");
}
/* ---- Filling the widgets ------------------------------------------------ */

void
rl_dpp_update_age (RlDropPointPanel *self)
{
  const char      *last = rl_dpp_member_string (self->record, "lastReadingAt");
  g_autofree char *text = NULL;
  gint64           ms = 0;

  if (last == NULL || !rl_time_parse_ms (last, &ms))
    ms = 0;
  text = rl_dpp_format_age (ms, rl_time_now_ms ());
  gtk_label_set_text (self->age_value, text);
}

gboolean
rl_dpp_age_tick_cb (gpointer user_data)
{
  rl_dpp_update_age (user_data);
  return G_SOURCE_CONTINUE;
}

static void
fill_pills (RlDropPointPanel *self)
{
  GtkWidget *child;
  JsonNode  *n = self->record ? json_object_get_member (self->record, "categories") : NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pills_box))) != NULL)
    gtk_box_remove (self->pills_box, child);
  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (n)); i++)
    {
      const char      *cat = json_array_get_string_element (json_node_get_array (n), i);
      g_autofree char *text = NULL;
      GtkWidget       *pill;

      if (cat == NULL)
        continue;
      text = g_utf8_strdown (cat, -1);
      text[0] = g_ascii_toupper (text[0]);
      pill = gtk_label_new (text);
      gtk_widget_add_css_class (pill, "rl-pill");
      gtk_widget_add_css_class (pill, "caption-heading");
      gtk_box_append (self->pills_box, pill);
    }
}

static const char *
alert_type_label (const char *type)
{
  if (g_strcmp0 (type, "FULL_BIN") == 0)
    return _ ("Bin full");
  if (g_strcmp0 (type, "LOW_BATTERY") == 0)
    return _ ("Low battery");
  if (g_strcmp0 (type, "HIGH_TEMPERATURE") == 0)
    return _ ("High temperature");
  if (g_strcmp0 (type, "OFFLINE") == 0)
    return _ ("Offline");
  if (g_strcmp0 (type, "SENSOR_FAULT") == 0)
    return _ ("Sensor fault");
  return type ? type : _ ("Alert");
}

static const char *
severity_label (const char *severity)
{
  if (g_strcmp0 (severity, "HIGH") == 0)
    return _ ("High");
  if (g_strcmp0 (severity, "MEDIUM") == 0)
    return _ ("Medium");
  if (g_strcmp0 (severity, "LOW") == 0)
    return _ ("Low");
  return severity ? severity : "?";
}

void
rl_dpp_show_alerts (RlDropPointPanel *self,
                    JsonArray        *alerts)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->alerts_list))) != NULL)
    gtk_list_box_remove (self->alerts_list, child);
  if (alerts == NULL)
    return;
  if (json_array_get_length (alerts) == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("No open alerts"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->alerts_list, row);
      return;
    }
  for (guint i = 0; i < json_array_get_length (alerts); i++)
    {
      JsonObject      *a = json_array_get_object_element (alerts, i);
      const char      *severity = rl_dpp_member_string (a, "severity");
      const char      *created = rl_dpp_member_string (a, "createdAt");
      GtkWidget       *row = adw_action_row_new ();
      GtkWidget       *badge = gtk_label_new (severity_label (severity));
      g_autofree char *subtitle = NULL;
      g_autofree char *age = NULL;
      gint64           ms = 0;

      if (created != NULL && rl_time_parse_ms (created, &ms))
        age = rl_dpp_format_age (ms, rl_time_now_ms ());
      subtitle = g_strdup_printf (
          "%s%s%s · %s",
          rl_dpp_member_string (a, "message") ? rl_dpp_member_string (a, "message") : "",
          rl_dpp_member_string (a, "message") ? " · " : "", age ? age : "",
          g_strcmp0 (rl_dpp_member_string (a, "status"), "acknowledged") == 0 ? _ ("Acknowledged")
                                                                              : _ ("Open"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     alert_type_label (rl_dpp_member_string (a, "type")));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (badge, "caption-heading");
      gtk_widget_add_css_class (badge, g_strcmp0 (severity, "HIGH") == 0 ? "error" : "warning");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
      gtk_list_box_append (self->alerts_list, row);
    }
}

void
rl_dpp_fill_forecast (RlDropPointPanel *self)
{
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;
  gint64           now = rl_time_now_ms ();

  switch (self->forecast.status)
    {
    case RL_FORECAST_NOW:
      text = g_strdup_printf (_ ("Full now (%.0f %%)"), self->forecast.last_fill);
      break;
    case RL_FORECAST_PREDICTED:
      {
        g_autofree char *when = format_when (self->forecast.full_at_ms, now);
        g_autofree char *lo =
            format_band_end (self->forecast.earliest_ms, self->forecast.full_at_ms);
        g_autofree char *hi =
            self->forecast.latest_ms == G_MAXINT64
                ? g_strdup (_ ("later"))
                : format_band_end (self->forecast.latest_ms, self->forecast.full_at_ms);

        if (self->forecast.full_at_ms < now)
          text = g_strdup_printf (_ ("Probably full since %s (%s–%s)"), when, lo, hi);
        else
          text = g_strdup_printf (_ ("Full at %s (%s–%s)"), when, lo, hi);
      }
      break;
    case RL_FORECAST_BEYOND_HORIZON:
      text = g_strdup (_ ("Not full within 7 days"));
      break;
    case RL_FORECAST_INSUFFICIENT_DATA:
    default:
      text = g_strdup (_ ("Not enough readings for a forecast"));
      break;
    }
  if (isfinite (self->forecast.rate_per_hour) && self->forecast.status != RL_FORECAST_NOW)
    detail =
        g_strdup_printf (_ ("Filling %.1f %% an hour from %u readings since the last emptying; "
                            "full means %.0f %%%s"),
                         self->forecast.rate_per_hour, self->forecast.samples_used, self->threshold,
                         self->forecast.pattern_used ? _ ("; weekly pattern applied") : "");
  else
    detail = g_strdup_printf (_ ("Full means %.0f %%"), self->threshold);
  gtk_label_set_text (self->forecast_label, text);
  gtk_label_set_text (self->forecast_detail, detail);
}

void
rl_dpp_show_empty (RlDropPointPanel *self,
                   const char       *title,
                   const char       *description)
{
  adw_status_page_set_title (self->empty_page, title ? title : _ ("No Drop Point Selected"));
  adw_status_page_set_description (self->empty_page,
                                   title ? description
                                         : _ ("Select a drop point on the map to see its details"));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

void
rl_dpp_fill_live (RlDropPointPanel *self)
{
  set_value (self->fill_value, rl_dpp_member_double (self->record, "fillLevel"), 0, "%");
  set_value (self->weight_value, rl_dpp_member_double (self->record, "weight"), 1, "kg");
  set_value (self->temperature_value, rl_dpp_member_double (self->record, "temperature"), 1, "°C");
  set_value (self->humidity_value, rl_dpp_member_double (self->record, "humidity"), 0, "%");
  set_value (self->battery_value, rl_dpp_member_double (self->record, "batteryLevel"), 0, "%");
  rl_dpp_update_age (self);
}

void
rl_dpp_fill_record (RlDropPointPanel *self)
{
  const char      *status = rl_dpp_member_string (self->record, "status");
  const char      *notes = rl_dpp_member_string (self->record, "notes");
  const char      *name;
  g_autofree char *title = NULL;

  name = rl_dpp_member_string (self->record, "name");
  if (name == NULL)
    name = self->drop_point_id != NULL ? self->drop_point_id : "";
  gtk_label_set_text (self->title_label, name);
  gtk_label_set_text (self->address_label, rl_dpp_member_string (self->record, "address") ?: "");
  gtk_label_set_text (self->status_value, rl_dpp_status_label (status));
  rl_dpp_fill_live (self);
  fill_pills (self);

  for (guint i = 0; i < G_N_ELEMENTS (rl_dpp_status_ids); i++)
    if (g_strcmp0 (status, rl_dpp_status_ids[i]) == 0)
      adw_combo_row_set_selected (self->status_combo, i);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), notes ? notes : "", -1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), self->record != NULL);
  {
    const char *device = rl_dpp_member_string (self->record, "deviceId");

    /* The target before the name: an "s" action without one is a warning. */
    gtk_actionable_set_action_name (GTK_ACTIONABLE (self->export_button), NULL);
    if (device != NULL)
      {
        gtk_actionable_set_action_target (GTK_ACTIONABLE (self->export_button), "s", device);
        gtk_actionable_set_action_name (GTK_ACTIONABLE (self->export_button),
                                        "win.export-readings");
      }
    gtk_widget_set_visible (GTK_WIDGET (self->export_button), device != NULL);
  }
  rl_dpp_load_alerts (self);
  if (self->record != NULL)
    gtk_stack_set_visible_child_name (self->stack, "point");
  else
    rl_dpp_show_empty (self, NULL, NULL);
}
