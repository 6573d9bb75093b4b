/* test-tile-choice.c — the map's tile source choice (core, no GTK): the
 * server's /tiles probe against a loopback server, the choice it leads to,
 * tile failures in words' categories, the cache rules of a tile response
 * and the first view fitted to a fleet.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "rl-map-view.h"
#include "rl-tile-choice.h"

/* ---- The probe over HTTP ---------------------------------------------------- */

static const guint8 png_magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static void
tiles_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  const char *mode = user_data;

  if (g_str_equal (mode, "png") && g_str_equal (path, "/tiles/0/0/0.png"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_STATIC, (char *) png_magic,
                                        sizeof png_magic);
    }
  else if (g_str_equal (mode, "html"))
    {
      /* A single-page app answering everything with its index. */
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<html/>", 7);
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  RlTileProbe *out = user_data;

  *out = rl_tile_probe_finish (result);
}

static RlTileProbe
probe (const char *url)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  RlTileProbe answer = (RlTileProbe) -1;

  rl_tile_probe_async (session, url, NULL, probe_done_cb, &answer);
  while (answer == (RlTileProbe) -1)
    g_main_context_iteration (NULL, TRUE);
  return answer;
}

static char *
serve (SoupServer *server,
       const char *mode)
{
  g_autoptr (GError) error = NULL;
  GSList *uris;
  char   *url;

  soup_server_add_handler (server, NULL, tiles_cb, (gpointer) mode, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

static void
test_probe_http (void)
{
  const struct
  {
    const char *mode;
    RlTileProbe expected;
  } cases[] = {
    { "png", RL_TILE_PROBE_OFFERED },
    { "404", RL_TILE_PROBE_NOT_OFFERED },
    { "html", RL_TILE_PROBE_NOT_OFFERED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
      g_autofree char *url = serve (server, cases[i].mode);

      g_assert_cmpint (probe (url), ==, cases[i].expected);
    }

  /* Nobody listening: unreachable, to be asked again at the next sign-in. */
  {
    g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
    g_autofree char *url = serve (server, "png");

    soup_server_disconnect (server);
    g_assert_cmpint (probe (url), ==, RL_TILE_PROBE_UNREACHABLE);
  }
}

/* ---- The verdicts and the choice ------------------------------------------------ */

static void
test_probe_verdicts (void)
{
  g_autoptr (GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                    "refused");

  g_assert_cmpint (rl_tile_probe_from_response (200, "image/png", NULL), ==,
                   RL_TILE_PROBE_OFFERED);
  g_assert_cmpint (rl_tile_probe_from_response (200, "text/html", NULL), ==,
                   RL_TILE_PROBE_NOT_OFFERED);
  g_assert_cmpint (rl_tile_probe_from_response (404, "application/json", NULL), ==,
                   RL_TILE_PROBE_NOT_OFFERED);
  g_assert_cmpint (rl_tile_probe_from_response (503, NULL, NULL), ==,
                   RL_TILE_PROBE_UNREACHABLE);
  g_assert_cmpint (rl_tile_probe_from_response (0, NULL, refused), ==,
                   RL_TILE_PROBE_UNREACHABLE);

  g_assert_true (rl_tile_probe_needed (RL_TILE_PROBE_UNKNOWN));
  g_assert_true (rl_tile_probe_needed (RL_TILE_PROBE_UNREACHABLE));
  g_assert_false (rl_tile_probe_needed (RL_TILE_PROBE_OFFERED));
  g_assert_false (rl_tile_probe_needed (RL_TILE_PROBE_NOT_OFFERED));

  for (RlTileProbe p = RL_TILE_PROBE_UNKNOWN; p <= RL_TILE_PROBE_UNREACHABLE; p++)
    g_assert_cmpint (rl_tile_probe_from_string (rl_tile_probe_to_string (p)), ==, p);
}

static void
test_choose (void)
{
  const char      *server = "https://reloop.example.org/";
  char            *attribution = NULL;
  g_autofree char *t = NULL;

  /* The server offers tiles: its own, no attribution of ours. */
  t = rl_tile_choose (RL_TILE_SOURCE_AUTO, RL_TILE_PROBE_OFFERED, server, "", "", &attribution);
  g_assert_cmpstr (t, ==, "https://reloop.example.org/tiles/{z}/{x}/{y}.png");
  g_assert_cmpstr (attribution, ==, "");
  g_clear_pointer (&t, g_free);
  g_clear_pointer (&attribution, g_free);

  /* It does not, or cannot be asked: OpenStreetMap, attributed. */
  for (RlTileProbe p = RL_TILE_PROBE_NOT_OFFERED; p <= RL_TILE_PROBE_UNREACHABLE; p++)
    {
      t = rl_tile_choose (RL_TILE_SOURCE_AUTO, p, server, "", "", &attribution);
      g_assert_cmpstr (t, ==, RL_TILE_OSM_TEMPLATE);
      g_assert_cmpstr (attribution, ==, "© OpenStreetMap contributors");
      g_clear_pointer (&t, g_free);
      g_clear_pointer (&attribution, g_free);
    }

  /* Not asked yet: nothing until the answer. */
  t = rl_tile_choose (RL_TILE_SOURCE_AUTO, RL_TILE_PROBE_UNKNOWN, server, "", "", &attribution);
  g_assert_null (t);
  g_assert_null (attribution);

  /* OpenStreetMap chosen, whatever the server offers. */
  t = rl_tile_choose (RL_TILE_SOURCE_OSM, RL_TILE_PROBE_OFFERED, server, "", "", &attribution);
  g_assert_cmpstr (t, ==, RL_TILE_OSM_TEMPLATE);
  g_assert_cmpstr (attribution, ==, RL_TILE_OSM_ATTRIBUTION);
  g_clear_pointer (&t, g_free);
  g_clear_pointer (&attribution, g_free);

  /* Custom: the template and its attribution; empty: automatic. */
  t = rl_tile_choose (RL_TILE_SOURCE_CUSTOM, RL_TILE_PROBE_OFFERED, server,
                      "https://maps.example.com/{z}/{x}/{y}.png?key={apikey}", "© Example",
                      &attribution);
  g_assert_cmpstr (t, ==, "https://maps.example.com/{z}/{x}/{y}.png?key={apikey}");
  g_assert_cmpstr (attribution, ==, "© Example");
  g_clear_pointer (&t, g_free);
  g_clear_pointer (&attribution, g_free);
  t = rl_tile_choose (RL_TILE_SOURCE_CUSTOM, RL_TILE_PROBE_NOT_OFFERED, server, "", "x",
                      &attribution);
  g_assert_cmpstr (t, ==, RL_TILE_OSM_TEMPLATE);
  g_clear_pointer (&attribution, g_free);

  g_assert_cmpint (rl_tile_source_kind_from_string ("osm"), ==, RL_TILE_SOURCE_OSM);
  g_assert_cmpint (rl_tile_source_kind_from_string ("custom"), ==, RL_TILE_SOURCE_CUSTOM);
  g_assert_cmpint (rl_tile_source_kind_from_string ("auto"), ==, RL_TILE_SOURCE_AUTO);
}

static void
test_expand (void)
{
  g_autofree char *a = rl_tile_expand ("https://t.example/{z}/{x}/{y}.png?k={apikey}", 12, 3021,
                                       1714, "s3cr&t");
  g_autofree char *b = rl_tile_expand ("https://t.example/{z}/{x}/{y}.png?k={apikey}", 0, 0, 0,
                                       NULL);
  g_autofree char *o1 = rl_tile_template_origin ("https://T.example:8443/a/{z}/{x}/{y}.png");
  g_autofree char *o2 = rl_tile_template_origin ("http://t.example/{z}/{x}/{y}.png?k={apikey}");

  g_assert_cmpstr (a, ==, "https://t.example/12/3021/1714.png?k=s3cr%26t");
  g_assert_cmpstr (b, ==, "https://t.example/0/0/0.png?k=");
  g_assert_cmpstr (o1, ==, "https://t.example:8443");
  g_assert_cmpstr (o2, ==, "http://t.example");
  g_assert_true (g_str_has_prefix (rl_tile_user_agent (), "org.reloop.Console/" PACKAGE_VERSION));
}

static void
test_failures (void)
{
  g_autoptr (GError) tls = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "bad");
  g_autoptr (GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                    "refused");
  g_autoptr (GError) unreachable = g_error_new_literal (G_IO_ERROR,
                                                        G_IO_ERROR_NETWORK_UNREACHABLE, "net");

  g_assert_cmpint (rl_tile_failure_from_response (200, NULL), ==, RL_TILE_FAILURE_NONE);
  g_assert_cmpint (rl_tile_failure_from_response (304, NULL), ==, RL_TILE_FAILURE_NONE);
  g_assert_cmpint (rl_tile_failure_from_response (404, NULL), ==, RL_TILE_FAILURE_NOT_FOUND);
  g_assert_cmpint (rl_tile_failure_from_response (403, NULL), ==, RL_TILE_FAILURE_DENIED);
  g_assert_cmpint (rl_tile_failure_from_response (429, NULL), ==, RL_TILE_FAILURE_RATE_LIMITED);
  g_assert_cmpint (rl_tile_failure_from_response (500, NULL), ==, RL_TILE_FAILURE_SERVER);
  g_assert_cmpint (rl_tile_failure_from_response (0, tls), ==, RL_TILE_FAILURE_TLS);
  g_assert_cmpint (rl_tile_failure_from_response (0, refused), ==, RL_TILE_FAILURE_NETWORK);
  g_assert_cmpint (rl_tile_failure_from_response (0, unreachable), ==, RL_TILE_FAILURE_OFFLINE);
}

static void
test_fresh_until (void)
{
  const gint64 now = 1800000000;
  const gint64 week = 7 * 24 * 3600;
  const struct
  {
    const char *cache_control;
    const char *expires;
    const char *date;
    gint64      expected;
  } cases[] = {
    { NULL, NULL, NULL, now + week },
    { "public, max-age=86400", NULL, NULL, now + 86400 },
    { "max-age=600, stale-while-revalidate=60", "Thu, 01 Jan 2099 00:00:00 GMT", NULL,
      now + 600 },
    { "no-cache", NULL, NULL, now },
    { "no-store, max-age=600", NULL, NULL, now },
    /* Expires counts from the server's Date (the clocks may differ). */
    { NULL, "Mon, 07 Dec 2026 12:00:00 GMT", "Mon, 07 Dec 2026 10:00:00 GMT", now + 7200 },
    { NULL, "0", NULL, now },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (SoupMessageHeaders) headers =
          soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

      if (cases[i].cache_control != NULL)
        soup_message_headers_append (headers, "Cache-Control", cases[i].cache_control);
      if (cases[i].expires != NULL)
        soup_message_headers_append (headers, "Expires", cases[i].expires);
      if (cases[i].date != NULL)
        soup_message_headers_append (headers, "Date", cases[i].date);
      g_assert_cmpint (rl_tile_fresh_until (headers, now, week), ==, cases[i].expected);
    }
}

/* ---- The first view ----------------------------------------------------------------- */

static void
test_fit (void)
{
  /* Kathmandu valley corners, roughly. */
  const double lat[] = { 27.62, 27.76, 27.70, NAN };
  const double lon[] = { 85.25, 85.42, 85.33, 85.0 };
  const double one_lat[] = { 27.7 }, one_lon[] = { 85.3 };
  RlViewport   view;

  g_assert_false (rl_map_view_fit (0, lat, lon, 800, 600, 48, 256, 2, 16, &view));
  g_assert_true (rl_map_view_fit (G_N_ELEMENTS (lat), lat, lon, 800, 600, 48, 256, 2, 16, &view));
  g_assert_cmpfloat_with_epsilon (view.longitude, 85.335, 1e-6);
  g_assert_cmpfloat (view.latitude, >, 27.62);
  g_assert_cmpfloat (view.latitude, <, 27.76);
  /* 0.17° of longitude in 704 px: at zoom 12 it is 495 px wide (and the
   * 0.14° of latitude, 0.158° in Mercator, 460 of 504 px tall); at 13 it
   * would be 990 px: 12, the largest zoom that shows the whole fleet. */
  g_assert_cmpfloat (view.zoom, ==, 12);
  {
    double scale = 256 * pow (2, view.zoom) / 360.0;

    g_assert_cmpfloat ((85.42 - 85.25) * scale, <=, 800 - 2 * 48);
    g_assert_cmpfloat ((85.42 - 85.25) * scale * 2, >, 800 - 2 * 48);
  }

  g_assert_true (rl_map_view_fit (1, one_lat, one_lon, 800, 600, 48, 256, 2, 16, &view));
  g_assert_cmpfloat (view.zoom, ==, 16);
  g_assert_cmpfloat_with_epsilon (view.latitude, 27.7, 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tile-choice/probe-verdicts", test_probe_verdicts);
  g_test_add_func ("/tile-choice/probe-http", test_probe_http);
  g_test_add_func ("/tile-choice/choose", test_choose);
  g_test_add_func ("/tile-choice/expand", test_expand);
  g_test_add_func ("/tile-choice/failures", test_failures);
  g_test_add_func ("/tile-choice/fresh-until", test_fresh_until);
  g_test_add_func ("/tile-choice/fit", test_fit);
  return g_test_run ();
}
