/* rl-store-export.c — a device's stored readings as CSV.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-store-export.h"

#include <string.h>

#include "rl-store-private.h"
#include "rl-time.h"

/* Written to the stream in pieces of about this size. */
#define CHUNK (64 * 1024)

/* A field, quoted (RFC 4180) when it holds a comma, a quote, CR or LF. */
static void
append_field (GString    *out,
              const char *field)
{
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The shortest of %.15g, %.16g, %.17g that reads back as @value, in the C
 * locale's notation; empty for NULL. */
static void
append_number (GString      *out,
               sqlite3_stmt *stmt,
               int           column)
{
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };
  char                     buf[G_ASCII_DTOSTR_BUF_SIZE];
  double                   value;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return;
  value = sqlite3_column_double (stmt, column);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  append_field (out, buf);
}

static gboolean
flush (GString       *buffer,
       GOutputStream *out,
       GCancellable  *cancellable,
       GError       **error)
{
  gboolean ok = g_output_stream_write_all (out, buffer->str, buffer->len, NULL, cancellable, error);

  g_string_truncate (buffer, 0);
  return ok;
}

gboolean
rl_store_export_readings_csv (RlStore       *store,
                              const char    *device_id,
                              GOutputStream *out,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr (GString) buffer = NULL;
  sqlite3_stmt *stmt;
  gboolean      ok = TRUE;
  int           rc;

  g_return_val_if_fail (RL_IS_STORE (store), FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  stmt = rl_store_prepare (store,
                           "SELECT ts_ms, fill_level, weight, temperature, humidity, battery_level"
                           " FROM readings WHERE device_id = ? ORDER BY ts_ms",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_TRANSIENT);

  buffer = g_string_sized_new (CHUNK + 256);
  g_string_append (buffer, "timestamp,fill_level,weight,temperature,humidity,battery_level\r\n");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *when = rl_time_format_ms (sqlite3_column_int64 (stmt, 0));

      append_field (buffer, when);
      for (int column = 1; column <= 5; column++)
        {
          g_string_append_c (buffer, ',');
          append_number (buffer, stmt, column);
        }
      g_string_append (buffer, "\r\n");
      if (buffer->len >= CHUNK && !(ok = flush (buffer, out, cancellable, error)))
        break;
    }
  if (ok && rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      rl_store_set_error_from_db (store, error, "Cannot read readings");
      ok = FALSE;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (!ok)
    return FALSE;
  if (buffer->len > 0 && !flush (buffer, out, cancellable, error))
    return FALSE;
  return g_output_stream_flush (out, cancellable, error);
}
