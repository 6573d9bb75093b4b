/* rl-dev-tiles.c — basemap tiles of the Kathmandu valley, drawn with cairo.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Web Mercator, 256 px tiles. Inside the valley: land, green areas, the
 * Bagmati and Bishnumati, the airport, the Ring Road and main roads, and a
 * street grid in the dense core from z 15. Elsewhere a crude land/water
 * world. Soft, low-contrast GNOME-like colours so telemetry dots stand out.
 * Geometry is approximate (hand-placed from landmarks), good for a demo.
 */

#include "rl-dev-tiles.h"

#include <cairo.h>
#include <math.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#define TILE 256
#define CACHE_MAX 1024

/* clang-format off */
G_DEFINE_QUARK (rl-dev-tiles-error-quark, rl_dev_tiles_error)
/* clang-format on */

typedef struct
{
  double lat, lon;
} LatLon;
typedef struct
{
  double r, g, b;
} Rgb;

static const Rgb LAND = { 0.961, 0.957, 0.945 };
static const Rgb WORLD_LAND = { 0.945, 0.937, 0.918 };
static const Rgb WATER = { 0.757, 0.851, 0.937 };
static const Rgb GREEN = { 0.863, 0.918, 0.824 };
static const Rgb AIRPORT = { 0.918, 0.910, 0.929 };
static const Rgb RUNWAY = { 0.780, 0.776, 0.800 };
static const Rgb ROAD = { 1.000, 1.000, 1.000 };
static const Rgb CASING = { 0.835, 0.824, 0.800 };
static const Rgb RING = { 0.992, 0.941, 0.800 };
static const Rgb RING_EDGE = { 0.898, 0.816, 0.635 };
static const Rgb STREET = { 0.992, 0.992, 0.988 };

/* The valley (and a margin): outside it only the world background is drawn. */
static const double VALLEY_S = 27.45, VALLEY_N = 27.95, VALLEY_W = 85.05, VALLEY_E = 85.65;

/* ---- geometry (lat, lon) ---- */

static const LatLon bagmati[] = {
  { 27.8150, 85.4220 },
  { 27.7900, 85.4050 },
  { 27.7640, 85.3930 },
  { 27.7480, 85.3860 },
  { 27.7330, 85.3700 },
  { 27.7200, 85.3560 },
  { 27.7105, 85.3487 },
  { 27.7060, 85.3420 },
  { 27.6990, 85.3330 },
  { 27.6920, 85.3250 },
  { 27.6900, 85.3170 },
  { 27.6930, 85.3080 },
  { 27.6930, 85.3040 },
  { 27.6870, 85.2990 },
  { 27.6760, 85.2960 },
  { 27.6650, 85.2930 },
  { 27.6480, 85.2880 },
  { 27.6250, 85.2800 },
  { 27.5900, 85.2700 },
  { 27.5400, 85.2600 },
};
static const LatLon bishnumati[] = {
  { 27.8000, 85.2950 },
  { 27.7780, 85.2990 },
  { 27.7580, 85.3020 },
  { 27.7400, 85.3040 },
  { 27.7300, 85.3050 },
  { 27.7180, 85.3010 },
  { 27.7080, 85.3000 },
  { 27.7000, 85.3020 },
  { 27.6930, 85.3040 },
};
static const LatLon manohara[] = {
  { 27.7600, 85.4300 },
  { 27.7300, 85.3900 },
  { 27.7050, 85.3720 },
  { 27.6850, 85.3600 },
  { 27.6700, 85.3400 },
  { 27.6650, 85.3100 },
  { 27.6700, 85.2980 },
};
static const LatLon ring_road[] = {
  { 27.6935, 85.2818 },
  { 27.6845, 85.2990 },
  { 27.6700, 85.3080 },
  { 27.6586, 85.3245 },
  { 27.6667, 85.3326 },
  { 27.6785, 85.3493 },
  { 27.6965, 85.3545 },
  { 27.7067, 85.3436 },
  { 27.7172, 85.3462 },
  { 27.7310, 85.3460 },
  { 27.7397, 85.3330 },
  { 27.7408, 85.3265 },
  { 27.7350, 85.3175 },
  { 27.7300, 85.3030 },
  { 27.7150, 85.2855 },
  { 27.6935, 85.2818 },
};
static const LatLon araniko[] = {
  { 27.6785, 85.3493 },
  { 27.6735, 85.3585 },
  { 27.6770, 85.3880 },
  { 27.6722, 85.4180 },
  { 27.6600, 85.4600 },
  { 27.6320, 85.5200 },
  { 27.6250, 85.5600 },
};
static const LatLon prithvi[] = {
  { 27.6935, 85.2818 },
  { 27.6900, 85.2600 },
  { 27.6870, 85.2020 },
  { 27.7000, 85.1500 },
  { 27.7200, 85.0800 },
};
static const LatLon east_west[] = {
  /* Kalanki – Tripureshwor – Maitighar – Baneshwor – Tinkune */
  { 27.6935, 85.2818 },
  { 27.6945, 85.3110 },
  { 27.6940, 85.3225 },
  { 27.6890, 85.3350 },
  { 27.6855, 85.3470 },
};
static const LatLon north_south[] = {
  /* Tripureshwor – Kantipath – Lazimpat – Maharajgunj – Budhanilkantha */
  { 27.6945, 85.3150 },
  { 27.7050, 85.3150 },
  { 27.7200, 85.3170 },
  { 27.7300, 85.3220 },
  { 27.7397, 85.3330 },
  { 27.7600, 85.3450 },
  { 27.7780, 85.3620 },
};
static const LatLon patan[] = {
  /* Thapathali – Kupondole – Jawalakhel – Satdobato – Godawari */
  { 27.6920, 85.3180 },
  { 27.6860, 85.3170 },
  { 27.6730, 85.3130 },
  { 27.6586, 85.3245 },
  { 27.6200, 85.3500 },
  { 27.5950, 85.3800 },
};
static const LatLon chabahil_sankhu[] = {
  { 27.7172, 85.3462 },
  { 27.7200, 85.3700 },
  { 27.7320, 85.4000 },
  { 27.7300, 85.4400 },
};
static const LatLon balaju_north[] = {
  { 27.7300, 85.3030 },
  { 27.7550, 85.2980 },
  { 27.7800, 85.2900 },
};

static const LatLon shivapuri[] = {
  { 27.7850, 85.2500 },
  { 27.7780, 85.3000 },
  { 27.7830, 85.3500 },
  { 27.7780, 85.4000 },
  { 27.7900, 85.4500 },
  { 27.8300, 85.4600 },
  { 27.8600, 85.4000 },
  { 27.8600, 85.3000 },
  { 27.8350, 85.2400 },
};
static const LatLon pashupati_forest[] = {
  { 27.7130, 85.3480 },
  { 27.7125, 85.3545 },
  { 27.7070, 85.3560 },
  { 27.7055, 85.3495 },
};
static const LatLon gokarna[] = {
  { 27.7420, 85.3800 },
  { 27.7460, 85.3950 },
  { 27.7330, 85.4010 },
  { 27.7280, 85.3860 },
};
static const LatLon nagarjun[] = {
  { 27.7250, 85.2400 },
  { 27.7450, 85.2700 },
  { 27.7350, 85.2850 },
  { 27.7200, 85.2780 },
  { 27.7100, 85.2550 },
};
static const LatLon phulchoki[] = {
  { 27.5900, 85.3600 },
  { 27.6000, 85.3900 },
  { 27.5800, 85.4200 },
  { 27.5500, 85.4100 },
  { 27.5500, 85.3700 },
};
static const LatLon airport_area[] = {
  { 27.6840, 85.3470 },
  { 27.7100, 85.3610 },
  { 27.7080, 85.3700 },
  { 27.6830, 85.3560 },
};
static const LatLon runway[] = { { 27.6880, 85.3507 }, { 27.7080, 85.3640 } };

/* The dense core that gets a street grid. */
static const double CORE_S = 27.690, CORE_N = 27.725, CORE_W = 85.295, CORE_E = 85.330;
static const double PATAN_S = 27.665, PATAN_N = 27.685, PATAN_W = 85.310, PATAN_E = 85.335;

/* Crude continents (lon, lat order of the lists is lat, lon like the rest). */
static const LatLon afro_eurasia[] = {
  { 15, -17 },
  { 21, -17 },
  { 30, -10 },
  { 36, -9 },
  { 43, -9 },
  { 48, -2 },
  { 53, 5 },
  { 57, 8 },
  { 62, 5 },
  { 69, 15 },
  { 71, 30 },
  { 70, 60 },
  { 73, 80 },
  { 77, 110 },
  { 72, 140 },
  { 68, 180 },
  { 62, 180 },
  { 60, 160 },
  { 55, 140 },
  { 43, 135 },
  { 40, 122 },
  { 30, 121 },
  { 20, 110 },
  { 10, 107 },
  { 1, 103 },
  { 8, 98 },
  { 16, 98 },
  { 21, 92 },
  { 21, 87 },
  { 15, 80 },
  { 8, 77 },
  { 18, 73 },
  { 25, 67 },
  { 25, 57 },
  { 17, 52 },
  { 12, 44 },
  { 11, 51 },
  { -15, 40 },
  { -24, 35 },
  { -31, 30 },
  { -35, 20 },
  { -29, 17 },
  { -18, 12 },
  { -5, 13 },
  { 4, 9 },
  { 4, -8 },
  { 10, -15 },
};
static const LatLon americas[] = {
  { 66, -168 },
  { 71, -160 },
  { 70, -140 },
  { 73, -120 },
  { 72, -95 },
  { 69, -80 },
  { 60, -65 },
  { 52, -55 },
  { 45, -66 },
  { 35, -76 },
  { 27, -81 },
  { 25, -80 },
  { 30, -82 },
  { 29, -90 },
  { 26, -97 },
  { 20, -97 },
  { 21, -87 },
  { 10, -83 },
  { 9, -77 },
  { 12, -72 },
  { 9, -60 },
  { 0, -50 },
  { -6, -35 },
  { -13, -39 },
  { -26, -48 },
  { -36, -57 },
  { -41, -65 },
  { -55, -67 },
  { -53, -73 },
  { -40, -74 },
  { -18, -71 },
  { -6, -81 },
  { -2, -80 },
  { 8, -78 },
  { 12, -85 },
  { 16, -95 },
  { 20, -105 },
  { 30, -115 },
  { 40, -124 },
  { 48, -124 },
  { 58, -135 },
  { 60, -150 },
  { 60, -165 },
};
static const LatLon greenland[] = {
  { 60, -55 },
  { 60, -42 },
  { 70, -20 },
  { 82, -20 },
  { 82, -60 },
  { 77, -70 },
  { 68, -55 },
};
static const LatLon australia[] = {
  { -22, 114 },
  { -34, 114 },
  { -35, 118 },
  { -32, 130 },
  { -38, 140 },
  { -38, 150 },
  { -28, 153 },
  { -15, 145 },
  { -11, 142 },
  { -12, 136 },
  { -12, 130 },
  { -17, 122 },
};
static const LatLon britain[] = { { 50, -5 }, { 51, 1 }, { 56, -2 }, { 58, -5 }, { 55, -6 } };
static const LatLon madagascar[] = {
  { -25, 44 }, { -25, 47 }, { -15, 50 }, { -12, 49 }, { -17, 43 }
};
static const LatLon antarctica[] = { { -70, -180 }, { -70, 180 }, { -86, 180 }, { -86, -180 } };

typedef struct
{
  const LatLon *points;
  guint         n;
} Shape;
#define SHAPE(a)        \
  {                     \
    a, G_N_ELEMENTS (a) \
  }

static const Shape world_land[] = {
  SHAPE (afro_eurasia),
  SHAPE (americas),
  SHAPE (greenland),
  SHAPE (australia),
  SHAPE (britain),
  SHAPE (madagascar),
  SHAPE (antarctica),
};

/* ---- projection ---- */

typedef struct
{
  guint  z;
  double scale;    /* world size in px at this zoom */
  double ox, oy;   /* world px of the tile's top-left corner */
  double m_per_px; /* ground metres per px near the valley */
} Tile;

static void
project (const Tile *t,
         LatLon      p,
         double     *px,
         double     *py)
{
  double lat = CLAMP (p.lat, -85.05, 85.05) * G_PI / 180.0;

  *px = (p.lon + 180.0) / 360.0 * t->scale - t->ox;
  *py = (1.0 - log (tan (lat) + 1.0 / cos (lat)) / G_PI) / 2.0 * t->scale - t->oy;
}

static double
tile_lat (double y,
          double n)
{
  return atan (sinh (G_PI * (1.0 - 2.0 * y / n))) * 180.0 / G_PI;
}

static double
width_px (const Tile *t,
          double      metres,
          double      min_px,
          double      max_px)
{
  return CLAMP (metres / t->m_per_px, min_px, max_px);
}

static void
path_line (cairo_t      *cr,
           const Tile   *t,
           const LatLon *pts,
           guint         n)
{
  cairo_new_path (cr);
  for (guint i = 0; i < n; i++)
    {
      double x, y;

      project (t, pts[i], &x, &y);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
}

static void
fill_shape (cairo_t      *cr,
            const Tile   *t,
            const LatLon *pts,
            guint         n,
            Rgb           c)
{
  path_line (cr, t, pts, n);
  cairo_close_path (cr);
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
  cairo_fill (cr);
}

static void
stroke_line (cairo_t      *cr,
             const Tile   *t,
             const LatLon *pts,
             guint         n,
             Rgb           c,
             double        width)
{
  path_line (cr, t, pts, n);
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
  cairo_set_line_width (cr, width);
  cairo_stroke (cr);
}

static void
road (cairo_t      *cr,
      const Tile   *t,
      const LatLon *pts,
      guint         n,
      Rgb           fill,
      Rgb           edge,
      double        metres)
{
  double w = width_px (t, metres, t->z >= 11 ? 1.4 : 0.8, 60.0);

  if (t->z >= 12)
    stroke_line (cr, t, pts, n, edge, w + 1.5);
  stroke_line (cr, t, pts, n, t->z >= 12 ? fill : edge, w);
}

/* Even-odd point in polygon, for flat tiles at high zoom far from the valley. */
static gboolean
point_in_shape (const Shape *s,
                double       lat,
                double       lon)
{
  gboolean inside = FALSE;

  for (guint i = 0, j = s->n - 1; i < s->n; j = i++)
    {
      const LatLon *a = &s->points[i], *b = &s->points[j];

      if ((a->lat > lat) != (b->lat > lat)
          && lon < (b->lon - a->lon) * (lat - a->lat) / (b->lat - a->lat) + a->lon)
        inside = !inside;
    }
  return inside;
}

static gboolean
is_land (double lat,
         double lon)
{
  for (guint i = 0; i < G_N_ELEMENTS (world_land); i++)
    if (point_in_shape (&world_land[i], lat, lon))
      return TRUE;
  return FALSE;
}

static void
draw_world (cairo_t    *cr,
            const Tile *t,
            double      north,
            double      south,
            double      west,
            double      east)
{
  if (t->z < 9)
    {
      cairo_set_source_rgb (cr, WATER.r, WATER.g, WATER.b);
      cairo_paint (cr);
      for (guint i = 0; i < G_N_ELEMENTS (world_land); i++)
        fill_shape (cr, t, world_land[i].points, world_land[i].n, WORLD_LAND);
    }
  else
    {
      /* Too far in for the crude outlines to mean anything: one colour. */
      Rgb c = is_land ((north + south) / 2, (west + east) / 2) ? WORLD_LAND : WATER;

      cairo_set_source_rgb (cr, c.r, c.g, c.b);
      cairo_paint (cr);
    }
}

static void
draw_grid (cairo_t    *cr,
           const Tile *t,
           double      s,
           double      n,
           double      w,
           double      e,
           double      step_deg)
{
  double lw = width_px (t, 7.0, 0.6, 24.0);

  cairo_set_source_rgb (cr, STREET.r, STREET.g, STREET.b);
  cairo_set_line_width (cr, lw);
  cairo_new_path (cr);
  for (double lat = s; lat <= n + 1e-9; lat += step_deg)
    {
      LatLon a = { lat, w }, b = { lat, e };
      double x1, y1, x2, y2;

      project (t, a, &x1, &y1);
      project (t, b, &x2, &y2);
      if (y1 < -lw || y1 > TILE + lw)
        continue;
      cairo_move_to (cr, x1, y1);
      cairo_line_to (cr, x2, y2);
    }
  for (double lon = w; lon <= e + 1e-9; lon += step_deg)
    {
      LatLon a = { s, lon }, b = { n, lon };
      double x1, y1, x2, y2;

      project (t, a, &x1, &y1);
      project (t, b, &x2, &y2);
      if (x1 < -lw || x1 > TILE + lw)
        continue;
      cairo_move_to (cr, x1, y1);
      cairo_line_to (cr, x2, y2);
    }
  cairo_stroke (cr);
}

static void
draw_valley (cairo_t    *cr,
             const Tile *t)
{
  double river_w = width_px (t, 35.0, t->z >= 11 ? 2.0 : 0.8, 120.0);

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  /* The valley floor, a shade lighter than the hills around it. */
  {
    LatLon floor[] = {
      { 27.80, 85.22 },
      { 27.80, 85.50 },
      { 27.62, 85.50 },
      { 27.58, 85.30 },
      { 27.64, 85.20 },
    };

    if (t->z < 11)
      fill_shape (cr, t, floor, G_N_ELEMENTS (floor), LAND);
    else
      {
        cairo_set_source_rgb (cr, LAND.r, LAND.g, LAND.b);
        cairo_paint (cr);
      }
  }

  fill_shape (cr, t, shivapuri, G_N_ELEMENTS (shivapuri), GREEN);
  fill_shape (cr, t, nagarjun, G_N_ELEMENTS (nagarjun), GREEN);
  fill_shape (cr, t, phulchoki, G_N_ELEMENTS (phulchoki), GREEN);
  fill_shape (cr, t, gokarna, G_N_ELEMENTS (gokarna), GREEN);
  fill_shape (cr, t, pashupati_forest, G_N_ELEMENTS (pashupati_forest), GREEN);
  fill_shape (cr, t, airport_area, G_N_ELEMENTS (airport_area), AIRPORT);

  stroke_line (cr, t, bagmati, G_N_ELEMENTS (bagmati), WATER, river_w);
  stroke_line (cr, t, bishnumati, G_N_ELEMENTS (bishnumati), WATER, river_w * 0.8);
  stroke_line (cr, t, manohara, G_N_ELEMENTS (manohara), WATER, river_w * 0.7);

  if (t->z >= 15)
    {
      draw_grid (cr, t, CORE_S, CORE_N, CORE_W, CORE_E, 0.0011);
      draw_grid (cr, t, PATAN_S, PATAN_N, PATAN_W, PATAN_E, 0.0013);
    }

  stroke_line (cr, t, runway, G_N_ELEMENTS (runway), RUNWAY, width_px (t, 45.0, 1.0, 160.0));

  if (t->z >= 10)
    {
      road (cr, t, chabahil_sankhu, G_N_ELEMENTS (chabahil_sankhu), ROAD, CASING, 14.0);
      road (cr, t, balaju_north, G_N_ELEMENTS (balaju_north), ROAD, CASING, 14.0);
      road (cr, t, patan, G_N_ELEMENTS (patan), ROAD, CASING, 16.0);
      road (cr, t, north_south, G_N_ELEMENTS (north_south), ROAD, CASING, 16.0);
      road (cr, t, east_west, G_N_ELEMENTS (east_west), ROAD, CASING, 18.0);
    }
  road (cr, t, araniko, G_N_ELEMENTS (araniko), RING, RING_EDGE, 22.0);
  road (cr, t, prithvi, G_N_ELEMENTS (prithvi), RING, RING_EDGE, 22.0);
  road (cr, t, ring_road, G_N_ELEMENTS (ring_road), RING, RING_EDGE, 28.0);
}

static cairo_status_t
write_png_cb (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
render (guint    z,
        guint    x,
        guint    y,
        GError **error)
{
  double           n = (double) (1u << z);
  double           west = x / n * 360.0 - 180.0, east = (x + 1) / n * 360.0 - 180.0;
  double           north = tile_lat (y, n), south = tile_lat (y + 1, n);
  Tile             t = { z, TILE * n, (double) x * TILE, (double) y * TILE,
                         156543.034 * cos (27.7 * G_PI / 180.0) / n };
  cairo_surface_t *surface;
  cairo_t         *cr;
  cairo_status_t   status;
  GByteArray      *png;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, TILE, TILE);
  cr = cairo_create (surface);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_GOOD);

  draw_world (cr, &t, north, south, west, east);
  if (south < VALLEY_N && north > VALLEY_S && west < VALLEY_E && east > VALLEY_W)
    draw_valley (cr, &t);

  status = cairo_status (cr);
  cairo_destroy (cr);
  png = g_byte_array_sized_new (16 * 1024);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, write_png_cb, png);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_byte_array_unref (png);
      g_set_error (error, RL_DEV_TILES_ERROR, RL_DEV_TILES_ERROR_RENDER,
                   "Cannot render tile %u/%u/%u: %s", z, x, y, cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (png);
}

static GMutex      cache_lock;
static GHashTable *cache; /* "z/x/y" → GBytes */

GBytes *
rl_dev_tiles_render_png (guint    z,
                         guint    x,
                         guint    y,
                         GError **error)
{
  g_autofree char *key = NULL;
  GBytes          *png;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (z > RL_DEV_TILES_MAX_ZOOM || x >= (1u << z) || y >= (1u << z))
    {
      g_set_error (error, RL_DEV_TILES_ERROR, RL_DEV_TILES_ERROR_INVALID_TILE,
                   "No tile %u/%u/%u (zoom 0–%d)", z, x, y, RL_DEV_TILES_MAX_ZOOM);
      return NULL;
    }

  key = g_strdup_printf ("%u/%u/%u", z, x, y);
  g_mutex_lock (&cache_lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  png = g_hash_table_lookup (cache, key);
  if (png != NULL)
    g_bytes_ref (png);
  g_mutex_unlock (&cache_lock);
  if (png != NULL)
    return png;

  /* Rendered outside the lock: two threads may draw the same tile once each. */
  png = render (z, x, y, error);
  if (png == NULL)
    return NULL;

  g_mutex_lock (&cache_lock);
  if (g_hash_table_size (cache) >= CACHE_MAX)
    g_hash_table_remove_all (cache);
  g_hash_table_replace (cache, g_steal_pointer (&key), g_bytes_ref (png));
  g_mutex_unlock (&cache_lock);
  return png;
}

/* ---- MBTiles export ---- */

static gboolean
sql_ok (sqlite3 *db,
        int      rc,
        GError **error)
{
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;
  g_set_error (error, RL_DEV_TILES_ERROR, RL_DEV_TILES_ERROR_DATABASE,
               "MBTiles: %s", sqlite3_errmsg (db));
  return FALSE;
}

static guint
lon_to_x (double lon,
          guint  z)
{
  double n = (double) (1u << z);

  return (guint) CLAMP (floor ((lon + 180.0) / 360.0 * n), 0, n - 1);
}

static guint
lat_to_y (double lat,
          guint  z)
{
  double n = (double) (1u << z);
  double r = CLAMP (lat, -85.05, 85.05) * G_PI / 180.0;

  return (guint) CLAMP (floor ((1.0 - log (tan (r) + 1.0 / cos (r)) / G_PI) / 2.0 * n), 0, n - 1);
}

gboolean
rl_dev_tiles_export_mbtiles (const char *path,
                             double      min_lat,
                             double      min_lon,
                             double      max_lat,
                             double      max_lon,
                             guint       min_z,
                             guint       max_z,
                             GError    **error)
{
  sqlite3         *db = NULL;
  sqlite3_stmt    *meta = NULL, *ins = NULL;
  g_autofree char *bounds = NULL;
  g_autofree char *center = NULL;
  char             b[4][G_ASCII_DTOSTR_BUF_SIZE];
  gboolean         ok = FALSE;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (min_lat <= max_lat && min_lon <= max_lon, FALSE);
  g_return_val_if_fail (min_z <= max_z && max_z <= RL_DEV_TILES_MAX_ZOOM, FALSE);

  g_unlink (path);
  if (!sql_ok (db, sqlite3_open (path, &db), error))
    goto out;
  if (!sql_ok (db,
               sqlite3_exec (
                   db,
                   "CREATE TABLE metadata (name TEXT, value TEXT);"
                   "CREATE UNIQUE INDEX metadata_name ON metadata (name);"
                   "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER,"
                   " tile_row INTEGER, tile_data BLOB);"
                   "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
                   "BEGIN;",
                   NULL, NULL, NULL),
               error))
    goto out;

  bounds = g_strdup_printf ("%s,%s,%s,%s",
                            g_ascii_formatd (b[0], sizeof b[0], "%.6f", min_lon),
                            g_ascii_formatd (b[1], sizeof b[1], "%.6f", min_lat),
                            g_ascii_formatd (b[2], sizeof b[2], "%.6f", max_lon),
                            g_ascii_formatd (b[3], sizeof b[3], "%.6f", max_lat));
  center = g_strdup_printf ("%s,%s,%u",
                            g_ascii_formatd (b[0], sizeof b[0], "%.6f", (min_lon + max_lon) / 2),
                            g_ascii_formatd (b[1], sizeof b[1], "%.6f", (min_lat + max_lat) / 2),
                            MIN (max_z, MAX (min_z, 13u)));
  {
    g_autofree char *minzoom = g_strdup_printf ("%u", min_z);
    g_autofree char *maxzoom = g_strdup_printf ("%u", max_z);
    const char      *pairs[][2] = {
           { "name", "ReLoop Kathmandu basemap" },
           { "format", "png" },
           { "type", "baselayer" },
           { "version", "1.0" },
           { "description", "Demo basemap drawn by reloop-devserver" },
           { "bounds", bounds },
           { "center", center },
           { "minzoom", minzoom },
           { "maxzoom", maxzoom },
           { "attribution", "ReLoop demo geometry (approximate)" },
    };

    if (!sql_ok (db,
                 sqlite3_prepare_v2 (db, "INSERT INTO metadata VALUES (?1, ?2)", -1, &meta, NULL),
                 error))
      goto out;
    for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
      {
        sqlite3_bind_text (meta, 1, pairs[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text (meta, 2, pairs[i][1], -1, SQLITE_STATIC);
        if (!sql_ok (db, sqlite3_step (meta), error))
          goto out;
        sqlite3_reset (meta);
      }
  }

  if (!sql_ok (db,
               sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)", -1, &ins, NULL),
               error))
    goto out;
  for (guint z = min_z; z <= max_z; z++)
    {
      guint x0 = lon_to_x (min_lon, z), x1 = lon_to_x (max_lon, z);
      guint y0 = lat_to_y (max_lat, z), y1 = lat_to_y (min_lat, z);

      for (guint x = x0; x <= x1; x++)
        for (guint y = y0; y <= y1; y++)
          {
            g_autoptr (GBytes) png = render (z, x, y, error);
            gsize         len;
            gconstpointer data;

            if (png == NULL)
              goto out;
            data = g_bytes_get_data (png, &len);
            sqlite3_bind_int (ins, 1, (int) z);
            sqlite3_bind_int (ins, 2, (int) x);
            sqlite3_bind_int (ins, 3,
                              (int) ((1u << z) - 1 - y)); /* TMS rows count from the south */
            sqlite3_bind_blob (ins, 4, data, (int) len, SQLITE_TRANSIENT);
            if (!sql_ok (db, sqlite3_step (ins), error))
              goto out;
            sqlite3_reset (ins);
          }
    }
  ok = sql_ok (db, sqlite3_exec (db, "COMMIT;", NULL, NULL, NULL), error);

out:
  sqlite3_finalize (meta);
  sqlite3_finalize (ins);
  sqlite3_close (db);
  if (!ok)
    g_unlink (path);
  return ok;
}
