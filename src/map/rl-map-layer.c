/* rl-map-layer.c — every drop point of a city on one ShumateLayer: data,
 * filter, selection, pointer and keyboard, tooltips and accessibility.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Symbols and descriptions live in rl-map-layer-draw.c, frames (the cached
 * raster, hit testing) in rl-map-layer-cache.c.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "rl-map-layer-private.h"

G_DEFINE_FINAL_TYPE (RlMapLayer, rl_map_layer, SHUMATE_TYPE_LAYER)

enum
{
  PROP_0,
  PROP_SELECTED_ID,
  PROP_N_POINTS,
  PROP_DRAW_BACKGROUND,
  PROP_N_SHOWN,
  N_PROPS
};

enum
{
  ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static void
clear_points (RlMapLayer *self)
{
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->ids, g_free);
  g_clear_pointer (&self->names, g_free);
  g_clear_pointer (&self->fill, g_free);
  g_clear_pointer (&self->flags, g_free);
  g_clear_pointer (&self->classes, g_free);
  g_clear_pointer (&self->last_ms, g_free);
  g_clear_pointer (&self->hidden, g_free);
  g_clear_pointer (&self->index, rl_geo_index_free);
  for (guint l = 0; l <= RL_MAP_MAX_LEVEL; l++)
    g_clear_pointer (&self->clusters[l], rl_geo_clusters_free);
  g_hash_table_remove_all (self->by_id);
  /* The last frame's items point into what was just freed. */
  rl_map_layer_invalidate (self);
  rl_map_layer_cache_clear (self);
  g_array_set_size (self->drawn, 0);
  self->n = 0;
  self->n_shown = 0;
}

/* Clusters count shown points only: drop them all, they are rebuilt lazily. */
static void
clear_clusters (RlMapLayer *self)
{
  rl_map_layer_invalidate (self);
  for (guint l = 0; l <= RL_MAP_MAX_LEVEL; l++)
    g_clear_pointer (&self->clusters[l], rl_geo_clusters_free);
}

static void
update_accessible_description (RlMapLayer *self)
{
  g_autofree char *text = NULL;

  if (self->selected >= 0)
    text = rl_map_layer_dup_description (self, self->ids[self->selected]);
  else
    text = g_strdup_printf (
        ngettext ("%u drop point. Arrow keys move between points, Enter opens one.",
                  "%u drop points. Arrow keys move between points, Enter opens one.",
                  self->n_shown),
        self->n_shown);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
set_selected_index (RlMapLayer *self,
                    gint        index)
{
  if (self->selected == index)
    return;
  self->selected = index;
  update_accessible_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ID]);
}

static void
center_on_point (RlMapLayer *self,
                 guint       i)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double           x, y, lat, lon;

  rl_geo_index_get_point (self->index, i, &x, &y);
  rl_geo_unproject (x, y, &lat, &lon);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
}

/* ---- Keyboard (actions, so tests and shortcuts use the same path) ------- */

static gint
nearest_to_center (RlMapLayer *self)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double           cx, cy;

  rl_geo_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                  shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                  &cx, &cy);
  return rl_geo_index_nearest (self->index, cx, cy);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RlMapLayer *self = RL_MAP_LAYER (widget);
  int         dx, dy;
  gint        next;

  if (self->n_shown == 0)
    return;
  g_variant_get (parameter, "(ii)", &dx, &dy);
  if (self->selected < 0)
    next = nearest_to_center (self);
  else if (dx == 0 && dy == 0)
    return;
  else
    next = rl_geo_index_nearest_in_direction (self->index, (guint) self->selected, dx, dy);
  if (next < 0)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  set_selected_index (self, next);
  center_on_point (self, (guint) next);
}

static void
activate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RlMapLayer *self = RL_MAP_LAYER (widget);

  if (self->selected >= 0)
    g_signal_emit (self, signals[ACTIVATED], 0, self->ids[self->selected]);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  set_selected_index (RL_MAP_LAYER (widget), -1);
}

/* ---- Pointer ------------------------------------------------------------ */

static gboolean
rl_map_layer_contains (GtkWidget *widget,
                       double     x,
                       double     y)
{
  /* Only symbols take the pointer: drags elsewhere reach the map, and other
   * layers below stay usable. */
  return rl_map_layer_pick (RL_MAP_LAYER (widget), x, y) != NULL;
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   RlMapLayer      *self)
{
  if (n_press != 1)
    return;
  if (rl_map_layer_select_at (self, x, y))
    gtk_widget_grab_focus (GTK_WIDGET (self));
}

static gboolean
rl_map_layer_query_tooltip (GtkWidget  *widget,
                            int         x,
                            int         y,
                            gboolean    keyboard,
                            GtkTooltip *tooltip)
{
  RlMapLayer      *self = RL_MAP_LAYER (widget);
  g_autofree char *text = NULL;

  if (keyboard)
    {
      if (self->selected < 0)
        return FALSE;
      text = rl_map_layer_dup_description (self, self->ids[self->selected]);
    }
  else
    {
      text = rl_map_layer_dup_description_at (self, x, y);
      if (text == NULL)
        return FALSE;
    }
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

char *
rl_map_layer_dup_description_at (RlMapLayer *self,
                                 double      x,
                                 double      y)
{
  const DrawnItem *item;

  g_return_val_if_fail (RL_IS_MAP_LAYER (self), NULL);

  item = rl_map_layer_pick (self, x, y);
  if (item == NULL)
    return NULL;
  if (item->kind == DRAWN_POINT)
    return rl_map_layer_dup_description (self, self->ids[item->index]);
  return rl_map_layer_dup_cluster_description (
      self, rl_geo_clusters_get (self->clusters[self->frame_level], item->index));
}

/* ---- Redraws ------------------------------------------------------------ */

static gboolean
data_redraw_cb (gpointer user_data)
{
  RlMapLayer *self = user_data;

  self->redraw_source = 0;
  self->last_data_redraw_us = g_get_monotonic_time ();
  self->data_redraws++;
  rl_map_layer_invalidate_data (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_data_redraw (RlMapLayer *self)
{
  gint64 period_us = G_USEC_PER_SEC / RL_MAP_LAYER_MAX_DATA_REDRAWS_PER_S;
  gint64 since_us;

  if (self->redraw_source != 0)
    return;
  since_us = g_get_monotonic_time () - self->last_data_redraw_us;
  self->redraw_source =
      g_timeout_add (since_us >= period_us ? 0 : (guint) ((period_us - since_us) / 1000 + 1),
                     data_redraw_cb, self);
  g_source_set_name_by_id (self->redraw_source, "[reloop] map data redraw");
}

/* ---- GObject / GtkWidget ------------------------------------------------ */

static void
rl_map_layer_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  rl_map_layer_snapshot_points (RL_MAP_LAYER (widget), snapshot);
}

static void
rl_map_layer_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (rl_map_layer_parent_class)->css_changed (widget, change);
  /* Cached count labels carry the old font. */
  g_hash_table_remove_all (RL_MAP_LAYER (widget)->labels);
  rl_map_layer_invalidate (RL_MAP_LAYER (widget));
}

static void
rl_map_layer_unrealize (GtkWidget *widget)
{
  /* The cached raster belongs to this surface and renderer. */
  rl_map_layer_cache_clear (RL_MAP_LAYER (widget));
  GTK_WIDGET_CLASS (rl_map_layer_parent_class)->unrealize (widget);
}

static void
rl_map_layer_constructed (GObject *object)
{
  RlMapLayer      *self = RL_MAP_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (rl_map_layer_parent_class)->constructed (object);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_signal_connect_object (viewport, "notify", G_CALLBACK (rl_map_layer_viewport_changed),
                           self, G_CONNECT_SWAPPED);
}

static void
rl_map_layer_dispose (GObject *object)
{
  RlMapLayer *self = RL_MAP_LAYER (object);

  g_clear_handle_id (&self->redraw_source, g_source_remove);
  g_clear_handle_id (&self->viewport_idle, g_source_remove);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_hash_table_remove_all (self->labels);
  rl_map_layer_cache_clear (self);
  rl_map_layer_tiles_dispose (self);

  G_OBJECT_CLASS (rl_map_layer_parent_class)->dispose (object);
}

static void
rl_map_layer_finalize (GObject *object)
{
  RlMapLayer *self = RL_MAP_LAYER (object);

  clear_points (self);
  g_clear_pointer (&self->shown_ids, g_hash_table_unref);
  g_hash_table_unref (self->by_id);
  g_hash_table_unref (self->labels);
  g_array_unref (self->drawn);
  g_array_unref (self->scratch);
  g_array_unref (self->tile_items);
  g_clear_pointer (&self->tile_surface, cairo_surface_destroy);
  g_array_unref (self->dirty);
  g_clear_pointer (&self->labels_pending, g_array_unref);
  g_clear_pointer (&self->cache.items, g_array_unref);

  G_OBJECT_CLASS (rl_map_layer_parent_class)->finalize (object);
}

static void
rl_map_layer_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RlMapLayer *self = RL_MAP_LAYER (object);

  switch (prop_id)
    {
    case PROP_SELECTED_ID:
      g_value_set_string (value, rl_map_layer_get_selected_id (self));
      break;
    case PROP_N_POINTS:
      g_value_set_uint (value, self->n);
      break;
    case PROP_DRAW_BACKGROUND:
      g_value_set_boolean (value, self->draw_background);
      break;
    case PROP_N_SHOWN:
      g_value_set_uint (value, self->n_shown);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_map_layer_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  RlMapLayer *self = RL_MAP_LAYER (object);

  switch (prop_id)
    {
    case PROP_SELECTED_ID:
      rl_map_layer_set_selected_id (self, g_value_get_string (value));
      break;
    case PROP_DRAW_BACKGROUND:
      rl_map_layer_set_draw_background (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_map_layer_class_init (RlMapLayerClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const struct
  {
    guint key;
    int   dx, dy;
  } arrows[] = {
    { GDK_KEY_Left, -1, 0 },
    { GDK_KEY_KP_Left, -1, 0 },
    { GDK_KEY_Right, 1, 0 },
    { GDK_KEY_KP_Right, 1, 0 },
    { GDK_KEY_Up, 0, -1 },
    { GDK_KEY_KP_Up, 0, -1 },
    { GDK_KEY_Down, 0, 1 },
    { GDK_KEY_KP_Down, 0, 1 },
  };

  object_class->constructed = rl_map_layer_constructed;
  object_class->dispose = rl_map_layer_dispose;
  object_class->finalize = rl_map_layer_finalize;
  object_class->get_property = rl_map_layer_get_property;
  object_class->set_property = rl_map_layer_set_property;

  widget_class->snapshot = rl_map_layer_snapshot;
  widget_class->contains = rl_map_layer_contains;
  widget_class->query_tooltip = rl_map_layer_query_tooltip;
  widget_class->css_changed = rl_map_layer_css_changed;
  widget_class->unrealize = rl_map_layer_unrealize;

  properties[PROP_SELECTED_ID] =
      g_param_spec_string ("selected-id", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_POINTS] =
      g_param_spec_uint ("n-points", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DRAW_BACKGROUND] =
      g_param_spec_boolean ("draw-background", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Points shown by the filter (rl_map_layer_set_shown_ids), n-points without one. */
  properties[PROP_N_SHOWN] =
      g_param_spec_uint ("n-shown", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RlMapLayer::activated:
   * @id: the drop point's id
   *
   * Enter on the selection, or a click on the selected point: open it.
   */
  signals[ACTIVATED] =
      g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "map-layer.move", "(ii)", move_action);
  gtk_widget_class_install_action (widget_class, "map-layer.activate", NULL, activate_action);
  gtk_widget_class_install_action (widget_class, "map-layer.clear", NULL, clear_action);
  for (guint k = 0; k < G_N_ELEMENTS (arrows); k++)
    gtk_widget_class_add_binding_action (widget_class, arrows[k].key, 0, "map-layer.move",
                                         "(ii)", arrows[k].dx, arrows[k].dy);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "map-layer.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "map-layer.activate",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, 0, "map-layer.activate",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "map-layer.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "map-layer.clear", NULL);

  gtk_widget_class_set_css_name (widget_class, "rl-map-layer");
}

static void
rl_map_layer_init (RlMapLayer *self)
{
  GtkGesture *click;

  self->selected = -1;
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->drawn = g_array_new (FALSE, FALSE, sizeof (DrawnItem));
  self->scratch = g_array_new (FALSE, FALSE, sizeof (guint));
  self->tile_items = g_array_new (FALSE, FALSE, sizeof (DrawnItem));
  self->dirty = g_array_new (FALSE, FALSE, sizeof (RlMapDirtyPoint));
  g_queue_init (&self->tile_queue);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Drop points map"),
                                  -1);
  update_accessible_description (self);
}

/* Recomputes the mask from shown_ids (kept by id across set_points). */
static void
apply_filter (RlMapLayer *self)
{
  g_clear_pointer (&self->hidden, g_free);
  clear_clusters (self);
  self->n_shown = self->n;
  if (self->shown_ids != NULL && self->n > 0)
    {
      self->hidden = g_new (guint8, self->n);
      self->n_shown = 0;
      for (guint i = 0; i < self->n; i++)
        {
          self->hidden[i] = !g_hash_table_contains (self->shown_ids, self->ids[i]);
          self->n_shown += !self->hidden[i];
        }
    }
  if (self->index != NULL)
    rl_geo_index_set_hidden (self->index, self->hidden);
  /* The last frame may show points that are hidden now: nothing is
   * hit-tested until the next one. */
  rl_map_layer_cache_clear (self);
  g_array_set_size (self->drawn, 0);
}

static inline gboolean
is_hidden (RlMapLayer *self,
           guint       i)
{
  return self->hidden != NULL && self->hidden[i];
}

/* ---- Public API --------------------------------------------------------- */

RlMapLayer *
rl_map_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (RL_TYPE_MAP_LAYER, "viewport", viewport, NULL);
}

void
rl_map_layer_set_points (RlMapLayer        *self,
                         const RlMapPoints *points)
{
  g_autofree char   *keep_id = NULL;
  g_autofree double *xs = NULL;
  g_autofree double *ys = NULL;
  guint              n, n_shown_before = self->n_shown;

  g_return_if_fail (RL_IS_MAP_LAYER (self));
  g_return_if_fail (points != NULL);
  g_return_if_fail (
      points->n == 0
      || (points->ids != NULL && points->latitudes != NULL && points->longitudes != NULL));

  if (self->selected >= 0)
    keep_id = g_strdup (self->ids[self->selected]);
  clear_points (self);

  n = points->n;
  self->n = n;
  self->strings = g_string_chunk_new (64 * 1024);
  self->ids = g_new (const char *, MAX (n, 1));
  self->names = g_new (const char *, MAX (n, 1));
  self->fill = g_new (float, MAX (n, 1));
  self->flags = g_new (guint8, MAX (n, 1));
  self->classes = g_new (guint8, MAX (n, 1));
  self->last_ms = g_new (gint64, MAX (n, 1));
  xs = g_new (double, MAX (n, 1));
  ys = g_new (double, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      double fill = points->fill_levels != NULL ? points->fill_levels[i] : NAN;

      self->ids[i] = g_string_chunk_insert (self->strings, points->ids[i]);
      self->names[i] = points->names != NULL && points->names[i] != NULL
                           ? g_string_chunk_insert (self->strings, points->names[i])
                           : self->ids[i];
      self->fill[i] = (float) fill;
      self->flags[i] = points->flags != NULL ? points->flags[i] : 0;
      self->classes[i] = rl_map_class_for (fill, self->flags[i]);
      self->last_ms[i] = points->last_reading_ms != NULL ? points->last_reading_ms[i] : 0;
      rl_geo_project (points->latitudes[i], points->longitudes[i], &xs[i], &ys[i]);
      g_hash_table_insert (self->by_id, (gpointer) self->ids[i], GUINT_TO_POINTER (i + 1));
    }
  self->index = rl_geo_index_new (xs, ys, n);
  /* The filter is kept by id: the stored set applies to the new points. */
  apply_filter (self);

  self->selected = -1;
  if (keep_id != NULL)
    {
      gpointer found = g_hash_table_lookup (self->by_id, keep_id);

      if (found != NULL && !is_hidden (self, GPOINTER_TO_UINT (found) - 1))
        self->selected = (gint) GPOINTER_TO_UINT (found) - 1;
      else
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ID]);
    }
  update_accessible_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POINTS]);
  if (n_shown_before != self->n_shown)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SHOWN]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
rl_map_layer_update_points (RlMapLayer        *self,
                            guint              n,
                            const char *const *ids,
                            const double      *fill_levels,
                            const guint8      *flags,
                            const gint64      *last_reading_ms)
{
  guint    found = 0;
  gboolean drawn_differently = FALSE;

  g_return_val_if_fail (RL_IS_MAP_LAYER (self), 0);
  g_return_val_if_fail (n == 0 || (ids != NULL && fill_levels != NULL && flags != NULL), 0);

  for (guint k = 0; k < n; k++)
    {
      gpointer hit = g_hash_table_lookup (self->by_id, ids[k]);
      guint    i;
      guint8   klass, old_flags;

      if (hit == NULL)
        continue;
      i = GPOINTER_TO_UINT (hit) - 1;
      found++;
      old_flags = self->flags[i];
      self->fill[i] = (float) fill_levels[k];
      self->flags[i] = flags[k];
      if (last_reading_ms != NULL)
        self->last_ms[i] = last_reading_ms[k];
      klass = rl_map_class_for (fill_levels[k], flags[k]);
      /* The symbol is its class and the alert mark: only a change of
       * those redraws the tiles around it. */
      if (klass != self->classes[i] || ((flags[k] ^ old_flags) & RL_MAP_POINT_ALERT) != 0)
        {
          rl_map_layer_mark_dirty (self, i);
          drawn_differently = TRUE;
        }
      /* Hidden points are in no cluster (they are counted again when the
       * filter changes, which rebuilds the clusters). */
      if (klass != self->classes[i] && !is_hidden (self, i))
        {
          /* Positions do not move, so cached clusters only shift counts;
           * their badges' tiles are drawn again. */
          for (guint l = 0; l <= RL_MAP_MAX_LEVEL; l++)
            if (self->clusters[l] != NULL)
              {
                gint c = rl_geo_clusters_get_cluster_of (self->clusters[l], i);

                rl_geo_clusters_reclassify (self->clusters[l], i, self->classes[i], klass);
                if (c >= 0)
                  {
                    const RlGeoCluster *cl = rl_geo_clusters_get (self->clusters[l], (guint) c);

                    rl_map_layer_mark_dirty_at (self, cl->x, cl->y);
                  }
              }
        }
      self->classes[i] = klass;
      if ((gint) i == self->selected)
        update_accessible_description (self);
    }
  /* A reading that keeps every symbol as it was changes no pixel: no frame
   * (the fill level and age are read when asked: tooltip, description). */
  if (drawn_differently)
    schedule_data_redraw (self);
  return found;
}

gboolean
rl_map_layer_get_point_state (RlMapLayer *self,
                              const char *id,
                              double     *fill_level,
                              guint8     *flags)
{
  gpointer hit;
  guint    i;

  g_return_val_if_fail (RL_IS_MAP_LAYER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  hit = g_hash_table_lookup (self->by_id, id);
  if (hit == NULL)
    return FALSE;
  i = GPOINTER_TO_UINT (hit) - 1;
  if (fill_level != NULL)
    *fill_level = self->fill[i];
  if (flags != NULL)
    *flags = self->flags[i];
  return TRUE;
}

guint
rl_map_layer_get_n_points (RlMapLayer *self)
{
  g_return_val_if_fail (RL_IS_MAP_LAYER (self), 0);
  return self->n;
}

void
rl_map_layer_set_draw_background (RlMapLayer *self,
                                  gboolean    draw_background)
{
  g_return_if_fail (RL_IS_MAP_LAYER (self));

  draw_background = !!draw_background;
  if (self->draw_background == draw_background)
    return;
  self->draw_background = draw_background;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAW_BACKGROUND]);
}

gboolean
rl_map_layer_get_draw_background (RlMapLayer *self)
{
  g_return_val_if_fail (RL_IS_MAP_LAYER (self), FALSE);
  return self->draw_background;
}

const char *
rl_map_layer_get_selected_id (RlMapLayer *self)
{
  g_return_val_if_fail (RL_IS_MAP_LAYER (self), NULL);
  return self->selected >= 0 ? self->ids[self->selected] : NULL;
}

gboolean
rl_map_layer_set_selected_id (RlMapLayer *self,
                              const char *id)
{
  gpointer found;

  g_return_val_if_fail (RL_IS_MAP_LAYER (self), FALSE);

  if (id == NULL)
    {
      set_selected_index (self, -1);
      return TRUE;
    }
  found = g_hash_table_lookup (self->by_id, id);
  /* A point the filter hides cannot be selected. */
  if (found == NULL || is_hidden (self, GPOINTER_TO_UINT (found) - 1))
    return FALSE;
  set_selected_index (self, (gint) GPOINTER_TO_UINT (found) - 1);
  return TRUE;
}

gboolean
rl_map_layer_select_at (RlMapLayer *self,
                        double      x,
                        double      y)
{
  const DrawnItem *item;

  g_return_val_if_fail (RL_IS_MAP_LAYER (self), FALSE);

  item = rl_map_layer_pick (self, x, y);
  if (item == NULL)
    return FALSE;

  if (item->kind == DRAWN_POINT)
    {
      if ((gint) item->index == self->selected)
        g_signal_emit (self, signals[ACTIVATED], 0, self->ids[item->index]);
      else
        set_selected_index (self, (gint) item->index);
    }
  else
    {
      /* Into the cluster: centre on it, two zoom levels closer. */
      ShumateViewport    *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
      const RlGeoCluster *c = rl_geo_clusters_get (self->clusters[self->frame_level], item->index);
      double              lat, lon;

      rl_geo_unproject (c->x, c->y, &lat, &lon);
      shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
      shumate_viewport_set_zoom_level (viewport, shumate_viewport_get_zoom_level (viewport) + 2);
    }
  return TRUE;
}

guint
rl_map_layer_set_shown_ids (RlMapLayer *self,
                            GHashTable *ids)
{
  guint n_shown_before;

  g_return_val_if_fail (RL_IS_MAP_LAYER (self), 0);

  n_shown_before = self->n_shown;
  g_clear_pointer (&self->shown_ids, g_hash_table_unref);
  if (ids != NULL)
    {
      GHashTableIter iter;
      gpointer       key;

      /* An own copy: the caller may change or drop its set, and the set is
       * applied again to the points of a later rl_map_layer_set_points. */
      self->shown_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_iter_init (&iter, ids);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (self->shown_ids, g_strdup (key));
    }
  apply_filter (self);

  if (self->selected >= 0 && is_hidden (self, (guint) self->selected))
    set_selected_index (self, -1);
  else
    update_accessible_description (self);
  if (n_shown_before != self->n_shown)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SHOWN]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return self->n_shown;
}

guint
rl_map_layer_get_n_shown (RlMapLayer *self)
{
  g_return_val_if_fail (RL_IS_MAP_LAYER (self), 0);
  return self->n_shown;
}

gboolean
rl_map_layer_get_point_location (RlMapLayer *self,
                                 const char *id,
                                 double     *latitude,
                                 double     *longitude)
{
  gpointer found;
  double   x, y, lat, lon;

  g_return_val_if_fail (RL_IS_MAP_LAYER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  found = g_hash_table_lookup (self->by_id, id);
  if (found == NULL)
    return FALSE;
  rl_geo_index_get_point (self->index, GPOINTER_TO_UINT (found) - 1, &x, &y);
  rl_geo_unproject (x, y, &lat, &lon);
  if (latitude != NULL)
    *latitude = lat;
  if (longitude != NULL)
    *longitude = lon;
  return TRUE;
}
