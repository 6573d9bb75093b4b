/* rl-alert-notifier.c — GNotifications for new HIGH alerts, coalesced, withdrawn when handled.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-alert-notifier.h"
#include "rl-store.h"

/* Alerts are gathered until none has come for this long… */
#define DEFAULT_COALESCE_MS 750
/* …or this long after the first, so a steady stream is still told. */
#define MAX_GATHER_US (5 * G_USEC_PER_SEC)
/* Names a coalesced notification's body lists before "and N more". */
#define MAX_NAMES 3

/* The names GLib's gtk and freedesktop backends talk to. */
static const char *const server_names[] = { "org.gtk.Notifications",
                                            "org.freedesktop.Notifications" };

struct _RlAlertNotifier
{
  GObject parent_instance;

  GApplication *application; /* weak: the application owns the notifier */
  RlSession    *session;
  GSettings    *settings;
  RlAlertWatch *watch;
  GPtrArray    *pending; /* RlWatchedAlert * gathered for the next notification */
  guint         coalesce_id;
  gint64        gather_since_us; /* when the first pending alert came */
  guint         coalesce_ms;
  guint         n_sent;
  guint         serial;
  /* alert id → notification id; notification id → alerts still open (uint) */
  GHashTable *alert_notification;
  GHashTable *notification_open;
  /* Whether a notification server is there (see can_notify). */
  guint    server_watch[2];
  gboolean server_owned[2];
  gboolean server_activatable;
  gboolean server_unknown;
};

G_DEFINE_FINAL_TYPE (RlAlertNotifier, rl_alert_notifier, G_TYPE_OBJECT)

static const char *
type_title (const char *type)
{
  if (g_strcmp0 (type, "FULL_BIN") == 0)
    return _ ("Bin is full");
  if (g_strcmp0 (type, "HIGH_TEMPERATURE") == 0)
    return _ ("Bin is too hot");
  if (g_strcmp0 (type, "OFFLINE") == 0)
    return _ ("Bin is offline");
  if (g_strcmp0 (type, "LOW_BATTERY") == 0)
    return _ ("Sensor battery is low");
  if (g_strcmp0 (type, "SENSOR_FAULT") == 0)
    return _ ("Sensor fault");
  return _ ("High alert");
}

static char *
coalesced_title (const char *type,
                 guint       n)
{
  if (g_strcmp0 (type, "FULL_BIN") == 0)
    return g_strdup_printf (ngettext ("%u bin is full", "%u bins are full", n), n);
  if (g_strcmp0 (type, "HIGH_TEMPERATURE") == 0)
    return g_strdup_printf (ngettext ("%u bin is too hot", "%u bins are too hot", n), n);
  if (g_strcmp0 (type, "OFFLINE") == 0)
    return g_strdup_printf (ngettext ("%u bin is offline", "%u bins are offline", n), n);
  return g_strdup_printf (ngettext ("%u bin needs attention", "%u bins need attention", n), n);
}

static const char *
place_of (RlWatchedAlert *alert)
{
  if (alert->drop_point_name != NULL && *alert->drop_point_name != '\0')
    return alert->drop_point_name;
  if (alert->device_id != NULL)
    return alert->device_id;
  return _ ("Unknown drop point");
}

void
rl_alert_notification_words (GPtrArray *alerts,
                             char     **out_title,
                             char     **out_body,
                             char     **out_action,
                             GVariant **out_target)
{
  RlWatchedAlert *first;
  const char     *type;

  g_return_if_fail (alerts != NULL && alerts->len > 0);

  first = g_ptr_array_index (alerts, 0);
  if (alerts->len == 1)
    {
      *out_title = g_strdup (type_title (first->type));
      *out_body = g_strdup (place_of (first));
      if (first->drop_point_id != NULL)
        {
          *out_action = g_strdup ("app.show-on-map");
          *out_target = g_variant_ref_sink (g_variant_new_string (first->drop_point_id));
        }
      else
        {
          *out_action = g_strdup ("app.show-open-high-alerts");
          *out_target = NULL;
        }
      return;
    }

  type = first->type;
  for (guint i = 1; i < alerts->len && type != NULL; i++)
    if (g_strcmp0 (((RlWatchedAlert *) g_ptr_array_index (alerts, i))->type, type) != 0)
      type = NULL; /* mixed types */
  *out_title = coalesced_title (type, alerts->len);

  {
    g_autoptr (GPtrArray) names = g_ptr_array_new ();
    g_autofree char *list = NULL;

    for (guint i = 0; i < alerts->len && i < MAX_NAMES; i++)
      g_ptr_array_add (names, (gpointer) place_of (g_ptr_array_index (alerts, i)));
    g_ptr_array_add (names, NULL);
    /* Translators: the separator between drop point names in a list. */
    list = g_strjoinv (_ (", "), (char **) names->pdata);
    if (alerts->len > MAX_NAMES)
      {
        guint more = alerts->len - MAX_NAMES;

        /* Translators: %s is a list of drop point names, %u how many more. */
        *out_body = g_strdup_printf (ngettext ("%s and %u more", "%s and %u more", more), list, more);
      }
    else
      *out_body = g_steal_pointer (&list);
  }
  *out_action = g_strdup ("app.show-open-high-alerts");
  *out_target = NULL;
}

/* GLib's freedesktop backend logs a WARNING when no notification server
 * answers: with none on the bus (a bare session, a test's), send nothing.
 * In a sandbox the portal answers for the desktop. */
static gboolean
can_notify (RlAlertNotifier *self)
{
  return self->server_unknown || self->server_owned[0] || self->server_owned[1]
         || self->server_activatable || g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static void
send_pending (RlAlertNotifier *self)
{
  g_autoptr (GPtrArray) alerts = g_steal_pointer (&self->pending);
  g_autoptr (GNotification) notification = NULL;
  g_autoptr (GVariant) target = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *action = NULL;
  g_autofree char *id = NULL;

  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_watched_alert_free);
  if (alerts->len == 0 || !g_settings_get_boolean (self->settings, "notify-high-alerts"))
    return;
  if (self->application == NULL || !g_application_get_is_registered (self->application)
      || g_application_get_is_remote (self->application))
    return;
  if (!can_notify (self))
    {
      g_debug ("no notification server on the session bus: %u alerts not told", alerts->len);
      return;
    }

  rl_alert_notification_words (alerts, &title, &body, &action, &target);
  if (alerts->len == 1)
    id = g_strdup_printf ("alert-%s", ((RlWatchedAlert *) g_ptr_array_index (alerts, 0))->id);
  else
    id = g_strdup_printf ("high-alerts-%u", ++self->serial);

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target_value (notification, action, target);
  g_application_send_notification (self->application, id, notification);
  self->n_sent++;
  g_debug ("notification %s: %s", id, title);

  g_hash_table_insert (self->notification_open, g_strdup (id), GUINT_TO_POINTER (alerts->len));
  for (guint i = 0; i < alerts->len; i++)
    g_hash_table_insert (self->alert_notification,
                         g_strdup (((RlWatchedAlert *) g_ptr_array_index (alerts, i))->id),
                         g_strdup (id));
}

static void
server_appeared_cb (GDBusConnection *connection,
                    const char      *name,
                    const char      *owner,
                    gpointer         user_data)
{
  RlAlertNotifier *self = user_data;

  self->server_owned[g_str_equal (name, server_names[0]) ? 0 : 1] = TRUE;
}

static void
server_vanished_cb (GDBusConnection *connection,
                    const char      *name,
                    gpointer         user_data)
{
  RlAlertNotifier *self = user_data;

  self->server_owned[g_str_equal (name, server_names[0]) ? 0 : 1] = FALSE;
}

static void
activatable_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (RlAlertNotifier) self = user_data;
  g_autoptr (GVariant) reply = NULL;
  g_autofree const char **names = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  if (reply == NULL)
    return;
  g_variant_get (reply, "(^a&s)", &names);
  for (guint i = 0; i < G_N_ELEMENTS (server_names); i++)
    if (g_strv_contains (names, server_names[i]))
      self->server_activatable = TRUE;
}

static gboolean
coalesce_done_cb (gpointer user_data)
{
  RlAlertNotifier *self = user_data;

  self->coalesce_id = 0;
  send_pending (self);
  return G_SOURCE_REMOVE;
}

static void
opened_cb (RlAlertNotifier *self,
           GPtrArray       *alerts,
           RlAlertWatch    *watch)
{
  for (guint i = 0; i < alerts->len; i++)
    {
      RlWatchedAlert *alert = g_ptr_array_index (alerts, i);
      RlWatchedAlert *copy = g_new0 (RlWatchedAlert, 1);

      *copy = (RlWatchedAlert){ g_strdup (alert->id), g_strdup (alert->drop_point_id),
                                g_strdup (alert->drop_point_name), g_strdup (alert->device_id),
                                g_strdup (alert->type), alert->source };
      g_ptr_array_add (self->pending, copy);
    }
  /* A quiet period ends the gathering: a burst that spans several writer
   * batches and monitor dispatches becomes one notification. */
  if (self->coalesce_id == 0)
    self->gather_since_us = g_get_monotonic_time ();
  else if (g_get_monotonic_time () - self->gather_since_us < MAX_GATHER_US)
    g_clear_handle_id (&self->coalesce_id, g_source_remove);
  if (self->coalesce_id == 0)
    self->coalesce_id = g_timeout_add (self->coalesce_ms, coalesce_done_cb, self);
}

static void
closed_cb (RlAlertNotifier *self,
           GStrv            ids,
           RlAlertWatch    *watch)
{
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *notification = NULL;
      gpointer         open;

      /* Still gathering: it will not be told. */
      for (guint j = 0; j < self->pending->len; j++)
        if (g_strcmp0 (((RlWatchedAlert *) g_ptr_array_index (self->pending, j))->id, ids[i]) == 0)
          {
            g_ptr_array_remove_index (self->pending, j);
            break;
          }

      if (!g_hash_table_steal_extended (self->alert_notification, ids[i], NULL,
                                        (gpointer *) &notification))
        continue;
      if (!g_hash_table_lookup_extended (self->notification_open, notification, NULL, &open))
        continue;
      if (GPOINTER_TO_UINT (open) > 1)
        g_hash_table_insert (self->notification_open, g_strdup (notification),
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (open) - 1));
      else
        {
          g_hash_table_remove (self->notification_open, notification);
          if (self->application != NULL && g_application_get_is_registered (self->application))
            g_application_withdraw_notification (self->application, notification);
          g_debug ("notification %s withdrawn", notification);
        }
    }
}

/* The first sync of a cache brings the network's past, not news: its
 * server alerts are marked seen. What it committed is read before the
 * skip ends. */
static void
last_sync_cb (RlAlertNotifier *self)
{
  if (self->watch == NULL || rl_session_get_last_sync (self->session) == 0)
    return;
  rl_alert_watch_check (self->watch);
  rl_alert_watch_set_skip_server (self->watch, FALSE);
}

static void
store_cb (RlAlertNotifier *self)
{
  RlStore *store = rl_session_get_store (self->session);

  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);
  g_clear_handle_id (&self->coalesce_id, g_source_remove);
  g_ptr_array_set_size (self->pending, 0);
  if (store == NULL)
    return;

  self->watch = rl_alert_watch_new (store);
  rl_alert_watch_set_skip_server (self->watch, rl_store_get_cursor (store) == 0);
  g_signal_connect_object (self->watch, "opened", G_CALLBACK (opened_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->watch, "closed", G_CALLBACK (closed_cb), self, G_CONNECT_SWAPPED);
}

static void
rl_alert_notifier_dispose (GObject *object)
{
  RlAlertNotifier *self = RL_ALERT_NOTIFIER (object);

  g_clear_handle_id (&self->coalesce_id, g_source_remove);
  for (guint i = 0; i < G_N_ELEMENTS (self->server_watch); i++)
    g_clear_handle_id (&self->server_watch[i], g_bus_unwatch_name);
  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (rl_alert_notifier_parent_class)->dispose (object);
}

static void
rl_alert_notifier_finalize (GObject *object)
{
  RlAlertNotifier *self = RL_ALERT_NOTIFIER (object);

  g_ptr_array_unref (self->pending);
  g_hash_table_unref (self->alert_notification);
  g_hash_table_unref (self->notification_open);

  G_OBJECT_CLASS (rl_alert_notifier_parent_class)->finalize (object);
}

static void
rl_alert_notifier_class_init (RlAlertNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rl_alert_notifier_dispose;
  object_class->finalize = rl_alert_notifier_finalize;
}

static void
rl_alert_notifier_init (RlAlertNotifier *self)
{
  self->coalesce_ms = DEFAULT_COALESCE_MS;
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_watched_alert_free);
  self->alert_notification = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->notification_open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

RlAlertNotifier *
rl_alert_notifier_new (GApplication *application,
                       RlSession    *session,
                       GSettings    *settings)
{
  RlAlertNotifier *self;
  GDBusConnection *bus;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (RL_IS_SESSION (session), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RL_TYPE_ALERT_NOTIFIER, NULL);
  g_set_weak_pointer (&self->application, application);
  bus = g_application_get_dbus_connection (application);
  self->server_unknown = bus == NULL;
  if (bus != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (server_names); i++)
        self->server_watch[i] = g_bus_watch_name_on_connection (
            bus, server_names[i], G_BUS_NAME_WATCHER_FLAGS_NONE, server_appeared_cb,
            server_vanished_cb, self, NULL);
      g_dbus_connection_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                              "org.freedesktop.DBus", "ListActivatableNames", NULL,
                              G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                              activatable_cb, g_object_ref (self));
    }
  self->session = g_object_ref (session);
  self->settings = g_object_ref (settings);
  g_signal_connect_object (session, "notify::store", G_CALLBACK (store_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::last-sync", G_CALLBACK (last_sync_cb), self,
                           G_CONNECT_SWAPPED);
  store_cb (self);
  return self;
}

void
rl_alert_notifier_set_coalesce_ms (RlAlertNotifier *self,
                                   guint            ms)
{
  g_return_if_fail (RL_IS_ALERT_NOTIFIER (self));

  self->coalesce_ms = MAX (ms, 1);
}

guint
rl_alert_notifier_get_n_sent (RlAlertNotifier *self)
{
  g_return_val_if_fail (RL_IS_ALERT_NOTIFIER (self), 0);

  return self->n_sent;
}
