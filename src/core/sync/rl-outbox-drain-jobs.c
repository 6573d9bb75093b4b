/* rl-outbox-drain-jobs.c — the drain's worker: reading head rows and storing
 * answers, one job at a time on the drain's own connection.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A job runs in a GTask thread; the next starts when it is done, so the
 * drain's connection is used by one thread at a time and the answers of
 * one record are stored in the order they came. See rl-outbox-drain.c.
 */
#include "config.h"

#include "rl-outbox-drain-private.h"

#include "rl-session-private.h"
#include "rl-store-outbox.h"
#include "rl-time.h"

/* Head rows read at once. */
#define FETCH_LIMIT 64

typedef enum
{
  JOB_FETCH,
  JOB_SETTLE,
} JobKind;

typedef struct
{
  RlOutboxDrain  *drain;
  JobKind         kind;
  gint64          now_ms; /* FETCH: -1 sends rows waiting on a back-off too */
  GPtrArray      *rows;   /* FETCH: out */
  RlOutboxSettle *settle; /* SETTLE */
  char           *record_key;
  gint64          row_id;
  GError         *reason; /* SETTLE: why it failed (main thread only) */
} Job;

static void run_next_job (RlOutboxDrain *drain);

/* ---- The worker's jobs --------------------------------------------------------- */

static void
job_free (Job *job)
{
  g_clear_pointer (&job->rows, g_ptr_array_unref);
  g_clear_pointer (&job->settle, rl_outbox_settle_free);
  g_free (job->record_key);
  g_clear_error (&job->reason);
  rl_outbox_drain_unref (job->drain);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr (GError) error = NULL;

  if (job->kind == JOB_FETCH)
    job->rows = rl_store_outbox_heads (job->drain->store, job->now_ms, FETCH_LIMIT, &error);
  else
    rl_outbox_settle_run (job->drain->store, job->settle, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
fetch_done (RlOutboxDrain *drain,
            Job           *job,
            GError        *error)
{
  drain->fetching = FALSE;
  if (error != NULL)
    {
      g_message ("Cannot read the outbox: %s", error->message);
      drain->stopping = TRUE;
      if (drain->pass_error == NULL)
        drain->pass_error = g_error_copy (error);
      rl_session_set_sync_error (drain->session, RL_SYNC_ERROR_DRAIN, error);
      return;
    }
  for (guint i = 0; i < job->rows->len; i++)
    {
      RlOutboxRow *row = g_ptr_array_index (job->rows, i);

      if (!g_hash_table_contains (drain->busy_rows, &row->id))
        g_queue_push_tail (&drain->queue, rl_outbox_row_copy (row));
    }
}

static void
settle_done (RlOutboxDrain *drain,
             Job           *job,
             GError        *error)
{
  RlSession      *self = drain->session;
  RlOutboxSettle *settle = job->settle;

  rl_outbox_drain_unmark_busy (drain, job->record_key, job->row_id);
  if (error != NULL)
    {
      /* The user changed or discarded the row meanwhile: nothing to do. */
      if (g_error_matches (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND))
        return;
      g_message ("Cannot store the answer to outbox row %" G_GINT64_FORMAT ": %s", job->row_id,
                 error->message);
      drain->stopping = TRUE;
      if (drain->pass_error == NULL)
        drain->pass_error = g_error_copy (error);
      rl_session_set_sync_error (self, RL_SYNC_ERROR_DRAIN, error);
      return;
    }

  switch (settle->outcome)
    {
    case RL_OUTBOX_OUTCOME_SENT:
      drain->stats.sent++;
      break;
    case RL_OUTBOX_OUTCOME_MERGED:
      drain->stats.merged++;
      break;
    case RL_OUTBOX_OUTCOME_CONFLICT:
      drain->stats.conflicts++;
      break;
    case RL_OUTBOX_OUTCOME_FAILED:
      drain->stats.failed++;
      break;
    case RL_OUTBOX_OUTCOME_DEFERRED:
      drain->stats.deferred++;
      break;
    default:
      g_assert_not_reached ();
    }
  if (settle->outcome != RL_OUTBOX_OUTCOME_DEFERRED)
    drain->failures = 0;

  rl_session_emit_outbox_settled (self, job->row_id, settle->outcome, settle->conflict_id,
                                  settle->outcome == RL_OUTBOX_OUTCOME_FAILED
                                          || settle->outcome == RL_OUTBOX_OUTCOME_DEFERRED
                                      ? job->reason
                                      : NULL);
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Job           *job = user_data;
  RlOutboxDrain *drain = rl_outbox_drain_ref (job->drain);
  g_autoptr (GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  drain->worker_busy = FALSE;
  if (drain->session != NULL)
    {
      if (job->kind == JOB_FETCH)
        fetch_done (drain, job, error);
      else
        settle_done (drain, job, error);
    }
  job_free (job);
  if (drain->session != NULL)
    {
      run_next_job (drain);
      rl_outbox_drain_pump (drain);
    }
  else
    g_queue_clear_full (&drain->jobs, (GDestroyNotify) job_free);
  rl_outbox_drain_unref (drain);
}

static void
run_next_job (RlOutboxDrain *drain)
{
  g_autoptr (GTask) task = NULL;
  Job *job;

  if (drain->worker_busy || (job = g_queue_pop_head (&drain->jobs)) == NULL)
    return;
  drain->worker_busy = TRUE;
  /* Not cancellable: a started transaction finishes, whatever happens. */
  task = g_task_new (NULL, NULL, job_done_cb, job);
  g_task_set_source_tag (task, run_next_job);
  g_task_set_task_data (task, job, NULL);
  g_task_run_in_thread (task, job_thread);
}

static void
queue_job (RlOutboxDrain *drain,
           Job           *job)
{
  job->drain = rl_outbox_drain_ref (drain);
  g_queue_push_tail (&drain->jobs, job);
  run_next_job (drain);
}

void
rl_outbox_drain_queue_settle (RlOutboxDrain  *drain,
                              RlOutboxSettle *settle,
                              const GError   *reason)
{
  Job *job = g_new0 (Job, 1);

  job->kind = JOB_SETTLE;
  job->reason = reason ? g_error_copy (reason) : NULL;
  job->settle = settle;
  job->record_key = rl_outbox_drain_record_key (settle->row);
  job->row_id = settle->row->id;
  queue_job (drain, job);
}

void
rl_outbox_drain_fetch (RlOutboxDrain *drain)
{
  Job *job = g_new0 (Job, 1);

  drain->fetching = TRUE;
  drain->dirty = FALSE;
  job->kind = JOB_FETCH;
  job->now_ms = drain->force ? -1 : rl_time_now_ms ();
  queue_job (drain, job);
}
