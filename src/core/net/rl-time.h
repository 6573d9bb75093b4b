/* rl-time.h — RFC 3339 timestamps as UTC milliseconds.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Milliseconds since the Unix epoch, UTC (wall clock). */
gint64 rl_time_now_ms (void);

/* Parses an RFC 3339 date-time with any offset ("Z", "+05:45") and up to
 * nanosecond fractions; returns TRUE and the UTC instant truncated to ms. */
gboolean rl_time_parse_ms (const char *text,
                           gint64     *out_ms);

/* Formats as "2026-11-21T09:30:00.000Z". */
char *rl_time_format_ms (gint64 ms);

G_END_DECLS
