/* rl-tile-choice.c — the tile source choice, the /tiles probe, tile
 * failures and the cache rules of tile responses.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rl-tile-choice.h"

#define PROJECT_URL "https://reloop.example.org"

RlTileSourceKind
rl_tile_source_kind_from_string (const char *value)
{
  if (g_strcmp0 (value, "osm") == 0)
    return RL_TILE_SOURCE_OSM;
  if (g_strcmp0 (value, "custom") == 0)
    return RL_TILE_SOURCE_CUSTOM;
  return RL_TILE_SOURCE_AUTO;
}

const char *
rl_tile_probe_to_string (RlTileProbe probe)
{
  switch (probe)
    {
    case RL_TILE_PROBE_OFFERED:
      return "offered";
    case RL_TILE_PROBE_NOT_OFFERED:
      return "not-offered";
    case RL_TILE_PROBE_UNREACHABLE:
      return "unreachable";
    case RL_TILE_PROBE_UNKNOWN:
    default:
      return "unknown";
    }
}

RlTileProbe
rl_tile_probe_from_string (const char *value)
{
  if (g_strcmp0 (value, "offered") == 0)
    return RL_TILE_PROBE_OFFERED;
  if (g_strcmp0 (value, "not-offered") == 0)
    return RL_TILE_PROBE_NOT_OFFERED;
  if (g_strcmp0 (value, "unreachable") == 0)
    return RL_TILE_PROBE_UNREACHABLE;
  return RL_TILE_PROBE_UNKNOWN;
}

RlTileProbe
rl_tile_probe_from_response (guint         status,
                             const char   *content_type,
                             const GError *error)
{
  if (error != NULL || status == 0)
    return RL_TILE_PROBE_UNREACHABLE;
  /* A gateway that cannot reach the server says nothing about /tiles. */
  if (status == SOUP_STATUS_BAD_GATEWAY || status == SOUP_STATUS_SERVICE_UNAVAILABLE
      || status == SOUP_STATUS_GATEWAY_TIMEOUT)
    return RL_TILE_PROBE_UNREACHABLE;
  if (status == SOUP_STATUS_OK && g_strcmp0 (content_type, "image/png") == 0)
    return RL_TILE_PROBE_OFFERED;
  return RL_TILE_PROBE_NOT_OFFERED;
}

gboolean
rl_tile_probe_needed (RlTileProbe remembered)
{
  return remembered == RL_TILE_PROBE_UNKNOWN || remembered == RL_TILE_PROBE_UNREACHABLE;
}

char *
rl_tile_server_template (const char *server_url)
{
  g_autofree char *base = NULL;
  gsize            len;

  if (server_url == NULL || *server_url == '\0')
    return NULL;
  base = g_strdup (server_url);
  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  return g_strconcat (base, "/tiles/{z}/{x}/{y}.png", NULL);
}

char *
rl_tile_choose (RlTileSourceKind kind,
                RlTileProbe      probe,
                const char      *server_url,
                const char      *custom_template,
                const char      *custom_attribution,
                char           **out_attribution)
{
  char *template = NULL;
  char *attribution = NULL;

  /* A custom source with no template yet is the automatic one. */
  if (kind == RL_TILE_SOURCE_CUSTOM && (custom_template == NULL || *custom_template == '\0'))
    kind = RL_TILE_SOURCE_AUTO;
  switch (kind)
    {
    case RL_TILE_SOURCE_CUSTOM:
      template = g_strdup (custom_template);
      attribution = g_strdup (custom_attribution != NULL ? custom_attribution : "");
      break;
    case RL_TILE_SOURCE_OSM:
      template = g_strdup (RL_TILE_OSM_TEMPLATE);
      attribution = g_strdup (RL_TILE_OSM_ATTRIBUTION);
      break;
    case RL_TILE_SOURCE_AUTO:
    default:
      if (probe == RL_TILE_PROBE_OFFERED)
        {
          template = rl_tile_server_template (server_url);
          attribution = g_strdup ("");
        }
      else if (probe == RL_TILE_PROBE_NOT_OFFERED || probe == RL_TILE_PROBE_UNREACHABLE
               || server_url == NULL || *server_url == '\0')
        {
          template = g_strdup (RL_TILE_OSM_TEMPLATE);
          attribution = g_strdup (RL_TILE_OSM_ATTRIBUTION);
        }
      /* else: not asked yet, wait for the probe. */
      break;
    }
  if (out_attribution != NULL)
    *out_attribution = attribution;
  else
    g_free (attribution);
  return template;
}

char *
rl_tile_expand (const char *url_template,
                int         z,
                int         x,
                int         y,
                const char *api_key)
{
  GString *url = g_string_new (url_template);
  char     buf[16];

  g_snprintf (buf, sizeof buf, "%d", z);
  g_string_replace (url, "{z}", buf, 0);
  g_snprintf (buf, sizeof buf, "%d", x);
  g_string_replace (url, "{x}", buf, 0);
  g_snprintf (buf, sizeof buf, "%d", y);
  g_string_replace (url, "{y}", buf, 0);
  if (api_key != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (api_key, NULL, FALSE);

      g_string_replace (url, RL_TILE_APIKEY, escaped, 0);
    }
  else
    g_string_replace (url, RL_TILE_APIKEY, "", 0);
  return g_string_free (url, FALSE);
}

char *
rl_tile_template_origin (const char *url_template)
{
  /* The placeholders are not valid in a URI: parse the text before them. */
  g_autofree char *head = g_strndup (url_template, strcspn (url_template, "{"));
  g_autoptr (GUri) uri = g_uri_parse (head, G_URI_FLAGS_NONE, NULL);
  g_autofree char *host = NULL;
  int              port;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url_template);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  port = g_uri_get_port (uri);
  if (port > 0)
    return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), host, port);
  return g_strdup_printf ("%s://%s", g_uri_get_scheme (uri), host);
}

RlTileFailure
rl_tile_failure_from_response (guint         status,
                               const GError *error)
{
  if (error != NULL)
    {
      if (error->domain == G_TLS_ERROR)
        return RL_TILE_FAILURE_TLS;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
        return RL_TILE_FAILURE_OFFLINE;
      return RL_TILE_FAILURE_NETWORK;
    }
  if (SOUP_STATUS_IS_SUCCESSFUL (status) || status == SOUP_STATUS_NOT_MODIFIED)
    return RL_TILE_FAILURE_NONE;
  switch (status)
    {
    case SOUP_STATUS_NOT_FOUND:
    case SOUP_STATUS_GONE:
      return RL_TILE_FAILURE_NOT_FOUND;
    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      return RL_TILE_FAILURE_DENIED;
    case 429:
      return RL_TILE_FAILURE_RATE_LIMITED;
    default:
      return RL_TILE_FAILURE_SERVER;
    }
}

const char *
rl_tile_user_agent (void)
{
  return APPLICATION_ID "/" PACKAGE_VERSION " (+" PROJECT_URL ")";
}

gint64
rl_tile_fresh_until (SoupMessageHeaders *headers,
                     gint64              now,
                     gint64              default_s)
{
  const char *cache_control = soup_message_headers_get_list (headers, "Cache-Control");
  const char *expires = soup_message_headers_get_one (headers, "Expires");

  if (cache_control != NULL)
    {
      GHashTable *params = soup_header_parse_param_list (cache_control);
      const char *max_age = NULL;
      gboolean    has_max_age = g_hash_table_lookup_extended (params, "max-age", NULL,
                                                              (gpointer *) &max_age);
      gboolean    no_cache = g_hash_table_contains (params, "no-cache")
                          || g_hash_table_contains (params, "no-store");
      gint64 seconds = has_max_age && max_age != NULL ? g_ascii_strtoll (max_age, NULL, 10)
                                                      : -1;

      soup_header_free_param_list (params);
      if (no_cache)
        return now;
      if (seconds >= 0)
        return now + seconds;
    }
  if (expires != NULL)
    {
      g_autoptr (GDateTime) when = soup_date_time_new_from_http_string (expires);
      const char *date_text = soup_message_headers_get_one (headers, "Date");
      g_autoptr (GDateTime) date =
          date_text != NULL ? soup_date_time_new_from_http_string (date_text) : NULL;

      /* An invalid Expires ("0", "-1") means already expired. */
      if (when == NULL)
        return now;
      if (date != NULL)
        return now + MAX (0, g_date_time_to_unix (when) - g_date_time_to_unix (date));
      return MAX (now, g_date_time_to_unix (when));
    }
  return now + default_s;
}

/* ---- The probe ------------------------------------------------------------ */

static void
probe_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  /* Read to the end (the connection goes back to the pool); not needed. */
  GBytes     *body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  const char *type = NULL;

  g_clear_pointer (&body, g_bytes_unref);

  if (error == NULL)
    type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  g_task_return_int (task, rl_tile_probe_from_response (error != NULL ? 0
                                                                      : soup_message_get_status (msg),
                                                        type, error));
}

void
rl_tile_probe_async (SoupSession        *session,
                     const char         *server_url,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *template = rl_tile_server_template (server_url);
  g_autofree char *url = template != NULL ? rl_tile_expand (template, 0, 0, 0, NULL) : NULL;
  SoupMessage     *msg = url != NULL ? soup_message_new ("GET", url) : NULL;

  g_task_set_source_tag (task, rl_tile_probe_async);
  if (msg == NULL)
    {
      g_task_return_int (task, RL_TILE_PROBE_UNREACHABLE);
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable, probe_sent_cb,
                                    g_steal_pointer (&task));
}

RlTileProbe
rl_tile_probe_finish (GAsyncResult *result)
{
  g_autoptr (GError) error = NULL;
  gssize probe;

  g_return_val_if_fail (g_task_is_valid (result, NULL), RL_TILE_PROBE_UNREACHABLE);
  probe = g_task_propagate_int (G_TASK (result), &error);
  return error != NULL ? RL_TILE_PROBE_UNREACHABLE : (RlTileProbe) probe;
}
