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
/* Property "summary": the short text shown in the header
 * (rl_status_format_summary). */
const char *rl_status_indicator_get_summary (RlStatusIndicator *self);

/* What the header's summary says. */
typedef struct
{
  RlSessionState state;
  gint64         offline_since_ms; /* 0: unknown */
  guint          pending_changes;  /* outbox rows waiting to be sent */
  guint          failed_changes;   /* outbox rows refused, waiting for the user */
  guint          open_conflicts;
  double         sync_progress; /* of a running full sync, -1 when unknown */
  gboolean       sync_error;    /* the last pull or drain failed: retrying */
} RlStatusFacts;

/* Pure helpers, shared with the tests. "Online", "Syncing… 42 %",
 * "Offline since 10:42 · 3 changes waiting · 1 conflict", "Sync failing,
 * retrying · 2 changes waiting". */
char       *rl_status_format_summary (const RlStatusFacts *facts);
const char *rl_status_describe_keyring (RlKeyringState state);

G_END_DECLS
