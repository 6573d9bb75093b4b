/* ds-test.c — HTTP helpers for the devserver tests.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ds-test.h"

#include <string.h>

/* Under ASan, GLib's own leaks from G_TEST_OPTION_ISOLATE_DIRS are only
 * matched by lsan.supp (leak:g_set_user_dirs) with full malloc stacks: the
 * fast unwinder stops at frame-pointer-less libglib. Ignored without ASan. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

void
ds_reply_free (DsReply *reply)
{
  g_clear_pointer (&reply->root, json_node_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply);
}

static SoupSession *
session (void)
{
  static SoupSession *s;

  if (s == NULL)
    s = soup_session_new_with_options ("timeout", 60, "max-conns", 16, "max-conns-per-host", 16,
                                       NULL);
  return s;
}

DsReply *
ds_call (RlTestDevserver   *server,
         const char        *method,
         const char        *path,
         const char        *token,
         const char        *json_body,
         const char *const *headers)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GError) error = NULL;
  DsReply            *reply = g_new0 (DsReply, 1);
  SoupMessageHeaders *rq;

  g_assert_nonnull (msg);
  /* libsoup silently re-sends a request once when a reused keep-alive
   * connection closes without an answer; a fresh connection per call
   * keeps every request (and every injected "drop") one-to-one. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  rq = soup_message_get_request_headers (msg);
  if (token)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (rq, "Authorization", auth);
    }
  for (guint i = 0; headers && headers[i] && headers[i + 1]; i += 2)
    soup_message_headers_replace (rq, headers[i], headers[i + 1]);
  if (json_body != NULL)
    {
      g_autoptr (GBytes) b = g_bytes_new (json_body, strlen (json_body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  reply->body = soup_session_send_and_read (session (), msg, NULL, &error);
  if (reply->body == NULL)
    return reply; /* status 0 */
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    gsize       len;
    const char *data = g_bytes_get_data (reply->body, &len);

    if (len > 0 && json_parser_load_from_data (parser, data, (gssize) len, NULL))
      reply->root = json_node_ref (json_parser_get_root (parser));
  }
  return reply;
}

JsonObject *
ds_envelope (DsReply *reply)
{
  JsonObject *env, *meta;

  g_assert_nonnull (reply->root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->root));
  env = json_node_get_object (reply->root);
  g_assert_true (json_object_has_member (env, "success"));
  g_assert_true (json_object_has_member (env, "data"));
  meta = json_object_get_object_member (env, "meta");
  g_assert_nonnull (meta);
  g_assert_cmpstr (json_object_get_string_member (meta, "version"), ==, "1.0");
  g_assert_nonnull (json_object_get_string_member (meta, "timestamp"));
  g_assert_cmpint (json_object_get_boolean_member (env, "success"), ==,
                   reply->status >= 200 && reply->status < 300);
  return env;
}

JsonObject *
ds_data_object (DsReply *reply)
{
  JsonNode *data = json_object_get_member (ds_envelope (reply), "data");

  g_assert_true (JSON_NODE_HOLDS_OBJECT (data));
  return json_node_get_object (data);
}

JsonArray *
ds_data_array (DsReply *reply)
{
  JsonNode *data = json_object_get_member (ds_envelope (reply), "data");

  g_assert_true (JSON_NODE_HOLDS_ARRAY (data));
  return json_node_get_array (data);
}

const char *
ds_error_code (DsReply *reply)
{
  JsonObject *env = ds_envelope (reply);

  g_assert_false (json_object_get_boolean_member (env, "success"));
  return json_object_get_string_member (json_object_get_object_member (env, "error"), "code");
}

JsonObject *
ds_error_details (DsReply *reply)
{
  JsonObject *env = ds_envelope (reply);

  return json_object_get_object_member (json_object_get_object_member (env, "error"), "details");
}

const char *
ds_header (DsReply    *reply,
           const char *name)
{
  return reply->headers ? soup_message_headers_get_one (reply->headers, name) : NULL;
}

DsReply *
ds_expect (RlTestDevserver   *server,
           guint              status,
           const char        *method,
           const char        *path,
           const char        *token,
           const char        *json_body,
           const char *const *headers)
{
  DsReply *reply = ds_call (server, method, path, token, json_body, headers);

  if (reply->status != status)
    {
      gsize       len = 0;
      const char *b = reply->body ? g_bytes_get_data (reply->body, &len) : "";
      g_printerr ("%s %s → %u (expected %u): %.*s\n", method, path, reply->status, status,
                  (int) MIN (len, 2000), b);
    }
  g_assert_cmpuint (reply->status, ==, status);
  return reply;
}

RlTestDevserver *
ds_start (const char *const *extra_args)
{
  g_autoptr (GError) error = NULL;
  RlTestDevserver *server = rl_test_devserver_start (extra_args, &error);

  g_assert_no_error (error);
  g_assert_nonnull (server);
  return server;
}
