/* test-provider-dialog.c — the add/edit provider dialog in a signed-in
 * window against a devserver, as an admin: every provider type the server
 * offers walked through the generated form (added, then read back from the
 * server), the server's 422 on the field it names, a Stripe secret found
 * in the keyring by secret-tool with the server's hint, and a canary
 * secret that appears in no cache file, setting, log line, argv or
 * environment. Screenshots <build root>/screenshots/provider-add-stripe-LANG.png
 * and provider-add-smtp-LANG.png (SHOT_LANG: en runs everything, ne the
 * screenshots).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "gui-test-common.h"
#include "gui-test-find.h"
#include "gui-test-window.h"
#include "rl-provider-create.h"
#include "rl-provider-dialog.h"
#include "rl-provider-form.h"
#include "rl-store.h"
#include "rl-test-util.h"
#include "rl-window.h"

static RlWindow        *window;
static RlSession       *session;
static RlTestDevserver *server;
static char            *token;
static char            *canary;
static GString         *captured_log;
/* GLib calls the writer on the thread that logs: the list models' workers
 * log too, so the capture is appended under a lock (without it two threads
 * grew the string at once: "realloc(): invalid next size" on a fresh root). */
static GMutex captured_log_lock;

/* ---- The log: every message, debug included, kept to look for the canary ---- */

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&captured_log_lock);
  for (gsize i = 0; captured_log != NULL && i < n_fields; i++)
    if (fields[i].length < 0)
      g_string_append_printf (captured_log, "%s=%s ", fields[i].key, (const char *) fields[i].value);
    else
      {
        g_string_append_printf (captured_log, "%s=", fields[i].key);
        g_string_append_len (captured_log, fields[i].value, fields[i].length);
        g_string_append_c (captured_log, ' ');
      }
  if (captured_log != NULL)
    g_string_append_c (captured_log, '\n');
  g_mutex_unlock (&captured_log_lock);
  /* Debug and info only captured: the test's own output stays readable. */
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* ---- Helpers ------------------------------------------------------------------- */

static RlProviderDialog *
dialog_on_screen (void)
{
  return RL_PROVIDER_DIALOG (gui_test_toplevel (RL_TYPE_PROVIDER_DIALOG, NULL));
}

static gboolean
has_dialog (gpointer data)
{
  return dialog_on_screen () != NULL;
}

static gboolean
dialog_gone (gpointer dialog)
{
  return !gtk_widget_get_visible (GTK_WIDGET (dialog));
}

static gboolean
view_is (gpointer view)
{
  RlProviderDialog *dialog = dialog_on_screen ();

  return dialog != NULL && g_strcmp0 (rl_provider_dialog_get_view (dialog), view) == 0;
}

/* The add dialog, open on its type picker. */
static RlProviderDialog *
open_add (const char *kind)
{
  RlProviderDialog *dialog;

  g_assert_null (dialog_on_screen ());
  rl_provider_dialog_present_add (session, kind, GTK_WIDGET (window));
  g_assert_true (rl_test_wait_until (has_dialog, NULL, 10000));
  g_assert_true (rl_test_wait_until (view_is, (gpointer) "picker", 30000));
  dialog = dialog_on_screen ();
  g_assert_true (rl_test_wait_until (gui_test_laid_out, dialog, 10000));
  return g_object_ref (dialog);
}

static void
press_submit (RlProviderDialog *dialog)
{
  GtkWidget *button = gui_test_find_widget (GTK_WIDGET (dialog), gui_test_is_button_labelled,
                                            (gpointer) _ ("_Add"));

  if (button == NULL)
    button = gui_test_find_widget (GTK_WIDGET (dialog), gui_test_is_button_labelled,
                                   (gpointer) _ ("_Save"));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
set_text (RlProviderDialog *dialog,
          const char       *key,
          const char       *text)
{
  GtkWidget *input = rl_provider_dialog_get_input (dialog, key);

  g_assert_nonnull (input);
  g_assert_true (GTK_IS_EDITABLE (input));
  gtk_editable_set_text (GTK_EDITABLE (input), text);
}

static JsonObject *
server_provider (const char *id)
{
  g_autofree char *path = g_strconcat ("/providers/", id, NULL);

  return gui_test_server_get (server, token, path);
}

/* The value of a secret field in this test: the canary, then the key. */
static char *
secret_value (const char *key)
{
  return g_strdup_printf ("%s-%s", canary, key);
}

static char *
expected_hint (const char *value)
{
  glong n = g_utf8_strlen (value, -1);

  return g_strconcat ("…", g_utf8_offset_to_pointer (value, n - 4), NULL);
}

typedef struct
{
  const char           *id;
  const RlProviderType *type;
} Expect;

/* Every secret of the type shows set on the server, with the hint of the
 * value typed. */
static gboolean
secrets_on_server (gpointer data)
{
  Expect *e = data;
  g_autoptr (JsonObject) p = server_provider (e->id);
  JsonObject *secrets = json_object_get_object_member (p, "secrets");

  for (guint i = 0; i < e->type->fields->len; i++)
    {
      const RlProviderField *field = g_ptr_array_index (e->type->fields, i);
      g_autofree char       *value = NULL;
      g_autofree char       *hint = NULL;
      JsonObject            *s;

      if (field->type != RL_PROVIDER_FIELD_SECRET)
        continue;
      value = secret_value (field->key);
      hint = expected_hint (value);
      s = json_object_get_object_member (secrets, field->key);
      if (s == NULL || !json_object_get_boolean_member (s, "set")
          || g_strcmp0 (json_object_get_string_member (s, "hint"), hint) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Fills every field of @type's form with a value that differs from the
 * default where it can, and returns what the config should hold. */
static JsonObject *
fill_form (RlProviderDialog     *dialog,
           const RlProviderType *type)
{
  JsonObject *expected = json_object_new ();

  for (guint i = 0; i < type->fields->len; i++)
    {
      const RlProviderField *field = g_ptr_array_index (type->fields, i);
      GtkWidget             *input = rl_provider_dialog_get_input (dialog, field->key);
      g_autofree char       *text = NULL;

      g_assert_nonnull (input);
      switch (field->type)
        {
        case RL_PROVIDER_FIELD_STRING:
          /* Stripe's server-only rule: a publishable key starts with pk_. */
          text = g_strdup_printf ("%s%s-value", g_str_equal (field->key, "publishableKey") ? "pk_" : "",
                                  field->key);
          set_text (dialog, field->key, text);
          json_object_set_string_member (expected, field->key, text);
          break;

        case RL_PROVIDER_FIELD_URL:
          text = g_strdup_printf ("https://%s.example.org/v1", field->key);
          set_text (dialog, field->key, text);
          json_object_set_string_member (expected, field->key, text);
          break;

        case RL_PROVIDER_FIELD_SECRET:
          text = secret_value (field->key);
          g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (input));
          set_text (dialog, field->key, text);
          break;

        case RL_PROVIDER_FIELD_INT:
        case RL_PROVIDER_FIELD_FLOAT:
          {
            double lo = field->has_min ? field->min : 0;
            double hi = field->has_max ? field->max : 100;
            double v = field->type == RL_PROVIDER_FIELD_INT ? floor ((lo + hi) / 2) : (lo + hi) / 2;

            g_assert_true (GTK_IS_SPIN_BUTTON (input));
            if (field->has_min)
              g_assert_cmpfloat (gtk_adjustment_get_lower (gtk_spin_button_get_adjustment (
                                     GTK_SPIN_BUTTON (input))),
                                 ==, field->min);
            gtk_spin_button_set_value (GTK_SPIN_BUTTON (input), v);
            if (field->type == RL_PROVIDER_FIELD_INT)
              json_object_set_int_member (expected, field->key, (gint64) v);
            else
              json_object_set_double_member (expected, field->key, v);
            break;
          }

        case RL_PROVIDER_FIELD_BOOL:
          g_assert_true (GTK_IS_SWITCH (input));
          gtk_switch_set_active (GTK_SWITCH (input), !gtk_switch_get_active (GTK_SWITCH (input)));
          json_object_set_boolean_member (expected, field->key,
                                          gtk_switch_get_active (GTK_SWITCH (input)));
          break;

        case RL_PROVIDER_FIELD_ENUM:
          {
            guint       n = g_strv_length (field->options);
            GListModel *model;

            g_assert_true (ADW_IS_COMBO_ROW (input));
            model = adw_combo_row_get_model (ADW_COMBO_ROW (input));
            adw_combo_row_set_selected (ADW_COMBO_ROW (input), g_list_model_get_n_items (model) - 1);
            json_object_set_string_member (expected, field->key, field->options[n - 1]);
            break;
          }

        default:
          g_assert_not_reached ();
        }
    }
  return expected;
}

static void
assert_config (JsonObject *config,
               JsonObject *expected,
               const char *type)
{
  GList *keys = json_object_get_members (expected);

  for (GList *l = keys; l; l = l->next)
    {
      JsonNode *want = json_object_get_member (expected, l->data);
      JsonNode *got = json_object_get_member (config, l->data);

      g_test_message ("%s.%s", type, (const char *) l->data);
      g_assert_nonnull (got);
      if (json_node_get_value_type (want) == G_TYPE_DOUBLE)
        g_assert_cmpfloat_with_epsilon (json_node_get_double (got), json_node_get_double (want),
                                        1e-6);
      else
        g_assert_true (json_node_equal (got, want));
    }
  g_list_free (keys);
}

/* Adds a provider of @type through the form; returns its id. */
static char *
add_through_form (const RlProviderType *type)
{
  g_autoptr (RlProviderDialog) dialog = open_add (NULL);
  g_autoptr (JsonObject) expected = NULL;
  g_autoptr (JsonObject) p = NULL;
  g_autofree char *name = g_strdup_printf ("Test %s", type->label);
  Expect           e = { NULL, type };
  char            *id;

  g_assert_true (rl_provider_dialog_choose_type (dialog, type->type));
  g_assert_cmpstr (rl_provider_dialog_get_view (dialog), ==, "form");
  set_text (dialog, "name", name);
  expected = fill_form (dialog, type);
  press_submit (dialog);
  g_assert_true (rl_test_wait_until (dialog_gone, dialog, 30000));
  id = g_strdup (rl_provider_dialog_get_provider_id (dialog));
  g_assert_nonnull (id);

  p = server_provider (id);
  g_assert_cmpstr (json_object_get_string_member (p, "type"), ==, type->type);
  g_assert_cmpstr (json_object_get_string_member (p, "name"), ==, name);
  assert_config (json_object_get_object_member (p, "config"), expected, type->type);
  /* Secrets go through the keyring and the outbox: set soon after. */
  e.id = id;
  g_assert_true (rl_test_wait_until (secrets_on_server, &e, 30000));
  return id;
}

static gboolean
has_error_on (gpointer key)
{
  RlProviderDialog *dialog = dialog_on_screen ();

  return dialog != NULL && rl_provider_dialog_has_error (dialog, key);
}

static void
close_dialog (RlProviderDialog *dialog)
{
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (rl_test_wait_until (dialog_gone, dialog, 10000));
}

static gboolean
contains (const char *haystack,
          gsize       length,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; haystack != NULL && n <= length && i <= length - n; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_file_lacks (const char *path,
                   const char *needle)
{
  g_autofree char *data = NULL;
  gsize            length = 0;
  g_autoptr (GError) error = NULL;

  if (!g_file_get_contents (path, &data, &length, &error))
    {
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      return;
    }
  g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", path, length);
  g_assert_false (contains (data, length, needle));
}

static void
dump_settings (GSettings *settings,
               GString   *dump)
{
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;
  g_auto (GStrv) children = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i]; i++)
    {
      g_autoptr (GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);
      g_string_append_printf (dump, "%s=%s\n", keys[i], text);
    }
  children = g_settings_list_children (settings);
  for (guint i = 0; children[i]; i++)
    {
      g_autoptr (GSettings) child = g_settings_get_child (settings, children[i]);
      dump_settings (child, dump);
    }
}

static AdwMessageDialog *
message_on_screen (void)
{
  return ADW_MESSAGE_DIALOG (gui_test_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL));
}

static gboolean
has_message (gpointer data)
{
  return message_on_screen () != NULL;
}

static gboolean
server_name_is (gpointer data)
{
  const char **id_name = data;
  g_autoptr (JsonObject) p = server_provider (id_name[0]);

  return g_strcmp0 (json_object_get_string_member (p, "name"), id_name[1]) == 0;
}

/* Another admin renames provider @id on the server (If-Match: its version there). */
static void
rename_on_server (const char *id,
                  const char *name)
{
  g_autoptr (JsonObject) p = server_provider (id);
  g_autofree char *url = g_strdup_printf ("%s/providers/%s", server->api_url, id);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (p, "version"));
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\"}", name);
  const char      *headers[] = { "Authorization", auth, "If-Match", version, NULL };
  g_autoptr (JsonNode) answer = NULL;
  guint status = 0;

  answer = rl_test_http ("PATCH", url, body, headers, &status);
  g_assert_cmpuint (status, ==, 200);
}

/* ---- The tests ------------------------------------------------------------------ */

static void
sign_in (void)
{
  g_autoptr (GError) error = NULL;

  server = rl_test_devserver_start (NULL, &error);
  g_assert_no_error (error);
  token = rl_test_login (server, "admin@demo.reloop.np");
  session = rl_session_new ();
  window = gui_test_signed_in_window (session, NULL, server->url, "admin@demo.reloop.np", 1280, 800);
}

static void
sign_out (void)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
  g_clear_pointer (&server, rl_test_devserver_free);
  g_clear_pointer (&token, g_free);
}

/* The two screenshots, in the language of this build. */
static void
take_screenshots (void)
{
  g_autofree char *stripe_shot = g_strdup_printf ("provider-add-stripe-%s.png", SHOT_LANG);
  g_autofree char *smtp_shot = g_strdup_printf ("provider-add-smtp-%s.png", SHOT_LANG);
  g_autoptr (RlProviderDialog) dialog = open_add ("payment");

  g_assert_true (rl_provider_dialog_choose_type (dialog, "stripe"));
  set_text (dialog, "publishableKey", "pk_live_51Reloop");
  set_text (dialog, "secretKey", "sk_live_example_4242");
  gui_test_save_shot (GTK_WIDGET (dialog), stripe_shot);
  close_dialog (dialog);
  g_clear_object (&dialog);

  /* SMTP with its host left empty: the message next to the field. */
  dialog = open_add ("email");
  g_assert_true (rl_provider_dialog_choose_type (dialog, "smtp"));
  set_text (dialog, "host", "");
  press_submit (dialog);
  g_assert_true (rl_provider_dialog_has_error (dialog, "host"));
  gui_test_save_shot (GTK_WIDGET (dialog), smtp_shot);
  close_dialog (dialog);
}

static void
test_screenshots (void)
{
  sign_in ();
  take_screenshots ();
  sign_out ();
}

static void
test_provider_dialog (void)
{
  g_autoptr (GPtrArray) types = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *stripe_id = NULL;
  g_autofree char *store_path = NULL;

  sign_in ();
  store_path = g_strdup (rl_store_get_path (rl_session_get_store (session)));

  /* The types the picker offers are the server's, cached. */
  {
    g_autoptr (RlProviderDialog) dialog = open_add (NULL);
    close_dialog (dialog);
  }
  types = rl_session_get_cached_provider_types (session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (types->len, ==, 23);

  /* (a) Every type through the generated form, read back from the server. */
  for (guint i = 0; i < types->len; i++)
    {
      const RlProviderType *type = g_ptr_array_index (types, i);
      g_autofree char      *id = add_through_form (type);

      g_test_message ("%s added as %s", type->type, id);
      if (g_str_equal (type->type, "stripe"))
        stripe_id = g_steal_pointer (&id);
    }
  g_assert_nonnull (stripe_id);

  /* (b) A check before sending: the required host left empty. */
  {
    g_autoptr (RlProviderDialog) dialog = open_add ("email");

    g_assert_true (rl_provider_dialog_choose_type (dialog, "smtp"));
    set_text (dialog, "host", "  ");
    press_submit (dialog);
    g_assert_true (rl_provider_dialog_has_error (dialog, "host"));
    g_assert_nonnull (rl_provider_dialog_get_note (dialog, "host"));
    g_assert_false (rl_provider_dialog_has_error (dialog, "port"));
    /* Corrected, the message goes as soon as the field changes. */
    set_text (dialog, "host", "mail.example.org");
    g_assert_false (rl_provider_dialog_has_error (dialog, "host"));
    close_dialog (dialog);
  }

  /* (b) The server's 422 on the field it names: a rule only the server
   * knows (config.publishableKey must start with pk_). */
  {
    g_autoptr (RlProviderDialog) dialog = open_add ("payment");
    g_autofree char *secret = secret_value ("refused");

    g_assert_true (rl_provider_dialog_choose_type (dialog, "stripe"));
    set_text (dialog, "publishableKey", "live_51NotAKey");
    set_text (dialog, "secretKey", secret);
    press_submit (dialog);
    g_assert_true (rl_test_wait_until (has_error_on, (gpointer) "publishableKey", 30000));
    g_assert_nonnull (strstr (rl_provider_dialog_get_note (dialog, "publishableKey"), "pk_"));
    g_assert_false (rl_provider_dialog_has_error (dialog, "secretKey"));
    g_assert_false (rl_provider_dialog_has_error (dialog, "name"));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
    g_assert_null (rl_provider_dialog_get_provider_id (dialog));
    close_dialog (dialog);
  }

  /* (c) The Stripe secret is in the keyring, found by secret-tool with the
   * documented attributes, and the server reports its hint. */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *value = secret_value ("secretKey");
    g_autofree char *hint = expected_hint (value);
    g_autoptr (JsonObject) p = server_provider (stripe_id);
    JsonObject *secret =
        json_object_get_object_member (json_object_get_object_member (p, "secrets"), "secretKey");
    const char *argv[] = { "secret-tool", "search", "--all", "kind", "provider-secret",
                           "provider-id", stripe_id, NULL };
    int         wait_status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                                 &err, &wait_status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
    /* secret-tool writes the attributes on stderr, the values on stdout
     * (not logged: they are the secrets). */
    g_assert_nonnull (strstr (err, "attribute.field = secretKey"));
    g_assert_nonnull (strstr (err, "attribute.field = webhookSecret"));
    g_assert_nonnull (strstr (err, "attribute.kind = provider-secret"));
    g_assert_true (contains (out, strlen (out), value));
    g_assert_true (json_object_get_boolean_member (secret, "set"));
    g_assert_cmpstr (json_object_get_string_member (secret, "hint"), ==, hint);
  }

  /* Edit: the form shows the set secret's hint only; a new name is saved
   * through the outbox (PATCH with If-Match). */
  {
    g_autofree char  *value = secret_value ("secretKey");
    g_autofree char  *hint = expected_hint (value);
    const char       *id_name[] = { stripe_id, "Stripe (main)" };
    RlProviderDialog *dialog;

    rl_provider_dialog_present_edit (session, stripe_id, GTK_WIDGET (window));
    g_assert_true (rl_test_wait_until (view_is, (gpointer) "form", 30000));
    dialog = g_object_ref (dialog_on_screen ());
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rl_provider_dialog_get_input (dialog, "secretKey"))),
                     ==, "");
    g_assert_nonnull (rl_provider_dialog_get_note (dialog, "secretKey"));
    g_assert_true (g_str_has_prefix (rl_provider_dialog_get_note (dialog, "secretKey"), hint));
    set_text (dialog, "name", id_name[1]);
    press_submit (dialog);
    g_assert_true (rl_test_wait_until (dialog_gone, dialog, 30000));
    g_assert_true (rl_test_wait_until (server_name_is, id_name, 30000));
    g_object_unref (dialog);
  }

  /* Edit meeting a 409: someone renamed it on the server meanwhile; the
   * dialog says what changed there, and "Re-apply Mine" wins. */
  {
    const char       *mine[] = { stripe_id, "Stripe (mine)" };
    AdwMessageDialog *message;
    RlProviderDialog *dialog;

    rl_provider_dialog_present_edit (session, stripe_id, GTK_WIDGET (window));
    g_assert_true (rl_test_wait_until (view_is, (gpointer) "form", 30000));
    dialog = g_object_ref (dialog_on_screen ());
    rename_on_server (stripe_id, "Stripe (theirs)");
    set_text (dialog, "name", mine[1]);
    press_submit (dialog);
    g_assert_true (rl_test_wait_until (has_message, NULL, 30000));
    message = message_on_screen ();
    g_assert_nonnull (strstr (adw_message_dialog_get_body (message), "Stripe (theirs)"));
    g_assert_nonnull (strstr (adw_message_dialog_get_body (message), "Stripe (mine)"));
    adw_message_dialog_response (message, "reapply");
    g_assert_true (rl_test_wait_until (dialog_gone, dialog, 30000));
    g_assert_true (rl_test_wait_until (server_name_is, mine, 30000));
    g_object_unref (dialog);
  }

  /* (d) The canary appears nowhere but the keyring and the server. */
  {
    g_autofree char *wal = g_strconcat (store_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (store_path, "-shm", NULL);
    g_autofree char *journal = g_strconcat (store_path, "-journal", NULL);
    g_autoptr (GSettings) settings = g_settings_new ("org.reloop.Console");
    g_autoptr (GString) dump = g_string_new (NULL);
    g_autofree char *cmdline = NULL, *environ_data = NULL;
    gsize            cmdline_len = 0, environ_len = 0;

    g_assert_true (g_file_test (store_path, G_FILE_TEST_EXISTS));
    assert_file_lacks (store_path, canary);
    assert_file_lacks (wal, canary);
    assert_file_lacks (shm, canary);
    assert_file_lacks (journal, canary);
    /* The hints are stored: proof that the files were the right ones. */
    {
      g_autofree char *data = NULL;
      g_autofree char *value = secret_value ("secretKey");
      g_autofree char *hint = expected_hint (value);
      g_autofree char *data_wal = NULL;
      gsize            n = 0, n_wal = 0;

      g_file_get_contents (store_path, &data, &n, NULL);
      g_file_get_contents (wal, &data_wal, &n_wal, NULL);
      g_assert_true (contains (data, n, hint) || contains (data_wal, n_wal, hint));
    }

    dump_settings (settings, dump);
    g_assert_cmpuint (dump->len, >, 0);
    g_assert_false (contains (dump->str, dump->len, canary));

    {
      g_autofree char *log_copy = NULL;
      gsize            log_len;

      g_mutex_lock (&captured_log_lock);
      log_len = captured_log->len;
      log_copy = g_strndup (captured_log->str, log_len);
      g_mutex_unlock (&captured_log_lock);
      g_assert_cmpuint (log_len, >, 0);
      /* Debug messages were on, and the provider calls were logged. */
      g_assert_nonnull (strstr (log_copy, "created; "));
      g_assert_false (contains (log_copy, log_len, canary));
    }

    g_assert_true (g_file_get_contents ("/proc/self/cmdline", &cmdline, &cmdline_len, NULL));
    g_assert_true (g_file_get_contents ("/proc/self/environ", &environ_data, &environ_len, NULL));
    g_assert_false (contains (cmdline, cmdline_len, canary));
    g_assert_false (contains (environ_data, environ_len, canary));
  }

  sign_out ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp_home = NULL;
  int              status;

  /* Every debug message is written (and captured): the canary must not be
   * in any of them. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  gui_test_prepare_env ();
  gui_test_set_language (SHOT_LANG);
  tmp_home = gui_test_private_user_dirs ("rl-provider-dialog-XXXXXX");
  gui_test_init_gtk (&argc, &argv);

  /* Made here, in memory only: never in argv or the environment. */
  {
    g_autofree char *uuid = g_uuid_string_random ();
    canary = g_strdup_printf ("CANARY%sZ", uuid);
  }

  if (g_str_equal (SHOT_LANG, "en"))
    g_test_add_func ("/gui/provider-dialog", test_provider_dialog);
  g_test_add_func ("/gui/provider-dialog/screenshots", test_screenshots);

  status = g_test_run ();
  rl_test_rm_rf (tmp_home);
  g_free (canary);
  g_mutex_lock (&captured_log_lock);
  g_string_free (g_steal_pointer (&captured_log), TRUE);
  g_mutex_unlock (&captured_log_lock);
  return status;
}
