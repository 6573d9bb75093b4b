/* rl-map-legend.c — the map's key: fill bands and state symbols.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The symbols are drawn by rl_map_class_snapshot_symbol(), the function the
 * layer draws with, so legend and map cannot disagree.
 */

#include "config.h"

#include "rl-map-legend.h"
#include "rl-map-layer.h"
#include "rl-map-resources.h"

struct _RlMapLegend
{
  GtkWidget parent_instance;

  GtkBox *fill_rows;
  GtkBox *state_rows;
};

G_DEFINE_FINAL_TYPE (RlMapLegend, rl_map_legend, GTK_TYPE_WIDGET)

#define SYMBOL_SIZE 20

static GtkWidget *
make_row (RlMapClass klass)
{
  GtkWidget   *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GdkPaintable) paintable = NULL;
  GtkWidget *picture;
  GtkWidget *label;

  rl_map_class_snapshot_symbol (klass, snapshot, SYMBOL_SIZE / 2.f, SYMBOL_SIZE / 2.f, 6.f);
  paintable =
      gtk_snapshot_free_to_paintable (snapshot, &GRAPHENE_SIZE_INIT (SYMBOL_SIZE, SYMBOL_SIZE));
  picture = gtk_picture_new_for_paintable (paintable);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), FALSE);
  gtk_picture_set_alternative_text (GTK_PICTURE (picture), rl_map_class_get_label (klass));
  gtk_widget_set_size_request (picture, SYMBOL_SIZE, SYMBOL_SIZE);
  gtk_widget_set_valign (picture, GTK_ALIGN_CENTER);

  label = gtk_label_new (rl_map_class_get_label (klass));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption");

  gtk_box_append (GTK_BOX (row), picture);
  gtk_box_append (GTK_BOX (row), label);
  return row;
}

static void
rl_map_legend_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), RL_TYPE_MAP_LEGEND);
  /* GTK 4.8 leaves unbound template children in place. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (rl_map_legend_parent_class)->dispose (object);
}

static void
rl_map_legend_class_init (RlMapLegendClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_map_legend_dispose;

  /* A static library's resource constructor may never be linked in. */
  rl_map_register_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/reloop/Console/map/rl-map-legend.ui");
  gtk_widget_class_bind_template_child (widget_class, RlMapLegend, fill_rows);
  gtk_widget_class_bind_template_child (widget_class, RlMapLegend, state_rows);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "rl-map-legend");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
rl_map_legend_init (RlMapLegend *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (RlMapClass k = RL_MAP_CLASS_LOW; k <= RL_MAP_CLASS_FULL; k++)
    gtk_box_append (self->fill_rows, make_row (k));
  for (RlMapClass k = RL_MAP_CLASS_NO_READING; k < RL_MAP_N_CLASSES; k++)
    gtk_box_append (self->state_rows, make_row (k));
}

GtkWidget *
rl_map_legend_new (void)
{
  return g_object_new (RL_TYPE_MAP_LEGEND, NULL);
}
