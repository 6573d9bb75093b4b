/* rl-forecast.h — "full at" forecast of a bin from its fill history.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The method (collections, robust rate, weekday × hour-of-day pattern,
 * confidence band) is written down in docs/forecast.md.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "rl-core-enums.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 ts_ms;
  double fill; /* percent; NAN samples are ignored */
} RlFillSample;

typedef enum
{
  RL_FORECAST_INSUFFICIENT_DATA, /* too few points, too short, or no filling trend */
  RL_FORECAST_NOW,               /* the last reading is already at/above the threshold */
  RL_FORECAST_PREDICTED,         /* full_at_ms is within the horizon */
  RL_FORECAST_BEYOND_HORIZON,    /* filling, but not full within the horizon */
} RlForecastStatus;

typedef struct
{
  double   threshold;       /* percent, default 85 */
  gint64   horizon_ms;      /* how far past now to look, default 7 days */
  gint64   fit_window_ms;   /* rate fitted on the last … since the collection, default 48 h */
  double   collection_drop; /* a fall of at least this many points is a collection, default 20 */
  guint    min_samples;     /* default 3 */
  gint64   min_span_ms;     /* default 1 h */
  double   band_z;          /* width of the band in standard errors, default 2 */
  gint64   min_band_ms;     /* each side of the band is at least this, default 10 min */
  int      utc_offset_s;    /* local offset for weekday/hour buckets, default 0 */
  gboolean use_pattern;     /* learn the weekday × hour pattern, default TRUE */
} RlForecastOptions;

typedef struct
{
  RlForecastStatus status;
  gint64           full_at_ms;         /* PREDICTED and NOW (NOW: the last reading's time) */
  gint64           earliest_ms;        /* PREDICTED: band; NOW: = full_at_ms */
  gint64           latest_ms;          /* PREDICTED: band; G_MAXINT64 when past the horizon */
  double           rate_per_hour;      /* fitted base rate, percent per (pattern-weighted) hour */
  double           level;              /* fitted fill at the last reading */
  double           residual_sd;        /* robust spread of the fit's residuals, percent */
  gint64           last_ts_ms;         /* time of the last usable reading (0: none) */
  double           last_fill;          /* its fill (NAN: none) */
  gint64           last_collection_ms; /* 0 when none found */
  guint            samples_used;       /* readings in the fit */
  gboolean         pattern_used;       /* a weekday/hour multiplier other than 1 was applied */
} RlForecast;

void rl_forecast_options_init (RlForecastOptions *options);

/* @samples need not be sorted. @options NULL: defaults. Always fills @out. */
void rl_forecast_compute (const RlFillSample      *samples,
                          gsize                    n_samples,
                          gint64                   now_ms,
                          const RlForecastOptions *options,
                          RlForecast              *out);

/* The contract's reading shape [{timestamp, fillLevel, …}] to samples
 * (entries without a time or a fill are skipped). Free with g_free. */
RlFillSample *rl_forecast_samples_from_readings (JsonArray *readings,
                                                 gsize     *n_samples);

const char *rl_forecast_status_to_string (RlForecastStatus status);

/* The multiplier learnt for the local hour-of-week bucket (0 = Monday 00:00)
 * from @samples; 1.0 everywhere when no pattern is found. @out has 168 slots. */
void rl_forecast_learn_pattern (const RlFillSample      *samples,
                                gsize                    n_samples,
                                const RlForecastOptions *options,
                                double                  *out);

G_END_DECLS
