/* test-alert-watch.c — RlAlertWatch: the open HIGH alerts whose rows reach
 * the cache after the watch was made, from the store monitor; none of those
 * cached before, no MEDIUM one, server alerts skipped on request (a first
 * full load), "closed" once a told alert is acknowledged.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "rl-alert-watch.h"
#include "rl-store-alerts.h"
#include "rl-store.h"

/* 2026-01-01T00:00:00Z */
#define T0 G_GINT64_CONSTANT (1767225600000)

typedef struct
{
  GPtrArray *opened; /* RlWatchedAlert * (copies) */
  GPtrArray *closed; /* char * */
} Seen;

static RlStore *
open_with_points (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "watch.sqlite", NULL);
  g_autoptr (RlStore) store = NULL;
  g_autoptr (RlStoreBatch) batch = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  store = rl_store_open (path, &error);
  g_assert_no_error (error);
  batch = rl_store_batch_begin (store, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *json = g_strdup_printf (
          "{\"id\":\"dp-%u\",\"name\":\"Ason Tole %u\",\"address\":\"Kathmandu\",\"deviceId\":"
          "\"bin-%u\",\"latitude\":27.7,\"longitude\":85.3,\"status\":\"active\",\"version\":1}",
          i, i, i);
      g_autoptr (JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
      g_assert_true (rl_store_batch_upsert (batch, "drop_point",
                                            json_node_get_object (json_parser_get_root (parser)),
                                            &error));
      g_assert_no_error (error);
    }
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static char *
add_alert (RlStore      *store,
           RlAlertSource source,
           guint         bin,
           const char   *type,
           const char   *severity,
           gint64        when_ms)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);
  g_autofree char *dp = g_strdup_printf ("dp-%u", bin);
  g_autofree char *device = g_strdup_printf ("bin-%u", bin);
  RlStoreAlertSpec spec = {
    .source = source,
    .drop_point_id = dp,
    .device_id = device,
    .type = type,
    .severity = severity,
    .created_ms = when_ms,
    .rule_value = NAN,
    .rule_threshold = NAN,
  };

  g_assert_no_error (error);
  g_assert_cmpint (rl_store_batch_add_alert (batch, &spec, &error), ==, RL_STORE_ALERT_ADDED);
  g_assert_no_error (error);
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  return rl_store_alert_id (source, device, type, when_ms);
}

static void
add_server_alert (RlStore    *store,
                  gint64      seq,
                  const char *id,
                  guint       bin)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *json = g_strdup_printf (
      "[{\"seq\":%" G_GINT64_FORMAT ",\"entity\":\"alert\",\"id\":\"%s\",\"op\":\"upsert\","
      "\"version\":1,\"record\":{\"id\":\"%s\",\"deviceId\":\"bin-%u\",\"dropPointId\":\"dp-%u\","
      "\"type\":\"HIGH_TEMPERATURE\",\"severity\":\"HIGH\",\"status\":\"open\","
      "\"createdAt\":\"2026-01-01T00:00:02Z\",\"version\":1}}]",
      seq, id, id, bin, bin);

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_true (rl_store_apply_changes (store, json_node_get_array (json_parser_get_root (parser)),
                                         seq, NULL, &error));
  g_assert_no_error (error);
}

static void
opened_cb (RlAlertWatch *watch,
           GPtrArray    *alerts,
           Seen         *seen)
{
  for (guint i = 0; i < alerts->len; i++)
    {
      RlWatchedAlert *a = g_ptr_array_index (alerts, i);
      RlWatchedAlert *copy = g_new0 (RlWatchedAlert, 1);

      copy->id = g_strdup (a->id);
      copy->drop_point_id = g_strdup (a->drop_point_id);
      copy->drop_point_name = g_strdup (a->drop_point_name);
      copy->device_id = g_strdup (a->device_id);
      copy->type = g_strdup (a->type);
      copy->source = a->source;
      g_ptr_array_add (seen->opened, copy);
    }
}

static void
closed_cb (RlAlertWatch *watch,
           GStrv         ids,
           Seen         *seen)
{
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (seen->closed, g_strdup (ids[i]));
}

/* Runs the main context until the monitor has had its say (it dispatches
 * at most every 50 ms). */
static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

static void
test_watch (void)
{
  g_autoptr (RlStore) store = open_with_points ();
  g_autoptr (RlAlertWatch) watch = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *high = NULL;
  g_autofree char *medium = NULL;
  gboolean         changed = FALSE;
  Seen             seen = { g_ptr_array_new_with_free_func ((GDestroyNotify) rl_watched_alert_free),
                            g_ptr_array_new_with_free_func (g_free) };
  RlWatchedAlert  *told;

  /* Cached before the watch: never told, even when it changes. */
  before = add_alert (store, RL_ALERT_SOURCE_LOCAL, 1, "FULL_BIN", "HIGH", T0);
  watch = rl_alert_watch_new (store);
  g_signal_connect (watch, "opened", G_CALLBACK (opened_cb), &seen);
  g_signal_connect (watch, "closed", G_CALLBACK (closed_cb), &seen);
  g_assert_true (rl_store_alert_set_status (store, before, RL_ALERT_STATUS_ACKNOWLEDGED, "Sita",
                                            T0 + 1000, NULL, &changed, &error));
  g_assert_no_error (error);
  g_assert_true (changed);
  settle ();
  g_assert_cmpuint (seen.opened->len, ==, 0);
  g_assert_cmpuint (seen.closed->len, ==, 0);

  /* A new HIGH one is told once, with its drop point; a MEDIUM one is not. */
  high = add_alert (store, RL_ALERT_SOURCE_LOCAL, 2, "FULL_BIN", "HIGH", T0 + 2000);
  medium = add_alert (store, RL_ALERT_SOURCE_FEED, 3, "LOW_BATTERY", "MEDIUM", T0 + 2000);
  settle ();
  g_assert_cmpuint (seen.opened->len, ==, 1);
  told = g_ptr_array_index (seen.opened, 0);
  g_assert_cmpstr (told->id, ==, high);
  g_assert_cmpstr (told->drop_point_id, ==, "dp-2");
  g_assert_cmpstr (told->drop_point_name, ==, "Ason Tole 2");
  g_assert_cmpstr (told->device_id, ==, "bin-2");
  g_assert_cmpstr (told->type, ==, "FULL_BIN");
  g_assert_cmpint (told->source, ==, RL_ALERT_SOURCE_LOCAL);
  rl_alert_watch_check (watch);
  g_assert_cmpuint (seen.opened->len, ==, 1);

  /* Acknowledged: "closed" for it, once. The MEDIUM one was never told. */
  g_assert_true (rl_store_alert_set_status (store, high, RL_ALERT_STATUS_ACKNOWLEDGED, "Sita",
                                            T0 + 3000, "Crew sent", &changed, &error));
  g_assert_no_error (error);
  g_assert_true (rl_store_alert_set_status (store, medium, RL_ALERT_STATUS_RESOLVED, "Sita",
                                            T0 + 3000, NULL, &changed, &error));
  g_assert_no_error (error);
  settle ();
  g_assert_cmpuint (seen.closed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen.closed, 0), ==, high);

  /* Server alerts skipped (a first full load), then told. */
  rl_alert_watch_set_skip_server (watch, TRUE);
  add_server_alert (store, 10, "al-skipped", 3);
  settle ();
  g_assert_cmpuint (seen.opened->len, ==, 1);
  rl_alert_watch_set_skip_server (watch, FALSE);
  rl_alert_watch_check (watch);
  g_assert_cmpuint (seen.opened->len, ==, 1);
  add_server_alert (store, 11, "al-new", 4);
  settle ();
  g_assert_cmpuint (seen.opened->len, ==, 2);
  told = g_ptr_array_index (seen.opened, 1);
  g_assert_cmpstr (told->id, ==, "al-new");
  g_assert_cmpint (told->source, ==, RL_ALERT_SOURCE_SERVER);
  g_assert_cmpstr (told->type, ==, "HIGH_TEMPERATURE");

  /* A burst in one transaction: all told in one "opened". */
  {
    g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);
    guint before_burst = seen.opened->len;

    for (guint i = 0; i < 12; i++)
      {
        g_autofree char *dev = g_strdup_printf ("bin-%u", 100 + i);
        RlStoreAlertSpec spec = {
          .source = RL_ALERT_SOURCE_LOCAL,
          .drop_point_id = NULL,
          .device_id = dev,
          .type = "FULL_BIN",
          .severity = "HIGH",
          .created_ms = T0 + 5000,
          .rule_value = NAN,
          .rule_threshold = NAN,
        };

        g_assert_cmpint (rl_store_batch_add_alert (batch, &spec, &error), ==, RL_STORE_ALERT_ADDED);
      }
    g_assert_true (rl_store_batch_commit (batch, &error));
    g_assert_no_error (error);
    settle ();
    g_assert_cmpuint (seen.opened->len, ==, before_burst + 12);
    told = g_ptr_array_index (seen.opened, before_burst);
    g_assert_null (told->drop_point_id);
    g_assert_null (told->drop_point_name);
  }

  g_ptr_array_unref (seen.opened);
  g_ptr_array_unref (seen.closed);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/alert-watch/new-high", test_watch);

  return g_test_run ();
}
