/* rl-alerts-page.c — the alerts inbox: the cache's alerts, filtered and sorted, acted on.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list is an RlRecordList of kind alerts bound to the session's cache in
 * the template (ui/rl-alerts-page.ui); its filters (status, severity, type,
 * text) and its order run in SQL. Acknowledge and Resolve go through the sync
 * engine's outbox (rl_session_alert_action): the row shows the new state at
 * once and "Waiting to sync" until the server has it. "Show on Map" is the
 * window's win.show-on-map. The page counts the open HIGH and MEDIUM alerts
 * for the tab's badge (property "attention"), from a second list of the
 * same cache. See docs/lists.md.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rl-a11y.h"
#include "rl-alerts-page.h"
#include "rl-column-sort.h"
#include "rl-core-enums.h"
#include "rl-edits.h"
#include "rl-list-pause.h"
#include "rl-record-list.h"
#include "rl-spinners.h"
#include "rl-ui-alerts.h"
#include "rl-ui-errors.h"
#include "rl-ui-format.h"

struct _RlAlertsPage
{
  RlPage parent_instance;

  RlRecordList      *list;
  GtkMultiSelection *selection;
  GtkSearchEntry    *search_entry;
  GtkDropDown       *status_dropdown;
  GtkDropDown       *severity_dropdown;
  GtkDropDown       *type_dropdown;
  GtkDropDown       *source_dropdown;
  GtkToggleButton   *open_high_button;
  GtkStack          *list_stack;
  AdwStatusPage     *empty_page;
  AdwStatusPage     *error_page;
  GtkColumnView     *column_view;
  GtkLabel          *count_label;
  GtkButton         *ack_button;
  GtkButton         *resolve_button;
  GtkButton         *map_button;

  /* The open HIGH and MEDIUM alerts, for the badge. */
  RlRecordList *attention_list;
  gboolean      syncing_filters;
  gboolean      scroll_to_top; /* a new filter: show the list from its first row */
};

G_DEFINE_FINAL_TYPE (RlAlertsPage, rl_alerts_page, RL_TYPE_PAGE)

enum
{
  PROP_0,
  PROP_ATTENTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The status drop-down's rows, in order. */
static const char *const        status_open[] = { "open", NULL };
static const char *const        status_acknowledged[] = { "acknowledged", NULL };
static const char *const        status_resolved[] = { "resolved", NULL };
static const char *const        status_unresolved[] = { "open", "acknowledged", NULL };
static const char *const *const status_rows[] = {
  status_open,
  status_acknowledged,
  status_resolved,
  status_unresolved,
  NULL,
};

static const RlAlertSeverity severity_rows[] = {
  RL_ALERT_SEVERITY_UNKNOWN, /* all */
  RL_ALERT_SEVERITY_HIGH,
  RL_ALERT_SEVERITY_MEDIUM,
  RL_ALERT_SEVERITY_LOW,
};

static const RlAlertType type_rows[] = {
  RL_ALERT_TYPE_UNKNOWN, /* all */
  RL_ALERT_TYPE_FULL_BIN,
  RL_ALERT_TYPE_LOW_BATTERY,
  RL_ALERT_TYPE_HIGH_TEMPERATURE,
  RL_ALERT_TYPE_OFFLINE,
  RL_ALERT_TYPE_SENSOR_FAULT,
};

static const RlAlertSource source_rows[] = {
  RL_ALERT_SOURCE_UNKNOWN, /* all */
  RL_ALERT_SOURCE_SERVER,
  RL_ALERT_SOURCE_FEED,
  RL_ALERT_SOURCE_LOCAL,
};

/* ---- Cells --------------------------------------------------------------------------------- */

/* A closure of type gchararray: the caller frees what it returns. */
static char *
severity_icon (gpointer        this_,
               RlAlertSeverity severity)
{
  switch (severity)
    {
    case RL_ALERT_SEVERITY_HIGH:
      return g_strdup ("dialog-error-symbolic");
    case RL_ALERT_SEVERITY_MEDIUM:
      return g_strdup ("dialog-warning-symbolic");
    case RL_ALERT_SEVERITY_LOW:
    case RL_ALERT_SEVERITY_UNKNOWN:
    default:
      return g_strdup ("dialog-information-symbolic");
    }
}

static char *
severity_text (gpointer        this_,
               RlAlertSeverity severity)
{
  switch (severity)
    {
    case RL_ALERT_SEVERITY_HIGH:
      return g_strdup (C_ ("severity", "High"));
    case RL_ALERT_SEVERITY_MEDIUM:
      return g_strdup (C_ ("severity", "Medium"));
    case RL_ALERT_SEVERITY_LOW:
      return g_strdup (C_ ("severity", "Low"));
    case RL_ALERT_SEVERITY_UNKNOWN:
    default:
      return g_strdup (_ ("Unknown"));
    }
}

static char *
type_text (gpointer    this_,
           RlAlertType type)
{
  switch (type)
    {
    case RL_ALERT_TYPE_FULL_BIN:
      return g_strdup (_ ("Full bin"));
    case RL_ALERT_TYPE_LOW_BATTERY:
      return g_strdup (_ ("Low battery"));
    case RL_ALERT_TYPE_HIGH_TEMPERATURE:
      return g_strdup (_ ("High temperature"));
    case RL_ALERT_TYPE_OFFLINE:
      return g_strdup (_ ("Offline"));
    case RL_ALERT_TYPE_SENSOR_FAULT:
      return g_strdup (_ ("Sensor fault"));
    case RL_ALERT_TYPE_UNKNOWN:
    default:
      return g_strdup (_ ("Other"));
    }
}

static char *
point_text (gpointer    this_,
            const char *name,
            const char *id)
{
  if (name != NULL && *name != '\0')
    /* Translators: 1: a drop point's name, 2: its id. */
    return g_strdup_printf (_ ("%1$s (%2$s)"), name, id != NULL ? id : "");
  return g_strdup (id != NULL ? id : "—");
}

static char *
time_text (gpointer this_,
           gint64   ms)
{
  return rl_ui_format_time_ms (ms);
}

/* How long ago, coarse: "4 min", "3 h", "2 d" (as the row was bound). */
static char *
age_text (gpointer this_,
          gint64   ms)
{
  gint64 minutes;

  if (ms <= 0)
    return g_strdup ("—");
  minutes = MAX ((g_get_real_time () / 1000 - ms) / 60000, 0);
  if (minutes < 60)
    /* Translators: an age in minutes. */
    return g_strdup_printf (_ ("%d min"), (int) minutes);
  if (minutes < 48 * 60)
    /* Translators: an age in hours. */
    return g_strdup_printf (_ ("%d h"), (int) (minutes / 60));
  /* Translators: an age in days. */
  return g_strdup_printf (_ ("%d d"), (int) MIN (minutes / (24 * 60), G_MAXINT));
}

static char *
status_text (gpointer      this_,
             RlAlertStatus status)
{
  switch (status)
    {
    case RL_ALERT_STATUS_OPEN:
      return g_strdup (C_ ("alert", "Open"));
    case RL_ALERT_STATUS_ACKNOWLEDGED:
      return g_strdup (_ ("Acknowledged"));
    case RL_ALERT_STATUS_RESOLVED:
      return g_strdup (C_ ("alert", "Resolved"));
    case RL_ALERT_STATUS_UNKNOWN:
    default:
      return g_strdup (_ ("Unknown"));
    }
}

static char *
source_text (gpointer      this_,
             RlAlertSource source)
{
  return g_strdup (rl_ui_alert_source_label (source));
}

/* A sensor's or a console rule's alert has no server record: it is
 * acknowledged and resolved in this console's cache alone. */
static gboolean
console_only (gpointer      this_,
              RlAlertSource source)
{
  return source == RL_ALERT_SOURCE_FEED || source == RL_ALERT_SOURCE_LOCAL;
}

/* Strings inside a list item factory's XML are not extracted for
 * translation: they come from here. */
static char *
console_only_text (gpointer      this_,
                   RlAlertSource source)
{
  return g_strdup (console_only (this_, source) ? _ ("This console only") : "");
}

static char *
waiting_text (gpointer this_,
              gboolean waiting)
{
  return g_strdup (waiting ? _ ("Waiting to sync") : "");
}

/* When an alert was acknowledged (the row's second line, under who). */
static char *
ack_text (gpointer    this_,
          const char *who,
          gint64      when_ms)
{
  if (who == NULL || *who == '\0' || when_ms <= 0)
    return g_strdup ("");
  return rl_ui_format_time_ms (when_ms);
}

/* ---- The list's state ------------------------------------------------------------------------ */

/* "216 alerts", or "2 of 216 alerts selected". */
static void
update_count (RlAlertsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  g_autoptr (GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64          n_selected = gtk_bitset_get_size (selected);
  g_autofree char *count = NULL;

  if (n_selected > 0)
    /* Translators: 1: how many rows are selected, 2: how many the list shows. */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%1$u of %2$u alert selected",
                                          "%1$u of %2$u alerts selected", n),
                             (guint) n_selected, n);
  else
    /* Translators: the number of alerts the list shows. */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u alert", "%u alerts", n), n);
  gtk_label_set_text (self->count_label, count);
}

static void
update_list_state (RlAlertsPage *self)
{
  guint         n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  const GError *error = rl_record_list_get_error (self->list);
  const char   *text = rl_record_list_get_text (self->list);
  gboolean      filtered = gtk_drop_down_get_selected (self->severity_dropdown) != 0
                      || gtk_drop_down_get_selected (self->type_dropdown) != 0
                      || gtk_drop_down_get_selected (self->source_dropdown) != 0
                      || (text != NULL && *text != '\0');

  /* A new filter's rows from the top: GTK keeps the view on the row it
   * showed, which a new filter may have moved far down. */
  if (self->scroll_to_top && !rl_record_list_get_loading (self->list))
    {
      self->scroll_to_top = FALSE;
      if (n > 0)
        rl_column_view_scroll_to_top (self->column_view);
    }

  if (n > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (error != NULL)
    {
      g_autofree char *message = rl_ui_error_message (error);

      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
    }
  else if (rl_record_list_get_loading (self->list))
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  else
    {
      if (filtered)
        {
          adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
          adw_status_page_set_title (self->empty_page, _ ("No Matching Alerts"));
          adw_status_page_set_description (self->empty_page,
                                           _ ("Try another search or other filters."));
        }
      else if (gtk_drop_down_get_selected (self->status_dropdown) == 0)
        {
          adw_status_page_set_icon_name (self->empty_page, "emblem-ok-symbolic");
          adw_status_page_set_title (self->empty_page, _ ("No Open Alerts"));
          adw_status_page_set_description (
              self->empty_page,
              _ ("Full bins, low batteries, high temperatures and silent bins show here as "
                 "they happen."));
        }
      else
        {
          adw_status_page_set_icon_name (self->empty_page, "dialog-warning-symbolic");
          adw_status_page_set_title (self->empty_page, _ ("No Alerts"));
          adw_status_page_set_description (self->empty_page, NULL);
        }
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
    }

  update_count (self);
}

static void
search_changed_cb (RlAlertsPage *self)
{
  self->scroll_to_top = TRUE;
  rl_record_list_set_text (self->list, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
filters_changed_cb (RlAlertsPage *self)
{
  guint       status = gtk_drop_down_get_selected (self->status_dropdown);
  guint       severity = gtk_drop_down_get_selected (self->severity_dropdown);
  guint       type = gtk_drop_down_get_selected (self->type_dropdown);
  guint       source = gtk_drop_down_get_selected (self->source_dropdown);
  const char *one[2] = { NULL, NULL };

  self->scroll_to_top = TRUE;
  rl_record_list_set_values (self->list, "status",
                             status < G_N_ELEMENTS (status_rows) ? status_rows[status] : NULL);
  one[0] = severity > 0 && severity < G_N_ELEMENTS (severity_rows)
               ? rl_enum_to_wire (RL_TYPE_ALERT_SEVERITY, severity_rows[severity])
               : NULL;
  rl_record_list_set_values (self->list, "severity", one[0] != NULL ? one : NULL);
  one[0] = type > 0 && type < G_N_ELEMENTS (type_rows)
               ? rl_enum_to_wire (RL_TYPE_ALERT_TYPE, type_rows[type])
               : NULL;
  rl_record_list_set_values (self->list, "alert-type", one[0] != NULL ? one : NULL);
  one[0] = source > 0 && source < G_N_ELEMENTS (source_rows)
               ? rl_enum_to_wire (RL_TYPE_ALERT_SOURCE, source_rows[source])
               : NULL;
  rl_record_list_set_values (self->list, "source", one[0] != NULL ? one : NULL);

  /* The saved filter "Open High" is on exactly when these are its filters. */
  self->syncing_filters = TRUE;
  gtk_toggle_button_set_active (self->open_high_button,
                                status == 0 && severity == 1 && type == 0 && source == 0);
  self->syncing_filters = FALSE;
  update_list_state (self);
}

static void
open_high_toggled_cb (RlAlertsPage *self)
{
  if (self->syncing_filters)
    return;
  if (gtk_toggle_button_get_active (self->open_high_button))
    {
      gtk_drop_down_set_selected (self->status_dropdown, 0);
      gtk_drop_down_set_selected (self->severity_dropdown, 1);
      gtk_drop_down_set_selected (self->type_dropdown, 0);
      gtk_drop_down_set_selected (self->source_dropdown, 0);
    }
  else
    gtk_drop_down_set_selected (self->severity_dropdown, 0);
}

/* ---- Selection and actions ------------------------------------------------------------------- */

/* The selected alerts (RlAlertItem*, referenced). */
static GPtrArray *
selected_items (RlAlertsPage *self)
{
  g_autoptr (GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray    *items = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint         position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      RlListItem *item = g_list_model_get_item (G_LIST_MODEL (self->list), position);

      if (item != NULL)
        g_ptr_array_add (items, item);
    }
  return items;
}

static guint
count_with_status (GPtrArray    *items,
                   RlAlertStatus first,
                   RlAlertStatus second)
{
  guint n = 0;

  for (guint i = 0; i < items->len; i++)
    {
      int status = rl_list_item_get_enum (g_ptr_array_index (items, i), "status");

      n += status == (int) first || status == (int) second;
    }
  return n;
}

static void
update_actions (RlAlertsPage *self)
{
  g_autoptr (GPtrArray) items = selected_items (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->ack_button),
                            count_with_status (items, RL_ALERT_STATUS_OPEN, RL_ALERT_STATUS_OPEN) > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->resolve_button),
                            count_with_status (items, RL_ALERT_STATUS_OPEN,
                                               RL_ALERT_STATUS_ACKNOWLEDGED)
                                > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->map_button), items->len == 1);
  update_count (self);
}

static void
show_on_map (RlAlertsPage *self,
             RlListItem   *item)
{
  g_autofree char *point = NULL;

  g_object_get (item, "drop-point-id", &point, NULL);
  if (point != NULL && *point != '\0')
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-on-map", "s", point);
}

static void
show_on_map_cb (RlAlertsPage *self)
{
  g_autoptr (GPtrArray) items = selected_items (self);

  if (items->len == 1)
    show_on_map (self, g_ptr_array_index (items, 0));
}

static void
row_activated_cb (RlAlertsPage *self,
                  guint         position)
{
  g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (self->list), position);

  if (item != NULL)
    show_on_map (self, item);
}

typedef struct
{
  RlAlertsPage *self;
  RlAlertAction action;
  GPtrArray    *ids;
  GtkEditable  *note;
} Decision;

static void
decision_free (Decision *decision)
{
  g_object_unref (decision->self);
  g_ptr_array_unref (decision->ids);
  g_free (decision);
}

static void
decision_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      Decision         *decision)
{
  RlAlertsPage *self = decision->self;
  RlSession    *session = rl_page_get_session (RL_PAGE (self));
  const char   *note = gtk_editable_get_text (decision->note);
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  guint            done = 0;

  if (!g_str_equal (response, "apply") || session == NULL)
    return;
  for (guint i = 0; i < decision->ids->len; i++)
    {
      if (rl_session_alert_action (session, g_ptr_array_index (decision->ids, i), decision->action,
                                   *note != '\0' ? note : NULL, error == NULL ? &error : NULL)
          >= 0)
        done++;
    }
  if (error != NULL)
    {
      g_autofree char *reason = rl_ui_error_message (error);

      /* Translators: 1: how many alerts were updated, 2: how many were chosen, 3: why one was not. */
      message = g_strdup_printf (_ ("%1$u of %2$u alerts updated: %3$s"), done,
                                 decision->ids->len, reason);
    }
  else if (rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE)
    message = g_strdup_printf (decision->action == RL_ALERT_ACTION_ACKNOWLEDGE
                                   ? g_dngettext (GETTEXT_PACKAGE,
                                                  "%u alert acknowledged — waiting to sync",
                                                  "%u alerts acknowledged — waiting to sync", done)
                                   : g_dngettext (GETTEXT_PACKAGE,
                                                  "%u alert resolved — waiting to sync",
                                                  "%u alerts resolved — waiting to sync", done),
                               done);
  else
    message = g_strdup_printf (decision->action == RL_ALERT_ACTION_ACKNOWLEDGE
                                   ? g_dngettext (GETTEXT_PACKAGE, "%u alert acknowledged",
                                                  "%u alerts acknowledged", done)
                                   : g_dngettext (GETTEXT_PACKAGE, "%u alert resolved",
                                                  "%u alerts resolved", done),
                               done);
  rl_page_toast (RL_PAGE (self), message);
}

/* Asks for a comment (acknowledge) or a note (resolve), naming how many. */
static void
ask (RlAlertsPage *self,
     RlAlertAction action)
{
  g_autoptr (GPtrArray) items = selected_items (self);
  GtkRoot          *root = gtk_widget_get_root (GTK_WIDGET (self));
  Decision         *decision = g_new0 (Decision, 1);
  GtkWidget        *entry = gtk_entry_new ();
  AdwMessageDialog *dialog;
  g_autofree char  *heading = NULL;

  decision->self = g_object_ref (self);
  decision->action = action;
  decision->ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < items->len; i++)
    {
      RlListItem *item = g_ptr_array_index (items, i);
      int         status = rl_list_item_get_enum (item, "status");

      if (status == RL_ALERT_STATUS_OPEN
          || (action == RL_ALERT_ACTION_RESOLVE && status == RL_ALERT_STATUS_ACKNOWLEDGED))
        g_ptr_array_add (decision->ids, g_strdup (rl_list_item_get_id (item)));
    }
  if (decision->ids->len == 0)
    {
      decision_free (decision);
      return;
    }

  heading = g_strdup_printf (action == RL_ALERT_ACTION_ACKNOWLEDGE
                                 ? g_dngettext (GETTEXT_PACKAGE, "Acknowledge %u Alert?",
                                                "Acknowledge %u Alerts?", decision->ids->len)
                                 : g_dngettext (GETTEXT_PACKAGE, "Resolve %u Alert?",
                                                "Resolve %u Alerts?", decision->ids->len),
                             decision->ids->len);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
      action == RL_ALERT_ACTION_ACKNOWLEDGE
          ? _ ("Say that someone is on it. A comment helps the next person.")
          : _ ("The problem is fixed. A note says how.")));
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), action == RL_ALERT_ACTION_ACKNOWLEDGE
                                                         ? _ ("Comment (optional)")
                                                         : _ ("Note (optional)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  action == RL_ALERT_ACTION_ACKNOWLEDGE ? _ ("Comment")
                                                                        : _ ("Note"),
                                  -1);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "apply",
                                    action == RL_ALERT_ACTION_ACKNOWLEDGE ? _ ("_Acknowledge")
                                                                          : _ ("_Resolve"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "apply");
  adw_message_dialog_set_close_response (dialog, "cancel");
  decision->note = GTK_EDITABLE (entry);
  g_signal_connect_data (dialog, "response", G_CALLBACK (decision_response_cb), decision,
                         (GClosureNotify) (void (*) (void)) decision_free, 0);
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ack_clicked_cb (RlAlertsPage *self)
{
  ask (self, RL_ALERT_ACTION_ACKNOWLEDGE);
}

static void
resolve_clicked_cb (RlAlertsPage *self)
{
  ask (self, RL_ALERT_ACTION_RESOLVE);
}

/* ---- The badge ------------------------------------------------------------------------------- */

static void
attention_changed_cb (RlAlertsPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION]);
}

static void store_changed_cb (RlAlertsPage *self);

static void
session_changed (RlPage *page)
{
  store_changed_cb (RL_ALERTS_PAGE (page));
}

static void
store_changed_cb (RlAlertsPage *self)
{
  RlSession *session = rl_page_get_session (RL_PAGE (self));

  rl_record_list_set_store (self->attention_list,
                            session != NULL ? rl_session_get_store (session) : NULL);
}

guint
rl_alerts_page_get_attention (RlAlertsPage *self)
{
  g_return_val_if_fail (RL_IS_ALERTS_PAGE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->attention_list));
}

RlRecordList *
rl_alerts_page_get_list (RlAlertsPage *self)
{
  g_return_val_if_fail (RL_IS_ALERTS_PAGE (self), NULL);

  return self->list;
}

/* ---- GObject --------------------------------------------------------------------------------- */

static void
focus_search_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (RL_ALERTS_PAGE (widget)->search_entry));
}

static void
rl_alerts_page_dispose (GObject *object)
{
  RlAlertsPage *self = RL_ALERTS_PAGE (object);

  if (self->attention_list != NULL)
    rl_record_list_set_store (self->attention_list, NULL);
  g_clear_object (&self->attention_list);

  G_OBJECT_CLASS (rl_alerts_page_parent_class)->dispose (object);
}

static void
rl_alerts_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RlAlertsPage *self = RL_ALERTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_ATTENTION:
      g_value_set_uint (value, rl_alerts_page_get_attention (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_alerts_page_class_init (RlAlertsPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RlPageClass    *page_class = RL_PAGE_CLASS (klass);

  object_class->dispose = rl_alerts_page_dispose;
  object_class->get_property = rl_alerts_page_get_property;
  page_class->session_changed = session_changed;

  /* The open HIGH and MEDIUM alerts: the page tab's badge. */
  properties[PROP_ATTENTION] =
      g_param_spec_uint ("attention", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RL_TYPE_RECORD_LIST);
  g_type_ensure (RL_TYPE_ALERT_ITEM);
  g_type_ensure (RL_TYPE_COLUMN_SORTER);

  rl_page_class_set_template (page_class, "/org/reloop/Console/ui/rl-alerts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, list);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, selection);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, severity_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, open_high_button);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, ack_button);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, resolve_button);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, map_button);
  gtk_widget_class_bind_template_callback (widget_class, severity_icon);
  gtk_widget_class_bind_template_callback (widget_class, severity_text);
  gtk_widget_class_bind_template_callback (widget_class, type_text);
  gtk_widget_class_bind_template_callback (widget_class, point_text);
  gtk_widget_class_bind_template_callback (widget_class, time_text);
  gtk_widget_class_bind_template_callback (widget_class, age_text);
  gtk_widget_class_bind_template_callback (widget_class, status_text);
  gtk_widget_class_bind_template_callback (widget_class, source_text);
  gtk_widget_class_bind_template_callback (widget_class, console_only);
  gtk_widget_class_bind_template_callback (widget_class, console_only_text);
  gtk_widget_class_bind_template_callback (widget_class, waiting_text);
  gtk_widget_class_bind_template_callback (widget_class, ack_text);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_high_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_on_map_cb);
  gtk_widget_class_bind_template_callback (widget_class, ack_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, resolve_clicked_cb);

  gtk_widget_class_install_action (widget_class, "alerts.search", NULL, focus_search_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "alerts.search",
                                       NULL);
}

static void
rl_alerts_page_init (RlAlertsPage *self)
{
  const char *severities[3] = {
    rl_enum_to_wire (RL_TYPE_ALERT_SEVERITY, RL_ALERT_SEVERITY_HIGH),
    rl_enum_to_wire (RL_TYPE_ALERT_SEVERITY, RL_ALERT_SEVERITY_MEDIUM),
    NULL,
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  rl_spinners_spin_while_mapped (GTK_WIDGET (self));
  rl_list_pause_while_unmapped (self->list, GTK_WIDGET (self));
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));

  self->attention_list = rl_record_list_new (NULL, RL_LIST_KIND_ALERTS);
  rl_record_list_set_values (self->attention_list, "status", status_open);
  rl_record_list_set_values (self->attention_list, "severity", severities);
  g_signal_connect_swapped (self->attention_list, "items-changed", G_CALLBACK (attention_changed_cb),
                            self);

  rl_column_view_attach_sort (self->column_view, self->list);
  g_signal_connect_swapped (self->list, "notify::loading", G_CALLBACK (update_list_state), self);
  g_signal_connect_swapped (self->list, "notify::failed", G_CALLBACK (update_list_state), self);
  g_signal_connect_swapped (self->list, "items-changed", G_CALLBACK (update_list_state), self);
  g_signal_connect_swapped (self->list, "notify::store", G_CALLBACK (store_changed_cb), self);
  g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (update_actions), self);
  g_signal_connect_swapped (self->selection, "items-changed", G_CALLBACK (update_actions), self);
  filters_changed_cb (self);
  update_actions (self);
}

void
rl_alerts_page_show_open_high (RlAlertsPage *self)
{
  g_return_if_fail (RL_IS_ALERTS_PAGE (self));

  gtk_toggle_button_set_active (self->open_high_button, TRUE);
}
