/* rl-preferences-window.h — the settings, bound to GSettings and the keyring.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_PREFERENCES_WINDOW (rl_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (
    RlPreferencesWindow, rl_preferences_window, RL, PREFERENCES_WINDOW, AdwPreferencesWindow)

RlPreferencesWindow *rl_preferences_window_new (GtkWindow *parent,
                                                RlSession *session,
                                                GSettings *settings);
/* Shows the map source rows (the map's "Choose a Map Source…"). */
void rl_preferences_window_show_map_source (RlPreferencesWindow *self);

G_END_DECLS
