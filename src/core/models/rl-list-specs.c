/* rl-list-specs.c — what each list shows, and how SQL reads, sorts and filters it.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A column's select_sql is read for the rows on screen only (a window of a
 * few hundred rows by id), so it may use joins and json_extract. Its
 * sort_sql and filter_sql run over the whole table: they are stored columns
 * of the cache with an index ending in id (migration v5), so a list of
 * 100,000 rows is sorted and filtered by SQLite in tens of milliseconds.
 * Joined names (a drop point's, a workflow's) are read with the row: a
 * rename shows when the row itself changes or the list reloads.
 */
#include "config.h"

#include <string.h>

#include "rl-list-private.h"

#define STRING(name, sql)                             \
  {                                                   \
    name, G_TYPE_STRING, NULL, sql, NULL, FALSE, NULL \
  }
#define INT(name, sql)                               \
  {                                                  \
    name, G_TYPE_INT64, NULL, sql, NULL, FALSE, NULL \
  }
#define BOOL(name, sql)                                \
  {                                                    \
    name, G_TYPE_BOOLEAN, NULL, sql, NULL, FALSE, NULL \
  }
#define ENUM(name, type, sql, sort, filter)          \
  {                                                  \
    name, G_TYPE_ENUM, type, sql, sort, TRUE, filter \
  }
#define FILTERED_STRING(name, sql, filter)              \
  {                                                     \
    name, G_TYPE_STRING, NULL, sql, NULL, FALSE, filter \
  }
#define SORTED_STRING(name, sql, sort, filter)         \
  {                                                    \
    name, G_TYPE_STRING, NULL, sql, sort, TRUE, filter \
  }
#define SORTED_INT(name, sql, sort, filter)            \
  {                                                    \
    name, G_TYPE_INT64, NULL, sql, sort, FALSE, filter \
  }

/* A number of a JSON record as text with at most one decimal ("85",
 * "92.5"), as the console's own texts write it; NULL when there is none. */
#define NUMBER_TEXT(json, path) \
  "iif(json_type(" json ", '" path "') IN ('integer', 'real'), printf('%g', round(json_extract(" json ", '" path "'), 1)), NULL)"

/* Alerts: severity sorts by rank (HIGH first when descending), not by name. */
static const RlListColumn alert_columns[] = {
  FILTERED_STRING ("drop-point-id", "a.drop_point_id", "a.drop_point_id"),
  SORTED_STRING ("drop-point-name", "d.name", "d.name", NULL),
  STRING ("device-id", "a.device_id"),
  ENUM ("alert-type", rl_alert_type_get_type, "a.type", "a.type", "a.type"),
  { "severity", G_TYPE_ENUM, rl_alert_severity_get_type, "a.severity", "a.severity_rank", FALSE,
    "a.severity" },
  ENUM ("status", rl_alert_status_get_type, "a.status", "a.status", "a.status"),
  STRING ("message", "a.message"),
  SORTED_INT ("created", "a.created_ms", "a.created_ms", "a.created_ms"),
  STRING ("acknowledged-by", "a.acknowledged_by"),
  INT ("acknowledged", "a.acknowledged_ms"),
  INT ("version", "a.version"),
  /* Where it comes from (migration v7): a feed or local alert has no
   * server record and is acknowledged and resolved in the cache alone. */
  ENUM ("source", rl_alert_source_get_type, "a.source", "a.source", "a.source"),
  STRING ("acknowledged-note", "json_extract(a.json, '$.acknowledgedNote')"),
  STRING ("resolved-by", "a.resolved_by"),
  INT ("resolved", "a.resolved_ms"),
  STRING ("resolved-note", "json_extract(a.json, '$.resolvedNote')"),
  /* Resolved because its condition cleared (a feed or local alert). */
  BOOL ("auto-resolved", "json_extract(a.json, '$.autoResolved')"),
  /* The server's alert that stands for this console alert now. */
  STRING ("superseded-by", "json_extract(a.json, '$.supersededBy')"),
  /* A local rule's figures and the value that cleared it, as the
   * console's texts write them ("92.5", "85"; NULL when none): the UI words
   * console alerts with them (rl_ui_alert_message). */
  STRING ("rule-value", NUMBER_TEXT ("a.json", "$.rule.value")),
  STRING ("rule-threshold", NUMBER_TEXT ("a.json", "$.rule.threshold")),
  STRING ("resolved-value", NUMBER_TEXT ("a.json", "$.resolvedValue")),
  /* An acknowledge or resolve of it waits in the outbox: "Waiting to sync". */
  BOOL ("waiting", "EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'alert'"
                   " AND o.entity_id = a.id AND o.state = 'pending')"),
};

/* Providers: "kind" sorts as the platform tries them: by kind, then role
 * (primary, fallback, backup), then priority (contract §5). */
static const RlListColumn provider_columns[] = {
  STRING ("provider-type", "p.type"),
  SORTED_STRING ("kind", "p.kind", "p.kind || char(1) || p.role_rank || char(1) || printf('%012d', p.priority)"
                                   " || char(1) || p.name",
                 "p.kind"),
  SORTED_STRING ("name", "p.name", "p.name", NULL),
  { "role", G_TYPE_ENUM, rl_provider_role_get_type, "p.role", "p.role_rank", FALSE, "p.role" },
  SORTED_INT ("priority", "p.priority", "p.priority", NULL),
  BOOL ("enabled", "p.enabled"),
  ENUM ("health", rl_provider_health_get_type, "p.health_state", "p.health_state", "p.health_state"),
  INT ("consecutive-failures", "json_extract(p.json, '$.health.consecutiveFailures')"),
  INT ("latency", "json_extract(p.json, '$.health.latencyMs')"),
  STRING ("last-error", "json_extract(p.json, '$.health.lastError')"),
  INT ("last-checked", "rl_time_ms(json_extract(p.json, '$.health.lastCheckedAt'))"),
  INT ("version", "p.version"),
};

static const RlListColumn workflow_columns[] = {
  SORTED_STRING ("name", "w.name", "w.name", NULL),
  STRING ("description", "json_extract(w.json, '$.description')"),
  BOOL ("enabled", "w.enabled"),
  STRING ("triggers", "w.json -> '$.triggers'"),
  ENUM ("last-run-status", rl_run_status_get_type, "w.last_run_status", "w.last_run_status", "w.last_run_status"),
  SORTED_INT ("last-run-started", "w.last_run_ms", "w.last_run_ms", "w.last_run_ms"),
  INT ("version", "w.version"),
  /* The last 20 finished runs in the cache, and how many of them succeeded
   * (index runs_workflow). */
  INT ("recent-runs", "(SELECT count(*) FROM (SELECT 1 FROM runs WHERE workflow_id = w.id"
                      " AND status IN ('succeeded', 'failed', 'cancelled')"
                      " ORDER BY started_ms DESC LIMIT 20))"),
  INT ("recent-succeeded", "(SELECT count(*) FROM (SELECT status FROM runs WHERE workflow_id = w.id"
                           " AND status IN ('succeeded', 'failed', 'cancelled')"
                           " ORDER BY started_ms DESC LIMIT 20) WHERE status = 'succeeded')"),
};

static const RlListColumn run_columns[] = {
  FILTERED_STRING ("workflow-id", "r.workflow_id", "r.workflow_id"),
  SORTED_STRING ("workflow-name", "w.name", "w.name", NULL),
  ENUM ("status", rl_run_status_get_type, "r.status", "r.status", "r.status"),
  ENUM ("trigger", rl_run_trigger_get_type, "r.trigger", "r.trigger", "r.trigger"),
  SORTED_INT ("started", "r.started_ms", "r.started_ms", "r.started_ms"),
  INT ("finished", "r.finished_ms"),
  SORTED_INT ("duration", "r.duration_ms", "r.duration_ms", NULL),
  SORTED_INT ("attempt", "r.attempt", "r.attempt", NULL),
  STRING ("error", "r.error"),
};

static const RlListColumn sync_job_columns[] = {
  SORTED_STRING ("name", "s.name", "s.name", NULL),
  STRING ("source", "s.source"),
  STRING ("target", "s.target"),
  ENUM ("mode", rl_sync_mode_get_type, "s.mode", "s.mode", "s.mode"),
  ENUM ("status", rl_sync_job_status_get_type, "s.status", "s.status", "s.status"),
  SORTED_INT ("last-run", "s.last_run_ms", "s.last_run_ms", NULL),
  INT ("last-success", "rl_time_ms(json_extract(s.json, '$.lastSuccessAt'))"),
  INT ("records-processed", "json_extract(s.json, '$.recordsProcessed')"),
  INT ("records-failed", "json_extract(s.json, '$.recordsFailed')"),
  INT ("lag-seconds", "json_extract(s.json, '$.lagSeconds')"),
  ENUM ("conflict-strategy", rl_conflict_strategy_get_type, "s.conflict_strategy", "s.conflict_strategy", "s.conflict_strategy"),
  INT ("version", "s.version"),
  /* A cron expression, or NULL (event and realtime jobs). */
  STRING ("schedule", "json_extract(s.json, '$.schedule')"),
  /* A run, pause, resume or edit of it waits in the outbox: "Waiting to sync". */
  BOOL ("waiting", "EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'sync_job'"
                   " AND o.entity_id = s.id AND o.state = 'pending')"),
};

static const RlListColumn sync_log_columns[] = {
  FILTERED_STRING ("job-id", "l.job_id", "l.job_id"),
  STRING ("job-name", "j.name"),
  STRING ("record-ref", "l.record_ref"),
  ENUM ("operation", rl_sync_operation_get_type, "l.operation", "l.operation", "l.operation"),
  ENUM ("status", rl_sync_log_status_get_type, "l.status", "l.status", "l.status"),
  STRING ("error-message", "l.error_message"),
  SORTED_INT ("created", "l.created_ms", "l.created_ms", "l.created_ms"),
  /* Any JSON value: its text, as received. */
  STRING ("request-payload", "l.json -> '$.requestPayload'"),
  STRING ("response-payload", "l.json -> '$.responsePayload'"),
};

static const RlListColumn conflict_columns[] = {
  FILTERED_STRING ("job-id", "c.job_id", "c.job_id"),
  SORTED_STRING ("entity-type", "c.entity_type", "c.entity_type", "c.entity_type"),
  STRING ("entity-id", "c.entity_id"),
  ENUM ("status", rl_conflict_status_get_type, "c.status", "c.status", "c.status"),
  SORTED_INT ("detected", "c.detected_ms", "c.detected_ms", "c.detected_ms"),
  INT ("local-updated", "rl_time_ms(json_extract(c.json, '$.localUpdatedAt'))"),
  INT ("remote-updated", "rl_time_ms(json_extract(c.json, '$.remoteUpdatedAt'))"),
  /* A local conflict: the console's own offline edit met a 409. */
  BOOL ("is-local", "c.job_id IS NULL"),
  STRING ("job-name", "j.name"),
  /* The record's name as the server has it (else as edited), if it has one. */
  STRING ("record-name", "coalesce(json_extract(c.json, '$.remote.name'), json_extract(c.json, '$.local.name'))"),
  /* The fields both sides changed differently (rl_merge_three_way). */
  STRING ("fields", "rl_conflict_fields(c.entity_type, c.json -> '$.base', c.json -> '$.local', c.json -> '$.remote')"),
  STRING ("resolved-by", "json_extract(c.json, '$.resolution.resolvedBy')"),
  INT ("resolved", "rl_time_ms(json_extract(c.json, '$.resolution.resolvedAt'))"),
  INT ("version", "c.version"),
};

/* The outbox (the header's popover): its rows in the order they go, with
 * what went wrong (docs/sync.md). Small: filters and text scan. */
static const RlListColumn outbox_columns[] = {
  STRING ("kind", "o.kind"),
  STRING ("method", "o.method"),
  STRING ("path", "o.path"),
  FILTERED_STRING ("entity", "o.entity", "o.entity"),
  FILTERED_STRING ("entity-id", "o.entity_id", "o.entity_id"),
  ENUM ("state", rl_outbox_state_get_type, "o.state", "o.state", "o.state"),
  INT ("attempts", "o.attempts"),
  STRING ("last-error", "o.last_error"),
  STRING ("error-code", "o.error_code"),
  INT ("error-status", "o.error_status"),
  /* details.fields of a 422, as JSON text: {dotted path: message}. */
  STRING ("error-fields", "o.error_fields"),
  SORTED_INT ("created", "o.created_ms", "o.id", NULL),
  INT ("next-attempt", "o.next_attempt_ms"),
  INT ("updated", "o.updated_ms"),
};

/* The dispatch list (docs/forecast.md): stored forecasts (schema v8) now or
 * predicted, of drop points not retired, by full at (index forecasts_full_at
 * ends in device_id, the row's id). Filter the window with
 * rl_record_list_set_range (list, "full-at", from, to - 1). Fill in tenths
 * of a percent; latest 0 when open-ended. */
static const RlListColumn dispatch_columns[] = {
  SORTED_INT ("full-at", "f.full_at_ms", "f.full_at_ms", "f.full_at_ms"),
  STRING ("drop-point-id", "d.id"),
  SORTED_STRING ("name", "d.name", "d.name", NULL),
  STRING ("address", "d.address"),
  STRING ("status", "d.status"),
  SORTED_INT ("fill", "CAST(round(d.fill_level * 10) AS INTEGER)", "coalesce(CAST(round(d.fill_level * 10) AS INTEGER), -1)", NULL),
  INT ("forecast-status", "f.status"),
  INT ("earliest", "f.earliest_ms"),
  INT ("latest", "coalesce(f.latest_ms, 0)"),
  INT ("computed", "f.computed_ms"),
};

#define SPEC(kind, entity, from, id, text, short_text, sort, desc, type, columns)               \
  {                                                                                             \
    kind, entity, from, id, text, short_text, sort, desc, type, columns, G_N_ELEMENTS (columns) \
  }

/* Big tables search their FTS5 trigram index (migration v5); small ones
 * (providers, workflows, sync jobs: tens of rows) scan. A run is also
 * found by its workflow's name, a sync-log row by its job's: those tables
 * are small, and the rows of the matching ones come from an index. */
static const RlListSpec specs[] = {
  SPEC (RL_LIST_KIND_ALERTS, "alert", "alerts a LEFT JOIN drop_points d ON d.id = a.drop_point_id", "a.id", "a.rowid IN (SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH ?T)", "instr(a.search_text, ?S) > 0", "created", TRUE, rl_alert_item_get_type, alert_columns),
  SPEC (RL_LIST_KIND_PROVIDERS, "provider", "providers p", "p.id", "instr(p.search_text, ?S) > 0", "instr(p.search_text, ?S) > 0", "kind", FALSE, rl_provider_item_get_type, provider_columns),
  SPEC (RL_LIST_KIND_WORKFLOWS, "workflow", "workflows w", "w.id", "instr(w.search_text, ?S) > 0", "instr(w.search_text, ?S) > 0", "name", FALSE, rl_workflow_item_get_type, workflow_columns),
  SPEC (RL_LIST_KIND_RUNS, "run", "runs r LEFT JOIN workflows w ON w.id = r.workflow_id", "r.id", "r.rowid IN (SELECT rowid FROM runs_fts WHERE runs_fts MATCH ?T"
                                                                                                  " UNION SELECT rowid FROM runs WHERE workflow_id IN"
                                                                                                  " (SELECT id FROM workflows WHERE instr(search_text, ?S) > 0))",
        "(instr(r.search_text, ?S) > 0 OR instr(w.search_text, ?S) > 0)",
        "started",
        TRUE,
        rl_run_item_get_type,
        run_columns),
  SPEC (RL_LIST_KIND_SYNC_JOBS, "sync_job", "sync_jobs s", "s.id", "instr(s.search_text, ?S) > 0", "instr(s.search_text, ?S) > 0", "name", FALSE, rl_sync_job_item_get_type, sync_job_columns),
  SPEC (RL_LIST_KIND_SYNC_LOG, "sync_log", "sync_log l LEFT JOIN sync_jobs j ON j.id = l.job_id", "l.id", "l.rowid IN (SELECT rowid FROM sync_log_fts WHERE sync_log_fts MATCH ?T"
                                                                                                          " UNION SELECT rowid FROM sync_log WHERE job_id IN"
                                                                                                          " (SELECT id FROM sync_jobs WHERE instr(search_text, ?S) > 0))",
        "(instr(l.search_text, ?S) > 0 OR instr(j.search_text, ?S) > 0)",
        "created",
        TRUE,
        rl_sync_log_item_get_type,
        sync_log_columns),
  SPEC (RL_LIST_KIND_CONFLICTS, "conflict", "conflicts c LEFT JOIN sync_jobs j ON j.id = c.job_id", "c.id", "c.rowid IN (SELECT rowid FROM conflicts_fts WHERE conflicts_fts MATCH ?T)", "instr(c.search_text, ?S) > 0", "detected", TRUE, rl_conflict_item_get_type, conflict_columns),
  SPEC (RL_LIST_KIND_DISPATCH, "forecast", "forecasts f JOIN drop_points d ON d.device_id = f.device_id AND f.status IN (1, 2) AND d.status IS NOT 'retired'", "f.device_id", "instr(d.search_text, ?S) > 0", "instr(d.search_text, ?S) > 0", "full-at", FALSE, rl_forecast_item_get_type, dispatch_columns),
  SPEC (RL_LIST_KIND_OUTBOX, "outbox", "outbox o", "o.id", "instr(rl_fold(o.path, o.entity_id, o.last_error), ?S) > 0", "instr(rl_fold(o.path, o.entity_id, o.last_error), ?S) > 0", "created", FALSE, rl_outbox_item_get_type, outbox_columns),
};

const RlListSpec *
rl_list_spec_for_kind (RlListKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    if (specs[i].kind == kind)
      return &specs[i];
  g_return_val_if_reached (NULL);
}

const RlListColumn *
rl_list_spec_column (const RlListSpec *spec,
                     const char       *name,
                     guint            *out_index)
{
  if (name == NULL)
    return NULL;
  for (guint i = 0; i < spec->n_columns; i++)
    if (strcmp (spec->columns[i].name, name) == 0)
      {
        if (out_index != NULL)
          *out_index = i;
        return &spec->columns[i];
      }
  return NULL;
}
