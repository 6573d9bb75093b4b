/* test-feed.c — RlFeed against a real mosquitto: readings stored, bad
 * payloads rejected by reason, duplicates and older readings, link changes,
 * coalesced batches, the persistent session across a restart, and the
 * devserver's simulator end to end.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "feed-test-util.h"
#include "rl-time.h"
#include "rl-url.h"

typedef struct
{
  FeedTestFixture base;
  guint           n_signals;
  GHashTable     *last; /* drop point id → RlFeedPoint copy (fill only) */
} Fixture;

static void
points_changed_cb (RlFeed *feed G_GNUC_UNUSED,
                   GPtrArray   *points,
                   Fixture     *f)
{
  f->n_signals++;
  for (guint i = 0; i < points->len; i++)
    {
      RlFeedPoint *p = g_ptr_array_index (points, i);
      RlFeedPoint *copy = g_new0 (RlFeedPoint, 1);

      *copy = *p;
      copy->drop_point_id = g_strdup (p->drop_point_id);
      copy->device_id = NULL;
      g_hash_table_replace (f->last, copy->drop_point_id, copy);
    }
}

static void
point_copy_free (gpointer data)
{
  RlFeedPoint *p = data;

  g_free (p->drop_point_id);
  g_free (p);
}

static void
feed_start (Fixture *f)
{
  f->base.feed = feed_test_feed_start (f->base.store, f->base.broker->url, NULL);
  /* Emitted from the main loop: none is missed before it runs. */
  g_signal_connect (f->base.feed, "points-changed", G_CALLBACK (points_changed_cb), f);
}

static void
fixture_set_up (Fixture           *f,
                gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;

  f->base.broker = rl_test_broker_start (&error);
  g_assert_no_error (error);
  f->base.store = feed_test_store_new (&f->base.dir);
  f->last = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, point_copy_free);
  feed_test_fixture_start (&f->base);
  /* Emitted from the main loop, for readings: none yet. */
  g_signal_connect (f->base.feed, "points-changed", G_CALLBACK (points_changed_cb), f);
}

static void
fixture_tear_down (Fixture           *f,
                   gconstpointer data G_GNUC_UNUSED)
{
  feed_test_fixture_tear_down (&f->base);
  g_hash_table_unref (f->last);
}

typedef struct
{
  Fixture    *f;
  const char *id;
  double      fill;
  gint64      last_reading_ms;
} SignalWait;

static gboolean
signalled_fill (gpointer user_data)
{
  SignalWait  *w = user_data;
  RlFeedPoint *p = g_hash_table_lookup (w->f->last, w->id);

  return p != NULL && p->fill_level == w->fill;
}

static gboolean
signalled_reading (gpointer user_data)
{
  SignalWait  *w = user_data;
  RlFeedPoint *p = g_hash_table_lookup (w->f->last, w->id);

  return p != NULL && p->last_reading_ms == w->last_reading_ms;
}

static void
test_feed_reading (Fixture           *f,
                   gconstpointer data G_GNUC_UNUSED)
{
  gint64           now = rl_time_now_ms ();
  g_autofree char *payload = feed_test_bin_reading ("bin-1", 64.5, now);
  SignalWait       sw = { f, "dp-1", 64.5, 0 };
  RlFeedPoint     *p;
  RlFeedCounters   c;

  feed_test_publish (&f->base.pub, "devices/bin-1/sensor-data", payload);
  FEED_TEST_WAIT_COUNTER (f->base.feed, readings, 1);
  g_assert_true (rl_test_wait_until (signalled_fill, &sw, 5000));

  p = g_hash_table_lookup (f->last, "dp-1");
  g_assert_true (p->is_online);
  g_assert_cmpint (p->last_reading_ms, ==, now);
  g_assert_cmpfloat (feed_test_cached_fill (f->base.store, "dp-1"), ==, 64.5);
  g_assert_cmpint (feed_test_history_rows (f->base.store, "bin-1"), ==, 1);
  g_assert_null (g_hash_table_lookup (f->last, "dp-2"));
  g_assert_cmpfloat (feed_test_cached_fill (f->base.store, "dp-2"), ==, 20);

  /* The same reading again (a QoS 1 redelivery) changes nothing. */
  feed_test_publish (&f->base.pub, "devices/bin-1/sensor-data", payload);
  FEED_TEST_WAIT_COUNTER (f->base.feed, duplicates, 1);
  g_assert_cmpint (feed_test_history_rows (f->base.store, "bin-1"), ==, 1);

  /* An older reading goes to history only: the map never rolls back. */
  {
    g_autofree char *older = feed_test_bin_reading ("bin-1", 12.0, now - 60000);

    feed_test_publish (&f->base.pub, "devices/bin-1/sensor-data", older);
    FEED_TEST_WAIT_COUNTER (f->base.feed, older, 1);
  }
  g_assert_cmpint (feed_test_history_rows (f->base.store, "bin-1"), ==, 2);
  g_assert_cmpfloat (feed_test_cached_fill (f->base.store, "dp-1"), ==, 64.5);
  rl_feed_get_counters (f->base.feed, &c);
  g_assert_cmpuint (c.readings, ==, 1);
  g_assert_cmpuint (rl_feed_get_n_rejected (f->base.feed), ==, 0);
}

static void
test_feed_rejects (Fixture           *f,
                   gconstpointer data G_GNUC_UNUSED)
{
  gint64           now = rl_time_now_ms ();
  g_autofree char *when = rl_time_format_ms (now);
  g_autofree char *future = rl_time_format_ms (now + 10 * 60 * 1000);
  struct
  {
    const char  *topic;
    char        *payload;
    RlFeedReject reason;
  } cases[] = {
    { "devices/bin-1/sensor-data", g_strdup ("not json at all"), RL_FEED_REJECT_NOT_JSON },
    { "devices/bin-1/sensor-data", g_strdup ("[1,2,3]"), RL_FEED_REJECT_NOT_JSON },
    { "devices/bin-1/sensor-data", g_strdup ("{\"binId\":\"bin-1\",\"fillLevel\":5"),
      RL_FEED_REJECT_NOT_JSON },
    { "devices/bin-1/sensor-data",
      g_strdup_printf ("{\"binId\":\"bin-1\",\"timestamp\":\"%s\"}", when),
      RL_FEED_REJECT_MISSING_FIELD },
    { "devices/bin-1/sensor-data", g_strdup ("{\"binId\":\"bin-1\",\"fillLevel\":5}"),
      RL_FEED_REJECT_MISSING_FIELD },
    { "devices/bin-1/sensor-data",
      g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":\"high\",\"timestamp\":\"%s\"}", when),
      RL_FEED_REJECT_BAD_VALUE },
    { "devices/bin-1/sensor-data",
      g_strdup ("{\"binId\":\"bin-1\",\"fillLevel\":5,\"timestamp\":\"yesterday\"}"),
      RL_FEED_REJECT_BAD_VALUE },
    { "devices/bin-1/sensor-data",
      g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":120,\"timestamp\":\"%s\"}", when),
      RL_FEED_REJECT_OUT_OF_RANGE },
    { "devices/bin-1/sensor-data",
      g_strdup_printf (
          "{\"binId\":\"bin-1\",\"fillLevel\":50,\"temperature\":99,\"timestamp\":\"%s\"}", when),
      RL_FEED_REJECT_OUT_OF_RANGE },
    { "devices/bin-1/sensor-data",
      g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"weight\":-3,\"timestamp\":\"%s\"}",
                       when),
      RL_FEED_REJECT_OUT_OF_RANGE },
    { "devices/bin-1/sensor-data",
      g_strdup_printf ("{\"binId\":\"bin-2\",\"fillLevel\":50,\"timestamp\":\"%s\"}", when),
      RL_FEED_REJECT_BIN_MISMATCH },
    { "devices/bin-1/sensor-data",
      g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"timestamp\":\"%s\"}", future),
      RL_FEED_REJECT_FUTURE },
    { "devices/bin-9/sensor-data",
      g_strdup_printf ("{\"binId\":\"bin-9\",\"fillLevel\":50,\"timestamp\":\"%s\"}", when),
      RL_FEED_REJECT_UNKNOWN_DEVICE },
    { "devices/bin-1/status", g_strdup_printf ("{\"online\":\"yes\",\"timestamp\":\"%s\"}", when),
      RL_FEED_REJECT_BAD_VALUE },
    { "devices/bin-1/status", g_strdup_printf ("{\"timestamp\":\"%s\"}", when),
      RL_FEED_REJECT_MISSING_FIELD },
    { "devices/bin-1/alerts",
      g_strdup_printf ("{\"severity\":\"HIGH\",\"timestamp\":\"%s\"}", when),
      RL_FEED_REJECT_MISSING_FIELD },
  };
  RlFeedCounters   c;
  guint64          expected[RL_FEED_N_REJECTS] = { 0 };
  g_autofree char *big = NULL;
  gsize            big_len = RL_FEED_MAX_PAYLOAD + 100;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      feed_test_publish (&f->base.pub, cases[i].topic, cases[i].payload);
      expected[cases[i].reason]++;
      g_free (cases[i].payload);
    }
  /* Over 64 KiB, even though it would be valid JSON. */
  big = g_malloc (big_len);
  memset (big, ' ', big_len);
  memcpy (big, "{\"binId\":\"bin-1\",\"fillLevel\":5,\"timestamp\":\"", 45);
  feed_test_publish_bytes (&f->base.pub, "devices/bin-1/sensor-data", big, big_len);
  expected[RL_FEED_REJECT_TOO_LARGE]++;

  FEED_TEST_WAIT_COUNTER (f->base.feed, received, G_N_ELEMENTS (cases) + 1);
  FEED_TEST_WAIT_COUNTER (f->base.feed, rejected[RL_FEED_REJECT_UNKNOWN_DEVICE], 1);
  rl_feed_get_counters (f->base.feed, &c);
  for (guint r = 0; r < RL_FEED_N_REJECTS; r++)
    {
      if (c.rejected[r] != expected[r])
        g_error ("reason %s: %" G_GUINT64_FORMAT " rejected, expected %" G_GUINT64_FORMAT,
                 rl_feed_reject_to_string (r), c.rejected[r], expected[r]);
    }
  g_assert_cmpuint (c.readings, ==, 0);
  g_assert_cmpuint (c.statuses, ==, 0);
  g_assert_cmpint (feed_test_history_rows (f->base.store, "bin-1"), ==, 0);
  g_assert_cmpfloat (feed_test_cached_fill (f->base.store, "dp-1"), ==, 10);

  /* A good one after all that is still taken. */
  {
    g_autofree char *good = feed_test_bin_reading ("bin-1", 33, rl_time_now_ms ());

    feed_test_publish (&f->base.pub, "devices/bin-1/sensor-data", good);
    FEED_TEST_WAIT_COUNTER (f->base.feed, readings, 1);
  }
  g_assert_cmpfloat (feed_test_cached_fill (f->base.store, "dp-1"), ==, 33);
}

typedef struct
{
  Fixture    *f;
  const char *id;
  gboolean    online;
} OnlineWait;

static gboolean
signalled_online (gpointer user_data)
{
  OnlineWait  *w = user_data;
  RlFeedPoint *p = g_hash_table_lookup (w->f->last, w->id);

  return p != NULL && p->is_online == w->online;
}

static gboolean
signalled_alert (gpointer user_data)
{
  Fixture     *f = user_data;
  RlFeedPoint *p = g_hash_table_lookup (f->last, "dp-2");

  return p != NULL && p->has_alert;
}

static void
test_feed_status_alert (Fixture           *f,
                        gconstpointer data G_GNUC_UNUSED)
{
  g_autofree char *when = rl_time_format_ms (rl_time_now_ms ());
  g_autofree char *offline = g_strdup_printf (
      "{\"online\":false,\"firmware\":\"2.1\",\"signal\":-70,\"timestamp\":\"%s\"}", when);
  g_autofree char *alert = g_strdup_printf (
      "{\"type\":\"FULL_BIN\",\"severity\":\"HIGH\",\"message\":\"Full\",\"timestamp\":\"%s\"}",
      when);
  OnlineWait   ow = { f, "dp-2", FALSE };
  RlFeedPoint *p;

  feed_test_publish (&f->base.pub, "devices/bin-2/status", offline);
  FEED_TEST_WAIT_COUNTER (f->base.feed, statuses, 1);
  g_assert_true (rl_test_wait_until (signalled_online, &ow, 5000));
  g_assert_false (feed_test_cached_online (f->base.store, "dp-2"));
  g_assert_true (feed_test_cached_online (f->base.store, "dp-1"));

  feed_test_publish (&f->base.pub, "devices/bin-2/alerts", alert);
  FEED_TEST_WAIT_COUNTER (f->base.feed, alerts, 1);
  g_assert_true (rl_test_wait_until (signalled_alert, f, 5000));
  p = g_hash_table_lookup (f->last, "dp-2");
  g_assert_false (p->is_online);
}

/* Thousands of readings for two bins reach the main thread as a handful of
 * signals, each with the latest value per point. */
static void
test_feed_coalesced (Fixture           *f,
                     gconstpointer data G_GNUC_UNUSED)
{
  const guint n = 2000;
  gint64      start = rl_time_now_ms () - n * 1000;
  gint64      t0;
  double      elapsed_ms;
  SignalWait  sw = { f, "dp-2", 0, 0 };

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *payload = feed_test_bin_reading (i % 2 ? "bin-2" : "bin-1", (i % 100), start + i * 1000);

      feed_test_publish_async (
          &f->base.pub, i % 2 ? "devices/bin-2/sensor-data" : "devices/bin-1/sensor-data", payload);
    }
  FEED_TEST_WAIT_COUNTER (f->base.feed, readings, n);
  /* Wait for the last reading of each bin by its time: a fill value alone
   * recurs every 100 readings, so an earlier signal could already match. */
  sw.id = "dp-1";
  sw.last_reading_ms = start + (n - 2) * 1000;
  g_assert_true (rl_test_wait_until (signalled_reading, &sw, 5000));
  sw.id = "dp-2";
  sw.last_reading_ms = start + (n - 1) * 1000;
  g_assert_true (rl_test_wait_until (signalled_reading, &sw, 5000));
  elapsed_ms = (g_get_monotonic_time () - t0) / 1000.0;

  g_assert_cmpfloat (((RlFeedPoint *) g_hash_table_lookup (f->last, "dp-1"))->fill_level, ==,
                     (n - 2) % 100);
  g_assert_cmpfloat (feed_test_cached_fill (f->base.store, "dp-2"), ==, (n - 1) % 100);
  g_assert_cmpint (feed_test_history_rows (f->base.store, "bin-1") + feed_test_history_rows (f->base.store, "bin-2"), ==, n);
  /* At most one signal per dispatch interval (plus the partial ones at the ends). */
  g_test_message ("%u readings in %.0f ms → %u signals", n, elapsed_ms, f->n_signals);
  g_assert_cmpuint (f->n_signals, <=, (guint) (elapsed_ms / RL_FEED_DISPATCH_INTERVAL_MS) + 2);
  g_assert_cmpuint (f->n_signals, <, n / 10);

  /* Nothing arrives now: the main loop is not woken for the feed (the
   * dispatch is armed by a change, not a fixed tick; it used to wake it ten
   * times a second). The thread's voluntary context switches count its
   * sleeps that ended; the main loop's own 1 s timeout is one. */
  rl_test_run_main_loop (300);
  {
    g_autofree char *path = g_strdup_printf ("/proc/self/task/%d/status", (int) getpid ());
    guint64          before = rl_test_proc_status_field (path, "voluntary_ctxt_switches"), after;

    /* Read for real: this thread has slept before (0 is "not found"). */
    g_assert_cmpuint (before, >, 0);
    rl_test_run_main_loop (1000);
    after = rl_test_proc_status_field (path, "voluntary_ctxt_switches");
    g_test_message ("idle feed: %" G_GUINT64_FORMAT " main-thread wakeups in 1 s", after - before);
    g_assert_cmpuint (after - before, <=, 3);
  }
}

/* Messages published while the console is away wait in its persistent
 * session on the broker and arrive when it comes back (same client id,
 * kept in the cache's meta). */
static void
test_feed_persistent_session (Fixture           *f,
                              gconstpointer data G_GNUC_UNUSED)
{
  gint64 now = rl_time_now_ms ();

  rl_feed_stop (f->base.feed);
  g_assert_cmpint (rl_feed_get_state (f->base.feed), ==, RL_FEED_STATE_STOPPED);
  g_clear_object (&f->base.feed);

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *payload = feed_test_bin_reading ("bin-1", 50 + i, now - 10000 + i * 1000);

      feed_test_publish (&f->base.pub, "devices/bin-1/sensor-data", payload);
    }

  feed_start (f);
  FEED_TEST_WAIT_COUNTER (f->base.feed, readings, 10);
  g_assert_cmpfloat (feed_test_cached_fill (f->base.store, "dp-1"), ==, 59);
  g_assert_cmpint (feed_test_history_rows (f->base.store, "bin-1"), ==, 10);
}

/* The broker goes away and comes back on the same port: the state says so
 * and the feed resumes by itself. */
/* A backlog arrives in one transaction (or a few): each device's row is
 * written once, from its newest feed_test_bin_reading (docs/feed.md "Ingest"), and must
 * end as if the messages had been applied one by one: an older reading
 * goes to the history only, a status after the newest reading wins, a
 * reading after a status sets the point online again. */
static void
test_feed_backlog_batch (Fixture           *f,
                         gconstpointer data G_GNUC_UNUSED)
{
  gint64         now = rl_time_now_ms ();
  RlFeedCounters c;
  struct
  {
    const char *topic;
    char       *payload;
  } backlog[] = {
    { "devices/bin-1/sensor-data", feed_test_bin_reading ("bin-1", 30, now - 3000) },
    { "devices/bin-1/sensor-data", feed_test_bin_reading ("bin-1", 50, now - 1000) },
    { "devices/bin-1/sensor-data", feed_test_bin_reading ("bin-1", 40, now - 2000) }, /* older */
    { "devices/bin-1/status", g_strdup_printf ("{\"online\":false,\"timestamp\":\"%s\"}",
                                               "2026-11-01T00:00:00Z") },
    { "devices/bin-2/status", g_strdup_printf ("{\"online\":false,\"timestamp\":\"%s\"}",
                                               "2026-11-01T00:00:00Z") },
    { "devices/bin-2/sensor-data", feed_test_bin_reading ("bin-2", 70, now - 500) },
    { "devices/bin-1/sensor-data", feed_test_bin_reading ("bin-1", 50, now - 1000) }, /* duplicate */
  };

  rl_feed_stop (f->base.feed);
  g_clear_object (&f->base.feed);
  for (guint i = 0; i < G_N_ELEMENTS (backlog); i++)
    {
      feed_test_publish (&f->base.pub, backlog[i].topic, backlog[i].payload);
      g_free (backlog[i].payload);
    }

  feed_start (f);
  FEED_TEST_WAIT_COUNTER (f->base.feed, duplicates, 1);
  FEED_TEST_WAIT_COUNTER (f->base.feed, statuses, 2);
  rl_feed_get_counters (f->base.feed, &c);
  g_test_message ("the backlog took %" G_GUINT64_FORMAT " transaction(s)", c.batches);
  g_assert_cmpuint (c.readings, ==, 3);
  g_assert_cmpuint (c.older, ==, 1);
  g_assert_cmpuint (c.duplicates, ==, 1);
  g_assert_cmpint (feed_test_history_rows (f->base.store, "bin-1"), ==, 3);
  g_assert_cmpint (feed_test_history_rows (f->base.store, "bin-2"), ==, 1);
  g_assert_cmpfloat (feed_test_cached_fill (f->base.store, "dp-1"), ==, 50);
  g_assert_false (feed_test_cached_online (f->base.store, "dp-1"));
  g_assert_cmpfloat (feed_test_cached_fill (f->base.store, "dp-2"), ==, 70);
  g_assert_true (feed_test_cached_online (f->base.store, "dp-2"));
}

static void
test_feed_reconnect (Fixture           *f,
                     gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *payload = NULL;
  guint            port = f->base.broker->port;

  feed_test_publisher_stop (&f->base.pub);
  rl_test_broker_free (f->base.broker);
  f->base.broker = NULL;
  g_assert_true (feed_test_wait_state (f->base.feed, RL_FEED_STATE_RECONNECTING, 15000));
  g_assert_nonnull (rl_feed_get_last_error (f->base.feed));
  /* With a code the UI can word. */
  g_assert_nonnull (rl_feed_get_error (f->base.feed));
  g_assert_true (rl_feed_get_error (f->base.feed)->domain == RL_FEED_ERROR);

  f->base.broker = rl_test_broker_start_on_port (port, &error);
  g_assert_no_error (error);
  g_assert_true (feed_test_wait_state (f->base.feed, RL_FEED_STATE_CONNECTED, 40000));
  feed_test_publisher_start (&f->base.pub, f->base.broker->port);
  /* A new broker: the feed subscribes again when it reconnects. */
  rl_test_broker_wait_subscribed (f->base.broker, "devices/+/alerts", 1, 15000);
  payload = feed_test_bin_reading ("bin-2", 77, rl_time_now_ms ());
  feed_test_publish (&f->base.pub, "devices/bin-2/sensor-data", payload);
  FEED_TEST_WAIT_COUNTER (f->base.feed, readings, 1);
  g_assert_cmpfloat (feed_test_cached_fill (f->base.store, "dp-2"), ==, 77);
}

/* What Preferences accepts, the feed starts with: a scheme and host in
 * capitals ("MQTT://…") and a topic prefix with a trailing slash are the same
 * broker and prefix as their normal forms. */
static void
test_feed_upper_case_url (Fixture           *f,
                          gconstpointer data G_GNUC_UNUSED)
{
  g_autofree char *upper = g_ascii_strup (f->base.broker->url, -1);
  g_autofree char *payload = feed_test_bin_reading ("bin-2", 42, rl_time_now_ms ());
  RlFeedConfig     config = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (g_str_has_prefix (upper, "MQTT://"));
  rl_feed_stop (f->base.feed);
  g_clear_object (&f->base.feed);

  f->base.feed = rl_feed_new (f->base.store);
  g_signal_connect (f->base.feed, "points-changed", G_CALLBACK (points_changed_cb), f);
  config.url = upper;
  config.topic_prefix = "devices/";
  g_assert_true (rl_feed_start (f->base.feed, &config, &error));
  g_assert_no_error (error);
  g_assert_true (feed_test_wait_state (f->base.feed, RL_FEED_STATE_CONNECTED, 15000));
  g_usleep (200 * 1000);

  feed_test_publish (&f->base.pub, "devices/bin-2/sensor-data", payload);
  FEED_TEST_WAIT_COUNTER (f->base.feed, readings, 1);
  g_assert_cmpfloat (feed_test_cached_fill (f->base.store, "dp-2"), ==, 42);
}

/* The feed refuses a bad broker URL or topic prefix with rl-url's code, and
 * starts (connecting in the background) with every URL the rule accepts. */
static void
test_feed_bad_config (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rl-feed-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cache.sqlite", NULL);
  g_autoptr (RlStore) store = NULL;
  const struct
  {
    const char *url;
    const char *prefix;
    RlUrlError  code;
  } bad[] = {
    { "http://example.org", NULL, RL_URL_ERROR_BAD_SCHEME },
    { "mqtt://", NULL, RL_URL_ERROR_NO_HOST },
    { "mqtt://host:99999", NULL, RL_URL_ERROR_BAD_PORT },
    { "tcp://x:1", NULL, RL_URL_ERROR_BAD_SCHEME },
    { "", NULL, RL_URL_ERROR_EMPTY },
    { "mqtt://127.0.0.1:1", "devices/#", RL_URL_ERROR_TOPIC_WILDCARD },
    { "mqtt://127.0.0.1:1", "/devices", RL_URL_ERROR_TOPIC_EMPTY_LEVEL },
  };
  /* Port 1 on loopback: nothing listens, the feed keeps retrying. */
  const char *good[] = {
    "mqtt://127.0.0.1:1",
    "MQTT://127.0.0.1:1",
    "Mqtt://LOCALHOST:1/",
    "mqtt://[::1]:1",
  };

  g_assert_no_error (error);
  store = rl_store_open (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (RlFeed) feed = rl_feed_new (store);
      RlFeedConfig config = { .url = bad[i].url, .topic_prefix = bad[i].prefix };

      g_test_message ("refusing “%s”", bad[i].url);
      g_assert_false (rl_feed_start (feed, &config, &error));
      g_assert_error (error, RL_URL_ERROR, (int) bad[i].code);
      g_assert_cmpint (rl_feed_get_state (feed), ==, RL_FEED_STATE_STOPPED);
      g_clear_error (&error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (RlFeed) feed = rl_feed_new (store);
      g_autofree char *normalised = NULL;
      RlFeedConfig     config = { .url = good[i], .topic_prefix = "devices/", .client_id = "t" };

      g_test_message ("starting with “%s”", good[i]);
      g_assert_true (rl_url_validate_broker (good[i], &normalised, NULL));
      g_assert_true (rl_feed_start (feed, &config, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (rl_feed_get_url (feed), ==, normalised);
      rl_feed_stop (feed);
    }

  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/feed/bad-config", test_feed_bad_config);
#define ADD(path, fn) \
  g_test_add ("/feed/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("reading", test_feed_reading);
  ADD ("rejects", test_feed_rejects);
  ADD ("status-alert", test_feed_status_alert);
  ADD ("coalesced", test_feed_coalesced);
  ADD ("persistent-session", test_feed_persistent_session);
  ADD ("backlog-batch", test_feed_backlog_batch);
  ADD ("reconnect", test_feed_reconnect);
  ADD ("upper-case-url", test_feed_upper_case_url);
#undef ADD

  return g_test_run ();
}
