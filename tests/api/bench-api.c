/* bench-api.c — the REST client's overhead against plain libsoup + json-glib.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts a devserver (2000 drop points by default, --drop-points N), then
 * fetches every drop point in pages of 500 three ways, 5 rounds each:
 * RlApi's list_all (envelope checks, retries armed, worker parsing) and a
 * baseline of synchronous libsoup GETs parsed with json-glib. Also measures
 * rl_envelope_parse on a 5000-item page against json_parser_load_from_data.
 * Prints one JSON line:
 *   {"bench":"api","drop_points":…,"list_all_ms":…,"baseline_ms":…,"ratio":…,
 *    "envelope_mb_per_s":…,"json_glib_mb_per_s":…,"parse_ratio":…}
 */
#include <libsoup/soup.h>

#include "rl-api.h"
#include "rl-test-util.h"

#define ROUNDS 5
#define PAGE 500

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_double);
  return values[n / 2];
}

static guint
list_with_api (RlApi *api)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonArray) items = NULL;
  g_autoptr (GError) error = NULL;

  rl_api_list_all_async (api, "/drop-points", NULL, PAGE, NULL, NULL, NULL, NULL,
                         rl_test_store_result_cb, &result);
  rl_test_wait_result (&result, 120000);
  if (!rl_api_list_all_finish (api, result, &items, NULL, &error))
    g_error ("list_all: %s", error->message);
  return json_array_get_length (items);
}

/* The reference: what a minimal client does, with no checks at all. */
static guint
list_baseline (SoupSession *session,
               const char  *api_url,
               const char  *token)
{
  g_autofree char *cursor = NULL;
  g_autofree char *bearer = g_strdup_printf ("Bearer %s", token);
  guint            count = 0;

  do
    {
      g_autofree char *url = NULL;
      g_autoptr (SoupMessage) msg = NULL;
      g_autoptr (GBytes) body = NULL;
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      JsonObject *root, *meta, *pagination;
      gsize       length;
      const char *data;

      if (cursor != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (cursor, NULL, TRUE);
          url = g_strdup_printf ("%s/drop-points?limit=%d&cursor=%s", api_url, PAGE, escaped);
        }
      else
        url = g_strdup_printf ("%s/drop-points?limit=%d", api_url, PAGE);
      msg = soup_message_new ("GET", url);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
      body = soup_session_send_and_read (session, msg, NULL, &error);
      if (body == NULL)
        g_error ("baseline GET: %s", error->message);
      data = g_bytes_get_data (body, &length);
      if (!json_parser_load_from_data (parser, data, (gssize) length, &error))
        g_error ("baseline parse: %s", error->message);
      root = json_node_get_object (json_parser_get_root (parser));
      count += json_array_get_length (json_object_get_array_member (root, "data"));
      meta = json_object_get_object_member (root, "meta");
      pagination = json_object_get_object_member (meta, "pagination");
      g_clear_pointer (&cursor, g_free);
      if (!json_object_get_null_member (pagination, "nextCursor"))
        cursor = g_strdup (json_object_get_string_member (pagination, "nextCursor"));
    }
  while (cursor != NULL);

  return count;
}

static char *
make_page (guint  n,
           gsize *length)
{
  GString *s = g_string_new ("{\"success\":true,\"data\":[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (
        s,
        "%s{\"id\":\"dp-%06u\",\"name\":\"Drop point %u\",\"address\":\"Thamel, Kathmandu\","
        "\"latitude\":27.7%04u,\"longitude\":85.3%04u,\"categories\":[\"PLASTIC\",\"PAPER\"],"
        "\"capacityLiters\":1100,\"status\":\"active\",\"deviceId\":\"bin-%06u\","
        "\"fillLevel\":%u.5,\"weight\":38.2,\"temperature\":24.5,\"humidity\":61.0,"
        "\"batteryLevel\":88.0,\"isOnline\":true,\"lastReadingAt\":\"2026-11-21T09:30:00.000Z\","
        "\"notes\":\"\",\"version\":7,\"updatedAt\":\"2026-11-21T09:30:00.000Z\"}",
        i > 0 ? "," : "", i, i, i % 10000, i % 10000, i, i % 100);
  g_string_append (s, "],\"meta\":{\"timestamp\":\"2026-11-21T09:30:00.000Z\",\"version\":\"1.0\","
                      "\"pagination\":{\"nextCursor\":null,\"total\":5000}}}");
  *length = s->len;
  return g_string_free (s, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestDevserver) server = NULL;
  g_autoptr (RlApi) api = NULL;
  g_autoptr (SoupSession) session = NULL;
  g_autoptr (GAsyncResult) login = NULL;
  g_autoptr (RlApiAuth) auth = NULL;
  g_autofree char *page = NULL;
  g_autofree char *n_points_text = NULL;
  const char      *extra[3] = { NULL, NULL, NULL };
  double           api_ms[ROUNDS], base_ms[ROUNDS], env_s[ROUNDS], raw_s[ROUNDS];
  double           list_ms, baseline_ms, mb;
  guint            n_points = 2000;
  gsize            page_length;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  for (int i = 1; i + 1 < argc; i++)
    if (g_str_equal (argv[i], "--drop-points"))
      n_points = (guint) g_ascii_strtoull (argv[i + 1], NULL, 10);
  n_points_text = g_strdup_printf ("%u", n_points);
  extra[0] = "--drop-points";
  extra[1] = n_points_text;

  server = rl_test_devserver_start (extra, &error);
  if (server == NULL)
    g_error ("devserver: %s", error->message);
  api = rl_api_new (server->url);
  rl_api_login_async (api, "admin@demo.reloop.np", "reloop-demo", NULL, rl_test_store_result_cb, &login);
  rl_test_wait_result (&login, 30000);
  auth = rl_api_login_finish (api, login, &error);
  if (auth == NULL)
    g_error ("login: %s", error->message);
  session = soup_session_new ();

  g_print ("listing %u drop points in pages of %d, %d rounds\n", n_points, PAGE, ROUNDS);
  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 t0 = g_get_monotonic_time ();

      if (list_with_api (api) != n_points)
        g_error ("list_all returned a wrong count");
      api_ms[r] = (g_get_monotonic_time () - t0) / 1000.0;

      t0 = g_get_monotonic_time ();
      if (list_baseline (session, server->api_url, rl_api_get_access_token (api)) != n_points)
        g_error ("baseline returned a wrong count");
      base_ms[r] = (g_get_monotonic_time () - t0) / 1000.0;
      g_print ("  round %u: RlApi %.1f ms, baseline %.1f ms\n", r, api_ms[r], base_ms[r]);
    }

  page = make_page (5000, &page_length);
  mb = page_length / (1024.0 * 1024.0);
  g_print ("parsing a 5000-item page (%.2f MB)\n", mb);
  for (guint r = 0; r < ROUNDS; r++)
    {
      g_autoptr (RlEnvelope) envelope = NULL;
      g_autoptr (JsonParser) parser = json_parser_new ();
      gint64 t0 = g_get_monotonic_time ();

      envelope = rl_envelope_parse_data (200, "application/json", page, page_length,
                                         RL_ENVELOPE_EXPECT_ARRAY, &error);
      if (envelope == NULL)
        g_error ("envelope: %s", error->message);
      env_s[r] = (g_get_monotonic_time () - t0) / 1e6;

      t0 = g_get_monotonic_time ();
      if (!json_parser_load_from_data (parser, page, (gssize) page_length, &error))
        g_error ("json-glib: %s", error->message);
      raw_s[r] = (g_get_monotonic_time () - t0) / 1e6;
    }

  list_ms = median (api_ms, ROUNDS);
  baseline_ms = median (base_ms, ROUNDS);
  g_print ("{\"bench\":\"api\",\"drop_points\":%u,\"page_limit\":%d,\"list_all_ms\":%.1f,"
           "\"baseline_ms\":%.1f,\"ratio\":%.3f,\"envelope_mb_per_s\":%.1f,"
           "\"json_glib_mb_per_s\":%.1f,\"parse_ratio\":%.3f}\n",
           n_points, PAGE, list_ms, baseline_ms, list_ms / baseline_ms,
           mb / median (env_s, ROUNDS), mb / median (raw_s, ROUNDS),
           median (env_s, ROUNDS) / median (raw_s, ROUNDS));
  return 0;
}
