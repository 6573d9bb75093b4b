/* list-view.c — a GtkColumnView over an RlRecordList, declared in XML as a page does.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "list-view.h"

typedef struct
{
  const char *title;
  const char *property;
  const char *closure; /* NULL: a string property shown as it is */
  const char *sort;    /* the RlColumnSorter's column, or NULL */
} Column;

static const Column run_columns[] = {
  { "Status", "status", "format_enum", "status" },
  { "Workflow", "workflow-name", NULL, "workflow-name" },
  { "Trigger", "trigger", "format_enum", NULL },
  { "Started", "started", "format_time", "started" },
  { "Duration", "duration", "format_int", "duration" },
  { "Attempt", "attempt", "format_int", "attempt" },
  { "Error", "error", NULL, NULL },
};

static const Column alert_columns[] = {
  { "Severity", "severity", "format_enum", "severity" },
  { "Type", "alert-type", "format_enum", "alert-type" },
  { "Drop point", "drop-point-name", NULL, "drop-point-name" },
  { "Message", "message", NULL, NULL },
  { "Opened", "created", "format_time", "created" },
  { "Status", "status", "format_enum", "status" },
};

static const Column sync_log_columns[] = {
  { "Created", "created", "format_time", "created" },
  { "Record", "record-ref", NULL, NULL },
  { "Operation", "operation", "format_enum", "operation" },
  { "Status", "status", "format_enum", "status" },
  { "Error", "error-message", NULL, NULL },
};

static char *
format_time (gpointer this,
             gint64 ms)
{
  g_autoptr (GDateTime) utc = NULL;

  if (ms == 0)
    return g_strdup ("—");
  utc = g_date_time_new_from_unix_utc (ms / 1000);
  return g_date_time_format (utc, "%Y-%m-%d %H:%M:%S");
}

static char *
format_int (gpointer this,
            gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* Closures receive an enum as its GValue; the item tells which enum. */
static char *
format_enum (gpointer this,
             gint value)
{
  return g_strdup_printf ("%d", value);
}

static char *
column_xml (const char   *item_type,
            const Column *col)
{
  g_autofree char *binding = NULL;
  g_autofree char *sorter = NULL;
  g_autofree char *lookup = g_strdup_printf ("<lookup name=\"%s\" type=\"%s\"><lookup "
                                             "name=\"item\">GtkListItem</lookup></lookup>",
                                             col->property, item_type);

  if (col->closure != NULL)
    binding = g_strdup_printf ("<closure type=\"gchararray\" function=\"%s\">%s</closure>",
                               col->closure, lookup);
  else
    binding = g_strdup (lookup);
  if (col->sort != NULL)
    sorter = g_strdup_printf ("<property name=\"sorter\"><object class=\"RlColumnSorter\">"
                              "<property name=\"column\">%s</property></object></property>",
                              col->sort);

  return g_strdup_printf (
      "<child><object class=\"GtkColumnViewColumn\">"
      "<property name=\"title\">%s</property><property name=\"resizable\">true</property>%s"
      "<property name=\"factory\"><object class=\"GtkBuilderListItemFactory\">"
      "<property name=\"bytes\"><![CDATA["
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><interface><template class=\"GtkListItem\">"
      "<property name=\"child\"><object class=\"GtkInscription\">"
      "<property name=\"xalign\">0</property><property name=\"min-chars\">8</property>"
      "<binding name=\"text\">%s</binding></object></property></template></interface>"
      "]]></property></object></property></object></child>",
      col->title, sorter != NULL ? sorter : "", binding);
}

static const char *
kind_nick (RlListKind kind)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (RL_TYPE_LIST_KIND);

  return g_enum_get_value (klass, kind)->value_nick;
}

ListView *
list_view_new (RlStore   *store,
               RlListKind kind)
{
  g_autoptr (GtkBuilderScope) scope = gtk_builder_cscope_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) xml = g_string_new (NULL);
  ListView     *lv = g_new0 (ListView, 1);
  const Column *columns;
  guint         n_columns;
  const char   *item_type;

  switch (kind)
    {
    case RL_LIST_KIND_RUNS:
      columns = run_columns, n_columns = G_N_ELEMENTS (run_columns);
      break;
    case RL_LIST_KIND_ALERTS:
      columns = alert_columns, n_columns = G_N_ELEMENTS (alert_columns);
      break;
    case RL_LIST_KIND_SYNC_LOG:
      columns = sync_log_columns, n_columns = G_N_ELEMENTS (sync_log_columns);
      break;
    default:
      g_assert_not_reached ();
    }
  item_type = g_type_name (rl_record_list_get_item_type_for_kind (kind));
  g_type_ensure (RL_TYPE_COLUMN_SORTER);
  g_type_ensure (RL_TYPE_RECORD_LIST);
  g_type_ensure (rl_record_list_get_item_type_for_kind (kind));

  g_string_append_printf (
      xml,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><interface>"
      "<object class=\"GtkScrolledWindow\" id=\"scrolled\">"
      "<property name=\"hscrollbar-policy\">never</property>"
      "<child><object class=\"GtkColumnView\" id=\"view\">"
      "<property name=\"show-row-separators\">true</property>"
      "<style><class name=\"data-table\"/></style>"
      "<property name=\"model\"><object class=\"GtkSingleSelection\" id=\"selection\">"
      "<property name=\"autoselect\">false</property>"
      "<property name=\"model\"><object class=\"RlRecordList\" id=\"list\">"
      "<property name=\"kind\">%s</property></object></property></object></property>",
      kind_nick (kind));
  for (guint i = 0; i < n_columns; i++)
    {
      g_autofree char *col = column_xml (item_type, &columns[i]);

      g_string_append (xml, col);
    }
  g_string_append (xml, "</object></child></object></interface>");

  gtk_builder_cscope_add_callback_symbols (GTK_BUILDER_CSCOPE (scope), "format_time",
                                           G_CALLBACK (format_time), "format_int",
                                           G_CALLBACK (format_int), "format_enum",
                                           G_CALLBACK (format_enum), NULL);
  lv->builder = gtk_builder_new ();
  gtk_builder_set_scope (lv->builder, scope);
  if (!gtk_builder_add_from_string (lv->builder, xml->str, (gssize) xml->len, &error))
    g_error ("list view XML: %s", error->message);

  lv->scrolled = g_object_ref_sink (GTK_WIDGET (gtk_builder_get_object (lv->builder, "scrolled")));
  lv->view = GTK_COLUMN_VIEW (gtk_builder_get_object (lv->builder, "view"));
  lv->selection = GTK_SINGLE_SELECTION (gtk_builder_get_object (lv->builder, "selection"));
  lv->list = RL_RECORD_LIST (gtk_builder_get_object (lv->builder, "list"));
  rl_column_view_attach_sort (lv->view, lv->list);
  rl_record_list_set_store (lv->list, store);
  return lv;
}

void
list_view_free (ListView *lv)
{
  g_clear_object (&lv->scrolled);
  g_clear_object (&lv->builder);
  g_free (lv);
}

GtkColumnViewColumn *
list_view_column (ListView   *lv,
                  const char *column)
{
  GListModel *columns = gtk_column_view_get_columns (lv->view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) col = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (col);

      if (RL_IS_COLUMN_SORTER (sorter)
          && g_strcmp0 (rl_column_sorter_get_column (RL_COLUMN_SORTER (sorter)), column) == 0)
        return col; /* the view holds it */
    }
  return NULL;
}
