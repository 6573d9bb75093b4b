/* fuzz-envelope.c — a REST response (status, content type, body) through the
 * envelope parser (src/core/net/rl-envelope.c) and the error it gives.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: two bytes pick the HTTP status and what the caller expects, a
 * third the content type; the rest is the body. Either an envelope or an
 * RL_ERROR comes back, never both, and each is what rl-envelope.h says.
 */
#include "fuzz-util.h"
#include "rl-envelope.h"
#include "rl-error.h"

static const guint statuses[] = { 200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 410, 413, 422,
                                  428, 429, 500, 502, 503, 504, 418, 0, 100, 599, 999 };

static const char *const types[] = {
  "application/json; charset=utf-8",
  "application/json",
  NULL,
  "text/html",
  "application/vnd.reloop+json",
  "application/problem+json",
  "text/plain; charset=utf-8",
  "",
};

static void
check_error (const GError *error)
{
  JsonObject *object;

  g_assert_nonnull (error);
  g_assert_true (error->domain == RL_ERROR);
  g_assert_cmpint (error->code, >=, 0);
  g_assert_cmpint (error->code, <=, RL_ERROR_UNKNOWN);
  g_assert_nonnull (error->message);
  if (!g_utf8_validate (error->message, -1, NULL))
    {
      g_autofree char *shown = g_strescape (error->message, NULL);

      g_error ("an error message that is not UTF-8 (logs, the UI's details): %s", shown);
    }
  (void) rl_error_get_http_status (error);
  (void) rl_error_get_details (error);
  (void) rl_error_get_retry_after (error);
  object = rl_error_get_current (error);
  if (object != NULL)
    (void) json_object_get_size (object);
  object = rl_error_get_fields (error);
  if (object != NULL)
    (void) json_object_get_size (object);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autoptr (GBytes) body = NULL;
  guint            status;
  RlEnvelopeExpect expect;
  const char      *type;

  if (size < 3)
    return 0;
  status = statuses[data[0] % G_N_ELEMENTS (statuses)];
  expect = (RlEnvelopeExpect) (data[1] % 4);
  type = types[data[2] % G_N_ELEMENTS (types)];
  data += 3;
  size -= 3;

  envelope = rl_envelope_parse_data (status, type, (const char *) data, size, expect, &error);
  g_assert_true ((envelope == NULL) != (error == NULL));
  if (envelope == NULL)
    {
      check_error (error);
      g_clear_error (&error);
    }
  else
    {
      g_assert_nonnull (envelope->data);
      g_assert_cmpuint (envelope->http_status, ==, status);
      switch (expect)
        {
        case RL_ENVELOPE_EXPECT_OBJECT:
          g_assert_true (JSON_NODE_HOLDS_OBJECT (envelope->data));
          g_assert_nonnull (rl_envelope_get_object (envelope));
          break;
        case RL_ENVELOPE_EXPECT_ARRAY:
          g_assert_true (JSON_NODE_HOLDS_ARRAY (envelope->data));
          g_assert_nonnull (rl_envelope_get_array (envelope));
          break;
        case RL_ENVELOPE_EXPECT_OBJECT_OR_NULL:
          g_assert_true (JSON_NODE_HOLDS_OBJECT (envelope->data)
                         || JSON_NODE_HOLDS_NULL (envelope->data));
          break;
        case RL_ENVELOPE_EXPECT_ANY:
        default:
          (void) rl_envelope_get_array (envelope);
          (void) rl_envelope_get_object (envelope);
          break;
        }
      if (envelope->meta != NULL)
        g_assert_true (JSON_NODE_HOLDS_OBJECT (envelope->meta));
      g_assert_true (envelope->total >= -1);
      g_assert_true (envelope->next_since >= -1);
      if (!envelope->has_pagination)
        g_assert_null (envelope->next_cursor);
      g_clear_pointer (&envelope, rl_envelope_free);
    }

  /* The GBytes entry point decides the same way. */
  body = g_bytes_new (data, size);
  envelope = rl_envelope_parse (status, type, body, expect, &error);
  g_assert_true ((envelope == NULL) != (error == NULL));
  if (envelope == NULL)
    check_error (error);
  return 0;
}
