/* rl-map-layer-store.c — RlMapLayer's cold start from the console's cache.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cached drop points become one RlMapPoints call, so the map paints
 * the whole city before any network answer.
 */

#include "config.h"

#include <math.h>

#include "rl-map-layer.h"

typedef struct
{
  GPtrArray  *ids, *names;
  GArray     *lat, *lon, *fill, *last;
  GByteArray *flags;
  gint64      now_ms, stale_after_ms;
} LoadData;

static gboolean
load_one (const RlStoreDropPoint *dp,
          gpointer                user_data)
{
  LoadData *d = user_data;
  guint8    flags = 0;
  double    fill = dp->fill_level;

  if (isnan (dp->latitude) || isnan (dp->longitude))
    return TRUE;
  if (g_strcmp0 (dp->status, "maintenance") == 0)
    flags |= RL_MAP_POINT_MAINTENANCE;
  else if (g_strcmp0 (dp->status, "retired") == 0)
    flags |= RL_MAP_POINT_RETIRED;
  if (dp->device_id != NULL)
    {
      if (!dp->is_online)
        flags |= RL_MAP_POINT_OFFLINE;
      else if (dp->last_reading_ms == 0 || d->now_ms - dp->last_reading_ms > d->stale_after_ms)
        flags |= RL_MAP_POINT_STALE;
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

struct _RlMapPointsData
{
  LoadData    d;
  RlMapPoints points;
};

void
rl_map_points_data_free (RlMapPointsData *data)
{
  if (data == NULL)
    return;
  g_ptr_array_unref (data->d.ids);
  g_ptr_array_unref (data->d.names);
  g_array_unref (data->d.lat);
  g_array_unref (data->d.lon);
  g_array_unref (data->d.fill);
  g_array_unref (data->d.last);
  g_byte_array_unref (data->d.flags);
  g_free (data);
}

RlMapPointsData *
rl_map_points_data_load (RlStore *store,
                         gint64   now_ms,
                         gint64   stale_after_ms,
                         GError **error)
{
  g_autoptr (RlMapPointsData) data = NULL;
  LoadData *d;

  g_return_val_if_fail (RL_IS_STORE (store), NULL);

  data = g_new0 (RlMapPointsData, 1);
  d = &data->d;
  d->ids = g_ptr_array_new_with_free_func (g_free);
  d->names = g_ptr_array_new_with_free_func (g_free);
  d->lat = g_array_new (FALSE, FALSE, sizeof (double));
  d->lon = g_array_new (FALSE, FALSE, sizeof (double));
  d->fill = g_array_new (FALSE, FALSE, sizeof (double));
  d->last = g_array_new (FALSE, FALSE, sizeof (gint64));
  d->flags = g_byte_array_new ();
  d->now_ms = now_ms;
  d->stale_after_ms = stale_after_ms;

  if (!rl_store_foreach_drop_point (store, load_one, d, error))
    return NULL;

  data->points.n = d->ids->len;
  data->points.ids = (const char *const *) d->ids->pdata;
  data->points.names = (const char *const *) d->names->pdata;
  data->points.latitudes = (const double *) (gpointer) d->lat->data;
  data->points.longitudes = (const double *) (gpointer) d->lon->data;
  data->points.fill_levels = (const double *) (gpointer) d->fill->data;
  data->points.flags = d->flags->data;
  data->points.last_reading_ms = (const gint64 *) (gpointer) d->last->data;
  return g_steal_pointer (&data);
}

const RlMapPoints *
rl_map_points_data_get (RlMapPointsData *data)
{
  g_return_val_if_fail (data != NULL, NULL);

  return &data->points;
}

gint
rl_map_layer_load_from_store (RlMapLayer *self,
                              RlStore    *store,
                              gint64      now_ms,
                              gint64      stale_after_ms,
                              GError    **error)
{
  g_autoptr (RlMapPointsData) data = NULL;

  g_return_val_if_fail (RL_IS_MAP_LAYER (self), -1);
  g_return_val_if_fail (RL_IS_STORE (store), -1);

  data = rl_map_points_data_load (store, now_ms, stale_after_ms, error);
  if (data == NULL)
    return -1;
  rl_map_layer_set_points (self, &data->points);
  return (gint) data->points.n;
}
