/* gui-test-find.h — what the window tests share to find widgets and save
 * screenshots.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gui-test-wait.h"

typedef gboolean (*GuiTestWidgetTest) (GtkWidget *widget,
                                       gpointer   data);

/* The first widget under @root (itself included, depth first) that @test
 * accepts, or NULL. */
static inline GtkWidget *
gui_test_find_widget (GtkWidget        *root,
                      GuiTestWidgetTest test,
                      gpointer          data)
{
  if (test (root, data))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = gui_test_find_widget (c, test, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A GuiTestWidgetTest: @type is a GType in a pointer (GSIZE_TO_POINTER). */
static inline gboolean
gui_test_is_type (GtkWidget *widget,
                  gpointer   type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

/* A GuiTestWidgetTest: a button whose label is @label (mnemonic included). */
static inline gboolean
gui_test_is_button_labelled (GtkWidget *widget,
                             gpointer   label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* Saves @widget as on screen to <build root>/screenshots/@name. */
static inline void
gui_test_save_shot (GtkWidget  *widget,
                    const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("RL_BUILD_ROOT"), "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  gui_test_wait_painted (widget, 10000);
  gui_test_save_png (widget, path);
  g_test_message ("saved %s", path);
}
