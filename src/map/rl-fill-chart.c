/* rl-fill-chart.c — a drop point's fill history (7 days) with its forecast.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is drawn in snapshot(): axes, day ticks and the threshold as
 * colour nodes, labels as Pango layouts, the fill line through a cairo node
 * (GTK 4.8 has no GskPath). The summary for assistive technologies says in
 * words what the picture says.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "rl-fill-chart.h"

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)
#define DAY_MS (24 * HOUR_MS)
#define HISTORY_MS (7 * DAY_MS)
#define FUTURE_MS DAY_MS
#define PAD_LEFT 40.0
#define PAD_RIGHT 12.0
#define PAD_TOP 10.0
#define PAD_BOTTOM 24.0

struct _RlFillChart
{
  GtkWidget parent_instance;

  GArray    *samples; /* RlFillSample, sorted */
  gint64     end_ms;
  RlForecast forecast;
  gboolean   has_forecast;
  double     threshold;
  char      *summary;
};

G_DEFINE_FINAL_TYPE (RlFillChart, rl_fill_chart, GTK_TYPE_WIDGET)

static int
cmp_sample (gconstpointer a,
            gconstpointer b)
{
  const RlFillSample *x = a, *y = b;

  return (x->ts_ms > y->ts_ms) - (x->ts_ms < y->ts_ms);
}

static char *
format_time (gint64 ms)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);

  return dt ? g_date_time_format (dt, "%a %H:%M") : g_strdup ("?");
}

static void
update_summary (RlFillChart *self)
{
  g_autofree char *history = NULL;
  g_autofree char *future = NULL;
  double           min = INFINITY, max = -INFINITY;
  guint            collections = 0;

  for (guint i = 0; i < self->samples->len; i++)
    {
      const RlFillSample *p = &g_array_index (self->samples, RlFillSample, i);

      min = MIN (min, p->fill);
      max = MAX (max, p->fill);
      if (i > 0 && p->fill <= g_array_index (self->samples, RlFillSample, i - 1).fill - 20)
        collections++;
    }

  if (self->samples->len == 0)
    history = g_strdup (_ ("Fill history of the last 7 days: no readings."));
  else
    {
      const RlFillSample *last =
          &g_array_index (self->samples, RlFillSample, self->samples->len - 1);
      g_autofree char *when = format_time (last->ts_ms);

      history = g_strdup_printf (
          _ ("Fill history of the last 7 days: %u readings between %.0f %% and %.0f %%, "
             "%u emptied, last %.0f %% at %s."),
          self->samples->len, min, max, collections, last->fill, when);
    }
  if (self->has_forecast && self->forecast.status == RL_FORECAST_PREDICTED)
    {
      g_autofree char *at = format_time (self->forecast.full_at_ms);
      g_autofree char *lo = format_time (self->forecast.earliest_ms);
      g_autofree char *hi = self->forecast.latest_ms == G_MAXINT64
                                ? g_strdup (_ ("later"))
                                : format_time (self->forecast.latest_ms);

      future = g_strdup_printf (_ ("Predicted to reach %.0f %% at %s (between %s and %s)."),
                                self->threshold, at, lo, hi);
    }
  else if (self->has_forecast && self->forecast.status == RL_FORECAST_NOW)
    future = g_strdup_printf (_ ("Already above %.0f %%."), self->threshold);

  g_free (self->summary);
  self->summary = future ? g_strdup_printf ("%s %s", history, future) : g_steal_pointer (&history);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), self->summary);
}

/* ---- Drawing ------------------------------------------------------------ */

typedef struct
{
  double x0, y0, w, h;
  gint64 t0, t1;
} Frame;

static double
x_of (const Frame *f,
      gint64       t)
{
  return f->x0 + f->w * (double) (CLAMP (t, f->t0, f->t1) - f->t0) / (double) (f->t1 - f->t0);
}

static double
y_of (const Frame *f,
      double       fill)
{
  return f->y0 + f->h * (1.0 - CLAMP (fill, 0, 100) / 100.0);
}

static void
fill_rect (GtkSnapshot   *snapshot,
           const GdkRGBA *color,
           double         x,
           double         y,
           double         w,
           double         h)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, w, h));
}

static void
draw_label (RlFillChart   *self,
            GtkSnapshot   *snapshot,
            const char    *text,
            double         x,
            double         y,
            double         xalign,
            const GdkRGBA *color)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();
  int            w, h;

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.8));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT ((float) (x - xalign * w), (float) (y - h / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
rl_fill_chart_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  RlFillChart *self = RL_FILL_CHART (widget);
  double       width = gtk_widget_get_width (widget);
  double       height = gtk_widget_get_height (widget);
  GdkRGBA      fg, grid, dim, line = { 0.208f, 0.518f, 0.894f, 1.0f }; /* blue 3 */
  GdkRGBA      red = { 0.878f, 0.106f, 0.141f, 0.9f };                 /* red 3 */
  GdkRGBA      band = { 0.902f, 0.380f, 0.0f, 0.22f };                 /* orange 4 */
  GdkRGBA      orange = { 0.902f, 0.380f, 0.0f, 1.0f };
  Frame        f;
  gboolean     future;

  if (width < PAD_LEFT + PAD_RIGHT + 10 || height < PAD_TOP + PAD_BOTTOM + 10)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  grid = fg;
  grid.alpha = 0.12f;
  dim = fg;
  dim.alpha = 0.55f;

  future = self->has_forecast
           && (self->forecast.status == RL_FORECAST_PREDICTED
               || self->forecast.status == RL_FORECAST_NOW);
  f.x0 = PAD_LEFT;
  f.y0 = PAD_TOP;
  f.w = width - PAD_LEFT - PAD_RIGHT;
  f.h = height - PAD_TOP - PAD_BOTTOM;
  f.t1 = self->end_ms + (future ? FUTURE_MS : 0);
  f.t0 = self->end_ms - HISTORY_MS;

  /* Horizontal grid at 0, 50, 100 % with labels. */
  for (int pct = 0; pct <= 100; pct += 50)
    {
      g_autofree char *label = g_strdup_printf ("%d %%", pct);

      fill_rect (snapshot, &grid, f.x0, floor (y_of (&f, pct)), f.w, 1);
      draw_label (self, snapshot, label, f.x0 - 6, y_of (&f, pct), 1.0, &dim);
    }

  /* Day ticks at local midnights, labelled with the weekday. */
  {
    g_autoptr (GDateTime) start = g_date_time_new_from_unix_local (f.t0 / 1000);
    g_autoptr (GDateTime) day = NULL;

    if (start != NULL)
      day = g_date_time_new_local (g_date_time_get_year (start), g_date_time_get_month (start),
                                   g_date_time_get_day_of_month (start), 0, 0, 0);
    for (int i = 0; day != NULL && i < 10; i++)
      {
        g_autoptr (GDateTime) next = g_date_time_add_days (day, 1);
        gint64 t = g_date_time_to_unix (day) * 1000;
        gint64 noon = t + 12 * HOUR_MS;

        if (t >= f.t0 && t <= f.t1)
          fill_rect (snapshot, &grid, floor (x_of (&f, t)), f.y0, 1, f.h + 4);
        if (noon > f.t0 && noon < f.t1)
          {
            g_autofree char *label = g_date_time_format (day, "%a");

            draw_label (self, snapshot, label, x_of (&f, noon), f.y0 + f.h + PAD_BOTTOM / 2 + 2,
                        0.5, &dim);
          }
        g_clear_pointer (&day, g_date_time_unref);
        day = g_steal_pointer (&next);
      }
  }

  /* Forecast band and point, under the line. */
  if (future && self->forecast.status == RL_FORECAST_PREDICTED)
    {
      gint64 lo = self->forecast.earliest_ms;
      gint64 hi = self->forecast.latest_ms == G_MAXINT64 ? f.t1 : self->forecast.latest_ms;

      if (lo < f.t1)
        fill_rect (snapshot, &band, x_of (&f, lo), f.y0, MAX (2, x_of (&f, hi) - x_of (&f, lo)),
                   f.h);
    }

  /* Threshold. */
  fill_rect (snapshot, &red, f.x0, floor (y_of (&f, self->threshold)), f.w, 1);

  /* "Now" marker between history and future. */
  if (future)
    fill_rect (snapshot, &dim, floor (x_of (&f, self->end_ms)), f.y0, 1, f.h);

  /* The fill line. */
  if (self->samples->len > 0)
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      gboolean started = FALSE;

      cairo_set_line_width (cr, 2.0);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      gdk_cairo_set_source_rgba (cr, &line);
      for (guint i = 0; i < self->samples->len; i++)
        {
          const RlFillSample *p = &g_array_index (self->samples, RlFillSample, i);

          if (p->ts_ms < f.t0 || p->ts_ms > self->end_ms)
            continue;
          if (!started)
            cairo_move_to (cr, x_of (&f, p->ts_ms), y_of (&f, p->fill));
          else
            cairo_line_to (cr, x_of (&f, p->ts_ms), y_of (&f, p->fill));
          started = TRUE;
        }
      cairo_stroke (cr);

      /* The forecast: a dashed segment from the last reading to the threshold. */
      if (future && self->forecast.status == RL_FORECAST_PREDICTED
          && self->forecast.full_at_ms <= f.t1 && isfinite (self->forecast.level))
        {
          double dash[] = { 4.0, 3.0 };
          double px = x_of (&f, self->forecast.full_at_ms), py = y_of (&f, self->threshold);

          cairo_set_dash (cr, dash, 2, 0);
          gdk_cairo_set_source_rgba (cr, &orange);
          cairo_move_to (cr, x_of (&f, self->forecast.last_ts_ms), y_of (&f, self->forecast.level));
          cairo_line_to (cr, px, py);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
          cairo_arc (cr, px, py, 4.0, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      cairo_destroy (cr);
    }
  else
    draw_label (self, snapshot, _ ("No readings in the last 7 days"),
                f.x0 + f.w / 2, f.y0 + f.h / 2, 0.5, &dim);
}

static void
rl_fill_chart_measure (GtkWidget     *widget,
                       GtkOrientation orientation,
                       int            for_size,
                       int           *minimum,
                       int           *natural,
                       int           *minimum_baseline,
                       int           *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 420;
    }
  else
    {
      *minimum = 140;
      *natural = 180;
    }
}

/* ---- GObject ------------------------------------------------------------ */

static void
rl_fill_chart_finalize (GObject *object)
{
  RlFillChart *self = RL_FILL_CHART (object);

  g_clear_pointer (&self->samples, g_array_unref);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (rl_fill_chart_parent_class)->finalize (object);
}

static void
rl_fill_chart_class_init (RlFillChartClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = rl_fill_chart_finalize;
  widget_class->snapshot = rl_fill_chart_snapshot;
  widget_class->measure = rl_fill_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "fillchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rl_fill_chart_init (RlFillChart *self)
{
  self->samples = g_array_new (FALSE, FALSE, sizeof (RlFillSample));
  self->threshold = 85.0;
  self->end_ms = g_get_real_time () / 1000;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Fill history chart"),
                                  -1);
  update_summary (self);
}

GtkWidget *
rl_fill_chart_new (void)
{
  return g_object_new (RL_TYPE_FILL_CHART, NULL);
}

void
rl_fill_chart_set_samples (RlFillChart        *self,
                           const RlFillSample *samples,
                           gsize               n_samples,
                           gint64              end_ms)
{
  g_return_if_fail (RL_IS_FILL_CHART (self));
  g_return_if_fail (samples != NULL || n_samples == 0);

  g_array_set_size (self->samples, 0);
  for (gsize i = 0; i < n_samples; i++)
    if (isfinite (samples[i].fill) && samples[i].ts_ms >= end_ms - HISTORY_MS
        && samples[i].ts_ms <= end_ms)
      g_array_append_val (self->samples, samples[i]);
  g_array_sort (self->samples, cmp_sample);
  self->end_ms = end_ms;
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
rl_fill_chart_set_forecast (RlFillChart      *self,
                            const RlForecast *forecast)
{
  g_return_if_fail (RL_IS_FILL_CHART (self));

  self->has_forecast = forecast != NULL;
  if (forecast != NULL)
    self->forecast = *forecast;
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
rl_fill_chart_set_threshold (RlFillChart *self,
                             double       threshold)
{
  g_return_if_fail (RL_IS_FILL_CHART (self));

  self->threshold = CLAMP (threshold, 0, 100);
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
rl_fill_chart_get_n_samples (RlFillChart *self)
{
  g_return_val_if_fail (RL_IS_FILL_CHART (self), 0);

  return self->samples->len;
}

const char *
rl_fill_chart_get_summary (RlFillChart *self)
{
  g_return_val_if_fail (RL_IS_FILL_CHART (self), NULL);

  return self->summary;
}
