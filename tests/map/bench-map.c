/* bench-map.c — 100,000 drop points on the map: frame times against the
 * same map with tiles only, first frame, memory; cairo and GL renderers.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run alone from the build directory (needs a display):
 *   xvfb-run -a -s '-screen 0 1400x900x24' tests/map/bench-map [--quick] [--direct]
 * Per renderer (GSK_RENDERER=cairo, then gl) it runs itself as three child
 * processes, prints progress on stderr and one JSON line per renderer:
 *   --mode rss-tiles   the script twice with tiles only: rss_tiles_only_mb;
 *   --mode rss-points  the script twice with the points as the Map page
 *                      shows them: rss_mb, rss_peak_mb, rss_file_mb
 *                      (rss_ours_mb = rss_mb − rss_tiles_only_mb). A process
 *                      of its own each: one holding both tile layers would
 *                      count both layers' tile caches;
 *   --mode frames      frame times, first frame.
 *
 * Frame time = wall time of one frame-clock cycle, from "before-paint" to
 * "after-paint": the scripted viewport move (tick callback), layout, the
 * snapshot of every layer and the GSK render of the window. Only painted
 * frames that show a new step count. Tiles come from an MBTiles pack written
 * at start that holds every tile the script shows (read off-thread by
 * RlMbtilesSource, decoded by libshumate on the main thread): no network.
 *
 * Script: pan F frames (F = 120, --quick 30) at zooms 12 (city: clusters),
 * 14 and 16 (streets), 12 px a frame, in three legs (east, south, west),
 * then zoom 11 → 17 → 11 in quarter steps. Each leg and each zoom sweep is
 * a segment: the view settles at its first step (250 ms), then shows one
 * step per painted frame. After a warm-up (the script with points, then
 * with tiles only), every segment runs tiles only, points, points, tiles
 * only before the next, in 2 rounds (--quick: 1). Frame times on this
 * machine drift by several ms between passes tens of seconds apart, even
 * with identical work; runs a few seconds apart, in that order, share the
 * drift. Each figure pools the frames of its configuration.
 *
 * BENCH_MAP_DUMP=file appends every measured frame: renderer, points or
 * tiles, step, zoom, ms and the minor page faults of the frame.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <sys/resource.h>
#include "map-test-util.h"
#include "rl-geo.h"
#include "rl-map-layer.h"
#include "rl-tile-sources.h"

#define N_POINTS 100000
#define WIDTH 1280
#define HEIGHT 800

typedef enum
{
  STEP_PAN,
  STEP_ZOOM
} StepKind;

typedef struct
{
  StepKind kind;
  double   zoom;
  double   lat, lon; /* where the view is after this step */
} Step;

/* Steps [from, to) of the script: the view settles at step from, then each
 * painted frame shows one of the steps after it. */
typedef struct
{
  guint from, to;
} Segment;

typedef struct
{
  GtkWindow       *window;
  ShumateMap      *map;
  ShumateViewport *viewport;
  RlMapLayer      *layer;
  GdkFrameClock   *clock;

  GArray     *script;   /* Step */
  GArray     *segments; /* Segment */
  guint       pos;
  guint       seg_from, end; /* the segment being run */
  gboolean    running;
  gboolean    measuring;
  gint64      frame_start;
  GArray     *pan_ms; /* double: the configuration being measured */
  const char *config;
  long        faults_at_start;
  GArray     *gap_ms; /* double: start to start of painted pan frames,
                       * or NULL (main-loop work between frames shows here) */
  gint64  last_painted_start;
  GArray *zoom_ms; /* double */

  gint64   shown_at;
  double   first_frame_ms;
  guint    frames_seen;
  gboolean painted; /* GDK painted the surface this frame */
  gboolean moved;   /* a step was applied since the last measured frame */
  guint    skipped; /* frame clock cycles with no paint */
  guint    applied_pos;
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
  const char      *line;

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
  g_autoptr (GArray) sorted = NULL;
  guint k;

  if (values->len == 0)
    return -1;
  sorted = g_array_copy (values);
  g_array_sort (sorted, cmp_double);
  k = (guint) ceil (p / 100.0 * sorted->len) - 1;
  return g_array_index (sorted, double, MIN (k, sorted->len - 1));
}

static void
add_step (Bench   *b,
          StepKind kind,
          double   zoom,
          double   lat,
          double   lon)
{
  Step step = { kind, zoom, lat, lon };

  g_array_append_val (b->script, step);
}

static void
end_segment (Bench *b,
             guint  from)
{
  Segment seg = { from, b->script->len };

  g_array_append_val (b->segments, seg);
}

static void
build_script (Bench *b,
              guint  frames)
{
  const double zooms[] = { 12, 14, 16 };
  const double home_lat = MAP_TEST_CENTER_LAT + 0.012, home_lon = MAP_TEST_CENTER_LON - 0.010;
  guint        from;

  b->script = g_array_new (FALSE, FALSE, sizeof (Step));
  b->segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      double scale = 256 * exp2 (zooms[z]), x, y;

      rl_geo_project (home_lat, home_lon, &x, &y);
      /* East, then south, then back west, 12 px a frame: new tiles keep
       * coming. Each leg is a segment that starts where the last ended. */
      for (guint leg = 0; leg < 3; leg++)
        {
          double a = leg * G_PI / 2, lat, lon;

          from = b->script->len;
          rl_geo_unproject (x, y, &lat, &lon);
          add_step (b, STEP_PAN, zooms[z], lat, lon);
          for (guint f = 0; f < frames / 3; f++)
            {
              x += 12 * cos (a) / scale;
              y += 12 * sin (a) / scale;
              rl_geo_unproject (x, y, &lat, &lon);
              add_step (b, STEP_PAN, zooms[z], lat, lon);
            }
          end_segment (b, from);
        }
    }
  from = b->script->len;
  for (double zoom = 11; zoom <= 17; zoom += 0.25)
    add_step (b, STEP_ZOOM, zoom, home_lat, home_lon);
  end_segment (b, from);
  from = b->script->len;
  for (double zoom = 17; zoom >= 11; zoom -= 0.25)
    add_step (b, STEP_ZOOM, zoom, home_lat, home_lon);
  end_segment (b, from);
}

/* Every tile the script shows is in the pack, so both configurations draw
 * the same tiles (a tile missing from the pack would be drawn only with
 * points, as plain land, and nothing at all with tiles only). */
static gboolean
write_pack (const char *path,
            GError    **error)
{
  return map_test_write_mbtiles (path, 27.58, 85.18, 27.82, 85.47, 10, 17, 0xe8e4da, TRUE, error)
         && map_test_extend_mbtiles (path, 27.0, 84.6, 28.4, 86.0, 10, 13, 0xe8e4da, TRUE, error);
}

static void
show_step (Bench      *b,
           const Step *s)
{
  if (shumate_viewport_get_zoom_level (b->viewport) != s->zoom)
    shumate_viewport_set_zoom_level (b->viewport, s->zoom);
  shumate_location_set_location (SHUMATE_LOCATION (b->viewport), s->lat, s->lon);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Bench *b = user_data;

  if (!b->running)
    return G_SOURCE_CONTINUE;
  if (b->pos >= b->end)
    {
      b->running = FALSE;
      return G_SOURCE_CONTINUE;
    }
  /* A frame GDK did not paint (X11 still waiting on the last one) moves
   * nothing: each painted frame shows exactly one step. */
  if (b->applied_pos == b->pos)
    {
      gtk_widget_queue_draw (GTK_WIDGET (b->map));
      return G_SOURCE_CONTINUE;
    }
  b->applied_pos = b->pos;
  b->moved = TRUE;
  show_step (b, &g_array_index (b->script, Step, b->pos));
  return G_SOURCE_CONTINUE;
}

static long
minor_faults (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Bench         *b)
{
  b->frame_start = g_get_monotonic_time ();
  b->faults_at_start = minor_faults ();
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
  g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0, render_hook, b,
                              NULL);
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
  if (b->measuring && b->running && b->pos < b->end)
    {
      const Step *s = &g_array_index (b->script, Step, b->pos);

      g_array_append_val (s->kind == STEP_PAN ? b->pan_ms : b->zoom_ms, ms);
      /* BENCH_MAP_DUMP=file: every measured frame, for a closer look. */
      if (g_getenv ("BENCH_MAP_DUMP") != NULL)
        {
          FILE *f = fopen (g_getenv ("BENCH_MAP_DUMP"), "a");

          if (f != NULL)
            {
              fprintf (f, "%s %s %u %.1f %.3f %ld\n", g_getenv ("GSK_RENDERER"), b->config,
                       b->pos, s->zoom, ms, minor_faults () - b->faults_at_start);
              fclose (f);
            }
        }
      if (s->kind == STEP_PAN && b->gap_ms != NULL && b->last_painted_start > 0
          && b->pos > b->seg_from + 1)
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

static gboolean
warm_up_done (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
warm_up (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, warm_up_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Settles the view at the segment's first step, then shows the others, a
 * step per painted frame. */
static void
run_segment (Bench         *b,
             const Segment *seg,
             gboolean       measure)
{
  show_step (b, &g_array_index (b->script, Step, seg->from));
  /* Its tiles load (and with points, get their symbols) before the first
   * measured frame, in both configurations: the same warm-up of 250 ms of
   * frames for both (libshumate's map layer tells no one when its tiles are
   * in: a benchmark's warm-up, not a test's wait), and with points, until
   * the layer has drawn what it had to. */
  warm_up (250);
  if (b->layer != NULL)
    map_test_wait_idle (b->layer, 30000);
  b->seg_from = seg->from;
  b->end = seg->to;
  b->pos = seg->from + 1;
  b->last_painted_start = 0;
  b->applied_pos = G_MAXUINT;
  b->measuring = measure;
  b->running = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (b->map));
  if (!map_test_wait (not_running, b, 600000))
    g_error ("the segment did not finish");
}

static void
run_pass (Bench   *b,
          gboolean measure)
{
  for (guint k = 0; k < b->segments->len; k++)
    run_segment (b, &g_array_index (b->segments, Segment, k), measure);
}

static gboolean
frame_seen (gpointer data)
{
  return ((Bench *) data)->frames_seen > 0;
}

/* The map as the Map page builds it: a tile layer over @source, or (with
 * @layer) the layer's points drawn into those tiles by a tile layer over the
 * wrapped source (--direct: over the bare tiles, the layer drawing them every
 * frame). Returns the tile layer, floating-free. */
static ShumateMapLayer *
tile_layer_new (Bench            *b,
                ShumateMapSource *source,
                gboolean          direct)
{
  g_autoptr (ShumateMapSource) wrapped = NULL;

  if (b->layer == NULL || direct)
    return g_object_ref_sink (shumate_map_layer_new (source, b->viewport));
  wrapped = rl_map_layer_wrap_source (b->layer, source);
  return g_object_ref_sink (shumate_map_layer_new (wrapped, b->viewport));
}

static void
bench_init (Bench             *b,
            const char        *renderer,
            gboolean           quick,
            char             **out_dir,
            char             **out_pack,
            ShumateMapSource **out_source)
{
  g_autoptr (GError) error = NULL;

  gtk_init ();
  b->first_frame_ms = -1;
  build_script (b, quick ? 30 : 120);
  *out_dir = g_dir_make_tmp ("bench-map-XXXXXX", NULL);
  *out_pack = g_build_filename (*out_dir, "valley.mbtiles", NULL);
  progress ("[%s] writing the tile pack…", renderer);
  if (!write_pack (*out_pack, &error))
    g_error ("%s", error->message);
  *out_source = rl_tile_source_new_for_mbtiles (*out_pack, &error);
  if (*out_source == NULL)
    g_error ("%s", error->message);

  b->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (b->window, WIDTH, HEIGHT);
  gtk_window_set_resizable (b->window, FALSE);
  b->map = shumate_map_new ();
  b->viewport = shumate_map_get_viewport (b->map);
  shumate_viewport_set_reference_map_source (b->viewport, *out_source);
}

/* The points layer, with the points handed over as the Map page does. */
static double
bench_add_points (Bench *b)
{
  g_autoptr (MapTestPoints) pts = map_test_points_new (N_POINTS, 1);
  RlMapPoints view = map_test_points_view (pts);
  gint64      t0;

  b->layer = rl_map_layer_new (b->viewport);
  g_object_ref_sink (b->layer);
  t0 = g_get_monotonic_time ();
  rl_map_layer_set_points (b->layer, &view);
  /* The layer keeps its own copy; the Map page frees what it loaded too
   * (pts, at the end of this scope). */
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static void
bench_show (Bench *b)
{
  show_step (b, &g_array_index (b->script, Step, 0));
  gtk_window_set_child (b->window, GTK_WIDGET (b->map));
  gtk_widget_realize (GTK_WIDGET (b->window));
  b->clock = gtk_widget_get_frame_clock (GTK_WIDGET (b->window));
  g_signal_connect (b->clock, "before-paint", G_CALLBACK (before_paint_cb), b);
  watch_paints (b);
  g_signal_connect (b->clock, "after-paint", G_CALLBACK (after_paint_cb), b);
  gtk_widget_add_tick_callback (GTK_WIDGET (b->map), tick_cb, b, NULL);
  b->shown_at = g_get_monotonic_time ();
  gtk_window_present (b->window);
}

static void
bench_finish (Bench *b,
              char  *dir,
              char  *pack)
{
  gtk_window_destroy (b->window);
  g_clear_object (&b->layer);
  g_array_unref (b->script);
  g_array_unref (b->segments);
  g_unlink (pack);
  g_rmdir (dir);
  g_free (pack);
  g_free (dir);
}

/* Memory, in a process of its own per configuration: the same window,
 * tiles and script with tiles only, or with the points as the Map page
 * shows them. A process that had both would hold both tile layers' caches. */
static int
run_rss_child (const char *renderer,
               gboolean    quick,
               gboolean    points,
               gboolean    direct)
{
  Bench bench = { 0 }, *b = &bench;
  char *dir, *pack;
  g_autoptr (ShumateMapSource) source = NULL;
  g_autoptr (ShumateMapLayer) tiles = NULL;
  double rss = 0;

  bench_init (b, renderer, quick, &dir, &pack, &source);
  if (points)
    bench_add_points (b);
  tiles = tile_layer_new (b, source, direct);
  shumate_map_add_layer (b->map, SHUMATE_LAYER (tiles));
  if (points)
    shumate_map_add_layer (b->map, SHUMATE_LAYER (b->layer));
  bench_show (b);
  if (!map_test_wait (frame_seen, b, 60000))
    g_error ("no first frame");

  progress ("[%s] memory, %s: the script twice…", renderer, points ? "points" : "tiles only");
  for (guint pass = 0; pass < 2; pass++)
    {
      run_pass (b, FALSE);
      rss = MAX (rss, rss_mb ("VmRSS:"));
    }
  printf ("{\"rss_mb\":%.1f,\"rss_peak_mb\":%.1f,\"rss_file_mb\":%.1f}\n",
          rss, rss_mb ("VmHWM:"), rss_mb ("RssFile:"));
  fflush (stdout);
  bench_finish (b, dir, pack);
  return 0;
}

/* The points (their tile layer and the points layer over it), or the bare
 * tiles alone. */
static void
show_points (Bench           *b,
             ShumateMapLayer *tiles,
             ShumateMapLayer *symbol_tiles,
             gboolean         points)
{
  b->config = points ? "points" : "tiles";
  if (gtk_widget_get_parent (GTK_WIDGET (b->layer)) != NULL)
    shumate_map_remove_layer (b->map, SHUMATE_LAYER (b->layer));
  if (symbol_tiles != tiles)
    {
      ShumateMapLayer *shown = points ? symbol_tiles : tiles;
      ShumateMapLayer *hidden = points ? tiles : symbol_tiles;

      if (gtk_widget_get_parent (GTK_WIDGET (hidden)) != NULL)
        shumate_map_remove_layer (b->map, SHUMATE_LAYER (hidden));
      if (gtk_widget_get_parent (GTK_WIDGET (shown)) == NULL)
        shumate_map_add_layer (b->map, SHUMATE_LAYER (shown));
    }
  if (points)
    shumate_map_add_layer (b->map, SHUMATE_LAYER (b->layer));
}

/* Building clusters (rl_geo_clusters_new) for the bench's points at every
 * level 0..24, timed alone after the frames: the layer builds a level the
 * first time a frame needs it, the first frame's level included. */
static void
measure_clusters (double  first_zoom,
                  double *out_first_ms,
                  double *out_max_ms,
                  guint  *out_max_level,
                  double *out_total_ms)
{
  g_autoptr (MapTestPoints) pts = map_test_points_new (N_POINTS, 1);
  g_autofree double *xs = g_new (double, N_POINTS);
  g_autofree double *ys = g_new (double, N_POINTS);
  g_autofree guint8 *classes = g_new (guint8, N_POINTS);
  g_autoptr (RlGeoIndex) index = NULL;
  guint first_level = (guint) floor (first_zoom) + RL_MAP_LAYER_CLUSTER_LEVEL_OFFSET;

  for (guint i = 0; i < N_POINTS; i++)
    {
      rl_geo_project (pts->lat[i], pts->lon[i], &xs[i], &ys[i]);
      classes[i] = (guint8) rl_map_class_for (pts->fill[i], pts->flags[i]);
    }
  index = rl_geo_index_new (xs, ys, N_POINTS);
  *out_max_ms = *out_total_ms = *out_first_ms = 0;
  *out_max_level = 0;
  for (guint level = 0; level <= 24; level++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (RlGeoClusters) clusters = rl_geo_clusters_new (index, classes, level);
      double ms = (g_get_monotonic_time () - t0) / 1000.0;

      progress ("clusters at level %u: %u in %.2f ms", level,
                rl_geo_clusters_get_n_clusters (clusters), ms);
      *out_total_ms += ms;
      if (ms > *out_max_ms)
        {
          *out_max_ms = ms;
          *out_max_level = level;
        }
      if (level == first_level)
        *out_first_ms = ms;
    }
}

/* Frame times: every segment of the script with tiles only, with points,
 * with points, with tiles only (then the next segment), so whatever slows
 * this machine for a few seconds weighs on both configurations alike. */
static int
run_child (const char *renderer,
           gboolean    quick,
           gboolean    direct)
{
  Bench bench = { 0 }, *b = &bench;
  char *dir, *pack;
  g_autoptr (ShumateMapSource) source = NULL;
  g_autoptr (ShumateMapLayer) tiles = NULL;
  g_autoptr (ShumateMapLayer) symbol_tiles = NULL;
  double load_ms;
  g_autoptr (GArray) p_pan = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) p_zoom = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_pan = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_zoom = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) p_gap = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_gap = g_array_new (FALSE, FALSE, sizeof (double));
  double   pan50, pan95, zoom95, t_pan50, t_pan95, t_zoom95;
  guint    rounds = quick ? 1 : 2;
  guint    tiles_drawn;
  double   tiles_ms, tiles_max_ms;
  gboolean composited;
  double   clusters_first_ms, clusters_max_ms, clusters_total_ms;
  guint    clusters_max_level;

  bench_init (b, renderer, quick, &dir, &pack, &source);
  load_ms = bench_add_points (b);
  progress ("[%s] %u points set in %.1f ms", renderer, N_POINTS, load_ms);
  symbol_tiles = tile_layer_new (b, source, direct);
  tiles = direct ? g_object_ref (symbol_tiles)
                 : g_object_ref_sink (shumate_map_layer_new (source, b->viewport));
  shumate_map_add_layer (b->map, SHUMATE_LAYER (symbol_tiles));
  shumate_map_add_layer (b->map, SHUMATE_LAYER (b->layer));
  bench_show (b);
  if (!map_test_wait (first_frame_done, b, 60000))
    g_error ("no first frame");
  progress ("[%s] first frame with points %.1f ms after the window was shown", renderer,
            b->first_frame_ms);

  progress ("[%s] warm-up: the script with points, then with tiles only…", renderer);
  run_pass (b, FALSE);
  show_points (b, tiles, symbol_tiles, FALSE);
  run_pass (b, FALSE);
  for (guint round = 0; round < rounds; round++)
    {
      guint p0 = p_pan->len, t0 = t_pan->len;
      g_autoptr (GArray) rp = NULL;
      g_autoptr (GArray) rt = NULL;

      for (guint k = 0; k < b->segments->len; k++)
        for (guint run = 0; run < 4; run++)
          {
            gboolean points = run == 1 || run == 2;

            show_points (b, tiles, symbol_tiles, points);
            b->pan_ms = points ? p_pan : t_pan;
            b->zoom_ms = points ? p_zoom : t_zoom;
            b->gap_ms = points ? p_gap : t_gap;
            run_segment (b, &g_array_index (b->segments, Segment, k), TRUE);
          }
      rp = g_array_new (FALSE, FALSE, sizeof (double));
      rt = g_array_new (FALSE, FALSE, sizeof (double));
      g_array_append_vals (rp, &g_array_index (p_pan, double, p0), p_pan->len - p0);
      g_array_append_vals (rt, &g_array_index (t_pan, double, t0), t_pan->len - t0);
      progress ("[%s] round %u of %u: pan p95 %.2f ms with points, %.2f ms tiles only",
                renderer, round + 1, rounds, percentile (rp, 95), percentile (rt, 95));
    }
  show_points (b, tiles, symbol_tiles, TRUE);
  rl_map_layer_get_tile_stats (b->layer, &tiles_drawn, &tiles_ms, &tiles_max_ms);
  composited = rl_map_layer_get_composited (b->layer);
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

  measure_clusters (g_array_index (b->script, Step, 0).zoom, &clusters_first_ms,
                    &clusters_max_ms, &clusters_max_level, &clusters_total_ms);

  /* Without the closing brace: the parent adds the memory figures. */
  printf ("{\"bench\":\"map\",\"points\":%u,\"renderer\":\"%s\",\"quick\":%s,"
          "\"pan_frames\":%u,\"pan_p50_ms\":%.2f,\"pan_p95_ms\":%.2f,"
          "\"tiles_only_pan_p50_ms\":%.2f,\"tiles_only_pan_p95_ms\":%.2f,"
          "\"pan_p95_delta_ms\":%.2f,\"pan_p95_ratio\":%.3f,"
          "\"zoom_p95_ms\":%.2f,\"tiles_only_zoom_p95_ms\":%.2f,"
          "\"first_frame_ms\":%.1f,\"set_points_ms\":%.1f,\"symbol_tiles\":%s,"
          "\"tiles_drawn\":%u,\"tiles_draw_total_ms\":%.1f,\"tiles_draw_max_ms\":%.2f,"
          "\"pan_gap_p95_ms\":%.2f,\"tiles_only_pan_gap_p95_ms\":%.2f,"
          "\"clusters_first_level_ms\":%.2f,\"clusters_level_max_ms\":%.2f,"
          "\"clusters_level_max\":%u,\"clusters_levels_total_ms\":%.1f\n",
          N_POINTS, renderer, quick ? "true" : "false", p_pan->len,
          pan50, pan95, t_pan50, t_pan95, pan95 - t_pan95, t_pan95 > 0 ? pan95 / t_pan95 : 0,
          zoom95, t_zoom95, b->first_frame_ms, load_ms,
          composited ? "true" : "false", tiles_drawn, tiles_ms, tiles_max_ms,
          percentile (p_gap, 95), percentile (t_gap, 95), clusters_first_ms, clusters_max_ms,
          clusters_max_level, clusters_total_ms);
  fflush (stdout);
  bench_finish (b, dir, pack);
  return 0;
}

/* Runs this program as a child for @renderer with @mode ("frames",
 * "rss-tiles" or "rss-points"); returns its last line of stdout, or NULL. */
static char *
run_child_process (const char *self_path,
                   const char *renderer,
                   const char *mode,
                   gboolean    quick,
                   gboolean    direct)
{
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL;
  const char      *brace;

  g_ptr_array_add (args, (gpointer) self_path);
  g_ptr_array_add (args, (gpointer) "--child");
  g_ptr_array_add (args, (gpointer) renderer);
  g_ptr_array_add (args, (gpointer) "--mode");
  g_ptr_array_add (args, (gpointer) mode);
  if (quick)
    g_ptr_array_add (args, (gpointer) "--quick");
  if (direct)
    g_ptr_array_add (args, (gpointer) "--direct");
  g_ptr_array_add (args, NULL);

  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) args->pdata, &error);
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error))
    {
      progress ("bench-map: %s: %s", renderer, error->message);
      return NULL;
    }
  if (!g_subprocess_get_successful (proc) || (brace = strrchr (out, '{')) == NULL)
    {
      progress ("bench-map: the %s child (%s) failed", renderer, mode);
      return NULL;
    }
  return g_strstrip (g_strdup (brace));
}

static double
json_number (const char *line,
             const char *key)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\":", key);
  const char      *found = line != NULL ? strstr (line, quoted) : NULL;

  return found != NULL ? g_ascii_strtod (found + strlen (quoted), NULL) : -1;
}

int
main (int    argc,
      char **argv)
{
  gboolean    quick = FALSE, direct = FALSE;
  const char *child = NULL, *mode = "frames";
  const char *renderers[] = { "cairo", "gl" };
  g_autoptr (GString) lines = g_string_new (NULL);
  int status = 0;

  for (int k = 1; k < argc; k++)
    {
      if (g_str_equal (argv[k], "--quick"))
        quick = TRUE;
      else if (g_str_equal (argv[k], "--direct"))
        direct = TRUE;
      else if (g_str_equal (argv[k], "--child") && k + 1 < argc)
        child = argv[++k];
      else if (g_str_equal (argv[k], "--mode") && k + 1 < argc)
        mode = argv[++k];
    }
  if (child != NULL && g_str_equal (mode, "rss-tiles"))
    return run_rss_child (child, quick, FALSE, direct);
  if (child != NULL && g_str_equal (mode, "rss-points"))
    return run_rss_child (child, quick, TRUE, direct);
  if (child != NULL)
    return run_child (child, quick, direct);

  progress ("bench-map: %u points, %dx%d, %s", N_POINTS, WIDTH, HEIGHT, quick ? "quick" : "full");
  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    {
      g_autofree char *tiles =
          run_child_process (argv[0], renderers[r], "rss-tiles", quick, direct);
      g_autofree char *points =
          run_child_process (argv[0], renderers[r], "rss-points", quick, direct);
      g_autofree char *frames = run_child_process (argv[0], renderers[r], "frames", quick, direct);
      double           rss = json_number (points, "rss_mb"), rss_tiles = json_number (tiles, "rss_mb");

      if (tiles == NULL || points == NULL || frames == NULL
          || !g_str_has_prefix (frames, "{\"bench\""))
        {
          progress ("bench-map: the %s run failed", renderers[r]);
          status = 1;
          continue;
        }
      g_string_append_printf (lines, "%s,\"rss_mb\":%.1f,\"rss_peak_mb\":%.1f,\"rss_file_mb\":%.1f,"
                                     "\"rss_tiles_only_mb\":%.1f,\"rss_ours_mb\":%.1f}\n",
                              frames, rss, json_number (points, "rss_peak_mb"),
                              json_number (points, "rss_file_mb"), rss_tiles, rss - rss_tiles);
    }
  fputs (lines->str, stdout);
  return status;
}
