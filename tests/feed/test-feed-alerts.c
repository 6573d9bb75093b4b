/* test-feed-alerts.c — alert records from the live feed, against a real
 * mosquitto: the local rules (FULL_BIN, LOW_BATTERY, HIGH_TEMPERATURE,
 * OFFLINE) raise one alert per device and type and resolve it when the
 * condition clears; a bin's own alert message becomes a record once,
 * whatever the redeliveries, and a bad one none; the server's alert from
 * /changes replaces the local one; the lists see it all live; a signed-in
 * session acknowledges a local alert in the cache alone and a server one
 * through the outbox.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "feed-test-util.h"
#include "rl-core-enums.h"
#include "rl-record-list.h"
#include "rl-store-alerts.h"
#include "rl-store-monitor.h"
#include "rl-time.h"
#include "sync-test-util.h"

typedef FeedTestFixture Fixture;

static void
add_drop_point (RlStoreBatch *batch,
                const char   *id,
                const char   *device)
{
  g_autofree char *json = g_strdup_printf (
      "{\"id\":\"%s\",\"name\":\"Point %s\",\"address\":\"Kathmandu\",\"latitude\":27.7,"
      "\"longitude\":85.3,\"status\":\"active\",\"deviceId\":\"%s\",\"fillLevel\":10,"
      "\"isOnline\":true,\"lastReadingAt\":\"2026-01-01T00:00:00Z\",\"version\":1}",
      id, id, device);

  rl_test_batch_upsert (batch, "drop_point", json);
}

static void
fixture_set_up (Fixture           *f,
                gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = NULL;
  g_autofree char *path = NULL;

  f->broker = rl_test_broker_start (&error);
  g_assert_no_error (error);
  f->dir = g_dir_make_tmp ("rl-feed-alerts-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "cache.sqlite", NULL);
  f->store = rl_store_open (path, &error);
  g_assert_no_error (error);
  batch = rl_store_batch_begin (f->store, &error);
  add_drop_point (batch, "dp-1", "bin-1");
  add_drop_point (batch, "dp-2", "bin-2");
  g_assert_true (rl_store_batch_commit (batch, &error));
  feed_test_fixture_start (f);
}

static void
fixture_tear_down (Fixture           *f,
                   gconstpointer data G_GNUC_UNUSED)
{
  feed_test_fixture_tear_down (f);
}

/* A reading of bin @device, @step seconds after the fixture's clock. */
static void
publish_reading (Fixture    *f,
                 const char *device,
                 guint       step,
                 double      fill,
                 double      battery,
                 double      temperature)
{
  g_autofree char *topic = g_strdup_printf ("devices/%s/sensor-data", device);
  g_autofree char *payload =
      feed_test_reading (device, fill, battery, temperature, f->now + step * 1000);

  feed_test_publish (&f->pub, topic, payload);
}

static JsonObject *
alert_record (RlStore    *store,
              const char *id)
{
  g_autoptr (GError) error = NULL;
  JsonObject *record = rl_store_get_record (store, "alert", id, &error);

  g_assert_no_error (error);
  return record;
}

static const char *
string_of (JsonObject *object,
           const char *member)
{
  return json_object_get_string_member_with_default (object, member, NULL);
}

/* The open alert of a device and type (NULL: none). */
static char *
open_alert (RlStore       *store,
            const char    *device,
            const char    *type,
            RlAlertSource *out_source)
{
  g_autoptr (GError) error = NULL;
  char *id = NULL;

  g_assert_true (rl_store_find_open_alert (store, device, type, &id, out_source, &error));
  g_assert_no_error (error);
  return id;
}

/* ---- Local rules --------------------------------------------------------------- */

typedef struct
{
  RlRecordList *list;
  guint         n;
  RlAlertStatus status;
} ListWait;

static gboolean
list_shows (gpointer user_data)
{
  ListWait *w = user_data;
  g_autoptr (RlAlertItem) item = NULL;

  if (rl_record_list_get_loading (w->list)
      || g_list_model_get_n_items (G_LIST_MODEL (w->list)) != w->n)
    return FALSE;
  if (w->n == 0)
    return TRUE;
  item = g_list_model_get_item (G_LIST_MODEL (w->list), 0);
  return (RlAlertStatus) rl_list_item_get_enum (RL_LIST_ITEM (item), "status") == w->status;
}

/* A reading over 85 % raises one FULL_BIN/HIGH; more over it raise none;
 * one in the hysteresis band resolves nothing; the bin emptied resolves it
 * and says so. The alerts list (filtered to local) follows live. */
static void
test_full_bin (Fixture           *f,
               gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (RlRecordList) list = rl_record_list_new (f->store, RL_LIST_KIND_ALERTS);
  static const char *const local[] = { "local", NULL };
  g_autofree char         *id = rl_store_alert_id (RL_ALERT_SOURCE_LOCAL, "bin-1", "FULL_BIN",
                                                   f->now + 1000);
  g_autoptr (JsonObject) record = NULL;
  g_autoptr (RlAlertItem) item = NULL;
  g_autofree char *open_id = NULL;
  g_autoptr (GError) error = NULL;
  ListWait       wait = { list, 0, RL_ALERT_STATUS_UNKNOWN };
  RlFeedCounters c;
  RlAlertSource  source;

  rl_record_list_set_values (list, "source", local);
  g_assert_true (rl_test_wait_until (list_shows, &wait, 10000));

  publish_reading (f, "bin-1", 1, 92, 80, 24);
  FEED_TEST_WAIT_COUNTER (f->feed, local_alerts, 1);
  record = alert_record (f->store, id);
  g_assert_cmpstr (string_of (record, "type"), ==, "FULL_BIN");
  g_assert_cmpstr (string_of (record, "severity"), ==, "HIGH");
  g_assert_cmpstr (string_of (record, "status"), ==, "open");
  g_assert_cmpstr (string_of (record, "source"), ==, "local");
  g_assert_cmpstr (string_of (record, "dropPointId"), ==, "dp-1");
  g_assert_cmpstr (string_of (record, "message"), ==, "Fill level 92 % is above 85 %");
  /* The list saw it come, from the feed's writer connection. */
  wait.n = 1;
  wait.status = RL_ALERT_STATUS_OPEN;
  g_assert_true (rl_test_wait_until (list_shows, &wait, 10000));
  item = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (rl_list_item_get_id (RL_LIST_ITEM (item)), ==, id);
  g_assert_cmpint (rl_list_item_get_enum (RL_LIST_ITEM (item), "source"), ==,
                   RL_ALERT_SOURCE_LOCAL);
  g_assert_cmpint (rl_list_item_get_enum (RL_LIST_ITEM (item), "severity"), ==,
                   RL_ALERT_SEVERITY_HIGH);
  g_assert_cmpstr (rl_list_item_get_string (RL_LIST_ITEM (item), "rule-value"), ==, "92");
  g_assert_cmpstr (rl_list_item_get_string (RL_LIST_ITEM (item), "rule-threshold"), ==, "85");

  /* Still full, and in the band (75–85): nothing new, nothing resolved. */
  publish_reading (f, "bin-1", 2, 97, 80, 24);
  publish_reading (f, "bin-1", 3, 80, 80, 24);
  FEED_TEST_WAIT_COUNTER (f->feed, readings, 3);
  rl_feed_get_counters (f->feed, &c);
  g_assert_cmpuint (c.local_alerts, ==, 1);
  g_assert_cmpuint (c.auto_resolved, ==, 0);
  g_assert_cmpint (rl_store_count (f->store, "alert"), ==, 1);
  open_id = open_alert (f->store, "bin-1", "FULL_BIN", &source);
  g_assert_cmpstr (open_id, ==, id);

  /* Emptied. */
  publish_reading (f, "bin-1", 4, 12, 80, 24);
  FEED_TEST_WAIT_COUNTER (f->feed, auto_resolved, 1);
  g_clear_pointer (&record, json_object_unref);
  record = alert_record (f->store, id);
  g_assert_cmpstr (string_of (record, "status"), ==, "resolved");
  g_assert_cmpstr (string_of (record, "resolvedNote"), ==,
                   "Resolved automatically: fill level back to 12 %");
  g_assert_true (json_object_get_boolean_member (record, "autoResolved"));
  wait.status = RL_ALERT_STATUS_RESOLVED;
  g_assert_true (rl_test_wait_until (list_shows, &wait, 10000));
  /* The same item object, updated in place. */
  g_assert_cmpint (rl_list_item_get_enum (RL_LIST_ITEM (item), "status"), ==,
                   RL_ALERT_STATUS_RESOLVED);
  g_assert_true (rl_list_item_get_boolean (RL_LIST_ITEM (item), "auto-resolved"));
  g_assert_cmpstr (rl_list_item_get_string (RL_LIST_ITEM (item), "resolved-value"), ==, "12");
  g_assert_cmpstr (rl_list_item_get_string (RL_LIST_ITEM (item), "resolved-note"), ==,
                   "Resolved automatically: fill level back to 12 %");

  /* Full again: a new alert. */
  publish_reading (f, "bin-1", 5, 90, 80, 24);
  FEED_TEST_WAIT_COUNTER (f->feed, local_alerts, 2);
  g_assert_cmpint (rl_store_count (f->store, "alert"), ==, 2);

  /* The writer keeps the alerts' text index itself: whole, and the alerts
   * are found by their drop point's name. */
  g_assert_true (rl_store_exec (f->store,
                                "INSERT INTO alerts_fts (alerts_fts) VALUES ('integrity-check')",
                                &error));
  g_assert_no_error (error);
  rl_record_list_set_text (list, "Point dp-1");
  wait.n = 2;
  wait.status = RL_ALERT_STATUS_OPEN;
  g_assert_true (rl_test_wait_until (list_shows, &wait, 10000));
  rl_record_list_set_text (list, "Point dp-2");
  wait.n = 0;
  g_assert_true (rl_test_wait_until (list_shows, &wait, 10000));
}

/* Battery and temperature, each with its hysteresis; a reading older than
 * the current one (history) raises nothing. */
static void
test_battery_temperature (Fixture           *f,
                          gconstpointer data G_GNUC_UNUSED)
{
  g_autofree char *battery_id = NULL;
  g_autofree char *hot_id = NULL;
  g_autoptr (JsonObject) battery = NULL;
  g_autoptr (JsonObject) hot = NULL;
  RlFeedCounters c;

  publish_reading (f, "bin-2", 10, 30, 15, 56);
  FEED_TEST_WAIT_COUNTER (f->feed, local_alerts, 2);
  battery_id = open_alert (f->store, "bin-2", "LOW_BATTERY", NULL);
  hot_id = open_alert (f->store, "bin-2", "HIGH_TEMPERATURE", NULL);
  g_assert_nonnull (battery_id);
  g_assert_nonnull (hot_id);
  battery = alert_record (f->store, battery_id);
  hot = alert_record (f->store, hot_id);
  g_assert_cmpstr (string_of (battery, "severity"), ==, "MEDIUM");
  g_assert_cmpstr (string_of (battery, "message"), ==, "Battery 15 % is below 20 %");
  g_assert_cmpstr (string_of (hot, "severity"), ==, "HIGH");
  g_assert_cmpstr (string_of (hot, "message"), ==, "Temperature 56 °C is above 50 °C");

  /* An older reading, far past every threshold: history only. */
  publish_reading (f, "bin-1", 20, 10, 80, 20);
  publish_reading (f, "bin-1", 1, 99, 2, 80);
  FEED_TEST_WAIT_COUNTER (f->feed, older, 1);
  g_assert_null (open_alert (f->store, "bin-1", "FULL_BIN", NULL));

  /* Within the hysteresis (battery ≤ 25, temperature ≥ 45): still open. */
  publish_reading (f, "bin-2", 11, 30, 24, 46);
  FEED_TEST_WAIT_COUNTER (f->feed, readings, 3);
  rl_feed_get_counters (f->feed, &c);
  g_assert_cmpuint (c.auto_resolved, ==, 0);

  publish_reading (f, "bin-2", 12, 30, 80, 21.5);
  FEED_TEST_WAIT_COUNTER (f->feed, auto_resolved, 2);
  g_clear_pointer (&battery, json_object_unref);
  g_clear_pointer (&hot, json_object_unref);
  battery = alert_record (f->store, battery_id);
  hot = alert_record (f->store, hot_id);
  g_assert_cmpstr (string_of (battery, "resolvedNote"), ==,
                   "Resolved automatically: battery back to 80 %");
  g_assert_cmpstr (string_of (hot, "resolvedNote"), ==,
                   "Resolved automatically: temperature back to 21.5 °C");
  rl_feed_get_counters (f->feed, &c);
  g_assert_cmpuint (c.local_alerts, ==, 2);
}

/* The thresholds are the feed's properties (the session's, bound to the
 * settings, in the console). */
static void
test_threshold_property (Fixture           *f,
                         gconstpointer data G_GNUC_UNUSED)
{
  g_autofree char *id = NULL;
  g_autoptr (JsonObject) record = NULL;
  double threshold = 0;

  g_object_set (f->feed, "fill-alert-threshold", 50.0, NULL);
  g_object_get (f->feed, "fill-alert-threshold", &threshold, NULL);
  g_assert_cmpfloat (threshold, ==, 50);
  publish_reading (f, "bin-1", 1, 60, NAN, NAN);
  FEED_TEST_WAIT_COUNTER (f->feed, local_alerts, 1);
  id = open_alert (f->store, "bin-1", "FULL_BIN", NULL);
  record = alert_record (f->store, id);
  g_assert_cmpstr (string_of (record, "message"), ==, "Fill level 60 % is above 50 %");
  g_assert_cmpfloat (
      json_object_get_double_member (json_object_get_object_member (record, "rule"), "threshold"),
      ==, 50);
}

/* ---- The bins' own alerts ------------------------------------------------------------ */

static char *
alert_payload (const char *type,
               const char *severity,
               gint64      ts_ms)
{
  g_autofree char *when = rl_time_format_ms (ts_ms);

  return g_strdup_printf ("{\"type\":\"%s\",\"severity\":\"%s\",\"message\":\"Bin is full\","
                          "\"timestamp\":\"%s\"}",
                          type, severity, when);
}

static void
test_mqtt_alert (Fixture           *f,
                 gconstpointer data G_GNUC_UNUSED)
{
  g_autofree char *payload = alert_payload ("FULL_BIN", "HIGH", f->now + 1000);
  g_autofree char *later = alert_payload ("FULL_BIN", "HIGH", f->now + 2000);
  g_autofree char *id = rl_store_alert_id (RL_ALERT_SOURCE_FEED, "bin-2", "FULL_BIN",
                                           f->now + 1000);
  g_autofree char *when = rl_time_format_ms (f->now);
  g_autoptr (JsonObject) record = NULL;
  struct
  {
    char        *payload;
    RlFeedReject reason;
  } bad[] = {
    { g_strdup_printf ("{\"type\":\"FULL_BIN\",\"timestamp\":\"%s\"}", when),
      RL_FEED_REJECT_MISSING_FIELD },
    { g_strdup_printf ("{\"severity\":\"HIGH\",\"timestamp\":\"%s\"}", when),
      RL_FEED_REJECT_MISSING_FIELD },
    { g_strdup_printf ("{\"type\":\"EXPLODED\",\"severity\":\"HIGH\",\"timestamp\":\"%s\"}", when),
      RL_FEED_REJECT_BAD_VALUE },
    { g_strdup_printf ("{\"type\":\"FULL_BIN\",\"severity\":\"URGENT\",\"timestamp\":\"%s\"}",
                       when),
      RL_FEED_REJECT_BAD_VALUE },
    { g_strdup_printf ("{\"type\":\"FULL_BIN\",\"severity\":\"HIGH\",\"message\":42,"
                       "\"timestamp\":\"%s\"}",
                       when),
      RL_FEED_REJECT_BAD_VALUE },
    { g_strdup ("{\"type\":\"FULL_BIN\",\"severity\":\"HIGH\"}"), RL_FEED_REJECT_MISSING_FIELD },
    { g_strdup ("{\"type\":\"FULL_BIN\",\"severity\":\"HIGH\",\"timestamp\":"),
      RL_FEED_REJECT_NOT_JSON },
  };
  guint64        expected[RL_FEED_N_REJECTS] = { 0 };
  RlFeedCounters c;

  feed_test_publish (&f->pub, "devices/bin-2/alerts", payload);
  FEED_TEST_WAIT_COUNTER (f->feed, alert_records, 1);
  record = alert_record (f->store, id);
  g_assert_cmpstr (string_of (record, "source"), ==, "feed");
  g_assert_cmpstr (string_of (record, "type"), ==, "FULL_BIN");
  g_assert_cmpstr (string_of (record, "severity"), ==, "HIGH");
  g_assert_cmpstr (string_of (record, "message"), ==, "Bin is full");
  g_assert_cmpstr (string_of (record, "status"), ==, "open");
  g_assert_cmpstr (string_of (record, "dropPointId"), ==, "dp-2");

  /* The same message again (a QoS 1 redelivery), and a newer one while it
   * is open: no second record. */
  feed_test_publish (&f->pub, "devices/bin-2/alerts", payload);
  feed_test_publish (&f->pub, "devices/bin-2/alerts", later);
  FEED_TEST_WAIT_COUNTER (f->feed, alerts, 3);
  rl_feed_get_counters (f->feed, &c);
  g_assert_cmpuint (c.alert_records, ==, 1);
  g_assert_cmpint (rl_store_count (f->store, "alert"), ==, 1);

  /* Bad ones: counted by reason, nothing written. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      feed_test_publish (&f->pub, "devices/bin-1/alerts", bad[i].payload);
      expected[bad[i].reason]++;
      g_free (bad[i].payload);
    }
  FEED_TEST_WAIT_COUNTER (f->feed, received, 3 + G_N_ELEMENTS (bad));
  rl_feed_get_counters (f->feed, &c);
  for (guint r = 0; r < RL_FEED_N_REJECTS; r++)
    if (c.rejected[r] != expected[r])
      g_error ("reason %s: %" G_GUINT64_FORMAT " rejected, expected %" G_GUINT64_FORMAT,
               rl_feed_reject_to_string (r), c.rejected[r], expected[r]);
  g_assert_cmpuint (c.alerts, ==, 3);
  g_assert_cmpint (rl_store_count (f->store, "alert"), ==, 1);

  /* The bin's readings say it was emptied: its alert resolves too. */
  publish_reading (f, "bin-2", 3, 4, NAN, NAN);
  FEED_TEST_WAIT_COUNTER (f->feed, auto_resolved, 1);
  g_clear_pointer (&record, json_object_unref);
  record = alert_record (f->store, id);
  g_assert_cmpstr (string_of (record, "status"), ==, "resolved");
  g_assert_cmpstr (string_of (record, "resolvedNote"), ==,
                   "Resolved automatically: fill level back to 4 %");
}

/* ---- The server's alert replaces the local one ----------------------------------------- */

static void
test_server_replaces_local (Fixture           *f,
                            gconstpointer data G_GNUC_UNUSED)
{
  g_autofree char *local_id = NULL;
  g_autofree char *open_id = NULL;
  g_autofree char *when = rl_time_format_ms (f->now + 1500);
  g_autofree char *page_json = g_strdup_printf (
      "[{\"seq\":7,\"entity\":\"alert\",\"id\":\"al-7\",\"op\":\"upsert\",\"version\":1,"
      "\"record\":{\"id\":\"al-7\",\"dropPointId\":\"dp-1\",\"deviceId\":\"bin-1\","
      "\"type\":\"FULL_BIN\",\"severity\":\"HIGH\",\"message\":\"Bin is over 85 %% full\","
      "\"createdAt\":\"%s\",\"status\":\"open\",\"acknowledgedBy\":null,"
      "\"acknowledgedAt\":null,\"version\":1}}]",
      when);
  g_autoptr (JsonNode) page = json_from_string (page_json, NULL);
  g_autoptr (JsonObject) local = NULL;
  g_autoptr (GError) error = NULL;
  RlStoreApplyStats stats;
  RlAlertSource     source;
  RlFeedCounters    c;

  publish_reading (f, "bin-1", 1, 92, NAN, NAN);
  FEED_TEST_WAIT_COUNTER (f->feed, local_alerts, 1);
  local_id = open_alert (f->store, "bin-1", "FULL_BIN", &source);
  g_assert_cmpint (source, ==, RL_ALERT_SOURCE_LOCAL);

  /* The /changes applier (the sync's pull) brings the server's. */
  g_assert_true (
      rl_store_apply_changes (f->store, json_node_get_array (page), 7, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 1);
  open_id = open_alert (f->store, "bin-1", "FULL_BIN", &source);
  g_assert_cmpstr (open_id, ==, "al-7");
  g_assert_cmpint (source, ==, RL_ALERT_SOURCE_SERVER);
  local = alert_record (f->store, local_id);
  g_assert_cmpstr (string_of (local, "status"), ==, "resolved");
  g_assert_cmpstr (string_of (local, "supersededBy"), ==, "al-7");

  /* Still full while the server's is open: no local one beside it. */
  publish_reading (f, "bin-1", 2, 12, NAN, NAN);
  publish_reading (f, "bin-1", 3, 95, NAN, NAN);
  FEED_TEST_WAIT_COUNTER (f->feed, readings, 3);
  rl_feed_get_counters (f->feed, &c);
  g_assert_cmpuint (c.local_alerts, ==, 1);
  g_clear_pointer (&open_id, g_free);
  open_id = open_alert (f->store, "bin-1", "FULL_BIN", &source);
  g_assert_cmpstr (open_id, ==, "al-7");
  /* The server's alert is the server's to resolve. */
  g_assert_cmpint (rl_store_count (f->store, "alert"), ==, 2);
}

/* ---- OFFLINE ------------------------------------------------------------------------- */

static void
test_offline (Fixture           *f,
              gconstpointer data G_GNUC_UNUSED)
{
  g_autofree char *bin1 = NULL;
  g_autofree char *bin2 = NULL;
  g_autofree char *status = NULL;
  g_autofree char *when = rl_time_format_ms (rl_time_now_ms ());
  g_autoptr (JsonObject) record = NULL;

  /* Both bins last reported on 1 January: silent far longer than 2 s. */
  g_object_set (f->feed, "offline-after", 2u, NULL);
  FEED_TEST_WAIT_COUNTER (f->feed, local_alerts, 2);
  bin1 = open_alert (f->store, "bin-1", "OFFLINE", NULL);
  bin2 = open_alert (f->store, "bin-2", "OFFLINE", NULL);
  g_assert_nonnull (bin1);
  g_assert_nonnull (bin2);
  record = alert_record (f->store, bin1);
  g_assert_cmpstr (string_of (record, "severity"), ==, "MEDIUM");

  /* A reading and a status back online resolve them. */
  publish_reading (f, "bin-1", 60, 30, NAN, NAN);
  status = g_strdup_printf ("{\"online\":true,\"timestamp\":\"%s\"}", when);
  feed_test_publish (&f->pub, "devices/bin-2/status", status);
  FEED_TEST_WAIT_COUNTER (f->feed, auto_resolved, 2);
  g_clear_pointer (&record, json_object_unref);
  record = alert_record (f->store, bin1);
  g_assert_cmpstr (string_of (record, "resolvedNote"), ==,
                   "Resolved automatically: the device reported again");
  g_clear_pointer (&record, json_object_unref);
  record = alert_record (f->store, bin2);
  g_assert_cmpstr (string_of (record, "status"), ==, "resolved");
  /* Two seconds later they would be silent again. */
  g_object_set (f->feed, "offline-after", 1800u, NULL);
}

/* ---- A signed-in session's actions ------------------------------------------------------- */

typedef struct
{
  RlStore *store;
  char    *device;
} PickData;

static gboolean
pick_device (const RlStoreDropPoint *dp,
             gpointer                user_data)
{
  PickData        *pick = user_data;
  g_autofree char *open_id = NULL;

  if (dp->device_id == NULL)
    return TRUE;
  g_assert_true (rl_store_find_open_alert (pick->store, dp->device_id, "FULL_BIN", &open_id, NULL,
                                           NULL));
  if (open_id != NULL)
    return TRUE;
  pick->device = g_strdup (dp->device_id);
  return FALSE;
}

typedef struct
{
  RlStore    *store;
  const char *device;
} OpenWait;

static gboolean
local_alert_open (gpointer user_data)
{
  OpenWait        *w = user_data;
  g_autofree char *id = NULL;

  return rl_store_find_open_alert (w->store, w->device, "FULL_BIN", &id, NULL, NULL) && id != NULL;
}

static void
test_session_actions (void)
{
  static const char *const args[] = { "--drop-points", "40", NULL };
  g_autoptr (RlTestDevserver) server = sync_test_devserver (args);
  g_autoptr (RlTestBroker) broker = NULL;
  g_autoptr (RlSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) local = NULL;
  g_autoptr (JsonNode) open = NULL;
  g_autofree char  *local_id = NULL;
  g_autofree char  *topic = NULL;
  g_autofree char  *payload = NULL;
  g_autofree char  *token = NULL;
  FeedTestPublisher pub = { 0 };
  RlFeedConfig      config = { 0 };
  PickData          pick = { 0 };
  OpenWait          wait;
  RlStore          *store;
  const char       *server_id;
  double            threshold = 0;
  RlAlertSource     source;

  broker = rl_test_broker_start (&error);
  g_assert_no_error (error);
  session = sync_test_sign_in (server, SYNC_DISPATCHER, 0);
  store = rl_session_get_store (session);
  rl_session_set_auto_drain (session, FALSE);

  /* The rules go from the session (bound to the settings) to its feed. */
  g_object_set (session, "fill-alert-threshold", 70.0, NULL);
  config.url = broker->url;
  config.topic_prefix = "devices";
  g_assert_true (rl_session_start_feed (session, &config, &error));
  g_assert_no_error (error);
  g_object_get (rl_session_get_feed (session), "fill-alert-threshold", &threshold, NULL);
  g_assert_cmpfloat (threshold, ==, 70);
  feed_test_wait_subscribed (rl_session_get_feed (session), broker);

  /* A bin with no open FULL_BIN alert reads 75 % (over 70). */
  pick.store = store;
  g_assert_true (rl_store_foreach_drop_point (store, pick_device, &pick, &error));
  g_assert_nonnull (pick.device);
  feed_test_publisher_start (&pub, broker->port);
  topic = g_strdup_printf ("devices/%s/sensor-data", pick.device);
  payload = feed_test_reading (pick.device, 75, NAN, NAN, rl_time_now_ms ());
  feed_test_publish (&pub, topic, payload);
  wait = (OpenWait){ store, pick.device };
  g_assert_true (rl_test_wait_until (local_alert_open, &wait, 15000));
  local_id = open_alert (store, pick.device, "FULL_BIN", &source);
  g_assert_cmpint (source, ==, RL_ALERT_SOURCE_LOCAL);

  /* A local alert: the cache alone, who and when; no outbox row. */
  g_assert_cmpint (rl_session_alert_action (session, local_id, RL_ALERT_ACTION_ACKNOWLEDGE,
                                            "crew on the way", &error),
                   ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (rl_store_count (store, "outbox"), ==, 0);
  local = alert_record (store, local_id);
  g_assert_cmpstr (string_of (local, "status"), ==, "acknowledged");
  g_assert_cmpstr (string_of (local, "acknowledgedBy"), ==, SYNC_DISPATCHER);
  g_assert_cmpstr (string_of (local, "acknowledgedNote"), ==, "crew on the way");
  g_assert_nonnull (string_of (local, "acknowledgedAt"));
  /* Not twice. */
  g_assert_cmpint (rl_session_alert_action (session, local_id, RL_ALERT_ACTION_ACKNOWLEDGE, NULL,
                                            &error),
                   ==, -1);
  g_assert_error (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_cmpint (rl_session_alert_action (session, local_id, RL_ALERT_ACTION_RESOLVE, "emptied",
                                            &error),
                   ==, 0);
  g_assert_no_error (error);
  g_clear_pointer (&local, json_object_unref);
  local = alert_record (store, local_id);
  g_assert_cmpstr (string_of (local, "status"), ==, "resolved");
  g_assert_cmpstr (string_of (local, "resolvedBy"), ==, SYNC_DISPATCHER);
  g_assert_cmpint (rl_store_count (store, "outbox"), ==, 0);

  /* A server alert: exactly one outbox row. */
  token = rl_test_login (server, SYNC_DISPATCHER);
  open = sync_test_call (server, token, "GET", "/alerts?status=open&limit=1", NULL, NULL, 200);
  server_id = json_object_get_string_member (
      json_array_get_object_element (json_node_get_array (open), 0), "id");
  g_assert_cmpint (rl_store_get_alert_source (store, server_id, &error), ==,
                   RL_ALERT_SOURCE_SERVER);
  g_assert_cmpint (rl_session_alert_action (session, server_id, RL_ALERT_ACTION_ACKNOWLEDGE,
                                            "on my way", &error),
                   >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (rl_store_count (store, "outbox"), ==, 1);

  feed_test_publisher_stop (&pub);
  rl_session_stop_feed (session);
  g_free (pick.device);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) \
  g_test_add ("/feed-alerts/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("full-bin", test_full_bin);
  ADD ("battery-temperature", test_battery_temperature);
  ADD ("threshold-property", test_threshold_property);
  ADD ("mqtt-alert", test_mqtt_alert);
  ADD ("server-replaces-local", test_server_replaces_local);
  ADD ("offline", test_offline);
#undef ADD
  g_test_add_func ("/feed-alerts/session-actions", test_session_actions);

  return g_test_run ();
}
