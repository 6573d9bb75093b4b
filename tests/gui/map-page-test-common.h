/* map-page-test-common.h — helpers of test-map-page.c: widget look-ups,
 * rendering and pixel counts, readings cached as the panel caches them.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <math.h>

#include "gui-test-common.h"
#include "rl-store.h"
#include "rl-test-util.h"
#include "rl-time.h"

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)

static inline GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static inline GtkWidget *
find_row (GtkWidget  *widget,
          GType       type,
          const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_row (c, type, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A widget rendered; NULL before it has a size. */
static inline GdkTexture *
render_widget (GtkWidget *map)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (map);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  int w = gtk_widget_get_width (map), h = gtk_widget_get_height (map);

  if (w <= 0 || h <= 0)
    return NULL;
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return NULL;
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (map)),
                                      node, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

/* Pixels of the rendered widget within 2 of an RGB colour. */
static inline guint
count_pixels (GtkWidget *map,
              guint32    rgb)
{
  g_autoptr (GdkTexture) texture = render_widget (map);
  g_autofree guchar *data = NULL;
  int                w, h;
  guint              n = 0;

  if (texture == NULL)
    return 0;
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  data = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, data, (gsize) w * 4); /* B8G8R8A8 premultiplied */
  for (gsize i = 0; i < (gsize) w * h; i++)
    {
      const guchar *p = data + i * 4;

      if (ABS (p[2] - (int) ((rgb >> 16) & 0xff)) <= 2
          && ABS (p[1] - (int) ((rgb >> 8) & 0xff)) <= 2 && ABS (p[0] - (int) (rgb & 0xff)) <= 2
          && p[3] == 0xff)
        n++;
    }
  return n;
}

typedef struct
{
  guint skip;
  char *id;
  char *device;
} NthBin;

static inline gboolean
nth_bin_cb (const RlStoreDropPoint *dp,
            gpointer                user_data)
{
  NthBin *nb = user_data;

  if (dp->device_id == NULL || g_strcmp0 (dp->status, "retired") == 0)
    return TRUE;
  if (nb->skip-- > 0)
    return TRUE;
  nb->id = g_strdup (dp->id);
  nb->device = g_strdup (dp->device_id);
  return FALSE;
}

/* A week of readings of a few bins, cached as the panel would. */
static inline void
cache_readings (RlTestDevserver *server,
                RlStore         *store,
                guint            n_points)
{
  g_autofree char *token = rl_test_login (server, "dispatcher@demo.reloop.np");

  for (guint i = 0; i < n_points; i++)
    {
      g_autoptr (GError) error = NULL;
      NthBin nb = { .skip = i };

      g_assert_true (rl_store_foreach_drop_point (store, nth_bin_cb, &nb, &error));
      g_assert_nonnull (nb.id);
      rl_test_cache_week_of_readings (server, token, store, nb.id, nb.device);
      g_free (nb.id);
      g_free (nb.device);
    }
}
