/* rl-backoff.c — full-jitter exponential backoff and Retry-After.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "rl-backoff.h"

void
rl_backoff_init (RlBackoff *backoff)
{
  g_return_if_fail (backoff != NULL);

  backoff->base_ms = RL_BACKOFF_DEFAULT_BASE_MS;
  backoff->cap_ms = RL_BACKOFF_DEFAULT_CAP_MS;
  backoff->max_retry_after_ms = RL_BACKOFF_DEFAULT_MAX_RETRY_AFTER_MS;
  backoff->random = NULL;
  backoff->random_data = NULL;
}

gint64
rl_backoff_window_ms (const RlBackoff *backoff,
                      guint            attempt)
{
  gint64 base, cap;

  g_return_val_if_fail (backoff != NULL, 0);

  base = MAX (backoff->base_ms, 0);
  cap = MAX (backoff->cap_ms, 0);
  if (base == 0)
    return 0;
  /* base · 2^attempt > cap  ⇔  2^attempt > cap / base: compare before shifting. */
  for (guint i = 0; i < attempt; i++)
    {
      if (base > cap / 2)
        return cap;
      base *= 2;
    }
  return MIN (base, cap);
}

gint64
rl_backoff_delay_ms (const RlBackoff *backoff,
                     guint            attempt)
{
  gint64 window = rl_backoff_window_ms (backoff, attempt);
  double u = backoff->random != NULL ? backoff->random (backoff->random_data)
                                     : g_random_double ();
  gint64 delay;

  if (!(u >= 0.0))
    u = 0.0;
  if (u >= 1.0)
    u = 1.0;
  delay = (gint64) (u * (double) (window + 1));
  return CLAMP (delay, 0, window);
}

gboolean
rl_backoff_parse_retry_after (const char *value,
                              gint64      now_ms,
                              gint64     *out_delay_ms)
{
  g_autofree char *text = NULL;
  g_autoptr (GDateTime) date = NULL;
  guint64 seconds;
  gint64  delta;

  g_return_val_if_fail (out_delay_ms != NULL, FALSE);

  if (value == NULL)
    return FALSE;
  text = g_strstrip (g_strdup (value));
  if (*text == '\0')
    return FALSE;

  if (g_ascii_isdigit (*text))
    {
      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64 / 1000, &seconds, NULL))
        {
          /* All digits but huge: treat as "very long"; the caller bounds it. */
          for (const char *p = text; *p != '\0'; p++)
            if (!g_ascii_isdigit (*p))
              return FALSE;
          *out_delay_ms = G_MAXINT64 / 1000 * 1000;
          return TRUE;
        }
      *out_delay_ms = (gint64) seconds * 1000;
      return TRUE;
    }

  date = soup_date_time_new_from_http_string (text);
  if (date == NULL)
    return FALSE;
  delta = g_date_time_to_unix (date) * 1000 - now_ms;
  *out_delay_ms = MAX (delta, 0);
  return TRUE;
}

gint64
rl_backoff_next_delay_ms (const RlBackoff *backoff,
                          guint            attempt,
                          gint64           retry_after_ms)
{
  g_return_val_if_fail (backoff != NULL, 0);

  if (retry_after_ms >= 0)
    return MIN (retry_after_ms, MAX (backoff->max_retry_after_ms, 0));
  return rl_backoff_delay_ms (backoff, attempt);
}
