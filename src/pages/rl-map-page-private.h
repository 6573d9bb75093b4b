/* rl-map-page-private.h — what the map page's files share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-map-page.h"
#include "rl-map-search.h"

G_BEGIN_DECLS

struct _RlMapPage
{
  RlPage parent_instance;

  /* Template. */
  AdwToastOverlay  *toast_overlay;
  GtkStack         *state_stack;
  AdwStatusPage    *loading_page;
  GtkSpinner       *loading_spinner;
  AdwStatusPage    *error_page;
  GtkBox           *search_box;
  GtkLabel         *count_label;
  GtkToggleButton  *dispatch_button;
  GtkMenuButton    *map_menu_button;
  AdwFlap          *flap;
  ShumateSimpleMap *simple_map;
  GtkWidget        *legend_card;
  GtkStack         *flap_stack;
  RlDropPointPanel *panel;
  RlDispatchList   *dispatch_list;

  RlMapLayer  *layer;
  RlMapSearch *search;
  GSettings   *settings;

  RlSession    *session; /* the one our handlers are on */
  RlStore      *store;   /* the cache the points come from */
  GCancellable *load_cancellable;
  gboolean      loading;
  gboolean      loaded_once; /* a load of this store finished */
  gboolean      synced;      /* a sync finished since this store came: "synced" */
  guint         n_loads;
  char         *load_error;

  RlFeed *feed;           /* the session's live telemetry, or NULL */
  guint   live_reload_id; /* a reload after feed changes, pending */

  RlMbtilesSource *mbtiles;   /* the pack shown, or NULL */
  char            *tiles_key; /* what the map source was made from */

  gint64   last_pointer_us; /* a click on the layer, to open the panel */
  gboolean syncing_toggle;
  guint    save_viewport_id;
};

/* rl-map-page-select.c: the count, side panel, selection and search. */
void  rl_map_page_select_init (RlMapPage *self);
char *rl_map_page_count_closure (gpointer this_,
                                 guint    total,
                                 guint    shown);
/* The search's shown-ids onto the layer (after each search and load). */
void rl_map_page_apply_shown_ids (RlMapPage *self);
void rl_map_page_close_flap_cb (RlMapPage *self);
void rl_map_page_dispatch_toggled_cb (RlMapPage *self);

/* rl-map-page-tiles.c: tiles, offline map packs, the map menu, the viewport. */
void rl_map_page_tiles_init (RlMapPage *self);
void rl_map_page_tiles_dispose (RlMapPage *self);
/* (Re)makes the map source from the settings (and the session's server). */
void rl_map_page_apply_tiles (RlMapPage *self);
void rl_map_page_toast (RlMapPage  *self,
                        const char *message);

G_END_DECLS
