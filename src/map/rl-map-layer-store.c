/* rl-map-layer-store.c — RlMapLayer's cold start from the console's cache.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cached drop points become one RlMapPoints call, so the map paints
 * the whole city before any network answer.
 */
#define G_LOG_DOMAIN "rl-map"

#include "config.h"

#include <math.h>

#include "rl-map-layer.h"

typedef struct {
  GPtrArray *ids, *names;
  GArray    *lat, *lon, *fill, *last;
  GByteArray *flags;
  gint64     now_ms, stale_after_ms;
} LoadData;

static gboolean
load_one (const RlStoreDropPoint *dp,
          gpointer                user_data)
{
  LoadData *d = user_data;
  guint8 flags = 0;
  double fill = dp->fill_level;

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

gint
rl_map_layer_load_from_store (RlMapLayer  *self,
                              RlStore     *store,
                              gint64       now_ms,
                              gint64       stale_after_ms,
                              GError     **error)
{
  LoadData d = { 0 };
  RlMapPoints points = { 0 };
  gboolean ok;

  g_return_val_if_fail (RL_IS_MAP_LAYER (self), -1);
  g_return_val_if_fail (RL_IS_STORE (store), -1);

  d.ids = g_ptr_array_new_with_free_func (g_free);
  d.names = g_ptr_array_new_with_free_func (g_free);
  d.lat = g_array_new (FALSE, FALSE, sizeof (double));
  d.lon = g_array_new (FALSE, FALSE, sizeof (double));
  d.fill = g_array_new (FALSE, FALSE, sizeof (double));
  d.last = g_array_new (FALSE, FALSE, sizeof (gint64));
  d.flags = g_byte_array_new ();
  d.now_ms = now_ms;
  d.stale_after_ms = stale_after_ms;

  ok = rl_store_foreach_drop_point (store, load_one, &d, error);
  if (ok)
    {
      points.n = d.ids->len;
      points.ids = (const char *const *) d.ids->pdata;
      points.names = (const char *const *) d.names->pdata;
      points.latitudes = (const double *) (gpointer) d.lat->data;
      points.longitudes = (const double *) (gpointer) d.lon->data;
      points.fill_levels = (const double *) (gpointer) d.fill->data;
      points.flags = d.flags->data;
      points.last_reading_ms = (const gint64 *) (gpointer) d.last->data;
      rl_map_layer_set_points (self, &points);
    }

  g_ptr_array_unref (d.ids);
  g_ptr_array_unref (d.names);
  g_array_unref (d.lat);
  g_array_unref (d.lon);
  g_array_unref (d.fill);
  g_array_unref (d.last);
  g_byte_array_unref (d.flags);
  return ok ? (gint) points.n : -1;
}
