/* test-tiles.c — basemap tiles: valid PNGs, real content, thread safety, MBTiles.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-dev-tiles.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

typedef struct
{
  const guchar *data;
  gsize         len;
  gsize         pos;
} PngReader;

static cairo_status_t
read_cb (void          *closure,
         unsigned char *data,
         unsigned int   length)
{
  PngReader *r = closure;

  if (r->pos + length > r->len)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, r->data + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

/* Decodes with cairo's PNG reader: fails on anything that is not a PNG. */
static cairo_surface_t *
decode (GBytes *png)
{
  PngReader        r = { 0 };
  cairo_surface_t *surface;

  r.data = g_bytes_get_data (png, &r.len);
  g_assert_cmpuint (r.len, >, 8);
  g_assert_cmpmem (r.data, 8, "\x89PNG\r\n\x1a\n", 8);
  surface = cairo_image_surface_create_from_png_stream (read_cb, &r);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 256);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 256);
  return surface;
}

static void
lat_lon_to_tile (double lat,
                 double lon,
                 guint  z,
                 guint *x,
                 guint *y)
{
  double n = (double) (1u << z);
  double r = lat * G_PI / 180.0;

  *x = (guint) floor ((lon + 180.0) / 360.0 * n);
  *y = (guint) floor ((1.0 - log (tan (r) + 1.0 / cos (r)) / G_PI) / 2.0 * n);
}

/* Pixels close to the water colour (0.757, 0.851, 0.937). */
static guint
count_water (cairo_surface_t *surface)
{
  const guchar *data = cairo_image_surface_get_data (surface);
  int           stride = cairo_image_surface_get_stride (surface);
  guint         n = 0;

  cairo_surface_flush (surface);
  for (int y = 0; y < 256; y++)
    for (int x = 0; x < 256; x++)
      {
        guint32 px = *(const guint32 *) (gconstpointer) (data + y * stride + x * 4);
        int     r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

        if (ABS (r - 193) <= 6 && ABS (g - 217) <= 6 && ABS (b - 239) <= 6)
          n++;
      }
  return n;
}

static guint
count_colour (cairo_surface_t *surface,
              int              r,
              int              g,
              int              b)
{
  const guchar *data = cairo_image_surface_get_data (surface);
  int           stride = cairo_image_surface_get_stride (surface);
  guint         n = 0;

  cairo_surface_flush (surface);
  for (int y = 0; y < 256; y++)
    for (int x = 0; x < 256; x++)
      {
        guint32 px = *(const guint32 *) (gconstpointer) (data + y * stride + x * 4);

        n += ((px >> 16) & 0xff) == (guint) r && ((px >> 8) & 0xff) == (guint) g
             && (px & 0xff) == (guint) b;
      }
  return n;
}

static guint
count_colours (cairo_surface_t *surface)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  const guchar *data = cairo_image_surface_get_data (surface);
  int           stride = cairo_image_surface_get_stride (surface);

  cairo_surface_flush (surface);
  for (int y = 0; y < 256; y++)
    for (int x = 0; x < 256; x++)
      g_hash_table_add (
          seen, GUINT_TO_POINTER ((*(const guint32 *) (gconstpointer) (data + y * stride + x * 4))
                                  & 0xffffff));
  return g_hash_table_size (seen);
}

static void
test_valid_png (void)
{
  static const guint zooms[] = { 0, 3, 7, 10, 12, 14, 15, 17, 19 };

  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) png = NULL;
      cairo_surface_t *surface;
      guint            x, y;

      lat_lon_to_tile (27.7000, 85.3200, zooms[i], &x, &y);
      png = rl_dev_tiles_render_png (zooms[i], x, y, &error);
      g_assert_no_error (error);
      g_assert_nonnull (png);
      surface = decode (png);
      /* Drawn, not blank: the valley always has several colours. */
      g_assert_cmpuint (count_colours (surface), >, 2);
      cairo_surface_destroy (surface);
    }

  /* Far corners of the world render too. */
  for (guint z = 0; z <= 19; z++)
    {
      g_autoptr (GBytes) a = rl_dev_tiles_render_png (z, 0, 0, NULL);
      g_autoptr (GBytes) b = rl_dev_tiles_render_png (z, (1u << z) - 1, (1u << z) - 1, NULL);

      cairo_surface_destroy (decode (a));
      cairo_surface_destroy (decode (b));
    }
}

static void
test_invalid_tile (void)
{
  g_autoptr (GError) error = NULL;
  GBytes *png;

  png = rl_dev_tiles_render_png (20, 0, 0, &error);
  g_assert_null (png);
  g_assert_error (error, RL_DEV_TILES_ERROR, RL_DEV_TILES_ERROR_INVALID_TILE);
  g_clear_error (&error);
  png = rl_dev_tiles_render_png (3, 8, 0, &error);
  g_assert_null (png);
  g_assert_error (error, RL_DEV_TILES_ERROR, RL_DEV_TILES_ERROR_INVALID_TILE);
}

/* A tile on the Bagmati (Thapathali bridge) shows water; one in Kirtipur's
 * fields does not; the open ocean is all water. */
static void
test_land_vs_river (void)
{
  g_autoptr (GBytes) river = NULL;
  g_autoptr (GBytes) land = NULL;
  g_autoptr (GBytes) ocean = NULL;
  cairo_surface_t *s_river, *s_land, *s_ocean;
  guint            x, y;

  lat_lon_to_tile (27.6905, 85.3200, 15, &x, &y);
  river = rl_dev_tiles_render_png (15, x, y, NULL);
  lat_lon_to_tile (27.6560, 85.2600, 15, &x, &y);
  land = rl_dev_tiles_render_png (15, x, y, NULL);
  lat_lon_to_tile (-30.0, 80.0, 9, &x, &y); /* Indian Ocean */
  ocean = rl_dev_tiles_render_png (9, x, y, NULL);

  s_river = decode (river);
  s_land = decode (land);
  s_ocean = decode (ocean);
  g_assert_false (g_bytes_equal (river, land));
  g_assert_cmpuint (count_water (s_river), >, 500);
  g_assert_cmpuint (count_water (s_land), ==, 0);
  g_assert_cmpuint (count_water (s_ocean), ==, 256 * 256);
  cairo_surface_destroy (s_river);
  cairo_surface_destroy (s_land);
  cairo_surface_destroy (s_ocean);
}

/* The street grid (its own off-white) appears in the core from zoom 15, not at 14. */
static void
test_street_grid (void)
{
  g_autoptr (GBytes) z14 = NULL;
  g_autoptr (GBytes) z16 = NULL;
  cairo_surface_t *s14, *s16;
  guint            x, y;

  lat_lon_to_tile (27.7080, 85.3120, 16, &x, &y); /* near Asan, inside the core */
  z16 = rl_dev_tiles_render_png (16, x, y, NULL);
  lat_lon_to_tile (27.7080, 85.3120, 14, &x, &y);
  z14 = rl_dev_tiles_render_png (14, x, y, NULL);
  s16 = decode (z16);
  s14 = decode (z14);
  g_assert_cmpuint (count_colour (s16, 253, 253, 252), >, 300);
  g_assert_cmpuint (count_colour (s14, 253, 253, 252), <, 50); /* only antialiased edges */
  cairo_surface_destroy (s16);
  cairo_surface_destroy (s14);
}

typedef struct
{
  guint   z0;
  GBytes *results[64];
} Job;

static gpointer
render_thread (gpointer data)
{
  Job *job = data;

  for (guint i = 0; i < 64; i++)
    {
      guint z = job->z0 + i % 4;
      guint x, y;

      lat_lon_to_tile (27.65 + 0.002 * i, 85.28 + 0.002 * i, z, &x, &y);
      job->results[i] = rl_dev_tiles_render_png (z, x, y, NULL);
    }
  return NULL;
}

/* Four threads at once; each result equals a later single-threaded render. */
static void
test_threads (void)
{
  Job      jobs[4] = { { 12 }, { 13 }, { 14 }, { 15 } };
  GThread *threads[4];

  for (guint t = 0; t < 4; t++)
    threads[t] = g_thread_new ("render", render_thread, &jobs[t]);
  for (guint t = 0; t < 4; t++)
    g_thread_join (threads[t]);

  for (guint t = 0; t < 4; t++)
    for (guint i = 0; i < 64; i++)
      {
        guint z = jobs[t].z0 + i % 4;
        guint x, y;
        g_autoptr (GBytes) again = NULL;
        cairo_surface_t *surface;

        g_assert_nonnull (jobs[t].results[i]);
        surface = decode (jobs[t].results[i]);
        cairo_surface_destroy (surface);
        lat_lon_to_tile (27.65 + 0.002 * i, 85.28 + 0.002 * i, z, &x, &y);
        again = rl_dev_tiles_render_png (z, x, y, NULL);
        g_assert_true (g_bytes_equal (again, jobs[t].results[i]));
        g_bytes_unref (jobs[t].results[i]);
      }
}

static void
test_mbtiles (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "valley.mbtiles", NULL);
  sqlite3         *db = NULL;
  sqlite3_stmt    *stmt = NULL;
  guint            x, y, expected = 0;

  for (guint z = 10; z <= 12; z++)
    {
      guint x0, y0, x1, y1;

      lat_lon_to_tile (27.75, 85.25, z, &x0, &y0);
      lat_lon_to_tile (27.65, 85.40, z, &x1, &y1);
      expected += (x1 - x0 + 1) * (y1 - y0 + 1);
    }

  g_assert_true (rl_dev_tiles_export_mbtiles (path, 27.65, 85.25, 27.75, 85.40, 10, 12, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_prepare_v2 (db, "SELECT count(*) FROM tiles", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, (int) expected);
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (db, "SELECT value FROM metadata WHERE name = 'format'", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "png");
  sqlite3_finalize (stmt);

  /* TMS: row = 2^z - 1 - y, and the blob is the same tile. */
  lat_lon_to_tile (27.70, 85.32, 12, &x, &y);
  sqlite3_prepare_v2 (
      db,
      "SELECT tile_data FROM tiles WHERE zoom_level = 12 AND tile_column = ?1 AND tile_row = ?2",
      -1, &stmt, NULL);
  sqlite3_bind_int (stmt, 1, (int) x);
  sqlite3_bind_int (stmt, 2, (int) ((1u << 12) - 1 - y));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  {
    g_autoptr (GBytes) stored =
        g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
    g_autoptr (GBytes) direct = rl_dev_tiles_render_png (12, x, y, NULL);

    g_assert_true (g_bytes_equal (stored, direct));
  }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/tiles/valid-png", test_valid_png);
  g_test_add_func ("/tiles/invalid", test_invalid_tile);
  g_test_add_func ("/tiles/land-vs-river", test_land_vs_river);
  g_test_add_func ("/tiles/street-grid", test_street_grid);
  g_test_add_func ("/tiles/threads", test_threads);
  g_test_add_func ("/tiles/mbtiles", test_mbtiles);

  return g_test_run ();
}
