/* test-map-source.c — the Map page against a server without /tiles
 * (devserver --no-tiles), in-process under Xvfb: the probe's answer is
 * remembered for the server; tiles that answer 404 put the failure state on
 * the map, with the reason, once; its "Choose a Map Source…" opens
 * Preferences at the map source rows; a custom template pointed at a second
 * devserver (tiles on) draws tiles and the failure state goes; the
 * attribution shows in the map's corner. Writes the screenshots
 * map-tiles-failure.png, map-tiles-custom.png and preferences-map-source.png
 * to $RL_BUILD_ROOT/screenshots.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gui-test-common.h"
#include "gui-test-window.h"
#include "map-page-test-common.h"
#include "rl-map-page-private.h"
#include "rl-map-page.h"
#include "rl-preferences-window.h"
#include "rl-session.h"
#include "rl-test-util.h"

#define DISPATCHER "dispatcher@demo.reloop.np"
#define N_POINTS 300

static RlTestDevserver *no_tiles; /* the backend: --no-tiles */
static RlTestDevserver *tiles;    /* a tile server: a devserver with tiles */
static RlSession       *session;
static GSettings       *settings;
static GtkWidget       *window;
static RlMapPage       *page;
static char            *shots_dir;

/* ---- Helpers ------------------------------------------------------------ */

static gboolean
synced (gpointer user_data)
{
  RlStore *store = rl_session_get_store (session);

  return store != NULL && rl_session_get_state (session) == RL_SESSION_STATE_ONLINE
         && rl_store_count (store, "drop_point") == N_POINTS;
}

static gboolean
page_loaded (gpointer user_data)
{
  return !rl_map_page_get_loading (page)
         && rl_map_layer_get_n_points (rl_map_page_get_layer (page)) == N_POINTS;
}

static char *
remembered_probe (const char *server)
{
  g_autoptr (GVariant) probes = g_settings_get_value (settings, "tile-server-probes");
  char *value = NULL;

  if (!g_variant_lookup (probes, server, "s", &value))
    return NULL;
  return value;
}

static gboolean
probe_remembered (gpointer user_data)
{
  g_autofree char *value = remembered_probe (user_data);

  return value != NULL;
}

static gboolean
failure_shown (gpointer user_data)
{
  return gtk_widget_get_visible (page->tiles_failure)
         && gtk_widget_get_width (page->tiles_failure) > 0;
}

static gboolean
tiles_drawn (gpointer user_data)
{
  return page->http_source != NULL && rl_http_tile_source_get_n_loaded (page->http_source) >= 4
         && !gtk_widget_get_visible (page->tiles_failure);
}

static void
save_shot (GtkWidget  *widget,
           const char *name)
{
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (shots_dir, name, NULL);

  /* A few frames: the last state on screen. */
  rl_test_run_main_loop (500);
  texture = render_widget (widget);
  g_assert_nonnull (texture);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static gboolean
attribution_laid_out (gpointer user_data)
{
  GtkWidget *label = GTK_WIDGET (page->attribution_label);

  return gtk_widget_get_visible (label)
         && g_strcmp0 (gtk_label_get_label (page->attribution_label), user_data) == 0
         && gtk_widget_get_width (label) > 40;
}

/* The label lies inside the map, in its bottom-right corner, and nothing
 * of the page's overlays sits over it. */
static void
assert_attribution (const char *text)
{
  GtkWidget      *label = GTK_WIDGET (page->attribution_label);
  GtkWidget      *map = GTK_WIDGET (page->simple_map);
  graphene_rect_t bounds;

  g_assert_true (rl_test_wait_until (attribution_laid_out, (gpointer) text, 10000));
  g_assert_cmpstr (gtk_label_get_label (page->attribution_label), ==, text);
  g_assert_true (gtk_widget_compute_bounds (label, map, &bounds));
  g_assert_cmpfloat (bounds.size.width, >, 20);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (map) + 0.5);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                     gtk_widget_get_height (map) + 0.5);
  g_assert_cmpfloat (bounds.origin.x, >, gtk_widget_get_width (map) / 2.0);
  g_assert_cmpfloat (bounds.origin.y, >, gtk_widget_get_height (map) / 2.0);
  /* What is drawn at its centre is the label (or its text). */
  {
    GtkWidget       *picked;
    graphene_point_t centre, in_page;

    centre = GRAPHENE_POINT_INIT (bounds.size.width / 2, bounds.size.height / 2);
    g_assert_true (gtk_widget_compute_point (label, GTK_WIDGET (page), &centre, &in_page));
    picked = gtk_widget_pick (GTK_WIDGET (page), in_page.x, in_page.y, GTK_PICK_DEFAULT);
    g_assert_true (picked == label || gtk_widget_is_ancestor (picked, label));
  }
}

/* ---- The test ------------------------------------------------------------- */

static void
test_no_tiles (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *probe = NULL;
  g_autofree char *template = NULL;
  g_autofree char *reason = NULL;
  GAsyncResult    *result = NULL;
  gboolean         ok;

  session = rl_session_new ();
  rl_session_sign_in_async (session, no_tiles->url, DISPATCHER, "reloop-demo", NULL,
                            rl_test_store_result_cb, &result);
  rl_test_wait_result (&result, 60000);
  ok = rl_session_sign_in_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_object_unref (result);
  g_assert_true (rl_test_wait_until (synced, NULL, 120000));

  page = g_object_new (RL_TYPE_MAP_PAGE, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (rl_test_wait_until (gui_test_laid_out, page, 20000));
  rl_page_set_session (RL_PAGE (page), session);
  g_assert_true (rl_test_wait_until (page_loaded, NULL, 60000));

  /* A first open of this server: the map fits the fleet (every point in
   * view, a whole zoom), and remembers it did. */
  {
    g_auto (GStrv) fitted = g_settings_get_strv (settings, "map-fitted-servers");
    ShumateViewport     *viewport = shumate_simple_map_get_viewport (page->simple_map);
    double               zoom = shumate_viewport_get_zoom_level (viewport);
    RlMapLayerFrameStats stats = { 0 };

    g_assert_true (g_strv_contains ((const char *const *) fitted, no_tiles->url));
    g_assert_cmpfloat (zoom, ==, floor (zoom));
    g_autoptr (GVariant) default_zoom = g_settings_get_default_value (settings, "map-zoom");

    /* Not the fixed first view (the schema's default). */
    g_assert_cmpfloat (zoom, !=, g_variant_get_double (default_zoom));
    rl_test_run_main_loop (300);
    rl_map_layer_get_frame_stats (rl_map_page_get_layer (page), &stats);
    g_assert_cmpuint (stats.points + stats.clustered, ==, N_POINTS);
  }

  /* The automatic source asked the server once and remembers its answer;
   * with no /tiles the map falls back to OpenStreetMap, attributed. */
  g_assert_true (rl_test_wait_until (probe_remembered, no_tiles->url, 20000));
  probe = remembered_probe (no_tiles->url);
  g_assert_cmpstr (probe, ==, "not-offered");
  g_assert_nonnull (page->http_source);
  assert_attribution ("© OpenStreetMap contributors");

  /* The server's /tiles chosen by hand (a custom template): every tile
   * answers 404, and the map says so, once, with the reason. */
  template = g_strconcat (no_tiles->url, "/tiles/{z}/{x}/{y}.png", NULL);
  g_settings_set_string (settings, "tile-url-template", template);
  g_settings_set_string (settings, "tile-source", "custom");
  g_assert_true (rl_test_wait_until (failure_shown, NULL, 30000));
  g_assert_cmpint (rl_http_tile_source_get_failure (page->http_source), ==,
                   RL_TILE_FAILURE_NOT_FOUND);
  reason = g_strdup (gtk_label_get_label (page->tiles_failure_reason));
  g_assert_nonnull (strstr (reason, "404 Not Found"));
  g_assert_cmpstr (gtk_label_get_label (page->tiles_failure_title), ==,
                   "The map tiles cannot be loaded");
  /* One card for the whole map, and the points are still drawn. */
  g_assert_cmpuint (rl_map_layer_get_n_points (rl_map_page_get_layer (page)), ==, N_POINTS);
  g_assert_cmpstr (rl_map_page_get_state (page), ==, "map");
  /* No attribution to show for a custom source that has none. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->attribution_label)));
  save_shot (GTK_WIDGET (page), "map-tiles-failure.png");

  /* Its buttons: named, reachable from the keyboard. */
  {
    GtkWidget *box = gtk_widget_get_last_child (page->tiles_failure);

    g_assert_nonnull (box);
    for (GtkWidget *b = gtk_widget_get_first_child (box); b != NULL;
         b = gtk_widget_get_next_sibling (b))
      {
        g_assert_true (GTK_IS_BUTTON (b));
        g_assert_true (gtk_widget_get_focusable (b));
        g_assert_true (gtk_widget_is_sensitive (b)); /* its action is there */
        g_assert_nonnull (gtk_button_get_label (GTK_BUTTON (b)));
      }
  }

  /* "Choose a Map Source…" opens Preferences at the map source rows. */
  {
    GtkWidget           *box = gtk_widget_get_last_child (page->tiles_failure);
    GtkWidget           *choose = gtk_widget_get_first_child (box);
    RlPreferencesWindow *prefs;
    AdwPreferencesPage  *shown;
    GtkWidget           *source_row;

    g_assert_true (gtk_widget_activate (choose));
    g_assert_true (rl_test_wait_until (gui_test_has_toplevel,
                                       GSIZE_TO_POINTER (RL_TYPE_PREFERENCES_WINDOW), 10000));
    prefs = RL_PREFERENCES_WINDOW (gui_test_toplevel (RL_TYPE_PREFERENCES_WINDOW, NULL));
    g_assert_true (rl_test_wait_until (gui_test_laid_out, prefs, 10000));
    shown = adw_preferences_window_get_visible_page (ADW_PREFERENCES_WINDOW (prefs));
    g_assert_cmpstr (adw_preferences_page_get_title (shown), ==, "Map and Alerts");
    source_row = find_row (GTK_WIDGET (shown), ADW_TYPE_COMBO_ROW, "Tile Source");
    g_assert_nonnull (source_row);
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (source_row)), ==, 2);
    g_assert_true (gtk_widget_get_width (source_row) > 0);
    g_assert_true (gtk_widget_has_focus (source_row)
                   || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (prefs)),
                                              source_row));
    g_assert_nonnull (find_row (GTK_WIDGET (shown), ADW_TYPE_ENTRY_ROW, "Tile URL Template"));
    g_assert_nonnull (find_row (GTK_WIDGET (shown), ADW_TYPE_PASSWORD_ENTRY_ROW, "API Key"));
    g_assert_nonnull (find_row (GTK_WIDGET (shown), ADW_TYPE_ENTRY_ROW, "Attribution"));
    /* The offline pack is imported from here too. */
    {
      GtkWidget *pack_row = find_row (GTK_WIDGET (shown), ADW_TYPE_ACTION_ROW, "Offline Map Pack");
      GtkWidget *import = pack_row != NULL ? find_type (pack_row, GTK_TYPE_BUTTON) : NULL;

      g_assert_nonnull (import);
      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (import)), ==, "_Import…");
      g_assert_true (gtk_widget_is_sensitive (import));
    }
    save_shot (GTK_WIDGET (prefs), "preferences-map-source.png");

    /* A custom template at a local tile server, with its attribution, as
     * typed in the rows. */
    g_free (template);
    template = g_strconcat (tiles->url, "/tiles/{z}/{x}/{y}.png", NULL);
    {
      AdwEntryRow *row = ADW_ENTRY_ROW (
          find_row (GTK_WIDGET (shown), ADW_TYPE_ENTRY_ROW, "Tile URL Template"));
      AdwEntryRow *attribution = ADW_ENTRY_ROW (
          find_row (GTK_WIDGET (shown), ADW_TYPE_ENTRY_ROW, "Attribution"));

      gtk_editable_set_text (GTK_EDITABLE (attribution), "Demo tiles © ReLoop devserver");
      g_signal_emit_by_name (attribution, "apply");
      gtk_editable_set_text (GTK_EDITABLE (row), template);
      g_signal_emit_by_name (row, "apply");
    }
    gtk_window_destroy (GTK_WINDOW (prefs));
  }

  /* The tiles draw and the failure state goes. */
  g_assert_true (rl_test_wait_until (tiles_drawn, NULL, 30000));
  g_assert_cmpint (rl_http_tile_source_get_failure (page->http_source), ==,
                   RL_TILE_FAILURE_NONE);
  assert_attribution ("Demo tiles © ReLoop devserver");
  /* Drawn tiles are not plain land: the devserver's tiles have roads and
   * parks, the land colour alone would cover nearly all of the map. */
  rl_test_run_main_loop (500);
  {
    g_autoptr (GdkTexture) texture = render_widget (GTK_WIDGET (page->simple_map));
    g_autofree guchar *data = NULL;
    int                w, h;
    GHashTable        *colours = g_hash_table_new (NULL, NULL);

    g_assert_nonnull (texture);
    w = gdk_texture_get_width (texture);
    h = gdk_texture_get_height (texture);
    data = g_malloc ((gsize) w * h * 4);
    gdk_texture_download (texture, data, (gsize) w * 4);
    for (gsize i = 0; i < (gsize) w * h; i += 7)
      {
        const guchar *p = data + i * 4;

        g_hash_table_add (colours, GUINT_TO_POINTER ((p[0] << 16) | (p[1] << 8) | p[2]));
      }
    g_assert_cmpuint (g_hash_table_size (colours), >, 20);
    g_hash_table_unref (colours);
  }
  save_shot (GTK_WIDGET (page), "map-tiles-custom.png");

  /* A tile server nobody answers at: the card, worded for the network. */
  {
    guint            port = rl_test_free_port ();
    g_autofree char *closed = g_strdup_printf ("http://127.0.0.1:%u/{z}/{x}/{y}.png", port);

    g_settings_set_string (settings, "tile-url-template", closed);
    g_assert_true (rl_test_wait_until (failure_shown, NULL, 30000));
    g_assert_cmpint (rl_http_tile_source_get_failure (page->http_source), ==,
                     RL_TILE_FAILURE_NETWORK);
    g_assert_cmpstr (gtk_label_get_label (page->tiles_failure_reason), ==,
                     "The tile server cannot be reached.");
  }

  /* Back at the 404s: the card again; "Show Without a Map" takes the plain
   * mode, and the card and the attribution go with the tiles. */
  g_free (template);
  template = g_strconcat (no_tiles->url, "/tiles/{z}/{x}/{y}.png", NULL);
  g_settings_set_string (settings, "tile-url-template", template);
  g_assert_true (rl_test_wait_until (failure_shown, NULL, 30000));
  {
    GtkWidget       *box = gtk_widget_get_last_child (page->tiles_failure);
    GtkWidget       *plain = gtk_widget_get_last_child (box);
    g_autofree char *mode = NULL;

    g_assert_true (gtk_widget_activate (plain));
    /* A button's activation clicks it after a short press animation. */
    rl_test_run_main_loop (500);
    mode = g_settings_get_string (settings, "map-tiles");
    g_assert_cmpstr (mode, ==, "none");
  }
  g_assert_false (gtk_widget_get_visible (page->tiles_failure));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->attribution_label)));
  g_assert_null (page->http_source);
  g_assert_cmpuint (rl_map_layer_get_n_points (rl_map_page_get_layer (page)), ==, N_POINTS);
  g_settings_reset (settings, "map-tiles");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  const char      *no_tiles_args[] = { "--drop-points", "300", "--seed", "11", "--no-tiles", NULL };
  const char      *tiles_args[] = { "--drop-points", "10", NULL };
  g_autofree char *tmp_home = NULL;
  const char      *root;
  int              rc;

  gui_test_prepare_env ();
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  tmp_home = gui_test_private_user_dirs ("rl-map-source-XXXXXX");
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  {
    g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/reloop/Console/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  root = g_getenv ("RL_BUILD_ROOT");
  shots_dir = g_build_filename (root != NULL ? root : ".", "screenshots", NULL);
  g_mkdir_with_parents (shots_dir, 0755);

  settings = g_settings_new ("org.reloop.Console");
  no_tiles = rl_test_devserver_start (no_tiles_args, &error);
  g_assert_no_error (error);
  tiles = rl_test_devserver_start (tiles_args, &error);
  g_assert_no_error (error);

  g_test_add_func ("/map-source/no-tiles", test_no_tiles);
  rc = g_test_run ();

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
  g_clear_object (&settings);
  rl_test_devserver_free (no_tiles);
  rl_test_devserver_free (tiles);
  rl_test_rm_rf (tmp_home);
  g_free (shots_dir);
  return rc;
}
