/* test-notifications.c — desktop notifications of new HIGH alerts, end to
 * end: a devserver, a real mosquitto, the console's application and window,
 * and a notification server of the test's own on the private session bus.
 *
 * Outside a sandbox GLib 2.74 picks the "gtk" backend when
 * org.gtk.Notifications has an owner, else the freedesktop one, which calls
 * org.freedesktop.Notifications.Notify and activates the default action on
 * its ActionInvoked signal (only "app." actions). This test owns
 * org.freedesktop.Notifications on a connection of its own, records the
 * calls and sends ActionInvoked as a notification server does on a click.
 *
 * A reading over 85 % makes a local FULL_BIN/HIGH alert and one
 * notification ("Bin is full", the drop point's name); a MEDIUM alert none;
 * the alerts loaded by the first sign-in none; a burst of 12 full bins one
 * ("12 bins are full"); none while the setting is off; the default action
 * centres the map on the point with its panel open, or opens the Alerts
 * page on "Open High"; acknowledging an alert withdraws its notification.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "feed-test-util.h"
#include "gui-test-common.h"
#include "rl-alert-notifier.h"
#include "rl-alerts-page.h"
#include "rl-application.h"
#include "rl-map-page.h"
#include "rl-store-alerts.h"
#include "rl-store-private.h"
#include "rl-store.h"
#include "rl-test-util.h"
#include "rl-time.h"
#include "rl-window.h"

/* ---- The notification server ------------------------------------------------------------------ */

typedef struct
{
  guint32 id;
  char   *title;
  char   *body;
  GStrv   actions;
  guchar  urgency;
} Notified;

static GDBusConnection *server_bus;
static GPtrArray       *notified; /* Notified * */
static GArray          *closed;   /* guint32 of CloseNotification calls */

static const char introspection_xml[] =
    "<node><interface name='org.freedesktop.Notifications'>"
    "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
    "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
    "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/>"
    "<arg type='i' direction='in'/><arg type='u' direction='out'/></method>"
    "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
    "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
    "<method name='GetServerInformation'><arg type='s' direction='out'/>"
    "<arg type='s' direction='out'/><arg type='s' direction='out'/>"
    "<arg type='s' direction='out'/></method>"
    "<signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
    "<signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
    "</interface></node>";

static void
notified_free (Notified *n)
{
  g_free (n->title);
  g_free (n->body);
  g_strfreev (n->actions);
  g_free (n);
}

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      Notified *n = g_new0 (Notified, 1);
      g_autoptr (GVariant) hints = NULL;
      guint32 replaces;

      g_variant_get (parameters, "(&sus&s&s^as@a{sv}i)", NULL, &replaces, NULL, &n->title,
                     &n->body, &n->actions, &hints, NULL);
      n->title = g_strdup (n->title);
      n->body = g_strdup (n->body);
      g_variant_lookup (hints, "urgency", "y", &n->urgency);
      n->id = replaces != 0 ? replaces : notified->len + 1;
      g_test_message ("Notify #%u: %s — %s", n->id, n->title, n->body);
      g_ptr_array_add (notified, n);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", n->id));
    }
  else if (g_str_equal (method_name, "CloseNotification"))
    {
      guint32 id;

      g_variant_get (parameters, "(u)", &id);
      g_test_message ("CloseNotification %u", id);
      g_array_append_val (closed, id);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test", "ReLoop", "1", "1.2"));
}

static gboolean name_owned;
static guint    name_id;

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  name_owned = TRUE;
}

static gboolean
is_true (gpointer flag)
{
  return *(gboolean *) flag;
}

static void
start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { method_call_cb, NULL, NULL, { 0 } };
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  server_bus = g_dbus_connection_new_for_address_sync (
      address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (server_bus, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  name_id = g_bus_own_name_on_connection (server_bus, "org.freedesktop.Notifications",
                                          G_BUS_NAME_OWNER_FLAGS_NONE, name_acquired_cb, NULL, NULL, NULL);
  g_assert_true (rl_test_wait_until (is_true, &name_owned, 10000));
  notified = g_ptr_array_new_with_free_func ((GDestroyNotify) notified_free);
  closed = g_array_new (FALSE, FALSE, sizeof (guint32));
}

/* A click on the notification's body. */
static void
invoke_default (guint32 id)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_dbus_connection_emit_signal (server_bus, NULL, "/org/freedesktop/Notifications",
                                                "org.freedesktop.Notifications", "ActionInvoked",
                                                g_variant_new ("(us)", id, "default"), &error));
  g_assert_no_error (error);
}

static gboolean
n_notified_is (gpointer n)
{
  return notified->len == GPOINTER_TO_UINT (n);
}

static Notified *
last_notified (void)
{
  g_assert_cmpuint (notified->len, >, 0);
  return g_ptr_array_index (notified, notified->len - 1);
}

/* ---- The console ------------------------------------------------------------------------------ */

static RlApplication    *app;
static RlWindow         *window;
static RlSession        *session;
static RlTestDevserver  *server;
static RlTestBroker     *broker;
static FeedTestPublisher pub;
static GPtrArray        *devices;     /* char *: devices with no open alert */
static GHashTable       *point_names; /* device → (drop point id, name) */
static GHashTable       *point_ids;

static gboolean
signed_in_and_synced (gpointer data)
{
  return g_strcmp0 (rl_window_get_view (window), "main") == 0
         && rl_session_get_state (session) == RL_SESSION_STATE_ONLINE
         && rl_session_get_last_sync (session) != 0;
}

static gboolean
feed_connected (gpointer data)
{
  RlFeed *feed = rl_session_get_feed (session);

  return feed != NULL && rl_feed_get_state (feed) == RL_FEED_STATE_CONNECTED;
}

/* Devices whose drop point has no open alert at all, with the point's id and name. */
static void
read_devices (void)
{
  RlStore *store = rl_session_get_store (session);
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  devices = g_ptr_array_new_with_free_func (g_free);
  point_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  point_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  stmt = rl_store_prepare (store,
                           "SELECT device_id, id, name FROM drop_points WHERE device_id IS NOT NULL"
                           " AND device_id NOT IN (SELECT device_id FROM alerts WHERE device_id IS"
                           " NOT NULL AND status IN ('open', 'acknowledged'))"
                           " ORDER BY id LIMIT 20",
                           &error);
  g_assert_no_error (error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *device = (const char *) sqlite3_column_text (stmt, 0);

      g_ptr_array_add (devices, g_strdup (device));
      g_hash_table_insert (point_ids, g_strdup (device),
                           g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_hash_table_insert (point_names, g_strdup (device),
                           g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
    }
  g_assert_true (rl_store_step_finished (store, stmt, rc, "devices", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, >=, 17);
}

static const char *
device (guint i)
{
  return g_ptr_array_index (devices, i);
}

static void
publish (const char *dev,
         double      fill,
         double      battery)
{
  g_autofree char *topic = g_strdup_printf ("devices/%s/sensor-data", dev);
  g_autofree char *payload = feed_test_reading (dev, fill, battery, 24, rl_time_now_ms () - 500);

  feed_test_publish (&pub, topic, payload);
}

typedef struct
{
  const char *device;
  const char *type;
} OpenWait;

static gboolean
alert_open (gpointer data)
{
  OpenWait *w = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_true (rl_store_find_open_alert (rl_session_get_store (session), w->device, w->type, &id,
                                           NULL, &error));
  return id != NULL;
}

static char *
wait_alert (const char *dev,
            const char *type)
{
  OpenWait w = { dev, type };
  g_autoptr (GError) error = NULL;
  char *id = NULL;

  g_assert_true (rl_test_wait_until (alert_open, &w, 15000));
  g_assert_true (rl_store_find_open_alert (rl_session_get_store (session), dev, type, &id, NULL,
                                           &error));
  return id;
}

/* Time for a notification that should not come (the notifier gathers for
 * 750 ms after the monitor's dispatch). */
static void
assert_no_more (guint n)
{
  g_assert_false (rl_test_wait_until (n_notified_is, GUINT_TO_POINTER (n + 1), 2000));
  g_assert_cmpuint (notified->len, ==, n);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Runs the main loop for @ms. */
static void
spin (guint ms)
{
  rl_test_wait_until (never, NULL, ms);
}

static gboolean
map_shows (gpointer point_id)
{
  AdwViewStack *stack = rl_window_get_view_stack (window);
  RlMapPage    *map = RL_MAP_PAGE (adw_view_stack_get_child_by_name (stack, "map"));

  return g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "map") == 0
         && g_strcmp0 (rl_map_page_get_side_panel (map), "panel") == 0
         && g_strcmp0 (rl_map_layer_get_selected_id (rl_map_page_get_layer (map)), point_id) == 0
         && g_strcmp0 (rl_drop_point_panel_get_drop_point_id (rl_map_page_get_panel (map)), point_id)
                == 0;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
alerts_open_high (gpointer data)
{
  AdwViewStack *stack = rl_window_get_view_stack (window);
  GtkWidget    *page = adw_view_stack_get_child_by_name (stack, "alerts");
  GtkWidget    *toggle = find_button (page, "Open _High");

  g_assert_nonnull (toggle);
  return g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "alerts") == 0
         && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle));
}

static gboolean
n_closed_at_least (gpointer n)
{
  return closed->len >= GPOINTER_TO_UINT (n);
}

/* The application's connection has read the server's reply to Notify
 * (GLib's freedesktop backend can close only a notification whose id it
 * knows): a round trip on that connection comes back after it, and the
 * reply's callback is queued on the main context by then. */
static void
app_has_notify_reply (void)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (app));
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetId", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
test_notifications (void)
{
  g_autoptr (GError) error = NULL;
  GSettings *settings;
  Notified  *n;
  guint      sent;

  start_notification_server ();
  server = rl_test_devserver_start (NULL, &error);
  g_assert_no_error (error);
  broker = rl_test_broker_start (&error);
  g_assert_no_error (error);

  app = rl_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  session = rl_application_get_session (app);
  settings = rl_application_get_settings (app);
  g_settings_set_string (settings, "mqtt-url", broker->url);
  window = rl_window_new (app, session, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  rl_window_start (window, server->url, "dispatcher@demo.reloop.np", "reloop-demo");
  if (!rl_test_wait_until (signed_in_and_synced, NULL, 60000))
    g_error ("not signed in after 60 s");
  g_assert_true (rl_test_wait_until (feed_connected, NULL, 30000));
  rl_test_broker_wait_subscribed (broker, "devices/+/sensor-data", 1, 15000);
  feed_test_publisher_start (&pub, broker->port);
  read_devices ();

  /* The first sign-in loaded the server's open HIGH alerts: none is news. */
  {
    g_autoptr (GError) e = NULL;
    gint64 open_high = rl_store_query_int (rl_session_get_store (session),
                                           "SELECT count(*) FROM alerts WHERE status = 'open'"
                                           " AND severity = 'HIGH'",
                                           &e);

    g_assert_no_error (e);
    g_assert_cmpint (open_high, >, 0);
    assert_no_more (0);
  }

  /* A reading over 85 %: a local FULL_BIN/HIGH alert and its notification. */
  {
    g_autofree char *id = NULL;
    g_autoptr (JsonObject) record = NULL;

    publish (device (0), 92, 80);
    id = wait_alert (device (0), "FULL_BIN");
    record = rl_store_get_record (rl_session_get_store (session), "alert", id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (record, "source"), ==, "local");
    g_assert_cmpstr (json_object_get_string_member (record, "severity"), ==, "HIGH");
    g_assert_true (rl_test_wait_until (n_notified_is, GUINT_TO_POINTER (1), 10000));
    n = last_notified ();
    g_assert_cmpstr (n->title, ==, "Bin is full");
    g_assert_cmpstr (n->body, ==, g_hash_table_lookup (point_names, device (0)));
    g_assert_true (g_strv_contains ((const char *const *) n->actions, "default"));
    /* G_NOTIFICATION_PRIORITY_HIGH: "normal" (1) in GLib 2.74's mapping, "critical" later;
     * never "low". */
    g_assert_cmpuint (n->urgency, >=, 1);
    assert_no_more (1);
  }

  /* A MEDIUM alert (low battery): none. */
  {
    g_autofree char *id = NULL;

    publish (device (1), 40, 10);
    id = wait_alert (device (1), "LOW_BATTERY");
    assert_no_more (1);
  }

  /* Its default action, from another page: the map on the point, its
   * panel open. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page", g_variant_new_string ("alerts"));
  g_assert_false (map_shows (g_hash_table_lookup (point_ids, device (0))));
  invoke_default (1);
  g_assert_true (rl_test_wait_until (map_shows, g_hash_table_lookup (point_ids, device (0)), 15000));

  /* A burst of 12 full bins: one notification. Each publish waits for its
   * PUBACK; on a loaded machine the alerts of a burst came more than the
   * 750 ms quiet period apart (split as 4 + 8, 7 + 5): the test's point is
   * that a burst spanning batches and dispatches is told once, so its quiet
   * period is longer than any such gap. */
  rl_alert_notifier_set_coalesce_ms (rl_application_get_alert_notifier (app), 4000);
  for (guint i = 2; i < 14; i++)
    {
      publish (device (i), 95, 80);
      spin (30); /* over ~360 ms: several writer batches and monitor dispatches */
    }
  g_assert_true (rl_test_wait_until (n_notified_is, GUINT_TO_POINTER (2), 20000));
  rl_alert_notifier_set_coalesce_ms (rl_application_get_alert_notifier (app), 750);
  n = last_notified ();
  g_assert_cmpstr (n->title, ==, "12 bins are full");
  g_assert_true (g_strv_contains ((const char *const *) n->actions, "default"));
  g_assert_true (g_str_has_suffix (n->body, " and 9 more"));
  assert_no_more (2);
  for (guint i = 2; i < 14; i++)
    g_free (wait_alert (device (i), "FULL_BIN"));

  /* Its default action: the Alerts page on "Open High". */
  g_assert_false (alerts_open_high (NULL));
  invoke_default (2);
  g_assert_true (rl_test_wait_until (alerts_open_high, NULL, 15000));

  /* The setting off: an alert, no notification. */
  g_settings_set_boolean (settings, "notify-high-alerts", FALSE);
  publish (device (14), 96, 80);
  g_free (wait_alert (device (14), "FULL_BIN"));
  assert_no_more (2);
  g_settings_set_boolean (settings, "notify-high-alerts", TRUE);

  /* On again: one more; acknowledged, it is withdrawn. */
  {
    g_autofree char *id = NULL;
    gboolean         changed = FALSE;

    publish (device (15), 97, 80);
    id = wait_alert (device (15), "FULL_BIN");
    g_assert_true (rl_test_wait_until (n_notified_is, GUINT_TO_POINTER (3), 10000));
    g_assert_cmpstr (last_notified ()->title, ==, "Bin is full");
    app_has_notify_reply ();
    g_assert_true (rl_store_alert_set_status (rl_session_get_store (session), id,
                                              RL_ALERT_STATUS_ACKNOWLEDGED, "dispatcher",
                                              rl_time_now_ms (), NULL, &changed, &error));
    g_assert_no_error (error);
    g_assert_true (changed);
    g_assert_true (rl_test_wait_until (n_closed_at_least, GUINT_TO_POINTER (1), 10000));
    g_assert_cmpuint (closed->len, ==, 1);
    g_assert_cmpuint (g_array_index (closed, guint32, 0), ==, last_notified ()->id);
  }
  sent = notified->len;
  g_assert_cmpuint (sent, ==, 3);

  /* No notification server on the bus: nothing sent, and no WARNING from
   * GLib's backend (warnings are fatal here). */
  g_bus_unown_name (name_id);
  app_has_notify_reply (); /* the application has seen the name go */
  publish (device (16), 98, 80);
  g_free (wait_alert (device (16), "FULL_BIN"));
  assert_no_more (3);

  feed_test_publisher_stop (&pub);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  g_clear_pointer (&broker, rl_test_broker_free);
  g_clear_pointer (&server, rl_test_devserver_free);
  g_ptr_array_unref (devices);
  g_hash_table_unref (point_ids);
  g_hash_table_unref (point_names);
  g_ptr_array_unref (notified);
  g_array_unref (closed);
  g_clear_object (&server_bus);
}

/* ---- The words, without a server ---------------------------------------------------------------- */

static RlWatchedAlert *
watched (const char *id,
         const char *point,
         const char *name,
         const char *type)
{
  RlWatchedAlert *a = g_new0 (RlWatchedAlert, 1);

  a->id = g_strdup (id);
  a->drop_point_id = g_strdup (point);
  a->drop_point_name = g_strdup (name);
  a->device_id = g_strdup ("bin-9");
  a->type = g_strdup (type);
  a->source = RL_ALERT_SOURCE_LOCAL;
  return a;
}

static void
test_words (void)
{
  g_autoptr (GPtrArray) alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_watched_alert_free);
  char     *title, *body, *action;
  GVariant *target;

  /* One, with no drop point: the device names it, the Alerts page opens. */
  g_ptr_array_add (alerts, watched ("a1", NULL, NULL, "HIGH_TEMPERATURE"));
  rl_alert_notification_words (alerts, &title, &body, &action, &target);
  g_assert_cmpstr (title, ==, "Bin is too hot");
  g_assert_cmpstr (body, ==, "bin-9");
  g_assert_cmpstr (action, ==, "app.show-open-high-alerts");
  g_assert_null (target);
  g_free (title), g_free (body), g_free (action);

  /* Two of one type, then mixed types. */
  g_ptr_array_add (alerts, watched ("a2", "dp-2", "पाटन ढोका", "HIGH_TEMPERATURE"));
  rl_alert_notification_words (alerts, &title, &body, &action, &target);
  g_assert_cmpstr (title, ==, "2 bins are too hot");
  g_assert_cmpstr (body, ==, "bin-9, पाटन ढोका");
  g_assert_cmpstr (action, ==, "app.show-open-high-alerts");
  g_free (title), g_free (body), g_free (action);
  g_ptr_array_add (alerts, watched ("a3", "dp-3", "Ason", "FULL_BIN"));
  g_ptr_array_add (alerts, watched ("a4", "dp-4", "Thamel", "FULL_BIN"));
  rl_alert_notification_words (alerts, &title, &body, &action, &target);
  g_assert_cmpstr (title, ==, "4 bins need attention");
  g_assert_cmpstr (body, ==, "bin-9, पाटन ढोका, Ason and 1 more");
  g_free (title), g_free (body), g_free (action);

  /* One with a drop point: the map on it. */
  g_ptr_array_remove_range (alerts, 0, 3);
  rl_alert_notification_words (alerts, &title, &body, &action, &target);
  g_assert_cmpstr (title, ==, "Bin is full");
  g_assert_cmpstr (body, ==, "Thamel");
  g_assert_cmpstr (action, ==, "app.show-on-map");
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "dp-4");
  g_free (title), g_free (body), g_free (action);
  g_variant_unref (target);
}

int
main (int   argc,
      char *argv[])
{
  static const char *const xdg_vars[] = {
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "XDG_STATE_HOME",
    "XDG_RUNTIME_DIR",
  };
  g_autofree char *tmp_home = NULL;
  int              status;

  gui_test_prepare_env ();
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  tmp_home = g_dir_make_tmp ("rl-notifications-XXXXXX", NULL);
  g_assert_nonnull (tmp_home);
  for (guint i = 0; i < G_N_ELEMENTS (xdg_vars); i++)
    {
      g_autofree char *dir = g_build_filename (tmp_home, xdg_vars[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (xdg_vars[i], dir, TRUE);
    }
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/gui/notification-words", test_words);
  g_test_add_func ("/gui/notifications", test_notifications);

  status = g_test_run ();
  rl_test_rm_rf (tmp_home);
  return status;
}
