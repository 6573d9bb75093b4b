/* test-url.c — the address rules of rl-url: server, broker, topic prefix and
 * tile template, each against a table of what a person may type.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-url.h"

typedef gboolean (*Validator) (const char *text,
                               char      **out_normalised,
                               GError    **error);

typedef struct
{
  const char *in;
  const char *out; /* NULL: refused with @code */
  RlUrlError  code;
} Case;

/* Every accepted text normalises to @out, and @out is accepted as itself
 * (normalising twice changes nothing); every refused one gets its code, the
 * kind of address and the text it was given. */
static void
check_cases (Validator   validate,
             RlUrlKind   kind,
             const Case *cases,
             gsize       n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *out = NULL;
      gboolean         ok = validate (cases[i].in, &out, &error);

      g_test_message ("“%s”", cases[i].in);
      if (cases[i].out != NULL)
        {
          g_autofree char *again = NULL;

          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (out, ==, cases[i].out);
          g_assert_true (validate (out, &again, NULL));
          g_assert_cmpstr (again, ==, out);
        }
      else
        {
          g_autofree char *expected_text = g_strstrip (g_strdup (cases[i].in));
          g_autoptr (GError) copy = NULL;

          g_assert_false (ok);
          g_assert_null (out);
          g_assert_error (error, RL_URL_ERROR, (int) cases[i].code);
          g_assert_cmpint (rl_url_error_get_kind (error), ==, kind);
          /* The topic prefix is checked without its trailing slashes. */
          if (kind != RL_URL_KIND_TOPIC_PREFIX)
            g_assert_cmpstr (rl_url_error_get_text (error), ==, expected_text);
          /* Copies keep what the UI needs to word the error. */
          copy = g_error_copy (error);
          g_assert_cmpint (rl_url_error_get_kind (copy), ==, kind);
          g_assert_cmpstr (rl_url_error_get_text (copy), ==, rl_url_error_get_text (error));
        }
      /* The normalised text is optional. */
      g_assert_cmpint (validate (cases[i].in, NULL, NULL), ==, cases[i].out != NULL);
    }
}

static void
test_server (void)
{
  static const Case cases[] = {
    { "reloop.example.org", "https://reloop.example.org" },
    { "  https://reloop.example.org/  ", "https://reloop.example.org" },
    { "HTTPS://ReLoop.Example.ORG:8443/Base//", "https://reloop.example.org:8443/Base" },
    { "https://reloop.example.org:443", "https://reloop.example.org" },
    { "https://reloop.example.org:8443/base/", "https://reloop.example.org:8443/base" },
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
    { "http://127.0.0.1:80/", "http://127.0.0.1" },
    { "http://127.3.2.1:8080", "http://127.3.2.1:8080" },
    { "HTTP://LOCALHOST:9000/", "http://localhost:9000" },
    { "http://[::1]:9000", "http://[::1]:9000" },
    { "https://[2001:DB8::1]:8443", "https://[2001:db8::1]:8443" },
    { "", NULL, RL_URL_ERROR_EMPTY },
    { "   ", NULL, RL_URL_ERROR_EMPTY },
    { "https://", NULL, RL_URL_ERROR_NO_HOST },
    { "http://reloop.example.org", NULL, RL_URL_ERROR_PLAIN_HTTP_NOT_LOOPBACK },
    { "HTTP://10.0.0.5:8080", NULL, RL_URL_ERROR_PLAIN_HTTP_NOT_LOOPBACK },
    { "http://[::2]:9000", NULL, RL_URL_ERROR_PLAIN_HTTP_NOT_LOOPBACK },
    { "ftp://reloop.example.org", NULL, RL_URL_ERROR_BAD_SCHEME },
    { "mqtt://reloop.example.org", NULL, RL_URL_ERROR_BAD_SCHEME },
    { "https://user:pw@reloop.example.org", NULL, RL_URL_ERROR_EXTRA_PARTS },
    { "https://reloop.example.org/?q=1", NULL, RL_URL_ERROR_EXTRA_PARTS },
    { "https://reloop.example.org/#top", NULL, RL_URL_ERROR_EXTRA_PARTS },
    { "https://reloop.example.org:99999", NULL, RL_URL_ERROR_BAD_PORT },
    { "https://reloop.example.org:0", NULL, RL_URL_ERROR_BAD_PORT },
    { "https://[::1", NULL, RL_URL_ERROR_NOT_A_URL },
    /* g_uri_parse takes these hosts; no host name has such characters, and
     * the normal form of the first ("https://(= ") did not parse back to
     * itself (tests/fuzz/corpus/settings/crash-server-host-space). */
    { "https://(= /", NULL, RL_URL_ERROR_NOT_A_URL },
    { "https://my server", NULL, RL_URL_ERROR_NOT_A_URL },
    { "https://reloop%20example.org", NULL, RL_URL_ERROR_NOT_A_URL },
    { "https://reloop.example.org%2F..", NULL, RL_URL_ERROR_NOT_A_URL },
    { "https://{s}.example.org", NULL, RL_URL_ERROR_NOT_A_URL },
    /* Its normal form was "https://0/\n", whose own was "https://0"
     * (tests/fuzz/corpus/settings/crash-server-path-newline). */
    { "https://0:/\n/", NULL, RL_URL_ERROR_NOT_A_URL },
    { "https://reloop.example.org/a b", NULL, RL_URL_ERROR_NOT_A_URL },
    /* An internationalised name: GUri gives its ASCII form. */
    { "https://काठमाडौं.example.org", "https://xn--i1b1b7ae8dwec7i.example.org" },
  };

  check_cases (rl_url_validate_server, RL_URL_KIND_SERVER, cases, G_N_ELEMENTS (cases));
}

static void
test_broker (void)
{
  static const Case cases[] = {
    { "mqtt://127.0.0.1:1883", "mqtt://127.0.0.1:1883" },
    { "MQTT://HOST:1883", "mqtt://host:1883" },
    { "Mqtt://Broker.Example.org:1884/", "mqtt://broker.example.org:1884" },
    /* The default ports are written out: the same broker either way. */
    { "mqtt://broker.example.org", "mqtt://broker.example.org:1883" },
    { "mqtts://Broker.Example.org", "mqtts://broker.example.org:8883" },
    { "MQTTS://broker.example.org:8884", "mqtts://broker.example.org:8884" },
    { " mqtt://[::1]:1884 ", "mqtt://[::1]:1884" },
    { "mqtt://[::1]", "mqtt://[::1]:1883" },
    /* Plain MQTT to another computer is allowed (TLS is the broker's choice). */
    { "mqtt://10.0.0.5", "mqtt://10.0.0.5:1883" },
    { "", NULL, RL_URL_ERROR_EMPTY },
    { "broker.example.org", NULL, RL_URL_ERROR_NOT_A_URL },
    { "broker.example.org:1883", NULL, RL_URL_ERROR_NOT_A_URL },
    { "http://broker.example.org", NULL, RL_URL_ERROR_BAD_SCHEME },
    { "tcp://x:1", NULL, RL_URL_ERROR_BAD_SCHEME },
    { "ws://broker.example.org:8080", NULL, RL_URL_ERROR_BAD_SCHEME },
    { "mqtt://", NULL, RL_URL_ERROR_NO_HOST },
    { "mqtts://:8883", NULL, RL_URL_ERROR_NO_HOST },
    { "mqtt://host:99999", NULL, RL_URL_ERROR_BAD_PORT },
    { "mqtt://bro ker:1883", NULL, RL_URL_ERROR_NOT_A_URL },
    { "mqtt://host:0", NULL, RL_URL_ERROR_BAD_PORT },
    { "mqtt://host:port", NULL, RL_URL_ERROR_BAD_PORT },
    { "mqtt://user:secret@host:1883", NULL, RL_URL_ERROR_EXTRA_PARTS },
    { "mqtt://host:1883/devices", NULL, RL_URL_ERROR_EXTRA_PARTS },
    { "mqtt://host?x=1", NULL, RL_URL_ERROR_EXTRA_PARTS },
  };

  check_cases (rl_url_validate_broker, RL_URL_KIND_BROKER, cases, G_N_ELEMENTS (cases));
}

static void
test_topic_prefix (void)
{
  static const Case cases[] = {
    { "devices", "devices" },
    { "ktm/ward-10/devices", "ktm/ward-10/devices" },
    { "ktm/ward-10/devices/", "ktm/ward-10/devices" },
    { " devices// ", "devices" },
    /* Slashes, then spaces, then slashes: the normal form is its own
     * (":\n/" became ":\n", normalised again to ":":
     * tests/fuzz/corpus/settings/crash-topic-trailing-space). */
    { "devices/ /", "devices" },
    { "ktm:\n/", "ktm:" },
    { "", NULL, RL_URL_ERROR_EMPTY },
    { "/", NULL, RL_URL_ERROR_EMPTY },
    { "devices/#", NULL, RL_URL_ERROR_TOPIC_WILDCARD },
    { "devices/+/x", NULL, RL_URL_ERROR_TOPIC_WILDCARD },
    { "/devices", NULL, RL_URL_ERROR_TOPIC_EMPTY_LEVEL },
    { "ktm//devices", NULL, RL_URL_ERROR_TOPIC_EMPTY_LEVEL },
  };

  check_cases (rl_url_validate_topic_prefix, RL_URL_KIND_TOPIC_PREFIX, cases,
               G_N_ELEMENTS (cases));
}

static void
test_tile_template (void)
{
  static const Case cases[] = {
    { "https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/{z}/{x}/{y}.png" },
    /* Scheme and host in lower case; the path and query as typed. */
    { "HTTPS://Tiles.Example.org:8080/Map/{z}/{x}/{y}.png?Key=AbC",
      "https://tiles.example.org:8080/Map/{z}/{x}/{y}.png?Key=AbC" },
    { "http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png" },
    { "http://[::1]:9000/{z}/{x}/{y}.png", "http://[::1]:9000/{z}/{x}/{y}.png" },
    /* Tiles are public: plain http to another computer is allowed. */
    { "http://tiles.example.org/{y}/{x}/{z}", "http://tiles.example.org/{y}/{x}/{z}" },
    { "", NULL, RL_URL_ERROR_EMPTY },
    { "tiles.example.org/{z}/{x}/{y}.png", NULL, RL_URL_ERROR_NOT_A_URL },
    /* libshumate 1.0 cannot load file:// templates. */
    { "file:///tiles/{z}/{x}/{y}.png", NULL, RL_URL_ERROR_BAD_SCHEME },
    { "FILE:///tiles/{z}/{x}/{y}.png", NULL, RL_URL_ERROR_BAD_SCHEME },
    { "ftp://tiles.example.org/{z}/{x}/{y}.png", NULL, RL_URL_ERROR_BAD_SCHEME },
    { "https:///{z}/{x}/{y}.png", NULL, RL_URL_ERROR_NO_HOST },
    { "https://user:pw@tiles.example.org/{z}/{x}/{y}.png", NULL, RL_URL_ERROR_EXTRA_PARTS },
    { "https://tiles.example.org/{z}/{x}.png", NULL, RL_URL_ERROR_MISSING_PLACEHOLDER },
    { "https://tiles.example.org/{x}/{y}.png", NULL, RL_URL_ERROR_MISSING_PLACEHOLDER },
    { "https://tiles.example.org/{z}/{y}.png", NULL, RL_URL_ERROR_MISSING_PLACEHOLDER },
    { "https://tiles.example.org/{Z}/{X}/{Y}.png", NULL, RL_URL_ERROR_MISSING_PLACEHOLDER },
    { "https://tiles.example.org:70000/{z}/{x}/{y}.png", NULL, RL_URL_ERROR_BAD_PORT },
    /* A subdomain placeholder is a host name here; a space is not. */
    { "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
      "https://{s}.tiles.example.org/{z}/{x}/{y}.png" },
    { "https://tiles example.org/{z}/{x}/{y}.png", NULL, RL_URL_ERROR_NOT_A_URL },
  };

  check_cases (rl_url_validate_tile_template, RL_URL_KIND_TILE_TEMPLATE, cases,
               G_N_ELEMENTS (cases));
}

static void
test_service (void)
{
  static const Case cases[] = {
    { "https://khalti.com/api/v2", "https://khalti.com/api/v2" },
    { "  https://api.sparrowsms.com/v2/sms/ ", "https://api.sparrowsms.com/v2/sms" },
    { "http://127.0.0.1:9000", "http://127.0.0.1:9000" },
    { "https://s3.example.org:8443/?region=x", "https://s3.example.org:8443/?region=x" },
    { "", NULL, RL_URL_ERROR_EMPTY },
    { "   ", NULL, RL_URL_ERROR_EMPTY },
    { "khalti.com/api", NULL, RL_URL_ERROR_NOT_A_URL },
    { "ftp://files.example.org", NULL, RL_URL_ERROR_BAD_SCHEME },
    { "https:///v2", NULL, RL_URL_ERROR_NO_HOST },
    { "https://user:pw@api.example.org", NULL, RL_URL_ERROR_EXTRA_PARTS },
    { "https://api.example.org:70000", NULL, RL_URL_ERROR_BAD_PORT },
    { "https://api example.org", NULL, RL_URL_ERROR_NOT_A_URL },
  };

  check_cases (rl_url_validate_service, RL_URL_KIND_SERVICE, cases, G_N_ELEMENTS (cases));
}

static void
test_trailing_slashes (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "", "" },
    { "/", "" },
    { "///", "" },
    { "a", "a" },
    { "a/", "a" },
    { "a///", "a" },
    { "/a/b/", "/a/b" },
    { "a/b", "a/b" },
    { "a//b", "a//b" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup (cases[i].in);

      g_assert_true (rl_url_trim_trailing_slashes (text) == text);
      g_assert_cmpstr (text, ==, cases[i].out);
    }
}

static void
test_loopback (void)
{
  const char *yes[] = { "localhost", "LocalHost", "127.0.0.1", "127.1.2.3", "::1" };
  const char *no[] = { "10.0.0.5", "reloop.example.org", "::2", "localhost.example.org", "" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    g_assert_true (rl_url_host_is_loopback (yes[i]));
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    g_assert_false (rl_url_host_is_loopback (no[i]));
  g_assert_false (rl_url_host_is_loopback (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/url/server", test_server);
  g_test_add_func ("/url/broker", test_broker);
  g_test_add_func ("/url/topic-prefix", test_topic_prefix);
  g_test_add_func ("/url/tile-template", test_tile_template);
  g_test_add_func ("/url/service", test_service);
  g_test_add_func ("/url/trailing-slashes", test_trailing_slashes);
  g_test_add_func ("/url/loopback", test_loopback);

  return g_test_run ();
}
