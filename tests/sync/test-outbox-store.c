/* test-outbox-store.c — the outbox's transactions in the cache, and the
 * telemetry rule of the /changes applier (suite unit: no server).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "rl-list-item.h"
#include "rl-outbox-settle.h"
#include "rl-record-list.h"
#include "rl-store-outbox.h"
#include "rl-store.h"
#include "rl-test-util.h"
#include "rl-time.h"

/* ---- Helpers ------------------------------------------------------------------- */

static JsonObject *
object (const char *json)
{
  JsonObject *o = rl_outbox_object_from_text (json);

  g_assert_nonnull (o);
  return o;
}

static JsonNode *
node (const char *json)
{
  g_autoptr (GError) error = NULL;
  JsonNode *n = json_from_string (json, &error);

  g_assert_no_error (error);
  return n;
}

static char *
drop_point_json (const char *id,
                 gint64      version,
                 const char *notes,
                 double      fill,
                 const char *reading_at)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"name\":\"Point %s\",\"latitude\":27.7,"
                          "\"longitude\":85.3,\"status\":\"active\",\"deviceId\":\"bin-%s\","
                          "\"fillLevel\":%.1f,\"weight\":10.0,\"temperature\":20.0,"
                          "\"humidity\":50.0,\"batteryLevel\":90.0,\"isOnline\":true,"
                          "\"lastReadingAt\":\"%s\",\"notes\":\"%s\",\"version\":%" G_GINT64_FORMAT
                          "}",
                          id, id, id, fill, reading_at, notes, version);
}

static void
put (RlStore    *store,
     const char *entity,
     const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);

  g_assert_no_error (error);
  rl_test_batch_upsert (batch, entity, json);
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
}

static JsonObject *
get (RlStore    *store,
     const char *entity,
     const char *id)
{
  g_autoptr (GError) error = NULL;
  JsonObject *o = rl_store_get_record (store, entity, id, &error);

  g_assert_no_error (error);
  return o;
}

/* An edit of @id's notes, queued as the session does. */
static gint64
queue_notes (RlStore    *store,
             const char *id,
             const char *notes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) base = get (store, "drop_point", id);
  g_autofree char *body_json = g_strdup_printf ("{\"notes\":\"%s\"}", notes);
  g_autoptr (JsonObject) changes = object (body_json);
  g_autoptr (JsonObject) local = rl_outbox_apply_changes ("drop_point", base, changes);
  g_autoptr (JsonNode) body = node (body_json);
  g_autofree char *path = g_strdup_printf ("/drop-points/%s", id);
  g_autofree char *if_match =
      g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", json_object_get_int_member (base, "version"));
  RlOutboxRowSpec spec = { .kind = RL_OUTBOX_KIND_EDIT,
                           .method = "PATCH",
                           .path = path,
                           .body = body,
                           .if_match = if_match,
                           .entity = "drop_point",
                           .entity_id = id,
                           .base = base,
                           .local = local };
  gint64          row = rl_store_outbox_add (store, &spec, &error);

  g_assert_no_error (error);
  g_assert_cmpint (row, >, 0);
  return row;
}

static RlOutboxRow *
row_of (RlStore *store,
        gint64   id)
{
  g_autoptr (GError) error = NULL;
  RlOutboxRow *row = rl_store_outbox_get (store, id, &error);

  g_assert_no_error (error);
  return row;
}

static GPtrArray *
heads (RlStore *store,
       gint64   now_ms)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *rows = rl_store_outbox_heads (store, now_ms, 64, &error);

  g_assert_no_error (error);
  return rows;
}

static void
apply_page (RlStore    *store,
            const char *json,
            gint64      next_since)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) page = node (json);
  RlStoreApplyStats stats;

  g_assert_true (rl_store_apply_changes (store, json_node_get_array (page), next_since, &stats,
                                         &error));
  g_assert_no_error (error);
}

static char *
change_json (gint64      seq,
             const char *record)
{
  g_autoptr (JsonObject) r = object (record);

  return g_strdup_printf ("{\"seq\":%" G_GINT64_FORMAT ",\"entity\":\"drop_point\",\"id\":\"%s\","
                          "\"op\":\"upsert\",\"version\":%" G_GINT64_FORMAT ",\"record\":%s}",
                          seq, json_object_get_string_member (r, "id"),
                          json_object_get_int_member (r, "version"), record);
}

typedef struct
{
  const char *id;
  double      fill;
  double      battery;
  gboolean    online;
  gint64      reading_ms;
  gint64      version;
} HotColumns;

static gboolean
hot_columns_cb (const RlStoreDropPoint *dp,
                gpointer                user_data)
{
  HotColumns *hot = user_data;

  if (!g_str_equal (dp->id, hot->id))
    return TRUE;
  hot->fill = dp->fill_level;
  hot->battery = dp->battery_level;
  hot->online = dp->is_online;
  hot->reading_ms = dp->last_reading_ms;
  hot->version = dp->version;
  return FALSE;
}

static HotColumns
hot_columns (RlStore    *store,
             const char *id)
{
  g_autoptr (GError) error = NULL;
  HotColumns hot = { .id = id };

  g_assert_true (rl_store_foreach_drop_point (store, hot_columns_cb, &hot, &error));
  g_assert_no_error (error);
  return hot;
}

/* ---- The telemetry rule ----------------------------------------------------------- */

/* A drop point's telemetry from /changes replaces the cached one only when
 * its reading is newer than the one the feed stored (contract §5); the
 * other fields follow the version rule. */
static void
test_telemetry_forward (void)
{
  g_autoptr (RlStore) store = rl_test_store_open ("telemetry.sqlite");
  g_autoptr (GError) error = NULL;
  g_autofree char *v1 = drop_point_json ("dp-1", 1, "", 20.0, "2026-11-21T09:00:00.000Z");
  g_autofree char *c1 = change_json (1, v1);
  g_autofree char *page1 = g_strdup_printf ("[%s]", c1);
  g_autofree char *v2 = NULL, *c2 = NULL, *page2 = NULL;
  g_autofree char *v3 = NULL, *c3 = NULL, *page3 = NULL;
  g_autoptr (JsonObject) after = NULL;
  gint64 feed_ms, reading_ms = 0;

  apply_page (store, page1, 1);

  /* The MQTT feed moves the reading to 09:10 (fill 80, offline link). */
  g_assert_true (rl_time_parse_ms ("2026-11-21T09:10:00.000Z", &feed_ms));
  {
    g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);

    g_assert_no_error (error);
    g_assert_cmpint (rl_store_batch_update_telemetry (batch, "bin-dp-1", feed_ms, 80.0, 42.0, 31.0,
                                                      55.0, 70.0, &error),
                     ==, 1);
    g_assert_cmpint (rl_store_batch_update_link (batch, "bin-dp-1", FALSE, &error), ==, 1);
    g_assert_true (rl_store_batch_commit (batch, &error));
    g_assert_no_error (error);
  }

  /* /changes brings version 2 (a new name) with the server's older reading
   * of 09:05: the name applies, the telemetry stays the feed's. */
  v2 = drop_point_json ("dp-1", 2, "renamed", 10.0, "2026-11-21T09:05:00.000Z");
  c2 = change_json (2, v2);
  page2 = g_strdup_printf ("[%s]", c2);
  apply_page (store, page2, 2);
  after = get (store, "drop_point", "dp-1");
  g_assert_cmpint (json_object_get_int_member (after, "version"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (after, "notes"), ==, "renamed");
  g_assert_cmpfloat (json_object_get_double_member (after, "fillLevel"), ==, 80.0);
  g_assert_cmpfloat (json_object_get_double_member (after, "weight"), ==, 42.0);
  g_assert_cmpfloat (json_object_get_double_member (after, "temperature"), ==, 31.0);
  g_assert_cmpfloat (json_object_get_double_member (after, "humidity"), ==, 55.0);
  g_assert_cmpfloat (json_object_get_double_member (after, "batteryLevel"), ==, 70.0);
  g_assert_false (json_object_get_boolean_member (after, "isOnline"));
  g_assert_true (rl_time_parse_ms (json_object_get_string_member (after, "lastReadingAt"),
                                   &reading_ms));
  g_assert_cmpint (reading_ms, ==, feed_ms);
  /* The hot columns the map reads agree with the record. */
  {
    HotColumns hot = hot_columns (store, "dp-1");

    g_assert_cmpfloat (hot.fill, ==, 80.0);
    g_assert_cmpfloat (hot.battery, ==, 70.0);
    g_assert_false (hot.online);
    g_assert_cmpint (hot.reading_ms, ==, feed_ms);
  }
  g_clear_pointer (&after, json_object_unref);

  /* A newer reading from /changes (09:20) replaces it. */
  v3 = drop_point_json ("dp-1", 2, "renamed", 30.0, "2026-11-21T09:20:00.000Z");
  c3 = change_json (3, v3);
  page3 = g_strdup_printf ("[%s]", c3);
  apply_page (store, page3, 3);
  after = get (store, "drop_point", "dp-1");
  g_assert_cmpfloat (json_object_get_double_member (after, "fillLevel"), ==, 30.0);
  g_assert_cmpfloat (json_object_get_double_member (after, "weight"), ==, 10.0);
  g_assert_true (json_object_get_boolean_member (after, "isOnline"));
  g_assert_cmpstr (json_object_get_string_member (after, "lastReadingAt"), ==,
                   "2026-11-21T09:20:00.000Z");
}

/* The map's hot columns follow the same rule. */
static void
test_telemetry_columns (void)
{
  g_autoptr (RlStore) store = rl_test_store_open ("telemetry-columns.sqlite");
  g_autoptr (GError) error = NULL;
  g_autofree char *v1 = drop_point_json ("dp-2", 1, "", 20.0, "2026-11-21T09:00:00.000Z");
  g_autofree char *c1 = change_json (1, v1);
  g_autofree char *page1 = g_strdup_printf ("[%s]", c1);
  g_autofree char *v2 = drop_point_json ("dp-2", 2, "x", 5.0, "2026-11-21T08:00:00.000Z");
  g_autofree char *c2 = change_json (2, v2);
  g_autofree char *page2 = g_strdup_printf ("[%s]", c2);
  gint64           feed_ms;

  apply_page (store, page1, 1);
  g_assert_true (rl_time_parse_ms ("2026-11-21T09:10:00.000Z", &feed_ms));
  {
    g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);

    g_assert_cmpint (rl_store_batch_update_telemetry (batch, "bin-dp-2", feed_ms, 77.0, NAN, NAN,
                                                      NAN, 66.0, &error),
                     ==, 1);
    g_assert_true (rl_store_batch_commit (batch, &error));
    g_assert_no_error (error);
  }
  apply_page (store, page2, 2);
  {
    HotColumns hot = hot_columns (store, "dp-2");
    g_autoptr (JsonObject) after = get (store, "drop_point", "dp-2");

    g_assert_cmpfloat (hot.fill, ==, 77.0);
    g_assert_cmpfloat (hot.battery, ==, 66.0);
    g_assert_true (hot.online);
    g_assert_cmpint (hot.reading_ms, ==, feed_ms);
    g_assert_cmpint (hot.version, ==, 2);
    g_assert_cmpstr (json_object_get_string_member (after, "notes"), ==, "x");
  }
}

/* ---- Rows ------------------------------------------------------------------------ */

static void
seed_points (RlStore *store)
{
  const char *ids[] = { "dp-x", "dp-y", "dp-z" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *json = drop_point_json (ids[i], 5, "", 10.0, "2026-11-21T09:00:00.000Z");

      put (store, "drop_point", json);
    }
}

/* Rows go in order per record: a record's later rows wait for its first, a
 * refused row holds its record's later rows back, other records go on. */
static void
test_heads_order (void)
{
  g_autoptr (RlStore) store = rl_test_store_open ("heads.sqlite");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) first = NULL;
  g_autoptr (GPtrArray) second = NULL;
  g_autoptr (RlOutboxRow) z1_row = NULL;
  gint64 x1, x2, x3, y1, z1, z2;

  seed_points (store);
  x1 = queue_notes (store, "dp-x", "x1");
  y1 = queue_notes (store, "dp-y", "y1");
  x2 = queue_notes (store, "dp-x", "x2");
  z1 = queue_notes (store, "dp-z", "z1");
  x3 = queue_notes (store, "dp-x", "x3");
  z2 = queue_notes (store, "dp-z", "z2");

  /* z1 was refused (422): it waits for the user, and so does z2. */
  z1_row = row_of (store, z1);
  g_assert_true (rl_store_outbox_settle_failed (store, z1_row, RL_OUTBOX_STATE_FAILED,
                                                "VALIDATION_FAILED", 422, "bad", NULL, NULL,
                                                &error));
  g_assert_no_error (error);

  first = heads (store, -1);
  g_assert_cmpuint (first->len, ==, 2);
  g_assert_cmpint (((RlOutboxRow *) first->pdata[0])->id, ==, x1);
  g_assert_cmpint (((RlOutboxRow *) first->pdata[1])->id, ==, y1);
  g_assert_cmpint (rl_store_outbox_count_pending (store), ==, 5);
  g_assert_cmpint (rl_store_outbox_count_attention (store), ==, 1);

  /* x1 answered version 6: x2 and x3 now go against it; the cached record
   * keeps x3's local state, the answer waits in the shadow. */
  {
    g_autofree char *answer_json =
        drop_point_json ("dp-x", 6, "x1", 10.0, "2026-11-21T09:00:00.000Z");
    g_autoptr (JsonObject) answer = object (answer_json);
    g_autoptr (JsonObject) cached = NULL;
    g_autoptr (JsonObject) shadow = NULL;
    g_autoptr (RlOutboxRow) r2 = NULL;
    g_autoptr (RlOutboxRow) r3 = NULL;

    g_assert_true (rl_store_outbox_finish (store, first->pdata[0], "drop_point", answer, NULL,
                                           NULL, &error));
    g_assert_no_error (error);
    r2 = row_of (store, x2);
    r3 = row_of (store, x3);
    g_assert_cmpstr (r2->if_match, ==, "\"6\"");
    g_assert_cmpstr (r3->if_match, ==, "\"6\"");
    cached = get (store, "drop_point", "dp-x");
    g_assert_cmpstr (json_object_get_string_member (cached, "notes"), ==, "x3");
    shadow = rl_store_outbox_shadow_get (store, "drop_point", "dp-x");
    g_assert_nonnull (shadow);
    g_assert_cmpint (json_object_get_int_member (shadow, "version"), ==, 6);
  }
  /* Finishing the same row again changes nothing. */
  g_assert_false (
      rl_store_outbox_finish (store, first->pdata[0], "drop_point", NULL, NULL, NULL, &error));
  g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  second = heads (store, -1);
  g_assert_cmpuint (second->len, ==, 2);
  g_assert_cmpint (((RlOutboxRow *) second->pdata[0])->id, ==, y1);
  g_assert_cmpint (((RlOutboxRow *) second->pdata[1])->id, ==, x2);
  (void) z2;
}

/* The last row of a record: the answer is the cached record and the shadow
 * goes. */
static void
test_finish_last (void)
{
  g_autoptr (RlStore) store = rl_test_store_open ("finish.sqlite");
  g_autoptr (GError) error = NULL;
  g_autoptr (RlOutboxRow) row = NULL;
  g_autofree char *answer_json = drop_point_json ("dp-y", 6, "done", 10.0,
                                                  "2026-11-21T09:00:00.000Z");
  g_autoptr (JsonObject) answer = object (answer_json);
  g_autoptr (JsonObject) cached = NULL;

  seed_points (store);
  row = row_of (store, queue_notes (store, "dp-y", "done"));
  g_assert_true (rl_store_outbox_shadow_put (store, "drop_point", "dp-y", 5, answer, &error));
  g_assert_true (rl_store_outbox_finish (store, row, "drop_point", answer, NULL, NULL, &error));
  g_assert_no_error (error);
  cached = get (store, "drop_point", "dp-y");
  g_assert_cmpint (json_object_get_int_member (cached, "version"), ==, 6);
  g_assert_null (rl_store_outbox_shadow_get (store, "drop_point", "dp-y"));
  g_assert_cmpint (rl_store_count (store, "outbox"), ==, 0);
}

/* A transient failure keeps the row pending, counts it, and holds it until
 * its next attempt (unless the drain is told to send everything). */
static void
test_defer (void)
{
  g_autoptr (RlStore) store = rl_test_store_open ("defer.sqlite");
  g_autoptr (GError) error = NULL;
  g_autoptr (RlOutboxRow) row = NULL;
  g_autoptr (RlOutboxRow) after = NULL;
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GPtrArray) forced = NULL;
  gint64 now = rl_time_now_ms ();

  seed_points (store);
  row = row_of (store, queue_notes (store, "dp-x", "later"));
  g_assert_true (rl_store_outbox_defer (store, row, "503 from the server", now + 60000, &error));
  g_assert_no_error (error);
  after = row_of (store, row->id);
  g_assert_cmpint (after->state, ==, RL_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (after->attempts, ==, 1);
  g_assert_cmpstr (after->last_error, ==, "503 from the server");
  g_assert_cmpstr (after->idempotency_key, ==, row->idempotency_key);
  due = heads (store, now);
  forced = heads (store, -1);
  g_assert_cmpuint (due->len, ==, 0);
  g_assert_cmpuint (forced->len, ==, 1);
  g_assert_cmpint (rl_store_outbox_next_attempt (store, now), ==, now + 60000);
}

/* Discarding restores the server's last known state: the shadow the
 * applier kept, else the base; a 404 drops the record. */
static void
test_discard (void)
{
  g_autoptr (RlStore) store = rl_test_store_open ("discard.sqlite");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) cached = NULL;
  g_autofree char *newer = drop_point_json ("dp-x", 7, "server", 10.0, "2026-11-21T09:00:00.000Z");
  g_autofree char *c1 = change_json (10, newer);
  g_autofree char *page = g_strdup_printf ("[%s]", c1);
  gint64           x, y, z;

  seed_points (store);
  x = queue_notes (store, "dp-x", "mine");
  y = queue_notes (store, "dp-y", "mine");
  z = queue_notes (store, "dp-z", "mine");

  /* /changes leaves dp-x alone (its edit is unsent) and keeps the
   * server's version aside. */
  apply_page (store, page, 10);
  cached = get (store, "drop_point", "dp-x");
  g_assert_cmpstr (json_object_get_string_member (cached, "notes"), ==, "mine");
  g_clear_pointer (&cached, json_object_unref);

  g_assert_true (rl_store_outbox_discard (store, x, &error));
  g_assert_no_error (error);
  cached = get (store, "drop_point", "dp-x");
  g_assert_cmpstr (json_object_get_string_member (cached, "notes"), ==, "server");
  g_assert_cmpint (json_object_get_int_member (cached, "version"), ==, 7);
  g_assert_null (rl_store_outbox_shadow_get (store, "drop_point", "dp-x"));
  g_clear_pointer (&cached, json_object_unref);

  g_assert_true (rl_store_outbox_discard (store, y, &error));
  cached = get (store, "drop_point", "dp-y");
  g_assert_cmpstr (json_object_get_string_member (cached, "notes"), ==, "");
  g_assert_cmpint (json_object_get_int_member (cached, "version"), ==, 5);

  /* dp-z is gone on the server (404): discarding drops it from the cache. */
  {
    g_autoptr (RlOutboxRow) row = row_of (store, z);

    g_assert_true (rl_store_outbox_settle_failed (store, row, RL_OUTBOX_STATE_FAILED, "NOT_FOUND",
                                                  404, "gone", NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (rl_store_outbox_discard (store, z, &error));
    g_assert_no_error (error);
    g_assert_null (rl_store_get_record (store, "drop_point", "dp-z", &error));
    g_assert_error (error, RL_STORE_ERROR, RL_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  g_assert_cmpint (rl_store_count (store, "outbox"), ==, 0);
}

/* "Edit again": pending, no error, a new key, the corrected body. */
static void
test_retry (void)
{
  g_autoptr (RlStore) store = rl_test_store_open ("retry.sqlite");
  g_autoptr (GError) error = NULL;
  g_autoptr (RlOutboxRow) row = NULL;
  g_autoptr (RlOutboxRow) failed = NULL;
  g_autoptr (RlOutboxRow) again = NULL;
  g_autoptr (JsonObject) fields = object ("{\"notes\":\"too long\"}");
  g_autoptr (JsonObject) fix = object ("{\"notes\":\"short\"}");
  g_autoptr (JsonObject) cached = NULL;

  seed_points (store);
  row = row_of (store, queue_notes (store, "dp-x", "very long"));
  g_assert_true (rl_store_outbox_settle_failed (store, row, RL_OUTBOX_STATE_FAILED,
                                                "VALIDATION_FAILED", 422, "Validation failed",
                                                fields, NULL, &error));
  g_assert_no_error (error);
  failed = row_of (store, row->id);
  g_assert_cmpint (failed->state, ==, RL_OUTBOX_STATE_FAILED);
  g_assert_cmpstr (failed->error_code, ==, "VALIDATION_FAILED");
  g_assert_cmpuint (failed->error_status, ==, 422);
  g_assert_nonnull (strstr (failed->error_fields, "too long"));

  g_assert_true (rl_store_outbox_retry (store, row->id, fix, &error));
  g_assert_no_error (error);
  again = row_of (store, row->id);
  g_assert_cmpint (again->state, ==, RL_OUTBOX_STATE_PENDING);
  g_assert_null (again->error_code);
  g_assert_null (again->error_fields);
  g_assert_cmpuint (again->attempts, ==, 0);
  g_assert_cmpstr (again->idempotency_key, !=, row->idempotency_key);
  g_assert_cmpstr (again->body, ==, "{\"notes\":\"short\"}");
  cached = get (store, "drop_point", "dp-x");
  g_assert_cmpstr (json_object_get_string_member (cached, "notes"), ==, "short");
}

/* A 409 with conflicting fields: a local conflict, and the row removed in
 * the same transaction; the cache shows the server's record. */
static void
test_to_conflict (void)
{
  g_autoptr (RlStore) store = rl_test_store_open ("conflict.sqlite");
  g_autoptr (GError) error = NULL;
  g_autoptr (RlOutboxRow) row = NULL;
  g_autoptr (JsonObject) base = NULL;
  g_autoptr (JsonObject) local = NULL;
  g_autofree char *remote_json =
      drop_point_json ("dp-x", 6, "theirs", 10.0, "2026-11-21T09:00:00.000Z");
  g_autoptr (JsonObject) remote = object (remote_json);
  g_autoptr (JsonObject) conflict = NULL;
  g_autoptr (JsonObject) cached = NULL;
  g_autofree char *id = NULL;

  seed_points (store);
  row = row_of (store, queue_notes (store, "dp-x", "mine"));
  base = rl_outbox_object_from_text (row->base);
  local = rl_outbox_object_from_text (row->local);
  id = rl_store_outbox_to_conflict (store, row, base, local, remote, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (id, "local-"));
  g_assert_cmpint (rl_store_count (store, "outbox"), ==, 0);
  g_assert_cmpint (rl_store_count_open_conflicts (store), ==, 1);
  conflict = get (store, "conflict", id);
  g_assert_true (json_node_is_null (json_object_get_member (conflict, "jobId")));
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (conflict, "local"), "notes"),
                   ==, "mine");
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (conflict, "remote"), "notes"),
                   ==, "theirs");
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (conflict, "base"), "notes"),
                   ==, "");
  cached = get (store, "drop_point", "dp-x");
  g_assert_cmpstr (json_object_get_string_member (cached, "notes"), ==, "theirs");
}

/* A v5 cache's queued edit survives the migration as a pending edit. */
static void
test_migration (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "v5.sqlite", NULL);
  g_autoptr (RlStore) old = rl_store_open_at_version (path, 5, &error);
  g_autoptr (RlStore) store = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  RlOutboxRow *row;

  g_assert_no_error (error);
  g_assert_true (rl_store_exec (old,
                                "INSERT INTO outbox (created_ms, method, path, body, if_match,"
                                " idempotency_key, entity, entity_id) VALUES (1, 'PATCH',"
                                " '/drop-points/dp-1', '{\"notes\":\"x\"}', '\"3\"', 'key-1',"
                                " 'drop_point', 'dp-1')",
                                &error));
  g_assert_no_error (error);
  g_clear_object (&old);

  store = rl_store_open (path, &error);
  g_assert_no_error (error);
  rows = heads (store, rl_time_now_ms ());
  g_assert_cmpuint (rows->len, ==, 1);
  row = rows->pdata[0];
  g_assert_cmpint (row->kind, ==, RL_OUTBOX_KIND_EDIT);
  g_assert_cmpint (row->state, ==, RL_OUTBOX_STATE_PENDING);
  g_assert_cmpstr (row->idempotency_key, ==, "key-1");
  g_assert_cmpint (rl_outbox_parse_if_match (row->if_match), ==, 3);
}

/* A record's resolution history: its resolved conflicts, newest first. */
static void
test_resolutions (void)
{
  g_autoptr (RlStore) store = rl_test_store_open ("history.sqlite");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) history = NULL;
  const char *const conflicts[] = {
    "{\"id\":\"c-1\",\"jobId\":null,\"entityType\":\"drop_point\",\"entityId\":\"dp-x\","
    "\"status\":\"resolved\",\"detectedAt\":\"2026-11-20T09:00:00.000Z\",\"version\":0,"
    "\"resolution\":{\"strategy\":\"local_wins\",\"resolvedBy\":\"a@x\","
    "\"resolvedAt\":\"2026-11-20T10:00:00.000Z\"}}",
    "{\"id\":\"c-2\",\"jobId\":\"sj-1\",\"entityType\":\"drop_point\",\"entityId\":\"dp-x\","
    "\"status\":\"resolved\",\"detectedAt\":\"2026-11-19T09:00:00.000Z\",\"version\":2,"
    "\"resolution\":{\"strategy\":\"manual\",\"resolvedBy\":\"b@x\","
    "\"resolvedAt\":\"2026-11-21T10:00:00.000Z\"}}",
    "{\"id\":\"c-3\",\"jobId\":null,\"entityType\":\"drop_point\",\"entityId\":\"dp-x\","
    "\"status\":\"open\",\"detectedAt\":\"2026-11-22T09:00:00.000Z\",\"version\":0}",
    "{\"id\":\"c-4\",\"jobId\":null,\"entityType\":\"drop_point\",\"entityId\":\"dp-y\","
    "\"status\":\"resolved\",\"detectedAt\":\"2026-11-22T09:00:00.000Z\",\"version\":0}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (conflicts); i++)
    put (store, "conflict", conflicts[i]);
  history = rl_store_get_resolutions (store, "drop_point", "dp-x", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (history), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 0),
                                                  "id"),
                   ==, "c-2");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 1),
                                                  "id"),
                   ==, "c-1");
}

/* The PATCH body of a merge: whole top-level members, a provider's config
 * key by key, a removed key as null. */
static void
test_patch_body (void)
{
  g_autoptr (JsonObject) base =
      object ("{\"id\":\"p\",\"name\":\"A\",\"config\":{\"host\":\"h\",\"port\":25,\"old\":1},"
              "\"health\":{\"state\":\"up\"},\"version\":3}");
  g_autoptr (JsonObject) mine =
      object ("{\"id\":\"p\",\"name\":\"A\",\"config\":{\"host\":\"h2\",\"port\":25},"
              "\"health\":{\"state\":\"down\"},\"version\":3}");
  g_autoptr (RlMergeResult) merge =
      rl_merge_three_way (base, mine, base, rl_outbox_ignored_keys ("provider"));
  g_autoptr (JsonObject) body = rl_outbox_patch_body ("provider", merge, mine);
  g_autofree char *text = rl_outbox_object_to_text (body);

  g_assert_cmpstr (text, ==, "{\"config\":{\"host\":\"h2\",\"old\":null}}");
}

typedef struct
{
  RlRecordList *list;
  guint         n;
} ListWait;

static gboolean
list_has (gpointer user_data)
{
  ListWait *wait = user_data;

  return !rl_record_list_get_loading (wait->list)
         && g_list_model_get_n_items (G_LIST_MODEL (wait->list)) == wait->n;
}

static gboolean
item_state_is (gpointer user_data)
{
  RlListItem *item = user_data;

  return rl_list_item_get_enum (item, "state") == RL_OUTBOX_STATE_FAILED;
}

/* The outbox as a list (the header's popover): rows in order, their state
 * and last error updated in place, a settled row leaves. */
static void
test_outbox_list (void)
{
  g_autoptr (RlStore) store = rl_test_store_open ("list.sqlite");
  g_autoptr (RlRecordList) list = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlListItem) first = NULL;
  g_autoptr (RlOutboxRow) row = NULL;
  g_autofree char *first_id = NULL;
  ListWait         wait;
  gint64           x, y, z;

  seed_points (store);
  x = queue_notes (store, "dp-x", "x");
  y = queue_notes (store, "dp-y", "y");
  z = queue_notes (store, "dp-z", "z");

  list = rl_record_list_new (store, RL_LIST_KIND_OUTBOX);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == RL_TYPE_OUTBOX_ITEM);
  wait = (ListWait){ list, 3 };
  g_assert_true (rl_test_wait_until (list_has, &wait, 10000));
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  first_id = g_strdup_printf ("%" G_GINT64_FORMAT, x);
  g_assert_cmpstr (rl_list_item_get_id (first), ==, first_id);
  g_assert_cmpstr (rl_list_item_get_string (first, "method"), ==, "PATCH");
  g_assert_cmpstr (rl_list_item_get_string (first, "path"), ==, "/drop-points/dp-x");
  g_assert_cmpstr (rl_list_item_get_string (first, "entity-id"), ==, "dp-x");
  g_assert_cmpint (rl_list_item_get_enum (first, "state"), ==, RL_OUTBOX_STATE_PENDING);
  g_assert_cmpint (rl_list_item_get_int64 (first, "attempts"), ==, 0);

  /* Refused: the same item shows it. */
  row = row_of (store, x);
  g_assert_true (rl_store_outbox_settle_failed (store, row, RL_OUTBOX_STATE_FAILED, "FORBIDDEN",
                                                403, "Dispatchers may change status and notes only",
                                                NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait_until (item_state_is, first, 10000));
  g_assert_cmpstr (rl_list_item_get_string (first, "error-code"), ==, "FORBIDDEN");
  g_assert_cmpstr (rl_list_item_get_string (first, "last-error"), ==,
                   "Dispatchers may change status and notes only");
  g_assert_cmpint (rl_list_item_get_int64 (first, "attempts"), ==, 1);

  /* Sent: it leaves the list. */
  g_clear_pointer (&row, rl_outbox_row_free);
  row = row_of (store, y);
  g_assert_true (rl_store_outbox_finish (store, row, "drop_point", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  wait.n = 2;
  g_assert_true (rl_test_wait_until (list_has, &wait, 10000));
  (void) z;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/outbox-store/telemetry-forward", test_telemetry_forward);
  g_test_add_func ("/outbox-store/telemetry-columns", test_telemetry_columns);
  g_test_add_func ("/outbox-store/heads-order", test_heads_order);
  g_test_add_func ("/outbox-store/finish-last", test_finish_last);
  g_test_add_func ("/outbox-store/defer", test_defer);
  g_test_add_func ("/outbox-store/discard", test_discard);
  g_test_add_func ("/outbox-store/retry", test_retry);
  g_test_add_func ("/outbox-store/to-conflict", test_to_conflict);
  g_test_add_func ("/outbox-store/migration", test_migration);
  g_test_add_func ("/outbox-store/resolutions", test_resolutions);
  g_test_add_func ("/outbox-store/patch-body", test_patch_body);
  g_test_add_func ("/outbox-store/list", test_outbox_list);
  return g_test_run ();
}
