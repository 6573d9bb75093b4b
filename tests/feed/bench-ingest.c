/* bench-ingest.c — the live feed's ingest rate against mosquitto_sub,
 * message→pixel latency with the map open, main-loop lateness under a burst.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run alone from the build directory (a display, a D-Bus session and an
 * unlocked keyring: the session signs in to a devserver):
 *   xvfb-run -a -s '-screen 0 1400x900x24' dbus-run-session -- \
 *     tests/feed/bench-ingest [--quick]
 * (inside `eval "$(printf pass | gnome-keyring-daemon --unlock --components=secrets)"`).
 *
 * It starts reloop-devserver (--drop-points 12000: 85 % have a device, the
 * first 10,000 devices are used; --quick: 2,400 and 2,000), signs a session
 * in (the cache), and a private mosquitto (max_queued_messages 0). Then:
 *
 * 1. Ingest. The console's feed (an RlFeed on the session's cache, fixed
 *    client id, persistent session, QoS 1) connects once to subscribe and
 *    stops; `mosquitto_sub -c -i ID -q 1 -t devices/+/sensor-data -E` does
 *    the same for its own session. A publisher queues 200,000 readings (20
 *    per device, each newer than the last) at QoS 1 and waits for every
 *    PUBACK: the backlog is now queued for both sessions. The feed starts
 *    again; console_msgs_per_s = messages / (start → counters.readings =
 *    200,000, every one validated, checked for duplicates and stored). The
 *    readings table must hold 200,000 more rows. Then `mosquitto_sub -c -i
 *    ID -q 1 -C 200000` drains the same backlog to /dev/null:
 *    mosquitto_sub_msgs_per_s = messages / (spawn → exit). ratio = console /
 *    mosquitto_sub (target ≥ 0.8).
 * 2. Latency. The Map page in a 1200×800 window with the session's feed
 *    (the app's path: the page takes its points-changed). A publisher thread
 *    sends 5,000 readings/s (QoS 1), each stamped with its publish time. For
 *    each point of each points-changed (after the page has handed it to the
 *    layer), the value is on screen at the first frame ("after-paint") whose
 *    map tiles all show a symbol version at least the one that update makes
 *    (rl_map_layer_get_symbol_versions): latency = that moment − publish
 *    time (wall clock, ms precision of the timestamp). latency_p95_ms
 *    (target ≤ 150); dispatch_p50_ms and dispatch_p95_ms: publish →
 *    points-changed, the core's part of it.
 * 3. Lateness. A 1 ms g_timeout on the main loop, map open and feed
 *    connected: its largest delay beyond 1 ms, 5 s idle (no messages), then
 *    5 s of 10,000 readings/s. lateness_burst_ms ≤ lateness_idle_ms + 5 is
 *    the target.
 *
 * GSK_RENDERER is cairo unless set (Xvfb's GL is llvmpipe on the CPU).
 * Parts 2 and 3 are in bench-ingest-screen.c.
 * Ends with one JSON line (docs/benchmarks.md). BENCH_INGEST_ROUNDS=N runs
 * part 1 N times against new backlogs (one line each; parts 2 and 3 once;
 * 0 skips part 1, its keys are null).
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include <sys/wait.h>

#include "rl-feed.h"
#include "rl-secrets.h"
#include "rl-session.h"
#include "rl-store.h"
#include "rl-test-util.h"
#include "rl-time.h"

#include "bench-ingest.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED TRUE
#else
#define SANITIZED FALSE
#endif

#define ADMIN "admin@demo.reloop.np"
#define TIMEOUT_MS (10 * 60 * 1000)
#define CONSOLE_ID "bench-ingest-con"
#define SUB_ID "bench-ingest-sub"
#define TOPIC_FILTER "devices/+/sensor-data"

void
progress (const char *fmt,
          ...)
{
  va_list ap;

  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
}

void
die (const char *fmt,
     ...)
{
  va_list ap;

  va_start (ap, fmt);
  fputs ("bench-ingest: ", stderr);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
  exit (1);
}

static double
now_s (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

/* Runs the main loop until cond (or dies after @timeout_ms); polls every
 * 2 ms (the writer thread moves the counters). */
void
wait_for (gboolean (*cond) (gpointer user_data),
          gpointer    user_data,
          guint       timeout_ms,
          const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        die ("timed out waiting for %s", what);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (2000);
    }
}

/* Fill levels across the map's bands (low, medium, high; under the
 * FULL_BIN threshold): a point's symbol changes often. */
double
fill_for (guint i)
{
  return (double) ((i * 37) % 80) + 0.5;
}

/* ---- publisher ----------------------------------------------------------- */

void
publisher_start (FeedTestPublisher *pub,
                 guint              port)
{
  FeedTestPublisherOptions options = { .keepalive_s = 60 };

  feed_test_publisher_start_full (pub, port, &options);
}

void
publish (FeedTestPublisher *pub,
         const char        *device,
         const char        *payload)
{
  g_autofree char *topic = g_strdup_printf ("devices/%s/sensor-data", device);

  feed_test_publish_async (pub, topic, payload);
}

/* ---- mosquitto_sub --------------------------------------------------------- */

static GPid
spawn_sub (Bench      *bench,
           const char *count)
{
  g_autoptr (GError) error = NULL;
  const char *argv_subscribe[] = { "mosquitto_sub", "-h", "127.0.0.1", "-p", bench->port_text,
                                   "-c", "-i", SUB_ID, "-q", "1", "-t", TOPIC_FILTER, "-E", NULL };
  const char *argv_drain[] = { "mosquitto_sub", "-h", "127.0.0.1", "-p", bench->port_text,
                               "-c", "-i", SUB_ID, "-q", "1", "-t", TOPIC_FILTER, "-C", count,
                               NULL };
  GPid        pid;

  if (!g_spawn_async (NULL, (char **) (count == NULL ? argv_subscribe : argv_drain), NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
                          | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDIN_FROM_DEV_NULL,
                      rl_test_die_with_parent, NULL, &pid, &error))
    die ("cannot run mosquitto_sub: %s", error->message);
  return pid;
}

/* Waits for @pid to exit (blocking: nothing else runs meanwhile). */
static void
wait_exit (GPid        pid,
           const char *what)
{
  int status = 0;

  if (waitpid (pid, &status, 0) != pid || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    die ("%s failed (status %d)", what, status);
  g_spawn_close_pid (pid);
}

/* ---- the cache --------------------------------------------------------------- */

static gint64
count_readings (RlStore *store)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64        n = -1;

  if (sqlite3_open_v2 (rl_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "SELECT count(*) FROM readings", -1, &stmt, NULL) != SQLITE_OK)
    die ("cannot read the cache: %s", sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

typedef struct
{
  GPtrArray *devices;
  guint      want;
} Pick;

static gboolean
pick_device (const RlStoreDropPoint *dp,
             gpointer                user_data)
{
  Pick *pick = user_data;

  if (dp->device_id != NULL)
    g_ptr_array_add (pick->devices, g_strdup (dp->device_id));
  return pick->devices->len < pick->want;
}

/* ---- 1. ingest --------------------------------------------------------------- */

typedef struct
{
  RlFeed *feed;
  guint64 readings;
} FeedWait;

static gboolean
stored_all (gpointer user_data)
{
  FeedWait      *w = user_data;
  RlFeedCounters c;

  rl_feed_get_counters (w->feed, &c);
  return c.readings + c.older + c.duplicates >= w->readings;
}

static void
feed_start (RlFeed     *feed,
            const char *url,
            const char *client_id)
{
  g_autoptr (GError) error = NULL;
  RlFeedConfig config = { .url = url, .client_id = client_id };

  if (!rl_feed_start (feed, &config, &error))
    die ("the feed does not start: %s", error->message);
}

typedef struct
{
  double console_s, sub_s, publish_s;
  guint  batches;
  double mean_batch;
} Ingest;

static void
run_ingest (Bench   *bench,
            RlStore *store,
            Ingest  *out)
{
  g_autoptr (RlFeed) feed = rl_feed_new (store);
  g_autofree char  *url = g_strdup_printf ("mqtt://127.0.0.1:%u", bench->port);
  FeedTestPublisher pub = { 0 };
  FeedWait          w = { 0 };
  RlFeedCounters    c;
  gint64            before, after, base_ms;
  double            t0;
  GPid              pid;

  /* Both persistent sessions subscribe, then go away. */
  feed_start (feed, url, CONSOLE_ID);
  if (!feed_test_wait_state (feed, RL_FEED_STATE_CONNECTED, 30000))
    die ("timed out waiting for the feed's subscription");
  rl_feed_stop (feed);
  g_clear_object (&feed);
  wait_exit (spawn_sub (bench, NULL), "mosquitto_sub -E");

  /* The backlog: 20 readings a device, each newer than the last. */
  progress ("publishing %u readings for %u devices (QoS 1)", bench->n_messages, bench->n_devices);
  publisher_start (&pub, bench->port);
  base_ms = rl_time_now_ms ();
  t0 = now_s ();
  for (guint i = 0; i < bench->n_messages; i++)
    {
      const char      *device = g_ptr_array_index (bench->devices, i % bench->devices->len);
      guint            round = i / bench->devices->len;
      g_autofree char *payload = feed_test_bin_reading (device, fill_for (i), base_ms + round * 50);

      publish (&pub, device, payload);
    }
  if (!feed_test_wait_acked (&pub, (gint) bench->n_messages, TIMEOUT_MS))
    die ("the broker did not acknowledge the backlog");
  out->publish_s = now_s () - t0;
  feed_test_publisher_stop (&pub);
  progress ("  queued in %.2f s", out->publish_s);

  /* The console drains it. */
  before = count_readings (store);
  feed = rl_feed_new (store);
  w.feed = feed;
  w.readings = bench->n_messages;
  t0 = now_s ();
  feed_start (feed, url, CONSOLE_ID);
  wait_for (stored_all, &w, TIMEOUT_MS, "the console's drain");
  out->console_s = now_s () - t0;
  rl_feed_get_counters (feed, &c);
  rl_feed_stop (feed);
  after = count_readings (store);
  if (c.readings != bench->n_messages || c.duplicates != 0 || c.older != 0
      || rl_feed_get_n_rejected (feed) != 0)
    die ("the console stored %" G_GUINT64_FORMAT " readings (%" G_GUINT64_FORMAT
         " duplicates, %" G_GUINT64_FORMAT " older, %" G_GUINT64_FORMAT " rejected), not %u",
         c.readings, c.duplicates, c.older, rl_feed_get_n_rejected (feed), bench->n_messages);
  if (after - before != bench->n_messages)
    die ("the readings table grew by %" G_GINT64_FORMAT ", not %u", after - before,
         bench->n_messages);
  out->batches = (guint) c.batches;
  out->mean_batch = (double) c.readings / MAX (c.batches, 1);
  progress ("  console: %.2f s (%" G_GUINT64_FORMAT " transactions, %.0f readings each)",
            out->console_s, c.batches, out->mean_batch);

  /* mosquitto_sub drains the same backlog. */
  {
    g_autofree char *count = g_strdup_printf ("%u", bench->n_messages);

    t0 = now_s ();
    pid = spawn_sub (bench, count);
    wait_exit (pid, "mosquitto_sub -C");
    out->sub_s = now_s () - t0;
  }
  progress ("  mosquitto_sub: %.2f s", out->sub_s);
}

/* ---- main ------------------------------------------------------------------- */

static void
clear_keyring (const char *server_url)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  rl_secrets_clear_server_async (server_url, NULL, rl_test_store_result_cb, &result);
  if (!rl_secrets_clear_server_finish (rl_test_wait_result (&result, TIMEOUT_MS), &error))
    die ("cannot clear the keyring: %s", error->message);
}

static gboolean
synced (gpointer user_data)
{
  RlSession *session = user_data;

  return rl_session_get_last_sync (session) > 0 && rl_session_get_sync_progress (session) < 0
         && rl_session_get_state (session) == RL_SESSION_STATE_ONLINE;
}

int
main (int    argc,
      char **argv)
{
  gboolean         quick = SANITIZED || (argc > 1 && g_str_equal (argv[1], "--quick"));
  Bench            bench = { 0 };
  const char      *rounds_env = g_getenv ("BENCH_INGEST_ROUNDS");
  guint            rounds = rounds_env != NULL ? (guint) MAX (0, atoi (rounds_env)) : 1;
  g_autofree char *n_points = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *data_home = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestDevserver) server = NULL;
  g_autoptr (RlTestBroker) broker = NULL;
  g_autoptr (RlSession) session = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GArray) ingests = g_array_new (FALSE, TRUE, sizeof (Ingest));
  const char *args[] = { "--drop-points", NULL, NULL };
  Pick        pick;
  Screenful   screenful = { 0 };
  RlStore    *store;

  bench.n_devices = quick ? 2000 : 10000;
  bench.n_messages = quick ? 20000 : 200000;
  bench.phase_s = quick ? 2 : 5;
  n_points = g_strdup_printf ("%u", quick ? 2400 : 12000);
  args[1] = n_points;

  /* A private cache, settings in memory, the schemas of the build tree. */
  tmp = g_dir_make_tmp ("bench-ingest-XXXXXX", &error);
  if (tmp == NULL)
    die ("%s", error->message);
  data_home = g_build_filename (tmp, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* Xvfb has no GPU: GL there is llvmpipe, whose threads take both cores
   * of a small machine for what a GPU does on a desktop (bench-map measures
   * both renderers). GSK_RENDERER=gl to compare. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL && g_getenv ("RL_BUILD_ROOT") != NULL)
    {
      g_autofree char *dir = g_build_filename (g_getenv ("RL_BUILD_ROOT"), "data", NULL);

      g_setenv ("GSETTINGS_SCHEMA_DIR", dir, TRUE);
    }
  gtk_init ();
  adw_init ();
  rl_mqtt_lib_init ();

  progress ("starting reloop-devserver --drop-points %s and mosquitto", n_points);
  server = rl_test_devserver_start (args, &error);
  if (server == NULL)
    die ("%s", error->message);
  broker = rl_test_broker_start (&error);
  if (broker == NULL)
    die ("%s", error->message);
  bench.port = broker->port;
  bench.port_text = g_strdup_printf ("%u", broker->port);

  clear_keyring (server->url);
  session = rl_session_new ();
  rl_session_sign_in_async (session, server->url, ADMIN, "reloop-demo", NULL,
                            rl_test_store_result_cb, &result);
  if (!rl_session_sign_in_finish (session, rl_test_wait_result (&result, TIMEOUT_MS), &error))
    die ("sign-in failed: %s", error->message);
  if (!rl_test_wait_until (synced, session, TIMEOUT_MS))
    die ("the first sync did not finish");
  store = rl_session_get_store (session);

  bench.devices = g_ptr_array_new_with_free_func (g_free);
  pick = (Pick){ bench.devices, bench.n_devices };
  if (!rl_store_foreach_drop_point (store, pick_device, &pick, &error))
    die ("%s", error->message);
  if (bench.devices->len < bench.n_devices)
    die ("only %u devices in the cache", bench.devices->len);
  progress ("cache: %" G_GINT64_FORMAT " drop points, %u devices used",
            rl_store_count (store, "drop_point"), bench.devices->len);

  for (guint r = 0; r < rounds; r++)
    {
      Ingest in = { 0 };

      progress ("ingest round %u", r + 1);
      run_ingest (&bench, store, &in);
      g_array_append_val (ingests, in);
    }
  run_screen (&bench, session, &screenful);

  for (guint r = 0; r < MAX (ingests->len, 1); r++)
    {
      g_autofree char *ingest = NULL;

      if (r < ingests->len)
        {
          Ingest *in = &g_array_index (ingests, Ingest, r);
          double  console = bench.n_messages / in->console_s;
          double  sub = bench.n_messages / in->sub_s;

          ingest = g_strdup_printf (
              "\"console_msgs_per_s\":%.0f,\"mosquitto_sub_msgs_per_s\":%.0f,\"ratio\":%.3f,"
              "\"console_s\":%.3f,\"mosquitto_sub_s\":%.3f,\"backlog_publish_s\":%.2f,"
              "\"transactions\":%u,\"readings_per_transaction\":%.0f",
              console, sub, console / sub, in->console_s, in->sub_s, in->publish_s, in->batches,
              in->mean_batch);
        }
      else
        ingest = g_strdup ("\"console_msgs_per_s\":null,\"mosquitto_sub_msgs_per_s\":null,"
                           "\"ratio\":null");
      printf ("{\"bench\":\"ingest\",\"messages\":%u,\"devices\":%u,%s,\"latency_p95_ms\":%.1f,"
              "\"latency_p50_ms\":%.1f,\"latency_max_ms\":%.1f,\"dispatch_p50_ms\":%.1f,"
              "\"dispatch_p95_ms\":%.1f,\"latency_samples\":%u,\"latency_frames\":%u,"
              "\"latency_rate\":5000,\"composited\":%s,\"renderer\":\"%s\","
              "\"lateness_idle_ms\":%.2f,\"lateness_burst_ms\":%.2f,\"burst_max_points_changed\":%u,\"burst_max_handler_ms\":%.1f,\"burst_rate\":10000,"
              "\"phase_s\":%.0f,\"quick\":%s}\n",
              bench.n_messages, bench.n_devices, ingest, screenful.latency_p95,
              screenful.latency_p50, screenful.latency_max, screenful.dispatch_p50,
              screenful.dispatch_p95, screenful.samples, screenful.frames,
              screenful.composited ? "true" : "false", g_getenv ("GSK_RENDERER"),
              screenful.lateness_idle, screenful.lateness_burst, screenful.burst_max_points,
              screenful.burst_max_handler_ms,
              bench.phase_s,
              quick ? "true" : "false");
    }
  fflush (stdout);

  clear_keyring (server->url);
  g_clear_object (&session);
  g_ptr_array_unref (bench.devices);
  g_free (bench.port_text);
  rl_test_rm_rf (tmp);
  return 0;
}
