/* rl-conflicts-page.h — the conflicts page of the main view.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-page.h"

G_BEGIN_DECLS

#define RL_TYPE_CONFLICTS_PAGE (rl_conflicts_page_get_type ())
G_DECLARE_FINAL_TYPE (RlConflictsPage, rl_conflicts_page, RL, CONFLICTS_PAGE, RlPage)

G_END_DECLS
