/* rl-error.c — the RL_ERROR domain (an extended GError).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rl-error.h"

typedef struct
{
  guint     http_status;
  char     *code_string;
  JsonNode *details;
  gint64    retry_after_s;
} RlErrorPrivate;

static void
rl_error_private_init (RlErrorPrivate *priv)
{
  /* GLib's wrappers pass what rl_error_get_private () found. */
  if (priv == NULL)
    return;
  priv->http_status = 0;
  priv->code_string = NULL;
  priv->details = NULL;
  priv->retry_after_s = -1;
}

static void
rl_error_private_copy (const RlErrorPrivate *src,
                       RlErrorPrivate       *dest)
{
  if (src == NULL || dest == NULL)
    return;
  dest->http_status = src->http_status;
  dest->code_string = g_strdup (src->code_string);
  dest->details = src->details != NULL ? json_node_ref (src->details) : NULL;
  dest->retry_after_s = src->retry_after_s;
}

static void
rl_error_private_clear (RlErrorPrivate *priv)
{
  if (priv == NULL)
    return;
  g_clear_pointer (&priv->code_string, g_free);
  g_clear_pointer (&priv->details, json_node_unref);
}

G_DEFINE_EXTENDED_ERROR (RlError, rl_error)

static const char *const code_names[] = {
  [RL_ERROR_BAD_REQUEST] = "BAD_REQUEST",
  [RL_ERROR_UNAUTHORIZED] = "UNAUTHORIZED",
  [RL_ERROR_FORBIDDEN] = "FORBIDDEN",
  [RL_ERROR_NOT_FOUND] = "NOT_FOUND",
  [RL_ERROR_METHOD_NOT_ALLOWED] = "METHOD_NOT_ALLOWED",
  [RL_ERROR_VERSION_CONFLICT] = "VERSION_CONFLICT",
  [RL_ERROR_INVALID_STATE] = "INVALID_STATE",
  [RL_ERROR_SYNC_RESET_REQUIRED] = "SYNC_RESET_REQUIRED",
  [RL_ERROR_PAYLOAD_TOO_LARGE] = "PAYLOAD_TOO_LARGE",
  [RL_ERROR_VALIDATION_FAILED] = "VALIDATION_FAILED",
  [RL_ERROR_PRECONDITION_REQUIRED] = "PRECONDITION_REQUIRED",
  [RL_ERROR_RATE_LIMITED] = "RATE_LIMITED",
  [RL_ERROR_INTERNAL] = "INTERNAL",
  [RL_ERROR_UNAVAILABLE] = "UNAVAILABLE",
  [RL_ERROR_BAD_RESPONSE] = "BAD_RESPONSE",
  [RL_ERROR_NETWORK] = "NETWORK",
  [RL_ERROR_CIRCUIT_OPEN] = "CIRCUIT_OPEN",
  [RL_ERROR_UNKNOWN] = "UNKNOWN",
  [RL_ERROR_TLS_CERTIFICATE] = "TLS_CERTIFICATE",
};

GError *
rl_error_new_full (RlError     code,
                   guint       http_status,
                   const char *code_string,
                   JsonNode   *details,
                   gint64      retry_after_s,
                   const char *format,
                   ...)
{
  va_list         args;
  GError         *error;
  RlErrorPrivate *priv;

  va_start (args, format);
  error = g_error_new_valist (RL_ERROR, code, format, args);
  va_end (args);

  priv = rl_error_get_private (error);
  g_assert (priv != NULL);
  priv->http_status = http_status;
  priv->code_string = g_strdup (code_string != NULL ? code_string
                                                    : rl_error_code_to_string (code));
  priv->details = details != NULL ? json_node_ref (details) : NULL;
  priv->retry_after_s = retry_after_s;

  return error;
}

static RlErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != RL_ERROR)
    return NULL;
  return rl_error_get_private (error);
}

guint
rl_error_get_http_status (const GError *error)
{
  RlErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->http_status : 0;
}

JsonNode *
rl_error_get_details (const GError *error)
{
  RlErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->details : NULL;
}

static JsonObject *
details_member_object (const GError *error,
                       const char   *name)
{
  JsonNode *details = rl_error_get_details (error);
  JsonNode *member;

  if (details == NULL || !JSON_NODE_HOLDS_OBJECT (details))
    return NULL;
  member = json_object_get_member (json_node_get_object (details), name);
  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    return NULL;
  return json_node_get_object (member);
}

JsonObject *
rl_error_get_current (const GError *error)
{
  return details_member_object (error, "current");
}

JsonObject *
rl_error_get_fields (const GError *error)
{
  return details_member_object (error, "fields");
}

gint64
rl_error_get_retry_after (const GError *error)
{
  RlErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->retry_after_s : -1;
}

void
rl_error_set_retry_after (GError *error,
                          gint64  retry_after_s)
{
  RlErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);
  priv->retry_after_s = retry_after_s;
}

const char *
rl_error_get_code_string (const GError *error)
{
  RlErrorPrivate *priv = get_private (error);

  if (priv == NULL)
    return NULL;
  if (priv->code_string != NULL)
    return priv->code_string;
  return rl_error_code_to_string (error->code);
}

RlError
rl_error_code_from_string (const char *code)
{
  if (code == NULL)
    return RL_ERROR_UNKNOWN;
  /* Only the contract's codes come from a server; client-side ones do not. */
  for (guint i = 0; i <= RL_ERROR_UNAVAILABLE; i++)
    if (g_strcmp0 (code_names[i], code) == 0)
      return (RlError) i;
  return RL_ERROR_UNKNOWN;
}

const char *
rl_error_code_to_string (RlError code)
{
  if ((guint) code < G_N_ELEMENTS (code_names))
    return code_names[code];
  return "UNKNOWN";
}

gboolean
rl_error_is_retryable (const GError *error)
{
  guint status;

  if (error == NULL || error->domain != RL_ERROR)
    return FALSE;

  switch ((RlError) error->code)
    {
    case RL_ERROR_NETWORK:
    case RL_ERROR_RATE_LIMITED:
    case RL_ERROR_INTERNAL:
    case RL_ERROR_UNAVAILABLE:
    case RL_ERROR_BAD_RESPONSE:
      return TRUE;
    case RL_ERROR_BAD_REQUEST:
    case RL_ERROR_UNAUTHORIZED:
    case RL_ERROR_FORBIDDEN:
    case RL_ERROR_NOT_FOUND:
    case RL_ERROR_METHOD_NOT_ALLOWED:
    case RL_ERROR_VERSION_CONFLICT:
    case RL_ERROR_INVALID_STATE:
    case RL_ERROR_SYNC_RESET_REQUIRED:
    case RL_ERROR_PAYLOAD_TOO_LARGE:
    case RL_ERROR_VALIDATION_FAILED:
    case RL_ERROR_PRECONDITION_REQUIRED:
    case RL_ERROR_CIRCUIT_OPEN:
    case RL_ERROR_UNKNOWN:
    case RL_ERROR_TLS_CERTIFICATE:
    default:
      break;
    }

  status = rl_error_get_http_status (error);
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}
