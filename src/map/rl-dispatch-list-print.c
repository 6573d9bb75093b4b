/* rl-dispatch-list-print.c — the dispatch list on paper: a paginated table
 * drawn with cairo and Pango through GtkPrintOperation.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "rl-dispatch-list-private.h"

/* ---- Printing ----------------------------------------------------------- */

typedef struct
{
  RlDispatchList *self;
  GPtrArray      *rows;
  gint64          now_ms;
  int             rows_per_page;
  double          line_height;
} PrintJob;

#define PRINT_FONT_SIZE 9.5

static const double column_x[] = { 0.0, 0.44, 0.53, 0.66, 0.87 };

static void
print_job_free (PrintJob *job)
{
  g_ptr_array_unref (job->rows);
  g_object_unref (job->self);
  g_free (job);
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                PrintJob          *job)
{
  double height = gtk_print_context_get_height (context);
  int    pages;

  job->line_height = PRINT_FONT_SIZE * 1.8;
  job->rows_per_page = MAX (1, (int) ((height - 4 * job->line_height) / job->line_height));
  pages = MAX (1, ((int) job->rows->len + job->rows_per_page - 1) / job->rows_per_page);
  gtk_print_operation_set_n_pages (operation, pages);
}

static void
print_text (cairo_t     *cr,
            PangoLayout *layout,
            const char  *text,
            double       x,
            double       y,
            double       width)
{
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PrintJob          *job)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double   width = gtk_print_context_get_width (context);
  g_autoptr (PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  const char           *headers[] = { _ ("Name"), _ ("Fill"), _ ("Predicted Full"), _ ("Band"),
                                      _ ("Status") };
  g_autofree char      *when = rl_dl_format_local (job->now_ms, "%Y-%m-%d %H:%M");
  g_autofree char      *title =
      g_strdup_printf (_ ("Dispatch list — %u bins — %s"), job->rows->len, when);
  double y = 0;
  int    first = page_nr * job->rows_per_page;

  pango_font_description_set_size (font, (int) (PRINT_FONT_SIZE * 1.3 * PANGO_SCALE));
  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  cairo_set_source_rgb (cr, 0, 0, 0);
  print_text (cr, layout, title, 0, y, width);
  y += job->line_height * 1.6;

  pango_font_description_set_size (font, (int) (PRINT_FONT_SIZE * PANGO_SCALE));
  pango_layout_set_font_description (layout, font);
  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    print_text (cr, layout, headers[c], column_x[c] * width, y,
                ((c + 1 < G_N_ELEMENTS (column_x) ? column_x[c + 1] : 1.0) - column_x[c]) * width
                    - 6);
  y += job->line_height;
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, 0, y - 3);
  cairo_line_to (cr, width, y - 3);
  cairo_stroke (cr);

  pango_font_description_set_weight (font, PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  for (int i = first; i < (int) job->rows->len && i < first + job->rows_per_page; i++)
    {
      const RlDispatchRow *row = g_ptr_array_index (job->rows, i);
      g_autofree char     *fill = rl_dl_fill_text (row);
      g_autofree char     *predicted = rl_dl_predicted_text (row, job->now_ms);
      g_autofree char     *band = rl_dl_band_text (row, job->now_ms);
      const char          *cells[] = { row->name ? row->name : row->id, fill, predicted, band, row->status };

      for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
        print_text (
            cr, layout, cells[c] ? cells[c] : "", column_x[c] * width, y,
            ((c + 1 < G_N_ELEMENTS (column_x) ? column_x[c + 1] : 1.0) - column_x[c]) * width - 6);
      y += job->line_height;
      cairo_set_source_rgba (cr, 0, 0, 0, 0.15);
      cairo_set_line_width (cr, 0.4);
      cairo_move_to (cr, 0, y - 3);
      cairo_line_to (cr, width, y - 3);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
    }
  pango_font_description_free (font);
}

GtkPrintOperationResult
rl_dispatch_list_print (RlDispatchList         *self,
                        GtkPrintOperationAction action,
                        const char             *export_path,
                        GError                **error)
{
  g_autoptr (GtkPrintOperation) operation = NULL;
  GtkRoot                *root;
  PrintJob               *job;
  GtkPrintOperationResult result;

  g_return_val_if_fail (RL_IS_DISPATCH_LIST (self), GTK_PRINT_OPERATION_RESULT_ERROR);

  job = g_new0 (PrintJob, 1);
  job->self = g_object_ref (self);
  job->rows = rl_dl_current_rows (self);
  job->now_ms = rl_dl_current_now (self);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, _ ("Dispatch list"));
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  if (export_path != NULL)
    gtk_print_operation_set_export_filename (operation, export_path);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), job);
  g_object_set_data_full (G_OBJECT (operation), "rl-job", job, (GDestroyNotify) print_job_free);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  result = gtk_print_operation_run (operation, action,
                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, error);
  return result;
}
