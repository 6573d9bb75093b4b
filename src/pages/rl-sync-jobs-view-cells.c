/* rl-sync-jobs-view-cells.c — the columns of the sync jobs and of a job's
 * sync log, and how they word modes, schedules, states and strategies.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cells are built in C (GtkSignalListItemFactory): a row that changes in
 * the cache keeps its item object (docs/lists.md), so each bound cell
 * listens to its item's notify and words it again. The lag column draws
 * the lag values this view has seen for the job (kept in memory).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-activity-text.h"
#include "rl-core-enums.h"
#include "rl-sparkline.h"
#include "rl-sync-jobs-view-private.h"
#include "rl-ui-format.h"

typedef enum
{
  JOB_COLUMN_NAME,
  JOB_COLUMN_MODE,
  JOB_COLUMN_STATUS,
  JOB_COLUMN_LAST_RUN,
  JOB_COLUMN_RECORDS,
  JOB_COLUMN_LAG,
  JOB_COLUMN_STRATEGY,
  LOG_COLUMN_TIME,
  LOG_COLUMN_OPERATION,
  LOG_COLUMN_RECORD,
  LOG_COLUMN_STATUS,
  LOG_COLUMN_ERROR,
} Column;

/* ---- Words ----------------------------------------------------------------------------------- */

static const char *
mode_label (RlSyncMode mode)
{
  switch (mode)
    {
    case RL_SYNC_MODE_EVENT:
      return _ ("Event-driven");
    case RL_SYNC_MODE_SCHEDULED:
      return _ ("Scheduled");
    case RL_SYNC_MODE_REALTIME:
      return _ ("Real-time");
    case RL_SYNC_MODE_UNKNOWN:
    default:
      return _ ("Unknown");
    }
}

const char *
rl_sync_jobs_status_label (RlSyncJobStatus status)
{
  switch (status)
    {
    case RL_SYNC_JOB_STATUS_IDLE:
      return C_ ("sync job", "Idle");
    case RL_SYNC_JOB_STATUS_RUNNING:
      return C_ ("sync job", "Running");
    case RL_SYNC_JOB_STATUS_FAILED:
      return C_ ("sync job", "Failed");
    case RL_SYNC_JOB_STATUS_PAUSED:
      return C_ ("sync job", "Paused");
    case RL_SYNC_JOB_STATUS_UNKNOWN:
    default:
      return _ ("Unknown");
    }
}

static const char *
status_icon (RlSyncJobStatus status)
{
  switch (status)
    {
    case RL_SYNC_JOB_STATUS_IDLE:
      return "emblem-ok-symbolic";
    case RL_SYNC_JOB_STATUS_RUNNING:
      return "emblem-synchronizing-symbolic";
    case RL_SYNC_JOB_STATUS_FAILED:
      return "dialog-error-symbolic";
    case RL_SYNC_JOB_STATUS_PAUSED:
      return "media-playback-pause-symbolic";
    case RL_SYNC_JOB_STATUS_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

const char *
rl_sync_jobs_strategy_label (RlConflictStrategy strategy)
{
  switch (strategy)
    {
    case RL_CONFLICT_STRATEGY_LOCAL_WINS:
      return _ ("Source wins");
    case RL_CONFLICT_STRATEGY_REMOTE_WINS:
      return _ ("Target wins");
    case RL_CONFLICT_STRATEGY_MERGE:
      return _ ("Merge fields");
    case RL_CONFLICT_STRATEGY_TIMESTAMP_WINS:
      return _ ("Newest change wins");
    case RL_CONFLICT_STRATEGY_MANUAL:
      return _ ("Resolved by people");
    case RL_CONFLICT_STRATEGY_UNKNOWN:
    default:
      return _ ("Unknown");
    }
}

/* A cron schedule in words (rl_cron_to_words, which words it for the middle
 * of a sentence), as a label of its own: "Every 15 minutes". */
static char *
cron_text (const char *cron)
{
  g_autofree char *words = rl_cron_to_words (cron);
  char             first[8] = { 0 };

  g_unichar_to_utf8 (g_unichar_toupper (g_utf8_get_char (words)), first);
  return g_strconcat (first, g_utf8_next_char (words), NULL);
}

char *
rl_sync_jobs_schedule_text (RlSyncMode  mode,
                            const char *cron)
{
  if (cron != NULL && *cron != '\0')
    return cron_text (cron);
  switch (mode)
    {
    case RL_SYNC_MODE_EVENT:
      return g_strdup (_ ("When records change"));
    case RL_SYNC_MODE_REALTIME:
      return g_strdup (_ ("Continuously"));
    case RL_SYNC_MODE_SCHEDULED:
    case RL_SYNC_MODE_UNKNOWN:
    default:
      return g_strdup (_ ("No schedule"));
    }
}

/* "12 s", "4 min", "2 h 5 min". */
static char *
lag_text (gint64 seconds)
{
  if (seconds < 0)
    return g_strdup ("—");
  if (seconds < 60)
    /* Translators: a lag in seconds. */
    return g_strdup_printf (_ ("%d s"), (int) seconds);
  if (seconds < 3600)
    /* Translators: a lag in minutes. */
    return g_strdup_printf (_ ("%d min"), (int) (seconds / 60));
  /* Translators: a lag in hours and minutes. */
  return g_strdup_printf (_ ("%d h %d min"), (int) MIN (seconds / 3600, G_MAXINT), (int) (seconds % 3600 / 60));
}

static const char *
operation_label (RlSyncOperation operation)
{
  switch (operation)
    {
    case RL_SYNC_OPERATION_CREATE:
      return C_ ("sync operation", "Create");
    case RL_SYNC_OPERATION_UPDATE:
      return C_ ("sync operation", "Update");
    case RL_SYNC_OPERATION_DELETE:
      return C_ ("sync operation", "Delete");
    case RL_SYNC_OPERATION_UNKNOWN:
    default:
      return _ ("Unknown");
    }
}

/* ---- Lag history ------------------------------------------------------------------------------ */

void
rl_sync_jobs_view_record_lag (RlSyncJobsView *self,
                              RlListItem     *item)
{
  const char *id = rl_list_item_get_id (item);
  gint64      lag = rl_list_item_get_int64 (item, "lag-seconds");
  GArray     *values;
  guint32     value = (guint32) CLAMP (lag, 0, G_MAXUINT32);

  if (id == NULL || lag < 0)
    return;
  values = g_hash_table_lookup (self->lag_history, id);
  if (values == NULL)
    {
      values = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_hash_table_insert (self->lag_history, g_strdup (id), values);
    }
  /* One value per change the view sees (a row read again unchanged adds nothing). */
  if (values->len > 0 && g_array_index (values, guint32, values->len - 1) == value
      && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), "rl-lag-seen")) != 0)
    return;
  g_object_set_data (G_OBJECT (item), "rl-lag-seen", GINT_TO_POINTER (1));
  g_array_append_val (values, value);
  if (values->len > RL_SYNC_JOBS_LAG_HISTORY)
    g_array_remove_range (values, 0, values->len - RL_SYNC_JOBS_LAG_HISTORY);
}

/* ---- Cells ------------------------------------------------------------------------------------ */

static GtkWidget *
two_lines (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *first = gtk_label_new (NULL);
  GtkWidget *second = gtk_label_new (NULL);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (first), 0);
  gtk_label_set_xalign (GTK_LABEL (second), 0);
  gtk_label_set_ellipsize (GTK_LABEL (first), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (second), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (second, "dim-label");
  gtk_widget_add_css_class (second, "caption");
  gtk_box_append (GTK_BOX (box), first);
  gtk_box_append (GTK_BOX (box), second);
  return box;
}

static void
set_lines (GtkWidget  *box,
           const char *first,
           const char *second)
{
  GtkWidget *a = gtk_widget_get_first_child (box);
  GtkWidget *b = gtk_widget_get_next_sibling (a);

  gtk_label_set_text (GTK_LABEL (a), first != NULL ? first : "");
  gtk_label_set_text (GTK_LABEL (b), second != NULL ? second : "");
  gtk_widget_set_visible (b, second != NULL && *second != '\0');
}

/* An icon before two lines (statuses). */
static GtkWidget *
icon_and_lines (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  /* The word beside it says the same. */
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), two_lines ());
  return box;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  data)
{
  Column     column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "rl-column"));
  GtkWidget *child;

  switch (column)
    {
    case JOB_COLUMN_STATUS:
    case LOG_COLUMN_STATUS:
      child = icon_and_lines ();
      break;
    case JOB_COLUMN_LAG:
      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      gtk_box_append (GTK_BOX (child), rl_sparkline_new ());
      gtk_box_append (GTK_BOX (child), two_lines ());
      break;
    default:
      child = two_lines ();
    }
  gtk_list_item_set_child (list_item, child);
}

static void
update_lag (RlSyncJobsView *self,
            GtkWidget      *child,
            RlListItem     *item)
{
  GtkWidget       *spark = gtk_widget_get_first_child (child);
  GArray          *values = g_hash_table_lookup (self->lag_history, rl_list_item_get_id (item));
  gint64           lag = rl_list_item_get_int64 (item, "lag-seconds");
  g_autofree char *now = lag_text (lag);
  g_autofree char *peak = NULL;
  g_autofree char *description = NULL;

  if (values != NULL && values->len > 0)
    {
      guint32 max = 0;

      guint32 flat[2] = { g_array_index (values, guint32, 0), g_array_index (values, guint32, 0) };

      /* One value so far (a paused job does not move): a flat line. */
      if (values->len == 1)
        rl_sparkline_set_values (RL_SPARKLINE (spark), flat, 2);
      else
        rl_sparkline_set_values (RL_SPARKLINE (spark), (const guint32 *) values->data, values->len);
      for (guint i = 0; i < values->len; i++)
        max = MAX (max, g_array_index (values, guint32, i));
      {
        g_autofree char *max_text = lag_text (max);

        /* Translators: the highest lag of the values the view has seen. */
        peak = g_strdup_printf (_ ("peak %s"), max_text);
        /* Translators: the lag sparkline's accessible description; 1: how many values, 2: the highest. */
        description = g_strdup_printf (_ ("Lag over the last %1$u readings, highest %2$s"), values->len,
                                       max_text);
      }
    }
  else
    rl_sparkline_set_values (RL_SPARKLINE (spark), NULL, 0);
  set_lines (gtk_widget_get_next_sibling (spark), now, peak);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spark), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Lag history"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description != NULL ? description : "", -1);
}

static void
update_status (GtkWidget  *child,
               const char *icon,
               const char *text,
               const char *second)
{
  GtkWidget *image = gtk_widget_get_first_child (child);

  gtk_image_set_from_icon_name (GTK_IMAGE (image), icon);
  set_lines (gtk_widget_get_next_sibling (image), text, second);
}

static void
update_cell (GtkListItem *list_item)
{
  RlSyncJobsView *self = g_object_get_data (G_OBJECT (list_item), "rl-view");
  Column          column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (list_item), "rl-column"));
  RlListItem     *item = gtk_list_item_get_item (list_item);
  GtkWidget      *child = gtk_list_item_get_child (list_item);

  if (item == NULL || child == NULL || self == NULL)
    return;
  switch (column)
    {
    case JOB_COLUMN_NAME:
      {
        /* Translators: a sync job's systems: 1: where records come from, 2: where they go. */
        g_autofree char *systems = g_strdup_printf (_ ("%1$s → %2$s"), rl_list_item_get_string (item, "source"),
                                                    rl_list_item_get_string (item, "target"));
        set_lines (child, rl_list_item_get_string (item, "name"), systems);
        break;
      }
    case JOB_COLUMN_MODE:
      {
        RlSyncMode       mode = rl_list_item_get_enum (item, "mode");
        g_autofree char *schedule = rl_sync_jobs_schedule_text (mode, rl_list_item_get_string (item, "schedule"));

        set_lines (child, mode_label (mode), schedule);
        break;
      }
    case JOB_COLUMN_STATUS:
      {
        RlSyncJobStatus status = rl_list_item_get_enum (item, "status");

        update_status (child, status_icon (status), rl_sync_jobs_status_label (status),
                       rl_list_item_get_boolean (item, "waiting") ? _ ("Waiting to sync") : NULL);
        break;
      }
    case JOB_COLUMN_LAST_RUN:
      {
        g_autofree char *run = rl_ui_format_time_ms (rl_list_item_get_int64 (item, "last-run"));
        g_autofree char *ok = rl_ui_format_time_ms (rl_list_item_get_int64 (item, "last-success"));
        /* Translators: under a sync job's last run: when it last succeeded. */
        g_autofree char *second = g_strdup_printf (_ ("Last success %s"), ok);

        set_lines (child, run, second);
        break;
      }
    case JOB_COLUMN_RECORDS:
      {
        gint64           processed = rl_list_item_get_int64 (item, "records-processed");
        gint64           failed = rl_list_item_get_int64 (item, "records-failed");
        g_autofree char *first = NULL;
        g_autofree char *second = NULL;

        g_autofree char *n_processed = g_strdup_printf ("%'" G_GINT64_FORMAT, processed);
        g_autofree char *n_failed = g_strdup_printf ("%'" G_GINT64_FORMAT, failed);

        /* Translators: records a sync job moved; %s is their number. */
        first = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s processed", "%s processed", (gulong) processed),
                                 n_processed);
        /* Translators: records a sync job could not move; %s is their number. */
        second = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s failed", "%s failed", (gulong) failed), n_failed);
        set_lines (child, first, second);
        break;
      }
    case JOB_COLUMN_LAG:
      rl_sync_jobs_view_record_lag (self, item);
      update_lag (self, child, item);
      break;
    case JOB_COLUMN_STRATEGY:
      set_lines (child, rl_sync_jobs_strategy_label (rl_list_item_get_enum (item, "conflict-strategy")), NULL);
      break;
    case LOG_COLUMN_TIME:
      {
        g_autofree char *when = rl_ui_format_time_ms (rl_list_item_get_int64 (item, "created"));

        set_lines (child, when, NULL);
        break;
      }
    case LOG_COLUMN_OPERATION:
      set_lines (child, operation_label (rl_list_item_get_enum (item, "operation")), NULL);
      break;
    case LOG_COLUMN_RECORD:
      set_lines (child, rl_list_item_get_string (item, "record-ref"), NULL);
      break;
    case LOG_COLUMN_STATUS:
      {
        gboolean ok = rl_list_item_get_enum (item, "status") == RL_SYNC_LOG_STATUS_SUCCESS;

        update_status (child, ok ? "emblem-ok-symbolic" : "dialog-error-symbolic",
                       ok ? C_ ("sync log", "Succeeded") : C_ ("sync log", "Failed"), NULL);
        break;
      }
    case LOG_COLUMN_ERROR:
      set_lines (child, rl_list_item_get_string (item, "error-message"), NULL);
      break;
    }
}

static void
item_notify_cb (GObject     *item,
                GParamSpec  *pspec,
                GtkListItem *list_item)
{
  update_cell (list_item);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         RlSyncJobsView           *self)
{
  GObject *item = gtk_list_item_get_item (list_item);

  g_object_set_data (G_OBJECT (list_item), "rl-view", self);
  g_object_set_data (G_OBJECT (list_item), "rl-column", g_object_get_data (G_OBJECT (factory), "rl-column"));
  if (item != NULL)
    g_object_set_data (G_OBJECT (list_item), "rl-notify",
                       GSIZE_TO_POINTER (g_signal_connect (item, "notify", G_CALLBACK (item_notify_cb), list_item)));
  update_cell (list_item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           RlSyncJobsView           *self)
{
  GObject *item = gtk_list_item_get_item (list_item);
  gulong   handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (list_item), "rl-notify"));

  if (item != NULL && handler != 0)
    g_signal_handler_disconnect (item, handler);
  g_object_set_data (G_OBJECT (list_item), "rl-notify", NULL);
}

static void
add_column (RlSyncJobsView *self,
            GtkColumnView  *view,
            Column          column,
            const char     *title,
            int             fixed_width,
            gboolean        expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkColumnViewColumn) col = NULL;

  g_object_set_data (G_OBJECT (factory), "rl-column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_column_set_expand (col, expand);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (col, fixed_width);
  gtk_column_view_append_column (view, col);
}

void
rl_sync_jobs_view_add_job_columns (RlSyncJobsView *self)
{
  add_column (self, self->jobs_view, JOB_COLUMN_NAME, _ ("Job"), 0, TRUE);
  add_column (self, self->jobs_view, JOB_COLUMN_MODE, _ ("Mode"), 170, FALSE);
  add_column (self, self->jobs_view, JOB_COLUMN_STATUS, _ ("Status"), 140, FALSE);
  add_column (self, self->jobs_view, JOB_COLUMN_LAST_RUN, _ ("Last Run"), 170, FALSE);
  add_column (self, self->jobs_view, JOB_COLUMN_RECORDS, _ ("Records"), 120, FALSE);
  add_column (self, self->jobs_view, JOB_COLUMN_LAG, _ ("Lag"), 280, FALSE);
  add_column (self, self->jobs_view, JOB_COLUMN_STRATEGY, _ ("On Conflict"), 170, FALSE);
}

void
rl_sync_jobs_view_add_log_columns (RlSyncJobsView *self)
{
  add_column (self, self->log_view, LOG_COLUMN_TIME, _ ("Time"), 140, FALSE);
  add_column (self, self->log_view, LOG_COLUMN_OPERATION, _ ("Operation"), 110, FALSE);
  add_column (self, self->log_view, LOG_COLUMN_RECORD, _ ("Record"), 140, FALSE);
  add_column (self, self->log_view, LOG_COLUMN_STATUS, _ ("Status"), 130, FALSE);
  add_column (self, self->log_view, LOG_COLUMN_ERROR, _ ("Error"), 0, TRUE);
}
