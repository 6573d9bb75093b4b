/* rl-sync-jobs-view-private.h — what the files of RlSyncJobsView share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-record-list.h"
#include "rl-sync-jobs-view.h"

G_BEGIN_DECLS

/* How many lag values the view keeps per job (what it has seen). */
#define RL_SYNC_JOBS_LAG_HISTORY 60

struct _RlSyncJobsView
{
  GtkWidget  parent_instance;
  RlSession *session;

  RlRecordList       *jobs;
  GtkSingleSelection *job_selection;
  RlRecordList       *log;
  GtkSingleSelection *log_selection;
  AdwToastOverlay    *toasts;
  GtkStack           *stack;
  AdwStatusPage      *error_page;
  GtkRevealer        *offline_revealer;
  GtkLabel           *offline_label;
  GtkColumnView      *jobs_view;
  GtkLabel           *job_label;
  GtkButton          *run_button;
  GtkButton          *pause_button;
  GtkButton          *resume_button;
  GtkButton          *edit_button;
  GtkButton          *conflicts_button;
  GtkLabel           *log_title;
  GtkSearchEntry     *record_entry;
  GtkDropDown        *status_dropdown;
  GtkDropDown        *operation_dropdown;
  GtkButton          *payload_button;
  GtkStack           *log_stack;
  AdwStatusPage      *log_empty_page;
  GtkColumnView      *log_view;

  GHashTable *lag_history; /* job id → GArray of guint32 seconds, oldest first */
  char       *job_id;      /* the selected job (its log is shown and watched) */
  guint       watch_id;
  gboolean    log_scroll_to_top;
  gulong      state_id;

  /* The edit waiting for the server's answer (online). */
  gint64 edit_row_id;
  gulong settled_id;
};

/* rl-sync-jobs-view-cells.c: the columns of both lists, and the words. */
void        rl_sync_jobs_view_add_job_columns (RlSyncJobsView *self);
void        rl_sync_jobs_view_add_log_columns (RlSyncJobsView *self);
void        rl_sync_jobs_view_record_lag (RlSyncJobsView *self,
                                          RlListItem     *item);
const char *rl_sync_jobs_status_label (RlSyncJobStatus status);
const char *rl_sync_jobs_strategy_label (RlConflictStrategy strategy);
char       *rl_sync_jobs_schedule_text (RlSyncMode  mode,
                                        const char *cron);

/* rl-sync-jobs-view-dialogs.c: Edit… and the payload viewer. */
void rl_sync_jobs_view_edit (RlSyncJobsView *self,
                             RlListItem     *job);
void rl_sync_jobs_view_show_payloads (RlSyncJobsView *self,
                                      RlListItem     *row);
void rl_sync_jobs_view_stop_edit (RlSyncJobsView *self);
void rl_sync_jobs_view_toast (RlSyncJobsView *self,
                              const char     *message);

G_END_DECLS
