/* rl-activity-workflows.c — the Activity page's workflows: triggers in words,
 * last run, success rate, Run Now.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkColumnView over an RlRecordList of kind workflows. The success rate
 * counts the last 20 finished runs in the cache (columns recent-runs and
 * recent-succeeded, rl-list-specs.c). Run Now asks first, naming the
 * workflow, then rl_session_start_workflow (queued offline).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "rl-activity-page-private.h"
#include "rl-activity-text.h"
#include "rl-column-sort.h"
#include "rl-edits.h"
#include "rl-store-monitor.h"
#include "rl-ui-errors.h"
#include "rl-ui-format.h"

/* ---- Cells ----------------------------------------------------------------------------------- */

static char *
enabled_text (gpointer this_,
              gboolean enabled)
{
  return g_strdup (enabled ? _ ("Enabled") : _ ("Disabled"));
}

/* One trigger in words: "every day at 06:00", "on event file-uploaded", "by hand". */
static char *
trigger_words (JsonObject *trigger)
{
  const char *type = json_object_get_string_member_with_default (trigger, "type", "");
  JsonObject *config = json_object_has_member (trigger, "config")
                               && JSON_NODE_HOLDS_OBJECT (json_object_get_member (trigger, "config"))
                           ? json_object_get_object_member (trigger, "config")
                           : NULL;

  if (g_str_equal (type, "schedule"))
    {
      const char *cron = config != NULL ? json_object_get_string_member_with_default (config, "cron", NULL)
                                        : NULL;
      char       *words = rl_cron_to_words (cron);

      return words != NULL ? words : g_strdup (_ ("on a schedule"));
    }
  if (g_str_equal (type, "event"))
    {
      const char *event = config != NULL ? json_object_get_string_member_with_default (config, "event", NULL)
                                         : NULL;

      if (event != NULL)
        /* Translators: a trigger; %s is an event's name, e.g. file-uploaded. */
        return g_strdup_printf (_ ("on event %s"), event);
      return g_strdup (_ ("on an event"));
    }
  if (g_str_equal (type, "manual"))
    return g_strdup (_ ("by hand"));
  return g_strdup (type);
}

static char *
triggers_text (gpointer    this_,
               const char *json)
{
  g_autoptr (JsonNode) node = json != NULL ? json_from_string (json, NULL) : NULL;
  g_autoptr (GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  JsonArray *triggers;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("—");
  triggers = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (triggers); i++)
    {
      JsonNode *t = json_array_get_element (triggers, i);

      if (JSON_NODE_HOLDS_OBJECT (t))
        g_ptr_array_add (words, trigger_words (json_node_get_object (t)));
    }
  if (words->len == 0)
    return g_strdup ("—");
  g_ptr_array_add (words, NULL);
  /* Translators: the separator between a workflow's triggers. */
  return g_strjoinv (_ ("; "), (char **) words->pdata);
}

static char *
last_run_text (gpointer    this_,
               RlRunStatus status,
               gint64      started)
{
  g_autofree char *word = rl_activity_run_status_text (this_, status);
  g_autofree char *when = NULL;

  if (status == RL_RUN_STATUS_UNKNOWN || started <= 0)
    return g_steal_pointer (&word);
  when = rl_activity_time_text (this_, started);
  /* Translators: a workflow's last run: 1: its state (Failed…), 2: when it started. */
  return g_strdup_printf (_ ("%1$s · %2$s"), word, when);
}

static char *
rate_text (gpointer this_,
           gint64   succeeded,
           gint64   runs)
{
  if (runs <= 0)
    return g_strdup ("—");
  /* Translators: a success rate: 1: percent, 2: runs that succeeded, 3: runs counted. */
  return g_strdup_printf (_ ("%1$d %% (%2$d of %3$d)"), (int) (succeeded * 100 / runs),
                          (int) succeeded, (int) runs);
}

/* ---- State ----------------------------------------------------------------------------------- */

static RlListItem *
selected_workflow (RlActivityPage *self)
{
  return gtk_single_selection_get_selected_item (self->workflows_selection);
}

static void
update_actions (RlActivityPage *self)
{
  RlListItem      *item = selected_workflow (self);
  RlSession       *session = rl_page_get_session (RL_PAGE (self));
  guint            n = g_list_model_get_n_items (G_LIST_MODEL (self->workflows));
  g_autofree char *count = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->run_now_button),
                            item != NULL && session != NULL
                                && rl_list_item_get_boolean (item, "enabled"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_now_button),
                               item != NULL && !rl_list_item_get_boolean (item, "enabled")
                                   ? _ ("This workflow is disabled")
                                   : _ ("Start the selected workflow now"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->show_runs_button), item != NULL);
  /* Translators: the number of workflows the list shows. */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u workflow", "%u workflows", n), n);
  gtk_label_set_text (self->workflows_count_label, count);
}

void
rl_activity_workflows_update_state (RlActivityPage *self)
{
  guint         n = g_list_model_get_n_items (G_LIST_MODEL (self->workflows));
  const GError *error = rl_record_list_get_error (self->workflows);

  if (n > 0)
    gtk_stack_set_visible_child_name (self->workflows_stack, "list");
  else if (error != NULL)
    {
      g_autofree char *message = rl_ui_error_message (error);

      adw_status_page_set_description (self->workflows_error_page, message);
      gtk_stack_set_visible_child_name (self->workflows_stack, "error");
    }
  else if (rl_record_list_get_loading (self->workflows))
    gtk_stack_set_visible_child_name (self->workflows_stack, "loading");
  else
    {
      adw_status_page_set_icon_name (self->workflows_empty_page, "view-list-symbolic");
      adw_status_page_set_title (self->workflows_empty_page, _ ("No Workflows"));
      adw_status_page_set_description (self->workflows_empty_page,
                                       _ ("The platform's workflows show here once synced."));
      gtk_stack_set_visible_child_name (self->workflows_stack, "empty");
    }
  update_actions (self);
}

static void
workflows_changed_cb (RlActivityPage *self,
                      guint           position,
                      guint           removed,
                      guint           added)
{
  rl_activity_workflows_update_state (self);
  rl_activity_runs_workflows_changed (self);
  /* A workflow came or went: watch the runs of the ones there are. */
  if (removed != added)
    rl_activity_page_rewatch (self);
}

static void
workflows_loading_cb (RlActivityPage *self)
{
  rl_activity_workflows_update_state (self);
}

/* ---- Actions --------------------------------------------------------------------------------- */

typedef struct
{
  RlActivityPage *self;
  char           *id;
} RunNow;

static void
run_now_free (RunNow *run)
{
  g_object_unref (run->self);
  g_free (run->id);
  g_free (run);
}

static void
run_now_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     RunNow           *run)
{
  RlSession *session = rl_page_get_session (RL_PAGE (run->self));
  g_autoptr (GError) error = NULL;

  if (!g_str_equal (response, "run") || session == NULL)
    return;
  if (rl_session_start_workflow (session, run->id, &error) < 0)
    {
      g_autofree char *message = rl_ui_error_message (error);

      rl_page_toast (RL_PAGE (run->self), message);
    }
  else if (rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE)
    rl_page_toast (RL_PAGE (run->self), _ ("Run requested — waiting to sync"));
  else
    rl_page_toast (RL_PAGE (run->self), _ ("Run started"));
}

static void
run_now_cb (RlActivityPage *self)
{
  RlListItem       *item = selected_workflow (self);
  RlSession        *session = rl_page_get_session (RL_PAGE (self));
  GtkRoot          *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char  *heading = NULL;
  AdwMessageDialog *dialog;
  RunNow           *run;

  if (item == NULL || session == NULL)
    return;
  /* Translators: %s is a workflow's name. */
  heading = g_strdup_printf (_ ("Run “%s” Now?"), rl_list_item_get_string (item, "name"));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
      rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE
          ? _ ("The console is offline: the run starts when it reconnects.")
          : _ ("The workflow starts a manual run at once, beside its scheduled runs.")));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "run", _ ("_Run Now"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "run", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "run");
  adw_message_dialog_set_close_response (dialog, "cancel");
  run = g_new0 (RunNow, 1);
  run->self = g_object_ref (self);
  run->id = g_strdup (rl_list_item_get_id (item));
  g_signal_connect_data (dialog, "response", G_CALLBACK (run_now_response_cb), run,
                         (GClosureNotify) (void (*) (void)) run_now_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_runs_cb (RlActivityPage *self)
{
  RlListItem *item = selected_workflow (self);

  if (item != NULL)
    rl_activity_runs_show_workflow (self, rl_list_item_get_id (item));
}

static void
workflow_activated_cb (RlActivityPage *self,
                       guint           position)
{
  g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (self->workflows), position);

  if (item != NULL)
    rl_activity_runs_show_workflow (self, rl_list_item_get_id (item));
}

static gboolean
rates_timeout_cb (gpointer data)
{
  RlActivityPage *self = data;

  self->rates_timeout = 0;
  rl_record_list_reload (self->workflows);
  return G_SOURCE_REMOVE;
}

/* The rates are columns of the workflows' rows, computed when a row is
 * read: a run written does not touch a workflow row, so the (small) list is
 * read again, once a second at most; rows that did not change stay. */
static void
monitor_changed_cb (RlActivityPage *self,
                    RlStoreChanges *changes)
{
  if (rl_store_changes_has_entity (changes, "run") && self->rates_timeout == 0)
    self->rates_timeout = g_timeout_add_seconds (1, rates_timeout_cb, self);
}

static void
store_changed_cb (RlActivityPage *self)
{
  RlStore *store = rl_record_list_get_store (self->workflows);

  g_clear_handle_id (&self->rates_timeout, g_source_remove);
  g_clear_object (&self->monitor);
  if (store == NULL)
    return;
  self->monitor = G_OBJECT (rl_store_monitor_new (store));
  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (monitor_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

void
rl_activity_workflows_dispose (RlActivityPage *self)
{
  g_clear_handle_id (&self->rates_timeout, g_source_remove);
  g_clear_object (&self->monitor);
}

RlRecordList *
rl_activity_page_get_workflows (RlActivityPage *self)
{
  g_return_val_if_fail (RL_IS_ACTIVITY_PAGE (self), NULL);
  return self->workflows;
}

/* ---- Set-up ---------------------------------------------------------------------------------- */

void
rl_activity_workflows_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, workflows);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, workflows_selection);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, workflows_view);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, workflows_stack);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, workflows_empty_page);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, workflows_error_page);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, workflows_count_label);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, show_runs_button);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, run_now_button);
  gtk_widget_class_bind_template_callback (widget_class, enabled_text);
  gtk_widget_class_bind_template_callback (widget_class, triggers_text);
  gtk_widget_class_bind_template_callback (widget_class, last_run_text);
  gtk_widget_class_bind_template_callback (widget_class, rate_text);
  gtk_widget_class_bind_template_callback (widget_class, run_now_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_runs_cb);
  gtk_widget_class_bind_template_callback (widget_class, workflow_activated_cb);
}

void
rl_activity_workflows_init (RlActivityPage *self)
{
  rl_column_view_attach_sort (self->workflows_view, self->workflows);
  g_signal_connect_swapped (self->workflows, "items-changed", G_CALLBACK (workflows_changed_cb),
                            self);
  g_signal_connect_swapped (self->workflows, "notify::loading", G_CALLBACK (workflows_loading_cb),
                            self);
  g_signal_connect_swapped (self->workflows, "notify::store", G_CALLBACK (store_changed_cb), self);
  store_changed_cb (self);
  g_signal_connect_swapped (self->workflows, "notify::failed", G_CALLBACK (workflows_loading_cb),
                            self);
  g_signal_connect_swapped (self->workflows_selection, "selection-changed",
                            G_CALLBACK (update_actions), self);
  g_signal_connect_swapped (self->workflows_selection, "items-changed", G_CALLBACK (update_actions),
                            self);
  rl_activity_workflows_update_state (self);
}
