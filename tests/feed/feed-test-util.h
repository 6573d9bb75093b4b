/* feed-test-util.h — what the feed's tests and bench-ingest share: a QoS 1
 * publisher, readings, a cache with two drop points, a feed started on a
 * broker, and waits on the feed.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <mosquitto.h>

#include "rl-feed.h"
#include "rl-store.h"
#include "rl-test-util.h"

G_BEGIN_DECLS

/* ---- publisher ---- */

/* A libmosquitto client on 127.0.0.1 with its own network thread. */
typedef struct
{
  struct mosquitto *mosq;
  gint              acked; /* atomic: PUBACKs received */
  gboolean          reconnect;
} FeedTestPublisher;

typedef struct
{
  /* Reconnects by itself (1–2 s) while the broker is away, keeping the
   * unacknowledged QoS 1 messages (up to 65535 in flight) to send again;
   * feed_test_publish_async then takes a message while it is not
   * connected. */
  gboolean reconnect;
  int      keepalive_s; /* 0: 30 */
} FeedTestPublisherOptions;

void feed_test_publisher_start (FeedTestPublisher *pub,
                                guint              port);
void feed_test_publisher_start_full (FeedTestPublisher              *pub,
                                     guint                           port,
                                     const FeedTestPublisherOptions *options);
void feed_test_publisher_stop (FeedTestPublisher *pub);
/* Publishes at QoS 1 without waiting (safe from any thread). */
void feed_test_publish_async (FeedTestPublisher *pub,
                              const char        *topic,
                              const char        *payload);
/* Publishes at QoS 1 and waits (≤ 10 s, running the main loop) for the
 * broker's PUBACK. */
void feed_test_publish (FeedTestPublisher *pub,
                        const char        *topic,
                        const char        *payload);
/* The same with any bytes, NULs included. */
void feed_test_publish_bytes (FeedTestPublisher *pub,
                              const char        *topic,
                              const void        *payload,
                              gsize              length);
/* Runs the main loop until @n PUBACKs in all have arrived; FALSE after
 * @timeout_ms. */
gboolean feed_test_wait_acked (FeedTestPublisher *pub,
                               gint               n,
                               guint              timeout_ms);

/* ---- readings ---- */

/* A sensor-data payload of contract §3: binId @device, fillLevel @fill,
 * batteryLevel @battery, temperature @temperature (NAN leaves a value out),
 * timestamp @ts_ms. */
char *feed_test_reading (const char *device,
                         double      fill,
                         double      battery,
                         double      temperature,
                         gint64      ts_ms);
/* The whole message of a bin: fillLevel @fill and weight 12.5, temperature
 * 24.0, humidity 55, batteryLevel 80, gpsCoordinates. */
char *feed_test_bin_reading (const char *device,
                             double      fill,
                             gint64      ts_ms);

/* ---- the cache ---- */

/* A cache in a new temporary directory (*out_dir) with drop points dp-1
 * (device bin-1, fill 10) and dp-2 (bin-2, fill 20). */
RlStore *feed_test_store_new (char **out_dir);
/* Removes the directory of a closed cache. */
void feed_test_store_remove (const char *dir);

double   feed_test_cached_fill (RlStore    *store,
                                const char *drop_point_id);
gboolean feed_test_cached_online (RlStore    *store,
                                  const char *drop_point_id);
/* The stored history of @device, oldest first (JsonArray of objects). */
JsonArray *feed_test_history (RlStore    *store,
                              const char *device);
gint64     feed_test_history_rows (RlStore    *store,
                                   const char *device);

/* ---- the feed ---- */

/* A feed on @store started on @url with the topic prefix "devices" (and
 * @ca_file, or NULL); it connects in the background. */
RlFeed *feed_test_feed_start (RlStore    *store,
                              const char *url,
                              const char *ca_file);
/* Waits (≤ 15 s each) until @feed is connected and @broker has its last
 * subscription (to alerts): from then on a publish reaches the feed. */
void feed_test_wait_subscribed (RlFeed       *feed,
                                RlTestBroker *broker);

/* ---- a fixture ---- */

/* What most feed tests set up: a broker, a cache in a temporary directory,
 * a publisher on the broker and a feed on the cache. */
typedef struct
{
  RlTestBroker     *broker;
  char             *dir;
  RlStore          *store;
  RlFeed           *feed;
  FeedTestPublisher pub;
  /* A minute before the start: readings from then on are neither older
   * than the cache's nor in the future. */
  gint64 now;
} FeedTestFixture;

/* With @f->broker and @f->store set: sets @f->now, starts the publisher on
 * the broker and a feed (feed_test_feed_start) on the cache, and waits
 * until it is subscribed. */
void feed_test_fixture_start (FeedTestFixture *f);
/* Stops and frees whatever of it is set, and removes @f->dir. */
void feed_test_fixture_tear_down (FeedTestFixture *f);

/* Runs the main loop until the feed's state is @state; FALSE after
 * @timeout_ms. */
gboolean feed_test_wait_state (RlFeed     *feed,
                               RlFeedState state,
                               guint       timeout_ms);
/* Waits (up to 15 s) until the guint64 at @offset of the feed's counters
 * reaches @want; FALSE on time-out. */
gboolean feed_test_wait_counter (RlFeed *feed,
                                 gsize   offset,
                                 guint64 want);

/* Runs the main loop until the feed has stored @n readings since it started
 * (counters.readings + counters.older: the newest, and the older ones that
 * went to the history only, as a redelivery after a restart can); FALSE
 * after @timeout_ms. */
gboolean feed_test_wait_stored (RlFeed *feed,
                                guint64 n,
                                guint   timeout_ms);

#define FEED_TEST_WAIT_COUNTER(feed, field, n) \
  g_assert_true (feed_test_wait_counter ((feed), G_STRUCT_OFFSET (RlFeedCounters, field), (n)))

G_END_DECLS
