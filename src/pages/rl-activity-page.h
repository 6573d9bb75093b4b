/* rl-activity-page.h — the activity page of the main view.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-page.h"

G_BEGIN_DECLS

#define RL_TYPE_ACTIVITY_PAGE (rl_activity_page_get_type ())
G_DECLARE_FINAL_TYPE (RlActivityPage, rl_activity_page, RL, ACTIVITY_PAGE, RlPage)

G_END_DECLS
