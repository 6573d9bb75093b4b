/* rl-store-text.c — the cache's folded search text and its SQL functions.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each entity table keeps a `search_text` column: the record's searchable
 * fields, each normalised as rl_search_normalize() does (NFC, case-folded:
 * Latin without case, Devanagari whatever its composition), joined by a
 * newline so that a match never spans two fields. Lists filter with
 * instr (search_text, needle), which scans 100,000 rows in a few ms; folding
 * in SQL at query time would cost a normalisation per row and query.
 */
#include "config.h"

#include <string.h>

#include "rl-merge.h"
#include "rl-search.h"
#include "rl-store-private.h"
#include "rl-time.h"

/* A number token of json_to_string's: [-]digits[.digits][e±digits][.0],
 * or [-]inf.0 / [-]nan.0. */
static gboolean
is_number_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '+' || c == '-';
}

static void
append_folded (GString    *out,
               const char *text)
{
  g_autofree char *folded = NULL;

  if (text == NULL || *text == '\0')
    return;
  folded = rl_search_normalize (text);
  if (*folded == '\0')
    return;
  if (out->len > 0)
    g_string_append_c (out, '\n');
  g_string_append (out, folded);
}

static JsonNode *
member_at_path (JsonObject *record,
                const char *key)
{
  g_auto (GStrv) parts = NULL;
  JsonObject *object = record;
  JsonNode   *node = NULL;

  if (strchr (key, '.') == NULL)
    return json_object_get_member (record, key);

  parts = g_strsplit (key, ".", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      node = object != NULL ? json_object_get_member (object, parts[i]) : NULL;
      if (node == NULL)
        return NULL;
      object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return node;
}

JsonNode *
rl_store_record_member (JsonObject *record,
                        const char *key)
{
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return member_at_path (record, key);
}

static const char *
member_string (JsonObject *record,
               const char *key)
{
  JsonNode *node = member_at_path (record, key);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

char *
rl_store_search_text (RlStore            *self,
                      const RlEntityInfo *info,
                      JsonObject         *record)
{
  GString    *out = g_string_new (NULL);
  const char *join;

  for (guint i = 0; i < G_N_ELEMENTS (info->search_keys) && info->search_keys[i] != NULL; i++)
    append_folded (out, member_string (record, info->search_keys[i]));

  if (info->search_join_sql != NULL
      && (join = member_string (record, info->search_join_key)) != NULL)
    {
      sqlite3_stmt *stmt = rl_store_prepare (self, info->search_join_sql, NULL);

      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, join, -1, SQLITE_STATIC);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            for (int i = 0; i < sqlite3_column_count (stmt); i++)
              if (sqlite3_column_type (stmt, i) == SQLITE_TEXT)
                append_folded (out, (const char *) sqlite3_column_text (stmt, i));
          sqlite3_reset (stmt);
          sqlite3_clear_bindings (stmt);
        }
    }
  return g_string_free (out, FALSE);
}

/* rl_fold (a, b, …): the search text of its arguments (NULLs skipped). */
static void
fold_function (sqlite3_context *context,
               int              argc,
               sqlite3_value  **argv)
{
  GString *out = g_string_new (NULL);

  for (int i = 0; i < argc; i++)
    if (sqlite3_value_type (argv[i]) == SQLITE_TEXT)
      append_folded (out, (const char *) sqlite3_value_text (argv[i]));
  sqlite3_result_text (context, out->str, (int) out->len, SQLITE_TRANSIENT);
  g_string_free (out, TRUE);
}

/* rl_time_ms (text): an RFC 3339 time as UTC milliseconds, or NULL. */
static void
time_ms_function (sqlite3_context *context,
                  int              argc,
                  sqlite3_value  **argv)
{
  gint64 ms;

  if (sqlite3_value_type (argv[0]) == SQLITE_TEXT
      && rl_time_parse_ms ((const char *) sqlite3_value_text (argv[0]), &ms))
    sqlite3_result_int64 (context, ms);
  else
    sqlite3_result_null (context);
}

static JsonObject *
value_object (sqlite3_value *value,
              JsonParser    *parser)
{
  JsonNode *root;

  if (sqlite3_value_type (value) != SQLITE_TEXT
      || !json_parser_load_from_data (parser, (const char *) sqlite3_value_text (value), -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_object_ref (json_node_get_object (root))
                                                       : NULL;
}

/* rl_conflict_fields (entity_type, base, local, remote): the fields (dotted
 * paths, ", " between them) that both sides of a conflict changed
 * differently (rl_merge_three_way), or NULL when none does or a side is not
 * a JSON object. The conflicts list shows it. */
static void
conflict_fields_function (sqlite3_context *context,
                          int              argc,
                          sqlite3_value  **argv)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonObject) base = value_object (argv[1], parser);
  g_autoptr (JsonObject) local = value_object (argv[2], parser);
  g_autoptr (JsonObject) remote = value_object (argv[3], parser);
  g_autoptr (RlMergeResult) merge = NULL;
  GString *out;

  g_assert (argc == 4);
  if (local == NULL || remote == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  merge = rl_merge_three_way (base, local, remote,
                              sqlite3_value_type (argv[0]) == SQLITE_TEXT
                                  ? rl_merge_ignored_keys ((const char *) sqlite3_value_text (argv[0]))
                                  : NULL);
  out = g_string_new (NULL);
  for (guint i = 0; i < rl_merge_result_get_n_fields (merge); i++)
    {
      const RlMergeField *field = rl_merge_result_get_field (merge, i);

      if (field->outcome != RL_MERGE_CONFLICT)
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, field->path);
    }
  if (out->len > 0)
    sqlite3_result_text (context, out->str, (int) out->len, SQLITE_TRANSIENT);
  else
    sqlite3_result_null (context);
  g_string_free (out, TRUE);
}

gboolean
rl_store_register_functions (RlStore *self,
                             GError **error)
{
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;

  if (sqlite3_create_function (self->db, "rl_fold", -1, flags, NULL, fold_function, NULL, NULL)
          != SQLITE_OK
      || sqlite3_create_function (self->db, "rl_time_ms", 1, flags, NULL, time_ms_function, NULL,
                                  NULL)
             != SQLITE_OK
      || sqlite3_create_function (self->db, "rl_conflict_fields", 4, flags, NULL,
                                  conflict_fields_function, NULL, NULL)
             != SQLITE_OK)
    {
      rl_store_set_error_from_db (self, error, "Cannot register the cache's SQL functions");
      return FALSE;
    }
  return TRUE;
}

char *
rl_store_json_fix (const char *json)
{
  GString    *out;
  const char *in = json;
  gboolean    in_string = FALSE;

  g_return_val_if_fail (json != NULL, NULL);

  out = g_string_sized_new (strlen (json) + 16);
  while (*in != '\0')
    {
      if (in_string)
        {
          if (*in == '\\' && in[1] != '\0')
            {
              g_string_append_len (out, in, 2);
              in += 2;
              continue;
            }
          if (*in == '"')
            in_string = FALSE;
          /* json-glib leaves some control characters raw (0x1f). */
          if ((guchar) *in < 0x20)
            g_string_append_printf (out, "\\u%04x", (guint) (guchar) *in);
          else
            g_string_append_c (out, *in);
          in++;
          continue;
        }
      if (*in == '"')
        {
          in_string = TRUE;
          g_string_append_c (out, *in++);
          continue;
        }
      if (*in == '-' || g_ascii_isdigit (*in) || *in == 'i' || *in == 'n')
        {
          const char *start = in;
          const char *digits = *in == '-' ? in + 1 : in;
          gsize       length;

          /* null, the only other bare word json-glib writes with an n. */
          if (strncmp (in, "null", 4) == 0)
            {
              g_string_append (out, "null");
              in += 4;
              continue;
            }
          while (is_number_char (*in))
            in++;
          length = (gsize) (in - start);
          if (strncmp (digits, "inf", 3) == 0 || strncmp (digits, "nan", 3) == 0)
            {
              g_string_append (out, "null");
              continue;
            }
          if (length > 2 && memchr (start, 'e', length) != NULL && in[-2] == '.' && in[-1] == '0')
            length -= 2;
          g_string_append_len (out, start, (gssize) length);
          continue;
        }
      g_string_append_c (out, *in++);
    }
  return g_string_free (out, FALSE);
}

char *
rl_store_json_text (JsonNode *node)
{
  g_autofree char *json = json_to_string (node, FALSE);

  return rl_store_json_fix (json);
}
