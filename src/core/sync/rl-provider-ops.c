/* rl-provider-ops.c — what the Providers page does to a provider (test,
 * reset circuit, delete, reorder, role, enabled, keyring unlock).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-provider-ops.h"

#include <libsecret/secret.h>
#include <sqlite3.h>

#include "rl-api.h"
#include "rl-core-enums.h"
#include "rl-edits.h"
#include "rl-secrets.h"
#include "rl-store-async.h"
#include "rl-store-private.h"
#include "rl-store.h"

/* The server's own bounds of a priority (contract: 1–100). */
#define MAX_PRIORITY 100

typedef struct
{
  char                 *id;
  RlStore              *store; /* the session's, for the cache write */
  RlProviderTestResult *result;
} OpData;

/* ---- Helpers ------------------------------------------------------------------- */

static void
op_data_free (OpData *d)
{
  g_free (d->id);
  g_clear_object (&d->store);
  g_clear_pointer (&d->result, rl_provider_test_result_free);
  g_free (d);
}

static char *
provider_path (const char *id,
               const char *tail)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, TRUE);

  return g_strconcat ("/providers/", escaped, tail, NULL);
}

/* The store of a signed-in session that reaches the server now. */
static RlStore *
online_store (RlSession *session,
              GError   **error)
{
  RlSessionState state = rl_session_get_state (session);

  if (rl_session_get_store (session) == NULL || state == RL_SESSION_STATE_SIGNED_OUT)
    {
      g_set_error_literal (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CREDENTIALS,
                           "Not signed in");
      return NULL;
    }
  if (state == RL_SESSION_STATE_OFFLINE || !rl_session_get_api_reachable (session))
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_NETWORK,
                           "Offline: this needs the server now, and cannot wait in the outbox");
      return NULL;
    }
  return rl_session_get_store (session);
}

static RlStore *
signed_in_store (RlSession *session,
                 GError   **error)
{
  if (rl_session_get_store (session) == NULL
      || rl_session_get_state (session) == RL_SESSION_STATE_SIGNED_OUT)
    {
      g_set_error_literal (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CREDENTIALS,
                           "Not signed in");
      return NULL;
    }
  return rl_session_get_store (session);
}

/* Outbox rows of the provider, in any state; -1 on error. */
static gint64
count_outbox_rows (RlStore    *store,
                   const char *id,
                   GError    **error)
{
  sqlite3_stmt *stmt = rl_store_prepare (
      store, "SELECT count(*) FROM outbox WHERE entity = 'provider' AND entity_id = ?1", error);
  gint64 n;
  int    rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  n = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
  if (rc == SQLITE_ROW)
    rc = sqlite3_step (stmt);
  if (!rl_store_step_finished (store, stmt, rc, "count outbox rows", error))
    return -1;
  return n;
}

/* The server's @answer (a provider record) into the cache, in the worker:
 * the whole record when no edit of it waits (nothing local to keep), else
 * only its server-managed health (the edits' local state stays). */
static gboolean
store_answer_thread (RlStore      *store,
                     gpointer      data,
                     gpointer     *out_result,
                     GCancellable *cancellable,
                     GError      **error)
{
  const char *json = data;
  g_autoptr (JsonNode) node = json_from_string (json, error);
  g_autoptr (RlStoreBatch) batch = NULL;
  g_autoptr (JsonObject) cached = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonObject *answer;
  const char *id;
  gint64      rows;

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  answer = json_node_get_object (node);
  if ((id = json_object_get_string_member_with_default (answer, "id", NULL)) == NULL)
    return TRUE;
  if ((batch = rl_store_batch_begin (store, error)) == NULL)
    return FALSE;
  if ((rows = count_outbox_rows (store, id, error)) < 0)
    return FALSE;
  cached = rl_store_get_record (store, "provider", id, &local_error);
  if (cached == NULL)
    /* Deleted here meanwhile, or never cached: the next pull decides. */
    return TRUE;
  if (rows == 0)
    {
      if (!rl_store_batch_upsert (batch, "provider", answer, error))
        return FALSE;
    }
  else if (json_object_has_member (answer, "health"))
    {
      json_object_set_member (cached, "health",
                              json_node_copy (json_object_get_member (answer, "health")));
      if (!rl_store_batch_upsert (batch, "provider", cached, error))
        return FALSE;
    }
  return rl_store_batch_commit (batch, error);
}

static void
store_answer (GTask              *task,
              JsonObject         *answer,
              GAsyncReadyCallback callback)
{
  OpData *d = g_task_get_task_data (task);
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), answer);

  rl_store_run_in_thread (d->store, store_answer_thread, store_answer_thread,
                          json_to_string (node, FALSE), g_free, NULL,
                          g_task_get_cancellable (task), callback, task);
}

static gboolean
delete_thread (RlStore      *store,
               gpointer      data,
               gpointer     *out_result,
               GCancellable *cancellable,
               GError      **error)
{
  g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, error);

  return batch != NULL && rl_store_batch_delete (batch, "provider", data, -1, error)
         && rl_store_batch_commit (batch, error);
}

/* The providers of @kind in @role, in the order the platform tries them
 * (priority, then name, then id), as ids. */
static GPtrArray *
role_members (RlStore    *store,
              const char *kind,
              const char *role,
              GError    **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = rl_store_prepare (
      store,
      "SELECT id FROM providers WHERE kind = ?1 AND role = ?2 ORDER BY priority, name, id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (!rl_store_step_finished (store, stmt, rc, "read a role's providers", error))
    return NULL;
  return g_steal_pointer (&ids);
}

static gint64
priority_of (JsonObject *record)
{
  return json_object_get_int_member_with_default (record, "priority", 0);
}

/* Edits that give the providers of @order the priorities 1, 2, 3…; @moved
 * also gets @role when it is not NULL. Returns the edits queued, -1. */
static gint
apply_order (RlSession  *session,
             RlStore    *store,
             GPtrArray  *order,
             const char *moved,
             const char *role,
             GError    **error)
{
  gint n = 0;

  if (order->len > MAX_PRIORITY)
    {
      g_set_error (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NOT_ALLOWED,
                   "A role holds at most %d providers", MAX_PRIORITY);
      return -1;
    }
  for (guint i = 0; i < order->len; i++)
    {
      const char *id = order->pdata[i];
      g_autoptr (JsonObject) record = rl_store_get_record (store, "provider", id, error);
      g_autoptr (JsonObject) changes = json_object_new ();
      g_autoptr (GError) local_error = NULL;

      if (record == NULL)
        return -1;
      if (priority_of (record) != (gint64) i + 1)
        json_object_set_int_member (changes, "priority", i + 1);
      if (role != NULL && g_str_equal (id, moved))
        json_object_set_string_member (changes, "role", role);
      if (json_object_get_size (changes) == 0)
        continue;
      if (rl_session_edit_record (session, "provider", id, changes, &local_error) <= 0)
        {
          if (g_error_matches (local_error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CHANGE))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return -1;
        }
      n++;
    }
  return n;
}

/* rl_session_edit_record, with -1 on error. */
static gint64
edit (RlSession  *session,
      const char *provider_id,
      JsonObject *changes,
      GError    **error)
{
  gint64 row = rl_session_edit_record (session, "provider", provider_id, changes, error);

  return row > 0 ? row : -1;
}

static guint
index_of (GPtrArray  *ids,
          const char *id)
{
  guint i;

  return g_ptr_array_find_with_equal_func (ids, id, g_str_equal, &i) ? i : G_MAXUINT;
}

/* ---- Callbacks ----------------------------------------------------------------- */

static void
answer_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OpData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  /* The action happened on the server either way: a cache that could not
   * take the answer catches up at the next pull. */
  if (!rl_store_run_finish (RL_STORE (source), result, store_answer_thread, NULL, &error))
    g_debug ("provider %s: answer not cached: %s", d->id, error->message);
  g_task_return_boolean (task, TRUE);
}

static void
tested_record_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OpData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = rl_api_request_finish (RL_API (source), result, &error);
  JsonObject *record = envelope ? rl_envelope_get_object (envelope) : NULL;

  if (record == NULL)
    {
      g_debug ("provider %s: health not read after its test: %s", d->id,
               error ? error->message : "not an object");
      return g_task_return_boolean (task, TRUE);
    }
  store_answer (g_steal_pointer (&task), record, answer_stored_cb);
}

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OpData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = rl_api_request_finish (RL_API (source), result, &error);
  JsonObject      *answer;
  g_autofree char *path = NULL;

  if (envelope == NULL)
    return g_task_return_error (task, g_steal_pointer (&error));
  if ((answer = rl_envelope_get_object (envelope)) == NULL)
    return g_task_return_new_error (task, RL_ERROR, RL_ERROR_BAD_RESPONSE,
                                    "The test's answer is not an object");
  d->result = g_new0 (RlProviderTestResult, 1);
  d->result->ok = json_object_get_boolean_member_with_default (answer, "ok", FALSE);
  d->result->latency_ms = json_object_get_int_member_with_default (answer, "latencyMs", 0);
  d->result->message =
      g_strdup (json_object_get_string_member_with_default (answer, "message", ""));
  d->result->when_ms = g_get_real_time () / 1000;
  /* The test changed the provider's health: read it now rather than wait
   * for the next pull. */
  path = provider_path (d->id, NULL);
  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    rl_api_get_async (RL_API (source), path, NULL, cancellable, tested_record_cb,
                      g_steal_pointer (&task));
  }
}

static void
reset_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = rl_api_request_finish (RL_API (source), result, &error);
  JsonObject *record;

  if (envelope == NULL)
    return g_task_return_error (task, g_steal_pointer (&error));
  if ((record = rl_envelope_get_object (envelope)) == NULL)
    return g_task_return_boolean (task, TRUE);
  store_answer (g_steal_pointer (&task), record, answer_stored_cb);
}

static void
deleted_cached_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!rl_store_run_finish (RL_STORE (source), result, delete_thread, NULL, &error))
    g_debug ("deleted provider not removed from the cache: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
conflict_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = g_object_steal_data (G_OBJECT (task), "conflict");

  rl_store_run_finish (RL_STORE (source), result, store_answer_thread, NULL, NULL);
  g_task_return_error (task, error);
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OpData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = rl_api_request_finish (RL_API (source), result, &error);

  if (envelope != NULL || g_error_matches (error, RL_ERROR, RL_ERROR_NOT_FOUND))
    {
      {
        GCancellable *cancellable = g_task_get_cancellable (task);

        rl_store_run_in_thread (d->store, delete_thread, delete_thread, g_strdup (d->id), g_free,
                                NULL, cancellable, deleted_cached_cb,
                                g_steal_pointer (&task));
      }
      return;
    }
  if (g_error_matches (error, RL_ERROR, RL_ERROR_VERSION_CONFLICT)
      && rl_error_get_current (error) != NULL)
    {
      JsonObject *current = rl_error_get_current (error);

      g_object_set_data_full (G_OBJECT (task), "conflict", g_steal_pointer (&error),
                              (GDestroyNotify) g_error_free);
      store_answer (g_steal_pointer (&task), current, conflict_stored_cb);
      return;
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
unlocked_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession *session = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autolist (GDBusProxy) unlocked = NULL;
  gint n = secret_service_unlock_finish (SECRET_SERVICE (source), result, &unlocked, &error);

  rl_session_check_keyring (session);
  if (n < 0)
    return g_task_return_new_error (task, RL_SECRETS_ERROR, RL_SECRETS_ERROR_FAILED,
                                    "The keyring could not be unlocked: %s", error->message);
  if (unlocked == NULL)
    return g_task_return_new_error (task, RL_SECRETS_ERROR, RL_SECRETS_ERROR_LOCKED,
                                    "The keyring stays locked");
  g_task_return_boolean (task, TRUE);
}

static void
alias_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SecretService *service = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (SecretCollection) collection = secret_collection_for_alias_finish (result, &error);
  GList *objects;

  if (collection == NULL)
    {
      rl_session_check_keyring (g_task_get_source_object (task));
      return g_task_return_new_error (task, RL_SECRETS_ERROR, RL_SECRETS_ERROR_NO_SERVICE,
                                      "No default collection%s%s", error ? ": " : "",
                                      error ? error->message : "");
    }
  if (!secret_collection_get_locked (collection))
    {
      rl_session_check_keyring (g_task_get_source_object (task));
      return g_task_return_boolean (task, TRUE);
    }
  objects = g_list_append (NULL, collection);
  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    secret_service_unlock (service, objects, cancellable, unlocked_cb,
                           g_steal_pointer (&task));
  }
  g_list_free (objects);
}

static void
service_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  SecretService *service = secret_service_get_finish (result, &error);

  if (service == NULL)
    {
      rl_session_check_keyring (g_task_get_source_object (task));
      return g_task_return_new_error (task, RL_SECRETS_ERROR, RL_SECRETS_ERROR_NO_SERVICE,
                                      "No Secret Service: %s", error->message);
    }
  g_task_set_task_data (task, service, g_object_unref);
  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    secret_collection_for_alias (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                                 cancellable, alias_cb, g_steal_pointer (&task));
  }
}

/* ---- Public API ---------------------------------------------------------------- */

void
rl_provider_test_result_free (RlProviderTestResult *result)
{
  if (result == NULL)
    return;
  g_free (result->message);
  g_free (result);
}

RlProviderTestResult *
rl_provider_test_result_copy (const RlProviderTestResult *result)
{
  RlProviderTestResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_memdup2 (result, sizeof *result);
  copy->message = g_strdup (result->message);
  return copy;
}

static GTask *
start_op (RlSession          *session,
          const char         *provider_id,
          gpointer            source_tag,
          GCancellable       *cancellable,
          GAsyncReadyCallback callback,
          gpointer            user_data,
          RlStore           **out_store)
{
  g_autoptr (GTask) task = g_task_new (session, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  OpData  *d = g_new0 (OpData, 1);
  RlStore *store;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, d, (GDestroyNotify) op_data_free);
  d->id = g_strdup (provider_id);
  if ((store = online_store (session, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }
  d->store = g_object_ref (store);
  *out_store = store;
  return g_steal_pointer (&task);
}

void
rl_provider_test_async (RlSession          *session,
                        const char         *provider_id,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  GTask           *task;
  RlStore         *store;
  g_autofree char *path = NULL;

  g_return_if_fail (RL_IS_SESSION (session));
  g_return_if_fail (provider_id != NULL);

  task = start_op (session, provider_id, rl_provider_test_async, cancellable, callback, user_data,
                   &store);
  if (task == NULL)
    return;
  path = provider_path (provider_id, "/test");
  rl_api_post_async (rl_session_get_api (session), path, NULL, cancellable, tested_cb, task);
}

RlProviderTestResult *
rl_provider_test_finish (RlSession    *session,
                         GAsyncResult *result,
                         GError      **error)
{
  OpData *d;

  g_return_val_if_fail (g_task_is_valid (result, session), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rl_provider_test_async, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  d = g_task_get_task_data (G_TASK (result));
  return g_steal_pointer (&d->result);
}

void
rl_provider_reset_circuit_async (RlSession          *session,
                                 const char         *provider_id,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  GTask           *task;
  RlStore         *store;
  g_autofree char *path = NULL;

  g_return_if_fail (RL_IS_SESSION (session));
  g_return_if_fail (provider_id != NULL);

  task = start_op (session, provider_id, rl_provider_reset_circuit_async, cancellable, callback,
                   user_data, &store);
  if (task == NULL)
    return;
  path = provider_path (provider_id, "/circuit/reset");
  rl_api_post_async (rl_session_get_api (session), path, NULL, cancellable, reset_cb, task);
}

gboolean
rl_provider_reset_circuit_finish (RlSession    *session,
                                  GAsyncResult *result,
                                  GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
rl_provider_delete_async (RlSession          *session,
                          const char         *provider_id,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) cached = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  RlStore         *store;
  gint64           rows;

  g_return_if_fail (RL_IS_SESSION (session));
  g_return_if_fail (provider_id != NULL);

  task = start_op (session, provider_id, rl_provider_delete_async, cancellable, callback,
                   user_data, &store);
  if (task == NULL)
    return;
  if ((cached = rl_store_get_record (store, "provider", provider_id, &error)) == NULL
      || (rows = count_outbox_rows (store, provider_id, &error)) < 0)
    return g_task_return_error (task, g_steal_pointer (&error));
  if (rows > 0)
    return g_task_return_new_error (task, RL_SESSION_ERROR, RL_SESSION_ERROR_BUSY,
                                    "An edit of this provider waits in the outbox");
  path = provider_path (provider_id, NULL);
  rl_api_delete_async (rl_session_get_api (session), path,
                       json_object_get_int_member_with_default (cached, "version", 0), cancellable,
                       delete_cb, g_steal_pointer (&task));
}

gboolean
rl_provider_delete_finish (RlSession    *session,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gint
rl_provider_move (RlSession  *session,
                  const char *provider_id,
                  gint        delta,
                  GError    **error)
{
  g_autoptr (JsonObject) record = NULL;
  g_autoptr (GPtrArray) order = NULL;
  RlStore *store;
  guint    at;
  gint64   to;

  g_return_val_if_fail (RL_IS_SESSION (session), -1);
  g_return_val_if_fail (provider_id != NULL, -1);
  g_return_val_if_fail (delta == -1 || delta == 1, -1);

  if ((store = signed_in_store (session, error)) == NULL
      || (record = rl_store_get_record (store, "provider", provider_id, error)) == NULL
      || (order = role_members (store, json_object_get_string_member (record, "kind"),
                                json_object_get_string_member (record, "role"), error))
             == NULL)
    return -1;
  at = index_of (order, provider_id);
  g_assert (at != G_MAXUINT);
  to = (gint64) at + delta;
  if (to < 0 || to >= order->len)
    return 0;
  g_ptr_array_insert (order, to, g_ptr_array_steal_index (order, at));
  return apply_order (session, store, order, provider_id, NULL, error);
}

gint
rl_provider_move_to (RlSession  *session,
                     const char *provider_id,
                     const char *target_id,
                     gboolean    after,
                     GError    **error)
{
  g_autoptr (JsonObject) record = NULL;
  g_autoptr (JsonObject) target = NULL;
  g_autoptr (GPtrArray) order = NULL;
  const char *role;
  RlStore    *store;
  guint       at;

  g_return_val_if_fail (RL_IS_SESSION (session), -1);
  g_return_val_if_fail (provider_id != NULL && target_id != NULL, -1);

  if ((store = signed_in_store (session, error)) == NULL
      || (record = rl_store_get_record (store, "provider", provider_id, error)) == NULL
      || (target = rl_store_get_record (store, "provider", target_id, error)) == NULL)
    return -1;
  if (g_strcmp0 (json_object_get_string_member (record, "kind"),
                 json_object_get_string_member (target, "kind"))
      != 0)
    {
      g_set_error_literal (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NOT_ALLOWED,
                           "A provider moves within its own kind only");
      return -1;
    }
  if (g_str_equal (provider_id, target_id))
    return 0;
  role = json_object_get_string_member (target, "role");
  if ((order = role_members (store, json_object_get_string_member (target, "kind"), role, error))
      == NULL)
    return -1;
  if ((at = index_of (order, provider_id)) != G_MAXUINT)
    g_ptr_array_remove_index (order, at);
  at = index_of (order, target_id);
  g_assert (at != G_MAXUINT);
  g_ptr_array_insert (order, after ? at + 1 : at, g_strdup (provider_id));
  return apply_order (
      session, store, order, provider_id,
      g_str_equal (json_object_get_string_member (record, "role"), role) ? NULL : role, error);
}

gint64
rl_provider_set_role (RlSession     *session,
                      const char    *provider_id,
                      RlProviderRole role,
                      GError       **error)
{
  g_autoptr (JsonObject) record = NULL;
  g_autoptr (JsonObject) changes = json_object_new ();
  g_autoptr (GPtrArray) members = NULL;
  const char *wire = rl_enum_to_wire (RL_TYPE_PROVIDER_ROLE, role);
  RlStore    *store;
  gint64      last = 0;

  g_return_val_if_fail (RL_IS_SESSION (session), -1);
  g_return_val_if_fail (provider_id != NULL, -1);
  g_return_val_if_fail (role != RL_PROVIDER_ROLE_UNKNOWN && wire != NULL, -1);

  if ((store = signed_in_store (session, error)) == NULL
      || (record = rl_store_get_record (store, "provider", provider_id, error)) == NULL)
    return -1;
  if (g_strcmp0 (json_object_get_string_member (record, "role"), wire) == 0)
    {
      g_set_error_literal (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CHANGE,
                           "The provider has that role already");
      return -1;
    }
  if ((members = role_members (store, json_object_get_string_member (record, "kind"), wire, error))
      == NULL)
    return -1;
  for (guint i = 0; i < members->len; i++)
    {
      g_autoptr (JsonObject) m = rl_store_get_record (store, "provider", members->pdata[i], NULL);
      if (m != NULL)
        last = MAX (last, priority_of (m));
    }
  json_object_set_string_member (changes, "role", wire);
  json_object_set_int_member (changes, "priority", MIN (last + 1, MAX_PRIORITY));
  return edit (session, provider_id, changes, error);
}

gint64
rl_provider_set_enabled (RlSession  *session,
                         const char *provider_id,
                         gboolean    enabled,
                         GError    **error)
{
  g_autoptr (JsonObject) changes = json_object_new ();

  g_return_val_if_fail (RL_IS_SESSION (session), -1);
  g_return_val_if_fail (provider_id != NULL, -1);

  json_object_set_boolean_member (changes, "enabled", enabled);
  return edit (session, provider_id, changes, error);
}

void
rl_provider_unlock_keyring_async (RlSession          *session,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (RL_IS_SESSION (session));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_provider_unlock_keyring_async);
  secret_service_get (SECRET_SERVICE_LOAD_COLLECTIONS, cancellable, service_cb, task);
}

gboolean
rl_provider_unlock_keyring_finish (RlSession    *session,
                                   GAsyncResult *result,
                                   GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
