/* rl-providers-page-private.h — what the Providers page's files share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-provider-ops.h"
#include "rl-provider-row.h"
#include "rl-providers-page.h"
#include "rl-record-list.h"

G_BEGIN_DECLS

#define RL_PROVIDER_N_KINDS 9

struct _RlProvidersPage
{
  RlPage parent_instance;

  GtkStack      *stack;
  AdwStatusPage *error_page;
  GtkBox        *groups_box;
  GtkBox        *keyring_box;
  GtkLabel      *keyring_label;
  GtkButton     *unlock_button;
  GtkBox        *offline_box;
  GtkLabel      *summary_label;
  GtkButton     *add_button;

  RlRecordList        *lists[RL_PROVIDER_N_KINDS];
  AdwPreferencesGroup *groups[RL_PROVIDER_N_KINDS];
  GtkListBox          *boxes[RL_PROVIDER_N_KINDS];
  GtkBox              *warnings[RL_PROVIDER_N_KINDS];
  GtkLabel            *warning_labels[RL_PROVIDER_N_KINDS];

  RlSession  *watched;  /* the session whose signals are connected */
  GHashTable *tests;    /* provider id → RlProviderTestResult */
  char       *focus_id; /* the provider whose row had the focus while its list changes */
};

/* The kinds in the order the page shows them (wire names). */
extern const char *const rl_providers_page_kinds[RL_PROVIDER_N_KINDS];

/* rl-providers-page-actions.c */
void            rl_providers_page_class_add_actions (GtkWidgetClass *widget_class);
void            rl_providers_page_update_actions (RlProvidersPage *self);
RlProviderRow  *rl_providers_page_find_row (RlProvidersPage *self,
                                            const char      *id);
RlProviderItem *rl_providers_page_find_item (RlProvidersPage *self,
                                             const char      *id);
/* The enabled providers of kind index @k, in order, as "A → B → C"; NULL
 * when none. *@has_primary: one of them is primary. */
char *rl_providers_page_chain (RlProvidersPage *self,
                               guint            k,
                               gboolean        *has_primary);

G_END_DECLS
