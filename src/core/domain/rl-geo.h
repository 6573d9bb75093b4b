/* rl-geo.h — Web Mercator projection, a grid spatial index and distance clusters.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * World units: x and y in 0..1, x eastwards from longitude −180°, y
 * southwards from latitude +85.0511° (the square Web Mercator world). At zoom
 * z with 256-pixel tiles one world unit is 256·2^z pixels. Points are
 * projected once; the map layer works in world units from then on.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RL_GEO_MAX_LATITUDE 85.0511287798

/* Latitude/longitude in degrees → world units (latitude clamped). */
void rl_geo_project (double  latitude,
                     double  longitude,
                     double *out_x,
                     double *out_y);
void rl_geo_unproject (double  x,
                       double  y,
                       double *out_latitude,
                       double *out_longitude);

/* ---- Grid index --------------------------------------------------------- */

typedef struct _RlGeoIndex RlGeoIndex;

/* Builds an index over @n points (world units; the arrays are copied). The
 * grid covers the points' bounding box with about 4 points per cell. */
RlGeoIndex *rl_geo_index_new (const double *xs,
                              const double *ys,
                              guint         n);
void        rl_geo_index_free (RlGeoIndex *index);
guint       rl_geo_index_get_n_points (RlGeoIndex *index);
void        rl_geo_index_get_point (RlGeoIndex *index,
                                    guint       i,
                                    double     *out_x,
                                    double     *out_y);

/* Appends to @out (a GArray of guint) the index of every point with
 * x0 ≤ x ≤ x1 and y0 ≤ y ≤ y1; returns how many were appended. */
guint rl_geo_index_query (RlGeoIndex *index,
                          double      x0,
                          double      y0,
                          double      x1,
                          double      y1,
                          GArray     *out);

/* The point nearest to (x, y) within @radius (Euclidean), or -1. Ties go
 * to the lower index. */
gint rl_geo_index_hit_test (RlGeoIndex *index,
                            double      x,
                            double      y,
                            double      radius);
/* The shown point nearest to (x, y) at any distance, -1 if none is shown. */
gint rl_geo_index_nearest (RlGeoIndex *index,
                           double      x,
                           double      y);

/* The nearest point (Euclidean) to point @from in the 90° cone around the
 * direction (@dx, @dy): a point p qualifies when along = (p − from)·d > 0 and
 * |perp| ≤ along, with d the normalised direction. Points at the same place
 * as @from never qualify. Ties go to the lower index. Returns -1 if none. */
gint rl_geo_index_nearest_in_direction (RlGeoIndex *index,
                                        guint       from,
                                        double      dx,
                                        double      dy);

/* Hides points from every query of the index and from clusters built on
 * it afterwards: @hidden has n bytes, non-zero = hidden (copied; NULL shows
 * every point). Hidden points keep their index and position
 * (rl_geo_index_get_point still answers) but rl_geo_index_query,
 * rl_geo_index_hit_test, rl_geo_index_nearest_in_direction and
 * rl_geo_clusters_new skip them. */
void     rl_geo_index_set_hidden (RlGeoIndex   *index,
                                  const guint8 *hidden);
gboolean rl_geo_index_is_hidden (RlGeoIndex *index,
                                 guint       i);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlGeoIndex, rl_geo_index_free)

/* ---- Distance clusters -------------------------------------------------- */

#define RL_GEO_N_CLASSES 10

/* One cluster of a level: a seed point and the points it claimed. */
typedef struct
{
  double x, y;   /* mean position of the members, world units: drawn there */
  guint  cx, cy; /* the tile of (x, y) at zoom level (for queries) */
  guint  count;
  guint  first; /* the seed: the cluster's lowest point index (the only
                 * member if count is 1) */
  guint class_counts[RL_GEO_N_CLASSES];
} RlGeoCluster;

typedef struct _RlGeoClusters RlGeoClusters;

/* The clustering radius of @level in world units: 2^-level, one tile of
 * zoom @level (64 px at zoom level − 2). */
double rl_geo_clusters_radius_for_level (guint level);

/* Clusters every point of @index (but hidden ones) by distance, greedily
 * in point order: a point no earlier seed claimed becomes a seed and claims
 * every unclaimed point within rl_geo_clusters_radius_for_level (@level)
 * (Euclidean, world units). So a point belongs to the lowest-index seed
 * within the radius, seeds are more than the radius apart, and the result
 * depends only on the points, the hidden mask and the level. Members are
 * counted per class (@classes[i] < RL_GEO_N_CLASSES; NULL: all class 0).
 * @level is 0..30. */
RlGeoClusters *rl_geo_clusters_new (RlGeoIndex   *index,
                                    const guint8 *classes,
                                    guint         level);
void           rl_geo_clusters_free (RlGeoClusters *clusters);
guint          rl_geo_clusters_get_level (RlGeoClusters *clusters);
guint          rl_geo_clusters_get_n_clusters (RlGeoClusters *clusters);
const RlGeoCluster *
rl_geo_clusters_get (RlGeoClusters *clusters,
                     guint          i);
/* The cluster that holds point @point, -1 if it was hidden. */
gint rl_geo_clusters_get_cluster_of (RlGeoClusters *clusters,
                                     guint          point);
/* Moves member @point from class @old_class to @new_class: keeps the
 * counts right when a point's state changes without a rebuild. */
void rl_geo_clusters_reclassify (RlGeoClusters *clusters,
                                 guint          point,
                                 guint          old_class,
                                 guint          new_class);
/* Appends to @out (a GArray of guint) every cluster whose position lies in
 * a tile of zoom level that intersects the world rectangle (a superset of
 * those positioned inside it); returns how many were appended. */
guint rl_geo_clusters_query (RlGeoClusters *clusters,
                             double         x0,
                             double         y0,
                             double         x1,
                             double         y1,
                             GArray        *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlGeoClusters, rl_geo_clusters_free)

G_END_DECLS
