/* rl-edits.c — every edit the console makes, through the outbox.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each call builds the local state of the edit and its outbox row, and
 * writes both in one transaction (rl_store_outbox_add); the drain sends the
 * row (rl-outbox-drain.c). Also the user's decisions on rows the server
 * refused (retry, discard). See rl-edits.h and docs/sync.md.
 */
#include "config.h"

#include "rl-edits.h"

#include "rl-core-enums.h"
#include "rl-merge.h"
#include "rl-outbox-settle.h"
#include "rl-secrets.h"
#include "rl-session-private.h"
#include "rl-store-alerts.h"
#include "rl-store-outbox.h"
#include "rl-sync-engine.h"
#include "rl-time.h"

/* ---- Helpers ------------------------------------------------------------------- */

static RlStore *
signed_in_store (RlSession *self,
                 GError   **error)
{
  if (self->store == NULL || self->state == RL_SESSION_STATE_SIGNED_OUT)
    {
      g_set_error_literal (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CREDENTIALS,
                           "Not signed in");
      return NULL;
    }
  return self->store;
}

static gint64
enqueue (RlSession             *self,
         const RlOutboxRowSpec *spec,
         GError               **error)
{
  gint64 id = rl_store_outbox_add (self->store, spec, error);

  if (id > 0)
    {
      g_debug ("queued %s %s (%s %s) as outbox row %" G_GINT64_FORMAT, spec->method, spec->path,
               spec->entity, spec->entity_id, id);
      rl_session_update_store_figures (self);
      rl_session_request_drain (self);
    }
  return id;
}

/* The record's path under /api/v1, or NULL when it cannot be edited. */
static char *
record_path (const char *entity,
             const char *id)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, TRUE);

  if (g_strcmp0 (entity, "drop_point") == 0)
    return g_strconcat ("/drop-points/", escaped, NULL);
  if (g_strcmp0 (entity, "provider") == 0)
    return g_strconcat ("/providers/", escaped, NULL);
  if (g_strcmp0 (entity, "sync_job") == 0)
    return g_strconcat ("/sync/jobs/", escaped, NULL);
  return NULL;
}

static char *
if_match_of (JsonObject *record)
{
  return g_strdup_printf ("\"%" G_GINT64_FORMAT "\"",
                          json_object_get_int_member_with_default (record, "version", 0));
}

static JsonObject *
copy_object (JsonObject *object)
{
  return rl_outbox_apply_changes (NULL, object, NULL);
}

static char *
now_text (void)
{
  return rl_time_format_ms (rl_time_now_ms ());
}

static void
set_not_allowed (GError    **error,
                 const char *message)
{
  g_set_error_literal (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NOT_ALLOWED, message);
}

/* The fields of @changed that differ from @from, as a PATCH body. */
static JsonObject *
changed_fields (const char *entity,
                JsonObject *from,
                JsonObject *changed)
{
  g_autoptr (RlMergeResult) merge =
      rl_merge_three_way (from, changed, from, rl_outbox_ignored_keys (entity));

  return rl_outbox_patch_body (entity, merge, changed);
}

/* ---- Records -------------------------------------------------------------------- */

gint64
rl_session_edit_record (RlSession  *self,
                        const char *entity,
                        const char *id,
                        JsonObject *changes,
                        GError    **error)
{
  g_autoptr (JsonObject) base = NULL;
  g_autoptr (JsonObject) local = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonNode) body_node = NULL;
  g_autofree char *path = NULL;
  g_autofree char *if_match = NULL;
  RlStore         *store;
  RlOutboxRowSpec  spec = { 0 };

  g_return_val_if_fail (RL_IS_SESSION (self), 0);
  g_return_val_if_fail (entity != NULL && id != NULL && changes != NULL, 0);

  if ((store = signed_in_store (self, error)) == NULL)
    return 0;
  if ((path = record_path (entity, id)) == NULL)
    {
      set_not_allowed (error, "Only drop points, providers and sync jobs are edited");
      return 0;
    }
  if ((base = rl_store_get_record (store, entity, id, error)) == NULL)
    return 0;

  local = rl_outbox_apply_changes (entity, base, changes);
  /* Only what differs goes: a field sent unchanged would undo another
   * user's change of it once a 409 is merged. */
  body = changed_fields (entity, base, local);
  if (json_object_get_size (body) == 0)
    {
      g_set_error_literal (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CHANGE,
                           "The edit changes nothing");
      return 0;
    }
  body_node = json_node_init_object (json_node_alloc (), body);
  if_match = if_match_of (base);

  spec.kind = RL_OUTBOX_KIND_EDIT;
  spec.method = "PATCH";
  spec.path = path;
  spec.body = body_node;
  spec.if_match = if_match;
  spec.entity = entity;
  spec.entity_id = id;
  spec.base = base;
  spec.local = local;
  return enqueue (self, &spec, error);
}

/* ---- Actions ------------------------------------------------------------------- */

gint64
rl_session_alert_action (RlSession    *self,
                         const char   *alert_id,
                         RlAlertAction action,
                         const char   *note,
                         GError      **error)
{
  g_autoptr (JsonObject) base = NULL;
  g_autoptr (JsonObject) local = NULL;
  g_autoptr (JsonNode) body = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *now = now_text ();
  const char      *done = action == RL_ALERT_ACTION_RESOLVE ? "resolved" : "acknowledged";
  RlStore         *store;
  RlOutboxRowSpec  spec = { 0 };

  RlAlertSource source;
  gint64        id;

  g_return_val_if_fail (RL_IS_SESSION (self), -1);
  g_return_val_if_fail (alert_id != NULL, -1);

  if ((store = signed_in_store (self, error)) == NULL)
    return -1;
  source = rl_store_get_alert_source (store, alert_id, error);
  if (source == RL_ALERT_SOURCE_UNKNOWN)
    return -1;
  /* A feed or local alert has no server record: the cache alone. */
  if (source != RL_ALERT_SOURCE_SERVER)
    {
      gboolean changed = FALSE;

      if (!rl_store_alert_set_status (store, alert_id,
                                      action == RL_ALERT_ACTION_RESOLVE ? RL_ALERT_STATUS_RESOLVED
                                                                        : RL_ALERT_STATUS_ACKNOWLEDGED,
                                      self->user_email, rl_time_now_ms (), note, &changed, error))
        return -1;
      if (!changed)
        {
          set_not_allowed (error, action == RL_ALERT_ACTION_RESOLVE
                                      ? "The alert is already resolved"
                                      : "Only an open alert can be acknowledged");
          return -1;
        }
      g_debug ("%s alert %s in the cache alone", done, alert_id);
      return 0;
    }
  if ((base = rl_store_get_record (store, "alert", alert_id, error)) == NULL)
    return -1;

  local = copy_object (base);
  json_object_set_string_member (local, "status", done);
  {
    g_autofree char *by = g_strconcat (done, "By", NULL);
    g_autofree char *at = g_strconcat (done, "At", NULL);
    g_autofree char *with = g_strconcat (done, "Note", NULL);

    if (self->user_email != NULL)
      json_object_set_string_member (local, by, self->user_email);
    json_object_set_string_member (local, at, now);
    json_object_set_string_member (local, with, note ? note : "");
  }

  if (note != NULL)
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "note", note);
      body = json_node_init_object (json_node_alloc (), object);
      json_object_unref (object);
    }
  escaped = g_uri_escape_string (alert_id, NULL, TRUE);
  path = g_strdup_printf ("/alerts/%s/%s", escaped,
                          action == RL_ALERT_ACTION_RESOLVE ? "resolve" : "acknowledge");

  spec.kind = RL_OUTBOX_KIND_ACTION;
  spec.method = "POST";
  spec.path = path;
  spec.body = body;
  spec.entity = "alert";
  spec.entity_id = alert_id;
  spec.base = base;
  spec.local = local;
  id = enqueue (self, &spec, error);
  return id > 0 ? id : -1;
}

gint64
rl_session_run_action (RlSession  *self,
                       const char *run_id,
                       RlRunAction action,
                       GError    **error)
{
  g_autoptr (JsonObject) base = NULL;
  g_autoptr (JsonObject) local = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  RlStore         *store;
  RlOutboxRowSpec  spec = { 0 };

  g_return_val_if_fail (RL_IS_SESSION (self), 0);
  g_return_val_if_fail (run_id != NULL, 0);

  if ((store = signed_in_store (self, error)) == NULL)
    return 0;
  /* docs/activity.md "Offline": a cancel sent when the console is back
   * would come after the run ended; it is refused, not queued. */
  if (action == RL_RUN_ACTION_CANCEL && self->state == RL_SESSION_STATE_OFFLINE)
    {
      set_not_allowed (error, "A run cannot be cancelled while offline");
      return 0;
    }
  /* Runs are cached from their own list: one not cached yet is still sent. */
  base = rl_store_get_record (store, "run", run_id, NULL);
  if (base != NULL)
    {
      local = copy_object (base);
      if (action == RL_RUN_ACTION_RETRY)
        {
          json_object_set_string_member (local, "status", "queued");
          json_object_set_int_member (local, "attempt",
                                      json_object_get_int_member_with_default (base, "attempt", 1)
                                          + 1);
          json_object_set_null_member (local, "error");
          json_object_set_null_member (local, "finishedAt");
          json_object_set_null_member (local, "durationMs");
        }
      else
        {
          g_autofree char *now = now_text ();

          json_object_set_string_member (local, "status", "cancelled");
          json_object_set_string_member (local, "finishedAt", now);
        }
    }
  escaped = g_uri_escape_string (run_id, NULL, TRUE);
  path = g_strdup_printf ("/runs/%s/%s", escaped,
                          action == RL_RUN_ACTION_RETRY ? "retry" : "cancel");

  spec.kind = RL_OUTBOX_KIND_ACTION;
  spec.method = "POST";
  spec.path = path;
  spec.entity = "run";
  spec.entity_id = run_id;
  spec.base = base;
  spec.local = local;
  return enqueue (self, &spec, error);
}

gint64
rl_session_start_workflow (RlSession  *self,
                           const char *workflow_id,
                           GError    **error)
{
  g_autoptr (JsonObject) extra = json_object_new ();
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  RlOutboxRowSpec  spec = { 0 };

  g_return_val_if_fail (RL_IS_SESSION (self), 0);
  g_return_val_if_fail (workflow_id != NULL, 0);

  if (signed_in_store (self, error) == NULL)
    return 0;
  escaped = g_uri_escape_string (workflow_id, NULL, TRUE);
  path = g_strdup_printf ("/workflows/%s/runs", escaped);
  json_object_set_string_member (extra, "answerEntity", "run");

  spec.kind = RL_OUTBOX_KIND_CREATE;
  spec.method = "POST";
  spec.path = path;
  spec.entity = "workflow";
  spec.entity_id = workflow_id;
  spec.extra = extra;
  return enqueue (self, &spec, error);
}

gint64
rl_session_sync_job_action (RlSession      *self,
                            const char     *job_id,
                            RlSyncJobAction action,
                            GError        **error)
{
  static const char *const verbs[] = { "run", "pause", "resume" };
  static const char *const states[] = { "running", "paused", "idle" };
  g_autoptr (JsonObject) base = NULL;
  g_autoptr (JsonObject) local = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  RlStore         *store;
  RlOutboxRowSpec  spec = { 0 };

  g_return_val_if_fail (RL_IS_SESSION (self), 0);
  g_return_val_if_fail (job_id != NULL, 0);
  g_return_val_if_fail (action <= RL_SYNC_JOB_ACTION_RESUME, 0);

  if ((store = signed_in_store (self, error)) == NULL)
    return 0;
  if ((base = rl_store_get_record (store, "sync_job", job_id, error)) == NULL)
    return 0;
  local = copy_object (base);
  json_object_set_string_member (local, "status", states[action]);
  if (action == RL_SYNC_JOB_ACTION_RUN)
    {
      g_autofree char *now = now_text ();

      json_object_set_string_member (local, "lastRunAt", now);
    }
  escaped = g_uri_escape_string (job_id, NULL, TRUE);
  path = g_strdup_printf ("/sync/jobs/%s/%s", escaped, verbs[action]);

  spec.kind = RL_OUTBOX_KIND_ACTION;
  spec.method = "POST";
  spec.path = path;
  spec.entity = "sync_job";
  spec.entity_id = job_id;
  spec.base = base;
  spec.local = local;
  return enqueue (self, &spec, error);
}

/* ---- Provider secrets ---------------------------------------------------------- */

typedef struct
{
  char *provider_id;
  char *key;
  char *hint;
} SecretData;

static void
secret_data_free (SecretData *data)
{
  g_free (data->provider_id);
  g_free (data->key);
  g_free (data->hint);
  g_free (data);
}

/* "…" and the last 4 characters, or just "…" under 8 (contract §5). */
static char *
secret_hint (const char *value)
{
  glong n = g_utf8_strlen (value, -1);

  if (n < 8)
    return g_strdup ("…");
  return g_strconcat ("…", g_utf8_offset_to_pointer (value, n - 4), NULL);
}

static void
secret_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession  *self = g_task_get_source_object (task);
  SecretData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) base = NULL;
  g_autoptr (JsonObject) local = NULL;
  g_autoptr (JsonObject) extra = json_object_new ();
  g_autofree char *escaped_id = NULL;
  g_autofree char *escaped_key = NULL;
  g_autofree char *path = NULL;
  g_autofree char *ref = NULL;
  g_autofree char *now = now_text ();
  RlOutboxRowSpec  spec = { 0 };
  JsonObject      *secrets, *secret;
  gint64           id;

  if (!rl_secrets_store_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (signed_in_store (self, &error) == NULL
      || (base = rl_store_get_record (self->store, "provider", data->provider_id, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The provider shows the secret as set, as the server will. */
  local = copy_object (base);
  if (!json_object_has_member (local, "secrets")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (local, "secrets")))
    json_object_set_object_member (local, "secrets", json_object_new ());
  secrets = json_object_get_object_member (local, "secrets");
  secret = json_object_new ();
  json_object_set_boolean_member (secret, "set", TRUE);
  json_object_set_string_member (secret, "hint", data->hint);
  json_object_set_string_member (secret, "updatedAt", now);
  json_object_set_object_member (secrets, data->key, secret);

  escaped_id = g_uri_escape_string (data->provider_id, NULL, TRUE);
  escaped_key = g_uri_escape_string (data->key, NULL, TRUE);
  path = g_strdup_printf ("/providers/%s/secrets/%s", escaped_id, escaped_key);
  ref = g_strdup_printf ("provider-secret/%s/%s", data->provider_id, data->key);
  json_object_set_string_member (extra, "providerId", data->provider_id);
  json_object_set_string_member (extra, "key", data->key);

  spec.kind = RL_OUTBOX_KIND_SECRET;
  spec.method = "PUT";
  spec.path = path;
  spec.entity = "provider";
  spec.entity_id = data->provider_id;
  spec.base = base;
  spec.local = local;
  spec.secret_ref = ref;
  spec.extra = extra;
  id = enqueue (self, &spec, &error);
  if (id == 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, id);
}

void
rl_session_set_provider_secret_async (RlSession          *self,
                                      const char         *provider_id,
                                      const char         *key,
                                      const char         *value,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  SecretData *data;

  g_return_if_fail (RL_IS_SESSION (self));
  g_return_if_fail (provider_id != NULL && key != NULL && value != NULL && *value != '\0');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_session_set_provider_secret_async);
  if (signed_in_store (self, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_new0 (SecretData, 1);
  data->provider_id = g_strdup (provider_id);
  data->key = g_strdup (key);
  data->hint = secret_hint (value);
  g_task_set_task_data (task, data, (GDestroyNotify) secret_data_free);
  rl_secrets_store_async (RL_SECRET_KIND_PROVIDER_SECRET, self->server_url, NULL, provider_id, key,
                          value, cancellable, secret_stored_cb, g_steal_pointer (&task));
}

gint64
rl_session_set_provider_secret_finish (RlSession    *self,
                                       GAsyncResult *result,
                                       GError      **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  /* g_task_propagate_int() answers -1 on error; the header promises 0. */
  id = g_task_propagate_int (G_TASK (result), error);
  return id < 0 ? 0 : id;
}

/* ---- Conflicts ------------------------------------------------------------------ */

static JsonObject *
object_member (JsonObject *object,
               const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* @conflict marked resolved by the signed-in user, as the server would. */
static JsonObject *
resolved (RlSession  *self,
          JsonObject *conflict,
          const char *strategy,
          JsonObject *merged,
          const char *comment)
{
  JsonObject      *copy = copy_object (conflict);
  JsonObject      *resolution = json_object_new ();
  g_autofree char *now = now_text ();

  json_object_set_string_member (resolution, "strategy", strategy);
  if (merged != NULL)
    json_object_set_object_member (resolution, "merged", copy_object (merged));
  else
    json_object_set_null_member (resolution, "merged");
  if (comment != NULL)
    json_object_set_string_member (resolution, "comment", comment);
  else
    json_object_set_null_member (resolution, "comment");
  if (self->user_email != NULL)
    json_object_set_string_member (resolution, "resolvedBy", self->user_email);
  else
    json_object_set_null_member (resolution, "resolvedBy");
  json_object_set_string_member (resolution, "resolvedAt", now);
  json_object_set_object_member (copy, "resolution", resolution);
  json_object_set_string_member (copy, "status", "resolved");
  return copy;
}

static gint64
resolve_server_conflict (RlSession  *self,
                         JsonObject *conflict,
                         const char *strategy,
                         JsonObject *merged,
                         const char *comment,
                         GError    **error)
{
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (JsonObject) local = NULL;
  g_autoptr (JsonNode) body_node = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *if_match = if_match_of (conflict);
  const char      *id = json_object_get_string_member (conflict, "id");
  JsonObject      *kept = merged;
  RlOutboxRowSpec  spec = { 0 };

  if (kept == NULL)
    kept = object_member (conflict, g_str_equal (strategy, "local_wins") ? "local" : "remote");
  json_object_set_string_member (body, "strategy", strategy);
  if (merged != NULL)
    json_object_set_object_member (body, "merged", copy_object (merged));
  if (comment != NULL)
    json_object_set_string_member (body, "comment", comment);
  body_node = json_node_init_object (json_node_alloc (), body);
  local = resolved (self, conflict, strategy, kept, comment);
  escaped = g_uri_escape_string (id, NULL, TRUE);
  path = g_strdup_printf ("/conflicts/%s/resolve", escaped);

  spec.kind = RL_OUTBOX_KIND_RESOLVE;
  spec.method = "POST";
  spec.path = path;
  spec.body = body_node;
  spec.if_match = if_match;
  spec.entity = "conflict";
  spec.entity_id = id;
  spec.base = conflict;
  spec.local = local;
  return enqueue (self, &spec, error);
}

static gint64
resolve_local_conflict (RlSession  *self,
                        JsonObject *conflict,
                        const char *strategy,
                        JsonObject *merged,
                        const char *comment,
                        GError    **error)
{
  const char *entity = json_object_get_string_member_with_default (conflict, "entityType", NULL);
  const char *entity_id = json_object_get_string_member_with_default (conflict, "entityId", NULL);
  JsonObject *remote = object_member (conflict, "remote");
  JsonObject *kept = merged;
  g_autoptr (JsonObject) done = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) local = NULL;
  g_autoptr (JsonObject) extra = NULL;
  g_autoptr (JsonNode) body_node = NULL;
  g_autofree char *path = NULL;
  g_autofree char *if_match = NULL;
  RlOutboxRowSpec  spec = { 0 };

  if (kept == NULL)
    kept = object_member (conflict, g_str_equal (strategy, "local_wins") ? "local" : "remote");
  if (entity == NULL || entity_id == NULL || remote == NULL || kept == NULL
      || (path = record_path (entity, entity_id)) == NULL)
    {
      set_not_allowed (error, "This local conflict cannot be sent to the server");
      return -1;
    }

  done = resolved (self, conflict, strategy, kept, comment);
  /* What the kept record changes on the server's: nothing → settled here. */
  body = changed_fields (entity, remote, kept);
  if (json_object_get_size (body) == 0)
    {
      g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (self->store, error);

      if (batch == NULL || !rl_store_batch_upsert (batch, "conflict", done, error)
          || !rl_store_batch_commit (batch, error))
        return -1;
      rl_session_update_store_figures (self);
      return 0;
    }

  local = rl_outbox_apply_changes (entity, remote, body);
  extra = json_object_new ();
  json_object_set_string_member (extra, "conflictId",
                                 json_object_get_string_member (conflict, "id"));
  json_object_set_string_member (extra, "strategy", strategy);
  if (comment != NULL)
    json_object_set_string_member (extra, "comment", comment);
  else
    json_object_set_null_member (extra, "comment");
  json_object_set_object_member (extra, "merged", copy_object (kept));
  json_object_set_object_member (extra, "conflictBefore", copy_object (conflict));
  /* body keeps its own reference (json_node_init_object takes one): the
   * stolen one was never given back. */
  body_node = json_node_init_object (json_node_alloc (), body);
  if_match = if_match_of (remote);

  spec.kind = RL_OUTBOX_KIND_RESOLVE_LOCAL;
  spec.method = "PATCH";
  spec.path = path;
  spec.body = body_node;
  spec.if_match = if_match;
  spec.entity = entity;
  spec.entity_id = entity_id;
  spec.base = remote;
  spec.local = local;
  spec.extra = extra;
  spec.also_entity = "conflict";
  spec.also_record = done;
  {
    gint64 id = enqueue (self, &spec, error);

    return id > 0 ? id : -1;
  }
}

gint64
rl_session_resolve_conflict (RlSession         *self,
                             const char        *conflict_id,
                             RlConflictStrategy strategy,
                             JsonObject        *merged,
                             const char        *comment,
                             GError           **error)
{
  g_autoptr (JsonObject) conflict = NULL;
  const char *wire;
  JsonNode   *job;

  g_return_val_if_fail (RL_IS_SESSION (self), -1);
  g_return_val_if_fail (conflict_id != NULL, -1);

  if (signed_in_store (self, error) == NULL)
    return -1;
  if (strategy != RL_CONFLICT_STRATEGY_LOCAL_WINS && strategy != RL_CONFLICT_STRATEGY_REMOTE_WINS
      && strategy != RL_CONFLICT_STRATEGY_MERGE && strategy != RL_CONFLICT_STRATEGY_MANUAL)
    {
      set_not_allowed (error, "A conflict is resolved by local_wins, remote_wins, merge or manual");
      return -1;
    }
  if ((strategy == RL_CONFLICT_STRATEGY_MERGE || strategy == RL_CONFLICT_STRATEGY_MANUAL)
      && merged == NULL)
    {
      set_not_allowed (error, "merge and manual need the merged record");
      return -1;
    }
  if ((conflict = rl_store_get_record (self->store, "conflict", conflict_id, error)) == NULL)
    return -1;
  if (g_strcmp0 (json_object_get_string_member_with_default (conflict, "status", NULL), "open")
      != 0)
    {
      set_not_allowed (error, "The conflict is not open");
      return -1;
    }

  wire = rl_enum_to_wire (RL_TYPE_CONFLICT_STRATEGY, strategy);
  job = json_object_get_member (conflict, "jobId");
  if (job != NULL && !JSON_NODE_HOLDS_NULL (job))
    {
      gint64 id = resolve_server_conflict (self, conflict, wire, merged, comment, error);

      return id > 0 ? id : -1;
    }
  return resolve_local_conflict (self, conflict, wire, merged, comment, error);
}

/* ---- The user's decisions on refused rows ---------------------------------------- */

gboolean
rl_session_outbox_retry (RlSession  *self,
                         gint64      outbox_id,
                         JsonObject *changes,
                         GError    **error)
{
  g_return_val_if_fail (RL_IS_SESSION (self), FALSE);

  if (signed_in_store (self, error) == NULL)
    return FALSE;
  if (rl_outbox_drain_is_busy (self, outbox_id))
    {
      g_set_error (error, RL_SESSION_ERROR, RL_SESSION_ERROR_BUSY,
                   "Outbox row %" G_GINT64_FORMAT " is being sent", outbox_id);
      return FALSE;
    }
  rl_outbox_drain_forget (self, outbox_id);
  if (!rl_store_outbox_retry (self->store, outbox_id, changes, error))
    return FALSE;
  rl_session_update_store_figures (self);
  rl_session_request_drain_now (self);
  return TRUE;
}

gboolean
rl_session_outbox_discard (RlSession *self,
                           gint64     outbox_id,
                           GError   **error)
{
  g_return_val_if_fail (RL_IS_SESSION (self), FALSE);

  if (signed_in_store (self, error) == NULL)
    return FALSE;
  if (rl_outbox_drain_is_busy (self, outbox_id))
    {
      g_set_error (error, RL_SESSION_ERROR, RL_SESSION_ERROR_BUSY,
                   "Outbox row %" G_GINT64_FORMAT " is being sent", outbox_id);
      return FALSE;
    }
  rl_outbox_drain_forget (self, outbox_id);
  if (!rl_store_outbox_discard (self->store, outbox_id, error))
    return FALSE;
  rl_session_update_store_figures (self);
  /* The record's later rows, if any, may go now. */
  rl_session_request_drain (self);
  return TRUE;
}
