/* rl-session-sync.c — the session's pull of /changes into the cache.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pages come from the API client (parsed in its worker) and are applied in
 * a worker on the sync's own connection, each page with its cursor in one
 * transaction, while the next page is fetched; 410 SYNC_RESET_REQUIRED
 * reloads from 0 and sweeps.
 */
#include "config.h"

#include "rl-session-private.h"

#include "rl-time.h"

#define CHANGES_PAGE_LIMIT 5000

#define META_LAST_SYNC "session.last-sync"

/* ---- sync ------------------------------------------------------------- */

/* The pull is a pipeline of two stages: the API client fetches (and, in its
 * own worker, parses) the next page while a worker applies the previous one,
 * each page with its cursor in one transaction. At most one page is applied
 * at a time and at most one waits, parsed, for its turn; a fetch's result
 * (page or error) is acted on only once no apply is in flight, so a 410 or a
 * failure never races a commit. */
typedef struct
{
  RlSession    *self;
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  gint64        since; /* the cursor of the last page applied */
  gboolean      reloading;
  guint         pages;
  guint         entries;
  guint         point_entries; /* of drop points and alerts */

  RlStore    *worker_store; /* the applying connection, opened by the first apply */
  gint64      fetch_since;  /* since of the fetch in flight or of `fetched` */
  gboolean    fetching;
  gboolean    applying;
  gboolean    ending;    /* sync_end was called: the stages start nothing more */
  GError     *end_error; /* what the pull ends with (NULL: success) */
  RlEnvelope *fetched;   /* fetched and parsed, waiting for the apply in flight */
  GError     *fetch_error;
} SyncData;

static void
sync_data_free (SyncData *data)
{
  if (data->caller_handler != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_handler);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->self);
  g_clear_object (&data->worker_store);
  g_clear_pointer (&data->fetched, rl_envelope_free);
  g_clear_error (&data->fetch_error);
  g_clear_error (&data->end_error);
  g_free (data);
}

static void
cancel_other_cb (GCancellable *cancellable,
                 gpointer      other)
{
  g_cancellable_cancel (G_CANCELLABLE (other));
}

typedef struct
{
  char             *path;
  RlStore          *store; /* the sync's worker connection, or NULL: open one */
  JsonArray        *entries;
  gint64            next_since;
  gboolean          has_more;
  RlStoreApplyStats stats;
} ApplyJob;

static void
apply_job_free (ApplyJob *job)
{
  g_free (job->path);
  g_clear_object (&job->store);
  g_clear_pointer (&job->entries, json_array_unref);
  g_free (job);
}

/* Worker thread: applying a page of thousands of records stays off the main
 * thread, on the sync's own connection (WAL), opened by the first page and
 * used by one apply at a time. */
static void
apply_page_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ApplyJob *job = task_data;
  g_autoptr (GError) error = NULL;

  if (job->store == NULL)
    {
      if ((job->store = rl_store_open (job->path, &error)) == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (!rl_store_set_bulk_writer (job->store, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  if (!rl_store_apply_changes (job->store, job->entries, job->next_since, &job->stats, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void fetch_page (GTask *task,
                        gint64 since);
static void advance (GTask *task);
static void sync_finished (GTask *task);

static void
checkpoint_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;

  /* PASSIVE: pages a reader still uses are left to a later checkpoint. */
  if (!rl_store_checkpoint (RL_STORE (task_data), &error))
    g_debug ("No checkpoint after the pull: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
checkpointed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SyncData *data = g_task_get_task_data (task);

  if (data->end_error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->end_error));
  else
    sync_finished (task);
}

/* Every end of a pull, with @error (taken) or NULL for success; later calls
 * do nothing. The worker connection first checkpoints what the pull wrote,
 * in a thread (up to 64 MB copied and the file synced), before anything
 * else writes: the main thread's next commit would do it otherwise. */
static void
sync_end (GTask  *task,
          GError *error)
{
  SyncData *data = g_task_get_task_data (task);
  g_autoptr (GTask) checkpoint = NULL;

  g_assert (!data->applying);
  if (data->ending)
    {
      g_clear_error (&error);
      return;
    }
  data->ending = TRUE;
  data->end_error = error;

  checkpoint = g_task_new (NULL, NULL, checkpointed_cb, g_object_ref (task));
  g_task_set_source_tag (checkpoint, checkpoint_thread);
  if (data->worker_store == NULL)
    {
      g_task_return_boolean (checkpoint, TRUE);
      return;
    }
  g_task_set_task_data (checkpoint, g_steal_pointer (&data->worker_store), g_object_unref);
  g_task_run_in_thread (checkpoint, checkpoint_thread);
}

static gboolean
sync_return_if_stopped (GTask *task)
{
  SyncData *data = g_task_get_task_data (task);

  if (data->ending)
    return TRUE;
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)) || data->self->store == NULL)
    {
      sync_end (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           "The sync was cancelled"));
      return TRUE;
    }
  return FALSE;
}

static void
page_applied_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SyncData  *data = g_task_get_task_data (task);
  RlSession *self = data->self;
  GTask     *apply_task = G_TASK (result);
  ApplyJob  *job = g_task_get_task_data (apply_task);
  g_autoptr (GError) error = NULL;

  data->applying = FALSE;
  /* The connection stays with the sync for the next page. */
  if (data->worker_store == NULL && job->store != NULL)
    data->worker_store = g_object_ref (job->store);

  if (!g_task_propagate_boolean (apply_task, &error))
    {
      sync_end (task, g_steal_pointer (&error));
      return;
    }
  if (sync_return_if_stopped (task))
    return;

  data->since = job->next_since;
  data->pages++;
  rl_session_update_store_figures (self);
  /* /changes gives no total: show progress as pages settle, slowing
   * towards 1 so the bar never claims to be done early. */
  if (job->has_more)
    rl_session_update_sync_progress (self, 1.0 - 1.0 / (1.0 + data->pages * 0.5));
  advance (task);
}

static void
start_apply (GTask      *task,
             RlEnvelope *page,
             JsonArray  *entries)
{
  SyncData *data = g_task_get_task_data (task);
  g_autoptr (GTask) apply_task = NULL;
  ApplyJob *job;

  job = g_new0 (ApplyJob, 1);
  job->path = g_strdup (rl_store_get_path (data->self->store));
  job->store = data->worker_store ? g_object_ref (data->worker_store) : NULL;
  job->entries = json_array_ref (entries);
  job->next_since = page->next_since >= 0 ? page->next_since : data->fetch_since;
  job->has_more = page->has_more && page->next_since > data->fetch_since;
  data->entries += json_array_get_length (entries);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode   *node = json_array_get_element (entries, i);
      const char *entity = JSON_NODE_HOLDS_OBJECT (node)
                               ? json_object_get_string_member_with_default (
                                   json_node_get_object (node), "entity", NULL)
                               : NULL;

      if (g_strcmp0 (entity, "drop_point") == 0 || g_strcmp0 (entity, "alert") == 0)
        data->point_entries++;
    }
  data->applying = TRUE;

  apply_task = g_task_new (NULL, g_task_get_cancellable (task), page_applied_cb,
                           g_object_ref (task));
  g_task_set_source_tag (apply_task, apply_page_thread);
  g_task_set_task_data (apply_task, job, (GDestroyNotify) apply_job_free);
  g_task_run_in_thread (apply_task, apply_page_thread);

  /* The next page is fetched and parsed while this one is applied. */
  if (job->has_more)
    fetch_page (task, job->next_since);
}

/* The end of a successful pull: every page applied, nothing in flight. */
static void
sync_finished (GTask *task)
{
  SyncData  *data = g_task_get_task_data (task);
  RlSession *self = data->self;
  g_autoptr (GError) error = NULL;

  if (data->reloading)
    {
      if (rl_store_finish_reload (self->store, &error) < 0 && error != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      rl_session_update_store_figures (self);
    }

  self->last_sync = rl_time_now_ms ();
  {
    g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, self->last_sync);
    rl_store_set_meta (self->store, META_LAST_SYNC, text, NULL);
  }
  self->last_sync_point_changes = data->reloading ? G_MAXUINT : data->point_entries;
  /* The devices come from the drop points: read again only if the pull
   * brought something (an idle pull every 30 s re-read 100,000 of them). */
  if (self->feed != NULL && self->last_sync_point_changes > 0)
    rl_feed_reload_devices (self->feed);
  g_object_notify (G_OBJECT (self), "last-sync");
  g_task_return_boolean (task, TRUE);
}

/* Acts on what the stages report, once no apply is in flight. */
static void
advance (GTask *task)
{
  SyncData  *data = g_task_get_task_data (task);
  RlSession *self = data->self;

  if (data->ending || data->applying)
    return;

  if (data->fetch_error != NULL)
    {
      g_autoptr (GError) error = g_steal_pointer (&data->fetch_error);

      if (sync_return_if_stopped (task))
        return;
      if (g_error_matches (error, RL_ERROR, RL_ERROR_SYNC_RESET_REQUIRED) && !data->reloading)
        {
          g_autoptr (GError) reset_error = NULL;

          /* The cursor is older than the server's tombstones: reload all,
           * then drop what the reload did not bring. */
          g_debug ("changes feed asks for a reload");
          if (!rl_store_reset_for_reload (self->store, &reset_error))
            {
              sync_end (task, g_steal_pointer (&reset_error));
              return;
            }
          data->reloading = TRUE;
          data->since = 0;
          fetch_page (task, 0);
          return;
        }
      sync_end (task, g_steal_pointer (&error));
      return;
    }

  if (data->fetched != NULL)
    {
      g_autoptr (RlEnvelope) page = g_steal_pointer (&data->fetched);
      JsonArray *entries = rl_envelope_get_array (page);

      if (sync_return_if_stopped (task))
        return;
      if (entries == NULL)
        {
          sync_end (task, g_error_new_literal (RL_ERROR, RL_ERROR_BAD_RESPONSE,
                                               "The changes feed did not return a list"));
          return;
        }
      start_apply (task, page, entries);
      return;
    }

  if (!data->fetching)
    sync_end (task, NULL);
}

static void
changes_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SyncData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  RlEnvelope *page;

  data->fetching = FALSE;
  page = rl_api_changes_finish (RL_API (source), result, &error);
  if (data->ending)
    {
      g_clear_pointer (&page, rl_envelope_free);
      return;
    }
  if (page == NULL)
    data->fetch_error = g_steal_pointer (&error);
  else
    data->fetched = page;
  advance (task);
}

static void
fetch_page (GTask *task,
            gint64 since)
{
  SyncData *data = g_task_get_task_data (task);

  g_assert (!data->fetching && data->fetched == NULL && data->fetch_error == NULL);
  data->fetching = TRUE;
  data->fetch_since = since;
  rl_api_changes_async (data->self->api, since, CHANGES_PAGE_LIMIT,
                        g_task_get_cancellable (task), changes_cb, g_object_ref (task));
}

/* Sign-in, restore and reconnection: pull, and send what waits. */
void
rl_session_start_background_sync (RlSession *self)
{
  rl_session_request_pull (self);
  rl_session_request_drain_now (self);
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GTask) outer = user_data;
  RlSession *self = g_task_get_source_object (outer);
  g_autoptr (GError) error = NULL;

  GCancellable *combined = g_task_get_cancellable (G_TASK (result));
  GCancellable *caller = g_object_get_data (G_OBJECT (combined), "rl-caller-cancellable");

  if (caller != NULL)
    g_cancellable_disconnect (caller, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (combined),
                                                                           "rl-caller-handler")));

  rl_session_set_syncing (self, FALSE);
  rl_session_update_sync_progress (self, -1.0);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (self->state == RL_SESSION_STATE_SYNCING)
        rl_session_update_state (self, rl_session_error_is_unreachable (error)
                                           ? RL_SESSION_STATE_OFFLINE
                                           : RL_SESSION_STATE_ONLINE);
      if (rl_session_error_is_unreachable (error))
        rl_session_update_reachable (self, FALSE);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  if (self->state == RL_SESSION_STATE_SYNCING)
    rl_session_update_state (self, RL_SESSION_STATE_ONLINE);
  rl_session_update_store_figures (self);
  g_task_return_boolean (outer, TRUE);
}

void
rl_session_sync_async (RlSession          *self,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GTask) inner = NULL;
  SyncData *data;
  g_autoptr (GCancellable) combined = NULL;

  g_return_if_fail (RL_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_session_sync_async);

  if (self->api == NULL || self->store == NULL || self->state == RL_SESSION_STATE_SIGNED_OUT)
    {
      g_task_return_new_error (task, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CREDENTIALS,
                               "Not signed in");
      return;
    }
  if (self->syncing)
    {
      g_task_return_new_error (task, RL_SESSION_ERROR, RL_SESSION_ERROR_BUSY,
                               "A sync is already running");
      return;
    }

  rl_session_set_syncing (self, TRUE);
  rl_session_update_sync_progress (self, 0.0);
  rl_session_update_state (self, RL_SESSION_STATE_SYNCING);

  /* Sign-out stops the sync (the session's cancellable); so does the
   * caller's, which cancels only this sync. */
  combined = g_cancellable_new ();
  data = g_new0 (SyncData, 1);
  data->self = g_object_ref (self);
  data->caller_handler = g_cancellable_connect (self->cancellable, G_CALLBACK (cancel_other_cb),
                                                g_object_ref (combined), g_object_unref);
  data->caller_cancellable = g_object_ref (self->cancellable);
  if (cancellable != NULL)
    {
      /* Tracked through a second small task-data-free hook below. */
      g_object_set_data_full (G_OBJECT (combined), "rl-caller-cancellable",
                              g_object_ref (cancellable), g_object_unref);
      g_object_set_data (G_OBJECT (combined), "rl-caller-handler",
                         GSIZE_TO_POINTER (g_cancellable_connect (cancellable,
                                                                  G_CALLBACK (cancel_other_cb),
                                                                  combined, NULL)));
    }
  data->since = rl_store_is_reloading (self->store) ? 0 : rl_store_get_cursor (self->store);
  data->reloading = rl_store_is_reloading (self->store);

  inner = g_task_new (NULL, combined, sync_done_cb, g_steal_pointer (&task));
  g_task_set_task_data (inner, data, (GDestroyNotify) sync_data_free);
  fetch_page (inner, data->since);
}

gboolean
rl_session_sync_finish (RlSession    *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
