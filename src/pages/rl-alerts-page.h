/* rl-alerts-page.h — the alerts page of the main view.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-page.h"

G_BEGIN_DECLS

#define RL_TYPE_ALERTS_PAGE (rl_alerts_page_get_type ())
G_DECLARE_FINAL_TYPE (RlAlertsPage, rl_alerts_page, RL, ALERTS_PAGE, RlPage)

G_END_DECLS
