/* test-error.c — RL_ERROR: codes, strings, extended data survives g_error_copy.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-error.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static void
test_codes_round_trip (void)
{
  for (int code = RL_ERROR_BAD_REQUEST; code <= RL_ERROR_UNAVAILABLE; code++)
    {
      const char *name = rl_error_code_to_string (code);

      g_assert_nonnull (name);
      g_assert_cmpint (rl_error_code_from_string (name), ==, code);
    }
  g_assert_cmpstr (rl_error_code_to_string (RL_ERROR_VERSION_CONFLICT), ==, "VERSION_CONFLICT");
  g_assert_cmpstr (rl_error_code_to_string (RL_ERROR_CIRCUIT_OPEN), ==, "CIRCUIT_OPEN");
  g_assert_cmpint (rl_error_code_from_string ("TEAPOT"), ==, RL_ERROR_UNKNOWN);
  g_assert_cmpint (rl_error_code_from_string (NULL), ==, RL_ERROR_UNKNOWN);
  /* Client-side codes never come from a server string. */
  g_assert_cmpint (rl_error_code_from_string ("NETWORK"), ==, RL_ERROR_UNKNOWN);
}

static void
test_copy_keeps_details (void)
{
  g_autoptr (JsonNode) details = parse (
      "{\"current\": {\"id\": \"dp-1\", \"version\": 8}, \"fields\": {\"name\": \"required\"}}");
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) copy = NULL;
  JsonObject *current;

  error = rl_error_new_full (RL_ERROR_VERSION_CONFLICT, 409, NULL, details, 7,
                             "Changed by %s", "someone");
  g_assert_error (error, RL_ERROR, RL_ERROR_VERSION_CONFLICT);
  g_assert_cmpstr (error->message, ==, "Changed by someone");

  copy = g_error_copy (error);
  g_clear_error (&error); /* the copy must not depend on the original */
  g_clear_pointer (&details, json_node_unref);

  g_assert_error (copy, RL_ERROR, RL_ERROR_VERSION_CONFLICT);
  g_assert_cmpuint (rl_error_get_http_status (copy), ==, 409);
  g_assert_cmpint (rl_error_get_retry_after (copy), ==, 7);
  g_assert_cmpstr (rl_error_get_code_string (copy), ==, "VERSION_CONFLICT");
  current = rl_error_get_current (copy);
  g_assert_nonnull (current);
  g_assert_cmpstr (json_object_get_string_member (current, "id"), ==, "dp-1");
  g_assert_cmpint (json_object_get_int_member (current, "version"), ==, 8);
  g_assert_nonnull (rl_error_get_fields (copy));
  g_assert_cmpstr (json_object_get_string_member (rl_error_get_fields (copy), "name"), ==,
                   "required");
}

static void
test_unknown_keeps_string (void)
{
  g_autoptr (GError) error =
      rl_error_new_full (RL_ERROR_UNKNOWN, 418, "TEAPOT", NULL, -1, "short and stout");
  g_autoptr (GError) copy = g_error_copy (error);

  g_assert_cmpstr (rl_error_get_code_string (copy), ==, "TEAPOT");
  g_assert_null (rl_error_get_details (copy));
  g_assert_null (rl_error_get_current (copy));
  g_assert_cmpint (rl_error_get_retry_after (copy), ==, -1);
}

static void
test_foreign_errors (void)
{
  g_autoptr (GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_cmpuint (rl_error_get_http_status (io), ==, 0);
  g_assert_null (rl_error_get_details (io));
  g_assert_null (rl_error_get_code_string (io));
  g_assert_false (rl_error_is_retryable (io));
  g_assert_false (rl_error_is_retryable (NULL));
}

static void
test_retryable (void)
{
  static const struct
  {
    RlError  code;
    guint    status;
    gboolean retry;
  } cases[] = {
    { RL_ERROR_NETWORK, 0, TRUE },
    { RL_ERROR_RATE_LIMITED, 429, TRUE },
    { RL_ERROR_INTERNAL, 500, TRUE },
    { RL_ERROR_UNAVAILABLE, 503, TRUE },
    { RL_ERROR_BAD_RESPONSE, 502, TRUE },
    { RL_ERROR_UNKNOWN, 504, TRUE },
    { RL_ERROR_UNKNOWN, 418, FALSE },
    { RL_ERROR_VERSION_CONFLICT, 409, FALSE },
    { RL_ERROR_UNAUTHORIZED, 401, FALSE },
    { RL_ERROR_FORBIDDEN, 403, FALSE },
    { RL_ERROR_VALIDATION_FAILED, 422, FALSE },
    { RL_ERROR_CIRCUIT_OPEN, 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error =
          rl_error_new_full (cases[i].code, cases[i].status, NULL, NULL, -1, "x");

      g_assert_cmpint (rl_error_is_retryable (error), ==, cases[i].retry);
    }

  /* Cancellation is never retried. */
  {
    g_autoptr (GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");

    g_assert_false (rl_error_is_retryable (cancelled));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/error/codes-round-trip", test_codes_round_trip);
  g_test_add_func ("/error/copy-keeps-details", test_copy_keeps_details);
  g_test_add_func ("/error/unknown-keeps-string", test_unknown_keeps_string);
  g_test_add_func ("/error/foreign-errors", test_foreign_errors);
  g_test_add_func ("/error/retryable", test_retryable);

  return g_test_run ();
}
