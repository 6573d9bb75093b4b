/* test-session.c — RlSession against a real reloop-devserver and keyring.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sign-in, tokens in the keyring, restore without a password, offline and
 * back, sign-out, and the /changes sync into the cache (incl. 410 reload).
 */
#include "rl-api.h"
#include "rl-error.h"
#include "rl-secrets.h"
#include "rl-session.h"
#include "rl-store.h"
#include "rl-test-util.h"
#include "rl-url.h"

#define ADMIN "admin@demo.reloop.np"
#define DISPATCHER "dispatcher@demo.reloop.np"

#define CALL_TIMEOUT_MS 60000

typedef struct
{
  RlSession     *session;
  RlSessionState state;
} StateWait;

static gboolean
state_is (gpointer user_data)
{
  StateWait *sw = user_data;

  return rl_session_get_state (sw->session) == sw->state;
}

static gboolean
wait_state (RlSession     *session,
            RlSessionState state,
            guint          timeout_ms)
{
  StateWait sw = { session, state };

  return rl_test_wait_until (state_is, &sw, timeout_ms);
}

static gboolean
sign_in (RlSession  *session,
         const char *url,
         const char *email,
         const char *password,
         GError    **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  gboolean ok;

  rl_session_sign_in_async (session, url, email, password, NULL, rl_test_store_result_cb, &result);
  ok = rl_session_sign_in_finish (session, rl_test_wait_result (&result, CALL_TIMEOUT_MS), error);
  return ok;
}

static gboolean
restore (RlSession  *session,
         const char *url,
         const char *email,
         GError    **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  gboolean ok;

  rl_session_restore_async (session, url, email, NULL, rl_test_store_result_cb, &result);
  ok = rl_session_restore_finish (session, rl_test_wait_result (&result, CALL_TIMEOUT_MS), error);
  return ok;
}

static gboolean
sync_now (RlSession *session,
          GError   **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  gboolean ok;

  rl_session_sync_async (session, NULL, rl_test_store_result_cb, &result);
  ok = rl_session_sync_finish (session, rl_test_wait_result (&result, CALL_TIMEOUT_MS), error);
  return ok;
}

static void
sign_out (RlSession *session)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  rl_session_sign_out_async (session, NULL, rl_test_store_result_cb, &result);
  g_assert_true (rl_session_sign_out_finish (session, rl_test_wait_result (&result, CALL_TIMEOUT_MS), &error));
  g_assert_no_error (error);
}

/* A devserver of this test, and nothing in the keyring for its address:
 * the keyring is the session's, shared by every test of a run, and a port
 * used before (another test's devserver) may have left tokens under it. */
static RlTestDevserver *
start_devserver (const char *const *args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  RlTestDevserver *server = rl_test_devserver_start (args, &error);

  g_assert_no_error (error);
  g_assert_nonnull (server);
  rl_secrets_clear_server_async (server->url, NULL, rl_test_store_result_cb, &result);
  g_assert_true (rl_secrets_clear_server_finish (rl_test_wait_result (&result, CALL_TIMEOUT_MS),
                                                 &error));
  g_assert_no_error (error);
  return server;
}

static char *
lookup_secret (RlSecretKind kind,
               const char  *server,
               const char  *account)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  char *value;

  rl_secrets_lookup_async (kind, server, account, NULL, NULL, NULL, rl_test_store_result_cb, &result);
  value = rl_secrets_lookup_finish (rl_test_wait_result (&result, CALL_TIMEOUT_MS), &error);
  g_assert_no_error (error);
  return value;
}

/* Waits until the background sync that follows a sign-in has settled. */
static gboolean
synced (gpointer user_data)
{
  RlSession *session = user_data;

  return rl_session_get_last_sync (session) > 0
         && rl_session_get_state (session) == RL_SESSION_STATE_ONLINE;
}

/* The session refuses an address by rl-url's rule, with its code, before
 * any request; and what the rule accepts in capitals is the same server. */
static void
test_invalid_url (void)
{
  const struct
  {
    const char *url;
    RlUrlError  code;
  } bad[] = {
    { "", RL_URL_ERROR_EMPTY },
    { "http://reloop.example.org", RL_URL_ERROR_PLAIN_HTTP_NOT_LOOPBACK },
    { "ftp://reloop.example.org", RL_URL_ERROR_BAD_SCHEME },
    { "https://", RL_URL_ERROR_NO_HOST },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (RlSession) session = rl_session_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (GAsyncResult) result = NULL;

      rl_session_sign_in_async (session, bad[i].url, ADMIN, "pw", NULL, rl_test_store_result_cb,
                                &result);
      g_assert_false (
          rl_session_sign_in_finish (session, rl_test_wait_result (&result, CALL_TIMEOUT_MS), &error));
      g_assert_error (error, RL_URL_ERROR, (int) bad[i].code);
      g_assert_cmpint (rl_session_get_state (session), ==, RL_SESSION_STATE_SIGNED_OUT);
    }
}

static void
test_roles (void)
{
  g_assert_cmpint (rl_role_from_string ("admin"), ==, RL_ROLE_ADMIN);
  g_assert_cmpint (rl_role_from_string ("dispatcher"), ==, RL_ROLE_DISPATCHER);
  g_assert_cmpint (rl_role_from_string ("support"), ==, RL_ROLE_SUPPORT);
  g_assert_cmpint (rl_role_from_string ("root"), ==, RL_ROLE_NONE);
  g_assert_cmpint (rl_role_from_string (NULL), ==, RL_ROLE_NONE);
  for (RlRole r = RL_ROLE_DISPATCHER; r <= RL_ROLE_ADMIN; r++)
    g_assert_cmpint (rl_role_from_string (rl_role_to_string (r)), ==, r);
}

/* Sign in, sync the fleet, keyring holds the tokens, wrong password
 * explains itself, restore without a password, sign-out clears the keyring. */
/* @path and its -wal and -shm (when there) do not contain @needle. */
static void
assert_file_lacks (const char *path,
                   const char *needle)
{
  const char *suffixes[] = { "", "-wal", "-shm" };
  gsize       n = strlen (needle);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *data = NULL;
      gsize            len = 0;

      if (!g_file_get_contents (file, &data, &len, NULL))
        {
          g_assert_cmpstr (suffixes[i], !=, "");
          continue;
        }
      for (gsize k = 0; n > 0 && n <= len && k <= len - n; k++)
        g_assert_false (data[k] == needle[0] && memcmp (data + k, needle, n) == 0);
    }
}

static void
test_sign_in_restore_sign_out (void)
{
  gboolean ok;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestDevserver) server = start_devserver (NULL);
  g_autoptr (RlSession) session = rl_session_new ();
  g_autoptr (RlSession) second = rl_session_new ();
  g_autofree char *refresh = NULL;
  g_autofree char *access_token = NULL;
  g_autofree char *cache_path = NULL;
  g_autofree char *after = NULL;
  RlStore         *store;

  g_assert_no_error (error);

  /* Wrong password: the server's message, state unchanged. */
  g_assert_false (sign_in (session, server->url, ADMIN, "wrong-password", &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (error->message, !=, "");
  g_test_message ("wrong password says: %s", error->message);
  g_assert_cmpint (rl_session_get_state (session), ==, RL_SESSION_STATE_SIGNED_OUT);
  g_clear_error (&error);

  /* Typed in capitals with a trailing slash: the same server, normalised. */
  {
    g_autofree char *typed = g_strconcat (server->url, "/", NULL);

    typed[0] = 'H', typed[1] = 'T', typed[2] = 'T', typed[3] = 'P';
    ok = sign_in (session, typed, ADMIN, "reloop-demo", &error);
  }
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (rl_session_get_role (session), ==, RL_ROLE_ADMIN);
  g_assert_cmpstr (rl_session_get_user_email (session), ==, ADMIN);
  g_assert_cmpstr (rl_session_get_server_url (session), ==, server->url);
  g_assert_nonnull (rl_session_get_api (session));

  /* The sign-in started a full load from /changes. */
  g_assert_true (rl_test_wait_until (synced, session, 60000));
  store = rl_session_get_store (session);
  g_assert_nonnull (store);
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 2000);
  g_assert_cmpint (rl_store_get_cursor (store), >, 0);
  g_assert_cmpint (rl_session_get_cache_size (session), >, 0);
  g_assert_cmpfloat (rl_session_get_sync_progress (session), ==, -1.0);

  /* Tokens in the keyring, under this server and account. */
  refresh = lookup_secret (RL_SECRET_KIND_API_REFRESH_TOKEN, server->url, ADMIN);
  g_assert_nonnull (refresh);
  g_assert_cmpstr (refresh, ==, rl_api_get_refresh_token (rl_session_get_api (session)));
  g_assert_cmpint (rl_session_get_keyring_state (session), ==, RL_KEYRING_AVAILABLE);
  access_token = g_strdup (rl_api_get_access_token (rl_session_get_api (session)));
  g_assert_nonnull (access_token);
  cache_path = g_strdup (rl_store_get_path (store));
  /* The keyring only: the cache (and its WAL) holds neither token. */
  assert_file_lacks (cache_path, refresh);
  assert_file_lacks (cache_path, access_token);

  /* A second window/app start: no password, straight in. */
  ok = restore (second, server->url, ADMIN, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (rl_session_get_state (second), !=, RL_SESSION_STATE_OFFLINE);
  g_assert_cmpint (rl_session_get_role (second), ==, RL_ROLE_ADMIN);
  g_assert_true (rl_test_wait_until (synced, second, 60000));

  /* Nothing stored for another account. */
  {
    g_autoptr (RlSession) third = rl_session_new ();

    g_assert_false (restore (third, server->url, DISPATCHER, &error));
    g_assert_error (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CREDENTIALS);
    g_clear_error (&error);
  }

  sign_out (second);
  g_assert_cmpint (rl_session_get_state (second), ==, RL_SESSION_STATE_SIGNED_OUT);
  g_assert_null (rl_session_get_store (second));
  after = lookup_secret (RL_SECRET_KIND_API_REFRESH_TOKEN, server->url, ADMIN);
  g_assert_null (after);
  {
    g_autofree char *access = lookup_secret (RL_SECRET_KIND_API_ACCESS_TOKEN, server->url, ADMIN);
    g_assert_null (access);
  }

  /* Signed out everywhere: still no token in the cache files. */
  sign_out (session);
  assert_file_lacks (cache_path, refresh);
  assert_file_lacks (cache_path, access_token);

  /* With no token left, restore asks for a password. */
  g_assert_false (restore (second, server->url, ADMIN, &error));
  g_assert_error (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CREDENTIALS);
}

/* Server stops → offline (with the time it happened); back → online.
 * An app start while the server is down works from the cache. */
static void
test_offline_and_back (void)
{
  gboolean ok;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestDevserver) server = start_devserver (NULL);
  g_autoptr (RlSession) session = rl_session_new ();
  g_autoptr (RlSession) cold = rl_session_new ();
  gint64 before;

  g_assert_no_error (error);
  rl_session_set_probe_interval (session, 300);
  rl_session_set_probe_interval (cold, 300);

  ok = sign_in (session, server->url, DISPATCHER, "reloop-demo", &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (rl_test_wait_until (synced, session, 60000));
  g_assert_cmpint (rl_session_get_role (session), ==, RL_ROLE_DISPATCHER);
  g_assert_true (rl_session_get_api_reachable (session));

  before = g_get_real_time () / 1000;
  rl_test_devserver_stop (server);
  g_assert_true (wait_state (session, RL_SESSION_STATE_OFFLINE, 10000));
  g_assert_false (rl_session_get_api_reachable (session));
  g_assert_cmpint (rl_session_get_offline_since (session), >=, before - 1000);

  /* Cold start while the server is down: offline from the cache. */
  ok = restore (cold, server->url, DISPATCHER, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (rl_session_get_state (cold), ==, RL_SESSION_STATE_OFFLINE);
  g_assert_cmpint (rl_session_get_role (cold), ==, RL_ROLE_DISPATCHER);
  g_assert_cmpint (rl_store_count (rl_session_get_store (cold), "drop_point"), ==, 2000);

  g_assert_true (rl_test_devserver_restart (server, &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait_until (synced, session, 20000));
  g_assert_cmpint (rl_session_get_offline_since (session), ==, 0);
  g_assert_true (rl_session_get_api_reachable (session));
  /* The cold-started one comes online too, refreshing its token on the way. */
  g_assert_true (rl_test_wait_until (synced, cold, 20000));

  sign_out (session);
}

/* 410 SYNC_RESET_REQUIRED: reload from 0 and drop what the reload did not
 * bring (here a drop point deleted while our cursor was too old). */
static void
test_sync_reset (void)
{
  gboolean ok;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestDevserver) server = start_devserver (NULL);
  g_autoptr (RlSession) session = rl_session_new ();
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_autofree char *horizon_url = NULL;
  g_autofree char *stats_url = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (JsonObject) cached = NULL;
  g_autofree char *auth = NULL;
  guint            status = 0;
  RlStore         *store;
  gint64           version;

  g_assert_no_error (error);
  ok = sign_in (session, server->url, ADMIN, "reloop-demo", &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (rl_test_wait_until (synced, session, 60000));
  store = rl_session_get_store (session);
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 2000);

  cached = rl_store_get_record (store, "drop_point", "dp-000007", &error);
  g_assert_no_error (error);
  g_assert_nonnull (cached);
  version = json_object_get_int_member (cached, "version");

  /* Another admin deletes dp-000007. */
  token = rl_test_login (server, ADMIN);
  auth = g_strdup_printf ("Bearer %s", token);
  url = g_strdup_printf ("%s/drop-points/dp-000007", server->api_url);
  {
    g_autofree char *if_match = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
    const char      *headers[] = { "Authorization",
                                   auth,
                                   "If-Match",
                                   if_match,
                                   "Idempotency-Key",
                                   "6f1d2c7e-3b9a-4c1e-9d2f-000000000007",
                                   NULL };
    g_autoptr (JsonNode) del = rl_test_http ("DELETE", url, NULL, headers, &status);
    g_assert_cmpuint (status, ==, 200);
  }

  /* Move the tombstone horizon past everything we have seen. */
  stats_url = g_strdup_printf ("%s/__dev/stats", server->url);
  reply = rl_test_http ("GET", stats_url, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  horizon_url = g_strdup_printf ("%s/__dev/changes/horizon", server->url);
  {
    g_autofree char *body = g_strdup_printf ("{\"since\": %" G_GINT64_FORMAT "}",
                                             rl_store_get_cursor (store) + 1);
    g_autoptr (JsonNode) r = rl_test_http ("POST", horizon_url, body, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
  }

  ok = sync_now (session, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_false (rl_store_is_reloading (store));
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 1999);
  {
    g_autoptr (JsonObject) gone = rl_store_get_record (store, "drop_point", "dp-000007", NULL);
    g_assert_null (gone);
  }

  sign_out (session);
}

typedef struct
{
  RlTestDevserver *server;
  gboolean         armed;
} FailLater;

/* After the first page is applied: the next /changes request the server
 * sees answers 400 (not retried). With the next page fetched while one is
 * applied, that is the second or the third page. */
static void
fail_next_page_cb (RlSession  *session,
                   GParamSpec *pspec,
                   FailLater  *fail)
{
  g_autofree char *url = NULL;
  g_autoptr (JsonNode) reply = NULL;
  guint status = 0;

  if (fail->armed || rl_session_get_sync_progress (session) <= 0)
    return;
  fail->armed = TRUE;
  url = g_strdup_printf ("%s/__dev/faults", fail->server->url);
  reply = rl_test_http ("POST", url,
                        "{\"rules\":[{\"match\":\"/api/v1/changes*\",\"kind\":\"status\","
                        "\"status\":400,\"code\":\"BAD_REQUEST\",\"count\":1}]}",
                        NULL, &status);
  g_assert_cmpuint (status, ==, 200);
}

static gboolean
sync_settled (gpointer user_data)
{
  RlSession *session = user_data;

  return rl_session_get_sync_progress (session) < 0
         && rl_session_get_state (session) != RL_SESSION_STATE_SYNCING;
}

/* A pull that fails after some pages keeps them, each with its cursor; the
 * next pull starts from that cursor and ends with everything. Pages are
 * fetched while others are applied (rl-session-sync.c): a failure never
 * loses or skips a page. */
static void
test_sync_resume (void)
{
  const char *args[] = { "--drop-points", "12000", NULL };
  g_autoptr (RlTestDevserver) server = start_devserver (args);
  g_autoptr (RlSession) session = rl_session_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) log = NULL;
  g_autofree char *log_url = NULL;
  g_autofree char *since_query = NULL;
  FailLater        fail = { server, FALSE };
  RlStore         *store;
  gint64           cursor, partial;
  JsonArray       *requests;
  const char      *first_query = NULL;
  guint            status = 0;
  gulong           handler;

  handler = g_signal_connect (session, "notify::sync-progress", G_CALLBACK (fail_next_page_cb),
                              &fail);
  g_assert_true (sign_in (session, server->url, ADMIN, "reloop-demo", &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait_until (sync_settled, session, 60000));
  g_signal_handler_disconnect (session, handler);
  g_assert_true (fail.armed);

  store = rl_session_get_store (session);
  cursor = rl_store_get_cursor (store);
  partial = rl_store_count (store, "drop_point");
  g_assert_cmpint (rl_session_get_last_sync (session), ==, 0);
  g_assert_cmpint (cursor, >=, 5000);
  g_assert_cmpint (partial, >, 0);
  g_assert_cmpint (partial, <, 12000);
  g_test_message ("failed after %" G_GINT64_FORMAT " drop points, cursor %" G_GINT64_FORMAT, partial, cursor);

  log_url = g_strdup_printf ("%s/__dev/requests", server->url);
  {
    g_autoptr (JsonNode) cleared = rl_test_http ("DELETE", log_url, NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
  }
  g_assert_true (sync_now (session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rl_store_count (store, "drop_point"), ==, 12000);
  g_assert_cmpint (rl_session_get_last_sync (session), >, 0);

  /* The second pull began where the first one's last page ended. */
  g_free (log_url);
  log_url = g_strdup_printf ("%s/__dev/requests?since=0", server->url);
  log = rl_test_http ("GET", log_url, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  requests = json_object_get_array_member (json_node_get_object (log), "data");
  for (guint i = 0; i < json_array_get_length (requests) && first_query == NULL; i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);

      if (g_str_equal (json_object_get_string_member (r, "path"), "/api/v1/changes"))
        first_query = json_object_get_string_member (r, "query");
    }
  g_assert_nonnull (first_query);
  since_query = g_strdup_printf ("since=%" G_GINT64_FORMAT, cursor);
  {
    g_auto (GStrv) params = g_strsplit (first_query, "&", -1);
    g_assert_true (g_strv_contains ((const char *const *) params, since_query));
  }

  sign_out (session);
}

typedef struct
{
  RlSession *session;
  guint      n_points;
  char      *drop_point_id;
  double     fill;
} FeedWatch;

static void
feed_points_cb (RlFeed    *feed,
                GPtrArray *points,
                FeedWatch *watch)
{
  RlFeedPoint *last = g_ptr_array_index (points, points->len - 1);

  watch->n_points += points->len;
  g_free (watch->drop_point_id);
  watch->drop_point_id = g_strdup (last->drop_point_id);
  watch->fill = last->fill_level;
}

static gboolean
feed_has_readings (gpointer user_data)
{
  FeedWatch     *watch = user_data;
  RlFeed        *feed = rl_session_get_feed (watch->session);
  RlFeedCounters counters;

  rl_feed_get_counters (feed, &counters);
  return counters.readings >= 200 && watch->n_points > 0;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* The devserver's simulated bins publish to a real broker; the session's
 * feed takes every message (all devices are known from the sync) into the
 * cache, and the main thread hears the latest value of each point. */
static void
test_feed_from_simulator (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestBroker) broker = rl_test_broker_start (&error);
  g_autoptr (RlTestDevserver) server = NULL;
  g_autoptr (RlSession) session = rl_session_new ();
  g_autoptr (JsonObject) record = NULL;
  FeedWatch      watch = { session, 0, NULL, 0 };
  RlFeedConfig   config = { 0 };
  RlFeedCounters counters;
  RlFeed        *feed;
  guint          n_feed_state = 0;

  g_assert_no_error (error);
  {
    const char *args[] = { "--drop-points", "300", "--mqtt", broker->url, "--rate", "400", NULL };

    server = start_devserver (args);
  }

  /* The enums are enum properties; feed-state is STOPPED without a feed. */
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (g_object_class_find_property (
                     G_OBJECT_GET_CLASS (session), "state"))
                 == RL_TYPE_SESSION_STATE);
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (g_object_class_find_property (
                     G_OBJECT_GET_CLASS (session), "feed-state"))
                 == RL_TYPE_FEED_STATE);
  g_assert_cmpint (rl_session_get_feed_state (session), ==, RL_FEED_STATE_STOPPED);
  g_signal_connect (session, "notify::feed-state", G_CALLBACK (count_notify_cb), &n_feed_state);

  /* No store before sign-in: nothing to write into. */
  config.url = broker->url;
  g_assert_false (rl_session_start_feed (session, &config, &error));
  g_assert_error (error, RL_FEED_ERROR, RL_FEED_ERROR_NOT_SIGNED_IN);
  g_clear_error (&error);

  g_assert_true (sign_in (session, server->url, DISPATCHER, "reloop-demo", &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait_until (synced, session, 60000));

  g_assert_true (rl_session_start_feed (session, &config, &error));
  g_assert_no_error (error);
  feed = rl_session_get_feed (session);
  g_assert_nonnull (feed);
  g_signal_connect (feed, "points-changed", G_CALLBACK (feed_points_cb), &watch);
  g_assert_true (rl_test_wait_until (feed_has_readings, &watch, 60000));

  rl_feed_get_counters (feed, &counters);
  g_test_message ("%" G_GUINT64_FORMAT " received, %" G_GUINT64_FORMAT
                  " readings, %" G_GUINT64_FORMAT " statuses, %" G_GUINT64_FORMAT " batches",
                  counters.received, counters.readings, counters.statuses, counters.batches);
  g_assert_cmpuint (rl_feed_get_n_rejected (feed), ==, 0);
  g_assert_cmpuint (counters.batches, <, counters.readings);
  /* The session's feed-state followed the feed to connected. */
  g_assert_cmpint (rl_session_get_feed_state (session), ==, RL_FEED_STATE_CONNECTED);
  g_assert_cmpint (rl_session_get_feed_state (session), ==, rl_feed_get_state (feed));
  g_assert_cmpuint (n_feed_state, >, 0);

  /* What the main thread heard is what the cache holds (or newer). */
  record = rl_store_get_record (rl_session_get_store (session), "drop_point", watch.drop_point_id,
                                &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (record, "isOnline"));
  g_assert_true (json_object_has_member (record, "fillLevel"));

  /* Sign-out stops it. */
  {
    g_autoptr (GAsyncResult) result = NULL;

    rl_session_sign_out_async (session, NULL, rl_test_store_result_cb, &result);
    g_assert_true (rl_session_sign_out_finish (session, rl_test_wait_result (&result, CALL_TIMEOUT_MS), &error));
  }
  g_assert_null (rl_session_get_feed (session));
  g_assert_cmpint (rl_session_get_feed_state (session), ==, RL_FEED_STATE_STOPPED);
  g_free (watch.drop_point_id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/session/invalid-url", test_invalid_url);
  g_test_add_func ("/session/roles", test_roles);
  g_test_add_func ("/session/sign-in-restore-sign-out", test_sign_in_restore_sign_out);
  g_test_add_func ("/session/offline-and-back", test_offline_and_back);
  g_test_add_func ("/session/sync-reset", test_sync_reset);
  g_test_add_func ("/session/sync-resume", test_sync_resume);
  g_test_add_func ("/session/feed-from-simulator", test_feed_from_simulator);

  return g_test_run ();
}
