/* rl-dev-provider-types.c — the provider type descriptors the devserver
 * offers (contract §2); the console renders its forms from these.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rl-dev-private.h"

/* Field spec: "key|type|label|required|default|min|max|opt1/opt2/…" */
typedef struct
{
  const char *type;
  const char *kind;
  const char *label;
  const char *fields[8];
} TypeSpec;

#define TIMEOUT "timeoutMs|int|Timeout (ms)|0|5000|100|60000|"
#define SANDBOX "sandbox|bool|Sandbox mode|0|true|||"

static const TypeSpec specs[] = {
  { "tensorflow_gcp",
    "ai_classification",
    "TensorFlow on Google Cloud",
    { "projectId|string|GCP project|1||||",
      "endpoint|url|Model endpoint|1|https://ml.googleapis.com/v1|||",
      "serviceAccountKey|secret|Service account key (JSON)|1||||",
      "region|enum|Region|1|asia-south1|||asia-south1/us-central1/europe-west4",
      "confidenceThreshold|float|Confidence threshold|0|0.8|0|1|", TIMEOUT } },
  { "aws_rekognition",
    "ai_classification",
    "AWS Rekognition",
    { "accessKeyId|string|Access key id|1||||", "secretAccessKey|secret|Secret access key|1||||",
      "region|enum|Region|1|ap-south-1|||ap-south-1/us-east-1/eu-west-1",
      "minConfidence|float|Minimum confidence (%)|0|80|0|100|", TIMEOUT } },
  { "rule_based",
    "ai_classification",
    "Rule-based classifier (offline)",
    { "rulesVersion|string|Rules version|0|2026.1|||", "strict|bool|Strict matching|0|false|||" } },
  { "stripe",
    "payment",
    "Stripe",
    { "publishableKey|string|Publishable key|1||||", "secretKey|secret|Secret key|1||||",
      "webhookSecret|secret|Webhook signing secret|0||||",
      "currency|enum|Currency|1|usd|||usd/eur/npr", SANDBOX, TIMEOUT } },
  { "khalti",
    "payment",
    "Khalti",
    { "publicKey|string|Public key|1||||", "secretKey|secret|Secret key|1||||",
      "endpoint|url|API endpoint|1|https://khalti.com/api/v2|||", SANDBOX, TIMEOUT } },
  { "esewa",
    "payment",
    "eSewa",
    { "merchantCode|string|Merchant code|1||||", "secretKey|secret|Secret key|1||||",
      "endpoint|url|API endpoint|1|https://epay.esewa.com.np/api/epay|||", SANDBOX, TIMEOUT } },
  { "fonepay",
    "payment",
    "Fonepay",
    { "merchantCode|string|Merchant code|1||||", "secretKey|secret|Secret key|1||||",
      "username|string|Username|1||||", "password|secret|Password|1||||", SANDBOX, TIMEOUT } },
  { "sendgrid",
    "email",
    "SendGrid",
    { "apiKey|secret|API key|1||||", "fromAddress|string|From address|1|noreply@reloop.np|||",
      "fromName|string|From name|0|ReLoop|||", TIMEOUT } },
  { "mailgun",
    "email",
    "Mailgun",
    { "apiKey|secret|API key|1||||", "domain|string|Sending domain|1||||",
      "region|enum|Region|1|us|||us/eu",
      "fromAddress|string|From address|1|noreply@reloop.np|||" } },
  { "smtp",
    "email",
    "SMTP server",
    { "host|string|Host|1||||", "port|int|Port|1|587|1|65535|", "username|string|Username|0||||",
      "password|secret|Password|0||||", "security|enum|Security|1|starttls|||none/starttls/tls",
      "fromAddress|string|From address|1|noreply@reloop.np|||" } },
  { "sparrow_sms",
    "sms",
    "Sparrow SMS",
    { "token|secret|API token|1||||", "senderId|string|Sender id|1|ReLoop|||",
      "endpoint|url|API endpoint|1|https://api.sparrowsms.com/v2/sms|||", TIMEOUT } },
  { "twilio",
    "sms",
    "Twilio",
    { "accountSid|string|Account SID|1||||", "authToken|secret|Auth token|1||||",
      "fromNumber|string|From number|1||||", TIMEOUT } },
  { "gcs",
    "storage",
    "Google Cloud Storage",
    { "bucket|string|Bucket|1||||", "serviceAccountKey|secret|Service account key (JSON)|1||||",
      "region|enum|Region|1|asia-south1|||asia-south1/us-central1/europe-west4",
      "signedUrlTtlSeconds|int|Signed URL lifetime (s)|0|900|60|604800|" } },
  { "s3",
    "storage",
    "Amazon S3",
    { "bucket|string|Bucket|1||||", "accessKeyId|string|Access key id|1||||",
      "secretAccessKey|secret|Secret access key|1||||",
      "region|enum|Region|1|ap-south-1|||ap-south-1/us-east-1/eu-west-1",
      "endpoint|url|Custom endpoint (S3-compatible)|0||||" } },
  { "local",
    "storage",
    "Local disk",
    { "path|string|Directory|1|/var/lib/reloop/uploads|||",
      "maxSizeMb|int|Maximum size (MB)|0|10240|1|1048576|" } },
  { "google_maps",
    "maps",
    "Google Maps Platform",
    { "apiKey|secret|API key|1||||", "language|enum|Language|0|en|||en/ne", TIMEOUT } },
  { "google_translate",
    "translation",
    "Google Cloud Translation",
    { "apiKey|secret|API key|1||||", "projectId|string|GCP project|1||||",
      "defaultTarget|enum|Default target language|0|ne|||ne/en/hi" } },
  { "google_analytics",
    "analytics",
    "Google Analytics 4",
    { "measurementId|string|Measurement id|1||||", "apiSecret|secret|API secret|1||||" } },
  { "mixpanel",
    "analytics",
    "Mixpanel",
    { "projectToken|secret|Project token|1||||", "region|enum|Data residency|0|us|||us/eu" } },
  { "amplitude",
    "analytics",
    "Amplitude",
    { "apiKey|secret|API key|1||||",
      "endpoint|url|HTTP API endpoint|0|https://api2.amplitude.com/2/httpapi|||" } },
  { "anthropic",
    "llm",
    "Anthropic",
    { "apiKey|secret|API key|1||||", "model|string|Model|1|claude-sonnet|||",
      "maxTokens|int|Max tokens|0|1024|1|200000|", "temperature|float|Temperature|0|0.2|0|1|",
      TIMEOUT } },
  { "openai",
    "llm",
    "OpenAI",
    { "apiKey|secret|API key|1||||", "organization|string|Organization|0||||",
      "model|string|Model|1|gpt-4o-mini|||", "maxTokens|int|Max tokens|0|1024|1|128000|",
      "temperature|float|Temperature|0|0.2|0|2|", TIMEOUT } },
  { "gemini",
    "llm",
    "Google Gemini",
    { "apiKey|secret|API key|1||||", "model|string|Model|1|gemini-1.5-flash|||",
      "maxTokens|int|Max output tokens|0|1024|1|8192|",
      "temperature|float|Temperature|0|0.2|0|2|", TIMEOUT } },
};

static JsonObject *
field_from_spec (const char *spec)
{
  g_auto (GStrv) p = g_strsplit (spec, "|", 8);
  JsonObject *f = json_object_new ();
  const char *type = p[1];

  json_object_set_string_member (f, "key", p[0]);
  json_object_set_string_member (f, "label", p[2]);
  json_object_set_string_member (f, "type", type);
  json_object_set_boolean_member (f, "required", g_str_equal (p[3], "1"));
  if (p[4][0] == '\0')
    json_object_set_null_member (f, "default");
  else if (g_str_equal (type, "int"))
    json_object_set_int_member (f, "default", g_ascii_strtoll (p[4], NULL, 10));
  else if (g_str_equal (type, "float"))
    json_object_set_double_member (f, "default", g_ascii_strtod (p[4], NULL));
  else if (g_str_equal (type, "bool"))
    json_object_set_boolean_member (f, "default", g_str_equal (p[4], "true"));
  else
    json_object_set_string_member (f, "default", p[4]);
  if (p[5][0])
    json_object_set_double_member (f, "min", g_ascii_strtod (p[5], NULL));
  else
    json_object_set_null_member (f, "min");
  if (p[6][0])
    json_object_set_double_member (f, "max", g_ascii_strtod (p[6], NULL));
  else
    json_object_set_null_member (f, "max");
  if (p[7] && p[7][0])
    {
      g_auto (GStrv) opts = g_strsplit (p[7], "/", -1);
      JsonArray *a = json_array_new ();
      for (guint i = 0; opts[i]; i++)
        json_array_add_string_element (a, opts[i]);
      json_object_set_array_member (f, "options", a);
    }
  else
    json_object_set_null_member (f, "options");
  return f;
}

static const TypeSpec *
find_spec (const char *type)
{
  for (guint i = 0; type && i < G_N_ELEMENTS (specs); i++)
    if (g_str_equal (specs[i].type, type))
      return &specs[i];
  return NULL;
}

JsonArray *
rl_dev_provider_type_fields (const char  *type,
                             const char **out_kind)
{
  const TypeSpec *spec = find_spec (type);
  JsonArray      *fields;

  if (spec == NULL)
    return NULL;
  fields = json_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (spec->fields) && spec->fields[i]; i++)
    json_array_add_object_element (fields, field_from_spec (spec->fields[i]));
  if (out_kind)
    *out_kind = spec->kind;
  return fields;
}

const char *
rl_dev_provider_types_json (void)
{
  static char *cached = NULL;

  if (cached == NULL)
    {
      g_autoptr (JsonArray) all = json_array_new ();
      g_autoptr (JsonNode) node = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
        {
          JsonObject *t = json_object_new ();
          json_object_set_string_member (t, "type", specs[i].type);
          json_object_set_string_member (t, "kind", specs[i].kind);
          json_object_set_string_member (t, "label", specs[i].label);
          json_object_set_array_member (t, "fields",
                                        rl_dev_provider_type_fields (specs[i].type, NULL));
          json_array_add_object_element (all, t);
        }
      node = json_node_init_array (json_node_alloc (), all);
      cached = rl_dev_json_to_string (node);
    }
  return cached;
}
