/* rl-page.h — abstract base of the main view's pages: holds the session.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_PAGE (rl_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (RlPage, rl_page, RL, PAGE, GtkWidget)

struct _RlPageClass
{
  GtkWidgetClass parent_class;

  /* Called when the session or its state or role changed (for what a
   * binding in the page's template cannot do). */
  void (*session_changed) (RlPage *self);
};

RlSession    *rl_page_get_session (RlPage *self);
void          rl_page_set_session (RlPage    *self,
                                   RlSession *session);
GCancellable *rl_page_get_cancellable (RlPage *self);
/* Shows @message in the nearest AdwToastOverlay around the page (the
 * window's); nothing when there is none. */
void rl_page_toast (RlPage     *self,
                    const char *message);

/* The shared class set-up of every page: its template, a bin layout, the
 * template's dispose, and the closure "describe_session" for the
 * template's expressions. Call it from the subclass's class_init. */
void rl_page_class_set_template (RlPageClass *klass,
                                 const char  *resource_path);

/* The line every placeholder page shows under what will be there, from the
 * session's state and server (a closure for .ui expressions:
 * <closure type="gchararray" function="describe_session">). */
char *rl_page_describe_session (gpointer       this_,
                                RlSessionState state,
                                const char    *server_url);

G_END_DECLS
