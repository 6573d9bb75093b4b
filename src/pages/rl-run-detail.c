/* rl-run-detail.c — one run: header, steps as a flow, log; retry and cancel.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is read from the cache (rl_store_get_record "run" and its
 * workflow; rl_store_get_run_log), so it opens offline too. While shown the
 * window watches the run (rl_session_watch_activity RL_ACTIVITY_RUN) and
 * reads it again when the store monitor says the run or its log changed.
 * Steps are one row each in the order they ran, with their type, status,
 * attempts, duration, error and their edges ("next → X", "on error → Y");
 * the step that failed says "Failed here" and the steps reached by an error
 * edge "Error path", in words and icons, not colour alone. The log's ANSI
 * escapes are stripped once when it is read (rl_ansi_strip_in_place).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "rl-a11y.h"
#include "rl-activity-page-private.h"
#include "rl-activity-text.h"
#include "rl-activity.h"
#include "rl-core-enums.h"
#include "rl-run-actions.h"
#include "rl-run-detail.h"
#include "rl-store-activity.h"
#include "rl-store-monitor.h"
#include "rl-ui-format.h"

typedef enum
{
  LEVEL_DEBUG,
  LEVEL_INFO,
  LEVEL_WARNING,
  LEVEL_ERROR,
} Level;

typedef struct
{
  Level level;
  char *text; /* "HH:MM:SS.mmm  LEVEL  [step]  message", escapes stripped */
} LogLine;

struct _RlRunDetail
{
  AdwWindow parent_instance;

  RlSession      *session;
  char           *run_id;
  RlStoreMonitor *monitor;
  guint           watch;
  char           *workflow_id;
  char           *workflow_name;
  RlRunStatus     status;

  GArray *log; /* LogLine */
  guint   n_shown;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkButton       *retry_button;
  GtkButton       *cancel_button;
  GtkGrid         *header_grid;
  GtkLabel        *run_error_label;
  GtkListBox      *steps_list;
  GtkSearchEntry  *log_search;
  GtkDropDown     *level_dropdown;
  GtkTextView     *log_view;
  GtkStack        *log_stack;
  AdwStatusPage   *log_empty_page;
  GtkLabel        *log_count_label;
};

G_DEFINE_FINAL_TYPE (RlRunDetail, rl_run_detail, ADW_TYPE_WINDOW)

static void
log_line_clear (LogLine *line)
{
  g_free (line->text);
}

/* ---- Words ----------------------------------------------------------------------------------- */

static RlRunStatus
run_status (const char *wire)
{
  return wire != NULL ? (RlRunStatus) rl_enum_from_wire (RL_TYPE_RUN_STATUS, wire)
                      : RL_RUN_STATUS_UNKNOWN;
}

static const char *
step_type_icon (const char *type)
{
  if (g_strcmp0 (type, "task") == 0)
    return "system-run-symbolic";
  if (g_strcmp0 (type, "api_call") == 0)
    return "network-transmit-receive-symbolic";
  if (g_strcmp0 (type, "file_operation") == 0)
    return "folder-documents-symbolic";
  if (g_strcmp0 (type, "database_query") == 0)
    return "drive-harddisk-symbolic";
  if (g_strcmp0 (type, "conditional") == 0)
    return "dialog-question-symbolic";
  return "application-x-executable-symbolic";
}

static const char *
step_type_text (const char *type)
{
  if (g_strcmp0 (type, "task") == 0)
    return C_ ("step type", "Task");
  if (g_strcmp0 (type, "api_call") == 0)
    return C_ ("step type", "API call");
  if (g_strcmp0 (type, "file_operation") == 0)
    return C_ ("step type", "File operation");
  if (g_strcmp0 (type, "database_query") == 0)
    return C_ ("step type", "Database query");
  if (g_strcmp0 (type, "conditional") == 0)
    return C_ ("step type", "Condition");
  return C_ ("step type", "Step");
}

static const char *
step_status_icon (const char *status)
{
  if (g_strcmp0 (status, "succeeded") == 0)
    return "emblem-ok-symbolic";
  if (g_strcmp0 (status, "failed") == 0)
    return "dialog-error-symbolic";
  if (g_strcmp0 (status, "running") == 0)
    return "media-playback-start-symbolic";
  if (g_strcmp0 (status, "skipped") == 0)
    return "go-next-symbolic";
  if (g_strcmp0 (status, "cancelled") == 0)
    return "process-stop-symbolic";
  return "document-open-recent-symbolic";
}

static const char *
step_status_text (const char *status)
{
  if (g_strcmp0 (status, "succeeded") == 0)
    return C_ ("step", "Succeeded");
  if (g_strcmp0 (status, "failed") == 0)
    return C_ ("step", "Failed");
  if (g_strcmp0 (status, "running") == 0)
    return C_ ("step", "Running");
  if (g_strcmp0 (status, "skipped") == 0)
    return C_ ("step", "Skipped");
  if (g_strcmp0 (status, "cancelled") == 0)
    return C_ ("step", "Cancelled");
  return C_ ("step", "Pending");
}

static char *
format_ms (gint64 ms)
{
  if (ms < 1000)
    /* Translators: a duration in milliseconds. */
    return g_strdup_printf (_ ("%d ms"), (int) MAX (ms, 0));
  if (ms < 60000)
    /* Translators: a duration in seconds, one decimal. */
    return g_strdup_printf (_ ("%.1f s"), ms / 1000.0);
  /* Translators: a duration: 1 minutes, 2 seconds. */
  return g_strdup_printf (_ ("%1$d min %2$d s"), (int) MIN (ms / 60000, G_MAXINT),
                          (int) (ms / 1000 % 60));
}

static char *
duration_between (const char *from,
                  const char *to)
{
  g_autoptr (GDateTime) a = from != NULL ? g_date_time_new_from_iso8601 (from, NULL) : NULL;
  g_autoptr (GDateTime) b = to != NULL ? g_date_time_new_from_iso8601 (to, NULL) : NULL;

  if (a == NULL || b == NULL)
    return NULL;
  return format_ms (g_date_time_difference (b, a) / 1000);
}

/* ---- Header and steps ------------------------------------------------------------------------ */

static JsonObject *
step_of (JsonArray  *steps,
         const char *key,
         const char *id)
{
  for (guint i = 0; steps != NULL && id != NULL && i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);

      if (step != NULL && g_strcmp0 (json_object_get_string_member_with_default (step, key, NULL), id) == 0)
        return step;
    }
  return NULL;
}

static const char *
step_name (JsonArray  *wsteps,
           const char *id)
{
  JsonObject *step = step_of (wsteps, "id", id);
  const char *name = step != NULL ? json_object_get_string_member_with_default (step, "name", NULL)
                                  : NULL;

  return name != NULL ? name : id;
}

static void
header_row (RlRunDetail *self,
            int          column,
            int          row,
            const char  *title,
            const char  *value)
{
  GtkWidget *key = gtk_label_new (title);
  GtkWidget *val = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (key), 1);
  gtk_widget_add_css_class (key, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (val), 0);
  gtk_label_set_selectable (GTK_LABEL (val), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (val), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (val, TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (val), GTK_ACCESSIBLE_RELATION_LABELLED_BY, key,
                                  NULL, -1);
  gtk_grid_attach (self->header_grid, key, column * 2, row, 1, 1);
  gtk_grid_attach (self->header_grid, val, column * 2 + 1, row, 1, 1);
}

static void
clear_children (GtkWidget *parent)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (parent)) != NULL)
    {
      if (GTK_IS_LIST_BOX (parent))
        gtk_list_box_remove (GTK_LIST_BOX (parent), child);
      else
        gtk_grid_remove (GTK_GRID (parent), child);
    }
}

static GtkWidget *
icon_word (const char *icon,
           const char *word,
           const char *css)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *image = gtk_image_new_from_icon_name (icon);
  GtkWidget *label = gtk_label_new (word);

  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, word, -1);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  if (css != NULL)
    gtk_widget_add_css_class (box, css);
  return box;
}

static void
add_step_row (RlRunDetail *self,
              JsonObject  *rstep,
              JsonObject  *wstep,
              JsonArray   *wsteps,
              gboolean     error_path)
{
  const char      *id = json_object_get_string_member_with_default (rstep, "stepId", "");
  const char      *type = wstep != NULL ? json_object_get_string_member_with_default (wstep, "type", NULL) : NULL;
  const char      *status = json_object_get_string_member_with_default (rstep, "status", NULL);
  const char      *error = json_object_get_string_member_with_default (rstep, "error", NULL);
  const char      *next = wstep != NULL ? json_object_get_string_member_with_default (wstep, "nextStepId", NULL) : NULL;
  const char      *on_error = wstep != NULL ? json_object_get_string_member_with_default (wstep, "errorStepId", NULL) : NULL;
  gint64           attempts = json_object_get_int_member_with_default (rstep, "attempts", 0);
  g_autofree char *duration = duration_between (
      json_object_get_string_member_with_default (rstep, "startedAt", NULL),
      json_object_get_string_member_with_default (rstep, "finishedAt", NULL));
  g_autoptr (GString) subtitle = g_string_new (step_type_text (type));
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (step_type_icon (type));
  gboolean   failed = g_strcmp0 (status, "failed") == 0;

  if (attempts > 0)
    {
      g_string_append (subtitle, " · ");
      /* Translators: how many times a step was tried. */
      g_string_append_printf (subtitle,
                              g_dngettext (GETTEXT_PACKAGE, "%d attempt", "%d attempts", attempts),
                              (int) attempts);
    }
  if (duration != NULL)
    g_string_append_printf (subtitle, " · %s", duration);
  if (next != NULL)
    {
      g_string_append_c (subtitle, '\n');
      /* Translators: the step a step goes to when it succeeds. */
      g_string_append_printf (subtitle, _ ("next → %s"), step_name (wsteps, next));
    }
  if (on_error != NULL)
    {
      g_string_append (subtitle, next != NULL ? "   " : "\n");
      /* Translators: the step a step goes to when it fails. */
      g_string_append_printf (subtitle, _ ("on error → %s"), step_name (wsteps, on_error));
    }
  if (next == NULL && on_error == NULL)
    g_string_append_printf (subtitle, "\n%s", _ ("last step"));
  if (error != NULL && *error != '\0')
    g_string_append_printf (subtitle, "\n%s", error);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), step_name (wsteps, id));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_tooltip_text (icon, step_type_text (type));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  step_type_text (type), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  if (error_path)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               icon_word ("mail-forward-symbolic", _ ("Error path"), "warning"));
  if (failed)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               icon_word ("dialog-warning-symbolic", _ ("Failed here"), "error"));
  else
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               icon_word (step_status_icon (status), step_status_text (status), NULL));
  if (failed || error_path)
    gtk_widget_add_css_class (row, failed ? "rl-step-failed" : "rl-step-error-path");
  gtk_list_box_append (self->steps_list, row);
}

static void
update_buttons (RlRunDetail *self)
{
  const char *refusal = rl_run_cancel_refusal (self->session);
  gboolean    active = self->status == RL_RUN_STATUS_QUEUED || self->status == RL_RUN_STATUS_RUNNING;

  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), self->status == RL_RUN_STATUS_FAILED);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), active);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), refusal == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cancel_button),
                               refusal != NULL ? refusal : _ ("Stop this run at its current step"));
}

static void
load_run (RlRunDetail *self)
{
  RlStore *store = rl_session_get_store (self->session);
  g_autoptr (JsonObject) run = store != NULL ? rl_store_get_record (store, "run", self->run_id, NULL) : NULL;
  g_autoptr (JsonObject) workflow = NULL;
  JsonArray       *rsteps, *wsteps = NULL;
  const char      *workflow_id, *error;
  g_autofree char *started = NULL, *duration = NULL, *attempt = NULL;
  const char      *trigger;
  JsonObject      *previous = NULL;

  clear_children (GTK_WIDGET (self->header_grid));
  clear_children (GTK_WIDGET (self->steps_list));
  if (run == NULL)
    {
      adw_window_title_set_title (self->window_title, _ ("Run Not in the Cache"));
      adw_window_title_set_subtitle (self->window_title, self->run_id);
      self->status = RL_RUN_STATUS_UNKNOWN;
      update_buttons (self);
      return;
    }
  workflow_id = json_object_get_string_member_with_default (run, "workflowId", NULL);
  g_free (self->workflow_id);
  self->workflow_id = g_strdup (workflow_id);
  workflow = workflow_id != NULL ? rl_store_get_record (store, "workflow", workflow_id, NULL) : NULL;
  if (workflow != NULL && json_object_has_member (workflow, "steps"))
    wsteps = json_object_get_array_member (workflow, "steps");
  g_free (self->workflow_name);
  self->workflow_name = g_strdup (workflow != NULL ? json_object_get_string_member_with_default (workflow, "name", workflow_id)
                                                   : workflow_id);
  self->status = run_status (json_object_get_string_member_with_default (run, "status", NULL));

  adw_window_title_set_title (self->window_title, self->workflow_name != NULL ? self->workflow_name : "");
  adw_window_title_set_subtitle (self->window_title, self->run_id);
  trigger = json_object_get_string_member_with_default (run, "trigger", NULL);
  started = rl_activity_unpad (rl_ui_format_time (json_object_get_string_member_with_default (run, "startedAt", NULL)));
  if (json_object_get_int_member_with_default (run, "durationMs", 0) > 0)
    duration = format_ms (json_object_get_int_member_with_default (run, "durationMs", 0));
  attempt = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member_with_default (run, "attempt", 1));

  header_row (self, 0, 0, _ ("Workflow"), self->workflow_name != NULL ? self->workflow_name : "—");
  {
    GtkWidget       *key = gtk_label_new (_ ("Status"));
    g_autofree char *icon = rl_activity_run_status_icon (NULL, self->status);
    g_autofree char *word = rl_activity_run_status_text (NULL, self->status);
    GtkWidget       *value = icon_word (icon, word, NULL);

    gtk_label_set_xalign (GTK_LABEL (key), 1);
    gtk_widget_add_css_class (key, "dim-label");
    gtk_widget_set_halign (value, GTK_ALIGN_START);
    gtk_grid_attach (self->header_grid, key, 2, 0, 1, 1);
    gtk_grid_attach (self->header_grid, value, 3, 0, 1, 1);
  }
  header_row (self, 0, 1, _ ("Trigger"),
              g_strcmp0 (trigger, "schedule") == 0 ? C_ ("trigger", "Schedule")
              : g_strcmp0 (trigger, "event") == 0  ? C_ ("trigger", "Event")
              : g_strcmp0 (trigger, "manual") == 0 ? C_ ("trigger", "Manual")
                                                   : "—");
  header_row (self, 1, 1, _ ("Started"), started);
  header_row (self, 0, 2, _ ("Duration"), duration != NULL ? duration : "—");
  header_row (self, 1, 2, _ ("Attempt"), attempt);

  error = json_object_get_string_member_with_default (run, "error", NULL);
  gtk_label_set_text (self->run_error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->run_error_label), error != NULL && *error != '\0');

  rsteps = json_object_has_member (run, "steps") ? json_object_get_array_member (run, "steps") : NULL;
  for (guint i = 0; rsteps != NULL && i < json_array_get_length (rsteps); i++)
    {
      JsonObject *rstep = json_array_get_object_element (rsteps, i);
      const char *id = json_object_get_string_member_with_default (rstep, "stepId", NULL);
      JsonObject *wstep = step_of (wsteps, "id", id);
      gboolean    error_path = FALSE;

      if (previous != NULL)
        {
          JsonObject *pw = step_of (wsteps, "id",
                                    json_object_get_string_member_with_default (previous, "stepId", NULL));

          error_path = pw != NULL
                       && g_strcmp0 (json_object_get_string_member_with_default (previous, "status", NULL), "failed") == 0
                       && g_strcmp0 (json_object_get_string_member_with_default (pw, "errorStepId", NULL), id) == 0;
        }
      add_step_row (self, rstep, wstep, wsteps, error_path);
      previous = rstep;
    }
  update_buttons (self);
}

/* ---- Log ------------------------------------------------------------------------------------- */

static Level
level_of (const char *level)
{
  if (g_strcmp0 (level, "error") == 0)
    return LEVEL_ERROR;
  if (g_strcmp0 (level, "warning") == 0)
    return LEVEL_WARNING;
  if (g_strcmp0 (level, "debug") == 0)
    return LEVEL_DEBUG;
  return LEVEL_INFO;
}

static void
show_log (RlRunDetail *self)
{
  Level            min = (Level) MIN (gtk_drop_down_get_selected (self->level_dropdown), LEVEL_ERROR);
  g_autofree char *needle = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->log_search)), -1);
  g_autoptr (GString) text = g_string_sized_new (self->log->len * 80);
  g_autofree char *count = NULL;

  self->n_shown = 0;
  for (guint i = 0; i < self->log->len; i++)
    {
      LogLine *line = &g_array_index (self->log, LogLine, i);

      if (line->level < min)
        continue;
      if (*needle != '\0')
        {
          g_autofree char *folded = g_utf8_casefold (line->text, -1);

          if (strstr (folded, needle) == NULL)
            continue;
        }
      g_string_append (text, line->text);
      g_string_append_c (text, '\n');
      self->n_shown++;
    }
  if (text->len > 0)
    g_string_truncate (text, text->len - 1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->log_view), text->str, (int) text->len);

  if (self->log->len == 0)
    {
      adw_status_page_set_title (self->log_empty_page, _ ("No Log"));
      adw_status_page_set_description (
          self->log_empty_page,
          rl_session_get_state (self->session) == RL_SESSION_STATE_OFFLINE
              ? _ ("This run's log is not in the cache. It is fetched when the console reconnects.")
              : _ ("The log shows here once it is fetched."));
      gtk_stack_set_visible_child_name (self->log_stack, "empty");
    }
  else if (self->n_shown == 0)
    {
      adw_status_page_set_title (self->log_empty_page, _ ("No Matching Lines"));
      adw_status_page_set_description (self->log_empty_page, _ ("Try another search or level."));
      gtk_stack_set_visible_child_name (self->log_stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->log_stack, "log");
  /* Translators: 1: log lines shown, 2: lines in the log. */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%1$u of %2$u line", "%1$u of %2$u lines",
                                        self->log->len),
                           self->n_shown, self->log->len);
  gtk_label_set_text (self->log_count_label, count);
}

static void
load_log (RlRunDetail *self)
{
  RlStore *store = rl_session_get_store (self->session);
  g_autoptr (JsonArray) lines = store != NULL ? rl_store_get_run_log (store, self->run_id, NULL) : NULL;

  g_array_set_size (self->log, 0);
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);
      const char *at = json_object_get_string_member_with_default (line, "timestamp", "");
      const char *level = json_object_get_string_member_with_default (line, "level", "info");
      const char *step = json_object_get_string_member_with_default (line, "stepId", NULL);
      const char *message = json_object_get_string_member_with_default (line, "message", "");
      g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (at, NULL);
      g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%H:%M:%S") : g_strdup (at);
      LogLine          entry;

      entry.level = level_of (level);
      /* The wall-clock time in local time, as the header's, with milliseconds. */
      if (local != NULL)
        {
          char *with_ms = g_strdup_printf ("%s.%03d", when, g_date_time_get_microsecond (local) / 1000);

          g_free (when);
          when = with_ms;
        }
      entry.text = g_strdup_printf ("%s  %-7s  %s%s%s%s", when, level,
                                    step != NULL ? "[" : "", step != NULL ? step : "",
                                    step != NULL ? "]  " : "", message);
      rl_ansi_strip_in_place (entry.text);
      g_array_append_val (self->log, entry);
    }
  show_log (self);
}

static void
log_filter_cb (RlRunDetail *self)
{
  show_log (self);
}

static void
copy_cb (RlRunDetail *self)
{
  g_autofree char *text = rl_run_detail_get_log_text (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_ ("Log copied")));
}

/* ---- Changes and actions --------------------------------------------------------------------- */

/* Whether @changes name @id of @entity. */
static gboolean
names_run (RlStoreChanges *changes,
           const char     *entity,
           const char     *id)
{
  g_autofree const char **ids = NULL;

  if (!rl_store_changes_has_entity (changes, entity))
    return FALSE;
  if (rl_store_changes_is_whole (changes, entity))
    return TRUE;
  ids = rl_store_changes_get_ids (changes, entity, NULL);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    if (g_str_equal (ids[i], id))
      return TRUE;
  return FALSE;
}

static void
store_changed_cb (RlRunDetail    *self,
                  RlStoreChanges *changes)
{
  if (names_run (changes, "run", self->run_id) || (self->workflow_id != NULL && names_run (changes, "workflow", self->workflow_id)))
    load_run (self);
  if (names_run (changes, "run_log", self->run_id))
    load_log (self);
}

static void
toast_cb (gpointer    data,
          const char *message)
{
  adw_toast_overlay_add_toast (RL_RUN_DETAIL (data)->toast_overlay, adw_toast_new (message));
}

static void
act (RlRunDetail *self,
     RlRunAction  action)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (ids, g_strdup (self->run_id));
  rl_run_action_confirm (GTK_WIDGET (self), self->session, action, ids, self->workflow_name,
                         toast_cb, self);
}

static void
retry_cb (RlRunDetail *self)
{
  act (self, RL_RUN_ACTION_RETRY);
}

static void
cancel_cb (RlRunDetail *self)
{
  act (self, RL_RUN_ACTION_CANCEL);
}

/* ---- GObject --------------------------------------------------------------------------------- */

static void
rl_run_detail_map (GtkWidget *widget)
{
  RlRunDetail *self = RL_RUN_DETAIL (widget);

  GTK_WIDGET_CLASS (rl_run_detail_parent_class)->map (widget);
  if (self->watch == 0)
    self->watch = rl_session_watch_activity (self->session, RL_ACTIVITY_RUN, self->run_id);
}

static void
rl_run_detail_unmap (GtkWidget *widget)
{
  RlRunDetail *self = RL_RUN_DETAIL (widget);

  if (self->watch != 0)
    rl_session_unwatch_activity (self->session, self->watch);
  self->watch = 0;
  GTK_WIDGET_CLASS (rl_run_detail_parent_class)->unmap (widget);
}

static void
rl_run_detail_dispose (GObject *object)
{
  RlRunDetail *self = RL_RUN_DETAIL (object);

  if (self->watch != 0 && self->session != NULL)
    rl_session_unwatch_activity (self->session, self->watch);
  self->watch = 0;
  g_clear_object (&self->monitor);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_RUN_DETAIL);
  G_OBJECT_CLASS (rl_run_detail_parent_class)->dispose (object);
}

static void
rl_run_detail_finalize (GObject *object)
{
  RlRunDetail *self = RL_RUN_DETAIL (object);

  g_free (self->run_id);
  g_free (self->workflow_id);
  g_free (self->workflow_name);
  g_array_unref (self->log);
  G_OBJECT_CLASS (rl_run_detail_parent_class)->finalize (object);
}

static void
rl_run_detail_class_init (RlRunDetailClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_run_detail_dispose;
  object_class->finalize = rl_run_detail_finalize;
  widget_class->map = rl_run_detail_map;
  widget_class->unmap = rl_run_detail_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/reloop/Console/ui/rl-run-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, RlRunDetail, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RlRunDetail, window_title);
  gtk_widget_class_bind_template_child (widget_class, RlRunDetail, retry_button);
  gtk_widget_class_bind_template_child (widget_class, RlRunDetail, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RlRunDetail, header_grid);
  gtk_widget_class_bind_template_child (widget_class, RlRunDetail, run_error_label);
  gtk_widget_class_bind_template_child (widget_class, RlRunDetail, steps_list);
  gtk_widget_class_bind_template_child (widget_class, RlRunDetail, log_search);
  gtk_widget_class_bind_template_child (widget_class, RlRunDetail, level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RlRunDetail, log_view);
  gtk_widget_class_bind_template_child (widget_class, RlRunDetail, log_stack);
  gtk_widget_class_bind_template_child (widget_class, RlRunDetail, log_empty_page);
  gtk_widget_class_bind_template_child (widget_class, RlRunDetail, log_count_label);
  gtk_widget_class_bind_template_callback (widget_class, log_filter_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rl_run_detail_init (RlRunDetail *self)
{
  self->log = g_array_new (FALSE, TRUE, sizeof (LogLine));
  g_array_set_clear_func (self->log, (GDestroyNotify) log_line_clear);
  gtk_widget_init_template (GTK_WIDGET (self));
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));
}

RlRunDetail *
rl_run_detail_new (RlSession  *session,
                   const char *run_id)
{
  RlRunDetail *self;
  RlStore     *store;

  g_return_val_if_fail (RL_IS_SESSION (session), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  self = g_object_new (RL_TYPE_RUN_DETAIL, NULL);
  self->session = g_object_ref (session);
  self->run_id = g_strdup (run_id);
  /* Translators: the title of a run's window; %s is the run's id. */
  {
    g_autofree char *title = g_strdup_printf (_ ("Run %s"), run_id);

    gtk_window_set_title (GTK_WINDOW (self), title);
  }
  store = rl_session_get_store (session);
  if (store != NULL)
    {
      self->monitor = rl_store_monitor_new (store);
      g_signal_connect_swapped (self->monitor, "changed", G_CALLBACK (store_changed_cb), self);
    }
  load_run (self);
  load_log (self);
  return self;
}

const char *
rl_run_detail_get_run_id (RlRunDetail *self)
{
  g_return_val_if_fail (RL_IS_RUN_DETAIL (self), NULL);
  return self->run_id;
}

char *
rl_run_detail_get_log_text (RlRunDetail *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter    start, end;

  g_return_val_if_fail (RL_IS_RUN_DETAIL (self), NULL);
  buffer = gtk_text_view_get_buffer (self->log_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

guint
rl_run_detail_get_n_log_lines (RlRunDetail *self,
                               guint       *n_shown)
{
  g_return_val_if_fail (RL_IS_RUN_DETAIL (self), 0);
  if (n_shown != NULL)
    *n_shown = self->n_shown;
  return self->log->len;
}
