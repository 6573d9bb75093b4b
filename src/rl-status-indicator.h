/* rl-status-indicator.h — the header bar's connection status and its popover.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_STATUS_INDICATOR (rl_status_indicator_get_type ())
G_DECLARE_FINAL_TYPE (RlStatusIndicator, rl_status_indicator, RL, STATUS_INDICATOR, GtkWidget)

RlSession *rl_status_indicator_get_session (RlStatusIndicator *self);
void       rl_status_indicator_set_session (RlStatusIndicator *self,
                                            RlSession         *session);
/* Property "mqtt-url": the broker the console was told to use ("" or
 * NULL: none set up). */
void rl_status_indicator_set_mqtt_url (RlStatusIndicator *self,
                                       const char        *mqtt_url);
/* Property "compact": the icon only (the text stays the button's
 * accessible name and tooltip); for narrow windows. */
void     rl_status_indicator_set_compact (RlStatusIndicator *self,
                                          gboolean           compact);
gboolean rl_status_indicator_get_compact (RlStatusIndicator *self);
/* Property "summary": the short text shown in the header ("Online",
 * "Offline since 10:42 · 3 changes waiting"). */
const char *rl_status_indicator_get_summary (RlStatusIndicator *self);

/* Pure helpers, shared with the tests. */
char       *rl_status_format_summary (RlSessionState state,
                                      gint64         offline_since_ms,
                                      guint          pending_changes,
                                      double         sync_progress);
const char *rl_status_describe_keyring (RlKeyringState state);

G_END_DECLS
