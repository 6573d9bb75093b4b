/* rl-list-private.h — what the list models' files share: the list specs.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "rl-list-item.h"

G_BEGIN_DECLS

/* One property of a list's items, and how SQL reads, sorts and filters it. */
typedef struct
{
  const char *name;          /* property name, e.g. "severity" */
  GType       fundamental;   /* G_TYPE_STRING, _INT64, _BOOLEAN or _ENUM */
  GType (*enum_type) (void); /* for G_TYPE_ENUM */
  const char *select_sql;    /* expression in the window query */
  const char *sort_sql;      /* NULL: not sortable; else an int or text expression */
  gboolean    sort_text;     /* the sort expression is text (else integer) */
  const char *filter_sql;    /* NULL: not filterable; a stored column for IN / ranges */
} RlListColumn;

struct _RlListSpec
{
  RlListKind  kind;
  const char *entity; /* the store entity whose changes the list follows */
  const char *from;   /* FROM clause, with its joins */
  const char *id_sql; /* the row's id, e.g. "a.id" */
  /* The text filter: ?S stands for the folded needle, ?T for it as an FTS5
   * phrase ("…"); text_short_sql for needles under 3 characters, which a
   * trigram index cannot look up. */
  const char *text_sql;
  const char *text_short_sql;
  const char *default_sort; /* a column name */
  gboolean    default_descending;
  GType (*item_type) (void);
  const RlListColumn *columns;
  guint               n_columns;
};

/* rl-list-specs.c */
const RlListSpec   *rl_list_spec_for_kind (RlListKind kind);
const RlListColumn *rl_list_spec_column (const RlListSpec *spec,
                                         const char       *name,
                                         guint            *out_index);

/* rl-list-item.c */
void rl_list_item_class_install (RlListItemClass  *klass,
                                 const RlListSpec *spec);
/* A new item from the columns of @stmt's row, starting at @first. */
RlListItem *rl_list_item_new_from_row (const RlListSpec *spec,
                                       const char       *id,
                                       sqlite3_stmt     *stmt,
                                       int               first);
/* Moves @self to @stmt's row; notifies each property that changed and
 * returns whether one did. */
gboolean rl_list_item_update_from_row (RlListItem   *self,
                                       sqlite3_stmt *stmt,
                                       int           first);

G_END_DECLS
