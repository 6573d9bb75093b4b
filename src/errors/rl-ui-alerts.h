/* rl-ui-alerts.h — the words the console shows for its own alerts: the
 * texts core writes into the cache for feed and local alerts are English
 * (for logs and search); the UI says them here, in its language.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-list-enums.h"
#include "rl-list-item.h"

G_BEGIN_DECLS

/* Where an alert comes from, for a column or a filter: "Server", "Sensor"
 * (a bin's own message), "Console rule" (a local rule on its readings). */
const char *rl_ui_alert_source_label (RlAlertSource source);

/* An alert's message: a local rule's worded from its figures ("Fill level
 * 92 % is above 85 %"); any other alert's as it came (the server's or the
 * bin's own text), "" when it has none. */
char *rl_ui_alert_message (RlAlertItem *item);

/* An alert's resolution note: one resolved by its condition clearing
 * ("Resolved automatically: fill level back to 12 %") or replaced by the
 * server's alert, worded here; any other note as written; NULL when none. */
char *rl_ui_alert_resolved_note (RlAlertItem *item);

G_END_DECLS
