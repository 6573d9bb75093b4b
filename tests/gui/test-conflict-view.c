/* test-conflict-view.c — the conflict editor: fields, picks, checks, Alt+N, Resolve.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "gui-test-common.h"
#include "gui-test-find.h"
#include "gui-test-wait.h"
#include "rl-conflict-view.h"
#include "rl-core-enums.h"
#include "rl-merge.h"
#include "rl-test-util.h"

/* A drop point edited offline (name, notes, latitude) while someone changed
 * its name, status and latitude on the server: name and latitude differ on
 * both sides, notes are only mine, the status only theirs; the live
 * telemetry (fillLevel) and the version differ and are never fields. */
static const char conflict_json[] =
    "{\"id\":\"local-1\",\"jobId\":null,\"entityType\":\"drop_point\",\"entityId\":\"dp-000042\","
    "\"base\":{\"id\":\"dp-000042\",\"name\":\"Thamel Chowk\",\"notes\":\"\",\"status\":\"active\","
    "\"latitude\":27.7154,\"fillLevel\":10,\"version\":3},"
    "\"local\":{\"id\":\"dp-000042\",\"name\":\"Thamel Chowk (north)\",\"notes\":\"Lid fixed\","
    "\"status\":\"active\",\"latitude\":27.7160,\"fillLevel\":10,\"version\":3},"
    "\"remote\":{\"id\":\"dp-000042\",\"name\":\"ठमेल चोक\",\"notes\":\"\",\"status\":\"maintenance\","
    "\"latitude\":27.7150,\"fillLevel\":64,\"version\":4},"
    "\"localUpdatedAt\":\"2026-12-07T09:00:00.000Z\",\"remoteUpdatedAt\":\"2026-12-07T09:10:00.000Z\","
    "\"detectedAt\":\"2026-12-07T09:15:00.000Z\",\"status\":\"open\",\"resolution\":null,"
    "\"version\":0}";

typedef struct
{
  int         strategy;
  JsonObject *merged;
  char       *comment;
  guint       count;
} Resolved;

static void
resolve_cb (RlConflictView *view,
            int             strategy,
            JsonObject     *merged,
            const char     *comment,
            Resolved       *out)
{
  g_clear_pointer (&out->merged, json_object_unref);
  g_free (out->comment);
  out->strategy = strategy;
  out->merged = json_object_ref (merged);
  out->comment = g_strdup (comment);
  out->count++;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The first widget under @root (depth first) that @test accepts. */
static gboolean
is_list_box (GtkWidget *widget,
             gpointer   data)
{
  return GTK_IS_LIST_BOX (widget);
}

static gboolean
is_label_with_all (GtkWidget *widget,
                   gpointer   words)
{
  const char *const *w = words;

  if (!GTK_IS_LABEL (widget))
    return FALSE;
  for (; *w != NULL; w++)
    if (strstr (gtk_label_get_text (GTK_LABEL (widget)), *w) == NULL)
      return FALSE;
  return TRUE;
}

/* The row of @path and its drop-down (conflicting fields have one). */
static GtkListBoxRow *
row_of (GtkWidget  *view,
        const char *path,
        GtkWidget **drop_down)
{
  GtkWidget *list = gui_test_find_widget (view, is_list_box, NULL);

  g_assert_nonnull (list);
  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i);
      GtkWidget     *box, *name_box, *name;

      g_assert_nonnull (row);
      box = gtk_list_box_row_get_child (row);
      name_box = gtk_widget_get_first_child (box);
      name = gtk_widget_get_last_child (name_box);
      if (g_str_equal (gtk_label_get_text (GTK_LABEL (name)), path))
        {
          if (drop_down != NULL)
            *drop_down = g_object_get_data (G_OBJECT (row), "rl-drop-down");
          return row;
        }
    }
}

static void
test_pick_and_resolve (void)
{
  g_autoptr (JsonObject) conflict = parse_object (conflict_json);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = rl_conflict_view_new ();
  Resolved   resolved = { 0 };
  GtkWidget *name_choice, *lat_choice, *notes_choice = NULL, *entry;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (view, "resolve", G_CALLBACK (resolve_cb), &resolved);

  rl_conflict_view_set_conflict (RL_CONFLICT_VIEW (view), conflict);
  g_assert_true (rl_test_wait_until (gui_test_laid_out, view, 20000));

  /* name and latitude differ on both sides; notes are mine, status theirs;
   * telemetry and version are no fields. */
  g_assert_cmpuint (rl_conflict_view_get_n_conflicts (RL_CONFLICT_VIEW (view)), ==, 2);
  g_assert_cmpuint (rl_conflict_view_get_n_resolved (RL_CONFLICT_VIEW (view)), ==, 0);
  g_assert_false (rl_conflict_view_get_can_resolve (RL_CONFLICT_VIEW (view)));
  row_of (view, "name", &name_choice);
  row_of (view, "latitude", &lat_choice);
  row_of (view, "notes", &notes_choice);
  g_assert_nonnull (name_choice);
  g_assert_nonnull (lat_choice);
  g_assert_null (notes_choice); /* merged: no choice to make */

  /* Alt+N goes to the first field to decide (fields are in name order:
   * latitude before name). */
  g_assert_true (rl_conflict_view_next_unresolved (RL_CONFLICT_VIEW (view)));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), lat_choice)
                 || gtk_root_get_focus (GTK_ROOT (window)) == lat_choice);

  /* The name: theirs (the Devanagari spelling). */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (name_choice), 2);
  g_assert_cmpuint (rl_conflict_view_get_n_resolved (RL_CONFLICT_VIEW (view)), ==, 1);

  /* Alt+N now goes to the latitude, the one left. */
  gtk_widget_activate_action (view, "conflict.next-unresolved", NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), lat_choice)
                 || gtk_root_get_focus (GTK_ROOT (window)) == lat_choice);

  /* Another value: out of range, refused next to the field; then valid. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (lat_choice), 4);
  entry = g_object_get_data (G_OBJECT (lat_choice), "rl-entry");
  gtk_editable_set_text (GTK_EDITABLE (entry), "95");
  g_assert_cmpuint (rl_conflict_view_get_n_resolved (RL_CONFLICT_VIEW (view)), ==, 1);
  g_assert_false (rl_conflict_view_get_can_resolve (RL_CONFLICT_VIEW (view)));
  {
    GtkWidget *error = gtk_widget_get_next_sibling (entry);

    g_assert_true (gtk_widget_get_visible (error));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error)), ==, "This number is out of range.");
  }
  gtk_editable_set_text (GTK_EDITABLE (entry), "27.7157");
  g_assert_cmpuint (rl_conflict_view_get_n_resolved (RL_CONFLICT_VIEW (view)), ==, 2);
  g_assert_true (rl_conflict_view_get_can_resolve (RL_CONFLICT_VIEW (view)));
  g_assert_false (rl_conflict_view_next_unresolved (RL_CONFLICT_VIEW (view)));

  /* A picture of it, picked and ready (<build root>/screenshots). */
  {
    g_autofree char *dir = g_build_filename (g_getenv ("RL_BUILD_ROOT"), "screenshots", NULL);
    g_autofree char *path = g_build_filename (dir, "conflict-view.png", NULL);

    g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
    gui_test_save_png (window, path);
  }

  /* Resolve: manual (mixed picks), the merged record as chosen. */
  {
    GtkWidget *button = gui_test_find_widget (view, gui_test_is_button_labelled, (gpointer) "_Resolve");

    g_assert_nonnull (button);
    g_assert_true (gtk_widget_get_sensitive (button));
    g_signal_emit_by_name (button, "clicked");
  }
  g_assert_cmpuint (resolved.count, ==, 1);
  g_assert_cmpint (resolved.strategy, ==, RL_CONFLICT_STRATEGY_MANUAL);
  g_assert_cmpstr (json_object_get_string_member (resolved.merged, "name"), ==, "ठमेल चोक");
  g_assert_cmpfloat (json_object_get_double_member (resolved.merged, "latitude"), ==, 27.7157);
  g_assert_cmpstr (json_object_get_string_member (resolved.merged, "notes"), ==, "Lid fixed");
  g_assert_cmpstr (json_object_get_string_member (resolved.merged, "status"), ==, "maintenance");
  /* Server-managed values are the server's. */
  g_assert_cmpint (json_object_get_int_member (resolved.merged, "fillLevel"), ==, 64);
  g_assert_cmpint (json_object_get_int_member (resolved.merged, "version"), ==, 4);
  g_assert_cmpstr (resolved.comment, ==, "");

  /* Keep all theirs on a fresh copy: remote_wins. */
  rl_conflict_view_set_conflict (RL_CONFLICT_VIEW (view), conflict);
  g_assert_cmpuint (rl_conflict_view_get_n_resolved (RL_CONFLICT_VIEW (view)), ==, 0);
  rl_conflict_view_pick_all (RL_CONFLICT_VIEW (view), RL_MERGE_PICK_THEIRS);
  g_assert_true (rl_conflict_view_get_can_resolve (RL_CONFLICT_VIEW (view)));

  g_clear_pointer (&resolved.merged, json_object_unref);
  g_free (resolved.comment);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A conflict someone resolved: who, when, how; nothing to pick. */
static void
test_resolved (void)
{
  g_autoptr (JsonObject) conflict = parse_object (conflict_json);
  g_autoptr (JsonObject) resolution =
      parse_object ("{\"strategy\":\"remote_wins\",\"comment\":\"Checked on site\","
                    "\"resolvedBy\":\"admin2@demo.reloop.np\","
                    "\"resolvedAt\":\"2026-12-07T10:00:00.000Z\"}");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = rl_conflict_view_new ();
  GtkWidget *choice = NULL;

  json_object_set_string_member (conflict, "status", "resolved");
  json_object_set_object_member (conflict, "resolution", json_object_ref (resolution));
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  rl_conflict_view_set_conflict (RL_CONFLICT_VIEW (view), conflict);
  g_assert_true (rl_test_wait_until (gui_test_laid_out, view, 20000));
  g_assert_false (rl_conflict_view_get_can_resolve (RL_CONFLICT_VIEW (view)));
  row_of (view, "name", &choice);
  g_assert_null (choice);
  {
    const char *words[] = { "admin2@demo.reloop.np", "Checked on site", "Server version kept", NULL };

    g_assert_nonnull (gui_test_find_widget (view, is_label_with_all, words));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gui_test_prepare_env ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/conflict-view/pick-and-resolve", test_pick_and_resolve);
  g_test_add_func ("/conflict-view/resolved", test_resolved);
  return g_test_run ();
}
