/* bench-sim.c — sustained simulator publish rate against a real broker, and tile render times.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints one JSON line. Options: --rate N (default 5000), --devices N
 * (default 2000), --seconds N (default 8).
 */
#include "rl-dev-sim.h"
#include "rl-dev-tiles.h"
#include "rl-test-util.h"

#include <math.h>
#include <mosquitto.h>
#include <stdio.h>

static guint64 received;
static guint64 batched;

static void
on_connect (struct mosquitto *mosq,
            void             *data,
            int               rc)
{
  char *subs[] = { "devices/+/sensor-data", "devices/+/status", "devices/+/alerts" };

  if (rc == 0)
    mosquitto_subscribe_multiple (mosq, NULL, 3, subs, 1, 0, NULL);
}

static void
on_message (struct mosquitto               *mosq,
            void                           *data,
            const struct mosquitto_message *msg)
{
  __atomic_fetch_add (&received, 1, __ATOMIC_RELAXED);
}

static void
batch_cb (const RlDevSimReading *readings,
          guint                  n_readings,
          const RlDevSimStatus  *statuses,
          guint                  n_statuses,
          const RlDevSimAlert   *alerts,
          guint                  n_alerts,
          gpointer               data)
{
  batched += n_readings + n_statuses + n_alerts;
}

static double
tile_ms (void)
{
  gint64 t0 = g_get_monotonic_time ();
  guint  n = 0;

  /* Distinct tiles over the valley (nothing cached), z 12–16. */
  for (guint z = 12; z <= 16; z++)
    {
      double scale = (double) (1u << z);
      guint  x0 = (guint) floor ((85.30 + 180.0) / 360.0 * scale);
      double r = 27.70 * G_PI / 180.0;
      guint  y0 = (guint) floor ((1.0 - log (tan (r) + 1.0 / cos (r)) / G_PI) / 2.0 * scale);

      for (guint dx = 0; dx < 6; dx++)
        for (guint dy = 0; dy < 6; dy++)
          {
            g_autoptr (GBytes) png = rl_dev_tiles_render_png (z, x0 + dx, y0 + dy, NULL);

            g_assert_nonnull (png);
            n++;
          }
    }
  return (double) (g_get_monotonic_time () - t0) / 1000.0 / n;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestBroker) broker = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  double       rate = 5000, seconds = 8;
  int          devices = 2000;
  GOptionEntry entries[] = {
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, "Messages per second", "N" },
    { "devices", 0, 0, G_OPTION_ARG_INT, &devices, "Bins", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Measured seconds", "S" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  struct mosquitto *sub;
  RlDevSim         *sim;
  guint64           p0, p1, f1, r0, r1, a0, a1;
  gint64            t0, t1;
  double            per_tile;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  broker = rl_test_broker_start (&error);
  if (broker == NULL)
    {
      g_printerr ("bench-sim: %s\n", error->message);
      return 1;
    }

  mosquitto_lib_init ();
  sub = mosquitto_new ("rl-bench-sub", TRUE, NULL);
  mosquitto_connect_callback_set (sub, on_connect);
  mosquitto_message_callback_set (sub, on_message);
  mosquitto_connect (sub, "127.0.0.1", (int) broker->port, 30);
  mosquitto_loop_start (sub);

  sim = rl_dev_sim_new (broker->url, "devices", rate, 7, &error);
  g_assert_no_error (error);
  for (int i = 0; i < devices; i++)
    {
      g_autofree char *id = g_strdup_printf ("bin-%06d", i);
      RlDevSimDevice   device = {
          .device_id = id,
          .drop_point_id = id,
          .latitude = 27.65 + 0.1 * g_rand_double (rand),
          .longitude = 85.25 + 0.15 * g_rand_double (rand),
          .capacity_liters = 240,
          .fill_level = -1,
          .battery_level = 0,
      };

      rl_dev_sim_add_device (sim, &device);
    }
  rl_dev_sim_set_batch_func (sim, batch_cb, NULL);
  if (!rl_dev_sim_start (sim, &error))
    {
      g_printerr ("bench-sim: %s\n", error->message);
      return 1;
    }

  rl_test_run_main_loop (1500); /* connect, announce every bin */
  rl_dev_sim_get_counters (sim, &p0, NULL);
  r0 = __atomic_load_n (&received, __ATOMIC_RELAXED);
  a0 = rl_dev_sim_get_acked (sim);
  t0 = g_get_monotonic_time ();
  rl_test_run_main_loop ((guint) (seconds * 1000));
  t1 = g_get_monotonic_time ();
  rl_dev_sim_get_counters (sim, &p1, &f1);
  r1 = __atomic_load_n (&received, __ATOMIC_RELAXED);
  a1 = rl_dev_sim_get_acked (sim);
  rl_dev_sim_free (sim);

  mosquitto_disconnect (sub);
  mosquitto_loop_stop (sub, false);
  mosquitto_destroy (sub);
  mosquitto_lib_cleanup ();

  per_tile = tile_ms ();

  {
    double secs = (double) (t1 - t0) / G_USEC_PER_SEC;

    printf ("{\"bench\":\"simulator\",\"devices\":%d,\"target_rate\":%.0f,"
            "\"published_per_s\":%.0f,\"acked_per_s\":%.0f,\"received_per_s\":%.0f,"
            "\"failed\":%" G_GUINT64_FORMAT ",\"batched_total\":%" G_GUINT64_FORMAT ","
            "\"tile_render_ms\":%.2f}\n",
            devices, rate, (p1 - p0) / secs, (a1 - a0) / secs, (r1 - r0) / secs,
            f1, batched, per_tile);
  }
  return 0;
}
