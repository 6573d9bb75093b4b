/* rl-map-layer-private.h — RlMapLayer's state, shared by its two files.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-geo.h"
#include "rl-map-layer.h"

G_BEGIN_DECLS

#define RL_MAP_MAX_LEVEL 30

typedef enum {
  DRAWN_POINT,
  DRAWN_CLUSTER,
} DrawnKind;

/* One symbol of the last snapshot, in widget coordinates (before rotation). */
typedef struct {
  float     x, y, radius;
  DrawnKind kind;
  guint     index;   /* point index, or cluster index at frame_level */
} DrawnItem;

struct _RlMapLayer
{
  ShumateLayer     parent_instance;

  /* Points, struct of arrays. */
  guint            n;
  GStringChunk    *strings;
  const char     **ids;
  const char     **names;
  float           *fill;
  guint8          *flags;
  guint8          *classes;
  gint64          *last_ms;
  GHashTable      *by_id;          /* id → index + 1 */
  RlGeoIndex      *index;
  RlGeoClusters   *clusters[RL_MAP_MAX_LEVEL + 1];   /* built lazily */

  gint             selected;       /* point index or -1 */

  /* Filter: the ids to show (own copy; NULL = all), as a mask per point
   * (also set on the index, which then skips hidden points everywhere). */
  GHashTable      *shown_ids;
  guint8          *hidden;         /* n bytes, or NULL when all are shown */
  guint            n_shown;

  /* Last frame. */
  GArray          *drawn;          /* DrawnItem */
  GArray          *scratch;        /* guint */
  RlMapLayerFrameStats frame_stats;
  guint            frame_level;
  double           frame_rotation;
  float            frame_w, frame_h;

  GHashTable      *labels;         /* count text → PangoLayout */
  GArray          *labels_pending; /* this frame's cluster labels */

  guint            redraw_source;
  gint64           last_data_redraw_us;
  guint            data_redraws;
  gboolean         draw_background;
};

/* rl-map-layer-draw.c */
void           rl_map_layer_snapshot_points (RlMapLayer  *self,
                                             GtkSnapshot *snapshot);
RlGeoClusters *rl_map_layer_get_clusters    (RlMapLayer  *self,
                                             guint        level);
/* Topmost symbol of the last frame under (x, y), or NULL. */
const DrawnItem *rl_map_layer_pick          (RlMapLayer  *self,
                                             double       x,
                                             double       y);
/* The colour of a cluster: the worst class (by what a dispatcher must see
 * first) held by at least a tenth of its members. */
RlMapClass     rl_map_layer_worst_class     (const RlGeoCluster *cluster);

G_END_DECLS
