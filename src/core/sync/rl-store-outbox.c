/* rl-store-outbox.c — RlStore: the outbox's rows and the transactions of the drain.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See rl-store-outbox.h and docs/sync.md. Every write to the outbox notes
 * ("outbox", row id) for the store monitor, as the older calls of
 * rl-store-sync.c do.
 */
#include "config.h"

#include "rl-store-outbox.h"
#include "rl-store-outbox-private.h"

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
  return rl_store_json_text (node);
}

static JsonNode *
deep_copy (JsonNode *node)
{
  g_autofree char *text = rl_store_json_text (node);

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

  body = spec->body ? rl_store_json_text (spec->body) : NULL;
  base = rl_outbox_object_to_text (spec->base);
  local = rl_outbox_object_to_text (spec->local);
  extra = rl_outbox_object_to_text (spec->extra);

  if (!rl_store_tx_begin (self, error))
    return 0;
  if ((spec->local != NULL && !rl_outbox_store_write_record (self, spec->entity, spec->local, FALSE, error))
      || (spec->also_record != NULL
          && !rl_outbox_store_write_record (self, spec->also_entity, spec->also_record, FALSE, error)))
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
  rl_outbox_store_note_outbox (self, id);
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
