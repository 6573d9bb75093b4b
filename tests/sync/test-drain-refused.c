/* test-drain-refused.c — the sync engine against a real reloop-devserver:
 * rows the server refuses (422, INVALID_STATE, a resolution someone else
 * made first, 403, 404) and every other edit through the outbox (suite
 * integration; one meson test per case).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "drain-test.h"
#include "rl-error.h"
#include "rl-store-outbox.h"
#include "rl-store.h"
#include "rl-time.h"

/* ---- Refused rows ------------------------------------------------------------- */

/* 422: the row waits for the user with the server's field messages, and
 * holds its record's later rows back (others go on); "edit again" sends
 * the correction, "discard" restores the server's record. */
static void
test_validation (void)
{
  g_autoptr (RlSession) session = sign_in (SYNC_ADMIN);
  g_autoptr (GPtrArray) ids = sync_test_drop_point_ids (session, 3);
  g_autoptr (GPtrArray) log = watch_settled (session);
  g_autofree char *admin = rl_test_login (server, SYNC_ADMIN);
  g_autofree char *pa = dp_path (ids->pdata[0]);
  g_autofree char *pc = dp_path (ids->pdata[2]);
  g_autoptr (JsonObject) c0 = sync_test_get (server, admin, pc);
  g_autoptr (RlOutboxRow) failed = NULL;
  g_autoptr (JsonObject) fields = NULL;
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) c_cached = NULL;
  g_autoptr (JsonObject) fix = object ("{\"latitude\":27.71}");
  g_autoptr (GError) error = NULL;
  const Settled *refused;
  RlDrainStats   stats;
  gint64         a1, a2, b1, c1;

  rl_session_set_auto_drain (session, FALSE);
  a1 = edit (session, "drop_point", ids->pdata[0], "{\"latitude\":200}");
  a2 = edit (session, "drop_point", ids->pdata[0], "{\"notes\":\"after the fix\"}");
  b1 = edit (session, "drop_point", ids->pdata[1], "{\"notes\":\"b goes on\"}");

  g_assert_true (sync_test_drain (session, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.failed, ==, 1);
  g_assert_cmpuint (stats.sent, ==, 1);
  g_assert_cmpuint (stats.pending, ==, 1); /* a2, behind a1 */
  g_assert_cmpuint (stats.attention, ==, 1);
  g_assert_nonnull (find_settled (log, b1, RL_OUTBOX_OUTCOME_SENT));
  refused = expect_settled (log, a1, RL_OUTBOX_OUTCOME_FAILED);
  g_assert_true (g_error_matches (refused->error, RL_ERROR, RL_ERROR_VALIDATION_FAILED));
  assert_figures (session, 1, 1, 0);

  failed = sync_test_row (session, a1);
  g_assert_cmpint (failed->state, ==, RL_OUTBOX_STATE_FAILED);
  g_assert_cmpstr (failed->error_code, ==, "VALIDATION_FAILED");
  g_assert_cmpuint (failed->error_status, ==, 422);
  fields = rl_outbox_object_from_text (failed->error_fields);
  g_assert_nonnull (fields);
  g_assert_true (json_object_has_member (fields, "latitude"));
  g_test_message ("latitude: %s", string_of (fields, "latitude"));

  /* Edit again, corrected: a1 then a2 go. */
  g_assert_true (rl_session_outbox_retry (session, a1, fix, &error));
  g_assert_no_error (error);
  g_assert_true (sync_test_drain (session, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.sent, ==, 2);
  assert_figures (session, 0, 0, 0);
  a = sync_test_get (server, admin, pa);
  g_assert_cmpfloat (json_object_get_double_member (a, "latitude"), ==, 27.71);
  g_assert_cmpstr (string_of (a, "notes"), ==, "after the fix");

  /* Discard: the cache shows the server's record again. */
  c1 = edit (session, "drop_point", ids->pdata[2], "{\"longitude\":500}");
  g_assert_true (sync_test_drain (session, &stats, &error));
  g_assert_cmpuint (stats.failed, ==, 1);
  g_assert_true (rl_session_outbox_discard (session, c1, &error));
  g_assert_no_error (error);
  c_cached = sync_test_cached (session, "drop_point", ids->pdata[2]);
  g_assert_cmpfloat (json_object_get_double_member (c_cached, "longitude"), ==,
                     json_object_get_double_member (c0, "longitude"));
  g_assert_null (sync_test_row (session, c1));
  assert_figures (session, 0, 0, 0);
  (void) a2;
}

/* 409 INVALID_STATE: the row is kept with the reason and the server's
 * record, which the cache shows at once; the user discards it. */
static void
test_invalid_state (void)
{
  g_autoptr (RlSession) session = sign_in (SYNC_ADMIN);
  g_autofree char *dispatcher = rl_test_login (server, SYNC_DISPATCHER);
  g_autoptr (JsonNode) open = sync_test_call (server, dispatcher, "GET",
                                              "/alerts?status=open&limit=1", NULL, NULL, 200);
  const char *alert_id =
      string_of (json_array_get_object_element (json_node_get_array (open), 0), "id");
  g_autofree char *ack = g_strdup_printf ("/alerts/%s/acknowledge", alert_id);
  g_autoptr (JsonObject) local = NULL;
  g_autoptr (JsonObject) refreshed = NULL;
  g_autoptr (RlOutboxRow) row = NULL;
  g_autoptr (JsonNode) theirs = NULL;
  g_autoptr (GError) error = NULL;
  RlDrainStats stats;
  gint64       id;

  rl_session_set_auto_drain (session, FALSE);
  id = rl_session_alert_action (session, alert_id, RL_ALERT_ACTION_ACKNOWLEDGE, "on my way",
                                &error);
  g_assert_no_error (error);
  local = sync_test_cached (session, "alert", alert_id);
  g_assert_cmpstr (string_of (local, "status"), ==, "acknowledged");
  g_assert_cmpstr (string_of (local, "acknowledgedBy"), ==, SYNC_ADMIN);
  g_assert_cmpstr (string_of (local, "acknowledgedNote"), ==, "on my way");
  g_assert_nonnull (string_of (local, "acknowledgedAt"));

  /* The dispatcher was quicker. */
  theirs = sync_test_call (server, dispatcher, "POST", ack, "{\"note\":\"mine\"}", NULL, 200);
  g_assert_true (sync_test_drain (session, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.failed, ==, 1);
  row = sync_test_row (session, id);
  g_assert_cmpint (row->state, ==, RL_OUTBOX_STATE_INVALID_STATE);
  g_assert_cmpstr (row->error_code, ==, "INVALID_STATE");
  g_assert_nonnull (row->last_error);
  g_assert_nonnull (strstr (row->error_current, SYNC_DISPATCHER));
  refreshed = sync_test_cached (session, "alert", alert_id);
  g_assert_cmpstr (string_of (refreshed, "acknowledgedBy"), ==, SYNC_DISPATCHER);
  assert_figures (session, 0, 1, 0);

  g_assert_true (rl_session_outbox_discard (session, id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&refreshed, json_object_unref);
  refreshed = sync_test_cached (session, "alert", alert_id);
  g_assert_cmpstr (string_of (refreshed, "acknowledgedBy"), ==, SYNC_DISPATCHER);
  assert_figures (session, 0, 0, 0);
}

/* Resolving a server conflict someone else resolved first: the answer
 * (409) is stored — the conflict shows who resolved it and how — the row is
 * SUPERSEDED, and no new conflict comes of it. */
static void
test_superseded (void)
{
  g_autoptr (RlSession) session = sign_in (SYNC_SUPPORT);
  g_autofree char *admin = rl_test_login (server, SYNC_ADMIN);
  g_autoptr (JsonNode) open = sync_test_call (server, admin, "GET",
                                              "/conflicts?status=open&limit=1", NULL, NULL, 200);
  JsonObject      *first = json_array_get_object_element (json_node_get_array (open), 0);
  const char      *conflict_id = string_of (first, "id");
  g_autofree char *resolve = g_strdup_printf ("/conflicts/%s/resolve", conflict_id);
  g_autofree char *version = quoted (version_of (first));
  g_autoptr (JsonObject) local = NULL;
  g_autoptr (JsonObject) after = NULL;
  g_autoptr (RlOutboxRow) row = NULL;
  g_autoptr (JsonNode) theirs = NULL;
  g_autoptr (GError) error = NULL;
  RlDrainStats stats;
  gint64       id, conflicts_before;
  guint        open_before;

  rl_session_set_auto_drain (session, FALSE);
  conflicts_before = rl_store_count (rl_session_get_store (session), "conflict");
  open_before = rl_session_get_open_conflicts (session);
  id = rl_session_resolve_conflict (session, conflict_id, RL_CONFLICT_STRATEGY_REMOTE_WINS, NULL,
                                    "theirs is right", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  local = sync_test_cached (session, "conflict", conflict_id);
  g_assert_cmpstr (string_of (local, "status"), ==, "resolved");
  g_assert_cmpstr (string_of (json_object_get_object_member (local, "resolution"), "resolvedBy"),
                   ==, SYNC_SUPPORT);
  assert_figures_server (session, 1, 0, open_before - 1);

  theirs = sync_test_call (server, admin, "POST", resolve,
                           "{\"strategy\":\"local_wins\",\"comment\":\"admin did it\"}", version,
                           200);
  g_assert_true (sync_test_drain (session, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.failed, ==, 1);
  g_assert_cmpuint (stats.conflicts, ==, 0);

  row = sync_test_row (session, id);
  g_assert_cmpint (row->state, ==, RL_OUTBOX_STATE_SUPERSEDED);
  g_assert_true (g_strcmp0 (row->error_code, "VERSION_CONFLICT") == 0
                 || g_strcmp0 (row->error_code, "INVALID_STATE") == 0);
  after = sync_test_cached (session, "conflict", conflict_id);
  g_assert_cmpstr (string_of (after, "status"), ==, "resolved");
  g_assert_cmpstr (string_of (json_object_get_object_member (after, "resolution"), "resolvedBy"),
                   ==, SYNC_ADMIN);
  g_assert_cmpstr (string_of (json_object_get_object_member (after, "resolution"), "strategy"), ==,
                   "local_wins");
  g_assert_cmpstr (string_of (json_object_get_object_member (after, "resolution"), "comment"), ==,
                   "admin did it");
  /* No conflict came of the answer. */
  g_assert_cmpint (rl_store_count (rl_session_get_store (session), "conflict"), ==,
                   conflicts_before);
  assert_figures_server (session, 0, 1, open_before - 1);

  /* Dismissed: the conflict stays as the other one resolved it. */
  g_assert_true (rl_session_outbox_discard (session, id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, json_object_unref);
  after = sync_test_cached (session, "conflict", conflict_id);
  g_assert_cmpstr (string_of (json_object_get_object_member (after, "resolution"), "resolvedBy"),
                   ==, SYNC_ADMIN);
  assert_figures_server (session, 0, 0, open_before - 1);
}

/* 403 and 404: failed with the code; a 404 discarded drops the record. */
static void
test_forbidden_and_gone (void)
{
  g_autofree char *admin = rl_test_login (server, SYNC_ADMIN);
  g_autoptr (RlOutboxRow) refused = NULL;
  g_autoptr (RlOutboxRow) missing = NULL;
  g_autoptr (JsonNode) deleted = NULL;
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *gone_path = NULL;
  g_autofree char *gone_version = NULL;
  RlDrainStats     stats;
  gint64           id;

  /* A dispatcher may change status and notes only: the server says 403.
   * (One session at a time: both would share the server's cache file.) */
  {
    g_autoptr (RlSession) dispatcher = sign_in (SYNC_DISPATCHER);

    ids = sync_test_drop_point_ids (dispatcher, 2);
    rl_session_set_auto_drain (dispatcher, FALSE);
    id = edit (dispatcher, "drop_point", ids->pdata[0], "{\"name\":\"Renamed by a dispatcher\"}");
    g_assert_true (sync_test_drain (dispatcher, &stats, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (stats.failed, ==, 1);
    refused = sync_test_row (dispatcher, id);
    g_assert_cmpint (refused->state, ==, RL_OUTBOX_STATE_FAILED);
    g_assert_cmpstr (refused->error_code, ==, "FORBIDDEN");
    g_assert_cmpuint (refused->error_status, ==, 403);
    g_assert_true (rl_session_outbox_discard (dispatcher, id, &error));
    g_assert_no_error (error);
  }

  /* The record is deleted on the server meanwhile: 404. */
  {
    g_autoptr (RlSession) session = sign_in (SYNC_ADMIN);
    g_autoptr (JsonObject) gone = NULL;

    gone_path = dp_path (ids->pdata[1]);
    gone = sync_test_get (server, admin, gone_path);
    gone_version = quoted (version_of (gone));
    rl_session_set_auto_drain (session, FALSE);
    id = edit (session, "drop_point", ids->pdata[1], "{\"notes\":\"too late\"}");
    deleted = sync_test_call (server, admin, "DELETE", gone_path, NULL, gone_version, 200);
    g_assert_true (sync_test_drain (session, &stats, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (stats.failed, ==, 1);
    missing = sync_test_row (session, id);
    g_assert_cmpstr (missing->error_code, ==, "NOT_FOUND");
    g_assert_cmpuint (missing->error_status, ==, 404);
    g_assert_true (rl_session_outbox_discard (session, id, &error));
    g_assert_no_error (error);
    g_assert_null (rl_store_get_record (rl_session_get_store (session), "drop_point",
                                        ids->pdata[1], &error));
    g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND);
  }
}

/* ---- Actions ------------------------------------------------------------------ */

static gboolean
cache_file_holds (RlSession  *session,
                  const char *text)
{
  const char *path = rl_store_get_path (rl_session_get_store (session));
  const char *suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize            length = 0;

      if (g_file_get_contents (file, &contents, &length, NULL)
          && g_strstr_len (contents, (gssize) length, text) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Every other edit goes through the outbox too: the local state at once,
 * the server's answer when sent. */
static void
test_actions (void)
{
  g_autoptr (RlSession) session = sign_in (SYNC_ADMIN);
  g_autofree char *admin = rl_test_login (server, SYNC_ADMIN);
  g_autoptr (JsonObject) job = NULL;
  g_autoptr (JsonObject) job_after = NULL;
  g_autoptr (JsonObject) provider = NULL;
  g_autoptr (JsonObject) provider_after = NULL;
  g_autoptr (JsonObject) cached = NULL;
  g_autoptr (JsonNode) alerts = NULL;
  g_autoptr (JsonObject) alert_after = NULL;
  g_autoptr (JsonObject) strategy = object ("{\"conflictStrategy\":\"manual\","
                                            "\"schedule\":\"0 3 * * *\"}");
  g_autoptr (RlOutboxRow) secret_row = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *secret_key = NULL;
  const char      *secret_value = "sk_test_ReLoop_value_4242";
  const char      *alert_id;
  RlDrainStats     stats;
  gint64           start_row, runs_before;

  rl_session_set_auto_drain (session, FALSE);

  /* A sync job: pause (shows paused at once), then its strategy. */
  job = sync_test_get (server, admin, "/sync/jobs/sj-0001");
  g_assert_cmpint (rl_session_sync_job_action (session, "sj-0001", RL_SYNC_JOB_ACTION_PAUSE,
                                               &error),
                   >, 0);
  g_assert_no_error (error);
  cached = sync_test_cached (session, "sync_job", "sj-0001");
  g_assert_cmpstr (string_of (cached, "status"), ==, "paused");
  g_assert_cmpint (rl_session_edit_record (session, "sync_job", "sj-0002", strategy, &error), >,
                   0);
  g_assert_no_error (error);

  /* An alert resolved with a note. */
  alerts = sync_test_call (server, admin, "GET", "/alerts?status=open&limit=1", NULL, NULL, 200);
  alert_id = string_of (json_array_get_object_element (json_node_get_array (alerts), 0), "id");
  g_assert_cmpint (
      rl_session_alert_action (session, alert_id, RL_ALERT_ACTION_RESOLVE, "emptied", &error), >,
      0);
  g_assert_no_error (error);

  /* A workflow started by hand: its run is cached from the answer. */
  runs_before = rl_store_count (rl_session_get_store (session), "run");
  start_row = rl_session_start_workflow (session, "wf-0001", &error);
  g_assert_no_error (error);

  /* A provider secret by reference: the value only in the keyring. */
  provider = sync_test_get (server, admin, "/providers/prv-0001");
  {
    JsonObject *secrets = json_object_get_object_member (provider, "secrets");
    g_autoptr (GList) keys = json_object_get_members (secrets);
    g_autoptr (GAsyncResult) result = NULL;
    gint64 id;

    g_assert_nonnull (keys);
    secret_key = g_strdup (keys->data);
    rl_session_set_provider_secret_async (session, "prv-0001", secret_key, secret_value, NULL,
                                          rl_test_store_result_cb, &result);
    id = rl_session_set_provider_secret_finish (
        session, rl_test_wait_result (&result, SYNC_TIMEOUT_MS), &error);
    g_assert_no_error (error);
    secret_row = sync_test_row (session, id);
  }
  g_assert_cmpint (secret_row->kind, ==, RL_OUTBOX_KIND_SECRET);
  g_assert_null (secret_row->body);
  g_assert_nonnull (strstr (secret_row->secret_ref, secret_key));
  g_clear_pointer (&cached, json_object_unref);
  cached = sync_test_cached (session, "provider", "prv-0001");
  g_assert_cmpstr (string_of (json_object_get_object_member (
                                  json_object_get_object_member (cached, "secrets"), secret_key),
                              "hint"),
                   ==, "…4242");
  g_assert_false (cache_file_holds (session, secret_value));

  g_assert_true (sync_test_drain (session, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.sent, ==, 5);
  g_assert_cmpuint (stats.failed + stats.conflicts, ==, 0);

  job_after = sync_test_get (server, admin, "/sync/jobs/sj-0001");
  g_assert_cmpstr (string_of (job_after, "status"), ==, "paused");
  g_assert_cmpint (version_of (job_after), ==, version_of (job) + 1);
  g_clear_pointer (&job_after, json_object_unref);
  job_after = sync_test_get (server, admin, "/sync/jobs/sj-0002");
  g_assert_cmpstr (string_of (job_after, "conflictStrategy"), ==, "manual");
  g_assert_cmpstr (string_of (job_after, "schedule"), ==, "0 3 * * *");
  {
    g_autofree char *path = g_strdup_printf ("/alerts/%s", alert_id);

    alert_after = sync_test_get (server, admin, path);
  }
  g_assert_cmpstr (string_of (alert_after, "status"), ==, "resolved");
  g_assert_cmpstr (string_of (alert_after, "resolvedBy"), ==, SYNC_ADMIN);
  g_assert_cmpstr (string_of (alert_after, "resolvedNote"), ==, "emptied");
  g_assert_cmpint (rl_store_count (rl_session_get_store (session), "run"), ==, runs_before + 1);
  provider_after = sync_test_get (server, admin, "/providers/prv-0001");
  g_assert_cmpstr (string_of (json_object_get_object_member (
                                  json_object_get_object_member (provider_after, "secrets"),
                                  secret_key),
                              "hint"),
                   ==, "…4242");
  g_assert_false (cache_file_holds (session, secret_value));

  /* Resume the job; retry is refused for a run that did not fail. */
  g_assert_cmpint (rl_session_sync_job_action (session, "sj-0001", RL_SYNC_JOB_ACTION_RESUME,
                                               &error),
                   >, 0);
  g_assert_true (sync_test_drain (session, &stats, &error));
  g_assert_cmpuint (stats.sent, ==, 1);
  g_clear_pointer (&job_after, json_object_unref);
  job_after = sync_test_get (server, admin, "/sync/jobs/sj-0001");
  g_assert_cmpstr (string_of (job_after, "status"), ==, "idle");
  (void) start_row;
}

int
main (int argc, char **argv)
{
  const char *args[] = { "--drop-points", "40", "--seed", "11", NULL };
  int         rc;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = sync_test_devserver (args);

  g_test_add_func ("/drain/validation", test_validation);
  g_test_add_func ("/drain/invalid-state", test_invalid_state);
  g_test_add_func ("/drain/superseded", test_superseded);
  g_test_add_func ("/drain/forbidden-and-gone", test_forbidden_and_gone);
  g_test_add_func ("/drain/actions", test_actions);

  rc = g_test_run ();
  rl_test_devserver_free (server);
  return rc;
}
