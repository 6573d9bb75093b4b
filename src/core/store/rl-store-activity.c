/* rl-store-activity.c — RlStore: the cached runs, run logs and sync-log rows.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-store-activity.h"

#include "rl-store-private.h"
#include "rl-time.h"

/* ---- Pages of runs and sync-log rows ------------------------------------------ */

/* TRUE when the row @id of @info is cached with exactly @record. */
static gboolean
cached_same (RlStore            *self,
             const RlEntityInfo *info,
             const char         *id,
             JsonNode           *record,
             GError            **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT json FROM %s WHERE id = ?", info->table);
  g_autoptr (JsonNode) cached = NULL;
  sqlite3_stmt *stmt = rl_store_prepare (self, sql, error);
  int           rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    cached = json_from_string ((const char *) sqlite3_column_text (stmt, 0), NULL);
  sqlite3_reset (stmt);
  return cached != NULL && json_node_equal (cached, record);
}

gboolean
rl_store_put_activity_page (RlStore    *self,
                            const char *entity,
                            JsonArray  *records,
                            const char *owner_key,
                            const char *owner_id,
                            guint      *out_written,
                            guint      *out_known,
                            GError    **error)
{
  const RlEntityInfo *info = rl_store_entity_lookup (entity);
  guint               written = 0, known = 0;
  gint64              generation;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  if (!rl_store_tx_begin (self, error))
    return FALSE;
  generation = rl_store_read_generation (self);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonNode   *node = json_array_get_element (records, i);
      JsonObject *record = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode   *id;

      if (record == NULL || (id = json_object_get_member (record, "id")) == NULL
          || json_node_get_value_type (id) != G_TYPE_STRING)
        {
          rl_store_tx_rollback (self);
          g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_BAD_RECORD,
                       "A %s without an id in the page", entity);
          return FALSE;
        }
      if (owner_key != NULL && owner_id != NULL && !json_object_has_member (record, owner_key))
        json_object_set_string_member (record, owner_key, owner_id);
      if (cached_same (self, info, json_node_get_string (id), node, NULL))
        {
          known++;
          continue;
        }
      if (!rl_store_write_record (self, info, record, 0, generation, NULL, error))
        {
          rl_store_tx_rollback (self);
          return FALSE;
        }
      written++;
    }
  if (!rl_store_tx_commit (self, error))
    return FALSE;
  if (out_written != NULL)
    *out_written = written;
  if (out_known != NULL)
    *out_known = known;
  return TRUE;
}

/* ---- Run logs ------------------------------------------------------------------ */

static const char *
member_string (JsonObject *object,
               const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
                 && json_node_get_value_type (node) == G_TYPE_STRING
             ? json_node_get_string (node)
             : NULL;
}

gboolean
rl_store_replace_run_log (RlStore    *self,
                          const char *run_id,
                          JsonArray  *lines,
                          GError    **error)
{
  sqlite3_stmt *del, *ins;
  guint         n;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL && lines != NULL, FALSE);

  if (!rl_store_tx_begin (self, error))
    return FALSE;
  del = rl_store_prepare (self, "DELETE FROM run_log WHERE run_id = ?", error);
  if (del == NULL)
    goto fail;
  sqlite3_bind_text (del, 1, run_id, -1, SQLITE_TRANSIENT);
  if (!rl_store_step_done (self, del, error))
    goto fail;
  ins = rl_store_prepare (self,
                          "INSERT INTO run_log (run_id, ts_ms, level, step_id, message)"
                          " VALUES (?, ?, ?, ?, ?)",
                          error);
  if (ins == NULL)
    goto fail;
  /* Newest first on the wire: stored oldest first, so that rowid order is
   * the log's order among lines of the same millisecond. */
  n = json_array_get_length (lines);
  for (guint k = 0; k < n; k++)
    {
      JsonNode   *node = json_array_get_element (lines, n - 1 - k);
      JsonObject *line = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *ts;
      gint64      ms = 0;

      if (line == NULL)
        continue;
      ts = member_string (line, "timestamp");
      sqlite3_bind_text (ins, 1, run_id, -1, SQLITE_TRANSIENT);
      if (ts != NULL && rl_time_parse_ms (ts, &ms))
        sqlite3_bind_int64 (ins, 2, ms);
      else
        sqlite3_bind_null (ins, 2);
      sqlite3_bind_text (ins, 3, member_string (line, "level"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (ins, 4, member_string (line, "stepId"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (ins, 5, member_string (line, "message"), -1, SQLITE_TRANSIENT);
      if (!rl_store_step_done (self, ins, error))
        goto fail;
    }
  rl_store_note_change (self, "run_log", run_id);
  return rl_store_tx_commit (self, error);

fail:
  rl_store_tx_rollback (self);
  return FALSE;
}

JsonArray *
rl_store_get_run_log (RlStore    *self,
                      const char *run_id,
                      GError    **error)
{
  g_autoptr (JsonArray) lines = json_array_new ();
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);

  stmt = rl_store_prepare (self,
                           "SELECT ts_ms, level, step_id, message FROM run_log"
                           " WHERE run_id = ? ORDER BY ts_ms, id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, run_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *line = json_object_new ();

      if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
        json_object_set_null_member (line, "timestamp");
      else
        {
          g_autofree char *ts = rl_time_format_ms (sqlite3_column_int64 (stmt, 0));
          json_object_set_string_member (line, "timestamp", ts);
        }
      for (int c = 1; c <= 3; c++)
        {
          const char *key = c == 1 ? "level" : c == 2 ? "stepId"
                                                      : "message";
          const char *value = (const char *) sqlite3_column_text (stmt, c);

          if (value != NULL)
            json_object_set_string_member (line, key, value);
          else
            json_object_set_null_member (line, key);
        }
      json_array_add_object_element (lines, line);
    }
  if (!rl_store_step_finished (self, stmt, rc, "Cannot read the run log", error))
    return NULL;
  return g_steal_pointer (&lines);
}

gint64
rl_store_count_run_log (RlStore    *self,
                        const char *run_id)
{
  sqlite3_stmt *stmt;
  gint64        n = -1;

  g_return_val_if_fail (RL_IS_STORE (self), -1);

  stmt = rl_store_prepare (self, "SELECT count(*) FROM run_log WHERE run_id = ?", NULL);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, run_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

gboolean
rl_store_forget_run (RlStore    *self,
                     const char *run_id,
                     GError    **error)
{
  static const char *const sql[] = { "DELETE FROM runs WHERE id = ?",
                                     "DELETE FROM run_log WHERE run_id = ?" };

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  if (!rl_store_tx_begin (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      sqlite3_stmt *stmt = rl_store_prepare (self, sql[i], error);

      if (stmt == NULL)
        {
          rl_store_tx_rollback (self);
          return FALSE;
        }
      sqlite3_bind_text (stmt, 1, run_id, -1, SQLITE_TRANSIENT);
      if (!rl_store_step_done (self, stmt, error))
        {
          rl_store_tx_rollback (self);
          return FALSE;
        }
      if (rl_store_changed_rows (self) > 0)
        rl_store_note_change (self, i == 0 ? "run" : "run_log", run_id);
    }
  return rl_store_tx_commit (self, error);
}

/* ---- Retention ------------------------------------------------------------------ */

static gint64
prune_step (RlStore    *self,
            const char *sql,
            gint64      before_ms,
            const char *entity,
            GError    **error)
{
  sqlite3_stmt *stmt = rl_store_prepare (self, sql, error);
  gint64        n;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, before_ms);
  if (!rl_store_step_done (self, stmt, error))
    return -1;
  n = rl_store_changed_rows (self);
  if (n > 0)
    rl_store_note_change (self, entity, NULL);
  return n;
}

gint64
rl_store_prune_activity (RlStore *self,
                         gint64   before_ms,
                         GError **error)
{
  static const struct
  {
    const char *entity, *sql;
  } steps[] = {
    /* A run still queued or running stays whatever its age (a zombie is
     * what support must see). */
    { "run", "DELETE FROM runs WHERE started_ms < ?1"
             " AND status NOT IN ('queued', 'running')" },
    { "run_log", "DELETE FROM run_log WHERE ?1 IS NOT NULL"
                 " AND run_id NOT IN (SELECT id FROM runs)" },
    { "sync_log", "DELETE FROM sync_log WHERE created_ms < ?1" },
  };
  gint64 total = 0;

  g_return_val_if_fail (RL_IS_STORE (self), -1);

  if (!rl_store_tx_begin (self, error))
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      gint64 n = prune_step (self, steps[i].sql, before_ms, steps[i].entity, error);

      if (n < 0)
        {
          rl_store_tx_rollback (self);
          return -1;
        }
      total += n;
    }
  if (!rl_store_tx_commit (self, error))
    return -1;
  return total;
}

GPtrArray *
rl_store_activity_owners (RlStore    *self,
                          const char *entity)
{
  const RlEntityInfo *info = rl_store_entity_lookup (entity);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt;
  int              rc;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);
  g_return_val_if_fail (info != NULL, NULL);

  sql = g_strdup_printf ("SELECT id FROM %s ORDER BY id", info->table);
  stmt = rl_store_prepare (self, sql, NULL);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (!rl_store_step_finished (self, stmt, rc, "Cannot list ids", NULL))
    return NULL;
  return g_steal_pointer (&ids);
}
