/* dispatch-screenshot.c — the dispatch list over a city's bins, saved as a
 * PNG for review (not a test: it writes a cache of N bins × 7 days first).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage (Xvfb, D-Bus session): dispatch-screenshot DIR [--points 10000]
 * → DIR/map-dispatch-10000.png
 */
#include "config.h"

#include <glib/gstdio.h>

#include "dispatch-synth.h"
#include "gui-test-common.h"
#include "rl-dispatch-list.h"
#include "rl-session-private.h"
#include "rl-test-util.h"

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)

static gboolean
list_idle (gpointer data)
{
  RlDispatchList *list = data;

  return gtk_widget_get_mapped (GTK_WIDGET (list)) && !rl_dispatch_list_get_busy (list)
         && g_list_model_get_n_items (rl_dispatch_list_get_model (list)) > 0;
}

static GdkTexture *
render (GtkWidget *widget)
{
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

int
main (int argc, char **argv)
{
  int          points = 10000;
  GOptionEntry entries[] = {
    { "points", 0, 0, G_OPTION_ARG_INT, &points, "Number of bins", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DIR");
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *path = NULL;
  g_autofree char *png = NULL;
  g_autoptr (RlStore) store = NULL;
  g_autoptr (RlSession) session = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GtkWidget *window, *list;
  gint64     now = rl_time_now_ms () / HOUR_MS * HOUR_MS;
  double     t0;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("usage: dispatch-screenshot DIR [--points N]\n");
      return 2;
    }
  gtk_init ();
  adw_init ();

  tmp = g_dir_make_tmp ("rl-dispatch-shot-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmp, "cache.sqlite", NULL);
  store = rl_store_open (path, &error);
  g_assert_no_error (error);
  g_print ("filling %d bins x 7 days...\n", points);
  synth_fill_cache (store, points, 7 * 24 * 4, now);

  session = rl_session_new ();
  rl_session_set_store (session, store);
  list = rl_dispatch_list_new (NULL);
  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "Dispatch");
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 820);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));

  t0 = g_get_monotonic_time ();
  rl_dispatch_list_set_now_ms (RL_DISPATCH_LIST (list), now);
  rl_dispatch_list_set_window (RL_DISPATCH_LIST (list), RL_DISPATCH_HOURS, 24);
  rl_dispatch_list_set_session (RL_DISPATCH_LIST (list), session);
  g_assert_true (rl_test_wait_until (list_idle, list, 300000));
  g_print ("list of %u bins (cold: state built from the readings) in %.0f ms\n",
           g_list_model_get_n_items (rl_dispatch_list_get_model (RL_DISPATCH_LIST (list))),
           (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_true (rl_test_wait_until (gui_test_laid_out, list, 20000));
  rl_test_run_main_loop (500);

  png = g_strdup_printf ("%s/map-dispatch-%d.png", argv[1], points);
  texture = render (list);
  if (!gdk_texture_save_to_png (texture, png))
    g_error ("cannot save %s", png);
  g_print ("saved %s\n", png);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
  g_clear_object (&store);
  rl_test_remove_sqlite (path);
  g_rmdir (tmp);
  return 0;
}
