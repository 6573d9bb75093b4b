/* drain-test.h — what the drain's integration tests share (drain-test.c).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sync-test-util.h"

G_BEGIN_DECLS

/* The devserver of the test binary (its main starts it). */
extern RlTestDevserver *server;

/* What "outbox-settled" said, in order (watch_settled). */
typedef struct
{
  gint64          id;
  RlOutboxOutcome outcome;
  char           *conflict_id;
  GError         *error;
} Settled;

/* For row_attempted: the row has @attempts, and no drain runs. */
typedef struct
{
  RlSession *session;
  gint64     row;
  guint      attempts;
} RowWait;

GPtrArray     *watch_settled (RlSession *session);
const Settled *find_settled (GPtrArray      *log,
                             gint64          id,
                             RlOutboxOutcome outcome);
const Settled *expect_settled (GPtrArray      *log,
                               gint64          id,
                               RlOutboxOutcome outcome);
JsonObject    *object (const char *json);
gint64         edit (RlSession  *session,
                     const char *entity,
                     const char *id,
                     const char *changes_json);
RlSession     *sign_in (const char *email);
char          *dp_path (const char *id);
gint64         version_of (JsonObject *record);
const char    *string_of (JsonObject *record,
                          const char *key);
GPtrArray     *requests_to (const char *method,
                            const char *path,
                            gint64      since);
gint64         request_status (GPtrArray *requests,
                               guint      i);
char          *quoted (gint64 version);
gboolean       row_attempted (gpointer user_data);
void           assert_figures (RlSession *session,
                               guint      pending,
                               guint      failed,
                               guint      conflicts);
void           assert_figures_server (RlSession *session,
                                      guint      pending,
                                      guint      failed,
                                      guint      conflicts);

G_END_DECLS
