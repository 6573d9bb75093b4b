/* rl-store-schema.c — the cache's tables, their migration history, and the
 * entity table that maps contract records to columns.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every step migrates from version N-1 to N inside one transaction (see
 * rl-store.c). Steps are never edited once released: a change is a new step.
 */
#include "config.h"

#include "rl-store-private.h"

/* Every entity table has: id TEXT PRIMARY KEY, its hot columns, version,
 * updated_ms, json (the full record), and since v4 gen (reload generation). */
static const char migration_v1[] =
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE drop_points ("
    "  id TEXT PRIMARY KEY, name TEXT, address TEXT, latitude REAL, longitude REAL,"
    "  status TEXT, device_id TEXT, fill_level REAL, battery_level REAL,"
    "  is_online INTEGER, last_reading_ms INTEGER,"
    "  version INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER, json TEXT NOT NULL);"
    "CREATE TABLE alerts ("
    "  id TEXT PRIMARY KEY, drop_point_id TEXT, device_id TEXT, type TEXT,"
    "  severity TEXT, status TEXT, created_ms INTEGER,"
    "  version INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER, json TEXT NOT NULL);"
    "CREATE TABLE provider_types ("
    "  id TEXT PRIMARY KEY, kind TEXT, label TEXT,"
    "  version INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER, json TEXT NOT NULL);"
    "CREATE TABLE providers ("
    "  id TEXT PRIMARY KEY, type TEXT, kind TEXT, name TEXT, role TEXT,"
    "  priority INTEGER, enabled INTEGER,"
    "  version INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER, json TEXT NOT NULL);"
    "CREATE TABLE workflows ("
    "  id TEXT PRIMARY KEY, name TEXT, enabled INTEGER,"
    "  version INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER, json TEXT NOT NULL);"
    "CREATE TABLE runs ("
    "  id TEXT PRIMARY KEY, workflow_id TEXT, status TEXT, started_ms INTEGER,"
    "  version INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER, json TEXT NOT NULL);"
    "CREATE TABLE sync_jobs ("
    "  id TEXT PRIMARY KEY, name TEXT, status TEXT, conflict_strategy TEXT,"
    "  version INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER, json TEXT NOT NULL);"
    "CREATE TABLE sync_log ("
    "  id TEXT PRIMARY KEY, job_id TEXT, status TEXT, created_ms INTEGER,"
    "  version INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER, json TEXT NOT NULL);"
    /* v1 knew only the server's conflicts: job_id was required (v3 relaxes it). */
    "CREATE TABLE conflicts ("
    "  id TEXT PRIMARY KEY, job_id TEXT NOT NULL, entity_type TEXT, entity_id TEXT,"
    "  status TEXT, detected_ms INTEGER,"
    "  version INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER, json TEXT NOT NULL);";

static const char migration_v2[] =
    "CREATE TABLE readings ("
    "  device_id TEXT NOT NULL, ts_ms INTEGER NOT NULL,"
    "  fill_level REAL, weight REAL, temperature REAL, humidity REAL, battery_level REAL,"
    "  PRIMARY KEY (device_id, ts_ms)) WITHOUT ROWID;"
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, created_ms INTEGER NOT NULL,"
    "  method TEXT NOT NULL, path TEXT NOT NULL, body TEXT, if_match TEXT,"
    "  idempotency_key TEXT NOT NULL UNIQUE, entity TEXT, entity_id TEXT, base TEXT,"
    "  attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, secret_ref TEXT);";

static const char migration_v3[] =
    /* Local conflicts (an offline edit that met 409) have no job: rebuild. */
    "CREATE TABLE conflicts_v3 ("
    "  id TEXT PRIMARY KEY, job_id TEXT, entity_type TEXT, entity_id TEXT,"
    "  status TEXT, detected_ms INTEGER,"
    "  version INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER, json TEXT NOT NULL);"
    "INSERT INTO conflicts_v3 SELECT id, job_id, entity_type, entity_id, status,"
    "  detected_ms, version, updated_ms, json FROM conflicts;"
    "DROP TABLE conflicts;"
    "ALTER TABLE conflicts_v3 RENAME TO conflicts;"
    "CREATE TABLE quarantine ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, seen_ms INTEGER NOT NULL,"
    "  entity TEXT, entity_id TEXT, reason TEXT NOT NULL, raw TEXT NOT NULL);"
    "CREATE INDEX drop_points_device ON drop_points (device_id);"
    "CREATE INDEX alerts_status ON alerts (status, created_ms);"
    "CREATE INDEX alerts_drop_point ON alerts (drop_point_id);"
    "CREATE INDEX runs_workflow ON runs (workflow_id, started_ms);"
    "CREATE INDEX sync_log_job ON sync_log (job_id, created_ms);"
    "CREATE INDEX conflicts_status ON conflicts (status, detected_ms);"
    "CREATE INDEX outbox_entity ON outbox (entity, entity_id);";

static const char migration_v4[] =
    /* Reload generations (410 SYNC_RESET_REQUIRED: mark and sweep). */
    "ALTER TABLE drop_points ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE alerts ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE provider_types ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE providers ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE workflows ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE runs ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sync_jobs ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sync_log ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE conflicts ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE run_log ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, ts_ms INTEGER,"
    "  level TEXT, step_id TEXT, message TEXT);"
    "CREATE INDEX run_log_run ON run_log (run_id, ts_ms);";

/* An external-content FTS5 trigram index of @t's search_text, its triggers,
 * and its first build. */
#define FTS_TABLE(t)                                                                      \
  "CREATE VIRTUAL TABLE " t "_fts USING fts5(search_text, content='" t "',"               \
  " content_rowid='rowid', tokenize='trigram');"                                          \
  "CREATE TRIGGER " t "_fts_insert AFTER INSERT ON " t " BEGIN"                           \
  " INSERT INTO " t "_fts (rowid, search_text) VALUES (new.rowid, new.search_text); END;" \
  "CREATE TRIGGER " t "_fts_delete AFTER DELETE ON " t " BEGIN"                           \
  " INSERT INTO " t "_fts (" t "_fts, rowid, search_text)"                                \
  " VALUES ('delete', old.rowid, old.search_text); END;"                                  \
  "CREATE TRIGGER " t "_fts_update AFTER UPDATE OF search_text ON " t " BEGIN"            \
  " INSERT INTO " t "_fts (" t "_fts, rowid, search_text)"                                \
  " VALUES ('delete', old.rowid, old.search_text);"                                       \
  " INSERT INTO " t "_fts (rowid, search_text) VALUES (new.rowid, new.search_text); END;" \
  "INSERT INTO " t "_fts (" t "_fts) VALUES ('rebuild');"

static const char migration_v5[] =
    /* The list models (docs/lists.md): every column a list filters or sorts
     * by is a stored column with an index ending in id (keyset order), plus
     * the folded search text (rl-store-text.c). Filled from the stored JSON
     * here; the record writer keeps them from then on. */
    "ALTER TABLE drop_points ADD COLUMN search_text TEXT;"
    "UPDATE drop_points SET search_text = rl_fold(name, address);"

    "ALTER TABLE alerts ADD COLUMN message TEXT;"
    "ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;"
    "ALTER TABLE alerts ADD COLUMN acknowledged_ms INTEGER;"
    "ALTER TABLE alerts ADD COLUMN search_text TEXT;"
    "ALTER TABLE alerts ADD COLUMN severity_rank INTEGER GENERATED ALWAYS AS"
    "  (CASE severity WHEN 'HIGH' THEN 3 WHEN 'MEDIUM' THEN 2 WHEN 'LOW' THEN 1 ELSE 0 END)"
    "  VIRTUAL;"
    "UPDATE alerts SET message = json_extract(json, '$.message'),"
    "  acknowledged_by = json_extract(json, '$.acknowledgedBy'),"
    "  acknowledged_ms = rl_time_ms(json_extract(json, '$.acknowledgedAt')),"
    "  search_text = rl_fold(type, json_extract(json, '$.message'), device_id,"
    "                        json_extract(json, '$.acknowledgedBy'),"
    "                        (SELECT name FROM drop_points d WHERE d.id = drop_point_id),"
    "                        (SELECT address FROM drop_points d WHERE d.id = drop_point_id));"
    "CREATE INDEX alerts_status_created ON alerts (status, created_ms, id);"
    "CREATE INDEX alerts_created ON alerts (created_ms, id);"
    "CREATE INDEX alerts_severity ON alerts (severity_rank, created_ms, id);"
    "CREATE INDEX alerts_type ON alerts (type, created_ms, id);"

    "ALTER TABLE providers ADD COLUMN health_state TEXT;"
    "ALTER TABLE providers ADD COLUMN search_text TEXT;"
    "ALTER TABLE providers ADD COLUMN role_rank INTEGER GENERATED ALWAYS AS"
    "  (CASE role WHEN 'primary' THEN 1 WHEN 'fallback' THEN 2 WHEN 'backup' THEN 3 ELSE 4 END)"
    "  VIRTUAL;"
    "UPDATE providers SET health_state = json_extract(json, '$.health.state'),"
    "  search_text = rl_fold(name, type, kind);"

    "ALTER TABLE workflows ADD COLUMN last_run_status TEXT;"
    "ALTER TABLE workflows ADD COLUMN last_run_ms INTEGER;"
    "ALTER TABLE workflows ADD COLUMN search_text TEXT;"
    "UPDATE workflows SET last_run_status = json_extract(json, '$.lastRun.status'),"
    "  last_run_ms = rl_time_ms(json_extract(json, '$.lastRun.startedAt')),"
    "  search_text = rl_fold(name, json_extract(json, '$.description'));"

    "ALTER TABLE runs ADD COLUMN trigger TEXT;"
    "ALTER TABLE runs ADD COLUMN finished_ms INTEGER;"
    "ALTER TABLE runs ADD COLUMN duration_ms INTEGER;"
    "ALTER TABLE runs ADD COLUMN attempt INTEGER;"
    "ALTER TABLE runs ADD COLUMN error TEXT;"
    "ALTER TABLE runs ADD COLUMN search_text TEXT;"
    "UPDATE runs SET trigger = json_extract(json, '$.trigger'),"
    "  finished_ms = rl_time_ms(json_extract(json, '$.finishedAt')),"
    "  duration_ms = json_extract(json, '$.durationMs'),"
    "  attempt = json_extract(json, '$.attempt'),"
    "  error = json_extract(json, '$.error'),"
    "  search_text = rl_fold(id, workflow_id, status, json_extract(json, '$.trigger'),"
    "                        json_extract(json, '$.error'));"
    "CREATE INDEX runs_started ON runs (started_ms, id);"
    "CREATE INDEX runs_status ON runs (status, started_ms, id);"
    "CREATE INDEX runs_duration ON runs (duration_ms, id);"

    "ALTER TABLE sync_jobs ADD COLUMN source TEXT;"
    "ALTER TABLE sync_jobs ADD COLUMN target TEXT;"
    "ALTER TABLE sync_jobs ADD COLUMN mode TEXT;"
    "ALTER TABLE sync_jobs ADD COLUMN last_run_ms INTEGER;"
    "ALTER TABLE sync_jobs ADD COLUMN search_text TEXT;"
    "UPDATE sync_jobs SET source = json_extract(json, '$.source'),"
    "  target = json_extract(json, '$.target'), mode = json_extract(json, '$.mode'),"
    "  last_run_ms = rl_time_ms(json_extract(json, '$.lastRunAt')),"
    "  search_text = rl_fold(name, json_extract(json, '$.source'),"
    "                        json_extract(json, '$.target'));"

    "ALTER TABLE sync_log ADD COLUMN record_ref TEXT;"
    "ALTER TABLE sync_log ADD COLUMN operation TEXT;"
    "ALTER TABLE sync_log ADD COLUMN error_message TEXT;"
    "ALTER TABLE sync_log ADD COLUMN search_text TEXT;"
    "UPDATE sync_log SET record_ref = json_extract(json, '$.recordRef'),"
    "  operation = json_extract(json, '$.operation'),"
    "  error_message = json_extract(json, '$.errorMessage'),"
    "  search_text = rl_fold(json_extract(json, '$.recordRef'), json_extract(json, '$.operation'),"
    "                        status, json_extract(json, '$.errorMessage'));"
    "CREATE INDEX sync_log_created ON sync_log (created_ms, id);"
    "CREATE INDEX sync_log_status ON sync_log (status, created_ms, id);"

    "ALTER TABLE conflicts ADD COLUMN search_text TEXT;"
    "UPDATE conflicts SET search_text = rl_fold(entity_type, entity_id, job_id);"
    "CREATE INDEX conflicts_detected ON conflicts (detected_ms, id);"
    "CREATE INDEX conflicts_status_detected ON conflicts (status, detected_ms, id);"
    /* Text search over the big tables: FTS5 trigram indexes of search_text
     * (substring matches of 3 characters or more; shorter needles scan),
     * kept by triggers. */
    FTS_TABLE ("alerts") FTS_TABLE ("runs") FTS_TABLE ("sync_log") FTS_TABLE ("conflicts");

static const char migration_v6[] =
    /* The sync engine (docs/sync.md). The outbox keeps what the drain
     * needs across restarts: the row's kind, its state (pending until sent;
     * failed, invalid_state or superseded when the user must decide), the
     * local record of the edit, the server's answer to a failed attempt
     * (error code, HTTP status, details.fields, details.current) and when
     * to try again. */
    "ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'edit';"
    "ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending';"
    "ALTER TABLE outbox ADD COLUMN local TEXT;"
    "ALTER TABLE outbox ADD COLUMN extra TEXT;"
    "ALTER TABLE outbox ADD COLUMN error_code TEXT;"
    "ALTER TABLE outbox ADD COLUMN error_status INTEGER;"
    "ALTER TABLE outbox ADD COLUMN error_fields TEXT;"
    "ALTER TABLE outbox ADD COLUMN error_current TEXT;"
    "ALTER TABLE outbox ADD COLUMN next_attempt_ms INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN updated_ms INTEGER;"
    "CREATE INDEX outbox_state ON outbox (state, id);"
    /* The server's latest record of an entity that has unsent local edits
     * (the /changes applier leaves the cached record alone meanwhile):
     * what discarding the edits restores. */
    "CREATE TABLE outbox_shadow ("
    "  entity TEXT NOT NULL, entity_id TEXT NOT NULL, version INTEGER NOT NULL,"
    "  json TEXT NOT NULL, PRIMARY KEY (entity, entity_id)) WITHOUT ROWID;"
    /* A record's resolution history: its conflicts, by entity. */
    "CREATE INDEX conflicts_entity ON conflicts (entity_type, entity_id, status);"
    /* The telemetry rule (contract §5) is part of the drop points' upsert
     * (rl-store-records.c), not a trigger: the applier's connection writes
     * with its triggers off (rl-store-fts.c). */
    ;

static const char migration_v7[] =
    /* Alert records from every source (docs/feed.md "Alert records"): the
     * server's (through /changes), a bin's own alert message over MQTT
     * (feed) and the console's rules on live readings (local) share the
     * one table; the rows so far are the server's. Who resolved an alert,
     * and when, are hot columns like the acknowledgement. */
    "ALTER TABLE alerts ADD COLUMN source TEXT NOT NULL DEFAULT 'server';"
    "ALTER TABLE alerts ADD COLUMN resolved_by TEXT;"
    "ALTER TABLE alerts ADD COLUMN resolved_ms INTEGER;"
    "UPDATE alerts SET resolved_by = json_extract(json, '$.resolvedBy'),"
    "  resolved_ms = rl_time_ms(json_extract(json, '$.resolvedAt'));"
    "CREATE INDEX alerts_source ON alerts (source, created_ms, id);"
    /* The open alert of a device and type, whatever its source: a local
     * rule adds none while one is open. */
    "CREATE INDEX alerts_device_open ON alerts (device_id, type)"
    "  WHERE status IN ('open', 'acknowledged');"
    /* One open console alert (feed or local) per device and type. */
    "CREATE UNIQUE INDEX alerts_console_open ON alerts (device_id, type)"
    "  WHERE source <> 'server' AND status IN ('open', 'acknowledged');";

static const char migration_v8[] =
    /* Per-bin state of the "full at" forecast (docs/forecast.md "From
     * summaries"): the bin's compact summary (hourly aggregates and the fit
     * of its current fill, rl-forecast-summary.c's byte form) through the
     * reading at through_ms, and the forecast made from it. Both are derived
     * from readings: deleting them only costs a rebuild. */
    "CREATE TABLE bin_summaries ("
    "  device_id TEXT PRIMARY KEY, through_ms INTEGER NOT NULL, summary BLOB NOT NULL);"
    /* Small rows, by device: the state check reads one per bin. */
    "CREATE TABLE forecasts ("
    "  device_id TEXT PRIMARY KEY, through_ms INTEGER NOT NULL, status INTEGER NOT NULL,"
    "  full_at_ms INTEGER, earliest_ms INTEGER, latest_ms INTEGER, rate_per_hour REAL,"
    "  level REAL, last_ts_ms INTEGER, last_fill REAL, computed_ms INTEGER NOT NULL)"
    "  WITHOUT ROWID;"
    "CREATE INDEX forecasts_full_at ON forecasts (full_at_ms, device_id) WHERE status IN (1, 2);"
    /* Covers what the state check and the dispatch list read of a drop
     * point, so neither reads its (wide) row. */
    "CREATE INDEX drop_points_dispatch ON drop_points (device_id, last_reading_ms, status);";

static const char migration_v9[] =
    /* The live feed's outages (docs/feed.md "Several brokers"): from when
     * the console lost its broker to when it was subscribed again, which
     * node it lost and which one it came back on, so support can see the
     * gaps in the data. Written by the feed's writer. */
    "CREATE TABLE feed_outages ("
    "  id INTEGER PRIMARY KEY, from_ms INTEGER NOT NULL, to_ms INTEGER NOT NULL,"
    "  lost_url TEXT, resumed_url TEXT);"
    "CREATE INDEX feed_outages_from ON feed_outages (from_ms);";

static const char *const migrations[] = {
  migration_v1,
  migration_v2,
  migration_v3,
  migration_v4,
  migration_v5,
  migration_v6,
  migration_v7,
  migration_v8,
  migration_v9,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == RL_STORE_SCHEMA_VERSION);

guint
rl_store_n_migrations (void)
{
  return G_N_ELEMENTS (migrations);
}

const char *
rl_store_migration_sql (guint to_version)
{
  g_return_val_if_fail (to_version >= 1 && to_version <= G_N_ELEMENTS (migrations), NULL);

  return migrations[to_version - 1];
}

static const RlEntityInfo entities[] = {
  { "drop_point",
    "drop_points",
    "id",
    TRUE,
    TRUE,
    {
        { "name", "name", RL_COL_STRING },
        { "address", "address", RL_COL_STRING },
        { "latitude", "latitude", RL_COL_NUMBER },
        { "longitude", "longitude", RL_COL_NUMBER },
        { "status", "status", RL_COL_STRING },
        { "device_id", "deviceId", RL_COL_STRING },
        { "fill_level", "fillLevel", RL_COL_NUMBER },
        { "battery_level", "batteryLevel", RL_COL_NUMBER },
        { "is_online", "isOnline", RL_COL_BOOL },
        { "last_reading_ms", "lastReadingAt", RL_COL_TIME },
    },
    { "name", "address" } },
  { "alert",
    "alerts",
    "id",
    TRUE,
    TRUE,
    {
        { "drop_point_id", "dropPointId", RL_COL_STRING },
        { "device_id", "deviceId", RL_COL_STRING },
        { "type", "type", RL_COL_STRING },
        { "severity", "severity", RL_COL_STRING },
        { "status", "status", RL_COL_STRING },
        { "created_ms", "createdAt", RL_COL_TIME },
        { "message", "message", RL_COL_STRING },
        { "acknowledged_by", "acknowledgedBy", RL_COL_STRING },
        { "acknowledged_ms", "acknowledgedAt", RL_COL_TIME },
        { "resolved_by", "resolvedBy", RL_COL_STRING },
        { "resolved_ms", "resolvedAt", RL_COL_TIME },
    },
    { "type", "message", "deviceId", "acknowledgedBy" },
    /* An alert is found by its drop point's name and address too (as they
     * were when the alert was written). */
    "dropPointId",
    "SELECT name, address FROM drop_points WHERE id = ?1",
    "alerts_fts" },
  { "provider_type",
    "provider_types",
    "type",
    FALSE,
    FALSE,
    {
        { "kind", "kind", RL_COL_STRING },
        { "label", "label", RL_COL_STRING },
    } },
  { "provider",
    "providers",
    "id",
    TRUE,
    TRUE,
    {
        { "type", "type", RL_COL_STRING },
        { "kind", "kind", RL_COL_STRING },
        { "name", "name", RL_COL_STRING },
        { "role", "role", RL_COL_STRING },
        { "priority", "priority", RL_COL_INT },
        { "enabled", "enabled", RL_COL_BOOL },
        { "health_state", "health.state", RL_COL_STRING },
    },
    { "name", "type", "kind" } },
  { "workflow",
    "workflows",
    "id",
    TRUE,
    TRUE,
    {
        { "name", "name", RL_COL_STRING },
        { "enabled", "enabled", RL_COL_BOOL },
        { "last_run_status", "lastRun.status", RL_COL_STRING },
        { "last_run_ms", "lastRun.startedAt", RL_COL_TIME },
    },
    { "name", "description" } },
  { "run",
    "runs",
    "id",
    FALSE,
    FALSE,
    {
        { "workflow_id", "workflowId", RL_COL_STRING },
        { "status", "status", RL_COL_STRING },
        { "started_ms", "startedAt", RL_COL_TIME },
        { "trigger", "trigger", RL_COL_STRING },
        { "finished_ms", "finishedAt", RL_COL_TIME },
        { "duration_ms", "durationMs", RL_COL_INT },
        { "attempt", "attempt", RL_COL_INT },
        { "error", "error", RL_COL_STRING },
    },
    { "id", "workflowId", "status", "trigger", "error" },
    .fts_table = "runs_fts" },
  { "sync_job",
    "sync_jobs",
    "id",
    TRUE,
    TRUE,
    {
        { "name", "name", RL_COL_STRING },
        { "status", "status", RL_COL_STRING },
        { "conflict_strategy", "conflictStrategy", RL_COL_STRING },
        { "source", "source", RL_COL_STRING },
        { "target", "target", RL_COL_STRING },
        { "mode", "mode", RL_COL_STRING },
        { "last_run_ms", "lastRunAt", RL_COL_TIME },
    },
    { "name", "source", "target" } },
  { "sync_log",
    "sync_log",
    "id",
    FALSE,
    FALSE,
    {
        { "job_id", "jobId", RL_COL_STRING },
        { "status", "status", RL_COL_STRING },
        { "created_ms", "createdAt", RL_COL_TIME },
        { "record_ref", "recordRef", RL_COL_STRING },
        { "operation", "operation", RL_COL_STRING },
        { "error_message", "errorMessage", RL_COL_STRING },
    },
    { "recordRef", "operation", "status", "errorMessage" },
    .fts_table = "sync_log_fts" },
  { "conflict",
    "conflicts",
    "id",
    TRUE,
    TRUE,
    {
        { "job_id", "jobId", RL_COL_STRING },
        { "entity_type", "entityType", RL_COL_STRING },
        { "entity_id", "entityId", RL_COL_STRING },
        { "status", "status", RL_COL_STRING },
        { "detected_ms", "detectedAt", RL_COL_TIME },
    },
    { "entityType", "entityId", "jobId" },
    .fts_table = "conflicts_fts" },
};

const RlEntityInfo *
rl_store_entity_lookup (const char *entity)
{
  if (entity == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (g_str_equal (entities[i].entity, entity))
      return &entities[i];

  return NULL;
}

const RlEntityInfo *
rl_store_entity_nth (guint n)
{
  return n < G_N_ELEMENTS (entities) ? &entities[n] : NULL;
}

gboolean
rl_store_is_known_entity (const char *entity)
{
  return rl_store_entity_lookup (entity) != NULL;
}
