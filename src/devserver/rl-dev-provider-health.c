/* rl-dev-provider-health.c — providers' health over time: a periodic check
 * of one provider at a time (occasional failures; 3 in a row open the
 * circuit), the sometimes-failing connection test, and failures forced by
 * the /__dev control endpoint.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rl-dev-private.h"

/* One check fails with this probability (and with "simulate": "fail"). */
#define CHECK_FAILURE_RATE 0.06
/* One connection test in this many fails as a timeout (deterministic per
 * --seed: the n-th test of a run always gives the same answer). */
#define TEST_FAILURE_ONE_IN 10
#define TICK_MS 300

static GRand *
health_rand (RlDevServer *srv)
{
  if (srv->health_rand == NULL)
    srv->health_rand = g_rand_new_with_seed (srv->seed ^ 0x4ea1);
  return srv->health_rand;
}

static gboolean
simulates (JsonObject *provider,
           const char *flag)
{
  JsonObject *config = json_object_get_object_member (provider, "config");
  const char *sim = config ? rl_dev_json_string (config, "simulate", NULL) : NULL;

  return sim != NULL && g_str_equal (sim, flag);
}

JsonObject *
rl_dev_provider_health_new (const char *state,
                            gint64      failures,
                            gint64      latency,
                            const char *last_error)
{
  JsonObject      *h = json_object_new ();
  g_autofree char *now = rl_dev_now_string ();

  json_object_set_string_member (h, "state", state);
  json_object_set_int_member (h, "consecutiveFailures", failures);
  if (g_str_equal (state, "unknown"))
    json_object_set_null_member (h, "lastCheckedAt");
  else
    json_object_set_string_member (h, "lastCheckedAt", now);
  json_object_set_int_member (h, "latencyMs", latency);
  if (last_error)
    json_object_set_string_member (h, "lastError", last_error);
  else
    json_object_set_null_member (h, "lastError");
  return h;
}

void
rl_dev_provider_record_check (RlDevServer *srv,
                              JsonObject  *provider,
                              gboolean     ok,
                              gint64       latency,
                              const char  *message)
{
  JsonObject *health = json_object_get_object_member (provider, "health");
  gint64      failures = health ? rl_dev_json_int (health, "consecutiveFailures", 0) : 0;

  if (ok)
    json_object_set_object_member (
        provider, "health",
        rl_dev_provider_health_new (latency > 2000 ? "degraded" : "healthy", 0, latency, NULL));
  else
    {
      failures++;
      json_object_set_object_member (
          provider, "health",
          rl_dev_provider_health_new (failures >= 3 ? "circuit_open" : "down", failures, latency,
                                      message));
    }
  /* health is server-managed: a new seq, no version bump */
  rl_dev_db_put (srv, "provider", json_object_get_string_member (provider, "id"), NULL, provider);
}

gboolean
rl_dev_provider_test_fails (RlDevServer *srv)
{
  if (srv->test_rand == NULL)
    srv->test_rand = g_rand_new_with_seed (srv->seed ^ 0x7e57);
  return g_rand_int_range (srv->test_rand, 0, TEST_FAILURE_ONE_IN) == 0;
}

/* The next provider to check, round robin by id: enabled, circuit closed. */
static JsonObject *
next_provider (RlDevServer *srv)
{
  sqlite3_stmt *stmt = NULL;
  JsonObject   *found = NULL;

  for (int pass = 0; pass < 2 && found == NULL; pass++)
    {
      sqlite3_prepare_v2 (srv->db,
                          "SELECT id FROM records WHERE entity = 'provider' AND deleted = 0"
                          " AND id > ?1 AND json_extract (data, '$.enabled') = 1"
                          " AND json_extract (data, '$.health.state') != 'circuit_open'"
                          " ORDER BY id LIMIT 1",
                          -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, pass == 0 && srv->health_last_id ? srv->health_last_id : "", -1,
                         SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_free (srv->health_last_id);
          srv->health_last_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          found = rl_dev_db_get (srv, "provider", srv->health_last_id);
        }
      sqlite3_finalize (stmt);
    }
  return found;
}

void
rl_dev_providers_tick (RlDevServer *srv)
{
  g_autoptr (JsonObject) provider = NULL;
  GRand   *rand = health_rand (srv);
  gint64   latency;
  gboolean ok;

  if (srv->health_interval_s == 0
      || ++srv->health_ticks < (srv->health_interval_s * 1000 + TICK_MS - 1) / TICK_MS)
    return;
  srv->health_ticks = 0;
  /* Draw before choosing, so the sequence of outcomes depends on the seed
   * alone, not on which providers exist. */
  ok = g_rand_double (rand) >= CHECK_FAILURE_RATE;
  latency = g_rand_int_range (rand, 40, 450);
  if (g_rand_double (rand) < 0.05)
    latency += 2500;
  if ((provider = next_provider (srv)) == NULL)
    return;
  if (simulates (provider, "fail"))
    ok = FALSE;
  if (simulates (provider, "slow"))
    latency += 2500;
  rl_dev_provider_record_check (srv, provider, ok, ok ? latency : 5000,
                                ok ? NULL : "Health check timed out after 5000 ms");
}

JsonObject *
rl_dev_provider_force_failures (RlDevServer *srv,
                                const char  *id,
                                guint        count,
                                const char  *message)
{
  JsonObject *provider = rl_dev_db_get (srv, "provider", id);

  if (provider == NULL)
    return NULL;
  for (guint i = 0; i < count; i++)
    rl_dev_provider_record_check (srv, provider, FALSE, 5000,
                                  message ? message : "HTTP 503 Service Unavailable (forced)");
  return provider;
}
