/* rl-providers-page.c — the providers page of the main view.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "rl-providers-page.h"

struct _RlProvidersPage
{
  RlPage parent_instance;

  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (RlProvidersPage, rl_providers_page, RL_TYPE_PAGE)

static void
rl_providers_page_class_init (RlProvidersPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RlPageClass    *page_class = RL_PAGE_CLASS (klass);

  /* The session's state reaches the page's text by a binding in the template. */
  rl_page_class_set_template (page_class, "/org/reloop/Console/ui/rl-providers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RlProvidersPage, status_page);
}

static void
rl_providers_page_init (RlProvidersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
