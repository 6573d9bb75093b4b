/* test-sync-jobs-view.c — the sync jobs view in a window of its own, signed in
 * to a devserver as support: the jobs with their words, pause and resume
 * (seen on the server and in the row), run now, a sync-log row's payloads
 * (pretty JSON, Copy), the log filtered by status, a pause offline ("waiting
 * to sync", sent on reconnect), Edit… (the server has the new strategy) and
 * an edit that meets someone else's on the server (409: "Changed on the
 * Server", re-applied). Screenshots <build root>/screenshots/
 * activity-sync-jobs-LANG.png and activity-sync-log-LANG.png.
 *
 * Built twice: SHOT_LANG "en" (everything) and "ne" (the screenshots and
 * what does not depend on words).
 *
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
#include "rl-core-enums.h"
#include "rl-sync-engine.h"
#include "rl-sync-jobs-view-private.h"
#include "rl-test-util.h"
#include "rl-time.h"

#ifndef SHOT_LANG
#define SHOT_LANG "en"
#endif

#define SUPPORT "support@demo.reloop.np"

static RlSession       *session;
static RlTestDevserver *server;
static RlSyncJobsView  *view;
static GtkWidget       *window;
static char            *token;
static char            *shown_page;

static gboolean
english (void)
{
  return g_str_equal (SHOT_LANG, "en");
}

/* ---- The server ------------------------------------------------------------------------------- */

static JsonObject *
server_job (const char *id)
{
  g_autofree char *path = g_strconcat ("/sync/jobs/", id, NULL);

  return gui_test_server_get (server, token, path);
}

typedef struct
{
  const char *id;
  const char *member;
  const char *value;
} ServerIs;

static gboolean
server_is (gpointer data)
{
  ServerIs *is = data;
  g_autoptr (JsonObject) job = server_job (is->id);

  return g_strcmp0 (json_object_get_string_member_with_default (job, is->member, NULL), is->value) == 0;
}

/* ---- The view ---------------------------------------------------------------------------------- */

static gboolean
is_label_text (GtkWidget *widget,
               gpointer   text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
         && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static guint
count_labels (GtkWidget  *root,
              const char *text)
{
  guint n = is_label_text (root, (gpointer) text) ? 1 : 0;

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_labels (c, text);
  return n;
}

static gboolean
jobs_listed (gpointer data)
{
  return !rl_record_list_get_loading (view->jobs)
         && g_list_model_get_n_items (G_LIST_MODEL (view->jobs)) == GPOINTER_TO_UINT (data)
         && gui_test_laid_out (view->jobs_view);
}

static void
select_job (const char *id)
{
  guint position = rl_record_list_find (view->jobs, id);

  g_assert_cmpuint (position, !=, G_MAXUINT);
  gtk_single_selection_set_selected (view->job_selection, position);
  g_assert_cmpstr (view->job_id, ==, id);
}

static RlListItem *
job_item (const char *id)
{
  guint position = rl_record_list_find (view->jobs, id);

  if (position == G_MAXUINT)
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (view->jobs), position);
}

typedef struct
{
  const char     *id;
  RlSyncJobStatus status;
  gboolean        waiting;
} RowIs;

/* The job's row shows @status (and "waiting to sync" or not). */
static gboolean
row_is (gpointer data)
{
  RowIs *is = data;
  g_autoptr (RlListItem) item = job_item (is->id);

  return item != NULL && rl_list_item_get_enum (item, "status") == (int) is->status
         && rl_list_item_get_boolean (item, "waiting") == is->waiting;
}

static void
click (GtkButton *button)
{
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
log_listed (gpointer data)
{
  return !rl_record_list_get_loading (view->log) && g_list_model_get_n_items (G_LIST_MODEL (view->log)) > 0
         && g_strcmp0 (gtk_stack_get_visible_child_name (view->log_stack), "list") == 0;
}

/* Every row of the log belongs to @data's job, newest first. */
static void
assert_log_of (const char *job_id)
{
  guint  n = g_list_model_get_n_items (G_LIST_MODEL (view->log));
  gint64 previous = G_MAXINT64;

  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlListItem) row = g_list_model_get_item (G_LIST_MODEL (view->log), i);

      g_assert_cmpstr (rl_list_item_get_string (row, "job-id"), ==, job_id);
      g_assert_cmpint (rl_list_item_get_int64 (row, "created"), <=, previous);
      previous = rl_list_item_get_int64 (row, "created");
    }
}

static gboolean
only_failures (gpointer data)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (view->log));

  if (rl_record_list_get_loading (view->log) || n == 0 || n >= GPOINTER_TO_UINT (data))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlListItem) row = g_list_model_get_item (G_LIST_MODEL (view->log), i);

      if (rl_list_item_get_enum (row, "status") != RL_SYNC_LOG_STATUS_FAILURE)
        return FALSE;
    }
  return TRUE;
}

static GtkWindow *
other_window (GType type)
{
  return gui_test_toplevel (type, GTK_WIDGET (window));
}

static gboolean
has_window (gpointer type)
{
  return other_window (GPOINTER_TO_SIZE (type)) != NULL;
}

static gboolean
no_window (gpointer type)
{
  return other_window (GPOINTER_TO_SIZE (type)) == NULL;
}

static gboolean
is_text_view (GtkWidget *widget,
              gpointer   data)
{
  return GTK_IS_TEXT_VIEW (widget);
}

static gboolean
is_tooltip (GtkWidget *widget,
            gpointer   text)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0;
}

static gboolean
session_online (gpointer data)
{
  return rl_session_get_state (session) == RL_SESSION_STATE_ONLINE && rl_session_get_pending_changes (session) == 0;
}

static gboolean
session_offline (gpointer data)
{
  return rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE;
}

static gboolean
jobs_cached (gpointer data)
{
  return rl_session_get_state (session) == RL_SESSION_STATE_ONLINE && rl_session_get_store (session) != NULL
         && rl_store_count (rl_session_get_store (session), "sync_job") == 5;
}

/* A lag sparkline with a line (two values or more) for every job. */
static gboolean
lag_seen_twice (gpointer data)
{
  GHashTableIter iter;
  gpointer       values;
  guint          n = 0;

  g_hash_table_iter_init (&iter, view->lag_history);
  while (g_hash_table_iter_next (&iter, NULL, &values))
    if (((GArray *) values)->len >= 3)
      n++;
  return n >= 2;
}

static void
show_page_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  g_free (shown_page);
  shown_page = g_variant_dup_string (parameter, NULL);
}

/* The application's style sheet (AdwApplication loads it in the app). */
static void
load_style (void)
{
  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (css, "/org/reloop/Console/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
open_window (void)
{
  static const GActionEntry entries[] = { { "show-page", show_page_activated, "s" } };
  g_autoptr (GSimpleActionGroup) actions = g_simple_action_group_new ();
  g_autoptr (GError) error = NULL;
  GAsyncResult *result = NULL;

  server = rl_test_devserver_start (NULL, &error);
  g_assert_no_error (error);
  token = rl_test_login (server, SUPPORT);
  session = rl_session_new ();
  rl_session_set_probe_interval (session, 500);
  rl_session_sign_in_async (session, server->url, SUPPORT, "reloop-demo", NULL, rl_test_store_result_cb, &result);
  rl_test_wait_result (&result, 60000);
  g_assert_true (rl_session_sign_in_finish (session, result, &error));
  g_assert_no_error (error);
  g_object_unref (result);
  g_assert_true (rl_test_wait_until (jobs_cached, NULL, 60000));
  /* The devserver's jobs drift every few seconds: pull often to see it. */
  rl_session_set_pull_interval (session, 2);

  load_style ();
  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "Sync Jobs");
  gtk_window_set_default_size (GTK_WINDOW (window), 1360, 860);
  g_action_map_add_action_entries (G_ACTION_MAP (actions), entries, G_N_ELEMENTS (entries), NULL);
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (actions));
  view = g_object_new (RL_TYPE_SYNC_JOBS_VIEW, "session", session, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (rl_test_wait_until (jobs_listed, GUINT_TO_POINTER (5), 30000));
}

static void
close_window (void)
{
  gui_test_destroy_and_wait (GTK_WINDOW (window), view, 10000);
  g_clear_object (&session);
  g_clear_pointer (&server, rl_test_devserver_free);
  g_clear_pointer (&token, g_free);
  g_clear_pointer (&shown_page, g_free);
}

/* ---- The scenario ------------------------------------------------------------------------------- */

static void
check_words (void)
{
  static const char *const words[] = {
    "Drop points → municipal ERP",
    "reloop-postgres → kmc-erp",
    "Scheduled",
    "Every 15 minutes",
    "Event-driven",
    "When records change",
    "Real-time",
    "Continuously",
    "Every hour",
    "Idle",
    "Failed",
    "Paused",
    "Newest change wins",
    "Target wins",
    "Source wins",
    "Resolved by people",
    "Merge fields",
  };
  GtkWidget *jobs = GTK_WIDGET (view->jobs_view);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (count_labels (jobs, words[i]) == 0)
      g_error ("the jobs do not say “%s”", words[i]);
}

static void
pause_and_resume (const char *id)
{
  RowIs    paused = { id, RL_SYNC_JOB_STATUS_PAUSED, FALSE };
  RowIs    idle = { id, RL_SYNC_JOB_STATUS_IDLE, FALSE };
  ServerIs on_server = { id, "status", "paused" };
  guint    paused_words = count_labels (GTK_WIDGET (view->jobs_view), "Paused");

  select_job (id);
  click (view->pause_button);
  g_assert_true (rl_test_wait_until (server_is, &on_server, 30000));
  g_assert_true (rl_test_wait_until (row_is, &paused, 30000));
  g_assert_true (rl_test_wait_until (session_online, NULL, 30000));
  /* Paused: Resume in Pause's place, Run Now disabled. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (view->pause_button)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (view->run_button)));
  if (english ())
    g_assert_cmpuint (count_labels (GTK_WIDGET (view->jobs_view), "Paused"), ==, paused_words + 1);

  click (view->resume_button);
  on_server.value = "idle";
  g_assert_true (rl_test_wait_until (server_is, &on_server, 30000));
  g_assert_true (rl_test_wait_until (row_is, &idle, 30000));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (view->pause_button)));
}

/* The newest row of the log shown is from *@data (ms) or later. */
static gboolean
log_has_since (gpointer data)
{
  g_autoptr (RlListItem) row = NULL;

  if (rl_record_list_get_loading (view->log) || g_list_model_get_n_items (G_LIST_MODEL (view->log)) == 0)
    return FALSE;
  row = g_list_model_get_item (G_LIST_MODEL (view->log), 0);
  return rl_list_item_get_int64 (row, "created") >= *(gint64 *) data;
}

static void
run_now (const char *id)
{
  g_autoptr (JsonObject) before = server_job (id);
  gint64 before_ms = 0, after_ms = 0;
  g_autoptr (JsonObject) after = NULL;
  ServerIs running = { id, "status", "idle" };

  select_job (id);
  g_assert_true (rl_test_wait_until (log_listed, NULL, 30000));
  click (view->run_button);
  /* The server ran it (status running, then idle again with a new run time). */
  g_assert_true (rl_test_wait_until (session_online, NULL, 30000));
  g_assert_true (rl_test_wait_until (server_is, &running, 30000));
  after = server_job (id);
  g_assert_true (rl_time_parse_ms (json_object_get_string_member (before, "lastRunAt"), &before_ms));
  g_assert_true (rl_time_parse_ms (json_object_get_string_member (after, "lastRunAt"), &after_ms));
  g_assert_cmpint (after_ms, >, before_ms);
  /* The run's rows reach the log on screen (the view watches it). */
  g_assert_true (rl_test_wait_until (log_has_since, &after_ms, 40000));
}

static void
open_payloads (void)
{
  GtkWindow       *payloads;
  GtkWidget       *text_view, *copy;
  GtkTextIter      start, end;
  g_autofree char *text = NULL;
  g_autoptr (RlListItem) row = NULL;
  GAsyncResult    *result = NULL;
  g_autofree char *copied = NULL;

  g_assert_true (rl_test_wait_until (log_listed, NULL, 30000));
  assert_log_of (view->job_id);
  row = g_list_model_get_item (G_LIST_MODEL (view->log), 0);
  gtk_single_selection_set_selected (view->log_selection, 0);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (view->payload_button)));
  g_signal_emit_by_name (view->log_view, "activate", 0);
  g_assert_true (rl_test_wait_until (has_window, GSIZE_TO_POINTER (ADW_TYPE_WINDOW), 10000));
  payloads = other_window (ADW_TYPE_WINDOW);

  /* The request, pretty-printed: one member a line, indented. */
  text_view = gui_test_find_widget (GTK_WIDGET (payloads), is_text_view, NULL);
  g_assert_nonnull (text_view);
  g_assert_true (gtk_text_view_get_monospace (GTK_TEXT_VIEW (text_view)));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (text_view)));
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view)), &start, &end);
  text = gtk_text_buffer_get_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view)), &start, &end, FALSE);
  g_assert_true (g_str_has_prefix (text, "{\n  \""));
  g_assert_nonnull (strstr (text, rl_list_item_get_string (row, "record-ref")));
  g_assert_nonnull (strstr (text, "\n  \"fields\" : {\n    \""));

  if (english ())
    {
      copy = gui_test_find_widget (GTK_WIDGET (payloads), is_tooltip, (gpointer) "Copy Request");
      g_assert_nonnull (copy);
      g_signal_emit_by_name (copy, "clicked");
      gdk_clipboard_read_text_async (gtk_widget_get_clipboard (copy), NULL, rl_test_store_result_cb, &result);
      rl_test_wait_result (&result, 10000);
      copied = gdk_clipboard_read_text_finish (gtk_widget_get_clipboard (copy), result, NULL);
      g_object_unref (result);
      g_assert_cmpstr (copied, ==, text);
    }
  {
    g_autofree char *shot = g_strdup_printf ("activity-sync-payload-%s.png", SHOT_LANG);

    gui_test_save_shot (GTK_WIDGET (payloads), shot);
  }
  gtk_window_close (payloads);
  g_assert_true (rl_test_wait_until (no_window, GSIZE_TO_POINTER (ADW_TYPE_WINDOW), 10000));
}

static gboolean
window_active (gpointer data)
{
  return gtk_window_is_active (GTK_WINDOW (window));
}

/* From the keyboard, real key presses: Ctrl+F reaches the record search,
 * Alt+A (Payloads…) opens the selected row's payloads, Escape closes them. */
static void
payloads_by_keyboard (void)
{
  g_assert_true (rl_test_wait_until (log_listed, NULL, 30000));
  /* The payload window had the focus: no window manager gives it back. */
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (rl_test_wait_until (window_active, NULL, 10000));
  gtk_widget_grab_focus (GTK_WIDGET (view->jobs_view));
  gui_test_press_key (window, GDK_KEY_f, GDK_CONTROL_MASK);
  g_assert_true (gtk_widget_is_focus (GTK_WIDGET (view->record_entry))
                 || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), GTK_WIDGET (view->record_entry)));
  gui_test_press_key (window, GDK_KEY_a, GDK_ALT_MASK);
  g_assert_true (rl_test_wait_until (has_window, GSIZE_TO_POINTER (ADW_TYPE_WINDOW), 10000));
  g_assert_true (rl_test_wait_until (gui_test_laid_out, other_window (ADW_TYPE_WINDOW), 10000));
  gui_test_press_key (GTK_WIDGET (other_window (ADW_TYPE_WINDOW)), GDK_KEY_Escape, 0);
  g_assert_true (rl_test_wait_until (no_window, GSIZE_TO_POINTER (ADW_TYPE_WINDOW), 10000));
}

static void
filter_failures (void)
{
  guint all;

  /* A job with failed records has failed log rows. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (view->jobs)); i++)
    {
      g_autoptr (RlListItem) job = g_list_model_get_item (G_LIST_MODEL (view->jobs), i);

      if (rl_list_item_get_int64 (job, "records-failed") > 0)
        {
          select_job (rl_list_item_get_id (job));
          break;
        }
    }
  g_assert_true (rl_test_wait_until (log_listed, NULL, 30000));
  all = g_list_model_get_n_items (G_LIST_MODEL (view->log));
  gtk_drop_down_set_selected (view->status_dropdown, 2); /* Failed */
  g_assert_true (rl_test_wait_until (only_failures, GUINT_TO_POINTER (all), 30000));
  assert_log_of (view->job_id);
  gtk_single_selection_set_selected (view->log_selection, 0);
  {
    g_autofree char *shot = g_strdup_printf ("activity-sync-log-%s.png", SHOT_LANG);

    gui_test_save_shot (window, shot);
  }
  gtk_drop_down_set_selected (view->status_dropdown, 0);
}

static void
pause_offline (const char *id)
{
  g_autoptr (GError) error = NULL;
  RowIs    waiting = { id, RL_SYNC_JOB_STATUS_PAUSED, TRUE };
  RowIs    sent = { id, RL_SYNC_JOB_STATUS_PAUSED, FALSE };
  ServerIs on_server = { id, "status", "paused" };

  rl_test_devserver_stop (server);
  rl_session_pull_now (session);
  g_assert_true (rl_test_wait_until (session_offline, NULL, 60000));
  g_assert_true (gtk_revealer_get_reveal_child (view->offline_revealer));
  select_job (id);
  click (view->pause_button);
  g_assert_true (rl_test_wait_until (row_is, &waiting, 10000));
  if (english ())
    g_assert_cmpuint (count_labels (GTK_WIDGET (view->jobs_view), "Waiting to sync"), ==, 1);
  {
    g_autofree char *shot = g_strdup_printf ("activity-sync-jobs-offline-%s.png", SHOT_LANG);

    gui_test_save_shot (window, shot);
  }
  g_assert_true (rl_test_devserver_restart (server, &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait_until (session_online, NULL, 90000));
  g_assert_true (rl_test_wait_until (server_is, &on_server, 30000));
  g_assert_true (rl_test_wait_until (row_is, &sent, 30000));
  g_assert_false (gtk_revealer_get_reveal_child (view->offline_revealer));
  click (view->resume_button);
  on_server.value = "idle";
  g_assert_true (rl_test_wait_until (server_is, &on_server, 30000));
}

static AdwMessageDialog *
message_dialog (void)
{
  g_assert_true (rl_test_wait_until (has_window, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 10000));
  return ADW_MESSAGE_DIALOG (other_window (ADW_TYPE_MESSAGE_DIALOG));
}

static gboolean
is_drop_down (GtkWidget *widget,
              gpointer   data)
{
  return GTK_IS_DROP_DOWN (widget);
}

/* Edit…: strategy row @strategy (the dialog's order), Save. */
static void
edit_strategy (const char *id,
               guint       strategy,
               const char *shot)
{
  AdwMessageDialog *dialog;
  GtkWidget        *drop_down;

  select_job (id);
  click (view->edit_button);
  dialog = message_dialog ();
  drop_down = gui_test_find_widget (adw_message_dialog_get_extra_child (dialog), is_drop_down, NULL);
  g_assert_nonnull (drop_down);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), strategy);
  if (shot != NULL)
    gui_test_save_shot (GTK_WIDGET (dialog), shot);
  click (GTK_BUTTON (gui_test_find_widget (GTK_WIDGET (dialog), gui_test_is_button_labelled, (gpointer) "_Save")));
  g_assert_true (rl_test_wait_until (no_window, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 10000));
}

/* The cache has the job's strategy manual, and nothing of it waits. */
static gboolean
row_manual (gpointer id)
{
  g_autoptr (RlListItem) item = job_item (id);

  return item != NULL && rl_list_item_get_enum (item, "conflict-strategy") == RL_CONFLICT_STRATEGY_MANUAL
         && !rl_list_item_get_boolean (item, "waiting");
}

static gboolean
conflicts_button_shown (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (view->conflicts_button));
}

static void
edit_and_conflict (const char *id)
{
  ServerIs on_server = { id, "conflictStrategy", "merge" };
  g_autoptr (JsonObject) job = NULL;
  g_autofree char  *url = g_strdup_printf ("%s/sync/jobs/%s", server->api_url, id);
  g_autofree char  *auth = g_strdup_printf ("Bearer %s", token);
  g_autofree char  *version = NULL;
  AdwMessageDialog *dialog;
  guint             status = 0;

  /* Edit…: Merge fields; the server has it. */
  edit_strategy (id, 3, "activity-sync-edit-en.png");
  g_assert_true (rl_test_wait_until (server_is, &on_server, 30000));
  g_assert_true (rl_test_wait_until (session_online, NULL, 30000));

  /* Someone else sets "remote_wins" on the server; this console does not
   * pull it before its own edit ("manual"): 409, the same field. */
  rl_session_set_pull_interval (session, 0);
  rl_test_run_main_loop (2500); /* a pull under way ends */
  job = server_job (id);
  version = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (job, "version"));
  {
    const char *headers[] = { "Authorization", auth, "If-Match", version, NULL };
    g_autoptr (JsonNode) body =
        rl_test_http ("PATCH", url, "{\"conflictStrategy\":\"remote_wins\"}", headers, &status);

    g_assert_cmpuint (status, ==, 200);
  }
  edit_strategy (id, 4, NULL); /* Resolved by people */
  dialog = message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Changed on the Server");
  gui_test_save_shot (GTK_WIDGET (dialog), "activity-sync-conflict-en.png");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "Conflict strategy: Resolved by people here, Target wins on the server"));
  click (GTK_BUTTON (
      gui_test_find_widget (GTK_WIDGET (dialog), gui_test_is_button_labelled, (gpointer) "_Re-apply Mine")));
  on_server.value = "manual";
  g_assert_true (rl_test_wait_until (server_is, &on_server, 30000));
  rl_session_set_pull_interval (session, 2);

  /* A manual job leads to its conflicts. */
  select_job (id);
  g_assert_true (rl_test_wait_until (row_manual, (gpointer) id, 30000));
  g_assert_true (rl_test_wait_until (conflicts_button_shown, NULL, 10000));
  click (view->conflicts_button);
  g_assert_cmpstr (shown_page, ==, "conflicts");
}

static void
test_sync_jobs_view (void)
{
  open_window ();
  if (english ())
    check_words ();

  pause_and_resume ("sj-0001");
  run_now ("sj-0001");
  open_payloads ();
  if (english ())
    payloads_by_keyboard ();

  /* The lag of the jobs, as the view saw it move. */
  g_assert_true (rl_test_wait_until (lag_seen_twice, NULL, 90000));
  select_job ("sj-0001");
  {
    g_autofree char *shot = g_strdup_printf ("activity-sync-jobs-%s.png", SHOT_LANG);

    gui_test_save_shot (window, shot);
  }
  filter_failures ();
  if (english ())
    {
      pause_offline ("sj-0002");
      edit_and_conflict ("sj-0003");
    }
  close_window ();
}

/* Without a session (signed out): the empty state, no log, no action. */
static void
test_no_session (void)
{
  GtkWidget      *w = gtk_window_new ();
  RlSyncJobsView *v = g_object_new (RL_TYPE_SYNC_JOBS_VIEW, NULL);

  gtk_window_set_default_size (GTK_WINDOW (w), 1000, 700);
  gtk_window_set_child (GTK_WINDOW (w), GTK_WIDGET (v));
  gtk_window_present (GTK_WINDOW (w));
  g_assert_true (rl_test_wait_until (gui_test_laid_out, v, 20000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (v->stack), ==, "empty");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (v->log)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (v->log_stack), ==, "empty");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (v->run_button)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (v->pause_button)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (v->edit_button)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (v->conflicts_button)));
  g_assert_false (gtk_revealer_get_reveal_child (v->offline_revealer));
  if (english ())
    g_assert_cmpstr (adw_status_page_get_title (v->log_empty_page), ==, "No Job Selected");
  gui_test_destroy_and_wait (GTK_WINDOW (w), v, 10000);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp_home = NULL;
  int              status;

  gui_test_prepare_env ();
  gui_test_set_language (SHOT_LANG);
  tmp_home = gui_test_private_user_dirs ("rl-sync-jobs-view-XXXXXX");
  gui_test_init_gtk (&argc, &argv);

  g_test_add_func ("/gui/sync-jobs-view/no-session", test_no_session);
  g_test_add_func ("/gui/sync-jobs-view", test_sync_jobs_view);

  status = g_test_run ();
  rl_test_rm_rf (tmp_home);
  return status;
}
