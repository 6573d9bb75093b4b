/* rl-activity-page-private.h — what the Activity page's files share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-activity-page.h"
#include "rl-core-enums.h"
#include "rl-record-list.h"

G_BEGIN_DECLS

struct _RlActivityPage
{
  RlPage parent_instance;

  AdwViewStack *view_stack;
  GtkWidget    *offline_box;

  /* Runs (rl-activity-runs.c) */
  RlRecordList      *runs;
  GtkMultiSelection *runs_selection;
  GtkColumnView     *runs_view;
  GtkSearchEntry    *runs_search;
  GtkDropDown       *status_dropdown;
  GtkDropDown       *workflow_dropdown;
  GtkDropDown       *time_dropdown;
  GtkToggleButton   *failed_today_button;
  GtkStack          *runs_stack;
  AdwStatusPage     *runs_empty_page;
  AdwStatusPage     *runs_error_page;
  GtkLabel          *runs_count_label;
  GtkButton         *details_button;
  GtkButton         *cancel_button;
  GtkButton         *retry_button;
  GtkStringList     *workflow_names; /* the drop-down's rows: "All workflows", then names */
  GPtrArray         *workflow_ids;   /* the ids of those rows (NULL for "all") */
  gboolean           syncing_filters;
  gboolean           scroll_to_top;

  /* Workflows (rl-activity-workflows.c) */
  RlRecordList       *workflows;
  GtkSingleSelection *workflows_selection;
  GtkColumnView      *workflows_view;
  GtkStack           *workflows_stack;
  AdwStatusPage      *workflows_empty_page;
  AdwStatusPage      *workflows_error_page;
  GtkLabel           *workflows_count_label;
  GtkButton          *show_runs_button;
  GtkButton          *run_now_button;
  guint               rates_timeout; /* the success rates read again after runs changed */
  GObject            *monitor;       /* RlStoreMonitor of the lists' store: runs changed */

  /* Activity watches while the page is mapped (rl_session_watch_activity). */
  GArray    *watches;
  RlSession *watch_session; /* whose watches they are */
};

/* Closures the templates share. */
char *rl_activity_run_status_icon (gpointer    this_,
                                   RlRunStatus status);
char *rl_activity_run_status_text (gpointer    this_,
                                   RlRunStatus status);
char *rl_activity_duration_text (gpointer this_,
                                 gint64   ms);
char *rl_activity_time_text (gpointer this_,
                             gint64   ms);
/* Strips @time's leading padding in place; returns it. */
char *rl_activity_unpad (char *time);

/* rl-activity-runs.c */
void rl_activity_runs_class_init (GtkWidgetClass *widget_class);
void rl_activity_runs_init (RlActivityPage *self);
void rl_activity_runs_update_state (RlActivityPage *self);
void rl_activity_runs_show_workflow (RlActivityPage *self,
                                     const char     *workflow_id);
void rl_activity_runs_workflows_changed (RlActivityPage *self);

/* rl-activity-workflows.c */
void rl_activity_workflows_class_init (GtkWidgetClass *widget_class);
void rl_activity_workflows_init (RlActivityPage *self);
void rl_activity_workflows_update_state (RlActivityPage *self);
void rl_activity_workflows_dispose (RlActivityPage *self);

/* rl-activity-page.c: watches what the page shows again (the workflows changed). */
void rl_activity_page_rewatch (RlActivityPage *self);

G_END_DECLS
