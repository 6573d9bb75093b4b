/* rl-map-view.c — fitting the map to the fleet's extent.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "rl-map-view.h"

#define MAX_LATITUDE 85.05112878

/* Web Mercator, 0..1 across the world. */
static double
mercator_y (double latitude)
{
  double phi = CLAMP (latitude, -MAX_LATITUDE, MAX_LATITUDE) * G_PI / 180.0;

  return (1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0;
}

static double
latitude_of (double y)
{
  return atan (sinh (G_PI * (1.0 - 2.0 * y))) * 180.0 / G_PI;
}

gboolean
rl_map_view_fit (guint         n,
                 const double *latitudes,
                 const double *longitudes,
                 double        width,
                 double        height,
                 double        margin,
                 double        tile_size,
                 double        min_zoom,
                 double        max_zoom,
                 RlViewport   *out)
{
  double min_x = INFINITY, max_x = -INFINITY, min_y = INFINITY, max_y = -INFINITY;
  double span_x, span_y, room_x, room_y, zoom;
  guint  used = 0;

  for (guint i = 0; i < n; i++)
    {
      double x, y;

      if (!isfinite (latitudes[i]) || !isfinite (longitudes[i]))
        continue;
      x = (CLAMP (longitudes[i], -180.0, 180.0) + 180.0) / 360.0;
      y = mercator_y (latitudes[i]);
      min_x = MIN (min_x, x);
      max_x = MAX (max_x, x);
      min_y = MIN (min_y, y);
      max_y = MAX (max_y, y);
      used++;
    }
  if (used == 0)
    return FALSE;

  span_x = max_x - min_x;
  span_y = max_y - min_y;
  room_x = MAX (width - 2 * margin, 1.0);
  room_y = MAX (height - 2 * margin, 1.0);
  /* At zoom z the world is tile_size · 2^z px wide. */
  zoom = max_zoom;
  if (span_x > 0)
    zoom = MIN (zoom, log2 (room_x / (span_x * tile_size)));
  if (span_y > 0)
    zoom = MIN (zoom, log2 (room_y / (span_y * tile_size)));
  /* A whole zoom: the tiles and the symbols drawn into them at their own
   * size, crisp (a fractional first view showed them enlarged, blurred). */
  out->zoom = CLAMP (floor (zoom), min_zoom, max_zoom);
  out->longitude = (min_x + max_x) / 2.0 * 360.0 - 180.0;
  out->latitude = latitude_of ((min_y + max_y) / 2.0);
  return TRUE;
}
