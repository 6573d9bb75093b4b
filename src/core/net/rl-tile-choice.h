/* rl-tile-choice.h — which tile server the map uses, and why tiles fail:
 * the server's /tiles probe, the default online source, the cache rules
 * of a tile response. No GTK, no libshumate (the map builds on this).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define RL_TILE_OSM_TEMPLATE "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
#define RL_TILE_OSM_ATTRIBUTION "© OpenStreetMap contributors"
#define RL_TILE_APIKEY "{apikey}"

/* What the server answered to GET /tiles/0/0/0.png. */
typedef enum
{
  RL_TILE_PROBE_UNKNOWN,     /* never asked */
  RL_TILE_PROBE_OFFERED,     /* 200 with image/png */
  RL_TILE_PROBE_NOT_OFFERED, /* any other answer */
  RL_TILE_PROBE_UNREACHABLE, /* no answer: ask again on a later sign-in */
} RlTileProbe;

/* The "tile-source" setting. */
typedef enum
{
  RL_TILE_SOURCE_AUTO,   /* the server's tiles if offered, else OpenStreetMap */
  RL_TILE_SOURCE_OSM,    /* OpenStreetMap */
  RL_TILE_SOURCE_CUSTOM, /* "tile-url-template" */
} RlTileSourceKind;

/* Why tiles do not draw, in the words the map uses. */
typedef enum
{
  RL_TILE_FAILURE_NONE,
  RL_TILE_FAILURE_NOT_FOUND,    /* 404 (or 410): the server has no such tiles */
  RL_TILE_FAILURE_DENIED,       /* 401, 403: a key is missing or refused */
  RL_TILE_FAILURE_RATE_LIMITED, /* 429 */
  RL_TILE_FAILURE_SERVER,       /* any other HTTP error */
  RL_TILE_FAILURE_TLS,          /* the certificate or the TLS handshake */
  RL_TILE_FAILURE_NETWORK,      /* refused, timed out, name not found */
  RL_TILE_FAILURE_OFFLINE,      /* no network at all */
} RlTileFailure;

RlTileSourceKind rl_tile_source_kind_from_string (const char *value);
const char      *rl_tile_probe_to_string (RlTileProbe probe);
RlTileProbe      rl_tile_probe_from_string (const char *value);

/* The probe's verdict from a response (status 0 when @error is set). */
RlTileProbe rl_tile_probe_from_response (guint         status,
                                         const char   *content_type,
                                         const GError *error);
/* Whether to ask the server (again): never asked, or unreachable last time. */
gboolean rl_tile_probe_needed (RlTileProbe remembered);

/* The template to use and its attribution (both newly allocated; NULL
 * template when there is nothing to use yet: AUTO with no server, or an
 * unanswered probe). @custom_attribution may be empty. */
char *rl_tile_choose (RlTileSourceKind kind,
                      RlTileProbe      probe,
                      const char      *server_url,
                      const char      *custom_template,
                      const char      *custom_attribution,
                      char           **out_attribution);

/* "https://host/tiles/{z}/{x}/{y}.png" for a server URL. */
char *rl_tile_server_template (const char *server_url);
/* The template's URL for one tile, {apikey} replaced (empty when NULL). */
char *rl_tile_expand (const char *url_template,
                      int         z,
                      int         x,
                      int         y,
                      const char *api_key);
/* The origin ("https://host:port") of a template: the keyring's "server". */
char *rl_tile_template_origin (const char *url_template);

RlTileFailure rl_tile_failure_from_response (guint         status,
                                             const GError *error);

/* "org.reloop.Console/0.1.0 (+https://reloop.example.org)". */
const char *rl_tile_user_agent (void);

/* Until when (Unix seconds) a response may be used without asking again:
 * Cache-Control max-age (no-cache / no-store: now), else Expires (against
 * Date when given), else @now + @default_s. */
gint64 rl_tile_fresh_until (SoupMessageHeaders *headers,
                            gint64              now,
                            gint64              default_s);

/* GET @server/tiles/0/0/0.png once. */
void        rl_tile_probe_async (SoupSession        *session,
                                 const char         *server_url,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data);
RlTileProbe rl_tile_probe_finish (GAsyncResult *result);

G_END_DECLS
