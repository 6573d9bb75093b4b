/* rl-application.h — the ReLoop Console application object.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-alert-notifier.h"
#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_APPLICATION (rl_application_get_type ())
G_DECLARE_FINAL_TYPE (RlApplication, rl_application, RL, APPLICATION, AdwApplication)

RlApplication *rl_application_new (void);
RlSession     *rl_application_get_session (RlApplication *self);
GSettings     *rl_application_get_settings (RlApplication *self);
/* The brokers of --mqtt (normalised, in order), or NULL when not given. */
const char *const *rl_application_get_mqtt_urls (RlApplication *self);
/* The desktop notifications of new HIGH alerts. */
RlAlertNotifier *rl_application_get_alert_notifier (RlApplication *self);
/* The exit status of a --sync-once run in this process (0 otherwise). */
int rl_application_get_cli_status (RlApplication *self);

G_END_DECLS
