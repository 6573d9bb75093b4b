/* rl-search.c — drop-point search (Latin and Devanagari), filters, saved views.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order: normalisation, enumerations, filters, store scan, saved views.
 * Text is compared NFC-normalised and case-folded: Latin matches without
 * case, Devanagari matches whatever composition the input used (a nukta
 * typed as a separate mark, "क़" U+0915 U+093C, equals the precomposed U+0958
 * only after both sides go through the same normalisation; NFC keeps U+0958
 * decomposed, so both become U+0915 U+093C).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "rl-search.h"
#include "rl-store-private.h"
#include "rl-time.h"

/* ---- Normalisation ------------------------------------------------------ */

char *
rl_search_normalize (const char *text)
{
  g_autofree char *nfc = NULL;
  g_autofree char *folded = NULL;

  if (text == NULL)
    return g_strdup ("");
  nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  if (nfc == NULL) /* not UTF-8: match nothing rather than crash */
    return g_strdup ("");
  folded = g_utf8_casefold (nfc, -1);
  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
}

static gboolean
field_contains (const char *haystack,
                const char *needle)
{
  g_autofree char *norm = NULL;

  if (haystack == NULL)
    return FALSE;
  norm = rl_search_normalize (haystack);
  return strstr (norm, needle) != NULL;
}

gboolean
rl_search_text_matches (const char *needle,
                        const char *name,
                        const char *address)
{
  if (needle == NULL || needle[0] == '\0')
    return TRUE;
  return field_contains (name, needle) || field_contains (address, needle);
}

/* ---- Enumerations ------------------------------------------------------- */

static const char *const category_names[] = {
  "PLASTIC",
  "PAPER",
  "METAL",
  "GLASS",
  "ORGANIC",
  "ELECTRONIC",
  "TEXTILE",
};

guint
rl_category_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (category_names); i++)
    if (g_ascii_strcasecmp (text, category_names[i]) == 0)
      return 1u << i;
  return 0;
}

const char *
rl_category_to_string (RlCategory category)
{
  for (guint i = 0; i < G_N_ELEMENTS (category_names); i++)
    if (category == (1u << i))
      return category_names[i];
  return NULL;
}

static const char *const status_names[] = { "active", "maintenance", "retired" };

guint
rl_point_status_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (status_names); i++)
    if (g_ascii_strcasecmp (text, status_names[i]) == 0)
      return 1u << i;
  return 0;
}

guint
rl_search_fill_band (double fill_level)
{
  if (!isfinite (fill_level))
    return RL_FILL_BAND_NONE;
  if (fill_level >= RL_SEARCH_FULL_THRESHOLD)
    return RL_FILL_BAND_FULL;
  if (fill_level >= 50.0)
    return RL_FILL_BAND_MEDIUM;
  return RL_FILL_BAND_LOW;
}

guint
rl_search_link_state (const RlSearchPoint *point,
                      gint64               now_ms)
{
  g_return_val_if_fail (point != NULL, 0);

  if (!point->has_device)
    return 0;
  if (!point->is_online)
    return RL_LINK_OFFLINE;
  if (point->last_reading_ms <= 0 || now_ms - point->last_reading_ms > RL_SEARCH_STALE_AFTER_MS)
    return RL_LINK_STALE;
  return RL_LINK_ONLINE;
}

/* ---- Filters ------------------------------------------------------------ */

void
rl_search_filter_clear (RlSearchFilter *filter)
{
  g_return_if_fail (filter != NULL);

  g_clear_pointer (&filter->query, g_free);
  memset (filter, 0, sizeof *filter);
}

void
rl_search_filter_copy (const RlSearchFilter *src,
                       RlSearchFilter       *dest)
{
  g_return_if_fail (src != NULL && dest != NULL);

  *dest = *src;
  dest->query = g_strdup (src->query);
}

gboolean
rl_search_filter_is_empty (const RlSearchFilter *filter)
{
  g_return_val_if_fail (filter != NULL, TRUE);

  return (filter->query == NULL || filter->query[0] == '\0')
         && filter->categories == 0 && filter->fill_bands == 0
         && filter->statuses == 0 && filter->links == 0
         && !filter->open_alerts_only;
}

gboolean
rl_search_filter_matches (const RlSearchFilter *filter,
                          const char           *needle,
                          const RlSearchPoint  *point,
                          gint64                now_ms)
{
  g_autofree char *own_needle = NULL;

  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (point != NULL, FALSE);

  if (filter->categories != 0 && (filter->categories & point->categories) == 0)
    return FALSE;
  if (filter->fill_bands != 0
      && (filter->fill_bands & rl_search_fill_band (point->fill_level)) == 0)
    return FALSE;
  if (filter->statuses != 0 && (filter->statuses & point->status) == 0)
    return FALSE;
  if (filter->links != 0 && (filter->links & rl_search_link_state (point, now_ms)) == 0)
    return FALSE;
  if (filter->open_alerts_only && point->open_alerts == 0)
    return FALSE;

  if (needle == NULL)
    needle = own_needle = rl_search_normalize (filter->query);
  return rl_search_text_matches (needle, point->name, point->address);
}

static double
member_double (JsonObject *o,
               const char *key)
{
  JsonNode *n = json_object_get_member (o, key);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return NAN;
  if (json_node_get_value_type (n) != G_TYPE_DOUBLE && json_node_get_value_type (n) != G_TYPE_INT64)
    return NAN;
  return json_node_get_double (n);
}

static guint
categories_of (JsonObject *record)
{
  JsonNode  *n = json_object_get_member (record, "categories");
  JsonArray *a;
  guint      mask = 0;

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    return 0;
  a = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);

      if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
        mask |= rl_category_from_string (json_node_get_string (e));
    }
  return mask;
}

void
rl_search_point_from_record (JsonObject    *record,
                             guint          open_alerts,
                             RlSearchPoint *point)
{
  JsonNode   *dev;
  const char *last;
  gint64      ms = 0;

  g_return_if_fail (record != NULL && point != NULL);

  memset (point, 0, sizeof *point);
  point->name = json_object_get_string_member_with_default (record, "name", NULL);
  point->address = json_object_get_string_member_with_default (record, "address", NULL);
  point->categories = categories_of (record);
  point->status = rl_point_status_from_string (
      json_object_get_string_member_with_default (record, "status", NULL));
  point->fill_level = member_double (record, "fillLevel");
  dev = json_object_get_member (record, "deviceId");
  point->has_device = dev != NULL && JSON_NODE_HOLDS_VALUE (dev)
                      && json_node_get_value_type (dev) == G_TYPE_STRING;
  point->is_online = json_object_get_boolean_member_with_default (record, "isOnline", FALSE);
  last = json_object_get_string_member_with_default (record, "lastReadingAt", NULL);
  if (last != NULL && rl_time_parse_ms (last, &ms))
    point->last_reading_ms = ms;
  point->open_alerts = open_alerts;
}

/* ---- Store scan --------------------------------------------------------- */

GHashTable *
rl_search_open_alert_counts (RlStore *store,
                             GError **error)
{
  g_autoptr (GHashTable) counts = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (store), NULL);

  stmt = rl_store_prepare (store,
                           "SELECT drop_point_id, COUNT(*) FROM alerts"
                           " WHERE status = 'open' AND drop_point_id IS NOT NULL"
                           " GROUP BY drop_point_id",
                           error);
  if (stmt == NULL)
    return NULL;
  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (counts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GUINT_TO_POINTER ((guint) sqlite3_column_int (stmt, 1)));
  if (!rl_store_step_finished (store, stmt, rc, "Cannot count open alerts", error))
    return NULL;
  return g_steal_pointer (&counts);
}

JsonArray *
rl_search_alerts_for_point (RlStore    *store,
                            const char *drop_point_id,
                            GError    **error)
{
  g_autoptr (JsonArray) out = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (store), NULL);
  g_return_val_if_fail (drop_point_id != NULL, NULL);

  stmt = rl_store_prepare (store,
                           "SELECT json FROM alerts WHERE drop_point_id = ?1 AND status != 'resolved'"
                           " ORDER BY status = 'open' DESC, created_ms DESC",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, drop_point_id, -1, SQLITE_TRANSIENT);
  out = json_array_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 0), -1,
                                      NULL)
          && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
        json_array_add_element (out, json_node_copy (root));
    }
  if (!rl_store_step_finished (store, stmt, rc, "Cannot read alerts", error))
    return NULL;
  return g_steal_pointer (&out);
}

GPtrArray *
rl_search_run (RlStore              *store,
               const RlSearchFilter *filter,
               gint64                now_ms,
               GError              **error)
{
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GHashTable) alerts = NULL;
  g_autofree char *needle = NULL;
  sqlite3_stmt    *stmt;
  int              rc;

  g_return_val_if_fail (RL_IS_STORE (store), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  alerts = rl_search_open_alert_counts (store, error);
  if (alerts == NULL)
    return NULL;
  stmt = rl_store_prepare (store,
                           "SELECT id, name, address, status, device_id, fill_level,"
                           " is_online, last_reading_ms, json"
                           " FROM drop_points ORDER BY name, id",
                           error);
  if (stmt == NULL)
    return NULL;

  needle = rl_search_normalize (filter->query);
  ids = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char   *id = (const char *) sqlite3_column_text (stmt, 0);
      RlSearchPoint p = {
        .name = (const char *) sqlite3_column_text (stmt, 1),
        .address = (const char *) sqlite3_column_text (stmt, 2),
        .status = rl_point_status_from_string ((const char *) sqlite3_column_text (stmt, 3)),
        .has_device = sqlite3_column_type (stmt, 4) != SQLITE_NULL,
        .fill_level = sqlite3_column_type (stmt, 5) == SQLITE_NULL
                          ? NAN
                          : sqlite3_column_double (stmt, 5),
        .is_online = sqlite3_column_int (stmt, 6) != 0,
        .last_reading_ms = sqlite3_column_int64 (stmt, 7),
        .open_alerts = GPOINTER_TO_UINT (g_hash_table_lookup (alerts, id)),
      };

      /* Categories live only in the JSON record: parse it when asked for. */
      if (filter->categories != 0)
        {
          g_autoptr (JsonParser) parser = json_parser_new_immutable ();
          JsonNode *root;

          if (json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 8),
                                          -1, NULL)
              && (root = json_parser_get_root (parser)) != NULL
              && JSON_NODE_HOLDS_OBJECT (root))
            p.categories = categories_of (json_node_get_object (root));
        }

      if (rl_search_filter_matches (filter, needle, &p, now_ms))
        g_ptr_array_add (ids, g_strdup (id));
    }
  if (!rl_store_step_finished (store, stmt, rc, "Cannot read drop points", error))
    return NULL;
  return g_steal_pointer (&ids);
}

/* ---- Saved views -------------------------------------------------------- */

#define VIEWS_KEY "views"

RlSavedView *
rl_saved_view_new (const char           *name,
                   const RlSearchFilter *filter,
                   const RlViewport     *viewport)
{
  RlSavedView *view;

  g_return_val_if_fail (name != NULL, NULL);

  view = g_new0 (RlSavedView, 1);
  view->name = g_strdup (name);
  if (filter != NULL)
    rl_search_filter_copy (filter, &view->filter);
  if (viewport != NULL)
    view->viewport = *viewport;
  return view;
}

void
rl_saved_view_free (RlSavedView *view)
{
  if (view == NULL)
    return;
  g_free (view->name);
  rl_search_filter_clear (&view->filter);
  g_free (view);
}

static void
add_names (JsonBuilder       *b,
           const char        *key,
           guint              mask,
           const char *const *names,
           guint              n_names)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (guint i = 0; i < n_names; i++)
    if (mask & (1u << i))
      json_builder_add_string_value (b, names[i]);
  json_builder_end_array (b);
}

static guint
read_names (JsonObject        *o,
            const char        *key,
            const char *const *names,
            guint              n_names)
{
  JsonNode  *n = json_object_get_member (o, key);
  JsonArray *a;
  guint      mask = 0;

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    return 0;
  a = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        continue;
      for (guint k = 0; k < n_names; k++)
        if (g_ascii_strcasecmp (json_node_get_string (e), names[k]) == 0)
          mask |= 1u << k;
    }
  return mask;
}

static const char *const band_names[] = { "low", "medium", "full", "none" };
static const char *const link_names[] = { "online", "offline", "stale" };

JsonNode *
rl_saved_view_to_json (const RlSavedView *view)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (view != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, view->name);
  json_builder_set_member_name (b, "filter");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "query");
  json_builder_add_string_value (b, view->filter.query ? view->filter.query : "");
  add_names (b, "categories", view->filter.categories, category_names,
             G_N_ELEMENTS (category_names));
  add_names (b, "fillBands", view->filter.fill_bands, band_names, G_N_ELEMENTS (band_names));
  add_names (b, "statuses", view->filter.statuses, status_names, G_N_ELEMENTS (status_names));
  add_names (b, "links", view->filter.links, link_names, G_N_ELEMENTS (link_names));
  json_builder_set_member_name (b, "openAlertsOnly");
  json_builder_add_boolean_value (b, view->filter.open_alerts_only);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "viewport");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "latitude");
  json_builder_add_double_value (b, view->viewport.latitude);
  json_builder_set_member_name (b, "longitude");
  json_builder_add_double_value (b, view->viewport.longitude);
  json_builder_set_member_name (b, "zoom");
  json_builder_add_double_value (b, view->viewport.zoom);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

RlSavedView *
rl_saved_view_from_json (JsonObject *object)
{
  g_autoptr (RlSavedView) view = NULL;
  const char *name;
  JsonNode   *n;

  g_return_val_if_fail (object != NULL, NULL);

  name = json_object_get_string_member_with_default (object, "name", NULL);
  if (name == NULL || name[0] == '\0')
    return NULL;
  view = rl_saved_view_new (name, NULL, NULL);

  n = json_object_get_member (object, "filter");
  if (n != NULL && JSON_NODE_HOLDS_OBJECT (n))
    {
      JsonObject *f = json_node_get_object (n);
      const char *query = json_object_get_string_member_with_default (f, "query", "");

      view->filter.query = query[0] ? g_strdup (query) : NULL;
      view->filter.categories =
          read_names (f, "categories", category_names, G_N_ELEMENTS (category_names));
      view->filter.fill_bands = read_names (f, "fillBands", band_names, G_N_ELEMENTS (band_names));
      view->filter.statuses = read_names (f, "statuses", status_names, G_N_ELEMENTS (status_names));
      view->filter.links = read_names (f, "links", link_names, G_N_ELEMENTS (link_names));
      view->filter.open_alerts_only =
          json_object_get_boolean_member_with_default (f, "openAlertsOnly", FALSE);
    }
  n = json_object_get_member (object, "viewport");
  if (n != NULL && JSON_NODE_HOLDS_OBJECT (n))
    {
      JsonObject *v = json_node_get_object (n);
      double      lat = member_double (v, "latitude");
      double      lon = member_double (v, "longitude");
      double      zoom = member_double (v, "zoom");

      view->viewport.latitude = isfinite (lat) ? CLAMP (lat, -90, 90) : 0;
      view->viewport.longitude = isfinite (lon) ? CLAMP (lon, -180, 180) : 0;
      view->viewport.zoom = isfinite (zoom) ? CLAMP (zoom, 0, 22) : 0;
    }
  return g_steal_pointer (&view);
}

GPtrArray *
rl_search_views_load (RlStore *store)
{
  g_autoptr (GPtrArray) views =
      g_ptr_array_new_with_free_func ((GDestroyNotify) rl_saved_view_free);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode        *root, *list;

  g_return_val_if_fail (RL_IS_STORE (store), NULL);

  text = rl_store_get_meta (store, VIEWS_KEY);
  if (text == NULL)
    return g_steal_pointer (&views);
  if (!json_parser_load_from_data (parser, text, -1, &error))
    {
      g_warning ("Saved views are damaged, ignoring them: %s", error->message);
      return g_steal_pointer (&views);
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || (list = json_object_get_member (json_node_get_object (root), "views")) == NULL
      || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_warning ("Saved views are damaged, ignoring them");
      return g_steal_pointer (&views);
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode    *e = json_array_get_element (json_node_get_array (list), i);
      RlSavedView *view;

      if (JSON_NODE_HOLDS_OBJECT (e) && (view = rl_saved_view_from_json (json_node_get_object (e))))
        g_ptr_array_add (views, view);
    }
  return g_steal_pointer (&views);
}

gboolean
rl_search_views_save (RlStore   *store,
                      GPtrArray *views,
                      GError   **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (RL_IS_STORE (store), FALSE);
  g_return_val_if_fail (views != NULL, FALSE);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "views");
  json_builder_begin_array (b);
  for (guint i = 0; i < views->len; i++)
    json_builder_add_value (b, rl_saved_view_to_json (g_ptr_array_index (views, i)));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  return rl_store_set_meta (store, VIEWS_KEY, text, error);
}

gboolean
rl_search_views_put (RlStore           *store,
                     const RlSavedView *view,
                     GError           **error)
{
  g_autoptr (GPtrArray) views = NULL;
  RlSavedView *copy;
  guint        i;

  g_return_val_if_fail (RL_IS_STORE (store), FALSE);
  g_return_val_if_fail (view != NULL && view->name != NULL, FALSE);

  views = rl_search_views_load (store);
  copy = rl_saved_view_new (view->name, &view->filter, &view->viewport);
  for (i = 0; i < views->len; i++)
    if (g_strcmp0 (((RlSavedView *) g_ptr_array_index (views, i))->name, view->name) == 0)
      break;
  if (i < views->len)
    {
      rl_saved_view_free (g_ptr_array_index (views, i));
      g_ptr_array_index (views, i) = copy;
    }
  else
    g_ptr_array_add (views, copy);
  return rl_search_views_save (store, views, error);
}

gboolean
rl_search_views_remove (RlStore    *store,
                        const char *name,
                        GError    **error)
{
  g_autoptr (GPtrArray) views = NULL;

  g_return_val_if_fail (RL_IS_STORE (store), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  views = rl_search_views_load (store);
  for (guint i = 0; i < views->len; i++)
    if (g_strcmp0 (((RlSavedView *) g_ptr_array_index (views, i))->name, name) == 0)
      {
        g_ptr_array_remove_index (views, i);
        return rl_search_views_save (store, views, error);
      }
  return TRUE;
}
