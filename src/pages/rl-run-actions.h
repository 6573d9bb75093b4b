/* rl-run-actions.h — retry and cancel runs, after a confirmation that names
 * what they act on; used by the runs view and the run detail.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "rl-edits.h"
#include "rl-session.h"

G_BEGIN_DECLS

typedef void (*RlRunActionToast) (gpointer    data,
                                  const char *message);

/* Asks "Retry 3 Failed Runs?" / "Cancel the Run of <workflow>?" over the
 * window of @from, then calls rl_session_run_action for each of @run_ids
 * and tells the outcome through @toast (with @data, referenced while the
 * dialog is open; a GObject). */
void rl_run_action_confirm (GtkWidget       *from,
                            RlSession       *session,
                            RlRunAction      action,
                            GPtrArray       *run_ids,
                            const char      *workflow_name,
                            RlRunActionToast toast,
                            gpointer         data);

/* Why a run cannot be cancelled now, or NULL when it can. */
const char *rl_run_cancel_refusal (RlSession *session);

G_END_DECLS
