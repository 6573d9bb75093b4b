/* test-devserver-http.c — the devserver's HTTP contract: envelope, auth,
 * roles, pagination, If-Match, idempotency, validation, changes feed.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "ds-test.h"

static RlTestDevserver *server;

#define H(...) ((const char *const[]){ __VA_ARGS__, NULL })

static char *
login (const char *who)
{
  g_autofree char *email = g_strdup_printf ("%s@demo.reloop.np", who);

  return rl_test_login (server, email);
}

static void
test_envelope (void)
{
  g_autofree char *admin = login ("admin");
  g_autoptr (DsReply) r1 = ds_expect (server, 404, "GET", "/nowhere", NULL, NULL, NULL);
  g_autoptr (DsReply) r2 = ds_expect (server, 404, "GET", "/api/v1/nowhere", admin, NULL, NULL);
  g_autoptr (DsReply) r3 =
      ds_expect (server, 405, "DELETE", "/api/v1/drop-points", admin, NULL, NULL);
  g_autoptr (DsReply) r4 = ds_expect (server, 401, "GET", "/api/v1/drop-points", NULL, NULL, NULL);
  g_autoptr (DsReply) r5 =
      ds_expect (server, 401, "GET", "/api/v1/drop-points", "not-a-token", NULL, NULL);
  g_autoptr (DsReply) r6 = ds_expect (server, 200, "GET", "/api/v1/health/ready", NULL, NULL, NULL);
  g_autoptr (DsReply) r7 =
      ds_expect (server, 400, "POST", "/api/v1/drop-points", admin, "{not json", NULL);

  g_assert_cmpstr (ds_error_code (r1), ==, "NOT_FOUND");
  g_assert_cmpstr (ds_error_code (r2), ==, "NOT_FOUND");
  g_assert_cmpstr (ds_error_code (r3), ==, "METHOD_NOT_ALLOWED");
  g_assert_nonnull (ds_header (r3, "Allow"));
  g_assert_nonnull (strstr (ds_header (r3, "Allow"), "GET"));
  g_assert_nonnull (strstr (ds_header (r3, "Allow"), "POST"));
  g_assert_cmpstr (ds_error_code (r4), ==, "UNAUTHORIZED");
  g_assert_cmpstr (ds_error_code (r5), ==, "UNAUTHORIZED");
  g_assert_cmpstr (json_object_get_string_member (ds_data_object (r6), "status"), ==, "ok");
  g_assert_cmpstr (ds_error_code (r7), ==, "BAD_REQUEST");
}

static void
test_login (void)
{
  g_autoptr (DsReply) ok =
      ds_expect (server, 200, "POST", "/api/v1/auth/login", NULL,
                 "{\"email\":\"support@demo.reloop.np\",\"password\":\"reloop-demo\"}", NULL);
  g_autoptr (DsReply) bad =
      ds_expect (server, 401, "POST", "/api/v1/auth/login", NULL,
                 "{\"email\":\"support@demo.reloop.np\",\"password\":\"nope\"}", NULL);
  g_autoptr (DsReply) missing = ds_expect (server, 422, "POST", "/api/v1/auth/login", NULL,
                                           "{\"password\":\"reloop-demo\"}", NULL);
  JsonObject *data = ds_data_object (ok);
  JsonObject *user = json_object_get_object_member (data, "user");

  g_assert_nonnull (json_object_get_string_member (data, "accessToken"));
  g_assert_nonnull (json_object_get_string_member (data, "refreshToken"));
  g_assert_cmpint (json_object_get_int_member (data, "expiresIn"), ==, 900);
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "support");
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, "support@demo.reloop.np");
  g_assert_cmpstr (ds_error_code (bad), ==, "UNAUTHORIZED");
  g_assert_cmpstr (ds_error_code (missing), ==, "VALIDATION_FAILED");
  g_assert_true (json_object_has_member (
      json_object_get_object_member (ds_error_details (missing), "fields"), "email"));

  /* The second admin, for the two-editor scenarios. */
  {
    g_autoptr (DsReply) admin2 =
        ds_expect (server, 200, "POST", "/api/v1/auth/login", NULL,
                   "{\"email\":\"admin2@demo.reloop.np\",\"password\":\"reloop-demo\"}", NULL);
    JsonObject *who = json_object_get_object_member (ds_data_object (admin2), "user");

    g_assert_cmpstr (json_object_get_string_member (who, "role"), ==, "admin");
    g_assert_cmpstr (json_object_get_string_member (who, "email"), ==, "admin2@demo.reloop.np");
  }
}

static void
expect_status (const char        *token,
               guint              status,
               const char        *method,
               const char        *path,
               const char        *body,
               const char *const *headers)
{
  g_autoptr (DsReply) r = ds_expect (server, status, method, path, token, body, headers);

  if (status == 403)
    g_assert_cmpstr (ds_error_code (r), ==, "FORBIDDEN");
}

static void
test_roles (void)
{
  g_autofree char *dispatcher = login ("dispatcher");
  g_autofree char *support = login ("support");
  g_autofree char *admin = login ("admin");

  expect_status (dispatcher, 200, "GET", "/api/v1/drop-points?limit=5", NULL, NULL);
  expect_status (dispatcher, 200, "GET", "/api/v1/alerts?limit=5", NULL, NULL);
  expect_status (dispatcher, 403, "GET", "/api/v1/providers", NULL, NULL);
  expect_status (dispatcher, 403, "GET", "/api/v1/provider-types", NULL, NULL);
  expect_status (dispatcher, 403, "GET", "/api/v1/workflows", NULL, NULL);
  expect_status (dispatcher, 403, "GET", "/api/v1/sync/jobs", NULL, NULL);
  expect_status (dispatcher, 403, "GET", "/api/v1/conflicts", NULL, NULL);
  expect_status (dispatcher, 403, "POST", "/api/v1/drop-points", "{}", NULL);
  expect_status (dispatcher, 403, "DELETE", "/api/v1/drop-points/dp-000003", NULL,
                 H ("If-Match", "1"));
  expect_status (dispatcher, 403, "PATCH", "/api/v1/drop-points/dp-000003", "{\"name\":\"X\"}",
                 H ("If-Match", "1"));
  expect_status (dispatcher, 200, "PATCH", "/api/v1/drop-points/dp-000003",
                 "{\"status\":\"maintenance\",\"notes\":\"crew on the way\"}", H ("If-Match", "1"));

  expect_status (support, 200, "GET", "/api/v1/drop-points?limit=5", NULL, NULL);
  expect_status (support, 200, "GET", "/api/v1/alerts?limit=5", NULL, NULL);
  expect_status (support, 200, "GET", "/api/v1/workflows", NULL, NULL);
  expect_status (support, 200, "GET", "/api/v1/sync/jobs", NULL, NULL);
  expect_status (support, 200, "GET", "/api/v1/conflicts", NULL, NULL);
  expect_status (support, 403, "GET", "/api/v1/providers", NULL, NULL);
  expect_status (support, 403, "PATCH", "/api/v1/drop-points/dp-000004", "{\"notes\":\"x\"}",
                 H ("If-Match", "1"));
  expect_status (support, 403, "POST", "/api/v1/alerts/al-0000001/acknowledge", "{\"note\":\"x\"}",
                 NULL);

  expect_status (admin, 200, "GET", "/api/v1/providers", NULL, NULL);
  expect_status (admin, 200, "GET", "/api/v1/provider-types", NULL, NULL);
  expect_status (admin, 200, "GET", "/api/v1/workflows", NULL, NULL);
}

static void
test_pagination (void)
{
  g_autofree char *admin = login ("admin");
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  gint64           total = -1;
  guint            pages = 0;

  do
    {
      g_autofree char *path =
          cursor ? g_strdup_printf ("/api/v1/drop-points?limit=70&cursor=%s", cursor)
                 : g_strdup ("/api/v1/drop-points?limit=70");
      g_autoptr (DsReply) r = ds_expect (server, 200, "GET", path, admin, NULL, NULL);
      JsonArray  *items = ds_data_array (r);
      JsonObject *pg = json_object_get_object_member (
          json_object_get_object_member (ds_envelope (r), "meta"), "pagination");
      JsonNode *next = json_object_get_member (pg, "nextCursor");

      g_assert_cmpuint (json_array_get_length (items), <=, 70);
      if (total < 0)
        total = json_object_get_int_member (pg, "total");
      g_assert_cmpint (json_object_get_int_member (pg, "total"), ==, total);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          const char *id =
              json_object_get_string_member (json_array_get_object_element (items, i), "id");
          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, g_strdup (id));
        }
      g_clear_pointer (&cursor, g_free);
      if (!JSON_NODE_HOLDS_NULL (next))
        cursor = g_uri_escape_string (json_node_get_string (next), NULL, FALSE);
      pages++;
    }
  while (cursor != NULL);

  g_assert_cmpint (total, ==, 300);
  g_assert_cmpuint (g_hash_table_size (seen), ==, (guint) total);
  g_assert_cmpuint (pages, ==, 5);

  for (const char **bad = (const char *[]){ "limit=0", "limit=5001", "limit=abc", "limit=",
                                            "cursor=%21%21%21", "cursor=Zm9v", "limit=-3", NULL };
       *bad; bad++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/drop-points?%s", *bad);
      g_autoptr (DsReply) r = ds_expect (server, 400, "GET", path, admin, NULL, NULL);
      g_assert_cmpstr (ds_error_code (r), ==, "BAD_REQUEST");
    }
}

static gint64
version_of (DsReply *r)
{
  return json_object_get_int_member (ds_data_object (r), "version");
}

static void
test_if_match (void)
{
  g_autofree char *admin = login ("admin");
  const char      *path = "/api/v1/drop-points/dp-000010";
  g_autoptr (DsReply) get = ds_expect (server, 200, "GET", path, admin, NULL, NULL);
  gint64           v = version_of (get);
  g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", v);
  g_autofree char *plain = g_strdup_printf ("%" G_GINT64_FORMAT, v + 1);
  g_autofree char *weak = g_strdup_printf ("W/\"%" G_GINT64_FORMAT "\"", v + 2);
  g_autofree char *stale = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", v);

  g_assert_cmpstr (ds_header (get, "ETag"), ==, etag);
  {
    g_autoptr (DsReply) r =
        ds_expect (server, 200, "PATCH", path, admin, "{\"notes\":\"one\"}", H ("If-Match", etag));
    g_assert_cmpint (version_of (r), ==, v + 1);
  }
  {
    g_autoptr (DsReply) r =
        ds_expect (server, 200, "PATCH", path, admin, "{\"notes\":\"two\"}", H ("If-Match", plain));
    g_assert_cmpint (version_of (r), ==, v + 2);
  }
  {
    g_autoptr (DsReply) r = ds_expect (server, 200, "PATCH", path, admin, "{\"notes\":\"three\"}",
                                       H ("If-Match", weak));
    g_assert_cmpint (version_of (r), ==, v + 3);
    g_assert_cmpstr (json_object_get_string_member (ds_data_object (r), "notes"), ==, "three");
  }
  {
    g_autoptr (DsReply) r = ds_expect (server, 409, "PATCH", path, admin, "{\"notes\":\"late\"}",
                                       H ("If-Match", stale));
    JsonObject *current = json_object_get_object_member (ds_error_details (r), "current");
    g_assert_cmpstr (ds_error_code (r), ==, "VERSION_CONFLICT");
    g_assert_cmpint (json_object_get_int_member (current, "version"), ==, v + 3);
    g_assert_cmpstr (json_object_get_string_member (current, "notes"), ==, "three");
  }
  {
    g_autoptr (DsReply) r =
        ds_expect (server, 428, "PATCH", path, admin, "{\"notes\":\"x\"}", NULL);
    g_assert_cmpstr (ds_error_code (r), ==, "PRECONDITION_REQUIRED");
  }
  {
    /* another user edits it: our version goes stale */
    g_autoptr (DsReply) t = ds_expect (
        server, 200, "POST", "/__dev/records/drop_point/dp-000010/touch", NULL, NULL, NULL);
    g_autofree char *ours = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", v + 3);
    g_autoptr (DsReply) r =
        ds_expect (server, 409, "PATCH", path, admin, "{\"notes\":\"mine\"}", H ("If-Match", ours));
    g_assert_cmpint (version_of (t), ==, v + 4);
    g_assert_cmpint (
        json_object_get_int_member (json_object_get_object_member (ds_error_details (r), "current"),
                                    "version"),
        ==, v + 4);
  }
  {
    /* many records in one request (benchmarks): each one bumped, or none */
    g_autoptr (DsReply) a0 =
        ds_expect (server, 200, "GET", "/api/v1/drop-points/dp-000011", admin, NULL, NULL);
    g_autoptr (DsReply) b0 =
        ds_expect (server, 200, "GET", "/api/v1/drop-points/dp-000012", admin, NULL, NULL);
    g_autoptr (DsReply) missing =
        ds_expect (server, 404, "POST", "/__dev/records/drop_point/touch", NULL,
                   "{\"ids\":[\"dp-000011\",\"dp-999999\"]}", NULL);
    g_autoptr (DsReply) bad = ds_expect (server, 400, "POST", "/__dev/records/drop_point/touch",
                                         NULL, "{\"ids\":[]}", NULL);
    g_autoptr (DsReply) t =
        ds_expect (server, 200, "POST", "/__dev/records/drop-points/touch", NULL,
                   "{\"ids\":[\"dp-000011\",\"dp-000012\"]}", NULL);
    g_autoptr (DsReply) a1 =
        ds_expect (server, 200, "GET", "/api/v1/drop-points/dp-000011", admin, NULL, NULL);
    g_autoptr (DsReply) b1 =
        ds_expect (server, 200, "GET", "/api/v1/drop-points/dp-000012", admin, NULL, NULL);

    g_assert_cmpint (json_object_get_int_member (ds_data_object (t), "touched"), ==, 2);
    g_assert_cmpint (version_of (a1), ==, version_of (a0) + 1);
    g_assert_cmpint (version_of (b1), ==, version_of (b0) + 1);
    g_assert_cmpstr (json_object_get_string_member (ds_data_object (a1), "notes"), ==,
                     "Edited by another operator");
  }
}

static void
test_idempotency (void)
{
  g_autofree char *admin = login ("admin");
  g_autofree char *dispatcher = login ("dispatcher");
  g_autoptr (DsReply) open =
      ds_expect (server, 200, "GET", "/api/v1/alerts?status=open&limit=2", admin, NULL, NULL);
  JsonObject      *alert = json_array_get_object_element (ds_data_array (open), 0);
  g_autofree char *path = g_strdup_printf ("/api/v1/alerts/%s/acknowledge",
                                           json_object_get_string_member (alert, "id"));
  gint64           v = json_object_get_int_member (alert, "version");
  const char      *key = "6f1c2b7e-0d5e-4c4a-9a57-111111111111";
  g_autoptr (DsReply) first = ds_expect (server, 200, "POST", path, dispatcher,
                                         "{\"note\":\"on it\"}", H ("Idempotency-Key", key));
  g_autoptr (DsReply) again = ds_expect (server, 200, "POST", path, dispatcher,
                                         "{\"note\":\"on it\"}", H ("Idempotency-Key", key));
  g_autoptr (DsReply) other = ds_expect (server, 400, "POST", path, dispatcher,
                                         "{\"note\":\"different\"}", H ("Idempotency-Key", key));
  g_autoptr (DsReply) fresh =
      ds_expect (server, 409, "POST", path, dispatcher, "{\"note\":\"on it\"}", NULL);
  g_autofree char *get_path =
      g_strdup_printf ("/api/v1/alerts/%s", json_object_get_string_member (alert, "id"));
  g_autoptr (DsReply) now = ds_expect (server, 200, "GET", get_path, dispatcher, NULL, NULL);

  g_assert_null (ds_header (first, "Idempotent-Replayed"));
  g_assert_cmpstr (ds_header (again, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpint (version_of (first), ==, v + 1);
  g_assert_cmpint (version_of (again), ==, v + 1);
  g_assert_cmpint (version_of (now), ==, v + 1); /* applied once */
  g_assert_cmpstr (json_object_get_string_member (ds_data_object (now), "acknowledgedBy"), ==,
                   "dispatcher@demo.reloop.np");
  g_assert_cmpstr (ds_error_code (other), ==, "BAD_REQUEST");
  g_assert_cmpstr (ds_error_code (fresh), ==,
                   "INVALID_STATE"); /* without the key it is a second ack */

  /* The request log tells the replay from the write: the same key twice,
   * 200 both times, replayed only the second time. */
  {
    g_autoptr (DsReply) log = ds_expect (server, 200, "GET", "/__dev/requests", NULL, NULL, NULL);
    JsonArray *entries = ds_data_array (log);
    guint      applied = 0, replayed = 0;

    for (guint i = 0; i < json_array_get_length (entries); i++)
      {
        JsonObject *e = json_array_get_object_element (entries, i);

        if (g_strcmp0 (json_object_get_string_member_with_default (e, "idempotencyKey", NULL), key)
                != 0
            || json_object_get_int_member (e, "status") != 200)
          continue;
        if (json_object_get_boolean_member (e, "replayed"))
          replayed++;
        else
          applied++;
      }
    g_assert_cmpuint (applied, ==, 1);
    g_assert_cmpuint (replayed, ==, 1);
  }

  /* a create replayed creates one record; keys are per user */
  {
    const char *body =
        "{\"name\":\"Kalimati Tarkari Bazar\",\"address\":\"Kalimati, "
        "Kathmandu\",\"latitude\":27.6985,"
        "\"longitude\":85.2990,\"categories\":[\"ORGANIC\"],\"capacityLiters\":1100}";
    g_autoptr (DsReply) c1 = ds_expect (server, 201, "POST", "/api/v1/drop-points", admin, body,
                                        H ("Idempotency-Key", key));
    g_autoptr (DsReply) c2 = ds_expect (server, 201, "POST", "/api/v1/drop-points", admin, body,
                                        H ("Idempotency-Key", key));
    g_assert_cmpstr (json_object_get_string_member (ds_data_object (c1), "id"), ==,
                     json_object_get_string_member (ds_data_object (c2), "id"));
    g_assert_cmpstr (ds_header (c2, "Idempotent-Replayed"), ==, "true");
    g_assert_nonnull (ds_header (c1, "ETag"));
  }
}

static void
test_validation (void)
{
  g_autofree char *admin = login ("admin");
  g_autoptr (DsReply) r =
      ds_expect (server, 422, "PATCH", "/api/v1/drop-points/dp-000020", admin,
                 "{\"latitude\":200,\"categories\":[\"PLASTIC\",\"FOO\"],\"name\":\"  \","
                 "\"fillLevel\":3}",
                 H ("If-Match", "1"));
  JsonObject *fields = json_object_get_object_member (ds_error_details (r), "fields");
  g_autoptr (DsReply) p =
      ds_expect (server, 422, "POST", "/api/v1/providers", admin,
                 "{\"type\":\"khalti\",\"name\":\"K2\",\"role\":\"fallback\","
                 "\"config\":{\"publicKey\":\"x\",\"timeoutMs\":5,\"secretKey\":\"s\"}}",
                 NULL);
  JsonObject *pfields = json_object_get_object_member (ds_error_details (p), "fields");
  g_autoptr (DsReply) unchanged =
      ds_expect (server, 200, "GET", "/api/v1/drop-points/dp-000020", admin, NULL, NULL);
  g_autoptr (GString) big = g_string_new ("{\"notes\":\"");

  g_assert_cmpstr (ds_error_code (r), ==, "VALIDATION_FAILED");
  g_assert_true (json_object_has_member (fields, "latitude"));
  g_assert_true (json_object_has_member (fields, "categories.1"));
  g_assert_true (json_object_has_member (fields, "name"));
  g_assert_true (json_object_has_member (fields, "fillLevel"));
  g_assert_false (json_object_has_member (fields, "categories.0"));
  g_assert_true (json_object_has_member (pfields, "config.timeoutMs"));
  g_assert_true (json_object_has_member (pfields, "config.secretKey"));
  g_assert_cmpint (version_of (unchanged), ==, 1);

  while (big->len < 1100 * 1024)
    g_string_append (big, "0123456789abcdef");
  g_string_append (big, "\"}");
  {
    g_autoptr (DsReply) t = ds_expect (server, 413, "PATCH", "/api/v1/drop-points/dp-000020", admin,
                                       big->str, H ("If-Match", "1"));
    g_assert_cmpstr (ds_error_code (t), ==, "PAYLOAD_TOO_LARGE");
  }
}

typedef struct
{
  GHashTable *latest;   /* "entity/id" → seq */
  GHashTable *entities; /* entity → count */
  gint64      next_since;
  guint       rows;
} Feed;

static void
feed_clear (Feed *feed)
{
  g_clear_pointer (&feed->latest, g_hash_table_unref);
  g_clear_pointer (&feed->entities, g_hash_table_unref);
}

/* Reads the feed from `since` to its head; asserts seqs grow and each
 * entity appears once. Returns the rows of the last call in *last. */
static void
feed_load (const char *token,
           gint64      since,
           Feed       *feed,
           JsonArray **last_rows)
{
  gint64   prev_seq = since;
  gboolean more = TRUE;

  feed->latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  feed->entities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  feed->rows = 0;
  while (more)
    {
      g_autofree char *path =
          g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=1000", since);
      g_autoptr (DsReply) r = ds_expect (server, 200, "GET", path, token, NULL, NULL);
      JsonArray  *rows = ds_data_array (r);
      JsonObject *pg = json_object_get_object_member (
          json_object_get_object_member (ds_envelope (r), "meta"), "pagination");

      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonObject      *row = json_array_get_object_element (rows, i);
          const char      *entity = json_object_get_string_member (row, "entity");
          g_autofree char *key =
              g_strdup_printf ("%s/%s", entity, json_object_get_string_member (row, "id"));
          gint64 seq = json_object_get_int_member (row, "seq");

          g_assert_cmpint (seq, >, prev_seq);
          prev_seq = seq;
          g_assert_false (g_hash_table_contains (feed->latest, key));
          g_hash_table_insert (feed->latest, g_steal_pointer (&key), GINT_TO_POINTER (1));
          g_hash_table_insert (
              feed->entities, g_strdup (entity),
              GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (feed->entities, entity))
                                + 1));
          feed->rows++;
        }
      more = json_object_get_boolean_member (pg, "hasMore");
      since = json_object_get_int_member (pg, "nextSince");
      if (last_rows)
        {
          g_clear_pointer (last_rows, json_array_unref);
          *last_rows = json_array_ref (rows);
        }
    }
  feed->next_since = since;
}

static guint
feed_count (Feed       *feed,
            const char *entity)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (feed->entities, entity));
}

static void
test_changes (void)
{
  g_autofree char *admin = login ("admin");
  g_autofree char *dispatcher = login ("dispatcher");
  g_autofree char *support = login ("support");
  g_autoptr (DsReply) dps =
      ds_expect (server, 200, "GET", "/api/v1/drop-points?limit=1", admin, NULL, NULL);
  gint64 total_dp = json_object_get_int_member (
      json_object_get_object_member (json_object_get_object_member (ds_envelope (dps), "meta"),
                                     "pagination"),
      "total");
  Feed all = { 0 }, disp = { 0 }, sup = { 0 }, after = { 0 };
  g_autoptr (JsonArray) rows = NULL;

  feed_load (admin, 0, &all, NULL);
  g_assert_cmpuint (feed_count (&all, "drop_point"), >=, total_dp); /* + tombstones */
  g_assert_cmpuint (feed_count (&all, "provider"), >, 0);
  g_assert_cmpuint (feed_count (&all, "workflow"), ==, 5);
  g_assert_cmpuint (feed_count (&all, "sync_job"), ==, 5);
  g_assert_cmpuint (feed_count (&all, "conflict"), >, 0);
  g_assert_cmpuint (feed_count (&all, "alert"), >, 0);
  g_assert_cmpuint (feed_count (&all, "run"), ==, 0);

  feed_load (dispatcher, 0, &disp, NULL);
  g_assert_cmpuint (g_hash_table_size (disp.entities), ==, 2);
  g_assert_cmpuint (feed_count (&disp, "drop_point"), ==, feed_count (&all, "drop_point"));
  feed_load (support, 0, &sup, NULL);
  g_assert_cmpuint (feed_count (&sup, "provider"), ==, 0);
  g_assert_cmpuint (feed_count (&sup, "workflow"), ==, 5);

  /* two edits and a delete of one record: it shows up once, at its latest seq */
  {
    g_autoptr (DsReply) a = ds_expect (server, 200, "PATCH", "/api/v1/drop-points/dp-000030", admin,
                                       "{\"notes\":\"a\"}", H ("If-Match", "1"));
    g_autoptr (DsReply) b = ds_expect (server, 200, "PATCH", "/api/v1/drop-points/dp-000030", admin,
                                       "{\"notes\":\"b\"}", H ("If-Match", "2"));
    g_autoptr (DsReply) c = ds_expect (server, 200, "PATCH", "/api/v1/drop-points/dp-000031", admin,
                                       "{\"notes\":\"c\"}", H ("If-Match", "1"));
    g_autoptr (DsReply) d = ds_expect (server, 200, "DELETE", "/api/v1/drop-points/dp-000031",
                                       admin, NULL, H ("If-Match", "2"));
    g_autoptr (DsReply) gone =
        ds_expect (server, 404, "GET", "/api/v1/drop-points/dp-000031", admin, NULL, NULL);

    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (ds_envelope (d), "data")));
  }
  feed_load (admin, all.next_since, &after, &rows);
  g_assert_cmpuint (after.rows, ==, 2);
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  {
    JsonObject *r0 = json_array_get_object_element (rows, 0);
    JsonObject *r1 = json_array_get_object_element (rows, 1);

    g_assert_cmpstr (json_object_get_string_member (r0, "id"), ==, "dp-000030");
    g_assert_cmpstr (json_object_get_string_member (r0, "op"), ==, "upsert");
    g_assert_cmpint (json_object_get_int_member (r0, "version"), ==, 3);
    g_assert_cmpstr (
        json_object_get_string_member (json_object_get_object_member (r0, "record"), "notes"), ==,
        "b");
    g_assert_cmpstr (json_object_get_string_member (r1, "id"), ==, "dp-000031");
    g_assert_cmpstr (json_object_get_string_member (r1, "op"), ==, "delete");
    g_assert_cmpint (json_object_get_int_member (r1, "version"), ==, 2);
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (r1, "record")));
  }
  {
    g_autofree char *path =
        g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT, after.next_since);
    g_autoptr (DsReply) empty = ds_expect (server, 200, "GET", path, admin, NULL, NULL);
    g_autoptr (DsReply) bad =
        ds_expect (server, 400, "GET", "/api/v1/changes?since=x", admin, NULL, NULL);

    g_assert_cmpuint (json_array_get_length (ds_data_array (empty)), ==, 0);
  }
  feed_clear (&all);
  feed_clear (&disp);
  feed_clear (&sup);
  feed_clear (&after);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  /* loopback only: no proxy lookup (it needs GSettings schemas that the
   * isolated XDG dirs hide) */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* No background changes: the /changes checks count rows. */
  server = ds_start ((const char *const[]){ "--drop-points", "300", "--seed", "42",
                                            "--health-interval", "0", "--drift-interval", "0",
                                            NULL });

  g_test_add_func ("/devserver/envelope", test_envelope);
  g_test_add_func ("/devserver/login", test_login);
  g_test_add_func ("/devserver/roles", test_roles);
  g_test_add_func ("/devserver/pagination", test_pagination);
  g_test_add_func ("/devserver/if-match", test_if_match);
  g_test_add_func ("/devserver/idempotency", test_idempotency);
  g_test_add_func ("/devserver/validation", test_validation);
  g_test_add_func ("/devserver/changes", test_changes);
  ret = g_test_run ();
  rl_test_devserver_free (server);
  return ret;
}
