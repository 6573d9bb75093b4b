/* rl-secrets.h — the console's keyring items (libsecret, Secret Service).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One schema, "org.reloop.Console.Secret", attributes kind, server, account,
 * provider-id, field (see docs/storage.md: an on-disk contract). Items go to
 * the default collection. There is no fallback to files. Values are never
 * logged.
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define RL_SECRETS_ERROR (rl_secrets_error_quark ())

typedef enum
{
  RL_SECRETS_ERROR_NO_SERVICE, /* no session bus, or no Secret Service on it */
  RL_SECRETS_ERROR_LOCKED,     /* the default collection is locked */
  RL_SECRETS_ERROR_FAILED,     /* any other keyring error */
} RlSecretsError;

GQuark rl_secrets_error_quark (void);

typedef enum
{
  RL_SECRET_KIND_API_ACCESS_TOKEN,  /* "api-access-token"; account = user email */
  RL_SECRET_KIND_API_REFRESH_TOKEN, /* "api-refresh-token"; account = user email */
  RL_SECRET_KIND_MQTT_PASSWORD,     /* "mqtt-password"; account = MQTT username */
  RL_SECRET_KIND_PROVIDER_SECRET,   /* "provider-secret"; provider_id + field */
  RL_SECRET_KIND_TILE_API_KEY,      /* "tile-api-key"; server = the tile server's origin */
} RlSecretKind;

typedef enum
{
  RL_SECRETS_STATE_AVAILABLE,
  RL_SECRETS_STATE_LOCKED,
  RL_SECRETS_STATE_NO_SERVICE,
} RlSecretsState;

const SecretSchema *rl_secrets_get_schema (void);
const char         *rl_secret_kind_to_string (RlSecretKind kind);

/* Attributes that do not apply to a kind may be NULL (they are then not set
 * on the item and not matched). @server is the normalised server URL. */
void     rl_secrets_store_async (RlSecretKind        kind,
                                 const char         *server,
                                 const char         *account,
                                 const char         *provider_id,
                                 const char         *field,
                                 const char         *value,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data);
gboolean rl_secrets_store_finish (GAsyncResult *result,
                                  GError      **error);

/* Returns the value, or NULL with no error when there is no such item.
 * Free it with rl_secrets_value_free() (wipes the memory). */
void  rl_secrets_lookup_async (RlSecretKind        kind,
                               const char         *server,
                               const char         *account,
                               const char         *provider_id,
                               const char         *field,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data);
char *rl_secrets_lookup_finish (GAsyncResult *result,
                                GError      **error);

/* Removes the matching item(s); TRUE also when there was none. */
void     rl_secrets_clear_async (RlSecretKind        kind,
                                 const char         *server,
                                 const char         *account,
                                 const char         *provider_id,
                                 const char         *field,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data);
gboolean rl_secrets_clear_finish (GAsyncResult *result,
                                  GError      **error);

/* Removes every item of @server (all kinds, all accounts): sign-out. */
void     rl_secrets_clear_server_async (const char         *server,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
gboolean rl_secrets_clear_server_finish (GAsyncResult *result,
                                         GError      **error);

/* The keyring's state for the status popover. Never fails: a problem is
 * reported as the state (and @error, when given, says why). */
void           rl_secrets_check_async (GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
RlSecretsState rl_secrets_check_finish (GAsyncResult *result,
                                        GError      **error);

void rl_secrets_value_free (char *value);

G_END_DECLS
