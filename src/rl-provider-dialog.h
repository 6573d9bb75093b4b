/* rl-provider-dialog.h — the dialog that adds or edits a provider: a type
 * picker, then the form generated from the type's field descriptors.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_PROVIDER_DIALOG (rl_provider_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RlProviderDialog, rl_provider_dialog, RL, PROVIDER_DIALOG, AdwWindow)

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

/* For tests and the page: what the dialog shows. */
/* "loading", "error", "picker" or "form". */
const char *rl_provider_dialog_get_view (RlProviderDialog *self);
/* Chooses @type in the picker (as a click on its row would); FALSE when the
 * picker does not offer it. */
gboolean rl_provider_dialog_choose_type (RlProviderDialog *self,
                                         const char       *type);
/* The row of field @key (or "name", "role", "priority"), and its input (the
 * row for entries and combos, else the GtkSpinButton or GtkSwitch). */
GtkWidget *rl_provider_dialog_get_row (RlProviderDialog *self,
                                       const char       *key);
GtkWidget *rl_provider_dialog_get_input (RlProviderDialog *self,
                                         const char       *key);
/* The message shown under field @key's row (error or hint), NULL when none. */
const char *rl_provider_dialog_get_note (RlProviderDialog *self,
                                         const char       *key);
gboolean    rl_provider_dialog_has_error (RlProviderDialog *self,
                                          const char       *key);
/* The provider made (after an add) or edited; NULL before. */
const char *rl_provider_dialog_get_provider_id (RlProviderDialog *self);

G_END_DECLS
