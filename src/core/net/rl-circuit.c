/* rl-circuit.c — a per-host circuit breaker.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rl-circuit.h"
#include "rl-error.h"

struct _RlCircuit
{
  GObject parent_instance;

  char          *host;
  RlCircuitState state;
  guint          failures;
  guint          threshold;
  gint64         base_cool_down_ms;
  gint64         max_cool_down_ms;
  gint64         cool_down_ms; /* current, doubles on failed probes */
  gint64         opened_at_ms;
  gboolean       probe_in_flight;

  RlCircuitClockFunc clock;
  gpointer           clock_data;
};

G_DEFINE_FINAL_TYPE (RlCircuit, rl_circuit, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_HOST,
  PROP_STATE,
  PROP_CONSECUTIVE_FAILURES,
  PROP_FAILURE_THRESHOLD,
  PROP_COOL_DOWN_MS,
  PROP_MAX_COOL_DOWN_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gint64
now_ms (RlCircuit *self)
{
  if (self->clock != NULL)
    return self->clock (self->clock_data);
  return g_get_monotonic_time () / 1000;
}

static void
set_state (RlCircuit     *self,
           RlCircuitState state)
{
  if (self->state == state)
    return;
  g_debug ("circuit %s: %d → %d", self->host, self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_failures (RlCircuit *self,
              guint      failures)
{
  if (self->failures == failures)
    return;
  self->failures = failures;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONSECUTIVE_FAILURES]);
}

static void
rl_circuit_finalize (GObject *object)
{
  RlCircuit *self = RL_CIRCUIT (object);

  g_free (self->host);

  G_OBJECT_CLASS (rl_circuit_parent_class)->finalize (object);
}

static void
rl_circuit_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RlCircuit *self = RL_CIRCUIT (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_CONSECUTIVE_FAILURES:
      g_value_set_uint (value, self->failures);
      break;
    case PROP_FAILURE_THRESHOLD:
      g_value_set_uint (value, self->threshold);
      break;
    case PROP_COOL_DOWN_MS:
      g_value_set_int64 (value, self->base_cool_down_ms);
      break;
    case PROP_MAX_COOL_DOWN_MS:
      g_value_set_int64 (value, self->max_cool_down_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_circuit_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  RlCircuit *self = RL_CIRCUIT (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_string (value);
      break;
    case PROP_FAILURE_THRESHOLD:
      rl_circuit_set_failure_threshold (self, g_value_get_uint (value));
      break;
    case PROP_COOL_DOWN_MS:
      rl_circuit_set_cool_down (self, g_value_get_int64 (value), self->max_cool_down_ms);
      break;
    case PROP_MAX_COOL_DOWN_MS:
      rl_circuit_set_cool_down (self, self->base_cool_down_ms, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_circuit_class_init (RlCircuitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rl_circuit_finalize;
  object_class->get_property = rl_circuit_get_property;
  object_class->set_property = rl_circuit_set_property;

  properties[PROP_HOST] =
      g_param_spec_string ("host", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
      g_param_spec_enum ("state", NULL, NULL, RL_TYPE_CIRCUIT_STATE, RL_CIRCUIT_CLOSED,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONSECUTIVE_FAILURES] =
      g_param_spec_uint ("consecutive-failures", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILURE_THRESHOLD] = g_param_spec_uint (
      "failure-threshold", NULL, NULL, 1, G_MAXUINT, RL_CIRCUIT_DEFAULT_THRESHOLD,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COOL_DOWN_MS] = g_param_spec_int64 (
      "cool-down-ms", NULL, NULL, 0, G_MAXINT64, RL_CIRCUIT_DEFAULT_COOL_DOWN_MS,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_COOL_DOWN_MS] =
      g_param_spec_int64 ("max-cool-down-ms", NULL, NULL, 0, G_MAXINT64,
                          RL_CIRCUIT_DEFAULT_MAX_COOL_DOWN_MS,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_circuit_init (RlCircuit *self)
{
  self->state = RL_CIRCUIT_CLOSED;
  self->threshold = RL_CIRCUIT_DEFAULT_THRESHOLD;
  self->base_cool_down_ms = RL_CIRCUIT_DEFAULT_COOL_DOWN_MS;
  self->max_cool_down_ms = RL_CIRCUIT_DEFAULT_MAX_COOL_DOWN_MS;
  self->cool_down_ms = self->base_cool_down_ms;
}

RlCircuit *
rl_circuit_new (const char *host)
{
  return g_object_new (RL_TYPE_CIRCUIT, "host", host, NULL);
}

const char *
rl_circuit_get_host (RlCircuit *self)
{
  g_return_val_if_fail (RL_IS_CIRCUIT (self), NULL);
  return self->host;
}

RlCircuitState
rl_circuit_get_state (RlCircuit *self)
{
  g_return_val_if_fail (RL_IS_CIRCUIT (self), RL_CIRCUIT_CLOSED);
  return self->state;
}

guint
rl_circuit_get_consecutive_failures (RlCircuit *self)
{
  g_return_val_if_fail (RL_IS_CIRCUIT (self), 0);
  return self->failures;
}

void
rl_circuit_set_failure_threshold (RlCircuit *self,
                                  guint      threshold)
{
  g_return_if_fail (RL_IS_CIRCUIT (self));

  threshold = MAX (threshold, 1);
  if (self->threshold == threshold)
    return;
  self->threshold = threshold;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE_THRESHOLD]);
}

void
rl_circuit_set_cool_down (RlCircuit *self,
                          gint64     cool_down_ms,
                          gint64     max_cool_down_ms)
{
  g_return_if_fail (RL_IS_CIRCUIT (self));

  cool_down_ms = MAX (cool_down_ms, 0);
  max_cool_down_ms = MAX (max_cool_down_ms, cool_down_ms);
  if (self->base_cool_down_ms != cool_down_ms)
    {
      self->base_cool_down_ms = cool_down_ms;
      self->cool_down_ms = cool_down_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COOL_DOWN_MS]);
    }
  if (self->max_cool_down_ms != max_cool_down_ms)
    {
      self->max_cool_down_ms = max_cool_down_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_COOL_DOWN_MS]);
    }
  self->cool_down_ms = CLAMP (self->cool_down_ms, self->base_cool_down_ms, self->max_cool_down_ms);
}

void
rl_circuit_set_clock (RlCircuit         *self,
                      RlCircuitClockFunc clock,
                      gpointer           user_data)
{
  g_return_if_fail (RL_IS_CIRCUIT (self));
  self->clock = clock;
  self->clock_data = user_data;
}

gint64
rl_circuit_get_retry_in_ms (RlCircuit *self)
{
  gint64 left;

  g_return_val_if_fail (RL_IS_CIRCUIT (self), 0);

  if (self->state != RL_CIRCUIT_OPEN)
    return 0;
  left = self->opened_at_ms + self->cool_down_ms - now_ms (self);
  return MAX (left, 0);
}

gboolean
rl_circuit_acquire (RlCircuit *self,
                    GError   **error)
{
  gint64 left;

  g_return_val_if_fail (RL_IS_CIRCUIT (self), FALSE);

  switch (self->state)
    {
    case RL_CIRCUIT_CLOSED:
      return TRUE;

    case RL_CIRCUIT_OPEN:
      left = rl_circuit_get_retry_in_ms (self);
      if (left > 0)
        {
          g_propagate_error (
              error, rl_error_new_full (RL_ERROR_CIRCUIT_OPEN, 0, NULL, NULL, (left + 999) / 1000,
                                        "%s is failing; not retrying for %" G_GINT64_FORMAT " s",
                                        self->host, (left + 999) / 1000));
          return FALSE;
        }
      self->probe_in_flight = TRUE;
      set_state (self, RL_CIRCUIT_HALF_OPEN);
      return TRUE;

    case RL_CIRCUIT_HALF_OPEN:
    default:
      if (!self->probe_in_flight)
        {
          self->probe_in_flight = TRUE;
          return TRUE;
        }
      g_propagate_error (error,
                         rl_error_new_full (RL_ERROR_CIRCUIT_OPEN, 0, NULL, NULL, -1,
                                            "%s is failing; a probe request is in flight",
                                            self->host));
      return FALSE;
    }
}

void
rl_circuit_record_success (RlCircuit *self)
{
  g_return_if_fail (RL_IS_CIRCUIT (self));

  self->probe_in_flight = FALSE;
  self->cool_down_ms = self->base_cool_down_ms;
  set_failures (self, 0);
  set_state (self, RL_CIRCUIT_CLOSED);
}

static void
trip (RlCircuit *self)
{
  self->opened_at_ms = now_ms (self);
  set_state (self, RL_CIRCUIT_OPEN);
}

void
rl_circuit_record_failure (RlCircuit *self)
{
  g_return_if_fail (RL_IS_CIRCUIT (self));

  set_failures (self, self->failures + 1);

  switch (self->state)
    {
    case RL_CIRCUIT_HALF_OPEN:
      /* The probe failed: wait longer this time. */
      self->probe_in_flight = FALSE;
      if (self->cool_down_ms > self->max_cool_down_ms / 2)
        self->cool_down_ms = self->max_cool_down_ms;
      else
        self->cool_down_ms = MAX (self->cool_down_ms * 2, 1);
      self->cool_down_ms = MIN (self->cool_down_ms, self->max_cool_down_ms);
      trip (self);
      break;

    case RL_CIRCUIT_CLOSED:
      if (self->failures >= self->threshold)
        trip (self);
      break;

    case RL_CIRCUIT_OPEN:
    default:
      /* A request that was already in flight when the breaker opened. */
      break;
    }
}

void
rl_circuit_release (RlCircuit *self)
{
  g_return_if_fail (RL_IS_CIRCUIT (self));

  if (self->state == RL_CIRCUIT_HALF_OPEN)
    self->probe_in_flight = FALSE;
}

void
rl_circuit_reset (RlCircuit *self)
{
  g_return_if_fail (RL_IS_CIRCUIT (self));

  self->probe_in_flight = FALSE;
  self->cool_down_ms = self->base_cool_down_ms;
  set_failures (self, 0);
  set_state (self, RL_CIRCUIT_CLOSED);
}

gboolean
rl_circuit_error_is_failure (const GError *error)
{
  if (error == NULL || error->domain != RL_ERROR)
    return FALSE;

  switch ((RlError) error->code)
    {
    case RL_ERROR_NETWORK:
    case RL_ERROR_BAD_RESPONSE:
    case RL_ERROR_INTERNAL:
    case RL_ERROR_UNAVAILABLE:
      return TRUE;
    case RL_ERROR_CIRCUIT_OPEN:
      return FALSE;
    default:
      return rl_error_get_http_status (error) >= 500;
    }
}
