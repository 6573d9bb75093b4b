/* rl-session-private.h — what rl-session.c and rl-session-sync.c share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-api.h"
#include "rl-feed.h"
#include "rl-session.h"
#include "rl-store-monitor.h"
#include "rl-store.h"

G_BEGIN_DECLS

struct _RlSession
{
  GObject parent_instance;

  RlSessionState state;
  RlRole         role;
  char          *server_url;
  char          *user_email;
  char          *user_name;
  gint64         offline_since;
  guint          pending_changes;
  gint64         last_sync;
  double         sync_progress;
  gboolean       api_reachable;
  RlKeyringState keyring_state;
  gint64         cache_size;
  guint          quarantined;

  RlApi          *api;
  RlStore        *store;
  RlStoreMonitor *monitor; /* on store: keeps the figures below current */
  RlFeed         *feed;
  char           *ca_file;

  /* Cancelled on sign-out and dispose: everything the session started. */
  GCancellable *cancellable;
  guint         probe_interval_ms;
  guint         probe_source;
  gboolean      probe_in_flight;
  gboolean      syncing;
  gboolean      busy;

  /* Token writes to the keyring not finished yet, and who waits for them
   * (rl_session_flush_secrets_async). */
  guint      secrets_in_flight;
  GPtrArray *secrets_waiters; /* GTask* */
};

void     rl_session_update_state (RlSession     *self,
                                  RlSessionState state);
void     rl_session_update_reachable (RlSession *self,
                                      gboolean   reachable);
void     rl_session_update_sync_progress (RlSession *self,
                                          double     progress);
void     rl_session_update_store_figures (RlSession *self);
void     rl_session_set_store (RlSession *self,
                               RlStore   *store);
gboolean rl_session_error_is_unreachable (const GError *error);
void     rl_session_start_background_sync (RlSession *self);

G_END_DECLS
