/* test-secrets-states.c — keyring states: locked, no Secret Service, no bus.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run through run-private-bus.sh, which sets RL_PRIVATE_BUS_MODE and stages
 * the state on a private session bus of its own:
 *   keyring    — an unlocked gnome-keyring that this test locks;
 *   no-service — a bus where nothing provides org.freedesktop.secrets;
 *   no-bus     — a bus address where nothing listens;
 *   no-bus-autolaunch — no bus address and no display at all.
 */
#include "secrets-test-util.h"

#define SERVER "https://locked.test.reloop.np"
#define ACCOUNT "admin@demo.reloop.np"

static void
lock_default_collection (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SecretService) service = NULL;
  g_autoptr (SecretCollection) collection = NULL;
  GList *objects, *locked = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);

  objects = g_list_append (NULL, collection);
  g_assert_cmpint (secret_service_lock_sync (service, objects, NULL, &locked, &error), ==, 1);
  g_assert_no_error (error);
  g_list_free (objects);
  g_list_free_full (locked, g_object_unref);
}

static void
test_locked (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;

  g_assert_cmpint (secret_check (&error), ==, RL_SECRETS_STATE_AVAILABLE);
  g_assert_no_error (error);
  g_assert_true (secret_store (RL_SECRET_KIND_API_REFRESH_TOKEN, SERVER, ACCOUNT, NULL, NULL,
                               "refresh-1", &error));
  g_assert_no_error (error);
  value = secret_lookup (RL_SECRET_KIND_API_REFRESH_TOKEN, SERVER, ACCOUNT, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "refresh-1");
  g_clear_pointer (&value, rl_secrets_value_free);

  lock_default_collection ();

  /* A locked keyring is an error, never a silent NULL. */
  value = secret_lookup (RL_SECRET_KIND_API_REFRESH_TOKEN, SERVER, ACCOUNT, NULL, NULL, &error);
  g_assert_error (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_LOCKED);
  g_assert_null (value);
  g_clear_error (&error);

  g_assert_false (secret_store (RL_SECRET_KIND_API_REFRESH_TOKEN, SERVER, ACCOUNT, NULL, NULL,
                                "refresh-2", &error));
  g_assert_error (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_LOCKED);
  g_clear_error (&error);

  g_assert_false (secret_clear_server (SERVER, &error));
  g_assert_error (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_LOCKED);
  g_clear_error (&error);

  g_assert_cmpint (secret_check (&error), ==, RL_SECRETS_STATE_LOCKED);
  g_assert_error (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_LOCKED);
}

static void
test_no_service (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;
  gint64           start = g_get_monotonic_time ();

  g_assert_cmpint (secret_check (&error), ==, RL_SECRETS_STATE_NO_SERVICE);
  g_assert_error (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_NO_SERVICE);
  g_test_message ("check: %s", error->message);
  g_clear_error (&error);

  value = secret_lookup (RL_SECRET_KIND_API_REFRESH_TOKEN, SERVER, ACCOUNT, NULL, NULL, &error);
  g_assert_error (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_NO_SERVICE);
  g_assert_null (value);
  g_clear_error (&error);

  g_assert_false (secret_store (RL_SECRET_KIND_MQTT_PASSWORD, SERVER, "bins", NULL, NULL,
                                "secret", &error));
  g_assert_error (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_NO_SERVICE);
  g_clear_error (&error);

  g_assert_false (secret_clear_server (SERVER, &error));
  g_assert_error (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_NO_SERVICE);

  /* A figure for the log, not an assertion: the meson timeout catches hangs. */
  g_test_message ("four calls answered in %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = g_getenv ("RL_PRIVATE_BUS_MODE");

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_strcmp0 (mode, "keyring") == 0)
    g_test_add_func ("/secrets/state/locked", test_locked);
  else if (g_strcmp0 (mode, "no-service") == 0)
    g_test_add_func ("/secrets/state/no-service", test_no_service);
  else if (g_strcmp0 (mode, "no-bus") == 0)
    g_test_add_func ("/secrets/state/no-bus", test_no_service);
  else if (g_strcmp0 (mode, "no-bus-autolaunch") == 0)
    g_test_add_func ("/secrets/state/no-bus-autolaunch", test_no_service);
  else
    g_error ("Run me through run-private-bus.sh (RL_PRIVATE_BUS_MODE is “%s”)",
             mode ? mode : "unset");

  return g_test_run ();
}
