/* rl-feed-rules.c — alert records from the feed (writer thread): the bins'
 * own alert messages, and the local rules on live readings.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each rule is a latch per device (Device.latched): a reading past the
 * threshold raises an alert unless one of that device and type is open
 * (ours, the bin's or the server's), and latches; further readings past it
 * do nothing; a reading back by the hysteresis resolves the console's open
 * alert (feed or local) with a note saying so, and unlatches. The latches
 * are read from the open alerts when the writer starts and after every
 * sync (rl_feed_reload_devices). Only readings newer than the device's
 * current one count (contract §3: history never raises alerts). The
 * English texts are for logs and the cache; the UI words console alerts
 * itself from their "rule" and "resolvedValue" (src/errors/rl-ui-alerts.c).
 * docs/feed.md "Alert records".
 */
#include "config.h"

#include <math.h>

#include "rl-feed-private.h"
#include "rl-store-alerts.h"
#include "rl-time.h"

#define OFFLINE_PERIOD_MIN_US G_USEC_PER_SEC
#define OFFLINE_PERIOD_MAX_US (60 * G_USEC_PER_SEC)

static const struct
{
  const char *type;
  const char *severity;
} rule_alerts[N_RULES] = {
  [RULE_FULL_BIN] = { "FULL_BIN", "HIGH" },
  [RULE_LOW_BATTERY] = { "LOW_BATTERY", "MEDIUM" },
  [RULE_HIGH_TEMPERATURE] = { "HIGH_TEMPERATURE", "HIGH" },
  [RULE_OFFLINE] = { "OFFLINE", "MEDIUM" },
};

/* ---- Helpers ------------------------------------------------------------ */

static int
rule_for_type (const char *type)
{
  for (int r = 0; r < N_RULES; r++)
    if (g_strcmp0 (rule_alerts[r].type, type) == 0)
      return r;
  return -1;
}

/* A number for a log or the cache: at most one decimal, "." whatever the
 * locale ("85", "92.5"). */
static const char *
format_number (char  *buf,
               gsize  size,
               double value)
{
  return g_ascii_formatd (buf, (int) size, "%g", round (value * 10) / 10);
}

/* The hysteresis of a rule: its constant, or half the way from the
 * threshold to the end of the scale when that is nearer (a threshold of
 * 5 % still clears, at 2.5 %). */
static gboolean
is_clear (Rule               rule,
          const RlFeedRules *rules,
          double             value)
{
  switch (rule)
    {
    case RULE_FULL_BIN:
      return value < rules->fill_above - MIN (RL_FEED_FILL_HYSTERESIS, rules->fill_above / 2);
    case RULE_LOW_BATTERY:
      return value > rules->battery_below
                         + MIN (RL_FEED_BATTERY_HYSTERESIS, (100 - rules->battery_below) / 2);
    case RULE_HIGH_TEMPERATURE:
      return value < rules->temperature_above
                         - MIN (RL_FEED_TEMPERATURE_HYSTERESIS, (rules->temperature_above + 40) / 2);
    case RULE_OFFLINE:
    case N_RULES:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_past (Rule               rule,
         const RlFeedRules *rules,
         double             value)
{
  switch (rule)
    {
    case RULE_FULL_BIN:
      return value > rules->fill_above;
    case RULE_LOW_BATTERY:
      return value < rules->battery_below;
    case RULE_HIGH_TEMPERATURE:
      return value > rules->temperature_above;
    case RULE_OFFLINE:
    case N_RULES:
    default:
      g_assert_not_reached ();
    }
}

static double
threshold_of (Rule               rule,
              const RlFeedRules *rules)
{
  switch (rule)
    {
    case RULE_FULL_BIN:
      return rules->fill_above;
    case RULE_LOW_BATTERY:
      return rules->battery_below;
    case RULE_HIGH_TEMPERATURE:
      return rules->temperature_above;
    case RULE_OFFLINE:
      return rules->offline_after_s / 60.0;
    case N_RULES:
    default:
      g_assert_not_reached ();
    }
}

static char *
rule_message (Rule   rule,
              double value,
              double threshold)
{
  char v[G_ASCII_DTOSTR_BUF_SIZE], t[G_ASCII_DTOSTR_BUF_SIZE];

  format_number (v, sizeof v, value);
  format_number (t, sizeof t, threshold);
  switch (rule)
    {
    case RULE_FULL_BIN:
      return g_strdup_printf ("Fill level %s %% is above %s %%", v, t);
    case RULE_LOW_BATTERY:
      return g_strdup_printf ("Battery %s %% is below %s %%", v, t);
    case RULE_HIGH_TEMPERATURE:
      return g_strdup_printf ("Temperature %s °C is above %s °C", v, t);
    case RULE_OFFLINE:
      return g_strdup_printf ("No message from the device for %s minutes (offline after %s)", v, t);
    case N_RULES:
    default:
      g_assert_not_reached ();
    }
}

static char *
clear_note (Rule   rule,
            double value)
{
  char v[G_ASCII_DTOSTR_BUF_SIZE];

  format_number (v, sizeof v, value);
  switch (rule)
    {
    case RULE_FULL_BIN:
      return g_strdup_printf ("Resolved automatically: fill level back to %s %%", v);
    case RULE_LOW_BATTERY:
      return g_strdup_printf ("Resolved automatically: battery back to %s %%", v);
    case RULE_HIGH_TEMPERATURE:
      return g_strdup_printf ("Resolved automatically: temperature back to %s °C", v);
    case RULE_OFFLINE:
      return g_strdup ("Resolved automatically: the device reported again");
    case N_RULES:
    default:
      g_assert_not_reached ();
    }
}

/* ---- Alert operations -------------------------------------------------- */

void
rl_feed_alert_op_clear (gpointer data)
{
  RlFeedAlertOp *op = data;

  g_free (op->device_id);
  g_free (op->message);
  g_free (op->note);
}

GArray *
rl_feed_alert_ops_new (void)
{
  GArray *ops = g_array_new (FALSE, TRUE, sizeof (RlFeedAlertOp));

  g_array_set_clear_func (ops, rl_feed_alert_op_clear);
  return ops;
}

/* A local alert for @rule (written at the batch's end), latched whatever
 * the outcome: an open alert of any source stands for the condition. */
static void
raise_local (GArray     *ops,
             Rule        rule,
             double      value,
             double      threshold,
             gint64      when_ms,
             const char *device_id,
             Device     *next)
{
  RlFeedAlertOp op = {
    .kind = ALERT_OP_ADD,
    .next = next,
    .device_id = g_strdup (device_id),
    .source = RL_ALERT_SOURCE_LOCAL,
    .type = rule_alerts[rule].type,
    .severity = rule_alerts[rule].severity,
    .message = rule_message (rule, value, threshold),
    .when_ms = when_ms,
    .value = value,
    .threshold = threshold,
  };

  g_array_append_val (ops, op);
  next->latched |= 1 << rule;
}

static void
resolve (GArray     *ops,
         Rule        rule,
         double      value,
         gint64      when_ms,
         const char *device_id,
         Device     *next)
{
  RlFeedAlertOp op = {
    .kind = ALERT_OP_RESOLVE,
    .next = next,
    .device_id = g_strdup (device_id),
    .type = rule_alerts[rule].type,
    .note = clear_note (rule, value),
    .when_ms = when_ms,
    .value = value,
  };

  g_array_append_val (ops, op);
  next->latched &= (guint8) ~(1 << rule);
}

/* ---- Writer-thread API -------------------------------------------------- */

void
rl_feed_rules_reading (GArray            *ops,
                       const RlFeedRules *rules,
                       const char        *device_id,
                       Device            *next,
                       const Msg         *msg)
{
  const double values[] = {
    [RULE_FULL_BIN] = msg->fill,
    [RULE_LOW_BATTERY] = msg->battery,
    [RULE_HIGH_TEMPERATURE] = msg->temperature,
  };

  next->last_seen_ms = MAX (next->last_seen_ms, msg->ts_ms);
  if (next->latched & (1 << RULE_OFFLINE))
    resolve (ops, RULE_OFFLINE, NAN, msg->ts_ms, device_id, next);

  for (Rule rule = RULE_FULL_BIN; rule <= RULE_HIGH_TEMPERATURE; rule++)
    {
      double   value = values[rule];
      gboolean latched = (next->latched & (1 << rule)) != 0;

      if (isnan (value))
        continue;
      if (!latched && is_past (rule, rules, value))
        raise_local (ops, rule, value, threshold_of (rule, rules), msg->ts_ms, device_id, next);
      else if (latched && is_clear (rule, rules, value))
        resolve (ops, rule, value, msg->ts_ms, device_id, next);
    }
}

void
rl_feed_rules_status (GArray     *ops,
                      const char *device_id,
                      Device     *next,
                      const Msg  *msg)
{
  next->last_seen_ms = MAX (next->last_seen_ms, msg->ts_ms);
  if (msg->online && (next->latched & (1 << RULE_OFFLINE)))
    resolve (ops, RULE_OFFLINE, NAN, msg->ts_ms, device_id, next);
}

void
rl_feed_rules_alert_message (GArray     *ops,
                             const char *device_id,
                             Device     *next,
                             const Msg  *msg)
{
  RlFeedAlertOp op = {
    .kind = ALERT_OP_ADD,
    .next = next,
    .device_id = g_strdup (device_id),
    .source = RL_ALERT_SOURCE_FEED,
    .type = g_intern_string (msg->alert_type),
    .severity = g_intern_string (msg->severity),
    .message = g_strdup (msg->message),
    .when_ms = msg->ts_ms,
    .value = NAN,
    .threshold = NAN,
  };
  int rule = rule_for_type (msg->alert_type);

  g_array_append_val (ops, op);
  next->has_alert = TRUE;
  /* The bin says what a rule measures: its readings resolve it. */
  if (rule >= 0)
    next->latched |= 1 << rule;
}

gboolean
rl_feed_rules_flush (RlStoreBatch   *tx,
                     GArray         *ops,
                     RlFeedCounters *delta,
                     GError        **error)
{
  for (guint i = 0; i < ops->len; i++)
    {
      RlFeedAlertOp *op = &g_array_index (ops, RlFeedAlertOp, i);

      if (op->kind == ALERT_OP_ADD)
        {
          RlStoreAlertSpec spec = {
            .source = op->source,
            .drop_point_id = op->next->drop_point_id,
            .device_id = op->device_id,
            .type = op->type,
            .severity = op->severity,
            .message = op->message,
            .created_ms = op->when_ms,
            .rule_value = op->value,
            .rule_threshold = op->threshold,
          };
          RlStoreAlertResult result = rl_store_batch_add_alert (tx, &spec, error);

          if (result == RL_STORE_ALERT_ERROR)
            return FALSE;
          if (result != RL_STORE_ALERT_ADDED)
            continue;
          if (op->source == RL_ALERT_SOURCE_LOCAL)
            delta->local_alerts++;
          else
            delta->alert_records++;
          op->next->has_alert = TRUE;
        }
      else
        {
          gint n = rl_store_batch_auto_resolve_alerts (tx, op->device_id, op->type, op->when_ms,
                                                       op->note, op->value, error);

          if (n < 0)
            return FALSE;
          delta->auto_resolved += (guint64) n;
        }
    }
  return TRUE;
}

static gboolean
latch_open_alert (const char          *device_id,
                  const char          *type,
                  RlAlertSource source G_GNUC_UNUSED,
                  gpointer             user_data)
{
  Device *device = g_hash_table_lookup (user_data, device_id);
  int     rule = rule_for_type (type);

  if (device == NULL)
    return TRUE;
  /* The map marks it from the cache already (rl_store_load_drop_points):
   * its next reading must not take the mark away. */
  device->has_alert = TRUE;
  if (rule >= 0)
    device->latched |= 1 << rule;
  return TRUE;
}

void
rl_feed_rules_load (RlStore    *store,
                    GHashTable *devices)
{
  g_autoptr (GError) error = NULL;

  if (!rl_store_foreach_open_alert (store, latch_open_alert, devices, &error))
    g_warning ("cannot read the open alerts: %s", error->message);
}

gint64
rl_feed_rules_offline_period_us (const RlFeedRules *rules)
{
  /* A tenth of the silence it looks for, within 1 s – 1 min. */
  return CLAMP ((gint64) rules->offline_after_s * G_USEC_PER_SEC / 10, OFFLINE_PERIOD_MIN_US,
                OFFLINE_PERIOD_MAX_US);
}

gboolean
rl_feed_rules_check_offline (RlFeed     *self,
                             RlStore    *store,
                             GHashTable *devices,
                             GError    **error)
{
  g_autoptr (RlStoreBatch) tx = NULL;
  g_autoptr (GPtrArray) raised = g_ptr_array_new (); /* device ids (borrowed) */
  g_autoptr (GArray) ops = rl_feed_alert_ops_new ();
  g_autofree Device *copies = NULL;
  RlFeedCounters     delta = { 0 };
  RlFeedRules        rules;
  GHashTableIter     iter;
  gpointer           key, value;
  gint64             connected_since, now = rl_time_now_ms (), after_ms;

  g_mutex_lock (&self->lock);
  rules = self->rules;
  connected_since = self->connected_since_us;
  g_mutex_unlock (&self->lock);

  /* Silence is the device's only while the console listens: connected for
   * at least the whole span (a console that just started, or came back,
   * first hears what the broker kept for it). */
  after_ms = (gint64) rules.offline_after_s * 1000;
  if (connected_since == 0 || g_get_monotonic_time () - connected_since < after_ms * 1000)
    return TRUE;

  g_hash_table_iter_init (&iter, devices);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Device *device = value;

      /* A device never heard from says nothing about its link. */
      if (device->last_seen_ms > 0 && !(device->latched & (1 << RULE_OFFLINE))
          && now - device->last_seen_ms > after_ms)
        g_ptr_array_add (raised, key);
    }
  if (raised->len == 0)
    return TRUE;

  /* On copies: the devices change only once the transaction commits. */
  copies = g_new0 (Device, raised->len);
  for (guint i = 0; i < raised->len; i++)
    {
      const char *device_id = g_ptr_array_index (raised, i);

      copies[i] = *(Device *) g_hash_table_lookup (devices, device_id);
      raise_local (ops, RULE_OFFLINE, floor ((now - copies[i].last_seen_ms) / 60000.0),
                   threshold_of (RULE_OFFLINE, &rules), now, device_id, &copies[i]);
    }
  if ((tx = rl_store_batch_begin (store, error)) == NULL || !rl_feed_rules_flush (tx, ops, &delta, error)
      || !rl_store_batch_commit (tx, error))
    return FALSE;

  /* Committed: now the devices, the counters and the map say so. */
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < raised->len; i++)
    {
      const char  *device_id = g_ptr_array_index (raised, i);
      Device      *device = g_hash_table_lookup (devices, device_id);
      RlFeedPoint *point;

      device->latched |= 1 << RULE_OFFLINE;
      if (device->has_alert || !copies[i].has_alert)
        continue;
      device->has_alert = TRUE;
      point = g_new0 (RlFeedPoint, 1);
      point->drop_point_id = g_strdup (device->drop_point_id);
      point->device_id = g_strdup (device_id);
      point->fill_level = device->fill_level;
      point->is_online = device->is_online;
      point->has_alert = TRUE;
      point->last_reading_ms = device->last_reading_ms;
      g_hash_table_replace (self->changes, point->drop_point_id, point);
      rl_feed_arm_dispatch_locked (self);
    }
  self->counters.local_alerts += delta.local_alerts;
  self->counters.batches++;
  g_mutex_unlock (&self->lock);
  return TRUE;
}
