/* rl-dispatch-state.c — keeps every bin's summary and forecast in the cache
 * up to date, so the dispatch list is one sorted query.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: stored forecast, one bin, the whole fleet from one scan, update.
 * docs/forecast.md "From summaries" says when a bin's state is rebuilt.
 */
#include "config.h"

#include <math.h>

#include "rl-dispatch.h"
#include "rl-forecast-private.h"
#include "rl-forecast-summary.h"
#include "rl-store-forecasts.h"

#define DAY_MS (24 * G_GINT64_CONSTANT (3600000))
#define HISTORY_MS (7 * DAY_MS)
/* A stored forecast older than this is made again from its summary (the
 * horizon and the seven-day window move with the clock). */
#define FORECAST_MAX_AGE_MS G_GINT64_CONSTANT (3600000)
#define OPTIONS_META_KEY "forecast_options"

void
rl_dispatch_forecast_to_store (const RlForecast *f,
                               gint64            computed_ms,
                               RlStoreForecast  *out)
{
  out->status = (int) f->status;
  out->full_at_ms = f->full_at_ms;
  out->earliest_ms = f->earliest_ms;
  out->latest_ms = f->latest_ms;
  out->rate_per_hour = f->rate_per_hour;
  out->level = f->level;
  out->last_ts_ms = f->last_ts_ms;
  out->last_fill = f->last_fill;
  out->computed_ms = computed_ms;
}

void
rl_dispatch_forecast_from_store (const RlStoreForecast *f,
                                 RlForecast            *out)
{
  rl_forecast_reset (out);
  out->status = (RlForecastStatus) f->status;
  out->full_at_ms = f->full_at_ms;
  out->earliest_ms = f->earliest_ms;
  out->latest_ms = f->latest_ms;
  out->rate_per_hour = f->rate_per_hour;
  out->level = f->level;
  out->last_ts_ms = f->last_ts_ms;
  out->last_fill = f->last_fill;
}

static gboolean
save_state (RlStore                 *store,
            const char              *device_id,
            const RlBinSummary      *summary,
            gint64                   now_ms,
            const RlForecastOptions *options,
            GError                 **error)
{
  g_autoptr (GBytes) bytes = rl_bin_summary_to_bytes (summary);
  RlForecast      f;
  RlStoreForecast stored;

  rl_forecast_compute_summary (summary, now_ms, options, &f);
  rl_dispatch_forecast_to_store (&f, now_ms, &stored);
  return rl_store_put_bin_state (store, device_id, summary->last_ts_ms, bytes, &stored, error);
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

/* One bin: its stored summary brought up to @now_ms with the readings after
 * it, or (none, unreadable, or ahead of @now_ms) rebuilt from seven days. */
static gboolean
update_bin (RlStore                 *store,
            const char              *device_id,
            gint64                   through_ms,
            gint64                   now_ms,
            const RlForecastOptions *options,
            RlBinSummary            *summary,
            GError                 **error)
{
  g_autoptr (GBytes) bytes = NULL;
  gint64 from = now_ms - HISTORY_MS;

  rl_bin_summary_init (summary, options->utc_offset_s);
  if (through_ms > 0 && through_ms <= now_ms)
    {
      bytes = rl_store_get_bin_summary (store, device_id, NULL, error);
      if (bytes == NULL && error != NULL && *error != NULL)
        return FALSE;
      if (bytes != NULL
          && rl_bin_summary_from_bytes (summary, g_bytes_get_data (bytes, NULL),
                                        g_bytes_get_size (bytes))
          && summary->utc_offset_s == options->utc_offset_s)
        from = MAX (from, summary->last_ts_ms);
      else
        rl_bin_summary_init (summary, options->utc_offset_s);
    }
  if (!rl_store_foreach_fill_reading (store, device_id, from, now_ms, fold_reading, summary,
                                      error))
    return FALSE;
  return save_state (store, device_id, summary, now_ms, options, error);
}

/* The cold build reads and folds on this thread while a second one
 * forecasts the bins already folded (the machine has two cores); the
 * results come back to be written on this thread's connection. */
#define MAX_IN_FLIGHT 256

typedef struct
{
  char           *device;
  RlBinSummary   *summary; /* the worker's until it has forecast */
  gint64          through_ms;
  GBytes         *bytes;
  RlStoreForecast forecast;
} Job;

typedef struct
{
  RlStore                 *store;
  gint64                   now_ms;
  const RlForecastOptions *options;
  GHashTable              *wanted; /* devices not yet saved */
  char                    *device; /* the bin being folded */
  RlBinSummary            *summary;
  GAsyncQueue             *jobs, *done;
  guint                    in_flight;
  GError                  *error;
} Scan;

static Job stop_job;

static void
job_free (Job *job)
{
  g_free (job->device);
  g_free (job->summary);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job);
}

static gpointer
forecast_thread (gpointer data)
{
  Scan *scan = data;
  Job  *job;

  while ((job = g_async_queue_pop (scan->jobs)) != &stop_job)
    {
      RlForecast f;

      rl_forecast_compute_summary (job->summary, scan->now_ms, scan->options, &f);
      rl_dispatch_forecast_to_store (&f, scan->now_ms, &job->forecast);
      job->bytes = rl_bin_summary_to_bytes (job->summary);
      job->through_ms = job->summary->last_ts_ms;
      g_clear_pointer (&job->summary, g_free);
      g_async_queue_push (scan->done, job);
    }
  return NULL;
}

/* Writes the forecast bins; waits for them while more than @limit are out. */
static void
scan_drain (Scan *scan,
            guint limit)
{
  Job *job;

  while (scan->in_flight > 0
         && (job = scan->in_flight > limit ? g_async_queue_pop (scan->done)
                                           : g_async_queue_try_pop (scan->done))
                != NULL)
    {
      scan->in_flight--;
      if (scan->error == NULL
          && rl_store_put_bin_state (scan->store, job->device, job->through_ms, job->bytes,
                                     &job->forecast, &scan->error))
        g_hash_table_remove (scan->wanted, job->device);
      job_free (job);
    }
}

static gboolean
scan_flush (Scan *scan)
{
  Job *job;

  if (scan->device == NULL)
    return TRUE;
  job = g_new0 (Job, 1);
  job->device = g_steal_pointer (&scan->device);
  job->summary = g_steal_pointer (&scan->summary);
  scan->summary = g_new (RlBinSummary, 1);
  scan->in_flight++;
  g_async_queue_push (scan->jobs, job);
  scan_drain (scan, MAX_IN_FLIGHT);
  return scan->error == NULL;
}

static gboolean
scan_reading (const char *device_id,
              gint64      ts_ms,
              double      fill,
              gpointer    user_data)
{
  Scan *scan = user_data;

  if (scan->device == NULL || g_strcmp0 (scan->device, device_id) != 0)
    {
      if (!scan_flush (scan))
        return FALSE;
      if (!g_hash_table_contains (scan->wanted, device_id))
        return TRUE; /* readings of a device with no drop point */
      scan->device = g_strdup (device_id);
      rl_bin_summary_init (scan->summary, scan->options->utc_offset_s);
    }
  rl_bin_summary_add (scan->summary, ts_ms, fill);
  return TRUE;
}

/* The whole fleet from one pass over seven days of readings. */
static gboolean
rebuild_all (RlStore                 *store,
             GPtrArray               *devices,
             gint64                   now_ms,
             const RlForecastOptions *options,
             RlBinSummary            *summary,
             GError                 **error)
{
  g_autoptr (GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  Scan           scan = { store, now_ms, options, wanted, NULL, g_new (RlBinSummary, 1) };
  GThread       *worker;
  GHashTableIter iter;
  gpointer       key;
  gboolean       read_ok;

  for (guint i = 0; i < devices->len; i++)
    g_hash_table_add (wanted, devices->pdata[i]);
  scan.jobs = g_async_queue_new ();
  scan.done = g_async_queue_new ();
  worker = g_thread_new ("rl-forecast", forecast_thread, &scan);

  read_ok = rl_store_foreach_fill_reading (store, NULL, now_ms - HISTORY_MS, now_ms,
                                           scan_reading, &scan, error);
  if (read_ok)
    scan_flush (&scan);
  g_async_queue_push (scan.jobs, &stop_job);
  g_thread_join (worker);
  scan_drain (&scan, 0);
  g_free (scan.device);
  g_free (scan.summary);
  g_async_queue_unref (scan.jobs);
  g_async_queue_unref (scan.done);
  if (!read_ok)
    {
      g_clear_error (&scan.error);
      return FALSE;
    }
  if (scan.error != NULL)
    {
      g_propagate_error (error, scan.error);
      return FALSE;
    }

  /* Bins without a reading in the window: an empty summary. */
  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      rl_bin_summary_init (summary, options->utc_offset_s);
      if (!save_state (store, key, summary, now_ms, options, error))
        return FALSE;
    }
  return TRUE;
}

static char *
options_key (const RlForecastOptions *o)
{
  char buf[6][G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup_printf ("1 %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %u %" G_GINT64_FORMAT
                          " %s %" G_GINT64_FORMAT " %d %d",
                          g_ascii_dtostr (buf[0], sizeof buf[0], o->threshold), o->horizon_ms,
                          o->fit_window_ms, o->min_samples, o->min_span_ms,
                          g_ascii_dtostr (buf[1], sizeof buf[1], o->band_z), o->min_band_ms,
                          o->utc_offset_s, o->use_pattern ? 1 : 0);
}

gboolean
rl_dispatch_state_update (RlStore                 *store,
                          gint64                   now_ms,
                          const RlForecastOptions *options,
                          GCancellable            *cancellable,
                          GError                 **error)
{
  RlForecastOptions        defaults;
  g_autofree char         *key = NULL;
  g_autofree char         *stored_key = NULL;
  g_autofree RlBinSummary *summary = g_new (RlBinSummary, 1);
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GArray) through = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (RlStoreBatch) batch = NULL;
  gboolean same_options;
  gint64   n_summaries;
  gboolean ok = TRUE;

  g_return_val_if_fail (RL_IS_STORE (store), FALSE);
  if (options == NULL)
    {
      rl_forecast_options_init (&defaults);
      options = &defaults;
    }

  /* Other options (threshold, local offset…): every bin again from its
   * readings, the summaries' hours being local hours. */
  key = options_key (options);
  stored_key = rl_store_get_meta (store, OPTIONS_META_KEY);
  same_options = g_strcmp0 (key, stored_key) == 0;
  if (!same_options && !rl_store_clear_bin_states (store, NULL, error))
    return FALSE;
  devices = rl_store_list_stale_bins (store, now_ms - FORECAST_MAX_AGE_MS, now_ms, through, error);
  if (devices == NULL)
    return FALSE;
  if (devices->len == 0)
    return TRUE;
  n_summaries = rl_store_count_bin_summaries (store, error);
  if (n_summaries < 0)
    return FALSE;

  batch = rl_store_batch_begin (store, error);
  if (batch == NULL)
    return FALSE;
  if (n_summaries == 0)
    ok = rebuild_all (store, devices, now_ms, options, summary, error);
  else
    for (guint i = 0; ok && i < devices->len; i++)
      {
        if (g_cancellable_set_error_if_cancelled (cancellable, error))
          ok = FALSE;
        else
          ok = update_bin (store, devices->pdata[i], g_array_index (through, gint64, i), now_ms,
                           options, summary, error);
      }
  if (ok && !same_options)
    ok = rl_store_set_meta (store, OPTIONS_META_KEY, key, error);
  return ok && rl_store_batch_commit (batch, error); /* else the batch rolls back */
}
