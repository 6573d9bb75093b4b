/* main.c — entry point of ReLoop Console.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "rl-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (RlApplication) app = NULL;
  const char *localedir;
  int         status;

  /* RELOOP_LOCALEDIR lets an uninstalled build (tests, the demo) use the
   * catalogues compiled in the build tree. */
  localedir = g_getenv ("RELOOP_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = rl_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : rl_application_get_cli_status (app);
}
