/* test-feed-tls.c — mqtts:// for real: a CA and server certificates made
 * at test time with the openssl command line (nothing committed), a
 * mosquitto with a TLS listener, and the feed refusing it without the CA,
 * accepting it with the ca-file setting, and refusing a certificate made
 * out to another host name.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The broker has two listeners: a plain one for the test's publisher and
 * the TLS one the feed connects to, so "refused" is checked against
 * readings that really were published.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "feed-test-util.h"
#include "rl-test-certs.h"
#include "rl-test-util.h"
#include "rl-time.h"

/* The certificates of this run (rl-test-certs->h). */
static RlTestCerts *certs;

/* The publisher reconnects by itself: reconnect restarts the broker. */
static const FeedTestPublisherOptions reconnecting = { .reconnect = TRUE };

typedef FeedTestFixture Fixture;

/* @data: TRUE for a broker whose certificate is made out to another host. */
static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  gboolean            wrong_host = GPOINTER_TO_INT (data);
  RlTestBrokerOptions options = {
    .cafile = certs->ca,
    .certfile = wrong_host ? certs->wrong_cert : certs->good_cert,
    .keyfile = wrong_host ? certs->wrong_key : certs->good_key,
  };
  g_autoptr (GError) error = NULL;

  f->broker = rl_test_broker_start_full (&options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->broker->tls_url);
  f->store = feed_test_store_new (&f->dir);
  feed_test_publisher_start_full (&f->pub, f->broker->port, &reconnecting);
}

static void
fixture_tear_down (Fixture           *f,
                   gconstpointer data G_GNUC_UNUSED)
{
  feed_test_fixture_tear_down (f);
}

static void
feed_start (Fixture    *f,
            const char *url,
            const char *ca_file)
{
  f->feed = feed_test_feed_start (f->store, url, ca_file);
}

static guint
count_in (const char *text,
          const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* How many TLS connections the broker has seen: the feed keeps trying after
 * a refusal. mosquitto says either "New connection from … on port
 * TLS_PORT." (then the handshake fails), or, when the client's hello is
 * already there as it accepts and the handshake fails at once, only
 * "Client connection from … failed: …" (no port: only TLS accepts fail
 * that way; the publisher's plain connections never do). Which one depends
 * on timing: a fresh machine logged the second form for every retry. */
static guint
tls_connections (RlTestBroker *broker)
{
  g_autofree char *log = NULL;
  g_autofree char *needle = g_strdup_printf (" on port %u.", broker->tls_port);

  if (!g_file_get_contents (broker->log_path, &log, NULL, NULL))
    return 0;
  return count_in (log, needle) + count_in (log, "Client connection from ");
}

typedef struct
{
  RlTestBroker *broker;
  guint         n;
} ConnWait;

static gboolean
tls_connections_reached (gpointer user_data)
{
  ConnWait *w = user_data;

  return tls_connections (w->broker) >= w->n;
}

typedef struct
{
  RlFeed     *feed;
  RlFeedError code;
} ErrorWait;

static gboolean
refused_with (gpointer user_data)
{
  ErrorWait    *w = user_data;
  const GError *error = rl_feed_get_error (w->feed);

  return rl_feed_get_state (w->feed) == RL_FEED_STATE_RECONNECTING && error != NULL
         && error->domain == RL_FEED_ERROR && error->code == (int) w->code;
}

/* The feed is refused with @code and says so as its state; it keeps
 * retrying (the broker sees another handshake, refused the same way), and
 * stores none of the readings published meanwhile. (An attempt that
 * libmosquitto 2.0.11 lets stall says "did not answer" after 10 s, then
 * the next one is refused: hence the generous waits.) */
static void
assert_refused (Fixture    *f,
                RlFeedError code)
{
  g_autofree char *payload = feed_test_bin_reading ("bin-1", 91, rl_time_now_ms ());
  ErrorWait        refused = { f->feed, code };
  ConnWait         another = { f->broker, 0 };
  RlFeedCounters   c;

  if (!rl_test_wait_until (refused_with, &refused, 30000))
    g_error ("not refused with code %d: state %d, %s", code, rl_feed_get_state (f->feed),
             rl_feed_get_last_error (f->feed));
  g_test_message ("refused: %s", rl_feed_get_last_error (f->feed));

  feed_test_publish (&f->pub, "devices/bin-1/sensor-data", payload);
  /* Backoff: the next attempt comes 1 or 2 s later. */
  another.n = tls_connections (f->broker) + 1;
  if (!rl_test_wait_until (tls_connections_reached, &another, 30000))
    {
      rl_test_print_log_tail ("mosquitto", f->broker->log_path);
      g_error ("no other TLS connection from the feed (state %d: %s)", rl_feed_get_state (f->feed),
               rl_feed_get_last_error (f->feed));
    }
  /* Long enough for it to fail and the state to say so. */
  rl_test_run_main_loop (1000);
  g_assert_true (rl_test_wait_until (refused_with, &refused, 30000));

  rl_feed_get_counters (f->feed, &c);
  g_assert_cmpuint (c.received, ==, 0);
  g_assert_cmpuint (c.readings, ==, 0);
  g_assert_cmpint (feed_test_history_rows (f->store, "bin-1"), ==, 0);
  g_assert_cmpfloat (feed_test_cached_fill (f->store, "dp-1"), ==, 10);
}

/* The broker's certificate is signed by a CA the system does not know:
 * without the ca-file setting, mqtts:// is refused. */
static void
test_tls_no_ca (Fixture           *f,
                gconstpointer data G_GNUC_UNUSED)
{
  feed_start (f, f->broker->tls_url, NULL);
  assert_refused (f, RL_FEED_ERROR_TLS_UNTRUSTED);
}

/* A CA file with another CA in it is no better than none. */
static void
test_tls_other_ca (Fixture           *f,
                   gconstpointer data G_GNUC_UNUSED)
{
  feed_start (f, f->broker->tls_url, certs->other_ca);
  assert_refused (f, RL_FEED_ERROR_TLS_UNTRUSTED);
}

/* With the CA in the ca-file setting the feed connects, by IP address and
 * by name (both are in the certificate), and readings are stored. The
 * setting adds to the system's CAs: with the broker's CA in the system's
 * store (SSL_CERT_FILE) and another one in the file, it connects too. */
static void
test_tls_ca_file (Fixture           *f,
                  gconstpointer data G_GNUC_UNUSED)
{
  g_autofree char *by_name = g_strdup_printf ("mqtts://localhost:%u", f->broker->tls_port);
  const struct
  {
    const char *url;
    const char *ca_file;
    const char *system_ca;
  } cases[] = {
    { f->broker->tls_url, certs->ca, NULL },
    { by_name, certs->ca, NULL },
    { f->broker->tls_url, certs->other_ca, certs->ca },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *payload = feed_test_bin_reading ("bin-1", 50 + i, rl_time_now_ms () - 10 + i);

      g_test_message ("connecting to %s, ca-file %s, system CAs %s", cases[i].url,
                      cases[i].ca_file, cases[i].system_ca ? cases[i].system_ca : "(the system's)");
      if (cases[i].system_ca != NULL)
        g_setenv ("SSL_CERT_FILE", cases[i].system_ca, TRUE);
      if (f->feed != NULL)
        rl_feed_stop (f->feed);
      g_clear_object (&f->feed);
      feed_start (f, cases[i].url, cases[i].ca_file);
      /* CONNECTED comes with the SUBACK: a publish from now on arrives. */
      g_assert_true (feed_test_wait_state (f->feed, RL_FEED_STATE_CONNECTED, 30000));
      g_assert_null (rl_feed_get_error (f->feed));

      feed_test_publish (&f->pub, "devices/bin-1/sensor-data", payload);
      FEED_TEST_WAIT_COUNTER (f->feed, readings, 1);
      g_assert_cmpfloat (feed_test_cached_fill (f->store, "dp-1"), ==, 50 + i);
      g_assert_cmpint (feed_test_history_rows (f->store, "bin-1"), ==, i + 1);
      g_unsetenv ("SSL_CERT_FILE");
    }
  g_assert_cmpuint (rl_feed_get_n_rejected (f->feed), ==, 0);
}

/* The broker restarts: the feed comes back over TLS by itself, with the
 * ca-file setting and with the system's CAs. SSL_CERT_FILE stands in for
 * the system's store (OpenSSL reads it for its default paths); Debian 12's
 * libmosquitto could not set up TLS a second time with those alone. */
static void
test_tls_reconnect (Fixture           *f,
                    gconstpointer data G_GNUC_UNUSED)
{
  for (guint i = 0; i < 2; i++)
    {
      gboolean         system_store = i == 1;
      g_autofree char *payload = feed_test_bin_reading ("bin-2", 60 + i, rl_time_now_ms () - 10 + i);
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", system_store ? "the system's CAs" : "the ca-file setting");
      if (system_store)
        g_setenv ("SSL_CERT_FILE", certs->ca, TRUE);
      if (f->feed != NULL)
        rl_feed_stop (f->feed);
      g_clear_object (&f->feed);
      feed_start (f, f->broker->tls_url, system_store ? NULL : certs->ca);
      g_assert_true (feed_test_wait_state (f->feed, RL_FEED_STATE_CONNECTED, 30000));

      feed_test_publisher_stop (&f->pub);
      g_assert_true (rl_test_broker_restart (f->broker, &error));
      g_assert_no_error (error);
      g_assert_true (feed_test_wait_state (f->feed, RL_FEED_STATE_RECONNECTING, 15000));
      g_assert_error ((GError *) rl_feed_get_error (f->feed), RL_FEED_ERROR,
                      RL_FEED_ERROR_CONNECTION_LOST);
      g_assert_true (feed_test_wait_state (f->feed, RL_FEED_STATE_CONNECTED, 30000));

      feed_test_publisher_start_full (&f->pub, f->broker->port, &reconnecting);
      feed_test_publish (&f->pub, "devices/bin-2/sensor-data", payload);
      FEED_TEST_WAIT_COUNTER (f->feed, readings, 1);
      g_assert_cmpfloat (feed_test_cached_fill (f->store, "dp-2"), ==, 60 + i);
      g_unsetenv ("SSL_CERT_FILE");
    }
}

/* A certificate from the right CA, made out to another host name: refused
 * even though the chain is trusted. */
static void
test_tls_wrong_host (Fixture           *f,
                     gconstpointer data G_GNUC_UNUSED)
{
  feed_start (f, f->broker->tls_url, certs->ca);
  assert_refused (f, RL_FEED_ERROR_TLS_HOST);
}

/* A ca-file setting that names no CA is a configuration error at start, not
 * an endless "untrusted" later. */
static void
test_tls_bad_ca_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr (RlStore) store = feed_test_store_new (&dir);
  g_autofree char *missing = g_build_filename (dir, "no-such-ca.crt", NULL);
  g_autofree char *not_pem = g_build_filename (dir, "not-a-ca.crt", NULL);
  const char      *paths[] = { missing, not_pem, certs->good_key };

  g_assert_true (g_file_set_contents (not_pem, "not a certificate\n", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (RlFeed) feed = rl_feed_new (store);
      RlFeedConfig config = { .url = "mqtts://127.0.0.1:1", .ca_file = paths[i] };

      g_test_message ("ca-file %s", paths[i]);
      g_assert_false (rl_feed_start (feed, &config, &error));
      g_assert_error (error, RL_FEED_ERROR, RL_FEED_ERROR_CA_FILE);
      g_assert_cmpint (rl_feed_get_state (feed), ==, RL_FEED_STATE_STOPPED);
      g_clear_error (&error);
    }
  /* mqtt:// has no use for it: not checked. */
  {
    g_autoptr (RlFeed) feed = rl_feed_new (store);
    RlFeedConfig config = { .url = "mqtt://127.0.0.1:1", .ca_file = missing, .client_id = "t" };

    g_assert_true (rl_feed_start (feed, &config, &error));
    g_assert_no_error (error);
    rl_feed_stop (feed);
  }
  g_clear_object (&store);
  feed_test_store_remove (dir);
}

int
main (int    argc,
      char **argv)
{
  int rc;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  certs = rl_test_certs_make ();

  g_test_add_func ("/feed/tls/bad-ca-file", test_tls_bad_ca_file);
#define ADD(path, wrong_host, fn)                                                           \
  g_test_add ("/feed/tls/" path, Fixture, GINT_TO_POINTER (wrong_host), fixture_set_up, fn, \
              fixture_tear_down)
  ADD ("no-ca", FALSE, test_tls_no_ca);
  ADD ("other-ca", FALSE, test_tls_other_ca);
  ADD ("ca-file", FALSE, test_tls_ca_file);
  ADD ("reconnect", FALSE, test_tls_reconnect);
  ADD ("wrong-host", TRUE, test_tls_wrong_host);
#undef ADD

  rc = g_test_run ();
  rl_test_certs_free (certs);
  return rc;
}
