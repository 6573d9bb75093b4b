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

#include "rl-status-indicator.h"
#include "rl-ui-errors.h"

struct _RlStatusIndicator
{
  GtkWidget parent_instance;

  RlSession *session;
  char      *mqtt_url;
  gboolean   compact;

  GtkMenuButton *button;
  GtkLabel      *label;
  GtkPopover    *popover;
};

G_DEFINE_FINAL_TYPE (RlStatusIndicator, rl_status_indicator, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_SUMMARY,
  PROP_MQTT_URL,
  PROP_COMPACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "10:42" today, "21 Nov 10:42" another day. */
static char *
format_time_ms (gint64 ms)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  if (utc == NULL)
    return g_strdup ("?");

  local = g_date_time_to_local (utc);
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");

  /* Translators: a date and time, in strftime format: "21 Nov 10:42". */
  return g_date_time_format (local, _ ("%e %b %H:%M"));
}

char *
rl_status_format_summary (RlSessionState state,
                          gint64         offline_since_ms,
                          guint          pending_changes,
                          double         sync_progress)
{
  switch (state)
    {
    case RL_SESSION_STATE_ONLINE:
      return g_strdup (_ ("Online"));

    case RL_SESSION_STATE_SYNCING:
      if (sync_progress >= 0.0)
        /* Translators: %d is a percentage. */
        return g_strdup_printf (_ ("Syncing… %d %%"),
                                (int) (CLAMP (sync_progress, 0.0, 1.0) * 100.0));
      return g_strdup (_ ("Syncing…"));

    case RL_SESSION_STATE_OFFLINE:
      {
        g_autofree char *changes = NULL;
        g_autofree char *since = NULL;

        /* Translators: the number of local edits not yet sent to the server. */
        changes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change waiting",
                                                "%u changes waiting", pending_changes),
                                   pending_changes);
        if (offline_since_ms <= 0)
          /* Translators: "Offline · 3 changes waiting". */
          return g_strdup_printf (_ ("Offline · %s"), changes);

        since = format_time_ms (offline_since_ms);
        /* Translators: "Offline since 10:42 · 3 changes waiting". */
        return g_strdup_printf (_ ("Offline since %s · %s"), since, changes);
      }

    case RL_SESSION_STATE_SIGNED_OUT:
    default:
      return g_strdup (_ ("Signed out"));
    }
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
                 double         sync_progress)
{
  return rl_status_format_summary (state, offline_since_ms, pending_changes, sync_progress);
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
 * counters are read when it changes state and each time the popover opens
 * (@popover_visible is there for that). */
static char *
mqtt_closure (gpointer    this_,
              const char *mqtt_url,
              RlFeed     *feed,
              RlFeedState state,
              gboolean    popover_visible)
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

        rl_feed_get_counters (feed, &counters);
        readings = g_strdup_printf ("%" G_GUINT64_FORMAT, counters.readings);
        if (rejected > 0)
          {
            g_autofree char *bad = g_strdup_printf ("%" G_GUINT64_FORMAT, rejected);

            /* Translators: 1: the broker's URL, 2: readings stored, 3: messages rejected. */
            return g_strdup_printf (_ ("Connected (%1$s) · %2$s readings, %3$s rejected"),
                                    mqtt_url, readings, bad);
          }
        /* Translators: 1: the broker's URL, 2: readings stored. */
        return g_strdup_printf (_ ("Connected (%1$s) · %2$s readings"), mqtt_url, readings);
      }
    case RL_FEED_STATE_RECONNECTING:
      {
        g_autofree char *why = rl_feed_get_error (feed) != NULL
                                   ? rl_ui_error_message (rl_feed_get_error (feed))
                                   : g_strdup ("");

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
  return last_sync_ms > 0 ? format_time_ms (last_sync_ms) : g_strdup (_ ("Never"));
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
rl_status_indicator_dispose (GObject *object)
{
  RlStatusIndicator *self = RL_STATUS_INDICATOR (object);

  if (self->label != NULL)
    g_signal_handlers_disconnect_by_data (self->label, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_STATUS_INDICATOR);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RL_TYPE_SESSION);
  g_type_ensure (RL_TYPE_FEED);

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
  gtk_widget_class_bind_template_callback (widget_class, last_sync_closure);
  gtk_widget_class_bind_template_callback (widget_class, pending_closure);
  gtk_widget_class_bind_template_callback (widget_class, keyring_closure);
  gtk_widget_class_bind_template_callback (widget_class, cache_closure);
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

  if (g_set_object (&self->session, session))
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
