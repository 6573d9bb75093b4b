/* test-map-page.c — the Map page against a devserver (in-process, Xvfb):
 * cold start from the cache with no network, keyboard selection and the
 * panel, search and filters on the map, an offline map pack made in the
 * test and shown with the network off, and the dispatch list's CSV.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "gui-test-common.h"
#include "map-page-test-common.h"
#include "rl-dispatch.h"
#include "rl-forecast.h"
#include "rl-map-legend.h"
#include "rl-map-page.h"
#include "rl-map-search.h"
#include "rl-preferences-window.h"
#include "rl-search.h"
#include "rl-session.h"
#include "rl-store.h"
#include "rl-test-util.h"
#include "rl-time.h"

#define DISPATCHER "dispatcher@demo.reloop.np"
#define N_POINTS 400

static RlTestDevserver *server;
static RlSession       *session;
static GSettings       *settings;
static GtkWidget       *window;
static RlMapPage       *page;

/* ---- Helpers ------------------------------------------------------------ */

static gboolean
synced (gpointer user_data)
{
  RlStore *store = rl_session_get_store (session);

  return store != NULL && rl_session_get_state (session) == RL_SESSION_STATE_ONLINE
         && rl_store_count (store, "drop_point") == N_POINTS;
}

static RlStore *
store (void)
{
  return rl_session_get_store (session);
}

static gboolean
page_loaded (gpointer user_data)
{
  return !rl_map_page_get_loading (page)
         && rl_map_layer_get_n_points (rl_map_page_get_layer (page))
                == GPOINTER_TO_UINT (user_data);
}

/* For rl_test_wait_until: TRUE once the map's last frame drew (as single
 * points or inside clusters) at least every point of the page; the frame's
 * statistics are left in @user_data (an RlMapLayerFrameStats). */
static gboolean
frame_drew_all (gpointer user_data)
{
  RlMapLayerFrameStats *stats = user_data;

  rl_map_layer_get_frame_stats (rl_map_page_get_layer (page), stats);
  return stats->points + stats->clustered >= N_POINTS;
}

static gboolean
panel_idle (gpointer user_data)
{
  RlDropPointPanel *panel = rl_map_page_get_panel (page);

  return !rl_drop_point_panel_get_busy (panel)
         && g_strcmp0 (rl_drop_point_panel_get_drop_point_id (panel), user_data) == 0
         && rl_drop_point_panel_get_title (panel) != NULL;
}

static gboolean
n_shown_is (gpointer user_data)
{
  GtkWidget *search = rl_map_page_get_search (page);

  return !rl_map_search_get_busy (RL_MAP_SEARCH (search))
         && rl_map_layer_get_n_shown (rl_map_page_get_layer (page)) == GPOINTER_TO_UINT (user_data);
}

static char *
cached_name (const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) record = rl_store_get_record (store (), "drop_point", id, &error);

  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (record, "name"));
}

static void
start_server_session (void)
{
  g_autoptr (GError) error = NULL;
  GAsyncResult *result = NULL;
  gboolean      ok;

  session = rl_session_new ();
  rl_session_sign_in_async (session, server->url, DISPATCHER, "reloop-demo", NULL, rl_test_store_result_cb,
                            &result);
  rl_test_wait_result (&result, 60000);
  ok = rl_session_sign_in_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_object_unref (result);
  g_assert_true (rl_test_wait_until (synced, NULL, 120000));
}

/* ---- Cold start ------------------------------------------------------------ */

static void
test_cold_start (void)
{
  g_autoptr (GError) error = NULL;
  RlMapLayerFrameStats stats = { 0 };
  gint64               n_cached;

  start_server_session ();
  n_cached = rl_store_count (store (), "drop_point");
  g_assert_cmpint (n_cached, ==, N_POINTS);

  /* No network from here on: the page paints from the cache alone. The
   * server was seen offering its tiles before (so the page does not turn
   * to OpenStreetMap, on the internet, when it cannot ask it). */
  g_settings_set_value (settings, "tile-server-probes",
                        g_variant_new_parsed ("{%s: 'offered'}", server->url));
  rl_test_devserver_stop (server);

  page = g_object_new (RL_TYPE_MAP_PAGE, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (rl_test_wait_until (gui_test_laid_out, page, 20000));
  g_assert_cmpstr (rl_map_page_get_state (page), ==, "loading");

  rl_page_set_session (RL_PAGE (page), session);
  g_assert_true (rl_test_wait_until (page_loaded, GUINT_TO_POINTER (N_POINTS), 60000));
  g_assert_cmpuint (rl_map_page_get_n_loads (page), ==, 1);
  g_assert_cmpstr (rl_map_page_get_state (page), ==, "map");
  g_assert_cmpstr (rl_map_page_get_count_text (page), ==, "400 drop points");

  /* And it drew them: every point, in clusters at city zoom. */
  g_assert_true (rl_test_wait_until (frame_drew_all, &stats, 30000));
  g_assert_cmpuint (stats.points + stats.clustered, ==, N_POINTS);
  g_assert_cmpuint (stats.clusters, >, 0);

  g_assert_true (rl_test_devserver_restart (server, &error));
  g_assert_no_error (error);
}

/* ---- Keyboard ----------------------------------------------------------------- */

static void
test_keyboard (void)
{
  RlMapLayer       *layer = rl_map_page_get_layer (page);
  RlDropPointPanel *panel = rl_map_page_get_panel (page);
  g_autofree char  *first = NULL;
  g_autofree char  *name = NULL;
  const char       *second;

  g_assert_null (rl_map_page_get_side_panel (page));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (layer)));

  /* Down picks a point: the panel stays closed until Enter. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (layer), "map-layer.move", "(ii)", 0, 1));
  first = g_strdup (rl_map_layer_get_selected_id (layer));
  g_assert_nonnull (first);
  g_assert_null (rl_map_page_get_side_panel (page));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (layer), "map-layer.activate", NULL));
  g_assert_cmpstr (rl_map_page_get_side_panel (page), ==, "panel");
  g_assert_true (rl_test_wait_until (panel_idle, first, 30000));
  name = cached_name (first);
  g_assert_cmpstr (rl_drop_point_panel_get_title (panel), ==, name);

  /* With the panel open it follows the selection. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (layer), "map-layer.move", "(ii)", 1, 0));
  second = rl_map_layer_get_selected_id (layer);
  g_assert_nonnull (second);
  g_assert_cmpstr (second, !=, first);
  g_assert_cmpstr (rl_drop_point_panel_get_drop_point_id (panel), ==, second);

  /* Escape clears the selection and closes the panel. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (layer), "map-layer.clear", NULL));
  g_assert_null (rl_map_layer_get_selected_id (layer));
  g_assert_null (rl_map_page_get_side_panel (page));
}

/* ---- Search and filters ------------------------------------------------------- */

typedef struct
{
  char *deva_id;
  char *deva_name;
  guint maintenance;
} Census;

static gboolean
census_cb (const RlStoreDropPoint *dp,
           gpointer                user_data)
{
  Census *c = user_data;

  if (g_strcmp0 (dp->status, "maintenance") == 0)
    c->maintenance++;
  /* A Devanagari name (the seed's first letter is in U+0900–U+097F). */
  if (c->deva_id == NULL && g_strcmp0 (dp->status, "retired") != 0
      && g_utf8_get_char (dp->name) >= 0x0900 && g_utf8_get_char (dp->name) <= 0x097f)
    {
      c->deva_id = g_strdup (dp->id);
      c->deva_name = g_strdup (dp->name);
    }
  return TRUE;
}

static void
test_search (void)
{
  RlMapLayer  *layer = rl_map_page_get_layer (page);
  RlMapSearch *search = RL_MAP_SEARCH (rl_map_page_get_search (page));
  GtkWidget   *entry = find_type (GTK_WIDGET (search), GTK_TYPE_SEARCH_ENTRY);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) expected = NULL;
  g_autoptr (GPtrArray) in_maintenance = NULL;
  g_autoptr (GHashTable) maintenance_set = g_hash_table_new (g_str_hash, g_str_equal);
  RlSearchFilter filter = { 0 };
  Census         census = { 0 };
  const char    *hidden = NULL;

  g_assert_nonnull (entry);
  g_assert_true (rl_store_foreach_drop_point (store (), census_cb, &census, &error));
  g_assert_no_error (error);
  g_assert_nonnull (census.deva_id);
  g_assert_cmpuint (census.maintenance, >, 0);

  /* A Devanagari query typed in the entry: the map shows what the search
   * engine finds, and Enter goes to the first result. */
  filter.query = census.deva_name;
  expected = rl_search_run (store (), &filter, rl_time_now_ms (), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expected->len, >=, 1);
  g_assert_true (g_ptr_array_find_with_equal_func (expected, census.deva_id, g_str_equal, NULL));
  g_test_message ("query “%s”: %u match(es)", census.deva_name, expected->len);

  gtk_editable_set_text (GTK_EDITABLE (entry), census.deva_name);
  g_assert_true (rl_test_wait_until (n_shown_is, GUINT_TO_POINTER (expected->len), 30000));
  g_assert_cmpuint (rl_map_layer_get_n_shown (layer), ==, expected->len);
  g_assert_cmpuint (g_hash_table_size (rl_map_search_get_shown_ids (search)), ==, expected->len);
  g_assert_nonnull (strstr (rl_map_page_get_count_text (page), " of 400 "));

  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (rl_map_layer_get_selected_id (layer), ==, g_ptr_array_index (expected, 0));
  g_assert_cmpstr (rl_map_page_get_side_panel (page), ==, "panel");
  g_assert_cmpstr (rl_drop_point_panel_get_drop_point_id (rl_map_page_get_panel (page)), ==,
                   g_ptr_array_index (expected, 0));
  g_assert_cmpfloat (
      shumate_viewport_get_zoom_level (shumate_map_get_viewport (rl_map_page_get_map (page))), >=,
      17.0);

  /* An empty query shows every point again. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_true (rl_test_wait_until (n_shown_is, GUINT_TO_POINTER (N_POINTS), 30000));
  g_assert_cmpstr (rl_map_page_get_count_text (page), ==, "400 drop points");

  /* A filter: Status = In maintenance. */
  memset (&filter, 0, sizeof filter);
  filter.statuses = RL_POINT_STATUS_MAINTENANCE;
  in_maintenance = rl_search_run (store (), &filter, rl_time_now_ms (), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (in_maintenance->len, ==, census.maintenance);
  for (guint i = 0; i < in_maintenance->len; i++)
    g_hash_table_add (maintenance_set, g_ptr_array_index (in_maintenance, i));

  rl_map_search_set_filter (search, &filter);
  g_assert_true (rl_test_wait_until (n_shown_is, GUINT_TO_POINTER (census.maintenance), 30000));
  /* The selected point was not in maintenance: it is hidden, so cleared. */
  if (!g_hash_table_contains (maintenance_set, g_ptr_array_index (expected, 0)))
    {
      g_assert_null (rl_map_layer_get_selected_id (layer));
      g_assert_null (rl_map_page_get_side_panel (page));
    }

  /* A hidden point cannot be selected, by id or from the keyboard. */
  hidden = g_hash_table_contains (maintenance_set, census.deva_id) ? NULL : census.deva_id;
  if (hidden == NULL)
    for (guint i = 0; i < expected->len && hidden == NULL; i++)
      if (!g_hash_table_contains (maintenance_set, g_ptr_array_index (expected, i)))
        hidden = g_ptr_array_index (expected, i);
  g_assert_nonnull (hidden);
  g_assert_false (rl_map_layer_set_selected_id (layer, hidden));
  g_assert_false (rl_map_page_show_point (page, hidden));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (layer), "map-layer.clear", NULL));
  for (guint k = 0; k < 5; k++)
    {
      g_assert_true (
          gtk_widget_activate_action (GTK_WIDGET (layer), "map-layer.move", "(ii)", 0, 1));
      if (rl_map_layer_get_selected_id (layer) != NULL)
        g_assert_true (
            g_hash_table_contains (maintenance_set, rl_map_layer_get_selected_id (layer)));
    }

  /* Clear: everything again. */
  memset (&filter, 0, sizeof filter);
  rl_map_search_set_filter (search, &filter);
  g_assert_true (rl_test_wait_until (n_shown_is, GUINT_TO_POINTER (N_POINTS), 30000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (layer), "map-layer.clear", NULL));

  g_free (census.deva_id);
  g_free (census.deva_name);
}

/* ---- Offline map pack ---------------------------------------------------------- */

/* The devserver's land colour (rl-dev-tiles.c) and the layer's plain one. */
#define PACK_LAND 0xf5f4f1
#define PLAIN_LAND 0xf2efe9

static gboolean
pack_painted (gpointer user_data)
{
  RlMbtilesSource *source = rl_map_page_get_mbtiles_source (page);

  return source != NULL && rl_mbtiles_source_get_n_served (source) > 0
         && count_pixels (GTK_WIDGET (rl_map_page_get_map (page)), PACK_LAND) > 1000;
}

static gboolean
plain_painted (gpointer user_data)
{
  return count_pixels (GTK_WIDGET (rl_map_page_get_map (page)), PLAIN_LAND) > 1000;
}

static void
test_mbtiles (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rl-map-pack-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *err_text = NULL;
  const char      *devserver = g_getenv ("RL_DEVSERVER");
  ShumateMap      *map = rl_map_page_get_map (page);
  int              status = -1;

  g_assert_no_error (error);
  g_assert_nonnull (devserver);
  path = g_build_filename (dir, "valley.mbtiles", NULL);

  /* The pack, made by the devserver as a user would. */
  {
    const char *argv[] = { devserver, "--export-mbtiles", path,
                           "--export-min-zoom", "10", "--export-max-zoom", "13", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                 NULL, &err_text, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  }

  /* No network; no tiles at all first: the points on the plain colour. */
  rl_test_devserver_stop (server);
  shumate_viewport_set_zoom_level (shumate_map_get_viewport (map), 12);
  shumate_map_center_on (map, 27.70, 85.32);
  g_settings_set_string (settings, "map-tiles", "none");
  g_assert_null (rl_map_page_get_mbtiles_source (page));
  g_assert_true (rl_map_layer_get_draw_background (rl_map_page_get_layer (page)));
  g_assert_true (rl_test_wait_until (plain_painted, NULL, 20000));

  /* The pack: its tiles are served and painted. */
  g_settings_set_string (settings, "map-pack", path);
  g_settings_set_string (settings, "map-tiles", "pack");
  g_assert_nonnull (rl_map_page_get_mbtiles_source (page));
  g_assert_false (rl_map_layer_get_draw_background (rl_map_page_get_layer (page)));
  g_assert_true (rl_test_wait_until (pack_painted, NULL, 30000));
  g_assert_cmpuint (count_pixels (GTK_WIDGET (map), PLAIN_LAND), <,
                    count_pixels (GTK_WIDGET (map), PACK_LAND));
  g_test_message ("pack tiles served: %u",
                  rl_mbtiles_source_get_n_served (rl_map_page_get_mbtiles_source (page)));

  /* A broken pack falls back to no map. */
  g_assert_true (g_file_set_contents (path, "not a pack", -1, &error));
  g_settings_set_string (settings, "map-pack", "");
  g_settings_set_string (settings, "map-pack", path);
  g_assert_null (rl_map_page_get_mbtiles_source (page));
  {
    g_autofree char *mode = g_settings_get_string (settings, "map-tiles");

    g_assert_cmpstr (mode, ==, "none");
  }
  g_assert_true (rl_map_layer_get_draw_background (rl_map_page_get_layer (page)));

  g_settings_reset (settings, "map-pack");
  g_settings_reset (settings, "map-tiles");
  g_unlink (path);
  g_rmdir (dir);
  g_assert_true (rl_test_devserver_restart (server, &error));
  g_assert_no_error (error);
}

/* ---- Preferences: the map rows apply live ---------------------------------------- */

static void
test_preferences (void)
{
  RlPreferencesWindow *prefs = rl_preferences_window_new (NULL, session, settings);
  GtkWidget           *tiles_row = find_row (GTK_WIDGET (prefs), ADW_TYPE_COMBO_ROW, "Map Tiles");
  GtkWidget           *legend_row = find_row (GTK_WIDGET (prefs), ADW_TYPE_ACTION_ROW, "Show Legend");
  GtkWidget           *legend = find_type (GTK_WIDGET (page), RL_TYPE_MAP_LEGEND);
  GtkWidget           *legend_switch;
  g_autofree char     *mode = NULL;

  g_assert_nonnull (tiles_row);
  g_assert_nonnull (legend_row);
  g_assert_nonnull (legend);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (legend)));
  g_assert_nonnull (find_row (GTK_WIDGET (prefs), ADW_TYPE_ACTION_ROW, "Offline Map Pack"));
  legend_switch = find_type (legend_row, GTK_TYPE_SWITCH);
  g_assert_nonnull (legend_switch);

  /* Online by default; "No Map" in the row: the page draws the plain land. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (tiles_row)), ==, 0);
  g_assert_false (rl_map_layer_get_draw_background (rl_map_page_get_layer (page)));
  adw_combo_row_set_selected (ADW_COMBO_ROW (tiles_row), 2);
  mode = g_settings_get_string (settings, "map-tiles");
  g_assert_cmpstr (mode, ==, "none");
  g_assert_true (rl_map_layer_get_draw_background (rl_map_page_get_layer (page)));
  adw_combo_row_set_selected (ADW_COMBO_ROW (tiles_row), 0);
  g_assert_false (rl_map_layer_get_draw_background (rl_map_page_get_layer (page)));

  /* The legend follows its switch (and the map menu's action, the same key). */
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (legend_switch)));
  gtk_switch_set_active (GTK_SWITCH (legend_switch), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "map-show-legend"));
  /* The legend's card over the map is hidden. */
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (legend)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "map.map-show-legend", NULL));
  g_assert_true (g_settings_get_boolean (settings, "map-show-legend"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (legend_switch)));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (legend)));

  gtk_window_destroy (GTK_WINDOW (prefs));
}

/* ---- Dispatch list ------------------------------------------------------------- */

typedef struct
{
  gint64            now_ms;
  gint64            from_ms;
  gint64            to_ms;
  RlForecastOptions options;
  GHashTable       *expected; /* id → predicted full at (RFC 3339) */
  guint             n_with_device;
  RlDispatchList   *list;
} Expect;

static gboolean
expect_cb (const RlStoreDropPoint *dp,
           gpointer                user_data)
{
  Expect    *e = user_data;
  RlForecast f;

  if (dp->device_id == NULL || g_strcmp0 (dp->status, "retired") == 0)
    return TRUE;
  rl_dispatch_forecast_device (store (), dp->device_id, e->now_ms, &e->options, &f);
  if (rl_dispatch_forecast_in_range (&f, e->from_ms, e->to_ms))
    g_hash_table_insert (e->expected, g_strdup (dp->id), rl_time_format_ms (f.full_at_ms));
  return TRUE;
}

/* The list worked out as many rows as expected (and is not busy). */
static gboolean
list_ready (gpointer user_data)
{
  Expect *e = user_data;

  return !rl_dispatch_list_get_busy (e->list)
         && g_list_model_get_n_items (rl_dispatch_list_get_model (e->list))
                == g_hash_table_size (e->expected);
}

static void
test_dispatch (void)
{
  RlDispatchList *list = rl_map_page_get_dispatch_list (page);
  GListModel     *model;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rl-map-dispatch-XXXXXX", &error);
  g_autofree char *csv_path = g_build_filename (dir, "dispatch.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (csv_path);
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (RlDispatchItem) first = NULL;
  Expect e = { 0 };
  guint  n_lines;

  g_assert_no_error (error);
  cache_readings (server, store (), 12);

  e.now_ms = rl_time_now_ms ();
  local = g_date_time_new_from_unix_local (e.now_ms / 1000);
  rl_forecast_options_init (&e.options);
  e.options.utc_offset_s = (int) (g_date_time_get_utc_offset (local) / G_TIME_SPAN_SECOND);
  rl_dispatch_window_range (RL_DISPATCH_HOURS, 168, e.now_ms, e.options.utc_offset_s, &e.from_ms,
                            &e.to_ms);
  e.expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_assert_true (rl_store_foreach_drop_point (store (), expect_cb, &e, &error));
  g_assert_no_error (error);
  g_test_message ("%u bins predicted full within 168 h", g_hash_table_size (e.expected));
  g_assert_cmpuint (g_hash_table_size (e.expected), >, 0);

  /* The toolbar's toggle opens it in the side panel. */
  rl_dispatch_list_set_now_ms (list, e.now_ms);
  rl_dispatch_list_set_window (list, RL_DISPATCH_HOURS, 168);
  gtk_toggle_button_set_active (rl_map_page_get_dispatch_button (page), TRUE);
  g_assert_cmpstr (rl_map_page_get_side_panel (page), ==, "dispatch");
  g_assert_true (rl_test_wait_until (gui_test_laid_out, list, 10000));
  e.list = list;
  g_assert_true (rl_test_wait_until (list_ready, &e, 60000));
  model = rl_dispatch_list_get_model (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, g_hash_table_size (e.expected));

  g_assert_true (rl_dispatch_list_export_csv (list, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  lines = g_strsplit (csv, "\r\n", -1);
  n_lines = g_strv_length (lines);
  g_assert_cmpstr (lines[0], ==, "id,name,address,fill,predicted_full_at,earliest,latest,status");
  g_assert_cmpuint (n_lines - 2, ==, g_hash_table_size (e.expected));
  for (guint i = 1; i + 1 < n_lines; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      guint nf = g_strv_length (f);

      g_assert_cmpstr (f[nf - 4], ==, g_hash_table_lookup (e.expected, f[0]));
    }

  /* "Show on Map": selected, centred, and the side panel shows it. */
  first = g_list_model_get_item (model, 0);
  g_signal_emit_by_name (list, "show-on-map", rl_dispatch_item_get_row (first)->id);
  g_assert_cmpstr (rl_map_layer_get_selected_id (rl_map_page_get_layer (page)), ==,
                   rl_dispatch_item_get_row (first)->id);
  g_assert_cmpstr (rl_map_page_get_side_panel (page), ==, "panel");
  g_assert_false (gtk_toggle_button_get_active (rl_map_page_get_dispatch_button (page)));
  g_assert_true (
      rl_test_wait_until (panel_idle, (gpointer) rl_dispatch_item_get_row (first)->id, 30000));

  /* The toggle brings the list back; closing the side panel releases it. */
  gtk_toggle_button_set_active (rl_map_page_get_dispatch_button (page), TRUE);
  g_assert_cmpstr (rl_map_page_get_side_panel (page), ==, "dispatch");
  rl_map_page_set_side_panel (page, NULL);
  g_assert_false (gtk_toggle_button_get_active (rl_map_page_get_dispatch_button (page)));

  g_unlink (csv_path);
  g_rmdir (dir);
  g_hash_table_unref (e.expected);
}

/* ---- Live telemetry: the feed's changes reach the map ------------------------- */

static gboolean
loads_above (gpointer user_data)
{
  return !rl_map_page_get_loading (page)
         && rl_map_page_get_n_loads (page) > GPOINTER_TO_UINT (user_data);
}

static void
test_live (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = NULL;
  g_autoptr (GPtrArray) changed = g_ptr_array_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  RlFeedConfig     config = { .url = "mqtt://127.0.0.1:1" }; /* nothing listens: no messages */
  NthBin           nb = { .skip = 3 };
  guint            loads;

  g_assert_true (rl_store_foreach_drop_point (store (), nth_bin_cb, &nb, &error));
  g_assert_nonnull (nb.id);
  before = rl_map_layer_dup_description (rl_map_page_get_layer (page), nb.id);
  g_assert_null (strstr (before, "fill 3 %"));

  /* A feed for the session (the app starts one after sign-in). */
  g_assert_true (rl_session_start_feed (session, &config, &error));
  g_assert_no_error (error);

  /* What the feed's writer thread does with a reading, then its signal:
   * the layer takes the values in place, no reload. */
  batch = rl_store_batch_begin (store (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (rl_store_batch_update_telemetry (batch, nb.device, rl_time_now_ms (), 3.0,
                                                    NAN, NAN, NAN, NAN, &error),
                   ==, 1);
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  loads = rl_map_page_get_n_loads (page);
  {
    RlFeedPoint point = { nb.id, nb.device, 3.0, TRUE, FALSE, rl_time_now_ms () };

    g_ptr_array_add (changed, &point);
    g_signal_emit_by_name (rl_session_get_feed (session), "points-changed", changed);
  }
  g_assert_cmpuint (rl_map_page_get_n_loads (page), ==, loads);
  after = rl_map_layer_dup_description (rl_map_page_get_layer (page), nb.id);
  g_test_message ("%s → %s", before, after);
  g_assert_nonnull (strstr (after, "fill 3 %"));
  g_assert_null (strstr (after, "stale"));

  /* The bin goes offline: drawn so, its fill kept. */
  {
    RlFeedPoint      point = { nb.id, nb.device, 3.0, FALSE, FALSE, rl_time_now_ms () };
    g_autofree char *offline = NULL;
    guint8           flags = 0;

    g_ptr_array_set_size (changed, 0);
    g_ptr_array_add (changed, &point);
    g_signal_emit_by_name (rl_session_get_feed (session), "points-changed", changed);
    g_assert_true (
        rl_map_layer_get_point_state (rl_map_page_get_layer (page), nb.id, NULL, &flags));
    g_assert_true (flags & RL_MAP_POINT_OFFLINE);
    offline = rl_map_layer_dup_description (rl_map_page_get_layer (page), nb.id);
    g_assert_nonnull (strstr (offline, "fill 3 %"));
  }

  /* A point the page has not loaded yet: the cache is read again. */
  {
    RlFeedPoint point = {
      (char *) "dp-not-loaded-yet", (char *) "bin-x", 50, TRUE, FALSE, rl_time_now_ms ()
    };

    g_ptr_array_set_size (changed, 0);
    g_ptr_array_add (changed, &point);
    g_signal_emit_by_name (rl_session_get_feed (session), "points-changed", changed);
  }
  g_assert_true (rl_test_wait_until (loads_above, GUINT_TO_POINTER (loads), 30000));

  rl_session_stop_feed (session);
  g_free (nb.id);
  g_free (nb.device);
}

/* ---- A sync refreshes the map in place ---------------------------------------- */

/* The page loaded the points again after @user_data (a guint) loads. */
static gboolean
reloaded (gpointer user_data)
{
  return rl_map_page_get_n_loads (page) > *(guint *) user_data && !rl_map_page_get_loading (page);
}

static void
sync_now (void)
{
  GAsyncResult *result = NULL;
  g_autoptr (GError) error = NULL;

  rl_session_sync_async (session, NULL, rl_test_store_result_cb, &result);
  rl_test_wait_result (&result, 60000);
  g_assert_true (rl_session_sync_finish (session, result, &error));
  g_assert_no_error (error);
  g_object_unref (result);
}

/* A pull that brings nothing leaves the points as they are (no reload, no
 * redraw: docs/battery.md); one that changes a drop point reads them again. */
static void
test_resync (void)
{
  guint            loads;
  g_autofree char *url = NULL;
  guint            status = 0;

  /* Whatever the last steps left for the next pull (their edits) first. */
  sync_now ();
  rl_test_run_main_loop (500);
  g_assert_false (rl_map_page_get_loading (page));
  loads = rl_map_page_get_n_loads (page);
  sync_now ();
  rl_test_run_main_loop (1000);
  g_assert_cmpuint (rl_session_get_last_sync_point_changes (session), ==, 0);
  g_assert_cmpuint (rl_map_page_get_n_loads (page), ==, loads);

  url = g_strdup_printf ("%s/__dev/records/drop_point/dp-000010/touch", server->url);
  json_node_unref (rl_test_http ("POST", url, "{}", NULL, &status));
  g_assert_cmpuint (status, ==, 200);
  sync_now ();
  g_assert_cmpuint (rl_session_get_last_sync_point_changes (session), ==, 1);
  g_assert_true (rl_test_wait_until (reloaded, &loads, 60000));
  g_assert_cmpuint (rl_map_page_get_n_loads (page), >, loads);
  g_assert_cmpuint (rl_map_layer_get_n_points (rl_map_page_get_layer (page)), ==, N_POINTS);
  g_assert_cmpstr (rl_map_page_get_state (page), ==, "map");
}

static gboolean
search_focused (gpointer user_data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (user_data));

  return focus != NULL && gtk_widget_is_ancestor (focus, rl_map_page_get_search (page));
}

/* Ctrl+F: the page's shortcut (managed scope, so it works from anywhere
 * in the window) focuses the search. Triggered through the page's own
 * shortcut controller: GTK 4.8 has no public way to make a key event. */
static void
test_ctrl_f (void)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (page));
  GtkShortcut *found = NULL;
  GtkRoot     *root = gtk_widget_get_root (GTK_WIDGET (page));

  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (rl_map_page_get_layer (page))));
  g_assert_true (gtk_root_get_focus (root) == GTK_WIDGET (rl_map_page_get_layer (page)));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && found == NULL; i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (c))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (c)) && found == NULL; k++)
        {
          g_autoptr (GtkShortcut) sc = g_list_model_get_item (G_LIST_MODEL (c), k);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (sc));

          if (g_str_equal (trigger, "<Control>f"))
            found = g_object_ref (sc);
        }
      if (found != NULL)
        g_assert_cmpint (gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (c)), ==,
                         GTK_SHORTCUT_SCOPE_MANAGED);
    }
  g_assert_nonnull (found);
  g_assert_true (
      gtk_shortcut_action_activate (gtk_shortcut_get_action (found), 0, GTK_WIDGET (page), NULL));
  g_assert_true (rl_test_wait_until (search_focused, root, 10000));
  g_object_unref (found);
}

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;
  return FALSE;
}

static gboolean
panel_shows_42 (gpointer panel)
{
  return has_label (GTK_WIDGET (panel), "42 %");
}

/* The open panel follows its point's live readings (read from the cache in
 * a worker), and an edit in progress survives them. */
static void
test_panel_live (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = NULL;
  g_autoptr (GPtrArray) changed = g_ptr_array_new ();
  RlDropPointPanel *panel = rl_map_page_get_panel (page);
  RlFeedConfig      config = { .url = "mqtt://127.0.0.1:1" };
  NthBin            nb = { .skip = 7 };
  GtkTextBuffer    *notes;
  GtkTextIter       start, end;
  g_autofree char  *text = NULL;

  g_assert_true (rl_store_foreach_drop_point (store (), nth_bin_cb, &nb, &error));
  g_assert_nonnull (nb.id);
  if (rl_session_get_feed (session) == NULL)
    g_assert_true (rl_session_start_feed (session, &config, &error));
  g_assert_no_error (error);
  g_assert_true (rl_map_page_show_point (page, nb.id));
  g_assert_true (rl_test_wait_until (panel_idle, nb.id, 30000));
  g_assert_false (has_label (GTK_WIDGET (panel), "42 %"));
  rl_drop_point_panel_set_edit (panel, "maintenance", "Lid sticks; bring oil");

  /* A reading for that bin, as the feed's writer stores it, then the
   * feed's signal. */
  batch = rl_store_batch_begin (store (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (rl_store_batch_update_telemetry (batch, nb.device, rl_time_now_ms (), 42.0,
                                                    12.5, NAN, NAN, NAN, &error),
                   ==, 1);
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  {
    RlFeedPoint point = { nb.id, nb.device, 42.0, TRUE, FALSE, rl_time_now_ms () };

    g_ptr_array_add (changed, &point);
    g_signal_emit_by_name (rl_session_get_feed (session), "points-changed", changed);
  }
  g_assert_true (rl_test_wait_until (panel_shows_42, panel, 10000));
  g_assert_true (has_label (GTK_WIDGET (panel), "12.5 kg"));
  g_assert_true (has_label (GTK_WIDGET (panel), "Just now"));

  /* The edit is still there, unsaved. */
  notes =
      gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_type (GTK_WIDGET (panel), GTK_TYPE_TEXT_VIEW)));
  gtk_text_buffer_get_bounds (notes, &start, &end);
  text = gtk_text_buffer_get_text (notes, &start, &end, FALSE);
  g_assert_cmpstr (text, ==, "Lid sticks; bring oil");
  g_assert_null (rl_drop_point_panel_get_save_message (panel));
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
  g_autoptr (GError) error = NULL;
  const char      *args[] = { "--drop-points", "400", "--seed", "7", NULL };
  g_autofree char *tmp_home = NULL;
  int              rc;

  gui_test_prepare_env ();
  g_setenv ("TZ", "Asia/Kathmandu", TRUE);
  /* GL on llvmpipe crawls under ASan; cairo also makes pixels stable. */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  /* Not G_TEST_OPTION_ISOLATE_DIRS: it also hides the system data dirs, and
   * with them the icon theme and the MIME database the SVG icons need. The
   * user dirs are private all the same. */
  tmp_home = g_dir_make_tmp ("rl-map-page-XXXXXX", NULL);
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

  settings = g_settings_new ("org.reloop.Console");
  server = rl_test_devserver_start (args, &error);
  g_assert_no_error (error);

  /* In order: each step uses the page the first one made. */
  g_test_add_func ("/map-page/cold-start", test_cold_start);
  g_test_add_func ("/map-page/keyboard", test_keyboard);
  g_test_add_func ("/map-page/search-and-filters", test_search);
  g_test_add_func ("/map-page/mbtiles-offline", test_mbtiles);
  g_test_add_func ("/map-page/preferences", test_preferences);
  g_test_add_func ("/map-page/dispatch-list", test_dispatch);
  g_test_add_func ("/map-page/live-telemetry", test_live);
  g_test_add_func ("/map-page/panel-follows-readings", test_panel_live);
  g_test_add_func ("/map-page/ctrl-f", test_ctrl_f);
  g_test_add_func ("/map-page/resync", test_resync);

  rc = g_test_run ();

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
  g_clear_object (&settings);
  rl_test_devserver_free (server);
  rl_test_rm_rf (tmp_home);
  return rc;
}
