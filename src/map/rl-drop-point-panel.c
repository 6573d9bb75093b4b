/* rl-drop-point-panel.c — the drop-point panel beside the map.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: helpers, GObject boilerplate, public API. Loading (the cache
 * through the core's _async calls, then the server) is in
 * rl-drop-point-panel-load.c, filling the widgets in
 * rl-drop-point-panel-view.c, saving in rl-drop-point-panel-edit.c.
 *
 * The panel reads only the cache; the server is asked for what the cache
 * lacks (the record itself, the last 7 days of readings) and for edits.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "rl-a11y.h"
#include "rl-drop-point-panel-private.h"
#include "rl-map-resources.h"

G_DEFINE_FINAL_TYPE (RlDropPointPanel, rl_drop_point_panel, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_DROP_POINT_ID,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Helpers ------------------------------------------------------------ */

void
rl_dpp_busy_push (RlDropPointPanel *self)
{
  if (self->busy++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
rl_dpp_busy_pop (RlDropPointPanel *self)
{
  g_assert (self->busy > 0);
  if (--self->busy == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

RlStore *
rl_dpp_get_store (RlDropPointPanel *self)
{
  return self->session ? rl_session_get_store (self->session) : NULL;
}

gboolean
rl_dpp_is_online (RlDropPointPanel *self)
{
  RlSessionState state;

  if (self->session == NULL || rl_session_get_api (self->session) == NULL)
    return FALSE;
  state = rl_session_get_state (self->session);
  return state == RL_SESSION_STATE_ONLINE || state == RL_SESSION_STATE_SYNCING;
}

static void
save_clicked_cb (RlDropPointPanel *self)
{
  rl_drop_point_panel_save (self);
}
/* ---- GObject ------------------------------------------------------------ */

static void
rl_drop_point_panel_dispose (GObject *object)
{
  RlDropPointPanel *self = RL_DROP_POINT_PANEL (object);
  GtkWidget        *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->age_timeout, g_source_remove);
  if (self->conflict_dialog != NULL)
    {
      GtkWindow *dialog = GTK_WINDOW (self->conflict_dialog);

      self->conflict_dialog = NULL;
      g_signal_handlers_disconnect_by_data (dialog, self);
      gtk_window_destroy (dialog);
    }
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  rl_dpp_forget_save (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_DROP_POINT_PANEL);
  /* The template's top child is not bound: unparent it ourselves. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->conflict_current, json_object_unref);

  G_OBJECT_CLASS (rl_drop_point_panel_parent_class)->dispose (object);
}

static void
rl_drop_point_panel_finalize (GObject *object)
{
  RlDropPointPanel *self = RL_DROP_POINT_PANEL (object);

  g_clear_object (&self->cancellable);
  g_free (self->drop_point_id);
  g_free (self->readings_device);
  g_free (self->save_message);
  g_free (self->conflict_id);

  G_OBJECT_CLASS (rl_drop_point_panel_parent_class)->finalize (object);
}

static void
rl_drop_point_panel_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RlDropPointPanel *self = RL_DROP_POINT_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_DROP_POINT_ID:
      g_value_set_string (value, self->drop_point_id);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_drop_point_panel_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RlDropPointPanel *self = RL_DROP_POINT_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      rl_drop_point_panel_set_session (self, g_value_get_object (value));
      break;
    case PROP_DROP_POINT_ID:
      rl_drop_point_panel_set_drop_point_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_drop_point_panel_class_init (RlDropPointPanelClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_drop_point_panel_dispose;
  object_class->finalize = rl_drop_point_panel_finalize;
  object_class->get_property = rl_drop_point_panel_get_property;
  object_class->set_property = rl_drop_point_panel_set_property;

  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL, RL_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DROP_POINT_ID] =
      g_param_spec_string ("drop-point-id", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
      g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RL_TYPE_FILL_CHART);
  /* The resource is registered by hand (a static library may drop a
   * constructor); whoever comes first registers it. */
  if (rl_map_get_resource () == NULL)
    rl_map_register_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/reloop/Console/map/rl-drop-point-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, export_button);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, address_label);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, pills_box);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, status_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, fill_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, weight_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, temperature_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, humidity_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, battery_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, age_value);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, chart);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, forecast_label);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, forecast_detail);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, alerts_group);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, alerts_list);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, status_combo);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, notes_view);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, save_status);
  gtk_widget_class_bind_template_child (widget_class, RlDropPointPanel, save_button);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "droppointpanel");
}

static void
ensure_css (void)
{
  static gboolean done;
  g_autoptr (GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (done || display == NULL)
    return;
  done = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider,
                                   ".rl-pill { border-radius: 999px; padding: 2px 10px;"
                                   " background-color: alpha(@accent_bg_color, 0.15);"
                                   " color: @accent_color; }",
                                   -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static double
threshold_setting (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema =
      source ? g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE) : NULL;
  g_autoptr (GSettings) settings = NULL;

  if (schema == NULL || !g_settings_schema_has_key (schema, "fill-alert-threshold"))
    return 85.0;
  settings = g_settings_new (APPLICATION_ID);
  return g_settings_get_double (settings, "fill-alert-threshold");
}

static void
rl_drop_point_panel_init (RlDropPointPanel *self)
{
  ensure_css ();
  gtk_widget_init_template (GTK_WIDGET (self));
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->threshold = threshold_setting ();
  self->forecast.status = RL_FORECAST_INSUFFICIENT_DATA;
  self->age_timeout = g_timeout_add_seconds (30, rl_dpp_age_tick_cb, self);
  rl_dpp_fill_record (self);
  rl_dpp_fill_forecast (self);
}
/* ---- Public API --------------------------------------------------------- */

GtkWidget *
rl_drop_point_panel_new (RlSession *session)
{
  return g_object_new (RL_TYPE_DROP_POINT_PANEL, "session", session, NULL);
}

RlSession *
rl_drop_point_panel_get_session (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return self->session;
}

void
rl_drop_point_panel_set_session (RlDropPointPanel *self,
                                 RlSession        *session)
{
  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));
  g_return_if_fail (session == NULL || RL_IS_SESSION (session));

  if (self->session != session)
    {
      g_autoptr (RlSession) old = g_steal_pointer (&self->session);

      self->session = session ? g_object_ref (session) : NULL;
      rl_dpp_watch_session (self, old);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
      rl_drop_point_panel_reload (self);
    }
}

const char *
rl_drop_point_panel_get_drop_point_id (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return self->drop_point_id;
}

void
rl_drop_point_panel_set_drop_point_id (RlDropPointPanel *self,
                                       const char       *id)
{
  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  if (g_strcmp0 (self->drop_point_id, id) == 0)
    return;
  g_free (self->drop_point_id);
  self->drop_point_id = g_strdup (id);
  /* A new point: what was under way for the old one no longer matters. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->fetched_readings = FALSE;
  rl_dpp_forget_save (self);
  rl_dpp_set_save_message (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DROP_POINT_ID]);
  rl_drop_point_panel_reload (self);
}

void
rl_drop_point_panel_set_threshold (RlDropPointPanel *self,
                                   double            threshold)
{
  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  self->threshold = CLAMP (threshold, 1, 100);
  rl_dpp_load_readings (self);
}

const char *
rl_drop_point_panel_get_title (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return gtk_label_get_text (self->title_label);
}

const char *
rl_drop_point_panel_get_forecast_text (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return gtk_label_get_text (self->forecast_label);
}

const char *
rl_drop_point_panel_get_save_message (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return self->save_message;
}

const RlForecast *
rl_drop_point_panel_get_forecast (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return &self->forecast;
}

gint64
rl_drop_point_panel_get_version (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), -1);

  return self->record ? json_object_get_int_member_with_default (self->record, "version", -1) : -1;
}

gboolean
rl_drop_point_panel_get_busy (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), FALSE);

  return self->busy > 0;
}

guint
rl_drop_point_panel_get_n_readings (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), 0);

  return self->n_readings;
}

AdwMessageDialog *
rl_drop_point_panel_get_conflict_dialog (RlDropPointPanel *self)
{
  g_return_val_if_fail (RL_IS_DROP_POINT_PANEL (self), NULL);

  return self->conflict_dialog;
}
