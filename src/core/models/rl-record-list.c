/* rl-record-list.c — RlRecordList: a GListModel over one kind of cached record.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: loading (worker thread), applying a new key list (one items-changed
 * with the common prefix and suffix left out), changed ids (exact positions),
 * windows of items, GListModel, GObject, public API. See docs/lists.md.
 */
#include "config.h"

#include "rl-record-list-private.h"
#include "rl-search.h"

/* A get_item that misses reads this many rows around it, by id. */
#define WINDOW_BEFORE 32
#define WINDOW_SIZE 128
/* Items kept beyond those the UI holds. */
#define CACHE_MAX 2048
/* More changed ids than this in one batch: read the whole list again (one
 * query in a worker beats hundreds of single inserts on the main thread). */
#define INCREMENTAL_MAX 512
/* A row that moves less than this far is announced as one items-changed over
 * the span (selection kept); farther, as a removal and an insertion. */
#define MOVE_SPAN_MAX 256

static void rl_record_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RlRecordList, rl_record_list, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, rl_record_list_model_init))

enum
{
  PROP_0,
  PROP_STORE,
  PROP_KIND,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  PROP_LOADING,
  PROP_FAILED,
  PROP_TEXT,
  PROP_SORT_COLUMN,
  PROP_SORT_DESCENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_reload (RlRecordList *self,
                             gboolean      refresh_items);
static void free_later (GPtrArray  *keys,
                        GHashTable *by_id);

/* ---- Positions ---------------------------------------------------------------- */

static gboolean
is_descending (RlRecordList *self)
{
  return self->sort_column != NULL ? self->sort_descending : self->spec->default_descending;
}

/* The index of @key in the list (it is there), or where it would go. */
static guint
key_position (RlRecordList    *self,
              const RlListKey *key)
{
  gboolean desc = is_descending (self);
  guint    lo = 0, hi = self->keys->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (rl_list_key_compare (g_ptr_array_index (self->keys, mid), key, desc) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
emit_items_changed (RlRecordList *self,
                    guint         position,
                    guint         removed,
                    guint         added)
{
  if (removed == 0 && added == 0)
    return;
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* ---- Windows of items -------------------------------------------------------- */

static char *
columns_sql (const RlListSpec *spec)
{
  GString *sql = g_string_new (NULL);

  for (guint i = 0; i < spec->n_columns; i++)
    g_string_append_printf (sql, ", %s", spec->columns[i].select_sql);
  return g_string_free (sql, FALSE);
}

static sqlite3_stmt *
prepare_window (RlRecordList *self,
                GError      **error)
{
  g_autofree char *columns = columns_sql (self->spec);
  g_autofree char *sql = g_strdup_printf ("SELECT %s%s FROM %s WHERE %s IN"
                                          " (SELECT value FROM json_each(?1))",
                                          self->spec->id_sql, columns, self->spec->from,
                                          self->spec->id_sql);

  return rl_store_prepare (self->store, sql, error);
}

static void
evict_items (RlRecordList *self,
             GHashTable   *keep)
{
  GHashTableIter iter;
  gpointer       id, item;

  if (g_hash_table_size (self->items) <= CACHE_MAX)
    return;
  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, &id, &item))
    /* Only this table holds it: nothing on screen or selected uses it. */
    if (G_OBJECT (item)->ref_count == 1 && !g_hash_table_contains (keep, id))
      g_hash_table_iter_remove (&iter);
}

/* Makes items for the rows around @position that have none yet. */
static void
load_window (RlRecordList *self,
             guint         position)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  guint            start = position > WINDOW_BEFORE ? position - WINDOW_BEFORE : 0;
  guint            end = MIN (self->keys->len, start + WINDOW_SIZE);
  sqlite3_stmt    *stmt;
  int              rc;

  for (guint i = start; i < end; i++)
    {
      RlListKey *key = g_ptr_array_index (self->keys, i);

      if (!g_hash_table_contains (self->items, key->id))
        {
          g_ptr_array_add (ids, key->id);
          g_hash_table_add (wanted, key->id);
        }
    }

  json = rl_list_ids_to_json ((const char *const *) ids->pdata, ids->len);
  stmt = prepare_window (self, &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *id = (const char *) sqlite3_column_text (stmt, 0);

          if (id == NULL || !g_hash_table_remove (wanted, id))
            continue;
          g_hash_table_insert (self->items, g_strdup (id),
                               rl_list_item_new_from_row (self->spec, id, stmt, 1));
        }
      if (rc != SQLITE_DONE)
        rl_store_set_error_from_db (self->store, &error, "Cannot read the list's rows");
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  if (error != NULL)
    g_warning ("Cannot read %s rows: %s", self->spec->entity, error->message);

  /* A row deleted since the keys were read (its change is on its way), or
   * one that could not be read: an item with its id only, never NULL. */
  {
    GHashTableIter iter;
    gpointer       id;

    g_hash_table_iter_init (&iter, wanted);
    while (g_hash_table_iter_next (&iter, &id, NULL))
      g_hash_table_insert (self->items, g_strdup (id),
                           rl_list_item_new_from_row (self->spec, id, NULL, 0));
  }

  {
    g_autoptr (GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = start; i < end; i++)
      g_hash_table_add (keep, ((RlListKey *) g_ptr_array_index (self->keys, i))->id);
    evict_items (self, keep);
  }
}

/* Reads the rows of the items made so far whose ids are in @ids again and
 * updates them in place; returns the ids whose values changed. */
static GHashTable *
refresh_items (RlRecordList      *self,
               const char *const *ids,
               guint              n_ids)
{
  GHashTable *changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  sqlite3_stmt    *stmt;

  if (n_ids == 0)
    return changed;
  json = rl_list_ids_to_json (ids, n_ids);
  stmt = prepare_window (self, &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot read %s rows: %s", self->spec->entity, error->message);
      return changed;
    }
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      RlListItem *item = id != NULL ? g_hash_table_lookup (self->items, id) : NULL;

      if (item != NULL && rl_list_item_update_from_row (item, stmt, 1))
        g_hash_table_add (changed, g_strdup (id));
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return changed;
}

/* ---- A new key list ------------------------------------------------------------ */

static void
drop_items_not_listed (RlRecordList *self)
{
  GHashTableIter iter;
  gpointer       id;

  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (!g_hash_table_contains (self->by_id, id))
      g_hash_table_iter_remove (&iter);
}

/* Swaps in @keys with their index @by_id (both owned) and emits one
 * items-changed over what differs (the common prefix and suffix of ids left
 * out). With @refresh, the items made so far are read again and those that
 * changed outside that range are announced. */
static void
apply_keys (RlRecordList *self,
            GPtrArray    *keys,
            GHashTable   *by_id,
            gboolean      refresh)
{
  GPtrArray  *old = self->keys;
  GHashTable *old_by_id = self->by_id;
  guint       n = old->len, m = keys->len, prefix = 0, suffix = 0;

  while (prefix < MIN (n, m)
         && g_str_equal (((RlListKey *) g_ptr_array_index (old, prefix))->id,
                         ((RlListKey *) g_ptr_array_index (keys, prefix))->id))
    prefix++;
  while (suffix < MIN (n, m) - prefix
         && g_str_equal (((RlListKey *) g_ptr_array_index (old, n - 1 - suffix))->id,
                         ((RlListKey *) g_ptr_array_index (keys, m - 1 - suffix))->id))
    suffix++;

  self->keys = keys;
  self->by_id = by_id;
  drop_items_not_listed (self);
  if (n > 1000)
    free_later (old, old_by_id);
  else
    {
      g_hash_table_unref (old_by_id);
      g_ptr_array_unref (old);
    }

  emit_items_changed (self, prefix, n - prefix - suffix, m - prefix - suffix);

  if (refresh && g_hash_table_size (self->items) > 0)
    {
      g_autofree const char **ids = NULL;
      g_autoptr (GHashTable) changed = NULL;
      guint n_ids;

      ids = (const char **) g_hash_table_get_keys_as_array (self->items, &n_ids);
      changed = refresh_items (self, ids, n_ids);
      for (guint i = 0; i < n_ids; i++)
        {
          guint pos;

          if (!g_hash_table_contains (changed, ids[i]))
            continue;
          pos = key_position (self, g_hash_table_lookup (self->by_id, ids[i]));
          if (pos < prefix || pos >= m - suffix)
            emit_items_changed (self, pos, 1, 1);
        }
    }
}

/* ---- Loading ---------------------------------------------------------------------- */

/* The worker side's connection to the list's file. */
typedef struct _RlListReader
{
  gatomicrefcount ref_count;
  GMutex          lock;
  RlStore        *store; /* opened by the first load that needs it */
} RlListReader;

static RlListReader *
reader_new (void)
{
  RlListReader *reader = g_new0 (RlListReader, 1);

  g_atomic_ref_count_init (&reader->ref_count);
  g_mutex_init (&reader->lock);
  return reader;
}

static RlListReader *
reader_ref (RlListReader *reader)
{
  g_atomic_ref_count_inc (&reader->ref_count);
  return reader;
}

static void
reader_unref (RlListReader *reader)
{
  if (g_atomic_ref_count_dec (&reader->ref_count))
    {
      g_clear_object (&reader->store);
      g_mutex_clear (&reader->lock);
      g_free (reader);
    }
}

typedef struct
{
  RlListReader     *reader;
  char             *path;
  RlListQuery      *query;
  const RlListSpec *spec;
  guint             serial;
  gboolean          refresh;
} LoadData;

/* What a load hands back: the keys and their index, built off the main thread. */
typedef struct
{
  GPtrArray  *keys;
  GHashTable *by_id;
} LoadResult;

static void
load_result_free (gpointer data)
{
  LoadResult *result = data;

  g_clear_pointer (&result->by_id, g_hash_table_unref);
  g_clear_pointer (&result->keys, g_ptr_array_unref);
  g_free (result);
}

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  reader_unref (load->reader);
  g_free (load->path);
  rl_list_query_free (load->query);
  g_free (load);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData     *load = task_data;
  RlListReader *reader = load->reader;
  g_autoptr (GError) error = NULL;
  LoadResult *result;
  GPtrArray  *keys;
  gint64      t0;

  g_mutex_lock (&reader->lock);
  /* A newer load is queued behind this one: let it run instead. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_mutex_unlock (&reader->lock);
      g_task_return_error_if_cancelled (task);
      return;
    }
  if (reader->store != NULL && g_strcmp0 (rl_store_get_path (reader->store), load->path) != 0)
    g_clear_object (&reader->store);
  if (reader->store == NULL && (reader->store = rl_store_open (load->path, &error)) == NULL)
    {
      g_mutex_unlock (&reader->lock);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  t0 = g_get_monotonic_time ();
  keys = rl_list_query_read_keys (load->query, load->spec, reader->store, &error);
  g_mutex_unlock (&reader->lock);
  if (keys == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (LoadResult, 1);
  result->keys = keys;
  result->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < keys->len; i++)
    {
      RlListKey *key = g_ptr_array_index (keys, i);

      g_hash_table_insert (result->by_id, key->id, key);
    }
  g_debug ("%s list: %u keys read and indexed in %.1f ms", load->spec->entity, keys->len,
           (g_get_monotonic_time () - t0) / 1000.0);
  g_task_return_pointer (task, result, load_result_free);
}

static void
set_loading (RlRecordList *self,
             gboolean      loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_error (RlRecordList *self,
           GError       *error)
{
  gboolean was_failed = self->error != NULL;

  g_clear_error (&self->error);
  self->error = error;
  if (was_failed || error != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
}

static void
free_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  /* The task data (what the list let go) is freed with the task. */
}

/* Frees a big key list and its index in a worker: 100,000 frees are not
 * for the main thread. */
static void
free_later (GPtrArray  *keys,
            GHashTable *by_id)
{
  g_autoptr (GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  LoadResult *old = g_new0 (LoadResult, 1);

  old->keys = keys;
  old->by_id = by_id;
  g_task_set_source_tag (task, free_later);
  g_task_set_task_data (task, old, load_result_free);
  g_task_run_in_thread (task, free_in_thread);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr (RlRecordList) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreChanges) deferred = NULL;
  LoadData   *load = g_task_get_task_data (G_TASK (result));
  LoadResult *loaded;

  loaded = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || load->serial != self->serial)
    {
      g_clear_pointer (&loaded, load_result_free);
      return; /* a newer load is on its way */
    }

  if (loaded == NULL)
    g_warning ("Cannot load the %s list: %s", self->spec->entity, error->message);
  else
    {
      gint64 t0 = g_get_monotonic_time ();

      apply_keys (self, g_steal_pointer (&loaded->keys), g_steal_pointer (&loaded->by_id),
                  load->refresh);
      g_debug ("%s list: %u keys applied in %.1f ms", self->spec->entity, self->keys->len,
               (g_get_monotonic_time () - t0) / 1000.0);
      load_result_free (loaded);
    }
  set_error (self, g_steal_pointer (&error));
  set_loading (self, FALSE);

  if (!self->paused)
    {
      deferred = g_steal_pointer (&self->deferred);
      if (deferred != NULL)
        rl_record_list_apply_changes (self, deferred);
    }
}

static gboolean
start_load_cb (gpointer user_data)
{
  RlRecordList *self = user_data;
  g_autoptr (GTask) task = NULL;
  LoadData *load;

  self->reload_source = 0;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  load = g_new0 (LoadData, 1);
  load->reader = reader_ref (self->reader);
  load->path = g_strdup (rl_store_get_path (self->store));
  load->query = rl_record_list_build_query (self);
  load->spec = self->spec;
  load->serial = self->serial;
  load->refresh = self->reload_refresh;
  self->reload_refresh = FALSE;

  task = g_task_new (self, self->cancellable, load_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_load_cb);
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_thread);
  return G_SOURCE_REMOVE;
}

/* Reads the keys again. Requests made in the same main-loop turn (a filter
 * and a text set together) share one load, started from an idle. */
static void
schedule_reload (RlRecordList *self,
                 gboolean      refresh_items)
{
  self->serial++;
  g_cancellable_cancel (self->cancellable);

  if (self->store == NULL)
    {
      g_autoptr (GPtrArray) none = g_ptr_array_new_with_free_func (rl_list_key_free);

      g_clear_handle_id (&self->reload_source, g_source_remove);
      apply_keys (self, g_steal_pointer (&none), g_hash_table_new (g_str_hash, g_str_equal),
                  FALSE);
      set_loading (self, FALSE);
      return;
    }

  self->reload_refresh |= refresh_items;
  if (self->reload_source == 0)
    self->reload_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, start_load_cb, self, NULL);
  set_loading (self, TRUE);
}

/* ---- Changed rows ---------------------------------------------------------------- */

static void
remove_at (RlRecordList *self,
           guint         position)
{
  RlListKey *key = g_ptr_array_index (self->keys, position);

  g_hash_table_remove (self->items, key->id);
  g_hash_table_remove (self->by_id, key->id);
  g_ptr_array_remove_index (self->keys, position); /* frees the key */
}

static guint
insert_key (RlRecordList *self,
            RlListKey    *key)
{
  guint position = key_position (self, key);

  g_ptr_array_insert (self->keys, (gint) position, key);
  g_hash_table_insert (self->by_id, key->id, key);
  return position;
}

/* One changed id: @key is its new key (owned), or NULL when the row left the
 * list; @stmt is on its row (NULL when none). */
static void
apply_changed_row (RlRecordList *self,
                   const char   *id,
                   RlListKey    *key,
                   sqlite3_stmt *stmt)
{
  RlListKey  *old = g_hash_table_lookup (self->by_id, id);
  RlListItem *item = g_hash_table_lookup (self->items, id);
  gboolean    updated = item != NULL && stmt != NULL && rl_list_item_update_from_row (item, stmt, 2);
  guint       from, to;

  if (old == NULL && key == NULL)
    return;
  if (old != NULL && key == NULL)
    {
      from = key_position (self, old);
      remove_at (self, from);
      emit_items_changed (self, from, 1, 0);
      return;
    }
  if (old == NULL)
    {
      to = insert_key (self, key);
      emit_items_changed (self, to, 0, 1);
      return;
    }

  from = key_position (self, old);
  if (rl_list_key_compare (old, key, is_descending (self)) == 0)
    {
      rl_list_key_free (key);
      /* An item nobody made yet may still feed a filter or sorter above. */
      if (updated || item == NULL)
        emit_items_changed (self, from, 1, 1);
      return;
    }

  /* It moved: take the key out (keeping the item, the same object comes
   * back) and put the new one in. A short move is one items-changed over
   * the span between both places, so a GtkSingleSelection of this row finds
   * its item again among the added ones; a long one would make every row of
   * the span be read again, so it is a removal and an insertion (a page that
   * keeps such a selection re-selects by id, rl_record_list_find). */
  g_hash_table_remove (self->by_id, id);
  g_ptr_array_remove_index (self->keys, from);
  to = insert_key (self, key);
  if (MAX (from, to) - MIN (from, to) < MOVE_SPAN_MAX)
    emit_items_changed (self, MIN (from, to), MAX (from, to) - MIN (from, to) + 1,
                        MAX (from, to) - MIN (from, to) + 1);
  else
    {
      /* Announce the state between both steps as it was: the row out… */
      RlListKey *moved = g_ptr_array_steal_index (self->keys, to);

      g_hash_table_remove (self->by_id, moved->id);
      emit_items_changed (self, from, 1, 0);
      /* …then in. */
      g_ptr_array_insert (self->keys, (gint) to, moved);
      g_hash_table_insert (self->by_id, moved->id, moved);
      emit_items_changed (self, to, 0, 1);
    }
}

static void
apply_changed_ids (RlRecordList      *self,
                   const char *const *ids,
                   guint              n_ids)
{
  g_autoptr (RlListQuery) query = rl_record_list_build_query (self);
  g_autoptr (GHashTable) gone = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  g_autofree char *columns = columns_sql (self->spec);
  g_autofree char *json = rl_list_ids_to_json (ids, n_ids);
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt;
  int              rc;

  for (guint i = 0; i < n_ids; i++)
    g_hash_table_add (gone, (gpointer) ids[i]);

  sql = g_strdup_printf ("SELECT %s, %s%s FROM %s%s%s %s IN (SELECT value FROM json_each(?%u))",
                         query->sort_sql, self->spec->id_sql, columns, self->spec->from,
                         query->where, *query->where != '\0' ? " AND" : " WHERE",
                         self->spec->id_sql, query->binds->len + 1);
  stmt = rl_store_prepare (self->store, sql, &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot read changed %s rows: %s", self->spec->entity, error->message);
      schedule_reload (self, TRUE);
      return;
    }
  rl_list_query_bind (query, stmt);
  sqlite3_bind_text (stmt, (int) query->binds->len + 1, json, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RlListKey *key = rl_list_key_from_row (query, stmt, 0, 1);

      g_hash_table_remove (gone, key->id);
      apply_changed_row (self, key->id, key, stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      g_warning ("Cannot read changed %s rows", self->spec->entity);
      schedule_reload (self, TRUE);
      return;
    }

  /* Rows deleted, or no longer matching the filter. */
  {
    GHashTableIter iter;
    gpointer       id;

    g_hash_table_iter_init (&iter, gone);
    while (g_hash_table_iter_next (&iter, &id, NULL))
      apply_changed_row (self, id, NULL, NULL);
  }
}

void
rl_record_list_apply_changes (RlRecordList   *self,
                              RlStoreChanges *changes)
{
  g_autofree const char **ids = NULL;
  guint                   n_ids;

  if (!rl_store_changes_has_entity (changes, self->spec->entity) || self->store == NULL)
    return;
  if (self->loading || self->paused)
    {
      if (self->deferred == NULL)
        self->deferred = rl_store_changes_new ();
      rl_store_changes_merge (self->deferred, changes);
      return;
    }

  ids = rl_store_changes_get_ids (changes, self->spec->entity, &n_ids);
  if (ids == NULL || n_ids > INCREMENTAL_MAX)
    schedule_reload (self, TRUE);
  else
    apply_changed_ids (self, ids, n_ids);
}

static void
store_changed_cb (RlRecordList   *self,
                  RlStoreChanges *changes,
                  RlStoreMonitor *monitor)
{
  rl_record_list_apply_changes (self, changes);
}

/* ---- GListModel --------------------------------------------------------------------- */

static GType
rl_record_list_get_item_type (GListModel *model)
{
  return RL_RECORD_LIST (model)->spec->item_type ();
}

static guint
rl_record_list_get_n_items (GListModel *model)
{
  return RL_RECORD_LIST (model)->keys->len;
}

static gpointer
rl_record_list_get_item (GListModel *model,
                         guint       position)
{
  RlRecordList *self = RL_RECORD_LIST (model);
  RlListKey    *key;
  RlListItem   *item;

  if (position >= self->keys->len)
    return NULL;
  key = g_ptr_array_index (self->keys, position);
  item = g_hash_table_lookup (self->items, key->id);
  if (item == NULL)
    {
      load_window (self, position);
      item = g_hash_table_lookup (self->items, key->id);
    }
  g_assert (item != NULL);
  return g_object_ref (item);
}

static void
rl_record_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = rl_record_list_get_item_type;
  iface->get_n_items = rl_record_list_get_n_items;
  iface->get_item = rl_record_list_get_item;
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
rl_record_list_dispose (GObject *object)
{
  RlRecordList *self = RL_RECORD_LIST (object);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->store);
  g_clear_pointer (&self->deferred, rl_store_changes_unref);

  G_OBJECT_CLASS (rl_record_list_parent_class)->dispose (object);
}

static void
rl_record_list_finalize (GObject *object)
{
  RlRecordList *self = RL_RECORD_LIST (object);

  g_hash_table_unref (self->items);
  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->keys);
  g_hash_table_unref (self->value_filters);
  g_hash_table_unref (self->range_filters);
  g_free (self->text);
  g_free (self->needle);
  g_free (self->sort_column);
  g_clear_error (&self->error);
  reader_unref (self->reader);

  G_OBJECT_CLASS (rl_record_list_parent_class)->finalize (object);
}

static void
rl_record_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RlRecordList *self = RL_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, self->spec->item_type ());
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->keys->len);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_FAILED:
      g_value_set_boolean (value, self->error != NULL);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_SORT_COLUMN:
      g_value_set_string (value, self->sort_column);
      break;
    case PROP_SORT_DESCENDING:
      g_value_set_boolean (value, self->sort_descending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_record_list_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RlRecordList *self = RL_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      rl_record_list_set_store (self, g_value_get_object (value));
      break;
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      self->spec = rl_list_spec_for_kind (self->kind);
      break;
    case PROP_TEXT:
      rl_record_list_set_text (self, g_value_get_string (value));
      break;
    case PROP_SORT_COLUMN:
      rl_record_list_set_sort (self, g_value_get_string (value), self->sort_descending);
      break;
    case PROP_SORT_DESCENDING:
      rl_record_list_set_sort (self,
                               self->sort_column != NULL ? self->sort_column
                                                         : self->spec->default_sort,
                               g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_record_list_class_init (RlRecordListClass *klass)
{
  GObjectClass     *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = rl_record_list_dispose;
  object_class->finalize = rl_record_list_finalize;
  object_class->get_property = rl_record_list_get_property;
  object_class->set_property = rl_record_list_set_property;

  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, RL_TYPE_STORE, rw);
  properties[PROP_KIND] =
      g_param_spec_enum ("kind", NULL, NULL, RL_TYPE_LIST_KIND, RL_LIST_KIND_ALERTS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM_TYPE] =
      g_param_spec_gtype ("item-type", NULL, NULL, RL_TYPE_LIST_ITEM,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, ro);
  properties[PROP_FAILED] = g_param_spec_boolean ("failed", NULL, NULL, FALSE, ro);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, rw);
  properties[PROP_SORT_COLUMN] = g_param_spec_string ("sort-column", NULL, NULL, NULL, rw);
  properties[PROP_SORT_DESCENDING] =
      g_param_spec_boolean ("sort-descending", NULL, NULL, FALSE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
free_range (gpointer data)
{
  g_free (data);
}

static void
rl_record_list_init (RlRecordList *self)
{
  self->spec = rl_list_spec_for_kind (RL_LIST_KIND_ALERTS);
  self->keys = g_ptr_array_new_with_free_func (rl_list_key_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->value_filters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_strfreev);
  self->range_filters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_range);
  self->reader = reader_new ();
}

/* ---- Public API ----------------------------------------------------------------------- */

RlRecordList *
rl_record_list_new (RlStore   *store,
                    RlListKind kind)
{
  g_return_val_if_fail (store == NULL || RL_IS_STORE (store), NULL);

  return g_object_new (RL_TYPE_RECORD_LIST, "kind", kind, "store", store, NULL);
}

gboolean
rl_record_list_get_paused (RlRecordList *self)
{
  g_return_val_if_fail (RL_IS_RECORD_LIST (self), FALSE);

  return self->paused;
}

void
rl_record_list_set_paused (RlRecordList *self,
                           gboolean      paused)
{
  g_autoptr (RlStoreChanges) deferred = NULL;

  g_return_if_fail (RL_IS_RECORD_LIST (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  g_debug ("%s list: %s", self->spec->entity, paused ? "paused" : "resumed");
  if (paused || self->loading)
    return;
  /* What changed meanwhile, at once (a full reload past INCREMENTAL_MAX). */
  deferred = g_steal_pointer (&self->deferred);
  if (deferred != NULL)
    rl_record_list_apply_changes (self, deferred);
}

RlStore *
rl_record_list_get_store (RlRecordList *self)
{
  g_return_val_if_fail (RL_IS_RECORD_LIST (self), NULL);

  return self->store;
}

void
rl_record_list_set_store (RlRecordList *self,
                          RlStore      *store)
{
  g_return_if_fail (RL_IS_RECORD_LIST (self));
  g_return_if_fail (store == NULL || RL_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->deferred, rl_store_changes_unref);
  g_set_object (&self->store, store);
  g_hash_table_remove_all (self->items);

  if (store != NULL)
    {
      self->monitor = rl_store_monitor_new (store);
      g_signal_connect_object (self->monitor, "changed", G_CALLBACK (store_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  /* The rows of another file: forget the old ones at once. */
  if (self->keys->len > 0)
    apply_keys (self, g_ptr_array_new_with_free_func (rl_list_key_free),
                g_hash_table_new (g_str_hash, g_str_equal), FALSE);
  schedule_reload (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

RlListKind
rl_record_list_get_kind (RlRecordList *self)
{
  g_return_val_if_fail (RL_IS_RECORD_LIST (self), RL_LIST_KIND_ALERTS);

  return self->kind;
}

GType
rl_record_list_get_item_type_for_kind (RlListKind kind)
{
  const RlListSpec *spec = rl_list_spec_for_kind (kind);

  g_return_val_if_fail (spec != NULL, G_TYPE_INVALID);
  return spec->item_type ();
}

gboolean
rl_record_list_get_loading (RlRecordList *self)
{
  g_return_val_if_fail (RL_IS_RECORD_LIST (self), FALSE);

  return self->loading;
}

const GError *
rl_record_list_get_error (RlRecordList *self)
{
  g_return_val_if_fail (RL_IS_RECORD_LIST (self), NULL);

  return self->error;
}

const char *
rl_record_list_get_text (RlRecordList *self)
{
  g_return_val_if_fail (RL_IS_RECORD_LIST (self), NULL);

  return self->text;
}

void
rl_record_list_set_text (RlRecordList *self,
                         const char   *text)
{
  g_autofree char *needle = NULL;

  g_return_if_fail (RL_IS_RECORD_LIST (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);

  needle = rl_search_normalize (text);
  if (*needle == '\0')
    g_clear_pointer (&needle, g_free);
  if (g_strcmp0 (needle, self->needle) == 0)
    return;
  g_free (self->needle);
  self->needle = g_steal_pointer (&needle);
  schedule_reload (self, FALSE);
}

void
rl_record_list_set_values (RlRecordList      *self,
                           const char        *column,
                           const char *const *values)
{
  const RlListColumn *col;
  GStrv               current;

  g_return_if_fail (RL_IS_RECORD_LIST (self));
  col = rl_list_spec_column (self->spec, column, NULL);
  g_return_if_fail (col != NULL && col->filter_sql != NULL);

  current = g_hash_table_lookup (self->value_filters, column);
  if (values == NULL || values[0] == NULL)
    {
      if (!g_hash_table_remove (self->value_filters, column))
        return;
    }
  else
    {
      if (current != NULL && g_strv_equal ((const char *const *) current, values))
        return;
      g_hash_table_insert (self->value_filters, g_strdup (column), g_strdupv ((GStrv) values));
    }
  schedule_reload (self, FALSE);
}

void
rl_record_list_set_range (RlRecordList *self,
                          const char   *column,
                          gint64        from_ms,
                          gint64        to_ms)
{
  const RlListColumn *col;
  gint64             *range;

  g_return_if_fail (RL_IS_RECORD_LIST (self));
  col = rl_list_spec_column (self->spec, column, NULL);
  g_return_if_fail (col != NULL && col->filter_sql != NULL && col->fundamental == G_TYPE_INT64);

  range = g_hash_table_lookup (self->range_filters, column);
  if (from_ms == G_MININT64 && to_ms == G_MAXINT64)
    {
      if (!g_hash_table_remove (self->range_filters, column))
        return;
    }
  else
    {
      if (range != NULL && range[0] == from_ms && range[1] == to_ms)
        return;
      range = g_new (gint64, 2);
      range[0] = from_ms;
      range[1] = to_ms;
      g_hash_table_insert (self->range_filters, g_strdup (column), range);
    }
  schedule_reload (self, FALSE);
}

void
rl_record_list_clear_filters (RlRecordList *self)
{
  g_return_if_fail (RL_IS_RECORD_LIST (self));

  if (self->text == NULL && g_hash_table_size (self->value_filters) == 0
      && g_hash_table_size (self->range_filters) == 0)
    return;
  g_hash_table_remove_all (self->value_filters);
  g_hash_table_remove_all (self->range_filters);
  g_clear_pointer (&self->needle, g_free);
  if (self->text != NULL)
    {
      g_clear_pointer (&self->text, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
    }
  schedule_reload (self, FALSE);
}

const char *
rl_record_list_get_sort_column (RlRecordList *self)
{
  g_return_val_if_fail (RL_IS_RECORD_LIST (self), NULL);

  return self->sort_column;
}

gboolean
rl_record_list_get_sort_descending (RlRecordList *self)
{
  g_return_val_if_fail (RL_IS_RECORD_LIST (self), FALSE);

  return self->sort_descending;
}

const char *
rl_record_list_get_default_sort (RlRecordList *self,
                                 gboolean     *descending)
{
  g_return_val_if_fail (RL_IS_RECORD_LIST (self), NULL);

  if (descending != NULL)
    *descending = self->spec->default_descending;
  return self->spec->default_sort;
}

gboolean
rl_record_list_can_sort (RlRecordList *self,
                         const char   *column)
{
  const RlListColumn *col;

  g_return_val_if_fail (RL_IS_RECORD_LIST (self), FALSE);

  col = rl_list_spec_column (self->spec, column, NULL);
  return col != NULL && col->sort_sql != NULL;
}

void
rl_record_list_set_sort (RlRecordList *self,
                         const char   *column,
                         gboolean      descending)
{
  g_return_if_fail (RL_IS_RECORD_LIST (self));

  if (column != NULL && *column == '\0')
    column = NULL;
  g_return_if_fail (column == NULL || rl_record_list_can_sort (self, column));
  /* No column is the default order (@descending ignored), and the default
   * order asked for by name is the same. */
  if (column == NULL
      || (g_str_equal (column, self->spec->default_sort)
          && !!descending == self->spec->default_descending))
    {
      column = NULL;
      descending = FALSE;
    }

  if (g_strcmp0 (self->sort_column, column) == 0 && self->sort_descending == !!descending)
    return;
  if (g_strcmp0 (self->sort_column, column) != 0)
    {
      g_free (self->sort_column);
      self->sort_column = g_strdup (column);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_COLUMN]);
    }
  if (self->sort_descending != !!descending)
    {
      self->sort_descending = !!descending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_DESCENDING]);
    }
  schedule_reload (self, FALSE);
}

guint
rl_record_list_find (RlRecordList *self,
                     const char   *id)
{
  RlListKey *key;

  g_return_val_if_fail (RL_IS_RECORD_LIST (self), G_MAXUINT);
  g_return_val_if_fail (id != NULL, G_MAXUINT);

  key = g_hash_table_lookup (self->by_id, id);
  return key != NULL ? key_position (self, key) : G_MAXUINT;
}

void
rl_record_list_reload (RlRecordList *self)
{
  g_return_if_fail (RL_IS_RECORD_LIST (self));

  schedule_reload (self, TRUE);
}
