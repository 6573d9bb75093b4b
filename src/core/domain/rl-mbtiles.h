/* rl-mbtiles.h — the header of an MBTiles map pack (an SQLite file): what
 * the import checks before it copies a file, without GTK.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * src/map/rl-tile-sources.c opens the file read-only and reads its tiles
 * through the statement this gives; tests/fuzz/fuzz-mbtiles.c reads
 * fuzzed databases through it (docs/testing.md "Fuzzing").
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef enum
{
  RL_MBTILES_NOT_MBTILES, /* no tiles table as MBTiles 1.x has it (or not SQLite) */
  RL_MBTILES_NOT_RASTER,  /* metadata.format is not png, jpg, jpeg or webp */
} RlMbtilesProblem;

typedef struct
{
  char *format;   /* metadata.format; NULL when absent */
  char *name;     /* metadata.name; NULL when absent */
  guint min_zoom; /* metadata.minzoom, clamped to 0..22 (0 when absent) */
  guint max_zoom; /* metadata.maxzoom, clamped to min_zoom..22 (22 when absent) */
} RlMbtilesHeader;

#define RL_MBTILES_MAX_ZOOM 22

/* Reads the header of the open database @db into @header. FALSE with
 * *@out_problem and *@out_detail (SQLite's words, or the format; free it)
 * when it is not a raster map pack; @header is then cleared. With
 * @out_tile_stmt, TRUE also gives the prepared tile read (zoom_level,
 * tile_column, tile_row → tile_data) to the caller. */
gboolean rl_mbtiles_header_read (sqlite3          *db,
                                 RlMbtilesHeader  *header,
                                 sqlite3_stmt    **out_tile_stmt,
                                 RlMbtilesProblem *out_problem,
                                 char            **out_detail);
void     rl_mbtiles_header_clear (RlMbtilesHeader *header);

G_END_DECLS
