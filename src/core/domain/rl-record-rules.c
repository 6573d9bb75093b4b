/* rl-record-rules.c — what a value of a record's field may be, for editors.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rl-record-rules.h"

/* clang-format off */
G_DEFINE_QUARK (rl-record-error-quark, rl_record_error)
/* clang-format on */

typedef enum
{
  KIND_TEXT,
  KIND_NUMBER,
  KIND_INTEGER,
  KIND_CHOICE,
  KIND_CHOICES, /* a list of choices */
} Kind;

typedef struct
{
  const char        *entity;
  const char        *path;
  Kind               kind;
  gboolean           required;
  double             min, max;
  const char *const *choices;
} Rule;

static const char *const point_statuses[] = { "active", "maintenance", "retired", NULL };
static const char *const categories[] = { "PLASTIC", "PAPER", "METAL", "GLASS",
                                          "ORGANIC", "ELECTRONIC", "TEXTILE", NULL };
static const char *const roles[] = { "primary", "fallback", "backup", NULL };
static const char *const strategies[] = { "local_wins", "remote_wins", "merge", "timestamp_wins",
                                          "manual", NULL };

/* Contract §2: the editable fields of drop points, providers, sync jobs. */
static const Rule rules[] = {
  { "drop_point", "name", KIND_TEXT, TRUE, 0, 0, NULL },
  { "drop_point", "address", KIND_TEXT, FALSE, 0, 0, NULL },
  { "drop_point", "latitude", KIND_NUMBER, TRUE, -90, 90, NULL },
  { "drop_point", "longitude", KIND_NUMBER, TRUE, -180, 180, NULL },
  { "drop_point", "capacityLiters", KIND_INTEGER, FALSE, 0, 1e9, NULL },
  { "drop_point", "status", KIND_CHOICE, TRUE, 0, 0, point_statuses },
  { "drop_point", "categories", KIND_CHOICES, FALSE, 0, 0, categories },
  { "drop_point", "notes", KIND_TEXT, FALSE, 0, 0, NULL },
  { "provider", "name", KIND_TEXT, TRUE, 0, 0, NULL },
  { "provider", "role", KIND_CHOICE, TRUE, 0, 0, roles },
  { "provider", "priority", KIND_INTEGER, TRUE, 1, 1000, NULL },
  { "sync_job", "conflictStrategy", KIND_CHOICE, TRUE, 0, 0, strategies },
};

static const Rule *
rule_for (const char *entity_type,
          const char *path)
{
  for (guint i = 0; entity_type != NULL && i < G_N_ELEMENTS (rules); i++)
    if (g_str_equal (rules[i].entity, entity_type) && g_str_equal (rules[i].path, path))
      return &rules[i];
  return NULL;
}

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
fail (GError      **error,
      RlRecordError code,
      const char   *path,
      const char   *what)
{
  g_set_error (error, RL_RECORD_ERROR, code, "%s: %s", path, what);
  return FALSE;
}

gboolean
rl_record_check_field (const char *entity_type,
                       const char *path,
                       JsonNode   *value,
                       GError    **error)
{
  const Rule *rule;

  g_return_val_if_fail (path != NULL, FALSE);

  rule = rule_for (entity_type, path);
  if (rule == NULL)
    return TRUE;
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return rule->required ? fail (error, RL_RECORD_ERROR_REQUIRED, path, "required") : TRUE;

  switch (rule->kind)
    {
    case KIND_TEXT:
      if (!is_string (value))
        return fail (error, RL_RECORD_ERROR_TYPE, path, "not a text");
      if (rule->required && *json_node_get_string (value) == '\0')
        return fail (error, RL_RECORD_ERROR_REQUIRED, path, "empty");
      return TRUE;
    case KIND_NUMBER:
    case KIND_INTEGER:
      {
        double n;

        if (!is_number (value))
          return fail (error, RL_RECORD_ERROR_TYPE, path, "not a number");
        n = json_node_get_double (value);
        if (rule->kind == KIND_INTEGER && n != floor (n))
          return fail (error, RL_RECORD_ERROR_TYPE, path, "not a whole number");
        if (!isfinite (n) || n < rule->min || n > rule->max)
          return fail (error, RL_RECORD_ERROR_RANGE, path, "out of range");
        return TRUE;
      }
    case KIND_CHOICE:
      if (!is_string (value))
        return fail (error, RL_RECORD_ERROR_TYPE, path, "not a text");
      if (!g_strv_contains (rule->choices, json_node_get_string (value)))
        return fail (error, RL_RECORD_ERROR_CHOICE, path, "not an allowed value");
      return TRUE;
    case KIND_CHOICES:
      {
        JsonArray *array;

        if (!JSON_NODE_HOLDS_ARRAY (value))
          return fail (error, RL_RECORD_ERROR_TYPE, path, "not a list");
        array = json_node_get_array (value);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *item = json_array_get_element (array, i);

            if (!is_string (item) || !g_strv_contains (rule->choices, json_node_get_string (item)))
              return fail (error, RL_RECORD_ERROR_CHOICE, path, "a value not allowed");
          }
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }
}

JsonNode *
rl_record_parse_value (const char *text,
                       JsonNode   *like,
                       GError    **error)
{
  g_autofree char *trimmed = NULL;
  JsonNode        *node;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (like != NULL && (JSON_NODE_HOLDS_OBJECT (like) || JSON_NODE_HOLDS_ARRAY (like)))
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (!json_parser_load_from_data (parser, trimmed, -1, NULL)
          || (root = json_parser_get_root (parser)) == NULL
          || JSON_NODE_TYPE (root) != JSON_NODE_TYPE (like))
        {
          g_set_error_literal (error, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE,
                               JSON_NODE_HOLDS_ARRAY (like) ? "not a JSON list"
                                                            : "not a JSON object");
          return NULL;
        }
      return json_node_copy (root);
    }
  if (is_number (like))
    {
      char  *end = NULL;
      double n = g_ascii_strtod (trimmed, &end);

      if (*trimmed == '\0' || end == NULL || *end != '\0' || !isfinite (n))
        {
          g_set_error_literal (error, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE, "not a number");
          return NULL;
        }
      node = json_node_new (JSON_NODE_VALUE);
      if (n == floor (n) && fabs (n) < 9e15 && strpbrk (trimmed, ".eE") == NULL)
        json_node_set_int (node, (gint64) n);
      else
        json_node_set_double (node, n);
      return node;
    }
  if (like != NULL && JSON_NODE_HOLDS_VALUE (like)
      && json_node_get_value_type (like) == G_TYPE_BOOLEAN)
    {
      if (g_ascii_strcasecmp (trimmed, "true") != 0 && g_ascii_strcasecmp (trimmed, "false") != 0)
        {
          g_set_error_literal (error, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE,
                               "not true or false");
          return NULL;
        }
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, g_ascii_strcasecmp (trimmed, "true") == 0);
      return node;
    }
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, text); /* a text keeps its spaces */
  return node;
}

char *
rl_record_format_value (JsonNode *value)
{
  if (value == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("null");
  if (is_string (value))
    return g_strdup (json_node_get_string (value));
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_DOUBLE)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.10g",
                                        json_node_get_double (value)));
    }
  return json_to_string (value, FALSE);
}
