/* rl-record-list.h — a GListModel over one kind of cached record, filtered and sorted in SQL.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model keeps the ordered ids (and sort values) of the rows that match
 * its filter — loaded in a worker thread, so n-items is cheap and a new
 * filter never blocks the UI — and reads the rows themselves lazily, a
 * window of ids at a time, when get_item asks (by id, not OFFSET). When the
 * cache changes (RlStoreMonitor) it works out each changed row's old and new
 * position and emits items-changed with exact positions; a row that changed
 * without moving is updated in place (same object, properties notified) and
 * announced as (position, 1, 1), so selections and scroll positions stay.
 * See docs/lists.md.
 *
 * Sorting is one column (of those with a sort expression) plus the id;
 * filters are: text (folded as rl_search_normalize does: Latin without case,
 * Devanagari in any composition), values of a column (IN), and a range of a
 * time column. Everything is bindable from .ui files (properties "store",
 * "kind", "text", "sort-column", "sort-descending").
 */
#pragma once

#include <gio/gio.h>

#include "rl-list-item.h"
#include "rl-store.h"

G_BEGIN_DECLS

#define RL_TYPE_RECORD_LIST (rl_record_list_get_type ())
G_DECLARE_FINAL_TYPE (RlRecordList, rl_record_list, RL, RECORD_LIST, GObject)

/* @store may be NULL (an empty list until one is set). */
RlRecordList *rl_record_list_new (RlStore   *store,
                                  RlListKind kind);

/* Paused: the cache's changes are kept, not applied (no items-changed):
 * for a list whose view nobody sees. Resuming applies them at once. Loads
 * asked for (filters, sort, store) still run. */
gboolean rl_record_list_get_paused (RlRecordList *self);
void     rl_record_list_set_paused (RlRecordList *self,
                                    gboolean      paused);

RlStore *rl_record_list_get_store (RlRecordList *self);
/* Main thread. Changing the store (or to NULL, on sign-out) empties the list
 * and loads it again from the new one. */
void       rl_record_list_set_store (RlRecordList *self,
                                     RlStore      *store);
RlListKind rl_record_list_get_kind (RlRecordList *self);
GType      rl_record_list_get_item_type_for_kind (RlListKind kind);

/* TRUE while a (re)load is running; items-changed comes before it turns
 * FALSE. "failed" and rl_record_list_get_error() tell a load that failed
 * (the previous rows stay). */
gboolean      rl_record_list_get_loading (RlRecordList *self);
const GError *rl_record_list_get_error (RlRecordList *self);

/* The text filter as typed; "" or NULL: none. */
const char *rl_record_list_get_text (RlRecordList *self);
void        rl_record_list_set_text (RlRecordList *self,
                                     const char   *text);
/* Keep the rows whose @column (a property name with a filter expression)
 * has one of @values (wire spelling, e.g. "open", "HIGH"); NULL or empty
 * @values removes that filter. */
void rl_record_list_set_values (RlRecordList      *self,
                                const char        *column,
                                const char *const *values);
/* Keep the rows whose time @column is in [@from_ms, @to_ms]; use G_MININT64 /
 * G_MAXINT64 for an open end; both open removes the filter. */
void rl_record_list_set_range (RlRecordList *self,
                               const char   *column,
                               gint64        from_ms,
                               gint64        to_ms);
void rl_record_list_clear_filters (RlRecordList *self);

/* NULL or "": the kind's default order. */
const char *rl_record_list_get_sort_column (RlRecordList *self);
gboolean    rl_record_list_get_sort_descending (RlRecordList *self);
void        rl_record_list_set_sort (RlRecordList *self,
                                     const char   *column,
                                     gboolean      descending);
/* The kind's own order: its column, and (when @descending is not NULL)
 * its direction. Setting exactly this order is the same as setting none. */
const char *rl_record_list_get_default_sort (RlRecordList *self,
                                             gboolean     *descending);
/* Whether @column can be sorted by, for the kind of @self. */
gboolean rl_record_list_can_sort (RlRecordList *self,
                                  const char   *column);

/* The position of the row @id, or G_MAXUINT when it is not in the list. */
guint rl_record_list_find (RlRecordList *self,
                           const char   *id);
/* Reads the whole list again (e.g. after a maintenance write). */
void rl_record_list_reload (RlRecordList *self);

G_END_DECLS
