/* rl-store-outbox-settle.c — RlStore: the transactions that settle outbox rows.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See rl-store-outbox.h and docs/sync.md. Every write to the outbox notes
 * ("outbox", row id) for the store monitor.
 */
#include "config.h"

#include "rl-store-outbox.h"
#include "rl-store-outbox-private.h"

#include "rl-core-enums.h"
#include "rl-store-private.h"
#include "rl-time.h"

/* ---- Helpers ---------------------------------------------------------------------- */

static const char *
state_to_string (RlOutboxState state)
{
  return rl_enum_to_wire (RL_TYPE_OUTBOX_STATE, state);
}

void
rl_outbox_store_note_outbox (RlStore *self,
                             gint64   id)
{
  char text[24];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, id);
  rl_store_note_change (self, "outbox", text);
}

static gboolean
not_found (GError    **error,
           const char *what,
           gint64      id)
{
  g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND,
               "%s: outbox row %" G_GINT64_FORMAT " is gone or was changed", what, id);
  return FALSE;
}

/* Inside a transaction: row @row->id is still there, with the key the
 * drain sent. */
static gboolean
row_unchanged (RlStore           *self,
               const RlOutboxRow *row,
               gboolean          *out_same,
               GError           **error)
{
  sqlite3_stmt *stmt = rl_store_prepare (self,
                                         "SELECT 1 FROM outbox WHERE id = ? AND idempotency_key = ?",
                                         error);
  int           rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row->id);
  sqlite3_bind_text (stmt, 2, row->idempotency_key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *out_same = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW)
    rc = SQLITE_DONE;
  return rl_store_step_finished (self, stmt, rc, "Cannot read the outbox", error);
}

/* Rows of the same record queued after @row. */
static gboolean
later_rows (RlStore           *self,
            const RlOutboxRow *row,
            gboolean          *out_later,
            GError           **error)
{
  sqlite3_stmt *stmt = rl_store_prepare (self,
                                         "SELECT 1 FROM outbox WHERE entity IS ? AND entity_id IS ?"
                                         " AND id > ? LIMIT 1",
                                         error);
  int           rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row->entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, row->id);
  rc = sqlite3_step (stmt);
  *out_later = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW)
    rc = SQLITE_DONE;
  return rl_store_step_finished (self, stmt, rc, "Cannot read the outbox", error);
}

/* Writes @record as the cached @entity record. @conditional: only when its
 * version is not lower than the cached one. */
gboolean
rl_outbox_store_write_record (RlStore    *self,
                              const char *entity,
                              JsonObject *record,
                              gboolean    conditional,
                              GError    **error)
{
  const RlEntityInfo *info = rl_store_entity_lookup (entity);
  gboolean            older = FALSE;

  if (info == NULL)
    {
      g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_UNKNOWN_ENTITY, "Unknown entity “%s”",
                   entity ? entity : "(null)");
      return FALSE;
    }
  return rl_store_write_record (self, info, record, -1, rl_store_read_generation (self),
                                conditional ? &older : NULL, error);
}

static gboolean
write_record_text (RlStore    *self,
                   const char *entity,
                   const char *text,
                   GError    **error)
{
  g_autoptr (JsonObject) record = rl_outbox_object_from_text (text);

  if (record == NULL)
    return TRUE;
  return rl_outbox_store_write_record (self, entity, record, FALSE, error);
}

static gboolean
shadow_delete (RlStore    *self,
               const char *entity,
               const char *entity_id,
               GError    **error)
{
  sqlite3_stmt *stmt = rl_store_prepare (self,
                                         "DELETE FROM outbox_shadow WHERE entity = ? AND entity_id = ?",
                                         error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity_id, -1, SQLITE_STATIC);
  return rl_store_step_write (self, stmt, error);
}

static gint64
record_version (JsonObject *record)
{
  JsonNode *node = record ? json_object_get_member (record, "version") : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static gboolean
delete_row (RlStore *self,
            gint64   id,
            GError **error)
{
  sqlite3_stmt *stmt = rl_store_prepare (self, "DELETE FROM outbox WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!rl_store_step_write (self, stmt, error))
    return FALSE;
  rl_outbox_store_note_outbox (self, id);
  return TRUE;
}

/* Opens a transaction in which @row is still the drain's: on FALSE none is
 * open. */
static gboolean
begin_on_row (RlStore           *self,
              const RlOutboxRow *row,
              const char        *what,
              gboolean          *out_later,
              GError           **error)
{
  gboolean same = FALSE;

  if (!rl_store_tx_begin (self, error))
    return FALSE;
  if (!row_unchanged (self, row, &same, error)
      || (same && out_later != NULL && !later_rows (self, row, out_later, error)))
    {
      rl_store_tx_rollback (self);
      return FALSE;
    }
  if (!same)
    {
      rl_store_tx_rollback (self);
      return not_found (error, what, row->id);
    }
  return TRUE;
}

static gboolean
commit_or_rollback (RlStore *self,
                    gboolean ok,
                    GError **error)
{
  if (ok && rl_store_tx_commit (self, error))
    return TRUE;
  rl_store_tx_rollback (self);
  return FALSE;
}

static gboolean
shadow_put_text (RlStore    *self,
                 const char *entity,
                 const char *entity_id,
                 JsonObject *record,
                 GError    **error)
{
  return rl_store_outbox_shadow_put (self, entity, entity_id, record_version (record), record,
                                     error);
}

/* ---- Settling rows -------------------------------------------------------------- */

/* Later rows of @row's record were made on top of its edit: they go
 * against the version the server gave it. */
static gboolean
rebase_later_rows (RlStore           *self,
                   const RlOutboxRow *row,
                   gint64             version,
                   GError           **error)
{
  g_autofree char *if_match = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
  sqlite3_stmt    *stmt;
  int              rc;

  stmt = rl_store_prepare (self,
                           "UPDATE outbox SET if_match = ?, updated_ms = ? WHERE entity IS ?"
                           " AND entity_id IS ? AND id > ? AND if_match IS NOT NULL RETURNING id",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, if_match, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, rl_time_now_ms ());
  sqlite3_bind_text (stmt, 3, row->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, row->entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, row->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    rl_outbox_store_note_outbox (self, sqlite3_column_int64 (stmt, 0));
  return rl_store_step_finished (self, stmt, rc, "Cannot write the outbox", error);
}

gboolean
rl_store_outbox_finish (RlStore           *self,
                        const RlOutboxRow *row,
                        const char        *answer_entity,
                        JsonObject        *answer,
                        const char        *also_entity,
                        JsonObject        *also_record,
                        GError           **error)
{
  gboolean later = FALSE;
  gboolean same_record;
  gboolean ok = TRUE;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);

  if (!begin_on_row (self, row, "Cannot store the answer", &later, error))
    return FALSE;

  same_record = answer != NULL && g_strcmp0 (answer_entity, row->entity) == 0;
  if (answer != NULL && same_record && later)
    ok = shadow_put_text (self, row->entity, row->entity_id, answer, error)
         && rebase_later_rows (self, row, record_version (answer), error);
  else if (answer != NULL)
    ok = rl_outbox_store_write_record (self, answer_entity, answer, TRUE, error);
  if (ok && !later)
    ok = shadow_delete (self, row->entity, row->entity_id, error);
  if (ok && also_record != NULL)
    ok = rl_outbox_store_write_record (self, also_entity, also_record, FALSE, error);
  ok = ok && delete_row (self, row->id, error);
  return commit_or_rollback (self, ok, error);
}

gboolean
rl_store_outbox_defer (RlStore           *self,
                       const RlOutboxRow *row,
                       const char        *message,
                       gint64             next_attempt_ms,
                       GError           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);

  stmt = rl_store_prepare (self,
                           "UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
                           " next_attempt_ms = ?, updated_ms = ?"
                           " WHERE id = ? AND idempotency_key = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, message, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, next_attempt_ms);
  sqlite3_bind_int64 (stmt, 3, rl_time_now_ms ());
  sqlite3_bind_int64 (stmt, 4, row->id);
  sqlite3_bind_text (stmt, 5, row->idempotency_key, -1, SQLITE_STATIC);
  if (!rl_store_step_write (self, stmt, error))
    return FALSE;
  if (rl_store_changed_rows (self) == 0)
    return not_found (error, "Cannot defer", row->id);
  rl_outbox_store_note_outbox (self, row->id);
  return TRUE;
}

gboolean
rl_store_outbox_settle_failed (RlStore           *self,
                               const RlOutboxRow *row,
                               RlOutboxState      state,
                               const char        *code,
                               guint              status,
                               const char        *message,
                               JsonObject        *fields,
                               JsonObject        *current,
                               GError           **error)
{
  g_autofree char *fields_text = rl_outbox_object_to_text (fields);
  g_autofree char *current_text = rl_outbox_object_to_text (current);
  sqlite3_stmt    *stmt;
  gboolean         later = FALSE;
  gboolean         ok;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (state != RL_OUTBOX_STATE_PENDING && state != RL_OUTBOX_STATE_UNKNOWN,
                        FALSE);

  if (!begin_on_row (self, row, "Cannot keep the failure", &later, error))
    return FALSE;

  stmt = rl_store_prepare (self,
                           "UPDATE outbox SET state = ?, error_code = ?, error_status = ?,"
                           " last_error = ?, error_fields = ?, error_current = ?,"
                           " attempts = attempts + 1, next_attempt_ms = 0, updated_ms = ?"
                           " WHERE id = ?",
                           error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, state_to_string (state), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, code, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, (int) status);
      sqlite3_bind_text (stmt, 4, message, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, fields_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, current_text, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, rl_time_now_ms ());
      sqlite3_bind_int64 (stmt, 8, row->id);
      ok = rl_store_step_done (self, stmt, error);
    }
  if (ok)
    rl_outbox_store_note_outbox (self, row->id);
  /* The server said what the record is now: the cache shows it (unless
   * later edits of it wait), and discarding keeps it. */
  if (ok && current != NULL)
    ok = (later || rl_outbox_store_write_record (self, row->entity, current, FALSE, error))
         && shadow_put_text (self, row->entity, row->entity_id, current, error);
  return commit_or_rollback (self, ok, error);
}

gboolean
rl_store_outbox_resend (RlStore           *self,
                        const RlOutboxRow *row,
                        JsonNode          *body,
                        JsonObject        *current,
                        JsonObject        *merged,
                        JsonObject        *extra,
                        GError           **error)
{
  g_autofree char *body_text = body ? rl_store_json_text (body) : NULL;
  g_autofree char *base_text = rl_outbox_object_to_text (current);
  g_autofree char *local_text = rl_outbox_object_to_text (merged);
  g_autofree char *extra_text = rl_outbox_object_to_text (extra);
  g_autofree char *if_match = NULL;
  g_autofree char *key = g_uuid_string_random ();
  sqlite3_stmt    *stmt;
  gboolean         later = FALSE;
  gboolean         ok;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (row != NULL && current != NULL && merged != NULL, FALSE);

  if_match = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", record_version (current));
  if (!begin_on_row (self, row, "Cannot send the merge", &later, error))
    return FALSE;

  stmt = rl_store_prepare (self,
                           "UPDATE outbox SET body = ?, if_match = ?, base = ?, local = ?,"
                           " extra = ?, idempotency_key = ?, last_error = NULL,"
                           " next_attempt_ms = 0, updated_ms = ? WHERE id = ?",
                           error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, body_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, if_match, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, base_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, local_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, extra_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, rl_time_now_ms ());
      sqlite3_bind_int64 (stmt, 8, row->id);
      ok = rl_store_step_done (self, stmt, error);
    }
  if (ok)
    rl_outbox_store_note_outbox (self, row->id);
  ok = ok && (later || rl_outbox_store_write_record (self, row->entity, merged, FALSE, error))
       && shadow_put_text (self, row->entity, row->entity_id, current, error);
  return commit_or_rollback (self, ok, error);
}

static void
set_object_or_null (JsonObject *object,
                    const char *key,
                    JsonObject *value)
{
  if (value != NULL)
    json_object_set_object_member (object, key, json_object_ref (value));
  else
    json_object_set_null_member (object, key);
}

static void
set_string_or_null (JsonObject *object,
                    const char *key,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, key, value);
  else
    json_object_set_null_member (object, key);
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

char *
rl_store_outbox_to_conflict (RlStore           *self,
                             const RlOutboxRow *row,
                             JsonObject        *base,
                             JsonObject        *local,
                             JsonObject        *remote,
                             GError           **error)
{
  g_autoptr (JsonObject) extra = NULL;
  g_autoptr (JsonObject) conflict = NULL;
  g_autofree char *id = NULL;
  g_autofree char *now = rl_time_format_ms (rl_time_now_ms ());
  const char      *reopen;
  gboolean         later = FALSE;
  gboolean         ok;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);
  g_return_val_if_fail (row != NULL && local != NULL, NULL);

  extra = rl_outbox_object_from_text (row->extra);
  reopen = row->kind == RL_OUTBOX_KIND_RESOLVE_LOCAL ? member_string (extra, "conflictId") : NULL;

  if (!begin_on_row (self, row, "Cannot keep the conflict", &later, error))
    return NULL;

  if (reopen != NULL)
    conflict = rl_store_get_record (self, "conflict", reopen, NULL);
  if (conflict != NULL)
    id = g_strdup (reopen);
  else
    {
      g_autofree char *uuid = g_uuid_string_random ();

      id = g_strconcat ("local-", uuid, NULL);
      conflict = json_object_new ();
      json_object_set_string_member (conflict, "id", id);
      json_object_set_null_member (conflict, "jobId");
      json_object_set_string_member (conflict, "entityType", row->entity);
      json_object_set_string_member (conflict, "entityId", row->entity_id);
      json_object_set_int_member (conflict, "version", 0);
    }
  set_object_or_null (conflict, "base", base);
  json_object_set_object_member (conflict, "local", json_object_ref (local));
  set_object_or_null (conflict, "remote", remote);
  json_object_set_string_member (conflict, "localUpdatedAt", now);
  set_string_or_null (conflict, "remoteUpdatedAt", member_string (remote, "updatedAt"));
  json_object_set_string_member (conflict, "detectedAt", now);
  json_object_set_string_member (conflict, "status", "open");
  json_object_set_null_member (conflict, "resolution");

  ok = rl_outbox_store_write_record (self, "conflict", conflict, FALSE, error);
  /* The edit lives on in the conflict; the cache shows the server's record. */
  if (ok && remote != NULL)
    ok = later ? shadow_put_text (self, row->entity, row->entity_id, remote, error)
               : rl_outbox_store_write_record (self, row->entity, remote, FALSE, error)
                     && shadow_delete (self, row->entity, row->entity_id, error);
  ok = ok && delete_row (self, row->id, error);
  if (!commit_or_rollback (self, ok, error))
    return NULL;
  return g_steal_pointer (&id);
}

/* ---- The user's decisions -------------------------------------------------- */

gboolean
rl_store_outbox_discard (RlStore *self,
                         gint64   id,
                         GError **error)
{
  g_autoptr (RlOutboxRow) row = NULL;
  g_autoptr (JsonObject) extra = NULL;
  gboolean later = FALSE;
  gboolean ok = TRUE;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);

  if (!rl_store_tx_begin (self, error))
    return FALSE;
  row = rl_store_outbox_get (self, id, error);
  if (row == NULL || !later_rows (self, row, &later, error))
    {
      rl_store_tx_rollback (self);
      return FALSE;
    }
  extra = rl_outbox_object_from_text (row->extra);

  if (!later && g_strcmp0 (row->error_code, "NOT_FOUND") == 0)
    {
      const RlEntityInfo *info = rl_store_entity_lookup (row->entity);

      /* The record is gone on the server. */
      ok = info != NULL && rl_store_delete_record (self, info, row->entity_id, -1, error);
    }
  else if (!later)
    {
      g_autoptr (JsonObject) shadow = rl_store_outbox_shadow_get (self, row->entity, row->entity_id);

      /* The server's last known state: the newest record it sent (the
       * shadow; details.current is already in the cache), else the record
       * as the edit found it. */
      if (shadow != NULL)
        ok = rl_outbox_store_write_record (self, row->entity, shadow, FALSE, error);
      else if (row->error_current == NULL && row->base != NULL)
        ok = write_record_text (self, row->entity, row->base, error);
    }
  if (ok && !later)
    ok = shadow_delete (self, row->entity, row->entity_id, error);
  if (ok && row->kind == RL_OUTBOX_KIND_RESOLVE_LOCAL && extra != NULL
      && json_object_has_member (extra, "conflictBefore"))
    {
      JsonObject *before = json_object_get_object_member (extra, "conflictBefore");

      ok = before == NULL || rl_outbox_store_write_record (self, "conflict", before, FALSE, error);
    }
  ok = ok && delete_row (self, row->id, error);
  return commit_or_rollback (self, ok, error);
}

gboolean
rl_store_outbox_retry (RlStore    *self,
                       gint64      id,
                       JsonObject *changes,
                       GError    **error)
{
  g_autoptr (RlOutboxRow) row = NULL;
  g_autoptr (JsonObject) local = NULL;
  g_autofree char *body_text = NULL;
  g_autofree char *local_text = NULL;
  g_autofree char *key = g_uuid_string_random ();
  sqlite3_stmt    *stmt;
  gboolean         later = FALSE;
  gboolean         ok;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);

  if (!rl_store_tx_begin (self, error))
    return FALSE;
  row = rl_store_outbox_get (self, id, error);
  if (row == NULL || !later_rows (self, row, &later, error))
    {
      rl_store_tx_rollback (self);
      return FALSE;
    }

  if (changes != NULL)
    {
      g_autoptr (JsonObject) base = rl_outbox_object_from_text (row->base);

      body_text = rl_outbox_object_to_text (changes);
      if (base != NULL)
        local = rl_outbox_apply_changes (row->entity, base, changes);
    }
  else
    {
      body_text = g_strdup (row->body);
      local = rl_outbox_object_from_text (row->local);
    }
  local_text = rl_outbox_object_to_text (local);

  stmt = rl_store_prepare (self,
                           "UPDATE outbox SET state = 'pending', body = ?, local = ?,"
                           " idempotency_key = ?, attempts = 0, last_error = NULL,"
                           " error_code = NULL, error_status = NULL, error_fields = NULL,"
                           " error_current = NULL, next_attempt_ms = 0, updated_ms = ?"
                           " WHERE id = ?",
                           error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, body_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, local_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, rl_time_now_ms ());
      sqlite3_bind_int64 (stmt, 5, row->id);
      ok = rl_store_step_done (self, stmt, error);
    }
  if (ok)
    rl_outbox_store_note_outbox (self, row->id);
  /* The edit is the local state again. */
  if (ok && local != NULL && !later)
    ok = rl_outbox_store_write_record (self, row->entity, local, FALSE, error);
  return commit_or_rollback (self, ok, error);
}
