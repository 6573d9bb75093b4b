/* rl-providers-page.h — the providers page of the main view.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-page.h"

G_BEGIN_DECLS

#define RL_TYPE_PROVIDERS_PAGE (rl_providers_page_get_type ())
G_DECLARE_FINAL_TYPE (RlProvidersPage, rl_providers_page, RL, PROVIDERS_PAGE, RlPage)

G_END_DECLS
