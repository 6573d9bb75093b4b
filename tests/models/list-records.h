/* list-records.h — records of each list kind, for the list model tests and bench-lists.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-record-list.h"

G_BEGIN_DECLS

#define LIST_BASE_MS G_GINT64_CONSTANT (1796000000000)

/* Every seventh record carries this in a searchable field: a search for
 * "ÖLFILTER" (case-folded) or "ठमेल" finds exactly those. */
#define MARKED(i) ((i) % 7 == 0)
#define MARK_TEXT "Ölfilter ठमेल"

typedef struct
{
  RlListKind  kind;
  const char *entity;
  const char *table;
  const char *default_order; /* the reference's ORDER BY for the default sort */
  const char *value_column;  /* a property to filter by values */
  const char *value_sql;     /* its column */
  const char *value;         /* one wire value */
  const char *text_sql;      /* the searchable column the mark goes in */
  const char *sort_column;   /* another sortable property… */
  const char *sort_sql;      /* …and its expression */
  JsonObject *(*make) (guint i, guint v);
} KindCase;

extern const KindCase list_kind_cases[];
extern const guint    list_n_kind_cases;

const KindCase *list_kind_case (RlListKind kind);
/* Record @i of @kc in its variant @v: a higher variant moves its sort and
 * filter fields. */
JsonObject *list_make_run (guint i,
                           guint v);
JsonObject *list_make_alert (guint i,
                             guint v);
/* Records first … first + n - 1 in variant @variant, in one transaction. */
void list_write_records (RlStore        *store,
                         const KindCase *kc,
                         guint           first,
                         guint           n,
                         guint           variant);

G_END_DECLS
