/* rl-window-private.h — what rl-window.c and rl-window-actions.c share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-sign-in-page.h"
#include "rl-status-indicator.h"
#include "rl-window.h"

G_BEGIN_DECLS

struct _RlWindow
{
  AdwApplicationWindow parent_instance;

  RlSession     *session;
  GSettings     *settings;
  GCancellable  *cancellable;
  gboolean       signing_out;
  RlKeyringState keyring_state_shown;
  gboolean       feed_started;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkBox               *sign_in_box;
  GtkSpinner           *loading_spinner;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack         *view_stack;
  RlStatusIndicator    *status_indicator;
  RlSignInPage         *sign_in_page;
  GtkWidget            *map_page;
  GtkWidget            *alerts_page;
  GtkWidget            *providers_page;
  GtkWidget            *activity_page;
  GtkWidget            *conflicts_page;
};

extern const char *const rl_window_page_names[];

void rl_window_init_actions (RlWindow *self);
void rl_window_bind_actions (RlWindow *self);
void rl_window_feed_init (RlWindow *self);
void rl_window_feed_update (RlWindow *self);
/* rl-window-feed-tools.c: win.feed-record, win.feed-replay, win.export-readings. */
void rl_window_feed_tools_init (RlWindow *self);
void rl_window_show_page (RlWindow   *self,
                          const char *name);

G_END_DECLS
