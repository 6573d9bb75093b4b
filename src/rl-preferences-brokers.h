/* rl-preferences-brokers.h — the broker list of Preferences and of the
 * settings (docs/feed.md "Several brokers").
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The configured broker URLs in order: the "mqtt-urls" key, or while it is
 * empty the "mqtt-url" key of earlier versions (when set). Never NULL. */
GStrv rl_settings_dup_mqtt_urls (GSettings *settings);

/* Shows @message under @row's group (NULL clears it): the window's. */
typedef void (*RlBrokerMessageFunc) (GtkLabel    *label,
                                     AdwEntryRow *row,
                                     const char  *message);

typedef struct _RlBrokerRows RlBrokerRows;

/* @first_row is the "Broker URL" row (the first broker); each other broker
 * gets a row of its own in @group, with a button to remove it; @add_button
 * adds an empty one. Every row is checked with rl_url_validate_broker when
 * applied; the list is stored in "mqtt-urls" (and "mqtt-url" cleared). */
RlBrokerRows *rl_broker_rows_new (GSettings           *settings,
                                  AdwEntryRow         *first_row,
                                  AdwPreferencesGroup *group,
                                  GtkButton           *add_button,
                                  GtkLabel            *message,
                                  RlBrokerMessageFunc  show_message);
void          rl_broker_rows_free (RlBrokerRows *rows);
/* The first row's apply and changed handlers. */
void rl_broker_rows_apply_first (RlBrokerRows *rows);
void rl_broker_rows_recheck_first (RlBrokerRows *rows);

G_END_DECLS
