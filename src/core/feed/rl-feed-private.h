/* rl-feed-private.h — what rl-feed.c, rl-feed-parse.c and rl-feed-writer.c share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <mosquitto.h>

#include "rl-feed.h"
#include "rl-list-enums.h"

G_BEGIN_DECLS

/* A backlog is written in transactions of whatever is queued, up to this
 * many messages (a memory bound): each device's row is written once per
 * transaction (docs/feed.md "Ingest"), so a backlog of 20 readings for each
 * of 10,000 devices writes each row a few times instead of once per reading.
 * Live traffic still goes in WRITER_GATHER_US windows. */
#define WRITER_BATCH 200000
#define WRITER_WAIT_US (200 * 1000)
/* A message waits at most this long for others to share its transaction
 * (was 50 ms: at 5,000 msg/s that was a third of the publish→frame time;
 * 20 ms keeps about 100 readings a transaction: docs/feed.md "Ingest"). */
#define WRITER_GATHER_US (20 * 1000)
#define WRITER_NAP_US (5 * 1000)
/* A batch with this many messages when its gather window closes is a
 * backlog's: it gathers on while messages keep coming, up to
 * WRITER_BACKLOG_US after its first (live traffic at 10,000 msg/s brings
 * about 200 in a window). */
#define WRITER_BACKLOG_MIN 5000
#define WRITER_BACKLOG_US (1000 * 1000)
#define RETRY_MAX_US (2 * G_USEC_PER_SEC)
#define CLIENT_ID_META "mqtt-client-id"
/* The wait after a whole round of the broker list failed: doubled each
 * round from the first to the last (rl-feed-nodes.c). */
#define RL_FEED_BACKOFF_MIN_S 1
#define RL_FEED_BACKOFF_MAX_S 30
/* A session counts as one that worked (the next node at once, the backoff
 * starts over) when it lasted this long: a node that grants the
 * subscriptions and drops the connection at once (RabbitMQ with a classic
 * session queue on a node that is down) must not make the feed go round the
 * list without a pause. */
#define RL_FEED_SESSION_WORKED_S 5

typedef enum
{
  MSG_READING,
  MSG_STATUS,
  MSG_ALERT,
  MSG_STOP,
  MSG_FENCE,  /* rl-feed-record.c: a replay waits until the writer reaches it */
  MSG_OUTAGE, /* rl-feed-net.c: an outage to record (ts_ms: its end) */
} MsgKind;

typedef struct
{
  MsgKind  kind;
  char    *device_id;
  gint64   ts_ms;
  double   fill, weight, temperature, humidity, battery;
  gboolean online;
  /* MSG_ALERT: wire values of the contract's enums, and the optional text. */
  char *alert_type, *severity, *message;
  /* MSG_FENCE: the replay's RlFeedFence (not owned). */
  gpointer fence;
  /* MSG_OUTAGE: its start, the node lost and the node resumed on. */
  gint64 outage_from_ms;
  char  *lost_url, *resumed_url;
} Msg;

/* rl-feed-nodes.c: one broker of the list (network thread). */
typedef struct
{
  char *url; /* normalised */
  char *host;
  int   port;
} RlFeedEndpoint;

void rl_feed_endpoint_free (gpointer data);
/* The validated, normalised brokers of @urls (NULL-terminated) in order, a
 * URL given twice once (RlFeedEndpoint*); NULL and an RL_URL_ERROR or
 * RL_FEED_ERROR_MIXED_SCHEMES. @out_tls: they are mqtts://. */
GPtrArray *rl_feed_endpoints_parse (const char *const *urls,
                                    gboolean          *out_tls,
                                    GError           **error);

/* Which node the network thread tries, and the backoff. */
typedef struct
{
  guint n_nodes;
  guint current;   /* the node of the current (or next) attempt */
  guint failed;    /* attempts failed in a row since the last session */
  guint backoff_s; /* the last round's wait; 0: none yet */
} RlFeedRotation;

void rl_feed_rotation_init (RlFeedRotation *rotation,
                            guint           n_nodes);
/* After an attempt on rotation->current ended (@session_up: the feed had
 * been subscribed on it): moves to the next node and returns the seconds
 * to wait before trying it. */
guint rl_feed_rotation_next (RlFeedRotation *rotation,
                             gboolean        session_up);

/* The local alert rules (the feed's properties; under the feed's lock). */
typedef struct
{
  double fill_above;        /* FULL_BIN/HIGH */
  double battery_below;     /* LOW_BATTERY/MEDIUM */
  double temperature_above; /* HIGH_TEMPERATURE/HIGH */
  guint  offline_after_s;   /* OFFLINE/MEDIUM */
} RlFeedRules;

/* The rules, as bits of Device.latched. */
typedef enum
{
  RULE_FULL_BIN,
  RULE_LOW_BATTERY,
  RULE_HIGH_TEMPERATURE,
  RULE_OFFLINE,
  N_RULES
} Rule;

/* The feed's health figures (rl-feed-health.c), under the feed's lock. */
typedef struct _RlFeedHealthData RlFeedHealthData;

/* What the writer knows of a device (writer thread only). */
typedef struct
{
  char    *drop_point_id;
  double   fill_level;
  gboolean is_online;
  gboolean has_alert;
  gint64   last_reading_ms;
  /* A rule's condition was met and an alert stands for it (ours, the
   * bin's or the server's): 1 << Rule. Cleared when it clears. */
  guint8 latched;
  /* The newest timestamp of a valid reading or status (OFFLINE). */
  gint64 last_seen_ms;
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
  GPtrArray     *endpoints; /* RlFeedEndpoint*; set before the thread starts */
  RlFeedRotation rotation;
  gint64         outage_from_ms; /* wall clock: the session was lost; 0: none */
  char          *outage_lost_url;
  GThread       *network;
  GCond          net_cond;      /* with `lock`: wakes a backoff wait on stop */
  gint           net_stop;      /* atomic */
  int            sub_mid;       /* the SUBSCRIBE awaiting its SUBACK */
  gboolean       connack;       /* the broker accepted the current connection */
  gboolean       session_up;    /* subscriptions granted on the current connection */
  gint64         session_up_us; /* monotonic: when they were granted */
  gboolean       tls_host;      /* under `lock`: libmosquitto logged a host mismatch */
  char          *tls_detail;    /* under `lock`: its last OpenSSL error, for logs */

  GAsyncQueue *queue; /* Msg* */
  GThread     *writer;
  gint         reload; /* atomic */

  GMutex         lock;
  RlFeedCounters counters;
  RlFeedRules    rules;
  gint64         connected_since_us; /* monotonic; 0 while not connected */
  GHashTable    *changes;            /* drop point id → RlFeedPoint* */
  RlFeedState    state;              /* set by the network thread */
  GError        *last_error;
  gboolean       state_dirty;
  /* The brokers (rl-feed-nodes.c), under `lock`: RlFeedNodeInfo* in the
   * list's order; which one the network thread tries (node_attempt) and
   * which one it is subscribed on (node_current, -1: none) since when. */
  GPtrArray *nodes;
  gint       node_attempt;
  gint       node_current;
  gint64     node_since_ms;
  gboolean   nodes_dirty;
  /* Main thread: what was last notified. */
  char  *notified_node;
  gint64 notified_node_since_ms;

  RlFeedState   notified_state;
  GError       *notified_error;
  GMainContext *context;
  GSource      *dispatch;       /* under `lock`; fires only when armed */
  gboolean      dispatch_armed; /* under `lock` */

  /* rl-feed-health.c: under `lock`. */
  RlFeedHealthData *health;

  /* rl-feed-record.c: record and replay. */
  GMutex                  record_lock; /* guards recorder (network thread vs main) */
  gint                    recording;   /* atomic: the network thread's quick check */
  struct _RlFeedRecorder *recorder;
  GError                 *record_error;
  guint                   writer_holds; /* main thread: replays that need the writer */
};

/* One accepted payload (network thread) → the writer's queue. */
void rl_feed_msg_free (gpointer data);
void rl_feed_device_free (gpointer data);
void rl_feed_point_free (gpointer data);

/* Any thread: the state and last error (copied; NULL keeps the last one,
 * and CONNECTED clears it) the main thread will notify. */
/* With `lock` held, from any thread: the main thread's next dispatch of
 * `changes` and the state, RL_FEED_DISPATCH_INTERVAL_MS from now (nothing
 * ticks while nothing arrives). */
void rl_feed_arm_dispatch_locked (RlFeed *self);
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

/* The same, always through json-glib (test-feed-parse compares the two). */
gboolean rl_feed_parse_payload_json (MsgKind       kind,
                                     const char   *device_id,
                                     const char   *payload,
                                     gsize         length,
                                     Msg          *msg,
                                     RlFeedReject *reason);
/* rl-feed-parse-fast.c: a valid reading in the common flat shape fills @msg
 * and gives TRUE; anything else (a reject included) gives FALSE and leaves
 * @msg alone, for rl_feed_parse_payload_json to decide. */
gboolean rl_feed_parse_reading_fast (const char *device_id,
                                     const char *payload,
                                     gsize       length,
                                     Msg        *msg);

/* rl-feed-rules.c: alert records from the writer. The rules decide as
 * messages come (on @next, the device's state as this batch leaves it) and
 * queue what to write in @ops (RlFeedAlertOp, rl_feed_alert_ops_new);
 * rl_feed_rules_flush writes it at the end of the batch's transaction,
 * after the readings: an alert write brings the FTS5 index into the
 * transaction, and each later statement that opens a savepoint would then
 * make FTS5 flush a segment. */
typedef enum
{
  ALERT_OP_ADD,
  ALERT_OP_RESOLVE,
} AlertOpKind;

typedef struct
{
  AlertOpKind   kind;
  Device       *next; /* has_alert is set when an alert is added */
  char         *device_id;
  RlAlertSource source;          /* ADD */
  const char   *type, *severity; /* static or interned wire values */
  char         *message;         /* ADD */
  char         *note;            /* RESOLVE */
  gint64        when_ms;
  double        value, threshold;
} RlFeedAlertOp;

void    rl_feed_alert_op_clear (gpointer data);
GArray *rl_feed_alert_ops_new (void);
/* A reading newer than the device's current one: raises or resolves. */
void rl_feed_rules_reading (GArray            *ops,
                            const RlFeedRules *rules,
                            const char        *device_id,
                            Device            *next,
                            const Msg         *msg);
/* A status message: online again resolves OFFLINE. */
void rl_feed_rules_status (GArray     *ops,
                           const char *device_id,
                           Device     *next,
                           const Msg  *msg);
/* A bin's own alert message becomes a feed alert record. */
void rl_feed_rules_alert_message (GArray     *ops,
                                  const char *device_id,
                                  Device     *next,
                                  const Msg  *msg);
/* Writes @ops in @tx, counting in @delta; FALSE on a store error (the
 * batch is retried). */
gboolean rl_feed_rules_flush (RlStoreBatch   *tx,
                              GArray         *ops,
                              RlFeedCounters *delta,
                              GError        **error);
/* Sets each device's latched bits from the open alerts in @store. */
void rl_feed_rules_load (RlStore    *store,
                         GHashTable *devices);
/* OFFLINE for the devices silent for rules->offline_after_s, in a
 * transaction of its own (counted in the feed's counters); runs at most
 * every rl_feed_rules_offline_period_us. FALSE on a store error (tried
 * again at the next period). */
gboolean rl_feed_rules_check_offline (RlFeed     *self,
                                      RlStore    *store,
                                      GHashTable *devices,
                                      GError    **error);
gint64   rl_feed_rules_offline_period_us (const RlFeedRules *rules);

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

/* rl-feed-nodes.c: the node list the main thread sees. Main thread, before
 * the network thread starts: one RlFeedNodeInfo per endpoint. */
void rl_feed_nodes_reset (RlFeed *self);
/* Network thread: the next attempt is on node @index. */
void rl_feed_nodes_set_attempt (RlFeed *self,
                                guint   index);
/* rl_feed_set_state, with `lock` held: @error is the attempted node's last
 * error; CONNECTED makes it the current node. */
void rl_feed_nodes_note_state_locked (RlFeed       *self,
                                      RlFeedState   state,
                                      const GError *error);
/* Main thread (dispatch): TRUE when the nodes changed since the last call;
 * whether the current node and its since-when did. */
gboolean rl_feed_nodes_take_changes (RlFeed   *self,
                                     gboolean *out_node_changed,
                                     gboolean *out_since_changed);

/* rl-feed-writer.c: the writer thread's body (@user_data: the RlFeed). */
gpointer rl_feed_writer_main (gpointer user_data);

/* rl-feed-health.c, with the feed's lock held: a message arrived; a
 * message was rejected for @reason (@topic may be NULL; @payload's first
 * RL_FEED_HEALTH_PAYLOAD_MAX bytes are kept). */
RlFeedHealthData *rl_feed_health_data_new (void);
void              rl_feed_health_data_free (RlFeedHealthData *data);
void              rl_feed_health_note_message_locked (RlFeed *self);
void              rl_feed_health_note_reject_locked (RlFeed      *self,
                                                     const char  *topic,
                                                     const void  *payload,
                                                     gsize        length,
                                                     RlFeedReject reason);

/* ---- Record and replay (rl-feed-record.c; docs/feed.md "Record, replay,
 * export") ---- */

/* rl-feed.c: {prefix}/{deviceId}/{sensor-data|status|alerts} → the device
 * id (newly allocated) and the kind; FALSE (nothing set) for any other
 * topic. */
gboolean rl_feed_topic_parse (const char *prefix,
                              const char *topic,
                              char      **out_device_id,
                              MsgKind    *out_kind);
/* rl-feed.c: one raw message as the network thread receives it: counted as
 * received, checked against @prefix and the contract, and queued for the
 * writer or rejected by reason. The replay worker calls it too. */
void rl_feed_take_message (RlFeed     *self,
                           const char *prefix,
                           const char *topic,
                           const void *payload,
                           gsize       length);
/* rl-feed-record.c: a recording read line by line (what the replay
 * worker reads; the fuzz target fuzz-feed-replay reads through it too). */
typedef struct _RlFeedReplayReader RlFeedReplayReader;

RlFeedReplayReader *rl_feed_replay_reader_new (GInputStream *in);
void                rl_feed_replay_reader_free (RlFeedReplayReader *reader);
/* The next line that is not blank: TRUE with its topic, payload (never
 * NULL, may be empty) and length, or TRUE with *@out_topic NULL and
 * *@out_problem (static text) for a line that is not a recorded message;
 * FALSE at the end or on a read error (@error set). */
gboolean rl_feed_replay_reader_next (RlFeedReplayReader *reader,
                                     char              **out_topic,
                                     guchar            **out_payload,
                                     gsize              *out_length,
                                     const char        **out_problem,
                                     GCancellable       *cancellable,
                                     GError            **error);
/* rl-feed.c, main thread: starts the writer thread and the dispatch
 * source if they are not running (rl_feed_start, a replay). */
void rl_feed_writer_ensure (RlFeed *self);
/* rl-feed.c, main thread: stops the writer (everything queued is stored
 * first) and the dispatch source, and dispatches what is left. */
void rl_feed_writer_shutdown (RlFeed *self);
/* rl-feed.c, main thread: notifies "recording" (and "record-error"). */
void rl_feed_notify_record (RlFeed  *self,
                            gboolean error_changed);
/* rl-feed-record.c: the network thread's copy of a raw message for the
 * recording (a no-op unless recording); never blocks on the file. */
void rl_feed_record_message (RlFeed     *self,
                             const char *topic,
                             const void *payload,
                             gsize       length);
/* rl-feed-writer.c calls it after each batch is stored (@stored FALSE: the
 * writer has no cache): wakes the replays waiting on a fence in @batch. */
void rl_feed_signal_fences (GPtrArray *batch,
                            gboolean   stored);

G_END_DECLS
