/* test-geo.c — projection, grid index and clusters against brute force.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-geo.h"

#include <math.h>

static void
test_projection_round_trip (void)
{
  double x, y, lat, lon;

  rl_geo_project (0, 0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (y, 0.5, 1e-12);

  rl_geo_project (RL_GEO_MAX_LATITUDE, -180, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (y, 0.0, 1e-9);

  /* Beyond the Mercator limit the latitude is clamped, never infinite. */
  rl_geo_project (90, 0, &x, &y);
  g_assert_true (isfinite (y));
  g_assert_cmpfloat_with_epsilon (y, 0.0, 1e-9);

  for (int k = 0; k < 2000; k++)
    {
      double la = g_test_rand_double_range (-85, 85);
      double lo = g_test_rand_double_range (-180, 180);

      rl_geo_project (la, lo, &x, &y);
      g_assert_cmpfloat (x, >=, 0);
      g_assert_cmpfloat (x, <=, 1);
      g_assert_cmpfloat (y, >=, 0);
      g_assert_cmpfloat (y, <=, 1);
      rl_geo_unproject (x, y, &lat, &lon);
      g_assert_cmpfloat_with_epsilon (lat, la, 1e-9);
      g_assert_cmpfloat_with_epsilon (lon, lo, 1e-9);
    }

  /* Kathmandu: north of the equator, east of Greenwich. */
  rl_geo_project (27.7172, 85.3240, &x, &y);
  g_assert_cmpfloat (x, >, 0.5);
  g_assert_cmpfloat (y, <, 0.5);
}

typedef struct
{
  guint   n;
  double *xs;
  double *ys;
} PointSet;

/* Clustered like a city: dense blobs plus uniform noise and duplicates. */
static PointSet *
point_set_new (guint n)
{
  PointSet *ps = g_new0 (PointSet, 1);
  double    cx[5], cy[5];

  ps->n = n;
  ps->xs = g_new (double, MAX (n, 1));
  ps->ys = g_new (double, MAX (n, 1));
  for (int c = 0; c < 5; c++)
    {
      cx[c] = g_test_rand_double_range (0.70, 0.71);
      cy[c] = g_test_rand_double_range (0.43, 0.44);
    }
  for (guint i = 0; i < n; i++)
    {
      int kind = g_test_rand_int_range (0, 10);

      if (kind < 6)
        {
          int c = g_test_rand_int_range (0, 5);

          ps->xs[i] = cx[c] + g_test_rand_double_range (-1e-3, 1e-3) * g_test_rand_double ();
          ps->ys[i] = cy[c] + g_test_rand_double_range (-1e-3, 1e-3) * g_test_rand_double ();
        }
      else if (kind < 9 || i == 0)
        {
          ps->xs[i] = g_test_rand_double_range (0.70, 0.71);
          ps->ys[i] = g_test_rand_double_range (0.43, 0.44);
        }
      else
        {
          guint j = g_test_rand_int_range (0, i);

          ps->xs[i] = ps->xs[j];
          ps->ys[i] = ps->ys[j];
        }
    }
  return ps;
}

static void
point_set_free (PointSet *ps)
{
  g_free (ps->xs);
  g_free (ps->ys);
  g_free (ps);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PointSet, point_set_free)

static int
cmp_uint (gconstpointer a,
          gconstpointer b)
{
  guint ua = *(const guint *) a, ub = *(const guint *) b;

  return ua < ub ? -1 : ua > ub;
}

static void
test_index_query_matches_brute_force (void)
{
  guint sizes[] = { 0, 1, 2, 17, 1000, 20000 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr (PointSet) ps = point_set_new (sizes[s]);
      g_autoptr (RlGeoIndex) index = rl_geo_index_new (ps->xs, ps->ys, ps->n);

      g_assert_cmpuint (rl_geo_index_get_n_points (index), ==, ps->n);

      for (int q = 0; q < 200; q++)
        {
          g_autoptr (GArray) got = g_array_new (FALSE, FALSE, sizeof (guint));
          g_autoptr (GArray) want = g_array_new (FALSE, FALSE, sizeof (guint));
          double x0 = g_test_rand_double_range (0.695, 0.712);
          double y0 = g_test_rand_double_range (0.425, 0.442);
          double x1 = x0 + g_test_rand_double_range (0, q % 10 == 0 ? 0.05 : 0.003);
          double y1 = y0 + g_test_rand_double_range (0, q % 10 == 0 ? 0.05 : 0.003);
          guint  added;

          added = rl_geo_index_query (index, x0, y0, x1, y1, got);
          g_assert_cmpuint (added, ==, got->len);
          for (guint i = 0; i < ps->n; i++)
            if (ps->xs[i] >= x0 && ps->xs[i] <= x1 && ps->ys[i] >= y0 && ps->ys[i] <= y1)
              g_array_append_val (want, i);
          g_array_sort (got, cmp_uint);
          g_assert_cmpmem (got->data, got->len * sizeof (guint), want->data,
                           want->len * sizeof (guint));
        }

      /* Hit test = the nearest within the radius, lowest index on ties. */
      for (int q = 0; q < 200 && ps->n > 0; q++)
        {
          double x = g_test_rand_double_range (0.70, 0.71);
          double y = g_test_rand_double_range (0.43, 0.44);
          double r = g_test_rand_double_range (0, 5e-4);
          double best_d2 = r * r;
          gint   want = -1;

          if (q % 3 == 0)
            {
              guint j = g_test_rand_int_range (0, ps->n);

              x = ps->xs[j];
              y = ps->ys[j];
            }
          for (guint i = 0; i < ps->n; i++)
            {
              double d2 = (ps->xs[i] - x) * (ps->xs[i] - x) + (ps->ys[i] - y) * (ps->ys[i] - y);

              if (d2 < best_d2 || (d2 == best_d2 && want < 0))
                {
                  best_d2 = d2;
                  want = (gint) i;
                }
            }
          g_assert_cmpint (rl_geo_index_hit_test (index, x, y, r), ==, want);
        }
    }
}

static gint
brute_nearest_in_direction (PointSet *ps,
                            guint     from,
                            double    dx,
                            double    dy)
{
  double len = hypot (dx, dy), best_d2 = G_MAXDOUBLE;
  gint   best = -1;

  dx /= len;
  dy /= len;
  for (guint i = 0; i < ps->n; i++)
    {
      double vx = ps->xs[i] - ps->xs[from], vy = ps->ys[i] - ps->ys[from];
      double along = vx * dx + vy * dy, perp = fabs (vx * dy - vy * dx);
      double d2 = vx * vx + vy * vy;

      if (i == from || along <= 0 || perp > along)
        continue;
      if (d2 < best_d2)
        {
          best_d2 = d2;
          best = (gint) i;
        }
    }
  return best;
}

static void
test_nearest_in_direction (void)
{
  const double dirs[4][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 } };

  /* A hand-made cross: from the centre, each arrow has one obvious answer. */
  {
    double xs[] = { 0.5, 0.6, 0.4, 0.5, 0.5, 0.9, 0.51 };
    double ys[] = { 0.5, 0.5, 0.5, 0.6, 0.4, 0.9, 0.45 };
    g_autoptr (RlGeoIndex) index = rl_geo_index_new (xs, ys, G_N_ELEMENTS (xs));

    g_assert_cmpint (rl_geo_index_nearest_in_direction (index, 0, 1, 0), ==, 1);
    g_assert_cmpint (rl_geo_index_nearest_in_direction (index, 0, -1, 0), ==, 2);
    g_assert_cmpint (rl_geo_index_nearest_in_direction (index, 0, 0, 1), ==, 3);
    /* Up: point 6 (0.51, 0.45) is nearer than point 4 and inside the cone. */
    g_assert_cmpint (rl_geo_index_nearest_in_direction (index, 0, 0, -1), ==, 6);
    /* Nothing right of the far corner. */
    g_assert_cmpint (rl_geo_index_nearest_in_direction (index, 5, 1, 0), ==, -1);
  }

  for (guint s = 0; s < 3; s++)
    {
      g_autoptr (PointSet) ps = point_set_new (s == 0 ? 50 : s == 1 ? 2000
                                                                    : 30000);
      g_autoptr (RlGeoIndex) index = rl_geo_index_new (ps->xs, ps->ys, ps->n);

      for (int q = 0; q < 300; q++)
        {
          guint         from = g_test_rand_int_range (0, ps->n);
          const double *d = dirs[q % 4];
          gint          got = rl_geo_index_nearest_in_direction (index, from, d[0], d[1]);
          gint          want = brute_nearest_in_direction (ps, from, d[0], d[1]);

          if (got != want)
            {
              /* Equal distances may pick either: compare distances then. */
              double gd, wd;

              g_assert_cmpint (got, >=, 0);
              g_assert_cmpint (want, >=, 0);
              gd = hypot (ps->xs[got] - ps->xs[from], ps->ys[got] - ps->ys[from]);
              wd = hypot (ps->xs[want] - ps->xs[from], ps->ys[want] - ps->ys[from]);
              g_assert_cmpfloat (gd, ==, wd);
            }
        }
    }
}

static void
test_clusters_conserve_counts (void)
{
  g_autoptr (PointSet) ps = point_set_new (50000);
  g_autoptr (RlGeoIndex) index = rl_geo_index_new (ps->xs, ps->ys, ps->n);
  g_autofree guint8 *classes = g_new (guint8, ps->n);
  guint              want_classes[RL_GEO_N_CLASSES] = { 0 };
  guint              prev_n = 0;

  for (guint i = 0; i < ps->n; i++)
    {
      classes[i] = g_test_rand_int_range (0, RL_GEO_N_CLASSES);
      want_classes[classes[i]]++;
    }

  for (guint level = 0; level <= 24; level += 2)
    {
      g_autoptr (RlGeoClusters) cl = rl_geo_clusters_new (index, classes, level);
      guint  got_classes[RL_GEO_N_CLASSES] = { 0 };
      guint  total = 0, n = rl_geo_clusters_get_n_clusters (cl);
      double tiles = ldexp (1.0, (int) level);
      g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (guint));

      g_assert_cmpuint (rl_geo_clusters_get_level (cl), ==, level);
      /* Finer levels never have fewer clusters. */
      g_assert_cmpuint (n, >=, prev_n);
      prev_n = n;

      for (guint c = 0; c < n; c++)
        {
          const RlGeoCluster *cluster = rl_geo_clusters_get (cl, c);
          guint               sum = 0;

          g_assert_cmpuint (cluster->count, >, 0);
          for (guint k = 0; k < RL_GEO_N_CLASSES; k++)
            {
              sum += cluster->class_counts[k];
              got_classes[k] += cluster->class_counts[k];
            }
          g_assert_cmpuint (sum, ==, cluster->count);
          total += cluster->count;
          /* Queries find a cluster by the tile of its drawn position. */
          g_assert_cmpuint ((guint) floor (cluster->x * tiles), ==, cluster->cx);
          g_assert_cmpuint ((guint) floor (cluster->y * tiles), ==, cluster->cy);
          /* The seed is a member, and the lowest point index in it. */
          g_assert_cmpint (rl_geo_clusters_get_cluster_of (cl, cluster->first), ==, (gint) c);
        }
      g_assert_cmpuint (total, ==, ps->n);
      g_assert_cmpmem (got_classes, sizeof got_classes, want_classes, sizeof want_classes);

      /* A query of the whole area returns every cluster once. */
      rl_geo_clusters_query (cl, 0.69, 0.42, 0.72, 0.45, all);
      g_assert_cmpuint (all->len, ==, n);
    }

  /* At a fine enough level the only multi-point clusters are duplicates. */
  {
    g_autoptr (RlGeoClusters) cl = rl_geo_clusters_new (index, classes, 30);
    g_autoptr (GHashTable) distinct = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < ps->n; i++)
      g_hash_table_add (distinct, g_strdup_printf ("%.17g,%.17g", ps->xs[i], ps->ys[i]));
    g_assert_cmpuint (rl_geo_clusters_get_n_clusters (cl), ==, g_hash_table_size (distinct));
  }
}

/* Greedy distance clustering against brute force, with a hidden mask: in
 * point order, each shown point no earlier seed claimed becomes a seed and
 * claims the unclaimed shown points within the radius. Checked against it:
 * the cluster of every point, counts per class, the mean position; and the
 * properties the map relies on: seeds more than a radius apart, members
 * within a radius of their seed. */
static void
test_clusters_greedy_brute_force (void)
{
  g_autoptr (PointSet) ps = point_set_new (4000);
  g_autoptr (RlGeoIndex) index = rl_geo_index_new (ps->xs, ps->ys, ps->n);
  g_autofree guint8 *hidden = g_new0 (guint8, ps->n);
  g_autofree guint8 *classes = g_new0 (guint8, ps->n);
  g_autofree gint   *seed_of = g_new (gint, ps->n);

  for (guint i = 0; i < ps->n; i++)
    {
      hidden[i] = g_test_rand_int_range (0, 4) == 0;
      classes[i] = (guint8) g_test_rand_int_range (0, RL_GEO_N_CLASSES);
    }
  rl_geo_index_set_hidden (index, hidden);

  for (guint level = 6; level <= 22; level++)
    {
      g_autoptr (RlGeoClusters) cl = rl_geo_clusters_new (index, classes, level);
      double r = rl_geo_clusters_radius_for_level (level);
      g_autoptr (GArray) seeds = g_array_new (FALSE, FALSE, sizeof (guint));
      guint n = rl_geo_clusters_get_n_clusters (cl);

      g_assert_cmpfloat (r, ==, ldexp (1.0, -(int) level));
      for (guint i = 0; i < ps->n; i++)
        seed_of[i] = -1;
      for (guint i = 0; i < ps->n; i++)
        {
          if (hidden[i] || seed_of[i] >= 0)
            continue;
          g_array_append_val (seeds, i);
          for (guint j = i; j < ps->n; j++)
            {
              double dx = ps->xs[j] - ps->xs[i], dy = ps->ys[j] - ps->ys[i];

              if (!hidden[j] && seed_of[j] < 0 && dx * dx + dy * dy <= r * r)
                seed_of[j] = (gint) i;
            }
        }
      g_assert_cmpuint (n, ==, seeds->len);

      for (guint i = 0; i < ps->n; i++)
        {
          gint                c = rl_geo_clusters_get_cluster_of (cl, i);
          const RlGeoCluster *cluster;

          if (hidden[i])
            {
              g_assert_cmpint (c, ==, -1);
              continue;
            }
          g_assert_cmpint (c, >=, 0);
          cluster = rl_geo_clusters_get (cl, (guint) c);
          g_assert_cmpint ((gint) cluster->first, ==, seed_of[i]);
          /* Within the radius of its seed. */
          g_assert_cmpfloat (hypot (ps->xs[i] - ps->xs[cluster->first],
                                    ps->ys[i] - ps->ys[cluster->first]),
                             <=, r);
        }

      for (guint c = 0; c < n; c++)
        {
          const RlGeoCluster *cluster = rl_geo_clusters_get (cl, c);
          guint               want_counts[RL_GEO_N_CLASSES] = { 0 };
          guint               count = 0;
          double              mx = 0, my = 0;

          for (guint i = 0; i < ps->n; i++)
            if (seed_of[i] == (gint) cluster->first)
              {
                count++;
                mx += ps->xs[i];
                my += ps->ys[i];
                want_counts[classes[i]]++;
              }
          g_assert_cmpuint (cluster->count, ==, count);
          g_assert_cmpmem (cluster->class_counts, sizeof want_counts, want_counts,
                           sizeof want_counts);
          g_assert_cmpfloat_with_epsilon (cluster->x, mx / count, 1e-12);
          g_assert_cmpfloat_with_epsilon (cluster->y, my / count, 1e-12);
        }

      /* Seeds are more than a radius apart (else the later one would have
       * been claimed). */
      for (guint a = 0; a < seeds->len; a++)
        for (guint b = a + 1; b < seeds->len; b++)
          {
            guint sa = g_array_index (seeds, guint, a), sb = g_array_index (seeds, guint, b);

            g_assert_cmpfloat (hypot (ps->xs[sa] - ps->xs[sb], ps->ys[sa] - ps->ys[sb]), >, r);
          }

      /* Reclassifying a member moves one count in its own cluster only. */
      for (guint i = 0; i < ps->n; i += 97)
        {
          gint  c = rl_geo_clusters_get_cluster_of (cl, i);
          guint to = (classes[i] + 1) % RL_GEO_N_CLASSES;
          guint before_old, before_new;

          if (c < 0)
            continue;
          before_old = rl_geo_clusters_get (cl, (guint) c)->class_counts[classes[i]];
          before_new = rl_geo_clusters_get (cl, (guint) c)->class_counts[to];
          rl_geo_clusters_reclassify (cl, i, classes[i], to);
          g_assert_cmpuint (rl_geo_clusters_get (cl, (guint) c)->class_counts[classes[i]], ==,
                            before_old - 1);
          g_assert_cmpuint (rl_geo_clusters_get (cl, (guint) c)->class_counts[to], ==,
                            before_new + (to != classes[i]));
          rl_geo_clusters_reclassify (cl, i, to, classes[i]);
        }
    }
}

/* Clusters follow the data, not a grid: two dense round blobs, each
 * centred on a corner where four tiles of the clustering level meet (a
 * grid would cut each into four quarters drawn as four badges), each
 * narrower than half the radius. Each blob is one cluster, drawn at its
 * own centre, whatever the point order. */
static void
test_clusters_follow_blobs (void)
{
  const guint        level = 14, per_blob = 5000;
  double             r = rl_geo_clusters_radius_for_level (level);
  double             tiles = ldexp (1.0, (int) level);
  double             centre[2][2] = { { 11900 / tiles, 7000 / tiles }, { 11920 / tiles, 7011 / tiles } };
  guint              n = 2 * per_blob;
  g_autofree double *xs = g_new (double, n);
  g_autofree double *ys = g_new (double, n);
  double             mean[2][2] = { { 0, 0 }, { 0, 0 } };

  for (guint i = 0; i < n; i++)
    {
      guint  b = g_test_rand_bit () ? 1 : 0;
      double a = g_test_rand_double_range (0, 2 * G_PI);
      double d = 0.45 * r * sqrt (g_test_rand_double ());

      xs[i] = centre[b][0] + d * cos (a);
      ys[i] = centre[b][1] + d * sin (a);
    }
  for (guint i = 0; i < n; i++)
    {
      guint b = hypot (xs[i] - centre[0][0], ys[i] - centre[0][1]) < r ? 0 : 1;

      mean[b][0] += xs[i];
      mean[b][1] += ys[i];
    }

  {
    g_autoptr (RlGeoIndex) index = rl_geo_index_new (xs, ys, n);
    g_autoptr (RlGeoClusters) cl = rl_geo_clusters_new (index, NULL, level);
    guint seen[2] = { 0, 0 };

    g_assert_cmpuint (rl_geo_clusters_get_n_clusters (cl), ==, 2);
    for (guint c = 0; c < 2; c++)
      {
        const RlGeoCluster *cluster = rl_geo_clusters_get (cl, c);
        guint               b = hypot (cluster->x - centre[0][0], cluster->y - centre[0][1]) < r ? 0 : 1;

        seen[b] += cluster->count;
        /* At the blob's mean, near its centre: on the tile corner, not in
         * the middle of a tile. */
        g_assert_cmpfloat (hypot (cluster->x - centre[b][0], cluster->y - centre[b][1]), <,
                           0.05 * r);
      }
    for (guint b = 0; b < 2; b++)
      {
        const RlGeoCluster *cluster = NULL;

        for (guint c = 0; c < 2; c++)
          if (hypot (rl_geo_clusters_get (cl, c)->x - centre[b][0],
                     rl_geo_clusters_get (cl, c)->y - centre[b][1])
              < r)
            cluster = rl_geo_clusters_get (cl, c);
        g_assert_nonnull (cluster);
        g_assert_cmpuint (cluster->count, ==, seen[b]);
        g_assert_cmpfloat_with_epsilon (cluster->x, mean[b][0] / cluster->count, 1e-12);
        g_assert_cmpfloat_with_epsilon (cluster->y, mean[b][1] / cluster->count, 1e-12);
      }
    g_assert_cmpuint (seen[0] + seen[1], ==, n);
  }
}

/* Hidden points: skipped by queries, hit tests, directional moves and
 * clusters, exactly as if they were not there. */
static void
test_index_hidden (void)
{
  g_autoptr (PointSet) ps = point_set_new (3000);
  g_autoptr (RlGeoIndex) index = rl_geo_index_new (ps->xs, ps->ys, ps->n);
  g_autofree guint8 *hidden = g_new0 (guint8, ps->n);
  g_autofree guint8 *classes = g_new0 (guint8, ps->n);
  g_autoptr (GArray) got = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_shown = 0;

  for (guint i = 0; i < ps->n; i++)
    {
      hidden[i] = g_test_rand_int_range (0, 3) == 0;
      n_shown += !hidden[i];
      classes[i] = (guint8) (i % RL_GEO_N_CLASSES);
    }
  rl_geo_index_set_hidden (index, hidden);
  /* Copied: the caller's array may change. */
  hidden[0] = !hidden[0];
  g_assert_cmpint (rl_geo_index_is_hidden (index, 0), ==, !hidden[0]);
  hidden[0] = !hidden[0];

  for (int k = 0; k < 200; k++)
    {
      double x0 = g_test_rand_double_range (0.699, 0.711);
      double y0 = g_test_rand_double_range (0.429, 0.441);
      double x1 = x0 + g_test_rand_double_range (0, 0.004);
      double y1 = y0 + g_test_rand_double_range (0, 0.004);
      double hx = g_test_rand_double_range (0.70, 0.71);
      double hy = g_test_rand_double_range (0.43, 0.44);
      double radius = g_test_rand_double_range (1e-6, 1e-3);
      double best = radius * radius;
      guint  want = 0;
      gint   want_hit = -1;

      g_array_set_size (got, 0);
      rl_geo_index_query (index, x0, y0, x1, y1, got);
      for (guint k2 = 0; k2 < got->len; k2++)
        g_assert_false (hidden[g_array_index (got, guint, k2)]);
      for (guint i = 0; i < ps->n; i++)
        {
          double d2 = (ps->xs[i] - hx) * (ps->xs[i] - hx) + (ps->ys[i] - hy) * (ps->ys[i] - hy);

          if (hidden[i])
            continue;
          want += ps->xs[i] >= x0 && ps->xs[i] <= x1 && ps->ys[i] >= y0 && ps->ys[i] <= y1;
          if (d2 < best || (d2 == best && want_hit >= 0 && (gint) i < want_hit))
            {
              best = d2;
              want_hit = (gint) i;
            }
        }
      g_assert_cmpuint (got->len, ==, want);
      g_assert_cmpint (rl_geo_index_hit_test (index, hx, hy, radius), ==, want_hit);
    }

  /* The nearest shown point at any distance, near the points or far off. */
  for (int k = 0; k < 50; k++)
    {
      double qx = k % 2 ? g_test_rand_double_range (0.70, 0.71) : g_test_rand_double_range (0, 1);
      double qy = k % 2 ? g_test_rand_double_range (0.43, 0.44) : g_test_rand_double_range (0, 1);
      double best = G_MAXDOUBLE;
      gint   want_nearest = -1;

      for (guint i = 0; i < ps->n; i++)
        {
          double d2 = (ps->xs[i] - qx) * (ps->xs[i] - qx) + (ps->ys[i] - qy) * (ps->ys[i] - qy);

          if (!hidden[i] && d2 < best)
            {
              best = d2;
              want_nearest = (gint) i;
            }
        }
      g_assert_cmpint (rl_geo_index_nearest (index, qx, qy), ==, want_nearest);
    }

  /* Directional moves from shown points land on shown points only. */
  for (guint from = 0; from < ps->n; from += 37)
    {
      gint to = rl_geo_index_nearest_in_direction (index, from, 1, 0);

      g_assert_true (to < 0 || !hidden[to]);
    }

  /* Clusters count shown points only, at every level. */
  for (guint level = 8; level <= 22; level += 2)
    {
      g_autoptr (RlGeoClusters) clusters = rl_geo_clusters_new (index, classes, level);
      guint total = 0;

      for (guint c = 0; c < rl_geo_clusters_get_n_clusters (clusters); c++)
        {
          const RlGeoCluster *cl = rl_geo_clusters_get (clusters, c);

          total += cl->count;
          g_assert_false (hidden[cl->first]);
        }
      g_assert_cmpuint (total, ==, n_shown);
    }

  /* NULL shows all again. */
  rl_geo_index_set_hidden (index, NULL);
  g_array_set_size (got, 0);
  g_assert_cmpuint (rl_geo_index_query (index, 0, 0, 1, 1, got), ==, ps->n);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/geo/projection-round-trip", test_projection_round_trip);
  g_test_add_func ("/geo/index-query-brute-force", test_index_query_matches_brute_force);
  g_test_add_func ("/geo/nearest-in-direction", test_nearest_in_direction);
  g_test_add_func ("/geo/clusters-conserve-counts", test_clusters_conserve_counts);
  g_test_add_func ("/geo/index-hidden", test_index_hidden);
  g_test_add_func ("/geo/clusters-greedy-brute-force", test_clusters_greedy_brute_force);
  g_test_add_func ("/geo/clusters-follow-blobs", test_clusters_follow_blobs);

  return g_test_run ();
}
