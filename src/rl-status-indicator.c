/* rl-status-indicator.c — the header bar's connection status and its popover.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-status-indicator.h"
#include "rl-ui-errors.h"

struct _RlStatusIndicator
{
  GtkWidget parent_instance;

  RlSession *session;
  RlFeed    *feed; /* the session's, watched */
  char      *mqtt_url;
  char      *summary;

  GtkMenuButton  *button;
  GtkImage       *icon;
  GtkLabel       *label;
  GtkPopover     *popover;
  GtkLabel       *title_label;
  GtkProgressBar *progress_bar;
  GtkGrid        *grid;

  GtkLabel *server_value;
  GtkLabel *account_value;
  GtkLabel *api_value;
  GtkLabel *mqtt_value;
  GtkLabel *last_sync_value;
  GtkLabel *pending_value;
  GtkLabel *keyring_value;
  GtkLabel *cache_value;
};

G_DEFINE_FINAL_TYPE (RlStatusIndicator, rl_status_indicator, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_SUMMARY,
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

static const char *
icon_for_state (RlSessionState state)
{
  switch (state)
    {
    case RL_SESSION_STATE_ONLINE:
      return "network-transmit-receive-symbolic";
    case RL_SESSION_STATE_SYNCING:
      return "emblem-synchronizing-symbolic";
    case RL_SESSION_STATE_OFFLINE:
      return "network-offline-symbolic";
    case RL_SESSION_STATE_SIGNED_OUT:
    default:
      return "avatar-default-symbolic";
    }
}

static void update (RlStatusIndicator *self);

static void
feed_notify_cb (RlStatusIndicator *self)
{
  update (self);
}

/* The MQTT row: what the session's feed is doing, in words. */
static void
update_feed (RlStatusIndicator *self)
{
  RlFeed          *feed = self->session != NULL ? rl_session_get_feed (self->session) : NULL;
  g_autofree char *text = NULL;

  if (feed != self->feed)
    {
      if (self->feed != NULL)
        g_signal_handlers_disconnect_by_func (self->feed, feed_notify_cb, self);
      g_set_object (&self->feed, feed);
      if (feed != NULL)
        g_signal_connect_object (feed, "notify", G_CALLBACK (feed_notify_cb), self,
                                 G_CONNECT_SWAPPED);
    }

  if (self->mqtt_url == NULL || *self->mqtt_url == '\0')
    text = g_strdup (_ ("Not set up: add a broker in Preferences"));
  else if (feed == NULL)
    /* Translators: %s is the broker's URL. */
    text = g_strdup_printf (_ ("Not connected (%s)"), self->mqtt_url);
  else
    switch (rl_feed_get_state (feed))
      {
      case RL_FEED_STATE_CONNECTING:
        /* Translators: %s is the broker's URL. */
        text = g_strdup_printf (_ ("Connecting to %s…"), self->mqtt_url);
        break;
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
              text = g_strdup_printf (_ ("Connected (%1$s) · %2$s readings, %3$s rejected"),
                                      self->mqtt_url, readings, bad);
            }
          else
            /* Translators: 1: the broker's URL, 2: readings stored. */
            text =
                g_strdup_printf (_ ("Connected (%1$s) · %2$s readings"), self->mqtt_url, readings);
        }
        break;
      case RL_FEED_STATE_RECONNECTING:
        {
          g_autofree char *why = rl_feed_get_error (feed) != NULL
                                     ? rl_ui_error_message (rl_feed_get_error (feed))
                                     : g_strdup ("");

          /* Translators: 1: the broker's URL, 2: why it is not connected. */
          text = g_strdup_printf (_ ("Reconnecting to %1$s: %2$s"), self->mqtt_url, why);
        }
        break;
      case RL_FEED_STATE_STOPPED:
      default:
        /* Translators: %s is the broker's URL. */
        text = g_strdup_printf (_ ("Not connected (%s)"), self->mqtt_url);
        break;
      }
  gtk_label_set_text (self->mqtt_value, text);
}

static void
update (RlStatusIndicator *self)
{
  g_autofree char *summary = NULL;
  g_autofree char *accessible = NULL;
  RlSessionState   state = RL_SESSION_STATE_SIGNED_OUT;
  GtkWidget       *icon = GTK_WIDGET (self->icon);
  const char      *server = NULL;
  const char      *email = NULL;
  gint64           last_sync = 0;
  double           progress = -1.0;

  if (self->session != NULL)
    {
      state = rl_session_get_state (self->session);
      progress = rl_session_get_sync_progress (self->session);
      summary = rl_status_format_summary (state,
                                          rl_session_get_offline_since (self->session),
                                          rl_session_get_pending_changes (self->session),
                                          progress);
      server = rl_session_get_server_url (self->session);
      email = rl_session_get_user_email (self->session);
      last_sync = rl_session_get_last_sync (self->session);
    }
  else
    summary = rl_status_format_summary (state, 0, 0, -1.0);

  gtk_label_set_text (self->label, summary);
  gtk_label_set_text (self->title_label, summary);
  gtk_image_set_from_icon_name (self->icon, icon_for_state (state));
  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "warning");
  if (state == RL_SESSION_STATE_ONLINE)
    gtk_widget_add_css_class (icon, "success");
  else if (state == RL_SESSION_STATE_OFFLINE)
    gtk_widget_add_css_class (icon, "warning");

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar),
                          state == RL_SESSION_STATE_SYNCING && progress >= 0.0);
  if (progress >= 0.0)
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (progress, 0.0, 1.0));

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), summary);

  /* Translators: the accessible name of the status button. */
  accessible = g_strdup_printf (_ ("Connection status: %s"), summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  gtk_label_set_text (self->server_value, server != NULL && *server != '\0' ? server : _ ("None"));
  gtk_label_set_text (self->account_value, email != NULL && *email != '\0' ? email : _ ("None"));

  if (self->session == NULL || state == RL_SESSION_STATE_SIGNED_OUT)
    gtk_label_set_text (self->api_value, _ ("Not signed in"));
  else
    gtk_label_set_text (self->api_value, rl_session_get_api_reachable (self->session)
                                             ? _ ("Reachable")
                                             : _ ("Not reachable"));

  update_feed (self);

  if (last_sync > 0)
    {
      g_autofree char *text = format_time_ms (last_sync);
      gtk_label_set_text (self->last_sync_value, text);
    }
  else
    gtk_label_set_text (self->last_sync_value, _ ("Never"));

  if (self->session != NULL)
    {
      guint            pending = rl_session_get_pending_changes (self->session);
      guint            quarantined = rl_session_get_quarantined (self->session);
      g_autofree char *pending_text = g_strdup_printf ("%u", pending);
      g_autofree char *size =
          g_format_size ((guint64) MAX (rl_session_get_cache_size (self->session), 0));

      if (quarantined > 0)
        {
          g_autofree char *text = NULL;

          /* Translators: changes waiting, then records the sync could not apply. */
          text =
              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u (%u record could not be applied)",
                                            "%u (%u records could not be applied)", quarantined),
                               pending, quarantined);
          gtk_label_set_text (self->pending_value, text);
        }
      else
        gtk_label_set_text (self->pending_value, pending_text);

      gtk_label_set_text (self->keyring_value, rl_status_describe_keyring (
                                                   rl_session_get_keyring_state (self->session)));
      gtk_label_set_text (self->cache_value, size);
    }
  else
    {
      gtk_label_set_text (self->pending_value, "0");
      gtk_label_set_text (self->keyring_value, rl_status_describe_keyring (RL_KEYRING_UNKNOWN));
      gtk_label_set_text (self->cache_value, _ ("None"));
    }

  if (g_strcmp0 (self->summary, summary) != 0)
    {
      g_free (self->summary);
      self->summary = g_steal_pointer (&summary);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
    }
}

static GtkLabel *
add_row (RlStatusIndicator *self,
         int                row,
         const char        *caption)
{
  GtkWidget *caption_label = gtk_label_new (caption);
  GtkWidget *value = gtk_label_new ("");

  gtk_label_set_xalign (GTK_LABEL (caption_label), 1.0);
  gtk_label_set_yalign (GTK_LABEL (caption_label), 0.0);
  gtk_widget_add_css_class (caption_label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0.0);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (value), 40);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption_label, NULL,
                                  -1);

  gtk_grid_attach (self->grid, caption_label, 0, row, 1, 1);
  gtk_grid_attach (self->grid, value, 1, row, 1, 1);

  return GTK_LABEL (value);
}

static void
session_notify_cb (RlStatusIndicator *self)
{
  update (self);
}

static void
rl_status_indicator_dispose (GObject *object)
{
  RlStatusIndicator *self = RL_STATUS_INDICATOR (object);

  rl_status_indicator_set_session (self, NULL);
  if (self->feed != NULL)
    g_signal_handlers_disconnect_by_func (self->feed, feed_notify_cb, self);
  g_clear_object (&self->feed);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_STATUS_INDICATOR);

  G_OBJECT_CLASS (rl_status_indicator_parent_class)->dispose (object);
}

static void
rl_status_indicator_finalize (GObject *object)
{
  RlStatusIndicator *self = RL_STATUS_INDICATOR (object);

  g_free (self->mqtt_url);
  g_free (self->summary);

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
      g_value_set_string (value, self->summary);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/reloop/Console/ui/rl-status-indicator.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, RlStatusIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, RlStatusIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, RlStatusIndicator, label);
  gtk_widget_class_bind_template_child (widget_class, RlStatusIndicator, popover);
  gtk_widget_class_bind_template_child (widget_class, RlStatusIndicator, title_label);
  gtk_widget_class_bind_template_child (widget_class, RlStatusIndicator, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RlStatusIndicator, grid);
}

static void
rl_status_indicator_init (RlStatusIndicator *self)
{
  int row = 0;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->server_value = add_row (self, row++, _ ("Server"));
  self->account_value = add_row (self, row++, _ ("Account"));
  self->api_value = add_row (self, row++, _ ("Server API"));
  self->mqtt_value = add_row (self, row++, _ ("Live telemetry (MQTT)"));
  self->last_sync_value = add_row (self, row++, _ ("Last sync"));
  self->pending_value = add_row (self, row++, _ ("Changes waiting"));
  self->keyring_value = add_row (self, row++, _ ("Keyring"));
  self->cache_value = add_row (self, row++, _ ("Local cache"));

  update (self);
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
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);

  /* Every property of the session feeds this widget. */
  if (session != NULL)
    g_signal_connect_object (session, "notify",
                             G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);

  if (gtk_widget_get_first_child (GTK_WIDGET (self)) != NULL)
    update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
rl_status_indicator_set_mqtt_url (RlStatusIndicator *self,
                                  const char        *mqtt_url)
{
  g_return_if_fail (RL_IS_STATUS_INDICATOR (self));

  g_free (self->mqtt_url);
  self->mqtt_url = g_strdup (mqtt_url);
  update (self);
}

void
rl_status_indicator_set_compact (RlStatusIndicator *self,
                                 gboolean           compact)
{
  g_return_if_fail (RL_IS_STATUS_INDICATOR (self));

  gtk_widget_set_visible (GTK_WIDGET (self->label), !compact);
}

const char *
rl_status_indicator_get_summary (RlStatusIndicator *self)
{
  g_return_val_if_fail (RL_IS_STATUS_INDICATOR (self), NULL);

  return self->summary;
}
