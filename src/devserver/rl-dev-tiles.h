/* rl-dev-tiles.h — basemap tiles of the Kathmandu valley, drawn with cairo.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RL_DEV_TILES_ERROR (rl_dev_tiles_error_quark ())
typedef enum
{
  RL_DEV_TILES_ERROR_INVALID_TILE,
  RL_DEV_TILES_ERROR_RENDER,
  RL_DEV_TILES_ERROR_DATABASE,
} RlDevTilesError;
GQuark rl_dev_tiles_error_quark (void);

#define RL_DEV_TILES_MAX_ZOOM 19

/* A 256×256 PNG of Web Mercator tile z/x/y (XYZ scheme, y from the north),
 * z 0–19. Thread-safe; recent tiles are cached. */
GBytes *rl_dev_tiles_render_png (guint z, guint x, guint y, GError **error);

/* Writes an MBTiles 1.3 file (metadata + tiles, TMS rows) covering the
 * box at zooms min_z..max_z. Replaces an existing file. */
gboolean rl_dev_tiles_export_mbtiles (const char *path,
                                      double      min_lat,
                                      double      min_lon,
                                      double      max_lat,
                                      double      max_lon,
                                      guint       min_z,
                                      guint       max_z,
                                      GError    **error);

G_END_DECLS
