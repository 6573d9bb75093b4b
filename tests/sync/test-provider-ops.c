/* test-provider-ops.c — the Providers page's actions (rl-provider-ops.h)
 * against a devserver: test, reset circuit, delete, reorder, role,
 * enabled, and the offline refusal.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-error.h"
#include "rl-provider-ops.h"
#include "sync-test-util.h"

/* Seed order (rl-dev-providers.c): payment is khalti (primary), esewa and
 * fonepay (fallback 1, 2), stripe (backup, circuit open). */
#define KHALTI "prv-0004"
#define ESEWA "prv-0005"
#define FONEPAY "prv-0006"
#define STRIPE "prv-0007"

static RlTestDevserver *server;

static JsonObject *
server_provider (const char *id)
{
  g_autofree char *token = rl_test_login (server, SYNC_ADMIN);
  g_autofree char *path = g_strdup_printf ("/providers/%s", id);

  return sync_test_get (server, token, path);
}

static const char *
health_state (JsonObject *provider)
{
  return json_object_get_string_member (json_object_get_object_member (provider, "health"),
                                        "state");
}

static void
drain (RlSession *session)
{
  g_autoptr (GError) error = NULL;
  RlDrainStats stats = { 0 };

  g_assert_true (sync_test_drain (session, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.failed, ==, 0);
  g_assert_cmpuint (stats.pending, ==, 0);
}

static void
test_test_connection (void)
{
  g_autoptr (RlSession) session = sync_test_sign_in (server, SYNC_ADMIN, 0);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlProviderTestResult) answer = NULL;
  g_autoptr (JsonObject) remote = NULL;
  g_autoptr (JsonObject) cached = NULL;
  gint64 before = g_get_real_time () / 1000;

  rl_provider_test_async (session, KHALTI, NULL, rl_test_store_result_cb, &result);
  answer = rl_provider_test_finish (session, rl_test_wait_result (&result, SYNC_TIMEOUT_MS),
                                    &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_cmpstr (answer->message, !=, "");
  g_assert_cmpint (answer->latency_ms, >, 0);
  g_assert_cmpint (answer->when_ms, >=, before);
  /* The cache has the health the test left on the server, without a pull. */
  remote = server_provider (KHALTI);
  cached = sync_test_cached (session, "provider", KHALTI);
  g_assert_cmpstr (health_state (cached), ==, health_state (remote));
  g_assert_cmpstr (health_state (remote), ==, answer->ok ? "healthy" : "down");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (cached, "health"),
                                     "lastCheckedAt"),
      ==,
      json_object_get_string_member (json_object_get_object_member (remote, "health"),
                                     "lastCheckedAt"));
}

static void
test_reset_circuit (void)
{
  g_autoptr (RlSession) session = sync_test_sign_in (server, SYNC_ADMIN, 0);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) forced = NULL;
  g_autoptr (JsonObject) cached = NULL;
  g_autoptr (JsonObject) remote = NULL;

  forced = sync_test_call (server, NULL, "POST", "/__dev/providers/" ESEWA "/failures",
                           "{\"count\": 3}", NULL, 200);
  g_assert_cmpstr (health_state (json_node_get_object (forced)), ==, "circuit_open");
  g_assert_true (sync_test_pull (session, &error));
  g_assert_no_error (error);
  cached = sync_test_cached (session, "provider", ESEWA);
  g_assert_cmpstr (health_state (cached), ==, "circuit_open");
  g_clear_pointer (&cached, json_object_unref);

  rl_provider_reset_circuit_async (session, ESEWA, NULL, rl_test_store_result_cb, &result);
  g_assert_true (rl_provider_reset_circuit_finish (
      session, rl_test_wait_result (&result, SYNC_TIMEOUT_MS), &error));
  g_assert_no_error (error);
  remote = server_provider (ESEWA);
  g_assert_cmpstr (health_state (remote), !=, "circuit_open");
  cached = sync_test_cached (session, "provider", ESEWA);
  g_assert_cmpstr (health_state (cached), ==, health_state (remote));
  /* The whole answer went to the cache: its version too (no edit waited). */
  g_assert_cmpint (json_object_get_int_member (cached, "version"), ==,
                   json_object_get_int_member (remote, "version"));
}

static void
test_move_and_role (void)
{
  g_autoptr (RlSession) session = sync_test_sign_in (server, SYNC_ADMIN, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) esewa = NULL;
  g_autoptr (JsonObject) fonepay = NULL;
  g_autoptr (JsonObject) khalti = NULL;

  rl_session_set_auto_drain (session, FALSE);
  /* esewa 1, fonepay 2 → fonepay 1, esewa 2: two edits. */
  g_assert_cmpint (rl_provider_move (session, ESEWA, +1, &error), ==, 2);
  g_assert_no_error (error);
  /* Already last: nothing to do. */
  g_assert_cmpint (rl_provider_move (session, ESEWA, +1, &error), ==, 0);
  g_assert_no_error (error);
  drain (session);
  esewa = server_provider (ESEWA);
  fonepay = server_provider (FONEPAY);
  g_assert_cmpint (json_object_get_int_member (fonepay, "priority"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (esewa, "priority"), ==, 2);
  g_clear_pointer (&esewa, json_object_unref);

  /* Back up, by a drop before fonepay. */
  g_assert_cmpint (rl_provider_move_to (session, ESEWA, FONEPAY, FALSE, &error), ==, 2);
  g_assert_no_error (error);
  /* Another kind: refused. */
  g_assert_cmpint (rl_provider_move_to (session, ESEWA, "prv-0001", FALSE, &error), ==, -1);
  g_assert_error (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  /* khalti becomes a fallback, after the two there. */
  g_assert_cmpint (rl_provider_set_role (session, KHALTI, RL_PROVIDER_ROLE_FALLBACK, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (rl_provider_set_role (session, KHALTI, RL_PROVIDER_ROLE_FALLBACK, &error), ==,
                   -1);
  g_assert_error (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CHANGE);
  g_clear_error (&error);
  g_assert_cmpint (rl_provider_set_enabled (session, FONEPAY, FALSE, &error), >, 0);
  g_assert_no_error (error);
  drain (session);

  esewa = server_provider (ESEWA);
  g_clear_pointer (&fonepay, json_object_unref);
  fonepay = server_provider (FONEPAY);
  khalti = server_provider (KHALTI);
  g_assert_cmpint (json_object_get_int_member (esewa, "priority"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (fonepay, "priority"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (khalti, "role"), ==, "fallback");
  g_assert_cmpint (json_object_get_int_member (khalti, "priority"), ==, 3);
  g_assert_false (json_object_get_boolean_member (fonepay, "enabled"));
}

static void
test_delete (void)
{
  g_autoptr (RlSession) session = sync_test_sign_in (server, SYNC_ADMIN, 0);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = rl_test_login (server, SYNC_ADMIN);
  g_autoptr (JsonNode) gone = NULL;
  g_autoptr (JsonObject) cached = NULL;

  rl_provider_delete_async (session, STRIPE, NULL, rl_test_store_result_cb, &result);
  g_assert_true (
      rl_provider_delete_finish (session, rl_test_wait_result (&result, SYNC_TIMEOUT_MS), &error));
  g_assert_no_error (error);
  gone = sync_test_call (server, token, "GET", "/providers/" STRIPE, NULL, NULL, 404);
  cached = rl_store_get_record (rl_session_get_store (session), "provider", STRIPE, &error);
  g_assert_null (cached);
  g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND);
}

static gboolean
is_offline (gpointer data)
{
  return rl_session_get_state (data) == RL_SESSION_STATE_OFFLINE;
}

/* Last: it stops the server. */
static void
test_offline (void)
{
  g_autoptr (RlSession) session = sync_test_sign_in (server, SYNC_ADMIN, 0);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlProviderTestResult) answer = NULL;

  rl_session_set_probe_interval (session, 200);
  rl_test_devserver_stop (server);
  g_assert_true (rl_test_wait_until (is_offline, session, SYNC_TIMEOUT_MS));

  rl_provider_test_async (session, KHALTI, NULL, rl_test_store_result_cb, &result);
  answer = rl_provider_test_finish (session, rl_test_wait_result (&result, 5000), &error);
  g_assert_null (answer);
  g_assert_error (error, RL_ERROR, RL_ERROR_NETWORK);
  g_clear_error (&error);
  g_clear_object (&result);
  rl_provider_reset_circuit_async (session, KHALTI, NULL, rl_test_store_result_cb, &result);
  g_assert_false (
      rl_provider_reset_circuit_finish (session, rl_test_wait_result (&result, 5000), &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_NETWORK);
  g_clear_error (&error);
  /* Edits still queue offline. */
  g_assert_cmpint (rl_provider_set_enabled (session, KHALTI, FALSE, &error), >, 0);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  const char *args[] = { "--drop-points", "20", "--seed", "3", "--health-interval", "0", NULL };
  int         rc;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = sync_test_devserver (args);

  g_test_add_func ("/provider-ops/test-connection", test_test_connection);
  g_test_add_func ("/provider-ops/reset-circuit", test_reset_circuit);
  g_test_add_func ("/provider-ops/move-and-role", test_move_and_role);
  g_test_add_func ("/provider-ops/delete", test_delete);
  g_test_add_func ("/provider-ops/offline", test_offline);

  rc = g_test_run ();
  rl_test_devserver_free (server);
  return rc;
}
