/* rl-session-feed.c — the session's live telemetry feed, and the local
 * alert rules it gives the feed.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules are session properties named as their GSettings keys
 * (fill-alert-threshold, battery-alert-threshold,
 * temperature-alert-threshold, offline-after-minutes), which the
 * application binds; the session hands them to every feed it starts and to
 * the running one when they change. Core never reads GSettings.
 */
#include "config.h"

#include "rl-session-private.h"

enum
{
  PROP_FILL_ALERT_THRESHOLD,
  PROP_BATTERY_ALERT_THRESHOLD,
  PROP_TEMPERATURE_ALERT_THRESHOLD,
  PROP_OFFLINE_AFTER_MINUTES,
  N_FEED_PROPS
};

static GParamSpec *properties[N_FEED_PROPS];
static guint       first_prop;

/* ---- Alert rules -------------------------------------------------------- */

static void
give_rules (RlSession *self,
            RlFeed    *feed)
{
  g_object_set (feed, "fill-alert-threshold", self->fill_alert_threshold,
                "battery-alert-threshold", self->battery_alert_threshold,
                "temperature-alert-threshold", self->temperature_alert_threshold, "offline-after",
                self->offline_after_minutes * 60, NULL);
}

static void
apply_rules (RlSession *self)
{
  if (self->feed != NULL)
    give_rules (self, self->feed);
}

static void
set_double (RlSession *self,
            double    *field,
            double     value,
            guint      prop)
{
  if (*field == value)
    return;
  *field = value;
  apply_rules (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

guint
rl_session_feed_class_init (GObjectClass *klass,
                            guint         first_prop_id)
{
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  first_prop = first_prop_id;
  /* The ranges and defaults of the GSettings keys of the same names. */
  properties[PROP_FILL_ALERT_THRESHOLD] = g_param_spec_double (
      "fill-alert-threshold", NULL, NULL, 0, 100, RL_FEED_DEFAULT_FILL_THRESHOLD, rw);
  properties[PROP_BATTERY_ALERT_THRESHOLD] = g_param_spec_double (
      "battery-alert-threshold", NULL, NULL, 0, 100, RL_FEED_DEFAULT_BATTERY_THRESHOLD, rw);
  properties[PROP_TEMPERATURE_ALERT_THRESHOLD] = g_param_spec_double (
      "temperature-alert-threshold", NULL, NULL, -40, 85, RL_FEED_DEFAULT_TEMPERATURE_THRESHOLD, rw);
  properties[PROP_OFFLINE_AFTER_MINUTES] =
      g_param_spec_uint ("offline-after-minutes", NULL, NULL, 1, 1440,
                         RL_FEED_DEFAULT_OFFLINE_AFTER_S / 60, rw);

  for (guint i = 0; i < N_FEED_PROPS; i++)
    g_object_class_install_property (klass, first_prop + 1 + i, properties[i]);
  return first_prop + N_FEED_PROPS;
}

void
rl_session_feed_init (RlSession *self)
{
  self->fill_alert_threshold = RL_FEED_DEFAULT_FILL_THRESHOLD;
  self->battery_alert_threshold = RL_FEED_DEFAULT_BATTERY_THRESHOLD;
  self->temperature_alert_threshold = RL_FEED_DEFAULT_TEMPERATURE_THRESHOLD;
  self->offline_after_minutes = RL_FEED_DEFAULT_OFFLINE_AFTER_S / 60;
}

gboolean
rl_session_feed_get_property (RlSession *self,
                              guint      prop_id,
                              GValue    *value)
{
  if (prop_id <= first_prop || prop_id > first_prop + N_FEED_PROPS)
    return FALSE;

  switch (prop_id - first_prop - 1)
    {
    case PROP_FILL_ALERT_THRESHOLD:
      g_value_set_double (value, self->fill_alert_threshold);
      break;
    case PROP_BATTERY_ALERT_THRESHOLD:
      g_value_set_double (value, self->battery_alert_threshold);
      break;
    case PROP_TEMPERATURE_ALERT_THRESHOLD:
      g_value_set_double (value, self->temperature_alert_threshold);
      break;
    case PROP_OFFLINE_AFTER_MINUTES:
      g_value_set_uint (value, self->offline_after_minutes);
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

gboolean
rl_session_feed_set_property (RlSession    *self,
                              guint         prop_id,
                              const GValue *value)
{
  if (prop_id <= first_prop || prop_id > first_prop + N_FEED_PROPS)
    return FALSE;

  switch (prop_id - first_prop - 1)
    {
    case PROP_FILL_ALERT_THRESHOLD:
      set_double (self, &self->fill_alert_threshold, g_value_get_double (value),
                  PROP_FILL_ALERT_THRESHOLD);
      break;
    case PROP_BATTERY_ALERT_THRESHOLD:
      set_double (self, &self->battery_alert_threshold, g_value_get_double (value),
                  PROP_BATTERY_ALERT_THRESHOLD);
      break;
    case PROP_TEMPERATURE_ALERT_THRESHOLD:
      set_double (self, &self->temperature_alert_threshold, g_value_get_double (value),
                  PROP_TEMPERATURE_ALERT_THRESHOLD);
      break;
    case PROP_OFFLINE_AFTER_MINUTES:
      if (self->offline_after_minutes != g_value_get_uint (value))
        {
          self->offline_after_minutes = g_value_get_uint (value);
          apply_rules (self);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_AFTER_MINUTES]);
        }
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/* ---- The feed ----------------------------------------------------------- */

static void
feed_state_cb (RlSession *self)
{
  g_object_notify (G_OBJECT (self), "feed-state");
}

/* The feed, and what depends on it, changed: notify both (feed-state only
 * when it is not what it was). */
static void
notify_feed (RlSession  *self,
             RlFeedState old_state)
{
  g_object_notify (G_OBJECT (self), "feed");
  if (rl_session_get_feed_state (self) != old_state)
    feed_state_cb (self);
}

gboolean
rl_session_start_feed (RlSession          *self,
                       const RlFeedConfig *config,
                       GError            **error)
{
  g_autoptr (RlFeed) feed = NULL;
  RlFeedState old_state;

  g_return_val_if_fail (RL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  if (self->store == NULL)
    {
      g_set_error_literal (error, RL_FEED_ERROR, RL_FEED_ERROR_NOT_SIGNED_IN,
                           "Sign in first: live telemetry is stored in the server’s cache");
      return FALSE;
    }

  rl_session_stop_feed (self);
  feed = rl_feed_new (self->store);
  /* The rules before the first message. */
  give_rules (self, feed);
  if (!rl_feed_start (feed, config, error))
    return FALSE;
  old_state = rl_session_get_feed_state (self);
  self->feed = g_steal_pointer (&feed);
  g_signal_connect_object (self->feed, "notify::state", G_CALLBACK (feed_state_cb), self,
                           G_CONNECT_SWAPPED);
  notify_feed (self, old_state);
  return TRUE;
}

void
rl_session_stop_feed (RlSession *self)
{
  RlFeedState old_state;

  g_return_if_fail (RL_IS_SESSION (self));

  if (self->feed == NULL)
    return;
  old_state = rl_session_get_feed_state (self);
  g_signal_handlers_disconnect_by_func (self->feed, feed_state_cb, self);
  rl_feed_stop (self->feed);
  g_clear_object (&self->feed);
  notify_feed (self, old_state);
}

RlFeed *
rl_session_get_feed (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), NULL);
  return self->feed;
}

RlFeedState
rl_session_get_feed_state (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), RL_FEED_STATE_STOPPED);
  return self->feed != NULL ? rl_feed_get_state (self->feed) : RL_FEED_STATE_STOPPED;
}
