/* rl-alert-watch.c — new open HIGH alerts after a rowid mark, from the store monitor.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-alert-watch.h"
#include "rl-core-enums.h"
#include "rl-store-monitor.h"
#include "rl-store-private.h"

struct _RlAlertWatch
{
  GObject parent_instance;

  RlStore        *store;
  RlStoreMonitor *monitor;
  gint64          mark; /* highest alerts rowid read so far */
  GHashTable     *told; /* ids told by "opened" and still open */
  gboolean        skip_server;
};

G_DEFINE_FINAL_TYPE (RlAlertWatch, rl_alert_watch, G_TYPE_OBJECT)

enum
{
  OPENED,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
rl_watched_alert_free (RlWatchedAlert *alert)
{
  if (alert == NULL)
    return;
  g_free (alert->id);
  g_free (alert->drop_point_id);
  g_free (alert->drop_point_name);
  g_free (alert->device_id);
  g_free (alert->type);
  g_free (alert);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* The rows above the mark: the open HIGH ones (told unless skipped), and
 * the mark moved past all of them. */
static void
read_new (RlAlertWatch *self)
{
  g_autoptr (GPtrArray) opened = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_watched_alert_free);
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64        top;
  int           rc;

  top = rl_store_query_int (self->store, "SELECT ifnull(max(rowid), 0) FROM alerts", &error);
  if (top < 0)
    {
      g_debug ("alert watch: %s", error->message);
      return;
    }
  if (top <= self->mark)
    return;

  stmt = rl_store_prepare (self->store,
                           "SELECT a.id, a.drop_point_id, d.name, a.device_id, a.type, a.source"
                           " FROM alerts a LEFT JOIN drop_points d ON d.id = a.drop_point_id"
                           " WHERE a.rowid > ?1 AND a.rowid <= ?2 AND a.status = 'open'"
                           " AND a.severity = 'HIGH' ORDER BY a.rowid",
                           &error);
  if (stmt == NULL)
    {
      g_debug ("alert watch: %s", error->message);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, self->mark);
  sqlite3_bind_int64 (stmt, 2, top);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RlWatchedAlert *alert = g_new0 (RlWatchedAlert, 1);

      alert->id = dup_column (stmt, 0);
      alert->drop_point_id = dup_column (stmt, 1);
      alert->drop_point_name = dup_column (stmt, 2);
      alert->device_id = dup_column (stmt, 3);
      alert->type = dup_column (stmt, 4);
      alert->source = rl_enum_from_wire (RL_TYPE_ALERT_SOURCE, (const char *) sqlite3_column_text (stmt, 5));
      if (self->skip_server && alert->source == RL_ALERT_SOURCE_SERVER)
        rl_watched_alert_free (alert);
      else
        g_ptr_array_add (opened, alert);
    }
  if (!rl_store_step_finished (self->store, stmt, rc, "Cannot read the new alerts", &error))
    {
      g_debug ("alert watch: %s", error->message);
      return;
    }
  self->mark = top;

  for (guint i = 0; i < opened->len; i++)
    {
      RlWatchedAlert *alert = g_ptr_array_index (opened, i);

      g_hash_table_add (self->told, g_strdup (alert->id));
    }
  if (opened->len > 0)
    g_signal_emit (self, signals[OPENED], 0, opened);
}

/* Told alerts among @ids (NULL: all told) that are no longer open. */
static void
read_closed (RlAlertWatch *self,
             const char  **ids)
{
  g_autoptr (GPtrArray) closed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) check = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;

  if (ids == NULL)
    {
      GHashTableIter iter;
      gpointer       id;

      g_hash_table_iter_init (&iter, self->told);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_ptr_array_add (check, id);
    }
  else
    for (guint i = 0; ids[i] != NULL; i++)
      if (g_hash_table_contains (self->told, ids[i]))
        g_ptr_array_add (check, (gpointer) ids[i]);
  if (check->len == 0)
    return;

  stmt = rl_store_prepare (self->store, "SELECT status = 'open' FROM alerts WHERE id = ?1", &error);
  if (stmt == NULL)
    {
      g_debug ("alert watch: %s", error->message);
      return;
    }
  for (guint i = 0; i < check->len; i++)
    {
      const char *id = g_ptr_array_index (check, i);
      gboolean    open = FALSE;
      int         rc;

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          open = sqlite3_column_int (stmt, 0) != 0;
          rc = SQLITE_DONE;
        }
      if (!rl_store_step_finished (self->store, stmt, rc, "Cannot read an alert", &error))
        {
          g_debug ("alert watch: %s", error->message);
          return;
        }
      if (!open)
        g_ptr_array_add (closed, g_strdup (id));
    }
  for (guint i = 0; i < closed->len; i++)
    g_hash_table_remove (self->told, g_ptr_array_index (closed, i));
  if (closed->len > 0)
    {
      g_ptr_array_add (closed, NULL);
      g_signal_emit (self, signals[CLOSED], 0, (GStrv) closed->pdata);
    }
}

static void
changed_cb (RlAlertWatch   *self,
            RlStoreChanges *changes,
            RlStoreMonitor *monitor)
{
  g_autofree const char **ids = NULL;

  if (!rl_store_changes_has_entity (changes, "alert"))
    return;
  ids = rl_store_changes_get_ids (changes, "alert", NULL);
  read_closed (self, rl_store_changes_is_whole (changes, "alert") ? NULL : ids);
  read_new (self);
}

static void
rl_alert_watch_dispose (GObject *object)
{
  RlAlertWatch *self = RL_ALERT_WATCH (object);

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rl_alert_watch_parent_class)->dispose (object);
}

static void
rl_alert_watch_finalize (GObject *object)
{
  RlAlertWatch *self = RL_ALERT_WATCH (object);

  g_hash_table_unref (self->told);

  G_OBJECT_CLASS (rl_alert_watch_parent_class)->finalize (object);
}

static void
rl_alert_watch_class_init (RlAlertWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rl_alert_watch_dispose;
  object_class->finalize = rl_alert_watch_finalize;

  signals[OPENED] = g_signal_new ("opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
}

static void
rl_alert_watch_init (RlAlertWatch *self)
{
  self->told = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

RlAlertWatch *
rl_alert_watch_new (RlStore *store)
{
  g_autoptr (GError) error = NULL;
  RlAlertWatch *self;

  g_return_val_if_fail (RL_IS_STORE (store), NULL);

  self = g_object_new (RL_TYPE_ALERT_WATCH, NULL);
  self->store = g_object_ref (store);
  self->mark = rl_store_query_int (store, "SELECT ifnull(max(rowid), 0) FROM alerts", &error);
  if (self->mark < 0)
    {
      /* Nothing can be told apart: treat every row as seen. */
      g_debug ("alert watch: %s", error->message);
      self->mark = G_MAXINT64;
    }
  self->monitor = rl_store_monitor_new (store);
  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

void
rl_alert_watch_set_skip_server (RlAlertWatch *self,
                                gboolean      skip)
{
  g_return_if_fail (RL_IS_ALERT_WATCH (self));

  self->skip_server = skip;
}

void
rl_alert_watch_check (RlAlertWatch *self)
{
  g_return_if_fail (RL_IS_ALERT_WATCH (self));

  read_closed (self, NULL);
  read_new (self);
}
