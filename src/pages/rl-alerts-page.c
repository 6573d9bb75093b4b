/* rl-alerts-page.c — the alerts page of the main view.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "rl-alerts-page.h"

struct _RlAlertsPage
{
  RlPage parent_instance;

  AdwStatusPage *status_page;
  GtkLabel      *state_label;
};

G_DEFINE_FINAL_TYPE (RlAlertsPage, rl_alerts_page, RL_TYPE_PAGE)

static void
rl_alerts_page_session_changed (RlPage *page)
{
  RlAlertsPage    *self = RL_ALERTS_PAGE (page);
  g_autofree char *text = rl_page_describe_state (page);

  gtk_label_set_text (self->state_label, text);
}

static void
rl_alerts_page_class_init (RlAlertsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RlPageClass    *page_class = RL_PAGE_CLASS (klass);

  page_class->session_changed = rl_alerts_page_session_changed;

  rl_page_class_set_template (page_class, "/org/reloop/Console/ui/rl-alerts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, state_label);
}

static void
rl_alerts_page_init (RlAlertsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
