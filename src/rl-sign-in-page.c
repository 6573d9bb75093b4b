/* rl-sign-in-page.c — server, email and password; signs the session in.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "rl-a11y.h"
#include "rl-sign-in-page.h"
#include "rl-ui-errors.h"
#include "rl-url.h"

struct _RlSignInPage
{
  GtkWidget parent_instance;

  RlSession    *session;
  GSettings    *settings;
  GCancellable *cancellable;
  gboolean      busy;

  AdwStatusPage *status_page;
  AdwEntryRow   *server_row;
  AdwEntryRow   *email_row;
  AdwEntryRow   *password_row;
  GtkLabel      *error_label;
  GtkButton     *sign_in_button;
  GtkSpinner    *spinner;
  GtkLabel      *sign_in_label;
};

G_DEFINE_FINAL_TYPE (RlSignInPage, rl_sign_in_page, GTK_TYPE_WIDGET)

enum
{
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_row_error (AdwEntryRow *row,
               gboolean     error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
set_busy (RlSignInPage *self,
          gboolean      busy)
{
  self->busy = busy;

  /* The fields turn insensitive: take the focus out of them first. */
  if (busy && gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    gtk_root_set_focus (gtk_widget_get_root (GTK_WIDGET (self)), NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_label_set_text_with_mnemonic (self->sign_in_label,
                                    busy ? _ ("Signing In…") : _ ("_Sign In"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), !busy);
}

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (RlSignInPage) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!rl_session_sign_in_finish (RL_SESSION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_autofree char *message = rl_ui_error_message (error);

      set_busy (self, FALSE);
      rl_sign_in_page_show_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  /* Remembered once the server accepted them: the next start restores. */
  if (self->settings != NULL)
    {
      g_autofree char *email =
          g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));

      g_settings_set_string (self->settings, "server-url",
                             gtk_editable_get_text (GTK_EDITABLE (self->server_row)));
      g_settings_set_string (self->settings, "last-account", email);
    }

  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  g_signal_emit (self, signals[SIGNED_IN], 0);
}

gboolean
rl_sign_in_page_submit (RlSignInPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;
  const char      *password;

  g_return_val_if_fail (RL_IS_SIGN_IN_PAGE (self), FALSE);

  if (self->busy)
    return FALSE;

  set_row_error (self->server_row, FALSE);
  set_row_error (self->email_row, FALSE);
  set_row_error (self->password_row, FALSE);

  if (!rl_url_validate_server (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), &server,
                               &error))
    {
      g_autofree char *message = rl_ui_error_message (error);

      set_row_error (self->server_row, TRUE);
      rl_sign_in_page_show_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return FALSE;
    }

  email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  if (*email == '\0' || strchr (email, '@') == NULL
      || email[0] == '@' || g_str_has_suffix (email, "@"))
    {
      set_row_error (self->email_row, TRUE);
      rl_sign_in_page_show_error (self, *email == '\0'
                                            ? _ ("Enter the email address of your account.")
                                            : _ ("This is not an email address."));
      gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
      return FALSE;
    }

  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  if (*password == '\0')
    {
      set_row_error (self->password_row, TRUE);
      rl_sign_in_page_show_error (self, _ ("Enter your password."));
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return FALSE;
    }

  /* Show the address as it will be used. */
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  rl_sign_in_page_show_error (self, NULL);

  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  rl_session_sign_in_async (self->session, server, email, password,
                            self->cancellable, sign_in_cb, g_object_ref (self));

  return TRUE;
}

static void
sign_in_clicked_cb (RlSignInPage *self)
{
  rl_sign_in_page_submit (self);
}

static void
entry_activated_cb (RlSignInPage *self,
                    AdwEntryRow  *row)
{
  /* Enter in an empty field moves on; in a filled one, it signs in. */
  if (row == self->server_row
      && *gtk_editable_get_text (GTK_EDITABLE (self->email_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
  else if (row != self->password_row
           && *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  else
    rl_sign_in_page_submit (self);
}

static void
field_changed_cb (RlSignInPage *self,
                  GtkEditable  *editable)
{
  set_row_error (ADW_ENTRY_ROW (editable), FALSE);
}

static void
rl_sign_in_page_dispose (GObject *object)
{
  RlSignInPage *self = RL_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (rl_sign_in_page_parent_class)->dispose (object);
}

static void
rl_sign_in_page_class_init (RlSignInPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_sign_in_page_dispose;

  /* Emitted when the server accepted the credentials. */
  signals[SIGNED_IN] = g_signal_new ("signed-in",
                                     G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/reloop/Console/ui/rl-sign-in-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, RlSignInPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, RlSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, RlSignInPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, RlSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, RlSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, RlSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, RlSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, RlSignInPage, sign_in_label);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
}

static void
rl_sign_in_page_init (RlSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));

  /* The icon is bundled in the resources too (an uninstalled build has it). */
  adw_status_page_set_icon_name (self->status_page, "org.reloop.Console");
}

RlSignInPage *
rl_sign_in_page_new (RlSession *session,
                     GSettings *settings)
{
  RlSignInPage *self;

  g_return_val_if_fail (RL_IS_SESSION (session), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RL_TYPE_SIGN_IN_PAGE, NULL);
  self->session = g_object_ref (session);
  g_set_object (&self->settings, settings);

  return self;
}

void
rl_sign_in_page_fill (RlSignInPage *self,
                      const char   *server_url,
                      const char   *email)
{
  g_return_if_fail (RL_IS_SIGN_IN_PAGE (self));

  if (server_url != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url);
  if (email != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
}

void
rl_sign_in_page_set_password (RlSignInPage *self,
                              const char   *password)
{
  g_return_if_fail (RL_IS_SIGN_IN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password != NULL ? password : "");
}

void
rl_sign_in_page_show_error (RlSignInPage *self,
                            const char   *message)
{
  g_return_if_fail (RL_IS_SIGN_IN_PAGE (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

const char *
rl_sign_in_page_get_error (RlSignInPage *self)
{
  g_return_val_if_fail (RL_IS_SIGN_IN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_text (self->error_label);
}

gboolean
rl_sign_in_page_get_busy (RlSignInPage *self)
{
  g_return_val_if_fail (RL_IS_SIGN_IN_PAGE (self), FALSE);

  return self->busy;
}

void
rl_sign_in_page_focus (RlSignInPage *self)
{
  g_return_if_fail (RL_IS_SIGN_IN_PAGE (self));

  if (*gtk_editable_get_text (GTK_EDITABLE (self->server_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
  else if (*gtk_editable_get_text (GTK_EDITABLE (self->email_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}
