/* test-record-list.c — RlRecordList's items-changed positions against a reference.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A mirror list follows the model by applying every items-changed it emits
 * (removing, then reading the added items); after each write to the cache,
 * filter change or sort change the mirror must equal the reference: the ids
 * the test reads itself, with its own SQL, from the cache file. A wrong
 * position, count or order in any signal leaves the mirror wrong for good.
 * Each of the seven list kinds, and the runs list at 100,000 rows.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "list-records.h"
#include "rl-record-list.h"
#include "rl-store-monitor.h"
#include "rl-test-util.h"
#include "rl-time.h"

#define WAIT_MS 60000

/* ---- The mirror ------------------------------------------------------------------ */

typedef struct
{
  GListModel *model;
  GPtrArray  *ids;                      /* char*, as the signals say */
  guint       signals;                  /* items-changed seen */
  guint       position, removed, added; /* the last one */
} Mirror;

static void
mirror_items_changed_cb (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         Mirror     *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->ids->len);
  g_ptr_array_remove_range (mirror->ids, position, removed);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr (RlListItem) item = g_list_model_get_item (model, position + i);

      g_assert_nonnull (item);
      g_ptr_array_insert (mirror->ids, (gint) (position + i),
                          g_strdup (rl_list_item_get_id (item)));
    }
  /* The model's count agrees with the signal at the time it is emitted. */
  g_assert_cmpuint (mirror->ids->len, ==, g_list_model_get_n_items (model));
  mirror->signals++;
  mirror->position = position;
  mirror->removed = removed;
  mirror->added = added;
}

static Mirror *
mirror_new (RlRecordList *list)
{
  Mirror *mirror = g_new0 (Mirror, 1);

  mirror->model = G_LIST_MODEL (list);
  mirror->ids = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (list, "items-changed", G_CALLBACK (mirror_items_changed_cb), mirror);
  return mirror;
}

static void
mirror_free (Mirror *mirror)
{
  g_signal_handlers_disconnect_by_data (mirror->model, mirror);
  g_ptr_array_unref (mirror->ids);
  g_free (mirror);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Mirror, mirror_free)

/* ---- The reference ----------------------------------------------------------------- */

static GPtrArray *
reference_ids (RlStore    *store,
               const char *sql)
{
  GPtrArray    *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int           rc;

  rc = sqlite3_open_v2 (rl_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("reference query failed: %s: %s", sql, sqlite3_errmsg (db));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ids;
}

typedef struct
{
  Mirror       *mirror;
  RlRecordList *list;
  GPtrArray    *expected;
} MatchWait;

static gboolean
mirror_matches (gpointer user_data)
{
  MatchWait *wait = user_data;

  if (rl_record_list_get_loading (wait->list) || wait->mirror->ids->len != wait->expected->len)
    return FALSE;
  for (guint i = 0; i < wait->expected->len; i++)
    if (g_strcmp0 (g_ptr_array_index (wait->mirror->ids, i), g_ptr_array_index (wait->expected, i))
        != 0)
      return FALSE;
  return TRUE;
}

static void
assert_mirror (Mirror       *mirror,
               RlRecordList *list,
               RlStore      *store,
               const char   *sql)
{
  g_autoptr (GPtrArray) expected = reference_ids (store, sql);
  MatchWait wait = { mirror, list, expected };

  if (!rl_test_wait_until (mirror_matches, &wait, WAIT_MS))
    {
      guint first = 0;

      while (first < MIN (mirror->ids->len, expected->len)
             && g_str_equal (g_ptr_array_index (mirror->ids, first),
                             g_ptr_array_index (expected, first)))
        first++;
      g_error ("the list does not follow the cache (%s): %u rows shown, %u expected, first "
               "difference at %u (%s ≠ %s), loading %d",
               sql, mirror->ids->len, expected->len, first,
               first < mirror->ids->len ? (char *) g_ptr_array_index (mirror->ids, first) : "-",
               first < expected->len ? (char *) g_ptr_array_index (expected, first) : "-",
               rl_record_list_get_loading (list));
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, expected->len);
}

/* ---- Writing --------------------------------------------------------------------------- */

static RlStore *
open_store (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "lists.sqlite", NULL);
  RlStore         *store;

  g_remove (path);
  store = rl_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

/* One batch of every kind of change, in one transaction: records whose
 * sort or filter fields move, records that change without moving (a new
 * version only), deletions and insertions. */
static void
write_mixed_batch (RlStore        *store,
                   const KindCase *kc,
                   guint           n,
                   guint           round)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);

  g_assert_no_error (error);
  for (guint k = 0; k < 40; k++)
    {
      guint i = (k * 97 + round * 31) % n;
      g_autoptr (JsonObject) record = kc->make (i, k < 25 ? round + 1 : 0);

      if (k >= 25) /* same sort value, new content */
        json_object_set_int_member (record, "version", 100 + round);
      rl_store_batch_upsert (batch, kc->entity, record, &error);
      g_assert_no_error (error);
    }
  for (guint k = 0; k < 15; k++)
    {
      g_autoptr (JsonObject) record = kc->make ((k * 53 + round * 7 + 5) % n, 0);

      rl_store_batch_delete (batch, kc->entity, json_object_get_string_member (record, "id"), -1,
                             &error);
      g_assert_no_error (error);
    }
  for (guint k = 0; k < 25; k++)
    {
      g_autoptr (JsonObject) record = kc->make (n + round * 100 + k, round);

      rl_store_batch_upsert (batch, kc->entity, record, &error);
      g_assert_no_error (error);
    }
  rl_store_batch_commit (batch, &error);
  g_assert_no_error (error);
}

static char *
reference_sql (const KindCase *kc,
               const char     *where,
               const char     *order)
{
  return g_strdup_printf ("SELECT id FROM %s%s%s ORDER BY %s", kc->table,
                          where != NULL ? " WHERE " : "", where != NULL ? where : "",
                          order != NULL ? order : kc->default_order);
}

/* ---- Tests ------------------------------------------------------------------------------ */

static void
test_kind (gconstpointer data)
{
  const KindCase *kc = data;
  const guint     n = 400;
  g_autoptr (RlStore) store = open_store ();
  g_autoptr (RlRecordList) list = NULL;
  g_autoptr (Mirror) mirror = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *marked = NULL;
  g_autofree char *asc = NULL;
  g_autofree char *desc = NULL;
  const char      *values[] = { kc->value, NULL };

  list_write_records (store, kc, 0, n, 0);

  list = rl_record_list_new (store, kc->kind);
  mirror = mirror_new (list);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list))
                 == rl_record_list_get_item_type_for_kind (kc->kind));

  /* Load. */
  sql = reference_sql (kc, NULL, NULL);
  assert_mirror (mirror, list, store, sql);
  g_assert_cmpuint (mirror->ids->len, ==, n);

  /* Inserts, moves, in-place updates and deletes in one transaction. */
  write_mixed_batch (store, kc, n, 1);
  assert_mirror (mirror, list, store, sql);

  /* A value filter, then the text filter on top of it. */
  rl_record_list_set_values (list, kc->value_column, values);
  g_clear_pointer (&sql, g_free);
  {
    g_autofree char *where = g_strdup_printf ("%s = '%s'", kc->value_sql, kc->value);
    sql = reference_sql (kc, where, NULL);
  }
  assert_mirror (mirror, list, store, sql);

  rl_record_list_set_text (list, "ÖLFILTER");
  marked = g_strdup_printf ("%s = '%s' AND %s LIKE '%%" MARK_TEXT "%%'", kc->value_sql, kc->value,
                            kc->text_sql);
  g_clear_pointer (&sql, g_free);
  sql = reference_sql (kc, marked, NULL);
  assert_mirror (mirror, list, store, sql);
  g_assert_cmpuint (mirror->ids->len, >, 0);

  /* Writes while filtered: rows enter and leave the filter. */
  write_mixed_batch (store, kc, n, 2);
  assert_mirror (mirror, list, store, sql);

  /* Devanagari matches too; the value filter goes. */
  rl_record_list_set_values (list, kc->value_column, NULL);
  rl_record_list_set_text (list, "ठमेल");
  g_clear_pointer (&marked, g_free);
  marked = g_strdup_printf ("%s LIKE '%%" MARK_TEXT "%%'", kc->text_sql);
  g_clear_pointer (&sql, g_free);
  sql = reference_sql (kc, marked, NULL);
  assert_mirror (mirror, list, store, sql);

  /* A needle too short for the trigram index: the scan finds the same. */
  rl_record_list_set_text (list, "öl");
  assert_mirror (mirror, list, store, sql);

  /* Another column, both ways; changes placed in that order. */
  rl_record_list_set_text (list, NULL);
  rl_record_list_set_sort (list, kc->sort_column, FALSE);
  asc = g_strdup_printf ("%s, id", kc->sort_sql);
  g_clear_pointer (&sql, g_free);
  sql = reference_sql (kc, NULL, asc);
  assert_mirror (mirror, list, store, sql);
  write_mixed_batch (store, kc, n, 3);
  assert_mirror (mirror, list, store, sql);

  rl_record_list_set_sort (list, kc->sort_column, TRUE);
  desc = g_strdup_printf ("%s DESC, id DESC", kc->sort_sql);
  g_clear_pointer (&sql, g_free);
  sql = reference_sql (kc, NULL, desc);
  assert_mirror (mirror, list, store, sql);
  write_mixed_batch (store, kc, n, 4);
  assert_mirror (mirror, list, store, sql);

  /* Back to the default order. */
  rl_record_list_set_sort (list, NULL, FALSE);
  g_clear_pointer (&sql, g_free);
  sql = reference_sql (kc, NULL, NULL);
  assert_mirror (mirror, list, store, sql);
}

static guint
position_of (Mirror     *mirror,
             const char *id)
{
  for (guint i = 0; i < mirror->ids->len; i++)
    if (g_str_equal (g_ptr_array_index (mirror->ids, i), id))
      return i;
  return G_MAXUINT;
}

typedef struct
{
  Mirror *mirror;
  guint   signals;
} SignalWait;

static gboolean
signal_seen (gpointer user_data)
{
  SignalWait *wait = user_data;

  return wait->mirror->signals > wait->signals;
}

/* Writes one run and waits for the one signal it must cause. */
static void
write_run_and_wait (RlStore    *store,
                    Mirror     *mirror,
                    JsonObject *record,
                    gboolean delete)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);
  SignalWait wait = { mirror, mirror->signals };

  if (delete)
    rl_store_batch_delete (batch, "run", json_object_get_string_member (record, "id"), -1, &error);
  else
    rl_store_batch_upsert (batch, "run", record, &error);
  g_assert_no_error (error);
  rl_store_batch_commit (batch, &error);
  g_assert_no_error (error);
  g_assert_true (rl_test_wait_until (signal_seen, &wait, WAIT_MS));
  g_assert_cmpuint (mirror->signals, ==, wait.signals + 1);
}

/* The exact signal of each single-row change, and the item object kept. */
static void
test_single_changes (void)
{
  const KindCase *kc = &list_kind_cases[3];
  g_autoptr (RlStore) store = open_store ();
  g_autoptr (RlRecordList) list = NULL;
  g_autoptr (Mirror) mirror = NULL;
  g_autoptr (RlListItem) held = NULL;
  g_autoptr (RlListItem) again = NULL;
  g_autoptr (JsonObject) record = NULL;
  g_autofree char *sql = reference_sql (kc, NULL, NULL);
  guint            before, after;

  g_assert_cmpint (kc->kind, ==, RL_LIST_KIND_RUNS);
  list_write_records (store, kc, 0, 50, 0);
  list = rl_record_list_new (store, RL_LIST_KIND_RUNS);
  mirror = mirror_new (list);
  assert_mirror (mirror, list, store, sql);

  /* Update without moving: (position, 1, 1), the same object, notified. */
  held = g_list_model_get_item (G_LIST_MODEL (list), 10);
  before = 10;
  record = list_make_run (g_ascii_strtoull (rl_list_item_get_id (held) + 4, NULL, 10), 0);
  json_object_set_string_member (record, "error", "disk full");
  write_run_and_wait (store, mirror, record, FALSE);
  g_assert_cmpuint (mirror->position, ==, before);
  g_assert_cmpuint (mirror->removed, ==, 1);
  g_assert_cmpuint (mirror->added, ==, 1);
  again = g_list_model_get_item (G_LIST_MODEL (list), before);
  g_assert_true (again == held);
  g_assert_cmpstr (rl_list_item_get_string (held, "error"), ==, "disk full");
  g_clear_object (&again);

  /* A move to the top (newest start): one signal over the span, same item. */
  json_object_set_string_member (record, "startedAt", "2030-01-01T00:00:00.000Z");
  json_object_set_string_member (record, "status", "failed");
  write_run_and_wait (store, mirror, record, FALSE);
  g_assert_cmpuint (mirror->position, ==, 0);
  g_assert_cmpuint (mirror->removed, ==, before + 1);
  g_assert_cmpuint (mirror->added, ==, before + 1);
  again = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (again == held);
  g_assert_cmpint (rl_list_item_get_enum (held, "status"), ==, RL_RUN_STATUS_FAILED);
  g_clear_object (&again);
  assert_mirror (mirror, list, store, sql);

  /* An insert in the middle: (position, 0, 1). */
  g_clear_pointer (&record, json_object_unref);
  record = list_make_run (1000, 0);
  write_run_and_wait (store, mirror, record, FALSE);
  after = position_of (mirror, "run-001000");
  g_assert_cmpuint (mirror->position, ==, after);
  g_assert_cmpuint (mirror->removed, ==, 0);
  g_assert_cmpuint (mirror->added, ==, 1);
  assert_mirror (mirror, list, store, sql);

  /* A delete: (position, 1, 0). */
  write_run_and_wait (store, mirror, record, TRUE);
  g_assert_cmpuint (mirror->position, ==, after);
  g_assert_cmpuint (mirror->removed, ==, 1);
  g_assert_cmpuint (mirror->added, ==, 0);
  g_assert_cmpuint (position_of (mirror, "run-001000"), ==, G_MAXUINT);
  assert_mirror (mirror, list, store, sql);

  /* A row leaving the filter is removed, one entering it is inserted. */
  {
    const char      *failed[] = { "failed", NULL };
    g_autofree char *filtered = reference_sql (kc, "status = 'failed'", NULL);

    rl_record_list_set_values (list, "status", failed);
    assert_mirror (mirror, list, store, filtered);
    json_object_set_string_member (record, "status", "succeeded");
    g_clear_pointer (&record, json_object_unref);
    record = list_make_run (g_ascii_strtoull (rl_list_item_get_id (held) + 4, NULL, 10), 0);
    json_object_set_string_member (record, "startedAt", "2030-01-01T00:00:00.000Z");
    json_object_set_string_member (record, "status", "succeeded");
    write_run_and_wait (store, mirror, record, FALSE);
    g_assert_cmpuint (mirror->position, ==, 0);
    g_assert_cmpuint (mirror->removed, ==, 1);
    g_assert_cmpuint (mirror->added, ==, 0);
    assert_mirror (mirror, list, store, filtered);
  }
}

/* Paused (its page not shown), the list applies no change and emits
 * nothing; resumed, it catches up at once to the cache (docs/battery.md). */
static void
test_paused (void)
{
  const KindCase *kc = &list_kind_cases[3];
  g_autoptr (RlStore) store = open_store ();
  g_autoptr (RlRecordList) list = NULL;
  g_autoptr (Mirror) mirror = NULL;
  g_autofree char *sql = reference_sql (kc, NULL, NULL);
  guint            n_before, signals_before;

  list_write_records (store, kc, 0, 50, 0);
  list = rl_record_list_new (store, RL_LIST_KIND_RUNS);
  mirror = mirror_new (list);
  assert_mirror (mirror, list, store, sql);

  rl_record_list_set_paused (list, TRUE);
  g_assert_true (rl_record_list_get_paused (list));
  n_before = g_list_model_get_n_items (G_LIST_MODEL (list));
  signals_before = mirror->signals;
  for (guint round = 0; round < 3; round++)
    {
      write_mixed_batch (store, kc, 50, round);
      /* Long enough for the monitor's notification (≤ 50 ms coalesced). */
      rl_test_run_main_loop (300);
    }
  g_assert_cmpuint (mirror->signals, ==, signals_before);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_before);

  rl_record_list_set_paused (list, FALSE);
  g_assert_false (rl_record_list_get_paused (list));
  g_assert_cmpuint (mirror->signals, >, signals_before);
  assert_mirror (mirror, list, store, sql);
}

/* A sweep (410 reload) changes whole tables: the list reloads and keeps the
 * rows that stayed, with their items. */
static void
test_whole_table (void)
{
  const KindCase *kc = &list_kind_cases[0];
  g_autoptr (RlStore) store = open_store ();
  g_autoptr (RlRecordList) list = NULL;
  g_autoptr (Mirror) mirror = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlListItem) held = NULL;
  g_autofree char *sql = reference_sql (kc, NULL, NULL);
  gint64           dropped;

  list_write_records (store, kc, 0, 100, 0);
  list = rl_record_list_new (store, RL_LIST_KIND_ALERTS);
  mirror = mirror_new (list);
  assert_mirror (mirror, list, store, sql);
  held = g_list_model_get_item (G_LIST_MODEL (list), 0);

  /* A reload brings back the even records (new generation); the sweep
   * drops the others. */
  g_assert_true (rl_store_reset_for_reload (store, &error));
  g_assert_no_error (error);
  {
    g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);

    for (guint i = 0; i < 100; i += 2)
      {
        g_autoptr (JsonObject) record = list_make_alert (i, 0);

        rl_store_batch_upsert (batch, "alert", record, &error);
        g_assert_no_error (error);
      }
    rl_store_batch_commit (batch, &error);
    g_assert_no_error (error);
  }
  dropped = rl_store_finish_reload (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dropped, ==, 50);
  assert_mirror (mirror, list, store, sql);
  g_assert_cmpuint (mirror->ids->len, ==, 50);
  if (position_of (mirror, rl_list_item_get_id (held)) != G_MAXUINT)
    {
      g_autoptr (RlListItem) again =
          g_list_model_get_item (G_LIST_MODEL (list), position_of (mirror, rl_list_item_get_id (held)));
      g_assert_true (again == held);
    }
}

/* 100,000 runs: load, changes, a filter, a sort. Under AddressSanitizer
 * (its unwinder on every malloc) 20,000: the same paths, in a minute. */
#ifdef __SANITIZE_ADDRESS__
#define LARGE_N 20000
#else
#define LARGE_N 100000
#endif

static void
test_large (void)
{
  const KindCase *kc = &list_kind_cases[3];
  const guint     n = LARGE_N;
  const char     *failed[] = { "failed", NULL };
  g_autoptr (RlStore) store = open_store ();
  g_autoptr (RlRecordList) list = NULL;
  g_autoptr (Mirror) mirror = NULL;
  g_autofree char *sql = reference_sql (kc, NULL, NULL);
  g_autofree char *filtered = reference_sql (kc, "status = 'failed'", NULL);
  g_autofree char *by_duration = reference_sql (kc, "status = 'failed'", "duration_ms DESC, id DESC");

  list_write_records (store, kc, 0, n, 0);
  list = rl_record_list_new (store, RL_LIST_KIND_RUNS);
  mirror = mirror_new (list);
  assert_mirror (mirror, list, store, sql);
  g_assert_cmpuint (mirror->ids->len, ==, n);

  write_mixed_batch (store, kc, n, 1);
  assert_mirror (mirror, list, store, sql);

  rl_record_list_set_values (list, "status", failed);
  assert_mirror (mirror, list, store, filtered);
  write_mixed_batch (store, kc, n, 2);
  assert_mirror (mirror, list, store, filtered);

  rl_record_list_set_sort (list, "duration", TRUE);
  assert_mirror (mirror, list, store, by_duration);
  write_mixed_batch (store, kc, n, 3);
  assert_mirror (mirror, list, store, by_duration);

  /* More changed rows than the incremental path takes: a reload + diff. */
  list_write_records (store, kc, 0, 2000, 7);
  assert_mirror (mirror, list, store, by_duration);
}

/* The list follows a store that comes and goes (sign-out, another server). */
static void
test_store_swap (void)
{
  const KindCase *kc = &list_kind_cases[6];
  g_autoptr (RlStore) store = open_store ();
  g_autoptr (RlRecordList) list = rl_record_list_new (NULL, RL_LIST_KIND_CONFLICTS);
  g_autoptr (Mirror) mirror = mirror_new (list);
  g_autofree char *sql = reference_sql (kc, NULL, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_false (rl_record_list_get_loading (list));
  list_write_records (store, kc, 0, 30, 0);
  g_object_set (list, "store", store, NULL);
  assert_mirror (mirror, list, store, sql);
  g_assert_cmpuint (mirror->ids->len, ==, 30);
  rl_record_list_set_store (list, NULL);
  g_assert_cmpuint (mirror->ids->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
}

/* Properties the .ui files read. */
static void
test_item_properties (void)
{
  g_autoptr (RlStore) store = open_store ();
  g_autoptr (RlRecordList) list = NULL;
  g_autoptr (Mirror) mirror = NULL;
  g_autoptr (RlListItem) item = NULL;
  g_autofree char *sql = reference_sql (&list_kind_cases[0], NULL, NULL);
  RlAlertSeverity  severity;
  char            *message = NULL;
  gint64           created;
  GParamSpec      *pspec;

  list_write_records (store, &list_kind_cases[0], 0, 3, 0);
  list = rl_record_list_new (store, RL_LIST_KIND_ALERTS);
  mirror = mirror_new (list);
  assert_mirror (mirror, list, store, sql);

  item = g_list_model_get_item (G_LIST_MODEL (list), rl_record_list_find (list, "al-000000"));
  g_assert_true (RL_IS_ALERT_ITEM (item));
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (item), "severity");
  g_assert_nonnull (pspec);
  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_assert_true (pspec->value_type == RL_TYPE_ALERT_SEVERITY);
  g_object_get (item, "severity", &severity, "message", &message, "created", &created, NULL);
  g_assert_cmpint (severity, ==, RL_ALERT_SEVERITY_HIGH);
  g_assert_cmpstr (message, ==, MARK_TEXT);
  g_assert_cmpint (created, ==, LIST_BASE_MS);
  g_free (message);
  g_assert_cmpint (rl_list_item_get_enum (item, "alert-type"), ==, RL_ALERT_TYPE_FULL_BIN);
  g_assert_cmpuint (rl_record_list_find (list, "nope"), ==, G_MAXUINT);
  g_assert_true (rl_record_list_can_sort (list, "severity"));
  g_assert_false (rl_record_list_can_sort (list, "message"));

  /* Wire values both ways, unknown ones as UNKNOWN. */
  g_assert_cmpint (rl_enum_from_wire (RL_TYPE_PROVIDER_HEALTH, "circuit_open"), ==,
                   RL_PROVIDER_HEALTH_CIRCUIT_OPEN);
  g_assert_cmpint (rl_enum_from_wire (RL_TYPE_ALERT_TYPE, "SMOKE"), ==, RL_ALERT_TYPE_UNKNOWN);
  g_assert_cmpstr (rl_enum_to_wire (RL_TYPE_ALERT_TYPE, RL_ALERT_TYPE_HIGH_TEMPERATURE), ==,
                   "HIGH_TEMPERATURE");
  g_assert_cmpstr (rl_enum_to_wire (RL_TYPE_SYNC_MODE, RL_SYNC_MODE_REALTIME), ==, "realtime");
  g_assert_null (rl_enum_to_wire (RL_TYPE_RUN_STATUS, RL_RUN_STATUS_UNKNOWN));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < list_n_kind_cases; i++)
    {
      g_autofree char *path = g_strdup_printf ("/record-list/kind/%s", list_kind_cases[i].entity);

      g_test_add_data_func (path, &list_kind_cases[i], test_kind);
    }
  g_test_add_func ("/record-list/single-changes", test_single_changes);
  g_test_add_func ("/record-list/whole-table", test_whole_table);
  g_test_add_func ("/record-list/paused", test_paused);
  g_test_add_func ("/record-list/store-swap", test_store_swap);
  g_test_add_func ("/record-list/item-properties", test_item_properties);
  g_test_add_func ("/record-list/large", test_large);

  return g_test_run ();
}
