/* rl-store-outbox.c — RlStore: the outbox's rows and the transactions of the drain.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See rl-store-outbox.h and docs/sync.md. Every write to the outbox notes
 * ("outbox", row id) for the store monitor, as the older calls of
 * rl-store-sync.c do.
 */
#include "config.h"

#include "rl-store-outbox.h"

#include <string.h>

#include "rl-core-enums.h"
#include "rl-store-private.h"
#include "rl-time.h"

#define ROW_COLUMNS                                                             \
  "id, created_ms, kind, state, method, path, body, if_match, idempotency_key," \
  " entity, entity_id, base, local, extra, secret_ref, attempts, last_error,"   \
  " error_code, error_status, error_fields, error_current, next_attempt_ms,"    \
  " updated_ms"

static const char *const kind_names[] = {
  [RL_OUTBOX_KIND_EDIT] = "edit",
  [RL_OUTBOX_KIND_ACTION] = "action",
  [RL_OUTBOX_KIND_CREATE] = "create",
  [RL_OUTBOX_KIND_SECRET] = "secret",
  [RL_OUTBOX_KIND_RESOLVE] = "resolve",
  [RL_OUTBOX_KIND_RESOLVE_LOCAL] = "resolve-local",
};

/* ---- Small helpers ------------------------------------------------------------ */

const char *
rl_outbox_kind_to_string (RlOutboxKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), "edit");
  return kind_names[kind];
}

RlOutboxKind
rl_outbox_kind_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (kind_names[i], text))
      return (RlOutboxKind) i;
  return RL_OUTBOX_KIND_EDIT;
}

static const char *
state_to_string (RlOutboxState state)
{
  return rl_enum_to_wire (RL_TYPE_OUTBOX_STATE, state);
}

void
rl_outbox_row_free (RlOutboxRow *row)
{
  if (row == NULL)
    return;
  g_free (row->method);
  g_free (row->path);
  g_free (row->body);
  g_free (row->if_match);
  g_free (row->idempotency_key);
  g_free (row->entity);
  g_free (row->entity_id);
  g_free (row->base);
  g_free (row->local);
  g_free (row->extra);
  g_free (row->secret_ref);
  g_free (row->last_error);
  g_free (row->error_code);
  g_free (row->error_fields);
  g_free (row->error_current);
  g_free (row);
}

RlOutboxRow *
rl_outbox_row_copy (const RlOutboxRow *row)
{
  RlOutboxRow *copy;

  g_return_val_if_fail (row != NULL, NULL);

  copy = g_memdup2 (row, sizeof *row);
  copy->method = g_strdup (row->method);
  copy->path = g_strdup (row->path);
  copy->body = g_strdup (row->body);
  copy->if_match = g_strdup (row->if_match);
  copy->idempotency_key = g_strdup (row->idempotency_key);
  copy->entity = g_strdup (row->entity);
  copy->entity_id = g_strdup (row->entity_id);
  copy->base = g_strdup (row->base);
  copy->local = g_strdup (row->local);
  copy->extra = g_strdup (row->extra);
  copy->secret_ref = g_strdup (row->secret_ref);
  copy->last_error = g_strdup (row->last_error);
  copy->error_code = g_strdup (row->error_code);
  copy->error_fields = g_strdup (row->error_fields);
  copy->error_current = g_strdup (row->error_current);
  return copy;
}

gint64
rl_outbox_parse_if_match (const char *if_match)
{
  g_autofree char *text = NULL;
  char            *end = NULL;
  gint64           version;

  if (if_match == NULL)
    return -1;
  text = g_strstrip (g_strdup (if_match));
  if (g_str_has_prefix (text, "W/"))
    memmove (text, text + 2, strlen (text + 2) + 1);
  if (text[0] == '"')
    {
      gsize len = strlen (text);

      if (len < 2 || text[len - 1] != '"')
        return -1;
      text[len - 1] = '\0';
      memmove (text, text + 1, len - 1);
    }
  if (text[0] == '\0')
    return -1;
  version = g_ascii_strtoll (text, &end, 10);
  return end != NULL && *end == '\0' && version >= 0 ? version : -1;
}

JsonObject *
rl_outbox_object_from_text (const char *text)
{
  g_autoptr (JsonNode) node = NULL;

  if (text == NULL)
    return NULL;
  node = json_from_string (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

char *
rl_outbox_object_to_text (JsonObject *object)
{
  g_autoptr (JsonNode) node = NULL;

  if (object == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

static JsonNode *
deep_copy (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  return json_from_string (text, NULL);
}

JsonObject *
rl_outbox_apply_changes (const char *entity,
                         JsonObject *record,
                         JsonObject *changes)
{
  g_autoptr (JsonNode) copy = NULL;
  JsonObject    *result;
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *value;

  g_return_val_if_fail (record != NULL, NULL);

  {
    g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), record);
    copy = deep_copy (node);
  }
  result = json_node_get_object (copy);
  if (changes == NULL)
    return json_object_ref (result);

  json_object_iter_init (&iter, changes);
  while (json_object_iter_next (&iter, &key, &value))
    {
      JsonNode *current = json_object_get_member (result, key);

      if (g_strcmp0 (entity, "provider") == 0 && g_str_equal (key, "config")
          && JSON_NODE_HOLDS_OBJECT (value) && current != NULL && JSON_NODE_HOLDS_OBJECT (current))
        {
          JsonObject    *config = json_node_get_object (current);
          JsonObjectIter config_iter;
          const char    *config_key;
          JsonNode      *config_value;

          json_object_iter_init (&config_iter, json_node_get_object (value));
          while (json_object_iter_next (&config_iter, &config_key, &config_value))
            {
              if (JSON_NODE_HOLDS_NULL (config_value))
                json_object_remove_member (config, config_key);
              else
                json_object_set_member (config, config_key, deep_copy (config_value));
            }
          continue;
        }
      json_object_set_member (result, key, deep_copy (value));
    }
  return json_object_ref (result);
}

static void
note_outbox (RlStore *self,
             gint64   id)
{
  char text[24];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, id);
  rl_store_note_change (self, "outbox", text);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static RlOutboxRow *
row_from_stmt (sqlite3_stmt *stmt)
{
  RlOutboxRow *row = g_new0 (RlOutboxRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->created_ms = sqlite3_column_int64 (stmt, 1);
  row->kind = rl_outbox_kind_from_string ((const char *) sqlite3_column_text (stmt, 2));
  row->state = rl_enum_from_wire (RL_TYPE_OUTBOX_STATE, (const char *) sqlite3_column_text (stmt, 3));
  row->method = column_dup (stmt, 4);
  row->path = column_dup (stmt, 5);
  row->body = column_dup (stmt, 6);
  row->if_match = column_dup (stmt, 7);
  row->idempotency_key = column_dup (stmt, 8);
  row->entity = column_dup (stmt, 9);
  row->entity_id = column_dup (stmt, 10);
  row->base = column_dup (stmt, 11);
  row->local = column_dup (stmt, 12);
  row->extra = column_dup (stmt, 13);
  row->secret_ref = column_dup (stmt, 14);
  row->attempts = sqlite3_column_int (stmt, 15);
  row->last_error = column_dup (stmt, 16);
  row->error_code = column_dup (stmt, 17);
  row->error_status = sqlite3_column_int (stmt, 18);
  row->error_fields = column_dup (stmt, 19);
  row->error_current = column_dup (stmt, 20);
  row->next_attempt_ms = sqlite3_column_int64 (stmt, 21);
  row->updated_ms = sqlite3_column_int64 (stmt, 22);
  return row;
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
static gboolean
write_record (RlStore    *self,
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
  return write_record (self, entity, record, FALSE, error);
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
  note_outbox (self, id);
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

/* ---- Writing rows ---------------------------------------------------------- */

gint64
rl_store_outbox_add (RlStore               *self,
                     const RlOutboxRowSpec *spec,
                     GError               **error)
{
  g_autofree char *body = NULL;
  g_autofree char *base = NULL;
  g_autofree char *local = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *key = g_uuid_string_random ();
  sqlite3_stmt    *stmt;
  gint64           now = rl_time_now_ms ();
  gint64           id;

  g_return_val_if_fail (RL_IS_STORE (self), 0);
  g_return_val_if_fail (spec != NULL && spec->method != NULL && spec->path != NULL, 0);
  g_return_val_if_fail (spec->entity != NULL && spec->entity_id != NULL, 0);

  body = spec->body ? json_to_string (spec->body, FALSE) : NULL;
  base = rl_outbox_object_to_text (spec->base);
  local = rl_outbox_object_to_text (spec->local);
  extra = rl_outbox_object_to_text (spec->extra);

  if (!rl_store_tx_begin (self, error))
    return 0;
  if ((spec->local != NULL && !write_record (self, spec->entity, spec->local, FALSE, error))
      || (spec->also_record != NULL
          && !write_record (self, spec->also_entity, spec->also_record, FALSE, error)))
    goto fail;

  stmt = rl_store_prepare (self,
                           "INSERT INTO outbox (created_ms, kind, state, method, path, body,"
                           " if_match, idempotency_key, entity, entity_id, base, local, extra,"
                           " secret_ref, updated_ms)"
                           " VALUES (?1, ?2, 'pending', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                           " ?13, ?1)",
                           error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, rl_outbox_kind_to_string (spec->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, spec->method, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, spec->path, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, body, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, spec->if_match, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, spec->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, spec->entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, base, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, local, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, extra, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, spec->secret_ref, -1, SQLITE_STATIC);
  if (!rl_store_step_done (self, stmt, error))
    goto fail;
  id = rl_store_last_insert_rowid (self);
  note_outbox (self, id);
  if (!rl_store_tx_commit (self, error))
    goto fail;
  return id;

fail:
  rl_store_tx_rollback (self);
  return 0;
}

/* ---- Reading rows ---------------------------------------------------------- */

RlOutboxRow *
rl_store_outbox_get (RlStore *self,
                     gint64   id,
                     GError **error)
{
  sqlite3_stmt *stmt;
  RlOutboxRow  *row;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);

  stmt = rl_store_prepare (self, "SELECT " ROW_COLUMNS " FROM outbox WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row = row_from_stmt (stmt);
      sqlite3_reset (stmt);
      return row;
    }
  if (rl_store_step_finished (self, stmt, rc, "Cannot read the outbox", error))
    g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND,
                 "No outbox row %" G_GINT64_FORMAT, id);
  return NULL;
}

GPtrArray *
rl_store_outbox_heads (RlStore *self,
                       gint64   now_ms,
                       guint    limit,
                       GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_outbox_row_free);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);

  stmt = rl_store_prepare (self,
                           "SELECT " ROW_COLUMNS " FROM outbox o"
                           " WHERE o.state = 'pending' AND (?1 < 0 OR o.next_attempt_ms <= ?1)"
                           " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.entity IS o.entity"
                           "  AND p.entity_id IS o.entity_id AND p.id < o.id)"
                           " ORDER BY o.id LIMIT ?2",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now_ms);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_from_stmt (stmt));
  if (!rl_store_step_finished (self, stmt, rc, "Cannot read the outbox", error))
    return NULL;
  return g_steal_pointer (&rows);
}

gint64
rl_store_outbox_count_pending (RlStore *self)
{
  g_return_val_if_fail (RL_IS_STORE (self), -1);
  return rl_store_query_int (self, "SELECT count(*) FROM outbox WHERE state = 'pending'", NULL);
}

gint64
rl_store_outbox_count_attention (RlStore *self)
{
  g_return_val_if_fail (RL_IS_STORE (self), -1);
  return rl_store_query_int (self, "SELECT count(*) FROM outbox WHERE state <> 'pending'", NULL);
}

gint64
rl_store_outbox_next_attempt (RlStore *self,
                              gint64   now_ms)
{
  sqlite3_stmt *stmt;
  gint64        next = 0;

  g_return_val_if_fail (RL_IS_STORE (self), 0);

  stmt = rl_store_prepare (self,
                           "SELECT min(next_attempt_ms) FROM outbox"
                           " WHERE state = 'pending' AND next_attempt_ms > ?",
                           NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, now_ms);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    next = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return next;
}

gint64
rl_store_count_open_conflicts (RlStore *self)
{
  g_return_val_if_fail (RL_IS_STORE (self), -1);
  return rl_store_query_int (self, "SELECT count(*) FROM conflicts WHERE status = 'open'", NULL);
}

JsonArray *
rl_store_get_resolutions (RlStore    *self,
                          const char *entity_type,
                          const char *entity_id,
                          GError    **error)
{
  g_autoptr (JsonArray) resolutions = json_array_new ();
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);
  g_return_val_if_fail (entity_type != NULL && entity_id != NULL, NULL);

  stmt = rl_store_prepare (
      self,
      "SELECT json FROM conflicts WHERE entity_type = ? AND entity_id = ? AND status = 'resolved'"
      " ORDER BY coalesce(rl_time_ms(json_extract(json, '$.resolution.resolvedAt')),"
      " detected_ms) DESC, id DESC",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, entity_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) conflict =
          rl_outbox_object_from_text ((const char *) sqlite3_column_text (stmt, 0));

      if (conflict != NULL)
        json_array_add_object_element (resolutions, g_steal_pointer (&conflict));
    }
  if (!rl_store_step_finished (self, stmt, rc, "Cannot read conflicts", error))
    return NULL;
  return g_steal_pointer (&resolutions);
}

/* ---- The shadow --------------------------------------------------------------- */

gboolean
rl_store_outbox_shadow_put (RlStore    *self,
                            const char *entity,
                            const char *entity_id,
                            gint64      version,
                            JsonObject *record,
                            GError    **error)
{
  g_autofree char *json = rl_outbox_object_to_text (record);
  sqlite3_stmt    *stmt;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (entity != NULL && entity_id != NULL && record != NULL, FALSE);

  stmt = rl_store_prepare (self,
                           "INSERT INTO outbox_shadow (entity, entity_id, version, json)"
                           " VALUES (?, ?, ?, ?) ON CONFLICT (entity, entity_id) DO UPDATE SET"
                           " version = excluded.version, json = excluded.json"
                           " WHERE excluded.version >= outbox_shadow.version",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, version);
  sqlite3_bind_text (stmt, 4, json, -1, SQLITE_STATIC);
  return rl_store_step_write (self, stmt, error);
}

JsonObject *
rl_store_outbox_shadow_get (RlStore    *self,
                            const char *entity,
                            const char *entity_id)
{
  sqlite3_stmt *stmt;
  JsonObject   *record = NULL;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);

  stmt = rl_store_prepare (self,
                           "SELECT json FROM outbox_shadow WHERE entity = ? AND entity_id = ?",
                           NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    record = rl_outbox_object_from_text ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return record;
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
    note_outbox (self, sqlite3_column_int64 (stmt, 0));
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
    ok = write_record (self, answer_entity, answer, TRUE, error);
  if (ok && !later)
    ok = shadow_delete (self, row->entity, row->entity_id, error);
  if (ok && also_record != NULL)
    ok = write_record (self, also_entity, also_record, FALSE, error);
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
  note_outbox (self, row->id);
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
    note_outbox (self, row->id);
  /* The server said what the record is now: the cache shows it (unless
   * later edits of it wait), and discarding keeps it. */
  if (ok && current != NULL)
    ok = (later || write_record (self, row->entity, current, FALSE, error))
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
  g_autofree char *body_text = body ? json_to_string (body, FALSE) : NULL;
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
    note_outbox (self, row->id);
  ok = ok && (later || write_record (self, row->entity, merged, FALSE, error))
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

  ok = write_record (self, "conflict", conflict, FALSE, error);
  /* The edit lives on in the conflict; the cache shows the server's record. */
  if (ok && remote != NULL)
    ok = later ? shadow_put_text (self, row->entity, row->entity_id, remote, error)
               : write_record (self, row->entity, remote, FALSE, error)
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
        ok = write_record (self, row->entity, shadow, FALSE, error);
      else if (row->error_current == NULL && row->base != NULL)
        ok = write_record_text (self, row->entity, row->base, error);
    }
  if (ok && !later)
    ok = shadow_delete (self, row->entity, row->entity_id, error);
  if (ok && row->kind == RL_OUTBOX_KIND_RESOLVE_LOCAL && extra != NULL
      && json_object_has_member (extra, "conflictBefore"))
    {
      JsonObject *before = json_object_get_object_member (extra, "conflictBefore");

      ok = before == NULL || write_record (self, "conflict", before, FALSE, error);
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
    note_outbox (self, row->id);
  /* The edit is the local state again. */
  if (ok && local != NULL && !later)
    ok = write_record (self, row->entity, local, FALSE, error);
  return commit_or_rollback (self, ok, error);
}
