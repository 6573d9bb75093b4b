/* rl-outbox-drain.c — the drain: sends the outbox's rows, in order per record.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owned by the session. A pass sends the head row of each record (a record's
 * later rows wait for it; other records' rows go on, a few at a time), each
 * with its stored Idempotency-Key and If-Match, and hands every answer to
 * rl-outbox-settle.c in a worker thread on the drain's own connection (one
 * job at a time). The record stays busy until its answer is stored, so the
 * next row of that record is read only after the transaction that settled
 * the previous one. A transient failure (network, 5xx, 429, a bad body)
 * keeps the row, stops the pass and backs off (rl-backoff, Retry-After).
 * See docs/sync.md.
 */
#include "config.h"

#include "rl-sync-engine.h"

#include "rl-core-enums.h"
#include "rl-outbox-drain-private.h"
#include "rl-outbox-settle.h"
#include "rl-secrets.h"
#include "rl-session-private.h"
#include "rl-store-outbox.h"
#include "rl-time.h"

/* Rows of different records sent at once. */
#define MAX_IN_FLIGHT 4

/* A row on its way: what the callbacks of sending it share. */
typedef struct
{
  RlOutboxDrain *drain;
  RlOutboxRow   *row;
} Send;

/* ---- Lifetime ------------------------------------------------------------------- */

RlOutboxDrain *
rl_outbox_drain_ref (RlOutboxDrain *drain)
{
  drain->ref_count++;
  return drain;
}

void
rl_outbox_drain_unref (RlOutboxDrain *drain)
{
  if (--drain->ref_count > 0)
    return;
  g_assert (drain->session == NULL);
  g_queue_clear_full (&drain->queue, (GDestroyNotify) rl_outbox_row_free);
  g_assert (g_queue_is_empty (&drain->jobs));
  g_clear_pointer (&drain->busy_records, g_hash_table_unref);
  g_clear_pointer (&drain->busy_rows, g_hash_table_unref);
  g_clear_pointer (&drain->waiters, g_ptr_array_unref);
  g_clear_pointer (&drain->waiters_next, g_ptr_array_unref);
  g_clear_error (&drain->pass_error);
  g_clear_object (&drain->cancellable);
  g_clear_object (&drain->store);
  g_free (drain);
}

static RlOutboxDrain *
drain_new (RlSession *session,
           GError   **error)
{
  g_autoptr (RlStore) store = rl_store_open (rl_store_get_path (session->store), error);
  RlOutboxDrain *drain;

  if (store == NULL)
    return NULL;
  drain = g_new0 (RlOutboxDrain, 1);
  drain->ref_count = 1;
  drain->session = session;
  drain->store = g_steal_pointer (&store);
  drain->cancellable = g_cancellable_new ();
  rl_backoff_init (&drain->backoff);
  g_queue_init (&drain->queue);
  g_queue_init (&drain->jobs);
  drain->busy_records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  drain->busy_rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  drain->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  drain->waiters_next = g_ptr_array_new_with_free_func (g_object_unref);
  return drain;
}

static void
finish_waiters (GPtrArray          *waiters,
                const RlDrainStats *stats,
                const GError       *error)
{
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      g_task_set_task_data (task, g_memdup2 (stats, sizeof *stats), g_free);
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_ptr_array_set_size (waiters, 0);
}

/* The session lets go (sign-out, dispose): requests in flight are
 * cancelled; their callbacks find the drain detached and stop. */
void
rl_outbox_drain_free (RlOutboxDrain *drain)
{
  g_autoptr (GError) cancelled =
      g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Signed out");
  RlDrainStats none = { 0 };

  if (drain == NULL)
    return;
  drain->session = NULL;
  g_cancellable_cancel (drain->cancellable);
  g_clear_handle_id (&drain->retry_source, g_source_remove);
  finish_waiters (drain->waiters, &none, cancelled);
  finish_waiters (drain->waiters_next, &none, cancelled);
  rl_outbox_drain_unref (drain);
}

static RlOutboxDrain *
get_drain (RlSession *self)
{
  g_autoptr (GError) error = NULL;

  if (self->store == NULL)
    return NULL;
  if (self->drain != NULL
      && g_strcmp0 (rl_store_get_path (self->drain->store), rl_store_get_path (self->store)) != 0)
    g_clear_pointer (&self->drain, rl_outbox_drain_free);
  if (self->drain == NULL && (self->drain = drain_new (self, &error)) == NULL)
    {
      g_message ("Cannot open the cache to send the outbox: %s", error->message);
      rl_session_set_sync_error (self, RL_SYNC_ERROR_DRAIN, error);
    }
  return self->drain;
}

char *
rl_outbox_drain_record_key (const RlOutboxRow *row)
{
  return g_strdup_printf ("%s\x1f%s", row->entity ? row->entity : "",
                          row->entity_id ? row->entity_id : "");
}

static void
mark_busy (RlOutboxDrain     *drain,
           const RlOutboxRow *row)
{
  g_hash_table_add (drain->busy_records, rl_outbox_drain_record_key (row));
  g_hash_table_add (drain->busy_rows, g_memdup2 (&row->id, sizeof row->id));
  drain->n_in_flight++;
}

void
rl_outbox_drain_unmark_busy (RlOutboxDrain *drain,
                             const char    *key,
                             gint64         row_id)
{
  g_hash_table_remove (drain->busy_records, key);
  g_hash_table_remove (drain->busy_rows, &row_id);
  g_assert (drain->n_in_flight > 0);
  drain->n_in_flight--;
  drain->dirty = TRUE;
}

/* ---- Sending a row ------------------------------------------------------------- */

static RlSettleReply
classify (const GError *error)
{
  if (error == NULL)
    return RL_SETTLE_REPLY_OK;
  if (error->domain != RL_ERROR)
    return RL_SETTLE_REPLY_TRANSIENT;
  switch ((RlError) error->code)
    {
    case RL_ERROR_VERSION_CONFLICT:
      return RL_SETTLE_REPLY_VERSION_CONFLICT;
    case RL_ERROR_INVALID_STATE:
      return RL_SETTLE_REPLY_INVALID_STATE;
    case RL_ERROR_UNAUTHORIZED: /* a refresh that failed for now, or sign-out */
    case RL_ERROR_CIRCUIT_OPEN:
      return RL_SETTLE_REPLY_TRANSIENT;
    default:
      return rl_error_is_retryable (error) ? RL_SETTLE_REPLY_TRANSIENT : RL_SETTLE_REPLY_REFUSED;
    }
}

static char *
object_text (JsonObject *object)
{
  return rl_outbox_object_to_text (object);
}

static void
send_free (Send *send)
{
  rl_outbox_drain_unref (send->drain);
  rl_outbox_row_free (send->row);
  g_free (send);
}

/* The answer (or failure) to a row: to the worker. Takes @envelope. */
static void
settle_answer (RlOutboxDrain *drain,
               RlOutboxRow   *row,
               RlEnvelope    *envelope,
               const GError  *error)
{
  RlSession      *self = drain->session;
  RlSettleReply   reply = classify (error);
  RlOutboxSettle *settle = rl_outbox_settle_new (row, reply);

  settle->user_email = g_strdup (self->user_email);
  if (envelope != NULL)
    settle->answer = object_text (rl_envelope_get_object (envelope));
  if (error != NULL)
    {
      settle->code = g_strdup (rl_error_get_code_string (error));
      settle->status = rl_error_get_http_status (error);
      settle->message = g_strdup (error->message);
      settle->fields = object_text (rl_error_get_fields (error));
      settle->current = object_text (rl_error_get_current (error));
    }

  if (reply == RL_SETTLE_REPLY_TRANSIENT)
    {
      gint64 retry_after = error->domain == RL_ERROR ? rl_error_get_retry_after (error) : -1;
      gint64 delay;

      /* One failure of the server per pass, however many rows met it. */
      if (!drain->stopping)
        drain->failures++;
      delay = rl_backoff_next_delay_ms (&drain->backoff, drain->failures - 1,
                                        retry_after >= 0 ? retry_after * 1000 : -1);
      settle->next_attempt_ms = rl_time_now_ms () + delay;
      g_debug ("outbox row %" G_GINT64_FORMAT ": %s; again in %" G_GINT64_FORMAT " ms", row->id,
               error->message, delay);
      /* Send nothing more until then: the server is failing. */
      drain->stopping = TRUE;
      if (drain->pass_error == NULL)
        drain->pass_error = g_error_copy (error);
      rl_session_set_sync_error (self, RL_SYNC_ERROR_DRAIN, error);
    }
  rl_outbox_drain_queue_settle (drain, settle, error);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Send          *send = user_data;
  RlOutboxDrain *drain = send->drain;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = rl_api_request_finish (RL_API (source), result, &error);

  if (drain->session == NULL)
    {
      send_free (send);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *key = rl_outbox_drain_record_key (send->row);

      drain->stopping = TRUE;
      rl_outbox_drain_unmark_busy (drain, key, send->row->id);
      send_free (send);
      rl_outbox_drain_pump (drain);
      return;
    }
  settle_answer (drain, g_steal_pointer (&send->row), envelope, error);
  send_free (send);
}

static void
send_request (Send     *send,
              JsonNode *body)
{
  RlOutboxDrain      *drain = send->drain;
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;

  /* One attempt: the drain backs off itself, and the row's attempts and
   * last error are what the user sees. A 401 is still refreshed once. */
  options.flags = RL_API_REQUEST_NO_RETRY;
  options.if_match = rl_outbox_parse_if_match (send->row->if_match);
  options.idempotency_key = send->row->idempotency_key;
  options.expect = RL_ENVELOPE_EXPECT_ANY;
  rl_api_request_async (drain->session->api, send->row->method, send->row->path, NULL, body,
                        &options, drain->cancellable, sent_cb, send);
}

static void
secret_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Send          *send = user_data;
  RlOutboxDrain *drain = send->drain;
  g_autoptr (GError) error = NULL;
  char *value = rl_secrets_lookup_finish (result, &error);

  if (drain->session == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *key = rl_outbox_drain_record_key (send->row);

      rl_secrets_value_free (value);
      if (drain->session != NULL)
        {
          drain->stopping = TRUE;
          rl_outbox_drain_unmark_busy (drain, key, send->row->id);
          rl_outbox_drain_pump (drain);
        }
      send_free (send);
      return;
    }
  if (value == NULL)
    {
      g_autoptr (GError) reason = NULL;

      if (error != NULL)
        /* Locked, or no keyring: it may come back; the row waits. */
        reason = rl_error_new_full (RL_ERROR_UNAVAILABLE, 0, NULL, NULL, -1,
                                    "The keyring cannot give the secret: %s", error->message);
      else
        reason = rl_error_new_full (RL_ERROR_UNKNOWN, 0, "SECRET_MISSING", NULL, -1,
                                    "The secret is no longer in the keyring");
      settle_answer (drain, g_steal_pointer (&send->row), NULL, reason);
      send_free (send);
      return;
    }

  {
    g_autoptr (JsonBuilder) builder = json_builder_new ();
    g_autoptr (JsonNode) body = NULL;

    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "value");
    json_builder_add_string_value (builder, value);
    json_builder_end_object (builder);
    body = json_builder_get_root (builder);
    rl_secrets_value_free (value);
    send_request (send, body);
  }
}

static void
send_row (RlOutboxDrain *drain,
          RlOutboxRow   *row)
{
  RlSession *self = drain->session;
  Send      *send = g_new0 (Send, 1);

  send->drain = rl_outbox_drain_ref (drain);
  send->row = row;
  mark_busy (drain, row);

  if (row->kind == RL_OUTBOX_KIND_SECRET)
    {
      g_autoptr (JsonObject) extra = rl_outbox_object_from_text (row->extra);
      const char *provider = extra ? json_object_get_string_member_with_default (extra, "providerId",
                                                                                 row->entity_id)
                                   : row->entity_id;
      const char *field = extra ? json_object_get_string_member_with_default (extra, "key", NULL)
                                : NULL;

      /* The value is read from the keyring now; it never was in the cache. */
      rl_secrets_lookup_async (RL_SECRET_KIND_PROVIDER_SECRET, self->server_url, NULL, provider,
                               field, drain->cancellable, secret_read_cb, send);
      return;
    }

  {
    g_autoptr (JsonNode) body = row->body ? json_from_string (row->body, NULL) : NULL;

    send_request (send, body);
  }
}

/* ---- Passes ---------------------------------------------------------------------- */

static gboolean
retry_cb (gpointer user_data)
{
  RlOutboxDrain *drain = user_data;

  drain->retry_source = 0;
  if (drain->session != NULL)
    {
      rl_session_set_next_retry (drain->session, 0);
      rl_session_request_drain (drain->session);
    }
  return G_SOURCE_REMOVE;
}

static void start_pass (RlOutboxDrain *drain);

static void
end_pass (RlOutboxDrain *drain)
{
  RlSession *self = drain->session;
  g_autoptr (GError) error = g_steal_pointer (&drain->pass_error);
  g_autoptr (GPtrArray) waiters = g_steal_pointer (&drain->waiters);
  gint64 now = rl_time_now_ms ();
  gint64 next;

  drain->running = FALSE;
  drain->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_clear_full (&drain->queue, (GDestroyNotify) rl_outbox_row_free);

  drain->stats.pending = (guint) MAX (rl_store_outbox_count_pending (self->store), 0);
  drain->stats.attention = (guint) MAX (rl_store_outbox_count_attention (self->store), 0);
  if (error == NULL
      && (drain->stats.sent + drain->stats.merged + drain->stats.conflicts + drain->stats.failed > 0
          || drain->stats.pending == 0))
    rl_session_set_sync_error (self, RL_SYNC_ERROR_DRAIN, NULL);

  /* Rows backing off: a pass when the first is due. */
  g_clear_handle_id (&drain->retry_source, g_source_remove);
  next = rl_store_outbox_next_attempt (self->store, now);
  if (next > 0)
    drain->retry_source =
        g_timeout_add ((guint) MIN (next - now + 1, (gint64) G_MAXUINT), retry_cb, drain);
  rl_session_set_next_retry (self, next);

  g_debug ("drain: %u sent, %u merged, %u conflicts, %u failed, %u deferred; %u pending",
           drain->stats.sent, drain->stats.merged, drain->stats.conflicts, drain->stats.failed,
           drain->stats.deferred, drain->stats.pending);
  rl_session_set_draining (self, FALSE);

  /* A waiter's callback may sign out, which lets go of the drain. */
  rl_outbox_drain_ref (drain);
  finish_waiters (waiters, &drain->stats, error);
  if (drain->session != NULL)
    {
      /* What we sent changed the server, and a refusal (a 409 above all)
       * means it holds something newer: see it (and others' changes). */
      if (drain->stats.sent + drain->stats.merged + drain->stats.conflicts + drain->stats.failed > 0)
        rl_session_request_pull (self);
      if (drain->session != NULL && !drain->running
          && (drain->again || drain->waiters_next->len > 0))
        {
          drain->again = FALSE;
          start_pass (drain);
        }
    }
  rl_outbox_drain_unref (drain);
}

void
rl_outbox_drain_pump (RlOutboxDrain *drain)
{
  if (!drain->running || drain->session == NULL)
    return;

  while (!drain->stopping && drain->n_in_flight < MAX_IN_FLIGHT
         && !g_queue_is_empty (&drain->queue))
    {
      RlOutboxRow     *row = g_queue_pop_head (&drain->queue);
      g_autofree char *key = rl_outbox_drain_record_key (row);

      /* Its record is being sent: the row is read again after that. */
      if (g_hash_table_contains (drain->busy_records, key))
        {
          rl_outbox_row_free (row);
          continue;
        }
      send_row (drain, row);
    }

  if (!drain->stopping && !drain->fetching && drain->dirty && g_queue_is_empty (&drain->queue)
      && drain->n_in_flight < MAX_IN_FLIGHT)
    {
      rl_outbox_drain_fetch (drain);
      return;
    }

  if (drain->n_in_flight == 0 && !drain->fetching
      && (drain->stopping || (g_queue_is_empty (&drain->queue) && !drain->dirty)))
    end_pass (drain);
}

static void
start_pass (RlOutboxDrain *drain)
{
  RlSession *self = drain->session;

  g_assert (!drain->running);
  if (self->api == NULL)
    return;
  drain->running = TRUE;
  drain->force = drain->force_next;
  drain->force_next = FALSE;
  drain->stopping = FALSE;
  drain->dirty = TRUE;
  memset (&drain->stats, 0, sizeof drain->stats);
  g_clear_error (&drain->pass_error);
  g_ptr_array_extend_and_steal (drain->waiters, g_steal_pointer (&drain->waiters_next));
  drain->waiters_next = g_ptr_array_new_with_free_func (g_object_unref);
  g_clear_handle_id (&drain->retry_source, g_source_remove);
  rl_session_set_next_retry (self, 0);
  rl_session_set_draining (self, TRUE);
  rl_outbox_drain_pump (drain);
}

/* @force: rows waiting on a back-off go too (the server just answered). */
static void
request_drain (RlSession *self,
               gboolean   force)
{
  RlOutboxDrain *drain;

  if (!self->auto_drain || self->api == NULL
      || (self->state != RL_SESSION_STATE_ONLINE && self->state != RL_SESSION_STATE_SYNCING))
    return;
  if ((drain = get_drain (self)) == NULL)
    return;
  if (drain->running)
    {
      /* New rows join the pass under way, unless it is backing off. */
      drain->dirty = TRUE;
      if (force && drain->stopping)
        {
          drain->force_next = TRUE;
          drain->again = TRUE;
        }
      rl_outbox_drain_pump (drain);
      return;
    }
  /* Backing off: the timer sends them. */
  if (!force && drain->retry_source != 0)
    return;
  drain->force_next = drain->force_next || force;
  start_pass (drain);
}

void
rl_session_request_drain (RlSession *self)
{
  request_drain (self, FALSE);
}

void
rl_session_request_drain_now (RlSession *self)
{
  request_drain (self, TRUE);
}

gboolean
rl_outbox_drain_is_busy (RlSession *self,
                         gint64     row_id)
{
  return self->drain != NULL && g_hash_table_contains (self->drain->busy_rows, &row_id);
}

void
rl_outbox_drain_forget (RlSession *self,
                        gint64     row_id)
{
  RlOutboxDrain *drain = self->drain;

  if (drain == NULL)
    return;
  for (GList *l = drain->queue.head; l != NULL; l = l->next)
    {
      RlOutboxRow *row = l->data;

      if (row->id == row_id)
        {
          g_queue_delete_link (&drain->queue, l);
          rl_outbox_row_free (row);
          break;
        }
    }
  drain->dirty = TRUE;
}

/* ---- Public API --------------------------------------------------------------- */

void
rl_session_drain_async (RlSession          *self,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  RlOutboxDrain *drain;

  g_return_if_fail (RL_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_session_drain_async);
  if (self->state == RL_SESSION_STATE_SIGNED_OUT || self->api == NULL || self->store == NULL)
    {
      g_task_return_new_error (task, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CREDENTIALS,
                               "Not signed in");
      return;
    }
  if ((drain = get_drain (self)) == NULL)
    {
      if (self->drain_error != NULL)
        g_task_return_error (task, g_error_copy (self->drain_error));
      else
        g_task_return_new_error (task, RL_STORE_ERROR, RL_STORE_ERROR_OPEN,
                                 "Cannot open the cache");
      return;
    }
  g_ptr_array_add (drain->waiters_next, g_steal_pointer (&task));
  drain->force_next = TRUE;
  if (!drain->running)
    start_pass (drain);
}

gboolean
rl_session_drain_finish (RlSession    *self,
                         GAsyncResult *result,
                         RlDrainStats *out_stats,
                         GError      **error)
{
  RlDrainStats *stats;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  stats = g_task_get_task_data (G_TASK (result));
  if (out_stats != NULL)
    {
      if (stats != NULL)
        *out_stats = *stats;
      else
        memset (out_stats, 0, sizeof *out_stats);
    }
  return g_task_propagate_boolean (G_TASK (result), error);
}
