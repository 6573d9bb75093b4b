/* rl-provider-dialog.c — the dialog that adds or edits a provider: the type
 * picker (searchable, grouped by kind), then the form generated from the
 * type's descriptors (rl-provider-dialog-form.c); adding, saving through
 * the outbox, a 409 as the sync's conflict, secrets via the keyring.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-provider-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rl-a11y.h"
#include "rl-edits.h"
#include "rl-error.h"
#include "rl-provider-create.h"
#include "rl-provider-dialog-private.h"
#include "rl-record-rules.h"
#include "rl-ui-format.h"
#include "rl-secrets.h"
#include "rl-spinners.h"
#include "rl-store.h"
#include "rl-sync-engine.h"
#include "rl-ui-errors.h"
#include "rl-weak-call.h"

G_DEFINE_FINAL_TYPE (RlProviderDialog, rl_provider_dialog, ADW_TYPE_WINDOW)

/* ---- Helpers ------------------------------------------------------------------- */

void
rl_provider_dialog_toast (RlProviderDialog *self,
                          const char       *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (self->toasts, t);
}

void
rl_provider_dialog_toast_error (RlProviderDialog *self,
                                const char       *what,
                                const GError     *error)
{
  g_autofree char *words = rl_ui_error_message (error);
  g_autofree char *text = g_strdup_printf ("%s %s", what, words);

  rl_provider_dialog_toast (self, text);
}

void
rl_provider_dialog_set_busy (RlProviderDialog *self,
                             gboolean          busy)
{
  /* A focused entry made insensitive warns "GtkText - did not receive a
   * focus-out event" (GTK 4.8): move the focus out first. */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  self->busy = busy;
  gtk_widget_set_sensitive (self->submit_button, !busy && self->type != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->form_page), !busy);
}

void
rl_provider_dialog_show_form (RlProviderDialog *self)
{
  gboolean editing = self->provider_id != NULL;

  rl_provider_dialog_build_form (self);
  gtk_stack_set_visible_child_name (self->stack, "form");
  /* Adding: "back" to the types replaces Cancel (Escape still cancels). */
  gtk_widget_set_visible (self->back_button, !editing);
  gtk_widget_set_visible (self->cancel_button, editing);
  gtk_button_set_label (GTK_BUTTON (self->submit_button), editing ? _ ("_Save") : _ ("_Add"));
  adw_window_title_set_subtitle (self->window_title, self->type->label);
  rl_provider_dialog_set_busy (self, FALSE);
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));
  if (self->rows->len > 0)
    gtk_widget_grab_focus (((RlFormRow *) g_ptr_array_index (self->rows, 0))->input);
}

static const RlProviderType *
find_type (RlProviderDialog *self,
           const char       *type)
{
  for (guint i = 0; self->types != NULL && i < self->types->len; i++)
    {
      const RlProviderType *t = g_ptr_array_index (self->types, i);
      if (g_strcmp0 (t->type, type) == 0)
        return t;
    }
  return NULL;
}

static void
type_activated_cb (AdwActionRow *row,
                   gpointer      user_data)
{
  RlProviderDialog *self = RL_PROVIDER_DIALOG (gtk_widget_get_root (GTK_WIDGET (row)));

  rl_provider_dialog_choose_type (self, g_object_get_data (G_OBJECT (row), "rl-type"));
  (void) user_data;
}

static void
build_picker (RlProviderDialog *self)
{
  AdwPreferencesGroup *group = NULL;
  const char          *group_kind = NULL;

  /* The preselected kind first, then the others in the types' order. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->types->len; i++)
      {
        const RlProviderType *type = g_ptr_array_index (self->types, i);
        gboolean              preferred = g_strcmp0 (type->kind, self->kind) == 0;
        GtkWidget            *row;
        g_autofree char      *search = NULL;
        g_autofree char      *words = NULL;

        if ((pass == 0) != preferred)
          continue;
        if (group == NULL || g_strcmp0 (group_kind, type->kind) != 0)
          {
            group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
            adw_preferences_group_set_title (group, rl_ui_provider_kind_label (type->kind));
            adw_preferences_page_add (self->picker_page, group);
            g_ptr_array_add (self->picker_groups, group);
            group_kind = type->kind;
          }
        row = adw_action_row_new ();
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), type->label);
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
        words = g_strjoin (" ", type->label, type->type, rl_ui_provider_kind_label (type->kind),
                           type->kind, NULL);
        search = g_utf8_casefold (words, -1);
        g_object_set_data_full (G_OBJECT (row), "rl-type", g_strdup (type->type), g_free);
        g_object_set_data_full (G_OBJECT (row), "rl-search", g_steal_pointer (&search), g_free);
        g_signal_connect (row, "activated", G_CALLBACK (type_activated_cb), NULL);
        adw_preferences_group_add (group, row);
      }
}

/* The rows of @group sit in a GtkListBox somewhere inside it (libadwaita
 * 1.2: group → box → box → list): the first one found, depth first. */
static GtkWidget *
group_list (GtkWidget *group)
{
  for (GtkWidget *w = gtk_widget_get_first_child (group); w; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *list = GTK_IS_LIST_BOX (w) ? w : group_list (w);

      if (list != NULL)
        return list;
    }
  return NULL;
}

/* The first type row of @group the search leaves shown, or NULL. */
static GtkWidget *
first_shown_row (GtkWidget *group)
{
  GtkWidget *list = group_list (group);

  for (GtkWidget *row = list ? gtk_widget_get_first_child (list) : NULL; row;
       row = gtk_widget_get_next_sibling (row))
    if (g_object_get_data (G_OBJECT (row), "rl-type") != NULL && gtk_widget_get_visible (row))
      return row;
  return NULL;
}

static gboolean
filter_group (AdwPreferencesGroup *group,
              const char          *needle)
{
  GtkWidget *list = group_list (GTK_WIDGET (group));
  gboolean   any = FALSE;

  for (GtkWidget *row = list ? gtk_widget_get_first_child (list) : NULL; row;
       row = gtk_widget_get_next_sibling (row))
    {
      const char *search = g_object_get_data (G_OBJECT (row), "rl-search");
      gboolean    match = search != NULL && (needle == NULL || strstr (search, needle) != NULL);

      if (search == NULL)
        continue;
      gtk_widget_set_visible (row, match);
      any |= match;
    }
  return any;
}

static void
search_changed_cb (RlProviderDialog *self)
{
  const char      *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = *text ? g_utf8_casefold (text, -1) : NULL;

  for (guint i = 0; i < self->picker_groups->len; i++)
    {
      AdwPreferencesGroup *group = g_ptr_array_index (self->picker_groups, i);
      gtk_widget_set_visible (GTK_WIDGET (group), filter_group (group, needle));
    }
}

/* Enter in the search: the first type still shown, as a click on it. */
static void
search_activated_cb (RlProviderDialog *self)
{
  /* Typed fast, the search may not have run yet. */
  search_changed_cb (self);
  for (guint i = 0; i < self->picker_groups->len; i++)
    {
      GtkWidget *group = g_ptr_array_index (self->picker_groups, i);
      GtkWidget *row = gtk_widget_get_visible (group) ? first_shown_row (group) : NULL;

      if (row != NULL)
        {
          rl_provider_dialog_choose_type (self, g_object_get_data (G_OBJECT (row), "rl-type"));
          return;
        }
    }
}

static void
back_clicked_cb (RlProviderDialog *self)
{
  rl_provider_dialog_clear_secrets (self);
  self->type = NULL;
  gtk_stack_set_visible_child_name (self->stack, "picker");
  gtk_widget_set_visible (self->back_button, FALSE);
  gtk_widget_set_visible (self->cancel_button, TRUE);
  adw_window_title_set_subtitle (self->window_title, NULL);
  rl_provider_dialog_set_busy (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
submit_clicked_cb (RlProviderDialog *self)
{
  rl_provider_dialog_submit (self);
}

/* Shows each of the server's 422 details.fields on its row; TRUE when
 * every one found a row. */
gboolean
rl_provider_dialog_show_server_fields (RlProviderDialog *self,
                                       JsonObject       *fields)
{
  GList   *paths = fields ? json_object_get_members (fields) : NULL;
  gboolean all = TRUE;
  gboolean focused = FALSE;

  for (GList *l = paths; l; l = l->next)
    {
      g_autofree char *key = rl_provider_form_field_for_path (self->type, l->data);
      RlFormRow       *row = key ? rl_provider_dialog_find_row (self, key) : NULL;
      JsonNode        *node = json_object_get_member (fields, l->data);
      const char      *said = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
      g_autofree char *message = NULL;

      if (row == NULL)
        {
          all = FALSE;
          continue;
        }
      /* TRANSLATORS: the server refused a value; its own (English) reason follows */
      message = g_strdup_printf (_ ("The server refused this value: %s"), said ? said : "");
      rl_provider_dialog_show_error (self, row, message);
      if (!focused)
        gtk_widget_grab_focus (row->input);
      focused = TRUE;
    }
  g_list_free (paths);
  return all;
}

/* ---- Add ------------------------------------------------------------------ */

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (RlProviderDialog) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  gboolean         ok = rl_session_create_provider_finish (RL_SESSION (source), result, &id, &error);

  if (self == NULL)
    return;
  rl_provider_dialog_set_busy (self, FALSE);
  if (ok)
    {
      g_debug ("provider %s added", id);
      rl_provider_dialog_clear_secrets (self);
      g_free (self->provider_id);
      self->provider_id = g_steal_pointer (&id);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  if (id != NULL)
    {
      /* Made, but a secret could not be kept: go on as an edit of it. */
      g_clear_pointer (&self->provider, json_object_unref);
      g_free (self->provider_id);
      self->provider_id = g_steal_pointer (&id);
      self->provider = rl_store_get_record (rl_session_get_store (self->session), "provider",
                                            self->provider_id, NULL);
      rl_provider_dialog_clear_secrets (self);
      rl_provider_dialog_show_form (self);
      rl_provider_dialog_toast_error (self, _ ("The provider was added, but its secrets were not kept."), error);
      return;
    }
  if (g_error_matches (error, RL_ERROR, RL_ERROR_VALIDATION_FAILED)
      && rl_provider_dialog_show_server_fields (self, rl_error_get_fields (error)))
    return;
  if (g_error_matches (error, RL_ERROR, RL_ERROR_NETWORK))
    {
      /* Not queued (docs/providers.md): say so, and keep what was typed. */
      rl_provider_dialog_toast (self, _ ("The provider was not added: adding one needs a connection "
                                         "to the server. Try again when online."));
      return;
    }
  rl_provider_dialog_toast_error (self, _ ("The provider was not added."), error);
}

static gboolean
check_form (RlProviderDialog *self,
            JsonObject       *values)
{
  JsonObject *set_secrets = NULL;
  g_autoptr (GHashTable) errors = NULL;
  RlFormRow  *first = NULL;
  const char *name = json_object_get_string_member (values, "name");

  if (self->provider != NULL && json_object_has_member (self->provider, "secrets"))
    set_secrets = json_object_get_object_member (self->provider, "secrets");
  errors = rl_provider_form_check (self->type, values, set_secrets);
  rl_provider_dialog_clear_errors (self);
  for (guint i = 0; i < self->rows->len; i++)
    {
      RlFormRow       *row = g_ptr_array_index (self->rows, i);
      GError          *error = g_hash_table_lookup (errors, row->key);
      g_autofree char *text = NULL;

      if (row->field == NULL && g_str_equal (row->key, "name") && g_strstrip (g_strdup (name))[0] == '\0')
        text = g_strdup (_ ("Enter a name: the Providers page lists it by this name."));
      else if (row->field != NULL && error != NULL)
        text = rl_provider_dialog_error_text (row, error);
      if (text == NULL)
        continue;
      rl_provider_dialog_show_error (self, row, text);
      if (first == NULL)
        first = row;
    }
  if (first != NULL)
    gtk_widget_grab_focus (first->input);
  return first == NULL;
}

JsonObject *
rl_provider_dialog_secret_values (RlProviderDialog *self,
                                  JsonObject       *values)
{
  g_auto (GStrv) keys = rl_provider_form_secret_keys (self->type, values);
  JsonObject *secrets = json_object_new ();

  /* A locked keyring: no secret leaves the form, whatever an entry holds. */
  if (self->secrets_read_only)
    return secrets;

  for (guint i = 0; keys[i]; i++)
    json_object_set_string_member (secrets, keys[i], json_object_get_string_member (values, keys[i]));
  return secrets;
}

static void
submit_add (RlProviderDialog *self,
            JsonObject       *values)
{
  g_autoptr (JsonObject) provider = json_object_new ();
  g_autoptr (JsonObject) secrets = rl_provider_dialog_secret_values (self, values);
  g_autofree char *name = g_strstrip (g_strdup (json_object_get_string_member (values, "name")));

  json_object_set_string_member (provider, "type", self->type->type);
  json_object_set_string_member (provider, "name", name);
  json_object_set_string_member (provider, "role", json_object_get_string_member (values, "role"));
  json_object_set_int_member (provider, "priority",
                              (gint64) json_object_get_double_member (values, "priority"));
  json_object_set_boolean_member (provider, "enabled", TRUE);
  json_object_set_object_member (provider, "config",
                                 rl_provider_form_build_config (self->type, values, FALSE));
  rl_provider_dialog_set_busy (self, TRUE);
  rl_session_create_provider_async (self->session, provider, secrets, self->cancellable, created_cb,
                                    rl_weak_call_new (self));
}

void
rl_provider_dialog_submit (RlProviderDialog *self)
{
  g_autoptr (JsonObject) values = NULL;

  if (self->busy || self->type == NULL
      || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "form") != 0)
    return;
  values = rl_provider_dialog_collect_values (self);
  if (!check_form (self, values))
    return;
  if (self->provider_id == NULL)
    submit_add (self, values);
  else
    rl_provider_dialog_submit_edit (self, values);
}

/* ---- Types ------------------------------------------------------------------ */

static void
types_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (RlProviderDialog) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  GPtrArray *types = rl_session_load_provider_types_finish (RL_SESSION (source), result, &error);

  if (self == NULL)
    {
      g_clear_pointer (&types, g_ptr_array_unref);
      return;
    }
  g_clear_pointer (&self->types, g_ptr_array_unref);
  self->types = types;
  if (types == NULL || types->len == 0)
    {
      g_autofree char *words = error ? rl_ui_error_message (error) : NULL;
      adw_status_page_set_description (
          self->error_status,
          words ? words : _ ("The server offers no provider types, and none are cached."));
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  if (self->provider_id != NULL)
    {
      const char *type = self->provider ? json_object_get_string_member (self->provider, "type") : NULL;

      if ((self->type = find_type (self, type)) == NULL)
        {
          adw_status_page_set_description (
              self->error_status, _ ("This provider’s type is not one the server describes."));
          gtk_stack_set_visible_child_name (self->stack, "error");
          return;
        }
      rl_provider_dialog_show_form (self);
      return;
    }
  build_picker (self);
  gtk_stack_set_visible_child_name (self->stack, "picker");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
keyring_checked_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (RlProviderDialog) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  RlSecretsState state = rl_secrets_check_finish (result, &error);

  if (self == NULL)
    return;
  /* Locked or missing comes with the reason as @error. */
  if (error != NULL)
    g_debug ("keyring: %s", error->message);
  self->secrets_read_only = state != RL_SECRETS_STATE_AVAILABLE;
  rl_session_load_provider_types_async (self->session, self->cancellable, types_loaded_cb,
                                        rl_weak_call_new (self));
  (void) source;
}

/* ---- GObject -------------------------------------------------------------- */

static void
rl_provider_dialog_dispose (GObject *object)
{
  RlProviderDialog *self = RL_PROVIDER_DIALOG (object);

  if (self->session != NULL)
    g_clear_signal_handler (&self->settled_id, self->session);
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_PROVIDER_DIALOG);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (rl_provider_dialog_parent_class)->dispose (object);
}

static void
rl_provider_dialog_finalize (GObject *object)
{
  RlProviderDialog *self = RL_PROVIDER_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->picker_groups, g_ptr_array_unref);
  g_clear_pointer (&self->types, g_ptr_array_unref);
  g_clear_pointer (&self->provider, json_object_unref);
  g_free (self->provider_id);
  g_free (self->kind);
  G_OBJECT_CLASS (rl_provider_dialog_parent_class)->finalize (object);
}

static void
rl_provider_dialog_class_init (RlProviderDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_provider_dialog_dispose;
  object_class->finalize = rl_provider_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/reloop/Console/ui/rl-provider-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RlProviderDialog, toasts);
  gtk_widget_class_bind_template_child (widget_class, RlProviderDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RlProviderDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RlProviderDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, RlProviderDialog, submit_button);
  gtk_widget_class_bind_template_child (widget_class, RlProviderDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, RlProviderDialog, error_status);
  gtk_widget_class_bind_template_child (widget_class, RlProviderDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RlProviderDialog, picker_page);
  gtk_widget_class_bind_template_child (widget_class, RlProviderDialog, form_page);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, submit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activated_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rl_provider_dialog_init (RlProviderDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rl_spinners_spin_while_mapped (GTK_WIDGET (self));
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_form_row_free);
  self->picker_groups = g_ptr_array_new ();
}

/* ---- Public ------------------------------------------------------------------ */

static RlProviderDialog *
present (RlSession  *session,
         const char *kind,
         const char *provider_id,
         GtkWidget  *parent)
{
  RlProviderDialog *self = g_object_new (RL_TYPE_PROVIDER_DIALOG, NULL);
  GtkRoot          *root = parent ? gtk_widget_get_root (parent) : NULL;

  self->session = g_object_ref (session);
  self->kind = g_strdup (kind);
  self->provider_id = g_strdup (provider_id);
  self->secrets_read_only = rl_session_get_keyring_state (session) == RL_KEYRING_LOCKED
                            || rl_session_get_keyring_state (session) == RL_KEYRING_NO_SERVICE;
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
  if (provider_id != NULL)
    {
      g_autoptr (GError) error = NULL;

      gtk_window_set_title (GTK_WINDOW (self), _ ("Edit Provider"));
      adw_window_title_set_title (self->window_title, _ ("Edit Provider"));
      self->provider =
          rl_store_get_record (rl_session_get_store (session), "provider", provider_id, &error);
      if (self->provider == NULL)
        g_debug ("provider %s not cached: %s", provider_id, error->message);
    }
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_window_present (GTK_WINDOW (self));
  /* The keyring as it is now (the session's state is from its last use):
   * then the types, and the form with secrets editable or not. */
  rl_secrets_check_async (self->cancellable, keyring_checked_cb, rl_weak_call_new (self));
  return self;
}

void
rl_provider_dialog_present_add (RlSession  *session,
                                const char *kind,
                                GtkWidget  *parent)
{
  g_return_if_fail (RL_IS_SESSION (session));
  present (session, kind, NULL, parent);
}

void
rl_provider_dialog_present_edit (RlSession  *session,
                                 const char *provider_id,
                                 GtkWidget  *parent)
{
  g_return_if_fail (RL_IS_SESSION (session));
  g_return_if_fail (provider_id != NULL);
  present (session, NULL, provider_id, parent);
}

const char *
rl_provider_dialog_get_view (RlProviderDialog *self)
{
  g_return_val_if_fail (RL_IS_PROVIDER_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
rl_provider_dialog_choose_type (RlProviderDialog *self,
                                const char       *type)
{
  const RlProviderType *chosen;

  g_return_val_if_fail (RL_IS_PROVIDER_DIALOG (self), FALSE);

  if (self->provider_id != NULL || (chosen = find_type (self, type)) == NULL)
    return FALSE;
  self->type = chosen;
  rl_provider_dialog_show_form (self);
  return TRUE;
}

GtkWidget *
rl_provider_dialog_get_row (RlProviderDialog *self,
                            const char       *key)
{
  RlFormRow *row;

  g_return_val_if_fail (RL_IS_PROVIDER_DIALOG (self), NULL);
  row = rl_provider_dialog_find_row (self, key);
  return row ? row->row : NULL;
}

GtkWidget *
rl_provider_dialog_get_input (RlProviderDialog *self,
                              const char       *key)
{
  RlFormRow *row;

  g_return_val_if_fail (RL_IS_PROVIDER_DIALOG (self), NULL);
  row = rl_provider_dialog_find_row (self, key);
  return row ? row->input : NULL;
}

const char *
rl_provider_dialog_get_note (RlProviderDialog *self,
                             const char       *key)
{
  RlFormRow *row;

  g_return_val_if_fail (RL_IS_PROVIDER_DIALOG (self), NULL);
  row = rl_provider_dialog_find_row (self, key);
  if (row == NULL || !gtk_widget_get_visible (row->note_row))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (row->note_label));
}

gboolean
rl_provider_dialog_has_error (RlProviderDialog *self,
                              const char       *key)
{
  RlFormRow *row;

  g_return_val_if_fail (RL_IS_PROVIDER_DIALOG (self), FALSE);
  row = rl_provider_dialog_find_row (self, key);
  return row != NULL && row->has_error && gtk_widget_has_css_class (row->row, "error");
}

const char *
rl_provider_dialog_get_provider_id (RlProviderDialog *self)
{
  g_return_val_if_fail (RL_IS_PROVIDER_DIALOG (self), NULL);
  return self->provider_id;
}
