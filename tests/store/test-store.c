/* test-store.c — RlStore: files, migrations, batches, changes feed, outbox.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "rl-store-alerts.h"
#include "rl-store-private.h"
#include "rl-store.h"
#include "rl-time.h"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static JsonArray *
parse_array (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

/* A fresh path under the isolated XDG_DATA_HOME. */
static char *
temp_db_path (const char *name)
{
  static guint     counter;
  g_autofree char *file = g_strdup_printf ("%s-%u.sqlite", name, counter++);

  return g_build_filename (g_get_user_data_dir (), "t", file, NULL);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

/* Direct SQLite access, to look at files the way another program would. */
static gint64
raw_int (const char *path,
         const char *sql)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64        value = G_MININT64;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static gint64
store_int (RlStore    *store,
           const char *sql)
{
  return raw_int (rl_store_get_path (store), sql);
}

static void
drop_point_json (GString    *out,
                 const char *id,
                 gint64      version,
                 double      fill)
{
  g_string_append_printf (out,
                          "{\"id\":\"%s\",\"name\":\"Point %s\",\"address\":\"Thamel, Kathmandu\","
                          "\"latitude\":27.7154,\"longitude\":85.3123,\"categories\":[\"PLASTIC\"],"
                          "\"capacityLiters\":1100,\"status\":\"active\",\"deviceId\":\"bin-%s\","
                          "\"fillLevel\":%.1f,\"batteryLevel\":88.0,\"isOnline\":true,"
                          "\"lastReadingAt\":\"2026-11-21T09:30:00.000Z\",\"notes\":\"\","
                          "\"version\":%" G_GINT64_FORMAT
                          ",\"updatedAt\":\"2026-11-21T09:30:00.000Z\"}",
                          id, id, id, fill, version);
}

static JsonObject *
drop_point (const char *id,
            gint64      version,
            double      fill)
{
  g_autoptr (GString) s = g_string_new (NULL);

  drop_point_json (s, id, version, fill);
  return parse_object (s->str);
}

static double
cached_fill (RlStore    *store,
             const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) record = rl_store_get_record (store, "drop_point", id, &error);

  g_assert_no_error (error);
  return json_object_get_double_member (record, "fillLevel");
}

static void
put_drop_points (RlStore     *store,
                 const char **ids)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr (JsonObject) dp = drop_point (ids[i], 1, 10.0);
      g_assert_true (rl_store_batch_upsert (batch, "drop_point", dp, &error));
      g_assert_no_error (error);
    }
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
}

/* ---- Files ---------------------------------------------------------------- */

static void
test_path_for_server (void)
{
  g_autofree char *a = rl_store_path_for_server ("https://api.reloop.np");
  g_autofree char *b = rl_store_path_for_server ("HTTPS://API.ReLoop.np:443/");
  g_autofree char *c = rl_store_path_for_server ("https://api.reloop.np:8443");
  g_autofree char *d = rl_store_path_for_server ("http://127.0.0.1:8080/base/");
  g_autofree char *e = rl_store_path_for_server ("http://127.0.0.1:8080/base");
  g_autofree char *dir =
      g_build_filename (g_get_user_data_dir (), "reloop-console", "servers", NULL);
  g_autofree char *base_a = g_path_get_basename (a);
  g_autofree char *dir_a = g_path_get_dirname (a);

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpstr (d, ==, e);
  g_assert_cmpstr (dir_a, ==, dir);
  g_assert_true (g_str_has_prefix (base_a, "api.reloop.np-443-"));
  g_assert_true (g_str_has_suffix (base_a, ".sqlite"));
  /* host-port-12 hex digits.sqlite */
  g_assert_cmpuint (strlen (base_a), ==, strlen ("api.reloop.np-443-") + 12 + strlen (".sqlite"));
  g_assert_null (rl_store_path_for_server ("https://"));
  /* Refused by the server rule, so never a cache file. */
  g_assert_null (rl_store_path_for_server ("http://reloop.example.org"));

  /* The file name has not changed since the first cache: the digest is of the
   * URL with its port written out, whether or not it was typed. */
  {
    g_autofree char *digest =
        g_compute_checksum_for_string (G_CHECKSUM_SHA256, "https://api.reloop.np:443", -1);
    g_autofree char *expected = NULL;
    g_autofree char *local = rl_store_path_for_server ("http://[::1]:8080/");
    g_autofree char *base_local = g_path_get_basename (local);
    g_autofree char *local_digest =
        g_compute_checksum_for_string (G_CHECKSUM_SHA256, "http://::1:8080", -1);
    g_autofree char *expected_local = NULL;

    digest[12] = '\0';
    expected = g_strdup_printf ("api.reloop.np-443-%s.sqlite", digest);
    g_assert_cmpstr (base_a, ==, expected);
    local_digest[12] = '\0';
    expected_local = g_strdup_printf ("__1-8080-%s.sqlite", local_digest);
    g_assert_cmpstr (base_local, ==, expected_local);
  }
}

static void
test_open_fresh_modes (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) store = NULL;
  g_autofree char *path = temp_db_path ("fresh");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  const char      *ids[] = { "dp-1", NULL };
  mode_t           old_umask;

  /* The modes must not depend on the umask. */
  old_umask = umask (0);
  store = rl_store_open (path, &error);
  g_assert_no_error (error);
  put_drop_points (store, ids);
  umask (old_umask);

  g_assert_cmpuint (rl_store_get_schema_version (store), ==, RL_STORE_SCHEMA_VERSION);
  g_assert_cmpint (store_int (store, "PRAGMA user_version"), ==, RL_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (file_mode (dir), ==, 0700);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);
  g_assert_cmpint (rl_store_get_size (store), >, 0);
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 1);
  g_assert_cmpint (rl_store_count (store, "no_such_thing"), ==, -1);
  g_assert_true (rl_store_is_known_entity ("sync_job"));
  g_assert_false (rl_store_is_known_entity ("customer"));
}

static void
test_open_empty_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) store = NULL;
  g_autofree char *path = temp_db_path ("empty");
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  store = rl_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rl_store_get_schema_version (store), ==, RL_STORE_SCHEMA_VERSION);
  g_assert_cmpint (rl_store_count (store, "quarantine"), ==, 0);
}

static void
test_open_too_new (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) store = NULL;
  g_autofree char *path = temp_db_path ("new");
  g_autofree char *before = NULL, *after = NULL;
  gsize            before_len, after_len;
  sqlite3         *db = NULL;

  store = rl_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  store = rl_store_open (path, &error);
  g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_TOO_NEW);
  g_assert_null (store);
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, 99);
}

static void
test_open_corrupt (void)
{
  const char *contents[] = {
    "this is not a database at all, just some text that is long enough to look like a file",
    NULL,
  };
  g_autofree char *header = g_malloc0 (8192);

  /* A valid magic string followed by garbage. */
  memcpy (header, "SQLite format 3", 16);
  for (guint i = 16; i < 8192; i++)
    header[i] = (char) (i * 7 + 3);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RlStore) store = NULL;
      g_autofree char *path = temp_db_path ("corrupt");
      g_autofree char *dir = g_path_get_dirname (path);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      if (i == 0)
        g_assert_true (g_file_set_contents (path, contents[0], -1, NULL));
      else
        g_assert_true (g_file_set_contents (path, header, 8192, NULL));
      store = rl_store_open (path, &error);
      g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_CORRUPT);
      g_assert_null (store);
    }
}

/* ---- Migrations ----------------------------------------------------------- */

/* Fills a file of schema @version the way that version's console wrote it. */
static void
fill_version (RlStore *store,
              guint    version)
{
  g_autoptr (GError) error = NULL;

  rl_store_exec (store,
                 "INSERT INTO drop_points (id, name, latitude, longitude, status, device_id,"
                 " fill_level, version, json) VALUES ('dp-old', 'Old Point', 27.7, 85.3, 'active',"
                 " 'bin-old', 42.0, 3, '{\"id\":\"dp-old\",\"name\":\"Old Point\",\"version\":3,"
                 "\"fillLevel\":42.0}');"
                 "INSERT INTO conflicts (id, job_id, entity_type, entity_id, status, version, json)"
                 " VALUES ('c-1', 'job-1', 'customer', 'cu-1', 'open', 1,"
                 " '{\"id\":\"c-1\",\"jobId\":\"job-1\",\"version\":1}');"
                 "INSERT INTO meta (key, value) VALUES ('changes_cursor', '1234');"
                 "INSERT INTO alerts (id, drop_point_id, device_id, type, severity, status,"
                 " created_ms, version, json) VALUES ('al-old', 'dp-old', 'bin-old', 'FULL_BIN',"
                 " 'HIGH', 'open', 1000, 1, '{\"id\":\"al-old\",\"version\":1}');",
                 &error);
  g_assert_no_error (error);
  if (version >= 2)
    {
      rl_store_exec (
          store,
          "INSERT INTO readings (device_id, ts_ms, fill_level) VALUES ('bin-old', 1000, 40.0);"
          "INSERT INTO outbox (created_ms, method, path, body, idempotency_key, entity,"
          " entity_id) VALUES (1, 'PATCH', '/drop-points/dp-old', '{\"notes\":\"x\"}',"
          " 'key-1', 'drop_point', 'dp-old');",
          &error);
      g_assert_no_error (error);
    }
  if (version >= 3)
    {
      rl_store_exec (
          store,
          "INSERT INTO quarantine (seen_ms, entity, reason, raw) VALUES (1, 'x', 'bad', '{}');",
          &error);
      g_assert_no_error (error);
    }
}

static void
test_migrations_from_each_version (void)
{
  for (guint version = 1; version < RL_STORE_SCHEMA_VERSION; version++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RlStore) old = NULL;
      g_autoptr (RlStore) store = NULL;
      g_autoptr (JsonObject) record = NULL;
      g_autoptr (JsonObject) local = NULL;
      g_autoptr (RlStoreOutboxEntry) entry = NULL;
      g_autoptr (JsonArray) page = NULL;
      g_autofree char  *path = temp_db_path ("migrate");
      g_autofree char  *conflict_id = NULL;
      RlStoreApplyStats stats;

      g_test_message ("from version %u", version);
      old = rl_store_open_at_version (path, version, &error);
      g_assert_no_error (error);
      g_assert_cmpint (store_int (old, "PRAGMA user_version"), ==, version);
      fill_version (old, version);
      g_clear_object (&old);

      store = rl_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (store_int (store, "PRAGMA user_version"), ==, RL_STORE_SCHEMA_VERSION);

      /* The old data survived. */
      record = rl_store_get_record (store, "drop_point", "dp-old", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_object_get_string_member (record, "name"), ==, "Old Point");
      g_assert_cmpint (rl_store_get_cursor (store), ==, 1234);
      g_assert_cmpint (rl_store_count (store, "conflict"), ==, 1);
      /* Alerts cached before v7 are the server's (the only source then). */
      g_assert_cmpint (store_int (store, "SELECT count(*) FROM alerts WHERE source = 'server'"),
                       ==, 1);
      g_assert_cmpint (rl_store_get_alert_source (store, "al-old", &error), ==,
                       RL_ALERT_SOURCE_SERVER);
      g_assert_no_error (error);
      g_assert_cmpint (rl_store_count (store, "reading"), ==, version >= 2 ? 1 : 0);
      g_assert_cmpint (rl_store_count (store, "quarantine"), ==, version >= 3 ? 1 : 0);
      entry = rl_store_outbox_peek (store, &error);
      g_assert_no_error (error);
      if (version >= 2)
        {
          g_assert_nonnull (entry);
          g_assert_cmpstr (entry->idempotency_key, ==, "key-1");
          g_assert_true (rl_store_outbox_complete (store, entry->id, &error));
          g_assert_no_error (error);
        }
      else
        g_assert_null (entry);

      /* And the current schema's features work on it: a local conflict
       * (job_id NULL, refused by v1's table) and the feed (gen, v4). */
      local = drop_point ("dp-old", 3, 50.0);
      conflict_id = rl_store_add_local_conflict (store, "drop_point", "dp-old", NULL, local, NULL,
                                                 0, &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (conflict_id, "local-"));
      page = parse_array ("[{\"seq\":1300,\"entity\":\"drop_point\",\"id\":\"dp-old\","
                          "\"op\":\"delete\",\"version\":3,\"record\":null}]");
      g_assert_true (rl_store_apply_changes (store, page, 1300, &stats, &error));
      g_assert_no_error (error);
      g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 0);
      g_assert_cmpint (rl_store_get_cursor (store), ==, 1300);
    }
}

static void
test_migration_failure_rolls_back (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) old = NULL;
  g_autoptr (RlStore) store = NULL;
  g_autofree char *path = temp_db_path ("failmig");

  old = rl_store_open_at_version (path, 2, &error);
  g_assert_no_error (error);
  fill_version (old, 2);
  /* Something a v3 step will trip on, after it has already rebuilt conflicts. */
  rl_store_exec (old, "CREATE TABLE quarantine (x);", &error);
  g_assert_no_error (error);
  g_clear_object (&old);

  store = rl_store_open (path, &error);
  g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_MIGRATION);
  g_assert_null (store);

  /* Still version 2, with v2's tables and all its data. */
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, 2);
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM drop_points"), ==, 1);
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM conflicts"), ==, 1);
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM sqlite_master WHERE name = 'conflicts_v3'"),
                   ==, 0);
  g_assert_cmpint (raw_int (path, "SELECT \"notnull\" FROM pragma_table_info('conflicts')"
                                  " WHERE name = 'job_id'"),
                   ==, 1);
}

/* ---- Batches -------------------------------------------------------------- */

static void
test_batch_commit (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("batch");
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autoptr (RlStoreBatch) batch = NULL;
  g_autoptr (JsonObject) dp1 = drop_point ("dp-1", 1, 10.0);
  g_autoptr (JsonObject) dp2 = drop_point ("dp-2", 1, 20.0);
  g_autoptr (JsonObject) pt = parse_object ("{\"type\":\"stripe\",\"kind\":\"payment\","
                                            "\"label\":\"Stripe\",\"fields\":[]}");
  g_autoptr (JsonObject) got = NULL;

  g_assert_no_error (error);
  batch = rl_store_batch_begin (store, &error);
  g_assert_no_error (error);
  g_assert_true (rl_store_batch_upsert (batch, "drop_point", dp1, &error));
  g_assert_true (rl_store_batch_upsert (batch, "drop_point", dp2, &error));
  g_assert_true (rl_store_batch_upsert (batch, "provider_type", pt, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rl_store_batch_add_reading (batch, "bin-dp-1", 1000, 10.0, 5.0, 20.0, 50.0, 90.0,
                                               &error),
                   ==, RL_STORE_READING_ADDED);
  g_assert_cmpint (rl_store_batch_add_reading (batch, "bin-dp-1", 2000, NAN, NAN, NAN, NAN, NAN,
                                               &error),
                   ==, RL_STORE_READING_ADDED);
  g_assert_cmpint (rl_store_batch_add_reading (batch, "bin-dp-1", 1000, 99.0, 5.0, 20.0, 50.0, 90.0,
                                               &error),
                   ==, RL_STORE_READING_DUPLICATE);
  g_assert_no_error (error);
  g_assert_cmpuint (rl_store_batch_get_readings_added (batch), ==, 2);
  g_assert_cmpuint (rl_store_batch_get_readings_duplicate (batch), ==, 1);
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  /* A committed batch refuses more work. */
  g_assert_false (rl_store_batch_upsert (batch, "drop_point", dp1, &error));
  g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_clear_pointer (&batch, rl_store_batch_free);

  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 2);
  g_assert_cmpint (rl_store_count (store, "provider_type"), ==, 1);
  g_assert_cmpint (rl_store_count (store, "reading"), ==, 2);
  g_assert_cmpfloat (cached_fill (store, "dp-2"), ==, 20.0);
  got = rl_store_get_record (store, "provider_type", "stripe", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (got, "label"), ==, "Stripe");
  /* The duplicate changed nothing; NaN became NULL. */
  g_assert_cmpint (store_int (store, "SELECT fill_level FROM readings WHERE ts_ms = 1000"), ==, 10);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM readings WHERE ts_ms = 2000"
                                     " AND fill_level IS NULL AND battery_level IS NULL"),
                   ==, 1);
  /* Hot columns are filled. */
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM drop_points WHERE device_id = 'bin-dp-1'"
                                     " AND is_online = 1 AND last_reading_ms > 0"),
                   ==, 1);

  /* A duplicate in a later batch too. */
  batch = rl_store_batch_begin (store, &error);
  g_assert_cmpint (rl_store_batch_add_reading (batch, "bin-dp-1", 2000, 1, 1, 1, 1, 1, &error),
                   ==, RL_STORE_READING_DUPLICATE);
  g_assert_cmpint (rl_store_batch_add_reading (batch, "bin-dp-2", 2000, 1, 1, 1, 1, 1, &error),
                   ==, RL_STORE_READING_ADDED);
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rl_store_count (store, "reading"), ==, 3);
}

static void
test_batch_rollback (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("rollback");
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autoptr (JsonObject) dp1 = drop_point ("dp-1", 1, 10.0);
  g_autoptr (JsonObject) boom = drop_point ("dp-boom", 1, 10.0);
  g_autoptr (JsonObject) bad_type = parse_object ("{\"id\":\"dp-3\",\"latitude\":\"north\"}");
  g_autoptr (JsonObject) no_id = parse_object ("{\"name\":\"x\"}");

  g_assert_no_error (error);

  /* Freed without commit: nothing stays. */
  {
    g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);
    g_assert_true (rl_store_batch_upsert (batch, "drop_point", dp1, &error));
    g_assert_cmpint (rl_store_batch_add_reading (batch, "bin-1", 1, 1, 1, 1, 1, 1, &error), ==,
                     RL_STORE_READING_ADDED);
    g_assert_no_error (error);
  }
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 0);
  g_assert_cmpint (rl_store_count (store, "reading"), ==, 0);

  /* Bad records are refused with BAD_RECORD / UNKNOWN_ENTITY. */
  {
    g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);
    g_assert_false (rl_store_batch_upsert (batch, "drop_point", bad_type, &error));
    g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_BAD_RECORD);
    g_clear_error (&error);
    g_assert_false (rl_store_batch_upsert (batch, "drop_point", no_id, &error));
    g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_BAD_RECORD);
    g_clear_error (&error);
    g_assert_false (rl_store_batch_upsert (batch, "customer", dp1, &error));
    g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_UNKNOWN_ENTITY);
    g_clear_error (&error);
  }

  /* A failure of SQLite itself in the middle: the caller drops the batch. */
  rl_store_exec (store,
                 "CREATE TRIGGER boom BEFORE INSERT ON drop_points WHEN NEW.id = 'dp-boom'"
                 " BEGIN SELECT RAISE(ABORT, 'boom'); END;",
                 &error);
  g_assert_no_error (error);
  {
    g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);
    g_assert_true (rl_store_batch_upsert (batch, "drop_point", dp1, &error));
    g_assert_cmpint (rl_store_batch_add_reading (batch, "bin-1", 1, 1, 1, 1, 1, 1, &error), ==,
                     RL_STORE_READING_ADDED);
    g_assert_false (rl_store_batch_upsert (batch, "drop_point", boom, &error));
    g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_CONSTRAINT);
    g_clear_error (&error);
  }
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 0);
  g_assert_cmpint (rl_store_count (store, "reading"), ==, 0);

  /* The store is usable afterwards. */
  put_drop_points (store, (const char *[]){ "dp-9", NULL });
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 1);
}

/* ---- Changes feed --------------------------------------------------------- */

static char *
change (gint64      seq,
        const char *op,
        const char *id,
        gint64      version,
        double      fill)
{
  g_autoptr (GString) s = g_string_new (NULL);

  g_string_append_printf (s,
                          "{\"seq\":%" G_GINT64_FORMAT ",\"entity\":\"drop_point\","
                          "\"id\":\"%s\",\"op\":\"%s\",\"version\":%" G_GINT64_FORMAT
                          ",\"record\":",
                          seq, id, op, version);
  if (g_str_equal (op, "upsert"))
    drop_point_json (s, id, version, fill);
  else
    g_string_append (s, "null");
  g_string_append (s, "}");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Takes @json (a change of drop_point_json) and gives it a reading at
 * @when: telemetry replaces the cached one only when its reading is newer
 * (contract §5). */
static char *
with_reading_at (char       *json,
                 const char *when)
{
  g_auto (GStrv) parts = g_strsplit (json, "\"lastReadingAt\":\"2026-11-21T09:30:00.000Z\"", -1);
  g_autofree char *field = g_strdup_printf ("\"lastReadingAt\":\"%s\"", when);

  g_free (json);
  return g_strjoinv (field, parts);
}

static char *
alert_change (gint64      seq,
              const char *op,
              const char *id,
              gint64      version,
              const char *message)
{
  if (g_str_equal (op, "delete"))
    return g_strdup_printf ("{\"seq\":%" G_GINT64_FORMAT ",\"entity\":\"alert\",\"id\":\"%s\","
                            "\"op\":\"delete\",\"version\":%" G_GINT64_FORMAT ",\"record\":null}",
                            seq, id, version);
  return g_strdup_printf (
      "{\"seq\":%" G_GINT64_FORMAT ",\"entity\":\"alert\",\"id\":\"%s\",\"op\":\"upsert\","
      "\"version\":%" G_GINT64_FORMAT ",\"record\":{\"id\":\"%s\",\"dropPointId\":\"dp-1\","
      "\"deviceId\":\"bin-dp-1\",\"type\":\"FULL_BIN\",\"severity\":\"HIGH\",\"message\":\"%s\","
      "\"createdAt\":\"2026-11-21T09:30:00.000Z\",\"status\":\"open\",\"acknowledgedBy\":null,"
      "\"acknowledgedAt\":null,\"version\":%" G_GINT64_FORMAT "}}",
      seq, id, version, id, message, version);
}

/* The FTS5 index of alerts against its content table: 0 when consistent. */
static int
alerts_fts_check (RlStore *store)
{
  sqlite3 *db = NULL;
  int      rc;

  g_assert_cmpint (sqlite3_open (rl_store_get_path (store), &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, "INSERT INTO alerts_fts (alerts_fts, rank) VALUES ('integrity-check', 1)",
                     NULL, NULL, NULL);
  sqlite3_close (db);
  return rc;
}

static gint64
alerts_matching (RlStore    *store,
                 const char *needle)
{
  g_autofree char *sql = g_strdup_printf (
      "SELECT count(*) FROM alerts_fts WHERE alerts_fts MATCH '\"%s\"'", needle);

  return store_int (store, sql);
}

/* The applier keeps the FTS indexes itself, triggers off on its connection
 * (rl-store-fts.c): inserts, updates with the same and with another text,
 * deletes, and an older version leave the index as the triggers would; the
 * triggers are on again afterwards. */
static void
test_changes_fts (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("changes-fts");
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autoptr (JsonArray) page1 = NULL;
  g_autoptr (JsonArray) page2 = NULL;
  g_autofree char  *a1 = alert_change (1, "upsert", "al-1", 1, "Bin almost full");
  g_autofree char  *a2 = alert_change (2, "upsert", "al-2", 1, "Battery low");
  g_autofree char  *a3 = alert_change (3, "upsert", "al-3", 1, "Temperature high");
  g_autofree char  *b1 = alert_change (4, "upsert", "al-1", 2, "Bin almost full");
  g_autofree char  *b2 = alert_change (5, "upsert", "al-2", 2, "Sensor fault");
  g_autofree char  *b3 = alert_change (6, "delete", "al-3", 1, NULL);
  g_autofree char  *b4 = alert_change (7, "upsert", "al-4", 1, "Battery dead");
  g_autofree char  *b5 = alert_change (8, "upsert", "al-1", 1, "Older text");
  g_autofree char  *json1 = NULL, *json2 = NULL;
  RlStoreApplyStats stats;

  g_assert_no_error (error);
  /* The writer reproduces these triggers and no others. */
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"),
                   ==, 12);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                     " AND name NOT GLOB '*_fts_insert'"
                                     " AND name NOT GLOB '*_fts_update'"
                                     " AND name NOT GLOB '*_fts_delete'"),
                   ==, 0);

  json1 = g_strdup_printf ("[%s,%s,%s]", a1, a2, a3);
  page1 = parse_array (json1);
  g_assert_true (rl_store_apply_changes (store, page1, 3, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 3);
  g_assert_cmpint (alerts_fts_check (store), ==, SQLITE_OK);
  g_assert_cmpint (alerts_matching (store, "battery"), ==, 1);
  g_assert_cmpint (alerts_matching (store, "temperature"), ==, 1);

  json2 = g_strdup_printf ("[%s,%s,%s,%s,%s]", b1, b2, b3, b4, b5);
  page2 = parse_array (json2);
  g_assert_true (rl_store_apply_changes (store, page2, 8, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 3);
  g_assert_cmpuint (stats.deleted, ==, 1);
  g_assert_cmpuint (stats.skipped_older, ==, 1);
  g_assert_cmpint (alerts_fts_check (store), ==, SQLITE_OK);
  g_assert_cmpint (alerts_matching (store, "almost full"), ==, 1);
  g_assert_cmpint (alerts_matching (store, "older"), ==, 0);
  g_assert_cmpint (alerts_matching (store, "battery"), ==, 1); /* al-4 only */
  g_assert_cmpint (alerts_matching (store, "sensor fault"), ==, 1);
  g_assert_cmpint (alerts_matching (store, "temperature"), ==, 0);

  /* Other writes on the same connection go through the triggers again. */
  {
    g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);
    g_autoptr (JsonObject) record = parse_object (
        "{\"id\":\"al-5\",\"type\":\"OFFLINE\",\"message\":\"Offline since noon\","
        "\"status\":\"open\",\"version\":1}");

    g_assert_no_error (error);
    g_assert_true (rl_store_batch_upsert (batch, "alert", record, &error));
    g_assert_no_error (error);
    g_assert_true (rl_store_batch_commit (batch, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (alerts_matching (store, "since noon"), ==, 1);
  g_assert_cmpint (alerts_fts_check (store), ==, SQLITE_OK);
}

static void
test_changes_apply (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("changes");
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autoptr (JsonArray) page1 = NULL;
  g_autoptr (JsonArray) page2 = NULL;
  g_autofree char *c1 = change (5, "upsert", "dp-1", 3, 10.0);
  g_autofree char *c2 = change (3, "upsert", "dp-2", 1, 20.0); /* out of order on purpose */
  g_autofree char *c3 = change (7, "upsert", "dp-3", 1, 30.0);
  g_autofree char *json1 = NULL, *json2 = NULL;
  g_autofree char *e1 = change (10, "upsert", "dp-1", 2, 99.0); /* older: ignored */
  /* equal: applied (a newer reading, as the server's telemetry moves on) */
  g_autofree char  *e2 = with_reading_at (change (11, "upsert", "dp-2", 1, 25.0),
                                          "2026-11-21T09:35:00.000Z");
  g_autofree char  *e3 = change (12, "delete", "dp-3", 1, 0);
  g_autofree char  *e4 = change (13, "delete", "dp-never-seen", 4, 0);
  RlStoreApplyStats stats;
  g_autoptr (GString) quarantine_probe = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_cmpint (rl_store_get_cursor (store), ==, 0);

  json1 = g_strdup_printf ("[%s,%s,%s]", c1, c2, c3);
  page1 = parse_array (json1);
  g_assert_true (rl_store_apply_changes (store, page1, 7, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 3);
  g_assert_cmpuint (stats.quarantined, ==, 0);
  g_assert_cmpint (rl_store_get_cursor (store), ==, 7);
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 3);

  json2 = g_strdup_printf (
      "[%s,%s,%s,%s,"
      /* unknown entity */
      "{\"seq\":14,\"entity\":\"customer\",\"id\":\"cu-1\",\"op\":\"upsert\","
      "\"version\":1,\"record\":{\"id\":\"cu-1\"}},"
      /* wrong type inside the record */
      "{\"seq\":15,\"entity\":\"drop_point\",\"id\":\"dp-4\",\"op\":\"upsert\","
      "\"version\":1,\"record\":{\"id\":\"dp-4\",\"latitude\":\"north\","
      "\"version\":1}},"
      /* wrong type in the envelope */
      "{\"seq\":\"16\",\"entity\":\"drop_point\",\"id\":\"dp-5\",\"op\":\"upsert\","
      "\"version\":1,\"record\":{\"id\":\"dp-5\",\"version\":1}},"
      /* not an object */
      "42,"
      /* id mismatch */
      "{\"seq\":17,\"entity\":\"drop_point\",\"id\":\"dp-6\",\"op\":\"upsert\","
      "\"version\":1,\"record\":{\"id\":\"dp-7\",\"version\":1}}]",
      e1, e2, e3, e4);
  page2 = parse_array (json2);
  g_assert_true (rl_store_apply_changes (store, page2, 20, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 1);
  g_assert_cmpuint (stats.skipped_older, ==, 1);
  g_assert_cmpuint (stats.deleted, ==, 2);
  g_assert_cmpuint (stats.quarantined, ==, 5);
  g_assert_cmpint (rl_store_get_cursor (store), ==, 20);

  g_assert_cmpfloat (cached_fill (store, "dp-1"), ==, 10.0);
  g_assert_cmpfloat (cached_fill (store, "dp-2"), ==, 25.0);
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 2);
  g_assert_cmpint (rl_store_count (store, "quarantine"), ==, 5);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM quarantine WHERE reason LIKE"
                                     " '%unknown entity%' AND raw LIKE '%cu-1%'"),
                   ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM quarantine WHERE reason LIKE"
                                     " '%latitude%' AND entity_id = 'dp-4'"),
                   ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM quarantine WHERE raw = '42'"), ==, 1);

  /* A record without its own version is cached with the entry's. */
  {
    g_autoptr (JsonArray) page3 = parse_array (
        "[{\"seq\":21,\"entity\":\"alert\",\"id\":\"al-1\",\"op\":\"upsert\",\"version\":5,"
        "\"record\":{\"id\":\"al-1\",\"status\":\"open\"}},"
        "{\"seq\":22,\"entity\":\"alert\",\"id\":\"al-1\",\"op\":\"upsert\",\"version\":4,"
        "\"record\":{\"id\":\"al-1\",\"status\":\"resolved\"}}]");

    g_assert_true (rl_store_apply_changes (store, page3, 22, &stats, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (stats.applied, ==, 1);
    g_assert_cmpuint (stats.skipped_older, ==, 1);
    g_assert_cmpint (store_int (store, "SELECT version FROM alerts WHERE id = 'al-1'"
                                       " AND status = 'open'"),
                     ==, 5);
  }
}

/* Numbers json-glib 1.6 writes as SQLite cannot read them ("1e+21.0",
 * "1e-07.0", "inf.0"): the page applied once, and the next write of the
 * record failed with "malformed JSON" for good
 * (tests/fuzz/corpus/changes/crash-exponent-number). */
static void
test_changes_big_numbers (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("numbers");
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  const char *first = "[{\"seq\":1,\"entity\":\"drop_point\",\"id\":\"dp-1\",\"op\":"
                      "\"upsert\",\"version\":1,\"record\":{\"id\":\"dp-1\",\"version\":1,"
                      "\"name\":\"e\",\"capacityLiters\":1e21,\"weight\":1e-7,\"fillLevel\":50,"
                      "\"lastReadingAt\":\"2026-11-21T09:30:00.000Z\","
                      "\"extra\":[1e400,-1e400,2.5e30,\"1e+21.0 inf.0\"]}}]";
  const char *second = "[{\"seq\":2,\"entity\":\"drop_point\",\"id\":\"dp-1\",\"op\":"
                       "\"upsert\",\"version\":2,\"record\":{\"id\":\"dp-1\",\"version\":2,"
                       "\"name\":\"f\\u001f\",\"capacityLiters\":1e21,\"weight\":1e-7}}]";
  g_autoptr (JsonArray) page1 = parse_array (first);
  g_autoptr (JsonArray) page2 = parse_array (second);
  g_autoptr (JsonObject) record = NULL;
  RlStoreApplyStats stats;
  g_autofree char  *fixed = NULL;

  g_assert_no_error (error);
  g_assert_true (rl_store_apply_changes (store, page1, 1, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 1);
  g_assert_true (rl_store_apply_changes (store, page2, 2, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 1);
  record = rl_store_get_record (store, "drop_point", "dp-1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpfloat (json_object_get_double_member (record, "capacityLiters"), ==, 1e21);
  g_assert_cmpfloat (json_object_get_double_member (record, "weight"), ==, 1e-7);

  fixed = rl_store_json_fix ("[1e+21.0,-inf.0,nan.0,1.5e+30,2.0,null,\"1e+21.0\\\"inf.0\x1f\",true]");
  g_assert_cmpstr (fixed, ==, "[1e+21,null,null,1.5e+30,2.0,null,\"1e+21.0\\\"inf.0\\u001f\",true]");
}

static void
test_changes_atomic (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("atomic");
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autofree char *c1 = change (1, "upsert", "dp-1", 1, 10.0);
  g_autofree char *c2 = change (2, "upsert", "dp-2", 1, 20.0);
  g_autofree char *c3 = change (3, "upsert", "dp-boom", 1, 30.0);
  g_autofree char *c4 = change (4, "upsert", "dp-4", 1, 40.0);
  g_autofree char *json = g_strdup_printf ("[%s,%s,{\"seq\":3,\"entity\":\"x\"},%s,%s]",
                                           c1, c2, c3, c4);
  g_autoptr (JsonArray) page = parse_array (json);
  g_autoptr (JsonArray) first = NULL;
  g_autofree char  *first_json = g_strdup_printf ("[%s]", c1);
  RlStoreApplyStats stats = {
    0,
  };

  g_assert_no_error (error);
  first = parse_array (first_json);
  g_assert_true (rl_store_apply_changes (store, first, 1, &stats, &error));
  g_assert_no_error (error);

  /* The third entry fails inside SQLite, after two writes and a quarantine
   * (a unique index: the applier's connection runs without triggers). */
  rl_store_exec (store,
                 "CREATE UNIQUE INDEX boom ON drop_points (status)"
                 " WHERE id IN ('dp-1', 'dp-boom')",
                 &error);
  g_assert_no_error (error);
  g_assert_false (rl_store_apply_changes (store, page, 4, &stats, &error));
  g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_assert_cmpint (rl_store_get_cursor (store), ==, 1);
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 1);
  g_assert_cmpint (rl_store_count (store, "quarantine"), ==, 0);

  /* A new connection (another process after a crash) sees the same. */
  {
    g_autoptr (RlStore) other = rl_store_open (path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (rl_store_get_cursor (other), ==, 1);
    g_assert_cmpint (rl_store_count (other, "drop_point"), ==, 1);
  }

  /* Once the fault is gone the same page applies. */
  rl_store_exec (store, "DROP INDEX boom", &error);
  g_assert_no_error (error);
  g_assert_true (rl_store_apply_changes (store, page, 4, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 4);
  g_assert_cmpuint (stats.quarantined, ==, 1);
  g_assert_cmpint (rl_store_get_cursor (store), ==, 4);
}

static void
test_changes_pending_edit (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("pending");
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autoptr (JsonObject) base = drop_point ("dp-1", 1, 10.0);
  g_autoptr (JsonObject) local = drop_point ("dp-1", 1, 10.0);
  g_autoptr (JsonNode) body = json_from_string ("{\"notes\":\"local edit\"}", NULL);
  g_autofree char *c1 = change (2, "upsert", "dp-1", 1, 55.0);
  g_autofree char *json = g_strdup_printf ("[%s]", c1);
  g_autoptr (JsonArray) page = parse_array (json);
  g_autoptr (JsonObject) got = NULL;
  RlStoreApplyStats stats;

  g_assert_no_error (error);
  put_drop_points (store, (const char *[]){ "dp-1", NULL });
  json_object_set_string_member (local, "notes", "local edit");
  g_assert_cmpint (rl_store_outbox_enqueue (store, "PATCH", "/drop-points/dp-1", body, "\"1\"",
                                            "drop_point", "dp-1", base, local, NULL, &error),
                   >, 0);
  g_assert_no_error (error);

  g_assert_true (rl_store_apply_changes (store, page, 2, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.skipped_pending, ==, 1);
  got = rl_store_get_record (store, "drop_point", "dp-1", &error);
  g_assert_cmpstr (json_object_get_string_member (got, "notes"), ==, "local edit");
  g_assert_cmpint (rl_store_get_cursor (store), ==, 2);
}

static void
test_reload (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("reload");
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autoptr (JsonObject) local = drop_point ("dp-3", 1, 10.0);
  g_autofree char *c1 =
      with_reading_at (change (50, "upsert", "dp-1", 2, 11.0), "2026-11-21T09:35:00.000Z");
  g_autofree char *json = g_strdup_printf ("[%s]", c1);
  g_autoptr (JsonArray) page = parse_array (json);
  g_autofree char  *conflict = NULL;
  RlStoreApplyStats stats;

  g_assert_no_error (error);
  put_drop_points (store, (const char *[]){ "dp-1", "dp-2", "dp-3", NULL });
  g_assert_true (rl_store_set_meta (store, "changes_cursor", "40", &error));
  g_assert_cmpint (rl_store_outbox_enqueue (store, "PATCH", "/drop-points/dp-3", NULL, "\"1\"",
                                            "drop_point", "dp-3", NULL, local, NULL, &error),
                   >, 0);
  conflict =
      rl_store_add_local_conflict (store, "drop_point", "dp-9", NULL, local, NULL, 0, &error);
  g_assert_no_error (error);

  g_assert_false (rl_store_is_reloading (store));
  g_assert_true (rl_store_reset_for_reload (store, &error));
  g_assert_no_error (error);
  g_assert_true (rl_store_is_reloading (store));
  g_assert_cmpint (rl_store_get_cursor (store), ==, 0);

  /* The reload brings dp-1 only. */
  g_assert_true (rl_store_apply_changes (store, page, 50, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rl_store_finish_reload (store, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_false (rl_store_is_reloading (store));

  g_assert_cmpfloat (cached_fill (store, "dp-1"), ==, 11.0);
  g_assert_null (rl_store_get_record (store, "drop_point", "dp-2", &error));
  g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* An unsent edit and a local conflict are ours, not the server's. */
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 2);
  g_assert_cmpint (rl_store_count (store, "conflict"), ==, 1);
  g_assert_cmpint (rl_store_get_cursor (store), ==, 50);
}

/* ---- Outbox and conflicts ------------------------------------------------- */

static void
test_outbox (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("outbox");
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autoptr (JsonObject) base = drop_point ("dp-1", 1, 10.0);
  g_autoptr (JsonObject) local = drop_point ("dp-1", 1, 10.0);
  g_autoptr (JsonObject) local2 = drop_point ("dp-2", 1, 10.0);
  g_autoptr (JsonNode) body = json_from_string ("{\"status\":\"maintenance\"}", NULL);
  g_autoptr (RlStoreOutboxEntry) entry = NULL;
  g_autoptr (RlStoreOutboxEntry) second = NULL;
  g_autoptr (JsonObject) got = NULL;
  gint64 id1, id2;

  g_assert_no_error (error);
  put_drop_points (store, (const char *[]){ "dp-1", "dp-2", NULL });
  json_object_set_string_member (local, "status", "maintenance");

  id1 = rl_store_outbox_enqueue (store, "PATCH", "/drop-points/dp-1", body, "\"1\"",
                                 "drop_point", "dp-1", base, local, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id1, >, 0);
  got = rl_store_get_record (store, "drop_point", "dp-1", &error);
  g_assert_cmpstr (json_object_get_string_member (got, "status"), ==, "maintenance");

  id2 = rl_store_outbox_enqueue (store, "DELETE", "/drop-points/dp-2", NULL, "\"1\"",
                                 "drop_point", "dp-2", local2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id2, >, id1);
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 1);
  g_assert_cmpint (rl_store_outbox_count (store), ==, 2);

  entry = rl_store_outbox_peek (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry->id, ==, id1);
  g_assert_cmpstr (entry->method, ==, "PATCH");
  g_assert_cmpstr (entry->path, ==, "/drop-points/dp-1");
  g_assert_cmpstr (entry->body, ==, "{\"status\":\"maintenance\"}");
  g_assert_cmpstr (entry->if_match, ==, "\"1\"");
  g_assert_true (g_uuid_string_is_valid (entry->idempotency_key));
  g_assert_cmpstr (entry->entity_id, ==, "dp-1");
  g_assert_nonnull (strstr (entry->base, "\"status\":\"active\""));
  g_assert_null (entry->secret_ref);
  g_assert_cmpuint (entry->attempts, ==, 0);

  g_assert_true (rl_store_outbox_fail (store, id1, "HTTP 503", &error));
  g_clear_pointer (&entry, rl_store_outbox_entry_free);
  entry = rl_store_outbox_peek (store, &error);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_cmpstr (entry->last_error, ==, "HTTP 503");

  g_assert_true (rl_store_outbox_complete (store, id1, &error));
  g_assert_no_error (error);
  second = rl_store_outbox_peek (store, &error);
  g_assert_cmpint (second->id, ==, id2);
  g_assert_cmpstr (second->idempotency_key, !=, entry->idempotency_key);
  g_assert_true (rl_store_outbox_complete (store, id2, &error));
  g_assert_cmpint (rl_store_outbox_count (store), ==, 0);
  g_clear_pointer (&entry, rl_store_outbox_entry_free);
  entry = rl_store_outbox_peek (store, &error);
  g_assert_no_error (error);
  g_assert_null (entry);
}

static void
test_outbox_atomic (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("outbox-atomic");
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autoptr (JsonObject) local = drop_point ("dp-1", 1, 10.0);
  g_autoptr (JsonObject) bad = parse_object ("{\"id\":\"dp-1\",\"isOnline\":\"yes\"}");

  g_assert_no_error (error);
  put_drop_points (store, (const char *[]){ "dp-1", NULL });
  json_object_set_string_member (local, "name", "Renamed");

  /* The outbox row cannot be written: the record change must not stay. */
  rl_store_exec (store,
                 "CREATE TRIGGER boom BEFORE INSERT ON outbox"
                 " BEGIN SELECT RAISE(ABORT, 'boom'); END;",
                 &error);
  g_assert_no_error (error);
  g_assert_cmpint (rl_store_outbox_enqueue (store, "PATCH", "/drop-points/dp-1", NULL, "\"1\"",
                                            "drop_point", "dp-1", NULL, local, NULL, &error),
                   ==, 0);
  g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM drop_points WHERE name = 'Point dp-1'"),
                   ==, 1);
  g_assert_cmpint (rl_store_outbox_count (store), ==, 0);
  rl_store_exec (store, "DROP TRIGGER boom", &error);

  /* A bad local record: no outbox row either. */
  g_assert_cmpint (rl_store_outbox_enqueue (store, "PATCH", "/drop-points/dp-1", NULL, "\"1\"",
                                            "drop_point", "dp-1", NULL, bad, NULL, &error),
                   ==, 0);
  g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_BAD_RECORD);
  g_clear_error (&error);
  g_assert_cmpint (rl_store_outbox_count (store), ==, 0);

  /* A secret write names the keyring item only. */
  g_assert_cmpint (rl_store_outbox_enqueue (store, "PUT", "/providers/p-1/secrets/apiKey", NULL,
                                            NULL, NULL, NULL, NULL, NULL,
                                            "provider-secret:p-1:apiKey", &error),
                   >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM outbox WHERE body IS NULL"
                                     " AND secret_ref = 'provider-secret:p-1:apiKey'"),
                   ==, 1);
}

static void
test_local_conflict (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("conflict");
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autoptr (JsonObject) base = drop_point ("dp-1", 1, 10.0);
  g_autoptr (JsonObject) local = drop_point ("dp-1", 1, 10.0);
  g_autoptr (JsonObject) remote = drop_point ("dp-1", 2, 10.0);
  g_autoptr (JsonObject) got = NULL;
  g_autofree char *id = NULL;
  gint64           outbox_id;

  g_assert_no_error (error);
  json_object_set_string_member (local, "name", "Mine");
  json_object_set_string_member (remote, "name", "Theirs");
  outbox_id = rl_store_outbox_enqueue (store, "PATCH", "/drop-points/dp-1", NULL, "\"1\"",
                                       "drop_point", "dp-1", base, local, NULL, &error);
  g_assert_no_error (error);

  id = rl_store_add_local_conflict (store, "drop_point", "dp-1", base, local, remote, outbox_id,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpint (rl_store_outbox_count (store), ==, 0);

  got = rl_store_get_record (store, "conflict", id, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_null_member (got, "jobId"));
  g_assert_cmpstr (json_object_get_string_member (got, "entityType"), ==, "drop_point");
  g_assert_cmpstr (json_object_get_string_member (got, "status"), ==, "open");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (got, "local"),
                                                  "name"),
                   ==, "Mine");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (got, "remote"),
                                                  "name"),
                   ==, "Theirs");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (got, "base"),
                                               "version"),
                   ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM conflicts WHERE job_id IS NULL"
                                     " AND status = 'open' AND entity_id = 'dp-1'"),
                   ==, 1);
}

/* ---- Telemetry and history ------------------------------------------------ */

static void
test_telemetry (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("telemetry");
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autoptr (JsonObject) got = NULL;
  g_autoptr (JsonArray) history = NULL;
  g_autoptr (JsonArray) limited = NULL;
  gint64      t0, t_old, t_new;
  JsonObject *first;

  g_assert_no_error (error);
  put_drop_points (store, (const char *[]){ "dp-1", NULL });
  g_assert_true (rl_time_parse_ms ("2026-11-21T09:30:00.000Z", &t0));
  t_old = t0 - 30 * 60 * 1000;
  t_new = t0 + 30 * 60 * 1000;

  {
    g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);

    g_assert_cmpint (rl_store_batch_add_reading (batch, "bin-dp-1", t_new, 70.0, 40.0, 25.0, 60.0,
                                                 NAN, &error),
                     ==, RL_STORE_READING_ADDED);
    g_assert_cmpint (rl_store_batch_update_telemetry (batch, "bin-dp-1", t_new, 70.0, 40.0, 25.0,
                                                      60.0, NAN, &error),
                     ==, 1);
    /* Older than the current reading: history only. */
    g_assert_cmpint (rl_store_batch_add_reading (batch, "bin-dp-1", t_old, 5.0, NAN, NAN, NAN, NAN,
                                                 &error),
                     ==, RL_STORE_READING_ADDED);
    g_assert_cmpint (rl_store_batch_update_telemetry (batch, "bin-dp-1", t_old, 5.0, NAN, NAN, NAN,
                                                      NAN, &error),
                     ==, 0);
    g_assert_cmpint (rl_store_batch_update_telemetry (batch, "bin-unknown", t_new, 5.0, NAN, NAN,
                                                      NAN, NAN, &error),
                     ==, 0);
    g_assert_true (rl_store_batch_commit (batch, &error));
    g_assert_no_error (error);
  }

  got = rl_store_get_record (store, "drop_point", "dp-1", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (json_object_get_double_member (got, "fillLevel"), ==, 70.0);
  g_assert_cmpfloat (json_object_get_double_member (got, "weight"), ==, 40.0);
  /* NAN left the battery as it was; the version is the server's. */
  g_assert_cmpfloat (json_object_get_double_member (got, "batteryLevel"), ==, 88.0);
  g_assert_cmpstr (json_object_get_string_member (got, "lastReadingAt"), ==,
                   "2026-11-21T10:00:00.000Z");
  g_assert_true (json_object_get_boolean_member (got, "isOnline"));
  g_assert_cmpint (json_object_get_int_member (got, "version"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT fill_level FROM drop_points WHERE id = 'dp-1'"), ==,
                   70);

  history = rl_store_get_readings (store, "bin-dp-1", 0, G_MAXINT64, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (history), ==, 2);
  first = json_array_get_object_element (history, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "timestamp"), ==,
                   "2026-11-21T09:00:00.000Z");
  g_assert_cmpfloat (json_object_get_double_member (first, "fillLevel"), ==, 5.0);
  g_assert_true (json_object_get_null_member (first, "weight"));
  g_assert_true (json_object_get_null_member (json_array_get_object_element (history, 1),
                                              "batteryLevel"));

  limited = rl_store_get_readings (store, "bin-dp-1", t0, G_MAXINT64, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (limited), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (limited, 0),
                                                    "fillLevel"),
                     ==, 70.0);
}

/* ---- Reads and connections ------------------------------------------------ */

static gboolean
collect_cb (const RlStoreDropPoint *dp,
            gpointer                user_data)
{
  GPtrArray *ids = user_data;

  if (g_str_equal (dp->id, "dp-0"))
    {
      /* Nulls come out as NULL / NAN. */
      g_assert_null (dp->device_id);
      g_assert_true (isnan (dp->fill_level));
      g_assert_true (isnan (dp->latitude));
    }
  else
    {
      g_assert_cmpfloat (dp->latitude, ==, 27.7154);
      g_assert_cmpfloat (dp->fill_level, ==, 10.0);
      g_assert_true (dp->is_online);
      g_assert_cmpint (dp->last_reading_ms, >, 0);
      g_assert_cmpint (dp->version, ==, 1);
    }
  g_ptr_array_add (ids, g_strdup (dp->id));
  /* Stop after three: the walk must honour it. */
  return ids->len < 3;
}

static void
test_foreach_and_second_connection (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("foreach");
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autoptr (RlStore) worker = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonObject) nullable = parse_object ("{\"id\":\"dp-0\",\"deviceId\":null,"
                                                  "\"fillLevel\":null,\"version\":1}");

  g_assert_no_error (error);
  put_drop_points (store, (const char *[]){ "dp-1", "dp-2", "dp-3", NULL });

  /* A worker's own connection writes; the first one reads it. */
  worker = rl_store_open (path, &error);
  g_assert_no_error (error);
  {
    g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (worker, &error);
    g_assert_true (rl_store_batch_upsert (batch, "drop_point", nullable, &error));
    g_assert_true (rl_store_batch_commit (batch, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 4);

  g_assert_true (rl_store_foreach_drop_point (store, collect_cb, ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "dp-0");
  g_assert_cmpstr (g_ptr_array_index (ids, 2), ==, "dp-2");
}

/* Two writer threads, each on its own connection, and a reader on a third:
 * WAL plus BEGIN IMMEDIATE and the busy timeout serialise the writers. */
typedef struct
{
  const char *path;
  guint       writer;
  gint       *done;
} WriterData;

#define WRITER_BATCHES 10
#define WRITER_ROWS 200

static gpointer
writer_thread (gpointer user_data)
{
  WriterData *data = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) store = rl_store_open (data->path, &error);

  g_assert_no_error (error);
  for (guint b = 0; b < WRITER_BATCHES; b++)
    {
      g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);

      g_assert_no_error (error);
      for (guint r = 0; r < WRITER_ROWS; r++)
        {
          g_autofree char *id = g_strdup_printf ("w%u-%u-%u", data->writer, b, r);
          g_autoptr (JsonObject) dp = drop_point (id, 1, r % 100);
          char device[32];

          g_assert_true (rl_store_batch_upsert (batch, "drop_point", dp, &error));
          g_snprintf (device, sizeof device, "bin-w%u", data->writer);
          g_assert_cmpint (rl_store_batch_add_reading (batch, device, b * WRITER_ROWS + r,
                                                       r, NAN, NAN, NAN, NAN, &error),
                           ==, RL_STORE_READING_ADDED);
        }
      g_assert_true (rl_store_batch_commit (batch, &error));
      g_assert_no_error (error);
    }
  g_atomic_int_inc (data->done);
  return NULL;
}

static void
test_concurrent_connections (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("threads");
  g_autoptr (RlStore) reader = rl_store_open (path, &error);
  WriterData data[2];
  GThread   *threads[2];
  gint       done = 0;
  gint64     last = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      data[i] = (WriterData){ rl_store_get_path (reader), i, &done };
      threads[i] = g_thread_new ("store-writer", writer_thread, &data[i]);
    }

  /* The reader sees whole batches only, never a half-written one. */
  while (g_atomic_int_get (&done) < 2)
    {
      gint64 count = rl_store_count (reader, "drop_point");

      g_assert_cmpint (count % WRITER_ROWS, ==, 0);
      g_assert_cmpint (count, >=, last);
      last = count;
      g_usleep (1000);
    }
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  g_assert_cmpint (rl_store_count (reader, "drop_point"), ==, 2 * WRITER_BATCHES * WRITER_ROWS);
  g_assert_cmpint (rl_store_count (reader, "reading"), ==, 2 * WRITER_BATCHES * WRITER_ROWS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/path-for-server", test_path_for_server);
  g_test_add_func ("/store/open/fresh-modes", test_open_fresh_modes);
  g_test_add_func ("/store/open/empty-file", test_open_empty_file);
  g_test_add_func ("/store/open/too-new", test_open_too_new);
  g_test_add_func ("/store/open/corrupt", test_open_corrupt);
  g_test_add_func ("/store/migrations/from-each-version", test_migrations_from_each_version);
  g_test_add_func ("/store/migrations/failure-rolls-back", test_migration_failure_rolls_back);
  g_test_add_func ("/store/batch/commit", test_batch_commit);
  g_test_add_func ("/store/batch/rollback", test_batch_rollback);
  g_test_add_func ("/store/changes/apply", test_changes_apply);
  g_test_add_func ("/store/changes/big-numbers", test_changes_big_numbers);
  g_test_add_func ("/store/changes/fts", test_changes_fts);
  g_test_add_func ("/store/changes/atomic", test_changes_atomic);
  g_test_add_func ("/store/changes/pending-edit", test_changes_pending_edit);
  g_test_add_func ("/store/changes/reload", test_reload);
  g_test_add_func ("/store/outbox/order", test_outbox);
  g_test_add_func ("/store/outbox/atomic", test_outbox_atomic);
  g_test_add_func ("/store/conflicts/local", test_local_conflict);
  g_test_add_func ("/store/telemetry/current-and-history", test_telemetry);
  g_test_add_func ("/store/read/foreach-and-worker", test_foreach_and_second_connection);
  g_test_add_func ("/store/read/concurrent-connections", test_concurrent_connections);

  return g_test_run ();
}
