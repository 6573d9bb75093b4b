/* rl-map-view.h — the map's first view of a fleet: its extent, fitted.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-search.h"

G_BEGIN_DECLS

/* The view (centre and zoom, Web Mercator, @tile_size px tiles) that shows
 * every point of @latitudes / @longitudes in a @width × @height px map with
 * @margin px left free on each side, the zoom clamped to [min_zoom,
 * max_zoom] (one point alone: max_zoom). FALSE when there is no point. */
gboolean rl_map_view_fit (guint         n,
                          const double *latitudes,
                          const double *longitudes,
                          double        width,
                          double        height,
                          double        margin,
                          double        tile_size,
                          double        min_zoom,
                          double        max_zoom,
                          RlViewport   *out);

G_END_DECLS
