/* map-screenshots.c — the map at city zoom (clusters) and street zoom
 * (points), with tiles and the legend, saved as PNGs for review.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes $RL_BUILD_ROOT/screenshots/map-city.png (100,000 points),
 * map-street.png and map-city-2000.png (2,000 points, the city view) (or
 * under the current directory when RL_BUILD_ROOT is unset). Needs a display.
 */
#include <glib/gstdio.h>
#include <math.h>

#include "map-test-util.h"
#include "rl-map-layer.h"
#include "rl-map-legend.h"
#include "rl-tile-sources.h"

typedef struct
{
  GtkWidget       *root;
  ShumateViewport *viewport;
  RlMapLayer      *layer;
  RlMbtilesSource *data;
  guint            served;
  gint64           last_change;
} Shot;

/* Settled: the layer drew, and no tile arrived or was drawn for 400 ms. */
static gboolean
settled (gpointer user_data)
{
  Shot                *s = user_data;
  RlMapLayerFrameStats st;
  guint                served = rl_mbtiles_source_get_n_served (s->data);
  gint64               now = g_get_monotonic_time ();
  guint                drawn;

  /* A tile arriving or getting its points drawn in. */
  rl_map_layer_get_tile_stats (s->layer, &drawn, NULL, NULL);
  served += drawn;
  if (served != s->served)
    {
      s->served = served;
      s->last_change = now;
    }
  rl_map_layer_get_frame_stats (s->layer, &st);
  return st.points + st.clusters > 0 && served > 0 && now - s->last_change > 400 * 1000;
}

static void
save (Shot       *s,
      const char *dir,
      const char *name)
{
  g_autoptr (GdkTexture) tex = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  s->last_change = g_get_monotonic_time ();
  gtk_widget_queue_draw (GTK_WIDGET (s->layer));
  if (!map_test_wait (settled, s, 30000))
    g_printerr ("%s: tiles still loading after 30 s, saving anyway\n", name);
  tex = map_test_render (s->root);
  if (tex == NULL || !gdk_texture_save_to_png (tex, path))
    g_error ("cannot save %s", path);
  g_print ("saved %s\n", path);
}

int
main (int    argc,
      char **argv)
{
  const char      *root = g_getenv ("RL_BUILD_ROOT");
  g_autofree char *dir = g_build_filename (root != NULL ? root : ".", "screenshots", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("map-shots-XXXXXX", NULL);
  g_autofree char *pack = g_build_filename (tmp, "valley.mbtiles", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShumateMapSource) source = NULL;
  g_autoptr (ShumateMapSource) wrapped = NULL;
  g_autoptr (MapTestPoints) pts = NULL;
  RlMapPoints view;
  GtkWindow  *window;
  ShumateMap *map;
  GtkWidget  *box, *legend;
  Shot        shot = { 0 };

  gtk_init ();
  g_mkdir_with_parents (dir, 0755);
  if (!map_test_write_mbtiles (pack, 27.58, 85.18, 27.82, 85.47, 10, 17, 0xeeebe4, TRUE, &error))
    g_error ("%s", error->message);
  shot.data = rl_mbtiles_source_new (pack, &error);
  if (shot.data == NULL)
    g_error ("%s", error->message);
  source = SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (
      "shots", "Shots", NULL, NULL, 10, 17, 256, SHUMATE_MAP_PROJECTION_MERCATOR,
      SHUMATE_DATA_SOURCE (shot.data)));

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1100, 700);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  map = shumate_map_new ();
  gtk_widget_set_hexpand (GTK_WIDGET (map), TRUE);
  shot.viewport = shumate_map_get_viewport (map);
  shumate_viewport_set_reference_map_source (shot.viewport, source);
  shot.layer = rl_map_layer_new (shot.viewport);
  pts = map_test_points_new (100000, 1);
  view = map_test_points_view (pts);
  rl_map_layer_set_points (shot.layer, &view);
  /* As the Map page does: the points drawn into the tiles. */
  wrapped = rl_map_layer_wrap_source (shot.layer, source);
  shumate_map_add_layer (map, SHUMATE_LAYER (shumate_map_layer_new (wrapped, shot.viewport)));
  shumate_map_add_layer (map, SHUMATE_LAYER (shot.layer));
  legend = rl_map_legend_new ();
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (map));
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  gtk_box_append (GTK_BOX (box), legend);
  gtk_window_set_child (window, box);
  shot.root = box;

  shumate_viewport_set_zoom_level (shot.viewport, 12.4);
  shumate_location_set_location (SHUMATE_LOCATION (shot.viewport), MAP_TEST_CENTER_LAT + 0.008,
                                 MAP_TEST_CENTER_LON + 0.02);
  gtk_window_present (window);
  save (&shot, dir, "map-city.png");

  /* Streets at the edge of Satdobato: single points, one selected. */
  shumate_viewport_set_zoom_level (shot.viewport, 18.6);
  shumate_location_set_location (SHUMATE_LOCATION (shot.viewport), 27.6640, 85.3300);
  for (guint i = 0; i < pts->n; i++)
    if (fabs (pts->lat[i] - 27.6640) < 0.0004 && fabs (pts->lon[i] - 85.3300) < 0.0006)
      {
        rl_map_layer_set_selected_id (shot.layer, pts->ids[i]);
        break;
      }
  save (&shot, dir, "map-street.png");
  {
    RlMapLayerFrameStats st;

    rl_map_layer_get_frame_stats (shot.layer, &st);
    g_print ("street: %u points, %u clusters\n", st.points, st.clusters);
  }

  /* A smaller city: 2,000 points, the same view as map-city.png. */
  rl_map_layer_set_selected_id (shot.layer, NULL);
  g_clear_pointer (&pts, map_test_points_free);
  pts = map_test_points_new (2000, 1);
  view = map_test_points_view (pts);
  rl_map_layer_set_points (shot.layer, &view);
  shumate_viewport_set_zoom_level (shot.viewport, 12.4);
  shumate_location_set_location (SHUMATE_LOCATION (shot.viewport), MAP_TEST_CENTER_LAT + 0.008,
                                 MAP_TEST_CENTER_LON + 0.02);
  save (&shot, dir, "map-city-2000.png");

  gtk_window_destroy (window);
  g_object_unref (shot.data);
  g_unlink (pack);
  g_rmdir (tmp);
  return 0;
}
