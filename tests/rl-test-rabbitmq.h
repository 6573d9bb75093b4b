/* rl-test-rabbitmq.h — a private RabbitMQ node with its MQTT plugin, for
 * the feed's tests against a second broker.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One node, run as the current user from Debian's rabbitmq-server, with
 * everything of its own in a temporary directory (Erlang cookie, Mnesia,
 * config, logs) and on free loopback ports: MQTT, AMQP, Erlang
 * distribution, and a private epmd (so nothing listens beyond 127.0.0.1
 * and nothing is shared with a system RabbitMQ). Anonymous MQTT logs in as
 * guest. The node's standard input is a pipe from the test: if the test
 * dies, the node's shell reads end-of-file and the node ends. */
typedef struct
{
  GPid   pid; /* the node (rabbitmq-server execs erl, erl execs beam) */
  GPid   epmd_pid;
  guint  mqtt_port;
  guint  amqp_port;
  guint  dist_port;
  guint  epmd_port;
  guint  ctl_port; /* rabbitmqctl's own distribution port */
  char  *url;      /* "mqtt://127.0.0.1:MQTT_PORT" */
  char  *node;     /* "rl-test-…@localhost" */
  char  *tmpdir;
  char  *log_path; /* the node's console output, every start */
  char **envp;     /* for the node and rabbitmqctl */
  int    stdin_fd; /* the write end of the node's stdin */
  double start_ms; /* the last start: spawn to "Server startup complete" */
  double stop_ms;  /* the last stop: rabbitmqctl stop to the node's exit */
} RlTestRabbit;

/* Starts a node (≤ 90 s) and waits until it says "Server startup
 * complete" and its MQTT port accepts connections. @durable_queue_type:
 * NULL (classic) or "quorum", the queue type of the MQTT plugin's
 * persistent sessions (mqtt.durable_queue_type). G_IO_ERROR_NOT_FOUND when
 * rabbitmq-server is not installed ($RL_RABBITMQ_BIN_DIR, default
 * /usr/lib/rabbitmq/bin). */
RlTestRabbit *rl_test_rabbit_start (const char *durable_queue_type,
                                    GError    **error);
/* `rabbitmqctl stop` on the node, then waits for it to exit (SIGKILL after
 * 30 s). Its data stay: rl_test_rabbit_restart starts it again. */
gboolean rl_test_rabbit_stop (RlTestRabbit *rabbit,
                              GError      **error);
/* Stops the node (if running) and starts it again on the same ports with
 * the same data (queues, persistent sessions). From the thread that
 * started it: the node dies with the thread that spawned it. */
gboolean rl_test_rabbit_restart (RlTestRabbit *rabbit,
                                 GError      **error);
/* Stops the node and its epmd and removes its directory. */
void rl_test_rabbit_free (RlTestRabbit *rabbit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlTestRabbit, rl_test_rabbit_free)

/* A cluster of such nodes on loopback: each with its own ports (MQTT, AMQP,
 * Erlang distribution) and data directory, one Erlang cookie and one epmd
 * (run by the first node) for all. */
typedef struct
{
  GPtrArray *nodes; /* RlTestRabbit* */
} RlTestRabbitCluster;

/* Starts @n_nodes nodes together (≤ 90 s), joins the others to the first
 * (`rabbitmqctl stop_app`, `join_cluster`, `start_app`) and waits until
 * every MQTT port accepts connections. Each node is then stopped and
 * started again with rl_test_rabbit_stop and rl_test_rabbit_restart. */
RlTestRabbitCluster *rl_test_rabbit_cluster_start (guint       n_nodes,
                                                   const char *durable_queue_type,
                                                   GError    **error);
RlTestRabbit        *rl_test_rabbit_cluster_node (RlTestRabbitCluster *cluster,
                                                  guint                index);
void                 rl_test_rabbit_cluster_free (RlTestRabbitCluster *cluster);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlTestRabbitCluster, rl_test_rabbit_cluster_free)

G_END_DECLS
