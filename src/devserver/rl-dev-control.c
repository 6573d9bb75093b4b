/* rl-dev-control.c — /__dev control endpoints, fault injection rules and
 * the request log. Control endpoints need no token, answer only loopback
 * peers and are never subject to faults.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "rl-dev-private.h"
#include "rl-time.h"

typedef struct
{
  char         *match;
  GPatternSpec *pattern;
  char         *method;
  RlDevFault    fault;
  gint64        remaining; /* -1: unlimited */
  double        probability;
} RlDevFaultRule;

void
rl_dev_fault_rule_free (gpointer data)
{
  RlDevFaultRule *rule = data;

  if (rule == NULL)
    return;
  g_free (rule->match);
  g_pattern_spec_free (rule->pattern);
  g_free (rule->method);
  g_free (rule->fault.kind);
  g_free (rule->fault.code);
  g_free (rule);
}

void
rl_dev_fault_free (RlDevFault *fault)
{
  g_free (fault->kind);
  g_free (fault->code);
  g_free (fault);
}

static RlDevFaultRule *
rule_new (const char *match,
          const char *kind)
{
  RlDevFaultRule *rule = g_new0 (RlDevFaultRule, 1);

  rule->match = g_strdup (match ? match : "/api/v1*");
  rule->pattern = g_pattern_spec_new (rule->match);
  rule->fault.kind = g_strdup (kind);
  rule->remaining = -1;
  rule->probability = 1.0;
  return rule;
}

RlDevFault *
rl_dev_faults_pick (RlDevServer *srv,
                    const char  *method,
                    const char  *path)
{
  for (guint i = 0; i < srv->fault_rules->len; i++)
    {
      RlDevFaultRule *rule = g_ptr_array_index (srv->fault_rules, i);
      RlDevFault     *fault;

      if (!g_pattern_spec_match_string (rule->pattern, path))
        continue;
      if (rule->method && g_ascii_strcasecmp (rule->method, method) != 0)
        continue;
      if (rule->probability < 1.0 && g_rand_double (srv->rand) >= rule->probability)
        continue;

      fault = g_new0 (RlDevFault, 1);
      *fault = rule->fault;
      fault->kind = g_strdup (rule->fault.kind);
      fault->code = g_strdup (rule->fault.code);
      if (rule->remaining > 0 && --rule->remaining == 0)
        {
          g_ptr_array_remove_index (srv->fault_rules, i);
          rl_dev_fault_rule_free (rule);
        }
      return fault;
    }
  return NULL;
}

static const char *kinds[] = { "status", "html", "truncate", "drop", "latency", NULL };

static RlDevFaultRule *
rule_from_json (JsonObject *object,
                GError    **error)
{
  const char     *kind = rl_dev_json_string (object, "kind", NULL);
  const char     *match = rl_dev_json_string (object, "match", NULL);
  RlDevFaultRule *rule;

  if (kind == NULL || !g_strv_contains (kinds, kind))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "kind must be one of status, html, truncate, drop, latency");
      return NULL;
    }
  rule = rule_new (match, kind);
  rule->method = g_strdup (rl_dev_json_string (object, "method", NULL));
  rule->fault.status = rl_dev_json_int (object, "status",
                                        g_str_equal (kind, "html") ? 502 : 500);
  rule->fault.code = g_strdup (rl_dev_json_string (object, "code", NULL));
  rule->fault.retry_after = rl_dev_json_int (object, "retryAfter", 0);
  if (json_object_has_member (object, "ms"))
    rule->fault.min_ms = rule->fault.max_ms = MAX (0, rl_dev_json_int (object, "ms", 0));
  else
    {
      rule->fault.min_ms = rl_dev_json_int (object, "minMs", 0);
      rule->fault.max_ms = rl_dev_json_int (object, "maxMs", rule->fault.min_ms);
    }
  if (rule->fault.max_ms < rule->fault.min_ms)
    rule->fault.max_ms = rule->fault.min_ms;
  if (rl_dev_json_int (object, "count", -1) >= 0)
    rule->remaining = MAX (1, rl_dev_json_int (object, "count", 1));
  rule->probability = CLAMP (rl_dev_json_double (object, "probability", 1.0), 0.0, 1.0);
  return rule;
}

gboolean
rl_dev_faults_parse_spec (RlDevServer *srv,
                          const char  *spec,
                          GError     **error)
{
  g_auto (GStrv) items = g_strsplit (spec, ",", -1);

  for (guint i = 0; items[i]; i++)
    {
      g_auto (GStrv) kv = g_strsplit (g_strstrip (items[i]), ":", 2);
      RlDevFaultRule *rule = NULL;
      char           *end = NULL;

      if (kv[0] == NULL || kv[0][0] == '\0')
        continue;
      if (kv[1] == NULL)
        goto bad;
      if (g_str_equal (kv[0], "latency"))
        {
          g_auto (GStrv) range = g_strsplit (kv[1], "-", 2);

          rule = rule_new (NULL, "latency");
          rule->fault.min_ms = g_ascii_strtoull (range[0], &end, 10);
          if (*end != '\0')
            goto bad_rule;
          rule->fault.max_ms =
              range[1] ? g_ascii_strtoull (range[1], &end, 10) : rule->fault.min_ms;
          if (*end != '\0' || rule->fault.max_ms < rule->fault.min_ms)
            goto bad_rule;
        }
      else
        {
          double p = g_ascii_strtod (kv[1], &end);

          if (*end != '\0' || p < 0 || p > 1)
            goto bad;
          if (g_str_equal (kv[0], "truncate") || g_str_equal (kv[0], "html")
              || g_str_equal (kv[0], "drop"))
            {
              rule = rule_new (NULL, kv[0]);
              rule->fault.status = g_str_equal (kv[0], "html") ? 502 : 0;
            }
          else
            {
              guint64 status = g_ascii_strtoull (kv[0], &end, 10);

              if (*end != '\0' || status < 400 || status > 599)
                goto bad;
              rule = rule_new (NULL, "status");
              rule->fault.status = status;
              if (status == 429 || status == 503)
                rule->fault.retry_after = 1;
            }
          rule->probability = p;
        }
      g_ptr_array_add (srv->fault_rules, rule);
      continue;

    bad_rule:
      rl_dev_fault_rule_free (rule);
    bad:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad --faults item '%s'",
                   items[i]);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
rules_to_json (RlDevServer *srv)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < srv->fault_rules->len; i++)
    {
      RlDevFaultRule *rule = g_ptr_array_index (srv->fault_rules, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "match");
      json_builder_add_string_value (b, rule->match);
      json_builder_set_member_name (b, "method");
      if (rule->method)
        json_builder_add_string_value (b, rule->method);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, rule->fault.kind);
      json_builder_set_member_name (b, "status");
      json_builder_add_int_value (b, rule->fault.status);
      json_builder_set_member_name (b, "code");
      if (rule->fault.code)
        json_builder_add_string_value (b, rule->fault.code);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "retryAfter");
      json_builder_add_int_value (b, rule->fault.retry_after);
      json_builder_set_member_name (b, "minMs");
      json_builder_add_int_value (b, rule->fault.min_ms);
      json_builder_set_member_name (b, "maxMs");
      json_builder_add_int_value (b, rule->fault.max_ms);
      json_builder_set_member_name (b, "probability");
      json_builder_add_double_value (b, rule->probability);
      json_builder_set_member_name (b, "remaining");
      if (rule->remaining < 0)
        json_builder_add_null_value (b);
      else
        json_builder_add_int_value (b, rule->remaining);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

static void
add_string_or_null (JsonObject *o,
                    const char *key,
                    const char *value)
{
  if (value)
    json_object_set_string_member (o, key, value);
  else
    json_object_set_null_member (o, key);
}

void
rl_dev_reqlog_add (RlDevServer *srv,
                   RlDevReq    *req,
                   guint        status,
                   const char  *fault,
                   const char  *idem_key,
                   const char  *if_match)
{
  g_autoptr (JsonObject) o = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  GUri *uri = soup_server_message_get_uri (req->msg);
  char  at[64];
  char *line;

  g_ascii_formatd (at, sizeof at, "%.3f", g_get_real_time () / 1000.0);
  json_object_set_int_member (o, "seq", ++srv->reqlog_seq);
  json_object_set_double_member (o, "at", 0); /* replaced below by the exact text */
  json_object_set_string_member (o, "method", req->method);
  json_object_set_string_member (o, "path", req->path);
  add_string_or_null (o, "query", g_uri_get_query (uri));
  json_object_set_int_member (o, "status", status);
  add_string_or_null (o, "idempotencyKey", idem_key);
  add_string_or_null (o, "ifMatch", if_match);
  add_string_or_null (o, "user", req->user ? req->user->email : NULL);
  add_string_or_null (o, "fault", fault);
  json_object_set_boolean_member (o, "replayed", req->replayed);
  node = json_node_init_object (json_node_alloc (), o);
  {
    g_autofree char *text = rl_dev_json_to_string (node);
    const char      *mark = strstr (text, "\"at\":");
    const char      *after = mark ? strchr (mark, ',') : NULL;

    /* json-glib prints doubles with %g precision; keep the sub-ms fraction */
    if (mark && after)
      line = g_strdup_printf ("%.*s\"at\":%s%s", (int) (mark - text), text, at, after);
    else
      line = g_strdup (text);
  }
  if (srv->reqlog_file)
    {
      fputs (line, srv->reqlog_file);
      fputc ('\n', srv->reqlog_file);
      fflush (srv->reqlog_file);
    }
  g_ptr_array_add (srv->reqlog, line);
  /* bounded in memory (the --request-log file keeps everything) */
  if (srv->reqlog->len > 200000)
    g_ptr_array_remove_range (srv->reqlog, 0, 20000);
}

static void
requests_handle (RlDevServer *srv,
                 RlDevReq    *req)
{
  if (g_str_equal (req->method, "DELETE"))
    {
      g_ptr_array_set_size (srv->reqlog, 0);
      return rl_dev_reply_raw (req, 200, NULL);
    }
  if (g_str_equal (req->method, "GET"))
    {
      const char *since_s = req->query ? g_hash_table_lookup (req->query, "since") : NULL;
      gint64      since = since_s ? g_ascii_strtoll (since_s, NULL, 10) : 0;
      g_autoptr (GString) out = g_string_new ("[");
      gboolean first = TRUE;

      for (guint i = 0; i < srv->reqlog->len; i++)
        {
          const char *line = g_ptr_array_index (srv->reqlog, i);
          gint64      seq = g_ascii_strtoll (line + strlen ("{\"seq\":"), NULL, 10);

          if (seq <= since)
            continue;
          if (!first)
            g_string_append_c (out, ',');
          g_string_append (out, line);
          first = FALSE;
        }
      g_string_append_c (out, ']');
      return rl_dev_reply_raw (req, 200, out->str);
    }
  rl_dev_method_not_allowed (req, "GET, DELETE");
}

static void
faults_handle (RlDevServer *srv,
               RlDevReq    *req)
{
  if (g_str_equal (req->method, "DELETE"))
    {
      for (guint i = 0; i < srv->fault_rules->len; i++)
        rl_dev_fault_rule_free (g_ptr_array_index (srv->fault_rules, i));
      g_ptr_array_set_size (srv->fault_rules, 0);
      return rl_dev_reply_raw (req, 200, NULL);
    }
  if (g_str_equal (req->method, "POST"))
    {
      JsonObject *body = rl_dev_body_object (req);
      JsonArray  *rules;
      g_autoptr (GPtrArray) parsed = g_ptr_array_new_with_free_func (rl_dev_fault_rule_free);

      if (body == NULL)
        return;
      rules = json_object_has_member (body, "rules")
                      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, "rules"))
                  ? json_object_get_array_member (body, "rules")
                  : NULL;
      if (rules == NULL)
        return rl_dev_reply_error (req, 400, "BAD_REQUEST", "Body must be {\"rules\": […]}", NULL);
      for (guint i = 0; i < json_array_get_length (rules); i++)
        {
          g_autoptr (GError) error = NULL;
          JsonNode       *item = json_array_get_element (rules, i);
          RlDevFaultRule *rule = JSON_NODE_HOLDS_OBJECT (item)
                                     ? rule_from_json (json_node_get_object (item), &error)
                                     : NULL;

          if (rule == NULL)
            return rl_dev_reply_error (req, 400, "BAD_REQUEST",
                                       error ? error->message : "a rule must be an object", NULL);
          g_ptr_array_add (parsed, rule);
        }
      g_ptr_array_set_free_func (parsed, NULL);
      for (guint i = 0; i < parsed->len; i++)
        g_ptr_array_add (srv->fault_rules, parsed->pdata[i]);
    }
  else if (!g_str_equal (req->method, "GET"))
    return rl_dev_method_not_allowed (req, "GET, POST, DELETE");
  {
    g_autoptr (JsonNode) node = rules_to_json (srv);
    rl_dev_reply_node (req, 200, node);
  }
}

static const char *
entity_name (const char *text)
{
  static const char *map[][2] = {
    { "drop_point", "drop_point" },
    { "drop-points", "drop_point" },
    { "drop-point", "drop_point" },
    { "alert", "alert" },
    { "alerts", "alert" },
    { "provider", "provider" },
    { "providers", "provider" },
    { "workflow", "workflow" },
    { "workflows", "workflow" },
    { "sync_job", "sync_job" },
    { "sync-jobs", "sync_job" },
    { "jobs", "sync_job" },
    { "conflict", "conflict" },
    { "conflicts", "conflict" },
    { "run", "run" },
    { "runs", "run" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (map[i][0], text))
      return map[i][1];
  return NULL;
}

static void
touch_handle (RlDevServer *srv,
              RlDevReq    *req,
              const char  *entity_text,
              const char  *id)
{
  const char *entity = entity_name (entity_text);
  g_autoptr (JsonObject) record = NULL;

  if (!g_str_equal (req->method, "POST"))
    return rl_dev_method_not_allowed (req, "POST");
  if (entity == NULL || (record = rl_dev_db_get (srv, entity, id)) == NULL)
    return rl_dev_not_found (req);
  rl_dev_touch_record (record, TRUE);
  if (g_str_equal (entity, "drop_point"))
    json_object_set_string_member (record, "notes", "Edited by another operator");
  rl_dev_db_put (srv, entity, id, NULL, record);
  rl_dev_reply_record (req, 200, record);
}

/* POST /__dev/records/{entity}/touch {"ids": [...]}: touch_handle for many
 * records in one transaction (benchmarks change 1,000 records at once). */
static void
touch_many_handle (RlDevServer *srv,
                   RlDevReq    *req,
                   const char  *entity_text)
{
  const char *entity = entity_name (entity_text);
  JsonObject *body;
  JsonArray  *ids;
  guint       n;

  if (!g_str_equal (req->method, "POST"))
    return rl_dev_method_not_allowed (req, "POST");
  if (entity == NULL)
    return rl_dev_not_found (req);
  if ((body = rl_dev_body_object (req)) == NULL)
    return;
  ids = json_object_has_member (body, "ids") ? json_object_get_array_member (body, "ids") : NULL;
  n = ids != NULL ? json_array_get_length (ids) : 0;
  if (ids == NULL || n < 1 || n > 100000)
    return rl_dev_reply_error (req, 400, "BAD_REQUEST", "ids must be a list of 1–100000 ids",
                               NULL);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (ids, i);
      g_autoptr (JsonObject) record = NULL;

      if (json_node_get_value_type (node) != G_TYPE_STRING)
        return rl_dev_reply_error (req, 400, "BAD_REQUEST", "ids must be strings", NULL);
      if ((record = rl_dev_db_get (srv, entity, json_node_get_string (node))) == NULL)
        return rl_dev_not_found (req);
    }

  rl_dev_db_begin (srv);
  for (guint i = 0; i < n; i++)
    {
      const char *id = json_array_get_string_element (ids, i);
      g_autoptr (JsonObject) record = rl_dev_db_get (srv, entity, id);

      rl_dev_touch_record (record, TRUE);
      if (g_str_equal (entity, "drop_point"))
        json_object_set_string_member (record, "notes", "Edited by another operator");
      rl_dev_db_put (srv, entity, id, NULL, record);
    }
  rl_dev_db_commit (srv);
  {
    char buf[32];

    g_snprintf (buf, sizeof buf, "{\"touched\":%u}", n);
    rl_dev_reply_raw (req, 200, buf);
  }
}

static void
stats_handle (RlDevServer *srv,
              RlDevReq    *req)
{
  g_autoptr (JsonObject) o = json_object_new ();
  JsonObject        *counts = json_object_new ();
  static const char *entities[] = { "drop_point", "alert", "provider", "workflow", "run",
                                    "sync_job", "sync_log", "conflict" };
  guint64            published = 0, failed = 0;
  sqlite3_stmt      *stmt = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    json_object_set_int_member (counts, entities[i], rl_dev_db_count (srv, entities[i]));
  sqlite3_prepare_v2 (srv->db, "SELECT COUNT(*) FROM readings", -1, &stmt, NULL);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    json_object_set_int_member (counts, "reading", sqlite3_column_int64 (stmt, 0));
  sqlite3_finalize (stmt);
  json_object_set_object_member (o, "records", counts);
  json_object_set_int_member (o, "seq", srv->seq);
  json_object_set_int_member (o, "horizon", srv->horizon);
  json_object_set_int_member (o, "requests", srv->reqlog_seq);
  json_object_set_int_member (o, "faultRules", srv->fault_rules->len);
  if (srv->sim)
    rl_dev_sim_get_counters (srv->sim, &published, &failed);
  {
    JsonObject *sim = json_object_new ();
    json_object_set_boolean_member (sim, "running", srv->sim != NULL);
    json_object_set_int_member (sim, "published", published);
    json_object_set_int_member (sim, "failed", failed);
    json_object_set_int_member (sim, "batchesApplied", srv->batches_applied);
    json_object_set_int_member (sim, "readingsApplied", srv->readings_applied);
    json_object_set_object_member (o, "simulator", sim);
  }
  rl_dev_reply_object (req, 200, o);
}

static gboolean
is_loopback (SoupServerMessage *msg)
{
  GSocketAddress *addr = soup_server_message_get_remote_address (msg);

  if (addr == NULL || !G_IS_INET_SOCKET_ADDRESS (addr))
    return FALSE;
  return g_inet_address_get_is_loopback (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (addr)));
}

void
rl_dev_control_handle (RlDevServer *srv,
                       RlDevReq    *req)
{
  g_auto (GStrv) parts = g_strsplit (req->path + strlen ("/__dev/"), "/", -1);
  guint n = g_strv_length (parts);

  if (!is_loopback (req->msg))
    return rl_dev_reply_error (req, 403, "FORBIDDEN", "Control endpoints answer loopback only",
                               NULL);
  if (n > 0 && parts[n - 1][0] == '\0')
    n--;

  if (n == 1 && g_str_equal (parts[0], "requests"))
    return requests_handle (srv, req);
  if (n == 1 && g_str_equal (parts[0], "faults"))
    return faults_handle (srv, req);
  if (n == 1 && g_str_equal (parts[0], "stats"))
    {
      if (!g_str_equal (req->method, "GET"))
        return rl_dev_method_not_allowed (req, "GET");
      return stats_handle (srv, req);
    }
  if (n == 2 && g_str_equal (parts[0], "tokens") && g_str_equal (parts[1], "expire"))
    {
      if (!g_str_equal (req->method, "POST"))
        return rl_dev_method_not_allowed (req, "POST");
      rl_dev_auth_expire_all (srv);
      return rl_dev_reply_raw (req, 200, NULL);
    }
  if (n == 1 && g_str_equal (parts[0], "conflicts"))
    {
      JsonObject *body;
      gint64      count;
      g_autoptr (JsonArray) created = NULL;
      g_autoptr (JsonNode) node = NULL;

      if (!g_str_equal (req->method, "POST"))
        return rl_dev_method_not_allowed (req, "POST");
      if ((body = rl_dev_body_object (req)) == NULL)
        return;
      count = rl_dev_json_int (body, "count", 1);
      if (count < 1 || count > 10000)
        return rl_dev_reply_error (req, 400, "BAD_REQUEST", "count must be 1–10000", NULL);
      created = rl_dev_conflicts_create (srv, (guint) count);
      node = json_node_init_array (json_node_alloc (), created);
      return rl_dev_reply_node (req, 200, node);
    }
  if (n == 2 && g_str_equal (parts[0], "changes") && g_str_equal (parts[1], "horizon"))
    {
      JsonObject *body;
      char        buf[32];

      if (!g_str_equal (req->method, "POST"))
        return rl_dev_method_not_allowed (req, "POST");
      if ((body = rl_dev_body_object (req)) == NULL)
        return;
      srv->horizon = rl_dev_json_int (body, "since", srv->seq);
      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, srv->horizon);
      rl_dev_db_meta_set (srv, "horizon", buf);
      g_snprintf (buf, sizeof buf, "{\"horizon\":%" G_GINT64_FORMAT "}", srv->horizon);
      return rl_dev_reply_raw (req, 200, buf);
    }
  if (n == 3 && g_str_equal (parts[0], "providers") && g_str_equal (parts[2], "failures"))
    {
      JsonObject *body;
      gint64      count;
      g_autoptr (JsonObject) provider = NULL;

      if (!g_str_equal (req->method, "POST"))
        return rl_dev_method_not_allowed (req, "POST");
      if ((body = rl_dev_body_object (req)) == NULL)
        return;
      count = rl_dev_json_int (body, "count", 3);
      if (count < 1 || count > 100)
        return rl_dev_reply_error (req, 400, "BAD_REQUEST", "count must be 1–100", NULL);
      provider = rl_dev_provider_force_failures (srv, parts[1], (guint) count,
                                                 rl_dev_json_string (body, "message", NULL));
      if (provider == NULL)
        return rl_dev_not_found (req);
      return rl_dev_reply_object (req, 200, provider);
    }
  if (n == 3 && g_str_equal (parts[0], "records") && g_str_equal (parts[2], "touch"))
    return touch_many_handle (srv, req, parts[1]);
  if (n == 4 && g_str_equal (parts[0], "records") && g_str_equal (parts[3], "touch"))
    return touch_handle (srv, req, parts[1], parts[2]);

  rl_dev_not_found (req);
}
