/* rl-provider-row.h — one provider in the Providers page: name, type, role,
 * priority, enabled, health in words and icon, the last test's result.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-list-item.h"
#include "rl-provider-ops.h"

G_BEGIN_DECLS

#define RL_TYPE_PROVIDER_ROW (rl_provider_row_get_type ())
G_DECLARE_FINAL_TYPE (RlProviderRow, rl_provider_row, RL, PROVIDER_ROW, AdwActionRow)

/* The row's actions are the page's "providers.*" actions with the
 * provider's id as target (its menu, Alt+Up / Alt+Down, drag and drop). */
GtkWidget      *rl_provider_row_new (RlProviderItem *item);
RlProviderItem *rl_provider_row_get_item (RlProviderRow *self);
/* NULL: none shown. */
void rl_provider_row_set_test_result (RlProviderRow              *self,
                                      const RlProviderTestResult *result);
/* "Testing…" while a test runs. */
void rl_provider_row_set_testing (RlProviderRow *self,
                                  gboolean       testing);

G_END_DECLS
