/* rl-forecast-summary.h — a bin's compact fill summary and the forecast
 * made from it (docs/forecast.md "From summaries").
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-forecast.h"

G_BEGIN_DECLS

/* Seven days of hours, plus the hour being filled. */
#define RL_BIN_SUMMARY_SLOTS 170
/* Readings of the current fill kept for the fit (48 h of 15-minute
 * readings is 193); denser feeds are thinned. */
#define RL_BIN_SUMMARY_FIT 400

/* One local hour of a bin (the summary's utc_offset_s): the pairs of
 * consecutive readings whose midpoint falls
 * in it, summed for the weekday × hour pattern. */
typedef struct
{
  gint32  hour;    /* local hours since the epoch */
  guint16 first_s; /* first reading, seconds into the hour (0xffff: none) */
  guint16 n_pairs;
  float   sdf, sdt, sdf2, sdfdt, sdt2; /* Σdf, Σdt (h), Σdf², Σdf·dt, Σdt² */
} RlBinSlot;

typedef struct
{
  gint64 last_ts_ms; /* 0: no reading yet */
  double last_fill;
  gint64 last_collection_ms; /* 0: none seen */
  int    utc_offset_s;       /* the hours are local hours of this offset */
  guint  n_slots;            /* sorted by hour */
  /* The current fill's readings of the last 48 h: [fit_start, fit_end),
   * oldest first. */
  guint     fit_start, fit_end;
  gint64    fit_ts_ms[RL_BIN_SUMMARY_FIT];
  float     fit_fill[RL_BIN_SUMMARY_FIT];
  RlBinSlot slots[RL_BIN_SUMMARY_SLOTS];
} RlBinSummary;

/* Hours are local hours @utc_offset_s east of UTC: the forecast's
 * weekday × hour pattern is exact for the same offset (docs/forecast.md). */
void rl_bin_summary_init (RlBinSummary *summary,
                          int           utc_offset_s);
/* Folds one reading in. Readings must come in time order: one not after the
 * last folded is ignored (returns FALSE). NAN fills are ignored. */
gboolean rl_bin_summary_add (RlBinSummary *summary,
                             gint64        ts_ms,
                             double        fill);

/* A compact byte form for the cache (only the used slots); NULL on a
 * malformed blob. */
GBytes  *rl_bin_summary_to_bytes (const RlBinSummary *summary);
gboolean rl_bin_summary_from_bytes (RlBinSummary *summary,
                                    const void   *data,
                                    gsize         size);

/* The forecast at @now_ms from the summary (docs/forecast.md). */
void rl_forecast_compute_summary (const RlBinSummary      *summary,
                                  gint64                   now_ms,
                                  const RlForecastOptions *options,
                                  RlForecast              *out);

G_END_DECLS
