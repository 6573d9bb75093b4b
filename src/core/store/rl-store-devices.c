/* rl-store-devices.c — when each smart bin was last heard from (the Feed dialog's list).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A city has ~100,000 drop points: the list is one SQL query with a LIMIT,
 * run in a worker thread, and the count of all matches beside it; the
 * dialog shows the silent ones, which is what support looks for.
 */
#include "config.h"

#include <sqlite3.h>

#include "rl-store-async.h"
#include "rl-store-devices.h"
#include "rl-store-private.h"

#define DEVICES_WHERE                                                      \
  " FROM drop_points WHERE device_id IS NOT NULL AND device_id <> ''"      \
  " AND (?1 IS NULL OR name LIKE ?1 ESCAPE '\\' OR id LIKE ?1 ESCAPE '\\'" \
  " OR device_id LIKE ?1 ESCAPE '\\')"

typedef struct
{
  GPtrArray *devices;
  guint      total;
} DevicesResult;

typedef struct
{
  char *search;
  guint limit;
} DevicesQuery;

void
rl_device_seen_free (RlDeviceSeen *seen)
{
  if (seen == NULL)
    return;
  g_free (seen->drop_point_id);
  g_free (seen->name);
  g_free (seen->device_id);
  g_free (seen);
}

static void
devices_result_free (DevicesResult *result)
{
  g_clear_pointer (&result->devices, g_ptr_array_unref);
  g_free (result);
}

static void
devices_query_free (DevicesQuery *query)
{
  g_free (query->search);
  g_free (query);
}

/* "%text%" with LIKE's wildcards and the escape character escaped; NULL
 * for no search. */
static char *
like_pattern (const char *search)
{
  GString *pattern;

  if (search == NULL || *search == '\0')
    return NULL;
  pattern = g_string_new ("%");
  for (const char *p = search; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

GPtrArray *
rl_store_list_devices_seen (RlStore    *store,
                            const char *search,
                            guint       limit,
                            guint      *out_total,
                            GError    **error)
{
  g_autoptr (GPtrArray) devices = NULL;
  g_autofree char *pattern = NULL;
  sqlite3_stmt    *stmt;
  int              rc;

  g_return_val_if_fail (RL_IS_STORE (store), NULL);

  pattern = like_pattern (search);
  stmt = rl_store_prepare (store, "SELECT count(*)" DEVICES_WHERE, error);
  if (stmt == NULL)
    return NULL;
  if (pattern != NULL)
    sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && out_total != NULL)
    *out_total = (guint) sqlite3_column_int64 (stmt, 0);
  if (!rl_store_step_finished (store, stmt, rc == SQLITE_ROW ? SQLITE_DONE : rc,
                               "counting devices", error))
    return NULL;

  /* Offline first, then the oldest reading (none: oldest of all). */
  stmt = rl_store_prepare (store,
                           "SELECT id, name, device_id, last_reading_ms, is_online" DEVICES_WHERE
                           " ORDER BY coalesce (is_online, 0), coalesce (last_reading_ms, 0), id"
                           " LIMIT ?2",
                           error);
  if (stmt == NULL)
    return NULL;
  if (pattern != NULL)
    sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit);
  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_device_seen_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RlDeviceSeen *seen = g_new0 (RlDeviceSeen, 1);

      seen->drop_point_id = g_strdup (column_text (stmt, 0));
      seen->name = g_strdup (column_text (stmt, 1));
      seen->device_id = g_strdup (column_text (stmt, 2));
      seen->last_reading_ms = sqlite3_column_int64 (stmt, 3);
      seen->online = sqlite3_column_int (stmt, 4) != 0;
      g_ptr_array_add (devices, seen);
    }
  if (!rl_store_step_finished (store, stmt, rc, "listing devices", error))
    return NULL;
  return g_steal_pointer (&devices);
}

static gboolean
list_devices_thread (RlStore                  *store,
                     gpointer                  data,
                     gpointer                 *out_result,
                     GCancellable *cancellable G_GNUC_UNUSED,
                     GError                  **error)
{
  DevicesQuery  *query = data;
  DevicesResult *result = g_new0 (DevicesResult, 1);

  result->devices = rl_store_list_devices_seen (store, query->search, query->limit,
                                                &result->total, error);
  if (result->devices == NULL)
    {
      devices_result_free (result);
      return FALSE;
    }
  *out_result = result;
  return TRUE;
}

void
rl_store_list_devices_seen_async (RlStore            *store,
                                  const char         *search,
                                  guint               limit,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  DevicesQuery *query;

  g_return_if_fail (RL_IS_STORE (store));

  query = g_new0 (DevicesQuery, 1);
  query->search = g_strdup (search);
  query->limit = limit;
  rl_store_run_in_thread (store, rl_store_list_devices_seen_async, list_devices_thread, query,
                          (GDestroyNotify) devices_query_free,
                          (GDestroyNotify) devices_result_free, cancellable, callback,
                          user_data);
}

GPtrArray *
rl_store_list_devices_seen_finish (RlStore      *store,
                                   GAsyncResult *result,
                                   guint        *out_total,
                                   GError      **error)
{
  DevicesResult *devices = NULL;
  GPtrArray     *array;

  if (!rl_store_run_finish (store, result, rl_store_list_devices_seen_async,
                            (gpointer *) &devices, error))
    return NULL;
  array = g_steal_pointer (&devices->devices);
  if (out_total != NULL)
    *out_total = devices->total;
  devices_result_free (devices);
  return array;
}
