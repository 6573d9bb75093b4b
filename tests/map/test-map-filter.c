/* test-map-filter.c — RlMapLayer's filter (rl_map_layer_set_shown_ids) in a
 * real window (needs a display: Xvfb).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 5,000 synthetic Kathmandu points: hidden points are not drawn, not
 * counted in clusters, not hit by clicks, not reached by arrow keys; a
 * hidden selection is cleared; NULL shows every point again; the filter
 * survives updates and a new set of points.
 */
#include <math.h>
#include <string.h>

#include "map-test-util.h"
#include "../gui/gui-test-wait.h"
#include "rl-geo.h"
#include "rl-map-layer.h"
#include "rl-tile-sources.h"

#define N_POINTS 5000
#define THAMEL_LAT 27.7154
#define THAMEL_LON 85.3123

typedef struct
{
  GtkWindow       *window;
  ShumateMap      *map;
  ShumateViewport *viewport;
  RlMapLayer      *layer;
  MapTestPoints   *pts;
  guint            n_shown_notifies;
  guint            selected_notifies;
} Fixture;

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           Fixture    *f)
{
  if (g_str_equal (pspec->name, "n-shown"))
    f->n_shown_notifies++;
  else if (g_str_equal (pspec->name, "selected-id"))
    f->selected_notifies++;
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  RlMapPoints view;

  map_test_map_window_new (800, 600, &f->window, &f->map, &f->viewport, &f->layer);

  f->pts = map_test_points_new (N_POINTS, 7);
  view = map_test_points_view (f->pts);
  rl_map_layer_set_points (f->layer, &view);
  g_signal_connect (f->layer, "notify", G_CALLBACK (notify_cb), f);

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
}

/* Waits for the frames after a viewport or filter change. */
static void
settle (Fixture *f)
{
  map_test_wait_settled (f->layer, 20000);
  gui_test_wait_painted (GTK_WIDGET (f->layer), 20000);
}

static void
go_to (Fixture *f,
       double   zoom,
       double   lat,
       double   lon)
{
  shumate_viewport_set_zoom_level (f->viewport, zoom);
  shumate_location_set_location (SHUMATE_LOCATION (f->viewport), lat, lon);
  settle (f);
}

/* What two_thirds () hides: every third point. */
static gboolean
hidden_third (guint i)
{
  return i % 3 == 0;
}

/* The set of points with i % 3 != 0 (two thirds). */
static GHashTable *
two_thirds (Fixture *f,
            guint   *out_n)
{
  GHashTable *ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < f->pts->n; i++)
    if (i % 3 != 0)
      g_hash_table_add (ids, f->pts->ids[i]);
  *out_n = g_hash_table_size (ids);
  return ids;
}

static void
widget_pos (Fixture *f,
            guint    i,
            double  *x,
            double  *y)
{
  shumate_viewport_location_to_widget_coords (f->viewport, GTK_WIDGET (f->layer),
                                              f->pts->lat[i], f->pts->lon[i], x, y);
}

static void
test_street_shows_exactly_the_set (Fixture      *f,
                                   gconstpointer data)
{
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  RlMapLayerFrameStats all, some;
  guint                kept = 0, shown;

  /* Street zoom in Thamel: every point drawn on its own. */
  go_to (f, 18, THAMEL_LAT, THAMEL_LON);
  rl_map_layer_get_frame_stats (f->layer, &all);
  g_assert_cmpuint (all.clusters, ==, 0);

  /* The set: the points in the middle of the view (well inside it), so
   * every one of them is drawn whatever the margin. */
  for (guint i = 0; i < f->pts->n; i++)
    {
      double x, y;

      widget_pos (f, i, &x, &y);
      if (fabs (x - 400) < 150 && fabs (y - 300) < 100)
        {
          g_hash_table_add (ids, f->pts->ids[i]);
          kept++;
        }
    }
  g_assert_cmpuint (kept, >=, 3);
  g_assert_cmpuint (all.points, >, kept);

  shown = rl_map_layer_set_shown_ids (f->layer, ids);
  g_assert_cmpuint (shown, ==, kept);
  g_assert_cmpuint (rl_map_layer_get_n_shown (f->layer), ==, kept);
  g_assert_cmpuint (rl_map_layer_get_n_points (f->layer), ==, N_POINTS);
  settle (f);
  rl_map_layer_get_frame_stats (f->layer, &some);
  g_assert_cmpuint (some.clusters, ==, 0);
  g_assert_cmpuint (some.points, ==, kept);

  /* NULL restores all. */
  g_assert_cmpuint (rl_map_layer_set_shown_ids (f->layer, NULL), ==, N_POINTS);
  settle (f);
  rl_map_layer_get_frame_stats (f->layer, &some);
  g_assert_cmpuint (some.points, ==, all.points);
}

static void
test_clusters_count_shown (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr (GHashTable) ids = NULL;
  RlMapLayerFrameStats st;
  guint                n = 0, notifies;
  guint                n_shown = 0;

  ids = two_thirds (f, &n);
  notifies = f->n_shown_notifies;
  g_assert_cmpuint (rl_map_layer_set_shown_ids (f->layer, ids), ==, n);
  g_assert_cmpuint (f->n_shown_notifies, ==, notifies + 1);
  g_object_get (f->layer, "n-shown", &n_shown, NULL);
  g_assert_cmpuint (n_shown, ==, n);

  /* The caller's set is copied: changing it afterwards changes nothing. */
  g_hash_table_remove_all (ids);
  g_assert_cmpuint (rl_map_layer_get_n_shown (f->layer), ==, n);

  /* The whole valley at city zoom: clusters hold exactly the shown points. */
  go_to (f, 11, MAP_TEST_CENTER_LAT, MAP_TEST_CENTER_LON);
  rl_map_layer_get_frame_stats (f->layer, &st);
  g_assert_cmpuint (st.clusters, >, 0);
  g_assert_cmpuint (st.points + st.clustered, ==, n);

  /* The same set again: no notification. */
  g_hash_table_unref (g_steal_pointer (&ids));
  ids = two_thirds (f, &n);
  notifies = f->n_shown_notifies;
  rl_map_layer_set_shown_ids (f->layer, ids);
  g_assert_cmpuint (f->n_shown_notifies, ==, notifies);

  /* Updates keep the filter; clusters stay right when hidden points change
   * state (they are not counted, then counted once shown again). */
  {
    const char *upd[2] = { f->pts->ids[0], f->pts->ids[1] }; /* hidden, shown */
    double      fill[2] = { 99, 99 };
    guint8      flags[2] = { RL_MAP_POINT_OFFLINE, 0 };

    g_assert_cmpuint (rl_map_layer_update_points (f->layer, 2, upd, fill, flags, NULL), ==, 2);
    g_assert_cmpuint (rl_map_layer_get_n_shown (f->layer), ==, n);
    settle (f);
    rl_map_layer_get_frame_stats (f->layer, &st);
    g_assert_cmpuint (st.points + st.clustered, ==, n);
  }

  /* A new set of points keeps the filter by id. */
  {
    RlMapPoints view = map_test_points_view (f->pts);

    notifies = f->n_shown_notifies;
    rl_map_layer_set_points (f->layer, &view);
    g_assert_cmpuint (rl_map_layer_get_n_shown (f->layer), ==, n);
    g_assert_cmpuint (f->n_shown_notifies, ==, notifies);
    view.n = 30; /* the first 30: ten of them hidden */
    rl_map_layer_set_points (f->layer, &view);
    g_assert_cmpuint (rl_map_layer_get_n_shown (f->layer), ==, 20);
    g_assert_cmpuint (f->n_shown_notifies, ==, notifies + 1);
    view.n = N_POINTS;
    rl_map_layer_set_points (f->layer, &view);
  }

  /* NULL restores all, clusters included. */
  g_assert_cmpuint (rl_map_layer_set_shown_ids (f->layer, NULL), ==, N_POINTS);
  settle (f);
  rl_map_layer_get_frame_stats (f->layer, &st);
  g_assert_cmpuint (st.points + st.clustered, ==, N_POINTS);

  /* An empty set hides everything. */
  {
    g_autoptr (GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);

    g_assert_cmpuint (rl_map_layer_set_shown_ids (f->layer, none), ==, 0);
    settle (f);
    rl_map_layer_get_frame_stats (f->layer, &st);
    g_assert_cmpuint (st.points + st.clusters, ==, 0);
    g_assert_true (
        gtk_widget_activate_action (GTK_WIDGET (f->layer), "map-layer.move", "(ii)", 1, 0));
    g_assert_null (rl_map_layer_get_selected_id (f->layer));
  }
}

static void
test_keyboard_skips_hidden (Fixture      *f,
                            gconstpointer data)
{
  const int dirs[4][2] = { { 1, 0 }, { 0, 1 }, { -1, 0 }, { 0, -1 } };
  g_autoptr (GHashTable) ids = NULL;
  guint n;

  ids = two_thirds (f, &n);
  rl_map_layer_set_shown_ids (f->layer, ids);
  go_to (f, 17, THAMEL_LAT, THAMEL_LON);

  /* The first arrow picks the shown point nearest the centre. */
  gtk_widget_activate_action (GTK_WIDGET (f->layer), "map-layer.move", "(ii)", 1, 0);
  g_assert_nonnull (rl_map_layer_get_selected_id (f->layer));
  g_assert_cmpuint (map_test_points_index_of (f->pts, rl_map_layer_get_selected_id (f->layer)) % 3,
                    !=, 0);

  /* Forty moves: each the brute-force answer over shown points only. */
  for (guint k = 0; k < 40; k++)
    {
      guint      from = map_test_points_index_of (f->pts, rl_map_layer_get_selected_id (f->layer));
      const int *d = dirs[(k / 3) % 4];
      gint       want = map_test_nearest_in_direction (f->pts, from, d[0], d[1], hidden_third);
      guint      now;

      gtk_widget_activate_action (GTK_WIDGET (f->layer), "map-layer.move", "(ii)", d[0], d[1]);
      now = map_test_points_index_of (f->pts, rl_map_layer_get_selected_id (f->layer));
      g_assert_cmpuint (now % 3, !=, 0);
      g_assert_cmpuint (now, ==, want < 0 ? from : (guint) want);
    }
}

static void
test_hidden_not_hit (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr (GHashTable) ids = NULL;
  gint   lonely = -1;
  double x, y;
  guint  n;

  go_to (f, 18, THAMEL_LAT, THAMEL_LON);

  /* A hidden-to-be point in view with no other point within 30 px. */
  for (guint i = 0; i < f->pts->n && lonely < 0; i += 3)
    {
      gboolean alone = TRUE;

      widget_pos (f, i, &x, &y);
      if (x < 40 || x > 760 || y < 40 || y > 560)
        continue;
      for (guint j = 0; j < f->pts->n && alone; j++)
        {
          double px, py;

          if (j == i)
            continue;
          widget_pos (f, j, &px, &py);
          alone = hypot (px - x, py - y) > 30;
        }
      if (alone)
        lonely = (gint) i;
    }
  g_assert_cmpint (lonely, >=, 0);
  widget_pos (f, (guint) lonely, &x, &y);

  /* Shown: it is hit and selected. */
  g_assert_true (gtk_widget_contains (GTK_WIDGET (f->layer), x, y));
  g_assert_true (rl_map_layer_select_at (f->layer, x, y));
  g_assert_cmpstr (rl_map_layer_get_selected_id (f->layer), ==, f->pts->ids[lonely]);

  /* Hidden: the selection is cleared (and notified), nothing is hit there,
   * and it cannot be selected by id. */
  ids = two_thirds (f, &n);
  f->selected_notifies = 0;
  rl_map_layer_set_shown_ids (f->layer, ids);
  g_assert_null (rl_map_layer_get_selected_id (f->layer));
  g_assert_cmpuint (f->selected_notifies, ==, 1);
  g_assert_false (gtk_widget_contains (GTK_WIDGET (f->layer), x, y));
  settle (f);
  g_assert_false (gtk_widget_contains (GTK_WIDGET (f->layer), x, y));
  g_assert_false (rl_map_layer_select_at (f->layer, x, y));
  g_assert_null (rl_map_layer_get_selected_id (f->layer));
  g_assert_false (rl_map_layer_set_selected_id (f->layer, f->pts->ids[lonely]));
  g_assert_true (rl_map_layer_set_selected_id (f->layer, f->pts->ids[lonely + 1]));

  /* Shown again: hit again. */
  rl_map_layer_set_shown_ids (f->layer, NULL);
  settle (f);
  g_assert_true (rl_map_layer_select_at (f->layer, x, y));
  g_assert_cmpstr (rl_map_layer_get_selected_id (f->layer), ==, f->pts->ids[lonely]);
}

static void
test_point_location (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr (GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
  double lat = 0, lon = 0;

  for (guint i = 0; i < f->pts->n; i += 97)
    {
      g_assert_true (rl_map_layer_get_point_location (f->layer, f->pts->ids[i], &lat, &lon));
      g_assert_cmpfloat_with_epsilon (lat, f->pts->lat[i], 1e-9);
      g_assert_cmpfloat_with_epsilon (lon, f->pts->lon[i], 1e-9);
    }
  /* Hidden points still have a location; unknown ids do not. */
  rl_map_layer_set_shown_ids (f->layer, none);
  g_assert_true (rl_map_layer_get_point_location (f->layer, f->pts->ids[5], &lat, &lon));
  g_assert_cmpfloat_with_epsilon (lat, f->pts->lat[5], 1e-9);
  g_assert_false (rl_map_layer_get_point_location (f->layer, "no-such-point", &lat, &lon));
}

int
main (int    argc,
      char **argv)
{
  map_test_take_renderer_arg (&argc, argv);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();

#define ADD(name, fn) \
  g_test_add ("/map-filter/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("street-shows-exactly-the-set", test_street_shows_exactly_the_set);
  ADD ("clusters-count-shown", test_clusters_count_shown);
  ADD ("keyboard-skips-hidden", test_keyboard_skips_hidden);
  ADD ("hidden-not-hit", test_hidden_not_hit);
  ADD ("point-location", test_point_location);
#undef ADD

  return g_test_run ();
}
