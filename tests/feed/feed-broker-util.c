/* feed-broker-util.c — what the feed's broker tests share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "feed-broker-util.h"

#include <glib/gstdio.h>
#include <string.h>

#include "rl-test-util.h"
#include "rl-time.h"

static void
on_publish (struct mosquitto *mosq G_GNUC_UNUSED,
            void                  *user_data,
            int mid                G_GNUC_UNUSED)
{
  FeedBrokerPublisher *pub = user_data;

  g_atomic_int_inc (&pub->acked);
}

void
feed_broker_publisher_start (FeedBrokerPublisher *pub,
                             guint                port)
{
  g_assert_cmpint (mosquitto_lib_init (), ==, MOSQ_ERR_SUCCESS);
  pub->mosq = mosquitto_new (NULL, TRUE, pub);
  g_assert_nonnull (pub->mosq);
  mosquitto_publish_callback_set (pub->mosq, on_publish);
  mosquitto_reconnect_delay_set (pub->mosq, 1, 2, false);
  /* Many in flight: a restart test queues hundreds while the broker is away. */
  mosquitto_int_option (pub->mosq, MOSQ_OPT_SEND_MAXIMUM, 65535);
  g_assert_cmpint (mosquitto_connect (pub->mosq, "127.0.0.1", (int) port, 30), ==,
                   MOSQ_ERR_SUCCESS);
  g_assert_cmpint (mosquitto_loop_start (pub->mosq), ==, MOSQ_ERR_SUCCESS);
}

void
feed_broker_publisher_stop (FeedBrokerPublisher *pub)
{
  if (pub->mosq == NULL)
    return;
  mosquitto_disconnect (pub->mosq);
  mosquitto_loop_stop (pub->mosq, TRUE);
  g_clear_pointer (&pub->mosq, mosquitto_destroy);
}

void
feed_broker_publish_async (FeedBrokerPublisher *pub,
                           const char          *topic,
                           const char          *payload)
{
  int rc = mosquitto_publish (pub->mosq, NULL, topic, (int) strlen (payload), payload, 1, false);

  /* NO_CONN: the broker is away; libmosquitto keeps a QoS 1 message and
   * sends it when it is back (the PUBACKs count what really arrived). */
  if (rc != MOSQ_ERR_NO_CONN)
    g_assert_cmpint (rc, ==, MOSQ_ERR_SUCCESS);
}

typedef struct
{
  FeedBrokerPublisher *pub;
  gint                 want;
} AckWait;

static gboolean
acked_enough (gpointer user_data)
{
  AckWait *w = user_data;

  return g_atomic_int_get (&w->pub->acked) >= w->want;
}

gboolean
feed_broker_wait_acked (FeedBrokerPublisher *pub,
                        gint                 n,
                        guint                timeout_ms)
{
  AckWait w = { pub, n };

  return rl_test_wait_until (acked_enough, &w, timeout_ms);
}

void
feed_broker_publish (FeedBrokerPublisher *pub,
                     const char          *topic,
                     const char          *payload)
{
  gint want = g_atomic_int_get (&pub->acked) + 1;

  feed_broker_publish_async (pub, topic, payload);
  g_assert_true (feed_broker_wait_acked (pub, want, 10000));
}

char *
feed_broker_reading (const char *device,
                     double      fill,
                     gint64      ts_ms)
{
  g_autofree char *when = rl_time_format_ms (ts_ms);

  return g_strdup_printf (
      "{\"binId\":\"%s\",\"fillLevel\":%.1f,\"weight\":12.5,\"temperature\":24.0,"
      "\"humidity\":55,\"batteryLevel\":80,\"gpsCoordinates\":{\"latitude\":27.7,"
      "\"longitude\":85.3},\"timestamp\":\"%s\"}",
      device, fill, when);
}

static void
add_drop_point (RlStoreBatch *batch,
                const char   *id,
                const char   *device,
                double        fill)
{
  g_autofree char *json = g_strdup_printf (
      "{\"id\":\"%s\",\"name\":\"Point %s\",\"address\":\"Kathmandu\",\"latitude\":27.7,"
      "\"longitude\":85.3,\"status\":\"active\",\"deviceId\":\"%s\",\"fillLevel\":%.1f,"
      "\"isOnline\":true,\"lastReadingAt\":\"2026-11-01T00:00:00Z\",\"version\":1,"
      "\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\"}",
      id, id, device, fill);

  rl_test_batch_upsert (batch, "drop_point", json);
}

RlStore *
feed_broker_store_new (char **out_dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = NULL;
  g_autoptr (RlStore) store = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rl-feed-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "cache.sqlite", NULL);
  store = rl_store_open (path, &error);
  g_assert_no_error (error);
  batch = rl_store_batch_begin (store, &error);
  g_assert_no_error (error);
  add_drop_point (batch, "dp-1", "bin-1", 10);
  add_drop_point (batch, "dp-2", "bin-2", 20);
  g_assert_true (rl_store_batch_commit (batch, &error));
  *out_dir = g_steal_pointer (&dir);
  return g_steal_pointer (&store);
}

void
feed_broker_store_remove (const char *dir)
{
  rl_test_rm_rf (dir);
}

double
feed_broker_cached_fill (RlStore    *store,
                         const char *drop_point_id)
{
  g_autoptr (JsonObject) record = rl_store_get_record (store, "drop_point", drop_point_id, NULL);

  g_assert_nonnull (record);
  return json_object_get_double_member (record, "fillLevel");
}

JsonArray *
feed_broker_history (RlStore    *store,
                     const char *device)
{
  g_autoptr (GError) error = NULL;
  JsonArray *rows = rl_store_get_readings (store, device, 0, G_MAXINT64, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

gint64
feed_broker_history_rows (RlStore    *store,
                          const char *device)
{
  g_autoptr (JsonArray) rows = feed_broker_history (store, device);

  return json_array_get_length (rows);
}

typedef struct
{
  RlFeed     *feed;
  RlFeedState state;
  guint64     readings;
} FeedWait;

static gboolean
state_is (gpointer user_data)
{
  FeedWait *w = user_data;

  return rl_feed_get_state (w->feed) == w->state;
}

gboolean
feed_broker_wait_state (RlFeed     *feed,
                        RlFeedState state,
                        guint       timeout_ms)
{
  FeedWait w = { .feed = feed, .state = state };

  return rl_test_wait_until (state_is, &w, timeout_ms);
}

static gboolean
readings_reached (gpointer user_data)
{
  FeedWait      *w = user_data;
  RlFeedCounters c;

  rl_feed_get_counters (w->feed, &c);
  return c.readings >= w->readings;
}

gboolean
feed_broker_wait_readings (RlFeed *feed,
                           guint64 n,
                           guint   timeout_ms)
{
  FeedWait w = { .feed = feed, .readings = n };

  return rl_test_wait_until (readings_reached, &w, timeout_ms);
}
