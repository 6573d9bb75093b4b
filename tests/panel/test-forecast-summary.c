/* test-forecast-summary.c — the forecast from per-bin summaries against the
 * reference (rl_forecast_compute over the raw readings), on bench-dispatch's
 * synthetic histories, and the summary's own rules.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "dispatch-synth.h"
#include "rl-forecast-summary.h"

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)
#define MIN_MS (G_GINT64_CONSTANT (60) * 1000)
#define NOW_MS G_GINT64_CONSTANT (1796000400000) /* a Monday, 2026-11-30 01:00 UTC */
#define BINS 2000
#define PER_BIN (7 * 24 * 4)

static gboolean
has_full_at (const RlForecast *f)
{
  return f->status == RL_FORECAST_NOW || f->status == RL_FORECAST_PREDICTED;
}

typedef struct
{
  guint  with_full_at; /* bins the reference gives a "full at" */
  guint  within_30min; /* … and the summary agrees within 30 minutes */
  guint  soon;         /* bins the reference says full within 24 h */
  guint  soon_missed;  /* … and the summary says not full soon */
  guint  extra;        /* the summary predicts a time the reference does not */
  guint  pattern;      /* bins where the summary applied a learnt pattern */
  guint  pattern_ref;  /* … and where the reference did */
  gint64 worst_soon_ms;
} Agreement;

/* Reference and summary forecasts of one series, compared. */
static void
compare (const gint64            *ts,
         const double            *fill,
         int                      n,
         const RlForecastOptions *options,
         Agreement               *a)
{
  g_autofree RlFillSample *samples = g_new (RlFillSample, n);
  g_autofree RlBinSummary *summary = g_new (RlBinSummary, 1);
  RlForecast               ref, sum;

  rl_bin_summary_init (summary, options ? options->utc_offset_s : 0);
  for (int k = 0; k < n; k++)
    {
      samples[k].ts_ms = ts[k];
      samples[k].fill = fill[k];
      g_assert_true (rl_bin_summary_add (summary, ts[k], fill[k]));
    }
  rl_forecast_compute (samples, n, NOW_MS, options, &ref);
  rl_forecast_compute_summary (summary, NOW_MS, options, &sum);

  a->pattern_ref += ref.pattern_used;
  a->pattern += sum.pattern_used;
  if (has_full_at (&ref))
    {
      a->with_full_at++;
      if (has_full_at (&sum) && ABS (sum.full_at_ms - ref.full_at_ms) <= 30 * MIN_MS)
        a->within_30min++;
      if (ref.full_at_ms < NOW_MS + 24 * HOUR_MS)
        {
          a->soon++;
          /* "Not full soon": no time, or one past the next 24 h. */
          if (!has_full_at (&sum) || sum.full_at_ms >= NOW_MS + 24 * HOUR_MS + 30 * MIN_MS)
            a->soon_missed++;
          else
            a->worst_soon_ms = MAX (a->worst_soon_ms, ABS (sum.full_at_ms - ref.full_at_ms));
        }
    }
  else if (has_full_at (&sum))
    a->extra++;
}

static void
check (const Agreement *a,
       const char      *what)
{
  g_test_message ("%s: %u/%u within 30 min (%.1f %%), %u full within 24 h, %u missed, worst "
                  "%.1f min, %u predicted by the summary only, pattern in %u (reference %u)",
                  what, a->within_30min, a->with_full_at,
                  100.0 * a->within_30min / MAX (a->with_full_at, 1), a->soon, a->soon_missed,
                  a->worst_soon_ms / 60000.0, a->extra, a->pattern, a->pattern_ref);
  g_assert_cmpuint (a->with_full_at, >, BINS / 4);
  g_assert_cmpuint (a->soon, >, BINS / 10);
  g_assert_cmpuint (a->within_30min * 100, >=, a->with_full_at * 95);
  g_assert_cmpuint (a->soon_missed, ==, 0);
}

/* bench-dispatch's histories: 2,000 bins × 7 days, the same seed. */
static void
test_agreement_bench (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (4242);
  gint64    ts[PER_BIN];
  double    fill[PER_BIN];
  Agreement a = { 0 };

  for (int i = 0; i < BINS; i++)
    {
      synth_series (rand, NOW_MS, PER_BIN, ts, fill);
      compare (ts, fill, PER_BIN, NULL, &a);
    }
  check (&a, "bench histories");
}

/* The same with a daily rhythm (fast by day, slow at night), so the
 * weekday × hour pattern is learnt and used; at a whole-hour offset and at
 * Nepal's +05:45 (the summary's hours are local hours). */
static void
agreement_daily_rhythm (int        utc_offset_s,
                        Agreement *a)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (77);
  RlForecastOptions options;
  gint64            ts[PER_BIN];
  double            fill[PER_BIN];

  rl_forecast_options_init (&options);
  options.utc_offset_s = utc_offset_s;
  for (int i = 0; i < BINS; i++)
    {
      double level = g_rand_double_range (rand, 0, 60);
      double rate = g_rand_double_range (rand, 0.2, 2.5);
      double empty_at = g_rand_double_range (rand, 80, 95);

      for (int k = PER_BIN - 1, j = 0; k >= 0; k--, j++)
        {
          gint64 local = NOW_MS - (gint64) k * SYNTH_STEP_MS + utc_offset_s * G_GINT64_CONSTANT (1000);
          int    hour = (int) (local / HOUR_MS % 24);

          ts[j] = NOW_MS - (gint64) k * SYNTH_STEP_MS;
          fill[j] = CLAMP (level + g_rand_double_range (rand, -1.0, 1.0), 0, 100);
          level += rate * 0.25 * (hour >= 7 && hour < 21 ? 1.6 : 0.3);
          if (level >= empty_at)
            level = g_rand_double_range (rand, 0, 8);
        }
      compare (ts, fill, PER_BIN, &options, a);
    }
}

static void
test_agreement_daily_rhythm (void)
{
  Agreement whole = { 0 }, nepal = { 0 };

  agreement_daily_rhythm (5 * 3600, &whole);
  check (&whole, "daily rhythm, +05:00");
  g_assert_cmpuint (whole.pattern, >, BINS / 2);
  agreement_daily_rhythm (5 * 3600 + 45 * 60, &nepal);
  check (&nepal, "daily rhythm, +05:45");
  g_assert_cmpuint (nepal.pattern, >, BINS / 2);
}

static void
test_summary_rules (void)
{
  g_autofree RlBinSummary *s = g_new (RlBinSummary, 1);
  g_autofree RlBinSummary *back = g_new (RlBinSummary, 1);
  g_autoptr (GBytes) bytes = NULL;
  RlForecast f;
  gint64     t0 = NOW_MS - 20 * HOUR_MS;

  rl_bin_summary_init (s, 0);
  rl_forecast_compute_summary (s, NOW_MS, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_INSUFFICIENT_DATA);

  /* 2 %/h for 10 h, emptied, then 4 %/h for 6 h: only the fill after the
   * collection is fitted. */
  for (int k = 0; k <= 40; k++)
    g_assert_true (rl_bin_summary_add (s, t0 + k * 15 * MIN_MS, 5 + 0.5 * k));
  for (int k = 1; k <= 24; k++)
    g_assert_true (rl_bin_summary_add (s, t0 + (40 + k) * 15 * MIN_MS, 2 + 1.0 * k));
  /* Out of order, repeated and NaN readings are not folded in. */
  g_assert_false (rl_bin_summary_add (s, t0, 50));
  g_assert_false (rl_bin_summary_add (s, t0 + 64 * 15 * MIN_MS, 26));
  g_assert_false (rl_bin_summary_add (s, t0 + 65 * 15 * MIN_MS, NAN));
  g_assert_cmpint (s->last_collection_ms, ==, t0 + 41 * 15 * MIN_MS);

  rl_forecast_compute_summary (s, t0 + 64 * 15 * MIN_MS, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_PREDICTED);
  g_assert_cmpfloat_with_epsilon (f.rate_per_hour, 4.0, 1e-3);
  /* 26 % at the last reading, 85 % 14.75 h later. */
  g_assert_cmpint (ABS (f.full_at_ms - (t0 + 64 * 15 * MIN_MS + (gint64) (14.75 * HOUR_MS))), <,
                   MIN_MS);
  g_assert_cmpuint (f.samples_used, ==, 24);

  /* The byte form keeps everything; a damaged one is refused. */
  bytes = rl_bin_summary_to_bytes (s);
  g_assert_true (rl_bin_summary_from_bytes (back, g_bytes_get_data (bytes, NULL),
                                            g_bytes_get_size (bytes)));
  g_assert_cmpint (back->n_slots, ==, s->n_slots);
  g_assert_cmpmem (back->slots, sizeof (RlBinSlot) * back->n_slots, s->slots,
                   sizeof (RlBinSlot) * s->n_slots);
  g_assert_false (rl_bin_summary_from_bytes (back, g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes) - 1));

  /* Already full; and a week later the old hours have gone. */
  g_assert_true (rl_bin_summary_add (s, t0 + 70 * 15 * MIN_MS, 90));
  rl_forecast_compute_summary (s, NOW_MS, NULL, &f);
  g_assert_cmpint (f.status, ==, RL_FORECAST_NOW);
  g_assert_true (rl_bin_summary_add (s, t0 + 8 * 24 * HOUR_MS, 10));
  g_assert_cmpint (s->n_slots, ==, 1);
  g_assert_cmpuint (s->n_slots, <=, RL_BIN_SUMMARY_SLOTS);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/forecast-summary/rules", test_summary_rules);
  g_test_add_func ("/forecast-summary/agreement/bench", test_agreement_bench);
  g_test_add_func ("/forecast-summary/agreement/daily-rhythm", test_agreement_daily_rhythm);
  return g_test_run ();
}
