/* fuzz-provider-form.c — provider-type field descriptors → the form model
 * (src/core/domain/rl-provider-form.c): parse, check values, build the
 * config to send, the secret keys, and where a 422 path lands.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: JSON. The descriptors are the envelope's data (a GET
 * /provider-types answer), or "types", or the object itself; the form's
 * values are "values" (else each field's default) and the provider's set
 * secrets "secrets". A config holds only non-secret fields of the type,
 * every value it holds passed the field's check as the form sends it, and
 * an int stays the number that was checked.
 */
#include <math.h>

#include "fuzz-util.h"
#include "rl-provider-form.h"
#include "rl-record-rules.h"

static JsonNode *
member (JsonNode   *root,
        const char *key)
{
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_get_member (json_node_get_object (root), key);
}

static JsonObject *
object_member (JsonNode   *root,
               const char *key)
{
  JsonNode *node = member (root, key);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
check_type (const RlProviderType *type,
            JsonNode             *root)
{
  g_autoptr (JsonObject) values = NULL;
  g_autoptr (JsonObject) config = NULL;
  g_autoptr (JsonObject) cleared = NULL;
  g_autoptr (GHashTable) errors = NULL;
  g_auto (GStrv) secret_keys = NULL;
  JsonObject *given = object_member (root, "values");
  JsonObject *secrets = object_member (root, "secrets");

  g_assert_nonnull (type->type);
  g_assert_nonnull (type->kind);
  g_assert_nonnull (type->label);
  g_assert_nonnull (type->fields);

  if (given != NULL)
    values = json_object_ref (given);
  else
    {
      values = json_object_new ();
      for (guint i = 0; i < type->fields->len; i++)
        {
          const RlProviderField *field = g_ptr_array_index (type->fields, i);

          if (field->default_value != NULL)
            json_object_set_member (values, field->key, json_node_copy (field->default_value));
        }
    }

  for (guint i = 0; i < type->fields->len; i++)
    {
      const RlProviderField *field = g_ptr_array_index (type->fields, i);
      g_autofree char       *path = g_strconcat ("config.", field->key, NULL);
      g_autofree char       *landed = rl_provider_form_field_for_path (type, path);
      g_autoptr (GError) error = NULL;

      g_assert_nonnull (field->key);
      g_assert_true (*field->key != '\0');
      g_assert_nonnull (field->label);
      g_assert_true (rl_provider_type_get_field (type, field->key) == field);
      g_assert_true (field->type != RL_PROVIDER_FIELD_ENUM
                     || (field->options != NULL && field->options[0] != NULL));
      g_assert_true (field->type != RL_PROVIDER_FIELD_SECRET || field->default_value == NULL);
      g_assert_cmpstr (landed, ==, field->key);
      if (!rl_provider_field_check (field, field->default_value, FALSE, &error))
        {
          g_assert_nonnull (error);
          g_assert_nonnull (error->message);
        }
      else
        g_assert_null (error);
    }
  g_free (rl_provider_form_field_for_path (type, "name"));
  g_free (rl_provider_form_field_for_path (type, "secrets.x"));
  g_free (rl_provider_form_field_for_path (type, "config."));

  errors = rl_provider_form_check (type, values, secrets);
  config = rl_provider_form_build_config (type, values, FALSE);
  cleared = rl_provider_form_build_config (type, values, TRUE);
  secret_keys = rl_provider_form_secret_keys (type, values);

  /* The config holds non-secret fields only; a field that passed its
   * check goes out as the form holds it (an int as that integer). */
  {
    JsonObjectIter iter;
    const char    *key;
    JsonNode      *sent;

    json_object_iter_init (&iter, cleared);
    while (json_object_iter_next (&iter, &key, &sent))
      {
        const RlProviderField *field = rl_provider_type_get_field (type, key);
        g_autoptr (GError) error = NULL;

        g_assert_nonnull (field);
        g_assert_true (field->type != RL_PROVIDER_FIELD_SECRET);
        if (JSON_NODE_HOLDS_NULL (sent))
          continue;
        g_assert_true (json_object_has_member (config, key));
        if (g_hash_table_contains (errors, key))
          continue;
        if (field->type == RL_PROVIDER_FIELD_INT && json_node_get_value_type (sent) == G_TYPE_INT64)
          g_assert_cmpfloat (
              (double) json_node_get_int (sent), ==,
              json_node_get_double (json_object_get_member (values, key)));
        if (!rl_provider_field_check (field, sent, FALSE, &error))
          g_error ("field %s passes its check as typed but not as sent: %s", key, error->message);
      }
  }
  for (guint i = 0; secret_keys[i] != NULL; i++)
    {
      const RlProviderField *field = rl_provider_type_get_field (type, secret_keys[i]);

      g_assert_nonnull (field);
      g_assert_true (field->type == RL_PROVIDER_FIELD_SECRET);
      g_assert_true (json_object_has_member (values, secret_keys[i]));
      g_assert_false (json_object_has_member (config, secret_keys[i]));
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GPtrArray) types = NULL;
  JsonNode *root, *descriptors;

  if (!g_utf8_validate ((const char *) data, (gssize) size, NULL)
      || !json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL)
      || (root = json_parser_get_root (parser)) == NULL)
    return 0;

  descriptors = member (root, "data");
  if (descriptors == NULL)
    descriptors = member (root, "types");
  if (descriptors != NULL && JSON_NODE_HOLDS_ARRAY (descriptors))
    types = rl_provider_types_parse (json_node_get_array (descriptors));
  else if (JSON_NODE_HOLDS_ARRAY (root))
    types = rl_provider_types_parse (json_node_get_array (root));
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autoptr (GError) error = NULL;
      RlProviderType *type = rl_provider_type_parse (json_node_get_object (root), &error);

      types = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_provider_type_free);
      if (type != NULL)
        g_ptr_array_add (types, type);
      else
        g_assert_nonnull (error);
    }
  else
    return 0;

  for (guint i = 0; i < types->len; i++)
    check_type (g_ptr_array_index (types, i), root);
  return 0;
}
