/* bench-devserver.c — how fast the devserver is ready with a city-sized
 * fleet, and how long a full /changes load takes through real curl
 * processes. Prints one JSON line.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "ds-test.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED TRUE
#else
#define SANITIZED FALSE
#endif

int
main (int    argc,
      char **argv)
{
  /* Under ASan a figure means nothing and 100k points take longer than the
   * start-up wait: measure the quick fleet, and let the child unwind fast. */
  gboolean          quick = SANITIZED || (argc > 1 && g_str_equal (argv[1], "--quick"));
  guint             n = quick ? 10000 : 100000;
  g_autofree char  *n_text = g_strdup_printf ("%u", n);
  const char *const args[] = { "--drop-points", n_text, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestDevserver) server = NULL;
  g_autofree char *token = NULL;
  g_autofree char *auth = NULL;
  gint64           since = 0, t0;
  gboolean         more = TRUE;
  guint64          records = 0, drop_points = 0, pages = 0;
  double           load_s;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  if (SANITIZED)
    g_setenv ("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1", TRUE);
  server = rl_test_devserver_start (args, &error);
  if (server == NULL)
    {
      g_printerr ("bench-devserver: %s\n", error->message);
      return 1;
    }
  token = rl_test_login (server, "admin@demo.reloop.np");
  auth = g_strconcat ("Authorization: Bearer ", token, NULL);

  t0 = g_get_monotonic_time ();
  while (more)
    {
      g_autofree char *url = g_strdup_printf ("%s/changes?since=%" G_GINT64_FORMAT "&limit=5000",
                                              server->api_url, since);
      const char      *cmd[] = { "curl", "-sS", "--fail-with-body", "-H", auth, url, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int              status = 0;
      const char      *pg, *p;

      if (!g_spawn_sync (NULL, (char **) cmd, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                         &status, &error)
          || !g_spawn_check_wait_status (status, &error))
        {
          g_printerr ("bench-devserver: curl: %s %s\n", error->message, err ? err : "");
          return 1;
        }
      /* scan rather than parse: the figure is the server's and curl's,
       * not json-glib's (which takes ~0.3 s per 2.5 MB page here) */
      pg = strstr (out, "\"pagination\":{\"nextSince\":");
      if (!g_str_has_prefix (out, "{\"success\":true") || pg == NULL)
        {
          g_printerr ("bench-devserver: not a changes page: %.200s\n", out);
          return 1;
        }
      for (p = out; (p = strstr (p, "{\"seq\":")) != NULL; p++)
        {
          records++;
          if (g_str_has_prefix (strstr (p, "\"entity\":"), "\"entity\":\"drop_point\""))
            drop_points++;
        }
      pg += strlen ("\"pagination\":{\"nextSince\":");
      since = g_ascii_strtoll (pg, NULL, 10);
      more = strstr (pg, "\"hasMore\":true") != NULL;
      pages++;
    }
  load_s = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;

  if (drop_points != n)
    {
      g_printerr ("bench-devserver: the feed brought %" G_GUINT64_FORMAT
                  " drop points, expected %u\n",
                  drop_points, n);
      return 1;
    }
  g_print (
      "{\"bench\":\"devserver\",\"drop_points\":%u,\"ready_ms\":%.0f,\"changes_full_load_s\":%.2f,"
      "\"records\":%" G_GUINT64_FORMAT ",\"pages\":%" G_GUINT64_FORMAT ",\"ready_target_ms\":5000,"
      "\"sanitized\":%s}\n",
      n, server->ready_ms, load_s, records, pages, SANITIZED ? "true" : "false");
  return 0;
}
