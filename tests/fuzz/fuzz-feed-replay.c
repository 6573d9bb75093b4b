/* fuzz-feed-replay.c — a feed recording read back for a replay
 * (src/core/feed/rl-feed-record.c): lines, records, and each message
 * through the checks a live one meets (topic, payload).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the file. Every line is a message or a bad line, and the reader
 * comes to the end of any file; a message's payload is checked as the
 * network thread checks one (rl_feed_take_message without the queue).
 */
#include <gio/gio.h>

#include "fuzz-util.h"
#include "rl-feed-private.h"

#define PREFIX "devices"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GInputStream) in = g_memory_input_stream_new_from_data (data, (gssize) size, NULL);
  g_autoptr (GError) error = NULL;
  RlFeedReplayReader *reader = rl_feed_replay_reader_new (in);
  guint               n_records = 0, n_lines = 0;

  for (;;)
    {
      g_autofree char   *topic = NULL;
      g_autofree guchar *payload = NULL;
      g_autofree char   *device_id = NULL;
      gsize              length = 0;
      const char        *problem = NULL;
      MsgKind            kind;
      Msg                msg = { 0 };
      RlFeedReject       reason;

      if (!rl_feed_replay_reader_next (reader, &topic, &payload, &length, &problem, NULL, &error))
        break;
      /* Each line is at least one byte of input. */
      g_assert_cmpuint (++n_lines, <=, size);
      if (topic == NULL)
        {
          g_assert_nonnull (problem);
          g_assert_null (payload);
          continue;
        }
      n_records++;
      g_assert_null (problem);
      g_assert_true (*topic != '\0');
      g_assert_nonnull (payload);
      if (length > RL_FEED_MAX_PAYLOAD || !rl_feed_topic_parse (PREFIX, topic, &device_id, &kind))
        continue;
      if (rl_feed_parse_payload (kind, device_id, (const char *) payload, length, &msg, &reason))
        {
          g_assert_true (msg.kind == kind);
          g_free (msg.alert_type);
          g_free (msg.severity);
          g_free (msg.message);
        }
      else
        g_assert_cmpint (reason, <, RL_FEED_N_REJECTS);
    }
  g_assert_no_error (error);
  rl_feed_replay_reader_free (reader);
  return 0;
}
