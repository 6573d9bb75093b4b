/* rl-dev-sim-json.c — the simulator's MQTT payloads (contract §3), written by hand for speed.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "rl-dev-sim-private.h"
#include "rl-time.h"

#include <time.h>

#define FIRMWARE "reloop-bin 2.4.1"

static void
append_json_string (GString    *s,
                    const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (s, '\\');
      if ((guchar) *p < 0x20)
        g_string_append_printf (s, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

/* Locale-independent numbers ("12.5", never "12,5"). */
static void
append_number (GString    *s,
               const char *key,
               const char *format,
               double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (s, "\"%s\":%s", key, g_ascii_formatd (buf, sizeof buf, format, value));
}

/* RFC 3339 with milliseconds, in UTC or in Nepal time (+05:45). */
static void
append_timestamp (GString *s,
                  gint64   ms,
                  gboolean nepal)
{
  if (nepal)
    {
      gint64    local = ms + RL_DEV_SIM_NPT_OFFSET_MS;
      time_t    secs = (time_t) (local / 1000);
      struct tm tm;
      char      buf[32];

      gmtime_r (&secs, &tm);
      strftime (buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
      g_string_append_printf (s, "\"timestamp\":\"%s.%03d+05:45\"", buf, (int) (local % 1000));
    }
  else
    {
      g_autofree char *ts = rl_time_format_ms (ms);

      g_string_append_printf (s, "\"timestamp\":\"%s\"", ts);
    }
}

void
rl_dev_sim_json_reading (GString               *s,
                         const RlDevSimBin     *bin,
                         const RlDevSimReading *r,
                         gboolean               nepal)
{
  g_string_truncate (s, 0);
  g_string_append (s, "{\"binId\":");
  append_json_string (s, bin->device_id);
  g_string_append_c (s, ',');
  append_number (s, "fillLevel", "%.1f", r->fill_level);
  g_string_append_c (s, ',');
  append_number (s, "weight", "%.2f", r->weight);
  g_string_append_c (s, ',');
  append_number (s, "temperature", "%.1f", r->temperature);
  g_string_append_c (s, ',');
  append_number (s, "humidity", "%.1f", r->humidity);
  g_string_append_c (s, ',');
  append_number (s, "batteryLevel", "%.1f", r->battery_level);
  g_string_append (s, ",\"gpsCoordinates\":{");
  append_number (s, "latitude", "%.6f", bin->latitude);
  g_string_append_c (s, ',');
  append_number (s, "longitude", "%.6f", bin->longitude);
  g_string_append (s, "},");
  append_timestamp (s, r->timestamp_ms, nepal);
  g_string_append_c (s, '}');
}

void
rl_dev_sim_json_status (GString *s,
                        gboolean online,
                        int      signal,
                        gint64   ms,
                        gboolean nepal)
{
  g_string_truncate (s, 0);
  g_string_append_printf (s, "{\"online\":%s,\"firmware\":\"%s\",\"signal\":%d,",
                          online ? "true" : "false", FIRMWARE, signal);
  append_timestamp (s, ms, nepal);
  g_string_append_c (s, '}');
}

void
rl_dev_sim_json_alert (GString    *s,
                       const char *type,
                       const char *severity,
                       const char *message,
                       gint64      ms,
                       gboolean    nepal)
{
  g_string_truncate (s, 0);
  g_string_append (s, "{\"type\":");
  append_json_string (s, type);
  g_string_append (s, ",\"severity\":");
  append_json_string (s, severity);
  g_string_append (s, ",\"message\":");
  append_json_string (s, message);
  g_string_append_c (s, ',');
  append_timestamp (s, ms, nepal);
  g_string_append_c (s, '}');
}
