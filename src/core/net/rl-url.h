/* rl-url.h — the one owner of each rule for the addresses the console is
 * configured with: the server URL, the MQTT broker URL and its topic prefix,
 * the tile URL template; and the one trailing-slash helper.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each validator returns TRUE and the normalised text (scheme and host in
 * lower case) or FALSE and an RL_URL_ERROR. The error's message is English
 * for logs; the UI words the code (rl_ui_error_message).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RL_URL_ERROR (rl_url_error_quark ())

typedef enum
{
  RL_URL_ERROR_EMPTY,                   /* nothing typed */
  RL_URL_ERROR_NOT_A_URL,               /* does not parse as a URL */
  RL_URL_ERROR_NO_HOST,                 /* a URL without a host name */
  RL_URL_ERROR_BAD_PORT,                /* port 0 or over 65535 */
  RL_URL_ERROR_BAD_SCHEME,              /* a scheme this kind of address cannot use */
  RL_URL_ERROR_PLAIN_HTTP_NOT_LOOPBACK, /* http:// to another computer (server only) */
  RL_URL_ERROR_EXTRA_PARTS,             /* user name, query, fragment or path where none may be */
  RL_URL_ERROR_MISSING_PLACEHOLDER,     /* a tile template without {z}, {x} or {y} */
  RL_URL_ERROR_TOPIC_WILDCARD,          /* + or # in a topic prefix */
  RL_URL_ERROR_TOPIC_EMPTY_LEVEL,       /* a topic prefix starting with / or with // inside */
} RlUrlError;

/* Which address an RL_URL_ERROR is about (kept in the error, with the text
 * that was checked, so the UI can word it). */
typedef enum
{
  RL_URL_KIND_SERVER,
  RL_URL_KIND_BROKER,
  RL_URL_KIND_TOPIC_PREFIX,
  RL_URL_KIND_TILE_TEMPLATE,
  RL_URL_KIND_SERVICE,
} RlUrlKind;

GQuark      rl_url_error_quark (void);
RlUrlKind   rl_url_error_get_kind (const GError *error);
const char *rl_url_error_get_text (const GError *error);

#define RL_URL_MQTT_DEFAULT_PORT 1883
#define RL_URL_MQTTS_DEFAULT_PORT 8883

/* Removes every trailing '/' of @text in place; returns @text. */
char *rl_url_trim_trailing_slashes (char *text);

/* The ReLoop server: "https://host[:port][/path]". A bare host gets https://;
 * plain http:// only to this computer (localhost, 127.0.0.0/8, ::1). No user
 * name, query or fragment. Normalised: lower-case scheme and host, IPv6 in
 * brackets, the scheme's default port dropped, no trailing slash. */
gboolean rl_url_validate_server (const char *text,
                                 char      **out_normalised,
                                 GError    **error);

/* The MQTT broker: "mqtt://host[:port]" or "mqtts://host[:port]", scheme in
 * any case. No user name (the password lives in the keyring), query,
 * fragment or path. Normalised: lower-case scheme and host, IPv6 in
 * brackets, the port always written (1883 for mqtt, 8883 for mqtts). */
gboolean rl_url_validate_broker (const char *text,
                                 char      **out_normalised,
                                 GError    **error);

/* The MQTT topic prefix: one or more non-empty levels, no wildcard.
 * Normalised: trailing slashes removed. */
gboolean rl_url_validate_topic_prefix (const char *text,
                                       char      **out_normalised,
                                       GError    **error);

/* A tile URL template: http:// or https:// (libshumate 1.0 cannot load
 * file://) with {z}, {x} and {y}. Normalised: lower-case scheme and host;
 * the rest as typed. */
gboolean rl_url_validate_tile_template (const char *text,
                                        char      **out_normalised,
                                        GError    **error);

/* An external service's address (a provider's endpoint): http:// or
 * https:// with a host; a path and query may follow, a user name or
 * password may not. @out_normalised (may be NULL): trimmed, trailing '/'
 * removed. */
gboolean rl_url_validate_service (const char *text,
                                  char      **out_normalised,
                                  GError    **error);

/* TRUE for "localhost" and loopback addresses (127.0.0.0/8, ::1). */
gboolean rl_url_host_is_loopback (const char *host);

G_END_DECLS
