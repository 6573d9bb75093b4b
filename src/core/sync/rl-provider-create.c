/* rl-provider-create.c — adding a provider, removing a provider secret, and
 * the cached provider types (rl-provider-create.h, docs/providers.md).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-provider-create.h"

#include <sqlite3.h>
#include <string.h>

#include "rl-api.h"
#include "rl-edits.h"
#include "rl-error.h"
#include "rl-provider-form.h"
#include "rl-secrets.h"
#include "rl-store-private.h"
#include "rl-store.h"

typedef struct
{
  char *key;
  char *value; /* wiped when freed */
} PendingSecret;

typedef struct
{
  JsonNode  *body;
  GPtrArray *secrets; /* PendingSecret*, set one after another */
  guint      next;
  char      *provider_id;
} CreateData;

typedef struct
{
  char *provider_id;
  char *key;
} DeleteData;

static void
pending_secret_free (PendingSecret *secret)
{
  g_free (secret->key);
  rl_secrets_value_free (secret->value);
  g_free (secret);
}

static void
create_data_free (CreateData *data)
{
  g_clear_pointer (&data->body, json_node_unref);
  g_clear_pointer (&data->secrets, g_ptr_array_unref);
  g_free (data->provider_id);
  g_free (data);
}

static void
delete_data_free (DeleteData *data)
{
  g_free (data->provider_id);
  g_free (data->key);
  g_free (data);
}

/* The store of a signed-in session, or NULL + NO_CREDENTIALS. */
static RlStore *
signed_in_store (RlSession *self,
                 GError   **error)
{
  RlStore *store = rl_session_get_store (self);

  if (store == NULL || rl_session_get_state (self) == RL_SESSION_STATE_SIGNED_OUT)
    {
      g_set_error_literal (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CREDENTIALS,
                           "Not signed in");
      return NULL;
    }
  return store;
}

/* Online-only calls fail at once while the server is known unreachable. */
static gboolean
check_online (RlSession *self,
              GError   **error)
{
  if (rl_session_get_state (self) == RL_SESSION_STATE_OFFLINE || !rl_session_get_api_reachable (self))
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_NETWORK,
                           "The server cannot be reached: this needs a connection");
      return FALSE;
    }
  return TRUE;
}

static gboolean
cache_records (RlStore    *store,
               const char *entity,
               JsonArray  *records,
               GError    **error)
{
  g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, error);

  if (batch == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonNode *node = json_array_get_element (records, i);
      if (JSON_NODE_HOLDS_OBJECT (node)
          && !rl_store_batch_upsert (batch, entity, json_node_get_object (node), error))
        return FALSE;
    }
  return rl_store_batch_commit (batch, error);
}

static gboolean
cache_record (RlStore    *store,
              const char *entity,
              JsonObject *record,
              GError    **error)
{
  g_autoptr (JsonArray) one = json_array_new ();

  json_array_add_object_element (one, json_object_ref (record));
  return cache_records (store, entity, one, error);
}

static char *
provider_path (const char *provider_id,
               const char *key)
{
  g_autofree char *id = g_uri_escape_string (provider_id, NULL, TRUE);
  g_autofree char *escaped_key = key ? g_uri_escape_string (key, NULL, TRUE) : NULL;

  if (key == NULL)
    return g_strconcat ("/providers/", id, NULL);
  return g_strdup_printf ("/providers/%s/secrets/%s", id, escaped_key);
}

/* ---- Provider types -------------------------------------------------------------- */

GPtrArray *
rl_session_get_cached_provider_types (RlSession *self,
                                      GError   **error)
{
  g_autoptr (JsonArray) descriptors = json_array_new ();
  RlStore      *store;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (RL_IS_SESSION (self), NULL);

  if ((store = signed_in_store (self, error)) == NULL)
    return NULL;
  if ((stmt = rl_store_prepare (store, "SELECT json FROM provider_types", error)) == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        json_array_add_element (descriptors, json_node_copy (json_parser_get_root (parser)));
    }
  if (!rl_store_step_finished (store, stmt, rc, "provider types", error))
    return NULL;
  return rl_provider_types_parse (descriptors);
}

static void
types_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) cache_error = NULL;
  g_autoptr (JsonArray) items = NULL;
  g_autoptr (GPtrArray) types = NULL;
  RlStore *store;

  if (!rl_api_list_all_finish (RL_API (source), result, &items, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("provider types not fetched (%s): using the cached ones", error->message);
    }
  else if ((store = signed_in_store (self, &cache_error)) == NULL
           || !cache_records (store, "provider_type", items, &cache_error))
    g_debug ("provider types not cached: %s", cache_error->message);

  types = rl_session_get_cached_provider_types (self, &cache_error);
  if (types != NULL && types->len == 0 && items != NULL)
    {
      /* Not cached (signed out meanwhile?): what the server said still serves. */
      g_clear_pointer (&types, g_ptr_array_unref);
      types = rl_provider_types_parse (items);
    }
  if (types != NULL && types->len > 0)
    g_task_return_pointer (task, g_steal_pointer (&types), (GDestroyNotify) g_ptr_array_unref);
  else if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (cache_error != NULL)
    g_task_return_error (task, g_steal_pointer (&cache_error));
  else
    g_task_return_pointer (task, g_steal_pointer (&types), (GDestroyNotify) g_ptr_array_unref);
}

void
rl_session_load_provider_types_async (RlSession          *self,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (RL_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_session_load_provider_types_async);
  if (signed_in_store (self, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!check_online (self, NULL))
    {
      GPtrArray *types = rl_session_get_cached_provider_types (self, &error);
      if (types == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, types, (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  rl_api_list_all_async (rl_session_get_api (self), "/provider-types", NULL, 0, NULL, NULL, NULL,
                         cancellable, types_listed_cb, g_steal_pointer (&task));
}

GPtrArray *
rl_session_load_provider_types_finish (RlSession    *self,
                                       GAsyncResult *result,
                                       GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Create -------------------------------------------------------------------- */

static void set_next_secret (GTask *task);

static void
secret_set_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (rl_session_set_provider_secret_finish (RL_SESSION (source), result, &error) == 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  set_next_secret (g_steal_pointer (&task));
}

static void
set_next_secret (GTask *task)
{
  RlSession     *self = g_task_get_source_object (task);
  CreateData    *data = g_task_get_task_data (task);
  PendingSecret *secret;

  if (data->next >= data->secrets->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  secret = g_ptr_array_index (data->secrets, data->next++);
  rl_session_set_provider_secret_async (self, data->provider_id, secret->key, secret->value,
                                        g_task_get_cancellable (task), secret_set_cb, task);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession  *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = rl_api_request_finish (RL_API (source), result, &error);
  JsonObject *record;
  RlStore    *store;
  const char *id;

  if (envelope == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  record = rl_envelope_get_object (envelope);
  id = record != NULL && json_object_has_member (record, "id")
           ? json_object_get_string_member (record, "id")
           : NULL;
  if (id == NULL)
    {
      g_task_return_new_error (task, RL_ERROR, RL_ERROR_BAD_RESPONSE,
                               "POST /providers answered without a provider");
      return;
    }
  data->provider_id = g_strdup (id);
  if ((store = signed_in_store (self, &error)) == NULL
      || !cache_record (store, "provider", record, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_debug ("provider %s created; %u secret(s) to set", id, data->secrets->len);
  set_next_secret (g_steal_pointer (&task));
}

void
rl_session_create_provider_async (RlSession          *self,
                                  JsonObject         *provider,
                                  JsonObject         *secrets,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;
  CreateData         *data;

  g_return_if_fail (RL_IS_SESSION (self));
  g_return_if_fail (provider != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_session_create_provider_async);
  data = g_new0 (CreateData, 1);
  data->body = json_node_init_object (json_node_alloc (), provider);
  data->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_secret_free);
  if (secrets != NULL)
    {
      GList *keys = json_object_get_members (secrets);

      for (GList *l = keys; l; l = l->next)
        {
          JsonNode *value = json_object_get_member (secrets, l->data);
          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
              && *json_node_get_string (value) != '\0')
            {
              PendingSecret *secret = g_new0 (PendingSecret, 1);
              secret->key = g_strdup (l->data);
              secret->value = g_strdup (json_node_get_string (value));
              g_ptr_array_add (data->secrets, secret);
            }
        }
      g_list_free (keys);
    }
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  if (signed_in_store (self, &error) == NULL || !check_online (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A retried POST carries the same Idempotency-Key: never two providers. */
  options.expect = RL_ENVELOPE_EXPECT_OBJECT;
  rl_api_request_async (rl_session_get_api (self), "POST", "/providers", NULL, data->body,
                        &options, cancellable, created_cb, g_steal_pointer (&task));
}

gboolean
rl_session_create_provider_finish (RlSession    *self,
                                   GAsyncResult *result,
                                   char        **out_provider_id,
                                   GError      **error)
{
  CreateData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (out_provider_id != NULL)
    *out_provider_id = g_strdup (data->provider_id);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Remove a secret ---------------------------------------------------------------- */

static void
secret_reread_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = rl_api_request_finish (RL_API (source), result, &error);
  JsonObject *record = envelope ? rl_envelope_get_object (envelope) : NULL;
  RlStore    *store;

  /* The removal happened; a failed re-read only delays what the list shows
   * until the next pull. */
  if (record == NULL)
    g_debug ("provider not read again after a secret removal: %s",
             error ? error->message : "no record");
  else if ((store = signed_in_store (self, &error)) == NULL
           || !cache_record (store, "provider", record, &error))
    g_debug ("provider not cached after a secret removal: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
secret_cleared_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession    *self = g_task_get_source_object (task);
  DeleteData   *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  if (!rl_secrets_clear_finish (result, &error))
    {
      /* Gone on the server: the keyring's copy is no longer used by anything. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  path = provider_path (data->provider_id, NULL);
  /* The cancellable first: the arguments are evaluated in no set order. */
  cancellable = g_task_get_cancellable (task);
  rl_api_get_async (rl_session_get_api (self), path, NULL, cancellable, secret_reread_cb,
                    g_steal_pointer (&task));
  (void) source;
}

static void
secret_deleted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession    *self = g_task_get_source_object (task);
  DeleteData   *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = rl_api_request_finish (RL_API (source), result, &error);

  if (envelope == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  rl_secrets_clear_async (RL_SECRET_KIND_PROVIDER_SECRET, rl_session_get_server_url (self), NULL,
                          data->provider_id, data->key, cancellable, secret_cleared_cb,
                          g_steal_pointer (&task));
}

void
rl_session_delete_provider_secret_async (RlSession          *self,
                                         const char         *provider_id,
                                         const char         *key,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  DeleteData      *data;

  g_return_if_fail (RL_IS_SESSION (self));
  g_return_if_fail (provider_id != NULL && key != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_session_delete_provider_secret_async);
  data = g_new0 (DeleteData, 1);
  data->provider_id = g_strdup (provider_id);
  data->key = g_strdup (key);
  g_task_set_task_data (task, data, (GDestroyNotify) delete_data_free);
  if (signed_in_store (self, &error) == NULL || !check_online (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  path = provider_path (provider_id, key);
  rl_api_delete_async (rl_session_get_api (self), path, -1, cancellable, secret_deleted_cb,
                       g_steal_pointer (&task));
}

gboolean
rl_session_delete_provider_secret_finish (RlSession    *self,
                                          GAsyncResult *result,
                                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
