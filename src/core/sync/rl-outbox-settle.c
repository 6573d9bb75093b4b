/* rl-outbox-settle.c — what the server's answer to an outbox row does to the cache.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs in the drain's worker thread (rl-outbox-drain.c), one transaction
 * per answer (rl-store-outbox.c). See docs/sync.md.
 */
#include "config.h"

#include "rl-outbox-settle.h"

#include <string.h>

#include "rl-time.h"

static const char *const drop_point_ignored[] = {
  "id", "version", "updatedAt", "fillLevel", "weight", "temperature", "humidity",
  "batteryLevel", "isOnline", "lastReadingAt", NULL
};
static const char *const provider_ignored[] = {
  "id", "version", "updatedAt", "health", "secrets", NULL
};
static const char *const sync_job_ignored[] = {
  "id", "version", "updatedAt", "status", "lastRunAt", "lastSuccessAt", "recordsProcessed",
  "recordsFailed", "lagSeconds", NULL
};
static const char *const workflow_ignored[] = { "id", "version", "updatedAt", "lastRun", NULL };
static const char *const common_ignored[] = { "id", "version", "updatedAt", NULL };

/* ---- Shared helpers ------------------------------------------------------------ */

const char *const *
rl_outbox_ignored_keys (const char *entity)
{
  if (g_strcmp0 (entity, "drop_point") == 0)
    return drop_point_ignored;
  if (g_strcmp0 (entity, "provider") == 0)
    return provider_ignored;
  if (g_strcmp0 (entity, "sync_job") == 0)
    return sync_job_ignored;
  if (g_strcmp0 (entity, "workflow") == 0)
    return workflow_ignored;
  return common_ignored;
}

static JsonNode *
copy_or_null (JsonNode *node)
{
  if (node == NULL)
    return json_node_new (JSON_NODE_NULL);
  {
    g_autofree char *text = json_to_string (node, FALSE);
    return json_from_string (text, NULL);
  }
}

JsonObject *
rl_outbox_patch_body (const char    *entity,
                      RlMergeResult *merge,
                      JsonObject    *local)
{
  JsonObject *body = json_object_new ();
  gboolean    provider = g_strcmp0 (entity, "provider") == 0;

  for (guint i = 0; i < rl_merge_result_get_n_fields (merge); i++)
    {
      const RlMergeField *field = rl_merge_result_get_field (merge, i);
      g_auto (GStrv) parts = NULL;
      const char *top;

      if (field->outcome != RL_MERGE_MINE)
        continue;
      /* Only the last part of a path may hold dots (field->key, rl-merge.h):
       * a top-level key "a.b" is sent as itself. */
      parts = g_strsplit (field->path, ".", 3);
      top = field->key == field->path ? field->key : parts[0];
      if (provider && field->key != field->path && g_str_equal (parts[0], "config"))
        {
          /* config's own key: the field's key when config is its parent. */
          const char *second =
              field->key == field->path + strlen ("config.") ? field->key : parts[1];
          JsonObject *config;
          JsonObject *local_config = NULL;
          JsonNode   *node = json_object_get_member (local, "config");

          if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
            local_config = json_node_get_object (node);
          /* PATCH merges config one level deep: send that level's keys. */
          if (!json_object_has_member (body, "config"))
            json_object_set_object_member (body, "config", json_object_new ());
          config = json_object_get_object_member (body, "config");
          json_object_set_member (
              config, second,
              copy_or_null (local_config != NULL ? json_object_get_member (local_config, second)
                                                 : NULL));
        }
      else
        json_object_set_member (body, top, copy_or_null (json_object_get_member (local, top)));
    }
  return body;
}

/* ---- Settling ------------------------------------------------------------------- */

RlOutboxSettle *
rl_outbox_settle_new (RlOutboxRow  *row,
                      RlSettleReply reply)
{
  RlOutboxSettle *settle = g_new0 (RlOutboxSettle, 1);

  settle->row = row;
  settle->reply = reply;
  return settle;
}

void
rl_outbox_settle_free (RlOutboxSettle *settle)
{
  if (settle == NULL)
    return;
  rl_outbox_row_free (settle->row);
  g_free (settle->answer);
  g_free (settle->code);
  g_free (settle->message);
  g_free (settle->fields);
  g_free (settle->current);
  g_free (settle->user_email);
  g_free (settle->conflict_id);
  g_free (settle->merge_note);
  g_free (settle);
}

static const char *
member_string (JsonObject *object,
               const char *key)
{
  JsonNode *node = object ? json_object_get_member (object, key) : NULL;

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
             ? json_node_get_string (node)
             : NULL;
}

static gboolean
settle_failed (RlStore        *store,
               RlOutboxSettle *settle,
               RlOutboxState   state,
               GError        **error)
{
  g_autoptr (JsonObject) fields = rl_outbox_object_from_text (settle->fields);
  g_autoptr (JsonObject) current = rl_outbox_object_from_text (settle->current);

  settle->outcome = RL_OUTBOX_OUTCOME_FAILED;
  return rl_store_outbox_settle_failed (store, settle->row, state, settle->code, settle->status,
                                        settle->message, fields, current, error);
}

/* The local conflict a RESOLVE_LOCAL row resolves, marked resolved by the
 * signed-in user with the row's resolution. */
static JsonObject *
resolved_conflict (RlStore        *store,
                   RlOutboxSettle *settle)
{
  g_autoptr (JsonObject) extra = rl_outbox_object_from_text (settle->row->extra);
  g_autoptr (JsonObject) conflict = NULL;
  g_autofree char *now = rl_time_format_ms (rl_time_now_ms ());
  const char      *id = member_string (extra, "conflictId");
  JsonObject      *resolution;
  JsonNode        *merged;

  if (id == NULL || (conflict = rl_store_get_record (store, "conflict", id, NULL)) == NULL)
    return NULL;
  resolution = json_object_new ();
  json_object_set_string_member (resolution, "strategy",
                                 member_string (extra, "strategy") ?: "manual");
  merged = json_object_get_member (extra, "merged");
  json_object_set_member (resolution, "merged", copy_or_null (merged));
  json_object_set_member (resolution, "comment",
                          copy_or_null (json_object_get_member (extra, "comment")));
  if (settle->user_email != NULL)
    json_object_set_string_member (resolution, "resolvedBy", settle->user_email);
  else
    json_object_set_null_member (resolution, "resolvedBy");
  json_object_set_string_member (resolution, "resolvedAt", now);
  json_object_set_object_member (conflict, "resolution", resolution);
  json_object_set_string_member (conflict, "status", "resolved");
  return g_steal_pointer (&conflict);
}

static gboolean
finish (RlStore        *store,
        RlOutboxSettle *settle,
        JsonObject     *answer,
        GError        **error)
{
  g_autoptr (JsonObject) extra = rl_outbox_object_from_text (settle->row->extra);
  g_autoptr (JsonObject) conflict = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *answer_entity = settle->row->entity;

  switch (settle->row->kind)
    {
    case RL_OUTBOX_KIND_CREATE:
      answer_entity = member_string (extra, "answerEntity") ?: "run";
      break;
    case RL_OUTBOX_KIND_SECRET:
      answer = NULL; /* data: null */
      break;
    case RL_OUTBOX_KIND_RESOLVE_LOCAL:
      conflict = resolved_conflict (store, settle);
      break;
    default:
      break;
    }

  settle->outcome = RL_OUTBOX_OUTCOME_SENT;
  if (rl_store_outbox_finish (store, settle->row, answer_entity, answer,
                              conflict ? "conflict" : NULL, conflict, &local_error))
    return TRUE;
  /* An answer the cache refuses must not keep the row forever: the server
   * took the change, and the next pull brings the record. */
  if (answer != NULL && g_error_matches (local_error, RL_STORE_ERROR, RL_STORE_ERROR_BAD_RECORD))
    {
      g_debug ("outbox row %" G_GINT64_FORMAT ": the answer is not a valid %s: %s",
               settle->row->id, answer_entity, local_error->message);
      return rl_store_outbox_finish (store, settle->row, NULL, NULL,
                                     conflict ? "conflict" : NULL, conflict, error);
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static char *
merge_paths (RlMergeResult *merge,
             RlMergeOutcome outcome)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < rl_merge_result_get_n_fields (merge); i++)
    {
      const RlMergeField *field = rl_merge_result_get_field (merge, i);

      if (field->outcome != outcome)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, field->path);
    }
  return g_strdup (text->len > 0 ? text->str : "—");
}

static JsonArray *
merge_path_array (RlMergeResult *merge,
                  RlMergeOutcome outcome)
{
  JsonArray *paths = json_array_new ();

  for (guint i = 0; i < rl_merge_result_get_n_fields (merge); i++)
    if (rl_merge_result_get_field (merge, i)->outcome == outcome)
      json_array_add_string_element (paths, rl_merge_result_get_field (merge, i)->path);
  return paths;
}

/* 409 VERSION_CONFLICT of an edit: the three-way merge decides. */
static gboolean
settle_merge (RlStore        *store,
              RlOutboxSettle *settle,
              GError        **error)
{
  RlOutboxRow *row = settle->row;
  g_autoptr (JsonObject) base = rl_outbox_object_from_text (row->base);
  g_autoptr (JsonObject) theirs = rl_outbox_object_from_text (settle->current);
  g_autoptr (JsonObject) mine = rl_outbox_object_from_text (row->local);
  g_autoptr (RlMergeResult) merge = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) extra = NULL;
  g_autoptr (JsonNode) body_node = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *others = NULL;

  if (mine == NULL && base != NULL)
    {
      g_autoptr (JsonObject) changes = rl_outbox_object_from_text (row->body);

      mine = rl_outbox_apply_changes (row->entity, base, changes);
    }
  if (theirs == NULL || mine == NULL)
    return settle_failed (store, settle, RL_OUTBOX_STATE_FAILED, error);

  merge = rl_merge_three_way (base, mine, theirs, rl_outbox_ignored_keys (row->entity));
  if (rl_merge_result_get_n_conflicts (merge) > 0)
    {
      settle->outcome = RL_OUTBOX_OUTCOME_CONFLICT;
      settle->conflict_id = rl_store_outbox_to_conflict (store, row, base, mine, theirs, error);
      return settle->conflict_id != NULL;
    }

  body = rl_outbox_patch_body (row->entity, merge, mine);
  ours = merge_paths (merge, RL_MERGE_MINE);
  others = merge_paths (merge, RL_MERGE_THEIRS);
  if (json_object_get_size (body) == 0)
    {
      /* The server's record already holds everything of ours. */
      g_message ("%s %s: the server's version %" G_GINT64_FORMAT " already has this edit",
                 row->entity, row->entity_id,
                 json_object_get_int_member_with_default (theirs, "version", 0));
      return finish (store, settle, theirs, error);
    }

  extra = rl_outbox_object_from_text (row->extra);
  if (extra == NULL)
    extra = json_object_new ();
  {
    JsonObject      *note = json_object_new ();
    g_autofree char *now = rl_time_format_ms (rl_time_now_ms ());

    json_object_set_array_member (note, "mine", merge_path_array (merge, RL_MERGE_MINE));
    json_object_set_array_member (note, "theirs", merge_path_array (merge, RL_MERGE_THEIRS));
    json_object_set_int_member (note, "version",
                                json_object_get_int_member_with_default (theirs, "version", 0));
    json_object_set_string_member (note, "at", now);
    json_object_set_object_member (extra, "autoMerge", note);
  }
  settle->merge_note = g_strdup_printf ("ours: %s; theirs: %s", ours, others);
  g_message ("%s %s: merged automatically with the server's version %" G_GINT64_FORMAT
             " (%s); sending it again",
             row->entity, row->entity_id,
             json_object_get_int_member_with_default (theirs, "version", 0), settle->merge_note);

  body_node = json_node_init_object (json_node_alloc (), body);
  settle->outcome = RL_OUTBOX_OUTCOME_MERGED;
  return rl_store_outbox_resend (store, row, body_node, theirs, rl_merge_result_get_merged (merge),
                                 extra, error);
}

gboolean
rl_outbox_settle_run (RlStore        *store,
                      RlOutboxSettle *settle,
                      GError        **error)
{
  RlOutboxKind kind;

  g_return_val_if_fail (RL_IS_STORE (store), FALSE);
  g_return_val_if_fail (settle != NULL && settle->row != NULL, FALSE);

  kind = settle->row->kind;
  switch (settle->reply)
    {
    case RL_SETTLE_REPLY_TRANSIENT:
      settle->outcome = RL_OUTBOX_OUTCOME_DEFERRED;
      return rl_store_outbox_defer (store, settle->row, settle->message, settle->next_attempt_ms,
                                    error);

    case RL_SETTLE_REPLY_OK:
      {
        g_autoptr (JsonObject) answer = rl_outbox_object_from_text (settle->answer);

        return finish (store, settle, answer, error);
      }

    case RL_SETTLE_REPLY_VERSION_CONFLICT:
      if (kind == RL_OUTBOX_KIND_EDIT || kind == RL_OUTBOX_KIND_RESOLVE_LOCAL)
        return settle_merge (store, settle, error);
      /* Someone else resolved the conflict first: their resolution is the
       * record now, and no conflict comes of it. */
      return settle_failed (store, settle,
                            kind == RL_OUTBOX_KIND_RESOLVE ? RL_OUTBOX_STATE_SUPERSEDED
                                                           : RL_OUTBOX_STATE_INVALID_STATE,
                            error);

    case RL_SETTLE_REPLY_INVALID_STATE:
      return settle_failed (store, settle,
                            kind == RL_OUTBOX_KIND_RESOLVE ? RL_OUTBOX_STATE_SUPERSEDED
                                                           : RL_OUTBOX_STATE_INVALID_STATE,
                            error);

    case RL_SETTLE_REPLY_REFUSED:
    default:
      return settle_failed (store, settle, RL_OUTBOX_STATE_FAILED, error);
    }
}
