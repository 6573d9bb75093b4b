/* rl-window.c — the main window: sign-in, then the five pages.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-activity-page.h"
#include "rl-alerts-page.h"
#include "rl-application.h"
#include "rl-conflicts-page.h"
#include "rl-frame-stats.h"
#include "rl-map-page.h"
#include "rl-providers-page.h"
#include "rl-ui-errors.h"
#include "rl-url.h"
#include "rl-window-private.h"

G_DEFINE_FINAL_TYPE (RlWindow, rl_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *const rl_window_page_names[] = {
  "map", "alerts", "providers", "activity", "conflicts", NULL
};

/* Which role may use which page: core's rule (rl_role_may_see_page). */
gboolean
rl_window_role_may_see (RlRole      role,
                        const char *page_name)
{
  return rl_role_may_see_page (role, page_name);
}

void
rl_window_apply_role (RlWindow *self,
                      RlRole    role)
{
  const char *current;

  g_return_if_fail (RL_IS_WINDOW (self));

  for (guint i = 0; rl_window_page_names[i] != NULL; i++)
    {
      GtkWidget *child = adw_view_stack_get_child_by_name (self->view_stack,
                                                           rl_window_page_names[i]);

      adw_view_stack_page_set_visible (adw_view_stack_get_page (self->view_stack, child),
                                       rl_window_role_may_see (role, rl_window_page_names[i]));
    }

  /* The drop-point panel offers "Field by Field…" only where it leads. */
  g_simple_action_set_enabled (
      G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "show-conflict")),
      rl_window_role_may_see (role, "conflicts"));

  /* Never leave a hidden page on screen. */
  current = adw_view_stack_get_visible_child_name (self->view_stack);
  if (current == NULL || !rl_window_role_may_see (role, current))
    {
      for (guint i = 0; rl_window_page_names[i] != NULL; i++)
        if (rl_window_role_may_see (role, rl_window_page_names[i]))
          {
            adw_view_stack_set_visible_child_name (self->view_stack, rl_window_page_names[i]);
            break;
          }
    }
}

void
rl_window_show_toast (RlWindow   *self,
                      const char *message)
{
  AdwToast *toast;

  g_return_if_fail (RL_IS_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
set_view (RlWindow   *self,
          const char *name)
{
  gboolean loading = g_str_equal (name, "loading");

  static const char *const views[] = { "loading", "sign-in", "main" };
  GtkWidget               *focus;

  gtk_spinner_set_spinning (self->loading_spinner, loading);

  /* Move the focus out of a view before it goes away (GTK 4.8 warns when a
   * focused entry disappears). */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (focus != NULL)
    gtk_root_set_focus (GTK_ROOT (self), NULL);

  gtk_stack_set_visible_child_name (self->stack, name);

  /* The views off screen keep their last allocation; tell assistive
   * technologies they are hidden, not just behind. */
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    gtk_accessible_update_state (
        GTK_ACCESSIBLE (gtk_stack_get_child_by_name (self->stack, views[i])),
        GTK_ACCESSIBLE_STATE_HIDDEN, !g_str_equal (views[i], name), -1);

  if (g_str_equal (name, "sign-in"))
    rl_sign_in_page_focus (self->sign_in_page);
}

static void
show_sign_in (RlWindow   *self,
              const char *message)
{
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");
  g_autofree char *account = g_settings_get_string (self->settings, "last-account");

  rl_sign_in_page_fill (self->sign_in_page, server, account);
  rl_sign_in_page_show_error (self->sign_in_page, message);
  set_view (self, "sign-in");
}

/* Says plainly when tokens cannot be kept, once per change of state. */
static void
check_keyring (RlWindow *self)
{
  RlKeyringState state = rl_session_get_keyring_state (self->session);

  if (state == self->keyring_state_shown)
    return;
  self->keyring_state_shown = state;

  if (state == RL_KEYRING_LOCKED)
    rl_window_show_toast (self,
                          _ ("The keyring is locked: you will have to sign in again next time."));
  else if (state == RL_KEYRING_NO_SERVICE)
    rl_window_show_toast (
        self, _ ("No keyring is available on this computer: your sign-in cannot be remembered."));
}

static void
show_main (RlWindow *self)
{
  g_autofree char *last_page = g_settings_get_string (self->settings, "last-page");
  RlRole           role = rl_session_get_role (self->session);

  rl_window_apply_role (self, role);
  if (rl_window_role_may_see (role, last_page))
    adw_view_stack_set_visible_child_name (self->view_stack, last_page);

  set_view (self, "main");
  check_keyring (self);
}

static void
signed_in_cb (RlWindow     *self,
              RlSignInPage *page)
{
  show_main (self);
}

static void
restore_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (RlWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!rl_session_restore_finish (RL_SESSION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_debug ("Could not restore the session: %s", error->message);
      /* Nothing stored is the normal first start: no message for it. */
      if (g_error_matches (error, RL_SESSION_ERROR, RL_SESSION_ERROR_NO_CREDENTIALS))
        show_sign_in (self, NULL);
      else
        {
          g_autofree char *message = rl_ui_error_message (error);

          show_sign_in (self, message);
        }
      return;
    }

  if (rl_session_get_state (self->session) == RL_SESSION_STATE_OFFLINE)
    rl_window_show_toast (self, _ ("The server cannot be reached: working from the local cache."));
  show_main (self);
}

void
rl_window_start (RlWindow   *self,
                 const char *server_url,
                 const char *demo_account,
                 const char *demo_password)
{
  g_autofree char *stored_server = g_settings_get_string (self->settings, "server-url");
  g_autofree char *account = g_settings_get_string (self->settings, "last-account");
  g_autofree char *server = NULL;

  g_return_if_fail (RL_IS_WINDOW (self));

  if (server_url != NULL && *server_url != '\0')
    {
      g_autoptr (GError) error = NULL;

      if (!rl_url_validate_server (server_url, &server, &error))
        {
          rl_sign_in_page_fill (self->sign_in_page, server_url, account);
          set_view (self, "sign-in");
          rl_sign_in_page_submit (self->sign_in_page); /* shows why it is not valid */
          return;
        }
    }
  else
    server = g_steal_pointer (&stored_server);

  if (demo_account != NULL)
    {
      rl_sign_in_page_fill (self->sign_in_page, server, demo_account);
      set_view (self, "sign-in");
      if (demo_password == NULL || *demo_password == '\0')
        {
          rl_sign_in_page_show_error (self->sign_in_page,
                                      _ ("The demo account needs its password in the environment "
                                         "variable RELOOP_DEMO_PASSWORD."));
          return;
        }
      rl_sign_in_page_set_password (self->sign_in_page, demo_password);
      rl_sign_in_page_submit (self->sign_in_page);
      return;
    }

  if (*server != '\0' && *account != '\0')
    {
      rl_sign_in_page_fill (self->sign_in_page, server, account);
      set_view (self, "loading");
      rl_session_restore_async (self->session, server, account, self->cancellable,
                                restore_cb, g_object_ref (self));
      return;
    }

  rl_sign_in_page_fill (self->sign_in_page, server, account);
  set_view (self, "sign-in");
}

static void
sign_out_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (RlWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  self->signing_out = FALSE;

  if (!rl_session_sign_out_finish (RL_SESSION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_autofree char *why = rl_ui_error_message (error);
      /* Translators: %s is the reason, e.g. from the keyring. */
      g_autofree char *message = g_strdup_printf (_ ("Could not sign out: %s"), why);
      rl_window_show_toast (self, message);
      return;
    }

  show_sign_in (self, NULL);
  rl_window_show_toast (self, _ ("Signed out"));
}

void
rl_window_sign_out (RlWindow *self)
{
  g_return_if_fail (RL_IS_WINDOW (self));

  if (self->signing_out || rl_session_get_state (self->session) == RL_SESSION_STATE_SIGNED_OUT)
    return;

  self->signing_out = TRUE;
  rl_session_sign_out_async (self->session, self->cancellable, sign_out_cb, g_object_ref (self));
}

static void
session_state_cb (RlWindow   *self,
                  GParamSpec *pspec,
                  RlSession  *session)
{
  /* Signed out behind our back (the server refused the refresh token). */
  if (rl_session_get_state (session) == RL_SESSION_STATE_SIGNED_OUT
      && !self->signing_out
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "main") == 0)
    show_sign_in (self, _ ("Your session has ended. Sign in again."));
}

static void
session_role_cb (RlWindow   *self,
                 GParamSpec *pspec,
                 RlSession  *session)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "main") == 0)
    rl_window_apply_role (self, rl_session_get_role (session));
}

static void
session_keyring_cb (RlWindow   *self,
                    GParamSpec *pspec,
                    RlSession  *session)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "main") == 0)
    check_keyring (self);
}

static void
visible_page_cb (RlWindow     *self,
                 GParamSpec   *pspec,
                 AdwViewStack *view_stack)
{
  const char *name = adw_view_stack_get_visible_child_name (view_stack);

  if (name != NULL && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "main") == 0)
    g_settings_set_string (self->settings, "last-page", name);
}

static gboolean
rl_window_close_request (GtkWindow *window)
{
  RlWindow *self = RL_WINDOW (window);
  gboolean  maximized = gtk_window_is_maximized (window);

  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  if (!maximized)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }

  return GTK_WINDOW_CLASS (rl_window_parent_class)->close_request (window);
}

static void
rl_window_dispose (GObject *object)
{
  RlWindow *self = RL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_WINDOW);

  G_OBJECT_CLASS (rl_window_parent_class)->dispose (object);
}

static void
rl_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RlWindow *self = RL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RlWindow *self = RL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_assert (self->session == NULL);
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_window_class_init (RlWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rl_window_dispose;
  object_class->get_property = rl_window_get_property;
  object_class->set_property = rl_window_set_property;
  window_class->close_request = rl_window_close_request;

  /* Every page and the status indicator get it by a binding in the
   * template (ui/rl-window.ui). */
  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL, RL_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RL_TYPE_STATUS_INDICATOR);
  g_type_ensure (RL_TYPE_MAP_PAGE);
  g_type_ensure (RL_TYPE_ALERTS_PAGE);
  g_type_ensure (RL_TYPE_PROVIDERS_PAGE);
  g_type_ensure (RL_TYPE_ACTIVITY_PAGE);
  g_type_ensure (RL_TYPE_CONFLICTS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/reloop/Console/ui/rl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, sign_in_box);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, status_indicator);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, map_page);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, alerts_page);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, providers_page);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, activity_page);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, conflicts_page);
}

static void
rl_window_init (RlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->keyring_state_shown = RL_KEYRING_UNKNOWN;
  rl_window_init_actions (self);
  rl_frame_stats_attach (GTK_WIDGET (self));
}

RlWindow *
rl_window_new (gpointer   application,
               RlSession *session,
               GSettings *settings)
{
  RlWindow *self;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (RL_IS_SESSION (session), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RL_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       "default-width", g_settings_get_int (settings, "window-width"),
                       "default-height", g_settings_get_int (settings, "window-height"),
                       "maximized", g_settings_get_boolean (settings, "window-maximized"),
                       NULL);
  self->settings = g_object_ref (settings);

  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  self->sign_in_page = rl_sign_in_page_new (session, settings);
  gtk_widget_set_vexpand (GTK_WIDGET (self->sign_in_page), TRUE);
  gtk_box_append (self->sign_in_box, GTK_WIDGET (self->sign_in_page));
  g_signal_connect_object (self->sign_in_page, "signed-in",
                           G_CALLBACK (signed_in_cb), self, G_CONNECT_SWAPPED);

  rl_window_feed_init (self);

  g_signal_connect_object (session, "notify::state",
                           G_CALLBACK (session_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::role",
                           G_CALLBACK (session_role_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::keyring-state",
                           G_CALLBACK (session_keyring_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (visible_page_cb), self, G_CONNECT_SWAPPED);

  rl_window_bind_actions (self);
  rl_window_apply_role (self, rl_session_get_role (session));
  set_view (self, "sign-in");

  return self;
}

AdwViewStack *
rl_window_get_view_stack (RlWindow *self)
{
  g_return_val_if_fail (RL_IS_WINDOW (self), NULL);

  return self->view_stack;
}

const char *
rl_window_get_view (RlWindow *self)
{
  g_return_val_if_fail (RL_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

RlSession *
rl_window_get_session (RlWindow *self)
{
  g_return_val_if_fail (RL_IS_WINDOW (self), NULL);

  return self->session;
}
