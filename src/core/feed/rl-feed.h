/* rl-feed.h — live telemetry from the MQTT broker (contract §3).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libmosquitto's network thread validates and parses every payload and
 * drops what the contract rejects (counted by reason). A writer thread with
 * its own SQLite connection stores readings and link changes in batches,
 * one transaction each. The main thread receives at most one coalesced
 * "points-changed" per RL_FEED_DISPATCH_INTERVAL_MS with the latest state
 * of each drop point that changed. See docs/feed.md.
 */
#pragma once

#include <gio/gio.h>

#include "rl-core-enums.h"

#include "rl-store.h"

G_BEGIN_DECLS

#define RL_FEED_DISPATCH_INTERVAL_MS 100
#define RL_FEED_MAX_PAYLOAD (64 * 1024)
#define RL_FEED_MAX_FUTURE_MS (5 * 60 * 1000)

/* The local alert rules (contract §2, seed 000): the defaults of the
 * feed's properties "fill-alert-threshold" (a reading above it: FULL_BIN,
 * HIGH), "battery-alert-threshold" (below: LOW_BATTERY, MEDIUM),
 * "temperature-alert-threshold" (above: HIGH_TEMPERATURE, HIGH) and
 * "offline-after" (seconds without a valid reading or status: OFFLINE,
 * MEDIUM). A condition that clears by the hysteresis (the constant, or half
 * the way to the end of the scale when that is nearer) resolves the alert:
 * fill below threshold − 10, battery above threshold + 5, temperature
 * below threshold − 5; OFFLINE when the device reports again. docs/feed.md
 * "Alert records". */
#define RL_FEED_DEFAULT_FILL_THRESHOLD 85.0
#define RL_FEED_DEFAULT_BATTERY_THRESHOLD 20.0
#define RL_FEED_DEFAULT_TEMPERATURE_THRESHOLD 50.0
#define RL_FEED_DEFAULT_OFFLINE_AFTER_S (30 * 60)
#define RL_FEED_FILL_HYSTERESIS 10.0
#define RL_FEED_BATTERY_HYSTERESIS 5.0
#define RL_FEED_TEMPERATURE_HYSTERESIS 5.0

#define RL_FEED_ERROR (rl_feed_error_quark ())

/* A bad broker URL or topic prefix is an RL_URL_ERROR (rl-url.h). */
typedef enum
{
  RL_FEED_ERROR_FAILED,          /* the MQTT client or its TLS cannot be set up */
  RL_FEED_ERROR_NOT_SIGNED_IN,   /* no server cache to store telemetry in */
  RL_FEED_ERROR_UNREACHABLE,     /* the broker cannot be reached */
  RL_FEED_ERROR_REFUSED,         /* the broker refused the connection */
  RL_FEED_ERROR_NOT_AUTHORIZED,  /* … for the user name and password */
  RL_FEED_ERROR_CONNECTION_LOST, /* connected, then lost */
  RL_FEED_ERROR_CA_FILE,         /* the ca-file setting names no readable PEM CA */
  RL_FEED_ERROR_TLS_UNTRUSTED,   /* mqtts: no trusted CA signed the broker's certificate */
  RL_FEED_ERROR_TLS_HOST,        /* mqtts: the certificate is not for the URL's host */
  RL_FEED_ERROR_TLS_FAILED,      /* mqtts: any other TLS failure (not a TLS port…) */
  RL_FEED_ERROR_SUBSCRIBE,       /* the broker refused a subscription (permissions) */
  RL_FEED_ERROR_MIXED_SCHEMES,   /* a list of broker URLs with both mqtt:// and mqtts:// */
  RL_FEED_ERROR_SESSION,         /* the broker closed the connection before the SUBACK */
} RlFeedError;

GQuark rl_feed_error_quark (void);

typedef enum
{
  RL_FEED_STATE_STOPPED,
  RL_FEED_STATE_CONNECTING,
  RL_FEED_STATE_CONNECTED,
  RL_FEED_STATE_RECONNECTING, /* lost the broker; retrying with backoff */
} RlFeedState;

/* Why a message was rejected (contract §3); each has a counter. */
typedef enum
{
  RL_FEED_REJECT_TOPIC,         /* not {prefix}/{deviceId}/{kind} */
  RL_FEED_REJECT_TOO_LARGE,     /* over 64 KiB */
  RL_FEED_REJECT_NOT_JSON,      /* not a JSON object */
  RL_FEED_REJECT_MISSING_FIELD, /* fillLevel, timestamp, online… */
  RL_FEED_REJECT_BAD_VALUE,     /* wrong type, bad timestamp */
  RL_FEED_REJECT_OUT_OF_RANGE,
  RL_FEED_REJECT_BIN_MISMATCH,   /* binId ≠ the topic's deviceId */
  RL_FEED_REJECT_FUTURE,         /* timestamp > now + 5 min */
  RL_FEED_REJECT_UNKNOWN_DEVICE, /* no cached drop point has this deviceId */
  RL_FEED_N_REJECTS
} RlFeedReject;

/* Translatable-free key for logs and tests, e.g. "out-of-range". */
const char *rl_feed_reject_to_string (RlFeedReject reason);

typedef struct
{
  guint64 received;      /* messages that arrived */
  guint64 readings;      /* readings stored (new) */
  guint64 duplicates;    /* (device, timestamp) already stored: ignored */
  guint64 older;         /* stored to history only: older than the current one */
  guint64 statuses;      /* link changes applied */
  guint64 alerts;        /* alert messages seen */
  guint64 alert_records; /* … that became an alert record (source feed) */
  guint64 local_alerts;  /* alerts the local rules raised (source local) */
  guint64 auto_resolved; /* console alerts resolved because their condition cleared */
  guint64 batches;       /* transactions committed */
  guint64 store_retries; /* failed commits, retried (nothing dropped) */
  guint64 rejected[RL_FEED_N_REJECTS];
} RlFeedCounters;

/* The latest state of a drop point that changed. */
typedef struct
{
  char    *drop_point_id;
  char    *device_id;
  double   fill_level; /* NAN: none yet */
  gboolean is_online;
  gboolean has_alert;     /* an open alert in the cache when the feed started, or one that
                           * arrived over the feed since */
  gint64 last_reading_ms; /* 0: none yet */
} RlFeedPoint;

typedef struct
{
  /* The brokers: @urls (NULL-terminated, tried in this order; docs/feed.md
   * "Several brokers"), or @url alone when @urls is NULL or empty. All of
   * one scheme. */
  const char *const *urls;
  const char        *url;          /* mqtt://host[:port] or mqtts:// (any case) */
  const char        *username;     /* NULL: anonymous */
  const char        *password;     /* from the keyring; never logged */
  const char        *topic_prefix; /* default "devices" */
  const char        *ca_file;      /* mqtts: CAs (PEM) trusted besides the system's */
  const char        *client_id;    /* NULL: a stable id kept in the store's meta */
} RlFeedConfig;

/* mosquitto_lib_init () once per process, whoever needs it first (the
 * feed, the devserver's simulator). */
void rl_mqtt_lib_init (void);

#define RL_TYPE_FEED (rl_feed_get_type ())
G_DECLARE_FINAL_TYPE (RlFeed, rl_feed, RL, FEED, GObject)

/* The feed writes to the cache file of @store through its own connection. */
RlFeed *rl_feed_new (RlStore *store);

/* Connects (asynchronously: the state property follows) and subscribes to
 * {prefix}/+/sensor-data, status and alerts with QoS 1 and a persistent
 * session; the state is CONNECTED once the broker has granted the
 * subscriptions. mqtts:// verifies the broker's certificate and host name
 * (never skipped); a failure is the state RECONNECTING with an RL_FEED_ERROR_TLS_*
 * error, retried with backoff. Each URL and the prefix go through
 * rl_url_validate_broker and rl_url_validate_topic_prefix (what Preferences
 * accepts, the feed starts with). With several URLs the feed connects to the
 * first that answers and fails over to the others in turn (docs/feed.md
 * "Several brokers"). Returns FALSE only for a bad configuration: an
 * RL_URL_ERROR, RL_FEED_ERROR_MIXED_SCHEMES, RL_FEED_ERROR_CA_FILE or
 * RL_FEED_ERROR_FAILED. */
gboolean rl_feed_start (RlFeed             *self,
                        const RlFeedConfig *config,
                        GError            **error);
/* Disconnects, stores what was received, emits the last points-changed. */
void rl_feed_stop (RlFeed *self);

RlFeedState rl_feed_get_state (RlFeed *self);
/* The normalised URL of the first broker of the list. */
const char *rl_feed_get_url (RlFeed *self);

/* One broker of the list, as the main thread last heard (a copy). */
typedef struct
{
  char    *url;          /* normalised */
  GError  *error;        /* the last connection error on this node, or NULL */
  gint64   error_ms;     /* when (wall clock, UTC ms); 0: none */
  gint64   connected_ms; /* when the feed last got subscribed on it; 0: never */
  gboolean current;      /* the feed is subscribed on it now */
} RlFeedNodeInfo;

void            rl_feed_node_info_free (gpointer data);
RlFeedNodeInfo *rl_feed_node_info_copy (const RlFeedNodeInfo *info);
/* Every broker of the list in its order (RlFeedNodeInfo*, transfer full;
 * empty before the first start). Property "nodes" notifies a change. */
GPtrArray *rl_feed_get_nodes (RlFeed *self);
/* The URL of the node the feed is subscribed on, or NULL while it is not
 * CONNECTED (property "node"); since when (wall clock, UTC ms; 0 while not
 * connected: property "node-since"). */
const char *rl_feed_get_node (RlFeed *self);
gint64      rl_feed_get_node_since (RlFeed *self);
/* The last connection error's message (English, for logs), or NULL. */
const char *rl_feed_get_last_error (RlFeed *self);
/* The same error with its code (RL_FEED_ERROR, or the store's), or NULL;
 * the UI words it (the "last-error" property notifies a change). */
const GError *rl_feed_get_error (RlFeed *self);
void          rl_feed_get_counters (RlFeed         *self,
                                    RlFeedCounters *out_counters);
guint64       rl_feed_get_n_rejected (RlFeed *self);
/* Re-reads which devices exist (call after a sync brought new drop points). */
void rl_feed_reload_devices (RlFeed *self);

/* ---- Record, replay, export (rl-feed-record.c; docs/feed.md) ----------- */

/* Records every raw message the feed receives from the broker (before any
 * check: rejected ones too) to @path, replaced, one JSON line each:
 * {"topic": "…", "received": "2026-11-21T09:30:00.123Z", "payload": "<base64>"}.
 * A thread of its own writes the file; the network thread only queues a
 * copy. A write error (or a writer that falls 256 MiB behind) ends the
 * recording: "recording" goes FALSE and "record-error" holds the error (a
 * G_IO_ERROR, or RL_FEED_ERROR_FAILED for falling behind). Recording goes on
 * across rl_feed_stop/start of the same feed; starting again replaces the
 * current recording. FALSE (G_IO_ERROR) when @path cannot be created. */
gboolean rl_feed_record_start (RlFeed     *self,
                               const char *path,
                               GError    **error);
/* Writes out everything queued, closes the file (an error then is the
 * "record-error"); no-op when not recording. */
void     rl_feed_record_stop (RlFeed *self);
gboolean rl_feed_get_recording (RlFeed *self); /* + property "recording" */
/* Why the last recording ended early, or NULL (property "record-error"). */
const GError *rl_feed_get_record_error (RlFeed *self);

/* Replays a recording through the same checks and writer as live messages
 * (counted as received, rejected by reason, duplicates…; not recorded
 * again), in a worker thread; finishes once the writer has stored all of
 * it. Works with the feed stopped or never started: the writer runs for
 * the replay. The topic prefix is the one the feed was last started with,
 * else "devices". A line that is not such a record is skipped and counted
 * (rl_feed_replay_get_bad_lines). FALSE with a G_IO_ERROR when the file
 * cannot be read, G_IO_ERROR_CANCELLED when cancelled (what was queued
 * before is stored), RL_FEED_ERROR_FAILED when the cache cannot be
 * opened. */
void     rl_feed_replay_async (RlFeed             *self,
                               const char         *path,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data);
gboolean rl_feed_replay_finish (RlFeed       *self,
                                GAsyncResult *result,
                                guint64      *out_messages,
                                GError      **error);
/* The lines of that replay's file that were skipped (not JSON, no topic,
 * bad base64, over 16 MiB…); 0 before it finished. */
guint64 rl_feed_replay_get_bad_lines (GAsyncResult *result);

/* Signals:
 *   points-changed (GPtrArray *points)  RlFeedPoint*, at most every 100 ms
 *   notify::state, notify::last-error, notify::recording, notify::record-error,
 *   notify::node, notify::node-since, notify::nodes
 * Properties (read-write, taken by the writer from its next batch on):
 *   fill-alert-threshold, battery-alert-threshold,
 *   temperature-alert-threshold (double), offline-after (uint, seconds)
 */

/* ---- Feed health (rl-feed-health.c; docs/feed.md "Feed health") ---------- */

#define RL_FEED_HEALTH_SECONDS 600     /* the rate history: 10 minutes */
#define RL_FEED_HEALTH_PAYLOAD_MAX 512 /* bytes of a rejected payload kept */
#define RL_FEED_HEALTH_RATE_WINDOW 5   /* complete seconds "per second" averages */

/* What support looks at to tell whether the feed is healthy: a copy, made
 * under the feed's lock, that the caller owns (rl_feed_health_clear). */
typedef struct
{
  RlFeedState    state;
  RlFeedCounters counters;
  /* Messages received in each second of the last ten minutes, oldest
   * first; the last entry is the current (incomplete) second. */
  guint32 history[RL_FEED_HEALTH_SECONDS];
  double  per_second;      /* mean of the last RL_FEED_HEALTH_RATE_WINDOW complete seconds */
  gint64  last_message_ms; /* wall clock (UTC ms) of the last message received; 0: none */
  /* The last rejected message (has_rejected: one was seen). */
  gboolean     has_rejected;
  RlFeedReject rejected_reason;
  gint64       rejected_ms;      /* wall clock (UTC ms) */
  char        *rejected_topic;   /* NULL if the message had none */
  GBytes      *rejected_payload; /* its first RL_FEED_HEALTH_PAYLOAD_MAX bytes, raw */
  gsize        rejected_length;  /* the whole payload's length */
} RlFeedHealth;

/* Fills @out (overwritten, not cleared first). Any thread. */
void rl_feed_get_health (RlFeed       *self,
                         RlFeedHealth *out);
void rl_feed_health_clear (RlFeedHealth *health);

/* A payload preview for people: at most @max_chars characters of valid
 * UTF-8 with control characters and invalid bytes escaped (\n, \t, \xNN),
 * "…" appended when cut. Never NULL. */
char *rl_feed_payload_preview (GBytes *payload,
                               gsize   max_chars);

G_END_DECLS
