/* rl-dev-workflows.c — workflows (seed 003 model) and runs that progress
 * over time, step by step, with run logs.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rl-dev-private.h"
#include "rl-time.h"

void
rl_dev_run_add_log (RlDevServer *srv,
                    const char  *run_id,
                    const char  *level,
                    const char  *step_id,
                    const char  *message,
                    gint64       at_ms)
{
  g_autofree char *id = rl_dev_db_next_id (srv, "log", 10);
  g_autofree char *at = rl_time_format_ms (at_ms);
  g_autoptr (JsonObject) o = json_object_new ();

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "runId", run_id);
  json_object_set_string_member (o, "timestamp", at);
  json_object_set_string_member (o, "level", level);
  if (step_id)
    json_object_set_string_member (o, "stepId", step_id);
  else
    json_object_set_null_member (o, "stepId");
  json_object_set_string_member (o, "message", message);
  rl_dev_db_put (srv, "run_log", id, NULL, o);
}

static JsonObject *
find_step (JsonArray  *steps,
           const char *step_id,
           const char *key)
{
  for (guint i = 0; step_id && i < json_array_get_length (steps); i++)
    {
      JsonObject *s = json_array_get_object_element (steps, i);
      if (g_str_equal (json_object_get_string_member (s, key), step_id))
        return s;
    }
  return NULL;
}

static void
reset_run_steps (JsonObject *run,
                 JsonObject *workflow)
{
  JsonArray *wsteps = json_object_get_array_member (workflow, "steps");
  JsonArray *old =
      json_object_has_member (run, "steps") ? json_object_get_array_member (run, "steps") : NULL;
  JsonArray *steps = json_array_new ();

  for (guint i = 0; i < json_array_get_length (wsteps); i++)
    {
      const char *sid =
          json_object_get_string_member (json_array_get_object_element (wsteps, i), "id");
      JsonObject *prev = old ? find_step (old, sid, "stepId") : NULL;
      JsonObject *s = json_object_new ();

      json_object_set_string_member (s, "stepId", sid);
      json_object_set_string_member (s, "status", "pending");
      json_object_set_null_member (s, "startedAt");
      json_object_set_null_member (s, "finishedAt");
      json_object_set_int_member (s, "attempts",
                                  prev ? json_object_get_int_member (prev, "attempts") : 0);
      json_object_set_null_member (s, "error");
      json_object_set_null_member (s, "output");
      json_array_add_object_element (steps, s);
    }
  json_object_set_array_member (run, "steps", steps);
}

/* A queued run of @workflow with a new id, not stored yet. */
JsonObject *
rl_dev_run_new (RlDevServer *srv,
                JsonObject  *workflow,
                const char  *trigger)
{
  g_autofree char *id = rl_dev_db_next_id (srv, "run", 8);
  JsonObject      *run = json_object_new ();

  json_object_set_string_member (run, "id", id);
  json_object_set_string_member (run, "workflowId", json_object_get_string_member (workflow, "id"));
  json_object_set_string_member (run, "status", "queued");
  json_object_set_string_member (run, "trigger", trigger);
  json_object_set_null_member (run, "startedAt");
  json_object_set_null_member (run, "finishedAt");
  json_object_set_null_member (run, "durationMs");
  json_object_set_int_member (run, "attempt", 1);
  json_object_set_null_member (run, "error");
  reset_run_steps (run, workflow);
  json_object_set_int_member (run, "version", 1);
  return run;
}

void
rl_dev_run_start (RlDevServer *srv,
                  JsonObject  *workflow,
                  const char  *trigger,
                  JsonObject **out_run)
{
  JsonObject *run = rl_dev_run_new (srv, workflow, trigger);

  rl_dev_db_put (srv, "run", json_object_get_string_member (run, "id"), NULL, run);
  rl_dev_run_add_log (srv, json_object_get_string_member (run, "id"), "info", NULL, "Run queued",
                      rl_time_now_ms ());
  *out_run = run;
}

static void
finish_run (RlDevServer *srv,
            JsonObject  *run,
            JsonObject  *workflow,
            const char  *status,
            const char  *error,
            gint64       now)
{
  JsonArray  *steps = json_object_get_array_member (run, "steps");
  gint64      started = 0;
  JsonObject *last = json_object_new ();

  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *s = json_array_get_object_element (steps, i);
      const char *st = json_object_get_string_member (s, "status");
      if (g_str_equal (st, "pending"))
        json_object_set_string_member (s, "status",
                                       g_str_equal (status, "cancelled") ? "cancelled" : "skipped");
      else if (g_str_equal (st, "running"))
        {
          json_object_set_string_member (s, "status", "cancelled");
          rl_dev_set_time (s, "finishedAt", now);
        }
    }
  json_object_set_string_member (run, "status", status);
  rl_dev_set_time (run, "finishedAt", now);
  if (rl_dev_json_string (run, "startedAt", NULL)
      && rl_time_parse_ms (json_object_get_string_member (run, "startedAt"), &started))
    json_object_set_int_member (run, "durationMs", now - started);
  else
    json_object_set_int_member (run, "durationMs", 0);
  if (error)
    json_object_set_string_member (run, "error", error);
  rl_dev_run_add_log (srv, json_object_get_string_member (run, "id"),
                      g_str_equal (status, "failed") ? "error" : "info", NULL,
                      g_str_equal (status, "succeeded")   ? "Run succeeded"
                      : g_str_equal (status, "cancelled") ? "Run cancelled"
                                                          : "Run failed",
                      now);

  /* a workflow's lastRun is server-managed: new seq, same version */
  json_object_set_string_member (last, "id", json_object_get_string_member (run, "id"));
  json_object_set_string_member (last, "status", status);
  rl_dev_set_time (last, "finishedAt", now);
  json_object_set_object_member (workflow, "lastRun", last);
  rl_dev_db_put (srv, "workflow", json_object_get_string_member (workflow, "id"), NULL, workflow);
}

/* Advances one run by one step. */
static void
advance (RlDevServer *srv,
         JsonObject  *run,
         gint64       now)
{
  const char *run_id = json_object_get_string_member (run, "id");
  g_autoptr (JsonObject) workflow =
      rl_dev_db_get (srv, "workflow", json_object_get_string_member (run, "workflowId"));
  JsonArray  *wsteps, *steps = json_object_get_array_member (run, "steps");
  JsonObject *current = NULL, *wstep, *next_step;
  const char *next_id;
  gboolean    failed;

  if (workflow == NULL)
    return;
  /* A run that has been running for over an hour is a zombie (the seed
   * has one, docs/api.md): live runs finish within seconds. */
  {
    gint64 started = 0;

    if (g_str_equal (json_object_get_string_member (run, "status"), "running")
        && rl_time_parse_ms (rl_dev_json_string (run, "startedAt", ""), &started)
        && now - started > RL_DEV_ZOMBIE_AFTER_MS)
      return;
  }
  wsteps = json_object_get_array_member (workflow, "steps");
  if (g_str_equal (json_object_get_string_member (run, "status"), "queued"))
    {
      json_object_set_string_member (run, "status", "running");
      rl_dev_set_time (run, "startedAt", now);
      json_object_set_null_member (run, "finishedAt");
      current = json_array_get_object_element (steps, 0);
      json_object_set_string_member (current, "status", "running");
      rl_dev_set_time (current, "startedAt", now);
      json_object_set_int_member (current, "attempts",
                                  json_object_get_int_member (current, "attempts") + 1);
      rl_dev_run_add_log (srv, run_id, "info", json_object_get_string_member (current, "stepId"),
                          "Step started", now);
      rl_dev_db_put (srv, "run", run_id, NULL, run);
      return;
    }
  for (guint i = 0; i < json_array_get_length (steps) && current == NULL; i++)
    if (g_str_equal (
            json_object_get_string_member (json_array_get_object_element (steps, i), "status"),
            "running"))
      current = json_array_get_object_element (steps, i);
  if (current == NULL)
    {
      finish_run (srv, run, workflow, "succeeded", NULL, now);
      rl_dev_db_put (srv, "run", run_id, NULL, run);
      return;
    }

  wstep = find_step (wsteps, json_object_get_string_member (current, "stepId"), "id");
  {
    JsonObject *cfg = json_object_get_object_member (wstep, "config");
    const char *sim = cfg ? rl_dev_json_string (cfg, "simulate", NULL) : NULL;

    failed = sim != NULL
             && (g_str_equal (sim, "fail")
                 || (g_str_equal (sim, "fail_first")
                     && json_object_get_int_member (run, "attempt") == 1));
  }
  rl_dev_set_time (current, "finishedAt", now);
  if (failed)
    {
      json_object_set_string_member (current, "status", "failed");
      json_object_set_string_member (current, "error", "HTTP 502 from upstream after 3 attempts");
      rl_dev_run_add_log (srv, run_id, "error", json_object_get_string_member (current, "stepId"),
                          "Step failed: HTTP 502 from upstream", now);
      json_object_set_string_member (run, "error", "Step failed: HTTP 502 from upstream");
      next_id = rl_dev_json_string (wstep, "errorStepId", NULL);
    }
  else
    {
      JsonObject *output = json_object_new ();
      json_object_set_string_member (current, "status", "succeeded");
      json_object_set_int_member (output, "records", g_rand_int_range (srv->rand, 10, 5000));
      json_object_set_object_member (current, "output", output);
      rl_dev_run_add_log (srv, run_id, "info", json_object_get_string_member (current, "stepId"),
                          "Step succeeded", now);
      next_id = rl_dev_json_string (wstep, "nextStepId", NULL);
    }

  next_step = find_step (steps, next_id, "stepId");
  if (next_step != NULL
      && g_str_equal (json_object_get_string_member (next_step, "status"), "pending"))
    {
      json_object_set_string_member (next_step, "status", "running");
      rl_dev_set_time (next_step, "startedAt", now);
      json_object_set_int_member (next_step, "attempts",
                                  json_object_get_int_member (next_step, "attempts") + 1);
      rl_dev_run_add_log (srv, run_id, "info", next_id, "Step started", now);
    }
  else
    {
      gboolean any_failed = FALSE;
      for (guint i = 0; i < json_array_get_length (steps); i++)
        if (g_str_equal (
                json_object_get_string_member (json_array_get_object_element (steps, i), "status"),
                "failed"))
          any_failed = TRUE;
      finish_run (srv, run, workflow, any_failed ? "failed" : "succeeded", NULL, now);
    }
  rl_dev_db_put (srv, "run", run_id, NULL, run);
}

void
rl_dev_workflows_tick (RlDevServer *srv)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gint64 now = rl_time_now_ms ();

  sqlite3_prepare_v2 (srv->db,
                      "SELECT id FROM records WHERE entity = 'run' AND deleted = 0 "
                      "AND json_extract (data, '$.status') IN ('queued', 'running') ORDER BY id",
                      -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (ids->len == 0)
    return;
  rl_dev_db_begin (srv);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (JsonObject) run = rl_dev_db_get (srv, "run", ids->pdata[i]);
      if (run)
        advance (srv, run, now);
    }
  rl_dev_db_commit (srv);
}

void
rl_dev_workflows_handle (RlDevReq *req)
{
  g_autoptr (JsonObject) wf = NULL;

  if (!rl_dev_require_role (req, RL_DEV_ROLE_ADMIN | RL_DEV_ROLE_SUPPORT))
    return;
  if (req->n_parts == 1)
    {
      if (!g_str_equal (req->method, "GET"))
        return rl_dev_method_not_allowed (req, "GET");
      return rl_dev_list_reply (req, "workflow", NULL, FALSE);
    }
  if (req->n_parts > 3 || (req->n_parts == 3 && !g_str_equal (req->parts[2], "runs")))
    return rl_dev_not_found (req);
  if (req->n_parts == 2 && !g_str_equal (req->method, "GET"))
    return rl_dev_method_not_allowed (req, "GET");
  if (req->n_parts == 3 && !g_str_equal (req->method, "GET") && !g_str_equal (req->method, "POST"))
    return rl_dev_method_not_allowed (req, "GET, POST");
  wf = rl_dev_db_get (req->srv, "workflow", req->parts[1]);
  if (wf == NULL)
    return rl_dev_not_found (req);
  if (req->n_parts == 2)
    return rl_dev_reply_record (req, 200, wf);
  if (g_str_equal (req->method, "GET"))
    return rl_dev_list_reply (req, "run", req->parts[1], TRUE);
  if (!rl_dev_json_bool (wf, "enabled", TRUE))
    return rl_dev_reply_invalid_state (req, wf, "The workflow is disabled");
  {
    g_autoptr (JsonObject) run = NULL;
    rl_dev_run_start (req->srv, wf, "manual", &run);
    rl_dev_reply_record (req, 201, run);
  }
}

void
rl_dev_runs_handle (RlDevReq *req)
{
  g_autoptr (JsonObject) run = NULL;
  const char *status;
  const char *action;

  if (!rl_dev_require_role (req, RL_DEV_ROLE_ADMIN | RL_DEV_ROLE_SUPPORT))
    return;
  if (req->n_parts < 2 || req->n_parts > 3)
    return rl_dev_not_found (req);
  action = req->n_parts == 3 ? req->parts[2] : NULL;
  if (action && !g_str_equal (action, "log") && !g_str_equal (action, "retry")
      && !g_str_equal (action, "cancel"))
    return rl_dev_not_found (req);
  if ((action == NULL || g_str_equal (action, "log")) && !g_str_equal (req->method, "GET"))
    return rl_dev_method_not_allowed (req, "GET");
  if (action && !g_str_equal (action, "log") && !g_str_equal (req->method, "POST"))
    return rl_dev_method_not_allowed (req, "POST");
  run = rl_dev_db_get (req->srv, "run", req->parts[1]);
  if (run == NULL)
    return rl_dev_not_found (req);
  if (action == NULL)
    return rl_dev_reply_record (req, 200, run);
  if (g_str_equal (action, "log"))
    return rl_dev_list_reply (req, "run_log", req->parts[1], TRUE);

  if (!rl_dev_check_if_match (req, run, FALSE))
    return;
  status = json_object_get_string_member (run, "status");
  if (g_str_equal (action, "retry"))
    {
      g_autoptr (JsonObject) wf =
          rl_dev_db_get (req->srv, "workflow", json_object_get_string_member (run, "workflowId"));

      if (!g_str_equal (status, "failed") || wf == NULL)
        return rl_dev_reply_invalid_state (req, run, "Only a failed run can be retried");
      json_object_set_string_member (run, "status", "queued");
      json_object_set_int_member (run, "attempt", json_object_get_int_member (run, "attempt") + 1);
      json_object_set_null_member (run, "error");
      json_object_set_null_member (run, "finishedAt");
      json_object_set_null_member (run, "durationMs");
      reset_run_steps (run, wf);
      rl_dev_run_add_log (req->srv, req->parts[1], "info", NULL, "Retry requested", rl_time_now_ms ());
    }
  else
    {
      g_autoptr (JsonObject) wf =
          rl_dev_db_get (req->srv, "workflow", json_object_get_string_member (run, "workflowId"));

      if ((!g_str_equal (status, "queued") && !g_str_equal (status, "running")) || wf == NULL)
        return rl_dev_reply_invalid_state (req, run,
                                           "Only a queued or running run can be cancelled");
      finish_run (req->srv, run, wf, "cancelled", NULL, rl_time_now_ms ());
    }
  json_object_set_int_member (run, "version", json_object_get_int_member (run, "version") + 1);
  rl_dev_db_put (req->srv, "run", req->parts[1], NULL, run);
  rl_dev_reply_record (req, 200, run);
}
