/* rl-sync-jobs-view.h — the Activity page's sync jobs: the jobs, their
 * actions and settings, and each job's sync log with its payloads.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_SYNC_JOBS_VIEW (rl_sync_jobs_view_get_type ())
G_DECLARE_FINAL_TYPE (RlSyncJobsView, rl_sync_jobs_view, RL, SYNC_JOBS_VIEW, GtkWidget)

/* Property "session" (RlSession, may be NULL): what it shows. */
RlSession *rl_sync_jobs_view_get_session (RlSyncJobsView *self);
void       rl_sync_jobs_view_set_session (RlSyncJobsView *self,
                                          RlSession      *session);

G_END_DECLS
