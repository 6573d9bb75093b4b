/* secrets-test-util.h — synchronous wrappers over rl-secrets for tests.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-secrets.h"

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Waiter;

static inline void
waiter_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  g_main_loop_quit (waiter->loop);
}

static inline GAsyncResult *
waiter_run (Waiter *waiter)
{
  g_main_loop_run (waiter->loop);
  g_main_loop_unref (waiter->loop);
  return waiter->result;
}

#define WAITER_INIT                     \
  {                                     \
    g_main_loop_new (NULL, FALSE), NULL \
  }

static inline gboolean
secret_store (RlSecretKind kind,
              const char  *server,
              const char  *account,
              const char  *provider_id,
              const char  *field,
              const char  *value,
              GError     **error)
{
  Waiter w = WAITER_INIT;
  g_autoptr (GAsyncResult) result = NULL;

  rl_secrets_store_async (kind, server, account, provider_id, field, value, NULL,
                          waiter_done_cb, &w);
  result = waiter_run (&w);
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
  Waiter w = WAITER_INIT;
  g_autoptr (GAsyncResult) result = NULL;

  rl_secrets_lookup_async (kind, server, account, provider_id, field, NULL, waiter_done_cb, &w);
  result = waiter_run (&w);
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
  Waiter w = WAITER_INIT;
  g_autoptr (GAsyncResult) result = NULL;

  rl_secrets_clear_async (kind, server, account, provider_id, field, NULL, waiter_done_cb, &w);
  result = waiter_run (&w);
  return rl_secrets_clear_finish (result, error);
}

static inline gboolean
secret_clear_server (const char *server,
                     GError    **error)
{
  Waiter w = WAITER_INIT;
  g_autoptr (GAsyncResult) result = NULL;

  rl_secrets_clear_server_async (server, NULL, waiter_done_cb, &w);
  result = waiter_run (&w);
  return rl_secrets_clear_server_finish (result, error);
}

static inline RlSecretsState
secret_check (GError **error)
{
  Waiter w = WAITER_INIT;
  g_autoptr (GAsyncResult) result = NULL;

  rl_secrets_check_async (NULL, waiter_done_cb, &w);
  result = waiter_run (&w);
  return rl_secrets_check_finish (result, error);
}
