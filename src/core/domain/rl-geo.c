/* rl-geo.c — Web Mercator projection, a grid spatial index and distance clusters.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
rl_geo_project (double  latitude,
                double  longitude,
                double *out_x,
                double *out_y)
{
  double s;

  latitude = CLAMP (latitude, -RL_GEO_MAX_LATITUDE, RL_GEO_MAX_LATITUDE);
  longitude = CLAMP (longitude, -180.0, 180.0);
  s = sin (latitude * G_PI / 180.0);
  /* Same formula as libshumate's map source, so pixels agree. */
  *out_x = (longitude + 180.0) / 360.0;
  *out_y = 0.5 - log ((1.0 + s) / (1.0 - s)) / (4.0 * G_PI);
}

void
rl_geo_unproject (double  x,
                  double  y,
                  double *out_latitude,
                  double *out_longitude)
{
  double n = G_PI - 2.0 * G_PI * y;

  *out_longitude = x * 360.0 - 180.0;
  *out_latitude = 180.0 / G_PI * atan (0.5 * (exp (n) - exp (-n)));
}

/* ---- Grid index --------------------------------------------------------- */

struct _RlGeoIndex
{
  guint   n;
  double *xs;
  double *ys;
  double  x0, y0; /* grid origin */
  double  cw, ch; /* cell size */
  guint   nx, ny;
  guint  *cell_start; /* nx·ny + 1 offsets into members */
  guint  *members;    /* point indices, grouped by cell, ascending within */
  guint8 *hidden;     /* n bytes, non-zero = hidden; NULL if none is */
};

#define HIDDEN(self, i) ((self)->hidden != NULL && (self)->hidden[i] != 0)

static inline guint
cell_col (RlGeoIndex *self,
          double      x)
{
  double c = floor ((x - self->x0) / self->cw);

  if (c < 0)
    return 0;
  if (c >= self->nx)
    return self->nx - 1;
  return (guint) c;
}

static inline guint
cell_row (RlGeoIndex *self,
          double      y)
{
  double r = floor ((y - self->y0) / self->ch);

  if (r < 0)
    return 0;
  if (r >= self->ny)
    return self->ny - 1;
  return (guint) r;
}

RlGeoIndex *
rl_geo_index_new (const double *xs,
                  const double *ys,
                  guint         n)
{
  RlGeoIndex       *self = g_new0 (RlGeoIndex, 1);
  double            minx = G_MAXDOUBLE, miny = G_MAXDOUBLE;
  double            maxx = -G_MAXDOUBLE, maxy = -G_MAXDOUBLE;
  double            w, h, cells;
  guint             ncells;
  g_autofree guint *fill = NULL;

  g_return_val_if_fail (n == 0 || (xs != NULL && ys != NULL), NULL);

  self->n = n;
  self->xs = g_new (double, MAX (n, 1));
  self->ys = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      self->xs[i] = xs[i];
      self->ys[i] = ys[i];
      minx = MIN (minx, xs[i]);
      miny = MIN (miny, ys[i]);
      maxx = MAX (maxx, xs[i]);
      maxy = MAX (maxy, ys[i]);
    }
  if (n == 0)
    minx = miny = maxx = maxy = 0.5;

  /* A degenerate box (one point, a line) still needs a positive cell size. */
  w = MAX (maxx - minx, 1e-9);
  h = MAX (maxy - miny, 1e-9);
  cells = MAX (1.0, n / 4.0);
  self->nx = (guint) CLAMP (ceil (sqrt (cells * w / h)), 1, 4096);
  self->ny = (guint) CLAMP (ceil (cells / self->nx), 1, 4096);
  self->x0 = minx;
  self->y0 = miny;
  self->cw = w / self->nx * (1 + 1e-9);
  self->ch = h / self->ny * (1 + 1e-9);

  ncells = self->nx * self->ny;
  self->cell_start = g_new0 (guint, ncells + 1);
  self->members = g_new (guint, MAX (n, 1));
  fill = g_new0 (guint, ncells);

  /* Counting sort: members end up grouped by cell, ascending within one. */
  for (guint i = 0; i < n; i++)
    self->cell_start[cell_row (self, ys[i]) * self->nx + cell_col (self, xs[i]) + 1]++;
  for (guint c = 0; c < ncells; c++)
    self->cell_start[c + 1] += self->cell_start[c];
  for (guint i = 0; i < n; i++)
    {
      guint c = cell_row (self, ys[i]) * self->nx + cell_col (self, xs[i]);
      self->members[self->cell_start[c] + fill[c]++] = i;
    }

  return self;
}

void
rl_geo_index_free (RlGeoIndex *self)
{
  if (self == NULL)
    return;
  g_free (self->xs);
  g_free (self->ys);
  g_free (self->cell_start);
  g_free (self->members);
  g_free (self->hidden);
  g_free (self);
}

guint
rl_geo_index_get_n_points (RlGeoIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n;
}

void
rl_geo_index_get_point (RlGeoIndex *self,
                        guint       i,
                        double     *out_x,
                        double     *out_y)
{
  g_return_if_fail (self != NULL && i < self->n);
  *out_x = self->xs[i];
  *out_y = self->ys[i];
}

void
rl_geo_index_set_hidden (RlGeoIndex   *self,
                         const guint8 *hidden)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->hidden, g_free);
  if (hidden == NULL)
    return;
  for (guint i = 0; i < self->n; i++)
    if (hidden[i] != 0)
      {
        self->hidden = g_memdup2 (hidden, MAX (self->n, 1));
        return;
      }
}

gboolean
rl_geo_index_is_hidden (RlGeoIndex *self,
                        guint       i)
{
  g_return_val_if_fail (self != NULL && i < self->n, FALSE);
  return HIDDEN (self, i);
}

guint
rl_geo_index_query (RlGeoIndex *self,
                    double      x0,
                    double      y0,
                    double      x1,
                    double      y1,
                    GArray     *out)
{
  guint c0, c1, r0, r1, added = 0;

  g_return_val_if_fail (self != NULL && out != NULL, 0);

  if (self->n == 0 || x1 < x0 || y1 < y0)
    return 0;
  c0 = cell_col (self, x0);
  c1 = cell_col (self, x1);
  r0 = cell_row (self, y0);
  r1 = cell_row (self, y1);

  for (guint r = r0; r <= r1; r++)
    for (guint c = c0; c <= c1; c++)
      {
        guint cell = r * self->nx + c;

        for (guint k = self->cell_start[cell]; k < self->cell_start[cell + 1]; k++)
          {
            guint  i = self->members[k];
            double x = self->xs[i], y = self->ys[i];

            if (HIDDEN (self, i))
              continue;
            if (x >= x0 && x <= x1 && y >= y0 && y <= y1)
              {
                g_array_append_val (out, i);
                added++;
              }
          }
      }
  return added;
}

gint
rl_geo_index_hit_test (RlGeoIndex *self,
                       double      x,
                       double      y,
                       double      radius)
{
  g_autoptr (GArray) near = g_array_new (FALSE, FALSE, sizeof (guint));
  double best_d2 = radius * radius;
  gint   best = -1;

  g_return_val_if_fail (self != NULL, -1);

  rl_geo_index_query (self, x - radius, y - radius, x + radius, y + radius, near);
  for (guint k = 0; k < near->len; k++)
    {
      guint  i = g_array_index (near, guint, k);
      double dx = self->xs[i] - x, dy = self->ys[i] - y;
      double d2 = dx * dx + dy * dy;

      if (d2 < best_d2 || (d2 == best_d2 && (best < 0 || (gint) i < best)))
        {
          best_d2 = d2;
          best = (gint) i;
        }
    }
  return best;
}

gint
rl_geo_index_nearest (RlGeoIndex *self,
                      double      x,
                      double      y)
{
  double best_d2 = G_MAXDOUBLE;
  gint   best = -1;

  g_return_val_if_fail (self != NULL, -1);

  /* Growing circles first (cheap where points are dense), then all. */
  for (double r = 1e-6; r < 2 && best < 0; r *= 8)
    best = rl_geo_index_hit_test (self, x, y, r);
  if (best >= 0)
    return best;
  for (guint i = 0; i < self->n; i++)
    {
      double d2 = (self->xs[i] - x) * (self->xs[i] - x) + (self->ys[i] - y) * (self->ys[i] - y);

      if (!HIDDEN (self, i) && d2 < best_d2)
        {
          best_d2 = d2;
          best = (gint) i;
        }
    }
  return best;
}

static void
consider_cell (RlGeoIndex *self,
               guint       cell,
               guint       from,
               double      dx,
               double      dy,
               double     *best_d2,
               gint       *best)
{
  double fx = self->xs[from], fy = self->ys[from];

  for (guint k = self->cell_start[cell]; k < self->cell_start[cell + 1]; k++)
    {
      guint  i = self->members[k];
      double vx = self->xs[i] - fx, vy = self->ys[i] - fy;
      double along = vx * dx + vy * dy;
      double perp = fabs (vx * dy - vy * dx);
      double d2;

      if (i == from || along <= 0 || perp > along || HIDDEN (self, i))
        continue;
      d2 = vx * vx + vy * vy;
      if (d2 < *best_d2 || (d2 == *best_d2 && (gint) i < *best))
        {
          *best_d2 = d2;
          *best = (gint) i;
        }
    }
}

gint
rl_geo_index_nearest_in_direction (RlGeoIndex *self,
                                   guint       from,
                                   double      dx,
                                   double      dy)
{
  double len = hypot (dx, dy);
  double best_d2 = G_MAXDOUBLE;
  double step = MIN (self->cw, self->ch);
  gint   best = -1;
  gint   fc, fr;
  guint  max_ring;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (from < self->n, -1);
  g_return_val_if_fail (len > 0, -1);

  dx /= len;
  dy /= len;
  fc = (gint) cell_col (self, self->xs[from]);
  fr = (gint) cell_row (self, self->ys[from]);
  max_ring = MAX (self->nx, self->ny);

  /* Square rings of cells around the start cell: every point of ring r is
   * at least (r − 1) cells away, so stop once that exceeds the best. */
  for (guint r = 0; r <= max_ring; r++)
    {
      double min_dist = r >= 1 ? (r - 1) * step : 0;

      if (best >= 0 && min_dist * min_dist > best_d2)
        break;

      for (gint row = fr - (gint) r; row <= fr + (gint) r; row++)
        {
          gint col_step;

          if (row < 0 || row >= (gint) self->ny)
            continue;
          /* Inner rows visit only the two edge columns of the ring. */
          col_step = (row == fr - (gint) r || row == fr + (gint) r || r == 0) ? 1 : 2 * (gint) r;
          for (gint col = fc - (gint) r; col <= fc + (gint) r; col += col_step)
            {
              if (col < 0 || col >= (gint) self->nx)
                continue;
              consider_cell (self, (guint) row * self->nx + (guint) col, from, dx, dy, &best_d2,
                             &best);
            }
        }
    }
  return best;
}

/* ---- Distance clusters -------------------------------------------------- */

struct _RlGeoClusters
{
  guint   level;
  double  radius;
  guint   n;     /* points of the index */
  guint  *owner; /* n: the cluster of each point, G_MAXUINT if hidden */
  GArray *cells; /* RlGeoCluster sorted by (cy, cx), then seed */
};

double
rl_geo_clusters_radius_for_level (guint level)
{
  return ldexp (1.0, -(int) MIN (level, 30));
}

static inline guint64
cell_key (guint cx,
          guint cy)
{
  return ((guint64) cy << 32) | cx;
}

static inline guint
tile_coord (double v,
            double tiles)
{
  double t = floor (v * tiles);

  return (guint) CLAMP (t, 0, tiles - 1);
}

typedef struct
{
  guint64 key;
  guint   seed;
  guint   slot;
} SortEntry;

static int
sort_entry_cmp (const void *a,
                const void *b)
{
  const SortEntry *ea = a, *eb = b;

  if (ea->key != eb->key)
    return ea->key < eb->key ? -1 : 1;
  return ea->seed < eb->seed ? -1 : ea->seed > eb->seed;
}

/* Seed @seed claims every unclaimed shown point within the radius. */
static void
claim_around (RlGeoIndex    *index,
              RlGeoClusters *self,
              guint          seed,
              guint          slot,
              RlGeoCluster  *c,
              const guint8  *classes)
{
  double sx = index->xs[seed], sy = index->ys[seed];
  double r = self->radius, r2 = r * r;
  guint  c0 = cell_col (index, sx - r), c1 = cell_col (index, sx + r);
  guint  r0 = cell_row (index, sy - r), r1 = cell_row (index, sy + r);

  for (guint row = r0; row <= r1; row++)
    {
      guint cell0 = row * index->nx + c0;
      guint k0 = index->cell_start[cell0], k1 = index->cell_start[row * index->nx + c1 + 1];

      /* A row of cells is contiguous in members. */
      for (guint k = k0; k < k1; k++)
        {
          guint  j = index->members[k];
          double dx, dy;

          /* Points before the seed are all claimed (or hidden): an
           * unclaimed one would have been a seed itself. */
          if (j < seed || self->owner[j] != G_MAXUINT || HIDDEN (index, j))
            continue;
          dx = index->xs[j] - sx;
          dy = index->ys[j] - sy;
          if (dx * dx + dy * dy > r2)
            continue;
          self->owner[j] = slot;
          c->count++;
          c->x += index->xs[j];
          c->y += index->ys[j];
          c->class_counts[classes != NULL ? MIN (classes[j], RL_GEO_N_CLASSES - 1) : 0]++;
        }
    }
}

RlGeoClusters *
rl_geo_clusters_new (RlGeoIndex   *index,
                     const guint8 *classes,
                     guint         level)
{
  RlGeoClusters *self;
  g_autoptr (GArray) built = NULL;
  g_autofree SortEntry *order = NULL;
  g_autofree guint     *remap = NULL;
  double                tiles;

  g_return_val_if_fail (index != NULL, NULL);
  g_return_val_if_fail (level <= 30, NULL);

  self = g_new0 (RlGeoClusters, 1);
  self->level = level;
  self->radius = rl_geo_clusters_radius_for_level (level);
  self->n = index->n;
  self->owner = g_new (guint, MAX (index->n, 1));
  memset (self->owner, 0xff, sizeof (guint) * MAX (index->n, 1));
  tiles = ldexp (1.0, (int) level);
  built = g_array_new (FALSE, FALSE, sizeof (RlGeoCluster));

  /* Greedy, in point order: each point no earlier seed claimed starts a
   * cluster and claims the unclaimed points within the radius. */
  for (guint i = 0; i < index->n; i++)
    {
      RlGeoCluster fresh = { 0 };

      if (self->owner[i] != G_MAXUINT || HIDDEN (index, i))
        continue;
      fresh.first = i;
      claim_around (index, self, i, built->len, &fresh, classes);
      fresh.x /= fresh.count;
      fresh.y /= fresh.count;
      fresh.cx = tile_coord (fresh.x, tiles);
      fresh.cy = tile_coord (fresh.y, tiles);
      g_array_append_val (built, fresh);
    }

  /* Sorted by the cell of the drawn position, for rectangle queries. */
  order = g_new (SortEntry, MAX (built->len, 1));
  for (guint s = 0; s < built->len; s++)
    {
      const RlGeoCluster *c = &g_array_index (built, RlGeoCluster, s);

      order[s] = (SortEntry){ cell_key (c->cx, c->cy), c->first, s };
    }
  qsort (order, built->len, sizeof (SortEntry), sort_entry_cmp);
  remap = g_new (guint, MAX (built->len, 1));
  self->cells = g_array_sized_new (FALSE, FALSE, sizeof (RlGeoCluster), built->len);
  for (guint s = 0; s < built->len; s++)
    {
      remap[order[s].slot] = s;
      g_array_append_val (self->cells, g_array_index (built, RlGeoCluster, order[s].slot));
    }
  for (guint i = 0; i < index->n; i++)
    if (self->owner[i] != G_MAXUINT)
      self->owner[i] = remap[self->owner[i]];

  return self;
}

void
rl_geo_clusters_free (RlGeoClusters *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->cells);
  g_free (self->owner);
  g_free (self);
}

guint
rl_geo_clusters_get_level (RlGeoClusters *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->level;
}

guint
rl_geo_clusters_get_n_clusters (RlGeoClusters *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->cells->len;
}

const RlGeoCluster *
rl_geo_clusters_get (RlGeoClusters *self,
                     guint          i)
{
  g_return_val_if_fail (self != NULL && i < self->cells->len, NULL);
  return &g_array_index (self->cells, RlGeoCluster, i);
}

gint
rl_geo_clusters_get_cluster_of (RlGeoClusters *self,
                                guint          point)
{
  g_return_val_if_fail (self != NULL && point < self->n, -1);
  return self->owner[point] == G_MAXUINT ? -1 : (gint) self->owner[point];
}

/* First cluster whose key is ≥ @key. */
static guint
lower_bound (RlGeoClusters *self,
             guint64        key)
{
  guint lo = 0, hi = self->cells->len;

  while (lo < hi)
    {
      guint               mid = lo + (hi - lo) / 2;
      const RlGeoCluster *c = &g_array_index (self->cells, RlGeoCluster, mid);

      if (cell_key (c->cx, c->cy) < key)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

void
rl_geo_clusters_reclassify (RlGeoClusters *self,
                            guint          point,
                            guint          old_class,
                            guint          new_class)
{
  RlGeoCluster *c;

  g_return_if_fail (self != NULL && point < self->n);
  g_return_if_fail (old_class < RL_GEO_N_CLASSES && new_class < RL_GEO_N_CLASSES);

  if (self->owner[point] == G_MAXUINT)
    return;
  c = &g_array_index (self->cells, RlGeoCluster, self->owner[point]);
  if (c->class_counts[old_class] == 0)
    return;
  c->class_counts[old_class]--;
  c->class_counts[new_class]++;
}

guint
rl_geo_clusters_query (RlGeoClusters *self,
                       double         x0,
                       double         y0,
                       double         x1,
                       double         y1,
                       GArray        *out)
{
  double tiles;
  guint  cx0, cx1, cy0, cy1, added = 0;

  g_return_val_if_fail (self != NULL && out != NULL, 0);
  if (x1 < x0 || y1 < y0 || self->cells->len == 0)
    return 0;

  tiles = ldexp (1.0, (int) self->level);
  cx0 = tile_coord (x0, tiles);
  cx1 = tile_coord (x1, tiles);
  cy0 = tile_coord (y0, tiles);
  cy1 = tile_coord (y1, tiles);

  for (guint cy = cy0; cy <= cy1; cy++)
    {
      guint64 end = cell_key (cx1, cy);

      for (guint s = lower_bound (self, cell_key (cx0, cy)); s < self->cells->len; s++)
        {
          const RlGeoCluster *c = &g_array_index (self->cells, RlGeoCluster, s);

          if (cell_key (c->cx, c->cy) > end)
            break;
          g_array_append_val (out, s);
          added++;
        }
    }
  return added;
}
