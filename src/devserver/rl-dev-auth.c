/* rl-dev-auth.c — sign-in, access tokens and rotating refresh tokens.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tokens live in memory only: a restarted devserver signs everyone out,
 * which is what a real backend's key rotation looks like to the console.
 */
#define G_LOG_DOMAIN "reloop-devserver"

#include "config.h"

#include "rl-dev-private.h"
#include "rl-time.h"

#define REFRESH_GRACE_MS (60 * 1000)

typedef struct {
  const RlDevUser *user;
  char            *successor;     /* refresh token that replaced this one */
  gint64           rotated_ms;
} RlDevRefresh;

static void
refresh_free (gpointer data)
{
  RlDevRefresh *r = data;

  g_free (r->successor);
  g_free (r);
}

void
rl_dev_auth_init (RlDevServer *srv)
{
  srv->access_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  srv->refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, refresh_free);
}

static char *
new_token (const char *kind)
{
  g_autofree char *a = g_uuid_string_random ();
  g_autofree char *b = g_uuid_string_random ();

  return g_strconcat (kind, ".", a, b, NULL);
}

static char *
issue_access (RlDevServer     *srv,
              const RlDevUser *user)
{
  RlDevToken *token = g_new0 (RlDevToken, 1);
  char *text = new_token ("at");

  token->user = user;
  token->expires_ms = rl_time_now_ms () + (gint64) srv->token_ttl_s * 1000;
  g_hash_table_insert (srv->access_tokens, g_strdup (text), token);
  return text;
}

static char *
issue_refresh (RlDevServer     *srv,
               const RlDevUser *user)
{
  RlDevRefresh *refresh = g_new0 (RlDevRefresh, 1);
  char *text = new_token ("rt");

  refresh->user = user;
  g_hash_table_insert (srv->refresh_tokens, g_strdup (text), refresh);
  return text;
}

static void
reply_session (RlDevReq        *req,
               const RlDevUser *user,
               const char      *access,
               const char      *refresh)
{
  g_autoptr(JsonObject) data = json_object_new ();
  JsonObject *u = json_object_new ();

  json_object_set_string_member (data, "accessToken", access);
  json_object_set_string_member (data, "refreshToken", refresh);
  json_object_set_int_member (data, "expiresIn", req->srv->token_ttl_s);
  json_object_set_string_member (u, "id", user->id);
  json_object_set_string_member (u, "name", user->name);
  json_object_set_string_member (u, "email", user->email);
  json_object_set_string_member (u, "role", user->role_name);
  json_object_set_object_member (data, "user", u);
  rl_dev_reply_object (req, 200, data);
}

static void
login (RlDevReq *req)
{
  JsonObject *body = rl_dev_body_object (req);
  const char *email, *password;
  const RlDevUser *user;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();

  if (body == NULL)
    return;
  email = json_object_get_string_member_with_default (body, "email", NULL);
  password = json_object_get_string_member_with_default (body, "password", NULL);
  if (email == NULL || *email == '\0')
    json_object_set_string_member (fields, "email", "required");
  if (password == NULL || *password == '\0')
    json_object_set_string_member (fields, "password", "required");
  if (json_object_get_size (fields) > 0)
    return rl_dev_reply_fields (req, fields);

  user = rl_dev_user_by_email (email);
  if (user == NULL || !g_str_equal (password, RL_DEV_DEMO_PASSWORD))
    return rl_dev_reply_error (req, 401, "UNAUTHORIZED", "Wrong email or password", NULL);

  access = issue_access (req->srv, user);
  refresh = issue_refresh (req->srv, user);
  reply_session (req, user, access, refresh);
}

static void
refresh (RlDevReq *req)
{
  JsonObject *body = rl_dev_body_object (req);
  const char *token;
  RlDevRefresh *r;
  gint64 now = rl_time_now_ms ();
  g_autofree char *access = NULL;

  if (body == NULL)
    return;
  token = json_object_get_string_member_with_default (body, "refreshToken", NULL);
  if (token == NULL)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      json_object_set_string_member (fields, "refreshToken", "required");
      return rl_dev_reply_fields (req, fields);
    }
  r = g_hash_table_lookup (req->srv->refresh_tokens, token);
  if (r == NULL || (r->successor != NULL && now - r->rotated_ms > REFRESH_GRACE_MS))
    return rl_dev_reply_error (req, 401, "UNAUTHORIZED", "Refresh token not valid", NULL);

  if (r->successor == NULL)
    {
      r->successor = issue_refresh (req->srv, r->user);
      r->rotated_ms = now;
    }
  access = issue_access (req->srv, r->user);
  reply_session (req, r->user, access, r->successor);
}

void
rl_dev_auth_handle (RlDevReq *req)
{
  if (req->n_parts != 2 || (!g_str_equal (req->parts[1], "login") && !g_str_equal (req->parts[1], "refresh")))
    return rl_dev_not_found (req);
  if (!g_str_equal (req->method, "POST"))
    return rl_dev_method_not_allowed (req, "POST");
  if (g_str_equal (req->parts[1], "login"))
    login (req);
  else
    refresh (req);
}

const RlDevUser *
rl_dev_auth_lookup (RlDevServer *srv,
                    const char  *access_token)
{
  RlDevToken *token = g_hash_table_lookup (srv->access_tokens, access_token);

  if (token == NULL || token->expires_ms <= rl_time_now_ms ())
    return NULL;
  return token->user;
}

void
rl_dev_auth_expire_all (RlDevServer *srv)
{
  GHashTableIter iter;
  gpointer value;
  gint64 now = rl_time_now_ms ();

  g_hash_table_iter_init (&iter, srv->access_tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((RlDevToken *) value)->expires_ms = now - 1;
}
