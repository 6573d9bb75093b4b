/* test-record-rules.c — field rules and typed values for the editors.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-record-rules.h"

static JsonNode *
parse (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (json == NULL)
    return NULL;
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return json_node_copy (json_parser_get_root (parser));
}

typedef struct
{
  const char *entity;
  const char *path;
  const char *value; /* JSON, NULL: absent */
  int         code;  /* -1: accepted */
} CheckCase;

static const CheckCase checks[] = {
  { "drop_point", "latitude", "27.7", -1 },
  { "drop_point", "latitude", "-90", -1 },
  { "drop_point", "latitude", "90.5", RL_RECORD_ERROR_RANGE },
  { "drop_point", "latitude", "\"27.7\"", RL_RECORD_ERROR_TYPE },
  { "drop_point", "latitude", NULL, RL_RECORD_ERROR_REQUIRED },
  { "drop_point", "longitude", "-180.1", RL_RECORD_ERROR_RANGE },
  { "drop_point", "capacityLiters", "1100", -1 },
  { "drop_point", "capacityLiters", "1100.5", RL_RECORD_ERROR_TYPE },
  { "drop_point", "capacityLiters", "-1", RL_RECORD_ERROR_RANGE },
  { "drop_point", "status", "\"maintenance\"", -1 },
  { "drop_point", "status", "\"closed\"", RL_RECORD_ERROR_CHOICE },
  { "drop_point", "categories", "[\"PLASTIC\",\"PAPER\"]", -1 },
  { "drop_point", "categories", "[\"PLASTIC\",\"WOOD\"]", RL_RECORD_ERROR_CHOICE },
  { "drop_point", "categories", "\"PLASTIC\"", RL_RECORD_ERROR_TYPE },
  { "drop_point", "name", "\"ठमेल चोक\"", -1 },
  { "drop_point", "name", "\"\"", RL_RECORD_ERROR_REQUIRED },
  { "drop_point", "notes", NULL, -1 },
  { "provider", "priority", "0", RL_RECORD_ERROR_RANGE },
  { "provider", "role", "\"backup\"", -1 },
  { "sync_job", "conflictStrategy", "\"merge\"", -1 },
  { "customer", "address.city", "{\"any\":[1,2]}", -1 },
};

static void
test_check (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autoptr (JsonNode) value = parse (checks[i].value);
      g_autoptr (GError) error = NULL;
      gboolean ok = rl_record_check_field (checks[i].entity, checks[i].path, value, &error);

      if (checks[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, RL_RECORD_ERROR, checks[i].code);
        }
    }
}

typedef struct
{
  const char *text;
  const char *like;     /* JSON */
  const char *expected; /* JSON, NULL: refused */
} ParseCase;

static const ParseCase parses[] = {
  { "42", "7", "42" },
  { " 27.75 ", "27.7", "27.75" },
  { "1e3", "2.5", "1000.0" },
  { "forty", "7", NULL },
  { "", "7", NULL },
  { "TRUE", "false", "true" },
  { "yes", "false", NULL },
  { "Lid fixed ", "\"x\"", "\"Lid fixed \"" },
  { "ठमेल", NULL, "\"ठमेल\"" },
  { "[\"GLASS\"]", "[\"PLASTIC\"]", "[\"GLASS\"]" },
  { "{\"a\":1}", "[]", NULL },
  { "{\"host\":\"smtp\"}", "{}", "{\"host\":\"smtp\"}" },
};

static void
test_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parses); i++)
    {
      g_autoptr (JsonNode) like = parse (parses[i].like);
      g_autoptr (JsonNode) expected = parse (parses[i].expected);
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) value = rl_record_parse_value (parses[i].text, like, &error);

      if (expected == NULL)
        {
          g_assert_null (value);
          g_assert_error (error, RL_RECORD_ERROR, RL_RECORD_ERROR_TYPE);
          continue;
        }
      g_assert_no_error (error);
      g_assert_nonnull (value);
      if (!json_node_equal (value, expected))
        {
          g_autofree char *got = json_to_string (value, FALSE);

          g_error ("“%s” read as %s, expected %s", parses[i].text, got, parses[i].expected);
        }
    }
}

static void
test_format (void)
{
  g_autoptr (JsonNode) text = parse ("\"ठमेल\"");
  g_autoptr (JsonNode) real = parse ("27.75");
  g_autoptr (JsonNode) list = parse ("[ \"A\", 1 ]");
  g_autoptr (JsonNode) null = parse ("null");
  g_autofree char *a = rl_record_format_value (text);
  g_autofree char *b = rl_record_format_value (real);
  g_autofree char *c = rl_record_format_value (list);
  g_autofree char *d = rl_record_format_value (null);

  g_assert_cmpstr (a, ==, "ठमेल");
  g_assert_cmpstr (b, ==, "27.75");
  g_assert_cmpstr (c, ==, "[\"A\",1]");
  g_assert_cmpstr (d, ==, "null");
  g_assert_null (rl_record_format_value (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/record-rules/check", test_check);
  g_test_add_func ("/record-rules/parse", test_parse);
  g_test_add_func ("/record-rules/format", test_format);
  return g_test_run ();
}
