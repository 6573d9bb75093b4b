/* rl-feed-nodes.c — the feed's list of brokers: which one to try next, how
 * long to wait first, and what the main thread sees of each.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * As Paho's serverURIs: the feed connects to the first node that answers
 * and stays on it; when it loses it, it tries the others in turn, the next
 * one first. A node that fails is followed at once by the next, until
 * every node has failed in a row: then the feed waits the backoff (1 s,
 * doubled each such round up to 30 s). A session that worked (the caller
 * says: subscribed for RL_FEED_SESSION_WORKED_S) starts the backoff over. With one URL this is the single broker's backoff as
 * before. docs/feed.md "Several brokers".
 */
#include "config.h"

#include "rl-feed-private.h"
#include "rl-url.h"

void
rl_feed_rotation_init (RlFeedRotation *rotation,
                       guint           n_nodes)
{
  g_return_if_fail (n_nodes > 0);

  *rotation = (RlFeedRotation){ .n_nodes = n_nodes };
}

guint
rl_feed_rotation_next (RlFeedRotation *rotation,
                       gboolean        session_up)
{
  g_return_val_if_fail (rotation->n_nodes > 0, RL_FEED_BACKOFF_MIN_S);

  rotation->current = (rotation->current + 1) % rotation->n_nodes;
  if (session_up)
    {
      /* Lost a node that worked: the next one now (a failover); the only
       * one, after the shortest wait. */
      rotation->failed = 0;
      rotation->backoff_s = 0;
      return rotation->n_nodes > 1 ? 0 : RL_FEED_BACKOFF_MIN_S;
    }
  rotation->failed++;
  if (rotation->failed % rotation->n_nodes != 0)
    return 0;
  /* A whole round failed. */
  rotation->backoff_s = CLAMP (rotation->backoff_s * 2, RL_FEED_BACKOFF_MIN_S, RL_FEED_BACKOFF_MAX_S);
  return rotation->backoff_s;
}

void
rl_feed_node_info_free (gpointer data)
{
  RlFeedNodeInfo *info = data;

  if (info == NULL)
    return;
  g_free (info->url);
  g_clear_error (&info->error);
  g_free (info);
}

RlFeedNodeInfo *
rl_feed_node_info_copy (const RlFeedNodeInfo *info)
{
  RlFeedNodeInfo *copy = g_memdup2 (info, sizeof *info);

  copy->url = g_strdup (info->url);
  copy->error = info->error != NULL ? g_error_copy (info->error) : NULL;
  return copy;
}

void
rl_feed_endpoint_free (gpointer data)
{
  RlFeedEndpoint *endpoint = data;

  g_free (endpoint->url);
  g_free (endpoint->host);
  g_free (endpoint);
}

GPtrArray *
rl_feed_endpoints_parse (const char *const *urls,
                         gboolean          *out_tls,
                         GError           **error)
{
  g_autoptr (GPtrArray) endpoints = g_ptr_array_new_with_free_func (rl_feed_endpoint_free);
  gboolean tls = FALSE;

  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    {
      g_autofree char *url = NULL;
      g_autoptr (GUri) uri = NULL;
      RlFeedEndpoint *endpoint;
      gboolean        this_tls;
      gboolean        seen = FALSE;

      if (!rl_url_validate_broker (urls[i], &url, error))
        return NULL;
      /* Normalised: the scheme is lower-case and the port written out. */
      uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
      g_assert (uri != NULL);
      this_tls = g_str_equal (g_uri_get_scheme (uri), "mqtts");
      if (endpoints->len > 0 && this_tls != tls)
        {
          g_set_error (error, RL_FEED_ERROR, RL_FEED_ERROR_MIXED_SCHEMES,
                       "The broker URLs mix mqtt:// and mqtts:// (%s)", url);
          return NULL;
        }
      tls = this_tls;
      /* A URL given twice is one node. */
      for (guint j = 0; j < endpoints->len && !seen; j++)
        seen = g_str_equal (((RlFeedEndpoint *) g_ptr_array_index (endpoints, j))->url, url);
      if (seen)
        continue;
      endpoint = g_new0 (RlFeedEndpoint, 1);
      endpoint->host = g_strdup (g_uri_get_host (uri));
      endpoint->port = g_uri_get_port (uri);
      endpoint->url = g_steal_pointer (&url);
      g_ptr_array_add (endpoints, endpoint);
    }
  if (endpoints->len == 0)
    {
      /* What the validator says of an empty URL. */
      rl_url_validate_broker ("", NULL, error);
      return NULL;
    }
  if (out_tls != NULL)
    *out_tls = tls;
  return g_steal_pointer (&endpoints);
}

/* ---- what the main thread sees ------------------------------------------ */

void
rl_feed_nodes_reset (RlFeed *self)
{
  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->nodes, 0);
  for (guint i = 0; i < self->endpoints->len; i++)
    {
      const RlFeedEndpoint *endpoint = g_ptr_array_index (self->endpoints, i);
      RlFeedNodeInfo       *info = g_new0 (RlFeedNodeInfo, 1);

      info->url = g_strdup (endpoint->url);
      g_ptr_array_add (self->nodes, info);
    }
  self->node_attempt = 0;
  self->node_current = -1;
  self->node_since_ms = 0;
  self->nodes_dirty = TRUE;
  g_mutex_unlock (&self->lock);
}

void
rl_feed_nodes_set_attempt (RlFeed *self,
                           guint   index)
{
  g_mutex_lock (&self->lock);
  self->node_attempt = (gint) index;
  g_mutex_unlock (&self->lock);
}

void
rl_feed_nodes_note_state_locked (RlFeed       *self,
                                 RlFeedState   state,
                                 const GError *error)
{
  RlFeedNodeInfo *attempt = NULL;

  if (self->node_attempt >= 0 && (guint) self->node_attempt < self->nodes->len)
    attempt = g_ptr_array_index (self->nodes, self->node_attempt);
  if (error != NULL && attempt != NULL)
    {
      g_clear_error (&attempt->error);
      attempt->error = g_error_copy (error);
      attempt->error_ms = g_get_real_time () / 1000;
      self->nodes_dirty = TRUE;
    }
  if (state == RL_FEED_STATE_CONNECTED && attempt != NULL
      && self->node_current != self->node_attempt)
    {
      if (self->node_current >= 0)
        ((RlFeedNodeInfo *) g_ptr_array_index (self->nodes, self->node_current))->current = FALSE;
      self->node_current = self->node_attempt;
      self->node_since_ms = g_get_real_time () / 1000;
      attempt->current = TRUE;
      attempt->connected_ms = self->node_since_ms;
      self->nodes_dirty = TRUE;
    }
  else if (state != RL_FEED_STATE_CONNECTED && self->node_current >= 0)
    {
      ((RlFeedNodeInfo *) g_ptr_array_index (self->nodes, self->node_current))->current = FALSE;
      self->node_current = -1;
      self->node_since_ms = 0;
      self->nodes_dirty = TRUE;
    }
}

gboolean
rl_feed_nodes_take_changes (RlFeed   *self,
                            gboolean *out_node_changed,
                            gboolean *out_since_changed)
{
  gboolean dirty;

  g_mutex_lock (&self->lock);
  dirty = self->nodes_dirty;
  self->nodes_dirty = FALSE;
  if (dirty)
    {
      const char *node = self->node_current >= 0
                             ? ((RlFeedNodeInfo *) g_ptr_array_index (self->nodes,
                                                                      self->node_current))
                                   ->url
                             : NULL;

      *out_node_changed = g_strcmp0 (node, self->notified_node) != 0;
      *out_since_changed = self->node_since_ms != self->notified_node_since_ms;
      g_free (self->notified_node);
      self->notified_node = g_strdup (node);
      self->notified_node_since_ms = self->node_since_ms;
    }
  else
    *out_node_changed = *out_since_changed = FALSE;
  g_mutex_unlock (&self->lock);
  return dirty;
}

GPtrArray *
rl_feed_get_nodes (RlFeed *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (RL_IS_FEED (self), NULL);

  g_mutex_lock (&self->lock);
  copy = g_ptr_array_new_full (self->nodes->len, rl_feed_node_info_free);
  for (guint i = 0; i < self->nodes->len; i++)
    g_ptr_array_add (copy, rl_feed_node_info_copy (g_ptr_array_index (self->nodes, i)));
  g_mutex_unlock (&self->lock);
  return copy;
}

const char *
rl_feed_get_node (RlFeed *self)
{
  g_return_val_if_fail (RL_IS_FEED (self), NULL);
  return self->notified_node;
}

gint64
rl_feed_get_node_since (RlFeed *self)
{
  g_return_val_if_fail (RL_IS_FEED (self), 0);
  return self->notified_node_since_ms;
}
