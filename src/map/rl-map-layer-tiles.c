/* rl-map-layer-tiles.c — the layer's symbols drawn into the map tiles.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rl_map_layer_wrap_source() gives a ShumateMapSource whose tiles are the
 * wrapped source's tiles with this layer's symbols drawn in, once per tile
 * and per version of what the symbols show. A ShumateMapLayer over it then
 * paints the city in exactly as many texture nodes as the bare map: panning
 * costs what panning the tiles costs, with either GSK renderer, while the
 * layer itself draws only the selection (docs/map.md has the figures).
 *
 * Each tile's paintable is an RlPointsTile: the bare tile, the composite and
 * the key it was drawn for (data version, points or cluster level, scale
 * factor). When a frame draws a tile whose key is no longer the layer's, it
 * draws the old composite and queues the tile; an idle on the main thread
 * draws the queued tiles (a few milliseconds at a time, between frames) and
 * redraws the tile layer. A data update marks only the tiles near the
 * points that changed. A new tile is handed to libshumate with its symbols
 * already drawn, so a tile never shows without them. A tile the wrapped
 * source cannot give (offline, no such tile) gets the plain land colour
 * under the symbols: the points always show.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "rl-map-layer-private.h"

/* Between frames, at most this long per idle dispatch. */
#define RENDER_BUDGET_US 3000
/* The zoom is settled when it has not changed for this long. */
#define RL_MAP_SETTLE_MS 300

/* ---- RlPointsTile: the paintable of one tile ------------------------------ */

#define RL_TYPE_POINTS_TILE (rl_points_tile_get_type ())
G_DECLARE_FINAL_TYPE (RlPointsTile, rl_points_tile, RL, POINTS_TILE, GObject)

struct _RlPointsTile
{
  GObject parent_instance;

  GWeakRef          layer;
  guint             x, y, zoom, size;
  ShumateMapSource *inner; /* the wrapped source, or NULL: plain land */
  GdkTexture       *base;  /* the wrapped source's tile; NULL: plain land,
                            * or dropped (below) */
  gboolean base_dropped;   /* base let go once composited: fetched again
                            * from @inner when the symbols change */
  ShumateTile *refetch;    /* the bare tile being read again, or NULL */
  GdkTexture  *composite;  /* base + symbols (base itself when none fall in
                            * it); NULL until first drawn */
  RlMapTileKey key;        /* what composite shows */
  gboolean     queued;
  GTask       *fill; /* the fill waiting for the first composite */
};

static void rl_points_tile_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RlPointsTile,
                               rl_points_tile,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      rl_points_tile_paintable_init))

static gboolean
key_equal (const RlMapTileKey *a,
           const RlMapTileKey *b)
{
  return a->version == b->version
         && a->content.level == b->content.level
         && a->content.points == b->content.points
         && a->scale_factor == b->scale_factor
         && a->symbol_scale == b->symbol_scale;
}

/* The key a tile of @zoom must show: the view's for tiles of the view's
 * zoom; tiles of other zooms (kept by libshumate while the new ones load)
 * get the plain choice of their level. */
static RlMapTileKey
key_for_zoom (RlMapLayer *layer,
              guint       zoom)
{
  const RlMapTileKey *view_key = rl_map_layer_get_view_key (layer);
  ShumateViewport    *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (layer));
  RlMapTileKey        key = *view_key;

  if ((guint) floor (shumate_viewport_get_zoom_level (viewport)) != zoom)
    {
      key.content.points = zoom >= RL_MAP_LAYER_UNCLUSTER_ZOOM;
      key.content.level =
          key.content.points ? 0 : MIN (zoom + RL_MAP_LAYER_CLUSTER_LEVEL_OFFSET, RL_MAP_MAX_LEVEL);
      key.symbol_scale = RL_MAP_SYMBOL_SCALE_ONE;
    }
  return key;
}

static void queue_tile (RlMapLayer   *layer,
                        RlPointsTile *tile);

/* Whether the symbols in and near this tile changed since @from. */
static gboolean
tile_touched_since (RlMapLayer   *layer,
                    RlPointsTile *tile,
                    guint         from)
{
  double n = exp2 (tile->zoom);
  /* A point's change marks its own place and its badge's in every cached
   * level (rl_map_layer_update_points). A tile of a level no longer cached
   * grows by two radii instead: a badge is drawn at its members' mean,
   * within a radius of the seed, as each member is. A symbol reaches
   * RL_MAP_LAYER_SYMBOL_MARGIN px further. */
  double grow = RL_MAP_LAYER_SYMBOL_MARGIN / tile->size / n
                + (tile->key.content.points || layer->clusters[tile->key.content.level] != NULL
                       ? 0
                       : 2 * rl_geo_clusters_radius_for_level (tile->key.content.level));
  double x0 = tile->x / n - grow, x1 = (tile->x + 1) / n + grow;
  double y0 = tile->y / n - grow, y1 = (tile->y + 1) / n + grow;

  if (from < layer->structural_version || from < layer->dirty_since)
    return TRUE;
  for (guint k = 0; k < layer->dirty->len; k++)
    {
      const RlMapDirtyPoint *d = &g_array_index (layer->dirty, RlMapDirtyPoint, k);

      if (d->version > from && d->x >= x0 && d->x <= x1 && d->y >= y0 && d->y <= y1)
        return TRUE;
    }
  return FALSE;
}

/* Whether the tile's composite shows @key. A composite of an older data
 * version whose area no change touched is brought up to it. */
static gboolean
tile_is_current (RlMapLayer         *layer,
                 RlPointsTile       *tile,
                 const RlMapTileKey *key)
{
  RlMapTileKey same_version = *key;

  /* Everything but the data version must match. */
  same_version.version = tile->key.version;
  if (tile->composite == NULL || !key_equal (&tile->key, &same_version))
    return FALSE;
  if (tile->key.version != key->version)
    {
      if (tile_touched_since (layer, tile, tile->key.version))
        return FALSE;
      /* Data changed elsewhere: this tile is still right. */
      tile->key.version = key->version;
    }
  return TRUE;
}

/* The oldest data version the tiles of the tile layer's current snapshot
 * show (a frame that does not snapshot the tile layer shows its last one). */
static void
note_drawn_version (RlMapLayer *layer,
                    guint       version)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (layer));
  gint64         frame = clock != NULL ? gdk_frame_clock_get_frame_counter (clock) : -1;

  if (frame != layer->tiles_pass_frame)
    {
      layer->tiles_pass_frame = frame;
      layer->tiles_pass_min_version = G_MAXUINT;
    }
  layer->tiles_pass_min_version = MIN (layer->tiles_pass_min_version, version);
}

static void
rl_points_tile_snapshot (GdkPaintable *paintable,
                         GdkSnapshot  *snapshot,
                         double        width,
                         double        height)
{
  RlPointsTile *self = RL_POINTS_TILE (paintable);
  g_autoptr (RlMapLayer) layer = g_weak_ref_get (&self->layer);
  GdkTexture *texture = self->composite != NULL ? self->composite : self->base;

  if (layer != NULL)
    {
      RlMapTileKey key = key_for_zoom (layer, self->zoom);
      gboolean     current = tile_is_current (layer, self, &key);

      if (!current)
        queue_tile (layer, self);
      else if (key_equal (&key, rl_map_layer_get_view_key (layer)))
        layer->composites_shown = TRUE;
      note_drawn_version (layer, current ? key.version : self->composite != NULL ? self->key.version
                                                                                 : 0);
    }

  if (texture != NULL)
    gtk_snapshot_append_texture (GTK_SNAPSHOT (snapshot), texture,
                                 &GRAPHENE_RECT_INIT (0, 0, width, height));
  else
    gtk_snapshot_append_color (GTK_SNAPSHOT (snapshot), rl_map_layer_land_color (),
                               &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static int
rl_points_tile_get_intrinsic_size (GdkPaintable *paintable)
{
  return (int) RL_POINTS_TILE (paintable)->size;
}

static void
rl_points_tile_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = rl_points_tile_snapshot;
  iface->get_intrinsic_width = rl_points_tile_get_intrinsic_size;
  iface->get_intrinsic_height = rl_points_tile_get_intrinsic_size;
}

static void
rl_points_tile_finalize (GObject *object)
{
  RlPointsTile *self = RL_POINTS_TILE (object);

  g_weak_ref_clear (&self->layer);
  g_clear_object (&self->inner);
  g_assert (self->refetch == NULL);
  g_clear_object (&self->base);
  g_clear_object (&self->composite);
  g_assert (self->fill == NULL);

  G_OBJECT_CLASS (rl_points_tile_parent_class)->finalize (object);
}

static void
rl_points_tile_class_init (RlPointsTileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rl_points_tile_finalize;
}

static void
rl_points_tile_init (RlPointsTile *self)
{
  g_weak_ref_init (&self->layer, NULL);
}

/* ---- Drawing tiles ------------------------------------------------------- */

/* The tile with the symbols of @key drawn in (a new reference).
 *
 * The composite is opaque, 3 bytes a pixel, like a PNG tile without
 * alpha: GSK's cairo renderer on X11 then copies it instead of blending
 * every pixel, which is what keeps panning as cheap as the bare tiles. */
static GdkTexture *
render_tile (RlMapLayer         *layer,
             RlPointsTile       *tile,
             const RlMapTileKey *key)
{
  int              sf = MAX (key->scale_factor, 1);
  int              px = (int) tile->size * sf;
  double           n = exp2 (tile->zoom);
  RlMapArea        area = { 0 };
  RlMapAreaContent content;
  cairo_surface_t *image;
  cairo_t         *cr;
  const guint8    *data;
  int              stride;
  guint8          *rgb;
  GBytes          *bytes;
  GdkTexture      *texture;

  /* Symbols shrunk by @shrink (a fractional zoom, see RlMapTileKey): laid
   * out @shrink times larger, then drawn scaled down, so their positions
   * stay and their sizes are those of the view's zoom once libshumate
   * enlarges the tile. */
  double shrink = (double) key->symbol_scale / RL_MAP_SYMBOL_SCALE_ONE;

  area.cx = (tile->x + 0.5) / n;
  area.cy = (tile->y + 0.5) / n;
  area.scale = tile->size * n * shrink;
  area.w = area.h = (float) (tile->size * shrink);
  area.zoom = tile->zoom + log2 (shrink);
  area.decided = &key->content;

  /* Nothing falls in this tile: the bare tile is the composite. */
  g_array_set_size (layer->tile_items, 0);
  rl_map_layer_draw_symbols (layer, NULL, NULL, &area, layer->tile_items, &content);
  if (layer->tile_items->len == 0 && tile->base != NULL
      && gdk_texture_get_width (tile->base) == px && gdk_texture_get_height (tile->base) == px)
    return g_object_ref (tile->base);

  /* One surface for every tile of this size, drawn over, instead of two
   * new 256 KB surfaces per tile (one for the bare tile). */
  if (layer->tile_surface == NULL || cairo_image_surface_get_width (layer->tile_surface) != px)
    {
      g_clear_pointer (&layer->tile_surface, cairo_surface_destroy);
      layer->tile_surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, px, px);
    }
  image = layer->tile_surface;
  cairo_surface_flush (image);
  cr = cairo_create (image);
  if (tile->base != NULL && gdk_texture_get_width (tile->base) == px
      && gdk_texture_get_height (tile->base) == px)
    {
      /* The bare tile straight into the surface (premultiplied ARGB32 is
       * GDK_MEMORY_DEFAULT), then the land behind it: a tile with
       * transparent parts stays light. */
      gdk_texture_download (tile->base, cairo_image_surface_get_data (image),
                            (gsize) cairo_image_surface_get_stride (image));
      cairo_surface_mark_dirty (image);
      cairo_set_operator (cr, CAIRO_OPERATOR_DEST_OVER);
      gdk_cairo_set_source_rgba (cr, rl_map_layer_land_color ());
      cairo_paint (cr);
      cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
    }
  else
    {
      cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
      gdk_cairo_set_source_rgba (cr, rl_map_layer_land_color ());
      cairo_paint (cr);
      cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
      if (tile->base != NULL)
        {
          /* A bare tile of another size (a scale factor of 2 over 256 px
           * tiles): scaled into place. */
          int              bw = gdk_texture_get_width (tile->base), bh = gdk_texture_get_height (tile->base);
          cairo_surface_t *base = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, bw, bh);

          cairo_surface_flush (base);
          gdk_texture_download (tile->base, cairo_image_surface_get_data (base),
                                (gsize) cairo_image_surface_get_stride (base));
          cairo_surface_mark_dirty (base);
          cairo_save (cr);
          cairo_scale (cr, (double) px / bw, (double) px / bh);
          cairo_set_source_surface (cr, base, 0, 0);
          cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
          cairo_paint (cr);
          cairo_restore (cr);
          cairo_surface_destroy (base);
        }
    }
  cairo_scale (cr, sf / shrink, sf / shrink);
  g_array_set_size (layer->tile_items, 0);
  rl_map_layer_draw_symbols (layer, NULL, cr, &area, layer->tile_items, &content);
  cairo_destroy (cr);
  cairo_surface_flush (image);

  /* Opaque ARGB words (B, G, R, 255 bytes in little-endian memory) to
   * B8G8R8. */
  data = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);
  rgb = g_malloc ((gsize) px * px * 3);
  for (int row = 0; row < px; row++)
    {
      const guint32 *from = (const guint32 *) (data + (gsize) row * stride);
      guint8        *to = rgb + (gsize) row * px * 3;

      for (int col = 0; col < px; col++, to += 3)
        {
          guint32 v = from[col];

          to[0] = v & 0xff;         /* B */
          to[1] = (v >> 8) & 0xff;  /* G */
          to[2] = (v >> 16) & 0xff; /* R */
        }
    }
  bytes = g_bytes_new_take (rgb, (gsize) px * px * 3);
  texture = gdk_memory_texture_new (px, px, GDK_MEMORY_B8G8R8, bytes, (gsize) px * 3);
  g_bytes_unref (bytes);
  return texture;
}

/* Hands a tile waiting for its first composite to libshumate. */
static void
complete_fill (RlPointsTile *self)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->fill);
  ShumateTile *tile;

  if (task == NULL || g_task_return_error_if_cancelled (task))
    return;
  tile = g_task_get_task_data (task);
  shumate_tile_set_paintable (tile, GDK_PAINTABLE (self));
  shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  g_task_return_boolean (task, TRUE);
}

static void
refetched_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (RlPointsTile) self = user_data;
  g_autoptr (ShumateTile) inner = g_steal_pointer (&self->refetch);
  g_autoptr (RlMapLayer) layer = g_weak_ref_get (&self->layer);
  g_autoptr (GError) error = NULL;
  GdkPaintable *paintable;

  if (layer != NULL)
    layer->tiles_filling--;
  self->base_dropped = FALSE;
  if (shumate_map_source_fill_tile_finish (SHUMATE_MAP_SOURCE (object), result, &error)
      && (paintable = shumate_tile_get_paintable (inner)) != NULL && GDK_IS_TEXTURE (paintable))
    self->base = g_object_ref (GDK_TEXTURE (paintable));
  else
    /* Gone since (offline, cache evicted): the symbols as they are now on
     * plain land rather than old symbols over the map. */
    g_debug ("tile %u/%u/%u could not be read again (%s); its points go on plain land",
             self->zoom, self->x, self->y, error != NULL ? error->message : "not a raster tile");
  if (layer != NULL)
    queue_tile (layer, self);
}

/* The bare tile again, for new symbols; the old composite shows meanwhile. */
static void
refetch_base (RlPointsTile *self)
{
  g_autoptr (RlMapLayer) layer = g_weak_ref_get (&self->layer);

  if (self->refetch != NULL)
    return;
  if (layer != NULL)
    layer->tiles_filling++;
  self->refetch = shumate_tile_new_full (self->x, self->y, self->size, self->zoom);
  shumate_map_source_fill_tile_async (self->inner, self->refetch, NULL, refetched_cb,
                                      g_object_ref (self));
}

static gboolean
render_idle_cb (gpointer user_data)
{
  RlMapLayer *layer = user_data;
  gint64      t0 = g_get_monotonic_time ();
  gboolean    drew = FALSE;

  while (!g_queue_is_empty (&layer->tile_queue)
         && g_get_monotonic_time () - t0 < RENDER_BUDGET_US)
    {
      g_autoptr (RlPointsTile) tile = g_queue_pop_head (&layer->tile_queue);
      RlMapTileKey key = key_for_zoom (layer, tile->zoom);
      gint64       r0 = g_get_monotonic_time (), took;

      tile->queued = FALSE;
      if (tile_is_current (layer, tile, &key))
        continue;
      /* libshumate no longer wants it (scrolled away). */
      if (tile->fill != NULL && g_task_get_cancellable (tile->fill) != NULL
          && g_cancellable_is_cancelled (g_task_get_cancellable (tile->fill)))
        {
          complete_fill (tile);
          continue;
        }
      if (tile->base_dropped)
        {
          refetch_base (tile);
          continue;
        }
      g_clear_object (&tile->composite);
      tile->composite = render_tile (layer, tile, &key);
      tile->key = key;
      /* The composite holds the bare tile's pixels: keep one copy, not two
       * (bench-map, 100k points under GL: RSS 238 → 221 MB). Read again,
       * from the pack or the tile cache, only when its symbols change. */
      if (tile->inner != NULL && tile->base != NULL && tile->composite != tile->base)
        {
          g_clear_object (&tile->base);
          tile->base_dropped = TRUE;
        }
      took = g_get_monotonic_time () - r0;
      layer->tiles_rendered++;
      layer->tiles_render_us += took;
      layer->tiles_render_max_us = MAX (layer->tiles_render_max_us, took);
      complete_fill (tile);
      drew = TRUE;
    }
  if (drew)
    {
      g_debug ("tile symbols: %u tiles drawn so far, %u queued", layer->tiles_rendered,
               g_queue_get_length (&layer->tile_queue));
      rl_map_layer_queue_tiles (layer);
      /* Its statistics count what the tiles now show. */
      gtk_widget_queue_draw (GTK_WIDGET (layer));
    }
  if (!g_queue_is_empty (&layer->tile_queue))
    return G_SOURCE_CONTINUE;
  layer->tile_idle = 0;
  return G_SOURCE_REMOVE;
}

static void
queue_tile (RlMapLayer   *layer,
            RlPointsTile *tile)
{
  if (tile->queued)
    return;
  tile->queued = TRUE;
  g_queue_push_tail (&layer->tile_queue, g_object_ref (tile));
  if (layer->tile_idle == 0)
    {
      /* Above GTK's redraw (GDK_PRIORITY_REDRAW): frames that take longer
       * than the frame interval (a long pan under a slow renderer) would
       * otherwise starve it, and new tiles would never come. Each dispatch
       * is bounded by RENDER_BUDGET_US, so a frame waits at most that. */
      layer->tile_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, render_idle_cb, layer, NULL);
      g_source_set_name_by_id (layer->tile_idle, "[reloop] map tile symbols");
    }
}

/* ---- RlPointsSource: the wrapping map source ------------------------------ */

#define RL_TYPE_POINTS_SOURCE (rl_points_source_get_type ())
G_DECLARE_FINAL_TYPE (RlPointsSource, rl_points_source, RL, POINTS_SOURCE, ShumateMapSource)

struct _RlPointsSource
{
  ShumateMapSource parent_instance;

  ShumateMapSource *inner; /* NULL: plain land */
  GWeakRef          layer;
};

G_DEFINE_FINAL_TYPE (RlPointsSource, rl_points_source, SHUMATE_TYPE_MAP_SOURCE)

typedef struct
{
  ShumateTile *tile;
  ShumateTile *inner;
} FillData;

static void
fill_data_free (gpointer data)
{
  FillData *fd = data;

  g_clear_object (&fd->tile);
  g_clear_object (&fd->inner);
  g_free (fd);
}

/* Borrows @task (the tile keeps a reference until its first composite); its
 * data becomes the ShumateTile itself. */
static void
start_composite (GTask        *task,
                 ShumateTile  *tile,
                 GdkPaintable *base_paintable)
{
  RlPointsSource *self = g_task_get_source_object (task);
  g_autoptr (RlMapLayer) layer = g_weak_ref_get (&self->layer);
  RlPointsTile *points;

  if (layer == NULL || (base_paintable != NULL && !GDK_IS_TEXTURE (base_paintable)))
    {
      /* No layer any more, or not a raster tile: the bare tile. */
      shumate_tile_set_paintable (tile, base_paintable);
      shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
      g_task_return_boolean (task, TRUE);
      return;
    }
  points = g_object_new (RL_TYPE_POINTS_TILE, NULL);
  g_weak_ref_set (&points->layer, layer);
  points->x = shumate_tile_get_x (tile);
  points->y = shumate_tile_get_y (tile);
  points->zoom = shumate_tile_get_zoom_level (tile);
  points->size = shumate_tile_get_size (tile);
  points->base = base_paintable != NULL ? g_object_ref (GDK_TEXTURE (base_paintable)) : NULL;
  points->inner = base_paintable != NULL && self->inner != NULL ? g_object_ref (self->inner) : NULL;
  g_task_set_task_data (task, g_object_ref (tile), g_object_unref);
  points->fill = g_object_ref (task); /* completed when first drawn */
  queue_tile (layer, points);
  g_object_unref (points);
}

static void
inner_filled_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  FillData *fd = g_task_get_task_data (task);
  g_autoptr (ShumateTile) tile = g_object_ref (fd->tile);
  g_autoptr (ShumateTile) inner = g_object_ref (fd->inner);
  g_autoptr (GError) error = NULL;
  gboolean filled;

  filled = shumate_map_source_fill_tile_finish (SHUMATE_MAP_SOURCE (object), result, &error);
  /* Scrolled away meanwhile; the bare tile is in the cache now. */
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!filled)
    {
      /* Offline or no such tile: the symbols on plain land. */
      g_debug ("tile %u/%u/%u: %s; the points go on plain land",
               shumate_tile_get_zoom_level (tile), shumate_tile_get_x (tile),
               shumate_tile_get_y (tile), error->message);
      start_composite (task, tile, NULL);
      return;
    }
  start_composite (task, tile, shumate_tile_get_paintable (inner));
}

/* The fill is over (returned, whatever its outcome). */
static void
fill_completed_cb (GTask      *task,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  RlPointsSource *self = g_task_get_source_object (task);
  g_autoptr (RlMapLayer) layer = g_weak_ref_get (&self->layer);

  if (layer != NULL && layer->tiles_filling > 0)
    layer->tiles_filling--;
}

static void
rl_points_source_fill_tile_async (ShumateMapSource   *source,
                                  ShumateTile        *tile,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  RlPointsSource *self = RL_POINTS_SOURCE (source);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  FillData *fd;

  g_task_set_source_tag (task, rl_points_source_fill_tile_async);
  {
    g_autoptr (RlMapLayer) layer = g_weak_ref_get (&self->layer);

    if (layer != NULL)
      {
        layer->tiles_filling++;
        g_signal_connect (task, "notify::completed", G_CALLBACK (fill_completed_cb), NULL);
      }
  }
  if (self->inner == NULL)
    {
      start_composite (task, tile, NULL);
      return;
    }
  fd = g_new0 (FillData, 1);
  fd->tile = g_object_ref (tile);
  fd->inner =
      shumate_tile_new_full (shumate_tile_get_x (tile), shumate_tile_get_y (tile),
                             shumate_tile_get_size (tile), shumate_tile_get_zoom_level (tile));
  g_task_set_task_data (task, fd, fill_data_free);
  /* Not @cancellable: libshumate 1.0.3's tile downloader writes a tile new
   * to its file cache in place, and a fill cancelled during that write
   * leaves an empty or cut file that every later read of the tile returns
   * ("Failed to create texture from tile data", the tile blank). The inner
   * fill always runs to its end; this one honours @cancellable then. */
  shumate_map_source_fill_tile_async (self->inner, fd->inner, NULL, inner_filled_cb,
                                      g_steal_pointer (&task));
}

static gboolean
rl_points_source_fill_tile_finish (ShumateMapSource *source,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
rl_points_source_finalize (GObject *object)
{
  RlPointsSource *self = RL_POINTS_SOURCE (object);

  g_clear_object (&self->inner);
  g_weak_ref_clear (&self->layer);

  G_OBJECT_CLASS (rl_points_source_parent_class)->finalize (object);
}

static void
rl_points_source_class_init (RlPointsSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rl_points_source_finalize;
  SHUMATE_MAP_SOURCE_CLASS (klass)->fill_tile_async = rl_points_source_fill_tile_async;
  SHUMATE_MAP_SOURCE_CLASS (klass)->fill_tile_finish = rl_points_source_fill_tile_finish;
}

static void
rl_points_source_init (RlPointsSource *self)
{
  g_weak_ref_init (&self->layer, NULL);
}

/* ---- The layer's side ------------------------------------------------------ */

ShumateMapSource *
rl_map_layer_wrap_source (RlMapLayer       *self,
                          ShumateMapSource *inner)
{
  RlPointsSource  *source;
  g_autofree char *id = NULL;

  g_return_val_if_fail (RL_IS_MAP_LAYER (self), NULL);
  g_return_val_if_fail (inner == NULL || SHUMATE_IS_MAP_SOURCE (inner), NULL);

  id = g_strdup_printf ("%s+reloop-points-%p",
                        inner != NULL ? shumate_map_source_get_id (inner) : "land", (void *) self);
  source = g_object_new (
      RL_TYPE_POINTS_SOURCE, "id", id, "name",
      inner != NULL ? shumate_map_source_get_name (inner) : "", "license",
      inner != NULL ? shumate_map_source_get_license (inner) : "", "license-uri",
      inner != NULL ? shumate_map_source_get_license_uri (inner) : "", "min-zoom-level",
      inner != NULL ? shumate_map_source_get_min_zoom_level (inner) : 0, "max-zoom-level",
      inner != NULL ? shumate_map_source_get_max_zoom_level (inner) : 20, "tile-size",
      inner != NULL ? shumate_map_source_get_tile_size (inner) : 256, "projection",
      SHUMATE_MAP_PROJECTION_MERCATOR, NULL);
  source->inner = inner != NULL ? g_object_ref (inner) : NULL;
  g_weak_ref_set (&source->layer, self);
  self->n_wrapped++;
  return SHUMATE_MAP_SOURCE (source);
}

static gboolean
is_our_tile_layer (RlMapLayer *self,
                   GtkWidget  *widget)
{
  g_autoptr (ShumateMapSource) source = NULL;
  g_autoptr (RlMapLayer) layer = NULL;

  if (!SHUMATE_IS_MAP_LAYER (widget))
    return FALSE;
  g_object_get (widget, "map-source", &source, NULL);
  if (source == NULL || !RL_IS_POINTS_SOURCE (source))
    return FALSE;
  layer = g_weak_ref_get (&RL_POINTS_SOURCE (source)->layer);
  return layer == self;
}

gboolean
rl_map_layer_has_tile_layer (RlMapLayer *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  if (parent == NULL || self->n_wrapped == 0)
    return FALSE;
  for (GtkWidget *w = gtk_widget_get_first_child (parent); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (gtk_widget_get_visible (w) && is_our_tile_layer (self, w))
      return TRUE;
  return FALSE;
}

void
rl_map_layer_queue_tiles (RlMapLayer *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  if (parent == NULL || self->n_wrapped == 0)
    return;
  for (GtkWidget *w = gtk_widget_get_first_child (parent); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (is_our_tile_layer (self, w))
      gtk_widget_queue_draw (w);
}

const RlMapTileKey *
rl_map_layer_get_view_key (RlMapLayer *self)
{
  GtkWidget        *widget = GTK_WIDGET (self);
  ShumateViewport  *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *ref = shumate_viewport_get_reference_map_source (viewport);
  double            zoom = shumate_viewport_get_zoom_level (viewport);
  double            rotation = shumate_viewport_get_rotation (viewport);
  float             w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  float             hw_px = w / 2, hh_px = h / 2, m = RL_MAP_LAYER_SYMBOL_MARGIN;
  RlMapArea         view = { 0 };
  RlMapTileKey      key = { 0 };

  rl_geo_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                  shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                  &view.cx, &view.cy);
  if (self->view_key_valid && view.cx == self->view_key_cx && view.cy == self->view_key_cy
      && zoom == self->view_key_zoom && w == self->view_key_w && h == self->view_key_h
      && self->view_key.scale_factor == gtk_widget_get_scale_factor (widget))
    return &self->view_key;

  if (rotation != 0)
    hw_px = hh_px = hypotf (w, h) / 2;
  view.zoom = zoom;
  view.scale = (ref != NULL ? shumate_map_source_get_tile_size (ref) : 256) * exp2 (zoom);
  view.bx0 = view.cx - (hw_px + m) / view.scale;
  view.bx1 = view.cx + (hw_px + m) / view.scale;
  view.by0 = view.cy - (hh_px + m) / view.scale;
  view.by1 = view.cy + (hh_px + m) / view.scale;
  key.version = self->symbols_version;
  key.scale_factor = gtk_widget_get_scale_factor (widget);
  key.symbol_scale = RL_MAP_SYMBOL_SCALE_ONE;
  {
    /* The zoom the symbols are sized for: the last settled one while the
     * zoom moves (an animation or a pinch must not draw every tile again
     * each frame), if the same tile level still shows. */
    double settled = self->settle_id != 0 ? self->settled_zoom : zoom;

    if (floor (settled) == floor (zoom))
      key.symbol_scale =
          (guint) MIN (lround (exp2 (settled - floor (settled)) * RL_MAP_SYMBOL_SCALE_ONE),
                       2 * RL_MAP_SYMBOL_SCALE_ONE - 1);
  }
  if (self->index != NULL)
    rl_map_layer_decide (self, &view, &key.content);
  else
    key.content.points = TRUE;

  if (!key_equal (&key, &self->view_key))
    self->composites_shown = FALSE;
  self->view_key = key;
  self->view_key_valid = TRUE;
  self->view_key_cx = view.cx;
  self->view_key_cy = view.cy;
  self->view_key_zoom = zoom;
  self->view_key_w = w;
  self->view_key_h = h;
  return &self->view_key;
}

static gboolean
viewport_idle_cb (gpointer user_data)
{
  RlMapLayer *self = user_data;

  self->viewport_idle = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static gboolean
settled_cb (gpointer user_data)
{
  RlMapLayer *self = user_data;

  self->settle_id = 0;
  /* Tiles are drawn again with symbols for this zoom if it is fractional. */
  self->view_key_valid = FALSE;
  rl_map_layer_queue_tiles (self);
  return G_SOURCE_REMOVE;
}

void
rl_map_layer_viewport_changed (RlMapLayer *self)
{
  double zoom = shumate_viewport_get_zoom_level (shumate_layer_get_viewport (SHUMATE_LAYER (self)));

  if (zoom != self->last_zoom)
    {
      if (self->settle_id == 0)
        self->settled_zoom = self->last_zoom;
      g_clear_handle_id (&self->settle_id, g_source_remove);
      self->settle_id = g_timeout_add (RL_MAP_SETTLE_MS, settled_cb, self);
      g_source_set_name_by_id (self->settle_id, "[reloop] map zoom settles");
      self->last_zoom = zoom;
    }

  /* libshumate 1.0's tile layer redraws after a viewport change from an
   * idle (its grid is recomputed there), so the tiles move one frame after
   * the viewport. Redrawn at once, the selection ring would move a frame
   * ahead of the point under it, and a frame would show only this layer
   * moved. So while the tiles carry the symbols, redraw from an idle of
   * the same priority: both move in the same frame. */
  if (!rl_map_layer_has_tile_layer (self))
    {
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  if (self->viewport_idle == 0)
    {
      self->viewport_idle = g_idle_add (viewport_idle_cb, self);
      g_source_set_name_by_id (self->viewport_idle, "[reloop] map layer follows the tiles");
    }
}

void
rl_map_layer_mark_dirty (RlMapLayer *self,
                         guint       i)
{
  double x, y;

  rl_geo_index_get_point (self->index, i, &x, &y);
  rl_map_layer_mark_dirty_at (self, x, y);
}

void
rl_map_layer_mark_dirty_at (RlMapLayer *self,
                            double      x,
                            double      y)
{
  /* The version data_redraw_cb's rl_map_layer_invalidate_data makes. */
  RlMapDirtyPoint d = { x, y, self->symbols_version + 1 };

  /* Bounded: past this many, every tile is redrawn instead. */
  if (self->dirty->len >= 4096)
    {
      self->dirty_since = self->symbols_version + 1;
      g_array_set_size (self->dirty, 0);
      return;
    }
  g_array_append_val (self->dirty, d);
}

void
rl_map_layer_tiles_dispose (RlMapLayer *self)
{
  RlPointsTile *tile;

  g_clear_handle_id (&self->tile_idle, g_source_remove);
  /* Tiles still waiting go to libshumate bare. */
  while ((tile = g_queue_pop_head (&self->tile_queue)) != NULL)
    {
      tile->queued = FALSE;
      complete_fill (tile);
      g_object_unref (tile);
    }
}

void
rl_map_layer_get_tile_stats (RlMapLayer *self,
                             guint      *out_rendered,
                             double     *out_total_ms,
                             double     *out_max_ms)
{
  g_return_if_fail (RL_IS_MAP_LAYER (self));

  if (out_rendered != NULL)
    *out_rendered = self->tiles_rendered;
  if (out_total_ms != NULL)
    *out_total_ms = self->tiles_render_us / 1000.0;
  if (out_max_ms != NULL)
    *out_max_ms = self->tiles_render_max_us / 1000.0;
}

gboolean
rl_map_layer_get_composited (RlMapLayer *self)
{
  g_return_val_if_fail (RL_IS_MAP_LAYER (self), FALSE);
  return self->frame_composited;
}

void
rl_map_layer_get_symbol_versions (RlMapLayer *self,
                                  guint      *out_current,
                                  guint      *out_oldest_drawn)
{
  g_return_if_fail (RL_IS_MAP_LAYER (self));

  if (out_current != NULL)
    *out_current = self->symbols_version + (self->redraw_source != 0 ? 1 : 0);
  if (out_oldest_drawn != NULL)
    *out_oldest_drawn = self->tiles_pass_min_version;
}

gboolean
rl_map_layer_get_busy (RlMapLayer *self)
{
  g_return_val_if_fail (RL_IS_MAP_LAYER (self), FALSE);

  return self->tiles_filling > 0 || !g_queue_is_empty (&self->tile_queue)
         || self->redraw_source != 0 || self->viewport_idle != 0;
}
