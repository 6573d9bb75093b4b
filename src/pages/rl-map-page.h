/* rl-map-page.h — the map page: every drop point on a map, the drop-point
 * panel and the dispatch list beside it, search and filters above it.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

#include "rl-dispatch-list.h"
#include "rl-drop-point-panel.h"
#include "rl-map-layer.h"
#include "rl-page.h"
#include "rl-tile-sources.h"

G_BEGIN_DECLS

#define RL_TYPE_MAP_PAGE (rl_map_page_get_type ())
G_DECLARE_FINAL_TYPE (RlMapPage, rl_map_page, RL, MAP_PAGE, RlPage)

/* Reads the cached drop points again in a worker thread (keeps the
 * selection and the viewport). Done automatically after each sync. */
void rl_map_page_reload (RlMapPage *self);
/* Selects a drop point, centres the map on it (street zoom) and opens the
 * panel on it. FALSE when the point is unknown or hidden by the filters. */
gboolean rl_map_page_show_point (RlMapPage  *self,
                                 const char *id);
/* Opens ("panel", "dispatch") or closes (NULL) the side panel. */
void rl_map_page_set_side_panel (RlMapPage  *self,
                                 const char *name);
/* "panel", "dispatch" or NULL when closed. */
const char *rl_map_page_get_side_panel (RlMapPage *self);

/* State, for tests: "loading", "empty", "error" or "map". */
const char *rl_map_page_get_state (RlMapPage *self);
/* TRUE while a load from the cache runs; property "loading" notifies. */
gboolean rl_map_page_get_loading (RlMapPage *self);
/* Loads finished since the page was made. */
guint       rl_map_page_get_n_loads (RlMapPage *self);
const char *rl_map_page_get_count_text (RlMapPage *self);

RlMapLayer       *rl_map_page_get_layer (RlMapPage *self);
ShumateMap       *rl_map_page_get_map (RlMapPage *self);
RlDropPointPanel *rl_map_page_get_panel (RlMapPage *self);
RlDispatchList   *rl_map_page_get_dispatch_list (RlMapPage *self);
GtkWidget        *rl_map_page_get_search (RlMapPage *self);
GtkToggleButton  *rl_map_page_get_dispatch_button (RlMapPage *self);
/* The offline map pack shown now, or NULL. */
RlMbtilesSource *rl_map_page_get_mbtiles_source (RlMapPage *self);

G_END_DECLS
