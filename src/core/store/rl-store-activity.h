/* rl-store-activity.h — RlStore: the cached runs, run logs and sync-log rows.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs, run logs and sync-log rows do not come through /changes (contract
 * §2): rl-activity.c fetches them page by page and writes each page here
 * in one transaction; the store monitor hears "run", "sync_log" and
 * "run_log" (id: the run's). See docs/activity.md.
 */
#pragma once

#include "rl-store.h"

G_BEGIN_DECLS

/* Writes one page of @entity ("run" or "sync_log") records in one
 * transaction. @owner_key (e.g. "jobId") is set to @owner_id on records
 * that lack it (the contract's sync-log rows do not name their job).
 * A record cached with the same content is not written again: counted in
 * *@out_known; written ones in *@out_written (both may be NULL). */
gboolean rl_store_put_activity_page (RlStore    *self,
                                     const char *entity,
                                     JsonArray  *records,
                                     const char *owner_key,
                                     const char *owner_id,
                                     guint      *out_written,
                                     guint      *out_known,
                                     GError    **error);

/* Replaces the cached log of run @run_id with @lines (the contract's
 * [{timestamp, level, stepId, message}], in any order) in one
 * transaction. */
gboolean rl_store_replace_run_log (RlStore    *self,
                                   const char *run_id,
                                   JsonArray  *lines,
                                   GError    **error);

/* The cached log of @run_id, oldest first, in the contract's shape. */
JsonArray *rl_store_get_run_log (RlStore    *self,
                                 const char *run_id,
                                 GError    **error);
/* Lines cached for @run_id; -1 on error. */
gint64 rl_store_count_run_log (RlStore    *self,
                               const char *run_id);

/* The server answered 404 for run @run_id: drops it and its log (one
 * transaction). Dropping a run that is not cached is no error. */
gboolean rl_store_forget_run (RlStore    *self,
                              const char *run_id,
                              GError    **error);

/* Retention: drops finished runs started before @before_ms (and their
 * logs), log lines older than that, and sync-log rows created before it,
 * in one transaction. Returns the rows dropped, or -1 on error. */
gint64 rl_store_prune_activity (RlStore *self,
                                gint64   before_ms,
                                GError **error);

/* The ids of the cached @entity records ("workflow", "sync_job"), in id
 * order: whose runs and logs to refresh. NULL on error. */
GPtrArray *rl_store_activity_owners (RlStore    *self,
                                     const char *entity);

G_END_DECLS
