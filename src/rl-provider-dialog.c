/* rl-provider-dialog.c — entry points of the provider dialog; the dialog
 * itself lands on the providers-form branch (this file is replaced there).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-provider-dialog.h"

void
rl_provider_dialog_present_add (RlSession  *session,
                                const char *kind,
                                GtkWidget  *parent)
{
  g_return_if_fail (RL_IS_SESSION (session));
  (void) kind;
  (void) parent;
}

void
rl_provider_dialog_present_edit (RlSession  *session,
                                 const char *provider_id,
                                 GtkWidget  *parent)
{
  g_return_if_fail (RL_IS_SESSION (session));
  (void) provider_id;
  (void) parent;
}
