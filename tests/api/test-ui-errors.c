/* test-ui-errors.c — rl_ui_error_message words every code of core's error
 * domains itself: core's English message never comes through, except a
 * server's own text as detail.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "rl-error.h"
#include "rl-feed.h"
#include "rl-secrets.h"
#include "rl-session.h"
#include "rl-record-rules.h"
#include "rl-store.h"
#include "rl-ui-errors.h"
#include "rl-url.h"

#define CORE_TEXT "core's English, for logs"

static void
assert_worded (const GError *error)
{
  g_autofree char *words = rl_ui_error_message (error);

  g_assert_nonnull (words);
  g_assert_cmpstr (words, !=, "");
  if (strstr (words, error->message) != NULL)
    g_error ("%s %d: “%s” shows core's message “%s”", g_quark_to_string (error->domain),
             error->code, words, error->message);
}

static void
check_domain (GQuark domain,
              int    last_code)
{
  for (int code = 0; code <= last_code; code++)
    {
      g_autoptr (GError) error = g_error_new_literal (domain, code, CORE_TEXT);

      assert_worded (error);
    }
}

static void
test_core_domains (void)
{
  check_domain (RL_SESSION_ERROR, RL_SESSION_ERROR_NOT_ALLOWED);
  check_domain (RL_SECRETS_ERROR, RL_SECRETS_ERROR_FAILED);
  check_domain (RL_STORE_ERROR, RL_STORE_ERROR_FAILED);
  check_domain (RL_FEED_ERROR, RL_FEED_ERROR_SESSION);
  check_domain (RL_RECORD_ERROR, RL_RECORD_ERROR_CHOICE);

  /* RL_ERROR without a server's answer: ours only. */
  for (int code = 0; code <= RL_ERROR_TLS_CERTIFICATE; code++)
    {
      g_autoptr (GError) error = rl_error_new_full (code, 0, NULL, NULL, -1, CORE_TEXT);

      assert_worded (error);
    }
}

static void
test_server_detail (void)
{
  g_autoptr (GError) refused =
      rl_error_new_full (RL_ERROR_UNAUTHORIZED, 401, NULL, NULL, -1, "Wrong email or password");
  g_autoptr (GError) network =
      rl_error_new_full (RL_ERROR_NETWORK, 0, NULL, NULL, -1, "Cannot reach the server: x");
  g_autoptr (GError) bad = rl_error_new_full (RL_ERROR_BAD_RESPONSE, 200, NULL, NULL, -1,
                                              "Unexpected response from the server (HTTP 200)");
  g_autoptr (GError) unknown =
      rl_error_new_full (RL_ERROR_UNKNOWN, 418, "TEAPOT", NULL, -1, "I am a teapot");
  g_autofree char *refused_words = rl_ui_error_message (refused);
  g_autofree char *unknown_words = rl_ui_error_message (unknown);

  /* The server's words are the server's: shown as detail after ours. */
  g_assert_nonnull (strstr (refused_words, "Wrong email or password"));
  g_assert_true (strlen (refused_words) > strlen ("Wrong email or password"));
  g_assert_nonnull (strstr (unknown_words, "I am a teapot"));
  /* Client-side codes carry our English: never shown. */
  assert_worded (network);
  assert_worded (bad);
}

static void
test_url_kinds (void)
{
  const struct
  {
    gboolean (*validate) (const char *, char **, GError **);
    const char *text;
    RlUrlError  code;
  } cases[] = {
    { rl_url_validate_server, "", RL_URL_ERROR_EMPTY },
    { rl_url_validate_server, "https://[::1", RL_URL_ERROR_NOT_A_URL },
    { rl_url_validate_server, "https://", RL_URL_ERROR_NO_HOST },
    { rl_url_validate_server, "https://h:0", RL_URL_ERROR_BAD_PORT },
    { rl_url_validate_server, "ftp://h", RL_URL_ERROR_BAD_SCHEME },
    { rl_url_validate_server, "http://h.example.org", RL_URL_ERROR_PLAIN_HTTP_NOT_LOOPBACK },
    { rl_url_validate_server, "https://h/?q", RL_URL_ERROR_EXTRA_PARTS },
    { rl_url_validate_broker, "", RL_URL_ERROR_EMPTY },
    { rl_url_validate_broker, "host", RL_URL_ERROR_NOT_A_URL },
    { rl_url_validate_broker, "mqtt://", RL_URL_ERROR_NO_HOST },
    { rl_url_validate_broker, "mqtt://h:0", RL_URL_ERROR_BAD_PORT },
    { rl_url_validate_broker, "ws://h", RL_URL_ERROR_BAD_SCHEME },
    { rl_url_validate_broker, "mqtt://u@h", RL_URL_ERROR_EXTRA_PARTS },
    { rl_url_validate_topic_prefix, "", RL_URL_ERROR_EMPTY },
    { rl_url_validate_topic_prefix, "a/#", RL_URL_ERROR_TOPIC_WILDCARD },
    { rl_url_validate_topic_prefix, "a//b", RL_URL_ERROR_TOPIC_EMPTY_LEVEL },
    { rl_url_validate_tile_template, "", RL_URL_ERROR_EMPTY },
    { rl_url_validate_tile_template, "tiles", RL_URL_ERROR_NOT_A_URL },
    { rl_url_validate_tile_template, "https:///{z}/{x}/{y}", RL_URL_ERROR_NO_HOST },
    { rl_url_validate_tile_template, "https://t:0/{z}/{x}/{y}", RL_URL_ERROR_BAD_PORT },
    { rl_url_validate_tile_template, "file:///{z}/{x}/{y}", RL_URL_ERROR_BAD_SCHEME },
    { rl_url_validate_tile_template, "https://u@t/{z}/{x}/{y}", RL_URL_ERROR_EXTRA_PARTS },
    { rl_url_validate_tile_template, "https://t/{z}", RL_URL_ERROR_MISSING_PLACEHOLDER },
  };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *words = NULL;

      g_assert_false (cases[i].validate (cases[i].text, NULL, &error));
      g_assert_error (error, RL_URL_ERROR, (int) cases[i].code);
      assert_worded (error);
      /* Worded for its kind: a broker's error never talks about a server. */
      words = rl_ui_error_message (error);
      if (cases[i].validate == rl_url_validate_broker)
        g_assert_null (strstr (words, "server"));
      if (cases[i].validate == rl_url_validate_server && cases[i].code != RL_URL_ERROR_BAD_PORT)
        g_assert_nonnull (strstr (words, "server"));
      g_hash_table_add (seen, g_steal_pointer (&words));
    }
  /* Each case has its own words, but for the port sentence (the same for
   * three kinds) and a tile URL without a host ("not a tile URL"). */
  g_assert_cmpuint (g_hash_table_size (seen), ==, G_N_ELEMENTS (cases) - 3);

  /* "Not a valid server address" names what was typed. */
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *words = NULL;

    g_assert_false (rl_url_validate_server ("https://[::1", NULL, &error));
    words = rl_ui_error_message (error);
    g_assert_nonnull (strstr (words, "“https://[::1”"));
  }
}

static void
test_other_domains (void)
{
  g_autoptr (GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
  g_autoptr (GError) refused =
      g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, CORE_TEXT);
  g_autoptr (GError) resolver =
      g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, CORE_TEXT);
  /* Not a network code, or another library's domain: its own (translated) text. */
  g_autoptr (GError) file = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No such file");
  g_autoptr (GError) other = g_error_new_literal (G_MARKUP_ERROR, 0, "Bad markup");
  g_autofree char *file_words = rl_ui_error_message (file);
  g_autofree char *other_words = rl_ui_error_message (other);
  g_autofree char *none = rl_ui_error_message (NULL);

  assert_worded (cancelled);
  assert_worded (refused);
  assert_worded (resolver);
  g_assert_cmpstr (file_words, ==, "No such file");
  g_assert_cmpstr (other_words, ==, "Bad markup");
  g_assert_cmpstr (none, !=, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui-errors/core-domains", test_core_domains);
  g_test_add_func ("/ui-errors/server-detail", test_server_detail);
  g_test_add_func ("/ui-errors/url-kinds", test_url_kinds);
  g_test_add_func ("/ui-errors/other-domains", test_other_domains);

  return g_test_run ();
}
