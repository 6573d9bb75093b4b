/* gui-test-keys.h — keys pressed as a person presses them, for the widget
 * tests: the X server's XTEST extension makes real key events on the
 * display (Xvfb), which reach GTK through the X11 backend like typed keys
 * (XInput 2, focus, shortcut controllers, key bindings), instead of calling
 * the action a shortcut would run.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libXtst is loaded at run time (libxtst6 comes with at-spi2-core, which
 * the end-to-end tests need anyway; its -dev package is not a build
 * dependency). The window must be the X input focus: without a window
 * manager gtk_window_present () gives it (XSetInputFocus).
 */
#pragma once

#include <dlfcn.h>
#include <gdk/x11/gdkx.h>
#include <gtk/gtk.h>

#include <X11/keysym.h>

typedef int (*GuiTestFakeKeyFunc) (Display      *display,
                                   unsigned int  keycode,
                                   int           is_press,
                                   unsigned long delay);

static inline GuiTestFakeKeyFunc
gui_test_fake_key_func (void)
{
  static GuiTestFakeKeyFunc func;

  if (func == NULL)
    {
      void *lib = dlopen ("libXtst.so.6", RTLD_NOW | RTLD_GLOBAL);

      if (lib == NULL)
        g_error ("libXtst.so.6 is needed to press keys: %s", dlerror ());
      func = (GuiTestFakeKeyFunc) dlsym (lib, "XTestFakeKeyEvent");
      if (func == NULL)
        g_error ("no XTestFakeKeyEvent in libXtst: %s", dlerror ());
    }
  return func;
}

/* Presses @keyval with @mods (GDK_ALT_MASK, GDK_CONTROL_MASK and/or
 * GDK_SHIFT_MASK held down around it) on @widget's display, and waits
 * until GTK has handled the events. The key goes wherever the focus is,
 * as for a person: grab the focus first. */
static inline void
gui_test_press_key (GtkWidget      *widget,
                    guint           keyval,
                    GdkModifierType mods)
{
  GdkDisplay        *display = gtk_widget_get_display (widget);
  GuiTestFakeKeyFunc fake = gui_test_fake_key_func ();
  Display           *x;
  unsigned int       held[3];
  guint              n_held = 0;
  unsigned int       key;
  gint64             until;

  if (!GDK_IS_X11_DISPLAY (display))
    g_error ("pressing keys needs the X11 backend (run under Xvfb)");
  x = gdk_x11_display_get_xdisplay (display);
  if (mods & GDK_CONTROL_MASK)
    held[n_held++] = XKeysymToKeycode (x, XK_Control_L);
  if (mods & GDK_ALT_MASK)
    held[n_held++] = XKeysymToKeycode (x, XK_Alt_L);
  if (mods & GDK_SHIFT_MASK)
    held[n_held++] = XKeysymToKeycode (x, XK_Shift_L);
  key = XKeysymToKeycode (x, keyval);
  g_assert_cmpuint (key, !=, 0);

  for (guint i = 0; i < n_held; i++)
    fake (x, held[i], True, CurrentTime);
  fake (x, key, True, CurrentTime);
  fake (x, key, False, CurrentTime);
  for (guint i = n_held; i > 0; i--)
    fake (x, held[i - 1], False, CurrentTime);
  XSync (x, False);
  /* Let GTK read and dispatch them. */
  until = g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}
