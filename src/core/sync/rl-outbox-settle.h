/* rl-outbox-settle.h — what the server's answer to an outbox row does to the cache.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The drain (rl-outbox-drain.c) sends a row on the main thread and hands
 * the answer here, in its worker thread: one transaction stores the answer
 * and removes the row, or keeps the row with what went wrong, or merges a
 * 409 and sends it again, or turns it into a local conflict. See
 * docs/sync.md for the table of outcomes.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "rl-merge.h"
#include "rl-store-outbox.h"
#include "rl-sync-engine.h"

G_BEGIN_DECLS

/* How the server answered, as far as the outbox cares. */
typedef enum
{
  RL_SETTLE_REPLY_OK,               /* 2xx: @answer is data */
  RL_SETTLE_REPLY_VERSION_CONFLICT, /* 409 VERSION_CONFLICT: @current */
  RL_SETTLE_REPLY_INVALID_STATE,    /* 409 INVALID_STATE: @current */
  RL_SETTLE_REPLY_REFUSED,          /* any other 4xx: @code, @status, @fields (422) */
  RL_SETTLE_REPLY_TRANSIENT,        /* network, 5xx, 429, bad body: try again at @next_attempt_ms */
} RlSettleReply;

typedef struct
{
  /* In: the row as sent, and the answer (JSON as text: this crosses threads). */
  RlOutboxRow  *row;
  RlSettleReply reply;
  char         *answer; /* the envelope's data, when an object */
  char         *code;   /* error.code */
  guint         status; /* HTTP status */
  char         *message;
  char         *fields;  /* details.fields */
  char         *current; /* details.current */
  gint64        next_attempt_ms;
  char         *user_email; /* who resolves a local conflict */

  /* Out. */
  RlOutboxOutcome outcome;
  char           *conflict_id; /* CONFLICT */
  char           *merge_note;  /* MERGED: which fields were whose */
} RlOutboxSettle;

RlOutboxSettle *rl_outbox_settle_new (RlOutboxRow  *row,
                                      RlSettleReply reply);
void            rl_outbox_settle_free (RlOutboxSettle *settle);

/* In the drain's worker, on its connection. FALSE with @error when the
 * cache could not be written (the row stays as it was) or the row changed
 * meanwhile (RL_STORE_ERROR_NOT_FOUND: nothing to do). */
gboolean rl_outbox_settle_run (RlStore        *store,
                               RlOutboxSettle *settle,
                               GError        **error);

/* ---- Shared with rl-edits.c ---------------------------------------------------- */

/* Top-level keys a merge takes from the server whatever the sides say:
 * version, updatedAt and the fields the server manages (contract §5: a
 * drop point's telemetry, a provider's health and secrets, a sync job's
 * progress, a workflow's last run). NULL-terminated, static. */
const char *const *rl_outbox_ignored_keys (const char *entity);
/* The PATCH body that carries @local's values of the fields @merge found
 * changed on our side (RL_MERGE_MINE): a top-level member whole, a
 * provider's config key by key (an absent key as null, which removes it).
 * An empty object when nothing is ours. */
JsonObject *rl_outbox_patch_body (const char    *entity,
                                  RlMergeResult *merge,
                                  JsonObject    *local);

G_END_DECLS
