/* test-time.c — RFC 3339 parsing and formatting.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-time.h"

static void
test_parse_offsets (void)
{
  gint64 utc = 0, nepal = 0, frac = 0;

  g_assert_true (rl_time_parse_ms ("2026-11-21T09:30:00.000Z", &utc));
  g_assert_cmpint (utc, ==, G_GINT64_CONSTANT (1795253400000));
  /* Nepal is UTC+05:45: the same instant. */
  g_assert_true (rl_time_parse_ms ("2026-11-21T15:15:00+05:45", &nepal));
  g_assert_cmpint (nepal, ==, utc);
  /* Nanoseconds truncate to ms. */
  g_assert_true (rl_time_parse_ms ("2026-11-21T09:30:00.123456789Z", &frac));
  g_assert_cmpint (frac - utc, ==, 123);
  g_assert_true (rl_time_parse_ms ("2026-11-21T09:30:00.5-01:00", &frac));
  g_assert_cmpint (frac - utc, ==, 3600 * 1000 + 500);
}

static void
test_parse_rejects (void)
{
  const char *bad[] = {
    "",
    "2026",
    "2026-11-21",
    "2026-11-21T09:30:00",
    "2026-13-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-11-21T24:00:00Z",
    "2026-11-21T09:30:00.Z",
    "2026-11-21T09:30:00Zjunk",
    "2026-11-21T09:30:00+5:45",
    "not a time",
    "2026-11-21T09:30:00+24:00",
  };
  gint64 ms;

  g_assert_false (rl_time_parse_ms (NULL, &ms));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("rejecting %s", bad[i]);
      g_assert_false (rl_time_parse_ms (bad[i], &ms));
    }
}

static void
test_format_roundtrip (void)
{
  g_autofree char *text = rl_time_format_ms (G_GINT64_CONSTANT (1795253400123));
  gint64           back = 0;

  g_assert_cmpstr (text, ==, "2026-11-21T09:30:00.123Z");
  g_assert_true (rl_time_parse_ms (text, &back));
  g_assert_cmpint (back, ==, G_GINT64_CONSTANT (1795253400123));

  for (gint64 ms = -5000; ms < 5000; ms += 777)
    {
      g_autofree char *t = rl_time_format_ms (ms);
      g_assert_true (rl_time_parse_ms (t, &back));
      g_assert_cmpint (back, ==, ms);
    }
}

static void
test_now (void)
{
  gint64 a = rl_time_now_ms ();

  /* After 2025 and not in the far future: a sanity check of the unit. */
  g_assert_cmpint (a, >, G_GINT64_CONSTANT (1735689600000));
  g_assert_cmpint (a, <, G_GINT64_CONSTANT (4102444800000));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/time/parse-offsets", test_parse_offsets);
  g_test_add_func ("/time/parse-rejects", test_parse_rejects);
  g_test_add_func ("/time/format-roundtrip", test_format_roundtrip);
  g_test_add_func ("/time/now", test_now);
  return g_test_run ();
}
