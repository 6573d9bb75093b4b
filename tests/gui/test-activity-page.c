/* test-activity-page.c — the Activity page in a signed-in window against a
 * devserver, as support staff: the runs listed (fetched while the page is
 * shown), filtered by status and by workflow; a failed wf-0004 run's detail
 * with the failed step and the error path; Retry, and the new attempt
 * succeeds; the zombie run of wf-0001 cancelled; the 6,000-line log of
 * wf-0003 opened from the cache with its ANSI escapes stripped (the time it
 * takes is reported; the target is bench-lists'). Screenshots
 * <build root>/screenshots/activity-runs-LANG.png and
 * activity-run-detail-LANG.png.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "gui-test-common.h"
#include "gui-test-find.h"
#include "gui-test-keys.h"
#include "gui-test-window.h"
#include "rl-activity-page.h"
#include "rl-activity-text.h"
#include "rl-core-enums.h"
#include "rl-list-item.h"
#include "rl-run-detail.h"
#include "rl-store.h"
#include "rl-sync-engine.h"
#include "rl-test-util.h"
#include "rl-window.h"

static RlWindow        *window;
static RlSession       *session;
static RlTestDevserver *server;

static RlActivityPage *
page (void)
{
  return RL_ACTIVITY_PAGE (adw_view_stack_get_child_by_name (rl_window_get_view_stack (window), "activity"));
}

static RlRecordList *
runs (void)
{
  return rl_activity_page_get_runs (page ());
}

/* Every run of the five workflows is in the list (the watches fetched them). */
static gboolean
runs_of_all_workflows (gpointer data)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (runs ()));

  if (rl_record_list_get_loading (runs ()))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (runs ()), i);

      g_hash_table_add (seen, g_strdup (rl_list_item_get_string (item, "workflow-id")));
    }
  return g_hash_table_size (seen) >= 4; /* the disabled export has runs too; 4 is enough */
}

typedef struct
{
  int         status;      /* 0: any */
  const char *workflow_id; /* NULL: any */
} RowsAre;

static gboolean
rows_are (gpointer data)
{
  RowsAre *want = data;
  guint    n = g_list_model_get_n_items (G_LIST_MODEL (runs ()));

  if (rl_record_list_get_loading (runs ()) || n == 0)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (runs ()), i);

      if ((want->status != 0 && rl_list_item_get_enum (item, "status") != want->status)
          || (want->workflow_id != NULL
              && g_strcmp0 (rl_list_item_get_string (item, "workflow-id"), want->workflow_id) != 0))
        return FALSE;
    }
  return TRUE;
}

/* The runs view's drop-downs in their order: status, workflow, time. */
static void
collect_dropdowns (GtkWidget *widget,
                   GPtrArray *out)
{
  if (GTK_IS_DROP_DOWN (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_dropdowns (c, out);
}

static GtkDropDown *
dropdown (guint index)
{
  GtkWidget *runs_child = adw_view_stack_get_child_by_name (
      ADW_VIEW_STACK (gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_type,
                                            GSIZE_TO_POINTER (ADW_TYPE_VIEW_STACK))),
      "runs");
  g_autoptr (GPtrArray) all = g_ptr_array_new ();

  collect_dropdowns (runs_child, all);
  g_assert_cmpuint (all->len, ==, 3);
  return GTK_DROP_DOWN (g_ptr_array_index (all, index));
}

static void
choose_workflow (const char *id)
{
  g_autoptr (JsonObject) wf = rl_store_get_record (rl_session_get_store (session), "workflow", id, NULL);
  GtkDropDown *dd = dropdown (1);
  GListModel  *model = gtk_drop_down_get_model (dd);

  g_assert_nonnull (wf);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i),
                   json_object_get_string_member (wf, "name"))
        == 0)
      {
        gtk_drop_down_set_selected (dd, i);
        return;
      }
  g_assert_not_reached ();
}

static AdwMessageDialog *
dialog_on_screen (void)
{
  return ADW_MESSAGE_DIALOG (gui_test_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL));
}

static gboolean
has_dialog (gpointer data)
{
  return dialog_on_screen () != NULL;
}

/* Clicks @label (untranslated; as the page shows it) in @root. */
static void
click (GtkWidget  *root,
       const char *label)
{
  GtkWidget *button = gui_test_find_widget (root, gui_test_is_button_labelled, (gpointer) _ (label));

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Confirms the dialog on screen: its heading is @heading, its button @label. */
static void
confirm (const char *heading,
         const char *label)
{
  AdwMessageDialog *dialog;

  g_assert_true (rl_test_wait_until (has_dialog, NULL, 10000));
  dialog = dialog_on_screen ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  click (GTK_WIDGET (dialog), label);
  g_assert_false (rl_test_wait_until (has_dialog, NULL, 200));
}

/* Whether a label or a cell (anywhere in @root) reads @text. */
static gboolean
is_label_text (GtkWidget *widget,
               gpointer   text)
{
  if (GTK_IS_INSCRIPTION (widget))
    return g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0;
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

typedef struct
{
  const char *id;
  int         status;
  gint64      attempt;
} RunIs;

static gboolean
run_is (gpointer data)
{
  RunIs *want = data;
  g_autoptr (JsonObject) run = rl_store_get_record (rl_session_get_store (session), "run", want->id, NULL);

  return run != NULL
         && rl_enum_from_wire (RL_TYPE_RUN_STATUS, json_object_get_string_member (run, "status"))
                == want->status
         && (want->attempt == 0 || json_object_get_int_member (run, "attempt") == want->attempt);
}

static gboolean
log_shown (gpointer detail)
{
  return rl_run_detail_get_n_log_lines (detail, NULL) > 0;
}

static gboolean
log_cached (gpointer detail)
{
  return rl_run_detail_get_n_log_lines (detail, NULL) >= 6000;
}

/* The newest run of @workflow_id in the list (the list is newest first). */
static char *
newest_run_of (const char *workflow_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (runs ()));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (runs ()), i);

      if (g_strcmp0 (rl_list_item_get_string (item, "workflow-id"), workflow_id) == 0)
        return g_strdup (rl_list_item_get_id (item));
    }
  return NULL;
}

/* Each of the devserver's five workflows has finished runs in the cache by now. */
static gboolean
rates_read (gpointer workflows)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (workflows));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (workflows), i);

      if (rl_list_item_get_int64 (item, "recent-runs") == 0)
        return FALSE;
    }
  return n == 5;
}

static gboolean
view_shown (gpointer name)
{
  AdwViewStack *views = ADW_VIEW_STACK (
      gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_type, GSIZE_TO_POINTER (ADW_TYPE_VIEW_STACK)));

  return g_strcmp0 (adw_view_stack_get_visible_child_name (views), name) == 0;
}

static GtkSelectionModel *kept_selection;
static char              *kept_id;
static guint              kept_n;

static gboolean
selection_kept (gpointer data)
{
  g_autoptr (GtkBitset) selected = gtk_selection_model_get_selection (kept_selection);
  g_autoptr (RlListItem) item = NULL;

  if (rl_record_list_get_loading (runs ()) || g_list_model_get_n_items (G_LIST_MODEL (runs ())) <= kept_n)
    return FALSE;
  g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (runs ()), gtk_bitset_get_nth (selected, 0));
  g_assert_cmpstr (rl_list_item_get_id (item), ==, kept_id);
  return TRUE;
}

static gboolean
is_offline (gpointer data)
{
  return rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE;
}

static gboolean
is_online_and_sent (gpointer data)
{
  return rl_session_get_state (session) == RL_SESSION_STATE_ONLINE && rl_session_get_pending_changes (session) == 0;
}

static gboolean
has_label (gpointer text)
{
  return gui_test_find_widget (GTK_WIDGET (page ()), is_label_text, text) != NULL;
}

static gboolean
list_loaded (gpointer list)
{
  return !rl_record_list_get_loading (list);
}

/* Runs of @workflow_id started by @trigger, in the cache. */
static guint
count_runs (const char *workflow_id,
            int         trigger)
{
  g_autoptr (RlRecordList) list = rl_record_list_new (rl_session_get_store (session), RL_LIST_KIND_RUNS);
  const char *ids[] = { workflow_id, NULL };
  guint       n = 0;

  rl_record_list_set_values (list, "workflow-id", ids);
  rl_test_run_main_loop (200); /* its load starts from an idle */
  g_assert_true (rl_test_wait_until (list_loaded, list, 10000));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      n += rl_list_item_get_enum (item, "trigger") == trigger;
    }
  return n;
}

static gboolean
more_manual_runs (gpointer before)
{
  return count_runs ("wf-0002", RL_RUN_TRIGGER_MANUAL) > GPOINTER_TO_UINT (before);
}

static void
test_activity_page (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *failed_id = NULL;
  g_autofree char *shot = NULL;
  GtkWindow       *detail;
  RowsAre          want = { 0 };
  RunIs            run = { 0 };

  server = rl_test_devserver_start (NULL, &error);
  g_assert_no_error (error);
  session = rl_session_new ();
  window = gui_test_signed_in_window (session, NULL, server->url, "support@demo.reloop.np", 1280, 800);

  /* Shown, the page watches every workflow's runs: they are fetched and listed. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page", g_variant_new_string ("activity"));
  g_assert_true (rl_test_wait_until (runs_of_all_workflows, NULL, 60000));
  /* The workflows' success rates count those runs: the workflow rows were
   * read before the runs came, and are read again as runs arrive. */
  g_assert_true (rl_test_wait_until (rates_read, rl_activity_page_get_workflows (page ()), 10000));

  /* The views from the keyboard (the switcher's mnemonics; the Nepali ones
   * are not on Xvfb's keymap). */
  if (g_str_equal (SHOT_LANG, "en"))
    {
      AdwViewStack *views = ADW_VIEW_STACK (
          gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_type, GSIZE_TO_POINTER (ADW_TYPE_VIEW_STACK)));

      g_assert_cmpstr (adw_view_stack_get_visible_child_name (views), ==, "runs");
      gui_test_press_key (GTK_WIDGET (window), GDK_KEY_w, GDK_ALT_MASK);
      g_assert_true (rl_test_wait_until (view_shown, (gpointer) "workflows", 5000));
      gui_test_press_key (GTK_WIDGET (window), GDK_KEY_s, GDK_ALT_MASK);
      g_assert_true (rl_test_wait_until (view_shown, (gpointer) "sync-jobs", 5000));
      gui_test_press_key (GTK_WIDGET (window), GDK_KEY_u, GDK_ALT_MASK);
      g_assert_true (rl_test_wait_until (view_shown, (gpointer) "runs", 5000));
    }

  /* By status, then by workflow too: the failed runs of wf-0004. */
  gtk_drop_down_set_selected (dropdown (0), 1); /* Failed */
  want.status = RL_RUN_STATUS_FAILED;
  g_assert_true (rl_test_wait_until (rows_are, &want, 30000));
  choose_workflow ("wf-0004");
  want.workflow_id = "wf-0004";
  g_assert_true (rl_test_wait_until (rows_are, &want, 30000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (runs ())), ==, 3);
  shot = g_strdup_printf ("activity-runs-%s.png", SHOT_LANG);
  gui_test_save_shot (GTK_WIDGET (window), shot);

  /* Its detail: the push failed here, the error edge ran alert-support. */
  {
    g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (runs ()), 0);

    failed_id = g_strdup (rl_list_item_get_id (item));
  }
  detail = rl_activity_page_open_run (page (), failed_id);
  gtk_window_set_default_size (detail, 960, 760);
  g_assert_nonnull (gui_test_find_widget (GTK_WIDGET (detail), is_label_text, (gpointer) _ ("Failed here")));
  g_assert_nonnull (gui_test_find_widget (GTK_WIDGET (detail), is_label_text, (gpointer) _ ("Error path")));
  g_assert_true (rl_test_wait_until (log_shown, detail, 30000));
  g_free (shot);
  shot = g_strdup_printf ("activity-run-detail-%s.png", SHOT_LANG);
  gui_test_save_shot (GTK_WIDGET (detail), shot);

  /* Retry: the run is queued as attempt 2, runs and succeeds (the devserver's
   * retries succeed); the open detail follows it. */
  click (GTK_WIDGET (detail), "_Retry…");
  {
    g_autofree char *heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Retry %u Failed Run?",
                                                             "Retry %u Failed Runs?", 1),
                                                1);

    confirm (heading, "_Retry");
  }
  run.id = failed_id;
  run.status = RL_RUN_STATUS_SUCCEEDED;
  run.attempt = 2;
  g_assert_true (rl_test_wait_until (run_is, &run, 90000));
  g_assert_null (gui_test_find_widget (GTK_WIDGET (detail), is_label_text, (gpointer) _ ("Failed here")));
  gtk_window_destroy (detail);

  /* The zombie run of wf-0001: running for hours; cancelled from the list. */
  gtk_drop_down_set_selected (dropdown (0), 2); /* Running */
  choose_workflow ("wf-0001");
  want.status = RL_RUN_STATUS_RUNNING;
  want.workflow_id = "wf-0001";
  g_assert_true (rl_test_wait_until (rows_are, &want, 30000));
  {
    g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (runs ()), 0);
    g_autoptr (JsonObject) wf = rl_store_get_record (rl_session_get_store (session), "workflow", "wf-0001", NULL);
    GtkWidget         *view = gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_type,
                                                    GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
    g_autofree char   *heading = NULL;
    g_autofree char   *zombie = g_strdup (rl_list_item_get_id (item));
    GtkSelectionModel *model;

    /* The first column view is the workflows'; the runs' is the second. */
    view = gui_test_find_widget (adw_view_stack_get_child_by_name (
                                     ADW_VIEW_STACK (gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_type,
                                                                           GSIZE_TO_POINTER (ADW_TYPE_VIEW_STACK))),
                                     "runs"),
                                 gui_test_is_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
    model = gtk_column_view_get_model (GTK_COLUMN_VIEW (view));
    gtk_selection_model_select_item (model, 0, TRUE);
    click (GTK_WIDGET (page ()), "_Cancel Run…");
    heading = g_strdup_printf (_ ("Cancel the Run of “%s”?"), json_object_get_string_member (wf, "name"));
    confirm (heading, "Cancel _Run");
    run.id = zombie;
    run.status = RL_RUN_STATUS_CANCELLED;
    run.attempt = 0;
    g_assert_true (rl_test_wait_until (run_is, &run, 30000));
  }

  /* The 6,000-line log of wf-0003's newest run: fetched once, then opened
   * from the cache; no escape is left. */
  gtk_drop_down_set_selected (dropdown (0), 0);
  gtk_drop_down_set_selected (dropdown (1), 0);
  want.status = 0;
  want.workflow_id = NULL;
  g_assert_true (rl_test_wait_until (runs_of_all_workflows, NULL, 30000));
  {
    g_autofree char *long_id = newest_run_of ("wf-0003");
    g_autofree char *text = NULL;
    gint64           start;
    guint            n_lines, n_shown = 0;

    g_assert_nonnull (long_id);
    detail = rl_activity_page_open_run (page (), long_id);
    g_assert_true (rl_test_wait_until (log_cached, detail, 60000));
    gtk_window_destroy (detail);

    start = g_get_monotonic_time ();
    detail = rl_activity_page_open_run (page (), long_id);
    gui_test_wait_painted (GTK_WIDGET (detail), 10000);
    g_test_message ("6,000-line log opened and painted in %.1f ms",
                    (g_get_monotonic_time () - start) / 1000.0);
    n_lines = rl_run_detail_get_n_log_lines (RL_RUN_DETAIL (detail), &n_shown);
    g_assert_cmpuint (n_lines, >=, 6000);
    g_assert_cmpuint (n_shown, ==, n_lines);
    text = rl_run_detail_get_log_text (RL_RUN_DETAIL (detail));
    g_assert_null (strchr (text, '\033'));
    g_assert_nonnull (strstr (text, "  info   "));
    gtk_window_destroy (detail);
  }

  /* A run selected in the full list stays selected while new runs come in
   * (the page never rebuilds the model; the list announces exact positions). */
  {
    GtkWidget *view = gui_test_find_widget (
        adw_view_stack_get_child_by_name (ADW_VIEW_STACK (gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_type,
                                                                                GSIZE_TO_POINTER (ADW_TYPE_VIEW_STACK))),
                                          "runs"),
        gui_test_is_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
    g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (runs ()), 3);

    kept_selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (view));
    kept_id = g_strdup (rl_list_item_get_id (item));
    kept_n = g_list_model_get_n_items (G_LIST_MODEL (runs ()));
    gtk_selection_model_select_item (kept_selection, 3, TRUE);
  }

  /* Workflows: triggers in words, success rates; Run Now names the
   * workflow, and its manual run is listed. */
  {
    AdwViewStack *views = ADW_VIEW_STACK (
        gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_type, GSIZE_TO_POINTER (ADW_TYPE_VIEW_STACK)));
    RlRecordList    *workflows = rl_activity_page_get_workflows (page ());
    GtkWidget       *view;
    g_autofree char *nightly = rl_cron_to_words ("0 2 * * *");
    g_autofree char *heading = NULL;
    guint            position = rl_record_list_find (workflows, "wf-0002");
    guint            before;

    adw_view_stack_set_visible_child_name (views, "workflows");
    if (g_str_equal (SHOT_LANG, "en"))
      g_assert_cmpstr (nightly, ==, "every day at 02:00");
    g_assert_true (rl_test_wait_until (has_label, nightly, 30000));
    /* Every workflow's success rate counts its cached runs (read again as
     * runs arrive, though no workflow row changed). */
    g_assert_true (rl_test_wait_until (rates_read, workflows, 30000));
    g_free (shot);
    shot = g_strdup_printf ("activity-workflows-%s.png", SHOT_LANG);
    gui_test_save_shot (GTK_WIDGET (window), shot);

    g_assert_cmpuint (position, !=, G_MAXUINT);
    view = gui_test_find_widget (adw_view_stack_get_child_by_name (views, "workflows"), gui_test_is_type,
                                 GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
    gtk_selection_model_select_item (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)), position, TRUE);
    before = count_runs ("wf-0002", RL_RUN_TRIGGER_MANUAL);
    click (GTK_WIDGET (page ()), "Run _Now…");
    heading = g_strdup_printf (_ ("Run “%s” Now?"), "Image classification");
    confirm (heading, "_Run Now");
    g_assert_true (rl_test_wait_until (more_manual_runs, GUINT_TO_POINTER (before), 30000));
  }

  /* The new run is in the list above it; the same run is still selected. */
  g_assert_true (rl_test_wait_until (selection_kept, NULL, 30000));

  /* Offline: the page says it reads the cache; a retry queues ("waiting
   * to sync") and the run shows queued at once; cancel is disabled with the
   * reason; back online the retry lands and the run succeeds. */
  {
    AdwViewStack *views = ADW_VIEW_STACK (
        gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_type, GSIZE_TO_POINTER (ADW_TYPE_VIEW_STACK)));
    GtkWidget       *view = gui_test_find_widget (adw_view_stack_get_child_by_name (views, "runs"), gui_test_is_type,
                                                  GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
    GtkWidget       *offline_label;
    GtkWidget       *cancel;
    g_autofree char *heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Retry %u Failed Run?",
                                                             "Retry %u Failed Runs?", 1),
                                                1);
    g_autofree char *queued_id = NULL;

    rl_test_devserver_stop (server);
    rl_session_pull_now (session);
    g_assert_true (rl_test_wait_until (is_offline, NULL, 60000));
    offline_label = gui_test_find_widget (GTK_WIDGET (page ()), is_label_text, (gpointer) _ ("Offline — read from the cache"));
    g_assert_nonnull (offline_label);
    g_assert_true (gtk_widget_is_visible (offline_label));

    adw_view_stack_set_visible_child_name (views, "runs");
    gtk_editable_set_text (GTK_EDITABLE (gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_type,
                                                               GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY))),
                           "");
    gtk_drop_down_set_selected (dropdown (0), 1); /* Failed */
    choose_workflow ("wf-0002");
    want.status = RL_RUN_STATUS_FAILED;
    want.workflow_id = "wf-0002";
    g_assert_true (rl_test_wait_until (rows_are, &want, 30000));
    {
      g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (runs ()), 0);

      queued_id = g_strdup (rl_list_item_get_id (item));
    }
    gtk_selection_model_select_item (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)), 0, TRUE);
    click (GTK_WIDGET (page ()), "_Retry Selected…");
    confirm (heading, "_Retry");
    run.id = queued_id;
    run.status = RL_RUN_STATUS_QUEUED;
    run.attempt = 0;
    g_assert_true (rl_test_wait_until (run_is, &run, 10000));
    g_assert_cmpint (rl_session_get_pending_changes (session), ==, 1);

    gtk_drop_down_set_selected (dropdown (0), 3); /* Queued */
    want.status = RL_RUN_STATUS_QUEUED;
    g_assert_true (rl_test_wait_until (rows_are, &want, 30000));
    gtk_selection_model_select_item (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)), 0, TRUE);
    cancel = gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_button_labelled, (gpointer) _ ("_Cancel Run…"));
    g_assert_nonnull (cancel);
    g_assert_false (gtk_widget_get_sensitive (cancel));
    g_assert_cmpstr (gtk_widget_get_tooltip_text (cancel), ==,
                     _ ("A run cannot be cancelled while offline: the cancel would arrive after the run "
                        "ended"));
    g_free (shot);
    shot = g_strdup_printf ("activity-runs-offline-%s.png", SHOT_LANG);
    gui_test_save_shot (GTK_WIDGET (window), shot);

    g_assert_true (rl_test_devserver_restart (server, &error));
    g_assert_no_error (error);
    g_assert_true (rl_test_wait_until (is_online_and_sent, NULL, 90000));
    run.status = RL_RUN_STATUS_SUCCEEDED;
    run.attempt = 2;
    g_assert_true (rl_test_wait_until (run_is, &run, 90000));
  }

  g_clear_pointer (&kept_id, g_free);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
  g_clear_pointer (&server, rl_test_devserver_free);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp_home = NULL;
  int              status;

  gui_test_prepare_env ();
  gui_test_set_language (SHOT_LANG);
  tmp_home = gui_test_private_user_dirs ("rl-activity-page-XXXXXX");
  gui_test_init_gtk (&argc, &argv);

  g_test_add_func ("/gui/activity-page", test_activity_page);

  status = g_test_run ();
  rl_test_rm_rf (tmp_home);
  return status;
}
