/* dispatch-synth.h — the synthetic bin histories of bench-dispatch, shared
 * with the forecast agreement test: each bin fills at its own rate (0.2–2.5
 * points an hour) with ±1.5 points of noise, and is emptied (to 0–8 %) once
 * it reaches 80–95 %; one reading every 15 minutes up to @now_ms.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <math.h>

#include "rl-store.h"
#include "rl-time.h"

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

/* A cache of @points drop points "dp-NNNNNN" with bins "bin-NNNNNN", each
 * with @per_point readings up to @now (one transaction, prepared
 * statements). Seed 4242. */
G_GNUC_UNUSED static void
synth_fill_cache (RlStore *store,
                  int      points,
                  int      per_point,
                  gint64   now)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);
  g_autoptr (GRand) rand = g_rand_new_with_seed (4242);
  g_autofree gint64 *ts = g_new (gint64, per_point);
  g_autofree double *fill = g_new (double, per_point);
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_no_error (error);
  for (int i = 0; i < points; i++)
    {
      g_autofree char *json = NULL;
      g_autofree char *last = NULL;
      char             device[32];

      g_snprintf (device, sizeof device, "bin-%06d", i);
      synth_series (rand, now, per_point, ts, fill);
      for (int k = 0; k < per_point; k++)
        g_assert_cmpint (rl_store_batch_add_reading (batch, device, ts[k], fill[k], NAN, NAN, NAN,
                                                     NAN, &error),
                         ==, RL_STORE_READING_ADDED);
      last = rl_time_format_ms (ts[per_point - 1]);
      json = g_strdup_printf (
          "{\"id\":\"dp-%06d\",\"name\":\"Bin %d\",\"address\":\"Ward %d, Kathmandu\","
          "\"latitude\":27.7,\"longitude\":85.3,\"status\":\"active\","
          "\"deviceId\":\"%s\",\"fillLevel\":%.1f,\"isOnline\":true,\"version\":1,"
          "\"lastReadingAt\":\"%s\"}",
          i, i, i % 32 + 1, device, fill[per_point - 1], last);
      g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
      g_assert_true (rl_store_batch_upsert (
          batch, "drop_point", json_node_get_object (json_parser_get_root (parser)), &error));
      g_assert_no_error (error);
    }
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
}
