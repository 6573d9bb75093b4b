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
  gboolean          loop_started;

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

/* rl-feed-writer.c: the writer thread's body (@user_data: the RlFeed). */
gpointer rl_feed_writer_main (gpointer user_data);

G_END_DECLS
