/* rl-window-actions.c — the window's actions (win.show-page).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-window-private.h"

void
rl_window_show_page (RlWindow   *self,
                     const char *name)
{
  GtkWidget *child;

  g_return_if_fail (RL_IS_WINDOW (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "main") != 0)
    return;

  child = adw_view_stack_get_child_by_name (self->view_stack, name);
  /* A page the role may not use stays out of reach, keyboard included. */
  if (child == NULL
      || !adw_view_stack_page_get_visible (adw_view_stack_get_page (self->view_stack, child)))
    return;

  adw_view_stack_set_visible_child (self->view_stack, child);
}

static void
show_page_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  rl_window_show_page (RL_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static const GActionEntry window_actions[] = {
  { "show-page", show_page_activated, "s" },
};

void
rl_window_init_actions (RlWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions,
                                   G_N_ELEMENTS (window_actions), self);
}
