/* rl-dev-alerts.c — alerts, the changes feed, and applying simulated
 * telemetry batches.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "rl-dev-private.h"
#include "rl-time.h"

static const char *alert_status_names[] = { "open", "acknowledged", "resolved", NULL };

void
rl_dev_alert_raise (RlDevServer *srv,
                    const char  *drop_point_id,
                    const char  *device_id,
                    const char  *type,
                    const char  *severity,
                    const char  *message,
                    gint64       at_ms)
{
  g_autofree char *key = g_strdup_printf ("%s\t%s", drop_point_id, type);
  g_autofree char *id = NULL;
  g_autofree char *at = NULL;
  g_autoptr (JsonObject) a = NULL;

  if (g_hash_table_contains (srv->active_alerts, key))
    return;
  id = rl_dev_db_next_id (srv, "al", 7);
  at = rl_time_format_ms (at_ms);
  a = json_object_new ();
  json_object_set_string_member (a, "id", id);
  json_object_set_string_member (a, "dropPointId", drop_point_id);
  if (device_id)
    json_object_set_string_member (a, "deviceId", device_id);
  else
    json_object_set_null_member (a, "deviceId");
  json_object_set_string_member (a, "type", type);
  json_object_set_string_member (a, "severity", severity);
  json_object_set_string_member (a, "message", message);
  json_object_set_string_member (a, "createdAt", at);
  json_object_set_string_member (a, "status", "open");
  json_object_set_null_member (a, "acknowledgedBy");
  json_object_set_null_member (a, "acknowledgedAt");
  json_object_set_int_member (a, "version", 1);
  json_object_set_string_member (a, "updatedAt", at);
  rl_dev_db_put (srv, "alert", id, NULL, a);
  g_hash_table_add (srv->active_alerts, g_steal_pointer (&key));
}

static void
alert_action (RlDevReq   *req,
              JsonObject *alert,
              gboolean    resolve)
{
  JsonObject      *body = NULL;
  const char      *status = json_object_get_string_member (alert, "status");
  const char      *note = "";
  g_autofree char *now = rl_dev_now_string ();

  if (req->body != NULL)
    {
      if ((body = rl_dev_body_object (req)) == NULL)
        return;
      if (json_object_has_member (body, "note"))
        {
          JsonNode *n = json_object_get_member (body, "note");
          if (!JSON_NODE_HOLDS_NULL (n)
              && (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING))
            {
              g_autoptr (JsonObject) fields = json_object_new ();
              json_object_set_string_member (fields, "note", "must be a string");
              return rl_dev_reply_fields (req, fields);
            }
          if (!JSON_NODE_HOLDS_NULL (n))
            note = json_node_get_string (n);
        }
    }
  if (!rl_dev_check_if_match (req, alert, FALSE))
    return;
  if (g_str_equal (status, "resolved") || (!resolve && !g_str_equal (status, "open")))
    return rl_dev_reply_invalid_state (req, alert,
                                       resolve ? "The alert is already resolved"
                                               : "Only an open alert can be acknowledged");
  if (resolve)
    {
      g_autofree char *key = g_strdup_printf ("%s\t%s",
                                              json_object_get_string_member (alert, "dropPointId"),
                                              json_object_get_string_member (alert, "type"));
      const char      *device = rl_dev_json_string (alert, "deviceId", NULL);

      json_object_set_string_member (alert, "status", "resolved");
      json_object_set_string_member (alert, "resolvedBy", req->user->email);
      json_object_set_string_member (alert, "resolvedAt", now);
      json_object_set_string_member (alert, "resolvedNote", note);
      g_hash_table_remove (req->srv->active_alerts, key);
      if (req->srv->sim && device
          && g_str_equal (json_object_get_string_member (alert, "type"), "FULL_BIN"))
        rl_dev_sim_collect (req->srv->sim, device);
    }
  else
    {
      json_object_set_string_member (alert, "status", "acknowledged");
      json_object_set_string_member (alert, "acknowledgedBy", req->user->email);
      json_object_set_string_member (alert, "acknowledgedAt", now);
      json_object_set_string_member (alert, "acknowledgedNote", note);
    }
  rl_dev_touch_record (alert, TRUE);
  rl_dev_db_put (req->srv, "alert", json_object_get_string_member (alert, "id"), NULL, alert);
  rl_dev_reply_record (req, 200, alert);
}

void
rl_dev_alerts_handle (RlDevReq *req)
{
  g_autoptr (JsonObject) alert = NULL;

  if (req->n_parts == 1)
    {
      const char *status = req->query ? g_hash_table_lookup (req->query, "status") : NULL;

      if (!g_str_equal (req->method, "GET"))
        return rl_dev_method_not_allowed (req, "GET");
      if (status && *status == '\0')
        status = NULL;
      if (status && !g_strv_contains (alert_status_names, status))
        return rl_dev_reply_error (req, 400, "BAD_REQUEST",
                                   "status must be open, acknowledged or resolved", NULL);
      return rl_dev_list_reply (req, "alert", status, FALSE);
    }
  if (req->n_parts > 3)
    return rl_dev_not_found (req);
  if (req->n_parts == 3 && !g_str_equal (req->parts[2], "acknowledge")
      && !g_str_equal (req->parts[2], "resolve"))
    return rl_dev_not_found (req);
  if (req->n_parts == 2 && !g_str_equal (req->method, "GET"))
    return rl_dev_method_not_allowed (req, "GET");
  if (req->n_parts == 3 && !g_str_equal (req->method, "POST"))
    return rl_dev_method_not_allowed (req, "POST");
  if (req->n_parts == 3 && !rl_dev_require_role (req, RL_DEV_ROLE_ADMIN | RL_DEV_ROLE_DISPATCHER))
    return;
  alert = rl_dev_db_get (req->srv, "alert", req->parts[1]);
  if (alert == NULL)
    return rl_dev_not_found (req);
  if (req->n_parts == 2)
    return rl_dev_reply_record (req, 200, alert);
  alert_action (req, alert, g_str_equal (req->parts[2], "resolve"));
}

/* ---- changes feed ---- */

void
rl_dev_changes_handle (RlDevReq *req)
{
  static const char *dispatcher_entities = "'drop_point','alert'";
  static const char *support_entities = "'drop_point','alert','workflow','sync_job','conflict'";
  static const char *admin_entities =
      "'drop_point','alert','provider','workflow','sync_job','conflict'";
  gint64           since = 0, limit = 500, last_seq = 0;
  g_autofree char *sql = NULL;
  g_autoptr (GString) out = g_string_sized_new (4096);
  g_autofree char *pagination = NULL;
  sqlite3_stmt    *stmt = NULL;
  gboolean         has_more = FALSE;
  gint64           n = 0;
  const char      *entities;

  if (req->n_parts != 1)
    return rl_dev_not_found (req);
  if (!g_str_equal (req->method, "GET"))
    return rl_dev_method_not_allowed (req, "GET");
  if (!rl_dev_parse_uint_param (req, "since", 0, G_MAXINT64, &since)
      || !rl_dev_parse_uint_param (req, "limit", 1, 5000, &limit))
    return;
  if (since > 0 && since < req->srv->horizon)
    return rl_dev_reply_error (req, 410, "SYNC_RESET_REQUIRED",
                               "Changes this old are gone: reload from since=0", NULL);

  entities = req->user->role == RL_DEV_ROLE_ADMIN     ? admin_entities
             : req->user->role == RL_DEV_ROLE_SUPPORT ? support_entities
                                                      : dispatcher_entities;
  /* "+entity": walk the seq index; the (entity, tag, id) index would sort
   * every matching row on each page */
  /* check-sql: allowed: `entities` is one of the static lists above. */
  sql = g_strdup_printf ("SELECT seq, entity, id, version, deleted, data FROM records "
                         "WHERE seq > ?1 AND +entity IN (%s) ORDER BY seq LIMIT ?2",
                         entities);
  sqlite3_prepare_v2 (req->srv->db, sql, -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, limit + 1);
  g_string_append_c (out, '[');
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64   seq = sqlite3_column_int64 (stmt, 0);
      gboolean deleted = sqlite3_column_int (stmt, 4) != 0;

      if (n == limit)
        {
          has_more = TRUE;
          break;
        }
      g_string_append_printf (out,
                              "%s{\"seq\":%" G_GINT64_FORMAT ",\"entity\":\"%s\",\"id\":\"%s\","
                              "\"op\":\"%s\",\"version\":%" G_GINT64_FORMAT ",\"record\":%s}",
                              n ? "," : "", seq, sqlite3_column_text (stmt, 1),
                              sqlite3_column_text (stmt, 2), deleted ? "delete" : "upsert",
                              (gint64) sqlite3_column_int64 (stmt, 3),
                              deleted ? "null" : (const char *) sqlite3_column_text (stmt, 5));
      last_seq = seq;
      n++;
    }
  sqlite3_finalize (stmt);
  g_string_append_c (out, ']');
  pagination = g_strdup_printf ("{\"nextSince\":%" G_GINT64_FORMAT ",\"hasMore\":%s}",
                                has_more ? last_seq : MAX (req->srv->seq, since),
                                has_more ? "true" : "false");
  rl_dev_reply_paged (req, out->str, pagination);
}

/* ---- telemetry from the simulator ---- */

static void
set_or_keep (JsonObject *o,
             const char *key,
             double      value)
{
  if (!isnan (value))
    json_object_set_double_member (o, key, value);
}

void
rl_dev_apply_batch (const RlDevSimReading *readings,
                    guint                  n_readings,
                    const RlDevSimStatus  *statuses,
                    guint                  n_statuses,
                    const RlDevSimAlert   *alerts,
                    guint                  n_alerts,
                    gpointer               user_data)
{
  RlDevServer  *srv = user_data;
  sqlite3_stmt *ins = NULL;

  rl_dev_db_begin (srv);
  sqlite3_prepare_v2 (srv->db, "INSERT OR IGNORE INTO readings VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                      -1, &ins, NULL);
  for (guint i = 0; i < n_readings; i++)
    {
      const RlDevSimReading *r = &readings[i];
      const char            *dp_id = g_hash_table_lookup (srv->devices, r->device_id);
      g_autoptr (JsonObject) dp = NULL;
      gint64      last = 0;
      const char *last_s;

      if (dp_id == NULL || (dp = rl_dev_db_get (srv, "drop_point", dp_id)) == NULL)
        continue;
      sqlite3_bind_text (ins, 1, r->device_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (ins, 2, r->timestamp_ms);
      sqlite3_bind_double (ins, 3, r->fill_level);
      sqlite3_bind_double (ins, 4, r->weight);
      sqlite3_bind_double (ins, 5, r->temperature);
      sqlite3_bind_double (ins, 6, r->humidity);
      sqlite3_bind_double (ins, 7, r->battery_level);
      sqlite3_step (ins);
      sqlite3_reset (ins);
      srv->readings_applied++;

      last_s = rl_dev_json_string (dp, "lastReadingAt", NULL);
      if (last_s && rl_time_parse_ms (last_s, &last) && r->timestamp_ms <= last)
        continue; /* older: history only */
      {
        g_autofree char *ts = rl_time_format_ms (r->timestamp_ms);

        set_or_keep (dp, "fillLevel", r->fill_level);
        set_or_keep (dp, "weight", r->weight);
        set_or_keep (dp, "temperature", r->temperature);
        set_or_keep (dp, "humidity", r->humidity);
        set_or_keep (dp, "batteryLevel", r->battery_level);
        json_object_set_boolean_member (dp, "isOnline", TRUE);
        json_object_set_string_member (dp, "lastReadingAt", ts);
      }
      rl_dev_db_put (srv, "drop_point", dp_id, NULL, dp); /* telemetry: no version bump */

      if (r->fill_level > 85)
        rl_dev_alert_raise (srv, dp_id, r->device_id, "FULL_BIN", "HIGH", "Bin is over 85 % full",
                            r->timestamp_ms);
      if (r->battery_level < 20)
        rl_dev_alert_raise (srv, dp_id, r->device_id, "LOW_BATTERY", "MEDIUM", "Battery below 20 %",
                            r->timestamp_ms);
      if (r->temperature > 50)
        rl_dev_alert_raise (srv, dp_id, r->device_id, "HIGH_TEMPERATURE", "HIGH",
                            "Temperature above 50 °C: possible fire", r->timestamp_ms);
    }
  sqlite3_finalize (ins);

  for (guint i = 0; i < n_statuses; i++)
    {
      const char *dp_id = g_hash_table_lookup (srv->devices, statuses[i].device_id);
      g_autoptr (JsonObject) dp = NULL;

      if (dp_id == NULL || (dp = rl_dev_db_get (srv, "drop_point", dp_id)) == NULL)
        continue;
      if (rl_dev_json_bool (dp, "isOnline", FALSE) == statuses[i].online)
        continue;
      json_object_set_boolean_member (dp, "isOnline", statuses[i].online);
      rl_dev_db_put (srv, "drop_point", dp_id, NULL, dp);
      if (!statuses[i].online)
        rl_dev_alert_raise (srv, dp_id, statuses[i].device_id, "OFFLINE", "MEDIUM",
                            "The bin went offline", statuses[i].timestamp_ms);
    }

  for (guint i = 0; i < n_alerts; i++)
    {
      const char *dp_id = g_hash_table_lookup (srv->devices, alerts[i].device_id);

      if (dp_id != NULL && alerts[i].type && alerts[i].severity)
        rl_dev_alert_raise (srv, dp_id, alerts[i].device_id, alerts[i].type, alerts[i].severity,
                            alerts[i].message ? alerts[i].message : alerts[i].type,
                            alerts[i].timestamp_ms);
    }
  rl_dev_db_commit (srv);
  srv->batches_applied++;
}

/* Bins that sent nothing for 30 minutes go offline (contract: OFFLINE /
 * MEDIUM). RFC 3339 UTC strings of one format compare as text. */
void
rl_dev_offline_scan (RlDevServer *srv)
{
  g_autofree char *cutoff = rl_time_format_ms (rl_time_now_ms () - 30 * 60 * 1000);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (srv->db,
                      "SELECT id FROM records WHERE entity = 'drop_point' AND deleted = 0"
                      " AND json_extract (data, '$.isOnline') = 1"
                      " AND json_extract (data, '$.lastReadingAt') < ?1",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, cutoff, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (ids->len == 0)
    return;

  rl_dev_db_begin (srv);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (JsonObject) dp = rl_dev_db_get (srv, "drop_point", ids->pdata[i]);

      if (dp == NULL)
        continue;
      json_object_set_boolean_member (dp, "isOnline", FALSE);
      rl_dev_db_put (srv, "drop_point", ids->pdata[i], NULL, dp);
      rl_dev_alert_raise (srv, ids->pdata[i], rl_dev_json_string (dp, "deviceId", NULL),
                          "OFFLINE", "MEDIUM", "No message for 30 minutes", rl_time_now_ms ());
    }
  rl_dev_db_commit (srv);
}
