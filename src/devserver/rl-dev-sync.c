/* rl-dev-sync.c — sync jobs (seeds 002/003), their logs, and conflicts.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rl-dev-private.h"
#include "rl-time.h"

static const char *strategies[] = { "local_wins", "remote_wins", "merge",
                                    "timestamp_wins", "manual", NULL };
static const char *resolve_strategies[] = { "local_wins", "remote_wins", "merge", "manual", NULL };

static const struct
{
  const char *name, *source, *target, *mode, *schedule, *status, *strategy;
} job_seeds[] = {
  { "Drop points → municipal ERP", "reloop-postgres", "kmc-erp", "scheduled", "*/15 * * * *",
    "idle", "timestamp_wins" },
  { "Collections → ward GIS", "reloop-postgres", "kmc-gis", "event", NULL, "idle", "remote_wins" },
  { "Khalti settlements → payouts", "khalti", "reloop-postgres", "realtime", NULL, "idle",
    "local_wins" },
  { "Customers ↔ CRM", "reloop-postgres", "zoho-crm", "scheduled", "0 * * * *", "failed",
    "manual" },
  { "Readings → BigQuery", "reloop-timescale", "bigquery", "realtime", NULL, "paused", "merge" },
};

static void
add_log (RlDevServer *srv,
         JsonObject  *job,
         GRand       *rand,
         gint64       at_ms)
{
  static const char *ops[] = { "create", "update", "update", "update", "delete" };
  g_autofree char   *id = rl_dev_db_next_id (srv, "slog", 9);
  g_autofree char   *ref = g_strdup_printf ("dp-%06u", g_rand_int_range (rand, 1, 2000));
  g_autoptr (JsonObject) o = json_object_new ();
  const char      *op = ops[g_rand_int_range (rand, 0, G_N_ELEMENTS (ops))];
  gboolean         fail = g_rand_int_range (rand, 0, 100) < 12;
  g_autofree char *req = g_strdup_printf (
      "{\"id\":\"%s\",\"op\":\"%s\",\"fields\":{\"fillLevel\":%d,"
      "\"status\":\"active\"},\"source\":\"%s\"}",
      ref, op, g_rand_int_range (rand, 0, 100), json_object_get_string_member (job, "source"));
  JsonParser *parser = json_parser_new ();

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "jobId", json_object_get_string_member (job, "id"));
  json_object_set_string_member (o, "recordRef", ref);
  json_object_set_string_member (o, "operation", op);
  json_object_set_string_member (o, "status", fail ? "failure" : "success");
  if (fail)
    json_object_set_string_member (o, "errorMessage",
                                   g_rand_boolean (rand)
                                       ? "HTTP 409 from target: record locked by another session"
                                       : "Timeout after 30000 ms waiting for target");
  else
    json_object_set_null_member (o, "errorMessage");
  json_parser_load_from_data (parser, req, -1, NULL);
  json_object_set_member (o, "requestPayload", json_node_copy (json_parser_get_root (parser)));
  if (fail)
    json_object_set_null_member (o, "responsePayload");
  else
    {
      JsonObject *resp = json_object_new ();
      json_object_set_int_member (resp, "status", 200);
      json_object_set_string_member (resp, "remoteId", id + 5);
      json_object_set_object_member (o, "responsePayload", resp);
    }
  g_object_unref (parser);
  rl_dev_set_time (o, "createdAt", at_ms);
  rl_dev_db_put (srv, "sync_log", id, NULL, o);
  json_object_set_int_member (
      job, fail ? "recordsFailed" : "recordsProcessed",
      json_object_get_int_member (job, fail ? "recordsFailed" : "recordsProcessed") + 1);
}

void
rl_dev_sync_seed (RlDevServer *srv,
                  GRand       *rand)
{
  gint64 now = rl_time_now_ms ();

  for (guint j = 0; j < G_N_ELEMENTS (job_seeds); j++)
    {
      g_autofree char *id = rl_dev_db_next_id (srv, "sj", 4);
      g_autoptr (JsonObject) job = json_object_new ();

      json_object_set_string_member (job, "id", id);
      json_object_set_string_member (job, "name", job_seeds[j].name);
      json_object_set_string_member (job, "source", job_seeds[j].source);
      json_object_set_string_member (job, "target", job_seeds[j].target);
      json_object_set_string_member (job, "mode", job_seeds[j].mode);
      if (job_seeds[j].schedule)
        json_object_set_string_member (job, "schedule", job_seeds[j].schedule);
      else
        json_object_set_null_member (job, "schedule");
      json_object_set_string_member (job, "status", job_seeds[j].status);
      rl_dev_set_time (job, "lastRunAt", now - 600000);
      rl_dev_set_time (job, "lastSuccessAt",
                       now - (g_str_equal (job_seeds[j].status, "failed") ? 7200000 : 600000));
      json_object_set_int_member (job, "recordsProcessed", 0);
      json_object_set_int_member (job, "recordsFailed", 0);
      json_object_set_int_member (job, "lagSeconds", g_rand_int_range (rand, 0, 900));
      json_object_set_string_member (job, "conflictStrategy", job_seeds[j].strategy);
      json_object_set_int_member (job, "version", 1);
      for (int k = 40; k >= 1; k--)
        add_log (srv, job, rand, now - (gint64) k * 90000);
      rl_dev_db_put (srv, "sync_job", id, NULL, job);
    }
  {
    g_autoptr (JsonArray) created = rl_dev_conflicts_create (srv, 6);
  }
}

static void
sync_run_finish (RlDevServer *srv,
                 JsonObject  *job,
                 gint64       now)
{
  gboolean fails = g_str_equal (json_object_get_string_member (job, "target"), "zoho-crm");

  for (int k = 0; k < 5; k++)
    add_log (srv, job, srv->rand, now);
  json_object_set_string_member (job, "status", fails ? "failed" : "idle");
  if (!fails)
    rl_dev_set_time (job, "lastSuccessAt", now);
  json_object_set_int_member (job, "lagSeconds", 0);
  /* job progress and counters are server-managed: same version */
  rl_dev_db_put (srv, "sync_job", json_object_get_string_member (job, "id"), NULL, job);
}

/* The ids of the sync jobs whose status matches @status_test (SQL after
 * "status "), by id. */
static GPtrArray *
job_ids (RlDevServer *srv,
         const char  *status_test)
{
  g_autofree char *sql = g_strdup_printf (
      "SELECT id FROM records WHERE entity = 'sync_job' AND deleted = 0 "
      "AND json_extract (data, '$.status') %s ORDER BY id",
      status_test);
  GPtrArray    *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (srv->db, sql, -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return ids;
}

/* Every --drift-interval seconds (the 300 ms tick) the jobs that are not paused or running drift: their
 * lag moves, and a realtime job syncs a record or two (a log row each,
 * counted in recordsProcessed / recordsFailed). Server-managed fields: a
 * new seq, the same version. */
#define TICK_MS 300

static void
sync_drift (RlDevServer *srv,
            gint64       now)
{
  g_autoptr (GPtrArray) ids = job_ids (srv, "IN ('idle', 'failed')");

  if (ids->len == 0)
    return;
  /* Its own generator: the drift runs on the clock, and draws from the
   * shared one would change what a seed gives everything else (the
   * conflicts /__dev/conflicts makes, say) with the timing. */
  if (srv->drift_rand == NULL)
    srv->drift_rand = g_rand_new_with_seed (srv->seed ^ 0xd71f);
  rl_dev_db_begin (srv);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (JsonObject) job = rl_dev_db_get (srv, "sync_job", ids->pdata[i]);
      gint64 lag;

      if (job == NULL)
        continue;
      lag = rl_dev_json_int (job, "lagSeconds", 0) + g_rand_int_range (srv->drift_rand, -20, 31);
      json_object_set_int_member (job, "lagSeconds", CLAMP (lag, 0, 3600));
      if (g_strcmp0 (rl_dev_json_string (job, "mode", NULL), "realtime") == 0)
        {
          gint64 failed = rl_dev_json_int (job, "recordsFailed", 0);
          int    n = g_rand_int_range (srv->drift_rand, 1, 3);

          for (int k = 0; k < n; k++)
            add_log (srv, job, srv->drift_rand, now);
          rl_dev_set_time (job, "lastRunAt", now);
          if (rl_dev_json_int (job, "recordsFailed", 0) == failed)
            rl_dev_set_time (job, "lastSuccessAt", now);
        }
      rl_dev_db_put (srv, "sync_job", ids->pdata[i], NULL, job);
    }
  rl_dev_db_commit (srv);
}

void
rl_dev_sync_tick (RlDevServer *srv)
{
  g_autoptr (GPtrArray) ids = NULL;
  gint64 now = rl_time_now_ms ();

  if (srv->drift_interval_s > 0
      && ++srv->sync_ticks % MAX (1, srv->drift_interval_s * 1000 / TICK_MS) == 0)
    sync_drift (srv, now);
  ids = job_ids (srv, "= 'running'");
  if (ids->len == 0)
    return;
  rl_dev_db_begin (srv);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (JsonObject) job = rl_dev_db_get (srv, "sync_job", ids->pdata[i]);
      gint64 started = 0;

      if (job && rl_time_parse_ms (json_object_get_string_member (job, "lastRunAt"), &started)
          && now - started >= 1500)
        sync_run_finish (srv, job, now);
    }
  rl_dev_db_commit (srv);
}

static void
job_patch (RlDevReq   *req,
           JsonObject *job)
{
  JsonObject *body = rl_dev_body_object (req);
  g_autoptr (JsonObject) errors = json_object_new ();
  GList *keys;

  if (body == NULL || !rl_dev_check_if_match (req, job, TRUE))
    return;
  keys = json_object_get_members (body);
  for (GList *l = keys; l; l = l->next)
    {
      const char *key = l->data;
      JsonNode   *v = json_object_get_member (body, key);
      gboolean    is_str = JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING;

      if (g_str_equal (key, "conflictStrategy"))
        {
          if (!is_str || !g_strv_contains (strategies, json_node_get_string (v)))
            json_object_set_string_member (
                errors, key, "must be local_wins, remote_wins, merge, timestamp_wins or manual");
          else
            json_object_set_string_member (job, key, json_node_get_string (v));
        }
      else if (g_str_equal (key, "schedule"))
        {
          g_auto (GStrv) f = is_str ? g_strsplit_set (json_node_get_string (v), " \t", -1) : NULL;
          guint n = 0;

          for (guint i = 0; f && f[i]; i++)
            if (f[i][0])
              n++;
          if (JSON_NODE_HOLDS_NULL (v))
            json_object_set_null_member (job, key);
          else if (!is_str || n != 5)
            json_object_set_string_member (errors, key,
                                           "must be a 5-field cron expression or null");
          else
            json_object_set_string_member (job, key, json_node_get_string (v));
        }
      else if (!g_str_equal (key, "id") && !g_str_equal (key, "version"))
        json_object_set_string_member (errors, key, "is not editable");
    }
  g_list_free (keys);
  if (json_object_get_size (errors) > 0)
    return rl_dev_reply_fields (req, errors);
  rl_dev_touch_record (job, TRUE);
  rl_dev_db_put (req->srv, "sync_job", json_object_get_string_member (job, "id"), NULL, job);
  rl_dev_reply_record (req, 200, job);
}

void
rl_dev_sync_handle (RlDevReq *req)
{
  g_autoptr (JsonObject) job = NULL;
  const char *action, *status;

  if (!rl_dev_require_role (req, RL_DEV_ROLE_ADMIN | RL_DEV_ROLE_SUPPORT))
    return;
  if (req->n_parts < 2 || !g_str_equal (req->parts[1], "jobs") || req->n_parts > 4)
    return rl_dev_not_found (req);
  if (req->n_parts == 2)
    {
      if (!g_str_equal (req->method, "GET"))
        return rl_dev_method_not_allowed (req, "GET");
      return rl_dev_list_reply (req, "sync_job", NULL, FALSE);
    }
  action = req->n_parts == 4 ? req->parts[3] : NULL;
  if (action
      && !g_strv_contains ((const char *[]){ "log", "run", "pause", "resume", NULL }, action))
    return rl_dev_not_found (req);
  if (action == NULL && !g_str_equal (req->method, "GET") && !g_str_equal (req->method, "PATCH"))
    return rl_dev_method_not_allowed (req, "GET, PATCH");
  if (action && g_str_equal (action, "log") && !g_str_equal (req->method, "GET"))
    return rl_dev_method_not_allowed (req, "GET");
  if (action && !g_str_equal (action, "log") && !g_str_equal (req->method, "POST"))
    return rl_dev_method_not_allowed (req, "POST");
  job = rl_dev_db_get (req->srv, "sync_job", req->parts[2]);
  if (job == NULL)
    return rl_dev_not_found (req);
  if (action == NULL)
    return g_str_equal (req->method, "GET") ? rl_dev_reply_record (req, 200, job)
                                            : job_patch (req, job);
  if (g_str_equal (action, "log"))
    return rl_dev_list_reply (req, "sync_log", req->parts[2], TRUE);

  if (!rl_dev_check_if_match (req, job, FALSE))
    return;
  status = json_object_get_string_member (job, "status");
  if (g_str_equal (action, "run"))
    {
      if (g_str_equal (status, "paused") || g_str_equal (status, "running"))
        return rl_dev_reply_invalid_state (req, job,
                                           g_str_equal (status, "paused")
                                               ? "The job is paused: resume it first"
                                               : "The job is already running");
      json_object_set_string_member (job, "status", "running");
      rl_dev_set_time (job, "lastRunAt", rl_time_now_ms ());
    }
  else if (g_str_equal (action, "pause"))
    {
      if (g_str_equal (status, "paused"))
        return rl_dev_reply_invalid_state (req, job, "The job is already paused");
      json_object_set_string_member (job, "status", "paused");
    }
  else
    {
      if (!g_str_equal (status, "paused"))
        return rl_dev_reply_invalid_state (req, job, "Only a paused job can be resumed");
      json_object_set_string_member (job, "status", "idle");
    }
  rl_dev_touch_record (job, TRUE);
  rl_dev_db_put (req->srv, "sync_job", req->parts[2], NULL, job);
  rl_dev_reply_record (req, 200, job);
}

/* ---- conflicts ---- */

static JsonObject *
parse (const char *text)
{
  return rl_dev_json_parse_object (text);
}

JsonArray *
rl_dev_conflicts_create (RlDevServer *srv,
                         guint        count)
{
  JsonArray *created = json_array_new ();
  gint64     now = rl_time_now_ms ();

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *id = rl_dev_db_next_id (srv, "cf", 6);
      g_autoptr (JsonObject) c = json_object_new ();
      guint            kind = g_rand_int_range (srv->rand, 0, 3);
      guint            n = g_rand_int_range (srv->rand, 1, 2000);
      g_autofree char *entity_id = NULL;
      g_autofree char *base = NULL, *local = NULL, *remote = NULL;

      if (kind == 0)
        {
          entity_id = g_strdup_printf ("dp-%06u", n);
          base = g_strdup_printf ("{\"id\":\"%s\",\"name\":\"Thamel Chowk %u\",\"address\":\"Ward "
                                  "26, Thamel, Kathmandu\","
                                  "\"status\":\"active\",\"capacityLiters\":660,\"notes\":\"\","
                                  "\"location\":{\"latitude\":27.7154,\"longitude\":85.3123}}",
                                  entity_id, n % 40);
          local = g_strdup_printf ("{\"id\":\"%s\",\"name\":\"Thamel Chowk %u\",\"address\":\"Ward "
                                   "26, Thamel, Kathmandu\","
                                   "\"status\":\"maintenance\",\"capacityLiters\":660,\"notes\":"
                                   "\"Lid broken, crew booked\","
                                   "\"location\":{\"latitude\":27.7154,\"longitude\":85.3123}}",
                                   entity_id, n % 40);
          remote = g_strdup_printf (
              "{\"id\":\"%s\",\"name\":\"ठमेल चोक %u\",\"address\":\"Ward 26, Thamel, Kathmandu\","
              "\"status\":\"active\",\"capacityLiters\":1100,\"notes\":\"\","
              "\"location\":{\"latitude\":27.7156,\"longitude\":85.3121}}",
              entity_id, n % 40);
        }
      else if (kind == 1)
        {
          entity_id = g_strdup_printf ("prv-%04u", 1 + n % 18);
          base = g_strdup_printf (
              "{\"id\":\"%s\",\"name\":\"Khalti wallet\",\"role\":\"primary\",\"priority\":1,"
              "\"config\":{\"endpoint\":\"https://khalti.com/api/"
              "v2\",\"timeoutMs\":8000,\"sandbox\":false}}",
              entity_id);
          local = g_strdup_printf (
              "{\"id\":\"%s\",\"name\":\"Khalti wallet\",\"role\":\"primary\",\"priority\":1,"
              "\"config\":{\"endpoint\":\"https://khalti.com/api/"
              "v2\",\"timeoutMs\":12000,\"sandbox\":false}}",
              entity_id);
          remote = g_strdup_printf (
              "{\"id\":\"%s\",\"name\":\"Khalti (live)\",\"role\":\"fallback\",\"priority\":1,"
              "\"config\":{\"endpoint\":\"https://khalti.com/api/"
              "v2\",\"timeoutMs\":8000,\"sandbox\":true}}",
              entity_id);
        }
      else
        {
          entity_id = g_strdup_printf ("cust-%05u", n);
          base = NULL;
          local = g_strdup_printf (
              "{\"id\":\"%s\",\"name\":\"Bishnu Karki\",\"phone\":\"+977-9841%06u\","
              "\"address\":{\"ward\":10,\"street\":\"Baneshwor Marg\",\"city\":\"Kathmandu\"},"
              "\"rewardPoints\":420,\"tags\":[\"recycler\",\"gold\"]}",
              entity_id, n);
          remote = g_strdup_printf (
              "{\"id\":\"%s\",\"name\":\"Bishnu Karki\",\"phone\":\"+977-9851%06u\","
              "\"address\":{\"ward\":10,\"street\":\"New Baneshwor\",\"city\":\"काठमाडौं\"},"
              "\"rewardPoints\":455,\"tags\":[\"recycler\"]}",
              entity_id, n);
        }
      json_object_set_string_member (c, "id", id);
      json_object_set_string_member (c, "jobId", kind == 2 ? "sj-0004" : "sj-0001");
      json_object_set_string_member (c, "entityType",
                                     kind == 0   ? "drop_point"
                                     : kind == 1 ? "provider"
                                                 : "customer");
      json_object_set_string_member (c, "entityId", entity_id);
      if (base)
        json_object_set_object_member (c, "base", parse (base));
      else
        json_object_set_null_member (c, "base");
      json_object_set_object_member (c, "local", parse (local));
      json_object_set_object_member (c, "remote", parse (remote));
      rl_dev_set_time (c, "localUpdatedAt",
                       now - g_rand_int_range (srv->rand, 60, 7200) * (gint64) 1000);
      rl_dev_set_time (c, "remoteUpdatedAt",
                       now - g_rand_int_range (srv->rand, 60, 7200) * (gint64) 1000);
      rl_dev_set_time (c, "detectedAt", now);
      json_object_set_string_member (c, "status", "open");
      json_object_set_null_member (c, "resolution");
      json_object_set_int_member (c, "version", 1);
      rl_dev_db_put (srv, "conflict", id, NULL, c);
      json_array_add_object_element (created, json_object_ref (c));
    }
  return created;
}

static void
resolve (RlDevReq   *req,
         JsonObject *c)
{
  JsonObject *body = rl_dev_body_object (req);
  g_autoptr (JsonObject) errors = json_object_new ();
  JsonObject      *resolution;
  const char      *strategy;
  JsonNode        *merged, *comment;
  g_autofree char *now = rl_dev_now_string ();

  if (body == NULL || !rl_dev_check_if_match (req, c, TRUE))
    return;
  if (!g_str_equal (json_object_get_string_member (c, "status"), "open"))
    return rl_dev_reply_invalid_state (req, c, "The conflict is already resolved");
  strategy = rl_dev_json_string (body, "strategy", NULL);
  merged = json_object_get_member (body, "merged");
  comment = json_object_get_member (body, "comment");
  if (strategy == NULL || !g_strv_contains (resolve_strategies, strategy))
    json_object_set_string_member (errors, "strategy",
                                   "must be local_wins, remote_wins, merge or manual");
  else if ((g_str_equal (strategy, "merge") || g_str_equal (strategy, "manual"))
           && (merged == NULL || JSON_NODE_HOLDS_NULL (merged)))
    json_object_set_string_member (errors, "merged", "required for merge and manual");
  if (merged && !JSON_NODE_HOLDS_NULL (merged) && !JSON_NODE_HOLDS_OBJECT (merged))
    json_object_set_string_member (errors, "merged", "must be an object");
  if (comment && !JSON_NODE_HOLDS_NULL (comment)
      && (!JSON_NODE_HOLDS_VALUE (comment) || json_node_get_value_type (comment) != G_TYPE_STRING))
    json_object_set_string_member (errors, "comment", "must be a string");
  if (merged && JSON_NODE_HOLDS_OBJECT (merged)
      && g_str_equal (json_object_get_string_member (c, "entityType"), "drop_point"))
    {
      JsonObject *m = json_node_get_object (merged);
      if (json_object_has_member (m, "latitude"))
        {
          JsonNode *lat = json_object_get_member (m, "latitude");
          if (!JSON_NODE_HOLDS_VALUE (lat) || json_node_get_value_type (lat) == G_TYPE_STRING
              || json_node_get_double (lat) < -90 || json_node_get_double (lat) > 90)
            json_object_set_string_member (errors, "merged.latitude", "must be a number in -90–90");
        }
    }
  if (json_object_get_size (errors) > 0)
    return rl_dev_reply_fields (req, errors);

  resolution = json_object_new ();
  json_object_set_string_member (resolution, "strategy", strategy);
  if (merged && JSON_NODE_HOLDS_OBJECT (merged))
    json_object_set_member (resolution, "merged", json_node_copy (merged));
  else
    json_object_set_member (resolution, "merged",
                            json_node_copy (json_object_get_member (
                                c, g_str_equal (strategy, "local_wins") ? "local" : "remote")));
  if (comment && !JSON_NODE_HOLDS_NULL (comment))
    json_object_set_string_member (resolution, "comment", json_node_get_string (comment));
  else
    json_object_set_null_member (resolution, "comment");
  json_object_set_string_member (resolution, "resolvedBy", req->user->email);
  json_object_set_string_member (resolution, "resolvedAt", now);
  json_object_set_object_member (c, "resolution", resolution);
  json_object_set_string_member (c, "status", "resolved");
  rl_dev_touch_record (c, TRUE);
  rl_dev_db_put (req->srv, "conflict", json_object_get_string_member (c, "id"), NULL, c);
  rl_dev_reply_record (req, 200, c);
}

void
rl_dev_conflicts_handle (RlDevReq *req)
{
  g_autoptr (JsonObject) c = NULL;

  if (!rl_dev_require_role (req, RL_DEV_ROLE_ADMIN | RL_DEV_ROLE_SUPPORT))
    return;
  if (req->n_parts == 1)
    {
      const char *status = req->query ? g_hash_table_lookup (req->query, "status") : NULL;

      if (!g_str_equal (req->method, "GET"))
        return rl_dev_method_not_allowed (req, "GET");
      if (status && *status == '\0')
        status = NULL;
      if (status && !g_str_equal (status, "open") && !g_str_equal (status, "resolved"))
        return rl_dev_reply_error (req, 400, "BAD_REQUEST", "status must be open or resolved",
                                   NULL);
      return rl_dev_list_reply (req, "conflict", status, FALSE);
    }
  if (req->n_parts > 3 || (req->n_parts == 3 && !g_str_equal (req->parts[2], "resolve")))
    return rl_dev_not_found (req);
  if (req->n_parts == 2 && !g_str_equal (req->method, "GET"))
    return rl_dev_method_not_allowed (req, "GET");
  if (req->n_parts == 3 && !g_str_equal (req->method, "POST"))
    return rl_dev_method_not_allowed (req, "POST");
  c = rl_dev_db_get (req->srv, "conflict", req->parts[1]);
  if (c == NULL)
    return rl_dev_not_found (req);
  if (req->n_parts == 2)
    return rl_dev_reply_record (req, 200, c);
  resolve (req, c);
}
