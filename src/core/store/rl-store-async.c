/* rl-store-async.c — the cache read (and written) in a worker thread, for the UI.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: the worker-thread runner, the drop points for the map, records and
 * readings. Each call copies what it needs (the path, ids, a serialised
 * record) before the thread starts, and hands back something only the
 * caller holds.
 */
#include "config.h"

#include <math.h>

#include "rl-store-alerts.h"
#include "rl-store-async.h"
#include "rl-store-private.h"

/* ---- The runner ------------------------------------------------------------ */

typedef struct
{
  char             *path;
  RlStoreThreadFunc func;
  gpointer          data;
  GDestroyNotify    data_free;
  GDestroyNotify    result_free;
} RunData;

static void
run_data_free (RunData *run)
{
  g_free (run->path);
  if (run->data_free != NULL && run->data != NULL)
    run->data_free (run->data);
  g_free (run);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *run = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) store = NULL;
  gpointer result = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Never the caller's store: that connection belongs to its thread. */
  store = rl_store_open (run->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!run->func (store, run->data, &result, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A result made after a cancel is freed by the task: G_IO_ERROR_CANCELLED
   * is what _finish reports (the task checks its cancellable). */
  g_task_return_pointer (task, result, run->result_free);
}

void
rl_store_run_in_thread (RlStore            *store,
                        gpointer            source_tag,
                        RlStoreThreadFunc   func,
                        gpointer            data,
                        GDestroyNotify      data_free,
                        GDestroyNotify      result_free,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  RunData *run;

  g_return_if_fail (RL_IS_STORE (store));
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run = g_new0 (RunData, 1);
  run->path = g_strdup (rl_store_get_path (store));
  run->func = func;
  run->data = data;
  run->data_free = data_free;
  run->result_free = result_free;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, run, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

gboolean
rl_store_run_finish (RlStore      *store,
                     GAsyncResult *result,
                     gpointer      source_tag,
                     gpointer     *out_result,
                     GError      **error)
{
  g_autoptr (GError) local_error = NULL;
  gpointer value;

  g_return_val_if_fail (RL_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  value = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (out_result != NULL)
    *out_result = value;
  else if (value != NULL)
    {
      RunData *run = g_task_get_task_data (G_TASK (result));

      if (run->result_free != NULL)
        run->result_free (value);
    }
  return TRUE;
}

/* ---- The drop points for the map --------------------------------------------- */

typedef struct
{
  RlDropPoints pub;
  GPtrArray   *ids, *names;
  GArray      *lat, *lon, *fill, *last;
  GByteArray  *flags;
  gint64       now_ms, stale_after_ms;
  GHashTable  *alerting; /* device ids with an open alert; NULL after the load */
} DropPoints;

void
rl_drop_points_free (RlDropPoints *points)
{
  DropPoints *d = (DropPoints *) points;

  if (d == NULL)
    return;
  g_ptr_array_unref (d->ids);
  g_ptr_array_unref (d->names);
  g_array_unref (d->lat);
  g_array_unref (d->lon);
  g_array_unref (d->fill);
  g_array_unref (d->last);
  g_byte_array_unref (d->flags);
  g_free (d);
}

static gboolean
add_alerting (const char          *device_id,
              const char *type     G_GNUC_UNUSED,
              RlAlertSource source G_GNUC_UNUSED,
              gpointer             user_data)
{
  g_hash_table_add (user_data, g_strdup (device_id));
  return TRUE;
}

static gboolean
add_drop_point (const RlStoreDropPoint *dp,
                gpointer                user_data)
{
  DropPoints *d = user_data;
  guint8      flags = 0;
  double      fill = dp->fill_level;

  if (isnan (dp->latitude) || isnan (dp->longitude))
    return TRUE;
  if (g_strcmp0 (dp->status, "maintenance") == 0)
    flags |= RL_DROP_POINT_MAINTENANCE;
  else if (g_strcmp0 (dp->status, "retired") == 0)
    flags |= RL_DROP_POINT_RETIRED;
  if (dp->device_id != NULL)
    {
      if (d->alerting != NULL && g_hash_table_contains (d->alerting, dp->device_id))
        flags |= RL_DROP_POINT_ALERT;
      if (!dp->is_online)
        flags |= RL_DROP_POINT_OFFLINE;
      else if (dp->last_reading_ms == 0 || d->now_ms - dp->last_reading_ms > d->stale_after_ms)
        flags |= RL_DROP_POINT_STALE;
    }
  else
    fill = NAN;

  g_ptr_array_add (d->ids, g_strdup (dp->id));
  g_ptr_array_add (d->names, g_strdup (dp->name));
  g_array_append_val (d->lat, dp->latitude);
  g_array_append_val (d->lon, dp->longitude);
  g_array_append_val (d->fill, fill);
  g_array_append_val (d->last, dp->last_reading_ms);
  g_byte_array_append (d->flags, &flags, 1);
  return TRUE;
}

RlDropPoints *
rl_store_load_drop_points (RlStore *store,
                           gint64   now_ms,
                           gint64   stale_after_ms,
                           GError **error)
{
  g_autoptr (RlDropPoints) points = NULL;
  DropPoints *d;

  g_return_val_if_fail (RL_IS_STORE (store), NULL);

  d = g_new0 (DropPoints, 1);
  points = &d->pub;
  d->ids = g_ptr_array_new_with_free_func (g_free);
  d->names = g_ptr_array_new_with_free_func (g_free);
  d->lat = g_array_new (FALSE, FALSE, sizeof (double));
  d->lon = g_array_new (FALSE, FALSE, sizeof (double));
  d->fill = g_array_new (FALSE, FALSE, sizeof (double));
  d->last = g_array_new (FALSE, FALSE, sizeof (gint64));
  d->flags = g_byte_array_new ();
  d->now_ms = now_ms;
  d->stale_after_ms = stale_after_ms;

  /* The alert mark the feed keeps up to date afterwards (RlFeedPoint's
   * has_alert): a bin with an open alert has it from the start. */
  d->alerting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!rl_store_foreach_open_alert (store, add_alerting, d->alerting, error)
      || !rl_store_foreach_drop_point (store, add_drop_point, d, error))
    {
      g_clear_pointer (&d->alerting, g_hash_table_unref);
      return NULL;
    }
  g_clear_pointer (&d->alerting, g_hash_table_unref);

  d->pub.n = d->ids->len;
  d->pub.ids = (const char *const *) d->ids->pdata;
  d->pub.names = (const char *const *) d->names->pdata;
  d->pub.latitudes = (const double *) (gpointer) d->lat->data;
  d->pub.longitudes = (const double *) (gpointer) d->lon->data;
  d->pub.fill_levels = (const double *) (gpointer) d->fill->data;
  d->pub.flags = d->flags->data;
  d->pub.last_reading_ms = (const gint64 *) (gpointer) d->last->data;
  return g_steal_pointer (&points);
}

typedef struct
{
  gint64 now_ms;
  gint64 stale_after_ms;
} LoadData;

static gboolean
load_drop_points_thread (RlStore      *store,
                         gpointer      data,
                         gpointer     *out_result,
                         GCancellable *cancellable,
                         GError      **error)
{
  LoadData *load = data;

  *out_result = rl_store_load_drop_points (store, load->now_ms, load->stale_after_ms, error);
  return *out_result != NULL;
}

void
rl_store_load_drop_points_async (RlStore            *store,
                                 gint64              now_ms,
                                 gint64              stale_after_ms,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  LoadData *load;

  g_return_if_fail (RL_IS_STORE (store));

  load = g_new0 (LoadData, 1);
  load->now_ms = now_ms;
  load->stale_after_ms = stale_after_ms;
  rl_store_run_in_thread (store, rl_store_load_drop_points_async, load_drop_points_thread, load,
                          g_free, (GDestroyNotify) rl_drop_points_free, cancellable, callback,
                          user_data);
}

RlDropPoints *
rl_store_load_drop_points_finish (RlStore      *store,
                                  GAsyncResult *result,
                                  GError      **error)
{
  gpointer points = NULL;

  if (!rl_store_run_finish (store, result, rl_store_load_drop_points_async, &points, error))
    return NULL;
  return points;
}

/* ---- Records and readings ------------------------------------------------------ */

typedef struct
{
  char   *entity;
  char   *id;     /* get_record */
  char   *json;   /* put_record: the record, serialised */
  char   *device; /* readings */
  gint64  from_ms;
  gint64  to_ms;
  guint   limit;
  GArray *readings; /* RlStoreReading */
} RecordData;

static void
record_data_free (RecordData *data)
{
  g_free (data->entity);
  g_free (data->id);
  g_free (data->json);
  g_free (data->device);
  g_clear_pointer (&data->readings, g_array_unref);
  g_free (data);
}

static gboolean
get_record_thread (RlStore      *store,
                   gpointer      data,
                   gpointer     *out_result,
                   GCancellable *cancellable,
                   GError      **error)
{
  RecordData *d = data;

  *out_result = rl_store_get_record (store, d->entity, d->id, error);
  return *out_result != NULL;
}

void
rl_store_get_record_async (RlStore            *store,
                           const char         *entity,
                           const char         *id,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  RecordData *d;

  g_return_if_fail (RL_IS_STORE (store));
  g_return_if_fail (entity != NULL);
  g_return_if_fail (id != NULL);

  d = g_new0 (RecordData, 1);
  d->entity = g_strdup (entity);
  d->id = g_strdup (id);
  rl_store_run_in_thread (store, rl_store_get_record_async, get_record_thread, d,
                          (GDestroyNotify) record_data_free, (GDestroyNotify) json_object_unref,
                          cancellable, callback, user_data);
}

JsonObject *
rl_store_get_record_finish (RlStore      *store,
                            GAsyncResult *result,
                            GError      **error)
{
  gpointer record = NULL;

  if (!rl_store_run_finish (store, result, rl_store_get_record_async, &record, error))
    return NULL;
  return record;
}

static gboolean
get_readings_thread (RlStore      *store,
                     gpointer      data,
                     gpointer     *out_result,
                     GCancellable *cancellable,
                     GError      **error)
{
  RecordData *d = data;

  *out_result = rl_store_get_readings (store, d->device, d->from_ms, d->to_ms, d->limit, error);
  return *out_result != NULL;
}

void
rl_store_get_readings_async (RlStore            *store,
                             const char         *device_id,
                             gint64              from_ms,
                             gint64              to_ms,
                             guint               limit,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  RecordData *d;

  g_return_if_fail (RL_IS_STORE (store));
  g_return_if_fail (device_id != NULL);

  d = g_new0 (RecordData, 1);
  d->device = g_strdup (device_id);
  d->from_ms = from_ms;
  d->to_ms = to_ms;
  d->limit = limit;
  rl_store_run_in_thread (store, rl_store_get_readings_async, get_readings_thread, d,
                          (GDestroyNotify) record_data_free, (GDestroyNotify) json_array_unref,
                          cancellable, callback, user_data);
}

JsonArray *
rl_store_get_readings_finish (RlStore      *store,
                              GAsyncResult *result,
                              GError      **error)
{
  gpointer readings = NULL;

  if (!rl_store_run_finish (store, result, rl_store_get_readings_async, &readings, error))
    return NULL;
  return readings;
}

static gboolean
put_record_thread (RlStore      *store,
                   gpointer      data,
                   gpointer     *out_result,
                   GCancellable *cancellable,
                   GError      **error)
{
  RecordData *d = data;
  g_autoptr (JsonNode) node = json_from_string (d->json, error);
  g_autoptr (RlStoreBatch) batch = NULL;

  if (node == NULL)
    return FALSE;
  batch = rl_store_batch_begin (store, error);
  return batch != NULL && rl_store_batch_upsert (batch, d->entity, json_node_get_object (node), error)
         && rl_store_batch_commit (batch, error);
}

void
rl_store_put_record_async (RlStore            *store,
                           const char         *entity,
                           JsonObject         *record,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr (JsonNode) node = NULL;
  RecordData *d;

  g_return_if_fail (RL_IS_STORE (store));
  g_return_if_fail (entity != NULL);
  g_return_if_fail (record != NULL);

  node = json_node_init_object (json_node_alloc (), record);
  d = g_new0 (RecordData, 1);
  d->entity = g_strdup (entity);
  d->json = rl_store_json_text (node);
  rl_store_run_in_thread (store, rl_store_put_record_async, put_record_thread, d,
                          (GDestroyNotify) record_data_free, NULL, cancellable, callback,
                          user_data);
}

gboolean
rl_store_put_record_finish (RlStore      *store,
                            GAsyncResult *result,
                            GError      **error)
{
  return rl_store_run_finish (store, result, rl_store_put_record_async, NULL, error);
}

static gboolean
add_readings_thread (RlStore      *store,
                     gpointer      data,
                     gpointer     *out_result,
                     GCancellable *cancellable,
                     GError      **error)
{
  RecordData *d = data;
  g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, error);

  if (batch == NULL)
    return FALSE;
  for (guint i = 0; i < d->readings->len; i++)
    {
      const RlStoreReading *r = &g_array_index (d->readings, RlStoreReading, i);

      if (rl_store_batch_add_reading (batch, d->device, r->ts_ms, r->fill_level, r->weight,
                                      r->temperature, r->humidity, r->battery_level, error)
          == RL_STORE_READING_ERROR)
        return FALSE; /* the batch rolls back */
    }
  return rl_store_batch_commit (batch, error);
}

void
rl_store_add_readings_async (RlStore              *store,
                             const char           *device_id,
                             const RlStoreReading *readings,
                             guint                 n,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  RecordData *d;

  g_return_if_fail (RL_IS_STORE (store));
  g_return_if_fail (device_id != NULL);
  g_return_if_fail (readings != NULL || n == 0);

  d = g_new0 (RecordData, 1);
  d->device = g_strdup (device_id);
  d->readings = g_array_sized_new (FALSE, FALSE, sizeof (RlStoreReading), n);
  if (n > 0)
    g_array_append_vals (d->readings, readings, n);
  rl_store_run_in_thread (store, rl_store_add_readings_async, add_readings_thread, d,
                          (GDestroyNotify) record_data_free, NULL, cancellable, callback,
                          user_data);
}

gboolean
rl_store_add_readings_finish (RlStore      *store,
                              GAsyncResult *result,
                              GError      **error)
{
  return rl_store_run_finish (store, result, rl_store_add_readings_async, NULL, error);
}
