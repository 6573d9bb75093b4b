/* rl-map-legend.h — the map's key: fill bands and state symbols.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RL_TYPE_MAP_LEGEND (rl_map_legend_get_type ())
G_DECLARE_FINAL_TYPE (RlMapLegend, rl_map_legend, RL, MAP_LEGEND, GtkWidget)

GtkWidget *rl_map_legend_new (void);

G_END_DECLS
