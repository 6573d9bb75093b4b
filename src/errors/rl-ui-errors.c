/* rl-ui-errors.c — the one place where core's error codes become words.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core sets English messages for logs and tests; a person reads the
 * sentence chosen here by domain and code, in their language. A server's
 * own message (RL_ERROR with an HTTP status) is the server's text and is
 * shown after ours as detail.
 */
#include "config.h"

#include "rl-ui-errors.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "rl-error.h"
#include "rl-feed.h"
#include "rl-record-rules.h"
#include "rl-secrets.h"
#include "rl-session.h"
#include "rl-store.h"
#include "rl-url.h"

static const char *
server_sentence (int code)
{
  switch ((RlError) code)
    {
    case RL_ERROR_BAD_REQUEST:
      return _ ("The server refused the request.");
    case RL_ERROR_UNAUTHORIZED:
      return _ ("The server did not accept the sign-in.");
    case RL_ERROR_FORBIDDEN:
      return _ ("Your account is not allowed to do this.");
    case RL_ERROR_NOT_FOUND:
      return _ ("The server does not have this record.");
    case RL_ERROR_METHOD_NOT_ALLOWED:
      return _ ("The server does not support this request.");
    case RL_ERROR_VERSION_CONFLICT:
      return _ ("Someone else changed this record meanwhile.");
    case RL_ERROR_INVALID_STATE:
      return _ ("This cannot be done in the record’s current state.");
    case RL_ERROR_SYNC_RESET_REQUIRED:
      return _ ("The local cache must be loaded again from the server.");
    case RL_ERROR_PAYLOAD_TOO_LARGE:
      return _ ("The request is too large for the server.");
    case RL_ERROR_VALIDATION_FAILED:
      return _ ("The server found values that are not valid.");
    case RL_ERROR_PRECONDITION_REQUIRED:
      return _ ("The server needs the record’s version to change it.");
    case RL_ERROR_RATE_LIMITED:
      return _ ("The server is busy: too many requests. Try again in a moment.");
    case RL_ERROR_INTERNAL:
      return _ ("The server had an internal error.");
    case RL_ERROR_UNAVAILABLE:
      return _ ("The server is unavailable at the moment.");
    case RL_ERROR_BAD_RESPONSE:
      return _ ("The server sent an answer the console does not understand.");
    case RL_ERROR_NETWORK:
      return _ ("The server cannot be reached.");
    case RL_ERROR_CIRCUIT_OPEN:
      return _ ("The server keeps failing: the console waits a moment before trying again.");
    case RL_ERROR_TLS_CERTIFICATE:
      return _ ("The server’s certificate is not trusted (signed by an unknown authority, made "
                "out to another host name, or expired): set the server’s CA file in Preferences, "
                "or check the address.");
    case RL_ERROR_UNKNOWN:
    default:
      return _ ("The server reported an error.");
    }
}

static char *
server_message (const GError *error)
{
  const char *sentence = server_sentence (error->code);
  /* Only a server's answer carries the server's own words; client-side codes
   * (BAD_RESPONSE, NETWORK, CIRCUIT_OPEN) carry ours, in English. */
  gboolean from_server = rl_error_get_http_status (error) > 0 && error->code != RL_ERROR_BAD_RESPONSE
                         && error->code != RL_ERROR_NETWORK && error->code != RL_ERROR_CIRCUIT_OPEN;

  if (from_server && error->message != NULL && *error->message != '\0')
    /* Translators: 1: our sentence, 2: the server's own message (in its language). */
    return g_strdup_printf (_ ("%1$s The server says: “%2$s”"), sentence, error->message);
  return g_strdup (sentence);
}

static const char *
session_sentence (int code)
{
  switch ((RlSessionError) code)
    {
    case RL_SESSION_ERROR_NO_CREDENTIALS:
      return _ ("No saved sign-in for this server: sign in with your password.");
    case RL_SESSION_ERROR_NO_CACHE:
      return _ ("The server cannot be reached and there is no local copy to work from.");
    case RL_SESSION_ERROR_BUSY:
      return _ ("The console is already doing this; try again in a moment.");
    case RL_SESSION_ERROR_NO_CHANGE:
      return _ ("Nothing was changed, so there is nothing to save.");
    case RL_SESSION_ERROR_NOT_ALLOWED:
      return _ ("This change cannot be made now.");
    default:
      return _ ("The session failed.");
    }
}

static const char *
secrets_sentence (int code)
{
  switch ((RlSecretsError) code)
    {
    case RL_SECRETS_ERROR_NO_SERVICE:
      return _ ("No keyring is available on this computer.");
    case RL_SECRETS_ERROR_LOCKED:
      return _ ("The keyring is locked: unlock it and try again.");
    case RL_SECRETS_ERROR_FAILED:
    default:
      return _ ("The keyring failed.");
    }
}

static const char *
store_sentence (int code)
{
  switch ((RlStoreError) code)
    {
    case RL_STORE_ERROR_OPEN:
      return _ ("The local cache cannot be opened.");
    case RL_STORE_ERROR_CORRUPT:
      return _ ("The local cache is damaged.");
    case RL_STORE_ERROR_TOO_NEW:
      return _ ("The local cache was written by a newer version of the console.");
    case RL_STORE_ERROR_MIGRATION:
      return _ ("The local cache could not be updated to this version of the console.");
    case RL_STORE_ERROR_BUSY:
      return _ ("The local cache is busy. Try again in a moment.");
    case RL_STORE_ERROR_NOT_FOUND:
      return _ ("The local cache does not have this record.");
    case RL_STORE_ERROR_CONSTRAINT:
    case RL_STORE_ERROR_BAD_RECORD:
    case RL_STORE_ERROR_UNKNOWN_ENTITY:
      return _ ("The record does not fit the local cache.");
    case RL_STORE_ERROR_FAILED:
    default:
      return _ ("The local cache failed.");
    }
}

static const char *
feed_sentence (int code)
{
  switch ((RlFeedError) code)
    {
    case RL_FEED_ERROR_NOT_SIGNED_IN:
      return _ ("Sign in first: live telemetry is stored in the server’s cache.");
    case RL_FEED_ERROR_UNREACHABLE:
      return _ ("The broker cannot be reached.");
    case RL_FEED_ERROR_REFUSED:
      return _ ("The broker refused the connection.");
    case RL_FEED_ERROR_NOT_AUTHORIZED:
      return _ ("The broker did not accept the user name or password.");
    case RL_FEED_ERROR_CONNECTION_LOST:
      return _ ("The connection to the broker was lost.");
    case RL_FEED_ERROR_CA_FILE:
      return _ ("The CA file cannot be read or holds no certificate: check it in Preferences.");
    case RL_FEED_ERROR_TLS_UNTRUSTED:
      return _ ("The broker’s certificate is not signed by a trusted authority: set its CA file in "
                "Preferences.");
    case RL_FEED_ERROR_TLS_HOST:
      return _ ("The broker’s certificate is for another host name: check the broker address.");
    case RL_FEED_ERROR_TLS_FAILED:
      return _ ("A secure connection to the broker could not be set up.");
    case RL_FEED_ERROR_SUBSCRIBE:
      return _ ("The broker does not let this user read the telemetry topics: check the topic "
                "prefix and the user’s permissions.");
    case RL_FEED_ERROR_MIXED_SCHEMES:
      return _ ("The broker addresses mix mqtt:// and mqtts://: use one of them for every "
                "broker.");
    case RL_FEED_ERROR_SESSION:
      return _ ("The broker closed the connection before the subscriptions: the console’s "
                "session may be kept on a broker node that is down.");
    case RL_FEED_ERROR_FAILED:
    default:
      return _ ("The MQTT client could not be set up.");
    }
}

static char *
server_url_message (int         code,
                    const char *text)
{
  switch ((RlUrlError) code)
    {
    case RL_URL_ERROR_EMPTY:
      return g_strdup (_ ("Enter the address of your ReLoop server."));
    case RL_URL_ERROR_PLAIN_HTTP_NOT_LOOPBACK:
      return g_strdup (_ ("Plain http:// is only allowed for a server on this computer. "
                          "Use an https:// address."));
    case RL_URL_ERROR_BAD_SCHEME:
      return g_strdup (_ ("The server address must start with https://."));
    case RL_URL_ERROR_EXTRA_PARTS:
      return g_strdup (
          _ ("The server address cannot contain a user name, a query or a fragment."));
    case RL_URL_ERROR_BAD_PORT:
      return g_strdup (_ ("The port must be between 1 and 65535."));
    default:
      /* Translators: %s is what the user typed as the server address. */
      return g_strdup_printf (_ ("“%s” is not a valid server address. "
                                 "Use an address like https://reloop.example.org."),
                              text);
    }
}

static char *
broker_url_message (int code)
{
  switch ((RlUrlError) code)
    {
    case RL_URL_ERROR_EMPTY:
      return g_strdup (_ ("Enter the broker URL, like mqtts://broker.example.org:8883."));
    case RL_URL_ERROR_BAD_SCHEME:
      return g_strdup (_ ("The broker URL must start with mqtt:// or mqtts://."));
    case RL_URL_ERROR_NO_HOST:
      return g_strdup (_ ("The broker URL needs a host name."));
    case RL_URL_ERROR_BAD_PORT:
      return g_strdup (_ ("The port must be between 1 and 65535."));
    case RL_URL_ERROR_EXTRA_PARTS:
      return g_strdup (_ ("The broker URL cannot contain a user name, a path, a query or a "
                          "fragment. Enter the user name in its own row."));
    default:
      return g_strdup (_ ("This is not a URL. Use mqtt://host:1883 or mqtts://host:8883."));
    }
}

static char *
topic_prefix_message (int code)
{
  switch ((RlUrlError) code)
    {
    case RL_URL_ERROR_TOPIC_WILDCARD:
      return g_strdup (_ ("The topic prefix cannot contain the wildcards + or #."));
    case RL_URL_ERROR_TOPIC_EMPTY_LEVEL:
      return g_strdup (_ ("The topic prefix cannot start with / or contain an empty level."));
    case RL_URL_ERROR_EMPTY:
    default:
      return g_strdup (_ ("The topic prefix cannot be empty (the default is “devices”)."));
    }
}

static char *
tile_template_message (int code)
{
  switch ((RlUrlError) code)
    {
    case RL_URL_ERROR_EMPTY:
      return g_strdup (_ ("Enter a tile URL with {z}, {x} and {y}."));
    case RL_URL_ERROR_BAD_SCHEME:
      return g_strdup (_ ("The tile URL must start with https:// or http://. Tiles cannot be "
                          "read from files: import an offline map pack instead."));
    case RL_URL_ERROR_MISSING_PLACEHOLDER:
      return g_strdup (_ ("The tile URL must contain {z}, {x} and {y}."));
    case RL_URL_ERROR_BAD_PORT:
      return g_strdup (_ ("The port must be between 1 and 65535."));
    case RL_URL_ERROR_EXTRA_PARTS:
      return g_strdup (_ ("The tile URL cannot contain a user name or password."));
    default:
      return g_strdup (_ ("This is not a tile URL. Use an address like "
                          "https://tiles.example.org/{z}/{x}/{y}.png."));
    }
}

static char *
service_url_message (int code)
{
  switch ((RlUrlError) code)
    {
    case RL_URL_ERROR_EMPTY:
      return g_strdup (_ ("Enter the service’s address, like https://api.example.com."));
    case RL_URL_ERROR_BAD_PORT:
      return g_strdup (_ ("The port must be between 1 and 65535."));
    case RL_URL_ERROR_NO_HOST:
      return g_strdup (_ ("The address needs a host name."));
    case RL_URL_ERROR_EXTRA_PARTS:
      return g_strdup (_ ("The address cannot contain a user name or password: enter "
                          "credentials in their own fields."));
    default:
      return g_strdup (_ ("The address must start with https:// or http://, like "
                          "https://api.example.com."));
    }
}

static char *
url_message (const GError *error)
{
  switch (rl_url_error_get_kind (error))
    {
    case RL_URL_KIND_BROKER:
      return broker_url_message (error->code);
    case RL_URL_KIND_TOPIC_PREFIX:
      return topic_prefix_message (error->code);
    case RL_URL_KIND_TILE_TEMPLATE:
      return tile_template_message (error->code);
    case RL_URL_KIND_SERVICE:
      return service_url_message (error->code);
    case RL_URL_KIND_SERVER:
    default:
      return server_url_message (error->code, rl_url_error_get_text (error));
    }
}

static const char *
record_sentence (int code)
{
  switch ((RlRecordError) code)
    {
    case RL_RECORD_ERROR_REQUIRED:
      return _ ("A value is needed here.");
    case RL_RECORD_ERROR_TYPE:
      return _ ("This is not the right kind of value here.");
    case RL_RECORD_ERROR_RANGE:
      return _ ("This number is out of range.");
    case RL_RECORD_ERROR_CHOICE:
      return _ ("This is not one of the allowed values.");
    default:
      return NULL;
    }
}

/* NULL: not a network code; GLib's own (translated) message stays. */
static const char *
io_sentence (int code)
{
  switch (code)
    {
    case G_IO_ERROR_CANCELLED:
      return _ ("Cancelled.");
    case G_IO_ERROR_TIMED_OUT:
      return _ ("The connection timed out.");
    case G_IO_ERROR_CONNECTION_REFUSED:
      return _ ("The connection was refused.");
    case G_IO_ERROR_HOST_NOT_FOUND:
    case G_IO_ERROR_HOST_UNREACHABLE:
    case G_IO_ERROR_NETWORK_UNREACHABLE:
      return _ ("The host cannot be reached: check the network connection.");
    case G_IO_ERROR_CONNECTION_CLOSED:
      return _ ("The connection was closed.");
    case G_IO_ERROR_PROXY_FAILED:
    case G_IO_ERROR_PROXY_AUTH_FAILED:
    case G_IO_ERROR_PROXY_NEED_AUTH:
    case G_IO_ERROR_PROXY_NOT_ALLOWED:
      return _ ("The network proxy failed.");
    default:
      return NULL;
    }
}

char *
rl_ui_error_message (const GError *error)
{
  const char *sentence = NULL;

  if (error == NULL)
    return g_strdup (_ ("Something went wrong."));

  if (error->domain == RL_ERROR)
    return server_message (error);
  if (error->domain == RL_URL_ERROR)
    return url_message (error);
  if (error->domain == RL_SESSION_ERROR)
    sentence = session_sentence (error->code);
  else if (error->domain == RL_SECRETS_ERROR)
    sentence = secrets_sentence (error->code);
  else if (error->domain == RL_STORE_ERROR)
    sentence = store_sentence (error->code);
  else if (error->domain == RL_FEED_ERROR)
    sentence = feed_sentence (error->code);
  else if (error->domain == RL_RECORD_ERROR)
    sentence = record_sentence (error->code);
  else if (error->domain == G_IO_ERROR)
    sentence = io_sentence (error->code);
  else if (error->domain == G_RESOLVER_ERROR)
    sentence = _ ("The host name cannot be resolved: check the address and the network.");

  return g_strdup (sentence != NULL ? sentence : error->message);
}
