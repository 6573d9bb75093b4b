/* rl-search-async.h — drop-point search and a point's alerts, in a worker thread.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both run on a connection of their own to the store's file
 * (rl-store-async.h); a cancelled call finishes with G_IO_ERROR_CANCELLED.
 */
#pragma once

#include "rl-search.h"
#include "rl-store-async.h"

G_BEGIN_DECLS

/* One match as a results list shows it. */
typedef struct
{
  char    *id;
  char    *name;    /* the id when the point has no name */
  char    *address; /* "" when none */
  guint    status;  /* one RlPointStatus bit, 0 when unknown */
  gboolean has_device;
  guint    link;       /* RlLinkState of the bin at the search's time (0 without one) */
  double   fill_level; /* NAN: no reading */
} RlSearchHit;

typedef struct
{
  GPtrArray *ids;  /* char *: every match, in name order */
  GPtrArray *hits; /* RlSearchHit *: the first matches, up to the max_hits asked for */
} RlSearchResult;

void rl_search_result_free (RlSearchResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlSearchResult, rl_search_result_free)

/* rl_search_run() of @filter (copied) at @now_ms, plus the details of the
 * first @max_hits matches (0: ids only). */
void            rl_search_query_async (RlStore              *store,
                                       const RlSearchFilter *filter,
                                       gint64                now_ms,
                                       guint                 max_hits,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
RlSearchResult *rl_search_query_finish (RlStore      *store,
                                        GAsyncResult *result,
                                        GError      **error);

/* rl_search_alerts_for_point() in a worker. */
void       rl_search_alerts_for_point_async (RlStore            *store,
                                             const char         *drop_point_id,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
JsonArray *rl_search_alerts_for_point_finish (RlStore      *store,
                                              GAsyncResult *result,
                                              GError      **error);

G_END_DECLS
