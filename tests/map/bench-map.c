/* bench-map.c — 100,000 drop points on the map: frame times against the
 * same map with tiles only, first frame, memory; cairo and GL renderers.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run alone from the build directory (needs a display):
 *   xvfb-run -a -s '-screen 0 1400x900x24' tests/map/bench-map [--quick] [--direct]
 * It runs itself once per renderer (GSK_RENDERER=cairo, then gl) as a child
 * process, prints progress on stderr and one JSON line per renderer. Before
 * each, a child with the same window, tiles and script but no points layer
 * gives the RSS reference (rss_tiles_only_mb; rss_ours_mb = rss_mb − that).
 *
 * Frame time = wall time of one frame-clock cycle, from "before-paint" to
 * "after-paint": the scripted viewport move (tick callback), layout, the
 * snapshot of every layer and the GSK render of the window. Tiles come from
 * an MBTiles pack written at start (read off-thread by RlMbtilesSource,
 * decoded by libshumate on the main thread), so there is no network.
 *
 * Script, per pass: pan 3 × F frames (F = 120, --quick 30) at zooms 12
 * (city: clusters), 14 and 16 (streets), 12 px a frame, then zoom
 * 11 → 17 → 11 in quarter steps. One unmeasured pass warms the tile cache,
 * then passes alternate tiles only / with points / tiles only / with points
 * so that tile caching and machine load fall on both configurations alike;
 * each figure pools the frames of its two passes.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "map-test-util.h"
#include "rl-geo.h"
#include "rl-map-layer.h"
#include "rl-tile-sources.h"

#define N_POINTS 100000
#define WIDTH 1280
#define HEIGHT 800

typedef enum { STEP_PAN, STEP_ZOOM } StepKind;

typedef struct {
  StepKind kind;
  double   zoom;
  double   dx, dy;   /* pixels this frame */
} Step;

typedef struct {
  GtkWindow       *window;
  ShumateMap      *map;
  ShumateViewport *viewport;
  RlMapLayer      *layer;
  GdkFrameClock   *clock;

  GArray          *script;     /* Step */
  guint            pos;
  gboolean         running;
  gboolean         measuring;
  gint64           frame_start;
  GArray          *pan_ms;     /* double: the configuration being measured */
  GArray          *gap_ms;     /* double: start to start of painted pan frames,
                                * or NULL (main-loop work between frames shows here) */
  gint64           last_painted_start;
  GArray          *zoom_ms;    /* double */

  gint64           shown_at;
  double           first_frame_ms;
  guint            frames_seen;
  gboolean         painted;     /* GDK painted the surface this frame */
  gboolean         moved;       /* a step was applied since the last measured frame */
  guint            skipped;     /* frame clock cycles with no paint */
  guint            applied_pos;
} Bench;

static void
progress (const char *fmt,
          ...) G_GNUC_PRINTF (1, 2);

static void
progress (const char *fmt,
          ...)
{
  va_list ap;

  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
}

static double
rss_mb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, key);
  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (key), NULL) / 1024.0;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  g_autoptr(GArray) sorted = NULL;
  guint k;

  if (values->len == 0)
    return -1;
  sorted = g_array_copy (values);
  g_array_sort (sorted, cmp_double);
  k = (guint) ceil (p / 100.0 * sorted->len) - 1;
  return g_array_index (sorted, double, MIN (k, sorted->len - 1));
}

static void
build_script (Bench *b,
              guint  frames)
{
  const double zooms[] = { 12, 14, 16 };

  b->script = g_array_new (FALSE, FALSE, sizeof (Step));
  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    for (guint f = 0; f < frames; f++)
      {
        /* East, then south, then back west: new tiles keep coming. */
        double a = (f < frames / 3) ? 0 : (f < 2 * frames / 3) ? G_PI / 2 : G_PI;
        Step s = { STEP_PAN, zooms[z], 12 * cos (a), 12 * sin (a) };

        g_array_append_val (b->script, s);
      }
  for (double zoom = 11; zoom <= 17; zoom += 0.25)
    {
      Step s = { STEP_ZOOM, zoom, 0, 0 };

      g_array_append_val (b->script, s);
    }
  for (double zoom = 17; zoom >= 11; zoom -= 0.25)
    {
      Step s = { STEP_ZOOM, zoom, 0, 0 };

      g_array_append_val (b->script, s);
    }
}

/* Every tile the script shows is in the pack, so both configurations draw
 * the same tiles (a tile missing from the pack would be drawn only with
 * points, as plain land, and nothing at all with tiles only). */
static gboolean
write_pack (const char  *path,
            GError     **error)
{
  return map_test_write_mbtiles (path, 27.58, 85.18, 27.82, 85.47, 10, 17, 0xe8e4da, TRUE, error)
         && map_test_extend_mbtiles (path, 27.0, 84.6, 28.4, 86.0, 10, 13, 0xe8e4da, TRUE, error);
}

static void
go_home (Bench  *b,
         double  zoom)
{
  shumate_viewport_set_zoom_level (b->viewport, zoom);
  shumate_location_set_location (SHUMATE_LOCATION (b->viewport), MAP_TEST_CENTER_LAT + 0.012,
                                 MAP_TEST_CENTER_LON - 0.010);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Bench *b = user_data;
  const Step *s;

  if (!b->running)
    return G_SOURCE_CONTINUE;
  if (b->pos >= b->script->len)
    {
      b->running = FALSE;
      return G_SOURCE_CONTINUE;
    }
  s = &g_array_index (b->script, Step, b->pos);
  /* A frame GDK did not paint (X11 still waiting on the last one) moves
   * nothing: each painted frame shows exactly one step. */
  if (b->applied_pos == b->pos)
    {
      gtk_widget_queue_draw (GTK_WIDGET (b->map));
      return G_SOURCE_CONTINUE;
    }
  b->applied_pos = b->pos;
  b->moved = TRUE;
  if (s->kind == STEP_PAN)
    {
      double x, y, lat, lon, scale = 256 * exp2 (s->zoom);

      if (b->pos == 0 || g_array_index (b->script, Step, b->pos - 1).zoom != s->zoom)
        go_home (b, s->zoom);
      rl_geo_project (shumate_location_get_latitude (SHUMATE_LOCATION (b->viewport)),
                      shumate_location_get_longitude (SHUMATE_LOCATION (b->viewport)), &x, &y);
      rl_geo_unproject (x + s->dx / scale, y + s->dy / scale, &lat, &lon);
      shumate_location_set_location (SHUMATE_LOCATION (b->viewport), lat, lon);
    }
  else
    shumate_viewport_set_zoom_level (b->viewport, s->zoom);
  return G_SOURCE_CONTINUE;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Bench         *b)
{
  b->frame_start = g_get_monotonic_time ();
  b->painted = FALSE;
}

/* GdkSurface::render, whoever handles it: the surface really is painted
 * in this frame. On X11 without a compositor GDK skips the paint of every
 * other frame-clock cycle while the last frame is pending; those cycles
 * cost nothing and would halve every percentile. */
static gboolean
render_hook (GSignalInvocationHint *hint,
             guint                  n_params,
             const GValue          *params,
             gpointer               data)
{
  ((Bench *) data)->painted = TRUE;
  return TRUE;
}

static void
watch_paints (Bench *b)
{
  g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0, render_hook, b, NULL);
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *b)
{
  double ms = (g_get_monotonic_time () - b->frame_start) / 1000.0;

  b->frames_seen++;
  if (b->first_frame_ms < 0 && b->layer != NULL)
    {
      RlMapLayerFrameStats st;

      rl_map_layer_get_frame_stats (b->layer, &st);
      if (st.points + st.clusters > 0)
        b->first_frame_ms = (g_get_monotonic_time () - b->shown_at) / 1000.0;
    }
  /* Only a painted frame that shows a new step is measured: a cycle GDK
   * did not paint, or a repaint with nothing moved (tiles arriving, or
   * the repaint asked for after an unpainted cycle), is not a pan frame. */
  if (!b->painted || (b->running && !b->moved))
    {
      b->skipped++;
      return;
    }
  b->painted = FALSE;
  b->moved = FALSE;
  /* b->pos is the step the tick of this frame applied. */
  if (b->measuring && b->running && b->pos < b->script->len)
    {
      const Step *s = &g_array_index (b->script, Step, b->pos);

      g_array_append_val (s->kind == STEP_PAN ? b->pan_ms : b->zoom_ms, ms);
      /* BENCH_MAP_DUMP=file: every measured frame, for a closer look. */
      if (g_getenv ("BENCH_MAP_DUMP") != NULL)
        {
          FILE *f = fopen (g_getenv ("BENCH_MAP_DUMP"), "a");

          if (f != NULL)
            {
              fprintf (f, "%s %s %u %.1f %.3f\n", g_getenv ("GSK_RENDERER"),
                       gtk_widget_get_parent (GTK_WIDGET (b->layer)) != NULL ? "points" : "tiles",
                       b->pos, s->zoom, ms);
              fclose (f);
            }
        }
      if (s->kind == STEP_PAN && b->gap_ms != NULL && b->last_painted_start > 0
          && b->pos > 0 && g_array_index (b->script, Step, b->pos - 1).zoom == s->zoom)
        {
          double gap = (b->frame_start - b->last_painted_start) / 1000.0;

          g_array_append_val (b->gap_ms, gap);
        }
    }
  b->last_painted_start = b->frame_start;
  if (b->running)
    b->pos++;
}

static gboolean
not_running (gpointer data)
{
  return !((Bench *) data)->running;
}

static gboolean
first_frame_done (gpointer data)
{
  return ((Bench *) data)->first_frame_ms >= 0;
}

static void
run_pass (Bench    *b,
          gboolean  measure)
{
  b->pos = 0;
  b->last_painted_start = 0;
  b->applied_pos = G_MAXUINT;
  b->measuring = measure;
  b->running = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (b->map));
  if (!map_test_wait (not_running, b, 600000))
    g_error ("the pass did not finish");
}

static gboolean
frame_seen (gpointer data)
{
  return ((Bench *) data)->frames_seen > 0;
}

/* The same window, tiles and script with no points layer at all: how much
 * of the RSS is the toolkit, the renderer and the tiles. */
static int
run_tiles_only_child (const char *renderer,
                      gboolean    quick)
{
  Bench bench = { 0 }, *b = &bench;
  g_autofree char *dir = g_dir_make_tmp ("bench-map-XXXXXX", NULL);
  g_autofree char *pack = g_build_filename (dir, "valley.mbtiles", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ShumateMapSource) source = NULL;
  GArray *pan = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *zoom = g_array_new (FALSE, FALSE, sizeof (double));
  double rss = 0;

  gtk_init ();
  b->first_frame_ms = -1;
  b->pan_ms = pan;
  b->zoom_ms = zoom;
  build_script (b, quick ? 30 : 120);
  if (!write_pack (pack, &error))
    g_error ("%s", error->message);
  source = rl_tile_source_new_for_mbtiles (pack, &error);
  if (source == NULL)
    g_error ("%s", error->message);

  b->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (b->window, WIDTH, HEIGHT);
  gtk_window_set_resizable (b->window, FALSE);
  b->map = shumate_map_new ();
  b->viewport = shumate_map_get_viewport (b->map);
  shumate_viewport_set_reference_map_source (b->viewport, source);
  shumate_map_add_layer (b->map, SHUMATE_LAYER (shumate_map_layer_new (source, b->viewport)));
  go_home (b, 12);
  gtk_window_set_child (b->window, GTK_WIDGET (b->map));
  gtk_widget_realize (GTK_WIDGET (b->window));
  b->clock = gtk_widget_get_frame_clock (GTK_WIDGET (b->window));
  g_signal_connect (b->clock, "before-paint", G_CALLBACK (before_paint_cb), b);
  watch_paints (b);
  g_signal_connect (b->clock, "after-paint", G_CALLBACK (after_paint_cb), b);
  gtk_widget_add_tick_callback (GTK_WIDGET (b->map), tick_cb, b, NULL);
  gtk_window_present (b->window);
  if (!map_test_wait (frame_seen, b, 60000))
    g_error ("no first frame");

  progress ("[%s] tiles only, for the RSS reference: warm-up and two passes…", renderer);
  for (guint pass = 0; pass < 3; pass++)
    {
      run_pass (b, FALSE);
      rss = MAX (rss, rss_mb ("VmRSS:"));
    }
  printf ("{\"rss_tiles_only_mb\":%.1f,\"rss_tiles_only_peak_mb\":%.1f}\n", rss, rss_mb ("VmHWM:"));
  fflush (stdout);

  gtk_window_destroy (b->window);
  g_array_unref (b->script);
  g_array_unref (pan);
  g_array_unref (zoom);
  g_unlink (pack);
  g_rmdir (dir);
  return 0;
}

static int
run_child (const char *renderer,
           gboolean    quick,
           gboolean    direct,
           double      rss_tiles_only)
{
  Bench bench = { 0 }, *b = &bench;
  g_autofree char *dir = g_dir_make_tmp ("bench-map-XXXXXX", NULL);
  g_autofree char *pack = g_build_filename (dir, "valley.mbtiles", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ShumateMapSource) source = NULL;
  g_autoptr(MapTestPoints) pts = NULL;
  RlMapPoints view;
  ShumateMapLayer *tiles;
  gint64 t0;
  double load_ms, rss = 0, rss_peak, rss_file;
  GArray *p_pan = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *p_zoom = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *t_pan = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *t_zoom = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *p_gap = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *t_gap = g_array_new (FALSE, FALSE, sizeof (double));
  double pan50, pan95, zoom95, t_pan50, t_pan95, t_zoom95;
  RlMapLayerFrameStats st;
  ShumateMapLayer *symbol_tiles;
  guint tiles_drawn;
  double tiles_ms, tiles_max_ms;
  gboolean composited;

  gtk_init ();
  b->first_frame_ms = -1;
  b->pan_ms = p_pan;
  b->zoom_ms = p_zoom;
  build_script (b, quick ? 30 : 120);

  progress ("[%s] writing the tile pack…", renderer);
  if (!write_pack (pack, &error))
    g_error ("%s", error->message);
  source = rl_tile_source_new_for_mbtiles (pack, &error);
  if (source == NULL)
    g_error ("%s", error->message);

  pts = map_test_points_new (N_POINTS, 1);
  view = map_test_points_view (pts);

  b->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (b->window, WIDTH, HEIGHT);
  gtk_window_set_resizable (b->window, FALSE);
  b->map = shumate_map_new ();
  b->viewport = shumate_map_get_viewport (b->map);
  shumate_viewport_set_reference_map_source (b->viewport, source);
  tiles = shumate_map_layer_new (source, b->viewport);
  b->layer = rl_map_layer_new (b->viewport);
  /* As the Map page does: the points drawn into the tiles (--direct: the
   * layer draws them every frame over the bare tiles). */
  if (direct)
    symbol_tiles = g_object_ref_sink (tiles);
  else
    {
      g_autoptr(ShumateMapSource) wrapped = rl_map_layer_wrap_source (b->layer, source);

      symbol_tiles = g_object_ref_sink (shumate_map_layer_new (wrapped, b->viewport));
      g_object_ref_sink (tiles);
    }
  shumate_map_add_layer (b->map, SHUMATE_LAYER (symbol_tiles));

  t0 = g_get_monotonic_time ();
  rl_map_layer_set_points (b->layer, &view);
  load_ms = (g_get_monotonic_time () - t0) / 1000.0;
  /* The layer keeps its own copy; the Map page frees what it loaded too. */
  g_clear_pointer (&pts, map_test_points_free);
  progress ("[%s] %u points set in %.1f ms", renderer, N_POINTS, load_ms);

  shumate_map_add_layer (b->map, SHUMATE_LAYER (b->layer));
  go_home (b, 12);
  gtk_window_set_child (b->window, GTK_WIDGET (b->map));
  gtk_widget_realize (GTK_WIDGET (b->window));
  b->clock = gtk_widget_get_frame_clock (GTK_WIDGET (b->window));
  g_signal_connect (b->clock, "before-paint", G_CALLBACK (before_paint_cb), b);
  watch_paints (b);
  g_signal_connect (b->clock, "after-paint", G_CALLBACK (after_paint_cb), b);
  gtk_widget_add_tick_callback (GTK_WIDGET (b->map), tick_cb, b, NULL);

  b->shown_at = g_get_monotonic_time ();
  gtk_window_present (b->window);
  if (!map_test_wait (first_frame_done, b, 60000))
    g_error ("no first frame");
  progress ("[%s] first frame with points %.1f ms after the window was shown", renderer, b->first_frame_ms);

  progress ("[%s] warm-up pass (%u frames)…", renderer, b->script->len);
  run_pass (b, FALSE);
  g_object_ref (b->layer);
  for (guint round = 0; round < 2; round++)
    {
      progress ("[%s] pass with tiles only…", renderer);
      shumate_map_remove_layer (b->map, SHUMATE_LAYER (b->layer));
      if (symbol_tiles != tiles)
        {
          shumate_map_remove_layer (b->map, SHUMATE_LAYER (symbol_tiles));
          shumate_map_add_layer (b->map, SHUMATE_LAYER (tiles));
        }
      b->pan_ms = t_pan;
      b->zoom_ms = t_zoom;
      b->gap_ms = t_gap;
      run_pass (b, TRUE);
      progress ("[%s] pass with points…", renderer);
      if (symbol_tiles != tiles)
        {
          shumate_map_remove_layer (b->map, SHUMATE_LAYER (tiles));
          shumate_map_add_layer (b->map, SHUMATE_LAYER (symbol_tiles));
        }
      shumate_map_add_layer (b->map, SHUMATE_LAYER (b->layer));
      b->pan_ms = p_pan;
      b->zoom_ms = p_zoom;
      b->gap_ms = p_gap;
      run_pass (b, TRUE);
      rss = MAX (rss, rss_mb ("VmRSS:"));
    }
  rss_peak = rss_mb ("VmHWM:");
  /* RSS = anonymous + file-backed (mostly shared libraries: libLLVM and
   * the Mesa driver under GL) + shared memory. */
  rss_file = rss_mb ("RssFile:");
  rl_map_layer_get_frame_stats (b->layer, &st);
  rl_map_layer_get_tile_stats (b->layer, &tiles_drawn, &tiles_ms, &tiles_max_ms);
  composited = rl_map_layer_get_composited (b->layer);
  g_object_unref (b->layer);
  pan50 = percentile (p_pan, 50);
  pan95 = percentile (p_pan, 95);
  zoom95 = percentile (p_zoom, 95);
  t_pan50 = percentile (t_pan, 50);
  t_pan95 = percentile (t_pan, 95);
  t_zoom95 = percentile (t_zoom, 95);
  progress ("[%s] points: pan p50 %.2f ms, p95 %.2f ms, zoom p95 %.2f ms (%u frames)",
            renderer, pan50, pan95, zoom95, p_pan->len + p_zoom->len);
  progress ("[%s] tiles only: pan p50 %.2f ms, p95 %.2f ms, zoom p95 %.2f ms (%u frames)",
            renderer, t_pan50, t_pan95, t_zoom95, t_pan->len + t_zoom->len);

  printf ("{\"bench\":\"map\",\"points\":%u,\"renderer\":\"%s\",\"quick\":%s,"
          "\"pan_frames\":%u,\"pan_p50_ms\":%.2f,\"pan_p95_ms\":%.2f,"
          "\"tiles_only_pan_p50_ms\":%.2f,\"tiles_only_pan_p95_ms\":%.2f,"
          "\"pan_p95_delta_ms\":%.2f,\"pan_p95_ratio\":%.3f,"
          "\"zoom_p95_ms\":%.2f,\"tiles_only_zoom_p95_ms\":%.2f,"
          "\"first_frame_ms\":%.1f,\"set_points_ms\":%.1f,\"rss_mb\":%.1f,\"rss_peak_mb\":%.1f,"
          "\"rss_tiles_only_mb\":%.1f,\"rss_ours_mb\":%.1f,\"rss_file_mb\":%.1f,\"symbol_tiles\":%s,"
          "\"tiles_drawn\":%u,\"tiles_draw_total_ms\":%.1f,\"tiles_draw_max_ms\":%.2f,"
          "\"pan_gap_p95_ms\":%.2f,\"tiles_only_pan_gap_p95_ms\":%.2f}\n",
          N_POINTS, renderer, quick ? "true" : "false", p_pan->len,
          pan50, pan95, t_pan50, t_pan95, pan95 - t_pan95, t_pan95 > 0 ? pan95 / t_pan95 : 0,
          zoom95, t_zoom95, b->first_frame_ms, load_ms, rss, rss_peak,
          rss_tiles_only, rss_tiles_only > 0 ? rss - rss_tiles_only : -1, rss_file,
          composited ? "true" : "false", tiles_drawn, tiles_ms, tiles_max_ms,
          percentile (p_gap, 95), percentile (t_gap, 95));
  fflush (stdout);

  gtk_window_destroy (b->window);
  if (symbol_tiles != tiles)
    g_object_unref (tiles);
  g_object_unref (symbol_tiles);
  g_array_unref (b->script);
  g_array_unref (p_pan);
  g_array_unref (p_zoom);
  g_array_unref (t_pan);
  g_array_unref (t_zoom);
  g_array_unref (p_gap);
  g_array_unref (t_gap);
  g_unlink (pack);
  g_rmdir (dir);
  return 0;
}

/* Runs this program as a child for @renderer; returns its stdout, or NULL. */
static char *
run_child_process (const char *self_path,
                   const char *renderer,
                   gboolean    quick,
                   gboolean    direct,
                   gboolean    tiles_only,
                   const char *rss_tiles_only)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  char *out = NULL;

  g_ptr_array_add (args, (gpointer) self_path);
  g_ptr_array_add (args, (gpointer) "--child");
  g_ptr_array_add (args, (gpointer) renderer);
  if (quick)
    g_ptr_array_add (args, (gpointer) "--quick");
  if (direct)
    g_ptr_array_add (args, (gpointer) "--direct");
  if (tiles_only)
    g_ptr_array_add (args, (gpointer) "--tiles-only");
  if (rss_tiles_only != NULL)
    {
      g_ptr_array_add (args, (gpointer) "--rss-tiles-only");
      g_ptr_array_add (args, (gpointer) rss_tiles_only);
    }
  g_ptr_array_add (args, NULL);

  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) args->pdata, &error);
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error))
    {
      progress ("bench-map: %s: %s", renderer, error->message);
      return NULL;
    }
  if (!g_subprocess_get_successful (proc))
    {
      g_free (out);
      return NULL;
    }
  return out;
}

int
main (int    argc,
      char **argv)
{
  gboolean quick = FALSE, tiles_only = FALSE, direct = FALSE;
  const char *child = NULL;
  double rss_tiles_only = -1;
  const char *renderers[] = { "cairo", "gl" };
  g_autoptr(GString) lines = g_string_new (NULL);
  int status = 0;

  for (int k = 1; k < argc; k++)
    {
      if (g_str_equal (argv[k], "--quick"))
        quick = TRUE;
      else if (g_str_equal (argv[k], "--tiles-only"))
        tiles_only = TRUE;
      else if (g_str_equal (argv[k], "--direct"))
        direct = TRUE;
      else if (g_str_equal (argv[k], "--child") && k + 1 < argc)
        child = argv[++k];
      else if (g_str_equal (argv[k], "--rss-tiles-only") && k + 1 < argc)
        rss_tiles_only = g_ascii_strtod (argv[++k], NULL);
    }
  if (child != NULL && tiles_only)
    return run_tiles_only_child (child, quick);
  if (child != NULL)
    return run_child (child, quick, direct, rss_tiles_only);

  progress ("bench-map: %u points, %dx%d, %s", N_POINTS, WIDTH, HEIGHT, quick ? "quick" : "full");
  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    {
      g_autofree char *reference = NULL;
      g_autofree char *out = NULL;
      char rss_arg[32];
      const char *found;

      /* First the RSS reference with no points, then the measured run. */
      reference = run_child_process (argv[0], renderers[r], quick, direct, TRUE, NULL);
      found = reference != NULL ? strstr (reference, "\"rss_tiles_only_mb\":") : NULL;
      g_ascii_formatd (rss_arg, sizeof rss_arg, "%.1f",
                       found != NULL ? g_ascii_strtod (found + strlen ("\"rss_tiles_only_mb\":"), NULL) : -1);
      out = run_child_process (argv[0], renderers[r], quick, direct, FALSE, rss_arg);
      if (out == NULL || strstr (out, "{\"bench\"") == NULL)
        {
          progress ("bench-map: the %s run failed", renderers[r]);
          status = 1;
          continue;
        }
      g_string_append (lines, strstr (out, "{\"bench\""));
    }
  fputs (lines->str, stdout);
  return status;
}
