/* rl-devserver-main.c — reloop-devserver: the reference backend of the
 * ReLoop contract, for tests and the demo.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "rl-dev-private.h"
#include "rl-dev-tiles.h"
#include "rl-time.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
tick_cb (gpointer data)
{
  RlDevServer *srv = data;

  rl_dev_workflows_tick (srv);
  rl_dev_sync_tick (srv);
  rl_dev_providers_tick (srv);
  /* with live telemetry, look for silent bins every ~30 s */
  if (srv->sim != NULL && ++srv->ticks % 100 == 0)
    rl_dev_offline_scan (srv);
  return G_SOURCE_CONTINUE;
}

static void
add_devices_to_sim (RlDevServer *srv)
{
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (
      srv->db,
      "SELECT id, json_extract (data, '$.deviceId'), json_extract (data, '$.latitude'),"
      " json_extract (data, '$.longitude'), json_extract (data, '$.capacityLiters'),"
      " json_extract (data, '$.fillLevel'), json_extract (data, '$.batteryLevel')"
      " FROM records WHERE entity = 'drop_point' AND deleted = 0"
      " AND json_extract (data, '$.deviceId') IS NOT NULL ORDER BY id",
      -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RlDevSimDevice device = {
        .drop_point_id = (const char *) sqlite3_column_text (stmt, 0),
        .device_id = (const char *) sqlite3_column_text (stmt, 1),
        .latitude = sqlite3_column_double (stmt, 2),
        .longitude = sqlite3_column_double (stmt, 3),
        .capacity_liters = sqlite3_column_double (stmt, 4),
        .fill_level = sqlite3_column_double (stmt, 5),
        .battery_level = sqlite3_column_double (stmt, 6),
      };
      rl_dev_sim_add_device (srv->sim, &device);
    }
  sqlite3_finalize (stmt);
}

/* The Kathmandu valley box of --export-mbtiles: the seed's neighbourhoods
 * and their scatter are clamped to this box. */
#define EXPORT_MIN_LAT 27.62
#define EXPORT_MAX_LAT 27.78
#define EXPORT_MIN_LON 85.24
#define EXPORT_MAX_LON 85.45

int
main (int    argc,
      char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *tmpdir = NULL;
  RlDevServer      srv = { 0 };
  gint             port = 0;
  g_autofree char *bind = NULL;
  g_autofree char *db_path = NULL;
  gint             drop_points = 2000;
  gint             extra_runs = 0;
  gint64           seed = 1;
  gint             health_interval = 5;
  gint             drift_interval = 3;
  g_autofree char *mqtt = NULL;
  double           rate = 10.0;
  g_autofree char *mqtt_prefix = NULL;
  g_autofree char *faults = NULL;
  gint             token_ttl = 900;
  g_autofree char *request_log = NULL;
  gboolean         version = FALSE;
  gboolean         no_tiles = FALSE;
  g_autofree char *export_mbtiles = NULL;
  gint             export_min_zoom = 10;
  gint             export_max_zoom = 15;
  guint            bound_port = 0;
  gint64           t0 = g_get_monotonic_time ();
  GOptionEntry     entries[] = {
        { "port", 0, 0, G_OPTION_ARG_INT, &port, "TCP port (0 = any free port)", "N" },
        { "bind", 0, 0, G_OPTION_ARG_STRING, &bind, "Address to listen on (default 127.0.0.1)",
          "ADDR" },
        { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "SQLite file (default: a temporary file)",
          "PATH" },
        { "drop-points", 0, 0, G_OPTION_ARG_INT, &drop_points, "Drop points to seed (default 2000)",
          "N" },
        { "runs", 0, 0, G_OPTION_ARG_INT, &extra_runs,
          "Finished runs to seed besides the history, 5 to 25 days old (default 0)", "N" },
        { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (same seed, same fleet)", "N" },
        { "mqtt", 0, 0, G_OPTION_ARG_STRING, &mqtt, "Broker URL for the bin simulator", "URL" },
        { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, "Simulator messages per second", "MSGS_PER_S" },
        { "mqtt-prefix", 0, 0, G_OPTION_ARG_STRING, &mqtt_prefix, "Topic prefix (default devices)",
          "P" },
        { "faults", 0, 0, G_OPTION_ARG_STRING, &faults,
          "Fault injection at start, e.g. 500:0.1,latency:200-2000", "SPEC" },
        { "token-ttl", 0, 0, G_OPTION_ARG_INT, &token_ttl, "Access token life in seconds (default 900)",
          "SECONDS" },
        { "request-log", 0, 0, G_OPTION_ARG_FILENAME, &request_log,
          "Write every API request as a JSON line", "FILE" },
        { "health-interval", 0, 0, G_OPTION_ARG_INT, &health_interval,
          "Seconds between provider health checks (default 5, 0 = none)", "SECONDS" },
        { "drift-interval", 0, 0, G_OPTION_ARG_INT, &drift_interval,
          "Seconds between the sync jobs' lag and count changes (default 3, 0 = none)", "SECONDS" },
        { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
        { "no-tiles", 0, 0, G_OPTION_ARG_NONE, &no_tiles,
          "Serve no map tiles: /tiles answers 404, as a real deployment does", NULL },
        { "export-mbtiles", 0, 0, G_OPTION_ARG_FILENAME, &export_mbtiles,
          "Write an offline map pack (MBTiles) of the Kathmandu valley and exit", "FILE" },
        { "export-min-zoom", 0, 0, G_OPTION_ARG_INT, &export_min_zoom,
          "Lowest zoom of the pack (default 10)", "N" },
        { "export-max-zoom", 0, 0, G_OPTION_ARG_INT, &export_max_zoom,
          "Highest zoom of the pack (default 15)", "N" },
        { NULL }
  };

  context = g_option_context_new ("— the ReLoop reference backend");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("reloop-devserver: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("reloop-devserver %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (export_mbtiles != NULL)
    {
      if (export_min_zoom < 0 || export_max_zoom > RL_DEV_TILES_MAX_ZOOM
          || export_min_zoom > export_max_zoom)
        {
          g_printerr ("reloop-devserver: export zooms must satisfy 0 <= min <= max <= %d\n",
                      RL_DEV_TILES_MAX_ZOOM);
          return 2;
        }
      /* The box the seeded fleet lives in (every neighbourhood of the seed
       * with its scatter), the same area the demo shows. */
      if (!rl_dev_tiles_export_mbtiles (export_mbtiles,
                                        EXPORT_MIN_LAT, EXPORT_MIN_LON,
                                        EXPORT_MAX_LAT, EXPORT_MAX_LON,
                                        (guint) export_min_zoom, (guint) export_max_zoom,
                                        &error))
        {
          g_printerr ("reloop-devserver: %s\n", error->message);
          return 1;
        }
      g_printerr ("reloop-devserver: wrote %s (zoom %d to %d)\n",
                  export_mbtiles, export_min_zoom, export_max_zoom);
      return 0;
    }
  if (port < 0 || port > 65535 || drop_points < 0 || drop_points > 1000000 || extra_runs < 0
      || extra_runs > 1000000 || token_ttl < 1 || rate < 0 || seed < 0 || seed > G_MAXUINT32
      || health_interval < 0 || health_interval > 86400 || drift_interval < 0
      || drift_interval > 86400)
    {
      g_printerr ("reloop-devserver: an option is out of range (see --help)\n");
      return 2;
    }

  srv.seed = (guint32) seed;
  srv.rand = g_rand_new_with_seed (srv.seed ^ 0x5eed);
  srv.token_ttl_s = token_ttl;
  srv.no_tiles = no_tiles;
  srv.health_interval_s = (guint) health_interval;
  srv.drift_interval_s = (guint) drift_interval;
  srv.extra_runs = (guint) extra_runs;
  srv.devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  srv.active_alerts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  srv.fault_rules = g_ptr_array_new ();
  srv.reqlog = g_ptr_array_new_with_free_func (g_free);
  rl_dev_auth_init (&srv);

  if (db_path == NULL)
    {
      tmpdir = g_dir_make_tmp ("reloop-devserver-XXXXXX", &error);
      if (tmpdir == NULL)
        {
          g_printerr ("reloop-devserver: %s\n", error->message);
          return 1;
        }
      srv.db_path = g_build_filename (tmpdir, "devserver.db", NULL);
      srv.db_is_temp = TRUE;
    }
  else
    srv.db_path = g_strdup (db_path);

  if (request_log != NULL)
    {
      srv.reqlog_file = fopen (request_log, "a");
      if (srv.reqlog_file == NULL)
        {
          g_printerr ("reloop-devserver: cannot open %s\n", request_log);
          return 1;
        }
    }

  if (!rl_dev_db_open (&srv, &error)
      || !rl_dev_seed (&srv, (guint) drop_points, &error)
      || (faults != NULL && !rl_dev_faults_parse_spec (&srv, faults, &error)))
    {
      g_printerr ("reloop-devserver: %s\n", error->message);
      return 1;
    }
  rl_dev_seed_load_indexes (&srv);

  if (mqtt != NULL)
    {
      srv.sim =
          rl_dev_sim_new (mqtt, mqtt_prefix ? mqtt_prefix : "devices", rate, srv.seed, &error);
      if (srv.sim == NULL)
        {
          g_printerr ("reloop-devserver: simulator: %s\n", error->message);
          return 1;
        }
      add_devices_to_sim (&srv);
      rl_dev_sim_set_batch_func (srv.sim, rl_dev_apply_batch, &srv);
      if (!rl_dev_sim_start (srv.sim, &error))
        {
          g_printerr ("reloop-devserver: simulator: %s\n", error->message);
          return 1;
        }
    }

  if (!rl_dev_http_start (&srv, bind ? bind : "127.0.0.1", (guint) port, &bound_port, &error))
    {
      g_printerr ("reloop-devserver: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  srv.tick_id = g_timeout_add (300, tick_cb, &srv);

  g_printerr ("reloop-devserver: %u drop points, seq %" G_GINT64_FORMAT ", ready in %.0f ms\n",
              (guint) rl_dev_db_count (&srv, "drop_point"), srv.seq,
              (g_get_monotonic_time () - t0) / 1000.0);
  printf ("LISTENING http://127.0.0.1:%u\n", bound_port);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (srv.tick_id);
  soup_server_disconnect (srv.http);
  g_clear_object (&srv.http);
  g_clear_pointer (&srv.sim, rl_dev_sim_free);
  g_clear_pointer (&srv.health_rand, g_rand_free);
  g_clear_pointer (&srv.drift_rand, g_rand_free);
  g_clear_pointer (&srv.test_rand, g_rand_free);
  g_clear_pointer (&srv.health_last_id, g_free);
  rl_dev_db_close (&srv);
  if (srv.db_is_temp)
    {
      g_autofree char *wal = g_strconcat (srv.db_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (srv.db_path, "-shm", NULL);

      g_unlink (srv.db_path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (tmpdir);
    }
  if (srv.reqlog_file)
    fclose (srv.reqlog_file);
  g_ptr_array_set_free_func (srv.fault_rules, (GDestroyNotify) rl_dev_fault_rule_free);
  g_ptr_array_unref (srv.fault_rules);
  g_ptr_array_unref (srv.reqlog);
  g_hash_table_unref (srv.access_tokens);
  g_hash_table_unref (srv.refresh_tokens);
  g_clear_pointer (&srv.idem, g_hash_table_unref);
  g_queue_clear_full (&srv.idem_order, g_free);
  g_hash_table_unref (srv.devices);
  g_hash_table_unref (srv.active_alerts);
  g_rand_free (srv.rand);
  g_free (srv.db_path);
  return 0;
}
