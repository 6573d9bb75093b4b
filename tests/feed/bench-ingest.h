/* bench-ingest.h — what bench-ingest.c and bench-ingest-screen.c share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "feed-test-util.h"
#include "rl-session.h"

G_BEGIN_DECLS

#define MAP_ID "bench-ingest-map"

typedef struct
{
  guint      n_devices, n_messages;
  double     phase_s;
  GPtrArray *devices; /* char* */
  char      *port_text;
  guint      port;
} Bench;

void progress (const char *fmt,
               ...) G_GNUC_PRINTF (1, 2);
void die (const char *fmt,
          ...) G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN;
/* Runs the main loop until cond (or dies after @timeout_ms). */
void wait_for (gboolean (*cond) (gpointer user_data),
               gpointer    user_data,
               guint       timeout_ms,
               const char *what);
/* A reading's fill level for message i. */
double fill_for (guint i);
/* A publisher with a 60 s keep-alive; publish does not wait (QoS 1). */
void publisher_start (FeedTestPublisher *pub,
                      guint              port);
void publish (FeedTestPublisher *pub,
              const char        *device,
              const char        *payload);

/* bench-ingest-screen.c: parts 2 and 3 (the header of bench-ingest.c). */
typedef struct
{
  double   latency_p50, latency_p95, latency_max;
  double   dispatch_p50, dispatch_p95;
  guint    samples, frames;
  double   lateness_idle, lateness_burst;
  guint    burst_max_points;
  double   burst_max_handler_ms;
  gboolean composited;
} Screenful;

void run_screen (Bench     *bench,
                 RlSession *session,
                 Screenful *out);

G_END_DECLS
