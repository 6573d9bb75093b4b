/* test-http-tiles.c — RlHttpTileSource against a loopback tile server: our
 * User-Agent on every request, the disk cache honouring Cache-Control
 * max-age (a fresh tile is not asked for again), revalidation with
 * If-None-Match (a 304 keeps the cached tile), and failures in categories
 * (404, 429, nobody listening), a cached tile outliving a failing server.
 * No display needed: the data source alone.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "rl-http-tile-source.h"
#include "rl-test-util.h"

static const guint8 tile_bytes[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3 };

typedef struct
{
  guint       n_requests;
  guint       n_conditional;
  char       *last_user_agent;
  const char *cache_control; /* of the 200s */
  guint       status;        /* 0: serve the tile */
} Server;

static void
tile_cb (SoupServer        *soup,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Server             *server = user_data;
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *out = soup_server_message_get_response_headers (msg);
  const char         *etag = soup_message_headers_get_one (in, "If-None-Match");

  server->n_requests++;
  g_free (server->last_user_agent);
  server->last_user_agent = g_strdup (soup_message_headers_get_one (in, "User-Agent"));
  if (server->status != 0)
    {
      soup_server_message_set_status (msg, server->status, NULL);
      return;
    }
  if (etag != NULL)
    {
      server->n_conditional++;
      if (g_str_equal (etag, "\"v1\""))
        {
          soup_message_headers_replace (out, "Cache-Control", server->cache_control);
          soup_server_message_set_status (msg, 304, NULL);
          return;
        }
    }
  soup_message_headers_replace (out, "ETag", "\"v1\"");
  soup_message_headers_replace (out, "Cache-Control", server->cache_control);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_STATIC, (char *) tile_bytes,
                                    sizeof tile_bytes);
}

typedef struct
{
  gboolean done;
  GBytes  *bytes;
  GError  *error;
  guint    n_received;
} Fetch;

static void
received_cb (ShumateDataSource *source,
             int                x,
             int                y,
             int                z,
             GBytes            *bytes,
             Fetch             *fetch)
{
  fetch->n_received++;
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object), result,
                                                           &fetch->error);
  fetch->done = TRUE;
}

static gboolean
fetch_done (gpointer user_data)
{
  return ((Fetch *) user_data)->done;
}

/* Fetches tile (1, 2, 3); returns what the source answered. */
static Fetch
fetch (RlHttpTileSource *source)
{
  Fetch  fetch = { 0 };
  gulong id = g_signal_connect (source, "received-data", G_CALLBACK (received_cb), &fetch);

  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), 1, 2, 3, NULL,
                                           fetched_cb, &fetch);
  g_assert_true (rl_test_wait_until (fetch_done, &fetch, 10000));
  g_signal_handler_disconnect (source, id);
  /* Let the cache write (a worker thread) land. */
  rl_test_run_main_loop (100);
  return fetch;
}

static void
fetch_clear (Fetch *fetch)
{
  g_clear_pointer (&fetch->bytes, g_bytes_unref);
  g_clear_error (&fetch->error);
}

static char *
listen_on (SoupServer *soup,
           Server     *server)
{
  g_autoptr (GError) error = NULL;
  GSList *uris;
  char   *url;

  soup_server_add_handler (soup, "/tiles", tile_cb, server, NULL);
  g_assert_true (soup_server_listen_local (soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (soup);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

static void
test_cache_headers (void)
{
  g_autoptr (SoupServer) soup = soup_server_new (NULL, NULL);
  Server           server = { .cache_control = "public, max-age=3600" };
  g_autofree char *url = listen_on (soup, &server);
  g_autofree char *template = g_strconcat (url, "tiles/{z}/{x}/{y}.png", NULL);
  g_autofree char *cache = g_dir_make_tmp ("rl-http-tiles-XXXXXX", NULL);
  g_autoptr (RlHttpTileSource) source = rl_http_tile_source_new (template, cache);
  g_autofree char *meta = g_build_filename (cache, "3", "1", "2.meta", NULL);
  Fetch            f;

  /* First: from the network, with our user agent, written to disk. */
  f = fetch (source);
  g_assert_no_error (f.error);
  g_assert_cmpmem (g_bytes_get_data (f.bytes, NULL), g_bytes_get_size (f.bytes), tile_bytes,
                   sizeof tile_bytes);
  g_assert_cmpuint (f.n_received, ==, 1);
  g_assert_cmpuint (server.n_requests, ==, 1);
  g_assert_cmpstr (server.last_user_agent, ==, rl_tile_user_agent ());
  g_assert_true (g_str_has_prefix (server.last_user_agent, "org.reloop.Console/"));
  g_assert_true (g_file_test (meta, G_FILE_TEST_EXISTS));
  /* Private, as every file the console writes: 0600 files in 0700 folders. */
  {
    g_autofree char *png = g_build_filename (cache, "3", "1", "2.png", NULL);
    g_autofree char *dir = g_build_filename (cache, "3", "1", NULL);
    GStatBuf         st;

    g_assert_cmpint (g_stat (png, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    g_assert_cmpint (g_stat (meta, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    g_assert_cmpint (g_stat (dir, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  }
  fetch_clear (&f);

  /* Again within max-age: from the disk, nobody asked. */
  f = fetch (source);
  g_assert_no_error (f.error);
  g_assert_cmpuint (f.n_received, ==, 1);
  g_assert_cmpuint (server.n_requests, ==, 1);
  fetch_clear (&f);

  /* Expired (the server said no-cache this time): the cached tile shows at
   * once, then is revalidated with its ETag; a 304 keeps it. */
  {
    g_autoptr (GKeyFile) kf = g_key_file_new ();

    g_assert_true (g_key_file_load_from_file (kf, meta, 0, NULL));
    g_key_file_set_int64 (kf, "tile", "fresh-until", 1);
    g_assert_true (g_key_file_save_to_file (kf, meta, NULL));
  }
  f = fetch (source);
  g_assert_no_error (f.error);
  g_assert_nonnull (f.bytes);
  g_assert_cmpuint (server.n_requests, ==, 2);
  g_assert_cmpuint (server.n_conditional, ==, 1);
  g_assert_cmpuint (rl_http_tile_source_get_n_revalidated (source), ==, 1);
  fetch_clear (&f);
  /* The 304's max-age made it fresh again. */
  f = fetch (source);
  g_assert_cmpuint (server.n_requests, ==, 2);
  fetch_clear (&f);

  /* Expired while the server fails: the stale tile stays, no failure. */
  {
    g_autoptr (GKeyFile) kf = g_key_file_new ();

    g_assert_true (g_key_file_load_from_file (kf, meta, 0, NULL));
    g_key_file_set_int64 (kf, "tile", "fresh-until", 1);
    g_assert_true (g_key_file_save_to_file (kf, meta, NULL));
  }
  server.status = 503;
  f = fetch (source);
  g_assert_no_error (f.error);
  g_assert_nonnull (f.bytes);
  g_assert_cmpint (rl_http_tile_source_get_failure (source), ==, RL_TILE_FAILURE_NONE);
  fetch_clear (&f);

  g_free (server.last_user_agent);
  rl_test_rm_rf (cache);
}

static void
test_failures (void)
{
  const struct
  {
    guint         status;
    RlTileFailure failure;
  } cases[] = {
    { 404, RL_TILE_FAILURE_NOT_FOUND },
    { 429, RL_TILE_FAILURE_RATE_LIMITED },
    { 403, RL_TILE_FAILURE_DENIED },
    { 500, RL_TILE_FAILURE_SERVER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (SoupServer) soup = soup_server_new (NULL, NULL);
      Server           server = { .cache_control = "max-age=60", .status = cases[i].status };
      g_autofree char *url = listen_on (soup, &server);
      g_autofree char *template = g_strconcat (url, "tiles/{z}/{x}/{y}.png", NULL);
      g_autofree char *cache = g_dir_make_tmp ("rl-http-tiles-XXXXXX", NULL);
      g_autoptr (RlHttpTileSource) source = rl_http_tile_source_new (template, cache);
      Fetch f = fetch (source);

      g_assert_nonnull (f.error);
      g_assert_null (f.bytes);
      g_assert_cmpuint (f.n_received, ==, 0);
      g_assert_cmpint (rl_http_tile_source_get_failure (source), ==, cases[i].failure);
      g_assert_cmpuint (rl_http_tile_source_get_failure_status (source), ==, cases[i].status);
      fetch_clear (&f);

      /* The server comes good: the failure clears with the first tile. */
      server.status = 0;
      f = fetch (source);
      g_assert_no_error (f.error);
      g_assert_cmpint (rl_http_tile_source_get_failure (source), ==, RL_TILE_FAILURE_NONE);
      fetch_clear (&f);
      g_free (server.last_user_agent);
      rl_test_rm_rf (cache);
    }

  /* Nobody listening: a network failure. */
  {
    g_autoptr (SoupServer) soup = soup_server_new (NULL, NULL);
    Server           server = { .cache_control = "max-age=60" };
    g_autofree char *url = listen_on (soup, &server);
    g_autofree char *template = g_strconcat (url, "tiles/{z}/{x}/{y}.png", NULL);
    g_autofree char *cache = g_dir_make_tmp ("rl-http-tiles-XXXXXX", NULL);
    g_autoptr (RlHttpTileSource) source = rl_http_tile_source_new (template, cache);
    Fetch f;

    soup_server_disconnect (soup);
    f = fetch (source);
    g_assert_nonnull (f.error);
    g_assert_cmpint (rl_http_tile_source_get_failure (source), ==, RL_TILE_FAILURE_NETWORK);
    fetch_clear (&f);
    rl_test_rm_rf (cache);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/http-tiles/cache-headers", test_cache_headers);
  g_test_add_func ("/http-tiles/failures", test_failures);
  return g_test_run ();
}
