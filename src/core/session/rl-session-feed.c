/* rl-session-feed.c — the session's live telemetry feed.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-session-private.h"

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
