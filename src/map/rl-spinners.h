/* rl-spinners.h — spinners that turn only while on screen.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void rl_spinners_spin_while_mapped (GtkWidget *root);

G_END_DECLS
