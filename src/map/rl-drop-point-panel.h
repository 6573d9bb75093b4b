/* rl-drop-point-panel.h — the drop-point panel beside the map.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-forecast.h"
#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_DROP_POINT_PANEL (rl_drop_point_panel_get_type ())
G_DECLARE_FINAL_TYPE (RlDropPointPanel, rl_drop_point_panel, RL, DROP_POINT_PANEL, GtkWidget)

GtkWidget *rl_drop_point_panel_new (RlSession *session);

RlSession  *rl_drop_point_panel_get_session (RlDropPointPanel *self);
void        rl_drop_point_panel_set_session (RlDropPointPanel *self,
                                             RlSession        *session);
const char *rl_drop_point_panel_get_drop_point_id (RlDropPointPanel *self);
/* Loads the point from the cache (and, online, whatever the cache lacks). */
void rl_drop_point_panel_set_drop_point_id (RlDropPointPanel *self,
                                            const char       *id);
/* Re-reads the point from the cache. */
void rl_drop_point_panel_reload (RlDropPointPanel *self);
/* Re-reads only the live values of the shown point from the cache (what
 * the MQTT feed writes: fill, weight, temperature, humidity, battery, last
 * reading, online): a status or notes edit in progress stays as it is. */
void rl_drop_point_panel_refresh_live (RlDropPointPanel *self);

/* Fill percentage at which a bin counts as full (default: the
 * fill-alert-threshold setting, or 85). */
void rl_drop_point_panel_set_threshold (RlDropPointPanel *self,
                                        double            threshold);

/* Editing, as the Save button does it. */
void rl_drop_point_panel_set_edit (RlDropPointPanel *self,
                                   const char       *status,
                                   const char       *notes);
void rl_drop_point_panel_save (RlDropPointPanel *self);

/* State, for tests and the page around it. */
const char *rl_drop_point_panel_get_title (RlDropPointPanel *self);
const char *rl_drop_point_panel_get_forecast_text (RlDropPointPanel *self);
const char *rl_drop_point_panel_get_save_message (RlDropPointPanel *self);
const RlForecast        *
rl_drop_point_panel_get_forecast (RlDropPointPanel *self);
gint64 rl_drop_point_panel_get_version (RlDropPointPanel *self);
/* TRUE while a load, a readings fetch or a save is under way. */
gboolean rl_drop_point_panel_get_busy (RlDropPointPanel *self);
guint    rl_drop_point_panel_get_n_readings (RlDropPointPanel *self);
/* The conflict dialog while it is shown, else NULL. */
AdwMessageDialog *
rl_drop_point_panel_get_conflict_dialog (RlDropPointPanel *self);

G_END_DECLS
