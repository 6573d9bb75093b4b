/* rl-forecast.c — "full at" forecast of a bin from its fill history.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: options, pattern learning, effective time, robust fit, crossing,
 * compute, readings helper. The method is docs/forecast.md.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "rl-forecast-private.h"
#include "rl-time.h"

#define MAX_FIT_POINTS 300
#define MIN_BUCKET_HOURS 1.5

void
rl_forecast_options_init (RlForecastOptions *options)
{
  g_return_if_fail (options != NULL);

  options->threshold = 85.0;
  options->horizon_ms = 7 * 24 * HOUR_MS;
  options->fit_window_ms = 48 * HOUR_MS;
  options->collection_drop = 20.0;
  options->min_samples = 3;
  options->min_span_ms = HOUR_MS;
  options->band_z = 2.0;
  options->min_band_ms = 10 * 60 * 1000;
  options->utc_offset_s = 0;
  options->use_pattern = TRUE;
}

const char *
rl_forecast_status_to_string (RlForecastStatus status)
{
  switch (status)
    {
    case RL_FORECAST_INSUFFICIENT_DATA:
      return "insufficient_data";
    case RL_FORECAST_NOW:
      return "now";
    case RL_FORECAST_PREDICTED:
      return "predicted";
    case RL_FORECAST_BEYOND_HORIZON:
      return "beyond_horizon";
    default:
      return "unknown";
    }
}

/* Hour of the week in local time, Monday 00:00 = 0. 1970-01-01 was a Thursday. */
guint
rl_forecast_hour_of_week (gint64 ts_ms,
                          int    utc_offset_s)
{
  gint64 local_s = ts_ms / 1000 + utc_offset_s;
  gint64 days = local_s >= 0 ? local_s / 86400 : -((-local_s + 86399) / 86400);
  gint64 sec_of_day = local_s - days * 86400;
  guint  weekday = (guint) (((days + 3) % 7 + 7) % 7);

  return weekday * 24 + (guint) (sec_of_day / 3600);
}

static int
cmp_sample (const void *a,
            const void *b)
{
  const RlFillSample *x = a, *y = b;

  return (x->ts_ms > y->ts_ms) - (x->ts_ms < y->ts_ms);
}

/* The k-th smallest of @values (reordered), by quickselect: O(n) on average,
 * which matters for the n²/2 pairwise slopes of Theil–Sen. */
static double
select_kth (double *values,
            gsize   n,
            gsize   k)
{
  gsize lo = 0, hi = n - 1;

  while (lo < hi)
    {
      double pivot = values[lo + (hi - lo) / 2];
      gsize  i = lo, j = hi;

      while (i <= j)
        {
          while (values[i] < pivot)
            i++;
          while (values[j] > pivot)
            j--;
          if (i <= j)
            {
              double tmp = values[i];

              values[i] = values[j];
              values[j] = tmp;
              i++;
              if (j == 0)
                break;
              j--;
            }
        }
      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        break;
    }
  return values[k];
}

double
rl_forecast_median_in_place (double *values,
                             gsize   n)
{
  double upper, lower = -INFINITY;

  g_assert (n > 0);
  upper = select_kth (values, n, n / 2);
  if (n % 2)
    return upper;
  /* After the selection everything below n/2 is ≤ upper: its maximum is the
   * lower middle. */
  for (gsize i = 0; i < n / 2; i++)
    lower = MAX (lower, values[i]);
  return 0.5 * (lower + upper);
}

/* Valid samples, sorted by time (duplicates of a time keep the first). */
static RlFillSample *
clean_samples (const RlFillSample *samples,
               gsize               n_samples,
               gsize              *n_out)
{
  RlFillSample *out = g_new (RlFillSample, MAX (n_samples, 1));
  gsize         n = 0, k = 0;

  for (gsize i = 0; i < n_samples; i++)
    if (isfinite (samples[i].fill))
      out[n++] = samples[i];
  qsort (out, n, sizeof (RlFillSample), cmp_sample);
  for (gsize i = 0; i < n; i++)
    if (k == 0 || out[i].ts_ms != out[k - 1].ts_ms)
      out[k++] = out[i];
  *n_out = k;
  return out;
}

/* ---- Pattern ------------------------------------------------------------ */

typedef struct
{
  double df, dt; /* percent, hours */
  guint  bucket; /* hour of week of the midpoint */
} Pair;

/* Shrinks raw factors towards 1 by how much of their spread the sampling
 * noise explains (an empirical-Bayes factor): a noise-free pattern is kept
 * exactly, a pattern that noise alone could produce is dropped. */
void
rl_forecast_shrink_factors (double         *factor,
                            const double   *variance,
                            const gboolean *valid,
                            guint           n)
{
  double spread = 0, noise = 0, lambda;
  guint  k = 0;

  for (guint i = 0; i < n; i++)
    if (valid[i])
      {
        spread += (factor[i] - 1) * (factor[i] - 1);
        noise += variance[i];
        k++;
      }
  if (k < 2 || spread <= 0)
    lambda = 0;
  else
    lambda = MAX (0.0, 1.0 - noise / spread);
  for (guint i = 0; i < n; i++)
    factor[i] = valid[i] ? CLAMP (1 + lambda * (factor[i] - 1), 0.05, 20.0) : 1.0;
}

/* Ratio Σdf / (R Σ dt·weight) per group, with the variance of that ratio. */
static void
group_factors (const Pair *pairs,
               gsize       n_pairs,
               guint       n_groups,
               guint (*group_of) (guint bucket),
               const double *weight, /* per bucket, or NULL */
               double        overall_rate,
               double       *factor,
               double       *variance,
               gboolean     *valid)
{
  g_autofree double *sdf = g_new0 (double, n_groups);
  g_autofree double *sdt = g_new0 (double, n_groups);
  g_autofree double *sq = g_new0 (double, n_groups);
  g_autofree guint  *count = g_new0 (guint, n_groups);

  for (gsize i = 0; i < n_pairs; i++)
    {
      guint  g = group_of (pairs[i].bucket);
      double w = weight ? weight[pairs[i].bucket] : 1.0;

      sdf[g] += pairs[i].df;
      sdt[g] += pairs[i].dt * w;
      count[g]++;
    }
  for (gsize i = 0; i < n_pairs; i++)
    {
      guint  g = group_of (pairs[i].bucket);
      double w = weight ? weight[pairs[i].bucket] : 1.0;
      double rate = sdt[g] > 0 ? sdf[g] / sdt[g] : 0;
      double e = pairs[i].df - rate * pairs[i].dt * w;

      sq[g] += e * e;
    }
  for (guint g = 0; g < n_groups; g++)
    {
      valid[g] = sdt[g] >= MIN_BUCKET_HOURS && count[g] >= 2;
      if (!valid[g])
        {
          factor[g] = 1;
          variance[g] = 0;
          continue;
        }
      factor[g] = sdf[g] / sdt[g] / overall_rate;
      variance[g] = sq[g] / (count[g] - 1) * count[g]
                    / (sdt[g] * sdt[g]) / (overall_rate * overall_rate);
    }
}

guint
rl_forecast_weekday_of (guint bucket)
{
  return bucket / 24;
}

guint
rl_forecast_hour_of (guint bucket)
{
  return bucket % 24;
}

static void
learn_pattern_sorted (const RlFillSample      *s,
                      gsize                    n,
                      const RlForecastOptions *options,
                      double                  *out)
{
  g_autofree Pair *pairs = NULL;
  gsize            n_pairs = 0;
  double           sdf = 0, sdt = 0, rate;
  double           day[7], day_var[7], hour[24], hour_var[24], day_w[WEEK_BUCKETS];
  gboolean         day_valid[7], hour_valid[24];
  gint64           span;

  for (guint b = 0; b < WEEK_BUCKETS; b++)
    out[b] = 1.0;
  if (n < 2)
    return;
  span = s[n - 1].ts_ms - s[0].ts_ms;
  if (span < 2 * 24 * HOUR_MS)
    return;

  pairs = g_new (Pair, n);
  for (gsize i = 1; i < n; i++)
    {
      gint64 dt = s[i].ts_ms - s[i - 1].ts_ms;
      double df = s[i].fill - s[i - 1].fill;

      if (dt <= 0 || dt > MAX_PAIR_GAP_MS)
        continue;
      if (df <= -options->collection_drop)
        continue;
      if (s[i].fill >= SATURATED_FILL || s[i - 1].fill >= SATURATED_FILL)
        continue;
      /* A pair that straddles an hour boundary belongs to its midpoint's hour. */
      pairs[n_pairs].df = df;
      pairs[n_pairs].dt = (double) dt / HOUR_MS;
      pairs[n_pairs].bucket = rl_forecast_hour_of_week (s[i - 1].ts_ms + dt / 2, options->utc_offset_s);
      sdf += df;
      sdt += pairs[n_pairs].dt;
      n_pairs++;
    }
  if (n_pairs < 4 || sdt <= 0)
    return;
  rate = sdf / sdt;
  if (rate <= 1e-9)
    return;

  /* Weekdays only once every weekday has been seen (about a week of data). */
  if (span >= (gint64) (6.5 * 24 * HOUR_MS))
    {
      group_factors (pairs, n_pairs, 7, rl_forecast_weekday_of, NULL, rate, day, day_var, day_valid);
      rl_forecast_shrink_factors (day, day_var, day_valid, 7);
    }
  else
    for (guint d = 0; d < 7; d++)
      day[d] = 1.0;

  for (guint b = 0; b < WEEK_BUCKETS; b++)
    day_w[b] = day[b / 24];
  group_factors (pairs, n_pairs, 24, rl_forecast_hour_of, day_w, rate, hour, hour_var, hour_valid);
  rl_forecast_shrink_factors (hour, hour_var, hour_valid, 24);

  for (guint b = 0; b < WEEK_BUCKETS; b++)
    out[b] = day[b / 24] * hour[b % 24];
}

void
rl_forecast_learn_pattern (const RlFillSample      *samples,
                           gsize                    n_samples,
                           const RlForecastOptions *options,
                           double                  *out)
{
  RlForecastOptions        defaults;
  g_autofree RlFillSample *s = NULL;
  gsize                    n;

  g_return_if_fail (out != NULL);
  if (options == NULL)
    {
      rl_forecast_options_init (&defaults);
      options = &defaults;
    }
  s = clean_samples (samples, n_samples, &n);
  learn_pattern_sorted (s, n, options, out);
}

/* ---- Effective time and crossing ---------------------------------------- */

static gint64
next_hour_boundary (gint64 ts_ms,
                    int    utc_offset_s)
{
  gint64 local = ts_ms + (gint64) utc_offset_s * 1000;
  gint64 floor_h = local >= 0 ? local / HOUR_MS : -((-local + HOUR_MS - 1) / HOUR_MS);

  return (floor_h + 1) * HOUR_MS - (gint64) utc_offset_s * 1000;
}

/* ∫ m(t) dt over [t0, t1], in hours. */
double
rl_forecast_effective_hours (gint64        t0,
                             gint64        t1,
                             const double *m,
                             int           utc_offset_s)
{
  double total = 0;

  while (t0 < t1)
    {
      gint64 end = MIN (next_hour_boundary (t0, utc_offset_s), t1);

      total += m[rl_forecast_hour_of_week (t0, utc_offset_s)] * (double) (end - t0) / HOUR_MS;
      t0 = end;
    }
  return total;
}

/* When level(t0) = @level growing at @rate·m(t) reaches @threshold; G_MAXINT64
 * when not before @limit_ms. */
gint64
rl_forecast_crossing_time (double        level,
                           double        rate,
                           gint64        t0,
                           gint64        limit_ms,
                           double        threshold,
                           const double *m,
                           int           utc_offset_s)
{
  if (level >= threshold)
    return t0;
  if (rate <= 0)
    return G_MAXINT64;

  while (t0 < limit_ms)
    {
      gint64 end = next_hour_boundary (t0, utc_offset_s);
      double r = rate * m[rl_forecast_hour_of_week (t0, utc_offset_s)];
      double gain = r * (double) (end - t0) / HOUR_MS;

      if (r > 0 && level + gain >= threshold)
        {
          gint64 t = t0 + (gint64) llround ((threshold - level) / r * HOUR_MS);
          return t <= limit_ms ? t : G_MAXINT64;
        }
      level += gain;
      t0 = end;
    }
  return G_MAXINT64;
}

/* ---- Compute ------------------------------------------------------------ */

void
rl_forecast_reset (RlForecast *out)
{
  out->status = RL_FORECAST_INSUFFICIENT_DATA;
  out->full_at_ms = 0;
  out->earliest_ms = 0;
  out->latest_ms = 0;
  out->rate_per_hour = NAN;
  out->level = NAN;
  out->residual_sd = NAN;
  out->last_ts_ms = 0;
  out->last_fill = NAN;
  out->last_collection_ms = 0;
  out->samples_used = 0;
  out->pattern_used = FALSE;
}

void
rl_forecast_compute (const RlFillSample      *samples,
                     gsize                    n_samples,
                     gint64                   now_ms,
                     const RlForecastOptions *options,
                     RlForecast              *out)
{
  RlForecastOptions        defaults;
  g_autofree RlFillSample *s = NULL;
  double                   m[WEEK_BUCKETS];
  gsize                    n, seg = 0, first, n_fit;
  gint64                   last_ts;

  g_return_if_fail (out != NULL);
  g_return_if_fail (samples != NULL || n_samples == 0);
  if (options == NULL)
    {
      rl_forecast_options_init (&defaults);
      options = &defaults;
    }
  rl_forecast_reset (out);

  s = clean_samples (samples, n_samples, &n);
  if (n == 0)
    return;

  last_ts = s[n - 1].ts_ms;
  out->last_ts_ms = last_ts;
  out->last_fill = s[n - 1].fill;
  if (s[n - 1].fill >= options->threshold)
    {
      out->status = RL_FORECAST_NOW;
      out->full_at_ms = out->earliest_ms = out->latest_ms = last_ts;
      out->level = s[n - 1].fill;
      return;
    }

  /* Only the part after the last collection describes the current fill. */
  for (gsize i = n - 1; i > 0; i--)
    if (s[i].fill <= s[i - 1].fill - options->collection_drop)
      {
        seg = i;
        out->last_collection_ms = s[i].ts_ms;
        break;
      }

  first = seg;
  while (first < n && s[first].ts_ms < last_ts - options->fit_window_ms)
    first++;
  if (n - first < options->min_samples
      || last_ts - s[first].ts_ms < options->min_span_ms)
    first = seg;
  n_fit = n - first;
  if (n_fit < MAX (options->min_samples, 2)
      || last_ts - s[first].ts_ms < options->min_span_ms)
    return;

  if (options->use_pattern)
    learn_pattern_sorted (s, n, options, m);
  else
    for (guint b = 0; b < WEEK_BUCKETS; b++)
      m[b] = 1.0;
  for (guint b = 0; b < WEEK_BUCKETS; b++)
    if (fabs (m[b] - 1.0) > 1e-3)
      out->pattern_used = TRUE;

  rl_forecast_fit (s + first, n_fit, m, now_ms, options, out);
}

/* Steps 6–8 over the fitted samples @s (sorted, the last is the last
 * reading; thinned in place), with the pattern @m. */
void
rl_forecast_fit (RlFillSample            *s,
                 gsize                    n_fit,
                 const double            *m,
                 gint64                   now_ms,
                 const RlForecastOptions *options,
                 RlForecast              *out)
{
  g_autofree double *tau = NULL;
  g_autofree double *work = NULL;
  gsize              stride, n_slopes = 0;
  double             slope, intercept, sigma, mean_tau = 0, sxx = 0, se_rate, se_level;
  double             tau_last;
  gint64             last_ts = s[n_fit - 1].ts_ms;
  const gsize        first = 0;

  /* Thin dense histories (raw MQTT) so the pairwise fit stays cheap; the
   * last reading is always kept. */
  stride = (n_fit + MAX_FIT_POINTS - 1) / MAX_FIT_POINTS;
  if (stride > 1)
    {
      g_autofree RlFillSample *thin = g_new (RlFillSample, n_fit / stride + 2);
      gsize                    k = 0;

      for (gssize i = (gssize) n_fit - 1; i >= (gssize) first; i -= (gssize) stride)
        thin[k++] = s[i];
      for (gsize j = 0; j < k; j++)
        s[first + j] = thin[k - 1 - j];
      n_fit = k;
    }

  tau = g_new (double, n_fit);
  tau[0] = 0;
  for (gsize i = 1; i < n_fit; i++)
    tau[i] =
        tau[i - 1]
        + rl_forecast_effective_hours (s[first + i - 1].ts_ms, s[first + i].ts_ms, m, options->utc_offset_s);

  /* Theil–Sen: the median of all pairwise slopes. */
  work = g_new (double, MAX (n_fit * (n_fit - 1) / 2, n_fit));
  for (gsize i = 0; i < n_fit; i++)
    for (gsize j = i + 1; j < n_fit; j++)
      if (tau[j] - tau[i] > 1e-9)
        work[n_slopes++] = (s[first + j].fill - s[first + i].fill) / (tau[j] - tau[i]);
  if (n_slopes == 0)
    return;
  slope = rl_forecast_median_in_place (work, n_slopes);

  for (gsize i = 0; i < n_fit; i++)
    work[i] = s[first + i].fill - slope * tau[i];
  intercept = rl_forecast_median_in_place (work, n_fit);

  for (gsize i = 0; i < n_fit; i++)
    work[i] = fabs (s[first + i].fill - (intercept + slope * tau[i]));
  sigma = 1.4826 * rl_forecast_median_in_place (work, n_fit);

  for (gsize i = 0; i < n_fit; i++)
    mean_tau += tau[i];
  mean_tau /= n_fit;
  for (gsize i = 0; i < n_fit; i++)
    sxx += (tau[i] - mean_tau) * (tau[i] - mean_tau);
  tau_last = tau[n_fit - 1];
  se_rate = sxx > 0 ? sigma / sqrt (sxx) : 0;
  se_level = sxx > 0
                 ? sigma * sqrt (1.0 / n_fit + (tau_last - mean_tau) * (tau_last - mean_tau) / sxx)
                 : sigma;

  out->samples_used = n_fit;
  out->rate_per_hour = slope;
  out->level = intercept + slope * tau_last;
  out->residual_sd = sigma;

  rl_forecast_finish (out, slope, se_rate, se_level, last_ts, now_ms, m, options);
}

/* Steps 7 and 8 (crossing and band) from the fitted rate and level. */
void
rl_forecast_finish (RlForecast              *out,
                    double                   slope,
                    double                   se_rate,
                    double                   se_level,
                    gint64                   last_ts,
                    gint64                   now_ms,
                    const double            *m,
                    const RlForecastOptions *options)
{
  double z;
  gint64 limit;

  if (slope <= 1e-6)
    return; /* flat or emptying: no filling trend to extrapolate */

  z = options->band_z;
  limit = MAX (now_ms, last_ts) + options->horizon_ms;
  out->full_at_ms = rl_forecast_crossing_time (out->level, slope, last_ts, limit,
                                               options->threshold, m, options->utc_offset_s);
  if (out->full_at_ms == G_MAXINT64)
    {
      out->status = RL_FORECAST_BEYOND_HORIZON;
      out->full_at_ms = 0;
      return;
    }

  out->status = RL_FORECAST_PREDICTED;
  out->earliest_ms = rl_forecast_crossing_time (out->level + z * se_level, slope + z * se_rate,
                                                last_ts, limit, options->threshold, m,
                                                options->utc_offset_s);
  out->latest_ms = rl_forecast_crossing_time (out->level - z * se_level, slope - z * se_rate,
                                              last_ts, limit, options->threshold, m,
                                              options->utc_offset_s);
  out->earliest_ms = MIN (out->earliest_ms, out->full_at_ms - options->min_band_ms);
  out->earliest_ms = MAX (out->earliest_ms, last_ts);
  if (out->latest_ms != G_MAXINT64)
    out->latest_ms = MAX (out->latest_ms, out->full_at_ms + options->min_band_ms);
}

/* ---- Readings ----------------------------------------------------------- */

RlFillSample *
rl_forecast_samples_from_readings (JsonArray *readings,
                                   gsize     *n_samples)
{
  guint         len;
  RlFillSample *out;
  gsize         n = 0;

  g_return_val_if_fail (n_samples != NULL, NULL);

  len = readings ? json_array_get_length (readings) : 0;
  out = g_new (RlFillSample, MAX (len, 1));
  for (guint i = 0; i < len; i++)
    {
      JsonNode   *node = json_array_get_element (readings, i);
      JsonObject *o;
      JsonNode   *fill;
      const char *ts;
      gint64      ms;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      o = json_node_get_object (node);
      ts = json_object_get_string_member_with_default (o, "timestamp", NULL);
      fill = json_object_get_member (o, "fillLevel");
      if (ts == NULL || fill == NULL || !JSON_NODE_HOLDS_VALUE (fill))
        continue;
      if (json_node_get_value_type (fill) != G_TYPE_DOUBLE
          && json_node_get_value_type (fill) != G_TYPE_INT64)
        continue;
      if (!rl_time_parse_ms (ts, &ms))
        continue;
      out[n].ts_ms = ms;
      out[n].fill = json_node_get_double (fill);
      n++;
    }
  *n_samples = n;
  return out;
}
