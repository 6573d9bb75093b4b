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
  guint          last_sync_point_changes; /* drop points and alerts the last pull applied */
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
  /* The sync engine (src/core/sync: rl-session-engine.c, rl-outbox-drain.c). */
  guint                  pull_interval_s;
  guint                  pull_source;
  guint                  pull_failures;
  gboolean               pull_running;
  guint                  pull_generation; /* bumped on sign-out: late answers are dropped */
  gboolean               pull_again;
  GPtrArray             *pull_waiters;      /* GTask*: of the pull under way */
  GPtrArray             *pull_waiters_next; /* GTask*: of the next one */
  GError                *pull_error;
  GError                *drain_error;
  GError                *sync_error; /* the newer of the two: last-sync-error */
  gint64                 next_retry;
  guint                  failed_changes;
  guint                  open_conflicts;
  gboolean               auto_drain;
  gboolean               draining;
  struct _RlOutboxDrain *drain;
  /* The local alert rules, given to the feed (rl-session-feed.c). */
  double fill_alert_threshold;
  double battery_alert_threshold;
  double temperature_alert_threshold;
  guint  offline_after_minutes;
  /* Runs, run logs and sync logs (src/core/sync/rl-activity.c). */
  struct _RlSessionActivity *activity;
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

/* rl-session-engine.c: the sync engine's properties, signal and pull. */
typedef enum
{
  RL_SYNC_ERROR_PULL,
  RL_SYNC_ERROR_DRAIN,
} RlSyncErrorSource;

/* Installs the engine's properties after @first_prop_id; returns the
 * last id it used. */
guint rl_session_engine_class_init (GObjectClass *klass,
                                    guint         first_prop_id);
void  rl_session_engine_init (RlSession *self);
/* Sign-out, dispose: stops timers, fails waiters, forgets the drain. */
void     rl_session_engine_reset (RlSession *self);
void     rl_session_engine_finalize (RlSession *self);
gboolean rl_session_engine_get_property (RlSession *self,
                                         guint      prop_id,
                                         GValue    *value);
gboolean rl_session_engine_set_property (RlSession    *self,
                                         guint         prop_id,
                                         const GValue *value);
/* The engine's figures from the store (failed changes, open conflicts). */
void rl_session_engine_update_figures (RlSession *self);
void rl_session_set_syncing (RlSession *self,
                             gboolean   syncing);
void rl_session_set_draining (RlSession *self,
                              gboolean   draining);
void rl_session_set_next_retry (RlSession *self,
                                gint64     when_ms);
/* @error NULL clears what @source set. */
void rl_session_set_sync_error (RlSession        *self,
                                RlSyncErrorSource source,
                                const GError     *error);
void rl_session_emit_outbox_settled (RlSession    *self,
                                     gint64        row_id,
                                     int           outcome,
                                     const char   *conflict_id,
                                     const GError *error);
/* A pull as soon as none runs (coalesced). */
void rl_session_request_pull (RlSession *self);

/* rl-session-feed.c: the alert rules' properties, after @first_prop_id;
 * returns the last id it used. */
guint    rl_session_feed_class_init (GObjectClass *klass,
                                     guint         first_prop_id);
void     rl_session_feed_init (RlSession *self);
gboolean rl_session_feed_get_property (RlSession *self,
                                       guint      prop_id,
                                       GValue    *value);
gboolean rl_session_feed_set_property (RlSession    *self,
                                       guint         prop_id,
                                       const GValue *value);

/* rl-activity.c: the retention property (after @first_prop_id; returns
 * the last id it used), the watches, and what a successful pull starts. */
typedef struct _RlSessionActivity RlSessionActivity;
guint                             rl_session_activity_class_init (GObjectClass *klass,
                                                                  guint         first_prop_id);
void                              rl_session_activity_init (RlSession *self);
void                              rl_session_activity_dispose (RlSession *self);
gboolean                          rl_session_activity_get_property (RlSession *self,
                                                                    guint      prop_id,
                                                                    GValue    *value);
gboolean                          rl_session_activity_set_property (RlSession    *self,
                                                                    guint         prop_id,
                                                                    const GValue *value);
void                              rl_session_activity_pulled (RlSession *self);

/* rl-outbox-drain.c */
typedef struct _RlOutboxDrain RlOutboxDrain;

/* A drain pass as soon as none runs, if automatic draining is on and the
 * server is reachable. */
void rl_session_request_drain (RlSession *self);
/* The same, sending rows that wait on a back-off too: the server just
 * answered (reconnection, a successful pull). */
void rl_session_request_drain_now (RlSession *self);
void rl_outbox_drain_free (RlOutboxDrain *drain);
/* The row is being sent (or about to be): the user may not change it. */
gboolean rl_outbox_drain_is_busy (RlSession *self,
                                  gint64     row_id);
/* Forgets row @row_id if it waits to be sent (the user changed it). */
void rl_outbox_drain_forget (RlSession *self,
                             gint64     row_id);

G_END_DECLS
