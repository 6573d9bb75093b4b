/* test-backoff.c — full-jitter backoff math and Retry-After parsing.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-backoff.h"

static double
rand_cb (gpointer user_data)
{
  return g_rand_double (user_data);
}

static double
fixed_cb (gpointer user_data)
{
  return *(double *) user_data;
}

static void
test_window (void)
{
  RlBackoff b;

  rl_backoff_init (&b);
  g_assert_cmpint (b.base_ms, ==, 500);
  g_assert_cmpint (b.cap_ms, ==, 30000);
  g_assert_cmpint (rl_backoff_window_ms (&b, 0), ==, 500);
  g_assert_cmpint (rl_backoff_window_ms (&b, 1), ==, 1000);
  g_assert_cmpint (rl_backoff_window_ms (&b, 5), ==, 16000);
  g_assert_cmpint (rl_backoff_window_ms (&b, 6), ==, 30000); /* 32000 capped */
  g_assert_cmpint (rl_backoff_window_ms (&b, 63), ==, 30000);
  g_assert_cmpint (rl_backoff_window_ms (&b, 64), ==, 30000); /* 2^64 would overflow */
  g_assert_cmpint (rl_backoff_window_ms (&b, 1000), ==, 30000);
  g_assert_cmpint (rl_backoff_window_ms (&b, G_MAXUINT), ==, 30000);

  b.cap_ms = G_MAXINT64;
  g_assert_cmpint (rl_backoff_window_ms (&b, 64), >, 0);
  g_assert_cmpint (rl_backoff_window_ms (&b, 64), <=, G_MAXINT64);
  g_assert_cmpint (rl_backoff_window_ms (&b, 10), ==, 500 * 1024);

  b.base_ms = 0;
  g_assert_cmpint (rl_backoff_window_ms (&b, 3), ==, 0);
}

static void
test_bounds_and_mean (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  RlBackoff   b;
  const guint draws = 20000;

  rl_backoff_init (&b);
  b.random = rand_cb;
  b.random_data = rand;

  for (guint attempt = 0; attempt < 10; attempt++)
    {
      gint64 window = rl_backoff_window_ms (&b, attempt);
      double sum = 0;
      gint64 lo = G_MAXINT64, hi = 0;

      for (guint i = 0; i < draws; i++)
        {
          gint64 d = rl_backoff_delay_ms (&b, attempt);

          g_assert_cmpint (d, >=, 0);
          g_assert_cmpint (d, <=, window);
          sum += d;
          lo = MIN (lo, d);
          hi = MAX (hi, d);
        }
      /* Uniform on [0, window]: mean window/2, and the draws span it. */
      g_assert_cmpfloat_with_epsilon (sum / draws, window / 2.0, window * 0.02);
      g_assert_cmpint (lo, <, window / 20);
      g_assert_cmpint (hi, >, window - window / 20);
    }
}

static void
test_extremes_of_random (void)
{
  RlBackoff b;
  double    u;

  rl_backoff_init (&b);
  b.random = fixed_cb;
  b.random_data = &u;

  u = 0.0;
  g_assert_cmpint (rl_backoff_delay_ms (&b, 3), ==, 0);
  u = 0.999999999;
  g_assert_cmpint (rl_backoff_delay_ms (&b, 3), ==, 4000);
  u = 1.5; /* a broken source never escapes the window */
  g_assert_cmpint (rl_backoff_delay_ms (&b, 3), ==, 4000);
  u = -3;
  g_assert_cmpint (rl_backoff_delay_ms (&b, 3), ==, 0);
  u = 0.999999999;
  g_assert_cmpint (rl_backoff_delay_ms (&b, 64), ==, 30000);
}

static void
test_retry_after_parse (void)
{
  gint64 now = (gint64) 1445412480 * 1000; /* Wed, 21 Oct 2015 07:28:00 GMT */
  gint64 ms = -7;

  g_assert_true (rl_backoff_parse_retry_after ("120", now, &ms));
  g_assert_cmpint (ms, ==, 120000);
  g_assert_true (rl_backoff_parse_retry_after (" 0 ", now, &ms));
  g_assert_cmpint (ms, ==, 0);
  g_assert_true (rl_backoff_parse_retry_after ("Wed, 21 Oct 2015 07:28:30 GMT", now, &ms));
  g_assert_cmpint (ms, ==, 30000);
  g_assert_true (rl_backoff_parse_retry_after ("Wed, 21 Oct 2015 07:00:00 GMT", now, &ms));
  g_assert_cmpint (ms, ==, 0); /* in the past */
  g_assert_true (rl_backoff_parse_retry_after ("99999999999999999999999", now, &ms));
  g_assert_cmpint (ms, >, 0);

  g_assert_false (rl_backoff_parse_retry_after (NULL, now, &ms));
  g_assert_false (rl_backoff_parse_retry_after ("", now, &ms));
  g_assert_false (rl_backoff_parse_retry_after ("soon", now, &ms));
  g_assert_false (rl_backoff_parse_retry_after ("-5", now, &ms));
  g_assert_false (rl_backoff_parse_retry_after ("12abc", now, &ms));
  g_assert_false (rl_backoff_parse_retry_after ("1.5", now, &ms));
}

static void
test_retry_after_wins (void)
{
  RlBackoff b;
  double    u = 0.0;

  rl_backoff_init (&b);
  b.random = fixed_cb;
  b.random_data = &u;

  g_assert_cmpint (rl_backoff_next_delay_ms (&b, 0, -1), ==, 0);
  g_assert_cmpint (rl_backoff_next_delay_ms (&b, 0, 2000), ==, 2000); /* beats a 0–500 ms jitter */
  g_assert_cmpint (rl_backoff_next_delay_ms (&b, 9, 0), ==, 0);
  g_assert_cmpint (rl_backoff_next_delay_ms (&b, 0, (gint64) 3600 * 1000), ==, 5 * 60 * 1000);
  b.max_retry_after_ms = 10000;
  g_assert_cmpint (rl_backoff_next_delay_ms (&b, 0, 60000), ==, 10000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/backoff/window", test_window);
  g_test_add_func ("/backoff/bounds-and-mean", test_bounds_and_mean);
  g_test_add_func ("/backoff/extremes-of-random", test_extremes_of_random);
  g_test_add_func ("/backoff/retry-after-parse", test_retry_after_parse);
  g_test_add_func ("/backoff/retry-after-wins", test_retry_after_wins);

  return g_test_run ();
}
