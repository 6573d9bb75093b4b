/* rl-drop-point-panel-edit.c — the panel's edits: through the outbox always,
 * the drain's answer, and the dialog that settles a conflict.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Saving queues the edit (rl_session_edit_record: the cache shows it at
 * once) and waits for the session's "outbox-settled" of that row: sent,
 * refused (the server's reason), deferred (the server did not answer), or
 * a conflict with someone else's change, which the dialog settles by
 * resolving the local conflict (mine: sent again; theirs: kept as is).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "rl-a11y.h"
#include "rl-drop-point-panel-private.h"
#include "rl-edits.h"
#include "rl-error.h"
#include "rl-sync-engine.h"
#include "rl-ui-errors.h"
#include "rl-weak-call.h"

/* ---- Helpers ------------------------------------------------------------- */

static JsonObject *
collect_edit (RlDropPointPanel *self)
{
  JsonObject      *edit = json_object_new ();
  GtkTextBuffer   *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter      start, end;
  guint            selected = adw_combo_row_get_selected (self->status_combo);
  g_autofree char *notes = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  json_object_set_string_member (
      edit, "status",
      selected < G_N_ELEMENTS (rl_dpp_status_ids) ? rl_dpp_status_ids[selected] : "active");
  json_object_set_string_member (edit, "notes", notes);
  return edit;
}

void
rl_dpp_set_save_message (RlDropPointPanel *self,
                         const char       *message)
{
  g_free (self->save_message);
  self->save_message = g_strdup (message);
  gtk_label_set_text (self->save_status, message ? message : "");
}

static JsonObject *
apply_edit (JsonObject *record,
            JsonObject *edit)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (JsonNode) copy = NULL;
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *value;

  json_node_set_object (node, record);
  copy = json_node_copy (node);
  json_object_iter_init (&iter, edit);
  while (json_object_iter_next (&iter, &key, &value))
    json_object_set_member (json_node_get_object (copy), key, json_node_copy (value));
  return json_object_ref (json_node_get_object (copy));
}

/* The panel waits for row @row (0: none); online, it shows as busy until
 * the drain's first answer. */
static void
await_row (RlDropPointPanel *self,
           gint64            row)
{
  self->save_row = row;
  if (row > 0 && rl_dpp_is_online (self) && !self->save_busy)
    {
      self->save_busy = TRUE;
      rl_dpp_busy_push (self);
    }
}

static void
stop_busy (RlDropPointPanel *self)
{
  if (self->save_busy)
    {
      self->save_busy = FALSE;
      rl_dpp_busy_pop (self);
    }
}

void
rl_dpp_forget_save (RlDropPointPanel *self)
{
  self->save_row = 0;
  self->after_reload = RL_DPP_AFTER_RELOAD_NONE;
  g_clear_pointer (&self->conflict_id, g_free);
  stop_busy (self);
}

/* The record was read again from the cache: say how the save ended. */
void
rl_dpp_record_reloaded (RlDropPointPanel *self)
{
  g_autofree char *message = NULL;
  gint64           version = self->record ? json_object_get_int_member_with_default (self->record, "version", 0)
                                          : 0;

  switch (self->after_reload)
    {
    case RL_DPP_AFTER_RELOAD_SAVED:
      message = g_strdup_printf (_ ("Saved (version %" PRId64 ")."), version);
      break;
    case RL_DPP_AFTER_RELOAD_KEPT_THEIRS:
      message = g_strdup_printf (_ ("Kept the other change (version %" PRId64 ")."), version);
      break;
    case RL_DPP_AFTER_RELOAD_NONE:
    default:
      return;
    }
  self->after_reload = RL_DPP_AFTER_RELOAD_NONE;
  rl_dpp_set_save_message (self, message);
}

static void
reload_then (RlDropPointPanel *self,
             RlDppAfterReload  after)
{
  self->after_reload = after;
  rl_drop_point_panel_reload (self);
}

/* ---- The conflict dialog --------------------------------------------------- */

/* Whether the window has a Conflicts page for this user (win.show-conflict
 * is enabled for the roles that see it). */
static gboolean
conflict_page_reachable (RlDropPointPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return G_IS_ACTION_GROUP (root)
         && g_action_group_has_action (G_ACTION_GROUP (root), "show-conflict")
         && g_action_group_get_action_enabled (G_ACTION_GROUP (root), "show-conflict");
}

static void
conflict_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  RlDropPointPanel *self = user_data;
  g_autofree char  *conflict_id = g_steal_pointer (&self->conflict_id);
  g_autoptr (GError) error = NULL;
  gint64 row;

  self->conflict_dialog = NULL;
  g_clear_pointer (&self->conflict_current, json_object_unref);
  if (conflict_id == NULL || self->session == NULL)
    return;

  if (g_strcmp0 (response, "mine") == 0)
    {
      /* The other change is overwritten knowingly: against its version. */
      row = rl_session_resolve_conflict (self->session, conflict_id,
                                         RL_CONFLICT_STRATEGY_LOCAL_WINS, NULL, NULL, &error);
      if (row > 0)
        {
          await_row (self, row);
          rl_dpp_set_save_message (self, _ ("Saved — waiting to sync."));
          return;
        }
      if (row == 0)
        {
          reload_then (self, RL_DPP_AFTER_RELOAD_SAVED);
          return;
        }
    }
  else if (g_strcmp0 (response, "theirs") == 0)
    {
      row = rl_session_resolve_conflict (self->session, conflict_id,
                                         RL_CONFLICT_STRATEGY_REMOTE_WINS, NULL, NULL, &error);
      if (row >= 0)
        {
          /* Nothing to send: the cache holds theirs already. */
          reload_then (self, RL_DPP_AFTER_RELOAD_KEPT_THEIRS);
          return;
        }
    }
  else if (g_strcmp0 (response, "fields") == 0)
    {
      /* The window's Conflicts page, this conflict on it. */
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-conflict", "s", conflict_id);
      rl_dpp_set_save_message (self, _ ("Not saved yet: decide on the Conflicts page."));
      return;
    }
  else
    {
      rl_dpp_set_save_message (
          self, conflict_page_reachable (self)
                    ? _ ("Not saved yet: the conflict waits on the Conflicts page.")
                    : _ ("Not saved: someone else changed this drop point."));
      return;
    }

  {
    g_autofree char *reason = rl_ui_error_message (error);
    g_autofree char *message = g_strdup_printf (_ ("Not saved: %s"), reason);

    rl_dpp_set_save_message (self, message);
  }
}

static void
show_conflict (RlDropPointPanel *self,
               JsonObject       *conflict)
{
  GtkRoot         *root = gtk_widget_get_root (GTK_WIDGET (self));
  JsonObject      *current = json_object_get_object_member (conflict, "remote");
  JsonObject      *edit = json_object_get_object_member (conflict, "local");
  GtkWidget       *dialog;
  g_autofree char *body = NULL;
  const char      *their_notes;
  const char      *my_notes;

  if (current == NULL || edit == NULL)
    return;
  their_notes = rl_dpp_member_string (current, "notes");
  my_notes = rl_dpp_member_string (edit, "notes");
  body = g_strdup_printf (
      _ ("While you were editing “%s”, someone else saved a newer version (%" PRId64 ").\n\n"
         "Their status: %s\nTheir notes: %s\n\n"
         "Your status: %s\nYour notes: %s"),
      rl_dpp_member_string (current, "name") ?: self->drop_point_id,
      json_object_get_int_member_with_default (current, "version", 0),
      rl_dpp_status_label (rl_dpp_member_string (current, "status")),
      their_notes && *their_notes ? their_notes : _ ("(none)"),
      rl_dpp_status_label (rl_dpp_member_string (edit, "status")),
      my_notes && *my_notes ? my_notes : _ ("(none)"));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _ ("Someone Else Changed This Drop Point"), body);
  if (conflict_page_reachable (self))
    {
      /* Decide later, or field by field on the Conflicts page (the safe
       * default), or one side for every field here. */
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _ ("Decide _Later"),
                                        "theirs", _ ("_Use Theirs"),
                                        "mine", _ ("_Keep Mine"),
                                        "fields", _ ("_Field by Field…"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "fields",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "fields");
    }
  else
    {
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _ ("_Cancel"),
                                        "theirs", _ ("_Use Theirs"),
                                        "mine", _ ("_Keep Mine"),
                                        NULL);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "theirs");
    }
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "mine",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  rl_a11y_fix_mnemonic_names (dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (conflict_response_cb), self, 0);

  g_clear_pointer (&self->conflict_current, json_object_unref);
  self->conflict_current = json_object_ref (current);
  self->conflict_dialog = ADW_MESSAGE_DIALOG (dialog);
  rl_dpp_set_save_message (self, _ ("Not saved yet: someone else changed this drop point."));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
conflict_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (RlDropPointPanel) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) conflict = rl_store_get_record_finish (RL_STORE (source), result, &error);

  if (self == NULL)
    return;
  rl_dpp_busy_pop (self);
  if (conflict == NULL)
    {
      g_autofree char *reason = rl_ui_error_message (error);
      g_autofree char *message = g_strdup_printf (_ ("Not saved: %s"), reason);

      rl_dpp_set_save_message (self, message);
      return;
    }
  show_conflict (self, conflict);
}

/* ---- The drain's answers ---------------------------------------------------------- */

static char *
refusal_message (const GError *error)
{
  JsonObject *fields = rl_error_get_fields (error);

  if (g_error_matches (error, RL_ERROR, RL_ERROR_FORBIDDEN))
    return g_strdup (_ ("Not saved: your role may not change this drop point."));
  if (g_error_matches (error, RL_ERROR, RL_ERROR_VALIDATION_FAILED) && fields != NULL)
    {
      GString       *s = g_string_new (_ ("Not saved:"));
      JsonObjectIter iter;
      const char    *key;
      JsonNode      *value;

      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &key, &value))
        g_string_append_printf (s, " %s: %s.", key,
                                JSON_NODE_HOLDS_VALUE (value) ? json_node_get_string (value) : "?");
      return g_string_free (s, FALSE);
    }
  {
    g_autofree char *reason = error ? rl_ui_error_message (error) : g_strdup (_ ("bad answer"));

    return g_strdup_printf (_ ("Not saved: %s"), reason);
  }
}

static void
outbox_settled_cb (RlSession        *session,
                   gint64            row,
                   RlOutboxOutcome   outcome,
                   const char       *conflict_id,
                   GError           *error,
                   RlDropPointPanel *self)
{
  if (row != self->save_row || row == 0)
    return;

  switch (outcome)
    {
    case RL_OUTBOX_OUTCOME_MERGED:
      /* Someone changed other fields meanwhile: merged, on its way again. */
      rl_dpp_set_save_message (self, _ ("Saved — merged with another change, waiting to sync."));
      return;

    case RL_OUTBOX_OUTCOME_DEFERRED:
      stop_busy (self);
      rl_dpp_set_save_message (self, _ ("Saved on this computer — waiting to sync."));
      return;

    case RL_OUTBOX_OUTCOME_SENT:
      rl_dpp_forget_save (self);
      reload_then (self, RL_DPP_AFTER_RELOAD_SAVED);
      return;

    case RL_OUTBOX_OUTCOME_CONFLICT:
      {
        RlStore *store = rl_dpp_get_store (self);

        rl_dpp_forget_save (self);
        self->conflict_id = g_strdup (conflict_id);
        /* The cache shows their record now; the edit is in the conflict. */
        rl_drop_point_panel_reload (self);
        if (store == NULL)
          return;
        rl_dpp_busy_push (self);
        rl_store_get_record_async (store, "conflict", conflict_id, NULL, conflict_loaded_cb,
                                   rl_weak_call_new (self));
      }
      return;

    case RL_OUTBOX_OUTCOME_FAILED:
    default:
      {
        g_autofree char *message = refusal_message (error);

        /* The row waits in the outbox for the user (the header's list). */
        rl_dpp_forget_save (self);
        rl_dpp_set_save_message (self, message);
      }
      return;
    }
}

void
rl_dpp_watch_session (RlDropPointPanel *self,
                      RlSession        *old_session)
{
  if (old_session != NULL)
    g_signal_handlers_disconnect_by_func (old_session, outbox_settled_cb, self);
  rl_dpp_forget_save (self);
  if (self->session != NULL)
    g_signal_connect (self->session, "outbox-settled", G_CALLBACK (outbox_settled_cb), self);
}

/* ---- Public API --------------------------------------------------------- */

void
rl_drop_point_panel_set_edit (RlDropPointPanel *self,
                              const char       *status,
                              const char       *notes)
{
  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  for (guint i = 0; status != NULL && i < G_N_ELEMENTS (rl_dpp_status_ids); i++)
    if (g_strcmp0 (status, rl_dpp_status_ids[i]) == 0)
      adw_combo_row_set_selected (self->status_combo, i);
  if (notes != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), notes, -1);
}

void
rl_drop_point_panel_save (RlDropPointPanel *self)
{
  g_autoptr (JsonObject) edit = NULL;
  g_autoptr (JsonObject) local = NULL;
  g_autoptr (GError) error = NULL;
  gint64 row;

  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  if (self->record == NULL || self->session == NULL)
    return;
  edit = collect_edit (self);
  /* Always through the outbox: the cache has it at once, the drain sends it. */
  row = rl_session_edit_record (self->session, "drop_point", self->drop_point_id, edit, &error);
  if (row <= 0)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CHANGE))
        message = g_strdup (_ ("Nothing to save: nothing was changed."));
      else
        {
          g_autofree char *reason = rl_ui_error_message (error);

          message = g_strdup_printf (_ ("Not saved: %s"), reason);
        }
      rl_dpp_set_save_message (self, message);
      return;
    }
  local = apply_edit (self->record, edit);
  rl_dpp_set_record (self, local);
  await_row (self, row);
  rl_dpp_set_save_message (self, _ ("Saved — waiting to sync."));
}
