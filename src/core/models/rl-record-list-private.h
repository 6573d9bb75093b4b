/* rl-record-list-private.h — what rl-record-list.c and rl-record-list-query.c share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-list-private.h"
#include "rl-record-list.h"
#include "rl-store-monitor.h"
#include "rl-store-private.h"

G_BEGIN_DECLS

/* One row of the list: its id and sort value, in display order. */
typedef struct
{
  char    *id;
  char    *text; /* text sort value (NULL: SQL NULL), when the sort is by text */
  gint64   num;  /* integer sort value, when the sort is by integer */
  gboolean null; /* the sort value is SQL NULL */
} RlListKey;

/* A value bound to a query parameter. */
typedef struct
{
  gboolean is_text;
  char    *text;
  gint64   num;
} RlListBind;

/* A key query: "SELECT sort, id FROM … WHERE … ORDER BY …", its
 * parameters, and what orders its rows. Built on the main thread, run in a
 * worker (reloads) or on the main thread (changed ids). */
typedef struct
{
  char      *where;     /* "" or " WHERE …", parameters ?1…?n */
  GPtrArray *binds;     /* RlListBind*, n */
  char      *sort_sql;  /* the sort expression */
  gboolean   sort_text; /* it is text (else integer) */
  gboolean   descending;
} RlListQuery;

struct _RlRecordList
{
  GObject           parent_instance;
  RlListKind        kind;
  const RlListSpec *spec;
  RlStore          *store;   /* main-thread connection: windows, changed ids */
  RlStoreMonitor   *monitor; /* on store's file */

  GPtrArray  *keys;  /* RlListKey*, display order */
  GHashTable *by_id; /* id (borrowed from the key) → RlListKey* */
  GHashTable *items; /* id (owned) → RlListItem* made so far */

  char       *text;          /* as set */
  char       *needle;        /* folded text, NULL when none */
  GHashTable *value_filters; /* column → GStrv */
  GHashTable *range_filters; /* column → gint64[2] */
  char       *sort_column;   /* NULL: the spec's default */
  gboolean    sort_descending;

  gboolean      loading;
  guint         serial;        /* bumped by every reload request */
  guint         reload_source; /* the idle that starts the requested load */
  gboolean      reload_refresh;
  GCancellable *cancellable;
  /* The worker's connection, kept so its page cache stays warm; one load
   * at a time uses it. Shared with the load tasks (they may outlive us). */
  struct _RlListReader *reader;
  RlStoreChanges       *deferred; /* changes that arrived while a reload ran, or paused */
  gboolean              paused;   /* nobody looks: changes wait in deferred */
  GError               *error;
};

void rl_list_key_free (gpointer key);
void rl_list_query_free (RlListQuery *query);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlListQuery, rl_list_query_free)

/* rl-record-list-query.c */
int          rl_list_key_compare (const RlListKey *a,
                                  const RlListKey *b,
                                  gboolean         descending);
RlListQuery *rl_record_list_build_query (RlRecordList *self);
/* Binds @query's parameters to @stmt (from parameter 1). */
void rl_list_query_bind (RlListQuery  *query,
                         sqlite3_stmt *stmt);
/* All the keys of @query, in order, read through @store. */
GPtrArray *rl_list_query_read_keys (RlListQuery      *query,
                                    const RlListSpec *spec,
                                    RlStore          *store,
                                    GError          **error);
/* The key of the row @stmt is on: the sort value in @sort_col, the id in
 * @id_col. */
RlListKey *rl_list_key_from_row (RlListQuery  *query,
                                 sqlite3_stmt *stmt,
                                 int           sort_col,
                                 int           id_col);
/* '["a","b"]' for json_each(). */
char *rl_list_ids_to_json (const char *const *ids,
                           guint              n_ids);

/* rl-record-list.c */
void rl_record_list_apply_changes (RlRecordList   *self,
                                   RlStoreChanges *changes);

G_END_DECLS
