/* test-envelope.c — the envelope parser on good and bad bodies.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "rl-envelope.h"
#include "rl-error.h"

#define JSON "application/json; charset=utf-8"
#define OK_META "\"meta\":{\"timestamp\":\"2026-11-21T09:30:00.000Z\",\"version\":\"1.0\"}"

typedef struct
{
  const char      *name;
  guint            status;
  const char      *content_type;
  const char      *body; /* NUL-terminated unless length is set */
  gsize            length;
  RlEnvelopeExpect expect;
  int              code; /* -1: success */
} Case;

static const Case cases[] = {
  /* Good bodies. */
  { "object", 200, JSON, "{\"success\":true,\"data\":{\"id\":\"dp-1\"}," OK_META "}", 0,
    RL_ENVELOPE_EXPECT_OBJECT, -1 },
  { "array", 200, JSON, "{\"success\":true,\"data\":[1,2,3]}", 0, RL_ENVELOPE_EXPECT_ARRAY, -1 },
  { "null-data", 200, JSON, "{\"success\":true,\"data\":null}", 0, RL_ENVELOPE_EXPECT_ANY, -1 },
  { "null-data-object-or-null", 200, JSON, "{\"success\":true,\"data\":null}", 0,
    RL_ENVELOPE_EXPECT_OBJECT_OR_NULL, -1 },
  { "extra-fields-ignored", 201, JSON,
    "{\"success\":true,\"data\":{},\"trace\":\"x\",\"meta\":{\"region\":\"np\"}}", 0,
    RL_ENVELOPE_EXPECT_OBJECT, -1 },
  { "no-content-type", 200, NULL, "{\"success\":true,\"data\":[]}", 0, RL_ENVELOPE_EXPECT_ARRAY,
    -1 },
  { "problem-json-type", 200, "application/vnd.reloop+json", "{\"success\":true,\"data\":[]}", 0,
    RL_ENVELOPE_EXPECT_ARRAY, -1 },
  { "utf8-nepali", 200, JSON, "{\"success\":true,\"data\":{\"name\":\"काठमाडौं\"}}", 0,
    RL_ENVELOPE_EXPECT_OBJECT, -1 },
  /* Error envelopes. */
  { "conflict", 409, JSON,
    "{\"success\":false,\"error\":{\"code\":\"VERSION_CONFLICT\",\"message\":\"Changed\","
    "\"details\":{\"current\":{\"version\":3}}}}",
    0, RL_ENVELOPE_EXPECT_ANY, RL_ERROR_VERSION_CONFLICT },
  { "validation", 422, JSON,
    "{\"success\":false,\"error\":{\"code\":\"VALIDATION_FAILED\",\"message\":\"Bad\",\"details\":{"
    "\"fields\":{\"name\":\"required\"}}}}",
    0, RL_ENVELOPE_EXPECT_ANY, RL_ERROR_VALIDATION_FAILED },
  { "unauthorized", 401, JSON,
    "{\"success\":false,\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"Wrong password\"}}", 0,
    RL_ENVELOPE_EXPECT_ANY, RL_ERROR_UNAUTHORIZED },
  { "unknown-code", 418, JSON,
    "{\"success\":false,\"error\":{\"code\":\"TEAPOT\",\"message\":\"Short\"}}", 0,
    RL_ENVELOPE_EXPECT_ANY, RL_ERROR_UNKNOWN },
  { "error-no-message", 503, JSON, "{\"success\":false,\"error\":{\"code\":\"UNAVAILABLE\"}}", 0,
    RL_ENVELOPE_EXPECT_ANY, RL_ERROR_UNAVAILABLE },
  /* Not the envelope. */
  { "html", 502, "text/html", "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", 0,
    RL_ENVELOPE_EXPECT_ANY, RL_ERROR_BAD_RESPONSE },
  { "html-typed-as-json", 200, JSON, "<html>oops</html>", 0, RL_ENVELOPE_EXPECT_ANY,
    RL_ERROR_BAD_RESPONSE },
  { "truncated", 200, JSON, "{\"success\":true,\"data\":[{\"id\":\"dp-1\"},{\"id\":\"dp", 0,
    RL_ENVELOPE_EXPECT_ARRAY, RL_ERROR_BAD_RESPONSE },
  { "empty", 200, JSON, "", 0, RL_ENVELOPE_EXPECT_ANY, RL_ERROR_BAD_RESPONSE },
  { "whitespace", 200, JSON, "   \n ", 0, RL_ENVELOPE_EXPECT_ANY, RL_ERROR_BAD_RESPONSE },
  { "top-level-array", 200, JSON, "[1,2]", 0, RL_ENVELOPE_EXPECT_ANY, RL_ERROR_BAD_RESPONSE },
  { "top-level-string", 200, JSON, "\"ok\"", 0, RL_ENVELOPE_EXPECT_ANY, RL_ERROR_BAD_RESPONSE },
  { "success-missing", 200, JSON, "{\"data\":[]}", 0, RL_ENVELOPE_EXPECT_ANY,
    RL_ERROR_BAD_RESPONSE },
  { "success-string", 200, JSON, "{\"success\":\"true\",\"data\":[]}", 0, RL_ENVELOPE_EXPECT_ANY,
    RL_ERROR_BAD_RESPONSE },
  { "success-on-5xx", 500, JSON, "{\"success\":true,\"data\":[]}", 0, RL_ENVELOPE_EXPECT_ANY,
    RL_ERROR_BAD_RESPONSE },
  { "failure-without-error", 500, JSON, "{\"success\":false}", 0, RL_ENVELOPE_EXPECT_ANY,
    RL_ERROR_BAD_RESPONSE },
  { "error-not-object", 400, JSON, "{\"success\":false,\"error\":\"bad\"}", 0,
    RL_ENVELOPE_EXPECT_ANY, RL_ERROR_BAD_RESPONSE },
  { "error-code-number", 400, JSON,
    "{\"success\":false,\"error\":{\"code\":400,\"message\":\"x\"}}", 0, RL_ENVELOPE_EXPECT_ANY,
    RL_ERROR_BAD_RESPONSE },
  { "data-missing", 200, JSON, "{\"success\":true}", 0, RL_ENVELOPE_EXPECT_ANY,
    RL_ERROR_BAD_RESPONSE },
  { "want-array-got-object", 200, JSON, "{\"success\":true,\"data\":{}}", 0,
    RL_ENVELOPE_EXPECT_ARRAY, RL_ERROR_BAD_RESPONSE },
  { "want-object-got-array", 200, JSON, "{\"success\":true,\"data\":[]}", 0,
    RL_ENVELOPE_EXPECT_OBJECT, RL_ERROR_BAD_RESPONSE },
  { "want-object-got-null", 200, JSON, "{\"success\":true,\"data\":null}", 0,
    RL_ENVELOPE_EXPECT_OBJECT, RL_ERROR_BAD_RESPONSE },
  { "meta-not-object", 200, JSON, "{\"success\":true,\"data\":[],\"meta\":[]}", 0,
    RL_ENVELOPE_EXPECT_ANY, RL_ERROR_BAD_RESPONSE },
  { "cursor-number", 200, JSON,
    "{\"success\":true,\"data\":[],\"meta\":{\"pagination\":{\"nextCursor\":5}}}", 0,
    RL_ENVELOPE_EXPECT_ARRAY, RL_ERROR_BAD_RESPONSE },
  { "has-more-string", 200, JSON,
    "{\"success\":true,\"data\":[],\"meta\":{\"pagination\":{\"nextSince\":3,\"hasMore\":\"yes\"}}"
    "}",
    0, RL_ENVELOPE_EXPECT_ARRAY, RL_ERROR_BAD_RESPONSE },
  { "next-since-negative", 200, JSON,
    "{\"success\":true,\"data\":[],\"meta\":{\"pagination\":{\"nextSince\":-1}}}", 0,
    RL_ENVELOPE_EXPECT_ARRAY, RL_ERROR_BAD_RESPONSE },
  { "non-utf8", 200, JSON, "{\"success\":true,\"data\":\"\xff\xfe\xc3\x28\"}", 0,
    RL_ENVELOPE_EXPECT_ANY, RL_ERROR_BAD_RESPONSE },
  { "nul-inside", 200, JSON, "{\"success\":true,\0\"data\":[]}", 27, RL_ENVELOPE_EXPECT_ANY,
    RL_ERROR_BAD_RESPONSE },
  { "trailing-garbage", 200, JSON, "{\"success\":true,\"data\":[]} {\"x\":1}", 0,
    RL_ENVELOPE_EXPECT_ANY, RL_ERROR_BAD_RESPONSE },
  { "plain-text-type", 200, "text/plain", "{\"success\":true,\"data\":[]}", 0,
    RL_ENVELOPE_EXPECT_ANY, RL_ERROR_BAD_RESPONSE },
};

static void
test_table (void)
{
  g_assert_cmpuint (G_N_ELEMENTS (cases), >=, 20);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      gsize       length = c->length != 0 ? c->length : strlen (c->body);
      g_autoptr (GBytes) body = g_bytes_new_static (c->body, length);
      g_autoptr (GError) error = NULL;
      g_autoptr (RlEnvelope) envelope = NULL;

      g_test_message ("case %s", c->name);
      envelope = rl_envelope_parse (c->status, c->content_type, body, c->expect, &error);
      if (c->code < 0)
        {
          g_assert_no_error (error);
          g_assert_nonnull (envelope);
          g_assert_nonnull (envelope->data);
          g_assert_cmpuint (envelope->http_status, ==, c->status);
        }
      else
        {
          g_assert_null (envelope);
          g_assert_error (error, RL_ERROR, c->code);
          g_assert_cmpuint (rl_error_get_http_status (error), ==, c->status);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }
    }
}

static void
test_error_details (void)
{
  const char *body = "{\"success\":false,\"error\":{\"code\":\"VERSION_CONFLICT\",\"message\":"
                     "\"Changed by someone\","
                     "\"details\":{\"current\":{\"id\":\"dp-7\",\"version\":9}}}}";
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  JsonObject *current;

  envelope =
      rl_envelope_parse_data (409, JSON, body, strlen (body), RL_ENVELOPE_EXPECT_ANY, &error);
  g_assert_null (envelope);
  g_assert_error (error, RL_ERROR, RL_ERROR_VERSION_CONFLICT);
  g_assert_cmpstr (error->message, ==, "Changed by someone");
  current = rl_error_get_current (error);
  g_assert_nonnull (current);
  g_assert_cmpint (json_object_get_int_member (current, "version"), ==, 9);
}

static void
test_unknown_code_kept (void)
{
  const char *body =
      "{\"success\":false,\"error\":{\"code\":\"QUOTA_EXCEEDED\",\"message\":\"Too much\"}}";
  g_autoptr (GError) error = NULL;

  g_assert_null (
      rl_envelope_parse_data (403, JSON, body, strlen (body), RL_ENVELOPE_EXPECT_ANY, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_UNKNOWN);
  g_assert_cmpstr (rl_error_get_code_string (error), ==, "QUOTA_EXCEEDED");
  g_assert_cmpstr (error->message, ==, "Too much");
}

/* json-glib quotes the bad token cut in the middle of a character; the
 * error's message is still UTF-8 (tests/fuzz/corpus/envelope/
 * crash-message-not-utf8). */
static void
test_message_utf8 (void)
{
  const char *body = "{\"\":\"न्यूरोडस्त\"";
  g_autoptr (GError) error = NULL;

  g_assert_null (
      rl_envelope_parse_data (200, JSON, body, strlen (body), RL_ENVELOPE_EXPECT_ANY, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_BAD_RESPONSE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, "invalid JSON"));
}

static void
test_meta (void)
{
  const char *list = "{\"success\":true,\"data\":[{\"id\":\"a\"}],\"meta\":{\"timestamp\":\"2026-"
                     "11-21T09:30:00.000Z\","
                     "\"pagination\":{\"nextCursor\":\"abc\",\"total\":2000}}}";
  const char *last = "{\"success\":true,\"data\":[],\"meta\":{\"pagination\":{\"nextCursor\":null,"
                     "\"total\":2000}}}";
  const char *changes = "{\"success\":true,\"data\":[],\"meta\":{\"pagination\":{\"nextSince\":"
                        "4242,\"hasMore\":true}}}";
  g_autoptr (RlEnvelope) a = NULL;
  g_autoptr (RlEnvelope) b = NULL;
  g_autoptr (RlEnvelope) c = NULL;
  g_autoptr (GError) error = NULL;

  a = rl_envelope_parse_data (200, JSON, list, strlen (list), RL_ENVELOPE_EXPECT_ARRAY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->timestamp, ==, "2026-11-21T09:30:00.000Z");
  g_assert_true (a->has_pagination);
  g_assert_cmpstr (a->next_cursor, ==, "abc");
  g_assert_cmpint (a->total, ==, 2000);
  g_assert_cmpint (a->next_since, ==, -1);
  g_assert_cmpuint (json_array_get_length (rl_envelope_get_array (a)), ==, 1);
  g_assert_null (rl_envelope_get_object (a));

  b = rl_envelope_parse_data (200, JSON, last, strlen (last), RL_ENVELOPE_EXPECT_ARRAY, &error);
  g_assert_no_error (error);
  g_assert_null (b->next_cursor);

  c = rl_envelope_parse_data (200, JSON, changes, strlen (changes), RL_ENVELOPE_EXPECT_ARRAY,
                              &error);
  g_assert_no_error (error);
  g_assert_cmpint (c->next_since, ==, 4242);
  g_assert_true (c->has_more);

  /* A negative total is no total (tests/fuzz/corpus/envelope/crash-negative-total). */
  {
    const char *negative = "{\"success\":true,\"data\":[],\"meta\":{\"pagination\":{\"total\":-5}}}";
    g_autoptr (RlEnvelope) d = rl_envelope_parse_data (200, JSON, negative, strlen (negative),
                                                       RL_ENVELOPE_EXPECT_ARRAY, &error);

    g_assert_no_error (error);
    g_assert_true (d->has_pagination);
    g_assert_cmpint (d->total, ==, -1);
  }
}

static void
test_huge (void)
{
  GString *s = g_string_new ("{\"success\":true,\"data\":[");
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  const guint n = 20000; /* ~0.8 MB, far over the 64 KiB thread threshold */
  char       *text;
  gsize       length;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s{\"id\":\"dp-%06u\",\"fillLevel\":%u.5}", i > 0 ? "," : "", i,
                            i % 100);
  g_string_append (s, "]}");
  length = s->len;
  text = g_string_free (s, FALSE);

  envelope = rl_envelope_parse_data (200, JSON, text, length, RL_ENVELOPE_EXPECT_ARRAY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rl_envelope_get_array (envelope)), ==, n);

  /* The same body cut in half is refused, not half-used. */
  g_clear_pointer (&envelope, rl_envelope_free);
  envelope = rl_envelope_parse_data (200, JSON, text, length / 2, RL_ENVELOPE_EXPECT_ARRAY, &error);
  g_assert_null (envelope);
  g_assert_error (error, RL_ERROR, RL_ERROR_BAD_RESPONSE);
  g_free (text);
}

static void
test_deeply_nested (void)
{
  const guint depth = 200000;
  GString    *s = g_string_new ("{\"success\":true,\"data\":");
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autofree char *text = NULL;
  gsize            length;

  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, ']');
  g_string_append_c (s, '}');
  length = s->len;
  text = g_string_free (s, FALSE);

  envelope = rl_envelope_parse_data (200, JSON, text, length, RL_ENVELOPE_EXPECT_ANY, &error);
  g_assert_null (envelope);
  g_assert_error (error, RL_ERROR, RL_ERROR_BAD_RESPONSE);

  /* Brackets inside strings do not count. */
  {
    const char *body = "{\"success\":true,\"data\":{\"note\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                       "[[[[[[[[[[\\\"[[[[\"}}";
    g_autoptr (RlEnvelope) ok = NULL;

    g_clear_error (&error);
    ok = rl_envelope_parse_data (200, JSON, body, strlen (body), RL_ENVELOPE_EXPECT_OBJECT, &error);
    g_assert_no_error (error);
    g_assert_nonnull (ok);
  }
}

static void
test_random_garbage (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  const char *good = "{\"success\":true,\"data\":[{\"id\":\"dp-1\",\"v\":[1,2,{\"a\":null}]}],"
                     "\"meta\":{\"pagination\":{\"nextCursor\":\"x\",\"total\":1}}}";
  gsize       length = strlen (good);

  /* Mutated and cut bodies: any answer is fine, as long as it is an answer. */
  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *copy = g_memdup2 (good, length);
      gsize            cut = g_rand_int_range (rand, 0, (gint32) length + 1);
      g_autoptr (GError) error = NULL;
      g_autoptr (RlEnvelope) envelope = NULL;

      for (guint k = 0; k < 3; k++)
        copy[g_rand_int_range (rand, 0, (gint32) length)] = (char) g_rand_int_range (rand, 0, 256);
      envelope = rl_envelope_parse_data (200, JSON, copy, cut, RL_ENVELOPE_EXPECT_ARRAY, &error);
      g_assert_true ((envelope != NULL) != (error != NULL));
      if (error != NULL)
        g_assert_true (error->domain == RL_ERROR);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/envelope/table", test_table);
  g_test_add_func ("/envelope/error-details", test_error_details);
  g_test_add_func ("/envelope/unknown-code-kept", test_unknown_code_kept);
  g_test_add_func ("/envelope/meta", test_meta);
  g_test_add_func ("/envelope/message-utf8", test_message_utf8);
  g_test_add_func ("/envelope/huge", test_huge);
  g_test_add_func ("/envelope/deeply-nested", test_deeply_nested);
  g_test_add_func ("/envelope/random-garbage", test_random_garbage);

  return g_test_run ();
}
