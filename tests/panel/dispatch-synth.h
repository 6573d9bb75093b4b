/* dispatch-synth.h — the synthetic bin histories of bench-dispatch, shared
 * with the forecast agreement test: each bin fills at its own rate (0.2–2.5
 * points an hour) with ±1.5 points of noise, and is emptied (to 0–8 %) once
 * it reaches 80–95 %; one reading every 15 minutes up to @now_ms.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#define SYNTH_STEP_MS (G_GINT64_CONSTANT (15) * 60 * 1000)

/* @n readings of one bin into @ts/@fill (oldest first); returns the last
 * true (noise-free) fill. Same @rand state → same series. */
static inline double
synth_series (GRand  *rand,
              gint64  now_ms,
              int     n,
              gint64 *ts,
              double *fill)
{
  double level = g_rand_double_range (rand, 0, 60);
  double rate = g_rand_double_range (rand, 0.2, 2.5);
  double empty_at = g_rand_double_range (rand, 80, 95);

  for (int k = n - 1, i = 0; k >= 0; k--, i++)
    {
      ts[i] = now_ms - (gint64) k * SYNTH_STEP_MS;
      fill[i] = CLAMP (level + g_rand_double_range (rand, -1.5, 1.5), 0, 100);
      level += rate * 0.25;
      if (level >= empty_at)
        level = g_rand_double_range (rand, 0, 8);
    }
  return level;
}
