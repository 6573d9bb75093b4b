/* rl-feed-parse-fast.c — a strict scanner for the common sensor-data payload.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib's parser took 10–16 µs of each reading's 13–27 µs on the network
 * thread (docs/feed.md "Ingest"). A bin's reading is a flat object of a few
 * numbers and two strings; this scanner takes exactly that shape and nothing
 * else: one JSON object whose members are the contract §3 reading fields,
 * each at most once, numbers written -?(0|[1-9][0-9]*)(.[0-9]+)? with at most
 * 15 digits, strings of printable ASCII without escapes, gpsCoordinates an
 * object of such numbers, whitespace between tokens. It accepts only a
 * reading that passes every check; on anything else (another shape, an
 * escape, a duplicate, null, an exponent, a reading the contract rejects) it
 * declines and the json-glib path decides, reason and all. test-feed-parse
 * runs both over thousands of payloads and compares the outcomes.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "rl-feed-private.h"
#include "rl-time.h"

#define FAST_MAX_STRING 128
#define FAST_MAX_DIGITS 15

typedef enum
{
  FIELD_BIN_ID,
  FIELD_FILL,
  FIELD_WEIGHT,
  FIELD_TEMPERATURE,
  FIELD_HUMIDITY,
  FIELD_BATTERY,
  FIELD_GPS,
  FIELD_TIMESTAMP,
  N_FIELDS
} Field;

static const struct
{
  const char *name;
  gsize       length;
} fields[N_FIELDS] = {
  [FIELD_BIN_ID] = { "binId", 5 },
  [FIELD_FILL] = { "fillLevel", 9 },
  [FIELD_WEIGHT] = { "weight", 6 },
  [FIELD_TEMPERATURE] = { "temperature", 11 },
  [FIELD_HUMIDITY] = { "humidity", 8 },
  [FIELD_BATTERY] = { "batteryLevel", 12 },
  [FIELD_GPS] = { "gpsCoordinates", 14 },
  [FIELD_TIMESTAMP] = { "timestamp", 9 },
};

typedef struct
{
  const char *p, *end;
} Scan;

static void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

/* A string of printable ASCII, no escapes; *@out points into the payload. */
static gboolean
scan_string (Scan        *s,
             const char **out,
             gsize       *out_length)
{
  const char *start;

  if (s->p >= s->end || *s->p != '"')
    return FALSE;
  start = ++s->p;
  while (s->p < s->end && *s->p != '"')
    {
      if (*s->p < 0x20 || *s->p > 0x7e || *s->p == '\\')
        return FALSE;
      s->p++;
    }
  if (s->p >= s->end)
    return FALSE;
  *out = start;
  *out_length = (gsize) (s->p - start);
  s->p++;
  return TRUE;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?, at most FAST_MAX_DIGITS digits. An integer
 * is read as one (json-glib reads it as an int64, then as a double). */
static gboolean
scan_number (Scan   *s,
             double *out)
{
  char        text[FAST_MAX_DIGITS + 4];
  const char *start = s->p;
  gsize       n = 0, digits = 0;
  gboolean    fraction = FALSE;

  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return FALSE;
  if (*s->p == '0')
    s->p++, digits++;
  else
    for (; s->p < s->end && g_ascii_isdigit (*s->p); s->p++)
      digits++;
  if (s->p < s->end && *s->p == '.')
    {
      gsize before = digits;

      fraction = TRUE;
      for (s->p++; s->p < s->end && g_ascii_isdigit (*s->p); s->p++)
        digits++;
      if (digits == before)
        return FALSE;
    }
  /* An exponent, a second sign, a letter: not this scanner's. */
  if (digits > FAST_MAX_DIGITS
      || (s->p < s->end && (g_ascii_isalnum (*s->p) || *s->p == '.' || *s->p == '-' || *s->p == '+')))
    return FALSE;
  n = (gsize) (s->p - start);
  memcpy (text, start, n);
  text[n] = '\0';
  *out = fraction ? g_ascii_strtod (text, NULL) : (double) g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

/* gpsCoordinates: an object of plain numbers (not used: the drop point's
 * position is the server's). */
static gboolean
scan_flat_numbers (Scan *s)
{
  double value;

  if (s->p >= s->end || *s->p != '{')
    return FALSE;
  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      const char *name;
      gsize       length;

      if (!scan_string (s, &name, &length))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end || *s->p++ != ':')
        return FALSE;
      skip_space (s);
      if (!scan_number (s, &value))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      if (*s->p++ != ',')
        return FALSE;
      skip_space (s);
    }
}

static gboolean
in_range (double value,
          double min,
          double max)
{
  return isfinite (value) && value >= min && value <= max;
}

gboolean
rl_feed_parse_reading_fast (const char *device_id,
                            const char *payload,
                            gsize       length,
                            Msg        *msg)
{
  Scan        s = { payload, payload + length };
  guint       seen = 0;
  double      numbers[N_FIELDS];
  const char *bin_id = NULL, *timestamp = NULL;
  gsize       bin_id_length = 0, timestamp_length = 0;
  char        text[FAST_MAX_STRING + 1];
  gint64      ts_ms;

  for (guint i = 0; i < N_FIELDS; i++)
    numbers[i] = NAN;
  skip_space (&s);
  if (s.p >= s.end || *s.p++ != '{')
    return FALSE;
  skip_space (&s);
  for (;;)
    {
      const char *name;
      gsize       name_length;
      Field       field;

      if (!scan_string (&s, &name, &name_length))
        return FALSE;
      for (field = 0; field < N_FIELDS; field++)
        if (fields[field].length == name_length && memcmp (fields[field].name, name, name_length) == 0)
          break;
      if (field == N_FIELDS || (seen & (1u << field)) != 0)
        return FALSE;
      seen |= 1u << field;
      skip_space (&s);
      if (s.p >= s.end || *s.p++ != ':')
        return FALSE;
      skip_space (&s);
      switch (field)
        {
        case FIELD_BIN_ID:
          if (!scan_string (&s, &bin_id, &bin_id_length))
            return FALSE;
          break;
        case FIELD_TIMESTAMP:
          if (!scan_string (&s, &timestamp, &timestamp_length))
            return FALSE;
          break;
        case FIELD_GPS:
          if (!scan_flat_numbers (&s))
            return FALSE;
          break;
        case FIELD_FILL:
        case FIELD_WEIGHT:
        case FIELD_TEMPERATURE:
        case FIELD_HUMIDITY:
        case FIELD_BATTERY:
          if (!scan_number (&s, &numbers[field]))
            return FALSE;
          break;
        case N_FIELDS:
        default:
          g_assert_not_reached ();
        }
      skip_space (&s);
      if (s.p >= s.end)
        return FALSE;
      if (*s.p == '}')
        {
          s.p++;
          break;
        }
      if (*s.p++ != ',')
        return FALSE;
      skip_space (&s);
    }
  skip_space (&s);
  if (s.p != s.end)
    return FALSE;

  /* Only a reading the contract takes (rl-feed-parse.c's checks). */
  if (bin_id == NULL || timestamp == NULL || (seen & (1u << FIELD_FILL)) == 0
      || strlen (device_id) != bin_id_length || memcmp (device_id, bin_id, bin_id_length) != 0
      || !in_range (numbers[FIELD_FILL], 0, 100)
      || ((seen & (1u << FIELD_WEIGHT)) != 0 && !in_range (numbers[FIELD_WEIGHT], 0, G_MAXDOUBLE))
      || ((seen & (1u << FIELD_TEMPERATURE)) != 0 && !in_range (numbers[FIELD_TEMPERATURE], -40, 85))
      || ((seen & (1u << FIELD_HUMIDITY)) != 0 && !in_range (numbers[FIELD_HUMIDITY], 0, 100))
      || ((seen & (1u << FIELD_BATTERY)) != 0 && !in_range (numbers[FIELD_BATTERY], 0, 100))
      || timestamp_length > FAST_MAX_STRING)
    return FALSE;
  memcpy (text, timestamp, timestamp_length);
  text[timestamp_length] = '\0';
  if (!rl_time_parse_ms (text, &ts_ms) || ts_ms > rl_time_now_ms () + RL_FEED_MAX_FUTURE_MS)
    return FALSE;

  msg->kind = MSG_READING;
  msg->ts_ms = ts_ms;
  msg->fill = numbers[FIELD_FILL];
  msg->weight = numbers[FIELD_WEIGHT];
  msg->temperature = numbers[FIELD_TEMPERATURE];
  msg->humidity = numbers[FIELD_HUMIDITY];
  msg->battery = numbers[FIELD_BATTERY];
  return TRUE;
}
