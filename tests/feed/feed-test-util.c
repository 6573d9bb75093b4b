/* feed-test-util.c — what the feed's tests share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "feed-test-util.h"

#include <math.h>
#include <string.h>

#include "rl-time.h"

static void
on_publish (struct mosquitto *mosq G_GNUC_UNUSED,
            void                  *user_data,
            int mid                G_GNUC_UNUSED)
{
  FeedTestPublisher *pub = user_data;

  g_atomic_int_inc (&pub->acked);
}

void
feed_test_publisher_start (FeedTestPublisher *pub,
                           RlTestBroker      *broker)
{
  g_assert_cmpint (mosquitto_lib_init (), ==, MOSQ_ERR_SUCCESS);
  pub->mosq = mosquitto_new (NULL, TRUE, pub);
  g_assert_nonnull (pub->mosq);
  mosquitto_publish_callback_set (pub->mosq, on_publish);
  g_assert_cmpint (mosquitto_connect (pub->mosq, "127.0.0.1", (int) broker->port, 30), ==,
                   MOSQ_ERR_SUCCESS);
  g_assert_cmpint (mosquitto_loop_start (pub->mosq), ==, MOSQ_ERR_SUCCESS);
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

void
feed_test_publish (FeedTestPublisher *pub,
                   const char        *topic,
                   const char        *payload)
{
  AckWait w = { pub, g_atomic_int_get (&pub->acked) + 1 };

  g_assert_cmpint (mosquitto_publish (pub->mosq, NULL, topic, (int) strlen (payload), payload, 1,
                                      false),
                   ==, MOSQ_ERR_SUCCESS);
  g_assert_true (rl_test_wait_until (acked_enough, &w, 10000));
}

static void
append_number (GString    *json,
               const char *key,
               double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isnan (value))
    g_string_append_printf (json, ",\"%s\":%s", key, g_ascii_dtostr (buf, sizeof buf, value));
}

char *
feed_test_reading (const char *device,
                   double      fill,
                   double      battery,
                   double      temperature,
                   gint64      ts_ms)
{
  g_autofree char *when = rl_time_format_ms (ts_ms);
  GString         *json = g_string_new (NULL);

  g_string_append_printf (json, "{\"binId\":\"%s\",\"timestamp\":\"%s\"", device, when);
  append_number (json, "fillLevel", fill);
  append_number (json, "batteryLevel", battery);
  append_number (json, "temperature", temperature);
  g_string_append (json, "}");
  return g_string_free (json, FALSE);
}

typedef struct
{
  RlFeed *feed;
  gsize   offset;
  guint64 want;
} CounterWait;

static gboolean
counter_reached (gpointer user_data)
{
  CounterWait   *w = user_data;
  RlFeedCounters c;

  rl_feed_get_counters (w->feed, &c);
  return *(guint64 *) (gpointer) ((char *) &c + w->offset) >= w->want;
}

gboolean
feed_test_wait_counter (RlFeed *feed,
                        gsize   offset,
                        guint64 want)
{
  CounterWait w = { feed, offset, want };

  return rl_test_wait_until (counter_reached, &w, 15000);
}
