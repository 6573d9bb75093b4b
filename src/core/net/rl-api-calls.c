/* rl-api-calls.c — RlApi's calls built on the request engine: login,
 * GET/POST/PATCH/DELETE shorthands, paging through lists, /changes.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rl-api-private.h"

/* ------------------------------------------------------------------ */
/* Auth records                                                        */

RlApiAuth *
rl_api_auth_copy (const RlApiAuth *auth)
{
  RlApiAuth *copy;

  g_return_val_if_fail (auth != NULL, NULL);

  copy = g_new0 (RlApiAuth, 1);
  copy->access_token = g_strdup (auth->access_token);
  copy->refresh_token = g_strdup (auth->refresh_token);
  copy->expires_in = auth->expires_in;
  copy->user_id = g_strdup (auth->user_id);
  copy->user_name = g_strdup (auth->user_name);
  copy->user_email = g_strdup (auth->user_email);
  copy->user_role = g_strdup (auth->user_role);
  return copy;
}

void
rl_api_auth_free (RlApiAuth *auth)
{
  if (auth == NULL)
    return;
  /* Tokens are secrets: do not leave them in freed memory. */
  if (auth->access_token != NULL)
    memset (auth->access_token, 0, strlen (auth->access_token));
  if (auth->refresh_token != NULL)
    memset (auth->refresh_token, 0, strlen (auth->refresh_token));
  g_free (auth->access_token);
  g_free (auth->refresh_token);
  g_free (auth->user_id);
  g_free (auth->user_name);
  g_free (auth->user_email);
  g_free (auth->user_role);
  g_free (auth);
}

static const char *
object_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

RlApiAuth *
rl_api_auth_from_envelope (RlEnvelope *envelope,
                           GError    **error)
{
  JsonObject *object = rl_envelope_get_object (envelope);
  g_autoptr (RlApiAuth) auth = g_new0 (RlApiAuth, 1);
  JsonObject *user = NULL;
  JsonNode   *node;

  if (object == NULL || object_string (object, "accessToken") == NULL
      || object_string (object, "refreshToken") == NULL)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_BAD_RESPONSE,
                   "Unexpected response from the server: no tokens in the sign-in answer");
      return NULL;
    }
  auth->access_token = g_strdup (object_string (object, "accessToken"));
  auth->refresh_token = g_strdup (object_string (object, "refreshToken"));
  node = json_object_get_member (object, "expiresIn");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64)
    auth->expires_in = json_node_get_int (node);
  node = json_object_get_member (object, "user");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    user = json_node_get_object (node);
  auth->user_id = g_strdup (object_string (user, "id"));
  auth->user_name = g_strdup (object_string (user, "name"));
  auth->user_email = g_strdup (object_string (user, "email"));
  auth->user_role = g_strdup (object_string (user, "role"));
  return g_steal_pointer (&auth);
}

void
rl_api_apply_auth (RlApi           *self,
                   const RlApiAuth *auth)
{
  rl_api_set_tokens (self, auth->access_token, auth->refresh_token);
}

/* ------------------------------------------------------------------ */
/* Login                                                                */

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlApi *self = RL_API (source);
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autoptr (RlApiAuth) auth = NULL;
  GError *error = NULL;

  envelope = rl_api_request_finish (self, result, &error);
  if (envelope != NULL)
    auth = rl_api_auth_from_envelope (envelope, &error);
  if (auth == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  rl_api_apply_auth (self, auth);
  g_task_return_pointer (task, g_steal_pointer (&auth), (GDestroyNotify) rl_api_auth_free);
}

void
rl_api_login_async (RlApi              *self,
                    const char         *email,
                    const char         *password,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (RL_IS_API (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_api_login_async);
  /* The request engine reports cancellation (G_IO_ERROR_CANCELLED) itself. */
  g_task_set_check_cancellable (task, FALSE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  /* Signing in twice is harmless: retried like a read, and no key (the
   * key's scope is a user, and there is none yet). */
  options.flags =
      RL_API_REQUEST_NO_AUTH | RL_API_REQUEST_NO_IDEMPOTENCY_KEY | RL_API_REQUEST_IDEMPOTENT;
  options.expect = RL_ENVELOPE_EXPECT_OBJECT;
  rl_api_request_async (self, "POST", "/auth/login", NULL, body, &options,
                        cancellable, login_cb, g_steal_pointer (&task));
}

RlApiAuth *
rl_api_login_finish (RlApi        *self,
                     GAsyncResult *result,
                     GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* Shorthands                                                           */

void
rl_api_get_async (RlApi              *self,
                  const char         *path,
                  GHashTable         *query,
                  GCancellable       *cancellable,
                  GAsyncReadyCallback callback,
                  gpointer            user_data)
{
  rl_api_request_async (self, "GET", path, query, NULL, NULL, cancellable, callback, user_data);
}

void
rl_api_post_async (RlApi              *self,
                   const char         *path,
                   JsonNode           *body,
                   GCancellable       *cancellable,
                   GAsyncReadyCallback callback,
                   gpointer            user_data)
{
  rl_api_request_async (self, "POST", path, NULL, body, NULL, cancellable, callback, user_data);
}

void
rl_api_patch_async (RlApi              *self,
                    const char         *path,
                    JsonNode           *body,
                    gint64              version,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;

  options.if_match = version;
  rl_api_request_async (self, "PATCH", path, NULL, body, &options, cancellable, callback,
                        user_data);
}

void
rl_api_delete_async (RlApi              *self,
                     const char         *path,
                     gint64              version,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;

  options.if_match = version;
  rl_api_request_async (self, "DELETE", path, NULL, NULL, &options, cancellable, callback,
                        user_data);
}

/* ------------------------------------------------------------------ */
/* Paging                                                               */

typedef struct
{
  char          *path;
  GHashTable    *query; /* the caller's, copied */
  guint          page_limit;
  RlApiPageFunc  page_func;
  gpointer       page_data;
  GDestroyNotify page_data_free;
  char          *cursor; /* next page's cursor, NULL for the first */
  JsonArray     *items;
  guint          n_pages;
} ListAll;

static void
list_all_free (ListAll *list)
{
  if (list->page_data_free != NULL)
    list->page_data_free (list->page_data);
  g_free (list->path);
  g_clear_pointer (&list->query, g_hash_table_unref);
  g_free (list->cursor);
  g_clear_pointer (&list->items, json_array_unref);
  g_free (list);
}

static void list_all_next (GTask *task);

static void
list_all_page_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlApi   *self = RL_API (source);
  ListAll *list = g_task_get_task_data (task);
  g_autoptr (RlEnvelope) envelope = NULL;
  GError    *error = NULL;
  JsonArray *page;

  envelope = rl_api_request_finish (self, result, &error);
  if (envelope == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  list->n_pages++;
  page = rl_envelope_get_array (envelope);
  g_assert (page != NULL); /* the request expected an array */

  /* A server that hands back the cursor it was given would loop forever. */
  if (envelope->next_cursor != NULL && g_strcmp0 (envelope->next_cursor, list->cursor) == 0)
    {
      g_task_return_new_error (
          task, RL_ERROR, RL_ERROR_BAD_RESPONSE,
          "Unexpected response from the server: the list cursor does not advance");
      return;
    }

  if (list->page_func != NULL)
    {
      if (!list->page_func (self, envelope, list->page_data))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
    }
  else
    {
      guint n = json_array_get_length (page);

      for (guint i = 0; i < n; i++)
        json_array_add_element (list->items, json_array_dup_element (page, i));
    }

  if (envelope->next_cursor == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_free (list->cursor);
  list->cursor = g_strdup (envelope->next_cursor);
  list_all_next (g_steal_pointer (&task));
}

/* Takes the task's reference. */
static void
list_all_next (GTask *task)
{
  RlApi   *self = g_task_get_source_object (task);
  ListAll *list = g_task_get_task_data (task);
  g_autoptr (GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;

  if (list->query != NULL)
    {
      GHashTableIter iter;
      gpointer       key, value;

      g_hash_table_iter_init (&iter, list->query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (query, g_strdup (key), g_strdup (value));
    }
  if (list->page_limit > 0)
    g_hash_table_insert (query, g_strdup ("limit"), g_strdup_printf ("%u", list->page_limit));
  if (list->cursor != NULL)
    g_hash_table_insert (query, g_strdup ("cursor"), g_strdup (list->cursor));

  options.expect = RL_ENVELOPE_EXPECT_ARRAY;
  rl_api_request_async (self, "GET", list->path, query, NULL, &options,
                        g_task_get_cancellable (task), list_all_page_cb, task);
}

void
rl_api_list_all_async (RlApi              *self,
                       const char         *path,
                       GHashTable         *query,
                       guint               page_limit,
                       RlApiPageFunc       page_func,
                       gpointer            page_data,
                       GDestroyNotify      page_data_free,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  ListAll *list;

  g_return_if_fail (RL_IS_API (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_api_list_all_async);
  /* The request engine reports cancellation (G_IO_ERROR_CANCELLED) itself. */
  g_task_set_check_cancellable (task, FALSE);

  list = g_new0 (ListAll, 1);
  list->path = g_strdup (path);
  list->query = query != NULL ? g_hash_table_ref (query) : NULL;
  list->page_limit = page_limit;
  list->page_func = page_func;
  list->page_data = page_data;
  list->page_data_free = page_data_free;
  list->items = json_array_new ();
  g_task_set_task_data (task, list, (GDestroyNotify) list_all_free);

  list_all_next (g_steal_pointer (&task));
}

gboolean
rl_api_list_all_finish (RlApi        *self,
                        GAsyncResult *result,
                        JsonArray   **out_items,
                        guint        *out_n_pages,
                        GError      **error)
{
  ListAll *list;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  list = g_task_get_task_data (G_TASK (result));
  if (out_items != NULL)
    *out_items = json_array_ref (list->items);
  if (out_n_pages != NULL)
    *out_n_pages = list->n_pages;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Changes feed                                                         */

static void
changes_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (RlEnvelope) envelope = NULL;
  GError *error = NULL;

  envelope = rl_api_request_finish (RL_API (source), result, &error);
  if (envelope == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (envelope->next_since < 0)
    {
      g_task_return_new_error (task, RL_ERROR, RL_ERROR_BAD_RESPONSE,
                               "Unexpected response from the server: /changes without nextSince");
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&envelope), (GDestroyNotify) rl_envelope_free);
}

void
rl_api_changes_async (RlApi              *self,
                      gint64              since,
                      guint               limit,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_autoptr (GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (RL_IS_API (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_api_changes_async);
  /* The request engine reports cancellation (G_IO_ERROR_CANCELLED) itself. */
  g_task_set_check_cancellable (task, FALSE);

  g_hash_table_insert (query, (gpointer) "since",
                       g_strdup_printf ("%" G_GINT64_FORMAT, MAX (since, 0)));
  if (limit > 0)
    g_hash_table_insert (query, (gpointer) "limit", g_strdup_printf ("%u", limit));
  options.expect = RL_ENVELOPE_EXPECT_ARRAY;
  rl_api_request_async (self, "GET", "/changes", query, NULL, &options,
                        cancellable, changes_cb, g_steal_pointer (&task));
}

RlEnvelope *
rl_api_changes_finish (RlApi        *self,
                       GAsyncResult *result,
                       GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
