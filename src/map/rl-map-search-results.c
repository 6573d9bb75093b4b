/* rl-map-search-results.c — RlMapSearch's entry and results popover.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The popover hangs under the entry and does not take the keyboard: typing
 * goes on in the entry, Up/Down move the selection, Enter activates it.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rl-map-search-private.h"
#include "rl-ui-errors.h"

/* ---- Results popover ---------------------------------------------------- */

void
rl_map_search_results_clear (RlMapSearch *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
}

static GtkWidget *
make_result_row (const RlMapSearchRow *r)
{
  GtkWidget       *row = gtk_list_box_row_new ();
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget       *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget       *name = gtk_label_new (r->name);
  GtkWidget       *address = gtk_label_new (r->address);
  GtkWidget       *hint = gtk_label_new (r->hint);
  g_autofree char *a11y = g_strdup_printf ("%s, %s, %s", r->name, r->address, r->hint);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (address), 0);
  gtk_label_set_ellipsize (GTK_LABEL (address), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (address, TRUE);
  gtk_widget_add_css_class (address, "dim-label");
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "numeric");
  gtk_box_append (GTK_BOX (line), address);
  gtk_box_append (GTK_BOX (line), hint);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), line);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "rl-id", g_strdup (r->id), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  return row;
}

void
rl_map_search_results_show (RlMapSearch             *self,
                            const RlMapSearchResult *result)
{
  GtkListBoxRow *first;

  rl_map_search_results_clear (self);
  for (guint i = 0; i < result->rows->len; i++)
    gtk_list_box_append (self->results_list, make_result_row (g_ptr_array_index (result->rows, i)));

  gtk_widget_set_visible (GTK_WIDGET (self->results_scroller), result->rows->len > 0);
  if (result->ids->len == 0)
    gtk_label_set_text (self->results_status, _ ("No drop points match"));
  else if (result->ids->len > result->rows->len)
    {
      guint more = result->ids->len - result->rows->len;
      /* TRANSLATORS: after the first 50 results of a search */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "and %u more — refine the search",
                                                            "and %u more — refine the search",
                                                            more),
                                               more);
      gtk_label_set_text (self->results_status, text);
    }
  else
    gtk_label_set_text (self->results_status, "");
  gtk_widget_set_visible (GTK_WIDGET (self->results_status),
                          gtk_label_get_text (self->results_status)[0] != '\0');

  first = gtk_list_box_get_row_at_index (self->results_list, 0);
  gtk_list_box_select_row (self->results_list, first);
}

void
rl_map_search_results_show_error (RlMapSearch  *self,
                                  const GError *error)
{
  g_autofree char *why = rl_ui_error_message (error);
  /* TRANSLATORS: %s is the reason the search failed */
  g_autofree char *text = g_strdup_printf (_ ("The search failed: %s"), why);

  rl_map_search_results_clear (self);
  gtk_label_set_text (self->results_status, text);
  gtk_widget_set_visible (GTK_WIDGET (self->results_status), TRUE);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_popover_popup (self->results_popover);
}

void
rl_map_search_results_activate (RlMapSearch   *self,
                                GtkListBoxRow *row)
{
  const char      *id = row ? g_object_get_data (G_OBJECT (row), "rl-id") : NULL;
  g_autofree char *copy = g_strdup (id);

  if (copy == NULL)
    return;
  gtk_popover_popdown (self->results_popover);
  g_signal_emit (self, rl_map_search_signals[RL_MAP_SEARCH_POINT_ACTIVATED], 0, copy);
}

static void
result_row_activated_cb (RlMapSearch   *self,
                         GtkListBoxRow *row)
{
  rl_map_search_results_activate (self, row);
}

/* ---- Entry -------------------------------------------------------------- */

static void
entry_changed_cb (RlMapSearch *self)
{
  g_autofree char *text =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));

  if (self->updating)
    return;
  /* blanks around the words do not narrow anything */
  g_free (self->filter.query);
  self->filter.query = text[0] != '\0' ? g_steal_pointer (&text) : NULL;
  self->popup_results = TRUE;
  if (!rl_map_search_has_query (self))
    gtk_popover_popdown (self->results_popover);
  rl_map_search_schedule (self);
}

static void
entry_activate_cb (RlMapSearch *self)
{
  GtkListBoxRow *row;

  if (!rl_map_search_has_query (self))
    return;
  if (self->busy)
    {
      self->activate_pending = TRUE;
      return;
    }
  row = gtk_list_box_get_selected_row (self->results_list);
  rl_map_search_results_activate (
      self, row ? row : gtk_list_box_get_row_at_index (self->results_list, 0));
}

static void
entry_stop_search_cb (RlMapSearch *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->results_popover)))
    gtk_popover_popdown (self->results_popover);
  else
    gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
}

/* The popover does not take the keyboard (typing goes on in the entry):
 * Up and Down move the selection in the list, Enter activates it. */
static gboolean
entry_key_pressed_cb (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      RlMapSearch           *self)
{
  GtkListBoxRow *row, *next;
  int            index, n = 0;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_Up
      && keyval != GDK_KEY_KP_Down && keyval != GDK_KEY_KP_Up)
    return FALSE;
  if (!rl_map_search_has_query (self))
    return FALSE;
  while (gtk_list_box_get_row_at_index (self->results_list, n) != NULL)
    n++;
  if (n == 0)
    return TRUE;
  if (!gtk_widget_get_visible (GTK_WIDGET (self->results_popover)))
    {
      gtk_popover_popup (self->results_popover);
      return TRUE;
    }
  row = gtk_list_box_get_selected_row (self->results_list);
  index = row ? gtk_list_box_row_get_index (row) : -1;
  if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    index = MIN (index + 1, n - 1);
  else
    index = MAX (index - 1, 0);
  next = gtk_list_box_get_row_at_index (self->results_list, index);
  gtk_list_box_select_row (self->results_list, next);
  if (next != NULL)
    {
      /* keep it in sight */
      GtkAdjustment  *adj = gtk_scrolled_window_get_vadjustment (self->results_scroller);
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (GTK_WIDGET (next), GTK_WIDGET (self->results_list), &bounds))
        {
          double top = bounds.origin.y, bottom = top + bounds.size.height;
          double v = gtk_adjustment_get_value (adj), page = gtk_adjustment_get_page_size (adj);

          if (top < v)
            gtk_adjustment_set_value (adj, top);
          else if (bottom > v + page)
            gtk_adjustment_set_value (adj, bottom - page);
        }
    }
  return TRUE;
}

/* Clicks elsewhere do not close a popover without autohide: close it when
 * the focus has left both the entry and the list. Checked from an idle,
 * once the focus has settled. */
static gboolean
check_focus_cb (gpointer user_data)
{
  RlMapSearch *self = user_data;
  GtkRoot     *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget   *focus = root ? gtk_root_get_focus (root) : NULL;

  if (self->results_popover != NULL
      && (focus == NULL
          || (!gtk_widget_is_ancestor (focus, GTK_WIDGET (self->entry))
              && focus != GTK_WIDGET (self->entry)
              && !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->results_popover)))))
    gtk_popover_popdown (self->results_popover);
  return G_SOURCE_REMOVE;
}

static void
entry_focus_leave_cb (GtkEventControllerFocus *controller,
                      RlMapSearch             *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, check_focus_cb, g_object_ref (self), g_object_unref);
}

/* ---- Setup -------------------------------------------------------------- */

void
rl_map_search_results_init (RlMapSearch *self)
{
  GtkEventController *keys, *focus;

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), keys);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (entry_focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), focus);
  gtk_search_entry_set_key_capture_widget (self->entry, NULL);
}

void
rl_map_search_results_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_row_activated_cb);
}
