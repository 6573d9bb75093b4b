/* rl-map-page-source.c — which online tiles the map shows (the server's
 * /tiles when it offers them, else OpenStreetMap, or a custom template),
 * the map's word when they fail, and the first view of a server's fleet.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-a11y.h"
#include "rl-map-page-private.h"
#include "rl-map-view.h"
#include "rl-preferences-window.h"
#include "rl-secrets.h"
#include "rl-session.h"
#include "rl-tile-choice.h"

/* The margin around the fleet on its first view, in pixels. */
#define FIT_MARGIN_PX 48
#define FIT_MAX_ZOOM 16

/* ---- The server's /tiles probe --------------------------------------------- */

static RlTileProbe
remembered_probe (RlMapPage  *self,
                  const char *server)
{
  g_autoptr (GVariant) probes = g_settings_get_value (self->settings, "tile-server-probes");
  g_autofree char *value = NULL;

  if (g_strcmp0 (server, self->unreachable_server) == 0)
    return RL_TILE_PROBE_UNREACHABLE;
  if (!g_variant_lookup (probes, server, "s", &value))
    return RL_TILE_PROBE_UNKNOWN;
  return rl_tile_probe_from_string (value);
}

static void
remember_probe (RlMapPage  *self,
                const char *server,
                RlTileProbe probe)
{
  g_autoptr (GVariant) old = g_settings_get_value (self->settings, "tile-server-probes");
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  GVariantIter iter;
  const char  *key, *value;

  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (!g_str_equal (key, server))
      g_variant_builder_add (&builder, "{ss}", key, value);
  g_variant_builder_add (&builder, "{ss}", server, rl_tile_probe_to_string (probe));
  g_settings_set_value (self->settings, "tile-server-probes", g_variant_builder_end (&builder));
}

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  RlTileProbe      probe = rl_tile_probe_finish (result);
  RlMapPage       *self = user_data;
  g_autofree char *server = NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return; /* the page went away or the server changed */
  server = g_steal_pointer (&self->probing_server);
  g_clear_object (&self->probe_cancellable);
  if (probe == RL_TILE_PROBE_UNREACHABLE)
    {
      /* Not remembered: ask again at the next sign-in. */
      g_free (self->unreachable_server);
      self->unreachable_server = g_steal_pointer (&server);
    }
  else
    remember_probe (self, server, probe);
  rl_map_page_apply_tiles (self);
}

static void
start_probe (RlMapPage  *self,
             const char *server)
{
  if (g_strcmp0 (self->probing_server, server) == 0)
    return;
  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_free (self->probing_server);
  self->probing_server = g_strdup (server);
  self->probe_cancellable = g_cancellable_new ();
  if (self->probe_session == NULL)
    self->probe_session = soup_session_new_with_options ("user-agent", rl_tile_user_agent (),
                                                         "timeout", 15, NULL);
  rl_tile_probe_async (self->probe_session, server, self->probe_cancellable, probe_done_cb,
                       self);
}

void
rl_map_page_source_signed_in (RlMapPage *self)
{
  g_clear_pointer (&self->unreachable_server, g_free);
}

/* ---- The API key ----------------------------------------------------------- */

static void
key_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RlMapPage *self = user_data;
  g_autoptr (GError) error = NULL;
  char *key = rl_secrets_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->key_cancellable);
  if (error != NULL)
    g_message ("Map: no tile API key from the keyring: %s", error->message);
  g_clear_pointer (&self->api_key, rl_secrets_value_free);
  self->api_key = key != NULL ? key : g_strdup ("");
  rl_map_page_apply_tiles (self);
}

/* TRUE when the key for @template's server is at hand (or not needed). */
static gboolean
have_api_key (RlMapPage *self,
              const char *template)
{
  g_autofree char *origin = NULL;

  if (strstr (template, RL_TILE_APIKEY) == NULL)
    return TRUE;
  origin = rl_tile_template_origin (template);
  if (g_strcmp0 (origin, self->api_key_origin) == 0)
    return self->key_cancellable == NULL;
  g_cancellable_cancel (self->key_cancellable);
  g_clear_object (&self->key_cancellable);
  g_clear_pointer (&self->api_key, rl_secrets_value_free);
  g_free (self->api_key_origin);
  self->api_key_origin = g_steal_pointer (&origin);
  self->key_cancellable = g_cancellable_new ();
  rl_secrets_lookup_async (RL_SECRET_KIND_TILE_API_KEY, self->api_key_origin, NULL, NULL, NULL,
                           self->key_cancellable, key_done_cb, self);
  return FALSE;
}

/* ---- The template ---------------------------------------------------------- */

char *
rl_map_page_online_template (RlMapPage *self,
                             char     **out_attribution)
{
  g_autofree char *kind = g_settings_get_string (self->settings, "tile-source");
  g_autofree char *custom = g_settings_get_string (self->settings, "tile-url-template");
  g_autofree char *custom_attribution = g_settings_get_string (self->settings,
                                                               "tile-attribution");
  const char      *server = self->session != NULL ? rl_session_get_server_url (self->session) : NULL;
  RlTileSourceKind source_kind = rl_tile_source_kind_from_string (kind);
  RlTileProbe      probe = RL_TILE_PROBE_UNKNOWN;
  g_autofree char *template = NULL;

  if (server != NULL && *server == '\0')
    server = NULL;
  if (server != NULL)
    {
      probe = remembered_probe (self, server);
      /* Only the automatic choice needs the answer. */
      if (rl_tile_probe_needed (probe) && probe != RL_TILE_PROBE_UNREACHABLE
          && (source_kind == RL_TILE_SOURCE_AUTO
              || (source_kind == RL_TILE_SOURCE_CUSTOM && *custom == '\0')))
        start_probe (self, server);
    }
  template = rl_tile_choose (source_kind, probe, server, custom, custom_attribution,
                             out_attribution);
  if (template != NULL && !have_api_key (self, template))
    {
      g_clear_pointer (out_attribution, g_free);
      return NULL;
    }
  return g_steal_pointer (&template);
}

void
rl_map_page_set_attribution (RlMapPage  *self,
                             const char *attribution)
{
  gtk_label_set_label (self->attribution_label, attribution != NULL ? attribution : "");
  gtk_widget_set_visible (GTK_WIDGET (self->attribution_label),
                          attribution != NULL && *attribution != '\0');
}

/* ---- The failure state ------------------------------------------------------ */

static void
update_failure (RlMapPage *self)
{
  RlTileFailure    failure = self->http_source != NULL
                                 ? rl_http_tile_source_get_failure (self->http_source)
                                 : RL_TILE_FAILURE_NONE;
  guint            status = self->http_source != NULL
                                ? rl_http_tile_source_get_failure_status (self->http_source)
                                : 0;
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  g_autofree char *reason = NULL;
  const char      *title = _ ("The map tiles cannot be loaded");

  /* With no network, a tile server elsewhere is out of reach because this
   * computer is offline; one on this computer (a loopback address) just
   * does not answer. */
  if (failure == RL_TILE_FAILURE_NETWORK && !g_network_monitor_get_network_available (monitor)
      && !rl_http_tile_source_is_local (self->http_source))
    failure = RL_TILE_FAILURE_OFFLINE;
  switch (failure)
    {
    case RL_TILE_FAILURE_NONE:
      gtk_widget_set_visible (self->tiles_failure, FALSE);
      return;
    case RL_TILE_FAILURE_NOT_FOUND:
      /* Translators: %u %s is an HTTP status, e.g. "404 Not Found". */
      reason = g_strdup_printf (_ ("The tile server has no map tiles at this address (it "
                                   "answered “%u %s”)."),
                                status, soup_status_get_phrase (status));
      break;
    case RL_TILE_FAILURE_DENIED:
      reason = g_strdup_printf (_ ("The tile server refused the request (“%u %s”): its API key "
                                   "may be missing or wrong."),
                                status, soup_status_get_phrase (status));
      break;
    case RL_TILE_FAILURE_RATE_LIMITED:
      reason = g_strdup (_ ("The tile server is limiting how many tiles it sends (“429 Too Many "
                            "Requests”). Try again later, or choose another map source."));
      break;
    case RL_TILE_FAILURE_SERVER:
      reason = g_strdup_printf (_ ("The tile server failed (“%u %s”)."), status,
                                soup_status_get_phrase (status));
      break;
    case RL_TILE_FAILURE_TLS:
      reason = g_strdup (_ ("The tile server’s certificate cannot be trusted, so no tiles were "
                            "loaded."));
      break;
    case RL_TILE_FAILURE_NETWORK:
      reason = g_strdup (_ ("The tile server cannot be reached."));
      break;
    case RL_TILE_FAILURE_OFFLINE:
    default:
      title = _ ("No map while offline");
      reason = g_strdup (_ ("This computer is offline and no map tiles of this area are saved. "
                            "An offline map pack shows the map without a network."));
      break;
    }
  gtk_label_set_label (self->tiles_failure_title, title);
  gtk_label_set_label (self->tiles_failure_reason, reason);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tiles_failure),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason, -1);
  gtk_widget_set_visible (self->tiles_failure, TRUE);
}

void
rl_map_page_watch_http_source (RlMapPage        *self,
                               RlHttpTileSource *source)
{
  if (self->http_source != NULL)
    g_signal_handlers_disconnect_by_data (self->http_source, self);
  g_set_object (&self->http_source, source);
  if (source != NULL)
    {
      rl_http_tile_source_set_api_key (source, self->api_key);
      g_signal_connect_object (source, "notify::failure", G_CALLBACK (update_failure), self,
                               G_CONNECT_SWAPPED);
    }
  update_failure (self);
}

/* ---- Actions ------------------------------------------------------------------ */

static void
choose_source_activated_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  RlMapPage           *self = RL_MAP_PAGE (user_data);
  GtkRoot             *root = gtk_widget_get_root (GTK_WIDGET (self));
  RlPreferencesWindow *prefs;

  prefs = rl_preferences_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                     self->session, self->settings);
  rl_preferences_window_show_map_source (prefs);
  gtk_window_present (GTK_WINDOW (prefs));
}

/* ---- The first view of a server --------------------------------------------------- */

void
rl_map_page_fit_first_open (RlMapPage          *self,
                            const RlDropPoints *points)
{
  const char *server = self->session != NULL ? rl_session_get_server_url (self->session) : NULL;
  g_auto (GStrv) fitted = NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  ShumateViewport  *viewport = shumate_simple_map_get_viewport (self->simple_map);
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  double            width = gtk_widget_get_width (GTK_WIDGET (self->simple_map));
  double            height = gtk_widget_get_height (GTK_WIDGET (self->simple_map));
  RlViewport        view;

  if (server == NULL || *server == '\0' || points == NULL || points->n == 0)
    return;
  fitted = g_settings_get_strv (self->settings, "map-fitted-servers");
  if (g_strv_contains ((const char *const *) fitted, server))
    return; /* later opens: the last view, as the settings keep it */
  /* Not laid out yet: the window's default map area. */
  if (width < 1 || height < 1)
    {
      width = 800;
      height = 600;
    }
  if (!rl_map_view_fit (points->n, points->latitudes, points->longitudes, width, height,
                        FIT_MARGIN_PX,
                        source != NULL ? shumate_map_source_get_tile_size (source) : 256,
                        shumate_viewport_get_min_zoom_level (viewport),
                        MIN (FIT_MAX_ZOOM, shumate_viewport_get_max_zoom_level (viewport)),
                        &view))
    return;
  shumate_viewport_set_zoom_level (viewport, view.zoom);
  shumate_map_center_on (shumate_simple_map_get_map (self->simple_map), view.latitude,
                         view.longitude);

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) fitted);
  g_strv_builder_add (builder, server);
  {
    g_auto (GStrv) now_fitted = g_strv_builder_end (builder);

    g_settings_set_strv (self->settings, "map-fitted-servers", (const char *const *) now_fitted);
  }
}

/* ---- Set-up ------------------------------------------------------------------------ */

void
rl_map_page_source_init (RlMapPage  *self,
                         GActionMap *group)
{
  g_autoptr (GSimpleAction) choose = g_simple_action_new ("choose-source", NULL);

  /* GTK 4.8 names a button with a mnemonic "_Choose…": the words alone. */
  rl_a11y_fix_mnemonic_names (self->tiles_failure);
  g_signal_connect (choose, "activate", G_CALLBACK (choose_source_activated_cb), self);
  g_action_map_add_action (group, G_ACTION (choose));
  g_signal_connect_object (self->settings, "changed::tile-source",
                           G_CALLBACK (rl_map_page_apply_tiles), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::tile-attribution",
                           G_CALLBACK (rl_map_page_apply_tiles), self, G_CONNECT_SWAPPED);
}

void
rl_map_page_source_dispose (RlMapPage *self)
{
  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_cancellable_cancel (self->key_cancellable);
  g_clear_object (&self->key_cancellable);
  if (self->http_source != NULL)
    g_signal_handlers_disconnect_by_data (self->http_source, self);
  g_clear_object (&self->http_source);
  g_clear_object (&self->probe_session);
  g_clear_pointer (&self->probing_server, g_free);
  g_clear_pointer (&self->unreachable_server, g_free);
  g_clear_pointer (&self->api_key, rl_secrets_value_free);
  g_clear_pointer (&self->api_key_origin, g_free);
}
