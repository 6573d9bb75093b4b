/* bench-dispatch.c — forecast and dispatch list over a city's bins.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds a cache of N bins with 7 days of 15-minute readings each (filling
 * at random rates, emptied at 80–95 %, with noise), then measures:
 * the forecast of one series, the dispatch list over all bins (readings
 * from SQLite + forecast), and as its reference the same readings read
 * without forecasting; and the CSV export. One JSON line at the end.
 * Usage: bench-dispatch [--quick] [--points N]
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "rl-dispatch.h"
#include "rl-test-util.h"
#include "rl-time.h"

#define MIN_MS (G_GINT64_CONSTANT (60) * 1000)
#define HOUR_MS (60 * MIN_MS)

typedef struct
{
  RlStore *store;
  gint64   now_ms;
  guint    n;
} ReadAll;

static gboolean
read_one (const RlStoreDropPoint *dp,
          gpointer                user_data)
{
  ReadAll *r = user_data;
  g_autoptr (JsonArray) a = NULL;
  g_autofree RlFillSample *s = NULL;
  gsize                    n;

  if (dp->device_id == NULL)
    return TRUE;
  a = rl_store_get_readings (r->store, dp->device_id, r->now_ms - 7 * 24 * HOUR_MS, r->now_ms, 0,
                             NULL);
  s = rl_forecast_samples_from_readings (a, &n);
  r->n += n;
  return TRUE;
}

int
main (int argc, char **argv)
{
  gboolean     quick = FALSE;
  int          points = 2000;
  GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Small sizes", NULL },
    { "points", 0, 0, G_OPTION_ARG_INT, &points, "Number of bins", "N" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr (RlStore) store = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (4242);
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *csv = NULL;
  gint64           now = rl_time_now_ms () / HOUR_MS * HOUR_MS;
  const int        per_point = 7 * 24 * 4;
  double           t0, t_fill, t_read, t_build, t_csv, t_one = 0;
  gint64           from, to;
  ReadAll          ra;
  GArray          *series = g_array_new (FALSE, FALSE, sizeof (RlFillSample));

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (quick)
    points = MIN (points, 200);

  dir = g_dir_make_tmp ("rl-bench-dispatch-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.sqlite", NULL);
  store = rl_store_open (path, &error);
  g_assert_no_error (error);

  g_print ("filling %d bins × %d readings…\n", points, per_point);
  t0 = g_get_monotonic_time ();
  {
    g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);

    g_assert_no_error (error);
    for (int i = 0; i < points; i++)
      {
        g_autofree char *json = NULL;
        g_autofree char *device = g_strdup_printf ("bin-%06d", i);
        g_autoptr (JsonParser) parser = json_parser_new ();
        double fill = g_rand_double_range (rand, 0, 60);
        double rate = g_rand_double_range (rand, 0.2, 2.5);
        double empty_at = g_rand_double_range (rand, 80, 95);

        for (int k = per_point - 1; k >= 0; k--)
          {
            gint64 ts = now - (gint64) k * 15 * MIN_MS;
            double noisy = CLAMP (fill + g_rand_double_range (rand, -1.5, 1.5), 0, 100);

            rl_store_batch_add_reading (batch, device, ts, noisy, NAN, NAN, NAN, NAN, &error);
            g_assert_no_error (error);
            fill += rate * 0.25;
            if (fill >= empty_at)
              fill = g_rand_double_range (rand, 0, 8);
          }
        json = g_strdup_printf (
            "{\"id\":\"dp-%06d\",\"name\":\"Bin %d\",\"address\":\"Ward %d, Kathmandu\","
            "\"latitude\":27.7,\"longitude\":85.3,\"status\":\"active\","
            "\"deviceId\":\"%s\",\"fillLevel\":%.1f,\"isOnline\":true,\"version\":1}",
            i, i, i % 32 + 1, device, fill);
        g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
        g_assert_true (rl_store_batch_upsert (
            batch, "drop_point", json_node_get_object (json_parser_get_root (parser)), &error));
      }
    g_assert_true (rl_store_batch_commit (batch, &error));
    g_assert_no_error (error);
  }
  t_fill = (g_get_monotonic_time () - t0) / 1000.0;

  /* One forecast of one series, averaged. */
  for (int k = 0; k < per_point; k++)
    {
      RlFillSample s = { now - (gint64) (per_point - 1 - k) * 15 * MIN_MS,
                         5 + 0.01 * k + (k % 7) * 0.3 };
      g_array_append_val (series, s);
    }
  for (int r = 0; r < 200; r++)
    {
      RlForecast f;

      t0 = g_get_monotonic_time ();
      rl_forecast_compute ((RlFillSample *) series->data, series->len, now, NULL, &f);
      t_one += (g_get_monotonic_time () - t0) / 1000.0;
    }
  t_one /= 200;

  ra.store = store;
  ra.now_ms = now;
  ra.n = 0;
  t0 = g_get_monotonic_time ();
  g_assert_true (rl_store_foreach_drop_point (store, read_one, &ra, &error));
  t_read = (g_get_monotonic_time () - t0) / 1000.0;

  rl_dispatch_window_range (RL_DISPATCH_HOURS, 24, now, 0, &from, &to);
  t0 = g_get_monotonic_time ();
  rows = rl_dispatch_build (store, now, from, to, NULL, NULL, &error);
  t_build = (g_get_monotonic_time () - t0) / 1000.0;
  g_assert_no_error (error);

  t0 = g_get_monotonic_time ();
  csv = rl_dispatch_to_csv (rows);
  t_csv = (g_get_monotonic_time () - t0) / 1000.0;

  g_print ("{\"bench\":\"dispatch\",\"points\":%d,\"readings_per_point\":%d,\"fill_ms\":%.0f,"
           "\"forecast_one_ms\":%.3f,\"dispatch_build_ms\":%.1f,\"readings_only_ms\":%.1f,"
           "\"ratio\":%.2f,\"rows_24h\":%u,\"csv_ms\":%.2f}\n",
           points, per_point, t_fill, t_one, t_build, t_read, t_build / MAX (t_read, 0.001),
           rows->len, t_csv);

  g_array_unref (series);
  g_clear_object (&store);
  rl_test_remove_sqlite (path);
  g_rmdir (dir);
  return ra.n == (guint) (points * per_point) ? 0 : 1;
}
