/* rl-map-layer-private.h — RlMapLayer's state, shared by its two files.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-geo.h"
#include "rl-map-layer.h"

G_BEGIN_DECLS

#define RL_MAP_MAX_LEVEL 30
/* Symbols reach this far (px) from their centre: the largest cluster badge
 * plus its full-bins chip. Areas are drawn with this margin so edges are
 * whole. */
#define RL_MAP_LAYER_SYMBOL_MARGIN 48.0
/* The cached raster covers the view grown by this fraction of its size on
 * each side (2 × 2 views), at most RL_MAP_LAYER_CACHE_MAX_PX device pixels
 * a side. */
#define RL_MAP_LAYER_CACHE_GROW 0.5
#define RL_MAP_LAYER_CACHE_MAX_PX 4096
/* The raster is drawn as chunks of this many device pixels a side; empty
 * chunks cost nothing. Under the cairo renderer on X11 every translucent
 * pixel composited costs, so small chunks pay off (64 px measured best of
 * 32–256, docs/map.md). */
#define RL_MAP_LAYER_CHUNK_PX 64

typedef enum
{
  DRAWN_POINT,
  DRAWN_CLUSTER,
} DrawnKind;

/* One symbol of the last snapshot, in widget coordinates (before rotation). */
typedef struct
{
  float     x, y, radius;
  DrawnKind kind;
  guint     index; /* point index, or cluster index at frame_level */
} DrawnItem;

/* An area to draw symbols in: px = (world − centre) · scale + size / 2. */
typedef struct
{
  double cx, cy; /* world centre */
  double scale;  /* px per world unit */
  float  w, h;   /* px */
  double zoom;
  /* The view: what it holds decides single points or clusters, and the
   * cluster level (RL_MAP_LAYER_MAX_ITEMS), so the cache and a direct
   * frame choose alike. World units. Ignored when @decided is set. */
  double                          bx0, by0, bx1, by1;
  const struct _RlMapAreaContent *decided;
} RlMapArea;

typedef struct _RlMapAreaContent
{
  guint    level;  /* cluster level, 0 for single points */
  gboolean points; /* single points */
} RlMapAreaContent;

/* A point whose symbol changed in data version @version (world units). */
typedef struct
{
  double x, y;
  guint  version;
} RlMapDirtyPoint;

/* What a tile composite shows: the symbols of this data version, drawn as
 * single points or clusters of this level, at this scale factor, and
 * shrunk by symbol_scale / RL_MAP_SYMBOL_SCALE_ONE: at a fractional zoom z
 * libshumate shows the tiles of floor (z) enlarged 2^(z − floor (z)) times,
 * and the symbols drawn into them must come out at their own size. */
#define RL_MAP_SYMBOL_SCALE_ONE 64
typedef struct
{
  guint            version; /* self->symbols_version */
  RlMapAreaContent content;
  int              scale_factor;
  guint            symbol_scale; /* 64 (whole zoom) … 127 */
} RlMapTileKey;

/* The symbols rendered once into a raster, translated while panning. */
typedef struct
{
  gboolean         valid;
  guint            version; /* of the data it shows: self->cache_version */
  double           cx, cy;  /* world centre */
  double           zoom, scale;
  float            w, h; /* logical px */
  int              scale_factor;
  gboolean         for_cairo; /* made for GSK's cairo renderer */
  RlMapAreaContent content;
  guint            n_cols, n_rows;
  GdkTexture     **chunks; /* n_cols × n_rows textures, the raster cut
                            * in RL_MAP_LAYER_CHUNK_PX device px squares,
                            * NULL where it is empty */
  GArray *items;           /* DrawnItem, in raster px */
} RlMapLayerCache;

struct _RlMapLayer
{
  ShumateLayer parent_instance;

  /* Points, struct of arrays. */
  guint          n;
  GStringChunk  *strings;
  const char   **ids;
  const char   **names;
  float         *fill;
  guint8        *flags;
  guint8        *classes;
  gint64        *last_ms;
  GHashTable    *by_id; /* id → index + 1 */
  RlGeoIndex    *index;
  RlGeoClusters *clusters[RL_MAP_MAX_LEVEL + 1]; /* built lazily */

  gint selected; /* point index or -1 */

  /* Filter: the ids to show (own copy; NULL = all), as a mask per point
   * (also set on the index, which then skips hidden points everywhere). */
  GHashTable *shown_ids;
  guint8     *hidden; /* n bytes, or NULL when all are shown */
  guint       n_shown;

  /* Last frame: its items are drawn (a direct frame) or cache.items (the
   * cached raster, its origin at frame_ox, frame_oy), in the unrotated
   * frame's px. */
  RlMapLayerCache cache;
  guint           cache_version; /* bumped whenever what symbols show changes
                                  * or the clusters the items refer to go */
  guint symbols_version;         /* bumped whenever what symbols show changes */

  /* Tile composites (rl-map-layer-tiles.c): the symbols drawn into the map
   * tiles of a source made by rl_map_layer_wrap_source. */
  guint            n_wrapped;          /* sources made by rl_map_layer_wrap_source */
  GArray          *tile_items;         /* DrawnItem scratch */
  cairo_surface_t *tile_surface;       /* ARGB32 scratch the tiles are drawn in */
  guint            structural_version; /* symbols_version of the last change
                                        * that can touch any tile */
  guint        dirty_since;            /* dirty holds every change after this */
  GArray      *dirty;                  /* RlMapDirtyPoint: data changes */
  GQueue       tile_queue;             /* RlPointsTile to render, own refs */
  guint        tile_idle;
  guint        viewport_idle; /* redraw with the tile layer (see below) */
  guint        settle_id;     /* the zoom changed within RL_MAP_SETTLE_MS */
  double       settled_zoom;  /* the zoom before that, while settle_id */
  double       last_zoom;     /* the last zoom seen */
  RlMapTileKey view_key;      /* for the view below */
  gboolean     view_key_valid;
  double       view_key_cx, view_key_cy, view_key_zoom;
  float        view_key_w, view_key_h;
  gboolean     composites_shown; /* a tile with view_key was drawn */
  /* For benchmarks (rl_map_layer_get_symbol_versions): the frame of the
   * tile layer's last snapshot and the oldest data version its tiles drew. */
  gint64 tiles_pass_frame;
  guint  tiles_pass_min_version;
  /* A frame the tiles drew: its items are worked out when asked for. */
  gboolean         frame_items_pending;
  RlMapArea        frame_view;
  RlMapAreaContent frame_content;
  float            frame_bounds[4];  /* x0, y0, x1, y1 counted in statistics */
  gboolean         frame_composited; /* the last frame left symbols to the tiles */
  guint            tiles_rendered;
  guint            tiles_filling; /* fills asked of the wrapped source, not done yet,
                                   * and bare tiles being read again */
  gint64               tiles_render_us, tiles_render_max_us;
  gboolean             frame_cached;
  float                frame_ox, frame_oy;
  double               last_frame_zoom;
  GArray              *drawn;   /* DrawnItem */
  GArray              *scratch; /* guint */
  RlMapLayerFrameStats frame_stats;
  guint                frame_level;
  double               frame_rotation;
  float                frame_w, frame_h;

  GHashTable *labels;         /* count text → PangoLayout */
  GArray     *labels_pending; /* this frame's cluster labels */

  guint    redraw_source;
  gint64   last_data_redraw_us;
  guint    data_redraws;
  gboolean draw_background;
};

/* rl-map-layer-draw.c */
RlGeoClusters *rl_map_layer_get_clusters (RlMapLayer *self,
                                          guint       level);
/* Draws the symbols of @area with @cr (if not NULL) or as nodes of
 * @snapshot, and appends what was drawn to @items (area px), topmost last. */
void  rl_map_layer_draw_symbols (RlMapLayer       *self,
                                 GtkSnapshot      *snapshot,
                                 cairo_t          *cr,
                                 const RlMapArea  *area,
                                 GArray           *items,
                                 RlMapAreaContent *out_content);
float rl_map_layer_point_radius (double zoom);
/* The selected point, larger, with its ring, centred on (x, y). */
void rl_map_layer_snapshot_selection (RlMapLayer  *self,
                                      GtkSnapshot *snapshot,
                                      float        x,
                                      float        y,
                                      double       zoom);
void rl_map_layer_snapshot_background (RlMapLayer  *self,
                                       GtkSnapshot *snapshot,
                                       float        w,
                                       float        h);

/* The decision points / clusters for @area, from its budget rectangle. */
void rl_map_layer_decide (RlMapLayer       *self,
                          const RlMapArea  *area,
                          RlMapAreaContent *out_content);

/* rl-map-layer-tiles.c */
/* The key tiles of the current view show (computed once per view). */
const RlMapTileKey *rl_map_layer_get_view_key (RlMapLayer *self);
/* TRUE if a tile layer of this map draws this layer's symbols. */
gboolean rl_map_layer_has_tile_layer (RlMapLayer *self);
/* Point @i's symbol changes in the coming data version: the tiles near it
 * are drawn again; see rl_map_layer_invalidate_data. */
void rl_map_layer_mark_dirty (RlMapLayer *self,
                              guint       i);
/* The same for a symbol at world position (x, y): a cluster badge. */
void           rl_map_layer_mark_dirty_at (RlMapLayer *self,
                                           double      x,
                                           double      y);
const GdkRGBA *rl_map_layer_land_color (void);
/* Redraw the tile layers drawing this layer's symbols. */
void rl_map_layer_queue_tiles (RlMapLayer *self);
void rl_map_layer_tiles_dispose (RlMapLayer *self);
/* The viewport moved: redraw now, or, while a tile layer draws the
 * symbols, in the same frame as that layer. */
void rl_map_layer_viewport_changed (RlMapLayer *self);

/* rl-map-layer-cache.c */
void rl_map_layer_snapshot_points (RlMapLayer  *self,
                                   GtkSnapshot *snapshot);
/* What symbols show changed (data, filter, clusters, style): the next
 * frame renders them again. Also forgets the last frame's items. */
void rl_map_layer_invalidate (RlMapLayer *self);
/* The same for data updates whose points were given to
 * rl_map_layer_mark_dirty: other tiles stay as they are. */
void rl_map_layer_invalidate_data (RlMapLayer *self);
void rl_map_layer_cache_clear (RlMapLayer *self);
/* Topmost symbol of the last frame under (x, y), or NULL. */
const DrawnItem *rl_map_layer_pick (RlMapLayer *self,
                                    double      x,
                                    double      y);
/* A cluster's tooltip: its count and the count per state. */
char *rl_map_layer_dup_cluster_description (RlMapLayer         *self,
                                            const RlGeoCluster *cluster);
/* The colour of a cluster: the worst class (by what a dispatcher must see
 * first) held by at least a tenth of its members. */
RlMapClass rl_map_layer_worst_class (const RlGeoCluster *cluster);

G_END_DECLS
