/* rl-activity-text.c — words for the Activity page: cron in words, ANSI escapes stripped.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "rl-activity-text.h"

/* ---- Cron ---------------------------------------------------------------------------------- */

/* A plain number in [@min, @max], or -1. */
static int
cron_number (const char *field,
             int         min,
             int         max)
{
  char  *end = NULL;
  gint64 value;

  if (!g_ascii_isdigit (*field))
    return -1;
  value = g_ascii_strtoll (field, &end, 10);
  if (*end != '\0' || value < min || value > max)
    return -1;
  return (int) value;
}

/* "*∕N" → N, or -1. */
static int
cron_step (const char *field,
           int         max)
{
  if (!g_str_has_prefix (field, "*/"))
    return -1;
  return cron_number (field + 2, 1, max);
}

static const char *
weekday_name (int day)
{
  switch (day % 7)
    {
    case 0:
      return _ ("every Sunday");
    case 1:
      return _ ("every Monday");
    case 2:
      return _ ("every Tuesday");
    case 3:
      return _ ("every Wednesday");
    case 4:
      return _ ("every Thursday");
    case 5:
      return _ ("every Friday");
    default:
      return _ ("every Saturday");
    }
}

char *
rl_cron_to_words (const char *cron)
{
  g_auto (GStrv) fields = NULL;
  g_autofree char *copy = NULL;
  const char      *m, *h, *dom, *mon, *dow;
  int              minute, hour, n;

  if (cron == NULL || *cron == '\0')
    return NULL;
  copy = g_strstrip (g_strdup (cron));
  fields = g_strsplit_set (copy, " \t", -1);
  {
    /* Drop the empty fields of repeated spaces. */
    guint j = 0;

    for (guint i = 0; fields[i] != NULL; i++)
      if (*fields[i] != '\0')
        fields[j++] = fields[i];
      else
        g_free (fields[i]);
    fields[j] = NULL;
  }
  if (g_strv_length (fields) != 5)
    goto unknown;
  m = fields[0], h = fields[1], dom = fields[2], mon = fields[3], dow = fields[4];
  if (!g_str_equal (mon, "*"))
    goto unknown;

  minute = cron_number (m, 0, 59);
  hour = cron_number (h, 0, 23);

  if (g_str_equal (dom, "*") && g_str_equal (dow, "*"))
    {
      if (g_str_equal (m, "*") && g_str_equal (h, "*"))
        return g_strdup (_ ("every minute"));
      if ((n = cron_step (m, 59)) > 0 && g_str_equal (h, "*"))
        /* Translators: a schedule; %d is a number of minutes. */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %d minute",
                                             "every %d minutes", n),
                                n);
      if (minute == 0 && g_str_equal (h, "*"))
        return g_strdup (_ ("every hour"));
      if (minute > 0 && g_str_equal (h, "*"))
        /* Translators: a schedule; %02d is the minute past each hour. */
        return g_strdup_printf (_ ("every hour at :%02d"), minute);
      if (minute >= 0 && (n = cron_step (h, 23)) > 0)
        /* Translators: a schedule; 1: a number of hours, 2: the minute past the hour. */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %1$d hour at :%2$02d",
                                             "every %1$d hours at :%2$02d", n),
                                n, minute);
      if (minute >= 0 && hour >= 0)
        /* Translators: a schedule; 1: hour (00–23), 2: minute. */
        return g_strdup_printf (_ ("every day at %1$02d:%2$02d"), hour, minute);
      goto unknown;
    }
  if (minute < 0 || hour < 0)
    goto unknown;
  if (g_str_equal (dom, "*"))
    {
      int day = cron_number (dow, 0, 7);

      if (day >= 0)
        /* Translators: a schedule; 1: "every Sunday" etc., 2: hour, 3: minute. */
        return g_strdup_printf (_ ("%1$s at %2$02d:%3$02d"), weekday_name (day), hour, minute);
      if (g_str_equal (dow, "1-5"))
        /* Translators: a schedule (Monday to Friday); 1: hour, 2: minute. */
        return g_strdup_printf (_ ("every weekday at %1$02d:%2$02d"), hour, minute);
      goto unknown;
    }
  if (g_str_equal (dow, "*") && (n = cron_number (dom, 1, 31)) > 0)
    /* Translators: a schedule; 1: day of the month, 2: hour, 3: minute. */
    return g_strdup_printf (_ ("every month on day %1$d at %2$02d:%3$02d"), n, hour, minute);

unknown:
  /* Translators: a schedule the console cannot put in words; %s is its cron expression. */
  return g_strdup_printf (_ ("cron: %s"), cron);
}

/* ---- ANSI escapes -------------------------------------------------------------------------- */

char *
rl_ansi_strip_in_place (char *text)
{
  char *in, *out;

  if (text == NULL)
    return NULL;
  in = out = strchr (text, '\033');
  if (in == NULL)
    return text;
  while (*in != '\0')
    {
      if (*in != '\033')
        {
          *out++ = *in++;
          continue;
        }
      in++;
      if (*in == '[')
        {
          /* CSI: parameters and intermediates, then one final byte 0x40–0x7e. */
          in++;
          while (*in != '\0' && !(*in >= 0x40 && *in <= 0x7e))
            in++;
          if (*in != '\0')
            in++;
        }
      else if (*in == ']')
        {
          /* OSC: up to BEL or ST (ESC \). */
          in++;
          while (*in != '\0' && *in != '\007' && !(in[0] == '\033' && in[1] == '\\'))
            in++;
          if (*in == '\007')
            in++;
          else if (*in == '\033')
            in += 2;
        }
      else
        {
          /* nF escapes ("ESC ( B"): intermediates 0x20–0x2f, then one final byte. */
          while (*in >= 0x20 && *in <= 0x2f)
            in++;
          if (*in != '\0')
            in++;
        }
    }
  *out = '\0';
  return text;
}

char *
rl_ansi_strip (const char *text)
{
  return rl_ansi_strip_in_place (g_strdup (text));
}
