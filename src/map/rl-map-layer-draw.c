/* rl-map-layer-draw.c — RlMapLayer's snapshot: symbols, clusters, culling.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is GtkSnapshot nodes (colors, rounded clips, borders, a conic
 * gradient for a cluster's ring): no cairo per point. At most
 * RL_MAP_LAYER_MAX_ITEMS symbols are emitted per frame.
 */
#define G_LOG_DOMAIN "rl-map"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "rl-map-layer-private.h"

/* GNOME palette. */
static const char *const class_colors[RL_MAP_N_CLASSES] = {
  [RL_MAP_CLASS_LOW] = "#33d17a",
  [RL_MAP_CLASS_MEDIUM] = "#f6d32d",
  [RL_MAP_CLASS_HIGH] = "#ff7800",
  [RL_MAP_CLASS_FULL] = "#e01b24",
  [RL_MAP_CLASS_NO_READING] = "#c0bfbc",
  [RL_MAP_CLASS_STALE] = "#9a9996",
  [RL_MAP_CLASS_OFFLINE] = "#5e5c64",
  [RL_MAP_CLASS_MAINTENANCE] = "#3584e4",
  [RL_MAP_CLASS_RETIRED] = "#77767b",
};

/* Order in which a cluster takes its colour and lays out its ring. */
static const RlMapClass severity[RL_MAP_N_CLASSES] = {
  RL_MAP_CLASS_FULL, RL_MAP_CLASS_OFFLINE, RL_MAP_CLASS_HIGH, RL_MAP_CLASS_STALE,
  RL_MAP_CLASS_MEDIUM, RL_MAP_CLASS_LOW, RL_MAP_CLASS_NO_READING,
  RL_MAP_CLASS_MAINTENANCE, RL_MAP_CLASS_RETIRED,
};

static const GdkRGBA white = { 1, 1, 1, 1 };
static const GdkRGBA ink = { 0x24 / 255.f, 0x1f / 255.f, 0x31 / 255.f, 1 };
static const GdkRGBA accent = { 0x1c / 255.f, 0x71 / 255.f, 0xd8 / 255.f, 1 };
static const GdkRGBA alert_red = { 0xc0 / 255.f, 0x1c / 255.f, 0x28 / 255.f, 1 };
static const GdkRGBA land = { 0xf2 / 255.f, 0xef / 255.f, 0xe9 / 255.f, 1 };

RlMapClass
rl_map_class_for (double fill_level,
                  guint  flags)
{
  if (flags & RL_MAP_POINT_RETIRED)
    return RL_MAP_CLASS_RETIRED;
  if (flags & RL_MAP_POINT_MAINTENANCE)
    return RL_MAP_CLASS_MAINTENANCE;
  if (flags & RL_MAP_POINT_OFFLINE)
    return RL_MAP_CLASS_OFFLINE;
  if (flags & RL_MAP_POINT_STALE)
    return RL_MAP_CLASS_STALE;
  if (isnan (fill_level))
    return RL_MAP_CLASS_NO_READING;
  if (fill_level >= RL_MAP_FILL_FULL)
    return RL_MAP_CLASS_FULL;
  if (fill_level >= RL_MAP_FILL_HIGH)
    return RL_MAP_CLASS_HIGH;
  if (fill_level >= RL_MAP_FILL_MEDIUM)
    return RL_MAP_CLASS_MEDIUM;
  return RL_MAP_CLASS_LOW;
}

void
rl_map_class_get_color (RlMapClass  klass,
                        GdkRGBA    *out_color)
{
  g_return_if_fail (klass < RL_MAP_N_CLASSES);
  gdk_rgba_parse (out_color, class_colors[klass]);
}

const char *
rl_map_class_get_label (RlMapClass klass)
{
  switch (klass)
    {
    /* xgettext:no-c-format */
    case RL_MAP_CLASS_LOW: return _("Under 50 % full");
    /* xgettext:no-c-format */
    case RL_MAP_CLASS_MEDIUM: return _("50–75 % full");
    /* xgettext:no-c-format */
    case RL_MAP_CLASS_HIGH: return _("75–90 % full");
    /* xgettext:no-c-format */
    case RL_MAP_CLASS_FULL: return _("90 % full or more");
    case RL_MAP_CLASS_NO_READING: return _("No reading yet");
    case RL_MAP_CLASS_STALE: return _("Stale: no recent reading");
    case RL_MAP_CLASS_OFFLINE: return _("Offline");
    case RL_MAP_CLASS_MAINTENANCE: return _("In maintenance");
    case RL_MAP_CLASS_RETIRED: return _("Retired");
    case RL_MAP_N_CLASSES:
    default:
      g_return_val_if_reached ("");
    }
}

static void
append_disc (GtkSnapshot   *snapshot,
             float          x,
             float          y,
             float          r,
             const GdkRGBA *color)
{
  GskRoundedRect rr;

  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (x - r, y - r, 2 * r, 2 * r), r);
  gtk_snapshot_push_rounded_clip (snapshot, &rr);
  gtk_snapshot_append_color (snapshot, color, &rr.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
append_ring (GtkSnapshot   *snapshot,
             float          x,
             float          y,
             float          r,
             float          width,
             const GdkRGBA *color)
{
  GskRoundedRect rr;
  const float widths[4] = { width, width, width, width };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (x - r, y - r, 2 * r, 2 * r), r);
  gtk_snapshot_append_border (snapshot, &rr, widths, colors);
}

void
rl_map_class_snapshot_symbol (RlMapClass   klass,
                              GtkSnapshot *snapshot,
                              float        x,
                              float        y,
                              float        r)
{
  GdkRGBA color;

  g_return_if_fail (klass < RL_MAP_N_CLASSES);
  rl_map_class_get_color (klass, &color);

  switch (klass)
    {
    case RL_MAP_CLASS_OFFLINE:
      /* A hollow ring: the last fill level is not trustworthy. */
      append_disc (snapshot, x, y, r + 1, &white);
      append_ring (snapshot, x, y, r, MAX (2.5f, r * 0.45f), &color);
      break;

    case RL_MAP_CLASS_STALE:
      /* A grey dot struck through by a dash. */
      append_disc (snapshot, x, y, r + 1, &white);
      append_disc (snapshot, x, y, r, &color);
      gtk_snapshot_append_color (snapshot, &ink,
                                 &GRAPHENE_RECT_INIT (x - r - 1, y - 1, 2 * r + 2, 2));
      break;

    case RL_MAP_CLASS_MAINTENANCE:
      /* A square. */
      gtk_snapshot_append_color (snapshot, &white,
                                 &GRAPHENE_RECT_INIT (x - r - 1, y - r - 1, 2 * r + 2, 2 * r + 2));
      gtk_snapshot_append_color (snapshot, &color,
                                 &GRAPHENE_RECT_INIT (x - r + 0.5f, y - r + 0.5f, 2 * r - 1, 2 * r - 1));
      break;

    case RL_MAP_CLASS_RETIRED:
      /* A small cross. */
      {
        float t = MAX (2.f, r * 0.4f);

        gtk_snapshot_append_color (snapshot, &white,
                                   &GRAPHENE_RECT_INIT (x - r - 1, y - t / 2 - 1, 2 * r + 2, t + 2));
        gtk_snapshot_append_color (snapshot, &white,
                                   &GRAPHENE_RECT_INIT (x - t / 2 - 1, y - r - 1, t + 2, 2 * r + 2));
        gtk_snapshot_append_color (snapshot, &color,
                                   &GRAPHENE_RECT_INIT (x - r, y - t / 2, 2 * r, t));
        gtk_snapshot_append_color (snapshot, &color,
                                   &GRAPHENE_RECT_INIT (x - t / 2, y - r, t, 2 * r));
      }
      break;

    case RL_MAP_CLASS_NO_READING:
      append_disc (snapshot, x, y, r + 1, &white);
      append_disc (snapshot, x, y, r, &color);
      append_ring (snapshot, x, y, r, 1.5f, &ink);
      break;

    case RL_MAP_CLASS_LOW:
    case RL_MAP_CLASS_MEDIUM:
    case RL_MAP_CLASS_HIGH:
    case RL_MAP_CLASS_FULL:
    case RL_MAP_N_CLASSES:
    default:
      append_disc (snapshot, x, y, r + 1.5f, &white);
      append_disc (snapshot, x, y, r, &color);
      break;
    }
}

RlMapClass
rl_map_layer_worst_class (const RlGeoCluster *cluster)
{
  for (guint k = 0; k < RL_MAP_N_CLASSES; k++)
    if (cluster->class_counts[severity[k]] > 0)
      return severity[k];
  return RL_MAP_CLASS_NO_READING;
}

RlGeoClusters *
rl_map_layer_get_clusters (RlMapLayer *self,
                           guint       level)
{
  g_assert (level <= RL_MAP_MAX_LEVEL);

  if (self->index == NULL)
    return NULL;
  if (self->clusters[level] == NULL)
    {
      gint64 t0 = g_get_monotonic_time ();

      self->clusters[level] = rl_geo_clusters_new (self->index, self->classes, level);
      g_debug ("clusters at level %u: %u in %.1f ms", level,
               rl_geo_clusters_get_n_clusters (self->clusters[level]),
               (g_get_monotonic_time () - t0) / 1000.0);
    }
  return self->clusters[level];
}

static PangoLayout *
label_for_count (RlMapLayer *self,
                 guint       count)
{
  char text[16];
  PangoLayout *layout;

  if (count < 10000)
    g_snprintf (text, sizeof text, "%u", count);
  else
    g_snprintf (text, sizeof text, "%uk", count / 1000);

  layout = g_hash_table_lookup (self->labels, text);
  if (layout == NULL)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_attr_list_insert (attrs, pango_attr_scale_new (0.82));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      g_hash_table_insert (self->labels, g_strdup (text), layout);
    }
  return layout;
}

static float
cluster_radius (guint count)
{
  return 12.f + 4.5f * (float) log10 (count);
}

static void
snapshot_cluster (RlMapLayer         *self,
                  GtkSnapshot        *snapshot,
                  const RlGeoCluster *c,
                  float               x,
                  float               y)
{
  float r = cluster_radius (c->count);
  RlMapClass worst = rl_map_layer_worst_class (c);
  GskColorStop stops[2 * RL_MAP_N_CLASSES];
  guint n_stops = 0, done = 0;
  GskRoundedRect rr;
  GdkRGBA color;
  PangoLayout *layout;
  int lw, lh;

  /* The ring: one arc per class, in severity order from 12 o'clock. */
  for (guint k = 0; k < RL_MAP_N_CLASSES; k++)
    {
      guint n = c->class_counts[severity[k]];

      if (n == 0)
        continue;
      rl_map_class_get_color (severity[k], &color);
      stops[n_stops++] = (GskColorStop) { (float) done / c->count, color };
      done += n;
      stops[n_stops++] = (GskColorStop) { (float) done / c->count, color };
    }

  append_disc (snapshot, x, y, r + 1.5f, &white);
  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (x - r, y - r, 2 * r, 2 * r), r);
  gtk_snapshot_push_rounded_clip (snapshot, &rr);
  if (n_stops >= 2)
    gtk_snapshot_append_conic_gradient (snapshot, &rr.bounds, &GRAPHENE_POINT_INIT (x, y),
                                        0, stops, n_stops);
  gtk_snapshot_pop (snapshot);

  rl_map_class_get_color (worst, &color);
  append_disc (snapshot, x, y, r - 4.5f, &white);
  append_disc (snapshot, x, y, r - 5.5f, &color);

  layout = label_for_count (self, c->count);
  pango_layout_get_pixel_size (layout, &lw, &lh);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (roundf (x - lw / 2.f), roundf (y - lh / 2.f)));
  switch (worst)
    {
    case RL_MAP_CLASS_LOW:
    case RL_MAP_CLASS_MEDIUM:
    case RL_MAP_CLASS_NO_READING:
    case RL_MAP_CLASS_STALE:
      gtk_snapshot_append_layout (snapshot, layout, &ink);
      break;
    case RL_MAP_CLASS_HIGH:
    case RL_MAP_CLASS_FULL:
    case RL_MAP_CLASS_OFFLINE:
    case RL_MAP_CLASS_MAINTENANCE:
    case RL_MAP_CLASS_RETIRED:
    case RL_MAP_N_CLASSES:
    default:
      gtk_snapshot_append_layout (snapshot, layout, &white);
      break;
    }
  gtk_snapshot_restore (snapshot);
}

static float
point_radius (double zoom)
{
  return zoom >= 16 ? 6.f : zoom >= 14 ? 5.f : 4.f;
}

static void
snapshot_point (RlMapLayer  *self,
                GtkSnapshot *snapshot,
                guint        i,
                float        x,
                float        y,
                float        r)
{
  rl_map_class_snapshot_symbol (self->classes[i], snapshot, x, y, r);
  if (self->flags[i] & RL_MAP_POINT_ALERT)
    append_ring (snapshot, x, y, r + 4, 2, &alert_red);
}

static void
add_drawn (RlMapLayer *self,
           float       x,
           float       y,
           float       r,
           DrawnKind   kind,
           guint       index)
{
  DrawnItem item = { x, y, r, kind, index };

  g_array_append_val (self->drawn, item);
}

void
rl_map_layer_snapshot_points (RlMapLayer  *self,
                              GtkSnapshot *snapshot)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *ref = shumate_viewport_get_reference_map_source (viewport);
  float w = gtk_widget_get_width (GTK_WIDGET (self));
  float h = gtk_widget_get_height (GTK_WIDGET (self));
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double rotation = shumate_viewport_get_rotation (viewport);
  double tile_size = ref != NULL ? shumate_map_source_get_tile_size (ref) : 256;
  double scale = tile_size * exp2 (zoom);
  double cx, cy, hw, hh, margin;
  double x0, y0, x1, y1;
  float r = point_radius (zoom);
  gboolean use_points;
  guint level = 0;

  memset (&self->frame_stats, 0, sizeof self->frame_stats);
  g_array_set_size (self->drawn, 0);
  self->frame_w = w;
  self->frame_h = h;
  self->frame_rotation = rotation;

  if (self->draw_background)
    gtk_snapshot_append_color (snapshot, &land, &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (self->n == 0 || w <= 0 || h <= 0)
    return;

  rl_geo_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                  shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                  &cx, &cy);
  hw = w / 2.0 / scale;
  hh = h / 2.0 / scale;
  if (rotation != 0)
    hw = hh = hypot (w, h) / 2.0 / scale;
  /* Symbols overlapping the edge are drawn too. */
  margin = (cluster_radius (100000) + 4) / scale;
  x0 = cx - hw - margin;
  x1 = cx + hw + margin;
  y0 = cy - hh - margin;
  y1 = cy + hh + margin;

  if (rotation != 0)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (w / 2, h / 2));
      gtk_snapshot_rotate (snapshot, rotation * 180 / G_PI);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-w / 2, -h / 2));
    }

#define TO_X(wx) ((float) (((wx) - cx) * scale + w / 2.0))
#define TO_Y(wy) ((float) (((wy) - cy) * scale + h / 2.0))

  g_array_set_size (self->scratch, 0);
  use_points = zoom >= RL_MAP_LAYER_UNCLUSTER_ZOOM
               && rl_geo_index_query (self->index, x0, y0, x1, y1, self->scratch) <= RL_MAP_LAYER_MAX_ITEMS;

  if (use_points)
    {
      for (guint k = 0; k < self->scratch->len; k++)
        {
          guint i = g_array_index (self->scratch, guint, k);
          double px, py;

          rl_geo_index_get_point (self->index, i, &px, &py);
          snapshot_point (self, snapshot, i, TO_X (px), TO_Y (py), r);
          add_drawn (self, TO_X (px), TO_Y (py), r, DRAWN_POINT, i);
        }
      self->frame_stats.points = self->scratch->len;
    }
  else
    {
      RlGeoClusters *clusters = NULL;

      /* Coarser cells until the frame fits the item budget. */
      level = (guint) CLAMP (floor (zoom) + RL_MAP_LAYER_CLUSTER_LEVEL_OFFSET, 0, RL_MAP_MAX_LEVEL);
      for (;;)
        {
          g_array_set_size (self->scratch, 0);
          clusters = rl_map_layer_get_clusters (self, level);
          if (rl_geo_clusters_query (clusters, x0, y0, x1, y1, self->scratch) <= RL_MAP_LAYER_MAX_ITEMS
              || level == 0)
            break;
          level--;
        }

      for (guint k = 0; k < self->scratch->len; k++)
        {
          guint ci = g_array_index (self->scratch, guint, k);
          const RlGeoCluster *c = rl_geo_clusters_get (clusters, ci);

          if (c->count == 1)
            {
              double px, py;

              rl_geo_index_get_point (self->index, c->first, &px, &py);
              snapshot_point (self, snapshot, c->first, TO_X (px), TO_Y (py), r);
              add_drawn (self, TO_X (px), TO_Y (py), r, DRAWN_POINT, c->first);
              self->frame_stats.points++;
            }
          else
            {
              snapshot_cluster (self, snapshot, c, TO_X (c->x), TO_Y (c->y));
              add_drawn (self, TO_X (c->x), TO_Y (c->y), cluster_radius (c->count), DRAWN_CLUSTER, ci);
              self->frame_stats.clusters++;
              self->frame_stats.clustered += c->count;
            }
        }
      self->frame_stats.level = level;
    }
  self->frame_level = level;

  /* The selection is always drawn, on top, even inside a cluster. */
  if (self->selected >= 0)
    {
      double px, py;
      float sx, sy;

      rl_geo_index_get_point (self->index, (guint) self->selected, &px, &py);
      sx = TO_X (px);
      sy = TO_Y (py);
      snapshot_point (self, snapshot, (guint) self->selected, sx, sy, r + 1);
      append_ring (snapshot, sx, sy, r + 7, 2, &white);
      append_ring (snapshot, sx, sy, r + 5, 3, &accent);
    }

#undef TO_X
#undef TO_Y

  if (rotation != 0)
    gtk_snapshot_restore (snapshot);
}

const DrawnItem *
rl_map_layer_pick (RlMapLayer *self,
                   double      x,
                   double      y)
{
  const DrawnItem *best = NULL;
  double best_d2 = G_MAXDOUBLE;

  if (self->frame_rotation != 0)
    {
      /* Back into the unrotated frame the items were recorded in. */
      double dx = x - self->frame_w / 2, dy = y - self->frame_h / 2;
      double c = cos (-self->frame_rotation), s = sin (-self->frame_rotation);

      x = c * dx - s * dy + self->frame_w / 2;
      y = s * dx + c * dy + self->frame_h / 2;
    }

  /* Later items are drawn on top; a few pixels of slack for fingers. */
  for (guint k = self->drawn->len; k-- > 0;)
    {
      const DrawnItem *item = &g_array_index (self->drawn, DrawnItem, k);
      double dx = item->x - x, dy = item->y - y;
      double d2 = dx * dx + dy * dy;
      double reach = item->radius + 4;

      if (d2 <= reach * reach && d2 < best_d2)
        {
          best = item;
          best_d2 = d2;
          if (d2 <= item->radius * item->radius)
            break;
        }
    }
  return best;
}
