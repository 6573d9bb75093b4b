/* rl-feed-dialog-nodes.h — the Feed dialog's list of brokers.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-feed.h"

G_BEGIN_DECLS

/* Shows every broker of @feed's list (NULL: none) in @group, one row each
 * in @rows (AdwActionRow*, kept between calls): its URL, whether the feed
 * is on it and since when, its last error and when; the group is hidden
 * while the list is empty. */
void rl_feed_dialog_nodes_update (AdwPreferencesGroup *group,
                                  GPtrArray           *rows,
                                  RlFeed              *feed);

G_END_DECLS
