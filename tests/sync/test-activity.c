/* test-activity.c — runs, run logs and sync logs fetched into the cache
 * (src/core/sync/rl-activity.c) against a real reloop-devserver: the first
 * fetch fills them, the next stops at the first known page, the 6,000-line
 * log is stored whole, retention prunes, a retry's answer updates the
 * cached run at once, and offline nothing is fetched or changed.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rl-activity.h"
#include "rl-api.h"
#include "rl-error.h"
#include "rl-store-activity.h"
#include "rl-store-monitor.h"
#include "rl-time.h"
#include "sync-test-util.h"

static RlTestDevserver *server;
static RlSession       *session;
static char            *token;

/* ---- Helpers --------------------------------------------------------------------- */

static gboolean
fetch (RlActivityTarget target,
       const char      *id,
       RlActivityStats *stats,
       GError         **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_session_fetch_activity_async (session, target, id, NULL, rl_test_store_result_cb, &result);
  return rl_session_fetch_activity_finish (session, rl_test_wait_result (&result, SYNC_TIMEOUT_MS),
                                           stats, error);
}

/* The server's list at @path (all of it). */
static JsonArray *
server_list (const char *path)
{
  g_autofree char *p = g_strdup_printf ("%s?limit=5000", path);
  g_autoptr (JsonNode) data = sync_test_call (server, token, "GET", p, NULL, NULL, 200);

  return json_array_ref (json_node_get_array (data));
}

static const char *
id_at (JsonArray *array,
       guint      i)
{
  return json_object_get_string_member (json_array_get_object_element (array, i), "id");
}

static gboolean
is_cached (const char *entity,
           const char *id)
{
  g_autoptr (JsonObject) record =
      rl_store_get_record (rl_session_get_store (session), entity, id, NULL);

  return record != NULL;
}

/* The console's requests (the test itself reads the server as admin)
 * since @since whose path starts with @prefix (under /api/v1). */
static guint
requests_by (const char *user,
             const char *method,
             const char *prefix,
             gint64      since)
{
  g_autoptr (JsonArray) log = sync_test_requests (server, since);
  g_autofree char *full = g_strconcat ("/api/v1", prefix, NULL);
  guint            n = 0;

  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *r = json_array_get_object_element (log, i);

      if (g_str_equal (json_object_get_string_member (r, "method"), method)
          && g_strcmp0 (json_object_get_string_member (r, "user"), user) == 0
          && g_str_has_prefix (json_object_get_string_member (r, "path"), full))
        n++;
    }
  return n;
}

static guint
requests_to (const char *method,
             const char *prefix,
             gint64      since)
{
  return requests_by (SYNC_SUPPORT, method, prefix, since);
}

typedef struct
{
  guint runs, sync_log, run_log;
} Heard;

static void
changed_cb (RlStoreMonitor *monitor,
            RlStoreChanges *changes,
            Heard          *heard)
{
  heard->runs += rl_store_changes_has_entity (changes, "run");
  heard->sync_log += rl_store_changes_has_entity (changes, "sync_log");
  heard->run_log += rl_store_changes_has_entity (changes, "run_log");
}

static gboolean
heard_runs (gpointer user_data)
{
  return ((Heard *) user_data)->runs > 0;
}

static gboolean
run_finished (gpointer user_data)
{
  g_autofree char *path = g_strdup_printf ("/runs/%s", (const char *) user_data);
  g_autoptr (JsonObject) run = sync_test_get (server, token, path);
  const char *status = json_object_get_string_member (run, "status");

  return g_str_equal (status, "succeeded") || g_str_equal (status, "failed");
}

/* ---- Cases ----------------------------------------------------------------------- */

/* The first fetch of a workflow's runs walks every page (604 runs: two of
 * 500) into the cache and the lists hear of it; the next stops at its first
 * page, which holds runs the cache has unchanged, and adds only new ones. */
static void
test_runs_newest_until_known (void)
{
  g_autoptr (RlStoreMonitor) monitor = rl_store_monitor_new (rl_session_get_store (session));
  g_autoptr (JsonArray) before = server_list ("/workflows/wf-0004/runs");
  g_autoptr (JsonArray) after = NULL;
  g_autoptr (GError) error = NULL;
  RlActivityStats stats;
  Heard           heard = { 0 };
  gint64          since = sync_test_request_seq (server);
  const char     *new_ids[2];

  g_signal_connect (monitor, "changed", G_CALLBACK (changed_cb), &heard);
  g_assert_cmpuint (json_array_get_length (before), ==, 600 + 4);
  g_assert_false (is_cached ("run", id_at (before, 0)));

  g_assert_true (fetch (RL_ACTIVITY_WORKFLOW_RUNS, "wf-0004", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pages, ==, 2);
  g_assert_cmpuint (stats.written, ==, 604);
  g_assert_cmpuint (stats.known, ==, 0);
  for (guint i = 0; i < json_array_get_length (before); i++)
    g_assert_true (is_cached ("run", id_at (before, i)));
  g_assert_cmpuint (requests_to ("GET", "/workflows/wf-0004/runs", since), ==, 2);
  g_assert_true (rl_test_wait_until (heard_runs, &heard, SYNC_TIMEOUT_MS));

  /* Two new runs on the server. */
  for (guint i = 0; i < G_N_ELEMENTS (new_ids); i++)
    {
      g_autoptr (JsonNode) run =
          sync_test_call (server, token, "POST", "/workflows/wf-0004/runs", NULL, NULL, 201);
      new_ids[i] = g_strdup (json_object_get_string_member (json_node_get_object (run), "id"));
      g_assert_true (rl_test_wait_until (run_finished, (gpointer) new_ids[i], SYNC_TIMEOUT_MS));
    }
  since = sync_test_request_seq (server);
  g_assert_true (fetch (RL_ACTIVITY_WORKFLOW_RUNS, "wf-0004", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pages, ==, 1);
  g_assert_cmpuint (stats.written, ==, 2);
  g_assert_cmpuint (stats.known, ==, 500 - 2);
  g_assert_cmpuint (requests_to ("GET", "/workflows/wf-0004/runs", since), ==, 1);
  after = server_list ("/workflows/wf-0004/runs");
  for (guint i = 0; i < G_N_ELEMENTS (new_ids); i++)
    {
      g_autoptr (JsonObject) cached =
          sync_test_cached (session, "run", new_ids[i]);
      g_assert_cmpstr (json_object_get_string_member (cached, "status"), ==, "failed");
      g_free ((char *) new_ids[i]);
    }
  g_assert_cmpuint (json_array_get_length (after), ==, 606);
}

/* A run and its log: the 6,000-line log with its escapes is stored whole,
 * in order; fetched again while the run is finished and unchanged, the log
 * is not asked for. */
static void
test_long_log (void)
{
  g_autoptr (JsonArray) runs = server_list ("/workflows/wf-0003/runs");
  const char      *run_id = id_at (runs, 0);
  g_autofree char *log_path = g_strdup_printf ("/runs/%s/log", run_id);
  g_autoptr (JsonArray) server_log = server_list (log_path);
  g_autoptr (JsonArray) cached = NULL;
  g_autoptr (GError) error = NULL;
  RlActivityStats stats;
  gint64          since = sync_test_request_seq (server);
  guint           n;

  g_assert_true (fetch (RL_ACTIVITY_RUN, run_id, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rl_store_count_run_log (rl_session_get_store (session), run_id), ==, 6000);
  cached = rl_store_get_run_log (rl_session_get_store (session), run_id, &error);
  g_assert_no_error (error);
  n = json_array_get_length (cached);
  g_assert_cmpuint (n, ==, 6000);
  /* oldest first in the cache, newest first on the wire: the same lines
   * (the server's first page: the newest 5,000) */
  g_assert_cmpuint (json_array_get_length (server_log), ==, 5000);
  for (guint i = 0; i < json_array_get_length (server_log); i++)
    g_assert_cmpstr (
        json_object_get_string_member (json_array_get_object_element (cached, n - 1 - i),
                                       "message"),
        ==,
        json_object_get_string_member (json_array_get_object_element (server_log, i), "message"));
  g_assert_nonnull (strstr (
      json_object_get_string_member (json_array_get_object_element (cached, 100), "message"),
      "\033["));
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (cached, n - 1), "message"),
      ==, "Run succeeded");
  g_assert_cmpuint (requests_to ("GET", log_path, since), ==, 2);

  since = sync_test_request_seq (server);
  g_assert_true (fetch (RL_ACTIVITY_RUN, run_id, &stats, &error));
  g_assert_cmpuint (stats.known, ==, 1);
  g_assert_cmpuint (requests_to ("GET", log_path, since), ==, 0);
  g_assert_cmpint (rl_store_count_run_log (rl_session_get_store (session), run_id), ==, 6000);

  /* A run the server no longer has (404) leaves the cache with its log. */
  {
    g_autoptr (JsonArray) page = json_array_new ();
    g_autoptr (JsonArray) lines = json_array_new ();
    JsonObject *gone = json_object_new ();
    JsonObject *line = json_object_new ();

    json_object_set_string_member (gone, "id", "run-gone");
    json_object_set_string_member (gone, "workflowId", "wf-0001");
    json_object_set_string_member (gone, "status", "failed");
    json_array_add_object_element (page, gone);
    json_object_set_string_member (line, "message", "old");
    json_array_add_object_element (lines, line);
    g_assert_true (rl_store_put_activity_page (rl_session_get_store (session), "run", page, NULL,
                                               NULL, NULL, NULL, &error));
    g_assert_true (
        rl_store_replace_run_log (rl_session_get_store (session), "run-gone", lines, &error));
    g_assert_no_error (error);
    g_assert_true (is_cached ("run", "run-gone"));
    g_assert_false (fetch (RL_ACTIVITY_RUN, "run-gone", &stats, &error));
    g_assert_error (error, RL_ERROR, RL_ERROR_NOT_FOUND);
    g_assert_false (is_cached ("run", "run-gone"));
    g_assert_cmpint (rl_store_count_run_log (rl_session_get_store (session), "run-gone"), ==, 0);
  }
}

/* A job's sync log: all of it first (the contract's rows name no job: the
 * cache does), then only the first page. */
static void
test_sync_log (void)
{
  g_autoptr (JsonArray) rows = server_list ("/sync/jobs/sj-0001/log");
  g_autoptr (JsonObject) newest = NULL;
  g_autoptr (GError) error = NULL;
  RlActivityStats stats;

  g_assert_true (fetch (RL_ACTIVITY_SYNC_LOG, "sj-0001", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.written, ==, json_array_get_length (rows));
  newest = sync_test_cached (session, "sync_log", id_at (rows, 0));
  g_assert_cmpstr (json_object_get_string_member (newest, "jobId"), ==, "sj-0001");
  g_assert_true (is_cached ("sync_log", id_at (rows, json_array_get_length (rows) - 1)));

  g_assert_true (fetch (RL_ACTIVITY_SYNC_LOG, "sj-0001", &stats, &error));
  g_assert_cmpuint (stats.pages, ==, 1);
  g_assert_cmpuint (stats.written, ==, 0);
  g_assert_cmpuint (stats.known, ==, json_array_get_length (rows));
}

/* A retry's answer (queued, attempt 2) is in the cache as soon as the row
 * is sent, with no fetch. */
static void
test_retry_answer (void)
{
  g_autoptr (JsonArray) runs = server_list ("/workflows/wf-0004/runs");
  g_autoptr (JsonObject) cached = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *run_path = NULL;
  const char      *failed = NULL;
  gint64           since;

  for (guint i = 0; i < json_array_get_length (runs) && failed == NULL; i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (runs, i),
                                                    "status"),
                     "failed")
        && is_cached ("run", id_at (runs, i)))
      failed = id_at (runs, i);
  g_assert_nonnull (failed);
  run_path = g_strdup_printf ("/runs/%s", failed);

  since = sync_test_request_seq (server);
  g_assert_cmpint (rl_session_run_action (session, failed, RL_RUN_ACTION_RETRY, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (sync_test_wait_pending (session, 0, SYNC_TIMEOUT_MS));
  cached = sync_test_cached (session, "run", failed);
  g_assert_cmpint (json_object_get_int_member (cached, "attempt"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (cached, "status"), ==, "queued");
  g_assert_true (json_object_get_null_member (cached, "error"));
  /* from the POST's answer: the run was not read again */
  g_assert_cmpuint (requests_to ("POST", run_path, since), ==, 1);
  g_assert_cmpuint (requests_to ("GET", run_path, since), ==, 0);
}

/* Retention: finished runs started before the horizon go with their logs;
 * a run still running stays whatever its age (the zombie). */
static void
test_retention (void)
{
  RlStore *store = rl_session_get_store (session);
  g_autoptr (JsonArray) wf3 = server_list ("/workflows/wf-0003/runs");
  g_autoptr (JsonArray) wf1 = server_list ("/workflows/wf-0001/runs");
  g_autoptr (RlStoreMonitor) monitor = rl_store_monitor_new (store);
  g_autoptr (GError) error = NULL;
  Heard       heard = { 0 };
  gint64      runs_before, dropped;
  const char *zombie = id_at (wf1, 0);

  g_signal_connect (monitor, "changed", G_CALLBACK (changed_cb), &heard);
  g_assert_true (fetch (RL_ACTIVITY_WORKFLOW_RUNS, "wf-0001", NULL, &error));
  g_assert_true (fetch (RL_ACTIVITY_RUN, zombie, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr (JsonObject) z = sync_test_cached (session, "run", zombie);
    g_assert_cmpstr (json_object_get_string_member (z, "status"), ==, "running");
  }
  runs_before = rl_store_count (store, "run");

  /* Nothing is 30 days old. */
  g_assert_cmpint (rl_session_prune_activity (session, &error), ==, 0);
  g_assert_no_error (error);

  g_object_set (session, "activity-retention-days", 1, NULL);
  dropped = rl_session_prune_activity (session, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dropped, >, 6000);
  g_assert_cmpint (rl_store_count (store, "run"), <, runs_before);
  /* the long log's run started a day and some ago */
  g_assert_false (is_cached ("run", id_at (wf3, 0)));
  g_assert_cmpint (rl_store_count_run_log (store, id_at (wf3, 0)), ==, 0);
  g_assert_true (is_cached ("run", zombie));
  g_assert_cmpint (rl_store_count_run_log (store, zombie), >, 0);
  /* sync-log rows are minutes old */
  g_assert_cmpint (rl_store_count (store, "sync_log"), >, 0);
  g_assert_true (rl_test_wait_until (heard_runs, &heard, SYNC_TIMEOUT_MS));
  /* a fetch keeps to the horizon too: nothing older comes back */
  g_assert_true (fetch (RL_ACTIVITY_WORKFLOW_RUNS, "wf-0003", NULL, &error));
  g_assert_false (is_cached ("run", id_at (wf3, 0)));
  g_object_set (session, "activity-retention-days", 30, NULL);
}

static gboolean
refreshed (gpointer user_data)
{
  return !rl_session_get_activity_refreshing (session);
}

/* Runs the main loop for @us. */
static void
spin (gint64 us)
{
  gint64 until = g_get_monotonic_time () + us;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10 * 1000);
}

typedef struct
{
  const char *row_id; /* a sync-log row to wait for */
  gint64      since;  /* request-log seq */
} Wait;

static gboolean
row_cached (gpointer user_data)
{
  return is_cached ("sync_log", ((Wait *) user_data)->row_id);
}

static gboolean
all_workflows_fetched (gpointer user_data)
{
  Wait *wait = user_data;

  for (guint w = 1; w <= 5; w++)
    {
      g_autofree char *path = g_strdup_printf ("/workflows/wf-%04u/runs", w);
      if (requests_to ("GET", path, wait->since) == 0)
        return FALSE;
    }
  return TRUE;
}

/* A watched job's log: fetched at once, then every 10 s while watched
 * (sj-0003 is realtime: the devserver adds rows every few seconds), not
 * after unwatch; once something was watched, a pull refreshes every
 * workflow's runs. */
static void
test_watch (void)
{
  g_autoptr (JsonArray) first = server_list ("/sync/jobs/sj-0003/log");
  g_autoptr (JsonArray) later = NULL;
  Wait   wait = { id_at (first, 0), sync_test_request_seq (server) };
  gint64 started = g_get_monotonic_time ();
  guint  watch;

  watch = rl_session_watch_activity (session, RL_ACTIVITY_SYNC_LOG, "sj-0003");
  g_assert_cmpuint (watch, >, 0);
  g_assert_true (rl_test_wait_until (row_cached, &wait, SYNC_TIMEOUT_MS));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);

  /* a row the devserver wrote after the first fetch comes with a refresh */
  spin (4 * G_USEC_PER_SEC);
  later = server_list ("/sync/jobs/sj-0003/log");
  g_assert_cmpstr (id_at (later, 0), >, id_at (first, 0));
  wait.row_id = id_at (later, 0);
  g_assert_false (is_cached ("sync_log", wait.row_id));
  g_assert_true (rl_test_wait_until (row_cached, &wait, SYNC_TIMEOUT_MS));
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 9 * G_USEC_PER_SEC);
  g_assert_cmpuint (requests_to ("GET", "/sync/jobs/sj-0003/log", wait.since), ==, 2);

  rl_session_unwatch_activity (session, watch);
  wait.since = sync_test_request_seq (server);
  {
    g_autoptr (GError) error = NULL;
    g_assert_true (sync_test_pull (session, &error));
    g_assert_no_error (error);
  }
  g_assert_true (rl_test_wait_until (all_workflows_fetched, &wait, SYNC_TIMEOUT_MS));
  g_assert_true (rl_test_wait_until (refreshed, NULL, SYNC_TIMEOUT_MS * 3));
  spin (11 * G_USEC_PER_SEC);
  /* the pull's refresh; no watch tick */
  g_assert_cmpuint (requests_to ("GET", "/sync/jobs/sj-0003/log", wait.since), ==, 1);
}

/* Offline: a fetch fails at once, sends nothing and changes nothing (the
 * test's fatal warnings: no WARNING either). */
static void
test_offline (void)
{
  RlStore *store = rl_session_get_store (session);
  g_autoptr (GError) error = NULL;
  gint64          runs = rl_store_count (store, "run");
  gint64          rows = rl_store_count (store, "sync_log");
  gint64          since;
  RlActivityStats stats;
  g_autoptr (JsonArray) wf1 = server_list ("/workflows/wf-0001/runs");
  g_autoptr (JsonArray) wf4 = server_list ("/workflows/wf-0004/runs");
  const char *zombie = id_at (wf1, 0);
  const char *failed = NULL;

  for (guint i = 0; i < json_array_get_length (wf4) && failed == NULL; i++)
    if (g_str_equal (
            json_object_get_string_member (json_array_get_object_element (wf4, i), "status"),
            "failed"))
      failed = id_at (wf4, i);
  g_assert_nonnull (failed);
  rl_api_set_max_attempts (rl_session_get_api (session), 1);
  rl_session_set_probe_interval (session, 60000);
  sync_test_faults (server, "[{\"kind\":\"status\",\"status\":503}]");
  g_assert_false (sync_test_pull (session, &error));
  g_clear_error (&error);
  g_assert_cmpint (rl_session_get_state (session), ==, RL_SESSION_STATE_OFFLINE);

  since = sync_test_request_seq (server);
  g_assert_false (fetch (RL_ACTIVITY_WORKFLOW_RUNS, "wf-0002", &stats, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE);
  g_clear_error (&error);
  g_assert_false (fetch (RL_ACTIVITY_SYNC_LOG, "sj-0002", &stats, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE);
  g_clear_error (&error);
  g_assert_cmpuint (stats.pages, ==, 0);
  {
    /* a watch does not fetch either */
    guint watch = rl_session_watch_activity (session, RL_ACTIVITY_WORKFLOW_RUNS, "wf-0002");
    rl_session_unwatch_activity (session, watch);
  }
  {
    g_autoptr (JsonArray) sent = sync_test_requests (server, since);
    g_assert_cmpuint (json_array_get_length (sent), ==, 0);
  }
  g_assert_cmpint (rl_store_count (store, "run"), ==, runs);
  g_assert_cmpint (rl_store_count (store, "sync_log"), ==, rows);

  /* Actions (docs/activity.md "Offline"): cancelling is refused, a retry
   * is queued. */
  {
    gint64 outbox = rl_store_count (store, "outbox");
    gint64 row;

    g_assert_cmpint (rl_session_run_action (session, zombie, RL_RUN_ACTION_CANCEL, &error), ==, 0);
    g_assert_error (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NOT_ALLOWED);
    g_clear_error (&error);
    g_assert_cmpint (rl_store_count (store, "outbox"), ==, outbox);
    row = rl_session_run_action (session, failed, RL_RUN_ACTION_RETRY, &error);
    g_assert_no_error (error);
    g_assert_cmpint (row, >, 0);
    g_assert_cmpint (rl_store_count (store, "outbox"), ==, outbox + 1);
  }
  sync_test_faults (server, NULL);
}

/* One signed-in session through all the cases, in order (the isolated
 * data dirs exist inside a test case only). */
static void
test_activity (void)
{
  session = sync_test_sign_in (server, SYNC_SUPPORT, 0);
  token = rl_test_login (server, SYNC_ADMIN);

  test_runs_newest_until_known ();
  test_long_log ();
  test_sync_log ();
  test_retry_answer ();
  test_retention ();
  test_watch ();
  test_offline ();

  g_clear_object (&session);
  g_clear_pointer (&token, g_free);
}

/* A dispatcher, who has no Activity page, sends no activity requests; signing
 * in with another role on the same server reloads the cache (the feed is
 * filtered by role). */
static void
test_role_change (void)
{
  gint64 since = sync_test_request_seq (server);

  {
    g_autoptr (RlSession) dispatcher = sync_test_sign_in (server, SYNC_DISPATCHER, 3600);
    g_autoptr (GError) error = NULL;

    g_assert_true (sync_test_pull (dispatcher, &error));
    g_assert_no_error (error);
    spin (2 * G_USEC_PER_SEC);
    g_assert_cmpuint (requests_by (SYNC_DISPATCHER, "GET", "/workflows/", since), ==, 0);
    g_assert_cmpuint (requests_by (SYNC_DISPATCHER, "GET", "/sync/jobs/", since), ==, 0);
    g_assert_cmpuint (requests_by (SYNC_DISPATCHER, "GET", "/runs", since), ==, 0);
  }

  session = sync_test_sign_in (server, SYNC_ADMIN, 3600);
  /* The admin's cache was the dispatcher's, whose feed has no workflows
   * nor providers: a new role reloads it (rl-session.c apply_user). */
  g_assert_cmpint (rl_store_count (rl_session_get_store (session), "workflow"), ==, 5);
  g_assert_cmpint (rl_store_count (rl_session_get_store (session), "provider"), >, 0);
  g_clear_object (&session);

  /* And back: what a dispatcher may not see is swept from the cache. */
  {
    g_autoptr (RlSession) dispatcher = sync_test_sign_in (server, SYNC_DISPATCHER, 3600);
    RlStore *store = rl_session_get_store (dispatcher);

    g_assert_cmpint (rl_store_count (store, "workflow"), ==, 0);
    g_assert_cmpint (rl_store_count (store, "provider"), ==, 0);
    g_assert_cmpint (rl_store_count (store, "sync_job"), ==, 0);
    g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 20);
  }
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  server = sync_test_devserver ((const char *const[]){ "--drop-points", "20", "--runs", "3000",
                                                       NULL });
  g_test_add_func ("/sync/activity", test_activity);
  g_test_add_func ("/sync/activity/role-change", test_role_change);
  ret = g_test_run ();
  rl_test_devserver_free (server);
  return ret;
}
