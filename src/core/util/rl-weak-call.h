/* rl-weak-call.h — user data for an async call that does not keep its object alive.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A widget that passes g_object_ref (self) to an async call lives on after
 * its parent disposed it, until the call's callback runs. With GTK 4.8 that
 * is a bug, not only a delay: a widget bound to its parent by a .ui
 * <binding> (<lookup name="session">RlMapPage</lookup>) and finalized after
 * the parent's dispose unwatches an expression on the disposed parent
 * ("g_object_weak_unref: couldn't find weak ref", a WARNING). So widgets hand
 * their async calls an RlWeakCall instead: the callback gets the widget back
 * if it is still there, NULL if it is gone, and finishes the call either way.
 *
 *   rl_thing_do_async (…, cancellable, done_cb, rl_weak_call_new (self));
 *
 *   static void
 *   done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
 *   {
 *     g_autoptr (RlPanel) self = rl_weak_call_finish (user_data);
 *     g_autoptr (Thing) thing = rl_thing_do_finish (…, result, &error);
 *
 *     if (self == NULL)
 *       return;
 *     …
 *   }
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  GWeakRef object;
} RlWeakCall;

static inline RlWeakCall *
rl_weak_call_new (gpointer object)
{
  RlWeakCall *call = g_new0 (RlWeakCall, 1);

  g_return_val_if_fail (G_IS_OBJECT (object), NULL);

  g_weak_ref_init (&call->object, object);
  return call;
}

/* Frees @call; returns a new reference to its object, or NULL when gone. */
static inline gpointer
rl_weak_call_finish (RlWeakCall *call)
{
  gpointer object;

  g_return_val_if_fail (call != NULL, NULL);

  object = g_weak_ref_get (&call->object);
  g_weak_ref_clear (&call->object);
  g_free (call);
  return object;
}

G_END_DECLS
