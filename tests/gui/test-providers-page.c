/* test-providers-page.c — the Providers page in a signed-in window against
 * a devserver, as an admin: groups and chains, the missing-primary warning,
 * Alt+Down / Alt+Up pressed on a focused row (real key events through X)
 * and drag and drop (the drop target's handler) changing priorities on the
 * server, a circuit opened
 * on the server shown after one pull, Reset circuit, and the locked keyring
 * (said plainly; a secret typed then lands nowhere). Screenshots
 * providers-LANG.png and providers-locked-LANG.png.
 * Built twice: SHOT_LANG "en" and "ne".
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "gui-test-common.h"
#include "gui-test-find.h"
#include "gui-test-keys.h"
#include "gui-test-window.h"
#include "rl-edits.h"
#include "rl-provider-row.h"
#include "rl-providers-page.h"
#include "rl-store.h"
#include "rl-sync-engine.h"
#include "rl-test-util.h"
#include "rl-window.h"

#ifndef SHOT_LANG
#define SHOT_LANG "en"
#endif

#define KHALTI "prv-0004"
#define ESEWA "prv-0005"
#define FONEPAY "prv-0006"
#define CANARY "canary-7f3e9a1b-do-not-store"

static RlWindow        *window;
static RlSession       *session;
static RlTestDevserver *server;
static char            *tmp_home;

static GtkWidget *
page (void)
{
  return adw_view_stack_get_child_by_name (rl_window_get_view_stack (window), "providers");
}

static gboolean
is_row_of (GtkWidget *widget,
           gpointer   id)
{
  return RL_IS_PROVIDER_ROW (widget)
         && g_strcmp0 (rl_list_item_get_id (RL_LIST_ITEM (
                           rl_provider_row_get_item (RL_PROVIDER_ROW (widget)))),
                       id)
                == 0;
}

static GtkWidget *
row (const char *id)
{
  return gui_test_find_widget (page (), is_row_of, (gpointer) id);
}

static gboolean
is_label_with (GtkWidget *widget,
               gpointer   text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
         && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
is_group_described (GtkWidget *widget,
                    gpointer   text)
{
  return ADW_IS_PREFERENCES_GROUP (widget)
         && g_strcmp0 (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (widget)),
                       text)
                == 0;
}

/* All 18 seeded providers have their row (each kind's list loads on its own). */
static gboolean
rows_shown (gpointer data)
{
  for (guint i = 1; i <= 18; i++)
    {
      g_autofree char *id = g_strdup_printf ("prv-%04u", i);

      if (row (id) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
row_says (const char *id,
          const char *text)
{
  GtkWidget *r = row (id);

  return r != NULL && gui_test_find_widget (r, is_label_with, (gpointer) text) != NULL;
}

typedef struct
{
  const char *id, *text;
} Says;

static gboolean
row_says_cb (gpointer data)
{
  Says *s = data;

  return row_says (s->id, s->text);
}

static JsonObject *
server_provider (const char *id)
{
  g_autofree char *token = rl_test_login (server, "admin@demo.reloop.np");
  g_autofree char *path = g_strconcat ("/providers/", id, NULL);

  return gui_test_server_get (server, token, path);
}

/* eSewa's priority on the server is @data (1 or 2) and Fonepay's the
 * other one (both fallbacks of Payment). */
static gboolean
priorities_are (gpointer data)
{
  gint64 esewa_priority = GPOINTER_TO_INT (data);
  g_autoptr (JsonObject) esewa = server_provider (ESEWA);
  g_autoptr (JsonObject) fonepay = server_provider (FONEPAY);

  return json_object_get_int_member (esewa, "priority") == esewa_priority
         && json_object_get_int_member (fonepay, "priority") == 3 - esewa_priority;
}

static gboolean
window_active (gpointer data)
{
  return gtk_window_is_active (GTK_WINDOW (window));
}

static gboolean
focused_row_is (gpointer id)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && is_row_of (focus, id);
}

/* Emits the "drop" of @target_id's row's GtkDropTarget with @moved_id (a
 * string, as the drag source gives it), at the row's upper or lower half. */
static gboolean
row_allocated (gpointer id)
{
  GtkWidget *r = row (id);

  return r != NULL && gtk_widget_get_height (r) > 0;
}

static gboolean
drop_on_row (const char *target_id,
             const char *moved_id,
             gboolean    lower_half)
{
  GtkWidget *target_row;
  g_autoptr (GListModel) controllers = NULL;
  GtkDropTarget *drop = NULL;
  GValue         value = G_VALUE_INIT;
  gboolean       accepted = FALSE;

  /* A row replaced a moment ago has no size yet (a person drops on a row
   * they see). */
  g_assert_true (rl_test_wait_until (row_allocated, (gpointer) target_id, 10000));
  target_row = row (target_id);
  controllers = gtk_widget_observe_controllers (target_row);
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && drop == NULL; i++)
    {
      g_autoptr (GObject) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (c))
        drop = GTK_DROP_TARGET (c);
    }
  g_assert_nonnull (drop);
  g_assert_true (g_type_is_a (G_TYPE_STRING, gtk_drop_target_get_gtypes (drop, NULL)[0]));
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, moved_id);
  g_signal_emit_by_name (drop, "drop", &value, 10.0,
                         lower_half ? gtk_widget_get_height (target_row) - 4.0 : 4.0, &accepted);
  g_value_unset (&value);
  return accepted;
}

static gboolean
circuit_closed_on_server (gpointer data)
{
  g_autoptr (JsonObject) p = server_provider (data);

  return g_strcmp0 (json_object_get_string_member (json_object_get_object_member (p, "health"),
                                                   "state"),
                    "circuit_open")
         != 0;
}

static gboolean
is_toast (GtkWidget *widget,
          gpointer   data)
{
  return g_str_equal (gtk_widget_get_css_name (widget), "toast") && gtk_widget_get_mapped (widget);
}

static gboolean
is_button (GtkWidget *widget,
           gpointer   data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget);
}

static gboolean
toast_gone (gpointer data)
{
  GtkWidget **toast = data;

  return *toast == NULL || !gtk_widget_get_mapped (*toast);
}

/* Closes the toasts on screen with their close button, as a person would
 * before taking a screenshot (the sign-in's keyring warning, a toast of
 * the page's own), so they cover nothing. */
static void
dismiss_toasts (void)
{
  GtkWidget *toast;
  gint64     until = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;

  /* A toast posted by what just happened shows on the next frames. */
  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
  while ((toast = gui_test_find_widget (GTK_WIDGET (window), is_toast, NULL)) != NULL)
    {
      GtkWidget *close = gui_test_find_widget (toast, is_button, NULL);

      g_assert_nonnull (close);
      g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &toast);
      gtk_widget_activate (close);
      g_assert_true (rl_test_wait_until (toast_gone, &toast, 10000));
      if (toast != NULL)
        g_object_remove_weak_pointer (G_OBJECT (toast), (gpointer *) &toast);
    }
}

static AdwMessageDialog *
open_dialog (void)
{
  return ADW_MESSAGE_DIALOG (gui_test_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL));
}

static gboolean
dialog_shown (gpointer data)
{
  return open_dialog () != NULL;
}

static gboolean
outbox_empty (gpointer data)
{
  return rl_session_get_pending_changes (session) == 0;
}

static gboolean
keyring_is (gpointer data)
{
  return (int) rl_session_get_keyring_state (session) == GPOINTER_TO_INT (data);
}

static void
test_providers_page (void)
{
  const char *args[] = { "--drop-points", "40", "--health-interval", "0", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *locked_shot = NULL;
  Says             says = { 0 };

  server = rl_test_devserver_start (args, &error);
  g_assert_no_error (error);
  session = rl_session_new ();
  window = gui_test_signed_in_window (session, NULL, server->url, "admin@demo.reloop.np", 1280, 860);
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("providers"));
  g_assert_true (rl_test_wait_until (rows_shown, NULL, 30000));

  if (g_str_equal (SHOT_LANG, "en"))
    {
      /* Grouped by kind, each with its chain in the order tried. */
      g_assert_nonnull (gui_test_find_widget (
          page (), is_group_described,
          (gpointer) "Tried in order: Khalti wallet → eSewa → Fonepay QR → Stripe (international "
                     "donors)"));
      g_assert_nonnull (gui_test_find_widget (page (), is_group_described,
                                              (gpointer) "Tried in order: Google Maps"));
      /* Stripe's circuit is open in the seed: icon and words. */
      g_assert_true (row_says ("prv-0007", "Circuit open"));
    }
  /* Analytics has no primary once Mixpanel is disabled (an edit through
   * the outbox, shown at once). */
  gtk_widget_activate_action (page (), "providers.disable", "s", "prv-0016");
  says.id = "prv-0016";
  says.text = g_str_equal (SHOT_LANG, "en") ? "Disabled" : "";
  g_assert_true (rl_test_wait_until (row_says_cb, &says, 10000));
  if (g_str_equal (SHOT_LANG, "en"))
    g_assert_nonnull (gui_test_find_widget (
        page (), is_label_with, (gpointer) "No enabled primary: Analytics calls would fail over to nothing."));
  /* A connection test's result on Khalti's row (the devserver's first
   * test of a run passes: its failures are drawn from --seed). */
  gtk_widget_activate_action (page (), "providers.test", "s", KHALTI);
  says.id = KHALTI;
  says.text = "Connected in";
  g_assert_true (rl_test_wait_until (row_says_cb, &says, 30000));
  dismiss_toasts ();
  shot = g_strdup_printf ("providers-%s.png", SHOT_LANG);
  gui_test_save_shot (GTK_WIDGET (window), shot);

  if (g_str_equal (SHOT_LANG, "en"))
    {
      g_autoptr (JsonNode) forced = NULL;
      g_autofree char  *url = g_strdup_printf ("%s/__dev/providers/%s/failures", server->url, ESEWA);
      guint             status = 0;
      AdwMessageDialog *dialog;

      /* Alt+Down pressed on eSewa's row (focused, as after Tab) moves it
       * below Fonepay, on the server too; the focus stays on eSewa. */
      g_assert_true (rl_test_wait_until (window_active, NULL, 10000));
      gtk_widget_grab_focus (row (ESEWA));
      g_assert_true (gtk_widget_has_focus (row (ESEWA)));
      gui_test_press_key (GTK_WIDGET (window), GDK_KEY_Down, GDK_ALT_MASK);
      g_assert_true (rl_test_wait_until (priorities_are, GINT_TO_POINTER (2), 30000));
      g_assert_true (rl_test_wait_until (focused_row_is, (gpointer) ESEWA, 10000));
      /* Alt+Up brings it back, then Alt+Down again. */
      gui_test_press_key (GTK_WIDGET (window), GDK_KEY_Up, GDK_ALT_MASK);
      g_assert_true (rl_test_wait_until (priorities_are, GINT_TO_POINTER (1), 30000));
      g_assert_true (rl_test_wait_until (focused_row_is, (gpointer) ESEWA, 10000));
      gui_test_press_key (GTK_WIDGET (window), GDK_KEY_Down, GDK_ALT_MASK);
      g_assert_true (rl_test_wait_until (priorities_are, GINT_TO_POINTER (2), 30000));

      /* Drag and drop: eSewa dropped on the upper half of Fonepay's row
       * goes before it. A real pointer drag between two rows cannot be
       * synthesized reliably under Xvfb without a window manager (GTK's
       * X11 drag needs XDND round trips to its own drag surface), so this
       * emits the row's GtkDropTarget "drop" with the value the drag
       * source's "prepare" gives: the handler and everything after it
       * (the page's providers.drop, the edits, the server) are the real
       * ones. */
      g_assert_true (drop_on_row (FONEPAY, ESEWA, FALSE));
      g_assert_true (rl_test_wait_until (priorities_are, GINT_TO_POINTER (1), 30000));
      /* A row dropped on itself is refused. */
      g_assert_false (drop_on_row (ESEWA, ESEWA, FALSE));
      /* And back below it, on its lower half, for what follows. */
      g_assert_true (drop_on_row (FONEPAY, ESEWA, TRUE));
      g_assert_true (rl_test_wait_until (priorities_are, GINT_TO_POINTER (2), 30000));

      /* Three failures on the server: the circuit shows open after one pull. */
      forced = rl_test_http ("POST", url, "{\"count\": 3}", NULL, &status);
      g_assert_cmpuint (status, ==, 200);
      /* A record with an edit still in the outbox keeps its local state:
       * wait until the move is settled here too. */
      g_assert_true (rl_test_wait_until (outbox_empty, NULL, 30000));
      rl_session_pull_now (session);
      says.id = ESEWA;
      says.text = "Circuit open";
      if (!rl_test_wait_until (row_says_cb, &says, 30000))
        {
          g_autoptr (JsonObject) cached =
              rl_store_get_record (rl_session_get_store (session), "provider", ESEWA, NULL);
          g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), cached);
          g_autofree char *text = json_to_string (node, FALSE);

          g_error ("no circuit open shown; cached %s; forced %s", text,
                   forced ? json_to_string (forced, FALSE) : "null");
        }

      /* Reset circuit, confirmed: closed on the server, and on the page. */
      gtk_widget_activate_action (page (), "providers.reset", "s", ESEWA);
      g_assert_true (rl_test_wait_until (dialog_shown, NULL, 10000));
      dialog = open_dialog ();
      adw_message_dialog_response (dialog, "reset");
      g_assert_true (rl_test_wait_until (circuit_closed_on_server, (gpointer) ESEWA, 30000));
      says.text = "Unknown";
      g_assert_true (rl_test_wait_until (row_says_cb, &says, 30000));
      g_assert_false (row_says (ESEWA, "Circuit open"));
    }

  /* The keyring locked: said plainly, Unlock offered; a secret typed now
   * goes nowhere (no outbox row, no file holds it). */
  g_assert_true (rl_test_wait_until (outbox_empty, NULL, 30000));
  gui_test_lock_keyring ();
  rl_session_check_keyring (session);
  g_assert_true (rl_test_wait_until (keyring_is, GINT_TO_POINTER (RL_KEYRING_LOCKED), 30000));
  if (g_str_equal (SHOT_LANG, "en"))
    g_assert_nonnull (gui_test_find_widget (page (), is_label_with, (gpointer) "The keyring is locked."));
  {
    g_autoptr (GAsyncResult) result = NULL;
    guint pending = rl_session_get_pending_changes (session);

    rl_session_set_provider_secret_async (session, FONEPAY, "secretKey", CANARY, NULL,
                                          rl_test_store_result_cb, &result);
    g_assert_cmpint (rl_session_set_provider_secret_finish (
                         session, rl_test_wait_result (&result, 30000), &error),
                     <=, 0);
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_cmpuint (rl_session_get_pending_changes (session), ==, pending);
    g_assert_false (gui_test_found_in_files (tmp_home, CANARY));
  }
  /* The keyboard test's focus ring is no part of the locked state. */
  gtk_root_set_focus (GTK_ROOT (window), NULL);
  dismiss_toasts ();
  locked_shot = g_strdup_printf ("providers-locked-%s.png", SHOT_LANG);
  gui_test_save_shot (GTK_WIDGET (window), locked_shot);
  gui_test_unlock_keyring ();
  rl_session_check_keyring (session);
  g_assert_true (rl_test_wait_until (keyring_is, GINT_TO_POINTER (RL_KEYRING_AVAILABLE), 30000));

  gui_test_destroy_and_wait (GTK_WINDOW (window), page (), 10000);
  g_clear_object (&session);
  rl_test_devserver_free (server);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gui_test_prepare_env ();
  gui_test_set_language (SHOT_LANG);
  tmp_home = gui_test_private_user_dirs ("rl-providers-page-XXXXXX");
  gui_test_init_gtk (&argc, &argv);

  g_test_add_func ("/gui/providers-page", test_providers_page);

  status = g_test_run ();
  rl_test_rm_rf (tmp_home);
  g_free (tmp_home);
  return status;
}
