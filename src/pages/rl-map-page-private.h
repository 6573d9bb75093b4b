/* rl-map-page-private.h — what the map page's files share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-map-page.h"
#include "rl-map-search.h"
#include "rl-store-async.h"

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
  GtkLabel         *attribution_label;
  GtkWidget        *tiles_failure;
  GtkLabel         *tiles_failure_title;
  GtkLabel         *tiles_failure_reason;

  RlMapLayer  *layer;
  RlMapSearch *search;
  GSettings   *settings;

  RlSession    *session; /* the one our handlers are on */
  RlStore      *store;   /* the cache the points come from */
  GCancellable *load_cancellable;
  gboolean      loading;
  gint64        reloaded_us; /* monotonic: the last rl_map_page_reload */
  gboolean      loaded_once; /* a load of this store finished */
  gboolean      synced;      /* a sync finished since this store came: "synced" */
  guint         n_loads;
  char         *load_error;

  RlFeed *feed;           /* the session's live telemetry, or NULL */
  guint   live_reload_id; /* a reload after feed changes, pending */

  RlMbtilesSource *mbtiles;   /* the pack shown, or NULL */
  char            *tiles_key; /* what the map source was made from */

  /* rl-map-page-source.c */
  RlHttpTileSource *http_source;        /* the online source shown, or NULL */
  SoupSession      *probe_session;      /* asks servers for /tiles */
  GCancellable     *probe_cancellable;  /* the probe in flight */
  char             *probing_server;     /* the server it asks */
  char             *unreachable_server; /* probe unanswered: OSM until next sign-in */
  char             *api_key;            /* for {apikey}, from the keyring */
  char             *api_key_origin;     /* the tile server it was looked up for */
  GCancellable     *key_cancellable;

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

/* rl-map-page-source.c: which online tiles, the probe, the failure state,
 * the first view of a server. */
void rl_map_page_source_init (RlMapPage  *self,
                              GActionMap *group);
void rl_map_page_source_dispose (RlMapPage *self);
/* The online template and its attribution; NULL while a probe or a keyring
 * look-up it needs is under way (it applies the tiles again when done). */
char *rl_map_page_online_template (RlMapPage *self,
                                   char     **out_attribution);
/* Shows the source's failures on the map (NULL: none, hides it). */
void rl_map_page_watch_http_source (RlMapPage        *self,
                                    RlHttpTileSource *source);
void rl_map_page_set_attribution (RlMapPage  *self,
                                  const char *attribution);
/* A new sign-in: a server unreachable last time is asked again. */
void rl_map_page_source_signed_in (RlMapPage *self);
/* The first load of a server's fleet: fit the map to it (once a server). */
void rl_map_page_fit_first_open (RlMapPage          *self,
                                 const RlDropPoints *points);

G_END_DECLS
