/* test-faults.c — sync (pull + drain of queued edits) with the devserver's
 * faults on: every failure shows on the session meanwhile, the sync
 * completes by itself once the faults stop, nothing is applied twice
 * (suite integration).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-api.h"
#include "rl-error.h"
#include "rl-store-outbox.h"
#include "rl-store.h"
#include "sync-test-util.h"

#define RECORDS 3
#define EDITS_PER_RECORD 2

static RlTestDevserver *server;

typedef struct
{
  GArray  *codes;        /* RlError codes last-sync-error took */
  gboolean went_offline; /* state OFFLINE while the faults were on */
} Seen;

static void
error_changed_cb (RlSession  *session,
                  GParamSpec *pspec,
                  Seen       *seen)
{
  const GError *error = rl_session_get_last_sync_error (session);

  if (error != NULL && error->domain == RL_ERROR)
    g_array_append_val (seen->codes, error->code);
}

static void
state_changed_cb (RlSession  *session,
                  GParamSpec *pspec,
                  Seen       *seen)
{
  if (rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE)
    seen->went_offline = TRUE;
}

static gboolean
seen_code (Seen *seen,
           int   code)
{
  for (guint i = 0; i < seen->codes->len; i++)
    if (g_array_index (seen->codes, int, i) == code)
      return TRUE;
  return FALSE;
}

static gboolean
wait_a_little (gpointer user_data)
{
  return FALSE;
}

/* Pulls and drains under the faults until the session shows @code (the
 * circuit breaker may answer for the server in between). */
static void
observe (RlSession  *session,
         Seen       *seen,
         int         code,
         const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  g_array_set_size (seen->codes, 0);
  while (!seen_code (seen, code))
    {
      g_autoptr (GError) pull_error = NULL;
      g_autoptr (GError) drain_error = NULL;
      RlDrainStats stats;

      (void) stats;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s: the session never showed error %d", what, code);
      g_assert_false (sync_test_pull (session, &pull_error));
      g_assert_nonnull (pull_error);
      g_assert_false (sync_test_drain (session, &stats, &drain_error));
      g_assert_nonnull (drain_error);
      /* While failing, the failure is on the session. */
      g_assert_nonnull (rl_session_get_last_sync_error (session));
      rl_test_wait_until (wait_a_little, NULL, 100);
    }
  {
    gboolean has = FALSE;

    g_object_get (session, "has-sync-error", &has, NULL);
    g_assert_true (has);
  }
  g_test_message ("%s: shown as %s", what,
                  rl_error_code_to_string (rl_session_get_last_sync_error (session)->code));
}

static gboolean
recovered (gpointer user_data)
{
  RlSession *session = user_data;

  return rl_session_get_pending_changes (session) == 0
         && rl_session_get_state (session) == RL_SESSION_STATE_ONLINE
         && rl_session_get_last_sync_error (session) == NULL && !rl_session_get_draining (session)
         && !rl_session_get_syncing (session);
}

static GPtrArray *
queue_edits (RlSession  *session,
             GPtrArray  *ids,
             const char *tag)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  for (guint e = 0; e < EDITS_PER_RECORD; e++)
    for (guint r = 0; r < RECORDS; r++)
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (JsonObject) changes = json_object_new ();
        g_autofree char *notes = g_strdup_printf ("%s-%u", tag, e);
        g_autoptr (RlOutboxRow) row = NULL;
        gint64 id;

        json_object_set_string_member (changes, "notes", notes);
        id = rl_session_edit_record (session, "drop_point", ids->pdata[r], changes, &error);
        g_assert_no_error (error);
        row = sync_test_row (session, id);
        g_ptr_array_add (keys, g_strdup (row->idempotency_key));
      }
  return keys;
}

/* Each key: exactly one write the server applied (not a replay). */
static void
assert_applied_once (GPtrArray *keys,
                     gint64     since)
{
  g_autoptr (JsonArray) log = sync_test_requests (server, since);
  guint replays = 0;

  for (guint k = 0; k < keys->len; k++)
    {
      guint applied = 0;

      for (guint i = 0; i < json_array_get_length (log); i++)
        {
          JsonObject *e = json_array_get_object_element (log, i);
          gint64      status = json_object_get_int_member (e, "status");

          if (g_strcmp0 (json_object_get_string_member_with_default (e, "idempotencyKey", NULL),
                         keys->pdata[k])
                  != 0
              || status < 200 || status >= 300)
            continue;
          if (json_object_get_boolean_member (e, "replayed"))
            replays++;
          else
            applied++;
        }
      g_assert_cmpuint (applied, ==, 1);
    }
  g_test_message ("%u edits applied once each; %u answers replayed", keys->len, replays);
}

static void
test_faults (void)
{
  g_autoptr (RlSession) session = NULL;
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  g_autoptr (GPtrArray) more = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = rl_test_login (server, SYNC_ADMIN);
  Seen             seen = { g_array_new (FALSE, FALSE, sizeof (int)), FALSE };
  gint64           since = sync_test_request_seq (server);
  guint            refreshes;

  session = sync_test_sign_in (server, SYNC_ADMIN, 1);
  rl_session_set_probe_interval (session, 300);
  /* Every request meets the fault: with its default threshold the circuit
   * breaker would answer for the failing server after five failures
   * (CIRCUIT_OPEN, shown the same way), and the later faults would never
   * reach the drain. */
  rl_circuit_set_failure_threshold (rl_api_get_circuit (rl_session_get_api (session)), 100000);
  ids = sync_test_drop_point_ids (session, RECORDS);

  /* Edits made offline: queued, not sent. */
  rl_session_set_auto_drain (session, FALSE);
  keys = queue_edits (session, ids, "faults");
  g_signal_connect (session, "notify::last-sync-error", G_CALLBACK (error_changed_cb), &seen);
  g_signal_connect (session, "notify::state", G_CALLBACK (state_changed_cb), &seen);

  sync_test_faults (server, "[{\"kind\":\"status\",\"status\":500}]");
  observe (session, &seen, RL_ERROR_INTERNAL, "500");
  sync_test_faults (server, "[{\"kind\":\"status\",\"status\":503,\"retryAfter\":1}]");
  observe (session, &seen, RL_ERROR_UNAVAILABLE, "503");
  sync_test_faults (server, "[{\"kind\":\"status\",\"status\":429,\"retryAfter\":1}]");
  observe (session, &seen, RL_ERROR_RATE_LIMITED, "429");
  /* A truncated answer to a write: the server applied it, the console
   * cannot read it; the row stays and its re-send is replayed. */
  sync_test_faults (server, "[{\"kind\":\"truncate\"}]");
  observe (session, &seen, RL_ERROR_BAD_RESPONSE, "truncated bodies");
  sync_test_faults (server, "[{\"kind\":\"drop\"}]");
  observe (session, &seen, RL_ERROR_NETWORK, "dropped connections");
  g_assert_true (seen.went_offline);

  /* The faults stop: the console comes back and sends everything by itself. */
  sync_test_faults (server, NULL);
  rl_session_set_auto_drain (session, TRUE);
  g_assert_true (rl_test_wait_until (recovered, session, SYNC_TIMEOUT_MS));
  g_assert_cmpuint (rl_session_get_failed_changes (session), ==, 0);
  assert_applied_once (keys, since);

  /* Token expiry in the middle of a drain: refreshed once, nothing lost. */
  rl_session_set_auto_drain (session, FALSE);
  g_assert_true (rl_test_wait_until (recovered, session, SYNC_TIMEOUT_MS));
  since = sync_test_request_seq (server);
  more = queue_edits (session, ids, "expiry");
  refreshes = rl_api_get_refresh_count (rl_session_get_api (session));
  sync_test_faults (server, "[{\"match\":\"/api/v1/drop-points/*\",\"method\":\"PATCH\","
                            "\"kind\":\"latency\",\"ms\":40}]");
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (JsonNode) expired = NULL;
    RlDrainStats stats;

    rl_session_drain_async (session, NULL, rl_test_store_result_cb, &result);
    /* The first writes are on their way (held 40 ms by the server). */
    rl_test_wait_until (wait_a_little, NULL, 20);
    expired = sync_test_call (server, NULL, "POST", "/__dev/tokens/expire", NULL, NULL, 200);
    g_assert_true (rl_session_drain_finish (session, rl_test_wait_result (&result, SYNC_TIMEOUT_MS),
                                            &stats, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (stats.sent, ==, RECORDS * EDITS_PER_RECORD);
    g_assert_cmpuint (stats.pending, ==, 0);
  }
  sync_test_faults (server, NULL);
  g_assert_cmpuint (rl_api_get_refresh_count (rl_session_get_api (session)), >, refreshes);
  {
    g_autoptr (JsonArray) log = sync_test_requests (server, since);
    guint unauthorized = 0;

    for (guint i = 0; i < json_array_get_length (log); i++)
      unauthorized +=
          json_object_get_int_member (json_array_get_object_element (log, i), "status") == 401;
    g_assert_cmpuint (unauthorized, >, 0);
  }
  assert_applied_once (more, since);
  g_assert_true (rl_test_wait_until (recovered, session, SYNC_TIMEOUT_MS));

  /* The server holds the last edit of each record (the test's own token
   * was expired too). */
  g_free (token);
  token = rl_test_login (server, SYNC_ADMIN);
  for (guint r = 0; r < RECORDS; r++)
    {
      g_autofree char *path = g_strdup_printf ("/drop-points/%s", (char *) ids->pdata[r]);
      g_autoptr (JsonObject) record = sync_test_get (server, token, path);
      g_autofree char *notes = g_strdup_printf ("expiry-%u", EDITS_PER_RECORD - 1);

      g_assert_cmpstr (json_object_get_string_member (record, "notes"), ==, notes);
    }
  g_array_unref (seen.codes);
}

int
main (int argc, char **argv)
{
  const char *args[] = { "--drop-points", "30", "--seed", "3", NULL };
  int         rc;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = sync_test_devserver (args);
  g_test_add_func ("/sync/faults", test_faults);
  rc = g_test_run ();
  rl_test_devserver_free (server);
  return rc;
}
