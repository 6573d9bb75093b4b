/* rl-secrets.c — keyring items on the Secret Service, via libsecret.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each call runs in a GTask thread with libsecret's synchronous API, after
 * checking that a Secret Service answers and that its default collection is
 * unlocked: a lookup in a locked collection would otherwise return NULL as if
 * there were no item. Values never reach a log.
 */
#include "config.h"

#include <string.h>

#include "rl-secrets.h"

#define SECRETS_BUS_NAME "org.freedesktop.secrets"
#define SECRETS_PATH "/org/freedesktop/secrets"
#define DBUS_TIMEOUT_MS 10000

/* clang-format off */
G_DEFINE_QUARK (rl-secrets-error-quark, rl_secrets_error)
/* clang-format on */

static const SecretSchema rl_secret_schema = {
  .name = "org.reloop.Console.Secret",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
      { .name = "kind", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = "server", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = "account", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = "provider-id", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = "field", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = NULL, .type = 0 },
  },
};

const SecretSchema *
rl_secrets_get_schema (void)
{
  return &rl_secret_schema;
}

const char *
rl_secret_kind_to_string (RlSecretKind kind)
{
  switch (kind)
    {
    case RL_SECRET_KIND_API_ACCESS_TOKEN:
      return "api-access-token";
    case RL_SECRET_KIND_API_REFRESH_TOKEN:
      return "api-refresh-token";
    case RL_SECRET_KIND_MQTT_PASSWORD:
      return "mqtt-password";
    case RL_SECRET_KIND_PROVIDER_SECRET:
      return "provider-secret";
    case RL_SECRET_KIND_TILE_API_KEY:
      return "tile-api-key";
    default:
      return NULL;
    }
}

void
rl_secrets_value_free (char *value)
{
  if (value == NULL)
    return;
  explicit_bzero (value, strlen (value));
  g_free (value);
}

/* ---- Task data ---------------------------------------------------------- */

typedef enum
{
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
  OP_CLEAR_SERVER,
  OP_CHECK,
} Op;

typedef struct
{
  Op           op;
  RlSecretKind kind;
  char        *server;
  char        *account;
  char        *provider_id;
  char        *field;
  char        *value;
} Request;

static void
request_free (Request *request)
{
  g_free (request->server);
  g_free (request->account);
  g_free (request->provider_id);
  g_free (request->field);
  rl_secrets_value_free (request->value);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static GHashTable *
request_attributes (Request *request)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  if (request->op != OP_CLEAR_SERVER)
    g_hash_table_insert (attributes, "kind", (gpointer) rl_secret_kind_to_string (request->kind));
  if (request->server != NULL)
    g_hash_table_insert (attributes, "server", request->server);
  if (request->account != NULL)
    g_hash_table_insert (attributes, "account", request->account);
  if (request->provider_id != NULL)
    g_hash_table_insert (attributes, "provider-id", request->provider_id);
  if (request->field != NULL)
    g_hash_table_insert (attributes, "field", request->field);
  return attributes;
}

static char *
request_label (Request *request)
{
  const char *server = request->server ? request->server : "?";

  switch (request->kind)
    {
    case RL_SECRET_KIND_API_ACCESS_TOKEN:
      return g_strdup_printf ("ReLoop access token for %s on %s",
                              request->account ? request->account : "?", server);
    case RL_SECRET_KIND_API_REFRESH_TOKEN:
      return g_strdup_printf ("ReLoop refresh token for %s on %s",
                              request->account ? request->account : "?", server);
    case RL_SECRET_KIND_MQTT_PASSWORD:
      return g_strdup_printf ("ReLoop MQTT password for %s on %s",
                              request->account ? request->account : "?", server);
    case RL_SECRET_KIND_TILE_API_KEY:
      return g_strdup_printf ("ReLoop map tile API key for %s", server);
    case RL_SECRET_KIND_PROVIDER_SECRET:
    default:
      return g_strdup_printf ("ReLoop provider %s secret “%s” on %s",
                              request->provider_id ? request->provider_id : "?",
                              request->field ? request->field : "?", server);
    }
}

/* ---- Errors ------------------------------------------------------------- */

/* Whatever prevents talking to a Secret Service at all. */
static void
set_no_service (GError      **error,
                const GError *cause)
{
  g_set_error (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_NO_SERVICE,
               "No keyring is available (%s)", cause ? cause->message : "no default collection");
}

static void
propagate_mapped (GError **error,
                  GError  *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, cause);
  else if (g_error_matches (cause, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      g_set_error (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_LOCKED,
                   "The keyring is locked (%s)", cause->message);
      g_error_free (cause);
    }
  else if (cause->domain == G_DBUS_ERROR
           || g_error_matches (cause, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    {
      set_no_service (error, cause);
      g_error_free (cause);
    }
  else
    {
      g_set_error (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_FAILED,
                   "Keyring error: %s", cause->message);
      g_error_free (cause);
    }
}

/* Checks, with fresh D-Bus calls (no cached proxy state), that a Secret
 * Service answers and that its default collection exists and is unlocked. */
static RlSecretsState
probe_keyring (GCancellable *cancellable,
               GError      **error)
{
  g_autoptr (GDBusConnection) bus = NULL;
  g_autoptr (GVariant) alias = NULL;
  g_autoptr (GVariant) locked = NULL;
  g_autoptr (GVariant) locked_value = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *path = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, cancellable, &local_error);
  if (bus == NULL)
    goto no_service;

  alias = g_dbus_connection_call_sync (bus, SECRETS_BUS_NAME, SECRETS_PATH,
                                       "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NONE, DBUS_TIMEOUT_MS,
                                       cancellable, &local_error);
  if (alias == NULL)
    goto no_service;
  g_variant_get (alias, "(&o)", &path);
  if (g_str_equal (path, "/"))
    goto no_service;

  locked = g_dbus_connection_call_sync (bus, SECRETS_BUS_NAME, path,
                                        "org.freedesktop.DBus.Properties", "Get",
                                        g_variant_new ("(ss)", "org.freedesktop.Secret.Collection",
                                                       "Locked"),
                                        G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE,
                                        DBUS_TIMEOUT_MS, cancellable, &local_error);
  if (locked == NULL)
    goto no_service;
  g_variant_get (locked, "(v)", &locked_value);
  if (!g_variant_is_of_type (locked_value, G_VARIANT_TYPE_BOOLEAN))
    {
      g_set_error_literal (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_FAILED,
                           "The keyring answered with an unexpected Locked property");
      return RL_SECRETS_STATE_NO_SERVICE;
    }
  if (g_variant_get_boolean (locked_value))
    {
      g_set_error_literal (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_LOCKED,
                           "The default keyring is locked");
      return RL_SECRETS_STATE_LOCKED;
    }
  return RL_SECRETS_STATE_AVAILABLE;

no_service:
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    set_no_service (error, local_error);
  return RL_SECRETS_STATE_NO_SERVICE;
}

static void
secrets_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr (GHashTable) attributes = NULL;
  g_autoptr (GError) error = NULL;
  RlSecretsState state;

  state = probe_keyring (cancellable, &error);
  if (request->op == OP_CHECK)
    {
      /* The state is the answer; the error only says why. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        {
          g_task_set_task_data (task, error ? g_strdup (error->message) : NULL, g_free);
          g_task_return_int (task, state);
        }
      return;
    }
  if (state != RL_SECRETS_STATE_AVAILABLE)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("Keyring %s: kind %s on %s",
           request->op == OP_STORE ? "store" : request->op == OP_LOOKUP ? "lookup"
                                                                        : "clear",
           request->op == OP_CLEAR_SERVER ? "(all)" : rl_secret_kind_to_string (request->kind),
           request->server ? request->server : "(any server)");

  attributes = request_attributes (request);
  switch (request->op)
    {
    case OP_STORE:
      {
        g_autofree char *label = request_label (request);

        if (secret_password_storev_sync (&rl_secret_schema, attributes, SECRET_COLLECTION_DEFAULT,
                                         label, request->value, cancellable, &error))
          g_task_return_boolean (task, TRUE);
        else
          {
            GError *mapped = NULL;
            propagate_mapped (&mapped, g_steal_pointer (&error));
            g_task_return_error (task, mapped);
          }
      }
      break;

    case OP_LOOKUP:
      {
        char *value = secret_password_lookupv_sync (&rl_secret_schema, attributes,
                                                    cancellable, &error);
        if (error != NULL)
          {
            GError *mapped = NULL;
            propagate_mapped (&mapped, g_steal_pointer (&error));
            g_task_return_error (task, mapped);
          }
        else
          {
            /* libsecret's value is in non-pageable memory: copy, then wipe it. */
            char *copy = g_strdup (value);
            secret_password_free (value);
            g_task_return_pointer (task, copy, (GDestroyNotify) rl_secrets_value_free);
          }
      }
      break;

    case OP_CLEAR:
    case OP_CLEAR_SERVER:
      secret_password_clearv_sync (&rl_secret_schema, attributes, cancellable, &error);
      if (error != NULL)
        {
          GError *mapped = NULL;
          propagate_mapped (&mapped, g_steal_pointer (&error));
          g_task_return_error (task, mapped);
        }
      else
        g_task_return_boolean (task, TRUE);
      break;

    case OP_CHECK:
    default:
      g_assert_not_reached ();
    }
}

static void
run_request (Request            *request,
             gpointer            source_tag,
             GCancellable       *cancellable,
             GAsyncReadyCallback callback,
             gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, secrets_thread);
}

static Request *
request_new (Op           op,
             RlSecretKind kind,
             const char  *server,
             const char  *account,
             const char  *provider_id,
             const char  *field)
{
  Request *request = g_new0 (Request, 1);

  request->op = op;
  request->kind = kind;
  request->server = g_strdup (server);
  request->account = g_strdup (account);
  request->provider_id = g_strdup (provider_id);
  request->field = g_strdup (field);
  return request;
}

/* ---- Public API --------------------------------------------------------- */

void
rl_secrets_store_async (RlSecretKind        kind,
                        const char         *server,
                        const char         *account,
                        const char         *provider_id,
                        const char         *field,
                        const char         *value,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  Request *request;

  g_return_if_fail (rl_secret_kind_to_string (kind) != NULL);
  g_return_if_fail (server != NULL);
  g_return_if_fail (value != NULL);

  request = request_new (OP_STORE, kind, server, account, provider_id, field);
  request->value = g_strdup (value);
  run_request (request, rl_secrets_store_async, cancellable, callback, user_data);
}

gboolean
rl_secrets_store_finish (GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rl_secrets_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
rl_secrets_lookup_async (RlSecretKind        kind,
                         const char         *server,
                         const char         *account,
                         const char         *provider_id,
                         const char         *field,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_return_if_fail (rl_secret_kind_to_string (kind) != NULL);
  g_return_if_fail (server != NULL);

  run_request (request_new (OP_LOOKUP, kind, server, account, provider_id, field),
               rl_secrets_lookup_async, cancellable, callback, user_data);
}

char *
rl_secrets_lookup_finish (GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rl_secrets_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
rl_secrets_clear_async (RlSecretKind        kind,
                        const char         *server,
                        const char         *account,
                        const char         *provider_id,
                        const char         *field,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_return_if_fail (rl_secret_kind_to_string (kind) != NULL);
  g_return_if_fail (server != NULL);

  run_request (request_new (OP_CLEAR, kind, server, account, provider_id, field),
               rl_secrets_clear_async, cancellable, callback, user_data);
}

gboolean
rl_secrets_clear_finish (GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rl_secrets_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
rl_secrets_clear_server_async (const char         *server,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_return_if_fail (server != NULL);

  run_request (request_new (OP_CLEAR_SERVER, 0, server, NULL, NULL, NULL),
               rl_secrets_clear_server_async, cancellable, callback, user_data);
}

gboolean
rl_secrets_clear_server_finish (GAsyncResult *result,
                                GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rl_secrets_clear_server_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
rl_secrets_check_async (GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  run_request (request_new (OP_CHECK, 0, NULL, NULL, NULL, NULL),
               rl_secrets_check_async, cancellable, callback, user_data);
}

RlSecretsState
rl_secrets_check_finish (GAsyncResult *result,
                         GError      **error)
{
  GTask *task;
  g_autoptr (GError) local_error = NULL;
  const char *why;
  gssize      state;

  g_return_val_if_fail (g_task_is_valid (result, NULL), RL_SECRETS_STATE_NO_SERVICE);
  task = G_TASK (result);
  g_return_val_if_fail (g_task_get_source_tag (task) == rl_secrets_check_async,
                        RL_SECRETS_STATE_NO_SERVICE);

  state = g_task_propagate_int (task, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return RL_SECRETS_STATE_NO_SERVICE;
    }
  why = g_task_get_task_data (task);
  if (why != NULL)
    g_set_error_literal (error, RL_SECRETS_ERROR,
                         state == RL_SECRETS_STATE_LOCKED ? RL_SECRETS_ERROR_LOCKED
                                                          : RL_SECRETS_ERROR_NO_SERVICE,
                         why);
  return state;
}
