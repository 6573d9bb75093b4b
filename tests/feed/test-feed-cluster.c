/* test-feed-cluster.c — the live feed across a 3-node RabbitMQ cluster:
 * the console on node A, readings published through node C, node A
 * stopped: the feed fails over to another node by itself, resubscribes
 * with the same client id and session, stores every reading published
 * after the failover once, and records the outage.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three nodes, because RabbitMQ 3.10's MQTT plugin keeps its client id
 * registry in a Raft group that needs a majority. The session's queue is a
 * quorum queue (mqtt.durable_queue_type = quorum): a classic queue lives on
 * the node the console first connected to, and while that node is down no
 * other node lets the session subscribe (docs/feed.md "Several brokers").
 * Suite slow: the cluster takes half a minute to start here.
 */
#include <string.h>

#include "feed-test-util.h"
#include "rl-store-outages.h"
#include "rl-test-rabbitmq.h"
#include "rl-test-util.h"
#include "rl-time.h"

#define N_NODES 3
/* One reading every PACE_US, alternately for bin-1 and bin-2, until the
 * test says stop; timestamps a second apart, in the past. */
#define PACE_US (20 * 1000)
#define MAX_READINGS 4000
#define FAILOVER_LIMIT_S 30

typedef struct
{
  FeedTestPublisher *pub;
  gint64             first_ms;
  gint               published; /* atomic */
  gint               stop;      /* atomic */
  /* Wall clock (µs) of each publish: which phase it fell in. */
  gint64 at_us[MAX_READINGS];
} Stream;

static gpointer
stream_main (gpointer user_data)
{
  Stream *s = user_data;

  for (guint i = 0; i < MAX_READINGS && !g_atomic_int_get (&s->stop); i++)
    {
      const char      *device = i % 2 == 0 ? "bin-1" : "bin-2";
      g_autofree char *topic = g_strdup_printf ("devices/%s/sensor-data", device);
      g_autofree char *payload = feed_test_bin_reading (device, i % 100, s->first_ms + i * 1000);

      s->at_us[i] = g_get_real_time ();
      /* Counted before it goes out: a reading the console stores is below
       * the count from then on. */
      g_atomic_int_inc (&s->published);
      feed_test_publish_async (s->pub, topic, payload);
      g_usleep (PACE_US);
    }
  return NULL;
}

typedef struct
{
  gint *counter;
  gint  want;
} AtLeast;

static gboolean
at_least (gpointer user_data)
{
  AtLeast *a = user_data;

  return g_atomic_int_get (a->counter) >= a->want;
}

/* The readings stored in the cache (both bins), as indices of the stream:
 * stored[i] is how many times reading i is in the history. */
static guint8 *
stored_readings (RlStore *store,
                 Stream  *s,
                 guint    n)
{
  guint8 *stored = g_new0 (guint8, MAX_READINGS);

  for (guint d = 0; d < 2; d++)
    {
      g_autoptr (JsonArray) rows = feed_test_history (store, d == 0 ? "bin-1" : "bin-2");

      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonObject *row = json_array_get_object_element (rows, i);
          gint64      ts = 0, index;

          g_assert_true (rl_time_parse_ms (json_object_get_string_member (row, "timestamp"), &ts));
          index = (ts - s->first_ms) / 1000;
          g_assert_cmpint ((ts - s->first_ms) % 1000, ==, 0);
          g_assert_cmpint (index, >=, 0);
          g_assert_cmpint (index, <, n);
          stored[index]++;
        }
    }
  return stored;
}

typedef struct
{
  RlFeed     *feed;
  const char *not_url;
} OnOtherNode;

static gboolean
on_other_node (gpointer user_data)
{
  OnOtherNode *o = user_data;
  const char  *node = rl_feed_get_node (o->feed);

  return rl_feed_get_state (o->feed) == RL_FEED_STATE_CONNECTED && node != NULL
         && g_strcmp0 (node, o->not_url) != 0;
}

typedef struct
{
  RlStore *store;
  Stream  *s;
  guint    from; /* a reading at this index or later is stored */
} StoredFrom;

static gboolean
stored_from (gpointer user_data)
{
  StoredFrom *w = user_data;
  /* While the stream runs, the history may already hold readings the count
   * read before it did not include: any index of the stream is fine here
   * (the final check, after the stream stopped, holds to the count). */
  g_autofree guint8 *stored = stored_readings (w->store, w->s, MAX_READINGS);

  for (guint i = w->from; i < MAX_READINGS; i++)
    if (stored[i] > 0)
      return TRUE;
  return FALSE;
}

/* Some node but A has RL_FEED_ERROR_SESSION as its last error. */
static gboolean
session_refused (gpointer user_data)
{
  RlFeed *feed = user_data;
  g_autoptr (GPtrArray) nodes = rl_feed_get_nodes (feed);

  for (guint i = 1; i < nodes->len; i++)
    {
      RlFeedNodeInfo *info = g_ptr_array_index (nodes, i);

      if (g_error_matches (info->error, RL_FEED_ERROR, RL_FEED_ERROR_SESSION))
        return TRUE;
    }
  return FALSE;
}

/* @data: TRUE for quorum queues (the failover), FALSE for classic ones
 * (the session waits for node A: measured, not a failover). */
static void
test_failover (gconstpointer data)
{
  gboolean quorum = GPOINTER_TO_INT (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestRabbitCluster) cluster = NULL;
  g_autofree char *dir = NULL;
  g_autoptr (RlStore) store = NULL;
  g_autoptr (RlFeed) feed = NULL;
  g_autoptr (GPtrArray) outages = NULL;
  g_autoptr (GPtrArray) nodes = NULL;
  g_autofree Stream             *s = g_new0 (Stream, 1);
  g_autofree guint8             *stored = NULL;
  const FeedTestPublisherOptions reconnecting = { .reconnect = TRUE };
  FeedTestPublisher              pub = { 0 };
  RlTestRabbit                  *a, *c;
  const char                    *urls[N_NODES + 1] = { NULL };
  RlFeedConfig                   config = { .urls = urls, .topic_prefix = "devices" };
  RlFeedCounters                 counters;
  GThread                       *thread;
  gint64                         t0, stop_us, stopped_us, connected_us, storing_us;
  guint                          at_stop, at_connected, n, lost_before = 0, lost_outage = 0, lost_after = 0;
  guint                          n_stored = 0, twice = 0;

  t0 = g_get_monotonic_time ();
  cluster = rl_test_rabbit_cluster_start (N_NODES, quorum ? "quorum" : NULL, &error);
  /* Not a skip: install-deps.sh installs rabbitmq-server. */
  g_assert_no_error (error);
  g_test_message ("%d-node cluster up in %.1f s", N_NODES, (g_get_monotonic_time () - t0) / 1e6);
  a = rl_test_rabbit_cluster_node (cluster, 0);
  c = rl_test_rabbit_cluster_node (cluster, N_NODES - 1);
  for (guint i = 0; i < N_NODES; i++)
    urls[i] = rl_test_rabbit_cluster_node (cluster, i)->url;

  store = feed_test_store_new (&dir);
  feed = rl_feed_new (store);
  g_assert_true (rl_feed_start (feed, &config, &error));
  g_assert_no_error (error);
  /* CONNECTED comes with the SUBACK: the session's queue exists from now. */
  g_assert_true (feed_test_wait_state (feed, RL_FEED_STATE_CONNECTED, 30000));
  g_assert_cmpstr (rl_feed_get_node (feed), ==, a->url);
  g_assert_cmpint (rl_feed_get_node_since (feed), >, 0);

  feed_test_publisher_start_full (&pub, c->mqtt_port, &reconnecting);
  s->pub = &pub;
  s->first_ms = rl_time_now_ms () - MAX_READINGS * 1000 - 60000;
  thread = g_thread_new ("stream", stream_main, s);
  {
    AtLeast some = { &s->published, 100 };

    g_assert_true (rl_test_wait_until (at_least, &some, 30000));
  }

  /* Node A goes. */
  stop_us = g_get_real_time ();
  at_stop = g_atomic_int_get (&s->published);
  g_assert_true (rl_test_rabbit_stop (a, &error));
  g_assert_no_error (error);
  stopped_us = g_get_real_time ();

  if (quorum)
    {
      /* The feed is on another node by itself… */
      OnOtherNode other = { feed, a->url };

      g_assert_true (rl_test_wait_until (on_other_node, &other, FAILOVER_LIMIT_S * 1000));
    }
  else
    {
      /* The other nodes accept the connection and close it at the
       * subscription: the session's classic queue is on A. The feed goes
       * on trying; A comes back after a while. */
      g_assert_true (rl_test_wait_until (session_refused, feed, FAILOVER_LIMIT_S * 1000));
      g_assert_true (feed_test_wait_state (feed, RL_FEED_STATE_RECONNECTING, 5000));
      g_test_message ("classic queue: the other nodes refuse the session while A is down");
      /* And go on refusing it. */
      g_assert_false (feed_test_wait_state (feed, RL_FEED_STATE_CONNECTED, 5000));
      g_assert_true (rl_test_rabbit_restart (a, &error));
      g_assert_no_error (error);
      g_assert_true (feed_test_wait_state (feed, RL_FEED_STATE_CONNECTED, 60000));
    }
  connected_us = g_get_real_time ();
  at_connected = g_atomic_int_get (&s->published);
  /* … and stores readings again, published after it got there. */
  {
    StoredFrom w = { store, s, at_connected };

    g_assert_true (rl_test_wait_until (stored_from, &w, FAILOVER_LIMIT_S * 1000));
  }
  storing_us = g_get_real_time ();
  g_test_message ("%s queues: node A stopped in %.1f s; the feed was subscribed on %s %.1f s "
                  "after the stop began, storing new readings %.1f s after",
                  quorum ? "quorum" : "classic", (stopped_us - stop_us) / 1e6,
                  rl_feed_get_node (feed), (connected_us - stop_us) / 1e6,
                  (storing_us - stop_us) / 1e6);
  if (quorum)
    g_assert_cmpint (storing_us - stop_us, <=, FAILOVER_LIMIT_S * G_USEC_PER_SEC);

  /* Node A comes back; the feed stays where it is. */
  if (quorum)
    {
      g_assert_true (rl_test_rabbit_restart (a, &error));
      g_assert_no_error (error);
    }
  g_test_message ("node A started again in %.1f s", a->start_ms / 1000.0);
  {
    AtLeast more = { &s->published, g_atomic_int_get (&s->published) + 100 };

    g_assert_true (rl_test_wait_until (at_least, &more, 30000));
  }
  g_atomic_int_set (&s->stop, TRUE);
  g_thread_join (thread);
  n = g_atomic_int_get (&s->published);
  g_assert_true (feed_test_wait_acked (&pub, n, 60000));
  /* What can still arrive arrives in this time; a late redelivery too. */
  feed_test_wait_stored (feed, n, 15000);
  feed_test_wait_stored (feed, G_MAXUINT64, 2000);

  rl_feed_get_counters (feed, &counters);
  stored = stored_readings (store, s, n);
  for (guint i = 0; i < n; i++)
    {
      n_stored += stored[i] > 0;
      twice += stored[i] > 1;
      if (stored[i] > 0)
        continue;
      if (s->at_us[i] < stop_us)
        lost_before++;
      else if (s->at_us[i] < connected_us)
        lost_outage++;
      else
        lost_after++;
    }
  g_test_message ("readings: %u published, %u stored, %" G_GUINT64_FORMAT
                  " duplicates (arrived again, stored once), %u lost (%u before node A stopped, %u "
                  "during the outage, %u after the failover); %u published during the outage",
                  n, n_stored, counters.duplicates, n - n_stored, lost_before, lost_outage,
                  lost_after, at_connected - at_stop);
  g_print ("# cluster failover (%s queues): failover %.1f s, storing again %.1f s; published %u, stored %u, "
           "duplicates %" G_GUINT64_FORMAT ", lost %u (during the outage %u)\n",
           quorum ? "quorum" : "classic", (connected_us - stop_us) / 1e6,
           (storing_us - stop_us) / 1e6, n, n_stored,
           counters.duplicates, n - n_stored, lost_outage);
  g_assert_cmpuint (twice, ==, 0);
  g_assert_cmpuint (lost_after, ==, 0);
  g_assert_cmpuint (counters.readings + counters.older, ==, n_stored);
  g_assert_cmpuint (rl_feed_get_n_rejected (feed), ==, 0);

  /* The outage, for support: from the loss of A to the new subscription. */
  outages = rl_store_list_feed_outages (store, &error);
  g_assert_no_error (error);
  /* Quorum: one outage. Classic: B may grant the subscriptions before it
   * fails to declare the session's queue and closes the connection: each
   * such short session ends an outage and starts the next. */
  if (quorum)
    g_assert_cmpuint (outages->len, ==, 1);
  g_assert_cmpuint (outages->len, >=, 1);
  for (guint i = 0; i < outages->len; i++)
    {
      RlStoreFeedOutage *outage = g_ptr_array_index (outages, i);

      g_test_message ("outage: %.1f s, %s -> %s", (outage->to_ms - outage->from_ms) / 1000.0,
                      outage->lost_url, outage->resumed_url);
      g_assert_cmpint (outage->from_ms, >=, stop_us / 1000);
      g_assert_cmpint (outage->to_ms, >=, outage->from_ms);
      g_assert_cmpint (outage->to_ms, <=, connected_us / 1000 + 1000);
    }
  {
    RlStoreFeedOutage *first = g_ptr_array_index (outages, 0);
    RlStoreFeedOutage *last = g_ptr_array_index (outages, outages->len - 1);

    g_assert_cmpstr (first->lost_url, ==, a->url);
    g_assert_cmpstr (last->resumed_url, ==, rl_feed_get_node (feed));
    if (!quorum)
      g_assert_cmpint (last->to_ms, >=, stopped_us / 1000 + 5000);
  }
  /* The Feed dialog's list: A with the error that ended it, the node the
   * feed is on marked current. */
  nodes = rl_feed_get_nodes (feed);
  g_assert_cmpuint (nodes->len, ==, N_NODES);
  {
    RlFeedNodeInfo *first = g_ptr_array_index (nodes, 0);
    guint           n_current = 0;

    g_assert_cmpstr (first->url, ==, a->url);
    if (quorum)
      {
        g_assert_nonnull (first->error);
        g_assert_false (first->current);
      }
    g_assert_cmpint (first->connected_ms, >, 0);
    for (guint i = 0; i < nodes->len; i++)
      n_current += ((RlFeedNodeInfo *) g_ptr_array_index (nodes, i))->current;
    g_assert_cmpuint (n_current, ==, 1);
  }

  feed_test_publisher_stop (&pub);
  rl_feed_stop (feed);
  g_clear_object (&feed);
  g_clear_object (&store);
  g_clear_pointer (&cluster, rl_test_rabbit_cluster_free);
  feed_test_store_remove (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_data_func ("/feed/cluster/failover", GINT_TO_POINTER (TRUE), test_failover);
  g_test_add_data_func ("/feed/cluster/classic-queue", GINT_TO_POINTER (FALSE), test_failover);
  return g_test_run ();
}
