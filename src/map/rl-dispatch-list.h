/* rl-dispatch-list.h — bins predicted full in a window: list, CSV, print.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-dispatch.h"
#include "rl-session.h"

G_BEGIN_DECLS

/* One row of the list model: wraps an RlDispatchRow. */
#define RL_TYPE_DISPATCH_ITEM (rl_dispatch_item_get_type ())
G_DECLARE_FINAL_TYPE (RlDispatchItem, rl_dispatch_item, RL, DISPATCH_ITEM, GObject)

const RlDispatchRow *rl_dispatch_item_get_row (RlDispatchItem *self);

#define RL_TYPE_DISPATCH_LIST (rl_dispatch_list_get_type ())
G_DECLARE_FINAL_TYPE (RlDispatchList, rl_dispatch_list, RL, DISPATCH_LIST, GtkWidget)

GtkWidget *rl_dispatch_list_new (RlSession *session);

void       rl_dispatch_list_set_session (RlDispatchList *self,
                                         RlSession      *session);
RlSession *rl_dispatch_list_get_session (RlDispatchList *self);
void       rl_dispatch_list_set_window (RlDispatchList  *self,
                                        RlDispatchWindow window,
                                        guint            hours);
/* 0: the real clock (tests pin it). */
void rl_dispatch_list_set_now_ms (RlDispatchList *self,
                                  gint64          now_ms);
void rl_dispatch_list_set_threshold (RlDispatchList *self,
                                     double          threshold);
/* Rebuilds the list from the cache in a worker thread. */
void     rl_dispatch_list_refresh (RlDispatchList *self);
gboolean rl_dispatch_list_get_busy (RlDispatchList *self);
/* RlDispatchItem rows, sorted by predicted time. */
GListModel *rl_dispatch_list_get_model (RlDispatchList *self);

gboolean rl_dispatch_list_export_csv (RlDispatchList *self,
                                      GFile          *file,
                                      GError        **error);
/* GTK_PRINT_OPERATION_ACTION_EXPORT with @export_path writes a PDF
 * (tests); PRINT_DIALOG asks the user. */
GtkPrintOperationResult
rl_dispatch_list_print (RlDispatchList         *self,
                        GtkPrintOperationAction action,
                        const char             *export_path,
                        GError                **error);

G_END_DECLS
