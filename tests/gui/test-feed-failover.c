/* test-feed-failover.c — the feed's broker list in a signed-in window
 * against a devserver and two mosquitto brokers: the status popover says
 * which node the feed is on and since when, what it says while every node
 * is down, and the node it failed over to; the Feed dialog lists both nodes
 * with the lost one's error. Screenshots <build root>/screenshots/
 * feed-failover-popover-down.png, feed-failover-popover.png and
 * feed-failover-dialog.png.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "gui-test-common.h"
#include "gui-test-find.h"
#include "gui-test-window.h"
#include "rl-feed-dialog.h"
#include "rl-status-indicator.h"
#include "rl-test-util.h"
#include "rl-window.h"

static RlWindow  *window;
static RlSession *session;

static gboolean
has_label_prefix (GtkWidget *widget,
                  gpointer   prefix)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix);
}

static GtkPopover *
status_popover (void)
{
  GtkWidget *indicator =
      gui_test_find_widget (GTK_WIDGET (window), gui_test_is_type, GSIZE_TO_POINTER (RL_TYPE_STATUS_INDICATOR));
  GtkWidget *menu = gui_test_find_widget (indicator, gui_test_is_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));

  return gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu));
}

/* The popover's MQTT row starts with @prefix. */
static gboolean
popover_says (gpointer prefix)
{
  return gui_test_find_widget (GTK_WIDGET (status_popover ()), has_label_prefix, prefix) != NULL;
}

static void
wait_popover (const char *prefix)
{
  if (!rl_test_wait_until (popover_says, (gpointer) prefix, 20000))
    g_error ("the status popover never said “%s…”", prefix);
}

static RlFeedDialog *
dialog_on_screen (void)
{
  return RL_FEED_DIALOG (gui_test_toplevel (RL_TYPE_FEED_DIALOG, NULL));
}

static gboolean
has_dialog (gpointer data)
{
  return dialog_on_screen () != NULL;
}

/* A row of the dialog's Brokers group titled @url whose subtitle holds
 * @text. */
typedef struct
{
  const char *url;
  const char *text;
} RowWant;

static gboolean
is_broker_row (GtkWidget *widget,
               gpointer   data)
{
  RowWant    *want = data;
  const char *subtitle;

  if (!ADW_IS_ACTION_ROW (widget)
      || g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), want->url) != 0)
    return FALSE;
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (widget));
  return subtitle != NULL && strstr (subtitle, want->text) != NULL;
}

static gboolean
dialog_lists (gpointer data)
{
  RlFeedDialog *dialog = dialog_on_screen ();

  return dialog != NULL && gui_test_find_widget (GTK_WIDGET (dialog), is_broker_row, data) != NULL;
}

static void
test_feed_failover (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (RlTestDevserver) server = NULL;
  g_autoptr (RlTestBroker) a = NULL;
  g_autoptr (RlTestBroker) b = NULL;
  g_autofree char *on_a = NULL;
  g_autofree char *on_b = NULL;
  const char      *urls[3] = { NULL };
  GtkPopover      *popover;
  GtkWidget       *button;

  server = rl_test_devserver_start (NULL, &error);
  g_assert_no_error (error);
  a = rl_test_broker_start (&error);
  g_assert_no_error (error);
  b = rl_test_broker_start (&error);
  g_assert_no_error (error);

  session = rl_session_new ();
  settings = g_settings_new ("org.reloop.Console");
  urls[0] = a->url;
  urls[1] = b->url;
  g_settings_set_strv (settings, "mqtt-urls", urls);
  window = gui_test_signed_in_window (session, settings, server->url, "admin@demo.reloop.np", 1280, 800);

  popover = status_popover ();
  gtk_menu_button_popup (GTK_MENU_BUTTON (gtk_widget_get_parent (GTK_WIDGET (popover))));
  g_assert_true (rl_test_wait_until (gui_test_laid_out, popover, 10000));
  on_a = g_strdup_printf ("Connected to %s since ", a->url);
  wait_popover (on_a);

  /* Both nodes down: the feed goes round the list. */
  rl_test_broker_stop (b);
  rl_test_broker_stop (a);
  wait_popover ("Reconnecting to one of 2 brokers: ");
  gui_test_save_shot (GTK_WIDGET (popover), "feed-failover-popover-down.png");

  /* B back: the feed is on B, and says since when. */
  g_assert_true (rl_test_broker_restart (b, &error));
  g_assert_no_error (error);
  on_b = g_strdup_printf ("Connected to %s since ", b->url);
  wait_popover (on_b);
  gui_test_save_shot (GTK_WIDGET (popover), "feed-failover-popover.png");

  /* The Feed dialog: both nodes, A with the error that ended it. */
  button = gui_test_find_widget (GTK_WIDGET (popover), gui_test_is_button_labelled, (gpointer) "Feed Details…");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (rl_test_wait_until (has_dialog, NULL, 10000));
  {
    RowWant current = { b->url, "Connected since " };
    RowWant lost = { a->url, "last error at " };

    g_assert_true (rl_test_wait_until (dialog_lists, &current, 15000));
    g_assert_true (rl_test_wait_until (dialog_lists, &lost, 15000));
  }
  gui_test_save_shot (GTK_WIDGET (dialog_on_screen ()), "feed-failover-dialog.png");

  gtk_window_destroy (GTK_WINDOW (dialog_on_screen ()));
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
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
  tmp_home = gui_test_private_user_dirs ("rl-feed-failover-XXXXXX");
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/gui/feed-failover", test_feed_failover);

  status = g_test_run ();
  rl_test_rm_rf (tmp_home);
  return status;
}
