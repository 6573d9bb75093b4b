/* bench-sync.c — the console's sync against a city-sized devserver, and the
 * curl + sqlite3 shell doing the same work, in the same run.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run alone from the build directory, inside the test wrapper (it signs in,
 * so it needs the session keyring; see HACKING.md):
 *   tests/sync/bench-sync [--quick]
 * It starts `reloop-devserver --drop-points 100000` (--quick: 10,000) and
 * prints one JSON line:
 *   console_s          an RlSession signing in as admin with an empty cache,
 *                      from rl_session_sign_in_async until the background
 *                      sync that sign-in starts has stored the last page of
 *                      the full /changes load (its "last-sync" notification:
 *                      every record and the cursor committed). Login, the
 *                      keyring, fetch, parse, checks and writes: what a new
 *                      user waits for. sign_in_ms is the login part.
 *   baseline_s         curl_s + sqlite3_s, the same pages and rows by hand:
 *     curl_s           one `curl` process per page (a new connection each,
 *                      no keep-alive), since=0, the same limit (5000) and
 *                      token, each page to a file; the next `since` is read
 *                      from the file;
 *     sqlite3_s        one `sqlite3` shell process importing those files
 *                      into a cache file of the console's own schema (made
 *                      empty by rl_store_open beforehand, untimed: the same
 *                      tables, indexes and FTS triggers), one transaction per
 *                      page: json_each over the page, then for each entity an
 *                      upsert of id, hot columns, version, updatedAt, the
 *                      record's JSON, gen and a lower()-cased search text
 *                      (the console folds with NFC + case folding), deletes,
 *                      and the cursor row.
 *   ratio              console_s / baseline_s (target ≤ 1.5).
 *   incremental_1k_ms  1,000 drop points changed on the server (devserver
 *                      control endpoint, untimed), then rl_session_sync_async
 *                      into the full cache until it finishes (target ≤ 200).
 *   drain_1k_ms        1,000 edits queued through rl_session_edit_record
 *                      (untimed, auto-drain off), then rl_session_drain_async
 *                      until it finishes with all of them sent (the engine:
 *                      Idempotency-Key, If-Match, each row settled in the
 *                      transaction that stores the server's answer).
 * BENCH_SYNC_KEEP=1 keeps the pages, the import script and both caches.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "rl-api.h"
#include "rl-edits.h"
#include "rl-secrets.h"
#include "rl-session.h"
#include "rl-store.h"
#include "rl-sync-engine.h"
#include "rl-test-util.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED TRUE
#else
#define SANITIZED FALSE
#endif

#define ADMIN "admin@demo.reloop.np"
#define PAGE_LIMIT 5000
#define N_INCREMENTAL 1000
#define N_DRAIN 1000
#define TIMEOUT_MS (10 * 60 * 1000)

static void
progress (const char *format,
          ...) G_GNUC_PRINTF (1, 2);

static void
progress (const char *format,
          ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "# ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
}

static G_NORETURN void
die (const char *format,
     ...) G_GNUC_PRINTF (1, 2);

static G_NORETURN void
die (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "bench-sync: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  exit (1);
}

static double
now_s (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

/* ---- the console ---------------------------------------------------------- */

typedef struct
{
  RlSession *session;
  gboolean   started;
  double     synced_at; /* 0 until the sync that sign-in started has finished */
} Console;

static void
last_sync_cb (RlSession  *session,
              GParamSpec *pspec,
              Console    *console)
{
  if (console->started && console->synced_at == 0 && rl_session_get_last_sync (session) > 0)
    console->synced_at = now_s ();
}

static gboolean
sync_settled (gpointer user_data)
{
  Console *console = user_data;

  return console->synced_at > 0
         || (rl_session_get_sync_progress (console->session) < 0
             && rl_session_get_state (console->session) != RL_SESSION_STATE_SYNCING);
}

static void
clear_keyring (const char *server_url)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  rl_secrets_clear_server_async (server_url, NULL, rl_test_store_result_cb, &result);
  if (!rl_secrets_clear_server_finish (rl_test_wait_result (&result, TIMEOUT_MS), &error))
    die ("cannot clear the keyring: %s", error->message);
}

/* Signs in with an empty cache and waits for the full load. */
static void
console_full_load (Console         *console,
                   RlTestDevserver *server,
                   double          *out_total_s,
                   double          *out_sign_in_ms)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  double t0, signed_in;

  g_signal_connect (console->session, "notify::last-sync", G_CALLBACK (last_sync_cb), console);
  console->started = TRUE;
  t0 = now_s ();
  rl_session_sign_in_async (console->session, server->url, ADMIN, "reloop-demo", NULL,
                            rl_test_store_result_cb, &result);
  if (!rl_session_sign_in_finish (console->session, rl_test_wait_result (&result, TIMEOUT_MS),
                                  &error))
    die ("sign-in failed: %s", error->message);
  signed_in = now_s ();
  if (!rl_test_wait_until (sync_settled, console, TIMEOUT_MS) || console->synced_at == 0)
    die ("the full load did not finish");
  *out_total_s = console->synced_at - t0;
  *out_sign_in_ms = (signed_in - t0) * 1000;
}

static gboolean
sync_now (RlSession *session,
          GError   **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_session_sync_async (session, NULL, rl_test_store_result_cb, &result);
  return rl_session_sync_finish (session, rl_test_wait_result (&result, TIMEOUT_MS), error);
}

static char *
drop_point_id (guint n)
{
  return g_strdup_printf ("dp-%06u", n);
}

/* Changes @n drop points on the server (a new version and notes each, as
 * another operator's edit), in one control request. */
static void
touch_on_server (RlTestDevserver *server,
                 guint            first,
                 guint            n)
{
  g_autoptr (GString) body = g_string_new ("{\"ids\":[");
  g_autofree char *url =
      g_strconcat (server->url, "/__dev/records/drop_point/touch", NULL);
  g_autoptr (JsonNode) reply = NULL;
  guint status = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = drop_point_id (first + i);
      g_string_append_printf (body, "%s\"%s\"", i > 0 ? "," : "", id);
    }
  g_string_append (body, "]}");
  reply = rl_test_http ("POST", url, body->str, NULL, &status);
  if (status != 200)
    die ("touching %u drop points answered HTTP %u", n, status);
}

static double
incremental_pull (RlSession       *session,
                  RlTestDevserver *server,
                  guint            first)
{
  RlStore *store = rl_session_get_store (session);
  g_autoptr (GError) error = NULL;
  double t0, elapsed;

  touch_on_server (server, first, N_INCREMENTAL);
  t0 = now_s ();
  if (!sync_now (session, &error))
    die ("incremental sync failed: %s", error->message);
  elapsed = now_s () - t0;

  /* Every change arrived. */
  for (guint i = 0; i < N_INCREMENTAL; i++)
    {
      g_autofree char *id = drop_point_id (first + i);
      g_autoptr (JsonObject) record = rl_store_get_record (store, "drop_point", id, &error);

      if (record == NULL)
        die ("%s: %s", id, error->message);
      if (g_strcmp0 (json_object_get_string_member_with_default (record, "notes", ""),
                     "Edited by another operator")
          != 0)
        die ("%s did not get the server's change", id);
    }
  return elapsed * 1000;
}

/* ---- the drain ------------------------------------------------------------ */

/* 1,000 edits of drop points' notes through the console's edit API (the
 * local record and the outbox row in one transaction each), auto-drain off
 * so none is sent before the timed drain. */
static void
enqueue_edits (RlSession *session,
               guint      first,
               guint      n)
{
  rl_session_set_auto_drain (session, FALSE);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = drop_point_id (first + i);
      g_autofree char *notes = g_strdup_printf ("Offline edit %u", i);
      g_autoptr (JsonObject) changes = json_object_new ();
      g_autoptr (GError) error = NULL;

      json_object_set_string_member (changes, "notes", notes);
      if (rl_session_edit_record (session, "drop_point", id, changes, &error) <= 0)
        die ("edit %s: %s", id, error ? error->message : "nothing queued");
    }
  if (rl_session_get_pending_changes (session) != n)
    die ("%u changes pending, %u queued", rl_session_get_pending_changes (session), n);
}

/* The engine's drain (rl_session_drain_async: in order per record, with
 * Idempotency-Key and If-Match, each row removed in the transaction that
 * stores the server's answer) from the call until it finishes. */
static double
drain_outbox (RlSession *session,
              guint     *out_sent)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  RlDrainStats stats = { 0 };
  double       t0 = now_s ();
  double       ms;

  rl_session_drain_async (session, NULL, rl_test_store_result_cb, &result);
  rl_test_wait_result (&result, TIMEOUT_MS);
  ms = (now_s () - t0) * 1000;
  if (!rl_session_drain_finish (session, result, &stats, &error))
    die ("drain: %s", error->message);
  if (stats.failed + stats.conflicts + stats.deferred > 0)
    die ("drain: %u failed, %u conflicts, %u deferred", stats.failed, stats.conflicts,
         stats.deferred);
  *out_sent = stats.sent;
  return ms;
}

/* ---- the baseline: curl + the sqlite3 shell -------------------------------- */

typedef struct
{
  const char *entity;
  const char *table;
  /* column, JSON path ('$.…'), kind: 's' text/number as is, 't' RFC 3339 → ms */
  const char *columns[10][3];
  const char *search[5];
} BaselineEntity;

/* The feed's entities and their hot columns, as in src/core/store/rl-store-schema.c. */
static const BaselineEntity baseline_entities[] = {
  { "drop_point",
    "drop_points",
    {
        { "name", "$.name", "s" },
        { "address", "$.address", "s" },
        { "latitude", "$.latitude", "s" },
        { "longitude", "$.longitude", "s" },
        { "status", "$.status", "s" },
        { "device_id", "$.deviceId", "s" },
        { "fill_level", "$.fillLevel", "s" },
        { "battery_level", "$.batteryLevel", "s" },
        { "is_online", "$.isOnline", "s" },
        { "last_reading_ms", "$.lastReadingAt", "t" },
    },
    { "$.name", "$.address" } },
  { "alert",
    "alerts",
    {
        { "drop_point_id", "$.dropPointId", "s" },
        { "device_id", "$.deviceId", "s" },
        { "type", "$.type", "s" },
        { "severity", "$.severity", "s" },
        { "status", "$.status", "s" },
        { "created_ms", "$.createdAt", "t" },
        { "message", "$.message", "s" },
        { "acknowledged_by", "$.acknowledgedBy", "s" },
        { "acknowledged_ms", "$.acknowledgedAt", "t" },
    },
    { "$.type", "$.message", "$.deviceId", "$.acknowledgedBy" } },
  { "provider",
    "providers",
    {
        { "type", "$.type", "s" },
        { "kind", "$.kind", "s" },
        { "name", "$.name", "s" },
        { "role", "$.role", "s" },
        { "priority", "$.priority", "s" },
        { "enabled", "$.enabled", "s" },
        { "health_state", "$.health.state", "s" },
    },
    { "$.name", "$.type", "$.kind" } },
  { "workflow",
    "workflows",
    {
        { "name", "$.name", "s" },
        { "enabled", "$.enabled", "s" },
        { "last_run_status", "$.lastRun.status", "s" },
        { "last_run_ms", "$.lastRun.startedAt", "t" },
    },
    { "$.name", "$.description" } },
  { "sync_job",
    "sync_jobs",
    {
        { "name", "$.name", "s" },
        { "status", "$.status", "s" },
        { "conflict_strategy", "$.conflictStrategy", "s" },
        { "source", "$.source", "s" },
        { "target", "$.target", "s" },
        { "mode", "$.mode", "s" },
        { "last_run_ms", "$.lastRunAt", "t" },
    },
    { "$.name", "$.source", "$.target" } },
  { "conflict",
    "conflicts",
    {
        { "job_id", "$.jobId", "s" },
        { "entity_type", "$.entityType", "s" },
        { "entity_id", "$.entityId", "s" },
        { "status", "$.status", "s" },
        { "detected_ms", "$.detectedAt", "t" },
    },
    { "$.entityType", "$.entityId", "$.jobId" } },
};

static void
append_value (GString    *sql,
              const char *path,
              const char *kind)
{
  if (g_str_equal (kind, "t"))
    g_string_append_printf (sql,
                            "CAST(round((julianday(r->>'%s') - 2440587.5) * 86400000.0)"
                            " AS INTEGER)",
                            path);
  else
    g_string_append_printf (sql, "r->>'%s'", path);
}

/* The upsert of one entity's rows of the staged page (temp.page). */
static void
append_entity_import (GString              *sql,
                      const BaselineEntity *e)
{
  guint n = 0;

  while (n < G_N_ELEMENTS (e->columns) && e->columns[n][0] != NULL)
    n++;

  g_string_append_printf (sql, "INSERT INTO %s (id", e->table);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, ", %s", e->columns[i][0]);
  g_string_append (sql, ", version, updated_ms, json, gen, search_text) SELECT id");
  for (guint i = 0; i < n; i++)
    {
      g_string_append (sql, ", ");
      append_value (sql, e->columns[i][1], e->columns[i][2]);
    }
  g_string_append (sql, ", version, ");
  append_value (sql, "$.updatedAt", "t");
  g_string_append (sql, ", r, 0, lower(");
  for (guint i = 0; i < G_N_ELEMENTS (e->search) && e->search[i] != NULL; i++)
    g_string_append_printf (sql, "%scoalesce(r->>'%s', '')", i > 0 ? " || char(10) || " : "",
                            e->search[i]);
  if (g_str_equal (e->entity, "alert"))
    g_string_append (sql, " || char(10) || coalesce((SELECT name || char(10) || address"
                          " FROM drop_points d WHERE d.id = r->>'$.dropPointId'), '')");
  g_string_append_printf (sql, ") FROM temp.page WHERE entity = '%s' AND op = 'upsert'"
                               " ORDER BY seq ON CONFLICT (id) DO UPDATE SET",
                          e->entity);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, " %s = excluded.%s,", e->columns[i][0], e->columns[i][0]);
  g_string_append_printf (sql,
                          " version = excluded.version, updated_ms = excluded.updated_ms,"
                          " json = excluded.json, gen = excluded.gen,"
                          " search_text = excluded.search_text"
                          " WHERE excluded.version >= %s.version;\n",
                          e->table);
  g_string_append_printf (sql,
                          "DELETE FROM %s WHERE id IN (SELECT id FROM temp.page"
                          " WHERE entity = '%s' AND op = 'delete');\n",
                          e->table, e->entity);
}

static char *
baseline_script (GPtrArray *pages,
                 GArray    *cursors)
{
  GString *sql = g_string_new ("PRAGMA synchronous = NORMAL;\n"
                               "PRAGMA foreign_keys = ON;\n"
                               "CREATE TEMP TABLE page (seq INTEGER, entity TEXT, id TEXT,"
                               " op TEXT, version INTEGER, r TEXT);\n");

  for (guint p = 0; p < pages->len; p++)
    {
      g_string_append (sql, "BEGIN IMMEDIATE;\nDELETE FROM temp.page;\n");
      g_string_append_printf (sql,
                              "INSERT INTO temp.page SELECT value->>'seq', value->>'entity',"
                              " value->>'id', value->>'op', value->>'version',"
                              " value->'record' FROM json_each(CAST(readfile('%s') AS TEXT),"
                              " '$.data');\n",
                              (const char *) g_ptr_array_index (pages, p));
      for (guint e = 0; e < G_N_ELEMENTS (baseline_entities); e++)
        append_entity_import (sql, &baseline_entities[e]);
      g_string_append_printf (sql,
                              "INSERT OR REPLACE INTO meta (key, value)"
                              " VALUES ('changes_cursor', '%" G_GINT64_FORMAT "');\nCOMMIT;\n",
                              g_array_index (cursors, gint64, p));
    }
  return g_string_free (sql, FALSE);
}

typedef struct
{
  double  curl_s;
  double  sqlite3_s;
  guint   pages;
  guint64 bytes;
  guint64 entries;
  gint64  rows;
  gint64  drop_points;
} Baseline;

static void
run_baseline (RlTestDevserver *server,
              const char      *dir,
              Baseline        *out)
{
  g_autofree char *token = rl_test_login (server, ADMIN);
  g_autofree char *auth = g_strconcat ("Authorization: Bearer ", token, NULL);
  g_autofree char *db_path = g_build_filename (dir, "baseline.sqlite", NULL);
  g_autofree char *script_path = g_build_filename (dir, "import.sql", NULL);
  g_autofree char *script = NULL;
  g_autoptr (GPtrArray) pages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) cursors = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GError) error = NULL;
  gint64   since = 0;
  gboolean more = TRUE;
  double   t0;

  /* The console's schema, empty (untimed). */
  {
    g_autoptr (RlStore) store = rl_store_open (db_path, &error);
    if (store == NULL)
      die ("baseline cache: %s", error->message);
  }

  t0 = now_s ();
  while (more)
    {
      g_autofree char *url = g_strdup_printf (
          "%s/changes?since=%" G_GINT64_FORMAT "&limit=%d", server->api_url, since, PAGE_LIMIT);
      g_autofree char *file = g_strdup_printf ("%s/page-%03u.json", dir, pages->len);
      const char      *cmd[] = { "curl", "-sS", "--fail-with-body", "-H", auth, "-o", file, url,
                                 NULL };
      g_autofree char *text = NULL;
      g_autofree char *err = NULL;
      gsize            length;
      const char      *pg;
      int              status = 0;

      if (!g_spawn_sync (NULL, (char **) cmd, NULL,
                         G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                         &err, &status, &error)
          || !g_spawn_check_wait_status (status, &error))
        die ("curl: %s %s", error->message, err ? err : "");
      if (!g_file_get_contents (file, &text, &length, &error))
        die ("%s", error->message);
      pg = g_strrstr (text, "\"pagination\":{\"nextSince\":");
      if (pg == NULL)
        die ("not a changes page: %.200s", text);
      pg += strlen ("\"pagination\":{\"nextSince\":");
      since = g_ascii_strtoll (pg, NULL, 10);
      more = strstr (pg, "\"hasMore\":true") != NULL;
      out->bytes += length;
      g_ptr_array_add (pages, g_steal_pointer (&file));
      g_array_append_val (cursors, since);
    }
  out->curl_s = now_s () - t0;
  out->pages = pages->len;

  script = baseline_script (pages, cursors);
  if (!g_file_set_contents (script_path, script, -1, &error))
    die ("%s", error->message);
  {
    g_autofree char *read = g_strconcat (".read ", script_path, NULL);
    const char      *cmd[] = { "sqlite3", "-bail", db_path, read, NULL };
    g_autofree char *err = NULL;
    int              status = 0;

    t0 = now_s ();
    if (!g_spawn_sync (NULL, (char **) cmd, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                       &status, &error)
        || !g_spawn_check_wait_status (status, &error))
      die ("sqlite3: %s %s", error->message, err ? err : "");
    out->sqlite3_s = now_s () - t0;
  }

  /* What was imported. */
  {
    g_autoptr (RlStore) store = rl_store_open (db_path, &error);

    if (store == NULL)
      die ("baseline cache: %s", error->message);
    out->drop_points = rl_store_count (store, "drop_point");
    for (guint e = 0; e < G_N_ELEMENTS (baseline_entities); e++)
      out->rows += rl_store_count (store, baseline_entities[e].entity);
  }
  for (guint p = 0; p < pages->len; p++)
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (g_ptr_array_index (pages, p), &text, NULL, NULL))
        for (const char *s = text; (s = strstr (s, "{\"seq\":")) != NULL; s++)
          out->entries++;
    }
}

static gint64
count_feed_rows (RlStore *store)
{
  gint64 rows = 0;

  for (guint e = 0; e < G_N_ELEMENTS (baseline_entities); e++)
    rows += rl_store_count (store, baseline_entities[e].entity);
  return rows;
}

int
main (int    argc,
      char **argv)
{
  gboolean          quick = SANITIZED || (argc > 1 && g_str_equal (argv[1], "--quick"));
  guint             n = quick ? 10000 : 100000;
  g_autofree char  *n_text = g_strdup_printf ("%u", n);
  const char *const args[] = { "--drop-points", n_text, NULL };
  g_autofree char  *tmp = NULL;
  g_autofree char  *data_home = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestDevserver) server = NULL;
  g_autoptr (RlSession) session = NULL;
  Console  console = { 0 };
  Baseline baseline = { 0 };
  double   console_s, sign_in_ms, incremental_ms, drain_ms;
  gint64   console_rows, console_drop_points;
  guint    drained = 0;

  /* The console's cache goes under a private XDG_DATA_HOME. */
  tmp = g_dir_make_tmp ("bench-sync-XXXXXX", &error);
  if (tmp == NULL)
    die ("%s", error->message);
  data_home = g_build_filename (tmp, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  progress ("starting reloop-devserver --drop-points %u", n);
  server = rl_test_devserver_start (args, &error);
  if (server == NULL)
    die ("%s", error->message);
  clear_keyring (server->url);

  /* The console first: the devserver is as fresh for it as for curl. */
  progress ("console: sign-in and full load");
  session = rl_session_new ();
  console.session = session;
  console_full_load (&console, server, &console_s, &sign_in_ms);
  console_rows = count_feed_rows (rl_session_get_store (session));
  console_drop_points = rl_store_count (rl_session_get_store (session), "drop_point");
  progress ("console: %.2f s (sign-in %.0f ms), %" G_GINT64_FORMAT " rows", console_s, sign_in_ms,
            console_rows);
  if (console_drop_points != n)
    die ("the console cached %" G_GINT64_FORMAT " drop points, expected %u",
         console_drop_points, n);

  progress ("baseline: curl + sqlite3");
  run_baseline (server, tmp, &baseline);
  if (baseline.drop_points != n || baseline.rows != console_rows)
    die ("the baseline imported %" G_GINT64_FORMAT " rows (%" G_GINT64_FORMAT
         " drop points), the console %" G_GINT64_FORMAT,
         baseline.rows, baseline.drop_points, console_rows);

  progress ("baseline: curl %.2f s + sqlite3 %.2f s, %u pages", baseline.curl_s,
            baseline.sqlite3_s, baseline.pages);
  progress ("incremental: %u changes", N_INCREMENTAL);
  incremental_ms = incremental_pull (session, server, 1);

  progress ("incremental: %.0f ms", incremental_ms);
  progress ("drain: %u queued edits", N_DRAIN);
  enqueue_edits (session, n / 2, N_DRAIN);
  drain_ms = drain_outbox (session, &drained);
  if (drained != N_DRAIN)
    die ("drained %u edits, queued %u", drained, N_DRAIN);

  g_print ("{\"bench\":\"sync\",\"drop_points\":%u,\"console_s\":%.2f,\"baseline_s\":%.2f,"
           "\"ratio\":%.2f,\"incremental_1k_ms\":%.0f,\"drain_1k_ms\":%.0f,"
           "\"drain_engine\":\"rl_session_drain\",\"sign_in_ms\":%.0f,\"curl_s\":%.2f,"
           "\"sqlite3_s\":%.2f,\"pages\":%u,\"page_limit\":%d,\"entries\":%" G_GUINT64_FORMAT
           ",\"rows\":%" G_GINT64_FORMAT ",\"bytes\":%" G_GUINT64_FORMAT ",\"sanitized\":%s}\n",
           n, console_s, baseline.curl_s + baseline.sqlite3_s,
           console_s / (baseline.curl_s + baseline.sqlite3_s), incremental_ms, drain_ms,
           sign_in_ms, baseline.curl_s, baseline.sqlite3_s, baseline.pages, PAGE_LIMIT,
           baseline.entries, console_rows, baseline.bytes, SANITIZED ? "true" : "false");

  clear_keyring (server->url);
  g_clear_object (&session);
  if (g_getenv ("BENCH_SYNC_KEEP") != NULL)
    progress ("kept %s (pages, import.sql, baseline.sqlite, data/)", tmp);
  else
    rl_test_rm_rf (tmp);
  return 0;
}
