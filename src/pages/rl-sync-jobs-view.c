/* rl-sync-jobs-view.c — the Activity page's sync jobs: the jobs, their
 * actions, and the selected job's sync log.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both lists are RlRecordLists over the session's cache (ui/rl-sync-jobs-view.ui):
 * the jobs come through /changes, the log of the selected job is fetched
 * and watched (rl_session_watch_activity) while the view shows it.
 * Run Now, Pause and Resume go through the outbox (rl_session_sync_job_action):
 * the row shows the new state at once and "Waiting to sync" until the server
 * has it; offline they queue (docs/activity.md "Offline"). Edit… and the
 * payload viewer are in rl-sync-jobs-view-dialogs.c, the cells in
 * rl-sync-jobs-view-cells.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-a11y.h"
#include "rl-activity.h"
#include "rl-column-sort.h"
#include "rl-core-enums.h"
#include "rl-edits.h"
#include "rl-list-pause.h"
#include "rl-spinners.h"
#include "rl-sync-jobs-view-private.h"
#include "rl-ui-errors.h"
#include "rl-ui-format.h"

G_DEFINE_FINAL_TYPE (RlSyncJobsView, rl_sync_jobs_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Helpers --------------------------------------------------------------------------------- */

static RlListItem *
selected_job (RlSyncJobsView *self)
{
  return gtk_single_selection_get_selected_item (self->job_selection);
}

static gboolean
is_offline (RlSyncJobsView *self)
{
  return self->session != NULL && rl_session_get_state (self->session) == RL_SESSION_STATE_OFFLINE;
}

void
rl_sync_jobs_view_toast (RlSyncJobsView *self,
                         const char     *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

/* The log of @job_id is the one shown and watched (NULL: none). */
static void
watch_job (RlSyncJobsView *self,
           const char     *job_id)
{
  gboolean showing = job_id != NULL && self->session != NULL && gtk_widget_get_mapped (GTK_WIDGET (self));

  /* Disposed (its template's objects are gone). */
  if (self->log == NULL)
    return;

  if (self->watch_id != 0 && self->session != NULL && (!showing || g_strcmp0 (job_id, self->job_id) != 0))
    {
      rl_session_unwatch_activity (self->session, self->watch_id);
      self->watch_id = 0;
    }
  if (g_strcmp0 (job_id, self->job_id) != 0)
    {
      /* No job: no rows (an empty filter would be every job's). */
      const char *one[2] = { job_id != NULL ? job_id : "", NULL };

      g_free (self->job_id);
      self->job_id = g_strdup (job_id);
      self->log_scroll_to_top = TRUE;
      rl_record_list_set_values (self->log, "job-id", one);
    }
  if (showing && self->watch_id == 0 && rl_session_get_store (self->session) != NULL)
    self->watch_id = rl_session_watch_activity (self->session, RL_ACTIVITY_SYNC_LOG, job_id);
}

static void
update_log_state (RlSyncJobsView *self)
{
  guint         n = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  const GError *error = rl_record_list_get_error (self->log);
  const char   *text = rl_record_list_get_text (self->log);
  gboolean      filtered = gtk_drop_down_get_selected (self->status_dropdown) != 0
                      || gtk_drop_down_get_selected (self->operation_dropdown) != 0
                      || (text != NULL && *text != '\0');

  /* A new job or filter: its rows from the newest. */
  if (self->log_scroll_to_top && !rl_record_list_get_loading (self->log))
    {
      self->log_scroll_to_top = FALSE;
      if (n > 0)
        rl_column_view_scroll_to_top (self->log_view);
    }
  if (n > 0)
    gtk_stack_set_visible_child_name (self->log_stack, "list");
  else if (self->job_id == NULL)
    {
      adw_status_page_set_title (self->log_empty_page, _ ("No Job Selected"));
      adw_status_page_set_description (self->log_empty_page, _ ("Select a job to read its sync log."));
      gtk_stack_set_visible_child_name (self->log_stack, "empty");
    }
  else if (error != NULL)
    {
      g_autofree char *message = rl_ui_error_message (error);

      adw_status_page_set_title (self->log_empty_page, _ ("The Sync Log Cannot Be Read"));
      adw_status_page_set_description (self->log_empty_page, message);
      gtk_stack_set_visible_child_name (self->log_stack, "empty");
    }
  else if (rl_record_list_get_loading (self->log)
           || (self->session != NULL && rl_session_get_activity_refreshing (self->session)))
    gtk_stack_set_visible_child_name (self->log_stack, "loading");
  else
    {
      if (filtered)
        {
          adw_status_page_set_title (self->log_empty_page, _ ("No Matching Log Rows"));
          adw_status_page_set_description (self->log_empty_page, _ ("Try another search or other filters."));
        }
      else if (is_offline (self))
        {
          adw_status_page_set_title (self->log_empty_page, _ ("No Cached Sync Log"));
          adw_status_page_set_description (
              self->log_empty_page,
              _ ("This job's log was never fetched on this computer. It is read when the console is online."));
        }
      else
        {
          adw_status_page_set_title (self->log_empty_page, _ ("No Sync Log Yet"));
          adw_status_page_set_description (self->log_empty_page,
                                           _ ("Each record this job moves adds a row here."));
        }
      gtk_stack_set_visible_child_name (self->log_stack, "empty");
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->payload_button),
                            gtk_single_selection_get_selected_item (self->log_selection) != NULL);
}

static void
update_actions (RlSyncJobsView *self)
{
  RlListItem *job = selected_job (self);
  int         status = job != NULL ? rl_list_item_get_enum (job, "status") : RL_SYNC_JOB_STATUS_UNKNOWN;
  gboolean    signed_in = self->session != NULL && rl_session_get_store (self->session) != NULL;
  gboolean    manual = job != NULL
                    && rl_list_item_get_enum (job, "conflict-strategy") == RL_CONFLICT_STRATEGY_MANUAL;
  const char *offline_tip = _ ("Offline: queued, sent when the console reconnects");

  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), signed_in && job != NULL
                                                               && status != RL_SYNC_JOB_STATUS_RUNNING
                                                               && status != RL_SYNC_JOB_STATUS_PAUSED);
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), status != RL_SYNC_JOB_STATUS_PAUSED);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), status == RL_SYNC_JOB_STATUS_PAUSED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pause_button), signed_in && job != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->resume_button), signed_in && job != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->edit_button), signed_in && job != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_button), manual);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_button),
                               is_offline (self)                      ? offline_tip
                               : status == RL_SYNC_JOB_STATUS_PAUSED  ? _ ("A paused job does not run: resume it first")
                               : status == RL_SYNC_JOB_STATUS_RUNNING ? _ ("The job is running")
                                                                      : _ ("Run the job once now"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->pause_button),
                               is_offline (self) ? offline_tip : _ ("Stop the job until it is resumed"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->resume_button),
                               is_offline (self) ? offline_tip : _ ("Let the job run again"));

  if (job != NULL)
    {
      g_autofree char *log_name = NULL;

      gtk_label_set_text (self->job_label, rl_list_item_get_string (job, "name"));
      /* Translators: the accessible name of a sync job's log; %s is the job's name. */
      log_name = g_strdup_printf (_ ("Sync log of %s"), rl_list_item_get_string (job, "name"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->log_view), GTK_ACCESSIBLE_PROPERTY_LABEL, log_name, -1);
    }
  else
    gtk_label_set_text (self->job_label, "");
  watch_job (self, job != NULL ? rl_list_item_get_id (job) : NULL);
  update_log_state (self);
}

static void
update_state (RlSyncJobsView *self)
{
  guint         n;
  const GError *error;

  if (self->jobs == NULL)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  error = rl_record_list_get_error (self->jobs);

  if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "jobs");
  else if (error != NULL)
    {
      g_autofree char *message = rl_ui_error_message (error);

      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else if (rl_record_list_get_loading (self->jobs)
           || (self->session != NULL && rl_session_get_state (self->session) == RL_SESSION_STATE_SYNCING))
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");

  if (is_offline (self))
    {
      g_autofree char *since = rl_ui_format_time_ms (rl_session_get_offline_since (self->session));
      /* Translators: %s is when the console went offline ("10:42"). */
      g_autofree char *text = g_strdup_printf (
          _ ("Offline since %s: the jobs and logs are as last cached. Run Now, Pause, Resume and edits are "
             "queued and sent when the console reconnects."),
          since);

      gtk_label_set_text (self->offline_label, text);
    }
  gtk_revealer_set_reveal_child (self->offline_revealer, is_offline (self));
  update_actions (self);
}

static void
session_state_cb (RlSyncJobsView *self)
{
  update_state (self);
}

/* ---- Callbacks ------------------------------------------------------------------------------- */

static void
jobs_changed_cb (RlSyncJobsView *self,
                 guint           position,
                 guint           removed,
                 guint           added)
{
  /* Lag values of the jobs off screen too (a handful of rows). */
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      if (item != NULL)
        rl_sync_jobs_view_record_lag (self, item);
    }
  update_state (self);
}

static void
job_action (RlSyncJobsView *self,
            RlSyncJobAction action)
{
  RlListItem *job = selected_job (self);
  g_autoptr (GError) error = NULL;
  const char *name;

  if (job == NULL || self->session == NULL)
    return;
  name = rl_list_item_get_string (job, "name");
  if (rl_session_sync_job_action (self->session, rl_list_item_get_id (job), action, &error) < 0)
    {
      g_autofree char *reason = rl_ui_error_message (error);
      /* Translators: 1: a sync job's name, 2: why an action on it was refused. */
      g_autofree char *message = g_strdup_printf (_ ("%1$s: %2$s"), name, reason);

      rl_sync_jobs_view_toast (self, message);
      return;
    }
  if (is_offline (self))
    {
      g_autofree char *message = NULL;

      if (action == RL_SYNC_JOB_ACTION_RUN)
        /* Translators: %s is a sync job's name. */
        message = g_strdup_printf (_ ("Run of “%s” queued — waiting to sync"), name);
      else if (action == RL_SYNC_JOB_ACTION_PAUSE)
        message = g_strdup_printf (_ ("“%s” paused — waiting to sync"), name);
      else
        message = g_strdup_printf (_ ("“%s” resumed — waiting to sync"), name);
      rl_sync_jobs_view_toast (self, message);
    }
  /* Pause and Resume swap places: keep the keyboard on the job's buttons. */
  if (action == RL_SYNC_JOB_ACTION_PAUSE && gtk_widget_has_focus (GTK_WIDGET (self->pause_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->resume_button));
  else if (action == RL_SYNC_JOB_ACTION_RESUME && gtk_widget_has_focus (GTK_WIDGET (self->resume_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->pause_button));
}

static void
run_clicked_cb (RlSyncJobsView *self)
{
  job_action (self, RL_SYNC_JOB_ACTION_RUN);
}

static void
pause_clicked_cb (RlSyncJobsView *self)
{
  job_action (self, RL_SYNC_JOB_ACTION_PAUSE);
}

static void
resume_clicked_cb (RlSyncJobsView *self)
{
  job_action (self, RL_SYNC_JOB_ACTION_RESUME);
}

static void
edit_clicked_cb (RlSyncJobsView *self)
{
  RlListItem *job = selected_job (self);

  if (job != NULL)
    rl_sync_jobs_view_edit (self, job);
}

/* The Conflicts page cannot filter by job (yet): the page itself. */
static void
conflicts_clicked_cb (RlSyncJobsView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "conflicts");
}

static void
log_filters_changed_cb (RlSyncJobsView *self)
{
  static const char *const statuses[] = { NULL, "success", "failure" };
  static const char *const operations[] = { NULL, "create", "update", "delete" };
  guint                    status = gtk_drop_down_get_selected (self->status_dropdown);
  guint                    operation = gtk_drop_down_get_selected (self->operation_dropdown);
  const char              *one[2] = { NULL, NULL };

  self->log_scroll_to_top = TRUE;
  one[0] = status < G_N_ELEMENTS (statuses) ? statuses[status] : NULL;
  rl_record_list_set_values (self->log, "status", one[0] != NULL ? one : NULL);
  one[0] = operation < G_N_ELEMENTS (operations) ? operations[operation] : NULL;
  rl_record_list_set_values (self->log, "operation", one[0] != NULL ? one : NULL);
  rl_record_list_set_text (self->log, gtk_editable_get_text (GTK_EDITABLE (self->record_entry)));
}

static void
log_activated_cb (RlSyncJobsView *self,
                  guint           position)
{
  g_autoptr (RlListItem) row = g_list_model_get_item (G_LIST_MODEL (self->log), position);

  if (row != NULL)
    rl_sync_jobs_view_show_payloads (self, row);
}

static void
payload_clicked_cb (RlSyncJobsView *self)
{
  RlListItem *row = gtk_single_selection_get_selected_item (self->log_selection);

  if (row != NULL)
    rl_sync_jobs_view_show_payloads (self, row);
}

/* ---- GObject --------------------------------------------------------------------------------- */

static void
rl_sync_jobs_view_map (GtkWidget *widget)
{
  RlSyncJobsView *self = RL_SYNC_JOBS_VIEW (widget);

  GTK_WIDGET_CLASS (rl_sync_jobs_view_parent_class)->map (widget);
  watch_job (self, self->job_id);
}

static void
rl_sync_jobs_view_unmap (GtkWidget *widget)
{
  RlSyncJobsView *self = RL_SYNC_JOBS_VIEW (widget);

  if (self->watch_id != 0 && self->session != NULL)
    rl_session_unwatch_activity (self->session, self->watch_id);
  self->watch_id = 0;
  GTK_WIDGET_CLASS (rl_sync_jobs_view_parent_class)->unmap (widget);
}

static void
rl_sync_jobs_view_dispose (GObject *object)
{
  RlSyncJobsView *self = RL_SYNC_JOBS_VIEW (object);

  rl_sync_jobs_view_stop_edit (self);
  if (self->watch_id != 0 && self->session != NULL)
    rl_session_unwatch_activity (self->session, self->watch_id);
  self->watch_id = 0;
  g_clear_signal_handler (&self->state_id, self->session);
  if (self->jobs != NULL)
    g_signal_handlers_disconnect_by_data (self->jobs, self);
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_SYNC_JOBS_VIEW);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (rl_sync_jobs_view_parent_class)->dispose (object);
}

static void
rl_sync_jobs_view_finalize (GObject *object)
{
  RlSyncJobsView *self = RL_SYNC_JOBS_VIEW (object);

  g_clear_pointer (&self->lag_history, g_hash_table_unref);
  g_free (self->job_id);
  G_OBJECT_CLASS (rl_sync_jobs_view_parent_class)->finalize (object);
}

static void
rl_sync_jobs_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RlSyncJobsView *self = RL_SYNC_JOBS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_sync_jobs_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RlSyncJobsView *self = RL_SYNC_JOBS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      rl_sync_jobs_view_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
focus_search_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (RL_SYNC_JOBS_VIEW (widget)->record_entry));
}

static void
rl_sync_jobs_view_class_init (RlSyncJobsViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_sync_jobs_view_dispose;
  object_class->finalize = rl_sync_jobs_view_finalize;
  object_class->get_property = rl_sync_jobs_view_get_property;
  object_class->set_property = rl_sync_jobs_view_set_property;
  widget_class->map = rl_sync_jobs_view_map;
  widget_class->unmap = rl_sync_jobs_view_unmap;

  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL, RL_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RL_TYPE_RECORD_LIST);
  g_type_ensure (RL_TYPE_SYNC_JOB_ITEM);
  g_type_ensure (RL_TYPE_SYNC_LOG_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/reloop/Console/ui/rl-sync-jobs-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, jobs);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, job_selection);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, log);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, log_selection);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, toasts);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, stack);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, error_page);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, offline_label);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, jobs_view);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, job_label);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, run_button);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, pause_button);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, resume_button);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, edit_button);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, conflicts_button);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, log_title);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, record_entry);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, operation_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, payload_button);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, log_stack);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, log_empty_page);
  gtk_widget_class_bind_template_child (widget_class, RlSyncJobsView, log_view);
  gtk_widget_class_bind_template_callback (widget_class, run_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pause_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, resume_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, edit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, conflicts_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, log_filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, log_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, payload_clicked_cb);

  gtk_widget_class_install_action (widget_class, "sync-jobs.search", NULL, focus_search_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "sync-jobs.search", NULL);
}

static void
rl_sync_jobs_view_init (RlSyncJobsView *self)
{
  self->lag_history = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);

  gtk_widget_init_template (GTK_WIDGET (self));
  rl_spinners_spin_while_mapped (GTK_WIDGET (self));
  rl_list_pause_while_unmapped (self->jobs, GTK_WIDGET (self));
  rl_list_pause_while_unmapped (self->log, GTK_WIDGET (self));
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));
  rl_sync_jobs_view_add_job_columns (self);
  rl_sync_jobs_view_add_log_columns (self);

  g_signal_connect_swapped (self->jobs, "items-changed", G_CALLBACK (jobs_changed_cb), self);
  g_signal_connect_swapped (self->jobs, "notify::loading", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->jobs, "notify::failed", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->job_selection, "notify::selected-item", G_CALLBACK (update_actions), self);
  /* A job's row changed in place (its status): its buttons follow. */
  g_signal_connect_swapped (self->job_selection, "items-changed", G_CALLBACK (update_actions), self);
  g_signal_connect_swapped (self->log, "items-changed", G_CALLBACK (update_log_state), self);
  g_signal_connect_swapped (self->log, "notify::loading", G_CALLBACK (update_log_state), self);
  g_signal_connect_swapped (self->log, "notify::failed", G_CALLBACK (update_log_state), self);
  g_signal_connect_swapped (self->log_selection, "notify::selected-item", G_CALLBACK (update_log_state), self);
  {
    const char *none[2] = { "", NULL };

    rl_record_list_set_values (self->log, "job-id", none);
  }
  log_filters_changed_cb (self);
  update_state (self);
}

RlSession *
rl_sync_jobs_view_get_session (RlSyncJobsView *self)
{
  g_return_val_if_fail (RL_IS_SYNC_JOBS_VIEW (self), NULL);
  return self->session;
}

void
rl_sync_jobs_view_set_session (RlSyncJobsView *self,
                               RlSession      *session)
{
  g_return_if_fail (RL_IS_SYNC_JOBS_VIEW (self));

  if (self->session == session)
    return;
  watch_job (self, NULL);
  rl_sync_jobs_view_stop_edit (self);
  g_clear_signal_handler (&self->state_id, self->session);
  g_set_object (&self->session, session);
  if (session != NULL)
    self->state_id = g_signal_connect_swapped (session, "notify", G_CALLBACK (session_state_cb), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  update_state (self);
}
