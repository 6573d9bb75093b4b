/* rl-search.h — drop-point search (Latin and Devanagari), filters, saved views.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "rl-store.h"

G_BEGIN_DECLS

/* Bit masks; 0 in a filter field means "any". */
typedef enum
{
  RL_CATEGORY_PLASTIC = 1 << 0,
  RL_CATEGORY_PAPER = 1 << 1,
  RL_CATEGORY_METAL = 1 << 2,
  RL_CATEGORY_GLASS = 1 << 3,
  RL_CATEGORY_ORGANIC = 1 << 4,
  RL_CATEGORY_ELECTRONIC = 1 << 5,
  RL_CATEGORY_TEXTILE = 1 << 6,
} RlCategory;

typedef enum
{
  RL_FILL_BAND_LOW = 1 << 0,    /* < 50 % */
  RL_FILL_BAND_MEDIUM = 1 << 1, /* 50 % … < full threshold */
  RL_FILL_BAND_FULL = 1 << 2,   /* ≥ full threshold (85 %) */
  RL_FILL_BAND_NONE = 1 << 3,   /* no reading */
} RlFillBand;

typedef enum
{
  RL_POINT_STATUS_ACTIVE = 1 << 0,
  RL_POINT_STATUS_MAINTENANCE = 1 << 1,
  RL_POINT_STATUS_RETIRED = 1 << 2,
} RlPointStatus;

typedef enum
{
  RL_LINK_ONLINE = 1 << 0,  /* online, last reading recent */
  RL_LINK_OFFLINE = 1 << 1, /* isOnline false (OFFLINE after 30 min) */
  RL_LINK_STALE = 1 << 2,   /* online, but the last reading is older than stale_after */
} RlLinkState;

typedef struct
{
  char    *query;      /* name/address substring, any script; NULL or "" = any */
  guint    categories; /* RlCategory: the point has at least one of them */
  guint    fill_bands; /* RlFillBand */
  guint    statuses;   /* RlPointStatus */
  guint    links;      /* RlLinkState; points without a bin match none */
  gboolean open_alerts_only;
} RlSearchFilter;

typedef struct
{
  double latitude;
  double longitude;
  double zoom;
} RlViewport;

typedef struct
{
  char          *name;
  RlSearchFilter filter;
  RlViewport     viewport;
} RlSavedView;

/* What a filter looks at, for one drop point. */
typedef struct
{
  const char *name;
  const char *address;
  guint       categories;
  guint       status;     /* one RlPointStatus bit, 0 when unknown */
  double      fill_level; /* NAN: no reading */
  gboolean    has_device;
  gboolean    is_online;
  gint64      last_reading_ms; /* 0: never */
  guint       open_alerts;
} RlSearchPoint;

#define RL_SEARCH_FULL_THRESHOLD 85.0
#define RL_SEARCH_STALE_AFTER_MS (G_GINT64_CONSTANT (10) * 60 * 1000)

/* NFC, case-folded, NFC again: the form both sides of a match are compared in. */
char *rl_search_normalize (const char *text);
/* @needle already normalised (rl_search_normalize); "" matches everything. */
gboolean rl_search_text_matches (const char *needle,
                                 const char *name,
                                 const char *address);

guint       rl_category_from_string (const char *text);
const char *rl_category_to_string (RlCategory category);
guint       rl_point_status_from_string (const char *text);
guint       rl_search_fill_band (double fill_level);
guint       rl_search_link_state (const RlSearchPoint *point,
                                  gint64               now_ms);

void     rl_search_filter_clear (RlSearchFilter *filter);
void     rl_search_filter_copy (const RlSearchFilter *src,
                                RlSearchFilter       *dest);
gboolean rl_search_filter_is_empty (const RlSearchFilter *filter);
/* @needle: rl_search_normalize (filter->query), computed once by the caller
 * (NULL: computed here). */
gboolean rl_search_filter_matches (const RlSearchFilter *filter,
                                   const char           *needle,
                                   const RlSearchPoint  *point,
                                   gint64                now_ms);

/* Fills @point from a contract drop-point record (strings borrowed from it). */
void rl_search_point_from_record (JsonObject    *record,
                                  guint          open_alerts,
                                  RlSearchPoint *point);

/* drop point id → number of open alerts (GUINT_TO_POINTER), from the cache. */
GHashTable *rl_search_open_alert_counts (RlStore *store,
                                         GError **error);

/* The cached alerts of one drop point that are not resolved (open first,
 * then acknowledged; newest first within each), as contract records. */
JsonArray *rl_search_alerts_for_point (RlStore    *store,
                                       const char *drop_point_id,
                                       GError    **error);

/* Ids of the cached drop points that match, in name order. */
GPtrArray *rl_search_run (RlStore              *store,
                          const RlSearchFilter *filter,
                          gint64                now_ms,
                          GError              **error);

/* ---- Saved views: JSON in the store's meta under "views" ----------------- */

RlSavedView *rl_saved_view_new (const char           *name,
                                const RlSearchFilter *filter,
                                const RlViewport     *viewport);
void         rl_saved_view_free (RlSavedView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlSavedView, rl_saved_view_free)

JsonNode *rl_saved_view_to_json (const RlSavedView *view);
/* NULL when the object is not a view (no name). */
RlSavedView *rl_saved_view_from_json (JsonObject *object);

/* Views in their saved order (element free func set). A damaged value gives
 * an empty list and a warning, never an error that blocks the map. */
GPtrArray *rl_search_views_load (RlStore *store);
gboolean   rl_search_views_save (RlStore   *store,
                                 GPtrArray *views,
                                 GError   **error);
/* Adds or replaces (by name) one view. */
gboolean rl_search_views_put (RlStore           *store,
                              const RlSavedView *view,
                              GError           **error);
gboolean rl_search_views_remove (RlStore    *store,
                                 const char *name,
                                 GError    **error);

G_END_DECLS
