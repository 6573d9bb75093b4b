/* rl-backoff.h — full-jitter exponential backoff and Retry-After (pure functions).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RL_BACKOFF_DEFAULT_BASE_MS 500
#define RL_BACKOFF_DEFAULT_CAP_MS 30000
#define RL_BACKOFF_DEFAULT_MAX_RETRY_AFTER_MS (5 * 60 * 1000)

/* Returns a uniform double in [0, 1). */
typedef double (*RlBackoffRandomFunc) (gpointer user_data);

typedef struct
{
  gint64              base_ms;
  gint64              cap_ms;
  gint64              max_retry_after_ms; /* a server's Retry-After is bounded by this */
  RlBackoffRandomFunc random;             /* NULL: g_random_double () */
  gpointer            random_data;
} RlBackoff;

void rl_backoff_init (RlBackoff *backoff);

/* min(cap, base · 2^attempt), without overflow for any attempt (attempt 0 = first retry). */
gint64 rl_backoff_window_ms (const RlBackoff *backoff,
                             guint            attempt);

/* Full jitter: uniform in [0, window]. */
gint64 rl_backoff_delay_ms (const RlBackoff *backoff,
                            guint            attempt);

/* Retry-After: delta-seconds ("120") or an HTTP-date (relative to now_ms,
 * wall clock ms since the epoch; a past date gives 0). FALSE when unparsable. */
gboolean rl_backoff_parse_retry_after (const char *value,
                                       gint64      now_ms,
                                       gint64     *out_delay_ms);

/* The delay before retry number attempt: the server's Retry-After (when ≥ 0)
 * wins over the computed delay, bounded by max_retry_after_ms. */
gint64 rl_backoff_next_delay_ms (const RlBackoff *backoff,
                                 guint            attempt,
                                 gint64           retry_after_ms);

G_END_DECLS
