/* rl-edits.h — every edit the console makes, through the outbox.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each call writes the new local state and an outbox row in ONE transaction
 * (the cache shows the change at once, the store monitor tells the lists),
 * and returns the row's id: the drain sends it when the server is reachable
 * (rl-sync-engine.h: signal "outbox-settled" with that id tells how it
 * ended). Nothing here talks to the network or blocks on it; each call is
 * one small transaction on the session's cache, on the calling (main)
 * thread. Failures: RL_SESSION_ERROR_NO_CREDENTIALS (signed out),
 * RL_STORE_ERROR_NOT_FOUND (the record is not in the cache),
 * RL_SESSION_ERROR_NO_CHANGE (nothing differs from the cached record),
 * RL_SESSION_ERROR_NOT_ALLOWED (not something this call can send, e.g. a
 * conflict that is not open), RL_STORE_ERROR_* from the cache.
 *
 * Roles are the server's to enforce: a dispatcher's edit of a drop point's
 * name is queued, and the server's 403 marks the row failed for the user.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rl-list-enums.h"
#include "rl-session.h"

G_BEGIN_DECLS

typedef enum
{
  RL_ALERT_ACTION_ACKNOWLEDGE,
  RL_ALERT_ACTION_RESOLVE,
} RlAlertAction;

typedef enum
{
  RL_RUN_ACTION_RETRY,
  RL_RUN_ACTION_CANCEL,
} RlRunAction;

typedef enum
{
  RL_SYNC_JOB_ACTION_RUN,
  RL_SYNC_JOB_ACTION_PAUSE,
  RL_SYNC_JOB_ACTION_RESUME,
} RlSyncJobAction;

/* Changes fields of a cached record: @entity "drop_point" (name, address,
 * latitude, longitude, categories, capacityLiters, status, notes),
 * "provider" (name, role, priority, enabled, config: merged one level
 * deep, a key set to null is removed) or "sync_job" (conflictStrategy,
 * schedule). PATCH with If-Match = the cached version; only the fields that
 * differ from the cached record are sent. */
gint64 rl_session_edit_record (RlSession  *self,
                               const char *entity,
                               const char *id,
                               JsonObject *changes,
                               GError    **error);

/* Acknowledges or resolves alert @alert_id (@note may be NULL); it shows
 * acknowledged (or resolved) by the signed-in user at once. Routed by the
 * alert's source (docs/feed.md "Alert records"):
 * - a server alert: POST /alerts/{id}/acknowledge|resolve {note} through
 *   the outbox; returns the row id (> 0);
 * - a feed or local alert has no server record: written in the cache alone
 *   (status, …By, …At, …Note), no outbox row; returns 0. Acknowledging one
 *   that is not open, or resolving a resolved one, is
 *   RL_SESSION_ERROR_NOT_ALLOWED.
 * Returns -1 on error (RL_STORE_ERROR_NOT_FOUND: not cached). */
gint64 rl_session_alert_action (RlSession    *self,
                                const char   *alert_id,
                                RlAlertAction action,
                                const char   *note,
                                GError      **error);

/* POST /runs/{id}/retry|cancel; a cached run shows queued (or cancelled).
 * Offline a retry is queued; a cancel is RL_SESSION_ERROR_NOT_ALLOWED
 * (docs/activity.md "Offline"). */
gint64 rl_session_run_action (RlSession  *self,
                              const char *run_id,
                              RlRunAction action,
                              GError    **error);

/* POST /workflows/{id}/runs: the run the server starts is cached when the
 * answer comes. */
gint64 rl_session_start_workflow (RlSession  *self,
                                  const char *workflow_id,
                                  GError    **error);

/* POST /sync/jobs/{id}/run|pause|resume; the job shows running, paused or
 * idle at once. Strategy and schedule: rl_session_edit_record. */
gint64 rl_session_sync_job_action (RlSession      *self,
                                   const char     *job_id,
                                   RlSyncJobAction action,
                                   GError        **error);

/* A provider secret by reference: @value goes to the keyring first
 * (rl-secrets), then an outbox row PUT /providers/{id}/secrets/{key} that
 * names the keyring item (secret_ref); the value is read from the keyring
 * when the row is sent, and never reaches SQLite or a log. The provider
 * shows the secret as set (hint "…" + its last 4 characters) at once.
 * Finishes with the row's id (0 and @error on failure: RL_SECRETS_ERROR_*
 * when the keyring refused, and then nothing was queued). */
void   rl_session_set_provider_secret_async (RlSession          *self,
                                             const char         *provider_id,
                                             const char         *key,
                                             const char         *value,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gint64 rl_session_set_provider_secret_finish (RlSession    *self,
                                              GAsyncResult *result,
                                              GError      **error);

/* Resolves conflict @conflict_id with @strategy (LOCAL_WINS, REMOTE_WINS,
 * MERGE or MANUAL), @merged (the full record to keep; required for MERGE
 * and MANUAL, else local or remote) and @comment (may be NULL).
 * - A server conflict: POST /conflicts/{id}/resolve with If-Match; the
 *   conflict shows resolved by the signed-in user at once. If someone else
 *   resolved it first, the answer (409) is stored and the row is marked
 *   SUPERSEDED: the conflict then shows who resolved it and how; no new
 *   conflict is made.
 * - A local conflict (jobId null): PATCH of the record with the fields of
 *   @merged that differ from the conflict's remote, If-Match = the remote's
 *   version; when the server takes it, the conflict is marked resolved in
 *   the same transaction that stores the server's record. Nothing to send
 *   (the merge is the remote) → resolved at once and 0 returned.
 * Returns the row id (> 0), 0 when resolved without sending, -1 on error. */
gint64 rl_session_resolve_conflict (RlSession         *self,
                                    const char        *conflict_id,
                                    RlConflictStrategy strategy,
                                    JsonObject        *merged,
                                    const char        *comment,
                                    GError           **error);

G_END_DECLS
