/* rl-ui-format.h — how the console words times, kinds of record and strategies.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "rl-list-enums.h"

G_BEGIN_DECLS

/* A wall-clock time (UTC ms) in local time: "10:42" today, "21 Nov 10:42"
 * another day; "—" for 0 or an impossible time. */
char *rl_ui_format_time_ms (gint64 ms);
/* The same for an RFC 3339 time of the wire; "—" when it is NULL or not one. */
char *rl_ui_format_time (const char *rfc3339);

/* A kind of record as people say it ("Drop point"); kinds the console does
 * not know (a sync job may carry customers, invoices…) as they come. */
const char *rl_ui_entity_label (const char *entity);

/* A conflict strategy as people say it ("Kept this console's", …). */
const char *rl_ui_strategy_label (RlConflictStrategy strategy);

/* A provider kind ("Payment"), type ("Stripe"; brand names as they are),
 * role ("Fallback") and health ("Circuit open") as people say them; kinds
 * and types the console does not know as the server names them. */
const char *rl_ui_provider_kind_label (const char *kind);
const char *rl_ui_provider_type_label (const char *type);
const char *rl_ui_provider_role_label (RlProviderRole role);
const char *rl_ui_provider_health_label (RlProviderHealth health);

G_END_DECLS
