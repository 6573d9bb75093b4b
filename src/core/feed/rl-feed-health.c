/* rl-feed-health.c — the feed's health figures: message rate, last rejected payload.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The network thread counts every message into a ring of per-second
 * buckets (ten minutes of them) and keeps a copy of the start of the last
 * rejected payload, both under the feed's lock; rl_feed_get_health hands a
 * copy to whoever asks (the Feed dialog, once a second). The ring is keyed
 * by the monotonic clock, so a wall-clock jump neither empties nor stretches
 * the history; the times people read are wall-clock.
 */

#include "config.h"

#include <string.h>

#include "rl-feed-private.h"

struct _RlFeedHealthData
{
  guint32 buckets[RL_FEED_HEALTH_SECONDS];
  gint64  last_s; /* monotonic second of the newest bucket; 0: none yet */
  gint64  last_message_ms;

  gboolean     has_rejected;
  RlFeedReject rejected_reason;
  gint64       rejected_ms;
  char        *rejected_topic;
  GBytes      *rejected_payload;
  gsize        rejected_length;
};

static gint64
monotonic_s (void)
{
  return g_get_monotonic_time () / G_USEC_PER_SEC;
}

/* Zeroes the buckets of the seconds between the newest one and @now_s. */
static void
advance (RlFeedHealthData *data,
         gint64            now_s)
{
  if (data->last_s == 0 || now_s - data->last_s >= RL_FEED_HEALTH_SECONDS)
    memset (data->buckets, 0, sizeof data->buckets);
  else
    for (gint64 s = data->last_s + 1; s <= now_s; s++)
      data->buckets[s % RL_FEED_HEALTH_SECONDS] = 0;
  if (now_s > data->last_s)
    data->last_s = now_s;
}

RlFeedHealthData *
rl_feed_health_data_new (void)
{
  return g_new0 (RlFeedHealthData, 1);
}

void
rl_feed_health_data_free (RlFeedHealthData *data)
{
  if (data == NULL)
    return;
  g_free (data->rejected_topic);
  g_clear_pointer (&data->rejected_payload, g_bytes_unref);
  g_free (data);
}

void
rl_feed_health_note_message_locked (RlFeed *self)
{
  RlFeedHealthData *data = self->health;
  gint64            now_s = monotonic_s ();

  advance (data, now_s);
  data->buckets[now_s % RL_FEED_HEALTH_SECONDS]++;
  data->last_message_ms = g_get_real_time () / 1000;
}

void
rl_feed_health_note_reject_locked (RlFeed      *self,
                                   const char  *topic,
                                   const void  *payload,
                                   gsize        length,
                                   RlFeedReject reason)
{
  RlFeedHealthData *data = self->health;

  data->has_rejected = TRUE;
  data->rejected_reason = reason;
  data->rejected_ms = g_get_real_time () / 1000;
  g_free (data->rejected_topic);
  data->rejected_topic = g_strdup (topic);
  g_clear_pointer (&data->rejected_payload, g_bytes_unref);
  data->rejected_payload =
      g_bytes_new (payload, payload != NULL ? MIN (length, RL_FEED_HEALTH_PAYLOAD_MAX) : 0);
  data->rejected_length = length;
}

void
rl_feed_get_health (RlFeed       *self,
                    RlFeedHealth *out)
{
  RlFeedHealthData *data;
  gint64            now_s = monotonic_s ();
  guint64           window = 0;

  g_return_if_fail (RL_IS_FEED (self));
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);
  g_mutex_lock (&self->lock);
  data = self->health;
  out->counters = self->counters;
  out->state = self->state;
  if (data->last_s != 0)
    {
      advance (data, now_s);
      /* Oldest first: the bucket after the current one is the oldest. */
      for (guint i = 0; i < RL_FEED_HEALTH_SECONDS; i++)
        out->history[i] = data->buckets[(now_s + 1 + i) % RL_FEED_HEALTH_SECONDS];
    }
  out->last_message_ms = data->last_message_ms;
  out->has_rejected = data->has_rejected;
  out->rejected_reason = data->rejected_reason;
  out->rejected_ms = data->rejected_ms;
  out->rejected_topic = g_strdup (data->rejected_topic);
  out->rejected_payload =
      data->rejected_payload != NULL ? g_bytes_ref (data->rejected_payload) : NULL;
  out->rejected_length = data->rejected_length;
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < RL_FEED_HEALTH_RATE_WINDOW; i++)
    window += out->history[RL_FEED_HEALTH_SECONDS - 2 - i];
  out->per_second = (double) window / RL_FEED_HEALTH_RATE_WINDOW;
}

void
rl_feed_health_clear (RlFeedHealth *health)
{
  g_return_if_fail (health != NULL);

  g_clear_pointer (&health->rejected_topic, g_free);
  g_clear_pointer (&health->rejected_payload, g_bytes_unref);
}

char *
rl_feed_payload_preview (GBytes *payload,
                         gsize   max_chars)
{
  GString    *out = g_string_new (NULL);
  const char *p, *end;
  gsize       size = 0, n = 0;

  if (payload == NULL)
    return g_string_free (out, FALSE);
  p = g_bytes_get_data (payload, &size);
  end = p + size;
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (n >= max_chars)
        {
          g_string_append (out, "…");
          break;
        }
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* An invalid byte, or a character cut by the end. */
          g_string_append_printf (out, "\\x%02X", (guint8) *p);
          p++;
        }
      else
        {
          switch (c)
            {
            case '\n':
              g_string_append (out, "\\n");
              break;
            case '\r':
              g_string_append (out, "\\r");
              break;
            case '\t':
              g_string_append (out, "\\t");
              break;
            case '\\':
              g_string_append (out, "\\\\");
              break;
            default:
              /* Line and paragraph separators would break the preview's line. */
              if (c == ' '
                  || (g_unichar_isgraph (c)
                      && g_unichar_type (c) != G_UNICODE_LINE_SEPARATOR
                      && g_unichar_type (c) != G_UNICODE_PARAGRAPH_SEPARATOR))
                g_string_append_len (out, p, g_utf8_next_char (p) - p);
              else if (c < 0x100)
                g_string_append_printf (out, "\\x%02X", c);
              else
                g_string_append_printf (out, "\\u%04X", c);
            }
          p = g_utf8_next_char (p);
        }
      n++;
    }
  return g_string_free (out, FALSE);
}
