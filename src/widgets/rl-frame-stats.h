/* rl-frame-stats.h — frames drawn, for bench-idle.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void rl_frame_stats_attach (GtkWidget *window);

G_END_DECLS
