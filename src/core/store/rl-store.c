/* rl-store.c — RlStore: opening, migrations, statements, transactions.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Records, batches and reads are in rl-store-records.c; the changes feed, the
 * outbox and local conflicts in rl-store-sync.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rl-store-private.h"
#include "rl-time.h"
#include "rl-url.h"

#define BUSY_TIMEOUT_MS 10000
/* How long a transaction waits for the connections ahead of it in this process. */
#define WRITE_QUEUE_TIMEOUT_S 60

/* clang-format off */
G_DEFINE_QUARK (rl-store-error-quark, rl_store_error)
/* clang-format on */

G_DEFINE_FINAL_TYPE (RlStore, rl_store, G_TYPE_OBJECT)

/* ---- Write queue ---------------------------------------------------------
 *
 * SQLite lets one connection write at a time, and its busy handler is not
 * fair: a thread that commits batch after batch can starve another one for
 * longer than any busy timeout. Connections of this process to the same file
 * therefore take turns in FIFO order before BEGIN IMMEDIATE (other processes
 * still meet the busy timeout).
 */

struct _RlStoreWriteQueue
{
  GMutex   mutex;
  gboolean owned;
  GQueue   waiters; /* Waiter*, oldest first */
};

typedef struct
{
  GCond    cond;
  gboolean granted;
} Waiter;

static RlStoreWriteQueue *
write_queue_for (const char *path)
{
  static GMutex      lock;
  static GHashTable *queues; /* canonical path → RlStoreWriteQueue*, for the process's life */
  g_autofree char   *canonical = g_canonicalize_filename (path, NULL);
  RlStoreWriteQueue *queue;

  g_mutex_lock (&lock);
  if (queues == NULL)
    queues = g_hash_table_new (g_str_hash, g_str_equal);
  queue = g_hash_table_lookup (queues, canonical);
  if (queue == NULL)
    {
      queue = g_new0 (RlStoreWriteQueue, 1);
      g_mutex_init (&queue->mutex);
      g_queue_init (&queue->waiters);
      g_hash_table_insert (queues, g_steal_pointer (&canonical), queue);
    }
  g_mutex_unlock (&lock);
  return queue;
}

static gboolean
write_queue_acquire (RlStoreWriteQueue *queue)
{
  gint64   deadline = g_get_monotonic_time () + WRITE_QUEUE_TIMEOUT_S * G_TIME_SPAN_SECOND;
  Waiter   waiter = { .granted = FALSE };
  gboolean granted;

  g_mutex_lock (&queue->mutex);
  if (!queue->owned && g_queue_is_empty (&queue->waiters))
    {
      queue->owned = TRUE;
      g_mutex_unlock (&queue->mutex);
      return TRUE;
    }
  g_cond_init (&waiter.cond);
  g_queue_push_tail (&queue->waiters, &waiter);
  while (!waiter.granted)
    if (!g_cond_wait_until (&waiter.cond, &queue->mutex, deadline))
      break;
  granted = waiter.granted;
  if (!granted)
    g_queue_remove (&queue->waiters, &waiter);
  g_mutex_unlock (&queue->mutex);
  g_cond_clear (&waiter.cond);
  return granted;
}

/* Hands the turn to the oldest waiter, if any. */
static void
write_queue_release (RlStoreWriteQueue *queue)
{
  Waiter *next;

  g_mutex_lock (&queue->mutex);
  next = g_queue_pop_head (&queue->waiters);
  if (next != NULL)
    {
      next->granted = TRUE;
      g_cond_signal (&next->cond);
    }
  else
    queue->owned = FALSE;
  g_mutex_unlock (&queue->mutex);
}

static void
rl_store_dispose (GObject *object)
{
  RlStore *self = RL_STORE (object);

  /* Finalizes every cached statement before the connection closes. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      rl_store_tx_rollback (self);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }

  G_OBJECT_CLASS (rl_store_parent_class)->dispose (object);
}

static void
rl_store_finalize (GObject *object)
{
  RlStore *self = RL_STORE (object);

  g_free (self->path);

  G_OBJECT_CLASS (rl_store_parent_class)->finalize (object);
}

static void
rl_store_class_init (RlStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rl_store_dispose;
  object_class->finalize = rl_store_finalize;
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
rl_store_init (RlStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
}

/* ---- Errors and statements ---------------------------------------------- */

static RlStoreError
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return RL_STORE_ERROR_CORRUPT;
    case SQLITE_CONSTRAINT:
      return RL_STORE_ERROR_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return RL_STORE_ERROR_BUSY;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return RL_STORE_ERROR_OPEN;
    default:
      return RL_STORE_ERROR_FAILED;
    }
}

void
rl_store_set_error_from_db (RlStore    *self,
                            GError    **error,
                            const char *what)
{
  int rc = sqlite3_extended_errcode (self->db);

  g_set_error (error, RL_STORE_ERROR, error_code_for (rc),
               "%s: %s", what, sqlite3_errmsg (self->db));
}

sqlite3_stmt *
rl_store_prepare (RlStore    *self,
                  const char *sql,
                  GError    **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      rl_store_set_error_from_db (self, error, "Cannot prepare a statement");
      sqlite3_finalize (stmt);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
rl_store_step_done (RlStore      *self,
                    sqlite3_stmt *stmt,
                    GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }

  rl_store_set_error_from_db (self, error, "Cannot write to the cache");
  sqlite3_reset (stmt);
  return FALSE;
}

gboolean
rl_store_step_finished (RlStore      *self,
                        sqlite3_stmt *stmt,
                        int           rc,
                        const char   *what,
                        GError      **error)
{
  gboolean ok = rc == SQLITE_DONE;

  /* The error first: a reset would clear what went wrong. */
  if (!ok)
    rl_store_set_error_from_db (self, error, what);
  sqlite3_reset (stmt);
  return ok;
}

gint64
rl_store_changed_rows (RlStore *self)
{
  return sqlite3_changes64 (self->db);
}

gint64
rl_store_last_insert_rowid (RlStore *self)
{
  return sqlite3_last_insert_rowid (self->db);
}

gboolean
rl_store_step_write (RlStore      *self,
                     sqlite3_stmt *stmt,
                     GError      **error)
{
  if (self->in_transaction)
    return rl_store_step_done (self, stmt, error);

  /* A lone write takes its turn like a transaction does. */
  if (!rl_store_tx_begin (self, error))
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  if (!rl_store_step_done (self, stmt, error))
    {
      rl_store_tx_rollback (self);
      return FALSE;
    }
  return rl_store_tx_commit (self, error);
}

static gboolean
exec_sql (RlStore    *self,
          const char *sql,
          GError    **error)
{
  /* check-sql: allowed: callers pass schema and PRAGMA literals, never values. */
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      rl_store_set_error_from_db (self, error, "SQL failed");
      return FALSE;
    }
  return TRUE;
}

gboolean
rl_store_set_bulk_writer (RlStore *self,
                          GError **error)
{
  g_return_val_if_fail (RL_IS_STORE (self), FALSE);

  /* Measured with bench-sync (100,000 drop points): the default 2 MB cache
   * spills dirty pages mid-transaction and the 4 MB checkpoints sync the
   * file 30 times; together 8.0 s of writing, 4.6 s without. */
  return exec_sql (self, "PRAGMA cache_size = -65536", error)
         && exec_sql (self, "PRAGMA wal_autocheckpoint = 16384", error);
}

gboolean
rl_store_checkpoint (RlStore *self,
                     GError **error)
{
  g_return_val_if_fail (RL_IS_STORE (self), FALSE);

  return exec_sql (self, "PRAGMA wal_checkpoint(PASSIVE)", error);
}

gboolean
rl_store_exec (RlStore    *self,
               const char *sql,
               GError    **error)
{
  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  return exec_sql (self, sql, error);
}

gboolean
rl_store_tx_begin (RlStore *self,
                   GError **error)
{
  if (self->in_transaction)
    {
      g_set_error_literal (error, RL_STORE_ERROR, RL_STORE_ERROR_FAILED,
                           "A transaction is already open on this connection");
      return FALSE;
    }
  if (self->write_queue != NULL && !write_queue_acquire (self->write_queue))
    {
      g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_BUSY,
                   "Another connection kept the cache busy for over %d s", WRITE_QUEUE_TIMEOUT_S);
      return FALSE;
    }
  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    {
      if (self->write_queue != NULL)
        write_queue_release (self->write_queue);
      return FALSE;
    }
  self->in_transaction = TRUE;
  return TRUE;
}

gboolean
rl_store_tx_commit (RlStore *self,
                    GError **error)
{
  g_assert (self->in_transaction);

  if (!exec_sql (self, "COMMIT", error))
    {
      rl_store_tx_rollback (self);
      return FALSE;
    }
  self->in_transaction = FALSE;
  if (self->write_queue != NULL)
    write_queue_release (self->write_queue);
  rl_store_publish_pending (self);
  return TRUE;
}

void
rl_store_tx_rollback (RlStore *self)
{
  rl_store_drop_pending (self);
  if (!self->in_transaction)
    return;
  if (sqlite3_get_autocommit (self->db) == 0)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->in_transaction = FALSE;
  if (self->write_queue != NULL)
    write_queue_release (self->write_queue);
}

/* ---- Opening and migrations --------------------------------------------- */

gint64
rl_store_query_int (RlStore    *self,
                    const char *sql,
                    GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64        value = -1;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      rl_store_set_error_from_db (self, error, "Cannot read the cache");
      sqlite3_finalize (stmt);
      return -1;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else
    rl_store_set_error_from_db (self, error, "Cannot read the cache");
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
migrate_to (RlStore *self,
            guint    version,
            GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *set_version = NULL;
  gint64           current;

  if (!rl_store_tx_begin (self, error))
    return FALSE;

  /* Another connection may have migrated while we waited for the lock. */
  current = rl_store_query_int (self, "PRAGMA user_version", &local_error);
  if (current < 0)
    goto fail;
  if (current >= version)
    return rl_store_tx_commit (self, error);

  set_version = g_strdup_printf ("PRAGMA user_version = %u", version);
  if (!exec_sql (self, rl_store_migration_sql (version), &local_error)
      || !exec_sql (self, set_version, &local_error))
    goto fail;

  if (!rl_store_tx_commit (self, &local_error))
    goto fail;

  g_debug ("Migrated %s to schema version %u", self->path, version);
  return TRUE;

fail:
  rl_store_tx_rollback (self);
  g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_MIGRATION,
               "Cannot migrate the cache to version %u: %s", version, local_error->message);
  return FALSE;
}

/* Creates the file 0600 before SQLite sees it: SQLite then gives the -wal and
 * -shm files the database's mode. An existing file is not touched here. */
static gboolean
create_private_file (const char *path,
                     gboolean   *out_created,
                     GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int              fd;

  *out_created = FALSE;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_OPEN,
                   "Cannot create the folder %s: %s", dir, g_strerror (saved));
      return FALSE;
    }

  fd = open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved = errno;
      if (saved == EEXIST)
        return TRUE;
      g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_OPEN,
                   "Cannot create %s: %s", path, g_strerror (saved));
      return FALSE;
    }

  /* O_CREAT honours the umask; the mode must not depend on it. */
  if (fchmod (fd, 0600) != 0)
    {
      int saved = errno;
      close (fd);
      g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_OPEN,
                   "Cannot set the mode of %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  *out_created = TRUE;
  return TRUE;
}

static RlStore *
open_internal (const char *path,
               guint       target_version,
               GError    **error)
{
  g_autoptr (RlStore) self = NULL;
  g_autoptr (GError) local_error = NULL;
  gboolean created;
  gint64   version;
  int      rc;

  if (!create_private_file (path, &created, error))
    return NULL;

  self = g_object_new (RL_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->write_queue = write_queue_for (path);
  {
    g_autofree char *canonical = g_canonicalize_filename (path, NULL);
    self->hub = rl_store_hub_for (canonical);
  }

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RL_STORE_ERROR, error_code_for (rc), "Cannot open %s: %s",
                   path, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  if (!rl_store_register_functions (self, error))
    return NULL;

  /* Reading the header and the schema tells a foreign or damaged file apart
   * before anything is written. */
  version = rl_store_query_int (self, "PRAGMA user_version", &local_error);
  if (version >= 0)
    rl_store_query_int (self, "SELECT count(*) FROM sqlite_master", &local_error);
  if (local_error != NULL)
    {
      if (local_error->code == RL_STORE_ERROR_CORRUPT)
        g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_CORRUPT,
                     "%s is not a usable cache (%s)", path, local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (version > target_version)
    {
      g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_TOO_NEW,
                   "%s was written by a newer version of the console "
                   "(schema %" G_GINT64_FORMAT ", this one knows %u); it was left untouched",
                   path, version, target_version);
      return NULL;
    }

  if (!created && g_chmod (path, 0600) != 0)
    g_debug ("Cannot tighten the mode of %s", path);

  if (!exec_sql (self, "PRAGMA journal_mode = WAL", error)
      || !exec_sql (self, "PRAGMA synchronous = NORMAL", error)
      || !exec_sql (self, "PRAGMA foreign_keys = ON", error)
      /* Reads map the file instead of copying each page into the
       * connection's own cache: a list reading 100,000 keys or a window of
       * rows on a fresh connection costs memory reads, not syscalls. */
      || !exec_sql (self, "PRAGMA mmap_size = 268435456", error))
    return NULL;

  for (guint v = version + 1; v <= target_version; v++)
    if (!migrate_to (self, v, error))
      return NULL;

  self->schema_version = target_version;
  return g_steal_pointer (&self);
}

RlStore *
rl_store_open (const char *path,
               GError    **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_internal (path, RL_STORE_SCHEMA_VERSION, error);
}

RlStore *
rl_store_open_at_version (const char *path,
                          guint       version,
                          GError    **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (version >= 1 && version <= RL_STORE_SCHEMA_VERSION, NULL);

  return open_internal (path, version, error);
}

const char *
rl_store_get_path (RlStore *self)
{
  g_return_val_if_fail (RL_IS_STORE (self), NULL);
  return self->path;
}

guint
rl_store_get_schema_version (RlStore *self)
{
  g_return_val_if_fail (RL_IS_STORE (self), 0);
  return self->schema_version;
}

gint64
rl_store_get_size (RlStore *self)
{
  g_autofree char *wal = NULL;
  GStatBuf         st;
  gint64           size = 0;

  g_return_val_if_fail (RL_IS_STORE (self), 0);

  if (g_stat (self->path, &st) == 0)
    size += st.st_size;
  wal = g_strconcat (self->path, "-wal", NULL);
  if (g_stat (wal, &st) == 0)
    size += st.st_size;
  return size;
}

char *
rl_store_path_for_server (const char *server_url)
{
  g_autoptr (GUri) uri = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *host = NULL;
  g_autofree char *identity = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *file = NULL;
  const char      *scheme;
  int              port;

  g_return_val_if_fail (server_url != NULL, NULL);

  /* One server, one file: the URL's rule (and normal form) is rl-url's. */
  if (!rl_url_validate_server (server_url, &valid, NULL))
    return NULL;
  uri = g_uri_parse (valid, G_URI_FLAGS_NONE, NULL);
  g_assert (uri != NULL);

  /* The digest is of "scheme://host:port/path" with the port always written,
   * as it has been since the first cache file: existing files keep their name. */
  scheme = g_uri_get_scheme (uri);
  host = g_strdup (g_uri_get_host (uri));
  port = g_uri_get_port (uri);
  if (port < 0)
    port = g_str_equal (scheme, "http") ? 80 : 443;
  identity = g_strdup_printf ("%s://%s:%d%s", scheme, host, port, g_uri_get_path (uri));
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, identity, -1);
  digest[12] = '\0';

  for (char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-')
      *p = '_';

  file = g_strdup_printf ("%s-%d-%s.sqlite", host, port, digest);
  return g_build_filename (g_get_user_data_dir (), "reloop-console", "servers", file, NULL);
}
