/* rl-feed-dialog.c — the Feed dialog: support's view of whether the live feed is healthy.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Once a second while it is shown, the dialog copies the feed's health
 * (rl_feed_get_health: counters, the per-second history, the last
 * rejected payload) and sets its labels and sparkline; every few seconds,
 * and when the search changes, it asks the cache for the devices' last
 * readings in a worker (rl_store_list_devices_seen_async, the most silent
 * DEVICES_LIMIT of them). The Record, Replay and Export buttons only name
 * the parent window's actions.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-feed-device-item.h"
#include "rl-feed-dialog-nodes.h"
#include "rl-feed-dialog.h"
#include "rl-sparkline.h"
#include "rl-spinners.h"
#include "rl-store-devices.h"
#include "rl-ui-errors.h"
#include "rl-ui-format.h"
#include "rl-weak-call.h"

#define DEVICES_LIMIT 500
#define DEVICES_EVERY_S 5
#define PREVIEW_CHARS 512

/* ---- The dialog ----------------------------------------------------------- */

struct _RlFeedDialog
{
  AdwWindow parent_instance;

  RlSession    *session;
  GListStore   *devices; /* RlFeedDeviceItem */
  GCancellable *devices_cancellable;
  gboolean      devices_loading;
  gboolean      devices_again; /* the search changed while a query ran */
  guint         timeout_id;
  guint         ticks;
  GtkWidget    *reject_rows[RL_FEED_N_REJECTS];
  GHashTable   *bound_rows; /* the device rows on screen → their RlDeviceSeen */

  AdwWindowTitle      *window_title;
  GtkWidget           *record_button;
  GtkWidget           *replay_button;
  GtkLabel            *state_label;
  AdwActionRow        *state_row;
  AdwActionRow        *broker_row;
  AdwPreferencesGroup *brokers_group;
  GPtrArray           *broker_rows; /* rl-feed-dialog-nodes.c */
  GtkLabel            *last_message_label;
  GtkLabel            *rate_label;
  GtkLabel            *peak_label;
  RlSparkline         *sparkline;
  GtkLabel            *received_label;
  GtkLabel            *readings_label;
  AdwPreferencesGroup *rejects_group;
  GtkWidget           *no_rejects_row;
  GtkWidget           *last_rejected_group;
  AdwActionRow        *last_rejected_row;
  GtkLabel            *preview_label;
  GtkSearchEntry      *search_entry;
  GtkStack            *devices_stack;
  GtkLabel            *devices_empty_label;
  GtkListView         *devices_view;
  GtkLabel            *devices_count_label;
};

G_DEFINE_FINAL_TYPE (RlFeedDialog, rl_feed_dialog, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
reject_label (RlFeedReject reason)
{
  switch (reason)
    {
    case RL_FEED_REJECT_TOPIC:
      return _ ("Unknown topic");
    case RL_FEED_REJECT_TOO_LARGE:
      return _ ("Too large (over 64 KiB)");
    case RL_FEED_REJECT_NOT_JSON:
      return _ ("Not a JSON object");
    case RL_FEED_REJECT_MISSING_FIELD:
      return _ ("A required field is missing");
    case RL_FEED_REJECT_BAD_VALUE:
      return _ ("A value has the wrong type");
    case RL_FEED_REJECT_OUT_OF_RANGE:
      return _ ("A value is out of range");
    case RL_FEED_REJECT_BIN_MISMATCH:
      return _ ("The bin ID differs from the topic's");
    case RL_FEED_REJECT_FUTURE:
      return _ ("Time stamp in the future");
    case RL_FEED_REJECT_UNKNOWN_DEVICE:
      return _ ("Unknown device");
    case RL_FEED_N_REJECTS:
    default:
      return "";
    }
}

static char *
format_count (guint64 n)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, n);
}

/* "12 s ago", "3 min ago", "2 h ago", or the date and time. */
static char *
format_age (gint64 then_ms,
            gint64 now_ms)
{
  gint64 s = MAX (now_ms - then_ms, 0) / 1000;

  if (then_ms <= 0)
    return g_strdup (_ ("Never"));
  if (s < 60)
    /* Translators: an age in seconds. */
    return g_strdup_printf (_ ("%d s ago"), (int) s);
  if (s < 3600)
    /* Translators: an age in minutes. */
    return g_strdup_printf (_ ("%d min ago"), (int) (s / 60));
  if (s < 48 * 3600)
    /* Translators: an age in hours. */
    return g_strdup_printf (_ ("%d h ago"), (int) (s / 3600));
  return rl_ui_format_time_ms (then_ms);
}

static const char *
state_text (RlFeed     *feed,
            RlFeedState state)
{
  if (feed == NULL)
    return _ ("Off");
  switch (state)
    {
    case RL_FEED_STATE_CONNECTING:
      return _ ("Connecting…");
    case RL_FEED_STATE_CONNECTED:
      return _ ("Connected");
    case RL_FEED_STATE_RECONNECTING:
      return _ ("Reconnecting…");
    case RL_FEED_STATE_STOPPED:
    default:
      return _ ("Stopped");
    }
}

static void
update_rejects (RlFeedDialog       *self,
                const RlFeedHealth *health,
                gint64              now_ms)
{
  gboolean any = FALSE;

  for (guint i = 0; i < RL_FEED_N_REJECTS; i++)
    {
      guint64          n = health->counters.rejected[i];
      g_autofree char *count = format_count (n);

      gtk_widget_set_visible (self->reject_rows[i], n > 0);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->reject_rows[i]),
                                   rl_feed_reject_to_string (i));
      gtk_label_set_label (GTK_LABEL (g_object_get_data (G_OBJECT (self->reject_rows[i]), "count")),
                           count);
      any |= n > 0;
    }
  gtk_widget_set_visible (self->no_rejects_row, !any);

  gtk_widget_set_visible (self->last_rejected_group, health->has_rejected);
  if (health->has_rejected)
    {
      g_autofree char *age = format_age (health->rejected_ms, now_ms);
      g_autofree char *size = g_format_size_full (health->rejected_length, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *preview = rl_feed_payload_preview (health->rejected_payload, PREVIEW_CHARS);
      g_autofree char *subtitle = NULL;

      /* Translators: 1: the MQTT topic, 2: the payload's size, 3: an age ("3 min ago"). */
      subtitle = g_strdup_printf (_ ("%1$s · %2$s · %3$s"),
                                  health->rejected_topic != NULL ? health->rejected_topic : "",
                                  size, age);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->last_rejected_row),
                                     reject_label (health->rejected_reason));
      adw_action_row_set_subtitle (self->last_rejected_row, subtitle);
      if (g_strcmp0 (gtk_label_get_label (self->preview_label), preview) != 0)
        gtk_label_set_label (self->preview_label, *preview != '\0' ? preview : _ ("(empty)"));
    }
}

static void
update_rate (RlFeedDialog       *self,
             const RlFeedHealth *health)
{
  guint32          peak = 0;
  guint64          total = 0;
  g_autofree char *rate = NULL;
  g_autofree char *peak_text = NULL;
  g_autofree char *description = NULL;
  g_autofree char *total_text = NULL;

  rl_sparkline_set_values (self->sparkline, health->history, RL_FEED_HEALTH_SECONDS);
  for (guint i = 0; i < RL_FEED_HEALTH_SECONDS; i++)
    {
      peak = MAX (peak, health->history[i]);
      total += health->history[i];
    }
  /* Translators: messages per second. */
  rate = g_strdup_printf (_ ("%.1f messages/s"), health->per_second);
  /* Translators: the most messages in one second over the last 10 minutes. */
  peak_text = g_strdup_printf (_ ("peak %u/s"), peak);
  gtk_label_set_label (self->rate_label, rate);
  gtk_label_set_label (self->peak_label, peak_text);
  /* Translators: 1: messages per second now, 2: the peak, 3: messages in 10 minutes. */
  description = g_strdup_printf (
      _ ("%1$.1f messages per second now, at most %2$u in one second, %3$s in the last 10 minutes"),
      health->per_second, peak, (total_text = format_count (total)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sparkline),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Messages per second"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
}

static void load_devices (RlFeedDialog *self);

void
rl_feed_dialog_refresh (RlFeedDialog *self)
{
  RlFeed          *feed;
  RlFeedHealth     health = { 0 };
  gint64           now_ms = g_get_real_time () / 1000;
  g_autofree char *age = NULL;
  g_autofree char *received = NULL;
  g_autofree char *readings = NULL;
  const char      *url;

  g_return_if_fail (RL_IS_FEED_DIALOG (self));

  feed = self->session != NULL ? rl_session_get_feed (self->session) : NULL;
  if (feed != NULL)
    rl_feed_get_health (feed, &health);
  /* The node the feed is on, else the list's first. */
  url = feed != NULL ? rl_feed_get_node (feed) : NULL;
  if (url == NULL && feed != NULL)
    url = rl_feed_get_url (feed);

  gtk_label_set_label (self->state_label,
                       state_text (feed, feed != NULL ? rl_feed_get_state (feed) : 0));
  if (feed == NULL || rl_feed_get_state (feed) == RL_FEED_STATE_STOPPED)
    adw_action_row_set_subtitle (
        self->state_row, _ ("Live telemetry is stopped: no broker is set up in Preferences, or "
                            "the console is signed out. The figures below are from before."));
  else if (rl_feed_get_state (feed) == RL_FEED_STATE_RECONNECTING && rl_feed_get_error (feed))
    {
      g_autofree char *why = rl_ui_error_message (rl_feed_get_error (feed));

      adw_action_row_set_subtitle (self->state_row, why);
    }
  else
    adw_action_row_set_subtitle (self->state_row, NULL);
  adw_action_row_set_subtitle (self->broker_row, url != NULL ? url : _ ("None"));
  adw_window_title_set_subtitle (self->window_title, url != NULL ? url : "");
  rl_feed_dialog_nodes_update (self->brokers_group, self->broker_rows, feed);

  age = format_age (health.last_message_ms, now_ms);
  gtk_label_set_label (self->last_message_label, age);
  received = format_count (health.counters.received);
  readings = format_count (health.counters.readings);
  gtk_label_set_label (self->received_label, received);
  gtk_label_set_label (self->readings_label, readings);
  update_rate (self, &health);
  update_rejects (self, &health, now_ms);
  rl_feed_health_clear (&health);
}

static gboolean
tick_cb (gpointer user_data)
{
  RlFeedDialog *self = user_data;

  GHashTableIter iter;
  gpointer       row, seen;
  gint64         now_ms = g_get_real_time () / 1000;

  rl_feed_dialog_refresh (self);
  if (++self->ticks % DEVICES_EVERY_S == 0)
    load_devices (self);
  /* The ages on screen grow even when nothing else changes. */
  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, &seen))
    {
      g_autofree char *age = format_age (((RlDeviceSeen *) seen)->last_reading_ms, now_ms);

      gtk_label_set_label (g_object_get_data (G_OBJECT (row), "seen"), age);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- The devices' list ---------------------------------------------------- */

static gboolean
same_seen (const RlDeviceSeen *a,
           const RlDeviceSeen *b)
{
  return g_strcmp0 (a->drop_point_id, b->drop_point_id) == 0
         && g_strcmp0 (a->name, b->name) == 0 && a->last_reading_ms == b->last_reading_ms
         && a->online == b->online;
}

/* Replaces only the rows between the first and the last that differ, so a
 * refresh that changes nothing keeps the list's scroll position and focus. */
static void
replace_devices (RlFeedDialog *self,
                 GPtrArray    *items)
{
  GListModel *model = G_LIST_MODEL (self->devices);
  guint       old_n = g_list_model_get_n_items (model);
  guint       head = 0, tail = 0;

  while (head < old_n && head < items->len)
    {
      g_autoptr (RlFeedDeviceItem) old = g_list_model_get_item (model, head);

      if (!same_seen (old->seen, RL_FEED_DEVICE_ITEM (items->pdata[head])->seen))
        break;
      head++;
    }
  while (tail < old_n - head && tail < items->len - head)
    {
      g_autoptr (RlFeedDeviceItem) old = g_list_model_get_item (model, old_n - 1 - tail);

      if (!same_seen (old->seen, RL_FEED_DEVICE_ITEM (items->pdata[items->len - 1 - tail])->seen))
        break;
      tail++;
    }
  if (head == old_n && head == items->len)
    return;
  g_list_store_splice (self->devices, head, old_n - head - tail, items->pdata + head,
                       items->len - head - tail);
}

static void
devices_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (RlFeedDialog) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GPtrArray) items = NULL;
  guint            total = 0;
  g_autofree char *count = NULL;

  devices = rl_store_list_devices_seen_finish (RL_STORE (source), result, &total, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->devices_loading = FALSE;
  if (self->devices_again)
    {
      self->devices_again = FALSE;
      load_devices (self);
    }
  if (devices == NULL)
    {
      g_autofree char *why = rl_ui_error_message (error);

      gtk_label_set_label (self->devices_empty_label, why);
      gtk_stack_set_visible_child_name (self->devices_stack, "empty");
      return;
    }

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < devices->len; i++)
    {
      g_ptr_array_add (items, rl_feed_device_item_new (g_steal_pointer (&devices->pdata[i])));
    }
  replace_devices (self, items);

  if (devices->len == 0)
    {
      const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

      gtk_label_set_label (self->devices_empty_label,
                           *search != '\0' ? _ ("No device matches the search")
                                           : _ ("No drop point in the cache has a device"));
      gtk_stack_set_visible_child_name (self->devices_stack, "empty");
      gtk_label_set_label (self->devices_count_label, "");
      return;
    }
  gtk_stack_set_visible_child_name (self->devices_stack, "list");
  if (total > devices->len)
    /* Translators: 1: devices shown, 2: devices that match. */
    count = g_strdup_printf (_ ("The %1$u most silent of %2$u devices"), devices->len, total);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u device", "%u devices", total),
                             total);
  gtk_label_set_label (self->devices_count_label, count);
}

static void
load_devices (RlFeedDialog *self)
{
  RlStore *store = self->session != NULL ? rl_session_get_store (self->session) : NULL;

  if (store == NULL)
    {
      g_list_store_remove_all (self->devices);
      gtk_label_set_label (self->devices_empty_label, _ ("Sign in to see the devices"));
      gtk_stack_set_visible_child_name (self->devices_stack, "empty");
      return;
    }
  if (self->devices_loading)
    {
      self->devices_again = TRUE;
      return;
    }
  self->devices_loading = TRUE;
  rl_store_list_devices_seen_async (store, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                    DEVICES_LIMIT, self->devices_cancellable, devices_cb,
                                    rl_weak_call_new (self));
}

static void
search_changed_cb (RlFeedDialog *self)
{
  load_devices (self);
}

static void
device_setup_cb (GtkListItemFactory *factory,
                 GtkListItem        *list_item,
                 RlFeedDialog       *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *names = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *device = gtk_label_new (NULL);
  GtkWidget *seen = gtk_label_new (NULL);
  GtkWidget *status = gtk_label_new (NULL);
  GtkWidget *export = gtk_button_new_from_icon_name ("document-save-symbolic");

  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 6);
  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_widget_set_hexpand (names, TRUE);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (device), 0);
  gtk_widget_add_css_class (device, "caption");
  gtk_widget_add_css_class (device, "dim-label");
  gtk_box_append (GTK_BOX (names), name);
  gtk_box_append (GTK_BOX (names), device);
  gtk_label_set_xalign (GTK_LABEL (seen), 1);
  gtk_widget_add_css_class (seen, "numeric");
  gtk_label_set_width_chars (GTK_LABEL (status), 8);
  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_widget_set_valign (export, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (export, "flat");
  gtk_widget_set_tooltip_text (export, _ ("Export Readings…"));
  /* The action's name comes with its target, in bind: a name without the
   * "s" target it takes is a GTK warning. */
  gtk_box_append (GTK_BOX (row), names);
  gtk_box_append (GTK_BOX (row), seen);
  gtk_box_append (GTK_BOX (row), status);
  gtk_box_append (GTK_BOX (row), export);
  g_object_set_data (G_OBJECT (row), "name", name);
  g_object_set_data (G_OBJECT (row), "device", device);
  g_object_set_data (G_OBJECT (row), "seen", seen);
  g_object_set_data (G_OBJECT (row), "status", status);
  g_object_set_data (G_OBJECT (row), "export", export);
  gtk_list_item_set_child (list_item, row);
}

static void
device_bind_cb (GtkListItemFactory *factory,
                GtkListItem        *list_item,
                RlFeedDialog       *self)
{
  RlFeedDeviceItem *item = gtk_list_item_get_item (list_item);
  GtkWidget        *row = gtk_list_item_get_child (list_item);
  GtkWidget        *status = g_object_get_data (G_OBJECT (row), "status");
  GtkWidget *export = g_object_get_data (G_OBJECT (row), "export");
  g_autofree char *age = format_age (item->seen->last_reading_ms, g_get_real_time () / 1000);
  g_autofree char *export_name = NULL;
  g_autofree char *label = NULL;

  gtk_label_set_label (g_object_get_data (G_OBJECT (row), "name"),
                       *item->seen->name != '\0' ? item->seen->name : item->seen->drop_point_id);
  gtk_label_set_label (g_object_get_data (G_OBJECT (row), "device"), item->seen->device_id);
  gtk_label_set_label (g_object_get_data (G_OBJECT (row), "seen"), age);
  g_hash_table_insert (self->bound_rows, row, item->seen);
  gtk_label_set_label (GTK_LABEL (status), item->seen->online ? _ ("Online") : _ ("Offline"));
  if (item->seen->online)
    gtk_widget_remove_css_class (status, "error");
  else
    gtk_widget_add_css_class (status, "error");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (export), "s", item->seen->device_id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (export), "win.export-readings");
  /* Translators: %s is a device ID. */
  export_name = g_strdup_printf (_ ("Export Readings of %s…"), item->seen->device_id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (export), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  export_name, -1);
  /* Translators: 1: drop point, 2: device ID, 3: last seen ("3 min ago"), 4: Online/Offline. */
  label = g_strdup_printf (_ ("%1$s, %2$s, last seen %3$s, %4$s"),
                           gtk_label_get_label (g_object_get_data (G_OBJECT (row), "name")),
                           item->seen->device_id, age,
                           gtk_label_get_label (GTK_LABEL (status)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
device_unbind_cb (GtkListItemFactory *factory,
                  GtkListItem        *list_item,
                  RlFeedDialog       *self)
{
  g_hash_table_remove (self->bound_rows, gtk_list_item_get_child (list_item));
}

/* ---- GObject -------------------------------------------------------------- */

static void
rl_feed_dialog_map (GtkWidget *widget)
{
  RlFeedDialog *self = RL_FEED_DIALOG (widget);

  GTK_WIDGET_CLASS (rl_feed_dialog_parent_class)->map (widget);
  rl_feed_dialog_refresh (self);
  load_devices (self);
  if (self->timeout_id == 0)
    self->timeout_id = g_timeout_add_seconds (1, tick_cb, self);
}

static void
rl_feed_dialog_unmap (GtkWidget *widget)
{
  RlFeedDialog *self = RL_FEED_DIALOG (widget);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  GTK_WIDGET_CLASS (rl_feed_dialog_parent_class)->unmap (widget);
}

static void
rl_feed_dialog_dispose (GObject *object)
{
  RlFeedDialog *self = RL_FEED_DIALOG (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->devices_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_FEED_DIALOG);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (rl_feed_dialog_parent_class)->dispose (object);
}

static void
rl_feed_dialog_finalize (GObject *object)
{
  RlFeedDialog *self = RL_FEED_DIALOG (object);

  g_clear_object (&self->devices);
  g_clear_object (&self->devices_cancellable);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);
  g_clear_pointer (&self->broker_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (rl_feed_dialog_parent_class)->finalize (object);
}

static void
rl_feed_dialog_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RlFeedDialog *self = RL_FEED_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_feed_dialog_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RlFeedDialog *self = RL_FEED_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_set_object (&self->session, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
focus_search_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (RL_FEED_DIALOG (widget)->search_entry));
}

static void
rl_feed_dialog_class_init (RlFeedDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_feed_dialog_dispose;
  object_class->finalize = rl_feed_dialog_finalize;
  object_class->get_property = rl_feed_dialog_get_property;
  object_class->set_property = rl_feed_dialog_set_property;
  widget_class->map = rl_feed_dialog_map;
  widget_class->unmap = rl_feed_dialog_unmap;

  properties[PROP_SESSION] = g_param_spec_object (
      "session", NULL, NULL, RL_TYPE_SESSION,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RL_TYPE_SPARKLINE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/reloop/Console/ui/rl-feed-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, record_button);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, replay_button);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, state_label);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, state_row);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, broker_row);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, brokers_group);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, last_message_label);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, rate_label);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, peak_label);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, sparkline);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, received_label);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, readings_label);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, rejects_group);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, no_rejects_row);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, last_rejected_group);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, last_rejected_row);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, preview_label);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, devices_stack);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, devices_empty_label);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, devices_view);
  gtk_widget_class_bind_template_child (widget_class, RlFeedDialog, devices_count_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "feed.search", NULL, focus_search_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "feed.search", NULL);
}

static void
rl_feed_dialog_init (RlFeedDialog *self)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  rl_spinners_spin_while_mapped (GTK_WIDGET (self));
  self->devices = g_list_store_new (RL_TYPE_FEED_DEVICE_ITEM);
  self->bound_rows = g_hash_table_new (NULL, NULL);
  self->broker_rows = g_ptr_array_new ();
  self->devices_cancellable = g_cancellable_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (device_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (device_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (device_unbind_cb), self);
  gtk_list_view_set_factory (self->devices_view, factory);
  gtk_list_view_set_model (
      self->devices_view,
      GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->devices)))));
  g_object_unref (gtk_list_view_get_model (self->devices_view));

  for (guint i = 0; i < RL_FEED_N_REJECTS; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *count = gtk_label_new ("0");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), reject_label (i));
      gtk_widget_add_css_class (count, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), count);
      g_object_set_data (G_OBJECT (row), "count", count);
      gtk_widget_set_visible (row, FALSE);
      adw_preferences_group_add (self->rejects_group, row);
      self->reject_rows[i] = row;
    }
  gtk_stack_set_visible_child_name (self->devices_stack, "loading");
}

RlFeedDialog *
rl_feed_dialog_new (GtkWindow *parent,
                    RlSession *session)
{
  RlFeedDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RL_IS_SESSION (session), NULL);

  self = g_object_new (RL_TYPE_FEED_DIALOG, "session", session, "transient-for", parent, NULL);
  /* The window's actions (win.feed-record, …) reach the dialog's buttons. */
  if (parent != NULL && G_IS_ACTION_GROUP (parent))
    gtk_widget_insert_action_group (GTK_WIDGET (self), "win", G_ACTION_GROUP (parent));
  return self;
}

RlSession *
rl_feed_dialog_get_session (RlFeedDialog *self)
{
  g_return_val_if_fail (RL_IS_FEED_DIALOG (self), NULL);
  return self->session;
}

GListModel *
rl_feed_dialog_get_devices (RlFeedDialog *self)
{
  g_return_val_if_fail (RL_IS_FEED_DIALOG (self), NULL);
  return G_LIST_MODEL (self->devices);
}

gboolean
rl_feed_dialog_get_devices_loading (RlFeedDialog *self)
{
  g_return_val_if_fail (RL_IS_FEED_DIALOG (self), FALSE);
  return self->devices_loading;
}
