/* rl-drop-point-panel-load.c — the panel's data: the cache through the
 * core's _async calls (worker threads on their own connections), then the
 * server for what the cache lacks.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: calls in flight, readings and forecast, alerts, the record, the
 * live values, then the public reload and refresh_live. Every result is
 * dropped when the panel moved on: another point (the call's cancellable
 * was cancelled) or a newer load of the same kind (its generation).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "rl-api.h"
#include "rl-drop-point-panel-private.h"
#include "rl-envelope.h"
#include "rl-error.h"
#include "rl-search-async.h"
#include "rl-time.h"
#include "rl-ui-errors.h"
#include "rl-weak-call.h"

/* ---- Calls in flight ------------------------------------------------------- */

/* What an async call of the panel was started for. */
typedef struct
{
  GWeakRef      self; /* not a reference: see rl-weak-call.h */
  GCancellable *cancellable;
  guint         generation;
  gint64        now_ms;
} PanelCall;

static PanelCall *
panel_call_new (RlDropPointPanel *self,
                guint             generation)
{
  PanelCall *call = g_new0 (PanelCall, 1);

  g_weak_ref_init (&call->self, self);
  call->cancellable = g_object_ref (self->cancellable);
  call->generation = generation;
  call->now_ms = rl_time_now_ms ();
  return call;
}

static void
panel_call_free (PanelCall *call)
{
  g_weak_ref_clear (&call->self);
  g_object_unref (call->cancellable);
  g_free (call);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PanelCall, panel_call_free)

static gboolean
panel_call_is_stale (PanelCall *call,
                     guint      generation)
{
  return g_cancellable_is_cancelled (call->cancellable) || call->generation != generation;
}

static void
compute_forecast (RlDropPointPanel *self,
                  JsonArray        *readings,
                  gint64            now_ms)
{
  g_autofree RlFillSample *samples = NULL;
  RlForecastOptions        options;
  g_autoptr (GDateTime) local = g_date_time_new_now_local ();
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
  rl_dpp_fill_forecast (self);
}

static void
readings_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (PanelCall) call = user_data;
  g_autoptr (RlDropPointPanel) self = g_weak_ref_get (&call->self);
  g_autoptr (GError) error = NULL;
  gboolean stored = rl_store_add_readings_finish (RL_STORE (source), result, &error);

  if (self == NULL)
    return;
  rl_dpp_busy_pop (self);
  if (!stored)
    {
      g_warning ("Cannot store the readings of %s: %s", self->drop_point_id, error->message);
      return;
    }
  if (!g_cancellable_is_cancelled (call->cancellable))
    rl_dpp_load_readings (self);
}

static void
readings_fetched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr (RlDropPointPanel) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) env = rl_api_request_finish (RL_API (source), result, &error);
  g_autoptr (GArray) readings = NULL;
  const char *device;
  RlStore    *store;
  JsonArray  *items;

  if (self == NULL)
    return;
  device = rl_dpp_member_string (self->record, "deviceId");
  store = rl_dpp_get_store (self);
  rl_dpp_busy_pop (self);
  if (env == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = rl_ui_error_message (error);

          gtk_label_set_text (self->forecast_detail, message);
        }
      return;
    }
  items = rl_envelope_get_array (env);
  if (items == NULL || store == NULL || device == NULL)
    return;

  readings = g_array_sized_new (FALSE, FALSE, sizeof (RlStoreReading),
                                json_array_get_length (items));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject    *r = json_array_get_object_element (items, i);
      const char    *ts = rl_dpp_member_string (r, "timestamp");
      RlStoreReading reading;

      if (r == NULL || ts == NULL || !rl_time_parse_ms (ts, &reading.ts_ms))
        continue;
      reading.fill_level = rl_dpp_member_double (r, "fillLevel");
      reading.weight = rl_dpp_member_double (r, "weight");
      reading.temperature = rl_dpp_member_double (r, "temperature");
      reading.humidity = rl_dpp_member_double (r, "humidity");
      reading.battery_level = rl_dpp_member_double (r, "batteryLevel");
      g_array_append_val (readings, reading);
    }
  /* Written by the core in a worker (not cancelled with the point: what the
   * server sent belongs in the cache either way), then read back. */
  rl_dpp_busy_push (self);
  rl_store_add_readings_async (store, device, (const RlStoreReading *) (gpointer) readings->data,
                               readings->len, NULL, readings_stored_cb,
                               panel_call_new (self, self->readings_generation));
}

static void
readings_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (PanelCall) call = user_data;
  g_autoptr (RlDropPointPanel) self = g_weak_ref_get (&call->self);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) readings = rl_store_get_readings_finish (RL_STORE (source), result, &error);
  const char *device;

  if (self == NULL)
    return;
  rl_dpp_busy_pop (self);
  if (panel_call_is_stale (call, self->readings_generation))
    return;
  if (readings == NULL)
    g_warning ("Cannot read the readings of %s: %s", self->drop_point_id, error->message);
  compute_forecast (self, readings, call->now_ms);

  /* Nothing cached for the last week: ask the server once. */
  device = rl_dpp_member_string (self->record, "deviceId");
  if (device != NULL && self->n_readings == 0 && !self->fetched_readings && rl_dpp_is_online (self))
    {
      g_autoptr (GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_autofree char *path = g_strdup_printf ("/drop-points/%s/readings", self->drop_point_id);

      self->fetched_readings = TRUE;
      g_hash_table_insert (query, (char *) "from", rl_time_format_ms (call->now_ms - HISTORY_MS));
      g_hash_table_insert (query, (char *) "to", rl_time_format_ms (call->now_ms));
      g_hash_table_insert (query, (char *) "limit", g_strdup ("5000"));
      rl_dpp_busy_push (self);
      rl_api_get_async (rl_session_get_api (self->session), path, query, self->cancellable,
                        readings_fetched_cb, rl_weak_call_new (self));
    }
}

/* The last week of the shown bin's readings, then its forecast. */
void
rl_dpp_load_readings (RlDropPointPanel *self)
{
  const char *device = rl_dpp_member_string (self->record, "deviceId");
  RlStore    *store = rl_dpp_get_store (self);

  self->readings_generation++;
  if (device == NULL || store == NULL)
    {
      compute_forecast (self, NULL, rl_time_now_ms ());
      return;
    }
  /* Another bin: never show the last one's chart while this one's loads. */
  if (g_strcmp0 (device, self->readings_device) != 0)
    {
      g_free (self->readings_device);
      self->readings_device = g_strdup (device);
      compute_forecast (self, NULL, rl_time_now_ms ());
    }

  rl_dpp_busy_push (self);
  {
    PanelCall *call = panel_call_new (self, self->readings_generation);

    rl_store_get_readings_async (store, device, call->now_ms - HISTORY_MS, call->now_ms, 0,
                                 call->cancellable, readings_loaded_cb, call);
  }
}

static void
alerts_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (PanelCall) call = user_data;
  g_autoptr (RlDropPointPanel) self = g_weak_ref_get (&call->self);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) alerts = rl_search_alerts_for_point_finish (RL_STORE (source), result,
                                                                    &error);

  if (self == NULL)
    return;
  rl_dpp_busy_pop (self);
  if (panel_call_is_stale (call, self->alerts_generation))
    return;
  if (alerts == NULL)
    {
      g_warning ("Cannot read the alerts of %s: %s", self->drop_point_id, error->message);
      return;
    }
  rl_dpp_show_alerts (self, alerts);
}

void
rl_dpp_load_alerts (RlDropPointPanel *self)
{
  RlStore *store = rl_dpp_get_store (self);

  self->alerts_generation++;
  rl_dpp_show_alerts (self, NULL);
  if (store == NULL || self->drop_point_id == NULL)
    return;
  rl_dpp_busy_push (self);
  rl_search_alerts_for_point_async (store, self->drop_point_id, self->cancellable,
                                    alerts_loaded_cb,
                                    panel_call_new (self, self->alerts_generation));
}

void
rl_dpp_set_record (RlDropPointPanel *self,
                   JsonObject       *record)
{
  g_clear_pointer (&self->record, json_object_unref);
  self->record = record ? json_object_ref (record) : NULL;
  rl_dpp_fill_record (self);
  rl_dpp_load_readings (self);
}

static void
record_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (RlDropPointPanel) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;

  if (!rl_store_put_record_finish (RL_STORE (source), result, &error))
    g_warning ("Cannot cache drop point: %s", error->message);
  if (self != NULL)
    rl_dpp_busy_pop (self);
}

void
rl_dpp_store_record (RlDropPointPanel *self,
                     JsonObject       *record)
{
  RlStore *store = rl_dpp_get_store (self);

  if (store == NULL)
    return;
  /* Not cancelled with the point: what the server said belongs in the cache. */
  rl_dpp_busy_push (self);
  rl_store_put_record_async (store, "drop_point", record, NULL, record_stored_cb,
                             rl_weak_call_new (self));
}

static void
record_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (RlDropPointPanel) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) env = rl_api_request_finish (RL_API (source), result, &error);
  JsonObject *record;

  if (self == NULL)
    return;
  rl_dpp_busy_pop (self);
  if (env == NULL || (record = rl_envelope_get_object (env)) == NULL)
    {
      if (g_error_matches (error, RL_ERROR, RL_ERROR_NOT_FOUND))
        rl_dpp_show_empty (self, _ ("Drop Point Not Found"),
                           _ ("It was deleted on the server"));
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = error ? rl_ui_error_message (error)
                                           : g_strdup (_ ("The server sent no record"));

          rl_dpp_show_empty (self, _ ("Cannot Load the Drop Point"), message);
        }
      return;
    }
  rl_dpp_store_record (self, record);
  rl_dpp_set_record (self, record);
}

static void
record_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (PanelCall) call = user_data;
  g_autoptr (RlDropPointPanel) self = g_weak_ref_get (&call->self);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) record = rl_store_get_record_finish (RL_STORE (source), result, &error);

  if (self == NULL)
    return;
  rl_dpp_busy_pop (self);
  if (panel_call_is_stale (call, self->record_generation))
    return;
  if (record == NULL && !g_error_matches (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND))
    g_warning ("Cannot read drop point %s: %s", self->drop_point_id, error->message);

  rl_dpp_set_record (self, record);
  if (record != NULL)
    rl_dpp_record_reloaded (self);
  else
    self->after_reload = RL_DPP_AFTER_RELOAD_NONE;
  if (record == NULL && !rl_dpp_is_online (self))
    rl_dpp_show_empty (self, _ ("Not in the Offline Cache"),
                       _ ("This drop point has not been synced to this computer yet"));
  else if (record == NULL)
    {
      g_autofree char *path = g_strdup_printf ("/drop-points/%s", self->drop_point_id);

      rl_dpp_show_empty (self, _ ("Loading…"), NULL);
      rl_dpp_busy_push (self);
      rl_api_get_async (rl_session_get_api (self->session), path, NULL, self->cancellable,
                        record_fetched_cb, rl_weak_call_new (self));
    }
}

static void
live_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  static const char *const live[] = {
    "fillLevel",
    "weight",
    "temperature",
    "humidity",
    "batteryLevel",
    "lastReadingAt",
    "isOnline",
  };
  g_autoptr (PanelCall) call = user_data;
  g_autoptr (RlDropPointPanel) self = g_weak_ref_get (&call->self);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) fresh = rl_store_get_record_finish (RL_STORE (source), result, &error);

  if (self == NULL)
    return;
  self->live_in_flight = FALSE;
  if (g_cancellable_is_cancelled (call->cancellable))
    return;
  if (fresh == NULL)
    g_warning ("Cannot read drop point %s: %s", self->drop_point_id, error->message);
  else if (self->record != NULL && call->generation == self->record_generation)
    {
      /* Into the shown record (a parsed, mutable object), so the age ticks
       * on from the new reading; its version (for If-Match), status and
       * notes stay. */
      for (guint i = 0; i < G_N_ELEMENTS (live); i++)
        {
          JsonNode *node = json_object_get_member (fresh, live[i]);

          if (node != NULL)
            json_object_set_member (self->record, live[i], json_node_copy (node));
        }
      rl_dpp_fill_live (self);
    }
  /* Readings arrived while this read ran: once more, for the newest. */
  if (self->live_pending)
    {
      self->live_pending = FALSE;
      rl_drop_point_panel_refresh_live (self);
    }
}

void
rl_drop_point_panel_refresh_live (RlDropPointPanel *self)
{
  RlStore *store;

  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  store = rl_dpp_get_store (self);
  if (store == NULL || self->drop_point_id == NULL || self->record == NULL)
    return;
  /* The feed calls this up to ten times a second: one read at a time. */
  if (self->live_in_flight)
    {
      self->live_pending = TRUE;
      return;
    }
  self->live_in_flight = TRUE;
  rl_store_get_record_async (store, "drop_point", self->drop_point_id, self->cancellable,
                             live_loaded_cb, panel_call_new (self, self->record_generation));
}

void
rl_drop_point_panel_reload (RlDropPointPanel *self)
{
  RlStore *store;

  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  store = rl_dpp_get_store (self);
  self->record_generation++;
  if (store == NULL || self->drop_point_id == NULL)
    {
      rl_dpp_set_record (self, NULL);
      return;
    }
  rl_dpp_busy_push (self);
  rl_store_get_record_async (store, "drop_point", self->drop_point_id, self->cancellable,
                             record_loaded_cb, panel_call_new (self, self->record_generation));
}
