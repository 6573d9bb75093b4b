/* rl-api.h — RlApi: the console's REST client (envelope, auth refresh,
 * retries with backoff, Idempotency-Key, If-Match, circuit breaker, paging).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * All errors are RL_ERROR, except cancellation: G_IO_ERROR_CANCELLED. See
 * docs/api-client.md for the retry, refresh and breaker rules.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rl-backoff.h"
#include "rl-circuit.h"
#include "rl-envelope.h"
#include "rl-error.h"

G_BEGIN_DECLS

/* What login and refresh return. */
typedef struct
{
  char  *access_token;
  char  *refresh_token;
  gint64 expires_in; /* seconds */
  char  *user_id;
  char  *user_name;
  char  *user_email;
  char  *user_role; /* "admin", "dispatcher", "support" */
} RlApiAuth;

RlApiAuth *rl_api_auth_copy (const RlApiAuth *auth);
void       rl_api_auth_free (RlApiAuth *auth);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlApiAuth, rl_api_auth_free)

typedef enum
{
  RL_API_REQUEST_DEFAULT = 0,
  RL_API_REQUEST_NO_AUTH = 1 << 0,            /* no bearer token, no refresh on 401 */
  RL_API_REQUEST_NO_RETRY = 1 << 1,           /* one attempt only */
  RL_API_REQUEST_NO_IDEMPOTENCY_KEY = 1 << 2, /* writes: do not add a key (then never retried) */
  RL_API_REQUEST_IDEMPOTENT = 1 << 3,         /* the caller asserts a repeat is harmless */
} RlApiRequestFlags;

typedef struct
{
  RlApiRequestFlags flags;
  gint64            if_match;        /* version for If-Match, or < 0 for none */
  const char       *idempotency_key; /* NULL: a UUID is made for POST/PUT/PATCH/DELETE */
  RlEnvelopeExpect  expect;          /* shape of data on success */
} RlApiRequestOptions;

#define RL_API_REQUEST_OPTIONS_INIT                          \
  {                                                          \
    RL_API_REQUEST_DEFAULT, -1, NULL, RL_ENVELOPE_EXPECT_ANY \
  }

#define RL_API_DEFAULT_MAX_ATTEMPTS 5
#define RL_API_DEFAULT_DEADLINE_MS (2 * 60 * 1000)
/* Bodies larger than this are parsed in a worker thread. */
#define RL_API_THREAD_PARSE_BYTES (64 * 1024)

#define RL_TYPE_API (rl_api_get_type ())
G_DECLARE_FINAL_TYPE (RlApi, rl_api, RL, API, GObject)

/* Called once per page by rl_api_list_all_async; return FALSE to stop. */
typedef gboolean (*RlApiPageFunc) (RlApi      *api,
                                   RlEnvelope *page,
                                   gpointer    user_data);

/* Properties: base-url (server URL; requests go to {base-url}/api/v1/…),
 * ca-file, user-agent, timeout (s), max-attempts, deadline-ms, and read-only
 * reachable (notify; TRUE once the server answered, FALSE after a network
 * failure or while the breaker is open), last-error (string, notify),
 * request-count, retry-count, refresh-count (notify).
 * Signals: tokens-changed (login/refresh/set_tokens/sign_out changed them:
 * read rl_api_get_access_token / _get_refresh_token and store them in the
 * keyring); auth-required (a 401 that a refresh cannot fix — refresh token
 * refused, no refresh token, or a 401 again after refreshing: sign in again). */
RlApi *rl_api_new (const char *base_url);

const char *rl_api_get_base_url (RlApi *self);
void        rl_api_set_base_url (RlApi      *self,
                                 const char *base_url);
const char *rl_api_get_ca_file (RlApi *self);
/* Loads the PEM file as the TLS database; FALSE + error when unreadable. */
gboolean rl_api_set_ca_file (RlApi      *self,
                             const char *ca_file,
                             GError    **error);
void     rl_api_set_max_attempts (RlApi *self,
                                  guint  max_attempts);
guint    rl_api_get_max_attempts (RlApi *self);
void     rl_api_set_deadline_ms (RlApi *self,
                                 gint64 deadline_ms);
/* Copies base, cap, max Retry-After and the random source. */
void       rl_api_set_backoff (RlApi           *self,
                               const RlBackoff *backoff);
RlCircuit *rl_api_get_circuit (RlApi *self);

gboolean    rl_api_get_reachable (RlApi *self);
const char *rl_api_get_last_error (RlApi *self);
guint       rl_api_get_request_count (RlApi *self);
guint       rl_api_get_retry_count (RlApi *self);
guint       rl_api_get_refresh_count (RlApi *self);

/* Tokens (in memory only; the session keeps them in the keyring). */
void        rl_api_set_tokens (RlApi      *self,
                               const char *access_token,
                               const char *refresh_token);
const char *rl_api_get_access_token (RlApi *self);
const char *rl_api_get_refresh_token (RlApi *self);
/* Forgets the tokens (no request is made) and cancels nothing. */
void rl_api_sign_out (RlApi *self);

void       rl_api_login_async (RlApi              *self,
                               const char         *email,
                               const char         *password,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data);
RlApiAuth *rl_api_login_finish (RlApi        *self,
                                GAsyncResult *result,
                                GError      **error);

/* Refreshes with the stored refresh token now (single flight: joins a
 * refresh already under way). The shared refresh itself is not cancelled
 * by cancellable. A refused refresh token clears the tokens and emits
 * auth-required. */
void       rl_api_refresh_async (RlApi              *self,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data);
RlApiAuth *rl_api_refresh_finish (RlApi        *self,
                                  GAsyncResult *result,
                                  GError      **error);

/* path is relative to /api/v1 and starts with '/' ("/drop-points/dp-1");
 * query maps names to values (may be NULL); body may be NULL; options may
 * be NULL (defaults). The body and the options are copied. */
void        rl_api_request_async (RlApi                     *self,
                                  const char                *method,
                                  const char                *path,
                                  GHashTable                *query,
                                  JsonNode                  *body,
                                  const RlApiRequestOptions *options,
                                  GCancellable              *cancellable,
                                  GAsyncReadyCallback        callback,
                                  gpointer                   user_data);
RlEnvelope *rl_api_request_finish (RlApi        *self,
                                   GAsyncResult *result,
                                   GError      **error);

void rl_api_get_async (RlApi              *self,
                       const char         *path,
                       GHashTable         *query,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data);
void rl_api_post_async (RlApi              *self,
                        const char         *path,
                        JsonNode           *body,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data);
/* version < 0: no If-Match. */
void rl_api_patch_async (RlApi              *self,
                         const char         *path,
                         JsonNode           *body,
                         gint64              version,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data);
void rl_api_delete_async (RlApi              *self,
                          const char         *path,
                          gint64              version,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data);
/* All four finish with rl_api_request_finish. */

/* Follows meta.pagination.nextCursor from the first page until it is null.
 * page_limit is sent as ?limit= (0: the server's default). With page_func,
 * each page goes to it as it arrives and nothing is collected; without,
 * the items are concatenated into *out_items. */
void rl_api_list_all_async (RlApi              *self,
                            const char         *path,
                            GHashTable         *query,
                            guint               page_limit,
                            RlApiPageFunc       page_func,
                            gpointer            page_data,
                            GDestroyNotify      page_data_free,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data);
/* out_items (may be NULL): the concatenated items when no page_func was
 * given, else an empty array. */
gboolean rl_api_list_all_finish (RlApi        *self,
                                 GAsyncResult *result,
                                 JsonArray   **out_items,
                                 guint        *out_n_pages,
                                 GError      **error);

/* GET /changes?since=&limit= → an envelope whose data is the entries
 * (array) and whose next_since (≥ 0, checked) / has_more are set. */
void        rl_api_changes_async (RlApi              *self,
                                  gint64              since,
                                  guint               limit,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data);
RlEnvelope *rl_api_changes_finish (RlApi        *self,
                                   GAsyncResult *result,
                                   GError      **error);

G_END_DECLS
