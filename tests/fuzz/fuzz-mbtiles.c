/* fuzz-mbtiles.c — an MBTiles map pack's header, as the import checks it
 * (src/core/domain/rl-mbtiles.c), on a database made of the input.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the bytes of the file. SQLite opens them read-only in memory
 * (sqlite3_deserialize: what the import does with a file, without the
 * disk); then the header is read and a few tiles are read as the map
 * source reads them. A pack that passes has zooms 0 ≤ min ≤ max ≤ 22 and a
 * raster format (or none).
 */
#include <string.h>

#include <sqlite3.h>

#include "fuzz-util.h"
#include "rl-mbtiles.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  sqlite3         *db = NULL;
  sqlite3_stmt    *stmt = NULL;
  unsigned char   *copy;
  RlMbtilesHeader  header;
  RlMbtilesProblem problem;
  g_autofree char *detail = NULL;

  g_assert_cmpint (sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  /* SQLite frees the copy (FREEONCLOSE); it must come from its allocator. */
  copy = sqlite3_malloc64 (size > 0 ? size : 1);
  g_assert_nonnull (copy);
  memcpy (copy, data, size);
  if (sqlite3_deserialize (db, "main", copy, (sqlite3_int64) size, (sqlite3_int64) size,
                           SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY)
      != SQLITE_OK)
    {
      sqlite3_close (db);
      return 0;
    }

  if (!rl_mbtiles_header_read (db, &header, &stmt, &problem, &detail))
    {
      g_assert_null (stmt);
      g_assert_nonnull (detail);
      g_assert_true (problem == RL_MBTILES_NOT_MBTILES || problem == RL_MBTILES_NOT_RASTER);
      g_assert_null (header.format);
      g_assert_null (header.name);
    }
  else
    {
      g_assert_nonnull (stmt);
      g_assert_null (detail);
      g_assert_cmpuint (header.min_zoom, <=, header.max_zoom);
      g_assert_cmpuint (header.max_zoom, <=, RL_MBTILES_MAX_ZOOM);
      g_assert_true (header.format == NULL || g_str_equal (header.format, "png")
                     || g_str_equal (header.format, "jpg") || g_str_equal (header.format, "jpeg")
                     || g_str_equal (header.format, "webp"));
      /* The map source's read (rl-tile-sources.c read_tile): TMS rows. */
      for (int z = (int) header.min_zoom; z <= (int) MIN (header.min_zoom + 2, header.max_zoom);
           z++)
        {
          sqlite3_reset (stmt);
          sqlite3_bind_int (stmt, 1, z);
          sqlite3_bind_int (stmt, 2, 0);
          sqlite3_bind_int64 (stmt, 3, ((gint64) 1 << z) - 1);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            {
              g_autoptr (GBytes) bytes = g_bytes_new (sqlite3_column_blob (stmt, 0),
                                                      (gsize) sqlite3_column_bytes (stmt, 0));

              (void) g_bytes_get_size (bytes);
            }
        }
      sqlite3_finalize (stmt);
      rl_mbtiles_header_clear (&header);
    }
  sqlite3_close (db);
  return 0;
}
