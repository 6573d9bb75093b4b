/* rl-feed-private.h — what rl-feed.c, rl-feed-parse.c and rl-feed-writer.c share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <mosquitto.h>

#include "rl-feed.h"

G_BEGIN_DECLS

#define WRITER_BATCH 5000
#define WRITER_WAIT_US (200 * 1000)
#define WRITER_GATHER_US (50 * 1000)
#define RETRY_MAX_US (2 * G_USEC_PER_SEC)
#define CLIENT_ID_META "mqtt-client-id"

typedef enum
{
  MSG_READING,
  MSG_STATUS,
  MSG_ALERT,
  MSG_STOP,
} MsgKind;

typedef struct
{
  MsgKind  kind;
  char    *device_id;
  gint64   ts_ms;
  double   fill, weight, temperature, humidity, battery;
  gboolean online;
} Msg;

/* What the writer knows of a device (writer thread only). */
typedef struct
{
  char    *drop_point_id;
  double   fill_level;
  gboolean is_online;
  gboolean has_alert;
  gint64   last_reading_ms;
} Device;

struct _RlFeed
{
  GObject parent_instance;

  char             *store_path;
  RlStore          *store; /* main thread: meta (client id) */
  char             *url;
  char             *prefix;
  struct mosquitto *mosq;

  /* rl-feed-net.c: the network thread and what it alone touches. */
  char    *host;
  int      port;
  GThread *network;
  GCond    net_cond;   /* with `lock`: wakes a backoff wait on stop */
  gint     net_stop;   /* atomic */
  int      sub_mid;    /* the SUBSCRIBE awaiting its SUBACK */
  gboolean connack;    /* the broker accepted the current connection */
  gboolean session_up; /* subscriptions granted on the current connection */
  gboolean tls_host;   /* under `lock`: libmosquitto logged a host mismatch */
  char    *tls_detail; /* under `lock`: its last OpenSSL error, for logs */

  GAsyncQueue *queue; /* Msg* */
  GThread     *writer;
  gint         reload; /* atomic */

  GMutex         lock;
  RlFeedCounters counters;
  GHashTable    *changes; /* drop point id → RlFeedPoint* */
  RlFeedState    state;   /* set by the network thread */
  GError        *last_error;
  gboolean       state_dirty;

  RlFeedState   notified_state;
  GError       *notified_error;
  GMainContext *context;
  GSource      *dispatch;
};

/* One accepted payload (network thread) → the writer's queue. */
void rl_feed_msg_free (gpointer data);
void rl_feed_device_free (gpointer data);
void rl_feed_point_free (gpointer data);

/* Any thread: the state and last error (copied; NULL keeps the last one,
 * and CONNECTED clears it) the main thread will notify. */
void rl_feed_set_state (RlFeed       *self,
                        RlFeedState   state,
                        const GError *error);
/* The same with an RL_FEED_ERROR built from @code and @text. */
void rl_feed_set_state_code (RlFeed     *self,
                             RlFeedState state,
                             RlFeedError code,
                             const char *text);

/* rl-feed-parse.c: fills @msg from a payload; FALSE with @reason when the
 * contract rejects it. */
gboolean rl_feed_parse_payload (MsgKind       kind,
                                const char   *device_id,
                                const char   *payload,
                                gsize         length,
                                Msg          *msg,
                                RlFeedReject *reason);

/* rl-feed-net.c: the MQTT client of @config (TLS included) for @host and
 * @port, with every callback but messages; FALSE for a bad CA file. */
gboolean rl_feed_net_setup (RlFeed             *self,
                            const RlFeedConfig *config,
                            const char         *client_id,
                            gboolean            tls,
                            GError            **error);
/* Starts the network thread: it connects, runs the client and reconnects
 * with backoff (1 s → 30 s) whatever ended the connection, a failed TLS
 * handshake included (libmosquitto's own loop gives up on that). */
void rl_feed_net_start (RlFeed *self);
/* Disconnects, ends the thread and frees the client (no-op without one). */
void rl_feed_net_stop (RlFeed *self);

/* rl-feed-writer.c: the writer thread's body (@user_data: the RlFeed). */
gpointer rl_feed_writer_main (gpointer user_data);

G_END_DECLS
