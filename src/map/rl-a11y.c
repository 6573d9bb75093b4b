/* rl-a11y.c — accessible names GTK 4.8 gets wrong.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's gtk_button_set_label() stores the label as the button's
 * accessible label property, underline included, and the mnemonic label
 * inside it also labels the button (labelled-by): the name is both,
 * "_Save Save", and a screen reader says so. For every button with a
 * mnemonic under @root, the property goes and the label's text alone names
 * it. Here, in the lowest library of widgets, so the map's panels use it too.
 * Call after gtk_widget_init_template(); buttons whose label changes later
 * need it again.
 */
#include "config.h"

#include "rl-a11y.h"

void
rl_a11y_fix_mnemonic_names (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && gtk_button_get_use_underline (GTK_BUTTON (root))
      && gtk_button_get_label (GTK_BUTTON (root)) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    rl_a11y_fix_mnemonic_names (child);
}
