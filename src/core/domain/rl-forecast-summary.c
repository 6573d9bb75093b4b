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
#define FIT_KEEP_MS (48 * HOUR_MS)
#define FIT_MIN_KEEP 3

typedef struct
{
  guint32 magic;
  guint32 n_slots;
  gint64  last_ts_ms;
  double  last_fill;
  gint64  last_collection_ms;
  guint32 n_fit;
  gint32  utc_offset_s;
} Header;

void
rl_bin_summary_init (RlBinSummary *summary,
                     int           utc_offset_s)
{
  g_return_if_fail (summary != NULL);

  summary->utc_offset_s = utc_offset_s;
  summary->last_ts_ms = 0;
  summary->last_fill = NAN;
  summary->last_collection_ms = 0;
  summary->n_slots = 0;
  summary->fit_start = summary->fit_end = 0;
}

/* The local hour of @ts_ms, and back. */
static gint32
hour_index (const RlBinSummary *s,
            gint64              ts_ms)
{
  gint64 local = ts_ms + (gint64) s->utc_offset_s * 1000;

  return (gint32) (local >= 0 ? local / HOUR_MS : -((-local + HOUR_MS - 1) / HOUR_MS));
}

static gint64
hour_start (const RlBinSummary *s,
            gint32              hour)
{
  return (gint64) hour * HOUR_MS - (gint64) s->utc_offset_s * 1000;
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

/* Appends to the current fill's readings; drops those older than 48 h
 * (keeping a few, and an hour, for a bin that went quiet) and, when the
 * buffer is full of a dense feed, every other one. */
static void
add_fit_sample (RlBinSummary *s,
                gint64        ts_ms,
                double        fill)
{
  while (s->fit_end - s->fit_start > FIT_MIN_KEEP
         && s->fit_ts_ms[s->fit_start] < ts_ms - FIT_KEEP_MS
         && ts_ms - s->fit_ts_ms[s->fit_start + 1] >= HOUR_MS)
    s->fit_start++;
  if (s->fit_end == RL_BIN_SUMMARY_FIT)
    {
      guint n = s->fit_end - s->fit_start, k = 0;

      if (s->fit_start == 0)
        {
          /* Thin: keep every other reading, counted from the newest. */
          for (guint i = (n - 1) % 2; i < n; i += 2, k++)
            {
              s->fit_ts_ms[k] = s->fit_ts_ms[i];
              s->fit_fill[k] = s->fit_fill[i];
            }
        }
      else
        {
          memmove (s->fit_ts_ms, s->fit_ts_ms + s->fit_start, n * sizeof (gint64));
          memmove (s->fit_fill, s->fit_fill + s->fit_start, n * sizeof (float));
          k = n;
        }
      s->fit_start = 0;
      s->fit_end = k;
    }
  s->fit_ts_ms[s->fit_end] = ts_ms;
  s->fit_fill[s->fit_end] = (float) fill;
  s->fit_end++;
}

gboolean
rl_bin_summary_add (RlBinSummary *s,
                    gint64        ts_ms,
                    double        fill)
{
  gint32     hour = hour_index (s, ts_ms);
  RlBinSlot *slot;
  guint16    into_s = (guint16) ((ts_ms - hour_start (s, hour)) / 1000);

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
          s->fit_start = s->fit_end = 0;
        }
      else if (dt <= MAX_PAIR_GAP_MS && fill < SATURATED_FILL && s->last_fill < SATURATED_FILL)
        {
          RlBinSlot *mid = slot_for (s, hour_index (s, s->last_ts_ms + dt / 2));
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
  if (slot != NULL && slot->first_s == NO_READING)
    slot->first_s = into_s;
  add_fit_sample (s, ts_ms, fill);
  s->last_ts_ms = ts_ms;
  s->last_fill = fill;
  return TRUE;
}

/* ---- Byte form ---------------------------------------------------------- */

GBytes *
rl_bin_summary_to_bytes (const RlBinSummary *s)
{
  guint   n_fit = s->fit_end - s->fit_start;
  Header  h = { SUMMARY_MAGIC, s->n_slots, s->last_ts_ms, s->last_fill,
                s->last_collection_ms, n_fit, 0 };
  gsize   slots_size = sizeof (RlBinSlot) * s->n_slots;
  gsize   size = sizeof h + slots_size + n_fit * (sizeof (gint64) + sizeof (float));
  guint8 *data = g_malloc (size), *p = data;

  memcpy (p, &h, sizeof h);
  p += sizeof h;
  memcpy (p, s->slots, slots_size);
  p += slots_size;
  memcpy (p, s->fit_ts_ms + s->fit_start, n_fit * sizeof (gint64));
  p += n_fit * sizeof (gint64);
  memcpy (p, s->fit_fill + s->fit_start, n_fit * sizeof (float));
  return g_bytes_new_take (data, size);
}

gboolean
rl_bin_summary_from_bytes (RlBinSummary *s,
                           const void   *data,
                           gsize         size)
{
  Header        h;
  const guint8 *p = data;

  rl_bin_summary_init (s, 0);
  if (data == NULL || size < sizeof h)
    return FALSE;
  memcpy (&h, data, sizeof h);
  if (h.magic != SUMMARY_MAGIC || h.n_slots > RL_BIN_SUMMARY_SLOTS
      || h.n_fit > RL_BIN_SUMMARY_FIT
      || size
             != sizeof h + sizeof (RlBinSlot) * h.n_slots
                    + h.n_fit * (sizeof (gint64) + sizeof (float)))
    return FALSE;
  s->utc_offset_s = h.utc_offset_s;
  s->last_ts_ms = h.last_ts_ms;
  s->last_fill = h.last_fill;
  s->last_collection_ms = h.last_collection_ms;
  s->n_slots = h.n_slots;
  p += sizeof h;
  memcpy (s->slots, p, sizeof (RlBinSlot) * h.n_slots);
  p += sizeof (RlBinSlot) * h.n_slots;
  memcpy (s->fit_ts_ms, p, h.n_fit * sizeof (gint64));
  p += h.n_fit * sizeof (gint64);
  memcpy (s->fit_fill, p, h.n_fit * sizeof (float));
  s->fit_end = h.n_fit;
  return TRUE;
}

/* ---- Pattern from hourly sums ------------------------------------------- */

typedef struct
{
  double n, sdf, sdt, sdf2, sdfdt, sdt2;
} Sums;

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
      guint            k = rl_forecast_hour_of_week (hour_start (s, slot->hour) + HOUR_MS / 2,
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
      group_factors (b, 7, rl_forecast_weekday_of, NULL, rate, day, day_var, day_valid);
      rl_forecast_shrink_factors (day, day_var, day_valid, 7);
    }
  else
    for (guint d = 0; d < 7; d++)
      day[d] = 1.0;

  for (guint k = 0; k < WEEK_BUCKETS; k++)
    day_w[k] = day[k / 24];
  group_factors (b, 24, rl_forecast_hour_of, day_w, rate, hour, hour_var, hour_valid);
  rl_forecast_shrink_factors (hour, hour_var, hour_valid, 24);

  for (guint k = 0; k < WEEK_BUCKETS; k++)
    out[k] = day[k / 24] * hour[k % 24];
}

/* ---- Forecast ----------------------------------------------------------- */

void
rl_forecast_compute_summary (const RlBinSummary      *s,
                             gint64                   now_ms,
                             const RlForecastOptions *options,
                             RlForecast              *out)
{
  RlForecastOptions        defaults;
  g_autofree RlFillSample *fit = NULL;
  double                   m[WEEK_BUCKETS];
  gint64                   window_start = now_ms - HISTORY_MS, first_ms = G_MAXINT64;
  guint                    from_slot = 0, first, n_fit, start;

  g_return_if_fail (s != NULL && out != NULL);
  if (options == NULL)
    {
      rl_forecast_options_init (&defaults);
      options = &defaults;
    }
  rl_forecast_reset (out);

  /* The last seven days, as the raw forecast reads them. */
  if (s->last_ts_ms == 0 || s->last_ts_ms < window_start || s->fit_end == s->fit_start)
    return;
  while (from_slot < s->n_slots
         && hour_start (s, s->slots[from_slot].hour + 1) <= window_start)
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

  /* Step 3 over the kept readings of the current fill (within the week). */
  start = s->fit_start;
  while (start < s->fit_end && s->fit_ts_ms[start] < window_start)
    start++;
  first = start;
  while (first < s->fit_end && s->fit_ts_ms[first] < s->last_ts_ms - options->fit_window_ms)
    first++;
  if (s->fit_end - first < options->min_samples
      || s->last_ts_ms - s->fit_ts_ms[first] < options->min_span_ms)
    first = start;
  n_fit = s->fit_end - first;
  if (n_fit < MAX (options->min_samples, 2)
      || s->last_ts_ms - s->fit_ts_ms[first] < options->min_span_ms)
    return;

  for (guint i = from_slot; i < s->n_slots; i++)
    if (s->slots[i].first_s != NO_READING)
      {
        first_ms = hour_start (s, s->slots[i].hour) + (gint64) s->slots[i].first_s * 1000;
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

  fit = g_new (RlFillSample, n_fit);
  for (guint i = 0; i < n_fit; i++)
    {
      fit[i].ts_ms = s->fit_ts_ms[first + i];
      fit[i].fill = s->fit_fill[first + i];
    }
  rl_forecast_fit (fit, n_fit, m, now_ms, options, out);
}
