/* drain-test.c — what the drain's integration tests share: the devserver,
 * the session's "outbox-settled" log, edits, the request log, the figures.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "drain-test.h"

#include <string.h>

#include "rl-error.h"
#include "rl-store-outbox.h"
#include "rl-store.h"

RlTestDevserver *server;

/* ---- Helpers ------------------------------------------------------------------- */

static void
settled_free (Settled *s)
{
  g_free (s->conflict_id);
  g_clear_error (&s->error);
  g_free (s);
}

static void
settled_cb (RlSession      *session,
            gint64          id,
            RlOutboxOutcome outcome,
            const char     *conflict_id,
            GError         *error,
            GPtrArray      *log)
{
  Settled *s = g_new0 (Settled, 1);

  s->id = id;
  s->outcome = outcome;
  s->conflict_id = g_strdup (conflict_id);
  s->error = error ? g_error_copy (error) : NULL;
  g_ptr_array_add (log, s);
}

GPtrArray *
watch_settled (RlSession *session)
{
  GPtrArray *log = g_ptr_array_new_with_free_func ((GDestroyNotify) settled_free);

  g_signal_connect_data (session, "outbox-settled", G_CALLBACK (settled_cb),
                         g_ptr_array_ref (log), (GClosureNotify) (void (*) (void)) g_ptr_array_unref,
                         0);
  return log;
}

const Settled *
find_settled (GPtrArray      *log,
              gint64          id,
              RlOutboxOutcome outcome)
{
  for (guint i = 0; i < log->len; i++)
    {
      Settled *s = log->pdata[i];

      if (s->id == id && s->outcome == outcome)
        return s;
    }
  return NULL;
}

const Settled *
expect_settled (GPtrArray      *log,
                gint64          id,
                RlOutboxOutcome outcome)
{
  const Settled *s = find_settled (log, id, outcome);

  if (s == NULL)
    g_error ("row %" G_GINT64_FORMAT " did not settle as %d", id, outcome);
  return s;
}

JsonObject *
object (const char *json)
{
  JsonObject *o = rl_outbox_object_from_text (json);

  g_assert_nonnull (o);
  return o;
}

gint64
edit (RlSession  *session,
      const char *entity,
      const char *id,
      const char *changes_json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) changes = object (changes_json);
  gint64 row = rl_session_edit_record (session, entity, id, changes, &error);

  g_assert_no_error (error);
  g_assert_cmpint (row, >, 0);
  return row;
}

/* Signed in, with the server's open conflicts of the moment noted. */
RlSession *
sign_in (const char *email)
{
  RlSession *session = sync_test_sign_in (server, email, 0);

  g_object_set_data (G_OBJECT (session), "server-conflicts",
                     GUINT_TO_POINTER (rl_session_get_open_conflicts (session)));
  return session;
}

char *
dp_path (const char *id)
{
  return g_strdup_printf ("/drop-points/%s", id);
}

gint64
version_of (JsonObject *record)
{
  return json_object_get_int_member (record, "version");
}

const char *
string_of (JsonObject *record,
           const char *key)
{
  return json_object_get_string_member_with_default (record, key, NULL);
}

/* The request-log records of @method @path after @since, oldest first. */
GPtrArray *
requests_to (const char *method,
             const char *path,
             gint64      since)
{
  g_autoptr (JsonArray) all = sync_test_requests (server, since);
  g_autofree char *full = g_strconcat ("/api/v1", path, NULL);
  GPtrArray       *found = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *e = json_array_get_object_element (all, i);

      if (g_str_equal (string_of (e, "method"), method) && g_str_equal (string_of (e, "path"), full))
        g_ptr_array_add (found, json_object_ref (e));
    }
  return found;
}

gint64
request_status (GPtrArray *requests,
                guint      i)
{
  return json_object_get_int_member (requests->pdata[i], "status");
}

char *
quoted (gint64 version)
{
  return g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
}

gboolean
row_attempted (gpointer user_data)
{
  RowWait *wait = user_data;
  g_autoptr (RlOutboxRow) row = sync_test_row (wait->session, wait->row);

  return row != NULL && row->attempts >= wait->attempts && !rl_session_get_draining (wait->session);
}

static gboolean
figures_are (RlSession *session,
             guint      pending,
             guint      failed,
             guint      conflicts)
{
  return rl_session_get_pending_changes (session) == pending
         && rl_session_get_failed_changes (session) == failed
         && rl_session_get_open_conflicts (session) == conflicts;
}

typedef struct
{
  RlSession *session;
  guint      pending, failed, conflicts;
} FiguresWait;

static gboolean
figures_cb (gpointer user_data)
{
  FiguresWait *w = user_data;

  return figures_are (w->session, w->pending, w->failed, w->conflicts);
}

/* @conflicts: local ones, on top of the server's open conflicts at sign-in. */
void
assert_figures (RlSession *session,
                guint      pending,
                guint      failed,
                guint      conflicts)
{
  FiguresWait w = { session, pending, failed,
                    conflicts + GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (session), "server-conflicts")) };

  if (!rl_test_wait_until (figures_cb, &w, 10000))
    g_error ("figures: pending %u failed %u conflicts %u, expected %u %u %u",
             rl_session_get_pending_changes (session), rl_session_get_failed_changes (session),
             rl_session_get_open_conflicts (session), pending, failed, w.conflicts);
}

/* The same, with @conflicts counting every open conflict. */
void
assert_figures_server (RlSession *session,
                       guint      pending,
                       guint      failed,
                       guint      conflicts)
{
  g_object_set_data (G_OBJECT (session), "server-conflicts", NULL);
  assert_figures (session, pending, failed, conflicts);
}
