/* rl-dev-sim.c — MQTT bin simulator: publishes the bin model to a real broker.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One to four libmosquitto connections (by rate; a bin always uses the
 * same one); each network loop runs in libmosquitto's own thread
 * (mosquitto_loop_start, which also reconnects with backoff). A
 * generator thread spends a token bucket of `rate` messages per second
 * round-robin over the bins. What was published is queued under the lock
 * and handed to the batch func by a 500 ms timeout on the caller's main
 * context. The model itself lives in rl-dev-sim-model.c.
 *
 * Counters: `published` counts messages libmosquitto accepted (QoS 1),
 * `failed` those it refused or that were dropped because a connection lags
 * more than MAX_PENDING_ACKS behind. Nothing is generated while
 * disconnected, so an absent broker does not inflate `failed`.
 */

#include "config.h"

#include "rl-dev-sim-private.h"
#include "rl-feed.h"
#include "rl-time.h"

#include <math.h>
#include <mosquitto.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <unistd.h>

#define TICK_US (10 * 1000)
#define BATCH_INTERVAL_MS 500
#define MAX_PENDING_ACKS 50000
#define MIN_UNACKED 5000.0 /* backpressure at max (this, 1 s of rate) unacked */
#define MAX_QUEUED 200000
#define MAX_SHARDS 4
#define RATE_PER_SHARD 2500.0

/* One MQTT connection. A single libmosquitto client tops out around 5000
 * QoS 1 messages per second here (its publish and network threads share a
 * lock), so high rates spread the bins over a few connections; a bin always
 * uses the same one, which keeps its messages in order. */
typedef struct
{
  RlDevSim         *sim;
  guint             index;
  struct mosquitto *mosq;
  gboolean          connected; /* under sim->lock */
  gboolean          loop_started;
  gint              pending; /* atomic: published, PUBACK not seen yet */
} Shard;

struct _RlDevSim
{
  GMutex      lock;
  GCond       cond;
  GRand      *rand;
  GArray     *bins;  /* RlDevSimBin; never shrinks, so pointers into ids stay valid */
  GHashTable *by_id; /* device id → index + 1 */
  char       *prefix;
  double      rate;
  double      acceleration;

  /* MQTT */
  Shard    shards[MAX_SHARDS];
  guint    n_shards;
  char    *host;
  int      port;
  gboolean tls;

  /* Generator */
  GThread *thread;
  gboolean stopping; /* under lock */
  gint64   model_origin_ms;
  gint64   mono_origin_us;
  guint    next_bin;
  GString *payload;

  /* Counters (atomic) */
  guint64 published;
  guint64 failed;
  guint64 acked;

  /* Batches for the main context, under lock */
  RlDevSimBatchFunc batch_func;
  gpointer          batch_data;
  GMainContext     *context;
  GSource          *batch_source;
  GArray           *readings, *statuses, *alerts;
};

/* clang-format off */
G_DEFINE_QUARK (rl-dev-sim-error-quark, rl_dev_sim_error)
/* clang-format on */

static gboolean
parse_url (RlDevSim   *sim,
           const char *mqtt_url,
           char      **out_user,
           char      **out_password,
           GError    **error)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *scheme;

  uri = g_uri_parse (mqtt_url, G_URI_FLAGS_HAS_PASSWORD, &local_error);
  if (uri == NULL)
    {
      /* The message may echo the URL, password included: keep it out. */
      g_set_error (error, RL_DEV_SIM_ERROR, RL_DEV_SIM_ERROR_INVALID_URL,
                   "Invalid MQTT URL (expected mqtt://host:port or mqtts://host:port)");
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "mqtt") == 0 || g_ascii_strcasecmp (scheme, "tcp") == 0)
    sim->tls = FALSE;
  else if (g_ascii_strcasecmp (scheme, "mqtts") == 0 || g_ascii_strcasecmp (scheme, "ssl") == 0)
    sim->tls = TRUE;
  else
    {
      g_set_error (error, RL_DEV_SIM_ERROR, RL_DEV_SIM_ERROR_INVALID_URL,
                   "Unsupported MQTT URL scheme “%s” (use mqtt or mqtts)", scheme);
      return FALSE;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, RL_DEV_SIM_ERROR, RL_DEV_SIM_ERROR_INVALID_URL,
                   "MQTT URL without a host");
      return FALSE;
    }
  sim->host = g_strdup (g_uri_get_host (uri));
  sim->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : (sim->tls ? 8883 : 1883);
  *out_user = g_strdup (g_uri_get_user (uri));
  *out_password = g_strdup (g_uri_get_password (uri));
  return TRUE;
}

static void
on_connect (struct mosquitto *mosq,
            void             *user_data,
            int               rc)
{
  Shard    *shard = user_data;
  RlDevSim *sim = shard->sim;

  g_mutex_lock (&sim->lock);
  shard->connected = rc == 0;
  if (rc == 0)
    {
      /* A fresh (clean) session: what was in flight may never be
       * acknowledged, so stop waiting for it; and every online bin says
       * it is back. */
      g_atomic_int_set (&shard->pending, 0);
      for (guint i = 0; i < sim->bins->len; i++)
        if (g_array_index (sim->bins, RlDevSimBin, i).shard == shard->index)
          g_array_index (sim->bins, RlDevSimBin, i).announced = FALSE;
    }
  g_mutex_unlock (&sim->lock);
  if (rc == 0)
    g_debug ("connected to %s:%d", sim->host, sim->port);
  else
    g_message ("MQTT broker %s:%d refused the connection: %s", sim->host, sim->port,
               mosquitto_connack_string (rc));
}

static void
on_disconnect (struct mosquitto *mosq,
               void             *user_data,
               int               rc)
{
  Shard    *shard = user_data;
  RlDevSim *sim = shard->sim;
  gboolean  stopping;

  g_mutex_lock (&sim->lock);
  shard->connected = FALSE;
  stopping = sim->stopping;
  g_mutex_unlock (&sim->lock);
  if (rc != 0 && !stopping)
    g_message ("lost the MQTT broker %s:%d (%s); reconnecting", sim->host, sim->port,
               mosquitto_strerror (rc));
}

static void
on_publish (struct mosquitto *mosq,
            void             *user_data,
            int               mid)
{
  Shard *shard = user_data;

  __atomic_fetch_add (&shard->sim->acked, 1, __ATOMIC_RELAXED);
  g_atomic_int_add (&shard->pending, -1);
}

RlDevSim *
rl_dev_sim_new (const char *mqtt_url,
                const char *topic_prefix,
                double      rate,
                guint32     seed,
                GError    **error)
{
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  const char      *accel_env = g_getenv ("RELOOP_SIM_ACCELERATION");
  RlDevSim        *sim;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sim = g_new0 (RlDevSim, 1);
  g_mutex_init (&sim->lock);
  g_cond_init (&sim->cond);
  sim->rand = g_rand_new_with_seed (seed);
  sim->bins = g_array_new (FALSE, TRUE, sizeof (RlDevSimBin));
  sim->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sim->prefix = g_strdup (topic_prefix && *topic_prefix ? topic_prefix : "devices");
  sim->rate = rate > 0 ? rate : 10.0;
  sim->acceleration = accel_env ? g_ascii_strtod (accel_env, NULL) : 60.0;
  if (!(sim->acceleration > 0))
    sim->acceleration = 60.0;
  sim->payload = g_string_sized_new (512);
  sim->readings = g_array_new (FALSE, FALSE, sizeof (RlDevSimReading));
  sim->statuses = g_array_new (FALSE, FALSE, sizeof (RlDevSimStatus));
  sim->alerts = g_array_new (FALSE, FALSE, sizeof (RlDevSimAlert));

  if (mqtt_url == NULL)
    return sim;

  if (!parse_url (sim, mqtt_url, &user, &password, error))
    {
      rl_dev_sim_free (sim);
      return NULL;
    }
  if (password == NULL && g_getenv ("RELOOP_MQTT_PASSWORD") != NULL)
    password = g_strdup (g_getenv ("RELOOP_MQTT_PASSWORD"));

  rl_mqtt_lib_init ();
  sim->n_shards = (guint) CLAMP (ceil (sim->rate / RATE_PER_SHARD), 1, MAX_SHARDS);
  for (guint i = 0; i < sim->n_shards; i++)
    {
      Shard           *shard = &sim->shards[i];
      g_autofree char *client_id =
          g_strdup_printf ("reloop-devsim-%u-%d-%u", seed, (int) getpid (), i);

      shard->sim = sim;
      shard->index = i;
      shard->mosq = mosquitto_new (client_id, TRUE, shard);
      if (shard->mosq == NULL)
        {
          g_set_error (error, RL_DEV_SIM_ERROR, RL_DEV_SIM_ERROR_MQTT,
                       "Cannot create an MQTT client");
          rl_dev_sim_free (sim);
          return NULL;
        }
      mosquitto_connect_callback_set (shard->mosq, on_connect);
      mosquitto_disconnect_callback_set (shard->mosq, on_disconnect);
      mosquitto_publish_callback_set (shard->mosq, on_publish);
      mosquitto_reconnect_delay_set (shard->mosq, 1, 30, true);
      mosquitto_max_inflight_messages_set (shard->mosq, 1000);
      if (user != NULL || password != NULL)
        mosquitto_username_pw_set (shard->mosq, user, password);
      if (sim->tls)
        {
          int rc = mosquitto_int_option (shard->mosq, MOSQ_OPT_TLS_USE_OS_CERTS, 1);

          if (rc != MOSQ_ERR_SUCCESS)
            {
              g_set_error (error, RL_DEV_SIM_ERROR, RL_DEV_SIM_ERROR_MQTT,
                           "Cannot enable TLS: %s", mosquitto_strerror (rc));
              rl_dev_sim_free (sim);
              return NULL;
            }
        }
    }
  if (password != NULL)
    memset (password, 0, strlen (password));
  return sim;
}

void
rl_dev_sim_set_acceleration (RlDevSim *sim,
                             double    factor)
{
  g_return_if_fail (sim != NULL);
  g_return_if_fail (factor > 0);

  g_mutex_lock (&sim->lock);
  sim->acceleration = factor;
  g_mutex_unlock (&sim->lock);
}

void
rl_dev_sim_add_device (RlDevSim             *sim,
                       const RlDevSimDevice *device)
{
  RlDevSimBin bin;

  g_return_if_fail (sim != NULL);
  g_return_if_fail (device != NULL && device->device_id != NULL);

  g_mutex_lock (&sim->lock);
  if (g_hash_table_contains (sim->by_id, device->device_id))
    {
      g_mutex_unlock (&sim->lock);
      return;
    }
  rl_dev_sim_bin_init (&bin, device, sim->rand);
  bin.shard = sim->n_shards > 0 ? sim->bins->len % sim->n_shards : 0;
  bin.topic_data = g_strdup_printf ("%s/%s/sensor-data", sim->prefix, device->device_id);
  bin.topic_status = g_strdup_printf ("%s/%s/status", sim->prefix, device->device_id);
  bin.topic_alerts = g_strdup_printf ("%s/%s/alerts", sim->prefix, device->device_id);
  g_array_append_val (sim->bins, bin);
  g_hash_table_insert (sim->by_id, g_strdup (device->device_id), GUINT_TO_POINTER (sim->bins->len));
  g_mutex_unlock (&sim->lock);
}

void
rl_dev_sim_set_batch_func (RlDevSim         *sim,
                           RlDevSimBatchFunc func,
                           gpointer          user_data)
{
  g_return_if_fail (sim != NULL);

  g_mutex_lock (&sim->lock);
  sim->batch_func = func;
  sim->batch_data = user_data;
  g_mutex_unlock (&sim->lock);
}

/* ---- publishing (payloads: rl-dev-sim-json.c) ---- */

/* About 5 % of timestamps carry Nepal's offset. */
static gboolean
nepal_offset (RlDevSim *sim)
{
  return g_rand_double (sim->rand) < 0.05;
}

static gboolean
publish (RlDevSim    *sim,
         RlDevSimBin *bin,
         const char  *topic)
{
  int rc;

  if (g_atomic_int_get (&sim->shards[bin->shard].pending) > MAX_PENDING_ACKS)
    {
      __atomic_fetch_add (&sim->failed, 1, __ATOMIC_RELAXED);
      return FALSE;
    }
  rc = mosquitto_publish (sim->shards[bin->shard].mosq, NULL, topic, (int) sim->payload->len,
                          sim->payload->str, 1, false);
  if (rc != MOSQ_ERR_SUCCESS)
    {
      __atomic_fetch_add (&sim->failed, 1, __ATOMIC_RELAXED);
      return FALSE;
    }
  __atomic_fetch_add (&sim->published, 1, __ATOMIC_RELAXED);
  g_atomic_int_inc (&sim->shards[bin->shard].pending);
  return TRUE;
}

static gboolean
publish_status (RlDevSim    *sim,
                RlDevSimBin *bin,
                gboolean     online,
                gint64       now_ms)
{
  rl_dev_sim_json_status (sim->payload, online, bin->signal + g_rand_int_range (sim->rand, -3, 4),
                          now_ms, nepal_offset (sim));
  if (!publish (sim, bin, bin->topic_status))
    return FALSE;
  if (sim->statuses->len < MAX_QUEUED)
    {
      RlDevSimStatus status = { bin->device_id, online, now_ms };

      g_array_append_val (sim->statuses, status);
    }
  return TRUE;
}

static void
publish_alert (RlDevSim    *sim,
               RlDevSimBin *bin,
               const char  *type,
               const char  *severity,
               const char  *message,
               gint64       now_ms)
{
  rl_dev_sim_json_alert (sim->payload, type, severity, message, now_ms, nepal_offset (sim));
  if (publish (sim, bin, bin->topic_alerts) && sim->alerts->len < MAX_QUEUED)
    {
      RlDevSimAlert alert = { bin->device_id, type, severity, message, now_ms };

      g_array_append_val (sim->alerts, alert);
    }
}

static gboolean
publish_reading (RlDevSim        *sim,
                 RlDevSimBin     *bin,
                 RlDevSimReading *r)
{
  rl_dev_sim_json_reading (sim->payload, bin, r, nepal_offset (sim));
  if (!publish (sim, bin, bin->topic_data))
    return FALSE;
  if (sim->readings->len < MAX_QUEUED)
    g_array_append_val (sim->readings, *r);
  return TRUE;
}

/* ---- generator ---- */

static gint64
model_now (RlDevSim *sim)
{
  gint64 elapsed_us = g_get_monotonic_time () - sim->mono_origin_us;

  return sim->model_origin_ms + (gint64) ((double) elapsed_us / 1000.0 * sim->acceleration);
}

/* Visits one bin; returns how many messages it cost. Called under the lock. */
static guint
visit_bin (RlDevSim    *sim,
           RlDevSimBin *bin)
{
  guint           events = rl_dev_sim_bin_advance (bin, model_now (sim), sim->rand);
  gint64          now_ms = rl_time_now_ms ();
  RlDevSimReading r;
  guint           sent = 0;

  if (!sim->shards[bin->shard].connected)
    return 0;

  if (rl_dev_sim_bin_is_offline (bin))
    {
      /* It stops publishing; say so once, as its last will would. */
      if (bin->announced)
        {
          publish_status (sim, bin, FALSE, now_ms);
          bin->announced = FALSE;
          sent++;
        }
      return sent;
    }
  if (!bin->announced)
    {
      bin->announced = publish_status (sim, bin, TRUE, now_ms);
      sent++;
    }

  rl_dev_sim_bin_read (bin, sim->rand, &r);
  r.timestamp_ms = now_ms;
  publish_reading (sim, bin, &r);
  sent++;

  if (r.fill_level > 85.0 && !bin->full_alerted)
    {
      bin->full_alerted = TRUE;
      publish_alert (sim, bin, "FULL_BIN", "HIGH", "Bin is over 85 % full", now_ms);
      sent++;
    }
  if (r.battery_level < 20.0 && !bin->battery_alerted)
    {
      bin->battery_alerted = TRUE;
      publish_alert (sim, bin, "LOW_BATTERY", "MEDIUM", "Battery below 20 %", now_ms);
      sent++;
    }
  if (r.temperature > 50.0)
    {
      publish_alert (sim, bin, "HIGH_TEMPERATURE", "HIGH", "Temperature above 50 °C: possible fire",
                     now_ms);
      sent++;
    }
  if (events & RL_DEV_SIM_EVENT_FAULT)
    {
      publish_alert (sim, bin, "SENSOR_FAULT", "LOW",
                     "Ultrasonic fill sensor reports an implausible echo", now_ms);
      sent++;
    }
  return sent;
}

static guint
total_pending (RlDevSim *sim)
{
  guint total = 0;

  for (guint i = 0; i < sim->n_shards; i++)
    total += (guint) MAX (0, g_atomic_int_get (&sim->shards[i].pending));
  return total;
}

/* Under the lock. */
static gboolean
any_connected (RlDevSim *sim)
{
  for (guint i = 0; i < sim->n_shards; i++)
    if (sim->shards[i].connected)
      return TRUE;
  return FALSE;
}

static gpointer
generator_thread (gpointer data)
{
  RlDevSim *sim = data;
  gint64    last_us = g_get_monotonic_time ();
  double    tokens = 0;

  g_mutex_lock (&sim->lock);
  while (!sim->stopping)
    {
      gint64 now_us = g_get_monotonic_time ();
      double burst = MAX (1.0, sim->rate * 0.25);
      guint  idle_visits = 0;

      /* Nothing is generated while the broker is away: bins keep filling
       * (model time runs on) and catch up on their next reading. */
      tokens = any_connected (sim)
                   ? MIN (burst, tokens + (double) (now_us - last_us) / 1e6 * sim->rate)
                   : 0;
      last_us = now_us;
      /* Backpressure: when the broker acknowledges slower than we publish,
       * wait for it instead of piling QoS 1 messages up in libmosquitto
       * (whose bookkeeping slows down as they pile). */
      if ((double) total_pending (sim) > MAX (MIN_UNACKED, sim->rate))
        tokens = MIN (tokens, 0);

      while (tokens >= 1.0 && sim->bins->len > 0 && idle_visits < sim->bins->len)
        {
          RlDevSimBin *bin = &g_array_index (sim->bins, RlDevSimBin, sim->next_bin);
          guint        sent;

          sim->next_bin = (sim->next_bin + 1) % sim->bins->len;
          sent = visit_bin (sim, bin);
          tokens -= sent;
          idle_visits = sent > 0 ? 0 : idle_visits + 1;
        }

      g_cond_wait_until (&sim->cond, &sim->lock, g_get_monotonic_time () + TICK_US);
    }
  g_mutex_unlock (&sim->lock);
  return NULL;
}

static gboolean
deliver_batch_cb (gpointer data)
{
  RlDevSim *sim = data;
  g_autoptr (GArray) readings = NULL;
  g_autoptr (GArray) statuses = NULL;
  g_autoptr (GArray) alerts = NULL;
  RlDevSimBatchFunc func;
  gpointer          func_data;

  /* Device ids point into sim->bins, which never frees a bin before
   * rl_dev_sim_free(); the alert texts are static. So the swapped arrays
   * stay valid without the lock. */
  g_mutex_lock (&sim->lock);
  func = sim->batch_func;
  func_data = sim->batch_data;
  if (sim->readings->len + sim->statuses->len + sim->alerts->len > 0)
    {
      readings = g_steal_pointer (&sim->readings);
      statuses = g_steal_pointer (&sim->statuses);
      alerts = g_steal_pointer (&sim->alerts);
      sim->readings = g_array_new (FALSE, FALSE, sizeof (RlDevSimReading));
      sim->statuses = g_array_new (FALSE, FALSE, sizeof (RlDevSimStatus));
      sim->alerts = g_array_new (FALSE, FALSE, sizeof (RlDevSimAlert));
    }
  g_mutex_unlock (&sim->lock);

  if (func != NULL && readings != NULL)
    func ((const RlDevSimReading *) (gpointer) readings->data, readings->len,
          (const RlDevSimStatus *) (gpointer) statuses->data, statuses->len,
          (const RlDevSimAlert *) (gpointer) alerts->data, alerts->len,
          func_data);
  return G_SOURCE_CONTINUE;
}

gboolean
rl_dev_sim_start (RlDevSim *sim,
                  GError  **error)
{
  int rc;

  g_return_val_if_fail (sim != NULL, FALSE);
  g_return_val_if_fail (sim->thread == NULL, FALSE);

  if (sim->n_shards == 0)
    {
      g_set_error (error, RL_DEV_SIM_ERROR, RL_DEV_SIM_ERROR_NO_BROKER,
                   "The simulator has no MQTT broker URL");
      return FALSE;
    }

  /* A broker that is not up yet is not fatal: the network threads keep
   * retrying with backoff and nothing is generated meanwhile. */
  for (guint i = 0; i < sim->n_shards; i++)
    {
      Shard *shard = &sim->shards[i];

      rc = mosquitto_connect_async (shard->mosq, sim->host, sim->port, 30);
      if (rc != MOSQ_ERR_SUCCESS && i == 0)
        g_message ("cannot reach the MQTT broker %s:%d yet (%s); retrying", sim->host, sim->port,
                   rc == MOSQ_ERR_ERRNO ? g_strerror (errno) : mosquitto_strerror (rc));
      rc = mosquitto_loop_start (shard->mosq);
      if (rc != MOSQ_ERR_SUCCESS)
        {
          g_set_error (error, RL_DEV_SIM_ERROR, RL_DEV_SIM_ERROR_MQTT,
                       "Cannot start the MQTT network thread: %s", mosquitto_strerror (rc));
          return FALSE;
        }
      shard->loop_started = TRUE;
    }

  sim->context = g_main_context_ref_thread_default ();
  sim->batch_source = g_timeout_source_new (BATCH_INTERVAL_MS);
  g_source_set_callback (sim->batch_source, deliver_batch_cb, sim, NULL);
  g_source_set_name (sim->batch_source, "[reloop] simulator batches");
  g_source_attach (sim->batch_source, sim->context);

  sim->model_origin_ms = rl_time_now_ms ();
  sim->mono_origin_us = g_get_monotonic_time ();
  sim->thread = g_thread_new ("rl-dev-sim", generator_thread, sim);
  return TRUE;
}

void
rl_dev_sim_collect (RlDevSim   *sim,
                    const char *device_id)
{
  gpointer index;

  g_return_if_fail (sim != NULL);
  g_return_if_fail (device_id != NULL);

  g_mutex_lock (&sim->lock);
  index = g_hash_table_lookup (sim->by_id, device_id);
  if (index != NULL)
    rl_dev_sim_bin_collect (&g_array_index (sim->bins, RlDevSimBin, GPOINTER_TO_UINT (index) - 1),
                            sim->rand);
  g_mutex_unlock (&sim->lock);
}

void
rl_dev_sim_get_counters (RlDevSim *sim,
                         guint64  *published,
                         guint64  *failed)
{
  g_return_if_fail (sim != NULL);

  if (published)
    *published = __atomic_load_n (&sim->published, __ATOMIC_RELAXED);
  if (failed)
    *failed = __atomic_load_n (&sim->failed, __ATOMIC_RELAXED);
}

gboolean
rl_dev_sim_is_connected (RlDevSim *sim)
{
  gboolean connected;

  g_return_val_if_fail (sim != NULL, FALSE);

  g_mutex_lock (&sim->lock);
  connected = sim->n_shards > 0;
  for (guint i = 0; i < sim->n_shards; i++)
    connected = connected && sim->shards[i].connected;
  g_mutex_unlock (&sim->lock);
  return connected;
}

guint64
rl_dev_sim_get_acked (RlDevSim *sim)
{
  g_return_val_if_fail (sim != NULL, 0);

  return __atomic_load_n (&sim->acked, __ATOMIC_RELAXED);
}

/* On a clean stop every announced bin says it is offline, and we wait
 * (briefly) for the broker to acknowledge what is still in flight. */
static void
say_goodbye (RlDevSim *sim)
{
  gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  gint64 now_ms = rl_time_now_ms ();

  g_mutex_lock (&sim->lock);
  for (guint i = 0; i < sim->bins->len; i++)
    {
      RlDevSimBin *bin = &g_array_index (sim->bins, RlDevSimBin, i);

      if (bin->announced && sim->shards[bin->shard].connected)
        publish_status (sim, bin, FALSE, now_ms);
      bin->announced = FALSE;
    }
  g_mutex_unlock (&sim->lock);

  while (total_pending (sim) > 0
         && g_get_monotonic_time () < deadline)
    g_usleep (5000);
}

void
rl_dev_sim_free (RlDevSim *sim)
{
  if (sim == NULL)
    return;

  if (sim->thread != NULL)
    {
      g_mutex_lock (&sim->lock);
      sim->stopping = TRUE;
      g_cond_broadcast (&sim->cond);
      g_mutex_unlock (&sim->lock);
      g_thread_join (g_steal_pointer (&sim->thread));
    }
  if (sim->batch_source != NULL)
    {
      g_source_destroy (sim->batch_source);
      g_clear_pointer (&sim->batch_source, g_source_unref);
    }
  g_clear_pointer (&sim->context, g_main_context_unref);

  if (sim->n_shards > 0 && sim->shards[0].loop_started)
    say_goodbye (sim);
  g_mutex_lock (&sim->lock);
  sim->stopping = TRUE;
  g_mutex_unlock (&sim->lock);
  for (guint i = 0; i < sim->n_shards; i++)
    {
      Shard *shard = &sim->shards[i];

      if (shard->loop_started)
        {
          mosquitto_disconnect (shard->mosq);
          mosquitto_loop_stop (shard->mosq, false);
        }
      if (shard->mosq != NULL)
        mosquitto_destroy (shard->mosq);
    }

  for (guint i = 0; i < sim->bins->len; i++)
    rl_dev_sim_bin_clear (&g_array_index (sim->bins, RlDevSimBin, i));
  g_array_unref (sim->bins);
  g_hash_table_unref (sim->by_id);
  g_array_unref (sim->readings);
  g_array_unref (sim->statuses);
  g_array_unref (sim->alerts);
  g_string_free (sim->payload, TRUE);
  g_rand_free (sim->rand);
  g_free (sim->prefix);
  g_free (sim->host);
  g_mutex_clear (&sim->lock);
  g_cond_clear (&sim->cond);
  g_free (sim);
}
