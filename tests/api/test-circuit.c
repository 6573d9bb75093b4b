/* test-circuit.c — the circuit breaker's states with a fake clock.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-circuit.h"
#include "rl-error.h"

static gint64
fake_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static RlCircuit *
make_circuit (gint64 *clock)
{
  RlCircuit *circuit = rl_circuit_new ("api.example:443");

  rl_circuit_set_clock (circuit, fake_clock, clock);
  return circuit;
}

static void
fail_times (RlCircuit *circuit,
            guint      n)
{
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (rl_circuit_acquire (circuit, NULL));
      rl_circuit_record_failure (circuit);
    }
}

static void
test_opens_after_threshold (void)
{
  gint64 now = 1000;
  g_autoptr (RlCircuit) circuit = make_circuit (&now);
  g_autoptr (GError) error = NULL;
  guint notified = 0;

  g_signal_connect (circuit, "notify::state", G_CALLBACK (count_notify), &notified);
  g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_CLOSED);

  fail_times (circuit, 4);
  g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_CLOSED);
  g_assert_cmpuint (notified, ==, 0);
  fail_times (circuit, 1);
  g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_OPEN);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (rl_circuit_get_consecutive_failures (circuit), ==, 5);

  /* Open: fail fast until the cool-down (30 s) passes. */
  now += 29999;
  g_assert_false (rl_circuit_acquire (circuit, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_CIRCUIT_OPEN);
  g_assert_cmpint (rl_error_get_retry_after (error), ==, 1);
  g_assert_cmpint (rl_circuit_get_retry_in_ms (circuit), ==, 1);
}

static void
test_success_resets_count (void)
{
  gint64 now = 0;
  g_autoptr (RlCircuit) circuit = make_circuit (&now);

  fail_times (circuit, 4);
  g_assert_true (rl_circuit_acquire (circuit, NULL));
  rl_circuit_record_success (circuit);
  g_assert_cmpuint (rl_circuit_get_consecutive_failures (circuit), ==, 0);
  fail_times (circuit, 4);
  g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_CLOSED);
}

static void
test_half_open_single_probe (void)
{
  gint64 now = 0;
  g_autoptr (RlCircuit) circuit = make_circuit (&now);
  g_autoptr (GError) error = NULL;

  fail_times (circuit, 5);
  now += 30000;
  /* The first caller after the cool-down is the probe; the others fail fast. */
  g_assert_true (rl_circuit_acquire (circuit, NULL));
  g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_HALF_OPEN);
  g_assert_false (rl_circuit_acquire (circuit, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_CIRCUIT_OPEN);

  rl_circuit_record_success (circuit);
  g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_CLOSED);
  g_assert_true (rl_circuit_acquire (circuit, NULL));
  g_assert_true (rl_circuit_acquire (circuit, NULL));
}

static void
test_failed_probe_doubles_cool_down (void)
{
  gint64 now = 0;
  g_autoptr (RlCircuit) circuit = make_circuit (&now);

  rl_circuit_set_cool_down (circuit, 30000, 100000);
  fail_times (circuit, 5);

  now += 30000;
  fail_times (circuit, 1); /* the probe fails */
  g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_OPEN);
  g_assert_cmpint (rl_circuit_get_retry_in_ms (circuit), ==, 60000);
  now += 59999;
  g_assert_false (rl_circuit_acquire (circuit, NULL));
  now += 1;
  fail_times (circuit, 1);
  g_assert_cmpint (rl_circuit_get_retry_in_ms (circuit), ==, 100000); /* 120 s, bounded */
  now += 100000;
  fail_times (circuit, 1);
  g_assert_cmpint (rl_circuit_get_retry_in_ms (circuit), ==, 100000);

  /* Success closes and restores the first cool-down. */
  now += 100000;
  g_assert_true (rl_circuit_acquire (circuit, NULL));
  rl_circuit_record_success (circuit);
  fail_times (circuit, 5);
  g_assert_cmpint (rl_circuit_get_retry_in_ms (circuit), ==, 30000);
}

static void
test_release_frees_probe (void)
{
  gint64 now = 0;
  g_autoptr (RlCircuit) circuit = make_circuit (&now);

  fail_times (circuit, 5);
  now += 30000;
  g_assert_true (rl_circuit_acquire (circuit, NULL));
  rl_circuit_release (circuit); /* e.g. the probe was cancelled */
  g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_HALF_OPEN);
  g_assert_true (rl_circuit_acquire (circuit, NULL));
  rl_circuit_record_failure (circuit);
  g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_OPEN);
  rl_circuit_reset (circuit);
  g_assert_cmpint (rl_circuit_get_state (circuit), ==, RL_CIRCUIT_CLOSED);
  g_assert_cmpuint (rl_circuit_get_consecutive_failures (circuit), ==, 0);
}

static void
test_threshold_property (void)
{
  gint64 now = 0;
  g_autoptr (RlCircuit) circuit = make_circuit (&now);
  RlCircuitState state;

  g_object_set (circuit, "failure-threshold", 2, NULL);
  fail_times (circuit, 2);
  g_object_get (circuit, "state", &state, NULL);
  g_assert_cmpint (state, ==, RL_CIRCUIT_OPEN);
}

static void
test_what_counts (void)
{
  static const struct
  {
    RlError  code;
    guint    status;
    gboolean failure;
  } cases[] = {
    { RL_ERROR_NETWORK, 0, TRUE },
    { RL_ERROR_BAD_RESPONSE, 200, TRUE },
    { RL_ERROR_INTERNAL, 500, TRUE },
    { RL_ERROR_UNAVAILABLE, 503, TRUE },
    { RL_ERROR_UNKNOWN, 504, TRUE },
    { RL_ERROR_RATE_LIMITED, 429, FALSE },
    { RL_ERROR_NOT_FOUND, 404, FALSE },
    { RL_ERROR_VERSION_CONFLICT, 409, FALSE },
    { RL_ERROR_UNAUTHORIZED, 401, FALSE },
    { RL_ERROR_CIRCUIT_OPEN, 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error =
          rl_error_new_full (cases[i].code, cases[i].status, NULL, NULL, -1, "x");

      g_assert_cmpint (rl_circuit_error_is_failure (error), ==, cases[i].failure);
    }

  /* Cancellation says nothing about the server. */
  {
    g_autoptr (GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");

    g_assert_false (rl_circuit_error_is_failure (cancelled));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/circuit/opens-after-threshold", test_opens_after_threshold);
  g_test_add_func ("/circuit/success-resets-count", test_success_resets_count);
  g_test_add_func ("/circuit/half-open-single-probe", test_half_open_single_probe);
  g_test_add_func ("/circuit/failed-probe-doubles-cool-down", test_failed_probe_doubles_cool_down);
  g_test_add_func ("/circuit/release-frees-probe", test_release_frees_probe);
  g_test_add_func ("/circuit/threshold-property", test_threshold_property);
  g_test_add_func ("/circuit/what-counts", test_what_counts);

  return g_test_run ();
}
