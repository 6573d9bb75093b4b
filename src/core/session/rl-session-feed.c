/* rl-session-feed.c — the session's live telemetry feed.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-session-private.h"

gboolean
rl_session_start_feed (RlSession          *self,
                       const RlFeedConfig *config,
                       GError            **error)
{
  g_autoptr (RlFeed) feed = NULL;

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
  self->feed = g_steal_pointer (&feed);
  g_object_notify (G_OBJECT (self), "feed");
  return TRUE;
}

void
rl_session_stop_feed (RlSession *self)
{
  g_return_if_fail (RL_IS_SESSION (self));

  if (self->feed == NULL)
    return;
  rl_feed_stop (self->feed);
  g_clear_object (&self->feed);
  g_object_notify (G_OBJECT (self), "feed");
}

RlFeed *
rl_session_get_feed (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), NULL);
  return self->feed;
}
