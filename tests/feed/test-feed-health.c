/* test-feed-health.c — the feed's health figures against a real mosquitto:
 * the per-second history counts what was published, the last rejected
 * payload is kept raw (non-UTF-8, control bytes, cut at 512 bytes) with its
 * topic and reason, rejects are counted by reason; the payload preview; the
 * devices' last-seen list from the cache.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "feed-test-util.h"
#include "rl-store-devices.h"
#include "rl-time.h"

typedef FeedTestFixture Fixture;

static void
add_drop_point (RlStoreBatch *batch,
                const char   *id,
                const char   *name,
                const char   *device,
                gboolean      online,
                const char   *last_reading_at)
{
  g_autofree char *device_json =
      device != NULL ? g_strdup_printf ("\"deviceId\":\"%s\",", device) : g_strdup ("");
  g_autofree char *last_json =
      last_reading_at != NULL ? g_strdup_printf ("\"lastReadingAt\":\"%s\",", last_reading_at)
                              : g_strdup ("");
  g_autofree char *json = g_strdup_printf (
      "{\"id\":\"%s\",\"name\":\"%s\",\"address\":\"Kathmandu\",\"latitude\":27.7,"
      "\"longitude\":85.3,\"status\":\"active\",%s\"fillLevel\":10,"
      "\"isOnline\":%s,%s\"version\":1,"
      "\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\"}",
      id, name, device_json, online ? "true" : "false", last_json);

  rl_test_batch_upsert (batch, "drop_point", json);
}

static void
open_store (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("rl-feed-health-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "cache.sqlite", NULL);
  f->store = rl_store_open (path, &error);
  g_assert_no_error (error);
  batch = rl_store_batch_begin (f->store, &error);
  g_assert_no_error (error);
  add_drop_point (batch, "dp-1", "Thamel Chowk", "bin-1", TRUE, "2026-11-01T10:00:00Z");
  add_drop_point (batch, "dp-2", "पाटन ढोका", "bin-2", FALSE, "2026-11-01T09:00:00Z");
  add_drop_point (batch, "dp-3", "Baneshwor 50%", "bin-3", TRUE, "2026-11-01T08:00:00Z");
  add_drop_point (batch, "dp-4", "Kalimati", "bin-4", FALSE, "2026-11-01T11:00:00Z");
  add_drop_point (batch, "dp-5", "Never heard", "bin-5", TRUE, NULL);
  add_drop_point (batch, "dp-6", "No device", NULL, TRUE, NULL);
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture           *f,
                gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;

  open_store (f);
  f->broker = rl_test_broker_start (&error);
  g_assert_no_error (error);
  feed_test_fixture_start (f);
}

static void
fixture_tear_down (Fixture           *f,
                   gconstpointer data G_GNUC_UNUSED)
{
  feed_test_fixture_tear_down (f);
}

static guint64
history_sum (const RlFeedHealth *health)
{
  guint64 sum = 0;

  for (guint i = 0; i < RL_FEED_HEALTH_SECONDS; i++)
    sum += health->history[i];
  return sum;
}

static gboolean
second_passed (gpointer user_data)
{
  return g_get_monotonic_time () / G_USEC_PER_SEC > *(gint64 *) user_data;
}

/* The history counts every message received (valid or not) in the second
 * it came; per_second is the mean of the last complete seconds. */
static void
test_rate (Fixture           *f,
           gconstpointer data G_GNUC_UNUSED)
{
  RlFeedHealth health;
  gint64       t0_ms = g_get_real_time () / 1000;
  gint64       start_s = g_get_monotonic_time () / G_USEC_PER_SEC;
  gint64       end_s, now_s;
  guint        n_valid = 40;

  rl_feed_get_health (f->feed, &health);
  g_assert_cmpuint (history_sum (&health), ==, 0);
  g_assert_cmpint (health.last_message_ms, ==, 0);
  g_assert_false (health.has_rejected);
  g_assert_cmpfloat (health.per_second, ==, 0);
  rl_feed_health_clear (&health);

  for (guint i = 0; i < n_valid; i++)
    {
      g_autofree char *payload =
          feed_test_reading (i % 2 ? "bin-1" : "bin-2", i, 80, 20, t0_ms - 60000 + i * 1000);

      feed_test_publish (&f->pub, i % 2 ? "devices/bin-1/sensor-data" : "devices/bin-2/sensor-data",
                         payload);
    }
  feed_test_publish (&f->pub, "devices/bin-1/sensor-data", "not json");
  feed_test_publish (&f->pub, "devices/bin-1/sensor-data", "{\"binId\":\"bin-1\"}");
  {
    g_autofree char *future = feed_test_reading ("bin-1", 50, 80, 20, t0_ms + 3600 * 1000);

    feed_test_publish (&f->pub, "devices/bin-1/sensor-data", future);
  }
  FEED_TEST_WAIT_COUNTER (f->feed, received, n_valid + 3);
  FEED_TEST_WAIT_COUNTER (f->feed, readings, n_valid);
  end_s = g_get_monotonic_time () / G_USEC_PER_SEC;

  rl_feed_get_health (f->feed, &health);
  g_assert_cmpuint (history_sum (&health), ==, n_valid + 3);
  g_assert_cmpuint (health.counters.received, ==, n_valid + 3);
  g_assert_cmpuint (health.counters.readings, ==, n_valid);
  g_assert_cmpuint (health.counters.rejected[RL_FEED_REJECT_NOT_JSON], ==, 1);
  g_assert_cmpuint (health.counters.rejected[RL_FEED_REJECT_MISSING_FIELD], ==, 1);
  g_assert_cmpuint (health.counters.rejected[RL_FEED_REJECT_FUTURE], ==, 1);
  g_assert_cmpuint (health.counters.rejected[RL_FEED_REJECT_OUT_OF_RANGE], ==, 0);
  g_assert_cmpint (health.rejected_reason, ==, RL_FEED_REJECT_FUTURE);
  g_assert_cmpint (health.state, ==, RL_FEED_STATE_CONNECTED);
  g_assert_cmpint (health.last_message_ms, >=, t0_ms);
  g_assert_cmpint (health.last_message_ms, <=, g_get_real_time () / 1000);
  /* The messages are in the newest seconds, nothing before the start. */
  {
    guint64 recent = 0;
    gint64  span = end_s - start_s + 1;

    now_s = g_get_monotonic_time () / G_USEC_PER_SEC;
    for (gint64 i = 0; i < span + (now_s - end_s); i++)
      recent += health.history[RL_FEED_HEALTH_SECONDS - 1 - i];
    g_assert_cmpuint (recent, ==, n_valid + 3);
  }
  rl_feed_health_clear (&health);

  /* Once the second of the last message is complete, the mean of the last
   * five complete seconds holds every message (they came within a second
   * or two on loopback). */
  g_assert_true (rl_test_wait_until (second_passed, &end_s, 5000));
  rl_feed_get_health (f->feed, &health);
  now_s = g_get_monotonic_time () / G_USEC_PER_SEC;
  g_assert_cmpint (start_s, >=, now_s - RL_FEED_HEALTH_RATE_WINDOW);
  g_assert_cmpfloat_with_epsilon (health.per_second, (n_valid + 3) / 5.0, 1e-9);
  rl_feed_health_clear (&health);
}

/* The last rejected payload is kept as bytes (its first 512), with its
 * topic, reason and time; a newer reject replaces it. */
#define MISMATCH "{\"binId\":\"bin-1\",\"fillLevel\":10,\"timestamp\":\"2026-11-01T00:00:00Z\"}"
#define HEAD "{\"fill\xff\xfe\x00\x01\x1b[31m\n"

static void
test_last_rejected (Fixture           *f,
                    gconstpointer data G_GNUC_UNUSED)
{
  RlFeedHealth     health;
  guint8           payload[700];
  gint64           before_ms = g_get_real_time () / 1000;
  gsize            size;
  const guint8    *kept;
  g_autofree char *preview = NULL;

  /* Not UTF-8, a NUL, control bytes, then filler (from 'q' on). */
  for (gsize i = 0; i < sizeof payload; i++)
    payload[i] = (guint8) ('a' + i % 26);
  memcpy (payload, HEAD, sizeof HEAD - 1);
  feed_test_publish_bytes (&f->pub, "devices/bin-1/sensor-data", payload, sizeof payload);
  FEED_TEST_WAIT_COUNTER (f->feed, rejected[RL_FEED_REJECT_NOT_JSON], 1);

  rl_feed_get_health (f->feed, &health);
  g_assert_true (health.has_rejected);
  g_assert_cmpint (health.rejected_reason, ==, RL_FEED_REJECT_NOT_JSON);
  g_assert_cmpstr (health.rejected_topic, ==, "devices/bin-1/sensor-data");
  g_assert_cmpuint (health.rejected_length, ==, sizeof payload);
  g_assert_cmpint (health.rejected_ms, >=, before_ms);
  kept = g_bytes_get_data (health.rejected_payload, &size);
  g_assert_cmpuint (size, ==, RL_FEED_HEALTH_PAYLOAD_MAX);
  g_assert_cmpmem (kept, size, payload, RL_FEED_HEALTH_PAYLOAD_MAX);
  preview = rl_feed_payload_preview (health.rejected_payload, 24);
  g_assert_cmpstr (preview, ==, "{\"fill\\xFF\\xFE\\x00\\x01\\x1B[31m\\nqrstuvwx…");
  g_assert_true (g_utf8_validate (preview, -1, NULL));
  rl_feed_health_clear (&health);
  g_assert_null (health.rejected_topic);
  g_assert_null (health.rejected_payload);

  /* A newer reject for another reason replaces it; each reason counts. */
  feed_test_publish_bytes (&f->pub, "devices/bin-1/sensor-data", "[1,2]", 5);
  feed_test_publish_bytes (&f->pub, "devices/bin-9/sensor-data", MISMATCH, strlen (MISMATCH));
  FEED_TEST_WAIT_COUNTER (f->feed, rejected[RL_FEED_REJECT_BIN_MISMATCH], 1);
  FEED_TEST_WAIT_COUNTER (f->feed, rejected[RL_FEED_REJECT_NOT_JSON], 2);
  rl_feed_get_health (f->feed, &health);
  g_assert_cmpint (health.rejected_reason, ==, RL_FEED_REJECT_BIN_MISMATCH);
  g_assert_cmpstr (health.rejected_topic, ==, "devices/bin-9/sensor-data");
  g_assert_cmpuint (health.rejected_length, ==, strlen (MISMATCH));
  g_assert_cmpmem (g_bytes_get_data (health.rejected_payload, NULL),
                   g_bytes_get_size (health.rejected_payload), MISMATCH, strlen (MISMATCH));
  g_assert_cmpuint (health.counters.rejected[RL_FEED_REJECT_NOT_JSON], ==, 2);
  g_assert_cmpuint (health.counters.rejected[RL_FEED_REJECT_BIN_MISMATCH], ==, 1);
  g_assert_cmpuint (history_sum (&health), ==, 3);
  rl_feed_health_clear (&health);

  /* Stopped: the figures stay for support to read. */
  rl_feed_stop (f->feed);
  rl_feed_get_health (f->feed, &health);
  g_assert_cmpint (health.state, ==, RL_FEED_STATE_STOPPED);
  g_assert_true (health.has_rejected);
  g_assert_cmpuint (health.counters.received, ==, 3);
  rl_feed_health_clear (&health);
}

static void
test_preview (void)
{
  struct
  {
    const char *bytes;
    gssize      length;
    gsize       max;
    const char *want;
  } cases[] = {
    { "", 0, 10, "" },
    { "{\"a\":1}", -1, 10, "{\"a\":1}" },
    { "abcdef", -1, 3, "abc…" },
    { "tab\there\r\n", -1, 40, "tab\\there\\r\\n" },
    { "back\\slash", -1, 40, "back\\\\slash" },
    { "पाटन", -1, 40, "पाटन" },
    { "पाटन", -1, 2, "पा…" },
    /* A Devanagari character cut by the 512-byte limit: its bytes escaped. */
    { "ab\xe0\xa4", 4, 40, "ab\\xE0\\xA4" },
    { "\xc2\x85\xe2\x80\xa8x", -1, 40, "\\x85\\u2028x" },
    { "\x7f", 1, 40, "\\x7F" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = cases[i].length < 0 ? strlen (cases[i].bytes) : (gsize) cases[i].length;
      g_autoptr (GBytes) bytes = g_bytes_new (cases[i].bytes, length);
      g_autofree char *preview = rl_feed_payload_preview (bytes, cases[i].max);

      g_assert_cmpstr (preview, ==, cases[i].want);
    }
  {
    g_autofree char *none = rl_feed_payload_preview (NULL, 10);

    g_assert_cmpstr (none, ==, "");
  }
}

typedef struct
{
  GPtrArray *devices;
  guint      total;
} ListResult;

static void
list_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ListResult *out = user_data;
  g_autoptr (GError) error = NULL;

  out->devices = rl_store_list_devices_seen_finish (RL_STORE (source), result, &out->total, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer user_data)
{
  return ((ListResult *) user_data)->devices != NULL;
}

/* Silent first: offline (oldest first), then online by oldest reading,
 * never-heard ones before any reading; drop points without a device left
 * out; search and limit. */
static void
test_devices_seen (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) some = NULL;
  ListResult  async = { 0 };
  const char *order[] = { "dp-2", "dp-4", "dp-5", "dp-3", "dp-1" };
  guint       total = 0;
  gint64      ms = 0;

  open_store (&f);
  all = rl_store_list_devices_seen (f.store, NULL, 100, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 5);
  g_assert_cmpuint (all->len, ==, 5);
  for (guint i = 0; i < all->len; i++)
    {
      RlDeviceSeen *seen = g_ptr_array_index (all, i);

      g_assert_cmpstr (seen->drop_point_id, ==, order[i]);
    }
  {
    RlDeviceSeen *patan = g_ptr_array_index (all, 0);

    g_assert_cmpstr (patan->name, ==, "पाटन ढोका");
    g_assert_cmpstr (patan->device_id, ==, "bin-2");
    g_assert_false (patan->online);
    g_assert_true (rl_time_parse_ms ("2026-11-01T09:00:00Z", &ms));
    g_assert_cmpint (patan->last_reading_ms, ==, ms);
    g_assert_cmpint (((RlDeviceSeen *) g_ptr_array_index (all, 2))->last_reading_ms, ==, 0);
  }

  /* Limit: the most silent; the total still counts all. */
  some = rl_store_list_devices_seen (f.store, NULL, 2, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 5);
  g_assert_cmpuint (some->len, ==, 2);
  g_clear_pointer (&some, g_ptr_array_unref);

  /* Search by name (Devanagari too), device id; LIKE's wildcards literal. */
  some = rl_store_list_devices_seen (f.store, "ढोका", 100, &total, &error);
  g_assert_cmpuint (some->len, ==, 1);
  g_assert_cmpstr (((RlDeviceSeen *) g_ptr_array_index (some, 0))->drop_point_id, ==, "dp-2");
  g_clear_pointer (&some, g_ptr_array_unref);
  some = rl_store_list_devices_seen (f.store, "BIN-4", 100, &total, &error);
  g_assert_cmpuint (some->len, ==, 1);
  g_assert_cmpuint (total, ==, 1);
  g_clear_pointer (&some, g_ptr_array_unref);
  some = rl_store_list_devices_seen (f.store, "50%", 100, &total, &error);
  g_assert_cmpuint (some->len, ==, 1);
  g_assert_cmpstr (((RlDeviceSeen *) g_ptr_array_index (some, 0))->drop_point_id, ==, "dp-3");
  g_clear_pointer (&some, g_ptr_array_unref);
  some = rl_store_list_devices_seen (f.store, "_", 100, &total, &error);
  g_assert_cmpuint (some->len, ==, 0);
  g_assert_cmpuint (total, ==, 0);

  /* The same in a worker. */
  rl_store_list_devices_seen_async (f.store, "chowk", 10, NULL, list_done_cb, &async);
  g_assert_null (async.devices);
  g_assert_true (rl_test_wait_until (is_set, &async, 10000));
  g_assert_cmpuint (async.devices->len, ==, 1);
  g_assert_cmpuint (async.total, ==, 1);
  g_assert_cmpstr (((RlDeviceSeen *) g_ptr_array_index (async.devices, 0))->name, ==,
                   "Thamel Chowk");
  g_clear_pointer (&async.devices, g_ptr_array_unref);
  rl_store_list_devices_seen_async (f.store, "bin-", 1, NULL, list_done_cb, &async);
  g_assert_true (rl_test_wait_until (is_set, &async, 10000));
  g_assert_cmpuint (async.devices->len, ==, 1);
  g_assert_cmpuint (async.total, ==, 5);
  g_assert_cmpstr (((RlDeviceSeen *) g_ptr_array_index (async.devices, 0))->drop_point_id, ==,
                   "dp-2");
  g_clear_pointer (&async.devices, g_ptr_array_unref);

  g_clear_object (&f.store);
  rl_test_rm_rf (f.dir);
  g_free (f.dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/feed-health/preview", test_preview);
  g_test_add_func ("/feed-health/devices-seen", test_devices_seen);
  g_test_add ("/feed-health/rate", Fixture, NULL, fixture_set_up, test_rate, fixture_tear_down);
  g_test_add ("/feed-health/last-rejected", Fixture, NULL, fixture_set_up, test_last_rejected,
              fixture_tear_down);
  return g_test_run ();
}
