/* rl-window-feed-tools.c — the window's support tools for the live feed:
 * win.feed-record, win.feed-replay and win.export-readings.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * win.feed-record (stateful boolean) follows the session feed's
 * "recording": turning it on asks for a file, turning it off stops. A new
 * feed (a settings change, sign-out) ends the recording of the old one.
 * win.feed-replay asks for a recording and replays it into the session's
 * feed, or, when the feed is off, into a feed made for the replay on the
 * same cache. win.export-readings ("s": a device id) asks where to save and
 * writes the device's readings as CSV in a worker. docs/feed.md "Record,
 * replay, export".
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-store-async.h"
#include "rl-store-export.h"
#include "rl-ui-errors.h"
#include "rl-window-private.h"

typedef struct
{
  RlWindow *window; /* owns this */
  RlFeed   *feed;   /* the session's, watched for "recording" */
} FeedTools;

typedef struct
{
  char *path;
  char *device_id;
} ExportJob;

/* ---- Helpers ------------------------------------------------------------ */

static FeedTools *
get_tools (RlWindow *self)
{
  return g_object_get_data (G_OBJECT (self), "rl-feed-tools");
}

static void
set_enabled (RlWindow   *self,
             const char *name,
             gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* The UI's words for a record or replay error. */
static char *
feed_tool_error_message (const GError *error)
{
  /* The only RL_FEED_ERROR_FAILED these give: the recorder fell behind,
   * or the replay's writer had no cache. */
  if (g_error_matches (error, RL_FEED_ERROR, RL_FEED_ERROR_FAILED))
    return g_strdup (_ ("The feed could not be written fast enough, or the cache could not be "
                        "opened."));
  return rl_ui_error_message (error);
}

static GtkFileChooserNative *
new_chooser (RlWindow            *self,
             const char          *title,
             GtkFileChooserAction action,
             const char          *accept,
             const char          *filter_name,
             const char          *pattern)
{
  GtkFileChooserNative *chooser =
      gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, _ ("_Cancel"));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_filter_set_name (all, _ ("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  return chooser;
}

/* The path the user chose, or NULL (cancelled, or not a local file). */
static char *
chosen_path (GtkNativeDialog *chooser,
             int              response)
{
  g_autoptr (GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return NULL;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  return file != NULL ? g_file_get_path (file) : NULL;
}

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_free (job->path);
  g_free (job->device_id);
  g_free (job);
}

/* Worker thread: the CSV into a new file (replaced only once complete). */
static gboolean
export_in_thread (RlStore      *store,
                  gpointer      data,
                  gpointer     *out_result,
                  GCancellable *cancellable,
                  GError      **error)
{
  ExportJob *job = data;
  g_autoptr (GFile) file = g_file_new_for_path (job->path);
  g_autoptr (GFileOutputStream) out = NULL;

  /* Readings are the city's data: the export is readable by its owner only. */
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, error);
  if (out == NULL)
    return FALSE;
  if (!rl_store_export_readings_csv (store, job->device_id, G_OUTPUT_STREAM (out), cancellable,
                                     error))
    {
      /* Closing after cancelling leaves the file as it was. */
      g_autoptr (GCancellable) abandon = g_cancellable_new ();

      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (out), abandon, NULL);
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error);
}

/* ---- Callbacks ---------------------------------------------------------- */

static void
recording_changed_cb (RlWindow *self)
{
  FeedTools *tools = get_tools (self);
  GAction   *action = g_action_map_lookup_action (G_ACTION_MAP (self), "feed-record");
  gboolean   recording = tools->feed != NULL && rl_feed_get_recording (tools->feed);

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (recording));
}

static void
record_error_cb (RlWindow *self)
{
  FeedTools       *tools = get_tools (self);
  const GError    *error = tools->feed != NULL ? rl_feed_get_record_error (tools->feed) : NULL;
  g_autofree char *why = NULL;
  g_autofree char *text = NULL;

  if (error == NULL)
    return;
  why = feed_tool_error_message (error);
  /* Translators: %s says why, e.g. "No space left on device". */
  text = g_strdup_printf (_ ("Recording the feed stopped: %s"), why);
  rl_window_show_toast (self, text);
}

/* The session's feed or store changed: follow the new feed. */
static void
session_changed_cb (RlWindow *self)
{
  FeedTools *tools = get_tools (self);
  RlFeed    *feed = rl_session_get_feed (self->session);
  gboolean   signed_in = rl_session_get_store (self->session) != NULL;

  if (feed != tools->feed)
    {
      if (tools->feed != NULL)
        g_signal_handlers_disconnect_by_data (tools->feed, self);
      g_set_object (&tools->feed, feed);
      if (feed != NULL)
        {
          g_signal_connect_object (feed, "notify::recording", G_CALLBACK (recording_changed_cb),
                                   self, G_CONNECT_SWAPPED);
          g_signal_connect_object (feed, "notify::record-error", G_CALLBACK (record_error_cb),
                                   self, G_CONNECT_SWAPPED);
        }
    }
  set_enabled (self, "feed-record", feed != NULL);
  set_enabled (self, "feed-replay", signed_in);
  set_enabled (self, "export-readings", signed_in);
  recording_changed_cb (self);
}

static void
record_chooser_cb (GtkNativeDialog *chooser,
                   int              response,
                   gpointer         user_data)
{
  g_autoptr (RlWindow) self = user_data;
  g_autofree char *path = chosen_path (chooser, response);
  FeedTools       *tools = get_tools (self);
  g_autoptr (GError) error = NULL;

  g_object_unref (chooser);
  if (path == NULL || tools == NULL)
    return;
  if (tools->feed == NULL)
    {
      rl_window_show_toast (self, _ ("Live telemetry is off: there is no feed to record."));
      return;
    }
  if (!rl_feed_record_start (tools->feed, path, &error))
    {
      g_autofree char *why = feed_tool_error_message (error);
      /* Translators: %s says why. */
      g_autofree char *text = g_strdup_printf (_ ("The recording could not be started: %s"), why);

      rl_window_show_toast (self, text);
      return;
    }
  {
    g_autofree char *name = g_path_get_basename (path);
    /* Translators: %s is a file name. */
    g_autofree char *text = g_strdup_printf (_ ("Recording the live feed to %s"), name);

    rl_window_show_toast (self, text);
  }
}

static void
feed_record_change_state (GSimpleAction *action,
                          GVariant      *value,
                          gpointer       user_data)
{
  RlWindow             *self = RL_WINDOW (user_data);
  FeedTools            *tools = get_tools (self);
  GtkFileChooserNative *chooser;
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *name = NULL;

  if (tools->feed == NULL)
    return;
  if (!g_variant_get_boolean (value))
    {
      rl_feed_record_stop (tools->feed);
      return;
    }
  if (rl_feed_get_recording (tools->feed))
    return;

  /* The state follows the feed once it records (recording_changed_cb). */
  now = g_date_time_new_now_local ();
  stamp = g_date_time_format (now, "%Y%m%d-%H%M");
  name = g_strdup_printf ("reloop-feed-%s.jsonl", stamp);
  chooser = new_chooser (self, _ ("Record Live Feed"), GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Record"),
                         _ ("Feed recordings"), "*.jsonl");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (record_chooser_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
replay_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (RlWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  guint64 messages = 0, bad_lines;

  if (!rl_feed_replay_finish (RL_FEED (source), result, &messages, &error))
    {
      g_autofree char *why = NULL;
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      why = feed_tool_error_message (error);
      /* Translators: %s says why. */
      text = g_strdup_printf (_ ("The recording could not be replayed: %s"), why);
      rl_window_show_toast (self, text);
      return;
    }
  bad_lines = rl_feed_replay_get_bad_lines (result);
  {
    g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, messages);
    g_autofree char *bad = g_strdup_printf ("%" G_GUINT64_FORMAT, bad_lines);
    g_autofree char *text = NULL;

    if (bad_lines == 0)
      /* Translators: %s is a number of messages. */
      text = g_strdup_printf (
          ngettext ("Replayed %s message", "Replayed %s messages", (gulong) messages), count);
    else
      /* Translators: the first %s is a number of messages, the second of damaged lines. */
      text = g_strdup_printf (ngettext ("Replayed %s message, skipped %s damaged lines",
                                        "Replayed %s messages, skipped %s damaged lines",
                                        (gulong) messages),
                              count, bad);
    rl_window_show_toast (self, text);
  }
}

static void
replay_chooser_cb (GtkNativeDialog *chooser,
                   int              response,
                   gpointer         user_data)
{
  g_autoptr (RlWindow) self = user_data;
  g_autofree char *path = chosen_path (chooser, response);
  RlStore         *store;
  g_autoptr (RlFeed) feed = NULL;

  g_object_unref (chooser);
  store = self->session != NULL ? rl_session_get_store (self->session) : NULL;
  if (path == NULL || store == NULL)
    return;

  feed = rl_session_get_feed (self->session);
  if (feed != NULL)
    g_object_ref (feed);
  else
    {
      double fill, battery, temperature;
      guint  offline_minutes;

      /* Live telemetry is off: a feed of its own, with the session's rules,
       * that lives as long as the replay. */
      feed = rl_feed_new (store);
      g_object_get (self->session, "fill-alert-threshold", &fill, "battery-alert-threshold",
                    &battery, "temperature-alert-threshold", &temperature,
                    "offline-after-minutes", &offline_minutes, NULL);
      g_object_set (feed, "fill-alert-threshold", fill, "battery-alert-threshold", battery,
                    "temperature-alert-threshold", temperature, "offline-after",
                    offline_minutes * 60, NULL);
    }
  rl_feed_replay_async (feed, path, self->cancellable, replay_cb, g_object_ref (self));
}

static void
feed_replay_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RlWindow             *self = RL_WINDOW (user_data);
  GtkFileChooserNative *chooser;

  chooser = new_chooser (self, _ ("Replay Recorded Feed"), GTK_FILE_CHOOSER_ACTION_OPEN,
                         _ ("_Replay"), _ ("Feed recordings"), "*.jsonl");
  g_signal_connect (chooser, "response", G_CALLBACK (replay_chooser_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (RlWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (!rl_store_run_finish (RL_STORE (source), result, export_in_thread, NULL, &error))
    {
      g_autofree char *why = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      why = rl_ui_error_message (error);
      /* Translators: %s says why. */
      text = g_strdup_printf (_ ("The readings could not be exported: %s"), why);
    }
  else
    text = g_strdup (_ ("Readings exported"));
  rl_window_show_toast (self, text);
}

static void
export_chooser_cb (GtkNativeDialog *chooser,
                   int              response,
                   gpointer         user_data)
{
  g_autoptr (RlWindow) self = user_data;
  g_autofree char *path = chosen_path (chooser, response);
  const char      *device_id = g_object_get_data (G_OBJECT (chooser), "device-id");
  RlStore         *store = self->session != NULL ? rl_session_get_store (self->session) : NULL;
  ExportJob       *job;

  if (path == NULL || store == NULL)
    {
      g_object_unref (chooser);
      return;
    }
  job = g_new0 (ExportJob, 1);
  job->path = g_steal_pointer (&path);
  job->device_id = g_strdup (device_id);
  g_object_unref (chooser);
  rl_store_run_in_thread (store, export_in_thread, export_in_thread, job, export_job_free, NULL,
                          self->cancellable, export_cb, g_object_ref (self));
}

static void
export_readings_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  RlWindow             *self = RL_WINDOW (user_data);
  const char           *device_id = g_variant_get_string (parameter, NULL);
  GtkFileChooserNative *chooser;
  g_autofree char      *name = NULL;

  if (*device_id == '\0')
    return;
  /* A device id is a topic segment: no '/' in it, but keep the name tame. */
  name = g_strdup_printf ("readings-%s.csv", device_id);
  g_strdelimit (name, "/\\:", '-');
  chooser = new_chooser (self, _ ("Export Readings"), GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"),
                         _ ("CSV files"), "*.csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "device-id", g_strdup (device_id), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (export_chooser_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
feed_tools_free (gpointer data)
{
  FeedTools *tools = data;

  g_clear_object (&tools->feed);
  g_free (tools);
}

/* ---- Public ------------------------------------------------------------- */

/* Once the window has its session (rl_window_bind_actions). */
void
rl_window_feed_tools_init (RlWindow *self)
{
  g_autoptr (GSimpleAction) record = NULL;
  g_autoptr (GSimpleAction) replay = NULL;
  g_autoptr (GSimpleAction) export = NULL;
  FeedTools *tools = g_new0 (FeedTools, 1);

  tools->window = self;
  g_object_set_data_full (G_OBJECT (self), "rl-feed-tools", tools, feed_tools_free);

  record = g_simple_action_new_stateful ("feed-record", NULL, g_variant_new_boolean (FALSE));
  g_signal_connect (record, "change-state", G_CALLBACK (feed_record_change_state), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (record));

  replay = g_simple_action_new ("feed-replay", NULL);
  g_signal_connect (replay, "activate", G_CALLBACK (feed_replay_activated), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (replay));

  export = g_simple_action_new ("export-readings", G_VARIANT_TYPE_STRING);
  g_signal_connect (export, "activate", G_CALLBACK (export_readings_activated), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (export));

  g_signal_connect_object (self->session, "notify::feed", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::store", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  session_changed_cb (self);
}
