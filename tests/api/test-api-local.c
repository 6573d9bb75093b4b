/* test-api-local.c — RlApi against an in-process SoupServer: the headers it
 * sends, which requests it repeats, deadlines, worker parsing, a cursor that
 * does not advance, settings.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "config.h"
#include "rl-api.h"
#include "rl-test-util.h"

typedef struct
{
  SoupServer *server;
  char       *url;
  RlApi      *api;
  GPtrArray  *seen; /* SoupMessageHeaders copies, one per request */
  GPtrArray  *methods;
  GPtrArray  *paths;
  guint       fail_first; /* answer 503 to this many requests first */
  gboolean    html_500;
  gboolean    big;
  gboolean    stuck_cursor;
} Fixture;

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *type,
       const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture            *fixture = user_data;
  SoupMessageHeaders *copy = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);

  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), copy_header, copy);
  g_ptr_array_add (fixture->seen, copy);
  g_ptr_array_add (fixture->methods, g_strdup (soup_server_message_get_method (msg)));
  g_ptr_array_add (fixture->paths, g_strdup (path));

  if (fixture->fail_first > 0)
    {
      fixture->fail_first--;
      reply (msg, 503, "application/json",
             "{\"success\":false,\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"busy\"}}");
      return;
    }
  if (fixture->html_500)
    {
      reply (msg, 500, "text/html", "<html><body>Internal Server Error</body></html>");
      return;
    }
  if (fixture->stuck_cursor)
    {
      reply (msg, 200, "application/json",
             "{\"success\":true,\"data\":[1],\"meta\":{\"pagination\":{\"nextCursor\":\"same\"}}}");
      return;
    }
  if (fixture->big)
    {
      GString *s = g_string_new ("{\"success\":true,\"data\":[");

      for (guint i = 0; i < 5000; i++)
        g_string_append_printf (s, "%s{\"id\":\"dp-%06u\",\"name\":\"Drop point number %u\"}",
                                i ? "," : "", i, i);
      g_string_append (s, "]}");
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, s->str, s->len);
      g_string_free (s, FALSE);
      return;
    }
  reply (msg, 200, "application/json", "{\"success\":true,\"data\":{\"ok\":true}}");
}

static double
full_window (gpointer user_data)
{
  return 0.999999;
}

static void
fixture_setup (Fixture      *fixture,
               gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSList) uris = NULL;
  RlBackoff backoff;

  fixture->seen = g_ptr_array_new_with_free_func ((GDestroyNotify) soup_message_headers_unref);
  fixture->methods = g_ptr_array_new_with_free_func (g_free);
  fixture->paths = g_ptr_array_new_with_free_func (g_free);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, handler, fixture, NULL);
  g_assert_true (
      soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->url = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  if (g_str_has_suffix (fixture->url, "/"))
    fixture->url[strlen (fixture->url) - 1] = '\0';

  fixture->api = rl_api_new (fixture->url);
  rl_backoff_init (&backoff);
  backoff.base_ms = 10;
  backoff.random = full_window;
  rl_api_set_backoff (fixture->api, &backoff);
  rl_api_set_tokens (fixture->api, "at.local", "rt.local");
}

static void
fixture_teardown (Fixture      *fixture,
                  gconstpointer data)
{
  g_clear_object (&fixture->api);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->seen, g_ptr_array_unref);
  g_clear_pointer (&fixture->methods, g_ptr_array_unref);
  g_clear_pointer (&fixture->paths, g_ptr_array_unref);
  g_free (fixture->url);
}

static RlEnvelope *
call (Fixture                   *fixture,
      const char                *method,
      const char                *path,
      const char                *body_json,
      const RlApiRequestOptions *options,
      GError                   **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonNode) body = body_json != NULL ? json_from_string (body_json, NULL) : NULL;

  rl_api_request_async (fixture->api, method, path, NULL, body, options, NULL, rl_test_store_result_cb,
                        &result);
  return rl_api_request_finish (fixture->api, rl_test_wait_result (&result, 60000), error);
}

static const char *
header (Fixture    *fixture,
        guint       i,
        const char *name)
{
  g_assert_cmpuint (i, <, fixture->seen->len);
  return soup_message_headers_get_one (g_ptr_array_index (fixture->seen, i), name);
}

static void
test_headers (Fixture      *fixture,
              gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) get = NULL;
  g_autoptr (RlEnvelope) post = NULL;
  g_autoptr (RlEnvelope) patch = NULL;
  g_autoptr (RlEnvelope) keyed = NULL;
  g_autofree char    *agent = g_strdup_printf ("ReLoopConsole/%s", PACKAGE_VERSION);
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;

  get = call (fixture, "GET", "/alerts", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (header (fixture, 0, "Authorization"), ==, "Bearer at.local");
  g_assert_cmpstr (header (fixture, 0, "User-Agent"), ==, agent);
  g_assert_null (header (fixture, 0, "Idempotency-Key"));
  g_assert_null (header (fixture, 0, "If-Match"));

  post = call (fixture, "POST", "/providers", "{\"name\":\"x\"}", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (header (fixture, 1, "Idempotency-Key")));
  g_assert_cmpstr (header (fixture, 1, "Content-Type"), ==, "application/json");

  options.if_match = 7;
  patch = call (fixture, "PATCH", "/drop-points/dp-1", "{\"notes\":\"\"}", &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (header (fixture, 2, "If-Match"), ==, "\"7\"");
  g_assert_true (g_uuid_string_is_valid (header (fixture, 2, "Idempotency-Key")));
  g_assert_cmpstr (header (fixture, 2, "Idempotency-Key"), !=,
                   header (fixture, 1, "Idempotency-Key"));

  options.if_match = -1;
  options.idempotency_key = "outbox-42";
  options.flags = RL_API_REQUEST_NO_AUTH;
  keyed = call (fixture, "DELETE", "/providers/p-1/secrets/apiKey", NULL, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (header (fixture, 3, "Idempotency-Key"), ==, "outbox-42");
  g_assert_null (header (fixture, 3, "Authorization"));
}

static void
test_same_key_on_retries (Fixture      *fixture,
                          gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;

  fixture->fail_first = 2;
  envelope = call (fixture, "POST", "/alerts/a-1/acknowledge", "{\"note\":\"\"}", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->seen->len, ==, 3);
  g_assert_nonnull (header (fixture, 0, "Idempotency-Key"));
  g_assert_cmpstr (header (fixture, 0, "Idempotency-Key"), ==,
                   header (fixture, 1, "Idempotency-Key"));
  g_assert_cmpstr (header (fixture, 1, "Idempotency-Key"), ==,
                   header (fixture, 2, "Idempotency-Key"));
  g_assert_cmpuint (rl_api_get_retry_count (fixture->api), ==, 2);
}

static void
test_unkeyed_write_not_retried (Fixture      *fixture,
                                gconstpointer data)
{
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;

  fixture->fail_first = 1;
  options.flags = RL_API_REQUEST_NO_IDEMPOTENCY_KEY;
  envelope = call (fixture, "POST", "/workflows/w-1/runs", "{}", &options, &error);
  g_assert_error (error, RL_ERROR, RL_ERROR_UNAVAILABLE);
  g_assert_cmpuint (fixture->seen->len, ==, 1);
  g_assert_null (header (fixture, 0, "Idempotency-Key"));
}

static void
test_no_retry_flag_and_max_attempts (Fixture      *fixture,
                                     gconstpointer data)
{
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autoptr (RlEnvelope) second = NULL;

  fixture->fail_first = 100;
  options.flags = RL_API_REQUEST_NO_RETRY;
  envelope = call (fixture, "GET", "/health/live", NULL, &options, &error);
  g_assert_error (error, RL_ERROR, RL_ERROR_UNAVAILABLE);
  g_assert_cmpuint (fixture->seen->len, ==, 1);
  g_clear_error (&error);

  rl_circuit_set_failure_threshold (rl_api_get_circuit (fixture->api), 100);
  rl_api_set_max_attempts (fixture->api, 3);
  second = call (fixture, "GET", "/alerts", NULL, NULL, &error);
  g_assert_error (error, RL_ERROR, RL_ERROR_UNAVAILABLE);
  g_assert_cmpuint (fixture->seen->len, ==, 4);
}

static void
test_deadline (Fixture      *fixture,
               gconstpointer data)
{
  RlBackoff backoff;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  gint64 start = g_get_monotonic_time ();

  rl_backoff_init (&backoff);
  backoff.base_ms = 5000;
  backoff.random = full_window;
  rl_api_set_backoff (fixture->api, &backoff);
  rl_api_set_deadline_ms (fixture->api, 1000);
  fixture->fail_first = 100;
  envelope = call (fixture, "GET", "/alerts", NULL, NULL, &error);
  /* The first retry would start after the deadline: give up now. */
  g_assert_error (error, RL_ERROR, RL_ERROR_UNAVAILABLE);
  g_assert_cmpuint (fixture->seen->len, ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
}

static void
test_html_500 (Fixture      *fixture,
               gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;

  fixture->html_500 = TRUE;
  rl_api_set_max_attempts (fixture->api, 2);
  envelope = call (fixture, "GET", "/alerts", NULL, NULL, &error);
  g_assert_error (error, RL_ERROR, RL_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (rl_error_get_http_status (error), ==, 500);
  g_assert_cmpuint (fixture->seen->len, ==, 2);
  g_assert_cmpuint (rl_circuit_get_consecutive_failures (rl_api_get_circuit (fixture->api)), ==, 2);
}

static void
test_big_body (Fixture      *fixture,
               gconstpointer data)
{
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autoptr (RlEnvelope) wrong = NULL;

  fixture->big = TRUE; /* ~250 KB: parsed in a worker thread */
  options.expect = RL_ENVELOPE_EXPECT_ARRAY;
  envelope = call (fixture, "GET", "/drop-points", NULL, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rl_envelope_get_array (envelope)), ==, 5000);

  /* The worker reports a wrong shape like the inline path does. */
  options.expect = RL_ENVELOPE_EXPECT_OBJECT;
  options.flags = RL_API_REQUEST_NO_RETRY;
  wrong = call (fixture, "GET", "/drop-points/dp-1", NULL, &options, &error);
  g_assert_error (error, RL_ERROR, RL_ERROR_BAD_RESPONSE);
}

static void
test_stuck_cursor (Fixture      *fixture,
                   gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  fixture->stuck_cursor = TRUE;
  rl_api_list_all_async (fixture->api, "/alerts", NULL, 10, NULL, NULL, NULL, NULL, rl_test_store_result_cb,
                         &result);
  g_assert_false (rl_api_list_all_finish (fixture->api, rl_test_wait_result (&result, 60000), NULL, NULL, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (fixture->seen->len, ==, 2);
}

static void
test_settings (Fixture      *fixture,
               gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rl-api-XXXXXX", NULL);
  g_autofree char *bad = g_build_filename (dir, "not-a-cert.pem", NULL);
  g_autofree char *agent = NULL;
  guint            max_attempts;

  g_assert_false (rl_api_set_ca_file (fixture->api, "/nonexistent/ca.pem", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (bad, "hello", -1, NULL));
  g_assert_false (rl_api_set_ca_file (fixture->api, bad, &error));
  g_assert_nonnull (error);
  g_assert_null (rl_api_get_ca_file (fixture->api));
  g_clear_error (&error);
  g_assert_true (rl_api_set_ca_file (fixture->api, NULL, &error));
  g_assert_no_error (error);
  g_unlink (bad);
  g_rmdir (dir);

  g_object_get (fixture->api, "user-agent", &agent, "max-attempts", &max_attempts, NULL);
  g_assert_true (g_str_has_prefix (agent, "ReLoopConsole/"));
  g_assert_cmpuint (max_attempts, ==, RL_API_DEFAULT_MAX_ATTEMPTS);
  g_assert_cmpstr (rl_api_get_base_url (fixture->api), ==, fixture->url);
}

static void
test_bad_base_url (Fixture      *fixture,
                   gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;

  rl_api_set_base_url (fixture->api, "not a url");
  envelope = call (fixture, "GET", "/alerts", NULL, NULL, &error);
  g_assert_null (envelope);
  g_assert_error (error, RL_ERROR, RL_ERROR_BAD_REQUEST);
  g_assert_cmpuint (fixture->seen->len, ==, 0);
}

/* A base URL with trailing slashes is kept without them, and requests go to
 * /api/v1/… (not //api/v1/…). */
static void
test_trailing_slashes (Fixture      *fixture,
                       gconstpointer data)
{
  g_autofree char *slashed = g_strconcat (fixture->url, "//", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;

  rl_api_set_base_url (fixture->api, slashed);
  g_assert_cmpstr (rl_api_get_base_url (fixture->api), ==, fixture->url);
  envelope = call (fixture, "GET", "/alerts", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (envelope);
  g_assert_cmpuint (fixture->paths->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->paths, 0), ==, "/api/v1/alerts");
}

/* Cancellation is G_IO_ERROR_CANCELLED, before an attempt and during one,
 * and is not the API's last error. */
static void
test_cancelled (Fixture      *fixture,
                gconstpointer data)
{
  for (guint when = 0; when < 2; when++)
    {
      g_autoptr (GCancellable) cancellable = g_cancellable_new ();
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (RlEnvelope) envelope = NULL;

      if (when == 0)
        g_cancellable_cancel (cancellable); /* before the first attempt */
      rl_api_request_async (fixture->api, "GET", "/alerts", NULL, NULL, NULL, cancellable,
                            rl_test_store_result_cb, &result);
      if (when == 1)
        g_cancellable_cancel (cancellable); /* while the request is in flight */
      envelope = rl_api_request_finish (fixture->api, rl_test_wait_result (&result, 60000), &error);
      g_assert_null (envelope);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_null (rl_api_get_last_error (fixture->api));
    }
  g_assert_cmpuint (fixture->seen->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/api-local/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("headers", test_headers);
  ADD ("same-key-on-retries", test_same_key_on_retries);
  ADD ("unkeyed-write-not-retried", test_unkeyed_write_not_retried);
  ADD ("no-retry-flag-and-max-attempts", test_no_retry_flag_and_max_attempts);
  ADD ("deadline", test_deadline);
  ADD ("html-500", test_html_500);
  ADD ("big-body", test_big_body);
  ADD ("stuck-cursor", test_stuck_cursor);
  ADD ("settings", test_settings);
  ADD ("bad-base-url", test_bad_base_url);
  ADD ("trailing-slashes", test_trailing_slashes);
  ADD ("cancelled", test_cancelled);

  return g_test_run ();
}
