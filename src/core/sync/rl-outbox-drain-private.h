/* rl-outbox-drain-private.h — what the drain's files share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rl-outbox-drain.c: passes and sending; rl-outbox-drain-jobs.c: the
 * worker that reads rows and stores answers. All on the main thread but
 * the jobs' bodies.
 */
#pragma once

#include "rl-backoff.h"
#include "rl-outbox-settle.h"
#include "rl-session-private.h"
#include "rl-store-outbox.h"

G_BEGIN_DECLS

struct _RlOutboxDrain
{
  gint          ref_count; /* main thread only */
  RlSession    *session;   /* NULL once the session let go of it */
  RlStore      *store;     /* the worker's connection: one job at a time */
  GCancellable *cancellable;
  RlBackoff     backoff;
  guint         failures; /* consecutive transient failures */
  guint         retry_source;

  gboolean    running;    /* a pass is under way */
  gboolean    again;      /* another pass right after this one */
  gboolean    force;      /* this pass sends rows waiting on a back-off too */
  gboolean    force_next; /* … and so must the next one */
  gboolean    stopping;   /* a transient failure: send nothing more this pass */
  gboolean    dirty;      /* the outbox may have new head rows */
  gboolean    fetching;
  GQueue      queue;        /* RlOutboxRow*: read, not sent yet */
  GHashTable *busy_records; /* "entity\x1fid" of rows being sent or settled */
  GHashTable *busy_rows;    /* gint64* row ids, same */
  guint       n_in_flight;

  GQueue   jobs; /* Job*: for the worker, in order */
  gboolean worker_busy;

  GPtrArray   *waiters;      /* GTask*: of this pass */
  GPtrArray   *waiters_next; /* GTask*: of the next pass */
  RlDrainStats stats;
  GError      *pass_error;
};

RlOutboxDrain *rl_outbox_drain_ref (RlOutboxDrain *drain);
void           rl_outbox_drain_unref (RlOutboxDrain *drain);
/* "entity\x1fid": the record a row is ordered by. */
char *rl_outbox_drain_record_key (const RlOutboxRow *row);
/* The row's answer is stored (or dropped): its record may be sent again. */
void rl_outbox_drain_unmark_busy (RlOutboxDrain *drain,
                                  const char    *key,
                                  gint64         row_id);
/* Sends what may go now, reads more head rows, or ends the pass. */
void rl_outbox_drain_pump (RlOutboxDrain *drain);

/* rl-outbox-drain-jobs.c */
/* Reads the head rows that may go now into the drain's queue. */
void rl_outbox_drain_fetch (RlOutboxDrain *drain);
/* Stores @settle's answer (takes it); @reason (copied) is what the
 * "outbox-settled" signal tells of a failure. */
void rl_outbox_drain_queue_settle (RlOutboxDrain  *drain,
                                   RlOutboxSettle *settle,
                                   const GError   *reason);

G_END_DECLS
