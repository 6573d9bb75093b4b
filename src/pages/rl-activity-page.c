/* rl-activity-page.c — the activity page of the main view.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "rl-activity-page.h"

struct _RlActivityPage
{
  RlPage parent_instance;

  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (RlActivityPage, rl_activity_page, RL_TYPE_PAGE)

static void
rl_activity_page_class_init (RlActivityPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RlPageClass    *page_class = RL_PAGE_CLASS (klass);

  /* The session's state reaches the page's text by a binding in the template. */
  rl_page_class_set_template (page_class, "/org/reloop/Console/ui/rl-activity-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RlActivityPage, status_page);
}

static void
rl_activity_page_init (RlActivityPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
