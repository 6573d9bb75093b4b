/* rl-dev-sim.h — MQTT bin simulator: a fleet of smart bins publishing to a real broker.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *device_id;
  const char *drop_point_id;
  double      latitude, longitude;
  double      capacity_liters, fill_level, battery_level;
} RlDevSimDevice;

typedef struct
{
  const char *device_id;
  gint64      timestamp_ms;
  double      fill_level, weight, temperature, humidity, battery_level;
} RlDevSimReading;

typedef struct
{
  const char *device_id;
  gboolean    online;
  gint64      timestamp_ms;
} RlDevSimStatus;

typedef struct
{
  const char *device_id;
  const char *type, *severity, *message;
  gint64      timestamp_ms;
} RlDevSimAlert;

typedef struct _RlDevSim RlDevSim;

/* Called on the main context of the thread that called rl_dev_sim_start(),
 * at most twice a second, with everything published since the last call.
 * The strings are valid only during the call. */
typedef void (*RlDevSimBatchFunc) (const RlDevSimReading *readings,
                                   guint                  n_readings,
                                   const RlDevSimStatus  *statuses,
                                   guint                  n_statuses,
                                   const RlDevSimAlert   *alerts,
                                   guint                  n_alerts,
                                   gpointer               user_data);

/* The simulator's errors. */
#define RL_DEV_SIM_ERROR (rl_dev_sim_error_quark ())
typedef enum
{
  RL_DEV_SIM_ERROR_INVALID_URL,
  RL_DEV_SIM_ERROR_MQTT,
  RL_DEV_SIM_ERROR_NO_BROKER,
} RlDevSimError;
GQuark rl_dev_sim_error_quark (void);

/* mqtt_url: mqtt://[user[:password]@]host[:port] or mqtts://… (system CAs);
 * the password may come from $RELOOP_MQTT_PASSWORD instead. NULL gives a
 * simulator without a broker (model only; rl_dev_sim_start() fails).
 * rate: total messages per second over all devices. */
RlDevSim *rl_dev_sim_new (
    const char *mqtt_url, const char *topic_prefix, double rate, guint32 seed, GError **error);
void     rl_dev_sim_add_device (RlDevSim *sim, const RlDevSimDevice *device); /* copies */
void     rl_dev_sim_set_batch_func (RlDevSim *sim, RlDevSimBatchFunc func, gpointer user_data);
gboolean rl_dev_sim_start (RlDevSim *sim, GError **error);
void     rl_dev_sim_collect (RlDevSim *sim, const char *device_id); /* a crew emptied it */
void     rl_dev_sim_get_counters (RlDevSim *sim, guint64 *published, guint64 *failed);
void     rl_dev_sim_free (RlDevSim *sim); /* stops, disconnects cleanly, joins threads */

/* Model hours per wall-clock hour (default 60, or $RELOOP_SIM_ACCELERATION);
 * set before rl_dev_sim_start(). Timestamps are always real wall time. */
void rl_dev_sim_set_acceleration (RlDevSim *sim, double factor);
/* Whether the MQTT connection is up right now. */
gboolean rl_dev_sim_is_connected (RlDevSim *sim);
/* Messages acknowledged by the broker (QoS 1 PUBACK). */
guint64 rl_dev_sim_get_acked (RlDevSim *sim);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlDevSim, rl_dev_sim_free)

G_END_DECLS
