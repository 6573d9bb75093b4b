/* rl-store-devices.h — when each smart bin was last heard from (the Feed dialog's list).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-store.h"

G_BEGIN_DECLS

/* One drop point with a device, as the cache has it. */
typedef struct
{
  char    *drop_point_id;
  char    *name;
  char    *device_id;
  gint64   last_reading_ms; /* 0: never */
  gboolean online;
} RlDeviceSeen;

void rl_device_seen_free (RlDeviceSeen *seen);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlDeviceSeen, rl_device_seen_free)

/* The drop points that have a device, silent ones first: offline before
 * online, then the oldest last reading first (never before any), then by
 * id. @search (NULL or empty: all) keeps those whose name, drop point id or
 * device id contains it (ASCII case-insensitive). At most @limit rows;
 * *@out_total is how many match. A GPtrArray of RlDeviceSeen*. In the
 * calling thread, through @store. */
GPtrArray *rl_store_list_devices_seen (RlStore    *store,
                                       const char *search,
                                       guint       limit,
                                       guint      *out_total,
                                       GError    **error);

/* The same in a worker thread (rl-store-async.h). */
void       rl_store_list_devices_seen_async (RlStore            *store,
                                             const char         *search,
                                             guint               limit,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
GPtrArray *rl_store_list_devices_seen_finish (RlStore      *store,
                                              GAsyncResult *result,
                                              guint        *out_total,
                                              GError      **error);

G_END_DECLS
