/* rl-sparkline.c — a small line of per-second counts (the Feed dialog's rate).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One cairo path in snapshot, scaled to the largest value, filled beneath
 * in the accent colour at low alpha; the widget's colour (the theme's
 * foreground) for a flat line at zero. Its accessible description is set
 * by the owner, which knows what the numbers mean.
 */
#include "config.h"

#include "rl-sparkline.h"

#define SPARKLINE_HEIGHT 48
#define SPARKLINE_MIN_WIDTH 160

struct _RlSparkline
{
  GtkWidget parent_instance;

  GArray *values; /* guint32 */
  guint32 max;
};

G_DEFINE_FINAL_TYPE (RlSparkline, rl_sparkline, GTK_TYPE_WIDGET)

static void
rl_sparkline_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  RlSparkline *self = RL_SPARKLINE (widget);
  int          width = gtk_widget_get_width (widget);
  int          height = gtk_widget_get_height (widget);
  GdkRGBA      color, fill;
  cairo_t     *cr;
  double       step, top = 2, bottom = height - 1.5;
  guint        n = self->values->len;

  if (width <= 0 || height <= 0 || n < 2)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  /* libadwaita's default accent (the theme's @accent_color). */
  gdk_rgba_parse (&fill, "#3584e4");

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* The baseline. */
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.15);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, 0, bottom + 0.5);
  cairo_line_to (cr, width, bottom + 0.5);
  cairo_stroke (cr);

  step = (double) width / (n - 1);
  cairo_move_to (cr, 0, bottom);
  for (guint i = 0; i < n; i++)
    {
      guint32 v = g_array_index (self->values, guint32, i);
      double  y = self->max > 0 ? bottom - (bottom - top) * v / self->max : bottom;

      cairo_line_to (cr, i * step, y);
    }
  cairo_line_to (cr, width, bottom);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, fill.red, fill.green, fill.blue, 0.25);
  cairo_fill_preserve (cr);
  cairo_new_path (cr);
  for (guint i = 0; i < n; i++)
    {
      guint32 v = g_array_index (self->values, guint32, i);
      double  y = self->max > 0 ? bottom - (bottom - top) * v / self->max : bottom;

      if (i == 0)
        cairo_move_to (cr, 0, y);
      else
        cairo_line_to (cr, i * step, y);
    }
  cairo_set_source_rgba (cr, fill.red, fill.green, fill.blue, 1);
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
rl_sparkline_measure (GtkWidget     *widget,
                      GtkOrientation orientation,
                      int            for_size,
                      int           *minimum,
                      int           *natural,
                      int           *minimum_baseline,
                      int           *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = SPARKLINE_MIN_WIDTH;
  else
    *minimum = *natural = SPARKLINE_HEIGHT;
}

static void
rl_sparkline_finalize (GObject *object)
{
  RlSparkline *self = RL_SPARKLINE (object);

  g_array_unref (self->values);

  G_OBJECT_CLASS (rl_sparkline_parent_class)->finalize (object);
}

static void
rl_sparkline_class_init (RlSparklineClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = rl_sparkline_finalize;
  widget_class->snapshot = rl_sparkline_snapshot;
  widget_class->measure = rl_sparkline_measure;
  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rl_sparkline_init (RlSparkline *self)
{
  self->values = g_array_new (FALSE, TRUE, sizeof (guint32));
}

GtkWidget *
rl_sparkline_new (void)
{
  return g_object_new (RL_TYPE_SPARKLINE, NULL);
}

void
rl_sparkline_set_values (RlSparkline   *self,
                         const guint32 *values,
                         guint          n)
{
  g_return_if_fail (RL_IS_SPARKLINE (self));
  g_return_if_fail (values != NULL || n == 0);

  g_array_set_size (self->values, 0);
  g_array_append_vals (self->values, values, n);
  self->max = 0;
  for (guint i = 0; i < n; i++)
    self->max = MAX (self->max, values[i]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint32
rl_sparkline_get_max (RlSparkline *self)
{
  g_return_val_if_fail (RL_IS_SPARKLINE (self), 0);
  return self->max;
}
