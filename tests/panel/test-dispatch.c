/* test-dispatch.c — the dispatch list from the store, windows, CSV export.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "rl-dispatch.h"
#include "rl-record-list.h"
#include "rl-test-util.h"
#include "rl-time.h"

#define MIN_MS (G_GINT64_CONSTANT (60) * 1000)
#define HOUR_MS (60 * MIN_MS)
/* Saturday 2026-11-21 00:00:00 UTC */
#define T0_MS (G_GINT64_CONSTANT (1795219200) * 1000)
#define NOW_MS (T0_MS + 12 * HOUR_MS)
#define NEPAL_S (5 * 3600 + 45 * 60)

static void
test_windows (void)
{
  gint64 from, to;
  /* 12:00 UTC is 17:45 in Kathmandu: local midnight is 18:15 UTC */
  rl_dispatch_window_range (RL_DISPATCH_TODAY, 0, NOW_MS, NEPAL_S, &from, &to);
  g_assert_cmpint (from, ==, G_MININT64);
  g_assert_cmpint (to, ==, T0_MS + 18 * HOUR_MS + 15 * MIN_MS);
  rl_dispatch_window_range (RL_DISPATCH_TOMORROW, 0, NOW_MS, NEPAL_S, &from, &to);
  g_assert_cmpint (from, ==, T0_MS + 18 * HOUR_MS + 15 * MIN_MS);
  g_assert_cmpint (to, ==, T0_MS + 42 * HOUR_MS + 15 * MIN_MS);
  rl_dispatch_window_range (RL_DISPATCH_HOURS, 6, NOW_MS, NEPAL_S, &from, &to);
  g_assert_cmpint (to, ==, NOW_MS + 6 * HOUR_MS);
  /* UTC */
  rl_dispatch_window_range (RL_DISPATCH_TODAY, 0, NOW_MS, 0, &from, &to);
  g_assert_cmpint (to, ==, T0_MS + 24 * HOUR_MS);
}

static void
upsert (RlStoreBatch *batch,
        const char   *json)
{
  rl_test_batch_upsert (batch, "drop_point", json);
}

/* 12 h of readings every 15 min ending at NOW_MS: start + rate·h. */
static void
readings (RlStoreBatch *batch,
          const char   *device,
          double        start,
          double        rate)
{
  g_autoptr (GError) error = NULL;

  for (gint64 t = 0; t <= 12 * HOUR_MS; t += 15 * MIN_MS)
    g_assert_cmpint (rl_store_batch_add_reading (batch, device, T0_MS + t,
                                                 start + rate * (double) t / HOUR_MS,
                                                 NAN, NAN, NAN, NAN, &error),
                     ==, RL_STORE_READING_ADDED);
}

static RlStore *
fleet (void)
{
  g_autoptr (GError) error = NULL;
  RlStore *store = rl_test_store_open ("dispatch.sqlite");
  g_autoptr (RlStoreBatch) batch = NULL;

  batch = rl_store_batch_begin (store, &error);
  g_assert_no_error (error);
  upsert (
      batch,
      "{\"id\":\"dp-1\",\"name\":\"Ward 5, \\\"New\\\" Road\",\"address\":\"New Road, Kathmandu\","
      "\"latitude\":27.70,\"longitude\":85.31,\"status\":\"active\",\"deviceId\":\"bin-1\","
      "\"fillLevel\":41.0,\"isOnline\":true,\"version\":1}");
  upsert (batch,
          "{\"id\":\"dp-2\",\"name\":\"पाटन दरबार\",\"address\":\"मङ्गल बजार, ललितपुर\","
          "\"latitude\":27.67,\"longitude\":85.32,\"status\":\"active\",\"deviceId\":\"bin-2\","
          "\"fillLevel\":65.0,\"isOnline\":true,\"version\":1}");
  upsert (batch,
          "{\"id\":\"dp-3\",\"name\":\"Flat\",\"address\":\"Nowhere\",\"latitude\":27.6,"
          "\"longitude\":85.3,\"status\":\"active\",\"deviceId\":\"bin-3\",\"fillLevel\":20.0,"
          "\"isOnline\":true,\"version\":1}");
  upsert (batch,
          "{\"id\":\"dp-4\",\"name\":\"Retired\",\"address\":\"Old\",\"latitude\":27.6,"
          "\"longitude\":85.3,\"status\":\"retired\",\"deviceId\":\"bin-4\",\"fillLevel\":65.0,"
          "\"isOnline\":true,\"version\":1}");
  upsert (batch, "{\"id\":\"dp-5\",\"name\":\"No bin\",\"address\":\"Anywhere\",\"latitude\":27.6,"
                 "\"longitude\":85.3,\"status\":\"active\",\"deviceId\":null,\"version\":1}");
  upsert (batch,
          "{\"id\":\"dp-6\",\"name\":\"Full already\",\"address\":\"Asan\",\"latitude\":27.6,"
          "\"longitude\":85.3,\"status\":\"maintenance\",\"deviceId\":\"bin-6\",\"fillLevel\":92.0,"
          "\"isOnline\":true,\"version\":1}");
  readings (batch, "bin-1", 5, 3.0);  /* 41 % now, full in 14.7 h */
  readings (batch, "bin-2", 5, 5.0);  /* 65 % now, full in 4 h */
  readings (batch, "bin-3", 20, 0.0); /* flat: no forecast */
  readings (batch, "bin-4", 5, 5.0);  /* retired: never listed */
  readings (batch, "bin-6", 80, 1.0); /* 92 %: full now */
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  return store;
}

static void
check_row_matches_forecast (RlStore             *store,
                            const RlDispatchRow *row)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) r = rl_store_get_readings (store, row->device_id, NOW_MS - 7 * 24 * HOUR_MS,
                                                   NOW_MS, 0, &error);
  g_autofree RlFillSample *s = NULL;
  gsize                    n;
  RlForecast               f;

  g_assert_no_error (error);
  s = rl_forecast_samples_from_readings (r, &n);
  rl_forecast_compute (s, n, NOW_MS, NULL, &f);
  g_assert_cmpint (f.status, ==, row->forecast.status);
  g_assert_cmpint (f.full_at_ms, ==, row->forecast.full_at_ms);
  g_assert_cmpint (f.earliest_ms, ==, row->forecast.earliest_ms);
  g_assert_cmpint (f.latest_ms, ==, row->forecast.latest_ms);
}

static void
test_build (void)
{
  g_autoptr (RlStore) store = fleet ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  const RlDispatchRow *row;
  gint64               from, to;

  rl_dispatch_window_range (RL_DISPATCH_HOURS, 24, NOW_MS, 0, &from, &to);
  rows = rl_dispatch_build (store, NOW_MS, from, to, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->id, ==, "dp-6");
  g_assert_cmpint (row->forecast.status, ==, RL_FORECAST_NOW);
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (row->id, ==, "dp-2");
  g_assert_cmpint (llabs (row->forecast.full_at_ms - (NOW_MS + 4 * HOUR_MS)), <, MIN_MS);
  row = g_ptr_array_index (rows, 2);
  g_assert_cmpstr (row->id, ==, "dp-1");
  g_assert_cmpint (llabs (row->forecast.full_at_ms - (NOW_MS + 44 * HOUR_MS / 3)), <, MIN_MS);
  for (guint i = 0; i < rows->len; i++)
    check_row_matches_forecast (store, g_ptr_array_index (rows, i));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* the next 6 hours: dp-1 (14.7 h) drops out */
  rl_dispatch_window_range (RL_DISPATCH_HOURS, 6, NOW_MS, 0, &from, &to);
  rows = rl_dispatch_build (store, NOW_MS, from, to, NULL, NULL, &error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* a cancelled build stops and says so */
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GError) cancel_error = NULL;

    g_cancellable_cancel (cancellable);
    g_assert_null (rl_dispatch_build (store, NOW_MS, from, to, NULL, cancellable, &cancel_error));
    g_assert_error (cancel_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  /* tomorrow (UTC) 00:00-24:00: only dp-1 (Sunday 02:40) */
  rl_dispatch_window_range (RL_DISPATCH_TOMORROW, 0, NOW_MS, 0, &from, &to);
  rows = rl_dispatch_build (store, NOW_MS, from, to, NULL, NULL, &error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((RlDispatchRow *) g_ptr_array_index (rows, 0))->id, ==, "dp-1");
}

static gboolean
list_loaded (gpointer data)
{
  return !rl_record_list_get_loading (data)
         && g_list_model_get_n_items (G_LIST_MODEL (data)) == 3;
}

static char *
item_string (GListModel *list,
             guint       position,
             const char *property)
{
  g_autoptr (GObject) item = g_list_model_get_item (list, position);
  char *value = NULL;

  g_object_get (item, property, &value, NULL);
  return value;
}

static gint64
item_int (GListModel *list,
          guint       position,
          const char *property)
{
  g_autoptr (GObject) item = g_list_model_get_item (list, position);
  gint64 value = 0;

  g_object_get (item, property, &value, NULL);
  return value;
}

static gboolean
dp1_full_now (gpointer data)
{
  GListModel *list = data;

  if (rl_record_list_get_loading (data) || g_list_model_get_n_items (list) != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = item_string (list, i, "drop-point-id");

      if (g_strcmp0 (id, "dp-1") == 0)
        return item_int (list, i, "forecast-status") == RL_FORECAST_NOW;
    }
  return FALSE;
}

/* The stored forecasts as a list model sorted in SQL (RL_LIST_KIND_DISPATCH),
 * and a reading from the feed: the bin's summary catches up and the list
 * follows. */
static void
test_list_model (void)
{
  g_autoptr (RlStore) store = fleet ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (RlRecordList) list = NULL;
  gint64 from, to;

  rl_dispatch_window_range (RL_DISPATCH_HOURS, 24, NOW_MS, 0, &from, &to);
  rows = rl_dispatch_build (store, NOW_MS, from, to, NULL, NULL, &error);
  g_assert_no_error (error);

  list = rl_record_list_new (store, RL_LIST_KIND_DISPATCH);
  rl_record_list_set_range (list, "full-at", from, to - 1);
  g_assert_true (rl_test_wait_until (list_loaded, list, 10000));
  for (guint i = 0; i < rows->len; i++)
    {
      const RlDispatchRow *row = g_ptr_array_index (rows, i);
      g_autofree char     *id = item_string (G_LIST_MODEL (list), i, "drop-point-id");

      g_assert_cmpstr (id, ==, row->id);
      g_assert_cmpint (item_int (G_LIST_MODEL (list), i, "full-at"), ==, row->forecast.full_at_ms);
    }

  /* bin-1 reads 90 % a quarter of an hour later (the feed's writer). */
  {
    g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);

    g_assert_no_error (error);
    g_assert_cmpint (rl_store_batch_add_reading (batch, "bin-1", NOW_MS + 15 * MIN_MS, 90, NAN,
                                                 NAN, NAN, NAN, &error),
                     ==, RL_STORE_READING_ADDED);
    g_assert_cmpint (rl_store_batch_update_telemetry (batch, "bin-1", NOW_MS + 15 * MIN_MS, 90,
                                                      NAN, NAN, NAN, NAN, &error),
                     ==, 1);
    g_assert_true (rl_store_batch_commit (batch, &error));
  }
  g_assert_false (dp1_full_now (list));
  g_assert_true (rl_dispatch_state_update (store, NOW_MS + 15 * MIN_MS, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait_until (dp1_full_now, list, 10000));
  /* dp-6 full at its last reading (NOW_MS), dp-1 now (15 min later), dp-2
   * predicted in 4 h. */
  {
    g_autofree char *first = item_string (G_LIST_MODEL (list), 0, "drop-point-id");
    g_autofree char *second = item_string (G_LIST_MODEL (list), 1, "drop-point-id");
    g_autofree char *third = item_string (G_LIST_MODEL (list), 2, "drop-point-id");

    g_assert_cmpstr (first, ==, "dp-6");
    g_assert_cmpstr (second, ==, "dp-1");
    g_assert_cmpstr (third, ==, "dp-2");
  }
}

/* A small RFC 4180 reader, to check the writer from the other side. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray  *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray  *fields = g_ptr_array_new_with_free_func (g_free);
  GString    *field = g_string_new (NULL);
  const char *p = text;

  while (*p)
    {
      if (*p == '"')
        {
          for (p++; *p; p++)
            {
              if (*p == '"' && p[1] == '"')
                g_string_append_c (field, *p++);
              else if (*p == '"')
                break;
              else
                g_string_append_c (field, *p);
            }
          g_assert_true (*p == '"');
          p++;
          continue;
        }
      if (*p == ',')
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          p++;
          continue;
        }
      if (*p == '\r')
        {
          g_assert_true (p[1] == '\n');
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (records, fields);
          fields = g_ptr_array_new_with_free_func (g_free);
          p += 2;
          continue;
        }
      g_assert_true (*p != '\n'); /* bare LF only inside quotes */
      g_string_append_c (field, *p++);
    }
  g_assert_cmpuint (fields->len, ==, 0); /* the last record ends with CRLF */
  g_ptr_array_unref (fields);
  g_string_free (field, TRUE);
  return records;
}

#define FIELD(rec, i) ((const char *) g_ptr_array_index ((GPtrArray *) (rec), (i)))

static void
test_csv (void)
{
  g_autoptr (RlStore) store = fleet ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *expect_time = NULL;
  gint64           from, to, ms;
  GPtrArray       *rec;

  rl_dispatch_window_range (RL_DISPATCH_HOURS, 24, NOW_MS, 0, &from, &to);
  rows = rl_dispatch_build (store, NOW_MS, from, to, NULL, NULL, &error);
  g_assert_no_error (error);
  csv = rl_dispatch_to_csv (rows);
  g_assert_true (g_utf8_validate (csv, -1, NULL));
  g_assert_true (
      g_str_has_prefix (csv, "id,name,address,fill,predicted_full_at,earliest,latest,status\r\n"));
  /* the Devanagari name is written byte for byte; its address has a comma */
  g_assert_nonnull (strstr (csv, "\r\ndp-2,पाटन दरबार,\"मङ्गल बजार, ललितपुर\",65.0,"));
  g_assert_nonnull (
      strstr (csv, "\r\ndp-1,\"Ward 5, \"\"New\"\" Road\",\"New Road, Kathmandu\",41.0,"));

  records = parse_csv (csv);
  g_assert_cmpuint (records->len, ==, 1 + rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const RlDispatchRow *row = g_ptr_array_index (rows, i);

      rec = g_ptr_array_index (records, i + 1);
      g_assert_cmpuint (rec->len, ==, 8);
      g_assert_cmpstr (FIELD (rec, 0), ==, row->id);
      g_assert_cmpstr (FIELD (rec, 1), ==, row->name);
      g_assert_cmpstr (FIELD (rec, 2), ==, row->address);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (FIELD (rec, 3), NULL), row->fill_level, 0.05);
      g_assert_true (rl_time_parse_ms (FIELD (rec, 4), &ms));
      g_assert_cmpint (ms, ==, row->forecast.full_at_ms);
      g_assert_true (rl_time_parse_ms (FIELD (rec, 5), &ms));
      g_assert_cmpint (ms, ==, row->forecast.earliest_ms);
      g_assert_true (rl_time_parse_ms (FIELD (rec, 6), &ms));
      g_assert_cmpint (ms, ==, row->forecast.latest_ms);
      g_assert_cmpstr (FIELD (rec, 7), ==, row->status);
    }
  rec = g_ptr_array_index (records, 1);
  expect_time = rl_time_format_ms (NOW_MS);
  g_assert_cmpstr (FIELD (rec, 4), ==, expect_time); /* dp-6 full now */

  {
    g_autoptr (GString) s = g_string_new (NULL);

    rl_dispatch_csv_append_field (s, "line\nbreak");
    g_string_append_c (s, '|');
    rl_dispatch_csv_append_field (s, " padded");
    g_string_append_c (s, '|');
    rl_dispatch_csv_append_field (s, NULL);
    g_string_append_c (s, '|');
    rl_dispatch_csv_append_field (s, "plain");
    g_assert_cmpstr (s->str, ==, "\"line\nbreak\"|\" padded\"||plain");
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/dispatch/windows", test_windows);
  g_test_add_func ("/dispatch/build", test_build);
  g_test_add_func ("/dispatch/list-model", test_list_model);
  g_test_add_func ("/dispatch/csv", test_csv);

  return g_test_run ();
}
