/* rl-dev-sim-model.c — how a simulated smart bin fills, drains and fails.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure model, no I/O: the publisher (rl-dev-sim.c) and the tests drive it
 * with model time. docs/simulator.md explains the numbers.
 */

#include "rl-dev-sim-private.h"

#include <math.h>
#include <string.h>

#define STEP_MS (15 * 60 * 1000)
#define MAX_CATCH_UP_MS (G_GINT64_CONSTANT (14) * 24 * RL_DEV_SIM_HOUR_MS)
#define AUTO_COLLECT_FILL 95.0
#define OFFLINE_PER_HOUR 0.005
#define SPIKE_PER_HOUR 0.0004
#define FAULT_PER_HOUR 0.0002
#define CORE_LAT 27.7045 /* Asan / Indra Chowk */
#define CORE_LON 85.3077

static double
gauss (double x,
       double mu,
       double sigma)
{
  double d = (x - mu) / sigma;

  return exp (-0.5 * d * d);
}

/* Local (Nepal) hour of day as a fraction, and the day number since the epoch. */
static double
local_hour (gint64  model_ms,
            gint64 *out_day)
{
  gint64 local = model_ms + RL_DEV_SIM_NPT_OFFSET_MS;
  gint64 day = local / (24 * RL_DEV_SIM_HOUR_MS);

  if (local < 0)
    day--;
  if (out_day)
    *out_day = day;
  return (double) (local - day * 24 * RL_DEV_SIM_HOUR_MS) / (double) RL_DEV_SIM_HOUR_MS;
}

double
rl_dev_sim_activity (gint64 model_ms)
{
  gint64 day;
  double h = local_hour (model_ms, &day);
  int    weekday = (int) (((day + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday; 0 = Sunday */
  double hourly, daily, season = 1.0;
  GDate  date;

  /* Quiet night, a strong morning peak (households before work and school),
   * a midday market hump, an evening peak. */
  hourly = 0.30 + 1.30 * gauss (h, 7.5, 1.4) + 0.55 * gauss (h, 13.0, 2.5)
           + 1.10 * gauss (h, 18.5, 1.6);

  switch (weekday)
    {
    case 6:
      daily = 1.45;
      break; /* Saturday: the weekend */
    case 5:
      daily = 1.10;
      break; /* Friday: half day, markets */
    default:
      daily = 1.00;
      break;
    }

  /* Festival-like peaks: Dashain and Tihar move with the lunar calendar; a
   * fixed window in October and early November is close enough for a demo. */
  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) (day + 719163));
  if (g_date_get_month (&date) == G_DATE_OCTOBER
      || (g_date_get_month (&date) == G_DATE_NOVEMBER && g_date_get_day (&date) <= 5))
    season = 1.35;

  return hourly * daily * season;
}

double
rl_dev_sim_diurnal_temp (gint64 model_ms)
{
  double h = local_hour (model_ms, NULL);

  return 19.0 + 11.0 * cos (2.0 * G_PI * (h - 14.5) / 24.0);
}

void
rl_dev_sim_bin_init (RlDevSimBin          *bin,
                     const RlDevSimDevice *device,
                     GRand                *rand)
{
  double kind = g_rand_double (rand);
  double dlat, dlon, km, fill_hours, location;

  memset (bin, 0, sizeof *bin);
  bin->device_id = g_strdup (device->device_id);
  bin->drop_point_id = g_strdup (device->drop_point_id);
  bin->latitude = CLAMP (device->latitude, -90.0, 90.0);
  bin->longitude = CLAMP (device->longitude, -180.0, 180.0);
  bin->capacity = device->capacity_liters > 0 ? device->capacity_liters : 240.0;

  /* Bins are sized for their catchment, so the kind of place sets how many
   * hours a bin takes to fill: households ~4 days, shops ~2.5, markets ~1.2. */
  if (kind < 0.55)
    {
      fill_hours = 96.0;
      bin->density = 0.18;
    }
  else if (kind < 0.85)
    {
      fill_hours = 60.0;
      bin->density = 0.12;
    }
  else
    {
      fill_hours = 30.0;
      bin->density = 0.30;
    }
  dlat = (bin->latitude - CORE_LAT) * 111.0;
  dlon = (bin->longitude - CORE_LON) * 111.0 * cos (CORE_LAT * G_PI / 180.0);
  km = sqrt (dlat * dlat + dlon * dlon);
  location = km < 2.0 ? 1.5 : km < 5.0 ? 1.0
                                       : 0.7; /* dense core fills faster */
  bin->rate_pct_h = 100.0 / fill_hours * location * g_rand_double_range (rand, 0.7, 1.3);

  bin->temp_offset = g_rand_double_range (rand, -1.5, 1.5);
  bin->drain_pct_h = g_rand_double_range (rand, 0.01, 0.03);
  bin->signal = g_rand_int_range (rand, -95, -50);

  bin->fill = device->fill_level >= 0 && device->fill_level <= 100
                  ? device->fill_level
                  : g_rand_double_range (rand, 5, 70);
  if (device->battery_level > 0 && device->battery_level <= 100)
    bin->battery = device->battery_level;
  else if (g_rand_double (rand) < 0.04)
    bin->battery = g_rand_double_range (rand, 12, 24); /* a few bins near empty */
  else
    bin->battery = g_rand_double_range (rand, 45, 100);
}

void
rl_dev_sim_bin_clear (RlDevSimBin *bin)
{
  g_clear_pointer (&bin->device_id, g_free);
  g_clear_pointer (&bin->drop_point_id, g_free);
  g_clear_pointer (&bin->topic_data, g_free);
  g_clear_pointer (&bin->topic_status, g_free);
  g_clear_pointer (&bin->topic_alerts, g_free);
}

void
rl_dev_sim_bin_collect (RlDevSimBin *bin,
                        GRand       *rand)
{
  bin->fill = g_rand_double_range (rand, 0.0, 5.0);
  bin->collect_at = 0;
  bin->full_alerted = FALSE;
  bin->n_collections++;
  /* The crew services a weak battery half of the time. */
  if (bin->battery < 25.0 && g_rand_double (rand) < 0.5)
    bin->battery = g_rand_double_range (rand, 96.0, 100.0);
}

static gboolean
chance (GRand *rand,
        double per_hour,
        double hours)
{
  return g_rand_double (rand) < per_hour * hours;
}

guint
rl_dev_sim_bin_advance (RlDevSimBin *bin,
                        gint64       model_ms,
                        GRand       *rand)
{
  guint events = 0;

  if (bin->model_ms == 0)
    {
      bin->model_ms = model_ms;
      return 0;
    }
  if (model_ms - bin->model_ms > MAX_CATCH_UP_MS)
    bin->model_ms = model_ms - MAX_CATCH_UP_MS;

  while (bin->model_ms < model_ms)
    {
      gint64 step = MIN (STEP_MS, model_ms - bin->model_ms);
      double hours = (double) step / (double) RL_DEV_SIM_HOUR_MS;
      gint64 mid = bin->model_ms + step / 2;
      double noise = g_rand_double_range (rand, 0.6, 1.4);

      bin->fill =
          MIN (100.0, bin->fill + bin->rate_pct_h * rl_dev_sim_activity (mid) * noise * hours);
      bin->battery = MAX (1.0, bin->battery - bin->drain_pct_h * hours);
      if (bin->battery >= 25.0)
        bin->battery_alerted = FALSE;
      bin->model_ms += step;

      if (bin->collect_at == 0 && bin->fill >= AUTO_COLLECT_FILL)
        bin->collect_at =
            bin->model_ms + (gint64) (g_rand_double_range (rand, 1.0, 6.0) * RL_DEV_SIM_HOUR_MS);
      if (bin->collect_at != 0 && bin->model_ms >= bin->collect_at)
        {
          rl_dev_sim_bin_collect (bin, rand);
          events |= RL_DEV_SIM_EVENT_COLLECTED;
        }

      if (bin->offline_until != 0)
        {
          if (bin->model_ms >= bin->offline_until)
            {
              bin->offline_until = 0;
              events |= RL_DEV_SIM_EVENT_CAME_ONLINE;
            }
        }
      else if (chance (rand, OFFLINE_PER_HOUR, hours))
        {
          bin->offline_until =
              bin->model_ms + (gint64) (g_rand_double_range (rand, 0.5, 4.0) * RL_DEV_SIM_HOUR_MS);
          events |= RL_DEV_SIM_EVENT_WENT_OFFLINE;
        }

      if (bin->spike_until < bin->model_ms && chance (rand, SPIKE_PER_HOUR, hours))
        {
          bin->spike_until = bin->model_ms + RL_DEV_SIM_HOUR_MS / 4;
          events |= RL_DEV_SIM_EVENT_SPIKE;
        }
      if (chance (rand, FAULT_PER_HOUR, hours))
        events |= RL_DEV_SIM_EVENT_FAULT;
    }

  return events;
}

gboolean
rl_dev_sim_bin_is_offline (const RlDevSimBin *bin)
{
  return bin->offline_until != 0;
}

void
rl_dev_sim_bin_read (RlDevSimBin     *bin,
                     GRand           *rand,
                     RlDevSimReading *out)
{
  double temp, humidity;

  temp = rl_dev_sim_diurnal_temp (bin->model_ms) + bin->temp_offset
         + g_rand_double_range (rand, -0.4, 0.4);
  if (bin->spike_until >= bin->model_ms)
    temp = g_rand_double_range (rand, 55.0,
                                68.0); /* a hot spot: smouldering waste or a faulty probe */

  out->device_id = bin->device_id;
  out->fill_level = CLAMP (round (bin->fill * 10.0) / 10.0, 0.0, 100.0);
  out->weight = round (bin->fill / 100.0 * bin->capacity * bin->density * 100.0) / 100.0;
  out->temperature = CLAMP (round (temp * 10.0) / 10.0, -40.0, 85.0);
  /* Kathmandu air is damp at dawn and dry in the afternoon. */
  humidity = 95.0 - (temp - 8.0) / 22.0 * 45.0 + g_rand_double_range (rand, -4, 4);
  out->humidity = CLAMP (round (humidity * 10.0) / 10.0, 40.0, 95.0);
  out->battery_level = CLAMP (round (bin->battery * 10.0) / 10.0, 0.0, 100.0);
}
