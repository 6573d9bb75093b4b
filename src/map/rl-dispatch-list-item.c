/* rl-dispatch-list-item.c — one row of the dispatch list as a GObject, and
 * the texts of its cells.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The columns of ui/map/rl-dispatch-list.ui bind their labels to these
 * properties. The texts are formatted when a cell asks (only the rows on
 * screen are), against the time the list was built for.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "rl-dispatch-list-private.h"

struct _RlDispatchItem
{
  GObject        parent_instance;
  RlDispatchRow *row;
  gint64         now_ms;
};

G_DEFINE_FINAL_TYPE (RlDispatchItem, rl_dispatch_item, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ADDRESS,
  PROP_FILL_LEVEL,
  PROP_FULL_AT,
  PROP_FORECAST_STATUS,
  PROP_FILL_TEXT,
  PROP_PREDICTED_TEXT,
  PROP_BAND_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Texts -------------------------------------------------------------- */

char *
rl_dl_format_local (gint64      ms,
                    const char *format)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);

  return dt ? g_date_time_format (dt, format) : g_strdup ("?");
}

/* "16:40", or "Sun 02:40" when not on the day of @now_ms. */
static char *
format_short (gint64 ms,
              gint64 now_ms)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);

  if (dt == NULL || now == NULL)
    return g_strdup ("?");
  if (g_date_time_get_year (dt) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (dt) == g_date_time_get_day_of_year (now))
    return g_date_time_format (dt, "%H:%M");
  return g_date_time_format (dt, "%a %H:%M");
}

char *
rl_dl_predicted_text (const RlDispatchRow *row,
                      gint64               now_ms)
{
  if (row->forecast.status == RL_FORECAST_NOW)
    return g_strdup (_ ("Full now"));
  if (row->forecast.full_at_ms < now_ms)
    {
      g_autofree char *t = format_short (row->forecast.full_at_ms, now_ms);

      return g_strdup_printf (_ ("Since %s"), t);
    }
  return format_short (row->forecast.full_at_ms, now_ms);
}

char *
rl_dl_band_text (const RlDispatchRow *row,
                 gint64               now_ms)
{
  g_autofree char *lo = NULL;
  g_autofree char *hi = NULL;

  if (row->forecast.status != RL_FORECAST_PREDICTED)
    return g_strdup ("—");
  lo = format_short (row->forecast.earliest_ms, now_ms);
  hi = row->forecast.latest_ms == G_MAXINT64 ? g_strdup (_ ("later"))
                                             : format_short (row->forecast.latest_ms, now_ms);
  return g_strdup_printf ("%s – %s", lo, hi);
}

char *
rl_dl_fill_text (const RlDispatchRow *row)
{
  return isfinite (row->fill_level) ? g_strdup_printf ("%.0f %%", row->fill_level) : g_strdup ("—");
}

/* ---- GObject ------------------------------------------------------------ */

static void
rl_dispatch_item_finalize (GObject *object)
{
  g_clear_pointer (&RL_DISPATCH_ITEM (object)->row, rl_dispatch_row_free);

  G_OBJECT_CLASS (rl_dispatch_item_parent_class)->finalize (object);
}

static void
rl_dispatch_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RlDispatchItem      *self = RL_DISPATCH_ITEM (object);
  const RlDispatchRow *row = self->row;

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, row->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, row->name != NULL ? row->name : row->id);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, row->address);
      break;
    case PROP_FILL_LEVEL:
      g_value_set_double (value, isfinite (row->fill_level) ? row->fill_level : -1.0);
      break;
    case PROP_FULL_AT:
      g_value_set_int64 (value, row->forecast.full_at_ms);
      break;
    case PROP_FORECAST_STATUS:
      g_value_set_enum (value, row->forecast.status);
      break;
    case PROP_FILL_TEXT:
      g_value_take_string (value, rl_dl_fill_text (row));
      break;
    case PROP_PREDICTED_TEXT:
      g_value_take_string (value, rl_dl_predicted_text (row, self->now_ms));
      break;
    case PROP_BAND_TEXT:
      g_value_take_string (value, rl_dl_band_text (row, self->now_ms));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_dispatch_item_class_init (RlDispatchItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = rl_dispatch_item_finalize;
  object_class->get_property = rl_dispatch_item_get_property;

  /* An item never changes: a new build makes new items. */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  /* The point's name, or its id when it has none. */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, ro);
  /* Percent, -1 when there is no reading. */
  properties[PROP_FILL_LEVEL] =
      g_param_spec_double ("fill-level", NULL, NULL, -1.0, G_MAXDOUBLE, -1.0, ro);
  properties[PROP_FULL_AT] =
      g_param_spec_int64 ("full-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_FORECAST_STATUS] =
      g_param_spec_enum ("forecast-status", NULL, NULL, RL_TYPE_FORECAST_STATUS,
                         RL_FORECAST_INSUFFICIENT_DATA, ro);
  /* The cells' texts: "64 %", "16:40" / "Full now" / "Since 09:10", "15:10 – 18:30". */
  properties[PROP_FILL_TEXT] = g_param_spec_string ("fill-text", NULL, NULL, NULL, ro);
  properties[PROP_PREDICTED_TEXT] = g_param_spec_string ("predicted-text", NULL, NULL, NULL, ro);
  properties[PROP_BAND_TEXT] = g_param_spec_string ("band-text", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_dispatch_item_init (RlDispatchItem *self)
{
}

/* ---- API ---------------------------------------------------------------- */

RlDispatchItem *
rl_dl_item_new (RlDispatchRow *row,
                gint64         now_ms)
{
  RlDispatchItem *self = g_object_new (RL_TYPE_DISPATCH_ITEM, NULL);

  self->row = row;
  self->now_ms = now_ms;
  return self;
}

const RlDispatchRow *
rl_dispatch_item_get_row (RlDispatchItem *self)
{
  g_return_val_if_fail (RL_IS_DISPATCH_ITEM (self), NULL);

  return self->row;
}
