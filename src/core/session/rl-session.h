/* rl-session.h — the console's session: store + API client + secrets, and its state.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rl-core-enums.h"
#include "rl-feed.h"

G_BEGIN_DECLS

typedef struct _RlApi   RlApi;
typedef struct _RlStore RlStore;

typedef enum
{
  RL_SESSION_STATE_SIGNED_OUT,
  RL_SESSION_STATE_ONLINE,
  RL_SESSION_STATE_OFFLINE,
  RL_SESSION_STATE_SYNCING,
} RlSessionState;

typedef enum
{
  RL_ROLE_NONE,
  RL_ROLE_DISPATCHER,
  RL_ROLE_SUPPORT,
  RL_ROLE_ADMIN,
} RlRole;

/* What the keyring looked like at the last check. */
typedef enum
{
  RL_KEYRING_UNKNOWN,
  RL_KEYRING_AVAILABLE,
  RL_KEYRING_LOCKED,
  RL_KEYRING_NO_SERVICE,
} RlKeyringState;

#define RL_SESSION_ERROR (rl_session_error_quark ())

typedef enum
{
  RL_SESSION_ERROR_NO_CREDENTIALS, /* nothing stored for this server and account */
  RL_SESSION_ERROR_NO_CACHE,       /* offline, and no cache to work from */
  RL_SESSION_ERROR_BUSY,           /* another sign-in / sync is running; an outbox row is being sent */
  RL_SESSION_ERROR_NO_CHANGE,      /* an edit changes nothing: nothing to send */
  RL_SESSION_ERROR_NOT_ALLOWED,    /* not something that can be sent (e.g. a conflict not open) */
} RlSessionError;

GQuark rl_session_error_quark (void);

#define RL_TYPE_SESSION (rl_session_get_type ())
G_DECLARE_FINAL_TYPE (RlSession, rl_session, RL, SESSION, GObject)

const char *rl_role_to_string (RlRole role);
RlRole      rl_role_from_string (const char *text);
gboolean    rl_role_may_see_page (RlRole      role,
                                  const char *page_name);

RlSession *rl_session_new (void);

/* Properties (all notify): state, role, server-url, user-email, user-name,
 * offline-since (ms, 0 when online), pending-changes, last-sync (ms, 0 never),
 * sync-progress (0–1, or -1 when not syncing), api-reachable, keyring-state,
 * cache-size (bytes), quarantined (entries the sync could not apply),
 * feed, feed-state (the feed's state, STOPPED while there is no feed),
 * store (the signed-in server's cache, NULL while signed out: the list
 * models of the pages bind to it, docs/lists.md). pending-changes counts
 * the outbox rows waiting to be sent; the sync engine adds syncing,
 * draining, pull-interval, last-sync-error, has-sync-error, next-retry,
 * failed-changes, open-conflicts and auto-drain (rl-sync-engine.h). */
RlSessionState rl_session_get_state (RlSession *self);
RlRole         rl_session_get_role (RlSession *self);
const char    *rl_session_get_server_url (RlSession *self);
const char    *rl_session_get_user_email (RlSession *self);
const char    *rl_session_get_user_name (RlSession *self);
gint64         rl_session_get_offline_since (RlSession *self);
guint          rl_session_get_pending_changes (RlSession *self);
gint64         rl_session_get_last_sync (RlSession *self);
/* How many drop point and alert records the last pull applied (what the map
 * draws; 0: nothing new for it; G_MAXUINT after a full reload); read it in
 * a handler of notify::last-sync. */
guint          rl_session_get_last_sync_point_changes (RlSession *self);
double         rl_session_get_sync_progress (RlSession *self);
gboolean       rl_session_get_api_reachable (RlSession *self);
RlKeyringState rl_session_get_keyring_state (RlSession *self);
gint64         rl_session_get_cache_size (RlSession *self);
guint          rl_session_get_quarantined (RlSession *self);

/* NULL while signed out. */
RlStore *rl_session_get_store (RlSession *self);
RlApi   *rl_session_get_api (RlSession *self);

/* How often connectivity is probed (GET /health/live) while signed in;
 * default 5000 ms. Tests shorten it. */
void rl_session_set_probe_interval (RlSession *self,
                                    guint      interval_ms);
/* Optional CA file (PEM) for TLS to the server. */
void rl_session_set_ca_file (RlSession  *self,
                             const char *ca_file);

/* Signs in with a password: tokens go to the keyring, the server's cache is
 * opened, state becomes ONLINE and a sync starts. @server_url goes through
 * rl_url_validate_server. Errors: RL_URL_ERROR_* for the address, RL_ERROR_*
 * from the server (e.g. UNAUTHORIZED with the server's message),
 * RL_SECRETS_ERROR_*. */
void     rl_session_sign_in_async (RlSession          *self,
                                   const char         *server_url,
                                   const char         *email,
                                   const char         *password,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
gboolean rl_session_sign_in_finish (RlSession    *self,
                                    GAsyncResult *result,
                                    GError      **error);

/* Signs in again without a password from the refresh token in the keyring.
 * Server unreachable but a cache exists → TRUE, state OFFLINE (it keeps
 * probing and turns ONLINE when the server answers). No stored token →
 * RL_SESSION_ERROR_NO_CREDENTIALS; refresh refused → RL_ERROR_UNAUTHORIZED. */
void     rl_session_restore_async (RlSession          *self,
                                   const char         *server_url,
                                   const char         *email,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
gboolean rl_session_restore_finish (RlSession    *self,
                                    GAsyncResult *result,
                                    GError      **error);

/* Clears this account's tokens from the keyring and returns to SIGNED_OUT.
 * The cache stays (each server keeps its own file). */
void     rl_session_sign_out_async (RlSession          *self,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
gboolean rl_session_sign_out_finish (RlSession    *self,
                                     GAsyncResult *result,
                                     GError      **error);

/* Pulls /changes from the stored cursor into the cache (state SYNCING with
 * progress), page by page, each page and its cursor in one transaction;
 * 410 SYNC_RESET_REQUIRED reloads from 0. */
void     rl_session_sync_async (RlSession          *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data);
gboolean rl_session_sync_finish (RlSession    *self,
                                 GAsyncResult *result,
                                 GError      **error);

/* Live telemetry (rl-feed.h) into this session's cache. The app starts it
 * with the broker settings and the password from the keyring; it stops on
 * sign-out, and learns new devices after each sync. Property "feed". */
gboolean    rl_session_start_feed (RlSession          *self,
                                   const RlFeedConfig *config,
                                   GError            **error);
void        rl_session_stop_feed (RlSession *self);
RlFeed     *rl_session_get_feed (RlSession *self);
RlFeedState rl_session_get_feed_state (RlSession *self);

/* Completes once the tokens handed to the keyring so far are written (a
 * sign-in finishes before its tokens are: a process about to exit waits
 * here; --sign-in does). */
void     rl_session_flush_secrets_async (RlSession          *self,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean rl_session_flush_secrets_finish (RlSession    *self,
                                          GAsyncResult *result,
                                          GError      **error);

/* Reads the keyring's state again (after an unlock, for example); the
 * property keyring-state changes when the answer comes. */
void rl_session_check_keyring (RlSession *self);

G_END_DECLS
