/* rl-window-feed.c — starts the session's live telemetry feed from the
 * broker settings (or --mqtt) and the MQTT password in the keyring.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-application.h"
#include "rl-feed-dialog.h"
#include "rl-preferences-brokers.h"
#include "rl-secrets.h"
#include "rl-ui-errors.h"
#include "rl-window-private.h"

/* The brokers of --mqtt, else of the settings; never NULL. */
static GStrv
configured_urls (RlWindow *self)
{
  GtkApplication    *app = gtk_window_get_application (GTK_WINDOW (self));
  const char *const *option = app != NULL && RL_IS_APPLICATION (app)
                                  ? rl_application_get_mqtt_urls (RL_APPLICATION (app))
                                  : NULL;

  if (option != NULL && option[0] != NULL)
    return g_strdupv ((char **) option);
  return rl_settings_dup_mqtt_urls (self->settings);
}

static void
start_with_password (RlWindow   *self,
                     const char *password)
{
  g_auto (GStrv) urls = configured_urls (self);
  g_autofree char *username = g_settings_get_string (self->settings, "mqtt-username");
  g_autofree char *prefix = g_settings_get_string (self->settings, "mqtt-topic-prefix");
  g_autofree char *ca_file = g_settings_get_string (self->settings, "ca-file");
  g_autoptr (GError) error = NULL;
  RlFeedConfig config = { 0 };

  if (rl_session_get_state (self->session) == RL_SESSION_STATE_SIGNED_OUT || urls[0] == NULL)
    return;

  config.urls = (const char *const *) urls;
  config.username = *username != '\0' ? username : NULL;
  config.password = password;
  config.topic_prefix = prefix;
  config.ca_file = *ca_file != '\0' ? ca_file : NULL;
  if (!rl_session_start_feed (self->session, &config, &error))
    {
      g_autofree char *why = rl_ui_error_message (error);
      /* Translators: %s says why, e.g. "The broker URL must start with mqtt:// or mqtts://." */
      g_autofree char *text = g_strdup_printf (_ ("Live telemetry is off: %s"), why);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
    }
}

static void
password_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (RlWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  char *password = rl_secrets_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      g_autofree char *why = rl_ui_error_message (error);
      /* Translators: %s is the keyring's error. */
      g_autofree char *text =
          g_strdup_printf (_ ("The MQTT password could not be read from the keyring: %s"), why);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
    }
  start_with_password (self, password);
  rl_secrets_value_free (password);
}

/* (Re)starts the feed as the settings say, or stops it. */
void
rl_window_feed_update (RlWindow *self)
{
  g_auto (GStrv) urls = configured_urls (self);
  g_autofree char *username = g_settings_get_string (self->settings, "mqtt-username");
  /* The cluster's one password is kept under its first broker's URL. */
  const char *url = urls[0] != NULL ? urls[0] : "";

  rl_status_indicator_set_mqtt_url (self->status_indicator, url);
  if (rl_session_get_state (self->session) == RL_SESSION_STATE_SIGNED_OUT || *url == '\0')
    {
      rl_session_stop_feed (self->session);
      return;
    }
  if (*username != '\0')
    rl_secrets_lookup_async (RL_SECRET_KIND_MQTT_PASSWORD, url, username, NULL, NULL,
                             self->cancellable, password_cb, g_object_ref (self));
  else
    start_with_password (self, NULL);
}

static void
state_cb (RlWindow   *self,
          GParamSpec *pspec,
          RlSession  *session)
{
  gboolean signed_out = rl_session_get_state (session) == RL_SESSION_STATE_SIGNED_OUT;

  /* Start once per sign-in; the feed reconnects by itself after that. */
  if (!signed_out && rl_session_get_feed (session) == NULL && !self->feed_started)
    {
      self->feed_started = TRUE;
      rl_window_feed_update (self);
    }
  else if (signed_out)
    self->feed_started = FALSE;
}

static void
settings_cb (RlWindow   *self,
             const char *key,
             GSettings  *settings)
{
  if (g_str_has_prefix (key, "mqtt-") || g_str_equal (key, "ca-file"))
    rl_window_feed_update (self);
}

static void
feed_dialog_destroyed_cb (RlWindow *self)
{
  g_object_set_data (G_OBJECT (self), "rl-feed-dialog", NULL);
}

/* win.show-feed (the status popover's Feed Details…): the Feed dialog,
 * one per window, raised again when it is open. */
static void
show_feed_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  RlWindow  *self = RL_WINDOW (user_data);
  GtkWidget *dialog = g_object_get_data (G_OBJECT (self), "rl-feed-dialog");

  if (dialog == NULL)
    {
      dialog = GTK_WIDGET (rl_feed_dialog_new (GTK_WINDOW (self), self->session));
      g_object_set_data (G_OBJECT (self), "rl-feed-dialog", dialog);
      g_signal_connect_object (dialog, "destroy", G_CALLBACK (feed_dialog_destroyed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry feed_actions[] = {
  { "show-feed", show_feed_activated },
};

void
rl_window_feed_init (RlWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), feed_actions, G_N_ELEMENTS (feed_actions),
                                   self);
  g_signal_connect_object (self->session, "notify::state",
                           G_CALLBACK (state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_cb), self, G_CONNECT_SWAPPED);
  state_cb (self, NULL, self->session);
}
