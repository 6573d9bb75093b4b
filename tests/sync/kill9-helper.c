/* kill9-helper.c — a console's sync, as a process the kill -9 test kills.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   kill9-helper prepare URL TAG EDITS RECORDS
 *     signs in as the admin, queues EDITS edits of the notes of the first
 *     RECORDS drop points (round robin, "TAG-e<n>") without sending them,
 *     prints "ROW <id>" for each and exits 0;
 *   kill9-helper drain URL
 *     signs in on the same cache, prints "DRAINING", drains until no row
 *     waits, prints "DONE <sent>" and exits 0 (2 when a row was refused).
 *
 * The cache and the keyring are the caller's (XDG_DATA_HOME, the session
 * bus): the test runs "prepare" once, then "drain" until one run finishes,
 * killing it with SIGKILL at random points.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "rl-edits.h"
#include "rl-session.h"
#include "rl-store.h"
#include "rl-sync-engine.h"
#include "rl-test-util.h"

#define ADMIN "admin@demo.reloop.np"
#define TIMEOUT_MS 60000

static gboolean
settled (gpointer user_data)
{
  RlSession *session = user_data;

  return rl_session_get_state (session) == RL_SESSION_STATE_ONLINE
         && rl_session_get_last_sync (session) > 0 && !rl_session_get_syncing (session)
         && !rl_session_get_draining (session);
}

static RlSession *
sign_in (const char *url)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  RlSession *session = rl_session_new ();

  /* Nothing is sent but what this helper asks for. */
  rl_session_set_auto_drain (session, FALSE);
  rl_session_set_pull_interval (session, 0);
  rl_session_sign_in_async (session, url, ADMIN, "reloop-demo", NULL, rl_test_store_result_cb,
                            &result);
  if (!rl_session_sign_in_finish (session, rl_test_wait_result (&result, TIMEOUT_MS), &error))
    g_error ("sign-in: %s", error->message);
  if (!rl_test_wait_until (settled, session, TIMEOUT_MS))
    g_error ("the first pull did not end");
  return session;
}

static gboolean
collect_id (const RlStoreDropPoint *dp,
            gpointer                user_data)
{
  g_ptr_array_add (user_data, g_strdup (dp->id));
  return TRUE;
}

static int
prepare (const char *url,
         const char *tag,
         guint       n_edits,
         guint       n_records)
{
  g_autoptr (RlSession) session = sign_in (url);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  if (!rl_store_foreach_drop_point (rl_session_get_store (session), collect_id, ids, &error))
    g_error ("%s", error->message);
  g_assert_cmpuint (ids->len, >=, n_records);
  for (guint i = 0; i < n_edits; i++)
    {
      g_autoptr (JsonObject) changes = json_object_new ();
      g_autofree char *notes = g_strdup_printf ("%s-e%u", tag, i);
      gint64           row;

      json_object_set_string_member (changes, "notes", notes);
      row = rl_session_edit_record (session, "drop_point", ids->pdata[i % n_records], changes,
                                    &error);
      if (row <= 0)
        g_error ("queueing an edit: %s", error->message);
      printf ("ROW %" G_GINT64_FORMAT "\n", row);
    }
  fflush (stdout);
  return 0;
}

static int
drain (const char *url)
{
  g_autoptr (RlSession) session = sign_in (url);
  guint sent = 0;

  printf ("DRAINING\n");
  fflush (stdout);
  for (;;)
    {
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (GError) error = NULL;
      RlDrainStats stats;

      rl_session_drain_async (session, NULL, rl_test_store_result_cb, &result);
      if (!rl_session_drain_finish (session, rl_test_wait_result (&result, TIMEOUT_MS), &stats,
                                    &error))
        {
          g_message ("drain: %s; again", error->message);
          g_usleep (100 * 1000);
          continue;
        }
      sent += stats.sent;
      if (stats.attention > 0 || stats.failed > 0 || stats.conflicts > 0)
        {
          printf ("REFUSED %u\n", stats.attention);
          return 2;
        }
      if (stats.pending == 0)
        break;
    }
  printf ("DONE %u\n", sent);
  fflush (stdout);
  return 0;
}

int
main (int argc, char **argv)
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  if (argc == 6 && g_str_equal (argv[1], "prepare"))
    return prepare (argv[2], argv[3], (guint) atoi (argv[4]), (guint) atoi (argv[5]));
  if (argc == 3 && g_str_equal (argv[1], "drain"))
    return drain (argv[2]);
  fprintf (stderr, "usage: %s prepare URL TAG EDITS RECORDS | drain URL\n", argv[0]);
  return 1;
}
