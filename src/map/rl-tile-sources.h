/* rl-tile-sources.h — where map tiles come from: a URL template with a disk
 * cache, an offline MBTiles pack, or none at all.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

#include "rl-http-tile-source.h"

G_BEGIN_DECLS

#define RL_TILE_SOURCE_ERROR (rl_tile_source_error_quark ())

typedef enum
{
  RL_TILE_SOURCE_ERROR_OPEN,        /* the file cannot be read */
  RL_TILE_SOURCE_ERROR_NOT_MBTILES, /* not an MBTiles 1.x raster file */
  RL_TILE_SOURCE_ERROR_NOT_FOUND,   /* no such tile in the pack */
} RlTileSourceError;

GQuark rl_tile_source_error_quark (void);

/* Tiles from @url_template, checked and normalised by
 * rl_url_validate_tile_template (an RL_URL_ERROR when it is not valid),
 * fetched by an RlHttpTileSource (our user agent; cached on disk under
 * $XDG_CACHE_HOME/reloop-console/tiles/<hash of the template> as the
 * server's cache headers say). */
ShumateMapSource *rl_tile_source_new_for_url (const char *url_template,
                                              GError    **error);
/* The same, also giving the data source (to watch its failures). */
ShumateMapSource *rl_tile_source_new_for_http (const char        *url_template,
                                               RlHttpTileSource **out_data,
                                               GError           **error);

/* Tiles from an MBTiles file (offline map pack), read off the main thread. */
ShumateMapSource *rl_tile_source_new_for_mbtiles (const char *path,
                                                  GError    **error);

/* A reference source with no tiles at all: the viewport still needs one
 * for its zoom range and tile size; the points draw on a plain background
 * (RlMapLayer:draw-background). */
ShumateMapSource *rl_tile_source_new_plain (void);

/* Imports a map pack: checks it is an MBTiles file and copies it to
 * $XDG_DATA_HOME/reloop-console/map-packs/. Returns the new path. */
char *rl_tile_source_import_mbtiles (const char *path,
                                     GError    **error);
/* The same in a worker: @source_object is kept until @callback, which gets
 * it as its object. */
void  rl_tile_source_import_mbtiles_async (gpointer            source_object,
                                           const char         *path,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
char *rl_tile_source_import_mbtiles_finish (GAsyncResult *result,
                                            GError      **error);

/* "Import Offline Map Pack": a modal file chooser for *.mbtiles files. */
GtkFileChooserNative *rl_tile_source_pack_chooser_new (GtkWindow *parent);

/* ---- The MBTiles data source itself ------------------------------------- */

#define RL_TYPE_MBTILES_SOURCE (rl_mbtiles_source_get_type ())
G_DECLARE_FINAL_TYPE (RlMbtilesSource, rl_mbtiles_source, RL, MBTILES_SOURCE, ShumateDataSource)

RlMbtilesSource *rl_mbtiles_source_new (const char *path,
                                        GError    **error);
/* From the file's metadata table (defaults 0..22 and the file name). */
guint       rl_mbtiles_source_get_min_zoom (RlMbtilesSource *self);
guint       rl_mbtiles_source_get_max_zoom (RlMbtilesSource *self);
const char *rl_mbtiles_source_get_name (RlMbtilesSource *self);
/* Tiles served so far (for tests). */
guint rl_mbtiles_source_get_n_served (RlMbtilesSource *self);

G_END_DECLS
