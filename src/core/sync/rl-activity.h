/* rl-activity.h — RlSession: runs, run logs and sync logs, fetched into the cache.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs, run logs and sync-log rows are not in /changes (contract §2): the
 * session fetches them from their paged endpoints, newest first, until a
 * page holds a record the cache already has unchanged, and writes each page
 * in one transaction (rl-store-activity.h), so the record lists of kind
 * runs and sync_log update live. What is on screen is watched: fetched at
 * once, then every 10 s while watched. See docs/activity.md.
 */
#pragma once

#include "rl-session.h"

G_BEGIN_DECLS

typedef enum
{
  RL_ACTIVITY_WORKFLOW_RUNS, /* id: a workflow; GET /workflows/{id}/runs */
  RL_ACTIVITY_RUN,           /* id: a run; GET /runs/{id} and /runs/{id}/log */
  RL_ACTIVITY_SYNC_LOG,      /* id: a sync job; GET /sync/jobs/{id}/log */
} RlActivityTarget;

/* Seconds between two refreshes of what is watched. */
#define RL_ACTIVITY_WATCH_INTERVAL_S 10

typedef struct
{
  guint pages;   /* pages fetched */
  guint written; /* records (or log lines) written to the cache */
  guint known;   /* records the cache had unchanged (where the fetch stopped) */
} RlActivityStats;

/* Fetches @target into the cache. Offline or signed out, it fails at once
 * (G_IO_ERROR_NETWORK_UNREACHABLE, RL_SESSION_ERROR_NO_CREDENTIALS) and
 * sends nothing; the cache is left as it was. */
void     rl_session_fetch_activity_async (RlSession          *self,
                                          RlActivityTarget    target,
                                          const char         *id,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
gboolean rl_session_fetch_activity_finish (RlSession       *self,
                                           GAsyncResult    *result,
                                           RlActivityStats *out_stats,
                                           GError         **error);

/* While a view shows @target: fetched now (when online), then every
 * RL_ACTIVITY_WATCH_INTERVAL_S. Also turns on the refresh of every
 * workflow's runs and every job's sync log after each periodic pull, for
 * the rest of the session. Returns a watch id (> 0) for
 * rl_session_unwatch_activity. */
guint rl_session_watch_activity (RlSession       *self,
                                 RlActivityTarget target,
                                 const char      *id);
void  rl_session_unwatch_activity (RlSession *self,
                                   guint      watch_id);

/* TRUE while refreshes started by watches or after a pull are under way
 * (a view may show a spinner). */
gboolean rl_session_get_activity_refreshing (RlSession *self);

/* Retention (property "activity-retention-days", 1–365, default 30, the
 * GSettings key of the same name): drops finished runs, their logs and
 * sync-log rows older than that now. The session also does it after a
 * periodic pull, at most every 10 minutes. Returns the rows dropped, -1 on
 * error. */
gint64 rl_session_prune_activity (RlSession *self,
                                  GError   **error);

G_END_DECLS
