/* test-feed-dialog.c — the Feed dialog in a signed-in window against a
 * devserver and a real mosquitto: readings and a bad payload published, the
 * dialog's rate, counts, reject reasons, escaped payload preview and the
 * devices' last-seen list (silent first) checked; the popover's Feed
 * Details… opens it; stopping the feed says so. Screenshot
 * <build root>/screenshots/feed-dialog.png.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "feed-test-util.h"
#include "gui-test-common.h"
#include "gui-test-find.h"
#include "gui-test-window.h"
#include "rl-feed-dialog.h"
#include "rl-sparkline.h"
#include "rl-status-indicator.h"
#include "rl-store-devices.h"
#include "rl-test-util.h"
#include "rl-time.h"
#include "rl-window.h"

static RlWindow     *window;
static RlSession    *session;
static RlFeedDialog *dialog;

static gboolean
feed_connected (gpointer data)
{
  RlFeed *feed = rl_session_get_feed (session);

  return feed != NULL && rl_feed_get_state (feed) == RL_FEED_STATE_CONNECTED;
}

static GtkWidget *
child (const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (dialog), RL_TYPE_FEED_DIALOG, name);

  if (object == NULL)
    g_error ("no template child %s", name);
  return GTK_WIDGET (object);
}

static const char *
label_text (const char *name)
{
  return gtk_label_get_label (GTK_LABEL (child (name)));
}

static gboolean
label_is (gpointer data)
{
  const char **want = data;

  return g_strcmp0 (label_text (want[0]), want[1]) == 0;
}

static void
wait_label (const char *name,
            const char *text)
{
  const char *want[] = { name, text };

  if (!rl_test_wait_until (label_is, want, 15000))
    g_error ("%s is “%s”, not “%s”", name, label_text (name), text);
}

/* No feed, or a stopped one: the dialog says which. */
static gboolean
feed_off (gpointer data)
{
  return g_strcmp0 (label_text ("state_label"), "Stopped") == 0
         || g_strcmp0 (label_text ("state_label"), "Off") == 0;
}

static gboolean
is_label_ending (GtkWidget *widget,
                 gpointer   suffix)
{
  return GTK_IS_LABEL (widget) && g_str_has_suffix (gtk_label_get_label (GTK_LABEL (widget)), suffix);
}

/* The status popover's MQTT row ends with @suffix ("· 2 readings"). */
static gboolean
popover_says (gpointer suffix)
{
  GtkWidget *indicator =
      gui_test_find_widget (GTK_WIDGET (window), gui_test_is_type, GSIZE_TO_POINTER (RL_TYPE_STATUS_INDICATOR));
  GtkWidget *menu = gui_test_find_widget (indicator, gui_test_is_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));

  return gui_test_find_widget (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu))),
                               is_label_ending, suffix)
         != NULL;
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

static gboolean
devices_listed (gpointer data)
{
  GListModel *devices = rl_feed_dialog_get_devices (dialog);

  return !rl_feed_dialog_get_devices_loading (dialog)
         && g_list_model_get_n_items (devices) == GPOINTER_TO_UINT (data);
}

static char *
first_device_id (void)
{
  g_autoptr (GObject) item = g_list_model_get_item (rl_feed_dialog_get_devices (dialog), 0);
  char *id = NULL;

  g_object_get (item, "device-id", &id, NULL);
  return id;
}

static gboolean
first_device_is (gpointer data)
{
  g_autofree char *id = NULL;

  if (rl_feed_dialog_get_devices_loading (dialog)
      || g_list_model_get_n_items (rl_feed_dialog_get_devices (dialog)) == 0)
    return FALSE;
  id = first_device_id ();
  return g_strcmp0 (id, data) == 0;
}

/* The first scrolled window: the preferences page's own. */
static GtkWidget *
find_scrolled (GtkWidget *root)
{
  if (GTK_IS_SCROLLED_WINDOW (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_scrolled (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_feed_dialog (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (RlTestDevserver) server = NULL;
  g_autoptr (RlTestBroker) broker = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  FeedTestPublisher pub = { 0 };
  GtkWidget        *button;
  guint             total = 0, n_readings = 0;
  gint64            now_ms = rl_time_now_ms ();
  const char       *silent;
  g_autofree char  *want = NULL;

  server = rl_test_devserver_start (NULL, &error);
  g_assert_no_error (error);
  broker = rl_test_broker_start (&error);
  g_assert_no_error (error);

  session = rl_session_new ();
  settings = g_settings_new ("org.reloop.Console");
  g_settings_set_string (settings, "mqtt-url", broker->url);
  window = gui_test_signed_in_window (session, settings, server->url, "admin@demo.reloop.np", 1280, 800);
  g_assert_true (rl_test_wait_until (feed_connected, NULL, 30000));
  rl_test_broker_wait_subscribed (broker, "devices/+/alerts", 1, 15000);

  /* The cache's devices, silent first. */
  devices = rl_store_list_devices_seen (rl_session_get_store (session), NULL, 500, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, >, 4);
  silent = ((RlDeviceSeen *) g_ptr_array_index (devices, 0))->device_id;
  feed_test_publisher_start (&pub, broker->port);

  /* The popover's MQTT row follows each batch while it is open (no state
   * change in between); its Feed Details… opens the dialog. */
  {
    GtkWidget       *indicator = gui_test_find_widget (GTK_WIDGET (window), gui_test_is_type,
                                                       GSIZE_TO_POINTER (RL_TYPE_STATUS_INDICATOR));
    GtkWidget       *menu = gui_test_find_widget (indicator, gui_test_is_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));
    GtkPopover      *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu));
    RlDeviceSeen    *seen = g_ptr_array_index (devices, 4);
    g_autofree char *topic = g_strdup_printf ("devices/%s/sensor-data", seen->device_id);

    gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
    g_assert_true (rl_test_wait_until (gui_test_laid_out, popover, 10000));
    g_assert_true (rl_test_wait_until (popover_says, (gpointer) "· 0 readings", 10000));
    for (guint i = 0; i < 2; i++)
      {
        g_autofree char *payload =
            feed_test_reading (seen->device_id, 30 + i, 80, 20, now_ms - 9000 + i * 1000);

        feed_test_publish (&pub, topic, payload);
        n_readings++;
      }
    g_assert_true (rl_test_wait_until (popover_says, (gpointer) "· 2 readings", 10000));
    button = gui_test_find_widget (GTK_WIDGET (popover), gui_test_is_button_labelled, (gpointer) "Feed Details…");
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
  }
  g_assert_true (rl_test_wait_until (has_dialog, NULL, 10000));
  dialog = dialog_on_screen ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  wait_label ("state_label", "Connected");
  wait_label ("received_label", "2");
  g_assert_true (g_str_has_suffix (label_text ("last_message_label"), "s ago"));
  g_assert_false (gtk_widget_get_visible (child ("last_rejected_group")));
  g_assert_true (gtk_widget_get_visible (child ("no_rejects_row")));

  /* The dialog lists the cache's devices, silent first. */
  g_assert_true (rl_test_wait_until (devices_listed, GUINT_TO_POINTER (devices->len), 15000));
  g_assert_true (rl_test_wait_until (first_device_is, (gpointer) silent, 15000));

  /* Readings for three devices, the most silent included (it moves down
   * the list once the cache has them), and a payload that is not JSON. */
  for (guint d = 0; d < 3; d++)
    {
      RlDeviceSeen    *seen = g_ptr_array_index (devices, d);
      g_autofree char *topic = g_strdup_printf ("devices/%s/sensor-data", seen->device_id);

      for (guint i = 0; i < 4; i++)
        {
          g_autofree char *payload =
              feed_test_reading (seen->device_id, 40 + i, 80, 20, now_ms - 4000 + i * 1000);

          feed_test_publish (&pub, topic, payload);
          n_readings++;
        }
    }
  {
    static const char bad[] = "{\"binId\":\"x\x01\",\"fill\":\xff\n}";
    int               rc = mosquitto_publish (pub.mosq, NULL, "devices/bin-zz/sensor-data",
                                              (int) sizeof bad - 1, bad, 1, false);

    g_assert_cmpint (rc, ==, MOSQ_ERR_SUCCESS);
  }
  FEED_TEST_WAIT_COUNTER (rl_session_get_feed (session), received, n_readings + 1);
  FEED_TEST_WAIT_COUNTER (rl_session_get_feed (session), readings, n_readings);

  want = g_strdup_printf ("%u", n_readings + 1);
  wait_label ("received_label", want);
  g_free (want);
  want = g_strdup_printf ("%u", n_readings);
  wait_label ("readings_label", want);
  g_assert_true (g_str_has_suffix (label_text ("last_message_label"), "s ago"));
  g_assert_true (gtk_widget_get_visible (child ("last_rejected_group")));
  g_assert_false (gtk_widget_get_visible (child ("no_rejects_row")));
  wait_label ("preview_label", "{\"binId\":\"x\\x01\",\"fill\":\\xFF\\n}");
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (child ("preview_label"))));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child ("last_rejected_row"))),
                   ==, "Not a JSON object");
  g_assert_true (
      g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (child ("last_rejected_row"))),
                        "devices/bin-zz/sensor-data · 24 bytes · "));
  /* The sparkline holds what arrived; its description says so. */
  g_assert_cmpuint (rl_sparkline_get_max (RL_SPARKLINE (child ("sparkline"))), >, 0);

  /* The device that was the most silent has spoken: another leads now. */
  g_assert_true (rl_test_wait_until (devices_listed, GUINT_TO_POINTER (devices->len), 15000));
  {
    g_autoptr (GPtrArray) now = rl_store_list_devices_seen (rl_session_get_store (session), NULL,
                                                            500, &total, &error);
    const char *leader = ((RlDeviceSeen *) g_ptr_array_index (now, 0))->device_id;

    g_assert_cmpstr (leader, !=, silent);
    g_assert_true (rl_test_wait_until (first_device_is, (gpointer) leader, 15000));
  }

  /* The search narrows the list to one device. */
  gtk_editable_set_text (GTK_EDITABLE (child ("search_entry")), silent);
  g_assert_true (rl_test_wait_until (first_device_is, (gpointer) silent, 15000));
  g_assert_true (rl_test_wait_until (devices_listed, GUINT_TO_POINTER (1), 15000));
  gtk_editable_set_text (GTK_EDITABLE (child ("search_entry")), "");
  g_assert_true (rl_test_wait_until (devices_listed, GUINT_TO_POINTER (devices->len), 15000));

  /* The Record and Replay buttons name the window's actions. */
  button = child ("record_button");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.feed-record");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (child ("replay_button"))), ==,
                   "win.feed-replay");

  gui_test_save_shot (GTK_WIDGET (dialog), "feed-dialog.png");
  /* The lower half: rejects, the preview and the devices. */
  {
    GtkWidget     *scrolled = find_scrolled (GTK_WIDGET (dialog));
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    gui_test_save_shot (GTK_WIDGET (dialog), "feed-dialog-devices.png");
  }

  /* Stopped: the dialog says so. */
  rl_session_stop_feed (session);
  g_assert_true (rl_test_wait_until (feed_off, NULL, 5000));
  g_assert_nonnull (adw_action_row_get_subtitle (ADW_ACTION_ROW (child ("state_row"))));

  feed_test_publisher_stop (&pub);
  gtk_window_destroy (GTK_WINDOW (dialog));
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
  tmp_home = gui_test_private_user_dirs ("rl-feed-dialog-XXXXXX");
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/gui/feed-dialog", test_feed_dialog);

  status = g_test_run ();
  rl_test_rm_rf (tmp_home);
  return status;
}
