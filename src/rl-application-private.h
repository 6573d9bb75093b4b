/* rl-application-private.h — what the application's files share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-alert-notifier.h"
#include "rl-application.h"

G_BEGIN_DECLS

struct _RlApplication
{
  AdwApplication parent_instance;

  RlSession *session;
  GSettings *settings;
  /* Desktop notifications of new HIGH alerts (rl-alert-notifier.h). */
  RlAlertNotifier *notifier;

  /* From the command line. */
  char  *server_url;
  char **mqtt_urls; /* --mqtt, each normalised */
  char  *demo_account;
  /* --sync-once in this process: its status (GApplication reports 0 for a
   * local command line that held the application). */
  int cli_status;
};

/* The settings (also before startup, for the command line). */
GSettings *rl_application_dup_settings (RlApplication *self);

/* rl-application-cli.c: --sign-in (in the calling process) and --sync-once
 * (in the primary instance, reporting to @cmdline). */
int  rl_application_cli_sign_in (RlApplication *self,
                                 const char    *server_url,
                                 const char    *email);
void rl_application_cli_sync_once (RlApplication           *self,
                                   RlSession               *session,
                                   GApplicationCommandLine *cmdline);

G_END_DECLS
