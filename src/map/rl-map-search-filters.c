/* rl-map-search-filters.c — RlMapSearch's filter popover: categories, fill
 * level, status, link, open alerts, Clear Filters.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The check buttons are built from the tables below into the template's
 * grids; each holds one bit of an RlSearchFilter field.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rl-map-search-private.h"

typedef struct
{
  guint       bit;
  const char *label;
} Choice;

static const Choice category_choices[RL_MAP_SEARCH_N_CATEGORIES] = {
  { RL_CATEGORY_PLASTIC, N_ ("Plastic") },
  { RL_CATEGORY_PAPER, N_ ("Paper") },
  { RL_CATEGORY_METAL, N_ ("Metal") },
  { RL_CATEGORY_GLASS, N_ ("Glass") },
  { RL_CATEGORY_ORGANIC, N_ ("Organic") },
  { RL_CATEGORY_ELECTRONIC, N_ ("Electronic") },
  { RL_CATEGORY_TEXTILE, N_ ("Textile") },
};

static const Choice fill_choices[RL_MAP_SEARCH_N_FILL] = {
  /* xgettext:no-c-format */
  { RL_FILL_BAND_LOW, N_ ("Under 50 %") },
  /* xgettext:no-c-format */
  { RL_FILL_BAND_MEDIUM, N_ ("50 % to full") },
  { RL_FILL_BAND_FULL, N_ ("Full") },
  { RL_FILL_BAND_NONE, N_ ("No reading") },
};

static const Choice status_choices[RL_MAP_SEARCH_N_STATUS] = {
  { RL_POINT_STATUS_ACTIVE, N_ ("Active") },
  { RL_POINT_STATUS_MAINTENANCE, N_ ("In maintenance") },
  { RL_POINT_STATUS_RETIRED, N_ ("Retired") },
};

static const Choice link_choices[RL_MAP_SEARCH_N_LINK] = {
  { RL_LINK_ONLINE, N_ ("Online") },
  { RL_LINK_STALE, N_ ("Stale") },
  { RL_LINK_OFFLINE, N_ ("Offline") },
};

/* ---- Filter controls ---------------------------------------------------- */

static guint
bits_of (GtkCheckButton **checks,
         const Choice    *choices,
         guint            n)
{
  guint bits = 0;

  for (guint i = 0; i < n; i++)
    if (gtk_check_button_get_active (checks[i]))
      bits |= choices[i].bit;
  return bits;
}

static void
set_bits (GtkCheckButton **checks,
          const Choice    *choices,
          guint            n,
          guint            bits)
{
  for (guint i = 0; i < n; i++)
    gtk_check_button_set_active (checks[i], (bits & choices[i].bit) != 0);
}

static guint
active_criteria (const RlSearchFilter *f)
{
  guint all[] = { f->categories, f->fill_bands, f->statuses, f->links };
  guint n = f->open_alerts_only ? 1 : 0;

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    for (guint bits = all[i]; bits != 0; bits &= bits - 1)
      n++;
  return n;
}

static void
update_filters_label (RlMapSearch *self)
{
  guint n = active_criteria (&self->filter);

  if (n == 0)
    gtk_menu_button_set_label (self->filters_button, _ ("Filters"));
  else
    {
      /* TRANSLATORS: the Filters button with the number of active criteria */
      g_autofree char *text = g_strdup_printf (_ ("Filters (%u)"), n);
      gtk_menu_button_set_label (self->filters_button, text);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), n > 0);
}

static void
control_changed_cb (RlMapSearch *self)
{
  if (self->updating)
    return;
  self->filter.categories =
      bits_of (self->category_checks, category_choices, RL_MAP_SEARCH_N_CATEGORIES);
  self->filter.fill_bands = bits_of (self->fill_checks, fill_choices, RL_MAP_SEARCH_N_FILL);
  self->filter.statuses = bits_of (self->status_checks, status_choices, RL_MAP_SEARCH_N_STATUS);
  self->filter.links = bits_of (self->link_checks, link_choices, RL_MAP_SEARCH_N_LINK);
  self->filter.open_alerts_only = gtk_switch_get_active (self->alerts_switch);
  update_filters_label (self);
  self->popup_results = FALSE;
  rl_map_search_schedule (self);
}

/* Puts the filter into every control, without searching. */
void
rl_map_search_filters_sync (RlMapSearch *self)
{
  const char      *query = self->filter.query ? self->filter.query : "";
  g_autofree char *shown =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));

  self->updating = TRUE;
  /* the entry may hold blanks around the query: leave what was typed */
  if (g_strcmp0 (shown, query) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), query);
  set_bits (self->category_checks, category_choices, RL_MAP_SEARCH_N_CATEGORIES,
            self->filter.categories);
  set_bits (self->fill_checks, fill_choices, RL_MAP_SEARCH_N_FILL, self->filter.fill_bands);
  set_bits (self->status_checks, status_choices, RL_MAP_SEARCH_N_STATUS, self->filter.statuses);
  set_bits (self->link_checks, link_choices, RL_MAP_SEARCH_N_LINK, self->filter.links);
  gtk_switch_set_active (self->alerts_switch, self->filter.open_alerts_only);
  self->updating = FALSE;
  update_filters_label (self);
}

static void
clear_clicked_cb (RlMapSearch *self)
{
  self->filter.categories = 0;
  self->filter.fill_bands = 0;
  self->filter.statuses = 0;
  self->filter.links = 0;
  self->filter.open_alerts_only = FALSE;
  rl_map_search_filters_sync (self);
  self->popup_results = FALSE;
  rl_map_search_schedule (self);
}

static void
add_checks (RlMapSearch     *self,
            GtkGrid         *grid,
            GtkCheckButton **checks,
            const Choice    *choices,
            guint            n,
            guint            columns)
{
  for (guint i = 0; i < n; i++)
    {
      checks[i] = GTK_CHECK_BUTTON (gtk_check_button_new_with_label (_ (choices[i].label)));
      g_signal_connect_swapped (checks[i], "toggled", G_CALLBACK (control_changed_cb), self);
      gtk_grid_attach (grid, GTK_WIDGET (checks[i]), i % columns, i / columns, 1, 1);
    }
}

/* ---- Setup -------------------------------------------------------------- */

void
rl_map_search_filters_init (RlMapSearch *self)
{
  add_checks (self, self->categories_grid, self->category_checks, category_choices,
              RL_MAP_SEARCH_N_CATEGORIES, 2);
  add_checks (self, self->fill_grid, self->fill_checks, fill_choices, RL_MAP_SEARCH_N_FILL, 2);
  add_checks (self, self->status_grid, self->status_checks, status_choices, RL_MAP_SEARCH_N_STATUS,
              2);
  add_checks (self, self->link_grid, self->link_checks, link_choices, RL_MAP_SEARCH_N_LINK, 2);
  update_filters_label (self);
}

void
rl_map_search_filters_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, control_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
}
