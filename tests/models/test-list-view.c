/* test-list-view.c — a GtkColumnView over an RlRecordList: headers order the SQL, cells follow the cache.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In a real window (Xvfb): clicking a sortable header (as
 * gtk_column_view_sort_by_column does) sets the list's SQL order and
 * direction, and the rows on screen follow; a row changed in the cache
 * updates its cell in place; the list's own order shows on its header.
 */
#include "config.h"

#include "gui-test-common.h"
#include "list-records.h"
#include "list-view.h"
#include "rl-test-util.h"

#define WAIT_MS 30000

static gboolean
loaded (gpointer user_data)
{
  return !rl_record_list_get_loading (RL_RECORD_LIST (user_data));
}

static gint64
item_int (RlRecordList *list,
          guint         position,
          const char   *property)
{
  g_autoptr (RlListItem) item = g_list_model_get_item (G_LIST_MODEL (list), position);

  return rl_list_item_get_int64 (item, property);
}

/* TRUE when a GtkInscription under @widget shows @text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_INSCRIPTION (widget)
      && g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} TextWait;

static gboolean
text_shown (gpointer user_data)
{
  TextWait *wait = user_data;

  return shows_text (wait->root, wait->text);
}

static RlStore *
open_store (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "view.sqlite", NULL);
  RlStore         *store = rl_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static void
test_headers_and_cells (void)
{
  const KindCase *kc = list_kind_case (RL_LIST_KIND_RUNS);
  g_autoptr (RlStore) store = open_store ();
  g_autoptr (ListView) lv = NULL;
  g_autoptr (GError) error = NULL;
  GtkWindow  *window;
  const guint n = 300;
  gint64      previous;

  list_write_records (store, kc, 0, n, 0);
  lv = list_view_new (store, RL_LIST_KIND_RUNS);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 900, 500);
  gtk_window_set_child (window, lv->scrolled);
  gtk_window_present (window);
  g_assert_true (rl_test_wait_until (gui_test_laid_out, lv->view, WAIT_MS));
  g_assert_true (rl_test_wait_until (loaded, lv->list, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lv->selection)), ==, n);

  /* Attaching showed the default order on its header without choosing it. */
  g_assert_null (rl_record_list_get_sort_column (lv->list));

  /* Duration, ascending: the SQL order, and the view's rows in it. */
  gtk_column_view_sort_by_column (lv->view, list_view_column (lv, "duration"),
                                  GTK_SORT_ASCENDING);
  g_assert_cmpstr (rl_record_list_get_sort_column (lv->list), ==, "duration");
  g_assert_false (rl_record_list_get_sort_descending (lv->list));
  g_assert_true (rl_test_wait_until (loaded, lv->list, WAIT_MS));
  previous = G_MININT64;
  for (guint i = 0; i < n; i++)
    {
      gint64 duration = item_int (lv->list, i, "duration");

      g_assert_cmpint (duration, >=, previous);
      previous = duration;
    }

  /* Descending, then another column, then none: the default order. */
  gtk_column_view_sort_by_column (lv->view, list_view_column (lv, "duration"),
                                  GTK_SORT_DESCENDING);
  g_assert_cmpstr (rl_record_list_get_sort_column (lv->list), ==, "duration");
  g_assert_true (rl_record_list_get_sort_descending (lv->list));
  g_assert_true (rl_test_wait_until (loaded, lv->list, WAIT_MS));
  g_assert_cmpint (item_int (lv->list, 0, "duration"), >=, item_int (lv->list, n - 1, "duration"));

  gtk_column_view_sort_by_column (lv->view, list_view_column (lv, "attempt"), GTK_SORT_ASCENDING);
  g_assert_cmpstr (rl_record_list_get_sort_column (lv->list), ==, "attempt");
  g_assert_false (rl_record_list_get_sort_descending (lv->list));

  gtk_column_view_sort_by_column (lv->view, NULL, GTK_SORT_ASCENDING);
  g_assert_null (rl_record_list_get_sort_column (lv->list));
  g_assert_true (rl_test_wait_until (loaded, lv->list, WAIT_MS));

  /* The first row on screen changes in the cache: its cell shows it. */
  {
    g_autoptr (RlListItem) first = g_list_model_get_item (G_LIST_MODEL (lv->list), 0);
    g_autoptr (JsonObject) record = NULL;
    g_autoptr (RlStoreBatch) batch = NULL;
    TextWait wait = { GTK_WIDGET (lv->view), "disk full on the GIS host" };

    g_assert_false (shows_text (wait.root, wait.text));
    record = list_make_run (g_ascii_strtoull (rl_list_item_get_id (first) + 4, NULL, 10), 0);
    json_object_set_string_member (record, "error", wait.text);
    batch = rl_store_batch_begin (store, &error);
    rl_store_batch_upsert (batch, "run", record, &error);
    rl_store_batch_commit (batch, &error);
    g_assert_no_error (error);
    g_assert_true (rl_test_wait_until (text_shown, &wait, WAIT_MS));
    g_assert_cmpstr (rl_list_item_get_string (first, "error"), ==, wait.text);
  }

  gtk_window_destroy (window);
}

/* A list whose order was chosen before the view: the header shows it and
 * attaching does not change it. */
static void
test_attach_keeps_order (void)
{
  const KindCase *kc = list_kind_case (RL_LIST_KIND_ALERTS);
  g_autoptr (RlStore) store = open_store ();
  g_autoptr (ListView) lv = NULL;

  list_write_records (store, kc, 0, 20, 0);
  lv = list_view_new (NULL, RL_LIST_KIND_ALERTS);
  rl_record_list_set_sort (lv->list, "severity", TRUE);
  rl_column_view_attach_sort (lv->view, lv->list);
  g_assert_cmpstr (rl_record_list_get_sort_column (lv->list), ==, "severity");
  g_assert_true (rl_record_list_get_sort_descending (lv->list));
  rl_record_list_set_store (lv->list, store);
  g_assert_true (rl_test_wait_until (loaded, lv->list, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lv->list)), ==, 20);
  {
    g_autoptr (RlListItem) first = g_list_model_get_item (G_LIST_MODEL (lv->list), 0);

    g_assert_cmpint (rl_list_item_get_enum (first, "severity"), ==, RL_ALERT_SEVERITY_HIGH);
  }
}

int
main (int    argc,
      char **argv)
{
  gui_test_prepare_env ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();

  g_test_add_func ("/list-view/headers-and-cells", test_headers_and_cells);
  g_test_add_func ("/list-view/attach-keeps-order", test_attach_keeps_order);

  return g_test_run ();
}
