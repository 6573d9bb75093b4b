/* rl-forecast-summary.c — a bin's compact fill summary and the forecast
 * made from it.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: folding readings in, byte form, pattern from hourly sums, forecast.
 * The method is docs/forecast.md ("From summaries").
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "rl-forecast-private.h"
#include "rl-forecast-summary.h"

#define SUMMARY_COLLECTION_DROP 20.0
#define NO_READING 0xffff
#define MIN_BUCKET_HOURS 1.5
#define SUMMARY_MAGIC 0x52424e31 /* "RBN1" */
#define HISTORY_MS (7 * 24 * HOUR_MS)

typedef struct
{
  guint32 magic;
  guint32 n_slots;
  gint64  last_ts_ms;
  double  last_fill;
  gint64  last_collection_ms;
} Header;

void
rl_bin_summary_init (RlBinSummary *summary)
{
  g_return_if_fail (summary != NULL);

  summary->last_ts_ms = 0;
  summary->last_fill = NAN;
  summary->last_collection_ms = 0;
  summary->n_slots = 0;
}

static gint32
hour_index (gint64 ts_ms)
{
  return (gint32) (ts_ms >= 0 ? ts_ms / HOUR_MS : -((-ts_ms + HOUR_MS - 1) / HOUR_MS));
}

/* The slot of @hour, created (in order) when missing. */
static RlBinSlot *
slot_for (RlBinSummary *s,
          gint32        hour)
{
  guint      i = s->n_slots;
  RlBinSlot *slot;

  while (i > 0 && s->slots[i - 1].hour > hour)
    i--;
  if (i > 0 && s->slots[i - 1].hour == hour)
    return &s->slots[i - 1];

  if (s->n_slots == RL_BIN_SUMMARY_SLOTS)
    {
      if (i == 0)
        return NULL; /* older than everything kept */
      memmove (&s->slots[0], &s->slots[1], sizeof (RlBinSlot) * (i - 1));
      s->n_slots--;
      i--;
    }
  memmove (&s->slots[i + 1], &s->slots[i], sizeof (RlBinSlot) * (s->n_slots - i));
  s->n_slots++;
  slot = &s->slots[i];
  memset (slot, 0, sizeof *slot);
  slot->hour = hour;
  slot->first_s = NO_READING;
  slot->fit_first_s = NO_READING;
  return slot;
}

/* Drops the hours that fell out of the last seven days. */
static void
trim (RlBinSummary *s,
      gint32        newest)
{
  guint k = 0;

  while (k < s->n_slots && s->slots[k].hour < newest - (RL_BIN_SUMMARY_SLOTS - 2))
    k++;
  if (k == 0)
    return;
  memmove (&s->slots[0], &s->slots[k], sizeof (RlBinSlot) * (s->n_slots - k));
  s->n_slots -= k;
}

gboolean
rl_bin_summary_add (RlBinSummary *s,
                    gint64        ts_ms,
                    double        fill)
{
  gint32     hour = hour_index (ts_ms);
  RlBinSlot *slot;
  guint16    into_s = (guint16) ((ts_ms - (gint64) hour * HOUR_MS) / 1000);

  g_return_val_if_fail (s != NULL, FALSE);

  if (!isfinite (fill) || (s->last_ts_ms != 0 && ts_ms <= s->last_ts_ms))
    return FALSE;

  trim (s, hour);
  if (s->last_ts_ms != 0)
    {
      gint64 dt = ts_ms - s->last_ts_ms;
      double df = fill - s->last_fill;

      if (df <= -SUMMARY_COLLECTION_DROP)
        {
          /* Emptied: the current fill starts again with this reading. */
          s->last_collection_ms = ts_ms;
          for (guint i = 0; i < s->n_slots; i++)
            {
              s->slots[i].n_fit = 0;
              s->slots[i].fit_t = s->slots[i].fit_f = 0;
              s->slots[i].fit_first_s = NO_READING;
            }
        }
      else if (dt <= MAX_PAIR_GAP_MS && fill < SATURATED_FILL && s->last_fill < SATURATED_FILL)
        {
          RlBinSlot *mid = slot_for (s, hour_index (s->last_ts_ms + dt / 2));
          double     h = (double) dt / HOUR_MS;

          if (mid != NULL && mid->n_pairs < G_MAXUINT16)
            {
              mid->n_pairs++;
              mid->sdf += df;
              mid->sdt += h;
              mid->sdf2 += df * df;
              mid->sdfdt += df * h;
              mid->sdt2 += h * h;
            }
        }
    }

  slot = slot_for (s, hour);
  if (slot->first_s == NO_READING)
    slot->first_s = into_s;
  if (slot->n_fit < G_MAXUINT16)
    {
      if (slot->n_fit == 0)
        slot->fit_first_s = into_s;
      slot->n_fit++;
      slot->fit_t += (float) ((double) into_s / 3600.0
                              + (double) ((ts_ms - (gint64) hour * HOUR_MS) % 1000) / HOUR_MS);
      slot->fit_f += (float) fill;
    }
  s->last_ts_ms = ts_ms;
  s->last_fill = fill;
  return TRUE;
}

/* ---- Byte form ---------------------------------------------------------- */

GBytes *
rl_bin_summary_to_bytes (const RlBinSummary *s)
{
  Header  h = { SUMMARY_MAGIC, s->n_slots, s->last_ts_ms, s->last_fill, s->last_collection_ms };
  gsize   size = sizeof h + sizeof (RlBinSlot) * s->n_slots;
  guint8 *data = g_malloc (size);

  memcpy (data, &h, sizeof h);
  memcpy (data + sizeof h, s->slots, sizeof (RlBinSlot) * s->n_slots);
  return g_bytes_new_take (data, size);
}

gboolean
rl_bin_summary_from_bytes (RlBinSummary *s,
                           const void   *data,
                           gsize         size)
{
  Header h;

  rl_bin_summary_init (s);
  if (data == NULL || size < sizeof h)
    return FALSE;
  memcpy (&h, data, sizeof h);
  if (h.magic != SUMMARY_MAGIC || h.n_slots > RL_BIN_SUMMARY_SLOTS
      || size != sizeof h + sizeof (RlBinSlot) * h.n_slots)
    return FALSE;
  s->last_ts_ms = h.last_ts_ms;
  s->last_fill = h.last_fill;
  s->last_collection_ms = h.last_collection_ms;
  s->n_slots = h.n_slots;
  memcpy (s->slots, (const guint8 *) data + sizeof h, sizeof (RlBinSlot) * h.n_slots);
  return TRUE;
}

/* ---- Pattern from hourly sums ------------------------------------------- */

typedef struct
{
  double n, sdf, sdt, sdf2, sdfdt, sdt2;
} Sums;

static guint
weekday_of (guint bucket)
{
  return bucket / 24;
}

static guint
hour_of (guint bucket)
{
  return bucket % 24;
}

/* As rl-forecast.c's group_factors, from per-bucket sums: the residual
 * Σ(df − k·w·dt)² expands into Σdf², Σdf·dt and Σdt², so it is exact. */
static void
group_factors (const Sums *b,
               guint       n_groups,
               guint (*group_of) (guint bucket),
               const double *weight,
               double        overall_rate,
               double       *factor,
               double       *variance,
               gboolean     *valid)
{
  double sdf[24] = { 0 }, sdt[24] = { 0 }, sq[24] = { 0 }, count[24] = { 0 };

  for (guint k = 0; k < WEEK_BUCKETS; k++)
    {
      guint  g = group_of (k);
      double w = weight ? weight[k] : 1.0;

      sdf[g] += b[k].sdf;
      sdt[g] += b[k].sdt * w;
      count[g] += b[k].n;
    }
  for (guint k = 0; k < WEEK_BUCKETS; k++)
    {
      guint  g = group_of (k);
      double w = weight ? weight[k] : 1.0;
      double rate = sdt[g] > 0 ? sdf[g] / sdt[g] : 0;

      sq[g] += b[k].sdf2 - 2 * rate * w * b[k].sdfdt + rate * rate * w * w * b[k].sdt2;
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
      variance[g] = MAX (sq[g], 0.0) / (count[g] - 1) * count[g] / (sdt[g] * sdt[g])
                    / (overall_rate * overall_rate);
    }
}

static void
learn_pattern (const RlBinSummary      *s,
               guint                    from_slot,
               gint64                   first_ms,
               const RlForecastOptions *options,
               double                  *out)
{
  Sums     b[WEEK_BUCKETS] = { 0 };
  double   n = 0, sdf = 0, sdt = 0, rate;
  double   day[7], day_var[7], hour[24], hour_var[24], day_w[WEEK_BUCKETS];
  gboolean day_valid[7], hour_valid[24];
  gint64   span = s->last_ts_ms - first_ms;

  for (guint k = 0; k < WEEK_BUCKETS; k++)
    out[k] = 1.0;
  if (span < 2 * 24 * HOUR_MS)
    return;

  for (guint i = from_slot; i < s->n_slots; i++)
    {
      const RlBinSlot *slot = &s->slots[i];
      guint            k = rl_forecast_hour_of_week ((gint64) slot->hour * HOUR_MS + HOUR_MS / 2,
                                                     options->utc_offset_s);

      b[k].n += slot->n_pairs;
      b[k].sdf += slot->sdf;
      b[k].sdt += slot->sdt;
      b[k].sdf2 += slot->sdf2;
      b[k].sdfdt += slot->sdfdt;
      b[k].sdt2 += slot->sdt2;
      n += slot->n_pairs;
      sdf += slot->sdf;
      sdt += slot->sdt;
    }
  if (n < 4 || sdt <= 0)
    return;
  rate = sdf / sdt;
  if (rate <= 1e-9)
    return;

  if (span >= (gint64) (6.5 * 24 * HOUR_MS))
    {
      group_factors (b, 7, weekday_of, NULL, rate, day, day_var, day_valid);
      rl_forecast_shrink_factors (day, day_var, day_valid, 7);
    }
  else
    for (guint d = 0; d < 7; d++)
      day[d] = 1.0;

  for (guint k = 0; k < WEEK_BUCKETS; k++)
    day_w[k] = day[k / 24];
  group_factors (b, 24, hour_of, day_w, rate, hour, hour_var, hour_valid);
  rl_forecast_shrink_factors (hour, hour_var, hour_valid, 24);

  for (guint k = 0; k < WEEK_BUCKETS; k++)
    out[k] = day[k / 24] * hour[k % 24];
}

/* ---- Forecast ----------------------------------------------------------- */

static gint64
slot_time (const RlBinSlot *slot,
           guint16          into_s)
{
  return (gint64) slot->hour * HOUR_MS + (gint64) into_s * 1000;
}

void
rl_forecast_compute_summary (const RlBinSummary      *s,
                             gint64                   now_ms,
                             const RlForecastOptions *options,
                             RlForecast              *out)
{
  RlForecastOptions defaults;
  double            m[WEEK_BUCKETS], t[RL_BIN_SUMMARY_SLOTS], f[RL_BIN_SUMMARY_SLOTS];
  double            tau[RL_BIN_SUMMARY_SLOTS];
  double            work[RL_BIN_SUMMARY_SLOTS * (RL_BIN_SUMMARY_SLOTS - 1) / 2];
  double            slope, intercept, sigma, mean_tau = 0, sxx = 0, se_rate, se_level;
  double            tau_last;
  gint64            window_start = now_ms - HISTORY_MS, first_ms = G_MAXINT64;
  gint64            seg_first = G_MAXINT64, fit_first = G_MAXINT64;
  guint             from_slot = 0, n_points = 0, n_readings = 0, fit_readings = 0;
  gsize             n_slopes = 0;

  g_return_if_fail (s != NULL && out != NULL);
  if (options == NULL)
    {
      rl_forecast_options_init (&defaults);
      options = &defaults;
    }
  rl_forecast_reset (out);

  /* The last seven days, as the raw forecast reads them. */
  if (s->last_ts_ms == 0 || s->last_ts_ms < window_start)
    return;
  while (from_slot < s->n_slots
         && (gint64) (s->slots[from_slot].hour + 1) * HOUR_MS <= window_start)
    from_slot++;

  out->last_ts_ms = s->last_ts_ms;
  out->last_fill = s->last_fill;
  if (s->last_fill >= options->threshold)
    {
      out->status = RL_FORECAST_NOW;
      out->full_at_ms = out->earliest_ms = out->latest_ms = s->last_ts_ms;
      out->level = s->last_fill;
      return;
    }
  if (s->last_collection_ms >= window_start)
    out->last_collection_ms = s->last_collection_ms;

  /* Fit points: the hourly means of the current fill, of the last
   * fit_window (whole hours whose mean lies in it), else all of them. */
  for (guint pass = 0; pass < 2 && n_points == 0; pass++)
    {
      n_readings = 0;
      fit_first = G_MAXINT64;
      for (guint i = from_slot; i < s->n_slots; i++)
        {
          const RlBinSlot *slot = &s->slots[i];
          double           mean_t;

          if (slot->n_fit == 0)
            continue;
          mean_t = (double) slot->hour * HOUR_MS + slot->fit_t / slot->n_fit * HOUR_MS;
          if (pass == 0 && mean_t < (double) (s->last_ts_ms - options->fit_window_ms))
            continue;
          t[n_points] = mean_t;
          f[n_points] = slot->fit_f / slot->n_fit;
          n_points++;
          n_readings += slot->n_fit;
          fit_first = MIN (fit_first, slot_time (slot, slot->fit_first_s));
        }
      if (pass == 0
          && (n_readings < options->min_samples
              || s->last_ts_ms - fit_first < options->min_span_ms))
        n_points = 0;
    }
  fit_readings = n_readings;
  seg_first = fit_first;
  if (n_points < 2 || fit_readings < MAX (options->min_samples, 2)
      || s->last_ts_ms - seg_first < options->min_span_ms)
    return;

  for (guint i = from_slot; i < s->n_slots; i++)
    if (s->slots[i].first_s != NO_READING)
      {
        first_ms = slot_time (&s->slots[i], s->slots[i].first_s);
        break;
      }
  if (options->use_pattern)
    learn_pattern (s, from_slot, MAX (first_ms, window_start), options, m);
  else
    for (guint k = 0; k < WEEK_BUCKETS; k++)
      m[k] = 1.0;
  for (guint k = 0; k < WEEK_BUCKETS; k++)
    if (fabs (m[k] - 1.0) > 1e-3)
      out->pattern_used = TRUE;

  tau[0] = 0;
  for (guint i = 1; i < n_points; i++)
    tau[i] = tau[i - 1]
             + rl_forecast_effective_hours ((gint64) t[i - 1], (gint64) t[i], m,
                                            options->utc_offset_s);
  tau_last = tau[n_points - 1]
             + rl_forecast_effective_hours ((gint64) t[n_points - 1], s->last_ts_ms, m,
                                            options->utc_offset_s);

  /* Theil–Sen over the hourly means. */
  for (guint i = 0; i < n_points; i++)
    for (guint j = i + 1; j < n_points; j++)
      if (tau[j] - tau[i] > 1e-9)
        work[n_slopes++] = (f[j] - f[i]) / (tau[j] - tau[i]);
  if (n_slopes == 0)
    return;
  slope = rl_forecast_median_in_place (work, n_slopes);

  for (guint i = 0; i < n_points; i++)
    work[i] = f[i] - slope * tau[i];
  intercept = rl_forecast_median_in_place (work, n_points);

  for (guint i = 0; i < n_points; i++)
    work[i] = fabs (f[i] - (intercept + slope * tau[i]));
  sigma = 1.4826 * rl_forecast_median_in_place (work, n_points);

  for (guint i = 0; i < n_points; i++)
    mean_tau += tau[i];
  mean_tau /= n_points;
  for (guint i = 0; i < n_points; i++)
    sxx += (tau[i] - mean_tau) * (tau[i] - mean_tau);
  se_rate = sxx > 0 ? sigma / sqrt (sxx) : 0;
  se_level = sxx > 0 ? sigma
                           * sqrt (1.0 / n_points
                                   + (tau_last - mean_tau) * (tau_last - mean_tau) / sxx)
                     : sigma;

  out->samples_used = fit_readings;
  out->rate_per_hour = slope;
  out->level = intercept + slope * tau_last;
  out->residual_sd = sigma;
  rl_forecast_finish (out, slope, se_rate, se_level, s->last_ts_ms, now_ms, m, options);
}
