/* test-alerts-page.c — the Alerts page in a signed-in window against a
 * devserver, as a dispatcher: the list and the badge, the saved filter "Open
 * High", two alerts acknowledged with a comment through the outbox (the
 * server applies each once), the same offline ("waiting to sync", sent once
 * on reconnect). Screenshot <build root>/screenshots/alerts-page.png.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "gui-test-common.h"
#include "gui-test-find.h"
#include "gui-test-window.h"
#include "rl-alerts-page.h"
#include "rl-core-enums.h"
#include "rl-edits.h"
#include "rl-list-item.h"
#include "rl-status-indicator.h"
#include "rl-sync-engine.h"
#include "rl-store-alerts.h"
#include "rl-store.h"
#include "rl-test-util.h"
#include "rl-window.h"

static RlWindow        *window;
static RlSession       *session;
static RlTestDevserver *server;

static RlAlertsPage *page (void);

/* The list scrolled to its top, as a person would see it after a filter. */
static void
scroll_to_top (void)
{
  GtkWidget *scrolled =
      gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_type, GSIZE_TO_POINTER (GTK_TYPE_SCROLLED_WINDOW));

  if (scrolled != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)), 0);
}

static void
save_shot (GtkWidget  *widget,
           const char *name)
{
  scroll_to_top ();
  gui_test_save_shot (widget, name);
}

static RlAlertsPage *
page (void)
{
  AdwViewStack *stack = rl_window_get_view_stack (window);

  return RL_ALERTS_PAGE (adw_view_stack_get_child_by_name (stack, "alerts"));
}

static GtkSelectionModel *
selection (void)
{
  GtkWidget *view = gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));

  g_assert_nonnull (view);
  return gtk_column_view_get_model (GTK_COLUMN_VIEW (view));
}

static gboolean
list_settled (gpointer data)
{
  RlRecordList *list = rl_alerts_page_get_list (page ());

  return !rl_record_list_get_loading (list) && g_list_model_get_n_items (G_LIST_MODEL (list)) > 0;
}

static guint
badge (void)
{
  AdwViewStack *stack = rl_window_get_view_stack (window);

  return adw_view_stack_page_get_badge_number (adw_view_stack_get_page (stack, GTK_WIDGET (page ())));
}

static gboolean
badge_set (gpointer data)
{
  return badge () > 0;
}

/* Every row of the list: open and HIGH. */
static gboolean
all_open_high (gpointer data)
{
  RlRecordList *list = rl_alerts_page_get_list (page ());
  guint         n = g_list_model_get_n_items (G_LIST_MODEL (list));

  if (rl_record_list_get_loading (list) || n == 0)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (rl_list_item_get_enum (item, "status") != RL_ALERT_STATUS_OPEN
          || rl_list_item_get_enum (item, "severity") != RL_ALERT_SEVERITY_HIGH)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char *id;
  const char *token;
} ServerAlert;

/* How many acknowledge requests for @id the devserver applied (its request log). */
static guint
acks_applied (const char *id)
{
  g_autofree char *url = g_strdup_printf ("%s/__dev/requests", server->url);
  g_autofree char *path = g_strdup_printf ("/api/v1/alerts/%s/acknowledge", id);
  g_autoptr (JsonNode) body = NULL;
  JsonArray *log;
  guint      status = 0, n = 0;

  body = rl_test_http ("GET", url, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  log = JSON_NODE_HOLDS_ARRAY (body) ? json_node_get_array (body)
                                     : json_object_get_array_member (json_node_get_object (body), "data");
  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *r = json_array_get_object_element (log, i);

      if (g_strcmp0 (json_object_get_string_member (r, "path"), path) == 0
          && json_object_get_int_member (r, "status") == 200
          && !json_object_get_boolean_member_with_default (r, "replayed", FALSE))
        n++;
    }
  return n;
}

static gboolean
acked_on_server (gpointer data)
{
  ServerAlert     *a = data;
  g_autofree char *url = g_strdup_printf ("%s/alerts/%s", server->api_url, a->id);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", a->token);
  const char      *headers[] = { "Authorization", auth, NULL };
  g_autoptr (JsonNode) body = NULL;
  JsonObject *alert;
  guint       status = 0;

  body = rl_test_http ("GET", url, NULL, headers, &status);
  g_assert_cmpuint (status, ==, 200);
  alert = json_object_get_object_member (json_node_get_object (body), "data");
  return g_strcmp0 (json_object_get_string_member (alert, "status"), "acknowledged") == 0;
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

static gint64 last_change_us;

static void
list_changed_cb (void)
{
  last_change_us = g_get_monotonic_time ();
}

static gboolean
list_quiet (gpointer data)
{
  return !rl_record_list_get_loading (rl_alerts_page_get_list (page ()))
         && g_get_monotonic_time () - last_change_us > 300000;
}

/* Selects rows 0 to @n - 1, Acknowledge…, a comment, Acknowledge; returns their ids. */
static GPtrArray *
acknowledge_rows (guint       n,
                  const char *heading,
                  const char *comment)
{
  GPtrArray        *ids = g_ptr_array_new_with_free_func (g_free);
  AdwMessageDialog *dialog;
  GtkWidget        *button;

  /* The list at rest: no reload under way, nothing changed for 300 ms. */
  g_assert_true (rl_test_wait_until (list_quiet, NULL, 30000));
  gtk_selection_model_select_range (selection (), 0, n, TRUE);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (selection ()), i);

      g_ptr_array_add (ids, g_strdup (rl_list_item_get_id (item)));
    }
  button = gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_button_labelled, (gpointer) "_Acknowledge…");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (rl_test_wait_until (has_dialog, NULL, 10000));
  dialog = dialog_on_screen ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), comment);
  /* Its button, as a click: the response, then the dialog closes. */
  button = gui_test_find_widget (GTK_WIDGET (dialog), gui_test_is_button_labelled, (gpointer) "_Acknowledge");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_false (rl_test_wait_until (has_dialog, NULL, 200));
  return ids;
}

static gboolean
offline (gpointer data)
{
  return rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE;
}

static gboolean
online (gpointer data)
{
  return rl_session_get_state (session) == RL_SESSION_STATE_ONLINE
         && rl_session_get_pending_changes (session) == 0;
}

/* The row of @id shows "waiting" (an outbox row for it is pending). */
static gboolean
row_waiting (gpointer id)
{
  RlRecordList *list = rl_alerts_page_get_list (page ());
  guint         position = rl_record_list_find (list, id);
  g_autoptr (RlListItem) item = NULL;
  gboolean waiting = FALSE;

  if (rl_record_list_get_loading (list) || position == G_MAXUINT)
    return FALSE;
  item = g_list_model_get_item (G_LIST_MODEL (list), position);
  g_object_get (item, "waiting", &waiting, NULL);
  return waiting && rl_list_item_get_enum (item, "status") == RL_ALERT_STATUS_ACKNOWLEDGED;
}

/* A console rule's alert (source local) on the first device that has no
 * open HIGH_TEMPERATURE alert; returns its id. */
typedef struct
{
  RlStore *store;
  char    *id;
} LocalAlert;

static gboolean
add_local_alert (const RlStoreDropPoint *dp,
                 gpointer                user_data)
{
  LocalAlert *la = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) tx = NULL;
  gint64           now = g_get_real_time () / 1000;
  RlStoreAlertSpec spec = {
    .source = RL_ALERT_SOURCE_LOCAL,
    .drop_point_id = dp->id,
    .device_id = dp->device_id,
    .type = "HIGH_TEMPERATURE",
    .severity = "HIGH",
    .message = "Temperature 61 °C is above 50 °C",
    .created_ms = now,
    .rule_value = 61,
    .rule_threshold = 50,
  };
  RlStoreAlertResult result;

  if (dp->device_id == NULL)
    return TRUE;
  tx = rl_store_batch_begin (la->store, &error);
  g_assert_no_error (error);
  result = rl_store_batch_add_alert (tx, &spec, &error);
  g_assert_no_error (error);
  g_assert_true (rl_store_batch_commit (tx, &error));
  g_assert_no_error (error);
  if (result != RL_STORE_ALERT_ADDED)
    return TRUE;
  la->id = rl_store_alert_id (RL_ALERT_SOURCE_LOCAL, dp->device_id, "HIGH_TEMPERATURE", now);
  return FALSE;
}

static gboolean
is_source_dropdown (GtkWidget *widget,
                    gpointer   data)
{
  GListModel *model;

  if (!GTK_IS_DROP_DOWN (widget))
    return FALSE;
  model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));
  return GTK_IS_STRING_LIST (model)
         && g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), "All sources") == 0;
}

/* The list is exactly the alert @id. */
static gboolean
only_row (gpointer id)
{
  RlRecordList *list = rl_alerts_page_get_list (page ());
  g_autoptr (RlListItem) item = NULL;

  if (rl_record_list_get_loading (list) || g_list_model_get_n_items (G_LIST_MODEL (list)) != 1)
    return FALSE;
  item = g_list_model_get_item (G_LIST_MODEL (list), 0);
  return g_strcmp0 (rl_list_item_get_id (item), id) == 0;
}

static gboolean
local_acknowledged (gpointer id)
{
  RlRecordList *list = rl_alerts_page_get_list (page ());
  guint         position = rl_record_list_find (list, id);
  g_autoptr (RlListItem) item = NULL;

  if (position == G_MAXUINT)
    return FALSE;
  item = g_list_model_get_item (G_LIST_MODEL (list), position);
  return rl_list_item_get_enum (item, "status") == RL_ALERT_STATUS_ACKNOWLEDGED
         && g_strcmp0 (rl_list_item_get_string (item, "acknowledged-by"), "dispatcher@demo.reloop.np")
                == 0;
}

static void
test_alerts_page (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr (GPtrArray) online_ids = NULL;
  g_autoptr (GPtrArray) offline_ids = NULL;
  ServerAlert a = { 0 };

  server = rl_test_devserver_start (NULL, &error);
  g_assert_no_error (error);
  token = rl_test_login (server, "dispatcher@demo.reloop.np");

  session = rl_session_new ();
  window = gui_test_signed_in_window (session, NULL, server->url, "dispatcher@demo.reloop.np", 1280, 800);

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page", g_variant_new_string ("alerts"));
  g_assert_true (rl_test_wait_until (list_settled, NULL, 30000));
  g_signal_connect (rl_alerts_page_get_list (page ()), "items-changed", G_CALLBACK (list_changed_cb),
                    NULL);
  /* The badge comes from a list of its own, loaded beside the page's. */
  g_assert_true (rl_test_wait_until (badge_set, NULL, 30000));
  g_assert_cmpuint (badge (), ==, rl_alerts_page_get_attention (page ()));

  /* The saved filter: open HIGH alerts only. */
  {
    GtkWidget *toggle = gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_button_labelled, (gpointer) "Open _High");

    g_assert_nonnull (toggle);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
    g_assert_true (rl_test_wait_until (all_open_high, NULL, 30000));
  }
  save_shot (GTK_WIDGET (window), "alerts-page.png");

  /* Two acknowledged with a comment: each applied once on the server. */
  online_ids = acknowledge_rows (2, "Acknowledge 2 Alerts?", "Crew on the way");
  for (guint i = 0; i < online_ids->len; i++)
    {
      a.id = g_ptr_array_index (online_ids, i);
      a.token = token;
      g_assert_true (rl_test_wait_until (acked_on_server, &a, 30000));
      g_assert_cmpuint (acks_applied (a.id), ==, 1);
    }

  /* Offline: two more wait to sync, then land once each. */
  g_assert_true (rl_test_wait_until (all_open_high, NULL, 30000));
  rl_test_devserver_stop (server);
  rl_session_pull_now (session);
  g_assert_true (rl_test_wait_until (offline, NULL, 60000));
  offline_ids = acknowledge_rows (2, "Acknowledge 2 Alerts?", "Seen from the field");
  /* Acknowledged, they leave "Open High": the unresolved ones show them. */
  {
    GtkWidget *status = gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_type, GSIZE_TO_POINTER (GTK_TYPE_DROP_DOWN));

    g_assert_nonnull (status);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (status), 3); /* Not resolved */
    /* No longer the saved filter's settings: its toggle is off. */
    g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
        gui_test_find_widget (GTK_WIDGET (page ()), gui_test_is_button_labelled, (gpointer) "Open _High"))));
  }
  for (guint i = 0; i < offline_ids->len; i++)
    g_assert_true (rl_test_wait_until (row_waiting, g_ptr_array_index (offline_ids, i), 10000));
  save_shot (GTK_WIDGET (window), "alerts-page-offline.png");
  g_assert_true (rl_test_devserver_restart (server, &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait_until (online, NULL, 90000));
  for (guint i = 0; i < offline_ids->len; i++)
    {
      a.id = g_ptr_array_index (offline_ids, i);
      g_assert_true (rl_test_wait_until (acked_on_server, &a, 30000));
      g_assert_cmpuint (acks_applied (a.id), ==, 1);
    }

  /* A console rule's alert: the source filter finds it alone, and it is
   * acknowledged in the cache with who and when, never sent to the server. */
  {
    LocalAlert la = { rl_session_get_store (session), NULL };
    GtkWidget *source = gui_test_find_widget (GTK_WIDGET (page ()), is_source_dropdown, NULL);
    g_autoptr (GPtrArray) ids = NULL;
    g_autoptr (GError) store_error = NULL;

    g_assert_true (rl_store_foreach_drop_point (la.store, add_local_alert, &la, &store_error));
    g_assert_no_error (store_error);
    g_assert_nonnull (la.id);
    g_assert_nonnull (source);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (source), 3); /* Console rule */
    g_assert_true (rl_test_wait_until (only_row, la.id, 30000));
    ids = acknowledge_rows (1, "Acknowledge 1 Alert?", "Checked the lid");
    g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, la.id);
    g_assert_true (rl_test_wait_until (local_acknowledged, la.id, 10000));
    g_assert_false (row_waiting (la.id));
    g_assert_cmpuint (acks_applied (la.id), ==, 0);
    g_assert_cmpint (rl_session_get_pending_changes (session), ==, 0);
    save_shot (GTK_WIDGET (window), "alerts-page-console.png");
    g_free (la.id);
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
  tmp_home = gui_test_private_user_dirs ("rl-alerts-page-XXXXXX");
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  /* Screenshots without half-done CSS transitions. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/gui/alerts-page", test_alerts_page);

  status = g_test_run ();
  rl_test_rm_rf (tmp_home);
  return status;
}
