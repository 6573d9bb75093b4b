/* rl-dispatch-list.c — bins predicted full in a window: list, CSV, print.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: building (the core's rl_dispatch_build_async, in a worker thread),
 * the "Show on Map" cells, CSV export, GObject, public API. The columns are
 * declared in ui/map/rl-dispatch-list.ui (a sort model over the items,
 * cells bound to RlDispatchItem properties); the items and their texts are
 * in rl-dispatch-list-item.c, printing in rl-dispatch-list-print.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "rl-dispatch-list-private.h"
#include "rl-map-resources.h"
#include "rl-time.h"
#include "rl-ui-errors.h"
#include "rl-weak-call.h"

/* ---- The list ----------------------------------------------------------- */

struct _RlDispatchList
{
  GtkWidget parent_instance;

  RlSession    *session;
  GCancellable *cancellable;
  gint64        now_ms;
  double        threshold;
  guint         busy;
  gboolean      in_set_window;
  gint64        built_now_ms; /* the time the last build was asked for */

  GtkDropDown      *window_dropdown;
  GtkSpinButton    *hours_spin;
  GtkLabel         *count_label;
  GtkStack         *stack;
  GtkColumnView    *column_view;
  GListStore       *model;      /* the items, in the core's order (predicted time) */
  GtkSortListModel *sort_model; /* as shown: sorted by the column the user chose */
};

G_DEFINE_FINAL_TYPE (RlDispatchList, rl_dispatch_list, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_BUSY,
  N_PROPS
};

enum
{
  SHOW_ON_MAP,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

gint64
rl_dl_current_now (RlDispatchList *self)
{
  return self->now_ms > 0 ? self->now_ms : rl_time_now_ms ();
}

static int
local_offset_s (gint64 at_ms)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (at_ms / 1000);

  return dt ? (int) (g_date_time_get_utc_offset (dt) / G_TIME_SPAN_SECOND) : 0;
}

/* ---- Building ----------------------------------------------------------- */

static void
update_count (RlDispatchList *self)
{
  guint            n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *text =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u bin", "%u bins", n), n);

  gtk_label_set_text (self->count_label, text);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static void
build_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (RlDispatchList) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = rl_dispatch_build_finish (RL_STORE (source), result, &error);
  g_autoptr (GPtrArray) items = NULL;

  if (self == NULL)
    return;
  self->busy--;
  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = rl_ui_error_message (error);

          gtk_label_set_text (self->count_label, message);
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      return;
    }

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (items, rl_dl_item_new (g_steal_pointer (&rows->pdata[i]), self->built_now_ms));
  g_ptr_array_set_free_func (rows, NULL);
  g_list_store_splice (self->model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->model)),
                       items->pdata, items->len);
  update_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
selected_window (RlDispatchList   *self,
                 RlDispatchWindow *window,
                 guint            *hours)
{
  guint selected = gtk_drop_down_get_selected (self->window_dropdown);

  *window = selected == 1 ? RL_DISPATCH_TOMORROW : selected == 2 ? RL_DISPATCH_HOURS
                                                                 : RL_DISPATCH_TODAY;
  *hours = (guint) gtk_spin_button_get_value_as_int (self->hours_spin);
}

/* ---- "Show on Map" cells ------------------------------------------------ */

/* The button's label: here, not in the cell template, so that it is
 * extracted for translation (xgettext does not read a CDATA template). */
static char *
show_on_map_label (gpointer this_)
{
  return g_strdup (_ ("Show on Map"));
}

/* The button's action target: the row's drop point id. */
static GVariant *
id_variant (gpointer    this_,
            const char *id)
{
  return g_variant_ref_sink (g_variant_new_string (id != NULL ? id : ""));
}

/* A binding cannot reach an accessible name: "Show Thamel Chowk on the map"
 * is set when the cell gets its row. */
static void
show_item_changed_cb (GtkListItem *list_item,
                      GParamSpec  *pspec,
                      gpointer     user_data)
{
  RlDispatchItem      *item = gtk_list_item_get_item (list_item);
  GtkWidget           *button = gtk_list_item_get_child (list_item);
  const RlDispatchRow *row;
  g_autofree char     *label = NULL;

  if (item == NULL || button == NULL)
    return;
  row = rl_dispatch_item_get_row (item);
  label = g_strdup_printf (_ ("Show %s on the map"), row->name ? row->name : row->id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
show_on_map_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  const char *id = g_variant_get_string (parameter, NULL);

  if (*id != '\0')
    g_signal_emit (widget, signals[SHOW_ON_MAP], 0, id);
}

/* ---- CSV export --------------------------------------------------------- */

GPtrArray *
rl_dl_current_rows (RlDispatchList *self)
{
  GPtrArray *rows = g_ptr_array_new (); /* borrowed from the items */
  guint      n = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlDispatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->sort_model), i);

      g_ptr_array_add (rows, (gpointer) rl_dispatch_item_get_row (item));
    }
  return rows;
}

gboolean
rl_dispatch_list_export_csv (RlDispatchList *self,
                             GFile          *file,
                             GError        **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *csv = NULL;

  g_return_val_if_fail (RL_IS_DISPATCH_LIST (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  rows = rl_dl_current_rows (self);
  csv = rl_dispatch_to_csv (rows);
  return g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION | G_FILE_CREATE_PRIVATE, NULL,
                                  NULL, error);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  RlDispatchList *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr (GError) error = NULL;

      if (file != NULL && !rl_dispatch_list_export_csv (self, file, &error))
        {
          g_autofree char *why = rl_ui_error_message (error);
          g_autofree char *message = g_strdup_printf (_ ("Export failed: %s"), why);

          gtk_label_set_text (self->count_label, message);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_clicked_cb (RlDispatchList *self)
{
  GtkRoot              *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;
  g_autofree char      *stamp = rl_dl_format_local (rl_dl_current_now (self), "%Y-%m-%d");
  g_autofree char      *name = g_strdup_printf ("dispatch-%s.csv", stamp);

  dialog = gtk_file_chooser_native_new (_ ("Export Dispatch List"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _ ("_Export"), _ ("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
print_clicked_cb (RlDispatchList *self)
{
  g_autoptr (GError) error = NULL;

  if (rl_dispatch_list_print (self, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, NULL, &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *message = g_strdup_printf (_ ("Printing failed: %s"), error->message);

      gtk_label_set_text (self->count_label, message);
    }
}

static void
window_changed_cb (RlDispatchList *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->hours_spin),
                          gtk_drop_down_get_selected (self->window_dropdown) == 2);
  if (!self->in_set_window)
    rl_dispatch_list_refresh (self);
}

/* ---- GObject ------------------------------------------------------------ */

static void
rl_dispatch_list_dispose (GObject *object)
{
  RlDispatchList *self = RL_DISPATCH_LIST (object);
  GtkWidget      *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_DISPATCH_LIST);
  /* The template's top child is not bound: unparent it ourselves. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (rl_dispatch_list_parent_class)->dispose (object);
}

static void
rl_dispatch_list_finalize (GObject *object)
{
  RlDispatchList *self = RL_DISPATCH_LIST (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (rl_dispatch_list_parent_class)->finalize (object);
}

static void
rl_dispatch_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RlDispatchList *self = RL_DISPATCH_LIST (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_dispatch_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RlDispatchList *self = RL_DISPATCH_LIST (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      rl_dispatch_list_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_dispatch_list_class_init (RlDispatchListClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_dispatch_list_dispose;
  object_class->finalize = rl_dispatch_list_finalize;
  object_class->get_property = rl_dispatch_list_get_property;
  object_class->set_property = rl_dispatch_list_set_property;

  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL, RL_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
      g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* show-on-map (const char *drop_point_id) */
  signals[SHOW_ON_MAP] =
      g_signal_new ("show-on-map", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (RL_TYPE_DISPATCH_ITEM);
  /* The resource is registered by hand (a static library may drop a
   * constructor); whoever comes first registers it. */
  if (rl_map_get_resource () == NULL)
    rl_map_register_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/reloop/Console/map/rl-dispatch-list.ui");
  gtk_widget_class_bind_template_child (widget_class, RlDispatchList, window_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RlDispatchList, hours_spin);
  gtk_widget_class_bind_template_child (widget_class, RlDispatchList, count_label);
  gtk_widget_class_bind_template_child (widget_class, RlDispatchList, stack);
  gtk_widget_class_bind_template_child (widget_class, RlDispatchList, column_view);
  gtk_widget_class_bind_template_child (widget_class, RlDispatchList, model);
  gtk_widget_class_bind_template_child (widget_class, RlDispatchList, sort_model);
  gtk_widget_class_bind_template_callback (widget_class, show_on_map_label);
  gtk_widget_class_bind_template_callback (widget_class, id_variant);
  gtk_widget_class_bind_template_callback (widget_class, show_item_changed_cb);
  /* dispatch.show-on-map (s: drop point id): the cells' buttons. */
  gtk_widget_class_install_action (widget_class, "dispatch.show-on-map", "s", show_on_map_action);
  gtk_widget_class_bind_template_callback (widget_class, window_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, print_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dispatchlist");
}

static void
rl_dispatch_list_init (RlDispatchList *self)
{
  self->cancellable = g_cancellable_new ();
  self->threshold = 85.0;
  gtk_widget_init_template (GTK_WIDGET (self));
  update_count (self);
}

/* ---- Public API --------------------------------------------------------- */

GtkWidget *
rl_dispatch_list_new (RlSession *session)
{
  return g_object_new (RL_TYPE_DISPATCH_LIST, "session", session, NULL);
}

void
rl_dispatch_list_set_session (RlDispatchList *self,
                              RlSession      *session)
{
  g_return_if_fail (RL_IS_DISPATCH_LIST (self));
  g_return_if_fail (session == NULL || RL_IS_SESSION (session));

  if (g_set_object (&self->session, session))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
      rl_dispatch_list_refresh (self);
    }
}

RlSession *
rl_dispatch_list_get_session (RlDispatchList *self)
{
  g_return_val_if_fail (RL_IS_DISPATCH_LIST (self), NULL);

  return self->session;
}

void
rl_dispatch_list_set_window (RlDispatchList  *self,
                             RlDispatchWindow window,
                             guint            hours)
{
  g_return_if_fail (RL_IS_DISPATCH_LIST (self));

  /* Both setters call window_changed_cb: one rebuild for both. */
  self->in_set_window = TRUE;
  gtk_spin_button_set_value (self->hours_spin, MAX (hours, 1));
  gtk_drop_down_set_selected (self->window_dropdown,
                              window == RL_DISPATCH_TOMORROW ? 1 : window == RL_DISPATCH_HOURS ? 2
                                                                                               : 0);
  self->in_set_window = FALSE;
  rl_dispatch_list_refresh (self);
}

void
rl_dispatch_list_set_now_ms (RlDispatchList *self,
                             gint64          now_ms)
{
  g_return_if_fail (RL_IS_DISPATCH_LIST (self));

  self->now_ms = now_ms;
  rl_dispatch_list_refresh (self);
}

void
rl_dispatch_list_set_threshold (RlDispatchList *self,
                                double          threshold)
{
  g_return_if_fail (RL_IS_DISPATCH_LIST (self));

  self->threshold = CLAMP (threshold, 1, 100);
  rl_dispatch_list_refresh (self);
}

void
rl_dispatch_list_refresh (RlDispatchList *self)
{
  RlDispatchWindow  window;
  RlForecastOptions options;
  RlStore          *store;
  gint64            now_ms, from_ms, to_ms;
  guint             hours;

  g_return_if_fail (RL_IS_DISPATCH_LIST (self));

  store = self->session ? rl_session_get_store (self->session) : NULL;
  if (store == NULL)
    {
      g_list_store_remove_all (self->model);
      update_count (self);
      return;
    }

  /* A newer request supersedes the running one. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  now_ms = rl_dl_current_now (self);
  self->built_now_ms = now_ms;
  selected_window (self, &window, &hours);
  rl_dispatch_window_range (window, hours, now_ms, local_offset_s (now_ms), &from_ms, &to_ms);
  rl_forecast_options_init (&options);
  options.threshold = self->threshold;
  options.utc_offset_s = local_offset_s (now_ms);

  if (self->busy++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  /* Built by the core in a worker thread on its own connection. */
  rl_dispatch_build_async (store, now_ms, from_ms, to_ms, &options, self->cancellable,
                           build_done_cb, rl_weak_call_new (self));
}

gboolean
rl_dispatch_list_get_busy (RlDispatchList *self)
{
  g_return_val_if_fail (RL_IS_DISPATCH_LIST (self), FALSE);

  return self->busy > 0;
}

GListModel *
rl_dispatch_list_get_model (RlDispatchList *self)
{
  g_return_val_if_fail (RL_IS_DISPATCH_LIST (self), NULL);

  return G_LIST_MODEL (self->model);
}
