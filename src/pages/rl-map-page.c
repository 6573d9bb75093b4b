/* rl-map-page.c — the map page: cold start from the cache, reloads after
 * syncs and live telemetry, the page's states.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The points are read from the cache by the core in a worker thread on its
 * own store connection (rl_store_load_drop_points_async) and handed to the
 * layer on the main thread, so the map paints the cached city without waiting for the network;
 * the same happens again after each sync. Selection, side panel and search
 * are in rl-map-page-select.c; tiles, map packs, the map menu and the saved
 * viewport in rl-map-page-tiles.c.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rl-a11y.h"
#include "rl-map-legend.h"
#include "rl-map-page-private.h"
#include "rl-search.h"
#include "rl-store-async.h"
#include "rl-time.h"
#include "rl-ui-errors.h"
#include "rl-weak-call.h"

/* With nothing new from the server, the points are read again this often
 * (their staleness moves with the clock). */
#define IDLE_RELOAD_US (G_GINT64_CONSTANT (5) * 60 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (RlMapPage, rl_map_page, RL_TYPE_PAGE)

enum
{
  PROP_0,
  PROP_LOADING,
  PROP_SYNCED,
  PROP_LAYER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Live telemetry for a point the layer does not have yet: the cache is read
 * again this long after the feed first reports it (the feed's writer thread
 * has stored it by then), so a busy broker costs at most one reload per
 * interval. Known points are updated in place. */
#define LIVE_RELOAD_DELAY_MS 2000

/* ---- States and progress -------------------------------------------------- */

static gboolean
session_syncing (RlMapPage *self)
{
  return self->session != NULL
         && (rl_session_get_sync_progress (self->session) >= 0
             || rl_session_get_state (self->session) == RL_SESSION_STATE_SYNCING);
}

/* The first full load's progress, over the map and on the loading page:
 * closures of the template's bindings (session's sync-progress and state,
 * the page's "synced"). */
static char *
progress_text_closure (gpointer this_,
                       double   progress)
{
  if (progress >= 0)
    /* Translators: the first load of the drop points; %.0f is a percentage. */
    return g_strdup_printf (_ ("Loading drop points… %.0f %%"), CLAMP (progress, 0, 1) * 100);
  return g_strdup (_ ("Loading drop points…"));
}

/* Over the map: only during the first full load (later syncs are
 * incremental and quick: the header's status indicator shows them). */
static gboolean
first_sync_closure (gpointer       this_,
                    double         progress,
                    RlSessionState state,
                    gboolean       synced)
{
  return (progress >= 0 || state == RL_SESSION_STATE_SYNCING) && !synced;
}

static gboolean
has_progress_closure (gpointer this_,
                      double   progress)
{
  return progress >= 0;
}

static double
fraction_closure (gpointer this_,
                  double   progress)
{
  return CLAMP (progress, 0, 1);
}

static void
set_synced (RlMapPage *self,
            gboolean   synced)
{
  if (self->synced == synced)
    return;
  self->synced = synced;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCED]);
}

static void
update_state (RlMapPage *self)
{
  const char *name;

  if (rl_map_layer_get_n_points (self->layer) > 0)
    name = "map";
  else if (self->load_error != NULL)
    name = "error";
  else if (self->store == NULL || self->loading || !self->loaded_once || session_syncing (self))
    name = "loading";
  else
    name = "empty";

  if (g_str_equal (name, "error"))
    adw_status_page_set_description (self->error_page, self->load_error);
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (name, "loading"));
  gtk_stack_set_visible_child_name (self->state_stack, name);
}

/* ---- Loading from the cache ------------------------------------------------ */

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (RlMapPage) self = rl_weak_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlDropPoints) points = rl_store_load_drop_points_finish (RL_STORE (source), result,
                                                                      &error);

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the page went away, or a newer load superseded this one */

  self->loading = FALSE;
  self->n_loads++;
  g_clear_pointer (&self->load_error, g_free);
  if (points == NULL)
    {
      g_warning ("Map: cannot load the cached drop points: %s", error->message);
      self->load_error = rl_ui_error_message (error);
    }
  else
    {
      self->loaded_once = TRUE;
      rl_map_layer_set_drop_points (self->layer, points);
      rl_map_page_fit_first_open (self, points);
      rl_map_page_apply_shown_ids (self);
    }
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
rl_map_page_reload (RlMapPage *self)
{
  g_return_if_fail (RL_IS_MAP_PAGE (self));

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->store == NULL)
    {
      if (self->loading)
        {
          self->loading = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
        }
      return;
    }

  /* Read in a worker thread on its own connection (core): the main thread
   * only hands the arrays to the layer. */
  self->reloaded_us = g_get_monotonic_time ();
  self->load_cancellable = g_cancellable_new ();
  rl_store_load_drop_points_async (self->store, rl_time_now_ms (), RL_SEARCH_STALE_AFTER_MS,
                                   self->load_cancellable, load_done_cb, rl_weak_call_new (self));

  if (!self->loading)
    {
      self->loading = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
  update_state (self);
}

static void
retry_clicked_cb (RlMapPage *self)
{
  g_clear_pointer (&self->load_error, g_free);
  rl_map_page_reload (self);
}

/* ---- Session ---------------------------------------------------------------- */

static void
last_sync_cb (RlMapPage *self)
{
  /* A sync brought new data: read the cache again (selection and viewport
   * stay), and refresh what depends on it. */
  if (rl_session_get_last_sync (self->session) > 0)
    set_synced (self, TRUE);
  /* A pull that brought nothing changes no point: the points stay, except
   * that every few minutes they are read again for their staleness (a bin
   * silent for RL_SEARCH_STALE_AFTER_MS turns grey). An idle pull every
   * 30 s re-read, re-indexed and redrew every point (docs/battery.md). */
  if (rl_session_get_last_sync_point_changes (self->session) == 0 && self->reloaded_us != 0
      && !self->loading && self->load_error == NULL
      && g_get_monotonic_time () - self->reloaded_us < IDLE_RELOAD_US)
    return;
  rl_map_page_reload (self);
  if (self->search != NULL)
    rl_map_search_refresh (self->search);
  if (g_strcmp0 (rl_map_page_get_side_panel (self), "dispatch") == 0)
    rl_dispatch_list_refresh (self->dispatch_list);
  else if (g_strcmp0 (rl_map_page_get_side_panel (self), "panel") == 0)
    rl_drop_point_panel_reload (self->panel);
}

static gboolean
live_reload_cb (gpointer user_data)
{
  RlMapPage *self = RL_MAP_PAGE (user_data);

  if (self->loading)
    return G_SOURCE_CONTINUE; /* one load at a time; try again later */
  self->live_reload_id = 0;
  rl_map_page_reload (self);
  return G_SOURCE_REMOVE;
}

/* The feed's batch (≤ 10 a second) goes straight to the layer: new fill
 * levels and link state, keeping each point's status (maintenance,
 * retired) and alert marks. A point the layer does not know yet (new since
 * the last load) makes the page read the cache again, at most once per
 * LIVE_RELOAD_DELAY_MS. */
static void
feed_points_changed_cb (RlMapPage *self,
                        GPtrArray *points)
{
  RlMapLayer *layer = self->layer;
  g_autoptr (GPtrArray) ids = g_ptr_array_sized_new (points->len);
  g_autoptr (GArray) fills = g_array_sized_new (FALSE, FALSE, sizeof (double), points->len);
  g_autoptr (GArray) last = g_array_sized_new (FALSE, FALSE, sizeof (gint64), points->len);
  g_autoptr (GByteArray) flags = g_byte_array_sized_new (points->len);
  gint64   now = rl_time_now_ms ();
  gboolean unknown = FALSE;

  for (guint i = 0; i < points->len; i++)
    {
      RlFeedPoint *p = g_ptr_array_index (points, i);
      double       fill;
      guint8       f;

      if (!rl_map_layer_get_point_state (layer, p->drop_point_id, &fill, &f))
        {
          unknown = TRUE;
          continue;
        }
      f &= (guint8) ~(RL_MAP_POINT_OFFLINE | RL_MAP_POINT_STALE);
      if (!p->is_online)
        f |= RL_MAP_POINT_OFFLINE;
      else if (p->last_reading_ms == 0 || now - p->last_reading_ms > RL_SEARCH_STALE_AFTER_MS)
        f |= RL_MAP_POINT_STALE;
      if (p->has_alert)
        f |= RL_MAP_POINT_ALERT;
      if (!isnan (p->fill_level))
        fill = p->fill_level;
      g_ptr_array_add (ids, p->drop_point_id);
      g_array_append_val (fills, fill);
      g_array_append_val (last, p->last_reading_ms);
      g_byte_array_append (flags, &f, 1);
    }
  if (ids->len > 0)
    rl_map_layer_update_points (layer, ids->len, (const char *const *) ids->pdata,
                                (const double *) (gpointer) fills->data, flags->data,
                                (const gint64 *) (gpointer) last->data);
  /* The open panel follows its point's readings (an edit stays). */
  for (guint i = 0; i < ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ids, i),
                   rl_drop_point_panel_get_drop_point_id (rl_map_page_get_panel (self)))
        == 0)
      {
        rl_drop_point_panel_refresh_live (rl_map_page_get_panel (self));
        break;
      }
  if (unknown && self->live_reload_id == 0 && self->store != NULL)
    self->live_reload_id = g_timeout_add (LIVE_RELOAD_DELAY_MS, live_reload_cb, self);
}

static void
feed_changed_cb (RlMapPage *self)
{
  RlFeed *feed = self->session != NULL ? rl_session_get_feed (self->session) : NULL;

  if (feed == self->feed)
    return;
  if (self->feed != NULL)
    g_signal_handlers_disconnect_by_data (self->feed, self);
  g_set_object (&self->feed, feed);
  if (feed != NULL)
    g_signal_connect_object (feed, "points-changed",
                             G_CALLBACK (feed_points_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
sync_progress_cb (RlMapPage *self)
{
  update_state (self);
}

static void
rl_map_page_session_changed (RlPage *page)
{
  RlMapPage *self = RL_MAP_PAGE (page);
  RlSession *session = rl_page_get_session (page);
  RlStore   *store = session != NULL ? rl_session_get_store (session) : NULL;

  if (session != self->session)
    {
      if (self->session != NULL)
        g_signal_handlers_disconnect_by_data (self->session, self);
      g_set_object (&self->session, session);
      if (session != NULL)
        {
          g_signal_connect_object (session, "notify::last-sync",
                                   G_CALLBACK (last_sync_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (session, "notify::sync-progress",
                                   G_CALLBACK (sync_progress_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (session, "notify::feed",
                                   G_CALLBACK (feed_changed_cb), self, G_CONNECT_SWAPPED);
        }
      feed_changed_cb (self);
      /* The panel and the dispatch list get it by a binding (ui/rl-map-page.ui). */
    }

  if (store != self->store)
    {
      static const RlMapPoints no_points = { 0 };

      g_set_object (&self->store, store);
      self->loaded_once = FALSE;
      rl_map_page_source_signed_in (self);
      set_synced (self, FALSE);
      g_clear_pointer (&self->load_error, g_free);
      rl_map_page_set_side_panel (self, NULL);
      rl_map_layer_set_selected_id (self->layer, NULL);
      rl_map_layer_set_points (self->layer, &no_points);
      if (self->search != NULL)
        rl_map_search_set_store (self->search, store);
      rl_map_page_reload (self);
    }

  /* The server's tiles follow the server. */
  rl_map_page_apply_tiles (self);
  update_state (self);
}

/* ---- Settings ----------------------------------------------------------------- */

static void
threshold_changed_cb (RlMapPage *self)
{
  double threshold = g_settings_get_double (self->settings, "fill-alert-threshold");

  rl_drop_point_panel_set_threshold (self->panel, threshold);
  rl_dispatch_list_set_threshold (self->dispatch_list, threshold);
}

/* ---- GObject ------------------------------------------------------------------ */

static void
rl_map_page_dispose (GObject *object)
{
  RlMapPage *self = RL_MAP_PAGE (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_handle_id (&self->live_reload_id, g_source_remove);
  if (self->feed != NULL)
    g_signal_handlers_disconnect_by_data (self->feed, self);
  g_clear_object (&self->feed);
  rl_map_page_tiles_dispose (self);
  /* The template's children go away in the parent's dispose: nothing of
   * theirs may call back into a half-disposed page. */
  if (self->layer != NULL)
    g_signal_handlers_disconnect_by_data (self->layer, self);
  if (self->search != NULL)
    g_signal_handlers_disconnect_by_data (self->search, self);
  if (self->flap != NULL)
    g_signal_handlers_disconnect_by_data (self->flap, self);
  if (self->dispatch_list != NULL)
    g_signal_handlers_disconnect_by_data (self->dispatch_list, self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->store);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  self->search = NULL; /* a child of the template's box */
  self->layer = NULL;  /* owned by the map */

  G_OBJECT_CLASS (rl_map_page_parent_class)->dispose (object);
}

static void
rl_map_page_finalize (GObject *object)
{
  RlMapPage *self = RL_MAP_PAGE (object);

  g_free (self->load_error);
  g_free (self->tiles_key);

  G_OBJECT_CLASS (rl_map_page_parent_class)->finalize (object);
}

static void
rl_map_page_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RlMapPage *self = RL_MAP_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_SYNCED:
      g_value_set_boolean (value, self->synced);
      break;

    case PROP_LAYER:
      g_value_set_object (value, self->layer);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_map_page_class_init (RlMapPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RlPageClass    *page_class = RL_PAGE_CLASS (klass);

  object_class->dispose = rl_map_page_dispose;
  object_class->finalize = rl_map_page_finalize;
  object_class->get_property = rl_map_page_get_property;
  page_class->session_changed = rl_map_page_session_changed;

  properties[PROP_LOADING] =
      g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A sync finished since the page's cache was opened (the first full load
   * shows its progress over the map until then). */
  properties[PROP_SYNCED] =
      g_param_spec_boolean ("synced", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The drop-point layer (made with the map, in init): the count binds to it. */
  properties[PROP_LAYER] =
      g_param_spec_object ("layer", NULL, NULL, RL_TYPE_MAP_LAYER,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SHUMATE_TYPE_SIMPLE_MAP);
  g_type_ensure (RL_TYPE_MAP_LEGEND);
  g_type_ensure (RL_TYPE_DROP_POINT_PANEL);
  g_type_ensure (RL_TYPE_DISPATCH_LIST);

  rl_page_class_set_template (page_class, "/org/reloop/Console/ui/rl-map-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, loading_page);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, search_box);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, dispatch_button);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, map_menu_button);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, flap);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, simple_map);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, legend_card);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, flap_stack);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, panel);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, dispatch_list);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, attribution_label);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, tiles_failure);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, tiles_failure_title);
  gtk_widget_class_bind_template_child (widget_class, RlMapPage, tiles_failure_reason);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, progress_text_closure);
  gtk_widget_class_bind_template_callback (widget_class, first_sync_closure);
  gtk_widget_class_bind_template_callback (widget_class, has_progress_closure);
  gtk_widget_class_bind_template_callback (widget_class, fraction_closure);
  gtk_widget_class_bind_template_callback_full (widget_class, "count_closure",
                                                G_CALLBACK (rl_map_page_count_closure));
  gtk_widget_class_bind_template_callback_full (widget_class, "close_flap_cb",
                                                G_CALLBACK (rl_map_page_close_flap_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "dispatch_toggled_cb",
                                                G_CALLBACK (rl_map_page_dispatch_toggled_cb));
}

static void
rl_map_page_init (RlMapPage *self)
{
  ShumateViewport *viewport;

  gtk_widget_init_template (GTK_WIDGET (self));
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  viewport = shumate_simple_map_get_viewport (self->simple_map);

  self->layer = rl_map_layer_new (viewport);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->layer));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYER]);
  rl_map_page_select_init (self);

  g_signal_connect_object (self->settings, "changed::fill-alert-threshold",
                           G_CALLBACK (threshold_changed_cb), self, G_CONNECT_SWAPPED);
  threshold_changed_cb (self);

  rl_map_page_tiles_init (self);
  update_state (self);
}

/* ---- Accessors ----------------------------------------------------------------- */

const char *
rl_map_page_get_state (RlMapPage *self)
{
  g_return_val_if_fail (RL_IS_MAP_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->state_stack);
}

gboolean
rl_map_page_get_loading (RlMapPage *self)
{
  g_return_val_if_fail (RL_IS_MAP_PAGE (self), FALSE);
  return self->loading;
}

guint
rl_map_page_get_n_loads (RlMapPage *self)
{
  g_return_val_if_fail (RL_IS_MAP_PAGE (self), 0);
  return self->n_loads;
}

const char *
rl_map_page_get_count_text (RlMapPage *self)
{
  g_return_val_if_fail (RL_IS_MAP_PAGE (self), NULL);
  return gtk_label_get_text (self->count_label);
}

RlMapLayer *
rl_map_page_get_layer (RlMapPage *self)
{
  g_return_val_if_fail (RL_IS_MAP_PAGE (self), NULL);
  return self->layer;
}

ShumateMap *
rl_map_page_get_map (RlMapPage *self)
{
  g_return_val_if_fail (RL_IS_MAP_PAGE (self), NULL);
  return shumate_simple_map_get_map (self->simple_map);
}

RlDropPointPanel *
rl_map_page_get_panel (RlMapPage *self)
{
  g_return_val_if_fail (RL_IS_MAP_PAGE (self), NULL);
  return self->panel;
}

RlDispatchList *
rl_map_page_get_dispatch_list (RlMapPage *self)
{
  g_return_val_if_fail (RL_IS_MAP_PAGE (self), NULL);
  return self->dispatch_list;
}

GtkWidget *
rl_map_page_get_search (RlMapPage *self)
{
  g_return_val_if_fail (RL_IS_MAP_PAGE (self), NULL);
  return GTK_WIDGET (self->search);
}

GtkToggleButton *
rl_map_page_get_dispatch_button (RlMapPage *self)
{
  g_return_val_if_fail (RL_IS_MAP_PAGE (self), NULL);
  return self->dispatch_button;
}

RlMbtilesSource *
rl_map_page_get_mbtiles_source (RlMapPage *self)
{
  g_return_val_if_fail (RL_IS_MAP_PAGE (self), NULL);
  return self->mbtiles;
}
