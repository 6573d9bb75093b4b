/* test-kill9.c — kill -9 the console's sync while offline edits drain:
 * nothing lost, nothing applied twice (suite integration).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each iteration queues EDITS edits of RECORDS drop points in a cache
 * (kill9-helper prepare, "offline": nothing is sent), then starts
 * kill9-helper drain on that cache and kills it with SIGKILL at a random
 * point — mostly while it drains, sometimes while it starts — again and
 * again, until one run drains everything by itself. Then the devserver's
 * request log is read: every queued edit's Idempotency-Key must have
 * exactly one write that was not a replay (0: lost, 2+: applied twice),
 * no 409 may occur, and every record must end with its last edit and a
 * version that grew by its number of edits.
 *
 * RL_KILL9_ITERATIONS sets the number of iterations (default 50);
 * docs/sync.md runs 200. Ends with one JSON line of figures.
 */
#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rl-store-outbox.h"
#include "rl-store.h"
#include "sync-test-util.h"

#define EDITS 12
#define RECORDS 4
#define MAX_KILLS_PER_ITERATION 40

static RlTestDevserver *server;
static char            *helper;

typedef struct
{
  guint iterations;
  guint kills;
  guint kills_while_draining;
  guint edits;
  guint lost;
  guint twice;
  guint replays; /* answers the server replayed: a kill hit after it applied */
} Figures;

/* The helpers share this test's isolated dirs (GLib sets them for the test
 * case, not in the environment children inherit). */
static GSubprocess *
spawn (const char *const *argv,
       GError           **error)
{
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  return g_subprocess_launcher_spawnv (launcher, argv, error);
}

/* Runs the helper; when @kill_after_us ≥ 0, kills it that long after it
 * says DRAINING (or, with @before_draining, after it starts). Returns TRUE
 * when it finished by itself, with its last line in @out_last. */
static gboolean
run_helper (const char *const *argv,
            gint64             kill_after_us,
            gboolean           before_draining,
            gboolean          *out_killed_draining,
            char             **out_last)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = spawn (argv, &error);
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *last = NULL;
  gboolean         draining = FALSE;

  g_assert_no_error (error);
  *out_killed_draining = FALSE;
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  if (kill_after_us >= 0 && before_draining)
    {
      g_usleep ((gulong) kill_after_us);
      g_subprocess_force_exit (process);
    }
  else
    {
      for (;;)
        {
          g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL);

          if (line == NULL)
            break;
          g_free (last);
          last = g_strdup (line);
          if (g_str_equal (line, "DRAINING") && kill_after_us >= 0)
            {
              draining = TRUE;
              g_usleep ((gulong) kill_after_us);
              g_subprocess_force_exit (process);
              break;
            }
        }
    }
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  /* It may have ended by itself before the kill: its last words. */
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL);

      if (line == NULL)
        break;
      g_free (last);
      last = g_steal_pointer (&line);
    }
  if (g_subprocess_get_if_signaled (process))
    {
      g_assert_cmpint (g_subprocess_get_term_sig (process), ==, 9);
      *out_killed_draining = draining;
      return FALSE;
    }
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("%s %s exited with %d (last line: %s)", argv[0], argv[1],
             g_subprocess_get_exit_status (process), last ? last : "none");
  if (out_last != NULL)
    *out_last = g_steal_pointer (&last);
  return TRUE;
}

static GPtrArray *
prepare (guint iteration)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tag = g_strdup_printf ("kill9-%u", iteration);
  g_autofree char *edits = g_strdup_printf ("%u", EDITS);
  g_autofree char *records = g_strdup_printf ("%u", RECORDS);
  const char      *argv[] = { helper, "prepare", server->url, tag, edits, records, NULL };
  g_autoptr (GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_auto (GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);

  process = spawn (argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "ROW "))
      g_ptr_array_add (rows, g_strdup (lines[i] + 4));
  g_assert_cmpuint (rows->len, ==, EDITS);
  return rows;
}

/* The queued rows' keys, read from the cache the helper wrote. */
static GPtrArray *
keys_of (GPtrArray *rows)
{
  g_autofree char *path = rl_store_path_for_server (server->url);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) store = rl_store_open (path, &error);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr (RlOutboxRow) row =
          rl_store_outbox_get (store, g_ascii_strtoll (rows->pdata[i], NULL, 10), &error);

      g_assert_no_error (error);
      g_assert_cmpint (row->state, ==, RL_OUTBOX_STATE_PENDING);
      g_ptr_array_add (keys, g_strdup (row->idempotency_key));
    }
  g_assert_cmpint (rl_store_count (store, "outbox"), ==, EDITS);
  return keys;
}

static gint64
outbox_rows (void)
{
  g_autofree char *path = rl_store_path_for_server (server->url);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) store = rl_store_open (path, &error);

  g_assert_no_error (error);
  return rl_store_count (store, "outbox");
}

static void
iterate (guint    iteration,
         Figures *figures)
{
  /* A token per iteration: a long run (200 iterations, a sanitizer build)
   * outlives an access token. */
  g_autofree char *token = rl_test_login (server, SYNC_ADMIN);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  g_autoptr (JsonArray) log = NULL;
  g_autoptr (GHashTable) applied = g_hash_table_new (g_str_hash, g_str_equal);
  const char *drain_argv[] = { helper, "drain", server->url, NULL };
  gint64      before[RECORDS];
  gint64      since = sync_test_request_seq (server);
  gboolean    finished = FALSE;
  guint       kills = 0;

  for (guint r = 0; r < RECORDS; r++)
    {
      g_autofree char *path = g_strdup_printf ("/drop-points/dp-%06u", r + 1);
      g_autoptr (JsonObject) record = sync_test_get (server, token, path);

      before[r] = json_object_get_int_member (record, "version");
    }

  rows = prepare (iteration);
  keys = keys_of (rows);

  while (!finished)
    {
      /* The first run is killed while it drains; then one kill in five
       * while it starts (sign-in, pull), the others while it drains, until
       * a run gets to its end. */
      gboolean early = kills > 0 && g_random_int_range (0, 5) == 0;
      /* The window doubles every second kill (60 ms, 120 ms, … up to 4 s):
       * a slow machine or a sanitizer build, where a drain takes longer
       * than the first windows, still gets a run to its end. */
      gint32           window = (gint32) MIN ((gint64) 60000 << MIN (kills / 2, 10), 4000000);
      gint64           delay = early        ? g_random_int_range (0, 400000)
                               : kills == 0 ? g_random_int_range (0, 30000)
                                            : g_random_int_range (0, window);
      gboolean         while_draining = FALSE;
      g_autofree char *last = NULL;

      if (kills >= MAX_KILLS_PER_ITERATION)
        delay = -1;
      finished = run_helper (drain_argv, delay, early, &while_draining, &last);
      if (!finished)
        {
          kills++;
          figures->kills_while_draining += while_draining;
        }
      else if (last == NULL || !g_str_has_prefix (last, "DONE"))
        g_error ("the drain ended without DONE (last line: %s)", last ? last : "none");
    }
  figures->kills += kills;
  g_assert_cmpint (outbox_rows (), ==, 0);

  /* The request log: per key, the writes that were not replays. */
  log = sync_test_requests (server, since);
  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *e = json_array_get_object_element (log, i);
      const char *key = json_object_get_string_member_with_default (e, "idempotencyKey", NULL);
      gint64      status = json_object_get_int_member (e, "status");

      if (key == NULL || !g_str_equal (json_object_get_string_member (e, "method"), "PATCH"))
        continue;
      g_assert_cmpint (status, !=, 409);
      if (status < 200 || status >= 300)
        continue;
      if (json_object_get_boolean_member (e, "replayed"))
        {
          figures->replays++;
          continue;
        }
      g_hash_table_insert (applied, (gpointer) key,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (applied, key))
                                             + 1));
    }
  for (guint i = 0; i < keys->len; i++)
    {
      guint times = GPOINTER_TO_UINT (g_hash_table_lookup (applied, keys->pdata[i]));

      figures->edits++;
      if (times == 0)
        figures->lost++;
      else if (times > 1)
        figures->twice++;
    }
  g_assert_cmpuint (g_hash_table_size (applied), ==, EDITS);

  /* The server holds each record's last edit, each edit applied once. */
  for (guint r = 0; r < RECORDS; r++)
    {
      g_autofree char *path = g_strdup_printf ("/drop-points/dp-%06u", r + 1);
      g_autoptr (JsonObject) record = sync_test_get (server, token, path);
      guint            last_edit = r + RECORDS * ((EDITS - 1 - r) / RECORDS);
      g_autofree char *notes = g_strdup_printf ("kill9-%u-e%u", iteration, last_edit);

      g_assert_cmpstr (json_object_get_string_member (record, "notes"), ==, notes);
      g_assert_cmpint (json_object_get_int_member (record, "version"), ==,
                       before[r] + (EDITS - r + RECORDS - 1) / RECORDS);
    }
  figures->iterations++;
}

static void
test_kill9 (void)
{
  const char *env = g_getenv ("RL_KILL9_ITERATIONS");
  guint       iterations = env ? (guint) atoi (env) : 50;
  Figures     figures = { 0 };

  g_assert_cmpuint (iterations, >, 0);
  for (guint i = 0; i < iterations; i++)
    {
      iterate (i, &figures);
      if ((i + 1) % 10 == 0)
        g_test_message ("%u iterations, %u kills", i + 1, figures.kills);
    }

  g_test_message ("kill -9: %u iterations, %u kills (%u while draining), %u edits, %u lost, "
                  "%u applied twice, %u answers replayed",
                  figures.iterations, figures.kills, figures.kills_while_draining, figures.edits,
                  figures.lost, figures.twice, figures.replays);
  printf ("{\"test\":\"kill9\",\"iterations\":%u,\"kills\":%u,\"killsWhileDraining\":%u,"
          "\"edits\":%u,\"lost\":%u,\"twice\":%u,\"replayed\":%u}\n",
          figures.iterations, figures.kills, figures.kills_while_draining, figures.edits,
          figures.lost, figures.twice, figures.replays);
  g_assert_cmpuint (figures.lost, ==, 0);
  g_assert_cmpuint (figures.twice, ==, 0);
  g_assert_cmpuint (figures.iterations, ==, iterations);
  g_assert_cmpuint (figures.kills, >=, iterations);
}

int
main (int argc, char **argv)
{
  /* Writes take a little while, so that kills land inside requests too. */
  const char *args[] = { "--drop-points", "20", "--seed", "5", NULL };
  int         rc;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  {
    /* Built beside this test. */
    g_autofree char *dir = g_path_get_dirname (argv[0]);
    g_autofree char *absolute = g_canonicalize_filename (dir, NULL);

    helper = g_build_filename (absolute, "kill9-helper", NULL);
  }
  server = sync_test_devserver (args);
  sync_test_faults (server, "[{\"match\":\"/api/v1/drop-points/*\",\"method\":\"PATCH\","
                            "\"kind\":\"latency\",\"ms\":8}]");

  g_test_add_func ("/sync/kill9", test_kill9);
  rc = g_test_run ();

  rl_test_devserver_free (server);
  g_free (helper);
  return rc;
}
