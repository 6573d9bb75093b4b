/* rl-store-outbox.h — RlStore: the outbox's rows and the transactions of the drain.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every edit the console makes writes its local state and an outbox row in
 * one transaction (rl_store_outbox_add). The drain (rl-outbox-drain.c)
 * sends the rows and settles each one in one transaction with what the
 * server answered: a row leaves the outbox only in the transaction that
 * stores the answer (or turns it into a local conflict), so a crash at any
 * point loses nothing and the re-sent row (same Idempotency-Key) is
 * replayed by the server, never applied twice. See docs/sync.md.
 *
 * JSON travels as text here: rows are read and settled in worker threads,
 * and json-glib's objects must not be shared between threads.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "rl-list-enums.h"
#include "rl-store.h"

G_BEGIN_DECLS

/* What a row does; its wire name is stored in outbox.kind. */
typedef enum
{
  RL_OUTBOX_KIND_EDIT,          /* "edit": PATCH of a versioned record with If-Match; merges on 409 */
  RL_OUTBOX_KIND_ACTION,        /* "action": POST on a record (acknowledge, retry, run…); the answer is that record */
  RL_OUTBOX_KIND_CREATE,        /* "create": POST that makes a record of extra.answerEntity (a workflow's run) */
  RL_OUTBOX_KIND_SECRET,        /* "secret": PUT of a provider secret; the value is read from the keyring when sent */
  RL_OUTBOX_KIND_RESOLVE,       /* "resolve": POST /conflicts/{id}/resolve of a server conflict, with If-Match */
  RL_OUTBOX_KIND_RESOLVE_LOCAL, /* "resolve-local": PATCH of the entity that resolves local conflict extra.conflictId */
} RlOutboxKind;

const char  *rl_outbox_kind_to_string (RlOutboxKind kind);
RlOutboxKind rl_outbox_kind_from_string (const char *text);

/* One outbox row, as stored. JSON members are text (NULL: none). */
typedef struct
{
  gint64        id;
  gint64        created_ms;
  RlOutboxKind  kind;
  RlOutboxState state;
  char         *method;
  char         *path; /* relative to /api/v1 */
  char         *body;
  char         *if_match; /* "\"7\"", or NULL */
  char         *idempotency_key;
  char         *entity;    /* the record the row is ordered by */
  char         *entity_id; /* (rows of one record go in id order) */
  char         *base;      /* the record as the server had it when the edit was made */
  char         *local;     /* the record with the edit (the local state written) */
  char         *extra;     /* the kind's own data (an object) */
  char         *secret_ref;
  guint         attempts;
  char         *last_error; /* never a secret */
  char         *error_code; /* the server's error.code of a settled failure */
  guint         error_status;
  char         *error_fields;  /* details.fields (422): {dotted path: message} */
  char         *error_current; /* details.current (409): the server's record */
  gint64        next_attempt_ms;
  gint64        updated_ms;
} RlOutboxRow;

void         rl_outbox_row_free (RlOutboxRow *row);
RlOutboxRow *rl_outbox_row_copy (const RlOutboxRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlOutboxRow, rl_outbox_row_free)

/* The version in an If-Match value ("7", "\"7\"", "W/\"7\""), or -1. */
gint64 rl_outbox_parse_if_match (const char *if_match);
/* @text parsed as a JSON object, or NULL. */
JsonObject *rl_outbox_object_from_text (const char *text);
char       *rl_outbox_object_to_text (JsonObject *object);
/* A deep copy of @record with @changes applied as the server applies a
 * PATCH: top-level members replace, except a provider's "config", which is
 * merged one level deep (a key set to null is removed) (contract §5). */
JsonObject *rl_outbox_apply_changes (const char *entity,
                                     JsonObject *record,
                                     JsonObject *changes);

/* ---- Writing rows ---------------------------------------------------------- */

typedef struct
{
  RlOutboxKind kind;
  const char  *method;
  const char  *path;
  JsonNode    *body; /* NULL: none (a secret's value is added when sent) */
  const char  *if_match;
  const char  *entity;
  const char  *entity_id;
  JsonObject  *base;  /* NULL: none */
  JsonObject  *local; /* written as the cached (entity, entity_id) record; NULL: none */
  const char  *secret_ref;
  JsonObject  *extra;
  /* Another record written in the same transaction (a conflict marked
   * resolved); NULL: none. */
  const char *also_entity;
  JsonObject *also_record;
} RlOutboxRowSpec;

/* One transaction: the local record(s) and the row (state pending, a fresh
 * UUID Idempotency-Key). Returns the row id (> 0), 0 on error. */
gint64 rl_store_outbox_add (RlStore               *self,
                            const RlOutboxRowSpec *spec,
                            GError               **error);

/* ---- Reading rows ---------------------------------------------------------- */

RlOutboxRow *rl_store_outbox_get (RlStore *self,
                                  gint64   id,
                                  GError **error);
/* Rows that may be sent now, oldest first, at most @limit: pending rows
 * with no earlier row of the same record (in any state: a failed row holds
 * the record's later rows back until the user settles it) and, when
 * @now_ms ≥ 0, whose next attempt is due by @now_ms. */
GPtrArray *rl_store_outbox_heads (RlStore *self,
                                  gint64   now_ms,
                                  guint    limit,
                                  GError **error);
/* Rows waiting to be sent (state pending) / needing the user (any other
 * state); -1 on error. */
gint64 rl_store_outbox_count_pending (RlStore *self);
gint64 rl_store_outbox_count_attention (RlStore *self);
/* The earliest next attempt of a pending row that is not due at @now_ms,
 * or 0 when none. */
gint64 rl_store_outbox_next_attempt (RlStore *self,
                                     gint64   now_ms);
/* Open conflicts, local and the server's; -1 on error. */
gint64 rl_store_count_open_conflicts (RlStore *self);
/* The resolved conflicts of one record (local and the server's), newest
 * resolution first: its resolution history. */
JsonArray *rl_store_get_resolutions (RlStore    *self,
                                     const char *entity_type,
                                     const char *entity_id,
                                     GError    **error);

/* ---- Settling rows (the drain) ----------------------------------------------
 *
 * Each takes the row as the drain read it and acts only if that row is
 * still there with the same Idempotency-Key; otherwise nothing is written
 * and RL_STORE_ERROR_NOT_FOUND is returned (the user discarded or edited it
 * again meanwhile, or another console process settled it).
 */

/* 2xx: stores @answer (the record the server returned, of @answer_entity;
 * NULL: none) and @also_record, and removes the row, in one transaction.
 * While later rows of the same record wait, the answer goes to the shadow
 * (the cached record keeps their local state) and their If-Match becomes
 * the answer's version: they were made on top of this edit. */
gboolean rl_store_outbox_finish (RlStore           *self,
                                 const RlOutboxRow *row,
                                 const char        *answer_entity,
                                 JsonObject        *answer,
                                 const char        *also_entity,
                                 JsonObject        *also_record,
                                 GError           **error);
/* A transient failure (network, 5xx, 429, a bad body): the row stays
 * pending; counts an attempt, keeps @message, next attempt at
 * @next_attempt_ms (wall clock). */
gboolean rl_store_outbox_defer (RlStore           *self,
                                const RlOutboxRow *row,
                                const char        *message,
                                gint64             next_attempt_ms,
                                GError           **error);
/* A failure the user settles: the row stays with @state (FAILED,
 * INVALID_STATE or SUPERSEDED), the server's @code, @status, @message,
 * @fields (422) and @current (409: the server's record, written to the
 * cache at once unless later rows of the record wait). */
gboolean rl_store_outbox_settle_failed (RlStore           *self,
                                        const RlOutboxRow *row,
                                        RlOutboxState      state,
                                        const char        *code,
                                        guint              status,
                                        const char        *message,
                                        JsonObject        *fields,
                                        JsonObject        *current,
                                        GError           **error);
/* A 409 merged without conflicting fields: the row gets @body, If-Match
 * @current's version, base = @current, local = @merged, @extra and a new
 * Idempotency-Key (the body changed), and is sent again; the cached record
 * becomes @merged. One transaction. */
gboolean rl_store_outbox_resend (RlStore           *self,
                                 const RlOutboxRow *row,
                                 JsonNode          *body,
                                 JsonObject        *current,
                                 JsonObject        *merged,
                                 JsonObject        *extra,
                                 GError           **error);
/* A 409 with conflicting fields: a local conflict {base, local, remote}
 * (contract §2) and the row removed, in one transaction; the cached record
 * becomes @remote. A row that resolved a local conflict reopens that
 * conflict with the new sides instead of making another one. Returns the
 * conflict's id. */
char *rl_store_outbox_to_conflict (RlStore           *self,
                                   const RlOutboxRow *row,
                                   JsonObject        *base,
                                   JsonObject        *local,
                                   JsonObject        *remote,
                                   GError           **error);

/* ---- The user's decisions -------------------------------------------------- */

/* Removes row @id and, unless later rows of the record wait, restores the
 * cached record to the server's last known state: the shadow, else the
 * row's details.current, else its base; a 404 drops the record from the
 * cache; a local conflict the row resolved is open again. One transaction. */
gboolean rl_store_outbox_discard (RlStore *self,
                                  gint64   id,
                                  GError **error);
/* Sends row @id again ("edit again"): pending, no error, a new
 * Idempotency-Key; with @changes (an edit's corrected fields) the body and
 * the local record become the corrected ones. One transaction. */
gboolean rl_store_outbox_retry (RlStore    *self,
                                gint64      id,
                                JsonObject *changes,
                                GError    **error);

/* ---- The shadow --------------------------------------------------------------- */

/* Keeps @record as the server's latest state of a record with unsent edits
 * (only a version ≥ the kept one replaces it). The /changes applier calls
 * it, inside its transaction, for the entries it leaves alone. */
gboolean rl_store_outbox_shadow_put (RlStore    *self,
                                     const char *entity,
                                     const char *entity_id,
                                     gint64      version,
                                     JsonObject *record,
                                     GError    **error);
/* The kept record, or NULL. */
JsonObject *rl_store_outbox_shadow_get (RlStore    *self,
                                        const char *entity,
                                        const char *entity_id);

G_END_DECLS
