/* rl-sparkline.h — a small line of per-second counts (the Feed dialog's rate).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RL_TYPE_SPARKLINE (rl_sparkline_get_type ())
G_DECLARE_FINAL_TYPE (RlSparkline, rl_sparkline, RL, SPARKLINE, GtkWidget)

GtkWidget *rl_sparkline_new (void);
/* Copies @n values, oldest first; redraws. */
void    rl_sparkline_set_values (RlSparkline   *self,
                                 const guint32 *values,
                                 guint          n);
guint32 rl_sparkline_get_max (RlSparkline *self);

G_END_DECLS
