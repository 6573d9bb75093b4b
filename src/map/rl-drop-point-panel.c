/* rl-drop-point-panel.c — the drop-point panel beside the map.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: helpers, filling the widgets, readings (cache, then server),
 * saving (PATCH with If-Match, outbox when offline, conflict dialog),
 * GObject boilerplate, public API.
 *
 * The panel reads only the cache; the server is asked for what the cache
 * lacks (the record itself, the last 7 days of readings) and for edits.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "rl-api.h"
#include "rl-drop-point-panel.h"
#include "rl-envelope.h"
#include "rl-error.h"
#include "rl-fill-chart.h"
#include "rl-map-resources.h"
#include "rl-search.h"
#include "rl-store.h"
#include "rl-time.h"

#define HOUR_MS    (G_GINT64_CONSTANT (3600) * 1000)
#define HISTORY_MS (7 * 24 * HOUR_MS)

struct _RlDropPointPanel
{
  GtkWidget         parent_instance;

  RlSession        *session;
  char             *drop_point_id;
  JsonObject       *record;
  GCancellable     *cancellable;
  double            threshold;
  RlForecast        forecast;
  guint             n_readings;
  guint             busy;
  guint             age_timeout;
  gboolean          fetched_readings;
  char             *save_message;
  AdwMessageDialog *conflict_dialog;
  JsonObject       *conflict_current;

  /* template */
  GtkLabel         *title_label;
  GtkLabel         *address_label;
  GtkBox           *pills_box;
  GtkLabel         *status_value;
  GtkLabel         *fill_value;
  GtkLabel         *weight_value;
  GtkLabel         *temperature_value;
  GtkLabel         *humidity_value;
  GtkLabel         *battery_value;
  GtkLabel         *age_value;
  RlFillChart      *chart;
  GtkLabel         *forecast_label;
  GtkLabel         *forecast_detail;
  AdwPreferencesGroup *alerts_group;
  GtkListBox       *alerts_list;
  AdwComboRow      *status_combo;
  GtkTextView      *notes_view;
  GtkLabel         *save_status;
  GtkButton        *save_button;
};

G_DEFINE_FINAL_TYPE (RlDropPointPanel, rl_drop_point_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_DROP_POINT_ID,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const status_ids[] = { "active", "maintenance", "retired" };

static void load_readings (RlDropPointPanel *self);
static void send_patch (RlDropPointPanel *self, JsonObject *edit, gint64 version);

/* ---- Helpers ------------------------------------------------------------ */

static void
busy_push (RlDropPointPanel *self)
{
  if (self->busy++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
busy_pop (RlDropPointPanel *self)
{
  g_assert (self->busy > 0);
  if (--self->busy == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static RlStore *
get_store (RlDropPointPanel *self)
{
  return self->session ? rl_session_get_store (self->session) : NULL;
}

static gboolean
is_online (RlDropPointPanel *self)
{
  RlSessionState state;

  if (self->session == NULL || rl_session_get_api (self->session) == NULL)
    return FALSE;
  state = rl_session_get_state (self->session);
  return state == RL_SESSION_STATE_ONLINE || state == RL_SESSION_STATE_SYNCING;
}

static double
member_double (JsonObject *o,
               const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return NAN;
  if (json_node_get_value_type (n) != G_TYPE_DOUBLE && json_node_get_value_type (n) != G_TYPE_INT64)
    return NAN;
  return json_node_get_double (n);
}

static const char *
member_string (JsonObject *o,
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

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "active") == 0)
    return _("Active");
  if (g_strcmp0 (status, "maintenance") == 0)
    return _("Maintenance");
  if (g_strcmp0 (status, "retired") == 0)
    return _("Retired");
  return status ? status : _("Unknown");
}

static char *
format_age (gint64 then_ms,
            gint64 now_ms)
{
  gint64 minutes = (now_ms - then_ms) / 60000;

  if (then_ms <= 0)
    return g_strdup (_("Never"));
  if (minutes < 1)
    return g_strdup (_("Just now"));
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", (gulong) minutes),
                            (int) minutes);
  if (minutes < 48 * 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", (gulong) (minutes / 60)),
                            (int) (minutes / 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", (gulong) (minutes / 1440)),
                          (int) (minutes / 1440));
}

/* "16:40 today", "09:15 tomorrow", "08:00 on Thursday" (local time). */
static char *
format_when (gint64 ms,
             gint64 now_ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);
  g_autofree char *hm = NULL;
  int days;

  if (dt == NULL || now == NULL)
    return g_strdup ("?");
  hm = g_date_time_format (dt, "%H:%M");
  days = g_date_time_get_day_of_year (dt) - g_date_time_get_day_of_year (now)
         + 366 * (g_date_time_get_year (dt) - g_date_time_get_year (now));
  if (days == 0)
    return g_strdup_printf (_("%s today"), hm);
  if (days == 1)
    return g_strdup_printf (_("%s tomorrow"), hm);
  if (days == -1)
    return g_strdup_printf (_("%s yesterday"), hm);
  {
    g_autofree char *day = g_date_time_format (dt, "%A");

    return g_strdup_printf (_("%s on %s"), hm, day);
  }
}

static char *
format_band_end (gint64 ms,
                 gint64 full_ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);
  g_autoptr(GDateTime) full = g_date_time_new_from_unix_local (full_ms / 1000);

  if (dt == NULL || full == NULL)
    return g_strdup ("?");
  if (g_date_time_get_day_of_year (dt) == g_date_time_get_day_of_year (full))
    return g_date_time_format (dt, "%H:%M");
  return g_date_time_format (dt, "%a %H:%M");
}

/* ---- Filling the widgets ------------------------------------------------ */

static void
update_age (RlDropPointPanel *self)
{
  const char *last = member_string (self->record, "lastReadingAt");
  g_autofree char *text = NULL;
  gint64 ms = 0;

  if (last == NULL || !rl_time_parse_ms (last, &ms))
    ms = 0;
  text = format_age (ms, rl_time_now_ms ());
  gtk_label_set_text (self->age_value, text);
}

static gboolean
age_tick_cb (gpointer user_data)
{
  update_age (user_data);
  return G_SOURCE_CONTINUE;
}

static void
fill_pills (RlDropPointPanel *self)
{
  GtkWidget *child;
  JsonNode *n = self->record ? json_object_get_member (self->record, "categories") : NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pills_box))) != NULL)
    gtk_box_remove (self->pills_box, child);
  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (n)); i++)
    {
      const char *cat = json_array_get_string_element (json_node_get_array (n), i);
      g_autofree char *text = NULL;
      GtkWidget *pill;

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

static void
fill_alerts (RlDropPointPanel *self)
{
  g_autoptr(JsonArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  RlStore *store = get_store (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->alerts_list))) != NULL)
    gtk_list_box_remove (self->alerts_list, child);
  if (store == NULL || self->drop_point_id == NULL)
    return;
  alerts = rl_search_alerts_for_point (store, self->drop_point_id, &error);
  if (alerts == NULL)
    {
      g_warning ("Cannot read the alerts of %s: %s", self->drop_point_id, error->message);
      return;
    }
  if (json_array_get_length (alerts) == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No open alerts"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->alerts_list, row);
      return;
    }
  for (guint i = 0; i < json_array_get_length (alerts); i++)
    {
      JsonObject *a = json_array_get_object_element (alerts, i);
      const char *severity = member_string (a, "severity");
      const char *created = member_string (a, "createdAt");
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *badge = gtk_label_new (severity ? severity : "?");
      g_autofree char *subtitle = NULL;
      g_autofree char *age = NULL;
      gint64 ms = 0;

      if (created != NULL && rl_time_parse_ms (created, &ms))
        age = format_age (ms, rl_time_now_ms ());
      subtitle = g_strdup_printf ("%s%s%s · %s", member_string (a, "message") ? member_string (a, "message") : "",
                                  member_string (a, "message") ? " · " : "",
                                  age ? age : "", member_string (a, "status") ? member_string (a, "status") : "");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), member_string (a, "type"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (badge, "caption-heading");
      gtk_widget_add_css_class (badge, g_strcmp0 (severity, "HIGH") == 0 ? "error" : "warning");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
      gtk_list_box_append (self->alerts_list, row);
    }
}

static void
fill_forecast (RlDropPointPanel *self)
{
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;
  gint64 now = rl_time_now_ms ();

  switch (self->forecast.status)
    {
    case RL_FORECAST_NOW:
      text = g_strdup_printf (_("Full now (%.0f %%)"), self->forecast.last_fill);
      break;
    case RL_FORECAST_PREDICTED:
      {
        g_autofree char *when = format_when (self->forecast.full_at_ms, now);
        g_autofree char *lo = format_band_end (self->forecast.earliest_ms, self->forecast.full_at_ms);
        g_autofree char *hi = self->forecast.latest_ms == G_MAXINT64
                              ? g_strdup (_("later"))
                              : format_band_end (self->forecast.latest_ms, self->forecast.full_at_ms);

        text = g_strdup_printf (_("Full at %s (%s–%s)"), when, lo, hi);
      }
      break;
    case RL_FORECAST_BEYOND_HORIZON:
      text = g_strdup (_("Not full within 7 days"));
      break;
    case RL_FORECAST_INSUFFICIENT_DATA:
    default:
      text = g_strdup (_("Not enough readings for a forecast"));
      break;
    }
  if (isfinite (self->forecast.rate_per_hour) && self->forecast.status != RL_FORECAST_NOW)
    detail = g_strdup_printf (_("Filling %.1f %% an hour from %u readings since the last emptying; full means %.0f %%%s"),
                              self->forecast.rate_per_hour, self->forecast.samples_used, self->threshold,
                              self->forecast.pattern_used ? _("; weekly pattern applied") : "");
  else
    detail = g_strdup_printf (_("Full means %.0f %%"), self->threshold);
  gtk_label_set_text (self->forecast_label, text);
  gtk_label_set_text (self->forecast_detail, detail);
}

static void
fill_record (RlDropPointPanel *self)
{
  const char *status = member_string (self->record, "status");
  const char *notes = member_string (self->record, "notes");
  g_autofree char *title = NULL;

  gtk_label_set_text (self->title_label, member_string (self->record, "name") ?: self->drop_point_id ?: "");
  gtk_label_set_text (self->address_label, member_string (self->record, "address") ?: "");
  gtk_label_set_text (self->status_value, status_label (status));
  set_value (self->fill_value, member_double (self->record, "fillLevel"), 0, "%");
  set_value (self->weight_value, member_double (self->record, "weight"), 1, "kg");
  set_value (self->temperature_value, member_double (self->record, "temperature"), 1, "°C");
  set_value (self->humidity_value, member_double (self->record, "humidity"), 0, "%");
  set_value (self->battery_value, member_double (self->record, "batteryLevel"), 0, "%");
  update_age (self);
  fill_pills (self);

  for (guint i = 0; i < G_N_ELEMENTS (status_ids); i++)
    if (g_strcmp0 (status, status_ids[i]) == 0)
      adw_combo_row_set_selected (self->status_combo, i);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), notes ? notes : "", -1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), self->record != NULL);
  fill_alerts (self);
}

/* ---- Readings ----------------------------------------------------------- */

static void
compute_forecast (RlDropPointPanel *self,
                  JsonArray        *readings,
                  gint64            now_ms)
{
  g_autofree RlFillSample *samples = NULL;
  RlForecastOptions options;
  g_autoptr(GDateTime) local = g_date_time_new_now_local ();
  gsize n = 0;

  rl_forecast_options_init (&options);
  options.threshold = self->threshold;
  options.utc_offset_s = (int) (g_date_time_get_utc_offset (local) / G_TIME_SPAN_SECOND);
  samples = rl_forecast_samples_from_readings (readings, &n);
  rl_forecast_compute (samples, n, now_ms, &options, &self->forecast);
  self->n_readings = (guint) n;
  rl_fill_chart_set_threshold (self->chart, self->threshold);
  rl_fill_chart_set_samples (self->chart, samples, n, now_ms);
  rl_fill_chart_set_forecast (self->chart, &self->forecast);
  fill_forecast (self);
}

static void
readings_fetched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(RlDropPointPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RlEnvelope) env = rl_api_request_finish (RL_API (source), result, &error);
  g_autoptr(RlStoreBatch) batch = NULL;
  const char *device = member_string (self->record, "deviceId");
  RlStore *store = get_store (self);
  JsonArray *items;

  busy_pop (self);
  if (env == NULL)
    {
      if (!g_error_matches (error, RL_ERROR, RL_ERROR_CANCELLED))
        gtk_label_set_text (self->forecast_detail, error->message);
      return;
    }
  items = rl_envelope_get_array (env);
  if (items == NULL || store == NULL || device == NULL)
    return;

  batch = rl_store_batch_begin (store, &error);
  for (guint i = 0; batch != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *r = json_array_get_object_element (items, i);
      const char *ts = member_string (r, "timestamp");
      gint64 ms;

      if (r == NULL || ts == NULL || !rl_time_parse_ms (ts, &ms))
        continue;
      if (rl_store_batch_add_reading (batch, device, ms, member_double (r, "fillLevel"),
                                      member_double (r, "weight"), member_double (r, "temperature"),
                                      member_double (r, "humidity"), member_double (r, "batteryLevel"),
                                      &error) == RL_STORE_READING_ERROR)
        break;
    }
  if (batch == NULL || error != NULL || !rl_store_batch_commit (batch, &error))
    {
      g_warning ("Cannot store the readings of %s: %s", device, error->message);
      return;
    }
  load_readings (self);
}

static void
load_readings (RlDropPointPanel *self)
{
  const char *device = member_string (self->record, "deviceId");
  RlStore *store = get_store (self);
  g_autoptr(JsonArray) readings = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = rl_time_now_ms ();

  if (device != NULL && store != NULL)
    {
      readings = rl_store_get_readings (store, device, now - HISTORY_MS, now, 0, &error);
      if (readings == NULL)
        g_warning ("Cannot read the readings of %s: %s", device, error->message);
    }
  compute_forecast (self, readings, now);

  /* Nothing cached for the last week: ask the server once. */
  if (device != NULL && self->n_readings == 0 && !self->fetched_readings && is_online (self))
    {
      g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_autofree char *path = g_strdup_printf ("/drop-points/%s/readings", self->drop_point_id);

      self->fetched_readings = TRUE;
      g_hash_table_insert (query, (char *) "from", rl_time_format_ms (now - HISTORY_MS));
      g_hash_table_insert (query, (char *) "to", rl_time_format_ms (now));
      g_hash_table_insert (query, (char *) "limit", g_strdup ("5000"));
      busy_push (self);
      rl_api_get_async (rl_session_get_api (self->session), path, query, self->cancellable,
                        readings_fetched_cb, g_object_ref (self));
    }
}

static void
set_record (RlDropPointPanel *self,
            JsonObject       *record)
{
  g_clear_pointer (&self->record, json_object_unref);
  self->record = record ? json_object_ref (record) : NULL;
  fill_record (self);
  load_readings (self);
}

static gboolean
store_record (RlDropPointPanel *self,
              JsonObject       *record)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RlStoreBatch) batch = NULL;
  RlStore *store = get_store (self);

  if (store == NULL)
    return FALSE;
  batch = rl_store_batch_begin (store, &error);
  if (batch == NULL || !rl_store_batch_upsert (batch, "drop_point", record, &error)
      || !rl_store_batch_commit (batch, &error))
    {
      g_warning ("Cannot cache drop point: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
record_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(RlDropPointPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RlEnvelope) env = rl_api_request_finish (RL_API (source), result, &error);
  JsonObject *record;

  busy_pop (self);
  if (env == NULL || (record = rl_envelope_get_object (env)) == NULL)
    {
      if (error != NULL && !g_error_matches (error, RL_ERROR, RL_ERROR_CANCELLED))
        gtk_label_set_text (self->address_label, error->message);
      return;
    }
  store_record (self, record);
  set_record (self, record);
}

/* ---- Saving ------------------------------------------------------------- */

static JsonObject *
collect_edit (RlDropPointPanel *self)
{
  JsonObject *edit = json_object_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;
  guint selected = adw_combo_row_get_selected (self->status_combo);

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  json_object_set_string_member (edit, "status",
                                 selected < G_N_ELEMENTS (status_ids) ? status_ids[selected] : "active");
  json_object_set_string_member (edit, "notes", gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  return edit;
}

static void
set_save_message (RlDropPointPanel *self,
                  const char       *message)
{
  g_free (self->save_message);
  self->save_message = g_strdup (message);
  gtk_label_set_text (self->save_status, message ? message : "");
}

static JsonObject *
apply_edit (JsonObject *record,
            JsonObject *edit)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) copy = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_node_set_object (node, record);
  copy = json_node_copy (node);
  json_object_iter_init (&iter, edit);
  while (json_object_iter_next (&iter, &key, &value))
    json_object_set_member (json_node_get_object (copy), key, json_node_copy (value));
  return json_object_ref (json_node_get_object (copy));
}

static void
save_offline (RlDropPointPanel *self,
              JsonObject       *edit,
              const char       *why)
{
  g_autoptr(JsonObject) local = apply_edit (self->record, edit);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/drop-points/%s", self->drop_point_id);
  g_autofree char *if_match = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"",
                                               json_object_get_int_member_with_default (self->record, "version", 0));
  g_autofree char *message = NULL;
  RlStore *store = get_store (self);

  json_node_set_object (body, edit);
  if (store == NULL
      || rl_store_outbox_enqueue (store, "PATCH", path, body, if_match, "drop_point",
                                  self->drop_point_id, self->record, local, NULL, &error) == 0)
    {
      message = g_strdup_printf (_("Not saved: %s"), error ? error->message : _("no cache"));
      set_save_message (self, message);
      return;
    }
  set_record (self, local);
  message = g_strdup_printf (_("%s Saved on this computer; it will be sent when the server is reachable."), why);
  set_save_message (self, message);
}

static void
conflict_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  RlDropPointPanel *self = user_data;
  g_autoptr(JsonObject) current = g_steal_pointer (&self->conflict_current);
  g_autoptr(JsonObject) edit = g_object_steal_data (G_OBJECT (dialog), "rl-edit");

  self->conflict_dialog = NULL;
  if (current == NULL)
    return;

  if (g_strcmp0 (response, "mine") == 0 && edit != NULL)
    {
      /* The other change is overwritten knowingly: against its version. */
      send_patch (self, edit, json_object_get_int_member_with_default (current, "version", 0));
    }
  else if (g_strcmp0 (response, "theirs") == 0)
    {
      g_autofree char *message = g_strdup_printf (_("Kept the other change (version %" G_GINT64_FORMAT ")."),
                                                  json_object_get_int_member_with_default (current, "version", 0));

      store_record (self, current);
      set_record (self, current);
      set_save_message (self, message);
    }
  else
    set_save_message (self, _("Not saved: someone else changed this drop point."));
}

static void
show_conflict (RlDropPointPanel *self,
               JsonObject       *current,
               JsonObject       *edit)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  g_autofree char *body = NULL;
  const char *their_notes = member_string (current, "notes");
  const char *my_notes = member_string (edit, "notes");

  body = g_strdup_printf (_("While you were editing “%s”, someone else saved a newer version (%" G_GINT64_FORMAT ").\n\n"
                            "Their status: %s\nTheir notes: %s\n\n"
                            "Your status: %s\nYour notes: %s"),
                          member_string (current, "name") ?: self->drop_point_id,
                          json_object_get_int_member_with_default (current, "version", 0),
                          status_label (member_string (current, "status")),
                          their_notes && *their_notes ? their_notes : _("(none)"),
                          status_label (member_string (edit, "status")),
                          my_notes && *my_notes ? my_notes : _("(none)"));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Someone Else Changed This Drop Point"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "theirs", _("_Use Theirs"),
                                    "mine", _("_Keep Mine"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "mine",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "theirs");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "rl-edit", json_object_ref (edit),
                          (GDestroyNotify) json_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (conflict_response_cb), self, 0);

  g_clear_pointer (&self->conflict_current, json_object_unref);
  self->conflict_current = json_object_ref (current);
  self->conflict_dialog = ADW_MESSAGE_DIALOG (dialog);
  set_save_message (self, _("Not saved yet: someone else changed this drop point."));
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct {
  RlDropPointPanel *self;
  JsonObject       *edit;
} PatchData;

static void
patch_data_free (PatchData *data)
{
  g_object_unref (data->self);
  json_object_unref (data->edit);
  g_free (data);
}

static void
patch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  PatchData *data = user_data;
  RlDropPointPanel *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(RlEnvelope) env = rl_api_request_finish (RL_API (source), result, &error);
  JsonObject *record;

  busy_pop (self);
  if (g_error_matches (error, RL_ERROR, RL_ERROR_CANCELLED) || self->save_button == NULL)
    goto out;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);

  if (env != NULL && (record = rl_envelope_get_object (env)) != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Saved (version %" G_GINT64_FORMAT ")."),
                                                  json_object_get_int_member_with_default (record, "version", 0));

      store_record (self, record);
      set_record (self, record);
      set_save_message (self, message);
    }
  else if (g_error_matches (error, RL_ERROR, RL_ERROR_VERSION_CONFLICT) && rl_error_get_current (error))
    show_conflict (self, rl_error_get_current (error), data->edit);
  else if (g_error_matches (error, RL_ERROR, RL_ERROR_NETWORK)
           || g_error_matches (error, RL_ERROR, RL_ERROR_UNAVAILABLE)
           || g_error_matches (error, RL_ERROR, RL_ERROR_INTERNAL)
           || g_error_matches (error, RL_ERROR, RL_ERROR_CIRCUIT_OPEN)
           || g_error_matches (error, RL_ERROR, RL_ERROR_RATE_LIMITED))
    save_offline (self, data->edit, _("The server did not answer."));
  else if (g_error_matches (error, RL_ERROR, RL_ERROR_FORBIDDEN))
    set_save_message (self, _("Not saved: your role may not change this drop point."));
  else if (g_error_matches (error, RL_ERROR, RL_ERROR_VALIDATION_FAILED) && rl_error_get_fields (error))
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;
      GString *s = g_string_new (_("Not saved:"));

      json_object_iter_init (&iter, rl_error_get_fields (error));
      while (json_object_iter_next (&iter, &key, &value))
        g_string_append_printf (s, " %s: %s.", key,
                                JSON_NODE_HOLDS_VALUE (value) ? json_node_get_string (value) : "?");
      set_save_message (self, s->str);
      g_string_free (s, TRUE);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("Not saved: %s"),
                                                  error ? error->message : _("bad answer"));
      set_save_message (self, message);
    }

out:
  patch_data_free (data);
}

static void
send_patch (RlDropPointPanel *self,
            JsonObject       *edit,
            gint64            version)
{
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *path = g_strdup_printf ("/drop-points/%s", self->drop_point_id);
  PatchData *data = g_new0 (PatchData, 1);

  data->self = g_object_ref (self);
  data->edit = json_object_ref (edit);
  json_node_set_object (body, edit);
  busy_push (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  set_save_message (self, _("Saving…"));
  rl_api_patch_async (rl_session_get_api (self->session), path, body, version,
                      self->cancellable, patch_done_cb, data);
}

static void
save_clicked_cb (RlDropPointPanel *self)
{
  rl_drop_point_panel_save (self);
}

/* ---- GObject ------------------------------------------------------------ */

static void
rl_drop_point_panel_dispose (GObject *object)
{
  RlDropPointPanel *self = RL_DROP_POINT_PANEL (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->age_timeout, g_source_remove);
  if (self->conflict_dialog != NULL)
    {
      GtkWindow *dialog = GTK_WINDOW (self->conflict_dialog);

      self->conflict_dialog = NULL;
      g_signal_handlers_disconnect_by_data (dialog, self);
      gtk_window_destroy (dialog);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_DROP_POINT_PANEL);
  /* The template's top child is not bound: unparent it ourselves. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->conflict_current, json_object_unref);

  G_OBJECT_CLASS (rl_drop_point_panel_parent_class)->dispose (object);
}

static void
rl_drop_point_panel_finalize (GObject *object)
{
  RlDropPointPanel *self = RL_DROP_POINT_PANEL (object);

  g_clear_object (&self->cancellable);
  g_free (self->drop_point_id);
  g_free (self->save_message);

  G_OBJECT_CLASS (rl_drop_point_panel_parent_class)->finalize (object);
}

static void
rl_drop_point_panel_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RlDropPointPanel *self = RL_DROP_POINT_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_DROP_POINT_ID:
      g_value_set_string (value, self->drop_point_id);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_drop_point_panel_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RlDropPointPanel *self = RL_DROP_POINT_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      rl_drop_point_panel_set_session (self, g_value_get_object (value));
      break;
    case PROP_DROP_POINT_ID:
      rl_drop_point_panel_set_drop_point_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_drop_point_panel_class_init (RlDropPointPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_drop_point_panel_dispose;
  object_class->finalize = rl_drop_point_panel_finalize;
  object_class->get_property = rl_drop_point_panel_get_property;
  object_class->set_property = rl_drop_point_panel_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, RL_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DROP_POINT_ID] =
    g_param_spec_string ("drop-point-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RL_TYPE_FILL_CHART);
  /* The resource is registered by hand (a static library may drop a
   * constructor); whoever comes first registers it. */
  if (rl_map_get_resource () == NULL)
    rl_map_register_resource ();
  gtk_widget_class_set_template_from_resource (widget_class, "/org/reloop/Console/map/rl-drop-point-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, address_label);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, pills_box);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, status_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, fill_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, weight_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, temperature_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, humidity_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, battery_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, age_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, chart);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, forecast_label);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, forecast_detail);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, alerts_group);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, alerts_list);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, status_combo);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, notes_view);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, save_status);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, save_button);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "droppointpanel");
}

static void
ensure_css (void)
{
  static gboolean done;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (done || display == NULL)
    return;
  done = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider,
                                   ".rl-pill { border-radius: 999px; padding: 2px 10px;"
                                   " background-color: alpha(@accent_bg_color, 0.15);"
                                   " color: @accent_color; }", -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static double
threshold_setting (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE) : NULL;
  g_autoptr(GSettings) settings = NULL;

  if (schema == NULL || !g_settings_schema_has_key (schema, "fill-alert-threshold"))
    return 85.0;
  settings = g_settings_new (APPLICATION_ID);
  return g_settings_get_double (settings, "fill-alert-threshold");
}

static void
rl_drop_point_panel_init (RlDropPointPanel *self)
{
  ensure_css ();
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->threshold = threshold_setting ();
  self->forecast.status = RL_FORECAST_INSUFFICIENT_DATA;
  self->age_timeout = g_timeout_add_seconds (30, age_tick_cb, self);
  fill_record (self);
  fill_forecast (self);
}

/* ---- Public API --------------------------------------------------------- */

GtkWidget *
rl_drop_point_panel_new (RlSession *session)
{
  return g_object_new (RL_TYPE_DROP_POINT_PANEL, "session", session, NULL);
}

RlSession *
rl_drop_point_panel_get_session (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return self->session;
}

void
rl_drop_point_panel_set_session (RlDropPointPanel *self,
                                 RlSession        *session)
{
  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));
  g_return_if_fail (session == NULL || RL_IS_SESSION (session));

  if (g_set_object (&self->session, session))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
      rl_drop_point_panel_reload (self);
    }
}

const char *
rl_drop_point_panel_get_drop_point_id (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return self->drop_point_id;
}

void
rl_drop_point_panel_set_drop_point_id (RlDropPointPanel *self,
                                       const char       *id)
{
  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  if (g_strcmp0 (self->drop_point_id, id) == 0)
    return;
  g_free (self->drop_point_id);
  self->drop_point_id = g_strdup (id);
  /* A new point: what was under way for the old one no longer matters. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->fetched_readings = FALSE;
  set_save_message (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DROP_POINT_ID]);
  rl_drop_point_panel_reload (self);
}

void
rl_drop_point_panel_reload (RlDropPointPanel *self)
{
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) error = NULL;
  RlStore *store;

  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  store = get_store (self);
  if (store == NULL || self->drop_point_id == NULL)
    {
      set_record (self, NULL);
      return;
    }
  record = rl_store_get_record (store, "drop_point", self->drop_point_id, &error);
  set_record (self, record);
  if (record == NULL && is_online (self))
    {
      g_autofree char *path = g_strdup_printf ("/drop-points/%s", self->drop_point_id);

      busy_push (self);
      rl_api_get_async (rl_session_get_api (self->session), path, NULL, self->cancellable,
                        record_fetched_cb, g_object_ref (self));
    }
}

void
rl_drop_point_panel_set_threshold (RlDropPointPanel *self,
                                   double            threshold)
{
  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  self->threshold = CLAMP (threshold, 1, 100);
  load_readings (self);
}

void
rl_drop_point_panel_set_edit (RlDropPointPanel *self,
                              const char       *status,
                              const char       *notes)
{
  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  for (guint i = 0; status != NULL && i < G_N_ELEMENTS (status_ids); i++)
    if (g_strcmp0 (status, status_ids[i]) == 0)
      adw_combo_row_set_selected (self->status_combo, i);
  if (notes != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), notes, -1);
}

void
rl_drop_point_panel_save (RlDropPointPanel *self)
{
  g_autoptr(JsonObject) edit = NULL;

  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  if (self->record == NULL)
    return;
  edit = collect_edit (self);
  if (is_online (self))
    send_patch (self, edit, json_object_get_int_member_with_default (self->record, "version", 0));
  else
    save_offline (self, edit, _("Offline."));
}

const char *
rl_drop_point_panel_get_title (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return gtk_label_get_text (self->title_label);
}

const char *
rl_drop_point_panel_get_forecast_text (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return gtk_label_get_text (self->forecast_label);
}

const char *
rl_drop_point_panel_get_save_message (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return self->save_message;
}

const RlForecast *
rl_drop_point_panel_get_forecast (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return &self->forecast;
}

gint64
rl_drop_point_panel_get_version (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), -1);

  return self->record ? json_object_get_int_member_with_default (self->record, "version", -1) : -1;
}

gboolean
rl_drop_point_panel_get_busy (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), FALSE);

  return self->busy > 0;
}

guint
rl_drop_point_panel_get_n_readings (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), 0);

  return self->n_readings;
}

AdwMessageDialog *
rl_drop_point_panel_get_conflict_dialog (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return self->conflict_dialog;
}
