/* rl-record-list-query.c — RlRecordList: keys, their order, and the SQL that reads them.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The C comparison (rl_list_key_compare) must order keys exactly as SQLite's
 * ORDER BY does, since a changed row is placed by binary search among keys
 * SQLite sorted: NULL first, integers by value, text by bytes (BINARY
 * collation), then the id by bytes; DESC reverses both.
 */
#include "config.h"

#include <string.h>

#include "rl-record-list-private.h"

void
rl_list_key_free (gpointer data)
{
  RlListKey *key = data;

  g_free (key->id);
  g_free (key->text);
  g_free (key);
}

static void
bind_free (gpointer data)
{
  RlListBind *bind = data;

  g_free (bind->text);
  g_free (bind);
}

void
rl_list_query_free (RlListQuery *query)
{
  g_free (query->where);
  g_ptr_array_unref (query->binds);
  g_free (query->sort_sql);
  g_free (query);
}

int
rl_list_key_compare (const RlListKey *a,
                     const RlListKey *b,
                     gboolean         descending)
{
  int order;

  if (a->null || b->null)
    order = (int) b->null - (int) a->null; /* NULL first */
  else if (a->text != NULL || b->text != NULL)
    order = strcmp (a->text != NULL ? a->text : "", b->text != NULL ? b->text : "");
  else
    order = (a->num > b->num) - (a->num < b->num);
  if (order == 0)
    order = strcmp (a->id, b->id);
  order = order < 0 ? -1 : order > 0 ? 1
                                     : 0;
  return descending ? -order : order;
}

static guint
add_bind_text (GPtrArray  *binds,
               const char *text)
{
  RlListBind *bind = g_new0 (RlListBind, 1);

  bind->is_text = TRUE;
  bind->text = g_strdup (text);
  g_ptr_array_add (binds, bind);
  return binds->len;
}

static guint
add_bind_num (GPtrArray *binds,
              gint64     num)
{
  RlListBind *bind = g_new0 (RlListBind, 1);

  bind->num = num;
  g_ptr_array_add (binds, bind);
  return binds->len;
}

static void
append_condition (GString    *where,
                  const char *condition)
{
  g_string_append (where, where->len == 0 ? " WHERE " : " AND ");
  g_string_append (where, condition);
}

/* Frees @sql and returns it with every @marker replaced by ?@number. */
static char *
replace_param (char       *sql,
               const char *marker,
               guint       number)
{
  g_autofree char *param = g_strdup_printf ("?%u", number);
  g_auto (GStrv) parts = g_strsplit (sql, marker, -1);

  g_free (sql);
  return g_strjoinv (param, parts);
}

/* The needle as an FTS5 phrase: with the trigram tokenizer, a substring. */
static char *
fts_phrase (const char *needle)
{
  g_auto (GStrv) parts = g_strsplit (needle, "\"", -1);
  g_autofree char *escaped = g_strjoinv ("\"\"", parts);

  return g_strdup_printf ("\"%s\"", escaped);
}

RlListQuery *
rl_record_list_build_query (RlRecordList *self)
{
  RlListQuery        *query = g_new0 (RlListQuery, 1);
  GString            *where = g_string_new (NULL);
  const RlListColumn *sort;
  GHashTableIter      iter;
  gpointer            column, value;

  query->binds = g_ptr_array_new_with_free_func (bind_free);

  if (self->needle != NULL)
    {
      gboolean         short_needle = g_utf8_strlen (self->needle, -1) < 3;
      g_autofree char *condition = g_strdup (short_needle ? self->spec->text_short_sql
                                                          : self->spec->text_sql);

      if (strstr (condition, "?S") != NULL)
        condition = replace_param (condition, "?S", add_bind_text (query->binds, self->needle));
      if (strstr (condition, "?T") != NULL)
        {
          g_autofree char *phrase = fts_phrase (self->needle);

          condition = replace_param (condition, "?T", add_bind_text (query->binds, phrase));
        }
      append_condition (where, condition);
    }

  g_hash_table_iter_init (&iter, self->value_filters);
  while (g_hash_table_iter_next (&iter, &column, &value))
    {
      const RlListColumn *col = rl_list_spec_column (self->spec, column, NULL);
      g_autofree char    *ids = rl_list_ids_to_json ((const char *const *) value,
                                                     g_strv_length (value));
      g_autofree char    *condition =
          g_strdup_printf ("%s IN (SELECT value FROM json_each(?%u))", col->filter_sql,
                           add_bind_text (query->binds, ids));

      append_condition (where, condition);
    }

  g_hash_table_iter_init (&iter, self->range_filters);
  while (g_hash_table_iter_next (&iter, &column, &value))
    {
      const RlListColumn *col = rl_list_spec_column (self->spec, column, NULL);
      const gint64       *range = value;
      g_autofree char    *condition = NULL;

      if (range[0] != G_MININT64)
        {
          condition = g_strdup_printf ("%s >= ?%u", col->filter_sql,
                                       add_bind_num (query->binds, range[0]));
          append_condition (where, condition);
          g_clear_pointer (&condition, g_free);
        }
      if (range[1] != G_MAXINT64)
        {
          condition = g_strdup_printf ("%s <= ?%u", col->filter_sql,
                                       add_bind_num (query->binds, range[1]));
          append_condition (where, condition);
        }
    }

  sort = rl_list_spec_column (self->spec,
                              self->sort_column != NULL ? self->sort_column
                                                        : self->spec->default_sort,
                              NULL);
  g_assert (sort != NULL && sort->sort_sql != NULL);
  query->sort_sql = g_strdup (sort->sort_sql);
  query->sort_text = sort->sort_text;
  query->descending = self->sort_column != NULL ? self->sort_descending
                                                : self->spec->default_descending;
  query->where = g_string_free (where, FALSE);
  return query;
}

void
rl_list_query_bind (RlListQuery  *query,
                    sqlite3_stmt *stmt)
{
  for (guint i = 0; i < query->binds->len; i++)
    {
      RlListBind *bind = g_ptr_array_index (query->binds, i);

      if (bind->is_text)
        sqlite3_bind_text (stmt, (int) i + 1, bind->text, -1, SQLITE_STATIC);
      else
        sqlite3_bind_int64 (stmt, (int) i + 1, bind->num);
    }
}

RlListKey *
rl_list_key_from_row (RlListQuery  *query,
                      sqlite3_stmt *stmt,
                      int           sort_col,
                      int           id_col)
{
  RlListKey *key = g_new0 (RlListKey, 1);

  key->id = g_strdup ((const char *) sqlite3_column_text (stmt, id_col));
  key->null = sqlite3_column_type (stmt, sort_col) == SQLITE_NULL;
  if (!key->null)
    {
      if (query->sort_text)
        key->text = g_strdup ((const char *) sqlite3_column_text (stmt, sort_col));
      else
        key->num = sqlite3_column_int64 (stmt, sort_col);
    }
  return key;
}

GPtrArray *
rl_list_query_read_keys (RlListQuery      *query,
                         const RlListSpec *spec,
                         RlStore          *store,
                         GError          **error)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (rl_list_key_free);
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt;
  const char      *dir = query->descending ? " DESC" : "";
  int              rc;

  sql = g_strdup_printf ("SELECT %s, %s FROM %s%s ORDER BY 1%s, 2%s", query->sort_sql,
                         spec->id_sql, spec->from, query->where, dir, dir);
  stmt = rl_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  rl_list_query_bind (query, stmt);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (keys, rl_list_key_from_row (query, stmt, 0, 1));
  if (rc != SQLITE_DONE)
    {
      rl_store_set_error_from_db (store, error, "Cannot read the list");
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return g_steal_pointer (&keys);
}

char *
rl_list_ids_to_json (const char *const *ids,
                     guint              n_ids)
{
  g_autoptr (JsonArray) array = json_array_sized_new (n_ids);
  g_autoptr (JsonNode) node = NULL;

  for (guint i = 0; i < n_ids; i++)
    json_array_add_string_element (array, ids[i]);
  node = json_node_init_array (json_node_alloc (), array);
  return json_to_string (node, FALSE);
}
