/* rl-dispatch.h — the dispatch list: points predicted full within a window.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rl-forecast.h"
#include "rl-store-async.h"
#include "rl-store-forecasts.h"
#include "rl-store.h"

G_BEGIN_DECLS

typedef enum
{
  RL_DISPATCH_TODAY,    /* until local midnight (points already full included) */
  RL_DISPATCH_TOMORROW, /* local tomorrow 00:00 … 24:00 */
  RL_DISPATCH_HOURS,    /* now … now + N hours (points already full included) */
} RlDispatchWindow;

typedef struct
{
  char      *id;
  char      *name;
  char      *address;
  char      *status;
  char      *device_id;
  double     fill_level; /* NAN: no reading */
  double     latitude;
  double     longitude;
  RlForecast forecast;
} RlDispatchRow;

void rl_dispatch_row_free (RlDispatchRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlDispatchRow, rl_dispatch_row_free)

/* [*from_ms, *to_ms) of a window at @now_ms in a zone @utc_offset_s east of
 * UTC. For TODAY and HOURS *from_ms is G_MININT64: a point predicted full in
 * the past (or full now) belongs there. @hours is used by HOURS only. */
void rl_dispatch_window_range (RlDispatchWindow window,
                               guint            hours,
                               gint64           now_ms,
                               int              utc_offset_s,
                               gint64          *from_ms,
                               gint64          *to_ms);

/* Does @forecast fall in [from, to)? NOW and PREDICTED use full_at_ms. */
gboolean rl_dispatch_forecast_in_range (const RlForecast *forecast,
                                        gint64            from_ms,
                                        gint64            to_ms);

/* The forecast of one device from the cache's last 7 days of readings,
 * made from their summary (as the dispatch list's). */
void rl_dispatch_forecast_device (RlStore                 *store,
                                  const char              *device_id,
                                  gint64                   now_ms,
                                  const RlForecastOptions *options,
                                  RlForecast              *out);

/* Brings every bin's stored summary and forecast up to date at @now_ms
 * (docs/forecast.md "From summaries"): bins without state are built from
 * their readings (the whole fleet in one pass when the cache has none),
 * bins with newer readings fold them in, forecasts older than an hour are
 * made again from their summaries; other @options than last time rebuild
 * every bin from its readings. One transaction (but for the clearing). */
gboolean rl_dispatch_state_update (RlStore                 *store,
                                   gint64                   now_ms,
                                   const RlForecastOptions *options,
                                   GCancellable            *cancellable,
                                   GError                 **error);
void     rl_dispatch_forecast_to_store (const RlForecast *forecast,
                                        gint64            computed_ms,
                                        RlStoreForecast  *out);
void     rl_dispatch_forecast_from_store (const RlStoreForecast *stored,
                                          RlForecast            *out);

/* Every cached drop point with a bin, not retired, whose forecast falls in
 * [@from_ms, @to_ms), sorted by predicted time (then name, id): the stored
 * state brought up to date (rl_dispatch_state_update), then one query
 * sorted in SQL. Element type
 * RlDispatchRow, free func set. @cancellable (may be NULL) is checked
 * between points: G_IO_ERROR_CANCELLED. */
GPtrArray *rl_dispatch_build (RlStore                 *store,
                              gint64                   now_ms,
                              gint64                   from_ms,
                              gint64                   to_ms,
                              const RlForecastOptions *options,
                              GCancellable            *cancellable,
                              GError                 **error);

/* rl_dispatch_build() in a worker thread on its own connection to @store's
 * file (rl-store-async.h); @options is copied. Cancelled:
 * G_IO_ERROR_CANCELLED. Returns the rows as rl_dispatch_build() does. */
void       rl_dispatch_build_async (RlStore                 *store,
                                    gint64                   now_ms,
                                    gint64                   from_ms,
                                    gint64                   to_ms,
                                    const RlForecastOptions *options,
                                    GCancellable            *cancellable,
                                    GAsyncReadyCallback      callback,
                                    gpointer                 user_data);
GPtrArray *rl_dispatch_build_finish (RlStore      *store,
                                     GAsyncResult *result,
                                     GError      **error);

/* RFC 4180 CSV, UTF-8, CRLF, header row
 * id,name,address,fill,predicted_full_at,earliest,latest,status
 * (times RFC 3339 UTC; empty when unknown or open-ended). */
char *rl_dispatch_to_csv (GPtrArray *rows);
/* One CSV field, quoted when it holds a comma, a quote, CR or LF, or starts
 * or ends with a space. Appended to @out. */
void rl_dispatch_csv_append_field (GString    *out,
                                   const char *field);

G_END_DECLS
