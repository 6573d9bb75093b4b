/* bench-store.c — store throughput: readings in batches, /changes pages.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints one JSON line:
 *   {"bench":"store","readings_per_s":…,"changes_per_s":…, …}
 * Reference (pitfalls.md): 100k rows in one transaction, WAL, prepared
 * insert: ~230–260k rows/s on the project machine.
 */
#include <math.h>

#include <glib/gstdio.h>

#include "rl-store.h"
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
  JsonArray *page = json_array_new ();
  g_autofree char *now = rl_time_format_ms (rl_time_now_ms ());

  for (guint i = first; i < first + count; i++)
    {
      JsonObject *entry = json_object_new ();
      JsonObject *record = json_object_new ();
      JsonArray *categories = json_array_new ();
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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RlStore) store = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rl-bench-store-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  gint64 start, readings_us, changes_us;
  guint added = 0, duplicates = 0;
  RlStoreApplyStats stats, total = { 0, };

  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "bench.sqlite", NULL);
  store = rl_store_open (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);

  /* Readings: 100 per device, device-major within a batch like a burst. */
  start = g_get_monotonic_time ();
  for (guint done = 0; done < N_READINGS; done += READINGS_PER_BATCH)
    {
      g_autoptr(RlStoreBatch) batch = rl_store_batch_begin (store, &error);

      if (batch == NULL)
        g_error ("%s", error->message);
      for (guint i = done; i < done + READINGS_PER_BATCH; i++)
        {
          char device[32];

          g_snprintf (device, sizeof device, "bin-%06u", i % N_DEVICES);
          if (rl_store_batch_add_reading (batch, device, 1700000000000 + (gint64) (i / N_DEVICES) * 5000,
                                          i % 100, 30.0, 24.0, 60.0, i % 7 ? 80.0 : NAN,
                                          &error) == RL_STORE_READING_ERROR)
            g_error ("%s", error->message);
        }
      added += rl_store_batch_get_readings_added (batch);
      duplicates += rl_store_batch_get_readings_duplicate (batch);
      if (!rl_store_batch_commit (batch, &error))
        g_error ("%s", error->message);
    }
  readings_us = g_get_monotonic_time () - start;

  /* Changes: each page is built off the clock (parsing is the API's), then
   * applied on it. */
  changes_us = 0;
  for (guint first = 0; first < N_CHANGES; first += CHANGES_PER_PAGE)
    {
      g_autoptr(JsonArray) page = make_page (first, CHANGES_PER_PAGE);

      start = g_get_monotonic_time ();
      if (!rl_store_apply_changes (store, page, first + CHANGES_PER_PAGE, &stats, &error))
        g_error ("%s", error->message);
      changes_us += g_get_monotonic_time () - start;
      total.applied += stats.applied;
      total.quarantined += stats.quarantined;
    }

  if (added != N_READINGS || duplicates != 0 || total.applied != N_CHANGES ||
      rl_store_count (store, "drop_point") != N_CHANGES || rl_store_get_cursor (store) != N_CHANGES)
    g_error ("bench-store: wrong results (added %u, duplicates %u, applied %u)",
             added, duplicates, total.applied);

  g_print ("{\"bench\":\"store\",\"readings_per_s\":%.0f,\"changes_per_s\":%.0f,"
           "\"readings\":%u,\"readings_per_batch\":%u,\"changes\":%u,\"changes_per_page\":%u,"
           "\"file_bytes\":%" G_GINT64_FORMAT ",\"reference_rows_per_s\":\"230000-260000\"}\n",
           N_READINGS / (readings_us / 1e6), N_CHANGES / (changes_us / 1e6),
           N_READINGS, READINGS_PER_BATCH, N_CHANGES, CHANGES_PER_PAGE,
           rl_store_get_size (store));

  g_clear_object (&store);
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
  return 0;
}
