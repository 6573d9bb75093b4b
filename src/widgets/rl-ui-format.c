/* rl-ui-format.c — how the console words times, kinds of record and strategies.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-time.h"
#include "rl-ui-format.h"

char *
rl_ui_format_time_ms (gint64 ms)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) now = NULL;

  if (ms == 0 || (utc = g_date_time_new_from_unix_utc (ms / 1000)) == NULL)
    return g_strdup ("—");

  local = g_date_time_to_local (utc);
  now = g_date_time_new_now_local ();
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");

  /* Translators: a date and time, in strftime format: "21 Nov 10:42". */
  return g_date_time_format (local, _ ("%e %b %H:%M"));
}

char *
rl_ui_format_time (const char *rfc3339)
{
  gint64 ms;

  if (rfc3339 == NULL || !rl_time_parse_ms (rfc3339, &ms))
    return g_strdup ("—");
  return rl_ui_format_time_ms (ms);
}

const char *
rl_ui_entity_label (const char *entity)
{
  if (g_strcmp0 (entity, "drop_point") == 0)
    return _ ("Drop point");
  if (g_strcmp0 (entity, "provider") == 0)
    return _ ("Provider");
  if (g_strcmp0 (entity, "sync_job") == 0)
    return _ ("Sync job");
  if (g_strcmp0 (entity, "alert") == 0)
    return _ ("Alert");
  if (g_strcmp0 (entity, "workflow") == 0)
    return _ ("Workflow");
  /* The records of the external systems the sync jobs link (seed 002). */
  if (g_strcmp0 (entity, "customer") == 0)
    return _ ("Customer");
  if (g_strcmp0 (entity, "collection") == 0)
    return _ ("Collection");
  if (g_strcmp0 (entity, "payment") == 0)
    return _ ("Payment");
  if (g_strcmp0 (entity, "user") == 0)
    return _ ("User");
  return entity != NULL ? entity : "";
}

const char *
rl_ui_strategy_label (RlConflictStrategy strategy)
{
  switch (strategy)
    {
    case RL_CONFLICT_STRATEGY_LOCAL_WINS:
      return _ ("Local version kept");
    case RL_CONFLICT_STRATEGY_REMOTE_WINS:
      return _ ("Server version kept");
    case RL_CONFLICT_STRATEGY_MERGE:
      return _ ("Merged");
    case RL_CONFLICT_STRATEGY_TIMESTAMP_WINS:
      return _ ("Newest version kept");
    case RL_CONFLICT_STRATEGY_MANUAL:
      return _ ("Resolved field by field");
    case RL_CONFLICT_STRATEGY_UNKNOWN:
    default:
      return _ ("Unknown");
    }
}

/* ---- Providers ---- */

const char *
rl_ui_provider_kind_label (const char *kind)
{
  static const struct
  {
    const char *kind, *name;
  } names[] = {
    { "ai_classification", N_ ("AI Classification") },
    { "payment", N_ ("Payment") },
    { "email", N_ ("Email") },
    { "sms", N_ ("SMS") },
    { "storage", N_ ("Storage") },
    { "maps", N_ ("Maps") },
    { "translation", N_ ("Translation") },
    { "analytics", N_ ("Analytics") },
    { "llm", N_ ("Language Models") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (kind, names[i].kind) == 0)
      return _ (names[i].name);
  return kind;
}

/* Brand names stay as they are; the few generic ones are translated. */
const char *
rl_ui_provider_type_label (const char *type)
{
  static const struct
  {
    const char *type, *name;
    gboolean    translate;
  } names[] = {
    { "tensorflow_gcp", "TensorFlow on GCP", FALSE },
    { "aws_rekognition", "AWS Rekognition", FALSE },
    { "rule_based", N_ ("Rule-based"), TRUE },
    { "stripe", "Stripe", FALSE },
    { "khalti", "Khalti", FALSE },
    { "esewa", "eSewa", FALSE },
    { "fonepay", "Fonepay", FALSE },
    { "sendgrid", "SendGrid", FALSE },
    { "mailgun", "Mailgun", FALSE },
    { "smtp", "SMTP", FALSE },
    { "sparrow_sms", "Sparrow SMS", FALSE },
    { "twilio", "Twilio", FALSE },
    { "gcs", "Google Cloud Storage", FALSE },
    { "s3", "Amazon S3", FALSE },
    { "local", N_ ("Local disk"), TRUE },
    { "google_maps", "Google Maps", FALSE },
    { "google_translate", "Google Translate", FALSE },
    { "google_analytics", "Google Analytics", FALSE },
    { "mixpanel", "Mixpanel", FALSE },
    { "amplitude", "Amplitude", FALSE },
    { "anthropic", "Anthropic", FALSE },
    { "openai", "OpenAI", FALSE },
    { "gemini", "Gemini", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (type, names[i].type) == 0)
      return names[i].translate ? _ (names[i].name) : names[i].name;
  return type;
}

const char *
rl_ui_provider_role_label (RlProviderRole role)
{
  switch (role)
    {
    case RL_PROVIDER_ROLE_PRIMARY:
      return _ ("Primary");
    case RL_PROVIDER_ROLE_FALLBACK:
      return _ ("Fallback");
    case RL_PROVIDER_ROLE_BACKUP:
      return _ ("Backup");
    case RL_PROVIDER_ROLE_UNKNOWN:
    default:
      return _ ("No role");
    }
}

const char *
rl_ui_provider_health_label (RlProviderHealth health)
{
  switch (health)
    {
    case RL_PROVIDER_HEALTH_HEALTHY:
      return _ ("Healthy");
    case RL_PROVIDER_HEALTH_DEGRADED:
      return _ ("Degraded");
    case RL_PROVIDER_HEALTH_DOWN:
      return _ ("Down");
    case RL_PROVIDER_HEALTH_CIRCUIT_OPEN:
      return _ ("Circuit open");
    case RL_PROVIDER_HEALTH_UNKNOWN:
    default:
      return _ ("Unknown");
    }
}
