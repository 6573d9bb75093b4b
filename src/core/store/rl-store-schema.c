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

static const char *const migrations[] = {
  migration_v1,
  migration_v2,
  migration_v3,
  migration_v4,
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
    } },
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
    } },
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
    } },
  { "workflow",
    "workflows",
    "id",
    TRUE,
    TRUE,
    {
        { "name", "name", RL_COL_STRING },
        { "enabled", "enabled", RL_COL_BOOL },
    } },
  { "run",
    "runs",
    "id",
    FALSE,
    FALSE,
    {
        { "workflow_id", "workflowId", RL_COL_STRING },
        { "status", "status", RL_COL_STRING },
        { "started_ms", "startedAt", RL_COL_TIME },
    } },
  { "sync_job",
    "sync_jobs",
    "id",
    TRUE,
    TRUE,
    {
        { "name", "name", RL_COL_STRING },
        { "status", "status", RL_COL_STRING },
        { "conflict_strategy", "conflictStrategy", RL_COL_STRING },
    } },
  { "sync_log",
    "sync_log",
    "id",
    FALSE,
    FALSE,
    {
        { "job_id", "jobId", RL_COL_STRING },
        { "status", "status", RL_COL_STRING },
        { "created_ms", "createdAt", RL_COL_TIME },
    } },
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
    } },
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
