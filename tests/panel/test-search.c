/* test-search.c — name/address search (Latin, Devanagari), filters, saved views.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "rl-search.h"
#include "rl-store.h"
#include "rl-test-util.h"

#define NOW_MS (G_GINT64_CONSTANT (1795219200) * 1000)
#define MIN_MS (G_GINT64_CONSTANT (60) * 1000)

static RlStore *
open_store (void)
{
  return rl_test_store_open ("search.sqlite");
}

static void
test_normalize (void)
{
  g_autofree char *a = rl_search_normalize ("Thamel CHOWK");
  g_autofree char *b = rl_search_normalize ("Caf\xc3\xa9");              /* é precomposed */
  g_autofree char *c = rl_search_normalize ("CAFE\xcc\x81");             /* E + combining acute */
  g_autofree char *d = rl_search_normalize ("\xe0\xa5\x98");             /* क़ U+0958 */
  g_autofree char *e = rl_search_normalize ("\xe0\xa4\x95\xe0\xa4\xbc"); /* क + ़ */
  g_autofree char *bad = rl_search_normalize ("\xff\xfe");

  g_assert_cmpstr (a, ==, "thamel chowk");
  g_assert_cmpstr (b, ==, c);
  g_assert_cmpstr (d, ==, e);
  g_assert_cmpstr (bad, ==, "");
}

static void
test_text_match (void)
{
  const char      *name = "ठमेल चोक"; /* Thamel Chowk */
  const char      *address = "Thamel, Kathmandu";
  g_autofree char *q1 = rl_search_normalize ("चोक");
  g_autofree char *q2 = rl_search_normalize ("KATHMANDU");
  g_autofree char *q3 = rl_search_normalize ("पाटन"); /* Patan: not here */
  g_autofree char *q4 =
      rl_search_normalize ("\xe0\xa4\x95\xe0\xa4\xbc\xe0\xa4\xbe"); /* क़ा decomposed */
  g_autofree char *q5 = rl_search_normalize ("");

  g_assert_true (rl_search_text_matches (q1, name, address));
  g_assert_true (rl_search_text_matches (q2, name, address));
  g_assert_false (rl_search_text_matches (q3, name, address));
  /* the name typed with the precomposed nukta letter U+0958 */
  g_assert_true (rl_search_text_matches (q4,
                                         "\xe0\xa5\x98\xe0\xa4\xbe\xe0\xa4\xa0\xe0\xa4\xae\xe0\xa4"
                                         "\xbe\xe0\xa4\xa1\xe0\xa5\x8c\xe0\xa4\x82",
                                         NULL));
  g_assert_true (rl_search_text_matches (q5, NULL, NULL));
  g_assert_false (rl_search_text_matches (q1, NULL, NULL));
}

static void
test_filters (void)
{
  RlSearchFilter f = { 0 };
  RlSearchPoint  p = {
     .name = "Thamel Chowk",
     .address = "Thamel, Kathmandu",
     .categories = RL_CATEGORY_PLASTIC | RL_CATEGORY_PAPER,
     .status = RL_POINT_STATUS_ACTIVE,
     .fill_level = 64.0,
     .has_device = TRUE,
     .is_online = TRUE,
     .last_reading_ms = NOW_MS - MIN_MS,
     .open_alerts = 0,
  };

  g_assert_true (rl_search_filter_is_empty (&f));
  g_assert_true (rl_search_filter_matches (&f, NULL, &p, NOW_MS));

  f.categories = RL_CATEGORY_GLASS;
  g_assert_false (rl_search_filter_matches (&f, NULL, &p, NOW_MS));
  f.categories = RL_CATEGORY_GLASS | RL_CATEGORY_PAPER;
  g_assert_true (rl_search_filter_matches (&f, NULL, &p, NOW_MS));

  f.fill_bands = RL_FILL_BAND_FULL;
  g_assert_false (rl_search_filter_matches (&f, NULL, &p, NOW_MS));
  f.fill_bands = RL_FILL_BAND_MEDIUM;
  g_assert_true (rl_search_filter_matches (&f, NULL, &p, NOW_MS));
  g_assert_cmpuint (rl_search_fill_band (85.0), ==, RL_FILL_BAND_FULL);
  g_assert_cmpuint (rl_search_fill_band (49.9), ==, RL_FILL_BAND_LOW);
  g_assert_cmpuint (rl_search_fill_band (NAN), ==, RL_FILL_BAND_NONE);

  f.statuses = RL_POINT_STATUS_MAINTENANCE;
  g_assert_false (rl_search_filter_matches (&f, NULL, &p, NOW_MS));
  f.statuses |= RL_POINT_STATUS_ACTIVE;
  g_assert_true (rl_search_filter_matches (&f, NULL, &p, NOW_MS));

  f.links = RL_LINK_ONLINE;
  g_assert_true (rl_search_filter_matches (&f, NULL, &p, NOW_MS));
  /* 11 minutes later the same reading is stale */
  g_assert_false (rl_search_filter_matches (&f, NULL, &p, NOW_MS + 10 * MIN_MS));
  g_assert_cmpuint (rl_search_link_state (&p, NOW_MS + 10 * MIN_MS), ==, RL_LINK_STALE);
  p.is_online = FALSE;
  g_assert_cmpuint (rl_search_link_state (&p, NOW_MS), ==, RL_LINK_OFFLINE);
  f.links = RL_LINK_OFFLINE;
  g_assert_true (rl_search_filter_matches (&f, NULL, &p, NOW_MS));
  p.has_device = FALSE;
  g_assert_false (rl_search_filter_matches (&f, NULL, &p, NOW_MS));
  p.has_device = TRUE;

  f.open_alerts_only = TRUE;
  g_assert_false (rl_search_filter_matches (&f, NULL, &p, NOW_MS));
  p.open_alerts = 2;
  g_assert_true (rl_search_filter_matches (&f, NULL, &p, NOW_MS));

  f.query = g_strdup ("thamel");
  g_assert_true (rl_search_filter_matches (&f, NULL, &p, NOW_MS));
  g_free (f.query);
  f.query = g_strdup ("patan");
  g_assert_false (rl_search_filter_matches (&f, NULL, &p, NOW_MS));
  g_assert_false (rl_search_filter_is_empty (&f));
  rl_search_filter_clear (&f);
  g_assert_true (rl_search_filter_is_empty (&f));
}

static void
add_point (RlStoreBatch *batch,
           const char   *json)
{
  rl_test_batch_upsert (batch, strstr (json, "dropPointId") ? "alert" : "drop_point", json);
}

static RlStore *
fleet (void)
{
  RlStore *store = open_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = rl_store_batch_begin (store, &error);

  g_assert_no_error (error);
  add_point (batch,
             "{\"id\":\"dp-1\",\"name\":\"Thamel Chowk\",\"address\":\"Thamel, Kathmandu\","
             "\"latitude\":27.7154,\"longitude\":85.3123,\"categories\":[\"PLASTIC\",\"PAPER\"],"
             "\"status\":\"active\",\"deviceId\":\"bin-1\",\"fillLevel\":91.0,\"isOnline\":true,"
             "\"lastReadingAt\":\"2026-11-21T00:00:00Z\",\"version\":1}");
  add_point (
      batch,
      "{\"id\":\"dp-2\",\"name\":\"पाटन दरबार\",\"address\":\"मङ्गल बजार, ललितपुर\","
      "\"latitude\":27.67,\"longitude\":85.32,\"categories\":[\"GLASS\"],"
      "\"status\":\"maintenance\",\"deviceId\":\"bin-2\",\"fillLevel\":30.0,\"isOnline\":false,"
      "\"lastReadingAt\":\"2026-11-20T20:00:00Z\",\"version\":3}");
  add_point (batch, "{\"id\":\"dp-3\",\"name\":\"Bhaktapur Durbar\",\"address\":\"Bhaktapur\","
                    "\"latitude\":27.67,\"longitude\":85.43,\"categories\":[\"ORGANIC\",\"GLASS\"],"
                    "\"status\":\"active\",\"deviceId\":null,\"fillLevel\":null,\"isOnline\":false,"
                    "\"version\":1}");
  add_point (
      batch,
      "{\"id\":\"al-1\",\"dropPointId\":\"dp-1\",\"deviceId\":\"bin-1\",\"type\":\"FULL_BIN\","
      "\"severity\":\"HIGH\",\"status\":\"open\",\"createdAt\":\"2026-11-21T00:00:00Z\","
      "\"version\":1}");
  add_point (
      batch,
      "{\"id\":\"al-2\",\"dropPointId\":\"dp-2\",\"deviceId\":\"bin-2\",\"type\":\"OFFLINE\","
      "\"severity\":\"MEDIUM\",\"status\":\"resolved\",\"createdAt\":\"2026-11-20T00:00:00Z\","
      "\"version\":2}");
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  return store;
}

static char *
run (RlStore              *store,
     const RlSearchFilter *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) ids = rl_search_run (store, f, NOW_MS + MIN_MS, &error);

  g_assert_no_error (error);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (" ", (char **) ids->pdata);
}

static void
test_run_on_store (void)
{
  g_autoptr (RlStore) store = fleet ();
  RlSearchFilter f = { 0 };
  char          *r;

  /* name order: Latin before Devanagari */
  r = run (store, &f);
  g_assert_cmpstr (r, ==, "dp-3 dp-1 dp-2");
  g_free (r);
  f.query = g_strdup ("दरबार");
  r = run (store, &f);
  g_assert_cmpstr (r, ==, "dp-2");
  g_free (r);
  g_free (f.query);
  f.query = g_strdup ("DURBAR");
  r = run (store, &f);
  g_assert_cmpstr (r, ==, "dp-3");
  g_free (r);
  g_free (f.query);
  f.query = g_strdup ("ललितपुर"); /* address only */
  r = run (store, &f);
  g_assert_cmpstr (r, ==, "dp-2");
  g_free (r);
  rl_search_filter_clear (&f);

  f.categories = RL_CATEGORY_GLASS;
  r = run (store, &f);
  g_assert_cmpstr (r, ==, "dp-3 dp-2");
  g_free (r);
  f.categories = 0;
  f.open_alerts_only = TRUE;
  r = run (store, &f);
  g_assert_cmpstr (r, ==, "dp-1");
  g_free (r);
  f.open_alerts_only = FALSE;
  f.fill_bands = RL_FILL_BAND_FULL | RL_FILL_BAND_NONE;
  r = run (store, &f);
  g_assert_cmpstr (r, ==, "dp-3 dp-1");
  g_free (r);
  f.fill_bands = 0;
  f.links = RL_LINK_OFFLINE;
  r = run (store, &f);
  g_assert_cmpstr (r, ==, "dp-2");
  g_free (r);
  f.links = RL_LINK_ONLINE;
  r = run (store, &f);
  g_assert_cmpstr (r, ==, "dp-1");
  g_free (r);
  f.links = 0;
  f.statuses = RL_POINT_STATUS_MAINTENANCE | RL_POINT_STATUS_RETIRED;
  r = run (store, &f);
  g_assert_cmpstr (r, ==, "dp-2");
  g_free (r);

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonArray) a1 = rl_search_alerts_for_point (store, "dp-1", &error);
    g_autoptr (JsonArray) a2 = rl_search_alerts_for_point (store, "dp-2", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (a1), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (a1, 0), "id"),
                     ==, "al-1");
    g_assert_cmpuint (json_array_get_length (a2), ==, 0); /* resolved */
  }
}

static void
test_saved_views (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) views = NULL;
  RlSearchFilter f = { .query = (char *) "चोक",
                       .categories = RL_CATEGORY_PAPER,
                       .fill_bands = RL_FILL_BAND_FULL,
                       .links = RL_LINK_STALE | RL_LINK_OFFLINE,
                       .open_alerts_only = TRUE };
  RlViewport     vp = { 27.7154, 85.3123, 15.5 };
  g_autoptr (RlSavedView) full = rl_saved_view_new ("Full in Thamel", &f, &vp);
  g_autoptr (RlSavedView) all = rl_saved_view_new ("सबै", NULL, NULL);
  RlSavedView *v;

  {
    g_autoptr (RlStore) store = open_store ();

    views = rl_search_views_load (store);
    g_assert_cmpuint (views->len, ==, 0);
    g_clear_pointer (&views, g_ptr_array_unref);
    g_assert_true (rl_search_views_put (store, full, &error));
    g_assert_no_error (error);
    g_assert_true (rl_search_views_put (store, all, &error));
    g_assert_no_error (error);
    /* replacing keeps the order */
    full->viewport.zoom = 12;
    g_assert_true (rl_search_views_put (store, full, &error));
    g_assert_no_error (error);
  }

  {
    g_autoptr (RlStore) store = open_store ();

    views = rl_search_views_load (store);
    g_assert_cmpuint (views->len, ==, 2);
    v = g_ptr_array_index (views, 0);
    g_assert_cmpstr (v->name, ==, "Full in Thamel");
    g_assert_cmpstr (v->filter.query, ==, "चोक");
    g_assert_cmpuint (v->filter.categories, ==, RL_CATEGORY_PAPER);
    g_assert_cmpuint (v->filter.fill_bands, ==, RL_FILL_BAND_FULL);
    g_assert_cmpuint (v->filter.statuses, ==, 0);
    g_assert_cmpuint (v->filter.links, ==, RL_LINK_STALE | RL_LINK_OFFLINE);
    g_assert_true (v->filter.open_alerts_only);
    g_assert_cmpfloat (v->viewport.latitude, ==, 27.7154);
    g_assert_cmpfloat (v->viewport.longitude, ==, 85.3123);
    g_assert_cmpfloat (v->viewport.zoom, ==, 12);
    v = g_ptr_array_index (views, 1);
    g_assert_cmpstr (v->name, ==, "सबै");
    g_assert_true (rl_search_filter_is_empty (&v->filter));
    g_clear_pointer (&views, g_ptr_array_unref);

    g_assert_true (rl_search_views_remove (store, "Full in Thamel", &error));
    g_assert_no_error (error);
    views = rl_search_views_load (store);
    g_assert_cmpuint (views->len, ==, 1);
    g_clear_pointer (&views, g_ptr_array_unref);

    /* a damaged value never blocks: empty list and a warning */
    g_assert_true (rl_store_set_meta (store, "views", "{not json", &error));
    g_assert_no_error (error);
    g_test_expect_message ("reloop-core", G_LOG_LEVEL_WARNING, "Saved views are damaged*");
    views = rl_search_views_load (store);
    g_test_assert_expected_messages ();
    g_assert_cmpuint (views->len, ==, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/search/normalize", test_normalize);
  g_test_add_func ("/search/text-match", test_text_match);
  g_test_add_func ("/search/filters", test_filters);
  g_test_add_func ("/search/run-on-store", test_run_on_store);
  g_test_add_func ("/search/saved-views", test_saved_views);

  return g_test_run ();
}
