/* rl-store-monitor.c — change sets, the per-file hub, and RlStoreMonitor.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: change sets, the hub (one per file, shared by this process's
 * connections), the store's pending changes, the monitor.
 */
#include "config.h"

#include "rl-store-monitor.h"
#include "rl-store-private.h"

/* A monitor dispatches at most this often, so a stream of commits (the feed
 * writes a batch every few ms under load) reaches the UI as a few batches a
 * second, not one per commit. */
#define MONITOR_INTERVAL_US (50 * G_TIME_SPAN_MILLISECOND)

/* ---- Change sets ----------------------------------------------------------- */

struct _RlStoreChanges
{
  gatomicrefcount ref_count;
  /* entity (owned) → GHashTable of ids (owned), or NULL: the whole table */
  GHashTable *entities;
};

G_DEFINE_BOXED_TYPE (RlStoreChanges, rl_store_changes, rl_store_changes_ref, rl_store_changes_unref)

static void
free_ids (gpointer data)
{
  if (data != NULL)
    g_hash_table_unref (data);
}

RlStoreChanges *
rl_store_changes_new (void)
{
  RlStoreChanges *changes = g_new0 (RlStoreChanges, 1);

  g_atomic_ref_count_init (&changes->ref_count);
  changes->entities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_ids);
  return changes;
}

RlStoreChanges *
rl_store_changes_ref (RlStoreChanges *changes)
{
  g_return_val_if_fail (changes != NULL, NULL);

  g_atomic_ref_count_inc (&changes->ref_count);
  return changes;
}

void
rl_store_changes_unref (RlStoreChanges *changes)
{
  g_return_if_fail (changes != NULL);

  if (g_atomic_ref_count_dec (&changes->ref_count))
    {
      g_hash_table_unref (changes->entities);
      g_free (changes);
    }
}

void
rl_store_changes_add (RlStoreChanges *changes,
                      const char     *entity,
                      const char     *id)
{
  GHashTable *ids;
  gpointer    found;

  g_return_if_fail (changes != NULL);
  g_return_if_fail (entity != NULL);

  if (!g_hash_table_lookup_extended (changes->entities, entity, NULL, &found))
    {
      ids = id != NULL ? g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) : NULL;
      g_hash_table_insert (changes->entities, g_strdup (entity), ids);
    }
  else
    ids = found;

  if (ids == NULL) /* already the whole table */
    return;
  if (id == NULL || g_hash_table_size (ids) >= RL_STORE_CHANGES_MAX_IDS)
    {
      g_hash_table_insert (changes->entities, g_strdup (entity), NULL);
      return;
    }
  g_hash_table_add (ids, g_strdup (id));
}

void
rl_store_changes_merge (RlStoreChanges *changes,
                        RlStoreChanges *other)
{
  GHashTableIter iter;
  gpointer       entity, ids;

  g_return_if_fail (changes != NULL);
  g_return_if_fail (other != NULL);

  g_hash_table_iter_init (&iter, other->entities);
  while (g_hash_table_iter_next (&iter, &entity, &ids))
    {
      GHashTableIter id_iter;
      gpointer       id;

      if (ids == NULL)
        {
          rl_store_changes_add (changes, entity, NULL);
          continue;
        }
      g_hash_table_iter_init (&id_iter, ids);
      while (g_hash_table_iter_next (&id_iter, &id, NULL))
        rl_store_changes_add (changes, entity, id);
    }
}

gboolean
rl_store_changes_is_empty (RlStoreChanges *changes)
{
  g_return_val_if_fail (changes != NULL, TRUE);

  return g_hash_table_size (changes->entities) == 0;
}

gboolean
rl_store_changes_has_entity (RlStoreChanges *changes,
                             const char     *entity)
{
  g_return_val_if_fail (changes != NULL, FALSE);
  g_return_val_if_fail (entity != NULL, FALSE);

  return g_hash_table_contains (changes->entities, entity);
}

gboolean
rl_store_changes_is_whole (RlStoreChanges *changes,
                           const char     *entity)
{
  gpointer ids;

  g_return_val_if_fail (changes != NULL, FALSE);
  g_return_val_if_fail (entity != NULL, FALSE);

  return g_hash_table_lookup_extended (changes->entities, entity, NULL, &ids) && ids == NULL;
}

const char **
rl_store_changes_get_ids (RlStoreChanges *changes,
                          const char     *entity,
                          guint          *n_ids)
{
  GHashTable  *ids;
  guint        n = 0;
  const char **out;

  g_return_val_if_fail (changes != NULL, NULL);
  g_return_val_if_fail (entity != NULL, NULL);

  ids = g_hash_table_lookup (changes->entities, entity);
  if (ids != NULL)
    out = (const char **) g_hash_table_get_keys_as_array (ids, &n);
  else
    out = NULL;
  if (n_ids != NULL)
    *n_ids = n;
  return out;
}

/* ---- The hub: one per file ------------------------------------------------- */

typedef struct
{
  gatomicrefcount     ref_count;
  GMainContext       *context;
  RlStoreMonitor     *monitor; /* NULL once the monitor is gone (read on its context) */
  RlStoreChanges     *pending; /* under the hub's mutex */
  GSource            *source;  /* scheduled dispatch, under the hub's mutex */
  gint64              last_dispatch_us;
  struct _RlStoreHub *hub;
} Watch;

struct _RlStoreHub
{
  GMutex mutex;
  GList *watches; /* Watch* (a reference each) */
};

RlStoreHub *
rl_store_hub_for (const char *canonical_path)
{
  static GMutex      lock;
  static GHashTable *hubs; /* canonical path → RlStoreHub*, for the process's life */
  RlStoreHub        *hub;

  g_mutex_lock (&lock);
  if (hubs == NULL)
    hubs = g_hash_table_new (g_str_hash, g_str_equal);
  hub = g_hash_table_lookup (hubs, canonical_path);
  if (hub == NULL)
    {
      hub = g_new0 (RlStoreHub, 1);
      g_mutex_init (&hub->mutex);
      g_hash_table_insert (hubs, g_strdup (canonical_path), hub);
    }
  g_mutex_unlock (&lock);
  return hub;
}

static Watch *
watch_ref (Watch *watch)
{
  g_atomic_ref_count_inc (&watch->ref_count);
  return watch;
}

static void
watch_unref (gpointer data)
{
  Watch *watch = data;

  if (g_atomic_ref_count_dec (&watch->ref_count))
    {
      g_clear_pointer (&watch->pending, rl_store_changes_unref);
      g_main_context_unref (watch->context);
      g_free (watch);
    }
}

static void monitor_emit_changed (RlStoreMonitor *self,
                                  RlStoreChanges *changes);

static gboolean
watch_dispatch_cb (gpointer user_data)
{
  Watch          *watch = user_data;
  RlStoreHub     *hub = watch->hub;
  RlStoreChanges *changes;

  g_mutex_lock (&hub->mutex);
  changes = g_steal_pointer (&watch->pending);
  g_clear_pointer (&watch->source, g_source_unref);
  watch->last_dispatch_us = g_get_monotonic_time ();
  g_mutex_unlock (&hub->mutex);

  if (changes != NULL)
    {
      if (watch->monitor != NULL)
        monitor_emit_changed (watch->monitor, changes);
      rl_store_changes_unref (changes);
    }
  return G_SOURCE_REMOVE;
}

/* Called with the hub's mutex held. */
static void
watch_schedule (Watch *watch)
{
  gint64 wait_us;

  if (watch->source != NULL)
    return;
  wait_us = watch->last_dispatch_us + MONITOR_INTERVAL_US - g_get_monotonic_time ();
  if (wait_us > 0)
    watch->source = g_timeout_source_new ((guint) (wait_us / 1000) + 1);
  else
    watch->source = g_idle_source_new ();
  /* Below GTK's redraw priority: a frame is not held up by bookkeeping. */
  g_source_set_priority (watch->source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_static_name (watch->source, "[reloop] store changes");
  g_source_set_callback (watch->source, watch_dispatch_cb, watch_ref (watch), watch_unref);
  g_source_attach (watch->source, watch->context);
}

void
rl_store_hub_publish (RlStoreHub     *hub,
                      RlStoreChanges *changes)
{
  g_return_if_fail (hub != NULL);
  g_return_if_fail (changes != NULL);

  if (rl_store_changes_is_empty (changes))
    return;

  g_mutex_lock (&hub->mutex);
  for (GList *l = hub->watches; l != NULL; l = l->next)
    {
      Watch *watch = l->data;

      if (watch->pending == NULL)
        watch->pending = rl_store_changes_new ();
      rl_store_changes_merge (watch->pending, changes);
      watch_schedule (watch);
    }
  g_mutex_unlock (&hub->mutex);
}

/* ---- A connection's pending changes ------------------------------------------ */

void
rl_store_note_change (RlStore    *self,
                      const char *entity,
                      const char *id)
{
  if (self->pending_changes == NULL)
    self->pending_changes = rl_store_changes_new ();
  rl_store_changes_add (self->pending_changes, entity, id);
  /* A write outside a transaction is already committed. */
  if (!self->in_transaction)
    rl_store_publish_pending (self);
}

void
rl_store_publish_pending (RlStore *self)
{
  g_autoptr (RlStoreChanges) changes = g_steal_pointer (&self->pending_changes);

  if (changes != NULL && self->hub != NULL)
    rl_store_hub_publish (self->hub, changes);
}

void
rl_store_drop_pending (RlStore *self)
{
  g_clear_pointer (&self->pending_changes, rl_store_changes_unref);
}

/* ---- The monitor ------------------------------------------------------------ */

struct _RlStoreMonitor
{
  GObject parent_instance;
  char   *path;
  Watch  *watch;
};

G_DEFINE_FINAL_TYPE (RlStoreMonitor, rl_store_monitor, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
monitor_emit_changed (RlStoreMonitor *self,
                      RlStoreChanges *changes)
{
  g_signal_emit (self, signals[CHANGED], 0, changes);
}

static void
rl_store_monitor_dispose (GObject *object)
{
  RlStoreMonitor *self = RL_STORE_MONITOR (object);

  if (self->watch != NULL)
    {
      RlStoreHub *hub = self->watch->hub;
      GSource    *source;

      g_mutex_lock (&hub->mutex);
      hub->watches = g_list_remove (hub->watches, self->watch);
      self->watch->monitor = NULL;
      source = g_steal_pointer (&self->watch->source);
      g_mutex_unlock (&hub->mutex);
      if (source != NULL)
        {
          g_source_destroy (source);
          g_source_unref (source);
        }
      watch_unref (self->watch); /* the hub's reference */
      g_clear_pointer (&self->watch, watch_unref);
    }

  G_OBJECT_CLASS (rl_store_monitor_parent_class)->dispose (object);
}

static void
rl_store_monitor_finalize (GObject *object)
{
  RlStoreMonitor *self = RL_STORE_MONITOR (object);

  g_free (self->path);

  G_OBJECT_CLASS (rl_store_monitor_parent_class)->finalize (object);
}

static void
rl_store_monitor_class_init (RlStoreMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rl_store_monitor_dispose;
  object_class->finalize = rl_store_monitor_finalize;

  /**
   * RlStoreMonitor::changed:
   * @changes: what changed since the last emission
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1,
                                   RL_TYPE_STORE_CHANGES | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
rl_store_monitor_init (RlStoreMonitor *self)
{
}

RlStoreMonitor *
rl_store_monitor_new (RlStore *store)
{
  RlStoreMonitor *self;
  Watch          *watch;

  g_return_val_if_fail (RL_IS_STORE (store), NULL);
  g_return_val_if_fail (store->hub != NULL, NULL);

  self = g_object_new (RL_TYPE_STORE_MONITOR, NULL);
  self->path = g_strdup (store->path);

  watch = g_new0 (Watch, 1);
  g_atomic_ref_count_init (&watch->ref_count);
  watch->context = g_main_context_ref_thread_default ();
  watch->monitor = self;
  watch->hub = store->hub;
  self->watch = watch;

  g_mutex_lock (&store->hub->mutex);
  store->hub->watches = g_list_prepend (store->hub->watches, watch_ref (watch));
  g_mutex_unlock (&store->hub->mutex);

  return self;
}

const char *
rl_store_monitor_get_path (RlStoreMonitor *self)
{
  g_return_val_if_fail (RL_IS_STORE_MONITOR (self), NULL);

  return self->path;
}
