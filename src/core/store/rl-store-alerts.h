/* rl-store-alerts.h — alert records from every source in the cache's one
 * alerts table: the server's, the bins' own (feed) and the console's rules
 * (local).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An alert is open while its status is "open" or "acknowledged". At most
 * one feed or local alert per device and type is open (a unique index says
 * so), and none is added while an alert of that device and type is open,
 * whatever its source. A server alert that arrives open through /changes
 * resolves the console's open one of the same device and type as
 * superseded, in the applier's transaction. A feed or local alert has no
 * server record: it is acknowledged and resolved in the cache alone. See
 * docs/feed.md "Alert records".
 */
#pragma once

#include <json-glib/json-glib.h>

#include "rl-list-enums.h"
#include "rl-store.h"

G_BEGIN_DECLS

/* A new feed or local alert. */
typedef struct
{
  RlAlertSource source; /* RL_ALERT_SOURCE_FEED or _LOCAL */
  const char   *drop_point_id;
  const char   *device_id;
  const char   *type;     /* wire value, "FULL_BIN" */
  const char   *severity; /* wire value, "HIGH" */
  const char   *message;  /* may be NULL */
  gint64        created_ms;
  /* A local rule's measure: the value that raised it and the threshold
   * (the record's "rule": {"value", "threshold"}); NAN for none. */
  double rule_value;
  double rule_threshold;
} RlStoreAlertSpec;

typedef enum
{
  RL_STORE_ALERT_ERROR = -1,
  RL_STORE_ALERT_ADDED = 0,
  RL_STORE_ALERT_DUPLICATE,   /* that id is stored already (a QoS 1 redelivery) */
  RL_STORE_ALERT_OPEN_ALREADY /* an alert of that device and type is open */
} RlStoreAlertResult;

/* "{source}:{deviceId}:{type}:{ms}", e.g. "feed:bin-1:FULL_BIN:1767225600000":
 * the same message or reading always gives the same id. */
char *rl_store_alert_id (RlAlertSource source,
                         const char   *device_id,
                         const char   *type,
                         gint64        created_ms);

/* Writes a new open alert (status "open", version 0, "source") unless its id
 * is stored already or an alert of its device and type is open. */
RlStoreAlertResult rl_store_batch_add_alert (RlStoreBatch           *batch,
                                             const RlStoreAlertSpec *spec,
                                             GError                **error);

/* Resolves the open feed and local alerts of @device_id and @type because
 * their condition cleared: status "resolved" at @when_ms by nobody, with
 * @note as resolvedNote, "autoResolved": true and "resolvedValue": @value
 * (NAN: none). Returns how many, or -1 on error. */
gint rl_store_batch_auto_resolve_alerts (RlStoreBatch *batch,
                                         const char   *device_id,
                                         const char   *type,
                                         gint64        when_ms,
                                         const char   *note,
                                         double        value,
                                         GError      **error);

/* The open alert of @device_id and @type (a server's before a console's),
 * if any: *@out_id (NULL when none) and *@out_source. */
gboolean rl_store_find_open_alert (RlStore       *self,
                                   const char    *device_id,
                                   const char    *type,
                                   char         **out_id,
                                   RlAlertSource *out_source,
                                   GError       **error);

/* Return FALSE to stop. */
typedef gboolean (*RlStoreOpenAlertFunc) (const char   *device_id,
                                          const char   *type,
                                          RlAlertSource source,
                                          gpointer      user_data);

/* Every open alert that has a device. */
gboolean rl_store_foreach_open_alert (RlStore             *self,
                                      RlStoreOpenAlertFunc func,
                                      gpointer             user_data,
                                      GError             **error);

/* The source of cached alert @id; RL_ALERT_SOURCE_UNKNOWN and
 * RL_STORE_ERROR_NOT_FOUND when it is not cached. */
RlAlertSource rl_store_get_alert_source (RlStore    *self,
                                         const char *id,
                                         GError    **error);

/* A feed or local alert acknowledged (@status ACKNOWLEDGED: it must be
 * open) or resolved (RESOLVED: it must not be resolved) in the cache alone,
 * in one transaction: status, …By = @by (NULL: nobody), …At = @when_ms,
 * …Note = @note (NULL: ""). *@out_changed is FALSE (and nothing written)
 * when its status does not allow it. A server alert is refused
 * (RL_STORE_ERROR_CONSTRAINT): it goes through the outbox. */
gboolean rl_store_alert_set_status (RlStore      *self,
                                    const char   *id,
                                    RlAlertStatus status,
                                    const char   *by,
                                    gint64        when_ms,
                                    const char   *note,
                                    gboolean     *out_changed,
                                    GError      **error);

G_END_DECLS
