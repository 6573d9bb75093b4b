/* rl-dev-private.h — shared state and helpers of reloop-devserver.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "rl-dev-sim.h"

G_BEGIN_DECLS

#define RL_DEV_MAX_BODY (1024 * 1024)
#define RL_DEV_DEMO_PASSWORD "reloop-demo"

typedef enum
{
  RL_DEV_ROLE_DISPATCHER = 1 << 0,
  RL_DEV_ROLE_SUPPORT = 1 << 1,
  RL_DEV_ROLE_ADMIN = 1 << 2,
} RlDevRole;

#define RL_DEV_ROLE_ANY (RL_DEV_ROLE_DISPATCHER | RL_DEV_ROLE_SUPPORT | RL_DEV_ROLE_ADMIN)

typedef struct
{
  const char *id;
  const char *name;
  const char *email;
  const char *role_name;
  RlDevRole   role;
} RlDevUser;

typedef struct _RlDevServer RlDevServer;

struct _RlDevServer
{
  sqlite3 *db;
  char    *db_path;
  gboolean db_is_temp;
  guint32  seed;
  GRand   *rand;    /* faults, latencies, simulation */
  gint64   seq;     /* last seq handed out */
  gint64   horizon; /* since < horizon → 410 */
  guint    token_ttl_s;
  gboolean no_tiles; /* --no-tiles: /tiles answers 404 */

  sqlite3_stmt *st_put;
  sqlite3_stmt *st_get;
  sqlite3_stmt *st_del;
  sqlite3_stmt *st_meta_get;
  sqlite3_stmt *st_meta_put;

  SoupServer *http;

  /* auth */
  GHashTable *access_tokens;  /* token → RlDevToken */
  GHashTable *refresh_tokens; /* token → RlDevRefresh */

  /* idempotency: "userid\nkey" → RlDevIdem */
  GHashTable *idem;
  GQueue      idem_order; /* keys, oldest first, for eviction */

  /* faults */
  GPtrArray *fault_rules; /* RlDevFaultRule */

  /* request log */
  GPtrArray *reqlog; /* char* JSON objects */
  gint64     reqlog_seq;
  FILE      *reqlog_file;

  /* device id → drop point id */
  GHashTable *devices;
  /* "dropPointId\tTYPE" of open/acknowledged alerts */
  GHashTable *active_alerts;

  RlDevSim *sim;
  guint64   batches_applied;
  guint64   readings_applied;
  guint     tick_id;
  guint     ticks;

  /* providers' health over time (rl-dev-provider-health.c) */
  guint  health_interval_s; /* 0: no periodic checks */
  guint  health_ticks;
  char  *health_last_id; /* round robin */
  GRand *health_rand;
  GRand *test_rand;

  guint  sync_ticks;       /* rl_dev_sync_tick: jobs' lag and counts move */
  GRand *drift_rand;       /* … drawn from its own generator */
  guint  drift_interval_s; /* --drift-interval; 0: no drift */
  guint  extra_runs;       /* --runs: finished runs seeded besides the history */
};

typedef struct
{
  const RlDevUser *user;
  gint64           expires_ms;
} RlDevToken;

/* One request under way. */
typedef struct
{
  RlDevServer       *srv;
  SoupServerMessage *msg;
  const char        *method;
  const char        *path;  /* full path */
  char             **parts; /* path after /api/v1, split on '/' */
  guint              n_parts;
  GHashTable        *query; /* may be NULL */
  JsonNode          *body;  /* parsed request body, may be NULL */
  const char        *body_text;
  gsize              body_len;
  const RlDevUser   *user;

  guint       status;
  GString    *resp;
  char       *etag;
  char       *allow;
  guint       retry_after;
  const char *content_type;
  gboolean    replayed; /* answered from the Idempotency-Key store */
} RlDevReq;

/* rl-dev-db.c */
gboolean rl_dev_db_open (RlDevServer *srv, GError **error);
void     rl_dev_db_close (RlDevServer *srv);
gboolean rl_dev_db_exec (RlDevServer *srv, const char *sql, GError **error);
void     rl_dev_db_begin (RlDevServer *srv);
void     rl_dev_db_commit (RlDevServer *srv);
gint64   rl_dev_db_next_seq (RlDevServer *srv);
char    *rl_dev_db_meta_get (RlDevServer *srv, const char *key);
void     rl_dev_db_meta_set (RlDevServer *srv, const char *key, const char *value);
char    *rl_dev_db_next_id (RlDevServer *srv, const char *prefix, guint width);
void     rl_dev_db_put_raw (RlDevServer *srv,
                            const char  *entity,
                            const char  *id,
                            const char  *tag,
                            gint64       version,
                            const char  *json);
void     rl_dev_db_put (
        RlDevServer *srv, const char *entity, const char *id, const char *tag, JsonObject *record);
JsonObject *rl_dev_db_get (RlDevServer *srv, const char *entity, const char *id);
gboolean    rl_dev_db_delete (RlDevServer *srv, const char *entity, const char *id);
gboolean    rl_dev_db_list (RlDevServer *srv,
                            const char  *entity,
                            const char  *tag,
                            const char  *after_id,
                            guint        limit,
                            gboolean     newest_first,
                            GString     *out_array,
                            char       **out_last_id,
                            gint64      *out_total);
gint64      rl_dev_db_count (RlDevServer *srv, const char *entity);
char       *rl_dev_json_to_string (JsonNode *node);
const char *rl_dev_json_string (JsonObject *object, const char *key, const char *fallback);
gint64      rl_dev_json_int (JsonObject *object, const char *key, gint64 fallback);
double      rl_dev_json_double (JsonObject *object, const char *key, double fallback);
gboolean    rl_dev_json_bool (JsonObject *object, const char *key, gboolean fallback);
JsonObject *rl_dev_json_parse_object (const char *text);

/* rl-dev-seed.c */
gboolean rl_dev_seed (RlDevServer *srv, guint n_drop_points, GError **error);
void     rl_dev_seed_load_indexes (RlDevServer *srv);
void     rl_dev_providers_seed (RlDevServer *srv, GRand *rand);
void     rl_dev_workflows_seed (RlDevServer *srv, GRand *rand);
void     rl_dev_sync_seed (RlDevServer *srv, GRand *rand);

/* rl-dev-provider-types.c */
const char *rl_dev_provider_types_json (void);
JsonArray  *rl_dev_provider_type_fields (const char *type, const char **out_kind);

/* rl-dev-http.c */
gboolean
                 rl_dev_http_start (RlDevServer *srv, const char *bind, guint port, guint *out_port, GError **error);
const RlDevUser *rl_dev_users (guint *n_users);
const RlDevUser *rl_dev_user_by_email (const char *email);
void             rl_dev_reply_raw (RlDevReq *req, guint status, const char *data_json);
void             rl_dev_reply_node (RlDevReq *req, guint status, JsonNode *data);
void             rl_dev_reply_object (RlDevReq *req, guint status, JsonObject *data);
void             rl_dev_reply_list (RlDevReq *req, GString *array_json, const char *next_cursor, gint64 total);
void             rl_dev_reply_paged (RlDevReq *req, const char *data_json, const char *pagination_json);
gboolean
     rl_dev_parse_uint_param (RlDevReq *req, const char *key, gint64 min, gint64 max, gint64 *value);
void rl_dev_reply_error (
    RlDevReq *req, guint status, const char *code, const char *message, JsonObject *details);
void        rl_dev_reply_record (RlDevReq *req, guint status, JsonObject *record);
void        rl_dev_reply_fields (RlDevReq *req, JsonObject *fields);
void        rl_dev_reply_invalid_state (RlDevReq *req, JsonObject *current, const char *message);
gboolean    rl_dev_require_role (RlDevReq *req, guint roles);
gboolean    rl_dev_check_if_match (RlDevReq *req, JsonObject *current, gboolean required);
gboolean    rl_dev_page_params (RlDevReq *req, guint *limit, char **after_id);
char       *rl_dev_cursor_encode (const char *last_id);
JsonObject *rl_dev_body_object (RlDevReq *req);
void        rl_dev_method_not_allowed (RlDevReq *req, const char *allow);
void        rl_dev_not_found (RlDevReq *req);
char       *rl_dev_now_string (void);
/* Sets object[key] to the RFC 3339 form of ms. */
void rl_dev_set_time (JsonObject *object, const char *key, gint64 ms);
void rl_dev_touch_record (JsonObject *record, gboolean bump_version);

/* rl-dev-auth.c */
void             rl_dev_auth_init (RlDevServer *srv);
void             rl_dev_auth_handle (RlDevReq *req);
const RlDevUser *rl_dev_auth_lookup (RlDevServer *srv, const char *access_token);
void             rl_dev_auth_expire_all (RlDevServer *srv);

/* rl-dev-drop-points.c */
void rl_dev_drop_points_handle (RlDevReq *req);
void rl_dev_list_reply (RlDevReq *req, const char *entity, const char *tag, gboolean newest_first);
void rl_dev_alerts_handle (RlDevReq *req);
void rl_dev_changes_handle (RlDevReq *req);
void rl_dev_apply_batch (const RlDevSimReading *readings,
                         guint                  n_readings,
                         const RlDevSimStatus  *statuses,
                         guint                  n_statuses,
                         const RlDevSimAlert   *alerts,
                         guint                  n_alerts,
                         gpointer               user_data);
void rl_dev_offline_scan (RlDevServer *srv);
void rl_dev_alert_raise (RlDevServer *srv,
                         const char  *drop_point_id,
                         const char  *device_id,
                         const char  *type,
                         const char  *severity,
                         const char  *message,
                         gint64       at_ms);

/* rl-dev-providers.c */
void rl_dev_providers_handle (RlDevReq *req);

/* rl-dev-provider-health.c */
JsonObject *rl_dev_provider_health_new (const char *state,
                                        gint64      failures,
                                        gint64      latency,
                                        const char *last_error);
/* Writes one check's outcome to @provider's health (3 failures in a row:
 * circuit_open) and stores it (new seq, same version). */
void rl_dev_provider_record_check (
    RlDevServer *srv, JsonObject *provider, gboolean ok, gint64 latency, const char *message);
/* Whether the next connection test fails by chance (1 in 10, per --seed). */
gboolean rl_dev_provider_test_fails (RlDevServer *srv);
void     rl_dev_providers_tick (RlDevServer *srv);
/* @count failed checks now; the stored provider, or NULL when unknown. */
JsonObject *rl_dev_provider_force_failures (RlDevServer *srv,
                                            const char  *id,
                                            guint        count,
                                            const char  *message);

/* rl-dev-workflows.c */
void rl_dev_workflows_handle (RlDevReq *req);
void rl_dev_runs_handle (RlDevReq *req);
void rl_dev_workflows_tick (RlDevServer *srv);
/* A running run older than this is a zombie: the tick leaves it alone. */
#define RL_DEV_ZOMBIE_AFTER_MS (3600 * 1000)
void        rl_dev_run_add_log (RlDevServer *srv,
                                const char  *run_id,
                                const char  *level,
                                const char  *step_id,
                                const char  *message,
                                gint64       at_ms);
JsonObject *rl_dev_run_new (RlDevServer *srv,
                            JsonObject  *workflow,
                            const char  *trigger);
void        rl_dev_run_start (RlDevServer *srv,
                              JsonObject  *workflow,
                              const char  *trigger,
                              JsonObject **out_run);

/* rl-dev-sync.c */
void       rl_dev_sync_handle (RlDevReq *req);
void       rl_dev_conflicts_handle (RlDevReq *req);
void       rl_dev_sync_tick (RlDevServer *srv);
JsonArray *rl_dev_conflicts_create (RlDevServer *srv, guint count);

/* rl-dev-control.c */
void     rl_dev_control_handle (RlDevServer *srv, RlDevReq *req);
gboolean rl_dev_faults_parse_spec (RlDevServer *srv, const char *spec, GError **error);
void     rl_dev_reqlog_add (RlDevServer *srv,
                            RlDevReq    *req,
                            guint        status,
                            const char  *fault,
                            const char  *idem_key,
                            const char  *if_match);

/* Fault decided for a request. */
typedef struct
{
  char *kind; /* status html truncate drop latency */
  guint status;
  char *code;
  guint retry_after;
  guint min_ms, max_ms;
} RlDevFault;

RlDevFault *rl_dev_faults_pick (RlDevServer *srv, const char *method, const char *path);
void        rl_dev_fault_free (RlDevFault *fault);
void        rl_dev_fault_rule_free (gpointer rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlDevFault, rl_dev_fault_free)

G_END_DECLS
