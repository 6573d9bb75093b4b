/* bench-store.c — store throughput: readings in batches, /changes pages.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints one JSON line:
 *   {"bench":"store","readings_per_s":…,"changes_per_s":…, …}
 * Reference (pitfalls.md): 100k rows in one transaction, WAL, prepared
 * insert: ~230–260k rows/s on the project machine; raw_sqlite_rows_per_s
 * measures that same reference in this run, as the machine is shared.
 */
#include <math.h>
#include <sqlite3.h>

#include <glib/gstdio.h>

#include "rl-store.h"
#include "rl-test-util.h"
#include "rl-time.h"

#define N_READINGS 100000
#define READINGS_PER_BATCH 2000
#define N_DEVICES 1000
#define N_CHANGES 100000
#define CHANGES_PER_PAGE 1000

static JsonArray *
make_page (guint first,
           guint count)
{
  JsonArray       *page = json_array_new ();
  g_autofree char *now = rl_time_format_ms (rl_time_now_ms ());

  for (guint i = first; i < first + count; i++)
    {
      JsonObject      *entry = json_object_new ();
      JsonObject      *record = json_object_new ();
      JsonArray       *categories = json_array_new ();
      g_autofree char *id = g_strdup_printf ("dp-%06u", i);
      g_autofree char *device = g_strdup_printf ("bin-%06u", i);
      g_autofree char *name = g_strdup_printf ("Drop point %u", i);

      json_array_add_string_element (categories, "PLASTIC");
      json_array_add_string_element (categories, "PAPER");
      json_object_set_string_member (record, "id", id);
      json_object_set_string_member (record, "name", name);
      json_object_set_string_member (record, "address", "Thamel, Kathmandu");
      json_object_set_double_member (record, "latitude", 27.7 + (i % 1000) * 0.0001);
      json_object_set_double_member (record, "longitude", 85.3 + (i / 1000) * 0.0001);
      json_object_set_array_member (record, "categories", categories);
      json_object_set_int_member (record, "capacityLiters", 1100);
      json_object_set_string_member (record, "status", "active");
      json_object_set_string_member (record, "deviceId", device);
      json_object_set_double_member (record, "fillLevel", i % 100);
      json_object_set_double_member (record, "weight", 38.2);
      json_object_set_double_member (record, "temperature", 24.5);
      json_object_set_double_member (record, "humidity", 61.0);
      json_object_set_double_member (record, "batteryLevel", 88.0);
      json_object_set_boolean_member (record, "isOnline", TRUE);
      json_object_set_string_member (record, "lastReadingAt", now);
      json_object_set_string_member (record, "notes", "");
      json_object_set_int_member (record, "version", 1);
      json_object_set_string_member (record, "updatedAt", now);

      json_object_set_int_member (entry, "seq", i + 1);
      json_object_set_string_member (entry, "entity", "drop_point");
      json_object_set_string_member (entry, "id", id);
      json_object_set_string_member (entry, "op", "upsert");
      json_object_set_int_member (entry, "version", 1);
      json_object_set_object_member (entry, "record", record);
      json_array_add_object_element (page, entry);
    }
  return page;
}

/* The reference of pitfalls.md, measured here and now (the machine is shared):
 * plain SQLite, one transaction, WAL, one prepared insert, the same rows. */
static double
raw_sqlite_rows_per_s (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "raw.sqlite", NULL);
  sqlite3         *db = NULL;
  sqlite3_stmt    *stmt = NULL;
  gint64           start, elapsed;

  if (sqlite3_open (path, &db) != SQLITE_OK
      || sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                           "CREATE TABLE r (device_id TEXT, ts_ms INTEGER, a REAL, b REAL, c REAL,"
                           " d REAL, e REAL, PRIMARY KEY (device_id, ts_ms)) WITHOUT ROWID;",
                       NULL, NULL, NULL)
             != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT OR IGNORE INTO r VALUES (?, ?, ?, ?, ?, ?, ?)", -1,
                             &stmt, NULL)
             != SQLITE_OK)
    g_error ("raw SQLite: %s", sqlite3_errmsg (db));

  start = g_get_monotonic_time ();
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (guint i = 0; i < N_READINGS; i++)
    {
      char device[32];

      g_snprintf (device, sizeof device, "bin-%06u", i % N_DEVICES);
      sqlite3_bind_text (stmt, 1, device, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, 1700000000000 + (gint64) (i / N_DEVICES) * 5000);
      for (int c = 3; c <= 7; c++)
        sqlite3_bind_double (stmt, c, i % 100);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("raw SQLite: %s", sqlite3_errmsg (db));
      sqlite3_reset (stmt);
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  elapsed = g_get_monotonic_time () - start;

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  rl_test_remove_sqlite (path);
  return N_READINGS / (elapsed / 1e6);
}

static gint64
insert_readings (RlStore *store,
                 guint    per_batch,
                 guint   *added,
                 guint   *duplicates)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  for (guint done = 0; done < N_READINGS; done += per_batch)
    {
      g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);

      if (batch == NULL)
        g_error ("%s", error->message);
      for (guint i = done; i < done + per_batch; i++)
        {
          char device[32];

          g_snprintf (device, sizeof device, "bin-%06u", i % N_DEVICES);
          if (rl_store_batch_add_reading (batch, device,
                                          1700000000000 + (gint64) (i / N_DEVICES) * 5000, i % 100,
                                          30.0, 24.0, 60.0, i % 7 ? 80.0 : NAN, &error)
              == RL_STORE_READING_ERROR)
            g_error ("%s", error->message);
        }
      *added += rl_store_batch_get_readings_added (batch);
      *duplicates += rl_store_batch_get_readings_duplicate (batch);
      if (!rl_store_batch_commit (batch, &error))
        g_error ("%s", error->message);
    }
  return g_get_monotonic_time () - start;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) store = NULL;
  g_autofree char  *dir = g_dir_make_tmp ("rl-bench-store-XXXXXX", &error);
  g_autofree char  *path = NULL;
  gint64            start, readings_us, one_tx_us, changes_us;
  guint             added = 0, duplicates = 0;
  RlStoreApplyStats stats, total = {
    0,
  };

  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "bench.sqlite", NULL);
  store = rl_store_open (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);

  /* Readings: 100 per device, in batches like the feed's bursts. */
  readings_us = insert_readings (store, READINGS_PER_BATCH, &added, &duplicates);
  {
    /* The same rows in one transaction: what the store adds to plain SQLite,
     * without the cost of committing often. */
    g_autofree char *one_path = g_build_filename (dir, "one.sqlite", NULL);
    g_autoptr (RlStore) one = rl_store_open (one_path, &error);
    guint one_added = 0, one_duplicates = 0;

    if (one == NULL)
      g_error ("%s", error->message);
    one_tx_us = insert_readings (one, N_READINGS, &one_added, &one_duplicates);
    g_clear_object (&one);
    rl_test_remove_sqlite (one_path);
  }

  /* Changes: each page is built off the clock (parsing is the API's), then
   * applied on it. */
  changes_us = 0;
  for (guint first = 0; first < N_CHANGES; first += CHANGES_PER_PAGE)
    {
      g_autoptr (JsonArray) page = make_page (first, CHANGES_PER_PAGE);

      start = g_get_monotonic_time ();
      if (!rl_store_apply_changes (store, page, first + CHANGES_PER_PAGE, &stats, &error))
        g_error ("%s", error->message);
      changes_us += g_get_monotonic_time () - start;
      total.applied += stats.applied;
      total.quarantined += stats.quarantined;
    }

  if (added != N_READINGS || duplicates != 0 || total.applied != N_CHANGES
      || rl_store_count (store, "drop_point") != N_CHANGES
      || rl_store_get_cursor (store) != N_CHANGES)
    g_error ("bench-store: wrong results (added %u, duplicates %u, applied %u)",
             added, duplicates, total.applied);

  g_print ("{\"bench\":\"store\",\"readings_per_s\":%.0f,\"changes_per_s\":%.0f,"
           "\"readings\":%u,\"readings_per_batch\":%u,\"changes\":%u,\"changes_per_page\":%u,"
           "\"file_bytes\":%" G_GINT64_FORMAT ",\"readings_one_tx_per_s\":%.0f,"
           "\"raw_sqlite_rows_per_s\":%.0f,"
           "\"reference_rows_per_s\":\"230000-260000\"}\n",
           N_READINGS / (readings_us / 1e6), N_CHANGES / (changes_us / 1e6),
           N_READINGS, READINGS_PER_BATCH, N_CHANGES, CHANGES_PER_PAGE,
           rl_store_get_size (store), N_READINGS / (one_tx_us / 1e6),
           raw_sqlite_rows_per_s (dir));

  g_clear_object (&store);
  rl_test_remove_sqlite (path);
  g_rmdir (dir);
  return 0;
}
