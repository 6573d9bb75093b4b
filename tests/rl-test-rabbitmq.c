/* rl-test-rabbitmq.c — a private RabbitMQ node with its MQTT plugin.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Debian's /usr/sbin/rabbitmq-server switches to the rabbitmq user and
 * the system's directories; /usr/lib/rabbitmq/bin/rabbitmq-server is the
 * script under it, which takes everything from RABBITMQ_* variables. With
 * RABBITMQ_ALLOW_INPUT it execs erl directly (no wrapper shell), so the
 * spawned pid is the node itself, and the node's stdin is ours.
 */
#include "rl-test-rabbitmq.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rl-test-util.h"

#define START_TIMEOUT_S 90
#define STOP_TIMEOUT_S 30
#define READY_LINE "Server startup complete"

static char *
bin_path (const char *name)
{
  const char *dir = g_getenv ("RL_RABBITMQ_BIN_DIR");

  return g_build_filename (dir != NULL && *dir != '\0' ? dir : "/usr/lib/rabbitmq/bin", name,
                           NULL);
}

static gboolean
write_tmp_file (RlTestRabbit *rabbit,
                const char   *name,
                const char   *contents,
                int           mode,
                char        **out_path,
                GError      **error)
{
  g_autofree char *path = g_build_filename (rabbit->tmpdir, name, NULL);

  if (!g_file_set_contents (path, contents, -1, error))
    return FALSE;
  g_chmod (path, mode);
  if (out_path != NULL)
    *out_path = g_steal_pointer (&path);
  return TRUE;
}

/* The node's files, ports and environment. */
static gboolean
prepare (RlTestRabbit *rabbit,
         const char   *durable_queue_type,
         const char   *shared_cookie,
         guint         shared_epmd_port,
         GError      **error)
{
  g_autofree char *home = g_build_filename (rabbit->tmpdir, "home", NULL);
  g_autofree char *mnesia = g_build_filename (rabbit->tmpdir, "mnesia", NULL);
  g_autofree char *logs = g_build_filename (rabbit->tmpdir, "log", NULL);
  g_autofree char *conf = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *plugins_path = NULL;
  g_autofree char *env_conf_path = NULL;
  g_autofree char *cookie = NULL;
  g_autofree char *erl_args = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  char           **envp;

  g_mkdir_with_parents (home, 0700);
  g_mkdir_with_parents (mnesia, 0700);
  g_mkdir_with_parents (logs, 0700);

  rabbit->mqtt_port = rl_test_free_port ();
  rabbit->amqp_port = rl_test_free_port ();
  rabbit->dist_port = rl_test_free_port ();
  /* A cluster's nodes find each other through one epmd. */
  rabbit->epmd_port = shared_epmd_port != 0 ? shared_epmd_port : rl_test_free_port ();
  rabbit->ctl_port = rl_test_free_port ();
  /* A long name on the loopback address: "localhost" need not resolve (a
   * fresh Debian root made by debootstrap has no /etc/hosts: epmd's look-up
   * of localhost failed with nxdomain and the node never started). */
  rabbit->node = g_strdup_printf ("rl-test-%.8s@127.0.0.1", uuid);
  rabbit->url = g_strdup_printf ("mqtt://127.0.0.1:%u", rabbit->mqtt_port);
  rabbit->log_path = g_build_filename (rabbit->tmpdir, "rabbitmq.log", NULL);

  /* The cookie has to match between the node and rabbitmqctl, and between
   * the nodes of a cluster. */
  cookie = shared_cookie != NULL ? g_strdup (shared_cookie) : g_strdup_printf ("RLTEST%.8s", uuid);
  {
    g_autofree char *cookie_path = g_build_filename (home, ".erlang.cookie", NULL);

    if (!g_file_set_contents (cookie_path, cookie, -1, error))
      return FALSE;
    g_chmod (cookie_path, 0400);
  }
  conf = g_strdup_printf ("listeners.tcp.default = 127.0.0.1:%u\n"
                          "mqtt.listeners.tcp.default = 127.0.0.1:%u\n"
                          "mqtt.allow_anonymous = true\n"
                          "mqtt.default_user = guest\n"
                          "mqtt.default_pass = guest\n"
                          "loopback_users = none\n"
                          "%s%s%s"
                          "log.console = true\n"
                          "log.console.level = info\n"
                          "log.file = false\n",
                          rabbit->amqp_port, rabbit->mqtt_port,
                          durable_queue_type != NULL ? "mqtt.durable_queue_type = " : "",
                          durable_queue_type != NULL ? durable_queue_type : "",
                          durable_queue_type != NULL ? "\n" : "");
  if (!write_tmp_file (rabbit, "rabbitmq.conf", conf, 0600, &conf_path, error)
      || !write_tmp_file (rabbit, "enabled_plugins", "[rabbitmq_mqtt].\n", 0600, &plugins_path,
                          error)
      /* Not /etc/rabbitmq/rabbitmq-env.conf: nothing of the system's. */
      || !write_tmp_file (rabbit, "rabbitmq-env.conf", "", 0600, &env_conf_path, error))
    return FALSE;

  /* Distribution on loopback only, with our epmd (not started by erl). */
  erl_args = g_strdup ("-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}");
  envp = g_get_environ ();
  envp = g_environ_setenv (envp, "HOME", home, TRUE);
  envp = g_environ_setenv (envp, "RABBITMQ_NODENAME", rabbit->node, TRUE);
  envp = g_environ_setenv (envp, "RABBITMQ_USE_LONGNAME", "true", TRUE);
  envp = g_environ_setenv (envp, "RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1", TRUE);
  {
    g_autofree char *amqp = g_strdup_printf ("%u", rabbit->amqp_port);
    g_autofree char *dist = g_strdup_printf ("%u", rabbit->dist_port);
    g_autofree char *epmd = g_strdup_printf ("%u", rabbit->epmd_port);
    g_autofree char *ctl = g_strdup_printf ("%u", rabbit->ctl_port);

    envp = g_environ_setenv (envp, "RABBITMQ_NODE_PORT", amqp, TRUE);
    envp = g_environ_setenv (envp, "RABBITMQ_DIST_PORT", dist, TRUE);
    envp = g_environ_setenv (envp, "ERL_EPMD_PORT", epmd, TRUE);
    envp = g_environ_setenv (envp, "RABBITMQ_CTL_DIST_PORT_MIN", ctl, TRUE);
    envp = g_environ_setenv (envp, "RABBITMQ_CTL_DIST_PORT_MAX", ctl, TRUE);
  }
  envp = g_environ_setenv (envp, "ERL_EPMD_ADDRESS", "127.0.0.1", TRUE);
  envp = g_environ_setenv (envp, "RABBITMQ_MNESIA_BASE", mnesia, TRUE);
  envp = g_environ_setenv (envp, "RABBITMQ_LOG_BASE", logs, TRUE);
  envp = g_environ_setenv (envp, "RABBITMQ_CONFIG_FILE", conf_path, TRUE);
  envp = g_environ_setenv (envp, "RABBITMQ_ENABLED_PLUGINS_FILE", plugins_path, TRUE);
  envp = g_environ_setenv (envp, "RABBITMQ_CONF_ENV_FILE", env_conf_path, TRUE);
  envp = g_environ_setenv (envp, "RABBITMQ_ALLOW_INPUT", "true", TRUE);
  envp = g_environ_setenv (envp, "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", erl_args, TRUE);
  envp = g_environ_setenv (envp, "RABBITMQ_CTL_ERL_ARGS", erl_args, TRUE);
  /* The test's glibc malloc checks make the VM crawl; they are ours. */
  envp = g_environ_unsetenv (envp, "MALLOC_CHECK_");
  envp = g_environ_unsetenv (envp, "LD_PRELOAD");
  rabbit->envp = envp;
  return TRUE;
}

static gboolean
start_epmd (RlTestRabbit *rabbit,
            GError      **error)
{
  g_autofree char *epmd = g_find_program_in_path ("epmd");
  g_autofree char *port = g_strdup_printf ("%u", rabbit->epmd_port);
  const char      *argv[] = { epmd, "-port", port, "-address", "127.0.0.1", NULL };
  int              log_fd;
  gint64           deadline;

  if (epmd == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "epmd not found (install rabbitmq-server: build-aux/install-deps.sh)");
      return FALSE;
    }
  log_fd = g_open (rabbit->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (!g_spawn_async_with_pipes_and_fds (NULL, argv, (const char *const *) rabbit->envp,
                                         G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
                                         rl_test_die_with_parent, NULL, -1, log_fd, log_fd, NULL,
                                         NULL, 0, &rabbit->epmd_pid, NULL, NULL, NULL, error))
    {
      close (log_fd);
      return FALSE;
    }
  close (log_fd);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!rl_test_port_accepts (rabbit->epmd_port))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "epmd did not start");
          return FALSE;
        }
      g_usleep (20 * 1000);
    }
  return TRUE;
}

/* How many times the node's log says it is ready. */
static guint
ready_lines (RlTestRabbit *rabbit)
{
  g_autofree char *log = NULL;
  guint            n = 0;

  if (!g_file_get_contents (rabbit->log_path, &log, NULL, NULL))
    return 0;
  for (const char *p = strstr (log, READY_LINE); p != NULL; p = strstr (p + 1, READY_LINE))
    n++;
  return n;
}

/* Spawns the node without waiting (wait_ready does); @out_ready_before:
 * the log's ready lines so far. */
static gboolean
spawn_only (RlTestRabbit *rabbit,
            guint        *out_ready_before,
            gint64       *out_started,
            GError      **error)
{
  g_autofree char *server = bin_path ("rabbitmq-server");
  const char      *argv[] = { server, NULL };
  int              log_fd;

  *out_ready_before = ready_lines (rabbit);
  *out_started = g_get_monotonic_time ();
  if (!g_file_test (server, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s not found (install rabbitmq-server: build-aux/install-deps.sh)", server);
      return FALSE;
    }
  log_fd = g_open (rabbit->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (!g_spawn_async_with_pipes_and_fds (
          rabbit->tmpdir, argv, (const char *const *) rabbit->envp, G_SPAWN_DO_NOT_REAP_CHILD,
          rl_test_die_with_parent, NULL, -1, log_fd, log_fd, NULL, NULL, 0, &rabbit->pid,
          &rabbit->stdin_fd, NULL, NULL, error))
    {
      close (log_fd);
      return FALSE;
    }
  close (log_fd);
  fcntl (rabbit->stdin_fd, F_SETFD, FD_CLOEXEC);
  return TRUE;
}

static gboolean
wait_ready (RlTestRabbit *rabbit,
            guint         ready_before,
            gint64        started,
            GError      **error)
{
  gint64 deadline = started + START_TIMEOUT_S * G_USEC_PER_SEC;
  int    status;

  while (ready_lines (rabbit) <= ready_before || !rl_test_port_accepts (rabbit->mqtt_port))
    {
      if (waitpid (rabbit->pid, &status, WNOHANG) == rabbit->pid)
        {
          rabbit->pid = 0;
          rl_test_print_log_tail ("rabbitmq", rabbit->log_path);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the RabbitMQ node exited (status %d)",
                       status);
          return FALSE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          rl_test_print_log_tail ("rabbitmq", rabbit->log_path);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "the RabbitMQ node did not start in %d s", START_TIMEOUT_S);
          return FALSE;
        }
      g_usleep (100 * 1000);
    }
  rabbit->start_ms = (g_get_monotonic_time () - started) / 1000.0;
  return TRUE;
}

static gboolean
spawn_node (RlTestRabbit *rabbit,
            GError      **error)
{
  guint  ready_before = ready_lines (rabbit);
  gint64 started = g_get_monotonic_time ();

  return spawn_only (rabbit, &ready_before, &started, error)
         && wait_ready (rabbit, ready_before, started, error);
}

RlTestRabbit *
rl_test_rabbit_start (const char *durable_queue_type,
                      GError    **error)
{
  g_autoptr (RlTestRabbit) rabbit = g_new0 (RlTestRabbit, 1);

  rabbit->stdin_fd = -1;
  rabbit->tmpdir = g_dir_make_tmp ("rl-rabbitmq-XXXXXX", error);
  if (rabbit->tmpdir == NULL || !prepare (rabbit, durable_queue_type, NULL, 0, error)
      || !start_epmd (rabbit, error) || !spawn_node (rabbit, error))
    return NULL;
  return g_steal_pointer (&rabbit);
}

static gboolean
node_exited (RlTestRabbit *rabbit,
             guint         timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  int    status;

  while (g_get_monotonic_time () < deadline)
    {
      pid_t r = waitpid (rabbit->pid, &status, WNOHANG);

      if (r == rabbit->pid || (r < 0 && errno == ECHILD))
        return TRUE;
      g_usleep (50 * 1000);
    }
  return FALSE;
}

gboolean
rl_test_rabbit_stop (RlTestRabbit *rabbit,
                     GError      **error)
{
  g_autofree char *ctl = bin_path ("rabbitmqctl");
  const char      *argv[] = { ctl, "-n", rabbit->node, "stop", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64           started = g_get_monotonic_time ();
  int              status = 0;
  gboolean         ok;

  g_return_val_if_fail (rabbit != NULL, FALSE);
  if (rabbit->pid <= 0)
    return TRUE;

  ok = g_spawn_sync (rabbit->tmpdir, (char **) argv, rabbit->envp, G_SPAWN_STDIN_FROM_DEV_NULL,
                     NULL, NULL, &out, &err, &status, error)
       && g_spawn_check_wait_status (status, error);
  if (ok && !node_exited (rabbit, STOP_TIMEOUT_S))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "the RabbitMQ node did not stop in %d s", STOP_TIMEOUT_S);
      ok = FALSE;
    }
  if (!ok)
    g_printerr ("rabbitmqctl stop: %s%s\n", out != NULL ? out : "", err != NULL ? err : "");
  /* Whatever happened, it is gone after this (SIGTERM, then SIGKILL). */
  rl_test_kill_and_reap (rabbit->pid);
  rabbit->pid = 0;
  if (rabbit->stdin_fd >= 0)
    close (rabbit->stdin_fd);
  rabbit->stdin_fd = -1;
  rabbit->stop_ms = (g_get_monotonic_time () - started) / 1000.0;
  return ok;
}

gboolean
rl_test_rabbit_restart (RlTestRabbit *rabbit,
                        GError      **error)
{
  g_return_val_if_fail (rabbit != NULL, FALSE);

  if (!rl_test_rabbit_stop (rabbit, error))
    return FALSE;
  /* The old listening sockets may linger a moment: retry briefly. */
  for (guint attempt = 0; attempt < 5; attempt++)
    {
      g_clear_error (error);
      if (spawn_node (rabbit, error))
        return TRUE;
      g_usleep (500 * 1000);
    }
  return FALSE;
}

void
rl_test_rabbit_free (RlTestRabbit *rabbit)
{
  if (rabbit == NULL)
    return;
  if (rabbit->pid > 0)
    {
      g_autoptr (GError) error = NULL;

      if (!rl_test_rabbit_stop (rabbit, &error))
        g_printerr ("stopping the RabbitMQ node: %s\n", error->message);
    }
  rl_test_kill_and_reap (rabbit->epmd_pid);
  if (g_getenv ("RL_TEST_KEEP_LOGS") == NULL)
    rl_test_rm_rf (rabbit->tmpdir);
  g_free (rabbit->url);
  g_free (rabbit->node);
  g_free (rabbit->tmpdir);
  g_free (rabbit->log_path);
  g_strfreev (rabbit->envp);
  g_free (rabbit);
}

/* ---- a cluster ----------------------------------------------------------- */

/* rabbitmqctl @args… on @rabbit's node; its output goes to the test's log
 * when it fails. */
static gboolean
ctl (RlTestRabbit *rabbit,
     const char   *command,
     const char   *arg,
     GError      **error)
{
  g_autofree char *path = bin_path ("rabbitmqctl");
  const char      *argv[] = { path, "-n", rabbit->node, command, arg, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int              status = 0;

  if (g_spawn_sync (rabbit->tmpdir, (char **) argv, rabbit->envp, G_SPAWN_STDIN_FROM_DEV_NULL,
                    NULL, NULL, &out, &err, &status, error)
      && g_spawn_check_wait_status (status, error))
    return TRUE;
  g_printerr ("rabbitmqctl %s %s: %s%s\n", command, arg != NULL ? arg : "", out != NULL ? out : "",
              err != NULL ? err : "");
  return FALSE;
}

RlTestRabbitCluster *
rl_test_rabbit_cluster_start (guint       n_nodes,
                              const char *durable_queue_type,
                              GError    **error)
{
  g_autoptr (RlTestRabbitCluster) cluster = g_new0 (RlTestRabbitCluster, 1);
  g_autofree char   *uuid = g_uuid_string_random ();
  g_autofree char   *cookie = g_strdup_printf ("RLTESTCLUSTER%.8s", uuid);
  g_autofree guint  *ready_before = g_new0 (guint, n_nodes);
  g_autofree gint64 *started = g_new0 (gint64, n_nodes);

  g_return_val_if_fail (n_nodes >= 1, NULL);

  cluster->nodes = g_ptr_array_new_with_free_func (NULL);
  /* Spawned together (each takes seconds), then waited for. */
  for (guint i = 0; i < n_nodes; i++)
    {
      RlTestRabbit *rabbit = g_new0 (RlTestRabbit, 1);

      rabbit->stdin_fd = -1;
      g_ptr_array_add (cluster->nodes, rabbit);
      rabbit->tmpdir = g_dir_make_tmp ("rl-rabbitmq-XXXXXX", error);
      if (rabbit->tmpdir == NULL
          || !prepare (rabbit, durable_queue_type, cookie,
                       i == 0 ? 0 : rl_test_rabbit_cluster_node (cluster, 0)->epmd_port, error)
          || (i == 0 && !start_epmd (rabbit, error))
          || !spawn_only (rabbit, &ready_before[i], &started[i], error))
        return NULL;
    }
  for (guint i = 0; i < n_nodes; i++)
    if (!wait_ready (rl_test_rabbit_cluster_node (cluster, i), ready_before[i], started[i], error))
      return NULL;
  /* The others join the first. */
  for (guint i = 1; i < n_nodes; i++)
    {
      RlTestRabbit *rabbit = rl_test_rabbit_cluster_node (cluster, i);

      if (!ctl (rabbit, "stop_app", NULL, error)
          || !ctl (rabbit, "join_cluster", rl_test_rabbit_cluster_node (cluster, 0)->node, error)
          || !ctl (rabbit, "start_app", NULL, error))
        return NULL;
    }
  for (guint i = 0; i < n_nodes; i++)
    {
      RlTestRabbit *rabbit = rl_test_rabbit_cluster_node (cluster, i);
      gint64        deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_USEC_PER_SEC;

      while (!rl_test_port_accepts (rabbit->mqtt_port))
        {
          if (g_get_monotonic_time () > deadline)
            {
              rl_test_print_log_tail ("rabbitmq", rabbit->log_path);
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           "node %u does not accept MQTT connections after joining", i);
              return NULL;
            }
          g_usleep (100 * 1000);
        }
    }
  return g_steal_pointer (&cluster);
}

RlTestRabbit *
rl_test_rabbit_cluster_node (RlTestRabbitCluster *cluster,
                             guint                index)
{
  g_return_val_if_fail (cluster != NULL && index < cluster->nodes->len, NULL);
  return g_ptr_array_index (cluster->nodes, index);
}

void
rl_test_rabbit_cluster_free (RlTestRabbitCluster *cluster)
{
  if (cluster == NULL)
    return;
  /* The first node runs the epmd the others use: it goes last. */
  for (guint i = cluster->nodes->len; i > 0; i--)
    rl_test_rabbit_free (g_ptr_array_index (cluster->nodes, i - 1));
  g_ptr_array_unref (cluster->nodes);
  g_free (cluster);
}
