/* gui-test-common.h — set-up shared by the widget tests (schemas, no a11y).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gui-test-wait.h"

/* LeakSanitizer's built-in suppressions for these programs (sanitizer
 * builds): G_TEST_OPTION_ISOLATE_DIRS replaces GLib's cached user and system
 * directories, and the strings it cached before (when GTK started) are lost.
 * Those are GLib's, not ours. */
const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:g_get_home_dir\n"
         "leak:g_get_user_data_dir\n"
         "leak:g_get_user_config_dir\n"
         "leak:g_get_user_cache_dir\n"
         "leak:g_get_user_state_dir\n"
         "leak:g_get_user_runtime_dir\n"
         "leak:g_get_system_data_dirs\n"
         "leak:g_get_system_config_dirs\n";
}

/* Points GSettings at the schemas compiled in the build tree, keeps settings
 * in memory and silences AT-SPI. Call before gtk_init. */
static inline void
gui_test_prepare_env (void)
{
  const char *build_root = g_getenv ("RL_BUILD_ROOT");

  g_assert_nonnull (build_root);

  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    {
      g_autofree char *schema_dir = g_build_filename (build_root, "data", NULL);
      g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* Everything is on loopback; the GNOME proxy resolver would need the
   * system schemas, which the isolated dirs hide. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
}

/* For rl_test_wait_until: TRUE once @widget (a GtkWidget) is mapped and
 * has a width. */
static inline gboolean
gui_test_laid_out (gpointer widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

/* Private XDG user directories under a new temporary directory named after
 * @template ("rl-thing-XXXXXX"), which the caller removes (rl_test_rm_rf).
 * Not G_TEST_OPTION_ISOLATE_DIRS: it hides the icon theme too (see
 * test-map-page.c). */
static inline char *
gui_test_private_user_dirs (const char *template)
{
  static const char *const xdg_vars[] = {
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "XDG_STATE_HOME",
    "XDG_RUNTIME_DIR",
  };
  char *tmp_home = g_dir_make_tmp (template, NULL);

  g_assert_nonnull (tmp_home);
  for (guint i = 0; i < G_N_ELEMENTS (xdg_vars); i++)
    {
      g_autofree char *dir = g_build_filename (tmp_home, xdg_vars[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (xdg_vars[i], dir, TRUE);
    }
  return tmp_home;
}
