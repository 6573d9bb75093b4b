/* rl-tile-sources.c — URL template, MBTiles pack and plain tile sources.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libshumate 1.0's ShumateRasterRenderer paints a tile when its data source
 * emits ::received-data, then completes the request: RlMbtilesSource reads
 * the blob in a worker thread and emits the signal back on the main thread.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sqlite3.h>

#include "rl-tile-sources.h"
#include "rl-mbtiles.h"
#include "rl-url.h"

/* clang-format off */
G_DEFINE_QUARK (rl-tile-source-error-quark, rl_tile_source_error)
/* clang-format on */

ShumateMapSource *
rl_tile_source_new_for_url (const char *url_template,
                            GError    **error)
{
  return rl_tile_source_new_for_http (url_template, NULL, error);
}

ShumateMapSource *
rl_tile_source_new_for_http (const char        *url_template,
                             RlHttpTileSource **out_data,
                             GError           **error)
{
  g_autofree char *normalised = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *id = NULL;
  g_autoptr (RlHttpTileSource) data = NULL;

  if (!rl_url_validate_tile_template (url_template, &normalised, error))
    return NULL;

  cache_dir = rl_http_tile_source_cache_dir_for (normalised);
  data = rl_http_tile_source_new (normalised, cache_dir);
  /* One id per template: libshumate keeps tiles in memory by source id. */
  id = g_strdup_printf ("reloop-url:%s", normalised);
  if (out_data != NULL)
    *out_data = g_object_ref (data);
  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (
      id, _ ("Tile server"), NULL, NULL, 0, 19, 256, SHUMATE_MAP_PROJECTION_MERCATOR,
      SHUMATE_DATA_SOURCE (data)));
}

ShumateMapSource *
rl_tile_source_new_for_mbtiles (const char *path,
                                GError    **error)
{
  g_autoptr (RlMbtilesSource) data = rl_mbtiles_source_new (path, error);

  if (data == NULL)
    return NULL;
  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (
      "reloop-mbtiles", rl_mbtiles_source_get_name (data), NULL, NULL,
      rl_mbtiles_source_get_min_zoom (data), rl_mbtiles_source_get_max_zoom (data), 256,
      SHUMATE_MAP_PROJECTION_MERCATOR, SHUMATE_DATA_SOURCE (data)));
}

/* ---- MBTiles ------------------------------------------------------------ */

struct _RlMbtilesSource
{
  ShumateDataSource parent_instance;

  char         *path;
  char         *name;
  guint         min_zoom, max_zoom;
  GMutex        lock; /* guards db and stmt: reads come from worker threads */
  sqlite3      *db;
  sqlite3_stmt *stmt;
  guint         n_served; /* main thread only */
};

G_DEFINE_FINAL_TYPE (RlMbtilesSource, rl_mbtiles_source, SHUMATE_TYPE_DATA_SOURCE)

typedef struct
{
  int     x, y, z;
  GBytes *bytes;
} TileRequest;

static void
tile_request_free (TileRequest *req)
{
  g_clear_pointer (&req->bytes, g_bytes_unref);
  g_free (req);
}

static GBytes *
read_tile (RlMbtilesSource *self,
           int              x,
           int              y,
           int              z,
           GError         **error)
{
  GBytes *bytes = NULL;
  int     rc;

  g_mutex_lock (&self->lock);
  sqlite3_reset (self->stmt);
  sqlite3_bind_int (self->stmt, 1, z);
  sqlite3_bind_int (self->stmt, 2, x);
  /* MBTiles rows count from the south (TMS). */
  sqlite3_bind_int64 (self->stmt, 3, ((gint64) 1 << z) - 1 - y);
  rc = sqlite3_step (self->stmt);
  if (rc == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (self->stmt, 0), sqlite3_column_bytes (self->stmt, 0));
  else if (rc == SQLITE_DONE)
    g_set_error (error, RL_TILE_SOURCE_ERROR, RL_TILE_SOURCE_ERROR_NOT_FOUND,
                 "No tile %d/%d/%d in the map pack", z, x, y);
  else
    g_set_error (error, RL_TILE_SOURCE_ERROR, RL_TILE_SOURCE_ERROR_OPEN,
                 "Cannot read the map pack: %s", sqlite3_errmsg (self->db));
  sqlite3_reset (self->stmt);
  g_mutex_unlock (&self->lock);
  return bytes;
}

static void
read_tile_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  TileRequest *req = task_data;
  GError      *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  req->bytes = read_tile (source_object, req->x, req->y, req->z, &error);
  if (req->bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
read_tile_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RlMbtilesSource *self = RL_MBTILES_SOURCE (object);
  g_autoptr (GTask) outer = user_data;
  TileRequest *req = g_task_get_task_data (G_TASK (result));
  GError      *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  g_debug ("tile %d/%d/%d: %zu bytes", req->z, req->x, req->y, g_bytes_get_size (req->bytes));
  self->n_served++;
  /* On the main thread, before completion: the raster renderer paints the
   * tile from this signal. */
  g_signal_emit_by_name (self, "received-data", req->x, req->y, req->z, req->bytes);
  g_task_return_pointer (outer, g_bytes_ref (req->bytes), (GDestroyNotify) g_bytes_unref);
}

static void
rl_mbtiles_source_get_tile_data_async (ShumateDataSource  *source,
                                       int                 x,
                                       int                 y,
                                       int                 zoom_level,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  RlMbtilesSource *self = RL_MBTILES_SOURCE (source);
  g_autoptr (GTask) outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) inner = NULL;
  TileRequest *req;

  g_task_set_source_tag (outer, rl_mbtiles_source_get_tile_data_async);
  if (zoom_level < 0 || zoom_level > 30 || x < 0 || y < 0
      || x >= (1 << zoom_level) || y >= (1 << zoom_level))
    {
      g_task_return_new_error (outer, RL_TILE_SOURCE_ERROR, RL_TILE_SOURCE_ERROR_NOT_FOUND,
                               "Tile %d/%d/%d is outside the world", zoom_level, x, y);
      return;
    }

  req = g_new0 (TileRequest, 1);
  req->x = x;
  req->y = y;
  req->z = zoom_level;
  inner = g_task_new (self, cancellable, read_tile_done, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, rl_mbtiles_source_get_tile_data_async);
  g_task_set_task_data (inner, req, (GDestroyNotify) tile_request_free);
  g_task_run_in_thread (inner, read_tile_thread);
}

static GBytes *
rl_mbtiles_source_get_tile_data_finish (ShumateDataSource *source,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rl_mbtiles_source_finalize (GObject *object)
{
  RlMbtilesSource *self = RL_MBTILES_SOURCE (object);

  g_clear_pointer (&self->stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->lock);
  g_free (self->path);
  g_free (self->name);

  G_OBJECT_CLASS (rl_mbtiles_source_parent_class)->finalize (object);
}

static void
rl_mbtiles_source_class_init (RlMbtilesSourceClass *klass)
{
  GObjectClass           *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->finalize = rl_mbtiles_source_finalize;
  source_class->get_tile_data_async = rl_mbtiles_source_get_tile_data_async;
  source_class->get_tile_data_finish = rl_mbtiles_source_get_tile_data_finish;
}

static void
rl_mbtiles_source_init (RlMbtilesSource *self)
{
  g_mutex_init (&self->lock);
  self->max_zoom = 22;
}

RlMbtilesSource *
rl_mbtiles_source_new (const char *path,
                       GError    **error)
{
  g_autoptr (RlMbtilesSource) self = NULL;
  g_autofree char *detail = NULL;
  RlMbtilesHeader  header;
  RlMbtilesProblem problem;
  int              rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, RL_TILE_SOURCE_ERROR, RL_TILE_SOURCE_ERROR_OPEN,
                   _ ("The map pack “%s” does not exist"), path);
      return NULL;
    }

  self = g_object_new (RL_TYPE_MBTILES_SOURCE, NULL);
  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RL_TILE_SOURCE_ERROR, RL_TILE_SOURCE_ERROR_OPEN,
                   _ ("Cannot open the map pack “%s”: %s"), path, sqlite3_errstr (rc));
      return NULL;
    }
  if (!rl_mbtiles_header_read (self->db, &header, &self->stmt, &problem, &detail))
    {
      if (problem == RL_MBTILES_NOT_RASTER)
        g_set_error (error, RL_TILE_SOURCE_ERROR, RL_TILE_SOURCE_ERROR_NOT_MBTILES,
                     _ ("The map pack “%s” holds %s tiles; only raster tiles can be shown"), path,
                     detail);
      else
        g_set_error (error, RL_TILE_SOURCE_ERROR, RL_TILE_SOURCE_ERROR_NOT_MBTILES,
                     _ ("“%s” is not an MBTiles map pack: %s"), path, detail);
      return NULL;
    }

  self->name = g_steal_pointer (&header.name);
  if (self->name == NULL)
    self->name = g_path_get_basename (path);
  self->min_zoom = header.min_zoom;
  self->max_zoom = header.max_zoom;
  rl_mbtiles_header_clear (&header);

  return g_steal_pointer (&self);
}

guint
rl_mbtiles_source_get_min_zoom (RlMbtilesSource *self)
{
  g_return_val_if_fail (RL_IS_MBTILES_SOURCE (self), 0);
  return self->min_zoom;
}

guint
rl_mbtiles_source_get_max_zoom (RlMbtilesSource *self)
{
  g_return_val_if_fail (RL_IS_MBTILES_SOURCE (self), 0);
  return self->max_zoom;
}

const char *
rl_mbtiles_source_get_name (RlMbtilesSource *self)
{
  g_return_val_if_fail (RL_IS_MBTILES_SOURCE (self), NULL);
  return self->name;
}

guint
rl_mbtiles_source_get_n_served (RlMbtilesSource *self)
{
  g_return_val_if_fail (RL_IS_MBTILES_SOURCE (self), 0);
  return self->n_served;
}

char *
rl_tile_source_import_mbtiles (const char *path,
                               GError    **error)
{
  g_autoptr (RlMbtilesSource) check = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *dest = NULL;
  g_autoptr (GFile) from = NULL;
  g_autoptr (GFile) to = NULL;

  check = rl_mbtiles_source_new (path, error);
  if (check == NULL)
    return NULL;

  dir = g_build_filename (g_get_user_data_dir (), "reloop-console", "map-packs", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, RL_TILE_SOURCE_ERROR, RL_TILE_SOURCE_ERROR_OPEN,
                   _ ("Cannot create “%s”: %s"), dir, g_strerror (errsv));
      return NULL;
    }
  base = g_path_get_basename (path);
  dest = g_build_filename (dir, base, NULL);
  from = g_file_new_for_path (path);
  to = g_file_new_for_path (dest);
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE | G_FILE_COPY_TARGET_DEFAULT_PERMS, NULL,
                    NULL, NULL, error))
    return NULL;
  /* Private like every file of the console (docs/reliability.md). */
  if (g_chmod (dest, 0600) != 0)
    {
      int errsv = errno;

      g_set_error (error, RL_TILE_SOURCE_ERROR, RL_TILE_SOURCE_ERROR_OPEN,
                   _ ("Cannot create “%s”: %s"), dest, g_strerror (errsv));
      return NULL;
    }
  return g_steal_pointer (&dest);
}

/* ---- Plain: a reference source that has no tiles ------------------------ */

#define RL_TYPE_NO_TILES (rl_no_tiles_get_type ())
G_DECLARE_FINAL_TYPE (RlNoTiles, rl_no_tiles, RL, NO_TILES, ShumateDataSource)

struct _RlNoTiles
{
  ShumateDataSource parent_instance;
};

G_DEFINE_FINAL_TYPE (RlNoTiles, rl_no_tiles, SHUMATE_TYPE_DATA_SOURCE)

static void
rl_no_tiles_get_tile_data_async (ShumateDataSource  *source,
                                 int                 x,
                                 int                 y,
                                 int                 zoom_level,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_task_report_new_error (source, callback, user_data, rl_no_tiles_get_tile_data_async,
                           RL_TILE_SOURCE_ERROR, RL_TILE_SOURCE_ERROR_NOT_FOUND,
                           "No tile source is configured");
}

static GBytes *
rl_no_tiles_get_tile_data_finish (ShumateDataSource *source,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rl_no_tiles_class_init (RlNoTilesClass *klass)
{
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  source_class->get_tile_data_async = rl_no_tiles_get_tile_data_async;
  source_class->get_tile_data_finish = rl_no_tiles_get_tile_data_finish;
}

static void
rl_no_tiles_init (RlNoTiles *self)
{
}

ShumateMapSource *
rl_tile_source_new_plain (void)
{
  g_autoptr (RlNoTiles) data = g_object_new (RL_TYPE_NO_TILES, NULL);

  return SHUMATE_MAP_SOURCE (
      shumate_raster_renderer_new_full ("reloop-plain", _ ("No map tiles"), NULL, NULL,
                                        0, 20, 256, SHUMATE_MAP_PROJECTION_MERCATOR,
                                        SHUMATE_DATA_SOURCE (data)));
}

static void
import_mbtiles_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;
  char   *path = rl_tile_source_import_mbtiles (task_data, &error);

  if (path == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

void
rl_tile_source_import_mbtiles_async (gpointer            source_object,
                                     const char         *path,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (source_object, cancellable, callback, user_data);

  g_return_if_fail (path != NULL);

  g_task_set_source_tag (task, rl_tile_source_import_mbtiles_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, import_mbtiles_thread);
}

char *
rl_tile_source_import_mbtiles_finish (GAsyncResult *result,
                                      GError      **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GtkFileChooserNative *
rl_tile_source_pack_chooser_new (GtkWindow *parent)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_ ("Import Offline Map Pack"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Import"),
                                         _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _ ("Offline map packs (MBTiles)"));
  gtk_file_filter_add_pattern (filter, "*.mbtiles");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  return chooser;
}
