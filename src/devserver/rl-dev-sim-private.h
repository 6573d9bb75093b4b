/* rl-dev-sim-private.h — the bin model behind the simulator (shared with its tests).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-dev-sim.h"

G_BEGIN_DECLS

/* Nepal Standard Time is UTC+05:45, all year. */
#define RL_DEV_SIM_NPT_OFFSET_MS (G_GINT64_CONSTANT (20700000))
#define RL_DEV_SIM_HOUR_MS (G_GINT64_CONSTANT (3600000))

typedef enum
{
  RL_DEV_SIM_EVENT_COLLECTED = 1 << 0,
  RL_DEV_SIM_EVENT_WENT_OFFLINE = 1 << 1,
  RL_DEV_SIM_EVENT_CAME_ONLINE = 1 << 2,
  RL_DEV_SIM_EVENT_SPIKE = 1 << 3,
  RL_DEV_SIM_EVENT_FAULT = 1 << 4,
} RlDevSimEvent;

typedef struct
{
  char  *device_id;
  char  *drop_point_id;
  char  *topic_data, *topic_status, *topic_alerts;
  double latitude, longitude, capacity;
  guint  shard; /* which MQTT connection publishes it */

  /* Fixed per bin, drawn from the seed. */
  double rate_pct_h;  /* mean fill in % of capacity per model hour */
  double density;     /* kg per litre of this kind of waste */
  double temp_offset; /* °C, sun or shade */
  double drain_pct_h; /* battery % per model hour */
  int    signal;      /* dBm */

  /* State at model time model_ms. */
  double   fill, battery;
  gint64   model_ms;      /* 0: not started yet */
  gint64   collect_at;    /* model time a crew empties it; 0: none scheduled */
  gint64   offline_until; /* model time it comes back; 0: online */
  gint64   spike_until;   /* model time a temperature spike ends */
  guint    n_collections;
  gboolean announced; /* status online published since (re)connecting */
  gboolean full_alerted, battery_alerted;
} RlDevSimBin;

/* Demand multiplier (mean about 1) at a model instant: Nepal local hour
 * (morning and evening peaks), weekday (Saturday, the weekend, highest) and
 * festival season (Dashain, Tihar). */
double rl_dev_sim_activity (gint64 model_ms);

/* Kathmandu diurnal mean temperature, 8 °C before dawn to 30 °C mid-afternoon. */
double rl_dev_sim_diurnal_temp (gint64 model_ms);

void rl_dev_sim_bin_init (RlDevSimBin          *bin,
                          const RlDevSimDevice *device,
                          GRand                *rand);
void rl_dev_sim_bin_clear (RlDevSimBin *bin);

/* Moves the bin forward to model_ms (15-minute sub-steps); returns the
 * RlDevSimEvent flags of what happened on the way. */
guint rl_dev_sim_bin_advance (RlDevSimBin *bin,
                              gint64       model_ms,
                              GRand       *rand);

/* A crew empties the bin (fill drops to 0–5 %), maybe servicing the battery. */
void rl_dev_sim_bin_collect (RlDevSimBin *bin,
                             GRand       *rand);

/* A reading of the current state; every value inside the contract ranges.
 * out->device_id points into bin. */
void rl_dev_sim_bin_read (RlDevSimBin     *bin,
                          GRand           *rand,
                          RlDevSimReading *out);

gboolean rl_dev_sim_bin_is_offline (const RlDevSimBin *bin);

/* Contract §3 payloads (rl-dev-sim-json.c), written into s (truncated
 * first). nepal: timestamp with +05:45 instead of Z. */
void rl_dev_sim_json_reading (GString               *s,
                              const RlDevSimBin     *bin,
                              const RlDevSimReading *r,
                              gboolean               nepal);
void rl_dev_sim_json_status (GString *s,
                             gboolean online,
                             int      signal,
                             gint64   ms,
                             gboolean nepal);
void rl_dev_sim_json_alert (GString    *s,
                            const char *type,
                            const char *severity,
                            const char *message,
                            gint64      ms,
                            gboolean    nepal);

G_END_DECLS
