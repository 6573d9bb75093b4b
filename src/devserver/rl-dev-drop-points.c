/* rl-dev-drop-points.c — drop points, their readings, and the telemetry the
 * simulator feeds in.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "rl-dev-private.h"
#include "rl-time.h"

static const char *category_names[] = {
  "PLASTIC", "PAPER", "METAL", "GLASS", "ORGANIC", "ELECTRONIC", "TEXTILE", NULL
};
static const char *status_names[] = { "active", "maintenance", "retired", NULL };

static gboolean
is_number (JsonNode *node)
{
  GType t;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_blank (const char *text)
{
  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* Checks the editable fields present in `body` and copies them into
 * `record`; problems go to `fields`. */
static void
validate_into (JsonObject *body,
               JsonObject *record,
               JsonObject *fields,
               gboolean    creating)
{
  static const char *required[] = { "name", "latitude", "longitude",
                                    "categories", "capacityLiters", NULL };
  GList             *members = json_object_get_members (body);

  if (creating)
    for (guint i = 0; required[i]; i++)
      if (!json_object_has_member (body, required[i]))
        json_object_set_string_member (fields, required[i], "required");

  for (GList *l = members; l; l = l->next)
    {
      const char *key = l->data;
      JsonNode   *v = json_object_get_member (body, key);

      if (g_str_equal (key, "name") || g_str_equal (key, "address") || g_str_equal (key, "notes"))
        {
          gsize max = g_str_equal (key, "notes") ? 4000 : 200;
          if (!is_string (v))
            json_object_set_string_member (fields, key, "must be a string");
          else if (g_str_equal (key, "name") && is_blank (json_node_get_string (v)))
            json_object_set_string_member (fields, key, "must not be empty");
          else if (g_utf8_strlen (json_node_get_string (v), -1) > (glong) max)
            json_object_set_string_member (fields, key, "too long");
          else
            json_object_set_string_member (record, key, json_node_get_string (v));
        }
      else if (g_str_equal (key, "latitude") || g_str_equal (key, "longitude"))
        {
          double limit = g_str_equal (key, "latitude") ? 90 : 180;
          if (!is_number (v) || fabs (json_node_get_double (v)) > limit)
            json_object_set_string_member (fields, key,
                                           g_str_equal (key, "latitude")
                                               ? "must be a number in -90–90"
                                               : "must be a number in -180–180");
          else
            json_object_set_double_member (record, key, json_node_get_double (v));
        }
      else if (g_str_equal (key, "capacityLiters"))
        {
          if (!is_number (v) || json_node_get_double (v) <= 0 || json_node_get_double (v) > 100000)
            json_object_set_string_member (fields, key, "must be a positive number");
          else
            json_object_set_int_member (record, key, (gint64) json_node_get_double (v));
        }
      else if (g_str_equal (key, "status"))
        {
          if (!is_string (v) || !g_strv_contains (status_names, json_node_get_string (v)))
            json_object_set_string_member (fields, key, "must be active, maintenance or retired");
          else
            json_object_set_string_member (record, key, json_node_get_string (v));
        }
      else if (g_str_equal (key, "categories"))
        {
          JsonArray *a = JSON_NODE_HOLDS_ARRAY (v) ? json_node_get_array (v) : NULL;
          gboolean   ok = a != NULL && json_array_get_length (a) > 0;

          for (guint i = 0; ok && i < json_array_get_length (a); i++)
            {
              JsonNode *c = json_array_get_element (a, i);
              if (!is_string (c) || !g_strv_contains (category_names, json_node_get_string (c)))
                {
                  g_autofree char *name = g_strdup_printf ("categories.%u", i);
                  json_object_set_string_member (fields, name, "unknown category");
                  ok = FALSE;
                }
            }
          if (a == NULL || json_array_get_length (a) == 0)
            json_object_set_string_member (fields, key, "must be a non-empty list");
          else if (ok)
            json_object_set_member (record, key, json_node_copy (v));
        }
      else if (creating && g_str_equal (key, "deviceId"))
        {
          if (JSON_NODE_HOLDS_NULL (v))
            json_object_set_null_member (record, key);
          else if (!is_string (v))
            json_object_set_string_member (fields, key, "must be a string or null");
          else
            json_object_set_string_member (record, key, json_node_get_string (v));
        }
      else if (g_str_equal (key, "id") || g_str_equal (key, "version"))
        continue; /* clients echo these back; they are not edits */
      else
        json_object_set_string_member (fields, key, "is not editable");
    }
  g_list_free (members);
}

static void
reply_page (RlDevReq   *req,
            const char *entity,
            const char *tag,
            gboolean    newest_first)
{
  g_autofree char *after = NULL;
  g_autofree char *last = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  guint  limit;
  gint64 total = 0;

  if (!rl_dev_page_params (req, &limit, &after))
    return;
  rl_dev_db_list (req->srv, entity, tag, after, limit, newest_first, out, &last, &total);
  if (last)
    cursor = rl_dev_cursor_encode (last);
  rl_dev_reply_list (req, out, cursor, total);
}

void
rl_dev_list_reply (RlDevReq   *req,
                   const char *entity,
                   const char *tag,
                   gboolean    newest_first)
{
  reply_page (req, entity, tag, newest_first);
}

static void
readings_handle (RlDevReq   *req,
                 JsonObject *dp)
{
  const char *device = rl_dev_json_string (dp, "deviceId", NULL);
  const char *from_s = req->query ? g_hash_table_lookup (req->query, "from") : NULL;
  const char *to_s = req->query ? g_hash_table_lookup (req->query, "to") : NULL;
  gint64      to = rl_time_now_ms (), from, limit = 672;
  g_autoptr (GString) out = g_string_new ("[");
  sqlite3_stmt    *stmt = NULL;
  gint64           n = 0;
  g_autofree char *pagination = NULL;

  if (to_s && !rl_time_parse_ms (to_s, &to))
    return rl_dev_reply_error (req, 400, "BAD_REQUEST", "'to' is not an RFC 3339 time", NULL);
  from = to - 24 * 3600 * (gint64) 1000;
  if (from_s && !rl_time_parse_ms (from_s, &from))
    return rl_dev_reply_error (req, 400, "BAD_REQUEST", "'from' is not an RFC 3339 time", NULL);
  if (from > to || to - from > 7 * 24 * 3600 * (gint64) 1000)
    return rl_dev_reply_error (req, 400, "BAD_REQUEST", "the window must be 0–7 days", NULL);
  if (!rl_dev_parse_uint_param (req, "limit", 1, 5000, &limit))
    return;

  if (device != NULL)
    {
      sqlite3_prepare_v2 (
          req->srv->db,
          "SELECT (ts / 900000) * 900000 AS b, AVG (fill), AVG (weight), AVG (temperature),"
          " AVG (humidity), AVG (battery) FROM readings"
          " WHERE device_id = ?1 AND ts >= ?2 AND ts <= ?3 GROUP BY b ORDER BY b LIMIT ?4",
          -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, device, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, from);
      sqlite3_bind_int64 (stmt, 3, to);
      sqlite3_bind_int64 (stmt, 4, limit);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autofree char   *ts = rl_time_format_ms (sqlite3_column_int64 (stmt, 0));
          static const char *names[] = { "fillLevel", "weight", "temperature", "humidity",
                                         "batteryLevel" };

          g_string_append_printf (out, "%s{\"timestamp\":\"%s\"", n++ ? "," : "", ts);
          for (int c = 0; c < 5; c++)
            {
              if (sqlite3_column_type (stmt, c + 1) == SQLITE_NULL)
                g_string_append_printf (out, ",\"%s\":null", names[c]);
              else
                g_string_append_printf (out, ",\"%s\":%.2f", names[c],
                                        sqlite3_column_double (stmt, c + 1));
            }
          g_string_append_c (out, '}');
        }
      sqlite3_finalize (stmt);
    }
  g_string_append_c (out, ']');
  pagination = g_strdup_printf ("{\"nextCursor\":null,\"total\":%" G_GINT64_FORMAT "}", n);
  rl_dev_reply_paged (req, out->str, pagination);
}

static void
create (RlDevReq *req)
{
  JsonObject *body = rl_dev_body_object (req);
  g_autoptr (JsonObject) record = json_object_new ();
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autofree char *id = NULL;
  g_autofree char *now = rl_dev_now_string ();
  const char      *device;

  if (body == NULL)
    return;
  id = rl_dev_db_next_id (req->srv, "dp", 6);
  json_object_set_string_member (record, "id", id);
  json_object_set_string_member (record, "name", "");
  json_object_set_string_member (record, "address", "");
  json_object_set_string_member (record, "status", "active");
  json_object_set_null_member (record, "deviceId");
  validate_into (body, record, fields, TRUE);
  if (json_object_get_size (fields) > 0)
    return rl_dev_reply_fields (req, fields);
  device = rl_dev_json_string (record, "deviceId", NULL);
  if (device && g_hash_table_contains (req->srv->devices, device))
    {
      json_object_set_string_member (fields, "deviceId",
                                     "is already mounted on another drop point");
      return rl_dev_reply_fields (req, fields);
    }
  for (const char **k = (const char *[]){ "fillLevel", "weight", "temperature", "humidity",
                                          "batteryLevel", "lastReadingAt", NULL };
       *k; k++)
    json_object_set_null_member (record, *k);
  json_object_set_boolean_member (record, "isOnline", FALSE);
  if (!json_object_has_member (record, "notes"))
    json_object_set_string_member (record, "notes", "");
  json_object_set_int_member (record, "version", 1);
  json_object_set_string_member (record, "updatedAt", now);
  rl_dev_db_put (req->srv, "drop_point", id, NULL, record);
  if (device)
    g_hash_table_insert (req->srv->devices, g_strdup (device), g_strdup (id));
  rl_dev_reply_record (req, 201, record);
}

static void
update (RlDevReq   *req,
        JsonObject *record)
{
  JsonObject *body = rl_dev_body_object (req);
  g_autoptr (JsonObject) fields = json_object_new ();
  const char *id = json_object_get_string_member (record, "id");

  if (body == NULL)
    return;
  if (req->user->role == RL_DEV_ROLE_DISPATCHER)
    {
      GList   *members = json_object_get_members (body);
      gboolean other = FALSE;

      for (GList *l = members; l; l = l->next)
        if (!g_str_equal (l->data, "status") && !g_str_equal (l->data, "notes")
            && !g_str_equal (l->data, "id") && !g_str_equal (l->data, "version"))
          other = TRUE;
      g_list_free (members);
      if (other)
        return rl_dev_reply_error (req, 403, "FORBIDDEN",
                                   "Dispatchers may change status and notes only", NULL);
    }
  if (!rl_dev_check_if_match (req, record, TRUE))
    return;
  validate_into (body, record, fields, FALSE);
  if (json_object_get_size (fields) > 0)
    return rl_dev_reply_fields (req, fields);
  rl_dev_touch_record (record, TRUE);
  rl_dev_db_put (req->srv, "drop_point", id, NULL, record);
  rl_dev_reply_record (req, 200, record);
}

void
rl_dev_drop_points_handle (RlDevReq *req)
{
  g_autoptr (JsonObject) record = NULL;
  const char *m = req->method;

  if (req->n_parts == 1)
    {
      if (g_str_equal (m, "GET"))
        return reply_page (req, "drop_point", NULL, FALSE);
      if (g_str_equal (m, "POST"))
        return rl_dev_require_role (req, RL_DEV_ROLE_ADMIN) ? create (req) : (void) 0;
      return rl_dev_method_not_allowed (req, "GET, POST");
    }
  if (req->n_parts > 3 || (req->n_parts == 3 && !g_str_equal (req->parts[2], "readings")))
    return rl_dev_not_found (req);
  if (req->n_parts == 3 && !g_str_equal (m, "GET"))
    return rl_dev_method_not_allowed (req, "GET");
  if (req->n_parts == 2 && !g_str_equal (m, "GET") && !g_str_equal (m, "PATCH")
      && !g_str_equal (m, "DELETE"))
    return rl_dev_method_not_allowed (req, "GET, PATCH, DELETE");

  if (g_str_equal (m, "PATCH")
      && !rl_dev_require_role (req, RL_DEV_ROLE_ADMIN | RL_DEV_ROLE_DISPATCHER))
    return;
  if (g_str_equal (m, "DELETE") && !rl_dev_require_role (req, RL_DEV_ROLE_ADMIN))
    return;

  record = rl_dev_db_get (req->srv, "drop_point", req->parts[1]);
  if (record == NULL)
    return rl_dev_not_found (req);
  if (req->n_parts == 3)
    return readings_handle (req, record);
  if (g_str_equal (m, "GET"))
    return rl_dev_reply_record (req, 200, record);
  if (g_str_equal (m, "PATCH"))
    return update (req, record);

  if (!rl_dev_check_if_match (req, record, TRUE))
    return;
  {
    const char *device = rl_dev_json_string (record, "deviceId", NULL);
    if (device)
      g_hash_table_remove (req->srv->devices, device);
  }
  rl_dev_db_delete (req->srv, "drop_point", req->parts[1]);
  rl_dev_reply_raw (req, 200, NULL);
}
