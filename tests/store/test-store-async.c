/* test-store-async.c — the cache read and written in worker threads:
 * rl-store-async.h, rl_dispatch_build_async, rl-search-async.h.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each call is checked against its synchronous twin on the same file, then
 * cancelled (before it starts and while it runs: G_IO_ERROR_CANCELLED) and
 * pointed at a file that cannot be opened (the store's RL_STORE_ERROR).
 */
#include "config.h"

#include <math.h>

#include <glib/gstdio.h>

#include "rl-dispatch.h"
#include "rl-search-async.h"
#include "rl-store-async.h"
#include "rl-time.h"

#define MIN_MS (G_GINT64_CONSTANT (60) * 1000)
#define HOUR_MS (60 * MIN_MS)
/* Saturday 2026-11-21 00:00:00 UTC */
#define T0_MS (G_GINT64_CONSTANT (1795219200) * 1000)
#define NOW_MS (T0_MS + 12 * HOUR_MS)
#define STALE_MS (10 * MIN_MS)

/* ---- Helpers -------------------------------------------------------------- */

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

/* Runs the default main context until the call's callback ran. */
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (slot);
}

static void
upsert (RlStoreBatch *batch,
        const char   *entity,
        const char   *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (rl_store_batch_upsert (batch, entity, json_node_get_object (node), &error));
  g_assert_no_error (error);
}

static char *
iso (gint64 ms)
{
  return rl_time_format_ms (ms);
}

/* Five drop points, one of each kind the map draws differently, plus one
 * without a location (not drawn), an open alert, and 12 h of readings of
 * bin-1 filling at 5 %/h. */
static RlStore *
fleet (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("%s.sqlite", name);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "async", file, NULL);
  g_autofree char *recent = iso (NOW_MS - MIN_MS);
  g_autofree char *old = iso (NOW_MS - 2 * HOUR_MS);
  g_autoptr (RlStoreBatch) batch = NULL;
  g_autofree char *dp1 = NULL, *dp2 = NULL, *dp3 = NULL, *dp4 = NULL;
  RlStore         *store = rl_store_open (path, &error);

  g_assert_no_error (error);
  batch = rl_store_batch_begin (store, &error);
  g_assert_no_error (error);
  dp1 = g_strdup_printf (
      "{\"id\":\"dp-1\",\"name\":\"Thamel Chowk\",\"address\":\"Thamel, Kathmandu\","
      "\"latitude\":27.7154,\"longitude\":85.3123,\"status\":\"active\",\"deviceId\":\"bin-1\","
      "\"categories\":[\"PLASTIC\"],\"fillLevel\":60.0,\"isOnline\":true,"
      "\"lastReadingAt\":\"%s\",\"version\":1}",
      recent);
  dp2 = g_strdup_printf (
      "{\"id\":\"dp-2\",\"name\":\"Asan Tole\",\"address\":\"Asan\",\"latitude\":27.7066,"
      "\"longitude\":85.3105,\"status\":\"maintenance\",\"deviceId\":\"bin-2\","
      "\"fillLevel\":10.0,\"isOnline\":false,\"lastReadingAt\":\"%s\",\"version\":1}",
      recent);
  dp3 = g_strdup_printf (
      "{\"id\":\"dp-3\",\"name\":\"Patan Gate\",\"address\":\"Lalitpur\",\"latitude\":27.6727,"
      "\"longitude\":85.3253,\"status\":\"active\",\"deviceId\":\"bin-3\",\"fillLevel\":91.0,"
      "\"isOnline\":true,\"lastReadingAt\":\"%s\",\"version\":1}",
      old);
  dp4 = g_strdup_printf (
      "{\"id\":\"dp-4\",\"name\":\"Old Depot\",\"address\":\"Kalimati\",\"latitude\":27.698,"
      "\"longitude\":85.296,\"status\":\"retired\",\"deviceId\":\"bin-4\",\"fillLevel\":5.0,"
      "\"isOnline\":true,\"lastReadingAt\":\"%s\",\"version\":1}",
      recent);
  upsert (batch, "drop_point", dp1);
  upsert (batch, "drop_point", dp2);
  upsert (batch, "drop_point", dp3);
  upsert (batch, "drop_point", dp4);
  upsert (batch, "drop_point",
          "{\"id\":\"dp-5\",\"name\":\"Ratna Park\",\"address\":\"Kathmandu\","
          "\"latitude\":27.705,\"longitude\":85.315,\"status\":\"active\",\"deviceId\":null,"
          "\"version\":1}");
  upsert (batch, "drop_point",
          "{\"id\":\"dp-6\",\"name\":\"Nowhere\",\"status\":\"active\",\"deviceId\":null,"
          "\"version\":1}");
  upsert (batch, "alert",
          "{\"id\":\"al-1\",\"dropPointId\":\"dp-1\",\"deviceId\":\"bin-1\",\"type\":\"FULL\","
          "\"severity\":\"HIGH\",\"status\":\"open\",\"message\":\"Bin is full\","
          "\"createdAt\":\"2026-11-21T11:00:00.000Z\",\"version\":1}");
  for (gint64 t = 0; t <= 12 * HOUR_MS; t += 15 * MIN_MS)
    g_assert_cmpint (rl_store_batch_add_reading (batch, "bin-1", T0_MS + t,
                                                 20.0 + 5.0 * (double) t / HOUR_MS, NAN, NAN, NAN,
                                                 NAN, &error),
                     ==, RL_STORE_READING_ADDED);
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  return store;
}

/* A store whose file cannot be opened again: its folder became a file. */
static RlStore *
unopenable (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "gone", NULL);
  g_autofree char *path = g_build_filename (dir, "gone.sqlite", NULL);
  g_autofree char *moved = g_build_filename (g_get_user_data_dir (), "gone-moved", NULL);
  RlStore         *store = rl_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (g_rename (dir, moved), ==, 0);
  g_assert_true (g_file_set_contents (dir, "not a folder", -1, &error));
  g_assert_no_error (error);
  return store;
}

static GCancellable *
cancelled (void)
{
  GCancellable *cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  return cancellable;
}

/* ---- Drop points for the map ------------------------------------------------ */

static void
test_drop_points (void)
{
  g_autoptr (RlStore) store = fleet ("drop-points");
  g_autoptr (GError) error = NULL;
  g_autoptr (RlDropPoints) sync = NULL;
  g_autoptr (RlDropPoints) points = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  rl_store_load_drop_points_async (store, NOW_MS, STALE_MS, NULL, result_cb, &slot);
  result = wait_result (&slot);
  points = rl_store_load_drop_points_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (points);

  /* dp-6 has no location: not there. Ordered by id. */
  g_assert_cmpuint (points->n, ==, 5);
  for (guint i = 0; i < points->n; i++)
    {
      g_autofree char *id = g_strdup_printf ("dp-%u", i + 1);

      g_assert_cmpstr (points->ids[i], ==, id);
    }
  g_assert_cmpstr (points->names[0], ==, "Thamel Chowk");
  g_assert_cmpfloat (points->latitudes[0], ==, 27.7154);
  g_assert_cmpfloat (points->longitudes[2], ==, 85.3253);
  g_assert_cmpfloat (points->fill_levels[0], ==, 60.0);
  /* dp-1's bin has an open alert in the cache: marked from the start (the
   * feed keeps the mark afterwards, docs/battery.md "Alert marks"). */
  g_assert_cmpint (points->flags[0], ==, RL_DROP_POINT_ALERT);
  g_assert_cmpint (points->flags[1], ==, RL_DROP_POINT_MAINTENANCE | RL_DROP_POINT_OFFLINE);
  g_assert_cmpint (points->flags[2], ==, RL_DROP_POINT_STALE);
  g_assert_cmpint (points->flags[3], ==, RL_DROP_POINT_RETIRED);
  /* No smart bin: no fill level, neither offline nor stale. */
  g_assert_true (isnan (points->fill_levels[4]));
  g_assert_cmpint (points->flags[4], ==, 0);
  g_assert_cmpint (points->last_reading_ms[0], ==, NOW_MS - MIN_MS);

  /* The same as a read on the caller's own connection. */
  sync = rl_store_load_drop_points (store, NOW_MS, STALE_MS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sync->n, ==, points->n);
  for (guint i = 0; i < points->n; i++)
    {
      g_assert_cmpstr (sync->ids[i], ==, points->ids[i]);
      g_assert_cmpint (sync->flags[i], ==, points->flags[i]);
    }
}

/* Cancelled before the thread ran, and right after it started: both end in
 * G_IO_ERROR_CANCELLED, whatever the thread got done. */
static void
test_drop_points_cancelled (void)
{
  g_autoptr (RlStore) store = fleet ("drop-points-cancel");
  g_autoptr (GCancellable) before = cancelled ();
  g_autoptr (GCancellable) during = g_cancellable_new ();
  GAsyncResult *slot = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (RlDropPoints) points = NULL;

      rl_store_load_drop_points_async (store, NOW_MS, STALE_MS, i == 0 ? before : during,
                                       result_cb, &slot);
      if (i == 1)
        g_cancellable_cancel (during);
      result = wait_result (&slot);
      points = rl_store_load_drop_points_finish (store, result, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_null (points);
    }
}

static void
test_drop_points_cannot_open (void)
{
  g_autoptr (RlStore) store = unopenable ();
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (RlDropPoints) points = NULL;

  rl_store_load_drop_points_async (store, NOW_MS, STALE_MS, NULL, result_cb, &slot);
  result = wait_result (&slot);
  points = rl_store_load_drop_points_finish (store, result, &error);
  g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_OPEN);
  g_assert_null (points);
}

/* ---- Records and readings ------------------------------------------------------ */

static void
test_record (void)
{
  g_autoptr (RlStore) store = fleet ("record");
  GAsyncResult *slot = NULL;

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (JsonObject) record = NULL;

    rl_store_get_record_async (store, "drop_point", "dp-2", NULL, result_cb, &slot);
    result = wait_result (&slot);
    record = rl_store_get_record_finish (store, result, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (record, "name"), ==, "Asan Tole");
    g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "maintenance");
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (JsonObject) record = NULL;

    rl_store_get_record_async (store, "drop_point", "dp-404", NULL, result_cb, &slot);
    result = wait_result (&slot);
    record = rl_store_get_record_finish (store, result, &error);
    g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND);
    g_assert_null (record);
  }
}

/* A record written through a worker is what a read gives back. */
static void
test_put_record (void)
{
  g_autoptr (RlStore) store = fleet ("put-record");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string ("{\"id\":\"dp-7\",\"name\":\"Boudha Stupa\","
                                                "\"latitude\":27.7215,\"longitude\":85.362,"
                                                "\"status\":\"active\",\"version\":3}",
                                                &error);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonObject) cached = NULL;
  GAsyncResult *slot = NULL;

  g_assert_no_error (error);
  rl_store_put_record_async (store, "drop_point", json_node_get_object (node), NULL, result_cb,
                             &slot);
  result = wait_result (&slot);
  g_assert_true (rl_store_put_record_finish (store, result, &error));
  g_assert_no_error (error);

  cached = rl_store_get_record (store, "drop_point", "dp-7", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (cached, "name"), ==, "Boudha Stupa");
  g_assert_cmpint (json_object_get_int_member (cached, "version"), ==, 3);
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 7);
}

static void
test_readings (void)
{
  g_autoptr (RlStore) store = fleet ("readings");
  GAsyncResult  *slot = NULL;
  RlStoreReading added[] = {
    { T0_MS - 2 * HOUR_MS, 30.0, 12.5, 21.0, 40.0, 90.0 },
    { T0_MS - HOUR_MS, 35.0, NAN, NAN, NAN, NAN },
    { T0_MS, 99.0, NAN, NAN, NAN, NAN }, /* already stored (20 %): skipped */
  };

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;

    rl_store_add_readings_async (store, "bin-1", added, G_N_ELEMENTS (added), NULL, result_cb,
                                 &slot);
    result = wait_result (&slot);
    g_assert_true (rl_store_add_readings_finish (store, result, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (JsonArray) readings = NULL;
    g_autoptr (JsonArray) sync = NULL;
    JsonObject *first;

    rl_store_get_readings_async (store, "bin-1", T0_MS - 3 * HOUR_MS, T0_MS, 0, NULL, result_cb,
                                 &slot);
    result = wait_result (&slot);
    readings = rl_store_get_readings_finish (store, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (readings), ==, 3);
    first = json_array_get_object_element (readings, 0);
    g_assert_cmpfloat (json_object_get_double_member (first, "fillLevel"), ==, 30.0);
    g_assert_cmpfloat (json_object_get_double_member (first, "weight"), ==, 12.5);
    g_assert_true (json_object_get_null_member (json_array_get_object_element (readings, 1),
                                                "weight"));
    g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (readings, 2),
                                                      "fillLevel"),
                       ==, 20.0);

    sync = rl_store_get_readings (store, "bin-1", T0_MS - 3 * HOUR_MS, T0_MS, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (sync), ==, json_array_get_length (readings));
  }
}

/* Each call, cancelled before it ran, writes and returns nothing. */
static void
test_records_cancelled (void)
{
  g_autoptr (RlStore) store = fleet ("records-cancel");
  g_autoptr (GCancellable) cancellable = cancelled ();
  g_autoptr (JsonNode) node = json_from_string ("{\"id\":\"dp-8\",\"version\":1}", NULL);
  RlStoreReading reading = { T0_MS - 5 * HOUR_MS, 1.0, NAN, NAN, NAN, NAN };
  GAsyncResult  *slot = NULL;

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (JsonObject) record = NULL;

    rl_store_get_record_async (store, "drop_point", "dp-1", cancellable, result_cb, &slot);
    result = wait_result (&slot);
    record = rl_store_get_record_finish (store, result, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (record);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (JsonArray) readings = NULL;

    rl_store_get_readings_async (store, "bin-1", 0, NOW_MS, 0, cancellable, result_cb, &slot);
    result = wait_result (&slot);
    readings = rl_store_get_readings_finish (store, result, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (readings);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;

    rl_store_put_record_async (store, "drop_point", json_node_get_object (node), cancellable,
                               result_cb, &slot);
    result = wait_result (&slot);
    g_assert_false (rl_store_put_record_finish (store, result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;

    rl_store_add_readings_async (store, "bin-1", &reading, 1, cancellable, result_cb, &slot);
    result = wait_result (&slot);
    g_assert_false (rl_store_add_readings_finish (store, result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  /* Nothing was written. */
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 6);
  g_assert_cmpint (rl_store_count (store, "reading"), ==, 49);
}

static void
test_records_cannot_open (void)
{
  g_autoptr (RlStore) store = unopenable ();
  g_autoptr (JsonNode) node = json_from_string ("{\"id\":\"dp-8\",\"version\":1}", NULL);
  RlStoreReading reading = { T0_MS, 1.0, NAN, NAN, NAN, NAN };
  GAsyncResult  *slot = NULL;

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (JsonObject) record = NULL;

    rl_store_get_record_async (store, "drop_point", "dp-1", NULL, result_cb, &slot);
    result = wait_result (&slot);
    record = rl_store_get_record_finish (store, result, &error);
    g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_OPEN);
    g_assert_null (record);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (JsonArray) readings = NULL;

    rl_store_get_readings_async (store, "bin-1", 0, NOW_MS, 0, NULL, result_cb, &slot);
    result = wait_result (&slot);
    readings = rl_store_get_readings_finish (store, result, &error);
    g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_OPEN);
    g_assert_null (readings);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;

    rl_store_put_record_async (store, "drop_point", json_node_get_object (node), NULL, result_cb,
                               &slot);
    result = wait_result (&slot);
    g_assert_false (rl_store_put_record_finish (store, result, &error));
    g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_OPEN);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;

    rl_store_add_readings_async (store, "bin-1", &reading, 1, NULL, result_cb, &slot);
    result = wait_result (&slot);
    g_assert_false (rl_store_add_readings_finish (store, result, &error));
    g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_OPEN);
  }
}

/* ---- Dispatch list --------------------------------------------------------------- */

static void
test_dispatch (void)
{
  g_autoptr (RlStore) store = fleet ("dispatch");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) sync = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult     *slot = NULL;
  RlForecastOptions options;
  gint64            from, to;

  rl_forecast_options_init (&options);
  rl_dispatch_window_range (RL_DISPATCH_HOURS, 48, NOW_MS, 0, &from, &to);
  rl_dispatch_build_async (store, NOW_MS, from, to, &options, NULL, result_cb, &slot);
  /* The options were copied: changing ours changes nothing now. */
  options.threshold = 1.0;
  result = wait_result (&slot);
  rows = rl_dispatch_build_finish (store, result, &error);
  g_assert_no_error (error);

  rl_forecast_options_init (&options);
  sync = rl_dispatch_build (store, NOW_MS, from, to, &options, NULL, &error);
  g_assert_no_error (error);
  /* bin-1 (80 % now, +5 %/h) is predicted full within the window; the
   * other bins have no readings to forecast from. */
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((RlDispatchRow *) g_ptr_array_index (rows, 0))->id, ==, "dp-1");
  g_assert_cmpint (((RlDispatchRow *) g_ptr_array_index (rows, 0))->forecast.status, ==,
                   RL_FORECAST_PREDICTED);
  g_assert_cmpuint (rows->len, ==, sync->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const RlDispatchRow *a = g_ptr_array_index (rows, i);
      const RlDispatchRow *b = g_ptr_array_index (sync, i);

      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpint (a->forecast.status, ==, b->forecast.status);
      g_assert_cmpint (a->forecast.full_at_ms, ==, b->forecast.full_at_ms);
    }
}

static void
test_dispatch_cancelled_and_unopenable (void)
{
  g_autoptr (RlStore) store = fleet ("dispatch-cancel");
  g_autoptr (RlStore) gone = unopenable ();
  g_autoptr (GCancellable) cancellable = cancelled ();
  GAsyncResult     *slot = NULL;
  RlForecastOptions options;

  rl_forecast_options_init (&options);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GPtrArray) rows = NULL;

    rl_dispatch_build_async (store, NOW_MS, G_MININT64, G_MAXINT64, &options, cancellable,
                             result_cb, &slot);
    result = wait_result (&slot);
    rows = rl_dispatch_build_finish (store, result, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (rows);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GPtrArray) rows = NULL;

    rl_dispatch_build_async (gone, NOW_MS, G_MININT64, G_MAXINT64, &options, NULL, result_cb,
                             &slot);
    result = wait_result (&slot);
    rows = rl_dispatch_build_finish (gone, result, &error);
    g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_OPEN);
    g_assert_null (rows);
  }
}

/* ---- Search ------------------------------------------------------------------------ */

static void
test_search (void)
{
  g_autoptr (RlStore) store = fleet ("search");
  GAsyncResult  *slot = NULL;
  RlSearchFilter filter = { 0 };

  /* A query: every match, and the details of the first ones. */
  filter.query = (char *) "a";
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (RlSearchResult) found = NULL;
    g_autoptr (GPtrArray) sync = NULL;
    const RlSearchHit *hit;

    rl_search_query_async (store, &filter, NOW_MS, 2, NULL, result_cb, &slot);
    result = wait_result (&slot);
    found = rl_search_query_finish (store, result, &error);
    g_assert_no_error (error);

    sync = rl_search_run (store, &filter, NOW_MS, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->ids->len, ==, sync->len);
    g_assert_cmpuint (found->ids->len, >, 2);
    for (guint i = 0; i < sync->len; i++)
      g_assert_cmpstr (g_ptr_array_index (found->ids, i), ==, g_ptr_array_index (sync, i));

    g_assert_cmpuint (found->hits->len, ==, 2);
    for (guint i = 0; i < found->hits->len; i++)
      {
        hit = g_ptr_array_index (found->hits, i);
        g_assert_cmpstr (hit->id, ==, g_ptr_array_index (found->ids, i));
      }
  }

  /* Filters only, no hits asked for; the details of a hit. */
  filter.query = (char *) "Asan";
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (RlSearchResult) found = NULL;
    const RlSearchHit *hit;

    rl_search_query_async (store, &filter, NOW_MS, 50, NULL, result_cb, &slot);
    result = wait_result (&slot);
    found = rl_search_query_finish (store, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->ids->len, ==, 1);
    g_assert_cmpuint (found->hits->len, ==, 1);
    hit = g_ptr_array_index (found->hits, 0);
    g_assert_cmpstr (hit->id, ==, "dp-2");
    g_assert_cmpstr (hit->name, ==, "Asan Tole");
    g_assert_cmpstr (hit->address, ==, "Asan");
    g_assert_cmpuint (hit->status, ==, RL_POINT_STATUS_MAINTENANCE);
    g_assert_true (hit->has_device);
    g_assert_cmpuint (hit->link, ==, RL_LINK_OFFLINE);
    g_assert_cmpfloat (hit->fill_level, ==, 10.0);
  }
  filter.query = NULL;
  filter.statuses = RL_POINT_STATUS_ACTIVE;
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (RlSearchResult) found = NULL;

    rl_search_query_async (store, &filter, NOW_MS, 0, NULL, result_cb, &slot);
    result = wait_result (&slot);
    found = rl_search_query_finish (store, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->ids->len, ==, 4); /* dp-1, dp-3, dp-5, dp-6 */
    g_assert_cmpuint (found->hits->len, ==, 0);
  }
}

static void
test_alerts_for_point (void)
{
  g_autoptr (RlStore) store = fleet ("alerts");
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonArray) alerts = NULL;
  GAsyncResult *slot = NULL;

  rl_search_alerts_for_point_async (store, "dp-1", NULL, result_cb, &slot);
  result = wait_result (&slot);
  alerts = rl_search_alerts_for_point_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (alerts), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (alerts, 0), "id"),
                   ==, "al-1");
}

static void
test_search_cancelled_and_unopenable (void)
{
  g_autoptr (RlStore) store = fleet ("search-cancel");
  g_autoptr (RlStore) gone = unopenable ();
  g_autoptr (GCancellable) cancellable = cancelled ();
  RlSearchFilter filter = { 0 };
  GAsyncResult  *slot = NULL;

  for (guint i = 0; i < 2; i++)
    {
      RlStore *target = i == 0 ? store : gone;
      g_autoptr (GError) error = NULL;
      g_autoptr (GError) alerts_error = NULL;
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (GAsyncResult) alerts_result = NULL;
      g_autoptr (RlSearchResult) found = NULL;
      g_autoptr (JsonArray) alerts = NULL;

      rl_search_query_async (target, &filter, NOW_MS, 10, i == 0 ? cancellable : NULL, result_cb,
                             &slot);
      result = wait_result (&slot);
      found = rl_search_query_finish (target, result, &error);
      g_assert_null (found);

      rl_search_alerts_for_point_async (target, "dp-1", i == 0 ? cancellable : NULL, result_cb,
                                        &slot);
      alerts_result = wait_result (&slot);
      alerts = rl_search_alerts_for_point_finish (target, alerts_result, &alerts_error);
      g_assert_null (alerts);

      if (i == 0)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_error (alerts_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
        }
      else
        {
          g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_OPEN);
          g_assert_error (alerts_error, RL_STORE_ERROR, RL_STORE_ERROR_OPEN);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store-async/drop-points/load", test_drop_points);
  g_test_add_func ("/store-async/drop-points/cancelled", test_drop_points_cancelled);
  g_test_add_func ("/store-async/drop-points/cannot-open", test_drop_points_cannot_open);
  g_test_add_func ("/store-async/record/get", test_record);
  g_test_add_func ("/store-async/record/put", test_put_record);
  g_test_add_func ("/store-async/readings/add-and-get", test_readings);
  g_test_add_func ("/store-async/records/cancelled", test_records_cancelled);
  g_test_add_func ("/store-async/records/cannot-open", test_records_cannot_open);
  g_test_add_func ("/store-async/dispatch/build", test_dispatch);
  g_test_add_func ("/store-async/dispatch/cancelled-and-cannot-open",
                   test_dispatch_cancelled_and_unopenable);
  g_test_add_func ("/store-async/search/query", test_search);
  g_test_add_func ("/store-async/search/alerts-for-point", test_alerts_for_point);
  g_test_add_func ("/store-async/search/cancelled-and-cannot-open",
                   test_search_cancelled_and_unopenable);

  return g_test_run ();
}
