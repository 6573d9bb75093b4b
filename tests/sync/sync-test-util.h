/* sync-test-util.h — what the sync engine's tests share: a signed-in
 * session on a devserver, the server's records and its request log.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "rl-edits.h"
#include "rl-session.h"
#include "rl-store-outbox.h"
#include "rl-sync-engine.h"
#include "rl-test-util.h"

G_BEGIN_DECLS

#define SYNC_ADMIN "admin@demo.reloop.np"
#define SYNC_DISPATCHER "dispatcher@demo.reloop.np"
#define SYNC_SUPPORT "support@demo.reloop.np"
#define SYNC_TIMEOUT_MS 60000

/* A devserver of this test with nothing in the keyring for its address. */
RlTestDevserver *sync_test_devserver (const char *const *args);

/* Signs @email in (password) and waits until the first pull is done and
 * the session is ONLINE. @pull_interval_s is set first (0: none). */
RlSession *sync_test_sign_in (RlTestDevserver *server,
                              const char      *email,
                              guint            pull_interval_s);

/* rl_session_drain_async, waited for. */
gboolean sync_test_drain (RlSession    *session,
                          RlDrainStats *out_stats,
                          GError      **error);
/* rl_session_pull_async, waited for. */
gboolean sync_test_pull (RlSession *session,
                         GError   **error);

/* @method @path (under /api/v1, or /__dev/… when it starts so) with
 * @token (NULL: none) and @body; asserts the status when @expect > 0;
 * returns the envelope's data (a new reference, or NULL). @if_match may
 * be NULL. */
JsonNode *sync_test_call (RlTestDevserver *server,
                          const char      *token,
                          const char      *method,
                          const char      *path,
                          const char      *body,
                          const char      *if_match,
                          guint            expect);
/* The server's record at @path (data object, owned by the caller). */
JsonObject *sync_test_get (RlTestDevserver *server,
                           const char      *token,
                           const char      *path);
/* The request log after @since (an array of records, see docs/api.md). */
JsonArray *sync_test_requests (RlTestDevserver *server,
                               gint64           since);
/* The seq of the newest request-log record (0: none). */
gint64 sync_test_request_seq (RlTestDevserver *server);
/* Replaces the fault rules with @rules (a JSON array text), or none. */
void sync_test_faults (RlTestDevserver *server,
                       const char      *rules);

/* The cached record (asserts it is there). */
JsonObject *sync_test_cached (RlSession  *session,
                              const char *entity,
                              const char *id);
/* The row (NULL when it is gone). */
RlOutboxRow *sync_test_row (RlSession *session,
                            gint64     id);

/* Waits until @session's outbox has no row waiting to be sent. */
gboolean sync_test_wait_pending (RlSession *session,
                                 guint      pending,
                                 guint      timeout_ms);

/* The first @n drop-point ids of the cache, in order. */
GPtrArray *sync_test_drop_point_ids (RlSession *session,
                                     guint      n);

G_END_DECLS
