/* rl-sync-engine.h — the session's sync engine: pulling /changes on a schedule,
 * draining the outbox, and the user's decisions on rows the server refused.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine lives in the RlSession (rl-session-engine.c: the pull,
 * rl-outbox-drain.c: the drain, rl-outbox-settle.c: what each answer does to
 * the cache). Edits enter through rl-edits.h. See docs/sync.md.
 *
 * Properties it adds to RlSession (all notify, read-only unless said):
 *   syncing          a pull of /changes is running
 *   draining         the outbox is being sent
 *   pull-interval    seconds between periodic pulls (read-write; default 30;
 *                    0 = none), backed off while the server fails
 *   last-sync-error  (GError, boxed; NULL when fine) the last failure of a
 *                    pull or of sending the outbox, cleared by the next
 *                    success of the same; rl_session_get_last_sync_error()
 *   has-sync-error   last-sync-error is set
 *   next-retry       wall-clock ms of the next automatic retry after a
 *                    failure (0: none)
 *   failed-changes   outbox rows waiting for the user (refused, invalid
 *                    state, superseded)
 *   open-conflicts   open conflicts, local and the server's
 *   auto-drain       (read-write, default TRUE) send rows as soon as the
 *                    server is reachable; off, only rl_session_drain_async
 *                    sends them (the command line, tests)
 * and pending-changes (rl-session.h) counts rows waiting to be sent.
 *
 * Signal "outbox-settled" (gint64 row_id, RlOutboxOutcome outcome,
 * const char *conflict_id, GError *error): a row was sent and the answer
 * stored (SENT, the row is gone), merged and sent again (MERGED), turned
 * into a local conflict (CONFLICT, @conflict_id), refused (FAILED: the row
 * now waits for the user, @error says why), or deferred after a transient
 * failure (DEFERRED, @error). Emitted on the main thread.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rl-session.h"

G_BEGIN_DECLS

typedef enum
{
  RL_OUTBOX_OUTCOME_SENT,
  RL_OUTBOX_OUTCOME_MERGED,
  RL_OUTBOX_OUTCOME_CONFLICT,
  RL_OUTBOX_OUTCOME_FAILED,
  RL_OUTBOX_OUTCOME_DEFERRED,
} RlOutboxOutcome;

/* What drains did, for the command line's summary. */
typedef struct
{
  guint sent;      /* stored the server's answer and removed */
  guint merged;    /* 409 merged automatically and sent again */
  guint conflicts; /* became local conflicts */
  guint failed;    /* refused: wait for the user */
  guint deferred;  /* transient failures: will be sent again */
  guint pending;   /* rows still waiting to be sent when it ended */
  guint attention; /* rows waiting for the user when it ended */
} RlDrainStats;

/* ---- Pull ------------------------------------------------------------------- */

guint rl_session_get_pull_interval (RlSession *self);
/* Seconds between periodic pulls; 0 turns them off. */
void rl_session_set_pull_interval (RlSession *self,
                                   guint      seconds);
/* Pulls now (Ctrl+R), in the background: never blocks, never overlaps a
 * running pull (one more pull follows it instead). */
void rl_session_pull_now (RlSession *self);
/* The same, finishing when a pull that started after this call ends:
 * TRUE, or that pull's error. */
void     rl_session_pull_async (RlSession          *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data);
gboolean rl_session_pull_finish (RlSession    *self,
                                 GAsyncResult *result,
                                 GError      **error);

gboolean      rl_session_get_syncing (RlSession *self);
gboolean      rl_session_get_draining (RlSession *self);
const GError *rl_session_get_last_sync_error (RlSession *self);
gint64        rl_session_get_next_retry (RlSession *self);
guint         rl_session_get_failed_changes (RlSession *self);
guint         rl_session_get_open_conflicts (RlSession *self);

/* ---- Drain ------------------------------------------------------------------ */

gboolean rl_session_get_auto_drain (RlSession *self);
void     rl_session_set_auto_drain (RlSession *self,
                                    gboolean   auto_drain);
/* Sends every row that can go now (rows waiting on a back-off are sent too)
 * and finishes when a drain that started after this call ends: TRUE with
 * its figures, or the transient error that stopped it (the rows stay and
 * are sent later). Refused rows are not errors: see stats->failed. */
void     rl_session_drain_async (RlSession          *self,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data);
gboolean rl_session_drain_finish (RlSession    *self,
                                  GAsyncResult *result,
                                  RlDrainStats *out_stats,
                                  GError      **error);

/* ---- The user's decisions on refused rows -------------------------------- */

/* "Edit again": sends row @outbox_id again with a new Idempotency-Key;
 * @changes (may be NULL: as it was) replaces an edit's fields, and the
 * local record shows the corrected edit. A row being sent now →
 * RL_SESSION_ERROR_BUSY. */
gboolean rl_session_outbox_retry (RlSession  *self,
                                  gint64      outbox_id,
                                  JsonObject *changes,
                                  GError    **error);
/* "Discard": removes row @outbox_id and restores the local record to the
 * server's last known state (a record the server no longer has leaves the
 * cache; a local conflict the row resolved opens again). A row being sent
 * now → RL_SESSION_ERROR_BUSY. */
gboolean rl_session_outbox_discard (RlSession *self,
                                    gint64     outbox_id,
                                    GError   **error);

/* A record's resolution history: its resolved conflicts (local and the
 * server's), newest first, each {…, resolution: {strategy, merged,
 * comment, resolvedBy, resolvedAt}}. Read in a worker thread. */
void       rl_session_list_resolutions_async (RlSession          *self,
                                              const char         *entity_type,
                                              const char         *entity_id,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
JsonArray *rl_session_list_resolutions_finish (RlSession    *self,
                                               GAsyncResult *result,
                                               GError      **error);

G_END_DECLS
