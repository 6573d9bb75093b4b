/* rl-map-search.h — search entry, filters and saved views above the map.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-search.h"
#include "rl-store.h"

G_BEGIN_DECLS

#define RL_MAP_SEARCH_ERROR (rl_map_search_error_quark ())

typedef enum
{
  RL_MAP_SEARCH_ERROR_NO_STORE,  /* no cache set */
  RL_MAP_SEARCH_ERROR_BAD_NAME,  /* a view name that is empty */
  RL_MAP_SEARCH_ERROR_NOT_FOUND, /* no view of that name */
} RlMapSearchError;

GQuark rl_map_search_error_quark (void);

#define RL_TYPE_MAP_SEARCH (rl_map_search_get_type ())
G_DECLARE_FINAL_TYPE (RlMapSearch, rl_map_search, RL, MAP_SEARCH, GtkWidget)

GtkWidget *rl_map_search_new (void);

/* The cache to search (NULL: nothing to search; the widget is insensitive).
 * Searches run in the core, in a worker thread with its own connection
 * (rl_search_query_async); saved views are read and written on the main
 * thread through @store (rl_search_views_*). */
void     rl_map_search_set_store (RlMapSearch *self,
                                  RlStore     *store);
RlStore *rl_map_search_get_store (RlMapSearch *self);

/* Re-runs the current search (after a sync changed the cache). */
void rl_map_search_refresh (RlMapSearch *self);

/* Property "shown-ids": the set of ids (GHashTable, keys only) of the points
 * that match query + filters, or NULL when both are empty (= show all).
 * Notified after each search. */
GHashTable *rl_map_search_get_shown_ids (RlMapSearch *self);
/* Property "n-matches": points matching after the last search. */
guint rl_map_search_get_n_matches (RlMapSearch *self);
/* Property "busy": TRUE from a change until its search has finished. */
gboolean rl_map_search_get_busy (RlMapSearch *self);

/* The filter as it is now (query included); setting it updates every
 * control and searches. */
const RlSearchFilter *rl_map_search_get_filter (RlMapSearch *self);
void                  rl_map_search_set_filter (RlMapSearch          *self,
                                                const RlSearchFilter *filter);
void                  rl_map_search_set_query (RlMapSearch *self,
                                               const char  *query);

/* Kept up to date by the page (only stored) so "Save Current View…" saves it. */
void rl_map_search_set_current_viewport (RlMapSearch      *self,
                                         const RlViewport *viewport);

/* Saved views. */
GPtrArray *rl_map_search_dup_views (RlMapSearch *self);
gboolean   rl_map_search_save_view (RlMapSearch *self,
                                    const char  *name,
                                    GError     **error);
gboolean   rl_map_search_apply_view (RlMapSearch *self,
                                     const char  *name);
gboolean   rl_map_search_delete_view (RlMapSearch *self,
                                      const char  *name,
                                      GError     **error);
/* Puts back the view deleted last (what the toast's Undo does). FALSE when
 * there is nothing to undo. */
gboolean rl_map_search_undo_delete (RlMapSearch *self,
                                    GError     **error);

/* Optional: where to show toasts ("View “X” saved", "View “X” deleted"). */
void rl_map_search_set_toast_overlay (RlMapSearch     *self,
                                      AdwToastOverlay *overlay);

/* Signals:
 *   point-activated (const char *id)                     a result was chosen
 *   view-activated  (double lat, double lon, double zoom) a saved view was applied
 */

G_END_DECLS
