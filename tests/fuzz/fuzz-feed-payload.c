/* fuzz-feed-payload.c — an MQTT message (topic + payload) through the feed's
 * checks: the topic split and the payload validation (rl-feed-parse*.c).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the topic, a newline, the payload. Besides not crashing, the fast
 * reading scanner (rl-feed-parse-fast.c) must agree with json-glib's path:
 * what it accepts, json-glib accepts with the same values, and what it
 * declines it leaves untouched; an accepted message is within the
 * contract's ranges.
 */
#include <math.h>
#include <string.h>

#include "fuzz-util.h"
#include "rl-feed-private.h"

#define PREFIX "devices"

static gboolean
same_double (double a,
             double b)
{
  if (isnan (a) || isnan (b))
    return isnan (a) && isnan (b);
  return memcmp (&a, &b, sizeof a) == 0;
}

static gboolean
optional_in (double value,
             double min,
             double max)
{
  return isnan (value) || (value >= min && value <= max);
}

static void
msg_clear (Msg *msg)
{
  g_free (msg->alert_type);
  g_free (msg->severity);
  g_free (msg->message);
}

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
  const uint8_t   *payload;
  size_t           length;
  g_autofree char *topic = fuzz_split_line (data, size, &payload, &length);
  g_autofree char *device_id = NULL;
  MsgKind          kind;
  Msg              msg = { 0 }, slow = { 0 }, fast, untouched;
  RlFeedReject     reason = RL_FEED_N_REJECTS, slow_reason = RL_FEED_N_REJECTS;
  gboolean         ok, slow_ok;

  if (!rl_feed_topic_parse (PREFIX, topic, &device_id, &kind))
    {
      g_assert_null (device_id);
      /* Still check the payload, as a reading of one device. */
      device_id = g_strdup ("bin-0001");
      kind = MSG_READING;
    }
  g_assert_nonnull (device_id);
  g_assert_true (*device_id != '\0' && strchr (device_id, '/') == NULL);
  if (length > RL_FEED_MAX_PAYLOAD)
    return 0; /* rejected before any parsing (rl_feed_take_message) */

  ok = rl_feed_parse_payload (kind, device_id, (const char *) payload, length, &msg, &reason);
  slow_ok = rl_feed_parse_payload_json (kind, device_id, (const char *) payload, length, &slow,
                                        &slow_reason);
  g_assert_true (ok == slow_ok);
  if (!ok)
    {
      g_assert_true (reason == slow_reason);
      g_assert_cmpint (reason, <, RL_FEED_N_REJECTS);
      g_assert_nonnull (rl_feed_reject_to_string (reason));
    }
  else
    {
      g_assert_true (msg.kind == kind && msg.ts_ms == slow.ts_ms);
      switch (kind)
        {
        case MSG_READING:
          g_assert_true (isfinite (msg.fill) && msg.fill >= 0 && msg.fill <= 100);
          g_assert_true (optional_in (msg.weight, 0, G_MAXDOUBLE));
          g_assert_true (optional_in (msg.temperature, -40, 85));
          g_assert_true (optional_in (msg.humidity, 0, 100));
          g_assert_true (optional_in (msg.battery, 0, 100));
          g_assert_true (same_double (msg.fill, slow.fill) && same_double (msg.weight, slow.weight)
                         && same_double (msg.temperature, slow.temperature)
                         && same_double (msg.humidity, slow.humidity)
                         && same_double (msg.battery, slow.battery));
          break;
        case MSG_STATUS:
          g_assert_true (msg.online == slow.online);
          break;
        case MSG_ALERT:
          g_assert_nonnull (msg.alert_type);
          g_assert_nonnull (msg.severity);
          g_assert_cmpstr (msg.alert_type, ==, slow.alert_type);
          g_assert_cmpstr (msg.severity, ==, slow.severity);
          g_assert_cmpstr (msg.message, ==, slow.message);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  msg_clear (&msg);
  msg_clear (&slow);

  if (kind != MSG_READING)
    return 0;
  /* The fast path alone: it takes only what json-glib takes, with the same
   * values, and a decline leaves the message as it was. */
  memset (&fast, 0xa5, sizeof fast);
  untouched = fast;
  if (rl_feed_parse_reading_fast (device_id, (const char *) payload, length, &fast))
    {
      g_assert_true (slow_ok);
      g_assert_true (fast.kind == MSG_READING && fast.ts_ms == slow.ts_ms);
      g_assert_true (same_double (fast.fill, slow.fill) && same_double (fast.weight, slow.weight)
                     && same_double (fast.temperature, slow.temperature)
                     && same_double (fast.humidity, slow.humidity)
                     && same_double (fast.battery, slow.battery));
    }
  else
    g_assert_true (memcmp (&fast, &untouched, sizeof fast) == 0);
  return 0;
}
