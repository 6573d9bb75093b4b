/* rl-feed-dialog-nodes.c — the Feed dialog's list of brokers: the nodes of
 * the broker list (docs/feed.md "Several brokers"), each with its last
 * error, so support sees which node failed and why.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-feed-dialog-nodes.h"
#include "rl-ui-errors.h"
#include "rl-ui-format.h"

static char *
node_subtitle (const RlFeedNodeInfo *info)
{
  g_autofree char *state = NULL;

  if (info->current)
    {
      g_autofree char *since = rl_ui_format_time_ms (info->connected_ms);

      /* Translators: %s is a time. */
      state = g_strdup_printf (_ ("Connected since %s"), since);
    }
  else if (info->connected_ms > 0)
    {
      g_autofree char *when = rl_ui_format_time_ms (info->connected_ms);

      /* Translators: %s is a time. */
      state = g_strdup_printf (_ ("Last connected at %s"), when);
    }
  else
    state = g_strdup (_ ("Not connected yet"));

  /* The node the feed is on: only an error since it got there. */
  if (info->error != NULL && !(info->current && info->error_ms <= info->connected_ms))
    {
      g_autofree char *when = rl_ui_format_time_ms (info->error_ms);
      g_autofree char *why = rl_ui_error_message (info->error);

      /* Translators: 1: whether and since when the console is connected to this broker,
       * 2: a time, 3: the last error's words. */
      return g_strdup_printf (_ ("%1$s · last error at %2$s: %3$s"), state, when, why);
    }
  return g_steal_pointer (&state);
}

void
rl_feed_dialog_nodes_update (AdwPreferencesGroup *group,
                             GPtrArray           *rows,
                             RlFeed              *feed)
{
  g_autoptr (GPtrArray) nodes = feed != NULL ? rl_feed_get_nodes (feed) : NULL;
  guint n = nodes != NULL ? nodes->len : 0;

  while (rows->len > n)
    {
      adw_preferences_group_remove (group, g_ptr_array_index (rows, rows->len - 1));
      g_ptr_array_remove_index (rows, rows->len - 1);
    }
  while (rows->len < n)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");

      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
      g_object_set_data (G_OBJECT (row), "rl-current-icon", icon);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      adw_preferences_group_add (group, row);
      g_ptr_array_add (rows, row);
    }
  for (guint i = 0; i < n; i++)
    {
      const RlFeedNodeInfo *info = g_ptr_array_index (nodes, i);
      AdwActionRow         *row = g_ptr_array_index (rows, i);
      GtkWidget            *icon = g_object_get_data (G_OBJECT (row), "rl-current-icon");
      g_autofree char      *subtitle = node_subtitle (info);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->url);
      adw_action_row_set_subtitle (row, subtitle);
      gtk_widget_set_visible (icon, info->current);
      /* The icon says "current" to sighted people only: the subtitle says
       * it in words. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("Current broker"), -1);
    }
  gtk_widget_set_visible (GTK_WIDGET (group), n > 0);
}
