/* rl-store.h — the console's SQLite cache: schema, migrations, batches, outbox.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One file per server (rl_store_path_for_server). An RlStore is one SQLite
 * connection: use it from one thread at a time. A worker thread opens its
 * own RlStore on the same path (WAL mode lets readers and one writer share
 * the file). See docs/storage.md.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define RL_STORE_ERROR (rl_store_error_quark ())

typedef enum
{
  RL_STORE_ERROR_OPEN,       /* cannot create/open the file or its directory */
  RL_STORE_ERROR_CORRUPT,    /* not an SQLite database, or damaged */
  RL_STORE_ERROR_TOO_NEW,    /* written by a newer console: left untouched */
  RL_STORE_ERROR_MIGRATION,  /* a migration step failed (rolled back) */
  RL_STORE_ERROR_CONSTRAINT, /* a constraint was violated */
  RL_STORE_ERROR_BAD_RECORD, /* a record lacks its id or has wrong types */
  RL_STORE_ERROR_UNKNOWN_ENTITY,
  RL_STORE_ERROR_NOT_FOUND,
  RL_STORE_ERROR_BUSY,   /* the database stayed locked past the busy timeout */
  RL_STORE_ERROR_FAILED, /* any other SQLite error */
} RlStoreError;

GQuark rl_store_error_quark (void);

/* The schema version rl_store_open() migrates to. */
#define RL_STORE_SCHEMA_VERSION 9

#define RL_TYPE_STORE (rl_store_get_type ())
G_DECLARE_FINAL_TYPE (RlStore, rl_store, RL, STORE, GObject)

/* Entity names are the contract's (§2 "Changes feed") plus the ones that only
 * come from lists: "drop_point", "alert", "provider", "workflow", "sync_job",
 * "conflict", "provider_type", "run", "sync_log". */
gboolean rl_store_is_known_entity (const char *entity);

/* $XDG_DATA_HOME/reloop-console/servers/<host>-<port>-<sha256[0:12]>.sqlite
 * for a server URL, normalised by rl_url_validate_server (the digest is of
 * its form with the port written out). NULL when the URL is not a valid
 * server address. */
char *rl_store_path_for_server (const char *server_url);

/* Opens (creating the directory 0700 and the file 0600 first) and migrates to
 * RL_STORE_SCHEMA_VERSION. */
RlStore *rl_store_open (const char *path,
                        GError    **error);
/* Same, but migrates only up to @version (1..RL_STORE_SCHEMA_VERSION): for
 * tests that build files of earlier versions. Writes through such a store are
 * undefined beyond raw SQL (rl_store_exec). */
RlStore *rl_store_open_at_version (const char *path,
                                   guint       version,
                                   GError    **error);

const char *rl_store_get_path (RlStore *self);
guint       rl_store_get_schema_version (RlStore *self);
/* Bytes on disk: the database plus its -wal file. */
gint64 rl_store_get_size (RlStore *self);

/* For a connection that writes page after page of records (the sync's
 * worker): a page cache of 64 MB, so that a page of records and the index
 * pages it touches stay in memory until its commit, and an automatic
 * checkpoint only once the WAL holds 64 MB instead of 4 MB (each one syncs
 * the file). Call rl_store_checkpoint when done, before other connections
 * write: their commits would otherwise copy the rest on their thread. */
gboolean rl_store_set_bulk_writer (RlStore *self,
                                   GError **error);
/* Copies what the WAL holds into the database file (PASSIVE: it never
 * waits for readers; what they still use is copied by a later one). */
gboolean rl_store_checkpoint (RlStore *self,
                              GError **error);

/* Runs raw SQL (no results). For tests and maintenance only. */
gboolean rl_store_exec (RlStore    *self,
                        const char *sql,
                        GError    **error);

/* ---- Batch writer: one transaction, nothing half-written ---------------- */

typedef struct _RlStoreBatch RlStoreBatch;

typedef enum
{
  RL_STORE_READING_ERROR = -1,
  RL_STORE_READING_DUPLICATE = 0, /* (device, ts) already stored: ignored */
  RL_STORE_READING_ADDED = 1,
} RlStoreReadingResult;

/* BEGIN IMMEDIATE. Freeing a batch that was not committed rolls it back. */
RlStoreBatch *rl_store_batch_begin (RlStore *self,
                                    GError **error);
/* Writes @record (a contract record with "id", and "version" when the entity
 * is versioned) unconditionally. */
gboolean rl_store_batch_upsert (RlStoreBatch *batch,
                                const char   *entity,
                                JsonObject   *record,
                                GError      **error);
/* Removes the record if its cached version is ≤ @version (or @version < 0). */
gboolean rl_store_batch_delete (RlStoreBatch *batch,
                                const char   *entity,
                                const char   *id,
                                gint64        version,
                                GError      **error);
/* A telemetry history row; NAN for a value means null. */
RlStoreReadingResult
rl_store_batch_add_reading (RlStoreBatch *batch,
                            const char   *device_id,
                            gint64        ts_ms,
                            double        fill_level,
                            double        weight,
                            double        temperature,
                            double        humidity,
                            double        battery_level,
                            GError      **error);
/* The live state of the drop point(s) whose deviceId is @device_id, from a
 * reading at @ts_ms: hot columns and the JSON record (fillLevel, weight,
 * temperature, humidity, batteryLevel, isOnline = true, lastReadingAt); NAN
 * leaves a value as it was; version is not bumped (server-managed fields).
 * A reading not newer than the current one changes nothing (history only).
 * Returns the number of drop points updated (0: older, or unknown device),
 * or -1 on error. */
gint rl_store_batch_update_telemetry (RlStoreBatch *batch,
                                      const char   *device_id,
                                      gint64        ts_ms,
                                      double        fill_level,
                                      double        weight,
                                      double        temperature,
                                      double        humidity,
                                      double        battery_level,
                                      GError      **error);
/* The link state of the drop point(s) whose deviceId is @device_id (hot
 * column and the record's isOnline); version is not bumped. Returns the
 * number of drop points changed (0: unknown device or already so). */
gint  rl_store_batch_update_link (RlStoreBatch *batch,
                                  const char   *device_id,
                                  gboolean      online,
                                  GError      **error);
guint rl_store_batch_get_readings_added (RlStoreBatch *batch);
guint rl_store_batch_get_readings_duplicate (RlStoreBatch *batch);
/* COMMIT. On error everything of the batch is rolled back. */
gboolean rl_store_batch_commit (RlStoreBatch *batch,
                                GError      **error);
void     rl_store_batch_free (RlStoreBatch *batch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlStoreBatch, rl_store_batch_free)

/* ---- Changes feed ------------------------------------------------------- */

typedef struct
{
  guint applied;         /* upserts written */
  guint deleted;         /* deletes applied (also of records not cached) */
  guint skipped_older;   /* cached version was higher */
  guint skipped_pending; /* record has an unsent local edit in the outbox */
  guint quarantined;     /* bad entries kept raw in the quarantine table */
} RlStoreApplyStats;

/* Applies one /changes page (contract §2, §5) in one transaction, with the
 * cursor @next_since written in the same transaction. Entries the store
 * cannot apply go raw to the quarantine table and are skipped. On error
 * nothing of the page is written and the cursor is unchanged. */
gboolean rl_store_apply_changes (RlStore           *self,
                                 JsonArray         *entries,
                                 gint64             next_since,
                                 RlStoreApplyStats *out_stats,
                                 GError           **error);
/* The stored nextSince (0 when none). */
gint64 rl_store_get_cursor (RlStore *self);

/* 410 SYNC_RESET_REQUIRED: starts a new generation and sets the cursor to 0
 * (one transaction). Records the reload brings are stamped with the new
 * generation; rl_store_finish_reload() (after the page with hasMore false)
 * drops feed records of older generations that have no pending outbox row. */
gboolean rl_store_reset_for_reload (RlStore *self,
                                    GError **error);
gboolean rl_store_is_reloading (RlStore *self);
/* Returns the number of records dropped, or -1 on error. */
gint64 rl_store_finish_reload (RlStore *self,
                               GError **error);

/* ---- Reads -------------------------------------------------------------- */

/* Rows of an entity table; also "reading", "outbox", "quarantine". -1 on an
 * unknown name. */
gint64 rl_store_count (RlStore    *self,
                       const char *entity);
/* The full cached record, or NULL + RL_STORE_ERROR_NOT_FOUND. */
JsonObject *rl_store_get_record (RlStore    *self,
                                 const char *entity,
                                 const char *id,
                                 GError    **error);

/* History of a device in [@from_ms, @to_ms], oldest first, at most @limit
 * rows (0: no limit), in the contract's reading shape: [{timestamp,
 * fillLevel, weight, temperature, humidity, batteryLevel}] (null for NULL). */
JsonArray *rl_store_get_readings (RlStore    *self,
                                  const char *device_id,
                                  gint64      from_ms,
                                  gint64      to_ms,
                                  guint       limit,
                                  GError    **error);

/* Hot fields of a drop point for the map; strings valid during the callback;
 * NAN for a null number. */
typedef struct
{
  const char *id;
  const char *name;
  const char *address;
  const char *status;
  const char *device_id; /* NULL when no smart bin */
  double      latitude;
  double      longitude;
  double      fill_level;
  double      battery_level;
  gboolean    is_online;
  gint64      last_reading_ms; /* 0 when never */
  gint64      version;
} RlStoreDropPoint;

/* Return FALSE to stop. */
typedef gboolean (*RlStoreDropPointFunc) (const RlStoreDropPoint *drop_point,
                                          gpointer                user_data);

gboolean rl_store_foreach_drop_point (RlStore             *self,
                                      RlStoreDropPointFunc func,
                                      gpointer             user_data,
                                      GError             **error);

/* Small key/value settings kept with the cache (not secrets). */
char    *rl_store_get_meta (RlStore    *self,
                            const char *key);
gboolean rl_store_set_meta (RlStore    *self,
                            const char *key,
                            const char *value,
                            GError    **error);

/* ---- Outbox (offline edits) and local conflicts ------------------------- */

typedef struct
{
  gint64 id;
  gint64 created_ms;
  char  *method;
  char  *path;            /* relative to /api/v1, e.g. "/drop-points/dp-1" */
  char  *body;            /* JSON text, or NULL */
  char  *if_match;        /* or NULL */
  char  *idempotency_key; /* a UUID, fixed when enqueued */
  char  *entity;          /* or NULL */
  char  *entity_id;       /* or NULL */
  char  *base;            /* JSON text of the record before the edit, or NULL */
  char  *secret_ref;      /* keyring item reference, never a value; or NULL */
  char  *last_error;
  guint  attempts;
} RlStoreOutboxEntry;

void rl_store_outbox_entry_free (RlStoreOutboxEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlStoreOutboxEntry, rl_store_outbox_entry_free)

/* One transaction: the local record change and the outbox row.
 * @local non-NULL: written as the cached (entity, entity_id) record;
 * @local NULL and method "DELETE": the cached record is removed;
 * otherwise no record changes. Returns the outbox id (> 0), 0 on error. */
gint64 rl_store_outbox_enqueue (RlStore    *self,
                                const char *method,
                                const char *path,
                                JsonNode   *body,
                                const char *if_match,
                                const char *entity,
                                const char *entity_id,
                                JsonObject *base,
                                JsonObject *local,
                                const char *secret_ref,
                                GError    **error);
/* The oldest entry, or NULL (no error) when the outbox is empty. */
RlStoreOutboxEntry          *
rl_store_outbox_peek (RlStore *self,
                               GError **error);
gboolean rl_store_outbox_complete (RlStore *self,
                                   gint64   id,
                                   GError **error);
/* Counts an attempt and keeps its error message (no secrets in it). */
gboolean rl_store_outbox_fail (RlStore    *self,
                               gint64      id,
                               const char *message,
                               GError    **error);
gint64   rl_store_outbox_count (RlStore *self);

/* A local conflict (jobId null) for an edit that met 409 VERSION_CONFLICT:
 * local = the edit, remote = details.current, base = the record when the edit
 * was made (may be NULL). When @outbox_id > 0 that outbox row is removed in
 * the same transaction. Returns the new conflict id ("local-<uuid>"). */
char *rl_store_add_local_conflict (RlStore    *self,
                                   const char *entity_type,
                                   const char *entity_id,
                                   JsonObject *base,
                                   JsonObject *local,
                                   JsonObject *remote,
                                   gint64      outbox_id,
                                   GError    **error);

G_END_DECLS
