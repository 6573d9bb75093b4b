/* rl-alert-watch.h — the open HIGH alerts that reach the cache after a mark,
 * from any source, told on the main thread (the desktop notifications).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mark is the highest alerts rowid when the watch is made: a row above
 * it arrived later (rows are upserted by id, so an update keeps its rowid).
 * The watch follows the store monitor's "changed" and never polls. See
 * docs/feed.md "Notifications".
 */
#pragma once

#include <gio/gio.h>

#include "rl-list-enums.h"
#include "rl-store.h"

G_BEGIN_DECLS

/* One alert, as "opened" tells it. */
typedef struct
{
  char         *id;
  char         *drop_point_id;   /* may be NULL */
  char         *drop_point_name; /* the cached drop point's name, or NULL */
  char         *device_id;       /* may be NULL */
  char         *type;            /* wire value, "FULL_BIN" */
  RlAlertSource source;
} RlWatchedAlert;

void rl_watched_alert_free (RlWatchedAlert *alert);

#define RL_TYPE_ALERT_WATCH (rl_alert_watch_get_type ())
G_DECLARE_FINAL_TYPE (RlAlertWatch, rl_alert_watch, RL, ALERT_WATCH, GObject)

/* Marks the alerts cached now as seen. Signals:
 * "opened" (GPtrArray *alerts of RlWatchedAlert *): open HIGH alerts whose
 *   rows arrived after the mark, oldest first, each told once;
 * "closed" (GStrv ids): alerts told by "opened" that are no longer open
 *   (acknowledged, resolved, or gone). */
RlAlertWatch *rl_alert_watch_new (RlStore *store);
/* While TRUE, server alerts that arrive are marked seen without a word (the
 * first full load of a cache: they are not new to the network). */
void rl_alert_watch_set_skip_server (RlAlertWatch *self,
                                     gboolean      skip);
/* Reads what arrived now instead of at the next "changed" (tests). */
void rl_alert_watch_check (RlAlertWatch *self);

G_END_DECLS
