/* test-provider-form.c — provider type descriptors as a form: parsing,
 * checks, the config and secrets to send, 422 paths back to fields.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-provider-form.h"
#include "rl-record-rules.h"
#include "rl-url.h"

/* Shaped as the devserver's smtp and stripe descriptors. */
static const char *const descriptors =
    "[{\"type\":\"stripe\",\"kind\":\"payment\",\"label\":\"Stripe\",\"fields\":["
    " {\"key\":\"publishableKey\",\"label\":\"Publishable key\",\"type\":\"string\","
    "  \"required\":true,\"default\":null,\"min\":null,\"max\":null,\"options\":null},"
    " {\"key\":\"secretKey\",\"label\":\"Secret key\",\"type\":\"secret\",\"required\":true},"
    " {\"key\":\"webhookSecret\",\"label\":\"Webhook\",\"type\":\"secret\",\"required\":false},"
    " {\"key\":\"currency\",\"label\":\"Currency\",\"type\":\"enum\",\"required\":true,"
    "  \"default\":\"usd\",\"options\":[\"usd\",\"eur\",\"npr\"]},"
    " {\"key\":\"sandbox\",\"label\":\"Sandbox\",\"type\":\"bool\",\"default\":true},"
    " {\"key\":\"endpoint\",\"label\":\"Endpoint\",\"type\":\"url\",\"required\":false},"
    " {\"key\":\"temperature\",\"label\":\"T\",\"type\":\"float\",\"min\":0,\"max\":2}]},"
    " {\"type\":\"smtp\",\"kind\":\"email\",\"label\":\"SMTP server\",\"fields\":["
    " {\"key\":\"host\",\"label\":\"Host\",\"type\":\"string\",\"required\":true},"
    " {\"key\":\"port\",\"label\":\"Port\",\"type\":\"int\",\"required\":true,\"default\":587,"
    "  \"min\":1,\"max\":65535},"
    " {\"key\":\"retries\",\"label\":\"Retries\",\"type\":\"int\"}]},"
    " {\"type\":\"broken\",\"kind\":\"email\",\"fields\":[{\"key\":\"x\",\"type\":\"blob\"}]},"
    " {\"type\":\"anthropic\",\"kind\":\"llm\",\"label\":\"Anthropic\",\"fields\":[]}]";

static JsonNode *
parse (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return json_node_copy (json_parser_get_root (parser));
}

static GPtrArray *
load_types (void)
{
  g_autoptr (JsonNode) root = parse (descriptors);

  return rl_provider_types_parse (json_node_get_array (root));
}

static const RlProviderType *
type_named (GPtrArray  *types,
            const char *name)
{
  for (guint i = 0; i < types->len; i++)
    {
      const RlProviderType *type = g_ptr_array_index (types, i);
      if (g_str_equal (type->type, name))
        return type;
    }
  g_assert_not_reached ();
}

static void
test_parse (void)
{
  g_autoptr (GPtrArray) types = load_types ();
  const RlProviderType  *stripe;
  const RlProviderField *field;

  /* The broken one is skipped; the rest sorted by kind: email, llm, payment. */
  g_assert_cmpuint (types->len, ==, 3);
  g_assert_cmpstr (((RlProviderType *) g_ptr_array_index (types, 0))->type, ==, "smtp");
  g_assert_cmpstr (((RlProviderType *) g_ptr_array_index (types, 1))->type, ==, "anthropic");
  g_assert_cmpstr (((RlProviderType *) g_ptr_array_index (types, 2))->type, ==, "stripe");

  stripe = type_named (types, "stripe");
  g_assert_cmpstr (stripe->label, ==, "Stripe");
  g_assert_cmpuint (stripe->fields->len, ==, 7);
  field = rl_provider_type_get_field (stripe, "currency");
  g_assert_nonnull (field);
  g_assert_cmpint (field->type, ==, RL_PROVIDER_FIELD_ENUM);
  g_assert_true (field->required);
  g_assert_cmpuint (g_strv_length (field->options), ==, 3);
  g_assert_cmpstr (json_node_get_string (field->default_value), ==, "usd");
  field = rl_provider_type_get_field (stripe, "temperature");
  g_assert_true (field->has_min && field->has_max);
  g_assert_cmpfloat (field->max, ==, 2.0);
  g_assert_false (field->required);
  field = rl_provider_type_get_field (stripe, "secretKey");
  g_assert_cmpint (field->type, ==, RL_PROVIDER_FIELD_SECRET);
  g_assert_null (field->default_value);
  g_assert_null (rl_provider_type_get_field (stripe, "nope"));
}

static void
test_parse_refused (void)
{
  static const char *const bad[] = {
    "{\"kind\":\"email\",\"fields\":[]}",
    "{\"type\":\"a\",\"kind\":\"email\",\"fields\":[{\"key\":\"x\",\"type\":\"blob\"}]}",
    "{\"type\":\"a\",\"kind\":\"email\",\"fields\":[{\"type\":\"string\"}]}",
    "{\"type\":\"a\",\"kind\":\"email\",\"fields\":[{\"key\":\"e\",\"type\":\"enum\"}]}",
    "{\"type\":\"a\",\"kind\":\"email\",\"fields\":[{\"key\":\"x\",\"type\":\"int\"},"
    "{\"key\":\"x\",\"type\":\"int\"}]}",
    "{\"type\":\"a\",\"kind\":\"email\",\"fields\":[3]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonNode) node = parse (bad[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (RlProviderType) type = rl_provider_type_parse (json_node_get_object (node), &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (type);
      g_assert_error (error, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE);
    }
}

typedef struct
{
  const char *type;
  const char *key;
  const char *value; /* JSON; NULL: absent */
  gboolean    secret_is_set;
  GQuark      domain; /* 0: accepted */
  int         code;
} CheckCase;

static void
test_check_field (void)
{
  g_autoptr (GPtrArray) types = load_types ();
  const CheckCase cases[] = {
    { "smtp", "host", "\"mail.example.org\"", FALSE, 0, 0 },
    { "smtp", "host", "\"   \"", FALSE, RL_RECORD_ERROR, RL_RECORD_ERROR_REQUIRED },
    { "smtp", "host", NULL, FALSE, RL_RECORD_ERROR, RL_RECORD_ERROR_REQUIRED },
    { "smtp", "host", "42", FALSE, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE },
    { "smtp", "port", "587", FALSE, 0, 0 },
    { "smtp", "port", "1", FALSE, 0, 0 },
    { "smtp", "port", "65535", FALSE, 0, 0 },
    { "smtp", "port", "0", FALSE, RL_RECORD_ERROR, RL_RECORD_ERROR_RANGE },
    { "smtp", "port", "70000", FALSE, RL_RECORD_ERROR, RL_RECORD_ERROR_RANGE },
    { "smtp", "port", "587.5", FALSE, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE },
    { "smtp", "port", "\"587\"", FALSE, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE },
    /* An int without a range still has to fit what is sent: 1e300 passed
     * and went out as -9223372036854775808 (tests/fuzz/corpus/provider-form/
     * crash-int-1e300). */
    { "smtp", "retries", "9007199254740991", FALSE, 0, 0 },
    { "smtp", "retries", "-9007199254740991", FALSE, 0, 0 },
    { "smtp", "retries", "1e300", FALSE, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE },
    { "smtp", "retries", "-9007199254740993", FALSE, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE },
    { "stripe", "temperature", "1.5", FALSE, 0, 0 },
    { "stripe", "temperature", "2.01", FALSE, RL_RECORD_ERROR, RL_RECORD_ERROR_RANGE },
    { "stripe", "temperature", NULL, FALSE, 0, 0 },
    { "stripe", "currency", "\"npr\"", FALSE, 0, 0 },
    { "stripe", "currency", "\"gbp\"", FALSE, RL_RECORD_ERROR, RL_RECORD_ERROR_CHOICE },
    { "stripe", "sandbox", "false", FALSE, 0, 0 },
    { "stripe", "sandbox", "\"yes\"", FALSE, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE },
    { "stripe", "endpoint", "\"https://api.stripe.com/v1\"", FALSE, 0, 0 },
    { "stripe", "endpoint", "\"\"", FALSE, 0, 0 },
    { "stripe", "endpoint", "\"api.stripe.com\"", FALSE, RL_URL_ERROR, RL_URL_ERROR_NOT_A_URL },
    { "stripe", "endpoint", "\"ftp://x.org\"", FALSE, RL_URL_ERROR, RL_URL_ERROR_BAD_SCHEME },
    { "stripe", "secretKey", "\"\"", FALSE, RL_RECORD_ERROR, RL_RECORD_ERROR_REQUIRED },
    /* A set secret shows its hint only: leaving it empty keeps it. */
    { "stripe", "secretKey", "\"\"", TRUE, 0, 0 },
    { "stripe", "secretKey", "\"sk_test_4242\"", FALSE, 0, 0 },
    { "stripe", "webhookSecret", NULL, FALSE, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const RlProviderType  *type = type_named (types, cases[i].type);
      const RlProviderField *field = rl_provider_type_get_field (type, cases[i].key);
      g_autoptr (JsonNode) value = cases[i].value ? parse (cases[i].value) : NULL;
      g_autoptr (GError) error = NULL;
      gboolean ok;

      g_test_message ("%s.%s = %s", cases[i].type, cases[i].key, cases[i].value);
      ok = rl_provider_field_check (field, value, cases[i].secret_is_set, &error);
      if (cases[i].domain == 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, cases[i].domain, cases[i].code);
          if (cases[i].domain == RL_URL_ERROR)
            g_assert_cmpint (rl_url_error_get_kind (error), ==, RL_URL_KIND_SERVICE);
        }
    }
}

static void
test_check_form (void)
{
  g_autoptr (GPtrArray) types = load_types ();
  const RlProviderType *stripe = type_named (types, "stripe");
  g_autoptr (JsonNode) values = parse ("{\"publishableKey\":\"\",\"secretKey\":\"\","
                                       "\"currency\":\"gbp\",\"sandbox\":true,"
                                       "\"endpoint\":\"https://x.org\",\"temperature\":1}");
  g_autoptr (JsonNode) set = parse ("{\"secretKey\":{\"set\":true,\"hint\":\"…4242\"}}");
  g_autoptr (GHashTable) errors = NULL;
  g_autoptr (GHashTable) errors_set = NULL;

  errors = rl_provider_form_check (stripe, json_node_get_object (values), NULL);
  g_assert_cmpuint (g_hash_table_size (errors), ==, 3);
  g_assert_error ((GError *) g_hash_table_lookup (errors, "publishableKey"), RL_RECORD_ERROR,
                  RL_RECORD_ERROR_REQUIRED);
  g_assert_error ((GError *) g_hash_table_lookup (errors, "secretKey"), RL_RECORD_ERROR,
                  RL_RECORD_ERROR_REQUIRED);
  g_assert_error ((GError *) g_hash_table_lookup (errors, "currency"), RL_RECORD_ERROR,
                  RL_RECORD_ERROR_CHOICE);

  /* Editing a provider whose secret key is set: no value needed. */
  errors_set = rl_provider_form_check (stripe, json_node_get_object (values),
                                       json_node_get_object (set));
  g_assert_cmpuint (g_hash_table_size (errors_set), ==, 2);
  g_assert_false (g_hash_table_contains (errors_set, "secretKey"));
}

static void
test_build (void)
{
  g_autoptr (GPtrArray) types = load_types ();
  const RlProviderType *stripe = type_named (types, "stripe");
  const RlProviderType *smtp = type_named (types, "smtp");
  g_autoptr (JsonNode) values = parse (
      "{\"publishableKey\":\"  pk_test_1 \",\"secretKey\":\"sk_canary\",\"webhookSecret\":\" \","
      "\"currency\":\"npr\",\"sandbox\":false,\"endpoint\":\"https://api.stripe.com/v1/\","
      "\"temperature\":0.5}");
  g_autoptr (JsonNode) smtp_values = parse ("{\"host\":\"mail.example.org\",\"port\":465.0}");
  g_autoptr (JsonNode) expected = parse ("{\"publishableKey\":\"pk_test_1\",\"currency\":\"npr\","
                                         "\"sandbox\":false,\"endpoint\":\"https://api.stripe.com/"
                                         "v1\",\"temperature\":0.5}");
  g_autoptr (JsonObject) config = NULL;
  g_autoptr (JsonObject) smtp_config = NULL;
  g_autoptr (JsonObject) cleared = NULL;
  g_autoptr (JsonNode) config_node = NULL;
  g_auto (GStrv) keys = NULL;

  config = rl_provider_form_build_config (stripe, json_node_get_object (values), FALSE);
  config_node = json_node_init_object (json_node_alloc (), config);
  /* No secret in the config, ever. */
  g_assert_false (json_object_has_member (config, "secretKey"));
  g_assert_false (json_object_has_member (config, "webhookSecret"));
  g_assert_true (json_node_equal (config_node, expected));

  keys = rl_provider_form_secret_keys (stripe, json_node_get_object (values));
  g_assert_cmpuint (g_strv_length (keys), ==, 1);
  g_assert_cmpstr (keys[0], ==, "secretKey");

  /* An int is sent as an integer, whatever the spin button held. */
  smtp_config = rl_provider_form_build_config (smtp, json_node_get_object (smtp_values), FALSE);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (smtp_config, "port")), ==,
                   G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (smtp_config, "port"), ==, 465);

  /* An edit clears an optional field left empty. */
  json_object_set_string_member (json_node_get_object (values), "endpoint", "");
  cleared = rl_provider_form_build_config (stripe, json_node_get_object (values), TRUE);
  g_assert_true (json_object_has_member (cleared, "endpoint"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (cleared, "endpoint")));
}

static void
test_paths (void)
{
  g_autoptr (GPtrArray) types = load_types ();
  const RlProviderType *smtp = type_named (types, "smtp");
  const RlProviderType *stripe = type_named (types, "stripe");
  const struct
  {
    const RlProviderType *type;
    const char           *path;
    const char           *field;
  } cases[] = {
    { smtp, "config.port", "port" },
    { smtp, "config.host", "host" },
    { smtp, "name", "name" },
    { smtp, "role", "role" },
    { smtp, "priority", "priority" },
    { smtp, "config.nope", NULL },
    { smtp, "config", NULL },
    { smtp, "type", NULL },
    { smtp, "port", NULL },
    { stripe, "secrets.secretKey", "secretKey" },
    { stripe, "config.currency", "currency" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *field = rl_provider_form_field_for_path (cases[i].type, cases[i].path);
      g_assert_cmpstr (field, ==, cases[i].field);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/provider-form/parse", test_parse);
  g_test_add_func ("/provider-form/parse-refused", test_parse_refused);
  g_test_add_func ("/provider-form/check-field", test_check_field);
  g_test_add_func ("/provider-form/check-form", test_check_form);
  g_test_add_func ("/provider-form/build", test_build);
  g_test_add_func ("/provider-form/paths", test_paths);
  return g_test_run ();
}
