/* rl-provider-dialog.h — the dialog that adds or edits a provider: a type
 * picker, then the form generated from the type's field descriptors.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "rl-session.h"

G_BEGIN_DECLS

/* Opens the dialog that adds a provider, transient for @parent's window;
 * @kind (may be NULL) preselects a kind in the type picker. */
void rl_provider_dialog_present_add (RlSession  *session,
                                     const char *kind,
                                     GtkWidget  *parent);

/* Opens the dialog that edits cached provider @provider_id: its name, config
 * and secrets (hints only). */
void rl_provider_dialog_present_edit (RlSession  *session,
                                      const char *provider_id,
                                      GtkWidget  *parent);

G_END_DECLS
