/* rl-dispatch-async.c — the dispatch list built in a worker thread.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-dispatch.h"

typedef struct
{
  gint64            now_ms;
  gint64            from_ms;
  gint64            to_ms;
  RlForecastOptions options;
} BuildData;

static gboolean
build_thread (RlStore      *store,
              gpointer      data,
              gpointer     *out_result,
              GCancellable *cancellable,
              GError      **error)
{
  BuildData *build = data;

  *out_result = rl_dispatch_build (store, build->now_ms, build->from_ms, build->to_ms,
                                   &build->options, cancellable, error);
  return *out_result != NULL;
}

void
rl_dispatch_build_async (RlStore                 *store,
                         gint64                   now_ms,
                         gint64                   from_ms,
                         gint64                   to_ms,
                         const RlForecastOptions *options,
                         GCancellable            *cancellable,
                         GAsyncReadyCallback      callback,
                         gpointer                 user_data)
{
  BuildData *build;

  g_return_if_fail (RL_IS_STORE (store));
  g_return_if_fail (options != NULL);

  build = g_new0 (BuildData, 1);
  build->now_ms = now_ms;
  build->from_ms = from_ms;
  build->to_ms = to_ms;
  build->options = *options;
  rl_store_run_in_thread (store, rl_dispatch_build_async, build_thread, build, g_free,
                          (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
rl_dispatch_build_finish (RlStore      *store,
                          GAsyncResult *result,
                          GError      **error)
{
  gpointer rows = NULL;

  if (!rl_store_run_finish (store, result, rl_dispatch_build_async, &rows, error))
    return NULL;
  return rows;
}
