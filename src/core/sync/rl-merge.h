/* rl-merge.h — three-way merge of two edits of one record, field by field.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * base: the record as it was when the edit was made (may be NULL: unknown);
 * mine: the record with the local edit; theirs: the record as the server has
 * it now. Nested objects are merged field by field and named by dotted paths
 * ("config.apiKey"), as the contract's details.fields names them; an array,
 * or a field that is an object on one side and not on another, is one value.
 * A key that holds a dot is named as it is, and the objects beside it (on
 * any side) are one value each: the merge does not descend past that level,
 * so only the last part of a path may hold dots (rl_json_object_get_path
 * reads a member named by the whole rest of a path first).
 * A field absent from a side is a value too ("absent": deleted or never set),
 * distinct from JSON null.
 *
 * For each field:
 *   mine = theirs               → SAME     (both agree, nothing to do)
 *   mine = base                 → THEIRS   (only the server changed it)
 *   theirs = base               → MINE     (only we changed it)
 *   otherwise, or no base       → CONFLICT (both changed it, differently)
 *
 * The merged record starts from theirs (so fields the server manages, like
 * version, updatedAt or live telemetry, are the server's) and takes mine's
 * value for MINE fields; a CONFLICT field keeps theirs until the caller picks
 * (rl_merge_result_set). Pure: no I/O, no GLib main loop; tested by tables in
 * tests/sync/test-merge.c.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  RL_MERGE_SAME,
  RL_MERGE_THEIRS,
  RL_MERGE_MINE,
  RL_MERGE_CONFLICT,
} RlMergeOutcome;

/* What a person chose for a conflicting field (the conflict editor). */
typedef enum
{
  RL_MERGE_PICK_NONE,
  RL_MERGE_PICK_MINE,
  RL_MERGE_PICK_THEIRS,
  RL_MERGE_PICK_BASE,
  RL_MERGE_PICK_EDITED, /* another value, typed */
} RlMergePick;

typedef struct
{
  const char    *path;   /* dotted */
  JsonNode      *base;   /* NULL: absent (or no base) */
  JsonNode      *mine;   /* NULL: absent */
  JsonNode      *theirs; /* NULL: absent */
  RlMergeOutcome outcome;
  const char    *key; /* the last part of path (a pointer into it): one key, dots and all */
} RlMergeField;

typedef struct _RlMergeResult RlMergeResult;

/* @ignore: top-level keys taken from theirs whatever the sides say (e.g.
 * "version", "updatedAt"), not listed as fields; NULL for none. */
RlMergeResult *rl_merge_three_way (JsonObject        *base,
                                   JsonObject        *mine,
                                   JsonObject        *theirs,
                                   const char *const *ignore);
void           rl_merge_result_free (RlMergeResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlMergeResult, rl_merge_result_free)

/* The fields in path order (every field of any side, but ignored keys). */
guint               rl_merge_result_get_n_fields (RlMergeResult *result);
const RlMergeField *rl_merge_result_get_field (RlMergeResult *result,
                                               guint          index);
const RlMergeField *rl_merge_result_lookup (RlMergeResult *result,
                                            const char    *path);
guint               rl_merge_result_get_n_conflicts (RlMergeResult *result);
/* The merged record (borrowed): theirs with mine's changes, and whatever
 * rl_merge_result_set put in. */
JsonObject *rl_merge_result_get_merged (RlMergeResult *result);
/* @field's value in the merged record (borrowed; NULL: absent), found by
 * its parent path and its key: unlike rl_json_object_get_path, never
 * another field's value spelled the same ("a.b" the key, or b inside a). */
JsonNode *rl_merge_result_get_value (RlMergeResult      *result,
                                     const RlMergeField *field);
/* Sets @path of the merged record to @value (copied), or removes it when
 * @value is NULL: a pick (mine, theirs, base) or an edited value. */
void rl_merge_result_set (RlMergeResult *result,
                          const char    *path,
                          JsonNode      *value);

/* The top-level keys of a record of @entity_type that no merge compares:
 * what the server manages (version, updatedAt, a drop point's live
 * telemetry). NULL-terminated, static. */
const char *const *rl_merge_ignored_keys (const char *entity_type);

/* Dotted-path access to any record, for callers that show or edit fields. */
JsonNode *rl_json_object_get_path (JsonObject *object,
                                   const char *path);
void      rl_json_object_set_path (JsonObject *object,
                                   const char *path,
                                   JsonNode   *value);
/* Equality of two JSON values (NULL = absent), numbers by value (1 = 1.0). */
gboolean rl_json_node_same (JsonNode *a,
                            JsonNode *b);

G_END_DECLS
