/* feed-test-util.h — what the feed's tests share: a QoS 1 publisher on a
 * test broker, readings, and waits on the feed's counters.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <mosquitto.h>

#include "rl-feed.h"
#include "rl-test-util.h"

G_BEGIN_DECLS

typedef struct
{
  struct mosquitto *mosq;
  gint              acked; /* atomic */
} FeedTestPublisher;

void feed_test_publisher_start (FeedTestPublisher *pub,
                                RlTestBroker      *broker);
void feed_test_publisher_stop (FeedTestPublisher *pub);
/* Publishes at QoS 1 and waits for the broker's PUBACK. */
void feed_test_publish (FeedTestPublisher *pub,
                        const char        *topic,
                        const char        *payload);

/* A sensor-data payload of contract §3; NAN leaves a value out. */
char *feed_test_reading (const char *device,
                         double      fill,
                         double      battery,
                         double      temperature,
                         gint64      ts_ms);

/* Waits (up to 15 s) until the guint64 at @offset of the feed's counters
 * reaches @want; FALSE on time-out. */
gboolean feed_test_wait_counter (RlFeed *feed,
                                 gsize   offset,
                                 guint64 want);

#define FEED_TEST_WAIT_COUNTER(feed, field, n) \
  g_assert_true (feed_test_wait_counter ((feed), G_STRUCT_OFFSET (RlFeedCounters, field), (n)))

G_END_DECLS
