/* test-sim-mqtt.c — the simulator against a real mosquitto: every message per contract §3.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-dev-sim.h"
#include "rl-test-util.h"
#include "rl-time.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <mosquitto.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#define N_DEVICES 50
#define RATE 400.0

/* rl_test_wait_until() sleeps in the main loop until a source fires; our
 * conditions change in other threads, so keep a short tick running. */
static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
wait_for (gboolean (*cond) (gpointer user_data),
          gpointer user_data,
          guint    timeout_ms)
{
  guint    tick = g_timeout_add (20, tick_cb, NULL);
  gboolean ok = rl_test_wait_until (cond, user_data, timeout_ms);

  g_source_remove (tick);
  return ok;
}

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
  g_assert_true (wait_for (sub_ready, sub, 30000));
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

  g_assert_true (wait_for (enough_batched, &batches, 90000));
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
  g_assert_true (wait_for (quiet_for_a_second, &quiet, 60000));

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

/* ---- a broker on a port of our choosing, to restart it in place ---- */

static GPid
spawn_broker (guint       port,
              const char *dir)
{
  g_autofree char *conf_path = g_build_filename (dir, "restart.conf", NULL);
  g_autofree char *conf = g_strdup_printf ("listener %u 127.0.0.1\nallow_anonymous true\n"
                                           "max_queued_messages 0\npersistence false\n",
                                           port);
  g_autofree char *binary = g_strdup (g_getenv ("RL_MOSQUITTO"));
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  gint64      deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  const char *argv[] = { NULL, "-c", conf_path, NULL };
  GPid        pid = 0;

  if (binary == NULL)
    binary = g_find_program_in_path ("mosquitto");
  if (binary == NULL && g_file_test ("/usr/sbin/mosquitto", G_FILE_TEST_IS_EXECUTABLE))
    binary = g_strdup ("/usr/sbin/mosquitto");
  g_assert_nonnull (binary);
  argv[0] = binary;
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  g_spawn_async (NULL, (char **) argv, NULL,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                     | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);

  for (;;)
    {
      g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                                 G_SOCKET_PROTOCOL_TCP, NULL);

      g_assert_nonnull (socket);
      if (g_socket_connect (socket, address, NULL, NULL))
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
  return pid;
}

static void
kill_broker (GPid pid)
{
  int status = 0;

  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
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

static gboolean
quit_loop_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
count_online_cb (const RlDevSimReading *readings,
                 guint                  n_readings,
                 const RlDevSimStatus  *statuses,
                 guint                  n_statuses,
                 const RlDevSimAlert   *alerts,
                 guint                  n_alerts,
                 gpointer               data)
{
  GHashTable *online = data;

  for (guint i = 0; i < n_statuses; i++)
    if (statuses[i].online)
      g_hash_table_add (online, g_strdup (statuses[i].device_id));
}

static gboolean
all_back (gpointer data)
{
  return g_hash_table_size (data) >= 20;
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
  g_autofree char *dir = g_dir_make_tmp ("rl-sim-restart-XXXXXX", &error);
  g_autofree char *url = NULL;
  guint            port = rl_test_free_port ();
  RlTestBroker     fake = { 0 };
  SimState         st = { 0 };
  g_autoptr (GHashTable) online = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Subscriber *sub;
  GPid        pid;

  g_assert_no_error (error);
  pid = spawn_broker (port, dir);
  url = g_strdup_printf ("mqtt://127.0.0.1:%u", port);
  st.sim = rl_dev_sim_new (url, "devices", 3000, 3, &error); /* two connections */
  g_assert_no_error (error);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = g_strdup_printf ("bin-%06u", i);
      RlDevSimDevice   device = { id, id, 27.70, 85.32, 240, 30, 90 };

      rl_dev_sim_add_device (st.sim, &device);
    }
  rl_dev_sim_set_batch_func (st.sim, count_online_cb, online);
  g_assert_true (rl_dev_sim_start (st.sim, &error));

  st.want_connected = TRUE;
  st.published_over = 50;
  g_assert_true (wait_for (sim_in_state, &st, 60000));

  kill_broker (pid);
  st.want_connected = FALSE;
  st.published_over = 0;
  g_assert_true (wait_for (sim_in_state, &st, 60000));
  rl_dev_sim_get_counters (st.sim, &st.published_over, NULL);
  /* Let the batches of before the loss pass, then listen afresh. */
  {
    g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

    g_timeout_add (1200, quit_loop_cb, loop);
    g_main_loop_run (loop);
  }
  g_hash_table_remove_all (online);

  pid = spawn_broker (port, dir);
  fake.port = port;
  sub = subscriber_start (&fake);
  st.want_connected = TRUE;
  st.published_over += 50;
  g_assert_true (wait_for (sim_in_state, &st, 90000));
  /* Every bin (none goes offline this early) says it is back, and the
   * new broker carries readings again. */
  g_assert_true (wait_for (all_back, online, 60000));
  g_assert_true (wait_for (sub_got_reading, sub, 60000));
  rl_dev_sim_free (st.sim);

  subscriber_free (sub);
  kill_broker (pid);
  {
    g_autofree char *conf_path = g_build_filename (dir, "restart.conf", NULL);

    g_unlink (conf_path);
    g_rmdir (dir);
  }
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

  /* A broker that is not there: start works (it keeps retrying with
   * backoff), nothing is published, and free returns promptly. */
  url = g_strdup_printf ("mqtt://user:hunter2@127.0.0.1:%u", rl_test_free_port ());
  sim = rl_dev_sim_new (url, "devices", 200, 1, &error);
  g_assert_no_error (error);
  {
    RlDevSimDevice device = { "bin-1", "dp-1", 27.7, 85.3, 240, 10, 90 };

    rl_dev_sim_add_device (sim, &device);
  }
  g_assert_true (rl_dev_sim_start (sim, &error));
  g_assert_no_error (error);
  g_usleep (300 * 1000);
  rl_dev_sim_get_counters (sim, &published, &failed);
  g_assert_false (rl_dev_sim_is_connected (sim));
  g_assert_cmpuint (published, ==, 0);
  g_assert_cmpuint (failed, ==, 0);
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
