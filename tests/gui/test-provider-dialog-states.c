/* test-provider-dialog-states.c — the provider dialog's secrets and its
 * offline and locked-keyring states, in a signed-in window against a
 * devserver, as an admin: a secret rotated in the edit form (the server's
 * hint changes, the keyring item and `secret-tool lookup` hold the new
 * value), a secret removed with its Remove button (gone on the server and
 * in the keyring), the keyring locked (secret rows read-only with the
 * explanation, nothing written anywhere), and offline: an edit queued in
 * the outbox, the dialog closed with "waiting to sync" in the window, and
 * an add refused with a clear message. (test-provider-dialog.c has the
 * form, the 422s, the canary and the screenshots.)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "gui-test-common.h"
#include "gui-test-find.h"
#include "gui-test-window.h"
#include "rl-edits.h"
#include "rl-provider-create.h"
#include "rl-provider-dialog.h"
#include "rl-secrets.h"
#include "rl-store-outbox.h"
#include "rl-store.h"
#include "rl-test-util.h"
#include "rl-window.h"

#define FIRST_SECRET "sk_test_first_value_1111"
#define ROTATED_SECRET "sk_test_rotated_value_2222"
#define WEBHOOK_SECRET "whsec_states_test_3333"
#define LOCKED_CANARY "sk_CANARY_typed_while_locked_4444"

static RlWindow        *window;
static RlSession       *session;
static RlTestDevserver *server;
static char            *token;
static char            *tmp_home;

/* ---- Helpers ------------------------------------------------------------------- */

static gboolean
is_offline (gpointer data)
{
  return rl_session_get_state (session) == RL_SESSION_STATE_OFFLINE
         && !rl_session_get_api_reachable (session);
}

static gboolean
no_pending (gpointer data)
{
  return rl_session_get_pending_changes (session) == 0;
}

static RlProviderDialog *
dialog_on_screen (void)
{
  return RL_PROVIDER_DIALOG (gui_test_toplevel (RL_TYPE_PROVIDER_DIALOG, NULL));
}

static gboolean
view_is (gpointer view)
{
  RlProviderDialog *dialog = dialog_on_screen ();

  return dialog != NULL && g_strcmp0 (rl_provider_dialog_get_view (dialog), view) == 0;
}

static gboolean
dialog_gone (gpointer dialog)
{
  return !gtk_widget_get_visible (GTK_WIDGET (dialog));
}

static RlProviderDialog *
open_edit (const char *id)
{
  RlProviderDialog *dialog;

  g_assert_null (dialog_on_screen ());
  rl_provider_dialog_present_edit (session, id, GTK_WIDGET (window));
  g_assert_true (rl_test_wait_until (view_is, (gpointer) "form", 30000));
  dialog = dialog_on_screen ();
  g_assert_true (rl_test_wait_until (gui_test_laid_out, dialog, 10000));
  return g_object_ref (dialog);
}

static void
close_dialog (RlProviderDialog *dialog)
{
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (rl_test_wait_until (dialog_gone, dialog, 10000));
}

static void
set_text (RlProviderDialog *dialog,
          const char       *key,
          const char       *text)
{
  GtkWidget *input = rl_provider_dialog_get_input (dialog, key);

  g_assert_nonnull (input);
  gtk_editable_set_text (GTK_EDITABLE (input), text);
}

static void
press (GtkWidget  *root,
       const char *label)
{
  GtkWidget *button = gui_test_find_widget (root, gui_test_is_button_labelled, (gpointer) label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
is_label_with (GtkWidget *widget,
               gpointer   text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
is_row_titled (GtkWidget *widget,
               gpointer   title)
{
  return ADW_IS_ACTION_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
shows_label (gpointer data)
{
  LabelWait *wait = data;

  return gui_test_find_widget (wait->root, is_label_with, (gpointer) wait->text) != NULL;
}

static JsonObject *
server_provider (const char *id)
{
  g_autofree char *path = g_strconcat ("/providers/", id, NULL);

  return gui_test_server_get (server, token, path);
}

/* The server's hint of secret @key of provider @id, NULL when not set. */
static char *
server_hint (const char *id,
             const char *key)
{
  g_autoptr (JsonObject) p = server_provider (id);
  JsonObject *secrets = json_object_get_object_member (p, "secrets");
  JsonObject *secret = secrets && json_object_has_member (secrets, key)
                           ? json_object_get_object_member (secrets, key)
                           : NULL;

  if (secret == NULL || !json_object_get_boolean_member_with_default (secret, "set", FALSE))
    return NULL;
  return g_strdup (json_object_get_string_member (secret, "hint"));
}

typedef struct
{
  const char *id;
  const char *key;
  const char *hint; /* NULL: not set */
} HintWait;

static gboolean
hint_is (gpointer data)
{
  HintWait        *wait = data;
  g_autofree char *hint = server_hint (wait->id, wait->key);

  return g_strcmp0 (hint, wait->hint) == 0;
}

/* `secret-tool lookup` of this server's provider @id's @field: its value,
 * "" when none. */
static char *
secret_tool_lookup (const char *id,
                    const char *field)
{
  const char *argv[] = { "secret-tool", "lookup", "kind", "provider-secret", "server",
                         rl_session_get_server_url (session), "provider-id", id, "field", field,
                         NULL };
  g_autoptr (GError) error = NULL;
  char *out = NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                               NULL, NULL, &error));
  g_assert_no_error (error);
  return out;
}

/* ---- The test ------------------------------------------------------------------ */

static char *
create_stripe (void)
{
  g_autoptr (JsonNode) provider = json_from_string (
      "{\"type\":\"stripe\",\"name\":\"Stripe (states)\",\"role\":\"backup\",\"priority\":5,"
      "\"config\":{\"publishableKey\":\"pk_test_states\",\"currency\":\"npr\"}}",
      NULL);
  g_autoptr (JsonNode) secrets = json_from_string (
      "{\"secretKey\":\"" FIRST_SECRET "\",\"webhookSecret\":\"" WEBHOOK_SECRET "\"}", NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  char *id = NULL;

  rl_session_create_provider_async (session, json_node_get_object (provider),
                                    json_node_get_object (secrets), NULL, rl_test_store_result_cb,
                                    &result);
  g_assert_true (rl_session_create_provider_finish (session, rl_test_wait_result (&result, 30000),
                                                    &id, &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait_until (no_pending, NULL, 30000));
  return id;
}

static void
test_states (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = g_settings_new ("org.reloop.Console");
  g_autofree char *id = NULL;

  server = rl_test_devserver_start (NULL, &error);
  g_assert_no_error (error);
  token = rl_test_login (server, "admin@demo.reloop.np");
  session = rl_session_new ();
  rl_session_set_probe_interval (session, 300);
  window = gui_test_signed_in_window (session, settings, server->url, "admin@demo.reloop.np", 1280, 800);
  /* The picker's search: Enter picks the first type it leaves. */
  {
    RlProviderDialog *dialog;
    GtkWidget        *search;

    rl_provider_dialog_present_add (session, NULL, GTK_WIDGET (window));
    g_assert_true (rl_test_wait_until (view_is, (gpointer) "picker", 30000));
    dialog = g_object_ref (dialog_on_screen ());
    search = gui_test_find_widget (GTK_WIDGET (dialog), gui_test_is_type,
                                   GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY));
    g_assert_nonnull (search);
    g_assert_true (gtk_widget_is_visible (gui_test_find_widget (GTK_WIDGET (dialog), is_row_titled, "Khalti")));
    gtk_editable_set_text (GTK_EDITABLE (search), "stripe");
    g_signal_emit_by_name (search, "activate");
    /* Only Stripe left in the picker (the rows stay, hidden). */
    g_assert_true (gtk_widget_is_visible (gui_test_find_widget (GTK_WIDGET (dialog), is_row_titled, "Stripe")));
    g_assert_false (gtk_widget_is_visible (gui_test_find_widget (GTK_WIDGET (dialog), is_row_titled, "Khalti")));
    g_assert_cmpstr (rl_provider_dialog_get_view (dialog), ==, "form");
    g_assert_nonnull (rl_provider_dialog_get_row (dialog, "publishableKey"));
    close_dialog (dialog);
    g_object_unref (dialog);
  }

  id = create_stripe ();
  {
    g_autofree char *first = secret_tool_lookup (id, "secretKey");
    g_assert_cmpstr (first, ==, FIRST_SECRET);
  }

  /* Rotation: a new value typed in the edit form. */
  {
    g_autoptr (RlProviderDialog) dialog = open_edit (id);
    HintWait         rotated = { id, "secretKey", "…2222" };
    g_autofree char *looked_up = NULL;

    g_assert_true (g_str_has_prefix (rl_provider_dialog_get_note (dialog, "secretKey"), "…1111"));
    set_text (dialog, "secretKey", ROTATED_SECRET);
    press (GTK_WIDGET (dialog), _ ("_Save"));
    g_assert_true (rl_test_wait_until (dialog_gone, dialog, 30000));
    g_assert_true (rl_test_wait_until (hint_is, &rotated, 30000));
    looked_up = secret_tool_lookup (id, "secretKey");
    g_assert_cmpstr (looked_up, ==, ROTATED_SECRET);
  }

  /* Remove: the row's Remove button deletes it on the server and in the
   * keyring; the form then shows it not set. */
  {
    g_autoptr (RlProviderDialog) dialog = open_edit (id);
    HintWait         gone = { id, "webhookSecret", NULL };
    LabelWait        toast = { GTK_WIDGET (dialog),
                               _ ("Secret removed on the server and from the keyring.") };
    GtkWidget       *row = rl_provider_dialog_get_row (dialog, "webhookSecret");
    g_autofree char *left = NULL;
    g_autofree char *kept = NULL;

    g_assert_nonnull (row);
    g_assert_true (g_str_has_prefix (rl_provider_dialog_get_note (dialog, "webhookSecret"), "…3333"));
    press (row, _ ("Remove"));
    g_assert_true (rl_test_wait_until (shows_label, &toast, 30000));
    g_assert_true (hint_is (&gone));
    left = secret_tool_lookup (id, "webhookSecret");
    g_assert_cmpstr (left, ==, "");
    kept = secret_tool_lookup (id, "secretKey");
    g_assert_cmpstr (kept, ==, ROTATED_SECRET);
    row = rl_provider_dialog_get_row (dialog, "webhookSecret");
    g_assert_null (gui_test_find_widget (row, gui_test_is_button_labelled, (gpointer) _ ("Remove")));
    close_dialog (dialog);
  }

  /* The keyring locked: the secret rows are read-only and say why; a value
   * forced into one goes nowhere (no outbox row, no keyring item, no file). */
  gui_test_lock_keyring ();
  {
    g_autoptr (RlProviderDialog) dialog = open_edit (id);
    GtkWidget *input = rl_provider_dialog_get_input (dialog, "secretKey");
    LabelWait  explained = { GTK_WIDGET (dialog), _ ("The keyring is locked") };
    gint64     outbox = rl_store_outbox_count (rl_session_get_store (session));

    g_assert_false (gtk_widget_is_sensitive (input));
    g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (input)));
    g_assert_true (shows_label (&explained));
    gtk_editable_set_text (GTK_EDITABLE (input), LOCKED_CANARY);
    press (GTK_WIDGET (dialog), _ ("_Save"));
    g_assert_true (rl_test_wait_until (dialog_gone, dialog, 30000));
    g_assert_cmpint (rl_store_outbox_count (rl_session_get_store (session)), ==, outbox);
    g_assert_false (gui_test_found_in_files (tmp_home, LOCKED_CANARY));

    /* The core refuses too: 0 and the keyring's error (rl-edits.h), no row. */
    {
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (GError) locked = NULL;

      rl_session_set_provider_secret_async (session, id, "secretKey", LOCKED_CANARY, NULL,
                                            rl_test_store_result_cb, &result);
      g_assert_cmpint (rl_session_set_provider_secret_finish (
                           session, rl_test_wait_result (&result, 30000), &locked),
                       ==, 0);
      g_assert_error (locked, RL_SECRETS_ERROR, RL_SECRETS_ERROR_LOCKED);
      g_assert_cmpint (rl_store_outbox_count (rl_session_get_store (session)), ==, outbox);
      g_assert_false (gui_test_found_in_files (tmp_home, LOCKED_CANARY));
    }
  }
  gui_test_unlock_keyring ();
  {
    HintWait         unchanged = { id, "secretKey", "…2222" };
    g_autofree char *looked_up = secret_tool_lookup (id, "secretKey");

    g_assert_cmpstr (looked_up, ==, ROTATED_SECRET);
    g_assert_true (hint_is (&unchanged));
  }

  /* Unlocked again: the secret rows are editable. */
  {
    g_autoptr (RlProviderDialog) dialog = open_edit (id);

    g_assert_true (gtk_widget_is_sensitive (rl_provider_dialog_get_input (dialog, "secretKey")));
    close_dialog (dialog);
  }

  /* Offline: an edit is queued and the window says it waits to sync. */
  rl_test_devserver_stop (server);
  g_assert_true (rl_test_wait_until (is_offline, NULL, 30000));
  {
    g_autoptr (RlProviderDialog) dialog = open_edit (id);
    LabelWait waiting = { GTK_WIDGET (window), _ ("Saved on this computer — waiting to sync.") };
    g_autoptr (JsonObject) cached = NULL;

    set_text (dialog, "name", "Stripe (edited offline)");
    press (GTK_WIDGET (dialog), _ ("_Save"));
    g_assert_true (rl_test_wait_until (dialog_gone, dialog, 10000));
    g_assert_true (rl_test_wait_until (shows_label, &waiting, 10000));
    g_assert_cmpuint (rl_session_get_pending_changes (session), ==, 1);
    cached = rl_store_get_record (rl_session_get_store (session), "provider", id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (cached, "name"), ==, "Stripe (edited offline)");
  }

  /* Offline: adding is refused with a clear message; the form stays. */
  {
    RlProviderDialog *dialog;
    LabelWait         refused = { NULL, _ ("adding one needs a connection to the server") };
    gint64            providers = rl_store_count (rl_session_get_store (session), "provider");

    rl_provider_dialog_present_add (session, "payment", GTK_WIDGET (window));
    g_assert_true (rl_test_wait_until (view_is, (gpointer) "picker", 30000));
    dialog = g_object_ref (dialog_on_screen ());
    g_assert_true (rl_provider_dialog_choose_type (dialog, "stripe"));
    set_text (dialog, "name", "Stripe (added offline)");
    set_text (dialog, "publishableKey", "pk_test_offline");
    set_text (dialog, "secretKey", "sk_test_offline_never_kept");
    press (GTK_WIDGET (dialog), _ ("_Add"));
    refused.root = GTK_WIDGET (dialog);
    g_assert_true (rl_test_wait_until (shows_label, &refused, 10000));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
    g_assert_cmpstr (rl_provider_dialog_get_view (dialog), ==, "form");
    g_assert_null (rl_provider_dialog_get_provider_id (dialog));
    g_assert_cmpint (rl_store_count (rl_session_get_store (session), "provider"), ==, providers);
    g_assert_cmpuint (rl_session_get_pending_changes (session), ==, 1);
    close_dialog (dialog);
    g_object_unref (dialog);
  }

  /* Online again: the queued edit reaches the server. */
  g_assert_true (rl_test_devserver_restart (server, &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait_until (no_pending, NULL, 60000));
  {
    g_autoptr (JsonObject) p = server_provider (id);

    g_assert_cmpstr (json_object_get_string_member (p, "name"), ==, "Stripe (edited offline)");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
  g_clear_pointer (&server, rl_test_devserver_free);
  g_clear_pointer (&token, g_free);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gui_test_prepare_env ();
  gui_test_set_language ("en");
  tmp_home = gui_test_private_user_dirs ("rl-provider-states-XXXXXX");
  gui_test_init_gtk (&argc, &argv);

  g_test_add_func ("/gui/provider-dialog/states", test_states);

  status = g_test_run ();
  rl_test_rm_rf (tmp_home);
  g_free (tmp_home);
  return status;
}
