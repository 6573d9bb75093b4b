/* rl-store-outages.c — the live feed's outages in the cache.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "rl-store-outages.h"
#include "rl-store-private.h"

void
rl_store_feed_outage_free (gpointer data)
{
  RlStoreFeedOutage *outage = data;

  g_free (outage->lost_url);
  g_free (outage->resumed_url);
  g_free (outage);
}

gboolean
rl_store_add_feed_outage (RlStore    *self,
                          gint64      from_ms,
                          gint64      to_ms,
                          const char *lost_url,
                          const char *resumed_url,
                          GError    **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);

  stmt = rl_store_prepare (self,
                           "INSERT INTO feed_outages (from_ms, to_ms, lost_url, resumed_url)"
                           " VALUES (?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from_ms);
  sqlite3_bind_int64 (stmt, 2, to_ms);
  sqlite3_bind_text (stmt, 3, lost_url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, resumed_url, -1, SQLITE_TRANSIENT);
  return rl_store_step_write (self, stmt, error);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

GPtrArray *
rl_store_list_feed_outages (RlStore *self,
                            GError **error)
{
  g_autoptr (GPtrArray) outages = g_ptr_array_new_with_free_func (rl_store_feed_outage_free);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), NULL);

  stmt = rl_store_prepare (self,
                           "SELECT from_ms, to_ms, lost_url, resumed_url FROM feed_outages"
                           " ORDER BY from_ms, id",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RlStoreFeedOutage *outage = g_new0 (RlStoreFeedOutage, 1);

      outage->from_ms = sqlite3_column_int64 (stmt, 0);
      outage->to_ms = sqlite3_column_int64 (stmt, 1);
      outage->lost_url = column_text (stmt, 2);
      outage->resumed_url = column_text (stmt, 3);
      g_ptr_array_add (outages, outage);
    }
  if (!rl_store_step_finished (self, stmt, rc, "Cannot read the feed's outages", error))
    return NULL;
  return g_steal_pointer (&outages);
}
