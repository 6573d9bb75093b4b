/* rl-conflict-view.h — one conflict, field by field: base, mine, theirs, and a pick per field.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Set a contract conflict record ({id, jobId, entityType, entityId, base,
 * local, remote, …, status, resolution}); the view merges base / local
 * (mine) / remote (theirs) field by field (rl_merge_three_way): fields
 * changed on one side only are merged and shown as such, fields changed on
 * both sides differently wait for a pick (mine, theirs, base, or a typed
 * value checked by the field's rules). "N of M fields resolved"; Alt+N moves
 * to the next field to decide; Resolve emits "resolve" with the strategy
 * (local_wins when every pick is mine, remote_wins when every pick is
 * theirs, manual otherwise), the merged record and the comment.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "rl-list-enums.h"

G_BEGIN_DECLS

#define RL_TYPE_CONFLICT_VIEW (rl_conflict_view_get_type ())
G_DECLARE_FINAL_TYPE (RlConflictView, rl_conflict_view, RL, CONFLICT_VIEW, GtkWidget)

GtkWidget *rl_conflict_view_new (void);
/* @conflict: a contract conflict record, or NULL to show nothing. */
void        rl_conflict_view_set_conflict (RlConflictView *self,
                                           JsonObject     *conflict);
JsonObject *rl_conflict_view_get_conflict (RlConflictView *self);

/* Properties n-conflicts, n-resolved, can-resolve (all notify). */
guint    rl_conflict_view_get_n_conflicts (RlConflictView *self);
guint    rl_conflict_view_get_n_resolved (RlConflictView *self);
gboolean rl_conflict_view_get_can_resolve (RlConflictView *self);

/* Picks a side (RL_MERGE_PICK_MINE or _THEIRS) for every field still to
 * decide. */
void rl_conflict_view_pick_all (RlConflictView *self,
                                int             pick);
/* Focuses the next field still to decide after the focused one (Alt+N);
 * FALSE when every field is decided. */
gboolean rl_conflict_view_next_unresolved (RlConflictView *self);
/* A note above the fields (e.g. "Someone else resolved it first"), kept
 * until changed; NULL for none. */
void rl_conflict_view_set_note (RlConflictView *self,
                                const char     *note);

G_END_DECLS
