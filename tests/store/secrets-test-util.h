/* secrets-test-util.h — synchronous wrappers over rl-secrets for tests.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-secrets.h"
#include "rl-test-util.h"

/* Each waits at most this long for the Secret Service (a bus that has to
 * be autolaunched, or none, can take seconds to say so). */
#define SECRETS_TIMEOUT_MS 60000

static inline gboolean
secret_store (RlSecretKind kind,
              const char  *server,
              const char  *account,
              const char  *provider_id,
              const char  *field,
              const char  *value,
              GError     **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_secrets_store_async (kind, server, account, provider_id, field, value, NULL,
                          rl_test_store_result_cb, &result);
  rl_test_wait_result (&result, SECRETS_TIMEOUT_MS);
  return rl_secrets_store_finish (result, error);
}

static inline char *
secret_lookup (RlSecretKind kind,
               const char  *server,
               const char  *account,
               const char  *provider_id,
               const char  *field,
               GError     **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_secrets_lookup_async (kind, server, account, provider_id, field, NULL, rl_test_store_result_cb, &result);
  rl_test_wait_result (&result, SECRETS_TIMEOUT_MS);
  return rl_secrets_lookup_finish (result, error);
}

static inline gboolean
secret_clear (RlSecretKind kind,
              const char  *server,
              const char  *account,
              const char  *provider_id,
              const char  *field,
              GError     **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_secrets_clear_async (kind, server, account, provider_id, field, NULL, rl_test_store_result_cb, &result);
  rl_test_wait_result (&result, SECRETS_TIMEOUT_MS);
  return rl_secrets_clear_finish (result, error);
}

static inline gboolean
secret_clear_server (const char *server,
                     GError    **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_secrets_clear_server_async (server, NULL, rl_test_store_result_cb, &result);
  rl_test_wait_result (&result, SECRETS_TIMEOUT_MS);
  return rl_secrets_clear_server_finish (result, error);
}

static inline RlSecretsState
secret_check (GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_secrets_check_async (NULL, rl_test_store_result_cb, &result);
  rl_test_wait_result (&result, SECRETS_TIMEOUT_MS);
  return rl_secrets_check_finish (result, error);
}
