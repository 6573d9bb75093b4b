/* rl-feed-writer.c — the feed's writer thread: batches of messages into the
 * cache, one transaction each, through its own store connection.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-feed-private.h"
#include "rl-store-outages.h"
#include "rl-store-private.h"

static gboolean
load_device (const RlStoreDropPoint *dp,
             gpointer                user_data)
{
  GHashTable *devices = user_data;
  Device     *device;

  if (dp->device_id == NULL || g_hash_table_contains (devices, dp->device_id))
    return TRUE;
  device = g_new0 (Device, 1);
  device->drop_point_id = g_strdup (dp->id);
  device->fill_level = dp->fill_level;
  device->is_online = dp->is_online;
  device->last_reading_ms = dp->last_reading_ms;
  device->last_seen_ms = dp->last_reading_ms;
  g_hash_table_insert (devices, g_strdup (dp->device_id), device);
  return TRUE;
}

static GHashTable *
load_devices (RlStore *store)
{
  g_autoptr (GError) error = NULL;
  GHashTable *devices =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, rl_feed_device_free);

  if (!rl_store_foreach_drop_point (store, load_device, devices, &error))
    g_warning ("cannot read the cached devices: %s", error->message);
  rl_feed_rules_load (store, devices);
  return devices;
}

/* The drop point's current telemetry is written once per device and batch,
 * from its newest reading (an UPDATE that rewrites the record's JSON costs
 * several times the history insert: docs/feed.md "Ingest"). Whether that
 * reading is newer than the cached one is the UPDATE's answer, as before;
 * the readings before it in the batch are then compared in order with the
 * device's state (the writer's, from the cache). @newest: device id → the
 * newest non-duplicate reading's Msg*; returns in @updated the devices
 * whose row took it (device id → itself). */
static gboolean
update_newest (RlStoreBatch *tx,
               GHashTable   *newest,
               GHashTable   *updated,
               GError      **error)
{
  GHashTableIter iter;
  gpointer       key, value;

  g_hash_table_iter_init (&iter, newest);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const Msg *msg = value;
      gint       n = rl_store_batch_update_telemetry (tx, msg->device_id, msg->ts_ms, msg->fill,
                                                      msg->weight, msg->temperature,
                                                      msg->humidity, msg->battery, error);

      if (n < 0)
        return FALSE;
      if (n > 0)
        g_hash_table_add (updated, key);
    }
  return TRUE;
}

/* One transaction for @batch. On success merges the new states into
 * self->changes and the counters; on failure nothing is counted. */
static gboolean
write_batch (RlFeed     *self,
             RlStore    *store,
             GHashTable *devices,
             GPtrArray  *batch,
             GError    **error)
{
  g_autoptr (RlStoreBatch) tx = NULL;
  g_autoptr (GHashTable) touched = NULL; /* device id → Device (new state, borrowed keys) */
  g_autoptr (GArray) ops = rl_feed_alert_ops_new ();
  g_autoptr (GHashTable) newest = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) updated = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) linked = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GByteArray) stored = g_byte_array_sized_new (batch->len);
  RlFeedCounters delta = { 0 };
  RlFeedRules    rules;
  GHashTableIter iter;
  gpointer       key, value;

  g_mutex_lock (&self->lock);
  rules = self->rules;
  g_mutex_unlock (&self->lock);
  tx = rl_store_batch_begin (store, error);
  if (tx == NULL)
    return FALSE;
  touched = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, rl_feed_device_free);

  /* The history first: every reading, duplicates ignored (stored[i]). */
  g_byte_array_set_size (stored, batch->len);
  for (guint i = 0; i < batch->len; i++)
    {
      Msg                 *msg = g_ptr_array_index (batch, i);
      RlStoreReadingResult added;
      Msg                 *before;

      stored->data[i] = FALSE;
      if (msg->kind != MSG_READING || !g_hash_table_contains (devices, msg->device_id))
        continue;
      added = rl_store_batch_add_reading (tx, msg->device_id, msg->ts_ms, msg->fill, msg->weight,
                                          msg->temperature, msg->humidity, msg->battery, error);
      if (added == RL_STORE_READING_ERROR)
        return FALSE;
      if (added == RL_STORE_READING_DUPLICATE)
        continue;
      stored->data[i] = TRUE;
      before = g_hash_table_lookup (newest, msg->device_id);
      if (before == NULL || msg->ts_ms > before->ts_ms)
        g_hash_table_insert (newest, msg->device_id, msg);
    }
  /* Then each device's row, once. */
  if (!update_newest (tx, newest, updated, error))
    return FALSE;

  for (guint i = 0; i < batch->len; i++)
    {
      Msg    *msg = g_ptr_array_index (batch, i);
      Device *known, *next;

      if (msg->kind == MSG_OUTAGE)
        {
          /* In the batch's transaction: a retried batch writes it once. */
          if (!rl_store_add_feed_outage (store, msg->outage_from_ms, msg->ts_ms, msg->lost_url,
                                         msg->resumed_url, error))
            return FALSE;
          continue;
        }
      if (msg->kind == MSG_STOP || msg->kind == MSG_FENCE)
        continue;
      known = g_hash_table_lookup (devices, msg->device_id);
      if (known == NULL)
        {
          delta.rejected[RL_FEED_REJECT_UNKNOWN_DEVICE]++;
          continue;
        }
      next = g_hash_table_lookup (touched, msg->device_id);
      if (next == NULL)
        {
          next = g_memdup2 (known, sizeof *known);
          next->drop_point_id = g_strdup (known->drop_point_id);
          g_hash_table_insert (touched, msg->device_id, next);
        }

      switch (msg->kind)
        {
        case MSG_READING:
          if (!stored->data[i])
            {
              delta.duplicates++;
              break;
            }
          /* Older than the cached one (the row refused the batch's newest),
           * or than what came before it. */
          if (!g_hash_table_contains (updated, msg->device_id)
              || msg->ts_ms <= next->last_reading_ms)
            {
              delta.older++;
              break;
            }
          {
            delta.readings++;
            next->fill_level = msg->fill;
            next->last_reading_ms = msg->ts_ms;
            next->is_online = TRUE;
            rl_feed_rules_reading (ops, &rules, msg->device_id, next, msg);
          }
          break;

        case MSG_STATUS:
          if (rl_store_batch_update_link (tx, msg->device_id, msg->online, error) < 0)
            return FALSE;
          rl_feed_rules_status (ops, msg->device_id, next, msg);
          delta.statuses++;
          next->is_online = msg->online;
          g_hash_table_add (linked, msg->device_id);
          break;

        case MSG_ALERT:
          rl_feed_rules_alert_message (ops, msg->device_id, next, msg);
          delta.alerts++;
          break;

        case MSG_STOP:
        case MSG_FENCE:
        case MSG_OUTAGE:
        default:
          break;
        }
    }

  /* A device's row took its newest reading (online) before the batch's
   * link changes: the link as the batch leaves it, where both came. */
  {
    GHashTableIter link_iter;
    gpointer       id;

    g_hash_table_iter_init (&link_iter, linked);
    while (g_hash_table_iter_next (&link_iter, &id, NULL))
      {
        Device *next = g_hash_table_lookup (touched, id);

        if (g_hash_table_contains (updated, id)
            && rl_store_batch_update_link (tx, id, next->is_online, error) < 0)
          return FALSE;
      }
  }

  /* The alerts last (see rl_feed_rules_flush), then one commit. */
  if (!rl_feed_rules_flush (tx, ops, &delta, error) || !rl_store_batch_commit (tx, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->counters.readings += delta.readings;
  self->counters.duplicates += delta.duplicates;
  self->counters.older += delta.older;
  self->counters.statuses += delta.statuses;
  self->counters.alerts += delta.alerts;
  self->counters.alert_records += delta.alert_records;
  self->counters.local_alerts += delta.local_alerts;
  self->counters.auto_resolved += delta.auto_resolved;
  self->counters.rejected[RL_FEED_REJECT_UNKNOWN_DEVICE] +=
      delta.rejected[RL_FEED_REJECT_UNKNOWN_DEVICE];
  self->counters.batches++;

  g_hash_table_iter_init (&iter, touched);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Device      *next = value;
      Device      *known = g_hash_table_lookup (devices, key);
      RlFeedPoint *point;

      known->latched = next->latched;
      known->last_seen_ms = next->last_seen_ms;
      if (known->fill_level == next->fill_level && known->is_online == next->is_online
          && known->has_alert == next->has_alert && known->last_reading_ms == next->last_reading_ms)
        continue;
      known->fill_level = next->fill_level;
      known->is_online = next->is_online;
      known->has_alert = next->has_alert;
      known->last_reading_ms = next->last_reading_ms;

      point = g_new0 (RlFeedPoint, 1);
      point->drop_point_id = g_strdup (known->drop_point_id);
      point->device_id = g_strdup (key);
      point->fill_level = known->fill_level;
      point->is_online = known->is_online;
      point->has_alert = known->has_alert;
      point->last_reading_ms = known->last_reading_ms;
      g_hash_table_replace (self->changes, point->drop_point_id, point);
      rl_feed_arm_dispatch_locked (self);
    }
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* The next message before @deadline, napping while there is none: a wait
 * on the queue is woken by every message pushed, a context switch each
 * (docs/feed.md "Ingest"). In a @backlog one empty nap is the end. */
static Msg *
gather_next (RlFeed  *self,
             gint64   deadline,
             gboolean backlog)
{
  Msg   *msg = g_async_queue_try_pop (self->queue);
  gint64 left;

  while (msg == NULL && (left = deadline - g_get_monotonic_time ()) > 0)
    {
      g_usleep ((gulong) MIN (left, WRITER_NAP_US));
      msg = g_async_queue_try_pop (self->queue);
      if (backlog)
        break;
    }
  return msg;
}

gpointer
rl_feed_writer_main (gpointer user_data)
{
  RlFeed *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) store = NULL;
  g_autoptr (GHashTable) devices = NULL;
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func (rl_feed_msg_free);
  gboolean stop = FALSE;
  gint64   last_offline_check = 0;

  store = rl_store_open (self->store_path, &error);
  if (store == NULL)
    {
      g_warning ("the feed cannot open the cache: %s", error->message);
      rl_feed_set_state (self, RL_FEED_STATE_RECONNECTING, error);
      /* Keep draining so the network thread never blocks; nothing is stored. */
    }
  else
    {
      /* The alerts' FTS index kept by the record writer, not per-row
       * triggers (rl-store-fts.c): no savepoint per alert. The feed's other
       * tables have no triggers. */
      rl_store_set_fts_by_hand (store, TRUE);
      /* A backlog's transaction is big (WRITER_BATCH): the default cache
       * spilled pages mid-transaction and read them back (docs/feed.md
       * "Ingest"); the sync engine's bulk settings, as bench-sync found. */
      if (!rl_store_set_bulk_writer (store, &error))
        {
          g_warning ("the feed's cache settings: %s", error->message);
          g_clear_error (&error);
        }
      devices = load_devices (store);
    }

  while (!stop)
    {
      Msg        *msg = g_async_queue_timeout_pop (self->queue, WRITER_WAIT_US);
      gulong      retry_us = 50 * 1000;
      gint64      deadline, first_us;
      gboolean    backlog;
      RlFeedRules rules;

      if (store != NULL && g_atomic_int_compare_and_exchange (&self->reload, 1, 0))
        {
          g_hash_table_unref (devices);
          devices = load_devices (store);
        }
      g_mutex_lock (&self->lock);
      rules = self->rules;
      g_mutex_unlock (&self->lock);
      if (store != NULL
          && g_get_monotonic_time () - last_offline_check >= rl_feed_rules_offline_period_us (&rules))
        {
          if (!rl_feed_rules_check_offline (self, store, devices, &error))
            {
              g_warning ("storing OFFLINE alerts failed, trying again later: %s", error->message);
              g_clear_error (&error);
            }
          last_offline_check = g_get_monotonic_time ();
        }
      if (msg == NULL)
        continue;

      /* Gather for up to WRITER_GATHER_US after the first message, so a
       * trickle of readings still shares transactions (the main thread
       * hears of them only every RL_FEED_DISPATCH_INTERVAL_MS anyway). */
      first_us = g_get_monotonic_time ();
      deadline = first_us + WRITER_GATHER_US;
      backlog = FALSE;
      for (;;)
        {
          if (msg->kind == MSG_STOP)
            stop = TRUE;
          g_ptr_array_add (batch, msg);
          if (stop || batch->len >= WRITER_BATCH)
            break;
          msg = gather_next (self, deadline, backlog);
          /* A backlog (far more in the window than live traffic brings):
           * gather on while each nap finds more, up to WRITER_BACKLOG_US, so
           * each device's row is written once for more of its readings. */
          if (msg == NULL && !backlog && batch->len >= WRITER_BACKLOG_MIN)
            {
              backlog = TRUE;
              deadline = first_us + WRITER_BACKLOG_US;
              msg = gather_next (self, deadline, backlog);
            }
          if (msg == NULL)
            break;
        }

      while (store != NULL && !write_batch (self, store, devices, batch, &error))
        {
          g_warning ("storing %u feed messages failed, retrying: %s", batch->len, error->message);
          g_clear_error (&error);
          g_mutex_lock (&self->lock);
          self->counters.store_retries++;
          g_mutex_unlock (&self->lock);
          g_usleep (retry_us);
          retry_us = MIN (retry_us * 2, RETRY_MAX_US);
        }
      /* A replay waits for what it queued to be stored (rl-feed-record.c). */
      rl_feed_signal_fences (batch, store != NULL);
      g_ptr_array_set_size (batch, 0);
    }
  return NULL;
}
