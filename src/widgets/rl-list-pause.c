/* rl-list-pause.c — a list nobody sees applies no changes.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page's column view on a GtkStack page that is not shown still has its
 * rows: every items-changed of its list rebinds them (the live feed's alerts
 * on a dispatcher's Map page cost a few hundred cell resizes a second). The
 * list is paused while @view is unmapped and catches up, in one pass, when
 * it is mapped again (rl_record_list_set_paused; docs/battery.md). @view is
 * the page, not its column view: a page shows its empty or loading state in
 * place of the column view until the list has rows, so the column view
 * itself may be unmapped while the list must change.
 */
#include "config.h"

#include "rl-list-pause.h"

static void
view_mapped_cb (GtkWidget    *view,
                RlRecordList *list)
{
  rl_record_list_set_paused (list, FALSE);
}

static void
view_unmapped_cb (GtkWidget    *view,
                  RlRecordList *list)
{
  rl_record_list_set_paused (list, TRUE);
}

void
rl_list_pause_while_unmapped (RlRecordList *list,
                              GtkWidget    *view)
{
  g_return_if_fail (RL_IS_RECORD_LIST (list));
  g_return_if_fail (GTK_IS_WIDGET (view));

  g_signal_connect_object (view, "map", G_CALLBACK (view_mapped_cb), list, 0);
  g_signal_connect_object (view, "unmap", G_CALLBACK (view_unmapped_cb), list, 0);
  rl_record_list_set_paused (list, !gtk_widget_get_mapped (view));
}
