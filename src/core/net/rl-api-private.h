/* rl-api-private.h — what the files of RlApi share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "rl-api.h"

G_BEGIN_DECLS

struct _RlApi
{
  GObject parent_instance;

  char        *base_url;
  char        *ca_file;
  char        *user_agent;
  SoupSession *session;
  GHashTable  *circuits; /* host → RlCircuit */
  RlBackoff    backoff;
  guint        max_attempts;
  gint64       deadline_ms;

  char      *access_token;
  char      *refresh_token;
  guint      token_generation;   /* bumped whenever the tokens change */
  GPtrArray *refresh_waiters;    /* GTask*; non-NULL while a refresh runs */
  guint      refresh_generation; /* token_generation when that refresh began */

  gboolean reachable;
  char    *last_error;
  guint    request_count;
  guint    retry_count;
  guint    refresh_count;
};

/* rl-api.c */
void       rl_api_set_reachable (RlApi   *self,
                                 gboolean reachable);
void       rl_api_set_last_error (RlApi        *self,
                                  const GError *error);
void       rl_api_count_request (RlApi *self);
void       rl_api_count_retry (RlApi *self);
void       rl_api_count_refresh (RlApi *self);
void       rl_api_emit_auth_required (RlApi *self);
RlCircuit *rl_api_circuit_for_host (RlApi      *self,
                                    const char *host);
char      *rl_api_host_of (const char *url);
void       rl_api_wipe_string (char **slot);

/* rl-api-calls.c: reads {accessToken, refreshToken, expiresIn, user{…}};
 * BAD_RESPONSE when the tokens are missing. */
RlApiAuth *rl_api_auth_from_envelope (RlEnvelope *envelope,
                                      GError    **error);
/* Stores the tokens and emits tokens-changed. */
void rl_api_apply_auth (RlApi           *self,
                        const RlApiAuth *auth);

G_END_DECLS
