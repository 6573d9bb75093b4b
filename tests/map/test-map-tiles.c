/* test-map-tiles.c — the drop points drawn into the map tiles
 * (rl_map_layer_wrap_source): what shows, live updates that redraw only the
 * tiles around them, the filter, hit tests, and tiles that cannot be had.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs as is (GL under Xvfb), with --renderer=cairo, and with --scale=2
 * (GDK_SCALE: the composites are drawn at twice the tiles' size, the bare
 * tile scaled into them).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map-test-util.h"
#include "../gui/gui-test-wait.h"
#include "rl-test-util.h"
#include "rl-geo.h"
#include "rl-map-layer.h"
#include "rl-tile-sources.h"

#define W 640
#define H 400
#define TILE_RGB 0x3366aa
#define LAND_RGB 0xf2efe9

static char **system_data_dirs;
static int    scale = 1; /* --scale */

/* Three points: A at the centre, B 150 px east of it at zoom 16, C 3 km
 * away. */
static const char *const ids[] = { "dp-a", "dp-b", "dp-c" };
static const char *const names[] = { "A", "B", "C" };
static double            lats[3], lons[3];
static double            fills[] = { 95, 30, 60 };
static guint8            flags[] = { 0, 0, 0 };

typedef struct
{
  GtkWindow       *window;
  ShumateMap      *map;
  ShumateViewport *viewport;
  RlMapLayer      *layer;
  ShumateMapLayer *tiles;
  /* what to wait for */
  int     x, y;
  guint32 want;
  guint32 seen;
  guint   tiles_before; /* tiles drawn before a change */
} Fixture;

static guint32
class_rgb (RlMapClass klass)
{
  GdkRGBA c;

  rl_map_class_get_color (klass, &c);
  return ((guint32) lround (c.red * 255) << 16) | ((guint32) lround (c.green * 255) << 8)
         | (guint32) lround (c.blue * 255);
}

static gboolean
pixel_is (gpointer data)
{
  Fixture *f = data;
  g_autoptr (GdkTexture) tex = map_test_render (GTK_WIDGET (f->map));

  if (tex == NULL)
    return FALSE;
  f->seen = map_test_pixel (tex, f->x, f->y);
  return f->seen == f->want;
}

static void
assert_pixel (Fixture *f,
              int      x,
              int      y,
              guint32  want)
{
  f->x = x;
  f->y = y;
  f->want = want;
  map_test_wait (pixel_is, f, 20000);
  g_assert_cmphex (f->seen, ==, want);
}

static gboolean
composited_with_points (gpointer data)
{
  Fixture             *f = data;
  RlMapLayerFrameStats st;

  rl_map_layer_get_frame_stats (f->layer, &st);
  return rl_map_layer_get_composited (f->layer) && st.points > 0;
}

/* TRUE once the tile layer drew more composites (with symbols or not)
 * than f->tiles_before. */
static gboolean
tiles_drawn (gpointer data)
{
  Fixture *f = data;
  guint    drawn = 0;

  rl_map_layer_get_tile_stats (f->layer, &drawn, NULL, NULL);
  return drawn > f->tiles_before;
}

/* The window, the map, its tile layer over @inner with the symbols drawn
 * in, and the layer: with the three points when @with_points, else with
 * none yet (as a first sign-in shows it before the first sync). */
static void
build_full (Fixture          *f,
            ShumateMapSource *inner,
            gboolean          with_points)
{
  RlMapPoints pts = { 3, ids, names, lats, lons, fills, flags, NULL };
  g_autoptr (ShumateMapSource) wrapped = NULL;
  double x, y;

  rl_geo_project (MAP_TEST_CENTER_LAT, MAP_TEST_CENTER_LON, &x, &y);
  for (guint k = 0; k < 3; k++)
    {
      double dx = k == 1 ? 150.0 / (256 * 65536.0) : k == 2 ? 0.0001
                                                            : 0;

      rl_geo_unproject (x + dx, y + (k == 2 ? 0.0001 : 0), &lats[k], &lons[k]);
    }

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, W, H);
  gtk_window_set_resizable (f->window, FALSE);
  f->map = shumate_map_new ();
  f->viewport = shumate_map_get_viewport (f->map);
  shumate_viewport_set_reference_map_source (f->viewport, inner);
  f->layer = rl_map_layer_new (f->viewport);
  if (with_points)
    rl_map_layer_set_points (f->layer, &pts);
  wrapped = rl_map_layer_wrap_source (f->layer, inner);
  g_assert_true (SHUMATE_IS_MAP_SOURCE (wrapped));
  g_assert_cmpuint (shumate_map_source_get_tile_size (wrapped), ==,
                    shumate_map_source_get_tile_size (inner));
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (wrapped), ==,
                    shumate_map_source_get_max_zoom_level (inner));
  f->tiles = g_object_ref_sink (shumate_map_layer_new (wrapped, f->viewport));
  shumate_map_add_layer (f->map, SHUMATE_LAYER (f->tiles));
  shumate_map_add_layer (f->map, SHUMATE_LAYER (f->layer));
  shumate_viewport_set_zoom_level (f->viewport, 16);
  shumate_location_set_location (SHUMATE_LOCATION (f->viewport), MAP_TEST_CENTER_LAT,
                                 MAP_TEST_CENTER_LON);
  gtk_window_set_child (f->window, GTK_WIDGET (f->map));
  gtk_window_present (f->window);
  if (with_points)
    g_assert_true (map_test_wait (composited_with_points, f, 20000));
  else
    g_assert_true (map_test_wait (tiles_drawn, f, 20000));
  if (with_points)
    g_assert_true (rl_map_layer_get_composited (f->layer));
  g_assert_cmpint (gtk_widget_get_scale_factor (GTK_WIDGET (f->layer)), ==, scale);
}

static void
build (Fixture          *f,
       ShumateMapSource *inner)
{
  build_full (f, inner, TRUE);
}

static void
destroy (Fixture *f)
{
  gui_test_destroy_and_wait (f->window, f->layer, 10000);
  g_object_unref (f->tiles);
}

static void
test_symbols_in_tiles (void)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "tiles.mbtiles", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlMbtilesSource) data = NULL;
  g_autoptr (ShumateMapSource) source = NULL;
  g_autoptr (GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
  Fixture              f = { 0 };
  RlMapLayerFrameStats st;
  guint                before, after, served;
  const char          *a = "dp-a";
  double               new_fill = 10;
  guint8               new_flags = 0;

  g_content_type_set_mime_dirs ((const char *const *) system_data_dirs);
  g_assert_true (
      map_test_write_mbtiles (path, 27.66, 85.28, 27.74, 85.37, 14, 17, TILE_RGB, FALSE, &error));
  g_assert_no_error (error);
  data = rl_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  source = SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (
      "test-tiles", "Test", NULL, NULL, 14, 17, 256, SHUMATE_MAP_PROJECTION_MERCATOR,
      SHUMATE_DATA_SOURCE (data)));
  build (&f, source);

  /* A (95 %: full) is in the tiles over the pack's colour; B (30 %) too. */
  assert_pixel (&f, W / 2, H / 2, class_rgb (RL_MAP_CLASS_FULL));
  assert_pixel (&f, W / 2 + 150, H / 2, class_rgb (RL_MAP_CLASS_LOW));
  assert_pixel (&f, 20, 20, TILE_RGB);
  rl_map_layer_get_frame_stats (f.layer, &st);
  g_assert_cmpuint (st.points, ==, 2); /* C is off screen */
  g_assert_cmpuint (rl_mbtiles_source_get_n_served (data), >, 0);

  /* A click hits what the tiles show. */
  g_assert_true (rl_map_layer_select_at (f.layer, W / 2 + 150, H / 2));
  g_assert_cmpstr (rl_map_layer_get_selected_id (f.layer), ==, "dp-b");
  g_assert_true (rl_map_layer_set_selected_id (f.layer, NULL));

  /* A live update redraws only the tiles near A (at most the 2 × 2 around
   * its corner), not the ~20 tiles of the view. */
  map_test_wait_settled (f.layer, 20000);
  rl_map_layer_get_tile_stats (f.layer, &before, NULL, NULL);
  served = rl_mbtiles_source_get_n_served (data);
  g_assert_cmpuint (rl_map_layer_update_points (f.layer, 1, &a, &new_fill, &new_flags, NULL), ==,
                    1);
  assert_pixel (&f, W / 2, H / 2, class_rgb (RL_MAP_CLASS_LOW));
  map_test_wait_settled (f.layer, 20000);
  rl_map_layer_get_tile_stats (f.layer, &after, NULL, NULL);
  g_assert_cmpuint (after - before, >=, 1);
  g_assert_cmpuint (after - before, <=, 4);
  assert_pixel (&f, W / 2 + 150, H / 2, class_rgb (RL_MAP_CLASS_LOW));
  /* Those tiles had let their bare tile go once composited: it was read
   * again from the pack, so the map shows around A, not plain land. */
  g_assert_cmpuint (rl_mbtiles_source_get_n_served (data) - served, >=, 1);
  g_assert_cmpuint (rl_mbtiles_source_get_n_served (data) - served, <=, 4);
  assert_pixel (&f, W / 2 + 40, H / 2 + 40, TILE_RGB);
  assert_pixel (&f, W / 2 - 40, H / 2 - 40, TILE_RGB);

  /* The filter: A hidden shows the bare tile there; B stays. */
  g_hash_table_add (shown, (gpointer) "dp-b");
  g_hash_table_add (shown, (gpointer) "dp-c");
  g_assert_cmpuint (rl_map_layer_set_shown_ids (f.layer, shown), ==, 2);
  assert_pixel (&f, W / 2, H / 2, TILE_RGB);
  assert_pixel (&f, W / 2 + 150, H / 2, class_rgb (RL_MAP_CLASS_LOW));
  g_assert_false (rl_map_layer_select_at (f.layer, W / 2, H / 2));

  /* Without the tile layer the layer draws the points itself again. */
  rl_map_layer_set_shown_ids (f.layer, NULL);
  shumate_map_remove_layer (f.map, SHUMATE_LAYER (f.tiles));
  rl_map_layer_set_draw_background (f.layer, TRUE);
  assert_pixel (&f, W / 2, H / 2, class_rgb (RL_MAP_CLASS_LOW));
  assert_pixel (&f, 20, 20, LAND_RGB);
  g_assert_false (rl_map_layer_get_composited (f.layer));

  destroy (&f);
}

/* A source with no tiles at all (offline, nothing cached): the points on
 * plain land. */
static void
test_no_tiles (void)
{
  g_autoptr (ShumateMapSource) plain = rl_tile_source_new_plain ();
  Fixture f = { 0 };
  guint   drawn;
  double  total_ms, max_ms;

  build (&f, plain);
  assert_pixel (&f, W / 2, H / 2, class_rgb (RL_MAP_CLASS_FULL));
  assert_pixel (&f, 20, 20, LAND_RGB);
  rl_map_layer_get_tile_stats (f.layer, &drawn, &total_ms, &max_ms);
  g_assert_cmpuint (drawn, >, 0);
  g_assert_cmpfloat (total_ms, >=, max_ms);
  destroy (&f);
}

/* The map before any point is known (a first sign-in with an empty cache,
 * before the first sync): tiles are drawn with no symbols in them, and
 * hit tests, the keyboard, tooltips and statistics answer "nothing" —
 * without a CRITICAL (the tiles once queried the layer's geo index before
 * it existed; g_test_init makes a CRITICAL fatal). Then the points come and
 * show in the tiles. */
static void
test_no_points_yet (void)
{
  g_autoptr (ShumateMapSource) plain = rl_tile_source_new_plain ();
  Fixture              f = { 0 };
  RlMapLayerFrameStats st;
  RlMapPoints          pts = { 3, ids, names, lats, lons, fills, flags, NULL };
  guint                drawn = 0;
  double               lat = 0, lon = 0;

  build_full (&f, plain, FALSE);
  g_assert_cmpuint (rl_map_layer_get_n_points (f.layer), ==, 0);
  assert_pixel (&f, W / 2, H / 2, LAND_RGB);
  rl_map_layer_get_tile_stats (f.layer, &drawn, NULL, NULL);
  g_assert_cmpuint (drawn, >, 0);
  rl_map_layer_get_frame_stats (f.layer, &st);
  g_assert_cmpuint (st.points, ==, 0);
  g_assert_cmpuint (st.clusters, ==, 0);
  g_assert_false (rl_map_layer_select_at (f.layer, W / 2, H / 2));
  g_assert_null (rl_map_layer_get_selected_id (f.layer));
  g_assert_false (rl_map_layer_get_point_location (f.layer, "dp-a", &lat, &lon));
  g_assert_false (rl_map_layer_set_selected_id (f.layer, "dp-a"));
  /* The keyboard: Down selects nothing (there is nothing to select). */
  gtk_widget_activate_action (GTK_WIDGET (f.layer), "map-layer.move", "(ii)", 0, 1);
  g_assert_null (rl_map_layer_get_selected_id (f.layer));
  /* A zoom level where single points would be drawn, and one of clusters. */
  rl_map_layer_get_tile_stats (f.layer, &f.tiles_before, NULL, NULL);
  shumate_viewport_set_zoom_level (f.viewport, 12);
  g_assert_true (map_test_wait (tiles_drawn, &f, 20000));
  assert_pixel (&f, W / 2, H / 2, LAND_RGB);
  shumate_viewport_set_zoom_level (f.viewport, 16);

  /* The first sync brings the points: they show in the tiles. */
  rl_map_layer_set_points (f.layer, &pts);
  assert_pixel (&f, W / 2, H / 2, class_rgb (RL_MAP_CLASS_FULL));
  assert_pixel (&f, W / 2 + 150, H / 2, class_rgb (RL_MAP_CLASS_LOW));
  g_assert_true (map_test_wait (composited_with_points, &f, 20000));
  rl_map_layer_get_frame_stats (f.layer, &st);
  g_assert_cmpuint (st.points, ==, 2);
  destroy (&f);
}

/* A tile source that serves solid tiles until told to fail (as the network
 * and an evicted cache would): counts what it served. */
#define TEST_TYPE_FLAKY_SOURCE (test_flaky_source_get_type ())
G_DECLARE_FINAL_TYPE (TestFlakySource, test_flaky_source, TEST, FLAKY_SOURCE, ShumateMapSource)

struct _TestFlakySource
{
  ShumateMapSource parent_instance;
  gboolean         failing;
  guint            served, refused;
  guint            with_cancellable; /* fills asked with a GCancellable */
};

G_DEFINE_FINAL_TYPE (TestFlakySource, test_flaky_source, SHUMATE_TYPE_MAP_SOURCE)

static void
test_flaky_source_fill_tile_async (ShumateMapSource   *source,
                                   ShumateTile        *tile,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  TestFlakySource *self = TEST_FLAKY_SOURCE (source);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  guint size = shumate_tile_get_size (tile);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  guint8 *rgb;

  if (cancellable != NULL)
    self->with_cancellable++;
  if (self->failing)
    {
      self->refused++;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "offline");
      return;
    }
  self->served++;
  rgb = g_malloc ((gsize) size * size * 3);
  for (gsize i = 0; i < (gsize) size * size; i++)
    {
      rgb[3 * i] = (TILE_RGB >> 16) & 0xff;
      rgb[3 * i + 1] = (TILE_RGB >> 8) & 0xff;
      rgb[3 * i + 2] = TILE_RGB & 0xff;
    }
  bytes = g_bytes_new_take (rgb, (gsize) size * size * 3);
  texture = gdk_memory_texture_new (size, size, GDK_MEMORY_R8G8B8, bytes, (gsize) size * 3);
  shumate_tile_set_paintable (tile, GDK_PAINTABLE (texture));
  shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  g_task_return_boolean (task, TRUE);
}

static gboolean
test_flaky_source_fill_tile_finish (ShumateMapSource *source,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_flaky_source_class_init (TestFlakySourceClass *klass)
{
  SHUMATE_MAP_SOURCE_CLASS (klass)->fill_tile_async = test_flaky_source_fill_tile_async;
  SHUMATE_MAP_SOURCE_CLASS (klass)->fill_tile_finish = test_flaky_source_fill_tile_finish;
}

static void
test_flaky_source_init (TestFlakySource *self)
{
}

static TestFlakySource *
flaky_source_new (const char *id)
{
  return g_object_new (TEST_TYPE_FLAKY_SOURCE,
                       "id", id, "name", id,
                       "min-zoom-level", 0, "max-zoom-level", 19,
                       "tile-size", 256,
                       "projection", SHUMATE_MAP_PROJECTION_MERCATOR,
                       NULL);
}

/* A fill libshumate cancels (the tile scrolled away) answers "cancelled",
 * but the fill asked of the wrapped source is never cancelled: libshumate
 * 1.0.3's downloader, cancelled while writing a new tile to its file cache,
 * leaves an empty file there that every later read returns. */
static void
test_cancel_spares_inner_fill (void)
{
  g_autoptr (TestFlakySource) inner = flaky_source_new ("test-cancel");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (ShumateViewport) viewport = shumate_viewport_new ();
  g_autoptr (RlMapLayer) layer = g_object_ref_sink (rl_map_layer_new (viewport));
  g_autoptr (ShumateMapSource) wrapped = rl_map_layer_wrap_source (layer, SHUMATE_MAP_SOURCE (inner));
  g_autoptr (ShumateTile) tile = shumate_tile_new_full (48302, 27516, 256, 16);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  shumate_map_source_fill_tile_async (wrapped, tile, cancellable, rl_test_store_result_cb, &result);
  g_cancellable_cancel (cancellable);
  rl_test_wait_result (&result, 10000);
  g_assert_false (shumate_map_source_fill_tile_finish (wrapped, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (inner->served, ==, 1);
  g_assert_cmpuint (inner->with_cancellable, ==, 0);
  g_assert_false (rl_map_layer_get_busy (layer));
}

/* A tile lets its bare tile go once composited. When its symbols change
 * and the bare tile cannot be had again, the new symbols go on plain land:
 * never old symbols over the map. Tiles whose symbols did not change keep
 * showing the map. */
static void
test_refetch_fails (void)
{
  g_autoptr (TestFlakySource) flaky = flaky_source_new ("test-flaky");
  Fixture     f = { 0 };
  const char *a = "dp-a";
  double      new_fill = 10;
  guint8      new_flags = 0;

  build (&f, SHUMATE_MAP_SOURCE (flaky));
  assert_pixel (&f, W / 2, H / 2, class_rgb (RL_MAP_CLASS_FULL));
  assert_pixel (&f, W / 2 + 40, H / 2 + 40, TILE_RGB);
  assert_pixel (&f, 20, 20, TILE_RGB);
  g_assert_cmpuint (flaky->served, >, 0);
  g_assert_cmpuint (flaky->refused, ==, 0);

  flaky->failing = TRUE;
  g_assert_cmpuint (rl_map_layer_update_points (f.layer, 1, &a, &new_fill, &new_flags, NULL), ==,
                    1);
  assert_pixel (&f, W / 2, H / 2, class_rgb (RL_MAP_CLASS_LOW));
  assert_pixel (&f, W / 2 + 40, H / 2 + 40, LAND_RGB);
  /* Asked again for the 1–4 tiles around A only; the corner's tile kept
   * its composite over the map. */
  g_assert_cmpuint (flaky->refused, >=, 1);
  g_assert_cmpuint (flaky->refused, <=, 4);
  assert_pixel (&f, 20, 20, TILE_RGB);
  destroy (&f);
}

/* The width (px) of what covers the tile colour on the row through the
 * view's centre, around it. */
static int
centre_symbol_width (Fixture *f)
{
  g_autoptr (GdkTexture) tex = map_test_render (GTK_WIDGET (f->map));
  g_autofree guint32 *data = NULL;
  const guint32      *row;
  int                 left = W / 2, right = W / 2, w;

  if (tex == NULL)
    return -1;
  /* One download (map_test_pixel downloads the whole texture per pixel);
   * CAIRO_FORMAT_ARGB32 words, the map is opaque. */
  w = gdk_texture_get_width (tex);
  g_assert_cmpint (gdk_texture_get_height (tex), >, H / 2);
  data = g_new (guint32, (gsize) w * gdk_texture_get_height (tex));
  gdk_texture_download (tex, (guchar *) data, (gsize) w * 4);
  row = data + (gsize) (H / 2) * w;
  while (left > 0 && (row[left - 1] & 0xffffff) != TILE_RGB)
    left--;
  while (right < MIN (W, w) - 1 && (row[right + 1] & 0xffffff) != TILE_RGB)
    right++;
  return right - left + 1;
}

typedef struct
{
  Fixture *f;
  int      want, seen;
} WidthWait;

static gboolean
width_is (gpointer data)
{
  WidthWait *w = data;

  w->seen = centre_symbol_width (w->f);
  /* Drawn smaller and enlarged by libshumate, the symbol's soft edge
   * spreads by a pixel each side. */
  return ABS (w->seen - w->want) <= 2;
}

/* At a fractional zoom libshumate shows the tiles of the level below,
 * enlarged up to 2×. Once the zoom settles, the symbols in them are drawn
 * smaller by as much, so they show at their own size, where they were. */
static void
test_fractional_zoom (void)
{
  g_autoptr (TestFlakySource) plain = flaky_source_new ("test-solid");
  Fixture   f = { 0 };
  WidthWait wait = { &f, 0, 0 };
  int       whole;

  build (&f, SHUMATE_MAP_SOURCE (plain));
  assert_pixel (&f, W / 2, H / 2, class_rgb (RL_MAP_CLASS_FULL));
  map_test_wait_settled (f.layer, 20000);
  whole = centre_symbol_width (&f);
  g_assert_cmpint (whole, >=, 8);
  g_assert_cmpint (whole, <=, 30);

  /* Half a level in: the tiles of zoom 16 show 1.41× larger. B, 150 px
   * east at zoom 16, is 212 px east once the new zoom shows. */
  shumate_viewport_set_zoom_level (f.viewport, 16.5);
  assert_pixel (&f, W / 2 + 212, H / 2, class_rgb (RL_MAP_CLASS_LOW));
  wait.want = whole;
  map_test_wait (width_is, &wait, 20000);
  g_test_message ("symbol width %d px at zoom 16, %d px at 16.5", whole, wait.seen);
  /* Not drawn smaller, it would be ~7 px wider (17 → 24 px here). */
  g_assert_cmpint (ABS (wait.seen - whole), <=, 2);
  assert_pixel (&f, W / 2, H / 2, class_rgb (RL_MAP_CLASS_FULL));
  assert_pixel (&f, W / 2 + 212, H / 2, class_rgb (RL_MAP_CLASS_LOW));
  /* A click there still hits it. */
  g_assert_true (rl_map_layer_select_at (f.layer, W / 2 + 212, H / 2));
  g_assert_cmpstr (rl_map_layer_get_selected_id (f.layer), ==, "dp-b");
  destroy (&f);
}

int
main (int    argc,
      char **argv)
{
  system_data_dirs = map_test_system_mime_dirs ();
  map_test_take_renderer_arg (&argc, argv);
  for (int k = 1; k < argc; k++)
    if (g_str_has_prefix (argv[k], "--scale="))
      {
        scale = atoi (argv[k] + strlen ("--scale="));
        g_setenv ("GDK_SCALE", argv[k] + strlen ("--scale="), TRUE);
        memmove (&argv[k], &argv[k + 1], (argc - k) * sizeof (char *));
        argc--;
        break;
      }
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();

  g_test_add_func ("/map-tiles/symbols-in-tiles", test_symbols_in_tiles);
  g_test_add_func ("/map-tiles/no-tiles", test_no_tiles);
  g_test_add_func ("/map-tiles/no-points-yet", test_no_points_yet);
  g_test_add_func ("/map-tiles/refetch-fails", test_refetch_fails);
  g_test_add_func ("/map-tiles/cancel-spares-inner-fill", test_cancel_spares_inner_fill);
  g_test_add_func ("/map-tiles/fractional-zoom", test_fractional_zoom);

  {
    int ret = g_test_run ();

    g_strfreev (system_data_dirs);
    return ret;
  }
}
