/* gui-test-wait.h — waits on what GTK shows (a painted frame, a finalized
 * widget) for the widget, panel and map tests: no fixed sleeps.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

typedef struct
{
  guint    painted;
  gboolean timed_out;
} GuiTestPaintWait;

static inline void
gui_test_after_paint_cb (GdkFrameClock    *clock,
                         GuiTestPaintWait *wait)
{
  wait->painted++;
}

static inline gboolean
gui_test_paint_timeout_cb (gpointer user_data)
{
  ((GuiTestPaintWait *) user_data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Queues a redraw of @widget (realized, in a shown window) and runs the
 * main loop until its frame clock has painted a frame since: what a
 * snapshot of it shows then is what is on screen. Fails the test after
 * @timeout_ms. */
static inline void
gui_test_wait_painted (GtkWidget *widget,
                       guint      timeout_ms)
{
  GdkFrameClock   *clock = gtk_widget_get_frame_clock (widget);
  GuiTestPaintWait wait = { 0, FALSE };
  gulong           handler;
  guint            timeout;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (gui_test_after_paint_cb), &wait);
  timeout = g_timeout_add (timeout_ms, gui_test_paint_timeout_cb, &wait);
  gtk_widget_queue_draw (widget);
  while (wait.painted == 0 && !wait.timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
  if (!wait.timed_out)
    g_source_remove (timeout);
  if (wait.painted == 0)
    g_error ("no frame painted within %u ms", timeout_ms);
}

/* A snapshot of @widget as it is on screen now: waits for a frame painted
 * after this call, and for one more while the widget snapshots to nothing
 * (waiting for a layout: a label just changed). Fails the test when it has
 * nothing to show after @timeout_ms. */
static inline GskRenderNode *
gui_test_snapshot (GtkWidget *widget,
                   int        width,
                   int        height,
                   guint      timeout_ms)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  gint64         deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GskRenderNode *node = NULL;

  while (node == NULL && g_get_monotonic_time () < deadline)
    {
      g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();

      gui_test_wait_painted (widget, timeout_ms);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  if (node == NULL)
    g_error ("a %s showed nothing to snapshot for %u ms", G_OBJECT_TYPE_NAME (widget), timeout_ms);
  return node;
}

typedef struct
{
  GThread *main_thread;
  gint     gone;         /* atomic */
  gboolean other_thread; /* finalized outside the main thread */
} GuiTestFinalizeWait;

static inline void
gui_test_finalized_cb (gpointer user_data,
                       GObject *where_the_object_was)
{
  GuiTestFinalizeWait *wait = user_data;

  wait->other_thread = g_thread_self () != wait->main_thread;
  g_atomic_int_set (&wait->gone, TRUE);
  g_main_context_wakeup (NULL);
}

/* Destroys @window and runs the main loop until @object (a widget inside
 * it, or anything it kept alive: a worker's task holds its source object)
 * is finalized, which must happen in this (the main) thread: a GTK widget
 * finalized by a worker thread is a bug. Fails the test after @timeout_ms. */
static inline void
gui_test_destroy_and_wait (GtkWindow *window,
                           gpointer   object,
                           guint      timeout_ms)
{
  GuiTestPaintWait    timer = { 0, FALSE };
  GuiTestFinalizeWait wait = { g_thread_self (), FALSE, FALSE };
  const char         *type = G_OBJECT_TYPE_NAME (object);
  guint               timeout;

  g_object_weak_ref (G_OBJECT (object), gui_test_finalized_cb, &wait);
  gtk_window_destroy (window);
  timeout = g_timeout_add (timeout_ms, gui_test_paint_timeout_cb, &timer);
  while (!g_atomic_int_get (&wait.gone) && !timer.timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!g_atomic_int_get (&wait.gone))
    g_error ("a %s outlived its window by %u ms", type, timeout_ms);
  if (!timer.timed_out)
    g_source_remove (timeout);
  if (wait.other_thread)
    g_error ("a %s was finalized outside the main thread", type);
}

/* Saves @widget (a shown window, or any widget in one) as it is on screen
 * to a PNG file at @path. */
static inline void
gui_test_save_png (GtkWidget  *widget,
                   const char *path)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int width = gdk_paintable_get_intrinsic_width (paintable);
  int height = gdk_paintable_get_intrinsic_height (paintable);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  node = gui_test_snapshot (widget, width, height, 10000);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}
