/* rl-mbtiles.c — the header of an MBTiles map pack.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-mbtiles.h"

/* ---- Helpers ------------------------------------------------------------ */

static char *
read_metadata (sqlite3    *db,
               const char *key)
{
  sqlite3_stmt *stmt = NULL;
  char         *value = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT value FROM metadata WHERE name = ?", -1, &stmt, NULL)
      != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* ---- Public ------------------------------------------------------------- */

gboolean
rl_mbtiles_header_read (sqlite3          *db,
                        RlMbtilesHeader  *header,
                        sqlite3_stmt    **out_tile_stmt,
                        RlMbtilesProblem *out_problem,
                        char            **out_detail)
{
  sqlite3_stmt    *stmt = NULL;
  g_autofree char *min_zoom = NULL;
  g_autofree char *max_zoom = NULL;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (header != NULL, FALSE);

  *header = (RlMbtilesHeader){ .max_zoom = RL_MBTILES_MAX_ZOOM };
  /* Also how a non-SQLite file shows up: the first statement fails. */
  if (sqlite3_prepare_v2 (
          db,
          "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      *out_problem = RL_MBTILES_NOT_MBTILES;
      *out_detail = g_strdup (sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  header->format = read_metadata (db, "format");
  if (header->format != NULL && g_strcmp0 (header->format, "png") != 0
      && g_strcmp0 (header->format, "jpg") != 0 && g_strcmp0 (header->format, "jpeg") != 0
      && g_strcmp0 (header->format, "webp") != 0)
    {
      *out_problem = RL_MBTILES_NOT_RASTER;
      *out_detail = g_steal_pointer (&header->format);
      rl_mbtiles_header_clear (header);
      sqlite3_finalize (stmt);
      return FALSE;
    }

  header->name = read_metadata (db, "name");
  min_zoom = read_metadata (db, "minzoom");
  max_zoom = read_metadata (db, "maxzoom");
  if (min_zoom != NULL)
    header->min_zoom = (guint) MIN (g_ascii_strtoull (min_zoom, NULL, 10), RL_MBTILES_MAX_ZOOM);
  if (max_zoom != NULL)
    header->max_zoom = (guint) CLAMP (g_ascii_strtoull (max_zoom, NULL, 10), header->min_zoom,
                                      RL_MBTILES_MAX_ZOOM);

  if (out_tile_stmt != NULL)
    *out_tile_stmt = stmt;
  else
    sqlite3_finalize (stmt);
  return TRUE;
}

void
rl_mbtiles_header_clear (RlMbtilesHeader *header)
{
  g_clear_pointer (&header->format, g_free);
  g_clear_pointer (&header->name, g_free);
  header->min_zoom = 0;
  header->max_zoom = RL_MBTILES_MAX_ZOOM;
}
