/* rl-spinners.c — spinners that turn only while on screen.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkSpinner with :spinning set runs an infinite CSS animation. GTK 4.8
 * animates it even on a GtkStack page nobody sees (the stack only unmaps
 * its hidden pages; their CSS nodes stay "visible"), and an animated style
 * keeps the window's CSS invalid: the frame clock ticks at the display's
 * rate, restyling the window, for as long as the console is open. A
 * "Loading…" page's spinner in a page that is not shown cost the idle
 * console 11 % of a core and about 500 wakeups a second (docs/battery.md).
 *
 * For every spinner under @root that spins from its template, spinning
 * follows being mapped: it stops when unmapped and starts again when mapped.
 * Call right after gtk_widget_init_template(), before code changes any
 * spinner; spinners that code starts and stops are not touched (they are
 * not spinning yet at that moment).
 */
#include "config.h"

#include "rl-spinners.h"

#define TIED_KEY "rl-spin-while-mapped"

static void
spinner_mapped_cb (GtkSpinner *spinner)
{
  gtk_spinner_start (spinner);
}

static void
spinner_unmapped_cb (GtkSpinner *spinner)
{
  gtk_spinner_stop (spinner);
}

static void
tie (GtkSpinner *spinner)
{
  if (g_object_get_data (G_OBJECT (spinner), TIED_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (spinner), TIED_KEY, GINT_TO_POINTER (TRUE));
  g_signal_connect (spinner, "map", G_CALLBACK (spinner_mapped_cb), NULL);
  g_signal_connect (spinner, "unmap", G_CALLBACK (spinner_unmapped_cb), NULL);
  if (!gtk_widget_get_mapped (GTK_WIDGET (spinner)))
    gtk_spinner_stop (spinner);
}

void
rl_spinners_spin_while_mapped (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_SPINNER (root) && gtk_spinner_get_spinning (GTK_SPINNER (root)))
    tie (GTK_SPINNER (root));

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    rl_spinners_spin_while_mapped (child);
}
