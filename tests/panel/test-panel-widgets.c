/* test-panel-widgets.c — the drop-point panel and the dispatch list against a
 * devserver, under Xvfb (suite integration). Saves screenshots into
 * $RL_BUILD_ROOT/screenshots/.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "rl-api.h"
#include "rl-dispatch-list.h"
#include "rl-drop-point-panel.h"
#include "rl-session.h"
#include "rl-store.h"
#include "gui-test-common.h"
#include "rl-test-util.h"
#include "rl-time.h"

#define DISPATCHER "dispatcher@demo.reloop.np"
#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)

static RlTestDevserver *server;
static RlSession       *session;
static char            *token;

/* ---- Helpers ------------------------------------------------------------ */

static gboolean
synced (gpointer user_data)
{
  RlStore *store = rl_session_get_store (session);

  return store != NULL && rl_session_get_state (session) == RL_SESSION_STATE_ONLINE
         && rl_store_count (store, "drop_point") >= 40;
}

static gboolean
panel_idle (gpointer user_data)
{
  return !rl_drop_point_panel_get_busy (user_data);
}

static gboolean
list_idle (gpointer user_data)
{
  return !rl_dispatch_list_get_busy (user_data);
}

static gboolean
has_dialog (gpointer user_data)
{
  return rl_drop_point_panel_get_conflict_dialog (user_data) != NULL;
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char      *root = g_getenv ("RL_BUILD_ROOT");
  g_autofree char *dir = g_build_filename (root ? root : ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  node = gui_test_snapshot (widget, w, h, 10000);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* Each test runs in its own isolated XDG dirs: sign in there. */
static void
start_session (void)
{
  g_autoptr (GError) error = NULL;
  GAsyncResult *result = NULL;
  gboolean      ok;

  session = rl_session_new ();
  rl_session_sign_in_async (session, server->url, DISPATCHER, "reloop-demo", NULL, rl_test_store_result_cb,
                            &result);
  rl_test_wait_result (&result, 60000);
  ok = rl_session_sign_in_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_object_unref (result);
  g_assert_true (rl_test_wait_until (synced, NULL, 60000));
}

static void
stop_session (void)
{
  g_clear_object (&session);
}

static JsonObject *
server_record (const char *id)
{
  g_autofree char *url = g_strdup_printf ("%s/drop-points/%s", server->api_url, id);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  const char      *headers[] = { "Authorization", auth, NULL };
  g_autoptr (JsonNode) body = NULL;
  guint status = 0;

  body = rl_test_http ("GET", url, NULL, headers, &status);
  g_assert_cmpuint (status, ==, 200);
  return json_object_ref (json_object_get_object_member (json_node_get_object (body), "data"));
}

typedef struct
{
  char *id;
  char *name;
  char *device;
  guint skip;
} FindPoint;

static gboolean
find_point_cb (const RlStoreDropPoint *dp,
               gpointer                user_data)
{
  FindPoint *fp = user_data;

  if (dp->device_id == NULL || g_strcmp0 (dp->status, "retired") == 0)
    return TRUE;
  if (fp->skip > 0)
    {
      fp->skip--;
      return TRUE;
    }
  fp->id = g_strdup (dp->id);
  fp->name = g_strdup (dp->name);
  fp->device = g_strdup (dp->device_id);
  return FALSE;
}

static void
find_point (FindPoint *fp,
            guint      skip)
{
  g_autoptr (GError) error = NULL;

  memset (fp, 0, sizeof *fp);
  fp->skip = skip;
  g_assert_true (
      rl_store_foreach_drop_point (rl_session_get_store (session), find_point_cb, fp, &error));
  g_assert_no_error (error);
  g_assert_nonnull (fp->id);
}

static void
find_point_clear (FindPoint *fp)
{
  g_free (fp->id);
  g_free (fp->name);
  g_free (fp->device);
}

static GtkWidget *
show_in_window (GtkWidget *child,
                int        width,
                int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (rl_test_wait_until (gui_test_laid_out, child, 20000));
  return window;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ---- Panel -------------------------------------------------------------- */

static void
test_panel_shows_point (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) stored = NULL;
  GtkWidget *panel, *window;
  FindPoint  fp;
  gint64     now = rl_time_now_ms ();

  start_session ();
  panel = rl_drop_point_panel_new (session);
  window = show_in_window (panel, 440, 900);

  /* nothing selected, then a point the server does not know */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find_type (panel, GTK_TYPE_STACK))),
                   ==, "empty");
  rl_drop_point_panel_set_drop_point_id (RL_DROP_POINT_PANEL (panel), "dp-does-not-exist");
  g_assert_true (rl_test_wait_until (panel_idle, panel, 30000));
  g_assert_cmpstr (
      adw_status_page_get_title (ADW_STATUS_PAGE (find_type (panel, ADW_TYPE_STATUS_PAGE))), ==,
      "Drop Point Not Found");

  find_point (&fp, 0);
  rl_drop_point_panel_set_drop_point_id (RL_DROP_POINT_PANEL (panel), fp.id);
  /* read from the cache in a worker: busy until it is shown */
  g_assert_true (rl_drop_point_panel_get_busy (RL_DROP_POINT_PANEL (panel)));
  g_assert_true (rl_test_wait_until (panel_idle, panel, 30000));
  g_assert_cmpstr (rl_drop_point_panel_get_title (RL_DROP_POINT_PANEL (panel)), ==, fp.name);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find_type (panel, GTK_TYPE_STACK))),
                   ==, "point");

  /* the cache had no readings: the panel fetched and stored them */
  g_assert_cmpuint (rl_drop_point_panel_get_n_readings (RL_DROP_POINT_PANEL (panel)), >, 10);
  stored = rl_store_get_readings (rl_session_get_store (session), fp.device, now - 8 * 24 * HOUR_MS,
                                  now + HOUR_MS, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (stored), ==,
                    rl_drop_point_panel_get_n_readings (RL_DROP_POINT_PANEL (panel)));
  g_assert_cmpstr (rl_drop_point_panel_get_forecast_text (RL_DROP_POINT_PANEL (panel)), !=,
                   "Not enough readings for a forecast");
  g_test_message ("forecast: %s",
                  rl_drop_point_panel_get_forecast_text (RL_DROP_POINT_PANEL (panel)));

  find_point_clear (&fp);
  {
    GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (find_type (panel, GTK_TYPE_SCROLLED_WINDOW));
    GtkAdjustment     *adj = gtk_scrolled_window_get_vadjustment (scroller);

    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    screenshot (window, "panel-full.png");
    gtk_adjustment_set_value (adj, 0);
  }

  /* For the screenshots, a point that is filling (a forecast with a band). */
  for (guint skip = 1; skip < 20; skip++)
    {
      find_point (&fp, skip);
      rl_drop_point_panel_set_drop_point_id (RL_DROP_POINT_PANEL (panel), fp.id);
      g_assert_true (rl_test_wait_until (panel_idle, panel, 30000));
      find_point_clear (&fp);
      if (rl_drop_point_panel_get_forecast (RL_DROP_POINT_PANEL (panel))->status
              == RL_FORECAST_PREDICTED
          && rl_drop_point_panel_get_forecast (RL_DROP_POINT_PANEL (panel))->full_at_ms
                 > rl_time_now_ms ())
        break;
    }
  g_assert_cmpint (rl_drop_point_panel_get_forecast (RL_DROP_POINT_PANEL (panel))->status, ==,
                   RL_FORECAST_PREDICTED);
  g_assert_true (g_str_has_prefix (
      rl_drop_point_panel_get_forecast_text (RL_DROP_POINT_PANEL (panel)), "Full at "));
  g_test_message ("forecast: %s",
                  rl_drop_point_panel_get_forecast_text (RL_DROP_POINT_PANEL (panel)));
  screenshot (window, "panel.png");
  {
    GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (find_type (panel, GTK_TYPE_SCROLLED_WINDOW));
    GtkAdjustment     *adj = gtk_scrolled_window_get_vadjustment (scroller);

    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    screenshot (window, "panel-edit.png");
  }
  gtk_window_destroy (GTK_WINDOW (window));
  stop_session ();
}

static void
test_panel_edit_notes (void)
{
  GtkWidget *panel, *window;
  g_autoptr (JsonObject) before = NULL;
  g_autoptr (JsonObject) after = NULL;
  FindPoint fp;

  start_session ();
  panel = rl_drop_point_panel_new (session);
  window = show_in_window (panel, 440, 900);

  find_point (&fp, 1);
  before = server_record (fp.id);
  rl_drop_point_panel_set_drop_point_id (RL_DROP_POINT_PANEL (panel), fp.id);
  g_assert_true (rl_test_wait_until (panel_idle, panel, 30000));
  rl_drop_point_panel_set_edit (RL_DROP_POINT_PANEL (panel), "maintenance",
                                "Lid sticks — ढक्कन अड्किन्छ");
  rl_drop_point_panel_save (RL_DROP_POINT_PANEL (panel));
  g_assert_true (rl_drop_point_panel_get_busy (RL_DROP_POINT_PANEL (panel)));
  g_assert_true (rl_test_wait_until (panel_idle, panel, 30000));
  g_assert_true (g_str_has_prefix (
      rl_drop_point_panel_get_save_message (RL_DROP_POINT_PANEL (panel)), "Saved"));

  after = server_record (fp.id);
  g_assert_cmpint (json_object_get_int_member (after, "version"), ==,
                   json_object_get_int_member (before, "version") + 1);
  g_assert_cmpstr (json_object_get_string_member (after, "notes"), ==, "Lid sticks — ढक्कन अड्किन्छ");
  g_assert_cmpstr (json_object_get_string_member (after, "status"), ==, "maintenance");
  g_assert_cmpint (rl_drop_point_panel_get_version (RL_DROP_POINT_PANEL (panel)), ==,
                   json_object_get_int_member (after, "version"));

  gtk_window_destroy (GTK_WINDOW (window));
  find_point_clear (&fp);
  stop_session ();
}

static void
touch (const char *id)
{
  g_autofree char *url = g_strdup_printf ("%s/__dev/records/drop_point/%s/touch", server->url, id);
  g_autoptr (JsonNode) body = NULL;
  guint status = 0;

  body = rl_test_http ("POST", url, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
}

static void
test_panel_conflict (void)
{
  GtkWidget        *panel, *window;
  RlDropPointPanel *p;
  g_autoptr (JsonObject) touched = NULL;
  g_autoptr (JsonObject) after = NULL;
  AdwMessageDialog *dialog;
  FindPoint         fp;

  start_session ();
  panel = rl_drop_point_panel_new (session);
  window = show_in_window (panel, 440, 900);
  p = RL_DROP_POINT_PANEL (panel);

  find_point (&fp, 2);
  rl_drop_point_panel_set_drop_point_id (p, fp.id);
  g_assert_true (rl_test_wait_until (panel_idle, panel, 30000));

  /* Someone else saves first: our edit is stale. */
  touch (fp.id);
  touched = server_record (fp.id);
  g_assert_cmpint (rl_drop_point_panel_get_version (p), <,
                   json_object_get_int_member (touched, "version"));
  rl_drop_point_panel_set_edit (p, NULL, "Mine: emptied at 10:00");
  rl_drop_point_panel_save (p);
  g_assert_true (rl_test_wait_until (has_dialog, panel, 30000));
  dialog = rl_drop_point_panel_get_conflict_dialog (p);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "Someone Else Changed This Drop Point");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Edited by another operator"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Mine: emptied at 10:00"));
  g_assert_false (g_str_has_prefix (rl_drop_point_panel_get_save_message (p), "Saved"));
  g_assert_true (rl_test_wait_until (gui_test_laid_out, dialog, 10000));
  screenshot (GTK_WIDGET (dialog), "panel-conflict.png");

  /* Keep mine: sent again against the server's version. */
  adw_message_dialog_response (dialog, "mine");
  g_assert_true (rl_test_wait_until (panel_idle, panel, 30000));
  g_assert_null (rl_drop_point_panel_get_conflict_dialog (p));
  g_assert_true (g_str_has_prefix (rl_drop_point_panel_get_save_message (p), "Saved"));
  after = server_record (fp.id);
  g_assert_cmpstr (json_object_get_string_member (after, "notes"), ==, "Mine: emptied at 10:00");
  g_assert_cmpint (json_object_get_int_member (after, "version"), ==,
                   json_object_get_int_member (touched, "version") + 1);
  g_clear_pointer (&touched, json_object_unref);
  g_clear_pointer (&after, json_object_unref);

  /* Again, and this time use theirs: nothing is sent, the panel shows theirs. */
  touch (fp.id);
  touched = server_record (fp.id);
  rl_drop_point_panel_set_edit (p, NULL, "Mine again");
  rl_drop_point_panel_save (p);
  g_assert_true (rl_test_wait_until (has_dialog, panel, 30000));
  adw_message_dialog_response (rl_drop_point_panel_get_conflict_dialog (p), "theirs");
  g_assert_true (rl_test_wait_until (panel_idle, panel, 30000));
  g_assert_cmpint (rl_drop_point_panel_get_version (p), ==,
                   json_object_get_int_member (touched, "version"));
  after = server_record (fp.id);
  g_assert_cmpint (json_object_get_int_member (after, "version"), ==,
                   json_object_get_int_member (touched, "version"));
  g_assert_cmpstr (json_object_get_string_member (after, "notes"), ==,
                   "Edited by another operator");

  gtk_window_destroy (GTK_WINDOW (window));
  find_point_clear (&fp);
  stop_session ();
}

/* ---- Dispatch list ------------------------------------------------------ */

/* The cache learns readings only from the feed or a panel: fetch the last
 * week of a few bins the way the panel does. */
static void
cache_readings (guint n_points)
{
  RlStore *store = rl_session_get_store (session);

  for (guint i = 0; i < n_points; i++)
    {
      FindPoint fp;

      find_point (&fp, i);
      rl_test_cache_week_of_readings (server, token, store, fp.id, fp.device);
      find_point_clear (&fp);
    }
}

typedef struct
{
  gint64            now_ms;
  gint64            from_ms;
  gint64            to_ms;
  RlForecastOptions options;
  GHashTable       *expected; /* id → predicted full at (RFC 3339) */
} Expect;

static gboolean
expect_cb (const RlStoreDropPoint *dp,
           gpointer                user_data)
{
  Expect    *e = user_data;
  RlForecast f;

  if (dp->device_id == NULL || g_strcmp0 (dp->status, "retired") == 0)
    return TRUE;
  rl_dispatch_forecast_device (rl_session_get_store (session), dp->device_id, e->now_ms,
                               &e->options, &f);
  if (rl_dispatch_forecast_in_range (&f, e->from_ms, e->to_ms))
    g_hash_table_insert (e->expected, g_strdup (dp->id), rl_time_format_ms (f.full_at_ms));
  return TRUE;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
show_on_map_cb (RlDispatchList *list,
                const char     *id,
                char          **out)
{
  g_free (*out);
  *out = g_strdup (id);
}

static void
test_dispatch_csv (void)
{
  GtkWidget *list = rl_dispatch_list_new (NULL);
  GtkWidget *window = show_in_window (list, 760, 520);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rl-dispatch-XXXXXX", &error);
  g_autofree char *csv_path = g_build_filename (dir, "dispatch.csv", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "dispatch.pdf", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (csv_path);
  g_autofree char *csv = NULL;
  g_autofree char *pdf = NULL;
  g_auto (GStrv) lines = NULL;
  gsize  pdf_len = 0;
  Expect e = { 0 };
  guint  n_lines;

  start_session ();

  g_assert_no_error (error);
  cache_readings (12);

  e.now_ms = rl_time_now_ms ();
  local = g_date_time_new_from_unix_local (e.now_ms / 1000);
  rl_forecast_options_init (&e.options);
  e.options.utc_offset_s = (int) (g_date_time_get_utc_offset (local) / G_TIME_SPAN_SECOND);
  rl_dispatch_window_range (RL_DISPATCH_HOURS, 168, e.now_ms, e.options.utc_offset_s, &e.from_ms,
                            &e.to_ms);
  e.expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_assert_true (
      rl_store_foreach_drop_point (rl_session_get_store (session), expect_cb, &e, &error));
  g_assert_no_error (error);
  g_test_message ("%u bins predicted full within 168 h", g_hash_table_size (e.expected));
  g_assert_cmpuint (g_hash_table_size (e.expected), >, 0);

  rl_dispatch_list_set_now_ms (RL_DISPATCH_LIST (list), e.now_ms);
  rl_dispatch_list_set_window (RL_DISPATCH_LIST (list), RL_DISPATCH_HOURS, 168);
  rl_dispatch_list_set_session (RL_DISPATCH_LIST (list), session);
  g_assert_true (rl_test_wait_until (list_idle, list, 60000));
  g_assert_cmpuint (g_list_model_get_n_items (rl_dispatch_list_get_model (RL_DISPATCH_LIST (list))),
                    ==, g_hash_table_size (e.expected));

  g_assert_true (rl_dispatch_list_export_csv (RL_DISPATCH_LIST (list), file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  lines = g_strsplit (csv, "\r\n", -1);
  n_lines = g_strv_length (lines);
  g_assert_cmpstr (lines[0], ==, "id,name,address,fill,predicted_full_at,earliest,latest,status");
  g_assert_cmpstr (lines[n_lines - 1], ==, "");
  g_assert_cmpuint (n_lines - 2, ==, g_hash_table_size (e.expected));
  for (guint i = 1; i + 1 < n_lines; i++)
    {
      /* ids and times never need quoting: the id is the first field and the
       * predicted time the fourth from the end */
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      guint       nf = g_strv_length (f);
      const char *want = g_hash_table_lookup (e.expected, f[0]);

      g_assert_nonnull (want);
      g_assert_cmpstr (f[nf - 4], ==, want);
    }

  /* sorted by predicted time */
  for (guint i = 2; i + 1 < n_lines; i++)
    {
      g_auto (GStrv) a = g_strsplit (lines[i - 1], ",", -1);
      g_auto (GStrv) b = g_strsplit (lines[i], ",", -1);

      g_assert_cmpstr (a[g_strv_length (a) - 4], <=, b[g_strv_length (b) - 4]);
    }

  /* Sorted by a column (fill, highest first): the CSV follows what is shown. */
  {
    GtkColumnView *view = GTK_COLUMN_VIEW (find_type (list, GTK_TYPE_COLUMN_VIEW));
    g_autoptr (GtkColumnViewColumn) fill_column =
        g_list_model_get_item (gtk_column_view_get_columns (view), 1);
    g_autofree char *sorted = NULL;
    g_auto (GStrv) sorted_lines = NULL;
    double last = G_MAXDOUBLE;

    g_assert_cmpstr (gtk_column_view_column_get_title (fill_column), ==, "Fill");
    gtk_column_view_sort_by_column (view, fill_column, GTK_SORT_DESCENDING);
    g_assert_true (rl_dispatch_list_export_csv (RL_DISPATCH_LIST (list), file, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (csv_path, &sorted, NULL, &error));
    sorted_lines = g_strsplit (sorted, "\r\n", -1);
    g_assert_cmpuint (g_strv_length (sorted_lines), ==, n_lines);
    for (guint i = 1; i + 1 < n_lines; i++)
      {
        g_auto (GStrv) f = g_strsplit (sorted_lines[i], ",", -1);
        const char *fill = f[g_strv_length (f) - 5];
        double      value = *fill != '\0' ? g_ascii_strtod (fill, NULL) : -1.0;

        g_assert_cmpfloat (value, <=, last);
        last = value;
      }
    /* Back to the list's own order (predicted time). */
    gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);
  }

  /* "Show on Map" names its row's point. */
  {
    GtkWidget       *button = find_button (list, "Show on Map");
    g_autofree char *shown = NULL;

    g_assert_nonnull (button);
    g_signal_connect (list, "show-on-map", G_CALLBACK (show_on_map_cb), &shown);
    g_signal_emit_by_name (button, "clicked");
    g_assert_nonnull (shown);
    g_assert_true (g_hash_table_contains (e.expected, shown));
  }

  g_assert_cmpint (rl_dispatch_list_print (RL_DISPATCH_LIST (list),
                                           GTK_PRINT_OPERATION_ACTION_EXPORT, pdf_path, &error),
                   ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf_path, &pdf, &pdf_len, &error));
  g_assert_true (g_str_has_prefix (pdf, "%PDF"));
  g_assert_cmpuint (pdf_len, >, 1000);

  screenshot (window, "dispatch-list.png");

  g_unlink (csv_path);
  g_unlink (pdf_path);
  g_rmdir (dir);
  g_hash_table_unref (e.expected);
  gtk_window_destroy (GTK_WINDOW (window));
  stop_session ();
}

static gboolean
outbox_has_one (gpointer user_data)
{
  return rl_store_outbox_count (rl_session_get_store (session)) == 1;
}

static void
test_panel_offline_save (void)
{
  g_autoptr (GError) error = NULL;
  GtkWidget        *panel, *window;
  RlDropPointPanel *p;
  gint64            version;
  FindPoint         fp;

  start_session ();
  panel = rl_drop_point_panel_new (session);
  window = show_in_window (panel, 440, 900);
  p = RL_DROP_POINT_PANEL (panel);
  find_point (&fp, 3);
  rl_drop_point_panel_set_drop_point_id (p, fp.id);
  g_assert_true (rl_test_wait_until (panel_idle, panel, 30000));
  version = rl_drop_point_panel_get_version (p);
  g_assert_cmpint (rl_store_outbox_count (rl_session_get_store (session)), ==, 0);

  /* The server goes away: the edit lands in the outbox, nothing is lost. */
  rl_test_devserver_stop (server);
  rl_drop_point_panel_set_edit (p, NULL, "Written offline");
  rl_drop_point_panel_save (p);
  g_assert_true (rl_test_wait_until (outbox_has_one, NULL, 120000));
  g_assert_true (rl_test_wait_until (panel_idle, panel, 120000));
  /* Kept in the outbox: sent when the server is back. */
  g_assert_nonnull (strstr (rl_drop_point_panel_get_save_message (p), "waiting to sync"));
  g_assert_cmpint (rl_drop_point_panel_get_version (p), ==, version);
  {
    g_autoptr (RlStoreOutboxEntry) entry =
        rl_store_outbox_peek (rl_session_get_store (session), &error);
    g_autofree char *path = g_strdup_printf ("/drop-points/%s", fp.id);
    g_autofree char *if_match = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);

    g_assert_no_error (error);
    g_assert_nonnull (entry);
    g_assert_cmpstr (entry->method, ==, "PATCH");
    g_assert_cmpstr (entry->path, ==, path);
    g_assert_cmpstr (entry->if_match, ==, if_match);
    g_assert_nonnull (strstr (entry->body, "Written offline"));
  }

  g_assert_true (rl_test_devserver_restart (server, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (window));
  find_point_clear (&fp);
  stop_session ();
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const char *args[] = { "--drop-points", "60", "--seed", "7", NULL };
  int         rc;

  const char      *build_root = g_getenv ("RL_BUILD_ROOT");
  g_autofree char *schema_dir = g_build_filename (build_root ? build_root : ".", "data", NULL);

  /* Kathmandu time, the console's schemas from the build tree (the isolated
   * dirs hide the system's), settings in memory, no AT-SPI. */
  g_setenv ("TZ", "Asia/Kathmandu", TRUE);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* GL on llvmpipe crawls under ASan; cairo also makes screenshots stable. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();
  adw_init ();

  server = rl_test_devserver_start (args, &error);
  g_assert_no_error (error);
  token = rl_test_login (server, DISPATCHER);

  g_test_add_func ("/panel/shows-point", test_panel_shows_point);
  g_test_add_func ("/panel/edit-notes", test_panel_edit_notes);
  g_test_add_func ("/panel/conflict", test_panel_conflict);
  g_test_add_func ("/dispatch-list/csv-matches-forecast", test_dispatch_csv);
  g_test_add_func ("/panel/offline-save", test_panel_offline_save);

  rc = g_test_run ();

  g_free (token);
  rl_test_devserver_free (server);
  return rc;
}
