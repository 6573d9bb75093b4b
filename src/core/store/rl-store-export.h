/* rl-store-export.h — a device's stored readings as CSV.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-store.h"

G_BEGIN_DECLS

/* Writes @device_id's readings history (the readings table), oldest first,
 * to @out as RFC 4180 CSV (UTF-8, CRLF, a header line):
 *   timestamp,fill_level,weight,temperature,humidity,battery_level
 * timestamp in RFC 3339 UTC with milliseconds; numbers with '.' whatever
 * the locale, as short as still reads back the same double; an empty field
 * for a value the reading did not carry. A device with no readings gives
 * the header alone. Does not close @out. FALSE with the store's or the
 * stream's error, or G_IO_ERROR_CANCELLED. */
gboolean rl_store_export_readings_csv (RlStore       *store,
                                       const char    *device_id,
                                       GOutputStream *out,
                                       GCancellable  *cancellable,
                                       GError       **error);

G_END_DECLS
