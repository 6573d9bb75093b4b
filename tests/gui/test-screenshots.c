/* test-screenshots.c — signs in as admin against a devserver and saves the
 * signed-in window as <build root>/screenshots/main-<lang>.png.
 * Built twice: SHOT_LANG "en" and "ne" (Nepali from the build tree's .mo).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>

#include "gui-test-common.h"
#include "rl-alerts-page.h"
#include "rl-map-page.h"
#include "rl-store.h"
#include "rl-test-util.h"
#include "rl-time.h"
#include "rl-window.h"

#ifndef SHOT_LANG
#define SHOT_LANG "en"
#endif

static RlWindow        *window;
static RlSession       *session;
static RlTestDevserver *server;

static gboolean
signed_in (gpointer data)
{
  return g_strcmp0 (rl_window_get_view (window), "main") == 0
         && rl_session_get_state (session) == RL_SESSION_STATE_ONLINE;
}

static gboolean
alerts_loaded (gpointer data)
{
  AdwViewStack *stack = rl_window_get_view_stack (window);
  RlRecordList *list =
      rl_alerts_page_get_list (RL_ALERTS_PAGE (adw_view_stack_get_child_by_name (stack, "alerts")));

  return !rl_record_list_get_loading (list) && g_list_model_get_n_items (G_LIST_MODEL (list)) > 0;
}

static gboolean
settled (gpointer data)
{
  GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (rl_window_get_view_stack (window)));
  gboolean   running = TRUE;

  /* The main view's box sits in the GtkStack that crossfades. */
  stack = gtk_widget_get_parent (stack);
  g_object_get (stack, "transition-running", &running, NULL);

  return !running && gtk_widget_get_mapped (GTK_WIDGET (rl_window_get_view_stack (window)))
         && gtk_widget_get_width (GTK_WIDGET (window)) > 0;
}

static void
save_window_png (const char *path)
{
  gui_test_save_png (GTK_WIDGET (window), path);
}

/* ---- The Map page's shots (English only) ------------------------------- */

static RlMapPage *
map_page (void)
{
  AdwViewStack *stack = rl_window_get_view_stack (window);

  return RL_MAP_PAGE (adw_view_stack_get_child_by_name (stack, "map"));
}

static gboolean
map_loaded (gpointer data)
{
  RlMapPage *page = map_page ();

  return !rl_map_page_get_loading (page) && g_strcmp0 (rl_map_page_get_state (page), "map") == 0
         && rl_map_layer_get_n_points (rl_map_page_get_layer (page)) > 0;
}

static gboolean
panel_ready (gpointer data)
{
  RlDropPointPanel *panel = rl_map_page_get_panel (map_page ());

  return !rl_drop_point_panel_get_busy (panel) && rl_drop_point_panel_get_n_readings (panel) > 0
         && rl_drop_point_panel_get_forecast_text (panel) != NULL;
}

static gboolean
list_ready (gpointer data)
{
  RlDispatchList *list = rl_map_page_get_dispatch_list (map_page ());

  return gtk_widget_get_mapped (GTK_WIDGET (list)) && !rl_dispatch_list_get_busy (list)
         && g_list_model_get_n_items (rl_dispatch_list_get_model (list)) > 0;
}

static gboolean
map_idle (gpointer data)
{
  return !rl_map_layer_get_busy (rl_map_page_get_layer (map_page ()));
}

/* The map's tiles are in, with their symbols, and on screen. */
static void
settle_map (void)
{
  RlMapLayer *layer = rl_map_page_get_layer (map_page ());

  if (!rl_test_wait_until (map_idle, NULL, 60000))
    g_error ("the map was still loading tiles after 60 s");
  gui_test_wait_painted (GTK_WIDGET (layer), 10000);
  if (!rl_test_wait_until (map_idle, NULL, 60000))
    g_error ("the map was still loading tiles after 60 s");
}

typedef struct
{
  GPtrArray *bins; /* drop point ids with a smart bin, not retired */
} Bins;

static gboolean
collect_bins_cb (const RlStoreDropPoint *dp,
                 gpointer                user_data)
{
  Bins *b = user_data;

  if (dp->device_id != NULL && g_strcmp0 (dp->status, "active") == 0 && dp->is_online)
    g_ptr_array_add (b->bins, g_strdup_printf ("%s %s", dp->id, dp->device_id));
  return TRUE;
}

/* A week of readings of some bins in the cache (the panel fetches them one
 * point at a time; the dispatch list forecasts from the cache). */
static void
cache_readings (RlStore *store,
                guint    n_points)
{
  g_autofree char *token = rl_test_login (server, "dispatcher@demo.reloop.np");
  g_autoptr (GError) error = NULL;
  Bins b = { g_ptr_array_new_with_free_func (g_free) };

  g_assert_true (rl_store_foreach_drop_point (store, collect_bins_cb, &b, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < MIN (n_points, b.bins->len); i++)
    {
      g_auto (GStrv) pair =
          g_strsplit (g_ptr_array_index (b.bins, i * (b.bins->len / n_points)), " ", 2);

      rl_test_cache_week_of_readings (server, token, store, pair[0], pair[1]);
    }
  g_ptr_array_unref (b.bins);
}

typedef struct
{
  GArray *lat, *lon;
} Where;

static gboolean
collect_where_cb (const RlStoreDropPoint *dp,
                  gpointer                user_data)
{
  Where *w = user_data;

  g_array_append_val (w->lat, dp->latitude);
  g_array_append_val (w->lon, dp->longitude);
  return TRUE;
}

/* The densest street of the fleet: the point with the most others within
 * ~200 m (2,000 points: 4 million distance checks, a few ms). */
static void
densest_spot (RlStore *store,
              double  *out_lat,
              double  *out_lon)
{
  g_autoptr (GError) error = NULL;
  Where w = { g_array_new (FALSE, FALSE, sizeof (double)),
              g_array_new (FALSE, FALSE, sizeof (double)) };
  guint best = 0, best_n = 0;

  g_assert_true (rl_store_foreach_drop_point (store, collect_where_cb, &w, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < w.lat->len; i++)
    {
      guint n = 0;

      for (guint j = 0; j < w.lat->len; j++)
        if (fabs (g_array_index (w.lat, double, i) - g_array_index (w.lat, double, j)) < 0.0018
            && fabs (g_array_index (w.lon, double, i) - g_array_index (w.lon, double, j)) < 0.0020)
          n++;
      if (n > best_n)
        {
          best_n = n;
          best = i;
        }
    }
  *out_lat = g_array_index (w.lat, double, best);
  *out_lon = g_array_index (w.lon, double, best);
  g_array_unref (w.lat);
  g_array_unref (w.lon);
}

/* Scrolls the drop-point panel so its fill chart and forecast show. */
static void
scroll_panel_to_chart (RlDropPointPanel *panel)
{
  GtkWidget       *chart = NULL;
  GtkWidget       *scroller = NULL;
  GtkAdjustment   *adj;
  graphene_point_t p;
  GtkWidget       *w = GTK_WIDGET (panel);

  /* Depth first to the chart, then up to the scrolled window around it. */
  while (w != NULL && chart == NULL)
    {
      if (g_str_equal (G_OBJECT_TYPE_NAME (w), "RlFillChart"))
        chart = w;
      else if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != GTK_WIDGET (panel) && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w == GTK_WIDGET (panel) ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (chart);
  scroller = gtk_widget_get_ancestor (chart, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scroller);
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_true (gtk_widget_compute_point (
      chart, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
      &GRAPHENE_POINT_INIT (0, 0), &p));
  /* The section's heading above the chart stays in view. */
  gtk_adjustment_set_value (adj, p.y - 120);
}

static void
save_map_shot (const char *dir,
               const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  settle_map ();
  save_window_png (path);
  g_test_message ("saved %s", path);
}

/* map-city, map-street, map-panel (+ -chart), map-dispatch: the Map page as a
 * dispatcher sees it, on the default fleet (2,000 points). */
static void
map_screenshots (const char *dir)
{
  RlMapPage       *page = map_page ();
  ShumateMap      *map = rl_map_page_get_map (page);
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  GListModel      *rows;
  const char      *id;
  double           lat, lon;

  g_assert_true (rl_test_wait_until (map_loaded, NULL, 60000));
  cache_readings (rl_session_get_store (session), 60);

  /* The valley at city zoom: clusters. */
  shumate_viewport_set_zoom_level (viewport, 12.6);
  shumate_map_center_on (map, 27.700, 85.325);
  save_map_shot (dir, "map-city.png");

  /* The dispatch list, then a point from it: street zoom, panel open. */
  rl_dispatch_list_set_window (rl_map_page_get_dispatch_list (page), RL_DISPATCH_HOURS, 48);
  gtk_toggle_button_set_active (rl_map_page_get_dispatch_button (page), TRUE);
  g_assert_true (rl_test_wait_until (list_ready, NULL, 60000));
  save_map_shot (dir, "map-dispatch.png");

  rows = rl_dispatch_list_get_model (rl_map_page_get_dispatch_list (page));
  {
    g_autoptr (RlDispatchItem) item = g_list_model_get_item (rows, 0);

    id = rl_dispatch_item_get_row (item)->id;
    g_assert_true (rl_map_layer_get_point_location (rl_map_page_get_layer (page), id, &lat, &lon));
    g_signal_emit_by_name (rl_map_page_get_dispatch_list (page), "show-on-map", id);
  }
  g_assert_cmpstr (rl_map_page_get_side_panel (page), ==, "panel");
  g_assert_true (rl_test_wait_until (panel_ready, NULL, 60000));
  save_map_shot (dir, "map-panel.png");
  scroll_panel_to_chart (rl_map_page_get_panel (page));
  save_map_shot (dir, "map-panel-chart.png");

  /* Street zoom without the panel, on the densest street: single points. */
  rl_map_page_set_side_panel (page, NULL);
  rl_map_layer_set_selected_id (rl_map_page_get_layer (page), NULL);
  densest_spot (rl_session_get_store (session), &lat, &lon);
  shumate_viewport_set_zoom_level (viewport, 17);
  shumate_map_center_on (map, lat, lon);
  save_map_shot (dir, "map-street.png");
}

static void
test_screenshot (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  AdwViewStack    *stack;
  const char      *map_title;

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
  /* The map painted from the cache. */
  g_assert_true (rl_test_wait_until (map_loaded, NULL, 60000));
  /* The last layout on screen. */
  gui_test_wait_painted (GTK_WIDGET (window), 10000);

  stack = rl_window_get_view_stack (window);
  map_title = adw_view_stack_page_get_title (
      adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "map")));
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

  if (g_str_equal (SHOT_LANG, "en"))
    map_screenshots (dir);

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

  /* The Alerts page, in this language: alerts-<lang>.png. */
  g_assert_true (rl_test_wait_until (alerts_loaded, NULL, 30000));
  {
    g_autofree char *alerts_path = g_build_filename (dir, "alerts-" SHOT_LANG ".png", NULL);
    const char      *title = adw_view_stack_page_get_title (
             adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "alerts")));

    if (g_str_equal (SHOT_LANG, "en"))
      g_assert_cmpstr (title, ==, "Alerts");
    else
      g_assert_cmpstr (title, !=, "Alerts");
    save_window_png (alerts_path);
    g_test_message ("saved %s", alerts_path);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
  g_clear_pointer (&server, rl_test_devserver_free);
}

int
main (int   argc,
      char *argv[])
{
  static const char *const xdg_vars[] = {
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "XDG_STATE_HOME",
    "XDG_RUNTIME_DIR",
  };
  g_autofree char *localedir = NULL;
  g_autofree char *tmp_home = NULL;
  int              status;

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
  rl_test_rm_rf (tmp_home);

  return status;
}
