/* rl-provider-dialog-edit.c — the provider dialog's edit of a cached
 * provider: the save through the outbox and its answer (a 409 as the
 * sync's conflict, shown with what changed on the server), removing a secret.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-a11y.h"
#include "rl-edits.h"
#include "rl-error.h"
#include "rl-provider-create.h"
#include "rl-provider-dialog-private.h"
#include "rl-record-rules.h"
#include "rl-store.h"
#include "rl-sync-engine.h"
#include "rl-weak-call.h"
#include "rl-window.h"

/* ---- Edit ------------------------------------------------------------------ */

static void
stop_waiting (RlProviderDialog *self)
{
  g_clear_signal_handler (&self->settled_id, self->session);
  self->edit_row_id = 0;
}

/* Closes the dialog of a save the outbox keeps for later (offline, or
 * deferred), saying so in the window it came from. */
static void
close_waiting_to_sync (RlProviderDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (RL_IS_WINDOW (parent))
    rl_window_show_toast (RL_WINDOW (parent), _ ("Saved on this computer — waiting to sync."));
  gtk_window_close (GTK_WINDOW (self));
}

/* "Port: 587 here, 465 on the server" for each field the two differ in. */
static char *
describe_server_changes (RlProviderDialog *self,
                         JsonObject       *local,
                         JsonObject       *remote)
{
  static const char *const top[] = { "name", "role", "priority", "enabled" };
  g_autoptr (GString) text = g_string_new (NULL);
  JsonObject *lc = local && json_object_has_member (local, "config")
                       ? json_object_get_object_member (local, "config")
                       : NULL;
  JsonObject *rc = remote && json_object_has_member (remote, "config")
                       ? json_object_get_object_member (remote, "config")
                       : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (top) + self->type->fields->len; i++)
    {
      const RlProviderField *field =
          i < G_N_ELEMENTS (top) ? NULL : g_ptr_array_index (self->type->fields, i - G_N_ELEMENTS (top));
      const char      *key = field ? field->key : top[i];
      JsonObject      *lo = field ? lc : local;
      JsonObject      *ro = field ? rc : remote;
      JsonNode        *lv = lo ? json_object_get_member (lo, key) : NULL;
      JsonNode        *rv = ro ? json_object_get_member (ro, key) : NULL;
      RlFormRow       *row = rl_provider_dialog_find_row (self, key);
      g_autofree char *ls = NULL, *rs = NULL;

      if ((field && field->type == RL_PROVIDER_FIELD_SECRET) || (lv == NULL && rv == NULL)
          || (lv != NULL && rv != NULL && json_node_equal (lv, rv)))
        continue;
      ls = lv ? rl_record_format_value (lv) : g_strdup (_ ("not set"));
      rs = rv ? rl_record_format_value (rv) : g_strdup (_ ("not set"));
      /* TRANSLATORS: one field of a provider that changed on the server while
       * it was edited here: "Port: 587 here, 465 on the server" */
      g_string_append_printf (text, _ ("%s: %s here, %s on the server"),
                              row ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row->row)) : key,
                              ls, rs);
      g_string_append_c (text, '\n');
    }
  if (text->len > 0)
    g_string_truncate (text, text->len - 1);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
conflict_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  RlProviderDialog *self = RL_PROVIDER_DIALOG (user_data);
  const char       *conflict_id = g_object_get_data (G_OBJECT (dialog), "rl-conflict");
  g_autoptr (JsonObject) conflict = NULL;
  g_autoptr (GError) error = NULL;
  gboolean    reapply = g_strcmp0 (response, "reapply") == 0;
  JsonObject *side;

  if (!reapply && g_strcmp0 (response, "discard") != 0)
    {
      rl_provider_dialog_toast (self, _ ("The conflict waits on the Conflicts page."));
      return;
    }
  conflict = rl_store_get_record (rl_session_get_store (self->session), "conflict", conflict_id,
                                  &error);
  side = conflict ? json_object_get_object_member (conflict, reapply ? "local" : "remote") : NULL;
  if (side == NULL
      || rl_session_resolve_conflict (self->session, conflict_id,
                                      reapply ? RL_CONFLICT_STRATEGY_LOCAL_WINS
                                              : RL_CONFLICT_STRATEGY_REMOTE_WINS,
                                      side, NULL, &error)
             < 0)
    {
      if (error == NULL)
        g_set_error_literal (&error, RL_ERROR, RL_ERROR_BAD_RESPONSE, "conflict without sides");
      rl_provider_dialog_toast_error (self, _ ("The conflict was not resolved."), error);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
show_conflict (RlProviderDialog *self,
               const char       *conflict_id)
{
  g_autoptr (JsonObject) conflict =
      rl_store_get_record (rl_session_get_store (self->session), "conflict", conflict_id, NULL);
  JsonObject       *local = NULL, *remote = NULL;
  g_autofree char  *changes = NULL;
  g_autofree char  *body = NULL;
  AdwMessageDialog *dialog;

  if (conflict != NULL && json_object_has_member (conflict, "local")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (conflict, "local")))
    local = json_object_get_object_member (conflict, "local");
  if (conflict != NULL && json_object_has_member (conflict, "remote")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (conflict, "remote")))
    remote = json_object_get_object_member (conflict, "remote");
  changes = describe_server_changes (self, local, remote);
  body = g_strdup_printf ("%s\n\n%s",
                          _ ("Someone changed this provider on the server while you were "
                             "editing it, and the changes overlap:"),
                          changes);
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (GTK_WINDOW (self), _ ("Changed on the Server"), body));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "later", _ ("_Decide Later"),
                                    "discard", _ ("_Discard Mine"), "reapply",
                                    _ ("_Re-apply Mine"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "reapply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "reapply");
  adw_message_dialog_set_close_response (dialog, "later");
  g_object_set_data_full (G_OBJECT (dialog), "rl-conflict", g_strdup (conflict_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (conflict_response_cb), self, 0);
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
outbox_settled_cb (RlSession      *session,
                   gint64          row_id,
                   RlOutboxOutcome outcome,
                   const char     *conflict_id,
                   const GError   *error,
                   gpointer        user_data)
{
  RlProviderDialog *self = RL_PROVIDER_DIALOG (user_data);

  if (row_id != self->edit_row_id)
    return;
  switch (outcome)
    {
    case RL_OUTBOX_OUTCOME_SENT:
    case RL_OUTBOX_OUTCOME_MERGED:
      stop_waiting (self);
      gtk_window_close (GTK_WINDOW (self));
      return;

    case RL_OUTBOX_OUTCOME_CONFLICT:
      stop_waiting (self);
      rl_provider_dialog_set_busy (self, FALSE);
      show_conflict (self, conflict_id);
      return;

    case RL_OUTBOX_OUTCOME_FAILED:
      {
        g_autoptr (GError) discard_error = NULL;
        gint64 row = self->edit_row_id;

        stop_waiting (self);
        rl_provider_dialog_set_busy (self, FALSE);
        /* The form keeps what was typed; the refused row goes, so that the
         * corrected save is a new edit. */
        if (!rl_session_outbox_discard (session, row, &discard_error))
          g_debug ("refused provider edit %" G_GINT64_FORMAT " kept: %s", row,
                   discard_error->message);
        if (!(g_error_matches (error, RL_ERROR, RL_ERROR_VALIDATION_FAILED)
              && rl_provider_dialog_show_server_fields (self, rl_error_get_fields (error))))
          rl_provider_dialog_toast_error (self, _ ("The changes were not saved."), error);
        return;
      }

    case RL_OUTBOX_OUTCOME_DEFERRED:
    default:
      /* Sent again later by the outbox: nothing to wait for here. */
      stop_waiting (self);
      close_waiting_to_sync (self);
      return;
    }
}

static void
secret_set_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (RlProviderDialog) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;

  if (rl_session_set_provider_secret_finish (RL_SESSION (source), result, &error) == 0 && self)
    rl_provider_dialog_toast_error (self, _ ("A secret was not changed."), error);
}

void
rl_provider_dialog_submit_edit (RlProviderDialog *self,
                                JsonObject       *values)
{
  g_autoptr (JsonObject) changes = json_object_new ();
  g_autoptr (JsonObject) secrets = rl_provider_dialog_secret_values (self, values);
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (json_object_get_string_member (values, "name")));
  GList           *keys;
  gint64           row_id;

  json_object_set_string_member (changes, "name", name);
  json_object_set_string_member (changes, "role", json_object_get_string_member (values, "role"));
  json_object_set_int_member (changes, "priority",
                              (gint64) json_object_get_double_member (values, "priority"));
  json_object_set_object_member (changes, "config",
                                 rl_provider_form_build_config (self->type, values, TRUE));
  row_id = rl_session_edit_record (self->session, "provider", self->provider_id, changes, &error);
  if (row_id <= 0 && !g_error_matches (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CHANGE))
    {
      rl_provider_dialog_toast_error (self, _ ("The changes were not saved."), error);
      return;
    }

  /* Rotations: the keyring first, then an outbox row that names the item. */
  keys = json_object_get_members (secrets);
  for (GList *l = keys; l; l = l->next)
    rl_session_set_provider_secret_async (self->session, self->provider_id, l->data,
                                          json_object_get_string_member (secrets, l->data),
                                          self->cancellable, secret_set_cb, rl_weak_call_new (self));
  g_list_free (keys);
  rl_provider_dialog_clear_secrets (self);

  if (row_id > 0 && rl_session_get_api_reachable (self->session))
    {
      /* Online: wait for the server's answer, so that a 409 or 422 is met here. */
      self->edit_row_id = row_id;
      g_clear_signal_handler (&self->settled_id, self->session);
      self->settled_id = g_signal_connect (self->session, "outbox-settled",
                                           G_CALLBACK (outbox_settled_cb), self);
      rl_provider_dialog_set_busy (self, TRUE);
      return;
    }
  if (row_id > 0)
    close_waiting_to_sync (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* ---- Remove a secret ---------------------------------------------------------- */

static void
secret_removed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (RlProviderDialog) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  gboolean ok = rl_session_delete_provider_secret_finish (RL_SESSION (source), result, &error);

  if (self == NULL)
    return;
  rl_provider_dialog_set_busy (self, FALSE);
  if (!ok)
    {
      rl_provider_dialog_toast_error (self, _ ("The secret was not removed."), error);
      return;
    }
  g_clear_pointer (&self->provider, json_object_unref);
  self->provider = rl_store_get_record (rl_session_get_store (self->session), "provider",
                                        self->provider_id, NULL);
  rl_provider_dialog_show_form (self);
  rl_provider_dialog_toast (self, _ ("Secret removed on the server and from the keyring."));
}

void
rl_provider_dialog_remove_secret (RlProviderDialog *self,
                                  RlFormRow        *row)
{
  if (self->busy || self->provider_id == NULL)
    return;
  if (!rl_session_get_api_reachable (self->session))
    {
      rl_provider_dialog_toast (self, _ ("Removing a secret needs a connection to the server: the server would "
                                         "otherwise keep using it. Try again when online."));
      return;
    }
  rl_provider_dialog_set_busy (self, TRUE);
  rl_session_delete_provider_secret_async (self->session, self->provider_id, row->key,
                                           self->cancellable, secret_removed_cb,
                                           rl_weak_call_new (self));
}
