/* bench-ingest-screen.c — bench-ingest's parts 2 and 3: publish → frame
 * latency with the Map page open, and the main loop's lateness idle and
 * under a burst (see bench-ingest.c).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "rl-map-page.h"
#include "rl-time.h"

#include "bench-ingest.h"

/* ---- a publisher at a rate --------------------------------------------------- */

typedef struct
{
  Bench            *bench;
  FeedTestPublisher pub;
  double            rate, seconds;
  gint              sent;  /* atomic */
  guint             first; /* device index to start from */
} Stream;

static gpointer
stream_main (gpointer user_data)
{
  Stream *s = user_data;
  gint64  t0 = g_get_monotonic_time ();
  guint   total = (guint) (s->rate * s->seconds);

  for (guint i = 0; i < total; i++)
    {
      /* Message i is due at t0 + i / rate. */
      gint64           due = t0 + (gint64) ((double) i * G_USEC_PER_SEC / s->rate);
      gint64           wait = due - g_get_monotonic_time ();
      const char      *device;
      g_autofree char *payload = NULL;

      if (wait > 0)
        g_usleep ((gulong) wait);
      device = g_ptr_array_index (s->bench->devices, (s->first + i) % s->bench->devices->len);
      payload = feed_test_bin_reading (device, fill_for (s->first + i), rl_time_now_ms ());
      publish (&s->pub, device, payload);
      g_atomic_int_inc (&s->sent);
    }
  return NULL;
}

/* ---- 2. latency, 3. lateness ------------------------------------------------- */

typedef struct
{
  gint64 publish_ms;
  guint  version; /* on screen once the tiles show this version */
} Pending;

typedef struct
{
  RlMapLayer *layer;
  gboolean    recording;
  guint       max_points;     /* the largest points-changed of the burst */
  double      max_handler_ms; /* … and the longest: the page's handler */
  GArray     *pending;        /* Pending */
  GArray     *latencies;      /* double, ms */
  GArray     *dispatched;     /* double, ms: publish → points-changed */
  guint       frames;

  /* lateness: recorded while measuring */
  gboolean measuring;
  gint64   last_tick;
  double   max_late_ms;
  guint    ticks;
} Screen;

/* When the current points-changed began (before the page's handler). */
static gint64 emission_start;

static gboolean
emission_hook (GSignalInvocationHint *hint,
               guint                  n_params,
               const GValue          *params,
               gpointer               user_data)
{
  emission_start = g_get_monotonic_time ();
  return TRUE;
}

static void
points_changed_cb (RlFeed *feed G_GNUC_UNUSED,
                   GPtrArray   *points,
                   Screen      *screen)
{
  guint current, oldest;

  screen->max_points = MAX (screen->max_points, points->len);
  screen->max_handler_ms =
      MAX (screen->max_handler_ms, (g_get_monotonic_time () - emission_start) / 1000.0);
  if (!screen->recording)
    return;
  /* The page's handler ran first (connected before): the layer has these
   * values, drawn from version current on (the pending data redraw's, or,
   * when they changed no symbol, the one on screen: on screen now). */
  rl_map_layer_get_symbol_versions (screen->layer, &current, &oldest);
  for (guint i = 0; i < points->len; i++)
    {
      RlFeedPoint *p = g_ptr_array_index (points, i);
      Pending      pend = { p->last_reading_ms, current };
      double       ms = g_get_real_time () / 1000.0 - (double) p->last_reading_ms;

      if (oldest != G_MAXUINT && current <= oldest)
        g_array_append_val (screen->latencies, ms);
      else
        g_array_append_val (screen->pending, pend);
      g_array_append_val (screen->dispatched, ms);
    }
}

static void
after_paint_cb (GdkFrameClock *clock G_GNUC_UNUSED,
                Screen              *screen)
{
  double now_ms = g_get_real_time () / 1000.0;
  guint  oldest, kept = 0;

  screen->frames++;
  rl_map_layer_get_symbol_versions (screen->layer, NULL, &oldest);
  for (guint i = 0; i < screen->pending->len; i++)
    {
      Pending *p = &g_array_index (screen->pending, Pending, i);

      if (p->version <= oldest)
        {
          double ms = now_ms - (double) p->publish_ms;

          g_array_append_val (screen->latencies, ms);
        }
      else
        g_array_index (screen->pending, Pending, kept++) = *p;
    }
  g_array_set_size (screen->pending, kept);
}

static gboolean
tick_cb (gpointer user_data)
{
  Screen *screen = user_data;
  gint64  now = g_get_monotonic_time ();

  if (screen->last_tick != 0 && screen->measuring)
    screen->max_late_ms = MAX (screen->max_late_ms, (now - screen->last_tick) / 1000.0 - 1.0);
  screen->last_tick = now;
  screen->ticks += screen->measuring;
  return G_SOURCE_CONTINUE;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  if (values->len == 0)
    return NAN;
  g_array_sort (values, cmp_double);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (p * values->len)));
}

static gboolean
page_ready (gpointer user_data)
{
  RlMapPage *page = user_data;

  return !rl_map_page_get_loading (page)
         && rl_map_layer_get_n_points (rl_map_page_get_layer (page)) > 0
         && !rl_map_layer_get_busy (rl_map_page_get_layer (page));
}

static gboolean
feed_connected (gpointer user_data)
{
  return rl_session_get_feed_state (user_data) == RL_FEED_STATE_CONNECTED;
}

typedef struct
{
  Stream  *stream;
  RlFeed  *feed;
  guint64  readings_at_start;
  gboolean done;
} StreamWait;

static gboolean
stream_stored (gpointer user_data)
{
  StreamWait    *w = user_data;
  RlFeedCounters c;

  rl_feed_get_counters (w->feed, &c);
  return w->done && c.readings + c.older + c.duplicates - w->readings_at_start >= (guint64) g_atomic_int_get (&w->stream->sent);
}

/* Publishes at @rate for the bench's phase length and waits until the feed
 * stored it all (the main loop runs meanwhile). */
static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* @measuring (or NULL) is TRUE from the first message to the last one
 * stored: the publisher's connection and its end are not measured. */
static void
run_stream (Bench    *bench,
            RlFeed   *feed,
            double    rate,
            guint     first,
            gboolean *measuring)
{
  guint wake;

  Stream         s = { .bench = bench, .rate = rate, .seconds = bench->phase_s, .first = first };
  StreamWait     w = { .stream = &s, .feed = feed };
  RlFeedCounters c;
  GThread       *thread;

  rl_feed_get_counters (feed, &c);
  w.readings_at_start = c.readings + c.older + c.duplicates;
  publisher_start (&s.pub, bench->port);
  /* The main loop runs as the app's does (blocking iterations); this wakes
   * it to look at the counters. */
  wake = g_timeout_add (10, wake_cb, NULL);
  if (measuring != NULL)
    *measuring = TRUE;
  thread = g_thread_new ("bench-publisher", stream_main, &s);
  while (g_atomic_int_get (&s.sent) < (gint) (rate * bench->phase_s))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  w.done = TRUE;
  {
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (!stream_stored (&w))
      {
        if (g_get_monotonic_time () > deadline)
          die ("timed out waiting for the stream to be stored");
        g_main_context_iteration (NULL, TRUE);
      }
  }
  if (measuring != NULL)
    *measuring = FALSE;
  g_source_remove (wake);
  feed_test_publisher_stop (&s.pub);
  rl_feed_get_counters (feed, &c);
  if (c.older + c.duplicates > 0)
    progress ("  (%" G_GUINT64_FORMAT " older, %" G_GUINT64_FORMAT " duplicates)", c.older,
              c.duplicates);
}

/* Runs the main loop for @seconds. */
static void
idle_for (double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
}

void
run_screen (Bench     *bench,
            RlSession *session,
            Screenful *out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("mqtt://127.0.0.1:%u", bench->port);
  RlFeedConfig     config = { .url = url, .client_id = MAP_ID };
  Screen           screen = { 0 };
  RlMapPage       *page = g_object_new (RL_TYPE_MAP_PAGE, NULL);
  GtkWidget       *window = gtk_window_new ();
  GdkFrameClock   *clock;
  RlFeed          *feed;
  guint            tick;
  gulong           hook;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  rl_page_set_session (RL_PAGE (page), session);
  wait_for (page_ready, page, 120000, "the map page");
  screen.layer = rl_map_page_get_layer (page);

  if (!rl_session_start_feed (session, &config, &error))
    die ("the session's feed does not start: %s", error->message);
  wait_for (feed_connected, session, 30000, "the session's feed");
  feed = rl_session_get_feed (session);
  /* After the page's handler (it connected when the feed appeared). */
  g_signal_connect (feed, "points-changed", G_CALLBACK (points_changed_cb), &screen);
  hook = g_signal_add_emission_hook (g_signal_lookup ("points-changed", RL_TYPE_FEED), 0,
                                     emission_hook, NULL, NULL);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &screen);
  screen.pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  screen.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  screen.dispatched = g_array_new (FALSE, FALSE, sizeof (double));

  progress ("latency: %.0f s at 5000 msg/s with the map open", bench->phase_s);
  screen.recording = TRUE;
  run_stream (bench, feed, 5000, 0, NULL);
  idle_for (1.0); /* the last batches reach the screen */
  screen.recording = FALSE;
  out->samples = screen.latencies->len;
  out->frames = screen.frames;
  out->latency_p50 = percentile (screen.latencies, 0.50);
  out->latency_p95 = percentile (screen.latencies, 0.95);
  out->latency_max = percentile (screen.latencies, 1.0);
  out->composited = rl_map_layer_get_composited (screen.layer);
  out->dispatch_p50 = percentile (screen.dispatched, 0.50);
  out->dispatch_p95 = percentile (screen.dispatched, 0.95);
  progress ("  publish → points-changed: p50 %.1f ms, p95 %.1f ms", out->dispatch_p50,
            out->dispatch_p95);
  progress ("  %u samples over %u frames (%u never shown): p50 %.1f ms, p95 %.1f ms, max %.1f ms",
            out->samples, out->frames, screen.pending->len, out->latency_p50, out->latency_p95,
            out->latency_max);
  if (screen.pending->len > 0 || out->samples == 0)
    die ("not every update reached the screen");

  progress ("lateness: a 1 ms timer, %.0f s idle, then %.0f s at 10000 msg/s", bench->phase_s,
            bench->phase_s);
  idle_for (1.0);
  tick = g_timeout_add (1, tick_cb, &screen);
  screen.measuring = TRUE;
  idle_for (bench->phase_s);
  screen.measuring = FALSE;
  out->lateness_idle = screen.max_late_ms;
  progress ("  idle: worst %.2f ms over %u ticks", out->lateness_idle, screen.ticks);
  screen.max_late_ms = 0;
  screen.ticks = 0;
  screen.max_points = 0;
  screen.max_handler_ms = 0;
  run_stream (bench, feed, 10000, 1, &screen.measuring);
  out->lateness_burst = screen.max_late_ms;
  out->burst_max_points = screen.max_points;
  out->burst_max_handler_ms = screen.max_handler_ms;
  progress ("  burst: worst %.2f ms over %u ticks", out->lateness_burst, screen.ticks);
  g_source_remove (tick);

  g_signal_handlers_disconnect_by_data (clock, &screen);
  g_signal_handlers_disconnect_by_data (feed, &screen);
  g_signal_remove_emission_hook (g_signal_lookup ("points-changed", RL_TYPE_FEED), hook);
  rl_session_stop_feed (session);
  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (screen.pending);
  g_array_unref (screen.latencies);
  g_array_unref (screen.dispatched);
}
