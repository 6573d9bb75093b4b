/* rl-ui-errors.h — the words the console shows for an error: core returns
 * codes (its English messages are for logs), the UI says them here.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A translated sentence for @error, keyed by its domain and code: RL_ERROR
 * (a server's own message follows as detail: it is the server's text),
 * RL_SESSION_ERROR, RL_SECRETS_ERROR, RL_STORE_ERROR, RL_FEED_ERROR,
 * RL_URL_ERROR (worded for the kind of address), G_IO_ERROR and
 * G_RESOLVER_ERROR network codes. Errors of the UI's own domains (already
 * translated where they are set) and other libraries' (translated by those
 * libraries) keep their message. Never NULL. */
char *rl_ui_error_message (const GError *error);

G_END_DECLS
