/* rl-map-page-select.c — the map page's count, side panel, selection and
 * search: what a click, a key, a search result or "Show on Map" does.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "rl-map-page-private.h"

/* A click this recent (µs) on the layer means a selection came from the
 * pointer: it opens the panel. Arrow keys only move the selection. */
#define POINTER_SELECT_WINDOW_US (G_USEC_PER_SEC / 2)
/* Street level: a point found by search or the dispatch list. */
#define SHOW_POINT_ZOOM 17.0

/* ---- Count ---------------------------------------------------------- */

/* 12345 → "12,345" (the locale's grouping, "," when it has none). */
static char *
format_count (guint n)
{
  const char      *sep = localeconv ()->thousands_sep;
  g_autofree char *digits = g_strdup_printf ("%u", n);
  GString         *out = g_string_new (NULL);
  gsize            len = strlen (digits);

  if (sep == NULL || *sep == '\0')
    sep = ",";
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* The count label's closure (ui/rl-map-page.ui, bound to the layer's
 * n-points and n-shown): "2,000 drop points", "12 of 2,000 drop points". */
char *
rl_map_page_count_closure (gpointer this_,
                           guint    total,
                           guint    shown)
{
  g_autofree char *total_text = format_count (total);
  g_autofree char *shown_text = format_count (shown);

  if (shown == total)
    /* Translators: %s is a number such as 2,000. */
    return g_strdup_printf (ngettext ("%s drop point", "%s drop points", total), total_text);
  /* Translators: "12 of 2,000 drop points" (matching the search and filters). */
  return g_strdup_printf (ngettext ("%s of %s drop point", "%s of %s drop points", total),
                          shown_text, total_text);
}

void
rl_map_page_apply_shown_ids (RlMapPage *self)
{
  GHashTable *ids = NULL;

  if (self->search != NULL)
    ids = rl_map_search_get_shown_ids (self->search);
  rl_map_layer_set_shown_ids (self->layer, ids);
}

/* ---- Side panel --------------------------------------------------------- */

const char *
rl_map_page_get_side_panel (RlMapPage *self)
{
  g_return_val_if_fail (RL_IS_MAP_PAGE (self), NULL);

  if (!adw_flap_get_reveal_flap (self->flap))
    return NULL;
  return gtk_stack_get_visible_child_name (self->flap_stack);
}

static void
sync_dispatch_button (RlMapPage *self)
{
  self->syncing_toggle = TRUE;
  gtk_toggle_button_set_active (self->dispatch_button,
                                g_strcmp0 (rl_map_page_get_side_panel (self), "dispatch") == 0);
  self->syncing_toggle = FALSE;
}

void
rl_map_page_set_side_panel (RlMapPage  *self,
                            const char *name)
{
  g_return_if_fail (RL_IS_MAP_PAGE (self));

  if (name == NULL)
    adw_flap_set_reveal_flap (self->flap, FALSE);
  else
    {
      gtk_stack_set_visible_child_name (self->flap_stack, name);
      adw_flap_set_reveal_flap (self->flap, TRUE);
      if (g_str_equal (name, "dispatch"))
        rl_dispatch_list_refresh (self->dispatch_list);
    }
  sync_dispatch_button (self);
}

static void
open_panel_on (RlMapPage  *self,
               const char *id)
{
  if (g_strcmp0 (rl_drop_point_panel_get_drop_point_id (self->panel), id) != 0)
    rl_drop_point_panel_set_drop_point_id (self->panel, id);
  rl_map_page_set_side_panel (self, "panel");
}

void
rl_map_page_close_flap_cb (RlMapPage *self)
{
  rl_map_page_set_side_panel (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->layer));
}

void
rl_map_page_dispatch_toggled_cb (RlMapPage *self)
{
  if (self->syncing_toggle)
    return;
  if (gtk_toggle_button_get_active (self->dispatch_button))
    rl_map_page_set_side_panel (self, "dispatch");
  else if (g_strcmp0 (rl_map_page_get_side_panel (self), "dispatch") == 0)
    rl_map_page_set_side_panel (self, NULL);
}

/* ---- Selection ------------------------------------------------------------ */

static void
selected_id_changed_cb (RlMapPage *self)
{
  const char *id = rl_map_layer_get_selected_id (self->layer);
  gboolean    panel_open = g_strcmp0 (rl_map_page_get_side_panel (self), "panel") == 0;

  if (id == NULL)
    {
      /* Escape on the map (or the point was filtered out). */
      if (panel_open)
        rl_map_page_set_side_panel (self, NULL);
      return;
    }
  if (panel_open || g_get_monotonic_time () - self->last_pointer_us < POINTER_SELECT_WINDOW_US)
    open_panel_on (self, id);
}

static void
layer_activated_cb (RlMapPage  *self,
                    const char *id)
{
  open_panel_on (self, id);
}

static void
layer_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  RlMapPage       *self)
{
  self->last_pointer_us = g_get_monotonic_time ();
}

gboolean
rl_map_page_show_point (RlMapPage  *self,
                        const char *id)
{
  ShumateMap      *map;
  ShumateViewport *viewport;
  double           latitude, longitude;

  g_return_val_if_fail (RL_IS_MAP_PAGE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!rl_map_layer_get_point_location (self->layer, id, &latitude, &longitude))
    return FALSE;
  if (!rl_map_layer_set_selected_id (self->layer, id))
    return FALSE; /* hidden by the search or the filters */

  map = shumate_simple_map_get_map (self->simple_map);
  viewport = shumate_map_get_viewport (map);
  if (shumate_viewport_get_zoom_level (viewport) < SHOW_POINT_ZOOM)
    shumate_viewport_set_zoom_level (viewport, SHOW_POINT_ZOOM);
  shumate_map_center_on (map, latitude, longitude);
  open_panel_on (self, id);
  return TRUE;
}

static void
show_on_map_cb (RlMapPage  *self,
                const char *id)
{
  if (!rl_map_page_show_point (self, id))
    rl_map_page_toast (self, _ ("This drop point is hidden by the search or the filters."));
}

/* ---- Search ---------------------------------------------------------------- */

static void
search_shown_ids_cb (RlMapPage *self)
{
  rl_map_page_apply_shown_ids (self);
}

static void
search_point_activated_cb (RlMapPage  *self,
                           const char *id)
{
  rl_map_page_show_point (self, id);
}

static void
search_view_activated_cb (RlMapPage *self,
                          double     latitude,
                          double     longitude,
                          double     zoom)
{
  ShumateMap *map = shumate_simple_map_get_map (self->simple_map);

  shumate_viewport_set_zoom_level (shumate_map_get_viewport (map), zoom);
  shumate_map_center_on (map, latitude, longitude);
}

static gboolean
focus_search_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  RlMapPage *self = RL_MAP_PAGE (widget);

  if (!gtk_widget_get_mapped (widget) || self->search == NULL
      || !gtk_widget_is_sensitive (GTK_WIDGET (self->search)))
    return FALSE;
  return gtk_widget_grab_focus (GTK_WIDGET (self->search));
}

/* ---- Set-up ---------------------------------------------------------------- */

void
rl_map_page_select_init (RlMapPage *self)
{
  GtkEventController *click;
  GtkEventController *shortcuts;

  g_signal_connect_object (self->layer, "notify::selected-id",
                           G_CALLBACK (selected_id_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->layer, "activated",
                           G_CALLBACK (layer_activated_cb), self, G_CONNECT_SWAPPED);
  /* Before the layer's own click (bubble phase): note that a pointer is
   * selecting, so the selection opens the panel. */
  click = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_propagation_phase (click, GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (layer_pressed_cb), self);
  g_signal_connect (click, "released", G_CALLBACK (layer_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->layer), click);

  self->search = RL_MAP_SEARCH (rl_map_search_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->search), TRUE);
  gtk_box_append (self->search_box, GTK_WIDGET (self->search));
  rl_map_search_set_toast_overlay (self->search, self->toast_overlay);
  g_signal_connect_object (self->search, "notify::shown-ids",
                           G_CALLBACK (search_shown_ids_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search, "point-activated",
                           G_CALLBACK (search_point_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search, "view-activated",
                           G_CALLBACK (search_view_activated_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->dispatch_list, "show-on-map",
                           G_CALLBACK (show_on_map_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::reveal-flap",
                           G_CALLBACK (sync_dispatch_button), self, G_CONNECT_SWAPPED);

  /* Ctrl+F from anywhere in the window (the class binding only works with
   * the focus inside the page). */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (shortcuts),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f, GDK_CONTROL_MASK),
                        gtk_callback_action_new (focus_search_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}
