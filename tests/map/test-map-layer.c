/* test-map-layer.c — RlMapLayer in a real window (needs a display: Xvfb).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 5,000 synthetic Kathmandu points on a ShumateMap: keyboard moves, click
 * hit tests, clusters against single points, coalesced data redraws,
 * descriptions, cold start from the store, and an MBTiles pack rendered
 * with no network.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "map-test-util.h"
#include "../gui/gui-test-wait.h"
#include "rl-test-util.h"
#include "rl-geo.h"
#include "rl-map-layer.h"
#include "rl-map-legend.h"
#include "rl-store.h"
#include "rl-tile-sources.h"
#include "rl-time.h"
#include "rl-url.h"

#define N_POINTS 5000

static char **system_data_dirs;

typedef struct
{
  GtkWindow       *window;
  ShumateMap      *map;
  ShumateViewport *viewport;
  RlMapLayer      *layer;
  MapTestPoints   *pts;
  guint            activated;
  char            *activated_id;
} Fixture;

static void
activated_cb (RlMapLayer *layer,
              const char *id,
              Fixture    *f)
{
  f->activated++;
  g_free (f->activated_id);
  f->activated_id = g_strdup (id);
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  RlMapPoints view;

  map_test_map_window_new (800, 600, &f->window, &f->map, &f->viewport, &f->layer);
  g_signal_connect (f->layer, "activated", G_CALLBACK (activated_cb), f);

  f->pts = map_test_points_new (N_POINTS, 42);
  view = map_test_points_view (f->pts);
  rl_map_layer_set_points (f->layer, &view);

  shumate_viewport_set_zoom_level (f->viewport, 12);
  shumate_location_set_location (SHUMATE_LOCATION (f->viewport), MAP_TEST_CENTER_LAT,
                                 MAP_TEST_CENTER_LON);
  gtk_window_present (f->window);
  g_assert_true (map_test_wait (map_test_layer_drew, f->layer, 20000));
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  gui_test_destroy_and_wait (f->window, f->layer, 10000);
  map_test_points_free (f->pts);
  g_free (f->activated_id);
}

/* Waits for a frame after a viewport change. */
static void
settle (Fixture *f)
{
  map_test_wait_settled (f->layer, 20000);
}

static void
test_keyboard (Fixture      *f,
               gconstpointer data)
{
  const int   dirs[4][2] = { { 1, 0 }, { 0, 1 }, { -1, 0 }, { 0, -1 } };
  const char *id;

  /* No selection: an arrow selects the point nearest the centre. */
  g_assert_null (rl_map_layer_get_selected_id (f->layer));
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (f->layer), "map-layer.move", "(ii)", 1, 0));
  id = rl_map_layer_get_selected_id (f->layer);
  g_assert_nonnull (id);

  /* Twelve moves, each to the brute-force answer, the map following. */
  for (guint k = 0; k < 12; k++)
    {
      guint      from = map_test_points_index_of (f->pts, rl_map_layer_get_selected_id (f->layer));
      const int *d = dirs[k % 4];
      gint       want = map_test_nearest_in_direction (f->pts, from, d[0], d[1], NULL);

      gtk_widget_activate_action (GTK_WIDGET (f->layer), "map-layer.move", "(ii)", d[0], d[1]);
      if (want < 0)
        {
          g_assert_cmpstr (rl_map_layer_get_selected_id (f->layer), ==, f->pts->ids[from]);
          continue;
        }
      g_assert_cmpstr (rl_map_layer_get_selected_id (f->layer), ==, f->pts->ids[want]);
      g_assert_cmpfloat_with_epsilon (
          shumate_location_get_latitude (SHUMATE_LOCATION (f->viewport)), f->pts->lat[want], 1e-6);
      g_assert_cmpfloat_with_epsilon (
          shumate_location_get_longitude (SHUMATE_LOCATION (f->viewport)), f->pts->lon[want], 1e-6);
    }

  /* Enter opens, Escape clears. */
  id = rl_map_layer_get_selected_id (f->layer);
  gtk_widget_activate_action (GTK_WIDGET (f->layer), "map-layer.activate", NULL);
  g_assert_cmpuint (f->activated, ==, 1);
  g_assert_cmpstr (f->activated_id, ==, id);
  gtk_widget_activate_action (GTK_WIDGET (f->layer), "map-layer.clear", NULL);
  g_assert_null (rl_map_layer_get_selected_id (f->layer));
  gtk_widget_activate_action (GTK_WIDGET (f->layer), "map-layer.activate", NULL);
  g_assert_cmpuint (f->activated, ==, 1);

  /* The key bindings reach those actions. */
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (f->layer)));
}

static void
test_click (Fixture      *f,
            gconstpointer data)
{
  double               x, y, far_x = -1, far_y = -1;
  guint                target = 0;
  gint                 want = -1;
  double               best = G_MAXDOUBLE;
  RlMapLayerFrameStats st;
  double               zoom_before;

  /* Street zoom on one point: every point there is drawn on its own. */
  target = 1234;
  shumate_viewport_set_zoom_level (f->viewport, 18);
  shumate_location_set_location (SHUMATE_LOCATION (f->viewport), f->pts->lat[target],
                                 f->pts->lon[target]);
  settle (f);
  rl_map_layer_get_frame_stats (f->layer, &st);
  g_assert_cmpuint (st.clusters, ==, 0);
  g_assert_cmpuint (st.points, >, 0);

  /* Click 3 px off the point: the nearest drawn point is picked. */
  shumate_viewport_location_to_widget_coords (f->viewport, GTK_WIDGET (f->layer),
                                              f->pts->lat[target], f->pts->lon[target], &x, &y);
  x += 3;
  for (guint i = 0; i < f->pts->n; i++)
    {
      double px, py, d2;

      shumate_viewport_location_to_widget_coords (f->viewport, GTK_WIDGET (f->layer),
                                                  f->pts->lat[i], f->pts->lon[i], &px, &py);
      d2 = (px - x) * (px - x) + (py - y) * (py - y);
      if (d2 < best)
        {
          best = d2;
          want = (gint) i;
        }
    }
  g_assert_cmpint (want, >=, 0);
  g_assert_true (gtk_widget_contains (GTK_WIDGET (f->layer), x, y));
  g_assert_true (rl_map_layer_select_at (f->layer, x, y));
  g_assert_cmpstr (rl_map_layer_get_selected_id (f->layer), ==, f->pts->ids[want]);
  /* A second click on the selected point opens it. */
  g_assert_true (rl_map_layer_select_at (f->layer, x, y));
  g_assert_cmpuint (f->activated, ==, 1);
  g_assert_cmpstr (f->activated_id, ==, f->pts->ids[want]);

  /* Far from every point: nothing is hit and the pointer goes to the map. */
  for (int gy = 5; gy < 600 && far_x < 0; gy += 10)
    for (int gx = 5; gx < 800 && far_x < 0; gx += 10)
      {
        gboolean clear = TRUE;

        for (guint i = 0; i < f->pts->n && clear; i++)
          {
            double px, py;

            shumate_viewport_location_to_widget_coords (f->viewport, GTK_WIDGET (f->layer),
                                                        f->pts->lat[i], f->pts->lon[i], &px, &py);
            clear = hypot (px - gx, py - gy) > 30;
          }
        if (clear)
          {
            far_x = gx;
            far_y = gy;
          }
      }
  g_assert_cmpfloat (far_x, >=, 0);
  g_assert_false (gtk_widget_contains (GTK_WIDGET (f->layer), far_x, far_y));
  g_assert_false (rl_map_layer_select_at (f->layer, far_x, far_y));
  g_assert_cmpstr (rl_map_layer_get_selected_id (f->layer), ==, f->pts->ids[want]);

  /* City zoom: a click on a cluster zooms into it. */
  rl_map_layer_set_selected_id (f->layer, NULL);
  shumate_viewport_set_zoom_level (f->viewport, 11);
  shumate_location_set_location (SHUMATE_LOCATION (f->viewport), MAP_TEST_CENTER_LAT,
                                 MAP_TEST_CENTER_LON);
  settle (f);
  zoom_before = shumate_viewport_get_zoom_level (f->viewport);
  shumate_viewport_location_to_widget_coords (f->viewport, GTK_WIDGET (f->layer),
                                              27.7154, 85.3123, &x, &y); /* Thamel, dense */
  g_assert_true (rl_map_layer_select_at (f->layer, x, y));
  g_assert_null (rl_map_layer_get_selected_id (f->layer));
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (f->viewport), ==, zoom_before + 2);
}

static guint
visible_points (Fixture *f)
{
  guint n = 0;
  int   w = gtk_widget_get_width (GTK_WIDGET (f->layer));
  int   h = gtk_widget_get_height (GTK_WIDGET (f->layer));

  for (guint i = 0; i < f->pts->n; i++)
    {
      double px, py;

      shumate_viewport_location_to_widget_coords (f->viewport, GTK_WIDGET (f->layer),
                                                  f->pts->lat[i], f->pts->lon[i], &px, &py);
      n += px >= 0 && px < w && py >= 0 && py < h;
    }
  return n;
}

static void
test_clusters (Fixture      *f,
               gconstpointer data)
{
  RlMapLayerFrameStats st;

  /* The whole valley: clusters, every point accounted for, few items. */
  shumate_viewport_set_zoom_level (f->viewport, 11);
  shumate_location_set_location (SHUMATE_LOCATION (f->viewport), MAP_TEST_CENTER_LAT,
                                 MAP_TEST_CENTER_LON);
  settle (f);
  rl_map_layer_get_frame_stats (f->layer, &st);
  g_assert_cmpuint (visible_points (f), ==, N_POINTS);
  g_assert_cmpuint (st.clusters, >, 0);
  g_assert_cmpuint (st.points + st.clusters, <=, RL_MAP_LAYER_MAX_ITEMS);
  g_assert_cmpuint (st.points + st.clustered, ==, N_POINTS);
  g_assert_cmpuint (st.clustered, >, N_POINTS / 2);
  g_assert_cmpuint (st.level, ==, 11 + RL_MAP_LAYER_CLUSTER_LEVEL_OFFSET);

  /* Street zoom: single points only, and at least all the visible ones. */
  shumate_viewport_set_zoom_level (f->viewport, 18);
  shumate_location_set_location (SHUMATE_LOCATION (f->viewport), 27.7154, 85.3123);
  settle (f);
  rl_map_layer_get_frame_stats (f->layer, &st);
  g_assert_cmpuint (st.clusters, ==, 0);
  g_assert_cmpuint (st.points, >=, visible_points (f));
  g_assert_cmpuint (st.points, >, 0);
}

typedef struct
{
  Fixture *f;
  guint    sent;
  guint    rounds;
} UpdateRun;

static gboolean
send_update_cb (gpointer data)
{
  UpdateRun  *run = data;
  const char *ids[50];
  double      fills[50];
  guint8      flags[50];

  for (guint k = 0; k < 50; k++)
    {
      guint i = (run->sent * 50 + k) % run->f->pts->n;

      ids[k] = run->f->pts->ids[i];
      fills[k] = 95; /* everything fills up: FULL */
      flags[k] = 0;
    }
  g_assert_cmpuint (rl_map_layer_update_points (run->f->layer, 50, ids, fills, flags, NULL), ==,
                    50);
  run->sent++;
  return run->sent < run->rounds ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
run_done (gpointer data)
{
  UpdateRun *run = data;

  return run->sent >= run->rounds;
}

static void
test_coalesced_updates (Fixture      *f,
                        gconstpointer data)
{
  UpdateRun            run = { f, 0, 200 };
  guint                before = rl_map_layer_get_data_redraws (f->layer);
  gint64               t0 = g_get_monotonic_time ();
  double               seconds;
  guint                redraws;
  RlMapLayerFrameStats st;
  const char          *unknown[] = { "no-such-point" };
  double               fill[] = { 1 };
  guint8               flag[] = { 0 };

  /* 200 batches of 50 updates, one every 5 ms. */
  g_timeout_add (5, send_update_cb, &run);
  g_assert_true (map_test_wait (run_done, &run, 30000));
  /* The last coalesced redraw. */
  map_test_wait_settled (f->layer, 20000);
  seconds = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
  redraws = rl_map_layer_get_data_redraws (f->layer) - before;
  g_test_message ("%u data redraws for 10000 updates in %.2f s", redraws, seconds);
  g_assert_cmpuint (redraws, >=, 1);
  g_assert_cmpfloat (redraws, <=, seconds * RL_MAP_LAYER_MAX_DATA_REDRAWS_PER_S + 1);

  /* Unknown ids change nothing and schedule nothing. */
  g_assert_cmpuint (rl_map_layer_update_points (f->layer, 1, unknown, fill, flag, NULL), ==, 0);

  /* The counts of cached clusters followed: the whole city is now full
   * except the points not updated (none: 10000 updates > 5000 points). */
  shumate_viewport_set_zoom_level (f->viewport, 11);
  shumate_location_set_location (SHUMATE_LOCATION (f->viewport), MAP_TEST_CENTER_LAT,
                                 MAP_TEST_CENTER_LON);
  settle (f);
  rl_map_layer_get_frame_stats (f->layer, &st);
  g_assert_cmpuint (st.points + st.clustered, ==, N_POINTS);
  for (guint i = 0; i < f->pts->n; i++)
    {
      g_autofree char *d = rl_map_layer_dup_description (f->layer, f->pts->ids[i]);

      g_assert_true (strstr (d, "fill 95 %") != NULL);
    }
  /* Every badge says all its points are full, in words (the red tab's
   * figure): scan the view for badges. */
  {
    int   w = gtk_widget_get_width (GTK_WIDGET (f->layer));
    int   h = gtk_widget_get_height (GTK_WIDGET (f->layer));
    guint found = 0;

    for (int y = 0; y < h; y += 6)
      for (int x = 0; x < w; x += 6)
        {
          g_autofree char *d = rl_map_layer_dup_description_at (f->layer, x, y);
          g_autofree char *want = NULL;
          guint            count;

          if (d == NULL || sscanf (d, "%u drop points", &count) != 1)
            continue;
          want = g_strdup_printf ("%u drop points, %u of them 90 %% full or more\n", count, count);
          g_assert_true (g_str_has_prefix (d, want));
          found++;
        }
    g_assert_cmpuint (found, >, 0);
  }
}

static void
count_frame_cb (GdkFrameClock *clock,
                guint         *frames)
{
  (*frames)++;
}

static gboolean
frame_counted (gpointer frames)
{
  return *(guint *) frames > 0;
}

/* A feed batch whose readings keep every symbol (same class, same alert
 * mark) draws no frame: nothing on screen changes (issue 20). One that
 * changes a symbol does. */
static void
test_same_symbol_no_frame (Fixture      *f,
                           gconstpointer data)
{
  GdkFrameClock          *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  guint                   frames = 0;
  guint                   before;
  gulong                  id;
  g_autofree const char **ids = g_new (const char *, f->pts->n);
  g_autofree double      *fills = g_new (double, f->pts->n);
  g_autofree guint8      *flags = g_new (guint8, f->pts->n);
  g_autofree gint64      *last = g_new (gint64, f->pts->n);
  gint64                  now_ms = g_get_real_time () / 1000;
  guint                   changed = 0;
  gint                    to_fill = -1;

  settle (f);
  map_test_wait_idle (f->layer, 20000);
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame_cb), &frames);
  before = rl_map_layer_get_data_redraws (f->layer);

  /* Every point gets a new reading: one point up or down within its
   * class's band, its time now. */
  for (guint i = 0; i < f->pts->n; i++)
    {
      double     fill = f->pts->fill[i];
      RlMapClass klass = rl_map_class_for (fill, f->pts->flags[i]);
      double     up = fill + 0.5, down = fill - 0.5;

      ids[i] = f->pts->ids[i];
      flags[i] = f->pts->flags[i];
      last[i] = now_ms;
      if (!isnan (fill) && rl_map_class_for (up, flags[i]) == klass)
        fills[i] = up, changed++;
      else if (!isnan (fill) && rl_map_class_for (down, flags[i]) == klass)
        fills[i] = down, changed++;
      else
        fills[i] = fill;
      if (to_fill < 0 && klass != rl_map_class_for (95, flags[i]))
        to_fill = (gint) i;
    }
  g_assert_cmpuint (changed, >, f->pts->n / 2);
  for (guint round = 0; round < 10; round++)
    {
      g_assert_cmpuint (rl_map_layer_update_points (f->layer, f->pts->n, ids, fills, flags, last),
                        ==, f->pts->n);
      rl_test_run_main_loop (100);
    }
  rl_test_run_main_loop (500);
  g_test_message ("%u frames after 10 batches of %u readings that keep every symbol", frames,
                  f->pts->n);
  g_assert_cmpuint (frames, ==, 0);
  g_assert_cmpuint (rl_map_layer_get_data_redraws (f->layer), ==, before);
  {
    g_autofree char *d = rl_map_layer_dup_description (f->layer, ids[0]);
    g_autofree char *want = g_strdup_printf ("fill %d %%", (int) lround (fills[0]));

    /* The values are kept all the same (descriptions read them). */
    g_assert_nonnull (strstr (d, want));
  }

  /* One bin fills up: its symbol changes, and a frame shows it. */
  g_assert_cmpint (to_fill, >=, 0);
  fills[to_fill] = 95;
  g_assert_cmpuint (rl_map_layer_update_points (f->layer, 1, &ids[to_fill], &fills[to_fill],
                                                &flags[to_fill], &last[to_fill]),
                    ==, 1);
  g_assert_true (map_test_wait (frame_counted, &frames, 10000));
  g_assert_cmpuint (rl_map_layer_get_data_redraws (f->layer), ==, before + 1);
  g_signal_handler_disconnect (clock, id);
}

static void
test_description (Fixture      *f,
                  gconstpointer data)
{
  const char      *ids[] = { "dp-000001" };
  double           fill[] = { 64.2 };
  guint8           flags[] = { 0 };
  gint64           last[] = { rl_time_now_ms () - 3 * 60 * 1000 - 5000 };
  g_autofree char *d1 = NULL;
  g_autofree char *d2 = NULL;
  g_autofree char *want = NULL;

  rl_map_layer_update_points (f->layer, 1, ids, fill, flags, last);
  d1 = rl_map_layer_dup_description (f->layer, "dp-000001");
  want = g_strdup_printf ("%s, fill 64 %%, online, last reading 3 minutes ago", f->pts->names[0]);
  g_assert_cmpstr (d1, ==, want);

  flags[0] = RL_MAP_POINT_OFFLINE | RL_MAP_POINT_ALERT;
  rl_map_layer_update_points (f->layer, 1, ids, fill, flags, last);
  d2 = rl_map_layer_dup_description (f->layer, "dp-000001");
  g_assert_true (strstr (d2, ", offline, open alert, ") != NULL);
  g_assert_null (rl_map_layer_dup_description (f->layer, "nope"));

  /* Selection by id is a property. */
  g_assert_true (rl_map_layer_set_selected_id (f->layer, "dp-000001"));
  g_assert_false (rl_map_layer_set_selected_id (f->layer, "nope"));
  {
    g_autofree char *sel = NULL;

    g_object_get (f->layer, "selected-id", &sel, NULL);
    g_assert_cmpstr (sel, ==, "dp-000001");
  }
}

/* Panning within the cached raster (cairo renderer) or redrawing (GL):
 * clicks still hit the point under the pointer, wherever the view went. */
static void
test_pan_keeps_hits (Fixture      *f,
                     gconstpointer data)
{
  const double steps[][2] = { { 0, 0 }, { 150, 90 }, { -260, 40 }, { 700, -500 } };
  double       cx, cy;

  shumate_viewport_set_zoom_level (f->viewport, 18);
  shumate_location_set_location (SHUMATE_LOCATION (f->viewport), 27.7154, 85.3123);
  settle (f);
  rl_geo_project (27.7154, 85.3123, &cx, &cy);

  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      double scale = 256 * exp2 (18), lat, lon;
      gint   lonely = -1;

      cx += steps[s][0] / scale;
      cy += steps[s][1] / scale;
      rl_geo_unproject (cx, cy, &lat, &lon);
      shumate_location_set_location (SHUMATE_LOCATION (f->viewport), lat, lon);
      settle (f);

      /* A point in view with no other within 30 px: a click on it selects it. */
      for (guint i = 0; i < f->pts->n && lonely < 0; i++)
        {
          double   x, y;
          gboolean alone = TRUE;

          shumate_viewport_location_to_widget_coords (f->viewport, GTK_WIDGET (f->layer),
                                                      f->pts->lat[i], f->pts->lon[i], &x, &y);
          if (x < 40 || x > 760 || y < 40 || y > 560)
            continue;
          for (guint j = 0; j < f->pts->n && alone; j++)
            {
              double px, py;

              if (j == i)
                continue;
              shumate_viewport_location_to_widget_coords (f->viewport, GTK_WIDGET (f->layer),
                                                          f->pts->lat[j], f->pts->lon[j], &px, &py);
              alone = hypot (px - x, py - y) > 30;
            }
          if (alone)
            {
              lonely = (gint) i;
              rl_map_layer_set_selected_id (f->layer, NULL);
              g_assert_true (gtk_widget_contains (GTK_WIDGET (f->layer), x, y));
              g_assert_true (rl_map_layer_select_at (f->layer, x + 2, y - 2));
              g_assert_cmpstr (rl_map_layer_get_selected_id (f->layer), ==, f->pts->ids[i]);
              /* 20 px away there is nothing. */
              g_assert_false (gtk_widget_contains (GTK_WIDGET (f->layer), x + 20, y));
            }
        }
      g_assert_cmpint (lonely, >=, 0);
    }
}

static void
test_states_never_hidden (Fixture      *f,
                          gconstpointer data)
{
  /* Every state has its own symbol and label; flags map to the class. */
  g_assert_cmpint (rl_map_class_for (10, 0), ==, RL_MAP_CLASS_LOW);
  g_assert_cmpint (rl_map_class_for (50, 0), ==, RL_MAP_CLASS_MEDIUM);
  g_assert_cmpint (rl_map_class_for (80, 0), ==, RL_MAP_CLASS_HIGH);
  g_assert_cmpint (rl_map_class_for (90, 0), ==, RL_MAP_CLASS_FULL);
  g_assert_cmpint (rl_map_class_for (NAN, 0), ==, RL_MAP_CLASS_NO_READING);
  g_assert_cmpint (rl_map_class_for (90, RL_MAP_POINT_STALE), ==, RL_MAP_CLASS_STALE);
  g_assert_cmpint (rl_map_class_for (90, RL_MAP_POINT_STALE | RL_MAP_POINT_OFFLINE), ==,
                   RL_MAP_CLASS_OFFLINE);
  g_assert_cmpint (rl_map_class_for (90, RL_MAP_POINT_OFFLINE | RL_MAP_POINT_MAINTENANCE), ==,
                   RL_MAP_CLASS_MAINTENANCE);
  g_assert_cmpint (rl_map_class_for (90, RL_MAP_POINT_RETIRED | RL_MAP_POINT_MAINTENANCE), ==,
                   RL_MAP_CLASS_RETIRED);

  /* The legend builds (its template and one row per class). */
  {
    GtkWidget *legend = g_object_ref_sink (rl_map_legend_new ());
    guint      rows = 0;

    for (GtkWidget *w = gtk_widget_get_first_child (legend); w != NULL;
         w = gtk_widget_get_next_sibling (w))
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
           c = gtk_widget_get_next_sibling (c))
        if (GTK_IS_BOX (c))
          for (GtkWidget *r = gtk_widget_get_first_child (c); r != NULL;
               r = gtk_widget_get_next_sibling (r))
            rows++;
    g_assert_cmpuint (rows, ==, RL_MAP_N_CLASSES);
    g_object_unref (legend);
  }
}

/* ---- Cold start from the store ------------------------------------------ */

static void
test_load_from_store (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) store = rl_test_store_open ("map-test.sqlite");
  g_autoptr (RlStoreBatch) batch = NULL;
  g_autoptr (RlDropPoints) points = NULL;
  RlMapLayer      *layer;
  ShumateViewport *viewport = shumate_viewport_new ();
  gint64           now = rl_time_now_ms ();
  const char      *records[] = {
         "{\"id\":\"dp-1\",\"name\":\"Thamel Chowk\",\"latitude\":27.7154,\"longitude\":85.3123,"
              "\"status\":\"active\",\"deviceId\":\"bin-1\",\"fillLevel\":64.0,\"isOnline\":true,"
              "\"lastReadingAt\":\"@\",\"version\":1}",
         "{\"id\":\"dp-2\",\"name\":\"Asan Tole\",\"latitude\":27.7066,\"longitude\":85.3105,"
              "\"status\":\"maintenance\",\"deviceId\":\"bin-2\",\"fillLevel\":10.0,\"isOnline\":false,"
              "\"lastReadingAt\":\"@\",\"version\":1}",
         "{\"id\":\"dp-3\",\"name\":\"Patan Gate\",\"latitude\":27.6727,\"longitude\":85.3253,"
              "\"status\":\"active\",\"deviceId\":\"bin-3\",\"fillLevel\":91.0,\"isOnline\":true,"
              "\"lastReadingAt\":\"@\",\"version\":1}",
  };
  g_autofree char *fresh = rl_time_format_ms (now - 60000);
  g_autofree char *old = rl_time_format_ms (now - 2 * 3600 * 1000);
  g_autofree char *d1 = NULL;
  g_autofree char *d2 = NULL;
  g_autofree char *d3 = NULL;

  g_assert_no_error (error);
  batch = rl_store_batch_begin (store, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < G_N_ELEMENTS (records); k++)
    {
      g_auto (GStrv) parts = g_strsplit (records[k], "@", 2);
      g_autofree char *json = g_strjoinv (k == 2 ? old : fresh, parts);

      rl_test_batch_upsert (batch, "drop_point", json);
    }
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);

  layer = g_object_ref_sink (rl_map_layer_new (viewport));
  points = rl_store_load_drop_points (store, now, 15 * 60 * 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->n, ==, 3);
  rl_map_layer_set_drop_points (layer, points);
  g_assert_cmpuint (rl_map_layer_get_n_points (layer), ==, 3);
  d1 = rl_map_layer_dup_description (layer, "dp-1");
  d2 = rl_map_layer_dup_description (layer, "dp-2");
  d3 = rl_map_layer_dup_description (layer, "dp-3");
  g_assert_cmpstr (d1, ==, "Thamel Chowk, fill 64 %, online, last reading 1 minute ago");
  g_assert_true (g_str_has_prefix (d2, "Asan Tole, fill 10 %, offline, in maintenance"));
  g_assert_true (
      g_str_has_prefix (d3, "Patan Gate, fill 91 %, online, stale, last reading 2 hours ago"));
  g_object_unref (layer);
  g_object_unref (viewport);
}

/* ---- MBTiles pack, no network ------------------------------------------- */

typedef struct
{
  GtkWidget       *map;
  RlMbtilesSource *data;
  guint32          want;
  guint32          seen;
} PixelWait;

static gboolean
center_pixel_is (gpointer user_data)
{
  PixelWait *pw = user_data;
  g_autoptr (GdkTexture) tex = NULL;

  if (pw->data != NULL && rl_mbtiles_source_get_n_served (pw->data) == 0)
    return FALSE;
  tex = map_test_render (pw->map);
  /* A corner: the points are in the middle. */
  if (tex == NULL)
    return FALSE;
  pw->seen = map_test_pixel (tex, 20, 20);
  return pw->seen == pw->want;
}

static void
test_mbtiles_pack (void)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "pack.mbtiles", NULL);
  g_autofree char *imported = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ShumateMapSource) source = NULL;
  g_autoptr (RlMbtilesSource) data = NULL;
  GtkWindow       *window;
  ShumateMap      *map;
  ShumateViewport *viewport;
  ShumateMapLayer *tiles;
  RlMapLayer      *layer;
  g_autoptr (MapTestPoints) pts = map_test_points_new (200, 7);
  RlMapPoints      view = map_test_points_view (pts);
  PixelWait        pw = { 0 };
  g_autofree char *junk = g_build_filename (g_get_user_cache_dir (), "junk.mbtiles", NULL);

  /* Isolated data dirs hide shared-mime-info, and gdk-pixbuf sniffs tile
   * formats through it: point GIO back at the system's database. */
  g_content_type_set_mime_dirs ((const char *const *) system_data_dirs);

  g_assert_true (
      map_test_write_mbtiles (path, 27.60, 85.20, 27.80, 85.45, 10, 14, 0xaa55cc, FALSE, &error));
  g_assert_no_error (error);

  /* Bad packs are refused with a clear error. */
  g_assert_true (g_file_set_contents (junk, "not sqlite at all, not at all", -1, NULL));
  g_assert_null (rl_mbtiles_source_new (junk, &error));
  g_assert_error (error, RL_TILE_SOURCE_ERROR, RL_TILE_SOURCE_ERROR_NOT_MBTILES);
  g_clear_error (&error);
  g_assert_null (rl_tile_source_new_for_url ("file:///tmp/{z}/{x}/{y}.png", &error));
  g_assert_error (error, RL_URL_ERROR, RL_URL_ERROR_BAD_SCHEME);
  g_clear_error (&error);

  /* Import copies it into the data dir. */
  imported = rl_tile_source_import_mbtiles (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (imported, G_FILE_TEST_IS_REGULAR));
  {
    g_autofree char *dir = g_path_get_dirname (imported);
    GStatBuf         st;

    /* Private, as every file the console writes. */
    g_assert_cmpint (g_stat (imported, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    g_assert_cmpint (g_stat (dir, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  }

  data = rl_mbtiles_source_new (imported, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rl_mbtiles_source_get_min_zoom (data), ==, 10);
  g_assert_cmpuint (rl_mbtiles_source_get_max_zoom (data), ==, 14);
  source = SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (
      "test", "Test", NULL, NULL, 10, 14, 256, SHUMATE_MAP_PROJECTION_MERCATOR,
      SHUMATE_DATA_SOURCE (data)));

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 640, 480);
  map = shumate_map_new ();
  viewport = shumate_map_get_viewport (map);
  shumate_viewport_set_reference_map_source (viewport, source);
  tiles = shumate_map_layer_new (source, viewport);
  shumate_map_add_layer (map, SHUMATE_LAYER (tiles));
  layer = rl_map_layer_new (viewport);
  rl_map_layer_set_points (layer, &view);
  shumate_map_add_layer (map, SHUMATE_LAYER (layer));
  shumate_viewport_set_zoom_level (viewport, 13);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), MAP_TEST_CENTER_LAT,
                                 MAP_TEST_CENTER_LON);
  gtk_window_set_child (window, GTK_WIDGET (map));
  gtk_window_present (window);

  pw.map = GTK_WIDGET (map);
  pw.data = data;
  pw.want = 0xaa55cc;
  map_test_wait (center_pixel_is, &pw, 20000);
  g_assert_cmphex (pw.seen, ==, pw.want);
  g_assert_cmpuint (rl_mbtiles_source_get_n_served (data), >, 0);

  /* No tiles at all: the plain background, points still drawn. */
  shumate_map_remove_layer (map, SHUMATE_LAYER (tiles));
  rl_map_layer_set_draw_background (layer, TRUE);
  pw.data = NULL;
  pw.want = 0xf2efe9;
  map_test_wait (center_pixel_is, &pw, 20000);
  g_assert_cmphex (pw.seen, ==, pw.want);

  gui_test_destroy_and_wait (window, layer, 10000);
}

int
main (int    argc,
      char **argv)
{
  system_data_dirs = map_test_system_mime_dirs ();
  map_test_take_renderer_arg (&argc, argv);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();

#define ADD(name, fn) \
  g_test_add ("/map-layer/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("keyboard", test_keyboard);
  ADD ("click", test_click);
  ADD ("clusters", test_clusters);
  ADD ("coalesced-updates", test_coalesced_updates);
  ADD ("same-symbol-no-frame", test_same_symbol_no_frame);
  ADD ("description", test_description);
  ADD ("states-never-hidden", test_states_never_hidden);
  ADD ("pan-keeps-hits", test_pan_keeps_hits);
#undef ADD
  g_test_add_func ("/map-layer/load-from-store", test_load_from_store);
  g_test_add_func ("/map-layer/mbtiles-pack", test_mbtiles_pack);

  {
    int ret = g_test_run ();

    g_strfreev (system_data_dirs);
    return ret;
  }
}
