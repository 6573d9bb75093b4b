/* rl-provider-form.h — a provider type's field descriptors as a form:
 * parsing, checking values, the config to send and the secrets to set.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The contract's descriptors (GET /provider-types: {type, kind, label,
 * fields: [{key, label, type, required, default, min, max, options}]}) say
 * everything a form needs, so a new provider type needs no new code. Values
 * are JSON nodes as a form holds them: text for string, url, enum and
 * secret (empty text = not given), a number for int and float, a boolean
 * for bool. Errors are codes (RL_RECORD_ERROR_REQUIRED, _TYPE, _RANGE,
 * _CHOICE, or an RL_URL_ERROR of kind RL_URL_KIND_SERVICE): the UI words
 * them (the provider dialog, with the field's range). The server has the last word
 * (422 details.fields, mapped back with rl_provider_form_field_for_path).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  RL_PROVIDER_FIELD_STRING,
  RL_PROVIDER_FIELD_URL,
  RL_PROVIDER_FIELD_INT,
  RL_PROVIDER_FIELD_FLOAT,
  RL_PROVIDER_FIELD_BOOL,
  RL_PROVIDER_FIELD_ENUM,
  RL_PROVIDER_FIELD_SECRET,
} RlProviderFieldType;

typedef struct
{
  char               *key;
  char               *label;
  RlProviderFieldType type;
  gboolean            required;
  JsonNode           *default_value; /* NULL: none */
  gboolean            has_min;
  gboolean            has_max;
  double              min;
  double              max;
  GStrv               options; /* enum only; NULL otherwise */
} RlProviderField;

typedef struct
{
  char      *type;
  char      *kind;
  char      *label;
  GPtrArray *fields; /* RlProviderField*, in the descriptor's order */
} RlProviderType;

void rl_provider_type_free (RlProviderType *type);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlProviderType, rl_provider_type_free)

/* The largest int a field takes (2^53 - 1: every integer up to it is exact
 * in a double, as JSON numbers are read). */
#define RL_PROVIDER_FIELD_INT_MAX 9007199254740991.0

/* "string" … "secret" → the type; FALSE for a name the contract does not have. */
gboolean rl_provider_field_type_from_string (const char          *name,
                                             RlProviderFieldType *out_type);

/* One descriptor; NULL + RL_RECORD_ERROR_TYPE when it is not one (a missing
 * type, kind or key, an unknown field type, an enum without options). */
RlProviderType *rl_provider_type_parse (JsonObject *descriptor,
                                        GError    **error);
/* Every descriptor of a /provider-types answer that parses (the others are
 * skipped with a g_debug), sorted by kind, then label. */
GPtrArray *rl_provider_types_parse (JsonArray *descriptors);

const RlProviderField *rl_provider_type_get_field (const RlProviderType *type,
                                                   const char           *key);

/* Checks @value (NULL or empty text: not given) for @field. A required
 * secret that is already set on the server (@secret_is_set) may be left
 * empty (the form shows only its hint). */
gboolean rl_provider_field_check (const RlProviderField *field,
                                  JsonNode              *value,
                                  gboolean               secret_is_set,
                                  GError               **error);

/* Checks every field of @type against @values (key → value, may lack
 * keys); @set_secrets (may be NULL) is the provider's "secrets" object
 * ({key: {set, hint, updatedAt}}). Returns key → GError* for the fields
 * that fail (empty when all pass). */
GHashTable *rl_provider_form_check (const RlProviderType *type,
                                    JsonObject           *values,
                                    JsonObject           *set_secrets);

/* The config object to send: every non-secret field of @type whose value
 * is given (text trimmed; an int as an integer). An optional field left
 * empty is left out — or, with @clear_empty (an edit), set to null so the
 * server removes it. */
JsonObject *rl_provider_form_build_config (const RlProviderType *type,
                                           JsonObject           *values,
                                           gboolean              clear_empty);

/* The secret fields of @type that have a value typed in @values, in
 * descriptor order (keys; the values stay in @values). */
GStrv rl_provider_form_secret_keys (const RlProviderType *type,
                                    JsonObject           *values);

/* Where a 422's details.fields path lands: "config.port" → "port" when
 * @type has that field, "secrets.apiKey" → "apiKey", "name", "role",
 * "priority" and "enabled" as they are; NULL for a path the form does not
 * show (say it in general). */
char *rl_provider_form_field_for_path (const RlProviderType *type,
                                       const char           *path);

G_END_DECLS
