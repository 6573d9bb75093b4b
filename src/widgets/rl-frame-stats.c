/* rl-frame-stats.c — frames drawn, for bench-idle.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only when the environment names a file in RELOOP_FRAME_STATS (bench-idle
 * sets it; nothing else does): the window's frame clock's paints are
 * counted, and on SIGUSR1 the count is written to that file as one line
 * "frames N". Costs nothing between signals: no timer, no wakeup.
 */
#include "config.h"

#include <glib-unix.h>
#include <signal.h>

#include "rl-frame-stats.h"

typedef struct
{
  char          *path;
  guint64        frames;
  guint          signal_id;
  GdkFrameClock *clock;
  gulong         paint_id;
} FrameStats;

static void
frame_stats_free (FrameStats *stats)
{
  g_clear_handle_id (&stats->signal_id, g_source_remove);
  g_clear_signal_handler (&stats->paint_id, stats->clock);
  g_clear_object (&stats->clock);
  g_free (stats->path);
  g_free (stats);
}

static void
after_paint_cb (GdkFrameClock *clock,
                FrameStats    *stats)
{
  stats->frames++;
}

static void
realize_cb (GtkWidget  *window,
            FrameStats *stats)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  if (clock == NULL || clock == stats->clock)
    return;
  g_clear_signal_handler (&stats->paint_id, stats->clock);
  g_set_object (&stats->clock, clock);
  stats->paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), stats);
}

static gboolean
dump_cb (gpointer user_data)
{
  FrameStats      *stats = user_data;
  g_autofree char *line = g_strdup_printf ("frames %" G_GUINT64_FORMAT "\n", stats->frames);
  g_autoptr (GError) error = NULL;

  if (!g_file_set_contents_full (stats->path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    g_message ("RELOOP_FRAME_STATS: %s", error->message);
  return G_SOURCE_CONTINUE;
}

void
rl_frame_stats_attach (GtkWidget *window)
{
  const char *path = g_getenv ("RELOOP_FRAME_STATS");
  FrameStats *stats;

  g_return_if_fail (GTK_IS_WIDGET (window));

  if (path == NULL || *path == '\0')
    return;
  stats = g_new0 (FrameStats, 1);
  stats->path = g_strdup (path);
  /* The stats go with the window, and disconnect from the clock then. */
  g_object_set_data_full (G_OBJECT (window), "rl-frame-stats", stats,
                          (GDestroyNotify) frame_stats_free);
  stats->signal_id = g_unix_signal_add (SIGUSR1, dump_cb, stats);
  if (gtk_widget_get_realized (window))
    realize_cb (window, stats);
  else
    g_signal_connect (window, "realize", G_CALLBACK (realize_cb), stats);
}
