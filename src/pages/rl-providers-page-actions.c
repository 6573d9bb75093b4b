/* rl-providers-page-actions.c — the Providers page's actions: test, reset
 * circuit, enable/disable, move, role, drop, edit, delete, add, unlock.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every action takes the provider's id as its target, so a row's menu, its
 * shortcuts (Alt+Up, Alt+Down, Ctrl+T, Delete) and drag and drop are the
 * same code.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-a11y.h"
#include "rl-core-enums.h"
#include "rl-provider-dialog.h"
#include "rl-providers-page-private.h"
#include "rl-ui-format.h"
#include "rl-ui-errors.h"
#include "rl-weak-call.h"

/* ---- Helpers ------------------------------------------------------------------- */

RlProviderRow *
rl_providers_page_find_row (RlProvidersPage *self,
                            const char      *id)
{
  for (guint k = 0; k < RL_PROVIDER_N_KINDS; k++)
    {
      guint          pos = rl_record_list_find (self->lists[k], id);
      GtkListBoxRow *row;

      if (pos == G_MAXUINT)
        continue;
      row = gtk_list_box_get_row_at_index (self->boxes[k], pos);
      return row ? RL_PROVIDER_ROW (row) : NULL;
    }
  return NULL;
}

RlProviderItem *
rl_providers_page_find_item (RlProvidersPage *self,
                             const char      *id)
{
  for (guint k = 0; k < RL_PROVIDER_N_KINDS; k++)
    {
      guint pos = rl_record_list_find (self->lists[k], id);

      if (pos != G_MAXUINT)
        return g_list_model_get_item (G_LIST_MODEL (self->lists[k]), pos);
    }
  return NULL;
}

char *
rl_providers_page_chain (RlProvidersPage *self,
                         guint            k,
                         gboolean        *has_primary)
{
  GListModel *model = G_LIST_MODEL (self->lists[k]);
  g_autoptr (GString) chain = NULL;

  *has_primary = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (RlListItem) item = g_list_model_get_item (model, i);

      if (!rl_list_item_get_boolean (item, "enabled"))
        continue;
      if (rl_list_item_get_enum (item, "role") == RL_PROVIDER_ROLE_PRIMARY)
        *has_primary = TRUE;
      if (chain == NULL)
        chain = g_string_new (NULL);
      else
        g_string_append (chain, " → ");
      g_string_append (chain, rl_list_item_get_string (item, "name"));
    }
  return chain ? g_string_free (g_steal_pointer (&chain), FALSE) : NULL;
}

static void
toast_error (RlProvidersPage *self,
             const char      *what,
             const GError    *error)
{
  g_autofree char *message = rl_ui_error_message (error);
  /* Translators: 1: what failed ("Khalti could not be tested"), 2: why. */
  g_autofree char *text = g_strdup_printf (_ ("%1$s: %2$s"), what, message);

  rl_page_toast (RL_PAGE (self), text);
}

static const char *
name_of (RlProvidersPage *self,
         const char      *id,
         char           **out_owned)
{
  g_autoptr (RlProviderItem) item = rl_providers_page_find_item (self, id);

  *out_owned = item ? g_strdup (rl_list_item_get_string (RL_LIST_ITEM (item), "name")) : NULL;
  return *out_owned ? *out_owned : id;
}

static RlSession *
session_of (RlProvidersPage *self)
{
  return rl_page_get_session (RL_PAGE (self));
}

/* ---- Test ---------------------------------------------------------------------- */

/* A test under way: the page (weakly) and the provider. */
typedef struct
{
  RlWeakCall *page;
  char       *id;
} TestCall;

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TestCall *call = user_data;
  g_autoptr (RlProvidersPage) self = rl_weak_call_finish (call->page);
  g_autofree char *id = call->id;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlProviderTestResult) answer =
      rl_provider_test_finish (RL_SESSION (source), result, &error);
  g_autofree char *owned = NULL;
  RlProviderRow   *row;

  g_free (call);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  row = rl_providers_page_find_row (self, id);
  if (answer == NULL)
    {
      g_autofree char *what = NULL;

      if (row != NULL)
        rl_provider_row_set_testing (row, FALSE);
      /* Translators: %s is a provider's name. */
      what = g_strdup_printf (_ ("%s could not be tested"), name_of (self, id, &owned));
      return toast_error (self, what, error);
    }
  g_hash_table_replace (self->tests, g_strdup (id), rl_provider_test_result_copy (answer));
  if (row != NULL)
    rl_provider_row_set_test_result (row, answer);
  {
    g_autofree char *text =
        answer->ok
            /* Translators: 1: a provider's name, 2: milliseconds. */
            ? g_strdup_printf (_ ("%1$s: connection test passed in %2$d ms"),
                               name_of (self, id, &owned), (int) answer->latency_ms)
            /* Translators: 1: a provider's name, 2: the server's message. */
            : g_strdup_printf (_ ("%1$s: connection test failed: %2$s"),
                               name_of (self, id, &owned), answer->message);
    rl_page_toast (RL_PAGE (self), text);
  }
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RlProvidersPage *self = RL_PROVIDERS_PAGE (widget);
  const char      *id = g_variant_get_string (parameter, NULL);
  RlProviderRow   *row = rl_providers_page_find_row (self, id);
  TestCall        *call = g_new0 (TestCall, 1);

  call->page = rl_weak_call_new (self);
  call->id = g_strdup (id);
  if (row != NULL)
    rl_provider_row_set_testing (row, TRUE);
  rl_provider_test_async (session_of (self), id, rl_page_get_cancellable (RL_PAGE (self)),
                          tested_cb, call);
}

/* ---- Reset circuit ------------------------------------------------------------- */

static void
reset_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (RlProvidersPage) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;

  if (!rl_provider_reset_circuit_finish (RL_SESSION (source), result, &error))
    {
      if (self != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (self, _ ("The circuit could not be reset"), error);
      return;
    }
  if (self != NULL)
    rl_page_toast (RL_PAGE (self), _ ("Circuit reset: the backend calls the provider again"));
}

static void
reset_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   RlProvidersPage  *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "provider-id");

  if (g_str_equal (response, "reset"))
    rl_provider_reset_circuit_async (session_of (self), id,
                                     rl_page_get_cancellable (RL_PAGE (self)), reset_done_cb,
                                     rl_weak_call_new (self));
}

static AdwMessageDialog *
confirm (RlProvidersPage *self,
         const char      *id,
         const char      *heading,
         const char      *body,
         const char      *response,
         const char      *label,
         GCallback        callback)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body));

  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "provider-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", callback, self, 0);
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RlProvidersPage *self = RL_PROVIDERS_PAGE (widget);
  const char      *id = g_variant_get_string (parameter, NULL);
  g_autofree char *owned = NULL;
  g_autofree char *heading = NULL;

  /* Translators: %s is a provider's name. */
  heading = g_strdup_printf (_ ("Reset the Circuit of %s?"), name_of (self, id, &owned));
  confirm (self, id, heading,
           _ ("The backend forgets the failures in a row and calls the provider again at once. "
              "If it still fails, the circuit opens again after three failures."),
           "reset", _ ("_Reset Circuit"), G_CALLBACK (reset_response_cb));
}

/* ---- Edits through the outbox -------------------------------------------------- */

static void
enable_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RlProvidersPage *self = RL_PROVIDERS_PAGE (widget);
  const char      *id = g_variant_get_string (parameter, NULL);
  gboolean         enable = g_str_equal (action_name, "providers.enable");
  g_autoptr (GError) error = NULL;

  if (rl_provider_set_enabled (session_of (self), id, enable, &error) < 0)
    toast_error (self, enable ? _ ("Not enabled") : _ ("Not disabled"), error);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RlProvidersPage *self = RL_PROVIDERS_PAGE (widget);
  const char      *id = g_variant_get_string (parameter, NULL);
  gint             delta = g_str_equal (action_name, "providers.move-up") ? -1 : 1;
  g_autoptr (GError) error = NULL;
  gint n;

  n = rl_provider_move (session_of (self), id, delta, &error);
  if (n < 0)
    toast_error (self, _ ("Not moved"), error);
  else if (n == 0)
    rl_page_toast (RL_PAGE (self), delta < 0 ? _ ("Already first in its role")
                                             : _ ("Already last in its role"));
}

static void
drop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RlProvidersPage *self = RL_PROVIDERS_PAGE (widget);
  const char      *moved, *target;
  gboolean         after;
  g_autoptr (GError) error = NULL;

  g_variant_get (parameter, "(&s&sb)", &moved, &target, &after);
  if (rl_provider_move_to (session_of (self), moved, target, after, &error) < 0)
    toast_error (self, _ ("Not moved"), error);
}

static void
role_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RlProvidersPage *self = RL_PROVIDERS_PAGE (widget);
  const char      *id, *wire;
  g_autoptr (GError) error = NULL;
  RlProviderRole role;

  g_variant_get (parameter, "(&s&s)", &id, &wire);
  role = rl_enum_from_wire (RL_TYPE_PROVIDER_ROLE, wire);
  if (role == RL_PROVIDER_ROLE_UNKNOWN)
    return;
  if (rl_provider_set_role (session_of (self), id, role, &error) < 0)
    toast_error (self, _ ("The role was not changed"), error);
}

/* ---- Delete -------------------------------------------------------------------- */

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (RlProvidersPage) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;

  if (!rl_provider_delete_finish (RL_SESSION (source), result, &error))
    {
      if (self != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (self, _ ("Not deleted"), error);
      return;
    }
  if (self != NULL)
    rl_page_toast (RL_PAGE (self), _ ("Provider deleted"));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RlProvidersPage  *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "provider-id");

  if (g_str_equal (response, "delete"))
    rl_provider_delete_async (session_of (self), id, rl_page_get_cancellable (RL_PAGE (self)),
                              deleted_cb, rl_weak_call_new (self));
}

/* What depends on the provider: it is the only enabled primary of its kind. */
static char *
dependents (RlProvidersPage *self,
            RlProviderItem  *item)
{
  const char *kind = rl_list_item_get_string (RL_LIST_ITEM (item), "kind");
  guint       primaries = 0, enabled = 0;

  if (!rl_list_item_get_boolean (RL_LIST_ITEM (item), "enabled"))
    return NULL;
  for (guint k = 0; k < RL_PROVIDER_N_KINDS; k++)
    {
      GListModel *model = G_LIST_MODEL (self->lists[k]);

      if (!g_str_equal (rl_providers_page_kinds[k], kind))
        continue;
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr (RlListItem) other = g_list_model_get_item (model, i);

          if (!rl_list_item_get_boolean (other, "enabled"))
            continue;
          enabled++;
          if (rl_list_item_get_enum (other, "role") == RL_PROVIDER_ROLE_PRIMARY)
            primaries++;
        }
    }
  if (enabled == 1)
    /* Translators: %s is a kind of provider, e.g. "Payment". */
    return g_strdup_printf (_ ("It is the only enabled provider of %s: those calls would fail "
                               "over to nothing."),
                            rl_ui_provider_kind_label (kind));
  if (primaries == 1 && rl_list_item_get_enum (RL_LIST_ITEM (item), "role") == RL_PROVIDER_ROLE_PRIMARY)
    /* Translators: %s is a kind of provider, e.g. "Payment". */
    return g_strdup_printf (_ ("It is the only primary of %s: those calls would start at a "
                               "fallback."),
                            rl_ui_provider_kind_label (kind));
  return NULL;
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RlProvidersPage *self = RL_PROVIDERS_PAGE (widget);
  const char      *id = g_variant_get_string (parameter, NULL);
  g_autoptr (RlProviderItem) item = rl_providers_page_find_item (self, id);
  g_autofree char *heading = NULL;
  g_autofree char *depends = NULL;
  g_autofree char *body = NULL;

  if (item == NULL)
    return;
  /* Translators: %s is a provider's name. */
  heading = g_strdup_printf (_ ("Delete %s?"), rl_list_item_get_string (RL_LIST_ITEM (item), "name"));
  depends = dependents (self, item);
  body = g_strdup_printf ("%s%s%s", depends ? depends : "", depends ? "\n\n" : "",
                          _ ("Its settings and secrets are removed from the server. This cannot "
                             "be undone."));
  confirm (self, id, heading, body, "delete", _ ("_Delete"), G_CALLBACK (delete_response_cb));
}

/* ---- Dialogs and keyring ------------------------------------------------------- */

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  rl_provider_dialog_present_edit (session_of (RL_PROVIDERS_PAGE (widget)),
                                   g_variant_get_string (parameter, NULL), widget);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  const char *kind = g_variant_get_string (parameter, NULL);

  rl_provider_dialog_present_add (session_of (RL_PROVIDERS_PAGE (widget)),
                                  *kind != '\0' ? kind : NULL, widget);
}

static void
unlocked_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (RlProvidersPage) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;

  if (rl_provider_unlock_keyring_finish (RL_SESSION (source), result, &error))
    {
      if (self != NULL)
        rl_page_toast (RL_PAGE (self), _ ("The keyring is unlocked"));
      return;
    }
  if (self != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast_error (self, _ ("The keyring stays locked"), error);
}

static void
unlock_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RlProvidersPage *self = RL_PROVIDERS_PAGE (widget);

  rl_provider_unlock_keyring_async (session_of (self), rl_page_get_cancellable (RL_PAGE (self)),
                                    unlocked_cb, rl_weak_call_new (self));
}

/* ---- Shared -------------------------------------------------------------------- */

void
rl_providers_page_update_actions (RlProvidersPage *self)
{
  RlSession     *session = session_of (self);
  RlSessionState state = session ? rl_session_get_state (session) : RL_SESSION_STATE_SIGNED_OUT;
  gboolean       signed_in = state != RL_SESSION_STATE_SIGNED_OUT;
  gboolean       online = signed_in && state != RL_SESSION_STATE_OFFLINE
                    && rl_session_get_api_reachable (session);
  GtkWidget *w = GTK_WIDGET (self);

  /* What needs the server now; edits queue offline. */
  gtk_widget_action_set_enabled (w, "providers.test", online);
  gtk_widget_action_set_enabled (w, "providers.reset", online);
  gtk_widget_action_set_enabled (w, "providers.delete", online);
  gtk_widget_action_set_enabled (w, "providers.add", online);
  gtk_widget_action_set_enabled (w, "providers.unlock", signed_in);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_button),
                               online ? NULL : _ ("Adding a provider needs the server"));
}

void
rl_providers_page_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "providers.test", "s", test_action);
  gtk_widget_class_install_action (widget_class, "providers.reset", "s", reset_action);
  gtk_widget_class_install_action (widget_class, "providers.enable", "s", enable_action);
  gtk_widget_class_install_action (widget_class, "providers.disable", "s", enable_action);
  gtk_widget_class_install_action (widget_class, "providers.move-up", "s", move_action);
  gtk_widget_class_install_action (widget_class, "providers.move-down", "s", move_action);
  gtk_widget_class_install_action (widget_class, "providers.drop", "(ssb)", drop_action);
  gtk_widget_class_install_action (widget_class, "providers.role", "(ss)", role_action);
  gtk_widget_class_install_action (widget_class, "providers.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "providers.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "providers.add", "s", add_action);
  gtk_widget_class_install_action (widget_class, "providers.unlock", NULL, unlock_action);
}
