/* test-feed-brokers.c — the feed's persistent session and a broker restart
 * mid-stream, against mosquitto and against RabbitMQ's MQTT plugin (how a
 * city runs a clustered broker), with the same scenarios.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * /feed/brokers/mosquitto/… run in the integration suite;
 * /feed/brokers/rabbitmq/… (classic queues) and
 * /feed/brokers/rabbitmq-quorum/… (mqtt.durable_queue_type = quorum, as a
 * cluster would use) in the slow suite: a RabbitMQ node takes seconds to
 * start. Every count is checked in the cache, not only in the counters.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "feed-test-util.h"
#include "rl-test-rabbitmq.h"
#include "rl-test-util.h"
#include "rl-time.h"

/* Persistent session: readings queued for the console while it is away. */
#define BACKLOG 1000
/* Restart: readings published at a steady pace, the broker restarted
 * after a third of them. */
#define STREAM 300
#define STREAM_PACE_US (10 * 1000)

typedef enum
{
  BROKER_MOSQUITTO,
  BROKER_RABBITMQ,
  BROKER_RABBITMQ_QUORUM,
} BrokerKind;

typedef struct
{
  BrokerKind    kind;
  RlTestBroker *mosquitto;
  RlTestRabbit *rabbit;
} Broker;

typedef struct
{
  Broker            broker;
  char             *dir;
  RlStore          *store;
  RlFeed           *feed;
  FeedTestPublisher pub;
} Fixture;

/* ---- the brokers ---- */

static void
broker_start (Broker    *b,
              BrokerKind kind)
{
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  b->kind = kind;
  if (kind == BROKER_MOSQUITTO)
    {
      /* Persistence: sessions and queued messages survive a restart. */
      RlTestBrokerOptions options = { .persistence = TRUE };

      b->mosquitto = rl_test_broker_start_full (&options, &error);
    }
  else
    b->rabbit = rl_test_rabbit_start (kind == BROKER_RABBITMQ_QUORUM ? "quorum" : NULL, &error);
  /* Not a skip: install-deps.sh installs both. */
  g_assert_no_error (error);
  g_test_message ("broker started in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
}

static const char *
broker_url (Broker *b)
{
  return b->mosquitto != NULL ? b->mosquitto->url : b->rabbit->url;
}

static guint
broker_port (Broker *b)
{
  return b->mosquitto != NULL ? b->mosquitto->port : b->rabbit->mqtt_port;
}

/* A clean stop: mosquitto saves its persistence on SIGTERM; RabbitMQ
 * `rabbitmqctl stop`. */
static double
broker_stop (Broker *b)
{
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  if (b->mosquitto != NULL)
    rl_test_broker_stop (b->mosquitto);
  else
    g_assert_true (rl_test_rabbit_stop (b->rabbit, &error));
  g_assert_no_error (error);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

/* Starts the stopped broker again on the same port with the same data. */
static double
broker_start_again (Broker *b)
{
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  if (b->mosquitto != NULL)
    g_assert_true (rl_test_broker_restart (b->mosquitto, &error));
  else
    g_assert_true (rl_test_rabbit_restart (b->rabbit, &error));
  g_assert_no_error (error);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static void
broker_free (Broker *b)
{
  g_clear_pointer (&b->mosquitto, rl_test_broker_free);
  g_clear_pointer (&b->rabbit, rl_test_rabbit_free);
}

/* ---- fixture ---- */

/* The publisher reconnects by itself and keeps what it could not send:
 * the restart test stops the broker under it. */
static const FeedTestPublisherOptions reconnecting = { .reconnect = TRUE };

static void
feed_start (Fixture *f)
{
  /* No client id given: the stable one kept in the cache, as the console. */
  f->feed = feed_test_feed_start (f->store, broker_url (&f->broker), NULL);
}

static void
feed_stop (Fixture *f)
{
  if (f->feed == NULL)
    return;
  rl_feed_stop (f->feed);
  g_clear_object (&f->feed);
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  broker_start (&f->broker, GPOINTER_TO_INT (data));
  f->store = feed_test_store_new (&f->dir);
  feed_start (f);
  /* CONNECTED comes with the SUBACK: the session's queue exists from now. */
  g_assert_true (feed_test_wait_state (f->feed, RL_FEED_STATE_CONNECTED, 30000));
  feed_test_publisher_start_full (&f->pub, broker_port (&f->broker), &reconnecting);
}

static void
fixture_tear_down (Fixture           *f,
                   gconstpointer data G_GNUC_UNUSED)
{
  feed_test_publisher_stop (&f->pub);
  feed_stop (f);
  g_clear_object (&f->store);
  broker_free (&f->broker);
  feed_test_store_remove (f->dir);
  g_free (f->dir);
}

/* ---- checks in the cache ---- */

/* The history of @device holds exactly the readings at @first_ms,
 * @first_ms + @step_ms … (@n of them): none lost, none twice. */
static void
assert_history (RlStore    *store,
                const char *device,
                gint64      first_ms,
                gint64      step_ms,
                guint       n)
{
  g_autoptr (JsonArray) rows = feed_test_history (store, device);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *keys = g_new (gint64, json_array_get_length (rows));

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      gint64      ts = 0;

      g_assert_true (rl_time_parse_ms (json_object_get_string_member (row, "timestamp"), &ts));
      g_assert_cmpint ((ts - first_ms) % step_ms, ==, 0);
      g_assert_cmpint (ts, >=, first_ms);
      g_assert_cmpint (ts, <, first_ms + (gint64) n * step_ms);
      keys[i] = ts;
      if (!g_hash_table_add (seen, &keys[i]))
        g_error ("%s: the reading at %" G_GINT64_FORMAT " is stored twice", device, ts);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, n);
}

/* ---- scenarios ---- */

/* Readings published while the console is away wait in its persistent
 * session (clean_session false, the client id kept in the cache) and are
 * all stored when it comes back. */
static void
test_persistent_session (Fixture           *f,
                         gconstpointer data G_GNUC_UNUSED)
{
  gint64         first = rl_time_now_ms () - BACKLOG * 1000 - 60000;
  RlFeedCounters c;
  gint64         t0;

  feed_stop (f);
  for (guint i = 0; i < BACKLOG; i++)
    {
      g_autofree char *payload = feed_test_bin_reading ("bin-1", i % 100, first + i * 1000);

      feed_test_publish_async (&f->pub, "devices/bin-1/sensor-data", payload);
    }
  g_assert_true (feed_test_wait_acked (&f->pub, BACKLOG, 60000));

  t0 = g_get_monotonic_time ();
  feed_start (f);
  g_assert_true (feed_test_wait_stored (f->feed, BACKLOG, 120000));
  g_test_message ("%d queued readings stored %.0f ms after the console came back", BACKLOG,
                  (g_get_monotonic_time () - t0) / 1000.0);

  assert_history (f->store, "bin-1", first, 1000, BACKLOG);
  g_assert_cmpfloat (feed_test_cached_fill (f->store, "dp-1"), ==, (BACKLOG - 1) % 100);
  /* The queue may arrive before the SUBACK: the state follows. */
  g_assert_true (feed_test_wait_state (f->feed, RL_FEED_STATE_CONNECTED, 15000));
  rl_feed_get_counters (f->feed, &c);
  g_assert_cmpuint (c.readings + c.older, ==, BACKLOG);
  g_assert_cmpuint (rl_feed_get_n_rejected (f->feed), ==, 0);
}

typedef struct
{
  FeedTestPublisher *pub;
  gint64             first_ms;
  gint               published; /* atomic */
} Stream;

/* STREAM readings, alternately for bin-1 and bin-2, one every
 * STREAM_PACE_US whatever the broker is doing: libmosquitto keeps what it
 * cannot send yet and sends again what was not acknowledged. */
static gpointer
stream_main (gpointer user_data)
{
  Stream *s = user_data;

  for (guint i = 0; i < STREAM; i++)
    {
      const char      *device = i % 2 == 0 ? "bin-1" : "bin-2";
      g_autofree char *topic = g_strdup_printf ("devices/%s/sensor-data", device);
      g_autofree char *payload = feed_test_bin_reading (device, i % 100, s->first_ms + i * 1000);

      feed_test_publish_async (s->pub, topic, payload);
      g_atomic_int_inc (&s->published);
      g_usleep (STREAM_PACE_US);
    }
  return NULL;
}

static gboolean
stream_third (gpointer user_data)
{
  Stream *s = user_data;

  return g_atomic_int_get (&s->published) >= STREAM / 3;
}

static gboolean
stream_done (gpointer user_data)
{
  Stream *s = user_data;

  return g_atomic_int_get (&s->published) >= STREAM;
}

/* The broker is restarted (cleanly) while readings stream in at QoS 1:
 * the feed says RECONNECTING, comes back by itself, and the cache ends
 * with every reading once — 0 lost, 0 stored twice — whatever was
 * delivered again. */
static void
test_restart_mid_stream (Fixture           *f,
                         gconstpointer data G_GNUC_UNUSED)
{
  Stream         s = { &f->pub, rl_time_now_ms () - STREAM * 1000 - 60000, 0 };
  GThread       *thread;
  RlFeedCounters c;
  double         stop_ms, start_ms;
  const GError  *error;
  gint64         t0;

  thread = g_thread_new ("stream", stream_main, &s);
  g_assert_true (rl_test_wait_until (stream_third, &s, 30000));
  stop_ms = broker_stop (&f->broker);
  /* The feed sees the broker go (it waits ≥ 1 s before trying again) while
   * the stream goes on into the publisher's queue… */
  g_assert_true (feed_test_wait_state (f->feed, RL_FEED_STATE_RECONNECTING, 15000));
  /* Lost, or (if the stop took a while) already refused by the port. */
  error = rl_feed_get_error (f->feed);
  g_assert_nonnull (error);
  g_assert_true (error->domain == RL_FEED_ERROR);
  g_assert_true (error->code == RL_FEED_ERROR_CONNECTION_LOST
                 || error->code == RL_FEED_ERROR_UNREACHABLE);
  g_test_message ("while away: %s", error->message);
  start_ms = broker_start_again (&f->broker);

  /* … and comes back by itself. */
  t0 = g_get_monotonic_time ();
  g_assert_true (feed_test_wait_state (f->feed, RL_FEED_STATE_CONNECTED, 60000));
  g_test_message ("broker stopped in %.0f ms, started again in %.0f ms; the feed was back %.0f "
                  "ms after",
                  stop_ms, start_ms, (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_true (rl_test_wait_until (stream_done, &s, 60000));
  g_thread_join (thread);
  g_assert_true (feed_test_wait_acked (&f->pub, STREAM, 60000));
  g_assert_true (feed_test_wait_stored (f->feed, STREAM, 60000));
  /* A late redelivery would show up now. */
  feed_test_wait_stored (f->feed, G_MAXUINT64, 1000);

  g_assert_cmpint (rl_feed_get_state (f->feed), ==, RL_FEED_STATE_CONNECTED);

  rl_feed_get_counters (f->feed, &c);
  g_test_message ("%d readings: %" G_GUINT64_FORMAT " newest, %" G_GUINT64_FORMAT
                  " older, %" G_GUINT64_FORMAT " redelivered and ignored",
                  STREAM, c.readings, c.older, c.duplicates);
  assert_history (f->store, "bin-1", s.first_ms, 2000, STREAM / 2);
  assert_history (f->store, "bin-2", s.first_ms + 1000, 2000, STREAM / 2);
  g_assert_cmpuint (c.readings + c.older, ==, STREAM);
  g_assert_cmpfloat (feed_test_cached_fill (f->store, "dp-1"), ==, (STREAM - 2) % 100);
  g_assert_cmpfloat (feed_test_cached_fill (f->store, "dp-2"), ==, (STREAM - 1) % 100);
  g_assert_cmpuint (rl_feed_get_n_rejected (f->feed), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  static const struct
  {
    const char *name;
    BrokerKind  kind;
  } brokers[] = {
    { "mosquitto", BROKER_MOSQUITTO },
    { "rabbitmq", BROKER_RABBITMQ },
    { "rabbitmq-quorum", BROKER_RABBITMQ_QUORUM },
  };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (brokers); i++)
    {
      g_autofree char *session = g_strdup_printf ("/feed/brokers/%s/persistent-session",
                                                  brokers[i].name);
      g_autofree char *restart = g_strdup_printf ("/feed/brokers/%s/restart-mid-stream",
                                                  brokers[i].name);

      g_test_add (session, Fixture, GINT_TO_POINTER (brokers[i].kind), fixture_set_up,
                  test_persistent_session, fixture_tear_down);
      g_test_add (restart, Fixture, GINT_TO_POINTER (brokers[i].kind), fixture_set_up,
                  test_restart_mid_stream, fixture_tear_down);
    }

  return g_test_run ();
}
