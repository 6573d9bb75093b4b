/* rl-sync-jobs-view-dialogs.c — the sync jobs view's dialogs: Edit… (conflict
 * strategy and schedule through the outbox, a 409 shown with what changed
 * on the server) and the payload viewer of a sync-log row.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "rl-a11y.h"
#include "rl-core-enums.h"
#include "rl-edits.h"
#include "rl-error.h"
#include "rl-store.h"
#include "rl-sync-engine.h"
#include "rl-sync-jobs-view-private.h"
#include "rl-ui-errors.h"
#include "rl-ui-format.h"

/* The strategy drop-down's rows, in order. */
static const RlConflictStrategy strategy_rows[] = {
  RL_CONFLICT_STRATEGY_TIMESTAMP_WINS,
  RL_CONFLICT_STRATEGY_LOCAL_WINS,
  RL_CONFLICT_STRATEGY_REMOTE_WINS,
  RL_CONFLICT_STRATEGY_MERGE,
  RL_CONFLICT_STRATEGY_MANUAL,
};

typedef struct
{
  RlSyncJobsView *self;
  char           *job_id;
  char           *name;
  RlSyncMode      mode;
  GtkDropDown    *strategy;
  GtkEditable    *schedule;
  GtkLabel       *hint;
} Edit;

static void
edit_free (Edit *edit)
{
  g_object_unref (edit->self);
  g_free (edit->job_id);
  g_free (edit->name);
  g_free (edit);
}

/* A schedule is empty (none) or five cron fields. */
static gboolean
schedule_valid (const char *text)
{
  g_auto (GStrv) f = g_strsplit_set (text, " \t", -1);
  guint n = 0;

  for (guint i = 0; f[i] != NULL; i++)
    if (*f[i] != '\0')
      n++;
  return n == 0 || n == 5;
}

static void
schedule_changed_cb (GtkEditable      *editable,
                     AdwMessageDialog *dialog)
{
  Edit            *edit = g_object_get_data (G_OBJECT (dialog), "rl-edit");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));
  gboolean         valid = schedule_valid (text);

  if (!valid)
    gtk_label_set_text (edit->hint, _ ("A schedule is five cron fields: minute, hour, day, month, weekday."));
  else
    {
      g_autofree char *words = rl_sync_jobs_schedule_text (edit->mode, text);

      gtk_label_set_text (edit->hint, words);
    }
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (editable), "error");
  adw_message_dialog_set_response_enabled (dialog, "save", valid);
}

void
rl_sync_jobs_view_stop_edit (RlSyncJobsView *self)
{
  if (self->session != NULL)
    g_clear_signal_handler (&self->settled_id, self->session);
  self->settled_id = 0;
  self->edit_row_id = 0;
}

/* "Schedule: every hour here, every 15 minutes on the server" for each field
 * the two differ in. */
static char *
describe_server_changes (JsonObject *local,
                         JsonObject *remote)
{
  g_autoptr (GString) text = g_string_new (NULL);
  const char *ls, *rs;

  ls = local != NULL ? json_object_get_string_member_with_default (local, "conflictStrategy", NULL) : NULL;
  rs = remote != NULL ? json_object_get_string_member_with_default (remote, "conflictStrategy", NULL) : NULL;
  if (g_strcmp0 (ls, rs) != 0)
    /* Translators: a field of a sync job changed on the server while it was edited here. */
    g_string_append_printf (text, _ ("%1$s: %2$s here, %3$s on the server"), _ ("Conflict strategy"),
                            rl_sync_jobs_strategy_label (rl_enum_from_wire (RL_TYPE_CONFLICT_STRATEGY, ls)),
                            rl_sync_jobs_strategy_label (rl_enum_from_wire (RL_TYPE_CONFLICT_STRATEGY, rs)));
  ls = local != NULL ? json_object_get_string_member_with_default (local, "schedule", NULL) : NULL;
  rs = remote != NULL ? json_object_get_string_member_with_default (remote, "schedule", NULL) : NULL;
  if (g_strcmp0 (ls, rs) != 0)
    {
      RlSyncMode       mode = rl_enum_from_wire (RL_TYPE_SYNC_MODE, remote != NULL ? json_object_get_string_member_with_default (remote, "mode", NULL) : NULL);
      g_autofree char *lw = rl_sync_jobs_schedule_text (mode, ls);
      g_autofree char *rw = rl_sync_jobs_schedule_text (mode, rs);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, _ ("%1$s: %2$s here, %3$s on the server"), _ ("Schedule"), lw, rw);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
conflict_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      RlSyncJobsView   *self)
{
  const char *conflict_id = g_object_get_data (G_OBJECT (dialog), "rl-conflict");
  g_autoptr (JsonObject) conflict = NULL;
  g_autoptr (GError) error = NULL;
  gboolean    reapply = g_strcmp0 (response, "reapply") == 0;
  JsonObject *side;

  if (self->session == NULL || rl_session_get_store (self->session) == NULL)
    return;
  if (!reapply && g_strcmp0 (response, "discard") != 0)
    {
      rl_sync_jobs_view_toast (self, _ ("The conflict waits on the Conflicts page."));
      return;
    }
  conflict = rl_store_get_record (rl_session_get_store (self->session), "conflict", conflict_id, &error);
  side = conflict != NULL ? json_object_get_object_member (conflict, reapply ? "local" : "remote") : NULL;
  if (side == NULL
      || rl_session_resolve_conflict (self->session, conflict_id,
                                      reapply ? RL_CONFLICT_STRATEGY_LOCAL_WINS : RL_CONFLICT_STRATEGY_REMOTE_WINS,
                                      side, NULL, &error)
             < 0)
    {
      g_autofree char *words = NULL;
      g_autofree char *text = NULL;

      if (error == NULL)
        g_set_error_literal (&error, RL_ERROR, RL_ERROR_BAD_RESPONSE, "conflict without sides");
      words = rl_ui_error_message (error);
      text = g_strdup_printf ("%s %s", _ ("The conflict was not resolved."), words);
      rl_sync_jobs_view_toast (self, text);
      return;
    }
  rl_sync_jobs_view_toast (self, reapply ? _ ("Your settings are sent again.") : _ ("The server's settings are kept."));
}

static void
show_conflict (RlSyncJobsView *self,
               const char     *conflict_id)
{
  g_autoptr (JsonObject) conflict = rl_store_get_record (rl_session_get_store (self->session), "conflict",
                                                         conflict_id, NULL);
  JsonObject       *local = NULL, *remote = NULL;
  g_autofree char  *changes = NULL;
  g_autofree char  *body = NULL;
  GtkRoot          *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  if (conflict != NULL && json_object_has_member (conflict, "local")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (conflict, "local")))
    local = json_object_get_object_member (conflict, "local");
  if (conflict != NULL && json_object_has_member (conflict, "remote")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (conflict, "remote")))
    remote = json_object_get_object_member (conflict, "remote");
  changes = describe_server_changes (local, remote);
  body = g_strdup_printf ("%s\n\n%s",
                          _ ("Someone changed this job on the server while you were editing it, and the changes "
                             "overlap:"),
                          changes);
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _ ("Changed on the Server"), body));
  adw_message_dialog_add_responses (dialog, "later", _ ("_Decide Later"), "discard", _ ("_Discard Mine"), "reapply",
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
                   RlSyncJobsView *self)
{
  if (row_id != self->edit_row_id)
    return;
  rl_sync_jobs_view_stop_edit (self);
  switch (outcome)
    {
    case RL_OUTBOX_OUTCOME_SENT:
    case RL_OUTBOX_OUTCOME_MERGED:
      rl_sync_jobs_view_toast (self, _ ("Job settings saved"));
      return;

    case RL_OUTBOX_OUTCOME_CONFLICT:
      show_conflict (self, conflict_id);
      return;

    case RL_OUTBOX_OUTCOME_FAILED:
      {
        g_autoptr (GError) discard_error = NULL;
        g_autofree char *words = rl_ui_error_message (error);
        g_autofree char *text = g_strdup_printf ("%s %s", _ ("The job's settings were not saved."), words);

        /* The refused row goes: the job shows the server's settings again. */
        if (!rl_session_outbox_discard (session, row_id, &discard_error))
          g_debug ("refused sync job edit %" G_GINT64_FORMAT " kept: %s", row_id, discard_error->message);
        rl_sync_jobs_view_toast (self, text);
        return;
      }

    case RL_OUTBOX_OUTCOME_DEFERRED:
    default:
      rl_sync_jobs_view_toast (self, _ ("Saved on this computer — waiting to sync."));
      return;
    }
}

static void
edit_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  Edit             *edit)
{
  RlSyncJobsView *self = edit->self;
  g_autoptr (JsonObject) changes = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *schedule = g_strstrip (g_strdup (gtk_editable_get_text (edit->schedule)));
  guint            row = gtk_drop_down_get_selected (edit->strategy);
  gint64           row_id;

  if (!g_str_equal (response, "save") || self->session == NULL || row >= G_N_ELEMENTS (strategy_rows))
    return;
  json_object_set_string_member (changes, "conflictStrategy",
                                 rl_enum_to_wire (RL_TYPE_CONFLICT_STRATEGY, strategy_rows[row]));
  if (*schedule != '\0')
    json_object_set_string_member (changes, "schedule", schedule);
  else
    json_object_set_null_member (changes, "schedule");
  row_id = rl_session_edit_record (self->session, "sync_job", edit->job_id, changes, &error);
  if (g_error_matches (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CHANGE))
    {
      rl_sync_jobs_view_toast (self, _ ("Nothing changed"));
      return;
    }
  if (row_id <= 0)
    {
      g_autofree char *words = rl_ui_error_message (error);
      g_autofree char *text = g_strdup_printf ("%s %s", _ ("The job's settings were not saved."), words);

      rl_sync_jobs_view_toast (self, text);
      return;
    }
  if (!rl_session_get_api_reachable (self->session))
    {
      rl_sync_jobs_view_toast (self, _ ("Saved on this computer — waiting to sync."));
      return;
    }
  /* Online: the server's answer (a 409, a 422) is met here. */
  rl_sync_jobs_view_stop_edit (self);
  self->edit_row_id = row_id;
  self->settled_id = g_signal_connect (self->session, "outbox-settled", G_CALLBACK (outbox_settled_cb), self);
}

static GtkWidget *
field_label (const char *text,
             GtkWidget  *mnemonic_widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), mnemonic_widget);
  return label;
}

void
rl_sync_jobs_view_edit (RlSyncJobsView *self,
                        RlListItem     *job)
{
  GtkRoot          *root = gtk_widget_get_root (GTK_WIDGET (self));
  Edit             *edit = g_new0 (Edit, 1);
  GtkWidget        *grid = gtk_grid_new ();
  GtkStringList    *names = gtk_string_list_new (NULL);
  GtkWidget        *strategy, *schedule, *hint;
  AdwMessageDialog *dialog;
  g_autofree char  *heading = NULL;
  int               current = rl_list_item_get_enum (job, "conflict-strategy");

  edit->self = g_object_ref (self);
  edit->job_id = g_strdup (rl_list_item_get_id (job));
  edit->name = g_strdup (rl_list_item_get_string (job, "name"));
  edit->mode = rl_list_item_get_enum (job, "mode");

  for (guint i = 0; i < G_N_ELEMENTS (strategy_rows); i++)
    gtk_string_list_append (names, rl_sync_jobs_strategy_label (strategy_rows[i]));
  strategy = gtk_drop_down_new (G_LIST_MODEL (names), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (strategy_rows); i++)
    if ((int) strategy_rows[i] == current)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (strategy), i);
  schedule = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (schedule), rl_list_item_get_string (job, "schedule") != NULL
                                                      ? rl_list_item_get_string (job, "schedule")
                                                      : "");
  gtk_entry_set_placeholder_text (GTK_ENTRY (schedule), _ ("None (cron, e.g. */15 * * * *)"));
  gtk_entry_set_activates_default (GTK_ENTRY (schedule), TRUE);
  gtk_widget_set_hexpand (schedule, TRUE);
  hint = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (schedule), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, hint, NULL,
                                  -1);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_attach (GTK_GRID (grid), field_label (_ ("Conflict _strategy"), strategy), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), strategy, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), field_label (_ ("S_chedule"), schedule), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), schedule, 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), hint, 1, 2, 1, 1);
  edit->strategy = GTK_DROP_DOWN (strategy);
  edit->schedule = GTK_EDITABLE (schedule);
  edit->hint = GTK_LABEL (hint);

  /* Translators: %s is a sync job's name. */
  heading = g_strdup_printf (_ ("Edit “%s”"), edit->name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
      _ ("How the job settles a record changed on both sides, and when it runs.")));
  adw_message_dialog_set_extra_child (dialog, grid);
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "save", _ ("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "rl-edit", edit);
  g_signal_connect (schedule, "changed", G_CALLBACK (schedule_changed_cb), dialog);
  schedule_changed_cb (GTK_EDITABLE (schedule), dialog);
  g_signal_connect_data (dialog, "response", G_CALLBACK (edit_response_cb), edit,
                         (GClosureNotify) (void (*) (void)) edit_free, 0);
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Payloads ------------------------------------------------------------------------------- */

/* @json (any JSON value as text, or NULL) indented; NULL when there is none. */
static char *
pretty_json (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = NULL;
  JsonNode *root;

  if (json == NULL || *json == '\0')
    return NULL;
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return g_strdup (json);
  root = json_parser_get_root (parser);
  if (root == NULL || JSON_NODE_HOLDS_NULL (root))
    return NULL;
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
copy_clicked_cb (GtkButton *button,
                 GtkWidget *text_view)
{
  GtkTextBuffer   *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  GtkTextIter      start, end;
  g_autofree char *text = NULL;
  AdwToastOverlay *overlay;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
  overlay = ADW_TOAST_OVERLAY (gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_TOAST_OVERLAY));
  if (overlay != NULL)
    adw_toast_overlay_add_toast (overlay, adw_toast_new (_ ("Copied")));
}

/* A heading, its Copy button, and the payload, or a line saying there is none. */
static GtkWidget *
payload_section (const char *title,
                 const char *copy_label,
                 const char *view_label,
                 const char *json)
{
  g_autofree char *pretty = pretty_json (json);
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget       *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget       *heading = gtk_label_new (title);
  GtkWidget       *copy, *scrolled, *view;

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_set_hexpand (heading, TRUE);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (header), heading);
  gtk_box_append (GTK_BOX (box), header);
  if (pretty == NULL)
    {
      GtkWidget *none = gtk_label_new (_ ("None was recorded."));

      gtk_label_set_xalign (GTK_LABEL (none), 0);
      gtk_widget_add_css_class (none, "dim-label");
      gtk_box_append (GTK_BOX (box), none);
      return box;
    }
  view = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), pretty, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, view_label, -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_set_vexpand (box, TRUE);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_widget_set_overflow (scrolled, GTK_OVERFLOW_HIDDEN);
  gtk_box_append (GTK_BOX (box), scrolled);

  copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  gtk_widget_set_tooltip_text (copy, copy_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL, copy_label, -1);
  gtk_widget_add_css_class (copy, "flat");
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_clicked_cb), view);
  gtk_box_append (GTK_BOX (header), copy);
  return box;
}

void
rl_sync_jobs_view_show_payloads (RlSyncJobsView *self,
                                 RlListItem     *row)
{
  GtkRoot            *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget          *window = adw_window_new ();
  GtkWidget          *overlay = adw_toast_overlay_new ();
  GtkWidget          *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget          *header = adw_header_bar_new ();
  GtkWidget          *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget          *title;
  g_autofree char    *subtitle = NULL;
  g_autofree char    *when = rl_ui_format_time_ms (rl_list_item_get_int64 (row, "created"));
  const char         *error = rl_list_item_get_string (row, "error-message");
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  /* Translators: the payload viewer's subtitle; 1: a record, 2: when it was synced. */
  subtitle = g_strdup_printf (_ ("%1$s at %2$s"), rl_list_item_get_string (row, "record-ref"), when);
  title = adw_window_title_new (_ ("Payloads"), subtitle);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  gtk_box_append (GTK_BOX (outer), header);

  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  if (error != NULL && *error != '\0')
    {
      GtkWidget *label = gtk_label_new (error);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "error");
      gtk_box_append (GTK_BOX (content), label);
    }
  gtk_box_append (GTK_BOX (content),
                  payload_section (_ ("Request"), _ ("Copy Request"), _ ("Request payload"),
                                   rl_list_item_get_string (row, "request-payload")));
  gtk_box_append (GTK_BOX (content),
                  payload_section (_ ("Response"), _ ("Copy Response"), _ ("Response payload"),
                                   rl_list_item_get_string (row, "response-payload")));
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (outer), content);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), outer);
  adw_window_set_content (ADW_WINDOW (window), overlay);

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, shortcuts);
  gtk_window_set_title (GTK_WINDOW (window), _ ("Payloads"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 620, 600);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));
}
