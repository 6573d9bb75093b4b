/* rl-store-private.h — what the store's files share: entity table, statements.
 * Only the store touches its connection (->db): other core files go through
 * rl_store_prepare and the helpers below.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "rl-store.h"

G_BEGIN_DECLS

typedef enum
{
  RL_COL_STRING,
  RL_COL_NUMBER,
  RL_COL_INT,
  RL_COL_BOOL,
  RL_COL_TIME, /* RFC 3339 text in JSON, UTC ms in the column */
} RlColType;

typedef struct
{
  const char *column;
  const char *key; /* camelCase key in the contract record; "a.b" for a nested one */
  RlColType   type;
} RlColumn;

#define RL_MAX_COLUMNS 14
#define RL_MAX_SEARCH_KEYS 6

typedef struct
{
  const char *entity;    /* contract name: "drop_point" */
  const char *table;     /* SQLite table: "drop_points" */
  const char *id_key;    /* "id", or "type" for provider types */
  gboolean    versioned; /* records carry "version" */
  gboolean    in_feed;   /* may come from /changes (and is swept on reload) */
  RlColumn    columns[RL_MAX_COLUMNS];
  /* String fields folded into search_text (rl-store-text.c), "a.b" nested. */
  const char *search_keys[RL_MAX_SEARCH_KEYS];
  /* More search text from another table: the string columns of the row
   * this query (parameter ?1 = the record's @search_join_key) returns. */
  const char *search_join_key;
  const char *search_join_sql;
  /* The FTS5 index of search_text (migration v5), or NULL. */
  const char *fts_table;
} RlEntityInfo;

/* rl-store-schema.c */
const RlEntityInfo *rl_store_entity_lookup (const char *entity);
const RlEntityInfo *rl_store_entity_nth (guint n);
guint               rl_store_n_migrations (void);
const char         *rl_store_migration_sql (guint to_version);

/* rl-store.c */
typedef struct _RlStoreWriteQueue RlStoreWriteQueue;
typedef struct _RlStoreHub        RlStoreHub;
typedef struct _RlStoreChanges    RlStoreChanges;

struct _RlStore
{
  GObject            parent_instance;
  sqlite3           *db;
  char              *path;
  guint              schema_version;
  GHashTable        *statements; /* SQL (owned) → sqlite3_stmt* */
  gboolean           in_transaction;
  RlStoreWriteQueue *write_queue;     /* shared by this process's connections to the file */
  RlStoreHub        *hub;             /* ditto: where committed changes are published */
  RlStoreChanges    *pending_changes; /* what the open transaction wrote */
  gboolean           fts_by_hand;     /* triggers off: the writer keeps the FTS indexes */
};

void          rl_store_set_error_from_db (RlStore    *self,
                                          GError    **error,
                                          const char *what);
sqlite3_stmt *rl_store_prepare (RlStore    *self,
                                const char *sql,
                                GError    **error);
gboolean      rl_store_step_done (RlStore      *self,
                                  sqlite3_stmt *stmt,
                                  GError      **error);
/* Ends a read loop over a statement from rl_store_prepare: @rc is the last
 * sqlite3_step () result. Resets @stmt; FALSE (and @error, "@what: …") when
 * the loop did not reach SQLITE_DONE. */
gboolean rl_store_step_finished (RlStore      *self,
                                 sqlite3_stmt *stmt,
                                 int           rc,
                                 const char   *what,
                                 GError      **error);
/* Rows changed by the last write, and the last inserted rowid, on this
 * connection. */
gint64 rl_store_changed_rows (RlStore *self);
gint64 rl_store_last_insert_rowid (RlStore *self);
/* First column of the first row; -1 (and @error) on failure. */
gint64 rl_store_query_int (RlStore    *self,
                           const char *sql,
                           GError    **error);
/* Steps a write, in its own transaction when none is open. */
gboolean rl_store_step_write (RlStore      *self,
                              sqlite3_stmt *stmt,
                              GError      **error);
gboolean rl_store_tx_begin (RlStore *self,
                            GError **error);
gboolean rl_store_tx_commit (RlStore *self,
                             GError **error);
void     rl_store_tx_rollback (RlStore *self);
gint64   rl_store_read_generation (RlStore *self);
gboolean rl_store_meta_set_int (RlStore    *self,
                                const char *key,
                                gint64      value,
                                GError    **error);
/* Validates @record for @info and writes it stamped with @generation.
 * @version (≥ 0) is cached when the record itself carries no "version".
 * With @out_older, a record whose cached version is higher is left alone
 * and *@out_older says so; without it the write is unconditional. */
gboolean rl_store_write_record (RlStore            *self,
                                const RlEntityInfo *info,
                                JsonObject         *record,
                                gint64              version,
                                gint64              generation,
                                gboolean           *out_older,
                                GError            **error);
gboolean rl_store_delete_record (RlStore            *self,
                                 const RlEntityInfo *info,
                                 const char         *id,
                                 gint64              version,
                                 GError            **error);

/* rl-store-records.c: the store of an open batch (NULL and @error once it
 * is committed or rolled back), and the generation its rows are stamped
 * with. */
RlStore *rl_store_batch_get_store (RlStoreBatch *batch,
                                   GError      **error);
gint64   rl_store_batch_get_generation (RlStoreBatch *batch);

/* rl-store-alerts.c: the /changes applier wrote the server's alert
 * @record. If it is open (open or acknowledged), the console's open alerts
 * (feed, local) of its device and type are resolved as superseded by it,
 * in the applier's transaction. Returns how many, or -1 on error. */
gint rl_store_supersede_console_alerts (RlStore    *self,
                                        JsonObject *record,
                                        GError    **error);
/* Whether a console alert is open (TRUE as well when it cannot tell). */
gboolean rl_store_has_open_console_alerts (RlStore *self);

/* rl-store-fts.c. TRUE: this connection's triggers do not fire
 * (SQLITE_DBCONFIG_ENABLE_TRIGGER) and rl_store_write_record / _delete_record
 * keep the FTS indexes as the triggers of migration v5 do, with statements
 * that need no statement journal. The schema has no other triggers
 * (test-store checks). */
void     rl_store_set_fts_by_hand (RlStore *self,
                                   gboolean by_hand);
gboolean rl_store_fts_read_row (RlStore            *self,
                                const RlEntityInfo *info,
                                const char         *id,
                                gboolean           *out_found,
                                gint64             *out_rowid,
                                char              **out_text,
                                GError            **error);
/* Removes @old_text of row @old_rowid (> 0) from @info's index and adds
 * @new_text of row @new_rowid (> 0); nothing when both are the same. */
gboolean rl_store_fts_replace (RlStore            *self,
                               const RlEntityInfo *info,
                               gint64              old_rowid,
                               const char         *old_text,
                               gint64              new_rowid,
                               const char         *new_text,
                               GError            **error);

/* rl-store-text.c */
/* @node as JSON text that SQLite's JSON functions read: json-glib 1.6
 * writes a double in exponent form with ".0" after it ("1e+21.0",
 * "1e-07.0"), infinity as "inf.0", and leaves some control characters raw
 * in strings (0x1f), all of which SQLite calls malformed (a page with such
 * a record never applied: found by tests/fuzz/fuzz-changes). The exponent
 * form loses its ".0", a non-finite number becomes null, a control
 * character is escaped. */
char *rl_store_json_text (JsonNode *node);
/* The same fix on text json_to_string made (a new string). */
char     *rl_store_json_fix (const char *json);
gboolean  rl_store_register_functions (RlStore *self,
                                       GError **error);
JsonNode *rl_store_record_member (JsonObject *record,
                                  const char *key);
char     *rl_store_search_text (RlStore            *self,
                                const RlEntityInfo *info,
                                JsonObject         *record);

/* rl-store-monitor.c: every write records what it touched; a commit
 * publishes it to the file's monitors, a rollback drops it. */
RlStoreHub *rl_store_hub_for (const char *canonical_path);
void        rl_store_hub_publish (RlStoreHub     *hub,
                                  RlStoreChanges *changes);
void        rl_store_note_change (RlStore    *self,
                                  const char *entity,
                                  const char *id);
void        rl_store_publish_pending (RlStore *self);
void        rl_store_drop_pending (RlStore *self);

/* The drop points' columns an RlStoreDropPoint is read from, in its order,
 * each with @prefix ("" or a table alias such as "dp."). */
#define RL_STORE_DROP_POINT_COLUMNS(prefix) \
  prefix "id, " prefix "name, " prefix "address, " prefix "status, " prefix "device_id, " prefix "latitude, " prefix "longitude, " prefix "fill_level, " prefix "battery_level, " prefix "is_online, " prefix "last_reading_ms, " prefix "version"
#define RL_STORE_DROP_POINT_N_COLUMNS 12

/* A REAL column, NaN when NULL. */
double rl_store_column_double (sqlite3_stmt *stmt,
                               int           col);
/* The RL_STORE_DROP_POINT_COLUMNS of @stmt's row, from column 0; the
 * strings are the statement's until its next step. */
void rl_store_drop_point_from_row (sqlite3_stmt     *stmt,
                                   RlStoreDropPoint *out);

G_END_DECLS
