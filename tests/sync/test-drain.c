/* test-drain.c — the sync engine against a real reloop-devserver: rows sent,
 * their order per record, the back-off, a 409 merged or made a conflict and
 * its resolution, and the pull schedule (suite integration; one meson test
 * per case; refused rows and actions: test-drain-refused.c).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "drain-test.h"
#include "rl-error.h"
#include "rl-store-outbox.h"
#include "rl-store.h"
#include "rl-time.h"

/* ---- Sent --------------------------------------------------------------------- */

/* An edit shows at once, is sent by itself when online, and the server's
 * answer replaces it in the cache; the row is gone. */
static void
test_edit_sent (void)
{
  g_autoptr (RlSession) session = sign_in (SYNC_ADMIN);
  g_autoptr (GPtrArray) log = watch_settled (session);
  g_autoptr (GPtrArray) ids = sync_test_drop_point_ids (session, 1);
  g_autofree char *admin = rl_test_login (server, SYNC_ADMIN);
  g_autofree char *path = dp_path (ids->pdata[0]);
  g_autoptr (JsonObject) before = sync_test_get (server, admin, path);
  g_autoptr (JsonObject) local = NULL;
  g_autoptr (JsonObject) after = NULL;
  g_autoptr (JsonObject) cached = NULL;
  g_autoptr (GPtrArray) patches = NULL;
  g_autoptr (RlOutboxRow) row = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *if_match = quoted (version_of (before));
  gint64           since = sync_test_request_seq (server);
  gint64           id;

  id = edit (session, "drop_point", ids->pdata[0], "{\"notes\":\"Lid fixed — ढक्कन मर्मत\"}");
  row = sync_test_row (session, id);
  g_assert_nonnull (row);
  g_assert_cmpint (row->kind, ==, RL_OUTBOX_KIND_EDIT);
  g_assert_cmpstr (row->body, ==, "{\"notes\":\"Lid fixed — ढक्कन मर्मत\"}");
  g_assert_cmpstr (row->if_match, ==, if_match);
  /* The local state, at once. */
  local = sync_test_cached (session, "drop_point", ids->pdata[0]);
  g_assert_cmpstr (string_of (local, "notes"), ==, "Lid fixed — ढक्कन मर्मत");
  g_assert_cmpuint (rl_session_get_pending_changes (session), ==, 1);

  g_assert_true (sync_test_wait_pending (session, 0, SYNC_TIMEOUT_MS));
  assert_figures (session, 0, 0, 0);
  g_assert_nonnull (find_settled (log, id, RL_OUTBOX_OUTCOME_SENT));
  g_assert_null (sync_test_row (session, id));

  after = sync_test_get (server, admin, path);
  g_assert_cmpstr (string_of (after, "notes"), ==, "Lid fixed — ढक्कन मर्मत");
  g_assert_cmpint (version_of (after), ==, version_of (before) + 1);
  cached = sync_test_cached (session, "drop_point", ids->pdata[0]);
  g_assert_cmpint (version_of (cached), ==, version_of (after));

  /* One PATCH, with the row's key and If-Match. */
  patches = requests_to ("PATCH", path, since);
  g_assert_cmpuint (patches->len, ==, 1);
  g_assert_cmpint (request_status (patches, 0), ==, 200);
  g_assert_cmpstr (string_of (patches->pdata[0], "idempotencyKey"), ==, row->idempotency_key);
  g_assert_cmpstr (string_of (patches->pdata[0], "ifMatch"), ==, if_match);

  /* The same value again changes nothing: nothing is queued. */
  {
    g_autoptr (JsonObject) same = object ("{\"notes\":\"Lid fixed — ढक्कन मर्मत\"}");

    g_assert_cmpint (rl_session_edit_record (session, "drop_point", ids->pdata[0], same, &error),
                     ==, 0);
    g_assert_error (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CHANGE);
  }
}

/* Rows go in order per record, each with If-Match the version its
 * predecessor got; other records' rows go on. */
static void
test_order_per_record (void)
{
  g_autoptr (RlSession) session = sign_in (SYNC_ADMIN);
  g_autoptr (GPtrArray) ids = sync_test_drop_point_ids (session, 2);
  g_autofree char *admin = rl_test_login (server, SYNC_ADMIN);
  g_autofree char *pa = dp_path (ids->pdata[0]);
  g_autofree char *pb = dp_path (ids->pdata[1]);
  g_autoptr (JsonObject) a0 = sync_test_get (server, admin, pa);
  g_autoptr (JsonObject) b0 = sync_test_get (server, admin, pb);
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;
  g_autoptr (GPtrArray) to_a = NULL;
  g_autoptr (GPtrArray) to_b = NULL;
  g_autoptr (GError) error = NULL;
  RlDrainStats stats;
  gint64       since = sync_test_request_seq (server);
  gint64       rows[5];

  rl_session_set_auto_drain (session, FALSE);
  rows[0] = edit (session, "drop_point", ids->pdata[0], "{\"notes\":\"a1\"}");
  rows[1] = edit (session, "drop_point", ids->pdata[1], "{\"notes\":\"b1\"}");
  rows[2] = edit (session, "drop_point", ids->pdata[0], "{\"notes\":\"a2\"}");
  rows[3] = edit (session, "drop_point", ids->pdata[0], "{\"status\":\"maintenance\"}");
  rows[4] = edit (session, "drop_point", ids->pdata[1], "{\"notes\":\"b2\"}");
  g_assert_cmpuint (rl_session_get_pending_changes (session), ==, 5);

  g_assert_true (sync_test_drain (session, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.sent, ==, 5);
  g_assert_cmpuint (stats.pending, ==, 0);
  g_assert_cmpuint (stats.merged + stats.conflicts + stats.failed + stats.deferred, ==, 0);

  to_a = requests_to ("PATCH", pa, since);
  to_b = requests_to ("PATCH", pb, since);
  g_assert_cmpuint (to_a->len, ==, 3);
  g_assert_cmpuint (to_b->len, ==, 2);
  for (guint i = 0; i < to_a->len; i++)
    {
      g_autofree char *expected = quoted (version_of (a0) + i);

      g_assert_cmpint (request_status (to_a, i), ==, 200);
      g_assert_cmpstr (string_of (to_a->pdata[i], "ifMatch"), ==, expected);
      g_assert_false (json_object_get_boolean_member (to_a->pdata[i], "replayed"));
    }
  for (guint i = 0; i < to_b->len; i++)
    {
      g_autofree char *expected = quoted (version_of (b0) + i);

      g_assert_cmpint (request_status (to_b, i), ==, 200);
      g_assert_cmpstr (string_of (to_b->pdata[i], "ifMatch"), ==, expected);
    }

  a = sync_test_get (server, admin, pa);
  b = sync_test_get (server, admin, pb);
  g_assert_cmpstr (string_of (a, "notes"), ==, "a2");
  g_assert_cmpstr (string_of (a, "status"), ==, "maintenance");
  g_assert_cmpint (version_of (a), ==, version_of (a0) + 3);
  g_assert_cmpstr (string_of (b, "notes"), ==, "b2");
  g_assert_cmpint (version_of (b), ==, version_of (b0) + 2);
  (void) rows;
}

/* 429 with Retry-After: the row stays, with its attempt and error, and is
 * sent again by itself no sooner than the server asked; the failure shows
 * on the session meanwhile. */
static void
test_retry_after (void)
{
  g_autoptr (RlSession) session = sign_in (SYNC_ADMIN);
  g_autoptr (GPtrArray) ids = sync_test_drop_point_ids (session, 1);
  g_autoptr (GPtrArray) log = watch_settled (session);
  g_autofree char *path = dp_path (ids->pdata[0]);
  g_autoptr (RlOutboxRow) row = NULL;
  g_autoptr (GPtrArray) patches = NULL;
  gint64         since = sync_test_request_seq (server);
  RowWait        wait = { session, 0, 1 };
  const Settled *deferred;
  double         gap;

  sync_test_faults (server, "[{\"match\":\"/api/v1/drop-points/*\",\"method\":\"PATCH\","
                            "\"kind\":\"status\",\"status\":429,\"retryAfter\":2,\"count\":1}]");
  wait.row = edit (session, "drop_point", ids->pdata[0], "{\"notes\":\"after the 429\"}");
  g_assert_true (rl_test_wait_until (row_attempted, &wait, SYNC_TIMEOUT_MS));

  row = sync_test_row (session, wait.row);
  g_assert_cmpint (row->state, ==, RL_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (row->attempts, ==, 1);
  g_assert_nonnull (row->last_error);
  /* Not before the server's Retry-After (2 s after it answered). */
  {
    g_autoptr (GPtrArray) refused = requests_to ("PATCH", path, since);

    g_assert_cmpuint (refused->len, ==, 1);
    g_assert_cmpint (request_status (refused, 0), ==, 429);
    g_assert_cmpfloat ((double) row->next_attempt_ms, >=,
                       json_object_get_double_member (refused->pdata[0], "at") + 2000.0 - 1.0);
  }
  g_assert_cmpint (rl_session_get_next_retry (session), ==, row->next_attempt_ms);
  g_assert_true (g_error_matches (rl_session_get_last_sync_error (session), RL_ERROR,
                                  RL_ERROR_RATE_LIMITED));
  deferred = expect_settled (log, wait.row, RL_OUTBOX_OUTCOME_DEFERRED);
  g_assert_true (g_error_matches (deferred->error, RL_ERROR, RL_ERROR_RATE_LIMITED));
  {
    gboolean has = FALSE;

    g_object_get (session, "has-sync-error", &has, NULL);
    g_assert_true (has);
  }

  g_assert_true (sync_test_wait_pending (session, 0, SYNC_TIMEOUT_MS));
  g_assert_nonnull (find_settled (log, wait.row, RL_OUTBOX_OUTCOME_SENT));
  g_assert_null (rl_session_get_last_sync_error (session));
  g_assert_cmpint (rl_session_get_next_retry (session), ==, 0);

  patches = requests_to ("PATCH", path, since);
  g_assert_cmpuint (patches->len, ==, 2);
  g_assert_cmpint (request_status (patches, 0), ==, 429);
  g_assert_cmpint (request_status (patches, 1), ==, 200);
  g_assert_cmpstr (string_of (patches->pdata[0], "idempotencyKey"), ==,
                   string_of (patches->pdata[1], "idempotencyKey"));
  gap = json_object_get_double_member (patches->pdata[1], "at")
        - json_object_get_double_member (patches->pdata[0], "at");
  g_test_message ("sent again %.0f ms after the 429", gap);
  g_assert_cmpfloat (gap, >=, 2000.0);
}

/* ---- 409 VERSION_CONFLICT ------------------------------------------------------ */

/* Someone changed another field: merged automatically, sent again against
 * the server's version with a new key; both changes end on the server. */
static void
test_auto_merge (void)
{
  g_autoptr (RlSession) session = sign_in (SYNC_ADMIN);
  g_autoptr (GPtrArray) ids = sync_test_drop_point_ids (session, 1);
  g_autoptr (GPtrArray) log = watch_settled (session);
  g_autofree char *admin = rl_test_login (server, SYNC_ADMIN);
  g_autofree char *path = dp_path (ids->pdata[0]);
  g_autoptr (JsonObject) before = sync_test_get (server, admin, path);
  g_autofree char *v0 = quoted (version_of (before));
  g_autofree char *v1 = quoted (version_of (before) + 1);
  g_autoptr (JsonObject) after = NULL;
  g_autoptr (JsonObject) cached = NULL;
  g_autoptr (GPtrArray) patches = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) other = NULL;
  RlDrainStats stats;
  gint64       since, row;

  rl_session_set_auto_drain (session, FALSE);
  row = edit (session, "drop_point", ids->pdata[0], "{\"notes\":\"ours\"}");
  /* Meanwhile someone else closes the point for maintenance. */
  other = sync_test_call (server, admin, "PATCH", path,
                          g_str_equal (string_of (before, "status"), "maintenance")
                              ? "{\"status\":\"active\"}"
                              : "{\"status\":\"maintenance\"}",
                          v0, 200);
  since = sync_test_request_seq (server);

  g_assert_true (sync_test_drain (session, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.merged, ==, 1);
  g_assert_cmpuint (stats.sent, ==, 1);
  g_assert_cmpuint (stats.conflicts, ==, 0);
  g_assert_nonnull (find_settled (log, row, RL_OUTBOX_OUTCOME_MERGED));
  g_assert_nonnull (find_settled (log, row, RL_OUTBOX_OUTCOME_SENT));

  patches = requests_to ("PATCH", path, since);
  g_assert_cmpuint (patches->len, ==, 2);
  g_assert_cmpint (request_status (patches, 0), ==, 409);
  g_assert_cmpstr (string_of (patches->pdata[0], "ifMatch"), ==, v0);
  g_assert_cmpint (request_status (patches, 1), ==, 200);
  g_assert_cmpstr (string_of (patches->pdata[1], "ifMatch"), ==, v1);
  g_assert_cmpstr (string_of (patches->pdata[0], "idempotencyKey"), !=,
                   string_of (patches->pdata[1], "idempotencyKey"));

  after = sync_test_get (server, admin, path);
  g_assert_cmpstr (string_of (after, "notes"), ==, "ours");
  g_assert_cmpstr (string_of (after, "status"), ==,
                   string_of (json_node_get_object (other), "status"));
  g_assert_cmpint (version_of (after), ==, version_of (before) + 2);
  cached = sync_test_cached (session, "drop_point", ids->pdata[0]);
  g_assert_cmpint (version_of (cached), ==, version_of (after));
  g_assert_cmpstr (string_of (cached, "status"), ==, string_of (after, "status"));
  assert_figures (session, 0, 0, 0);
}

/* Someone changed the same field: a local conflict (base, mine, theirs),
 * the row gone in the same transaction. Resolving it field by field sends
 * the merged fields against the remote version; when the server takes it
 * the conflict is resolved locally and shows in the record's history. */
static void
test_conflict_and_resolution (void)
{
  g_autoptr (RlSession) session = sign_in (SYNC_ADMIN);
  g_autoptr (GPtrArray) ids = sync_test_drop_point_ids (session, 1);
  g_autoptr (GPtrArray) log = watch_settled (session);
  g_autofree char *admin = rl_test_login (server, SYNC_ADMIN);
  g_autofree char *path = dp_path (ids->pdata[0]);
  g_autofree char *touch =
      g_strdup_printf ("/__dev/records/drop_point/%s/touch", (char *) ids->pdata[0]);
  g_autoptr (JsonObject) before = sync_test_get (server, admin, path);
  g_autoptr (JsonObject) conflict = NULL;
  g_autoptr (JsonObject) cached = NULL;
  g_autoptr (JsonObject) merged = NULL;
  g_autoptr (JsonObject) after = NULL;
  g_autoptr (JsonObject) resolved = NULL;
  g_autoptr (JsonNode) touched = NULL;
  g_autoptr (GPtrArray) patches = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) history = NULL;
  const Settled *as_conflict;
  RlDrainStats   stats;
  gint64         row, resolution_row, since;
  JsonObject    *resolution;

  rl_session_set_auto_drain (session, FALSE);
  row = edit (session, "drop_point", ids->pdata[0], "{\"notes\":\"Mine: emptied at 10:00\"}");
  touched = sync_test_call (server, NULL, "POST", touch, NULL, NULL, 200);

  g_assert_true (sync_test_drain (session, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.conflicts, ==, 1);
  g_assert_cmpuint (stats.sent + stats.merged, ==, 0);
  as_conflict = expect_settled (log, row, RL_OUTBOX_OUTCOME_CONFLICT);
  g_assert_true (g_str_has_prefix (as_conflict->conflict_id, "local-"));
  g_assert_null (sync_test_row (session, row));
  assert_figures (session, 0, 0, 1);

  conflict = sync_test_cached (session, "conflict", as_conflict->conflict_id);
  g_assert_true (json_node_is_null (json_object_get_member (conflict, "jobId")));
  g_assert_cmpstr (string_of (conflict, "status"), ==, "open");
  g_assert_cmpstr (string_of (json_object_get_object_member (conflict, "base"), "notes"), ==,
                   string_of (before, "notes"));
  g_assert_cmpstr (string_of (json_object_get_object_member (conflict, "local"), "notes"), ==,
                   "Mine: emptied at 10:00");
  g_assert_cmpstr (string_of (json_object_get_object_member (conflict, "remote"), "notes"), ==,
                   "Edited by another operator");
  /* The cache shows the server's record; the edit lives in the conflict. */
  cached = sync_test_cached (session, "drop_point", ids->pdata[0]);
  g_assert_cmpstr (string_of (cached, "notes"), ==, "Edited by another operator");

  /* Field by field: theirs, with our note appended. */
  merged = rl_outbox_apply_changes ("drop_point", json_object_get_object_member (conflict, "remote"),
                                    NULL);
  json_object_set_string_member (merged, "notes",
                                 "Edited by another operator; emptied at 10:00");
  resolution_row = rl_session_resolve_conflict (session, as_conflict->conflict_id,
                                                RL_CONFLICT_STRATEGY_MANUAL, merged,
                                                "kept both notes", &error);
  g_assert_no_error (error);
  g_assert_cmpint (resolution_row, >, 0);
  assert_figures (session, 1, 0, 0);

  since = sync_test_request_seq (server);
  g_assert_true (sync_test_drain (session, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.sent, ==, 1);
  patches = requests_to ("PATCH", path, since);
  g_assert_cmpuint (patches->len, ==, 1);
  {
    g_autofree char *remote_version =
        quoted (version_of (json_node_get_object (touched)));

    g_assert_cmpstr (string_of (patches->pdata[0], "ifMatch"), ==, remote_version);
  }
  after = sync_test_get (server, admin, path);
  g_assert_cmpstr (string_of (after, "notes"), ==, "Edited by another operator; emptied at 10:00");
  g_assert_cmpint (version_of (after), ==, version_of (json_node_get_object (touched)) + 1);

  resolved = sync_test_cached (session, "conflict", as_conflict->conflict_id);
  g_assert_cmpstr (string_of (resolved, "status"), ==, "resolved");
  resolution = json_object_get_object_member (resolved, "resolution");
  g_assert_cmpstr (string_of (resolution, "strategy"), ==, "manual");
  g_assert_cmpstr (string_of (resolution, "comment"), ==, "kept both notes");
  g_assert_cmpstr (string_of (resolution, "resolvedBy"), ==, SYNC_ADMIN);
  g_assert_nonnull (string_of (resolution, "resolvedAt"));
  g_assert_cmpstr (string_of (json_object_get_object_member (resolution, "merged"), "notes"), ==,
                   "Edited by another operator; emptied at 10:00");
  assert_figures (session, 0, 0, 0);

  {
    g_autoptr (GAsyncResult) result = NULL;

    rl_session_list_resolutions_async (session, "drop_point", ids->pdata[0], NULL,
                                       rl_test_store_result_cb, &result);
    history = rl_session_list_resolutions_finish (
        session, rl_test_wait_result (&result, SYNC_TIMEOUT_MS), &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (json_array_get_length (history), ==, 1);
  g_assert_cmpstr (string_of (json_array_get_object_element (history, 0), "id"), ==,
                   as_conflict->conflict_id);
}

/* ---- Pull -------------------------------------------------------------------------- */

static void
syncing_cb (RlSession  *session,
            GParamSpec *pspec,
            guint      *starts)
{
  if (rl_session_get_syncing (session))
    (*starts)++;
}

typedef struct
{
  RlSession  *session;
  const char *id;
  gint64      version;
} VersionWait;

static gboolean
cached_version_is (gpointer user_data)
{
  VersionWait *w = user_data;
  g_autoptr (JsonObject) record =
      rl_store_get_record (rl_session_get_store (w->session), "drop_point", w->id, NULL);

  return record != NULL && version_of (record) == w->version;
}

static gboolean
not_syncing (gpointer user_data)
{
  return !rl_session_get_syncing (user_data) && !rl_session_get_draining (user_data);
}

/* Pulls come by themselves every pull-interval; requests while one runs
 * become one more pull after it, never two at once. */
static void
test_pull_schedule (void)
{
  g_autoptr (RlSession) session = sync_test_sign_in (server, SYNC_ADMIN, 1);
  g_autoptr (GPtrArray) ids = sync_test_drop_point_ids (session, 1);
  g_autofree char *touch =
      g_strdup_printf ("/__dev/records/drop_point/%s/touch", (char *) ids->pdata[0]);
  g_autoptr (JsonNode) touched = sync_test_call (server, NULL, "POST", touch, NULL, NULL, 200);
  VersionWait wait = { session, ids->pdata[0], version_of (json_node_get_object (touched)) };
  g_autoptr (GError) error = NULL;
  guint starts = 0;

  g_assert_cmpuint (rl_session_get_pull_interval (session), ==, 1);
  g_assert_true (rl_test_wait_until (cached_version_is, &wait, 15000));

  /* Coalescing: five requests while one runs → two pulls. */
  rl_session_set_pull_interval (session, 0);
  g_assert_true (rl_test_wait_until (not_syncing, session, SYNC_TIMEOUT_MS));
  g_signal_connect (session, "notify::syncing", G_CALLBACK (syncing_cb), &starts);
  for (guint i = 0; i < 5; i++)
    rl_session_pull_now (session);
  g_assert_true (rl_session_get_syncing (session));
  g_assert_true (rl_test_wait_until (not_syncing, session, SYNC_TIMEOUT_MS));
  g_assert_cmpuint (starts, ==, 2);

  /* A waited pull is one that starts after the call. */
  g_assert_true (sync_test_pull (session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (starts, ==, 3);
}

int
main (int argc, char **argv)
{
  const char *args[] = { "--drop-points", "40", "--seed", "11", NULL };
  int         rc;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = sync_test_devserver (args);

  g_test_add_func ("/drain/edit-sent", test_edit_sent);
  g_test_add_func ("/drain/order-per-record", test_order_per_record);
  g_test_add_func ("/drain/retry-after", test_retry_after);
  g_test_add_func ("/drain/auto-merge", test_auto_merge);
  g_test_add_func ("/drain/conflict-and-resolution", test_conflict_and_resolution);
  g_test_add_func ("/pull/schedule", test_pull_schedule);

  rc = g_test_run ();
  rl_test_devserver_free (server);
  return rc;
}
