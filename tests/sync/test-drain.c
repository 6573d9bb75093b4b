/* test-drain.c — the sync engine against a real reloop-devserver: every
 * outcome of the drain, its order per record, its back-off, conflicts and
 * their resolution, the actions, and the pull schedule (suite integration;
 * one meson test per case).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rl-error.h"
#include "rl-store-outbox.h"
#include "rl-store.h"
#include "rl-time.h"
#include "sync-test-util.h"

static RlTestDevserver *server;

/* ---- Helpers ------------------------------------------------------------------- */

typedef struct
{
  gint64          id;
  RlOutboxOutcome outcome;
  char           *conflict_id;
  GError         *error;
} Settled;

static void
settled_free (Settled *s)
{
  g_free (s->conflict_id);
  g_clear_error (&s->error);
  g_free (s);
}

static void
settled_cb (RlSession      *session,
            gint64          id,
            RlOutboxOutcome outcome,
            const char     *conflict_id,
            GError         *error,
            GPtrArray      *log)
{
  Settled *s = g_new0 (Settled, 1);

  s->id = id;
  s->outcome = outcome;
  s->conflict_id = g_strdup (conflict_id);
  s->error = error ? g_error_copy (error) : NULL;
  g_ptr_array_add (log, s);
}

static GPtrArray *
watch_settled (RlSession *session)
{
  GPtrArray *log = g_ptr_array_new_with_free_func ((GDestroyNotify) settled_free);

  g_signal_connect_data (session, "outbox-settled", G_CALLBACK (settled_cb),
                         g_ptr_array_ref (log), (GClosureNotify) (void (*) (void)) g_ptr_array_unref,
                         0);
  return log;
}

static const Settled *
find_settled (GPtrArray      *log,
              gint64          id,
              RlOutboxOutcome outcome)
{
  for (guint i = 0; i < log->len; i++)
    {
      Settled *s = log->pdata[i];

      if (s->id == id && s->outcome == outcome)
        return s;
    }
  return NULL;
}

static const Settled *
expect_settled (GPtrArray      *log,
                gint64          id,
                RlOutboxOutcome outcome)
{
  const Settled *s = find_settled (log, id, outcome);

  if (s == NULL)
    g_error ("row %" G_GINT64_FORMAT " did not settle as %d", id, outcome);
  return s;
}

static JsonObject *
object (const char *json)
{
  JsonObject *o = rl_outbox_object_from_text (json);

  g_assert_nonnull (o);
  return o;
}

static gint64
edit (RlSession  *session,
      const char *entity,
      const char *id,
      const char *changes_json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) changes = object (changes_json);
  gint64 row = rl_session_edit_record (session, entity, id, changes, &error);

  g_assert_no_error (error);
  g_assert_cmpint (row, >, 0);
  return row;
}

/* Signed in, with the server's open conflicts of the moment noted. */
static RlSession *
sign_in (const char *email)
{
  RlSession *session = sync_test_sign_in (server, email, 0);

  g_object_set_data (G_OBJECT (session), "server-conflicts",
                     GUINT_TO_POINTER (rl_session_get_open_conflicts (session)));
  return session;
}

static char *
dp_path (const char *id)
{
  return g_strdup_printf ("/drop-points/%s", id);
}

static gint64
version_of (JsonObject *record)
{
  return json_object_get_int_member (record, "version");
}

static const char *
string_of (JsonObject *record,
           const char *key)
{
  return json_object_get_string_member_with_default (record, key, NULL);
}

/* The request-log records of @method @path after @since, oldest first. */
static GPtrArray *
requests_to (const char *method,
             const char *path,
             gint64      since)
{
  g_autoptr (JsonArray) all = sync_test_requests (server, since);
  g_autofree char *full = g_strconcat ("/api/v1", path, NULL);
  GPtrArray       *found = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *e = json_array_get_object_element (all, i);

      if (g_str_equal (string_of (e, "method"), method) && g_str_equal (string_of (e, "path"), full))
        g_ptr_array_add (found, json_object_ref (e));
    }
  return found;
}

static gint64
request_status (GPtrArray *requests,
                guint      i)
{
  return json_object_get_int_member (requests->pdata[i], "status");
}

static char *
quoted (gint64 version)
{
  return g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
}

typedef struct
{
  RlSession *session;
  gint64     row;
  guint      attempts;
} RowWait;

static gboolean
row_attempted (gpointer user_data)
{
  RowWait *wait = user_data;
  g_autoptr (RlOutboxRow) row = sync_test_row (wait->session, wait->row);

  return row != NULL && row->attempts >= wait->attempts && !rl_session_get_draining (wait->session);
}

static gboolean
figures_are (RlSession *session,
             guint      pending,
             guint      failed,
             guint      conflicts)
{
  return rl_session_get_pending_changes (session) == pending
         && rl_session_get_failed_changes (session) == failed
         && rl_session_get_open_conflicts (session) == conflicts;
}

typedef struct
{
  RlSession *session;
  guint      pending, failed, conflicts;
} FiguresWait;

static gboolean
figures_cb (gpointer user_data)
{
  FiguresWait *w = user_data;

  return figures_are (w->session, w->pending, w->failed, w->conflicts);
}

/* @conflicts: local ones, on top of the server's open conflicts at sign-in. */
static void
assert_figures (RlSession *session,
                guint      pending,
                guint      failed,
                guint      conflicts)
{
  FiguresWait w = { session, pending, failed,
                    conflicts + GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (session), "server-conflicts")) };

  if (!rl_test_wait_until (figures_cb, &w, 10000))
    g_error ("figures: pending %u failed %u conflicts %u, expected %u %u %u",
             rl_session_get_pending_changes (session), rl_session_get_failed_changes (session),
             rl_session_get_open_conflicts (session), pending, failed, w.conflicts);
}

/* The same, with @conflicts counting every open conflict. */
static void
assert_figures_server (RlSession *session,
                       guint      pending,
                       guint      failed,
                       guint      conflicts)
{
  g_object_set_data (G_OBJECT (session), "server-conflicts", NULL);
  assert_figures (session, pending, failed, conflicts);
}

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
  g_test_add_func ("/drain/validation", test_validation);
  g_test_add_func ("/drain/invalid-state", test_invalid_state);
  g_test_add_func ("/drain/superseded", test_superseded);
  g_test_add_func ("/drain/forbidden-and-gone", test_forbidden_and_gone);
  g_test_add_func ("/drain/actions", test_actions);
  g_test_add_func ("/pull/schedule", test_pull_schedule);

  rc = g_test_run ();
  rl_test_devserver_free (server);
  return rc;
}
