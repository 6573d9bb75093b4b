/* rl-map-page-tiles.c — the map page's tiles (online, offline map pack,
 * none), the map menu's actions, and the viewport kept across runs.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-map-page-private.h"
#include "rl-session.h"
#include "rl-ui-errors.h"

/* Panning writes the viewport to the settings once it rests this long. */
#define SAVE_VIEWPORT_DELAY_MS 1000

void
rl_map_page_toast (RlMapPage  *self,
                   const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- Map sources -------------------------------------------------------------- */

static ShumateMapSource *
pack_source (RlMapPage  *self,
             const char *path,
             GError    **error)
{
  g_autoptr (RlMbtilesSource) data = NULL;
  g_autofree char *id = NULL;

  if (path == NULL || *path == '\0')
    {
      g_set_error_literal (error, RL_TILE_SOURCE_ERROR, RL_TILE_SOURCE_ERROR_OPEN,
                           _ ("No offline map pack has been imported yet."));
      return NULL;
    }
  data = rl_mbtiles_source_new (path, error);
  if (data == NULL)
    return NULL;

  /* One id per file: libshumate keeps tiles in memory by source id. */
  id = g_strdup_printf ("reloop-mbtiles:%s", path);
  g_set_object (&self->mbtiles, data);
  return SHUMATE_MAP_SOURCE (
      shumate_raster_renderer_new_full (id, rl_mbtiles_source_get_name (data), NULL, NULL,
                                        rl_mbtiles_source_get_min_zoom (data),
                                        rl_mbtiles_source_get_max_zoom (data),
                                        256, SHUMATE_MAP_PROJECTION_MERCATOR,
                                        SHUMATE_DATA_SOURCE (data)));
}

void
rl_map_page_apply_tiles (RlMapPage *self)
{
  g_autofree char *mode = g_settings_get_string (self->settings, "map-tiles");
  g_autofree char *pack = g_settings_get_string (self->settings, "map-pack");
  g_autofree char *template = NULL;
  g_autofree char *attribution = NULL;
  g_autofree char *key = NULL;
  g_autoptr (ShumateMapSource) source = NULL;
  g_autoptr (RlHttpTileSource) http = NULL;
  g_autoptr (GError) error = NULL;
  gboolean plain = FALSE;

  if (g_str_equal (mode, "online"))
    template = rl_map_page_online_template (self, &attribution);
  key = g_strjoin ("\n", mode, template != NULL ? template : "", pack,
                   attribution != NULL ? attribution : "", self->api_key != NULL ? "k" : "",
                   NULL);
  if (g_strcmp0 (key, self->tiles_key) == 0)
    return;
  g_free (self->tiles_key);
  self->tiles_key = g_steal_pointer (&key);
  g_clear_object (&self->mbtiles);

  if (g_str_equal (mode, "online"))
    {
      if (template == NULL)
        plain = TRUE; /* no server yet, or its answer to come: a plain background */
      else if ((source = rl_tile_source_new_for_http (template, &http, &error)) == NULL)
        {
          g_autofree char *why = rl_ui_error_message (error);
          g_autofree char *message = g_strdup_printf (_ ("The map tiles cannot be used: %s"), why);

          rl_map_page_toast (self, message);
          plain = TRUE;
        }
    }
  else if (g_str_equal (mode, "pack"))
    {
      if ((source = pack_source (self, pack, &error)) == NULL)
        {
          g_autofree char *why = rl_ui_error_message (error);
          g_autofree char *message =
              g_strdup_printf (_ ("The offline map pack cannot be used: %s"), why);

          rl_map_page_toast (self, message);
          /* Back to no map at all; the menu shows it. This re-enters. */
          g_settings_set_string (self->settings, "map-tiles", "none");
          return;
        }
    }
  else
    plain = TRUE;

  if (source == NULL)
    source = rl_tile_source_new_plain ();
  rl_map_page_watch_http_source (self, http);
  rl_map_page_set_attribution (self, http != NULL ? attribution : NULL);
  rl_map_layer_set_draw_background (self->layer, plain);
  /* The points are drawn into the tiles (on plain land where there are
   * none): panning then costs what the bare map costs (docs/map.md). */
  {
    g_autoptr (ShumateMapSource) with_points = rl_map_layer_wrap_source (self->layer, source);

    shumate_simple_map_set_map_source (self->simple_map, with_points);
  }

  /* libshumate 1.0 puts the new tile layer on top of the overlay layers:
   * put the points back over it. */
  if (gtk_widget_get_next_sibling (GTK_WIDGET (self->layer)) != NULL)
    {
      g_autoptr (RlMapLayer) layer = g_object_ref (self->layer);
      gboolean had_focus = gtk_widget_has_focus (GTK_WIDGET (layer));

      shumate_simple_map_remove_overlay_layer (self->simple_map, SHUMATE_LAYER (layer));
      shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (layer));
      if (had_focus)
        gtk_widget_grab_focus (GTK_WIDGET (layer));
    }
}

static void
tiles_changed_cb (RlMapPage *self)
{
  rl_map_page_apply_tiles (self);
}

/* ---- Importing an offline map pack ---------------------------------------------- */

static void
import_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RlMapPage *self = RL_MAP_PAGE (object);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = rl_tile_source_import_mbtiles_finish (result, &error);
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (path == NULL)
    {
      g_autofree char *why = rl_ui_error_message (error);

      message = g_strdup_printf (_ ("The offline map pack cannot be imported: %s"), why);
      rl_map_page_toast (self, message);
      return;
    }

  g_settings_set_string (self->settings, "map-pack", path);
  g_settings_set_string (self->settings, "map-tiles", "pack");
  if (self->mbtiles == NULL)
    return; /* the pack failed to open: apply_tiles said why */
  /* Translators: %s is the name of an offline map pack. */
  message = g_strdup_printf (_ ("Offline map pack “%s” in use"),
                             rl_mbtiles_source_get_name (self->mbtiles));
  rl_map_page_toast (self, message);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     RlMapPage       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        rl_tile_source_import_mbtiles_async (self, path, rl_page_get_cancellable (RL_PAGE (self)),
                                             import_done_cb, NULL);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
import_pack_activated_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  RlMapPage            *self = RL_MAP_PAGE (user_data);
  GtkRoot              *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser =
      rl_tile_source_pack_chooser_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);

  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- Viewport ------------------------------------------------------------------- */

static gboolean
save_viewport_cb (gpointer user_data)
{
  RlMapPage       *self = RL_MAP_PAGE (user_data);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->simple_map);

  self->save_viewport_id = 0;
  g_settings_set_double (self->settings, "map-latitude",
                         shumate_location_get_latitude (SHUMATE_LOCATION (viewport)));
  g_settings_set_double (self->settings, "map-longitude",
                         shumate_location_get_longitude (SHUMATE_LOCATION (viewport)));
  g_settings_set_double (self->settings, "map-zoom", shumate_viewport_get_zoom_level (viewport));
  return G_SOURCE_REMOVE;
}

static void
viewport_changed_cb (RlMapPage *self)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->simple_map);
  RlViewport       current = {
          .latitude = shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
          .longitude = shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
          .zoom = shumate_viewport_get_zoom_level (viewport),
  };

  /* Cheap: the search only keeps it for "Save Current View…". */
  if (self->search != NULL)
    rl_map_search_set_current_viewport (self->search, &current);
  if (self->save_viewport_id == 0)
    self->save_viewport_id = g_timeout_add (SAVE_VIEWPORT_DELAY_MS, save_viewport_cb, self);
}

/* ---- Set-up ---------------------------------------------------------------------- */

/* libshumate's zoom buttons have icons but no accessible names. */
static void
name_zoom_buttons (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    {
      GtkWidget  *child = gtk_button_get_child (GTK_BUTTON (widget));
      const char *icon = GTK_IS_IMAGE (child) ? gtk_image_get_icon_name (GTK_IMAGE (child))
                                              : gtk_button_get_icon_name (GTK_BUTTON (widget));
      const char *action = gtk_actionable_get_action_name (GTK_ACTIONABLE (widget));

      if (g_strcmp0 (icon, "zoom-in-symbolic") == 0 || g_strcmp0 (action, "zoom-in") == 0)
        gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _ ("Zoom in"), -1);
      else if (g_strcmp0 (icon, "zoom-out-symbolic") == 0 || g_strcmp0 (action, "zoom-out") == 0)
        gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _ ("Zoom out"), -1);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_zoom_buttons (child);
}

void
rl_map_page_tiles_init (RlMapPage *self)
{
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr (GAction) tiles_action = g_settings_create_action (self->settings, "map-tiles");
  g_autoptr (GAction) legend_action = g_settings_create_action (self->settings, "map-show-legend");
  g_autoptr (GSimpleAction) import_action = g_simple_action_new ("import-pack", NULL);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->simple_map);
  ShumateMap      *map = shumate_simple_map_get_map (self->simple_map);
  double           latitude = g_settings_get_double (self->settings, "map-latitude");
  double           longitude = g_settings_get_double (self->settings, "map-longitude");
  double           zoom = g_settings_get_double (self->settings, "map-zoom");

  g_signal_connect (import_action, "activate", G_CALLBACK (import_pack_activated_cb), self);
  g_action_map_add_action (G_ACTION_MAP (group), tiles_action);
  g_action_map_add_action (G_ACTION_MAP (group), legend_action);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (import_action));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "map", G_ACTION_GROUP (group));

  g_settings_bind (self->settings, "map-show-legend", self->legend_card, "visible",
                   G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->settings, "changed::map-tiles",
                           G_CALLBACK (tiles_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::map-pack",
                           G_CALLBACK (tiles_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::tile-url-template",
                           G_CALLBACK (tiles_changed_cb), self, G_CONNECT_SWAPPED);

  /* The map: the last viewport (by default the Kathmandu valley); a source
   * first (it bounds the zoom), then where to look. */
  shumate_simple_map_set_show_zoom_buttons (self->simple_map, TRUE);
  name_zoom_buttons (GTK_WIDGET (self->simple_map));
  rl_map_page_source_init (self, G_ACTION_MAP (group));
  rl_map_page_apply_tiles (self);
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_map_center_on (map, latitude, longitude);

  g_signal_connect_object (viewport, "notify::latitude",
                           G_CALLBACK (viewport_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude",
                           G_CALLBACK (viewport_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::zoom-level",
                           G_CALLBACK (viewport_changed_cb), self, G_CONNECT_SWAPPED);
}

void
rl_map_page_tiles_dispose (RlMapPage *self)
{
  if (self->simple_map != NULL)
    g_signal_handlers_disconnect_by_data (shumate_simple_map_get_viewport (self->simple_map), self);
  if (self->save_viewport_id != 0)
    {
      g_source_remove (self->save_viewport_id);
      save_viewport_cb (self);
    }
  g_clear_object (&self->mbtiles);
  rl_map_page_source_dispose (self);
}
