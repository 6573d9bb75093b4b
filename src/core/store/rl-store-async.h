/* rl-store-async.h — the cache read (and written) in a worker thread, for the UI.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every _async call here runs in a GTask thread on an RlStore of its own,
 * opened on rl_store_get_path (@store): @store itself is not used by the
 * thread, so the caller keeps using it on its own thread. A cancelled call
 * finishes with G_IO_ERROR_CANCELLED; a file that cannot be opened with the
 * RL_STORE_ERROR of rl_store_open(). What a call returns was made in the
 * thread and is the caller's alone (JSON objects are never shared between
 * threads: json-glib's reference counts are not atomic).
 */
#pragma once

#include "rl-store.h"

G_BEGIN_DECLS

/* ---- For the async calls of other parts of the core -------------------- */

/* Runs in the worker thread with the thread's own connection. Returns
 * FALSE with @error set on failure; on success *@out_result (may stay
 * NULL) is what _finish gives back. */
typedef gboolean (*RlStoreThreadFunc) (RlStore      *store,
                                       gpointer      data,
                                       gpointer     *out_result,
                                       GCancellable *cancellable,
                                       GError      **error);

/* Runs @func in a worker thread (see above). @data belongs to the task
 * (freed with @data_free); an unclaimed result is freed with @result_free.
 * @source_tag is the public _async function. */
void rl_store_run_in_thread (RlStore            *store,
                             gpointer            source_tag,
                             RlStoreThreadFunc   func,
                             gpointer            data,
                             GDestroyNotify      data_free,
                             GDestroyNotify      result_free,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data);
/* TRUE and *@out_result (may be NULL; owned by the caller), or FALSE with
 * @error set. */
gboolean rl_store_run_finish (RlStore      *store,
                              GAsyncResult *result,
                              gpointer      source_tag,
                              gpointer     *out_result,
                              GError      **error);

/* ---- The drop points for the map ---------------------------------------- */

typedef enum
{
  RL_DROP_POINT_OFFLINE = 1 << 0,
  RL_DROP_POINT_STALE = 1 << 1, /* online, but no reading within the stale interval */
  RL_DROP_POINT_MAINTENANCE = 1 << 2,
  RL_DROP_POINT_RETIRED = 1 << 3,
  RL_DROP_POINT_ALERT = 1 << 4, /* has an open alert (set by live telemetry) */
} RlDropPointFlags;

/* Every cached drop point with a location, as a struct of arrays (n entries
 * each, ordered by id): what a map layer takes in one call. */
typedef struct
{
  guint              n;
  const char *const *ids;
  const char *const *names;
  const double      *latitudes;
  const double      *longitudes;
  const double      *fill_levels; /* NAN: no reading, or no smart bin */
  const guint8      *flags;       /* RlDropPointFlags */
  const gint64      *last_reading_ms;
} RlDropPoints;

void rl_drop_points_free (RlDropPoints *points);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlDropPoints, rl_drop_points_free)

/* In the calling thread, through @store. A bin whose last reading is older
 * than @stale_after_ms at @now_ms is STALE. */
RlDropPoints *rl_store_load_drop_points (RlStore *store,
                                         gint64   now_ms,
                                         gint64   stale_after_ms,
                                         GError **error);
void          rl_store_load_drop_points_async (RlStore            *store,
                                               gint64              now_ms,
                                               gint64              stale_after_ms,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
RlDropPoints *rl_store_load_drop_points_finish (RlStore      *store,
                                                GAsyncResult *result,
                                                GError      **error);

/* ---- Records and readings ----------------------------------------------- */

/* rl_store_get_record() in a worker: NULL + RL_STORE_ERROR_NOT_FOUND when
 * the record is not cached. */
void        rl_store_get_record_async (RlStore            *store,
                                       const char         *entity,
                                       const char         *id,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
JsonObject *rl_store_get_record_finish (RlStore      *store,
                                        GAsyncResult *result,
                                        GError      **error);

/* rl_store_get_readings() in a worker. */
void       rl_store_get_readings_async (RlStore            *store,
                                        const char         *device_id,
                                        gint64              from_ms,
                                        gint64              to_ms,
                                        guint               limit,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
JsonArray *rl_store_get_readings_finish (RlStore      *store,
                                         GAsyncResult *result,
                                         GError      **error);

/* Writes @record (a contract record; serialised on the calling thread) as
 * the cached (@entity, id) record, in one transaction. */
void     rl_store_put_record_async (RlStore            *store,
                                    const char         *entity,
                                    JsonObject         *record,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
gboolean rl_store_put_record_finish (RlStore      *store,
                                     GAsyncResult *result,
                                     GError      **error);

/* One history row of a device; NAN for a value means null. */
typedef struct
{
  gint64 ts_ms;
  double fill_level;
  double weight;
  double temperature;
  double humidity;
  double battery_level;
} RlStoreReading;

/* Adds @n readings of @device_id (copied) in one transaction; duplicates
 * (same device and time) are skipped. Nothing is written on error. */
void     rl_store_add_readings_async (RlStore              *store,
                                      const char           *device_id,
                                      const RlStoreReading *readings,
                                      guint                 n,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean rl_store_add_readings_finish (RlStore      *store,
                                       GAsyncResult *result,
                                       GError      **error);

G_END_DECLS
