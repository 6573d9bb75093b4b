/* rl-drop-point-panel-edit.c — the panel's edits: PATCH with If-Match, the
 * outbox when offline, and the dialog that explains a 409.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "rl-api.h"
#include "rl-drop-point-panel-private.h"
#include "rl-envelope.h"
#include "rl-error.h"
#include "rl-ui-errors.h"

static void send_patch (RlDropPointPanel *self,
                        JsonObject       *edit,
                        gint64            version);

/* ---- Saving ------------------------------------------------------------- */

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

static void
save_offline (RlDropPointPanel *self,
              JsonObject       *edit,
              const char       *why)
{
  g_autoptr (JsonObject) local = apply_edit (self->record, edit);
  g_autoptr (JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/drop-points/%s", self->drop_point_id);
  g_autofree char *if_match =
      g_strdup_printf ("\"%" G_GINT64_FORMAT "\"",
                       json_object_get_int_member_with_default (self->record, "version", 0));
  g_autofree char *message = NULL;
  RlStore         *store = rl_dpp_get_store (self);

  json_node_set_object (body, edit);
  if (store == NULL
      || rl_store_outbox_enqueue (store, "PATCH", path, body, if_match, "drop_point",
                                  self->drop_point_id, self->record, local, NULL, &error)
             == 0)
    {
      g_autofree char *reason = error ? rl_ui_error_message (error) : g_strdup (_ ("no cache"));

      message = g_strdup_printf (_ ("Not saved: %s"), reason);
      rl_dpp_set_save_message (self, message);
      return;
    }
  rl_dpp_set_record (self, local);
  message = g_strdup_printf (
      _ ("%s Saved on this computer; it will be sent when the server is reachable."), why);
  rl_dpp_set_save_message (self, message);
}

static void
conflict_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  RlDropPointPanel *self = user_data;
  g_autoptr (JsonObject) current = g_steal_pointer (&self->conflict_current);
  g_autoptr (JsonObject) edit = g_object_steal_data (G_OBJECT (dialog), "rl-edit");

  self->conflict_dialog = NULL;
  if (current == NULL)
    return;

  if (g_strcmp0 (response, "mine") == 0 && edit != NULL)
    {
      /* The other change is overwritten knowingly: against its version. */
      send_patch (self, edit, json_object_get_int_member_with_default (current, "version", 0));
    }
  else if (g_strcmp0 (response, "theirs") == 0)
    {
      g_autofree char *message =
          g_strdup_printf (_ ("Kept the other change (version %" PRId64 ")."),
                           json_object_get_int_member_with_default (current, "version", 0));

      rl_dpp_store_record (self, current);
      rl_dpp_set_record (self, current);
      rl_dpp_set_save_message (self, message);
    }
  else
    rl_dpp_set_save_message (self, _ ("Not saved: someone else changed this drop point."));
}

static void
show_conflict (RlDropPointPanel *self,
               JsonObject       *current,
               JsonObject       *edit)
{
  GtkRoot         *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget       *dialog;
  g_autofree char *body = NULL;
  const char      *their_notes = rl_dpp_member_string (current, "notes");
  const char      *my_notes = rl_dpp_member_string (edit, "notes");

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
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _ ("_Cancel"),
                                    "theirs", _ ("_Use Theirs"),
                                    "mine", _ ("_Keep Mine"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "mine",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "theirs");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "rl-edit", json_object_ref (edit),
                          (GDestroyNotify) json_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (conflict_response_cb), self, 0);

  g_clear_pointer (&self->conflict_current, json_object_unref);
  self->conflict_current = json_object_ref (current);
  self->conflict_dialog = ADW_MESSAGE_DIALOG (dialog);
  rl_dpp_set_save_message (self, _ ("Not saved yet: someone else changed this drop point."));
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  RlDropPointPanel *self;
  JsonObject       *edit;
} PatchData;

static void
patch_data_free (PatchData *data)
{
  g_object_unref (data->self);
  json_object_unref (data->edit);
  g_free (data);
}

static void
patch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  PatchData        *data = user_data;
  RlDropPointPanel *self = data->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) env = rl_api_request_finish (RL_API (source), result, &error);
  JsonObject *record;

  rl_dpp_busy_pop (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->save_button == NULL)
    goto out;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);

  if (env != NULL && (record = rl_envelope_get_object (env)) != NULL)
    {
      g_autofree char *message =
          g_strdup_printf (_ ("Saved (version %" PRId64 ")."),
                           json_object_get_int_member_with_default (record, "version", 0));

      rl_dpp_store_record (self, record);
      rl_dpp_set_record (self, record);
      rl_dpp_set_save_message (self, message);
    }
  else if (g_error_matches (error, RL_ERROR, RL_ERROR_VERSION_CONFLICT)
           && rl_error_get_current (error))
    show_conflict (self, rl_error_get_current (error), data->edit);
  else if (g_error_matches (error, RL_ERROR, RL_ERROR_NETWORK)
           || g_error_matches (error, RL_ERROR, RL_ERROR_UNAVAILABLE)
           || g_error_matches (error, RL_ERROR, RL_ERROR_INTERNAL)
           || g_error_matches (error, RL_ERROR, RL_ERROR_CIRCUIT_OPEN)
           || g_error_matches (error, RL_ERROR, RL_ERROR_RATE_LIMITED))
    save_offline (self, data->edit, _ ("The server did not answer."));
  else if (g_error_matches (error, RL_ERROR, RL_ERROR_FORBIDDEN))
    rl_dpp_set_save_message (self, _ ("Not saved: your role may not change this drop point."));
  else if (g_error_matches (error, RL_ERROR, RL_ERROR_VALIDATION_FAILED)
           && rl_error_get_fields (error))
    {
      JsonObjectIter iter;
      const char    *key;
      JsonNode      *value;
      GString       *s = g_string_new (_ ("Not saved:"));

      json_object_iter_init (&iter, rl_error_get_fields (error));
      while (json_object_iter_next (&iter, &key, &value))
        g_string_append_printf (s, " %s: %s.", key,
                                JSON_NODE_HOLDS_VALUE (value) ? json_node_get_string (value) : "?");
      rl_dpp_set_save_message (self, s->str);
      g_string_free (s, TRUE);
    }
  else
    {
      g_autofree char *reason = error ? rl_ui_error_message (error) : g_strdup (_ ("bad answer"));
      g_autofree char *message = g_strdup_printf (_ ("Not saved: %s"), reason);
      rl_dpp_set_save_message (self, message);
    }

out:
  patch_data_free (data);
}

static void
send_patch (RlDropPointPanel *self,
            JsonObject       *edit,
            gint64            version)
{
  g_autoptr (JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *path = g_strdup_printf ("/drop-points/%s", self->drop_point_id);
  PatchData       *data = g_new0 (PatchData, 1);

  data->self = g_object_ref (self);
  data->edit = json_object_ref (edit);
  json_node_set_object (body, edit);
  rl_dpp_busy_push (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  rl_dpp_set_save_message (self, _ ("Saving…"));
  rl_api_patch_async (rl_session_get_api (self->session), path, body, version,
                      self->cancellable, patch_done_cb, data);
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

  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  if (self->record == NULL)
    return;
  edit = collect_edit (self);
  if (rl_dpp_is_online (self))
    send_patch (self, edit, json_object_get_int_member_with_default (self->record, "version", 0));
  else
    save_offline (self, edit, _ ("Offline."));
}
