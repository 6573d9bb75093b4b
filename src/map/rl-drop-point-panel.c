/* rl-drop-point-panel.c — the drop-point panel beside the map.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: helpers, readings (cache, then server), GObject boilerplate,
 * public API. Filling the widgets is in rl-drop-point-panel-view.c, saving
 * in rl-drop-point-panel-edit.c.
 *
 * The panel reads only the cache; the server is asked for what the cache
 * lacks (the record itself, the last 7 days of readings) and for edits.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "rl-api.h"
#include "rl-drop-point-panel-private.h"
#include "rl-envelope.h"
#include "rl-error.h"
#include "rl-map-resources.h"
#include "rl-time.h"
#include "rl-ui-errors.h"

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

static void load_readings (RlDropPointPanel *self);

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

/* ---- Readings ----------------------------------------------------------- */

static void
compute_forecast (RlDropPointPanel *self,
                  JsonArray        *readings,
                  gint64            now_ms)
{
  g_autofree RlFillSample *samples = NULL;
  RlForecastOptions        options;
  g_autoptr (GDateTime) local = g_date_time_new_now_local ();
  gsize n = 0;

  rl_forecast_options_init (&options);
  options.threshold = self->threshold;
  options.utc_offset_s = (int) (g_date_time_get_utc_offset (local) / G_TIME_SPAN_SECOND);
  samples = rl_forecast_samples_from_readings (readings, &n);
  rl_forecast_compute (samples, n, now_ms, &options, &self->forecast);
  self->n_readings = (guint) n;
  rl_fill_chart_set_threshold (self->chart, self->threshold);
  rl_fill_chart_set_samples (self->chart, samples, n, now_ms);
  rl_fill_chart_set_forecast (self->chart, &self->forecast);
  rl_dpp_fill_forecast (self);
}

static void
readings_fetched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr (RlDropPointPanel) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) env = rl_api_request_finish (RL_API (source), result, &error);
  g_autoptr (RlStoreBatch) batch = NULL;
  const char *device = rl_dpp_member_string (self->record, "deviceId");
  RlStore    *store = rl_dpp_get_store (self);
  JsonArray  *items;

  rl_dpp_busy_pop (self);
  if (env == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = rl_ui_error_message (error);

          gtk_label_set_text (self->forecast_detail, message);
        }
      return;
    }
  items = rl_envelope_get_array (env);
  if (items == NULL || store == NULL || device == NULL)
    return;

  batch = rl_store_batch_begin (store, &error);
  for (guint i = 0; batch != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *r = json_array_get_object_element (items, i);
      const char *ts = rl_dpp_member_string (r, "timestamp");
      gint64      ms;

      if (r == NULL || ts == NULL || !rl_time_parse_ms (ts, &ms))
        continue;
      if (rl_store_batch_add_reading (batch, device, ms, rl_dpp_member_double (r, "fillLevel"),
                                      rl_dpp_member_double (r, "weight"),
                                      rl_dpp_member_double (r, "temperature"),
                                      rl_dpp_member_double (r, "humidity"),
                                      rl_dpp_member_double (r, "batteryLevel"), &error)
          == RL_STORE_READING_ERROR)
        break;
    }
  if (batch == NULL || error != NULL || !rl_store_batch_commit (batch, &error))
    {
      g_warning ("Cannot store the readings of %s: %s", device, error->message);
      return;
    }
  load_readings (self);
}

static void
load_readings (RlDropPointPanel *self)
{
  const char *device = rl_dpp_member_string (self->record, "deviceId");
  RlStore    *store = rl_dpp_get_store (self);
  g_autoptr (JsonArray) readings = NULL;
  g_autoptr (GError) error = NULL;
  gint64 now = rl_time_now_ms ();

  if (device != NULL && store != NULL)
    {
      readings = rl_store_get_readings (store, device, now - HISTORY_MS, now, 0, &error);
      if (readings == NULL)
        g_warning ("Cannot read the readings of %s: %s", device, error->message);
    }
  compute_forecast (self, readings, now);

  /* Nothing cached for the last week: ask the server once. */
  if (device != NULL && self->n_readings == 0 && !self->fetched_readings && rl_dpp_is_online (self))
    {
      g_autoptr (GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_autofree char *path = g_strdup_printf ("/drop-points/%s/readings", self->drop_point_id);

      self->fetched_readings = TRUE;
      g_hash_table_insert (query, (char *) "from", rl_time_format_ms (now - HISTORY_MS));
      g_hash_table_insert (query, (char *) "to", rl_time_format_ms (now));
      g_hash_table_insert (query, (char *) "limit", g_strdup ("5000"));
      rl_dpp_busy_push (self);
      rl_api_get_async (rl_session_get_api (self->session), path, query, self->cancellable,
                        readings_fetched_cb, g_object_ref (self));
    }
}

void
rl_dpp_set_record (RlDropPointPanel *self,
                   JsonObject       *record)
{
  g_clear_pointer (&self->record, json_object_unref);
  self->record = record ? json_object_ref (record) : NULL;
  rl_dpp_fill_record (self);
  load_readings (self);
}

gboolean
rl_dpp_store_record (RlDropPointPanel *self,
                     JsonObject       *record)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStoreBatch) batch = NULL;
  RlStore *store = rl_dpp_get_store (self);

  if (store == NULL)
    return FALSE;
  batch = rl_store_batch_begin (store, &error);
  if (batch == NULL || !rl_store_batch_upsert (batch, "drop_point", record, &error)
      || !rl_store_batch_commit (batch, &error))
    {
      g_warning ("Cannot cache drop point: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
record_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (RlDropPointPanel) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlEnvelope) env = rl_api_request_finish (RL_API (source), result, &error);
  JsonObject *record;

  rl_dpp_busy_pop (self);
  if (env == NULL || (record = rl_envelope_get_object (env)) == NULL)
    {
      if (g_error_matches (error, RL_ERROR, RL_ERROR_NOT_FOUND))
        rl_dpp_show_empty (self, _ ("Drop Point Not Found"),
                           _ ("It was deleted on the server"));
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = error ? rl_ui_error_message (error)
                                           : g_strdup (_ ("The server sent no record"));

          rl_dpp_show_empty (self, _ ("Cannot Load the Drop Point"), message);
        }
      return;
    }
  rl_dpp_store_record (self, record);
  rl_dpp_set_record (self, record);
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
  g_free (self->save_message);

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

  if (g_set_object (&self->session, session))
    {
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
  rl_dpp_set_save_message (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DROP_POINT_ID]);
  rl_drop_point_panel_reload (self);
}

void
rl_drop_point_panel_refresh_live (RlDropPointPanel *self)
{
  static const char *const live[] = {
    "fillLevel",
    "weight",
    "temperature",
    "humidity",
    "batteryLevel",
    "lastReadingAt",
    "isOnline",
  };
  g_autoptr (JsonObject) fresh = NULL;
  g_autoptr (GError) error = NULL;
  RlStore *store;

  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  store = rl_dpp_get_store (self);
  if (store == NULL || self->drop_point_id == NULL || self->record == NULL)
    return;
  fresh = rl_store_get_record (store, "drop_point", self->drop_point_id, &error);
  if (fresh == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot read drop point %s: %s", self->drop_point_id, error->message);
      return;
    }
  /* Into the shown record (a parsed, mutable object), so the age ticks on
   * from the new reading; its version (for If-Match), status and notes
   * stay. */
  for (guint i = 0; i < G_N_ELEMENTS (live); i++)
    {
      JsonNode *node = json_object_get_member (fresh, live[i]);

      if (node != NULL)
        json_object_set_member (self->record, live[i], json_node_copy (node));
    }
  rl_dpp_fill_live (self);
}

void
rl_drop_point_panel_reload (RlDropPointPanel *self)
{
  g_autoptr (JsonObject) record = NULL;
  g_autoptr (GError) error = NULL;
  RlStore *store;

  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  store = rl_dpp_get_store (self);
  if (store == NULL || self->drop_point_id == NULL)
    {
      rl_dpp_set_record (self, NULL);
      return;
    }
  record = rl_store_get_record (store, "drop_point", self->drop_point_id, &error);
  rl_dpp_set_record (self, record);
  if (record == NULL && !rl_dpp_is_online (self))
    rl_dpp_show_empty (self, _ ("Not in the Offline Cache"),
                       _ ("This drop point has not been synced to this computer yet"));
  else if (record == NULL)
    {
      g_autofree char *path = g_strdup_printf ("/drop-points/%s", self->drop_point_id);

      rl_dpp_show_empty (self, _ ("Loading…"), NULL);
      rl_dpp_busy_push (self);
      rl_api_get_async (rl_session_get_api (self->session), path, NULL, self->cancellable,
                        record_fetched_cb, g_object_ref (self));
    }
}

void
rl_drop_point_panel_set_threshold (RlDropPointPanel *self,
                                   double            threshold)
{
  g_return_if_fail (RL_IS_DROP_POINT_PANEL (self));

  self->threshold = CLAMP (threshold, 1, 100);
  load_readings (self);
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
