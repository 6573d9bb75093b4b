/* rl-map-layer-cache.c — RlMapLayer's frames: the symbols rendered once into
 * a cached raster that panning only translates, and hit testing on what the
 * last frame showed.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The raster covers the view grown by half its size on each side, at the
 * current zoom and scale factor. It is rendered again when the zoom, the
 * data, the filter or the style changes, or the view leaves it; while the
 * zoom is animating (it changed since the last frame and is not a jump
 * between whole levels) frames draw the symbols directly instead. A
 * cached frame is one texture node per non-empty chunk of the raster in
 * view (RL_MAP_LAYER_CHUNK_PX), plus the selection drawn live on top.
 *
 * The cache is used under GSK's cairo renderer only, where it measured
 * faster than drawing the symbols; under GL (llvmpipe) the symbols' color
 * nodes are cheaper than sampling the chunks, so GL frames draw directly.
 * See docs/map.md for the measurements.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "rl-map-layer-private.h"

void
rl_map_layer_cache_clear (RlMapLayer *self)
{
  RlMapLayerCache *cache = &self->cache;

  cache->valid = FALSE;
  for (guint k = 0; cache->chunks != NULL && k < cache->n_cols * cache->n_rows; k++)
    {
      g_clear_object (&cache->chunks[k]);
    }
  g_clear_pointer (&cache->chunks, g_free);
  cache->n_cols = cache->n_rows = 0;
  if (self->cache.items != NULL)
    g_array_set_size (self->cache.items, 0);
  if (self->frame_cached)
    {
      self->frame_cached = FALSE;
      g_array_set_size (self->drawn, 0);
    }
}

void
rl_map_layer_invalidate (RlMapLayer *self)
{
  rl_map_layer_invalidate_data (self);
  self->structural_version = self->symbols_version;
}

void
rl_map_layer_invalidate_data (RlMapLayer *self)
{
  self->cache_version++;
  self->symbols_version++;
  self->view_key_valid = FALSE;
  rl_map_layer_queue_tiles (self);
}

static gboolean
is_whole (double zoom)
{
  return fabs (zoom - round (zoom)) < 1e-9;
}

static gboolean
chunk_is_empty (const guint8 *data,
                int           stride,
                int           w,
                int           h)
{
  for (int y = 0; y < h; y++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < w; x++)
        if (row[x] != 0)
          return FALSE;
    }
  return TRUE;
}

/* Textures of the non-empty parts of the raster, each a copy of its pixels
 * (GDK_MEMORY_DEFAULT is cairo's ARGB32), so the raster itself can go: the
 * cache holds only pixels that show something. */
static void
make_chunks (RlMapLayerCache *cache,
             cairo_surface_t *image)
{
  int           stride = cairo_image_surface_get_stride (image);
  int           width = cairo_image_surface_get_width (image);
  int           height = cairo_image_surface_get_height (image);
  const guint8 *data = cairo_image_surface_get_data (image);

  cache->n_cols = (guint) (width + RL_MAP_LAYER_CHUNK_PX - 1) / RL_MAP_LAYER_CHUNK_PX;
  cache->n_rows = (guint) (height + RL_MAP_LAYER_CHUNK_PX - 1) / RL_MAP_LAYER_CHUNK_PX;
  cache->chunks = g_new0 (GdkTexture *, cache->n_cols * cache->n_rows);
  for (guint r = 0; r < cache->n_rows; r++)
    for (guint c = 0; c < cache->n_cols; c++)
      {
        int x = (int) c * RL_MAP_LAYER_CHUNK_PX, y = (int) r * RL_MAP_LAYER_CHUNK_PX;
        int cw = MIN (RL_MAP_LAYER_CHUNK_PX, width - x),
            ch = MIN (RL_MAP_LAYER_CHUNK_PX, height - y);
        const guint8 *from = data + (gsize) y * stride + (gsize) x * 4;
        g_autoptr (GBytes) bytes = NULL;
        guint8 *copy;

        if (chunk_is_empty (from, stride, cw, ch))
          continue;
        copy = g_malloc ((gsize) cw * ch * 4);
        for (int k = 0; k < ch; k++)
          memcpy (copy + (gsize) k * cw * 4, from + (gsize) k * stride, (gsize) cw * 4);
        bytes = g_bytes_new_take (copy, (gsize) cw * ch * 4);
        cache->chunks[r * cache->n_cols + c] = gdk_memory_texture_new (cw, ch, GDK_MEMORY_DEFAULT,
                                                                       bytes, (gsize) cw * 4);
      }
}

/* Renders the cache around world (cx, cy); FALSE if the view is too large
 * for a bounded raster (the frame then draws directly). */
static gboolean
cache_render (RlMapLayer      *self,
              gboolean         for_cairo,
              const RlMapArea *view,
              float            hw_px,
              float            hh_px,
              int              sf)
{
  RlMapLayerCache *cache = &self->cache;
  float            max_side = (float) RL_MAP_LAYER_CACHE_MAX_PX / sf;
  double           grow = RL_MAP_LAYER_CACHE_GROW;
  float            cw = ceilf (MIN (2 * hw_px * (1 + 2 * grow), max_side));
  float            ch = ceilf (MIN (2 * hh_px * (1 + 2 * grow), max_side));
  RlMapArea        area = *view;
  cairo_surface_t *image;
  cairo_t         *cr;
  gint64           t0 = g_get_monotonic_time ();

  rl_map_layer_cache_clear (self);
  /* Worth it only with room to pan. */
  if (cw < 2 * hw_px + 64 || ch < 2 * hh_px + 64)
    return FALSE;

  if (cache->items == NULL)
    cache->items = g_array_new (FALSE, FALSE, sizeof (DrawnItem));
  area.w = cw;
  area.h = ch;

  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) cw * sf, (int) ch * sf);
  cairo_surface_set_device_scale (image, sf, sf);
  cr = cairo_create (image);
  rl_map_layer_draw_symbols (self, NULL, cr, &area, cache->items, &cache->content);
  cairo_destroy (cr);
  cairo_surface_flush (image);

  make_chunks (cache, image);
  cairo_surface_destroy (image);

  cache->valid = TRUE;
  cache->version = self->cache_version;
  cache->cx = view->cx;
  cache->cy = view->cy;
  cache->zoom = view->zoom;
  cache->scale = view->scale;
  cache->w = cw;
  cache->h = ch;
  cache->scale_factor = sf;
  cache->for_cairo = for_cairo;
  g_debug ("symbol cache %g×%g px (%u items) rendered in %.1f ms", cw, ch, cache->items->len,
           (g_get_monotonic_time () - t0) / 1000.0);
  return TRUE;
}

static gboolean
cache_usable (RlMapLayer      *self,
              gboolean         for_cairo,
              const RlMapArea *view,
              float            hw_px,
              float            hh_px,
              int              sf)
{
  const RlMapLayerCache *cache = &self->cache;

  return cache->valid
         && cache->version == self->cache_version
         && cache->zoom == view->zoom
         && cache->scale == view->scale
         && cache->scale_factor == sf
         && cache->for_cairo == for_cairo
         /* One pixel to spare: the raster is drawn at whole device pixels. */
         && fabs (view->cx - cache->cx) * view->scale + hw_px + 1 <= cache->w / 2
         && fabs (view->cy - cache->cy) * view->scale + hh_px + 1 <= cache->h / 2;
}

/* Frame statistics: the items of the last frame within the view. */
static void
count_frame (RlMapLayer *self,
             GArray     *items,
             float       ox,
             float       oy,
             float       x0,
             float       y0,
             float       x1,
             float       y1,
             guint       level)
{
  memset (&self->frame_stats, 0, sizeof self->frame_stats);
  for (guint k = 0; k < items->len; k++)
    {
      const DrawnItem *item = &g_array_index (items, DrawnItem, k);
      float            x = item->x + ox, y = item->y + oy;

      if (x < x0 || x > x1 || y < y0 || y > y1)
        continue;
      if (item->kind == DRAWN_POINT)
        self->frame_stats.points++;
      else
        {
          self->frame_stats.clusters++;
          self->frame_stats.clustered +=
              rl_geo_clusters_get (self->clusters[level], item->index)->count;
        }
    }
  self->frame_stats.level = level;
}

void
rl_map_layer_snapshot_points (RlMapLayer  *self,
                              GtkSnapshot *snapshot)
{
  GtkWidget        *widget = GTK_WIDGET (self);
  ShumateViewport  *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *ref = shumate_viewport_get_reference_map_source (viewport);
  GtkNative        *native = gtk_widget_get_native (widget);
  GskRenderer      *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
  gboolean          for_cairo = renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);
  float             w = gtk_widget_get_width (widget);
  float             h = gtk_widget_get_height (widget);
  int               sf = gtk_widget_get_scale_factor (widget);
  double            zoom = shumate_viewport_get_zoom_level (viewport);
  double            rotation = shumate_viewport_get_rotation (viewport);
  double            tile_size = ref != NULL ? shumate_map_source_get_tile_size (ref) : 256;
  double            scale = tile_size * exp2 (zoom);
  double            last_zoom = self->last_frame_zoom;
  float             hw_px, hh_px, m = RL_MAP_LAYER_SYMBOL_MARGIN;
  gboolean          settled, use_cache, composited;
  RlMapArea         view;
  GArray           *items;

  memset (&self->frame_stats, 0, sizeof self->frame_stats);
  g_array_set_size (self->drawn, 0);
  self->frame_items_pending = FALSE;
  self->frame_cached = FALSE;
  self->frame_ox = self->frame_oy = 0;
  self->frame_w = w;
  self->frame_h = h;
  self->frame_rotation = rotation;
  self->last_frame_zoom = zoom;

  self->frame_composited = FALSE;
  composited = rl_map_layer_has_tile_layer (self);
  if (self->draw_background && !composited)
    rl_map_layer_snapshot_background (self, snapshot, w, h);
  if (self->n == 0 || w <= 0 || h <= 0)
    return;

  /* The part of the world the (possibly rotated) view can show. */
  hw_px = w / 2;
  hh_px = h / 2;
  if (rotation != 0)
    hw_px = hh_px = hypotf (w, h) / 2;

  view.zoom = zoom;
  view.scale = scale;
  rl_geo_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                  shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                  &view.cx, &view.cy);
  view.w = 2 * hw_px;
  view.h = 2 * hh_px;
  view.decided = NULL;
  view.bx0 = view.cx - (hw_px + m) / scale;
  view.bx1 = view.cx + (hw_px + m) / scale;
  view.by0 = view.cy - (hh_px + m) / scale;
  view.by1 = view.cy + (hh_px + m) / scale;

  if (rotation != 0)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (w / 2, h / 2));
      gtk_snapshot_rotate (snapshot, rotation * 180 / G_PI);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-w / 2, -h / 2));
    }

  if (composited)
    {
      /* The map tiles carry the symbols (rl-map-layer-tiles.c). The
       * frame's items (hit tests, tooltips, statistics) are worked out
       * when first asked for (rl_map_layer_frame_items), not per frame. */
      self->frame_content = rl_map_layer_get_view_key (self)->content;
      self->frame_view = view;
      self->frame_view.decided = NULL;
      self->frame_ox = w / 2 - hw_px;
      self->frame_oy = h / 2 - hh_px;
      self->frame_bounds[0] = w / 2 - hw_px - m;
      self->frame_bounds[1] = h / 2 - hh_px - m;
      self->frame_bounds[2] = w / 2 + hw_px + m;
      self->frame_bounds[3] = h / 2 + hh_px + m;
      self->frame_items_pending = TRUE;
      self->frame_composited = TRUE;
      goto selection;
    }

  /* A zoom animation renders every frame at a new zoom: draw directly
   * then, and cache once the zoom holds (or jumped between whole levels). */
  settled = zoom == last_zoom || (is_whole (zoom) && is_whole (last_zoom));
  /* Only GSK's cairo renderer gains from the cache: under GL (llvmpipe)
   * sampling the textured chunks cost more than filling the symbols' own
   * color nodes (docs/map.md has the figures). */
  use_cache = for_cairo;
  if (use_cache && settled && !cache_usable (self, for_cairo, &view, hw_px, hh_px, sf))
    cache_render (self, for_cairo, &view, hw_px, hh_px, sf);

  if (use_cache && cache_usable (self, for_cairo, &view, hw_px, hh_px, sf))
    {
      RlMapLayerCache *cache = &self->cache;
      float            ox = (float) ((cache->cx - view.cx) * scale + w / 2.0 - cache->w / 2.0);
      float            oy = (float) ((cache->cy - view.cy) * scale + h / 2.0 - cache->h / 2.0);
      float            chunk = (float) RL_MAP_LAYER_CHUNK_PX / sf;
      int              c0, c1, r0, r1;

      /* Whole device pixels: the raster stays crisp. */
      ox = roundf (ox * sf) / sf;
      oy = roundf (oy * sf) / sf;
      /* The chunks the view can show. */
      c0 = MAX (0, (int) floorf ((w / 2 - hw_px - ox) / chunk));
      c1 = MIN ((int) cache->n_cols - 1, (int) floorf ((w / 2 + hw_px - ox) / chunk));
      r0 = MAX (0, (int) floorf ((h / 2 - hh_px - oy) / chunk));
      r1 = MIN ((int) cache->n_rows - 1, (int) floorf ((h / 2 + hh_px - oy) / chunk));
      for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++)
          {
            GdkTexture *t = cache->chunks[r * cache->n_cols + c];

            if (t != NULL)
              gtk_snapshot_append_texture (
                  snapshot, t,
                  &GRAPHENE_RECT_INIT (ox + c * chunk, oy + r * chunk,
                                       (float) gdk_texture_get_width (t) / sf,
                                       (float) gdk_texture_get_height (t) / sf));
          }
      self->frame_cached = TRUE;
      self->frame_ox = ox;
      self->frame_oy = oy;
      self->frame_level = cache->content.level;
      items = cache->items;
    }
  else
    {
      RlMapAreaContent content;
      cairo_t         *cr = NULL;

      /* Directly, into an area of the view's size centred on it. */
      self->frame_ox = w / 2 - hw_px;
      self->frame_oy = h / 2 - hh_px;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (self->frame_ox, self->frame_oy));
      /* Under the cairo renderer one cairo node for the whole layer: GSK's
       * cairo renderer on X11 pays per node. */
      if (for_cairo)
        cr = gtk_snapshot_append_cairo (
            snapshot, &GRAPHENE_RECT_INIT (-m, -m, view.w + 2 * m, view.h + 2 * m));
      rl_map_layer_draw_symbols (self, snapshot, cr, &view, self->drawn, &content);
      g_clear_pointer (&cr, cairo_destroy);
      gtk_snapshot_restore (snapshot);
      self->frame_level = content.level;
      items = self->drawn;
    }
  count_frame (self, items, self->frame_ox, self->frame_oy,
               w / 2 - hw_px - m, h / 2 - hh_px - m, w / 2 + hw_px + m, h / 2 + hh_px + m,
               self->frame_level);

selection:
  /* The selection is always drawn, live and on top, even inside a cluster. */
  if (self->selected >= 0)
    {
      double px, py;

      rl_geo_index_get_point (self->index, (guint) self->selected, &px, &py);
      rl_map_layer_snapshot_selection (self, snapshot,
                                       roundf ((float) ((px - view.cx) * scale + w / 2.0)),
                                       roundf ((float) ((py - view.cy) * scale + h / 2.0)),
                                       zoom);
    }

  if (rotation != 0)
    gtk_snapshot_restore (snapshot);
}

/* The items of a frame whose symbols the tiles drew. */
static void
frame_items (RlMapLayer *self)
{
  RlMapAreaContent content;

  if (!self->frame_items_pending)
    return;
  self->frame_items_pending = FALSE;
  g_array_set_size (self->drawn, 0);
  memset (&self->frame_stats, 0, sizeof self->frame_stats);
  if (self->index == NULL)
    return;
  self->frame_view.decided = &self->frame_content;
  rl_map_layer_draw_symbols (self, NULL, NULL, &self->frame_view, self->drawn, &content);
  self->frame_view.decided = NULL;
  self->frame_level = content.level;
  /* Statistics count what shows: nothing until a tile with these symbols
   * was drawn. */
  if (self->composites_shown)
    count_frame (self, self->drawn, self->frame_ox, self->frame_oy, self->frame_bounds[0],
                 self->frame_bounds[1], self->frame_bounds[2], self->frame_bounds[3],
                 self->frame_level);
}

const DrawnItem *
rl_map_layer_pick (RlMapLayer *self,
                   double      x,
                   double      y)
{
  GArray *items;

  frame_items (self);
  items = self->frame_cached ? self->cache.items : self->drawn;
  const DrawnItem *best = NULL;
  double           best_d2 = G_MAXDOUBLE;

  if (self->frame_rotation != 0)
    {
      /* Back into the unrotated frame the items were recorded in. */
      double dx = x - self->frame_w / 2, dy = y - self->frame_h / 2;
      double c = cos (-self->frame_rotation), s = sin (-self->frame_rotation);

      x = c * dx - s * dy + self->frame_w / 2;
      y = s * dx + c * dy + self->frame_h / 2;
    }
  x -= self->frame_ox;
  y -= self->frame_oy;

  /* Later items are drawn on top; a few pixels of slack for fingers. */
  for (guint k = items->len; k-- > 0;)
    {
      const DrawnItem *item = &g_array_index (items, DrawnItem, k);
      double           dx = item->x - x, dy = item->y - y;
      double           d2 = dx * dx + dy * dy;
      double           reach = item->radius + 4;

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

void
rl_map_layer_get_frame_stats (RlMapLayer           *self,
                              RlMapLayerFrameStats *out_stats)
{
  g_return_if_fail (RL_IS_MAP_LAYER (self));
  frame_items (self);
  *out_stats = self->frame_stats;
}

guint
rl_map_layer_get_data_redraws (RlMapLayer *self)
{
  g_return_val_if_fail (RL_IS_MAP_LAYER (self), 0);
  return self->data_redraws;
}
