/* rl-column-sort.c — RlColumnSorter and the header → SQL order bridge.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-column-sort.h"

struct _RlColumnSorter
{
  GtkSorter parent_instance;
  char     *column;
};

G_DEFINE_FINAL_TYPE (RlColumnSorter, rl_column_sorter, GTK_TYPE_SORTER)

enum
{
  PROP_0,
  PROP_COLUMN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The probe in progress (main thread only). */
static struct
{
  gpointer        a, b;
  RlColumnSorter *primary;
} probe;

static GtkOrdering
rl_column_sorter_compare (GtkSorter *sorter,
                          gpointer   item1,
                          gpointer   item2)
{
  RlColumnSorter *self = RL_COLUMN_SORTER (sorter);

  /* Only the probe is ever compared: nothing sorts the rows in memory. */
  if (item1 != probe.a || item2 != probe.b || probe.a == NULL)
    return GTK_ORDERING_EQUAL;
  if (probe.primary == NULL)
    probe.primary = self;
  return GTK_ORDERING_SMALLER;
}

static GtkSorterOrder
rl_column_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
rl_column_sorter_finalize (GObject *object)
{
  RlColumnSorter *self = RL_COLUMN_SORTER (object);

  g_free (self->column);

  G_OBJECT_CLASS (rl_column_sorter_parent_class)->finalize (object);
}

static void
rl_column_sorter_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RlColumnSorter *self = RL_COLUMN_SORTER (object);

  switch (prop_id)
    {
    case PROP_COLUMN:
      g_value_set_string (value, self->column);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_column_sorter_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RlColumnSorter *self = RL_COLUMN_SORTER (object);

  switch (prop_id)
    {
    case PROP_COLUMN:
      g_free (self->column);
      self->column = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_column_sorter_class_init (RlColumnSorterClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  object_class->finalize = rl_column_sorter_finalize;
  object_class->get_property = rl_column_sorter_get_property;
  object_class->set_property = rl_column_sorter_set_property;
  sorter_class->compare = rl_column_sorter_compare;
  sorter_class->get_order = rl_column_sorter_get_order;

  properties[PROP_COLUMN] =
      g_param_spec_string ("column", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_column_sorter_init (RlColumnSorter *self)
{
}

RlColumnSorter *
rl_column_sorter_new (const char *column)
{
  return g_object_new (RL_TYPE_COLUMN_SORTER, "column", column, NULL);
}

const char *
rl_column_sorter_get_column (RlColumnSorter *self)
{
  g_return_val_if_fail (RL_IS_COLUMN_SORTER (self), NULL);

  return self->column;
}

/* ---- The bridge ---------------------------------------------------------------- */

/* Which column the view's sorter puts first, and whether descending. */
static RlColumnSorter *
probe_primary (GtkSorter *view_sorter,
               gboolean  *descending)
{
  g_autoptr (GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering     order;
  RlColumnSorter *primary;

  probe.a = a;
  probe.b = b;
  probe.primary = NULL;
  order = gtk_sorter_compare (view_sorter, a, b);
  primary = probe.primary;
  probe.a = probe.b = NULL;
  probe.primary = NULL;

  *descending = order == GTK_ORDERING_LARGER;
  return order == GTK_ORDERING_EQUAL ? NULL : primary;
}

static void
view_sorter_changed_cb (GtkSorter      *view_sorter,
                        GtkSorterChange change,
                        RlRecordList   *list)
{
  gboolean        descending = FALSE;
  RlColumnSorter *primary = probe_primary (view_sorter, &descending);

  rl_record_list_set_sort (list, primary != NULL ? primary->column : NULL, descending);
}

void
rl_column_view_attach_sort (GtkColumnView *view,
                            RlRecordList  *list)
{
  GListModel *columns;
  const char *current;

  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));
  g_return_if_fail (RL_IS_RECORD_LIST (list));

  /* Show the list's order (its default when none was chosen) first. */
  current = rl_record_list_get_sort_column (list);
  if (current == NULL)
    current = rl_record_list_get_default_sort (list, NULL);
  columns = gtk_column_view_get_columns (view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);

      if (RL_IS_COLUMN_SORTER (sorter)
          && g_strcmp0 (RL_COLUMN_SORTER (sorter)->column, current) == 0)
        {
          gboolean descending;

          if (rl_record_list_get_sort_column (list) != NULL)
            descending = rl_record_list_get_sort_descending (list);
          else
            rl_record_list_get_default_sort (list, &descending);
          gtk_column_view_sort_by_column (view, column,
                                          descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
          break;
        }
    }

  g_signal_connect_object (gtk_column_view_get_sorter (view), "changed",
                           G_CALLBACK (view_sorter_changed_cb), list, 0);
}

void
rl_column_view_scroll_to_top (GtkColumnView *view)
{
  GListModel *model;

  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  /* GTK 4.8 warns ("failed to scroll to given position") when there is no
   * row 0: an empty list is at its top already. */
  model = G_LIST_MODEL (gtk_column_view_get_model (view));
  if (model == NULL || g_list_model_get_n_items (model) == 0)
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      {
        gtk_widget_activate_action (child, "list.scroll-to-item", "u", 0);
        return;
      }
}
