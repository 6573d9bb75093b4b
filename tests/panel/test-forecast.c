/* test-forecast.c — rl-forecast on synthetic fill series.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "rl-forecast.h"
#include "rl-time.h"

#define MIN_MS (G_GINT64_CONSTANT (60) * 1000)
#define HOUR_MS (60 * MIN_MS)
/* Saturday 2026-11-21 00:00:00 UTC */
#define SATURDAY_MS (G_GINT64_CONSTANT (1795219200) * 1000)

static gint64
parse (const char *text)
{
  gint64 ms = 0;

  g_assert_true (rl_time_parse_ms (text, &ms));
  return ms;
}

static void
test_week_anchor (void)
{
  g_assert_cmpint (parse ("2026-11-21T00:00:00Z"), ==, SATURDAY_MS);
}

/* fill = start + rate·h every @step from t0 for @hours. */
static GArray *
linear_series (gint64 t0,
               double start,
               double rate,
               double hours,
               gint64 step)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (RlFillSample));

  for (gint64 t = 0; t <= (gint64) (hours * HOUR_MS); t += step)
    {
      RlFillSample s = { t0 + t, start + rate * (double) t / HOUR_MS };
      g_array_append_val (a, s);
    }
  return a;
}

static void
test_constant_rate (void)
{
  g_autoptr (GArray) a = linear_series (SATURDAY_MS, 5, 2.0, 12, 15 * MIN_MS);
  gint64     truth = SATURDAY_MS + 40 * HOUR_MS; /* (85 - 5) / 2 */
  gint64     last = SATURDAY_MS + 12 * HOUR_MS;
  RlForecast f;

  rl_forecast_compute ((RlFillSample *) a->data, a->len, last, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_PREDICTED);
  g_assert_cmpfloat_with_epsilon (f.rate_per_hour, 2.0, 1e-6);
  g_assert_cmpint (llabs (f.full_at_ms - truth), <, 60 * 1000);
  g_assert_cmpint (f.earliest_ms, <=, f.full_at_ms);
  g_assert_cmpint (f.latest_ms, >=, f.full_at_ms);
  /* noise-free: the band is the minimum one */
  g_assert_cmpint (f.latest_ms - f.earliest_ms, <=, 25 * MIN_MS);
  g_assert_cmpint (f.last_collection_ms, ==, 0);
  g_assert_false (f.pattern_used);

  /* another threshold moves the answer accordingly */
  {
    RlForecastOptions o;

    rl_forecast_options_init (&o);
    o.threshold = 65;
    rl_forecast_compute ((RlFillSample *) a->data, a->len, last, &o, &f);
    g_assert_cmpint (f.status, ==, RL_FORECAST_PREDICTED);
    g_assert_cmpint (llabs (f.full_at_ms - (SATURDAY_MS + 30 * HOUR_MS)), <, 60 * 1000);
  }
}

/* 0.8 %/h, but 2.4 %/h on Saturdays (market day). */
static double
weekly_rate (gint64 t)
{
  gint64 days = (t - SATURDAY_MS) / (24 * HOUR_MS);

  return days % 7 == 0 ? 2.4 : 0.8;
}

static void
test_weekday_pattern (void)
{
  g_autoptr (GArray) a = g_array_new (FALSE, FALSE, sizeof (RlFillSample));
  gint64            step = 15 * MIN_MS;
  gint64            end = SATURDAY_MS + (6 * 24 + 18) * HOUR_MS;        /* Friday 18:00 */
  gint64            collect_at = SATURDAY_MS + (5 * 24 + 18) * HOUR_MS; /* Thursday 18:00 */
  double            fill = 5, level;
  gint64            t, truth;
  RlForecastOptions o;
  RlForecast        with, flat;
  double            m[168];

  for (t = SATURDAY_MS; t <= end; t += step)
    {
      RlFillSample s = { t, fill };

      g_array_append_val (a, s);
      fill += weekly_rate (t) * 0.25;
      if (fill >= 80 || t + step == collect_at)
        fill = 5;
    }
  /* the truth: the same model from the last reading on */
  level = g_array_index (a, RlFillSample, a->len - 1).fill;
  for (t = end; level + weekly_rate (t) * 0.25 < 85; t += step)
    level += weekly_rate (t) * 0.25;
  truth = t + (gint64) ((85 - level) / weekly_rate (t) * HOUR_MS);

  rl_forecast_learn_pattern ((RlFillSample *) a->data, a->len, NULL, m);
  /* Saturday (index 5 from Monday) is three times any other day */
  g_assert_cmpfloat_with_epsilon (m[5 * 24 + 10] / m[2 * 24 + 10], 3.0, 1e-6);

  rl_forecast_options_init (&o);
  rl_forecast_compute ((RlFillSample *) a->data, a->len, end, &o, &with);
  o.use_pattern = FALSE;
  rl_forecast_compute ((RlFillSample *) a->data, a->len, end, &o, &flat);

  g_assert_cmpint (with.status, ==, RL_FORECAST_PREDICTED);
  g_assert_cmpint (flat.status, ==, RL_FORECAST_PREDICTED);
  g_assert_true (with.pattern_used);
  g_assert_false (flat.pattern_used);
  g_assert_cmpint (with.last_collection_ms, ==, collect_at);
  g_assert_cmpint (llabs (with.full_at_ms - truth), <, 15 * MIN_MS);
  /* flat would say Monday night; Saturday's rush makes it Saturday */
  g_assert_cmpint (flat.full_at_ms - with.full_at_ms, >, 24 * HOUR_MS);
}

static void
test_collection (void)
{
  g_autoptr (GArray) a = linear_series (SATURDAY_MS, 10, 2.0, 35, 15 * MIN_MS);
  g_autoptr (GArray) b = NULL;
  gint64     collect_at = SATURDAY_MS + 35 * HOUR_MS + 15 * MIN_MS;
  gint64     last, truth;
  RlForecast f;

  b = linear_series (collect_at, 5, 4.0, 6, 15 * MIN_MS);
  g_array_append_vals (a, b->data, b->len);
  last = collect_at + 6 * HOUR_MS;
  truth = collect_at + 20 * HOUR_MS; /* (85 - 5) / 4 */

  rl_forecast_compute ((RlFillSample *) a->data, a->len, last, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_PREDICTED);
  g_assert_cmpint (f.last_collection_ms, ==, collect_at);
  g_assert_cmpuint (f.samples_used, ==, b->len);
  g_assert_cmpfloat_with_epsilon (f.rate_per_hour, 4.0, 1e-6);
  g_assert_cmpint (llabs (f.full_at_ms - truth), <, 60 * 1000);
}

static double
gauss (GRand *rand)
{
  double u1 = g_rand_double_range (rand, 1e-12, 1.0);
  double u2 = g_rand_double (rand);

  return sqrt (-2 * log (u1)) * cos (2 * G_PI * u2);
}

static void
test_noisy_coverage (void)
{
  const guint trials = 300;
  guint       inside = 0;
  double      width_sum = 0;
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261123);

  for (guint k = 0; k < trials; k++)
    {
      g_autoptr (GArray) a = g_array_new (FALSE, FALSE, sizeof (RlFillSample));
      double     rate = g_rand_double_range (rand, 1.0, 3.0);
      double     sd = g_rand_double_range (rand, 0.5, 3.0);
      gint64     t0 = SATURDAY_MS + g_rand_int_range (rand, 0, 24 * 7) * HOUR_MS;
      gint64     truth = t0 + (gint64) ((85 - 5) / rate * HOUR_MS);
      gint64     last = 0;
      RlForecast f;

      for (gint64 t = 0; t <= 12 * HOUR_MS; t += 15 * MIN_MS)
        {
          RlFillSample s = { t0 + t, 5 + rate * (double) t / HOUR_MS + sd * gauss (rand) };
          g_array_append_val (a, s);
          last = t0 + t;
        }
      rl_forecast_compute ((RlFillSample *) a->data, a->len, last, NULL, &f);
      g_assert_cmpint (f.status, ==, RL_FORECAST_PREDICTED);
      g_assert_cmpint (f.earliest_ms, <=, f.full_at_ms);
      g_assert_cmpint (f.full_at_ms, <=, f.latest_ms);
      if (f.earliest_ms <= truth && truth <= f.latest_ms)
        inside++;
      width_sum += (double) (f.latest_ms - f.earliest_ms) / HOUR_MS;
    }
  g_test_message ("band contains the truth in %u of %u trials; mean width %.2f h",
                  inside, trials, width_sum / trials);
  g_assert_cmpuint (inside * 100, >=, 90 * trials);
  /* and the band is not uselessly wide */
  g_assert_cmpfloat (width_sum / trials, <, 12.0);
}

static void
test_insufficient (void)
{
  RlFillSample one[] = { { SATURDAY_MS, 40 } };
  RlFillSample two[] = { { SATURDAY_MS, 40 }, { SATURDAY_MS + 30 * MIN_MS, 42 } };
  g_autoptr (GArray) flat = linear_series (SATURDAY_MS, 40, 0.0, 12, 15 * MIN_MS);
  g_autoptr (GArray) falling = linear_series (SATURDAY_MS, 60, -0.5, 12, 15 * MIN_MS);
  RlFillSample nan_only[] = { { SATURDAY_MS, NAN }, { SATURDAY_MS + HOUR_MS, NAN } };
  RlForecast   f;

  rl_forecast_compute (NULL, 0, SATURDAY_MS, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_INSUFFICIENT_DATA);
  g_assert_cmpint (f.last_ts_ms, ==, 0);

  rl_forecast_compute (one, 1, SATURDAY_MS, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_INSUFFICIENT_DATA);
  g_assert_cmpfloat (f.last_fill, ==, 40);

  rl_forecast_compute (two, 2, SATURDAY_MS, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_INSUFFICIENT_DATA);

  rl_forecast_compute ((RlFillSample *) flat->data, flat->len, SATURDAY_MS, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_INSUFFICIENT_DATA);
  g_assert_cmpfloat_with_epsilon (f.rate_per_hour, 0.0, 1e-9);

  rl_forecast_compute ((RlFillSample *) falling->data, falling->len, SATURDAY_MS, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_INSUFFICIENT_DATA);

  rl_forecast_compute (nan_only, 2, SATURDAY_MS, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_INSUFFICIENT_DATA);

  /* just collected: only one reading after the collection */
  {
    g_autoptr (GArray) a = linear_series (SATURDAY_MS, 10, 5.0, 12, HOUR_MS);
    RlFillSample after = { SATURDAY_MS + 13 * HOUR_MS, 2 };

    g_array_append_val (a, after);
    rl_forecast_compute ((RlFillSample *) a->data, a->len, after.ts_ms, NULL, &f);
    g_assert_cmpint (f.status, ==, RL_FORECAST_INSUFFICIENT_DATA);
    g_assert_cmpint (f.last_collection_ms, ==, after.ts_ms);
  }
}

static void
test_already_full (void)
{
  g_autoptr (GArray) a = linear_series (SATURDAY_MS, 60, 3.0, 10, 15 * MIN_MS);
  RlFillSample single[] = { { SATURDAY_MS, 92 } };
  gint64       last = SATURDAY_MS + 10 * HOUR_MS;
  RlForecast   f;

  rl_forecast_compute ((RlFillSample *) a->data, a->len, last + HOUR_MS, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_NOW);
  g_assert_cmpint (f.full_at_ms, ==, last);
  g_assert_cmpint (f.earliest_ms, ==, last);
  g_assert_cmpint (f.latest_ms, ==, last);

  rl_forecast_compute (single, 1, SATURDAY_MS, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_NOW);
}

static void
test_beyond_horizon (void)
{
  g_autoptr (GArray) a = linear_series (SATURDAY_MS, 5, 0.1, 24, 15 * MIN_MS);
  gint64            last = SATURDAY_MS + 24 * HOUR_MS;
  RlForecastOptions o;
  RlForecast        f;

  rl_forecast_compute ((RlFillSample *) a->data, a->len, last, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_BEYOND_HORIZON);
  g_assert_cmpfloat_with_epsilon (f.rate_per_hour, 0.1, 1e-6);

  /* a longer horizon reaches it: (85 - 7.4) / 0.1 = 776 h after the last */
  rl_forecast_options_init (&o);
  o.horizon_ms = 40 * 24 * HOUR_MS;
  rl_forecast_compute ((RlFillSample *) a->data, a->len, last, &o, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_PREDICTED);
  g_assert_cmpint (llabs (f.full_at_ms - (SATURDAY_MS + 800 * HOUR_MS)), <, 2 * MIN_MS);
}

static void
test_unsorted_and_dense (void)
{
  /* one reading every 10 s for 10 h at 3 %/h, shuffled: thinned, same answer */
  g_autoptr (GArray) a = linear_series (SATURDAY_MS, 20, 3.0, 10, 10 * 1000);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  gint64     last = SATURDAY_MS + 10 * HOUR_MS;
  RlForecast f;

  for (guint i = a->len - 1; i > 0; i--)
    {
      guint        j = g_rand_int_range (rand, 0, i + 1);
      RlFillSample tmp = g_array_index (a, RlFillSample, i);

      g_array_index (a, RlFillSample, i) = g_array_index (a, RlFillSample, j);
      g_array_index (a, RlFillSample, j) = tmp;
    }
  rl_forecast_compute ((RlFillSample *) a->data, a->len, last, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_PREDICTED);
  g_assert_cmpint (f.last_ts_ms, ==, last);
  g_assert_cmpuint (f.samples_used, <=, 300);
  g_assert_cmpint (llabs (f.full_at_ms - (SATURDAY_MS + 65 * HOUR_MS / 3)), <, MIN_MS);
}

static void
test_from_readings (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree RlFillSample *s = NULL;
  gsize                    n = 0;

  g_assert_true (json_parser_load_from_data (
      parser,
      "[{\"timestamp\":\"2026-11-21T00:00:00.000Z\",\"fillLevel\":10.5},"
      " {\"timestamp\":\"2026-11-21T05:45:00+05:45\",\"fillLevel\":null},"
      " {\"timestamp\":\"2026-11-21T06:00:00+05:45\",\"fillLevel\":12},"
      " {\"fillLevel\":13}, 42,"
      " {\"timestamp\":\"bad\",\"fillLevel\":14}]",
      -1, NULL));
  s = rl_forecast_samples_from_readings (json_node_get_array (json_parser_get_root (parser)), &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (s[0].ts_ms, ==, SATURDAY_MS);
  g_assert_cmpfloat (s[0].fill, ==, 10.5);
  g_assert_cmpint (s[1].ts_ms, ==, SATURDAY_MS + 15 * MIN_MS);
  g_assert_cmpfloat (s[1].fill, ==, 12);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/forecast/week-anchor", test_week_anchor);
  g_test_add_func ("/forecast/constant-rate", test_constant_rate);
  g_test_add_func ("/forecast/weekday-pattern", test_weekday_pattern);
  g_test_add_func ("/forecast/collection", test_collection);
  g_test_add_func ("/forecast/noisy-coverage", test_noisy_coverage);
  g_test_add_func ("/forecast/insufficient", test_insufficient);
  g_test_add_func ("/forecast/already-full", test_already_full);
  g_test_add_func ("/forecast/beyond-horizon", test_beyond_horizon);
  g_test_add_func ("/forecast/unsorted-dense", test_unsorted_and_dense);
  g_test_add_func ("/forecast/from-readings", test_from_readings);

  return g_test_run ();
}
