/* rl-dispatch.c — the dispatch list: points predicted full within a window.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: rows, windows, per-device forecast, build, CSV.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "rl-dispatch.h"
#include "rl-forecast-summary.h"
#include "rl-time.h"

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)
#define DAY_MS (24 * HOUR_MS)
#define HISTORY_MS (7 * DAY_MS)

void
rl_dispatch_row_free (RlDispatchRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->name);
  g_free (row->address);
  g_free (row->status);
  g_free (row->device_id);
  g_free (row);
}

void
rl_dispatch_window_range (RlDispatchWindow window,
                          guint            hours,
                          gint64           now_ms,
                          int              utc_offset_s,
                          gint64          *from_ms,
                          gint64          *to_ms)
{
  gint64 offset_ms = (gint64) utc_offset_s * 1000;
  gint64 local = now_ms + offset_ms;
  gint64 day_start = (local >= 0 ? local / DAY_MS : -((-local + DAY_MS - 1) / DAY_MS)) * DAY_MS
                     - offset_ms;

  g_return_if_fail (from_ms != NULL && to_ms != NULL);

  switch (window)
    {
    case RL_DISPATCH_TOMORROW:
      *from_ms = day_start + DAY_MS;
      *to_ms = day_start + 2 * DAY_MS;
      break;
    case RL_DISPATCH_HOURS:
      *from_ms = G_MININT64;
      *to_ms = now_ms + (gint64) hours * HOUR_MS;
      break;
    case RL_DISPATCH_TODAY:
    default:
      *from_ms = G_MININT64;
      *to_ms = day_start + DAY_MS;
      break;
    }
}

gboolean
rl_dispatch_forecast_in_range (const RlForecast *forecast,
                               gint64            from_ms,
                               gint64            to_ms)
{
  g_return_val_if_fail (forecast != NULL, FALSE);

  if (forecast->status != RL_FORECAST_NOW && forecast->status != RL_FORECAST_PREDICTED)
    return FALSE;
  return forecast->full_at_ms >= from_ms && forecast->full_at_ms < to_ms;
}

static gboolean
fold_reading (const char *device_id,
              gint64      ts_ms,
              double      fill,
              gpointer    user_data)
{
  rl_bin_summary_add (user_data, ts_ms, fill);
  return TRUE;
}

void
rl_dispatch_forecast_device (RlStore                 *store,
                             const char              *device_id,
                             gint64                   now_ms,
                             const RlForecastOptions *options,
                             RlForecast              *out)
{
  g_autoptr (GError) error = NULL;
  g_autofree RlBinSummary *summary = g_new (RlBinSummary, 1);

  g_return_if_fail (RL_IS_STORE (store));
  g_return_if_fail (out != NULL);

  rl_bin_summary_init (summary, options ? options->utc_offset_s : 0);
  if (!rl_store_foreach_fill_reading (store, device_id, now_ms - HISTORY_MS - 1, now_ms,
                                      fold_reading, summary, &error))
    g_debug ("No readings for %s: %s", device_id, error->message);
  rl_forecast_compute_summary (summary, now_ms, options, out);
}

static gboolean
add_row (const RlStoreDropPoint *dp,
         const RlStoreForecast  *stored,
         gpointer                user_data)
{
  GPtrArray     *rows = user_data;
  RlDispatchRow *row = g_new0 (RlDispatchRow, 1);

  row->id = g_strdup (dp->id);
  row->name = g_strdup (dp->name);
  row->address = g_strdup (dp->address);
  row->status = g_strdup (dp->status);
  row->device_id = g_strdup (dp->device_id);
  row->fill_level = dp->fill_level;
  row->latitude = dp->latitude;
  row->longitude = dp->longitude;
  rl_dispatch_forecast_from_store (stored, &row->forecast);
  g_ptr_array_add (rows, row);
  return TRUE;
}

GPtrArray *
rl_dispatch_build (RlStore                 *store,
                   gint64                   now_ms,
                   gint64                   from_ms,
                   gint64                   to_ms,
                   const RlForecastOptions *options,
                   GCancellable            *cancellable,
                   GError                 **error)
{
  g_autoptr (GPtrArray) rows =
      g_ptr_array_new_with_free_func ((GDestroyNotify) rl_dispatch_row_free);

  g_return_val_if_fail (RL_IS_STORE (store), NULL);

  if (!rl_dispatch_state_update (store, now_ms, options, cancellable, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!rl_store_foreach_dispatch (store, from_ms, to_ms, add_row, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

/* ---- CSV ---------------------------------------------------------------- */

void
rl_dispatch_csv_append_field (GString    *out,
                              const char *field)
{
  gsize len;

  g_return_if_fail (out != NULL);

  if (field == NULL || field[0] == '\0')
    return;
  len = strlen (field);
  if (strpbrk (field, ",\"\r\n") == NULL && field[0] != ' ' && field[len - 1] != ' ')
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_time (GString *out,
             gint64   ms)
{
  g_autofree char *text = NULL;

  if (ms <= 0 || ms == G_MAXINT64)
    return;
  text = rl_time_format_ms (ms);
  g_string_append (out, text);
}

char *
rl_dispatch_to_csv (GPtrArray *rows)
{
  GString *out;

  g_return_val_if_fail (rows != NULL, NULL);

  out = g_string_new ("id,name,address,fill,predicted_full_at,earliest,latest,status\r\n");

  for (guint i = 0; i < rows->len; i++)
    {
      const RlDispatchRow *row = g_ptr_array_index (rows, i);
      char                 num[G_ASCII_DTOSTR_BUF_SIZE];

      rl_dispatch_csv_append_field (out, row->id);
      g_string_append_c (out, ',');
      rl_dispatch_csv_append_field (out, row->name);
      g_string_append_c (out, ',');
      rl_dispatch_csv_append_field (out, row->address);
      g_string_append_c (out, ',');
      if (isfinite (row->fill_level))
        g_string_append (out, g_ascii_formatd (num, sizeof num, "%.1f", row->fill_level));
      g_string_append_c (out, ',');
      append_time (out, row->forecast.full_at_ms);
      g_string_append_c (out, ',');
      append_time (out, row->forecast.earliest_ms);
      g_string_append_c (out, ',');
      append_time (out, row->forecast.latest_ms);
      g_string_append_c (out, ',');
      rl_dispatch_csv_append_field (out, row->status);
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}
