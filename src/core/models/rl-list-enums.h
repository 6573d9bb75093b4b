/* rl-list-enums.h — the enumerations of the cached records the lists show.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Registered with gnome.mkenums_simple (rl-list-enum-types.h): each value's
 * nick is the contract's wire value lower-cased with '-' for '_' ("FULL_BIN"
 * → "full-bin", "circuit_open" → "circuit-open"), so rl_enum_from_wire() and
 * rl_enum_to_wire() need no table. Value 0 is always UNKNOWN: what a newer
 * backend sends that this console does not know yet.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  RL_ALERT_TYPE_UNKNOWN,
  RL_ALERT_TYPE_FULL_BIN,
  RL_ALERT_TYPE_LOW_BATTERY,
  RL_ALERT_TYPE_HIGH_TEMPERATURE,
  RL_ALERT_TYPE_OFFLINE,
  RL_ALERT_TYPE_SENSOR_FAULT,
} RlAlertType;

typedef enum
{
  RL_ALERT_SEVERITY_UNKNOWN,
  RL_ALERT_SEVERITY_LOW,
  RL_ALERT_SEVERITY_MEDIUM,
  RL_ALERT_SEVERITY_HIGH,
} RlAlertSeverity;

typedef enum
{
  RL_ALERT_STATUS_UNKNOWN,
  RL_ALERT_STATUS_OPEN,
  RL_ALERT_STATUS_ACKNOWLEDGED,
  RL_ALERT_STATUS_RESOLVED,
} RlAlertStatus;

/* Where an alert comes from (docs/feed.md "Alert records"): the server
 * (through /changes), a bin's own message on {prefix}/+/alerts (feed), or
 * the console's rules on live readings (local). Stored in alerts.source as
 * the nick ("server", "feed", "local"). Only the server's are acknowledged
 * and resolved on the server; the others in the cache alone. */
typedef enum
{
  RL_ALERT_SOURCE_UNKNOWN,
  RL_ALERT_SOURCE_SERVER,
  RL_ALERT_SOURCE_FEED,
  RL_ALERT_SOURCE_LOCAL,
} RlAlertSource;

typedef enum
{
  RL_RUN_STATUS_UNKNOWN,
  RL_RUN_STATUS_QUEUED,
  RL_RUN_STATUS_RUNNING,
  RL_RUN_STATUS_SUCCEEDED,
  RL_RUN_STATUS_FAILED,
  RL_RUN_STATUS_CANCELLED,
} RlRunStatus;

typedef enum
{
  RL_RUN_TRIGGER_UNKNOWN,
  RL_RUN_TRIGGER_SCHEDULE,
  RL_RUN_TRIGGER_EVENT,
  RL_RUN_TRIGGER_MANUAL,
} RlRunTrigger;

typedef enum
{
  RL_SYNC_JOB_STATUS_UNKNOWN,
  RL_SYNC_JOB_STATUS_IDLE,
  RL_SYNC_JOB_STATUS_RUNNING,
  RL_SYNC_JOB_STATUS_FAILED,
  RL_SYNC_JOB_STATUS_PAUSED,
} RlSyncJobStatus;

typedef enum
{
  RL_SYNC_MODE_UNKNOWN,
  RL_SYNC_MODE_EVENT,
  RL_SYNC_MODE_SCHEDULED,
  RL_SYNC_MODE_REALTIME,
} RlSyncMode;

typedef enum
{
  RL_CONFLICT_STRATEGY_UNKNOWN,
  RL_CONFLICT_STRATEGY_LOCAL_WINS,
  RL_CONFLICT_STRATEGY_REMOTE_WINS,
  RL_CONFLICT_STRATEGY_MERGE,
  RL_CONFLICT_STRATEGY_TIMESTAMP_WINS,
  RL_CONFLICT_STRATEGY_MANUAL,
} RlConflictStrategy;

typedef enum
{
  RL_SYNC_OPERATION_UNKNOWN,
  RL_SYNC_OPERATION_CREATE,
  RL_SYNC_OPERATION_UPDATE,
  RL_SYNC_OPERATION_DELETE,
} RlSyncOperation;

typedef enum
{
  RL_SYNC_LOG_STATUS_UNKNOWN,
  RL_SYNC_LOG_STATUS_SUCCESS,
  RL_SYNC_LOG_STATUS_FAILURE,
} RlSyncLogStatus;

typedef enum
{
  RL_CONFLICT_STATUS_UNKNOWN,
  RL_CONFLICT_STATUS_OPEN,
  RL_CONFLICT_STATUS_RESOLVED,
} RlConflictStatus;

typedef enum
{
  RL_PROVIDER_ROLE_UNKNOWN,
  RL_PROVIDER_ROLE_PRIMARY,
  RL_PROVIDER_ROLE_FALLBACK,
  RL_PROVIDER_ROLE_BACKUP,
} RlProviderRole;

typedef enum
{
  RL_PROVIDER_HEALTH_UNKNOWN,
  RL_PROVIDER_HEALTH_HEALTHY,
  RL_PROVIDER_HEALTH_DEGRADED,
  RL_PROVIDER_HEALTH_DOWN,
  RL_PROVIDER_HEALTH_CIRCUIT_OPEN,
} RlProviderHealth;

/* The state of an outbox row (docs/sync.md); stored as the wire name
 * ("pending", "failed", "invalid_state", "superseded"). */
typedef enum
{
  RL_OUTBOX_STATE_UNKNOWN,
  RL_OUTBOX_STATE_PENDING,       /* waiting to be sent (backing off after a transient failure) */
  RL_OUTBOX_STATE_FAILED,        /* refused (400, 403, 404, 413, 422): retry with a correction, or discard */
  RL_OUTBOX_STATE_INVALID_STATE, /* 409 INVALID_STATE: the record is refreshed; the user discards it */
  RL_OUTBOX_STATE_SUPERSEDED,    /* a conflict someone else resolved first: the user dismisses it */
} RlOutboxState;

/* Which records an RlRecordList shows. */
typedef enum
{
  RL_LIST_KIND_ALERTS,
  RL_LIST_KIND_PROVIDERS,
  RL_LIST_KIND_WORKFLOWS,
  RL_LIST_KIND_RUNS,
  RL_LIST_KIND_SYNC_JOBS,
  RL_LIST_KIND_SYNC_LOG,
  RL_LIST_KIND_CONFLICTS,
  RL_LIST_KIND_OUTBOX,   /* the outbox's rows (the header's popover), oldest first */
  RL_LIST_KIND_DISPATCH, /* bins with a stored forecast "full" (now or predicted), by full at */
} RlListKind;

/* The value of @enum_type whose nick matches @wire (case and '-'/'_'
 * ignored); 0 (UNKNOWN) for NULL or an unknown value. */
gint rl_enum_from_wire (GType       enum_type,
                        const char *wire);
/* The contract's spelling of @value ("FULL_BIN", "circuit_open"), or NULL for
 * UNKNOWN or a value not in @enum_type. Static: do not free. */
const char *rl_enum_to_wire (GType enum_type,
                             gint  value);

G_END_DECLS
