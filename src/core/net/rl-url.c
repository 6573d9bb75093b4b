/* rl-url.c — the rules for the server URL, the broker URL and topic prefix,
 * and the tile URL template; each lives here and only here.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The messages set here are English for logs and tests; the UI words the
 * error code (and the kind of address, kept in the extended error).
 */
#include "config.h"

#include "rl-url.h"

#include <gio/gio.h>
#include <string.h>

typedef struct
{
  RlUrlKind kind;
  char     *text;
} RlUrlErrorPrivate;

static void
rl_url_error_private_init (RlUrlErrorPrivate *priv)
{
  if (priv == NULL)
    return;
  priv->kind = RL_URL_KIND_SERVER;
  priv->text = NULL;
}

static void
rl_url_error_private_copy (const RlUrlErrorPrivate *src,
                           RlUrlErrorPrivate       *dest)
{
  if (src == NULL || dest == NULL)
    return;
  dest->kind = src->kind;
  dest->text = g_strdup (src->text);
}

static void
rl_url_error_private_clear (RlUrlErrorPrivate *priv)
{
  if (priv == NULL)
    return;
  g_clear_pointer (&priv->text, g_free);
}

G_DEFINE_EXTENDED_ERROR (RlUrlError, rl_url_error)

static void
set_error (GError    **error,
           RlUrlKind   kind,
           const char *text,
           RlUrlError  code,
           const char *message)
{
  GError            *local;
  RlUrlErrorPrivate *priv;

  if (error == NULL)
    return;
  local = g_error_new_literal (RL_URL_ERROR, code, message);
  priv = rl_url_error_get_private (local);
  g_assert (priv != NULL);
  priv->kind = kind;
  priv->text = g_strdup (text != NULL ? text : "");
  g_propagate_error (error, local);
}

static char *
stripped (const char *text)
{
  return g_strstrip (g_strdup (text != NULL ? text : ""));
}

/* A host name of letters, digits, '-', '.', '_' (and UTF-8: an
 * internationalised name), or an IP address; braces too in a tile template
 * ("{s}.tile.example.org"). No host at all is has_host's to say.
 * g_uri_parse takes far more (spaces, parentheses, "%20"-decoded bytes):
 * such a host never resolves, and its normal form would not parse back the
 * same (found by tests/fuzz/fuzz-settings). */
static gboolean
host_is_valid (const char *host,
               RlUrlKind   kind)
{
  if (host == NULL || *host == '\0')
    return TRUE;
  if (strchr (host, ':') != NULL)
    return g_hostname_is_ip_address (host);
  for (const char *p = host; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c >= 0x80)
        continue;
      if ((c == '{' || c == '}') && kind == RL_URL_KIND_TILE_TEMPLATE)
        continue;
      return FALSE;
    }
  return g_utf8_validate (host, -1, NULL);
}

/* g_uri_parse () with our codes: a port out of range is BAD_PORT; spaces,
 * control characters and a host that is no host name are NOT_A_URL. */
static GUri *
parse (const char *text,
       RlUrlKind   kind,
       GError    **error)
{
  g_autoptr (GError) parse_error = NULL;
  GUri *uri;

  /* A URL has no spaces or control characters inside (RFC 3986; typed ones
   * are %20): g_uri_parse takes them, and the normal form, whose ends are
   * trimmed, would not be its own ("0:/\n/" → "https://0/\n" →
   * "https://0": found by tests/fuzz/fuzz-settings). */
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == 0x7f)
      {
        set_error (error, kind, text, RL_URL_ERROR_NOT_A_URL,
                   "An address has no spaces or control characters");
        return NULL;
      }
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, &parse_error);
  if (uri != NULL)
    {
      if (g_uri_get_port (uri) == 0)
        {
          set_error (error, kind, text, RL_URL_ERROR_BAD_PORT, "The port must be 1 to 65535");
          g_clear_pointer (&uri, g_uri_unref);
        }
      else if (!host_is_valid (g_uri_get_host (uri), kind))
        {
          set_error (error, kind, text, RL_URL_ERROR_NOT_A_URL,
                     "The host name has characters no host name has");
          g_clear_pointer (&uri, g_uri_unref);
        }
      return uri;
    }
  if (g_error_matches (parse_error, G_URI_ERROR, G_URI_ERROR_BAD_PORT))
    set_error (error, kind, text, RL_URL_ERROR_BAD_PORT, parse_error->message);
  else
    set_error (error, kind, text, RL_URL_ERROR_NOT_A_URL, parse_error->message);
  return NULL;
}

/* "scheme://host[:port]", scheme and host in lower case, IPv6 in brackets;
 * @port < 0 writes none. */
static char *
format_origin (const char *scheme,
               const char *host,
               int         port)
{
  g_autofree char *lower_scheme = g_ascii_strdown (scheme, -1);
  g_autofree char *lower_host = g_ascii_strdown (host, -1);
  gboolean         ipv6 = strchr (lower_host, ':') != NULL;
  g_autofree char *port_part = port > 0 ? g_strdup_printf (":%d", port) : g_strdup ("");

  return g_strdup_printf ("%s://%s%s%s%s", lower_scheme, ipv6 ? "[" : "", lower_host,
                          ipv6 ? "]" : "", port_part);
}

static gboolean
has_host (GUri *uri)
{
  return g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/* ---- Public API ----------------------------------------------------------- */

char *
rl_url_trim_trailing_slashes (char *text)
{
  gsize length;

  g_return_val_if_fail (text != NULL, NULL);

  length = strlen (text);
  while (length > 0 && text[length - 1] == '/')
    text[--length] = '\0';
  return text;
}

gboolean
rl_url_host_is_loopback (const char *host)
{
  g_autoptr (GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
rl_url_validate_server (const char *text,
                        char      **out_normalised,
                        GError    **error)
{
  const RlUrlKind  kind = RL_URL_KIND_SERVER;
  g_autofree char *trimmed = stripped (text);
  g_autofree char *with_scheme = NULL;
  g_autofree char *path = NULL;
  g_autofree char *origin = NULL;
  g_autoptr (GUri) uri = NULL;
  const char *scheme;
  int         port;

  if (*trimmed == '\0')
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_EMPTY, "Enter the server’s address");
      return FALSE;
    }

  /* A bare host name means https. */
  if (strstr (trimmed, "://") == NULL)
    with_scheme = g_strconcat ("https://", trimmed, NULL);
  else
    with_scheme = g_strdup (trimmed);

  if ((uri = parse (with_scheme, kind, error)) == NULL)
    return FALSE;
  if (!has_host (uri))
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_NO_HOST, "The server address has no host name");
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL)
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_EXTRA_PARTS,
                 "The server address must not contain a user name, query or fragment");
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0)
    {
      if (g_ascii_strcasecmp (scheme, "http") != 0)
        {
          set_error (error, kind, trimmed, RL_URL_ERROR_BAD_SCHEME, "Use an https:// address");
          return FALSE;
        }
      if (!rl_url_host_is_loopback (g_uri_get_host (uri)))
        {
          set_error (error, kind, trimmed, RL_URL_ERROR_PLAIN_HTTP_NOT_LOOPBACK,
                     "Plain http:// is only allowed for this computer (localhost); use https://");
          return FALSE;
        }
    }

  /* The scheme's own port is the same server as no port. */
  port = g_uri_get_port (uri);
  if ((port == 443 && g_ascii_strcasecmp (scheme, "https") == 0)
      || (port == 80 && g_ascii_strcasecmp (scheme, "http") == 0))
    port = -1;

  if (out_normalised != NULL)
    {
      origin = format_origin (scheme, g_uri_get_host (uri), port);
      path = rl_url_trim_trailing_slashes (g_strdup (g_uri_get_path (uri)));
      *out_normalised = g_strconcat (origin, path, NULL);
    }
  return TRUE;
}

gboolean
rl_url_validate_broker (const char *text,
                        char      **out_normalised,
                        GError    **error)
{
  const RlUrlKind  kind = RL_URL_KIND_BROKER;
  g_autofree char *trimmed = stripped (text);
  g_autofree char *path = NULL;
  g_autoptr (GUri) uri = NULL;
  const char *scheme;
  gboolean    tls;
  int         port;

  if (*trimmed == '\0')
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_EMPTY, "Enter the broker’s address");
      return FALSE;
    }
  if (strstr (trimmed, "://") == NULL)
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_NOT_A_URL,
                 "The broker address must start with mqtt:// or mqtts://");
      return FALSE;
    }
  if ((uri = parse (trimmed, kind, error)) == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  tls = g_ascii_strcasecmp (scheme, "mqtts") == 0;
  if (!tls && g_ascii_strcasecmp (scheme, "mqtt") != 0)
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_BAD_SCHEME,
                 "The broker address must start with mqtt:// or mqtts://");
      return FALSE;
    }
  if (!has_host (uri))
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_NO_HOST, "The broker address has no host name");
      return FALSE;
    }
  /* A user name belongs in its own setting and the password in the keyring. */
  path = rl_url_trim_trailing_slashes (g_strdup (g_uri_get_path (uri)));
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL || *path != '\0')
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_EXTRA_PARTS,
                 "The broker address must not contain a user name, path, query or fragment");
      return FALSE;
    }

  port = g_uri_get_port (uri);
  if (port < 0)
    port = tls ? RL_URL_MQTTS_DEFAULT_PORT : RL_URL_MQTT_DEFAULT_PORT;
  if (out_normalised != NULL)
    *out_normalised = format_origin (scheme, g_uri_get_host (uri), port);
  return TRUE;
}

gboolean
rl_url_validate_topic_prefix (const char *text,
                              char      **out_normalised,
                              GError    **error)
{
  const RlUrlKind  kind = RL_URL_KIND_TOPIC_PREFIX;
  g_autofree char *trimmed = stripped (text);
  gsize            length;

  /* Spaces, then slashes, until neither ends it: "devices/ " is "devices",
   * and the normal form is its own (with slashes only, ":\n/" became ":\n",
   * whose normal form is ":": found by tests/fuzz/fuzz-settings). */
  do
    {
      length = strlen (trimmed);
      g_strstrip (rl_url_trim_trailing_slashes (trimmed));
    }
  while (strlen (trimmed) != length);
  if (*trimmed == '\0')
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_EMPTY, "The topic prefix is empty");
      return FALSE;
    }
  if (strpbrk (trimmed, "+#") != NULL)
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_TOPIC_WILDCARD,
                 "The topic prefix must not contain the wildcards + or #");
      return FALSE;
    }
  if (trimmed[0] == '/' || strstr (trimmed, "//") != NULL)
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_TOPIC_EMPTY_LEVEL,
                 "The topic prefix must not start with / or contain an empty level");
      return FALSE;
    }

  if (out_normalised != NULL)
    *out_normalised = g_steal_pointer (&trimmed);
  return TRUE;
}

/* The messages of parse_http_url's refusals, for one kind of address. */
typedef struct
{
  const char *empty;
  const char *scheme; /* not a URL, or not http(s) */
  const char *no_host;
  const char *user_info;
} HttpWords;

/* @trimmed as an http:// or https:// URL with a host and no user info, or
 * NULL with @error (code and @words' message for @kind). */
static GUri *
parse_http_url (const char      *trimmed,
                RlUrlKind        kind,
                const HttpWords *words,
                GError         **error)
{
  g_autoptr (GUri) uri = NULL;
  const char *scheme;

  if (*trimmed == '\0')
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_EMPTY, words->empty);
      return NULL;
    }
  if (strstr (trimmed, "://") == NULL)
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_NOT_A_URL, words->scheme);
      return NULL;
    }
  if ((uri = parse (trimmed, kind, error)) == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_BAD_SCHEME, words->scheme);
      return NULL;
    }
  if (!has_host (uri))
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_NO_HOST, words->no_host);
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_EXTRA_PARTS, words->user_info);
      return NULL;
    }
  return g_steal_pointer (&uri);
}

gboolean
rl_url_validate_tile_template (const char *text,
                               char      **out_normalised,
                               GError    **error)
{
  static const HttpWords words = {
    "Enter a tile URL template",
    "A tile URL must start with https:// or http://",
    "The tile URL has no host name",
    "The tile URL must not contain a user name or password",
  };
  const RlUrlKind  kind = RL_URL_KIND_TILE_TEMPLATE;
  g_autofree char *trimmed = stripped (text);
  g_autoptr (GUri) uri = parse_http_url (trimmed, kind, &words, error);
  const char *rest;

  /* http(s) only: libshumate 1.0 loads tiles through libsoup, file:// does
   * not work. */
  if (uri == NULL)
    return FALSE;
  if (strstr (trimmed, "{z}") == NULL || strstr (trimmed, "{x}") == NULL
      || strstr (trimmed, "{y}") == NULL)
    {
      set_error (error, kind, trimmed, RL_URL_ERROR_MISSING_PLACEHOLDER,
                 "A tile URL must contain {z}, {x} and {y}");
      return FALSE;
    }

  if (out_normalised != NULL)
    {
      g_autofree char *origin =
          format_origin (g_uri_get_scheme (uri), g_uri_get_host (uri), g_uri_get_port (uri));

      /* What follows the authority stays as typed (paths are case-sensitive). */
      rest = strstr (trimmed, "://") + 3;
      rest += strcspn (rest, "/?#");
      *out_normalised = g_strconcat (origin, rest, NULL);
    }
  return TRUE;
}

RlUrlKind
rl_url_error_get_kind (const GError *error)
{
  RlUrlErrorPrivate *priv;

  g_return_val_if_fail (error != NULL && error->domain == RL_URL_ERROR, RL_URL_KIND_SERVER);
  priv = rl_url_error_get_private (error);
  return priv != NULL ? priv->kind : RL_URL_KIND_SERVER;
}

const char *
rl_url_error_get_text (const GError *error)
{
  RlUrlErrorPrivate *priv;

  g_return_val_if_fail (error != NULL && error->domain == RL_URL_ERROR, "");
  priv = rl_url_error_get_private (error);
  return priv != NULL && priv->text != NULL ? priv->text : "";
}

gboolean
rl_url_validate_service (const char *text,
                         char      **out_normalised,
                         GError    **error)
{
  static const HttpWords words = {
    "Enter the service's address",
    "A service address must start with https:// or http://",
    "The address has no host name",
    "The address must not contain a user name or password",
  };
  g_autofree char *trimmed = stripped (text);
  g_autoptr (GUri) uri = parse_http_url (trimmed, RL_URL_KIND_SERVICE, &words, error);

  if (uri == NULL)
    return FALSE;
  if (out_normalised != NULL)
    *out_normalised = rl_url_trim_trailing_slashes (g_steal_pointer (&trimmed));
  return TRUE;
}
