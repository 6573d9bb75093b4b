/* rl-store-alerts.c — alert records from every source: the console's own
 * (feed, local) beside the server's in the one alerts table.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Console alerts are written with rl_store_write_record, like every record
 * (hot columns, folded search text and its FTS index, the store monitor),
 * and their source set in the same transaction: the generic upsert leaves
 * `source` alone, so a server record never changes it and a console one
 * keeps it. Migration v7 has the indexes: `alerts_device_open` finds the
 * open alert of a device and type, `alerts_console_open` keeps the console
 * to one open alert per device and type.
 */
#include "config.h"

#include <math.h>

#include "rl-store-alerts.h"

#include "rl-core-enums.h"
#include "rl-store-private.h"
#include "rl-time.h"

#define OPEN_STATUSES "status IN ('open', 'acknowledged')"

/* ---- Helpers ------------------------------------------------------------ */

static const char *
source_name (RlAlertSource source)
{
  return rl_enum_to_wire (RL_TYPE_ALERT_SOURCE, source);
}

static const RlEntityInfo *
alert_info (void)
{
  return rl_store_entity_lookup ("alert");
}

static JsonObject *
parse_record (const char *json)
{
  g_autoptr (JsonNode) node = json != NULL ? json_from_string (json, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static gboolean
id_is_stored (RlStore    *store,
              const char *id,
              gboolean   *out_stored,
              GError    **error)
{
  sqlite3_stmt *stmt = rl_store_prepare (store, "SELECT 1 FROM alerts WHERE id = ?", error);
  int           rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *out_stored = rc == SQLITE_ROW;
  return rl_store_step_finished (store, stmt, rc == SQLITE_ROW ? SQLITE_DONE : rc,
                                 "Cannot read the alerts", error);
}

/* Marks @record resolved at @when_ms by @by (NULL: nobody) with @note. */
static void
set_resolved (JsonObject *record,
              const char *by,
              gint64      when_ms,
              const char *note)
{
  g_autofree char *when = rl_time_format_ms (when_ms);

  json_object_set_string_member (record, "status", "resolved");
  if (by != NULL)
    json_object_set_string_member (record, "resolvedBy", by);
  else
    json_object_set_null_member (record, "resolvedBy");
  json_object_set_string_member (record, "resolvedAt", when);
  json_object_set_string_member (record, "resolvedNote", note != NULL ? note : "");
  json_object_set_string_member (record, "updatedAt", when);
}

/* Resolves the open console alerts of a device and type (the store's open
 * transaction) at @when_ms by nobody, with @note; @extra's members are
 * added to each. The search text does not change, so neither does the FTS
 * index, whichever connection writes. One row per UPDATE, by id: a
 * statement that may change several rows opens a savepoint, and an FTS5
 * index already written in the transaction flushes a segment at each one.
 * Returns how many. */
static gint
resolve_console_alerts (RlStore    *store,
                        const char *device_id,
                        const char *type,
                        gint64      when_ms,
                        const char *note,
                        JsonObject *extra,
                        GError    **error)
{
  g_autoptr (JsonNode) extra_node = json_node_init_object (json_node_alloc (), extra);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *extra_text = rl_store_json_text (extra_node);
  g_autofree char *when = rl_time_format_ms (when_ms);
  sqlite3_stmt    *stmt;
  int              rc;

  /* Matches the WHERE of alerts_console_open, so SQLite uses it. */
  stmt = rl_store_prepare (store,
                           "SELECT id FROM alerts WHERE device_id = ?1 AND type = ?2"
                           " AND source <> 'server' AND " OPEN_STATUSES,
                           error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, type, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (!rl_store_step_finished (store, stmt, rc, "Cannot read the alerts", error))
    return -1;

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);

      stmt = rl_store_prepare (store,
                               "UPDATE alerts SET status = 'resolved', resolved_by = NULL,"
                               " resolved_ms = ?2, updated_ms = ?2,"
                               " json = json_patch(json_set(json, '$.status', 'resolved',"
                               "   '$.resolvedBy', json('null'), '$.resolvedAt', ?3,"
                               "   '$.resolvedNote', ?4, '$.updatedAt', ?3), ?5)"
                               " WHERE id = ?1",
                               error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, when_ms);
      sqlite3_bind_text (stmt, 3, when, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, note != NULL ? note : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, extra_text, -1, SQLITE_STATIC);
      if (!rl_store_step_done (store, stmt, error))
        return -1;
      rl_store_note_change (store, "alert", id);
    }
  return (gint) ids->len;
}

/* ---- Public API --------------------------------------------------------- */

char *
rl_store_alert_id (RlAlertSource source,
                   const char   *device_id,
                   const char   *type,
                   gint64        created_ms)
{
  g_return_val_if_fail (device_id != NULL && type != NULL, NULL);

  return g_strdup_printf ("%s:%s:%s:%" G_GINT64_FORMAT, source_name (source), device_id, type,
                          created_ms);
}

RlStoreAlertResult
rl_store_batch_add_alert (RlStoreBatch           *batch,
                          const RlStoreAlertSpec *spec,
                          GError                **error)
{
  g_autoptr (JsonObject) record = NULL;
  g_autofree char *id = NULL;
  g_autofree char *created = NULL;
  g_autofree char *open_id = NULL;
  RlAlertSource    open_source;
  RlStore         *store;
  sqlite3_stmt    *stmt;
  gboolean         stored = FALSE;

  g_return_val_if_fail (batch != NULL, RL_STORE_ALERT_ERROR);
  g_return_val_if_fail (spec != NULL && spec->device_id != NULL && spec->type != NULL,
                        RL_STORE_ALERT_ERROR);
  g_return_val_if_fail (spec->source == RL_ALERT_SOURCE_FEED
                            || spec->source == RL_ALERT_SOURCE_LOCAL,
                        RL_STORE_ALERT_ERROR);

  if ((store = rl_store_batch_get_store (batch, error)) == NULL)
    return RL_STORE_ALERT_ERROR;

  id = rl_store_alert_id (spec->source, spec->device_id, spec->type, spec->created_ms);
  if (!id_is_stored (store, id, &stored, error))
    return RL_STORE_ALERT_ERROR;
  if (stored)
    return RL_STORE_ALERT_DUPLICATE;
  if (!rl_store_find_open_alert (store, spec->device_id, spec->type, &open_id, &open_source, error))
    return RL_STORE_ALERT_ERROR;
  if (open_id != NULL)
    return RL_STORE_ALERT_OPEN_ALREADY;

  created = rl_time_format_ms (spec->created_ms);
  record = json_object_new ();
  json_object_set_string_member (record, "id", id);
  if (spec->drop_point_id != NULL)
    json_object_set_string_member (record, "dropPointId", spec->drop_point_id);
  else
    json_object_set_null_member (record, "dropPointId");
  json_object_set_string_member (record, "deviceId", spec->device_id);
  json_object_set_string_member (record, "type", spec->type);
  json_object_set_string_member (record, "severity", spec->severity);
  if (spec->message != NULL)
    json_object_set_string_member (record, "message", spec->message);
  else
    json_object_set_null_member (record, "message");
  json_object_set_string_member (record, "createdAt", created);
  json_object_set_string_member (record, "updatedAt", created);
  json_object_set_string_member (record, "status", "open");
  json_object_set_null_member (record, "acknowledgedBy");
  json_object_set_null_member (record, "acknowledgedAt");
  json_object_set_int_member (record, "version", 0);
  json_object_set_string_member (record, "source", source_name (spec->source));
  if (!isnan (spec->rule_value))
    {
      JsonObject *rule = json_object_new ();

      json_object_set_double_member (rule, "value", spec->rule_value);
      json_object_set_double_member (rule, "threshold", spec->rule_threshold);
      json_object_set_object_member (record, "rule", rule);
    }

  if (!rl_store_write_record (store, alert_info (), record, 0,
                              rl_store_batch_get_generation (batch), NULL, error))
    return RL_STORE_ALERT_ERROR;
  stmt = rl_store_prepare (store, "UPDATE alerts SET source = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return RL_STORE_ALERT_ERROR;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, source_name (spec->source), -1, SQLITE_STATIC);
  if (!rl_store_step_done (store, stmt, error))
    return RL_STORE_ALERT_ERROR;
  return RL_STORE_ALERT_ADDED;
}

gint
rl_store_batch_auto_resolve_alerts (RlStoreBatch *batch,
                                    const char   *device_id,
                                    const char   *type,
                                    gint64        when_ms,
                                    const char   *note,
                                    double        value,
                                    GError      **error)
{
  g_autoptr (JsonObject) extra = json_object_new ();
  RlStore *store;

  g_return_val_if_fail (batch != NULL, -1);
  g_return_val_if_fail (device_id != NULL && type != NULL, -1);

  if ((store = rl_store_batch_get_store (batch, error)) == NULL)
    return -1;
  json_object_set_boolean_member (extra, "autoResolved", TRUE);
  if (!isnan (value))
    json_object_set_double_member (extra, "resolvedValue", value);
  return resolve_console_alerts (store, device_id, type, when_ms, note, extra, error);
}

gint
rl_store_supersede_console_alerts (RlStore    *self,
                                   JsonObject *record,
                                   GError    **error)
{
  g_autoptr (JsonObject) extra = NULL;
  g_autofree char *note = NULL;
  const char      *status = json_object_get_string_member_with_default (record, "status", NULL);
  const char      *device = json_object_get_string_member_with_default (record, "deviceId", NULL);
  const char      *type = json_object_get_string_member_with_default (record, "type", NULL);
  const char      *id = json_object_get_string_member_with_default (record, "id", NULL);

  /* A server alert already resolved does not stand for the console's:
   * those resolve with their condition, or give way to the next one. */
  if (device == NULL || type == NULL || id == NULL
      || (g_strcmp0 (status, "open") != 0 && g_strcmp0 (status, "acknowledged") != 0))
    return 0;

  extra = json_object_new ();
  json_object_set_string_member (extra, "supersededBy", id);
  note = g_strdup_printf ("Replaced by the server’s alert %s", id);
  return resolve_console_alerts (self, device, type, rl_time_now_ms (), note, extra, error);
}

gboolean
rl_store_has_open_console_alerts (RlStore *self)
{
  /* The partial index alerts_console_open holds exactly these rows. */
  return rl_store_query_int (self,
                             "SELECT EXISTS (SELECT 1 FROM alerts WHERE source <> 'server'"
                             " AND " OPEN_STATUSES ")",
                             NULL)
         != 0;
}

gboolean
rl_store_find_open_alert (RlStore       *self,
                          const char    *device_id,
                          const char    *type,
                          char         **out_id,
                          RlAlertSource *out_source,
                          GError       **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (device_id != NULL && type != NULL && out_id != NULL, FALSE);

  *out_id = NULL;
  if (out_source != NULL)
    *out_source = RL_ALERT_SOURCE_UNKNOWN;
  /* Matches the WHERE of alerts_device_open. */
  stmt = rl_store_prepare (self,
                           "SELECT id, source FROM alerts WHERE device_id = ?1 AND type = ?2"
                           " AND " OPEN_STATUSES " ORDER BY source = 'server' DESC, created_ms"
                           " LIMIT 1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, type, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (out_source != NULL)
        *out_source = rl_enum_from_wire (RL_TYPE_ALERT_SOURCE,
                                         (const char *) sqlite3_column_text (stmt, 1));
      rc = SQLITE_DONE;
    }
  if (!rl_store_step_finished (self, stmt, rc, "Cannot read the alerts", error))
    {
      g_clear_pointer (out_id, g_free);
      return FALSE;
    }
  return TRUE;
}

gboolean
rl_store_foreach_open_alert (RlStore             *self,
                             RlStoreOpenAlertFunc func,
                             gpointer             user_data,
                             GError             **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      ok = TRUE;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* Own statement: the callback may use the store's cached ones. */
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT device_id, type, source FROM alerts"
                          " WHERE device_id IS NOT NULL AND type IS NOT NULL AND " OPEN_STATUSES,
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      rl_store_set_error_from_db (self, error, "Cannot read the alerts");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RlAlertSource source =
          rl_enum_from_wire (RL_TYPE_ALERT_SOURCE, (const char *) sqlite3_column_text (stmt, 2));

      if (!func ((const char *) sqlite3_column_text (stmt, 0),
                 (const char *) sqlite3_column_text (stmt, 1), source, user_data))
        break;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      rl_store_set_error_from_db (self, error, "Cannot read the alerts");
      ok = FALSE;
    }
  sqlite3_finalize (stmt);
  return ok;
}

RlAlertSource
rl_store_get_alert_source (RlStore    *self,
                           const char *id,
                           GError    **error)
{
  RlAlertSource source = RL_ALERT_SOURCE_UNKNOWN;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (self), RL_ALERT_SOURCE_UNKNOWN);
  g_return_val_if_fail (id != NULL, RL_ALERT_SOURCE_UNKNOWN);

  stmt = rl_store_prepare (self, "SELECT source FROM alerts WHERE id = ?", error);
  if (stmt == NULL)
    return RL_ALERT_SOURCE_UNKNOWN;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      source = rl_enum_from_wire (RL_TYPE_ALERT_SOURCE, (const char *) sqlite3_column_text (stmt, 0));
      rc = SQLITE_DONE;
    }
  else if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND, "No alert “%s” in the cache",
                   id);
      return RL_ALERT_SOURCE_UNKNOWN;
    }
  if (!rl_store_step_finished (self, stmt, rc, "Cannot read the alerts", error))
    return RL_ALERT_SOURCE_UNKNOWN;
  return source;
}

gboolean
rl_store_alert_set_status (RlStore      *self,
                           const char   *id,
                           RlAlertStatus status,
                           const char   *by,
                           gint64        when_ms,
                           const char   *note,
                           gboolean     *out_changed,
                           GError      **error)
{
  g_autoptr (JsonObject) record = NULL;
  g_autofree char *json = NULL;
  g_autofree char *source = NULL;
  g_autofree char *current = NULL;
  sqlite3_stmt    *stmt;
  gboolean         allowed;
  int              rc;

  g_return_val_if_fail (RL_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (status == RL_ALERT_STATUS_ACKNOWLEDGED
                            || status == RL_ALERT_STATUS_RESOLVED,
                        FALSE);

  if (out_changed != NULL)
    *out_changed = FALSE;
  /* Read and written in one transaction: the feed's writer may resolve it
   * meanwhile (its condition cleared). */
  if (!rl_store_tx_begin (self, error))
    return FALSE;
  stmt = rl_store_prepare (self, "SELECT json, source, status FROM alerts WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      source = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      current = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      rc = SQLITE_DONE;
    }
  else if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND, "No alert “%s” in the cache",
                   id);
      goto fail;
    }
  if (!rl_store_step_finished (self, stmt, rc, "Cannot read the alerts", error))
    goto fail;
  if (g_strcmp0 (source, "server") == 0)
    {
      g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_CONSTRAINT,
                   "Alert “%s” is the server’s: it is acknowledged and resolved on the server",
                   id);
      goto fail;
    }
  if ((record = parse_record (json)) == NULL)
    {
      g_set_error (error, RL_STORE_ERROR, RL_STORE_ERROR_CORRUPT,
                   "The cached alert “%s” is not a JSON object", id);
      goto fail;
    }

  allowed = status == RL_ALERT_STATUS_ACKNOWLEDGED ? g_strcmp0 (current, "open") == 0
                                                   : g_strcmp0 (current, "resolved") != 0;
  if (!allowed)
    {
      rl_store_tx_rollback (self);
      return TRUE;
    }

  if (status == RL_ALERT_STATUS_RESOLVED)
    set_resolved (record, by, when_ms, note);
  else
    {
      g_autofree char *when = rl_time_format_ms (when_ms);

      json_object_set_string_member (record, "status", "acknowledged");
      if (by != NULL)
        json_object_set_string_member (record, "acknowledgedBy", by);
      else
        json_object_set_null_member (record, "acknowledgedBy");
      json_object_set_string_member (record, "acknowledgedAt", when);
      json_object_set_string_member (record, "acknowledgedNote", note != NULL ? note : "");
      json_object_set_string_member (record, "updatedAt", when);
    }
  if (!rl_store_write_record (self, alert_info (), record, 0, rl_store_read_generation (self), NULL,
                              error)
      || !rl_store_tx_commit (self, error))
    goto fail;
  if (out_changed != NULL)
    *out_changed = TRUE;
  return TRUE;

fail:
  rl_store_tx_rollback (self);
  return FALSE;
}
