/* rl-api-request.c — RlApi's request engine: attempts, retries with
 * full-jitter backoff, Retry-After, the single-flight token refresh, the
 * circuit breaker, and worker-thread parsing of big bodies.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rl-api-private.h"

/* One request across its attempts. */
typedef struct
{
  char             *method;
  char             *url;
  char             *host;
  GBytes           *body;
  RlApiRequestFlags flags;
  gint64            if_match;
  char             *idempotency_key;
  RlEnvelopeExpect  expect;

  guint      attempts;         /* sent so far */
  gboolean   refreshed;        /* already retried after a 401 */
  gint64     started_ms;       /* monotonic */
  guint      token_generation; /* of the token the last attempt sent */
  RlCircuit *circuit;

  /* From the last response. */
  gint64   retry_after_ms;
  char    *etag;
  gboolean replayed;

  GSource *wait_source;
  GSource *cancel_source;
} Request;

static void
request_free (Request *req)
{
  g_assert (req->wait_source == NULL && req->cancel_source == NULL);
  g_free (req->method);
  g_free (req->url);
  g_free (req->host);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->idempotency_key);
  g_clear_object (&req->circuit);
  g_free (req->etag);
  g_free (req);
}

/* Ownership: each step of a request's chain (a send, a parse, a refresh, a
 * wait) holds its own reference to the task, and each callback owns the one
 * it was given (g_autoptr). The helpers below borrow the task. */
static void start_attempt (GTask *task);

static void
refresh_request_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RlApi *self = RL_API (source);
  g_autoptr (GPtrArray) waiters = g_steal_pointer (&self->refresh_waiters);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  g_autoptr (RlApiAuth) auth = NULL;

  envelope = rl_api_request_finish (self, result, &error);
  if (envelope != NULL)
    auth = rl_api_auth_from_envelope (envelope, &error);

  if (auth != NULL)
    {
      rl_api_count_refresh (self);
      /* Signed out or signed in again meanwhile: those tokens win. */
      if (self->token_generation == self->refresh_generation)
        rl_api_apply_auth (self, auth);
    }
  else if (error->domain == RL_ERROR
           && (error->code == RL_ERROR_UNAUTHORIZED || error->code == RL_ERROR_FORBIDDEN
               || error->code == RL_ERROR_BAD_REQUEST))
    {
      /* The refresh token itself was refused: the user must sign in again. */
      g_autoptr (GError) refused =
          rl_error_new_full (RL_ERROR_UNAUTHORIZED, rl_error_get_http_status (error), NULL, NULL,
                             -1, "%s", error->message);
      g_clear_error (&error);
      error = g_steal_pointer (&refused);
      if (self->token_generation == self->refresh_generation)
        {
          rl_api_set_tokens (self, NULL, NULL);
          rl_api_emit_auth_required (self);
        }
    }

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (auth != NULL)
        g_task_return_pointer (task, rl_api_auth_copy (auth), (GDestroyNotify) rl_api_auth_free);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

void
rl_api_refresh_async (RlApi              *self,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonNode) body = NULL;
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;

  g_return_if_fail (RL_IS_API (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_api_refresh_async);
  /* Shared by every waiter: one caller's cancellable does not end it. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->refresh_token == NULL)
    {
      g_task_return_new_error (task, RL_ERROR, RL_ERROR_UNAUTHORIZED, "Not signed in");
      return;
    }

  if (self->refresh_waiters != NULL)
    {
      g_ptr_array_add (self->refresh_waiters, g_steal_pointer (&task));
      return;
    }

  self->refresh_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->refresh_generation = self->token_generation;
  g_ptr_array_add (self->refresh_waiters, g_steal_pointer (&task));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "refreshToken");
  json_builder_add_string_value (builder, self->refresh_token);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  /* Refresh tokens rotate with a grace period, so a repeat is harmless. */
  options.flags =
      RL_API_REQUEST_NO_AUTH | RL_API_REQUEST_NO_IDEMPOTENCY_KEY | RL_API_REQUEST_IDEMPOTENT;
  options.expect = RL_ENVELOPE_EXPECT_OBJECT;
  /* Not cancellable: other requests may be waiting on it. */
  rl_api_request_async (self, "POST", "/auth/refresh", NULL, body, &options,
                        NULL, refresh_request_cb, NULL);
}

RlApiAuth *
rl_api_refresh_finish (RlApi        *self,
                       GAsyncResult *result,
                       GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* The request engine                                                  */

static gboolean
method_is_safe (const char *method)
{
  return g_str_equal (method, "GET") || g_str_equal (method, "HEAD")
         || g_str_equal (method, "OPTIONS");
}

static gboolean
request_may_repeat (Request *req)
{
  return method_is_safe (req->method) || req->idempotency_key != NULL
         || (req->flags & RL_API_REQUEST_IDEMPOTENT) != 0;
}

static gint64
now_ms (void)
{
  return g_get_monotonic_time () / 1000;
}

static void
finish_with_error (GTask  *task,
                   GError *error)
{
  RlApi *self = g_task_get_source_object (task);

  rl_api_set_last_error (self, error);
  g_task_return_error (task, error);
}

static GError *
new_cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The request was cancelled");
}

static void
finish_cancelled (GTask *task)
{
  finish_with_error (task, new_cancelled_error ());
}

static void
clear_wait (Request *req)
{
  if (req->wait_source != NULL)
    {
      g_source_destroy (req->wait_source);
      g_clear_pointer (&req->wait_source, g_source_unref);
    }
  if (req->cancel_source != NULL)
    {
      g_source_destroy (req->cancel_source);
      g_clear_pointer (&req->cancel_source, g_source_unref);
    }
}

/* The wait's sources own their reference (released when they are
 * destroyed, after this dispatch): the callbacks borrow it. */
static gboolean
wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;

  clear_wait (g_task_get_task_data (task));
  start_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;

  clear_wait (g_task_get_task_data (task));
  finish_cancelled (task);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (GTask *task,
                gint64 delay_ms)
{
  Request      *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GMainContext *context = g_task_get_context (task);

  req->wait_source = g_timeout_source_new ((guint) MIN (delay_ms, (gint64) G_MAXUINT));
  g_source_set_callback (req->wait_source, wait_done_cb, g_object_ref (task), g_object_unref);
  g_source_attach (req->wait_source, context);
  if (cancellable != NULL)
    {
      req->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (req->cancel_source, G_SOURCE_FUNC (wait_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (req->cancel_source, context);
    }
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (RlApiAuth) auth = NULL;
  GError *error = NULL;

  auth = rl_api_refresh_finish (RL_API (source), result, &error);
  if (auth == NULL)
    {
      finish_with_error (task, error);
      return;
    }
  start_attempt (task);
}

/* Every attempt ends here, with an envelope or an error. */
static void
handle_outcome (GTask      *task,
                RlEnvelope *envelope,
                GError     *error)
{
  RlApi   *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  gint64   delay_ms;

  if (envelope != NULL)
    {
      rl_circuit_record_success (req->circuit);
      rl_api_set_reachable (self, TRUE);
      envelope->etag = g_strdup (req->etag);
      envelope->replayed = req->replayed;
      g_task_return_pointer (task, envelope, (GDestroyNotify) rl_envelope_free);
      return;
    }

  /* Cancelled: says nothing about the server. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      rl_circuit_release (req->circuit);
      finish_with_error (task, error);
      return;
    }

  g_assert (error != NULL && error->domain == RL_ERROR);
  if (rl_circuit_error_is_failure (error))
    rl_circuit_record_failure (req->circuit);
  else
    rl_circuit_record_success (req->circuit);
  rl_api_set_reachable (self, error->code != RL_ERROR_NETWORK);

  if (req->retry_after_ms >= 0)
    rl_error_set_retry_after (error, (req->retry_after_ms + 999) / 1000);

  /* 401: one refresh (shared with every request that meets it), then one retry. */
  if (error->code == RL_ERROR_UNAUTHORIZED && (req->flags & RL_API_REQUEST_NO_AUTH) == 0
      && !req->refreshed && self->refresh_token != NULL)
    {
      req->refreshed = TRUE;
      g_clear_error (&error);
      if (req->token_generation != self->token_generation)
        start_attempt (task); /* someone refreshed while this one was in flight */
      else
        rl_api_refresh_async (self, NULL, refreshed_cb, g_object_ref (task));
      return;
    }

  /* A 401 that no refresh can fix: the user must sign in again. */
  if (error->code == RL_ERROR_UNAUTHORIZED && (req->flags & RL_API_REQUEST_NO_AUTH) == 0)
    {
      rl_api_emit_auth_required (self);
      finish_with_error (task, error);
      return;
    }

  if (!rl_error_is_retryable (error) || (req->flags & RL_API_REQUEST_NO_RETRY) != 0
      || !request_may_repeat (req) || req->attempts >= self->max_attempts)
    {
      finish_with_error (task, error);
      return;
    }

  delay_ms = rl_backoff_next_delay_ms (&self->backoff, req->attempts - 1, req->retry_after_ms);
  if (now_ms () + delay_ms - req->started_ms > self->deadline_ms)
    {
      g_debug ("%s %s: giving up, the next retry would pass the deadline", req->method, req->url);
      finish_with_error (task, error);
      return;
    }

  g_debug ("%s %s: attempt %u failed (%s); retrying in %" G_GINT64_FORMAT " ms",
           req->method, req->url, req->attempts, error->message, delay_ms);
  rl_api_set_last_error (self, error);
  g_clear_error (&error);
  rl_api_count_retry (self);
  schedule_retry (task, delay_ms);
}

typedef struct
{
  guint            status;
  char            *content_type;
  GBytes          *bytes;
  RlEnvelopeExpect expect;
} ParseJob;

static void
parse_job_free (ParseJob *job)
{
  g_free (job->content_type);
  g_bytes_unref (job->bytes);
  g_free (job);
}

static void
parse_in_thread (GTask        *ptask,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ParseJob   *job = task_data;
  GError     *error = NULL;
  RlEnvelope *envelope;

  envelope = rl_envelope_parse (job->status, job->content_type, job->bytes, job->expect, &error);
  if (envelope != NULL)
    g_task_return_pointer (ptask, envelope, (GDestroyNotify) rl_envelope_free);
  else
    g_task_return_error (ptask, error);
}

static void
parsed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError     *error = NULL;
  RlEnvelope *envelope = g_task_propagate_pointer (G_TASK (result), &error);

  handle_outcome (task, envelope, error);
}

static GError *
map_transport_error (const GError *error)
{
  /* Verification is on (libsoup's default, the system's authorities or the
   * CA file): a certificate it refuses is said as such, not as a network
   * failure, so the error can say what to do. */
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    return rl_error_new_full (RL_ERROR_TLS_CERTIFICATE, 0, NULL, NULL, -1,
                              "The server's certificate was not accepted: %s", error->message);
  return rl_error_new_full (RL_ERROR_NETWORK, 0, NULL, NULL, -1,
                            "Cannot reach the server: %s", error->message);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Request     *req = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  SoupMessageHeaders *headers;
  const char         *content_type;
  const char         *value;
  guint               status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        handle_outcome (task, NULL, new_cancelled_error ());
      else
        handle_outcome (task, NULL, map_transport_error (error));
      return;
    }

  status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  content_type = soup_message_headers_get_one (headers, "Content-Type");

  req->retry_after_ms = -1;
  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value != NULL
      && !rl_backoff_parse_retry_after (value, g_get_real_time () / 1000, &req->retry_after_ms))
    req->retry_after_ms = -1;
  g_free (req->etag);
  req->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  value = soup_message_headers_get_one (headers, "Idempotent-Replayed");
  req->replayed = value != NULL && g_ascii_strcasecmp (value, "true") == 0;

  if (g_bytes_get_size (bytes) > RL_API_THREAD_PARSE_BYTES)
    {
      /* Big pages are parsed off the main thread. */
      g_autoptr (GTask) ptask = g_task_new (NULL, NULL, parsed_cb, g_object_ref (task));
      ParseJob *job = g_new0 (ParseJob, 1);

      job->status = status;
      job->content_type = g_strdup (content_type);
      job->bytes = g_steal_pointer (&bytes);
      job->expect = req->expect;
      g_task_set_task_data (ptask, job, (GDestroyNotify) parse_job_free);
      g_task_run_in_thread (ptask, parse_in_thread);
    }
  else
    {
      GError     *parse_error = NULL;
      RlEnvelope *envelope = rl_envelope_parse (status, content_type, bytes, req->expect,
                                                &parse_error);

      handle_outcome (task, envelope, parse_error);
    }
}

static void
start_attempt (GTask *task)
{
  RlApi        *self = g_task_get_source_object (task);
  Request      *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (SoupMessage) msg = NULL;
  SoupMessageHeaders *headers;
  GError             *error = NULL;

  if (g_cancellable_is_cancelled (cancellable))
    {
      finish_cancelled (task);
      return;
    }

  if (!rl_circuit_acquire (req->circuit, &error))
    {
      rl_api_set_reachable (self, FALSE);
      finish_with_error (task, error);
      return;
    }

  msg = soup_message_new (req->method, req->url);
  if (msg == NULL)
    {
      rl_circuit_release (req->circuit);
      finish_with_error (task, rl_error_new_full (RL_ERROR_BAD_REQUEST, 0, NULL, NULL, -1,
                                                  "Invalid request URL “%s”", req->url));
      return;
    }

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  req->token_generation = self->token_generation;
  if ((req->flags & RL_API_REQUEST_NO_AUTH) == 0 && self->access_token != NULL)
    {
      g_autofree char *bearer = g_strdup_printf ("Bearer %s", self->access_token);

      soup_message_headers_replace (headers, "Authorization", bearer);
      memset (bearer, 0, strlen (bearer));
    }
  if (req->idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", req->idempotency_key);
  if (req->if_match >= 0)
    {
      g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", req->if_match);

      soup_message_headers_replace (headers, "If-Match", etag);
    }
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", req->body);

  req->attempts++;
  req->retry_after_ms = -1;
  rl_api_count_request (self);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    sent_cb, g_object_ref (task));
}

static char *
build_url (RlApi      *self,
           const char *path,
           GHashTable *query)
{
  /* The base URL has no trailing slash (rl_api_set_base_url). */
  GString *url = g_string_new (self->base_url);

  g_string_append (url, "/api/v1");
  if (path[0] != '/')
    g_string_append_c (url, '/');
  g_string_append (url, path);
  if (query != NULL && g_hash_table_size (query) > 0)
    {
      g_autofree char *encoded = soup_form_encode_hash (query);

      g_string_append_c (url, strchr (path, '?') != NULL ? '&' : '?');
      g_string_append (url, encoded);
    }
  return g_string_free (url, FALSE);
}

void
rl_api_request_async (RlApi                     *self,
                      const char                *method,
                      const char                *path,
                      GHashTable                *query,
                      JsonNode                  *body,
                      const RlApiRequestOptions *options,
                      GCancellable              *cancellable,
                      GAsyncReadyCallback        callback,
                      gpointer                   user_data)
{
  static const RlApiRequestOptions defaults = RL_API_REQUEST_OPTIONS_INIT;
  g_autoptr (GTask) task = NULL;
  Request *req;

  g_return_if_fail (RL_IS_API (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);

  if (options == NULL)
    options = &defaults;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_api_request_async);
  /* Cancellation is reported by the engine (G_IO_ERROR_CANCELLED), once
   * the attempt in flight is over and its circuit slot released. */
  g_task_set_check_cancellable (task, FALSE);

  req = g_new0 (Request, 1);
  req->method = g_ascii_strup (method, -1);
  req->url = build_url (self, path, query);
  req->host = rl_api_host_of (req->url);
  req->flags = options->flags;
  req->if_match = options->if_match;
  req->expect = options->expect;
  req->retry_after_ms = -1;
  req->started_ms = now_ms ();
  req->circuit = g_object_ref (rl_api_circuit_for_host (self, req->host));
  if (options->idempotency_key != NULL)
    req->idempotency_key = g_strdup (options->idempotency_key);
  else if (!method_is_safe (req->method)
           && (options->flags & RL_API_REQUEST_NO_IDEMPOTENCY_KEY) == 0)
    req->idempotency_key = g_uuid_string_random (); /* the same key on every retry */
  if (body != NULL)
    {
      gsize length = 0;
      char *text = json_to_string (body, FALSE);

      length = strlen (text);
      req->body = g_bytes_new_take (text, length);
    }
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  start_attempt (task);
}

RlEnvelope *
rl_api_request_finish (RlApi        *self,
                       GAsyncResult *result,
                       GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
