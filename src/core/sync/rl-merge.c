/* rl-merge.c — three-way merge of two edits of one record, field by field.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rl-merge.h"

struct _RlMergeResult
{
  JsonObject *base; /* references, or NULL */
  JsonObject *mine;
  JsonObject *theirs;
  JsonObject *merged; /* a deep copy of theirs, then the merge */
  GArray     *fields; /* RlMergeField, path owned */
  guint       n_conflicts;
};

/* ---- JSON helpers ------------------------------------------------------------ */

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

gboolean
rl_json_node_same (JsonNode *a,
                   JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (is_number (a) && is_number (b))
    return json_node_get_double (a) == json_node_get_double (b);
  return json_node_equal (a, b);
}

static JsonNode *deep_copy (JsonNode *node);

static JsonObject *
deep_copy_object (JsonObject *object)
{
  JsonObject    *copy = json_object_new ();
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &member))
    json_object_set_member (copy, key, deep_copy (member));
  return copy;
}

/* json_node_copy shares objects and arrays: a merged record is changed
 * later, so it must own all of its levels. (json_node_init_object takes a
 * reference of its own: the copy's first one was leaked, 10 KB a merge of
 * a workflow, found by tests/fuzz/fuzz-merge once G_SLICE=always-malloc
 * let LeakSanitizer see it.) */
static JsonNode *
deep_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr (JsonObject) copy = deep_copy_object (json_node_get_object (node));

      return json_node_init_object (json_node_alloc (), copy);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr (JsonArray) copy = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy, deep_copy (json_array_get_element (array, i)));
      return json_node_init_array (json_node_alloc (), copy);
    }
  return json_node_copy (node);
}

/* Walks @object down @path to the object that holds its last part, which
 * goes to *@out_key (a pointer into @path). At each level a member named by
 * the whole rest of the path is that member: a key may hold dots, and the
 * merge never descends past a level that has one (walk), so only the last
 * part of a field's path may; otherwise the rest up to its first dot is the
 * next level. NULL when a level is missing or not an object, unless
 * @create makes it. (g_strsplit read "a.b" as two levels when it was one
 * key, and gave no part at all for the empty key: a read before the array
 * and a crash. Both found by tests/fuzz/fuzz-merge.) */
static JsonObject *
walk_to_parent (JsonObject  *object,
                const char  *path,
                gboolean     create,
                const char **out_key)
{
  for (;;)
    {
      g_autofree char *head = NULL;
      const char      *dot = strchr (path, '.');
      JsonNode        *next;

      if (dot == NULL || json_object_has_member (object, path))
        {
          *out_key = path;
          return object;
        }
      head = g_strndup (path, (gsize) (dot - path));
      next = json_object_get_member (object, head);
      if (next == NULL || !JSON_NODE_HOLDS_OBJECT (next))
        {
          if (!create)
            return NULL;
          json_object_set_object_member (object, head, json_object_new ());
          next = json_object_get_member (object, head);
        }
      object = json_node_get_object (next);
      path = dot + 1;
    }
}

JsonNode *
rl_json_object_get_path (JsonObject *object,
                         const char *path)
{
  const char *key;

  g_return_val_if_fail (path != NULL, NULL);

  if (object == NULL || (object = walk_to_parent (object, path, FALSE, &key)) == NULL)
    return NULL;
  return json_object_get_member (object, key);
}

/* Sets (or removes, @value NULL) @key of the object at @parent_path (NULL:
 * @object itself), made on the way when needed. */
static void
set_member_at (JsonObject *object,
               const char *parent_path,
               const char *key,
               JsonNode   *value)
{
  if (parent_path != NULL)
    {
      const char *last;
      JsonNode   *node;

      if ((object = walk_to_parent (object, parent_path, value != NULL, &last)) == NULL)
        return; /* nothing to remove there */
      node = json_object_get_member (object, last);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          if (value == NULL)
            return;
          json_object_set_object_member (object, last, json_object_new ());
          node = json_object_get_member (object, last);
        }
      object = json_node_get_object (node);
    }
  if (value == NULL)
    json_object_remove_member (object, key);
  else
    json_object_set_member (object, key, deep_copy (value));
}

void
rl_json_object_set_path (JsonObject *object,
                         const char *path,
                         JsonNode   *value)
{
  const char *key;

  g_return_if_fail (object != NULL);
  g_return_if_fail (path != NULL);

  if ((object = walk_to_parent (object, path, value != NULL, &key)) == NULL)
    return; /* nothing to remove there */
  if (value == NULL)
    json_object_remove_member (object, key);
  else
    json_object_set_member (object, key, deep_copy (value));
}

/* A field's value in the merged record: its key is set as one key, dots
 * and all, in the object its parent path names. */
static void
set_field (JsonObject         *merged,
           const RlMergeField *field,
           JsonNode           *value)
{
  g_autofree char *parent = NULL;

  if (field->key != field->path)
    parent = g_strndup (field->path, (gsize) (field->key - field->path - 1));
  set_member_at (merged, parent, field->key, value);
}

/* ---- What is not merged ------------------------------------------------------------ */

const char *const *
rl_merge_ignored_keys (const char *entity_type)
{
  /* Contract §5: server-managed fields change without a version bump. */
  static const char *const any[] = { "id", "version", "updatedAt", NULL };
  static const char *const drop_point[] = { "id", "version", "updatedAt",
                                            "fillLevel", "weight", "temperature",
                                            "humidity", "batteryLevel", "isOnline",
                                            "lastReadingAt", NULL };
  static const char *const provider[] = { "id", "version", "updatedAt", "health", "secrets", NULL };
  static const char *const workflow[] = { "id", "version", "updatedAt", "lastRun", NULL };
  static const char *const sync_job[] = { "id", "version", "updatedAt",
                                          "status", "lastRunAt", "lastSuccessAt",
                                          "recordsProcessed", "recordsFailed", "lagSeconds",
                                          NULL };

  if (g_strcmp0 (entity_type, "drop_point") == 0)
    return drop_point;
  if (g_strcmp0 (entity_type, "provider") == 0)
    return provider;
  if (g_strcmp0 (entity_type, "workflow") == 0)
    return workflow;
  if (g_strcmp0 (entity_type, "sync_job") == 0)
    return sync_job;
  return any;
}

/* ---- The merge ------------------------------------------------------------------ */

static RlMergeOutcome
decide (gboolean  has_base,
        JsonNode *base,
        JsonNode *mine,
        JsonNode *theirs)
{
  if (rl_json_node_same (mine, theirs))
    return RL_MERGE_SAME;
  if (!has_base)
    return RL_MERGE_CONFLICT;
  if (rl_json_node_same (mine, base))
    return RL_MERGE_THEIRS;
  if (rl_json_node_same (theirs, base))
    return RL_MERGE_MINE;
  return RL_MERGE_CONFLICT;
}

static void
add_keys (GPtrArray  *keys,
          GHashTable *seen,
          JsonObject *object)
{
  JsonObjectIter iter;
  const char    *key;

  if (object == NULL)
    return;
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, NULL))
    if (g_hash_table_add (seen, (gpointer) key))
      g_ptr_array_add (keys, (gpointer) key);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Every present node is an object (and one is present): merge inside. */
static gboolean
all_objects (JsonNode *a,
             JsonNode *b,
             JsonNode *c)
{
  JsonNode *nodes[] = { a, b, c };
  gboolean  any = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      if (nodes[i] == NULL)
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (nodes[i]))
        return FALSE;
      any = TRUE;
    }
  return any;
}

static JsonObject *
object_of (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* @path is taken; its last @key_length bytes are the key. */
static void
add_field (RlMergeResult *result,
           gboolean       has_base,
           char          *path,
           gsize          key_length,
           JsonNode      *base,
           JsonNode      *mine,
           JsonNode      *theirs)
{
  RlMergeField field = { path, base, mine, theirs, decide (has_base, base, mine, theirs),
                         path + strlen (path) - key_length };

  if (field.outcome == RL_MERGE_CONFLICT)
    result->n_conflicts++;
  else if (field.outcome == RL_MERGE_MINE)
    set_field (result->merged, &field, mine);
  g_array_append_val (result->fields, field);
}

/* A key a dotted path cannot name as a level: the merge does not descend
 * past a level that has one (its objects are one value each). */
static gboolean
has_dotted_key (JsonObject *object)
{
  JsonObjectIter iter;
  const char    *key;

  if (object == NULL)
    return FALSE;
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, NULL))
    if (strchr (key, '.') != NULL)
      return TRUE;
  return FALSE;
}

static void
walk (RlMergeResult     *result,
      gboolean           has_base,
      const char        *prefix,
      JsonObject        *base,
      JsonObject        *mine,
      JsonObject        *theirs,
      const char *const *ignore)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean flat = has_dotted_key (base) || has_dotted_key (mine) || has_dotted_key (theirs);

  add_keys (keys, seen, base);
  add_keys (keys, seen, mine);
  add_keys (keys, seen, theirs);
  g_ptr_array_sort (keys, compare_keys);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      JsonNode   *b = base != NULL ? json_object_get_member (base, key) : NULL;
      JsonNode   *m = mine != NULL ? json_object_get_member (mine, key) : NULL;
      JsonNode   *t = theirs != NULL ? json_object_get_member (theirs, key) : NULL;
      char       *path;

      if (prefix == NULL && ignore != NULL && g_strv_contains (ignore, key))
        continue;
      path = prefix != NULL ? g_strconcat (prefix, ".", key, NULL) : g_strdup (key);
      if (!flat && all_objects (b, m, t))
        {
          JsonObject *ob = object_of (b), *om = object_of (m), *ot = object_of (t);
          guint       before = result->fields->len;

          walk (result, has_base, path, ob, om, ot, NULL);
          /* Empty objects ({}, or {} against absent): no field inside tells
           * the sides apart, the object itself does when one side lacks it. */
          if (result->fields->len == before && !(m != NULL && t != NULL))
            add_field (result, has_base, g_steal_pointer (&path), strlen (key), b, m, t);
          g_free (path);
          continue;
        }
      add_field (result, has_base, path, strlen (key), b, m, t);
    }
}

RlMergeResult *
rl_merge_three_way (JsonObject        *base,
                    JsonObject        *mine,
                    JsonObject        *theirs,
                    const char *const *ignore)
{
  RlMergeResult *result;

  g_return_val_if_fail (mine != NULL, NULL);
  g_return_val_if_fail (theirs != NULL, NULL);

  result = g_new0 (RlMergeResult, 1);
  result->base = base != NULL ? json_object_ref (base) : NULL;
  result->mine = json_object_ref (mine);
  result->theirs = json_object_ref (theirs);
  result->merged = deep_copy_object (theirs);
  result->fields = g_array_new (FALSE, FALSE, sizeof (RlMergeField));
  walk (result, base != NULL, NULL, base, mine, theirs, ignore);
  return result;
}

void
rl_merge_result_free (RlMergeResult *result)
{
  if (result == NULL)
    return;
  for (guint i = 0; i < result->fields->len; i++)
    g_free ((char *) g_array_index (result->fields, RlMergeField, i).path);
  g_array_unref (result->fields);
  json_object_unref (result->merged);
  json_object_unref (result->theirs);
  json_object_unref (result->mine);
  g_clear_pointer (&result->base, json_object_unref);
  g_free (result);
}

guint
rl_merge_result_get_n_fields (RlMergeResult *result)
{
  g_return_val_if_fail (result != NULL, 0);

  return result->fields->len;
}

const RlMergeField *
rl_merge_result_get_field (RlMergeResult *result,
                           guint          index)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (index < result->fields->len, NULL);

  return &g_array_index (result->fields, RlMergeField, index);
}

const RlMergeField *
rl_merge_result_lookup (RlMergeResult *result,
                        const char    *path)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  for (guint i = 0; i < result->fields->len; i++)
    if (g_str_equal (g_array_index (result->fields, RlMergeField, i).path, path))
      return &g_array_index (result->fields, RlMergeField, i);
  return NULL;
}

guint
rl_merge_result_get_n_conflicts (RlMergeResult *result)
{
  g_return_val_if_fail (result != NULL, 0);

  return result->n_conflicts;
}

JsonObject *
rl_merge_result_get_merged (RlMergeResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  return result->merged;
}

JsonNode *
rl_merge_result_get_value (RlMergeResult      *result,
                           const RlMergeField *field)
{
  JsonObject *object;

  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  object = result->merged;
  if (field->key != field->path)
    {
      g_autofree char *parent = g_strndup (field->path, (gsize) (field->key - field->path - 1));
      JsonNode        *node = rl_json_object_get_path (object, parent);

      /* The parent's parts hold no dots: the merge descends only there. */
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      object = json_node_get_object (node);
    }
  return json_object_get_member (object, field->key);
}

void
rl_merge_result_set (RlMergeResult *result,
                     const char    *path,
                     JsonNode      *value)
{
  const RlMergeField *field;

  g_return_if_fail (result != NULL);
  g_return_if_fail (path != NULL);

  if ((field = rl_merge_result_lookup (result, path)) != NULL)
    set_field (result->merged, field, value);
  else
    rl_json_object_set_path (result->merged, path, value);
}
