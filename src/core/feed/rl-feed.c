/* rl-feed.c — live telemetry from the MQTT broker.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three threads:
 * - the network thread (rl-feed-net.c: it connects, runs libmosquitto's
 *   loop and reconnects with backoff) runs on_message: size, topic, JSON
 *   and range checks, then one Msg per accepted payload onto an async queue;
 * - the writer thread owns its own store connection: it pops up to
 *   WRITER_BATCH messages, drops unknown devices and duplicates, writes one
 *   transaction (readings to history, the newest to the drop point, link
 *   changes), and only after the commit merges the new device states into
 *   `changes` (a failed commit is retried: nothing is dropped);
 * - the main thread takes `changes` RL_FEED_DISPATCH_INTERVAL_MS after the
 *   first change since it last took them, and emits one points-changed: the
 *   dispatch is armed by whoever adds a change or a state, so nothing ticks
 *   while nothing arrives (docs/battery.md).
 * Counters are under `lock` (the writer counts a batch only once it is
 * committed, so a retried batch is never counted twice).
 * The payload checks are in rl-feed-parse.c, the writer in rl-feed-writer.c.
 */

#include "config.h"

#include <mosquitto.h>
#include <string.h>

#include "rl-feed-private.h"
#include "rl-time.h"
#include "rl-url.h"

enum
{
  PROP_0,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_FILL_ALERT_THRESHOLD,
  PROP_BATTERY_ALERT_THRESHOLD,
  PROP_TEMPERATURE_ALERT_THRESHOLD,
  PROP_OFFLINE_AFTER,
  /* rl-feed-record.c */
  PROP_RECORDING,
  PROP_RECORD_ERROR,
  /* rl-feed-nodes.c */
  PROP_NODE,
  PROP_NODE_SINCE,
  PROP_NODES,
  N_PROPS
};

enum
{
  POINTS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RlFeed, rl_feed, G_TYPE_OBJECT)
/* clang-format off */
G_DEFINE_QUARK (rl-feed-error-quark, rl_feed_error)
/* clang-format on */

static const char *reject_names[RL_FEED_N_REJECTS] = {
  "topic",
  "too-large",
  "not-json",
  "missing-field",
  "bad-value",
  "out-of-range",
  "bin-mismatch",
  "future",
  "unknown-device",
};

const char *
rl_feed_reject_to_string (RlFeedReject reason)
{
  g_return_val_if_fail (reason < RL_FEED_N_REJECTS, NULL);
  return reject_names[reason];
}

void
rl_feed_msg_free (gpointer data)
{
  Msg *msg = data;

  g_free (msg->device_id);
  g_free (msg->alert_type);
  g_free (msg->severity);
  g_free (msg->message);
  g_free (msg->lost_url);
  g_free (msg->resumed_url);
  g_free (msg);
}

void
rl_feed_device_free (gpointer data)
{
  Device *device = data;

  g_free (device->drop_point_id);
  g_free (device);
}

void
rl_feed_point_free (gpointer data)
{
  RlFeedPoint *point = data;

  g_free (point->drop_point_id);
  g_free (point->device_id);
  g_free (point);
}

/* ---- network thread: validation ----------------------------------------- */

static void
count_reject (RlFeed      *self,
              const char  *topic,
              const void  *payload,
              gsize        length,
              RlFeedReject reason)
{
  g_mutex_lock (&self->lock);
  self->counters.rejected[reason]++;
  rl_feed_health_note_reject_locked (self, topic, payload, length, reason);
  g_mutex_unlock (&self->lock);
  g_debug ("rejected a message: %s", reject_names[reason]);
}

gboolean
rl_feed_topic_parse (const char *prefix,
                     const char *topic,
                     char      **out_device_id,
                     MsgKind    *out_kind)
{
  gsize       prefix_len = strlen (prefix);
  const char *rest, *slash;

  /* {prefix}/{deviceId}/{kind} */
  if (topic == NULL || strncmp (topic, prefix, prefix_len) != 0 || topic[prefix_len] != '/')
    return FALSE;
  rest = topic + prefix_len + 1;
  slash = strchr (rest, '/');
  if (slash == NULL || slash == rest || strchr (slash + 1, '/') != NULL)
    return FALSE;
  if (strcmp (slash + 1, "sensor-data") == 0)
    *out_kind = MSG_READING;
  else if (strcmp (slash + 1, "status") == 0)
    *out_kind = MSG_STATUS;
  else if (strcmp (slash + 1, "alerts") == 0)
    *out_kind = MSG_ALERT;
  else
    return FALSE;
  *out_device_id = g_strndup (rest, (gsize) (slash - rest));
  return TRUE;
}

void
rl_feed_take_message (RlFeed     *self,
                      const char *prefix,
                      const char *topic,
                      const void *payload,
                      gsize       length)
{
  g_autofree char *device_id = NULL;
  RlFeedReject     reason = RL_FEED_REJECT_TOPIC;
  Msg             *msg;
  MsgKind          kind;

  g_mutex_lock (&self->lock);
  self->counters.received++;
  rl_feed_health_note_message_locked (self);
  g_mutex_unlock (&self->lock);

  if (length > RL_FEED_MAX_PAYLOAD)
    {
      count_reject (self, topic, payload, length, RL_FEED_REJECT_TOO_LARGE);
      return;
    }

  if (!rl_feed_topic_parse (prefix, topic, &device_id, &kind))
    {
      count_reject (self, topic, payload, length, RL_FEED_REJECT_TOPIC);
      return;
    }

  msg = g_new0 (Msg, 1);
  if (!rl_feed_parse_payload (kind, device_id, payload, length, msg, &reason))
    {
      rl_feed_msg_free (msg);
      count_reject (self, topic, payload, length, reason);
      return;
    }
  msg->device_id = g_steal_pointer (&device_id);
  g_async_queue_push (self->queue, msg);
}

static void
on_message (struct mosquitto *mosq          G_GNUC_UNUSED,
            void                           *user_data,
            const struct mosquitto_message *message)
{
  RlFeed *self = user_data;
  gsize   length = message->payloadlen > 0 ? (gsize) message->payloadlen : 0;

  const void *payload = message->payload != NULL ? message->payload : "";

  /* Raw, before any check: a recording keeps the rejected ones too. */
  rl_feed_record_message (self, message->topic, payload, length);
  rl_feed_take_message (self, self->prefix, message->topic, payload, length);
}

void
rl_feed_set_state (RlFeed       *self,
                   RlFeedState   state,
                   const GError *error)
{
  g_mutex_lock (&self->lock);
  self->state = state;
  /* Since when the console listens without a break (the OFFLINE rule). */
  if (state != RL_FEED_STATE_CONNECTED)
    self->connected_since_us = 0;
  else if (self->connected_since_us == 0)
    self->connected_since_us = g_get_monotonic_time ();
  if (error != NULL)
    {
      g_clear_error (&self->last_error);
      self->last_error = g_error_copy (error);
    }
  else if (state == RL_FEED_STATE_CONNECTED)
    g_clear_error (&self->last_error);
  rl_feed_nodes_note_state_locked (self, state, error);
  self->state_dirty = TRUE;
  rl_feed_arm_dispatch_locked (self);
  g_mutex_unlock (&self->lock);
}

void
rl_feed_arm_dispatch_locked (RlFeed *self)
{
  if (self->dispatch_armed || self->dispatch == NULL)
    return;
  self->dispatch_armed = TRUE;
  g_source_set_ready_time (self->dispatch,
                           g_get_monotonic_time () + RL_FEED_DISPATCH_INTERVAL_MS * 1000);
}

void
rl_feed_set_state_code (RlFeed     *self,
                        RlFeedState state,
                        RlFeedError code,
                        const char *text)
{
  g_autoptr (GError) error = g_error_new_literal (RL_FEED_ERROR, code, text);

  rl_feed_set_state (self, state, error);
}

/* ---- main thread --------------------------------------------------------- */

static gboolean
errors_equal (const GError *a,
              const GError *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->domain == b->domain && a->code == b->code && g_str_equal (a->message, b->message);
}

static void
dispatch_now (RlFeed *self)
{
  g_autoptr (GPtrArray) points = NULL;
  gboolean state_changed = FALSE, error_changed = FALSE;
  gboolean nodes_changed, node_changed, since_changed;

  g_mutex_lock (&self->lock);
  if (g_hash_table_size (self->changes) > 0)
    {
      GHashTableIter iter;
      gpointer       value;

      points = g_ptr_array_new_full (g_hash_table_size (self->changes), rl_feed_point_free);
      g_hash_table_iter_init (&iter, self->changes);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          g_ptr_array_add (points, value);
          g_hash_table_iter_steal (&iter);
        }
    }
  if (self->state_dirty)
    {
      self->state_dirty = FALSE;
      state_changed = self->state != self->notified_state;
      self->notified_state = self->state;
      if (!errors_equal (self->last_error, self->notified_error))
        {
          g_clear_error (&self->notified_error);
          self->notified_error = self->last_error != NULL ? g_error_copy (self->last_error) : NULL;
          error_changed = TRUE;
        }
    }
  g_mutex_unlock (&self->lock);
  nodes_changed = rl_feed_nodes_take_changes (self, &node_changed, &since_changed);

  if (node_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE]);
  if (since_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE_SINCE]);
  if (nodes_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODES]);
  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (error_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
  if (points != NULL)
    g_signal_emit (self, signals[POINTS_CHANGED], 0, points);
}

static gboolean
dispatch_cb (gpointer user_data)
{
  RlFeed *self = user_data;

  g_mutex_lock (&self->lock);
  self->dispatch_armed = FALSE;
  if (self->dispatch != NULL)
    g_source_set_ready_time (self->dispatch, -1);
  g_mutex_unlock (&self->lock);
  dispatch_now (self);
  return G_SOURCE_CONTINUE;
}

/* A source that is ready only when its ready time says so (armed). */
static gboolean
armed_source_dispatch (GSource    *source,
                       GSourceFunc callback,
                       gpointer    user_data)
{
  return callback (user_data);
}

static GSourceFuncs armed_source_funcs = { NULL, NULL, armed_source_dispatch, NULL, NULL, NULL };

static char *
ensure_client_id (RlFeed *self)
{
  g_autofree char *id = rl_store_get_meta (self->store, CLIENT_ID_META);
  g_autoptr (GError) error = NULL;

  if (id != NULL && *id != '\0')
    return g_steal_pointer (&id);

  g_free (id);
  {
    g_autofree char *uuid = g_uuid_string_random ();

    /* MQTT 3.1.1 guarantees client ids up to 23 bytes. */
    id = g_strdup_printf ("reloop-con-%.12s", uuid);
    for (char *p = id; *p != '\0'; p++)
      if (*p == '-' && p > id + 10)
        *p = 'x';
  }
  if (!rl_store_set_meta (self->store, CLIENT_ID_META, id, &error))
    g_warning ("cannot keep the MQTT client id: %s", error->message);
  return g_steal_pointer (&id);
}

void
rl_mqtt_lib_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      mosquitto_lib_init ();
      g_once_init_leave (&once, 1);
    }
}

gboolean
rl_feed_start (RlFeed             *self,
               const RlFeedConfig *config,
               GError            **error)
{
  g_autoptr (GPtrArray) endpoints = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *client_id = NULL;
  const char      *one[] = { config != NULL ? config->url : NULL, NULL };
  gboolean         tls = FALSE;

  g_return_val_if_fail (RL_IS_FEED (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (self->mosq == NULL, FALSE);

  endpoints = rl_feed_endpoints_parse (
      config->urls != NULL && config->urls[0] != NULL ? config->urls : one, &tls, error);
  if (endpoints == NULL)
    return FALSE;
  if (config->topic_prefix == NULL || *config->topic_prefix == '\0')
    prefix = g_strdup ("devices");
  else if (!rl_url_validate_topic_prefix (config->topic_prefix, &prefix, error))
    return FALSE;

  rl_mqtt_lib_init ();
  g_free (self->url);
  self->url = g_strdup (((RlFeedEndpoint *) g_ptr_array_index (endpoints, 0))->url);
  g_free (self->prefix);
  self->prefix = g_steal_pointer (&prefix);

  /* One client id and session whichever node the feed is on. */
  client_id = config->client_id != NULL ? g_strdup (config->client_id) : ensure_client_id (self);
  g_clear_pointer (&self->endpoints, g_ptr_array_unref);
  self->endpoints = g_steal_pointer (&endpoints);
  rl_feed_rotation_init (&self->rotation, self->endpoints->len);
  /* An outage is the broker's, not a stop and start of the console's. */
  self->outage_from_ms = 0;
  g_clear_pointer (&self->outage_lost_url, g_free);
  rl_feed_nodes_reset (self);
  if (!rl_feed_net_setup (self, config, client_id, tls, error))
    return FALSE;
  mosquitto_message_callback_set (self->mosq, on_message);

  rl_feed_writer_ensure (self);

  rl_feed_set_state (self, RL_FEED_STATE_CONNECTING, NULL);
  rl_feed_net_start (self);
  dispatch_now (self);
  return TRUE;
}

void
rl_feed_stop (RlFeed *self)
{
  g_return_if_fail (RL_IS_FEED (self));

  rl_feed_net_stop (self);
  /* A replay still running keeps the writer; it stops it when done. */
  if (self->writer_holds == 0)
    rl_feed_writer_shutdown (self);
  rl_feed_set_state (self, RL_FEED_STATE_STOPPED, NULL);
  dispatch_now (self);
}

void
rl_feed_writer_ensure (RlFeed *self)
{
  if (self->writer != NULL)
    return;
  self->writer = g_thread_new ("reloop-feed-writer", rl_feed_writer_main, self);
  self->context = g_main_context_ref_thread_default ();
  {
    GSource *source = g_source_new (&armed_source_funcs, sizeof (GSource));

    g_source_set_callback (source, dispatch_cb, self, NULL);
    g_source_set_name (source, "[reloop] feed dispatch");
    g_source_attach (source, self->context);
    g_mutex_lock (&self->lock);
    self->dispatch = source;
    self->dispatch_armed = FALSE;
    /* What came before the writer (a state) goes out with the first tick. */
    if (self->state_dirty || g_hash_table_size (self->changes) > 0)
      rl_feed_arm_dispatch_locked (self);
    g_mutex_unlock (&self->lock);
  }
}

void
rl_feed_writer_shutdown (RlFeed *self)
{
  if (self->writer != NULL)
    {
      Msg *stop = g_new0 (Msg, 1);

      stop->kind = MSG_STOP;
      g_async_queue_push (self->queue, stop);
      g_thread_join (self->writer);
      self->writer = NULL;
    }
  {
    GSource *source;

    g_mutex_lock (&self->lock);
    source = g_steal_pointer (&self->dispatch);
    self->dispatch_armed = FALSE;
    g_mutex_unlock (&self->lock);
    if (source != NULL)
      {
        g_source_destroy (source);
        g_source_unref (source);
      }
  }
  g_clear_pointer (&self->context, g_main_context_unref);
  dispatch_now (self);
}

RlFeedState
rl_feed_get_state (RlFeed *self)
{
  g_return_val_if_fail (RL_IS_FEED (self), RL_FEED_STATE_STOPPED);
  return self->notified_state;
}

const char *
rl_feed_get_url (RlFeed *self)
{
  g_return_val_if_fail (RL_IS_FEED (self), NULL);
  return self->url;
}

const char *
rl_feed_get_last_error (RlFeed *self)
{
  g_return_val_if_fail (RL_IS_FEED (self), NULL);
  return self->notified_error != NULL ? self->notified_error->message : NULL;
}

const GError *
rl_feed_get_error (RlFeed *self)
{
  g_return_val_if_fail (RL_IS_FEED (self), NULL);
  return self->notified_error;
}

void
rl_feed_get_counters (RlFeed         *self,
                      RlFeedCounters *out_counters)
{
  g_return_if_fail (RL_IS_FEED (self));
  g_return_if_fail (out_counters != NULL);

  g_mutex_lock (&self->lock);
  *out_counters = self->counters;
  g_mutex_unlock (&self->lock);
}

guint64
rl_feed_get_n_rejected (RlFeed *self)
{
  guint64 total = 0;

  g_return_val_if_fail (RL_IS_FEED (self), 0);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < RL_FEED_N_REJECTS; i++)
    total += self->counters.rejected[i];
  g_mutex_unlock (&self->lock);
  return total;
}

void
rl_feed_reload_devices (RlFeed *self)
{
  g_return_if_fail (RL_IS_FEED (self));
  g_atomic_int_set (&self->reload, 1);
}

RlFeed *
rl_feed_new (RlStore *store)
{
  RlFeed *self;

  g_return_val_if_fail (RL_IS_STORE (store), NULL);

  self = g_object_new (RL_TYPE_FEED, NULL);
  self->store = g_object_ref (store);
  self->store_path = g_strdup (rl_store_get_path (store));
  return self;
}

static void
rl_feed_dispose (GObject *object)
{
  RlFeed *self = RL_FEED (object);

  rl_feed_record_stop (self);
  if (self->mosq != NULL || self->writer != NULL)
    rl_feed_stop (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rl_feed_parent_class)->dispose (object);
}

static void
rl_feed_finalize (GObject *object)
{
  RlFeed *self = RL_FEED (object);

  g_async_queue_unref (self->queue);
  g_hash_table_unref (self->changes);
  g_mutex_clear (&self->lock);
  g_free (self->store_path);
  g_free (self->url);
  g_free (self->prefix);
  g_clear_pointer (&self->endpoints, g_ptr_array_unref);
  g_free (self->outage_lost_url);
  g_ptr_array_unref (self->nodes);
  g_free (self->notified_node);
  g_free (self->tls_detail);
  g_cond_clear (&self->net_cond);
  g_clear_error (&self->last_error);
  g_clear_error (&self->notified_error);
  rl_feed_health_data_free (self->health);
  g_mutex_clear (&self->record_lock);
  g_clear_error (&self->record_error);

  G_OBJECT_CLASS (rl_feed_parent_class)->finalize (object);
}

static void
rl_feed_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  RlFeed *self = RL_FEED (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->notified_state);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, rl_feed_get_last_error (self));
      break;
    case PROP_FILL_ALERT_THRESHOLD:
      g_mutex_lock (&self->lock);
      g_value_set_double (value, self->rules.fill_above);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_BATTERY_ALERT_THRESHOLD:
      g_mutex_lock (&self->lock);
      g_value_set_double (value, self->rules.battery_below);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_TEMPERATURE_ALERT_THRESHOLD:
      g_mutex_lock (&self->lock);
      g_value_set_double (value, self->rules.temperature_above);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_OFFLINE_AFTER:
      g_mutex_lock (&self->lock);
      g_value_set_uint (value, self->rules.offline_after_s);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_RECORDING:
      g_value_set_boolean (value, rl_feed_get_recording (self));
      break;
    case PROP_RECORD_ERROR:
      g_value_set_boxed (value, self->record_error);
      break;
    case PROP_NODE:
      g_value_set_string (value, self->notified_node);
      break;
    case PROP_NODE_SINCE:
      g_value_set_int64 (value, self->notified_node_since_ms);
      break;
    case PROP_NODES:
      g_value_take_boxed (value, rl_feed_get_nodes (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* rl-feed-record.c: notify "recording" and "record-error". */
void
rl_feed_notify_record (RlFeed  *self,
                       gboolean error_changed)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
  if (error_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD_ERROR]);
}

/* A rule's value, for the writer's next batch; notifies a change. */
static void
set_rule (RlFeed *self,
          guint   prop_id,
          double *field,
          double  value)
{
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = *field != value;
  *field = value;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
rl_feed_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  RlFeed *self = RL_FEED (object);

  switch (prop_id)
    {
    case PROP_FILL_ALERT_THRESHOLD:
      set_rule (self, prop_id, &self->rules.fill_above, g_value_get_double (value));
      break;
    case PROP_BATTERY_ALERT_THRESHOLD:
      set_rule (self, prop_id, &self->rules.battery_below, g_value_get_double (value));
      break;
    case PROP_TEMPERATURE_ALERT_THRESHOLD:
      set_rule (self, prop_id, &self->rules.temperature_above, g_value_get_double (value));
      break;
    case PROP_OFFLINE_AFTER:
      {
        gboolean changed;

        g_mutex_lock (&self->lock);
        changed = self->rules.offline_after_s != g_value_get_uint (value);
        self->rules.offline_after_s = g_value_get_uint (value);
        g_mutex_unlock (&self->lock);
        if (changed)
          g_object_notify_by_pspec (object, pspec);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_feed_class_init (RlFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rl_feed_dispose;
  object_class->finalize = rl_feed_finalize;
  object_class->get_property = rl_feed_get_property;
  object_class->set_property = rl_feed_set_property;

  properties[PROP_STATE] =
      g_param_spec_enum ("state", NULL, NULL, RL_TYPE_FEED_STATE, RL_FEED_STATE_STOPPED,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_ERROR] =
      g_param_spec_string ("last-error", NULL, NULL, NULL,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The local alert rules (docs/feed.md "Alert records"), the GSettings
   * keys' ranges. */
  properties[PROP_FILL_ALERT_THRESHOLD] = g_param_spec_double (
      "fill-alert-threshold", NULL, NULL, 0, 100, RL_FEED_DEFAULT_FILL_THRESHOLD,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BATTERY_ALERT_THRESHOLD] = g_param_spec_double (
      "battery-alert-threshold", NULL, NULL, 0, 100, RL_FEED_DEFAULT_BATTERY_THRESHOLD,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TEMPERATURE_ALERT_THRESHOLD] = g_param_spec_double (
      "temperature-alert-threshold", NULL, NULL, -40, 85, RL_FEED_DEFAULT_TEMPERATURE_THRESHOLD,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Seconds (the setting is in minutes; tests use seconds). */
  properties[PROP_OFFLINE_AFTER] = g_param_spec_uint (
      "offline-after", NULL, NULL, 1, 7 * 24 * 3600, RL_FEED_DEFAULT_OFFLINE_AFTER_S,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Record and replay (rl-feed-record.c). */
  properties[PROP_RECORDING] =
      g_param_spec_boolean ("recording", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RECORD_ERROR] =
      g_param_spec_boxed ("record-error", NULL, NULL, G_TYPE_ERROR,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The brokers (docs/feed.md "Several brokers"): the URL of the node the
   * feed is subscribed on (NULL while it is not), since when (UTC ms), and
   * every node with its last error (a GPtrArray of RlFeedNodeInfo). */
  properties[PROP_NODE] =
      g_param_spec_string ("node", NULL, NULL, NULL,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NODE_SINCE] =
      g_param_spec_int64 ("node-since", NULL, NULL, 0, G_MAXINT64, 0,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NODES] =
      g_param_spec_boxed ("nodes", NULL, NULL, G_TYPE_PTR_ARRAY,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* points-changed (GPtrArray *points): RlFeedPoint*, owned by the signal. */
  signals[POINTS_CHANGED] =
      g_signal_new ("points-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
}

static void
rl_feed_init (RlFeed *self)
{
  g_mutex_init (&self->lock);
  self->rules.fill_above = RL_FEED_DEFAULT_FILL_THRESHOLD;
  self->rules.battery_below = RL_FEED_DEFAULT_BATTERY_THRESHOLD;
  self->rules.temperature_above = RL_FEED_DEFAULT_TEMPERATURE_THRESHOLD;
  self->rules.offline_after_s = RL_FEED_DEFAULT_OFFLINE_AFTER_S;
  g_cond_init (&self->net_cond);
  g_mutex_init (&self->record_lock);
  self->queue = g_async_queue_new_full (rl_feed_msg_free);
  self->changes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, rl_feed_point_free);
  self->health = rl_feed_health_data_new ();
  self->nodes = g_ptr_array_new_with_free_func (rl_feed_node_info_free);
  self->node_current = -1;
}
