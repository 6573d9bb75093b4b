/* rl-http-tile-source.h — map tiles over HTTP with our own user agent and a
 * disk cache that follows the tile server's cache headers.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libshumate 1.0's ShumateTileDownloader sends "libshumate/1.0.3" whatever
 * shumate_set_user_agent() says and keeps every tile 7 days whatever the
 * server says (docs/map.md, "Tile sources"): the OSM tile usage policy asks
 * for both, so this source does them.
 */
#pragma once

#include <shumate/shumate.h>

#include "rl-tile-choice.h"

G_BEGIN_DECLS

#define RL_TYPE_HTTP_TILE_SOURCE (rl_http_tile_source_get_type ())
G_DECLARE_FINAL_TYPE (RlHttpTileSource, rl_http_tile_source, RL, HTTP_TILE_SOURCE, ShumateDataSource)

/* @url_template: checked by the caller (rl_url_validate_tile_template).
 * Tiles are cached under @cache_dir (created when needed). */
RlHttpTileSource *rl_http_tile_source_new (const char *url_template,
                                           const char *cache_dir);

/* Replaces {apikey} in the template (NULL: empty). */
void rl_http_tile_source_set_api_key (RlHttpTileSource *self,
                                      const char       *api_key);

/* Properties (notify): "failure" (RlTileFailure of the last tile that could
 * not be had at all; NONE again once a tile comes from the network),
 * "n-loaded" (tiles received, from the network or the cache). */
RlTileFailure rl_http_tile_source_get_failure (RlHttpTileSource *self);
/* The HTTP status of the last failure (0 for a network or TLS error). */
guint rl_http_tile_source_get_failure_status (RlHttpTileSource *self);
/* Whether the tiles come from this computer (localhost, a loopback
 * address): reachable with no network at all. */
gboolean rl_http_tile_source_is_local (RlHttpTileSource *self);
guint    rl_http_tile_source_get_n_loaded (RlHttpTileSource *self);
/* Requests sent, and how many of them were revalidations (for tests). */
guint rl_http_tile_source_get_n_requests (RlHttpTileSource *self);
guint rl_http_tile_source_get_n_revalidated (RlHttpTileSource *self);

/* $XDG_CACHE_HOME/reloop-console/tiles/<a hash of the template>. */
char *rl_http_tile_source_cache_dir_for (const char *url_template);

G_END_DECLS
