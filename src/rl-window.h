/* rl-window.h — the main window: sign-in, then the five pages.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_WINDOW (rl_window_get_type ())
G_DECLARE_FINAL_TYPE (RlWindow, rl_window, RL, WINDOW, AdwApplicationWindow)

/* application may be NULL (widget tests). @session is the "session"
 * property (construct-only) every page receives by a binding. */
RlWindow *rl_window_new (gpointer   application,
                         RlSession *session,
                         GSettings *settings);
/* What to show first: with demo_account, sign in with demo_password; else
 * restore a stored sign-in for the remembered server and account; else the
 * sign-in page. server_url overrides the remembered server. */
void rl_window_start (RlWindow   *self,
                      const char *server_url,
                      const char *demo_account,
                      const char *demo_password);
void rl_window_sign_out (RlWindow *self);
void rl_window_show_toast (RlWindow   *self,
                           const char *message);

/* Shows the pages the role may use and hides the others. */
void rl_window_apply_role (RlWindow *self,
                           RlRole    role);
/* Whether a page ("map", "alerts", "providers", "activity", "conflicts") is
 * one a role may use. */
gboolean rl_window_role_may_see (RlRole      role,
                                 const char *page_name);

RlSession    *rl_window_get_session (RlWindow *self);
AdwViewStack *rl_window_get_view_stack (RlWindow *self);
/* "loading", "sign-in" or "main". */
const char *rl_window_get_view (RlWindow *self);

G_END_DECLS
