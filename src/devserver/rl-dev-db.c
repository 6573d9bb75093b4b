/* rl-dev-db.c — the devserver's SQLite store: one table of JSON records.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every entity lives in `records` as its JSON document, keyed by (entity, id),
 * with the global seq of its last change. That one row per entity IS the
 * compacted changes feed; deletes leave a tombstone row (deleted = 1).
 * `tag` is an indexed secondary key: alert/conflict status, a run's
 * workflow, a log's run or job.
 */

#include "config.h"

#include "rl-dev-private.h"

static const char schema_sql[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=OFF;"
    "PRAGMA temp_store=MEMORY;"
    "PRAGMA cache_size=-65536;"
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS records ("
    "  entity TEXT NOT NULL, id TEXT NOT NULL, tag TEXT,"
    "  seq INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 0,"
    "  deleted INTEGER NOT NULL DEFAULT 0, data TEXT,"
    "  PRIMARY KEY (entity, id));"
    "CREATE INDEX IF NOT EXISTS records_seq ON records (seq);"
    "CREATE INDEX IF NOT EXISTS records_tag ON records (entity, tag, id);"
    "CREATE TABLE IF NOT EXISTS readings ("
    "  device_id TEXT NOT NULL, ts INTEGER NOT NULL, fill REAL, weight REAL,"
    "  temperature REAL, humidity REAL, battery REAL,"
    "  PRIMARY KEY (device_id, ts)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS secrets ("
    "  provider_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
    "  PRIMARY KEY (provider_id, key));";

static sqlite3_stmt *
prepare (RlDevServer *srv,
         const char  *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v3 (srv->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    g_error ("prepare %s: %s", sql, sqlite3_errmsg (srv->db));
  return stmt;
}

gboolean
rl_dev_db_exec (RlDevServer *srv,
                const char  *sql,
                GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (srv->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite: %s", msg);
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

gboolean
rl_dev_db_open (RlDevServer *srv,
                GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_open (srv->db_path, &srv->db) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s: %s",
                   srv->db_path, sqlite3_errmsg (srv->db));
      return FALSE;
    }
  sqlite3_busy_timeout (srv->db, 5000);
  if (!rl_dev_db_exec (srv, schema_sql, error))
    return FALSE;

  srv->st_put =
      prepare (srv, "INSERT INTO records (entity, id, tag, seq, version, deleted, data) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6) ON CONFLICT (entity, id) DO UPDATE SET "
                    "tag = excluded.tag, seq = excluded.seq, version = excluded.version, "
                    "deleted = 0, data = excluded.data");
  srv->st_get = prepare (srv,
                         "SELECT data FROM records WHERE entity = ?1 AND id = ?2 AND deleted = 0");
  srv->st_del = prepare (srv,
                         "UPDATE records SET deleted = 1, data = NULL, seq = ?3 "
                         "WHERE entity = ?1 AND id = ?2 AND deleted = 0");
  srv->st_meta_get = prepare (srv, "SELECT value FROM meta WHERE key = ?1");
  srv->st_meta_put = prepare (srv,
                              "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value");

  stmt = prepare (srv, "SELECT COALESCE (MAX (seq), 0) FROM records");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    srv->seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

void
rl_dev_db_close (RlDevServer *srv)
{
  g_clear_pointer (&srv->st_put, sqlite3_finalize);
  g_clear_pointer (&srv->st_get, sqlite3_finalize);
  g_clear_pointer (&srv->st_del, sqlite3_finalize);
  g_clear_pointer (&srv->st_meta_get, sqlite3_finalize);
  g_clear_pointer (&srv->st_meta_put, sqlite3_finalize);
  g_clear_pointer (&srv->db, sqlite3_close);
}

void
rl_dev_db_begin (RlDevServer *srv)
{
  rl_dev_db_exec (srv, "BEGIN", NULL);
}

void
rl_dev_db_commit (RlDevServer *srv)
{
  g_autoptr (GError) error = NULL;

  if (!rl_dev_db_exec (srv, "COMMIT", &error))
    g_warning ("%s", error->message);
}

gint64
rl_dev_db_next_seq (RlDevServer *srv)
{
  return ++srv->seq;
}

char *
rl_dev_db_meta_get (RlDevServer *srv,
                    const char  *key)
{
  char *value = NULL;

  sqlite3_bind_text (srv->st_meta_get, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (srv->st_meta_get) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (srv->st_meta_get, 0));
  sqlite3_reset (srv->st_meta_get);
  sqlite3_clear_bindings (srv->st_meta_get);
  return value;
}

void
rl_dev_db_meta_set (RlDevServer *srv,
                    const char  *key,
                    const char  *value)
{
  sqlite3_bind_text (srv->st_meta_put, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (srv->st_meta_put, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (srv->st_meta_put) != SQLITE_DONE)
    g_warning ("meta %s: %s", key, sqlite3_errmsg (srv->db));
  sqlite3_reset (srv->st_meta_put);
  sqlite3_clear_bindings (srv->st_meta_put);
}

/* Monotonic ids per prefix ("dp" → "dp-000123"), kept in meta so a reused
 * database never hands out an id twice. */
char *
rl_dev_db_next_id (RlDevServer *srv,
                   const char  *prefix,
                   guint        width)
{
  g_autofree char *key = g_strconcat ("id:", prefix, NULL);
  g_autofree char *value = rl_dev_db_meta_get (srv, key);
  guint64          next = value ? g_ascii_strtoull (value, NULL, 10) + 1 : 1;
  char             buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, next);
  rl_dev_db_meta_set (srv, key, buf);
  return g_strdup_printf ("%s-%0*" G_GUINT64_FORMAT, prefix, (int) width, next);
}

void
rl_dev_db_put_raw (RlDevServer *srv,
                   const char  *entity,
                   const char  *id,
                   const char  *tag,
                   gint64       version,
                   const char  *json)
{
  sqlite3_stmt *st = srv->st_put;

  sqlite3_bind_text (st, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, id, -1, SQLITE_STATIC);
  if (tag != NULL)
    sqlite3_bind_text (st, 3, tag, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (st, 3);
  sqlite3_bind_int64 (st, 4, rl_dev_db_next_seq (srv));
  sqlite3_bind_int64 (st, 5, version);
  sqlite3_bind_text (st, 6, json, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    g_warning ("put %s/%s: %s", entity, id, sqlite3_errmsg (srv->db));
  sqlite3_reset (st);
  sqlite3_clear_bindings (st);
}

char *
rl_dev_json_to_string (JsonNode *node)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

JsonObject *
rl_dev_json_parse_object (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

void
rl_dev_db_put (RlDevServer *srv,
               const char  *entity,
               const char  *id,
               const char  *tag,
               JsonObject  *record)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), record);
  g_autofree char *text = rl_dev_json_to_string (node);
  gint64           version = rl_dev_json_int (record, "version", 0);
  const char      *key = NULL;

  /* the indexed secondary key each entity is filtered by */
  if (g_str_equal (entity, "alert") || g_str_equal (entity, "conflict"))
    key = "status";
  else if (g_str_equal (entity, "run"))
    key = "workflowId";
  else if (g_str_equal (entity, "run_log"))
    key = "runId";
  else if (g_str_equal (entity, "sync_log"))
    key = "jobId";
  if (tag == NULL && key != NULL)
    tag = rl_dev_json_string (record, key, NULL);

  rl_dev_db_put_raw (srv, entity, id, tag, version, text);
}

JsonObject *
rl_dev_db_get (RlDevServer *srv,
               const char  *entity,
               const char  *id)
{
  sqlite3_stmt *st = srv->st_get;
  JsonObject   *object = NULL;

  sqlite3_bind_text (st, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, id, -1, SQLITE_STATIC);
  if (sqlite3_step (st) == SQLITE_ROW)
    object = rl_dev_json_parse_object ((const char *) sqlite3_column_text (st, 0));
  sqlite3_reset (st);
  sqlite3_clear_bindings (st);
  return object;
}

gboolean
rl_dev_db_delete (RlDevServer *srv,
                  const char  *entity,
                  const char  *id)
{
  sqlite3_stmt *st = srv->st_del;
  gboolean      done;

  sqlite3_bind_text (st, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 3, srv->seq + 1);
  done = sqlite3_step (st) == SQLITE_DONE && sqlite3_changes (srv->db) > 0;
  sqlite3_reset (st);
  sqlite3_clear_bindings (st);
  if (done)
    srv->seq++;
  return done;
}

gint64
rl_dev_db_count (RlDevServer *srv,
                 const char  *entity)
{
  sqlite3_stmt *stmt = NULL;
  gint64        n = 0;

  sqlite3_prepare_v2 (srv->db, "SELECT COUNT(*) FROM records WHERE entity = ?1 AND deleted = 0",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* One keyset page of an entity's live records, as raw JSON appended to
 * out_array ("[a,b]"). out_last_id is set only when another page exists. */
gboolean
rl_dev_db_list (RlDevServer *srv,
                const char  *entity,
                const char  *tag,
                const char  *after_id,
                guint        limit,
                gboolean     newest_first,
                GString     *out_array,
                char       **out_last_id,
                gint64      *out_total)
{
  g_autoptr (GString) sql =
      g_string_new ("SELECT id, data FROM records WHERE entity = ?1 AND deleted = 0");
  g_autoptr (GString) where = g_string_new ("");
  sqlite3_stmt *stmt = NULL;
  guint         n = 0;
  int           idx;

  if (tag != NULL)
    g_string_append (where, " AND tag = ?2");

  /* total */
  {
    g_autofree char *count_sql = g_strconcat (
        "SELECT COUNT(*) FROM records WHERE entity = ?1 AND deleted = 0", where->str, NULL);
    sqlite3_prepare_v2 (srv->db, count_sql, -1, &stmt, NULL);
    sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
    if (tag != NULL)
      sqlite3_bind_text (stmt, 2, tag, -1, SQLITE_STATIC);
    *out_total = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
    sqlite3_finalize (stmt);
  }

  g_string_append (sql, where->str);
  if (after_id != NULL)
    g_string_append (sql, newest_first ? " AND id < ?3" : " AND id > ?3");
  g_string_append (sql, newest_first ? " ORDER BY id DESC LIMIT ?4" : " ORDER BY id ASC LIMIT ?4");
  if (sqlite3_prepare_v2 (srv->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  if (tag != NULL)
    sqlite3_bind_text (stmt, 2, tag, -1, SQLITE_STATIC);
  if (after_id != NULL)
    sqlite3_bind_text (stmt, 3, after_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) limit + 1);

  *out_last_id = NULL;
  g_string_append_c (out_array, '[');
  while ((idx = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (n == limit)
        {
          /* there is one more: the cursor is the last id we returned */
          break;
        }
      if (n > 0)
        g_string_append_c (out_array, ',');
      g_string_append (out_array, (const char *) sqlite3_column_text (stmt, 1));
      g_free (*out_last_id);
      *out_last_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      n++;
    }
  if (idx != SQLITE_ROW)
    g_clear_pointer (out_last_id, g_free);
  g_string_append_c (out_array, ']');
  sqlite3_finalize (stmt);
  return TRUE;
}

/* Typed member reads that never warn: bodies come from the wire, and a
 * member of the wrong type reads as the default. */
static JsonNode *
value_member (JsonObject *object,
              const char *key,
              GType       type)
{
  JsonNode *node = object ? json_object_get_member (object, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (type == G_TYPE_DOUBLE)
    return json_node_get_value_type (node) == G_TYPE_DOUBLE
                   || json_node_get_value_type (node) == G_TYPE_INT64
               ? node
               : NULL;
  return json_node_get_value_type (node) == type ? node : NULL;
}

const char *
rl_dev_json_string (JsonObject *object,
                    const char *key,
                    const char *fallback)
{
  JsonNode *node = value_member (object, key, G_TYPE_STRING);

  return node ? json_node_get_string (node) : fallback;
}

gint64
rl_dev_json_int (JsonObject *object,
                 const char *key,
                 gint64      fallback)
{
  JsonNode *node = value_member (object, key, G_TYPE_DOUBLE);

  return node ? json_node_get_int (node) : fallback;
}

double
rl_dev_json_double (JsonObject *object,
                    const char *key,
                    double      fallback)
{
  JsonNode *node = value_member (object, key, G_TYPE_DOUBLE);

  return node ? json_node_get_double (node) : fallback;
}

gboolean
rl_dev_json_bool (JsonObject *object,
                  const char *key,
                  gboolean    fallback)
{
  JsonNode *node = value_member (object, key, G_TYPE_BOOLEAN);

  return node ? json_node_get_boolean (node) : fallback;
}
