/* bench-dispatch.c — the dispatch list over a city's bins.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each size (2,000 and 10,000 bins × 7 days of 15-minute readings,
 * 100,000 bins × 1 day) fills a cache (one transaction, prepared
 * statements), then measures building the dispatch list (the next 24 h, as
 * the RL_LIST_KIND_DISPATCH list model: state brought up to date, sorted
 * keys loaded) from a warm cache (per-bin state present) and from a cold
 * one (state rebuilt from the readings), beside the reference: the same
 * readings read with one prepared statement into plain arrays; and the
 * rows materialized (rl_dispatch_build, what CSV and print use). One JSON
 * line per size
 * (docs/benchmarks.md). Usage: bench-dispatch [--quick] [--points N --days D]
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

#include "dispatch-synth.h"
#include "rl-dispatch.h"
#include "rl-record-list.h"
#include "rl-test-util.h"
#include "rl-time.h"

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)
#define DAY_MS (24 * HOUR_MS)
#define RUNS 3

static double
now_ms_f (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median3 (double *v)
{
  qsort (v, RUNS, sizeof (double), cmp_double);
  return v[RUNS / 2];
}

/* The reference: one prepared statement, the same readings as the
 * forecast's window, into plain arrays. Returns the number of readings. */
static gsize
read_reference (const char *path,
                gint64      now)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GArray       *ts = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 1 << 20);
  GArray       *fill = g_array_sized_new (FALSE, FALSE, sizeof (double), 1 << 20);
  GArray       *bin = g_array_sized_new (FALSE, FALSE, sizeof (guint), 1 << 20);
  GString      *last = g_string_new (NULL);
  guint         n_bins = 0;
  gsize         n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT device_id, ts_ms, fill_level FROM readings"
                                       " WHERE ts_ms > ?1 AND ts_ms <= ?2"
                                       " AND fill_level IS NOT NULL ORDER BY device_id, ts_ms",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, now - 7 * DAY_MS);
  sqlite3_bind_int64 (stmt, 2, now);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *device = (const char *) sqlite3_column_text (stmt, 0);
      gint64      t = sqlite3_column_int64 (stmt, 1);
      double      f = sqlite3_column_double (stmt, 2);

      if (g_strcmp0 (last->str, device) != 0)
        {
          g_string_assign (last, device);
          n_bins++;
        }
      g_array_append_val (ts, t);
      g_array_append_val (fill, f);
      g_array_append_val (bin, n_bins);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  n = ts->len;
  g_array_unref (ts);
  g_array_unref (fill);
  g_array_unref (bin);
  g_string_free (last, TRUE);
  return n;
}

/* The rows materialized (rl_dispatch_build: the CSV, print, the widget). */
static guint
build_rows (RlStore *store,
            gint64   now,
            double  *ms)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  gint64 from, to;
  double t0 = now_ms_f ();

  rl_dispatch_window_range (RL_DISPATCH_HOURS, 24, now, 0, &from, &to);
  rows = rl_dispatch_build (store, now, from, to, NULL, NULL, &error);
  *ms = now_ms_f () - t0;
  g_assert_no_error (error);
  return rows->len;
}

typedef struct
{
  RlRecordList *list;
  guint         expected;
} ListWait;

static gboolean
list_ready (gpointer data)
{
  ListWait *w = data;

  return !rl_record_list_get_loading (w->list)
         && g_list_model_get_n_items (G_LIST_MODEL (w->list)) == w->expected;
}

/* The dispatch list as the list model: state brought up to date, then the
 * sorted keys of the next 24 h loaded (its rows are read as they show). */
static void
build_list (RlStore *store,
            gint64   now,
            guint    expected,
            double  *ms)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlRecordList) list = NULL;
  ListWait wait = { NULL, expected };
  gint64   from, to;
  double   t0 = now_ms_f ();

  g_assert_true (rl_dispatch_state_update (store, now, NULL, NULL, &error));
  g_assert_no_error (error);
  g_print ("    state %.0f ms", now_ms_f () - t0);
  rl_dispatch_window_range (RL_DISPATCH_HOURS, 24, now, 0, &from, &to);
  list = rl_record_list_new (store, RL_LIST_KIND_DISPATCH);
  rl_record_list_set_range (list, "full-at", from, to - 1);
  wait.list = list;
  g_assert_true (rl_test_wait_until (list_ready, &wait, 600000));
  *ms = now_ms_f () - t0;
  g_print (", list model %.0f ms\n", *ms);
}

static gboolean
run_size (int points,
          int days)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rl-bench-dispatch-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "bench.sqlite", NULL);
  g_autoptr (RlStore) store = NULL;
  gint64 now = rl_time_now_ms () / HOUR_MS * HOUR_MS;
  int    per_point = days * 24 * 4;
  double t0, t_fill, ref[RUNS], cold[RUNS], warm[RUNS], warm_rows[RUNS], t_csv;
  guint  rows = 0;
  gsize  n_read = 0;

  g_assert_no_error (error);
  store = rl_store_open (path, &error);
  g_assert_no_error (error);

  g_print ("filling %d bins x %d readings...\n", points, per_point);
  t0 = now_ms_f ();
  synth_fill_cache (store, points, per_point, now);
  t_fill = now_ms_f () - t0;
  g_print ("  %" G_GSIZE_FORMAT " readings in %.1f s (%.0f rows/s)\n", (gsize) points * per_point,
           t_fill / 1000, (double) points * per_point / (t_fill / 1000));

  for (int r = 0; r < RUNS; r++)
    {
      t0 = now_ms_f ();
      n_read = read_reference (path, now);
      ref[r] = now_ms_f () - t0;

      /* The rows once, to know how many the list must show. */
      if (r == 0)
        {
          g_assert_true (rl_store_clear_bin_states (store, NULL, &error));
          rows = build_rows (store, now, &warm_rows[r]);
        }
      g_assert_true (rl_store_clear_bin_states (store, NULL, &error));
      build_list (store, now, rows, &cold[r]);
      g_assert_cmpint (rl_store_count_bin_summaries (store, NULL), ==, points);
      build_list (store, now, rows, &warm[r]);
      g_assert_cmpuint (build_rows (store, now, &warm_rows[r]), ==, rows);
      g_print ("  run %d: reference %.0f ms, cold %.0f ms, warm %.1f ms (rows materialized: %.0f "
               "ms)\n",
               r + 1, ref[r], cold[r], warm[r], warm_rows[r]);
    }
  {
    g_autoptr (GPtrArray) list = NULL;
    g_autofree char *csv = NULL;
    gint64           from, to;

    rl_dispatch_window_range (RL_DISPATCH_HOURS, 24, now, 0, &from, &to);
    list = rl_dispatch_build (store, now, from, to, NULL, NULL, &error);
    g_assert_no_error (error);
    t0 = now_ms_f ();
    csv = rl_dispatch_to_csv (list);
    t_csv = now_ms_f () - t0;
  }

  g_print ("{\"bench\":\"dispatch\",\"points\":%d,\"readings_per_point\":%d,\"readings\":%" G_GSIZE_FORMAT
           ",\"fill_ms\":%.0f,\"warm_build_ms\":%.1f,\"cold_build_ms\":%.0f,"
           "\"reference_read_ms\":%.0f,\"ratio\":%.2f,\"warm_rows_ms\":%.1f,\"rows_24h\":%u,"
           "\"csv_ms\":%.1f}\n",
           points, per_point, n_read, t_fill, median3 (warm), median3 (cold), median3 (ref),
           median3 (cold) / MAX (median3 (ref), 0.001), median3 (warm_rows), rows, t_csv);

  g_clear_object (&store);
  rl_test_remove_sqlite (path);
  g_rmdir (dir);
  return n_read == (gsize) points * per_point;
}

int
main (int argc, char **argv)
{
  gboolean     quick = FALSE;
  int          points = 0, days = 7;
  GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Only 2,000 bins × 7 days", NULL },
    { "points", 0, 0, G_OPTION_ARG_INT, &points, "Only this many bins", "N" },
    { "days", 0, 0, G_OPTION_ARG_INT, &days, "Days of readings with --points (7)", "D" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (points > 0)
    ok = run_size (points, CLAMP (days, 1, 7));
  else
    {
      ok = run_size (2000, 7) && ok;
      if (!quick)
        {
          ok = run_size (10000, 7) && ok;
          ok = run_size (100000, 1) && ok;
        }
    }
  return ok ? 0 : 1;
}
