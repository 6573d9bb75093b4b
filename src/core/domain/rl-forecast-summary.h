/* rl-forecast-summary.h — a bin's compact fill summary and the forecast
 * made from it (docs/forecast.md "From summaries").
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-forecast.h"

G_BEGIN_DECLS

/* Seven days of hours, plus the hour being filled. */
#define RL_BIN_SUMMARY_SLOTS 170

/* One UTC hour of a bin: the consecutive-reading pairs whose midpoint falls
 * in it (for the weekday × hour pattern) and the mean of the readings of the
 * current fill (since the last collection) taken in it (for the fit). */
typedef struct
{
  gint32  hour;        /* UTC hours since the epoch */
  guint16 first_s;     /* first reading, seconds into the hour (0xffff: none) */
  guint16 fit_first_s; /* first reading of the current fill in the hour */
  guint16 n_pairs;
  guint16 n_fit;
  float   sdf, sdt, sdf2, sdfdt, sdt2; /* pairs: Σdf, Σdt (h), Σdf², Σdf·dt, Σdt² */
  float   fit_t, fit_f;                /* Σ hours into the hour, Σ fill */
} RlBinSlot;

typedef struct
{
  gint64    last_ts_ms; /* 0: no reading yet */
  double    last_fill;
  gint64    last_collection_ms; /* 0: none seen */
  guint     n_slots;            /* sorted by hour */
  RlBinSlot slots[RL_BIN_SUMMARY_SLOTS];
} RlBinSummary;

void rl_bin_summary_init (RlBinSummary *summary);
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
