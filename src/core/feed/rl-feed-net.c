/* rl-feed-net.c — the feed's MQTT connection: the libmosquitto client, its
 * TLS, and the network thread that connects and reconnects.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The thread runs mosquitto_loop () itself instead of mosquitto_loop_start ():
 * libmosquitto's own loop returns for good when a TLS handshake fails (an
 * untrusted certificate, a host name that does not match), which left the
 * feed "connecting" forever with no reason given. Here every end of a
 * connection becomes the feed's state and error, and is retried after a
 * backoff that rl_feed_stop interrupts. The state is CONNECTED only once the
 * broker has granted the subscriptions: from then on what is published
 * reaches the console.
 */
#include "config.h"

#include <errno.h>
#include <mosquitto.h>
#include <netdb.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rl-feed-private.h"

#define KEEPALIVE_S 30
#define POLL_MS 1000
/* Packets read after each mosquitto_loop () while the socket has more. */
#define READ_MORE_MAX 256
/* Loops that do not read on after a try that found nothing. */
#define READ_MORE_SKIP 32
/* From the TCP connection to the broker's CONNACK (what follows may be a
 * long backlog: no limit there). */
#define CONNECT_TIMEOUT_S 10
/* OpenSSL's SSL_VERIFY_PEER, without OpenSSL's headers for one constant. */
#define TLS_VERIFY_PEER 1

static const char *const kinds[] = { "sensor-data", "status", "alerts" };

static RlFeedEndpoint *
current_endpoint (RlFeed *self)
{
  return g_ptr_array_index (self->endpoints, self->rotation.current);
}

static gboolean
stopping (RlFeed *self)
{
  return g_atomic_int_get (&self->net_stop);
}

/* Waits @seconds, or less if the feed stops; FALSE when it stops. */
static gboolean
wait_unless_stopped (RlFeed *self,
                     guint   seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  g_mutex_lock (&self->lock);
  while (!stopping (self) && g_cond_wait_until (&self->net_cond, &self->lock, until))
    ;
  g_mutex_unlock (&self->lock);
  return !stopping (self);
}

/* The CA file must hold at least one PEM certificate: a typo in the setting
 * is a configuration error, not an endless "untrusted" later. */
static gboolean
check_ca_file (const char *path,
               GError    **error)
{
  g_autoptr (GError) local = NULL;
  GList *list = g_tls_certificate_list_new_from_file (path, &local);
  guint  n = g_list_length (list);

  g_list_free_full (list, g_object_unref);
  if (local != NULL || n == 0)
    {
      g_set_error (error, RL_FEED_ERROR, RL_FEED_ERROR_CA_FILE, "Cannot use the CA file %s: %s",
                   path, local != NULL ? local->message : "it holds no PEM certificate");
      return FALSE;
    }
  return TRUE;
}

/* ---- network thread: libmosquitto's callbacks ---------------------------- */

/* libmosquitto's log is the only place that tells why a handshake failed:
 * "Error: host name verification failed." comes before OpenSSL's
 * "certificate verify failed". Logged at debug level only: a broker that
 * cannot be reached is the feed's state, not a warning. */
static void
on_log (struct mosquitto *mosq G_GNUC_UNUSED,
        void                  *user_data,
        int                    level,
        const char            *text)
{
  RlFeed *self = user_data;

  if ((level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING)) == 0 || text == NULL)
    return;
  g_debug ("libmosquitto: %s", text);
  g_mutex_lock (&self->lock);
  if (strstr (text, "host name verification failed") != NULL)
    self->tls_host = TRUE;
  else if (g_str_has_prefix (text, "OpenSSL Error"))
    {
      const char *detail = strstr (text, "]: ");

      g_free (self->tls_detail);
      self->tls_detail = g_strdup (detail != NULL ? detail + 3 : text);
    }
  g_mutex_unlock (&self->lock);
}

static void
on_connect (struct mosquitto *mosq,
            void             *user_data,
            int               rc)
{
  RlFeed *self = user_data;
  char   *topics[G_N_ELEMENTS (kinds)];
  int     sub_rc;

  if (rc != 0)
    {
      /* CONNACK 4: bad user name or password; 5: not authorised. */
      rl_feed_set_state_code (self, RL_FEED_STATE_RECONNECTING,
                              rc == 4 || rc == 5 ? RL_FEED_ERROR_NOT_AUTHORIZED
                                                 : RL_FEED_ERROR_REFUSED,
                              mosquitto_connack_string (rc));
      return;
    }

  self->connack = TRUE;
  /* With a log callback libmosquitto formats a line (malloc, vsnprintf,
   * free) for every packet, both ways: a tenth of the network thread's time
   * in a backlog (docs/feed.md "Ingest"). The connection's errors are its
   * state; network_main sets on_log again before the next attempt. */
  mosquitto_log_callback_set (mosq, NULL);
  /* One SUBSCRIBE, one SUBACK: on_subscribe says CONNECTED. */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    topics[i] = g_strdup_printf ("%s/+/%s", self->prefix, kinds[i]);
  sub_rc = mosquitto_subscribe_multiple (mosq, &self->sub_mid, G_N_ELEMENTS (kinds), topics, 1, 0,
                                         NULL);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_free (topics[i]);
  if (sub_rc != MOSQ_ERR_SUCCESS)
    g_debug ("cannot subscribe: %s", mosquitto_strerror (sub_rc));
}

static void
on_subscribe (struct mosquitto *mosq,
              void             *user_data,
              int               mid,
              int               qos_count,
              const int        *granted_qos)
{
  RlFeed *self = user_data;

  if (mid != self->sub_mid)
    return;
  for (int i = 0; i < qos_count && i < (int) G_N_ELEMENTS (kinds); i++)
    {
      if (granted_qos[i] < 0 || granted_qos[i] > 2)
        {
          /* 0x80: refused (permissions). Disconnect and try again later:
           * the broker's permissions may change. */
          g_autofree char *text = g_strdup_printf ("The broker refused the subscription to %s/+/%s",
                                                   self->prefix, kinds[i]);

          rl_feed_set_state_code (self, RL_FEED_STATE_RECONNECTING, RL_FEED_ERROR_SUBSCRIBE, text);
          mosquitto_disconnect (mosq);
          return;
        }
      if (granted_qos[i] == 0)
        g_debug ("the broker granted QoS 0 for %s/+/%s: what is sent while the console is away "
                 "may be lost",
                 self->prefix, kinds[i]);
    }
  self->session_up = TRUE;
  self->session_up_us = g_get_monotonic_time ();
  rl_feed_set_state (self, RL_FEED_STATE_CONNECTED, NULL);
  /* Subscribed again after losing a session: the gap, for support. */
  if (self->outage_from_ms != 0)
    {
      Msg *msg = g_new0 (Msg, 1);

      msg->kind = MSG_OUTAGE;
      msg->outage_from_ms = self->outage_from_ms;
      msg->ts_ms = g_get_real_time () / 1000;
      msg->lost_url = g_steal_pointer (&self->outage_lost_url);
      msg->resumed_url = g_strdup (current_endpoint (self)->url);
      g_debug ("MQTT: subscribed on %s after an outage of %" G_GINT64_FORMAT " ms",
               msg->resumed_url, msg->ts_ms - msg->outage_from_ms);
      self->outage_from_ms = 0;
      g_async_queue_push (self->queue, msg);
    }
}

static void
on_disconnect (struct mosquitto *mosq G_GNUC_UNUSED,
               void                  *user_data,
               int                    rc)
{
  RlFeed *self = user_data;

  /* 0: asked for (rl_feed_stop, a refused subscription); a refused CONNACK:
   * on_connect said why. */
  if (rc == 0 || rc == MOSQ_ERR_CONN_REFUSED)
    return;
  if (self->session_up)
    rl_feed_set_state_code (self, RL_FEED_STATE_RECONNECTING, RL_FEED_ERROR_CONNECTION_LOST,
                            "The connection to the broker was lost");
  else if (self->connack)
    /* RabbitMQ does so when the session's queue lives on a node that is
     * down (a classic queue: docs/feed.md "Several brokers"). */
    rl_feed_set_state_code (self, RL_FEED_STATE_RECONNECTING, RL_FEED_ERROR_SESSION,
                            "The broker accepted the connection, then closed it before granting "
                            "the subscriptions");
  else
    rl_feed_set_state_code (self, RL_FEED_STATE_RECONNECTING, RL_FEED_ERROR_UNREACHABLE,
                            rc == MOSQ_ERR_ERRNO ? g_strerror (errno) : mosquitto_strerror (rc));
}

/* ---- network thread ------------------------------------------------------ */

/* What libmosquitto logged during the handshake, as an RL_FEED_ERROR_TLS_*. */
static void
report_tls_failure (RlFeed *self)
{
  g_autofree char *detail = NULL;
  g_autofree char *text = NULL;
  gboolean         host;
  RlFeedError      code;

  g_mutex_lock (&self->lock);
  host = self->tls_host;
  detail = g_steal_pointer (&self->tls_detail);
  g_mutex_unlock (&self->lock);

  if (host)
    {
      code = RL_FEED_ERROR_TLS_HOST;
      text = g_strdup_printf ("The broker's certificate is not valid for the host name %s",
                              current_endpoint (self)->host);
    }
  else if (detail != NULL && strstr (detail, "certificate verify failed") != NULL)
    {
      code = RL_FEED_ERROR_TLS_UNTRUSTED;
      text = g_strdup_printf ("The broker's certificate is not signed by a trusted CA (%s)",
                              detail);
    }
  else
    {
      code = RL_FEED_ERROR_TLS_FAILED;
      text = g_strdup_printf ("The TLS handshake with the broker failed (%s)",
                              detail != NULL ? detail : "no detail");
    }
  rl_feed_set_state_code (self, RL_FEED_STATE_RECONNECTING, code, text);
}

/* Which address family of @host answers on @port: libmosquitto's async
 * connect keeps the first resolved address whose connect() did not fail at
 * once, so a name that resolves to ::1 (or any AAAA) first and a broker on
 * IPv4 only never connects. Each address gets a TCP connect of its own
 * (≤ 3 s); the first that connects names the family, and the attempt binds
 * to that family's wildcard address so that libmosquitto skips the others.
 * NULL: one address only, or none answered (libmosquitto says why). */
static const char *
reachable_family_bind (const char *host,
                       int         port)
{
  struct addrinfo  hints = { 0 }, *list = NULL;
  g_autofree char *service = g_strdup_printf ("%d", port);
  const char      *bind_address = NULL;
  gboolean         several_families = FALSE;

  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo (host, service, &hints, &list) != 0 || list == NULL)
    return NULL;
  for (struct addrinfo *a = list->ai_next; a != NULL; a = a->ai_next)
    several_families |= a->ai_family != list->ai_family;
  for (struct addrinfo *a = list; several_families && a != NULL && bind_address == NULL;
       a = a->ai_next)
    {
      int           fd = socket (a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
      struct pollfd pfd;
      int           error = 0;
      socklen_t     len = sizeof error;

      if (fd < 0)
        continue;
      if (connect (fd, a->ai_addr, a->ai_addrlen) == 0
          || (errno == EINPROGRESS
              && (pfd = (struct pollfd){ fd, POLLOUT, 0 }, poll (&pfd, 1, 3000) == 1)
              && getsockopt (fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0))
        bind_address = a->ai_family == AF_INET6 ? "::" : "0.0.0.0";
      close (fd);
    }
  freeaddrinfo (list);
  return bind_address;
}

/* mosquitto_loop () reads one packet per call of QoS 0 and 1 messages, after
 * a select (): in a backlog most of the network thread's time went to those
 * system calls (bench-ingest). Once connected, this reads on while the
 * socket has more, up to READ_MORE_MAX packets: each read that finds nothing
 * leaves EAGAIN in errno (libmosquitto keeps a partial packet for later).
 * Live traffic comes a packet at a time, and a read that finds nothing is one
 * more system call per packet (the burst's main-loop lateness grew): after
 * such a read, the next READ_MORE_SKIP loops do not try. @skip is the
 * thread's count of loops still to skip. Returns what mosquitto_loop_read ()
 * returns. */
static int
read_more (RlFeed *self,
           guint  *skip)
{
  int   rc = MOSQ_ERR_SUCCESS;
  guint n = 0;

  if (*skip > 0)
    {
      (*skip)--;
      return MOSQ_ERR_SUCCESS;
    }
  if (!self->connack || mosquitto_socket (self->mosq) < 0)
    return MOSQ_ERR_SUCCESS;
  for (; n < READ_MORE_MAX && rc == MOSQ_ERR_SUCCESS && !stopping (self); n++)
    {
      errno = 0;
      rc = mosquitto_loop_read (self->mosq, 1);
      if (errno == EAGAIN || errno == EWOULDBLOCK || mosquitto_socket (self->mosq) < 0)
        break;
    }
  if (n == 0)
    *skip = READ_MORE_SKIP;
  return rc;
}

static gpointer
network_main (gpointer user_data)
{
  RlFeed *self = user_data;
  guint   backoff_s = 0; /* the first attempt is now */
  guint   skip = 0;

  while (wait_unless_stopped (self, backoff_s))
    {
      RlFeedEndpoint *endpoint = current_endpoint (self);
      int             rc;

      g_mutex_lock (&self->lock);
      self->tls_host = FALSE;
      g_clear_pointer (&self->tls_detail, g_free);
      g_mutex_unlock (&self->lock);
      rl_feed_nodes_set_attempt (self, self->rotation.current);
      self->session_up = FALSE;
      self->connack = FALSE;
      /* on_log is for the handshake's errors; on_connect unsets it. */
      mosquitto_log_callback_set (self->mosq, on_log);
      g_debug ("MQTT: connecting to %s", endpoint->url);

      rc = mosquitto_connect_bind_async (self->mosq, endpoint->host, endpoint->port, KEEPALIVE_S,
                                         reachable_family_bind (endpoint->host, endpoint->port));
      if (rc == MOSQ_ERR_SUCCESS)
        {
          gint64 deadline = g_get_monotonic_time () + CONNECT_TIMEOUT_S * G_USEC_PER_SEC;

          while (!stopping (self)
                 && (rc = mosquitto_loop (self->mosq, POLL_MS, 1)) == MOSQ_ERR_SUCCESS
                 && (rc = read_more (self, &skip)) == MOSQ_ERR_SUCCESS)
            {
              /* libmosquitto 2.0.11 can stall in a TLS handshake that began
               * while the TCP connection was still being made (fixed in
               * 2.0.15), and a balancer with no broker behind it accepts and
               * says nothing: give up on the attempt (the next one closes its
               * socket) rather than wait for the keep-alive's 45 s. */
              if (!self->connack && g_get_monotonic_time () > deadline)
                {
                  rc = MOSQ_ERR_TIMEOUT;
                  break;
                }
            }
          if (stopping (self))
            break;
          /* The callbacks said why the connection ended, except for a
           * failed handshake and our time-out. */
          if (rc == MOSQ_ERR_TLS)
            report_tls_failure (self);
          else if (rc == MOSQ_ERR_TIMEOUT)
            rl_feed_set_state_code (self, RL_FEED_STATE_RECONNECTING, RL_FEED_ERROR_UNREACHABLE,
                                    "The broker did not answer in time");
        }
      else if (rc == MOSQ_ERR_TLS)
        report_tls_failure (self);
      else
        rl_feed_set_state_code (self, RL_FEED_STATE_RECONNECTING, RL_FEED_ERROR_UNREACHABLE,
                                rc == MOSQ_ERR_ERRNO ? g_strerror (errno)
                                                     : mosquitto_strerror (rc));

      /* An outage starts when a session that worked ends; it ends when the
       * feed is subscribed again, on whichever node (on_subscribe). */
      if (self->session_up && self->outage_from_ms == 0)
        {
          self->outage_from_ms = g_get_real_time () / 1000;
          g_free (self->outage_lost_url);
          self->outage_lost_url = g_strdup (endpoint->url);
        }
      /* The next node, at once or after the backoff (rl-feed-nodes.c). */
      backoff_s = rl_feed_rotation_next (
          &self->rotation, self->session_up
                               && g_get_monotonic_time () - self->session_up_us
                                      >= RL_FEED_SESSION_WORKED_S * G_USEC_PER_SEC);
      g_debug ("MQTT: next attempt on %s in %u s", current_endpoint (self)->url, backoff_s);
    }
  return NULL;
}

/* ---- main thread --------------------------------------------------------- */

gboolean
rl_feed_net_setup (RlFeed             *self,
                   const RlFeedConfig *config,
                   const char         *client_id,
                   gboolean            tls,
                   GError            **error)
{
  int rc = MOSQ_ERR_SUCCESS;

  g_assert (self->mosq == NULL);

  if (tls && config->ca_file != NULL && *config->ca_file != '\0'
      && !check_ca_file (config->ca_file, error))
    return FALSE;

  self->mosq = mosquitto_new (client_id, false, self);
  if (self->mosq == NULL)
    {
      g_set_error (error, RL_FEED_ERROR, RL_FEED_ERROR_FAILED, "Cannot create an MQTT client: %s",
                   g_strerror (errno));
      return FALSE;
    }
  /* Our thread runs the loop: calls from the main thread (disconnect) only
   * queue and wake it. */
  mosquitto_threaded_set (self->mosq, true);
  mosquitto_int_option (self->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_log_callback_set (self->mosq, on_log);
  mosquitto_connect_callback_set (self->mosq, on_connect);
  mosquitto_subscribe_callback_set (self->mosq, on_subscribe);
  mosquitto_disconnect_callback_set (self->mosq, on_disconnect);
  if (config->username != NULL && *config->username != '\0')
    mosquitto_username_pw_set (self->mosq, config->username, config->password);
  if (tls)
    {
      gboolean with_file = config->ca_file != NULL && *config->ca_file != '\0';

      /* The system's CAs, and those of the ca-file setting too ("additional
       * certificate authorities", the setting says). */
      rc = mosquitto_int_option (self->mosq, MOSQ_OPT_TLS_USE_OS_CERTS, 1);
      if (rc == MOSQ_ERR_SUCCESS && with_file)
        rc = mosquitto_tls_set (self->mosq, config->ca_file, NULL, NULL, NULL, NULL);
      /* libmosquitto 2.0.11 (Debian 12) sets its TLS context up again on
       * every connection attempt, and with the system's CAs alone (no CA
       * file) it refuses to from the second one on ("MOSQ_OPT_SSL_CTX_WITH_
       * DEFAULTS used without specifying cafile"): the feed never came back
       * after its first disconnection (upstream #2288, fixed in 2.0.12).
       * Without "defaults" it sets the context up in full once (nothing in it
       * can fail halfway with the system's CAs alone) and keeps it; later
       * versions set it up every time whatever this says. */
      if (rc == MOSQ_ERR_SUCCESS && !with_file)
        rc = mosquitto_int_option (self->mosq, MOSQ_OPT_SSL_CTX_WITH_DEFAULTS, 0);
      /* Verification is never off: the chain and the host name. */
      if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_tls_opts_set (self->mosq, TLS_VERIFY_PEER, NULL, NULL);
      if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_tls_insecure_set (self->mosq, false);
    }
  if (rc != MOSQ_ERR_SUCCESS)
    {
      g_set_error (error, RL_FEED_ERROR, RL_FEED_ERROR_FAILED, "Cannot enable TLS: %s",
                   mosquitto_strerror (rc));
      g_clear_pointer (&self->mosq, mosquitto_destroy);
      return FALSE;
    }
  return TRUE;
}

void
rl_feed_net_start (RlFeed *self)
{
  g_assert (self->mosq != NULL && self->network == NULL);

  g_atomic_int_set (&self->net_stop, FALSE);
  self->network = g_thread_new ("reloop-feed-net", network_main, self);
}

void
rl_feed_net_stop (RlFeed *self)
{
  if (self->mosq == NULL)
    return;

  g_mutex_lock (&self->lock);
  g_atomic_int_set (&self->net_stop, TRUE);
  g_cond_broadcast (&self->net_cond);
  g_mutex_unlock (&self->lock);
  /* Sends DISCONNECT and wakes the thread's select. */
  mosquitto_disconnect (self->mosq);
  if (self->network != NULL)
    g_thread_join (g_steal_pointer (&self->network));
  g_clear_pointer (&self->mosq, mosquitto_destroy);
}
