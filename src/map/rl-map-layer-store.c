/* rl-map-layer-store.c — RlMapLayer's points from the console's cache.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The core reads the cached drop points (rl_store_load_drop_points_async,
 * in a worker thread) as a struct of arrays; the layer takes them in one
 * call, so the map paints the whole city before any network answer.
 */

#include "config.h"

#include "rl-map-layer.h"

G_STATIC_ASSERT (sizeof (RlMapPoints) == sizeof (RlDropPoints));
G_STATIC_ASSERT (G_STRUCT_OFFSET (RlMapPoints, last_reading_ms)
                 == G_STRUCT_OFFSET (RlDropPoints, last_reading_ms));

void
rl_map_layer_set_drop_points (RlMapLayer         *self,
                              const RlDropPoints *points)
{
  RlMapPoints view;

  g_return_if_fail (RL_IS_MAP_LAYER (self));
  g_return_if_fail (points != NULL);

  view.n = points->n;
  view.ids = points->ids;
  view.names = points->names;
  view.latitudes = points->latitudes;
  view.longitudes = points->longitudes;
  view.fill_levels = points->fill_levels;
  view.flags = points->flags;
  view.last_reading_ms = points->last_reading_ms;
  rl_map_layer_set_points (self, &view);
}
