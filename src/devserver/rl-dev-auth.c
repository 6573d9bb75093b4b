/* rl-dev-auth.c — sign-in, access tokens and rotating refresh tokens.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tokens are kept in memory and in the devserver's database, so a devserver
 * restarted on the same --db keeps everyone signed in, as a real backend
 * does across a restart (the console must come back online, not sign out).
 */

#include "config.h"

#include "rl-dev-private.h"
#include "rl-time.h"

#define REFRESH_GRACE_MS (60 * 1000)

typedef struct
{
  const RlDevUser *user;
  char            *successor; /* refresh token that replaced this one */
  gint64           rotated_ms;
} RlDevRefresh;

static void
refresh_free (gpointer data)
{
  RlDevRefresh *r = data;

  g_free (r->successor);
  g_free (r);
}

static void
persist_token (RlDevServer     *srv,
               const char      *token,
               const char      *kind,
               const RlDevUser *user,
               gint64           expires_ms)
{
  sqlite3_stmt *stmt = NULL;

  sqlite3_exec (srv->db,
                "CREATE TABLE IF NOT EXISTS auth_tokens (token TEXT PRIMARY KEY,"
                " kind TEXT NOT NULL, email TEXT NOT NULL, expires_ms INTEGER,"
                " successor TEXT, rotated_ms INTEGER)",
                NULL, NULL, NULL);
  if (sqlite3_prepare_v2 (srv->db,
                          "INSERT OR REPLACE INTO auth_tokens (token, kind, email, expires_ms)"
                          " VALUES (?1, ?2, ?3, ?4)",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return;
  sqlite3_bind_text (stmt, 1, token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, user->email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, expires_ms);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
}

static void
persist_rotation (RlDevServer *srv,
                  const char  *token,
                  const char  *successor,
                  gint64       rotated_ms)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (srv->db,
                          "UPDATE auth_tokens SET successor = ?2, rotated_ms = ?3 WHERE token = ?1",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return;
  sqlite3_bind_text (stmt, 1, token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, successor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, rotated_ms);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
}

/* A token issued before a restart: load it from the database. */
static gboolean
load_token (RlDevServer *srv,
            const char  *token,
            const char  *kind)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      found = FALSE;

  if (sqlite3_prepare_v2 (srv->db,
                          "SELECT email, expires_ms, successor, rotated_ms FROM auth_tokens"
                          " WHERE token = ?1 AND kind = ?2",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const RlDevUser *user = rl_dev_user_by_email ((const char *) sqlite3_column_text (stmt, 0));

      if (user != NULL && g_str_equal (kind, "access"))
        {
          RlDevToken *t = g_new0 (RlDevToken, 1);

          t->user = user;
          t->expires_ms = sqlite3_column_int64 (stmt, 1);
          g_hash_table_insert (srv->access_tokens, g_strdup (token), t);
          found = TRUE;
        }
      else if (user != NULL)
        {
          RlDevRefresh *r = g_new0 (RlDevRefresh, 1);

          r->user = user;
          r->successor = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          r->rotated_ms = sqlite3_column_int64 (stmt, 3);
          g_hash_table_insert (srv->refresh_tokens, g_strdup (token), r);
          found = TRUE;
        }
    }
  sqlite3_finalize (stmt);
  return found;
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
  char       *text = new_token ("at");

  token->user = user;
  token->expires_ms = rl_time_now_ms () + (gint64) srv->token_ttl_s * 1000;
  g_hash_table_insert (srv->access_tokens, g_strdup (text), token);
  persist_token (srv, text, "access", user, token->expires_ms);
  return text;
}

static char *
issue_refresh (RlDevServer     *srv,
               const RlDevUser *user)
{
  RlDevRefresh *refresh = g_new0 (RlDevRefresh, 1);
  char         *text = new_token ("rt");

  refresh->user = user;
  g_hash_table_insert (srv->refresh_tokens, g_strdup (text), refresh);
  persist_token (srv, text, "refresh", user, 0);
  return text;
}

static void
reply_session (RlDevReq        *req,
               const RlDevUser *user,
               const char      *access,
               const char      *refresh)
{
  g_autoptr (JsonObject) data = json_object_new ();
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
  JsonObject      *body = rl_dev_body_object (req);
  const char      *email, *password;
  const RlDevUser *user;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autoptr (JsonObject) fields = json_object_new ();

  if (body == NULL)
    return;
  email = rl_dev_json_string (body, "email", NULL);
  password = rl_dev_json_string (body, "password", NULL);
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
  JsonObject      *body = rl_dev_body_object (req);
  const char      *token;
  RlDevRefresh    *r;
  gint64           now = rl_time_now_ms ();
  g_autofree char *access = NULL;

  if (body == NULL)
    return;
  token = rl_dev_json_string (body, "refreshToken", NULL);
  if (token == NULL)
    {
      g_autoptr (JsonObject) fields = json_object_new ();
      json_object_set_string_member (fields, "refreshToken", "required");
      return rl_dev_reply_fields (req, fields);
    }
  r = g_hash_table_lookup (req->srv->refresh_tokens, token);
  if (r == NULL && load_token (req->srv, token, "refresh"))
    r = g_hash_table_lookup (req->srv->refresh_tokens, token);
  if (r == NULL || (r->successor != NULL && now - r->rotated_ms > REFRESH_GRACE_MS))
    return rl_dev_reply_error (req, 401, "UNAUTHORIZED", "Refresh token not valid", NULL);

  if (r->successor == NULL)
    {
      r->successor = issue_refresh (req->srv, r->user);
      r->rotated_ms = now;
      persist_rotation (req->srv, token, r->successor, now);
    }
  access = issue_access (req->srv, r->user);
  reply_session (req, r->user, access, r->successor);
}

void
rl_dev_auth_handle (RlDevReq *req)
{
  if (req->n_parts != 2
      || (!g_str_equal (req->parts[1], "login") && !g_str_equal (req->parts[1], "refresh")))
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

  if (token == NULL && access_token != NULL && load_token (srv, access_token, "access"))
    token = g_hash_table_lookup (srv->access_tokens, access_token);
  if (token == NULL || token->expires_ms <= rl_time_now_ms ())
    return NULL;
  return token->user;
}

void
rl_dev_auth_expire_all (RlDevServer *srv)
{
  GHashTableIter iter;
  gpointer       value;
  gint64         now = rl_time_now_ms ();

  g_hash_table_iter_init (&iter, srv->access_tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((RlDevToken *) value)->expires_ms = now - 1;
  {
    sqlite3_stmt *stmt = NULL;

    if (sqlite3_prepare_v2 (srv->db, "UPDATE auth_tokens SET expires_ms = ?1 WHERE kind = 'access'",
                            -1, &stmt, NULL)
        == SQLITE_OK)
      {
        sqlite3_bind_int64 (stmt, 1, now - 1);
        sqlite3_step (stmt);
      }
    sqlite3_finalize (stmt);
  }
}
