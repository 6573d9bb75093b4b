/* rl-store-forecasts.c — per-bin summaries and stored forecasts.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: readings, stale bins, summaries, dispatch rows.
 */
#include "config.h"

#include <math.h>

#include "rl-store-forecasts.h"
#include "rl-store-private.h"

/* Forecast statuses stored (RlForecastStatus): NOW = 1, PREDICTED = 2. */
#define IN_DISPATCH "(1, 2)"

gboolean
rl_store_foreach_fill_reading (RlStore           *self,
                               const char        *device_id,
                               gint64             from_ms,
                               gint64             to_ms,
                               RlStoreReadingFunc func,
                               gpointer           user_data,
                               GError           **error)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* Own statement: the callback may write through the cached ones. */
  rc = sqlite3_prepare_v2 (
      self->db,
      device_id != NULL
          ? "SELECT device_id, ts_ms, fill_level FROM readings"
            " WHERE device_id = ?3 AND ts_ms > ?1 AND ts_ms <= ?2 AND fill_level IS NOT NULL"
            " ORDER BY ts_ms"
          : "SELECT device_id, ts_ms, fill_level FROM readings"
            " WHERE ts_ms > ?1 AND ts_ms <= ?2 AND fill_level IS NOT NULL"
            " ORDER BY device_id, ts_ms",
      -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      rl_store_set_error_from_db (self, error, "Cannot read readings");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, from_ms);
  sqlite3_bind_int64 (stmt, 2, to_ms);
  if (device_id != NULL)
    sqlite3_bind_text (stmt, 3, device_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!func ((const char *) sqlite3_column_text (stmt, 0), sqlite3_column_int64 (stmt, 1),
               sqlite3_column_double (stmt, 2), user_data))
      {
        rc = SQLITE_DONE;
        break;
      }
  if (rc != SQLITE_DONE)
    rl_store_set_error_from_db (self, error, "Cannot read readings");
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

GPtrArray *
rl_store_list_stale_bins (RlStore *self,
                          gint64   computed_from_ms,
                          gint64   computed_to_ms,
                          GArray  *through,
                          GError **error)
{
  g_autoptr (GPtrArray) devices = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);
  g_return_val_if_fail (through != NULL, NULL);

  stmt = rl_store_prepare (
      self,
      "SELECT DISTINCT dp.device_id, coalesce(f.through_ms, 0)"
      " FROM drop_points dp INDEXED BY drop_points_dispatch"
      " LEFT JOIN forecasts f ON f.device_id = dp.device_id"
      " WHERE dp.device_id IS NOT NULL AND dp.status IS NOT 'retired'"
      " AND (f.device_id IS NULL OR dp.last_reading_ms > f.through_ms"
      "  OR f.computed_ms NOT BETWEEN ?1 AND ?2)",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, computed_from_ms);
  sqlite3_bind_int64 (stmt, 2, computed_to_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 t = sqlite3_column_int64 (stmt, 1);

      g_ptr_array_add (devices, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_array_append_val (through, t);
    }
  if (!rl_store_step_finished (self, stmt, rc, "Cannot read bin summaries", error))
    return NULL;
  return g_steal_pointer (&devices);
}

gint64
rl_store_count_bin_summaries (RlStore *self,
                              GError **error)
{
  g_return_val_if_fail (RL_IS_STORE (self), -1);
  return rl_store_query_int (self, "SELECT count(*) FROM bin_summaries", error);
}

GBytes *
rl_store_get_bin_summary (RlStore    *self,
                          const char *device_id,
                          gint64     *through_ms,
                          GError    **error)
{
  sqlite3_stmt *stmt;
  GBytes       *out = NULL;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);
  g_return_val_if_fail (device_id != NULL, NULL);

  stmt = rl_store_prepare (
      self, "SELECT through_ms, summary FROM bin_summaries WHERE device_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (through_ms != NULL)
        *through_ms = sqlite3_column_int64 (stmt, 0);
      out = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
      rc = SQLITE_DONE;
    }
  if (!rl_store_step_finished (self, stmt, rc, "Cannot read bin summaries", error))
    g_clear_pointer (&out, g_bytes_unref);
  return out;
}

static void
bind_time (sqlite3_stmt *stmt,
           int           index,
           gint64        ms)
{
  if (ms == 0 || ms == G_MAXINT64)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, ms);
}

static void
bind_number (sqlite3_stmt *stmt,
             int           index,
             double        value)
{
  if (isfinite (value))
    sqlite3_bind_double (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

gboolean
rl_store_put_bin_state (RlStore               *self,
                        const char            *device_id,
                        gint64                 through_ms,
                        GBytes                *summary,
                        const RlStoreForecast *f,
                        GError               **error)
{
  sqlite3_stmt *stmt;
  gsize         size;
  gconstpointer data;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (device_id != NULL && summary != NULL && f != NULL, FALSE);

  stmt = rl_store_prepare (self,
                           "INSERT OR REPLACE INTO bin_summaries (device_id, through_ms, summary)"
                           " VALUES (?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  data = g_bytes_get_data (summary, &size);
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, through_ms);
  sqlite3_bind_blob (stmt, 3, data, (int) size, SQLITE_STATIC);
  if (!rl_store_step_write (self, stmt, error))
    return FALSE;

  stmt = rl_store_prepare (self,
                           "INSERT OR REPLACE INTO forecasts (device_id, status, full_at_ms,"
                           " earliest_ms, latest_ms, rate_per_hour, level, last_ts_ms, last_fill,"
                           " computed_ms, through_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, f->status);
  bind_time (stmt, 3, f->full_at_ms);
  bind_time (stmt, 4, f->earliest_ms);
  bind_time (stmt, 5, f->latest_ms);
  bind_number (stmt, 6, f->rate_per_hour);
  bind_number (stmt, 7, f->level);
  bind_time (stmt, 8, f->last_ts_ms);
  bind_number (stmt, 9, f->last_fill);
  sqlite3_bind_int64 (stmt, 10, f->computed_ms);
  sqlite3_bind_int64 (stmt, 11, through_ms);
  if (!rl_store_step_write (self, stmt, error))
    return FALSE;
  /* The dispatch list (RL_LIST_KIND_DISPATCH) follows "forecast" by device. */
  rl_store_note_change (self, "forecast", device_id);
  return TRUE;
}

gboolean
rl_store_clear_bin_states (RlStore    *self,
                           const char *device_id,
                           GError    **error)
{
  static const char *const sql[2][2] = {
    { "DELETE FROM bin_summaries", "DELETE FROM forecasts" },
    { "DELETE FROM bin_summaries WHERE device_id = ?", "DELETE FROM forecasts WHERE device_id = ?" },
  };

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);

  for (guint i = 0; i < 2; i++)
    {
      sqlite3_stmt *stmt = rl_store_prepare (self, sql[device_id != NULL][i], error);

      if (stmt == NULL)
        return FALSE;
      if (device_id != NULL)
        sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
      if (!rl_store_step_write (self, stmt, error))
        return FALSE;
    }
  rl_store_note_change (self, "forecast", device_id); /* NULL: the whole table */
  return TRUE;
}

static gint64
column_time (sqlite3_stmt *stmt,
             int           col,
             gint64        when_null)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? when_null
                                                        : sqlite3_column_int64 (stmt, col);
}

gboolean
rl_store_foreach_dispatch (RlStore            *self,
                           gint64              from_ms,
                           gint64              to_ms,
                           RlStoreDispatchFunc func,
                           gpointer            user_data,
                           GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  rc = sqlite3_prepare_v2 (
      self->db,
      "SELECT " RL_STORE_DROP_POINT_COLUMNS ("dp.") ","
                                                    " f.status, f.full_at_ms, f.earliest_ms, f.latest_ms, f.rate_per_hour, f.level,"
                                                    " f.last_ts_ms, f.last_fill, f.computed_ms"
                                                    " FROM forecasts f JOIN drop_points dp ON dp.device_id = f.device_id"
                                                    " WHERE f.status IN " IN_DISPATCH " AND f.full_at_ms >= ?1 AND f.full_at_ms < ?2"
                                                    " AND dp.status IS NOT 'retired'"
                                                    " ORDER BY f.full_at_ms, dp.name, dp.id",
      -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      rl_store_set_error_from_db (self, error, "Cannot read forecasts");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, from_ms);
  sqlite3_bind_int64 (stmt, 2, to_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RlStoreDropPoint dp;
      RlStoreForecast  f = {
         .status = sqlite3_column_int (stmt, 12),
         .full_at_ms = column_time (stmt, 13, 0),
         .earliest_ms = column_time (stmt, 14, 0),
         .latest_ms = column_time (stmt, 15, G_MAXINT64),
         .rate_per_hour = rl_store_column_double (stmt, 16),
         .level = rl_store_column_double (stmt, 17),
         .last_ts_ms = column_time (stmt, 18, 0),
         .last_fill = rl_store_column_double (stmt, 19),
         .computed_ms = sqlite3_column_int64 (stmt, 20),
      };

      rl_store_drop_point_from_row (stmt, &dp);
      if (!func (&dp, &f, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  if (rc != SQLITE_DONE)
    rl_store_set_error_from_db (self, error, "Cannot read forecasts");
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}
