/* rl-store-fts.c — RlStore: keeping the FTS indexes without triggers.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The triggers of migration v5 add a row's search_text to its FTS5 index on
 * insert, delete the old text and add the new one on an update of
 * search_text, and delete it on delete. A trigger makes its statement open a
 * statement savepoint, and at every savepoint FTS5 writes its pending terms
 * out as a new segment: one segment per row written, and merges of them,
 * ~110 µs an alert in a /changes page. The applier turns the triggers off on
 * its connection (rl_store_set_fts_by_hand) and the record writer does the
 * same work here with single-row statements, which need no savepoint: FTS5
 * flushes once, at commit.
 */
#include "config.h"

#include "rl-store-private.h"

void
rl_store_set_fts_by_hand (RlStore *self,
                          gboolean by_hand)
{
  int enabled = -1;

  if (self->fts_by_hand == by_hand)
    return;
  /* Prepared statements are expired and compiled again without (or with)
   * their trigger programs. This only fails for an option SQLite lacks. */
  if (sqlite3_db_config (self->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, by_hand ? 0 : 1, &enabled)
          != SQLITE_OK
      || enabled != !by_hand)
    g_error ("SQLite cannot switch the triggers of a connection");
  self->fts_by_hand = by_hand;
}

gboolean
rl_store_fts_read_row (RlStore            *self,
                       const RlEntityInfo *info,
                       const char         *id,
                       gboolean           *out_found,
                       gint64             *out_rowid,
                       char              **out_text,
                       GError            **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT rowid, search_text FROM %s WHERE id = ?",
                                          info->table);
  sqlite3_stmt    *stmt = rl_store_prepare (self, sql, error);
  int              rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *out_found = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW)
    {
      *out_rowid = sqlite3_column_int64 (stmt, 0);
      *out_text = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      rc = sqlite3_step (stmt);
    }
  return rl_store_step_finished (self, stmt, rc, "Cannot read the cache", error);
}

/* @delete: the FTS5 'delete' command, which needs the text indexed. */
static gboolean
fts_write (RlStore            *self,
           const RlEntityInfo *info,
           gboolean delete,
           gint64      rowid,
           const char *text,
           GError    **error)
{
  g_autofree char *sql =
      delete ? g_strdup_printf ("INSERT INTO %s (%s, rowid, search_text) VALUES ('delete', ?, ?)",
                                info->fts_table, info->fts_table)
             : g_strdup_printf ("INSERT INTO %s (rowid, search_text) VALUES (?, ?)",
                                info->fts_table);
  sqlite3_stmt *stmt = rl_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  return rl_store_step_done (self, stmt, error);
}

gboolean
rl_store_fts_replace (RlStore            *self,
                      const RlEntityInfo *info,
                      gint64              old_rowid,
                      const char         *old_text,
                      gint64              new_rowid,
                      const char         *new_text,
                      GError            **error)
{
  g_assert (info->fts_table != NULL);

  /* The same text at the same row: the index already holds it. */
  if (old_rowid > 0 && old_rowid == new_rowid && g_strcmp0 (old_text, new_text) == 0)
    return TRUE;
  return (old_rowid <= 0 || fts_write (self, info, TRUE, old_rowid, old_text, error))
         && (new_rowid <= 0 || fts_write (self, info, FALSE, new_rowid, new_text, error));
}
