/* rl-circuit.h — a per-host circuit breaker (closed → open → half-open).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rl-core-enums.h"

G_BEGIN_DECLS

typedef enum
{
  RL_CIRCUIT_CLOSED,
  RL_CIRCUIT_OPEN,
  RL_CIRCUIT_HALF_OPEN,
} RlCircuitState;

#define RL_CIRCUIT_DEFAULT_THRESHOLD 5
#define RL_CIRCUIT_DEFAULT_COOL_DOWN_MS 30000
#define RL_CIRCUIT_DEFAULT_MAX_COOL_DOWN_MS (5 * 60 * 1000)

/* Monotonic milliseconds. */
typedef gint64 (*RlCircuitClockFunc) (gpointer user_data);

#define RL_TYPE_CIRCUIT (rl_circuit_get_type ())
G_DECLARE_FINAL_TYPE (RlCircuit, rl_circuit, RL, CIRCUIT, GObject)

/* Properties: host (construct-only), state (notify), consecutive-failures,
 * failure-threshold, cool-down-ms, max-cool-down-ms. */
RlCircuit *rl_circuit_new (const char *host);

const char    *rl_circuit_get_host (RlCircuit *self);
RlCircuitState rl_circuit_get_state (RlCircuit *self);
guint          rl_circuit_get_consecutive_failures (RlCircuit *self);
void           rl_circuit_set_failure_threshold (RlCircuit *self,
                                                 guint      threshold);
void           rl_circuit_set_cool_down (RlCircuit *self,
                                         gint64     cool_down_ms,
                                         gint64     max_cool_down_ms);
/* For tests: NULL restores g_get_monotonic_time () / 1000. */
void rl_circuit_set_clock (RlCircuit         *self,
                           RlCircuitClockFunc clock,
                           gpointer           user_data);

/* Asks to send a request. Closed: TRUE. Open before the cool-down ends:
 * FALSE + RL_ERROR_CIRCUIT_OPEN (Retry-After = the time left). Open after
 * it: the state turns half-open and this caller is the one probe (TRUE).
 * Half-open with the probe in flight: FALSE + CIRCUIT_OPEN.
 * Every TRUE must be followed by exactly one record_success/_failure/_release. */
gboolean rl_circuit_acquire (RlCircuit *self,
                             GError   **error);
/* The host answered (any 2xx–4xx): closes the breaker. */
void rl_circuit_record_success (RlCircuit *self);
/* A failure (see rl_circuit_error_is_failure): opens it at the threshold,
 * re-opens after a failed probe with a doubled cool-down. */
void rl_circuit_record_failure (RlCircuit *self);
/* Neither (e.g. cancelled by the caller): frees a half-open probe slot. */
void rl_circuit_release (RlCircuit *self);
/* Back to closed (e.g. the user pressed "retry now"). */
void rl_circuit_reset (RlCircuit *self);
/* Milliseconds until a probe is allowed; 0 when not open. */
gint64 rl_circuit_get_retry_in_ms (RlCircuit *self);

/* Which errors count against the host: NETWORK, BAD_RESPONSE, 5xx
 * (INTERNAL, UNAVAILABLE, any status ≥ 500). Not 4xx, not cancellation. */
gboolean rl_circuit_error_is_failure (const GError *error);

G_END_DECLS
