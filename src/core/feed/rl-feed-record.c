/* rl-feed-record.c — record the raw feed to a file, and replay such a file.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Record: the network thread copies each raw message (topic, receive time,
 * payload) onto the recorder's queue — one atomic read when not recording —
 * and the recorder's own thread encodes and writes one JSON line each
 * through a buffered stream. Replay: a worker reads the file line by line,
 * checks each line, and hands each message to rl_feed_take_message, what
 * the network thread runs on a live message; then it queues a fence and
 * waits until the writer has stored everything before it. See docs/feed.md
 * "Record, replay, export".
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "rl-feed-private.h"
#include "rl-time.h"

/* The recorder gives up rather than let its queue hold more than this. */
#define RECORD_MAX_QUEUED (256 * 1024 * 1024)
#define RECORD_BUFFER (256 * 1024)
/* A longer line is skipped (a payload over 64 KiB is rejected anyway; this
 * still replays a recorded too-large payload of up to ~12 MiB). */
#define REPLAY_MAX_LINE (16 * 1024 * 1024)
#define REPLAY_CHUNK (64 * 1024)
/* The replay waits while the writer has this much to do. */
#define REPLAY_MAX_QUEUED (4 * WRITER_BATCH)

typedef struct
{
  char   *topic; /* NULL: stop */
  gint64  received_ms;
  GBytes *payload;
} RecordItem;

typedef struct _RlFeedRecorder
{
  RlFeed        *feed;  /* not owned: rl_feed_record_stop runs before the feed goes */
  GAsyncQueue   *queue; /* RecordItem* */
  GThread       *thread;
  GOutputStream *out;
  GMainContext  *context;
  gint           queued_bytes; /* atomic: ≤ RECORD_MAX_QUEUED */
  gint           failed;       /* atomic: nothing more is written */
  gint           overflow;     /* atomic: the network thread gave up */
  GError        *error;        /* recorder thread; read by main after the join */
} RlFeedRecorder;

typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean done;
  gboolean stored;
} RlFeedFence;

typedef struct
{
  char   *path;
  char   *prefix;
  guint64 messages;
  guint64 bad_lines;
} ReplayData;

typedef struct _RlFeedReplayReader
{
  GInputStream *in;
  char          buf[REPLAY_CHUNK];
  gsize         pos, len;
  gboolean      eof;
  GByteArray   *line;
  guint64       n_line;
} LineReader;

/* ---- Record ------------------------------------------------------------- */

static void
record_item_free (gpointer data)
{
  RecordItem *item = data;

  g_free (item->topic);
  g_clear_pointer (&item->payload, g_bytes_unref);
  g_free (item);
}

/* A JSON string: '"', '\\' and control characters escaped. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
report_failure_cb (gpointer user_data)
{
  g_autoptr (RlFeed) self = user_data;
  RlFeedRecorder *recorder;

  /* Only the recording that failed, if it is still the current one. */
  g_mutex_lock (&self->record_lock);
  recorder = self->recorder;
  g_mutex_unlock (&self->record_lock);
  if (recorder != NULL && g_atomic_int_get (&recorder->failed))
    rl_feed_record_stop (self);
  return G_SOURCE_REMOVE;
}

/* Recorder thread: the first error ends the recording. */
static void
record_fail (RlFeedRecorder *recorder,
             GError         *error)
{
  g_debug ("recording the feed stopped: %s", error->message);
  if (recorder->error == NULL)
    recorder->error = error;
  else
    g_error_free (error);
  g_atomic_int_set (&recorder->failed, 1);
  /* A source, not g_main_context_invoke: that would run it right here when
   * no thread holds the context, and the stop joins this thread. */
  {
    g_autoptr (GSource) source = g_idle_source_new ();

    g_source_set_callback (source, report_failure_cb, g_object_ref (recorder->feed), NULL);
    g_source_set_name (source, "[reloop] feed recording failed");
    g_source_attach (source, recorder->context);
  }
}

static gpointer
record_main (gpointer user_data)
{
  RlFeedRecorder *recorder = user_data;
  g_autoptr (GString) line = g_string_sized_new (1024);
  GError *error = NULL;

  for (;;)
    {
      RecordItem *item = g_async_queue_pop (recorder->queue);
      gsize       size;

      if (item->topic == NULL)
        {
          record_item_free (item);
          break;
        }
      size = g_bytes_get_size (item->payload);
      if (g_atomic_int_get (&recorder->overflow) && recorder->error == NULL)
        record_fail (recorder,
                     g_error_new_literal (RL_FEED_ERROR, RL_FEED_ERROR_FAILED,
                                          "the recording fell behind the feed"));
      if (!g_atomic_int_get (&recorder->failed))
        {
          g_autofree char *when = rl_time_format_ms (item->received_ms);
          g_autofree char *b64 = g_base64_encode (g_bytes_get_data (item->payload, NULL), size);

          g_string_truncate (line, 0);
          g_string_append (line, "{\"topic\":");
          append_json_string (line, item->topic);
          g_string_append_printf (line, ",\"received\":\"%s\",\"payload\":\"%s\"}\n", when, b64);
          if (!g_output_stream_write_all (recorder->out, line->str, line->len, NULL, NULL,
                                          &error))
            {
              record_fail (recorder, error);
              error = NULL;
            }
        }
      g_atomic_int_add (&recorder->queued_bytes, -(gint) size);
      record_item_free (item);
    }

  /* Flushed on stop; a failed recording keeps what it wrote. */
  if (!g_output_stream_close (recorder->out, NULL, &error))
    {
      if (recorder->error == NULL)
        recorder->error = error;
      else
        g_error_free (error);
    }
  return NULL;
}

void
rl_feed_record_message (RlFeed     *self,
                        const char *topic,
                        const void *payload,
                        gsize       length)
{
  RlFeedRecorder *recorder;

  if (!g_atomic_int_get (&self->recording))
    return;

  g_mutex_lock (&self->record_lock);
  recorder = self->recorder;
  if (recorder != NULL && !g_atomic_int_get (&recorder->failed)
      && !g_atomic_int_get (&recorder->overflow))
    {
      /* The only producer: the check and the add cannot race. */
      if (length > RECORD_MAX_QUEUED
          || (gsize) g_atomic_int_get (&recorder->queued_bytes) + length > RECORD_MAX_QUEUED)
        {
          RecordItem *wake = g_new0 (RecordItem, 1);

          /* The recorder reports it at its next item (this one). */
          g_atomic_int_set (&recorder->overflow, 1);
          wake->topic = g_strdup ("");
          wake->payload = g_bytes_new (NULL, 0);
          g_async_queue_push (recorder->queue, wake);
        }
      else
        {
          RecordItem *item = g_new0 (RecordItem, 1);

          item->topic = g_strdup (topic != NULL ? topic : "");
          item->received_ms = rl_time_now_ms ();
          item->payload = g_bytes_new (payload, length);
          g_atomic_int_add (&recorder->queued_bytes, (gint) length);
          g_async_queue_push (recorder->queue, item);
        }
    }
  g_mutex_unlock (&self->record_lock);
}

gboolean
rl_feed_record_start (RlFeed     *self,
                      const char *path,
                      GError    **error)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileOutputStream) stream = NULL;
  RlFeedRecorder *recorder;
  gboolean        had_error;

  g_return_val_if_fail (RL_IS_FEED (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  rl_feed_record_stop (self);

  file = g_file_new_for_path (path);
  /* Raw feed messages: readable by their owner only. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error);
  if (stream == NULL)
    return FALSE;

  recorder = g_new0 (RlFeedRecorder, 1);
  recorder->feed = self;
  recorder->queue = g_async_queue_new_full (record_item_free);
  recorder->out = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (stream), RECORD_BUFFER);
  recorder->context = g_main_context_ref_thread_default ();
  recorder->thread = g_thread_new ("reloop-feed-record", record_main, recorder);

  had_error = self->record_error != NULL;
  g_clear_error (&self->record_error);
  g_mutex_lock (&self->record_lock);
  self->recorder = recorder;
  g_atomic_int_set (&self->recording, 1);
  g_mutex_unlock (&self->record_lock);
  g_debug ("recording the feed to %s", path);
  rl_feed_notify_record (self, had_error);
  return TRUE;
}

void
rl_feed_record_stop (RlFeed *self)
{
  RlFeedRecorder *recorder;
  RecordItem     *stop;

  g_return_if_fail (RL_IS_FEED (self));

  g_mutex_lock (&self->record_lock);
  recorder = g_steal_pointer (&self->recorder);
  g_atomic_int_set (&self->recording, 0);
  g_mutex_unlock (&self->record_lock);
  if (recorder == NULL)
    return;

  /* The network thread no longer sees it: the stop item is the last. */
  stop = g_new0 (RecordItem, 1);
  g_async_queue_push (recorder->queue, stop);
  g_thread_join (recorder->thread);

  g_clear_error (&self->record_error);
  self->record_error = g_steal_pointer (&recorder->error);
  g_async_queue_unref (recorder->queue);
  g_object_unref (recorder->out);
  g_main_context_unref (recorder->context);
  g_free (recorder);
  rl_feed_notify_record (self, self->record_error != NULL);
}

gboolean
rl_feed_get_recording (RlFeed *self)
{
  g_return_val_if_fail (RL_IS_FEED (self), FALSE);
  return g_atomic_int_get (&self->recording) != 0;
}

const GError *
rl_feed_get_record_error (RlFeed *self)
{
  g_return_val_if_fail (RL_IS_FEED (self), NULL);
  return self->record_error;
}

/* ---- Replay ------------------------------------------------------------- */

void
rl_feed_signal_fences (GPtrArray *batch,
                       gboolean   stored)
{
  for (guint i = 0; i < batch->len; i++)
    {
      Msg         *msg = g_ptr_array_index (batch, i);
      RlFeedFence *fence;

      if (msg->kind != MSG_FENCE)
        continue;
      fence = msg->fence;
      g_mutex_lock (&fence->lock);
      fence->done = TRUE;
      fence->stored = stored;
      g_cond_signal (&fence->cond);
      g_mutex_unlock (&fence->lock);
    }
}

/* Queues a fence and waits until the writer has stored everything queued
 * before it; FALSE when the writer has no cache. */
static gboolean
wait_for_writer (RlFeed *self)
{
  RlFeedFence fence = { 0 };
  Msg        *msg = g_new0 (Msg, 1);
  gboolean    stored;

  g_mutex_init (&fence.lock);
  g_cond_init (&fence.cond);
  msg->kind = MSG_FENCE;
  msg->fence = &fence;
  g_async_queue_push (self->queue, msg);

  g_mutex_lock (&fence.lock);
  while (!fence.done)
    g_cond_wait (&fence.cond, &fence.lock);
  stored = fence.stored;
  g_mutex_unlock (&fence.lock);
  g_mutex_clear (&fence.lock);
  g_cond_clear (&fence.cond);
  return stored;
}

/* The next line (without its "\n" or "\r\n") into @line; FALSE at the end.
 * A line over REPLAY_MAX_LINE is read to its end but not kept:
 * *@too_long. */
static gboolean
read_line (LineReader   *reader,
           GByteArray   *line,
           gboolean     *too_long,
           GCancellable *cancellable,
           GError      **error)
{
  gboolean any = FALSE;

  g_byte_array_set_size (line, 0);
  *too_long = FALSE;
  for (;;)
    {
      const char *start, *nl;
      gsize       n;

      if (reader->pos == reader->len)
        {
          gssize got;

          if (reader->eof)
            break;
          got = g_input_stream_read (reader->in, reader->buf, sizeof reader->buf, cancellable,
                                     error);
          if (got < 0)
            return FALSE;
          reader->pos = 0;
          reader->len = (gsize) got;
          if (got == 0)
            {
              reader->eof = TRUE;
              break;
            }
        }
      any = TRUE;
      start = reader->buf + reader->pos;
      nl = memchr (start, '\n', reader->len - reader->pos);
      n = nl != NULL ? (gsize) (nl - start) : reader->len - reader->pos;
      if (!*too_long && line->len + n <= REPLAY_MAX_LINE)
        g_byte_array_append (line, (const guint8 *) start, (guint) n);
      else
        {
          *too_long = TRUE;
          g_byte_array_set_size (line, 0);
        }
      reader->pos += n;
      if (nl != NULL)
        {
          reader->pos++;
          break;
        }
    }
  if (line->len > 0 && line->data[line->len - 1] == '\r')
    g_byte_array_set_size (line, line->len - 1);
  return any;
}

/* Standard base64 with padding, nothing else (g_base64_decode skips what
 * it does not know, so it cannot tell a damaged line). */
static gboolean
is_base64 (const char *text)
{
  gsize len = strlen (text);

  if (len % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c) || c == '+' || c == '/')
        continue;
      /* '=' only as the last one or two. */
      if (c == '=' && (i == len - 1 || (i == len - 2 && text[len - 1] == '=')))
        continue;
      return FALSE;
    }
  return TRUE;
}

/* One line of a recording → its topic and payload; FALSE when it is not one. */
static gboolean
parse_line (const char *text,
            gsize       length,
            char      **out_topic,
            guchar    **out_payload,
            gsize      *out_length)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  JsonNode   *root, *node;
  JsonObject *object;
  const char *topic, *payload;
  gint64      received;

  if (!g_utf8_validate (text, (gssize) length, NULL)
      || !json_parser_load_from_data (parser, text, (gssize) length, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);

  node = json_object_get_member (object, "topic");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING
      || *(topic = json_node_get_string (node)) == '\0')
    return FALSE;

  /* The receive time: RFC 3339, or milliseconds since the epoch. */
  node = json_object_get_member (object, "received");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (!rl_time_parse_ms (json_node_get_string (node), &received))
        return FALSE;
    }
  else if (json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
    return FALSE;

  node = json_object_get_member (object, "payload");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING
      || !is_base64 (payload = json_node_get_string (node)))
    return FALSE;

  *out_topic = g_strdup (topic);
  if (*payload == '\0')
    {
      *out_payload = g_malloc0 (1);
      *out_length = 0;
    }
  else
    *out_payload = g_base64_decode (payload, out_length);
  return TRUE;
}

RlFeedReplayReader *
rl_feed_replay_reader_new (GInputStream *in)
{
  LineReader *reader = g_new0 (LineReader, 1);

  reader->in = g_object_ref (in);
  reader->line = g_byte_array_new ();
  return reader;
}

void
rl_feed_replay_reader_free (RlFeedReplayReader *reader)
{
  g_object_unref (reader->in);
  g_byte_array_unref (reader->line);
  g_free (reader);
}

gboolean
rl_feed_replay_reader_next (RlFeedReplayReader *reader,
                            char              **out_topic,
                            guchar            **out_payload,
                            gsize              *out_length,
                            const char        **out_problem,
                            GCancellable       *cancellable,
                            GError            **error)
{
  gboolean too_long;

  *out_topic = NULL;
  *out_payload = NULL;
  *out_length = 0;
  *out_problem = NULL;
  for (;;)
    {
      gboolean blank = TRUE;

      if (!read_line (reader, reader->line, &too_long, cancellable, error))
        return FALSE;
      reader->n_line++;
      if (too_long)
        {
          *out_problem = "a line over 16 MiB";
          return TRUE;
        }
      /* Blank lines (a trailing newline, an editor's) are not records. */
      for (guint i = 0; i < reader->line->len && blank; i++)
        blank = g_ascii_isspace (reader->line->data[i]);
      if (blank)
        continue;
      if (!parse_line ((const char *) reader->line->data, reader->line->len, out_topic,
                       out_payload, out_length))
        *out_problem = "not a recorded message";
      return TRUE;
    }
}

static void
replay_data_free (gpointer data)
{
  ReplayData *replay = data;

  g_free (replay->path);
  g_free (replay->prefix);
  g_free (replay);
}

static void
replay_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RlFeed     *self = source_object;
  ReplayData *replay = task_data;
  g_autoptr (GFile) file = g_file_new_for_path (replay->path);
  g_autoptr (GError) error = NULL;
  LineReader *reader = NULL;

  {
    g_autoptr (GFileInputStream) in = g_file_read (file, cancellable, &error);

    if (in == NULL)
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    reader = rl_feed_replay_reader_new (G_INPUT_STREAM (in));
  }

  for (;;)
    {
      g_autofree char   *topic = NULL;
      g_autofree guchar *payload = NULL;
      gsize              length = 0;
      const char        *problem = NULL;

      if (!rl_feed_replay_reader_next (reader, &topic, &payload, &length, &problem, cancellable,
                                       &error))
        break;
      if (topic == NULL)
        {
          g_debug ("replay %s:%" G_GUINT64_FORMAT ": %s, skipped", replay->path, reader->n_line,
                   problem);
          replay->bad_lines++;
          continue;
        }

      /* Do not outrun the writer: the queue would hold the whole file. */
      while (g_async_queue_length (self->queue) > REPLAY_MAX_QUEUED
             && !g_cancellable_is_cancelled (cancellable))
        g_usleep (2000);
      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        break;

      rl_feed_take_message (self, replay->prefix, topic, payload, length);
      replay->messages++;
    }

  rl_feed_replay_reader_free (reader);

  /* What was queued is stored before the replay says it is done. */
  if (!wait_for_writer (self) && error == NULL)
    error = g_error_new_literal (RL_FEED_ERROR, RL_FEED_ERROR_FAILED,
                                 "the feed cannot open the cache: nothing was stored");
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Main thread: the replay is over; the writer may stop, then the caller hears. */
static void
replay_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (GTask) outer = user_data;
  RlFeed     *self = RL_FEED (source);
  ReplayData *replay = g_task_get_task_data (G_TASK (result));
  GError     *error = NULL;

  g_assert (self->writer_holds > 0);
  if (--self->writer_holds == 0 && self->mosq == NULL)
    rl_feed_writer_shutdown (self);

  /* The outer task's data: the counts, kept for rl_feed_replay_get_bad_lines. */
  g_task_set_task_data (outer, g_memdup2 (replay, sizeof *replay), g_free);
  ((ReplayData *) g_task_get_task_data (outer))->path = NULL;
  ((ReplayData *) g_task_get_task_data (outer))->prefix = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (outer, error);
  else
    g_task_return_boolean (outer, TRUE);
}

void
rl_feed_replay_async (RlFeed             *self,
                      const char         *path,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_autoptr (GTask) outer = NULL;
  g_autoptr (GTask) inner = NULL;
  ReplayData *replay;

  g_return_if_fail (RL_IS_FEED (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, rl_feed_replay_async);

  replay = g_new0 (ReplayData, 1);
  replay->path = g_strdup (path);
  /* A copy: rl_feed_start may replace the feed's while the worker runs. */
  replay->prefix = g_strdup (self->prefix != NULL ? self->prefix : "devices");

  /* The writer runs until the last replay is over (rl_feed_stop leaves it). */
  self->writer_holds++;
  rl_feed_writer_ensure (self);

  inner = g_task_new (self, cancellable, replay_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, replay_thread);
  g_task_set_task_data (inner, replay, replay_data_free);
  g_task_run_in_thread (inner, replay_thread);
}

gboolean
rl_feed_replay_finish (RlFeed       *self,
                       GAsyncResult *result,
                       guint64      *out_messages,
                       GError      **error)
{
  ReplayData *replay;

  g_return_val_if_fail (RL_IS_FEED (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rl_feed_replay_async, FALSE);

  replay = g_task_get_task_data (G_TASK (result));
  if (out_messages != NULL)
    *out_messages = replay != NULL ? replay->messages : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

guint64
rl_feed_replay_get_bad_lines (GAsyncResult *result)
{
  ReplayData *replay;

  g_return_val_if_fail (G_IS_TASK (result), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rl_feed_replay_async, 0);

  replay = g_task_get_task_data (G_TASK (result));
  return replay != NULL ? replay->bad_lines : 0;
}
