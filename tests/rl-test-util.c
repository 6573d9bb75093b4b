/* rl-test-util.c — test helpers: devserver and broker processes, sync HTTP.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The devserver and mosquitto run as real processes on free loopback ports;
 * tests talk to them over real sockets. Their logs go to files in a
 * temporary directory so a failing test can print them.
 */
#include "rl-test-util.h"
#include "rl-time.h"

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#define STARTUP_TIMEOUT_MS 30000

guint
rl_test_free_port (void)
{
  struct sockaddr_in addr = { 0 };
  socklen_t          len = sizeof addr;
  int                fd = socket (AF_INET, SOCK_STREAM, 0);
  guint              port = 0;

  g_assert_cmpint (fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0
      && getsockname (fd, (struct sockaddr *) &addr, &len) == 0)
    port = ntohs (addr.sin_port);
  close (fd);
  g_assert_cmpuint (port, >, 0);
  return port;
}

/* Children die with the test: a test that aborts on a failed assertion must
 * not leave a devserver or a broker running (they hold ports and, with
 * persistent MQTT sessions, memory). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
print_log_tail (const char *what,
                const char *path)
{
  g_autofree char *contents = NULL;
  gsize            len = 0;

  if (path == NULL || !g_file_get_contents (path, &contents, &len, NULL))
    return;
  g_printerr ("---- %s log (%s), last bytes ----\n%s\n----\n",
              what, path, len > 4000 ? contents + len - 4000 : contents);
}

static void
kill_and_reap (GPid pid)
{
  int status;

  if (pid <= 0)
    return;
  kill (pid, SIGTERM);
  for (guint i = 0; i < 100; i++)
    {
      pid_t r = waitpid (pid, &status, WNOHANG);
      if (r == pid || (r < 0 && errno == ECHILD))
        return;
      g_usleep (50 * 1000);
    }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
}

static char *
find_devserver (void)
{
  const char *env = g_getenv ("RL_DEVSERVER");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_find_program_in_path ("reloop-devserver");
}

/* Spawns the devserver for `server` (its db, log and extra args) on `port`
 * (0 = any) and waits for LISTENING. */
static gboolean
spawn_devserver (RlTestDevserver *server,
                 guint            port,
                 GError         **error)
{
  g_autofree char *binary = find_devserver ();
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  int    out_fd = -1;
  int    log_fd;
  gint64 started, deadline;
  g_autoptr (GString) line = g_string_new (NULL);
  gboolean ready = FALSE;

  if (binary == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "reloop-devserver not found (set RL_DEVSERVER)");
      return FALSE;
    }

  g_ptr_array_add (argv, binary);
  g_ptr_array_add (argv, (char *) "--port");
  g_ptr_array_add (argv, port_text);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, server->db_path);
  for (guint i = 0; server->extra_args && server->extra_args[i]; i++)
    g_ptr_array_add (argv, server->extra_args[i]);
  g_ptr_array_add (argv, NULL);

  log_fd = g_open (server->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "cannot create %s", server->log_path);
      return FALSE;
    }

  started = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes_and_fds (NULL, (const char *const *) argv->pdata, NULL,
                                         G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
                                         die_with_parent, NULL, -1, -1, log_fd, NULL, NULL, 0,
                                         &server->pid, NULL, &out_fd, NULL, error))
    {
      close (log_fd);
      return FALSE;
    }
  close (log_fd);

  /* Read stdout until the LISTENING line, with a deadline. */
  fcntl (out_fd, F_SETFL, fcntl (out_fd, F_GETFL) | O_NONBLOCK);
  deadline = started + (gint64) STARTUP_TIMEOUT_MS * 1000;
  while (!ready && g_get_monotonic_time () < deadline)
    {
      char    buf[256];
      ssize_t n = read (out_fd, buf, sizeof buf);

      if (n > 0)
        {
          for (ssize_t i = 0; i < n && !ready; i++)
            {
              if (buf[i] == '\n')
                {
                  if (g_str_has_prefix (line->str, "LISTENING "))
                    {
                      g_free (server->url);
                      server->url = g_strstrip (g_strdup (line->str + strlen ("LISTENING ")));
                      ready = TRUE;
                    }
                  g_string_truncate (line, 0);
                }
              else
                g_string_append_c (line, buf[i]);
            }
        }
      else if (n == 0)
        break; /* exited */
      else
        g_usleep (10 * 1000);
    }
  server->stdout_fd = out_fd;

  if (!ready)
    {
      print_log_tail ("devserver", server->log_path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "reloop-devserver did not print LISTENING (log: %s)", server->log_path);
      rl_test_devserver_stop (server);
      return FALSE;
    }

  server->ready_ms = (g_get_monotonic_time () - started) / 1000.0;
  g_free (server->api_url);
  server->api_url = g_strconcat (server->url, "/api/v1", NULL);
  return TRUE;
}

RlTestDevserver *
rl_test_devserver_start_full (const char        *db_path,
                              const char *const *extra_args,
                              GError           **error)
{
  g_autoptr (RlTestDevserver) server = g_new0 (RlTestDevserver, 1);

  server->stdout_fd = -1;
  server->tmpdir = g_dir_make_tmp ("rl-devserver-XXXXXX", error);
  if (server->tmpdir == NULL)
    return NULL;
  server->db_path = db_path ? g_strdup (db_path)
                            : g_build_filename (server->tmpdir, "devserver.sqlite", NULL);
  server->log_path = g_build_filename (server->tmpdir, "devserver.log", NULL);
  server->extra_args = g_strdupv ((char **) extra_args);

  if (!spawn_devserver (server, 0, error))
    return NULL;
  return g_steal_pointer (&server);
}

gboolean
rl_test_devserver_restart (RlTestDevserver *server,
                           GError         **error)
{
  g_autoptr (GUri) uri = NULL;
  int port;

  g_return_val_if_fail (server != NULL && server->url != NULL, FALSE);

  uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);
  port = uri ? g_uri_get_port (uri) : -1;
  rl_test_devserver_stop (server);

  /* The old socket may linger a moment: retry the same port briefly. */
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_clear_error (error);
      if (spawn_devserver (server, port > 0 ? (guint) port : 0, error))
        return TRUE;
      g_usleep (250 * 1000);
    }
  return FALSE;
}

RlTestDevserver *
rl_test_devserver_start (const char *const *extra_args,
                         GError           **error)
{
  return rl_test_devserver_start_full (NULL, extra_args, error);
}

void
rl_test_devserver_stop (RlTestDevserver *server)
{
  if (server == NULL)
    return;
  if (server->pid > 0)
    kill_and_reap (server->pid);
  server->pid = 0;
  if (server->stdout_fd > 0)
    close (server->stdout_fd);
  server->stdout_fd = -1;
}

void
rl_test_devserver_free (RlTestDevserver *server)
{
  if (server == NULL)
    return;
  rl_test_devserver_stop (server);
  if (g_getenv ("RL_TEST_KEEP_LOGS") == NULL)
    rl_test_rm_rf (server->tmpdir);
  g_free (server->url);
  g_free (server->api_url);
  g_free (server->tmpdir);
  g_free (server->db_path);
  g_free (server->log_path);
  g_strfreev (server->extra_args);
  g_free (server);
}

/* ---- broker ---------------------------------------------------------- */

static char *
find_mosquitto (void)
{
  const char *env = g_getenv ("RL_MOSQUITTO");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (g_file_test ("/usr/sbin/mosquitto", G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup ("/usr/sbin/mosquitto");
  return g_find_program_in_path ("mosquitto");
}

static gboolean
port_accepts (guint port)
{
  struct sockaddr_in addr = { 0 };
  int                fd = socket (AF_INET, SOCK_STREAM, 0);
  gboolean           ok;

  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  addr.sin_port = htons (port);
  ok = connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0;
  close (fd);
  return ok;
}

RlTestBroker *
rl_test_broker_start (GError **error)
{
  return rl_test_broker_start_on_port (0, error);
}

RlTestBroker *
rl_test_broker_start_on_port (guint    port,
                              GError **error)
{
  RlTestBrokerOptions options = { .port = port };

  return rl_test_broker_start_full (&options, error);
}

/* mosquitto.conf for @broker's ports: the plain listener, then the TLS one
 * (cafile, certfile and keyfile apply to the listener above them). */
static char *
broker_conf (RlTestBroker              *broker,
             const RlTestBrokerOptions *options)
{
  GString *conf = g_string_new (NULL);

  /* As root, mosquitto would switch to its own user, who cannot read our
   * temporary files (certificates, persistence): stay the current user. */
  g_string_append_printf (conf, "user %s\n", g_get_user_name ());
  g_string_append_printf (conf,
                          "per_listener_settings false\n"
                          "allow_anonymous true\n"
                          "max_queued_messages 0\n"
                          "log_dest stderr\n"
                          "log_type error\n"
                          "log_type warning\n"
                          "log_type notice\n"
                          "log_type subscribe\n"
                          "listener %u 127.0.0.1\n",
                          broker->port);
  if (options->persistence)
    g_string_append_printf (conf, "persistence true\npersistence_location %s/\n", broker->tmpdir);
  else
    g_string_append (conf, "persistence false\n");
  if (options->acl_file != NULL)
    g_string_append_printf (conf, "acl_file %s\n", options->acl_file);
  if (broker->tls_port != 0)
    g_string_append_printf (conf,
                            "listener %u 127.0.0.1\n"
                            "cafile %s\n"
                            "certfile %s\n"
                            "keyfile %s\n",
                            broker->tls_port, options->cafile, options->certfile,
                            options->keyfile);
  return g_string_free (conf, FALSE);
}

/* Spawns mosquitto with @broker's config; TRUE once its ports accept
 * connections (≤ 10 s), FALSE if it died (a port was taken) or never did. */
static gboolean
spawn_broker (RlTestBroker *broker,
              GError      **error)
{
  g_autofree char *binary = find_mosquitto ();
  const char      *argv[] = { binary, "-c", broker->conf_path, NULL };
  GPid             pid = 0;
  int              log_fd;
  gint64           deadline;

  if (binary == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "mosquitto not found (install the mosquitto package)");
      return FALSE;
    }
  log_fd = g_open (broker->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (!g_spawn_async_with_pipes_and_fds (
          NULL, argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL | G_SPAWN_STDOUT_TO_DEV_NULL,
          die_with_parent, NULL, -1, -1, log_fd, NULL, NULL, 0, &pid, NULL, NULL, NULL, error))
    {
      close (log_fd);
      return FALSE;
    }
  close (log_fd);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      int status;

      if (port_accepts (broker->port) && (broker->tls_port == 0 || port_accepts (broker->tls_port)))
        {
          broker->pid = pid;
          return TRUE;
        }
      if (waitpid (pid, &status, WNOHANG) == pid)
        break; /* died, probably a port was taken */
      g_usleep (20 * 1000);
    }
  kill_and_reap (pid);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "mosquitto did not start");
  return FALSE;
}

RlTestBroker *
rl_test_broker_start_full (const RlTestBrokerOptions *options,
                           GError                   **error)
{
  g_autoptr (RlTestBroker) broker = g_new0 (RlTestBroker, 1);
  gboolean tls = options->cafile != NULL;

  g_return_val_if_fail (!tls || (options->certfile != NULL && options->keyfile != NULL), NULL);

  broker->tmpdir = g_dir_make_tmp ("rl-broker-XXXXXX", error);
  if (broker->tmpdir == NULL)
    return NULL;
  broker->conf_path = g_build_filename (broker->tmpdir, "mosquitto.conf", NULL);
  broker->log_path = g_build_filename (broker->tmpdir, "mosquitto.log", NULL);

  /* A port can be taken between our probe and mosquitto's bind; retry. */
  for (guint attempt = 0; attempt < 5; attempt++)
    {
      g_autofree char *conf = NULL;

      g_clear_error (error);
      broker->port = options->port != 0 ? options->port : rl_test_free_port ();
      broker->tls_port = tls ? rl_test_free_port () : 0;
      conf = broker_conf (broker, options);
      if (!g_file_set_contents (broker->conf_path, conf, -1, error))
        return NULL;
      g_unlink (broker->log_path);
      if (spawn_broker (broker, error))
        {
          broker->url = g_strdup_printf ("mqtt://127.0.0.1:%u", broker->port);
          if (tls)
            broker->tls_url = g_strdup_printf ("mqtts://127.0.0.1:%u", broker->tls_port);
          return g_steal_pointer (&broker);
        }
      if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return NULL;
    }

  print_log_tail ("mosquitto", broker->log_path);
  return NULL;
}

void
rl_test_broker_stop (RlTestBroker *broker)
{
  g_return_if_fail (broker != NULL);

  /* SIGTERM: mosquitto saves its persistence file on the way out. */
  kill_and_reap (broker->pid);
  broker->pid = 0;
}

gboolean
rl_test_broker_restart (RlTestBroker *broker,
                        GError      **error)
{
  g_return_val_if_fail (broker != NULL, FALSE);

  rl_test_broker_stop (broker);
  /* The old socket may linger a moment: retry the same ports briefly. */
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_clear_error (error);
      if (spawn_broker (broker, error))
        return TRUE;
      g_usleep (250 * 1000);
    }
  print_log_tail ("mosquitto", broker->log_path);
  return FALSE;
}

void
rl_test_broker_free (RlTestBroker *broker)
{
  if (broker == NULL)
    return;
  kill_and_reap (broker->pid);
  rl_test_rm_rf (broker->tmpdir);
  g_free (broker->url);
  g_free (broker->tls_url);
  g_free (broker->tmpdir);
  g_free (broker->conf_path);
  g_free (broker->log_path);
  g_free (broker);
}

/* ---- processes (for other helpers: rl-test-rabbitmq.c) --------------- */

void
rl_test_kill_and_reap (GPid pid)
{
  kill_and_reap (pid);
}

gboolean
rl_test_port_accepts (guint port)
{
  return port_accepts (port);
}

void
rl_test_die_with_parent (gpointer user_data)
{
  die_with_parent (user_data);
}

void
rl_test_print_log_tail (const char *what,
                        const char *path)
{
  print_log_tail (what, path);
}

typedef struct
{
  RlTestBroker *broker;
  const char   *topic;
  guint         n;
} SubscribedWait;

/* mosquitto logs a subscription as "TIME: CLIENT-ID QOS TOPIC". */
static gboolean
broker_subscribed (gpointer user_data)
{
  SubscribedWait  *w = user_data;
  g_autofree char *log = NULL;
  g_auto (GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (w->broker->log_path, &log, NULL, NULL))
    return FALSE;
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) words = g_strsplit (lines[i], " ", -1);

      if (g_strv_length (words) == 4 && g_str_has_suffix (words[0], ":")
          && g_str_equal (words[3], w->topic))
        n++;
    }
  return n >= w->n;
}

void
rl_test_broker_wait_subscribed (RlTestBroker *broker,
                                const char   *topic,
                                guint         n,
                                guint         timeout_ms)
{
  SubscribedWait w = { broker, topic, n };

  g_assert_nonnull (broker);
  if (!rl_test_wait_until (broker_subscribed, &w, timeout_ms))
    {
      print_log_tail ("mosquitto", broker->log_path);
      g_error ("no subscription to %s in the broker's log after %u ms", topic, timeout_ms);
    }
}

/* ---- HTTP ------------------------------------------------------------ */

JsonNode *
rl_test_http (const char        *method,
              const char        *url,
              const char        *json_body,
              const char *const *headers,
              guint             *status)
{
  static SoupSession *session;
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  gconstpointer data;
  gsize         len;

  g_assert_nonnull (msg);
  if (session == NULL)
    session = soup_session_new_with_options ("timeout", 60, "max-conns", 64,
                                             "max-conns-per-host", 64, NULL);

  for (guint i = 0; headers && headers[i] && headers[i + 1]; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  headers[i], headers[i + 1]);
  if (json_body != NULL)
    {
      g_autoptr (GBytes) req = g_bytes_new (json_body, strlen (json_body));
      soup_message_set_request_body_from_bytes (msg, "application/json", req);
    }

  body = soup_session_send_and_read (session, msg, NULL, &error);
  if (status != NULL)
    *status = body ? soup_message_get_status (msg) : 0;
  if (body == NULL)
    return NULL;

  data = g_bytes_get_data (body, &len);
  if (len == 0 || !json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

char *
rl_test_login (RlTestDevserver *server,
               const char      *email)
{
  g_autofree char *url = g_strconcat (server->api_url, "/auth/login", NULL);
  g_autofree char *body =
      g_strdup_printf ("{\"email\":\"%s\",\"password\":\"reloop-demo\"}", email);
  g_autoptr (JsonNode) reply = NULL;
  JsonObject *data;
  guint       status = 0;

  reply = rl_test_http ("POST", url, body, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (reply);
  data = json_object_get_object_member (json_node_get_object (reply), "data");
  g_assert_nonnull (data);
  return g_strdup (json_object_get_string_member (data, "accessToken"));
}

typedef struct
{
  gboolean (*cond) (gpointer user_data);
  gpointer user_data;
  gboolean timed_out;
} WaitData;

static gboolean
wait_timeout_cb (gpointer user_data)
{
  WaitData *wait = user_data;

  wait->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
rl_test_wait_until (gboolean (*cond) (gpointer user_data),
                    gpointer user_data,
                    guint    timeout_ms)
{
  WaitData wait = { cond, user_data, FALSE };
  guint    id = g_timeout_add (timeout_ms, wait_timeout_cb, &wait);
  /* Wake up now and then: a condition set by another thread fires nothing
   * on this main context. */
  guint    tick = g_timeout_add (20, tick_cb, NULL);
  gboolean ok;

  while (!(ok = cond (user_data)) && !wait.timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!wait.timed_out)
    g_source_remove (id);
  g_source_remove (tick);
  return ok;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

void
rl_test_run_main_loop (guint ms)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, quit_cb, loop);
  g_main_loop_run (loop);
}

guint
rl_test_cache_week_of_readings (RlTestDevserver *server,
                                const char      *token,
                                RlStore         *store,
                                const char      *drop_point_id,
                                const char      *device_id)
{
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  const char      *headers[] = { "Authorization", auth, NULL };
  gint64           now = rl_time_now_ms ();
  g_autofree char *from =
      rl_time_format_ms (now - G_GINT64_CONSTANT (7 * 24 * 3600 * 1000) + 60000);
  g_autofree char *to = rl_time_format_ms (now);
  g_autofree char *url = g_strdup_printf ("%s/drop-points/%s/readings?from=%s&to=%s&limit=5000",
                                          server->api_url, drop_point_id, from, to);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = NULL;
  g_autoptr (JsonNode) body = NULL;
  JsonArray *items;
  guint      status = 0, n;

  body = rl_test_http ("GET", url, NULL, headers, &status);
  g_assert_cmpuint (status, ==, 200);
  items = json_object_get_array_member (json_node_get_object (body), "data");
  n = json_array_get_length (items);
  batch = rl_store_batch_begin (store, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < n; k++)
    {
      JsonObject *r = json_array_get_object_element (items, k);
      gint64      ms;

      g_assert_true (rl_time_parse_ms (json_object_get_string_member (r, "timestamp"), &ms));
      g_assert_cmpint (rl_store_batch_add_reading (batch, device_id, ms,
                                                   json_object_get_double_member (r, "fillLevel"),
                                                   NAN, NAN, NAN, NAN, &error),
                       !=, RL_STORE_READING_ERROR);
      g_assert_no_error (error);
    }
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  return n;
}

/* ---- async results ---------------------------------------------------- */

void
rl_test_store_result_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
result_stored (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

GAsyncResult *
rl_test_wait_result (GAsyncResult **slot,
                     guint          timeout_ms)
{
  if (!rl_test_wait_until (result_stored, slot, timeout_ms))
    g_error ("no result of the async call after %u ms", timeout_ms);
  return *slot;
}

/* ---- files and stores --------------------------------------------------- */

void
rl_test_rm_rf (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR)
              && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            rl_test_rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

void
rl_test_remove_sqlite (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

RlStore *
rl_test_store_open (const char *file_name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), file_name, NULL);
  RlStore         *store = rl_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

void
rl_test_batch_upsert (RlStoreBatch *batch,
                      const char   *entity,
                      const char   *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  g_assert_true (rl_store_batch_upsert (batch, entity,
                                        json_node_get_object (json_parser_get_root (parser)),
                                        &error));
  g_assert_no_error (error);
}

guint64
rl_test_proc_status_field (const char *path,
                           const char *name)
{
  g_autofree char *data = NULL;
  g_auto (GStrv) lines = NULL;
  gsize name_len = strlen (name);

  if (!g_file_get_contents (path, &data, NULL, NULL))
    return 0;
  lines = g_strsplit (data, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], name, name_len) == 0 && lines[i][name_len] == ':')
      return g_ascii_strtoull (lines[i] + name_len + 1, NULL, 10);
  return 0;
}
