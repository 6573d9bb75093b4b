/* rl-map-layer-draw.c — RlMapLayer's symbols: points, clusters, culling.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Symbols are rectangles (and a text label per cluster), drawn either as
 * GtkSnapshot color nodes or with cairo (one cairo node for a frame under
 * GSK's cairo renderer, or the cached raster, rl-map-layer-cache.c). The
 * view decides points or clusters and the level, at most
 * RL_MAP_LAYER_MAX_ITEMS symbols in it.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "rl-map-layer-private.h"
#include "rl-time.h"

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
  RL_MAP_CLASS_FULL,
  RL_MAP_CLASS_OFFLINE,
  RL_MAP_CLASS_HIGH,
  RL_MAP_CLASS_STALE,
  RL_MAP_CLASS_MEDIUM,
  RL_MAP_CLASS_LOW,
  RL_MAP_CLASS_NO_READING,
  RL_MAP_CLASS_MAINTENANCE,
  RL_MAP_CLASS_RETIRED,
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
rl_map_class_get_color (RlMapClass klass,
                        GdkRGBA   *out_color)
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
    case RL_MAP_CLASS_LOW:
      return _ ("Under 50 % full");
    /* xgettext:no-c-format */
    case RL_MAP_CLASS_MEDIUM:
      return _ ("50–75 % full");
    /* xgettext:no-c-format */
    case RL_MAP_CLASS_HIGH:
      return _ ("75–90 % full");
    /* xgettext:no-c-format */
    case RL_MAP_CLASS_FULL:
      return _ ("90 % full or more");
    case RL_MAP_CLASS_NO_READING:
      return _ ("No reading yet");
    case RL_MAP_CLASS_STALE:
      return _ ("Stale: no recent reading");
    case RL_MAP_CLASS_OFFLINE:
      return _ ("Offline");
    case RL_MAP_CLASS_MAINTENANCE:
      return _ ("In maintenance");
    case RL_MAP_CLASS_RETIRED:
      return _ ("Retired");
    case RL_MAP_N_CLASSES:
    default:
      g_return_val_if_reached ("");
    }
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
  const float    widths[4] = { width, width, width, width };
  const GdkRGBA  colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (x - r, y - r, 2 * r, 2 * r), r);
  gtk_snapshot_append_border (snapshot, &rr, widths, colors);
}

/* ---- Symbols -------------------------------------------------------------
 * Only color nodes (plus one border node for the selection): the GL
 * renderer batches them, and the cairo renderer on X11 turns each into a
 * server-side rectangle fill. Texture nodes (sprites) cost an image upload
 * each with cairo on X11, and rounded clips per point were far slower
 * still (GTK 4.8's GL renderer crashes on ~90k of them). So symbols are
 * built from rectangles: a "rounded" dot is a plus of two rectangles. */

/* Where symbols go: color nodes, or one cairo node for the whole layer
 * when the renderer is cairo (per-node costs dominate there). */
typedef struct
{
  float        x, y;
  PangoLayout *layout;
  GdkRGBA      color;
} Label;

typedef struct
{
  GtkSnapshot *snapshot;
  cairo_t     *cr;
  GArray      *labels; /* Label: drawn after every symbol, so the GL
                        * renderer batches all color nodes together */
} Painter;

static void
draw_label (Painter     *p,
            const Label *l)
{
  if (p->cr != NULL)
    {
      gdk_cairo_set_source_rgba (p->cr, &l->color);
      cairo_move_to (p->cr, l->x, l->y);
      pango_cairo_show_layout (p->cr, l->layout);
    }
  else
    {
      gtk_snapshot_save (p->snapshot);
      gtk_snapshot_translate (p->snapshot, &GRAPHENE_POINT_INIT (l->x, l->y));
      gtk_snapshot_append_layout (p->snapshot, l->layout, &l->color);
      gtk_snapshot_restore (p->snapshot);
    }
}

static inline void
rect (Painter       *snapshot,
      const GdkRGBA *color,
      float          x,
      float          y,
      float          w,
      float          h)
{
  if (snapshot->cr != NULL)
    {
      gdk_cairo_set_source_rgba (snapshot->cr, color);
      cairo_rectangle (snapshot->cr, x, y, w, h);
      cairo_fill (snapshot->cr);
    }
  else if (snapshot->snapshot != NULL)
    gtk_snapshot_append_color (snapshot->snapshot, color, &GRAPHENE_RECT_INIT (x, y, w, h));
}

/* A square of half-size r with corners cut by c: two rectangles. */
static inline void
blob (Painter       *snapshot,
      const GdkRGBA *color,
      float          x,
      float          y,
      float          r,
      float          c)
{
  rect (snapshot, color, x - r, y - r + c, 2 * r, 2 * (r - c));
  rect (snapshot, color, x - r + c, y - r, 2 * (r - c), 2 * r);
}

static void
append_symbol (Painter   *snapshot,
               RlMapClass klass,
               gboolean   alert,
               float      x,
               float      y,
               float      r)
{
  GdkRGBA color;
  float   c = roundf (r * 0.4f);

  x = roundf (x);
  y = roundf (y);
  rl_map_class_get_color (klass, &color);
  if (alert)
    {
      float a = r + 4;

      /* A red frame around the symbol. */
      rect (snapshot, &alert_red, x - a, y - a, 2 * a, 2);
      rect (snapshot, &alert_red, x - a, y + a - 2, 2 * a, 2);
      rect (snapshot, &alert_red, x - a, y - a, 2, 2 * a);
      rect (snapshot, &alert_red, x + a - 2, y - a, 2, 2 * a);
    }
  switch (klass)
    {
    case RL_MAP_CLASS_OFFLINE:
      /* Hollow: the last fill level is not trustworthy. */
      blob (snapshot, &white, x, y, r + 1, c);
      blob (snapshot, &color, x, y, r, c);
      rect (snapshot, &white, x - r * 0.45f, y - r * 0.45f, r * 0.9f, r * 0.9f);
      break;

    case RL_MAP_CLASS_STALE:
      /* A grey dot struck through by a dash. */
      blob (snapshot, &white, x, y, r + 1, c);
      blob (snapshot, &color, x, y, r, c);
      rect (snapshot, &ink, x - r - 1, y - 1, 2 * r + 2, 2);
      break;

    case RL_MAP_CLASS_MAINTENANCE:
      /* A sharp square with a white centre. */
      rect (snapshot, &white, x - r - 1, y - r - 1, 2 * r + 2, 2 * r + 2);
      rect (snapshot, &color, x - r, y - r, 2 * r, 2 * r);
      rect (snapshot, &white, x - 1.5f, y - 1.5f, 3, 3);
      break;

    case RL_MAP_CLASS_RETIRED:
      /* A small cross. */
      {
        float t = MAX (2.f, roundf (r * 0.5f));

        rect (snapshot, &white, x - r - 1, y - t / 2 - 1, 2 * r + 2, t + 2);
        rect (snapshot, &white, x - t / 2 - 1, y - r - 1, t + 2, 2 * r + 2);
        rect (snapshot, &color, x - r, y - t / 2, 2 * r, t);
        rect (snapshot, &color, x - t / 2, y - r, t, 2 * r);
      }
      break;

    case RL_MAP_CLASS_NO_READING:
      blob (snapshot, &ink, x, y, r + 1, c);
      blob (snapshot, &color, x, y, r - 0.5f, c);
      break;

    case RL_MAP_CLASS_LOW:
    case RL_MAP_CLASS_MEDIUM:
    case RL_MAP_CLASS_HIGH:
    case RL_MAP_CLASS_FULL:
    case RL_MAP_N_CLASSES:
    default:
      blob (snapshot, &white, x, y, r + 1.5f, c + 0.5f);
      blob (snapshot, &color, x, y, r, c);
      break;
    }
}

void
rl_map_class_snapshot_symbol (RlMapClass   klass,
                              GtkSnapshot *snapshot,
                              float        x,
                              float        y,
                              float        r)
{
  Painter painter = { snapshot, NULL, NULL };

  g_return_if_fail (klass < RL_MAP_N_CLASSES);
  append_symbol (&painter, klass, FALSE, x, y, r);
}

RlMapClass
rl_map_layer_worst_class (const RlGeoCluster *cluster)
{
  /* The worst state held by at least a tenth of the members: one full bin
   * must not paint a cluster of thousands red (its frame still shows it). */
  for (guint k = 0; k < RL_MAP_N_CLASSES; k++)
    if (cluster->class_counts[severity[k]] * 10 >= cluster->count)
      return severity[k];
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
      guint  cached = 0;

      /* Keep the levels near this one: a zoom sweep must not hold every
       * level of 100k points (a few MB each). */
      for (guint l = 0; l <= RL_MAP_MAX_LEVEL; l++)
        if (self->clusters[l] != NULL && (l + 2 < level || l > level + 2))
          {
            /* The cached raster's items may refer to it. */
            g_clear_pointer (&self->clusters[l], rl_geo_clusters_free);
            self->cache_version++;
          }
        else if (self->clusters[l] != NULL)
          cached++;
      (void) cached;

      self->clusters[level] = rl_geo_clusters_new (self->index, self->classes, level);
      g_debug ("clusters at level %u: %u in %.1f ms", level,
               rl_geo_clusters_get_n_clusters (self->clusters[level]),
               (g_get_monotonic_time () - t0) / 1000.0);
    }
  return self->clusters[level];
}

/* A cluster's count (@chip FALSE) or its full-bins chip's, cached per
 * distinct text. */
static PangoLayout *
label_for_count (RlMapLayer *self,
                 const char *text,
                 gboolean    chip)
{
  char         key[32];
  PangoLayout *layout;

  /* No allocation for a hit: this runs for every badge drawn. */
  g_snprintf (key, sizeof key, "%s%s", chip ? "chip:" : "", text);
  layout = g_hash_table_lookup (self->labels, key);

  if (layout == NULL)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_attr_list_insert (attrs, pango_attr_scale_new (chip ? 0.8 : 0.82));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      g_hash_table_insert (self->labels, g_strdup (key), layout);
    }
  return layout;
}

static void
format_count (char *text,
              gsize size,
              guint count)
{
  if (count < 10000)
    g_snprintf (text, size, "%u", count);
  else
    g_snprintf (text, size, "%uk", count / 1000);
}

static float
cluster_radius (guint count)
{
  return 10.f + 3.5f * (float) log10 (count);
}

/* The full-bins chip: CHIP_H px high, centred on the badge's top right
 * corner (a notification badge's place: it hides only that corner of the
 * ring), with a white edge. Its text has at most four characters
 * (format_count), at most CHIP_MAX_W px wide with its padding. */
#define CHIP_H 16.f
#define CHIP_PAD 4.f
#define CHIP_MAX_W 36.f

G_STATIC_ASSERT (RL_MAP_LAYER_SYMBOL_MARGIN
                 >= 10.0 + 3.5 * 5 + 36 / 2 + 2); /* cluster_radius (100000) + chip */

/* A rectangle with corners cut by c: two rectangles. */
static void
chip_shape (Painter       *p,
            const GdkRGBA *color,
            float          x,
            float          y,
            float          w,
            float          h,
            float          c)
{
  rect (p, color, x, y + c, w, h - 2 * c);
  rect (p, color, x + c, y, w - 2 * c, h);
}

/* The second figure: how many members are 90 % full or more, on a red
 * chip at the badge's top right corner (none when no bin is). */
static void
snapshot_full_chip (RlMapLayer *self,
                    Painter    *p,
                    guint       full,
                    float       x,
                    float       y,
                    float       h)
{
  GdkRGBA      red;
  char         text[16];
  PangoLayout *layout;
  int          lw, lh;
  float        w, left, top;

  if (full == 0)
    return;
  format_count (text, sizeof text, full);
  layout = label_for_count (self, text, TRUE);
  pango_layout_get_pixel_size (layout, &lw, &lh);
  w = CLAMP (roundf (lw + 2 * CHIP_PAD), CHIP_H, CHIP_MAX_W);
  left = roundf (x + h - w / 2);
  top = roundf (y - h - CHIP_H / 2);
  rl_map_class_get_color (RL_MAP_CLASS_FULL, &red);
  chip_shape (p, &white, left - 1.5f, top - 1.5f, w + 3, CHIP_H + 3, 4);
  chip_shape (p, &red, left, top, w, CHIP_H, 3);
  {
    Label label = { roundf (left + (w - lw) / 2.f), roundf (top + (CHIP_H - lh) / 2.f), layout,
                    white };

    if (p->labels != NULL)
      g_array_append_val (p->labels, label);
    else
      draw_label (p, &label);
  }
}

/* The ring of state shares: the badge's square frame, walked clockwise
 * from 12 o'clock, one stretch per class in proportion to its count. */
static void
append_share_frame (Painter            *snapshot,
                    const RlGeoCluster *c,
                    float               x,
                    float               y,
                    float               h, /* half side */
                    float               t)               /* frame thickness */
{
  float side = 2 * h, perimeter = 4 * side;
  float pos = 0;

  for (guint rank = 0; rank < RL_MAP_N_CLASSES; rank++)
    {
      guint   n = c->class_counts[severity[rank]];
      float   from, to;
      GdkRGBA color;

      if (n == 0)
        continue;
      rl_map_class_get_color (severity[rank], &color);
      from = pos;
      to = pos + perimeter * n / c->count;
      pos = to;
      /* Positions along the perimeter, starting at the top middle. */
      for (int edge = 0; edge < 5; edge++)
        {
          /* Edge k spans [start, start + len) of the walk. */
          float start = edge == 0 ? 0 : h + (edge - 1) * side;
          float len = (edge == 0 || edge == 4) ? h : side;
          float s0 = MAX (from, start), s1 = MIN (to, start + len);
          float u0, u1;

          if (s1 <= s0)
            continue;
          u0 = s0 - start;
          u1 = s1 - start;
          switch (edge)
            {
            case 0: /* top, right half, going right */
              rect (snapshot, &color, x + u0, y - h, u1 - u0, t);
              break;
            case 1: /* right, going down */
              rect (snapshot, &color, x + h - t, y - h + u0, t, u1 - u0);
              break;
            case 2: /* bottom, going left */
              rect (snapshot, &color, x + h - u1, y + h - t, u1 - u0, t);
              break;
            case 3: /* left, going up */
              rect (snapshot, &color, x - h, y + h - u1, t, u1 - u0);
              break;
            case 4: /* top, left half, going right */
            default:
              rect (snapshot, &color, x - h + u0, y - h, u1 - u0, t);
              break;
            }
        }
    }
}

static void
snapshot_cluster (RlMapLayer         *self,
                  Painter            *snapshot,
                  const RlGeoCluster *c,
                  float               x,
                  float               y)
{
  RlMapClass   worst = rl_map_layer_worst_class (c);
  float        h = roundf (cluster_radius (c->count));
  char         text[16];
  PangoLayout *layout;
  GdkRGBA      color;
  int          lw, lh;

  x = roundf (x);
  y = roundf (y);
  format_count (text, sizeof text, c->count);

  blob (snapshot, &white, x, y, h + 1.5f, 4);
  append_share_frame (snapshot, c, x, y, h, 4);
  rl_map_class_get_color (worst, &color);
  blob (snapshot, &white, x, y, h - 4, 3);
  blob (snapshot, &color, x, y, h - 5, 3);
  if (snapshot->snapshot == NULL && snapshot->cr == NULL)
    return; /* items only */

  layout = label_for_count (self, text, FALSE);
  pango_layout_get_pixel_size (layout, &lw, &lh);
  switch (worst)
    {
    case RL_MAP_CLASS_LOW:
    case RL_MAP_CLASS_MEDIUM:
    case RL_MAP_CLASS_NO_READING:
    case RL_MAP_CLASS_STALE:
      color = ink;
      break;
    case RL_MAP_CLASS_HIGH:
    case RL_MAP_CLASS_FULL:
    case RL_MAP_CLASS_OFFLINE:
    case RL_MAP_CLASS_MAINTENANCE:
    case RL_MAP_CLASS_RETIRED:
    case RL_MAP_N_CLASSES:
    default:
      color = white;
      break;
    }
  {
    Label label = { roundf (x - lw / 2.f), roundf (y - lh / 2.f), layout, color };

    if (snapshot->labels != NULL)
      g_array_append_val (snapshot->labels, label);
    else
      draw_label (snapshot, &label);
  }
  snapshot_full_chip (self, snapshot, c->class_counts[RL_MAP_CLASS_FULL], x, y, h);
}

static float
point_radius (double zoom)
{
  return zoom >= 16 ? 6.f : zoom >= 14 ? 5.f
                                       : 4.f;
}

static void
snapshot_point (RlMapLayer *self,
                Painter    *snapshot,
                guint       i,
                float       x,
                float       y,
                float       r)
{
  append_symbol (snapshot, self->classes[i], (self->flags[i] & RL_MAP_POINT_ALERT) != 0, x, y, r);
}

void
rl_map_layer_decide (RlMapLayer       *self,
                     const RlMapArea  *area,
                     RlMapAreaContent *out_content)
{
  guint level;

  g_array_set_size (self->scratch, 0);
  /* No points yet (before the first set_points): nothing to choose. */
  if (self->index == NULL)
    {
      out_content->points = TRUE;
      out_content->level = 0;
      return;
    }
  if (area->zoom >= RL_MAP_LAYER_UNCLUSTER_ZOOM
      && rl_geo_index_query (self->index, area->bx0, area->by0, area->bx1, area->by1,
                             self->scratch)
             <= RL_MAP_LAYER_MAX_ITEMS)
    {
      out_content->points = TRUE;
      out_content->level = 0;
      return;
    }
  /* Coarser cells until the view fits the item budget. */
  level =
      (guint) CLAMP (floor (area->zoom) + RL_MAP_LAYER_CLUSTER_LEVEL_OFFSET, 0, RL_MAP_MAX_LEVEL);
  for (;;)
    {
      g_array_set_size (self->scratch, 0);
      if (rl_geo_clusters_query (rl_map_layer_get_clusters (self, level),
                                 area->bx0, area->by0, area->bx1, area->by1,
                                 self->scratch)
              <= RL_MAP_LAYER_MAX_ITEMS
          || level == 0)
        break;
      level--;
    }
  out_content->points = FALSE;
  out_content->level = level;
}

void
rl_map_layer_draw_symbols (RlMapLayer       *self,
                           GtkSnapshot      *snapshot,
                           cairo_t          *cr,
                           const RlMapArea  *area,
                           GArray           *items,
                           RlMapAreaContent *out_content)
{
  double           cx = area->cx, cy = area->cy, scale = area->scale;
  float            w = area->w, h = area->h;
  float            r = rl_map_layer_point_radius (area->zoom);
  double           margin = RL_MAP_LAYER_SYMBOL_MARGIN / scale;
  double           x0 = cx - w / 2.0 / scale - margin, x1 = cx + w / 2.0 / scale + margin;
  double           y0 = cy - h / 2.0 / scale - margin, y1 = cy + h / 2.0 / scale + margin;
  Painter          painter = { snapshot, cr, NULL };
  RlMapAreaContent content;
  guint            level;
  gboolean         use_points;

  /* No points yet: the tiles of a map shown before the first
   * set_points (a first sign-in, an empty cache) carry no symbols. */
  if (self->index == NULL)
    {
      out_content->points = area->decided != NULL ? area->decided->points : TRUE;
      out_content->level = area->decided != NULL ? area->decided->level : 0;
      return;
    }
  if (self->labels_pending == NULL)
    self->labels_pending = g_array_new (FALSE, FALSE, sizeof (Label));
  painter.labels = self->labels_pending;
  g_array_set_size (painter.labels, 0);

#define TO_X(wx) ((float) (((wx) -cx) * scale + w / 2.0))
#define TO_Y(wy) ((float) (((wy) -cy) * scale + h / 2.0))
#define ADD_ITEM(ix, iy, ir, ikind, iindex)          \
  G_STMT_START                                       \
  {                                                  \
    DrawnItem item_ = { ix, iy, ir, ikind, iindex }; \
    g_array_append_val (items, item_);               \
  }                                                  \
  G_STMT_END

  /* Points or clusters, and the level, are chosen by what the view (the
   * budget rectangle) holds; the items come from the whole area. */
  if (area->decided != NULL)
    content = *area->decided;
  else
    rl_map_layer_decide (self, area, &content);
  use_points = content.points;
  level = content.level;
  if (use_points)
    {
      g_array_set_size (self->scratch, 0);
      rl_geo_index_query (self->index, x0, y0, x1, y1, self->scratch);
      for (guint k = 0; k < self->scratch->len; k++)
        {
          guint  i = g_array_index (self->scratch, guint, k);
          double px, py;

          rl_geo_index_get_point (self->index, i, &px, &py);
          snapshot_point (self, &painter, i, TO_X (px), TO_Y (py), r);
          ADD_ITEM (TO_X (px), TO_Y (py), r, DRAWN_POINT, i);
        }
    }
  else
    {
      RlGeoClusters *clusters = rl_map_layer_get_clusters (self, level);

      g_array_set_size (self->scratch, 0);
      rl_geo_clusters_query (clusters, x0, y0, x1, y1, self->scratch);

      for (guint k = 0; k < self->scratch->len; k++)
        {
          guint               ci = g_array_index (self->scratch, guint, k);
          const RlGeoCluster *c = rl_geo_clusters_get (clusters, ci);

          if (c->count == 1)
            {
              double px, py;

              rl_geo_index_get_point (self->index, c->first, &px, &py);
              snapshot_point (self, &painter, c->first, TO_X (px), TO_Y (py), r);
              ADD_ITEM (TO_X (px), TO_Y (py), r, DRAWN_POINT, c->first);
            }
          else
            {
              snapshot_cluster (self, &painter, c, TO_X (c->x), TO_Y (c->y));
              ADD_ITEM (TO_X (c->x), TO_Y (c->y), cluster_radius (c->count), DRAWN_CLUSTER, ci);
            }
        }
    }

  for (guint k = 0; (cr != NULL || snapshot != NULL) && k < painter.labels->len; k++)
    draw_label (&painter, &g_array_index (painter.labels, Label, k));
  g_array_set_size (painter.labels, 0);

  out_content->level = level;
  out_content->points = use_points;

#undef ADD_ITEM
#undef TO_X
#undef TO_Y
}

const GdkRGBA *
rl_map_layer_land_color (void)
{
  return &land;
}

float
rl_map_layer_point_radius (double zoom)
{
  return point_radius (zoom);
}

void
rl_map_layer_snapshot_selection (RlMapLayer  *self,
                                 GtkSnapshot *snapshot,
                                 float        x,
                                 float        y,
                                 double       zoom)
{
  Painter painter = { snapshot, NULL, NULL };
  float   r = point_radius (zoom);

  /* On top of everything, a little larger, with an accent ring. */
  snapshot_point (self, &painter, (guint) self->selected, x, y, r + 1);
  append_ring (snapshot, x, y, r + 7, 2, &white);
  append_ring (snapshot, x, y, r + 5, 3, &accent);
}

void
rl_map_layer_snapshot_background (RlMapLayer  *self,
                                  GtkSnapshot *snapshot,
                                  float        w,
                                  float        h)
{
  gtk_snapshot_append_color (snapshot, &land, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

/* ---- Descriptions: what a symbol says in words ------------------------- */

static char *
format_ago (gint64 then_ms)
{
  gint64 minutes;

  if (then_ms <= 0)
    return g_strdup (_ ("no reading yet"));
  minutes = MAX (0, (rl_time_now_ms () - then_ms) / 60000);
  if (minutes < 1)
    return g_strdup (_ ("last reading just now"));
  if (minutes < 60)
    return g_strdup_printf (ngettext ("last reading %d minute ago", "last reading %d minutes ago",
                                      (gulong) minutes),
                            (int) minutes);
  if (minutes < 48 * 60)
    return g_strdup_printf (ngettext ("last reading %d hour ago", "last reading %d hours ago",
                                      (gulong) (minutes / 60)),
                            (int) (minutes / 60));
  return g_strdup_printf (ngettext ("last reading %d day ago", "last reading %d days ago",
                                    (gulong) (minutes / 1440)),
                          (int) (minutes / 1440));
}

char *
rl_map_layer_dup_description (RlMapLayer *self,
                              const char *id)
{
  gpointer         found;
  guint            i;
  GString         *s;
  g_autofree char *ago = NULL;
  guint8           flags;

  g_return_val_if_fail (RL_IS_MAP_LAYER (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  found = g_hash_table_lookup (self->by_id, id);
  if (found == NULL)
    return NULL;
  i = GPOINTER_TO_UINT (found) - 1;
  flags = self->flags[i];

  s = g_string_new (self->names[i]);
  if (isnan (self->fill[i]))
    g_string_append_printf (s, ", %s", _ ("fill unknown"));
  else
    {
      g_string_append (s, ", ");
      g_string_append_printf (s, _ ("fill %d %%"), (int) lroundf (self->fill[i]));
    }
  g_string_append_printf (s, ", %s", (flags & RL_MAP_POINT_OFFLINE) ? _ ("offline") : _ ("online"));
  if (flags & RL_MAP_POINT_STALE)
    g_string_append_printf (s, ", %s", _ ("stale"));
  if (flags & RL_MAP_POINT_MAINTENANCE)
    g_string_append_printf (s, ", %s", _ ("in maintenance"));
  if (flags & RL_MAP_POINT_RETIRED)
    g_string_append_printf (s, ", %s", _ ("retired"));
  if (flags & RL_MAP_POINT_ALERT)
    g_string_append_printf (s, ", %s", _ ("open alert"));
  ago = format_ago (self->last_ms[i]);
  g_string_append_printf (s, ", %s", ago);
  return g_string_free (s, FALSE);
}

char *
rl_map_layer_dup_cluster_description (RlMapLayer         *self,
                                      const RlGeoCluster *c)
{
  GString *s = g_string_new (NULL);

  guint full = c->class_counts[RL_MAP_CLASS_FULL];

  g_string_printf (s, ngettext ("%u drop point", "%u drop points", c->count), c->count);
  /* The badge's second figure, in words. */
  if (full > 0)
    {
      g_string_append (s, ", ");
      g_string_append_printf (
          s, ngettext ("%u of them 90 %% full or more", "%u of them 90 %% full or more", full),
          full);
    }
  for (guint k = 0; k < RL_MAP_N_CLASSES; k++)
    if (c->class_counts[k] > 0)
      g_string_append_printf (s, "\n%s: %u", rl_map_class_get_label (k), c->class_counts[k]);
  return g_string_free (s, FALSE);
}
