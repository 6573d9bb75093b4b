/* rl-conflicts-page.h — the sync conflicts: a list of the cache's conflicts, and one of them field by field.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-conflict-view.h"
#include "rl-page.h"
#include "rl-record-list.h"

G_BEGIN_DECLS

#define RL_TYPE_CONFLICTS_PAGE (rl_conflicts_page_get_type ())
G_DECLARE_FINAL_TYPE (RlConflictsPage, rl_conflicts_page, RL, CONFLICTS_PAGE, RlPage)

void rl_conflicts_page_show_conflict (RlConflictsPage *self,
                                      const char      *id);

/* For tests: the detail view and the list. */
RlConflictView *rl_conflicts_page_get_view (RlConflictsPage *self);
RlRecordList   *rl_conflicts_page_get_list (RlConflictsPage *self);

G_END_DECLS
