/* rl-fill-chart.h — a drop point's fill history (7 days) with its forecast.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "rl-forecast.h"

G_BEGIN_DECLS

#define RL_TYPE_FILL_CHART (rl_fill_chart_get_type ())
G_DECLARE_FINAL_TYPE (RlFillChart, rl_fill_chart, RL, FILL_CHART, GtkWidget)

GtkWidget *rl_fill_chart_new (void);

/* The history to draw: samples in [end_ms - 7 days, end_ms] are shown. */
void rl_fill_chart_set_samples (RlFillChart        *self,
                                const RlFillSample *samples,
                                gsize               n_samples,
                                gint64              end_ms);
/* NULL: no forecast. */
void  rl_fill_chart_set_forecast (RlFillChart      *self,
                                  const RlForecast *forecast);
void  rl_fill_chart_set_threshold (RlFillChart *self,
                                   double       threshold);
guint rl_fill_chart_get_n_samples (RlFillChart *self);
/* The text given to assistive technologies (also a tooltip). */
const char *rl_fill_chart_get_summary (RlFillChart *self);

G_END_DECLS
