/* rl-dev-workflows-seed.c — the seeded workflows (seed 003 model) and
 * their run history: runs that follow nextStepId / errorStepId, failures
 * retried, a zombie, a long log, and --runs N more for the benchmarks.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rl-dev-private.h"
#include "rl-time.h"

typedef struct
{
  const char *id, *name, *type, *next, *error, *simulate;
} StepSeed;

typedef struct
{
  const char *name, *description, *trigger_type, *trigger_config;
  gboolean    enabled;
  StepSeed    steps[6];
} WorkflowSeed;

static const WorkflowSeed workflow_seeds[] = {
  { "Nightly collection routes",
    "Predict tomorrow's full bins and build crew routes per ward",
    "schedule",
    "{\"cron\":\"0 2 * * *\",\"timezone\":\"Asia/Kathmandu\"}",
    TRUE,
    { { "load-fill", "Load fill levels", "database_query", "forecast", NULL, NULL },
      { "forecast", "Forecast fill (24 h)", "api_call", "routes", "notify-ops", NULL },
      { "routes", "Build crew routes", "task", "publish", "notify-ops", NULL },
      { "publish", "Publish routes to crew app", "api_call", NULL, "notify-ops", NULL },
      { "notify-ops", "Notify operations desk", "task", NULL, NULL, NULL } } },
  { "Image classification",
    "Classify uploaded waste photos and store the labels",
    "event",
    "{\"event\":\"file-uploaded\"}",
    TRUE,
    { { "fetch", "Fetch upload", "file_operation", "classify", NULL, NULL },
      { "classify", "Classify (AI provider chain)", "api_call", "confident", "manual-review",
        NULL },
      { "confident", "Confidence above threshold?", "conditional", "store", "manual-review", NULL },
      { "store", "Store labels", "database_query", NULL, NULL, NULL },
      { "manual-review", "Queue for manual review", "task", NULL, NULL, NULL } } },
  { "Wallet settlement reconciliation",
    "Match Khalti and eSewa settlements with reward payouts",
    "schedule",
    "{\"cron\":\"30 1 * * *\",\"timezone\":\"Asia/Kathmandu\"}",
    TRUE,
    { { "khalti", "Fetch Khalti settlements", "api_call", "esewa", NULL, NULL },
      { "esewa", "Fetch eSewa settlements", "api_call", "match", NULL, NULL },
      { "match", "Match payouts", "database_query", "report", NULL, NULL },
      { "report", "Write reconciliation report", "file_operation", NULL, NULL, NULL } } },
  { "Legacy ERP export",
    "Push yesterday's collections to the municipality's ERP",
    "manual",
    "{}",
    TRUE,
    { { "extract", "Extract collections", "database_query", "transform", NULL, NULL },
      { "transform", "Transform to ERP CSV", "file_operation", "push", NULL, NULL },
      { "push", "Upload to ERP", "api_call", NULL, "alert-support", "fail_first" },
      { "alert-support", "Alert support", "task", NULL, NULL, NULL } } },
  { "Weekly sustainability report",
    "Tonnage per category and ward, mailed to the city council",
    "schedule",
    "{\"cron\":\"0 6 * * 0\",\"timezone\":\"Asia/Kathmandu\"}",
    TRUE,
    { { "aggregate", "Aggregate tonnage", "database_query", "render", NULL, NULL },
      { "render", "Render PDF", "file_operation", "mail", NULL, NULL },
      { "mail", "Mail council", "api_call", NULL, NULL, NULL } } },
};

#define HOUR_MS ((gint64) 3600 * 1000)
#define DAY_MS (24 * HOUR_MS)
#define STEP_MS 9000
/* The long log of the newest seeded run of wf-0003 (docs/api.md). */
#define LONG_LOG_LINES 6000

typedef struct
{
  RlDevServer *srv;
  const char  *run_id;
  gboolean     logs;
  guint        n_lines;
} History;

static void
history_log (History    *h,
             const char *level,
             const char *step_id,
             const char *message,
             gint64      at_ms)
{
  if (!h->logs)
    return;
  rl_dev_run_add_log (h->srv, h->run_id, level, step_id, message, at_ms);
  h->n_lines++;
}

static JsonObject *
step_of (JsonArray  *steps,
         const char *id,
         const char *key)
{
  for (guint i = 0; id != NULL && i < json_array_get_length (steps); i++)
    {
      JsonObject *s = json_array_get_object_element (steps, i);
      if (g_str_equal (json_object_get_string_member (s, key), id))
        return s;
    }
  return NULL;
}

/* The lines a long matching step writes: coloured as a terminal tool's
 * output is (the console strips the escapes when it shows them). */
static void
long_log_lines (History    *h,
                GRand      *rand,
                const char *step_id,
                guint       count,
                gint64      from_ms)
{
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *line = NULL;
      const char      *level = "info";
      guint            amount = g_rand_int_range (rand, 50, 5000);

      if (i % 97 == 13)
        {
          level = "warning";
          line = g_strdup_printf ("\033[33mWARN\033[0m payout RW%06u has no settlement yet "
                                  "(\033[1mNPR %u.00\033[0m), kept for tomorrow",
                                  g_rand_int_range (rand, 1, 999999), amount);
        }
      else if (i % 5 == 0)
        {
          level = "debug";
          line = g_strdup_printf ("\033[2mbatch %u: %u rows scanned\033[0m", i / 5,
                                  g_rand_int_range (rand, 100, 500));
        }
      else
        line = g_strdup_printf ("\033[32mOK\033[0m matched payout RW%06u \342\206\224 Khalti "
                                "KH%08u (\033[1mNPR %u.%02u\033[0m)",
                                g_rand_int_range (rand, 1, 999999),
                                g_rand_int_range (rand, 1, 99999999), amount,
                                g_rand_int_range (rand, 0, 100));
      history_log (h, level, step_id, line, from_ms + i);
    }
}

/* A finished (or, with @zombie_at, stuck) run of @wf started at @start:
 * its steps run from the first along nextStepId, or errorStepId after the
 * step @fail_step fails on the run's last attempt; @attempt > 1 means the
 * earlier attempts failed at @retried_step and were retried. */
static void
seed_run (RlDevServer *srv,
          GRand       *rand,
          JsonObject  *wf,
          const char  *trigger,
          gint64       start,
          const char  *fail_step,
          gint64       attempt,
          const char  *retried_step,
          const char  *zombie_at,
          guint        long_log,
          gboolean     logs)
{
  g_autoptr (JsonObject) run = NULL;
  JsonArray  *wsteps = json_object_get_array_member (wf, "steps");
  JsonArray  *steps;
  const char *cur;
  gint64      t = start;
  gboolean    failed = FALSE;
  History     h = { srv, NULL, logs, 0 };

  run = rl_dev_run_new (srv, wf, trigger);
  h.run_id = json_object_get_string_member (run, "id");
  steps = json_object_get_array_member (run, "steps");
  history_log (&h, "info", NULL, "Run started", t);
  json_object_set_int_member (run, "attempt", attempt);
  for (gint64 a = 1; a < attempt && retried_step != NULL; a++)
    {
      history_log (&h, "error", retried_step, "Step failed: HTTP 502 from upstream", t);
      history_log (&h, "info", NULL, "Retry requested", t + 1000);
      t += 60000;
    }

  cur = json_object_get_string_member (json_array_get_object_element (wsteps, 0), "id");
  while (cur != NULL)
    {
      JsonObject *ws = step_of (wsteps, cur, "id");
      JsonObject *rs = step_of (steps, cur, "stepId");
      gboolean    fails = fail_step != NULL && g_str_equal (cur, fail_step);

      if (ws == NULL || rs == NULL
          || !g_str_equal (json_object_get_string_member (rs, "status"), "pending"))
        break;
      rl_dev_set_time (rs, "startedAt", t);
      json_object_set_int_member (rs, "attempts", attempt);
      history_log (&h, "info", cur, "Step started", t);
      if (zombie_at != NULL && g_str_equal (cur, zombie_at))
        {
          json_object_set_string_member (rs, "status", "running");
          json_object_set_string_member (run, "status", "running");
          rl_dev_set_time (run, "startedAt", start);
          rl_dev_db_put (srv, "run", h.run_id, NULL, run);
          return;
        }
      if (long_log > 0 && ws == json_array_get_object_element (wsteps, 2))
        long_log_lines (&h, rand, cur, long_log - MIN (long_log, h.n_lines + 4), t + 1);
      t += STEP_MS;
      rl_dev_set_time (rs, "finishedAt", t);
      if (fails)
        {
          failed = TRUE;
          json_object_set_string_member (rs, "status", "failed");
          json_object_set_string_member (rs, "error", "HTTP 502 from upstream after 3 attempts");
          json_object_set_string_member (run, "error", "Step failed: HTTP 502 from upstream");
          history_log (&h, "error", cur, "Step failed: HTTP 502 from upstream", t);
          cur = rl_dev_json_string (ws, "errorStepId", NULL);
        }
      else
        {
          JsonObject *output = json_object_new ();

          json_object_set_string_member (rs, "status", "succeeded");
          json_object_set_int_member (output, "records", g_rand_int_range (rand, 10, 5000));
          json_object_set_object_member (rs, "output", output);
          history_log (&h, "info", cur, "Step succeeded", t);
          cur = rl_dev_json_string (ws, "nextStepId", NULL);
        }
      t += 1000;
    }
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *rs = json_array_get_object_element (steps, i);
      if (g_str_equal (json_object_get_string_member (rs, "status"), "pending"))
        json_object_set_string_member (rs, "status", "skipped");
    }
  json_object_set_string_member (run, "status", failed ? "failed" : "succeeded");
  rl_dev_set_time (run, "startedAt", start);
  rl_dev_set_time (run, "finishedAt", t);
  json_object_set_int_member (run, "durationMs", t - start);
  history_log (&h, failed ? "error" : "info", NULL, failed ? "Run failed" : "Run succeeded", t);
  rl_dev_db_put (srv, "run", h.run_id, NULL, run);

  {
    JsonObject *last = json_object_new ();

    json_object_set_string_member (last, "id", h.run_id);
    json_object_set_string_member (last, "status", failed ? "failed" : "succeeded");
    rl_dev_set_time (last, "startedAt", start);
    rl_dev_set_time (last, "finishedAt", t);
    json_object_set_object_member (wf, "lastRun", last);
  }
}

/* The step a workflow's failing runs fail at: the ERP push (fails on
 * every first attempt), else its third step when it has an error edge. */
static const char *
failing_step (const WorkflowSeed *ws)
{
  for (guint s = 0; s < G_N_ELEMENTS (ws->steps) && ws->steps[s].id; s++)
    if (ws->steps[s].simulate != NULL)
      return ws->steps[s].id;
  for (guint s = 0; s < G_N_ELEMENTS (ws->steps) && ws->steps[s].id; s++)
    if (ws->steps[s].error != NULL)
      return ws->steps[s].id;
  return ws->steps[0].id;
}

static JsonObject *
seed_workflow (RlDevServer        *srv,
               const WorkflowSeed *ws)
{
  g_autofree char *id = rl_dev_db_next_id (srv, "wf", 4);
  JsonObject      *wf = json_object_new ();
  JsonArray       *steps = json_array_new ();
  JsonArray       *triggers = json_array_new ();
  JsonObject      *trigger = json_object_new ();

  json_object_set_string_member (wf, "id", id);
  json_object_set_string_member (wf, "name", ws->name);
  json_object_set_string_member (wf, "description", ws->description);
  json_object_set_boolean_member (wf, "enabled", ws->enabled);
  for (guint s = 0; s < G_N_ELEMENTS (ws->steps) && ws->steps[s].id; s++)
    {
      JsonObject *so = json_object_new ();
      JsonObject *cfg = json_object_new ();
      json_object_set_string_member (so, "id", ws->steps[s].id);
      json_object_set_string_member (so, "name", ws->steps[s].name);
      json_object_set_string_member (so, "type", ws->steps[s].type);
      if (ws->steps[s].next)
        json_object_set_string_member (so, "nextStepId", ws->steps[s].next);
      else
        json_object_set_null_member (so, "nextStepId");
      if (ws->steps[s].error)
        json_object_set_string_member (so, "errorStepId", ws->steps[s].error);
      else
        json_object_set_null_member (so, "errorStepId");
      if (ws->steps[s].simulate)
        json_object_set_string_member (cfg, "simulate", ws->steps[s].simulate);
      json_object_set_object_member (so, "config", cfg);
      json_array_add_object_element (steps, so);
    }
  json_object_set_array_member (wf, "steps", steps);
  json_object_set_string_member (trigger, "type", ws->trigger_type);
  json_object_set_object_member (trigger, "config", rl_dev_json_parse_object (ws->trigger_config));
  json_array_add_object_element (triggers, trigger);
  json_object_set_array_member (wf, "triggers", triggers);
  json_object_set_null_member (wf, "lastRun");
  json_object_set_int_member (wf, "version", 1);
  json_object_set_string_member (wf, "updatedAt", "2026-10-01T08:00:00.000Z");
  return wf;
}

void
rl_dev_workflows_seed (RlDevServer *srv,
                       GRand       *rand)
{
  gint64 now = rl_time_now_ms ();
  guint  n_wf = G_N_ELEMENTS (workflow_seeds);

  for (guint w = 0; w < n_wf; w++)
    {
      const WorkflowSeed *ws = &workflow_seeds[w];
      g_autoptr (JsonObject) wf = seed_workflow (srv, ws);
      const char *fail = failing_step (ws);
      gboolean    erp = ws->steps[2].simulate != NULL;
      guint       extra = srv->extra_runs / n_wf + (w < srv->extra_runs % n_wf ? 1 : 0);

      rl_dev_db_put (srv, "workflow", json_object_get_string_member (wf, "id"), NULL, wf);

      /* --runs: older runs, 25 to 5 days ago, without logs (bench-lists) */
      for (guint r = 0; r < extra; r++)
        {
          gint64   start = now - 25 * DAY_MS + (gint64) r * (20 * DAY_MS / MAX (extra, 1));
          gboolean fails = erp || g_rand_int_range (rand, 0, 100) < 8;

          seed_run (srv, rand, wf, ws->trigger_type, start, fails ? fail : NULL, 1, NULL, NULL, 0,
                    FALSE);
        }

      /* history: four days of runs, oldest first; the ERP export fails at
       * its push on every first attempt (the second run was retried and
       * succeeded), image classification failed once into manual review */
      for (int r = 4; r >= 1; r--)
        {
          gint64   start = now - (gint64) r * DAY_MS - g_rand_int_range (rand, 0, 3600) * (gint64) 1000;
          gboolean retried = erp && r == 2;
          gboolean fails = (erp && !retried) || (w == 1 && r == 2) || (w == 0 && r == 3);

          seed_run (srv, rand, wf, ws->trigger_type, start, fails ? fail : NULL, retried ? 2 : 1,
                    retried ? fail : NULL, NULL, w == 2 && r == 1 ? LONG_LOG_LINES : 0, TRUE);
        }

      /* the nightly routes' last run never finished: a zombie */
      if (w == 0)
        seed_run (srv, rand, wf, ws->trigger_type, now - 5 * HOUR_MS, NULL, 1, NULL,
                  ws->steps[1].id, 0, TRUE);
      rl_dev_db_put (srv, "workflow", json_object_get_string_member (wf, "id"), NULL, wf);
    }
}
