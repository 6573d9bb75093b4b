/* test-feed-record.c — record the raw feed from a real mosquitto, replay the
 * file into a fresh cache through the same checks (the same counters, the
 * same rows), replay twice (only duplicates), bad lines, a file error, and
 * the readings CSV export (also under a locale whose decimal mark is ',').
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "feed-test-util.h"
#include "rl-store-alerts.h"
#include "rl-store-export.h"
#include "rl-time.h"

typedef FeedTestFixture Fixture;

typedef struct
{
  char *topic;
  char *payload;
} Sent;

static void
add_drop_point (RlStoreBatch *batch,
                const char   *id,
                const char   *device)
{
  g_autofree char *json = g_strdup_printf (
      "{\"id\":\"%s\",\"name\":\"Point %s\",\"latitude\":27.7,\"longitude\":85.3,"
      "\"status\":\"active\",\"deviceId\":\"%s\",\"fillLevel\":10.0,"
      "\"isOnline\":true,\"lastReadingAt\":\"2026-01-01T00:00:00Z\",\"version\":1}",
      id, id, device);

  rl_test_batch_upsert (batch, "drop_point", json);
}

/* A cache with the two drop points of every test. */
static RlStore *
new_cache (const char *dir,
           const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autoptr (RlStoreBatch) batch = NULL;

  g_assert_no_error (error);
  batch = rl_store_batch_begin (store, &error);
  g_assert_no_error (error);
  add_drop_point (batch, "dp-1", "bin-1");
  add_drop_point (batch, "dp-2", "bin-2");
  g_assert_true (rl_store_batch_commit (batch, &error));
  return g_steal_pointer (&store);
}

static void
fixture_set_up (Fixture           *f,
                gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;

  f->broker = rl_test_broker_start (&error);
  g_assert_no_error (error);
  f->dir = g_dir_make_tmp ("rl-feed-record-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = new_cache (f->dir, "live.sqlite");
  feed_test_fixture_start (f);
}

static void
fixture_tear_down (Fixture           *f,
                   gconstpointer data G_GNUC_UNUSED)
{
  feed_test_fixture_tear_down (f);
}

static void
sent_clear (gpointer data)
{
  Sent *sent = data;

  g_free (sent->topic);
  g_free (sent->payload);
}

static void
send (Fixture    *f,
      GArray     *sent,
      const char *topic,
      char       *payload)
{
  Sent s = { g_strdup (topic), payload };

  feed_test_publish (&f->pub, topic, payload);
  g_array_append_val (sent, s);
}

/* A session worth replaying: new, duplicate and older readings, a reading
 * over the fill threshold (a local alert) and its clearing (auto-resolved),
 * a status, a bin's alert message, and rejected payloads. */
static GArray *
publish_session (Fixture *f)
{
  GArray          *sent = g_array_new (FALSE, TRUE, sizeof (Sent));
  g_autofree char *when = rl_time_format_ms (f->now);
  g_autofree char *future = rl_time_format_ms (rl_time_now_ms () + 24 * 3600 * 1000);
  char            *first = feed_test_reading ("bin-1", 40.5, 80, 24.25, f->now);

  g_array_set_clear_func (sent, sent_clear);
  send (f, sent, "devices/bin-1/sensor-data", first);
  send (f, sent, "devices/bin-1/sensor-data", g_strdup (first)); /* duplicate */
  send (f, sent, "devices/bin-1/sensor-data",
        feed_test_reading ("bin-1", 92.0, 79, 24.5, f->now + 1000)); /* FULL_BIN */
  send (f, sent, "devices/bin-1/sensor-data",
        feed_test_reading ("bin-1", 12.0, 79, NAN, f->now - 5000)); /* older */
  send (f, sent, "devices/bin-2/sensor-data",
        feed_test_reading ("bin-2", 55.0, 15, 30.0, f->now)); /* LOW_BATTERY */
  send (f, sent, "devices/bin-2/sensor-data",
        feed_test_reading ("bin-2", 20.0, 60, 30.0, f->now + 2000)); /* battery clears */
  send (f, sent, "devices/bin-2/status",
        g_strdup_printf ("{\"online\":false,\"timestamp\":\"%s\"}", when));
  send (f, sent, "devices/bin-2/alerts",
        g_strdup_printf ("{\"type\":\"SENSOR_FAULT\",\"severity\":\"LOW\","
                         "\"message\":\"Lid sensor \\\"stuck\\\"\",\"timestamp\":\"%s\"}",
                         when));
  /* Rejected: not JSON, an unknown device, from the future, too large. */
  send (f, sent, "devices/bin-1/sensor-data", g_strdup ("{\"binId\":\"bin-1\",\"fill"));
  send (f, sent, "devices/bin-9/sensor-data", feed_test_reading ("bin-9", 50, 50, 20, f->now));
  send (f, sent, "devices/bin-1/sensor-data",
        g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"timestamp\":\"%s\"}", future));
  send (f, sent, "devices/bin-2/status", g_strnfill (RL_FEED_MAX_PAYLOAD + 1, ' '));
  send (f, sent, "devices/bin-2/sensor-data", g_strdup ("")); /* empty payload: not JSON */
  return sent;
}

/* The counters a replay must reproduce (not batches or retries: how the
 * writer happened to group messages). */
static void
assert_same_counters (const RlFeedCounters *a,
                      const RlFeedCounters *b)
{
  g_assert_cmpuint (a->received, ==, b->received);
  g_assert_cmpuint (a->readings, ==, b->readings);
  g_assert_cmpuint (a->duplicates, ==, b->duplicates);
  g_assert_cmpuint (a->older, ==, b->older);
  g_assert_cmpuint (a->statuses, ==, b->statuses);
  g_assert_cmpuint (a->alerts, ==, b->alerts);
  g_assert_cmpuint (a->alert_records, ==, b->alert_records);
  g_assert_cmpuint (a->local_alerts, ==, b->local_alerts);
  g_assert_cmpuint (a->auto_resolved, ==, b->auto_resolved);
  for (guint i = 0; i < RL_FEED_N_REJECTS; i++)
    {
      g_test_message ("rejected %s: %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT,
                      rl_feed_reject_to_string (i), a->rejected[i], b->rejected[i]);
      g_assert_cmpuint (a->rejected[i], ==, b->rejected[i]);
    }
}

static char *
readings_json (RlStore    *store,
               const char *device)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) rows = rl_store_get_readings (store, device, 0, G_MAXINT64, 0, &error);
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  g_assert_no_error (error);
  json_node_set_array (node, rows);
  return json_to_string (node, FALSE);
}

static gboolean
add_open_alert (const char   *device_id,
                const char   *type,
                RlAlertSource source,
                gpointer      user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%s %s %d", device_id, type, source));
  return TRUE;
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* Open alerts "device type source", sorted, one per line. */
static char *
open_alerts (RlStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (rl_store_foreach_open_alert (store, add_open_alert, rows, &error));
  g_assert_no_error (error);
  g_ptr_array_sort (rows, compare_strings);
  g_ptr_array_add (rows, NULL);
  return g_strjoinv ("\n", (char **) rows->pdata);
}

static char *
point_state (RlStore    *store,
             const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) record = rl_store_get_record (store, "drop_point", id, &error);

  g_assert_no_error (error);
  return g_strdup_printf ("fill %g online %d last %s",
                          json_object_get_double_member (record, "fillLevel"),
                          json_object_get_boolean_member (record, "isOnline"),
                          json_object_get_string_member (record, "lastReadingAt"));
}

/* The stored state a replay must reproduce. */
static void
assert_same_rows (RlStore *a,
                  RlStore *b)
{
  const char *devices[] = { "bin-1", "bin-2" };
  const char *points[] = { "dp-1", "dp-2" };

  for (guint i = 0; i < G_N_ELEMENTS (devices); i++)
    {
      g_autofree char *ra = readings_json (a, devices[i]);
      g_autofree char *rb = readings_json (b, devices[i]);
      g_autofree char *pa = point_state (a, points[i]);
      g_autofree char *pb = point_state (b, points[i]);

      g_assert_cmpstr (ra, ==, rb);
      g_assert_cmpstr (pa, ==, pb);
    }
  {
    g_autofree char *oa = open_alerts (a);
    g_autofree char *ob = open_alerts (b);

    g_assert_cmpstr (oa, ==, ob);
  }
  g_assert_cmpint (rl_store_count (a, "reading"), ==, rl_store_count (b, "reading"));
  g_assert_cmpint (rl_store_count (a, "alert"), ==, rl_store_count (b, "alert"));
}

typedef struct
{
  gboolean done;
  gboolean ok;
  guint64  messages;
  guint64  bad_lines;
  GError  *error;
} ReplayWait;

static void
replay_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ReplayWait *w = user_data;

  w->ok = rl_feed_replay_finish (RL_FEED (source), result, &w->messages, &w->error);
  w->bad_lines = rl_feed_replay_get_bad_lines (result);
  w->done = TRUE;
}

static gboolean
replay_done (gpointer user_data)
{
  return ((ReplayWait *) user_data)->done;
}

static void
replay (RlFeed     *feed,
        const char *path,
        ReplayWait *w)
{
  memset (w, 0, sizeof *w);
  rl_feed_replay_async (feed, path, NULL, replay_cb, w);
  g_assert_true (rl_test_wait_until (replay_done, w, 60000));
}

static gchar **
read_lines (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (text, "\n"));
  text[strlen (text) - 1] = '\0';
  return g_strsplit (text, "\n", -1);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_record_replay (Fixture           *f,
                    gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "session.jsonl", NULL);
  g_autoptr (GArray) sent = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (RlStore) fresh = NULL;
  g_autoptr (RlFeed) replayed = NULL;
  RlFeedCounters live, again, before;
  ReplayWait     w;
  guint          notifies = 0;

  g_signal_connect_swapped (f->feed, "notify::recording", G_CALLBACK (count_cb), &notifies);
  g_assert_false (rl_feed_get_recording (f->feed));
  g_assert_true (rl_feed_record_start (f->feed, path, &error));
  g_assert_no_error (error);
  g_assert_true (rl_feed_get_recording (f->feed));
  g_assert_cmpuint (notifies, ==, 1);

  sent = publish_session (f);
  FEED_TEST_WAIT_COUNTER (f->feed, received, sent->len);
  FEED_TEST_WAIT_COUNTER (f->feed, alert_records, 1);
  FEED_TEST_WAIT_COUNTER (f->feed, auto_resolved, 1);
  FEED_TEST_WAIT_COUNTER (f->feed, rejected[RL_FEED_REJECT_UNKNOWN_DEVICE], 1);
  rl_feed_record_stop (f->feed);
  g_assert_false (rl_feed_get_recording (f->feed));
  g_assert_null (rl_feed_get_record_error (f->feed));
  g_assert_cmpuint (notifies, ==, 2);
  /* Raw feed messages: readable by their owner only. */
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
  rl_feed_get_counters (f->feed, &live);
  /* What the session holds, so that the comparison below means something. */
  g_assert_cmpuint (live.received, ==, 13);
  g_assert_cmpuint (live.readings, ==, 4);
  g_assert_cmpuint (live.duplicates, ==, 1);
  g_assert_cmpuint (live.older, ==, 1);
  g_assert_cmpuint (live.statuses, ==, 1);
  g_assert_cmpuint (live.alerts, ==, 1);
  g_assert_cmpuint (live.local_alerts, ==, 2);
  g_assert_cmpuint (live.rejected[RL_FEED_REJECT_NOT_JSON], ==, 2);
  g_assert_cmpuint (live.rejected[RL_FEED_REJECT_FUTURE], ==, 1);
  g_assert_cmpuint (live.rejected[RL_FEED_REJECT_TOO_LARGE], ==, 1);

  /* One line per message, in order, the payload byte for byte. */
  lines = read_lines (path);
  g_assert_cmpuint (g_strv_length (lines), ==, sent->len);
  for (guint i = 0; i < sent->len; i++)
    {
      const Sent *s = &g_array_index (sent, Sent, i);
      g_autoptr (JsonNode) node = json_from_string (lines[i], &error);
      JsonObject        *object;
      g_autofree guchar *payload = NULL;
      gsize              length = 0;
      gint64             received;

      g_assert_no_error (error);
      object = json_node_get_object (node);
      g_assert_cmpuint (json_object_get_size (object), ==, 3);
      g_assert_cmpstr (json_object_get_string_member (object, "topic"), ==, s->topic);
      g_assert_true (
          rl_time_parse_ms (json_object_get_string_member (object, "received"), &received));
      g_assert_cmpint (ABS (received - rl_time_now_ms ()), <, 60000);
      payload = g_base64_decode (json_object_get_string_member (object, "payload"), &length);
      g_assert_cmpmem (payload, length, s->payload, strlen (s->payload));
    }

  /* Replayed into a fresh cache by a feed that never connected. */
  fresh = new_cache (f->dir, "replay.sqlite");
  replayed = rl_feed_new (fresh);
  replay (replayed, path, &w);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  g_assert_cmpuint (w.messages, ==, sent->len);
  g_assert_cmpuint (w.bad_lines, ==, 0);
  g_assert_cmpint (rl_feed_get_state (replayed), ==, RL_FEED_STATE_STOPPED);
  rl_feed_get_counters (replayed, &again);
  assert_same_counters (&live, &again);
  assert_same_rows (f->store, fresh);

  /* Twice: nothing new is stored, every reading is a duplicate. */
  before = again;
  replay (replayed, path, &w);
  g_assert_no_error (w.error);
  g_assert_cmpuint (w.messages, ==, sent->len);
  rl_feed_get_counters (replayed, &again);
  g_assert_cmpuint (again.received, ==, 2 * before.received);
  g_assert_cmpuint (again.readings, ==, before.readings);
  g_assert_cmpuint (again.older, ==, before.older);
  g_assert_cmpuint (again.duplicates, ==,
                    before.duplicates + before.readings + before.duplicates + before.older);
  g_assert_cmpuint (again.local_alerts, ==, before.local_alerts);
  g_assert_cmpuint (again.alert_records, ==, before.alert_records);
  assert_same_rows (f->store, fresh);

  /* Into the live feed too, while it is connected: only duplicates. */
  replay (f->feed, path, &w);
  g_assert_no_error (w.error);
  rl_feed_get_counters (f->feed, &again);
  g_assert_cmpuint (again.readings, ==, live.readings);
  g_assert_cmpuint (again.duplicates, ==,
                    live.duplicates + live.readings + live.duplicates + live.older);
  g_assert_cmpint (rl_feed_get_state (f->feed), ==, RL_FEED_STATE_CONNECTED);
  assert_same_rows (f->store, fresh);
}

static void
test_replay_bad_lines (Fixture           *f,
                       gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "damaged.jsonl", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.jsonl", NULL);
  g_autofree char *reading = feed_test_reading ("bin-1", 33.5, 70, 20, f->now);
  g_autofree char *b64 = g_base64_encode ((const guchar *) reading, strlen (reading));
  g_autofree char *when = rl_time_format_ms (f->now);
  g_autofree char *huge = g_strnfill (17 * 1024 * 1024, 'x');
  g_autofree char *text = NULL;
  g_autoptr (RlFeed) feed = rl_feed_new (f->store);
  RlFeedCounters c;
  ReplayWait     w;

  text = g_strdup_printf (
      /* 1 good (received as RFC 3339) */
      "{\"topic\":\"devices/bin-1/sensor-data\",\"received\":\"%s\",\"payload\":\"%s\"}\n"
      "not json at all\n"
      "[1,2,3]\n"
      "\n" /* blank: not a record, not counted */
      "{\"topic\":\"devices/bin-1/sensor-data\",\"received\":\"%s\",\"payload\":\"!!notb64\"}\n"
      "{\"topic\":\"devices/bin-1/sensor-data\",\"received\":\"%s\"}\n"
      "{\"topic\":\"\",\"received\":\"%s\",\"payload\":\"\"}\n"
      "{\"topic\":\"devices/bin-1/sensor-data\",\"received\":\"later\",\"payload\":\"%s\"}\n"
      "{\"topic\":\"devices/bin-1/sensor-data\",\"received\":\"%s\",\"payload\":\"e30\"}\n"
      "%s\n"
      /* 1 good (received in ms), a CRLF line end, and no final newline */
      "{\"topic\":\"devices/bin-2/status\",\"received\":%" G_GINT64_FORMAT
      ",\"payload\":\"%s\"}\r\n"
      "{\"topic\":\"devices/bin-9/status\",\"received\":1,\"payload\":\"e30=\"}",
      when, b64, when, when, when, b64, when, huge, f->now, "eyJvbmxpbmUiOmZhbHNlfQ==");
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);

  replay (feed, path, &w);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  /* The reading, the status (no timestamp: rejected by the checks, still
   * a replayed message) and "{}" on bin-9's status. */
  g_assert_cmpuint (w.messages, ==, 3);
  g_assert_cmpuint (w.bad_lines, ==, 8);
  rl_feed_get_counters (feed, &c);
  g_assert_cmpuint (c.received, ==, 3);
  g_assert_cmpuint (c.readings, ==, 1);
  g_assert_cmpuint (c.rejected[RL_FEED_REJECT_MISSING_FIELD], ==, 2);

  /* A file that is not there: an error, nothing replayed. */
  replay (feed, missing, &w);
  g_assert_false (w.ok);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&w.error);
  rl_feed_get_counters (feed, &c);
  g_assert_cmpuint (c.received, ==, 3);
}

static gboolean
recording_failed (gpointer user_data)
{
  RlFeed *feed = user_data;

  return !rl_feed_get_recording (feed) && rl_feed_get_record_error (feed) != NULL;
}

static void
test_record_file_error (Fixture           *f,
                        gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *nowhere = g_build_filename (f->dir, "no", "such", "dir.jsonl", NULL);
  g_autofree char *path = g_build_filename (f->dir, "small.jsonl", NULL);
  g_autofree char *big = g_strnfill (60 * 1024, 'y');
  struct rlimit    old, small;
  guint            error_notifies = 0;

  /* A file that cannot be created: FALSE, not recording. */
  g_assert_false (rl_feed_record_start (f->feed, nowhere, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (rl_feed_get_recording (f->feed));

  /* A write that fails (the file size limit, as a full disk would): the
   * recording stops and says why; the feed goes on. */
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old), ==, 0);
  signal (SIGXFSZ, SIG_IGN);
  g_signal_connect_swapped (f->feed, "notify::record-error", G_CALLBACK (count_cb),
                            &error_notifies);
  g_assert_true (rl_feed_record_start (f->feed, path, &error));
  g_assert_no_error (error);
  small = old;
  small.rlim_cur = 1024 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);
  for (guint i = 0; i < 40; i++)
    feed_test_publish (&f->pub, "devices/bin-1/sensor-data", big);
  FEED_TEST_WAIT_COUNTER (f->feed, rejected[RL_FEED_REJECT_NOT_JSON], 40);
  g_assert_true (rl_test_wait_until (recording_failed, f->feed, 15000));
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old), ==, 0);
  g_assert_nonnull (rl_feed_get_record_error (f->feed));
  g_assert_true (rl_feed_get_record_error (f->feed)->domain == G_IO_ERROR);
  g_assert_cmpuint (error_notifies, ==, 1);
  g_assert_cmpint (rl_feed_get_state (f->feed), ==, RL_FEED_STATE_CONNECTED);

  /* Starting again clears the error. */
  g_assert_true (rl_feed_record_start (f->feed, path, &error));
  g_assert_no_error (error);
  g_assert_null (rl_feed_get_record_error (f->feed));
  g_assert_cmpuint (error_notifies, ==, 2);
  rl_feed_record_stop (f->feed);
  signal (SIGXFSZ, SIG_DFL);
}

/* ---- CSV export (no broker) --------------------------------------------- */

static char *
export_csv (RlStore    *store,
            const char *device)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_assert_true (rl_store_export_readings_csv (store, device, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

/* A locale whose decimal mark is ',' (one installed, or de_DE made with
 * localedef into @dir): its name, or NULL (the caller fails). */
static char *
comma_locale (const char *dir)
{
  const char      *installed[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "nl_NL.UTF-8", "es_ES.UTF-8" };
  g_autofree char *made = g_build_filename (dir, "locales", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int              status = -1;
  const char      *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", NULL, NULL };
  g_autofree char *target = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (installed); i++)
    if (setlocale (LC_NUMERIC, installed[i]) != NULL)
      {
        setlocale (LC_NUMERIC, "C");
        return g_strdup (installed[i]);
      }

  g_assert_cmpint (g_mkdir_with_parents (made, 0700), ==, 0);
  target = g_build_filename (made, "de_DE.UTF-8", NULL);
  argv[5] = target;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("localedef failed (is Debian's 'locales' installed?): %s", err);
      return NULL;
    }
  g_setenv ("LOCPATH", made, TRUE);
  return g_strdup ("de_DE.UTF-8");
}

static void
test_export_csv (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rl-export-XXXXXX", &error);
  g_autoptr (RlStore) store = NULL;
  g_autoptr (RlStoreBatch) batch = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *name = NULL;
  gint64           t0 = 1795253400000; /* 2026-11-21T09:30:00.000Z */
  const char      *expected =
      "timestamp,fill_level,weight,temperature,humidity,battery_level\r\n"
      "2026-11-21T09:30:00.000Z,12.5,38.2,-3.75,61,88\r\n"
      "2026-11-21T09:30:01.250Z,0.1,,,,\r\n"
      "2026-11-21T10:30:00.000Z,100,1234567.891,24.000000000000004,0,0.30000000000000004\r\n";

  g_assert_no_error (error);
  {
    g_autofree char *check = rl_time_format_ms (t0);

    g_assert_cmpstr (check, ==, "2026-11-21T09:30:00.000Z");
  }
  store = new_cache (dir, "cache.sqlite");
  batch = rl_store_batch_begin (store, &error);
  g_assert_no_error (error);
  /* Out of order on purpose: the export is oldest first. */
  g_assert_cmpint (rl_store_batch_add_reading (batch, "bin-1", t0 + 3600000, 100, 1234567.891,
                                               24.000000000000004, 0, 0.1 + 0.2, &error),
                   ==, RL_STORE_READING_ADDED);
  g_assert_cmpint (
      rl_store_batch_add_reading (batch, "bin-1", t0, 12.5, 38.2, -3.75, 61, 88, &error), ==,
      RL_STORE_READING_ADDED);
  g_assert_cmpint (
      rl_store_batch_add_reading (batch, "bin-1", t0 + 1250, 0.1, NAN, NAN, NAN, NAN, &error), ==,
      RL_STORE_READING_ADDED);
  g_assert_cmpint (
      rl_store_batch_add_reading (batch, "bin-2", t0, 50, 1, 2, 3, 4, &error), ==,
      RL_STORE_READING_ADDED);
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);

  csv = export_csv (store, "bin-1");
  g_assert_cmpstr (csv, ==, expected);
  /* A device with no readings: the header alone. */
  empty = export_csv (store, "bin-404");
  g_assert_cmpstr (empty, ==, "timestamp,fill_level,weight,temperature,humidity,battery_level\r\n");

  /* Under a locale that writes 1,5: the same bytes. */
  name = comma_locale (dir);
  if (name == NULL)
    {
      g_test_fail ();
      g_test_message ("no locale with a ',' decimal mark could be set up: cannot prove the "
                      "export ignores the locale");
    }
  else
    {
      g_autofree char *again = NULL;
      char             probe[32];

      g_assert_nonnull (setlocale (LC_ALL, name));
      g_snprintf (probe, sizeof probe, "%.1f", 1.5);
      g_assert_cmpstr (probe, ==, "1,5");
      again = export_csv (store, "bin-1");
      setlocale (LC_ALL, "C");
      g_assert_cmpstr (again, ==, expected);
    }

  g_clear_object (&store);
  rl_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/feed/record/replay", Fixture, NULL, fixture_set_up, test_record_replay,
              fixture_tear_down);
  g_test_add ("/feed/record/bad-lines", Fixture, NULL, fixture_set_up, test_replay_bad_lines,
              fixture_tear_down);
  g_test_add ("/feed/record/file-error", Fixture, NULL, fixture_set_up, test_record_file_error,
              fixture_tear_down);
  g_test_add_func ("/feed/record/export-csv", test_export_csv);
  return g_test_run ();
}
