/* rl-dev-providers.c — configured providers: CRUD, write-only secrets,
 * simulated connection tests and the circuit breaker.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rl-dev-private.h"
#include "rl-time.h"

static const char *role_names[] = { "primary", "fallback", "backup", NULL };

static char *
secret_hint (const char *value)
{
  glong n = g_utf8_validate (value, -1, NULL) ? g_utf8_strlen (value, -1) : 0;

  if (n < 8)
    return g_strdup ("…");
  return g_strconcat ("…", g_utf8_offset_to_pointer (value, n - 4), NULL);
}

static JsonObject *
field_by_key (JsonArray  *fields,
              const char *key)
{
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);
      if (g_str_equal (json_object_get_string_member (f, "key"), key))
        return f;
    }
  return NULL;
}

/* Validates config against the type's descriptors; errors as "config.key". */
static void
validate_config (JsonArray  *fields,
                 JsonObject *config,
                 JsonObject *errors)
{
  GList *members = json_object_get_members (config);

  for (GList *l = members; l; l = l->next)
    {
      const char      *key = l->data;
      JsonNode        *v = json_object_get_member (config, key);
      JsonObject      *f = field_by_key (fields, key);
      g_autofree char *name = g_strconcat ("config.", key, NULL);
      const char      *type;
      GType            vt = JSON_NODE_HOLDS_VALUE (v) ? json_node_get_value_type (v) : G_TYPE_INVALID;

      if (f == NULL && g_str_equal (key, "simulate"))
        {
          /* devserver only: "fail" or "slow" makes /test fail or lag */
          if (vt != G_TYPE_STRING)
            json_object_set_string_member (errors, name, "must be ok, fail or slow");
          continue;
        }
      if (f == NULL)
        {
          json_object_set_string_member (errors, name, "unknown field");
          continue;
        }
      type = json_object_get_string_member (f, "type");
      if (g_str_equal (type, "secret"))
        json_object_set_string_member (
            errors, name, "secrets are written with PUT /providers/{id}/secrets/{key}");
      else if ((g_str_equal (type, "string") || g_str_equal (type, "url")
                || g_str_equal (type, "enum"))
               && vt != G_TYPE_STRING)
        json_object_set_string_member (errors, name, "must be a string");
      else if (g_str_equal (type, "url") && !g_str_has_prefix (json_node_get_string (v), "http://")
               && !g_str_has_prefix (json_node_get_string (v), "https://"))
        json_object_set_string_member (errors, name, "must be an http(s) URL");
      else if (g_str_equal (type, "enum"))
        {
          JsonArray *opts = json_object_get_array_member (f, "options");
          gboolean   found = FALSE;
          for (guint i = 0; i < json_array_get_length (opts); i++)
            if (g_str_equal (json_array_get_string_element (opts, i), json_node_get_string (v)))
              found = TRUE;
          if (!found)
            json_object_set_string_member (errors, name, "is not one of the options");
        }
      else if (g_str_equal (type, "bool") && vt != G_TYPE_BOOLEAN)
        json_object_set_string_member (errors, name, "must be true or false");
      else if (g_str_equal (type, "int") || g_str_equal (type, "float"))
        {
          double d;
          if (vt != G_TYPE_INT64 && vt != G_TYPE_DOUBLE)
            {
              json_object_set_string_member (errors, name, "must be a number");
              continue;
            }
          d = json_node_get_double (v);
          if (g_str_equal (type, "int") && vt == G_TYPE_DOUBLE && d != (double) (gint64) d)
            json_object_set_string_member (errors, name, "must be an integer");
          else if (!JSON_NODE_HOLDS_NULL (json_object_get_member (f, "min"))
                   && d < json_object_get_double_member (f, "min"))
            json_object_set_string_member (errors, name, "is below the minimum");
          else if (!JSON_NODE_HOLDS_NULL (json_object_get_member (f, "max"))
                   && d > json_object_get_double_member (f, "max"))
            json_object_set_string_member (errors, name, "is above the maximum");
        }
    }
  g_list_free (members);

  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);
      const char *key = json_object_get_string_member (f, "key");

      if (!json_object_get_boolean_member (f, "required")
          || g_str_equal (json_object_get_string_member (f, "type"), "secret")
          || json_object_has_member (config, key))
        continue;
      if (!JSON_NODE_HOLDS_NULL (json_object_get_member (f, "default")))
        json_object_set_member (config, key,
                                json_node_copy (json_object_get_member (f, "default")));
      else
        {
          g_autofree char *name = g_strconcat ("config.", key, NULL);
          json_object_set_string_member (errors, name, "required");
        }
    }
}

/* Rules only the server knows (the descriptors cannot say them): a Stripe
 * publishable key starts with pk_. Checked after validate_config. */
static void
validate_type_rules (const char *type,
                     JsonObject *config,
                     JsonObject *errors)
{
  const char *key;

  if (g_strcmp0 (type, "stripe") == 0 && !json_object_has_member (errors, "config.publishableKey")
      && (key = rl_dev_json_string (config, "publishableKey", NULL)) != NULL
      && !g_str_has_prefix (key, "pk_"))
    json_object_set_string_member (errors, "config.publishableKey",
                                   "a publishable key starts with pk_");
}

static void
validate_common (JsonObject *body,
                 JsonObject *record,
                 JsonObject *errors)
{
  JsonNode *v;

  if ((v = json_object_get_member (body, "name")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING
          || json_node_get_string (v)[0] == '\0')
        json_object_set_string_member (errors, "name", "must be a non-empty string");
      else
        json_object_set_string_member (record, "name", json_node_get_string (v));
    }
  if ((v = json_object_get_member (body, "role")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING
          || !g_strv_contains (role_names, json_node_get_string (v)))
        json_object_set_string_member (errors, "role", "must be primary, fallback or backup");
      else
        json_object_set_string_member (record, "role", json_node_get_string (v));
    }
  if ((v = json_object_get_member (body, "priority")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_INT64
          || json_node_get_int (v) < 1 || json_node_get_int (v) > 100)
        json_object_set_string_member (errors, "priority", "must be an integer 1–100");
      else
        json_object_set_int_member (record, "priority", json_node_get_int (v));
    }
  if ((v = json_object_get_member (body, "enabled")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_BOOLEAN)
        json_object_set_string_member (errors, "enabled", "must be true or false");
      else
        json_object_set_boolean_member (record, "enabled", json_node_get_boolean (v));
    }
  if ((v = json_object_get_member (body, "config")) != NULL && !JSON_NODE_HOLDS_OBJECT (v))
    json_object_set_string_member (errors, "config", "must be an object");
}

static JsonObject *
make_provider (RlDevServer *srv,
               const char  *type,
               const char  *name,
               const char  *role,
               gint64       priority)
{
  const char *kind = NULL;
  g_autoptr (JsonArray) fields = rl_dev_provider_type_fields (type, &kind);
  g_autofree char *id = rl_dev_db_next_id (srv, "prv", 4);
  JsonObject      *p = json_object_new ();
  JsonObject      *secrets = json_object_new ();
  g_autofree char *now = rl_dev_now_string ();

  json_object_set_string_member (p, "id", id);
  json_object_set_string_member (p, "type", type);
  json_object_set_string_member (p, "kind", kind);
  json_object_set_string_member (p, "name", name);
  json_object_set_string_member (p, "role", role);
  json_object_set_int_member (p, "priority", priority);
  json_object_set_boolean_member (p, "enabled", TRUE);
  json_object_set_object_member (p, "config", json_object_new ());
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);
      if (g_str_equal (json_object_get_string_member (f, "type"), "secret"))
        {
          JsonObject *s = json_object_new ();
          json_object_set_boolean_member (s, "set", FALSE);
          json_object_set_null_member (s, "hint");
          json_object_set_null_member (s, "updatedAt");
          json_object_set_object_member (secrets, json_object_get_string_member (f, "key"), s);
        }
    }
  json_object_set_object_member (p, "secrets", secrets);
  json_object_set_object_member (p, "health", rl_dev_provider_health_new ("unknown", 0, 0, NULL));
  json_object_set_int_member (p, "version", 1);
  json_object_set_string_member (p, "updatedAt", now);
  return p;
}

static void
store_secret (RlDevServer *srv,
              JsonObject  *provider,
              const char  *key,
              const char  *value)
{
  const char      *id = json_object_get_string_member (provider, "id");
  JsonObject      *secrets = json_object_get_object_member (provider, "secrets");
  JsonObject      *s = json_object_new ();
  g_autofree char *now = rl_dev_now_string ();
  sqlite3_stmt    *stmt = NULL;

  if (value)
    sqlite3_prepare_v2 (srv->db, "INSERT OR REPLACE INTO secrets VALUES (?1, ?2, ?3)", -1, &stmt,
                        NULL);
  else
    sqlite3_prepare_v2 (srv->db, "DELETE FROM secrets WHERE provider_id = ?1 AND key = ?2", -1,
                        &stmt, NULL);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  if (value)
    sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  json_object_set_boolean_member (s, "set", value != NULL);
  if (value)
    {
      g_autofree char *hint = secret_hint (value);
      json_object_set_string_member (s, "hint", hint);
    }
  else
    json_object_set_null_member (s, "hint");
  json_object_set_string_member (s, "updatedAt", now);
  json_object_set_object_member (secrets, key, s);
}

void
rl_dev_providers_seed (RlDevServer *srv,
                       GRand       *rand)
{
  static const struct
  {
    const char *type, *name, *role;
    int         priority;
    const char *state;
    const char *config;
  } seeds[] = {
    { "tensorflow_gcp", "Waste classifier (TF on GCP)", "primary", 1, "healthy",
      "{\"projectId\":\"reloop-np-prod\",\"endpoint\":\"https://asia-south1-ml.googleapis.com/"
      "v1\",\"region\":\"asia-south1\",\"confidenceThreshold\":0.82,\"timeoutMs\":4000}" },
    { "aws_rekognition", "Rekognition fallback", "fallback", 1, "healthy",
      "{\"accessKeyId\":\"AKIA4RELOOPNP7Q2\",\"region\":\"ap-south-1\",\"minConfidence\":75,"
      "\"timeoutMs\":5000}" },
    { "rule_based", "Offline rules", "backup", 1, "healthy",
      "{\"rulesVersion\":\"2026.3\",\"strict\":false}" },
    { "khalti", "Khalti wallet", "primary", 1, "healthy",
      "{\"publicKey\":\"live_public_key_7f1c\",\"endpoint\":\"https://khalti.com/api/"
      "v2\",\"sandbox\":false,\"timeoutMs\":8000}" },
    { "esewa", "eSewa", "fallback", 1, "degraded",
      "{\"merchantCode\":\"RELOOP01\",\"endpoint\":\"https://epay.esewa.com.np/api/"
      "epay\",\"sandbox\":false,\"timeoutMs\":8000}" },
    { "fonepay", "Fonepay QR", "fallback", 2, "healthy",
      "{\"merchantCode\":\"FP-RELOOP\",\"username\":\"reloop-api\",\"sandbox\":false,\"timeoutMs\":"
      "8000}" },
    { "stripe", "Stripe (international donors)", "backup", 1, "circuit_open",
      "{\"publishableKey\":\"pk_live_51Reloop\",\"currency\":\"usd\",\"sandbox\":false,"
      "\"timeoutMs\":10000}" },
    { "sendgrid", "SendGrid notifications", "primary", 1, "healthy",
      "{\"fromAddress\":\"noreply@reloop.np\",\"fromName\":\"ReLoop Nepal\",\"timeoutMs\":5000}" },
    { "smtp", "Municipal mail relay", "backup", 1, "unknown",
      "{\"host\":\"smtp.kathmandu.gov.np\",\"port\":587,\"security\":\"starttls\",\"fromAddress\":"
      "\"reloop@kathmandu.gov.np\"}" },
    { "sparrow_sms", "Sparrow SMS", "primary", 1, "healthy",
      "{\"senderId\":\"ReLoop\",\"endpoint\":\"https://api.sparrowsms.com/v2/"
      "sms\",\"timeoutMs\":5000}" },
    { "twilio", "Twilio SMS", "fallback", 1, "degraded",
      "{\"accountSid\":\"AC9f2e61reloop\",\"fromNumber\":\"+15005550006\",\"timeoutMs\":5000}" },
    { "gcs", "Upload bucket (GCS)", "primary", 1, "healthy",
      "{\"bucket\":\"reloop-np-uploads\",\"region\":\"asia-south1\",\"signedUrlTtlSeconds\":900}" },
    { "local", "Local disk spool", "backup", 1, "healthy",
      "{\"path\":\"/var/lib/reloop/uploads\",\"maxSizeMb\":20480}" },
    { "google_maps", "Google Maps", "primary", 1, "healthy",
      "{\"language\":\"ne\",\"timeoutMs\":3000}" },
    { "google_translate", "Google Translate", "primary", 1, "healthy",
      "{\"projectId\":\"reloop-np-prod\",\"defaultTarget\":\"ne\"}" },
    { "mixpanel", "Mixpanel", "primary", 1, "healthy", "{\"region\":\"eu\"}" },
    { "anthropic", "Claude (support assistant)", "primary", 1, "healthy",
      "{\"model\":\"claude-sonnet\",\"maxTokens\":2048,\"temperature\":0.2,\"timeoutMs\":30000}" },
    { "openai", "OpenAI fallback", "fallback", 1, "healthy",
      "{\"model\":\"gpt-4o-mini\",\"temperature\":0.2,\"timeoutMs\":30000}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_autoptr (JsonObject) p =
          make_provider (srv, seeds[i].type, seeds[i].name, seeds[i].role, seeds[i].priority);
      g_autoptr (JsonObject) config = rl_dev_json_parse_object (seeds[i].config);
      JsonObject *secrets = json_object_get_object_member (p, "secrets");
      GList      *keys = json_object_get_members (secrets);
      gboolean    open = g_str_equal (seeds[i].state, "circuit_open");
      gboolean    degraded = g_str_equal (seeds[i].state, "degraded");

      json_object_set_object_member (p, "config", g_steal_pointer (&config));
      for (GList *l = keys; l; l = l->next)
        {
          char value[41];
          for (guint c = 0; c < 40; c++)
            value[c] =
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[g_rand_int_range (
                    rand, 0, 62)];
          value[40] = '\0';
          store_secret (srv, p, l->data, value);
        }
      g_list_free (keys);
      json_object_set_object_member (p, "health",
                                     rl_dev_provider_health_new (seeds[i].state,
                                                                 open       ? 3
                                                                 : degraded ? 1
                                                                            : 0,
                                                                 g_rand_int_range (rand, 60, degraded ? 2500 : 400),
                                                                 open       ? "HTTP 503 from upstream"
                                                                 : degraded ? "slow response"
                                                                            : NULL));
      rl_dev_db_put (srv, "provider", json_object_get_string_member (p, "id"), NULL, p);
    }
}

static gboolean
has_config_flag (JsonObject *provider,
                 const char *flag)
{
  JsonObject *config = json_object_get_object_member (provider, "config");
  const char *sim = rl_dev_json_string (config, "simulate", NULL);

  return sim != NULL && g_str_equal (sim, flag);
}

static void
test_provider (RlDevReq   *req,
               JsonObject *provider)
{
  JsonObject *health = json_object_get_object_member (provider, "health");
  JsonObject *secrets = json_object_get_object_member (provider, "secrets");
  g_autoptr (JsonArray) fields =
      rl_dev_provider_type_fields (json_object_get_string_member (provider, "type"), NULL);
  gint64           latency = g_rand_int_range (req->srv->rand, 40, 450);
  g_autofree char *message = NULL;
  g_autoptr (JsonObject) result = json_object_new ();
  gboolean ok = TRUE;

  if (g_str_equal (json_object_get_string_member (health, "state"), "circuit_open"))
    {
      json_object_set_boolean_member (result, "ok", FALSE);
      json_object_set_int_member (result, "latencyMs", 0);
      json_object_set_string_member (result, "message",
                                     "The circuit is open: reset it to try again");
      return rl_dev_reply_object (req, 200, result);
    }
  for (guint i = 0; ok && i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);
      const char *key = json_object_get_string_member (f, "key");
      JsonObject *s = json_object_has_member (secrets, key)
                          ? json_object_get_object_member (secrets, key)
                          : NULL;

      if (json_object_get_boolean_member (f, "required")
          && g_str_equal (json_object_get_string_member (f, "type"), "secret")
          && (s == NULL || !rl_dev_json_bool (s, "set", FALSE)))
        {
          ok = FALSE;
          message = g_strdup_printf ("Missing credential '%s'", key);
        }
    }
  if (ok && has_config_flag (provider, "fail"))
    {
      ok = FALSE;
      message = g_strdup ("HTTP 503 Service Unavailable from the provider");
    }
  if (ok && has_config_flag (provider, "slow"))
    latency += 2500;
  /* A real provider times out now and then (docs/api.md: 1 test in 10). */
  if (ok && rl_dev_provider_test_fails (req->srv))
    {
      ok = FALSE;
      latency = 5000;
      message = g_strdup ("Timed out after 5000 ms waiting for the provider");
    }

  if (ok)
    message = g_strdup_printf ("Connected in %" G_GINT64_FORMAT " ms", latency);
  rl_dev_provider_record_check (req->srv, provider, ok, latency, ok ? NULL : message);
  json_object_set_boolean_member (result, "ok", ok);
  json_object_set_int_member (result, "latencyMs", latency);
  json_object_set_string_member (result, "message", message);
  rl_dev_reply_object (req, 200, result);
}

static void
create (RlDevReq *req)
{
  JsonObject *body = rl_dev_body_object (req);
  g_autoptr (JsonObject) errors = json_object_new ();
  g_autoptr (JsonObject) p = NULL;
  g_autoptr (JsonArray) fields = NULL;
  g_autoptr (JsonObject) config = NULL;
  const char *type;

  if (body == NULL)
    return;
  type = rl_dev_json_string (body, "type", NULL);
  if (type == NULL || (fields = rl_dev_provider_type_fields (type, NULL)) == NULL)
    {
      json_object_set_string_member (errors, "type", type ? "unknown provider type" : "required");
      return rl_dev_reply_fields (req, errors);
    }
  if (!json_object_has_member (body, "name"))
    json_object_set_string_member (errors, "name", "required");
  if (!json_object_has_member (body, "role"))
    json_object_set_string_member (errors, "role", "required");
  p = make_provider (req->srv, type, "", "backup", 1);
  validate_common (body, p, errors);
  config = json_object_new ();
  if (json_object_has_member (body, "config")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "config")))
    {
      JsonObject *given = json_object_get_object_member (body, "config");
      GList      *keys = json_object_get_members (given);
      for (GList *l = keys; l; l = l->next)
        if (!JSON_NODE_HOLDS_NULL (json_object_get_member (given, l->data)))
          json_object_set_member (config, l->data,
                                  json_node_copy (json_object_get_member (given, l->data)));
      g_list_free (keys);
    }
  validate_config (fields, config, errors);
  validate_type_rules (type, config, errors);
  if (json_object_get_size (errors) > 0)
    return rl_dev_reply_fields (req, errors);
  json_object_set_object_member (p, "config", g_steal_pointer (&config));
  rl_dev_db_put (req->srv, "provider", json_object_get_string_member (p, "id"), NULL, p);
  rl_dev_reply_record (req, 201, p);
}

static void
update (RlDevReq   *req,
        JsonObject *p)
{
  JsonObject *body = rl_dev_body_object (req);
  g_autoptr (JsonObject) errors = json_object_new ();
  g_autoptr (JsonArray) fields = NULL;
  GList *keys;

  if (body == NULL || !rl_dev_check_if_match (req, p, TRUE))
    return;
  keys = json_object_get_members (body);
  for (GList *l = keys; l; l = l->next)
    if (!g_strv_contains ((const char *[]){ "name", "role", "priority", "enabled", "config", "id",
                                            "version", NULL },
                          l->data))
      json_object_set_string_member (errors, l->data, "is not editable");
  g_list_free (keys);
  validate_common (body, p, errors);
  if (json_object_has_member (body, "config")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "config")))
    {
      JsonObject *given = json_object_get_object_member (body, "config");
      JsonObject *config = json_object_get_object_member (p, "config");

      keys = json_object_get_members (given);
      for (GList *l = keys; l; l = l->next)
        {
          JsonNode *v = json_object_get_member (given, l->data);
          if (JSON_NODE_HOLDS_NULL (v))
            json_object_remove_member (config, l->data);
          else
            json_object_set_member (config, l->data, json_node_copy (v));
        }
      g_list_free (keys);
      fields = rl_dev_provider_type_fields (json_object_get_string_member (p, "type"), NULL);
      validate_config (fields, config, errors);
      validate_type_rules (json_object_get_string_member (p, "type"), config, errors);
    }
  if (json_object_get_size (errors) > 0)
    return rl_dev_reply_fields (req, errors);
  rl_dev_touch_record (p, TRUE);
  rl_dev_db_put (req->srv, "provider", json_object_get_string_member (p, "id"), NULL, p);
  rl_dev_reply_record (req, 200, p);
}

static void
secret_handle (RlDevReq   *req,
               JsonObject *p,
               const char *key)
{
  g_autoptr (JsonArray) fields =
      rl_dev_provider_type_fields (json_object_get_string_member (p, "type"), NULL);
  JsonObject *f = field_by_key (fields, key);
  const char *value = NULL;

  if (!g_str_equal (req->method, "PUT") && !g_str_equal (req->method, "DELETE"))
    return rl_dev_method_not_allowed (req, "PUT, DELETE");
  if (f == NULL || !g_str_equal (json_object_get_string_member (f, "type"), "secret"))
    return rl_dev_not_found (req);
  if (g_str_equal (req->method, "PUT"))
    {
      JsonObject *body = rl_dev_body_object (req);
      if (body == NULL)
        return;
      value = rl_dev_json_string (body, "value", NULL);
      if (value == NULL || value[0] == '\0')
        {
          g_autoptr (JsonObject) errors = json_object_new ();
          json_object_set_string_member (errors, "value", "must be a non-empty string");
          return rl_dev_reply_fields (req, errors);
        }
    }
  if (!rl_dev_check_if_match (req, p, FALSE))
    return;
  store_secret (req->srv, p, key, value);
  rl_dev_touch_record (p, TRUE);
  rl_dev_db_put (req->srv, "provider", json_object_get_string_member (p, "id"), NULL, p);
  rl_dev_reply_raw (req, 200, NULL);
}

void
rl_dev_providers_handle (RlDevReq *req)
{
  g_autoptr (JsonObject) p = NULL;
  const char *m = req->method;

  if (!rl_dev_require_role (req, RL_DEV_ROLE_ADMIN))
    return;
  if (g_str_equal (req->parts[0], "provider-types"))
    {
      g_autofree char *pagination = NULL;

      if (req->n_parts != 1)
        return rl_dev_not_found (req);
      if (!g_str_equal (m, "GET"))
        return rl_dev_method_not_allowed (req, "GET");
      pagination = g_strdup_printf ("{\"nextCursor\":null,\"total\":%u}", 23);
      return rl_dev_reply_paged (req, rl_dev_provider_types_json (), pagination);
    }
  if (req->n_parts == 1)
    {
      if (g_str_equal (m, "GET"))
        return rl_dev_list_reply (req, "provider", NULL, FALSE);
      if (g_str_equal (m, "POST"))
        return create (req);
      return rl_dev_method_not_allowed (req, "GET, POST");
    }
  p = rl_dev_db_get (req->srv, "provider", req->parts[1]);
  if (req->n_parts == 2)
    {
      if (!g_str_equal (m, "GET") && !g_str_equal (m, "PATCH") && !g_str_equal (m, "DELETE"))
        return rl_dev_method_not_allowed (req, "GET, PATCH, DELETE");
      if (p == NULL)
        return rl_dev_not_found (req);
      if (g_str_equal (m, "GET"))
        return rl_dev_reply_record (req, 200, p);
      if (g_str_equal (m, "PATCH"))
        return update (req, p);
      if (!rl_dev_check_if_match (req, p, TRUE))
        return;
      {
        sqlite3_stmt *stmt = NULL;
        sqlite3_prepare_v2 (req->srv->db, "DELETE FROM secrets WHERE provider_id = ?1", -1, &stmt,
                            NULL);
        sqlite3_bind_text (stmt, 1, req->parts[1], -1, SQLITE_STATIC);
        sqlite3_step (stmt);
        sqlite3_finalize (stmt);
      }
      rl_dev_db_delete (req->srv, "provider", req->parts[1]);
      return rl_dev_reply_raw (req, 200, NULL);
    }
  if (req->n_parts == 4 && g_str_equal (req->parts[2], "secrets"))
    return p ? secret_handle (req, p, req->parts[3]) : rl_dev_not_found (req);
  if ((req->n_parts == 3 && g_str_equal (req->parts[2], "test"))
      || (req->n_parts == 4 && g_str_equal (req->parts[2], "circuit")
          && g_str_equal (req->parts[3], "reset")))
    {
      if (!g_str_equal (m, "POST"))
        return rl_dev_method_not_allowed (req, "POST");
      if (p == NULL)
        return rl_dev_not_found (req);
      if (req->n_parts == 3)
        return test_provider (req, p);
      if (!rl_dev_check_if_match (req, p, FALSE))
        return;
      json_object_set_object_member (p, "health", rl_dev_provider_health_new ("unknown", 0, 0, NULL));
      rl_dev_touch_record (p, TRUE);
      rl_dev_db_put (req->srv, "provider", req->parts[1], NULL, p);
      return rl_dev_reply_record (req, 200, p);
    }
  rl_dev_not_found (req);
}
