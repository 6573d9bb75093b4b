/* test-devserver-activity.c — the devserver's activity data (docs/api.md
 * "Demo data"): run history along the step edges, a retried run, a zombie,
 * the 6,000-line log, newest-first paging, sync jobs that move, --runs.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "ds-test.h"
#include "rl-time.h"

static RlTestDevserver *server;
static char            *support;

static const char *
str (JsonObject *o,
     const char *key)
{
  return json_object_get_string_member (o, key);
}

static JsonObject *
step (JsonObject *run,
      const char *step_id)
{
  JsonArray *steps = json_object_get_array_member (run, "steps");

  for (guint i = 0; i < json_array_get_length (steps); i++)
    if (g_str_equal (str (json_array_get_object_element (steps, i), "stepId"), step_id))
      return json_array_get_object_element (steps, i);
  g_assert_not_reached ();
}

static const char *
next_cursor (DsReply *reply)
{
  JsonObject *pagination = json_object_get_object_member (
      json_object_get_object_member (ds_envelope (reply), "meta"), "pagination");

  return json_object_get_null_member (pagination, "nextCursor")
             ? NULL
             : json_object_get_string_member (pagination, "nextCursor");
}

static gint64
total (DsReply *reply)
{
  return json_object_get_int_member (
      json_object_get_object_member (json_object_get_object_member (ds_envelope (reply), "meta"),
                                     "pagination"),
      "total");
}

static void
test_history_edges (void)
{
  g_autoptr (DsReply) erp =
      ds_expect (server, 200, "GET", "/api/v1/workflows/wf-0004/runs", support, NULL, NULL);
  g_autoptr (DsReply) img =
      ds_expect (server, 200, "GET", "/api/v1/workflows/wf-0002/runs", support, NULL, NULL);
  JsonArray *runs = ds_data_array (erp);
  guint      failed = 0, retried = 0, review = 0;

  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      JsonObject *run = json_array_get_object_element (runs, i);

      if (g_str_equal (str (run, "status"), "failed"))
        {
          /* the push failed: the error edge ran alert-support */
          failed++;
          g_assert_cmpstr (str (step (run, "push"), "status"), ==, "failed");
          g_assert_nonnull (str (step (run, "push"), "error"));
          g_assert_cmpstr (str (step (run, "alert-support"), "status"), ==, "succeeded");
          g_assert_cmpint (json_object_get_int_member (run, "attempt"), ==, 1);
        }
      else
        {
          g_assert_cmpstr (str (run, "status"), ==, "succeeded");
          g_assert_cmpint (json_object_get_int_member (run, "attempt"), ==, 2);
          g_assert_cmpint (json_object_get_int_member (step (run, "push"), "attempts"), ==, 2);
          g_assert_cmpstr (str (step (run, "alert-support"), "status"), ==, "skipped");
          retried++;
        }
    }
  g_assert_cmpuint (failed, ==, 3);
  g_assert_cmpuint (retried, ==, 1);

  runs = ds_data_array (img);
  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      JsonObject *run = json_array_get_object_element (runs, i);

      if (g_str_equal (str (run, "status"), "failed"))
        {
          g_assert_cmpstr (str (step (run, "classify"), "status"), ==, "failed");
          g_assert_cmpstr (str (step (run, "manual-review"), "status"), ==, "succeeded");
          g_assert_cmpstr (str (step (run, "store"), "status"), ==, "skipped");
          review++;
        }
    }
  g_assert_cmpuint (review, ==, 1);
}

static void
test_zombie (void)
{
  g_autoptr (DsReply) first =
      ds_expect (server, 200, "GET", "/api/v1/workflows/wf-0001/runs?limit=1", support, NULL, NULL);
  JsonObject      *zombie = json_array_get_object_element (ds_data_array (first), 0);
  g_autofree char *path = g_strdup_printf ("/api/v1/runs/%s", str (zombie, "id"));
  gint64           started = 0;

  g_assert_cmpstr (str (zombie, "status"), ==, "running");
  g_assert_true (rl_time_parse_ms (str (zombie, "startedAt"), &started));
  g_assert_cmpint (g_get_real_time () / 1000 - started, >, 4 * 3600 * 1000);
  g_assert_cmpstr (str (step (zombie, "forecast"), "status"), ==, "running");
  /* ticks come every 300 ms: it does not move */
  g_usleep (1000 * 1000);
  {
    g_autoptr (DsReply) again = ds_expect (server, 200, "GET", path, support, NULL, NULL);
    g_autofree char *cancel = g_strconcat (path, "/cancel", NULL);

    g_assert_cmpstr (str (ds_data_object (again), "status"), ==, "running");
    g_assert_cmpstr (str (step (ds_data_object (again), "forecast"), "status"), ==, "running");
    {
      g_autoptr (DsReply) c = ds_expect (server, 200, "POST", cancel, support, NULL, NULL);
      g_assert_cmpstr (str (ds_data_object (c), "status"), ==, "cancelled");
    }
  }
}

static void
test_long_log (void)
{
  g_autoptr (DsReply) first =
      ds_expect (server, 200, "GET", "/api/v1/workflows/wf-0003/runs?limit=1", support, NULL, NULL);
  const char      *run_id = str (json_array_get_object_element (ds_data_array (first), 0), "id");
  g_autofree char *path = g_strdup_printf ("/api/v1/runs/%s/log?limit=5000", run_id);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;
  guint            escapes = 0, pages = 0;

  do
    {
      g_autofree char *p =
          cursor ? g_strdup_printf ("%s&cursor=%s", path, cursor) : g_strdup (path);
      g_autoptr (DsReply) page = ds_expect (server, 200, "GET", p, support, NULL, NULL);
      JsonArray *lines = ds_data_array (page);

      g_assert_cmpint (total (page), ==, 6000);
      for (guint i = 0; i < json_array_get_length (lines); i++)
        {
          JsonObject *line = json_array_get_object_element (lines, i);

          g_ptr_array_add (ids, g_strdup (str (line, "id")));
          if (strstr (str (line, "message"), "\033[") != NULL)
            escapes++;
        }
      g_free (cursor);
      cursor = g_strdup (next_cursor (page));
      pages++;
    }
  while (cursor != NULL);

  g_assert_cmpuint (pages, ==, 2);
  g_assert_cmpuint (ids->len, ==, 6000);
  g_assert_cmpuint (escapes, >, 5000);
  /* newest first across pages, no id twice */
  for (guint i = 1; i < ids->len; i++)
    g_assert_cmpstr (ids->pdata[i - 1], >, ids->pdata[i]);
}

static void
test_sync_jobs_move (void)
{
  g_autoptr (DsReply) before =
      ds_expect (server, 200, "GET", "/api/v1/sync/jobs/sj-0003", support, NULL, NULL);
  g_autoptr (DsReply) log_before =
      ds_expect (server, 200, "GET", "/api/v1/sync/jobs/sj-0003/log?limit=1", support, NULL, NULL);
  JsonObject *b = ds_data_object (before);
  gint64      count = json_object_get_int_member (b, "recordsProcessed")
                 + json_object_get_int_member (b, "recordsFailed");
  gint64   lag = json_object_get_int_member (b, "lagSeconds");
  gint64   deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gboolean counted = FALSE, lagged = FALSE;

  while ((!counted || !lagged) && g_get_monotonic_time () < deadline)
    {
      g_autoptr (DsReply) now =
          ds_expect (server, 200, "GET", "/api/v1/sync/jobs/sj-0003", support, NULL, NULL);
      JsonObject *n = ds_data_object (now);

      counted = json_object_get_int_member (n, "recordsProcessed")
                    + json_object_get_int_member (n, "recordsFailed")
                > count;
      lagged = lagged || json_object_get_int_member (n, "lagSeconds") != lag;
      /* server-managed: the version stays */
      g_assert_cmpint (json_object_get_int_member (n, "version"), ==,
                       json_object_get_int_member (b, "version"));
      g_usleep (500 * 1000);
    }
  g_assert_true (counted);
  g_assert_true (lagged);
  {
    g_autoptr (DsReply) log_after = ds_expect (server, 200, "GET",
                                               "/api/v1/sync/jobs/sj-0003/log?limit=1", support,
                                               NULL, NULL);
    /* the new rows come first */
    g_assert_cmpint (total (log_after), >, total (log_before));
    g_assert_cmpstr (str (json_array_get_object_element (ds_data_array (log_after), 0), "id"), >,
                     str (json_array_get_object_element (ds_data_array (log_before), 0), "id"));
  }
  /* a paused job does not move */
  {
    g_autoptr (DsReply) paused =
        ds_expect (server, 200, "GET", "/api/v1/sync/jobs/sj-0005/log?limit=1", support, NULL, NULL);
    g_assert_cmpint (total (paused), ==, 40);
  }
}

static void
test_many_runs (void)
{
  RlTestDevserver *s = ds_start ((const char *const[]){ "--drop-points", "10", "--runs", "5000",
                                                        NULL });
  g_autofree char *token = rl_test_login (s, "support@demo.reloop.np");
  g_autofree char *cursor = NULL;
  gint64           sum = 0;
  guint            n = 0;

  for (guint w = 1; w <= 5; w++)
    {
      g_autofree char *p = g_strdup_printf ("/api/v1/workflows/wf-%04u/runs?limit=1", w);
      g_autoptr (DsReply) page = ds_expect (s, 200, "GET", p, token, NULL, NULL);

      sum += total (page);
    }
  /* 5,000 more, the 4 days of history of each, and the zombie */
  g_assert_cmpint (sum, ==, 5000 + 5 * 4 + 1);

  /* newest first, page after page, started times never increasing */
  {
    gint64 last = G_MAXINT64;

    do
      {
        g_autofree char *p = g_strdup_printf ("/api/v1/workflows/wf-0002/runs?limit=400%s%s",
                                              cursor ? "&cursor=" : "", cursor ? cursor : "");
        g_autoptr (DsReply) page = ds_expect (s, 200, "GET", p, token, NULL, NULL);
        JsonArray *runs = ds_data_array (page);

        for (guint i = 0; i < json_array_get_length (runs); i++)
          {
            gint64 started = 0;

            g_assert_true (rl_time_parse_ms (
                str (json_array_get_object_element (runs, i), "startedAt"), &started));
            g_assert_cmpint (started, <=, last);
            last = started;
            n++;
          }
        g_free (cursor);
        cursor = g_strdup (next_cursor (page));
      }
    while (cursor != NULL);
  }
  g_assert_cmpuint (n, ==, 1000 + 4);
  rl_test_devserver_free (s);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  server = ds_start ((const char *const[]){ "--drop-points", "20", NULL });
  support = rl_test_login (server, "support@demo.reloop.np");

  g_test_add_func ("/devserver-activity/history-edges", test_history_edges);
  g_test_add_func ("/devserver-activity/zombie", test_zombie);
  g_test_add_func ("/devserver-activity/long-log", test_long_log);
  g_test_add_func ("/devserver-activity/sync-jobs-move", test_sync_jobs_move);
  g_test_add_func ("/devserver-activity/many-runs", test_many_runs);
  ret = g_test_run ();
  g_free (support);
  rl_test_devserver_free (server);
  return ret;
}
