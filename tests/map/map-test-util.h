/* map-test-util.h — synthetic Kathmandu-valley drop points, MBTiles files
 * and main-loop helpers for the map tests, benchmark and screenshots.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "rl-map-layer.h"

G_BEGIN_DECLS

#define MAP_TEST_CENTER_LAT 27.7000
#define MAP_TEST_CENTER_LON 85.3240

/* A fleet like the devserver's: points scattered (Gaussian, ~800 m) around
 * the valley's neighbourhoods, weighted by size; fill levels spread over
 * the bands; about 4 % offline, 3 % stale, 1 % maintenance, 0.5 % retired,
 * 2 % with an alert. Deterministic for a seed. */
typedef struct
{
  guint   n;
  char  **ids;
  char  **names;
  double *lat;
  double *lon;
  double *fill;
  guint8 *flags;
  gint64 *last_ms;
} MapTestPoints;

MapTestPoints *map_test_points_new (guint   n,
                                    guint32 seed);
void           map_test_points_free (MapTestPoints *pts);
RlMapPoints    map_test_points_view (MapTestPoints *pts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MapTestPoints, map_test_points_free)

/* A 256×256 PNG of @rgb (0xRRGGBB): flat when @label is NULL, else with
 * light streets and @label written in a corner (if not empty). */
GBytes *map_test_tile_png (guint32     rgb,
                           const char *label);

/* Writes an MBTiles file with the same tile (@rgb, light streets if
 * @streets) for every (z, x, y) covering the box at zooms min_z..max_z. */
gboolean map_test_write_mbtiles (const char *path,
                                 double      min_lat,
                                 double      min_lon,
                                 double      max_lat,
                                 double      max_lon,
                                 guint       min_z,
                                 guint       max_z,
                                 guint32     rgb,
                                 gboolean    streets,
                                 GError    **error);

/* Adds the tiles of another box and zoom range to a file that
 * map_test_write_mbtiles wrote (the zoom range in its metadata stays). */
gboolean map_test_extend_mbtiles (const char *path,
                                  double      min_lat,
                                  double      min_lon,
                                  double      max_lat,
                                  double      max_lon,
                                  guint       min_z,
                                  guint       max_z,
                                  guint32     rgb,
                                  gboolean    streets,
                                  GError    **error);

/* Index of @id in @pts (asserts it is there). */
guint map_test_points_index_of (MapTestPoints *pts,
                                const char    *id);
/* Brute force for RlMapLayer's arrow keys: the nearest point to @from in
 * the 90° cone of (dx, dy), skipping those @hidden says (may be NULL);
 * -1 when there is none. */
gint map_test_nearest_in_direction (MapTestPoints *pts,
                                    guint          from,
                                    double         dx,
                                    double         dy,
                                    gboolean (*hidden) (guint i));

/* A window with a ShumateMap (a plain reference source) and an RlMapLayer
 * drawing on a plain background; not presented yet. */
void map_test_map_window_new (int               width,
                              int               height,
                              GtkWindow       **out_window,
                              ShumateMap      **out_map,
                              ShumateViewport **out_viewport,
                              RlMapLayer      **out_layer);
/* TRUE once @layer (an RlMapLayer) drew a point or a cluster. */
gboolean map_test_layer_drew (gpointer layer);

/* Takes "--renderer=NAME" out of the arguments and sets GSK_RENDERER, so a
 * suite can run the same tests under the cairo renderer and GL. Call before
 * gtk_init. */
void map_test_take_renderer_arg (int   *argc,
                                 char **argv);

/* Runs the main loop until @layer has no tile to fetch or draw and no
 * redraw pending (no frame is waited for: the layer need not be shown). */
void map_test_wait_idle (RlMapLayer *layer,
                         guint       timeout_ms);

/* Iterates the default main context until @cond returns TRUE or @timeout_ms
 * passes; returns the last value of @cond. */
gboolean map_test_wait (gboolean (*cond) (gpointer),
                        gpointer data,
                        guint    timeout_ms);
/* Runs the main loop until @layer is not busy (no tile being fetched or
 * drawn, no data redraw pending: rl_map_layer_get_busy) and a frame was
 * painted after that; fails the test after @timeout_ms. */
void map_test_wait_settled (RlMapLayer *layer,
                            guint       timeout_ms);

/* The system's MIME databases ($XDG_DATA_DIRS/mime), read before
 * g_test_init (G_TEST_OPTION_ISOLATE_DIRS hides them): gdk-pixbuf sniffs
 * tile formats through them, so a test that reads PNG tiles hands them to
 * g_content_type_set_mime_dirs. Free with g_strfreev. */
char **map_test_system_mime_dirs (void);

/* Renders @widget as it looks now with its native's renderer. */
GdkTexture *map_test_render (GtkWidget *widget);
/* The pixel at (x, y) of @texture as 0xRRGGBB. */
guint32 map_test_pixel (GdkTexture *texture,
                        int         x,
                        int         y);

G_END_DECLS
