/* rl-page.c — abstract base of the main view's pages: holds the session.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rl-page.h"

typedef struct
{
  RlSession    *session;
  GCancellable *cancellable;
} RlPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RlPage, rl_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
session_notify_cb (RlPage     *self,
                   GParamSpec *pspec,
                   RlSession  *session)
{
  if (RL_PAGE_GET_CLASS (self)->session_changed != NULL)
    RL_PAGE_GET_CLASS (self)->session_changed (self);
}

static void
rl_page_dispose (GObject *object)
{
  RlPage        *self = RL_PAGE (object);
  RlPagePrivate *priv = rl_page_get_instance_private (self);
  GtkWidget     *child;

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  if (priv->session != NULL)
    g_signal_handlers_disconnect_by_data (priv->session, self);
  g_clear_object (&priv->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), G_OBJECT_TYPE (self));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (rl_page_parent_class)->dispose (object);
}

static void
rl_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  RlPage *self = RL_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, rl_page_get_session (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  RlPage *self = RL_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      rl_page_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_page_class_init (RlPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rl_page_dispose;
  object_class->get_property = rl_page_get_property;
  object_class->set_property = rl_page_set_property;

  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL,
                           RL_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_page_init (RlPage *self)
{
  RlPagePrivate *priv = rl_page_get_instance_private (self);

  priv->cancellable = g_cancellable_new ();
}

void
rl_page_class_set_template (RlPageClass *klass,
                            const char  *resource_path)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, resource_path);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_callback_full (widget_class, "describe_session",
                                                G_CALLBACK (rl_page_describe_session));
}

RlSession *
rl_page_get_session (RlPage *self)
{
  RlPagePrivate *priv = rl_page_get_instance_private (self);

  g_return_val_if_fail (RL_IS_PAGE (self), NULL);

  return priv->session;
}

void
rl_page_set_session (RlPage    *self,
                     RlSession *session)
{
  RlPagePrivate *priv = rl_page_get_instance_private (self);

  g_return_if_fail (RL_IS_PAGE (self));
  g_return_if_fail (session == NULL || RL_IS_SESSION (session));

  if (priv->session == session)
    return;

  if (priv->session != NULL)
    g_signal_handlers_disconnect_by_data (priv->session, self);
  g_set_object (&priv->session, session);
  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::state",
                               G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::role",
                               G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);
    }

  session_notify_cb (self, NULL, session);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

GCancellable *
rl_page_get_cancellable (RlPage *self)
{
  RlPagePrivate *priv = rl_page_get_instance_private (self);

  g_return_val_if_fail (RL_IS_PAGE (self), NULL);

  return priv->cancellable;
}

char *
rl_page_describe_session (gpointer       this_,
                          RlSessionState state,
                          const char    *server_url)
{
  switch (state)
    {
    case RL_SESSION_STATE_ONLINE:
    case RL_SESSION_STATE_SYNCING:
      /* Translators: %s is the server's URL. */
      return g_strdup_printf (_ ("Connected to %s."), server_url != NULL ? server_url : "");

    case RL_SESSION_STATE_OFFLINE:
      return g_strdup (_ ("Offline: working from the local cache."));

    case RL_SESSION_STATE_SIGNED_OUT:
    default:
      return g_strdup (_ ("Signed out."));
    }
}

void
rl_page_toast (RlPage     *self,
               const char *message)
{
  GtkWidget *overlay;
  AdwToast  *toast;

  g_return_if_fail (RL_IS_PAGE (self));
  g_return_if_fail (message != NULL);

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return;
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}
