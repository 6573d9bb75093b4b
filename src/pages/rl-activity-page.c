/* rl-activity-page.c — the Activity page: workflows, runs and sync jobs.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AdwViewStack with an AdwViewSwitcher (Alt+W, Alt+U, Alt+S) over three
 * views: the workflows (rl-activity-workflows.c), their runs
 * (rl-activity-runs.c; a run's steps and log in RlRunDetail) and the sync
 * jobs (RlSyncJobsView). The lists are RlRecordLists over the cache bound in
 * ui/rl-activity-page.ui. While the page is mapped it watches the runs of
 * every cached workflow (rl_session_watch_activity: fetched at once, then
 * every 10 s); it unwatches them when hidden. Offline it reads the cache and
 * says so. See docs/activity.md.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rl-a11y.h"
#include "rl-activity-page-private.h"
#include "rl-activity.h"
#include "rl-column-sort.h"
#include "rl-list-pause.h"
#include "rl-spinners.h"
#include "rl-store-activity.h"
#include "rl-sync-jobs-view.h"
#include "rl-ui-format.h"

G_DEFINE_FINAL_TYPE (RlActivityPage, rl_activity_page, RL_TYPE_PAGE)

/* ---- Shared closures ------------------------------------------------------------------------- */

char *
rl_activity_run_status_icon (gpointer    this_,
                             RlRunStatus status)
{
  switch (status)
    {
    case RL_RUN_STATUS_QUEUED:
      return g_strdup ("document-open-recent-symbolic");
    case RL_RUN_STATUS_RUNNING:
      return g_strdup ("media-playback-start-symbolic");
    case RL_RUN_STATUS_SUCCEEDED:
      return g_strdup ("emblem-ok-symbolic");
    case RL_RUN_STATUS_FAILED:
      return g_strdup ("dialog-error-symbolic");
    case RL_RUN_STATUS_CANCELLED:
      return g_strdup ("process-stop-symbolic");
    case RL_RUN_STATUS_UNKNOWN:
    default:
      return g_strdup ("content-loading-symbolic");
    }
}

char *
rl_activity_run_status_text (gpointer    this_,
                             RlRunStatus status)
{
  switch (status)
    {
    case RL_RUN_STATUS_QUEUED:
      return g_strdup (C_ ("run", "Queued"));
    case RL_RUN_STATUS_RUNNING:
      return g_strdup (C_ ("run", "Running"));
    case RL_RUN_STATUS_SUCCEEDED:
      return g_strdup (C_ ("run", "Succeeded"));
    case RL_RUN_STATUS_FAILED:
      return g_strdup (C_ ("run", "Failed"));
    case RL_RUN_STATUS_CANCELLED:
      return g_strdup (C_ ("run", "Cancelled"));
    case RL_RUN_STATUS_UNKNOWN:
    default:
      return g_strdup (C_ ("run", "Never run"));
    }
}

/* "850 ms", "42 s", "3 min 5 s", "1 h 4 min"; "—" when unknown. */
char *
rl_activity_duration_text (gpointer this_,
                           gint64   ms)
{
  gint64 s = ms / 1000;

  if (ms <= 0)
    return g_strdup ("—");
  if (ms < 1000)
    /* Translators: a duration in milliseconds. */
    return g_strdup_printf (_ ("%d ms"), (int) ms);
  if (s < 60)
    /* Translators: a duration in seconds. */
    return g_strdup_printf (_ ("%d s"), (int) s);
  if (s < 3600)
    /* Translators: a duration: 1 minutes, 2 seconds. */
    return g_strdup_printf (_ ("%1$d min %2$d s"), (int) (s / 60), (int) (s % 60));
  /* Translators: a duration: 1 hours, 2 minutes. */
  return g_strdup_printf (_ ("%1$d h %2$d min"), (int) MIN (s / 3600, G_MAXINT),
                          (int) (s % 3600 / 60));
}

/* @time without the padding of a one-digit day ("%e": a figure space, " 6 Dec 20:05"). */
char *
rl_activity_unpad (char *time)
{
  char *pad;

  while (g_str_has_prefix (time, "\u2007") || g_str_has_prefix (time, " "))
    memmove (time, g_utf8_next_char (time), strlen (g_utf8_next_char (time)) + 1);
  /* Inside, as a translated format may put it: "Dec \u20076, 19:52". */
  while ((pad = strstr (time, " \u2007")) != NULL)
    memmove (pad + 1, pad + 4, strlen (pad + 4) + 1);
  return time;
}

char *
rl_activity_time_text (gpointer this_,
                       gint64   ms)
{
  return ms > 0 ? rl_activity_unpad (rl_ui_format_time_ms (ms)) : g_strdup ("—");
}

/* ---- Watches --------------------------------------------------------------------------------- */

/* The watches belong to the session that gave them (the page's session may
 * have changed since). */
static void
unwatch_all (RlActivityPage *self)
{
  for (guint i = 0; self->watch_session != NULL && i < self->watches->len; i++)
    rl_session_unwatch_activity (self->watch_session, g_array_index (self->watches, guint, i));
  g_array_set_size (self->watches, 0);
  g_clear_object (&self->watch_session);
}

/* The runs of every cached workflow: the runs view shows them all, the
 * workflows view their last runs and success rates. */
void
rl_activity_page_rewatch (RlActivityPage *self)
{
  RlSession *session = rl_page_get_session (RL_PAGE (self));
  RlStore   *store = session != NULL ? rl_session_get_store (session) : NULL;
  g_autoptr (GPtrArray) owners = NULL;

  unwatch_all (self);
  if (store == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self))
      || rl_session_get_state (session) == RL_SESSION_STATE_SIGNED_OUT)
    return;
  owners = rl_store_activity_owners (store, "workflow");
  self->watch_session = g_object_ref (session);
  for (guint i = 0; owners != NULL && i < owners->len; i++)
    {
      guint id = rl_session_watch_activity (session, RL_ACTIVITY_WORKFLOW_RUNS,
                                            g_ptr_array_index (owners, i));

      g_array_append_val (self->watches, id);
    }
}

static void
update_offline (RlActivityPage *self)
{
  RlSession *session = rl_page_get_session (RL_PAGE (self));

  gtk_widget_set_visible (self->offline_box, session != NULL
                                                 && rl_session_get_state (session)
                                                        == RL_SESSION_STATE_OFFLINE);
}

static void
session_changed (RlPage *page)
{
  RlActivityPage *self = RL_ACTIVITY_PAGE (page);

  update_offline (self);
  rl_activity_runs_update_state (self);
  rl_activity_workflows_update_state (self);
  rl_activity_page_rewatch (self);
}

static void
visible_view_cb (RlActivityPage *self)
{
  rl_activity_runs_update_state (self);
}

/* ---- GObject --------------------------------------------------------------------------------- */

static void
rl_activity_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (rl_activity_page_parent_class)->map (widget);
  rl_activity_page_rewatch (RL_ACTIVITY_PAGE (widget));
}

static void
rl_activity_page_unmap (GtkWidget *widget)
{
  unwatch_all (RL_ACTIVITY_PAGE (widget));
  GTK_WIDGET_CLASS (rl_activity_page_parent_class)->unmap (widget);
}

static void
rl_activity_page_dispose (GObject *object)
{
  RlActivityPage *self = RL_ACTIVITY_PAGE (object);

  if (self->watches != NULL)
    unwatch_all (self);
  rl_activity_workflows_dispose (self);
  G_OBJECT_CLASS (rl_activity_page_parent_class)->dispose (object);
}

static void
rl_activity_page_finalize (GObject *object)
{
  RlActivityPage *self = RL_ACTIVITY_PAGE (object);

  g_clear_pointer (&self->watches, g_array_unref);
  g_clear_pointer (&self->workflow_ids, g_ptr_array_unref);
  G_OBJECT_CLASS (rl_activity_page_parent_class)->finalize (object);
}

static void
rl_activity_page_class_init (RlActivityPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RlPageClass    *page_class = RL_PAGE_CLASS (klass);

  object_class->dispose = rl_activity_page_dispose;
  object_class->finalize = rl_activity_page_finalize;
  widget_class->map = rl_activity_page_map;
  widget_class->unmap = rl_activity_page_unmap;
  page_class->session_changed = session_changed;

  g_type_ensure (RL_TYPE_RECORD_LIST);
  g_type_ensure (RL_TYPE_RUN_ITEM);
  g_type_ensure (RL_TYPE_WORKFLOW_ITEM);
  g_type_ensure (RL_TYPE_COLUMN_SORTER);
  g_type_ensure (RL_TYPE_SYNC_JOBS_VIEW);

  rl_page_class_set_template (page_class, "/org/reloop/Console/ui/rl-activity-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, offline_box);
  gtk_widget_class_bind_template_callback (widget_class, visible_view_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "run_status_icon",
                                                G_CALLBACK (rl_activity_run_status_icon));
  gtk_widget_class_bind_template_callback_full (widget_class, "run_status_text",
                                                G_CALLBACK (rl_activity_run_status_text));
  gtk_widget_class_bind_template_callback_full (widget_class, "duration_text",
                                                G_CALLBACK (rl_activity_duration_text));
  gtk_widget_class_bind_template_callback_full (widget_class, "time_text",
                                                G_CALLBACK (rl_activity_time_text));
  rl_activity_runs_class_init (widget_class);
  rl_activity_workflows_class_init (widget_class);
}

static void
rl_activity_page_init (RlActivityPage *self)
{
  self->watches = g_array_new (FALSE, FALSE, sizeof (guint));
  gtk_widget_init_template (GTK_WIDGET (self));
  rl_spinners_spin_while_mapped (GTK_WIDGET (self));
  rl_list_pause_while_unmapped (self->runs, GTK_WIDGET (self));
  rl_list_pause_while_unmapped (self->workflows, GTK_WIDGET (self));
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));
  rl_activity_workflows_init (self);
  rl_activity_runs_init (self);
  adw_view_stack_set_visible_child_name (self->view_stack, "runs");
}
