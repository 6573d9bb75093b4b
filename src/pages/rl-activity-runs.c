/* rl-activity-runs.c — the Activity page's runs: filters, states, retry and cancel.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The runs of every workflow in one GtkColumnView over an RlRecordList of
 * kind runs (filters and order in SQL). A refresh writes only the runs that
 * changed, and the list announces exact positions, so the view keeps its
 * scroll position and selection; the model is never rebuilt here.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-activity-page-private.h"
#include "rl-column-sort.h"
#include "rl-run-actions.h"
#include "rl-run-detail.h"
#include "rl-ui-errors.h"

/* The status drop-down's rows after "All statuses", as wire values. */
static const char *const status_rows[] = { NULL, "failed", "running", "queued", "succeeded",
                                           "cancelled" };

/* The time drop-down's rows: how far back, in ms (0: any time). */
static const gint64 time_rows[] = { 0, 3600 * 1000, 24 * 3600 * 1000, 7 * 24 * 3600 * 1000 };

#define FAILED_ROW 1
#define DAY_ROW 2

/* ---- Cells ----------------------------------------------------------------------------------- */

static char *
trigger_text (gpointer     this_,
              RlRunTrigger trigger)
{
  switch (trigger)
    {
    case RL_RUN_TRIGGER_SCHEDULE:
      return g_strdup (C_ ("trigger", "Schedule"));
    case RL_RUN_TRIGGER_EVENT:
      return g_strdup (C_ ("trigger", "Event"));
    case RL_RUN_TRIGGER_MANUAL:
      return g_strdup (C_ ("trigger", "Manual"));
    case RL_RUN_TRIGGER_UNKNOWN:
    default:
      return g_strdup ("—");
    }
}

static char *
attempt_text (gpointer this_,
              gint64   attempt)
{
  return attempt > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, attempt) : g_strdup ("—");
}

/* ---- State ----------------------------------------------------------------------------------- */

static GPtrArray *
selected_runs (RlActivityPage *self)
{
  g_autoptr (GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->runs_selection));
  GPtrArray    *items = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint         position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      RlListItem *item = g_list_model_get_item (G_LIST_MODEL (self->runs), position);

      if (item != NULL)
        g_ptr_array_add (items, item);
    }
  return items;
}

static void
update_actions (RlActivityPage *self)
{
  g_autoptr (GPtrArray) items = selected_runs (self);
  RlSession       *session = rl_page_get_session (RL_PAGE (self));
  const char      *refusal = rl_run_cancel_refusal (session);
  guint            n = g_list_model_get_n_items (G_LIST_MODEL (self->runs));
  guint            failed = 0;
  gboolean         cancellable = FALSE;
  g_autofree char *count = NULL;

  for (guint i = 0; i < items->len; i++)
    failed += rl_list_item_get_enum (g_ptr_array_index (items, i), "status") == RL_RUN_STATUS_FAILED;
  if (items->len == 1)
    {
      int status = rl_list_item_get_enum (g_ptr_array_index (items, 0), "status");

      cancellable = status == RL_RUN_STATUS_QUEUED || status == RL_RUN_STATUS_RUNNING;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->retry_button), failed > 0 && session != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), cancellable && refusal == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cancel_button),
                               cancellable && refusal != NULL
                                   ? refusal
                                   : _ ("Stop the selected queued or running run"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->details_button), items->len == 1);

  if (items->len > 0)
    /* Translators: 1: how many runs are selected, 2: how many the list shows. */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%1$u of %2$u run selected",
                                          "%1$u of %2$u runs selected", n),
                             items->len, n);
  else
    /* Translators: the number of runs the list shows. */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u run", "%u runs", n), n);
  gtk_label_set_text (self->runs_count_label, count);
}

static gboolean
filtered (RlActivityPage *self)
{
  const char *text = rl_record_list_get_text (self->runs);

  return gtk_drop_down_get_selected (self->status_dropdown) != 0
         || gtk_drop_down_get_selected (self->workflow_dropdown) != 0
         || gtk_drop_down_get_selected (self->time_dropdown) != 0
         || (text != NULL && *text != '\0');
}

void
rl_activity_runs_update_state (RlActivityPage *self)
{
  guint         n = g_list_model_get_n_items (G_LIST_MODEL (self->runs));
  const GError *error = rl_record_list_get_error (self->runs);
  RlSession    *session = rl_page_get_session (RL_PAGE (self));
  gboolean      offline = session != NULL && rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE;

  if (self->scroll_to_top && !rl_record_list_get_loading (self->runs))
    {
      self->scroll_to_top = FALSE;
      if (n > 0)
        rl_column_view_scroll_to_top (self->runs_view);
    }
  if (n > 0)
    gtk_stack_set_visible_child_name (self->runs_stack, "list");
  else if (error != NULL)
    {
      g_autofree char *message = rl_ui_error_message (error);

      adw_status_page_set_description (self->runs_error_page, message);
      gtk_stack_set_visible_child_name (self->runs_stack, "error");
    }
  else if (rl_record_list_get_loading (self->runs))
    gtk_stack_set_visible_child_name (self->runs_stack, "loading");
  else
    {
      if (filtered (self))
        {
          adw_status_page_set_icon_name (self->runs_empty_page, "edit-find-symbolic");
          adw_status_page_set_title (self->runs_empty_page, _ ("No Matching Runs"));
          adw_status_page_set_description (self->runs_empty_page,
                                           _ ("Try another search or other filters."));
        }
      else if (offline)
        {
          adw_status_page_set_icon_name (self->runs_empty_page, "network-offline-symbolic");
          adw_status_page_set_title (self->runs_empty_page, _ ("No Runs in the Cache"));
          adw_status_page_set_description (
              self->runs_empty_page,
              _ ("The console is offline. Runs are fetched when it reconnects."));
        }
      else
        {
          adw_status_page_set_icon_name (self->runs_empty_page, "media-playlist-repeat-symbolic");
          adw_status_page_set_title (self->runs_empty_page, _ ("No Runs Yet"));
          adw_status_page_set_description (
              self->runs_empty_page, _ ("Runs show here as the workflows start, by schedule, "
                                        "event or by hand."));
        }
      gtk_stack_set_visible_child_name (self->runs_stack, "empty");
    }
  update_actions (self);
}

static void
runs_filters_cb (RlActivityPage *self)
{
  guint       status = gtk_drop_down_get_selected (self->status_dropdown);
  guint       workflow = gtk_drop_down_get_selected (self->workflow_dropdown);
  guint       time = gtk_drop_down_get_selected (self->time_dropdown);
  const char *one[2] = { NULL, NULL };

  /* The workflow drop-down's rows being replaced: not a new filter. */
  if (self->syncing_filters)
    return;
  self->scroll_to_top = TRUE;
  rl_record_list_set_text (self->runs, gtk_editable_get_text (GTK_EDITABLE (self->runs_search)));
  one[0] = status < G_N_ELEMENTS (status_rows) ? status_rows[status] : NULL;
  rl_record_list_set_values (self->runs, "status", one[0] != NULL ? one : NULL);
  one[0] = self->workflow_ids != NULL && workflow < self->workflow_ids->len
               ? g_ptr_array_index (self->workflow_ids, workflow)
               : NULL;
  rl_record_list_set_values (self->runs, "workflow-id", one[0] != NULL ? one : NULL);
  if (time > 0 && time < G_N_ELEMENTS (time_rows))
    rl_record_list_set_range (self->runs, "started", g_get_real_time () / 1000 - time_rows[time],
                              G_MAXINT64);
  else
    rl_record_list_set_range (self->runs, "started", G_MININT64, G_MAXINT64);

  /* The saved filter "Failed Today" is on exactly when these are its filters. */
  self->syncing_filters = TRUE;
  gtk_toggle_button_set_active (self->failed_today_button,
                                status == FAILED_ROW && time == DAY_ROW && workflow == 0);
  self->syncing_filters = FALSE;
  rl_activity_runs_update_state (self);
}

static void
failed_today_cb (RlActivityPage *self)
{
  if (self->syncing_filters)
    return;
  if (gtk_toggle_button_get_active (self->failed_today_button))
    {
      gtk_drop_down_set_selected (self->workflow_dropdown, 0);
      gtk_drop_down_set_selected (self->status_dropdown, FAILED_ROW);
      gtk_drop_down_set_selected (self->time_dropdown, DAY_ROW);
    }
  else
    {
      gtk_drop_down_set_selected (self->status_dropdown, 0);
      gtk_drop_down_set_selected (self->time_dropdown, 0);
    }
}

static gboolean
unchanged (GtkStringList     *list,
           const char *const *names)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  if (n != g_strv_length ((char **) names))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (list, i), names[i]) != 0)
      return FALSE;
  return TRUE;
}

/* The workflow drop-down follows the cached workflows (by name, "All
 * workflows" first), keeping the chosen one. */
void
rl_activity_runs_workflows_changed (RlActivityPage *self)
{
  GListModel      *workflows = G_LIST_MODEL (self->workflows);
  guint            n = g_list_model_get_n_items (workflows);
  guint            chosen = gtk_drop_down_get_selected (self->workflow_dropdown);
  g_autofree char *chosen_id = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  guint keep = 0;

  if (self->workflow_ids != NULL && chosen < self->workflow_ids->len)
    chosen_id = g_strdup (g_ptr_array_index (self->workflow_ids, chosen));
  g_clear_pointer (&self->workflow_ids, g_ptr_array_unref);
  self->workflow_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->workflow_ids, NULL);
  g_ptr_array_add (names, (char *) _ ("All workflows"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlListItem) item = g_list_model_get_item (workflows, i);
      const char *id = rl_list_item_get_id (item);

      if (g_strcmp0 (id, chosen_id) == 0)
        keep = self->workflow_ids->len;
      g_ptr_array_add (self->workflow_ids, g_strdup (id));
      g_ptr_array_add (names, (char *) rl_list_item_get_string (item, "name"));
    }
  g_ptr_array_add (names, NULL);

  /* A workflow changed (its last run) but none came, went or was renamed:
   * the rows stay as they are. */
  if (unchanged (self->workflow_names, (const char *const *) names->pdata))
    return;
  self->syncing_filters = TRUE;
  gtk_string_list_splice (self->workflow_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->workflow_names)),
                          (const char *const *) names->pdata);
  gtk_drop_down_set_selected (self->workflow_dropdown, keep);
  self->syncing_filters = FALSE;
  if (chosen_id != NULL && keep == 0)
    runs_filters_cb (self); /* the chosen workflow is gone */
}

void
rl_activity_runs_show_workflow (RlActivityPage *self,
                                const char     *workflow_id)
{
  for (guint i = 1; self->workflow_ids != NULL && i < self->workflow_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->workflow_ids, i), workflow_id) == 0)
      {
        gtk_drop_down_set_selected (self->workflow_dropdown, i);
        break;
      }
  adw_view_stack_set_visible_child_name (self->view_stack, "runs");
}

/* ---- Actions --------------------------------------------------------------------------------- */

static void
toast_cb (gpointer    data,
          const char *message)
{
  rl_page_toast (RL_PAGE (data), message);
}

static void
retry_cb (RlActivityPage *self)
{
  g_autoptr (GPtrArray) items = selected_runs (self);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  RlSession *session = rl_page_get_session (RL_PAGE (self));

  if (session == NULL)
    return;
  for (guint i = 0; i < items->len; i++)
    if (rl_list_item_get_enum (g_ptr_array_index (items, i), "status") == RL_RUN_STATUS_FAILED)
      g_ptr_array_add (ids, g_strdup (rl_list_item_get_id (g_ptr_array_index (items, i))));
  rl_run_action_confirm (GTK_WIDGET (self), session, RL_RUN_ACTION_RETRY, ids, NULL, toast_cb,
                         self);
}

static void
cancel_cb (RlActivityPage *self)
{
  g_autoptr (GPtrArray) items = selected_runs (self);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  RlSession *session = rl_page_get_session (RL_PAGE (self));

  if (session == NULL || items->len != 1)
    return;
  g_ptr_array_add (ids, g_strdup (rl_list_item_get_id (g_ptr_array_index (items, 0))));
  rl_run_action_confirm (GTK_WIDGET (self), session, RL_RUN_ACTION_CANCEL, ids,
                         rl_list_item_get_string (g_ptr_array_index (items, 0), "workflow-name"),
                         toast_cb, self);
}

static void
open_run (RlActivityPage *self,
          RlListItem     *item)
{
  RlSession *session = rl_page_get_session (RL_PAGE (self));

  if (session != NULL && item != NULL)
    rl_activity_page_open_run (self, rl_list_item_get_id (item));
}

static void
details_cb (RlActivityPage *self)
{
  g_autoptr (GPtrArray) items = selected_runs (self);

  if (items->len == 1)
    open_run (self, g_ptr_array_index (items, 0));
}

static void
run_activated_cb (RlActivityPage *self,
                  guint           position)
{
  g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (self->runs), position);

  open_run (self, item);
}

GtkWindow *
rl_activity_page_open_run (RlActivityPage *self,
                           const char     *run_id)
{
  RlSession *session;
  GtkRoot   *root;
  GtkWindow *detail;

  g_return_val_if_fail (RL_IS_ACTIVITY_PAGE (self), NULL);
  session = rl_page_get_session (RL_PAGE (self));
  g_return_val_if_fail (session != NULL, NULL);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  detail = GTK_WINDOW (rl_run_detail_new (session, run_id));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (detail, GTK_WINDOW (root));
  gtk_window_present (detail);
  return detail;
}

RlRecordList *
rl_activity_page_get_runs (RlActivityPage *self)
{
  g_return_val_if_fail (RL_IS_ACTIVITY_PAGE (self), NULL);
  return self->runs;
}

/* ---- Set-up ---------------------------------------------------------------------------------- */

void
rl_activity_runs_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, runs);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, runs_selection);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, runs_view);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, runs_search);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, workflow_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, time_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, failed_today_button);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, runs_stack);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, runs_empty_page);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, runs_error_page);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, runs_count_label);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, details_button);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, trigger_text);
  gtk_widget_class_bind_template_callback (widget_class, attempt_text);
  gtk_widget_class_bind_template_callback (widget_class, runs_filters_cb);
  gtk_widget_class_bind_template_callback (widget_class, failed_today_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_cb);
  gtk_widget_class_bind_template_callback (widget_class, details_cb);
  gtk_widget_class_bind_template_callback (widget_class, run_activated_cb);
}

static void
runs_changed_cb (RlActivityPage *self)
{
  rl_activity_runs_update_state (self);
}

void
rl_activity_runs_init (RlActivityPage *self)
{
  self->workflow_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->workflow_dropdown, G_LIST_MODEL (self->workflow_names));
  g_object_unref (self->workflow_names); /* the drop-down holds it */
  rl_activity_runs_workflows_changed (self);

  rl_column_view_attach_sort (self->runs_view, self->runs);
  g_signal_connect_swapped (self->runs, "notify::loading", G_CALLBACK (runs_changed_cb), self);
  g_signal_connect_swapped (self->runs, "notify::failed", G_CALLBACK (runs_changed_cb), self);
  g_signal_connect_swapped (self->runs, "items-changed", G_CALLBACK (runs_changed_cb), self);
  g_signal_connect_swapped (self->runs_selection, "selection-changed", G_CALLBACK (update_actions),
                            self);
  g_signal_connect_swapped (self->runs_selection, "items-changed", G_CALLBACK (update_actions), self);
  runs_filters_cb (self);
}
