/* rl-store-monitor.h — "the cache changed: these tables, these ids", on the main thread.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every write path of the store (the /changes applier, the feed's writer,
 * the outbox, batches) records the (entity, id) pairs it touched while its
 * transaction is open. When the transaction commits they are published to
 * every RlStoreMonitor of the same file, on any connection of this process;
 * a rolled-back transaction publishes nothing. A monitor coalesces what
 * arrives and emits one "changed" signal per dispatch (at most every 50 ms)
 * on the main context it was created in. See docs/lists.md.
 */
#pragma once

#include <gio/gio.h>

#include "rl-store.h"

G_BEGIN_DECLS

/* ---- A set of changes ---------------------------------------------------- */

typedef struct _RlStoreChanges RlStoreChanges;

#define RL_TYPE_STORE_CHANGES (rl_store_changes_get_type ())

/* Above this many ids, an entity is recorded as "the whole table changed". */
#define RL_STORE_CHANGES_MAX_IDS 20000

GType           rl_store_changes_get_type (void) G_GNUC_CONST;
RlStoreChanges *rl_store_changes_new (void);
RlStoreChanges *rl_store_changes_ref (RlStoreChanges *changes);
void            rl_store_changes_unref (RlStoreChanges *changes);
/* @entity: a contract entity name ("alert", "run", …) or "outbox",
 * "quarantine"; @id NULL means every row of it may have changed. */
void     rl_store_changes_add (RlStoreChanges *changes,
                               const char     *entity,
                               const char     *id);
void     rl_store_changes_merge (RlStoreChanges *changes,
                                 RlStoreChanges *other);
gboolean rl_store_changes_is_empty (RlStoreChanges *changes);
/* TRUE when something of @entity changed. */
gboolean rl_store_changes_has_entity (RlStoreChanges *changes,
                                      const char     *entity);
/* TRUE when any row of @entity may have changed (a sweep, a bulk write). */
gboolean rl_store_changes_is_whole (RlStoreChanges *changes,
                                    const char     *entity);
/* The changed ids of @entity (NULL-terminated, free with g_free; the strings
 * are borrowed from @changes), or NULL when none or the whole table. */
const char **rl_store_changes_get_ids (RlStoreChanges *changes,
                                       const char     *entity,
                                       guint          *n_ids);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlStoreChanges, rl_store_changes_unref)

/* ---- The monitor ---------------------------------------------------------- */

#define RL_TYPE_STORE_MONITOR (rl_store_monitor_get_type ())
G_DECLARE_FINAL_TYPE (RlStoreMonitor, rl_store_monitor, RL, STORE_MONITOR, GObject)

/* Watches the file behind @store from the calling thread's default main
 * context. Signal "changed" (RlStoreChanges *changes). */
RlStoreMonitor *rl_store_monitor_new (RlStore *store);
const char     *rl_store_monitor_get_path (RlStoreMonitor *self);

G_END_DECLS
