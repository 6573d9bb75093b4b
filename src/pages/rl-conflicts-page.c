/* rl-conflicts-page.c — the sync conflicts: the cache's conflicts, and one of them field by field.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list is an RlRecordList of kind conflicts bound to the session's cache
 * in the template (ui/rl-conflicts-page.ui); the local conflicts (an edit of
 * this console met a newer one) and the server's (sync jobs with strategy
 * manual) are both rows of the cache, so they are one list. Selecting one
 * reads the whole record in a worker and shows it in an RlConflictView;
 * selecting several offers to keep one side for all of them. Every decision
 * goes through the sync engine's outbox (rl_session_resolve_conflict): it is
 * sent when the server can be reached, and the answer comes back through the
 * cache, which updates the list and the view. See docs/sync.md.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rl-a11y.h"
#include "rl-column-sort.h"
#include "rl-conflict-view.h"
#include "rl-conflicts-page.h"
#include "rl-core-enums.h"
#include "rl-edits.h"
#include "rl-error.h"
#include "rl-list-pause.h"
#include "rl-record-list.h"
#include "rl-spinners.h"
#include "rl-store-async.h"
#include "rl-store-monitor.h"
#include "rl-sync-engine.h"
#include "rl-ui-errors.h"
#include "rl-ui-format.h"
#include "rl-weak-call.h"

struct _RlConflictsPage
{
  RlPage parent_instance;

  RlRecordList      *list;
  GtkMultiSelection *selection;
  AdwLeaflet        *leaflet;
  GtkSearchEntry    *search_entry;
  GtkDropDown       *status_dropdown;
  GtkStack          *list_stack;
  AdwStatusPage     *empty_page;
  AdwStatusPage     *error_page;
  GtkColumnView     *column_view;
  GtkLabel          *count_label;
  GtkStack          *detail_stack;
  RlConflictView    *conflict_view;
  AdwStatusPage     *many_page;
  AdwStatusPage     *detail_error_page;
  GtkButton         *bulk_mine_button;
  GtkButton         *bulk_theirs_button;
  GtkMenuButton     *history_button;
  GtkStack          *history_stack;
  GtkLabel          *history_message;
  GtkListBox        *history_box;

  /* The conflict on show: its id and version, and the read under way. */
  char         *shown_id;
  gint64        shown_version;
  JsonObject   *shown;
  GCancellable *read_cancellable;
  GCancellable *history_cancellable;
  guint         update_source;
  /* The cache's changes: the conflict on show is read again when its
   * record changes, in the list or out of it (resolved elsewhere). */
  RlStoreMonitor *monitor;

  /* Resolutions sent from this page: outbox row id → conflict id; and the
   * conflicts whose resolution the server refused because someone else's
   * came first (conflict id → TRUE). */
  GHashTable *sent_rows;
  GHashTable *superseded;
  RlSession  *engine_session;
  char       *signed_in_user;

  /* rl_conflicts_page_show_conflict: the conflict to select once the list
   * holds it. */
  char *pending_id;
};

G_DEFINE_FINAL_TYPE (RlConflictsPage, rl_conflicts_page, RL_TYPE_PAGE)

/* ---- Cells --------------------------------------------------------------------------------- */

static char *
record_text (gpointer    this_,
             const char *entity_type,
             const char *entity_id,
             const char *record_name)
{
  if (record_name != NULL && *record_name != '\0')
    /* Translators: 1: a kind of record ("Drop point"), 2: its id, 3: its name. */
    return g_strdup_printf (_ ("%1$s %2$s — %3$s"), rl_ui_entity_label (entity_type),
                            entity_id ? entity_id : "", record_name);
  return g_strdup_printf ("%s %s", rl_ui_entity_label (entity_type), entity_id ? entity_id : "");
}

static char *
fields_text (gpointer    this_,
             const char *fields)
{
  if (fields == NULL || *fields == '\0')
    return g_strdup (_ ("Merges cleanly: no field changed on both sides"));
  return g_strdup (fields);
}

static char *
source_text (gpointer    this_,
             gboolean    is_local,
             const char *job_name)
{
  if (is_local)
    return g_strdup (_ ("This console"));
  return g_strdup (job_name != NULL ? job_name : _ ("A sync job"));
}

static char *
time_text (gpointer this_,
           gint64   ms)
{
  return rl_ui_format_time_ms (ms);
}

static char *
status_text (gpointer         this_,
             RlConflictStatus status)
{
  switch (status)
    {
    case RL_CONFLICT_STATUS_OPEN:
      return g_strdup (_ ("Open"));
    case RL_CONFLICT_STATUS_RESOLVED:
      return g_strdup (_ ("Resolved"));
    case RL_CONFLICT_STATUS_UNKNOWN:
    default:
      return g_strdup (_ ("Unknown"));
    }
}

/* ---- The list's state ------------------------------------------------------------------------ */

static void select_pending (RlConflictsPage *self);

static void
update_list_state (RlConflictsPage *self)
{
  guint            n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  const GError    *error = rl_record_list_get_error (self->list);
  const char      *text = rl_record_list_get_text (self->list);
  guint            status = gtk_drop_down_get_selected (self->status_dropdown);
  g_autofree char *count = NULL;

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
      if (text != NULL && *text != '\0')
        {
          adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
          adw_status_page_set_title (self->empty_page, _ ("No Matching Conflicts"));
          adw_status_page_set_description (self->empty_page, _ ("Try another search."));
        }
      else if (status == 0)
        {
          adw_status_page_set_icon_name (self->empty_page, "emblem-ok-symbolic");
          adw_status_page_set_title (self->empty_page, _ ("No Open Conflicts"));
          adw_status_page_set_description (
              self->empty_page,
              _ ("Every edit merged. When an edit made here and one made elsewhere change the "
                 "same field differently, it waits here for a decision."));
        }
      else
        {
          adw_status_page_set_icon_name (self->empty_page, "dialog-question-symbolic");
          adw_status_page_set_title (self->empty_page, _ ("No Conflicts"));
          adw_status_page_set_description (self->empty_page, NULL);
        }
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
    }

  /* Translators: the number of conflicts the list shows. */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict", "%u conflicts", n), n);
  gtk_label_set_text (self->count_label, count);
  select_pending (self);
}

/* Selects and shows the conflict rl_conflicts_page_show_conflict asked for,
 * once the list holds it; forgets it when the list has loaded without it. */
static void
select_pending (RlConflictsPage *self)
{
  guint position;

  if (self->pending_id == NULL)
    return;
  position = rl_record_list_find (self->list, self->pending_id);
  if (position != G_MAXUINT)
    {
      g_clear_pointer (&self->pending_id, g_free);
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
      /* GTK 4.8 has no gtk_column_view_scroll_to(): the action of the list
       * view inside. */
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
           child != NULL; child = gtk_widget_get_next_sibling (child))
        if (GTK_IS_LIST_VIEW (child))
          gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
    }
  else if (!rl_record_list_get_loading (self->list))
    g_clear_pointer (&self->pending_id, g_free);
}

static void
search_changed_cb (RlConflictsPage *self)
{
  rl_record_list_set_text (self->list, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
status_changed_cb (RlConflictsPage *self)
{
  static const char *const open[] = { "open", NULL };
  static const char *const resolved[] = { "resolved", NULL };

  switch (gtk_drop_down_get_selected (self->status_dropdown))
    {
    case 0:
      rl_record_list_set_values (self->list, "status", open);
      break;
    case 1:
      rl_record_list_set_values (self->list, "status", resolved);
      break;
    default:
      rl_record_list_set_values (self->list, "status", NULL);
    }
  update_list_state (self);
}

/* ---- The detail ------------------------------------------------------------------------------ */

static const char *
member_string (JsonObject *object,
               const char *key)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
                 && json_node_get_value_type (node) == G_TYPE_STRING
             ? json_node_get_string (node)
             : NULL;
}

/* The note above the fields: "someone else resolved it first" when the
 * server refused this console's resolution for that reason. */
static void
show_note (RlConflictsPage *self)
{
  if (self->shown_id != NULL && g_hash_table_contains (self->superseded, self->shown_id))
    rl_conflict_view_set_note (
        self->conflict_view,
        _ ("Someone else resolved this conflict first, so your resolution was not applied."));
  else
    rl_conflict_view_set_note (self->conflict_view, NULL);
}

static void
record_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (RlConflictsPage) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) record = rl_store_get_record_finish (RL_STORE (source), result, &error);

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (record == NULL)
    {
      g_autofree char *message = rl_ui_error_message (error);

      adw_status_page_set_description (self->detail_error_page, message);
      gtk_stack_set_visible_child_name (self->detail_stack, "error");
      return;
    }
  g_clear_pointer (&self->shown, json_object_unref);
  self->shown = json_object_ref (record);
  rl_conflict_view_set_conflict (self->conflict_view, record);
  show_note (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->history_button), TRUE);
  gtk_stack_set_visible_child_name (self->detail_stack, "conflict");
}

static void read_shown (RlConflictsPage *self,
                        RlStore         *store);

static void
monitor_changed_cb (RlStoreMonitor  *monitor,
                    RlStoreChanges  *changes,
                    RlConflictsPage *self)
{
  RlSession              *session = rl_page_get_session (RL_PAGE (self));
  RlStore                *store = session != NULL ? rl_session_get_store (session) : NULL;
  g_autofree const char **ids = NULL;
  guint                   n_ids = 0;
  gboolean                shown_changed = FALSE;

  if (self->shown_id == NULL || store == NULL || !rl_store_changes_has_entity (changes, "conflict"))
    return;
  if (rl_store_changes_is_whole (changes, "conflict"))
    shown_changed = TRUE;
  else
    {
      ids = rl_store_changes_get_ids (changes, "conflict", &n_ids);
      for (guint i = 0; i < n_ids && !shown_changed; i++)
        shown_changed = g_strcmp0 (ids[i], self->shown_id) == 0;
    }
  /* In the list, the list's own update shows a new version (show_one);
   * out of it (resolved, here or elsewhere) nothing else would. */
  if (shown_changed && !rl_record_list_get_loading (self->list)
      && rl_record_list_find (self->list, self->shown_id) == G_MAXUINT)
    read_shown (self, store);
}

/* Reads the conflict on show (shown_id) again, whole. */
static void
read_shown (RlConflictsPage *self,
            RlStore         *store)
{
  if (self->monitor == NULL
      || g_strcmp0 (rl_store_monitor_get_path (self->monitor), rl_store_get_path (store)) != 0)
    {
      if (self->monitor != NULL)
        g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_clear_object (&self->monitor);
      self->monitor = rl_store_monitor_new (store);
      g_signal_connect (self->monitor, "changed", G_CALLBACK (monitor_changed_cb), self);
    }
  g_cancellable_cancel (self->read_cancellable);
  g_clear_object (&self->read_cancellable);
  self->read_cancellable = g_cancellable_new ();
  rl_store_get_record_async (store, "conflict", self->shown_id, self->read_cancellable,
                             record_read_cb, rl_weak_call_new (self));
}

static void
show_one (RlConflictsPage *self,
          RlListItem      *item)
{
  RlSession  *session = rl_page_get_session (RL_PAGE (self));
  RlStore    *store = session != NULL ? rl_session_get_store (session) : NULL;
  const char *id = rl_list_item_get_id (item);
  gint64      version = rl_list_item_get_int64 (item, "version");

  if (g_strcmp0 (id, self->shown_id) == 0 && version == self->shown_version
      && !g_str_equal (gtk_stack_get_visible_child_name (self->detail_stack), "many"))
    return;
  if (g_strcmp0 (id, self->shown_id) != 0)
    {
      /* Another conflict: wait for it before showing anything of it. */
      gtk_stack_set_visible_child_name (self->detail_stack, "loading");
      gtk_widget_set_sensitive (GTK_WIDGET (self->history_button), FALSE);
    }
  g_free (self->shown_id);
  self->shown_id = g_strdup (id);
  self->shown_version = version;
  if (store == NULL)
    return;
  read_shown (self, store);
}

/* The open conflicts among the selected ones, as ids. */
static GPtrArray *
selected_open_ids (RlConflictsPage *self,
                   guint           *out_n_selected)
{
  g_autoptr (GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray    *ids = g_ptr_array_new_with_free_func (g_free);
  GtkBitsetIter iter;
  guint         position;

  if (out_n_selected != NULL)
    *out_n_selected = (guint) gtk_bitset_get_size (selected);
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (self->list), position);

      if (item != NULL && rl_list_item_get_enum (item, "status") == RL_CONFLICT_STATUS_OPEN)
        g_ptr_array_add (ids, g_strdup (rl_list_item_get_id (item)));
    }
  return ids;
}

static void
show_many (RlConflictsPage *self)
{
  guint n_selected = 0;
  g_autoptr (GPtrArray) open = selected_open_ids (self, &n_selected);
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  g_clear_pointer (&self->shown_id, g_free);
  gtk_widget_set_sensitive (GTK_WIDGET (self->history_button), FALSE);
  /* Translators: the number of conflicts selected in the list. */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Conflict Selected",
                                        "%u Conflicts Selected", n_selected),
                           n_selected);
  if (open->len == 0)
    description = g_strdup (_ ("All of them are resolved already."));
  else if (open->len == n_selected)
    description = g_strdup (
        _ ("Keep one side of every field for all of them, or choose one to decide field by field."));
  else
    /* Translators: %u is how many of the selected conflicts are open. */
    description = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%u of them is open; the others are resolved already.",
                     "%u of them are open; the others are resolved already.", open->len),
        open->len);
  adw_status_page_set_title (self->many_page, title);
  adw_status_page_set_description (self->many_page, description);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bulk_mine_button), open->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bulk_theirs_button), open->len > 0);
  gtk_stack_set_visible_child_name (self->detail_stack, "many");
}

static gboolean
update_detail (gpointer user_data)
{
  RlConflictsPage *self = user_data;
  g_autoptr (GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n = gtk_bitset_get_size (selected);

  self->update_source = 0;
  if (n == 0 && self->shown_id != NULL && !rl_record_list_get_loading (self->list)
      && rl_record_list_find (self->list, self->shown_id) == G_MAXUINT)
    {
      RlSession *session = rl_page_get_session (RL_PAGE (self));

      /* The conflict on show left the list (resolved, here or elsewhere):
       * it stays on show, read again, with how it was resolved. */
      if (session != NULL && rl_session_get_store (session) != NULL)
        read_shown (self, rl_session_get_store (session));
    }
  else if (n == 0)
    {
      g_cancellable_cancel (self->read_cancellable);
      g_clear_pointer (&self->shown_id, g_free);
      gtk_widget_set_sensitive (GTK_WIDGET (self->history_button), FALSE);
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
    }
  else if (n == 1)
    {
      g_autoptr (RlListItem) item =
          g_list_model_get_item (G_LIST_MODEL (self->list), gtk_bitset_get_minimum (selected));

      if (item != NULL)
        show_one (self, item);
    }
  else
    show_many (self);
  return G_SOURCE_REMOVE;
}

/* Selection and rows change in bursts (a pull, a drag): one update after. */
static void
queue_update_detail (RlConflictsPage *self)
{
  if (self->update_source == 0)
    self->update_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, update_detail, self, NULL);
}

static void
row_activated_cb (RlConflictsPage *self,
                  guint            position)
{
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  update_detail (self);
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");
  if (g_str_equal (gtk_stack_get_visible_child_name (self->detail_stack), "conflict")
      || g_str_equal (gtk_stack_get_visible_child_name (self->detail_stack), "loading"))
    gtk_widget_grab_focus (GTK_WIDGET (self->conflict_view));
}

static void
back_clicked_cb (RlConflictsPage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* ---- Deciding -------------------------------------------------------------------------------- */

static void
toast (RlConflictsPage *self,
       const char      *message)
{
  rl_page_toast (RL_PAGE (self), message);
}

/* Queues the resolution of conflict @id; TRUE when queued (or done). */
static gboolean
resolve_one (RlConflictsPage   *self,
             const char        *id,
             RlConflictStrategy strategy,
             JsonObject        *merged,
             const char        *comment,
             GError           **error)
{
  RlSession *session = rl_page_get_session (RL_PAGE (self));
  gint64     row;

  if (session == NULL)
    {
      g_set_error_literal (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CREDENTIALS,
                           "Not signed in");
      return FALSE;
    }
  row = rl_session_resolve_conflict (session, id, strategy, merged,
                                     comment != NULL && *comment != '\0' ? comment : NULL, error);
  if (row < 0)
    return FALSE;
  g_hash_table_remove (self->superseded, id);
  if (row > 0)
    g_hash_table_insert (self->sent_rows, g_memdup2 (&row, sizeof row), g_strdup (id));
  return TRUE;
}

static const char *
queued_message (RlConflictsPage *self,
                guint            n)
{
  RlSession *session = rl_page_get_session (RL_PAGE (self));

  if (session != NULL && rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE)
    return g_dngettext (GETTEXT_PACKAGE,
                        "Conflict resolved here; it is sent when the server can be reached",
                        "Conflicts resolved here; they are sent when the server can be reached", n);
  return g_dngettext (GETTEXT_PACKAGE, "Conflict resolved", "Conflicts resolved", n);
}

static void
resolve_cb (RlConflictsPage   *self,
            RlConflictStrategy strategy,
            JsonObject        *merged,
            const char        *comment)
{
  g_autoptr (GError) error = NULL;

  if (self->shown_id == NULL)
    return;
  if (!resolve_one (self, self->shown_id, strategy, merged, comment, &error))
    {
      g_autofree char *message = rl_ui_error_message (error);

      toast (self, message);
      return;
    }
  show_note (self);
  toast (self, queued_message (self, 1));
}

typedef struct
{
  RlConflictsPage   *page;
  GPtrArray         *ids;
  RlConflictStrategy strategy;
} BulkChoice;

static void
bulk_choice_free (gpointer data)
{
  BulkChoice *choice = data;

  g_ptr_array_unref (choice->ids);
  g_free (choice);
}

static void
bulk_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  BulkChoice       *choice)
{
  RlConflictsPage *self = choice->page;
  g_autoptr (GError) first_error = NULL;
  guint done = 0;

  if (!g_str_equal (response, "keep"))
    return;
  for (guint i = 0; i < choice->ids->len; i++)
    {
      g_autoptr (GError) error = NULL;

      if (resolve_one (self, g_ptr_array_index (choice->ids, i), choice->strategy, NULL, NULL,
                       &error))
        done++;
      else if (first_error == NULL)
        first_error = g_steal_pointer (&error);
    }
  if (first_error != NULL)
    {
      g_autofree char *reason = rl_ui_error_message (first_error);
      /* Translators: 1: how many conflicts were resolved, 2: how many were selected, 3: why one was not. */
      g_autofree char *message = g_strdup_printf (_ ("%1$u of %2$u conflicts resolved: %3$s"),
                                                  done, choice->ids->len, reason);

      toast (self, message);
    }
  else
    toast (self, queued_message (self, done));
  queue_update_detail (self);
}

static void
bulk_ask (RlConflictsPage   *self,
          RlConflictStrategy strategy)
{
  g_autoptr (GPtrArray) ids = selected_open_ids (self, NULL);
  BulkChoice       *choice;
  AdwMessageDialog *dialog;
  g_autofree char  *heading = NULL;
  gboolean          mine = strategy == RL_CONFLICT_STRATEGY_LOCAL_WINS;

  if (ids->len == 0)
    return;
  heading = g_strdup_printf (
      mine ? g_dngettext (GETTEXT_PACKAGE, "Keep Mine for %u Conflict?",
                          "Keep Mine for %u Conflicts?", ids->len)
           : g_dngettext (GETTEXT_PACKAGE, "Keep Theirs for %u Conflict?",
                          "Keep Theirs for %u Conflicts?", ids->len),
      ids->len);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
      mine ? _ ("This console’s version of each record replaces the server’s, every field of it.")
           : _ ("The server’s version of each record stays, and the edits in them that were "
                "made on this console are dropped.")));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "keep",
                                    mine ? _ ("Keep _Mine") : _ ("Keep _Theirs"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "keep", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  choice = g_new0 (BulkChoice, 1);
  choice->page = self;
  choice->ids = g_steal_pointer (&ids);
  choice->strategy = strategy;
  g_signal_connect_data (dialog, "response", G_CALLBACK (bulk_response_cb), choice,
                         (GClosureNotify) (void (*) (void)) bulk_choice_free, 0);
  /* The dialog is modal: the page outlives it. */
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bulk_mine_clicked_cb (RlConflictsPage *self)
{
  bulk_ask (self, RL_CONFLICT_STRATEGY_LOCAL_WINS);
}

static void
bulk_theirs_clicked_cb (RlConflictsPage *self)
{
  bulk_ask (self, RL_CONFLICT_STRATEGY_REMOTE_WINS);
}

/* What became of a resolution this page sent. */
static void
outbox_settled_cb (RlSession       *session,
                   gint64           row_id,
                   RlOutboxOutcome  outcome,
                   const char      *conflict_id,
                   const GError    *error,
                   RlConflictsPage *self)
{
  const char *id = g_hash_table_lookup (self->sent_rows, &row_id);

  if (id == NULL || outcome == RL_OUTBOX_OUTCOME_DEFERRED)
    return;
  if (outcome == RL_OUTBOX_OUTCOME_FAILED)
    {
      if (g_error_matches (error, RL_ERROR, RL_ERROR_VERSION_CONFLICT)
          || g_error_matches (error, RL_ERROR, RL_ERROR_INVALID_STATE))
        {
          g_autoptr (GError) discard_error = NULL;

          g_hash_table_add (self->superseded, g_strdup (id));
          /* The page says so, and shows their resolution: nothing is left
           * for the user to decide in the outbox. */
          if (!rl_session_outbox_discard (session, row_id, &discard_error))
            g_warning ("Cannot dismiss the superseded resolution %" G_GINT64_FORMAT ": %s",
                       row_id, discard_error->message);
        }
      else
        {
          g_autofree char *reason = rl_ui_error_message (error);
          /* Translators: %s says why the server refused a conflict's resolution. */
          g_autofree char *message = g_strdup_printf (_ ("The resolution was refused: %s"), reason);

          toast (self, message);
        }
      if (g_strcmp0 (id, self->shown_id) == 0)
        show_note (self);
    }
  g_hash_table_remove (self->sent_rows, &row_id);
}

/* ---- History --------------------------------------------------------------------------------- */

static GtkWidget *
history_row (JsonObject *conflict)
{
  JsonNode        *node = json_object_get_member (conflict, "resolution");
  JsonObject      *resolution = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char      *who = member_string (resolution, "resolvedBy");
  const char      *comment = member_string (resolution, "comment");
  g_autofree char *when = rl_ui_format_time (member_string (resolution, "resolvedAt"));
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget       *row = adw_action_row_new ();

  /* Translators: 1: who resolved a conflict, 2: how ("Server version kept", …). */
  title = g_strdup_printf (_ ("%1$s · %2$s"), who != NULL ? who : _ ("Someone"),
                           rl_ui_strategy_label (rl_enum_from_wire (
                               RL_TYPE_CONFLICT_STRATEGY, member_string (resolution, "strategy"))));
  if (comment != NULL && *comment != '\0')
    /* Translators: 1: when, 2: the comment given with a resolution. */
    subtitle = g_strdup_printf (_ ("%1$s — “%2$s”"), when, comment);
  else
    subtitle = g_strdup (when);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
history_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (RlConflictsPage) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) history = rl_session_list_resolutions_finish (RL_SESSION (source), result, &error);
  GtkWidget *child;

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_box))) != NULL)
    gtk_list_box_remove (self->history_box, child);
  if (history == NULL)
    {
      g_autofree char *message = rl_ui_error_message (error);

      gtk_label_set_text (self->history_message, message);
      gtk_stack_set_visible_child_name (self->history_stack, "message");
      return;
    }
  if (json_array_get_length (history) == 0)
    {
      gtk_label_set_text (self->history_message, _ ("No conflict of this record has been resolved yet."));
      gtk_stack_set_visible_child_name (self->history_stack, "message");
      return;
    }
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *conflict = json_array_get_object_element (history, i);

      if (conflict != NULL)
        gtk_list_box_append (self->history_box, history_row (conflict));
    }
  gtk_stack_set_visible_child_name (self->history_stack, "list");
}

static void
history_shown_cb (RlConflictsPage *self)
{
  RlSession *session = rl_page_get_session (RL_PAGE (self));

  if (session == NULL || self->shown == NULL)
    return;
  gtk_stack_set_visible_child_name (self->history_stack, "loading");
  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  self->history_cancellable = g_cancellable_new ();
  rl_session_list_resolutions_async (session, member_string (self->shown, "entityType"),
                                     member_string (self->shown, "entityId"),
                                     self->history_cancellable, history_read_cb,
                                     rl_weak_call_new (self));
}

/* ---- Session --------------------------------------------------------------------------------- */

static void
session_changed (RlPage *page)
{
  RlConflictsPage *self = RL_CONFLICTS_PAGE (page);
  RlSession       *session = rl_page_get_session (page);

  if (session == self->engine_session)
    return;
  if (self->engine_session != NULL)
    g_signal_handlers_disconnect_by_func (self->engine_session, outbox_settled_cb, self);
  g_clear_object (&self->engine_session);
  g_hash_table_remove_all (self->sent_rows);
  g_hash_table_remove_all (self->superseded);
  if (session != NULL)
    {
      self->engine_session = g_object_ref (session);
      g_signal_connect (session, "outbox-settled", G_CALLBACK (outbox_settled_cb), self);
    }
}

/* ---- GObject --------------------------------------------------------------------------------- */

static void
rl_conflicts_page_dispose (GObject *object)
{
  RlConflictsPage *self = RL_CONFLICTS_PAGE (object);

  g_clear_handle_id (&self->update_source, g_source_remove);
  g_cancellable_cancel (self->read_cancellable);
  g_clear_object (&self->read_cancellable);
  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  if (self->engine_session != NULL)
    g_signal_handlers_disconnect_by_func (self->engine_session, outbox_settled_cb, self);
  g_clear_object (&self->engine_session);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (rl_conflicts_page_parent_class)->dispose (object);
}

static void
rl_conflicts_page_finalize (GObject *object)
{
  RlConflictsPage *self = RL_CONFLICTS_PAGE (object);

  g_free (self->shown_id);
  g_free (self->pending_id);
  g_clear_pointer (&self->shown, json_object_unref);
  g_hash_table_unref (self->sent_rows);
  g_hash_table_unref (self->superseded);

  G_OBJECT_CLASS (rl_conflicts_page_parent_class)->finalize (object);
}

static void
focus_search_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (RL_CONFLICTS_PAGE (widget)->search_entry));
}

static void
rl_conflicts_page_class_init (RlConflictsPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RlPageClass    *page_class = RL_PAGE_CLASS (klass);

  object_class->dispose = rl_conflicts_page_dispose;
  object_class->finalize = rl_conflicts_page_finalize;
  page_class->session_changed = session_changed;

  g_type_ensure (RL_TYPE_RECORD_LIST);
  g_type_ensure (RL_TYPE_CONFLICT_ITEM);
  g_type_ensure (RL_TYPE_COLUMN_SORTER);
  g_type_ensure (RL_TYPE_CONFLICT_VIEW);

  rl_page_class_set_template (page_class, "/org/reloop/Console/ui/rl-conflicts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, list);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, selection);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, conflict_view);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, many_page);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, detail_error_page);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, bulk_mine_button);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, bulk_theirs_button);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, history_button);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, history_stack);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, history_message);
  gtk_widget_class_bind_template_child (widget_class, RlConflictsPage, history_box);
  gtk_widget_class_bind_template_callback (widget_class, record_text);
  gtk_widget_class_bind_template_callback (widget_class, fields_text);
  gtk_widget_class_bind_template_callback (widget_class, source_text);
  gtk_widget_class_bind_template_callback (widget_class, time_text);
  gtk_widget_class_bind_template_callback (widget_class, status_text);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, resolve_cb);
  gtk_widget_class_bind_template_callback (widget_class, bulk_mine_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, bulk_theirs_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_shown_cb);

  gtk_widget_class_install_action (widget_class, "conflicts.search", NULL, focus_search_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "conflicts.search", NULL);
}

static void
rl_conflicts_page_init (RlConflictsPage *self)
{
  self->sent_rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->superseded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  rl_spinners_spin_while_mapped (GTK_WIDGET (self));
  rl_list_pause_while_unmapped (self->list, GTK_WIDGET (self));
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));

  rl_column_view_attach_sort (self->column_view, self->list);
  g_signal_connect_swapped (self->list, "notify::loading", G_CALLBACK (update_list_state), self);
  g_signal_connect_swapped (self->list, "notify::failed", G_CALLBACK (update_list_state), self);
  g_signal_connect_swapped (self->list, "items-changed", G_CALLBACK (update_list_state), self);
  g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (queue_update_detail), self);
  g_signal_connect_swapped (self->selection, "items-changed", G_CALLBACK (queue_update_detail), self);
  status_changed_cb (self);
}

RlConflictView *
rl_conflicts_page_get_view (RlConflictsPage *self)
{
  g_return_val_if_fail (RL_IS_CONFLICTS_PAGE (self), NULL);

  return self->conflict_view;
}

/* Shows conflict @id (the drop-point panel's "Decide Field by Field"): the
 * open conflicts, no search, that one selected as soon as the list has it. */
void
rl_conflicts_page_show_conflict (RlConflictsPage *self,
                                 const char      *id)
{
  g_return_if_fail (RL_IS_CONFLICTS_PAGE (self));
  g_return_if_fail (id != NULL);

  g_free (self->pending_id);
  self->pending_id = g_strdup (id);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (gtk_drop_down_get_selected (self->status_dropdown) != 0)
    gtk_drop_down_set_selected (self->status_dropdown, 0);
  /* Read again: the conflict may be newer than what the list holds; the
   * list selects it when the read is in (update_list_state). */
  rl_record_list_reload (self->list);
  select_pending (self);
}

RlRecordList *
rl_conflicts_page_get_list (RlConflictsPage *self)
{
  g_return_val_if_fail (RL_IS_CONFLICTS_PAGE (self), NULL);

  return self->list;
}
