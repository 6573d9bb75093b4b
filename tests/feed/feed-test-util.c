/* feed-test-util.c — what the feed's tests and bench-ingest share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "feed-test-util.h"

#include <math.h>
#include <string.h>

#include "rl-time.h"

/* ---- publisher ---- */

static void
on_publish (struct mosquitto *mosq G_GNUC_UNUSED,
            void                  *user_data,
            int mid                G_GNUC_UNUSED)
{
  FeedTestPublisher *pub = user_data;

  g_atomic_int_inc (&pub->acked);
}

void
feed_test_publisher_start_full (FeedTestPublisher              *pub,
                                guint                           port,
                                const FeedTestPublisherOptions *options)
{
  int keepalive_s = options->keepalive_s > 0 ? options->keepalive_s : 30;

  g_assert_cmpint (mosquitto_lib_init (), ==, MOSQ_ERR_SUCCESS);
  pub->mosq = mosquitto_new (NULL, TRUE, pub);
  g_assert_nonnull (pub->mosq);
  pub->reconnect = options->reconnect;
  mosquitto_publish_callback_set (pub->mosq, on_publish);
  if (options->reconnect)
    {
      mosquitto_reconnect_delay_set (pub->mosq, 1, 2, false);
      /* Many in flight: a restart test queues hundreds while the broker is away. */
      mosquitto_int_option (pub->mosq, MOSQ_OPT_SEND_MAXIMUM, 65535);
    }
  g_assert_cmpint (mosquitto_connect (pub->mosq, "127.0.0.1", (int) port, keepalive_s), ==,
                   MOSQ_ERR_SUCCESS);
  g_assert_cmpint (mosquitto_loop_start (pub->mosq), ==, MOSQ_ERR_SUCCESS);
}

void
feed_test_publisher_start (FeedTestPublisher *pub,
                           guint              port)
{
  FeedTestPublisherOptions options = { 0 };

  feed_test_publisher_start_full (pub, port, &options);
}

void
feed_test_publisher_stop (FeedTestPublisher *pub)
{
  if (pub->mosq == NULL)
    return;
  mosquitto_disconnect (pub->mosq);
  mosquitto_loop_stop (pub->mosq, TRUE);
  g_clear_pointer (&pub->mosq, mosquitto_destroy);
}

static void
publish_bytes_async (FeedTestPublisher *pub,
                     const char        *topic,
                     const void        *payload,
                     gsize              length)
{
  int rc = mosquitto_publish (pub->mosq, NULL, topic, (int) length, payload, 1, false);

  /* NO_CONN: the broker is away; a reconnecting client keeps a QoS 1
   * message and sends it when it is back (the PUBACKs count what really
   * arrived). */
  if (!(pub->reconnect && rc == MOSQ_ERR_NO_CONN))
    g_assert_cmpint (rc, ==, MOSQ_ERR_SUCCESS);
}

void
feed_test_publish_async (FeedTestPublisher *pub,
                         const char        *topic,
                         const char        *payload)
{
  publish_bytes_async (pub, topic, payload, strlen (payload));
}

typedef struct
{
  FeedTestPublisher *pub;
  gint               want;
} AckWait;

static gboolean
acked_enough (gpointer user_data)
{
  AckWait *w = user_data;

  return g_atomic_int_get (&w->pub->acked) >= w->want;
}

gboolean
feed_test_wait_acked (FeedTestPublisher *pub,
                      gint               n,
                      guint              timeout_ms)
{
  AckWait w = { pub, n };

  return rl_test_wait_until (acked_enough, &w, timeout_ms);
}

void
feed_test_publish_bytes (FeedTestPublisher *pub,
                         const char        *topic,
                         const void        *payload,
                         gsize              length)
{
  gint want = g_atomic_int_get (&pub->acked) + 1;

  publish_bytes_async (pub, topic, payload, length);
  g_assert_true (feed_test_wait_acked (pub, want, 10000));
}

void
feed_test_publish (FeedTestPublisher *pub,
                   const char        *topic,
                   const char        *payload)
{
  feed_test_publish_bytes (pub, topic, payload, strlen (payload));
}

/* ---- readings ---- */

static void
append_number (GString    *json,
               const char *key,
               double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isnan (value))
    g_string_append_printf (json, ",\"%s\":%s", key, g_ascii_dtostr (buf, sizeof buf, value));
}

/* @rest: more members as text, after the values. */
static char *
build_reading (const char *device,
               double      fill,
               double      battery,
               double      temperature,
               const char *rest,
               gint64      ts_ms)
{
  g_autofree char *when = rl_time_format_ms (ts_ms);
  GString         *json = g_string_new (NULL);

  g_string_append_printf (json, "{\"binId\":\"%s\"", device);
  append_number (json, "fillLevel", fill);
  append_number (json, "batteryLevel", battery);
  append_number (json, "temperature", temperature);
  g_string_append_printf (json, "%s,\"timestamp\":\"%s\"}", rest, when);
  return g_string_free (json, FALSE);
}

char *
feed_test_reading (const char *device,
                   double      fill,
                   double      battery,
                   double      temperature,
                   gint64      ts_ms)
{
  return build_reading (device, fill, battery, temperature, "", ts_ms);
}

char *
feed_test_bin_reading (const char *device,
                       double      fill,
                       gint64      ts_ms)
{
  return build_reading (device, fill, NAN, NAN,
                        ",\"weight\":12.5,\"temperature\":24.0,\"humidity\":55,\"batteryLevel\":80,"
                        "\"gpsCoordinates\":{\"latitude\":27.7,\"longitude\":85.3}",
                        ts_ms);
}

/* ---- the cache ---- */

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
feed_test_store_new (char **out_dir)
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
feed_test_store_remove (const char *dir)
{
  rl_test_rm_rf (dir);
}

static JsonObject *
drop_point (RlStore    *store,
            const char *id)
{
  JsonObject *record = rl_store_get_record (store, "drop_point", id, NULL);

  g_assert_nonnull (record);
  return record;
}

double
feed_test_cached_fill (RlStore    *store,
                       const char *drop_point_id)
{
  g_autoptr (JsonObject) record = drop_point (store, drop_point_id);

  return json_object_get_double_member (record, "fillLevel");
}

gboolean
feed_test_cached_online (RlStore    *store,
                         const char *drop_point_id)
{
  g_autoptr (JsonObject) record = drop_point (store, drop_point_id);

  return json_object_get_boolean_member (record, "isOnline");
}

JsonArray *
feed_test_history (RlStore    *store,
                   const char *device)
{
  g_autoptr (GError) error = NULL;
  JsonArray *rows = rl_store_get_readings (store, device, 0, G_MAXINT64, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

gint64
feed_test_history_rows (RlStore    *store,
                        const char *device)
{
  g_autoptr (JsonArray) rows = feed_test_history (store, device);

  return json_array_get_length (rows);
}

/* ---- the feed ---- */

RlFeed *
feed_test_feed_start (RlStore    *store,
                      const char *url,
                      const char *ca_file)
{
  RlFeedConfig config = { .url = url, .topic_prefix = "devices", .ca_file = ca_file };
  g_autoptr (GError) error = NULL;
  g_autoptr (RlFeed) feed = rl_feed_new (store);

  g_assert_true (rl_feed_start (feed, &config, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&feed);
}

void
feed_test_wait_subscribed (RlFeed       *feed,
                           RlTestBroker *broker)
{
  g_assert_true (feed_test_wait_state (feed, RL_FEED_STATE_CONNECTED, 15000));
  /* The subscriptions are made in the connect callback: a publish before
   * the broker has them would be lost. The last of the three is to alerts
   * (one connection: the others are in place by then). */
  rl_test_broker_wait_subscribed (broker, "devices/+/alerts", 1, 15000);
}

/* ---- a fixture ---- */

void
feed_test_fixture_start (FeedTestFixture *f)
{
  g_assert_nonnull (f->broker);
  g_assert_nonnull (f->store);
  f->now = rl_time_now_ms () - 60000;
  feed_test_publisher_start (&f->pub, f->broker->port);
  f->feed = feed_test_feed_start (f->store, f->broker->url, NULL);
  feed_test_wait_subscribed (f->feed, f->broker);
}

void
feed_test_fixture_tear_down (FeedTestFixture *f)
{
  feed_test_publisher_stop (&f->pub);
  if (f->feed != NULL)
    rl_feed_stop (f->feed);
  g_clear_object (&f->feed);
  g_clear_object (&f->store);
  g_clear_pointer (&f->broker, rl_test_broker_free);
  rl_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
}

/* ---- waits ---- */

typedef struct
{
  RlFeed     *feed;
  RlFeedState state;
  gsize       offset; /* into RlFeedCounters, of a guint64 */
  guint64     want;
} FeedWait;

static gboolean
state_is (gpointer user_data)
{
  FeedWait *w = user_data;

  return rl_feed_get_state (w->feed) == w->state;
}

gboolean
feed_test_wait_state (RlFeed     *feed,
                      RlFeedState state,
                      guint       timeout_ms)
{
  FeedWait w = { .feed = feed, .state = state };

  return rl_test_wait_until (state_is, &w, timeout_ms);
}

static gboolean
counter_reached (gpointer user_data)
{
  FeedWait      *w = user_data;
  RlFeedCounters c;

  rl_feed_get_counters (w->feed, &c);
  return *(guint64 *) (gpointer) ((char *) &c + w->offset) >= w->want;
}

gboolean
feed_test_wait_counter (RlFeed *feed,
                        gsize   offset,
                        guint64 want)
{
  FeedWait w = { .feed = feed, .offset = offset, .want = want };

  return rl_test_wait_until (counter_reached, &w, 15000);
}

typedef struct
{
  RlFeed *feed;
  guint64 n;
} StoredWait;

static gboolean
stored_enough (gpointer user_data)
{
  StoredWait    *w = user_data;
  RlFeedCounters c;

  rl_feed_get_counters (w->feed, &c);
  return c.readings + c.older >= w->n;
}

gboolean
feed_test_wait_stored (RlFeed *feed,
                       guint64 n,
                       guint   timeout_ms)
{
  StoredWait w = { feed, n };

  return rl_test_wait_until (stored_enough, &w, timeout_ms);
}
