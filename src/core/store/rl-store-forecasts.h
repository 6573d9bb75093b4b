/* rl-store-forecasts.h — per-bin summaries and stored forecasts in the cache
 * (docs/storage.md "Bin summaries and forecasts", docs/forecast.md).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-store.h"

G_BEGIN_DECLS

/* A stored forecast: status is RlForecastStatus's value (rl-forecast.h). */
typedef struct
{
  int    status;
  gint64 full_at_ms;
  gint64 earliest_ms;
  gint64 latest_ms;
  double rate_per_hour;
  double level;
  gint64 last_ts_ms;
  double last_fill;
  gint64 computed_ms;
} RlStoreForecast;

/* Return FALSE to stop. */
typedef gboolean (*RlStoreReadingFunc) (const char *device_id,
                                        gint64      ts_ms,
                                        double      fill_level,
                                        gpointer    user_data);

/* Fill readings with a fill level, @from_ms < ts ≤ @to_ms, of @device_id
 * (NULL: every device, one statement, ordered by device then time). */
gboolean rl_store_foreach_fill_reading (RlStore           *self,
                                        const char        *device_id,
                                        gint64             from_ms,
                                        gint64             to_ms,
                                        RlStoreReadingFunc func,
                                        gpointer           user_data,
                                        GError           **error);

/* The bins whose state must be (re)built: drop points with a device, not
 * retired, without a summary, with readings newer than it, or whose
 * forecast was computed outside [@computed_from_ms, @computed_to_ms].
 * Devices (strings), with the summary's through time (0: none) appended to
 * @through (gint64 each). */
GPtrArray *rl_store_list_stale_bins (RlStore *self,
                                     gint64   computed_from_ms,
                                     gint64   computed_to_ms,
                                     GArray  *through,
                                     GError **error);
gint64     rl_store_count_bin_summaries (RlStore *self,
                                         GError **error);

/* The stored summary of @device_id (NULL and no error when none). */
GBytes *rl_store_get_bin_summary (RlStore    *self,
                                  const char *device_id,
                                  gint64     *through_ms,
                                  GError    **error);
/* Writes a bin's summary (through the reading at @through_ms) and forecast. */
gboolean rl_store_put_bin_state (RlStore               *self,
                                 const char            *device_id,
                                 gint64                 through_ms,
                                 GBytes                *summary,
                                 const RlStoreForecast *forecast,
                                 GError               **error);
/* Forgets every summary and forecast (they are rebuilt from the readings),
 * or one device's (@device_id not NULL: its history was imported). */
gboolean rl_store_clear_bin_states (RlStore    *self,
                                    const char *device_id,
                                    GError    **error);

/* Drop points (with a device, not retired) whose stored forecast is NOW or
 * PREDICTED with full_at in [@from_ms, @to_ms), sorted in SQL by full_at,
 * name, id. */
typedef gboolean (*RlStoreDispatchFunc) (const RlStoreDropPoint *drop_point,
                                         const RlStoreForecast  *forecast,
                                         gpointer                user_data);
gboolean rl_store_foreach_dispatch (RlStore            *self,
                                    gint64              from_ms,
                                    gint64              to_ms,
                                    RlStoreDispatchFunc func,
                                    gpointer            user_data,
                                    GError            **error);

G_END_DECLS
