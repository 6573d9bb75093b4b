/* test-ui-alerts.c — the UI's words for the console's own alerts: in
 * English they are the texts core wrote into the cache, figure for figure;
 * in Nepali they are translated with the same figures; the server's and
 * the bins' own texts come through as they are.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <math.h>

#include "rl-record-list.h"
#include "rl-store-alerts.h"
#include "rl-test-util.h"
#include "rl-ui-alerts.h"

#define T0 G_GINT64_CONSTANT (1767225600000)

typedef struct
{
  RlStore      *store;
  RlRecordList *list;
} Fixture;

static void
add (RlStoreBatch *batch,
     RlAlertSource source,
     const char   *device,
     const char   *type,
     const char   *message,
     double        value,
     double        threshold)
{
  g_autoptr (GError) error = NULL;
  RlStoreAlertSpec spec = {
    .source = source,
    .drop_point_id = "dp-1",
    .device_id = device,
    .type = type,
    .severity = "HIGH",
    .message = message,
    .created_ms = T0,
    .rule_value = value,
    .rule_threshold = threshold,
  };

  g_assert_cmpint (rl_store_batch_add_alert (batch, &spec, &error), ==, RL_STORE_ALERT_ADDED);
  g_assert_no_error (error);
}

static gboolean
loaded (gpointer user_data)
{
  RlRecordList *list = user_data;

  return !rl_record_list_get_loading (list) && g_list_model_get_n_items (G_LIST_MODEL (list)) == 6;
}

static void
fixture_set_up (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = NULL;
  g_autoptr (JsonNode) page = json_from_string (
      "[{\"seq\":1,\"entity\":\"alert\",\"id\":\"al-1\",\"op\":\"upsert\",\"version\":2,"
      "\"record\":{\"id\":\"al-1\",\"dropPointId\":\"dp-1\",\"deviceId\":\"bin-2\","
      "\"type\":\"FULL_BIN\",\"severity\":\"HIGH\",\"status\":\"open\",\"message\":\"Bin is over "
      "85 % full\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"version\":2}},"
      " {\"seq\":2,\"entity\":\"alert\",\"id\":\"al-2\",\"op\":\"upsert\",\"version\":3,"
      "\"record\":{\"id\":\"al-2\",\"dropPointId\":\"dp-1\",\"deviceId\":\"bin-3\","
      "\"type\":\"FULL_BIN\",\"severity\":\"HIGH\",\"status\":\"resolved\",\"message\":\"Full\","
      "\"resolvedNote\":\"emptied by the crew\",\"createdAt\":\"2026-01-01T00:00:00Z\","
      "\"version\":3}}]",
      NULL);

  f->store = rl_test_store_open ("alerts.sqlite");
  batch = rl_store_batch_begin (f->store, &error);
  rl_test_batch_upsert (batch, "drop_point",
                        "{\"id\":\"dp-1\",\"name\":\"Ason\",\"deviceId\":\"bin-1\",\"version\":1}");
  add (batch, RL_ALERT_SOURCE_LOCAL, "bin-1", "FULL_BIN", "Fill level 92.3 % is above 85 %", 92.3,
       85);
  add (batch, RL_ALERT_SOURCE_LOCAL, "bin-1", "LOW_BATTERY", "Battery 15 % is below 20.5 %", 15,
       20.5);
  add (batch, RL_ALERT_SOURCE_FEED, "bin-1", "SENSOR_FAULT", "Lid sensor stuck", NAN, NAN);
  add (batch, RL_ALERT_SOURCE_FEED, "bin-2", "FULL_BIN", "Bin is full", NAN, NAN);
  g_assert_cmpint (rl_store_batch_auto_resolve_alerts (
                       batch, "bin-1", "FULL_BIN", T0 + 1000,
                       "Resolved automatically: fill level back to 12 %", 12, &error),
                   ==, 1);
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  /* The server's open FULL_BIN of bin-2 replaces the bin's own. */
  g_assert_true (rl_store_apply_changes (f->store, json_node_get_array (page), 2, NULL, &error));
  g_assert_no_error (error);

  f->list = rl_record_list_new (f->store, RL_LIST_KIND_ALERTS);
  g_assert_true (rl_test_wait_until (loaded, f->list, 10000));
}

static void
fixture_tear_down (Fixture *f)
{
  g_clear_object (&f->list);
  g_clear_object (&f->store);
}

static RlAlertItem *
item_of (Fixture    *f,
         const char *id)
{
  guint position = rl_record_list_find (f->list, id);

  g_assert_cmpuint (position, !=, G_MAXUINT);
  return g_list_model_get_item (G_LIST_MODEL (f->list), position);
}

static char *
message_of (Fixture    *f,
            const char *id)
{
  g_autoptr (RlAlertItem) item = item_of (f, id);

  return rl_ui_alert_message (item);
}

static char *
note_of (Fixture    *f,
         const char *id)
{
  g_autoptr (RlAlertItem) item = item_of (f, id);

  return rl_ui_alert_resolved_note (item);
}

static const char *
core_text (Fixture    *f,
           const char *id,
           const char *member)
{
  g_autoptr (JsonObject) record = rl_store_get_record (f->store, "alert", id, NULL);

  g_assert_nonnull (record);
  return g_intern_string (json_object_get_string_member_with_default (record, member, NULL));
}

#define FULL "local:bin-1:FULL_BIN:1767225600000"
#define BATTERY "local:bin-1:LOW_BATTERY:1767225600000"
#define FAULT "feed:bin-1:SENSOR_FAULT:1767225600000"
#define SUPERSEDED "feed:bin-2:FULL_BIN:1767225600000"

static void
test_english_and_nepali (void)
{
  Fixture          f = { 0 };
  g_autofree char *text = NULL;

  fixture_set_up (&f);

  /* English: what core wrote, figure for figure. */
  text = message_of (&f, FULL);
  g_assert_cmpstr (text, ==, core_text (&f, FULL, "message"));
  g_assert_cmpstr (text, ==, "Fill level 92.3 % is above 85 %");
  g_free (text);
  text = message_of (&f, BATTERY);
  g_assert_cmpstr (text, ==, "Battery 15 % is below 20.5 %");
  g_free (text);
  text = note_of (&f, FULL);
  g_assert_cmpstr (text, ==, core_text (&f, FULL, "resolvedNote"));
  g_free (text);
  text = note_of (&f, BATTERY);
  g_assert_null (text);
  /* The bins' and the server's texts as they came. */
  text = message_of (&f, FAULT);
  g_assert_cmpstr (text, ==, "Lid sensor stuck");
  g_free (text);
  text = message_of (&f, "al-1");
  g_assert_cmpstr (text, ==, "Bin is over 85 % full");
  g_free (text);
  text = note_of (&f, "al-2");
  g_assert_cmpstr (text, ==, "emptied by the crew");
  g_free (text);
  text = note_of (&f, SUPERSEDED);
  g_assert_cmpstr (text, ==, "Replaced by the server’s alert");
  g_free (text);
  g_assert_cmpstr (rl_ui_alert_source_label (RL_ALERT_SOURCE_LOCAL), ==, "Console rule");

  /* Nepali: the console's own words translated, the figures the same. */
  g_setenv ("LANGUAGE", "ne", TRUE);
  setlocale (LC_ALL, "");
  text = message_of (&f, FULL);
  g_assert_cmpstr (text, ==, "भराइ स्तर 92.3 % छ, सीमा 85 % भन्दा माथि");
  g_free (text);
  text = note_of (&f, FULL);
  g_assert_cmpstr (text, ==, "स्वतः समाधान भयो: भराइ स्तर 12 % मा फर्कियो");
  g_free (text);
  text = note_of (&f, SUPERSEDED);
  g_assert_cmpstr (text, ==, "सर्भरको सतर्कताले प्रतिस्थापन गर्‍यो");
  g_free (text);
  g_assert_cmpstr (rl_ui_alert_source_label (RL_ALERT_SOURCE_FEED), ==, "सेन्सर");
  /* A server's text is the server's. */
  text = message_of (&f, "al-1");
  g_assert_cmpstr (text, ==, "Bin is over 85 % full");
  g_free (text);
  text = note_of (&f, "al-2");
  g_assert_cmpstr (text, ==, "emptied by the crew");

  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "");
  fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = NULL;

  /* English first; LANGUAGE needs a locale other than C to be honoured. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
  localedir = g_build_filename (g_getenv ("RL_BUILD_ROOT"), "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ui-alerts/english-and-nepali", test_english_and_nepali);

  return g_test_run ();
}
