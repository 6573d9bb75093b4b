/* test-merge.c — the three-way merge, table by table.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row: base, mine, theirs (JSON objects; base may be absent), the
 * fields expected with their outcome ("path=outcome", in path order), and the
 * merged record expected before any pick (with CONFLICT fields as theirs).
 */
#include "config.h"

#include "rl-merge.h"

typedef struct
{
  const char *name;
  const char *base; /* NULL: no base */
  const char *mine;
  const char *theirs;
  const char *fields; /* "a=same b=mine c.d=conflict" */
  const char *merged;
} MergeCase;

static const char *const ignore[] = { "version", "updatedAt", NULL };

static const MergeCase cases[] = {
  { "nothing changed", "{\"a\":1,\"b\":\"x\"}", "{\"a\":1,\"b\":\"x\"}", "{\"a\":1,\"b\":\"x\"}",
    "a=same b=same", "{\"a\":1,\"b\":\"x\"}" },
  { "only mine", "{\"a\":1,\"b\":\"x\"}", "{\"a\":2,\"b\":\"x\"}", "{\"a\":1,\"b\":\"x\"}",
    "a=mine b=same", "{\"a\":2,\"b\":\"x\"}" },
  { "only theirs", "{\"a\":1,\"b\":\"x\"}", "{\"a\":1,\"b\":\"x\"}", "{\"a\":1,\"b\":\"y\"}",
    "a=same b=theirs", "{\"a\":1,\"b\":\"y\"}" },
  { "both, other fields", "{\"a\":1,\"b\":\"x\"}", "{\"a\":2,\"b\":\"x\"}",
    "{\"a\":1,\"b\":\"y\"}", "a=mine b=theirs", "{\"a\":2,\"b\":\"y\"}" },
  { "both, same field, same value", "{\"a\":1}", "{\"a\":5}", "{\"a\":5}", "a=same",
    "{\"a\":5}" },
  { "both, same field, other values", "{\"a\":1,\"n\":\"ok\"}", "{\"a\":2,\"n\":\"ok\"}",
    "{\"a\":3,\"n\":\"ok\"}", "a=conflict n=same", "{\"a\":3,\"n\":\"ok\"}" },
  { "numbers by value", "{\"a\":1}", "{\"a\":1.0}", "{\"a\":2}", "a=theirs", "{\"a\":2}" },
  { "null is a value", "{\"a\":null}", "{\"a\":\"set\"}", "{\"a\":null}", "a=mine",
    "{\"a\":\"set\"}" },
  { "deleted by mine", "{\"a\":1,\"b\":2}", "{\"a\":1}", "{\"a\":1,\"b\":2}", "a=same b=mine",
    "{\"a\":1}" },
  { "deleted by theirs", "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":2}", "{\"a\":1}",
    "a=same b=theirs", "{\"a\":1}" },
  { "deleted by theirs, changed by mine", "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":3}",
    "{\"a\":1}", "a=same b=conflict", "{\"a\":1}" },
  { "added by both differently", "{}", "{\"c\":\"m\"}", "{\"c\":\"t\"}", "c=conflict",
    "{\"c\":\"t\"}" },
  { "added by mine", "{}", "{\"c\":\"m\"}", "{}", "c=mine", "{\"c\":\"m\"}" },
  { "nested: other leaves",
    "{\"config\":{\"host\":\"a\",\"port\":25,\"tls\":{\"on\":false}}}",
    "{\"config\":{\"host\":\"b\",\"port\":25,\"tls\":{\"on\":false}}}",
    "{\"config\":{\"host\":\"a\",\"port\":587,\"tls\":{\"on\":true}}}",
    "config.host=mine config.port=theirs config.tls.on=theirs",
    "{\"config\":{\"host\":\"b\",\"port\":587,\"tls\":{\"on\":true}}}" },
  { "nested: same leaf", "{\"config\":{\"apiKey\":\"k1\"}}", "{\"config\":{\"apiKey\":\"k2\"}}",
    "{\"config\":{\"apiKey\":\"k3\"}}", "config.apiKey=conflict",
    "{\"config\":{\"apiKey\":\"k3\"}}" },
  { "nested key added on one side", "{\"config\":{}}", "{\"config\":{\"a\":1}}",
    "{\"config\":{\"b\":2}}", "config.a=mine config.b=theirs",
    "{\"config\":{\"a\":1,\"b\":2}}" },
  { "object against a scalar is one value", "{\"x\":{\"a\":1}}", "{\"x\":{\"a\":2}}",
    "{\"x\":\"flat\"}", "x=conflict", "{\"x\":\"flat\"}" },
  { "arrays are one value", "{\"cat\":[\"PLASTIC\"]}", "{\"cat\":[\"PLASTIC\",\"PAPER\"]}",
    "{\"cat\":[\"PLASTIC\"]}", "cat=mine", "{\"cat\":[\"PLASTIC\",\"PAPER\"]}" },
  { "arrays changed on both sides", "{\"cat\":[\"PLASTIC\"]}", "{\"cat\":[\"PAPER\"]}",
    "{\"cat\":[\"GLASS\"]}", "cat=conflict", "{\"cat\":[\"GLASS\"]}" },
  { "no base: equal fields agree, others conflict", NULL, "{\"a\":1,\"b\":\"m\"}",
    "{\"a\":1,\"b\":\"t\"}", "a=same b=conflict", "{\"a\":1,\"b\":\"t\"}" },
  { "server-managed keys are theirs, not fields", "{\"version\":3,\"a\":1}",
    "{\"version\":3,\"a\":2,\"updatedAt\":\"m\"}", "{\"version\":5,\"a\":1,\"updatedAt\":\"t\"}",
    "a=mine", "{\"version\":5,\"a\":2,\"updatedAt\":\"t\"}" },
  { "an object deleted by mine, a leaf of it changed by theirs",
    "{\"cfg\":{\"a\":1,\"b\":2}}", "{}", "{\"cfg\":{\"a\":1,\"b\":3}}",
    "cfg.a=mine cfg.b=conflict", "{\"cfg\":{\"b\":3}}" },
  { "an empty object added by mine", "{}", "{\"cfg\":{}}", "{}", "cfg=mine",
    "{\"cfg\":{}}" },
  { "Devanagari values", "{\"name\":\"ठमेल\"}", "{\"name\":\"ठमेल चोक\"}",
    "{\"name\":\"ठमेल\"}", "name=mine", "{\"name\":\"ठमेल चोक\"}" },
};

static JsonObject *
parse (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  if (text == NULL)
    return NULL;
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char *
outcome_name (RlMergeOutcome outcome)
{
  switch (outcome)
    {
    case RL_MERGE_SAME:
      return "same";
    case RL_MERGE_THEIRS:
      return "theirs";
    case RL_MERGE_MINE:
      return "mine";
    case RL_MERGE_CONFLICT:
      return "conflict";
    default:
      g_assert_not_reached ();
    }
}

static gboolean
objects_same (JsonObject *a,
              JsonObject *b)
{
  g_autoptr (JsonNode) na = json_node_init_object (json_node_alloc (), a);
  g_autoptr (JsonNode) nb = json_node_init_object (json_node_alloc (), b);

  return rl_json_node_same (na, nb);
}

static char *
to_text (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static void
test_case (gconstpointer data)
{
  const MergeCase *c = data;
  g_autoptr (JsonObject) base = parse (c->base);
  g_autoptr (JsonObject) mine = parse (c->mine);
  g_autoptr (JsonObject) theirs = parse (c->theirs);
  g_autoptr (JsonObject) merged = parse (c->merged);
  g_autoptr (RlMergeResult) result = rl_merge_three_way (base, mine, theirs, ignore);
  g_autoptr (GString) fields = g_string_new (NULL);
  g_autofree char *merged_text = NULL;
  guint            conflicts = 0;

  for (guint i = 0; i < rl_merge_result_get_n_fields (result); i++)
    {
      const RlMergeField *f = rl_merge_result_get_field (result, i);

      g_string_append_printf (fields, "%s%s=%s", i > 0 ? " " : "", f->path,
                              outcome_name (f->outcome));
      if (f->outcome == RL_MERGE_CONFLICT)
        conflicts++;
      g_assert_true (rl_merge_result_lookup (result, f->path) == f);
    }
  g_assert_cmpstr (fields->str, ==, c->fields);
  g_assert_cmpuint (rl_merge_result_get_n_conflicts (result), ==, conflicts);
  merged_text = to_text (rl_merge_result_get_merged (result));
  if (!objects_same (rl_merge_result_get_merged (result), merged))
    g_error ("%s: merged %s, expected %s", c->name, merged_text, c->merged);

  /* The inputs are left as they were. */
  {
    g_autoptr (JsonObject) theirs_again = parse (c->theirs);
    g_autoptr (JsonObject) mine_again = parse (c->mine);

    g_assert_true (objects_same (theirs, theirs_again));
    g_assert_true (objects_same (mine, mine_again));
  }
}

/* Picks on conflicting fields: mine, base, an edited value, a deletion. */
static void
test_picks (void)
{
  g_autoptr (JsonObject) base = parse ("{\"a\":1,\"cfg\":{\"k\":\"b\",\"n\":1},\"gone\":true}");
  g_autoptr (JsonObject) mine = parse ("{\"a\":2,\"cfg\":{\"k\":\"m\",\"n\":1}}");
  g_autoptr (JsonObject) theirs = parse ("{\"a\":3,\"cfg\":{\"k\":\"t\",\"n\":2},\"gone\":false}");
  g_autoptr (RlMergeResult) result = rl_merge_three_way (base, mine, theirs, NULL);
  g_autoptr (JsonObject) expected = parse ("{\"a\":2,\"cfg\":{\"k\":\"edited\",\"n\":2}}");
  g_autoptr (JsonNode) edited = json_node_new (JSON_NODE_VALUE);
  const RlMergeField *a = rl_merge_result_lookup (result, "a");
  const RlMergeField *k = rl_merge_result_lookup (result, "cfg.k");
  const RlMergeField *gone = rl_merge_result_lookup (result, "gone");

  g_assert_cmpuint (rl_merge_result_get_n_conflicts (result), ==, 3);
  g_assert_cmpint (a->outcome, ==, RL_MERGE_CONFLICT);
  g_assert_cmpint (k->outcome, ==, RL_MERGE_CONFLICT);
  g_assert_cmpint (gone->outcome, ==, RL_MERGE_CONFLICT);
  g_assert_null (gone->mine);
  g_assert_cmpint (rl_merge_result_lookup (result, "cfg.n")->outcome, ==, RL_MERGE_THEIRS);

  rl_merge_result_set (result, "a", a->mine);
  json_node_set_string (edited, "edited");
  rl_merge_result_set (result, "cfg.k", edited);
  rl_merge_result_set (result, "gone", gone->mine); /* absent: deleted */
  g_assert_true (objects_same (rl_merge_result_get_merged (result), expected));
  /* The pick copied the value: the input is untouched. */
  g_assert_cmpint (json_object_get_int_member (mine, "a"), ==, 2);
}

static void
test_paths (void)
{
  g_autoptr (JsonObject) object = parse ("{\"a\":{\"b\":{\"c\":1}},\"flat\":2}");
  g_autoptr (JsonNode) value = json_node_new (JSON_NODE_VALUE);

  g_assert_cmpint (json_node_get_int (rl_json_object_get_path (object, "a.b.c")), ==, 1);
  g_assert_null (rl_json_object_get_path (object, "a.x"));
  g_assert_null (rl_json_object_get_path (object, "flat.x"));
  json_node_set_int (value, 7);
  rl_json_object_set_path (object, "flat.x", value); /* a scalar on the way becomes an object */
  g_assert_cmpint (json_node_get_int (rl_json_object_get_path (object, "flat.x")), ==, 7);
  rl_json_object_set_path (object, "a.b.c", NULL);
  g_assert_null (rl_json_object_get_path (object, "a.b.c"));
  g_assert_nonnull (rl_json_object_get_path (object, "a.b"));
  rl_json_object_set_path (object, "nope.deeper", NULL); /* removing nothing is fine */
  g_assert_null (rl_json_object_get_path (object, "nope"));
}

/* A record with an empty key: its path is "" (the merge read before the
 * parts of "" and crashed: tests/fuzz/corpus/merge/crash-empty-key). */
static void
test_empty_key (void)
{
  g_autoptr (JsonObject) base = parse ("{\"\":1,\"x\":{\"\":\"b\"}}");
  g_autoptr (JsonObject) mine = parse ("{\"\":2,\"x\":{\"\":\"m\"}}");
  g_autoptr (JsonObject) theirs = parse ("{\"\":1,\"x\":{\"\":\"t\"}}");
  g_autoptr (RlMergeResult) result = rl_merge_three_way (base, mine, theirs, NULL);
  g_autoptr (JsonObject) expected = parse ("{\"\":2,\"x\":{\"\":\"m\"}}");
  const RlMergeField *top = rl_merge_result_lookup (result, "");
  const RlMergeField *inner = rl_merge_result_lookup (result, "x.");

  g_assert_nonnull (top);
  g_assert_cmpint (top->outcome, ==, RL_MERGE_MINE);
  g_assert_nonnull (inner);
  g_assert_cmpint (inner->outcome, ==, RL_MERGE_CONFLICT);
  g_assert_cmpint (json_node_get_int (rl_json_object_get_path (rl_merge_result_get_merged (result), "")),
                   ==, 2);
  rl_merge_result_set (result, "x.", inner->mine);
  g_assert_true (objects_same (rl_merge_result_get_merged (result), expected));
  rl_merge_result_set (result, "", NULL);
  g_assert_null (rl_json_object_get_path (rl_merge_result_get_merged (result), ""));
}

/* A key with a dot is one key: the merged record gets it as such, and the
 * objects beside it are one value each (the merge set "latitconfig.confidude"
 * as two levels: tests/fuzz/corpus/merge/crash-dotted-key). */
static void
test_dotted_key (void)
{
  g_autoptr (JsonObject) base = parse ("{\"a.b\":1,\"a\":{\"b\":2}}");
  g_autoptr (JsonObject) mine = parse ("{\"a.b\":5,\"a\":{\"b\":2},\"x.y\":true}");
  g_autoptr (JsonObject) theirs = parse ("{\"a.b\":1,\"a\":{\"b\":3}}");
  g_autoptr (RlMergeResult) result = rl_merge_three_way (base, mine, theirs, NULL);
  g_autoptr (JsonObject) expected =
      parse ("{\"a.b\":5,\"a\":{\"b\":3},\"x.y\":true}");
  JsonObject *merged = rl_merge_result_get_merged (result);

  g_assert_cmpuint (rl_merge_result_get_n_fields (result), ==, 3);
  g_assert_cmpint (rl_merge_result_lookup (result, "a")->outcome, ==, RL_MERGE_THEIRS);
  g_assert_cmpint (rl_merge_result_lookup (result, "a.b")->outcome, ==, RL_MERGE_MINE);
  g_assert_cmpint (rl_merge_result_lookup (result, "x.y")->outcome, ==, RL_MERGE_MINE);
  g_assert_true (objects_same (merged, expected));
  g_assert_cmpint (json_node_get_int (rl_json_object_get_path (merged, "a.b")), ==, 5);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (rl_json_object_get_path (merged, "a")));
  /* A pick sets the one key too. */
  rl_merge_result_set (result, "a.b", rl_merge_result_lookup (result, "a.b")->theirs);
  g_assert_cmpint (json_node_get_int (rl_json_object_get_path (merged, "a.b")), ==, 1);
  g_assert_cmpint (json_object_get_size (merged), ==, 3);
}

/* Mine has the key "s.k", theirs an object s with k in it: the key is
 * absent from the merged record (theirs), though the path "s.k" reads
 * theirs' inner k (tests/fuzz/corpus/merge/crash-dotted-key-shadow). */
static void
test_dotted_key_shadow (void)
{
  g_autoptr (JsonObject) mine = parse ("{\"s.k\":{\"set\":true}}");
  g_autoptr (JsonObject) theirs = parse ("{\"s\":{\"k\":\"t\"}}");
  g_autoptr (RlMergeResult) result = rl_merge_three_way (NULL, mine, theirs, NULL);
  const RlMergeField *dotted = rl_merge_result_lookup (result, "s.k");
  const RlMergeField *s = rl_merge_result_lookup (result, "s");

  g_assert_nonnull (dotted);
  g_assert_nonnull (s);
  g_assert_cmpint (dotted->outcome, ==, RL_MERGE_CONFLICT);
  g_assert_null (dotted->theirs);
  g_assert_null (rl_merge_result_get_value (result, dotted));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (rl_merge_result_get_value (result, s)));
  rl_merge_result_set (result, "s.k", dotted->mine);
  g_assert_true (json_node_equal (rl_merge_result_get_value (result, dotted), dotted->mine));
  /* theirs' inner k is untouched. */
  g_assert_cmpstr (json_node_get_string (
                       rl_json_object_get_path (json_node_get_object (rl_merge_result_get_value (result, s)), "k")),
                   ==, "t");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/merge/case/%u", i);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/merge/picks", test_picks);
  g_test_add_func ("/merge/paths", test_paths);
  g_test_add_func ("/merge/empty-key", test_empty_key);
  g_test_add_func ("/merge/dotted-key", test_dotted_key);
  g_test_add_func ("/merge/dotted-key-shadow", test_dotted_key_shadow);
  return g_test_run ();
}
