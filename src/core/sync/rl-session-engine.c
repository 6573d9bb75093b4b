/* rl-session-engine.c — RlSession's sync engine: its properties and signal,
 * and the pull schedule (periodic, on demand, after drains, backed off).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pull is rl_session_sync_async (rl-session-sync.c). This file decides
 * when one runs: never two at once (a request while one runs becomes one
 * more run after it), every pull-interval seconds while the server answers,
 * spaced out by rl-backoff while it fails, on demand, after a drain that
 * sent something, and on sign-in and reconnection. A successful pull starts
 * a drain of the outbox (rl-outbox-drain.c). See docs/sync.md.
 */
#include "config.h"

#include "rl-sync-engine.h"

#include "rl-backoff.h"
#include "rl-core-enums.h"
#include "rl-session-private.h"
#include "rl-store-async.h"
#include "rl-store-outbox.h"
#include "rl-time.h"

#define DEFAULT_PULL_INTERVAL_S 30
/* While the server fails, pulls are spaced out up to this. */
#define PULL_BACKOFF_CAP_MS (5 * 60 * 1000)

enum
{
  PROP_SYNCING,
  PROP_DRAINING,
  PROP_PULL_INTERVAL,
  PROP_LAST_SYNC_ERROR,
  PROP_HAS_SYNC_ERROR,
  PROP_NEXT_RETRY,
  PROP_FAILED_CHANGES,
  PROP_OPEN_CONFLICTS,
  PROP_AUTO_DRAIN,
  N_ENGINE_PROPS
};

static GParamSpec *properties[N_ENGINE_PROPS];
static guint       first_prop;

enum
{
  OUTBOX_SETTLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule_pull (RlSession *self);

/* ---- Properties --------------------------------------------------------------- */

static void
notify (RlSession *self,
        guint      prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

guint
rl_session_engine_class_init (GObjectClass *klass,
                              guint         first_prop_id)
{
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  first_prop = first_prop_id;
  properties[PROP_SYNCING] = g_param_spec_boolean ("syncing", NULL, NULL, FALSE, ro);
  properties[PROP_DRAINING] = g_param_spec_boolean ("draining", NULL, NULL, FALSE, ro);
  properties[PROP_PULL_INTERVAL] = g_param_spec_uint ("pull-interval", NULL, NULL, 0, 24 * 3600,
                                                      DEFAULT_PULL_INTERVAL_S, rw);
  properties[PROP_LAST_SYNC_ERROR] =
      g_param_spec_boxed ("last-sync-error", NULL, NULL, G_TYPE_ERROR, ro);
  properties[PROP_HAS_SYNC_ERROR] =
      g_param_spec_boolean ("has-sync-error", NULL, NULL, FALSE, ro);
  properties[PROP_NEXT_RETRY] =
      g_param_spec_int64 ("next-retry", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_FAILED_CHANGES] =
      g_param_spec_uint ("failed-changes", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_OPEN_CONFLICTS] =
      g_param_spec_uint ("open-conflicts", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_AUTO_DRAIN] = g_param_spec_boolean ("auto-drain", NULL, NULL, TRUE, rw);

  for (guint i = 0; i < N_ENGINE_PROPS; i++)
    g_object_class_install_property (klass, first_prop + 1 + i, properties[i]);

  signals[OUTBOX_SETTLED] =
      g_signal_new ("outbox-settled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 4, G_TYPE_INT64, RL_TYPE_OUTBOX_OUTCOME, G_TYPE_STRING,
                    G_TYPE_ERROR);
  return first_prop + N_ENGINE_PROPS;
}

void
rl_session_engine_init (RlSession *self)
{
  self->pull_interval_s = DEFAULT_PULL_INTERVAL_S;
  self->auto_drain = TRUE;
  self->pull_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->pull_waiters_next = g_ptr_array_new_with_free_func (g_object_unref);
}

gboolean
rl_session_engine_get_property (RlSession *self,
                                guint      prop_id,
                                GValue    *value)
{
  if (prop_id <= first_prop || prop_id > first_prop + N_ENGINE_PROPS)
    return FALSE;

  switch (prop_id - first_prop - 1)
    {
    case PROP_SYNCING:
      g_value_set_boolean (value, self->syncing);
      break;
    case PROP_DRAINING:
      g_value_set_boolean (value, self->draining);
      break;
    case PROP_PULL_INTERVAL:
      g_value_set_uint (value, self->pull_interval_s);
      break;
    case PROP_LAST_SYNC_ERROR:
      g_value_set_boxed (value, self->sync_error);
      break;
    case PROP_HAS_SYNC_ERROR:
      g_value_set_boolean (value, self->sync_error != NULL);
      break;
    case PROP_NEXT_RETRY:
      g_value_set_int64 (value, self->next_retry);
      break;
    case PROP_FAILED_CHANGES:
      g_value_set_uint (value, self->failed_changes);
      break;
    case PROP_OPEN_CONFLICTS:
      g_value_set_uint (value, self->open_conflicts);
      break;
    case PROP_AUTO_DRAIN:
      g_value_set_boolean (value, self->auto_drain);
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

gboolean
rl_session_engine_set_property (RlSession    *self,
                                guint         prop_id,
                                const GValue *value)
{
  if (prop_id <= first_prop || prop_id > first_prop + N_ENGINE_PROPS)
    return FALSE;

  switch (prop_id - first_prop - 1)
    {
    case PROP_PULL_INTERVAL:
      rl_session_set_pull_interval (self, g_value_get_uint (value));
      break;
    case PROP_AUTO_DRAIN:
      rl_session_set_auto_drain (self, g_value_get_boolean (value));
      break;
    default:
      return FALSE;
    }
  return TRUE;
}

void
rl_session_set_syncing (RlSession *self,
                        gboolean   syncing)
{
  if (self->syncing == syncing)
    return;
  self->syncing = syncing;
  notify (self, PROP_SYNCING);
}

void
rl_session_set_draining (RlSession *self,
                         gboolean   draining)
{
  if (self->draining == draining)
    return;
  self->draining = draining;
  notify (self, PROP_DRAINING);
}

void
rl_session_set_next_retry (RlSession *self,
                           gint64     when_ms)
{
  if (self->next_retry == when_ms)
    return;
  self->next_retry = when_ms;
  notify (self, PROP_NEXT_RETRY);
}

void
rl_session_set_sync_error (RlSession        *self,
                           RlSyncErrorSource source,
                           const GError     *error)
{
  GError **slot = source == RL_SYNC_ERROR_PULL ? &self->pull_error : &self->drain_error;
  GError  *other = source == RL_SYNC_ERROR_PULL ? self->drain_error : self->pull_error;
  gboolean had = self->sync_error != NULL;

  if (error == NULL && *slot == NULL)
    return;
  g_clear_error (slot);
  if (error != NULL)
    *slot = g_error_copy (error);
  /* The newest failure shows; clearing one shows the other's, if any. */
  g_clear_error (&self->sync_error);
  if (error != NULL)
    self->sync_error = g_error_copy (error);
  else if (other != NULL)
    self->sync_error = g_error_copy (other);
  notify (self, PROP_LAST_SYNC_ERROR);
  if (had != (self->sync_error != NULL))
    notify (self, PROP_HAS_SYNC_ERROR);
}

void
rl_session_engine_update_figures (RlSession *self)
{
  guint failed = 0, conflicts = 0;

  if (self->store != NULL)
    {
      failed = (guint) MAX (rl_store_outbox_count_attention (self->store), 0);
      conflicts = (guint) MAX (rl_store_count_open_conflicts (self->store), 0);
    }
  if (failed != self->failed_changes)
    {
      self->failed_changes = failed;
      notify (self, PROP_FAILED_CHANGES);
    }
  if (conflicts != self->open_conflicts)
    {
      self->open_conflicts = conflicts;
      notify (self, PROP_OPEN_CONFLICTS);
    }
}

void
rl_session_emit_outbox_settled (RlSession    *self,
                                gint64        row_id,
                                int           outcome,
                                const char   *conflict_id,
                                const GError *error)
{
  g_signal_emit (self, signals[OUTBOX_SETTLED], 0, row_id, outcome, conflict_id, error);
}

/* Finishes every task of *@slot (a fresh array takes its place first:
 * callbacks may add waiters) with @error, or TRUE. */
static void
finish_waiters (GPtrArray   **slot,
                const GError *error)
{
  g_autoptr (GPtrArray) tasks = g_steal_pointer (slot);

  *slot = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    {
      if (error != NULL)
        g_task_return_error (g_ptr_array_index (tasks, i), g_error_copy (error));
      else
        g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
    }
}

void
rl_session_engine_finalize (RlSession *self)
{
  g_clear_pointer (&self->pull_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->pull_waiters_next, g_ptr_array_unref);
  g_clear_error (&self->pull_error);
  g_clear_error (&self->drain_error);
  g_clear_error (&self->sync_error);
}

void
rl_session_engine_reset (RlSession *self)
{
  g_autoptr (GError) cancelled =
      g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Signed out");

  g_clear_handle_id (&self->pull_source, g_source_remove);
  self->pull_generation++;
  self->pull_running = FALSE;
  self->pull_again = FALSE;
  self->pull_failures = 0;
  finish_waiters (&self->pull_waiters, cancelled);
  finish_waiters (&self->pull_waiters_next, cancelled);
  g_clear_pointer (&self->drain, rl_outbox_drain_free);
  rl_session_set_sync_error (self, RL_SYNC_ERROR_PULL, NULL);
  rl_session_set_sync_error (self, RL_SYNC_ERROR_DRAIN, NULL);
  rl_session_set_next_retry (self, 0);
}

/* ---- Pull ----------------------------------------------------------------------- */

static gboolean
pull_tick_cb (gpointer user_data)
{
  RlSession *self = user_data;

  self->pull_source = 0;
  /* Offline, the probe notices the server's return and pulls then. */
  if (self->state == RL_SESSION_STATE_ONLINE || self->state == RL_SESSION_STATE_SYNCING)
    rl_session_request_pull (self);
  else
    schedule_pull (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_pull (RlSession *self)
{
  gint64 delay_ms;

  g_clear_handle_id (&self->pull_source, g_source_remove);
  if (self->pull_interval_s == 0 || self->state == RL_SESSION_STATE_SIGNED_OUT)
    return;

  delay_ms = (gint64) self->pull_interval_s * 1000;
  if (self->pull_failures > 0)
    {
      RlBackoff backoff;

      /* Failing: the interval grows with full jitter, up to the cap, and
       * never comes sooner than the interval or the server's Retry-After. */
      rl_backoff_init (&backoff);
      backoff.base_ms = delay_ms;
      backoff.cap_ms = MAX (delay_ms, PULL_BACKOFF_CAP_MS);
      delay_ms = MAX (delay_ms,
                      rl_backoff_next_delay_ms (&backoff, self->pull_failures - 1,
                                                self->pull_error != NULL
                                                    ? rl_error_get_retry_after (self->pull_error) * 1000
                                                    : -1));
    }
  self->pull_source = g_timeout_add ((guint) MIN (delay_ms, (gint64) G_MAXUINT), pull_tick_cb, self);
}

static void start_pull (RlSession *self);

static void
pull_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RlSession *self = RL_SESSION (source); /* the task holds it meanwhile */
  g_autoptr (GError) error = NULL;
  guint    generation = GPOINTER_TO_UINT (user_data);
  gboolean ok;

  ok = rl_session_sync_finish (self, result, &error);
  /* Signed out (or in again) meanwhile: the waiters were told. */
  if (!self->pull_running || generation != self->pull_generation)
    return;
  self->pull_running = FALSE;

  if (ok)
    {
      self->pull_failures = 0;
      rl_session_set_sync_error (self, RL_SYNC_ERROR_PULL, NULL);
    }
  else if (g_error_matches (error, RL_SESSION_ERROR, RL_SESSION_ERROR_BUSY))
    g_debug ("pull: another sync is running");
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("pull failed: %s", error->message);
      self->pull_failures++;
      rl_session_set_sync_error (self, RL_SYNC_ERROR_PULL, error);
    }

  finish_waiters (&self->pull_waiters, ok ? NULL : error);

  if (self->state == RL_SESSION_STATE_SIGNED_OUT)
    return;
  if (ok)
    {
      rl_session_request_drain_now (self);
      rl_session_activity_pulled (self);
    }
  if (self->pull_again || self->pull_waiters_next->len > 0)
    start_pull (self);
  else
    schedule_pull (self);
}

static void
start_pull (RlSession *self)
{
  g_clear_handle_id (&self->pull_source, g_source_remove);
  self->pull_running = TRUE;
  self->pull_again = FALSE;
  g_ptr_array_extend_and_steal (self->pull_waiters, g_steal_pointer (&self->pull_waiters_next));
  self->pull_waiters_next = g_ptr_array_new_with_free_func (g_object_unref);
  rl_session_sync_async (self, NULL, pull_done_cb, GUINT_TO_POINTER (self->pull_generation));
}

void
rl_session_request_pull (RlSession *self)
{
  if (self->state == RL_SESSION_STATE_SIGNED_OUT || self->store == NULL)
    return;
  if (self->pull_running)
    {
      self->pull_again = TRUE;
      return;
    }
  start_pull (self);
}

guint
rl_session_get_pull_interval (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), 0);
  return self->pull_interval_s;
}

void
rl_session_set_pull_interval (RlSession *self,
                              guint      seconds)
{
  g_return_if_fail (RL_IS_SESSION (self));

  if (self->pull_interval_s == seconds)
    return;
  self->pull_interval_s = seconds;
  if (!self->pull_running)
    schedule_pull (self);
  notify (self, PROP_PULL_INTERVAL);
}

void
rl_session_pull_now (RlSession *self)
{
  g_return_if_fail (RL_IS_SESSION (self));
  rl_session_request_pull (self);
}

void
rl_session_pull_async (RlSession          *self,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (RL_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_session_pull_async);
  if (self->state == RL_SESSION_STATE_SIGNED_OUT || self->store == NULL)
    {
      g_task_return_new_error (task, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CREDENTIALS,
                               "Not signed in");
      return;
    }
  g_ptr_array_add (self->pull_waiters_next, g_steal_pointer (&task));
  rl_session_request_pull (self);
}

gboolean
rl_session_pull_finish (RlSession    *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
rl_session_get_syncing (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), FALSE);
  return self->syncing;
}

gboolean
rl_session_get_draining (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), FALSE);
  return self->draining;
}

const GError *
rl_session_get_last_sync_error (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), NULL);
  return self->sync_error;
}

gint64
rl_session_get_next_retry (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), 0);
  return self->next_retry;
}

guint
rl_session_get_failed_changes (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), 0);
  return self->failed_changes;
}

guint
rl_session_get_open_conflicts (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), 0);
  return self->open_conflicts;
}

gboolean
rl_session_get_auto_drain (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), FALSE);
  return self->auto_drain;
}

void
rl_session_set_auto_drain (RlSession *self,
                           gboolean   auto_drain)
{
  g_return_if_fail (RL_IS_SESSION (self));

  auto_drain = !!auto_drain;
  if (self->auto_drain == auto_drain)
    return;
  self->auto_drain = auto_drain;
  notify (self, PROP_AUTO_DRAIN);
  if (auto_drain)
    rl_session_request_drain (self);
}

/* ---- Resolution history --------------------------------------------------------- */

typedef struct
{
  char *entity_type;
  char *entity_id;
} HistoryData;

static void
history_data_free (HistoryData *data)
{
  g_free (data->entity_type);
  g_free (data->entity_id);
  g_free (data);
}

static gboolean
history_thread (RlStore      *store,
                gpointer      user_data,
                gpointer     *out_result,
                GCancellable *cancellable,
                GError      **error)
{
  HistoryData *data = user_data;
  JsonArray   *resolutions = rl_store_get_resolutions (store, data->entity_type, data->entity_id,
                                                       error);

  *out_result = resolutions;
  return resolutions != NULL;
}

static void
history_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  gpointer resolutions = NULL;

  if (!rl_store_run_finish (RL_STORE (source), result, rl_session_list_resolutions_async,
                            &resolutions, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, resolutions, (GDestroyNotify) json_array_unref);
}

void
rl_session_list_resolutions_async (RlSession          *self,
                                   const char         *entity_type,
                                   const char         *entity_id,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  HistoryData *data;

  g_return_if_fail (RL_IS_SESSION (self));
  g_return_if_fail (entity_type != NULL && entity_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_session_list_resolutions_async);
  if (self->store == NULL)
    {
      g_task_return_new_error (task, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CREDENTIALS,
                               "Not signed in");
      return;
    }
  data = g_new0 (HistoryData, 1);
  data->entity_type = g_strdup (entity_type);
  data->entity_id = g_strdup (entity_id);
  rl_store_run_in_thread (self->store, rl_session_list_resolutions_async, history_thread, data,
                          (GDestroyNotify) history_data_free, (GDestroyNotify) json_array_unref,
                          cancellable, history_done_cb, g_steal_pointer (&task));
}

JsonArray *
rl_session_list_resolutions_finish (RlSession    *self,
                                    GAsyncResult *result,
                                    GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
