/* rl-list-pause.h — a list nobody sees applies no changes.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "rl-record-list.h"

G_BEGIN_DECLS

void rl_list_pause_while_unmapped (RlRecordList *list,
                                   GtkWidget    *view);

G_END_DECLS
