/* test-secrets.c — keyring items on the session's real (unlocked) keyring.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs where the test suite runs: a private session bus with an unlocked
 * gnome-keyring. Every item it makes is under a server URL unique to this
 * run, and removed at the end.
 */
#include "secrets-test-util.h"

static char *server_a;
static char *server_b;

/* Items of our schema under @server, straight from the Secret Service. */
static GList *
search_items (const char *server)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  GList *items;

  g_hash_table_insert (attributes, "server", (gpointer) server);
  items = secret_service_search_sync (NULL, rl_secrets_get_schema (), attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, NULL, &error);
  g_assert_no_error (error);
  return items;
}

static void
test_check (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (secret_check (&error), ==, RL_SECRETS_STATE_AVAILABLE);
  g_assert_no_error (error);
}

static void
test_round_trip (void)
{
  const char *value = "pässwörd — नमस्ते 🔑 \"quoted\" \\ end";
  const char *value2 = "second-value-ÆØÅ";
  g_autoptr (GError) error = NULL;
  g_autofree char *got = NULL;
  GList           *items;
  g_autofree char *label = NULL;

  /* Nothing stored yet: NULL without an error. */
  got = secret_lookup (RL_SECRET_KIND_API_REFRESH_TOKEN, server_a, "admin@demo.reloop.np",
                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (got);

  g_assert_true (secret_store (RL_SECRET_KIND_API_REFRESH_TOKEN, server_a, "admin@demo.reloop.np",
                               NULL, NULL, value, &error));
  g_assert_no_error (error);
  got = secret_lookup (RL_SECRET_KIND_API_REFRESH_TOKEN, server_a, "admin@demo.reloop.np",
                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, value);
  g_clear_pointer (&got, rl_secrets_value_free);

  /* Another kind or account is another item. */
  got = secret_lookup (RL_SECRET_KIND_API_ACCESS_TOKEN, server_a, "admin@demo.reloop.np",
                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (got);
  got = secret_lookup (RL_SECRET_KIND_API_REFRESH_TOKEN, server_a, "support@demo.reloop.np",
                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (got);

  /* Overwrite: still one item, with the new value. */
  g_assert_true (secret_store (RL_SECRET_KIND_API_REFRESH_TOKEN, server_a, "admin@demo.reloop.np",
                               NULL, NULL, value2, &error));
  g_assert_no_error (error);
  got = secret_lookup (RL_SECRET_KIND_API_REFRESH_TOKEN, server_a, "admin@demo.reloop.np",
                       NULL, NULL, &error);
  g_assert_cmpstr (got, ==, value2);
  g_clear_pointer (&got, rl_secrets_value_free);

  items = search_items (server_a);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_item_get_label (items->data);
  g_assert_nonnull (strstr (label, "refresh token for admin@demo.reloop.np"));
  g_assert_nonnull (strstr (label, server_a));
  /* The value is in no label or attribute. */
  g_assert_null (strstr (label, value2));
  g_list_free_full (items, g_object_unref);

  /* Clear, then it is gone; clearing again is fine. */
  g_assert_true (secret_clear (RL_SECRET_KIND_API_REFRESH_TOKEN, server_a, "admin@demo.reloop.np",
                               NULL, NULL, &error));
  g_assert_no_error (error);
  got = secret_lookup (RL_SECRET_KIND_API_REFRESH_TOKEN, server_a, "admin@demo.reloop.np",
                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (got);
  g_assert_true (secret_clear (RL_SECRET_KIND_API_REFRESH_TOKEN, server_a, "admin@demo.reloop.np",
                               NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_provider_secrets (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *webhook = NULL;
  g_autofree char *other = NULL;

  g_assert_true (secret_store (RL_SECRET_KIND_PROVIDER_SECRET, server_a, NULL, "prov-stripe",
                               "apiKey", "sk_test_4242", &error));
  g_assert_true (secret_store (RL_SECRET_KIND_PROVIDER_SECRET, server_a, NULL, "prov-stripe",
                               "webhookSecret", "whsec_1", &error));
  g_assert_true (secret_store (RL_SECRET_KIND_PROVIDER_SECRET, server_a, NULL, "prov-khalti",
                               "apiKey", "khalti-key", &error));
  g_assert_no_error (error);

  key = secret_lookup (RL_SECRET_KIND_PROVIDER_SECRET, server_a, NULL, "prov-stripe", "apiKey",
                       &error);
  webhook = secret_lookup (RL_SECRET_KIND_PROVIDER_SECRET, server_a, NULL, "prov-stripe",
                           "webhookSecret", &error);
  other = secret_lookup (RL_SECRET_KIND_PROVIDER_SECRET, server_a, NULL, "prov-khalti", "apiKey",
                         &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "sk_test_4242");
  g_assert_cmpstr (webhook, ==, "whsec_1");
  g_assert_cmpstr (other, ==, "khalti-key");

  g_assert_true (secret_clear (RL_SECRET_KIND_PROVIDER_SECRET, server_a, NULL, "prov-stripe",
                               "apiKey", &error));
  g_clear_pointer (&key, rl_secrets_value_free);
  key = secret_lookup (RL_SECRET_KIND_PROVIDER_SECRET, server_a, NULL, "prov-stripe", "apiKey",
                       &error);
  g_assert_no_error (error);
  g_assert_null (key);
  g_clear_pointer (&webhook, rl_secrets_value_free);
  webhook = secret_lookup (RL_SECRET_KIND_PROVIDER_SECRET, server_a, NULL, "prov-stripe",
                           "webhookSecret", &error);
  g_assert_cmpstr (webhook, ==, "whsec_1");
}

static void
test_clear_server (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *b_token = NULL;
  g_autofree char *a_token = NULL;
  GList           *items;

  g_assert_true (secret_store (RL_SECRET_KIND_API_ACCESS_TOKEN, server_a, "admin@demo.reloop.np",
                               NULL, NULL, "access-a", &error));
  g_assert_true (secret_store (RL_SECRET_KIND_MQTT_PASSWORD, server_a, "bins", NULL, NULL,
                               "mqtt-a", &error));
  g_assert_true (secret_store (RL_SECRET_KIND_API_REFRESH_TOKEN, server_b, "admin@demo.reloop.np",
                               NULL, NULL, "refresh-b", &error));
  g_assert_no_error (error);

  g_assert_true (secret_clear_server (server_a, &error));
  g_assert_no_error (error);

  items = search_items (server_a);
  g_assert_cmpuint (g_list_length (items), ==, 0);
  g_list_free_full (items, g_object_unref);
  a_token = secret_lookup (RL_SECRET_KIND_API_ACCESS_TOKEN, server_a, "admin@demo.reloop.np",
                           NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (a_token);

  /* The other server keeps its items. */
  b_token = secret_lookup (RL_SECRET_KIND_API_REFRESH_TOKEN, server_b, "admin@demo.reloop.np",
                           NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b_token, ==, "refresh-b");

  g_assert_true (secret_clear_server (server_b, &error));
  g_assert_no_error (error);
  items = search_items (server_b);
  g_assert_cmpuint (g_list_length (items), ==, 0);
  g_list_free_full (items, g_object_unref);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *run = g_uuid_string_random ();
  int              status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server_a = g_strdup_printf ("https://a-%s.test.reloop.np", run);
  server_b = g_strdup_printf ("https://b-%s.test.reloop.np:8443", run);

  g_test_add_func ("/secrets/check", test_check);
  g_test_add_func ("/secrets/round-trip", test_round_trip);
  g_test_add_func ("/secrets/provider", test_provider_secrets);
  g_test_add_func ("/secrets/clear-server", test_clear_server);

  status = g_test_run ();

  /* Leave nothing behind in the session's keyring, even after a failure. */
  secret_clear_server (server_a, NULL);
  secret_clear_server (server_b, NULL);
  g_free (server_a);
  g_free (server_b);
  return status;
}
