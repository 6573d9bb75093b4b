/* test-screenshots.c — signs in as admin against a devserver and saves the
 * signed-in window as <build root>/screenshots/main-<lang>.png.
 * Built twice: SHOT_LANG "en" and "ne" (Nepali from the build tree's .mo).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "gui-test-common.h"
#include "rl-test-util.h"
#include "rl-window.h"

#ifndef SHOT_LANG
# define SHOT_LANG "en"
#endif

static RlWindow *window;
static RlSession *session;

static gboolean
signed_in (gpointer data)
{
  return g_strcmp0 (rl_window_get_view (window), "main") == 0
         && rl_session_get_state (session) == RL_SESSION_STATE_ONLINE;
}

static gboolean
settled (gpointer data)
{
  GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (rl_window_get_view_stack (window)));
  gboolean running = TRUE;

  /* The main view's box sits in the GtkStack that crossfades. */
  stack = gtk_widget_get_parent (stack);
  g_object_get (stack, "transition-running", &running, NULL);

  return !running && gtk_widget_get_mapped (GTK_WIDGET (rl_window_get_view_stack (window)))
         && gtk_widget_get_width (GTK_WIDGET (window)) > 0;
}

static gboolean
timeout_done (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
save_window_png (const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gdk_paintable_get_intrinsic_width (paintable);
  int height = gdk_paintable_get_intrinsic_height (paintable);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
test_screenshot (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RlTestDevserver) server = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  AdwViewStack *stack;
  const char *map_title;
  gboolean waited = FALSE;

  server = rl_test_devserver_start (NULL, &error);
  g_assert_no_error (error);

  session = rl_session_new ();
  settings = g_settings_new ("org.reloop.Console");
  window = rl_window_new (NULL, session, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));

  rl_window_start (window, server->url, "admin@demo.reloop.np", "reloop-demo");
  if (!rl_test_wait_until (signed_in, NULL, 60000))
    g_error ("not signed in after 60 s (view %s, state %d)",
             rl_window_get_view (window), rl_session_get_state (session));
  g_assert_true (rl_test_wait_until (settled, NULL, 10000));
  /* A few frames for the last layout and the switcher's animation. */
  g_timeout_add (500, timeout_done, &waited);
  rl_test_wait_until (flag_set, &waited, 5000);

  stack = rl_window_get_view_stack (window);
  map_title = adw_view_stack_page_get_title (adw_view_stack_get_page (stack,
                                             adw_view_stack_get_child_by_name (stack, "map")));
  if (g_str_equal (SHOT_LANG, "en"))
    g_assert_cmpstr (map_title, ==, "Map");
  else
    g_assert_cmpstr (map_title, !=, "Map"); /* translated from the build tree's catalogue */

  dir = g_build_filename (g_getenv ("RL_BUILD_ROOT"), "screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, "main-" SHOT_LANG ".png", NULL);
  save_window_png (path);
  g_test_message ("saved %s", path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* Page switching by action (Alt+1…5 in the application): a page the
   * role may not use stays out of reach. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("conflicts"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "conflicts");
  rl_window_apply_role (window, RL_ROLE_DISPATCHER);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "map");
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("providers"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "map");
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("alerts"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "alerts");

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const xdg_vars[] = {
    "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR",
  };
  g_autofree char *localedir = NULL;
  g_autofree char *tmp_home = NULL;
  int status;

  gui_test_prepare_env ();
  /* The cairo renderer: pixels as good, and far fewer allocations than GL on
   * llvmpipe, which matters in sanitizer builds (slow unwinder). */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  /* Nepali or English whatever the machine's locale: LANGUAGE needs a
   * non-C locale to be honoured. */
  g_setenv ("LANGUAGE", SHOT_LANG, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  localedir = g_build_filename (g_getenv ("RL_BUILD_ROOT"), "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Not G_TEST_OPTION_ISOLATE_DIRS: it also hides the system data dirs, and
   * with them the icon theme and the MIME database the SVG icons need. The
   * user dirs are private all the same. */
  tmp_home = g_dir_make_tmp ("rl-screenshot-XXXXXX", NULL);
  g_assert_nonnull (tmp_home);
  for (guint i = 0; i < G_N_ELEMENTS (xdg_vars); i++)
    {
      g_autofree char *dir = g_build_filename (tmp_home, xdg_vars[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (xdg_vars[i], dir, TRUE);
    }
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/gui/screenshot/" SHOT_LANG, test_screenshot);

  status = g_test_run ();
  gui_test_rm_rf (tmp_home);

  return status;
}
