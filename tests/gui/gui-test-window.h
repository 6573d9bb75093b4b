/* gui-test-window.h — set-up shared by the window tests that run against a
 * devserver: a window signed in and online, toplevels looked for on screen,
 * toasts dismissed, and the test keyring locked and unlocked over D-Bus.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "rl-session.h"
#include "rl-test-util.h"
#include "rl-window.h"

typedef struct
{
  RlWindow  *window;
  RlSession *session;
} GuiTestSignedIn;

/* For rl_test_wait_until: TRUE once the window shows its main view and the
 * session is online. @data is a GuiTestSignedIn. */
static inline gboolean
gui_test_signed_in (gpointer data)
{
  GuiTestSignedIn *s = data;

  return g_strcmp0 (rl_window_get_view (s->window), "main") == 0
         && rl_session_get_state (s->session) == RL_SESSION_STATE_ONLINE;
}

/* A new window for @session (with @settings, or the app's settings when
 * NULL) at @width x @height, presented, signed in to @url as @email with the
 * demo password; waits up to 60 s for it to be signed in and online. */
static inline RlWindow *
gui_test_signed_in_window (RlSession  *session,
                           GSettings  *settings,
                           const char *url,
                           const char *email,
                           int         width,
                           int         height)
{
  g_autoptr (GSettings) own = settings != NULL ? g_object_ref (settings)
                                               : g_settings_new ("org.reloop.Console");
  GuiTestSignedIn s = { rl_window_new (NULL, session, own), session };

  gtk_window_set_default_size (GTK_WINDOW (s.window), width, height);
  gtk_window_present (GTK_WINDOW (s.window));
  rl_window_start (s.window, url, email, "reloop-demo");
  if (!rl_test_wait_until (gui_test_signed_in, &s, 60000))
    g_error ("not signed in after 60 s (view %s, state %d)", rl_window_get_view (s.window),
             rl_session_get_state (session));
  return s.window;
}

/* The "data" of GET @server's API at @path ("/providers/ID") with @token;
 * asserts the answer is 200. */
static inline JsonObject *
gui_test_server_get (RlTestDevserver *server,
                     const char      *token,
                     const char      *path)
{
  g_autofree char *url = g_strconcat (server->api_url, path, NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  const char      *headers[] = { "Authorization", auth, NULL };
  guint            status = 0;
  g_autoptr (JsonNode) body = rl_test_http ("GET", url, NULL, headers, &status);

  g_assert_cmpuint (status, ==, 200);
  return json_object_ref (json_object_get_object_member (json_node_get_object (body), "data"));
}

/* The first visible toplevel that is a @type, other than @except (NULL for
 * none), or NULL. */
static inline GtkWindow *
gui_test_toplevel (GType      type,
                   GtkWidget *except)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && GTK_WIDGET (w) != except
          && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WINDOW (w);
    }
  return NULL;
}

/* For rl_test_wait_until: TRUE while a toplevel of the type
 * GSIZE_TO_POINTER (@type) is on screen. */
static inline gboolean
gui_test_has_toplevel (gpointer type)
{
  return gui_test_toplevel (GPOINTER_TO_SIZE (type), NULL) != NULL;
}

/* ---- Files ------------------------------------------------------------------------ */

/* Whether the file at @path holds @needle (which may sit among NULs). */
static inline gboolean
gui_test_file_holds (const char *path,
                     const char *needle)
{
  g_autofree char *data = NULL;
  gsize            n = 0, len = strlen (needle);

  if (!g_file_get_contents (path, &data, &n, NULL))
    return FALSE;
  for (gsize i = 0; i + len <= n; i++)
    if (memcmp (data + i, needle, len) == 0)
      return TRUE;
  return FALSE;
}

/* Whether any file under @dir holds @needle. */
static inline gboolean
gui_test_found_in_files (const char *dir,
                         const char *needle)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) ? gui_test_found_in_files (path, needle)
                                                 : gui_test_file_holds (path, needle))
        return TRUE;
    }
  return FALSE;
}

/* ---- The test keyring, locked and unlocked over D-Bus ------------------------------ */

static inline GVariant *
gui_test_secrets_call_ (const char         *method,
                        const char         *interface,
                        GVariant           *args,
                        const GVariantType *reply)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  GVariant *r;

  g_assert_no_error (error);
  r = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                   interface, method, args, reply, G_DBUS_CALL_FLAGS_NONE, 30000,
                                   NULL, &error);
  g_assert_no_error (error);
  return r;
}

/* Locks the login collection of the session's gnome-keyring. */
static inline void
gui_test_lock_keyring (void)
{
  const char *paths[] = { "/org/freedesktop/secrets/collection/login", NULL };
  g_autoptr (GVariant) r =
      gui_test_secrets_call_ ("Lock", "org.freedesktop.Secret.Service",
                              g_variant_new ("(@ao)", g_variant_new_objv (paths, -1)), NULL);
}

/* gnome-keyring's own unlock without a prompt, with the test wrapper's
 * password ("pass"). */
static inline void
gui_test_unlock_keyring (void)
{
  g_autoptr (GVariant) opened = gui_test_secrets_call_ (
      "OpenSession", "org.freedesktop.Secret.Service",
      g_variant_new ("(sv)", "plain", g_variant_new_string ("")), G_VARIANT_TYPE ("(vo)"));
  const char *session_path = NULL;
  g_autoptr (GVariant) r = NULL;

  g_variant_get (opened, "(v&o)", NULL, &session_path);
  r = gui_test_secrets_call_ (
      "UnlockWithMasterPassword", "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
      g_variant_new ("(o(o@ay@ays))", "/org/freedesktop/secrets/collection/login", session_path,
                     g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                     g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "pass", 4, 1),
                     "text/plain"),
      NULL);
}

/* ---- main () ------------------------------------------------------------------- */

/* After gui_test_prepare_env: Kathmandu's time zone, the cairo renderer
 * and the UI in @language ("en", "ne") from the build tree's catalogues,
 * with UTF-8 text. */
static inline void
gui_test_set_language (const char *language)
{
  g_autofree char *localedir = NULL;

  g_setenv ("TZ", "Asia/Kathmandu", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("LANGUAGE", language, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  localedir = g_build_filename (g_getenv ("RL_BUILD_ROOT"), "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* g_test_init, then GTK and libadwaita, with animations off. */
static inline void
gui_test_init_gtk (int    *argc,
                   char ***argv)
{
  g_test_init (argc, argv, NULL);
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}
