/* rl-store-records.c — RlStore: writing records, batches, reads, meta.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "rl-store-private.h"
#include "rl-time.h"

struct _RlStoreBatch
{
  RlStore      *store;
  gint64        generation;
  gboolean      open;
  guint         readings_added;
  guint         readings_duplicate;
  sqlite3_stmt *insert_reading; /* owned by the store's statement cache */
};

/* ---- Records ------------------------------------------------------------ */

/* "INSERT INTO t (id, cols…, version, updated_ms, json, gen) VALUES (…)
 *  ON CONFLICT (id) DO UPDATE SET … WHERE ?99 = 0 OR excluded.version >= t.version":
 * one statement for both the unconditional write and the feed's version rule. */
#define CONDITIONAL_PARAM 99

static gboolean
has_search_text (const RlEntityInfo *info)
{
  return info->search_keys[0] != NULL;
}

/* Telemetry never goes backwards (contract §5): a drop point written from a
 * record (the /changes applier, an edit's answer) whose lastReadingAt is not
 * newer than the cached one keeps the cached telemetry, which the MQTT feed
 * may have moved ahead; the other fields are the record's. Part of the upsert
 * itself, so it holds on the applier's connection too, whose triggers are off
 * (rl-store-fts.c). */
#define KEEP_TELEMETRY                       \
  "(drop_points.last_reading_ms IS NOT NULL" \
  " AND (excluded.last_reading_ms IS NULL"   \
  " OR excluded.last_reading_ms <= drop_points.last_reading_ms))"

static const char *const telemetry_columns[] = {
  "fill_level",
  "battery_level",
  "is_online",
  "last_reading_ms",
  NULL,
};
static const char *const telemetry_keys[] = {
  "fillLevel",
  "weight",
  "temperature",
  "humidity",
  "batteryLevel",
  "isOnline",
  "lastReadingAt",
  NULL,
};

static char *
build_upsert_sql (const RlEntityInfo *info)
{
  GString                 *sql = g_string_new (NULL);
  static const char *const tail[] = { "version", "updated_ms", "json", "gen", "search_text" };
  gboolean                 telemetry = g_str_equal (info->table, "drop_points");
  guint                    n = 0;
  guint                    n_tail = G_N_ELEMENTS (tail) - (has_search_text (info) ? 0 : 1);

  g_string_append_printf (sql, "INSERT INTO %s (id", info->table);
  for (; n < RL_MAX_COLUMNS && info->columns[n].column != NULL; n++)
    g_string_append_printf (sql, ", %s", info->columns[n].column);
  for (guint i = 0; i < n_tail; i++)
    g_string_append_printf (sql, ", %s", tail[i]);
  g_string_append (sql, ") VALUES (?");
  for (guint i = 0; i < n + n_tail; i++)
    g_string_append (sql, ", ?");
  g_string_append (sql, ") ON CONFLICT (id) DO UPDATE SET");
  for (guint i = 0; i < n; i++)
    {
      const char *column = info->columns[i].column;

      if (telemetry && g_strv_contains (telemetry_columns, column))
        g_string_append_printf (sql, " %s = CASE WHEN %s THEN %s.%s ELSE excluded.%s END,",
                                column, KEEP_TELEMETRY, info->table, column, column);
      else
        g_string_append_printf (sql, " %s = excluded.%s,", column, column);
    }
  for (guint i = 0; i < n_tail; i++)
    {
      if (telemetry && g_str_equal (tail[i], "json"))
        {
          g_string_append_printf (sql, " json = CASE WHEN %s THEN json_set(excluded.json",
                                  KEEP_TELEMETRY);
          for (guint k = 0; telemetry_keys[k] != NULL; k++)
            g_string_append_printf (sql, ", '$.%s', json(coalesce(%s.json -> '$.%s', 'null'))",
                                    telemetry_keys[k], info->table, telemetry_keys[k]);
          g_string_append (sql, ") ELSE excluded.json END");
        }
      else
        g_string_append_printf (sql, " %s = excluded.%s", tail[i], tail[i]);
      g_string_append (sql, i + 1 < n_tail ? "," : "");
    }
  g_string_append_printf (sql, " WHERE ?%d = 0 OR excluded.version >= %s.version",
                          CONDITIONAL_PARAM, info->table);
  return g_string_free (sql, FALSE);
}

static const char *
upsert_sql_for (const RlEntityInfo *info)
{
  static GHashTable *cache;
  static GMutex      lock;
  const char        *sql;

  g_mutex_lock (&lock);
  if (cache == NULL)
    cache = g_hash_table_new (g_str_hash, g_str_equal);
  sql = g_hash_table_lookup (cache, info->table);
  if (sql == NULL)
    {
      sql = build_upsert_sql (info);
      g_hash_table_insert (cache, (gpointer) info->table, (gpointer) sql);
    }
  g_mutex_unlock (&lock);
  return sql;
}

static gboolean
bad_field (GError    **error,
           const char *entity,
           const char *key,
           const char *expected)
{
  g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_BAD_RECORD,
               "%s: field “%s” is not %s", entity, key, expected);
  return FALSE;
}

static gboolean
bind_column (sqlite3_stmt   *stmt,
             int             index,
             const char     *entity,
             const RlColumn *col,
             JsonObject     *record,
             GError        **error)
{
  JsonNode *node = rl_store_record_member (record, col->key);
  GType     type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      sqlite3_bind_null (stmt, index);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return bad_field (error, entity, col->key, "a plain value");

  type = json_node_get_value_type (node);
  switch (col->type)
    {
    case RL_COL_STRING:
      if (type != G_TYPE_STRING)
        return bad_field (error, entity, col->key, "a string");
      sqlite3_bind_text (stmt, index, json_node_get_string (node), -1, SQLITE_TRANSIENT);
      break;
    case RL_COL_NUMBER:
      if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
        return bad_field (error, entity, col->key, "a number");
      sqlite3_bind_double (stmt, index, json_node_get_double (node));
      break;
    case RL_COL_INT:
      if (type == G_TYPE_INT64)
        sqlite3_bind_int64 (stmt, index, json_node_get_int (node));
      else if (type == G_TYPE_DOUBLE
               && json_node_get_double (node) == floor (json_node_get_double (node)))
        sqlite3_bind_int64 (stmt, index, (gint64) json_node_get_double (node));
      else
        return bad_field (error, entity, col->key, "an integer");
      break;
    case RL_COL_BOOL:
      if (type != G_TYPE_BOOLEAN)
        return bad_field (error, entity, col->key, "a boolean");
      sqlite3_bind_int (stmt, index, json_node_get_boolean (node) ? 1 : 0);
      break;
    case RL_COL_TIME:
      {
        gint64 ms;
        if (type != G_TYPE_STRING || !rl_time_parse_ms (json_node_get_string (node), &ms))
          return bad_field (error, entity, col->key, "an RFC 3339 time");
        sqlite3_bind_int64 (stmt, index, ms);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static const char *
record_id (const RlEntityInfo *info,
           JsonObject         *record,
           GError            **error)
{
  JsonNode *node = json_object_get_member (record, info->id_key);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING
      || *json_node_get_string (node) == '\0')
    {
      g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_BAD_RECORD,
                   "%s: “%s” is missing or not a string", info->entity, info->id_key);
      return NULL;
    }
  return json_node_get_string (node);
}

gboolean
rl_store_write_record (RlStore            *self,
                       const RlEntityInfo *info,
                       JsonObject         *record,
                       gint64              fallback_version,
                       gint64              generation,
                       gboolean           *out_older,
                       GError            **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *search = NULL;
  g_autofree char *old_search = NULL;
  const RlColumn  *c = info->columns;
  sqlite3_stmt    *stmt;
  JsonNode        *node;
  const char      *id;
  gint64           version = MAX (fallback_version, 0);
  gint64           old_rowid = 0;
  gboolean         written;
  gboolean         by_hand = self->fts_by_hand && info->fts_table != NULL;
  gboolean         had_row = FALSE;
  int              i = 1;

  if ((id = record_id (info, record, error)) == NULL)
    return FALSE;

  node = json_object_get_member (record, "version");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
        return bad_field (error, info->entity, "version", "a non-negative integer");
      version = json_node_get_int (node);
    }

  if (by_hand && !rl_store_fts_read_row (self, info, id, &had_row, &old_rowid, &old_search, error))
    return FALSE;

  stmt = rl_store_prepare (self, upsert_sql_for (info), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, i++, id, -1, SQLITE_TRANSIENT);
  for (; c < info->columns + RL_MAX_COLUMNS && c->column != NULL; c++)
    if (!bind_column (stmt, i++, info->entity, c, record, error))
      return FALSE;
  sqlite3_bind_int64 (stmt, i++, version);
  {
    RlColumn updated = { "updated_ms", "updatedAt", RL_COL_TIME };
    if (!bind_column (stmt, i++, info->entity, &updated, record, error))
      return FALSE;
  }
  root = json_node_init_object (json_node_alloc (), record);
  json = rl_store_json_text (root);
  sqlite3_bind_text (stmt, i++, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, i++, generation);
  if (has_search_text (info))
    {
      search = rl_store_search_text (self, info, record);
      sqlite3_bind_text (stmt, i++, search, -1, SQLITE_STATIC);
    }
  sqlite3_bind_int (stmt, CONDITIONAL_PARAM, out_older != NULL);

  if (!rl_store_step_done (self, stmt, error))
    return FALSE;
  written = sqlite3_changes (self->db) > 0;
  if (out_older != NULL)
    *out_older = !written;
  if (!written)
    return TRUE;

  /* An update keeps the row's rowid; an insert has the last one. */
  if (by_hand
      && !rl_store_fts_replace (self, info, had_row ? old_rowid : 0, old_search,
                                had_row ? old_rowid : sqlite3_last_insert_rowid (self->db),
                                search, error))
    return FALSE;
  rl_store_note_change (self, info->entity, id);
  return TRUE;
}

gboolean
rl_store_delete_record (RlStore            *self,
                        const RlEntityInfo *info,
                        const char         *id,
                        gint64              version,
                        GError            **error)
{
  g_autofree char *sql =
      g_strdup_printf ("DELETE FROM %s WHERE id = ?1 AND (?2 < 0 OR version <= ?2)", info->table);
  g_autofree char *old_search = NULL;
  gboolean         by_hand = self->fts_by_hand && info->fts_table != NULL;
  gboolean         had_row = FALSE;
  gint64           old_rowid = 0;
  sqlite3_stmt    *stmt;

  if (by_hand && !rl_store_fts_read_row (self, info, id, &had_row, &old_rowid, &old_search, error))
    return FALSE;
  if ((stmt = rl_store_prepare (self, sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, version);
  if (!rl_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return TRUE;
  if (by_hand && had_row && !rl_store_fts_replace (self, info, old_rowid, old_search, 0, NULL, error))
    return FALSE;
  rl_store_note_change (self, info->entity, id);
  return TRUE;
}

gint64
rl_store_read_generation (RlStore *self)
{
  g_autofree char *value = rl_store_get_meta (self, "generation");

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

/* ---- Batches ------------------------------------------------------------ */

RlStoreBatch *
rl_store_batch_begin (RlStore *self,
                      GError **error)
{
  RlStoreBatch *batch;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);

  if (!rl_store_tx_begin (self, error))
    return NULL;

  batch = g_new0 (RlStoreBatch, 1);
  batch->store = g_object_ref (self);
  batch->open = TRUE;
  batch->generation = rl_store_read_generation (self);
  return batch;
}

static const RlEntityInfo *
lookup_entity (const char *entity,
               GError    **error)
{
  const RlEntityInfo *info = rl_store_entity_lookup (entity);

  if (info == NULL)
    g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_UNKNOWN_ENTITY,
                 "Unknown entity “%s”", entity ? entity : "(null)");
  return info;
}

static gboolean
batch_check_open (RlStoreBatch *batch,
                  GError      **error)
{
  if (!batch->open)
    {
      g_set_error_literal (error, RL_STORE_ERROR, RL_STORE_ERROR_FAILED,
                           "The batch is already committed or rolled back");
      return FALSE;
    }
  return TRUE;
}

gboolean
rl_store_batch_upsert (RlStoreBatch *batch,
                       const char   *entity,
                       JsonObject   *record,
                       GError      **error)
{
  const RlEntityInfo *info;

  g_return_val_if_fail (batch != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (!batch_check_open (batch, error) || (info = lookup_entity (entity, error)) == NULL)
    return FALSE;
  return rl_store_write_record (batch->store, info, record, -1, batch->generation, NULL, error);
}

gboolean
rl_store_batch_delete (RlStoreBatch *batch,
                       const char   *entity,
                       const char   *id,
                       gint64        version,
                       GError      **error)
{
  const RlEntityInfo *info;

  g_return_val_if_fail (batch != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!batch_check_open (batch, error) || (info = lookup_entity (entity, error)) == NULL)
    return FALSE;
  return rl_store_delete_record (batch->store, info, id, version, error);
}

RlStore *
rl_store_batch_get_store (RlStoreBatch *batch,
                          GError      **error)
{
  return batch_check_open (batch, error) ? batch->store : NULL;
}

gint64
rl_store_batch_get_generation (RlStoreBatch *batch)
{
  return batch->generation;
}

static void
bind_optional (sqlite3_stmt *stmt,
               int           index,
               double        value)
{
  if (isnan (value))
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_double (stmt, index, value);
}

RlStoreReadingResult
rl_store_batch_add_reading (RlStoreBatch *batch,
                            const char   *device_id,
                            gint64        ts_ms,
                            double        fill_level,
                            double        weight,
                            double        temperature,
                            double        humidity,
                            double        battery_level,
                            GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (batch != NULL, RL_STORE_READING_ERROR);
  g_return_val_if_fail (device_id != NULL, RL_STORE_READING_ERROR);

  if (!batch_check_open (batch, error))
    return RL_STORE_READING_ERROR;

  /* The hot path of telemetry bursts: the statement is kept by the batch
   * (every parameter is bound each time, so a reset is enough). */
  stmt = batch->insert_reading;
  if (stmt != NULL)
    sqlite3_reset (stmt);
  else
    {
      stmt = rl_store_prepare (batch->store,
                               "INSERT OR IGNORE INTO readings (device_id, ts_ms, fill_level,"
                               " weight, temperature, humidity, battery_level)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)",
                               error);
      if (stmt == NULL)
        return RL_STORE_READING_ERROR;
      batch->insert_reading = stmt;
    }

  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, ts_ms);
  bind_optional (stmt, 3, fill_level);
  bind_optional (stmt, 4, weight);
  bind_optional (stmt, 5, temperature);
  bind_optional (stmt, 6, humidity);
  bind_optional (stmt, 7, battery_level);
  if (!rl_store_step_done (batch->store, stmt, error))
    return RL_STORE_READING_ERROR;

  if (sqlite3_changes (batch->store->db) == 0)
    {
      batch->readings_duplicate++;
      return RL_STORE_READING_DUPLICATE;
    }
  batch->readings_added++;
  return RL_STORE_READING_ADDED;
}

/* Steps an UPDATE … RETURNING id of drop points: notes each one changed and
 * returns how many, or -1 on error. */
static gint
step_noting_drop_points (RlStore      *store,
                         sqlite3_stmt *stmt,
                         GError      **error)
{
  gint n = 0;
  int  rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      rl_store_note_change (store, "drop_point", (const char *) sqlite3_column_text (stmt, 0));
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      rl_store_set_error_from_db (store, error, "Cannot write to the cache");
      sqlite3_reset (stmt);
      return -1;
    }
  sqlite3_reset (stmt);
  return n;
}

gint
rl_store_batch_update_telemetry (RlStoreBatch *batch,
                                 const char   *device_id,
                                 gint64        ts_ms,
                                 double        fill_level,
                                 double        weight,
                                 double        temperature,
                                 double        humidity,
                                 double        battery_level,
                                 GError      **error)
{
  g_autofree char *when = NULL;
  sqlite3_stmt    *stmt;

  g_return_val_if_fail (batch != NULL, -1);
  g_return_val_if_fail (device_id != NULL, -1);

  if (!batch_check_open (batch, error))
    return -1;

  stmt = rl_store_prepare (
      batch->store,
      "UPDATE drop_points SET"
      " fill_level = coalesce(?3, fill_level),"
      " battery_level = coalesce(?7, battery_level),"
      " is_online = 1, last_reading_ms = ?2,"
      " json = json_set(json,"
      "  '$.fillLevel', coalesce(?3, json_extract(json, '$.fillLevel')),"
      "  '$.weight', coalesce(?4, json_extract(json, '$.weight')),"
      "  '$.temperature', coalesce(?5, json_extract(json, '$.temperature')),"
      "  '$.humidity', coalesce(?6, json_extract(json, '$.humidity')),"
      "  '$.batteryLevel', coalesce(?7, json_extract(json, '$.batteryLevel')),"
      "  '$.isOnline', json('true'),"
      "  '$.lastReadingAt', ?8)"
      " WHERE device_id = ?1 AND (last_reading_ms IS NULL OR last_reading_ms < ?2)"
      " RETURNING id",
      error);
  if (stmt == NULL)
    return -1;

  when = rl_time_format_ms (ts_ms);
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, ts_ms);
  bind_optional (stmt, 3, fill_level);
  bind_optional (stmt, 4, weight);
  bind_optional (stmt, 5, temperature);
  bind_optional (stmt, 6, humidity);
  bind_optional (stmt, 7, battery_level);
  sqlite3_bind_text (stmt, 8, when, -1, SQLITE_STATIC);
  return step_noting_drop_points (batch->store, stmt, error);
}

gint
rl_store_batch_update_link (RlStoreBatch *batch,
                            const char   *device_id,
                            gboolean      online,
                            GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (batch != NULL, -1);
  g_return_val_if_fail (device_id != NULL, -1);

  if (!batch_check_open (batch, error))
    return -1;

  stmt = rl_store_prepare (
      batch->store,
      "UPDATE drop_points SET is_online = ?2,"
      " json = json_set(json, '$.isOnline', json(CASE WHEN ?2 THEN 'true' ELSE 'false' END))"
      " WHERE device_id = ?1 AND is_online IS NOT ?2 RETURNING id",
      error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, online ? 1 : 0);
  return step_noting_drop_points (batch->store, stmt, error);
}

guint
rl_store_batch_get_readings_added (RlStoreBatch *batch)
{
  g_return_val_if_fail (batch != NULL, 0);
  return batch->readings_added;
}

guint
rl_store_batch_get_readings_duplicate (RlStoreBatch *batch)
{
  g_return_val_if_fail (batch != NULL, 0);
  return batch->readings_duplicate;
}

gboolean
rl_store_batch_commit (RlStoreBatch *batch,
                       GError      **error)
{
  g_return_val_if_fail (batch != NULL, FALSE);

  if (!batch_check_open (batch, error))
    return FALSE;
  batch->open = FALSE;
  return rl_store_tx_commit (batch->store, error);
}

void
rl_store_batch_free (RlStoreBatch *batch)
{
  if (batch == NULL)
    return;
  if (batch->open)
    rl_store_tx_rollback (batch->store);
  g_object_unref (batch->store);
  g_free (batch);
}

/* ---- Reads -------------------------------------------------------------- */

static const char *
table_for_count (const char *entity)
{
  const RlEntityInfo      *info = rl_store_entity_lookup (entity);
  static const char *const extra[] = { "reading", "readings", "outbox", "outbox",
                                       "quarantine", "quarantine", "run_log", "run_log" };

  if (info != NULL)
    return info->table;
  for (guint i = 0; entity != NULL && i < G_N_ELEMENTS (extra); i += 2)
    if (g_str_equal (extra[i], entity))
      return extra[i + 1];
  return NULL;
}

gint64
rl_store_count (RlStore    *self,
                const char *entity)
{
  g_autofree char *sql = NULL;
  const char      *table;

  g_return_val_if_fail (RL_IS_STORE (self), -1);

  if ((table = table_for_count (entity)) == NULL)
    return -1;
  sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  return rl_store_query_int (self, sql, NULL);
}

JsonObject *
rl_store_get_record (RlStore    *self,
                     const char *entity,
                     const char *id,
                     GError    **error)
{
  g_autofree char *sql = NULL;
  g_autoptr (JsonNode) node = NULL;
  const RlEntityInfo *info;
  sqlite3_stmt       *stmt;
  int                 rc;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if ((info = lookup_entity (entity, error)) == NULL)
    return NULL;

  sql = g_strdup_printf ("SELECT json FROM %s WHERE id = ?", info->table);
  if ((stmt = rl_store_prepare (self, sql, error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    node = json_from_string ((const char *) sqlite3_column_text (stmt, 0), NULL);
  else if (rc == SQLITE_DONE)
    g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND,
                 "No %s “%s” in the cache", entity, id);
  else
    rl_store_set_error_from_db (self, error, "Cannot read the cache");
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    return NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_CORRUPT,
                   "The cached %s “%s” is not a JSON object", entity, id);
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

double
rl_store_column_double (sqlite3_stmt *stmt,
                        int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, col);
}

void
rl_store_drop_point_from_row (sqlite3_stmt     *stmt,
                              RlStoreDropPoint *out)
{
  *out = (RlStoreDropPoint){
    .id = (const char *) sqlite3_column_text (stmt, 0),
    .name = (const char *) sqlite3_column_text (stmt, 1),
    .address = (const char *) sqlite3_column_text (stmt, 2),
    .status = (const char *) sqlite3_column_text (stmt, 3),
    .device_id = (const char *) sqlite3_column_text (stmt, 4),
    .latitude = rl_store_column_double (stmt, 5),
    .longitude = rl_store_column_double (stmt, 6),
    .fill_level = rl_store_column_double (stmt, 7),
    .battery_level = rl_store_column_double (stmt, 8),
    .is_online = sqlite3_column_int (stmt, 9) != 0,
    .last_reading_ms = sqlite3_column_int64 (stmt, 10),
    .version = sqlite3_column_int64 (stmt, 11),
  };
}

static void
set_number_or_null (JsonObject   *object,
                    const char   *key,
                    sqlite3_stmt *stmt,
                    int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    json_object_set_null_member (object, key);
  else
    json_object_set_double_member (object, key, sqlite3_column_double (stmt, col));
}

JsonArray *
rl_store_get_readings (RlStore    *self,
                       const char *device_id,
                       gint64      from_ms,
                       gint64      to_ms,
                       guint       limit,
                       GError    **error)
{
  g_autoptr (JsonArray) readings = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);
  g_return_val_if_fail (device_id != NULL, NULL);

  stmt = rl_store_prepare (self,
                           "SELECT ts_ms, fill_level, weight, temperature, humidity, battery_level"
                           " FROM readings WHERE device_id = ? AND ts_ms BETWEEN ? AND ?"
                           " ORDER BY ts_ms LIMIT ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, from_ms);
  sqlite3_bind_int64 (stmt, 3, to_ms);
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : -1);

  readings = json_array_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject      *reading = json_object_new ();
      g_autofree char *when = rl_time_format_ms (sqlite3_column_int64 (stmt, 0));

      json_object_set_string_member (reading, "timestamp", when);
      set_number_or_null (reading, "fillLevel", stmt, 1);
      set_number_or_null (reading, "weight", stmt, 2);
      set_number_or_null (reading, "temperature", stmt, 3);
      set_number_or_null (reading, "humidity", stmt, 4);
      set_number_or_null (reading, "batteryLevel", stmt, 5);
      json_array_add_object_element (readings, reading);
    }
  if (rc != SQLITE_DONE)
    {
      rl_store_set_error_from_db (self, error, "Cannot read readings");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&readings);
}

gboolean
rl_store_foreach_drop_point (RlStore             *self,
                             RlStoreDropPointFunc func,
                             gpointer             user_data,
                             GError             **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      ok = TRUE;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* Own statement: the callback may use the store's cached ones. */
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT " RL_STORE_DROP_POINT_COLUMNS ("") " FROM drop_points ORDER BY id",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      rl_store_set_error_from_db (self, error, "Cannot read drop points");
      sqlite3_finalize (stmt);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RlStoreDropPoint dp;

      rl_store_drop_point_from_row (stmt, &dp);

      if (!func (&dp, user_data))
        break;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      rl_store_set_error_from_db (self, error, "Cannot read drop points");
      ok = FALSE;
    }
  sqlite3_finalize (stmt);
  return ok;
}

char *
rl_store_get_meta (RlStore    *self,
                   const char *key)
{
  sqlite3_stmt *stmt;
  char         *value = NULL;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = rl_store_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
rl_store_set_meta (RlStore    *self,
                   const char *key,
                   const char *value,
                   GError    **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  stmt = rl_store_prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return rl_store_step_write (self, stmt, error);
}

gboolean
rl_store_meta_set_int (RlStore    *self,
                       const char *key,
                       gint64      value,
                       GError    **error)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  return rl_store_set_meta (self, key, buf, error);
}
