/* rl-time.c — RFC 3339 timestamps as UTC milliseconds.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-time.h"

#include <string.h>

gint64
rl_time_now_ms (void)
{
  return g_get_real_time () / 1000;
}

static gboolean
read_digits (const char **p,
             guint        n,
             int         *out)
{
  int v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      v = v * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *out = v;
  return TRUE;
}

gboolean
rl_time_parse_ms (const char *text,
                  gint64     *out_ms)
{
  const char *p = text;
  int         year, month, day, hour, minute, second;
  int         frac_ms = 0;
  int         offset_min = 0;
  g_autoptr (GDateTime) dt = NULL;

  g_return_val_if_fail (out_ms != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  if (!read_digits (&p, 4, &year) || *p++ != '-'
      || !read_digits (&p, 2, &month) || *p++ != '-'
      || !read_digits (&p, 2, &day) || (*p != 'T' && *p != 't' && *p != ' '))
    return FALSE;
  p++;
  if (!read_digits (&p, 2, &hour) || *p++ != ':'
      || !read_digits (&p, 2, &minute) || *p++ != ':'
      || !read_digits (&p, 2, &second))
    return FALSE;

  if (*p == '.')
    {
      guint n = 0;

      p++;
      while (g_ascii_isdigit (*p))
        {
          if (n < 3)
            frac_ms = frac_ms * 10 + (*p - '0');
          n++;
          p++;
        }
      if (n == 0)
        return FALSE;
      for (; n < 3; n++)
        frac_ms *= 10;
    }

  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1;
      int oh, om;

      p++;
      if (!read_digits (&p, 2, &oh) || *p++ != ':' || !read_digits (&p, 2, &om))
        return FALSE;
      if (oh > 23 || om > 59)
        return FALSE;
      offset_min = sign * (oh * 60 + om);
    }
  else
    return FALSE;

  if (*p != '\0')
    return FALSE;

  if (month < 1 || month > 12 || day < 1 || day > 31
      || hour > 23 || minute > 59 || second > 60)
    return FALSE;
  if (second == 60)
    second = 59; /* leap second: clamp, GDateTime has none */

  dt = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (dt == NULL)
    return FALSE;
  /* g_date_time_new_utc accepts 31 Feb by failing; check the day survived. */
  if (g_date_time_get_day_of_month (dt) != day)
    return FALSE;

  *out_ms = g_date_time_to_unix (dt) * 1000 + frac_ms - (gint64) offset_min * 60 * 1000;
  return TRUE;
}

char *
rl_time_format_ms (gint64 ms)
{
  gint64 secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  int    frac = (int) (ms - secs * 1000);
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (secs);

  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                          g_date_time_get_year (dt),
                          g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt),
                          g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt),
                          g_date_time_get_second (dt),
                          frac);
}
