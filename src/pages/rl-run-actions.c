/* rl-run-actions.c — retry and cancel runs after a confirmation.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Retry goes through the outbox and is queued offline; cancel is refused
 * offline (docs/activity.md "Offline"), so its buttons are insensitive
 * with rl_run_cancel_refusal() as their tooltip.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rl-a11y.h"
#include "rl-run-actions.h"
#include "rl-ui-errors.h"

typedef struct
{
  RlSession       *session;
  RlRunAction      action;
  GPtrArray       *ids;
  RlRunActionToast toast;
  GObject         *data;
} Decision;

static void
decision_free (Decision *decision)
{
  g_object_unref (decision->session);
  g_ptr_array_unref (decision->ids);
  g_clear_object (&decision->data);
  g_free (decision);
}

const char *
rl_run_cancel_refusal (RlSession *session)
{
  if (session == NULL || rl_session_get_state (session) == RL_SESSION_STATE_SIGNED_OUT)
    return _ ("Sign in to act on runs");
  if (rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE)
    return _ ("A run cannot be cancelled while offline: the cancel would arrive after the run "
              "ended");
  return NULL;
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             Decision         *decision)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  guint            done = 0, n = decision->ids->len;
  gboolean         offline;

  if (!g_str_equal (response, "apply"))
    return;
  for (guint i = 0; i < n; i++)
    if (rl_session_run_action (decision->session, g_ptr_array_index (decision->ids, i),
                               decision->action, error == NULL ? &error : NULL)
        >= 0)
      done++;
  offline = rl_session_get_state (decision->session) == RL_SESSION_STATE_OFFLINE;
  if (error != NULL)
    {
      g_autofree char *reason = rl_ui_error_message (error);

      /* Translators: 1: how many runs were acted on, 2: how many were chosen, 3: why one was not. */
      message = g_strdup_printf (_ ("%1$u of %2$u runs: %3$s"), done, n, reason);
    }
  else if (decision->action == RL_RUN_ACTION_CANCEL)
    message = g_strdup (_ ("Run cancelled"));
  else if (offline)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u run retried — waiting to sync",
                                            "%u runs retried — waiting to sync", done),
                               done);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u run retried",
                                            "%u runs retried", done),
                               done);
  if (decision->toast != NULL)
    decision->toast (decision->data, message);
}

void
rl_run_action_confirm (GtkWidget       *from,
                       RlSession       *session,
                       RlRunAction      action,
                       GPtrArray       *run_ids,
                       const char      *workflow_name,
                       RlRunActionToast toast,
                       gpointer         data)
{
  GtkRoot          *root = gtk_widget_get_root (from);
  Decision         *decision;
  AdwMessageDialog *dialog;
  g_autofree char  *heading = NULL;
  g_autofree char  *body = NULL;
  guint             n = run_ids->len;
  gboolean          offline = rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE;

  if (n == 0)
    return;
  if (action == RL_RUN_ACTION_RETRY)
    {
      heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Retry %u Failed Run?",
                                              "Retry %u Failed Runs?", n),
                                 n);
      body = g_strdup (offline ? _ ("The console is offline: the retries wait in the outbox and "
                                    "are sent when it reconnects.")
                               : _ ("Each run starts again as a new attempt."));
    }
  else
    {
      /* Translators: %s is a workflow's name. */
      heading = g_strdup_printf (_ ("Cancel the Run of “%s”?"),
                                 workflow_name != NULL ? workflow_name : "");
      body = g_strdup (_ ("The run stops at its current step. Steps already done are not undone."));
    }
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body));
  adw_message_dialog_add_responses (dialog, "cancel",
                                    action == RL_RUN_ACTION_RETRY ? _ ("_Cancel") : _ ("_Keep Running"),
                                    "apply",
                                    action == RL_RUN_ACTION_RETRY ? _ ("_Retry") : _ ("Cancel _Run"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "apply",
                                              action == RL_RUN_ACTION_RETRY
                                                  ? ADW_RESPONSE_SUGGESTED
                                                  : ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  decision = g_new0 (Decision, 1);
  decision->session = g_object_ref (session);
  decision->action = action;
  decision->ids = g_ptr_array_ref (run_ids);
  decision->toast = toast;
  decision->data = data != NULL ? g_object_ref (data) : NULL;
  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), decision,
                         (GClosureNotify) (void (*) (void)) decision_free, 0);
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}
