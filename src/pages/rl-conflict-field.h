/* rl-conflict-field.h — one field of a conflict, as the conflict editor shows and picks it.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rl-core-enums.h"
#include "rl-merge.h"

G_BEGIN_DECLS

#define RL_TYPE_CONFLICT_FIELD (rl_conflict_field_get_type ())
G_DECLARE_FINAL_TYPE (RlConflictField, rl_conflict_field, RL, CONFLICT_FIELD, GObject)

/* Properties: path, base-text, mine-text, theirs-text (NULL: absent),
 * outcome (RlMergeOutcome), pick (RlMergePick), edited-text, error (the
 * worded reason an edited value is refused, or NULL), resolved (the field
 * needs nothing more: not a conflict, or picked with a valid value). */
RlConflictField *rl_conflict_field_new (const char         *entity_type,
                                        const RlMergeField *field);

const char    *rl_conflict_field_get_path (RlConflictField *self);
RlMergeOutcome rl_conflict_field_get_outcome (RlConflictField *self);
RlMergePick    rl_conflict_field_get_pick (RlConflictField *self);
gboolean       rl_conflict_field_get_resolved (RlConflictField *self);
const char    *rl_conflict_field_get_error (RlConflictField *self);
const char    *rl_conflict_field_get_text (RlConflictField *self,
                                           RlMergePick      side);

/* Picks a side (MINE, THEIRS, BASE) or EDITED (then @edited_text is read as
 * a value of the field's kind and checked by its rules). */
void rl_conflict_field_pick (RlConflictField *self,
                             RlMergePick      pick,
                             const char      *edited_text);
/* The value picked (NULL: absent, or nothing valid picked yet: see
 * resolved), borrowed. */
JsonNode *rl_conflict_field_get_value (RlConflictField *self);

G_END_DECLS
