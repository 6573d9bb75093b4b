/* rl-dispatch-list-private.h — what the dispatch list's files share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-dispatch-list.h"

G_BEGIN_DECLS

/* rl-dispatch-list.c */
gint64 rl_dl_current_now (RlDispatchList *self);
/* The rows in the order shown, borrowed from the items (free the array only). */
GPtrArray *rl_dl_current_rows (RlDispatchList *self);

/* rl-dispatch-list-item.c */
/* Takes @row; its texts are formatted against @now_ms. */
RlDispatchItem *rl_dl_item_new (RlDispatchRow *row,
                                gint64         now_ms);
char           *rl_dl_format_local (gint64      ms,
                                    const char *format);
char           *rl_dl_fill_text (const RlDispatchRow *row);
char           *rl_dl_predicted_text (const RlDispatchRow *row,
                                      gint64               now_ms);
char           *rl_dl_band_text (const RlDispatchRow *row,
                                 gint64               now_ms);

G_END_DECLS
