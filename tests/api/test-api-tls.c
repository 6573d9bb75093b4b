/* test-api-tls.c — https:// for real: RlApi against an in-process HTTPS
 * SoupServer whose certificate a test CA signed (made at test time with the
 * openssl command line). Without that CA the certificate is refused with
 * RL_ERROR_TLS_CERTIFICATE, whose words say what to do; with the CA file set
 * the same request goes through; a certificate made out to another host is
 * refused even with the CA; a bad CA file is an error, not a silent
 * fallback (docs/reliability.md).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "rl-api.h"
#include "rl-test-certs.h"
#include "rl-test-util.h"
#include "rl-ui-errors.h"

static RlTestCerts *certs;

typedef struct
{
  SoupServer *server;
  char       *url;
  guint       requests;
} Server;

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  static const char body[] = "{\"success\":true,\"data\":{\"ok\":true}}";
  Server           *self = user_data;

  self->requests++;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

static void
server_start (Server     *self,
              const char *cert,
              const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_autoptr (GSList) uris = NULL;

  g_assert_no_error (error);
  self->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (self->server, NULL, handler, self, NULL);
  g_assert_true (soup_server_listen_local (self->server, 0,
                                           SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                                           &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  self->url = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  if (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  g_assert_true (g_str_has_prefix (self->url, "https://127.0.0.1:"));
}

static void
server_stop (Server *self)
{
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->url, g_free);
}

static RlEnvelope *
call (RlApi   *api,
      GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;

  options.flags = RL_API_REQUEST_NO_AUTH | RL_API_REQUEST_NO_RETRY;
  rl_api_request_async (api, "GET", "/health", NULL, NULL, &options, NULL,
                        rl_test_store_result_cb, &result);
  return rl_api_request_finish (api, rl_test_wait_result (&result, 30000), error);
}

static void
test_refused_then_trusted (void)
{
  Server server = { 0 };
  g_autoptr (RlApi) api = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autofree char *words = NULL;

  server_start (&server, certs->good_cert, certs->good_key);
  api = rl_api_new (server.url);

  /* No CA: verification is on by default, the request never reaches it. */
  envelope = call (api, &error);
  g_assert_null (envelope);
  g_assert_error (error, RL_ERROR, RL_ERROR_TLS_CERTIFICATE);
  g_assert_cmpuint (server.requests, ==, 0);
  g_assert_false (rl_error_is_retryable (error));
  words = rl_ui_error_message (error);
  g_test_message ("refused: %s", words);
  g_assert_nonnull (strstr (words, "CA file"));
  g_assert_nonnull (strstr (words, "Preferences"));
  g_clear_error (&error);

  /* A CA that signed something else: still refused. */
  g_assert_true (rl_api_set_ca_file (api, certs->other_ca, &error));
  g_assert_no_error (error);
  g_assert_null (call (api, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_TLS_CERTIFICATE);
  g_clear_error (&error);

  /* Its CA: the same request goes through. */
  g_assert_true (rl_api_set_ca_file (api, certs->ca, &error));
  g_assert_no_error (error);
  envelope = call (api, &error);
  g_assert_no_error (error);
  g_assert_nonnull (envelope);
  g_assert_cmpuint (server.requests, ==, 1);

  /* Back to the system's authorities (a new client: the one above keeps
   * its verified connection open): refused again. */
  g_clear_object (&api);
  api = rl_api_new (server.url);
  g_assert_true (rl_api_set_ca_file (api, NULL, &error));
  g_clear_pointer (&envelope, rl_envelope_free);
  g_assert_null (call (api, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_TLS_CERTIFICATE);
  g_clear_error (&error);

  /* A file that holds no certificate is an error, and the CA stays unset. */
  {
    g_autofree char *bogus = g_build_filename (certs->dir, "not-a-ca.pem", NULL);

    g_assert_true (g_file_set_contents (bogus, "no certificate here\n", -1, NULL));
    g_assert_false (rl_api_set_ca_file (api, bogus, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_null (rl_api_get_ca_file (api));
  }
  server_stop (&server);
}

static void
test_wrong_host (void)
{
  Server server = { 0 };
  g_autoptr (RlApi) api = NULL;
  g_autoptr (GError) error = NULL;

  /* Signed by the trusted CA, but made out to broker.elsewhere.example. */
  server_start (&server, certs->wrong_cert, certs->wrong_key);
  api = rl_api_new (server.url);
  g_assert_true (rl_api_set_ca_file (api, certs->ca, &error));
  g_assert_null (call (api, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_TLS_CERTIFICATE);
  g_assert_cmpuint (server.requests, ==, 0);
  server_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  certs = rl_test_certs_make ();
  g_test_add_func ("/api-tls/refused-then-trusted", test_refused_then_trusted);
  g_test_add_func ("/api-tls/wrong-host", test_wrong_host);
  rc = g_test_run ();
  rl_test_certs_free (certs);
  return rc;
}
