/* test-sim-mqtt.c — the simulator against a real mosquitto: every message per contract §3.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-dev-sim.h"
#include "rl-test-util.h"
#include "rl-time.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <mosquitto.h>
#include <string.h>

#define N_DEVICES 50
#define RATE 400.0

/* ---- a plain libmosquitto subscriber in its own network thread ---- */

typedef struct
{
  GMutex            lock;
  struct mosquitto *mosq;
  gboolean          subscribed;
  GPtrArray        *topics;   /* char* */
  GPtrArray        *payloads; /* GBytes */
} Subscriber;

static void
sub_on_connect (struct mosquitto *mosq,
                void             *data,
                int               rc)
{
  char *subs[] = { "devices/+/sensor-data", "devices/+/status", "devices/+/alerts" };

  if (rc == 0)
    mosquitto_subscribe_multiple (mosq, NULL, 3, subs, 1, 0, NULL);
}

static void
sub_on_subscribe (struct mosquitto *mosq,
                  void             *data,
                  int               mid,
                  int               qos_count,
                  const int        *granted_qos)
{
  Subscriber *sub = data;

  g_mutex_lock (&sub->lock);
  sub->subscribed = TRUE;
  g_mutex_unlock (&sub->lock);
}

static void
sub_on_message (struct mosquitto               *mosq,
                void                           *data,
                const struct mosquitto_message *msg)
{
  Subscriber *sub = data;

  g_mutex_lock (&sub->lock);
  g_ptr_array_add (sub->topics, g_strdup (msg->topic));
  g_ptr_array_add (sub->payloads, g_bytes_new (msg->payload, (gsize) msg->payloadlen));
  g_mutex_unlock (&sub->lock);
}

static gboolean
sub_ready (gpointer data)
{
  Subscriber *sub = data;
  gboolean    ready;

  g_mutex_lock (&sub->lock);
  ready = sub->subscribed;
  g_mutex_unlock (&sub->lock);
  return ready;
}

static Subscriber *
subscriber_start (RlTestBroker *broker)
{
  Subscriber *sub = g_new0 (Subscriber, 1);

  g_mutex_init (&sub->lock);
  sub->topics = g_ptr_array_new_with_free_func (g_free);
  sub->payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  mosquitto_lib_init ();
  sub->mosq = mosquitto_new ("rl-test-sub", TRUE, sub);
  g_assert_nonnull (sub->mosq);
  mosquitto_connect_callback_set (sub->mosq, sub_on_connect);
  mosquitto_subscribe_callback_set (sub->mosq, sub_on_subscribe);
  mosquitto_message_callback_set (sub->mosq, sub_on_message);
  g_assert_cmpint (mosquitto_connect (sub->mosq, "127.0.0.1", (int) broker->port, 30), ==,
                   MOSQ_ERR_SUCCESS);
  g_assert_cmpint (mosquitto_loop_start (sub->mosq), ==, MOSQ_ERR_SUCCESS);
  g_assert_true (rl_test_wait_until (sub_ready, sub, 30000));
  return sub;
}

static void
subscriber_free (Subscriber *sub)
{
  mosquitto_disconnect (sub->mosq);
  mosquitto_loop_stop (sub->mosq, false);
  mosquitto_destroy (sub->mosq);
  mosquitto_lib_cleanup ();
  g_ptr_array_unref (sub->topics);
  g_ptr_array_unref (sub->payloads);
  g_mutex_clear (&sub->lock);
  g_free (sub);
}

static guint
sub_count (Subscriber *sub)
{
  guint n;

  g_mutex_lock (&sub->lock);
  n = sub->topics->len;
  g_mutex_unlock (&sub->lock);
  return n;
}

/* ---- what the batch func reported ---- */

typedef struct
{
  GHashTable *keys; /* "kind|device|ts|value" */
  guint       n_readings, n_statuses, n_alerts, n_batches;
  gint64      last_batch_us;
  gint64      min_gap_us;
  gboolean    on_main_thread;
  GThread    *main_thread;
} Batches;

static char *
reading_key (const char *device,
             gint64      ts,
             double      fill)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup_printf ("sensor-data|%s|%" G_GINT64_FORMAT "|%s", device, ts,
                          g_ascii_formatd (buf, sizeof buf, "%.1f", fill));
}

static void
batch_cb (const RlDevSimReading *readings,
          guint                  n_readings,
          const RlDevSimStatus  *statuses,
          guint                  n_statuses,
          const RlDevSimAlert   *alerts,
          guint                  n_alerts,
          gpointer               data)
{
  Batches *b = data;
  gint64   now = g_get_monotonic_time ();

  if (g_thread_self () != b->main_thread)
    b->on_main_thread = FALSE;
  if (b->last_batch_us != 0)
    b->min_gap_us = MIN (b->min_gap_us, now - b->last_batch_us);
  b->last_batch_us = now;
  b->n_batches++;

  for (guint i = 0; i < n_readings; i++)
    g_hash_table_add (b->keys, reading_key (readings[i].device_id, readings[i].timestamp_ms,
                                            readings[i].fill_level));
  for (guint i = 0; i < n_statuses; i++)
    g_hash_table_add (b->keys,
                      g_strdup_printf ("status|%s|%" G_GINT64_FORMAT "|%d", statuses[i].device_id,
                                       statuses[i].timestamp_ms, statuses[i].online));
  for (guint i = 0; i < n_alerts; i++)
    g_hash_table_add (b->keys,
                      g_strdup_printf ("alerts|%s|%" G_GINT64_FORMAT "|%s", alerts[i].device_id,
                                       alerts[i].timestamp_ms, alerts[i].type));
  b->n_readings += n_readings;
  b->n_statuses += n_statuses;
  b->n_alerts += n_alerts;
}

static gboolean
enough_batched (gpointer data)
{
  Batches *b = data;

  return b->n_readings >= 600 && b->n_statuses >= N_DEVICES;
}

/* ---- contract checks ---- */

static double
number_member (JsonObject *o,
               const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_true (json_node_get_value_type (node) == G_TYPE_DOUBLE
                 || json_node_get_value_type (node) == G_TYPE_INT64);
  return json_node_get_double (node);
}

static gint64
timestamp_member (JsonObject *o,
                  gint64      not_before,
                  guint      *n_nepal)
{
  const char *text = json_object_get_string_member_with_default (o, "timestamp", NULL);
  gint64      ms = 0;

  g_assert_nonnull (text);
  g_assert_true (rl_time_parse_ms (text, &ms));
  g_assert_cmpint (ms, <=, rl_time_now_ms () + 5 * 60 * 1000);
  g_assert_cmpint (ms, >=, not_before);
  if (g_str_has_suffix (text, "+05:45"))
    (*n_nepal)++;
  return ms;
}

static gboolean
in_enum (const char        *value,
         const char *const *allowed)
{
  return value != NULL && g_strv_contains (allowed, value);
}

typedef struct
{
  guint       readings, statuses, alerts, nepal;
  GHashTable *keys;        /* same shape as Batches.keys */
  GHashTable *last_online; /* device → "true"/"false" of its last status */
} Received;

static void
check_message (const char *topic,
               GBytes     *payload,
               gint64      not_before,
               Received   *got)
{
  static const char *const types[] = { "FULL_BIN", "LOW_BATTERY", "HIGH_TEMPERATURE",
                                       "OFFLINE", "SENSOR_FAULT", NULL };
  static const char *const severities[] = { "HIGH", "MEDIUM", "LOW", NULL };
  g_auto (GStrv) parts = g_strsplit (topic, "/", -1);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  gsize       len;
  const char *data = g_bytes_get_data (payload, &len);
  JsonObject *o;
  gint64      ts;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  g_assert_cmpstr (parts[0], ==, "devices");
  g_assert_true (g_str_has_prefix (parts[1], "bin-"));
  g_assert_cmpuint (len, <=, 64 * 1024);
  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  o = json_node_get_object (json_parser_get_root (parser));
  ts = timestamp_member (o, not_before, &got->nepal);

  if (g_str_equal (parts[2], "sensor-data"))
    {
      JsonObject *gps;
      double      fill = number_member (o, "fillLevel");
      double      temp = number_member (o, "temperature");
      double      lat, lon;

      g_assert_cmpstr (json_object_get_string_member_with_default (o, "binId", NULL), ==, parts[1]);
      g_assert_cmpfloat (fill, >=, 0);
      g_assert_cmpfloat (fill, <=, 100);
      g_assert_cmpfloat (number_member (o, "weight"), >=, 0);
      g_assert_cmpfloat (temp, >=, -40);
      g_assert_cmpfloat (temp, <=, 85);
      g_assert_cmpfloat (number_member (o, "humidity"), >=, 0);
      g_assert_cmpfloat (number_member (o, "humidity"), <=, 100);
      g_assert_cmpfloat (number_member (o, "batteryLevel"), >=, 0);
      g_assert_cmpfloat (number_member (o, "batteryLevel"), <=, 100);
      g_assert_true (json_object_has_member (o, "gpsCoordinates"));
      gps = json_object_get_object_member (o, "gpsCoordinates");
      g_assert_nonnull (gps);
      lat = number_member (gps, "latitude");
      lon = number_member (gps, "longitude");
      /* The devices were placed in the valley, 27.6–27.8 N, 85.2–85.4 E. */
      g_assert_cmpfloat (lat, >, 27.6);
      g_assert_cmpfloat (lat, <, 27.8);
      g_assert_cmpfloat (lon, >, 85.2);
      g_assert_cmpfloat (lon, <, 85.4);
      g_hash_table_add (got->keys, reading_key (parts[1], ts, fill));
      got->readings++;
    }
  else if (g_str_equal (parts[2], "status"))
    {
      JsonNode *online = json_object_get_member (o, "online");

      g_assert_nonnull (online);
      g_assert_true (json_node_get_value_type (online) == G_TYPE_BOOLEAN);
      g_assert_nonnull (json_object_get_string_member_with_default (o, "firmware", NULL));
      g_assert_cmpfloat (number_member (o, "signal"), <, 0);
      g_hash_table_add (got->keys, g_strdup_printf ("status|%s|%" G_GINT64_FORMAT "|%d", parts[1],
                                                    ts, json_node_get_boolean (online)));
      g_hash_table_replace (got->last_online, g_strdup (parts[1]),
                            GINT_TO_POINTER (json_node_get_boolean (online) ? 2 : 1));
      got->statuses++;
    }
  else if (g_str_equal (parts[2], "alerts"))
    {
      const char *type = json_object_get_string_member_with_default (o, "type", NULL);

      g_assert_true (in_enum (type, types));
      g_assert_true (
          in_enum (json_object_get_string_member_with_default (o, "severity", NULL), severities));
      g_assert_nonnull (json_object_get_string_member_with_default (o, "message", NULL));
      g_hash_table_add (got->keys,
                        g_strdup_printf ("alerts|%s|%" G_GINT64_FORMAT "|%s", parts[1], ts, type));
      got->alerts++;
    }
  else
    g_assert_not_reached ();
}

typedef struct
{
  Subscriber *sub;
  guint       last;
  gint64      quiet_since;
} Quiet;

/* True once no message has arrived for a second. */
static gboolean
quiet_for_a_second (gpointer data)
{
  Quiet *q = data;
  guint  n = sub_count (q->sub);

  if (n != q->last || q->quiet_since == 0)
    {
      q->last = n;
      q->quiet_since = g_get_monotonic_time ();
      return FALSE;
    }
  return g_get_monotonic_time () - q->quiet_since > G_USEC_PER_SEC;
}

static void
test_publish_contract (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestBroker) broker = rl_test_broker_start (&error);
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  Batches        batches = { 0 };
  Received       got = { 0 };
  Quiet          quiet = { 0 };
  Subscriber    *sub;
  RlDevSim      *sim;
  gint64         not_before = rl_time_now_ms () - 60 * 1000;
  gint64         t0;
  guint64        published = 0, failed = 0;
  double         elapsed_s;
  GHashTableIter iter;
  gpointer       key;

  g_assert_no_error (error);
  g_assert_nonnull (broker);
  sub = subscriber_start (broker);

  batches.keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  batches.main_thread = g_thread_self ();
  batches.on_main_thread = TRUE;
  batches.min_gap_us = G_MAXINT64;
  got.keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  got.last_online = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  sim = rl_dev_sim_new (broker->url, "devices", RATE, 42, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim);
  rl_dev_sim_set_acceleration (sim, 3600); /* an hour of bin life per second */
  for (guint i = 0; i < N_DEVICES; i++)
    {
      g_autofree char *id = g_strdup_printf ("bin-%06u", i);
      g_autofree char *dp = g_strdup_printf ("dp-%06u", i);
      RlDevSimDevice   device = {
          .device_id = id,
          .drop_point_id = dp,
          .latitude = 27.65 + 0.1 * g_rand_double (rand),
          .longitude = 85.25 + 0.1 * g_rand_double (rand),
          .capacity_liters = 240,
          .fill_level = 80 + i % 20,
          .battery_level = 15 + i,
      };

      rl_dev_sim_add_device (sim, &device);
    }
  rl_dev_sim_set_batch_func (sim, batch_cb, &batches);
  t0 = g_get_monotonic_time ();
  g_assert_true (rl_dev_sim_start (sim, &error));
  g_assert_no_error (error);

  g_assert_true (rl_test_wait_until (enough_batched, &batches, 90000));
  rl_dev_sim_collect (sim, "bin-000003");
  rl_dev_sim_collect (sim, "no-such-bin");
  rl_dev_sim_get_counters (sim, &published, &failed);
  elapsed_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  g_test_message ("published %" G_GUINT64_FORMAT " (failed %" G_GUINT64_FORMAT
                  ") in %.2f s; %u batches",
                  published, failed, elapsed_s, batches.n_batches);

  /* The token bucket never goes over the rate (a quarter second of burst,
   * one visit of slack per device). */
  g_assert_cmpfloat ((double) published, <=, RATE * elapsed_s + RATE * 0.25 + 4 * N_DEVICES);
  g_assert_cmpuint (failed, ==, 0);
  g_assert_true (batches.on_main_thread);
  /* At most two batches a second (timer jitter allowed). */
  g_assert_cmpint (batches.min_gap_us, >=, 400 * 1000);

  /* A clean stop says every bin goes offline. */
  rl_dev_sim_free (sim);
  quiet.sub = sub;
  g_assert_true (rl_test_wait_until (quiet_for_a_second, &quiet, 60000));

  g_mutex_lock (&sub->lock);
  g_assert_cmpuint (sub->topics->len, >=, published);
  for (guint i = 0; i < sub->topics->len; i++)
    check_message (sub->topics->pdata[i], sub->payloads->pdata[i], not_before, &got);
  g_mutex_unlock (&sub->lock);
  g_test_message ("received %u readings, %u statuses, %u alerts (%u with +05:45)",
                  got.readings, got.statuses, got.alerts, got.nepal);

  /* What the batch func reported was published, exactly so. */
  g_hash_table_iter_init (&iter, batches.keys);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (got.keys, key))
      g_error ("batched but never received: %s", (const char *) key);
  g_assert_cmpuint (batches.n_readings, <=, got.readings);
  g_assert_cmpuint (batches.n_readings, >=, 600);

  /* Every device announced itself and said goodbye last. */
  g_assert_cmpuint (g_hash_table_size (got.last_online), ==, N_DEVICES);
  g_hash_table_iter_init (&iter, got.last_online);
  {
    gpointer value;

    while (g_hash_table_iter_next (&iter, &key, &value))
      g_assert_cmpint (GPOINTER_TO_INT (value), ==, 1);
  }
  /* Bins started 80–99 % full and with weak batteries: alerts happened. */
  g_assert_cmpuint (got.alerts, >, 0);
  /* Some timestamps carry Nepal's offset (5 % of messages). */
  g_assert_cmpuint (got.nepal, >, 0);

  g_hash_table_unref (batches.keys);
  g_hash_table_unref (got.keys);
  g_hash_table_unref (got.last_online);
  subscriber_free (sub);
}

typedef struct
{
  RlDevSim *sim;
  gboolean  want_connected;
  guint64   published_over;
} SimState;

static gboolean
sim_in_state (gpointer data)
{
  SimState *st = data;
  guint64   published = 0;

  rl_dev_sim_get_counters (st->sim, &published, NULL);
  return rl_dev_sim_is_connected (st->sim) == st->want_connected && published > st->published_over;
}

/* The bins that said they are online in a status sent at or after
 * @since_ms (wall clock, as the statuses' timestamps). */
typedef struct
{
  GHashTable *online;
  gint64      since_ms;
} BackOnline;

static void
count_online_cb (const RlDevSimReading *readings,
                 guint                  n_readings,
                 const RlDevSimStatus  *statuses,
                 guint                  n_statuses,
                 const RlDevSimAlert   *alerts,
                 guint                  n_alerts,
                 gpointer               data)
{
  BackOnline *back = data;

  for (guint i = 0; i < n_statuses; i++)
    if (statuses[i].online && statuses[i].timestamp_ms >= back->since_ms)
      g_hash_table_add (back->online, g_strdup (statuses[i].device_id));
}

static gboolean
all_back (gpointer data)
{
  return g_hash_table_size (((BackOnline *) data)->online) >= 20;
}

static gboolean
sub_got_reading (gpointer data)
{
  Subscriber *sub = data;
  gboolean    found = FALSE;

  g_mutex_lock (&sub->lock);
  for (guint i = 0; i < sub->topics->len && !found; i++)
    found = g_str_has_suffix (sub->topics->pdata[i], "/sensor-data");
  g_mutex_unlock (&sub->lock);
  return found;
}

/* The broker goes away and comes back on the same port: the simulator
 * notices, reconnects by itself, announces its bins again and goes on. */
static void
test_reconnect (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestBroker) broker = rl_test_broker_start (&error);
  g_autofree char *url = NULL;
  guint            port;
  SimState         st = { 0 };
  g_autoptr (GHashTable) online = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  BackOnline  back = { online, 0 };
  Subscriber *sub;

  g_assert_no_error (error);
  port = broker->port;
  url = g_strdup_printf ("mqtt://127.0.0.1:%u", port);
  st.sim = rl_dev_sim_new (url, "devices", 3000, 3, &error); /* two connections */
  g_assert_no_error (error);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = g_strdup_printf ("bin-%06u", i);
      RlDevSimDevice   device = { id, id, 27.70, 85.32, 240, 30, 90 };

      rl_dev_sim_add_device (st.sim, &device);
    }
  rl_dev_sim_set_batch_func (st.sim, count_online_cb, &back);
  g_assert_true (rl_dev_sim_start (st.sim, &error));

  st.want_connected = TRUE;
  st.published_over = 50;
  g_assert_true (rl_test_wait_until (sim_in_state, &st, 60000));

  g_clear_pointer (&broker, rl_test_broker_free);
  st.want_connected = FALSE;
  st.published_over = 0;
  g_assert_true (rl_test_wait_until (sim_in_state, &st, 60000));
  rl_dev_sim_get_counters (st.sim, &st.published_over, NULL);
  /* Disconnected, it sends nothing: a status from now on was sent to the
   * new broker. The batches of before the loss may still come; they do
   * not count. */
  back.since_ms = rl_time_now_ms () + 1;

  broker = rl_test_broker_start_on_port (port, &error);
  g_assert_no_error (error);
  sub = subscriber_start (broker);
  st.want_connected = TRUE;
  st.published_over += 50;
  g_assert_true (rl_test_wait_until (sim_in_state, &st, 90000));
  /* Every bin (none goes offline this early) says it is back, and the
   * new broker carries readings again. */
  g_assert_true (rl_test_wait_until (all_back, &back, 60000));
  g_assert_true (rl_test_wait_until (sub_got_reading, sub, 60000));
  rl_dev_sim_free (st.sim);

  subscriber_free (sub);
}

/* Accepts connections and closes them at once: a port where something
 * listens that is not an MQTT broker. */
typedef struct
{
  guint         n_accepted;
  gboolean      stopped; /* the accept loop ended (cancelled) */
  GCancellable *cancellable;
} Refuser;

static void
refused_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Refuser *r = user_data;
  g_autoptr (GSocketConnection) connection =
      g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, NULL);

  if (connection == NULL)
    {
      r->stopped = TRUE;
      return;
    }
  r->n_accepted++;
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_socket_listener_accept_async (G_SOCKET_LISTENER (source), r->cancellable, refused_cb, r);
}

static gboolean
tried_twice (gpointer user_data)
{
  return ((Refuser *) user_data)->n_accepted >= 2;
}

static gboolean
refuser_stopped (gpointer user_data)
{
  return ((Refuser *) user_data)->stopped;
}

static void
test_errors (void)
{
  g_autoptr (GError) error = NULL;
  RlDevSim        *sim;
  guint64          published = 0, failed = 0;
  g_autofree char *url = NULL;

  sim = rl_dev_sim_new ("http://user:hunter2@example.org", "devices", 10, 1, &error);
  g_assert_null (sim);
  g_assert_error (error, RL_DEV_SIM_ERROR, RL_DEV_SIM_ERROR_INVALID_URL);
  g_assert_null (strstr (error->message, "hunter2"));
  g_clear_error (&error);

  sim = rl_dev_sim_new ("not a url at all", "devices", 10, 1, &error);
  g_assert_null (sim);
  g_assert_error (error, RL_DEV_SIM_ERROR, RL_DEV_SIM_ERROR_INVALID_URL);
  g_clear_error (&error);

  /* No broker URL: a model only, which cannot start. */
  sim = rl_dev_sim_new (NULL, NULL, 10, 1, &error);
  g_assert_no_error (error);
  g_assert_false (rl_dev_sim_start (sim, &error));
  g_assert_error (error, RL_DEV_SIM_ERROR, RL_DEV_SIM_ERROR_NO_BROKER);
  g_clear_error (&error);
  rl_dev_sim_free (sim);

  /* A broker that is not there (something listens, but hangs up at once):
   * start works, it keeps trying again with backoff (twice seen here),
   * nothing is published, and free returns promptly. */
  {
    g_autoptr (GSocketListener) listener = g_socket_listener_new ();
    g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr (GSocketAddress) bound = NULL;
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    Refuser refuser = { 0, FALSE, cancellable };

    g_assert_true (g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                                  G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
    g_assert_no_error (error);
    url = g_strdup_printf ("mqtt://user:hunter2@127.0.0.1:%u",
                           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
    g_socket_listener_accept_async (listener, cancellable, refused_cb, &refuser);
    sim = rl_dev_sim_new (url, "devices", 200, 1, &error);
    g_assert_no_error (error);
    {
      RlDevSimDevice device = { "bin-1", "dp-1", 27.7, 85.3, 240, 10, 90 };

      rl_dev_sim_add_device (sim, &device);
    }
    g_assert_true (rl_dev_sim_start (sim, &error));
    g_assert_no_error (error);
    if (!rl_test_wait_until (tried_twice, &refuser, 30000))
      g_error ("the simulator connected %u times in 30 s, expected it to try again",
               refuser.n_accepted);
    rl_dev_sim_get_counters (sim, &published, &failed);
    g_assert_false (rl_dev_sim_is_connected (sim));
    g_assert_cmpuint (published, ==, 0);
    g_assert_cmpuint (failed, ==, 0);
    g_cancellable_cancel (cancellable);
    g_assert_true (rl_test_wait_until (refuser_stopped, &refuser, 10000));
    g_socket_listener_close (listener);
  }
  {
    gint64 t0 = g_get_monotonic_time ();

    rl_dev_sim_free (sim);
    /* Not stuck in a reconnect backoff (which grows to 30 s). */
    g_assert_cmpint (g_get_monotonic_time () - t0, <, 10 * G_USEC_PER_SEC);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sim/mqtt/publish-contract", test_publish_contract);
  g_test_add_func ("/sim/mqtt/reconnect", test_reconnect);
  g_test_add_func ("/sim/mqtt/errors", test_errors);

  return g_test_run ();
}
