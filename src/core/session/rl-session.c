/* rl-session.c — the console's session: store + API client + secrets, and its state.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One RlSession per window. It signs in (password or refresh token from the
 * keyring), opens the server's own cache, keeps the tokens in the keyring as
 * the API client rotates them, probes the server to tell online from
 * offline, and pulls /changes into the cache. The UI binds to its
 * properties; it never talks to SQLite, HTTP or the keyring itself.
 */
#include "config.h"

#include "rl-session.h"
#include "rl-session-private.h"

#include <string.h>
#include <gio/gio.h>

#include "rl-api.h"
#include "rl-secrets.h"
#include "rl-store-outbox.h"
#include "rl-store.h"
#include "rl-time.h"
#include "rl-url.h"

#define DEFAULT_PROBE_INTERVAL_MS 5000

#define META_USER_EMAIL "session.user.email"
#define META_USER_NAME "session.user.name"
#define META_USER_ROLE "session.user.role"
#define META_LAST_SYNC "session.last-sync"

G_DEFINE_FINAL_TYPE (RlSession, rl_session, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (rl-session-error-quark, rl_session_error)
/* clang-format on */

enum
{
  PROP_0,
  PROP_STATE,
  PROP_ROLE,
  PROP_SERVER_URL,
  PROP_USER_EMAIL,
  PROP_USER_NAME,
  PROP_OFFLINE_SINCE,
  PROP_PENDING_CHANGES,
  PROP_LAST_SYNC,
  PROP_SYNC_PROGRESS,
  PROP_API_REACHABLE,
  PROP_KEYRING_STATE,
  PROP_CACHE_SIZE,
  PROP_QUARANTINED,
  PROP_FEED,
  PROP_STORE,
  PROP_FEED_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_probe (RlSession *self);

/* ---- helpers ---------------------------------------------------------- */

void
rl_session_update_state (RlSession     *self,
                         RlSessionState state)
{
  if (self->state == state)
    return;

  if (state == RL_SESSION_STATE_OFFLINE && self->offline_since == 0)
    {
      self->offline_since = rl_time_now_ms ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_SINCE]);
    }
  else if (state != RL_SESSION_STATE_OFFLINE && self->offline_since != 0)
    {
      self->offline_since = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_SINCE]);
    }

  g_debug ("session state %d → %d", self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
rl_session_update_reachable (RlSession *self,
                             gboolean   reachable)
{
  if (self->api_reachable == reachable)
    return;
  self->api_reachable = reachable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_REACHABLE]);
}

static void
set_string (RlSession  *self,
            char      **field,
            const char *value,
            guint       prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_role (RlSession *self,
          RlRole     role)
{
  if (self->role == role)
    return;
  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

static void
set_keyring_state (RlSession     *self,
                   RlKeyringState state)
{
  if (self->keyring_state == state)
    return;
  self->keyring_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_STATE]);
}

void
rl_session_update_sync_progress (RlSession *self,
                                 double     progress)
{
  if (self->sync_progress == progress)
    return;
  self->sync_progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_PROGRESS]);
}

static void
keyring_state_from_error (RlSession    *self,
                          const GError *error)
{
  if (error == NULL)
    set_keyring_state (self, RL_KEYRING_AVAILABLE);
  else if (g_error_matches (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_LOCKED))
    set_keyring_state (self, RL_KEYRING_LOCKED);
  else if (g_error_matches (error, RL_SECRETS_ERROR, RL_SECRETS_ERROR_NO_SERVICE))
    set_keyring_state (self, RL_KEYRING_NO_SERVICE);
}

static void
store_changed_cb (RlSession      *self,
                  RlStoreChanges *changes,
                  RlStoreMonitor *monitor)
{
  if (rl_store_changes_has_entity (changes, "outbox")
      || rl_store_changes_has_entity (changes, "quarantine")
      || rl_store_changes_has_entity (changes, "conflict"))
    rl_session_update_store_figures (self);
  /* Rows another part of the console (or process) queued go out too. */
  if (rl_store_changes_has_entity (changes, "outbox"))
    rl_session_request_drain (self);
}

/* The store of the signed-in server (NULL: none); property "store". */
void
rl_session_set_store (RlSession *self,
                      RlStore   *store)
{
  if (self->store == store)
    return;
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      self->monitor = rl_store_monitor_new (store);
      g_signal_connect_object (self->monitor, "changed", G_CALLBACK (store_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  rl_session_update_store_figures (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/* Figures the status popover shows, read from the store. */
void
rl_session_update_store_figures (RlSession *self)
{
  gint64 size = 0;
  guint  pending = 0;
  guint  quarantined = 0;

  if (self->store != NULL)
    {
      size = rl_store_get_size (self->store);
      pending = (guint) MAX (rl_store_outbox_count_pending (self->store), 0);
      quarantined = (guint) MAX (rl_store_count (self->store, "quarantine"), 0);
    }

  if (size != self->cache_size)
    {
      self->cache_size = size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE_SIZE]);
    }
  if (pending != self->pending_changes)
    {
      self->pending_changes = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_CHANGES]);
    }
  if (quarantined != self->quarantined)
    {
      self->quarantined = quarantined;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUARANTINED]);
    }
  rl_session_engine_update_figures (self);
}

gboolean
rl_session_error_is_unreachable (const GError *error)
{
  if (error == NULL || error->domain != RL_ERROR)
    return FALSE;

  switch ((RlError) error->code)
    {
    case RL_ERROR_NETWORK:
    case RL_ERROR_CIRCUIT_OPEN:
    case RL_ERROR_INTERNAL:
    case RL_ERROR_UNAVAILABLE:
    case RL_ERROR_BAD_RESPONSE:
    case RL_ERROR_RATE_LIMITED:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
secrets_settled (RlSession *self)
{
  g_autoptr (GPtrArray) waiters = NULL;

  g_assert (self->secrets_in_flight > 0);
  if (--self->secrets_in_flight > 0)
    return;
  waiters = g_steal_pointer (&self->secrets_waiters);
  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    g_task_return_boolean (g_ptr_array_index (waiters, i), TRUE);
}

static void
tokens_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (RlSession) self = user_data;
  g_autoptr (GError) error = NULL;

  secrets_settled (self);
  if (!rl_secrets_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("Could not keep the session’s tokens in the keyring: %s", error->message);
    }
  keyring_state_from_error (self, error);
}

/* The API client rotated or set its tokens: keep the keyring in step. */
static void
api_tokens_changed_cb (RlApi     *api,
                       RlSession *self)
{
  const char *access = rl_api_get_access_token (api);
  const char *refresh = rl_api_get_refresh_token (api);

  if (self->server_url == NULL || self->user_email == NULL)
    return;

  if (refresh != NULL && *refresh != '\0')
    {
      self->secrets_in_flight++;
      rl_secrets_store_async (RL_SECRET_KIND_API_REFRESH_TOKEN, self->server_url,
                              self->user_email, NULL, NULL, refresh, self->cancellable,
                              tokens_stored_cb, g_object_ref (self));
    }
  if (access != NULL && *access != '\0')
    {
      self->secrets_in_flight++;
      rl_secrets_store_async (RL_SECRET_KIND_API_ACCESS_TOKEN, self->server_url,
                              self->user_email, NULL, NULL, access, self->cancellable,
                              tokens_stored_cb, g_object_ref (self));
    }
}

static void
api_auth_required_cb (RlApi     *api,
                      RlSession *self)
{
  /* The refresh token was refused: the user must sign in again. */
  g_debug ("refresh token refused; signing out");
  g_clear_handle_id (&self->probe_source, g_source_remove);
  rl_session_update_state (self, RL_SESSION_STATE_SIGNED_OUT);
}

static void
api_reachable_cb (RlApi      *api,
                  GParamSpec *pspec,
                  RlSession  *self)
{
  rl_session_update_reachable (self, rl_api_get_reachable (api));
}

static void
replace_api (RlSession *self,
             RlApi     *api)
{
  if (self->api != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->api, self);
      g_clear_object (&self->api);
    }
  if (api == NULL)
    return;

  self->api = g_object_ref (api);
  g_signal_connect (api, "tokens-changed", G_CALLBACK (api_tokens_changed_cb), self);
  g_signal_connect (api, "auth-required", G_CALLBACK (api_auth_required_cb), self);
  g_signal_connect (api, "notify::reachable", G_CALLBACK (api_reachable_cb), self);
}

static RlApi *
make_api (RlSession  *self,
          const char *server_url,
          GError    **error)
{
  g_autoptr (RlApi) api = rl_api_new (server_url);
  RlCircuit *circuit;

  if (self->ca_file != NULL && *self->ca_file != '\0'
      && !rl_api_set_ca_file (api, self->ca_file, error))
    return NULL;

  /* The probe is the breaker's half-open request: let it through as often as
   * we probe, so a server that comes back is seen within one interval. */
  circuit = rl_api_get_circuit (api);
  if (circuit != NULL)
    rl_circuit_set_cool_down (circuit, self->probe_interval_ms, self->probe_interval_ms * 4);

  return g_steal_pointer (&api);
}

static gboolean
open_store (RlSession *self,
            gboolean   must_exist,
            GError   **error)
{
  g_autofree char *path = rl_store_path_for_server (self->server_url);
  g_autoptr (RlStore) store = NULL;

  if (must_exist && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CACHE,
                   "The server cannot be reached and there is no local copy of its data");
      return FALSE;
    }

  store = rl_store_open (path, error);
  if (store == NULL)
    return FALSE;

  rl_session_set_store (self, store);

  {
    g_autofree char *last = rl_store_get_meta (store, META_LAST_SYNC);
    gint64           ms = last ? g_ascii_strtoll (last, NULL, 10) : 0;

    if (ms != self->last_sync)
      {
        self->last_sync = ms;
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
      }
  }
  return TRUE;
}

static void
apply_user (RlSession       *self,
            const RlApiAuth *auth)
{
  set_string (self, &self->user_email, auth->user_email, PROP_USER_EMAIL);
  set_string (self, &self->user_name, auth->user_name, PROP_USER_NAME);
  set_role (self, rl_role_from_string (auth->user_role));

  if (self->store != NULL)
    {
      g_autofree char *cached_role = rl_store_get_meta (self->store, META_USER_ROLE);

      /* /changes is filtered by role (contract: "Changes feed"): a cache
       * filled for another role lacks what this one sees (a dispatcher's
       * has no workflows) or holds what it may not (an admin's providers),
       * and its cursor would never bring the difference. Reload it from
       * 0, sweeping what the reload does not bring, as after a 410. */
      if (cached_role != NULL && g_strcmp0 (cached_role, auth->user_role) != 0)
        {
          g_autoptr (GError) error = NULL;

          g_debug ("role %s after %s: the cache reloads", auth->user_role, cached_role);
          if (!rl_store_reset_for_reload (self->store, &error))
            g_warning ("Cannot reload the cache for another role: %s", error->message);
        }
      rl_store_set_meta (self->store, META_USER_EMAIL, auth->user_email, NULL);
      rl_store_set_meta (self->store, META_USER_NAME, auth->user_name, NULL);
      rl_store_set_meta (self->store, META_USER_ROLE, auth->user_role, NULL);
    }
}

/* Offline start: who was signed in comes from the cache. */
static void
apply_user_from_store (RlSession *self)
{
  g_autofree char *email = rl_store_get_meta (self->store, META_USER_EMAIL);
  g_autofree char *name = rl_store_get_meta (self->store, META_USER_NAME);
  g_autofree char *role = rl_store_get_meta (self->store, META_USER_ROLE);

  if (email != NULL)
    set_string (self, &self->user_email, email, PROP_USER_EMAIL);
  set_string (self, &self->user_name, name, PROP_USER_NAME);
  set_role (self, rl_role_from_string (role));
}

static void
reset_signed_in_state (RlSession *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->probe_source, g_source_remove);
  self->probe_in_flight = FALSE;
  rl_session_set_syncing (self, FALSE);
  rl_session_engine_reset (self);
}

/* ---- probe ------------------------------------------------------------ */

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr (RlSession) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) envelope = NULL;

  envelope = rl_api_request_finish (RL_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->probe_in_flight = FALSE;
  if (self->state == RL_SESSION_STATE_SIGNED_OUT || RL_API (source) != self->api)
    return;

  if (envelope != NULL)
    {
      rl_session_update_reachable (self, TRUE);
      if (self->state == RL_SESSION_STATE_OFFLINE)
        {
          rl_session_update_state (self, RL_SESSION_STATE_ONLINE);
          rl_session_start_background_sync (self);
        }
    }
  else if (rl_session_error_is_unreachable (error))
    {
      g_debug ("probe failed: %s", error->message);
      rl_session_update_reachable (self, FALSE);
      if (self->state == RL_SESSION_STATE_ONLINE || self->state == RL_SESSION_STATE_SYNCING)
        rl_session_update_state (self, RL_SESSION_STATE_OFFLINE);
    }
  else
    {
      /* Answered with an error of the contract: the server is there. */
      rl_session_update_reachable (self, TRUE);
      if (self->state == RL_SESSION_STATE_OFFLINE)
        rl_session_update_state (self, RL_SESSION_STATE_ONLINE);
    }
}

static gboolean
probe_tick_cb (gpointer user_data)
{
  RlSession          *self = user_data;
  RlApiRequestOptions options = RL_API_REQUEST_OPTIONS_INIT;

  if (self->probe_in_flight || self->api == NULL)
    return G_SOURCE_CONTINUE;

  rl_session_update_store_figures (self);

  options.flags = RL_API_REQUEST_NO_AUTH | RL_API_REQUEST_NO_RETRY;
  options.expect = RL_ENVELOPE_EXPECT_OBJECT;
  self->probe_in_flight = TRUE;
  rl_api_request_async (self->api, "GET", "/health/live", NULL, NULL, &options,
                        self->cancellable, probe_cb, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
start_probe (RlSession *self)
{
  g_clear_handle_id (&self->probe_source, g_source_remove);
  self->probe_source = g_timeout_add (self->probe_interval_ms, probe_tick_cb, self);
}

/* ---- sign in ---------------------------------------------------------- */

typedef struct
{
  char  *server_url;
  char  *email;
  RlApi *api;
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  g_free (data->server_url);
  g_free (data->email);
  g_clear_object (&data->api);
  g_free (data);
}

static void
check_keyring_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (RlSession) self = user_data;
  g_autoptr (GError) error = NULL;
  RlSecretsState state = rl_secrets_check_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  switch (state)
    {
    case RL_SECRETS_STATE_AVAILABLE:
      set_keyring_state (self, RL_KEYRING_AVAILABLE);
      break;
    case RL_SECRETS_STATE_LOCKED:
      set_keyring_state (self, RL_KEYRING_LOCKED);
      break;
    case RL_SECRETS_STATE_NO_SERVICE:
      set_keyring_state (self, RL_KEYRING_NO_SERVICE);
      break;
    default:
      break;
    }
}

/* Common end of sign-in and restore: the session is now signed in. */
static gboolean
become_signed_in (RlSession       *self,
                  SignInData      *data,
                  const RlApiAuth *auth,
                  GError         **error)
{
  set_string (self, &self->server_url, data->server_url, PROP_SERVER_URL);
  replace_api (self, data->api);
  if (!open_store (self, auth == NULL, error))
    {
      replace_api (self, NULL);
      return FALSE;
    }

  if (auth != NULL)
    {
      apply_user (self, auth);
      /* Store the tokens now that the account is known. */
      api_tokens_changed_cb (self->api, self);
      rl_session_update_reachable (self, TRUE);
      rl_session_update_state (self, RL_SESSION_STATE_ONLINE);
      rl_session_start_background_sync (self);
    }
  else
    {
      apply_user_from_store (self);
      if (self->user_email == NULL)
        set_string (self, &self->user_email, data->email, PROP_USER_EMAIL);
      rl_session_update_reachable (self, FALSE);
      rl_session_update_state (self, RL_SESSION_STATE_OFFLINE);
    }

  rl_secrets_check_async (self->cancellable, check_keyring_cb, g_object_ref (self));
  start_probe (self);
  return TRUE;
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession  *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlApiAuth) auth = NULL;

  self->busy = FALSE;
  auth = rl_api_login_finish (RL_API (source), result, &error);
  if (auth == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!become_signed_in (self, data, auth, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* A new task for a sign-in or restore, or NULL when it already returned an
 * error (then nothing else is to be done). */
static GTask *
begin_sign_in (RlSession          *self,
               const char         *server_url,
               const char         *email,
               GCancellable       *cancellable,
               GAsyncReadyCallback callback,
               gpointer            user_data,
               gpointer            source_tag)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  SignInData      *data;
  g_autofree char *normalized = NULL;

  g_task_set_source_tag (task, source_tag);

  if (self->busy)
    {
      g_task_return_new_error (task, RL_SESSION_ERROR, RL_SESSION_ERROR_BUSY,
                               "Already signing in");
      return NULL;
    }

  if (!rl_url_validate_server (server_url, &normalized, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  /* A new sign-in replaces whatever the session was doing. */
  reset_signed_in_state (self);
  rl_session_stop_feed (self);
  rl_session_set_store (self, NULL);
  replace_api (self, NULL);

  data = g_new0 (SignInData, 1);
  data->server_url = g_steal_pointer (&normalized);
  data->email = g_strdup (email);
  data->api = make_api (self, data->server_url, &error);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_data_free);
  if (data->api == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  self->busy = TRUE;
  return g_steal_pointer (&task);
}

/* ---- restore ---------------------------------------------------------- */

static void
restore_refresh_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession  *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlApiAuth) auth = NULL;

  self->busy = FALSE;
  auth = rl_api_refresh_finish (RL_API (source), result, &error);

  if (auth == NULL && !rl_session_error_is_unreachable (error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (auth != NULL && auth->user_email == NULL)
    {
      /* A refresh answer without the user: keep the account we asked for. */
      g_free (auth->user_email);
      auth->user_email = g_strdup (data->email);
    }

  /* Unreachable: go on offline from the cache, if there is one. */
  if (auth == NULL)
    g_debug ("server unreachable (%s); trying the cache", error->message);
  g_clear_error (&error);
  if (!become_signed_in (self, data, auth, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
restore_access_lookup_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession  *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  char         *access = rl_secrets_lookup_finish (result, &error);
  GCancellable *cancellable;

  /* The access token is optional: the refresh below renews it anyway. */
  {
    /* set_tokens frees the old strings: pass a copy of the refresh token. */
    g_autofree char *refresh = g_strdup (rl_api_get_refresh_token (data->api));

    rl_api_set_tokens (data->api, access, refresh);
  }
  rl_secrets_value_free (access);

  if (g_task_return_error_if_cancelled (task))
    {
      self->busy = FALSE;
      return;
    }
  cancellable = g_task_get_cancellable (task);
  rl_api_refresh_async (data->api, cancellable, restore_refresh_cb, g_steal_pointer (&task));
}

static void
restore_lookup_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession  *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  char         *refresh = rl_secrets_lookup_finish (result, &error);
  GCancellable *cancellable;

  keyring_state_from_error (self, error);
  if (refresh == NULL)
    {
      self->busy = FALSE;
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CREDENTIALS,
                                 "No saved sign-in for %s on %s",
                                 data->email, data->server_url);
      return;
    }

  rl_api_set_tokens (data->api, NULL, refresh);
  rl_secrets_value_free (refresh);

  cancellable = g_task_get_cancellable (task);
  rl_secrets_lookup_async (RL_SECRET_KIND_API_ACCESS_TOKEN, data->server_url, data->email,
                           NULL, NULL, cancellable, restore_access_lookup_cb,
                           g_steal_pointer (&task));
}

/* ---- sign out --------------------------------------------------------- */

static void
sign_out_clear_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  guint *remaining = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!rl_secrets_clear_finish (result, &error) && error != NULL
      && !g_task_had_error (task))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (--(*remaining) == 0 && !g_task_had_error (task))
    g_task_return_boolean (task, TRUE);
}

/* ---- GObject ---------------------------------------------------------- */

static void
rl_session_dispose (GObject *object)
{
  RlSession *self = RL_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->probe_source, g_source_remove);
  rl_session_engine_reset (self);
  rl_session_activity_dispose (self);
  replace_api (self, NULL);
  rl_session_stop_feed (self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rl_session_parent_class)->dispose (object);
}

static void
rl_session_finalize (GObject *object)
{
  RlSession *self = RL_SESSION (object);

  g_clear_object (&self->cancellable);
  g_free (self->server_url);
  g_free (self->user_email);
  g_free (self->user_name);
  g_free (self->ca_file);
  rl_session_engine_finalize (self);

  G_OBJECT_CLASS (rl_session_parent_class)->finalize (object);
}

static void
rl_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RlSession *self = RL_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_USER_EMAIL:
      g_value_set_string (value, self->user_email);
      break;
    case PROP_USER_NAME:
      g_value_set_string (value, self->user_name);
      break;
    case PROP_OFFLINE_SINCE:
      g_value_set_int64 (value, self->offline_since);
      break;
    case PROP_PENDING_CHANGES:
      g_value_set_uint (value, self->pending_changes);
      break;
    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;
    case PROP_SYNC_PROGRESS:
      g_value_set_double (value, self->sync_progress);
      break;
    case PROP_API_REACHABLE:
      g_value_set_boolean (value, self->api_reachable);
      break;
    case PROP_KEYRING_STATE:
      g_value_set_enum (value, self->keyring_state);
      break;
    case PROP_CACHE_SIZE:
      g_value_set_int64 (value, self->cache_size);
      break;
    case PROP_QUARANTINED:
      g_value_set_uint (value, self->quarantined);
      break;
    case PROP_FEED:
      g_value_set_object (value, self->feed);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_FEED_STATE:
      g_value_set_enum (value, rl_session_get_feed_state (self));
      break;
    default:
      if (!rl_session_engine_get_property (self, prop_id, value)
          && !rl_session_feed_get_property (self, prop_id, value)
          && !rl_session_activity_get_property (self, prop_id, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  if (!rl_session_engine_set_property (RL_SESSION (object), prop_id, value)
      && !rl_session_feed_set_property (RL_SESSION (object), prop_id, value)
      && !rl_session_activity_set_property (RL_SESSION (object), prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
rl_session_class_init (RlSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = rl_session_dispose;
  object_class->finalize = rl_session_finalize;
  object_class->get_property = rl_session_get_property;
  object_class->set_property = rl_session_set_property;

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, RL_TYPE_SESSION_STATE,
                                              RL_SESSION_STATE_SIGNED_OUT, ro);
  properties[PROP_ROLE] = g_param_spec_enum ("role", NULL, NULL, RL_TYPE_ROLE, RL_ROLE_NONE, ro);
  properties[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL, NULL, ro);
  properties[PROP_USER_EMAIL] = g_param_spec_string ("user-email", NULL, NULL, NULL, ro);
  properties[PROP_USER_NAME] = g_param_spec_string ("user-name", NULL, NULL, NULL, ro);
  properties[PROP_OFFLINE_SINCE] =
      g_param_spec_int64 ("offline-since", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_PENDING_CHANGES] =
      g_param_spec_uint ("pending-changes", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_LAST_SYNC] =
      g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_SYNC_PROGRESS] =
      g_param_spec_double ("sync-progress", NULL, NULL, -1.0, 1.0, -1.0, ro);
  properties[PROP_API_REACHABLE] =
      g_param_spec_boolean ("api-reachable", NULL, NULL, FALSE, ro);
  properties[PROP_KEYRING_STATE] = g_param_spec_enum (
      "keyring-state", NULL, NULL, RL_TYPE_KEYRING_STATE, RL_KEYRING_UNKNOWN, ro);
  properties[PROP_CACHE_SIZE] =
      g_param_spec_int64 ("cache-size", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_QUARANTINED] =
      g_param_spec_uint ("quarantined", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, RL_TYPE_STORE, ro);
  properties[PROP_FEED] =
      g_param_spec_object ("feed", NULL, NULL, RL_TYPE_FEED, ro);
  /* The feed's state, STOPPED while there is none: a binding can follow it
   * without a NULL in its chain of lookups. */
  properties[PROP_FEED_STATE] = g_param_spec_enum ("feed-state", NULL, NULL, RL_TYPE_FEED_STATE,
                                                   RL_FEED_STATE_STOPPED, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* The sync engine's (rl-session-engine.c) come after these, then the
   * feed's alert rules (rl-session-feed.c), then activity retention
   * (rl-activity.c). */
  rl_session_activity_class_init (
      object_class,
      rl_session_feed_class_init (object_class,
                                  rl_session_engine_class_init (object_class, N_PROPS)));
}

static void
rl_session_init (RlSession *self)
{
  self->state = RL_SESSION_STATE_SIGNED_OUT;
  self->sync_progress = -1.0;
  self->probe_interval_ms = DEFAULT_PROBE_INTERVAL_MS;
  self->cancellable = g_cancellable_new ();
  rl_session_engine_init (self);
  rl_session_feed_init (self);
  rl_session_activity_init (self);
}

/* ---- public API ------------------------------------------------------- */

const char *
rl_role_to_string (RlRole role)
{
  switch (role)
    {
    case RL_ROLE_DISPATCHER:
      return "dispatcher";
    case RL_ROLE_SUPPORT:
      return "support";
    case RL_ROLE_ADMIN:
      return "admin";
    case RL_ROLE_NONE:
    default:
      return "none";
    }
}

/* Which role may use which page: dispatcher → map, alerts; support →
 * activity, conflicts, alerts, map (read-only); admin → everything. The
 * window shows the pages by it; the activity refresh follows it. */
gboolean
rl_role_may_see_page (RlRole      role,
                      const char *page_name)
{
  static const char *const pages[] = { "map", "alerts", "providers", "activity", "conflicts",
                                       NULL };

  g_return_val_if_fail (page_name != NULL, FALSE);

  switch (role)
    {
    case RL_ROLE_ADMIN:
      return g_strv_contains (pages, page_name);

    case RL_ROLE_SUPPORT:
      return g_str_equal (page_name, "map") || g_str_equal (page_name, "alerts")
             || g_str_equal (page_name, "activity") || g_str_equal (page_name, "conflicts");

    case RL_ROLE_DISPATCHER:
      return g_str_equal (page_name, "map") || g_str_equal (page_name, "alerts");

    case RL_ROLE_NONE:
    default:
      return FALSE;
    }
}

RlRole
rl_role_from_string (const char *text)
{
  if (g_strcmp0 (text, "dispatcher") == 0)
    return RL_ROLE_DISPATCHER;
  if (g_strcmp0 (text, "support") == 0)
    return RL_ROLE_SUPPORT;
  if (g_strcmp0 (text, "admin") == 0)
    return RL_ROLE_ADMIN;
  return RL_ROLE_NONE;
}

RlSession *
rl_session_new (void)
{
  return g_object_new (RL_TYPE_SESSION, NULL);
}

#define GETTER(type, name, field, fallback)                \
  type                                                     \
      rl_session_get_##name (RlSession *self)              \
  {                                                        \
    g_return_val_if_fail (RL_IS_SESSION (self), fallback); \
    return self->field;                                    \
  }

GETTER (RlSessionState, state, state, RL_SESSION_STATE_SIGNED_OUT)
GETTER (RlRole, role, role, RL_ROLE_NONE)
GETTER (const char *, server_url, server_url, NULL)
GETTER (const char *, user_email, user_email, NULL)
GETTER (const char *, user_name, user_name, NULL)
GETTER (gint64, offline_since, offline_since, 0)
GETTER (guint, pending_changes, pending_changes, 0)
GETTER (gint64, last_sync, last_sync, 0)
GETTER (guint, last_sync_point_changes, last_sync_point_changes, 0)
GETTER (double, sync_progress, sync_progress, -1.0)
GETTER (gboolean, api_reachable, api_reachable, FALSE)
GETTER (RlKeyringState, keyring_state, keyring_state, RL_KEYRING_UNKNOWN)
GETTER (gint64, cache_size, cache_size, 0)
GETTER (guint, quarantined, quarantined, 0)
GETTER (RlStore *, store, store, NULL)
GETTER (RlApi *, api, api, NULL)

#undef GETTER

void
rl_session_set_probe_interval (RlSession *self,
                               guint      interval_ms)
{
  g_return_if_fail (RL_IS_SESSION (self));
  g_return_if_fail (interval_ms > 0);

  self->probe_interval_ms = interval_ms;
  if (self->api != NULL)
    rl_circuit_set_cool_down (rl_api_get_circuit (self->api), interval_ms, interval_ms * 4);
  if (self->probe_source != 0)
    start_probe (self);
}

void
rl_session_set_ca_file (RlSession  *self,
                        const char *ca_file)
{
  g_return_if_fail (RL_IS_SESSION (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

void
rl_session_sign_in_async (RlSession          *self,
                          const char         *server_url,
                          const char         *email,
                          const char         *password,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  SignInData *data;

  g_return_if_fail (RL_IS_SESSION (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  task = begin_sign_in (self, server_url, email, cancellable, callback, user_data,
                        rl_session_sign_in_async);
  if (task == NULL)
    return;

  data = g_task_get_task_data (task);
  rl_api_login_async (data->api, email, password, cancellable, login_cb,
                      g_steal_pointer (&task));
}

gboolean
rl_session_sign_in_finish (RlSession    *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
rl_session_restore_async (RlSession          *self,
                          const char         *server_url,
                          const char         *email,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  SignInData *data;

  g_return_if_fail (RL_IS_SESSION (self));
  g_return_if_fail (email != NULL);

  task = begin_sign_in (self, server_url, email, cancellable, callback, user_data,
                        rl_session_restore_async);
  if (task == NULL)
    return;

  data = g_task_get_task_data (task);
  rl_secrets_lookup_async (RL_SECRET_KIND_API_REFRESH_TOKEN, data->server_url, email,
                           NULL, NULL, cancellable, restore_lookup_cb, g_steal_pointer (&task));
}

gboolean
rl_session_restore_finish (RlSession    *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
rl_session_sign_out_async (RlSession          *self,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;
  guint           *remaining;

  g_return_if_fail (RL_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_session_sign_out_async);

  server = g_strdup (self->server_url);
  email = g_strdup (self->user_email);

  reset_signed_in_state (self);
  if (self->api != NULL)
    rl_api_sign_out (self->api);
  replace_api (self, NULL);
  rl_session_stop_feed (self);
  rl_session_set_store (self, NULL);
  set_role (self, RL_ROLE_NONE);
  rl_session_update_reachable (self, FALSE);
  rl_session_update_sync_progress (self, -1.0);
  rl_session_update_state (self, RL_SESSION_STATE_SIGNED_OUT);
  rl_session_update_store_figures (self);

  if (server == NULL || email == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  remaining = g_new (guint, 1);
  *remaining = 2;
  g_task_set_task_data (task, remaining, g_free);
  rl_secrets_clear_async (RL_SECRET_KIND_API_REFRESH_TOKEN, server, email, NULL, NULL,
                          cancellable, sign_out_clear_cb, g_object_ref (task));
  rl_secrets_clear_async (RL_SECRET_KIND_API_ACCESS_TOKEN, server, email, NULL, NULL,
                          cancellable, sign_out_clear_cb, g_object_ref (task));
}

gboolean
rl_session_sign_out_finish (RlSession    *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
rl_session_flush_secrets_async (RlSession          *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (RL_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_session_flush_secrets_async);
  if (self->secrets_in_flight == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->secrets_waiters == NULL)
    self->secrets_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->secrets_waiters, g_steal_pointer (&task));
}

gboolean
rl_session_flush_secrets_finish (RlSession    *self,
                                 GAsyncResult *result,
                                 GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
rl_session_check_keyring (RlSession *self)
{
  g_return_if_fail (RL_IS_SESSION (self));

  rl_secrets_check_async (self->cancellable, check_keyring_cb, g_object_ref (self));
}
