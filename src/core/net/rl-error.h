/* rl-error.h — the RL_ERROR domain: one code per contract error code, plus
 * client-side codes, carrying HTTP status, error.details and Retry-After.
 * Cancellation is not one of them: it is always G_IO_ERROR_CANCELLED.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define RL_ERROR (rl_error_quark ())

typedef enum
{
  RL_ERROR_BAD_REQUEST,           /* 400 */
  RL_ERROR_UNAUTHORIZED,          /* 401 */
  RL_ERROR_FORBIDDEN,             /* 403 */
  RL_ERROR_NOT_FOUND,             /* 404 */
  RL_ERROR_METHOD_NOT_ALLOWED,    /* 405 */
  RL_ERROR_VERSION_CONFLICT,      /* 409, details.current */
  RL_ERROR_INVALID_STATE,         /* 409, details.current */
  RL_ERROR_SYNC_RESET_REQUIRED,   /* 410 */
  RL_ERROR_PAYLOAD_TOO_LARGE,     /* 413 */
  RL_ERROR_VALIDATION_FAILED,     /* 422, details.fields */
  RL_ERROR_PRECONDITION_REQUIRED, /* 428 */
  RL_ERROR_RATE_LIMITED,          /* 429, Retry-After */
  RL_ERROR_INTERNAL,              /* 500 */
  RL_ERROR_UNAVAILABLE,           /* 503 */
  /* Client side. */
  RL_ERROR_BAD_RESPONSE, /* the body is not the envelope */
  RL_ERROR_NETWORK,      /* connect/TLS/read failure, timeout */
  RL_ERROR_CIRCUIT_OPEN, /* failing fast: the host's breaker is open */
  RL_ERROR_UNKNOWN,      /* an error.code this client does not know */
  /* Client side: the server's TLS certificate was not accepted (signed by
   * an authority not trusted here, made out to another host name, or
   * expired). Not retried: the CA file or the address must change. */
  RL_ERROR_TLS_CERTIFICATE,
} RlError;

GQuark rl_error_quark (void);

/* Builds an RL_ERROR. code_string is kept for RL_ERROR_UNKNOWN (may be NULL
 * otherwise); details is referenced (may be NULL); retry_after_s < 0 means
 * "no Retry-After". */
GError *rl_error_new_full (RlError     code,
                           guint       http_status,
                           const char *code_string,
                           JsonNode   *details,
                           gint64      retry_after_s,
                           const char *format,
                           ...) G_GNUC_PRINTF (6, 7);

/* 0 when the error is not an RL_ERROR or came from no HTTP response. */
guint rl_error_get_http_status (const GError *error);
/* The envelope's error.details, or NULL. Owned by the error. */
JsonNode *rl_error_get_details (const GError *error);
/* details.current (409) / details.fields (422) as objects, or NULL. */
JsonObject *rl_error_get_current (const GError *error);
JsonObject *rl_error_get_fields (const GError *error);
/* Retry-After in seconds, or -1. */
gint64 rl_error_get_retry_after (const GError *error);
void   rl_error_set_retry_after (GError *error,
                                 gint64  retry_after_s);
/* The wire code ("VERSION_CONFLICT", or the unknown string kept for
 * RL_ERROR_UNKNOWN); NULL for non-RL errors. */
const char *rl_error_get_code_string (const GError *error);

/* Unknown or NULL strings map to RL_ERROR_UNKNOWN. */
RlError     rl_error_code_from_string (const char *code);
const char *rl_error_code_to_string (RlError code);

/* Transient by nature (worth a retry with backoff): NETWORK, RATE_LIMITED,
 * INTERNAL, UNAVAILABLE, BAD_RESPONSE and any 502/503/504 status. Whether a
 * given request may be retried also depends on it being idempotent (RlApi). */
gboolean rl_error_is_retryable (const GError *error);

G_END_DECLS
