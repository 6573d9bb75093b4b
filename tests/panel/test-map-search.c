/* test-map-search.c — RlMapSearch over a temporary cache, under Xvfb: the
 * query (Devanagari too), every filter control, saved views, accessibility,
 * and a screenshot of the filter popover in $RL_BUILD_ROOT/screenshots/.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "rl-map-search.h"
#include "rl-search.h"
#include "rl-store.h"
#include "gui-test-common.h"
#include "rl-test-util.h"
#include "rl-time.h"

#define MIN_MS (G_GINT64_CONSTANT (60) * 1000)
#define N_EXTRA 60

/* ---- Fixture: a cache with a few known points and many filler ones ------- */

static RlStore *
fleet (const char *file)
{
  g_autoptr (GError) error = NULL;
  RlStore *store = rl_test_store_open (file);
  g_autoptr (RlStoreBatch) batch = NULL;
  gint64           now = rl_time_now_ms ();
  g_autofree char *fresh = rl_time_format_ms (now - MIN_MS);
  g_autofree char *old = rl_time_format_ms (now - 40 * MIN_MS);
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  batch = rl_store_batch_begin (store, &error);
  g_assert_no_error (error);
  json = g_strdup_printf (
      "{\"id\":\"dp-1\",\"name\":\"Thamel Chowk\",\"address\":\"Thamel, Kathmandu\","
      "\"latitude\":27.7154,\"longitude\":85.3123,\"categories\":[\"PLASTIC\",\"PAPER\"],"
      "\"status\":\"active\",\"deviceId\":\"bin-1\",\"fillLevel\":92.0,\"isOnline\":true,"
      "\"lastReadingAt\":\"%s\",\"version\":1}",
      fresh);
  rl_test_batch_upsert (batch, "drop_point", json);
  g_free (json);
  /* the same square written in Devanagari: online, but its reading is old */
  json = g_strdup_printf (
      "{\"id\":\"dp-2\",\"name\":\"ठमेल चोक\",\"address\":\"ठमेल, काठमाडौं\","
      "\"latitude\":27.7150,\"longitude\":85.3120,\"categories\":[\"METAL\"],"
      "\"status\":\"active\",\"deviceId\":\"bin-2\",\"fillLevel\":60.0,\"isOnline\":true,"
      "\"lastReadingAt\":\"%s\",\"version\":1}",
      old);
  rl_test_batch_upsert (batch, "drop_point", json);
  g_free (json);
  json = g_strdup_printf (
      "{\"id\":\"dp-3\",\"name\":\"पाटन दरबार\",\"address\":\"मङ्गल बजार, ललितपुर\","
      "\"latitude\":27.67,\"longitude\":85.32,\"categories\":[\"GLASS\"],"
      "\"status\":\"maintenance\",\"deviceId\":\"bin-3\",\"fillLevel\":30.0,\"isOnline\":false,"
      "\"lastReadingAt\":\"%s\",\"version\":3}",
      old);
  rl_test_batch_upsert (batch, "drop_point", json);
  rl_test_batch_upsert (batch, "drop_point",
                        "{\"id\":\"dp-4\",\"name\":\"Bhaktapur Durbar\",\"address\":\"Bhaktapur\","
                        "\"latitude\":27.67,\"longitude\":85.43,\"categories\":[\"ORGANIC\",\"GLASS\"],"
                        "\"status\":\"active\",\"deviceId\":null,\"fillLevel\":null,\"isOnline\":false,"
                        "\"version\":1}");
  rl_test_batch_upsert (batch, "drop_point",
                        "{\"id\":\"dp-5\",\"name\":\"Boudha Stupa\",\"address\":\"Boudha, Kathmandu\","
                        "\"latitude\":27.72,\"longitude\":85.36,\"categories\":[\"ELECTRONIC\",\"TEXTILE\"],"
                        "\"status\":\"retired\",\"deviceId\":\"bin-5\",\"fillLevel\":null,\"isOnline\":false,"
                        "\"version\":1}");
  for (guint i = 0; i < N_EXTRA; i++)
    {
      g_autofree char *p = g_strdup_printf (
          "{\"id\":\"x-%02u\",\"name\":\"Ward Point %02u\",\"address\":\"Ward %u, Lalitpur\","
          "\"latitude\":27.6%02u,\"longitude\":85.3,\"categories\":[\"PAPER\"],"
          "\"status\":\"active\",\"deviceId\":\"bx-%02u\",\"fillLevel\":%u.0,"
          "\"isOnline\":true,\"lastReadingAt\":\"%s\",\"version\":1}",
          i, i, i, i, i, i, fresh);
      rl_test_batch_upsert (batch, "drop_point", p);
    }
  rl_test_batch_upsert (batch, "alert",
                        "{\"id\":\"al-1\",\"dropPointId\":\"dp-1\",\"deviceId\":\"bin-1\",\"type\":\"FULL_BIN\","
                        "\"severity\":\"HIGH\",\"status\":\"open\",\"createdAt\":\"2026-11-21T00:00:00Z\","
                        "\"version\":1}");
  g_assert_true (rl_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  return store;
}

/* ---- Helpers ------------------------------------------------------------ */

static gboolean
idle_cond (gpointer user_data)
{
  return !rl_map_search_get_busy (user_data);
}

static void
wait_idle (RlMapSearch *search)
{
  g_assert_true (rl_test_wait_until (idle_cond, search, 30000));
}

static int
cmp_str (gconstpointer a,
         gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static char *
sorted_text (GPtrArray *ids)
{
  g_autoptr (GPtrArray) copy = g_ptr_array_new ();

  for (guint i = 0; i < ids->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (ids, i));
  g_ptr_array_sort (copy, cmp_str);
  g_ptr_array_add (copy, NULL);
  return g_strjoinv (" ", (char **) copy->pdata);
}

/* "a b c": the sorted ids of a set (NULL: "*"). */
static char *
ids_text (GHashTable *set)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer       key;

  if (set == NULL)
    return g_strdup ("*");
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  return sorted_text (keys);
}

/* Records each set of shown ids the search applies (notify::shown-ids). */
static void
record_shown_ids_cb (RlMapSearch *search,
                     GParamSpec  *pspec,
                     GPtrArray   *applied)
{
  g_ptr_array_add (applied, ids_text (rl_map_search_get_shown_ids (search)));
}

/* What the core says for the widget's current filter. */
static char *
expected_text (RlStore              *store,
               const RlSearchFilter *filter)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) ids = rl_search_run (store, filter, rl_time_now_ms (), &error);

  g_assert_no_error (error);
  return sorted_text (ids);
}

static GtkWidget *
find_descendant (GtkWidget  *root,
                 GType       type,
                 const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        {
          const char *text = NULL;

          if (GTK_IS_CHECK_BUTTON (child))
            text = gtk_check_button_get_label (GTK_CHECK_BUTTON (child));
          else if (GTK_IS_BUTTON (child))
            text = gtk_button_get_label (GTK_BUTTON (child));
          else if (GTK_IS_LABEL (child))
            text = gtk_label_get_text (GTK_LABEL (child));
          if (label == NULL || g_strcmp0 (text, label) == 0)
            return child;
        }
      found = find_descendant (child, type, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
filters_popover (GtkWidget *search)
{
  GtkWidget *button = find_descendant (search, GTK_TYPE_MENU_BUTTON, NULL);

  g_assert_nonnull (button);
  return GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
}

static GtkWidget *
views_popover (GtkWidget *search)
{
  GtkWidget *filters = find_descendant (search, GTK_TYPE_MENU_BUTTON, NULL);
  GtkWidget *views = NULL;

  for (GtkWidget *w = gtk_widget_get_next_sibling (filters); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_MENU_BUTTON (w))
      views = w;
  g_assert_nonnull (views);
  return GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (views)));
}

static GtkWidget *
filters_button (GtkWidget *search)
{
  return find_descendant (search, GTK_TYPE_MENU_BUTTON, NULL);
}

static GtkListBox *
results_list (GtkWidget *search)
{
  GtkWidget *popover = NULL;

  for (GtkWidget *w = gtk_widget_get_first_child (search); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_POPOVER (w))
      popover = w;
  g_assert_nonnull (popover);
  return GTK_LIST_BOX (find_descendant (popover, GTK_TYPE_LIST_BOX, NULL));
}

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;
  return n;
}

typedef struct
{
  GtkWidget *window;
  GtkWidget *search;
  RlStore   *store;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *map = gtk_label_new ("(map)");

  f->store = fleet ("search.sqlite");
  f->window = gtk_window_new ();
  f->search = rl_map_search_new ();
  gtk_widget_set_margin_start (f->search, 12);
  gtk_widget_set_margin_end (f->search, 12);
  gtk_widget_set_margin_top (f->search, 6);
  gtk_widget_set_margin_bottom (f->search, 6);
  gtk_widget_set_vexpand (map, TRUE);
  gtk_box_append (GTK_BOX (box), f->search);
  gtk_box_append (GTK_BOX (box), map);
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 820, 720);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (rl_test_wait_until (gui_test_laid_out, f->search, 20000));

  g_assert_false (gtk_widget_get_sensitive (f->search));
  rl_map_search_set_store (RL_MAP_SEARCH (f->search), f->store);
  g_assert_true (gtk_widget_get_sensitive (f->search));
  wait_idle (RL_MAP_SEARCH (f->search));
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  /* A search still in flight holds the widget until it is dropped. */
  gui_test_destroy_and_wait (GTK_WINDOW (f->window), f->search, 10000);
  g_clear_object (&f->store);
}

/* ---- Tests -------------------------------------------------------------- */

static void
on_point_activated (RlMapSearch *search,
                    const char  *id,
                    char       **out)
{
  g_free (*out);
  *out = g_strdup (id);
}

/* What the entry's key controller does with a key (GTK 4.8 cannot
 * synthesize input in-process). */
static void
press_key (GtkWidget *entry,
           guint      keyval)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (entry);
  gboolean handled = FALSE;
  guint    n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (c)
          && gtk_event_controller_get_propagation_phase (c) == GTK_PHASE_CAPTURE)
        {
          g_signal_emit_by_name (c, "key-pressed", keyval, 0, 0, &handled);
          n++;
        }
    }
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (handled);
}

static void
test_query (Fixture      *f,
            gconstpointer data)
{
  RlMapSearch     *search = RL_MAP_SEARCH (f->search);
  GtkWidget       *entry = find_descendant (f->search, GTK_TYPE_SEARCH_ENTRY, NULL);
  GtkListBox      *list = results_list (f->search);
  g_autofree char *activated = NULL;
  g_autofree char *text = NULL;
  GtkListBoxRow   *row;

  g_assert_null (rl_map_search_get_shown_ids (search));
  g_assert_cmpuint (rl_map_search_get_n_matches (search), ==, 5 + N_EXTRA);
  g_signal_connect (search, "point-activated", G_CALLBACK (on_point_activated), &activated);

  /* Devanagari: only the point written in Devanagari, not "Thamel Chowk" */
  gtk_editable_set_text (GTK_EDITABLE (entry), "ठमेल");
  g_assert_true (rl_map_search_get_busy (search));
  wait_idle (search);
  text = ids_text (rl_map_search_get_shown_ids (search));
  g_assert_cmpstr (text, ==, "dp-2");
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (rl_map_search_get_n_matches (search), ==, 1);
  g_assert_cmpstr (rl_map_search_get_filter (search)->query, ==, "ठमेल");
  g_assert_cmpuint (n_rows (list), ==, 1);
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (find_descendant (GTK_WIDGET (row), GTK_TYPE_LABEL, "ठमेल चोक"));
  g_assert_nonnull (find_descendant (GTK_WIDGET (row), GTK_TYPE_LABEL, "Stale"));
  g_signal_emit_by_name (row, "activate");
  g_assert_cmpstr (activated, ==, "dp-2");

  /* Latin, any case; Enter activates the first result */
  g_clear_pointer (&activated, g_free);
  gtk_editable_set_text (GTK_EDITABLE (entry), "THAMEL chowk");
  g_signal_emit_by_name (entry, "activate"); /* while busy: after the search */
  wait_idle (search);
  g_assert_cmpstr (activated, ==, "dp-1");
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (find_descendant (GTK_WIDGET (row), GTK_TYPE_LABEL, "Fill 92 %"));

  /* many matches: 50 rows and a hint to refine */
  gtk_editable_set_text (GTK_EDITABLE (entry), "ward point");
  wait_idle (search);
  g_assert_cmpuint (rl_map_search_get_n_matches (search), ==, N_EXTRA);
  g_assert_cmpuint (g_hash_table_size (rl_map_search_get_shown_ids (search)), ==, N_EXTRA);
  g_assert_cmpuint (n_rows (list), ==, 50);
  g_assert_nonnull (find_descendant (gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_POPOVER),
                                     GTK_TYPE_LABEL, "and 10 more — refine the search"));

  /* Down and Up in the entry move the selection; Enter activates it */
  g_assert_true (
      gtk_widget_get_visible (gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_POPOVER)));
  g_assert_cmpint (gtk_list_box_row_get_index (gtk_list_box_get_selected_row (list)), ==, 0);
  press_key (entry, GDK_KEY_Down);
  press_key (entry, GDK_KEY_Down);
  press_key (entry, GDK_KEY_Up);
  g_assert_cmpint (gtk_list_box_row_get_index (gtk_list_box_get_selected_row (list)), ==, 1);
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (activated, ==, "x-01");

  /* nothing */
  gtk_editable_set_text (GTK_EDITABLE (entry), "पोखरा");
  wait_idle (search);
  text = ids_text (rl_map_search_get_shown_ids (search));
  g_assert_cmpstr (text, ==, "");
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (n_rows (list), ==, 0);
  g_assert_nonnull (find_descendant (gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_POPOVER),
                                     GTK_TYPE_LABEL, "No drop points match"));

  /* a newer query supersedes an older one, pending (debounced) or in
   * flight (refresh starts it at once, in its thread): never the stale
   * result, not even for a moment */
  {
    g_autoptr (GPtrArray) applied = g_ptr_array_new_with_free_func (g_free);
    gulong id = g_signal_connect (search, "notify::shown-ids", G_CALLBACK (record_shown_ids_cb),
                                  applied);

    gtk_editable_set_text (GTK_EDITABLE (entry), "Boudha");
    gtk_editable_set_text (GTK_EDITABLE (entry), "Bhaktapur");
    wait_idle (search);
    gtk_editable_set_text (GTK_EDITABLE (entry), "Boudha");
    rl_map_search_refresh (search);
    g_assert_true (rl_map_search_get_busy (search));
    gtk_editable_set_text (GTK_EDITABLE (entry), "Bhaktapur");
    wait_idle (search);
    g_signal_handler_disconnect (search, id);
    g_assert_cmpuint (applied->len, >=, 1);
    for (guint i = 0; i < applied->len; i++)
      g_assert_cmpstr (g_ptr_array_index (applied, i), ==, "dp-4");
  }
  text = ids_text (rl_map_search_get_shown_ids (search));
  g_assert_cmpstr (text, ==, "dp-4");
  g_clear_pointer (&text, g_free);

  /* blanks are no query; clearing the query shows everything again */
  gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
  wait_idle (search);
  g_assert_null (rl_map_search_get_shown_ids (search));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  wait_idle (search);
  g_assert_null (rl_map_search_get_shown_ids (search));
  g_assert_cmpuint (rl_map_search_get_n_matches (search), ==, 5 + N_EXTRA);

  /* the API sets the entry */
  rl_map_search_set_query (search, "दरबार");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "दरबार");
  wait_idle (search);
  text = ids_text (rl_map_search_get_shown_ids (search));
  g_assert_cmpstr (text, ==, "dp-3");
}

typedef struct
{
  const char *label;
  gboolean    is_switch;
  const char *expected; /* with only this control on */
} ControlCase;

static void
test_filters (Fixture      *f,
              gconstpointer data)
{
  RlMapSearch   *search = RL_MAP_SEARCH (f->search);
  GtkWidget     *popover = filters_popover (f->search);
  GtkMenuButton *button = GTK_MENU_BUTTON (filters_button (f->search));
  /* the filler points are PAPER, active, online, fresh, fill 0–59 % */
  static const ControlCase cases[] = {
    { "Plastic", FALSE, "dp-1" },
    { "Paper", FALSE, NULL },
    { "Metal", FALSE, "dp-2" },
    { "Glass", FALSE, "dp-3 dp-4" },
    { "Organic", FALSE, "dp-4" },
    { "Electronic", FALSE, "dp-5" },
    { "Textile", FALSE, "dp-5" },
    { "Under 50 %", FALSE, NULL },
    { "50 % to full", FALSE, NULL },
    { "Full", FALSE, "dp-1" },
    { "No reading", FALSE, "dp-4 dp-5" },
    { "Active", FALSE, NULL },
    { "In maintenance", FALSE, "dp-3" },
    { "Retired", FALSE, "dp-5" },
    { "Online", FALSE, NULL },
    { "Stale", FALSE, "dp-2" },
    { "Offline", FALSE, "dp-3 dp-5" },
    { "Only with open alerts", TRUE, "dp-1" },
  };
  g_autofree char *text = NULL;
  g_autofree char *want = NULL;
  GtkWidget       *a, *b, *clear;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkWidget *control = cases[i].is_switch
                               ? find_descendant (popover, GTK_TYPE_SWITCH, NULL)
                               : find_descendant (popover, GTK_TYPE_CHECK_BUTTON, cases[i].label);

      g_test_message ("control %s", cases[i].label);
      g_assert_nonnull (control);
      if (cases[i].is_switch)
        gtk_switch_set_active (GTK_SWITCH (control), TRUE);
      else
        gtk_check_button_set_active (GTK_CHECK_BUTTON (control), TRUE);
      wait_idle (search);
      g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Filters (1)");
      g_assert_nonnull (rl_map_search_get_shown_ids (search));
      text = ids_text (rl_map_search_get_shown_ids (search));
      want = expected_text (f->store, rl_map_search_get_filter (search));
      g_assert_cmpstr (text, ==, want);
      if (cases[i].expected != NULL)
        g_assert_cmpstr (text, ==, cases[i].expected);
      else /* the filler points are in it, and not everything */
        g_assert_cmpuint (g_hash_table_size (rl_map_search_get_shown_ids (search)), <, 5 + N_EXTRA);
      g_assert_cmpuint (rl_map_search_get_n_matches (search), ==,
                        g_hash_table_size (rl_map_search_get_shown_ids (search)));
      g_clear_pointer (&text, g_free);
      g_clear_pointer (&want, g_free);
      if (cases[i].is_switch)
        gtk_switch_set_active (GTK_SWITCH (control), FALSE);
      else
        gtk_check_button_set_active (GTK_CHECK_BUTTON (control), FALSE);
      wait_idle (search);
      g_assert_null (rl_map_search_get_shown_ids (search));
      g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Filters");
    }

  /* criteria combine: any of the categories, and the other groups */
  a = find_descendant (popover, GTK_TYPE_CHECK_BUTTON, "Glass");
  b = find_descendant (popover, GTK_TYPE_CHECK_BUTTON, "Metal");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (a), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (b), TRUE);
  gtk_check_button_set_active (
      GTK_CHECK_BUTTON (find_descendant (popover, GTK_TYPE_CHECK_BUTTON, "Active")), TRUE);
  wait_idle (search);
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Filters (3)");
  text = ids_text (rl_map_search_get_shown_ids (search));
  g_assert_cmpstr (text, ==, "dp-2 dp-4");
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (rl_map_search_get_filter (search)->categories, ==,
                    RL_CATEGORY_GLASS | RL_CATEGORY_METAL);
  g_assert_cmpuint (rl_map_search_get_filter (search)->statuses, ==, RL_POINT_STATUS_ACTIVE);

  /* Clear Filters: everything shown again, every control off */
  clear = find_descendant (popover, GTK_TYPE_BUTTON, "_Clear Filters");
  g_assert_nonnull (clear);
  g_assert_true (gtk_widget_get_sensitive (clear));
  g_signal_emit_by_name (clear, "clicked");
  wait_idle (search);
  g_assert_null (rl_map_search_get_shown_ids (search));
  g_assert_true (rl_search_filter_is_empty (rl_map_search_get_filter (search)));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (a)));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (b)));
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Filters");
  g_assert_false (gtk_widget_get_sensitive (clear));
}

typedef struct
{
  guint  count;
  double lat, lon, zoom;
} ViewSeen;

static void
on_view_activated (RlMapSearch *search,
                   double       lat,
                   double       lon,
                   double       zoom,
                   ViewSeen    *seen)
{
  seen->count++;
  seen->lat = lat;
  seen->lon = lon;
  seen->zoom = zoom;
}

/* The newest AdwMessageDialog that is not @other. */
static AdwMessageDialog *
find_dialog (GtkWidget *other)
{
  GListModel       *toplevels = gtk_window_get_toplevels (); /* not ours */
  AdwMessageDialog *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && GTK_WIDGET (w) != other)
        found = ADW_MESSAGE_DIALOG (w);
    }
  return found;
}

/* "Save Current View…" as a person would: the dialog, its entry, Save. */
static void
test_save_dialog (Fixture      *f,
                  gconstpointer data)
{
  RlMapSearch      *search = RL_MAP_SEARCH (f->search);
  GtkWidget        *vpop = views_popover (f->search);
  GtkWidget        *save = find_descendant (vpop, GTK_TYPE_BUTTON, "_Save Current View…");
  GtkWidget        *fpop = filters_popover (f->search);
  AdwMessageDialog *dialog, *confirm;
  GtkEditable      *name;
  g_autoptr (GPtrArray) views = NULL;

  g_assert_nonnull (save);
  g_assert_true (GTK_IS_BUTTON (save));
  g_assert_null (find_dialog (NULL));
  g_signal_emit_by_name (save, "clicked");
  dialog = find_dialog (NULL);
  g_assert_nonnull (dialog);
  name = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_assert_true (GTK_IS_ENTRY (name));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  gtk_editable_set_text (name, "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  gtk_editable_set_text (name, " Full bins ");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  adw_message_dialog_response (dialog, "save");
  gtk_window_destroy (GTK_WINDOW (dialog));
  views = rl_map_search_dup_views (search);
  g_assert_cmpuint (views->len, ==, 1);
  g_assert_cmpstr (((RlSavedView *) g_ptr_array_index (views, 0))->name, ==, "Full bins");
  g_assert_cmpuint (((RlSavedView *) g_ptr_array_index (views, 0))->filter.fill_bands, ==, 0);
  g_clear_pointer (&views, g_ptr_array_unref);

  /* the same name again asks first, and Replace replaces */
  gtk_check_button_set_active (
      GTK_CHECK_BUTTON (find_descendant (fpop, GTK_TYPE_CHECK_BUTTON, "Full")), TRUE);
  wait_idle (search);
  g_assert_true (GTK_IS_BUTTON (save));
  g_assert_true (GTK_IS_WIDGET (fpop));
  g_signal_emit_by_name (save, "clicked");
  dialog = find_dialog (NULL);
  name = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gtk_editable_set_text (name, "Full bins");
  adw_message_dialog_response (dialog, "save");
  confirm = find_dialog (GTK_WIDGET (dialog));
  g_assert_nonnull (confirm);
  gtk_window_destroy (GTK_WINDOW (dialog));
  views = rl_map_search_dup_views (search);
  g_assert_cmpuint (((RlSavedView *) g_ptr_array_index (views, 0))->filter.fill_bands, ==, 0);
  g_clear_pointer (&views, g_ptr_array_unref);
  adw_message_dialog_response (confirm, "replace");
  gtk_window_destroy (GTK_WINDOW (confirm));
  views = rl_map_search_dup_views (search);
  g_assert_cmpuint (views->len, ==, 1);
  g_assert_cmpuint (((RlSavedView *) g_ptr_array_index (views, 0))->filter.fill_bands, ==,
                    RL_FILL_BAND_FULL);
}

static void
test_saved_views (Fixture      *f,
                  gconstpointer data)
{
  RlMapSearch *search = RL_MAP_SEARCH (f->search);
  GtkWidget   *fpop = filters_popover (f->search);
  GtkWidget   *vpop = views_popover (f->search);
  GtkWidget   *glass = find_descendant (fpop, GTK_TYPE_CHECK_BUTTON, "Glass");
  GtkWidget   *entry = find_descendant (f->search, GTK_TYPE_SEARCH_ENTRY, NULL);
  GtkListBox  *vlist = GTK_LIST_BOX (find_descendant (vpop, GTK_TYPE_LIST_BOX, NULL));
  GtkWidget   *empty = find_descendant (vpop, GTK_TYPE_LABEL, "No saved views yet");
  RlViewport   vp = { 27.6710, 85.3250, 16.5 };
  ViewSeen     seen = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) views = NULL;
  g_autofree char *text = NULL;
  GtkWidget       *remove;

  g_signal_connect (search, "view-activated", G_CALLBACK (on_view_activated), &seen);
  g_assert_nonnull (empty);
  g_assert_true (gtk_widget_get_visible (empty));
  g_assert_cmpuint (n_rows (vlist), ==, 0);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (glass), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), "दरबार");
  wait_idle (search);
  rl_map_search_set_current_viewport (search, &vp);
  g_assert_false (rl_map_search_save_view (search, "  ", &error));
  g_assert_error (error, RL_MAP_SEARCH_ERROR, RL_MAP_SEARCH_ERROR_BAD_NAME);
  g_clear_error (&error);
  g_assert_true (rl_map_search_save_view (search, "पाटन — काँच", &error));
  g_assert_no_error (error);
  views = rl_map_search_dup_views (search);
  g_assert_cmpuint (views->len, ==, 1);
  g_clear_pointer (&views, g_ptr_array_unref);
  g_assert_cmpuint (n_rows (vlist), ==, 1);
  g_assert_false (gtk_widget_get_visible (empty));

  /* change everything, then apply the view */
  rl_map_search_set_filter (search, NULL);
  wait_idle (search);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (glass)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_null (rl_map_search_get_shown_ids (search));

  g_assert_false (rl_map_search_apply_view (search, "no such view"));
  /* through the popover's row, as a person would */
  g_signal_emit_by_name (gtk_list_box_get_row_at_index (vlist, 0), "activate");
  g_assert_cmpuint (seen.count, ==, 1);
  g_assert_cmpfloat (seen.lat, ==, vp.latitude);
  g_assert_cmpfloat (seen.lon, ==, vp.longitude);
  g_assert_cmpfloat (seen.zoom, ==, vp.zoom);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (glass)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "दरबार");
  g_assert_cmpuint (rl_map_search_get_filter (search)->categories, ==, RL_CATEGORY_GLASS);
  wait_idle (search);
  text = ids_text (rl_map_search_get_shown_ids (search));
  g_assert_cmpstr (text, ==, "dp-3");

  /* delete through the row's button, then undo */
  remove = find_descendant (GTK_WIDGET (gtk_list_box_get_row_at_index (vlist, 0)), GTK_TYPE_BUTTON,
                            NULL);
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  views = rl_map_search_dup_views (search);
  g_assert_cmpuint (views->len, ==, 0);
  g_clear_pointer (&views, g_ptr_array_unref);
  g_assert_cmpuint (n_rows (vlist), ==, 0);
  g_assert_true (gtk_widget_get_visible (empty));
  g_assert_true (rl_map_search_undo_delete (search, &error));
  g_assert_no_error (error);
  views = rl_map_search_dup_views (search);
  g_assert_cmpuint (views->len, ==, 1);
  g_assert_cmpstr (((RlSavedView *) g_ptr_array_index (views, 0))->name, ==, "पाटन — काँच");
  g_assert_cmpuint (((RlSavedView *) g_ptr_array_index (views, 0))->filter.categories, ==,
                    RL_CATEGORY_GLASS);
  g_clear_pointer (&views, g_ptr_array_unref);
  g_assert_cmpuint (n_rows (vlist), ==, 1);
  g_assert_false (rl_map_search_undo_delete (search, NULL)); /* only once */

  g_assert_true (rl_map_search_delete_view (search, "पाटन — काँच", &error));
  g_assert_no_error (error);
  g_assert_false (rl_map_search_delete_view (search, "पाटन — काँच", &error));
  g_assert_error (error, RL_MAP_SEARCH_ERROR, RL_MAP_SEARCH_ERROR_NOT_FOUND);
}

/* A search that fails says so in the popover; the map keeps its set. */
static void
test_failed_search (Fixture      *f,
                    gconstpointer data)
{
  RlMapSearch *search = RL_MAP_SEARCH (f->search);
  GtkWidget   *entry = find_descendant (f->search, GTK_TYPE_SEARCH_ENTRY, NULL);
  GtkWidget   *results =
      gtk_widget_get_ancestor (GTK_WIDGET (results_list (f->search)), GTK_TYPE_POPOVER);
  const char      *path = rl_store_get_path (f->store);
  g_autofree char *text = NULL;
  GtkWidget       *label = NULL;

  gtk_editable_set_text (GTK_EDITABLE (entry), "Thamel");
  wait_idle (search);
  text = ids_text (rl_map_search_get_shown_ids (search));
  g_assert_cmpstr (text, ==, "dp-1");
  g_clear_pointer (&text, g_free);

  /* the worker cannot open the file any more (a directory stands there);
   * the main connection keeps its own */
  for (guint i = 0; i < 3; i++)
    {
      static const char *suffix[] = { "", "-wal", "-shm" };
      g_autofree char   *p = g_strconcat (path, suffix[i], NULL);

      g_unlink (p);
    }
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  rl_map_search_refresh (search);
  g_assert_true (rl_map_search_get_busy (search));
  wait_idle (search);
  text = ids_text (rl_map_search_get_shown_ids (search));
  g_assert_cmpstr (text, ==, "dp-1");
  /* the status line under the list */
  for (GtkWidget *c = gtk_widget_get_first_child (gtk_popover_get_child (GTK_POPOVER (results)));
       c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LABEL (c))
      label = c;
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), "The search failed: "));
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
test_damaged_views (void)
{
  g_autoptr (RlStore) store = fleet ("damaged.sqlite");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) views = NULL;
  GtkWidget *search = g_object_ref_sink (rl_map_search_new ());

  g_assert_true (rl_store_set_meta (store, "views", "{\"version\":1,\"views\":[{\"na", &error));
  g_assert_no_error (error);
  g_test_expect_message ("reloop-core", G_LOG_LEVEL_WARNING, "Saved views are damaged*");
  rl_map_search_set_store (RL_MAP_SEARCH (search), store);
  g_test_assert_expected_messages ();
  g_assert_true (gtk_widget_get_sensitive (search));
  wait_idle (RL_MAP_SEARCH (search));
  g_assert_cmpuint (rl_map_search_get_n_matches (RL_MAP_SEARCH (search)), ==, 5 + N_EXTRA);
  g_test_expect_message ("reloop-core", G_LOG_LEVEL_WARNING, "Saved views are damaged*");
  views = rl_map_search_dup_views (RL_MAP_SEARCH (search));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (views->len, ==, 0);
  /* saving a new view writes a sound value again */
  g_test_expect_message ("reloop-core", G_LOG_LEVEL_WARNING, "Saved views are damaged*");
  g_assert_true (rl_map_search_save_view (RL_MAP_SEARCH (search), "Fresh", &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_clear_pointer (&views, g_ptr_array_unref);
  views = rl_map_search_dup_views (RL_MAP_SEARCH (search));
  g_assert_cmpuint (views->len, ==, 1);

  rl_map_search_set_store (RL_MAP_SEARCH (search), NULL);
  g_assert_false (gtk_widget_get_sensitive (search));
  g_assert_null (rl_map_search_get_shown_ids (RL_MAP_SEARCH (search)));
  g_assert_false (rl_map_search_get_busy (RL_MAP_SEARCH (search)));
  g_object_unref (search);
}

/* Every interactive widget has a name a screen reader can say: its own
 * accessible label, or text it contains (buttons, check buttons, rows). */
static gboolean
has_text_inside (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if ((GTK_IS_LABEL (c) && gtk_label_get_text (GTK_LABEL (c))[0] != '\0') || has_text_inside (c))
      return TRUE;
  return FALSE;
}

static void
check_names (GtkWidget *widget,
             guint     *checked)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      gboolean interactive = GTK_IS_BUTTON (c) || GTK_IS_CHECK_BUTTON (c) || GTK_IS_SWITCH (c)
                             || GTK_IS_MENU_BUTTON (c) || GTK_IS_SEARCH_ENTRY (c)
                             || GTK_IS_ENTRY (c) || GTK_IS_LIST_BOX_ROW (c) || GTK_IS_LIST_BOX (c);
      /* the toggle inside a menu button and the text inside an entry
       * belong to their (named) parent */
      gboolean inner = (GTK_IS_MENU_BUTTON (widget) && GTK_IS_TOGGLE_BUTTON (c));

      if (interactive && !inner)
        {
          gboolean named =
              gtk_test_accessible_has_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL)
              || gtk_test_accessible_has_relation (GTK_ACCESSIBLE (c),
                                                   GTK_ACCESSIBLE_RELATION_LABELLED_BY)
              || (!GTK_IS_LIST_BOX (c) && !GTK_IS_SWITCH (c) && has_text_inside (c));

          if (!named)
            g_error ("%s %p has no accessible name", G_OBJECT_TYPE_NAME (c), (void *) c);
          (*checked)++;
        }
      check_names (c, checked);
    }
}

static void
test_accessibility (Fixture      *f,
                    gconstpointer data)
{
  RlMapSearch *search = RL_MAP_SEARCH (f->search);
  GtkWidget   *entry = find_descendant (f->search, GTK_TYPE_SEARCH_ENTRY, NULL);
  g_autoptr (GError) error = NULL;
  guint checked = 0;

  /* fill the lists so their rows are checked too */
  gtk_editable_set_text (GTK_EDITABLE (entry), "Durbar");
  wait_idle (search);
  g_assert_true (rl_map_search_save_view (search, "Durbars", &error));
  g_assert_no_error (error);

  check_names (f->search, &checked);
  /* entry, 2 menu buttons, 17 check buttons, switch, Clear, Save…, view row
   * and its delete button, the two lists, a result row */
  g_assert_cmpuint (checked, >=, 27);

  /* grab_focus on the widget focuses the entry (the page's Ctrl+F) */
  g_assert_true (gtk_widget_grab_focus (f->search));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), entry)
                 || gtk_root_get_focus (GTK_ROOT (f->window)) == entry);
}

/* ---- Screenshot: the widget with its filter popover open ---------------- */

/* Paints @window and, where the compositor would put it, @popover. */
static void
save_with_popover (GtkWidget  *window,
                   GtkWidget  *popover,
                   const char *name)
{
  const char      *root = g_getenv ("RL_BUILD_ROOT");
  g_autofree char *dir = g_build_filename (root ? root : ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GdkPaintable) window_paint = gtk_widget_paintable_new (window);
  g_autoptr (GdkPaintable) popover_paint = gtk_widget_paintable_new (popover);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GdkSurface *surface;
  int         x, y, w, h, pw, ph;

  g_assert_true (rl_test_wait_until (gui_test_laid_out, popover, 20000));
  gui_test_wait_painted (popover, 10000);
  surface = gtk_native_get_surface (GTK_NATIVE (popover));
  x = gdk_popup_get_position_x (GDK_POPUP (surface));
  y = gdk_popup_get_position_y (GDK_POPUP (surface));
  w = gtk_widget_get_width (window);
  h = gtk_widget_get_height (window);
  pw = gdk_surface_get_width (surface);
  ph = gdk_surface_get_height (surface);
  gdk_paintable_snapshot (window_paint, snapshot, w, h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gdk_paintable_snapshot (popover_paint, snapshot, pw, ph);
  gtk_snapshot_restore (snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture =
      gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                   &GRAPHENE_RECT_INIT (0, 0, MAX (w, x + pw), MAX (h, y + ph)));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
test_screenshot (Fixture      *f,
                 gconstpointer data)
{
  RlMapSearch   *search = RL_MAP_SEARCH (f->search);
  GtkWidget     *popover = filters_popover (f->search);
  GtkMenuButton *button = GTK_MENU_BUTTON (filters_button (f->search));
  GtkWidget     *entry = find_descendant (f->search, GTK_TYPE_SEARCH_ENTRY, NULL);
  GtkWidget     *results =
      gtk_widget_get_ancestor (GTK_WIDGET (results_list (f->search)), GTK_TYPE_POPOVER);

  gtk_check_button_set_active (
      GTK_CHECK_BUTTON (find_descendant (popover, GTK_TYPE_CHECK_BUTTON, "Plastic")), TRUE);
  gtk_check_button_set_active (
      GTK_CHECK_BUTTON (find_descendant (popover, GTK_TYPE_CHECK_BUTTON, "Full")), TRUE);
  wait_idle (search);
  gtk_menu_button_popup (button);
  save_with_popover (f->window, popover, "map-search-filters.png");
  gtk_menu_button_popdown (button);
  g_signal_emit_by_name (find_descendant (popover, GTK_TYPE_BUTTON, "_Clear Filters"), "clicked");

  /* the saved views */
  {
    GtkWidget     *views = views_popover (f->search);
    GtkMenuButton *views_button = GTK_MENU_BUTTON (gtk_widget_get_parent (views));
    g_autoptr (GError) error = NULL;

    g_assert_true (rl_map_search_save_view (search, "Full in Thamel", &error));
    g_assert_true (rl_map_search_save_view (search, "पाटन दरबार क्षेत्र", &error));
    g_assert_no_error (error);
    gtk_menu_button_popup (views_button);
    save_with_popover (f->window, views, "map-search-views.png");
    gtk_menu_button_popdown (views_button);
  }

  /* typing shows the results under the entry; Escape closes them, a
   * second Escape clears the query */
  gtk_widget_grab_focus (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Durbar");
  wait_idle (search);
  g_assert_true (gtk_widget_get_visible (results));
  save_with_popover (f->window, results, "map-search-results.png");
  g_signal_emit_by_name (entry, "stop-search");
  g_assert_false (gtk_widget_get_visible (results));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Durbar");
  g_signal_emit_by_name (entry, "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  wait_idle (search);
  g_assert_null (rl_map_search_get_shown_ids (search));
}

int
main (int argc, char **argv)
{
  const char      *build_root = g_getenv ("RL_BUILD_ROOT");
  g_autofree char *schema_dir = g_build_filename (build_root ? build_root : ".", "data", NULL);
  g_auto (GStrv) data_dirs = NULL;

  g_setenv ("TZ", "Asia/Kathmandu", TRUE);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* the test AT context keeps the accessible properties we check */
  g_setenv ("GTK_A11Y", "test", TRUE);
  /* GL on llvmpipe crawls under ASan; cairo also makes screenshots stable. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  /* the isolated dirs hide the system's icon themes: keep them visible */
  data_dirs = g_strdupv ((char **) g_get_system_data_dirs ());
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();
  adw_init ();
  for (guint i = 0; data_dirs[i] != NULL; i++)
    {
      g_autofree char *icons = g_build_filename (data_dirs[i], "icons", NULL);

      gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      icons);
    }

  g_test_add ("/map-search/query", Fixture, NULL, fixture_set_up, test_query, fixture_tear_down);
  g_test_add ("/map-search/filters", Fixture, NULL, fixture_set_up, test_filters,
              fixture_tear_down);
  g_test_add ("/map-search/saved-views", Fixture, NULL, fixture_set_up, test_saved_views,
              fixture_tear_down);
  g_test_add ("/map-search/save-dialog", Fixture, NULL, fixture_set_up, test_save_dialog,
              fixture_tear_down);
  g_test_add ("/map-search/failed-search", Fixture, NULL, fixture_set_up, test_failed_search,
              fixture_tear_down);
  g_test_add_func ("/map-search/damaged-views", test_damaged_views);
  g_test_add ("/map-search/accessibility", Fixture, NULL, fixture_set_up, test_accessibility,
              fixture_tear_down);
  g_test_add ("/map-search/screenshot", Fixture, NULL, fixture_set_up, test_screenshot,
              fixture_tear_down);

  return g_test_run ();
}
