/* fuzz-changes.c — a GET /changes answer applied to a cache: the envelope,
 * then the page through the applier (src/core/sync/rl-store-sync.c) into a
 * real SQLite store in a temporary directory.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the response body. Whatever the entries hold, the page applies
 * (a bad entry is quarantined, never an error): every entry is counted
 * once, and the cursor is the page's nextSince. The store lives across
 * inputs (opening one migrates the schema: too slow per input) and starts
 * again empty every RESET_EVERY inputs, so what it holds stays small.
 */
#include <stdlib.h>

#include <glib/gstdio.h>

#include "fuzz-util.h"
#include "rl-envelope.h"
#include "rl-store.h"

#define RESET_EVERY 500

static char    *tmp_dir;
static char    *store_path;
static RlStore *store;
static guint    n_inputs;

static void
remove_store_files (void)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (store_path, suffixes[i], NULL);

      g_unlink (path);
    }
}

static void
open_store (void)
{
  g_autoptr (GError) error = NULL;

  g_clear_object (&store);
  remove_store_files ();
  store = rl_store_open (store_path, &error);
  g_assert_no_error (error);
}

static void
cleanup (void)
{
  g_clear_object (&store);
  remove_store_files ();
  g_rmdir (tmp_dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr (GError) error = NULL;

  fuzz_init ();
  tmp_dir = g_dir_make_tmp ("fuzz-changes-XXXXXX", &error);
  g_assert_no_error (error);
  store_path = g_build_filename (tmp_dir, "cache.sqlite", NULL);
  open_store ();
  atexit (cleanup);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;
  RlStoreApplyStats stats = { 0 };
  JsonArray        *entries;
  gint64            next_since;
  guint             n;

  if (++n_inputs % RESET_EVERY == 0)
    open_store ();

  envelope = rl_envelope_parse_data (200, "application/json", (const char *) data, size,
                                     RL_ENVELOPE_EXPECT_ARRAY, &error);
  if (envelope == NULL)
    return 0;
  entries = rl_envelope_get_array (envelope);
  g_assert_nonnull (entries);
  n = json_array_get_length (entries);
  /* As the sync does (rl-session-sync.c): no nextSince keeps the cursor. */
  next_since = envelope->next_since >= 0 ? envelope->next_since : rl_store_get_cursor (store);

  if (!rl_store_apply_changes (store, entries, next_since, &stats, &error))
    g_error ("a page of %u entries did not apply: %s", n, error->message);
  g_assert_cmpuint (stats.applied + stats.deleted + stats.skipped_older + stats.skipped_pending
                        + stats.quarantined,
                    ==, n);
  g_assert_cmpint (rl_store_get_cursor (store), ==, next_since);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
