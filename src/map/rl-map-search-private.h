/* rl-map-search-private.h — what rl-map-search.c and rl-map-search-views.c share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-map-search.h"

G_BEGIN_DECLS

#define RL_MAP_SEARCH_N_CATEGORIES 7
#define RL_MAP_SEARCH_N_FILL 4
#define RL_MAP_SEARCH_N_STATUS 3
#define RL_MAP_SEARCH_N_LINK 3

struct _RlMapSearch
{
  GtkWidget parent_instance;

  RlStore         *store;
  RlSearchFilter   filter;
  RlViewport       viewport;
  GHashTable      *shown_ids;
  guint            n_matches;
  gboolean         busy;
  guint            generation;
  GCancellable    *cancellable;
  guint            debounce_id;
  gboolean         updating;         /* controls are being set from code */
  gboolean         popup_results;    /* the last change came from typing */
  gboolean         activate_pending; /* Enter pressed while a search ran */
  AdwToastOverlay *toast_overlay;    /* weak */
  RlSavedView     *deleted_view;     /* for Undo */
  guint            deleted_index;

  GtkSearchEntry    *entry;
  GtkPopover        *results_popover;
  GtkScrolledWindow *results_scroller;
  GtkListBox        *results_list;
  GtkLabel          *results_status;
  GtkMenuButton     *filters_button;
  GtkPopover        *filters_popover;
  GtkGrid           *categories_grid;
  GtkGrid           *fill_grid;
  GtkGrid           *status_grid;
  GtkGrid           *link_grid;
  GtkSwitch         *alerts_switch;
  GtkButton         *clear_button;
  GtkMenuButton     *views_button;
  GtkPopover        *views_popover;
  GtkLabel          *views_empty;
  GtkListBox        *views_list;
  GtkButton         *save_view_button;

  GtkCheckButton *category_checks[RL_MAP_SEARCH_N_CATEGORIES];
  GtkCheckButton *fill_checks[RL_MAP_SEARCH_N_FILL];
  GtkCheckButton *status_checks[RL_MAP_SEARCH_N_STATUS];
  GtkCheckButton *link_checks[RL_MAP_SEARCH_N_LINK];
};

enum
{
  RL_MAP_SEARCH_POINT_ACTIVATED,
  RL_MAP_SEARCH_VIEW_ACTIVATED,
  RL_MAP_SEARCH_N_SIGNALS
};

extern guint rl_map_search_signals[RL_MAP_SEARCH_N_SIGNALS];

/* One row of the results popover, and what a search gives back. */
typedef struct
{
  char *id;
  char *name;
  char *address;
  char *hint; /* "Fill 92 %", "Offline", … */
} RlMapSearchRow;

typedef struct
{
  GPtrArray *ids;  /* char*, every match, in name order */
  GPtrArray *rows; /* RlMapSearchRow*, the first 50 (only with a query) */
} RlMapSearchResult;

/* rl-map-search.c */
gboolean rl_map_search_has_query (RlMapSearch *self);
/* Debounced search of the current filter; "busy" turns TRUE at once. */
void rl_map_search_schedule (RlMapSearch *self);

/* rl-map-search-results.c */
void rl_map_search_results_init (RlMapSearch *self);
void rl_map_search_results_class_init (GtkWidgetClass *widget_class);
void rl_map_search_results_clear (RlMapSearch *self);
void rl_map_search_results_show (RlMapSearch             *self,
                                 const RlMapSearchResult *result);
void rl_map_search_results_show_error (RlMapSearch  *self,
                                       const GError *error);
void rl_map_search_results_activate (RlMapSearch   *self,
                                     GtkListBoxRow *row);

/* rl-map-search-filters.c */
void rl_map_search_filters_init (RlMapSearch *self);
void rl_map_search_filters_class_init (GtkWidgetClass *widget_class);
/* Puts self->filter into every control, without searching. */
void rl_map_search_filters_sync (RlMapSearch *self);

/* rl-map-search-views.c */
void rl_map_search_views_rebuild (RlMapSearch *self);
void rl_map_search_views_dispose (RlMapSearch *self);
void rl_map_search_views_class_init (GtkWidgetClass *widget_class);

G_END_DECLS
