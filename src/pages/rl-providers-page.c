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
  GtkLabel      *state_label;
};

G_DEFINE_FINAL_TYPE (RlProvidersPage, rl_providers_page, RL_TYPE_PAGE)

static void
rl_providers_page_session_changed (RlPage *page)
{
  RlProvidersPage *self = RL_PROVIDERS_PAGE (page);
  g_autofree char *text = rl_page_describe_state (page);

  gtk_label_set_text (self->state_label, text);
}

static void
rl_providers_page_class_init (RlProvidersPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RlPageClass    *page_class = RL_PAGE_CLASS (klass);

  page_class->session_changed = rl_providers_page_session_changed;

  rl_page_class_set_template (page_class, "/org/reloop/Console/ui/rl-providers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RlProvidersPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, RlProvidersPage, state_label);
}

static void
rl_providers_page_init (RlProvidersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
