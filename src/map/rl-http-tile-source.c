/* rl-http-tile-source.c — HTTP tiles: user agent, revalidation, cache
 * headers honoured on disk.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A tile is two files under the cache directory: z/x/y.png and z/x/y.meta
 * (a key file: etag, last-modified, fresh-until in Unix seconds). A fresh
 * tile is served from disk; a stale one is shown at once and revalidated
 * (If-None-Match, else If-Modified-Since); when the network fails the stale
 * tile stays and no failure is reported.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "rl-http-tile-source.h"

/* When the server gives no cache headers: a week, as libshumate does. */
#define DEFAULT_FRESH_S (7 * 24 * 3600)
/* The OSM tile usage policy: at most 2 connections per host. */
#define MAX_CONNS_PER_HOST 2

struct _RlHttpTileSource
{
  ShumateDataSource parent_instance;

  char        *url_template;
  char        *api_key;
  char        *cache_dir;
  SoupSession *session;

  RlTileFailure failure;
  guint         failure_status;
  guint         n_loaded;
  guint         n_requests;
  guint         n_revalidated;
};

G_DEFINE_FINAL_TYPE (RlHttpTileSource, rl_http_tile_source, SHUMATE_TYPE_DATA_SOURCE)

enum
{
  PROP_0,
  PROP_FAILURE,
  PROP_N_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  int          x, y, z;
  char        *png_path;
  char        *meta_path;
  GBytes      *cached;      /* what the disk had, or NULL */
  char        *etag;        /* of the cached tile */
  char        *modified;    /* Last-Modified of the cached tile */
  gint64       fresh_until; /* of the cached tile */
  SoupMessage *msg;
  GBytes      *fetched;  /* a 200's body, to be written */
  char        *new_meta; /* the key file to write with it */
} TileJob;

static void
tile_job_free (TileJob *job)
{
  g_free (job->png_path);
  g_free (job->meta_path);
  g_clear_pointer (&job->cached, g_bytes_unref);
  g_free (job->etag);
  g_free (job->modified);
  g_clear_object (&job->msg);
  g_clear_pointer (&job->fetched, g_bytes_unref);
  g_free (job->new_meta);
  g_free (job);
}

/* ---- Helpers ------------------------------------------------------------ */

static void
set_failure (RlHttpTileSource *self,
             RlTileFailure     failure,
             guint             status)
{
  self->failure_status = status;
  if (self->failure == failure)
    return;
  self->failure = failure;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE]);
}

static void
deliver (RlHttpTileSource *self,
         TileJob          *job,
         GBytes           *bytes)
{
  g_signal_emit_by_name (self, "received-data", job->x, job->y, job->z, bytes);
  self->n_loaded++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_LOADED]);
}

/* ---- Disk (worker threads) ------------------------------------------------- */

static void
read_cache_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  TileJob *job = task_data;
  g_autoptr (GKeyFile) meta = g_key_file_new ();
  char *contents = NULL;
  gsize len = 0;

  if (g_file_get_contents (job->png_path, &contents, &len, NULL))
    job->cached = g_bytes_new_take (contents, len);
  if (job->cached != NULL && g_key_file_load_from_file (meta, job->meta_path, 0, NULL))
    {
      job->etag = g_key_file_get_string (meta, "tile", "etag", NULL);
      job->modified = g_key_file_get_string (meta, "tile", "last-modified", NULL);
      job->fresh_until = g_key_file_get_int64 (meta, "tile", "fresh-until", NULL);
    }
  g_task_return_boolean (task, TRUE);
}

static void
write_cache_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  TileJob         *job = task_data;
  g_autofree char *dir = g_path_get_dirname (job->png_path);

  if (g_mkdir_with_parents (dir, 0700) == 0)
    {
      /* Private like every file of the console (docs/reliability.md). */
      if (job->fetched != NULL)
        g_file_set_contents_full (job->png_path, g_bytes_get_data (job->fetched, NULL),
                                  (gssize) g_bytes_get_size (job->fetched),
                                  G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL);
      if (job->new_meta != NULL)
        g_file_set_contents_full (job->meta_path, job->new_meta, -1,
                                  G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL);
    }
  g_task_return_boolean (task, TRUE);
}

static void
write_cache (RlHttpTileSource *self,
             TileJob          *job,
             GBytes           *fetched,
             const char       *etag,
             const char       *modified,
             gint64            fresh_until)
{
  g_autoptr (GKeyFile) meta = g_key_file_new ();
  TileJob *copy = g_new0 (TileJob, 1);
  g_autoptr (GTask) task = g_task_new (self, NULL, NULL, NULL);

  if (etag != NULL)
    g_key_file_set_string (meta, "tile", "etag", etag);
  if (modified != NULL)
    g_key_file_set_string (meta, "tile", "last-modified", modified);
  g_key_file_set_int64 (meta, "tile", "fresh-until", fresh_until);
  copy->png_path = g_strdup (job->png_path);
  copy->meta_path = g_strdup (job->meta_path);
  copy->fetched = fetched != NULL ? g_bytes_ref (fetched) : NULL;
  copy->new_meta = g_key_file_to_data (meta, NULL, NULL);
  g_task_set_source_tag (task, write_cache);
  g_task_set_task_data (task, copy, (GDestroyNotify) tile_job_free);
  g_task_run_in_thread (task, write_cache_thread);
}

/* ---- Network ------------------------------------------------------------ */

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlHttpTileSource *self = g_task_get_source_object (task);
  TileJob          *job = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                               &error);
  guint               status = error == NULL ? soup_message_get_status (job->msg) : 0;
  SoupMessageHeaders *headers = soup_message_get_response_headers (job->msg);
  gint64              now = g_get_real_time () / G_USEC_PER_SEC;
  RlTileFailure       failure;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (status == SOUP_STATUS_NOT_MODIFIED && job->cached != NULL)
    {
      write_cache (self, job, NULL, job->etag, job->modified,
                   rl_tile_fresh_until (headers, now, DEFAULT_FRESH_S));
      set_failure (self, RL_TILE_FAILURE_NONE, 0);
      g_task_return_pointer (task, g_bytes_ref (job->cached), (GDestroyNotify) g_bytes_unref);
      return;
    }
  failure = rl_tile_failure_from_response (status, error);
  if (failure == RL_TILE_FAILURE_NONE && body != NULL)
    {
      write_cache (self, job, body, soup_message_headers_get_one (headers, "ETag"),
                   soup_message_headers_get_one (headers, "Last-Modified"),
                   rl_tile_fresh_until (headers, now, DEFAULT_FRESH_S));
      set_failure (self, RL_TILE_FAILURE_NONE, 0);
      deliver (self, job, body);
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (job->cached != NULL)
    {
      /* The stale tile is on screen already: keep it, say nothing. */
      g_task_return_pointer (task, g_bytes_ref (job->cached), (GDestroyNotify) g_bytes_unref);
      return;
    }
  set_failure (self, failure, status);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP %u %s", status,
                             soup_status_get_phrase (status));
}

static void
cache_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlHttpTileSource   *self = RL_HTTP_TILE_SOURCE (object);
  TileJob            *job = g_task_get_task_data (task);
  gint64              now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char    *url = NULL;
  SoupMessageHeaders *headers;
  GCancellable       *cancellable;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (job->cached != NULL)
    {
      deliver (self, job, job->cached);
      if (job->fresh_until > now)
        {
          g_task_return_pointer (task, g_bytes_ref (job->cached), (GDestroyNotify) g_bytes_unref);
          return;
        }
    }

  url = rl_tile_expand (self->url_template, job->z, job->x, job->y, self->api_key);
  job->msg = soup_message_new ("GET", url);
  if (job->msg == NULL)
    {
      set_failure (self, RL_TILE_FAILURE_NETWORK, 0);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Bad tile URL");
      return;
    }
  headers = soup_message_get_request_headers (job->msg);
  if (job->cached != NULL && job->etag != NULL)
    soup_message_headers_append (headers, "If-None-Match", job->etag);
  else if (job->cached != NULL && job->modified != NULL)
    soup_message_headers_append (headers, "If-Modified-Since", job->modified);
  if (job->cached != NULL)
    self->n_revalidated++;
  self->n_requests++;
  cancellable = g_task_get_cancellable (task);
  soup_session_send_and_read_async (self->session, job->msg, G_PRIORITY_DEFAULT, cancellable,
                                    sent_cb, g_steal_pointer (&task));
}

static void
rl_http_tile_source_get_tile_data_async (ShumateDataSource  *source,
                                         int                 x,
                                         int                 y,
                                         int                 zoom_level,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data)
{
  RlHttpTileSource *self = RL_HTTP_TILE_SOURCE (source);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) read = NULL;
  TileJob         *job = g_new0 (TileJob, 1);
  g_autofree char *z = g_strdup_printf ("%d", zoom_level);
  g_autofree char *xs = g_strdup_printf ("%d", x);
  g_autofree char *png = g_strdup_printf ("%d.png", y);
  g_autofree char *meta = g_strdup_printf ("%d.meta", y);

  job->x = x;
  job->y = y;
  job->z = zoom_level;
  job->png_path = g_build_filename (self->cache_dir, z, xs, png, NULL);
  job->meta_path = g_build_filename (self->cache_dir, z, xs, meta, NULL);
  g_task_set_source_tag (task, rl_http_tile_source_get_tile_data_async);
  g_task_set_task_data (task, job, (GDestroyNotify) tile_job_free);

  /* The read fills job in a worker; the callback takes the outer task. */
  read = g_task_new (self, cancellable, cache_read_cb, g_steal_pointer (&task));
  g_task_set_source_tag (read, read_cache_thread);
  g_task_set_task_data (read, job, NULL);
  g_task_run_in_thread (read, read_cache_thread);
}

static GBytes *
rl_http_tile_source_get_tile_data_finish (ShumateDataSource *source,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject ------------------------------------------------------------ */

static void
rl_http_tile_source_finalize (GObject *object)
{
  RlHttpTileSource *self = RL_HTTP_TILE_SOURCE (object);

  g_free (self->url_template);
  g_free (self->api_key);
  g_free (self->cache_dir);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (rl_http_tile_source_parent_class)->finalize (object);
}

static void
rl_http_tile_source_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RlHttpTileSource *self = RL_HTTP_TILE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_FAILURE:
      g_value_set_int (value, self->failure);
      break;
    case PROP_N_LOADED:
      g_value_set_uint (value, self->n_loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_http_tile_source_class_init (RlHttpTileSourceClass *klass)
{
  GObjectClass           *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->finalize = rl_http_tile_source_finalize;
  object_class->get_property = rl_http_tile_source_get_property;
  source_class->get_tile_data_async = rl_http_tile_source_get_tile_data_async;
  source_class->get_tile_data_finish = rl_http_tile_source_get_tile_data_finish;

  properties[PROP_FAILURE] =
      g_param_spec_int ("failure", NULL, NULL, RL_TILE_FAILURE_NONE, RL_TILE_FAILURE_OFFLINE,
                        RL_TILE_FAILURE_NONE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_LOADED] =
      g_param_spec_uint ("n-loaded", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_http_tile_source_init (RlHttpTileSource *self)
{
}

RlHttpTileSource *
rl_http_tile_source_new (const char *url_template,
                         const char *cache_dir)
{
  RlHttpTileSource *self = g_object_new (RL_TYPE_HTTP_TILE_SOURCE, NULL);

  self->url_template = g_strdup (url_template);
  self->cache_dir = g_strdup (cache_dir);
  self->session = soup_session_new_with_options ("user-agent", rl_tile_user_agent (),
                                                 "max-conns-per-host", MAX_CONNS_PER_HOST, NULL);
  return self;
}

void
rl_http_tile_source_set_api_key (RlHttpTileSource *self,
                                 const char       *api_key)
{
  g_return_if_fail (RL_IS_HTTP_TILE_SOURCE (self));
  g_free (self->api_key);
  self->api_key = g_strdup (api_key);
}

RlTileFailure
rl_http_tile_source_get_failure (RlHttpTileSource *self)
{
  return self->failure;
}

guint
rl_http_tile_source_get_failure_status (RlHttpTileSource *self)
{
  return self->failure_status;
}

gboolean
rl_http_tile_source_is_local (RlHttpTileSource *self)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GInetAddress) address = NULL;
  const char *host;

  g_return_val_if_fail (RL_IS_HTTP_TILE_SOURCE (self), FALSE);

  uri = g_uri_parse (self->url_template, G_URI_FLAGS_PARSE_RELAXED, NULL);
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

guint
rl_http_tile_source_get_n_loaded (RlHttpTileSource *self)
{
  return self->n_loaded;
}

guint
rl_http_tile_source_get_n_requests (RlHttpTileSource *self)
{
  return self->n_requests;
}

guint
rl_http_tile_source_get_n_revalidated (RlHttpTileSource *self)
{
  return self->n_revalidated;
}

char *
rl_http_tile_source_cache_dir_for (const char *url_template)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url_template, -1);

  return g_build_filename (g_get_user_cache_dir (), "reloop-console", "tiles", hash, NULL);
}
