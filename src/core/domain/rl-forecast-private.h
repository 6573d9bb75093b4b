/* rl-forecast-private.h — the forecast's pieces shared by the raw-series
 * path (rl-forecast.c) and the summary path (rl-forecast-summary.c).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-forecast.h"

G_BEGIN_DECLS

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)
#define WEEK_BUCKETS 168
#define MAX_PAIR_GAP_MS (3 * HOUR_MS)
#define SATURATED_FILL 99.0

guint  rl_forecast_hour_of_week (gint64 ts_ms,
                                 int    utc_offset_s);
double rl_forecast_median_in_place (double *values,
                                    gsize   n);
void   rl_forecast_shrink_factors (double         *factor,
                                   const double   *variance,
                                   const gboolean *valid,
                                   guint           n);
double rl_forecast_effective_hours (gint64        t0,
                                    gint64        t1,
                                    const double *m,
                                    int           utc_offset_s);
gint64 rl_forecast_crossing_time (double        level,
                                  double        rate,
                                  gint64        t0,
                                  gint64        limit_ms,
                                  double        threshold,
                                  const double *m,
                                  int           utc_offset_s);
void   rl_forecast_reset (RlForecast *out);
/* Steps 6–8 over the fitted samples @s (sorted by time, the last is the
 * last reading; thinned in place) with the pattern @m (168 multipliers);
 * out's last reading and pattern flag are already set. */
void rl_forecast_fit (RlFillSample            *s,
                      gsize                    n_fit,
                      const double            *m,
                      gint64                   now_ms,
                      const RlForecastOptions *options,
                      RlForecast              *out);
/* Steps 7–8: crossing and band, once out->level is set. */
void rl_forecast_finish (RlForecast              *out,
                         double                   slope,
                         double                   se_rate,
                         double                   se_level,
                         gint64                   last_ts,
                         gint64                   now_ms,
                         const double            *m,
                         const RlForecastOptions *options);

/* An hour-of-week bucket (rl_forecast_hour_of_week) split into its
 * weekday (0–6) and hour (0–23): the pattern's two groupings. */
guint rl_forecast_weekday_of (guint bucket);
guint rl_forecast_hour_of (guint bucket);

G_END_DECLS
