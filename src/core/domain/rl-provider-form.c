/* rl-provider-form.c — a provider type's field descriptors as a form.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-provider-form.h"

#include <math.h>
#include <string.h>

#include "rl-record-rules.h"
#include "rl-url.h"

static const char *const field_type_names[] = {
  "string",
  "url",
  "int",
  "float",
  "bool",
  "enum",
  "secret",
};

static void
field_free (RlProviderField *field)
{
  g_free (field->key);
  g_free (field->label);
  g_clear_pointer (&field->default_value, json_node_unref);
  g_strfreev (field->options);
  g_free (field);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
number_member (JsonObject *object,
               const char *name,
               double     *out)
{
  JsonNode *node = json_object_get_member (object, name);
  GType     t;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  if (t != G_TYPE_INT64 && t != G_TYPE_DOUBLE)
    return FALSE;
  *out = json_node_get_double (node);
  return TRUE;
}

static gboolean
is_number (JsonNode *value)
{
  return value != NULL && JSON_NODE_HOLDS_VALUE (value)
         && (json_node_get_value_type (value) == G_TYPE_INT64
             || json_node_get_value_type (value) == G_TYPE_DOUBLE);
}

/* The text of a text value, or NULL when @value is not text. */
static const char *
text_of (JsonNode *value)
{
  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value)
      || json_node_get_value_type (value) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (value);
}

/* NULL, null and blank text are "not given"; a number or boolean always is. */
static gboolean
is_given (JsonNode *value)
{
  const char *text;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return FALSE;
  text = text_of (value);
  if (text == NULL)
    return TRUE;
  while (*text == ' ' || *text == '\t' || *text == '\n')
    text++;
  return *text != '\0';
}

static GError *
record_error (RlRecordError code,
              const char   *key,
              const char   *message)
{
  return g_error_new (RL_RECORD_ERROR, code, "%s: %s", key, message);
}

static int
compare_types (gconstpointer a,
               gconstpointer b)
{
  const RlProviderType *ta = *(RlProviderType *const *) a;
  const RlProviderType *tb = *(RlProviderType *const *) b;
  int                   by_kind = g_strcmp0 (ta->kind, tb->kind);

  return by_kind != 0 ? by_kind : g_utf8_collate (ta->label, tb->label);
}

void
rl_provider_type_free (RlProviderType *type)
{
  if (type == NULL)
    return;
  g_free (type->type);
  g_free (type->kind);
  g_free (type->label);
  g_clear_pointer (&type->fields, g_ptr_array_unref);
  g_free (type);
}

gboolean
rl_provider_field_type_from_string (const char          *name,
                                    RlProviderFieldType *out_type)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (field_type_names); i++)
    if (g_str_equal (name, field_type_names[i]))
      {
        if (out_type != NULL)
          *out_type = (RlProviderFieldType) i;
        return TRUE;
      }
  return FALSE;
}

static RlProviderField *
parse_field (JsonObject *object,
             GError    **error)
{
  g_autoptr (GPtrArray) options = NULL;
  RlProviderField    *field;
  const char         *key = string_member (object, "key");
  const char         *label = string_member (object, "label");
  RlProviderFieldType type;
  JsonNode           *node;

  if (key == NULL || *key == '\0'
      || !rl_provider_field_type_from_string (string_member (object, "type"), &type))
    {
      g_set_error (error, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE,
                   "a field without a key or with an unknown type");
      return NULL;
    }
  if (type == RL_PROVIDER_FIELD_ENUM)
    {
      node = json_object_get_member (object, "options");
      options = g_ptr_array_new_with_free_func (g_free);
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              const char *text = text_of (json_array_get_element (array, i));
              if (text != NULL)
                g_ptr_array_add (options, g_strdup (text));
            }
        }
      if (options->len == 0)
        {
          g_set_error (error, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE,
                       "enum field %s has no options", key);
          return NULL;
        }
      g_ptr_array_add (options, NULL);
    }

  field = g_new0 (RlProviderField, 1);
  field->key = g_strdup (key);
  field->label = g_strdup (label != NULL && *label != '\0' ? label : key);
  field->type = type;
  node = json_object_get_member (object, "required");
  field->required = node != NULL && JSON_NODE_HOLDS_VALUE (node)
                    && json_node_get_value_type (node) == G_TYPE_BOOLEAN
                    && json_node_get_boolean (node);
  node = json_object_get_member (object, "default");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) && type != RL_PROVIDER_FIELD_SECRET)
    field->default_value = json_node_copy (node);
  field->has_min = number_member (object, "min", &field->min);
  field->has_max = number_member (object, "max", &field->max);
  if (options != NULL)
    field->options = (GStrv) g_ptr_array_free (g_steal_pointer (&options), FALSE);
  return field;
}

RlProviderType *
rl_provider_type_parse (JsonObject *descriptor,
                        GError    **error)
{
  g_autoptr (RlProviderType) type = NULL;
  JsonNode *fields;

  g_return_val_if_fail (descriptor != NULL, NULL);

  if (string_member (descriptor, "type") == NULL || string_member (descriptor, "kind") == NULL)
    {
      g_set_error (error, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE,
                   "a provider type without type or kind");
      return NULL;
    }
  type = g_new0 (RlProviderType, 1);
  type->type = g_strdup (string_member (descriptor, "type"));
  type->kind = g_strdup (string_member (descriptor, "kind"));
  type->label = g_strdup (string_member (descriptor, "label") ? string_member (descriptor, "label")
                                                              : type->type);
  type->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  fields = json_object_get_member (descriptor, "fields");
  if (fields != NULL && JSON_NODE_HOLDS_ARRAY (fields))
    {
      JsonArray *array = json_node_get_array (fields);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode        *node = json_array_get_element (array, i);
          RlProviderField *field;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              g_set_error (error, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE,
                           "field %u of %s is not an object", i, type->type);
              return NULL;
            }
          if ((field = parse_field (json_node_get_object (node), error)) == NULL)
            return NULL;
          if (rl_provider_type_get_field (type, field->key) != NULL)
            {
              g_set_error (error, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE,
                           "field %s of %s appears twice", field->key, type->type);
              field_free (field);
              return NULL;
            }
          g_ptr_array_add (type->fields, field);
        }
    }
  return g_steal_pointer (&type);
}

GPtrArray *
rl_provider_types_parse (JsonArray *descriptors)
{
  GPtrArray *types = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_provider_type_free);

  for (guint i = 0; descriptors != NULL && i < json_array_get_length (descriptors); i++)
    {
      JsonNode *node = json_array_get_element (descriptors, i);
      g_autoptr (GError) error = NULL;
      RlProviderType *type;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      if ((type = rl_provider_type_parse (json_node_get_object (node), &error)) == NULL)
        g_debug ("provider type %u skipped: %s", i, error->message);
      else
        g_ptr_array_add (types, type);
    }
  g_ptr_array_sort (types, compare_types);
  return types;
}

const RlProviderField *
rl_provider_type_get_field (const RlProviderType *type,
                            const char           *key)
{
  g_return_val_if_fail (type != NULL, NULL);

  for (guint i = 0; key != NULL && i < type->fields->len; i++)
    {
      const RlProviderField *field = g_ptr_array_index (type->fields, i);
      if (g_str_equal (field->key, key))
        return field;
    }
  return NULL;
}

gboolean
rl_provider_field_check (const RlProviderField *field,
                         JsonNode              *value,
                         gboolean               secret_is_set,
                         GError               **error)
{
  g_return_val_if_fail (field != NULL, FALSE);

  if (!is_given (value))
    {
      if (field->required && !(field->type == RL_PROVIDER_FIELD_SECRET && secret_is_set))
        {
          g_propagate_error (error, record_error (RL_RECORD_ERROR_REQUIRED, field->key, "required"));
          return FALSE;
        }
      return TRUE;
    }

  switch (field->type)
    {
    case RL_PROVIDER_FIELD_STRING:
    case RL_PROVIDER_FIELD_SECRET:
      if (text_of (value) == NULL)
        {
          g_propagate_error (error, record_error (RL_RECORD_ERROR_TYPE, field->key, "not text"));
          return FALSE;
        }
      return TRUE;

    case RL_PROVIDER_FIELD_URL:
      if (text_of (value) == NULL)
        {
          g_propagate_error (error, record_error (RL_RECORD_ERROR_TYPE, field->key, "not text"));
          return FALSE;
        }
      return rl_url_validate_service (text_of (value), NULL, error);

    case RL_PROVIDER_FIELD_ENUM:
      if (text_of (value) == NULL || !g_strv_contains ((const char *const *) field->options, text_of (value)))
        {
          g_propagate_error (error,
                             record_error (RL_RECORD_ERROR_CHOICE, field->key, "not an option"));
          return FALSE;
        }
      return TRUE;

    case RL_PROVIDER_FIELD_BOOL:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
        {
          g_propagate_error (error, record_error (RL_RECORD_ERROR_TYPE, field->key, "not a boolean"));
          return FALSE;
        }
      return TRUE;

    case RL_PROVIDER_FIELD_INT:
    case RL_PROVIDER_FIELD_FLOAT:
      {
        double d;

        if (!is_number (value) || !isfinite (json_node_get_double (value)))
          {
            g_propagate_error (error,
                               record_error (RL_RECORD_ERROR_TYPE, field->key, "not a number"));
            return FALSE;
          }
        d = json_node_get_double (value);
        /* An int goes out as a 64-bit integer (rl_provider_form_build_config):
         * 1e300 passed and went out as -9223372036854775808 (found by
         * tests/fuzz/fuzz-provider-form). Whole numbers a double holds
         * exactly, as JSON integers elsewhere. */
        if (field->type == RL_PROVIDER_FIELD_INT
            && (d != floor (d) || fabs (d) > RL_PROVIDER_FIELD_INT_MAX))
          {
            g_propagate_error (error,
                               record_error (RL_RECORD_ERROR_TYPE, field->key, "not an integer"));
            return FALSE;
          }
        if ((field->has_min && d < field->min) || (field->has_max && d > field->max))
          {
            g_propagate_error (error,
                               record_error (RL_RECORD_ERROR_RANGE, field->key, "out of range"));
            return FALSE;
          }
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

static gboolean
secret_is_set (JsonObject *set_secrets,
               const char *key)
{
  JsonNode   *node;
  JsonObject *secret;

  if (set_secrets == NULL || (node = json_object_get_member (set_secrets, key)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  secret = json_node_get_object (node);
  node = json_object_get_member (secret, "set");
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

GHashTable *
rl_provider_form_check (const RlProviderType *type,
                        JsonObject           *values,
                        JsonObject           *set_secrets)
{
  GHashTable *errors =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_error_free);

  g_return_val_if_fail (type != NULL && values != NULL, errors);

  for (guint i = 0; i < type->fields->len; i++)
    {
      const RlProviderField *field = g_ptr_array_index (type->fields, i);
      GError                *error = NULL;

      if (!rl_provider_field_check (field, json_object_get_member (values, field->key),
                                    secret_is_set (set_secrets, field->key), &error))
        g_hash_table_insert (errors, g_strdup (field->key), error);
    }
  return errors;
}

JsonObject *
rl_provider_form_build_config (const RlProviderType *type,
                               JsonObject           *values,
                               gboolean              clear_empty)
{
  JsonObject *config = json_object_new ();

  g_return_val_if_fail (type != NULL && values != NULL, config);

  for (guint i = 0; i < type->fields->len; i++)
    {
      const RlProviderField *field = g_ptr_array_index (type->fields, i);
      JsonNode              *value = json_object_get_member (values, field->key);

      if (field->type == RL_PROVIDER_FIELD_SECRET)
        continue;
      if (!is_given (value))
        {
          if (clear_empty)
            json_object_set_null_member (config, field->key);
          continue;
        }
      if (text_of (value) != NULL)
        {
          g_autofree char *trimmed = g_strstrip (g_strdup (text_of (value)));
          if (field->type == RL_PROVIDER_FIELD_URL)
            rl_url_trim_trailing_slashes (trimmed);
          json_object_set_string_member (config, field->key, trimmed);
        }
      else if (field->type == RL_PROVIDER_FIELD_INT && is_number (value))
        json_object_set_int_member (config, field->key, (gint64) llround (json_node_get_double (value)));
      else
        json_object_set_member (config, field->key, json_node_copy (value));
    }
  return config;
}

GStrv
rl_provider_form_secret_keys (const RlProviderType *type,
                              JsonObject           *values)
{
  g_autoptr (GStrvBuilder) keys = g_strv_builder_new ();

  g_return_val_if_fail (type != NULL && values != NULL, g_strv_builder_end (keys));

  for (guint i = 0; i < type->fields->len; i++)
    {
      const RlProviderField *field = g_ptr_array_index (type->fields, i);
      JsonNode              *value = json_object_get_member (values, field->key);

      if (field->type == RL_PROVIDER_FIELD_SECRET && is_given (value) && text_of (value) != NULL)
        g_strv_builder_add (keys, field->key);
    }
  return g_strv_builder_end (keys);
}

char *
rl_provider_form_field_for_path (const RlProviderType *type,
                                 const char           *path)
{
  static const char *const top[] = { "name", "role", "priority", "enabled", NULL };
  const char              *rest = NULL;

  g_return_val_if_fail (type != NULL, NULL);

  if (path == NULL)
    return NULL;
  if (g_strv_contains (top, path))
    return g_strdup (path);
  if (g_str_has_prefix (path, "config."))
    rest = path + strlen ("config.");
  else if (g_str_has_prefix (path, "secrets."))
    rest = path + strlen ("secrets.");
  if (rest == NULL || rl_provider_type_get_field (type, rest) == NULL)
    return NULL;
  return g_strdup (rest);
}
