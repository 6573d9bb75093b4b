/* test-feed-nodes.c — the feed's broker list (rl-feed-nodes.c): the order
 * the nodes are tried in and the backoff (unit), and against mosquitto
 * brokers on loopback: the first node that answers, a failover when the
 * node is lost, the per-node errors and the outage record (integration).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "feed-test-util.h"
#include "rl-feed-private.h"
#include "rl-store-outages.h"
#include "rl-test-util.h"
#include "rl-url.h"

/* ---- unit: rotation and backoff ---- */

/* Three nodes that never answer: each round tries A, B, C at once one
 * after the other, then waits the backoff, doubled each round up to 30 s. */
static void
test_rotation_all_failing (void)
{
  RlFeedRotation r;
  /* After A, B, C fail: the wait before the next. */
  const guint want_round[] = { 1, 2, 4, 8, 16, 30, 30 };

  rl_feed_rotation_init (&r, 3);
  g_assert_cmpuint (r.current, ==, 0);
  for (guint round = 0; round < G_N_ELEMENTS (want_round); round++)
    {
      g_assert_cmpuint (r.current, ==, 0);
      g_assert_cmpuint (rl_feed_rotation_next (&r, FALSE), ==, 0);
      g_assert_cmpuint (r.current, ==, 1);
      g_assert_cmpuint (rl_feed_rotation_next (&r, FALSE), ==, 0);
      g_assert_cmpuint (r.current, ==, 2);
      g_assert_cmpuint (rl_feed_rotation_next (&r, FALSE), ==, want_round[round]);
    }
}

/* One node: the single broker's backoff as before (1, 2, 4 … 30 s), and
 * after a session that worked, 1 s and the doubling starts over. */
static void
test_rotation_one_node (void)
{
  RlFeedRotation r;
  const guint    want[] = { 1, 2, 4, 8, 16, 30, 30 };

  rl_feed_rotation_init (&r, 1);
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_assert_cmpuint (rl_feed_rotation_next (&r, FALSE), ==, want[i]);
      g_assert_cmpuint (r.current, ==, 0);
    }
  g_assert_cmpuint (rl_feed_rotation_next (&r, TRUE), ==, 1);
  g_assert_cmpuint (rl_feed_rotation_next (&r, FALSE), ==, 1);
  g_assert_cmpuint (rl_feed_rotation_next (&r, FALSE), ==, 2);
}

/* Losing a node that worked: the next node at once (a failover), with no
 * backoff left over from before; the feed then stays on the node that
 * answers, and a later loss goes on to the one after it, round the list. */
static void
test_rotation_failover (void)
{
  RlFeedRotation r;

  rl_feed_rotation_init (&r, 3);
  /* A and B fail a few rounds: the backoff grows. */
  for (guint i = 0; i < 6; i++)
    rl_feed_rotation_next (&r, FALSE);
  g_assert_cmpuint (r.backoff_s, ==, 2);
  g_assert_cmpuint (r.current, ==, 0);
  /* A answers, then is lost: B now. */
  g_assert_cmpuint (rl_feed_rotation_next (&r, TRUE), ==, 0);
  g_assert_cmpuint (r.current, ==, 1);
  g_assert_cmpuint (r.backoff_s, ==, 0);
  /* B refuses: C at once; C refuses: A at once; A refuses (a whole round
   * since the loss): 1 s. */
  g_assert_cmpuint (rl_feed_rotation_next (&r, FALSE), ==, 0);
  g_assert_cmpuint (r.current, ==, 2);
  g_assert_cmpuint (rl_feed_rotation_next (&r, FALSE), ==, 0);
  g_assert_cmpuint (r.current, ==, 0);
  g_assert_cmpuint (rl_feed_rotation_next (&r, FALSE), ==, 1);
  g_assert_cmpuint (r.current, ==, 1);
  /* B answers and is lost: C at once. */
  g_assert_cmpuint (rl_feed_rotation_next (&r, TRUE), ==, 0);
  g_assert_cmpuint (r.current, ==, 2);
}

/* ---- unit: the list of URLs ---- */

static void
test_endpoints_parse (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) endpoints = NULL;
  gboolean          tls = TRUE;
  const char *const list[] = { "MQTT://B.example.org", "mqtt://a.example.org:1884",
                               "mqtt://b.example.org:1883", "mqtt://[::1]", NULL };
  const char *const mixed[] = { "mqtt://a.example.org", "mqtts://b.example.org", NULL };
  const char *const bad[] = { "mqtt://a.example.org", "http://b.example.org", NULL };
  const char *const empty[] = { NULL };
  const char *const secure[] = { "mqtts://a.example.org", "MQTTS://b.example.org:9999", NULL };

  /* In order, normalised, one node per URL (the same one twice is one). */
  endpoints = rl_feed_endpoints_parse (list, &tls, &error);
  g_assert_no_error (error);
  g_assert_false (tls);
  g_assert_cmpuint (endpoints->len, ==, 3);
  {
    RlFeedEndpoint *e0 = g_ptr_array_index (endpoints, 0);
    RlFeedEndpoint *e1 = g_ptr_array_index (endpoints, 1);
    RlFeedEndpoint *e2 = g_ptr_array_index (endpoints, 2);

    g_assert_cmpstr (e0->url, ==, "mqtt://b.example.org:1883");
    g_assert_cmpstr (e0->host, ==, "b.example.org");
    g_assert_cmpint (e0->port, ==, 1883);
    g_assert_cmpstr (e1->url, ==, "mqtt://a.example.org:1884");
    g_assert_cmpint (e1->port, ==, 1884);
    g_assert_cmpstr (e2->url, ==, "mqtt://[::1]:1883");
    g_assert_cmpstr (e2->host, ==, "::1");
  }
  g_clear_pointer (&endpoints, g_ptr_array_unref);

  endpoints = rl_feed_endpoints_parse (secure, &tls, &error);
  g_assert_no_error (error);
  g_assert_true (tls);
  g_assert_cmpuint (endpoints->len, ==, 2);
  g_assert_cmpint (((RlFeedEndpoint *) g_ptr_array_index (endpoints, 0))->port, ==, 8883);
  g_clear_pointer (&endpoints, g_ptr_array_unref);

  g_assert_null (rl_feed_endpoints_parse (mixed, NULL, &error));
  g_assert_error (error, RL_FEED_ERROR, RL_FEED_ERROR_MIXED_SCHEMES);
  g_clear_error (&error);
  /* The URL's own rule, with the URL it refused. */
  g_assert_null (rl_feed_endpoints_parse (bad, NULL, &error));
  g_assert_error (error, RL_URL_ERROR, RL_URL_ERROR_BAD_SCHEME);
  g_assert_cmpstr (rl_url_error_get_text (error), ==, "http://b.example.org");
  g_clear_error (&error);
  g_assert_null (rl_feed_endpoints_parse (empty, NULL, &error));
  g_assert_error (error, RL_URL_ERROR, RL_URL_ERROR_EMPTY);
}

/* ---- integration: mosquitto brokers ---- */

typedef struct
{
  RlFeed     *feed;
  const char *url;
} OnNode;

static gboolean
on_node (gpointer user_data)
{
  OnNode *o = user_data;

  return rl_feed_get_state (o->feed) == RL_FEED_STATE_CONNECTED
         && g_strcmp0 (rl_feed_get_node (o->feed), o->url) == 0;
}

/* A node that does not answer is skipped at once: the feed is on the
 * second, the first has its error and no "current" mark. */
static void
test_first_that_answers (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestBroker) broker = rl_test_broker_start (&error);
  g_autofree char *dir = NULL;
  g_autofree char *closed = g_strdup_printf ("mqtt://127.0.0.1:%u", rl_test_free_port ());
  g_autoptr (RlStore) store = NULL;
  g_autoptr (RlFeed) feed = NULL;
  g_autoptr (GPtrArray) nodes = NULL;
  const char  *urls[] = { closed, NULL, NULL };
  RlFeedConfig config = { .urls = urls, .topic_prefix = "devices", .client_id = "nodes-test" };
  OnNode       on_second;
  gint64       t0 = g_get_monotonic_time ();

  g_assert_no_error (error);
  urls[1] = broker->url;
  store = feed_test_store_new (&dir);
  feed = rl_feed_new (store);
  g_assert_true (rl_feed_start (feed, &config, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rl_feed_get_url (feed), ==, closed);
  on_second = (OnNode){ feed, broker->url };
  g_assert_true (rl_test_wait_until (on_node, &on_second, 10000));
  g_test_message ("on the second node after %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_cmpint (rl_feed_get_node_since (feed), >, 0);

  nodes = rl_feed_get_nodes (feed);
  g_assert_cmpuint (nodes->len, ==, 2);
  {
    RlFeedNodeInfo *first = g_ptr_array_index (nodes, 0);
    RlFeedNodeInfo *second = g_ptr_array_index (nodes, 1);

    g_assert_cmpstr (first->url, ==, closed);
    g_assert_error (first->error, RL_FEED_ERROR, RL_FEED_ERROR_UNREACHABLE);
    g_assert_cmpint (first->error_ms, >, 0);
    g_assert_false (first->current);
    g_assert_cmpint (first->connected_ms, ==, 0);
    g_assert_cmpstr (second->url, ==, broker->url);
    g_assert_null (second->error);
    g_assert_true (second->current);
    g_assert_cmpint (second->connected_ms, ==, rl_feed_get_node_since (feed));
    /* No backoff between the two: the second was tried as soon as the
     * first refused, not after the 1 s wait that follows a whole round. */
    g_assert_cmpint (second->connected_ms - first->error_ms, <, RL_FEED_BACKOFF_MIN_S * 1000);
  }
  rl_feed_stop (feed);
  g_assert_null (rl_feed_get_node (feed));
  g_clear_object (&feed);
  g_clear_object (&store);
  feed_test_store_remove (dir);
}

typedef struct
{
  GObject    *object;
  const char *property;
  guint       n;
} Notified;

static void
notified_cb (GObject    *object,
             GParamSpec *pspec,
             gpointer    user_data)
{
  ((Notified *) user_data)->n++;
}

/* Two independent brokers (mosquitto shares no session: this is about the
 * feed, not the broker): A is stopped, the feed is on B by itself,
 * resubscribed (a reading published to B is stored), the node properties
 * notify, and the outage is in the cache. */
static void
test_failover (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestBroker) a = rl_test_broker_start (&error);
  g_autoptr (RlTestBroker) b = rl_test_broker_start (&error);
  g_autofree char *dir = NULL;
  g_autoptr (RlStore) store = NULL;
  g_autoptr (RlFeed) feed = NULL;
  g_autoptr (GPtrArray) outages = NULL;
  g_autofree char  *payload = NULL;
  FeedTestPublisher pub = { 0 };
  const char       *urls[] = { NULL, NULL, NULL };
  RlFeedConfig      config = { .urls = urls, .topic_prefix = "devices", .client_id = "nodes-ab" };
  OnNode            on_a, on_b;
  Notified          node_notes = { 0 };
  gint64            stop_ms, since_a;

  g_assert_no_error (error);
  urls[0] = a->url;
  urls[1] = b->url;
  store = feed_test_store_new (&dir);
  feed = rl_feed_new (store);
  g_signal_connect (feed, "notify::node", G_CALLBACK (notified_cb), &node_notes);
  g_assert_true (rl_feed_start (feed, &config, &error));
  g_assert_no_error (error);
  on_a = (OnNode){ feed, a->url };
  g_assert_true (rl_test_wait_until (on_node, &on_a, 10000));
  g_assert_cmpuint (node_notes.n, ==, 1);
  since_a = rl_feed_get_node_since (feed);

  stop_ms = g_get_real_time () / 1000;
  rl_test_broker_stop (a);
  on_b = (OnNode){ feed, b->url };
  g_assert_true (rl_test_wait_until (on_node, &on_b, 10000));
  g_assert_cmpint (rl_feed_get_node_since (feed), >=, since_a);
  g_assert_cmpuint (node_notes.n, >=, 2);

  /* Resubscribed on B: what is published there is stored. */
  rl_test_broker_wait_subscribed (b, "devices/+/alerts", 1, 15000);
  feed_test_publisher_start (&pub, b->port);
  payload = feed_test_bin_reading ("bin-1", 42, g_get_real_time () / 1000 - 1000);
  feed_test_publish (&pub, "devices/bin-1/sensor-data", payload);
  FEED_TEST_WAIT_COUNTER (feed, readings, 1);
  feed_test_publisher_stop (&pub);

  outages = rl_store_list_feed_outages (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outages->len, ==, 1);
  {
    RlStoreFeedOutage *outage = g_ptr_array_index (outages, 0);

    g_assert_cmpstr (outage->lost_url, ==, a->url);
    g_assert_cmpstr (outage->resumed_url, ==, b->url);
    g_assert_cmpint (outage->from_ms, >=, stop_ms);
    g_assert_cmpint (outage->to_ms, >=, outage->from_ms);
    g_assert_cmpint (outage->to_ms, <=, rl_feed_get_node_since (feed) + 1000);
  }
  rl_feed_stop (feed);
  g_clear_object (&feed);
  g_clear_object (&store);
  feed_test_store_remove (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/feed/nodes/rotation/all-failing", test_rotation_all_failing);
  g_test_add_func ("/feed/nodes/rotation/one-node", test_rotation_one_node);
  g_test_add_func ("/feed/nodes/rotation/failover", test_rotation_failover);
  g_test_add_func ("/feed/nodes/endpoints", test_endpoints_parse);
  g_test_add_func ("/feed/nodes/brokers/first-that-answers", test_first_that_answers);
  g_test_add_func ("/feed/nodes/brokers/failover", test_failover);
  return g_test_run ();
}
