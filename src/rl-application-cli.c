/* rl-application-cli.c — the command line for field laptops' timers: --sign-in, --sync-once.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * --sign-in URL EMAIL reads the password from standard input, signs in in
 * this process (the tokens go to the keyring, the server's cache is opened),
 * and remembers the server and account for the window and for --sync-once.
 *
 * --sync-once opens no window: it pulls /changes, sends what waits in the
 * outbox, prints one line and exits non-zero on failure. It runs in the
 * console's primary instance: when a window is open, that process does it
 * (GApplication forwards the command line over D-Bus and the caller waits for
 * the exit status), so two processes never write the same cache; otherwise
 * this process becomes the primary instance, restores the session from the
 * keyring, syncs and quits. Without a session bus every process is its own
 * primary: the outbox rows' idempotency keys keep a row sent twice from being
 * applied twice, and each row leaves the outbox in the transaction that stores
 * the server's answer. See docs/sync.md.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rl-application-private.h"
#include "rl-sync-engine.h"
#include "rl-ui-errors.h"
#include "rl-url.h"

/* ---- --sign-in ----------------------------------------------------------------- */

/* One line of standard input, without its line end; NULL at end of input. */
static char *
read_password (void)
{
  g_autoptr (GString) line = g_string_new (NULL);
  int c;

  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (c == EOF && line->len == 0)
    return NULL;
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static void
wipe (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
}

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} Wait;

static void
flushed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = rl_session_flush_secrets_finish (RL_SESSION (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = rl_session_sign_in_finish (RL_SESSION (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

int
rl_application_cli_sign_in (RlApplication *self,
                            const char    *server_url,
                            const char    *email)
{
  g_autoptr (RlSession) session = rl_session_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *password = NULL;
  Wait             wait = { loop, FALSE, NULL };

  if (!rl_url_validate_server (server_url, &server, &error))
    {
      g_autofree char *message = rl_ui_error_message (error);

      g_printerr ("--sign-in: %s\n", message);
      return 2;
    }
  if (isatty (STDIN_FILENO))
    /* Translators: a prompt; the password is then read from the terminal. */
    g_printerr (_ ("Password for %s: "), email);
  password = read_password ();
  if (password == NULL || *password == '\0')
    {
      g_printerr ("%s\n", _ ("No password on standard input."));
      return 2;
    }

  rl_session_sign_in_async (session, server, email, password, NULL, sign_in_cb, &wait);
  g_main_loop_run (loop);
  wipe (password);
  /* The tokens must be in the keyring before this process ends. */
  if (wait.ok)
    {
      rl_session_flush_secrets_async (session, NULL, flushed_cb, &wait);
      g_main_loop_run (loop);
    }
  if (!wait.ok)
    {
      g_autofree char *message = rl_ui_error_message (wait.error);

      /* Translators: 1: the server, 2: why signing in failed. */
      g_printerr (_ ("Could not sign in to %1$s: %2$s\n"), server, message);
      g_clear_error (&wait.error);
      return 1;
    }

  settings = rl_application_dup_settings (self);
  g_settings_set_string (settings, "server-url", server);
  g_settings_set_string (settings, "last-account", email);
  g_settings_sync ();
  /* Translators: 1: the account, 2: the server. */
  g_print (_ ("Signed in as %1$s on %2$s; the keyring keeps the sign-in.\n"), email, server);
  return 0;
}

/* ---- --sync-once ------------------------------------------------------------------ */

typedef struct
{
  RlApplication           *app;
  GApplicationCommandLine *cmdline;
  RlSession               *session;
  gboolean                 restored; /* we restored the session for this run */
} SyncOnce;

static void
sync_once_finish (SyncOnce   *job,
                  int         status,
                  const char *line)
{
  if (status == 0)
    g_application_command_line_print (job->cmdline, "%s\n", line);
  else
    g_application_command_line_printerr (job->cmdline, "%s\n", line);
  g_application_command_line_set_exit_status (job->cmdline, status);
  if (!g_application_command_line_get_is_remote (job->cmdline))
    job->app->cli_status = status;
  g_object_unref (job->cmdline);
  g_application_release (G_APPLICATION (job->app));
  g_object_unref (job->app);
  g_object_unref (job->session);
  g_free (job);
}

static char *
summary (RlSession          *session,
         const RlDrainStats *stats)
{
  GString *line = g_string_new (NULL);
  guint    sent = stats->sent + stats->merged;
  guint    waiting = rl_session_get_pending_changes (session);
  guint    attention = rl_session_get_failed_changes (session);
  guint    conflicts = rl_session_get_open_conflicts (session);

  /* Translators: 1: the server; 2: edits sent by this run; 3: edits still
   * waiting to be sent. */
  g_string_append_printf (line, ngettext ("Synced with %1$s: %2$u change sent, %3$u waiting.", "Synced with %1$s: %2$u changes sent, %3$u waiting.", sent),
                          rl_session_get_server_url (session), sent, waiting);
  if (attention > 0)
    {
      g_string_append_c (line, ' ');
      g_string_append_printf (line,
                              ngettext ("%u change was refused: open the console to review it.",
                                        "%u changes were refused: open the console to review them.",
                                        attention),
                              attention);
    }
  if (conflicts > 0)
    {
      g_string_append_c (line, ' ');
      g_string_append_printf (line,
                              ngettext ("%u conflict to resolve.", "%u conflicts to resolve.",
                                        conflicts),
                              conflicts);
    }
  return g_string_free (line, FALSE);
}

static void start_sync (SyncOnce *job);

/* A sync was already running (the one a restore starts): once it is over,
 * ours runs (an incremental pull: what that one fetched is not fetched again). */
static void
state_cb (RlSession  *session,
          GParamSpec *pspec,
          SyncOnce   *job)
{
  if (rl_session_get_state (session) == RL_SESSION_STATE_SYNCING)
    return;
  g_signal_handlers_disconnect_by_func (session, state_cb, job);
  start_sync (job);
}

static void
drain_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SyncOnce    *job = user_data;
  RlDrainStats stats = { 0 };
  g_autoptr (GError) error = NULL;

  if (!rl_session_drain_finish (RL_SESSION (source), result, &stats, &error))
    {
      g_autofree char *message = rl_ui_error_message (error);
      /* Translators: 1: the server, 2: why sending failed. */
      g_autofree char *line = g_strdup_printf (_ ("Could not send changes to %1$s: %2$s"),
                                               rl_session_get_server_url (job->session), message);

      sync_once_finish (job, 1, line);
      return;
    }
  {
    g_autofree char *line = summary (job->session, &stats);

    sync_once_finish (job, 0, line);
  }
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncOnce *job = user_data;
  g_autoptr (GError) error = NULL;

  if (!rl_session_sync_finish (RL_SESSION (source), result, &error)
      && g_error_matches (error, RL_SESSION_ERROR, RL_SESSION_ERROR_BUSY)
      && rl_session_get_state (job->session) == RL_SESSION_STATE_SYNCING)
    {
      g_signal_connect (job->session, "notify::state", G_CALLBACK (state_cb), job);
      return;
    }
  if (error != NULL)
    {
      g_autofree char *message = rl_ui_error_message (error);
      /* Translators: 1: the server, 2: why the sync failed. */
      g_autofree char *line = g_strdup_printf (_ ("Could not sync with %1$s: %2$s"),
                                               rl_session_get_server_url (job->session), message);

      sync_once_finish (job, 1, line);
      return;
    }

  /* Then send what waits (a pull follows a drain that sent something). */
  rl_session_drain_async (job->session, NULL, drain_done_cb, job);
}

static void
start_sync (SyncOnce *job)
{
  if (rl_session_get_state (job->session) == RL_SESSION_STATE_SIGNED_OUT)
    {
      sync_once_finish (job, 1, _ ("Not signed in."));
      return;
    }
  if (rl_session_get_state (job->session) == RL_SESSION_STATE_OFFLINE)
    {
      /* Translators: %s is the server. */
      g_autofree char *line =
          g_strdup_printf (_ ("Could not sync with %s: the server cannot be reached."),
                           rl_session_get_server_url (job->session));

      sync_once_finish (job, 1, line);
      return;
    }
  rl_session_sync_async (job->session, NULL, sync_done_cb, job);
}

static void
restore_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SyncOnce *job = user_data;
  g_autoptr (GError) error = NULL;

  if (!rl_session_restore_finish (RL_SESSION (source), result, &error))
    {
      g_autofree char *message = rl_ui_error_message (error);
      /* Translators: %s says why. */
      g_autofree char *line = g_strdup_printf (_ ("Not signed in: %s"), message);

      sync_once_finish (job, 1, line);
      return;
    }
  start_sync (job);
}

void
rl_application_cli_sync_once (RlApplication           *self,
                              RlSession               *session,
                              GApplicationCommandLine *cmdline)
{
  SyncOnce *job = g_new0 (SyncOnce, 1);

  job->app = g_object_ref (self);
  job->cmdline = g_object_ref (cmdline);
  job->session = g_object_ref (session);
  g_application_hold (G_APPLICATION (self));
  g_debug ("sync-once from the command line (%s)",
           g_application_command_line_get_is_remote (cmdline) ? "another process"
                                                              : "this process");

  if (rl_session_get_state (session) != RL_SESSION_STATE_SIGNED_OUT)
    {
      start_sync (job);
      return;
    }

  /* No window signed in: restore what --sign-in (or the window) kept. */
  {
    g_autoptr (GSettings) settings = rl_application_dup_settings (self);
    g_autofree char *server = g_settings_get_string (settings, "server-url");
    g_autofree char *account = g_settings_get_string (settings, "last-account");

    if (*server == '\0' || *account == '\0')
      {
        sync_once_finish (job, 1,
                          _ ("Not signed in: use reloop-console --sign-in URL EMAIL first."));
        return;
      }
    job->restored = TRUE;
    rl_session_restore_async (session, server, account, NULL, restore_cb, job);
  }
}
