/* rl-map-layer.h — every drop point of a city on one ShumateLayer.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Points are given as arrays (no object per point), projected to Web
 * Mercator once and kept in a grid index. The snapshot draws only what is
 * visible, clusters points by distance when zoomed out, and never
 * emits more than RL_MAP_LAYER_MAX_ITEMS symbols. Data updates redraw at
 * most RL_MAP_LAYER_MAX_DATA_REDRAWS_PER_S times a second. See docs/map.md.
 */
#pragma once

#include <shumate/shumate.h>

#include "rl-store-async.h"

G_BEGIN_DECLS

#define RL_MAP_LAYER_MAX_ITEMS 2000
#define RL_MAP_LAYER_MAX_DATA_REDRAWS_PER_S 10
/* Clusters are built at level floor(zoom) + this: a seed claims the points within one tile of
 * that level (64 px at an integer zoom; rl_geo_clusters_new). */
#define RL_MAP_LAYER_CLUSTER_LEVEL_OFFSET 2
/* From this zoom on every point is drawn on its own (if few enough). */
#define RL_MAP_LAYER_UNCLUSTER_ZOOM 17

/* Fill bands (percent): low < 50 ≤ medium < 75 ≤ high < 90 ≤ full. */
#define RL_MAP_FILL_MEDIUM 50.0
#define RL_MAP_FILL_HIGH 75.0
#define RL_MAP_FILL_FULL 90.0

/* The same bits as the cache's RlDropPointFlags. */
typedef enum
{
  RL_MAP_POINT_OFFLINE = RL_DROP_POINT_OFFLINE,
  RL_MAP_POINT_STALE = RL_DROP_POINT_STALE, /* no reading within the reporting interval */
  RL_MAP_POINT_MAINTENANCE = RL_DROP_POINT_MAINTENANCE,
  RL_MAP_POINT_RETIRED = RL_DROP_POINT_RETIRED,
  RL_MAP_POINT_ALERT = RL_DROP_POINT_ALERT, /* has an open alert */
} RlMapPointFlags;

/* What a point looks like: one class per point, from its fill level and
 * flags (retired > maintenance > offline > stale > fill band). */
typedef enum
{
  RL_MAP_CLASS_LOW,
  RL_MAP_CLASS_MEDIUM,
  RL_MAP_CLASS_HIGH,
  RL_MAP_CLASS_FULL,
  RL_MAP_CLASS_NO_READING,
  RL_MAP_CLASS_STALE,
  RL_MAP_CLASS_OFFLINE,
  RL_MAP_CLASS_MAINTENANCE,
  RL_MAP_CLASS_RETIRED,
  RL_MAP_N_CLASSES
} RlMapClass;

RlMapClass rl_map_class_for (double fill_level,
                             guint  flags);
void       rl_map_class_get_color (RlMapClass klass,
                                   GdkRGBA   *out_color);
/* A translated name for the legend and descriptions, e.g. "Offline". */
const char *rl_map_class_get_label (RlMapClass klass);
/* Draws the symbol of a single point of @klass centred on (x, y); the
 * legend uses it too, so the two always agree. */
void rl_map_class_snapshot_symbol (RlMapClass   klass,
                                   GtkSnapshot *snapshot,
                                   float        x,
                                   float        y,
                                   float        radius);

/* Struct of arrays: n entries each. names and last_reading_ms may be NULL;
 * a NAN fill level means no reading. */
typedef struct
{
  guint              n;
  const char *const *ids;
  const char *const *names;
  const double      *latitudes;
  const double      *longitudes;
  const double      *fill_levels;
  const guint8      *flags;
  const gint64      *last_reading_ms;
} RlMapPoints;

#define RL_TYPE_MAP_LAYER (rl_map_layer_get_type ())
G_DECLARE_FINAL_TYPE (RlMapLayer, rl_map_layer, RL, MAP_LAYER, ShumateLayer)

RlMapLayer *rl_map_layer_new (ShumateViewport *viewport);

/* Replaces all points (one call for a whole city). Keeps the selection if
 * its id is still there. */
void rl_map_layer_set_points (RlMapLayer        *self,
                              const RlMapPoints *points);
/* The drop points read from the cache (rl_store_load_drop_points and its
 * _async, in core) as the layer's points: the flags are the same bits. */
void rl_map_layer_set_drop_points (RlMapLayer         *self,
                                   const RlDropPoints *points);
/* New values for some points (unknown ids are ignored); returns how many
 * were found. The redraw is coalesced. @last_reading_ms may be NULL. */
guint rl_map_layer_update_points (RlMapLayer        *self,
                                  guint              n,
                                  const char *const *ids,
                                  const double      *fill_levels,
                                  const guint8      *flags,
                                  const gint64      *last_reading_ms);
guint rl_map_layer_get_n_points (RlMapLayer *self);
/* The fill level (NAN: none) and RlMapPointFlags a point is drawn with;
 * FALSE if the id is unknown. */
gboolean rl_map_layer_get_point_state (RlMapLayer *self,
                                       const char *id,
                                       double     *fill_level,
                                       guint8     *flags);

/* Draws a plain land colour under the points (for "no tiles" mode). */
void     rl_map_layer_set_draw_background (RlMapLayer *self,
                                           gboolean    draw_background);
gboolean rl_map_layer_get_draw_background (RlMapLayer *self);

const char *rl_map_layer_get_selected_id (RlMapLayer *self);
/* NULL clears. Returns FALSE if the id is unknown (selection unchanged). */
gboolean rl_map_layer_set_selected_id (RlMapLayer *self,
                                       const char *id);
/* What a click at widget coordinates does: selects the point there, or
 * zooms into the cluster there. Returns TRUE if something was hit. */
gboolean rl_map_layer_select_at (RlMapLayer *self,
                                 double      x,
                                 double      y);
/* "Thamel Chowk, fill 64 %, online, last reading 3 minutes ago". */
char *rl_map_layer_dup_description (RlMapLayer *self,
                                    const char *id);
/* What the tooltip at widget coordinates says: the point's description, or
 * the cluster's ("1234 drop points, 84 of them 90 % full or more", then the
 * count per state); NULL over no symbol. */
char *rl_map_layer_dup_description_at (RlMapLayer *self,
                                       double      x,
                                       double      y);

/* Filtering (search and filters of the map page): only points whose id is
 * in @ids (a set: id → any non-NULL value) are drawn, clustered, hit-tested
 * and reached by the keyboard; NULL shows every point again. A hidden
 * selection is cleared, and rl_map_layer_set_selected_id refuses hidden ids.
 * Returns the number of points shown (property "n-shown").
 * The set is copied and kept by id: rl_map_layer_update_points keeps it,
 * rl_map_layer_set_points applies it again to the new points. */
guint rl_map_layer_set_shown_ids (RlMapLayer *self,
                                  GHashTable *ids);
guint rl_map_layer_get_n_shown (RlMapLayer *self);
/* Where a point is; FALSE if the id is unknown. */
gboolean rl_map_layer_get_point_location (RlMapLayer *self,
                                          const char *id,
                                          double     *latitude,
                                          double     *longitude);

/* The tiles of @inner (NULL: plain land) with this layer's symbols drawn
 * in: give it to the map's tile layer (ShumateMapLayer, or
 * shumate_simple_map_set_map_source) instead of @inner. While a tile layer
 * over it is in the same map, the layer itself draws only the selection,
 * and panning costs what the bare tiles cost. Returns a new reference. */
ShumateMapSource *rl_map_layer_wrap_source (RlMapLayer       *self,
                                            ShumateMapSource *inner);
/* TRUE if the last frame left the symbols to such a tile layer. */
gboolean rl_map_layer_get_composited (RlMapLayer *self);
/* Tiles drawn with symbols so far, and the time it took (main thread,
 * between frames). */
void rl_map_layer_get_tile_stats (RlMapLayer *self,
                                  guint      *out_rendered,
                                  double     *out_total_ms,
                                  double     *out_max_ms);

/* For tests and benchmarks: what the last snapshot drew. */
typedef struct
{
  guint points;    /* single points drawn */
  guint clusters;  /* clusters drawn */
  guint clustered; /* points inside those clusters */
  guint level;     /* cluster level used, 0 if none */
} RlMapLayerFrameStats;

void rl_map_layer_get_frame_stats (RlMapLayer           *self,
                                   RlMapLayerFrameStats *out_stats);
/* Redraws caused by data updates since the layer was made. */
guint rl_map_layer_get_data_redraws (RlMapLayer *self);
/* For benchmarks (bench-ingest): the data version from which the values
 * given so far are drawn (a coalesced redraw after rl_map_layer_update_points
 * bumps the version; while one is pending, current is the version it makes;
 * an update that changes no symbol schedules none, and is shown by the
 * version drawn already), and the oldest version that the tiles of the tile
 * layer's last snapshot show (0 before any). */
void rl_map_layer_get_symbol_versions (RlMapLayer *self,
                                       guint      *out_current,
                                       guint      *out_oldest_drawn);
/* For tests and screenshots: TRUE while map tiles are being fetched (from
 * the source rl_map_layer_wrap_source wrapped) or drawn with symbols, or a
 * redraw for new data is pending. */
gboolean rl_map_layer_get_busy (RlMapLayer *self);

G_END_DECLS
