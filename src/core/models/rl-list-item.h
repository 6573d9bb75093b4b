/* rl-list-item.h — one cached record as a small GObject with real properties.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The items of RlRecordList. Each kind of record has its own final type
 * (RlAlertItem, RlRunItem, …) whose properties are the columns of its list
 * (rl-list-specs.c), so .ui expressions, sorters and filters can read them:
 * <lookup name="severity" type="RlAlertItem">. Enumerations are enum
 * properties (rl-list-enums.h), times are UTC milliseconds (0: none).
 */
#pragma once

#include <glib-object.h>

#include "rl-core-enums.h"
#include "rl-list-enums.h"

G_BEGIN_DECLS

#define RL_TYPE_LIST_ITEM (rl_list_item_get_type ())
G_DECLARE_DERIVABLE_TYPE (RlListItem, rl_list_item, RL, LIST_ITEM, GObject)

typedef struct _RlListSpec RlListSpec;

struct _RlListItemClass
{
  GObjectClass      parent_class;
  const RlListSpec *spec;
};

const char *rl_list_item_get_id (RlListItem *self);
/* Typed reads of a property by name (g_object_get works as well). */
const char *rl_list_item_get_string (RlListItem *self,
                                     const char *property);
gint64      rl_list_item_get_int64 (RlListItem *self,
                                    const char *property);
gint        rl_list_item_get_enum (RlListItem *self,
                                   const char *property);
gboolean    rl_list_item_get_boolean (RlListItem *self,
                                      const char *property);

#define RL_TYPE_ALERT_ITEM (rl_alert_item_get_type ())
G_DECLARE_FINAL_TYPE (RlAlertItem, rl_alert_item, RL, ALERT_ITEM, RlListItem)
#define RL_TYPE_PROVIDER_ITEM (rl_provider_item_get_type ())
G_DECLARE_FINAL_TYPE (RlProviderItem, rl_provider_item, RL, PROVIDER_ITEM, RlListItem)
#define RL_TYPE_WORKFLOW_ITEM (rl_workflow_item_get_type ())
G_DECLARE_FINAL_TYPE (RlWorkflowItem, rl_workflow_item, RL, WORKFLOW_ITEM, RlListItem)
#define RL_TYPE_RUN_ITEM (rl_run_item_get_type ())
G_DECLARE_FINAL_TYPE (RlRunItem, rl_run_item, RL, RUN_ITEM, RlListItem)
#define RL_TYPE_SYNC_JOB_ITEM (rl_sync_job_item_get_type ())
G_DECLARE_FINAL_TYPE (RlSyncJobItem, rl_sync_job_item, RL, SYNC_JOB_ITEM, RlListItem)
#define RL_TYPE_SYNC_LOG_ITEM (rl_sync_log_item_get_type ())
G_DECLARE_FINAL_TYPE (RlSyncLogItem, rl_sync_log_item, RL, SYNC_LOG_ITEM, RlListItem)
#define RL_TYPE_CONFLICT_ITEM (rl_conflict_item_get_type ())
G_DECLARE_FINAL_TYPE (RlConflictItem, rl_conflict_item, RL, CONFLICT_ITEM, RlListItem)
/* An outbox row (its id is the row id, as text). */
#define RL_TYPE_OUTBOX_ITEM (rl_outbox_item_get_type ())
G_DECLARE_FINAL_TYPE (RlOutboxItem, rl_outbox_item, RL, OUTBOX_ITEM, RlListItem)
/* A bin of the dispatch list (RL_LIST_KIND_DISPATCH; docs/forecast.md). */
#define RL_TYPE_FORECAST_ITEM (rl_forecast_item_get_type ())
G_DECLARE_FINAL_TYPE (RlForecastItem, rl_forecast_item, RL, FORECAST_ITEM, RlListItem)

G_END_DECLS
