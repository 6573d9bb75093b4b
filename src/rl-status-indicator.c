/* rl-status-indicator.c — the header bar's connection status and its popover.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every text, icon and row of ui/rl-status-indicator.ui is bound to the
 * session's properties there, through the closures below (state → icon,
 * state + offline-since + pending-changes + sync-progress → summary, …):
 * a notify of one property updates what depends on it and nothing else.
 * The code keeps only what a binding cannot do: the button's accessible
 * name follows the summary, and "summary" is notified when it changes.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rl-list-item.h"
#include "rl-record-list.h"
#include "rl-status-indicator.h"
#include "rl-sync-engine.h"
#include "rl-ui-errors.h"
#include "rl-ui-format.h"

struct _RlStatusIndicator
{
  GtkWidget parent_instance;

  RlSession *session;
  char      *mqtt_url;
  gboolean   compact;

  GtkMenuButton *button;
  GtkLabel      *label;
  GtkPopover    *popover;
  GtkLabel      *outbox_message;

  /* The MQTT row's counts follow the feed's batches (points-changed)
   * while the popover is open. */
  RlFeed *watched_feed;
  guint   feed_batches;
};

G_DEFINE_FINAL_TYPE (RlStatusIndicator, rl_status_indicator, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_SUMMARY,
  PROP_MQTT_URL,
  PROP_COMPACT,
  PROP_FEED_BATCHES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
rl_status_format_summary (const RlStatusFacts *facts)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  switch (facts->state)
    {
    case RL_SESSION_STATE_ONLINE:
      g_ptr_array_add (parts, g_strdup (facts->sync_error ? _ ("Sync failing, retrying") : _ ("Online")));
      break;

    case RL_SESSION_STATE_SYNCING:
      if (facts->sync_progress >= 0.0)
        /* Translators: %d is a percentage. */
        g_ptr_array_add (parts, g_strdup_printf (_ ("Syncing… %d %%"),
                                                 (int) (CLAMP (facts->sync_progress, 0.0, 1.0) * 100.0)));
      else
        g_ptr_array_add (parts, g_strdup (_ ("Syncing…")));
      break;

    case RL_SESSION_STATE_OFFLINE:
      if (facts->offline_since_ms > 0)
        {
          g_autofree char *since = rl_ui_format_time_ms (facts->offline_since_ms);

          /* Translators: %s is a time ("10:42") or a date and time. */
          g_ptr_array_add (parts, g_strdup_printf (_ ("Offline since %s"), since));
        }
      else
        g_ptr_array_add (parts, g_strdup (_ ("Offline")));
      break;

    case RL_SESSION_STATE_SIGNED_OUT:
    default:
      return g_strdup (_ ("Signed out"));
    }

  /* Offline, what waits is always said (0 too): it is what the user asks. */
  if (facts->pending_changes > 0 || facts->state == RL_SESSION_STATE_OFFLINE)
    /* Translators: the number of local edits not yet sent to the server. */
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change waiting",
                                                          "%u changes waiting", facts->pending_changes),
                                             facts->pending_changes));
  if (facts->failed_changes > 0)
    /* Translators: the number of local edits the server refused, waiting for the user. */
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change refused",
                                                          "%u changes refused", facts->failed_changes),
                                             facts->failed_changes));
  if (facts->open_conflicts > 0)
    /* Translators: the number of open sync conflicts. */
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict",
                                                          "%u conflicts", facts->open_conflicts),
                                             facts->open_conflicts));
  g_ptr_array_add (parts, NULL);
  /* Translators: what joins the parts of the status ("Offline since 10:42 · 3 changes waiting"). */
  joined = g_strjoinv (_ (" · "), (char **) parts->pdata);
  return g_steal_pointer (&joined);
}

const char *
rl_status_describe_keyring (RlKeyringState state)
{
  switch (state)
    {
    case RL_KEYRING_AVAILABLE:
      return _ ("Available");
    case RL_KEYRING_LOCKED:
      return _ ("Locked: unlock your keyring to stay signed in");
    case RL_KEYRING_NO_SERVICE:
      return _ ("No keyring (Secret Service) on this computer: you must sign in each time");
    case RL_KEYRING_UNKNOWN:
    default:
      return _ ("Not checked yet");
    }
}

/* ---- Closures for the template's bindings ---------------------------- */

static char *
summary_closure (gpointer       this_,
                 RlSessionState state,
                 gint64         offline_since_ms,
                 guint          pending_changes,
                 guint          failed_changes,
                 guint          open_conflicts,
                 double         sync_progress,
                 gboolean       sync_error)
{
  RlStatusFacts facts = {
    .state = state,
    .offline_since_ms = offline_since_ms,
    .pending_changes = pending_changes,
    .failed_changes = failed_changes,
    .open_conflicts = open_conflicts,
    .sync_progress = sync_progress,
    .sync_error = sync_error,
  };

  return rl_status_format_summary (&facts);
}

static char *
icon_closure (gpointer       this_,
              RlSessionState state)
{
  switch (state)
    {
    case RL_SESSION_STATE_ONLINE:
      return g_strdup ("network-transmit-receive-symbolic");
    case RL_SESSION_STATE_SYNCING:
      return g_strdup ("emblem-synchronizing-symbolic");
    case RL_SESSION_STATE_OFFLINE:
      return g_strdup ("network-offline-symbolic");
    case RL_SESSION_STATE_SIGNED_OUT:
    default:
      return g_strdup ("avatar-default-symbolic");
    }
}

/* The icon's style classes: green online, amber offline. */
static GStrv
icon_classes_closure (gpointer       this_,
                      RlSessionState state)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  if (state == RL_SESSION_STATE_ONLINE)
    g_strv_builder_add (builder, "success");
  else if (state == RL_SESSION_STATE_OFFLINE)
    g_strv_builder_add (builder, "warning");
  return g_strv_builder_end (builder);
}

static gboolean
progress_visible_closure (gpointer       this_,
                          RlSessionState state,
                          double         sync_progress)
{
  return state == RL_SESSION_STATE_SYNCING && sync_progress >= 0.0;
}

static double
fraction_closure (gpointer this_,
                  double   sync_progress)
{
  return CLAMP (sync_progress, 0.0, 1.0);
}

static gboolean
not_closure (gpointer this_,
             gboolean value)
{
  return !value;
}

/* The server's URL or the account's e-mail, "None" when there is none. */
static char *
or_none_closure (gpointer    this_,
                 const char *text)
{
  return g_strdup (text != NULL && *text != '\0' ? text : _ ("None"));
}

static char *
api_closure (gpointer       this_,
             RlSessionState state,
             gboolean       reachable)
{
  if (state == RL_SESSION_STATE_SIGNED_OUT)
    return g_strdup (_ ("Not signed in"));
  return g_strdup (reachable ? _ ("Reachable") : _ ("Not reachable"));
}

/* The MQTT row: what the session's feed is doing, in words. The feed's
 * counters are read when it changes state, each time the popover opens
 * (@popover_visible is there for that) and, while it is open, after each
 * batch the feed dispatches (@batches). */
static char *
mqtt_closure (gpointer    this_,
              const char *mqtt_url,
              RlFeed     *feed,
              RlFeedState state,
              gboolean    popover_visible,
              guint       batches)
{
  if (mqtt_url == NULL || *mqtt_url == '\0')
    return g_strdup (_ ("Not set up: add a broker in Preferences"));
  if (feed == NULL)
    /* Translators: %s is the broker's URL. */
    return g_strdup_printf (_ ("Not connected (%s)"), mqtt_url);

  switch (state)
    {
    case RL_FEED_STATE_CONNECTING:
      /* Translators: %s is the broker's URL. */
      return g_strdup_printf (_ ("Connecting to %s…"), mqtt_url);
    case RL_FEED_STATE_CONNECTED:
      {
        RlFeedCounters   counters;
        guint64          rejected = rl_feed_get_n_rejected (feed);
        g_autofree char *readings = NULL;
        g_autofree char *since = NULL;
        /* The node of the broker list the feed is on, and since when
         * (docs/feed.md "Several brokers"); a change of node bumps
         * @batches (feed_node_changed_cb). */
        const char *node = rl_feed_get_node (feed);

        if (node == NULL)
          node = mqtt_url;
        since = rl_ui_format_time_ms (rl_feed_get_node_since (feed));
        rl_feed_get_counters (feed, &counters);
        readings = g_strdup_printf ("%" G_GUINT64_FORMAT, counters.readings);
        if (rejected > 0)
          {
            g_autofree char *bad = g_strdup_printf ("%" G_GUINT64_FORMAT, rejected);

            /* Translators: 1: the broker's URL, 2: since when (a time), 3: readings stored,
             * 4: messages rejected. */
            return g_strdup_printf (_ ("Connected to %1$s since %2$s · %3$s readings, %4$s "
                                       "rejected"),
                                    node, since, readings, bad);
          }
        /* Translators: 1: the broker's URL, 2: since when (a time), 3: readings stored. */
        return g_strdup_printf (_ ("Connected to %1$s since %2$s · %3$s readings"), node, since,
                                readings);
      }
    case RL_FEED_STATE_RECONNECTING:
      {
        g_autoptr (GPtrArray) nodes = rl_feed_get_nodes (feed);
        g_autofree char *why = rl_feed_get_error (feed) != NULL
                                   ? rl_ui_error_message (rl_feed_get_error (feed))
                                   : g_strdup ("");

        if (nodes->len > 1)
          /* Translators: 1: how many brokers the console tries in turn, 2: why it is not
           * connected. */
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Reconnecting to one of %1$u brokers: %2$s",
                                               "Reconnecting to one of %1$u brokers: %2$s", nodes->len),
                                  nodes->len, why);
        /* Translators: 1: the broker's URL, 2: why it is not connected. */
        return g_strdup_printf (_ ("Reconnecting to %1$s: %2$s"), mqtt_url, why);
      }
    case RL_FEED_STATE_STOPPED:
    default:
      /* Translators: %s is the broker's URL. */
      return g_strdup_printf (_ ("Not connected (%s)"), mqtt_url);
    }
}

static char *
last_sync_closure (gpointer this_,
                   gint64   last_sync_ms)
{
  return last_sync_ms > 0 ? rl_ui_format_time_ms (last_sync_ms) : g_strdup (_ ("Never"));
}

static char *
pending_closure (gpointer this_,
                 guint    pending,
                 guint    quarantined)
{
  if (quarantined > 0)
    /* Translators: changes waiting, then records the sync could not apply. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u (%u record could not be applied)",
                                         "%u (%u records could not be applied)", quarantined),
                            pending, quarantined);
  return g_strdup_printf ("%u", pending);
}

static char *
keyring_closure (gpointer       this_,
                 RlKeyringState state)
{
  return g_strdup (rl_status_describe_keyring (state));
}

static char *
cache_closure (gpointer this_,
               gint64   cache_size)
{
  return g_format_size ((guint64) MAX (cache_size, 0));
}

static char *
conflicts_closure (gpointer this_,
                   guint    open_conflicts)
{
  if (open_conflicts == 0)
    return g_strdup (_ ("None open"));
  /* Translators: the number of open sync conflicts. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open", "%u open", open_conflicts),
                          open_conflicts);
}

/* Why the last pull or drain failed, and when the next try comes. */
static char *
sync_error_closure (gpointer      this_,
                    const GError *error,
                    gint64        next_retry_ms)
{
  g_autofree char *why = NULL;
  g_autofree char *when = NULL;

  if (error == NULL)
    return g_strdup ("");
  why = rl_ui_error_message (error);
  if (next_retry_ms <= 0)
    return g_steal_pointer (&why);
  when = rl_ui_format_time_ms (next_retry_ms);
  /* Translators: 1: why the sync failed, 2: when it is tried again ("10:42"). */
  return g_strdup_printf (_ ("%1$s Next try at %2$s."), why, when);
}

static gboolean
nonzero_closure (gpointer this_,
                 guint    n)
{
  return n > 0;
}

/* What an outbox row does, from the action at the end of its path. */
static const char *
action_label (const char *path)
{
  const char *verb = path != NULL ? strrchr (path, '/') : NULL;

  verb = verb != NULL ? verb + 1 : "";
  if (g_str_equal (verb, "acknowledge"))
    return _ ("Acknowledge");
  if (g_str_equal (verb, "resolve"))
    return _ ("Resolve");
  if (g_str_equal (verb, "retry"))
    return _ ("Retry");
  if (g_str_equal (verb, "cancel"))
    return _ ("Cancel");
  if (g_str_equal (verb, "run"))
    return _ ("Run");
  if (g_str_equal (verb, "pause"))
    return _ ("Pause");
  if (g_str_equal (verb, "resume"))
    return _ ("Resume");
  return _ ("Action");
}

static char *
outbox_title_closure (gpointer    this_,
                      const char *kind,
                      const char *path,
                      const char *entity,
                      const char *entity_id)
{
  const char *what;

  if (g_strcmp0 (kind, "edit") == 0)
    what = _ ("Edit");
  else if (g_strcmp0 (kind, "action") == 0)
    what = action_label (path);
  else if (g_strcmp0 (kind, "create") == 0)
    what = _ ("Start a run");
  else if (g_strcmp0 (kind, "secret") == 0)
    what = _ ("New secret");
  else if (g_strcmp0 (kind, "resolve") == 0 || g_strcmp0 (kind, "resolve-local") == 0)
    what = _ ("Conflict resolution");
  else
    what = _ ("Change");
  /* Translators: 1: what a change does ("Edit", "Acknowledge"), 2: a kind of record, 3: its id. */
  return g_strdup_printf (_ ("%1$s · %2$s %3$s"), what, rl_ui_entity_label (entity),
                          entity_id != NULL ? entity_id : "");
}

static char *
outbox_state_closure (gpointer      this_,
                      RlOutboxState state,
                      const char   *last_error,
                      gint64        attempts)
{
  switch (state)
    {
    case RL_OUTBOX_STATE_PENDING:
      if (last_error != NULL && *last_error != '\0')
        /* Translators: 1: how many times it was tried, 2: the last error. */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Waiting; tried %1$u time: %2$s",
                                             "Waiting; tried %1$u times: %2$s", (gulong) attempts),
                                (guint) attempts, last_error);
      return g_strdup (_ ("Waiting to be sent"));
    case RL_OUTBOX_STATE_FAILED:
      /* Translators: %s is the server's reason. */
      return g_strdup_printf (_ ("Refused: %s"), last_error != NULL ? last_error : "");
    case RL_OUTBOX_STATE_INVALID_STATE:
      /* Translators: %s is the server's reason. */
      return g_strdup_printf (_ ("No longer possible: %s"), last_error != NULL ? last_error : "");
    case RL_OUTBOX_STATE_SUPERSEDED:
      return g_strdup (_ ("Someone else resolved this conflict first."));
    case RL_OUTBOX_STATE_UNKNOWN:
    default:
      return g_strdup (last_error != NULL ? last_error : "");
    }
}

static GVariant *
id_variant_closure (gpointer    this_,
                    const char *id)
{
  return g_variant_ref_sink (g_variant_new_string (id != NULL ? id : ""));
}

static gboolean
needs_user_closure (gpointer      this_,
                    RlOutboxState state)
{
  return state == RL_OUTBOX_STATE_FAILED || state == RL_OUTBOX_STATE_INVALID_STATE
         || state == RL_OUTBOX_STATE_SUPERSEDED;
}

static gboolean
retry_visible_closure (gpointer      this_,
                       RlOutboxState state)
{
  return state == RL_OUTBOX_STATE_FAILED;
}

static char *
retry_label_closure (gpointer this_)
{
  return g_strdup (_ ("Send Again"));
}

static char *
discard_label_closure (gpointer      this_,
                       RlOutboxState state)
{
  return g_strdup (state == RL_OUTBOX_STATE_FAILED ? _ ("Discard") : _ ("Dismiss"));
}

/* ---- The outbox rows' buttons ---------------------------------------- */

static void
outbox_row_action (RlStatusIndicator *self,
                   const char        *action_name,
                   GVariant          *parameter)
{
  const char *text = g_variant_get_string (parameter, NULL);
  g_autoptr (GError) error = NULL;
  gint64   id;
  gboolean done;

  if (self->session == NULL || !g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &id, NULL))
    return;
  if (g_str_equal (action_name, "status.retry"))
    done = rl_session_outbox_retry (self->session, id, NULL, &error);
  else
    done = rl_session_outbox_discard (self->session, id, &error);
  if (!done)
    {
      g_autofree char *message = rl_ui_error_message (error);

      gtk_label_set_text (self->outbox_message, message);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->outbox_message), !done);
}

static void
outbox_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  outbox_row_action (RL_STATUS_INDICATOR (widget), action_name, parameter);
}

/* ---- What a binding cannot do ----------------------------------------- */

/* The summary changed (its label is bound): the button's accessible name
 * follows, and so does the "summary" property. */
static void
label_changed_cb (RlStatusIndicator *self)
{
  /* Translators: the accessible name of the status button. */
  g_autofree char *accessible =
      g_strdup_printf (_ ("Connection status: %s"), gtk_label_get_text (self->label));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

static void
feed_points_changed_cb (RlStatusIndicator *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    return;
  self->feed_batches++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FEED_BATCHES]);
}

static void
feed_node_changed_cb (RlStatusIndicator *self)
{
  /* A failover within one dispatch leaves the state as it was. */
  self->feed_batches++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FEED_BATCHES]);
}

/* Follows the session's feed (a new one at each start). */
static void
watch_feed (RlStatusIndicator *self)
{
  RlFeed *feed = self->session != NULL ? rl_session_get_feed (self->session) : NULL;

  if (feed == self->watched_feed)
    return;
  if (self->watched_feed != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->watched_feed, feed_points_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->watched_feed, feed_node_changed_cb, self);
    }
  g_set_object (&self->watched_feed, feed);
  if (feed != NULL)
    {
      g_signal_connect_object (feed, "points-changed", G_CALLBACK (feed_points_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (feed, "notify::node", G_CALLBACK (feed_node_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

/* The dialog takes over from the popover. */
static void
feed_details_clicked_cb (RlStatusIndicator *self)
{
  gtk_popover_popdown (self->popover);
}

static void
rl_status_indicator_dispose (GObject *object)
{
  RlStatusIndicator *self = RL_STATUS_INDICATOR (object);

  if (self->label != NULL)
    g_signal_handlers_disconnect_by_data (self->label, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_STATUS_INDICATOR);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (self->session, watch_feed, self);
  if (self->watched_feed != NULL)
    g_signal_handlers_disconnect_by_func (self->watched_feed, feed_points_changed_cb, self);
  g_clear_object (&self->watched_feed);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (rl_status_indicator_parent_class)->dispose (object);
}

static void
rl_status_indicator_finalize (GObject *object)
{
  RlStatusIndicator *self = RL_STATUS_INDICATOR (object);

  g_free (self->mqtt_url);

  G_OBJECT_CLASS (rl_status_indicator_parent_class)->finalize (object);
}

static void
rl_status_indicator_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RlStatusIndicator *self = RL_STATUS_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, rl_status_indicator_get_summary (self));
      break;

    case PROP_MQTT_URL:
      g_value_set_string (value, self->mqtt_url);
      break;

    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;

    case PROP_FEED_BATCHES:
      g_value_set_uint (value, self->feed_batches);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_status_indicator_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RlStatusIndicator *self = RL_STATUS_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      rl_status_indicator_set_session (self, g_value_get_object (value));
      break;

    case PROP_MQTT_URL:
      rl_status_indicator_set_mqtt_url (self, g_value_get_string (value));
      break;

    case PROP_COMPACT:
      rl_status_indicator_set_compact (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_status_indicator_class_init (RlStatusIndicatorClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_status_indicator_dispose;
  object_class->finalize = rl_status_indicator_finalize;
  object_class->get_property = rl_status_indicator_get_property;
  object_class->set_property = rl_status_indicator_set_property;

  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL,
                           RL_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
      g_param_spec_string ("summary", NULL, NULL,
                           NULL,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The broker the console was told to use, "" or NULL when none. */
  properties[PROP_MQTT_URL] =
      g_param_spec_string ("mqtt-url", NULL, NULL,
                           NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPACT] =
      g_param_spec_boolean ("compact", NULL, NULL,
                            FALSE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Bumped by each batch of the feed while the popover is open. */
  properties[PROP_FEED_BATCHES] =
      g_param_spec_uint ("feed-batches", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RL_TYPE_SESSION);
  g_type_ensure (RL_TYPE_FEED);
  g_type_ensure (RL_TYPE_RECORD_LIST);
  g_type_ensure (RL_TYPE_OUTBOX_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/reloop/Console/ui/rl-status-indicator.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, RlStatusIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, RlStatusIndicator, label);
  gtk_widget_class_bind_template_child (widget_class, RlStatusIndicator, popover);
  gtk_widget_class_bind_template_callback (widget_class, summary_closure);
  gtk_widget_class_bind_template_callback (widget_class, icon_closure);
  gtk_widget_class_bind_template_callback (widget_class, icon_classes_closure);
  gtk_widget_class_bind_template_callback (widget_class, progress_visible_closure);
  gtk_widget_class_bind_template_callback (widget_class, fraction_closure);
  gtk_widget_class_bind_template_callback (widget_class, not_closure);
  gtk_widget_class_bind_template_callback (widget_class, or_none_closure);
  gtk_widget_class_bind_template_callback (widget_class, api_closure);
  gtk_widget_class_bind_template_callback (widget_class, mqtt_closure);
  gtk_widget_class_bind_template_callback (widget_class, feed_details_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, last_sync_closure);
  gtk_widget_class_bind_template_callback (widget_class, pending_closure);
  gtk_widget_class_bind_template_callback (widget_class, keyring_closure);
  gtk_widget_class_bind_template_callback (widget_class, cache_closure);
  gtk_widget_class_bind_template_callback (widget_class, conflicts_closure);
  gtk_widget_class_bind_template_callback (widget_class, sync_error_closure);
  gtk_widget_class_bind_template_callback (widget_class, nonzero_closure);
  gtk_widget_class_bind_template_callback (widget_class, outbox_title_closure);
  gtk_widget_class_bind_template_callback (widget_class, outbox_state_closure);
  gtk_widget_class_bind_template_callback (widget_class, id_variant_closure);
  gtk_widget_class_bind_template_callback (widget_class, needs_user_closure);
  gtk_widget_class_bind_template_callback (widget_class, retry_visible_closure);
  gtk_widget_class_bind_template_callback (widget_class, retry_label_closure);
  gtk_widget_class_bind_template_callback (widget_class, discard_label_closure);
  gtk_widget_class_bind_template_child (widget_class, RlStatusIndicator, outbox_message);

  gtk_widget_class_install_action (widget_class, "status.retry", "s", outbox_action_cb);
  gtk_widget_class_install_action (widget_class, "status.discard", "s", outbox_action_cb);
}

static void
rl_status_indicator_init (RlStatusIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->label, "notify::label", G_CALLBACK (label_changed_cb), self,
                           G_CONNECT_SWAPPED);
  label_changed_cb (self);
}

RlSession *
rl_status_indicator_get_session (RlStatusIndicator *self)
{
  g_return_val_if_fail (RL_IS_STATUS_INDICATOR (self), NULL);

  return self->session;
}

void
rl_status_indicator_set_session (RlStatusIndicator *self,
                                 RlSession         *session)
{
  g_return_if_fail (RL_IS_STATUS_INDICATOR (self));
  g_return_if_fail (session == NULL || RL_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (self->session, watch_feed, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_object (session, "notify::feed", G_CALLBACK (watch_feed), self,
                             G_CONNECT_SWAPPED);
  watch_feed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
rl_status_indicator_set_mqtt_url (RlStatusIndicator *self,
                                  const char        *mqtt_url)
{
  g_return_if_fail (RL_IS_STATUS_INDICATOR (self));

  if (g_strcmp0 (self->mqtt_url, mqtt_url) == 0)
    return;
  g_free (self->mqtt_url);
  self->mqtt_url = g_strdup (mqtt_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MQTT_URL]);
}

void
rl_status_indicator_set_compact (RlStatusIndicator *self,
                                 gboolean           compact)
{
  g_return_if_fail (RL_IS_STATUS_INDICATOR (self));

  compact = !!compact;
  if (self->compact == compact)
    return;
  self->compact = compact;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

gboolean
rl_status_indicator_get_compact (RlStatusIndicator *self)
{
  g_return_val_if_fail (RL_IS_STATUS_INDICATOR (self), FALSE);

  return self->compact;
}

const char *
rl_status_indicator_get_summary (RlStatusIndicator *self)
{
  g_return_val_if_fail (RL_IS_STATUS_INDICATOR (self), NULL);

  return self->label != NULL ? gtk_label_get_text (self->label) : NULL;
}
