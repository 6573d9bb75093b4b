/* rl-window-actions.c — the window's actions (win.show-page, win.sync-now, win.show-conflict,
 * win.add-provider).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-alerts-page.h"
#include "rl-conflicts-page.h"
#include "rl-map-page.h"
#include "rl-provider-dialog.h"
#include "rl-sync-engine.h"
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

/* A conflict on the Conflicts page (the drop-point panel's "Field by
 * Field…"); disabled for the roles that do not see that page. */
static void
show_conflict_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  RlWindow *self = RL_WINDOW (user_data);

  rl_window_show_page (self, "conflicts");
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "conflicts") != 0)
    return;
  rl_conflicts_page_show_conflict (RL_CONFLICTS_PAGE (self->conflicts_page),
                                   g_variant_get_string (parameter, NULL));
}

/* A drop point on the Map page, its panel open (the Alerts page's Show on
 * Map; a notification's default action). */
static void
show_on_map_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RlWindow  *self = RL_WINDOW (user_data);
  GtkWidget *map = adw_view_stack_get_child_by_name (self->view_stack, "map");

  rl_window_show_page (self, "map");
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "map") != 0)
    return;
  if (!rl_map_page_show_point (RL_MAP_PAGE (map), g_variant_get_string (parameter, NULL)))
    rl_window_show_toast (self, _ ("That drop point is not on the map (hidden by the map's filters?)"));
}

/* The Alerts page filtered to the open HIGH alerts (a coalesced
 * notification's default action). */
static void
show_open_high_alerts_activated (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  RlWindow *self = RL_WINDOW (user_data);

  rl_window_show_page (self, "alerts");
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "alerts") != 0)
    return;
  rl_alerts_page_show_open_high (RL_ALERTS_PAGE (self->alerts_page));
}

/* Ctrl+R and the status popover's Sync Now: pull now, and send what waits
 * (the drain pulls after it). Never blocks; never overlaps a pull. */
static void
sync_now_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RlWindow *self = RL_WINDOW (user_data);

  if (self->session == NULL
      || rl_session_get_state (self->session) == RL_SESSION_STATE_SIGNED_OUT)
    return;
  rl_session_pull_now (self->session);
  if (rl_session_get_pending_changes (self->session) > 0)
    rl_session_drain_async (self->session, NULL, NULL, NULL);
}

/* The Providers page, then the add provider dialog over it (admins only:
 * for another role the page is out of reach, and so is this). */
static void
add_provider_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RlWindow *self = RL_WINDOW (user_data);

  rl_window_show_page (self, "providers");
  if (self->session == NULL
      || g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "providers") != 0)
    return;
  rl_provider_dialog_present_add (self->session, NULL, GTK_WIDGET (self));
}

/* The shortcuts window is built when asked for and destroyed when closed,
 * not kept hidden as GtkApplicationWindow's help overlay is: GTK 4.8's
 * AT-SPI root answers GetChildAtIndex past the visible windows (a screen
 * reader's child count gone stale as a dialog closes) with the last
 * toplevel, and a hidden, never-mapped toplevel there has no object path:
 * a GLib CRITICAL in the console (docs/testing.md, "AT-SPI"). With no hidden
 * toplevel left, that answer names a visible window instead. */
static void
show_help_overlay_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  RlWindow *self = RL_WINDOW (user_data);
  g_autoptr (GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  builder = gtk_builder_new_from_resource ("/org/reloop/Console/ui/help-overlay.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (self));
  gtk_window_set_hide_on_close (shortcuts, FALSE);
  gtk_window_present (shortcuts);
}

static const GActionEntry window_actions[] = {
  { "show-page", show_page_activated, "s" },
  { "sync-now", sync_now_activated },
  { "show-conflict", show_conflict_activated, "s" },
  { "show-on-map", show_on_map_activated, "s" },
  { "show-open-high-alerts", show_open_high_alerts_activated },
  { "add-provider", add_provider_activated },
  { "show-help-overlay", show_help_overlay_activated },
};

static void
update_sync_now (RlWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "sync-now");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                               self->session != NULL
                                   && rl_session_get_state (self->session)
                                          != RL_SESSION_STATE_SIGNED_OUT);
}

void
rl_window_init_actions (RlWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions,
                                   G_N_ELEMENTS (window_actions), self);
}

/* Once the window has its session (rl_window_new). */
void
rl_window_bind_actions (RlWindow *self)
{
  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (update_sync_now), self,
                           G_CONNECT_SWAPPED);
  update_sync_now (self);
  rl_window_feed_tools_init (self);
}
