/* rl-activity-text.h — words for the Activity page: a cron schedule in
 * words, a run log's line without its ANSI escapes. GTK-free.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A 5-field cron expression in words ("every day at 06:00", "every 15
 * minutes", "every Sunday at 06:00"), translated; a form it does not know
 * comes back as "cron: <expression>". NULL or empty: NULL. */
char *rl_cron_to_words (const char *cron);

/* @text without its ANSI escape sequences (CSI "ESC [ … final", OSC
 * "ESC ] … BEL/ST", and the others: "ESC ( B", "ESC 7"); other bytes as they were. */
char *rl_ansi_strip (const char *text);
/* The same in place, for a buffer the caller owns; returns @text. */
char *rl_ansi_strip_in_place (char *text);

G_END_DECLS
