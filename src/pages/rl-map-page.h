/* rl-map-page.h — the map page of the main view.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-page.h"

G_BEGIN_DECLS

#define RL_TYPE_MAP_PAGE (rl_map_page_get_type ())
G_DECLARE_FINAL_TYPE (RlMapPage, rl_map_page, RL, MAP_PAGE, RlPage)

G_END_DECLS
