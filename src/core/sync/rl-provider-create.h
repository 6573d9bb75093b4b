/* rl-provider-create.h — adding a provider, removing a provider secret and
 * the cached provider types: the provider dialog's calls that need the server.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Adding a provider and removing a secret are online-only (docs/providers.md
 * "Add and remove need the server"): a provider made offline would have no
 * id to name its keyring items by, and a removal queued offline would leave
 * the server calling a service with a credential the admin meant to revoke
 * while the console showed it gone. Offline, both fail at once with
 * RL_ERROR_NETWORK and nothing is written; edits and secret changes of an
 * existing provider go through the outbox (rl-edits.h).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rl-session.h"

G_BEGIN_DECLS

/* The provider types (GPtrArray of RlProviderType, rl-provider-form.h,
 * sorted by kind then label). Online: GET /provider-types, cached as
 * entity "provider_type"; offline, or when the server fails: the cached
 * ones (the error only when none are cached). */
void       rl_session_load_provider_types_async (RlSession          *self,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
GPtrArray *rl_session_load_provider_types_finish (RlSession    *self,
                                                  GAsyncResult *result,
                                                  GError      **error);
/* The cached types alone (empty when none), at once. */
GPtrArray *rl_session_get_cached_provider_types (RlSession *self,
                                                 GError   **error);

/* POST /providers with @provider ({type, name, role, priority, config}),
 * then the server's record is cached, then each secret of @secrets (key →
 * text; may be NULL) is set with rl_session_set_provider_secret_async
 * (keyring first, then an outbox row naming the keyring item). The
 * values are copied and wiped after use.
 * Finish: TRUE and *@out_provider_id when all went through. When the POST
 * failed: FALSE, *@out_provider_id NULL, the server's error (422 keeps
 * details.fields). When the provider was made but a secret could not be
 * kept (keyring locked): FALSE with RL_SECRETS_ERROR_* and
 * *@out_provider_id set — the provider exists without that secret. */
void     rl_session_create_provider_async (RlSession          *self,
                                           JsonObject         *provider,
                                           JsonObject         *secrets,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
gboolean rl_session_create_provider_finish (RlSession    *self,
                                            GAsyncResult *result,
                                            char        **out_provider_id,
                                            GError      **error);

/* DELETE /providers/{id}/secrets/{key}, then the keyring item goes, then
 * the provider is read again (GET) into the cache (it shows the secret
 * not set). */
void     rl_session_delete_provider_secret_async (RlSession          *self,
                                                  const char         *provider_id,
                                                  const char         *key,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean rl_session_delete_provider_secret_finish (RlSession    *self,
                                                   GAsyncResult *result,
                                                   GError      **error);

G_END_DECLS
