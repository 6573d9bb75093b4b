/* list-records.c — records of each list kind, for the list model tests and bench-lists.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "list-records.h"
#include "rl-time.h"

static char *
time_at (guint i,
         guint variant)
{
  /* Many equal times (ties broken by id) and moves when the variant changes. */
  return rl_time_format_ms (LIST_BASE_MS + (gint64) ((i * 7919u + variant * 104729u) % 3000u) * 1000);
}

static void
set_time (JsonObject *object,
          const char *member,
          guint       i,
          guint       variant)
{
  g_autofree char *time = time_at (i, variant);

  json_object_set_string_member (object, member, time);
}

static const char *
pick (const char *const *values,
      guint              i)
{
  guint n = g_strv_length ((GStrv) values);

  return values[i % n];
}

JsonObject *
list_make_alert (guint i,
                 guint v)
{
  static const char *const types[] = { "FULL_BIN", "LOW_BATTERY", "HIGH_TEMPERATURE", "OFFLINE",
                                       "SENSOR_FAULT", NULL };
  static const char *const severities[] = { "HIGH", "MEDIUM", "LOW", NULL };
  static const char *const statuses[] = { "open", "acknowledged", "resolved", NULL };
  JsonObject              *o = json_object_new ();
  g_autofree char         *id = g_strdup_printf ("al-%06u", i);

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "dropPointId", "dp-none");
  json_object_set_string_member (o, "deviceId", "bin-none");
  json_object_set_string_member (o, "type", pick (types, i));
  json_object_set_string_member (o, "severity", pick (severities, i + v));
  json_object_set_string_member (o, "status", pick (statuses, i + v));
  json_object_set_string_member (o, "message", MARKED (i) ? MARK_TEXT : "Bin report");
  set_time (o, "createdAt", i, v);
  json_object_set_int_member (o, "version", v + 1);
  return o;
}

static JsonObject *
make_provider (guint i,
               guint v)
{
  static const char *const kinds[] = { "payment", "email", "sms", "storage", "llm", NULL };
  static const char *const roles[] = { "primary", "fallback", "backup", NULL };
  static const char *const states[] = { "healthy", "degraded", "down", "circuit_open", NULL };
  JsonObject              *o = json_object_new ();
  JsonObject              *health = json_object_new ();
  g_autofree char         *id = g_strdup_printf ("pr-%06u", i);
  g_autofree char         *name = g_strdup_printf ("%s %u", MARKED (i) ? MARK_TEXT : "Provider", i % 13);

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "type", "smtp");
  json_object_set_string_member (o, "kind", pick (kinds, i));
  json_object_set_string_member (o, "name", name);
  json_object_set_string_member (o, "role", pick (roles, i + v));
  json_object_set_int_member (o, "priority", (i * 31 + v) % 10);
  json_object_set_boolean_member (o, "enabled", i % 2 == 0);
  json_object_set_string_member (health, "state", pick (states, i + v));
  json_object_set_int_member (health, "consecutiveFailures", v);
  json_object_set_object_member (o, "health", health);
  json_object_set_int_member (o, "version", v + 1);
  return o;
}

static JsonObject *
make_workflow (guint i,
               guint v)
{
  static const char *const statuses[] = { "succeeded", "failed", "running", NULL };
  JsonObject              *o = json_object_new ();
  JsonObject              *last = json_object_new ();
  g_autofree char         *id = g_strdup_printf ("wf-%06u", i);
  g_autofree char         *name = g_strdup_printf ("Workflow %u", (i * 17 + v) % 50);

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "name", name);
  json_object_set_string_member (o, "description", MARKED (i) ? MARK_TEXT : "Nightly export");
  json_object_set_boolean_member (o, "enabled", TRUE);
  json_object_set_array_member (o, "triggers", json_array_new ());
  json_object_set_string_member (last, "status", pick (statuses, i + v));
  set_time (last, "startedAt", i, v);
  json_object_set_object_member (o, "lastRun", last);
  json_object_set_int_member (o, "version", v + 1);
  return o;
}

JsonObject *
list_make_run (guint i,
               guint v)
{
  static const char *const statuses[] = { "queued", "running", "succeeded", "failed", "cancelled",
                                          NULL };
  static const char *const triggers[] = { "schedule", "event", "manual", NULL };
  JsonObject              *o = json_object_new ();
  g_autofree char         *id = g_strdup_printf ("run-%06u", i);
  g_autofree char         *workflow = g_strdup_printf ("wf-%03u", i % 20);

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "workflowId", workflow);
  json_object_set_string_member (o, "status", pick (statuses, i + v));
  json_object_set_string_member (o, "trigger", pick (triggers, i));
  set_time (o, "startedAt", i, v);
  json_object_set_int_member (o, "durationMs", (i * 37 + v * 11) % 500);
  json_object_set_int_member (o, "attempt", 1 + v % 3);
  if (MARKED (i))
    json_object_set_string_member (o, "error", MARK_TEXT);
  else
    json_object_set_null_member (o, "error");
  return o;
}

static JsonObject *
make_sync_job (guint i,
               guint v)
{
  static const char *const statuses[] = { "idle", "running", "failed", "paused", NULL };
  JsonObject              *o = json_object_new ();
  g_autofree char         *id = g_strdup_printf ("job-%06u", i);
  g_autofree char         *name = g_strdup_printf ("Job %u", (i * 13 + v) % 40);

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "name", name);
  json_object_set_string_member (o, "source", MARKED (i) ? MARK_TEXT : "reloop-postgres");
  json_object_set_string_member (o, "target", "kmc-gis");
  json_object_set_string_member (o, "mode", "scheduled");
  json_object_set_string_member (o, "status", pick (statuses, i + v));
  set_time (o, "lastRunAt", i, v);
  json_object_set_string_member (o, "conflictStrategy", "manual");
  json_object_set_int_member (o, "version", v + 1);
  return o;
}

static JsonObject *
make_sync_log (guint i,
               guint v)
{
  static const char *const operations[] = { "create", "update", "delete", NULL };
  static const char *const statuses[] = { "success", "failure", NULL };
  JsonObject              *o = json_object_new ();
  g_autofree char         *id = g_strdup_printf ("log-%06u", i);
  g_autofree char         *ref = g_strdup_printf ("customer/%u", i % 90);

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "jobId", "job-000001");
  json_object_set_string_member (o, "recordRef", ref);
  json_object_set_string_member (o, "operation", pick (operations, i + v));
  json_object_set_string_member (o, "status", pick (statuses, i + v));
  json_object_set_string_member (o, "errorMessage", MARKED (i) ? MARK_TEXT : "");
  set_time (o, "createdAt", i, v);
  json_object_set_int_member (o, "requestPayload", (gint64) i);
  return o;
}

static JsonObject *
make_conflict (guint i,
               guint v)
{
  static const char *const types[] = { "drop_point", "provider", "customer", NULL };
  static const char *const statuses[] = { "open", "resolved", NULL };
  JsonObject              *o = json_object_new ();
  g_autofree char         *id = g_strdup_printf ("cf-%06u", i);
  g_autofree char         *entity = g_strdup_printf ("%s-%u", MARKED (i) ? MARK_TEXT : "rec", i);

  json_object_set_string_member (o, "id", id);
  if (i % 3 == 0)
    json_object_set_null_member (o, "jobId");
  else
    json_object_set_string_member (o, "jobId", "job-000002");
  json_object_set_string_member (o, "entityType", pick (types, i + v));
  json_object_set_string_member (o, "entityId", entity);
  set_time (o, "detectedAt", i, v);
  json_object_set_string_member (o, "status", pick (statuses, i + v));
  json_object_set_int_member (o, "version", v + 1);
  return o;
}

const KindCase list_kind_cases[] = {
  { RL_LIST_KIND_ALERTS, "alert", "alerts", "created_ms DESC, id DESC", "status", "status", "open",
    "message", "severity",
    "CASE severity WHEN 'HIGH' THEN 3 WHEN 'MEDIUM' THEN 2 WHEN 'LOW' THEN 1 ELSE 0 END",
    list_make_alert },
  { RL_LIST_KIND_PROVIDERS, "provider", "providers",
    "kind || char(1) || (CASE role WHEN 'primary' THEN 1 WHEN 'fallback' THEN 2 WHEN 'backup' "
    "THEN 3 ELSE 4 END) || char(1) || printf('%012d', priority) || char(1) || name, id",
    "role", "role", "fallback", "name", "name", "name", make_provider },
  { RL_LIST_KIND_WORKFLOWS, "workflow", "workflows", "name, id", "last-run-status",
    "last_run_status", "failed", "json_extract(json, '$.description')", "last-run-started",
    "last_run_ms", make_workflow },
  { RL_LIST_KIND_RUNS, "run", "runs", "started_ms DESC, id DESC", "status", "status", "failed",
    "error", "duration", "duration_ms", list_make_run },
  { RL_LIST_KIND_SYNC_JOBS, "sync_job", "sync_jobs", "name, id", "status", "status", "paused",
    "source", "last-run", "last_run_ms", make_sync_job },
  { RL_LIST_KIND_SYNC_LOG, "sync_log", "sync_log", "created_ms DESC, id DESC", "status", "status",
    "failure", "error_message", "operation", "operation", make_sync_log },
  { RL_LIST_KIND_CONFLICTS, "conflict", "conflicts", "detected_ms DESC, id DESC", "status",
    "status", "open", "entity_id", "entity-type", "entity_type", make_conflict },
};

const guint list_n_kind_cases = G_N_ELEMENTS (list_kind_cases);

const KindCase *
list_kind_case (RlListKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (list_kind_cases); i++)
    if (list_kind_cases[i].kind == kind)
      return &list_kind_cases[i];
  g_assert_not_reached ();
}

void
list_write_records (RlStore        *store,
                    const KindCase *kc,
                    guint           first,
                    guint           n,
                    guint           variant)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);

  g_assert_no_error (error);
  for (guint i = first; i < first + n; i++)
    {
      g_autoptr (JsonObject) record = kc->make (i, variant);

      rl_store_batch_upsert (batch, kc->entity, record, &error);
      g_assert_no_error (error);
    }
  rl_store_batch_commit (batch, &error);
  g_assert_no_error (error);
}
