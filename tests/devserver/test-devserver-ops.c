/* test-devserver-ops.c — the devserver's behaviour over time and its
 * control endpoints: tokens, horizon, workflow runs, sync jobs, conflicts,
 * providers, fault injection, tiles, restarts and determinism.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "ds-test.h"

static RlTestDevserver *server;

#define H(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define DEADLINE_US (60 * G_USEC_PER_SEC)

static char *
login (const char *who)
{
  g_autofree char *email = g_strdup_printf ("%s@demo.reloop.np", who);

  return rl_test_login (server, email);
}

static const char *
str (JsonObject *o,
     const char *key)
{
  return json_object_get_string_member (o, key);
}

static void
test_tokens (void)
{
  g_autoptr (DsReply) l =
      ds_expect (server, 200, "POST", "/api/v1/auth/login", NULL,
                 "{\"email\":\"dispatcher@demo.reloop.np\",\"password\":\"reloop-demo\"}", NULL);
  g_autofree char *access = g_strdup (str (ds_data_object (l), "accessToken"));
  g_autofree char *refresh = g_strdup (str (ds_data_object (l), "refreshToken"));
  g_autofree char *body = g_strdup_printf ("{\"refreshToken\":\"%s\"}", refresh);
  g_autoptr (DsReply) ok =
      ds_expect (server, 200, "GET", "/api/v1/alerts?limit=1", access, NULL, NULL);
  g_autoptr (DsReply) ex =
      ds_expect (server, 200, "POST", "/__dev/tokens/expire", NULL, NULL, NULL);
  g_autoptr (DsReply) denied =
      ds_expect (server, 401, "GET", "/api/v1/alerts?limit=1", access, NULL, NULL);
  g_autoptr (DsReply) r1 =
      ds_expect (server, 200, "POST", "/api/v1/auth/refresh", NULL, body, NULL);
  g_autoptr (DsReply) r2 =
      ds_expect (server, 200, "POST", "/api/v1/auth/refresh", NULL, body, NULL);
  const char *successor = str (ds_data_object (r1), "refreshToken");
  g_autoptr (DsReply) again = ds_expect (server, 200, "GET", "/api/v1/alerts?limit=1",
                                         str (ds_data_object (r1), "accessToken"), NULL, NULL);
  g_autofree char *body2 = g_strdup_printf ("{\"refreshToken\":\"%s\"}", successor);
  g_autoptr (DsReply) r3 =
      ds_expect (server, 200, "POST", "/api/v1/auth/refresh", NULL, body2, NULL);
  g_autoptr (DsReply) bad = ds_expect (server, 401, "POST", "/api/v1/auth/refresh", NULL,
                                       "{\"refreshToken\":\"rt.unknown\"}", NULL);

  g_assert_cmpstr (ds_error_code (denied), ==, "UNAUTHORIZED");
  g_assert_cmpstr (successor, !=, refresh);
  /* the grace window answers with the same successor */
  g_assert_cmpstr (str (ds_data_object (r2), "refreshToken"), ==, successor);
  g_assert_cmpstr (str (ds_data_object (r3), "refreshToken"), !=, successor);
  g_assert_cmpstr (str (json_object_get_object_member (ds_data_object (r3), "user"), "role"), ==,
                   "dispatcher");
  g_assert_cmpstr (ds_error_code (bad), ==, "UNAUTHORIZED");
}

static void
test_horizon (void)
{
  g_autofree char *admin = login ("admin");
  g_autoptr (DsReply) head =
      ds_expect (server, 200, "GET", "/api/v1/changes?since=0&limit=1", admin, NULL, NULL);
  g_autoptr (DsReply) stats = ds_expect (server, 200, "GET", "/__dev/stats", NULL, NULL, NULL);
  gint64           seq = json_object_get_int_member (ds_data_object (stats), "seq");
  g_autofree char *hb = g_strdup_printf ("{\"since\":%" G_GINT64_FORMAT "}", seq - 10);
  g_autoptr (DsReply) set =
      ds_expect (server, 200, "POST", "/__dev/changes/horizon", NULL, hb, NULL);
  g_autoptr (DsReply) old =
      ds_expect (server, 410, "GET", "/api/v1/changes?since=5", admin, NULL, NULL);
  g_autofree char *recent = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT, seq - 5);
  g_autoptr (DsReply) fine = ds_expect (server, 200, "GET", recent, admin, NULL, NULL);
  g_autoptr (DsReply) full =
      ds_expect (server, 200, "GET", "/api/v1/changes?since=0&limit=10", admin, NULL, NULL);
  g_autoptr (DsReply) reset =
      ds_expect (server, 200, "POST", "/__dev/changes/horizon", NULL, "{\"since\":0}", NULL);

  g_assert_cmpstr (ds_error_code (old), ==, "SYNC_RESET_REQUIRED");
  g_assert_cmpuint (json_array_get_length (ds_data_array (full)), ==, 10);
}

typedef struct
{
  const char        *token;
  const char        *path;
  const char        *field;
  const char *const *wanted;
  char              *last;
} Poll;

static gboolean
poll_field (Poll *poll)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_US;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr (DsReply) r = ds_expect (server, 200, "GET", poll->path, poll->token, NULL, NULL);

      g_free (poll->last);
      poll->last = g_strdup (str (ds_data_object (r), poll->field));
      if (g_strv_contains (poll->wanted, poll->last))
        return TRUE;
      g_usleep (100 * 1000);
    }
  return FALSE;
}

static void
test_workflow_runs (void)
{
  g_autofree char *support = login ("support");
  g_autoptr (DsReply) start =
      ds_expect (server, 201, "POST", "/api/v1/workflows/wf-0001/runs", support, NULL, NULL);
  JsonObject      *run = ds_data_object (start);
  g_autofree char *run_path = g_strdup_printf ("/api/v1/runs/%s", str (run, "id"));
  g_autofree char *log_path = g_strdup_printf ("/api/v1/runs/%s/log", str (run, "id"));
  Poll             poll = { support, run_path, "status", (const char *[]){ "succeeded", "failed", NULL } };

  g_assert_cmpstr (str (run, "status"), ==, "queued");
  g_assert_cmpstr (str (run, "trigger"), ==, "manual");
  g_assert_true (poll_field (&poll));
  g_assert_cmpstr (poll.last, ==, "succeeded");
  {
    g_autoptr (DsReply) log = ds_expect (server, 200, "GET", log_path, support, NULL, NULL);
    JsonArray *entries = ds_data_array (log);
    g_autoptr (DsReply) done = ds_expect (server, 200, "GET", run_path, support, NULL, NULL);
    JsonArray       *steps = json_object_get_array_member (ds_data_object (done), "steps");
    g_autofree char *retry_path = g_strconcat (run_path, "/retry", NULL);
    g_autofree char *cancel_path = g_strconcat (run_path, "/cancel", NULL);
    g_autoptr (DsReply) retry = ds_expect (server, 409, "POST", retry_path, support, NULL, NULL);
    g_autoptr (DsReply) cancel = ds_expect (server, 409, "POST", cancel_path, support, NULL, NULL);

    g_assert_cmpuint (json_array_get_length (entries), >=, 5);
    for (guint i = 1; i < json_array_get_length (entries); i++)
      g_assert_cmpstr (str (json_array_get_object_element (entries, i - 1), "id"), >,
                       str (json_array_get_object_element (entries, i), "id"));
    g_assert_cmpstr (str (json_array_get_object_element (entries, 0), "message"), ==,
                     "Run succeeded");
    g_assert_cmpstr (str (json_array_get_object_element (steps, 0), "status"), ==, "succeeded");
    g_assert_cmpint (json_object_get_int_member (ds_data_object (done), "durationMs"), >=, 0);
    g_assert_cmpstr (ds_error_code (retry), ==, "INVALID_STATE");
    g_assert_cmpstr (
        str (json_object_get_object_member (ds_error_details (retry), "current"), "status"), ==,
        "succeeded");
    g_assert_cmpstr (ds_error_code (cancel), ==, "INVALID_STATE");
  }
  g_free (poll.last);

  /* the ERP export fails on its first attempt; a retry succeeds */
  {
    g_autoptr (DsReply) s2 =
        ds_expect (server, 201, "POST", "/api/v1/workflows/wf-0004/runs", support, NULL, NULL);
    g_autofree char *p2 = g_strdup_printf ("/api/v1/runs/%s", str (ds_data_object (s2), "id"));
    g_autofree char *retry_path = g_strconcat (p2, "/retry", NULL);
    Poll             poll2 = { support, p2, "status", (const char *[]){ "succeeded", "failed", NULL } };

    g_assert_true (poll_field (&poll2));
    g_assert_cmpstr (poll2.last, ==, "failed");
    {
      g_autoptr (DsReply) r = ds_expect (server, 200, "POST", retry_path, support, NULL, NULL);
      g_autoptr (DsReply) twice = ds_expect (server, 409, "POST", retry_path, support, NULL, NULL);
      g_assert_cmpstr (str (ds_data_object (r), "status"), ==, "queued");
      g_assert_cmpint (json_object_get_int_member (ds_data_object (r), "attempt"), ==, 2);
      g_assert_cmpint (json_object_get_int_member (ds_data_object (r), "version"), ==, 2);
      g_assert_cmpstr (ds_error_code (twice), ==, "INVALID_STATE");
    }
    g_assert_true (poll_field (&poll2));
    g_assert_cmpstr (poll2.last, ==, "succeeded");
    g_free (poll2.last);
  }

  /* cancel a queued run */
  {
    g_autoptr (DsReply) s3 =
        ds_expect (server, 201, "POST", "/api/v1/workflows/wf-0005/runs", support, NULL, NULL);
    g_autofree char *cancel_path =
        g_strdup_printf ("/api/v1/runs/%s/cancel", str (ds_data_object (s3), "id"));
    g_autoptr (DsReply) c = ds_expect (server, 200, "POST", cancel_path, support, NULL, NULL);
    g_autoptr (DsReply) c2 = ds_expect (server, 409, "POST", cancel_path, support, NULL, NULL);

    g_assert_cmpstr (str (ds_data_object (c), "status"), ==, "cancelled");
    g_assert_cmpstr (ds_error_code (c2), ==, "INVALID_STATE");
  }
  {
    g_autoptr (DsReply) runs = ds_expect (
        server, 200, "GET", "/api/v1/workflows/wf-0004/runs?limit=2", support, NULL, NULL);
    JsonArray *a = ds_data_array (runs);
    g_assert_cmpstr (str (json_array_get_object_element (a, 0), "id"), >,
                     str (json_array_get_object_element (a, 1), "id"));
  }
}

static void
test_sync_jobs (void)
{
  g_autofree char *support = login ("support");
  const char      *job = "/api/v1/sync/jobs/sj-0002";
  g_autoptr (DsReply) before =
      ds_expect (server, 200, "GET", "/api/v1/sync/jobs/sj-0002/log?limit=1", support, NULL, NULL);
  gint64 logs_before = json_object_get_int_member (
      json_object_get_object_member (json_object_get_object_member (ds_envelope (before), "meta"),
                                     "pagination"),
      "total");
  g_autoptr (DsReply) pause =
      ds_expect (server, 200, "POST", "/api/v1/sync/jobs/sj-0002/pause", support, NULL, NULL);
  g_autoptr (DsReply) pause2 =
      ds_expect (server, 409, "POST", "/api/v1/sync/jobs/sj-0002/pause", support, NULL, NULL);
  g_autoptr (DsReply) run_paused =
      ds_expect (server, 409, "POST", "/api/v1/sync/jobs/sj-0002/run", support, NULL, NULL);
  g_autoptr (DsReply) resume =
      ds_expect (server, 200, "POST", "/api/v1/sync/jobs/sj-0002/resume", support, NULL, NULL);
  g_autoptr (DsReply) resume2 =
      ds_expect (server, 409, "POST", "/api/v1/sync/jobs/sj-0002/resume", support, NULL, NULL);
  g_autoptr (DsReply) run =
      ds_expect (server, 200, "POST", "/api/v1/sync/jobs/sj-0002/run", support, NULL, NULL);
  Poll   poll = { support, job, "status", (const char *[]){ "idle", "failed", NULL } };
  gint64 v = json_object_get_int_member (ds_data_object (run), "version");

  g_assert_cmpstr (str (ds_data_object (pause), "status"), ==, "paused");
  g_assert_cmpstr (ds_error_code (pause2), ==, "INVALID_STATE");
  g_assert_cmpstr (ds_error_code (run_paused), ==, "INVALID_STATE");
  g_assert_cmpstr (
      str (json_object_get_object_member (ds_error_details (run_paused), "current"), "status"), ==,
      "paused");
  g_assert_cmpstr (str (ds_data_object (resume), "status"), ==, "idle");
  g_assert_cmpstr (ds_error_code (resume2), ==, "INVALID_STATE");
  g_assert_cmpstr (str (ds_data_object (run), "status"), ==, "running");
  g_assert_true (poll_field (&poll));
  g_assert_cmpstr (poll.last, ==, "idle");
  g_free (poll.last);
  {
    g_autoptr (DsReply) after = ds_expect (
        server, 200, "GET", "/api/v1/sync/jobs/sj-0002/log?limit=3", support, NULL, NULL);
    g_autoptr (DsReply) now = ds_expect (server, 200, "GET", job, support, NULL, NULL);
    gint64 logs_after = json_object_get_int_member (
        json_object_get_object_member (json_object_get_object_member (ds_envelope (after), "meta"),
                                       "pagination"),
        "total");
    g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", v);
    g_autoptr (DsReply) no_if =
        ds_expect (server, 428, "PATCH", job, support, "{\"conflictStrategy\":\"manual\"}", NULL);
    g_autoptr (DsReply) bad =
        ds_expect (server, 422, "PATCH", job, support, "{\"conflictStrategy\":\"coin_toss\"}",
                   H ("If-Match", etag));
    g_autoptr (DsReply) ok = ds_expect (
        server, 200, "PATCH", job, support,
        "{\"conflictStrategy\":\"manual\",\"schedule\":\"*/5 * * * *\"}", H ("If-Match", etag));

    g_assert_cmpint (logs_after, >, logs_before);
    /* progress is server-managed: no version bump */
    g_assert_cmpint (json_object_get_int_member (ds_data_object (now), "version"), ==, v);
    g_assert_true (json_object_has_member (
        json_object_get_object_member (ds_error_details (bad), "fields"), "conflictStrategy"));
    g_assert_cmpstr (str (ds_data_object (ok), "conflictStrategy"), ==, "manual");
    g_assert_cmpint (json_object_get_int_member (ds_data_object (ok), "version"), ==, v + 1);
  }
}

static void
test_conflicts (void)
{
  g_autofree char *support = login ("support");
  g_autoptr (DsReply) made =
      ds_expect (server, 200, "POST", "/__dev/conflicts", NULL, "{\"count\":3}", NULL);
  JsonArray       *created = ds_data_array (made);
  JsonObject      *c = json_array_get_object_element (created, 0);
  g_autofree char *path = g_strdup_printf ("/api/v1/conflicts/%s/resolve", str (c, "id"));
  g_autoptr (DsReply) no_if =
      ds_expect (server, 428, "POST", path, support, "{\"strategy\":\"local_wins\"}", NULL);
  g_autoptr (DsReply) no_merged = ds_expect (server, 422, "POST", path, support,
                                             "{\"strategy\":\"merge\"}", H ("If-Match", "1"));
  g_autoptr (DsReply) ok = ds_expect (server, 200, "POST", path, support,
                                      "{\"strategy\":\"remote_wins\",\"comment\":\"CRM is right\"}",
                                      H ("If-Match", "1"));
  g_autoptr (DsReply) again = ds_expect (server, 409, "POST", path, support,
                                         "{\"strategy\":\"remote_wins\"}", H ("If-Match", "2"));
  g_autoptr (DsReply) open = ds_expect (
      server, 200, "GET", "/api/v1/conflicts?status=open&limit=5000", support, NULL, NULL);
  JsonObject *res = json_object_get_object_member (ds_data_object (ok), "resolution");

  g_assert_cmpuint (json_array_get_length (created), ==, 3);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (c, "local")));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (c, "remote")));
  g_assert_cmpstr (str (c, "status"), ==, "open");
  g_assert_cmpstr (ds_error_code (no_if), ==, "PRECONDITION_REQUIRED");
  g_assert_true (json_object_has_member (
      json_object_get_object_member (ds_error_details (no_merged), "fields"), "merged"));
  g_assert_cmpstr (str (ds_data_object (ok), "status"), ==, "resolved");
  g_assert_cmpstr (str (res, "strategy"), ==, "remote_wins");
  g_assert_cmpstr (str (res, "resolvedBy"), ==, "support@demo.reloop.np");
  g_assert_cmpstr (str (res, "comment"), ==, "CRM is right");
  g_assert_true (json_node_equal (json_object_get_member (res, "merged"),
                                  json_object_get_member (c, "remote")));
  g_assert_cmpstr (ds_error_code (again), ==, "INVALID_STATE");
  for (guint i = 0; i < json_array_get_length (ds_data_array (open)); i++)
    g_assert_cmpstr (str (json_array_get_object_element (ds_data_array (open), i), "id"), !=,
                     str (c, "id"));
}

static void
test_providers (void)
{
  g_autofree char *admin = login ("admin");
  g_autoptr (DsReply) created =
      ds_expect (server, 201, "POST", "/api/v1/providers", admin,
                 "{\"type\":\"sparrow_sms\",\"name\":\"Sparrow (test)\",\"role\":\"backup\","
                 "\"priority\":2,\"config\":{\"senderId\":\"RL\"}}",
                 NULL);
  JsonObject      *p = ds_data_object (created);
  g_autofree char *base = g_strdup_printf ("/api/v1/providers/%s", str (p, "id"));
  g_autofree char *secret = g_strconcat (base, "/secrets/token", NULL);
  g_autofree char *test = g_strconcat (base, "/test", NULL);
  g_autoptr (DsReply) t0 = ds_expect (server, 200, "POST", test, admin, NULL, NULL);
  g_autoptr (DsReply) put =
      ds_expect (server, 200, "PUT", secret, admin, "{\"value\":\"sk_live_abcdefgh1234\"}", NULL);
  g_autoptr (DsReply) get = ds_expect (server, 200, "GET", base, admin, NULL, NULL);
  JsonObject *s = json_object_get_object_member (
      json_object_get_object_member (ds_data_object (get), "secrets"), "token");
  gsize            len;
  const char      *raw = g_bytes_get_data (get->body, &len);
  g_autofree char *text = g_strndup (raw, len);

  g_assert_false (json_object_get_boolean_member (ds_data_object (t0), "ok")); /* no token yet */
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (ds_envelope (put), "data")));
  g_assert_true (json_object_get_boolean_member (s, "set"));
  g_assert_cmpstr (str (s, "hint"), ==, "…1234");
  g_assert_null (strstr (text, "sk_live_abcdefgh1234"));
  g_assert_cmpint (json_object_get_int_member (ds_data_object (get), "version"), ==, 2);
  {
    g_autoptr (DsReply) t1 = ds_expect (server, 200, "POST", test, admin, NULL, NULL);
    g_autoptr (DsReply) fail =
        ds_expect (server, 200, "PATCH", base, admin,
                   "{\"config\":{\"simulate\":\"fail\",\"senderId\":null}}", H ("If-Match", "2"));
    g_autofree char *reset = g_strconcat (base, "/circuit/reset", NULL);
    JsonObject      *health;

    g_assert_true (json_object_get_boolean_member (ds_data_object (t1), "ok"));
    /* a null config key is removed; a required one comes back as its default */
    g_assert_cmpstr (
        str (json_object_get_object_member (ds_data_object (fail), "config"), "senderId"), ==,
        "ReLoop");
    g_assert_cmpint (json_object_get_int_member (ds_data_object (fail), "version"), ==, 3);
    for (int i = 0; i < 3; i++)
      {
        g_autoptr (DsReply) t = ds_expect (server, 200, "POST", test, admin, NULL, NULL);
        g_assert_false (json_object_get_boolean_member (ds_data_object (t), "ok"));
      }
    {
      g_autoptr (DsReply) g = ds_expect (server, 200, "GET", base, admin, NULL, NULL);
      health = json_object_get_object_member (ds_data_object (g), "health");
      g_assert_cmpstr (str (health, "state"), ==, "circuit_open");
      g_assert_cmpint (json_object_get_int_member (health, "consecutiveFailures"), ==, 3);
      g_assert_cmpint (json_object_get_int_member (ds_data_object (g), "version"), ==,
                       3); /* health: no bump */
    }
    {
      g_autoptr (DsReply) r = ds_expect (server, 200, "POST", reset, admin, NULL, NULL);
      health = json_object_get_object_member (ds_data_object (r), "health");
      g_assert_cmpstr (str (health, "state"), ==, "unknown");
      g_assert_cmpint (json_object_get_int_member (health, "consecutiveFailures"), ==, 0);
      g_assert_cmpint (json_object_get_int_member (ds_data_object (r), "version"), ==, 4);
    }
    {
      g_autoptr (DsReply) del = ds_expect (server, 428, "DELETE", base, admin, NULL, NULL);
      g_autoptr (DsReply) del2 =
          ds_expect (server, 200, "DELETE", base, admin, NULL, H ("If-Match", "4"));
      g_autoptr (DsReply) gone = ds_expect (server, 404, "GET", base, admin, NULL, NULL);
    }
  }
}

static void
test_faults (void)
{
  g_autofree char *admin = login ("admin");
  g_autoptr (DsReply) clear =
      ds_expect (server, 200, "DELETE", "/__dev/requests", NULL, NULL, NULL);
  g_autoptr (DsReply) add =
      ds_expect (server, 200, "POST", "/__dev/faults", NULL,
                 "{\"rules\":[{\"match\":\"/api/v1/"
                 "alerts*\",\"kind\":\"status\",\"status\":429,\"retryAfter\":2,\"count\":1},"
                 "{\"match\":\"/api/v1/alerts*\",\"kind\":\"html\",\"count\":1},"
                 "{\"match\":\"/api/v1/alerts*\",\"kind\":\"truncate\",\"count\":1},"
                 "{\"match\":\"/api/v1/alerts*\",\"kind\":\"drop\",\"count\":1},"
                 "{\"match\":\"/api/v1/alerts*\",\"kind\":\"latency\",\"ms\":400,\"count\":1},"
                 "{\"match\":\"/api/v1/"
                 "alerts*\",\"method\":\"POST\",\"kind\":\"status\",\"status\":503,\"count\":5}]}",
                 NULL);
  g_autoptr (DsReply) listed = ds_expect (server, 200, "GET", "/__dev/faults", NULL, NULL, NULL);
  g_autoptr (DsReply) f1 =
      ds_expect (server, 429, "GET", "/api/v1/alerts?limit=1", admin, NULL, NULL);
  g_autoptr (DsReply) f2 =
      ds_expect (server, 502, "GET", "/api/v1/alerts?limit=1", admin, NULL, NULL);
  g_autoptr (DsReply) f3 =
      ds_expect (server, 200, "GET", "/api/v1/alerts?limit=1", admin, NULL, NULL);
  g_autoptr (DsReply) f4 =
      ds_expect (server, 0, "GET", "/api/v1/alerts?limit=1", admin, NULL, NULL);
  g_autoptr (DsReply) f5 =
      ds_expect (server, 200, "GET", "/api/v1/alerts?limit=1", admin, NULL, NULL);
  g_autoptr (DsReply) f6 =
      ds_expect (server, 200, "GET", "/api/v1/alerts?limit=1", admin, NULL, NULL);
  g_autoptr (DsReply) ctl = ds_expect (server, 200, "GET", "/__dev/stats", NULL, NULL, NULL);
  g_autoptr (DsReply) log =
      ds_expect (server, 200, "GET", "/__dev/requests?since=0", NULL, NULL, NULL);
  JsonArray         *entries = ds_data_array (log);
  static const char *kinds[] = { "status", "html", "truncate", "drop", "latency", NULL };
  static const guint statuses[] = { 429, 502, 200, 0, 200, 200 };

  g_assert_cmpuint (json_array_get_length (ds_data_array (listed)), ==, 6);
  g_assert_cmpstr (ds_error_code (f1), ==, "RATE_LIMITED");
  g_assert_cmpstr (ds_header (f1, "Retry-After"), ==, "2");
  g_assert_null (f2->root);
  g_assert_true (g_str_has_prefix (ds_header (f2, "Content-Type"), "text/html"));
  g_assert_null (f3->root); /* truncated JSON */
  g_assert_nonnull (f5->root);
  ds_envelope (f6);
  g_assert_cmpuint (json_array_get_length (entries), ==, 6); /* control calls are not logged */
  for (guint i = 0; i < 6; i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);
      JsonNode   *fault = json_object_get_member (e, "fault");

      g_assert_cmpint (json_object_get_int_member (e, "status"), ==, statuses[i]);
      g_assert_cmpstr (str (e, "path"), ==, "/api/v1/alerts");
      g_assert_cmpstr (str (e, "query"), ==, "limit=1");
      if (kinds[i])
        g_assert_cmpstr (json_node_get_string (fault), ==, kinds[i]);
      else
        g_assert_true (JSON_NODE_HOLDS_NULL (fault));
      g_assert_cmpstr (str (e, "user"), ==, "admin@demo.reloop.np");
      g_assert_true (json_node_get_value_type (json_object_get_member (e, "at")) == G_TYPE_DOUBLE);
    }
  /* the latency fault held its request ≥ 400 ms: logged at send time */
  g_assert_cmpfloat (
      json_object_get_double_member (json_array_get_object_element (entries, 4), "at")
          - json_object_get_double_member (json_array_get_object_element (entries, 3), "at"),
      >=, 400.0);
  {
    /* method-scoped rule: a POST hits it, the idempotency key is logged */
    g_autoptr (DsReply) p =
        ds_expect (server, 503, "POST", "/api/v1/alerts/al-0000001/resolve", admin, "{}",
                   H ("Idempotency-Key", "k-503", "If-Match", "\"9\""));
    g_autofree char *since = g_strdup_printf (
        "/__dev/requests?since=%" G_GINT64_FORMAT,
        json_object_get_int_member (json_array_get_object_element (entries, 5), "seq"));
    g_autoptr (DsReply) log2 = ds_expect (server, 200, "GET", since, NULL, NULL, NULL);
    JsonObject *e = json_array_get_object_element (ds_data_array (log2), 0);

    g_assert_cmpstr (ds_error_code (p), ==, "UNAVAILABLE");
    g_assert_cmpuint (json_array_get_length (ds_data_array (log2)), ==, 1);
    g_assert_cmpstr (str (e, "idempotencyKey"), ==, "k-503");
    g_assert_cmpstr (str (e, "ifMatch"), ==, "\"9\"");
    g_assert_cmpstr (str (e, "method"), ==, "POST");
  }
  {
    g_autoptr (DsReply) cleared =
        ds_expect (server, 200, "DELETE", "/__dev/faults", NULL, NULL, NULL);
    g_autoptr (DsReply) none = ds_expect (server, 200, "GET", "/__dev/faults", NULL, NULL, NULL);
    g_assert_cmpuint (json_array_get_length (ds_data_array (none)), ==, 0);
  }
  (void) clear;
  (void) add;
  (void) ctl;
}

static void
test_tiles (void)
{
  g_autoptr (DsReply) ok =
      ds_expect (server, 200, "GET", "/tiles/12/3046/1716.png", NULL, NULL, NULL);
  g_autoptr (DsReply) bad = ds_expect (server, 404, "GET", "/tiles/3/99/3.png", NULL, NULL, NULL);
  g_autoptr (DsReply) junk = ds_expect (server, 404, "GET", "/tiles/a/b/c.png", NULL, NULL, NULL);
  gsize         len;
  const guchar *data = g_bytes_get_data (ok->body, &len);

  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpstr (ds_header (ok, "Content-Type"), ==, "image/png");
  g_assert_nonnull (strstr (ds_header (ok, "Cache-Control"), "max-age=86400"));
  g_assert_cmpstr (ds_error_code (bad), ==, "NOT_FOUND");
  g_assert_cmpstr (ds_error_code (junk), ==, "NOT_FOUND");
}

static void
test_restart_and_seed (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char  *dir = g_dir_make_tmp ("ds-restart-XXXXXX", &error);
  g_autofree char  *db = g_build_filename (dir, "dev.db", NULL);
  const char *const args[] = { "--drop-points", "40", "--seed", "7", NULL };
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *new_id = NULL;

  for (int round = 0; round < 2; round++)
    {
      RlTestDevserver *s = rl_test_devserver_start_full (db, args, &error);
      RlTestDevserver *saved = server;
      g_autofree char *admin = NULL;

      g_assert_no_error (error);
      server = s;
      admin = login ("admin");
      {
        g_autoptr (DsReply) page =
            ds_expect (s, 200, "GET", "/api/v1/drop-points?limit=5000", admin, NULL, NULL);
        JsonArray *a = ds_data_array (page);

        if (round == 0)
          {
            g_autoptr (DsReply) c =
                ds_expect (s, 201, "POST", "/api/v1/drop-points", admin,
                           "{\"name\":\"Teku Dovan\",\"latitude\":27.695,\"longitude\":85.303,"
                           "\"categories\":[\"METAL\"],\"capacityLiters\":240}",
                           NULL);
            g_assert_cmpuint (json_array_get_length (a), ==, 40);
            new_id = g_strdup (str (ds_data_object (c), "id"));
            g_assert_cmpstr (new_id, ==, "dp-000041");
            for (guint i = 0; i < 40; i++)
              g_ptr_array_add (names,
                               g_strdup (str (json_array_get_object_element (a, i), "name")));
          }
        else
          {
            g_autofree char *path = g_strdup_printf ("/api/v1/drop-points/%s", new_id);
            g_autoptr (DsReply) kept = ds_expect (s, 200, "GET", path, admin, NULL, NULL);
            g_assert_cmpuint (json_array_get_length (a), ==, 41); /* reused, not reseeded */
            g_assert_cmpstr (str (ds_data_object (kept), "name"), ==, "Teku Dovan");
          }
      }
      server = saved;
      rl_test_devserver_free (s);
    }

  /* same seed, fresh database: the same fleet */
  {
    RlTestDevserver *s = ds_start (args);
    RlTestDevserver *saved = server;
    g_autofree char *admin = NULL;

    server = s;
    admin = login ("admin");
    {
      g_autoptr (DsReply) page =
          ds_expect (s, 200, "GET", "/api/v1/drop-points?limit=5000", admin, NULL, NULL);
      JsonArray *a = ds_data_array (page);
      for (guint i = 0; i < 40; i++)
        g_assert_cmpstr (str (json_array_get_object_element (a, i), "name"), ==, names->pdata[i]);
    }
    server = saved;
    rl_test_devserver_free (s);
  }
  rl_test_remove_sqlite (db);
  g_rmdir (dir);
}

static void
test_simulator_telemetry (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestBroker) broker = rl_test_broker_start (&error);
  RlTestDevserver *s;
  RlTestDevserver *saved = server;
  g_autofree char *admin = NULL;
  gint64           head, deadline;
  gint64           readings = 0;

  g_assert_no_error (error); /* CI has mosquitto: a missing broker is a failure */
  s = ds_start ((const char *const[]){ "--drop-points", "100", "--mqtt", broker->url, "--rate",
                                       "200", NULL });
  server = s;
  admin = login ("admin");
  {
    g_autoptr (DsReply) h =
        ds_expect (s, 200, "GET", "/api/v1/changes?since=0&limit=5000", admin, NULL, NULL);
    head = json_object_get_int_member (
        json_object_get_object_member (json_object_get_object_member (ds_envelope (h), "meta"),
                                       "pagination"),
        "nextSince");
  }
  deadline = g_get_monotonic_time () + DEADLINE_US;
  while (readings == 0 && g_get_monotonic_time () < deadline)
    {
      g_autoptr (DsReply) st = ds_expect (s, 200, "GET", "/__dev/stats", NULL, NULL, NULL);
      JsonObject *sim = json_object_get_object_member (ds_data_object (st), "simulator");

      g_assert_true (json_object_get_boolean_member (sim, "running"));
      readings = json_object_get_int_member (sim, "readingsApplied");
      if (readings == 0)
        g_usleep (200 * 1000);
    }
  g_assert_cmpint (readings, >, 0);
  {
    g_autofree char *path =
        g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=5000", head);
    g_autoptr (DsReply) ch = ds_expect (s, 200, "GET", path, admin, NULL, NULL);
    JsonArray *rows = ds_data_array (ch);
    guint      telemetry = 0;

    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        JsonObject *row = json_array_get_object_element (rows, i);
        if (g_str_equal (str (row, "entity"), "drop_point"))
          {
            /* server-managed telemetry: a new seq, the same version */
            g_assert_cmpint (json_object_get_int_member (row, "version"), ==, 1);
            g_assert_nonnull (str (json_object_get_object_member (row, "record"), "lastReadingAt"));
            telemetry++;
          }
      }
    g_assert_cmpuint (telemetry, >, 0);
  }
  server = saved;
  rl_test_devserver_free (s);
}

static void
test_startup_options (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ds-options-XXXXXX", &error);
  g_autofree char *log_path = g_build_filename (dir, "requests.jsonl", NULL);
  RlTestDevserver *s =
      ds_start ((const char *const[]){ "--drop-points", "20", "--faults", "429:1", "--request-log",
                                       log_path, "--token-ttl", "1", NULL });
  RlTestDevserver *saved = server;
  g_autoptr (DsReply) rules = ds_expect (s, 200, "GET", "/__dev/faults", NULL, NULL, NULL);
  g_autoptr (DsReply) limited = ds_expect (s, 429, "GET", "/api/v1/health/live", NULL, NULL, NULL);
  g_autoptr (DsReply) cleared = ds_expect (s, 200, "DELETE", "/__dev/faults", NULL, NULL, NULL);
  g_autoptr (DsReply) login_reply =
      ds_expect (s, 200, "POST", "/api/v1/auth/login", NULL,
                 "{\"email\":\"admin@demo.reloop.np\",\"password\":\"reloop-demo\"}", NULL);
  JsonObject      *rule = json_array_get_object_element (ds_data_array (rules), 0);
  const char      *token = str (ds_data_object (login_reply), "accessToken");
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  gint64 deadline = g_get_monotonic_time () + DEADLINE_US;
  guint  status = 200;

  server = s;
  g_assert_cmpuint (json_array_get_length (ds_data_array (rules)), ==, 1);
  g_assert_cmpstr (str (rule, "kind"), ==, "status");
  g_assert_cmpint (json_object_get_int_member (rule, "status"), ==, 429);
  g_assert_cmpstr (ds_error_code (limited), ==, "RATE_LIMITED");
  g_assert_cmpstr (ds_header (limited, "Retry-After"), ==, "1");
  g_assert_cmpint (json_object_get_int_member (ds_data_object (login_reply), "expiresIn"), ==, 1);

  /* --token-ttl 1: the token stops working within a second or so */
  while (status == 200 && g_get_monotonic_time () < deadline)
    {
      g_autoptr (DsReply) r = ds_call (s, "GET", "/api/v1/alerts?limit=1", token, NULL, NULL);
      status = r->status;
      if (status == 200)
        g_usleep (100 * 1000);
    }
  g_assert_cmpuint (status, ==, 401);

  /* --request-log: the same records as JSON lines */
  g_assert_true (g_file_get_contents (log_path, &contents, NULL, NULL));
  lines = g_strsplit (g_strstrip (contents), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 3);
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *first;

    g_assert_true (json_parser_load_from_data (parser, lines[0], -1, NULL));
    first = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (str (first, "path"), ==, "/api/v1/health/live");
    g_assert_cmpint (json_object_get_int_member (first, "status"), ==, 429);
    g_assert_cmpstr (str (first, "fault"), ==, "status");
  }
  server = saved;
  rl_test_devserver_free (s);

  /* every kind of the spec grammar */
  s = ds_start ((const char *const[]){ "--drop-points", "5", "--faults",
                                       "500:0.5,latency:1-2,truncate:0,html:0,drop:0,503:0",
                                       NULL });
  {
    g_autoptr (DsReply) all = ds_expect (s, 200, "GET", "/__dev/faults", NULL, NULL, NULL);
    JsonArray         *a = ds_data_array (all);
    static const char *kinds[] = { "status", "latency", "truncate", "html", "drop", "status" };

    g_assert_cmpuint (json_array_get_length (a), ==, 6);
    for (guint i = 0; i < 6; i++)
      g_assert_cmpstr (str (json_array_get_object_element (a, i), "kind"), ==, kinds[i]);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (a, 1), "maxMs"), ==,
                     2);
    g_assert_cmpfloat (
        json_object_get_double_member (json_array_get_object_element (a, 0), "probability"), ==,
        0.5);
  }
  rl_test_devserver_free (s);
  g_unlink (log_path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  /* loopback only: no proxy lookup (it needs GSettings schemas that the
   * isolated XDG dirs hide) */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  server = ds_start ((const char *const[]){ "--drop-points", "200", NULL });

  g_test_add_func ("/devserver/tokens", test_tokens);
  g_test_add_func ("/devserver/horizon", test_horizon);
  g_test_add_func ("/devserver/workflow-runs", test_workflow_runs);
  g_test_add_func ("/devserver/sync-jobs", test_sync_jobs);
  g_test_add_func ("/devserver/conflicts", test_conflicts);
  g_test_add_func ("/devserver/providers", test_providers);
  g_test_add_func ("/devserver/faults", test_faults);
  g_test_add_func ("/devserver/tiles", test_tiles);
  g_test_add_func ("/devserver/restart-and-seed", test_restart_and_seed);
  g_test_add_func ("/devserver/simulator-telemetry", test_simulator_telemetry);
  g_test_add_func ("/devserver/startup-options", test_startup_options);
  ret = g_test_run ();
  rl_test_devserver_free (server);
  return ret;
}
