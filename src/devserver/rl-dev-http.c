/* rl-dev-http.c — the devserver's HTTP front: routing, envelope, auth gate,
 * If-Match, idempotency, pagination, fault injection and the request log.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "rl-dev-private.h"
#include "rl-dev-tiles.h"
#include "rl-time.h"

#define RL_DEV_IDEM_MAX 50000

typedef struct
{
  char *method;
  char *path;
  char *body_sum;
  guint status;
  char *resp;
  char *etag;
} RlDevIdem;

static void
idem_free (gpointer data)
{
  RlDevIdem *idem = data;

  g_free (idem->method);
  g_free (idem->path);
  g_free (idem->body_sum);
  g_free (idem->resp);
  g_free (idem->etag);
  g_free (idem);
}

static const RlDevUser users[] = {
  { "usr-000001", "Sita Maharjan", "admin@demo.reloop.np", "admin", RL_DEV_ROLE_ADMIN },
  { "usr-000002", "Ramesh Shrestha", "dispatcher@demo.reloop.np", "dispatcher",
    RL_DEV_ROLE_DISPATCHER },
  { "usr-000003", "Anita Gurung", "support@demo.reloop.np", "support", RL_DEV_ROLE_SUPPORT },
  /* A second admin: two people editing the same records (conflict scenarios). */
  { "usr-000004", "Bikash Tamang", "admin2@demo.reloop.np", "admin", RL_DEV_ROLE_ADMIN },
};

const RlDevUser *
rl_dev_users (guint *n_users)
{
  *n_users = G_N_ELEMENTS (users);
  return users;
}

const RlDevUser *
rl_dev_user_by_email (const char *email)
{
  for (guint i = 0; email != NULL && i < G_N_ELEMENTS (users); i++)
    if (g_ascii_strcasecmp (users[i].email, email) == 0)
      return &users[i];
  return NULL;
}

char *
rl_dev_now_string (void)
{
  return rl_time_format_ms (rl_time_now_ms ());
}

void
rl_dev_set_time (JsonObject *object,
                 const char *key,
                 gint64      ms)
{
  g_autofree char *text = rl_time_format_ms (ms);

  json_object_set_string_member (object, key, text);
}

void
rl_dev_touch_record (JsonObject *record,
                     gboolean    bump_version)
{
  g_autofree char *now = rl_dev_now_string ();

  if (bump_version)
    json_object_set_int_member (record, "version",
                                rl_dev_json_int (record, "version", 0) + 1);
  json_object_set_string_member (record, "updatedAt", now);
}

/* ---- envelope ---- */

static void
reply_full (RlDevReq   *req,
            guint       status,
            gboolean    success,
            const char *data_json,
            const char *error_json,
            const char *pagination_json)
{
  g_autofree char *now = rl_dev_now_string ();

  if (req->resp == NULL)
    req->resp = g_string_new (NULL);
  g_string_truncate (req->resp, 0);
  req->status = status;
  g_string_append_printf (req->resp, "{\"success\":%s,\"data\":%s,",
                          success ? "true" : "false", data_json ? data_json : "null");
  if (error_json != NULL)
    g_string_append_printf (req->resp, "\"error\":%s,", error_json);
  g_string_append_printf (req->resp, "\"meta\":{\"timestamp\":\"%s\",\"version\":\"1.0\"", now);
  if (pagination_json != NULL)
    g_string_append_printf (req->resp, ",\"pagination\":%s", pagination_json);
  g_string_append (req->resp, "}}");
}

void
rl_dev_reply_raw (RlDevReq   *req,
                  guint       status,
                  const char *data_json)
{
  reply_full (req, status, TRUE, data_json, NULL, NULL);
}

void
rl_dev_reply_node (RlDevReq *req,
                   guint     status,
                   JsonNode *data)
{
  g_autofree char *text = data ? rl_dev_json_to_string (data) : NULL;

  reply_full (req, status, TRUE, text, NULL, NULL);
}

void
rl_dev_reply_object (RlDevReq   *req,
                     guint       status,
                     JsonObject *data)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), data);

  rl_dev_reply_node (req, status, node);
}

void
rl_dev_reply_record (RlDevReq   *req,
                     guint       status,
                     JsonObject *record)
{
  g_clear_pointer (&req->etag, g_free);
  if (json_object_has_member (record, "version"))
    req->etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"",
                                 json_object_get_int_member (record, "version"));
  rl_dev_reply_object (req, status, record);
}

void
rl_dev_reply_list (RlDevReq   *req,
                   GString    *array_json,
                   const char *next_cursor,
                   gint64      total)
{
  g_autofree char *pagination = NULL;

  if (next_cursor != NULL)
    pagination = g_strdup_printf ("{\"nextCursor\":\"%s\",\"total\":%" G_GINT64_FORMAT "}",
                                  next_cursor, total);
  else
    pagination = g_strdup_printf ("{\"nextCursor\":null,\"total\":%" G_GINT64_FORMAT "}", total);
  reply_full (req, 200, TRUE, array_json->str, NULL, pagination);
}

void
rl_dev_reply_paged (RlDevReq   *req,
                    const char *data_json,
                    const char *pagination_json)
{
  reply_full (req, 200, TRUE, data_json, NULL, pagination_json);
}

void
rl_dev_reply_error (RlDevReq   *req,
                    guint       status,
                    const char *code,
                    const char *message,
                    JsonObject *details)
{
  g_autoptr (JsonObject) error = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  json_object_set_object_member (error, "details",
                                 details ? json_object_ref (details) : json_object_new ());
  node = json_node_init_object (json_node_alloc (), error);
  text = rl_dev_json_to_string (node);
  reply_full (req, status, FALSE, NULL, text, NULL);
}

void
rl_dev_reply_fields (RlDevReq   *req,
                     JsonObject *fields)
{
  g_autoptr (JsonObject) details = json_object_new ();

  json_object_set_object_member (details, "fields", json_object_ref (fields));
  rl_dev_reply_error (req, 422, "VALIDATION_FAILED", "Some fields are not valid", details);
}

void
rl_dev_reply_invalid_state (RlDevReq   *req,
                            JsonObject *current,
                            const char *message)
{
  g_autoptr (JsonObject) details = json_object_new ();

  json_object_set_object_member (details, "current", json_object_ref (current));
  rl_dev_reply_error (req, 409, "INVALID_STATE", message, details);
}

void
rl_dev_method_not_allowed (RlDevReq   *req,
                           const char *allow)
{
  g_free (req->allow);
  req->allow = g_strdup (allow);
  rl_dev_reply_error (req, 405, "METHOD_NOT_ALLOWED", "Method not allowed here", NULL);
}

void
rl_dev_not_found (RlDevReq *req)
{
  rl_dev_reply_error (req, 404, "NOT_FOUND", "No such resource", NULL);
}

gboolean
rl_dev_require_role (RlDevReq *req,
                     guint     roles)
{
  if (req->user != NULL && (req->user->role & roles) != 0)
    return TRUE;
  rl_dev_reply_error (req, 403, "FORBIDDEN", "Your role may not do this", NULL);
  return FALSE;
}

static gboolean
parse_if_match (const char *value,
                gint64     *out_version)
{
  g_autofree char *text = g_strstrip (g_strdup (value));
  char            *p = text;
  char            *end = NULL;
  gsize            len;

  if (g_str_has_prefix (p, "W/"))
    p += 2;
  len = strlen (p);
  if (len >= 2 && p[0] == '"' && p[len - 1] == '"')
    {
      p[len - 1] = '\0';
      p++;
    }
  if (*p == '\0')
    return FALSE;
  *out_version = g_ascii_strtoll (p, &end, 10);
  return end != NULL && *end == '\0';
}

gboolean
rl_dev_check_if_match (RlDevReq   *req,
                       JsonObject *current,
                       gboolean    required)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char         *value = soup_message_headers_get_one (headers, "If-Match");
  gint64              version = 0;

  if (value == NULL)
    {
      if (!required)
        return TRUE;
      rl_dev_reply_error (req, 428, "PRECONDITION_REQUIRED", "If-Match is required", NULL);
      return FALSE;
    }
  if (!parse_if_match (value, &version))
    {
      rl_dev_reply_error (req, 400, "BAD_REQUEST", "If-Match is not a version", NULL);
      return FALSE;
    }
  if (version != rl_dev_json_int (current, "version", 0))
    {
      g_autoptr (JsonObject) details = json_object_new ();

      json_object_set_object_member (details, "current", json_object_ref (current));
      rl_dev_reply_error (req, 409, "VERSION_CONFLICT",
                          "The record changed since you read it", details);
      return FALSE;
    }
  return TRUE;
}

char *
rl_dev_cursor_encode (const char *last_id)
{
  g_autofree char *raw = g_strconcat ("c1:", last_id, NULL);

  return g_base64_encode ((const guchar *) raw, strlen (raw));
}

static char *
cursor_decode (const char *cursor)
{
  g_autofree guchar *raw = NULL;
  gsize              len = 0;

  for (const char *p = cursor; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return NULL;
  if (strlen (cursor) % 4 != 0)
    return NULL;
  raw = g_base64_decode (cursor, &len);
  if (raw == NULL || len <= 3 || memcmp (raw, "c1:", 3) != 0
      || !g_utf8_validate ((const char *) raw + 3, len - 3, NULL)
      || memchr (raw, '\0', len) != NULL)
    return NULL;
  return g_strndup ((const char *) raw + 3, len - 3);
}

static const char *
query_get (RlDevReq   *req,
           const char *key)
{
  return req->query ? g_hash_table_lookup (req->query, key) : NULL;
}

gboolean
rl_dev_parse_uint_param (RlDevReq   *req,
                         const char *key,
                         gint64      min,
                         gint64      max,
                         gint64     *value)
{
  const char *text = query_get (req, key);
  char       *end = NULL;
  gint64      v;

  if (text == NULL)
    return TRUE;
  v = g_ascii_strtoll (text, &end, 10);
  if (*text == '\0' || end == NULL || *end != '\0' || v < min || v > max)
    {
      g_autofree char *msg = g_strdup_printf ("'%s' must be an integer in %" G_GINT64_FORMAT
                                              "–%" G_GINT64_FORMAT,
                                              key, min, max);
      rl_dev_reply_error (req, 400, "BAD_REQUEST", msg, NULL);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

gboolean
rl_dev_page_params (RlDevReq *req,
                    guint    *limit,
                    char    **after_id)
{
  const char *cursor = query_get (req, "cursor");
  gint64      l = 500;

  *after_id = NULL;
  if (!rl_dev_parse_uint_param (req, "limit", 1, 5000, &l))
    return FALSE;
  *limit = (guint) l;
  if (cursor != NULL && *cursor != '\0')
    {
      *after_id = cursor_decode (cursor);
      if (*after_id == NULL)
        {
          rl_dev_reply_error (req, 400, "BAD_REQUEST", "Bad cursor", NULL);
          return FALSE;
        }
    }
  return TRUE;
}

JsonObject *
rl_dev_body_object (RlDevReq *req)
{
  if (req->body == NULL || !JSON_NODE_HOLDS_OBJECT (req->body))
    {
      rl_dev_reply_error (req, 400, "BAD_REQUEST", "The body must be a JSON object", NULL);
      return NULL;
    }
  return json_node_get_object (req->body);
}

/* ---- routing ---- */

static void
health_handle (RlDevReq *req)
{
  if (req->n_parts != 2
      || (!g_str_equal (req->parts[1], "live") && !g_str_equal (req->parts[1], "ready")))
    return rl_dev_not_found (req);
  if (!g_str_equal (req->method, "GET"))
    return rl_dev_method_not_allowed (req, "GET");
  rl_dev_reply_raw (req, 200,
                    "{\"status\":\"ok\",\"checks\":{\"database\":\"ok\",\"simulator\":\"ok\"}}");
}

static void
route (RlDevReq *req)
{
  const char *first = req->n_parts > 0 ? req->parts[0] : "";

  if (g_str_equal (first, "auth"))
    return rl_dev_auth_handle (req);
  if (g_str_equal (first, "health"))
    return health_handle (req);
  if (req->user == NULL)
    return rl_dev_reply_error (req, 401, "UNAUTHORIZED", "Sign in first", NULL);

  if (g_str_equal (first, "drop-points"))
    rl_dev_drop_points_handle (req);
  else if (g_str_equal (first, "alerts"))
    rl_dev_alerts_handle (req);
  else if (g_str_equal (first, "changes"))
    rl_dev_changes_handle (req);
  else if (g_str_equal (first, "providers") || g_str_equal (first, "provider-types"))
    rl_dev_providers_handle (req);
  else if (g_str_equal (first, "workflows"))
    rl_dev_workflows_handle (req);
  else if (g_str_equal (first, "runs"))
    rl_dev_runs_handle (req);
  else if (g_str_equal (first, "sync"))
    rl_dev_sync_handle (req);
  else if (g_str_equal (first, "conflicts"))
    rl_dev_conflicts_handle (req);
  else
    rl_dev_not_found (req);
}

static void
req_clear (RlDevReq *req)
{
  g_clear_pointer (&req->parts, g_strfreev);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->body, json_node_unref);
  if (req->resp)
    g_string_free (req->resp, TRUE);
  req->resp = NULL;
  g_clear_pointer (&req->etag, g_free);
  g_clear_pointer (&req->allow, g_free);
}

static void
send_reply (RlDevReq *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  gsize               len = req->resp->len;

  if (req->etag)
    soup_message_headers_replace (headers, "ETag", req->etag);
  if (req->allow)
    soup_message_headers_replace (headers, "Allow", req->allow);
  soup_server_message_set_status (req->msg, req->status,
                                  req->status == 429   ? "Too Many Requests"
                                  : req->status == 428 ? "Precondition Required"
                                                       : NULL);
  soup_server_message_set_response (req->msg,
                                    req->content_type ? req->content_type : "application/json",
                                    SOUP_MEMORY_COPY, req->resp->str, len);
}

static char *
idem_key (RlDevReq   *req,
          const char *key)
{
  return g_strconcat (req->user->id, "\n", key, NULL);
}

static gboolean
is_write (const char *method)
{
  return g_str_equal (method, "POST") || g_str_equal (method, "PUT")
         || g_str_equal (method, "PATCH") || g_str_equal (method, "DELETE");
}

/* Runs one /api/v1 request (faults other than latency already decided). */
static void
api_run (RlDevServer       *srv,
         SoupServerMessage *msg,
         RlDevFault        *fault)
{
  SoupMessageHeaders *rq_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *rs_headers = soup_server_message_get_response_headers (msg);
  const char         *idem_header = soup_message_headers_get_one (rq_headers, "Idempotency-Key");
  const char         *if_match = soup_message_headers_get_one (rq_headers, "If-Match");
  const char         *auth = soup_message_headers_get_one (rq_headers, "Authorization");
  GUri               *uri = soup_server_message_get_uri (msg);
  const char         *fault_kind = fault ? fault->kind : NULL;
  RlDevReq            req = { 0 };
  g_autoptr (GBytes) body = NULL;
  g_autofree char *body_sum = NULL;
  g_autofree char *ikey = NULL;
  gboolean         replayed = FALSE;

  req.srv = srv;
  req.msg = msg;
  req.method = soup_server_message_get_method (msg);
  req.path = g_uri_get_path (uri);
  req.resp = g_string_new (NULL);
  if (g_uri_get_query (uri) != NULL)
    req.query = soup_form_decode (g_uri_get_query (uri));

  if (auth != NULL && g_str_has_prefix (auth, "Bearer "))
    req.user = rl_dev_auth_lookup (srv, auth + strlen ("Bearer "));

  if (fault && g_str_equal (fault->kind, "drop"))
    {
      GIOStream *stream;

      rl_dev_reqlog_add (srv, &req, 0, "drop", idem_header, if_match);
      stream = soup_server_message_steal_connection (msg);
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      req_clear (&req);
      return;
    }

  if (fault && g_str_equal (fault->kind, "status"))
    {
      guint       status = fault->status ? fault->status : 500;
      const char *code = fault->code;

      if (code == NULL)
        code = status == 429 ? "RATE_LIMITED" : status == 503 ? "UNAVAILABLE"
                                            : status >= 500   ? "INTERNAL"
                                            : status == 401   ? "UNAUTHORIZED"
                                            : status == 403   ? "FORBIDDEN"
                                            : status == 404   ? "NOT_FOUND"
                                                              : "BAD_REQUEST";
      if (fault->retry_after > 0)
        {
          g_autofree char *ra = g_strdup_printf ("%u", fault->retry_after);
          soup_message_headers_replace (rs_headers, "Retry-After", ra);
        }
      rl_dev_reply_error (&req, status, code, "Injected fault", NULL);
      goto send;
    }

  if (fault && g_str_equal (fault->kind, "html"))
    {
      guint status = fault->status ? fault->status : 502;

      req.status = status;
      g_string_printf (req.resp,
                       "<!DOCTYPE html><html><head><title>%u %s</title></head>"
                       "<body><center><h1>%u %s</h1></center><hr>"
                       "<center>nginx</center></body></html>\n",
                       status, soup_status_get_phrase (status), status,
                       soup_status_get_phrase (status));
      req.content_type = "text/html";
      goto send;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  req.body_text = g_bytes_get_data (body, &req.body_len);
  if (req.body_len > RL_DEV_MAX_BODY)
    {
      rl_dev_reply_error (&req, 413, "PAYLOAD_TOO_LARGE", "The body is over 1 MiB", NULL);
      goto send;
    }
  if (req.body_len > 0)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();

      if (!json_parser_load_from_data (parser, req.body_text, req.body_len, NULL))
        {
          rl_dev_reply_error (&req, 400, "BAD_REQUEST", "The body is not JSON", NULL);
          goto send;
        }
      req.body = json_node_ref (json_parser_get_root (parser));
    }

  req.parts = g_strsplit (req.path + strlen ("/api/v1"), "/", -1);
  /* drop the empty first element and a trailing empty one */
  {
    guint n = g_strv_length (req.parts);
    guint j = 0;

    for (guint i = 0; i < n; i++)
      {
        if (req.parts[i][0] == '\0')
          g_free (req.parts[i]);
        else
          req.parts[j++] = req.parts[i];
      }
    req.parts[j] = NULL;
    req.n_parts = j;
  }

  if (idem_header != NULL && req.user != NULL && is_write (req.method))
    {
      RlDevIdem *stored;

      body_sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                              (const guchar *) (req.body_text ? req.body_text : ""),
                                              req.body_len);
      ikey = idem_key (&req, idem_header);
      stored = g_hash_table_lookup (srv->idem, ikey);
      if (stored != NULL)
        {
          if (!g_str_equal (stored->method, req.method) || !g_str_equal (stored->path, req.path)
              || !g_str_equal (stored->body_sum, body_sum))
            {
              rl_dev_reply_error (&req, 400, "BAD_REQUEST",
                                  "This Idempotency-Key was used for another request", NULL);
            }
          else
            {
              req.status = stored->status;
              g_string_assign (req.resp, stored->resp);
              req.etag = g_strdup (stored->etag);
              soup_message_headers_replace (rs_headers, "Idempotent-Replayed", "true");
              replayed = TRUE;
              req.replayed = TRUE;
            }
          goto send;
        }
    }

  route (&req);

  if (ikey != NULL && !replayed && req.status < 500)
    {
      RlDevIdem *stored = g_new0 (RlDevIdem, 1);

      stored->method = g_strdup (req.method);
      stored->path = g_strdup (req.path);
      stored->body_sum = g_strdup (body_sum);
      stored->status = req.status;
      stored->resp = g_strdup (req.resp->str);
      stored->etag = g_strdup (req.etag);
      /* keep the newest RL_DEV_IDEM_MAX keys: enough for any retry */
      g_queue_push_tail (&srv->idem_order, g_strdup (ikey));
      g_hash_table_replace (srv->idem, g_steal_pointer (&ikey), stored);
      while (srv->idem_order.length > RL_DEV_IDEM_MAX)
        {
          g_autofree char *old = g_queue_pop_head (&srv->idem_order);
          g_hash_table_remove (srv->idem, old);
        }
    }

  if (fault && g_str_equal (fault->kind, "truncate"))
    {
      req.status = 200;
      g_string_truncate (req.resp, req.resp->len / 2);
    }

send:
  send_reply (&req);
  rl_dev_reqlog_add (srv, &req, req.status, fault_kind, idem_header, if_match);
  req_clear (&req);
}

typedef struct
{
  RlDevServer       *srv;
  SoupServerMessage *msg;
  RlDevFault        *fault;
} Delayed;

static gboolean
delayed_cb (gpointer data)
{
  Delayed *d = data;

  api_run (d->srv, d->msg, d->fault);
  soup_server_message_unpause (d->msg);
  g_object_unref (d->msg);
  rl_dev_fault_free (d->fault);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static void
tiles_handle (RlDevServer       *srv,
              SoupServerMessage *msg,
              const char        *path)
{
  guint z, x, y;
  char  tail[8] = "";
  g_autoptr (GBytes) png = NULL;

  if (!srv->no_tiles && sscanf (path, "/tiles/%u/%u/%u%7s", &z, &x, &y, tail) == 4
      && g_str_equal (tail, ".png"))
    png = rl_dev_tiles_render_png (z, x, y, NULL);
  if (png == NULL)
    {
      RlDevReq req = { .srv = srv, .msg = msg };
      rl_dev_not_found (&req);
      send_reply (&req);
      req_clear (&req);
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "public, max-age=86400");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (png, NULL), g_bytes_get_size (png));
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  RlDevServer *srv = user_data;

  if (g_str_has_prefix (path, "/__dev/"))
    {
      RlDevReq req = { .srv = srv, .msg = msg };
      g_autoptr (GBytes) body =
          soup_message_body_flatten (soup_server_message_get_request_body (msg));

      req.method = soup_server_message_get_method (msg);
      req.path = path;
      req.query = query ? g_hash_table_ref (query) : NULL;
      req.body_text = g_bytes_get_data (body, &req.body_len);
      if (req.body_len > 0)
        {
          g_autoptr (JsonParser) parser = json_parser_new ();
          if (json_parser_load_from_data (parser, req.body_text, req.body_len, NULL))
            req.body = json_node_ref (json_parser_get_root (parser));
        }
      rl_dev_control_handle (srv, &req);
      send_reply (&req);
      req_clear (&req);
      return;
    }
  if (g_str_has_prefix (path, "/tiles/"))
    return tiles_handle (srv, msg, path);

  if (g_str_equal (path, "/api/v1") || g_str_has_prefix (path, "/api/v1/"))
    {
      RlDevFault *fault = rl_dev_faults_pick (srv, soup_server_message_get_method (msg), path);

      if (fault && g_str_equal (fault->kind, "latency"))
        {
          Delayed *d = g_new0 (Delayed, 1);
          guint    ms = fault->min_ms;

          if (fault->max_ms > fault->min_ms)
            ms += g_rand_int_range (srv->rand, 0, (gint32) (fault->max_ms - fault->min_ms + 1));
          d->srv = srv;
          d->msg = g_object_ref (msg);
          d->fault = fault;
          soup_server_message_pause (msg);
          g_timeout_add (ms, delayed_cb, d);
          return;
        }
      api_run (srv, msg, fault);
      if (fault)
        rl_dev_fault_free (fault);
      return;
    }

  {
    RlDevReq req = { .srv = srv, .msg = msg };
    rl_dev_not_found (&req);
    send_reply (&req);
    req_clear (&req);
  }
}

gboolean
rl_dev_http_start (RlDevServer *srv,
                   const char  *bind,
                   guint        port,
                   guint       *out_port,
                   GError     **error)
{
  g_autoptr (GInetAddress) addr = g_inet_address_new_from_string (bind);
  g_autoptr (GSocketAddress) sa = NULL;
  GSList *uris;

  if (addr == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad --bind address %s", bind);
      return FALSE;
    }
  srv->idem = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, idem_free);
  srv->http = soup_server_new ("server-header", "reloop-devserver/" PACKAGE_VERSION, NULL);
  soup_server_add_handler (srv->http, NULL, server_cb, srv, NULL);
  sa = g_inet_socket_address_new (addr, port);
  if (!soup_server_listen (srv->http, sa, 0, error))
    return FALSE;
  uris = soup_server_get_uris (srv->http);
  *out_port = uris ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}
