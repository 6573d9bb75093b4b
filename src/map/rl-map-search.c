/* rl-map-search.c — search entry, results popover and filters above the map.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: searching (the core's rl_search_query_async), GObject,
 * public API. The entry and the results popover are in
 * rl-map-search-results.c, the filter controls in rl-map-search-filters.c,
 * saved views, the save dialog and the toasts in rl-map-search-views.c.
 *
 * Every change (typing, a filter, the API) bumps a generation number and
 * cancels the search in flight, so a result that arrives late is dropped:
 * the map never shows a stale set. "busy" is TRUE from the change (typing is
 * debounced by 150 ms) until the result of its search has been applied.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "rl-a11y.h"
#include "rl-map-resources.h"
#include "rl-map-search-private.h"
#include "rl-search-async.h"
#include "rl-time.h"

#define DEBOUNCE_MS 150
#define MAX_RESULTS 50

G_DEFINE_FINAL_TYPE (RlMapSearch, rl_map_search, GTK_TYPE_WIDGET)
/* clang-format off */
G_DEFINE_QUARK (rl-map-search-error-quark, rl_map_search_error)
/* clang-format on */

enum
{
  PROP_0,
  PROP_STORE,
  PROP_SHOWN_IDS,
  PROP_N_MATCHES,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
guint              rl_map_search_signals[RL_MAP_SEARCH_N_SIGNALS];

static void start_search (RlMapSearch *self);

/* ---- Searching (worker thread) ------------------------------------------ */

static void
result_row_free (gpointer data)
{
  RlMapSearchRow *row = data;

  g_free (row->id);
  g_free (row->name);
  g_free (row->address);
  g_free (row->hint);
  g_free (row);
}

static void
search_result_free (gpointer data)
{
  RlMapSearchResult *result = data;

  g_clear_pointer (&result->ids, g_ptr_array_unref);
  g_clear_pointer (&result->rows, g_ptr_array_unref);
  g_free (result);
}

/* "Fill 92 %", "Offline", … : what a dispatcher wants to know at a glance. */
static char *
state_hint (const RlSearchHit *hit)
{
  if (hit->status == RL_POINT_STATUS_RETIRED)
    return g_strdup (_ ("Retired"));
  if (hit->status == RL_POINT_STATUS_MAINTENANCE)
    return g_strdup (_ ("In maintenance"));
  if (!hit->has_device)
    return g_strdup (_ ("No smart bin"));
  switch (hit->link)
    {
    case RL_LINK_OFFLINE:
      return g_strdup (_ ("Offline"));
    case RL_LINK_STALE:
      return g_strdup (_ ("Stale"));
    default:
      break;
    }
  if (isnan (hit->fill_level))
    return g_strdup (_ ("No reading"));
  /* TRANSLATORS: the fill level of a bin, e.g. "Fill 92 %" */
  return g_strdup_printf (_ ("Fill %.0f %%"), hit->fill_level);
}

/* The core's result as the results popover shows it. */
static RlMapSearchResult *
make_result (RlSearchResult *found)
{
  RlMapSearchResult *result = g_new0 (RlMapSearchResult, 1);

  result->ids = g_steal_pointer (&found->ids);
  result->rows = g_ptr_array_new_with_free_func (result_row_free);
  for (guint i = 0; i < found->hits->len; i++)
    {
      const RlSearchHit *hit = g_ptr_array_index (found->hits, i);
      RlMapSearchRow    *row = g_new0 (RlMapSearchRow, 1);

      row->id = g_strdup (hit->id);
      row->name = g_strdup (hit->name);
      row->address = g_strdup (hit->address);
      row->hint = state_hint (hit);
      g_ptr_array_add (result->rows, row);
    }
  return result;
}

static void
set_busy (RlMapSearch *self,
          gboolean     busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
rl_map_search_has_query (RlMapSearch *self)
{
  return self->filter.query != NULL && self->filter.query[0] != '\0';
}

/* What a search was started with: its result is dropped if a newer change
 * came since. */
typedef struct
{
  RlMapSearch *self;
  guint        generation;
  gboolean     filtered; /* query or filters were set */
} SearchCall;

static void
search_call_free (SearchCall *call)
{
  g_object_unref (call->self);
  g_free (call);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SearchCall, search_call_free)

static void
search_done_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr (SearchCall) call = user_data;
  RlMapSearch *self = call->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlSearchResult) found = rl_search_query_finish (RL_STORE (source), res, &error);
  RlMapSearchResult *result;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || call->generation != self->generation)
    return; /* superseded: a newer search is pending or in flight */

  result = found != NULL ? make_result (found) : NULL;
  if (result == NULL)
    {
      g_debug ("Drop-point search failed: %s", error->message);
      rl_map_search_results_show_error (self, error);
      self->activate_pending = FALSE;
      set_busy (self, FALSE);
      return;
    }

  g_clear_pointer (&self->shown_ids, g_hash_table_unref);
  if (call->filtered)
    {
      self->shown_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < result->ids->len; i++)
        g_hash_table_add (self->shown_ids, g_strdup (g_ptr_array_index (result->ids, i)));
    }
  self->n_matches = result->ids->len;

  rl_map_search_results_show (self, result);
  if (rl_map_search_has_query (self) && self->popup_results
      && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_popover_popup (self->results_popover);
  else if (!rl_map_search_has_query (self))
    gtk_popover_popdown (self->results_popover);
  search_result_free (result);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN_IDS]);
  set_busy (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));

  if (self->activate_pending)
    {
      self->activate_pending = FALSE;
      rl_map_search_results_activate (self, gtk_list_box_get_row_at_index (self->results_list, 0));
    }
}

/* Drops whatever is pending or in flight. */
static void
supersede (RlMapSearch *self)
{
  self->generation++;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

static void
start_search (RlMapSearch *self)
{
  SearchCall *call;

  supersede (self);
  if (self->store == NULL)
    {
      gboolean had = self->shown_ids != NULL || self->n_matches != 0;

      g_clear_pointer (&self->shown_ids, g_hash_table_unref);
      self->n_matches = 0;
      rl_map_search_results_clear (self);
      gtk_popover_popdown (self->results_popover);
      if (had)
        {
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN_IDS]);
        }
      set_busy (self, FALSE);
      return;
    }

  call = g_new0 (SearchCall, 1);
  call->self = g_object_ref (self);
  call->generation = self->generation;
  call->filtered = !rl_search_filter_is_empty (&self->filter);

  set_busy (self, TRUE);
  /* The core searches in a worker thread on its own connection; the first
   * results are listed only when something was typed. */
  rl_search_query_async (self->store, &self->filter, rl_time_now_ms (),
                         rl_map_search_has_query (self) ? MAX_RESULTS : 0, self->cancellable,
                         search_done_cb, call);
}

static gboolean
debounce_cb (gpointer user_data)
{
  RlMapSearch *self = user_data;

  self->debounce_id = 0;
  start_search (self);
  return G_SOURCE_REMOVE;
}

void
rl_map_search_schedule (RlMapSearch *self)
{
  supersede (self);
  if (self->store == NULL)
    {
      start_search (self);
      return;
    }
  set_busy (self, TRUE);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

/* ---- GObject ------------------------------------------------------------ */

static gboolean
rl_map_search_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (RL_MAP_SEARCH (widget)->entry));
}

static void
rl_map_search_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  RlMapSearch    *self = RL_MAP_SEARCH (widget);
  graphene_rect_t bounds;

  GTK_WIDGET_CLASS (rl_map_search_parent_class)->size_allocate (widget, width, height, baseline);
  /* The results popover hangs under the entry. */
  if (gtk_widget_compute_bounds (GTK_WIDGET (self->entry), widget, &bounds))
    {
      GdkRectangle rect = { (int) bounds.origin.x, (int) bounds.origin.y,
                            (int) bounds.size.width, (int) bounds.size.height };

      GdkRectangle old;

      if (!gtk_popover_get_pointing_to (self->results_popover, &old)
          || !gdk_rectangle_equal (&old, &rect))
        gtk_popover_set_pointing_to (self->results_popover, &rect);
    }
  gtk_popover_present (self->results_popover);
}

static void
rl_map_search_dispose (GObject *object)
{
  RlMapSearch *self = RL_MAP_SEARCH (object);

  supersede (self);
  g_cancellable_cancel (self->cancellable);
  rl_map_search_views_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_MAP_SEARCH);
  g_clear_object (&self->store);
  g_clear_weak_pointer (&self->toast_overlay);
  G_OBJECT_CLASS (rl_map_search_parent_class)->dispose (object);
}

static void
rl_map_search_finalize (GObject *object)
{
  RlMapSearch *self = RL_MAP_SEARCH (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->shown_ids, g_hash_table_unref);
  g_clear_pointer (&self->deleted_view, rl_saved_view_free);
  rl_search_filter_clear (&self->filter);
  G_OBJECT_CLASS (rl_map_search_parent_class)->finalize (object);
}

static void
rl_map_search_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RlMapSearch *self = RL_MAP_SEARCH (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SHOWN_IDS:
      g_value_set_boxed (value, self->shown_ids);
      break;
    case PROP_N_MATCHES:
      g_value_set_uint (value, self->n_matches);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_map_search_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RlMapSearch *self = RL_MAP_SEARCH (object);

  switch (prop_id)
    {
    case PROP_STORE:
      rl_map_search_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_map_search_class_init (RlMapSearchClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_map_search_dispose;
  object_class->finalize = rl_map_search_finalize;
  object_class->get_property = rl_map_search_get_property;
  object_class->set_property = rl_map_search_set_property;
  widget_class->grab_focus = rl_map_search_grab_focus;
  widget_class->size_allocate = rl_map_search_size_allocate;

  properties[PROP_STORE] =
      g_param_spec_object ("store", NULL, NULL, RL_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOWN_IDS] =
      g_param_spec_boxed ("shown-ids", NULL, NULL, G_TYPE_HASH_TABLE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_MATCHES] =
      g_param_spec_uint ("n-matches", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
      g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* point-activated (const char *drop_point_id) */
  rl_map_search_signals[RL_MAP_SEARCH_POINT_ACTIVATED] =
      g_signal_new ("point-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* view-activated (double latitude, double longitude, double zoom) */
  rl_map_search_signals[RL_MAP_SEARCH_VIEW_ACTIVATED] =
      g_signal_new ("view-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                    0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                    G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  /* The resource is registered by hand (a static library may drop a
   * constructor); whoever comes first registers it. */
  if (rl_map_get_resource () == NULL)
    rl_map_register_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/reloop/Console/map/rl-map-search.ui");
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, entry);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, results_popover);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, results_scroller);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, results_list);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, results_status);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, filters_button);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, filters_popover);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, categories_grid);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, fill_grid);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, status_grid);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, link_grid);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, alerts_switch);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, clear_button);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, views_button);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, views_popover);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, views_empty);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, views_list);
  gtk_widget_class_bind_template_child (widget_class, RlMapSearch, save_view_button);
  rl_map_search_results_class_init (widget_class);
  rl_map_search_filters_class_init (widget_class);
  rl_map_search_views_class_init (widget_class);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mapsearch");
}

static void
rl_map_search_init (RlMapSearch *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                              6);

  rl_map_search_filters_init (self);
  rl_map_search_results_init (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  rl_map_search_views_rebuild (self);
}

/* ---- Public API --------------------------------------------------------- */

GtkWidget *
rl_map_search_new (void)
{
  return g_object_new (RL_TYPE_MAP_SEARCH, NULL);
}

void
rl_map_search_set_store (RlMapSearch *self,
                         RlStore     *store)
{
  g_return_if_fail (RL_IS_MAP_SEARCH (self));
  g_return_if_fail (store == NULL || RL_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  g_clear_pointer (&self->deleted_view, rl_saved_view_free);
  gtk_widget_set_sensitive (GTK_WIDGET (self), store != NULL);
  rl_map_search_views_rebuild (self);
  self->popup_results = FALSE;
  start_search (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

RlStore *
rl_map_search_get_store (RlMapSearch *self)
{
  g_return_val_if_fail (RL_IS_MAP_SEARCH (self), NULL);

  return self->store;
}

void
rl_map_search_refresh (RlMapSearch *self)
{
  g_return_if_fail (RL_IS_MAP_SEARCH (self));

  self->popup_results = FALSE;
  start_search (self);
}

GHashTable *
rl_map_search_get_shown_ids (RlMapSearch *self)
{
  g_return_val_if_fail (RL_IS_MAP_SEARCH (self), NULL);

  return self->shown_ids;
}

guint
rl_map_search_get_n_matches (RlMapSearch *self)
{
  g_return_val_if_fail (RL_IS_MAP_SEARCH (self), 0);

  return self->n_matches;
}

gboolean
rl_map_search_get_busy (RlMapSearch *self)
{
  g_return_val_if_fail (RL_IS_MAP_SEARCH (self), FALSE);

  return self->busy;
}

const RlSearchFilter *
rl_map_search_get_filter (RlMapSearch *self)
{
  g_return_val_if_fail (RL_IS_MAP_SEARCH (self), NULL);

  return &self->filter;
}

/* After the filter was replaced from outside (not typed): an empty query
 * is no query; the controls follow and a search runs, without popping the
 * results up. */
static void
filter_set (RlMapSearch *self)
{
  if (self->filter.query != NULL && self->filter.query[0] == '\0')
    g_clear_pointer (&self->filter.query, g_free);
  rl_map_search_filters_sync (self);
  self->popup_results = FALSE;
  start_search (self);
}

void
rl_map_search_set_filter (RlMapSearch          *self,
                          const RlSearchFilter *filter)
{
  RlSearchFilter copy = { 0 };

  g_return_if_fail (RL_IS_MAP_SEARCH (self));

  if (filter != NULL)
    rl_search_filter_copy (filter, &copy);
  rl_search_filter_clear (&self->filter);
  self->filter = copy;
  filter_set (self);
}

void
rl_map_search_set_query (RlMapSearch *self,
                         const char  *query)
{
  g_return_if_fail (RL_IS_MAP_SEARCH (self));

  g_free (self->filter.query);
  self->filter.query = query != NULL ? g_strstrip (g_strdup (query)) : NULL;
  filter_set (self);
}

void
rl_map_search_set_current_viewport (RlMapSearch      *self,
                                    const RlViewport *viewport)
{
  g_return_if_fail (RL_IS_MAP_SEARCH (self));
  g_return_if_fail (viewport != NULL);

  self->viewport = *viewport;
}

void
rl_map_search_set_toast_overlay (RlMapSearch     *self,
                                 AdwToastOverlay *overlay)
{
  g_return_if_fail (RL_IS_MAP_SEARCH (self));
  g_return_if_fail (overlay == NULL || ADW_IS_TOAST_OVERLAY (overlay));

  g_set_weak_pointer (&self->toast_overlay, overlay);
}
