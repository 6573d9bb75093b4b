/* bench-lists.c — the list models at 100,000 rows: build, filter, and scrolling a GtkColumnView.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run alone from the build directory (needs a display):
 *   xvfb-run -a -s '-screen 0 1400x900x24' tests/models/bench-lists [--quick] [--rows N]
 * It writes the cache, then runs itself once per renderer (GSK_RENDERER=gl,
 * then cairo) and prints
 * one JSON line per view (runs, alerts, sync_log) and renderer:
 *   build_ms      a new RlRecordList on 100,000 cached rows until its keys
 *                 are loaded and the first row is read;
 *   filter_ms     a status + text filter applied until the list is loaded
 *                 again (median of 5; filter_max_ms the worst);
 *   scroll_p95_ms the frame time (frame clock "before-paint" to
 *                 "after-paint": layout, snapshot, render) of a GtkColumnView
 *                 over the list, declared as the pages declare it (list-view.c),
 *                 scrolled three rows a frame through rows never shown before;
 *   empty_scroll_p95_ms the same window and columns over an empty list (the
 *                 same list filtered to nothing), the reference.
 * Segments of 60 frames (--quick: 30) alternate list, empty, empty, list, in
 * 2 rounds (--quick: 1): frame times here drift by milliseconds over tens of
 * seconds, and segments seconds apart share the drift (see docs/map.md).
 * memory_scroll_p95_ms: the same rows as plain objects in a GListStore, to
 * tell GTK's own cost from the list model's. The cache is written once, by
 * the parent; --renderer R runs one renderer only; BENCH_LISTS_DB=file
 * keeps the cache, to look at its query plans.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "gui-test-common.h"
#include "list-records.h"
#include "list-view.h"
#include "rl-activity-page-private.h"
#include "rl-session-private.h"
#include "rl-test-util.h"

#define WIDTH 1280
#define HEIGHT 800
#define ROWS_PER_FRAME 3

static gboolean quick;
static guint    n_rows = 100000;
static char    *only_view; /* --view: one view (runs, alerts, sync_log, runs_page) */

static void
progress (const char *format,
          ...) G_GNUC_PRINTF (1, 2);

static void
progress (const char *format,
          ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "# ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            double  p)
{
  g_autoptr (GArray) sorted = NULL;
  guint index;

  if (values->len == 0)
    return 0;
  sorted = g_array_copy (values);
  g_array_sort (sorted, compare_double);
  index = (guint) ((p / 100.0) * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, MIN (index, sorted->len - 1));
}

static gboolean
loaded (gpointer list)
{
  return !rl_record_list_get_loading (list);
}

static void
wait_loaded (RlRecordList *list)
{
  if (!rl_test_wait_until (loaded, list, 120000))
    g_error ("the list did not load in 2 minutes");
}

/* ---- Scrolling ------------------------------------------------------------------ */

typedef struct
{
  GtkAdjustment *adjustment;
  GtkWidget     *view;
  GArray        *frames; /* ms of the frames that showed a new step */
  guint          steps_left;
  gboolean       stepped; /* the tick moved the view for this frame */
  double         frame_start;
  double         step_px;
} Scroll;

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Scroll *scroll = user_data;

  if (scroll->steps_left == 0)
    return G_SOURCE_CONTINUE;
  /* The empty list cannot move (GTK 4.8 warns "failed to scroll" when its
   * adjustment moves over no rows): it is redrawn all the same. */
  if (scroll->step_px > 0)
    gtk_adjustment_set_value (scroll->adjustment,
                              gtk_adjustment_get_value (scroll->adjustment) + scroll->step_px);
  gtk_widget_queue_draw (scroll->view);
  scroll->stepped = TRUE;
  scroll->steps_left--;
  return G_SOURCE_CONTINUE;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Scroll        *scroll)
{
  scroll->frame_start = now_ms ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Scroll        *scroll)
{
  if (!scroll->stepped)
    return;
  scroll->stepped = FALSE;
  g_array_append_val (scroll->frames, (double){ now_ms () - scroll->frame_start });
}

static gboolean
scroll_done (gpointer user_data)
{
  Scroll *scroll = user_data;

  return scroll->steps_left == 0 && !scroll->stepped;
}

/* Scrolls @column_view (over @model) by @frames steps and appends their
 * frame times to @out. */
static void
scroll_view (GtkColumnView *column_view,
             GListModel    *model,
             guint          frames,
             GArray        *out)
{
  GtkWidget     *view = GTK_WIDGET (column_view);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (view);
  Scroll         scroll = { 0 };
  guint          tick;
  gulong         before, after;

  scroll.adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (column_view));
  scroll.view = view;
  scroll.frames = out;
  scroll.steps_left = frames;
  /* Row height from the adjustment: upper spans every row. */
  scroll.step_px = g_list_model_get_n_items (model) > 0
                       ? ROWS_PER_FRAME * gtk_adjustment_get_upper (scroll.adjustment)
                             / g_list_model_get_n_items (model)
                       : 0;
  before = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &scroll);
  after = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &scroll);
  tick = gtk_widget_add_tick_callback (view, scroll_tick_cb, &scroll, NULL);
  if (!rl_test_wait_until (scroll_done, &scroll, 120000))
    g_error ("scrolling stalled");
  gtk_widget_remove_tick_callback (view, tick);
  g_signal_handler_disconnect (clock, before);
  g_signal_handler_disconnect (clock, after);
}

static void
scroll_segment (ListView *lv,
                guint     frames,
                GArray   *out)
{
  scroll_view (lv->view, G_LIST_MODEL (lv->list), frames, out);
}

/* ---- One view ------------------------------------------------------------------------ */

typedef struct
{
  RlListKind  kind;
  const char *name;
  const char *status;
} View;

static const View views[] = {
  { RL_LIST_KIND_RUNS, "runs", "failed" },
  { RL_LIST_KIND_ALERTS, "alerts", "open" },
  { RL_LIST_KIND_SYNC_LOG, "sync_log", "failure" },
};

static void
bench_view (RlStore    *store,
            const View *v,
            const char *renderer)
{
  g_autoptr (RlRecordList) list = NULL;
  g_autoptr (ListView) full = NULL;
  g_autoptr (ListView) empty = NULL;
  g_autoptr (ListView) memory = NULL;
  g_autoptr (GListStore) store_items = NULL;
  g_autoptr (GArray) memory_frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) filters = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) list_frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) empty_frames = g_array_new (FALSE, FALSE, sizeof (double));
  const char *statuses[] = { v->status, NULL };
  const guint frames = quick ? 30 : 60, rounds = quick ? 1 : 2;
  GtkWindow  *window;
  GtkStack   *stack;
  double      t0, build_ms;
  guint       filtered = 0;

  /* Build: keys loaded, first row read. */
  t0 = now_ms ();
  list = rl_record_list_new (store, v->kind);
  wait_loaded (list);
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), 0));
  build_ms = now_ms () - t0;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_rows);
  progress ("[%s/%s] build %.1f ms", renderer, v->name, build_ms);

  /* Filter: status + text, then cleared (not timed), five times. */
  for (guint i = 0; i < 5; i++)
    {
      t0 = now_ms ();
      rl_record_list_set_values (list, "status", statuses);
      rl_record_list_set_text (list, i % 2 == 0 ? "ölfilter" : "ठमेल");
      wait_loaded (list);
      g_array_append_val (filters, (double){ now_ms () - t0 });
      filtered = g_list_model_get_n_items (G_LIST_MODEL (list));
      g_assert_cmpuint (filtered, >, 0);
      g_assert_cmpuint (filtered, <, n_rows);
      rl_record_list_clear_filters (list);
      wait_loaded (list);
    }
  progress ("[%s/%s] filter median %.1f ms, max %.1f ms (%u rows match)", renderer, v->name,
            percentile (filters, 50), percentile (filters, 100), filtered);

  /* Scroll: the full list and the same columns over nothing. */
  full = list_view_new (store, v->kind);
  empty = list_view_new (store, v->kind);
  rl_record_list_set_text (empty->list, "no row has this text");
  /* The same rows as plain objects in a GListStore: what GTK costs alone. */
  memory = list_view_new (NULL, v->kind);
  store_items = g_list_store_new (rl_record_list_get_item_type_for_kind (v->kind));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_list_store_append (store_items, item);
    }
  gtk_single_selection_set_model (memory->selection, G_LIST_MODEL (store_items));
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, WIDTH, HEIGHT);
  stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (stack, full->scrolled, "list");
  gtk_stack_add_named (stack, empty->scrolled, "empty");
  gtk_stack_add_named (stack, memory->scrolled, "memory");
  gtk_window_set_child (window, GTK_WIDGET (stack));
  gtk_window_present (window);
  wait_loaded (full->list);
  wait_loaded (empty->list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (empty->list)), ==, 0);

  for (guint round = 0; round < rounds; round++)
    {
      /* 0: the list, 1: in memory, 2: empty. */
      static const guint order[] = { 0, 1, 2, 2, 1, 0 };

      for (guint s = 0; s < G_N_ELEMENTS (order); s++)
        {
          ListView *lv = order[s] == 0 ? full : order[s] == 1 ? memory
                                                              : empty;
          GArray   *out = order[s] == 0 ? list_frames : order[s] == 1 ? memory_frames
                                                                      : empty_frames;

          gtk_stack_set_visible_child (stack, lv->scrolled);
          if (!rl_test_wait_until (gui_test_laid_out, lv->view, 60000))
            g_error ("the view was not shown");
          scroll_segment (lv, frames, out);
        }
    }
  progress ("[%s/%s] scroll p95 %.2f ms (p50 %.2f), in memory p95 %.2f ms (p50 %.2f), "
            "empty p95 %.2f ms (p50 %.2f), %u frames",
            renderer, v->name, percentile (list_frames, 95), percentile (list_frames, 50),
            percentile (memory_frames, 95), percentile (memory_frames, 50),
            percentile (empty_frames, 95), percentile (empty_frames, 50), list_frames->len);

  printf ("{\"bench\":\"lists\",\"view\":\"%s\",\"renderer\":\"%s\",\"rows\":%u,"
          "\"build_ms\":%.1f,\"filter_ms\":%.1f,\"filter_max_ms\":%.1f,\"filtered_rows\":%u,"
          "\"scroll_p95_ms\":%.2f,\"empty_scroll_p95_ms\":%.2f,\"scroll_p95_delta_ms\":%.2f,"
          "\"scroll_p50_ms\":%.2f,\"empty_scroll_p50_ms\":%.2f,"
          "\"memory_scroll_p95_ms\":%.2f,\"memory_scroll_p50_ms\":%.2f,\"scroll_frames\":%u,"
          "\"quick\":%s}\n",
          v->name, renderer, n_rows, build_ms, percentile (filters, 50),
          percentile (filters, 100), filtered, percentile (list_frames, 95),
          percentile (empty_frames, 95),
          percentile (list_frames, 95) - percentile (empty_frames, 95),
          percentile (list_frames, 50), percentile (empty_frames, 50),
          percentile (memory_frames, 95), percentile (memory_frames, 50), list_frames->len,
          quick ? "true" : "false");
  fflush (stdout);
  gtk_window_destroy (window);
}

/* ---- The Activity page's own runs view ---------------------------------------------- */

static gboolean
page_runs_loaded (gpointer page)
{
  RlRecordList *runs = rl_activity_page_get_runs (page);

  return runs != NULL && !rl_record_list_get_loading (runs);
}

static gboolean
page_runs_empty (gpointer page)
{
  return page_runs_loaded (page)
         && g_list_model_get_n_items (G_LIST_MODEL (rl_activity_page_get_runs (page))) == 0;
}

static RlActivityPage *
runs_page_new (RlSession *session)
{
  RlActivityPage *page = g_object_new (RL_TYPE_ACTIVITY_PAGE, "session", session, NULL);

  adw_view_stack_set_visible_child_name (page->view_stack, "runs");
  return page;
}

/* The runs as support sees them: the Activity page (its template, cells,
 * filters and sort) over the same cache, offline (nothing fetched), and
 * the same page with a search that matches nothing as the reference. */
static void
bench_runs_page (RlStore    *store,
                 const char *renderer)
{
  g_autoptr (RlSession) session = rl_session_new ();
  g_autoptr (GArray) list_frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) empty_frames = g_array_new (FALSE, FALSE, sizeof (double));
  const guint     frames = quick ? 30 : 60, rounds = quick ? 1 : 2;
  RlActivityPage *full, *empty;
  GtkWindow      *window;
  GtkStack       *stack;

  rl_session_set_store (session, store);
  rl_session_update_state (session, RL_SESSION_STATE_OFFLINE); /* shown from the cache */
  full = runs_page_new (session);
  empty = runs_page_new (session);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, WIDTH, HEIGHT);
  stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (stack, GTK_WIDGET (full), "list");
  gtk_stack_add_named (stack, GTK_WIDGET (empty), "empty");
  gtk_window_set_child (window, GTK_WIDGET (stack));
  gtk_window_present (window);
  if (!rl_test_wait_until (page_runs_loaded, full, 120000))
    g_error ("the page's runs did not load");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rl_activity_page_get_runs (full))), ==,
                    n_rows);
  gtk_stack_set_visible_child (stack, GTK_WIDGET (empty));
  gtk_editable_set_text (GTK_EDITABLE (empty->runs_search), "no row has this text");
  if (!rl_test_wait_until (page_runs_loaded, empty, 120000))
    g_error ("the empty page's runs did not load");
  if (!rl_test_wait_until (page_runs_empty, empty, 120000))
    g_error ("the search did not apply");
  /* The page says "No Runs" over an empty list: show its column view
   * anyway, the same columns over nothing. */
  gtk_stack_set_visible_child_name (empty->runs_stack, "list");

  for (guint round = 0; round < rounds; round++)
    {
      static const guint order[] = { 0, 1, 1, 0 };

      for (guint s = 0; s < G_N_ELEMENTS (order); s++)
        {
          RlActivityPage *page = order[s] == 0 ? full : empty;

          gtk_stack_set_visible_child (stack, GTK_WIDGET (page));
          if (!rl_test_wait_until (gui_test_laid_out, page->runs_view, 60000))
            g_error ("the page's view was not shown");
          scroll_view (page->runs_view, G_LIST_MODEL (rl_activity_page_get_runs (page)), frames,
                       order[s] == 0 ? list_frames : empty_frames);
        }
    }
  progress ("[%s/runs_page] scroll p95 %.2f ms (p50 %.2f), empty p95 %.2f ms (p50 %.2f)",
            renderer, percentile (list_frames, 95), percentile (list_frames, 50),
            percentile (empty_frames, 95), percentile (empty_frames, 50));
  printf ("{\"bench\":\"lists\",\"view\":\"runs_page\",\"renderer\":\"%s\",\"rows\":%u,"
          "\"scroll_p95_ms\":%.2f,\"empty_scroll_p95_ms\":%.2f,\"scroll_p95_delta_ms\":%.2f,"
          "\"scroll_p50_ms\":%.2f,\"empty_scroll_p50_ms\":%.2f,\"scroll_frames\":%u,"
          "\"quick\":%s}\n",
          renderer, n_rows, percentile (list_frames, 95), percentile (empty_frames, 95),
          percentile (list_frames, 95) - percentile (empty_frames, 95),
          percentile (list_frames, 50), percentile (empty_frames, 50), list_frames->len,
          quick ? "true" : "false");
  fflush (stdout);
  gtk_window_destroy (window);
}

/* ---- Main ------------------------------------------------------------------------------- */

/* Writes n_rows records of each view into a new cache at @path. */
static void
fill_cache (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  double t0 = now_ms ();

  g_assert_no_error (error);
  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    for (guint first = 0; first < n_rows; first += 10000)
      list_write_records (store, list_kind_case (views[v].kind), first,
                          MIN (10000, n_rows - first), 0);
  progress ("%u rows of each view cached in %.1f s", n_rows, (now_ms () - t0) / 1000);
}

static int
run_child (const char *renderer,
           const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) store = rl_store_open (path, &error);

  g_assert_no_error (error);
  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    if (only_view == NULL || g_str_equal (only_view, views[v].name))
      bench_view (store, &views[v], renderer);
  if (only_view == NULL || g_str_equal (only_view, "runs_page"))
    bench_runs_page (store, renderer);
  return 0;
}

static void
remove_cache (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *renderer = NULL;
  g_autofree char *db = NULL;
  GOptionEntry     entries[] = {
        { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Fewer frames", NULL },
        { "rows", 0, 0, G_OPTION_ARG_INT, &n_rows, "Rows of each view (100000)", "N" },
        { "renderer", 0, 0, G_OPTION_ARG_STRING, &renderer, "Run one renderer (gl, cairo)", "R" },
        { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Use this filled cache (children)", "FILE" },
        { "view", 0, 0, G_OPTION_ARG_STRING, &only_view, "Run one view (runs, alerts, sync_log, runs_page)", "NAME" },
        { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— bench the list models");
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (renderer == NULL || db == NULL)
    {
      /* One cache for both renderers; one process per renderer (GSK_RENDERER
       * is read once, at start). BENCH_LISTS_DB=file keeps the cache. */
      static const char *const all[] = { "gl", "cairo" };
      const char              *keep = g_getenv ("BENCH_LISTS_DB");
      g_autofree char         *dir = g_dir_make_tmp ("bench-lists-XXXXXX", &error);
      g_autofree char         *path = NULL;
      g_autofree char         *rows = g_strdup_printf ("%u", n_rows);
      int                      status = 0;

      g_assert_no_error (error);
      path = keep != NULL ? g_strdup (keep) : g_build_filename (dir, "lists.sqlite", NULL);
      remove_cache (path);
      fill_cache (path);
      for (guint i = 0; i < G_N_ELEMENTS (all) && status == 0; i++)
        {
          const char *child_argv[] = { argv[0], "--renderer", all[i], "--rows",
                                       rows, "--db", path, quick ? "--quick" : NULL,
                                       NULL };
          g_auto (GStrv) envp = g_environ_setenv (g_get_environ (), "GSK_RENDERER", all[i], TRUE);

          if (renderer != NULL && !g_str_equal (renderer, all[i]))
            continue;
          if (!g_spawn_sync (NULL, (char **) child_argv, envp, G_SPAWN_CHILD_INHERITS_STDIN, NULL,
                             NULL, NULL, NULL, &status, &error)
              || !g_spawn_check_wait_status (status, &error))
            {
              g_printerr ("bench-lists (%s): %s\n", all[i], error->message);
              status = 1;
            }
        }
      if (keep == NULL)
        remove_cache (path);
      g_rmdir (dir);
      return status == 0 ? 0 : 1;
    }

  gui_test_prepare_env ();
  gtk_init ();
  return run_child (renderer, db);
}
