/* rl-ui-alerts.c — the words for the console's own alerts.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core stores a feed or local alert with English texts (rl-feed-rules.c)
 * and the figures they were made from: the list's rule-value,
 * rule-threshold and resolved-value ("92", "85.5"), auto-resolved and
 * superseded-by. A person reads the sentence chosen here, in their
 * language, with the same figures.
 */
#include "config.h"

#include "rl-ui-alerts.h"

#include <glib/gi18n-lib.h>

const char *
rl_ui_alert_source_label (RlAlertSource source)
{
  switch (source)
    {
    case RL_ALERT_SOURCE_SERVER:
      return _ ("Server");
    case RL_ALERT_SOURCE_FEED:
      /* Translators: an alert a bin sent itself over the live feed. */
      return _ ("Sensor");
    case RL_ALERT_SOURCE_LOCAL:
      /* Translators: an alert this console raised from a bin's readings. */
      return _ ("Console rule");
    case RL_ALERT_SOURCE_UNKNOWN:
    default:
      return _ ("Unknown");
    }
}

static const char *
item_string (RlAlertItem *item,
             const char  *column)
{
  return rl_list_item_get_string (RL_LIST_ITEM (item), column);
}

char *
rl_ui_alert_message (RlAlertItem *item)
{
  const char *value, *threshold, *message;

  g_return_val_if_fail (RL_IS_ALERT_ITEM (item), NULL);

  value = item_string (item, "rule-value");
  threshold = item_string (item, "rule-threshold");
  message = item_string (item, "message");
  if (rl_list_item_get_enum (RL_LIST_ITEM (item), "source") == RL_ALERT_SOURCE_LOCAL
      && value != NULL && threshold != NULL)
    switch (rl_list_item_get_enum (RL_LIST_ITEM (item), "alert-type"))
      {
      case RL_ALERT_TYPE_FULL_BIN:
        /* Translators: a bin's fill level, then the threshold, in percent. */
        return g_strdup_printf (_ ("Fill level %s %% is above %s %%"), value, threshold);
      case RL_ALERT_TYPE_LOW_BATTERY:
        /* Translators: a sensor's battery, then the threshold, in percent. */
        return g_strdup_printf (_ ("Battery %s %% is below %s %%"), value, threshold);
      case RL_ALERT_TYPE_HIGH_TEMPERATURE:
        /* Translators: a bin's temperature, then the threshold, in °C. */
        return g_strdup_printf (_ ("Temperature %s °C is above %s °C"), value, threshold);
      case RL_ALERT_TYPE_OFFLINE:
        /* Translators: minutes without a message, then the setting in minutes. */
        return g_strdup_printf (_ ("No message from the device for %s minutes (offline after %s)"),
                                value, threshold);
      default:
        break;
      }
  return g_strdup (message != NULL ? message : "");
}

char *
rl_ui_alert_resolved_note (RlAlertItem *item)
{
  const char *value, *note;

  g_return_val_if_fail (RL_IS_ALERT_ITEM (item), NULL);

  note = item_string (item, "resolved-note");
  if (rl_list_item_get_enum (RL_LIST_ITEM (item), "source") == RL_ALERT_SOURCE_SERVER)
    return g_strdup (note);
  if (item_string (item, "superseded-by") != NULL)
    return g_strdup (_ ("Replaced by the server’s alert"));
  if (!rl_list_item_get_boolean (RL_LIST_ITEM (item), "auto-resolved"))
    return g_strdup (note);

  value = item_string (item, "resolved-value");
  switch (rl_list_item_get_enum (RL_LIST_ITEM (item), "alert-type"))
    {
    case RL_ALERT_TYPE_FULL_BIN:
      if (value != NULL)
        /* Translators: the fill level that cleared the alert, in percent. */
        return g_strdup_printf (_ ("Resolved automatically: fill level back to %s %%"), value);
      break;
    case RL_ALERT_TYPE_LOW_BATTERY:
      if (value != NULL)
        /* Translators: the battery level that cleared the alert, in percent. */
        return g_strdup_printf (_ ("Resolved automatically: battery back to %s %%"), value);
      break;
    case RL_ALERT_TYPE_HIGH_TEMPERATURE:
      if (value != NULL)
        /* Translators: the temperature that cleared the alert, in °C. */
        return g_strdup_printf (_ ("Resolved automatically: temperature back to %s °C"), value);
      break;
    case RL_ALERT_TYPE_OFFLINE:
      return g_strdup (_ ("Resolved automatically: the device reported again"));
    default:
      break;
    }
  return g_strdup (note);
}
