/* rl-provider-ops.h — what the Providers page does to a provider: test its
 * connection, reset its circuit, delete it, reorder it, change its role,
 * enable or disable it, and unlock the keyring.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test, reset and delete talk to the server directly and need it online
 * (offline they fail at once with RL_ERROR_NETWORK): a test or a reset is
 * about the server's state now, and replaying it later would tell nothing.
 * Their answer goes to the cache at once (health; the whole record when no
 * edit of it waits in the outbox). Reordering, the role and enabled are
 * edits through the outbox (rl_session_edit_record "provider"), so they
 * work offline and reach the server in order. See docs/sync.md
 * "Provider actions".
 */
#pragma once

#include <gio/gio.h>

#include "rl-list-enums.h"
#include "rl-session.h"

G_BEGIN_DECLS

/* What POST /providers/{id}/test answered. */
typedef struct
{
  gboolean ok;
  gint64   latency_ms;
  char    *message; /* the server's words (English) */
  gint64   when_ms; /* wall clock when the answer came */
} RlProviderTestResult;

void                  rl_provider_test_result_free (RlProviderTestResult *result);
RlProviderTestResult *rl_provider_test_result_copy (const RlProviderTestResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlProviderTestResult, rl_provider_test_result_free)

/* POST /providers/{id}/test, then the provider's new health into the
 * cache. A failed test is a result with ok FALSE, not an error. */
void                  rl_provider_test_async (RlSession          *session,
                                              const char         *provider_id,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
RlProviderTestResult *rl_provider_test_finish (RlSession    *session,
                                               GAsyncResult *result,
                                               GError      **error);

/* POST /providers/{id}/circuit/reset; the answer (health unknown, no
 * failures) goes to the cache. */
void     rl_provider_reset_circuit_async (RlSession          *session,
                                          const char         *provider_id,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
gboolean rl_provider_reset_circuit_finish (RlSession    *session,
                                           GAsyncResult *result,
                                           GError      **error);

/* DELETE /providers/{id} with If-Match = the cached version; the record
 * leaves the cache when the server took it (or no longer had it). A 409
 * stores the server's record and fails with RL_ERROR_VERSION_CONFLICT.
 * A provider with an edit waiting in the outbox → RL_SESSION_ERROR_BUSY. */
void     rl_provider_delete_async (RlSession          *session,
                                   const char         *provider_id,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
gboolean rl_provider_delete_finish (RlSession    *session,
                                    GAsyncResult *result,
                                    GError      **error);

/* Moves the provider one place up (@delta -1) or down (+1) among the
 * providers of its kind and role: the role's priorities become 1, 2, 3… in
 * the new order, and each provider whose priority changes gets an edit.
 * Returns how many edits were queued: 0 when it is already first (last),
 * -1 on error. */
gint rl_provider_move (RlSession  *session,
                       const char *provider_id,
                       gint        delta,
                       GError    **error);
/* Places the provider just before (@after FALSE) or after @target_id, in
 * the target's role (a drop in drag and drop); the same edits as above,
 * plus the role when it changes. Both must be of the same kind
 * (RL_SESSION_ERROR_NOT_ALLOWED otherwise). Returns the edits queued. */
gint rl_provider_move_to (RlSession  *session,
                          const char *provider_id,
                          const char *target_id,
                          gboolean    after,
                          GError    **error);
/* Changes the role; the provider goes last in its new role. Returns the
 * outbox row id, or -1 (RL_SESSION_ERROR_NO_CHANGE: it has that role). */
gint64 rl_provider_set_role (RlSession     *session,
                             const char    *provider_id,
                             RlProviderRole role,
                             GError       **error);
gint64 rl_provider_set_enabled (RlSession  *session,
                                const char *provider_id,
                                gboolean    enabled,
                                GError    **error);

/* Asks the Secret Service to unlock the default collection (its own
 * prompt). TRUE when it is unlocked afterwards; FALSE with
 * RL_SECRETS_ERROR_LOCKED when the user dismissed the prompt. The session
 * checks the keyring again either way. */
void     rl_provider_unlock_keyring_async (RlSession          *session,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
gboolean rl_provider_unlock_keyring_finish (RlSession    *session,
                                            GAsyncResult *result,
                                            GError      **error);

G_END_DECLS
