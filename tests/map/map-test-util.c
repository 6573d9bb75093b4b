/* map-test-util.c — synthetic drop points, MBTiles files, main-loop helpers.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "map-test-util.h"
#include "../gui/gui-test-wait.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "rl-geo.h"
#include "rl-tile-sources.h"
#include "rl-time.h"

typedef struct
{
  const char *name;
  double      lat, lon, weight;
} Area;

/* The devserver's neighbourhoods (src/devserver/rl-dev-seed.c). */
static const Area areas[] = {
  { "Thamel", 27.7154, 85.3123, 8 },
  { "Asan", 27.7066, 85.3105, 6 },
  { "New Road", 27.7033, 85.3103, 6 },
  { "Patan", 27.6727, 85.3253, 7 },
  { "Bhaktapur", 27.6722, 85.4279, 6 },
  { "Kirtipur", 27.6787, 85.2775, 4 },
  { "Boudha", 27.7215, 85.3620, 5 },
  { "Baneshwor", 27.6915, 85.3420, 6 },
  { "Kalanki", 27.6936, 85.2814, 4 },
  { "Chabahil", 27.7174, 85.3459, 4 },
  { "Lazimpat", 27.7236, 85.3206, 3 },
  { "Jawalakhel", 27.6726, 85.3136, 4 },
  { "Thimi", 27.6800, 85.3870, 3 },
  { "Balaju", 27.7350, 85.3030, 3 },
  { "Maharajgunj", 27.7390, 85.3300, 3 },
  { "Koteshwor", 27.6780, 85.3490, 4 },
  { "Swayambhu", 27.7149, 85.2904, 3 },
  { "Budhanilkantha", 27.7650, 85.3650, 2 },
  { "Satdobato", 27.6590, 85.3240, 3 },
  { "Gongabu", 27.7350, 85.3140, 3 },
};

static const char *suffixes[] = {
  "Chowk",
  "Tole",
  "Bus Stop",
  "Durbar Square",
  "Market",
  "School Gate",
  "Temple",
  "Park",
  "Hospital Gate",
  "Ward Office",
};

static double
gauss (GRand *rand)
{
  double u = g_rand_double_range (rand, 1e-12, 1.0);
  double v = g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

MapTestPoints *
map_test_points_new (guint   n,
                     guint32 seed)
{
  MapTestPoints *pts = g_new0 (MapTestPoints, 1);
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  double total = 0;
  gint64 now = rl_time_now_ms ();

  for (guint a = 0; a < G_N_ELEMENTS (areas); a++)
    total += areas[a].weight;

  pts->n = n;
  pts->ids = g_new0 (char *, n + 1);
  pts->names = g_new0 (char *, n + 1);
  pts->lat = g_new (double, MAX (n, 1));
  pts->lon = g_new (double, MAX (n, 1));
  pts->fill = g_new (double, MAX (n, 1));
  pts->flags = g_new (guint8, MAX (n, 1));
  pts->last_ms = g_new (gint64, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      double      pick = g_rand_double_range (rand, 0, total);
      const Area *area = &areas[0];
      double      roll;

      for (guint a = 0; a < G_N_ELEMENTS (areas); a++)
        {
          pick -= areas[a].weight;
          if (pick <= 0)
            {
              area = &areas[a];
              break;
            }
        }
      pts->ids[i] = g_strdup_printf ("dp-%06u", i + 1);
      pts->names[i] =
          g_strdup_printf ("%s %s %u", area->name,
                           suffixes[g_rand_int_range (rand, 0, G_N_ELEMENTS (suffixes))], i + 1);
      pts->lat[i] = area->lat + gauss (rand) * 0.007;
      pts->lon[i] = area->lon + gauss (rand) * 0.008;
      /* Skewed towards emptier bins, as after a collection round. */
      pts->fill[i] = CLAMP (100.0 * pow (g_rand_double (rand), 1.6), 0, 100);
      pts->last_ms[i] = now - g_rand_int_range (rand, 5, 600) * 1000;
      pts->flags[i] = 0;
      roll = g_rand_double (rand);
      if (roll < 0.005)
        pts->flags[i] |= RL_MAP_POINT_RETIRED;
      else if (roll < 0.015)
        pts->flags[i] |= RL_MAP_POINT_MAINTENANCE;
      else if (roll < 0.055)
        pts->flags[i] |= RL_MAP_POINT_OFFLINE;
      else if (roll < 0.085)
        {
          pts->flags[i] |= RL_MAP_POINT_STALE;
          pts->last_ms[i] = now - g_rand_int_range (rand, 3600, 7200) * 1000;
        }
      if (g_rand_double (rand) < 0.02)
        pts->flags[i] |= RL_MAP_POINT_ALERT;
    }
  return pts;
}

void
map_test_points_free (MapTestPoints *pts)
{
  g_strfreev (pts->ids);
  g_strfreev (pts->names);
  g_free (pts->lat);
  g_free (pts->lon);
  g_free (pts->fill);
  g_free (pts->flags);
  g_free (pts->last_ms);
  g_free (pts);
}

RlMapPoints
map_test_points_view (MapTestPoints *pts)
{
  RlMapPoints view = {
    .n = pts->n,
    .ids = (const char *const *) pts->ids,
    .names = (const char *const *) pts->names,
    .latitudes = pts->lat,
    .longitudes = pts->lon,
    .fill_levels = pts->fill,
    .flags = pts->flags,
    .last_reading_ms = pts->last_ms,
  };

  return view;
}

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
map_test_tile_png (guint32     rgb,
                   const char *label)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
  cairo_t         *cr = cairo_create (surface);
  GByteArray      *png = g_byte_array_new ();
  double           r = ((rgb >> 16) & 0xff) / 255.0, g = ((rgb >> 8) & 0xff) / 255.0,
         b = (rgb & 0xff) / 255.0;

  cairo_set_source_rgb (cr, r, g, b);
  cairo_paint (cr);
  if (label == NULL)
    goto done;
  /* Faint streets so panning shows on screenshots. */
  cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
  cairo_set_line_width (cr, 3);
  for (int k = 0; k < 4; k++)
    {
      cairo_move_to (cr, 32 + 64 * k, 0);
      cairo_line_to (cr, 32 + 64 * k + 20, 256);
      cairo_move_to (cr, 0, 40 + 64 * k);
      cairo_line_to (cr, 256, 30 + 64 * k);
    }
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.08);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, 0.5, 0.5, 255, 255);
  cairo_stroke (cr);
  if (*label != '\0')
    {
      cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
      cairo_move_to (cr, 8, 20);
      cairo_show_text (cr, label);
    }
done:
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_png, png);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

static gboolean
insert_tiles (sqlite3 *db,
              double   min_lat,
              double   min_lon,
              double   max_lat,
              double   max_lon,
              guint    min_z,
              guint    max_z,
              GBytes  *png)
{
  sqlite3_stmt *stmt = NULL;
  double        x0, y0, x1, y1;

  if (sqlite3_prepare_v2 (db, "INSERT OR IGNORE INTO tiles VALUES (?, ?, ?, ?)", -1, &stmt, NULL)
      != SQLITE_OK)
    return FALSE;
  rl_geo_project (max_lat, min_lon, &x0, &y0);
  rl_geo_project (min_lat, max_lon, &x1, &y1);
  for (guint z = min_z; z <= max_z; z++)
    {
      double tiles = ldexp (1.0, (int) z);

      for (guint x = (guint) floor (x0 * tiles); x <= (guint) floor (x1 * tiles); x++)
        for (guint y = (guint) floor (y0 * tiles); y <= (guint) floor (y1 * tiles); y++)
          {
            sqlite3_reset (stmt);
            sqlite3_bind_int (stmt, 1, (int) z);
            sqlite3_bind_int (stmt, 2, (int) x);
            sqlite3_bind_int64 (stmt, 3, (gint64) tiles - 1 - y);
            sqlite3_bind_blob (stmt, 4, g_bytes_get_data (png, NULL), (int) g_bytes_get_size (png),
                               SQLITE_STATIC);
            sqlite3_step (stmt);
          }
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
write_tiles (const char *path,
             gboolean    create,
             double      min_lat,
             double      min_lon,
             double      max_lat,
             double      max_lon,
             guint       min_z,
             guint       max_z,
             guint32     rgb,
             gboolean    streets,
             GError    **error)
{
  sqlite3 *db = NULL;
  g_autoptr (GBytes) png = map_test_tile_png (rgb, streets ? "" : NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0700);
  if (create)
    g_unlink (path);
  if (sqlite3_open (path, &db) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "open %s: %s", path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  if (create)
    {
      g_autofree char *sql = g_strdup_printf (
          "CREATE TABLE metadata (name TEXT, value TEXT);"
          "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
          "tile_data BLOB);"
          "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
          "INSERT INTO metadata VALUES ('name', 'Test pack'), ('format', 'png'),"
          " ('minzoom', '%u'), ('maxzoom', '%u');",
          min_z, max_z);

      sqlite3_exec (db, sql, NULL, NULL, NULL);
    }
  if (!insert_tiles (db, min_lat, min_lon, max_lat, max_lon, min_z, max_z, png)
      || sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "write %s: %s", path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_close (db);
  return TRUE;
}

gboolean
map_test_write_mbtiles (const char *path,
                        double      min_lat,
                        double      min_lon,
                        double      max_lat,
                        double      max_lon,
                        guint       min_z,
                        guint       max_z,
                        guint32     rgb,
                        gboolean    streets,
                        GError    **error)
{
  return write_tiles (path, TRUE, min_lat, min_lon, max_lat, max_lon, min_z, max_z, rgb, streets,
                      error);
}

gboolean
map_test_extend_mbtiles (const char *path,
                         double      min_lat,
                         double      min_lon,
                         double      max_lat,
                         double      max_lon,
                         guint       min_z,
                         guint       max_z,
                         guint32     rgb,
                         gboolean    streets,
                         GError    **error)
{
  return write_tiles (path, FALSE, min_lat, min_lon, max_lat, max_lon, min_z, max_z, rgb, streets,
                      error);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
map_test_wait (gboolean (*cond) (gpointer),
               gpointer data,
               guint    timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  /* Low priority: it only wakes the loop; idles (the map's tile
   * rendering) must not starve behind it while @cond renders slowly. */
  guint    tick = g_timeout_add_full (G_PRIORITY_LOW, 10, tick_cb, NULL, NULL);
  gboolean ok;

  while (!(ok = cond (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return ok;
}

static gboolean
layer_idle (gpointer layer)
{
  return !rl_map_layer_get_busy (layer);
}

void
map_test_wait_idle (RlMapLayer *layer,
                    guint       timeout_ms)
{
  if (!map_test_wait (layer_idle, layer, timeout_ms))
    g_error ("the map layer was still busy after %u ms", timeout_ms);
}

void
map_test_wait_settled (RlMapLayer *layer,
                       guint       timeout_ms)
{
  if (!map_test_wait (layer_idle, layer, timeout_ms))
    g_error ("the map layer was still busy after %u ms", timeout_ms);
  gui_test_wait_painted (GTK_WIDGET (layer), timeout_ms);
  /* The frame may have queued more tiles (the view moved): once more. */
  if (!map_test_wait (layer_idle, layer, timeout_ms))
    g_error ("the map layer was still busy after %u ms", timeout_ms);
}

char **
map_test_system_mime_dirs (void)
{
  const char *dirs = g_getenv ("XDG_DATA_DIRS");
  g_auto (GStrv) split =
      g_strsplit (dirs != NULL && *dirs != '\0' ? dirs : "/usr/local/share:/usr/share", ":", -1);
  char **mime = g_new0 (char *, g_strv_length (split) + 1);

  for (guint k = 0; split[k] != NULL; k++)
    mime[k] = g_build_filename (split[k], "mime", NULL);
  return mime;
}

GdkTexture *
map_test_render (GtkWidget *widget)
{
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return NULL;
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

guint32
map_test_pixel (GdkTexture *texture,
                int         x,
                int         y)
{
  int                 w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  g_autofree guint32 *data = g_new (guint32, (gsize) w * h);
  guint32             argb;

  g_assert (x >= 0 && x < w && y >= 0 && y < h);
  /* CAIRO_FORMAT_ARGB32 in native endianness; the map is opaque. */
  gdk_texture_download (texture, (guchar *) data, (gsize) w * 4);
  argb = data[(gsize) y * w + x];
  return argb & 0xffffff;
}

guint
map_test_points_index_of (MapTestPoints *pts,
                          const char    *id)
{
  for (guint i = 0; i < pts->n; i++)
    if (g_str_equal (pts->ids[i], id))
      return i;
  g_assert_not_reached ();
}

gint
map_test_nearest_in_direction (MapTestPoints *pts,
                               guint          from,
                               double         dx,
                               double         dy,
                               gboolean (*hidden) (guint i))
{
  double fx, fy, best = G_MAXDOUBLE;
  gint   best_i = -1;

  rl_geo_project (pts->lat[from], pts->lon[from], &fx, &fy);
  for (guint i = 0; i < pts->n; i++)
    {
      double x, y, vx, vy, along, perp;

      if (hidden != NULL && hidden (i))
        continue;
      rl_geo_project (pts->lat[i], pts->lon[i], &x, &y);
      vx = x - fx;
      vy = y - fy;
      along = vx * dx + vy * dy;
      perp = fabs (vx * dy - vy * dx);
      if (i == from || along <= 0 || perp > along)
        continue;
      if (vx * vx + vy * vy < best)
        {
          best = vx * vx + vy * vy;
          best_i = (gint) i;
        }
    }
  return best_i;
}

void
map_test_map_window_new (int               width,
                         int               height,
                         GtkWindow       **out_window,
                         ShumateMap      **out_map,
                         ShumateViewport **out_viewport,
                         RlMapLayer      **out_layer)
{
  GtkWindow       *window = GTK_WINDOW (gtk_window_new ());
  ShumateMap      *map = shumate_map_new ();
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  RlMapLayer      *layer;

  gtk_window_set_default_size (window, width, height);
  shumate_viewport_set_reference_map_source (viewport, rl_tile_source_new_plain ());
  g_object_unref (shumate_viewport_get_reference_map_source (viewport));
  layer = rl_map_layer_new (viewport);
  rl_map_layer_set_draw_background (layer, TRUE);
  shumate_map_add_layer (map, SHUMATE_LAYER (layer));
  gtk_window_set_child (window, GTK_WIDGET (map));

  *out_window = window;
  *out_map = map;
  *out_viewport = viewport;
  *out_layer = layer;
}

gboolean
map_test_layer_drew (gpointer layer)
{
  RlMapLayerFrameStats st;

  rl_map_layer_get_frame_stats (RL_MAP_LAYER (layer), &st);
  return st.points + st.clusters > 0;
}

void
map_test_take_renderer_arg (int   *argc,
                            char **argv)
{
  int out = 1;

  for (int k = 1; k < *argc; k++)
    if (g_str_has_prefix (argv[k], "--renderer="))
      g_setenv ("GSK_RENDERER", argv[k] + strlen ("--renderer="), TRUE);
    else
      argv[out++] = argv[k];
  *argc = out;
  argv[out] = NULL;
}
