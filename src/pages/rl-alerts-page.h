/* rl-alerts-page.h — the alerts inbox: the cache's alerts, filtered and sorted, acted on.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-page.h"
#include "rl-record-list.h"

G_BEGIN_DECLS

#define RL_TYPE_ALERTS_PAGE (rl_alerts_page_get_type ())
G_DECLARE_FINAL_TYPE (RlAlertsPage, rl_alerts_page, RL, ALERTS_PAGE, RlPage)

/* The open HIGH and MEDIUM alerts (property "attention"): the tab's badge. */
guint rl_alerts_page_get_attention (RlAlertsPage *self);
/* Turns the saved filter "Open High" on. */
void rl_alerts_page_show_open_high (RlAlertsPage *self);
/* For tests: the list on show. */
RlRecordList *rl_alerts_page_get_list (RlAlertsPage *self);

G_END_DECLS
