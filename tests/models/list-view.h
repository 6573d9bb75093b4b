/* list-view.h — a GtkColumnView over an RlRecordList, declared in XML as a page does.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the list view test and bench-lists: a GtkScrolledWindow with a
 * GtkColumnView whose model is a GtkSingleSelection over the list, and one
 * column per property, each cell a label bound with <lookup> (through a
 * <closure> for times, numbers and enumerations), each sortable column with
 * an RlColumnSorter.
 */
#pragma once

#include <gtk/gtk.h>

#include "rl-column-sort.h"
#include "rl-record-list.h"

G_BEGIN_DECLS

typedef struct
{
  GtkBuilder         *builder;
  GtkWidget          *scrolled; /* the root */
  GtkColumnView      *view;
  GtkSingleSelection *selection;
  RlRecordList       *list; /* borrowed from the selection */
} ListView;

/* Builds the view of @kind's usual columns over a new list on @store. */
ListView *list_view_new (RlStore   *store,
                         RlListKind kind);
void      list_view_free (ListView *lv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ListView, list_view_free)

/* The column whose RlColumnSorter sorts by @column. */
GtkColumnViewColumn *list_view_column (ListView   *lv,
                                       const char *column);

G_END_DECLS
