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
};

G_DEFINE_FINAL_TYPE (RlAlertsPage, rl_alerts_page, RL_TYPE_PAGE)

static void
rl_alerts_page_class_init (RlAlertsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RlPageClass    *page_class = RL_PAGE_CLASS (klass);

  /* The session's state reaches the page's text by a binding in the template. */
  rl_page_class_set_template (page_class, "/org/reloop/Console/ui/rl-alerts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RlAlertsPage, status_page);
}

static void
rl_alerts_page_init (RlAlertsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
