/* rl-feed-dialog.h — the Feed dialog: support's view of whether the live feed is healthy.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_FEED_DIALOG (rl_feed_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RlFeedDialog, rl_feed_dialog, RL, FEED_DIALOG, AdwWindow)

/* Transient for @parent; its buttons use @parent's "win" actions
 * (win.feed-record, win.feed-replay, win.export-readings). */
RlFeedDialog *rl_feed_dialog_new (GtkWindow *parent,
                                  RlSession *session);
RlSession    *rl_feed_dialog_get_session (RlFeedDialog *self);
/* Reads the figures now (the dialog does it every second while shown). */
void rl_feed_dialog_refresh (RlFeedDialog *self);
/* The devices' list model (RlFeedDeviceItem, property "device-id" …) and
 * whether a query for it is under way. */
GListModel *rl_feed_dialog_get_devices (RlFeedDialog *self);
gboolean    rl_feed_dialog_get_devices_loading (RlFeedDialog *self);

G_END_DECLS
