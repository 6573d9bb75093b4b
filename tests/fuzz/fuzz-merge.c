/* fuzz-merge.c — the three-way merge of two edits of one record
 * (src/core/sync/rl-merge.c).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a JSON array [base, mine, theirs, entity]: base an object or null
 * (unknown), mine and theirs objects, entity an optional string naming the
 * ignored keys. Each field's outcome is what rl-merge.h's table says for
 * its three values; the merged record holds theirs for SAME and THEIRS
 * fields and mine for MINE fields; picking mine for every conflict then
 * gives mine for every field but the THEIRS ones.
 */
#include "fuzz-util.h"
#include "rl-merge.h"

static JsonObject *
object_at (JsonArray *array,
           guint      index)
{
  JsonNode *node;

  if (index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
check_field (RlMergeResult      *result,
             const RlMergeField *field,
             gboolean            has_base)
{
  JsonNode *now = rl_merge_result_get_value (result, field);

  switch (field->outcome)
    {
    case RL_MERGE_SAME:
      g_assert_true (rl_json_node_same (field->mine, field->theirs));
      g_assert_true (rl_json_node_same (now, field->theirs));
      break;
    case RL_MERGE_THEIRS:
      g_assert_true (has_base);
      g_assert_false (rl_json_node_same (field->mine, field->theirs));
      g_assert_true (rl_json_node_same (field->mine, field->base));
      g_assert_true (rl_json_node_same (now, field->theirs));
      break;
    case RL_MERGE_MINE:
      g_assert_true (has_base);
      g_assert_false (rl_json_node_same (field->mine, field->theirs));
      g_assert_false (rl_json_node_same (field->mine, field->base));
      g_assert_true (rl_json_node_same (field->theirs, field->base));
      if (!rl_json_node_same (now, field->mine))
        g_error ("field %s: MINE, but the merged record does not hold mine", field->path);
      break;
    case RL_MERGE_CONFLICT:
      g_assert_false (rl_json_node_same (field->mine, field->theirs));
      g_assert_true (!has_base
                     || (!rl_json_node_same (field->mine, field->base)
                         && !rl_json_node_same (field->theirs, field->base)));
      if (!rl_json_node_same (now, field->theirs))
        g_error ("field %s: a conflict, but the merged record does not hold theirs", field->path);
      break;
    default:
      g_assert_not_reached ();
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
  g_autoptr (RlMergeResult) result = NULL;
  JsonNode          *root;
  JsonArray         *sides;
  JsonObject        *base, *mine, *theirs, *merged;
  const char        *entity = NULL;
  const char *const *ignore;
  guint              n_conflicts = 0;

  if (!g_utf8_validate ((const char *) data, (gssize) size, NULL)
      || !json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return 0;
  sides = json_node_get_array (root);
  base = object_at (sides, 0);
  mine = object_at (sides, 1);
  theirs = object_at (sides, 2);
  if (mine == NULL || theirs == NULL)
    return 0;
  if (json_array_get_length (sides) > 3)
    {
      JsonNode *node = json_array_get_element (sides, 3);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        entity = json_node_get_string (node);
    }
  ignore = rl_merge_ignored_keys (entity);
  g_assert_nonnull (ignore);

  result = rl_merge_three_way (base, mine, theirs, ignore);
  g_assert_nonnull (result);
  merged = rl_merge_result_get_merged (result);
  g_assert_nonnull (merged);

  for (guint i = 0; i < rl_merge_result_get_n_fields (result); i++)
    {
      const RlMergeField *field = rl_merge_result_get_field (result, i);
      const RlMergeField *found = rl_merge_result_lookup (result, field->path);

      g_assert_nonnull (found);
      g_assert_cmpstr (found->path, ==, field->path);
      check_field (result, field, base != NULL);
      if (field->outcome == RL_MERGE_CONFLICT)
        n_conflicts++;
    }
  g_assert_cmpuint (n_conflicts, ==, rl_merge_result_get_n_conflicts (result));

  /* Mine for every conflict: the merged record now holds mine everywhere. */
  for (guint i = 0; i < rl_merge_result_get_n_fields (result); i++)
    {
      const RlMergeField *field = rl_merge_result_get_field (result, i);

      if (field->outcome == RL_MERGE_CONFLICT)
        rl_merge_result_set (result, field->path, field->mine);
    }
  for (guint i = 0; i < rl_merge_result_get_n_fields (result); i++)
    {
      const RlMergeField *field = rl_merge_result_get_field (result, i);

      if (field->outcome != RL_MERGE_THEIRS
          && !rl_json_node_same (rl_merge_result_get_value (result, field), field->mine))
        g_error ("field %s: mine picked for every conflict, but the merged record does not "
                 "hold mine",
                 field->path);
    }
  return 0;
}
