/* test-sim-model.c — the bin model: fill curves, collections, weekly pattern, ranges.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-dev-sim-private.h"
#include "rl-time.h"

#include <json-glib/json-glib.h>
#include <math.h>

#define N_BINS 400

/* Monday 2026-11-23, midnight in Kathmandu: no festival window. */
static gint64
monday_midnight (void)
{
  gint64 ms = 0;

  g_assert_true (rl_time_parse_ms ("2026-11-23T00:00:00+05:45", &ms));
  return ms;
}

static RlDevSimBin *
make_fleet (guint32 seed,
            guint   n)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  RlDevSimBin *bins = g_new0 (RlDevSimBin, n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("bin-%06u", i);
      RlDevSimDevice   device = {
          .device_id = id,
          .drop_point_id = "dp",
          /* Spread over the valley, core to outskirts. */
          .latitude = 27.64 + 0.12 * g_rand_double (rand),
          .longitude = 85.26 + 0.14 * g_rand_double (rand),
          .capacity_liters = (i % 3 == 0) ? 1100 : 240,
          .fill_level = -1,
          .battery_level = 0,
      };

      rl_dev_sim_bin_init (&bins[i], &device, rand);
    }
  return bins;
}

static void
free_fleet (RlDevSimBin *bins,
            guint        n)
{
  for (guint i = 0; i < n; i++)
    rl_dev_sim_bin_clear (&bins[i]);
  g_free (bins);
}

static void
assert_in_contract (const RlDevSimReading *r)
{
  g_assert_cmpfloat (r->fill_level, >=, 0.0);
  g_assert_cmpfloat (r->fill_level, <=, 100.0);
  g_assert_cmpfloat (r->battery_level, >=, 0.0);
  g_assert_cmpfloat (r->battery_level, <=, 100.0);
  g_assert_cmpfloat (r->humidity, >=, 0.0);
  g_assert_cmpfloat (r->humidity, <=, 100.0);
  g_assert_cmpfloat (r->weight, >=, 0.0);
  g_assert_cmpfloat (r->temperature, >=, -40.0);
  g_assert_cmpfloat (r->temperature, <=, 85.0);
  g_assert_false (isnan (r->fill_level) || isnan (r->weight) || isnan (r->temperature)
                  || isnan (r->humidity) || isnan (r->battery_level));
}

/* Two weeks in 10-minute steps: every reading in range, fill never drops
 * except when a crew empties the bin, and collections really happen. */
static void
test_ranges_and_monotonic (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  RlDevSimBin *bins = make_fleet (42, N_BINS);
  gint64       t0 = monday_midnight ();
  double      *prev = g_new0 (double, N_BINS);
  guint       *prev_collections = g_new0 (guint, N_BINS);
  guint        collections = 0, offline_steps = 0, steps = 0, spikes = 0, low_battery = 0;

  for (guint i = 0; i < N_BINS; i++)
    {
      RlDevSimReading r;

      rl_dev_sim_bin_advance (&bins[i], t0, rand);
      rl_dev_sim_bin_read (&bins[i], rand, &r);
      prev[i] = r.fill_level;
    }

  for (gint64 t = t0 + 600000; t <= t0 + 14 * 24 * RL_DEV_SIM_HOUR_MS; t += 600000)
    for (guint i = 0; i < N_BINS; i++)
      {
        RlDevSimReading r;

        rl_dev_sim_bin_advance (&bins[i], t, rand);
        rl_dev_sim_bin_read (&bins[i], rand, &r);
        assert_in_contract (&r);
        g_assert_cmpstr (r.device_id, ==, bins[i].device_id);
        if (bins[i].n_collections == prev_collections[i])
          g_assert_cmpfloat (r.fill_level, >=, prev[i]);
        else
          collections++;
        prev[i] = r.fill_level;
        prev_collections[i] = bins[i].n_collections;
        offline_steps += rl_dev_sim_bin_is_offline (&bins[i]);
        spikes += r.temperature > 50.0;
        low_battery += r.battery_level < 20.0;
        steps++;
      }

  /* Every bin fills within two weeks, so crews come by a lot. */
  g_assert_cmpuint (collections, >, N_BINS);
  /* A small share of bins is offline at any time: present, but rare. */
  g_assert_cmpuint (offline_steps, >, 0);
  g_assert_cmpfloat ((double) offline_steps / steps, <, 0.05);
  g_assert_cmpuint (spikes, >, 0);
  g_assert_cmpfloat ((double) spikes / steps, <, 0.001);
  g_assert_cmpuint (low_battery, >, 0);
  g_assert_cmpfloat ((double) low_battery / steps, <, 0.2);

  g_free (prev);
  g_free (prev_collections);
  free_fleet (bins, N_BINS);
}

static void
test_collection_resets (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  RlDevSimBin    *bins = make_fleet (5, 20);
  gint64          t = monday_midnight ();
  RlDevSimReading r;

  /* Manual collection: a crew empties it now. */
  bins[0].fill = 88.0;
  rl_dev_sim_bin_collect (&bins[0], rand);
  rl_dev_sim_bin_read (&bins[0], rand, &r);
  g_assert_cmpfloat (r.fill_level, <=, 5.0);
  g_assert_cmpuint (bins[0].n_collections, ==, 1);

  /* Automatic: a bin near full is emptied within hours of passing 95 %. */
  rl_dev_sim_bin_advance (&bins[1], t, rand);
  bins[1].fill = 94.0;
  for (guint h = 1; h <= 48 && bins[1].n_collections == 0; h++)
    rl_dev_sim_bin_advance (&bins[1], t + h * RL_DEV_SIM_HOUR_MS, rand);
  g_assert_cmpuint (bins[1].n_collections, ==, 1);
  g_assert_cmpfloat (bins[1].fill, <, 30.0);

  /* A full bin never reads above 100. */
  bins[2].fill = 99.9;
  bins[2].collect_at = 0;
  rl_dev_sim_bin_advance (&bins[2], t, rand);
  rl_dev_sim_bin_advance (&bins[2], t + RL_DEV_SIM_HOUR_MS / 2, rand);
  rl_dev_sim_bin_read (&bins[2], rand, &r);
  g_assert_cmpfloat (r.fill_level, <=, 100.0);

  /* A weak battery gets serviced on some collection. */
  bins[3].battery = 10.0;
  for (guint i = 0; i < 50 && bins[3].battery < 90.0; i++)
    rl_dev_sim_bin_collect (&bins[3], rand);
  g_assert_cmpfloat (bins[3].battery, >=, 96.0);

  free_fleet (bins, 20);
}

/* Demand: Saturday above weekdays, morning above night, in the activity
 * curve and in what the bins actually gain hour by hour. */
static void
test_weekday_pattern (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  RlDevSimBin *bins = make_fleet (99, N_BINS);
  gint64       t0 = monday_midnight ();
  double       by_weekday[7] = { 0 }, by_hour[24] = { 0 };
  double       sat_activity = 0, tue_activity = 0, weekday_mean;

  for (guint h = 0; h < 24; h++)
    {
      tue_activity += rl_dev_sim_activity (t0 + (24 + h) * RL_DEV_SIM_HOUR_MS);
      sat_activity += rl_dev_sim_activity (t0 + (5 * 24 + h) * RL_DEV_SIM_HOUR_MS);
    }
  g_assert_cmpfloat (sat_activity, >, 1.3 * tue_activity);

  for (guint i = 0; i < N_BINS; i++)
    rl_dev_sim_bin_advance (&bins[i], t0, rand);
  for (guint h = 1; h <= 21 * 24; h++)
    for (guint i = 0; i < N_BINS; i++)
      {
        double before = bins[i].fill;
        guint  collections = bins[i].n_collections;
        gint64 t = t0 + h * RL_DEV_SIM_HOUR_MS;

        rl_dev_sim_bin_advance (&bins[i], t, rand);
        /* Increments of full bins or emptied ones say nothing about demand. */
        if (bins[i].n_collections == collections && bins[i].fill < 100.0)
          {
            double gain = bins[i].fill - before;

            g_assert_cmpfloat (gain, >=, 0.0);
            by_weekday[((h - 1) / 24 + 1) % 7] += gain; /* t0 is a Monday: index 0 = Sunday */
            by_hour[(h - 1) % 24] += gain;
          }
      }

  weekday_mean = (by_weekday[1] + by_weekday[2] + by_weekday[3] + by_weekday[4]) / 4.0;
  g_test_message ("gain by weekday Sun..Sat: %.0f %.0f %.0f %.0f %.0f %.0f %.0f",
                  by_weekday[0], by_weekday[1], by_weekday[2], by_weekday[3],
                  by_weekday[4], by_weekday[5], by_weekday[6]);
  g_assert_cmpfloat (by_weekday[6], >, 1.2 * weekday_mean);
  g_assert_cmpfloat (by_weekday[6], >, by_weekday[5]);
  /* 07:00–08:00 local against 02:00–03:00 local. */
  g_assert_cmpfloat (by_hour[7], >, 2.5 * by_hour[2]);
  /* The evening peak beats mid-afternoon. */
  g_assert_cmpfloat (by_hour[18], >, by_hour[15]);

  free_fleet (bins, N_BINS);
}

static void
test_festival_and_temperature (void)
{
  gint64 dashain = 0, plain = 0;
  double min = 100, max = -100, at_dawn, at_afternoon;

  g_assert_true (rl_time_parse_ms ("2026-10-14T08:00:00+05:45", &dashain)); /* a Wednesday */
  g_assert_true (rl_time_parse_ms ("2026-12-09T08:00:00+05:45", &plain));   /* a Wednesday */
  g_assert_cmpfloat (rl_dev_sim_activity (dashain), >, 1.2 * rl_dev_sim_activity (plain));

  for (guint m = 0; m < 24 * 60; m += 5)
    {
      double temp = rl_dev_sim_diurnal_temp (plain + m * 60000);

      min = MIN (min, temp);
      max = MAX (max, temp);
    }
  g_assert_cmpfloat (min, >=, 8.0 - 1e-9);
  g_assert_cmpfloat (max, <=, 30.0 + 1e-9);
  g_assert_cmpfloat (max - min, >, 20.0);
  g_assert_true (rl_time_parse_ms ("2026-12-09T04:00:00+05:45", &plain));
  at_dawn = rl_dev_sim_diurnal_temp (plain);
  at_afternoon = rl_dev_sim_diurnal_temp (plain + 10 * RL_DEV_SIM_HOUR_MS);
  g_assert_cmpfloat (at_afternoon, >, at_dawn + 15.0);
}

/* The same seed gives the same fleet and the same history. */
static void
test_deterministic (void)
{
  RlDevSimBin *a = make_fleet (1234, 50);
  RlDevSimBin *b = make_fleet (1234, 50);
  RlDevSimBin *c = make_fleet (4321, 50);
  g_autoptr (GRand) ra = g_rand_new_with_seed (9);
  g_autoptr (GRand) rb = g_rand_new_with_seed (9);
  gint64 t0 = monday_midnight ();
  guint  differ = 0;

  for (guint i = 0; i < 50; i++)
    {
      g_assert_cmpfloat (a[i].rate_pct_h, ==, b[i].rate_pct_h);
      g_assert_cmpfloat (a[i].fill, ==, b[i].fill);
      differ += a[i].rate_pct_h != c[i].rate_pct_h;
    }
  g_assert_cmpuint (differ, >, 40);

  for (guint h = 0; h < 72; h++)
    for (guint i = 0; i < 50; i++)
      {
        rl_dev_sim_bin_advance (&a[i], t0 + h * RL_DEV_SIM_HOUR_MS, ra);
        rl_dev_sim_bin_advance (&b[i], t0 + h * RL_DEV_SIM_HOUR_MS, rb);
        g_assert_cmpfloat (a[i].fill, ==, b[i].fill);
        g_assert_cmpfloat (a[i].battery, ==, b[i].battery);
      }

  free_fleet (a, 50);
  free_fleet (b, 50);
  free_fleet (c, 50);
}

/* Values handed in by the devserver's seed are the starting state. */
static void
test_initial_state (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  RlDevSimDevice  device = { "bin-x", "dp-x", 27.7154, 85.3123, 0, 64.0, 88.0 };
  RlDevSimBin     bin;
  RlDevSimReading r;

  rl_dev_sim_bin_init (&bin, &device, rand);
  rl_dev_sim_bin_read (&bin, rand, &r);
  g_assert_cmpfloat (r.fill_level, ==, 64.0);
  g_assert_cmpfloat (r.battery_level, ==, 88.0);
  g_assert_cmpfloat (bin.capacity, ==, 240.0);
  /* Weight follows fill × capacity × density. */
  g_assert_cmpfloat (fabs (r.weight - 0.64 * 240.0 * bin.density), <, 0.01);
  rl_dev_sim_bin_clear (&bin);
}

/* Payloads: valid JSON, the same instant whether written in UTC or +05:45,
 * ids escaped. */
static void
test_payloads (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (2);
  g_autoptr (GString) s = g_string_new (NULL);
  RlDevSimDevice  device = { "bin-\"odd\\id", "dp", 27.7154, 85.3123, 1100, 42.0, 77.0 };
  RlDevSimBin     bin;
  RlDevSimReading r;
  gint64          when = 0;

  g_assert_true (rl_time_parse_ms ("2026-11-23T06:15:30.123Z", &when));
  rl_dev_sim_bin_init (&bin, &device, rand);
  rl_dev_sim_bin_read (&bin, rand, &r);
  r.timestamp_ms = when;

  for (guint nepal = 0; nepal < 2; nepal++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      JsonObject *o, *gps;
      gint64      ms = 0;
      const char *ts;

      rl_dev_sim_json_reading (s, &bin, &r, nepal);
      json_parser_load_from_data (parser, s->str, (gssize) s->len, &error);
      g_assert_no_error (error);
      o = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (o, "binId"), ==, "bin-\"odd\\id");
      g_assert_cmpfloat (json_object_get_double_member (o, "fillLevel"), ==, 42.0);
      g_assert_cmpfloat (json_object_get_double_member (o, "batteryLevel"), ==, 77.0);
      gps = json_object_get_object_member (o, "gpsCoordinates");
      g_assert_cmpfloat (fabs (json_object_get_double_member (gps, "latitude") - 27.7154), <, 1e-6);
      ts = json_object_get_string_member (o, "timestamp");
      g_assert_true (rl_time_parse_ms (ts, &ms));
      g_assert_cmpint (ms, ==, when);
      if (nepal)
        g_assert_cmpstr (ts, ==, "2026-11-23T12:00:30.123+05:45");
      else
        g_assert_true (g_str_has_suffix (ts, "Z"));
    }

  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    g_autoptr (GError) error = NULL;
    JsonObject *o;

    rl_dev_sim_json_status (s, FALSE, -71, when, TRUE);
    json_parser_load_from_data (parser, s->str, (gssize) s->len, &error);
    g_assert_no_error (error);
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_false (json_object_get_boolean_member (o, "online"));
    g_assert_cmpint (json_object_get_int_member (o, "signal"), ==, -71);
    g_assert_nonnull (json_object_get_string_member (o, "firmware"));
  }
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    g_autoptr (GError) error = NULL;
    JsonObject *o;

    rl_dev_sim_json_alert (s, "FULL_BIN", "HIGH", "Bin is \"full\"\n", when, FALSE);
    json_parser_load_from_data (parser, s->str, (gssize) s->len, &error);
    g_assert_no_error (error);
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (o, "type"), ==, "FULL_BIN");
    g_assert_cmpstr (json_object_get_string_member (o, "severity"), ==, "HIGH");
    g_assert_cmpstr (json_object_get_string_member (o, "message"), ==, "Bin is \"full\"\n");
  }
  rl_dev_sim_bin_clear (&bin);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sim/model/ranges-monotonic", test_ranges_and_monotonic);
  g_test_add_func ("/sim/model/collection", test_collection_resets);
  g_test_add_func ("/sim/model/weekday-pattern", test_weekday_pattern);
  g_test_add_func ("/sim/model/festival-temperature", test_festival_and_temperature);
  g_test_add_func ("/sim/model/deterministic", test_deterministic);
  g_test_add_func ("/sim/model/initial-state", test_initial_state);
  g_test_add_func ("/sim/model/payloads", test_payloads);

  return g_test_run ();
}
