/* sync-test-util.c — what the sync engine's tests share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sync-test-util.h"

#include "rl-secrets.h"
#include "rl-store-outbox.h"
#include "rl-store.h"

RlTestDevserver *
sync_test_devserver (const char *const *args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  RlTestDevserver *server = rl_test_devserver_start (args, &error);

  g_assert_no_error (error);
  g_assert_nonnull (server);
  /* The keyring is shared by the run: a port used before may hold tokens. */
  rl_secrets_clear_server_async (server->url, NULL, rl_test_store_result_cb, &result);
  g_assert_true (
      rl_secrets_clear_server_finish (rl_test_wait_result (&result, SYNC_TIMEOUT_MS), &error));
  g_assert_no_error (error);
  return server;
}

static gboolean
settled (gpointer user_data)
{
  RlSession *session = user_data;

  return rl_session_get_state (session) == RL_SESSION_STATE_ONLINE
         && rl_session_get_last_sync (session) > 0 && !rl_session_get_syncing (session)
         && !rl_session_get_draining (session);
}

RlSession *
sync_test_sign_in (RlTestDevserver *server,
                   const char      *email,
                   guint            pull_interval_s)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  RlSession *session = rl_session_new ();

  rl_session_set_pull_interval (session, pull_interval_s);
  rl_session_sign_in_async (session, server->url, email, "reloop-demo", NULL,
                            rl_test_store_result_cb, &result);
  g_assert_true (rl_session_sign_in_finish (
      session, rl_test_wait_result (&result, SYNC_TIMEOUT_MS), &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait_until (settled, session, SYNC_TIMEOUT_MS));
  return session;
}

gboolean
sync_test_drain (RlSession    *session,
                 RlDrainStats *out_stats,
                 GError      **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_session_drain_async (session, NULL, rl_test_store_result_cb, &result);
  return rl_session_drain_finish (session, rl_test_wait_result (&result, SYNC_TIMEOUT_MS),
                                  out_stats, error);
}

gboolean
sync_test_pull (RlSession *session,
                GError   **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_session_pull_async (session, NULL, rl_test_store_result_cb, &result);
  return rl_session_pull_finish (session, rl_test_wait_result (&result, SYNC_TIMEOUT_MS), error);
}

JsonNode *
sync_test_call (RlTestDevserver *server,
                const char      *token,
                const char      *method,
                const char      *path,
                const char      *body,
                const char      *if_match,
                guint            expect)
{
  g_autofree char *url = g_str_has_prefix (path, "/__dev/")
                             ? g_strconcat (server->url, path, NULL)
                             : g_strconcat (server->api_url, path, NULL);
  g_autofree char *auth = token ? g_strdup_printf ("Bearer %s", token) : NULL;
  const char      *headers[7] = { NULL };
  g_autoptr (JsonNode) reply = NULL;
  guint status = 0;
  guint n = 0;

  if (auth != NULL)
    {
      headers[n++] = "Authorization";
      headers[n++] = auth;
    }
  if (if_match != NULL)
    {
      headers[n++] = "If-Match";
      headers[n++] = if_match;
    }
  reply = rl_test_http (method, url, body, headers, &status);
  if (expect > 0 && status != expect)
    g_error ("%s %s: HTTP %u, expected %u", method, path, status, expect);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply)
      || !json_object_has_member (json_node_get_object (reply), "data"))
    return NULL;
  return json_node_ref (json_object_get_member (json_node_get_object (reply), "data"));
}

JsonObject *
sync_test_get (RlTestDevserver *server,
               const char      *token,
               const char      *path)
{
  g_autoptr (JsonNode) data = sync_test_call (server, token, "GET", path, NULL, NULL, 200);

  g_assert_true (data != NULL && JSON_NODE_HOLDS_OBJECT (data));
  return json_object_ref (json_node_get_object (data));
}

JsonArray *
sync_test_requests (RlTestDevserver *server,
                    gint64           since)
{
  g_autofree char *path = g_strdup_printf ("/__dev/requests?since=%" G_GINT64_FORMAT, since);
  g_autoptr (JsonNode) data = sync_test_call (server, NULL, "GET", path, NULL, NULL, 200);

  g_assert_true (data != NULL && JSON_NODE_HOLDS_ARRAY (data));
  return json_array_ref (json_node_get_array (data));
}

gint64
sync_test_request_seq (RlTestDevserver *server)
{
  g_autoptr (JsonArray) all = sync_test_requests (server, 0);
  guint n = json_array_get_length (all);

  return n > 0 ? json_object_get_int_member (json_array_get_object_element (all, n - 1), "seq")
               : 0;
}

void
sync_test_faults (RlTestDevserver *server,
                  const char      *rules)
{
  g_autoptr (JsonNode) cleared = NULL;

  /* POST adds rules: clear the earlier ones first. */
  cleared = sync_test_call (server, NULL, "DELETE", "/__dev/faults", NULL, NULL, 200);
  if (rules != NULL)
    {
      g_autofree char *body = g_strdup_printf ("{\"rules\":%s}", rules);
      g_autoptr (JsonNode) reply =
          sync_test_call (server, NULL, "POST", "/__dev/faults", body, NULL, 200);
    }
}

JsonObject *
sync_test_cached (RlSession  *session,
                  const char *entity,
                  const char *id)
{
  g_autoptr (GError) error = NULL;
  JsonObject *record = rl_store_get_record (rl_session_get_store (session), entity, id, &error);

  g_assert_no_error (error);
  return record;
}

RlOutboxRow *
sync_test_row (RlSession *session,
               gint64     id)
{
  return rl_store_outbox_get (rl_session_get_store (session), id, NULL);
}

typedef struct
{
  RlSession *session;
  guint      pending;
} PendingWait;

static gboolean
pending_is (gpointer user_data)
{
  PendingWait *wait = user_data;

  return rl_store_outbox_count_pending (rl_session_get_store (wait->session)) == wait->pending
         && !rl_session_get_draining (wait->session);
}

gboolean
sync_test_wait_pending (RlSession *session,
                        guint      pending,
                        guint      timeout_ms)
{
  PendingWait wait = { session, pending };

  return rl_test_wait_until (pending_is, &wait, timeout_ms);
}

static gboolean
collect_id (const RlStoreDropPoint *dp,
            gpointer                user_data)
{
  GPtrArray *ids = user_data;

  g_ptr_array_add (ids, g_strdup (dp->id));
  return TRUE;
}

GPtrArray *
sync_test_drop_point_ids (RlSession *session,
                          guint      n)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (
      rl_store_foreach_drop_point (rl_session_get_store (session), collect_id, ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, >=, n);
  g_ptr_array_set_size (ids, n);
  return ids;
}
