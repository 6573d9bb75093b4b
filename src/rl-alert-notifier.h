/* rl-alert-notifier.h — a desktop notification for each new HIGH alert.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GIO only (no GTK): the application owns one. Alerts that reach the
 * session's cache after it opened (rl-alert-watch.h) are gathered until
 * 750 ms pass without one (5 s at most) and become one notification, or one
 * coalesced notification
 * ("12 bins are full"). Default actions: app.show-on-map (s: the drop
 * point) for one, app.show-open-high-alerts for several. Off while the
 * GSettings key notify-high-alerts is false. Withdrawn once every alert it
 * tells of is acknowledged or resolved. See docs/feed.md "Notifications".
 */
#pragma once

#include <gio/gio.h>

#include "rl-alert-watch.h"
#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_ALERT_NOTIFIER (rl_alert_notifier_get_type ())
G_DECLARE_FINAL_TYPE (RlAlertNotifier, rl_alert_notifier, RL, ALERT_NOTIFIER, GObject)

RlAlertNotifier *rl_alert_notifier_new (GApplication *application,
                                        RlSession    *session,
                                        GSettings    *settings);
/* The quiet period that ends a gathering (default 750 ms). */
void rl_alert_notifier_set_coalesce_ms (RlAlertNotifier *self,
                                        guint            ms);
/* Notifications sent since it was made (tests). */
guint rl_alert_notifier_get_n_sent (RlAlertNotifier *self);

/* The words of a notification about @alerts (RlWatchedAlert *, at least
 * one), and its default action: "app.show-on-map" with the drop point's id
 * for one alert with a drop point, else "app.show-open-high-alerts" (NULL
 * target). */
void rl_alert_notification_words (GPtrArray *alerts,
                                  char     **out_title,
                                  char     **out_body,
                                  char     **out_action,
                                  GVariant **out_target);

G_END_DECLS
