/* test-api-client.c — RlApi against a real reloop-devserver process: login,
 * retries and backoff (from the server's request log), Retry-After, the
 * circuit breaker, bad bodies, refresh, conflicts, idempotency, paging,
 * cancellation.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "rl-api.h"
#include "rl-test-util.h"

#define ADMIN "admin@demo.reloop.np"

typedef struct
{
  RlTestDevserver *server;
  RlApi           *api;
  guint            tokens_changed;
  guint            auth_required;
} Fixture;

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

/* Runs the main loop until the async call stored its result. */

static JsonNode *
dev_call (Fixture    *fixture,
          const char *method,
          const char *path,
          const char *body)
{
  g_autofree char  *url = g_strconcat (fixture->server->url, path, NULL);
  const char *const headers[] = { "Content-Type", "application/json", NULL };
  guint             status = 0;
  JsonNode         *node = rl_test_http (method, url, body, headers, &status);

  if (status != 200)
    g_error ("%s %s → %u", method, path, status);
  g_assert_nonnull (node);
  return node;
}

static void
dev_faults (Fixture    *fixture,
            const char *rules_json)
{
  g_autofree char *body = g_strdup_printf ("{\"rules\":%s}", rules_json);
  g_autoptr (JsonNode) node = dev_call (fixture, "POST", "/__dev/faults", body);
}

static void
dev_clear_log (Fixture *fixture)
{
  g_autoptr (JsonNode) node = dev_call (fixture, "DELETE", "/__dev/requests", NULL);
}

/* The request log's entries whose path starts with prefix (all when NULL). */
static JsonArray *
dev_log (Fixture    *fixture,
         const char *prefix)
{
  g_autoptr (JsonNode) node = dev_call (fixture, "GET", "/__dev/requests?since=0", NULL);
  JsonArray *all = json_object_get_array_member (json_node_get_object (node), "data");
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *entry = json_array_get_object_element (all, i);

      if (prefix == NULL
          || g_str_has_prefix (json_object_get_string_member (entry, "path"), prefix))
        json_array_add_object_element (out, json_object_ref (entry));
    }
  return out;
}

static double
entry_at (JsonArray *log,
          guint      i)
{
  return json_object_get_double_member (json_array_get_object_element (log, i), "at");
}

static gint64
entry_status (JsonArray *log,
              guint      i)
{
  return json_object_get_int_member (json_array_get_object_element (log, i), "status");
}

static double
almost_one (gpointer user_data)
{
  return 0.999999; /* always the full window: the gaps really grow */
}

static void
use_fast_backoff (Fixture *fixture,
                  gint64   base_ms)
{
  RlBackoff backoff;

  rl_backoff_init (&backoff);
  backoff.base_ms = base_ms;
  backoff.cap_ms = 4000;
  backoff.random = almost_one;
  rl_api_set_backoff (fixture->api, &backoff);
}

static RlEnvelope *
request_sync (Fixture                   *fixture,
              const char                *method,
              const char                *path,
              const char                *body_json,
              const RlApiRequestOptions *options,
              GError                   **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonNode) body = body_json != NULL ? json_from_string (body_json, NULL) : NULL;

  rl_api_request_async (fixture->api, method, path, NULL, body, options, NULL,
                        rl_test_store_result_cb, &result);
  return rl_api_request_finish (fixture->api, rl_test_wait_result (&result, 60000), error);
}

static RlEnvelope *
get_sync (Fixture    *fixture,
          const char *path,
          GError    **error)
{
  return request_sync (fixture, "GET", path, NULL, NULL, error);
}

static void
count_cb (gpointer instance,
          gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
login_sync (Fixture    *fixture,
            const char *email)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlApiAuth) auth = NULL;

  rl_api_login_async (fixture->api, email, "reloop-demo", NULL, rl_test_store_result_cb, &result);
  auth = rl_api_login_finish (fixture->api, rl_test_wait_result (&result, 60000), &error);
  g_assert_no_error (error);
  g_assert_nonnull (auth);
}

static void
fixture_setup (Fixture      *fixture,
               gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->server = rl_test_devserver_start (NULL, &error);
  g_assert_no_error (error);
  fixture->api = rl_api_new (fixture->server->url);
  g_signal_connect (fixture->api, "tokens-changed", G_CALLBACK (count_cb),
                    &fixture->tokens_changed);
  g_signal_connect (fixture->api, "auth-required", G_CALLBACK (count_cb),
                    &fixture->auth_required);
  if (data == NULL)
    login_sync (fixture, ADMIN);
  dev_clear_log (fixture);
}

static void
fixture_teardown (Fixture      *fixture,
                  gconstpointer data)
{
  g_clear_object (&fixture->api);
  if (g_test_failed ())
    g_printerr ("devserver log: %s\n", fixture->server->log_path);
  g_clear_pointer (&fixture->server, rl_test_devserver_free);
}

/* ------------------------------------------------------------------ */
/* Tests                                                                */

static void
test_login_good (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlApiAuth) auth = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;

  rl_api_login_async (fixture->api, "dispatcher@demo.reloop.np", "reloop-demo", NULL,
                      rl_test_store_result_cb, &result);
  auth = rl_api_login_finish (fixture->api, rl_test_wait_result (&result, 60000), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (auth->user_email, ==, "dispatcher@demo.reloop.np");
  g_assert_cmpstr (auth->user_role, ==, "dispatcher");
  g_assert_nonnull (auth->user_id);
  g_assert_nonnull (auth->user_name);
  g_assert_cmpint (auth->expires_in, >, 0);
  g_assert_cmpstr (rl_api_get_access_token (fixture->api), ==, auth->access_token);
  g_assert_cmpstr (rl_api_get_refresh_token (fixture->api), ==, auth->refresh_token);
  g_assert_cmpuint (fixture->tokens_changed, ==, 1);
  g_assert_true (rl_api_get_reachable (fixture->api));

  /* The token works. */
  envelope = get_sync (fixture, "/drop-points?limit=1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rl_envelope_get_array (envelope)), ==, 1);
}

static void
test_login_bad (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlApiAuth) auth = NULL;
  g_autoptr (JsonNode) direct = NULL;
  g_autofree char *url = g_strconcat (fixture->server->api_url, "/auth/login", NULL);
  const char      *server_message;
  guint            status = 0;

  direct = rl_test_http ("POST", url, "{\"email\":\"admin@demo.reloop.np\",\"password\":\"nope\"}",
                         NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  server_message = json_object_get_string_member (
      json_object_get_object_member (json_node_get_object (direct), "error"), "message");

  rl_api_login_async (fixture->api, ADMIN, "nope", NULL, rl_test_store_result_cb, &result);
  auth = rl_api_login_finish (fixture->api, rl_test_wait_result (&result, 60000), &error);
  g_assert_null (auth);
  g_assert_error (error, RL_ERROR, RL_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (error->message, ==, server_message);
  g_assert_cmpuint (rl_error_get_http_status (error), ==, 401);
  g_assert_null (rl_api_get_access_token (fixture->api));
  g_assert_cmpuint (fixture->tokens_changed, ==, 0);
  g_assert_cmpuint (fixture->auth_required, ==, 0);
}

static void
test_retry_503 (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autoptr (JsonArray) log = NULL;
  double gaps[3];

  use_fast_backoff (fixture, 200);
  dev_faults (fixture,
              "[{\"match\":\"/api/v1/drop-points*\",\"method\":\"GET\",\"kind\":\"status\","
              "\"status\":503,\"count\":3}]");
  envelope = get_sync (fixture, "/drop-points?limit=5", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rl_envelope_get_array (envelope)), ==, 5);

  log = dev_log (fixture, "/api/v1/drop-points");
  g_assert_cmpuint (json_array_get_length (log), ==, 4);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (entry_status (log, i), ==, 503);
  g_assert_cmpint (entry_status (log, 3), ==, 200);
  for (guint i = 0; i < 3; i++)
    gaps[i] = entry_at (log, i + 1) - entry_at (log, i);
  g_test_message ("gaps: %.1f %.1f %.1f ms", gaps[0], gaps[1], gaps[2]);
  /* Windows of 200, 400, 800 ms, always taken in full. */
  g_assert_cmpfloat (gaps[0], >=, 199);
  g_assert_cmpfloat (gaps[1], >=, 399);
  g_assert_cmpfloat (gaps[2], >=, 799);
  g_assert_cmpfloat (gaps[1], >, gaps[0]);
  g_assert_cmpfloat (gaps[2], >, gaps[1]);
  g_assert_cmpuint (rl_api_get_retry_count (fixture->api), ==, 3);
}

static void
test_retry_after (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autoptr (JsonArray) log = NULL;
  double gap;

  use_fast_backoff (fixture, 50);
  dev_faults (fixture,
              "[{\"match\":\"/api/v1/drop-points*\",\"method\":\"GET\",\"kind\":\"status\","
              "\"status\":429,\"retryAfter\":1,\"count\":1}]");
  envelope = get_sync (fixture, "/drop-points?limit=1", &error);
  g_assert_no_error (error);

  log = dev_log (fixture, "/api/v1/drop-points");
  g_assert_cmpuint (json_array_get_length (log), ==, 2);
  g_assert_cmpint (entry_status (log, 0), ==, 429);
  gap = entry_at (log, 1) - entry_at (log, 0);
  g_test_message ("gap after Retry-After: 1 → %.1f ms", gap);
  g_assert_cmpfloat (gap, >=, 1000); /* the 50 ms backoff alone would be far shorter */
}

/* The circuit lets a probe through. */
static gboolean
cool_down_over (gpointer user_data)
{
  return rl_circuit_get_retry_in_ms (user_data) == 0;
}

static void
test_circuit (Fixture      *fixture,
              gconstpointer data)
{
  RlCircuit *circuit = rl_api_get_circuit (fixture->api);
  g_autoptr (JsonArray) log = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autoptr (GError) error = NULL;

  rl_api_set_max_attempts (fixture->api, 1);
  rl_circuit_set_cool_down (circuit, 1500, 3000);
  dev_faults (
      fixture,
      "[{\"match\":\"/api/v1/drop-points*\",\"kind\":\"status\",\"status\":500,\"count\":1000}]");

  for (guint i = 0; i < RL_CIRCUIT_DEFAULT_THRESHOLD; i++)
    {
      g_autoptr (RlEnvelope) failed = get_sync (fixture, "/drop-points?limit=1", &error);

      g_assert_null (failed);
      g_assert_error (error, RL_ERROR, RL_ERROR_INTERNAL);
      g_clear_error (&error);
    }
  g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_OPEN);

  /* Open: fails fast, the server sees nothing. */
  envelope = get_sync (fixture, "/drop-points?limit=1", &error);
  g_assert_error (error, RL_ERROR, RL_ERROR_CIRCUIT_OPEN);
  g_clear_error (&error);
  g_assert_false (rl_api_get_reachable (fixture->api));
  log = dev_log (fixture, "/api/v1/drop-points");
  g_assert_cmpuint (json_array_get_length (log), ==, RL_CIRCUIT_DEFAULT_THRESHOLD);
  g_clear_pointer (&log, json_array_unref);

  /* After the cool-down one probe goes through; it succeeds and closes. */
  json_node_unref (dev_call (fixture, "DELETE", "/__dev/faults", NULL));
  g_assert_true (rl_test_wait_until (cool_down_over, circuit, 30000));
  envelope = get_sync (fixture, "/drop-points?limit=1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (envelope);
  g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_CLOSED);
  g_assert_true (rl_api_get_reachable (fixture->api));
  log = dev_log (fixture, "/api/v1/drop-points");
  g_assert_cmpuint (json_array_get_length (log), ==, RL_CIRCUIT_DEFAULT_THRESHOLD + 1);
}

static void
test_circuit_probe_fails (Fixture      *fixture,
                          gconstpointer data)
{
  RlCircuit *circuit = rl_api_get_circuit (fixture->api);
  g_autoptr (JsonArray) log = NULL;
  g_autoptr (GError) error = NULL;

  rl_api_set_max_attempts (fixture->api, 1);
  rl_circuit_set_failure_threshold (circuit, 2);
  rl_circuit_set_cool_down (circuit, 500, 5000);
  dev_faults (fixture, "[{\"match\":\"/api/v1/drop-points*\",\"kind\":\"html\",\"count\":1000}]");

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (RlEnvelope) failed = get_sync (fixture, "/drop-points?limit=1", &error);

      g_assert_error (error, RL_ERROR, RL_ERROR_BAD_RESPONSE);
      g_clear_error (&error);
      if (i == 1)
        {
          g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_OPEN);
          g_assert_true (rl_test_wait_until (cool_down_over, circuit, 30000));
        }
    }
  /* The probe failed: open again, with a doubled cool-down. */
  g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_OPEN);
  g_assert_cmpint (rl_circuit_get_retry_in_ms (circuit), >, 500);
  log = dev_log (fixture, "/api/v1/drop-points");
  g_assert_cmpuint (json_array_get_length (log), ==, 3);
}

static void
test_bad_bodies (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autoptr (JsonArray) log = NULL;

  use_fast_backoff (fixture, 20);
  rl_api_set_max_attempts (fixture->api, 2);
  dev_faults (fixture, "[{\"match\":\"/api/v1/drop-points*\",\"kind\":\"truncate\",\"count\":2}]");
  envelope = get_sync (fixture, "/drop-points?limit=50", &error);
  g_assert_null (envelope);
  g_assert_error (error, RL_ERROR, RL_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  dev_faults (fixture, "[{\"match\":\"/api/v1/alerts*\",\"kind\":\"html\",\"count\":2}]");
  envelope = get_sync (fixture, "/alerts", &error);
  g_assert_null (envelope);
  g_assert_error (error, RL_ERROR, RL_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (rl_error_get_http_status (error), ==, 502);
  g_assert_nonnull (strstr (rl_api_get_last_error (fixture->api), "text/html"));
  g_clear_error (&error);

  /* Both were retried (reads), then given up after max-attempts. */
  log = dev_log (fixture, "/api/v1/");
  g_assert_cmpuint (json_array_get_length (log), ==, 4);

  /* And the client still works. */
  envelope = get_sync (fixture, "/alerts", &error);
  g_assert_no_error (error);
}

static void
test_dropped_connection (Fixture      *fixture,
                         gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autoptr (JsonArray) log = NULL;

  use_fast_backoff (fixture, 50);
  dev_faults (fixture, "[{\"match\":\"/api/v1/drop-points*\",\"kind\":\"drop\",\"count\":1}]");
  envelope = get_sync (fixture, "/drop-points?limit=3", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rl_envelope_get_array (envelope)), ==, 3);
  log = dev_log (fixture, "/api/v1/drop-points");
  g_assert_cmpuint (json_array_get_length (log), ==, 2);
  g_assert_cmpint (entry_status (log, 0), ==, 0);
  g_assert_cmpint (entry_status (log, 1), ==, 200);
}

typedef struct
{
  GAsyncResult *results[5];
  guint         n_done;
} Concurrent;

static void
concurrent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Concurrent *c = user_data;

  c->results[c->n_done++] = g_object_ref (result);
}

static gboolean
all_done (gpointer user_data)
{
  return ((Concurrent *) user_data)->n_done == 5;
}

static void
test_refresh_single_flight (Fixture      *fixture,
                            gconstpointer data)
{
  static const char *paths[] = { "/drop-points?limit=2", "/alerts", "/providers",
                                 "/drop-points?limit=7", "/sync/jobs" };
  Concurrent         c = { 0 };
  g_autoptr (JsonArray) refreshes = NULL;
  g_autoptr (JsonArray) log = NULL;
  g_autofree char *old_access = g_strdup (rl_api_get_access_token (fixture->api));
  guint            before = fixture->tokens_changed;

  g_autoptr (JsonNode) expired = dev_call (fixture, "POST", "/__dev/tokens/expire", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    rl_api_get_async (fixture->api, paths[i], NULL, NULL, concurrent_cb, &c);
  g_assert_true (rl_test_wait_until (all_done, &c, 60000));

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RlEnvelope) envelope = rl_api_request_finish (fixture->api, c.results[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (envelope);
      g_object_unref (c.results[i]);
    }

  refreshes = dev_log (fixture, "/api/v1/auth/refresh");
  g_assert_cmpuint (json_array_get_length (refreshes), ==, 1);
  g_assert_cmpint (entry_status (refreshes, 0), ==, 200);
  g_assert_cmpuint (rl_api_get_refresh_count (fixture->api), ==, 1);
  g_assert_cmpuint (fixture->tokens_changed, ==, before + 1);
  g_assert_cmpstr (rl_api_get_access_token (fixture->api), !=, old_access);
  g_assert_cmpuint (fixture->auth_required, ==, 0);

  /* Each request: one 401 with the expired token, then one success. */
  log = dev_log (fixture, "/api/v1/");
  {
    guint n401 = 0, n200 = 0;

    for (guint i = 0; i < json_array_get_length (log); i++)
      {
        JsonObject *entry = json_array_get_object_element (log, i);

        if (g_str_equal (json_object_get_string_member (entry, "path"), "/api/v1/auth/refresh"))
          continue;
        if (json_object_get_int_member (entry, "status") == 401)
          n401++;
        else if (json_object_get_int_member (entry, "status") == 200)
          n200++;
      }
    g_assert_cmpuint (n401, ==, 5);
    g_assert_cmpuint (n200, ==, 5);
    g_assert_cmpuint (json_array_get_length (log), ==, 11);
  }
}

static void
test_refresh_refused (Fixture      *fixture,
                      gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autoptr (JsonArray) refreshes = NULL;

  rl_api_set_tokens (fixture->api, "at.bogus", "rt.bogus");
  envelope = get_sync (fixture, "/alerts", &error);
  g_assert_null (envelope);
  g_assert_error (error, RL_ERROR, RL_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (fixture->auth_required, ==, 1);
  g_assert_null (rl_api_get_refresh_token (fixture->api));
  refreshes = dev_log (fixture, "/api/v1/auth/refresh");
  g_assert_cmpuint (json_array_get_length (refreshes), ==, 1);
  g_clear_pointer (&refreshes, json_array_unref);
  g_clear_error (&error);

  /* No refresh token left: a 401 asks for a sign-in without another refresh. */
  envelope = get_sync (fixture, "/alerts", &error);
  g_assert_error (error, RL_ERROR, RL_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (fixture->auth_required, ==, 2);
  refreshes = dev_log (fixture, "/api/v1/auth/refresh");
  g_assert_cmpuint (json_array_get_length (refreshes), ==, 1);
}

static void
test_sign_out_during_refresh (Fixture      *fixture,
                              gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlApiAuth) auth = NULL;
  g_autoptr (JsonArray) refreshes = NULL;

  rl_api_refresh_async (fixture->api, NULL, rl_test_store_result_cb, &result);
  rl_api_sign_out (fixture->api); /* before the refresh answers */
  auth = rl_api_refresh_finish (fixture->api, rl_test_wait_result (&result, 60000), &error);
  g_assert_no_error (error);
  g_assert_nonnull (auth->access_token);
  /* The refreshed tokens do not bring the signed-out session back. */
  g_assert_null (rl_api_get_access_token (fixture->api));
  g_assert_null (rl_api_get_refresh_token (fixture->api));
  refreshes = dev_log (fixture, "/api/v1/auth/refresh");
  g_assert_cmpuint (json_array_get_length (refreshes), ==, 1);
}

static void
test_server_down (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;

  g_assert_true (rl_api_get_reachable (fixture->api));
  use_fast_backoff (fixture, 20);
  rl_api_set_max_attempts (fixture->api, 3);
  rl_test_devserver_stop (fixture->server);

  envelope = get_sync (fixture, "/alerts", &error);
  g_assert_null (envelope);
  g_assert_error (error, RL_ERROR, RL_ERROR_NETWORK);
  g_assert_false (rl_api_get_reachable (fixture->api));
  g_assert_cmpuint (rl_api_get_retry_count (fixture->api), ==, 2);
  g_assert_cmpuint (rl_circuit_get_consecutive_failures (rl_api_get_circuit (fixture->api)), ==, 3);
  g_assert_nonnull (rl_api_get_last_error (fixture->api));
}

static JsonObject *
first_record (Fixture    *fixture,
              const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = get_sync (fixture, path, &error);
  JsonArray *array;

  g_assert_no_error (error);
  array = rl_envelope_get_array (envelope);
  g_assert_nonnull (array);
  g_assert_cmpuint (json_array_get_length (array), >, 0);
  return json_object_ref (json_array_get_object_element (array, 0));
}

static void
test_version_conflict (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr (JsonObject) point = first_record (fixture, "/drop-points?limit=1");
  const char      *id = json_object_get_string_member (point, "id");
  gint64           version = json_object_get_int_member (point, "version");
  g_autofree char *touch_path = g_strdup_printf ("/__dev/records/drop_point/%s/touch", id);
  g_autofree char *path = g_strdup_printf ("/drop-points/%s", id);
  g_autoptr (JsonNode) touched = dev_call (fixture, "POST", touch_path, NULL);
  JsonObject *touched_record =
      json_object_get_object_member (json_node_get_object (touched), "data");
  g_autoptr (JsonNode) body = json_from_string ("{\"notes\":\"crew sent\"}", NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  JsonObject *current;
  gint64      current_version;

  g_assert_cmpint (json_object_get_int_member (touched_record, "version"), >, version);

  rl_api_patch_async (fixture->api, path, body, version, NULL, rl_test_store_result_cb, &result);
  envelope = rl_api_request_finish (fixture->api, rl_test_wait_result (&result, 60000), &error);
  g_assert_null (envelope);
  g_assert_error (error, RL_ERROR, RL_ERROR_VERSION_CONFLICT);
  g_assert_cmpuint (rl_error_get_http_status (error), ==, 409);
  current = rl_error_get_current (error);
  g_assert_nonnull (current);
  g_assert_cmpstr (json_object_get_string_member (current, "id"), ==, id);
  g_assert_cmpint (json_object_get_int_member (current, "version"), ==,
                   json_object_get_int_member (touched_record, "version"));
  current_version = json_object_get_int_member (current, "version");
  g_clear_object (&result);
  g_clear_error (&error); /* current belonged to the error */

  /* With the current version it goes through, and the log shows If-Match. */
  rl_api_patch_async (fixture->api, path, body, current_version, NULL, rl_test_store_result_cb, &result);
  envelope = rl_api_request_finish (fixture->api, rl_test_wait_result (&result, 60000), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (rl_envelope_get_object (envelope), "notes"), ==,
                   "crew sent");
  {
    g_autoptr (JsonArray) log = dev_log (fixture, "/api/v1/drop-points/");
    JsonObject *last = json_array_get_object_element (log, json_array_get_length (log) - 1);

    g_assert_cmpstr (json_object_get_string_member (last, "method"), ==, "PATCH");
    g_assert_nonnull (json_object_get_string_member (last, "ifMatch"));
    g_assert_nonnull (json_object_get_string_member (last, "idempotencyKey"));
  }
}

static void
test_idempotent_retry (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr (JsonObject) alert = first_record (fixture, "/alerts?status=open&limit=1");
  const char      *id = json_object_get_string_member (alert, "id");
  gint64           version = json_object_get_int_member (alert, "version");
  g_autofree char *path = g_strdup_printf ("/alerts/%s/acknowledge", id);
  g_autofree char *rules = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autoptr (RlEnvelope) after = NULL;
  g_autoptr (JsonArray) log = NULL;
  g_autofree char *get_path = g_strdup_printf ("/alerts?status=acknowledged&limit=5000");
  JsonArray       *acknowledged;
  gboolean         found = FALSE;

  use_fast_backoff (fixture, 50);
  /* The server applies the first POST, but its answer arrives cut in half. */
  rules = g_strdup_printf (
      "[{\"match\":\"/api/v1%s\",\"method\":\"POST\",\"kind\":\"truncate\",\"count\":1}]", path);
  dev_faults (fixture, rules);
  envelope = request_sync (fixture, "POST", path, "{\"note\":\"on it\"}", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (envelope->replayed);
  g_assert_cmpstr (json_object_get_string_member (rl_envelope_get_object (envelope), "status"), ==,
                   "acknowledged");

  log = dev_log (fixture, "/api/v1/alerts/");
  g_assert_cmpuint (json_array_get_length (log), ==, 2);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (log, 0), "idempotencyKey"), ==,
      json_object_get_string_member (json_array_get_object_element (log, 1), "idempotencyKey"));
  g_assert_nonnull (
      json_object_get_string_member (json_array_get_object_element (log, 0), "idempotencyKey"));

  /* Applied once: one version step. */
  after = get_sync (fixture, get_path, &error);
  g_assert_no_error (error);
  acknowledged = rl_envelope_get_array (after);
  for (guint i = 0; i < json_array_get_length (acknowledged); i++)
    {
      JsonObject *a = json_array_get_object_element (acknowledged, i);

      if (g_strcmp0 (json_object_get_string_member (a, "id"), id) == 0)
        {
          found = TRUE;
          g_assert_cmpint (json_object_get_int_member (a, "version"), ==, version + 1);
        }
    }
  g_assert_true (found);
}

static void
test_validation (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr (JsonObject) point = first_record (fixture, "/drop-points?limit=1");
  g_autofree char *path =
      g_strdup_printf ("/drop-points/%s", json_object_get_string_member (point, "id"));
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  JsonObject *fields;

  options.if_match = json_object_get_int_member (point, "version");
  envelope = request_sync (fixture, "PATCH", path, "{\"name\":\"\",\"capacityLiters\":-5}",
                           &options, &error);
  g_assert_null (envelope);
  g_assert_error (error, RL_ERROR, RL_ERROR_VALIDATION_FAILED);
  g_assert_cmpuint (rl_error_get_http_status (error), ==, 422);
  fields = rl_error_get_fields (error);
  g_assert_nonnull (fields);
  g_assert_true (json_object_has_member (fields, "name"));
  g_assert_true (json_object_has_member (fields, "capacityLiters"));
}

static gboolean
count_page (RlApi      *api,
            RlEnvelope *page,
            gpointer    user_data)
{
  GHashTable *seen = user_data;
  JsonArray  *items = rl_envelope_get_array (page);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *id =
          json_object_get_string_member (json_array_get_object_element (items, i), "id");

      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, g_strdup (id));
    }
  return TRUE;
}

static void
test_pagination (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) items = NULL;
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint       n_pages = 0;

  /* Collected. */
  rl_api_list_all_async (fixture->api, "/drop-points", NULL, 500, NULL, NULL, NULL, NULL,
                         rl_test_store_result_cb, &result);
  g_assert_true (
      rl_api_list_all_finish (fixture->api, rl_test_wait_result (&result, 60000), &items, &n_pages, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (items), ==, 2000);
  g_assert_cmpuint (n_pages, >=, 4);
  g_assert_cmpuint (n_pages, <=, 5);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *id =
          json_object_get_string_member (json_array_get_object_element (items, i), "id");

      g_assert_true (g_hash_table_add (ids, g_strdup (id))); /* exactly once */
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 2000);
  g_clear_object (&result);
  g_clear_pointer (&items, json_array_unref);

  /* Page by page. */
  rl_api_list_all_async (fixture->api, "/drop-points", NULL, 500, count_page,
                         g_hash_table_ref (seen), (GDestroyNotify) g_hash_table_unref, NULL,
                         rl_test_store_result_cb, &result);
  g_assert_true (
      rl_api_list_all_finish (fixture->api, rl_test_wait_result (&result, 60000), &items, NULL, &error));
  g_assert_cmpuint (json_array_get_length (items), ==, 0);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 2000);
  g_hash_table_unref (seen);
}

static void
test_changes (Fixture      *fixture,
              gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) first = NULL;
  g_autoptr (RlEnvelope) second = NULL;
  JsonArray *entries;

  rl_api_changes_async (fixture->api, 0, 100, NULL, rl_test_store_result_cb, &result);
  first = rl_api_changes_finish (fixture->api, rl_test_wait_result (&result, 60000), &error);
  g_assert_no_error (error);
  entries = rl_envelope_get_array (first);
  g_assert_cmpuint (json_array_get_length (entries), ==, 100);
  g_assert_true (first->has_more);
  g_assert_cmpint (first->next_since, >, 0);
  g_clear_object (&result);

  rl_api_changes_async (fixture->api, first->next_since, 100, NULL, rl_test_store_result_cb, &result);
  second = rl_api_changes_finish (fixture->api, rl_test_wait_result (&result, 60000), &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->next_since, >, first->next_since);
  g_assert_cmpint (json_object_get_int_member (
                       json_array_get_object_element (rl_envelope_get_array (second), 0), "seq"),
                   >, first->next_since);
}

static gboolean
log_has_one (gpointer user_data)
{
  Fixture *fixture = user_data;
  g_autoptr (JsonArray) log = dev_log (fixture, "/api/v1/drop-points");

  return json_array_get_length (log) >= 1;
}

/* A request failed once and waits to be tried again. */
static gboolean
retried (gpointer user_data)
{
  return rl_api_get_retry_count (user_data) > 0;
}

static void
test_cancel_mid_retry (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autoptr (JsonArray) log = NULL;
  gint64 cancelled_at;

  use_fast_backoff (fixture, 3000); /* a long wait to cancel in */
  dev_faults (
      fixture,
      "[{\"match\":\"/api/v1/drop-points*\",\"kind\":\"status\",\"status\":503,\"count\":100}]");
  rl_api_get_async (fixture->api, "/drop-points?limit=1", NULL, cancellable, rl_test_store_result_cb,
                    &result);
  g_assert_true (rl_test_wait_until (log_has_one, fixture, 30000));
  /* Let the 503 arrive and the wait begin. */
  g_assert_true (rl_test_wait_until (retried, fixture->api, 30000));

  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  envelope = rl_api_request_finish (fixture->api, rl_test_wait_result (&result, 60000), &error);
  g_assert_null (envelope);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, 2 * G_USEC_PER_SEC);
  log = dev_log (fixture, "/api/v1/drop-points");
  g_assert_cmpuint (json_array_get_length (log), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  /* Loopback only: no proxy lookup (it needs GSettings schemas that the
   * isolated XDG dirs hide). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, no_login)                                                        \
  g_test_add ("/api-client/" path, Fixture, (no_login) ? "" : NULL, fixture_setup, func, \
              fixture_teardown)

  ADD ("login-good", test_login_good, TRUE);
  ADD ("login-bad", test_login_bad, TRUE);
  ADD ("retry-503", test_retry_503, FALSE);
  ADD ("retry-after", test_retry_after, FALSE);
  ADD ("circuit", test_circuit, FALSE);
  ADD ("circuit-probe-fails", test_circuit_probe_fails, FALSE);
  ADD ("bad-bodies", test_bad_bodies, FALSE);
  ADD ("dropped-connection", test_dropped_connection, FALSE);
  ADD ("refresh-single-flight", test_refresh_single_flight, FALSE);
  ADD ("refresh-refused", test_refresh_refused, FALSE);
  ADD ("version-conflict", test_version_conflict, FALSE);
  ADD ("idempotent-retry", test_idempotent_retry, FALSE);
  ADD ("validation", test_validation, FALSE);
  ADD ("pagination", test_pagination, FALSE);
  ADD ("changes", test_changes, FALSE);
  ADD ("cancel-mid-retry", test_cancel_mid_retry, FALSE);
  ADD ("server-down", test_server_down, FALSE);
  ADD ("sign-out-during-refresh", test_sign_out_during_refresh, FALSE);

  return g_test_run ();
}
