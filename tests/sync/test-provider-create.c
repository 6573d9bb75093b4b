/* test-provider-create.c — rl-provider-create on its own, against a real
 * reloop-devserver and the session's keyring (suite integration; one meson
 * test per case): the provider types loaded online and then from the cache
 * offline; a provider created with config and secrets (the server reports
 * the hints, the keyring holds each secret under the documented label); a
 * secret removed (gone on the server and in the keyring, the cache read
 * again); offline, create and remove refused at once with
 * RL_ERROR_NETWORK and nothing written (no cache row, no outbox row, no
 * keyring item).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "rl-error.h"
#include "rl-provider-create.h"
#include "rl-provider-form.h"
#include "rl-secrets.h"
#include "rl-store.h"
#include "sync-test-util.h"

static RlTestDevserver *server;

#define SECRET_KEY_VALUE "sk_test_provider_create_4f2a"
#define WEBHOOK_VALUE "whsec_provider_create_9c1d"

/* ---- Helpers ------------------------------------------------------------------- */

static RlSession *
sign_in_admin (void)
{
  RlSession *session = sync_test_sign_in (server, SYNC_ADMIN, 0);

  /* Going offline is noticed within a probe or two. */
  rl_session_set_probe_interval (session, 200);
  return session;
}

static gboolean
is_offline (gpointer user_data)
{
  RlSession *session = user_data;

  return rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE
         && !rl_session_get_api_reachable (session);
}

static gboolean
is_online (gpointer user_data)
{
  RlSession *session = user_data;

  return rl_session_get_state (session) == RL_SESSION_STATE_ONLINE
         && rl_session_get_api_reachable (session);
}

static void
go_offline (RlSession *session)
{
  rl_test_devserver_stop (server);
  g_assert_true (rl_test_wait_until (is_offline, session, 20000));
}

static void
go_online (RlSession *session)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (rl_test_devserver_restart (server, &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait_until (is_online, session, 30000));
}

static GPtrArray *
load_types (RlSession *session,
            GError   **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_session_load_provider_types_async (session, NULL, rl_test_store_result_cb, &result);
  return rl_session_load_provider_types_finish (
      session, rl_test_wait_result (&result, SYNC_TIMEOUT_MS), error);
}

static const RlProviderType *
find_type (GPtrArray  *types,
           const char *name)
{
  for (guint i = 0; i < types->len; i++)
    {
      const RlProviderType *type = g_ptr_array_index (types, i);

      if (g_str_equal (type->type, name))
        return type;
    }
  return NULL;
}

static JsonObject *
object (const char *json)
{
  g_autoptr (JsonNode) node = json_from_string (json, NULL);

  g_assert_true (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static gboolean
create (RlSession  *session,
        const char *provider_json,
        const char *secrets_json,
        char      **out_id,
        GError    **error)
{
  g_autoptr (JsonObject) provider = object (provider_json);
  g_autoptr (JsonObject) secrets = secrets_json ? object (secrets_json) : NULL;
  g_autoptr (GAsyncResult) result = NULL;

  rl_session_create_provider_async (session, provider, secrets, NULL, rl_test_store_result_cb,
                                    &result);
  return rl_session_create_provider_finish (
      session, rl_test_wait_result (&result, SYNC_TIMEOUT_MS), out_id, error);
}

static gboolean
delete_secret (RlSession  *session,
               const char *id,
               const char *key,
               GError    **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_session_delete_provider_secret_async (session, id, key, NULL, rl_test_store_result_cb,
                                           &result);
  return rl_session_delete_provider_secret_finish (
      session, rl_test_wait_result (&result, SYNC_TIMEOUT_MS), error);
}

/* The keyring items of this server's provider secrets (@provider_id and
 * @field may be NULL: any); SecretRetrievable*. */
static GList *
keyring_items (RlSession  *session,
               const char *provider_id,
               const char *field)
{
  g_autoptr (GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  GList *items;

  g_hash_table_insert (attributes, "kind", "provider-secret");
  g_hash_table_insert (attributes, "server", (gpointer) rl_session_get_server_url (session));
  if (provider_id != NULL)
    g_hash_table_insert (attributes, "provider-id", (gpointer) provider_id);
  if (field != NULL)
    g_hash_table_insert (attributes, "field", (gpointer) field);
  items = secret_password_searchv_sync (rl_secrets_get_schema (), attributes,
                                        SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS, NULL,
                                        &error);
  g_assert_no_error (error);
  return items;
}

/* The value of the one keyring item of @provider_id's @field, and its
 * label in *@out_label; NULL when there is none. */
static char *
keyring_value (RlSession  *session,
               const char *provider_id,
               const char *field,
               char      **out_label)
{
  GList *items = keyring_items (session, provider_id, field);
  g_autoptr (SecretValue) value = NULL;
  g_autoptr (GError) error = NULL;
  char *text;

  if (items == NULL)
    return NULL;
  g_assert_cmpuint (g_list_length (items), ==, 1);
  value = secret_retrievable_retrieve_secret_sync (items->data, NULL, &error);
  g_assert_no_error (error);
  text = g_strdup (secret_value_get_text (value));
  if (out_label != NULL)
    *out_label = secret_retrievable_get_label (items->data);
  g_list_free_full (items, g_object_unref);
  return text;
}

static JsonObject *
secret_of (JsonObject *provider,
           const char *key)
{
  JsonObject *secrets = json_object_get_object_member (provider, "secrets");

  g_assert_nonnull (secrets);
  return json_object_has_member (secrets, key) ? json_object_get_object_member (secrets, key)
                                               : NULL;
}

static gboolean
secret_is_set (JsonObject *provider,
               const char *key)
{
  JsonObject *secret = secret_of (provider, key);

  return secret != NULL && json_object_get_boolean_member_with_default (secret, "set", FALSE);
}

/* ---- The tests ----------------------------------------------------------------- */

/* Online: GET /provider-types, cached; offline: the cached ones. */
static void
test_types (void)
{
  g_autoptr (RlSession) session = sign_in_admin ();
  g_autoptr (GPtrArray) online = NULL;
  g_autoptr (GPtrArray) cached = NULL;
  g_autoptr (GPtrArray) offline = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *admin = rl_test_login (server, SYNC_ADMIN);
  g_autoptr (JsonNode) listed = sync_test_call (server, admin, "GET", "/provider-types?limit=200",
                                                NULL, NULL, 200);
  const RlProviderType *stripe;
  gint64                seq;

  g_assert_true (listed != NULL && JSON_NODE_HOLDS_ARRAY (listed));
  seq = sync_test_request_seq (server);
  online = load_types (session, &error);
  g_assert_no_error (error);
  /* Asked of the server, not only read from the cache. */
  {
    g_autoptr (JsonArray) requests = sync_test_requests (server, seq);
    gboolean asked = FALSE;

    for (guint i = 0; i < json_array_get_length (requests); i++)
      {
        JsonObject *r = json_array_get_object_element (requests, i);
        const char *path = json_object_get_string_member_with_default (r, "path", "");

        asked |= g_str_has_prefix (path, "/api/v1/provider-types")
                 && g_str_equal (json_object_get_string_member (r, "method"), "GET");
      }
    g_assert_true (asked);
  }
  g_assert_cmpuint (online->len, ==, json_array_get_length (json_node_get_array (listed)));
  g_assert_cmpuint (online->len, ==, 23);
  /* Sorted by kind, then label. */
  for (guint i = 1; i < online->len; i++)
    {
      const RlProviderType *a = g_ptr_array_index (online, i - 1);
      const RlProviderType *b = g_ptr_array_index (online, i);
      int                   by_kind = g_strcmp0 (a->kind, b->kind);

      g_assert_true (by_kind < 0 || (by_kind == 0 && g_utf8_collate (a->label, b->label) <= 0));
    }
  if ((stripe = find_type (online, "stripe")) == NULL)
    g_error ("no stripe among the provider types");
  g_assert_cmpstr (stripe->kind, ==, "payment");
  g_assert_cmpuint (stripe->fields->len, >=, 3);

  cached = rl_session_get_cached_provider_types (session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cached->len, ==, online->len);
  g_assert_cmpint (rl_store_count (rl_session_get_store (session), "provider_type"), ==, 23);

  /* Offline: the cached ones, at once and without an error. */
  go_offline (session);
  offline = load_types (session, &error);
  g_assert_no_error (error);
  g_assert_nonnull (offline);
  g_assert_cmpuint (offline->len, ==, online->len);
  for (guint i = 0; i < online->len; i++)
    {
      const RlProviderType *a = g_ptr_array_index (online, i);
      const RlProviderType *b = g_ptr_array_index (offline, i);

      g_assert_cmpstr (a->type, ==, b->type);
      g_assert_cmpuint (a->fields->len, ==, b->fields->len);
    }
  go_online (session);
}

/* Create with config and secrets; the secrets reach the server through the
 * keyring and the outbox; removing one deletes it there and in the keyring. */
static void
test_create_and_remove (void)
{
  g_autoptr (RlSession) session = sign_in_admin ();
  g_autofree char *admin = rl_test_login (server, SYNC_ADMIN);
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *label = NULL;
  g_autofree char *value = NULL;
  g_autofree char *expected_label = NULL;
  g_autoptr (JsonObject) on_server = NULL;
  g_autoptr (JsonObject) cached = NULL;
  g_autoptr (GError) error = NULL;
  gint64 providers_before = rl_store_count (rl_session_get_store (session), "provider");

  g_assert_true (create (session,
                         "{\"type\":\"stripe\",\"name\":\"Stripe (create test)\","
                         "\"role\":\"backup\",\"priority\":7,\"enabled\":true,"
                         "\"config\":{\"publishableKey\":\"pk_test_create\",\"currency\":\"npr\"}}",
                         "{\"secretKey\":\"" SECRET_KEY_VALUE "\","
                         "\"webhookSecret\":\"" WEBHOOK_VALUE "\"}",
                         &id, &error));
  g_assert_no_error (error);
  g_assert_nonnull (id);
  path = g_strdup_printf ("/providers/%s", id);

  /* The server's record is cached at once. */
  g_assert_cmpint (rl_store_count (rl_session_get_store (session), "provider"), ==,
                   providers_before + 1);
  cached = sync_test_cached (session, "provider", id);
  g_assert_cmpstr (json_object_get_string_member (cached, "name"), ==, "Stripe (create test)");

  /* The secrets go out from the outbox (auto-drain): the server reports
   * their hints, and the config as sent. */
  g_assert_true (sync_test_wait_pending (session, 0, SYNC_TIMEOUT_MS));
  on_server = sync_test_get (server, admin, path);
  g_assert_cmpstr (json_object_get_string_member (on_server, "type"), ==, "stripe");
  g_assert_cmpstr (json_object_get_string_member (on_server, "role"), ==, "backup");
  g_assert_cmpint (json_object_get_int_member (on_server, "priority"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (on_server, "config"), "currency"),
                   ==, "npr");
  g_assert_true (secret_is_set (on_server, "secretKey"));
  g_assert_cmpstr (json_object_get_string_member (secret_of (on_server, "secretKey"), "hint"), ==,
                   "…4f2a");
  g_assert_true (secret_is_set (on_server, "webhookSecret"));
  g_assert_cmpstr (json_object_get_string_member (secret_of (on_server, "webhookSecret"), "hint"),
                   ==, "…9c1d");
  /* Never the values: neither in the server's record nor in the cache. */
  {
    g_autoptr (JsonNode) server_node = json_node_init_object (json_node_alloc (), on_server);
    g_autoptr (JsonObject) again = sync_test_cached (session, "provider", id);
    g_autoptr (JsonNode) cached_node = json_node_init_object (json_node_alloc (), again);
    g_autofree char *text = json_to_string (server_node, FALSE);
    g_autofree char *cached_text = json_to_string (cached_node, FALSE);

    g_assert_null (strstr (text, SECRET_KEY_VALUE));
    g_assert_null (strstr (cached_text, SECRET_KEY_VALUE));
  }

  /* The keyring: one item per field, labelled as docs/storage.md says. */
  value = keyring_value (session, id, "secretKey", &label);
  g_assert_cmpstr (value, ==, SECRET_KEY_VALUE);
  expected_label = g_strdup_printf ("ReLoop provider %s secret “secretKey” on %s", id,
                                    rl_session_get_server_url (session));
  g_assert_cmpstr (label, ==, expected_label);
  g_clear_pointer (&value, g_free);
  value = keyring_value (session, id, "webhookSecret", NULL);
  g_assert_cmpstr (value, ==, WEBHOOK_VALUE);
  g_clear_pointer (&value, g_free);

  /* Remove the webhook secret: gone on the server, in the keyring, and the
   * cache shows it not set. */
  g_assert_true (delete_secret (session, id, "webhookSecret", &error));
  g_assert_no_error (error);
  g_clear_pointer (&on_server, json_object_unref);
  on_server = sync_test_get (server, admin, path);
  g_assert_false (secret_is_set (on_server, "webhookSecret"));
  g_assert_true (secret_is_set (on_server, "secretKey"));
  g_assert_null (keyring_value (session, id, "webhookSecret", NULL));
  value = keyring_value (session, id, "secretKey", NULL);
  g_assert_cmpstr (value, ==, SECRET_KEY_VALUE);
  g_clear_pointer (&cached, json_object_unref);
  cached = sync_test_cached (session, "provider", id);
  g_assert_false (secret_is_set (cached, "webhookSecret"));
  g_assert_true (secret_is_set (cached, "secretKey"));
  g_assert_cmpint (json_object_get_int_member (cached, "version"), ==,
                   json_object_get_int_member (on_server, "version"));

  /* A second create with a 422 writes nothing either. */
  {
    g_autofree char *refused_id = NULL;
    gint64           outbox = rl_store_outbox_count (rl_session_get_store (session));
    GList           *items_before = keyring_items (session, NULL, NULL);
    GList           *items_after;

    g_assert_false (create (session,
                            "{\"type\":\"stripe\",\"name\":\"Refused\",\"role\":\"backup\","
                            "\"priority\":8,\"config\":{\"publishableKey\":\"live_1\","
                            "\"currency\":\"npr\"}}",
                            "{\"secretKey\":\"sk_refused_value_1234\"}", &refused_id, &error));
    g_assert_error (error, RL_ERROR, RL_ERROR_VALIDATION_FAILED);
    g_assert_true (json_object_has_member (rl_error_get_fields (error), "config.publishableKey"));
    g_clear_error (&error);
    g_assert_null (refused_id);
    g_assert_cmpint (rl_store_outbox_count (rl_session_get_store (session)), ==, outbox);
    items_after = keyring_items (session, NULL, NULL);
    g_assert_cmpuint (g_list_length (items_after), ==, g_list_length (items_before));
    g_list_free_full (items_before, g_object_unref);
    g_list_free_full (items_after, g_object_unref);
  }
}

/* Offline: create and remove fail at once with RL_ERROR_NETWORK; nothing
 * in the cache, the outbox or the keyring. */
static void
test_offline (void)
{
  g_autoptr (RlSession) session = sign_in_admin ();
  g_autofree char *admin = rl_test_login (server, SYNC_ADMIN);
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *offline_id = NULL;
  g_autofree char *value = NULL;
  g_autoptr (JsonObject) cached_before = NULL;
  g_autoptr (JsonObject) cached_after = NULL;
  g_autoptr (JsonObject) on_server = NULL;
  g_autoptr (GError) error = NULL;
  RlStore *store = rl_session_get_store (session);
  GList   *items;
  gint64   providers, outbox;
  guint    n_items;
  gint64   start;

  /* A provider with a secret, made online. */
  g_assert_true (create (session,
                         "{\"type\":\"sendgrid\",\"name\":\"SendGrid (offline test)\","
                         "\"role\":\"backup\",\"priority\":9,"
                         "\"config\":{\"fromAddress\":\"ops@example.org\"}}",
                         "{\"apiKey\":\"SG.offline_test_key_77aa\"}", &id, &error));
  g_assert_no_error (error);
  g_assert_true (sync_test_wait_pending (session, 0, SYNC_TIMEOUT_MS));
  path = g_strdup_printf ("/providers/%s", id);
  cached_before = sync_test_cached (session, "provider", id);
  g_assert_true (secret_is_set (cached_before, "apiKey"));

  go_offline (session);
  providers = rl_store_count (store, "provider");
  outbox = rl_store_outbox_count (store);
  items = keyring_items (session, NULL, NULL);
  n_items = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  /* Create: refused before anything is written. */
  start = g_get_monotonic_time ();
  g_assert_false (create (session,
                          "{\"type\":\"stripe\",\"name\":\"Made offline\",\"role\":\"backup\","
                          "\"priority\":10,\"config\":{\"publishableKey\":\"pk_offline\","
                          "\"currency\":\"usd\"}}",
                          "{\"secretKey\":\"sk_offline_never_kept_0001\"}", &offline_id, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_null (offline_id);
  /* Remove: refused too, the secret kept everywhere. */
  g_assert_false (delete_secret (session, id, "apiKey", &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_NETWORK);
  g_clear_error (&error);
  g_test_message ("both refused in %" G_GINT64_FORMAT " µs", g_get_monotonic_time () - start);

  g_assert_cmpint (rl_store_count (store, "provider"), ==, providers);
  g_assert_cmpint (rl_store_outbox_count (store), ==, outbox);
  items = keyring_items (session, NULL, NULL);
  g_assert_cmpuint (g_list_length (items), ==, n_items);
  for (GList *l = items; l; l = l->next)
    {
      g_autoptr (SecretValue) secret = secret_retrievable_retrieve_secret_sync (l->data, NULL, NULL);

      g_assert_nonnull (secret);
      g_assert_cmpstr (secret_value_get_text (secret), !=, "sk_offline_never_kept_0001");
    }
  g_list_free_full (items, g_object_unref);
  value = keyring_value (session, id, "apiKey", NULL);
  g_assert_cmpstr (value, ==, "SG.offline_test_key_77aa");
  cached_after = sync_test_cached (session, "provider", id);
  g_assert_true (json_object_equal (cached_before, cached_after));

  /* Back online: the server never saw either. */
  go_online (session);
  on_server = sync_test_get (server, admin, path);
  g_assert_true (secret_is_set (on_server, "apiKey"));
  {
    g_autoptr (JsonNode) all = sync_test_call (server, admin, "GET", "/providers?limit=200", NULL,
                                               NULL, 200);
    JsonArray *list = json_node_get_array (all);

    for (guint i = 0; i < json_array_get_length (list); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, i), "name"),
                       !=, "Made offline");
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = sync_test_devserver (NULL);

  g_test_add_func ("/provider-create/types", test_types);
  g_test_add_func ("/provider-create/create-and-remove", test_create_and_remove);
  g_test_add_func ("/provider-create/offline", test_offline);

  status = g_test_run ();
  rl_test_devserver_free (server);
  return status;
}
