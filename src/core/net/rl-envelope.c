/* rl-envelope.c — parse a response body into the contract's envelope; any
 * other body becomes RL_ERROR_BAD_RESPONSE, never a crash.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rl-envelope.h"
#include "rl-error.h"

void
rl_envelope_free (RlEnvelope *envelope)
{
  if (envelope == NULL)
    return;
  g_clear_pointer (&envelope->data, json_node_unref);
  g_clear_pointer (&envelope->meta, json_node_unref);
  g_free (envelope->timestamp);
  g_free (envelope->next_cursor);
  g_free (envelope->etag);
  g_free (envelope);
}

JsonArray *
rl_envelope_get_array (RlEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);
  if (envelope->data == NULL || !JSON_NODE_HOLDS_ARRAY (envelope->data))
    return NULL;
  return json_node_get_array (envelope->data);
}

JsonObject *
rl_envelope_get_object (RlEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);
  if (envelope->data == NULL || !JSON_NODE_HOLDS_OBJECT (envelope->data))
    return NULL;
  return json_node_get_object (envelope->data);
}

static GError *
bad_response (guint       http_status,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

static GError *
bad_response (guint       http_status,
              const char *format,
              ...)
{
  va_list          args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* json-glib's parse errors quote the bad token cut at a byte count, in
   * the middle of a character ("न्यूरोडस्त" unterminated): the message goes
   * to logs and the UI's details, which take UTF-8 only (found by
   * tests/fuzz/fuzz-envelope). */
  if (!g_utf8_validate (message, -1, NULL))
    {
      char *valid = g_utf8_make_valid (message, -1);

      g_free (message);
      message = valid;
    }

  return rl_error_new_full (RL_ERROR_BAD_RESPONSE, http_status, NULL, NULL, -1,
                            "Unexpected response from the server (HTTP %u): %s",
                            http_status, message);
}

/* JSON media types: application/json, anything/+json. An absent type is
 * judged by the body alone. */
static gboolean
content_type_is_json (const char *content_type)
{
  g_autofree char *lower = NULL;
  char            *semi;

  if (content_type == NULL || *content_type == '\0')
    return TRUE;
  lower = g_ascii_strdown (content_type, -1);
  semi = strchr (lower, ';');
  if (semi != NULL)
    *semi = '\0';
  g_strstrip (lower);
  return g_str_equal (lower, "application/json") || g_str_has_suffix (lower, "+json");
}

/* json-glib recurses per nesting level: refuse absurd depths before parsing
 * so a hostile body cannot exhaust the stack. Also refuses anything after
 * the top-level object, which json-glib would ignore. */
static const char *
scan_structure (const char *data,
                gsize       length)
{
  guint    depth = 0;
  gboolean in_string = FALSE;
  gboolean closed = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (closed)
        {
          if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return "data after the end of the JSON document";
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > RL_ENVELOPE_MAX_DEPTH)
            return "body is nested too deeply";
        }
      else if ((c == ']' || c == '}') && depth > 0)
        {
          if (--depth == 0)
            closed = TRUE;
        }
    }
  return NULL;
}

static const char *
kind_name (JsonNode *node)
{
  if (node == NULL)
    return "nothing";
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
      return "a value";
    default:
      return "?";
    }
}

static gboolean
parse_meta (RlEnvelope *envelope,
            JsonObject *root,
            GError    **error)
{
  JsonNode   *meta = json_object_get_member (root, "meta");
  JsonObject *meta_object;
  JsonNode   *node;

  if (meta == NULL || JSON_NODE_HOLDS_NULL (meta))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (meta))
    {
      *error = bad_response (envelope->http_status, "meta is %s, not an object", kind_name (meta));
      return FALSE;
    }
  envelope->meta = json_node_ref (meta);
  meta_object = json_node_get_object (meta);

  node = json_object_get_member (meta_object, "timestamp");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    envelope->timestamp = g_strdup (json_node_get_string (node));

  node = json_object_get_member (meta_object, "pagination");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *error = bad_response (envelope->http_status, "meta.pagination is %s, not an object",
                             kind_name (node));
      return FALSE;
    }
  envelope->has_pagination = TRUE;
  meta_object = json_node_get_object (node);

  node = json_object_get_member (meta_object, "nextCursor");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          *error =
              bad_response (envelope->http_status, "meta.pagination.nextCursor is not a string");
          return FALSE;
        }
      envelope->next_cursor = g_strdup (json_node_get_string (node));
    }

  /* A count: a negative one is no count at all (-1), as a missing one
   * (it was kept as it came: found by tests/fuzz/fuzz-envelope). */
  node = json_object_get_member (meta_object, "total");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64 && json_node_get_int (node) >= 0)
    envelope->total = json_node_get_int (node);

  node = json_object_get_member (meta_object, "nextSince");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
          || json_node_get_int (node) < 0)
        {
          *error = bad_response (envelope->http_status,
                                 "meta.pagination.nextSince is not a non-negative integer");
          return FALSE;
        }
      envelope->next_since = json_node_get_int (node);
    }

  node = json_object_get_member (meta_object, "hasMore");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          *error = bad_response (envelope->http_status, "meta.pagination.hasMore is not a boolean");
          return FALSE;
        }
      envelope->has_more = json_node_get_boolean (node);
    }

  return TRUE;
}

/* success = false: turn error {code, message, details} into an RL_ERROR. */
static GError *
error_from_envelope (guint       http_status,
                     JsonObject *root)
{
  JsonNode   *node = json_object_get_member (root, "error");
  JsonObject *object;
  JsonNode   *code_node, *message_node, *details;
  const char *code, *message;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return bad_response (http_status, "success is false but error is %s", kind_name (node));
  object = json_node_get_object (node);

  code_node = json_object_get_member (object, "code");
  if (code_node == NULL || !JSON_NODE_HOLDS_VALUE (code_node)
      || json_node_get_value_type (code_node) != G_TYPE_STRING)
    return bad_response (http_status, "error.code is missing or not a string");
  code = json_node_get_string (code_node);

  message_node = json_object_get_member (object, "message");
  if (message_node != NULL && JSON_NODE_HOLDS_VALUE (message_node)
      && json_node_get_value_type (message_node) == G_TYPE_STRING)
    message = json_node_get_string (message_node);
  else
    message = code;

  details = json_object_get_member (object, "details");
  if (details != NULL && JSON_NODE_HOLDS_NULL (details))
    details = NULL;

  return rl_error_new_full (rl_error_code_from_string (code), http_status, code,
                            details, -1, "%s", message);
}

static gboolean
data_matches (JsonNode        *data,
              RlEnvelopeExpect expect)
{
  switch (expect)
    {
    case RL_ENVELOPE_EXPECT_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (data);
    case RL_ENVELOPE_EXPECT_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (data);
    case RL_ENVELOPE_EXPECT_OBJECT_OR_NULL:
      return JSON_NODE_HOLDS_OBJECT (data) || JSON_NODE_HOLDS_NULL (data);
    case RL_ENVELOPE_EXPECT_ANY:
    default:
      return TRUE;
    }
}

RlEnvelope *
rl_envelope_parse_data (guint            http_status,
                        const char      *content_type,
                        const char      *data,
                        gsize            length,
                        RlEnvelopeExpect expect,
                        GError         **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  JsonNode   *root, *node;
  JsonObject *object;
  const char *problem;
  gboolean    success;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL || length == 0)
    {
      g_propagate_error (error, bad_response (http_status, "empty body"));
      return NULL;
    }
  if (!content_type_is_json (content_type))
    {
      g_propagate_error (error, bad_response (http_status, "body is %s, not JSON", content_type));
      return NULL;
    }
  if (length > RL_ENVELOPE_MAX_BYTES)
    {
      g_propagate_error (
          error,
          bad_response (http_status, "body of %" G_GSIZE_FORMAT " bytes is too large", length));
      return NULL;
    }
  /* Also refuses embedded NULs. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_propagate_error (error, bad_response (http_status, "body is not valid UTF-8"));
      return NULL;
    }
  problem = scan_structure (data, length);
  if (problem != NULL)
    {
      g_propagate_error (error, bad_response (http_status, "%s", problem));
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_propagate_error (error,
                         bad_response (http_status, "invalid JSON: %s", local_error->message));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_propagate_error (error, bad_response (http_status, "body is %s, not an envelope object",
                                              kind_name (root)));
      return NULL;
    }
  object = json_node_get_object (root);

  node = json_object_get_member (object, "success");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_propagate_error (error, bad_response (http_status, "success is missing or not a boolean"));
      return NULL;
    }
  success = json_node_get_boolean (node);

  if (!success)
    {
      g_propagate_error (error, error_from_envelope (http_status, object));
      return NULL;
    }
  if (http_status < 200 || http_status >= 300)
    {
      g_propagate_error (error, bad_response (http_status, "success is true on an error status"));
      return NULL;
    }

  envelope = g_new0 (RlEnvelope, 1);
  envelope->http_status = http_status;
  envelope->total = -1;
  envelope->next_since = -1;

  node = json_object_get_member (object, "data");
  if (node == NULL)
    {
      g_propagate_error (error, bad_response (http_status, "data is missing"));
      return NULL;
    }
  if (!data_matches (node, expect))
    {
      g_propagate_error (error, bad_response (http_status, "data is %s, expected %s",
                                              kind_name (node),
                                              expect == RL_ENVELOPE_EXPECT_ARRAY ? "an array"
                                                                                 : "an object"));
      return NULL;
    }
  envelope->data = json_node_ref (node);

  if (!parse_meta (envelope, object, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&envelope);
}

RlEnvelope *
rl_envelope_parse (guint            http_status,
                   const char      *content_type,
                   GBytes          *body,
                   RlEnvelopeExpect expect,
                   GError         **error)
{
  const char *data = NULL;
  gsize       length = 0;

  if (body != NULL)
    data = g_bytes_get_data (body, &length);
  return rl_envelope_parse_data (http_status, content_type, data, length, expect, error);
}
