/* rl-dev-seed.c — a deterministic Kathmandu-valley fleet: drop points,
 * their bins' telemetry and history, and the alerts it implies.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "rl-dev-private.h"
#include "rl-time.h"

typedef struct
{
  const char *latin;
  const char *deva;
  const char *city;
  const char *city_deva;
  double      lat, lon, weight;
} Area;

static const Area areas[] = {
  { "Thamel", "ठमेल", "Kathmandu", "काठमाडौं", 27.7154, 85.3123, 8 },
  { "Asan", "असन", "Kathmandu", "काठमाडौं", 27.7066, 85.3105, 6 },
  { "New Road", "न्यूरोड", "Kathmandu", "काठमाडौं", 27.7033, 85.3103, 6 },
  { "Patan", "पाटन", "Lalitpur", "ललितपुर", 27.6727, 85.3253, 7 },
  { "Bhaktapur", "भक्तपुर", "Bhaktapur", "भक्तपुर", 27.6722, 85.4279, 6 },
  { "Kirtipur", "कीर्तिपुर", "Kirtipur", "कीर्तिपुर", 27.6787, 85.2775, 4 },
  { "Boudha", "बौद्ध", "Kathmandu", "काठमाडौं", 27.7215, 85.3620, 5 },
  { "Baneshwor", "बानेश्वर", "Kathmandu", "काठमाडौं", 27.6915, 85.3420, 6 },
  { "Kalanki", "कलंकी", "Kathmandu", "काठमाडौं", 27.6936, 85.2814, 4 },
  { "Chabahil", "चाबहिल", "Kathmandu", "काठमाडौं", 27.7174, 85.3459, 4 },
  { "Lazimpat", "लाजिम्पाट", "Kathmandu", "काठमाडौं", 27.7236, 85.3206, 3 },
  { "Jawalakhel", "जावलाखेल", "Lalitpur", "ललितपुर", 27.6726, 85.3136, 4 },
  { "Thimi", "ठिमी", "Madhyapur Thimi", "मध्यपुर थिमी", 27.6800, 85.3870, 3 },
  { "Balaju", "बालाजु", "Kathmandu", "काठमाडौं", 27.7350, 85.3030, 3 },
  { "Maharajgunj", "महाराजगञ्ज", "Kathmandu", "काठमाडौं", 27.7390, 85.3300, 3 },
  { "Koteshwor", "कोटेश्वर", "Kathmandu", "काठमाडौं", 27.6780, 85.3490, 4 },
  { "Swayambhu", "स्वयम्भू", "Kathmandu", "काठमाडौं", 27.7149, 85.2904, 3 },
  { "Budhanilkantha", "बूढानीलकण्ठ", "Budhanilkantha", "बूढानीलकण्ठ", 27.7650, 85.3650, 2 },
  { "Satdobato", "सातदोबाटो", "Lalitpur", "ललितपुर", 27.6590, 85.3240, 3 },
  { "Gongabu", "गोंगबु", "Kathmandu", "काठमाडौं", 27.7350, 85.3140, 3 },
};

static const char *suffix_latin[] = {
  "Chowk",
  "Tole",
  "Bus Stop",
  "Durbar Square",
  "Market",
  "School Gate",
  "Temple",
  "Park",
  "Hospital Gate",
  "Ward Office",
  "Stupa Gate",
  "Bus Park",
};
static const char *suffix_deva[] = {
  "चोक",
  "टोल",
  "बस स्टप",
  "दरबार क्षेत्र",
  "बजार",
  "विद्यालय गेट",
  "मन्दिर",
  "पार्क",
  "स्तुपा गेट",
  "वडा कार्यालय",
};
static const char *categories[] = {
  "PLASTIC",
  "PAPER",
  "METAL",
  "GLASS",
  "ORGANIC",
  "ELECTRONIC",
  "TEXTILE",
};
static const int capacities[] = { 120, 240, 660, 1100 };

static double
gauss (GRand *rand)
{
  double u = g_rand_double_range (rand, 1e-9, 1.0);
  double v = g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

static const Area *
pick_area (GRand *rand)
{
  double total = 0, r;

  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    total += areas[i].weight;
  r = g_rand_double_range (rand, 0, total);
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    {
      if (r < areas[i].weight)
        return &areas[i];
      r -= areas[i].weight;
    }
  return &areas[0];
}

typedef struct
{
  char     id[16];
  char     device[16];
  double   fill, battery, temp;
  gboolean online;
  gint64   last_ms;
} Seeded;

static void
seed_alert (RlDevServer  *srv,
            GRand        *rand,
            const Seeded *dp,
            const char   *type,
            const char   *severity,
            const char   *message,
            gboolean      active)
{
  g_autofree char *id = rl_dev_db_next_id (srv, "al", 7);
  g_autoptr (JsonObject) a = json_object_new ();
  gint64           created = dp->last_ms - g_rand_int_range (rand, 60, 6 * 3600) * (gint64) 1000;
  g_autofree char *created_s = rl_time_format_ms (created);
  g_autofree char *ack_s =
      rl_time_format_ms (created + g_rand_int_range (rand, 60, 1800) * (gint64) 1000);
  const char *status;
  guint       r = g_rand_int_range (rand, 0, 100);

  if (active)
    status = r < 70 ? "open" : "acknowledged";
  else
    status = "resolved";

  json_object_set_string_member (a, "id", id);
  json_object_set_string_member (a, "dropPointId", dp->id);
  json_object_set_string_member (a, "deviceId", dp->device);
  json_object_set_string_member (a, "type", type);
  json_object_set_string_member (a, "severity", severity);
  json_object_set_string_member (a, "message", message);
  json_object_set_string_member (a, "createdAt", created_s);
  json_object_set_string_member (a, "status", status);
  if (g_str_equal (status, "open"))
    {
      json_object_set_null_member (a, "acknowledgedBy");
      json_object_set_null_member (a, "acknowledgedAt");
      json_object_set_int_member (a, "version", 1);
    }
  else
    {
      json_object_set_string_member (a, "acknowledgedBy", "dispatcher@demo.reloop.np");
      json_object_set_string_member (a, "acknowledgedAt", ack_s);
      json_object_set_string_member (a, "acknowledgedNote", "Crew informed");
      json_object_set_int_member (a, "version", 2);
    }
  if (g_str_equal (status, "resolved"))
    {
      json_object_set_string_member (a, "resolvedBy", "dispatcher@demo.reloop.np");
      json_object_set_string_member (a, "resolvedAt", ack_s);
      json_object_set_string_member (a, "resolvedNote", "Bin emptied");
      json_object_set_int_member (a, "version", 3);
    }
  json_object_set_string_member (a, "updatedAt", created_s);
  rl_dev_db_put (srv, "alert", id, status, a);
}

static void
seed_drop_points (RlDevServer *srv,
                  GRand       *rand,
                  guint        n)
{
  g_autoptr (GString) json = g_string_sized_new (1024);
  gint64        now = rl_time_now_ms ();
  sqlite3_stmt *reading = NULL;
  guint         n_history = 0;

  sqlite3_prepare_v2 (srv->db,
                      "INSERT OR IGNORE INTO readings VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                      -1, &reading, NULL);

  for (guint i = 1; i <= n; i++)
    {
      Seeded           dp = { 0 };
      const Area      *area = pick_area (rand);
      gboolean         deva = g_rand_int_range (rand, 0, 100) < 35;
      gboolean         has_device = g_rand_int_range (rand, 0, 100) < 85;
      double           lat, lon;
      guint            ward = g_rand_int_range (rand, 1, 33);
      int              capacity = capacities[g_rand_int_range (rand, 0, G_N_ELEMENTS (capacities))];
      guint            st = g_rand_int_range (rand, 0, 100);
      const char      *status = st < 92 ? "active" : st < 98 ? "maintenance"
                                                             : "retired";
      guint            n_cat = g_rand_int_range (rand, 1, 4);
      guint            first_cat = g_rand_int_range (rand, 0, G_N_ELEMENTS (categories));
      g_autofree char *name = NULL;
      g_autofree char *address = NULL;
      g_autofree char *last_s = NULL;
      g_autofree char *updated_s =
          rl_time_format_ms (now - g_rand_int_range (rand, 1, 90 * 24) * (gint64) 3600000);
      double weight, hum;

      if (g_rand_int_range (rand, 0, 100) < 80)
        {
          lat = area->lat + gauss (rand) * 0.007;
          lon = area->lon + gauss (rand) * 0.008;
        }
      else
        {
          lat = g_rand_double_range (rand, 27.62, 27.78);
          lon = g_rand_double_range (rand, 85.24, 85.45);
        }
      lat = CLAMP (lat, 27.62, 27.78);
      lon = CLAMP (lon, 85.24, 85.45);

      if (deva)
        name =
            g_strdup_printf ("%s %s", area->deva,
                             suffix_deva[g_rand_int_range (rand, 0, G_N_ELEMENTS (suffix_deva))]);
      else
        name =
            g_strdup_printf ("%s %s", area->latin,
                             suffix_latin[g_rand_int_range (rand, 0, G_N_ELEMENTS (suffix_latin))]);
      if (g_rand_int_range (rand, 0, 100) < 60)
        {
          char *numbered = g_strdup_printf ("%s %u", name, g_rand_int_range (rand, 1, 40));
          g_free (name);
          name = numbered;
        }
      if (deva)
        address = g_strdup_printf ("वडा नं. %u, %s, %s", ward, area->deva, area->city_deva);
      else
        address = g_strdup_printf ("Ward %u, %s, %s", ward, area->latin, area->city);

      g_snprintf (dp.id, sizeof dp.id, "dp-%06u", i);
      if (has_device)
        g_snprintf (dp.device, sizeof dp.device, "bin-%06u", i);

      g_string_truncate (json, 0);
      g_string_append_printf (json,
                              "{\"id\":\"%s\",\"name\":\"%s\",\"address\":\"%s\","
                              "\"latitude\":%.6f,\"longitude\":%.6f,\"categories\":[",
                              dp.id, name, address, lat, lon);
      for (guint c = 0; c < n_cat; c++)
        g_string_append_printf (json, "%s\"%s\"", c ? "," : "",
                                categories[(first_cat + c * 2) % G_N_ELEMENTS (categories)]);
      g_string_append_printf (json, "],\"capacityLiters\":%d,\"status\":\"%s\",", capacity, status);

      if (has_device)
        {
          dp.fill = pow (g_rand_double (rand), 0.8) * 100.0;
          dp.battery = g_rand_int_range (rand, 0, 100) < 6 ? g_rand_double_range (rand, 3, 20)
                                                           : g_rand_double_range (rand, 25, 100);
          dp.temp = g_rand_int_range (rand, 0, 500) == 0 ? g_rand_double_range (rand, 51, 70)
                                                         : g_rand_double_range (rand, 12, 34);
          hum = g_rand_double_range (rand, 35, 92);
          weight = dp.fill / 100.0 * capacity * 0.11;
          dp.online = g_rand_int_range (rand, 0, 100) < 95;
          dp.last_ms = dp.online ? now - g_rand_int_range (rand, 5, 600) * (gint64) 1000
                                 : now - g_rand_int_range (rand, 35, 600) * (gint64) 60000;
          last_s = rl_time_format_ms (dp.last_ms);
          g_string_append_printf (json,
                                  "\"deviceId\":\"%s\",\"fillLevel\":%.1f,\"weight\":%.1f,"
                                  "\"temperature\":%.1f,\"humidity\":%.1f,\"batteryLevel\":%.1f,"
                                  "\"isOnline\":%s,\"lastReadingAt\":\"%s\",",
                                  dp.device, dp.fill, weight, dp.temp, hum, dp.battery,
                                  dp.online ? "true" : "false", last_s);
        }
      else
        {
          g_string_append (json,
                           "\"deviceId\":null,\"fillLevel\":null,\"weight\":null,"
                           "\"temperature\":null,\"humidity\":null,\"batteryLevel\":null,"
                           "\"isOnline\":false,\"lastReadingAt\":null,");
        }
      g_string_append_printf (
          json, "\"notes\":\"%s\",\"version\":1,\"updatedAt\":\"%s\"}",
          g_str_equal (status, "maintenance") ? "Lid hinge broken, crew booked" : "", updated_s);
      rl_dev_db_put_raw (srv, "drop_point", dp.id, NULL, 1, json->str);

      if (!has_device)
        continue;

      if (dp.fill > 85)
        seed_alert (srv, rand, &dp, "FULL_BIN", "HIGH", "Bin is over 85 % full", TRUE);
      if (dp.battery < 20)
        seed_alert (srv, rand, &dp, "LOW_BATTERY", "MEDIUM", "Battery below 20 %", TRUE);
      if (dp.temp > 50)
        seed_alert (srv, rand, &dp, "HIGH_TEMPERATURE", "HIGH",
                    "Temperature above 50 °C: possible fire", TRUE);
      if (!dp.online)
        seed_alert (srv, rand, &dp, "OFFLINE", "MEDIUM", "No message for 30 minutes", TRUE);
      if (g_rand_int_range (rand, 0, 100) < 4)
        seed_alert (srv, rand, &dp, "FULL_BIN", "HIGH", "Bin is over 85 % full", FALSE);

      /* 24 h of 15-minute history for the first bins: the fill climbs to now */
      if (n_history < 300)
        {
          double f = MAX (0.0, dp.fill - g_rand_double_range (rand, 20, 60));
          n_history++;
          for (int k = 96; k >= 1; k--)
            {
              gint64 ts = dp.last_ms - (gint64) k * 15 * 60000;
              f = MIN (dp.fill, f + g_rand_double_range (rand, 0, 1.2));
              sqlite3_bind_text (reading, 1, dp.device, -1, SQLITE_STATIC);
              sqlite3_bind_int64 (reading, 2, ts);
              sqlite3_bind_double (reading, 3, f);
              sqlite3_bind_double (reading, 4, f / 100.0 * capacity * 0.11);
              sqlite3_bind_double (reading, 5, 18 + 6 * sin (k / 15.0));
              sqlite3_bind_double (reading, 6, 60 + 10 * cos (k / 20.0));
              sqlite3_bind_double (reading, 7, MIN (100.0, dp.battery + k * 0.02));
              sqlite3_step (reading);
              sqlite3_reset (reading);
            }
        }
    }
  sqlite3_finalize (reading);
}

gboolean
rl_dev_seed (RlDevServer *srv,
             guint        n_drop_points,
             GError     **error)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (srv->seed);
  g_autofree char *existing = rl_dev_db_meta_get (srv, "schema");
  char             buf[32];

  if (existing != NULL)
    return TRUE; /* a devserver database we made before: reuse it */

  /* a fresh file: no journal while seeding (a crash leaves no "schema" row,
   * so the next start seeds again), then back to WAL for serving */
  rl_dev_db_exec (srv, "PRAGMA journal_mode=OFF", NULL);
  rl_dev_db_begin (srv);
  seed_drop_points (srv, rand, n_drop_points);
  rl_dev_providers_seed (srv, rand);
  rl_dev_workflows_seed (srv, rand);
  rl_dev_sync_seed (srv, rand);
  g_snprintf (buf, sizeof buf, "%u", n_drop_points);
  rl_dev_db_meta_set (srv, "id:dp", buf);
  rl_dev_db_meta_set (srv, "schema", "1");
  g_snprintf (buf, sizeof buf, "%u", srv->seed);
  rl_dev_db_meta_set (srv, "seed", buf);
  rl_dev_db_commit (srv);
  rl_dev_db_exec (srv, "PRAGMA journal_mode=WAL", NULL);
  return TRUE;
}

void
rl_dev_seed_load_indexes (RlDevServer *srv)
{
  sqlite3_stmt    *stmt = NULL;
  g_autofree char *horizon = rl_dev_db_meta_get (srv, "horizon");

  srv->horizon = horizon ? g_ascii_strtoll (horizon, NULL, 10) : 0;

  sqlite3_prepare_v2 (srv->db,
                      "SELECT json_extract (data, '$.deviceId'), id FROM records "
                      "WHERE entity = 'drop_point' AND deleted = 0 "
                      "AND json_extract (data, '$.deviceId') IS NOT NULL",
                      -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (srv->devices,
                         g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (srv->db,
                      "SELECT json_extract (data, '$.dropPointId'), json_extract (data, '$.type') "
                      "FROM records WHERE entity = 'alert' AND deleted = 0 "
                      "AND tag IN ('open', 'acknowledged')",
                      -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (srv->active_alerts,
                      g_strdup_printf ("%s\t%s", sqlite3_column_text (stmt, 0),
                                       sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
}
