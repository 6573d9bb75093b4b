/* rl-store-outages.h — the live feed's outages in the cache (docs/feed.md
 * "Several brokers", docs/storage.md v9).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-store.h"

G_BEGIN_DECLS

/* From when the feed lost its broker (wall clock, UTC ms) to when it was
 * subscribed again; the node it lost and the one it came back on. */
typedef struct
{
  gint64 from_ms;
  gint64 to_ms;
  char  *lost_url;    /* NULL: not known */
  char  *resumed_url; /* NULL: not known */
} RlStoreFeedOutage;

void rl_store_feed_outage_free (gpointer data);

gboolean rl_store_add_feed_outage (RlStore    *self,
                                   gint64      from_ms,
                                   gint64      to_ms,
                                   const char *lost_url,
                                   const char *resumed_url,
                                   GError    **error);
/* RlStoreFeedOutage*, oldest first; NULL and @error on failure. */
GPtrArray *rl_store_list_feed_outages (RlStore *self,
                                       GError **error);

G_END_DECLS
