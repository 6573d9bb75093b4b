/* feed-broker-util.h — what the feed's broker tests share: a QoS 1 publisher,
 * a cache with two drop points, readings, and waits on the feed.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <mosquitto.h>

#include "rl-feed.h"
#include "rl-store.h"

G_BEGIN_DECLS

/* A libmosquitto client with its own thread that reconnects by itself
 * (1–2 s) and keeps unacknowledged QoS 1 messages to send again. */
typedef struct
{
  struct mosquitto *mosq;
  gint              acked; /* atomic: PUBACKs received */
} FeedBrokerPublisher;

void feed_broker_publisher_start (FeedBrokerPublisher *pub,
                                  guint                port);
void feed_broker_publisher_stop (FeedBrokerPublisher *pub);
/* Publishes at QoS 1 without waiting (kept and sent later while the
 * broker is away). */
void feed_broker_publish_async (FeedBrokerPublisher *pub,
                                const char          *topic,
                                const char          *payload);
/* Publishes at QoS 1 and waits (≤ 10 s) for the broker's PUBACK. */
void feed_broker_publish (FeedBrokerPublisher *pub,
                          const char          *topic,
                          const char          *payload);
/* Waits until @n PUBACKs in all have arrived; FALSE after @timeout_ms. */
gboolean feed_broker_wait_acked (FeedBrokerPublisher *pub,
                                 gint                 n,
                                 guint                timeout_ms);

/* A contract §3 reading of @device. */
char *feed_broker_reading (const char *device,
                           double      fill,
                           gint64      ts_ms);

/* A cache in a new temporary directory (*out_dir) with drop points dp-1
 * (device bin-1, fill 10) and dp-2 (bin-2, fill 20). */
RlStore *feed_broker_store_new (char **out_dir);
/* Closes @store's directory's cache and removes the directory. */
void feed_broker_store_remove (const char *dir);

double feed_broker_cached_fill (RlStore    *store,
                                const char *drop_point_id);
/* The stored history of @device, oldest first (JsonArray of objects). */
JsonArray *feed_broker_history (RlStore    *store,
                                const char *device);
gint64     feed_broker_history_rows (RlStore    *store,
                                     const char *device);

/* Runs the main loop until the feed's state is @state; FALSE after @timeout_ms. */
gboolean feed_broker_wait_state (RlFeed     *feed,
                                 RlFeedState state,
                                 guint       timeout_ms);
/* … until counters.readings ≥ @n; FALSE after @timeout_ms. */
gboolean feed_broker_wait_readings (RlFeed *feed,
                                    guint64 n,
                                    guint   timeout_ms);

G_END_DECLS
