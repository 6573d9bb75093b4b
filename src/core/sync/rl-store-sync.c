/* rl-store-sync.c — RlStore: changes feed, reload sweep, outbox, local conflicts.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-store-outbox.h"
#include "rl-store-private.h"
#include "rl-time.h"

#define META_CURSOR "changes_cursor"
#define META_GENERATION "generation"
#define META_RELOADING "reloading"

/* ---- Changes feed ------------------------------------------------------- */

static gboolean
quarantine (RlStore    *self,
            JsonNode   *entry,
            const char *entity,
            const char *entity_id,
            const char *reason,
            GError    **error)
{
  g_autofree char *raw = json_to_string (entry, FALSE);
  sqlite3_stmt    *stmt;

  g_debug ("Quarantined a %s change: %s", entity ? entity : "(unknown)", reason);

  stmt = rl_store_prepare (self,
                           "INSERT INTO quarantine (seen_ms, entity, entity_id, reason, raw)"
                           " VALUES (?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rl_time_now_ms ());
  sqlite3_bind_text (stmt, 2, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, raw, -1, SQLITE_STATIC);
  if (!rl_store_step_done (self, stmt, error))
    return FALSE;
  rl_store_note_change (self, "quarantine", NULL);
  return TRUE;
}

static gboolean
has_pending_edit (RlStore    *self,
                  const char *entity,
                  const char *id,
                  gboolean   *out_pending,
                  GError    **error)
{
  sqlite3_stmt *stmt = rl_store_prepare (self,
                                         "SELECT 1 FROM outbox WHERE entity = ? AND entity_id = ?"
                                         " LIMIT 1",
                                         error);
  int           rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *out_pending = rc == SQLITE_ROW;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      rl_store_set_error_from_db (self, error, "Cannot read the outbox");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_int (JsonObject *object,
            const char *key,
            gint64     *out_value)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out_value = json_node_get_int (node);
  return TRUE;
}

/* Applies one entry. Returns FALSE only on a store failure (the page is
 * then rolled back); a bad entry is quarantined and counted. */
static gboolean
apply_entry (RlStore           *self,
             JsonNode          *entry,
             gint64             generation,
             gboolean           outbox_empty,
             gboolean           console_alerts,
             RlStoreApplyStats *stats,
             GError           **error)
{
  g_autoptr (GError) bad = NULL;
  g_autofree char    *reason = NULL;
  const RlEntityInfo *info = NULL;
  JsonObject         *object, *record = NULL;
  JsonNode           *record_node;
  const char         *entity, *id, *op, *record_id;
  gint64              seq = 0, version = 0, record_version = 0;
  gboolean            pending = FALSE, older = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (entry))
    {
      stats->quarantined++;
      return quarantine (self, entry, NULL, NULL, "entry is not an object", error);
    }
  object = json_node_get_object (entry);
  entity = member_string (object, "entity");
  id = member_string (object, "id");
  op = member_string (object, "op");

  if (entity == NULL)
    reason = g_strdup ("“entity” is missing or not a string");
  else if ((info = rl_store_entity_lookup (entity)) == NULL || !info->in_feed)
    reason = g_strdup_printf ("unknown entity “%s”", entity);
  else if (!member_int (object, "seq", &seq))
    reason = g_strdup ("“seq” is missing or not an integer");
  else if (id == NULL || *id == '\0')
    reason = g_strdup ("“id” is missing or not a string");
  else if (op == NULL || (!g_str_equal (op, "upsert") && !g_str_equal (op, "delete")))
    reason = g_strdup ("“op” is not upsert or delete");
  else if (!member_int (object, "version", &version) || version < 0)
    reason = g_strdup ("“version” is missing or not an integer");

  if (reason != NULL)
    {
      stats->quarantined++;
      return quarantine (self, entry, entity, id, reason, error);
    }

  if (g_str_equal (op, "delete"))
    {
      if (!rl_store_delete_record (self, info, id, version, error))
        return FALSE;
      stats->deleted++;
      return TRUE;
    }

  record_node = json_object_get_member (object, "record");
  if (record_node == NULL || !JSON_NODE_HOLDS_OBJECT (record_node))
    {
      stats->quarantined++;
      return quarantine (self, entry, entity, id, "upsert without a record object", error);
    }
  record = json_node_get_object (record_node);
  record_id = member_string (record, info->id_key);
  if (record_id == NULL || !g_str_equal (record_id, id))
    {
      stats->quarantined++;
      return quarantine (self, entry, entity, id, "the record's id differs from the entry's",
                         error);
    }
  /* The record's own version is what gets cached, so it is what counts. */
  if (json_object_has_member (record, "version")
      && (!member_int (record, "version", &record_version) || record_version != version))
    {
      stats->quarantined++;
      return quarantine (self, entry, entity, id,
                         "the record's version differs from the entry's", error);
    }

  if (!outbox_empty && !has_pending_edit (self, entity, id, &pending, error))
    return FALSE;
  if (pending)
    {
      stats->skipped_pending++;
      /* Kept aside: discarding the local edit restores it (rl-store-outbox.c). */
      return rl_store_outbox_shadow_put (self, entity, id, version, record, error);
    }

  /* Written unless the cached version is higher (one statement). */
  if (!rl_store_write_record (self, info, record, version, generation, &older, &bad))
    {
      if (!g_error_matches (bad, RL_STORE_ERROR, RL_STORE_ERROR_BAD_RECORD))
        {
          g_propagate_error (error, g_steal_pointer (&bad));
          return FALSE;
        }
      stats->quarantined++;
      return quarantine (self, entry, entity, id, bad->message, error);
    }
  if (older)
    {
      stats->skipped_older++;
      return TRUE;
    }
  stats->applied++;
  /* The server's open alert stands for the console's of its device and
   * type (docs/feed.md "Alert records"). */
  if (console_alerts && g_str_equal (info->entity, "alert")
      && rl_store_supersede_console_alerts (self, record, error) < 0)
    return FALSE;
  return TRUE;
}

static gint64
entry_seq (JsonNode *entry)
{
  gint64 seq = G_MAXINT64;

  if (JSON_NODE_HOLDS_OBJECT (entry))
    member_int (json_node_get_object (entry), "seq", &seq);
  return seq;
}

static int
compare_seq (gconstpointer a,
             gconstpointer b)
{
  gint64 sa = entry_seq (*(JsonNode **) a);
  gint64 sb = entry_seq (*(JsonNode **) b);

  return sa < sb ? -1 : sa > sb;
}

gboolean
rl_store_apply_changes (RlStore           *self,
                        JsonArray         *entries,
                        gint64             next_since,
                        RlStoreApplyStats *out_stats,
                        GError           **error)
{
  g_autoptr (GPtrArray) ordered = NULL;
  RlStoreApplyStats stats = {
    0,
  };
  gint64   generation;
  gboolean outbox_empty, console_alerts;
  guint    n;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (entries != NULL, FALSE);
  g_return_val_if_fail (next_since >= 0, FALSE);

  /* Seq order, whatever order the page came in (stable for equal seqs). */
  n = json_array_get_length (entries);
  ordered = g_ptr_array_sized_new (n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (ordered, json_array_get_element (entries, i));
  g_ptr_array_sort (ordered, compare_seq);

  /* The FTS indexes are kept by the writer, not per-row triggers (rl-store-fts.c). */
  rl_store_set_fts_by_hand (self, TRUE);
  if (!rl_store_tx_begin (self, error))
    goto fail;

  generation = rl_store_read_generation (self);
  outbox_empty = rl_store_outbox_count (self) == 0;
  /* Only the feed's writer opens console alerts: none open now, none to
   * supersede in this page (a full load skips the look-up per alert). */
  console_alerts = rl_store_has_open_console_alerts (self);

  for (guint i = 0; i < ordered->len; i++)
    if (!apply_entry (self, g_ptr_array_index (ordered, i), generation, outbox_empty,
                      console_alerts, &stats, error))
      goto fail;

  if (!rl_store_meta_set_int (self, META_CURSOR, next_since, error)
      || !rl_store_tx_commit (self, error))
    goto fail;

  rl_store_set_fts_by_hand (self, FALSE);
  if (out_stats != NULL)
    *out_stats = stats;
  return TRUE;

fail:
  rl_store_tx_rollback (self);
  rl_store_set_fts_by_hand (self, FALSE);
  return FALSE;
}

gint64
rl_store_get_cursor (RlStore *self)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (RL_IS_STORE (self), 0);

  value = rl_store_get_meta (self, META_CURSOR);
  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

/* ---- Reload (410 SYNC_RESET_REQUIRED): mark and sweep ------------------- */

gboolean
rl_store_reset_for_reload (RlStore *self,
                           GError **error)
{
  g_return_val_if_fail (RL_IS_STORE (self), FALSE);

  if (!rl_store_tx_begin (self, error))
    return FALSE;
  if (!rl_store_meta_set_int (self, META_GENERATION, rl_store_read_generation (self) + 1, error)
      || !rl_store_set_meta (self, META_RELOADING, "1", error)
      || !rl_store_meta_set_int (self, META_CURSOR, 0, error)
      || !rl_store_tx_commit (self, error))
    {
      rl_store_tx_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
rl_store_is_reloading (RlStore *self)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);

  value = rl_store_get_meta (self, META_RELOADING);
  return g_strcmp0 (value, "1") == 0;
}

gint64
rl_store_finish_reload (RlStore *self,
                        GError **error)
{
  const RlEntityInfo *info;
  gint64              generation, dropped = 0;

  g_return_val_if_fail (RL_IS_STORE (self), -1);

  if (!rl_store_tx_begin (self, error))
    return -1;

  generation = rl_store_read_generation (self);
  for (guint i = 0; (info = rl_store_entity_nth (i)) != NULL; i++)
    {
      g_autofree char *sql = NULL;
      sqlite3_stmt    *stmt;

      if (!info->in_feed)
        continue;
      /* Unsent local edits, local conflicts (job_id NULL) and the
       * console's own alerts (feed, local) are not the server's to drop. */
      sql = g_strdup_printf ("DELETE FROM %s WHERE gen < ?1 AND NOT EXISTS"
                             " (SELECT 1 FROM outbox o WHERE o.entity = ?2 AND o.entity_id = %s.id)"
                             "%s",
                             info->table, info->table,
                             g_str_equal (info->entity, "conflict") ? " AND job_id IS NOT NULL"
                             : g_str_equal (info->entity, "alert")  ? " AND source = 'server'"
                                                                    : "");
      if ((stmt = rl_store_prepare (self, sql, error)) == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, generation);
      sqlite3_bind_text (stmt, 2, info->entity, -1, SQLITE_STATIC);
      if (!rl_store_step_done (self, stmt, error))
        goto fail;
      if (rl_store_changed_rows (self) > 0)
        {
          dropped += rl_store_changed_rows (self);
          rl_store_note_change (self, info->entity, NULL);
        }
    }

  if (!rl_store_set_meta (self, META_RELOADING, NULL, error)
      || !rl_store_tx_commit (self, error))
    goto fail;
  return dropped;

fail:
  rl_store_tx_rollback (self);
  return -1;
}

/* ---- Outbox ------------------------------------------------------------- */

void
rl_store_outbox_entry_free (RlStoreOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->method);
  g_free (entry->path);
  g_free (entry->body);
  g_free (entry->if_match);
  g_free (entry->idempotency_key);
  g_free (entry->entity);
  g_free (entry->entity_id);
  g_free (entry->base);
  g_free (entry->secret_ref);
  g_free (entry->last_error);
  g_free (entry);
}

static void
note_outbox_change (RlStore *self,
                    gint64   id)
{
  char text[24];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, id);
  rl_store_note_change (self, "outbox", text);
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr (JsonNode) node = NULL;

  if (object == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), object);
  return rl_store_json_text (node);
}

gint64
rl_store_outbox_enqueue (RlStore    *self,
                         const char *method,
                         const char *path,
                         JsonNode   *body,
                         const char *if_match,
                         const char *entity,
                         const char *entity_id,
                         JsonObject *base,
                         JsonObject *local,
                         const char *secret_ref,
                         GError    **error)
{
  g_autofree char    *body_text = body ? rl_store_json_text (body) : NULL;
  g_autofree char    *base_text = object_to_string (base);
  g_autofree char    *key = g_uuid_string_random ();
  const RlEntityInfo *info = NULL;
  sqlite3_stmt       *stmt;
  gint64              id;

  g_return_val_if_fail (RL_IS_STORE (self), 0);
  g_return_val_if_fail (method != NULL && path != NULL, 0);

  if ((local != NULL || g_str_equal (method, "DELETE")) && entity != NULL)
    {
      if ((info = rl_store_entity_lookup (entity)) == NULL)
        {
          g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_UNKNOWN_ENTITY,
                       "Unknown entity “%s”", entity);
          return 0;
        }
    }

  if (!rl_store_tx_begin (self, error))
    return 0;

  if (info != NULL && local != NULL)
    {
      if (!rl_store_write_record (self, info, local, -1, rl_store_read_generation (self), NULL,
                                  error))
        goto fail;
    }
  else if (info != NULL && entity_id != NULL)
    {
      if (!rl_store_delete_record (self, info, entity_id, -1, error))
        goto fail;
    }

  stmt = rl_store_prepare (self,
                           "INSERT INTO outbox (created_ms, method, path, body, if_match,"
                           " idempotency_key, entity, entity_id, base, secret_ref)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, rl_time_now_ms ());
  sqlite3_bind_text (stmt, 2, method, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, path, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, body_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, if_match, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, base_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, secret_ref, -1, SQLITE_STATIC);
  if (!rl_store_step_done (self, stmt, error))
    goto fail;
  id = rl_store_last_insert_rowid (self);
  note_outbox_change (self, id);

  if (!rl_store_tx_commit (self, error))
    goto fail;
  return id;

fail:
  rl_store_tx_rollback (self);
  return 0;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

RlStoreOutboxEntry *
rl_store_outbox_peek (RlStore *self,
                      GError **error)
{
  RlStoreOutboxEntry *entry = NULL;
  sqlite3_stmt       *stmt;
  int                 rc;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);

  stmt = rl_store_prepare (self,
                           "SELECT id, created_ms, method, path, body, if_match, idempotency_key,"
                           " entity, entity_id, base, secret_ref, last_error, attempts"
                           " FROM outbox ORDER BY id LIMIT 1",
                           error);
  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      entry = g_new0 (RlStoreOutboxEntry, 1);
      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->created_ms = sqlite3_column_int64 (stmt, 1);
      entry->method = column_dup (stmt, 2);
      entry->path = column_dup (stmt, 3);
      entry->body = column_dup (stmt, 4);
      entry->if_match = column_dup (stmt, 5);
      entry->idempotency_key = column_dup (stmt, 6);
      entry->entity = column_dup (stmt, 7);
      entry->entity_id = column_dup (stmt, 8);
      entry->base = column_dup (stmt, 9);
      entry->secret_ref = column_dup (stmt, 10);
      entry->last_error = column_dup (stmt, 11);
      entry->attempts = sqlite3_column_int (stmt, 12);
    }
  else if (rc != SQLITE_DONE)
    rl_store_set_error_from_db (self, error, "Cannot read the outbox");
  sqlite3_reset (stmt);
  return entry;
}

static gboolean
delete_outbox_row (RlStore *self,
                   gint64   id,
                   GError **error)
{
  sqlite3_stmt *stmt = rl_store_prepare (self, "DELETE FROM outbox WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!rl_store_step_write (self, stmt, error))
    return FALSE;
  note_outbox_change (self, id);
  return TRUE;
}

gboolean
rl_store_outbox_complete (RlStore *self,
                          gint64   id,
                          GError **error)
{
  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  return delete_outbox_row (self, id, error);
}

gboolean
rl_store_outbox_fail (RlStore    *self,
                      gint64      id,
                      const char *message,
                      GError    **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);

  stmt = rl_store_prepare (self,
                           "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, message, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!rl_store_step_write (self, stmt, error))
    return FALSE;
  note_outbox_change (self, id);
  return TRUE;
}

gint64
rl_store_outbox_count (RlStore *self)
{
  return rl_store_count (self, "outbox");
}

/* ---- Local conflicts ---------------------------------------------------- */

char *
rl_store_add_local_conflict (RlStore    *self,
                             const char *entity_type,
                             const char *entity_id,
                             JsonObject *base,
                             JsonObject *local,
                             JsonObject *remote,
                             gint64      outbox_id,
                             GError    **error)
{
  g_autoptr (JsonObject) conflict = json_object_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *id = g_strconcat ("local-", uuid, NULL);
  g_autofree char *now = rl_time_format_ms (rl_time_now_ms ());
  const char      *remote_updated = remote ? member_string (remote, "updatedAt") : NULL;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);
  g_return_val_if_fail (entity_type != NULL && entity_id != NULL, NULL);
  g_return_val_if_fail (local != NULL, NULL);

  json_object_set_string_member (conflict, "id", id);
  json_object_set_null_member (conflict, "jobId");
  json_object_set_string_member (conflict, "entityType", entity_type);
  json_object_set_string_member (conflict, "entityId", entity_id);
  if (base != NULL)
    json_object_set_object_member (conflict, "base", json_object_ref (base));
  else
    json_object_set_null_member (conflict, "base");
  json_object_set_object_member (conflict, "local", json_object_ref (local));
  if (remote != NULL)
    json_object_set_object_member (conflict, "remote", json_object_ref (remote));
  else
    json_object_set_null_member (conflict, "remote");
  json_object_set_string_member (conflict, "localUpdatedAt", now);
  if (remote_updated != NULL)
    json_object_set_string_member (conflict, "remoteUpdatedAt", remote_updated);
  else
    json_object_set_null_member (conflict, "remoteUpdatedAt");
  json_object_set_string_member (conflict, "detectedAt", now);
  json_object_set_string_member (conflict, "status", "open");
  json_object_set_null_member (conflict, "resolution");
  json_object_set_int_member (conflict, "version", 0);

  if (!rl_store_tx_begin (self, error))
    return NULL;
  if (!rl_store_write_record (self, rl_store_entity_lookup ("conflict"), conflict, -1,
                              rl_store_read_generation (self), NULL, error)
      || (outbox_id > 0 && !delete_outbox_row (self, outbox_id, error))
      || !rl_store_tx_commit (self, error))
    {
      rl_store_tx_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&id);
}
