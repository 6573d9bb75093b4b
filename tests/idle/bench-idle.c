/* bench-idle.c — what the console costs while it shows nothing new: CPU,
 * frames, main-loop wakeups, readings stored and memory of the real
 * reloop-console process, with its feed off and at three feed rates.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run alone from the build directory (a display, a D-Bus session and an
 * unlocked keyring: the console signs in to a devserver):
 *   xvfb-run -a -s '-screen 0 1400x900x24' dbus-run-session -- bash -c \
 *     'eval "$(printf pass | gnome-keyring-daemon --unlock --components=secrets)";
 *      RL_BUILD_ROOT=$PWD RL_DEVSERVER=$PWD/src/devserver/reloop-devserver \
 *      tests/idle/bench-idle [--quick] [--seconds N] [--settle N]'
 *
 * For every configuration (renderer cairo or gl; 2,000 or 100,000 drop
 * points; feed off, or the devserver's simulator at 10, 200 or 1,000
 * messages a second) it starts a mosquitto and a reloop-devserver
 * (--drop-points, --rate), then `reloop-console --server URL [--mqtt URL]
 * --demo-account dispatcher@demo.reloop.np` in its own XDG directories, the
 * Map page open (the dispatcher's first page), the periodic pull on (its
 * default). It waits until the console's cache holds every drop point, lets
 * it settle (15 s), then measures over 60 s:
 *   cpu_percent    the process's user + system time (/proc/PID/stat) over
 *                  the wall time, in % of one core;
 *   frames_per_s   paints of the window's frame clock (the console counts
 *                  them when RELOOP_FRAME_STATS names a file and writes the
 *                  count there on SIGUSR1: src/widgets/rl-frame-stats.c);
 *   wakeups_per_s  the main thread's voluntary context switches
 *                  (/proc/PID/task/PID/status): each is a sleep in poll()
 *                  that ended;
 *   readings_per_s rows added to the cache's readings table;
 *   published_readings_per_s  the reference: sensor-data messages a
 *                  `mosquitto_sub -W` on the same broker received meanwhile;
 *   rss_mb         VmRSS at the end.
 * "feed":"off" is the console with no broker configured: the reference for
 * the others. One JSON line per configuration (docs/benchmarks.md), then a
 * last line with the targets of docs/battery.md and whether each was met.
 *
 * --quick (the suite): 2,000 points, cairo, feed off and 200 msg/s, 5 s
 * settle and 10 s windows. --renderers, --points and --rates take comma
 * lists to run a part of the full matrix.
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include <sys/wait.h>
#include <unistd.h>

#include "rl-test-util.h"

typedef struct
{
  const char *renderer;
  guint       points;
  guint       rate; /* 0: feed off */
} Config;

typedef struct
{
  double cpu_percent;
  double frames_per_s;
  double wakeups_per_s;
  double readings_per_s;
  double published_per_s;
  double rss_mb;
} Figures;

typedef struct
{
  GPid  pid;
  char *home;
  char *stats_path;
  char *log_path;
} Console;

static guint settle_s = 15;
static guint window_s = 60;

/* ---- /proc -------------------------------------------------------------------- */

static gboolean
read_cpu_ticks (GPid     pid,
                guint64 *ticks)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *data = NULL;
  const char      *p;
  g_auto (GStrv) fields = NULL;

  if (!g_file_get_contents (path, &data, NULL, NULL))
    return FALSE;
  /* After the command name in parentheses: field 3 on, utime is 14, stime 15. */
  p = strrchr (data, ')');
  if (p == NULL)
    return FALSE;
  fields = g_strsplit (p + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return FALSE;
  *ticks = g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10);
  return TRUE;
}

static guint64
main_thread_wakeups (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/status", pid, pid);

  return rl_test_proc_status_field (path, "voluntary_ctxt_switches");
}

static double
rss_mb (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);

  return (double) rl_test_proc_status_field (path, "VmRSS") / 1024.0;
}

static gboolean
alive (GPid pid)
{
  int status;

  return waitpid (pid, &status, WNOHANG) == 0;
}

/* ---- The console -------------------------------------------------------------------- */

static char *
cache_path (Console *console)
{
  g_autofree char *dir =
      g_build_filename (console->home, "data", "reloop-console", "servers", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".sqlite"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

/* -1: no cache (yet) or no answer. */
static gint64
cache_count (Console    *console,
             const char *table)
{
  g_autofree char *path = cache_path (console);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3         *db = NULL;
  sqlite3_stmt    *stmt = NULL;
  gint64           n = -1;

  if (path == NULL)
    return -1;
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 5000);
      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
          && sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return n;
}

static gboolean
start_console (Console         *console,
               const Config    *config,
               RlTestDevserver *server,
               RlTestBroker    *broker)
{
  const char      *build_root = g_getenv ("RL_BUILD_ROOT");
  g_autofree char *exe = g_build_filename (build_root, "src", "reloop-console", NULL);
  g_autofree char *schemas = g_build_filename (build_root, "data", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) env = g_get_environ ();
  g_autoptr (GError) error = NULL;
  const char *dirs[] = { "data", "config", "cache", "runtime" };
  const char *vars[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                         "XDG_RUNTIME_DIR" };
  int         log_fd;

  console->home = g_dir_make_tmp ("rl-bench-idle-XXXXXX", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (console->home, dirs[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      env = g_environ_setenv (env, vars[i], dir, TRUE);
    }
  console->stats_path = g_build_filename (console->home, "frames", NULL);
  console->log_path = g_build_filename (console->home, "console.log", NULL);
  env = g_environ_setenv (env, "GSETTINGS_SCHEMA_DIR", schemas, TRUE);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
  env = g_environ_setenv (env, "GSK_RENDERER", config->renderer, TRUE);
  env = g_environ_setenv (env, "RELOOP_FRAME_STATS", console->stats_path, TRUE);
  env = g_environ_setenv (env, "RELOOP_DEMO_PASSWORD", "reloop-demo", TRUE);
  env = g_environ_setenv (env, "LANGUAGE", "en", TRUE);
  env = g_environ_unsetenv (env, "G_MESSAGES_DEBUG");

  g_ptr_array_add (argv, exe);
  g_ptr_array_add (argv, (char *) "--server");
  g_ptr_array_add (argv, server->url);
  if (config->rate > 0)
    {
      g_ptr_array_add (argv, (char *) "--mqtt");
      g_ptr_array_add (argv, broker->url);
    }
  g_ptr_array_add (argv, (char *) "--demo-account");
  g_ptr_array_add (argv, (char *) "dispatcher@demo.reloop.np");
  g_ptr_array_add (argv, NULL);

  log_fd = g_open (console->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (!g_spawn_async_with_fds (NULL, (char **) argv->pdata, env, G_SPAWN_DO_NOT_REAP_CHILD,
                               rl_test_die_with_parent, NULL, &console->pid, -1, log_fd,
                               log_fd, &error))
    {
      g_printerr ("bench-idle: cannot start %s: %s\n", exe, error->message);
      close (log_fd);
      return FALSE;
    }
  close (log_fd);
  return TRUE;
}

static void
stop_console (Console *console)
{
  if (console->pid > 0)
    rl_test_kill_and_reap (console->pid);
  console->pid = 0;
  if (console->home != NULL)
    rl_test_rm_rf (console->home);
  g_clear_pointer (&console->home, g_free);
  g_clear_pointer (&console->stats_path, g_free);
  g_clear_pointer (&console->log_path, g_free);
}

/* Asks the console for its frame count (SIGUSR1) and reads it back. */
static gboolean
read_frames (Console *console,
             guint64 *frames)
{
  g_unlink (console->stats_path);
  kill (console->pid, SIGUSR1);
  for (guint i = 0; i < 400; i++)
    {
      g_autofree char *data = NULL;

      if (g_file_get_contents (console->stats_path, &data, NULL, NULL)
          && g_str_has_prefix (data, "frames ") && strchr (data, '\n') != NULL)
        {
          *frames = g_ascii_strtoull (data + strlen ("frames "), NULL, 10);
          return TRUE;
        }
      g_usleep (5000);
    }
  return FALSE;
}

/* ---- One configuration ---------------------------------------------------------------- */

static GPid
start_reference (RlTestBroker *broker,
                 const char   *count_path)
{
  g_autofree char *cmd = g_strdup_printf (
      "mosquitto_sub -h 127.0.0.1 -p %u -t 'devices/+/sensor-data' -W %u 2>/dev/null "
      "| wc -l > '%s'",
      broker->port, window_s, count_path);
  const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
  GPid        pid = 0;

  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                      rl_test_die_with_parent, NULL, &pid, NULL))
    return 0;
  return pid;
}

static gboolean
measure (const Config *config,
         Figures      *out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlTestBroker) broker = rl_test_broker_start (&error);
  g_autoptr (RlTestDevserver) server = NULL;
  g_autofree char *points = g_strdup_printf ("%u", config->points);
  /* The devserver's simulator never stops below 10 msg/s (0 means 10): with
   * the feed off it still publishes, to nobody the console listens to. */
  g_autofree char *rate = g_strdup_printf ("%u", MAX (config->rate, 10u));
  g_autofree char *count_path = NULL;
  Console          console = { 0 };
  guint64          cpu0, cpu1, frames0, frames1, wake0, wake1;
  gint64           readings0, readings1, t0, t1, deadline;
  GPid             ref_pid;
  gboolean         ok = FALSE;

  if (broker == NULL)
    {
      g_printerr ("bench-idle: no broker: %s\n", error->message);
      return FALSE;
    }
  {
    const char *args[] = { "--drop-points", points, "--mqtt", broker->url, "--rate", rate,
                           NULL };

    server = rl_test_devserver_start (args, &error);
  }
  if (server == NULL)
    {
      g_printerr ("bench-idle: no devserver: %s\n", error->message);
      return FALSE;
    }
  if (!start_console (&console, config, server, broker))
    return FALSE;

  /* Signed in and the whole fleet in the cache (the first pull), then the
   * settling time: the map drawn, the lists loaded, the feed caught up. */
  deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;
  while (cache_count (&console, "drop_points") < (gint64) config->points)
    {
      if (!alive (console.pid) || g_get_monotonic_time () > deadline)
        {
          g_printerr ("bench-idle: the console %s before its cache held %u drop points\n",
                      alive (console.pid) ? "timed out" : "exited", config->points);
          rl_test_print_log_tail ("console", console.log_path);
          console.pid = alive (console.pid) ? console.pid : 0;
          goto out;
        }
      g_usleep (250000);
    }
  g_usleep (settle_s * G_USEC_PER_SEC);

  count_path = g_build_filename (console.home, "published", NULL);
  ref_pid = start_reference (broker, count_path);
  if (!read_cpu_ticks (console.pid, &cpu0) || !read_frames (&console, &frames0))
    goto dead;
  wake0 = main_thread_wakeups (console.pid);
  readings0 = cache_count (&console, "readings");
  t0 = g_get_monotonic_time ();

  g_usleep (window_s * G_USEC_PER_SEC);

  if (!read_cpu_ticks (console.pid, &cpu1) || !read_frames (&console, &frames1))
    goto dead;
  wake1 = main_thread_wakeups (console.pid);
  t1 = g_get_monotonic_time ();
  readings1 = cache_count (&console, "readings");
  out->rss_mb = rss_mb (console.pid);
  {
    double           seconds = (double) (t1 - t0) / G_USEC_PER_SEC;
    g_autofree char *published = NULL;
    int              status;

    out->cpu_percent = 100.0 * (double) (cpu1 - cpu0) / (double) sysconf (_SC_CLK_TCK) / seconds;
    out->frames_per_s = (double) (frames1 - frames0) / seconds;
    out->wakeups_per_s = (double) (wake1 - wake0) / seconds;
    out->readings_per_s = (double) (readings1 - readings0) / seconds;
    waitpid (ref_pid, &status, 0);
    out->published_per_s =
        g_file_get_contents (count_path, &published, NULL, NULL)
            ? g_ascii_strtod (published, NULL) / window_s
            : NAN;
  }
  ok = TRUE;
  goto out;

dead:
  g_printerr ("bench-idle: the console went away during the measurement\n");
  rl_test_print_log_tail ("console", console.log_path);
out:
  stop_console (&console);
  return ok;
}

/* ---- Main ----------------------------------------------------------------------------- */

static GArray *
parse_uints (const char *list)
{
  g_auto (GStrv) parts = g_strsplit (list, ",", -1);
  GArray *values = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint v = (guint) g_ascii_strtoull (parts[i], NULL, 10);

      g_array_append_val (values, v);
    }
  return values;
}

static void
print_figures (const Config  *config,
               const Figures *f)
{
  char cpu[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (cpu, sizeof cpu, "%.2f", f->cpu_percent);
  printf ("{\"bench\":\"idle\",\"renderer\":\"%s\",\"points\":%u,\"feed\":\"%s\","
          "\"feed_msgs_per_s\":%u,\"cpu_percent\":%s,\"frames_per_s\":%.2f,"
          "\"wakeups_per_s\":%.1f,\"readings_per_s\":%.1f,\"published_readings_per_s\":%.1f,"
          "\"rss_mb\":%.0f}\n",
          config->renderer, config->points, config->rate > 0 ? "on" : "off", config->rate,
          cpu, f->frames_per_s, f->wakeups_per_s, f->readings_per_s, f->published_per_s,
          f->rss_mb);
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  gboolean         quick = FALSE;
  int              seconds = 60, settle = 15;
  g_autofree char *renderers_opt = NULL;
  g_autofree char *points_opt = NULL;
  g_autofree char *rates_opt = NULL;
  GOptionEntry     entries[] = {
        { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "2,000 points, cairo, off and 200 msg/s, short", NULL },
        { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Measurement window (default 60)", "N" },
        { "settle", 0, 0, G_OPTION_ARG_INT, &settle, "Settling time (default 15)", "N" },
        { "renderers", 0, 0, G_OPTION_ARG_STRING, &renderers_opt, "cairo,gl", "LIST" },
        { "points", 0, 0, G_OPTION_ARG_STRING, &points_opt, "2000,100000", "LIST" },
        { "rates", 0, 0, G_OPTION_ARG_STRING, &rates_opt, "0,10,200,1000 (0: feed off)", "LIST" },
        { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— the console's idle cost");
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) renderers = NULL;
  g_autoptr (GArray) points = NULL;
  g_autoptr (GArray) rates = NULL;
  g_autoptr (GArray) results = g_array_new (FALSE, FALSE, sizeof (Figures));
  g_autoptr (GArray) configs = g_array_new (FALSE, FALSE, sizeof (Config));
  gboolean failed = FALSE;
  gboolean met_off = TRUE, met_10 = TRUE, met_200 = TRUE, met_1000 = TRUE;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-idle: %s\n", error->message);
      return 2;
    }
  if (g_getenv ("RL_BUILD_ROOT") == NULL || g_getenv ("RL_DEVSERVER") == NULL)
    {
      g_printerr ("bench-idle: RL_BUILD_ROOT and RL_DEVSERVER must be set (see the header)\n");
      return 2;
    }
  if (quick)
    {
      seconds = 10;
      settle = 5;
    }
  window_s = (guint) MAX (seconds, 1);
  settle_s = (guint) MAX (settle, 0);
  renderers = g_strsplit (renderers_opt != NULL ? renderers_opt : quick ? "cairo"
                                                                        : "cairo,gl",
                          ",", -1);
  points = parse_uints (points_opt != NULL ? points_opt : quick ? "2000"
                                                                : "2000,100000");
  rates = parse_uints (rates_opt != NULL ? rates_opt : quick ? "0,200"
                                                             : "0,10,200,1000");

  /* The full matrix, except 1,000 msg/s is for 100,000 points (2,000 bins
   * do not send that much) and 10 msg/s for 2,000. */
  for (guint p = 0; p < points->len; p++)
    for (guint r = 0; r < rates->len; r++)
      for (guint k = 0; renderers[k] != NULL; k++)
        {
          Config c = { renderers[k], g_array_index (points, guint, p),
                       g_array_index (rates, guint, r) };

          if (!quick && points_opt == NULL && rates_opt == NULL
              && ((c.points < 100000 && c.rate == 1000) || (c.points >= 100000 && c.rate == 10)))
            continue;
          g_array_append_val (configs, c);
        }

  for (guint i = 0; i < configs->len; i++)
    {
      Config *c = &g_array_index (configs, Config, i);
      Figures f = { 0 };

      if (!measure (c, &f))
        {
          failed = TRUE;
          f.cpu_percent = NAN;
        }
      else
        print_figures (c, &f);
      g_array_append_val (results, f);
    }

  /* The targets (docs/battery.md), against the feed-off line of the same
   * renderer and points. */
  for (guint i = 0; i < configs->len; i++)
    {
      Config  *c = &g_array_index (configs, Config, i);
      Figures *f = &g_array_index (results, Figures, i);
      Figures *off = NULL;

      for (guint j = 0; j < configs->len; j++)
        {
          Config *o = &g_array_index (configs, Config, j);

          if (o->rate == 0 && o->points == c->points && g_str_equal (o->renderer, c->renderer))
            off = &g_array_index (results, Figures, j);
        }
      if (isnan (f->cpu_percent))
        continue;
      if (c->rate == 0)
        met_off = met_off && f->cpu_percent <= 1.0 && f->frames_per_s <= 1.0;
      else if (off != NULL && !isnan (off->cpu_percent) && c->rate == 10)
        met_10 = met_10 && f->cpu_percent <= off->cpu_percent + 1.0 && f->frames_per_s <= 1.0;
      else if (off != NULL && !isnan (off->cpu_percent) && c->rate == 200 && c->points <= 2000)
        met_200 = met_200
                  && f->cpu_percent
                         <= off->cpu_percent + (g_str_equal (c->renderer, "gl") ? 6.0 : 3.0)
                  && f->readings_per_s >= 0.97 * f->published_per_s;
      if (c->rate == 1000)
        met_1000 = met_1000 && f->readings_per_s >= 0.97 * c->rate;
    }
  printf ("{\"bench\":\"idle\",\"summary\":true,\"configurations\":%u,\"failed\":%s,"
          "\"off_target_met\":%s,\"rate10_target_met\":%s,\"rate200_target_met\":%s,"
          "\"rate1000_target_met\":%s}\n",
          configs->len, failed ? "true" : "false", met_off ? "true" : "false",
          met_10 ? "true" : "false", met_200 ? "true" : "false", met_1000 ? "true" : "false");
  return failed ? 1 : 0;
}
