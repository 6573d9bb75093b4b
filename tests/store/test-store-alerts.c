/* test-store-alerts.c — alert records from every source in the cache:
 * migration v7, console alerts (feed, local) added once per device and
 * type, resolved by their condition, acknowledged and resolved in the
 * cache alone, superseded by the server's through /changes, kept by a
 * reload, announced by the store monitor.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "rl-store-alerts.h"
#include "rl-store-monitor.h"
#include "rl-store.h"
#include "rl-time.h"

/* 2026-01-01T00:00:00Z */
#define T0 G_GINT64_CONSTANT (1767225600000)

static char *
temp_db_path (const char *name)
{
  static guint     counter;
  g_autofree char *file = g_strdup_printf ("%s-%u.sqlite", name, counter++);

  return g_build_filename (g_get_user_data_dir (), "t", file, NULL);
}

/* Another program's look at the file: a connection of its own. */
static char *
raw_text (RlStore    *store,
          const char *sql)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char         *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (rl_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static gint64
raw_int (RlStore    *store,
         const char *sql)
{
  g_autofree char *text = raw_text (store, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

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

static RlStore *
open_with_points (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path (name);
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  g_autoptr (RlStoreBatch) batch = NULL;

  g_assert_no_error (error);
  batch = rl_store_batch_begin (store, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *json = g_strdup_printf (
          "{\"id\":\"dp-%u\",\"name\":\"Ason Tole %u\",\"address\":\"Kathmandu\",\"deviceId\":"
          "\"bin-%u\",\"latitude\":27.7,\"longitude\":85.3,\"status\":\"active\",\"version\":1}",
          i, i, i);
      g_autoptr (JsonObject) record = parse_object (json);

      g_assert_true (rl_store_batch_upsert (batch, "drop_point", record, &error));
      g_assert_no_error (error);
    }
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static RlStoreAlertResult
add_alert (RlStore      *store,
           RlAlertSource source,
           const char   *device,
           const char   *type,
           gint64        when_ms,
           double        value)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);
  g_autofree char *dp = g_strdup_printf ("dp-%s", device + strlen ("bin-"));
  RlStoreAlertSpec spec = {
    .source = source,
    .drop_point_id = dp,
    .device_id = device,
    .type = type,
    .severity = "HIGH",
    .message = "Fill level 92 % is above 85 %",
    .created_ms = when_ms,
    .rule_value = value,
    .rule_threshold = isnan (value) ? NAN : 85,
  };
  RlStoreAlertResult result;

  g_assert_no_error (error);
  result = rl_store_batch_add_alert (batch, &spec, &error);
  g_assert_no_error (error);
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  return result;
}

static JsonObject *
cached_alert (RlStore    *store,
              const char *id)
{
  g_autoptr (GError) error = NULL;
  JsonObject *record = rl_store_get_record (store, "alert", id, &error);

  g_assert_no_error (error);
  return record;
}

static const char *
string_of (JsonObject *object,
           const char *member)
{
  return json_object_get_string_member_with_default (object, member, NULL);
}

static gint64
open_of (RlStore    *store,
         const char *device,
         const char *type)
{
  g_autofree char *sql = g_strdup_printf (
      "SELECT count(*) FROM alerts WHERE device_id = '%s' AND type = '%s'"
      " AND status IN ('open', 'acknowledged')",
      device, type);

  return raw_int (store, sql);
}

/* ---- Migration -------------------------------------------------------------- */

static void
test_migration_v7 (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_db_path ("v6");
  g_autoptr (RlStore) old = rl_store_open_at_version (path, 6, &error);
  g_autoptr (RlStore) store = NULL;
  g_autofree char *ack = NULL;

  g_assert_no_error (error);
  /* Two alerts as a v6 console cached them from /changes. */
  rl_store_exec (
      old,
      "INSERT INTO alerts (id, drop_point_id, device_id, type, severity, status, created_ms,"
      " version, json, message, search_text) VALUES"
      " ('al-1', 'dp-1', 'bin-1', 'FULL_BIN', 'HIGH', 'open', 1000, 2,"
      "  '{\"id\":\"al-1\",\"status\":\"open\",\"version\":2}', 'Full', 'full_bin'),"
      " ('al-2', 'dp-1', 'bin-1', 'LOW_BATTERY', 'MEDIUM', 'resolved', 2000, 3,"
      "  '{\"id\":\"al-2\",\"status\":\"resolved\",\"resolvedBy\":\"ram@example.np\","
      "\"resolvedAt\":\"2026-01-01T00:00:00Z\",\"version\":3}', 'Low', 'low_battery');",
      &error);
  g_assert_no_error (error);
  g_clear_object (&old);

  store = rl_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (raw_int (store, "PRAGMA user_version"), ==, RL_STORE_SCHEMA_VERSION);
  g_assert_cmpint (rl_store_count (store, "alert"), ==, 2);
  g_assert_cmpint (raw_int (store, "SELECT count(*) FROM alerts WHERE source = 'server'"), ==, 2);
  g_assert_cmpint (rl_store_get_alert_source (store, "al-1", &error), ==, RL_ALERT_SOURCE_SERVER);
  g_assert_no_error (error);
  /* Who resolved and when, from the stored record. */
  ack = raw_text (store, "SELECT resolved_by FROM alerts WHERE id = 'al-2'");
  g_assert_cmpstr (ack, ==, "ram@example.np");
  g_assert_cmpint (raw_int (store, "SELECT resolved_ms FROM alerts WHERE id = 'al-2'"), ==, T0);
  g_assert_cmpint (raw_int (store, "SELECT resolved_ms IS NULL FROM alerts WHERE id = 'al-1'"), ==,
                   1);
  g_assert_cmpint (raw_int (store, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND"
                                   " name IN ('alerts_source', 'alerts_device_open',"
                                   " 'alerts_console_open')"),
                   ==, 3);
  /* The open server alert stands for its device and type. */
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_LOCAL, "bin-1", "FULL_BIN", T0, 92), ==,
                   RL_STORE_ALERT_OPEN_ALREADY);
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_LOCAL, "bin-1", "LOW_BATTERY", T0, 12), ==,
                   RL_STORE_ALERT_ADDED);
}

/* ---- Adding ------------------------------------------------------------------- */

static void
test_add (void)
{
  g_autoptr (RlStore) store = open_with_points ("add");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) local = NULL;
  g_autofree char *id = rl_store_alert_id (RL_ALERT_SOURCE_LOCAL, "bin-1", "FULL_BIN", T0);
  g_autofree char *open_id = NULL;
  RlAlertSource    source;

  g_assert_cmpstr (id, ==, "local:bin-1:FULL_BIN:1767225600000");
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_LOCAL, "bin-1", "FULL_BIN", T0, 92.3), ==,
                   RL_STORE_ALERT_ADDED);
  /* The same again (a redelivery): nothing. */
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_LOCAL, "bin-1", "FULL_BIN", T0, 92.3), ==,
                   RL_STORE_ALERT_DUPLICATE);
  /* Another of that device and type while it is open, from the bin: nothing. */
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_FEED, "bin-1", "FULL_BIN", T0 + 5000, NAN),
                   ==, RL_STORE_ALERT_OPEN_ALREADY);
  /* Another type, another device: added. */
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_FEED, "bin-1", "SENSOR_FAULT", T0, NAN), ==,
                   RL_STORE_ALERT_ADDED);
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_FEED, "bin-2", "FULL_BIN", T0, NAN), ==,
                   RL_STORE_ALERT_ADDED);
  g_assert_cmpint (rl_store_count (store, "alert"), ==, 3);
  g_assert_cmpint (open_of (store, "bin-1", "FULL_BIN"), ==, 1);

  local = cached_alert (store, id);
  g_assert_cmpstr (string_of (local, "source"), ==, "local");
  g_assert_cmpstr (string_of (local, "status"), ==, "open");
  g_assert_cmpstr (string_of (local, "type"), ==, "FULL_BIN");
  g_assert_cmpstr (string_of (local, "severity"), ==, "HIGH");
  g_assert_cmpstr (string_of (local, "dropPointId"), ==, "dp-1");
  g_assert_cmpstr (string_of (local, "createdAt"), ==, "2026-01-01T00:00:00.000Z");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (local, "rule"),
                                                    "value"),
                     ==, 92.3);
  g_assert_cmpint (rl_store_get_alert_source (store, id, &error), ==, RL_ALERT_SOURCE_LOCAL);
  g_assert_cmpint (rl_store_get_alert_source (store, "feed:bin-2:FULL_BIN:1767225600000", &error),
                   ==, RL_ALERT_SOURCE_FEED);
  g_assert_no_error (error);
  g_assert_cmpint (rl_store_get_alert_source (store, "nope", &error), ==, RL_ALERT_SOURCE_UNKNOWN);
  g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (rl_store_find_open_alert (store, "bin-1", "FULL_BIN", &open_id, &source, &error));
  g_assert_cmpstr (open_id, ==, id);
  g_assert_cmpint (source, ==, RL_ALERT_SOURCE_LOCAL);
  g_clear_pointer (&open_id, g_free);
  g_assert_true (rl_store_find_open_alert (store, "bin-2", "OFFLINE", &open_id, &source, &error));
  g_assert_null (open_id);

  /* Found by text like the server's: type, message, its drop point's name. */
  g_assert_cmpint (raw_int (store, "SELECT count(*) FROM alerts_fts WHERE alerts_fts MATCH"
                                   " '\"ason tole 1\"'"),
                   ==, 2);
  /* The database itself keeps one open console alert per device and type. */
  g_assert_false (rl_store_exec (store,
                                 "INSERT INTO alerts (id, device_id, type, status, source, json)"
                                 " VALUES ('x', 'bin-1', 'FULL_BIN', 'acknowledged', 'feed', '{}')",
                                 &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "UNIQUE"));
}

/* ---- Resolving ----------------------------------------------------------------- */

static void
test_auto_resolve (void)
{
  g_autoptr (RlStore) store = open_with_points ("auto");
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = NULL;
  g_autoptr (JsonObject) resolved = NULL;
  g_autofree char *id = rl_store_alert_id (RL_ALERT_SOURCE_LOCAL, "bin-1", "FULL_BIN", T0);

  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_LOCAL, "bin-1", "FULL_BIN", T0, 92), ==,
                   RL_STORE_ALERT_ADDED);
  batch = rl_store_batch_begin (store, &error);
  /* Another device's, another type: nothing to resolve. */
  g_assert_cmpint (rl_store_batch_auto_resolve_alerts (batch, "bin-2", "FULL_BIN", T0 + 60000,
                                                       "x", 3, &error),
                   ==, 0);
  g_assert_cmpint (rl_store_batch_auto_resolve_alerts (batch, "bin-1", "LOW_BATTERY", T0 + 60000,
                                                       "x", 3, &error),
                   ==, 0);
  g_assert_cmpint (rl_store_batch_auto_resolve_alerts (
                       batch, "bin-1", "FULL_BIN", T0 + 60000,
                       "Resolved automatically: fill level back to 12 %", 12, &error),
                   ==, 1);
  g_assert_no_error (error);
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);

  resolved = cached_alert (store, id);
  g_assert_cmpstr (string_of (resolved, "status"), ==, "resolved");
  g_assert_cmpstr (string_of (resolved, "resolvedNote"), ==,
                   "Resolved automatically: fill level back to 12 %");
  g_assert_true (json_object_get_boolean_member (resolved, "autoResolved"));
  g_assert_cmpfloat (json_object_get_double_member (resolved, "resolvedValue"), ==, 12);
  g_assert_true (json_object_get_null_member (resolved, "resolvedBy"));
  g_assert_cmpint (raw_int (store, "SELECT resolved_ms FROM alerts"), ==, T0 + 60000);
  g_assert_cmpint (raw_int (store, "SELECT count(*) FROM alerts WHERE source = 'local'"), ==, 1);
  g_assert_cmpint (open_of (store, "bin-1", "FULL_BIN"), ==, 0);
  /* Full again later: a new alert. */
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_LOCAL, "bin-1", "FULL_BIN", T0 + 120000, 90),
                   ==, RL_STORE_ALERT_ADDED);
  g_assert_cmpint (open_of (store, "bin-1", "FULL_BIN"), ==, 1);
}

static void
test_set_status (void)
{
  g_autoptr (RlStore) store = open_with_points ("status");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) record = NULL;
  g_autoptr (JsonArray) page = NULL;
  g_autofree char *id = rl_store_alert_id (RL_ALERT_SOURCE_FEED, "bin-1", "FULL_BIN", T0);
  g_autofree char *by = NULL;
  gboolean         changed = FALSE;

  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_FEED, "bin-1", "FULL_BIN", T0, NAN), ==,
                   RL_STORE_ALERT_ADDED);
  g_assert_true (rl_store_alert_set_status (store, id, RL_ALERT_STATUS_ACKNOWLEDGED,
                                            "sita@example.np", T0 + 1000, "on my way", &changed,
                                            &error));
  g_assert_no_error (error);
  g_assert_true (changed);
  record = cached_alert (store, id);
  g_assert_cmpstr (string_of (record, "status"), ==, "acknowledged");
  g_assert_cmpstr (string_of (record, "acknowledgedBy"), ==, "sita@example.np");
  g_assert_cmpstr (string_of (record, "acknowledgedAt"), ==, "2026-01-01T00:00:01.000Z");
  g_assert_cmpstr (string_of (record, "acknowledgedNote"), ==, "on my way");
  by = raw_text (store, "SELECT acknowledged_by FROM alerts");
  g_assert_cmpstr (by, ==, "sita@example.np");
  /* Still the open one of its device and type. */
  g_assert_cmpint (open_of (store, "bin-1", "FULL_BIN"), ==, 1);
  /* Found by who acknowledged it. */
  g_assert_cmpint (raw_int (store, "SELECT count(*) FROM alerts_fts WHERE alerts_fts MATCH"
                                   " '\"sita@\"'"),
                   ==, 1);

  /* Only an open alert is acknowledged: nothing written. */
  g_assert_true (rl_store_alert_set_status (store, id, RL_ALERT_STATUS_ACKNOWLEDGED, "hari",
                                            T0 + 2000, NULL, &changed, &error));
  g_assert_false (changed);
  g_assert_true (rl_store_alert_set_status (store, id, RL_ALERT_STATUS_RESOLVED,
                                            "sita@example.np", T0 + 3000, "emptied", &changed,
                                            &error));
  g_assert_true (changed);
  g_clear_pointer (&record, json_object_unref);
  record = cached_alert (store, id);
  g_assert_cmpstr (string_of (record, "status"), ==, "resolved");
  g_assert_cmpstr (string_of (record, "resolvedBy"), ==, "sita@example.np");
  g_assert_cmpstr (string_of (record, "resolvedNote"), ==, "emptied");
  g_assert_cmpstr (string_of (record, "acknowledgedBy"), ==, "sita@example.np");
  g_assert_cmpint (raw_int (store, "SELECT resolved_ms FROM alerts"), ==, T0 + 3000);
  g_assert_true (rl_store_alert_set_status (store, id, RL_ALERT_STATUS_RESOLVED, "hari", T0 + 4000,
                                            NULL, &changed, &error));
  g_assert_false (changed);
  g_assert_no_error (error);

  /* A server alert is not the cache's to decide. */
  page = parse_array ("[{\"seq\":1,\"entity\":\"alert\",\"id\":\"al-9\",\"op\":\"upsert\","
                      "\"version\":1,\"record\":{\"id\":\"al-9\",\"deviceId\":\"bin-2\","
                      "\"dropPointId\":\"dp-2\",\"type\":\"FULL_BIN\",\"severity\":\"HIGH\","
                      "\"status\":\"open\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"version\":1}}]");
  g_assert_true (rl_store_apply_changes (store, page, 1, NULL, &error));
  g_assert_false (rl_store_alert_set_status (store, "al-9", RL_ALERT_STATUS_ACKNOWLEDGED, "hari",
                                             T0, NULL, &changed, &error));
  g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (rl_store_alert_set_status (store, "nope", RL_ALERT_STATUS_RESOLVED, "hari", T0,
                                             NULL, &changed, &error));
  g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Nothing half done: the next write goes through. */
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_LOCAL, "bin-2", "OFFLINE", T0, 45), ==,
                   RL_STORE_ALERT_ADDED);
}

/* ---- The server's alert stands for the console's -------------------------------- */

static JsonArray *
server_alert_page (gint64      seq,
                   const char *id,
                   const char *device,
                   const char *type,
                   const char *status)
{
  g_autofree char *json = g_strdup_printf (
      "[{\"seq\":%" G_GINT64_FORMAT ",\"entity\":\"alert\",\"id\":\"%s\",\"op\":\"upsert\","
      "\"version\":1,\"record\":{\"id\":\"%s\",\"deviceId\":\"%s\",\"dropPointId\":\"dp-1\","
      "\"type\":\"%s\",\"severity\":\"HIGH\",\"status\":\"%s\",\"message\":\"Bin is over 85 %% "
      "full\",\"createdAt\":\"2026-01-01T00:00:02Z\",\"version\":1}}]",
      seq, id, id, device, type, status);

  return parse_array (json);
}

static void
test_supersede (void)
{
  g_autoptr (RlStore) store = open_with_points ("supersede");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) resolved_page = NULL;
  g_autoptr (JsonArray) open_page = NULL;
  g_autoptr (JsonObject) local = NULL;
  g_autoptr (JsonObject) feed = NULL;
  g_autofree char  *local_id = rl_store_alert_id (RL_ALERT_SOURCE_LOCAL, "bin-1", "FULL_BIN", T0);
  g_autofree char  *feed_id = rl_store_alert_id (RL_ALERT_SOURCE_FEED, "bin-1", "LOW_BATTERY", T0);
  g_autofree char  *open_id = NULL;
  RlStoreApplyStats stats;
  RlAlertSource     source;

  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_LOCAL, "bin-1", "FULL_BIN", T0, 92), ==,
                   RL_STORE_ALERT_ADDED);
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_FEED, "bin-1", "LOW_BATTERY", T0, NAN), ==,
                   RL_STORE_ALERT_ADDED);

  /* A server alert already resolved stands for nothing open. */
  resolved_page = server_alert_page (10, "al-old", "bin-1", "LOW_BATTERY", "resolved");
  g_assert_true (rl_store_apply_changes (store, resolved_page, 10, &stats, &error));
  g_assert_no_error (error);
  feed = cached_alert (store, feed_id);
  g_assert_cmpstr (string_of (feed, "status"), ==, "open");

  /* An open one of the same device and type replaces the local alert, in
   * the applier's transaction. */
  open_page = server_alert_page (11, "al-1", "bin-1", "FULL_BIN", "open");
  g_assert_true (rl_store_apply_changes (store, open_page, 11, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 1);
  local = cached_alert (store, local_id);
  g_assert_cmpstr (string_of (local, "status"), ==, "resolved");
  g_assert_cmpstr (string_of (local, "supersededBy"), ==, "al-1");
  g_assert_cmpstr (string_of (local, "resolvedNote"), ==, "Replaced by the server’s alert al-1");
  g_assert_cmpint (open_of (store, "bin-1", "FULL_BIN"), ==, 1);
  g_assert_true (rl_store_find_open_alert (store, "bin-1", "FULL_BIN", &open_id, &source, &error));
  g_assert_cmpstr (open_id, ==, "al-1");
  g_assert_cmpint (source, ==, RL_ALERT_SOURCE_SERVER);
  g_clear_pointer (&feed, json_object_unref);
  feed = cached_alert (store, feed_id);
  g_assert_cmpstr (string_of (feed, "status"), ==, "open");
  /* The applier keeps the FTS index itself (its triggers are off): whole. */
  g_assert_true (rl_store_exec (store,
                                "INSERT INTO alerts_fts (alerts_fts) VALUES ('integrity-check')",
                                &error));
  g_assert_no_error (error);
  /* While the server's is open the rules add none. */
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_LOCAL, "bin-1", "FULL_BIN", T0 + 9000, 95), ==,
                   RL_STORE_ALERT_OPEN_ALREADY);
}

static void
test_reload_keeps_console_alerts (void)
{
  g_autoptr (RlStore) store = open_with_points ("reload");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) page = server_alert_page (5, "al-1", "bin-2", "FULL_BIN", "open");

  g_assert_true (rl_store_apply_changes (store, page, 5, NULL, &error));
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_LOCAL, "bin-1", "FULL_BIN", T0, 92), ==,
                   RL_STORE_ALERT_ADDED);
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_FEED, "bin-1", "SENSOR_FAULT", T0, NAN), ==,
                   RL_STORE_ALERT_ADDED);
  /* 410: a reload that brings nothing drops the server's records, not the
   * console's own alerts. */
  g_assert_true (rl_store_reset_for_reload (store, &error));
  g_assert_cmpint (rl_store_finish_reload (store, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpint (rl_store_count (store, "alert"), ==, 2);
  g_assert_cmpint (raw_int (store, "SELECT count(*) FROM alerts WHERE source = 'server'"), ==, 0);
}

/* ---- The store monitor ------------------------------------------------------------ */

static void
changed_cb (RlStoreMonitor *monitor G_GNUC_UNUSED,
            RlStoreChanges         *changes,
            GPtrArray              *seen)
{
  guint        n = 0;
  const char **ids = rl_store_changes_get_ids (changes, "alert", &n);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (seen, g_strdup (ids[i]));
  g_free (ids);
}

static gboolean
has_string (GPtrArray  *array,
            const char *text)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), text))
      return TRUE;
  return FALSE;
}

static void
test_monitor (void)
{
  g_autoptr (RlStore) store = open_with_points ("monitor");
  g_autoptr (RlStoreMonitor) monitor = rl_store_monitor_new (store);
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = rl_store_alert_id (RL_ALERT_SOURCE_LOCAL, "bin-2", "LOW_BATTERY", T0);
  gint64           deadline;
  gboolean         changed;

  g_signal_connect (monitor, "changed", G_CALLBACK (changed_cb), seen);
  g_assert_cmpint (add_alert (store, RL_ALERT_SOURCE_LOCAL, "bin-2", "LOW_BATTERY", T0, 12), ==,
                   RL_STORE_ALERT_ADDED);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!has_string (seen, id) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (has_string (seen, id));

  g_ptr_array_set_size (seen, 0);
  g_assert_true (rl_store_alert_set_status (store, id, RL_ALERT_STATUS_RESOLVED, "sita", T0, NULL,
                                            &changed, &error));
  g_assert_true (changed);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!has_string (seen, id) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (has_string (seen, id));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store-alerts/migration-v7", test_migration_v7);
  g_test_add_func ("/store-alerts/add", test_add);
  g_test_add_func ("/store-alerts/auto-resolve", test_auto_resolve);
  g_test_add_func ("/store-alerts/set-status", test_set_status);
  g_test_add_func ("/store-alerts/supersede", test_supersede);
  g_test_add_func ("/store-alerts/reload", test_reload_keeps_console_alerts);
  g_test_add_func ("/store-alerts/monitor", test_monitor);

  return g_test_run ();
}
