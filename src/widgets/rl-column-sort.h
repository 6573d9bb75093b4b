/* rl-column-sort.h — a GtkColumnView's sort headers driving an RlRecordList's SQL order.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8 cannot tell which column the user sorted by (GtkColumnViewSorter's
 * primary-sort-column is GTK 4.10), and a GtkSortListModel over 100,000
 * lazily read rows would read every row. So each sortable column gets an
 * RlColumnSorter naming the list's column, the column view stays unsorted,
 * and rl_column_view_attach_sort() asks the view's sorter which column is
 * primary, and in which direction, by comparing two probe objects that only
 * RlColumnSorter recognises (the view's sorter consults its columns in
 * priority order and inverts a descending one). The list then orders its
 * rows in SQL. See docs/lists.md.
 */
#pragma once

#include <gtk/gtk.h>

#include "rl-record-list.h"

G_BEGIN_DECLS

#define RL_TYPE_COLUMN_SORTER (rl_column_sorter_get_type ())
G_DECLARE_FINAL_TYPE (RlColumnSorter, rl_column_sorter, RL, COLUMN_SORTER, GtkSorter)

/* Property "column": the RlRecordList column this header sorts by. */
RlColumnSorter *rl_column_sorter_new (const char *column);
const char     *rl_column_sorter_get_column (RlColumnSorter *self);

/* Keeps @list's sort in step with @view's headers (until @list is gone), and
 * shows @list's current order on the headers. */
void rl_column_view_attach_sort (GtkColumnView *view,
                                 RlRecordList  *list);

/* Shows @view's first row (GTK 4.8 has no gtk_column_view_scroll_to: its
 * inner list view's "list.scroll-to-item" action). */
void rl_column_view_scroll_to_top (GtkColumnView *view);

G_END_DECLS
