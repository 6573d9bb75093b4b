/* rl-activity-page.h — the activity page of the main view.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-page.h"
#include "rl-record-list.h"

G_BEGIN_DECLS

#define RL_TYPE_ACTIVITY_PAGE (rl_activity_page_get_type ())
G_DECLARE_FINAL_TYPE (RlActivityPage, rl_activity_page, RL, ACTIVITY_PAGE, RlPage)

/* The runs view's list (for tests and the bench). */
RlRecordList *rl_activity_page_get_runs (RlActivityPage *self);
/* The workflows view's list. */
RlRecordList *rl_activity_page_get_workflows (RlActivityPage *self);
/* Opens the detail of run @run_id (an RlRunDetail window over the page's
 * window) and returns it. */
GtkWindow *rl_activity_page_open_run (RlActivityPage *self,
                                      const char     *run_id);

G_END_DECLS
