/* rl-test-util.h — test helpers: devserver and broker processes, sync HTTP.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rl-store.h"

G_BEGIN_DECLS

typedef struct _RlTestDevserver RlTestDevserver;
typedef struct _RlTestBroker    RlTestBroker;

/* Starts $RL_DEVSERVER --port 0 --db <tmp> [extra_args…] and waits (≤ 30 s)
 * for its "LISTENING http://127.0.0.1:PORT" line. stderr goes to a log file
 * in a temporary directory (path in ->log_path; printed when a test fails). */
struct _RlTestDevserver
{
  GPid   pid;
  char  *url;     /* "http://127.0.0.1:PORT" (no trailing slash) */
  char  *api_url; /* url + "/api/v1" */
  char  *tmpdir;
  char  *db_path;
  char  *log_path;
  double ready_ms;  /* wall time from spawn to LISTENING */
  int    stdout_fd; /* kept open so late writes to stdout never SIGPIPE */
  char **extra_args;
};

RlTestDevserver *rl_test_devserver_start (const char *const *extra_args,
                                          GError           **error);
/* Same, but with a given --db path (for restart tests). */
RlTestDevserver *rl_test_devserver_start_full (const char        *db_path,
                                               const char *const *extra_args,
                                               GError           **error);
void             rl_test_devserver_stop (RlTestDevserver *server);
/* Starts a stopped (or running) server again on the same port and db. */
gboolean rl_test_devserver_restart (RlTestDevserver *server,
                                    GError         **error);
void     rl_test_devserver_free (RlTestDevserver *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlTestDevserver, rl_test_devserver_free)

/* Starts $RL_MOSQUITTO (or `mosquitto` on PATH) with a private config on a
 * free loopback port (allow_anonymous, max_queued_messages 0) and waits
 * until it accepts connections. Returns NULL + g_test_skip-worthy error when
 * no mosquitto binary exists (callers must fail, not skip, in CI). */
struct _RlTestBroker
{
  GPid  pid;
  guint port;
  char *url;      /* "mqtt://127.0.0.1:PORT" */
  guint tls_port; /* 0: no TLS listener */
  char *tls_url;  /* "mqtts://127.0.0.1:TLS_PORT" or NULL */
  char *tmpdir;
  char *conf_path;
  char *log_path;
};

typedef struct
{
  guint       port;        /* 0: a free one */
  gboolean    persistence; /* sessions and queued messages survive rl_test_broker_restart */
  const char *acl_file;    /* NULL: every client may read and write every topic */
  /* All three, or none: a second listener (tls_port) with this certificate. */
  const char *cafile;
  const char *certfile;
  const char *keyfile;
} RlTestBrokerOptions;

/* The broker logs every subscription (log_type subscribe): see
 * rl_test_broker_wait_subscribed. */
RlTestBroker *rl_test_broker_start (GError **error);
/* The same on a given port (0: a free one), e.g. to restart a broker. */
RlTestBroker *rl_test_broker_start_on_port (guint    port,
                                            GError **error);
RlTestBroker *rl_test_broker_start_full (const RlTestBrokerOptions *options,
                                         GError                   **error);
/* Stops the broker (SIGTERM: with persistence it saves its sessions). */
void rl_test_broker_stop (RlTestBroker *broker);
/* Stops the broker if it runs and starts it again with the same config and
 * ports. (Call both from the thread that started it: the broker dies with
 * the thread that spawned it.) */
gboolean rl_test_broker_restart (RlTestBroker *broker,
                                 GError      **error);
void     rl_test_broker_free (RlTestBroker *broker);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlTestBroker, rl_test_broker_free)
/* Waits (running the main loop) until the broker's log shows at least @n
 * subscriptions to exactly @topic (by any client): from then on the broker
 * routes what is published to @topic to that subscriber. Fails the test
 * with a message after @timeout_ms. */
void rl_test_broker_wait_subscribed (RlTestBroker *broker,
                                     const char   *topic,
                                     guint         n,
                                     guint         timeout_ms);

/* SIGTERM, then SIGKILL after 5 s; reaps (pid ≤ 0: nothing). */
void rl_test_kill_and_reap (GPid pid);
/* Whether something accepts TCP connections on 127.0.0.1:@port. */
gboolean rl_test_port_accepts (guint port);
/* A GSpawnChildSetupFunc: the child gets SIGKILL when the test dies. */
void rl_test_die_with_parent (gpointer user_data);
/* Prints the last 4000 bytes of a log file to stderr. */
void rl_test_print_log_tail (const char *what,
                             const char *path);

/* The number after "@name:" in a /proc/…/status file (0 when absent or
 * unreadable), e.g. voluntary_ctxt_switches or VmRSS (kB). */
guint64 rl_test_proc_status_field (const char *path,
                                   const char *name);

/* A free TCP port on 127.0.0.1 (bound and released). */
guint rl_test_free_port (void);

/* Synchronous HTTP for tests: returns the parsed body (or NULL when it is
 * not JSON), sets *status. headers: NULL-terminated "Name", "value" pairs. */
JsonNode *rl_test_http (const char        *method,
                        const char        *url,
                        const char        *json_body,
                        const char *const *headers,
                        guint             *status);

/* Logs in with the demo password and returns the access token. */
char *rl_test_login (RlTestDevserver *server,
                     const char      *email);

/* Caches a week of readings of one bin as the drop-point panel would:
 * GET /drop-points/{id}/readings (the last 7 days, limit 5000) with
 * @token, stored under @device_id in one batch. Returns how many. */
guint rl_test_cache_week_of_readings (RlTestDevserver *server,
                                      const char      *token,
                                      RlStore         *store,
                                      const char      *drop_point_id,
                                      const char      *device_id);

/* Runs the main loop until cond(user_data) or timeout; returns cond's last
 * value. The loop wakes every 20 ms too, so a condition that another thread
 * changes is seen. */
gboolean rl_test_wait_until (gboolean (*cond) (gpointer user_data),
                             gpointer user_data,
                             guint    timeout_ms);
/* Runs the main loop for @ms. */
void rl_test_run_main_loop (guint ms);

/* ---- async results ---- */

/* A GAsyncReadyCallback that stores a reference to @result where
 * @user_data (a GAsyncResult **, NULL before) points. */
void rl_test_store_result_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data);
/* Runs the main loop until *@slot holds a result (stored by
 * rl_test_store_result_cb), failing the test after @timeout_ms; returns
 * *@slot (still owned by the slot). */
GAsyncResult *rl_test_wait_result (GAsyncResult **slot,
                                   guint          timeout_ms);

/* ---- files and stores ---- */

/* Removes @path and everything below it (NULL: nothing). */
void rl_test_rm_rf (const char *path);
/* Removes an SQLite database file and its -wal and -shm files. */
void rl_test_remove_sqlite (const char *path);
/* Opens (creating it) the store @file_name in the user data directory
 * (private to the test under G_TEST_OPTION_ISOLATE_DIRS); asserts it
 * opened. */
RlStore *rl_test_store_open (const char *file_name);
/* Parses @json (an object) and upserts it into @batch as an @entity
 * record; asserts both worked. */
void rl_test_batch_upsert (RlStoreBatch *batch,
                           const char   *entity,
                           const char   *json);

G_END_DECLS
