/* rl-store-outbox-private.h — what rl-store-outbox.c and rl-store-outbox-settle.c share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-store-outbox.h"

G_BEGIN_DECLS

/* Notes ("outbox", @id) for the store monitor. */
void rl_outbox_store_note_outbox (RlStore *self,
                                  gint64   id);
/* Writes @record as the cached @entity record. @conditional: only when its
 * version is not lower than the cached one. */
gboolean rl_outbox_store_write_record (RlStore    *self,
                                       const char *entity,
                                       JsonObject *record,
                                       gboolean    conditional,
                                       GError    **error);

G_END_DECLS
