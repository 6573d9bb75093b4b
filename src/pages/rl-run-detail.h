/* rl-run-detail.h — one run: header, steps as a flow, log; retry and cancel.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_RUN_DETAIL (rl_run_detail_get_type ())
G_DECLARE_FINAL_TYPE (RlRunDetail, rl_run_detail, RL, RUN_DETAIL, AdwWindow)

/* Shows run @run_id from the cache of @session; watches it (its status and
 * log refresh every 10 s) while shown. */
RlRunDetail *rl_run_detail_new (RlSession  *session,
                                const char *run_id);
const char  *rl_run_detail_get_run_id (RlRunDetail *self);
/* The log lines shown, stripped of ANSI escapes (for tests). */
char *rl_run_detail_get_log_text (RlRunDetail *self);
/* Lines in the cached log, and lines shown after the filters. */
guint rl_run_detail_get_n_log_lines (RlRunDetail *self,
                                     guint       *n_shown);

G_END_DECLS
