/* test-activity-text.c — cron in words and ANSI escapes stripped (src/core/domain/rl-activity-text).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-activity-text.h"

static void
check_cron (const char *cron,
            const char *words)
{
  g_autofree char *got = rl_cron_to_words (cron);

  g_assert_cmpstr (got, ==, words);
}

/* The devserver's schedules (workflows and sync jobs) and the common forms. */
static void
test_cron_words (void)
{
  check_cron ("0 2 * * *", "every day at 02:00");
  check_cron ("30 1 * * *", "every day at 01:30");
  check_cron ("0 6 * * 0", "every Sunday at 06:00");
  check_cron ("0 6 * * 7", "every Sunday at 06:00");
  check_cron ("*/15 * * * *", "every 15 minutes");
  check_cron ("*/1 * * * *", "every 1 minute");
  check_cron ("0 * * * *", "every hour");
  check_cron ("5 * * * *", "every hour at :05");
  check_cron ("* * * * *", "every minute");
  check_cron ("0 */6 * * *", "every 6 hours at :00");
  check_cron ("45 8 * * 1-5", "every weekday at 08:45");
  check_cron ("0 0 1 * *", "every month on day 1 at 00:00");
  check_cron ("  0  6   *  * 3 ", "every Wednesday at 06:00");
  /* What it cannot say in words it shows as it is. */
  check_cron ("0 6 * 1 *", "cron: 0 6 * 1 *");
  check_cron ("0 6 1 * 1", "cron: 0 6 1 * 1");
  check_cron ("61 6 * * *", "cron: 61 6 * * *");
  check_cron ("0 6 * *", "cron: 0 6 * *");
  check_cron ("@daily", "cron: @daily");
  g_assert_null (rl_cron_to_words (NULL));
  g_assert_null (rl_cron_to_words (""));
}

static void
check_strip (const char *in,
             const char *out)
{
  g_autofree char *got = rl_ansi_strip (in);

  g_assert_cmpstr (got, ==, out);
}

static void
test_ansi_strip (void)
{
  check_strip ("plain line", "plain line");
  check_strip ("\033[31mERROR\033[0m timeout", "ERROR timeout");
  check_strip ("\033[1;32m[ok]\033[0m\033[K done", "[ok] done");
  check_strip ("\033[38;5;208morange\033[39m", "orange");
  check_strip ("\033]0;title\007after", "after");
  check_strip ("\033]8;;http://x\033\\link\033]8;;\033\\", "link");
  check_strip ("\033(Bx", "x");
  check_strip ("नेपाली \033[33mपाठ\033[0m", "नेपाली पाठ");
  check_strip ("cut \033[", "cut ");
  check_strip ("", "");
  g_assert_null (rl_ansi_strip (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/activity-text/cron-words", test_cron_words);
  g_test_add_func ("/activity-text/ansi-strip", test_ansi_strip);
  return g_test_run ();
}
