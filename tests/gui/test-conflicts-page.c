/* test-conflicts-page.c — the Conflicts page in a signed-in window against a
 * devserver: the list, the badge, one conflict resolved field by field through
 * the outbox (the server holds the resolution), several selected, the history;
 * and the header when the server goes away. Screenshots in
 * <build root>/screenshots: conflicts-page.png, conflicts-many.png,
 * header-offline.png, status-popover-offline.png.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "gui-test-common.h"
#include "gui-test-find.h"
#include "gui-test-window.h"
#include "rl-conflicts-page.h"
#include "rl-core-enums.h"
#include "rl-edits.h"
#include "rl-list-item.h"
#include "rl-merge.h"
#include "rl-status-indicator.h"
#include "rl-sync-engine.h"
#include "rl-test-util.h"
#include "rl-window.h"

static RlWindow        *window;
static RlSession       *session;
static RlTestDevserver *server;

static gboolean
is_visible_label_with (GtkWidget *widget,
                       gpointer   text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget)
         && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static RlConflictsPage *
page (void)
{
  AdwViewStack *stack = rl_window_get_view_stack (window);

  return RL_CONFLICTS_PAGE (adw_view_stack_get_child_by_name (stack, "conflicts"));
}

static GtkSelectionModel *
selection (void)
{
  GtkWidget *view = gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_type,
                                          GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));

  g_assert_nonnull (view);
  return gtk_column_view_get_model (GTK_COLUMN_VIEW (view));
}

static gboolean
list_loaded (gpointer data)
{
  RlRecordList *list = rl_conflicts_page_get_list (page ());

  return !rl_record_list_get_loading (list)
         && g_list_model_get_n_items (G_LIST_MODEL (list)) == GPOINTER_TO_UINT (data);
}

static const char *
detail_shown (void)
{
  GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (rl_conflicts_page_get_view (page ())));

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static gboolean
conflict_shown (gpointer id)
{
  JsonObject *shown = rl_conflict_view_get_conflict (rl_conflicts_page_get_view (page ()));

  return g_strcmp0 (detail_shown (), "conflict") == 0 && shown != NULL
         && g_strcmp0 (json_object_get_string_member (shown, "id"), id) == 0;
}

static gboolean
many_shown (gpointer data)
{
  return g_strcmp0 (detail_shown (), "many") == 0;
}

static guint
badge (void)
{
  AdwViewStack *stack = rl_window_get_view_stack (window);

  return adw_view_stack_page_get_badge_number (
      adw_view_stack_get_page (stack, GTK_WIDGET (page ())));
}

static gboolean
badge_is (gpointer n)
{
  return badge () == GPOINTER_TO_UINT (n) && rl_session_get_open_conflicts (session) == GPOINTER_TO_UINT (n);
}

typedef struct
{
  const char *id;
  const char *token;
  JsonObject *found; /* owned */
} ServerConflict;

/* The server's copy of a conflict, once resolved. */
static gboolean
resolved_on_server (gpointer data)
{
  ServerConflict  *c = data;
  g_autofree char *url = g_strdup_printf ("%s/conflicts?status=resolved", server->api_url);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", c->token);
  const char      *headers[] = { "Authorization", auth, NULL };
  g_autoptr (JsonNode) body = NULL;
  JsonArray *data_array;
  guint      status = 0;

  body = rl_test_http ("GET", url, NULL, headers, &status);
  g_assert_cmpuint (status, ==, 200);
  data_array = json_object_get_array_member (json_node_get_object (body), "data");
  for (guint i = 0; i < json_array_get_length (data_array); i++)
    {
      JsonObject *o = json_array_get_object_element (data_array, i);

      if (g_str_equal (json_object_get_string_member (o, "id"), c->id))
        {
          c->found = json_object_ref (o);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
summary_has (gpointer indicator)
{
  return strstr (rl_status_indicator_get_summary (indicator), "1 change waiting") != NULL;
}

/* The popover's list of unsent changes shows the edit of dp-000010. */
static gboolean
popover_lists_edit (gpointer popover)
{
  return gui_test_find_widget (popover, is_visible_label_with, (gpointer) "dp-000010") != NULL;
}

static gboolean
offline (gpointer data)
{
  return rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE;
}

static void
test_conflicts_page (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *first_id = NULL;
  AdwViewStack    *stack;
  RlConflictView  *view;
  guint            n_open;
  ServerConflict   c = { 0 };

  server = rl_test_devserver_start (NULL, &error);
  g_assert_no_error (error);
  token = rl_test_login (server, "admin@demo.reloop.np");

  session = rl_session_new ();
  window = gui_test_signed_in_window (session, NULL, server->url, "admin@demo.reloop.np", 1280, 800);

  stack = rl_window_get_view_stack (window);
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("conflicts"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "conflicts");

  /* The seeded open conflicts: the list (status Open), the badge and the
   * session agree. */
  n_open = rl_session_get_open_conflicts (session);
  g_assert_cmpuint (n_open, >, 1);
  g_assert_true (rl_test_wait_until (list_loaded, GUINT_TO_POINTER (n_open), 30000));
  g_assert_cmpuint (badge (), ==, n_open);
  g_assert_cmpstr (detail_shown (), ==, "none");

  /* One selected: its fields. */
  {
    RlListItem *item = g_list_model_get_item (G_LIST_MODEL (selection ()), 0);

    first_id = g_strdup (rl_list_item_get_id (item));
    g_object_unref (item);
  }
  gtk_selection_model_select_item (selection (), 0, TRUE);
  g_assert_true (rl_test_wait_until (conflict_shown, first_id, 20000));
  view = rl_conflicts_page_get_view (page ());
  g_assert_cmpuint (rl_conflict_view_get_n_conflicts (view), >, 0);
  g_assert_false (rl_conflict_view_get_can_resolve (view));
  gui_test_save_shot (GTK_WIDGET (window), "conflicts-page.png");

  /* Several: keep one side for all of them. */
  gtk_selection_model_select_range (selection (), 0, 3, TRUE);
  g_assert_true (rl_test_wait_until (many_shown, NULL, 10000));
  g_assert_nonnull (gui_test_find_widget (GTK_WIDGET (page ()), is_visible_label_with, (gpointer) "3 Conflicts Selected"));
  gui_test_save_shot (GTK_WIDGET (window), "conflicts-many.png");

  /* Back to the first; keep theirs, with a comment; Resolve. */
  gtk_selection_model_select_item (selection (), 0, TRUE);
  g_assert_true (rl_test_wait_until (conflict_shown, first_id, 20000));
  rl_conflict_view_pick_all (view, RL_MERGE_PICK_THEIRS);
  g_assert_true (rl_conflict_view_get_can_resolve (view));
  {
    GtkWidget *row = gui_test_find_widget (GTK_WIDGET (view), gui_test_is_type, GSIZE_TO_POINTER (ADW_TYPE_ENTRY_ROW));
    GtkWidget *button = gui_test_find_widget (GTK_WIDGET (view), gui_test_is_button_labelled, (gpointer) "_Resolve");

    g_assert_nonnull (row);
    gtk_editable_set_text (GTK_EDITABLE (row), "Checked with the district office");
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
  }

  /* Sent through the outbox: the server holds it, as this user, theirs kept. */
  c.id = first_id;
  c.token = token;
  g_assert_true (rl_test_wait_until (resolved_on_server, &c, 30000));
  {
    JsonObject *resolution = json_object_get_object_member (c.found, "resolution");

    g_assert_cmpstr (json_object_get_string_member (resolution, "strategy"), ==, "remote_wins");
    g_assert_cmpstr (json_object_get_string_member (resolution, "comment"), ==,
                     "Checked with the district office");
    g_assert_cmpstr (json_object_get_string_member (resolution, "resolvedBy"), ==,
                     "admin@demo.reloop.np");
  }
  g_clear_pointer (&c.found, json_object_unref);

  /* The cache follows: one fewer open, in the list, the badge, the session. */
  g_assert_true (rl_test_wait_until (badge_is, GUINT_TO_POINTER (n_open - 1), 30000));
  g_assert_true (rl_test_wait_until (list_loaded, GUINT_TO_POINTER (n_open - 1), 30000));

  /* The header when the server goes away: Offline, what waits, the conflicts. */
  rl_test_devserver_stop (server);
  rl_session_pull_now (session);
  g_assert_true (rl_test_wait_until (offline, NULL, 60000));
  {
    GtkWidget       *indicator = gui_test_find_widget (GTK_WIDGET (window), gui_test_is_type,
                                                       GSIZE_TO_POINTER (RL_TYPE_STATUS_INDICATOR));
    const char      *summary;
    g_autofree char *conflicts = g_strdup_printf ("%u conflicts", n_open - 1);

    g_assert_nonnull (indicator);
    summary = rl_status_indicator_get_summary (RL_STATUS_INDICATOR (indicator));
    g_assert_true (g_str_has_prefix (summary, "Offline"));
    g_assert_nonnull (strstr (summary, conflicts));
    /* An edit made offline waits, in the header and in its popover. */
    {
      g_autoptr (JsonObject) changes = json_object_new ();
      g_autoptr (GError) edit_error = NULL;

      json_object_set_string_member (changes, "notes", "Bin moved to the gate");
      g_assert_cmpint (rl_session_edit_record (session, "drop_point", "dp-000010", changes,
                                               &edit_error),
                       >, 0);
      g_assert_no_error (edit_error);
      g_assert_true (rl_test_wait_until (summary_has, indicator, 10000));
    }
    summary = rl_status_indicator_get_summary (RL_STATUS_INDICATOR (indicator));
    g_assert_nonnull (strstr (summary, "1 change waiting"));
    gui_test_save_shot (GTK_WIDGET (window), "header-offline.png");
    {
      GtkWidget  *button = gui_test_find_widget (indicator, gui_test_is_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));
      GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));

      gtk_menu_button_popup (GTK_MENU_BUTTON (button));
      g_assert_true (rl_test_wait_until (gui_test_laid_out, popover, 10000));
      g_assert_true (rl_test_wait_until (popover_lists_edit, popover, 10000));
      gui_test_save_shot (GTK_WIDGET (popover), "status-popover-offline.png");
      gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
    }
  }

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
  g_setenv ("TZ", "Asia/Kathmandu", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  tmp_home = gui_test_private_user_dirs ("rl-conflicts-page-XXXXXX");
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/gui/conflicts-page", test_conflicts_page);

  status = g_test_run ();
  rl_test_rm_rf (tmp_home);
  return status;
}
