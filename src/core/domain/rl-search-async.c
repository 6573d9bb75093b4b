/* rl-search-async.c — drop-point search and a point's alerts, in a worker thread.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-search-async.h"

static void
search_hit_free (gpointer data)
{
  RlSearchHit *hit = data;

  g_free (hit->id);
  g_free (hit->name);
  g_free (hit->address);
  g_free (hit);
}

void
rl_search_result_free (RlSearchResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->ids, g_ptr_array_unref);
  g_clear_pointer (&result->hits, g_ptr_array_unref);
  g_free (result);
}

typedef struct
{
  RlSearchFilter filter;
  gint64         now_ms;
  guint          max_hits;
  char          *drop_point_id; /* alerts */
} SearchData;

static void
search_data_free (SearchData *data)
{
  rl_search_filter_clear (&data->filter);
  g_free (data->drop_point_id);
  g_free (data);
}

static gboolean
query_thread (RlStore      *store,
              gpointer      data,
              gpointer     *out_result,
              GCancellable *cancellable,
              GError      **error)
{
  SearchData *d = data;
  g_autoptr (RlSearchResult) result = g_new0 (RlSearchResult, 1);

  result->ids = rl_search_run (store, &d->filter, d->now_ms, error);
  if (result->ids == NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  result->hits = g_ptr_array_new_with_free_func (search_hit_free);
  for (guint i = 0; i < result->ids->len && i < d->max_hits; i++)
    {
      const char *id = g_ptr_array_index (result->ids, i);
      g_autoptr (JsonObject) record = rl_store_get_record (store, "drop_point", id, NULL);
      RlSearchPoint point;
      RlSearchHit  *hit;

      if (record == NULL)
        continue;
      rl_search_point_from_record (record, 0, &point);
      hit = g_new0 (RlSearchHit, 1);
      hit->id = g_strdup (id);
      hit->name = g_strdup (point.name != NULL ? point.name : id);
      hit->address = g_strdup (point.address != NULL ? point.address : "");
      hit->status = point.status;
      hit->has_device = point.has_device;
      hit->link = point.has_device ? rl_search_link_state (&point, d->now_ms) : 0;
      hit->fill_level = point.fill_level;
      g_ptr_array_add (result->hits, hit);
    }
  *out_result = g_steal_pointer (&result);
  return TRUE;
}

void
rl_search_query_async (RlStore              *store,
                       const RlSearchFilter *filter,
                       gint64                now_ms,
                       guint                 max_hits,
                       GCancellable         *cancellable,
                       GAsyncReadyCallback   callback,
                       gpointer              user_data)
{
  SearchData *d;

  g_return_if_fail (RL_IS_STORE (store));
  g_return_if_fail (filter != NULL);

  d = g_new0 (SearchData, 1);
  rl_search_filter_copy (filter, &d->filter);
  d->now_ms = now_ms;
  d->max_hits = max_hits;
  rl_store_run_in_thread (store, rl_search_query_async, query_thread, d,
                          (GDestroyNotify) search_data_free, (GDestroyNotify) rl_search_result_free,
                          cancellable, callback, user_data);
}

RlSearchResult *
rl_search_query_finish (RlStore      *store,
                        GAsyncResult *result,
                        GError      **error)
{
  gpointer value = NULL;

  if (!rl_store_run_finish (store, result, rl_search_query_async, &value, error))
    return NULL;
  return value;
}

static gboolean
alerts_thread (RlStore      *store,
               gpointer      data,
               gpointer     *out_result,
               GCancellable *cancellable,
               GError      **error)
{
  SearchData *d = data;

  *out_result = rl_search_alerts_for_point (store, d->drop_point_id, error);
  return *out_result != NULL;
}

void
rl_search_alerts_for_point_async (RlStore            *store,
                                  const char         *drop_point_id,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  SearchData *d;

  g_return_if_fail (RL_IS_STORE (store));
  g_return_if_fail (drop_point_id != NULL);

  d = g_new0 (SearchData, 1);
  d->drop_point_id = g_strdup (drop_point_id);
  rl_store_run_in_thread (store, rl_search_alerts_for_point_async, alerts_thread, d,
                          (GDestroyNotify) search_data_free, (GDestroyNotify) json_array_unref,
                          cancellable, callback, user_data);
}

JsonArray *
rl_search_alerts_for_point_finish (RlStore      *store,
                                   GAsyncResult *result,
                                   GError      **error)
{
  gpointer alerts = NULL;

  if (!rl_store_run_finish (store, result, rl_search_alerts_for_point_async, &alerts, error))
    return NULL;
  return alerts;
}
