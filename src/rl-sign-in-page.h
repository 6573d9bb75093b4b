/* rl-sign-in-page.h — server, email and password; signs the session in.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_SIGN_IN_PAGE (rl_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (RlSignInPage, rl_sign_in_page, RL, SIGN_IN_PAGE, GtkWidget)

RlSignInPage *rl_sign_in_page_new (RlSession *session,
                                   GSettings *settings);
/* Fills the fields (NULL leaves one as it is) and clears the password. */
void rl_sign_in_page_fill (RlSignInPage *self,
                           const char   *server_url,
                           const char   *email);
void rl_sign_in_page_set_password (RlSignInPage *self,
                                   const char   *password);
/* Shows a message in place (NULL hides it). */
void rl_sign_in_page_show_error (RlSignInPage *self,
                                 const char   *message);
/* The message shown in place, or NULL when none is. */
const char *rl_sign_in_page_get_error (RlSignInPage *self);
/* Validates the fields and, when they are valid, signs in; returns FALSE
 * (with the reason shown in place) when they are not. Emits "signed-in"
 * when the server accepted. */
gboolean rl_sign_in_page_submit (RlSignInPage *self);
gboolean rl_sign_in_page_get_busy (RlSignInPage *self);
void     rl_sign_in_page_focus (RlSignInPage *self);

G_END_DECLS
