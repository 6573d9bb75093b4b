/* rl-map-search-views.c — saved views of RlMapSearch: popover, save dialog, toasts.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Views live in the store's meta (rl_search_views_*), read and written on
 * the main thread: a handful of small JSON objects.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rl-a11y.h"
#include "rl-map-search-private.h"
#include "rl-ui-errors.h"

/* ---- Helpers ------------------------------------------------------------ */

static void
toast (RlMapSearch *self,
       AdwToast    *toast)
{
  g_autoptr (AdwToast) owned = toast;

  if (self->toast_overlay != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (owned));
}

static gboolean
have_store (RlMapSearch *self,
            GError     **error)
{
  if (self->store != NULL)
    return TRUE;
  g_set_error_literal (error, RL_MAP_SEARCH_ERROR, RL_MAP_SEARCH_ERROR_NO_STORE,
                       _ ("No drop points are loaded"));
  return FALSE;
}

static int
find_view (GPtrArray  *views,
           const char *name)
{
  for (guint i = 0; i < views->len; i++)
    if (g_strcmp0 (((RlSavedView *) g_ptr_array_index (views, i))->name, name) == 0)
      return (int) i;
  return -1;
}

/* ---- The popover's list ------------------------------------------------- */

static void
delete_clicked_cb (GtkButton   *button,
                   RlMapSearch *self)
{
  const char      *name = g_object_get_data (G_OBJECT (button), "rl-view");
  g_autofree char *copy = g_strdup (name);
  g_autoptr (GError) error = NULL;

  if (!rl_map_search_delete_view (self, copy, &error))
    g_warning ("Cannot delete the view “%s”: %s", copy, error->message);
}

static GtkWidget *
make_view_row (RlMapSearch       *self,
               const RlSavedView *view)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (view->name);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  /* TRANSLATORS: accessible name of a button; %s is a saved view's name */
  g_autofree char *a11y = g_strdup_printf (_ ("Delete view %s"), view->name);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _ ("Delete View"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_object_set_data_full (G_OBJECT (remove), "rl-view", g_strdup (view->name), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (delete_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "rl-view", g_strdup (view->name), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, view->name, -1);
  return row;
}

void
rl_map_search_views_rebuild (RlMapSearch *self)
{
  g_autoptr (GPtrArray) views = rl_map_search_dup_views (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->views_list))) != NULL)
    gtk_list_box_remove (self->views_list, child);
  for (guint i = 0; i < views->len; i++)
    gtk_list_box_append (self->views_list, make_view_row (self, g_ptr_array_index (views, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->views_list), views->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->views_empty), views->len == 0);
}

static void
view_row_activated_cb (RlMapSearch   *self,
                       GtkListBoxRow *row)
{
  g_autofree char *name = g_strdup (g_object_get_data (G_OBJECT (row), "rl-view"));

  gtk_popover_popdown (self->views_popover);
  rl_map_search_apply_view (self, name);
}

/* ---- "Save Current View…" dialog ---------------------------------------- */

static void
save_named (RlMapSearch *self,
            const char  *name)
{
  g_autoptr (GError) error = NULL;

  if (!rl_map_search_save_view (self, name, &error))
    {
      g_autofree char *why = rl_ui_error_message (error);

      /* TRANSLATORS: %s is the reason */
      toast (self, adw_toast_new_format (_ ("Cannot save the view: %s"), why));
    }
}

static void
replace_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     RlMapSearch      *self)
{
  if (g_strcmp0 (response, "replace") == 0)
    save_named (self, g_object_get_data (G_OBJECT (dialog), "rl-view"));
}

static void
save_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  RlMapSearch      *self)
{
  GtkEditable     *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr (GPtrArray) views = NULL;
  AdwMessageDialog *confirm;

  if (g_strcmp0 (response, "save") != 0 || name[0] == '\0')
    return;
  views = rl_map_search_dup_views (self);
  if (find_view (views, name) < 0)
    {
      save_named (self, name);
      return;
    }

  /* TRANSLATORS: %s is a saved view's name */
  confirm = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      gtk_window_get_transient_for (GTK_WINDOW (dialog)), _ ("Replace View?"), NULL));
  adw_message_dialog_format_body (confirm, _ ("A view named “%s” already exists. Replacing it "
                                              "saves the current search, filters and map "
                                              "position under that name."),
                                  name);
  adw_message_dialog_add_responses (confirm, "cancel", _ ("_Cancel"), "replace", _ ("_Replace"),
                                    NULL);
  adw_message_dialog_set_response_appearance (confirm, "replace", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (confirm, "cancel");
  adw_message_dialog_set_close_response (confirm, "cancel");
  g_object_set_data_full (G_OBJECT (confirm), "rl-view", g_steal_pointer (&name), g_free);
  g_signal_connect_object (confirm, "response", G_CALLBACK (replace_response_cb), self, 0);
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (confirm));
  gtk_window_present (GTK_WINDOW (confirm));
}

static void
name_changed_cb (GtkEditable      *entry,
                 AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "save", name[0] != '\0');
}

static void
name_activate_cb (GtkEntry         *entry,
                  AdwMessageDialog *dialog)
{
  if (adw_message_dialog_get_response_enabled (dialog, "save"))
    {
      adw_message_dialog_response (dialog, "save");
      gtk_window_close (GTK_WINDOW (dialog));
    }
}

static void
save_view_clicked_cb (RlMapSearch *self)
{
  GtkRoot          *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  GtkWidget        *entry = gtk_entry_new ();

  gtk_popover_popdown (self->views_popover);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _ ("Save Current View"),
      _ ("Saves the search, the filters and the "
         "map position under a name.")));
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _ ("View name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("View name"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "save", _ ("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "save", FALSE);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (entry, "changed", G_CALLBACK (name_changed_cb), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (name_activate_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_response_cb), self, 0);
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* ---- Undo --------------------------------------------------------------- */

static void
undo_clicked_cb (AdwToast    *toast_,
                 RlMapSearch *self)
{
  g_autoptr (GError) error = NULL;

  if (!rl_map_search_undo_delete (self, &error) && error != NULL)
    g_warning ("Cannot restore the view: %s", error->message);
}

/* ---- Class -------------------------------------------------------------- */

void
rl_map_search_views_dispose (RlMapSearch *self)
{
  /* nothing outlives the widget: dialogs and toasts are connected with
   * g_signal_connect_object */
}

void
rl_map_search_views_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, view_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_view_clicked_cb);
}

/* ---- Public API --------------------------------------------------------- */

GPtrArray *
rl_map_search_dup_views (RlMapSearch *self)
{
  g_return_val_if_fail (RL_IS_MAP_SEARCH (self), NULL);

  if (self->store == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) rl_saved_view_free);
  return rl_search_views_load (self->store);
}

gboolean
rl_map_search_save_view (RlMapSearch *self,
                         const char  *name,
                         GError     **error)
{
  g_autofree char *clean = NULL;
  g_autoptr (RlSavedView) view = NULL;

  g_return_val_if_fail (RL_IS_MAP_SEARCH (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!have_store (self, error))
    return FALSE;
  clean = g_strstrip (g_strdup (name ? name : ""));
  if (clean[0] == '\0')
    {
      g_set_error_literal (error, RL_MAP_SEARCH_ERROR, RL_MAP_SEARCH_ERROR_BAD_NAME,
                           _ ("A view needs a name"));
      return FALSE;
    }
  view = rl_saved_view_new (clean, &self->filter, &self->viewport);
  if (!rl_search_views_put (self->store, view, error))
    return FALSE;
  rl_map_search_views_rebuild (self);
  /* TRANSLATORS: %s is a saved view's name */
  toast (self, adw_toast_new_format (_ ("View “%s” saved"), clean));
  return TRUE;
}

gboolean
rl_map_search_apply_view (RlMapSearch *self,
                          const char  *name)
{
  g_autoptr (GPtrArray) views = NULL;
  RlSavedView *view;
  int          index;

  g_return_val_if_fail (RL_IS_MAP_SEARCH (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  views = rl_map_search_dup_views (self);
  index = find_view (views, name);
  if (index < 0)
    return FALSE;
  view = g_ptr_array_index (views, index);
  rl_map_search_set_filter (self, &view->filter);
  /* a view saved before the map knew its position has zoom 0: keep the map */
  if (view->viewport.zoom > 0)
    g_signal_emit (self, rl_map_search_signals[RL_MAP_SEARCH_VIEW_ACTIVATED], 0,
                   view->viewport.latitude, view->viewport.longitude, view->viewport.zoom);
  return TRUE;
}

gboolean
rl_map_search_delete_view (RlMapSearch *self,
                           const char  *name,
                           GError     **error)
{
  g_autoptr (GPtrArray) views = NULL;
  RlSavedView *view;
  AdwToast    *t;
  int          index;

  g_return_val_if_fail (RL_IS_MAP_SEARCH (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!have_store (self, error))
    return FALSE;
  views = rl_map_search_dup_views (self);
  index = find_view (views, name);
  if (index < 0)
    {
      g_set_error (error, RL_MAP_SEARCH_ERROR, RL_MAP_SEARCH_ERROR_NOT_FOUND,
                   _ ("There is no view named “%s”"), name);
      return FALSE;
    }
  if (!rl_search_views_remove (self->store, name, error))
    return FALSE;

  view = g_ptr_array_index (views, index);
  g_clear_pointer (&self->deleted_view, rl_saved_view_free);
  self->deleted_view = rl_saved_view_new (view->name, &view->filter, &view->viewport);
  self->deleted_index = (guint) index;
  rl_map_search_views_rebuild (self);

  /* TRANSLATORS: %s is a saved view's name */
  t = adw_toast_new_format (_ ("View “%s” deleted"), name);
  adw_toast_set_button_label (t, _ ("_Undo"));
  g_signal_connect_object (t, "button-clicked", G_CALLBACK (undo_clicked_cb), self, 0);
  toast (self, t);
  return TRUE;
}

gboolean
rl_map_search_undo_delete (RlMapSearch *self,
                           GError     **error)
{
  g_autoptr (RlSavedView) view = NULL;
  g_autoptr (GPtrArray) views = NULL;
  int existing;

  g_return_val_if_fail (RL_IS_MAP_SEARCH (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->deleted_view == NULL || !have_store (self, error))
    return FALSE;
  view = g_steal_pointer (&self->deleted_view);
  views = rl_map_search_dup_views (self);
  /* saved again under that name meanwhile: the newer one wins */
  existing = find_view (views, view->name);
  if (existing >= 0)
    return TRUE;
  g_ptr_array_insert (views, (int) MIN (self->deleted_index, views->len), g_steal_pointer (&view));
  if (!rl_search_views_save (self->store, views, error))
    return FALSE;
  rl_map_search_views_rebuild (self);
  return TRUE;
}
