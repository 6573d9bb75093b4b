/* rl-api.c — RlApi: the object, its settings, tokens, status and circuits.
 * The request engine is in rl-api-request.c, the calls in rl-api-calls.c.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "rl-api-private.h"
#include "rl-url.h"

G_DEFINE_FINAL_TYPE (RlApi, rl_api, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_CA_FILE,
  PROP_USER_AGENT,
  PROP_TIMEOUT,
  PROP_MAX_ATTEMPTS,
  PROP_DEADLINE_MS,
  PROP_REACHABLE,
  PROP_LAST_ERROR,
  PROP_REQUEST_COUNT,
  PROP_RETRY_COUNT,
  PROP_REFRESH_COUNT,
  N_PROPS
};

enum
{
  SIGNAL_TOKENS_CHANGED,
  SIGNAL_AUTH_REQUIRED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* Tokens                                                              */

void
rl_api_wipe_string (char **slot)
{
  if (*slot != NULL)
    memset (*slot, 0, strlen (*slot));
  g_clear_pointer (slot, g_free);
}

static void
replace_secret (char      **slot,
                const char *value)
{
  rl_api_wipe_string (slot);
  *slot = g_strdup (value);
}

void
rl_api_set_tokens (RlApi      *self,
                   const char *access_token,
                   const char *refresh_token)
{
  g_return_if_fail (RL_IS_API (self));

  replace_secret (&self->access_token, access_token);
  replace_secret (&self->refresh_token, refresh_token);
  self->token_generation++;
  g_signal_emit (self, signals[SIGNAL_TOKENS_CHANGED], 0);
}

const char *
rl_api_get_access_token (RlApi *self)
{
  g_return_val_if_fail (RL_IS_API (self), NULL);
  return self->access_token;
}

const char *
rl_api_get_refresh_token (RlApi *self)
{
  g_return_val_if_fail (RL_IS_API (self), NULL);
  return self->refresh_token;
}

void
rl_api_sign_out (RlApi *self)
{
  g_return_if_fail (RL_IS_API (self));

  if (self->access_token == NULL && self->refresh_token == NULL)
    return;
  rl_api_set_tokens (self, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* Status                                                              */

void
rl_api_set_reachable (RlApi   *self,
                      gboolean reachable)
{
  if (self->reachable == reachable)
    return;
  self->reachable = reachable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REACHABLE]);
}

void
rl_api_set_last_error (RlApi        *self,
                       const GError *error)
{
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (error->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

void
rl_api_count_request (RlApi *self)
{
  self->request_count++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST_COUNT]);
}

void
rl_api_count_retry (RlApi *self)
{
  self->retry_count++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_COUNT]);
}

void
rl_api_count_refresh (RlApi *self)
{
  self->refresh_count++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_COUNT]);
}

void
rl_api_emit_auth_required (RlApi *self)
{
  g_signal_emit (self, signals[SIGNAL_AUTH_REQUIRED], 0);
}

gboolean
rl_api_get_reachable (RlApi *self)
{
  g_return_val_if_fail (RL_IS_API (self), FALSE);
  return self->reachable;
}

const char *
rl_api_get_last_error (RlApi *self)
{
  g_return_val_if_fail (RL_IS_API (self), NULL);
  return self->last_error;
}

guint
rl_api_get_request_count (RlApi *self)
{
  g_return_val_if_fail (RL_IS_API (self), 0);
  return self->request_count;
}

guint
rl_api_get_retry_count (RlApi *self)
{
  g_return_val_if_fail (RL_IS_API (self), 0);
  return self->retry_count;
}

guint
rl_api_get_refresh_count (RlApi *self)
{
  g_return_val_if_fail (RL_IS_API (self), 0);
  return self->refresh_count;
}

/* ------------------------------------------------------------------ */
/* Circuits                                                            */

RlCircuit *
rl_api_circuit_for_host (RlApi      *self,
                         const char *host)
{
  RlCircuit *circuit = g_hash_table_lookup (self->circuits, host != NULL ? host : "");

  if (circuit == NULL)
    {
      circuit = rl_circuit_new (host);
      g_hash_table_insert (self->circuits, g_strdup (host != NULL ? host : ""), circuit);
    }
  return circuit;
}

char *
rl_api_host_of (const char *url)
{
  g_autoptr (GUri) uri = NULL;

  if (url == NULL)
    return NULL;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
}

RlCircuit *
rl_api_get_circuit (RlApi *self)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (RL_IS_API (self), NULL);

  host = rl_api_host_of (self->base_url);
  return rl_api_circuit_for_host (self, host);
}

/* ------------------------------------------------------------------ */
/* Settings                                                            */

const char *
rl_api_get_base_url (RlApi *self)
{
  g_return_val_if_fail (RL_IS_API (self), NULL);
  return self->base_url;
}

void
rl_api_set_base_url (RlApi      *self,
                     const char *base_url)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (RL_IS_API (self));

  /* Paths are appended with their own slash. */
  trimmed = base_url != NULL ? rl_url_trim_trailing_slashes (g_strdup (base_url)) : NULL;
  if (g_strcmp0 (self->base_url, trimmed) == 0)
    return;
  g_free (self->base_url);
  self->base_url = g_steal_pointer (&trimmed);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

const char *
rl_api_get_ca_file (RlApi *self)
{
  g_return_val_if_fail (RL_IS_API (self), NULL);
  return self->ca_file;
}

gboolean
rl_api_set_ca_file (RlApi      *self,
                    const char *ca_file,
                    GError    **error)
{
  g_autoptr (GTlsDatabase) database = NULL;

  g_return_val_if_fail (RL_IS_API (self), FALSE);

  if (ca_file != NULL && *ca_file != '\0')
    {
      database = g_tls_file_database_new (ca_file, error);
      if (database == NULL)
        return FALSE;
    }
  /* NULL restores the system's database; verification stays on either way. */
  soup_session_set_tls_database (self->session, database);
  if (g_strcmp0 (self->ca_file, ca_file) != 0)
    {
      g_free (self->ca_file);
      self->ca_file = g_strdup (ca_file);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CA_FILE]);
    }
  return TRUE;
}

void
rl_api_set_max_attempts (RlApi *self,
                         guint  max_attempts)
{
  g_return_if_fail (RL_IS_API (self));

  max_attempts = MAX (max_attempts, 1);
  if (self->max_attempts == max_attempts)
    return;
  self->max_attempts = max_attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ATTEMPTS]);
}

guint
rl_api_get_max_attempts (RlApi *self)
{
  g_return_val_if_fail (RL_IS_API (self), 0);
  return self->max_attempts;
}

void
rl_api_set_deadline_ms (RlApi *self,
                        gint64 deadline_ms)
{
  g_return_if_fail (RL_IS_API (self));

  if (self->deadline_ms == deadline_ms)
    return;
  self->deadline_ms = MAX (deadline_ms, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEADLINE_MS]);
}

void
rl_api_set_backoff (RlApi           *self,
                    const RlBackoff *backoff)
{
  g_return_if_fail (RL_IS_API (self));
  g_return_if_fail (backoff != NULL);
  self->backoff = *backoff;
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
rl_api_dispose (GObject *object)
{
  RlApi *self = RL_API (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_pointer (&self->circuits, g_hash_table_unref);

  G_OBJECT_CLASS (rl_api_parent_class)->dispose (object);
}

static void
rl_api_finalize (GObject *object)
{
  RlApi *self = RL_API (object);

  g_assert (self->refresh_waiters == NULL);
  g_free (self->base_url);
  g_free (self->ca_file);
  g_free (self->user_agent);
  rl_api_wipe_string (&self->access_token);
  rl_api_wipe_string (&self->refresh_token);
  g_free (self->last_error);

  G_OBJECT_CLASS (rl_api_parent_class)->finalize (object);
}

static void
rl_api_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  RlApi *self = RL_API (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_USER_AGENT:
      g_value_set_string (value, soup_session_get_user_agent (self->session));
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, soup_session_get_timeout (self->session));
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;
    case PROP_DEADLINE_MS:
      g_value_set_int64 (value, self->deadline_ms);
      break;
    case PROP_REACHABLE:
      g_value_set_boolean (value, self->reachable);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_REQUEST_COUNT:
      g_value_set_uint (value, self->request_count);
      break;
    case PROP_RETRY_COUNT:
      g_value_set_uint (value, self->retry_count);
      break;
    case PROP_REFRESH_COUNT:
      g_value_set_uint (value, self->refresh_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_api_set_property (GObject      *object,
                     guint         prop_id,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  RlApi *self = RL_API (object);
  g_autoptr (GError) error = NULL;

  switch (prop_id)
    {
    case PROP_BASE_URL:
      rl_api_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_CA_FILE:
      if (!rl_api_set_ca_file (self, g_value_get_string (value), &error))
        g_warning ("Cannot load the CA file: %s", error->message);
      break;
    case PROP_USER_AGENT:
      soup_session_set_user_agent (self->session, g_value_get_string (value));
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_TIMEOUT:
      soup_session_set_timeout (self->session, g_value_get_uint (value));
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_MAX_ATTEMPTS:
      rl_api_set_max_attempts (self, g_value_get_uint (value));
      break;
    case PROP_DEADLINE_MS:
      rl_api_set_deadline_ms (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_api_class_init (RlApiClass *klass)
{
  GObjectClass     *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = rl_api_dispose;
  object_class->finalize = rl_api_finalize;
  object_class->get_property = rl_api_get_property;
  object_class->set_property = rl_api_set_property;

  properties[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL, NULL, rw);
  properties[PROP_CA_FILE] = g_param_spec_string ("ca-file", NULL, NULL, NULL, rw);
  properties[PROP_USER_AGENT] = g_param_spec_string ("user-agent", NULL, NULL, NULL, rw);
  properties[PROP_TIMEOUT] = g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, 30, rw);
  properties[PROP_MAX_ATTEMPTS] =
      g_param_spec_uint ("max-attempts", NULL, NULL, 1, G_MAXUINT, RL_API_DEFAULT_MAX_ATTEMPTS, rw);
  properties[PROP_DEADLINE_MS] =
      g_param_spec_int64 ("deadline-ms", NULL, NULL, 0, G_MAXINT64, RL_API_DEFAULT_DEADLINE_MS, rw);
  properties[PROP_REACHABLE] = g_param_spec_boolean ("reachable", NULL, NULL, FALSE, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_REQUEST_COUNT] =
      g_param_spec_uint ("request-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_RETRY_COUNT] = g_param_spec_uint ("retry-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_REFRESH_COUNT] =
      g_param_spec_uint ("refresh-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_TOKENS_CHANGED] =
      g_signal_new ("tokens-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_AUTH_REQUIRED] =
      g_signal_new ("auth-required", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rl_api_init (RlApi *self)
{
  g_autofree char *user_agent = g_strdup_printf ("ReLoopConsole/%s", PACKAGE_VERSION);

  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "user-agent", user_agent,
                                "timeout", 30,
                                "max-conns-per-host", 6,
                                NULL);
  self->circuits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  rl_backoff_init (&self->backoff);
  self->max_attempts = RL_API_DEFAULT_MAX_ATTEMPTS;
  self->deadline_ms = RL_API_DEFAULT_DEADLINE_MS;
}

RlApi *
rl_api_new (const char *base_url)
{
  return g_object_new (RL_TYPE_API, "base-url", base_url, NULL);
}
