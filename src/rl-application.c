/* rl-application.c — the ReLoop Console application object.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-application-private.h"
#include "rl-preferences-window.h"
#include "rl-ui-errors.h"
#include "rl-url.h"
#include "rl-window.h"

#define RL_SETTINGS_SCHEMA "org.reloop.Console"

G_DEFINE_FINAL_TYPE (RlApplication, rl_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "server", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_ ("Server to sign in to (e.g. https://reloop.example.org)"), N_ ("URL") },
  { "mqtt", 'm', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_ ("MQTT broker for live telemetry (mqtt:// or mqtts://); give it again for each node of a "
        "cluster, in the order to try"),
    N_ ("URL") },
  { "demo-account", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_ ("Sign in as this account with the password from the environment variable "
        "RELOOP_DEMO_PASSWORD"),
    N_ ("EMAIL") },
  { "sign-in", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_ ("Sign in to the server URL as the account EMAIL (the last argument), with the password "
        "read from standard input, and exit"),
    N_ ("URL") },
  { "sync-once", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_ ("Without a window: fetch the server's changes, send the edits waiting, print a summary "
        "and exit (non-zero on failure)"),
    NULL },
  { "version", 'v', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL, N_ ("Print the version and exit"),
    NULL },
  { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, NULL, NULL,
    N_ ("[EMAIL]") },
  { NULL }
};

static void
ca_file_changed_cb (RlApplication *self,
                    const char    *key,
                    GSettings     *settings)
{
  g_autofree char *ca_file = g_settings_get_string (settings, "ca-file");

  rl_session_set_ca_file (self->session, *ca_file != '\0' ? ca_file : NULL);
}

static int
rl_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  RlApplication *self = RL_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "reloop-console", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "sign-in"))
    {
      g_autofree char        *url = NULL;
      g_autofree const char **rest = NULL;

      g_variant_dict_lookup (options, "sign-in", "s", &url);
      g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &rest);
      if (rest == NULL || g_strv_length ((GStrv) rest) != 1)
        {
          g_printerr ("%s\n", _ ("Usage: reloop-console --sign-in URL EMAIL"));
          return 2;
        }
      return rl_application_cli_sign_in (self, url, rest[0]);
    }

  g_variant_dict_lookup (options, "server", "s", &self->server_url);
  g_variant_dict_lookup (options, "mqtt", "^as", &self->mqtt_urls);
  g_variant_dict_lookup (options, "demo-account", "s", &self->demo_account);

  /* Each --mqtt is one broker of the list, checked as Preferences does. */
  for (guint i = 0; self->mqtt_urls != NULL && self->mqtt_urls[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *normalised = NULL;

      if (!rl_url_validate_broker (self->mqtt_urls[i], &normalised, &error))
        {
          g_autofree char *message = rl_ui_error_message (error);

          g_printerr ("--mqtt: %s\n", message);
          return 1;
        }
      g_free (self->mqtt_urls[i]);
      self->mqtt_urls[i] = g_steal_pointer (&normalised);
    }

  return -1;
}

/* Runs in the primary instance for every invocation (this process's, or
 * another's forwarded over D-Bus). */
static int
rl_application_command_line (GApplication            *app,
                             GApplicationCommandLine *cmdline)
{
  RlApplication *self = RL_APPLICATION (app);
  GVariantDict  *options = g_application_command_line_get_options_dict (cmdline);

  if (g_variant_dict_contains (options, "sync-once"))
    {
      rl_application_cli_sync_once (self, self->session, cmdline);
      return 0; /* the exit status is set when the sync ends */
    }
  g_application_activate (app);
  return 0;
}

GSettings *
rl_application_dup_settings (RlApplication *self)
{
  if (self->settings != NULL)
    return g_object_ref (self->settings);
  return g_settings_new (RL_SETTINGS_SCHEMA);
}

static void
rl_application_startup (GApplication *app)
{
  RlApplication         *self = RL_APPLICATION (app);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  G_APPLICATION_CLASS (rl_application_parent_class)->startup (app);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, RL_SETTINGS_SCHEMA, TRUE);
  if (schema == NULL)
    g_error ("The settings schema %s is not installed", RL_SETTINGS_SCHEMA);

  self->settings = g_settings_new (RL_SETTINGS_SCHEMA);
  self->session = rl_session_new ();
  /* The periodic pull (docs/sync.md); 0 (tests) is only ever set in code. */
  g_settings_bind (self->settings, "pull-interval", self->session, "pull-interval",
                   G_SETTINGS_BIND_GET);
  /* How long runs, run logs and sync logs stay cached (docs/activity.md). */
  g_settings_bind (self->settings, "activity-retention-days", self->session,
                   "activity-retention-days", G_SETTINGS_BIND_GET);
  /* The local alert rules on live readings (docs/feed.md "Alert records"). */
  {
    static const char *const rule_keys[] = {
      "fill-alert-threshold",
      "battery-alert-threshold",
      "temperature-alert-threshold",
      "offline-after-minutes",
    };

    for (guint i = 0; i < G_N_ELEMENTS (rule_keys); i++)
      g_settings_bind (self->settings, rule_keys[i], self->session, rule_keys[i],
                       G_SETTINGS_BIND_GET);
  }

  g_signal_connect_object (self->settings, "changed::ca-file",
                           G_CALLBACK (ca_file_changed_cb), self,
                           G_CONNECT_SWAPPED);
  ca_file_changed_cb (self, "ca-file", self->settings);

  self->notifier = rl_alert_notifier_new (app, self->session, self->settings);
}

static void
rl_application_activate (GApplication *app)
{
  RlApplication *self = RL_APPLICATION (app);
  GtkWindow     *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      g_autofree char *password = NULL;

      window = GTK_WINDOW (rl_window_new (self, self->session, self->settings));

      /* The demo password only ever comes from the environment; drop it
       * from there so no child process inherits it. */
      if (self->demo_account != NULL)
        {
          password = g_strdup (g_getenv ("RELOOP_DEMO_PASSWORD"));
          g_unsetenv ("RELOOP_DEMO_PASSWORD");
        }

      rl_window_start (RL_WINDOW (window), self->server_url,
                       self->demo_account, password);
    }

  gtk_window_present (window);
}

static void
rl_application_dispose (GObject *object)
{
  RlApplication *self = RL_APPLICATION (object);

  g_clear_object (&self->notifier);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rl_application_parent_class)->dispose (object);
}

static void
rl_application_finalize (GObject *object)
{
  RlApplication *self = RL_APPLICATION (object);

  g_free (self->server_url);
  g_strfreev (self->mqtt_urls);
  g_free (self->demo_account);

  G_OBJECT_CLASS (rl_application_parent_class)->finalize (object);
}

static void
rl_application_class_init (RlApplicationClass *klass)
{
  GObjectClass      *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = rl_application_dispose;
  object_class->finalize = rl_application_finalize;

  app_class->handle_local_options = rl_application_handle_local_options;
  app_class->startup = rl_application_startup;
  app_class->command_line = rl_application_command_line;
  app_class->activate = rl_application_activate;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RlApplication *self = user_data;
  g_autoptr (GList) windows = NULL;

  /* Closing (not destroying) the windows runs their close-request, which
   * saves their size and page. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);

  g_application_quit (G_APPLICATION (self));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RlApplication       *self = user_data;
  GtkWindow           *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  RlPreferencesWindow *prefs;

  prefs = rl_preferences_window_new (parent, self->session, self->settings);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  RlApplication *self = user_data;
  GtkWindow     *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char    *developers[] = { "ReLoop", NULL };
  GtkWidget     *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW, "transient-for", parent, "modal", TRUE,
                        "application-name", _ ("ReLoop Console"), "application-icon",
                        APPLICATION_ID, "version", PACKAGE_VERSION, "developer-name", "ReLoop",
                        "developers", developers, "comments",
                        _ ("Run a city’s recycling network: drop points and smart bins, "
                           "alerts, providers, workflows and sync."),
                        "license-type", GTK_LICENSE_GPL_3_0, "copyright", "© 2026 ReLoop",
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _ ("translator-credits"), NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
sign_out_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RlApplication *self = user_data;
  GtkWindow     *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (RL_IS_WINDOW (window))
    rl_window_sign_out (RL_WINDOW (window));
}

/* ---- A notification's default actions (rl-alert-notifier.h) ---- */

/* The window to act in: the active one, or any console window. */
static GtkWindow *
console_window (RlApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self));
       window == NULL && l != NULL; l = l->next)
    if (RL_IS_WINDOW (l->data))
      window = l->data;
  return window;
}

static void
forward_to_window (RlApplication *self,
                   const char    *action,
                   GVariant      *parameter)
{
  GtkWindow *window = console_window (self);

  if (window == NULL)
    return;
  gtk_window_present (window);
  g_action_group_activate_action (G_ACTION_GROUP (window), action, parameter);
}

static void
show_on_map_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  forward_to_window (user_data, "show-on-map", parameter);
}

static void
show_open_high_alerts_activated (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  forward_to_window (user_data, "show-open-high-alerts", NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
  { "sign-out", sign_out_activated },
  { "show-on-map", show_on_map_activated, "s" },
  { "show-open-high-alerts", show_open_high_alerts_activated },
};

static void
rl_application_init (RlApplication *self)
{
  const char        *quit_accels[] = { "<Control>q", NULL };
  const char        *prefs_accels[] = { "<Control>comma", NULL };
  const char        *sync_accels[] = { "<Control>r", NULL };
  const char        *help_accels[] = { "<Control>question", NULL };
  static const char *page_names[] = { "map", "alerts", "providers", "activity", "conflicts" };

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _ ("The ReLoop recycling network console."));

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.sync-now", sync_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         help_accels);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      g_autofree char *detailed = g_strdup_printf ("win.show-page('%s')", page_names[i]);
      g_autofree char *accel = g_strdup_printf ("<Alt>%u", i + 1);
      const char      *accels[] = { accel, NULL };

      gtk_application_set_accels_for_action (GTK_APPLICATION (self), detailed, accels);
    }
}

RlApplication *
rl_application_new (void)
{
  GApplicationFlags flags = G_APPLICATION_HANDLES_COMMAND_LINE;

  /* One console per desktop session: a second launch (or --sync-once) goes
   * to the running one over D-Bus. RELOOP_CONSOLE_NON_UNIQUE=1 starts an
   * independent one instead, for a second account with its own data
   * directories (XDG_*_HOME), as the two-console tests do
   * (docs/command-line.md). */
  if (g_strcmp0 (g_getenv ("RELOOP_CONSOLE_NON_UNIQUE"), "1") == 0)
    flags |= G_APPLICATION_NON_UNIQUE;

  return g_object_new (RL_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", flags,
                       "resource-base-path", "/org/reloop/Console",
                       NULL);
}

RlAlertNotifier *
rl_application_get_alert_notifier (RlApplication *self)
{
  g_return_val_if_fail (RL_IS_APPLICATION (self), NULL);
  return self->notifier;
}

RlSession *
rl_application_get_session (RlApplication *self)
{
  g_return_val_if_fail (RL_IS_APPLICATION (self), NULL);

  return self->session;
}

int
rl_application_get_cli_status (RlApplication *self)
{
  g_return_val_if_fail (RL_IS_APPLICATION (self), 0);

  return self->cli_status;
}

GSettings *
rl_application_get_settings (RlApplication *self)
{
  g_return_val_if_fail (RL_IS_APPLICATION (self), NULL);

  return self->settings;
}

const char *const *
rl_application_get_mqtt_urls (RlApplication *self)
{
  g_return_val_if_fail (RL_IS_APPLICATION (self), NULL);

  return (const char *const *) self->mqtt_urls;
}
