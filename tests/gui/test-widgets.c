/* test-widgets.c — widget tests: sign-in validation, pages per role, status
 * texts, preference validation.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "gui-test-common.h"
#include "rl-application.h"
#include "rl-feed.h"
#include "rl-page.h"
#include "rl-preferences-window.h"
#include "rl-session-private.h"
#include "rl-sign-in-page.h"
#include "rl-status-indicator.h"
#include "rl-window.h"

typedef struct
{
  RlSession *session;
  GSettings *settings;
} Fixture;

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  fixture->session = rl_session_new ();
  fixture->settings = g_settings_new ("org.reloop.Console");

  /* The memory backend lives as long as the process: start each test from
   * the defaults. */
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (fixture->settings, keys[i]);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->settings);
}

static void
assert_error_contains (RlSignInPage *page,
                       const char   *expected)
{
  const char *error = rl_sign_in_page_get_error (page);

  g_assert_nonnull (error);
  if (strstr (error, expected) == NULL)
    g_error ("Error shown: “%s”; expected it to contain “%s”", error, expected);
}

static void
test_sign_in_validation (Fixture      *fixture,
                         gconstpointer data)
{
  RlSignInPage    *page = rl_sign_in_page_new (fixture->session, fixture->settings);
  g_autofree char *stored = NULL;

  g_object_ref_sink (page);
  g_assert_null (rl_sign_in_page_get_error (page));

  /* No server. */
  rl_sign_in_page_fill (page, "", "admin@demo.reloop.np");
  rl_sign_in_page_set_password (page, "secret");
  g_assert_false (rl_sign_in_page_submit (page));
  assert_error_contains (page, "Enter the address of your ReLoop server");

  /* Plain http to another computer. */
  rl_sign_in_page_fill (page, "http://reloop.example.org", NULL);
  rl_sign_in_page_set_password (page, "secret");
  g_assert_false (rl_sign_in_page_submit (page));
  assert_error_contains (page, "Plain http:// is only allowed for a server on this computer");

  /* Not a URL at all. */
  rl_sign_in_page_fill (page, "https://", NULL);
  rl_sign_in_page_set_password (page, "secret");
  g_assert_false (rl_sign_in_page_submit (page));
  assert_error_contains (page, "is not a valid server address");

  /* Server fine, email missing or malformed. */
  rl_sign_in_page_fill (page, "https://reloop.example.org", "");
  rl_sign_in_page_set_password (page, "secret");
  g_assert_false (rl_sign_in_page_submit (page));
  assert_error_contains (page, "Enter the email address of your account");

  rl_sign_in_page_fill (page, NULL, "dispatcher");
  rl_sign_in_page_set_password (page, "secret");
  g_assert_false (rl_sign_in_page_submit (page));
  assert_error_contains (page, "This is not an email address");

  /* Password missing. */
  rl_sign_in_page_fill (page, NULL, "dispatcher@demo.reloop.np");
  g_assert_false (rl_sign_in_page_submit (page));
  assert_error_contains (page, "Enter your password");
  g_assert_false (rl_sign_in_page_get_busy (page));

  /* Nothing invalid was remembered. */
  stored = g_settings_get_string (fixture->settings, "server-url");
  g_assert_cmpstr (stored, ==, "");

  /* Clearing the message hides it. */
  rl_sign_in_page_show_error (page, NULL);
  g_assert_null (rl_sign_in_page_get_error (page));

  g_object_unref (page);
}

/* The truth table from the brief, written out independently of the code. */
static const struct
{
  RlRole      role;
  const char *visible[6];
} role_pages[] = {
  { RL_ROLE_DISPATCHER, { "map", "alerts", NULL } },
  { RL_ROLE_SUPPORT, { "map", "alerts", "activity", "conflicts", NULL } },
  { RL_ROLE_ADMIN, { "map", "alerts", "providers", "activity", "conflicts", NULL } },
  { RL_ROLE_NONE, { NULL } },
};

static const char *const all_pages[] = {
  "map", "alerts", "providers", "activity", "conflicts", NULL
};

static void
test_role_pages (Fixture      *fixture,
                 gconstpointer data)
{
  RlWindow     *window = rl_window_new (NULL, fixture->session, fixture->settings);
  AdwViewStack *stack = rl_window_get_view_stack (window);

  g_assert_cmpstr (rl_window_get_view (window), ==, "sign-in");

  for (guint r = 0; r < G_N_ELEMENTS (role_pages); r++)
    {
      const char *current;
      guint       n_visible = 0;

      /* Start from the page this role may not see, when there is one. */
      adw_view_stack_set_visible_child_name (stack, "providers");
      rl_window_apply_role (window, role_pages[r].role);

      for (guint p = 0; all_pages[p] != NULL; p++)
        {
          GtkWidget        *child = adw_view_stack_get_child_by_name (stack, all_pages[p]);
          AdwViewStackPage *page;
          gboolean          expected;

          g_assert_nonnull (child);
          page = adw_view_stack_get_page (stack, child);
          expected = g_strv_contains (role_pages[r].visible, all_pages[p]);
          if (adw_view_stack_page_get_visible (page) != expected)
            g_error ("role %s: page %s visible=%d, expected %d",
                     rl_role_to_string (role_pages[r].role), all_pages[p],
                     adw_view_stack_page_get_visible (page), expected);
          g_assert_cmpint (rl_window_role_may_see (role_pages[r].role, all_pages[p]), ==, expected);
          n_visible += expected;
        }

      /* The page on screen is one the role may use. */
      current = adw_view_stack_get_visible_child_name (stack);
      if (n_visible > 0)
        g_assert_true (g_strv_contains (role_pages[r].visible, current));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static char *
summary (RlSessionState state,
         gint64         since,
         guint          pending,
         guint          failed,
         guint          conflicts,
         double         progress,
         gboolean       sync_error)
{
  RlStatusFacts facts = { state, since, pending, failed, conflicts, progress, sync_error };

  return rl_status_format_summary (&facts);
}

static void
test_status_texts (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) at = g_date_time_new_local (g_date_time_get_year (now),
                                                    g_date_time_get_month (now),
                                                    g_date_time_get_day_of_month (now),
                                                    9, 5, 0);
  gint64 since = g_date_time_to_unix (at) * 1000;
  struct
  {
    RlSessionState state;
    gint64         since;
    guint          pending, failed, conflicts;
    double         progress;
    gboolean       sync_error;
    const char    *expected;
  } cases[] = {
    { RL_SESSION_STATE_ONLINE, 0, 0, 0, 0, -1, FALSE, "Online" },
    { RL_SESSION_STATE_SIGNED_OUT, 0, 4, 1, 1, -1, TRUE, "Signed out" },
    { RL_SESSION_STATE_SYNCING, 0, 0, 0, 0, -1, FALSE, "Syncing…" },
    { RL_SESSION_STATE_SYNCING, 0, 0, 0, 0, 0.42, FALSE, "Syncing… 42 %" },
    { RL_SESSION_STATE_OFFLINE, since, 3, 0, 0, -1, FALSE, "Offline since 09:05 · 3 changes waiting" },
    { RL_SESSION_STATE_OFFLINE, since, 1, 0, 0, -1, FALSE, "Offline since 09:05 · 1 change waiting" },
    /* Offline, what waits is said even when nothing does. */
    { RL_SESSION_STATE_OFFLINE, 0, 0, 0, 0, -1, FALSE, "Offline · 0 changes waiting" },
    { RL_SESSION_STATE_OFFLINE, since, 2, 1, 3, -1, FALSE,
      "Offline since 09:05 · 2 changes waiting · 1 change refused · 3 conflicts" },
    /* Online, only what is there. */
    { RL_SESSION_STATE_ONLINE, 0, 2, 0, 1, -1, FALSE, "Online · 2 changes waiting · 1 conflict" },
    { RL_SESSION_STATE_ONLINE, 0, 5, 0, 0, -1, TRUE, "Sync failing, retrying · 5 changes waiting" },
    { RL_SESSION_STATE_SYNCING, 0, 0, 2, 0, 0.5, FALSE, "Syncing… 50 % · 2 changes refused" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = summary (cases[i].state, cases[i].since, cases[i].pending,
                                       cases[i].failed, cases[i].conflicts, cases[i].progress,
                                       cases[i].sync_error);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  g_assert_cmpstr (rl_status_describe_keyring (RL_KEYRING_AVAILABLE), ==, "Available");
  g_assert_nonnull (strstr (rl_status_describe_keyring (RL_KEYRING_LOCKED), "Locked"));
  g_assert_nonnull (strstr (rl_status_describe_keyring (RL_KEYRING_NO_SERVICE), "Secret Service"));
}

static void
test_status_indicator (Fixture      *fixture,
                       gconstpointer data)
{
  RlStatusIndicator *indicator = g_object_new (RL_TYPE_STATUS_INDICATOR, NULL);

  g_object_ref_sink (indicator);
  rl_status_indicator_set_session (indicator, fixture->session);
  /* A new session is signed out. */
  g_assert_cmpstr (rl_status_indicator_get_summary (indicator), ==, "Signed out");
  rl_status_indicator_set_session (indicator, NULL);
  g_object_unref (indicator);
}

/* Depth-first search for a label showing @text (popovers included: a menu
 * button's popover is its child). */
static GtkLabel *
find_label (GtkWidget  *root,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return GTK_LABEL (child);
      found = find_label (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* Every text of the indicator and its popover follows the session's
 * properties by the template's bindings: no call to the indicator. */
static void
test_status_bindings (Fixture      *fixture,
                      gconstpointer data)
{
  RlSession         *session = fixture->session;
  RlStatusIndicator *indicator = g_object_new (RL_TYPE_STATUS_INDICATOR, "session", session,
                                               "mqtt-url", "mqtt://127.0.0.1:1883", NULL);
  GtkWidget         *root = GTK_WIDGET (indicator);
  GtkImage          *icon;
  GtkProgressBar    *progress;
  GtkLabel          *summary_label;
  guint              n_summary = 0;

  g_object_ref_sink (indicator);
  icon = GTK_IMAGE (find_type (root, GTK_TYPE_IMAGE));
  progress = GTK_PROGRESS_BAR (find_type (root, GTK_TYPE_PROGRESS_BAR));
  g_signal_connect (indicator, "notify::summary", G_CALLBACK (count_notify_cb), &n_summary);

  g_assert_cmpstr (rl_status_indicator_get_summary (indicator), ==, "Signed out");
  g_assert_cmpstr (gtk_image_get_icon_name (icon), ==, "avatar-default-symbolic");
  g_assert_nonnull (find_label (root, "Not signed in"));
  g_assert_nonnull (find_label (root, "Not checked yet"));
  g_assert_nonnull (find_label (root, "Not connected (mqtt://127.0.0.1:1883)"));
  g_assert_nonnull (find_label (root, "Never"));

  rl_session_update_state (session, RL_SESSION_STATE_ONLINE);
  g_assert_cmpstr (rl_status_indicator_get_summary (indicator), ==, "Online");
  g_assert_cmpuint (n_summary, ==, 1);
  g_assert_cmpstr (gtk_image_get_icon_name (icon), ==, "network-transmit-receive-symbolic");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (icon), "success"));
  g_assert_nonnull (find_label (root, "Not reachable"));
  /* The popover's title and the button's tooltip are the summary too. */
  summary_label = find_label (root, "Online");
  g_assert_nonnull (summary_label);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (gtk_widget_get_first_child (root)), ==, "Online");

  /* One property: its row changes, the summary does not. */
  rl_session_update_reachable (session, TRUE);
  g_assert_nonnull (find_label (root, "Reachable"));
  g_assert_cmpuint (n_summary, ==, 1);

  rl_session_update_state (session, RL_SESSION_STATE_OFFLINE);
  g_assert_true (g_str_has_prefix (rl_status_indicator_get_summary (indicator), "Offline since "));
  g_assert_true (g_str_has_suffix (rl_status_indicator_get_summary (indicator),
                                   "0 changes waiting"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (icon), "warning"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (icon), "success"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (progress)));

  rl_session_update_state (session, RL_SESSION_STATE_SYNCING);
  rl_session_update_sync_progress (session, 0.42);
  g_assert_cmpstr (rl_status_indicator_get_summary (indicator), ==, "Syncing… 42 %");
  g_assert_cmpstr (gtk_image_get_icon_name (icon), ==, "emblem-synchronizing-symbolic");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (progress)));
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (progress), 0.42, 1e-9);

  /* The indicator's own properties. */
  rl_status_indicator_set_mqtt_url (indicator, "");
  g_assert_nonnull (find_label (root, "Not set up: add a broker in Preferences"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (find_label (root, "Syncing… 42 %"))));
  g_object_set (indicator, "compact", TRUE, NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (find_label (root, "Syncing… 42 %"))));

  g_object_unref (indicator);
}

/* The window hands its session to every page and the status indicator by
 * bindings in its template; the pages follow the session's state. */
static void
test_window_session (Fixture      *fixture,
                     gconstpointer data)
{
  RlWindow     *window = rl_window_new (NULL, fixture->session, fixture->settings);
  AdwViewStack *stack = rl_window_get_view_stack (window);
  GtkWidget    *activity = adw_view_stack_get_child_by_name (stack, "activity");

  g_assert_true (rl_window_get_session (window) == fixture->session);
  for (guint p = 0; all_pages[p] != NULL; p++)
    g_assert_true (rl_page_get_session (RL_PAGE (adw_view_stack_get_child_by_name (
                       stack, all_pages[p])))
                   == fixture->session);
  g_assert_true (
      rl_status_indicator_get_session (RL_STATUS_INDICATOR (find_type (
          GTK_WIDGET (window), RL_TYPE_STATUS_INDICATOR)))
      == fixture->session);

  /* The Activity page says when it reads the cache offline. */
  {
    GtkWidget *offline = GTK_WIDGET (find_label (activity, "Offline — read from the cache"));

    g_assert_nonnull (offline);
    g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (offline)));
    rl_session_update_state (fixture->session, RL_SESSION_STATE_OFFLINE);
    g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (offline)));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The feed tools' actions (src/rl-window-feed-tools.c) exist with the
 * agreed shapes, and stay disabled while signed out (no feed, no cache). */
static void
test_window_feed_tools (Fixture      *fixture,
                        gconstpointer data)
{
  RlWindow     *window = rl_window_new (NULL, fixture->session, fixture->settings);
  GActionGroup *group = G_ACTION_GROUP (window);
  g_autoptr (GVariant) state = NULL;

  g_assert_true (g_action_group_has_action (group, "feed-record"));
  g_assert_true (g_action_group_has_action (group, "feed-replay"));
  g_assert_true (g_action_group_has_action (group, "export-readings"));
  state = g_action_group_get_action_state (group, "feed-record");
  g_assert_nonnull (state);
  g_assert_true (g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN));
  g_assert_false (g_variant_get_boolean (state));
  g_assert_null (g_action_group_get_action_parameter_type (group, "feed-record"));
  g_assert_null (g_action_group_get_action_parameter_type (group, "feed-replay"));
  g_assert_true (g_variant_type_equal (
      g_action_group_get_action_parameter_type (group, "export-readings"), G_VARIANT_TYPE_STRING));
  for (const char *const *name =
           (const char *const[]){ "feed-record", "feed-replay", "export-readings", NULL };
       *name != NULL; name++)
    g_assert_false (g_action_group_get_action_enabled (group, *name));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Depth-first search for a widget of a type whose "title" is title (rows). */
static GtkWidget *
find_titled (GtkWidget  *root,
             GType       type,
             const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        {
          g_autofree char *child_title = NULL;

          if (title == NULL)
            return child;
          if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "title") != NULL)
            g_object_get (child, "title", &child_title, NULL);
          if (g_strcmp0 (child_title, title) == 0)
            return child;
        }

      found = find_titled (child, type, title);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Depth-first search for a button by its tooltip (the remove buttons say
 * their accessible name there too) or its AdwButtonContent's label. */
static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child))
        {
          GtkWidget *content = gtk_button_get_child (GTK_BUTTON (child));

          if (g_strcmp0 (gtk_widget_get_tooltip_text (child), name) == 0
              || (ADW_IS_BUTTON_CONTENT (content)
                  && g_strcmp0 (adw_button_content_get_label (ADW_BUTTON_CONTENT (content)), name)
                         == 0))
            return child;
        }
      found = find_named (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The visible error label of a preferences group, if any. */
static const char *
find_visible_error (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *found;

      if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "error")
          && gtk_widget_get_visible (child))
        return gtk_label_get_text (GTK_LABEL (child));

      found = find_visible_error (child);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_preferences_window (Fixture      *fixture,
                         gconstpointer data)
{
  RlPreferencesWindow *prefs =
      rl_preferences_window_new (NULL, fixture->session, fixture->settings);
  GtkWidget       *tile_row = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Tile URL Template");
  GtkWidget       *prefix_row = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Topic Prefix");
  GtkWidget       *fill_row = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ACTION_ROW, "Full Bin");
  GtkWidget       *days_row = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ACTION_ROW, "Keep Readings");
  GtkSpinButton   *fill_spin, *days_spin;
  g_autofree char *tiles = NULL;
  g_autofree char *prefix = NULL;

  g_assert_nonnull (tile_row);
  g_assert_nonnull (prefix_row);
  g_assert_nonnull (fill_row);
  g_assert_nonnull (days_row);
  fill_spin = GTK_SPIN_BUTTON (find_titled (fill_row, GTK_TYPE_SPIN_BUTTON, NULL));
  days_spin = GTK_SPIN_BUTTON (find_titled (days_row, GTK_TYPE_SPIN_BUTTON, NULL));
  g_assert_nonnull (fill_spin);
  g_assert_nonnull (days_spin);
  g_assert_null (find_visible_error (GTK_WIDGET (prefs)));

  /* The rows show the settings, both ways. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (prefix_row)), ==, "devices");
  g_assert_cmpfloat (gtk_spin_button_get_value (fill_spin), ==, 85.0);
  g_settings_set_double (fixture->settings, "fill-alert-threshold", 72.0);
  g_assert_cmpfloat (gtk_spin_button_get_value (fill_spin), ==, 72.0);
  gtk_spin_button_set_value (days_spin, 90);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "reading-retention-days"), ==, 90);

  /* Ranges are enforced. */
  gtk_spin_button_set_value (fill_spin, 250);
  g_assert_cmpfloat (g_settings_get_double (fixture->settings, "fill-alert-threshold"), ==, 100.0);
  gtk_spin_button_set_value (days_spin, 0);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "reading-retention-days"), ==, 1);

  /* An invalid template is refused in place and not stored. */
  gtk_editable_set_text (GTK_EDITABLE (tile_row), "https://tiles.example.org/{z}/{x}.png");
  g_signal_emit_by_name (tile_row, "apply");
  g_assert_nonnull (find_visible_error (GTK_WIDGET (prefs)));
  g_assert_nonnull (strstr (find_visible_error (GTK_WIDGET (prefs)), "{z}, {x} and {y}"));
  g_assert_true (gtk_widget_has_css_class (tile_row, "error"));
  tiles = g_settings_get_string (fixture->settings, "tile-url-template");
  g_assert_cmpstr (tiles, ==, "");

  /* A valid one is stored and the message goes away. */
  gtk_editable_set_text (GTK_EDITABLE (tile_row), "https://tiles.example.org/{z}/{x}/{y}.png");
  g_signal_emit_by_name (tile_row, "apply");
  g_assert_null (find_visible_error (GTK_WIDGET (prefs)));
  g_assert_false (gtk_widget_has_css_class (tile_row, "error"));
  g_free (tiles);
  tiles = g_settings_get_string (fixture->settings, "tile-url-template");
  g_assert_cmpstr (tiles, ==, "https://tiles.example.org/{z}/{x}/{y}.png");

  /* A wildcard in the topic prefix is refused. */
  gtk_editable_set_text (GTK_EDITABLE (prefix_row), "devices/#");
  g_signal_emit_by_name (prefix_row, "apply");
  g_assert_nonnull (find_visible_error (GTK_WIDGET (prefs)));
  prefix = g_settings_get_string (fixture->settings, "mqtt-topic-prefix");
  g_assert_cmpstr (prefix, ==, "devices");

  gtk_window_destroy (GTK_WINDOW (prefs));
}

static void
test_accelerators (void)
{
  g_autoptr (RlApplication) app = rl_application_new ();
  struct
  {
    const char *action;
    const char *accel;
  } expected[] = {
    { "app.preferences", "<Control>comma" },
    { "app.quit", "<Control>q" },
    { "win.show-help-overlay", "<Control>question" },
    { "win.show-page('map')", "<Alt>1" },
    { "win.show-page('alerts')", "<Alt>2" },
    { "win.show-page('providers')", "<Alt>3" },
    { "win.show-page('activity')", "<Alt>4" },
    { "win.show-page('conflicts')", "<Alt>5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                     expected[i].action);

      g_assert_nonnull (accels);
      g_assert_cmpstr (accels[0], ==, expected[i].accel);
    }

  for (const char *const *name =
           (const char *const[]){ "quit", "preferences", "about", "sign-out", NULL };
       *name != NULL; name++)
    g_assert_nonnull (g_action_map_lookup_action (G_ACTION_MAP (app), *name));
}

/* A string setting's text; for the broker list, its first URL ("" when
 * empty). */
static char *
setting_text (GSettings  *settings,
              const char *key)
{
  g_auto (GStrv) urls = NULL;

  if (!g_str_equal (key, "mqtt-urls"))
    return g_settings_get_string (settings, key);
  urls = g_settings_get_strv (settings, key);
  return g_strdup (urls[0] != NULL ? urls[0] : "");
}

/* The broker list in Preferences: the old single URL is shown (and read)
 * until the list is saved; "Add Broker" adds a row checked like the first;
 * the list is stored in order, a refused row stores nothing, and removing
 * a row stores the rest. */
static void
test_preference_brokers (Fixture      *fixture,
                         gconstpointer data)
{
  RlPreferencesWindow *prefs;
  GtkWidget           *add, *first, *second, *third, *remove;
  g_auto (GStrv) urls = NULL;
  g_autofree char *old = NULL;

  g_settings_set_string (fixture->settings, "mqtt-url", "mqtt://old.example.org:1883");
  g_settings_reset (fixture->settings, "mqtt-urls");
  prefs = rl_preferences_window_new (NULL, fixture->session, fixture->settings);
  first = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Broker URL");
  g_assert_nonnull (first);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (first)), ==, "mqtt://old.example.org:1883");
  add = find_named (GTK_WIDGET (prefs), "Add Broker");
  g_assert_nonnull (add);
  g_assert_null (find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Broker URL 2"));

  g_signal_emit_by_name (add, "clicked");
  second = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Broker URL 2");
  g_assert_nonnull (second);
  gtk_editable_set_text (GTK_EDITABLE (second), "ws://b.example.org");
  g_signal_emit_by_name (second, "apply");
  g_assert_true (gtk_widget_has_css_class (second, "error"));
  g_assert_nonnull (strstr (find_visible_error (GTK_WIDGET (prefs)), "mqtt://"));
  urls = g_settings_get_strv (fixture->settings, "mqtt-urls");
  g_assert_cmpuint (g_strv_length (urls), ==, 0);
  g_clear_pointer (&urls, g_strfreev);

  gtk_editable_set_text (GTK_EDITABLE (second), "MQTT://B.example.org");
  g_assert_false (gtk_widget_has_css_class (second, "error"));
  g_signal_emit_by_name (second, "apply");
  g_signal_emit_by_name (add, "clicked");
  third = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Broker URL 3");
  g_assert_nonnull (third);
  gtk_editable_set_text (GTK_EDITABLE (third), "mqtt://c.example.org:1884");
  g_signal_emit_by_name (third, "apply");
  urls = g_settings_get_strv (fixture->settings, "mqtt-urls");
  g_assert_cmpuint (g_strv_length (urls), ==, 3);
  g_assert_cmpstr (urls[0], ==, "mqtt://old.example.org:1883");
  g_assert_cmpstr (urls[1], ==, "mqtt://b.example.org:1883");
  g_assert_cmpstr (urls[2], ==, "mqtt://c.example.org:1884");
  g_clear_pointer (&urls, g_strfreev);
  /* The list replaces the old key. */
  old = g_settings_get_string (fixture->settings, "mqtt-url");
  g_assert_cmpstr (old, ==, "");

  /* Removing the second: the third becomes "Broker URL 2". */
  remove = find_named (GTK_WIDGET (prefs), "Remove Broker 2");
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  urls = g_settings_get_strv (fixture->settings, "mqtt-urls");
  g_assert_cmpuint (g_strv_length (urls), ==, 2);
  g_assert_cmpstr (urls[1], ==, "mqtt://c.example.org:1884");
  g_clear_pointer (&urls, g_strfreev);
  g_assert_true (find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Broker URL 2") == third);
  g_assert_nonnull (find_named (GTK_WIDGET (prefs), "Remove Broker 2"));
  g_assert_null (find_named (GTK_WIDGET (prefs), "Remove Broker 3"));
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* Opened again: the rows as stored. */
  prefs = rl_preferences_window_new (NULL, fixture->session, fixture->settings);
  second = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Broker URL 2");
  g_assert_nonnull (second);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (second)), ==, "mqtt://c.example.org:1884");
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_reset (fixture->settings, "mqtt-urls");
}

/* Each address row checks its text with core's rule when applied: a refused
 * text is worded under the row and nothing is stored; an accepted one is
 * stored and shown normalised. */
static void
test_preference_rows (Fixture      *fixture,
                      gconstpointer data)
{
  RlPreferencesWindow *prefs =
      rl_preferences_window_new (NULL, fixture->session, fixture->settings);
  const struct
  {
    const char *row;
    const char *key;
    const char *text;
    const char *stored;  /* NULL: refused */
    const char *message; /* part of the words shown when refused */
  } cases[] = {
    { "Broker URL", "mqtt-urls", "http://broker.example.org", NULL,
      "must start with mqtt:// or mqtts://" },
    { "Broker URL", "mqtt-urls", "broker.example.org", NULL, "This is not a URL" },
    { "Broker URL", "mqtt-urls", "mqtt://", NULL, "needs a host name" },
    { "Broker URL", "mqtt-urls", "mqtt://host:99999", NULL, "between 1 and 65535" },
    { "Broker URL", "mqtt-urls", "mqtt://user:secret@host:1883", NULL, "user name" },
    { "Broker URL", "mqtt-urls", "MQTT://Broker.Example.org:1883", "mqtt://broker.example.org:1883" },
    { "Broker URL", "mqtt-urls", "mqtts://broker.example.org", "mqtts://broker.example.org:8883" },
    { "Broker URL", "mqtt-urls", "", "" },
    { "Topic Prefix", "mqtt-topic-prefix", "", NULL, "cannot be empty" },
    { "Topic Prefix", "mqtt-topic-prefix", "devices/#", NULL, "wildcards + or #" },
    { "Topic Prefix", "mqtt-topic-prefix", "/devices", NULL, "empty level" },
    { "Topic Prefix", "mqtt-topic-prefix", "ktm/ward-10/devices/", "ktm/ward-10/devices" },
    { "Tile URL Template", "tile-url-template", "https://tiles.example.org/{z}/{x}.png", NULL,
      "{z}, {x} and {y}" },
    { "Tile URL Template", "tile-url-template", "file:///tiles/{z}/{x}/{y}.png", NULL,
      "https:// or http://" },
    { "Tile URL Template", "tile-url-template", "HTTPS://Tiles.Example.org/{z}/{x}/{y}.png",
      "https://tiles.example.org/{z}/{x}/{y}.png" },
    { "Tile URL Template", "tile-url-template", "", "" },
    { "Server URL", "server-url", "http://reloop.example.org", NULL,
      "Plain http:// is only allowed for a server on this computer" },
    { "Server URL", "server-url", "https://", NULL, "“https://” is not a valid server address" },
    { "Server URL", "server-url", "ReLoop.Example.org/", "https://reloop.example.org" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkWidget       *row = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, cases[i].row);
      g_autofree char *before = setting_text (fixture->settings, cases[i].key);
      g_autofree char *after = NULL;
      const char      *shown;

      g_test_message ("%s: “%s”", cases[i].row, cases[i].text);
      g_assert_nonnull (row);
      gtk_editable_set_text (GTK_EDITABLE (row), cases[i].text);
      g_signal_emit_by_name (row, "apply");
      after = setting_text (fixture->settings, cases[i].key);
      shown = find_visible_error (GTK_WIDGET (prefs));
      if (cases[i].stored != NULL)
        {
          g_assert_null (shown);
          g_assert_false (gtk_widget_has_css_class (row, "error"));
          g_assert_cmpstr (after, ==, cases[i].stored);
          g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, cases[i].stored);
        }
      else
        {
          g_assert_nonnull (shown);
          if (strstr (shown, cases[i].message) == NULL)
            g_error ("“%s” shows “%s”; expected “%s” in it", cases[i].text, shown,
                     cases[i].message);
          g_assert_true (gtk_widget_has_css_class (row, "error"));
          g_assert_cmpstr (after, ==, before);
        }
    }

  /* A row in error clears as soon as its text is valid, before Apply. */
  {
    GtkWidget       *row = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Topic Prefix");
    g_autofree char *prefix = NULL;

    gtk_editable_set_text (GTK_EDITABLE (row), "devices/+");
    g_signal_emit_by_name (row, "apply");
    g_assert_true (gtk_widget_has_css_class (row, "error"));
    gtk_editable_set_text (GTK_EDITABLE (row), "devices/+/x");
    g_assert_true (gtk_widget_has_css_class (row, "error"));
    g_assert_nonnull (find_visible_error (GTK_WIDGET (prefs)));
    gtk_editable_set_text (GTK_EDITABLE (row), "city");
    g_assert_false (gtk_widget_has_css_class (row, "error"));
    g_assert_null (find_visible_error (GTK_WIDGET (prefs)));
    prefix = g_settings_get_string (fixture->settings, "mqtt-topic-prefix");
    g_assert_cmpstr (prefix, ==, "ktm/ward-10/devices");
  }

  /* Rows of a group share its message: a row that is fine does not hide
   * another row's error. */
  {
    GtkWidget *url_row = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Broker URL");
    GtkWidget *prefix_row = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Topic Prefix");

    gtk_editable_set_text (GTK_EDITABLE (url_row), "ws://broker.example.org");
    g_signal_emit_by_name (url_row, "apply");
    gtk_editable_set_text (GTK_EDITABLE (prefix_row), "devices");
    g_signal_emit_by_name (prefix_row, "apply");
    g_assert_true (gtk_widget_has_css_class (url_row, "error"));
    g_assert_nonnull (find_visible_error (GTK_WIDGET (prefs)));
    g_assert_nonnull (strstr (find_visible_error (GTK_WIDGET (prefs)), "mqtt://"));
    gtk_editable_set_text (GTK_EDITABLE (url_row), "mqtt://broker.example.org");
    g_signal_emit_by_name (url_row, "apply");
    g_assert_null (find_visible_error (GTK_WIDGET (prefs)));
  }

  gtk_window_destroy (GTK_WINDOW (prefs));
}

/* What Preferences accepts, the feed starts with: the broker row used to take
 * "MQTT://…" (its check ignored case) while the feed refused it. */
static void
test_preferences_feed_agree (Fixture      *fixture,
                             gconstpointer data)
{
  RlPreferencesWindow *prefs =
      rl_preferences_window_new (NULL, fixture->session, fixture->settings);
  GtkWidget       *url_row = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Broker URL");
  GtkWidget       *prefix_row = find_titled (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Topic Prefix");
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "feed.sqlite", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlStore) store = NULL;
  /* Port 1 on loopback: nothing listens; the feed starts and keeps retrying. */
  const char *typed[] = {
    "MQTT://127.0.0.1:1",
    "mqtt://LOCALHOST:1/",
    "Mqtts://127.0.0.1:1",
    "mqtt://[::1]:1",
  };

  g_assert_nonnull (url_row);
  g_assert_nonnull (prefix_row);
  g_assert_true (g_mkdir_with_parents (g_get_user_data_dir (), 0700) == 0);
  store = rl_store_open (path, &error);
  g_assert_no_error (error);

  gtk_editable_set_text (GTK_EDITABLE (prefix_row), "devices/");
  g_signal_emit_by_name (prefix_row, "apply");
  g_assert_null (find_visible_error (GTK_WIDGET (prefs)));

  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      g_autoptr (RlFeed) feed = rl_feed_new (store);
      g_autofree char *url = NULL;
      g_autofree char *prefix = NULL;
      RlFeedConfig     config = { 0 };

      g_test_message ("typed “%s”", typed[i]);
      gtk_editable_set_text (GTK_EDITABLE (url_row), typed[i]);
      g_signal_emit_by_name (url_row, "apply");
      g_assert_null (find_visible_error (GTK_WIDGET (prefs)));

      url = setting_text (fixture->settings, "mqtt-urls");
      prefix = g_settings_get_string (fixture->settings, "mqtt-topic-prefix");
      config.url = url;
      config.topic_prefix = prefix;
      config.client_id = "gui-test";
      g_assert_true (rl_feed_start (feed, &config, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (rl_feed_get_url (feed), ==, url);
      rl_feed_stop (feed);
    }

  gtk_window_destroy (GTK_WINDOW (prefs));
}

/* The local alert rules' settings reach the session (and from it the
 * feed) when the application starts, and follow a change. */
static void
test_alert_rule_settings (void)
{
  g_autoptr (RlApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  GSettings *settings;
  RlSession *session;
  double     fill = 0, temperature = 0;
  guint      minutes = 0;

  g_setenv ("RELOOP_CONSOLE_NON_UNIQUE", "1", TRUE);
  app = rl_application_new ();
  g_unsetenv ("RELOOP_CONSOLE_NON_UNIQUE");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  settings = rl_application_get_settings (app);
  session = rl_application_get_session (app);

  g_settings_set_double (settings, "temperature-alert-threshold", 45.5);
  g_object_get (session, "fill-alert-threshold", &fill, "temperature-alert-threshold",
                &temperature, "offline-after-minutes", &minutes, NULL);
  g_assert_cmpfloat (fill, ==, g_settings_get_double (settings, "fill-alert-threshold"));
  g_assert_cmpfloat (temperature, ==, 45.5);
  g_assert_cmpuint (minutes, ==, 30);

  g_settings_set_double (settings, "fill-alert-threshold", 70);
  g_settings_set_double (settings, "battery-alert-threshold", 15);
  g_settings_set_uint (settings, "offline-after-minutes", 12);
  g_object_get (session, "fill-alert-threshold", &fill, "offline-after-minutes", &minutes, NULL);
  g_assert_cmpfloat (fill, ==, 70);
  g_assert_cmpuint (minutes, ==, 12);
  g_object_get (session, "battery-alert-threshold", &fill, NULL);
  g_assert_cmpfloat (fill, ==, 15);
  g_settings_reset (settings, "fill-alert-threshold");
  g_settings_reset (settings, "battery-alert-threshold");
  g_settings_reset (settings, "temperature-alert-threshold");
  g_settings_reset (settings, "offline-after-minutes");
}

/* --mqtt goes through the broker rule: a bad URL stops the console with the
 * same words Preferences shows; a good one is kept normalised. */
static void
test_mqtt_option (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (RlApplication) app = rl_application_new ();
      g_autoptr (GVariantDict) options = g_variant_dict_new (NULL);
      int status = -2;

      const char *typed[] = { "mqtt://broker-a.example.org", "http://broker.example.org", NULL };

      /* The second of two is refused: the console stops. */
      g_variant_dict_insert (options, "mqtt", "^as", typed);
      g_signal_emit_by_name (app, "handle-local-options", options, &status);
      g_assert_cmpint (status, ==, 1);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*--mqtt: The broker URL must start with mqtt:// or mqtts://.*");

  {
    g_autoptr (RlApplication) app = rl_application_new ();
    g_autoptr (GVariantDict) options = g_variant_dict_new (NULL);
    int status = -2;

    /* --mqtt A --mqtt B: both brokers, in order, normalised. */
    const char        *typed[] = { "MQTT://Broker.Example.org", "mqtts://b.example.org", NULL };
    const char *const *urls;

    g_variant_dict_insert (options, "mqtt", "^as", typed);
    g_signal_emit_by_name (app, "handle-local-options", options, &status);
    g_assert_cmpint (status, ==, -1);
    urls = rl_application_get_mqtt_urls (app);
    g_assert_nonnull (urls);
    g_assert_cmpstr (urls[0], ==, "mqtt://broker.example.org:1883");
    g_assert_cmpstr (urls[1], ==, "mqtts://b.example.org:8883");
    g_assert_null (urls[2]);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "Asia/Kathmandu", TRUE);
  gui_test_prepare_env ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/gui/sign-in/validation", Fixture, NULL,
              fixture_set_up, test_sign_in_validation, fixture_tear_down);
  g_test_add ("/gui/window/role-pages", Fixture, NULL,
              fixture_set_up, test_role_pages, fixture_tear_down);
  g_test_add ("/gui/status/indicator", Fixture, NULL,
              fixture_set_up, test_status_indicator, fixture_tear_down);
  g_test_add ("/gui/status/bindings", Fixture, NULL,
              fixture_set_up, test_status_bindings, fixture_tear_down);
  g_test_add ("/gui/preferences/brokers", Fixture, NULL,
              fixture_set_up, test_preference_brokers, fixture_tear_down);
  g_test_add ("/gui/window/session", Fixture, NULL,
              fixture_set_up, test_window_session, fixture_tear_down);
  g_test_add_func ("/gui/status/texts", test_status_texts);
  g_test_add ("/gui/window/feed-tools", Fixture, NULL, fixture_set_up, test_window_feed_tools,
              fixture_tear_down);
  g_test_add ("/gui/preferences/rows", Fixture, NULL,
              fixture_set_up, test_preference_rows, fixture_tear_down);
  g_test_add ("/gui/preferences/feed-agrees", Fixture, NULL,
              fixture_set_up, test_preferences_feed_agree, fixture_tear_down);
  g_test_add_func ("/gui/application/accelerators", test_accelerators);
  g_test_add_func ("/gui/application/mqtt-option", test_mqtt_option);
  g_test_add_func ("/gui/application/alert-rule-settings", test_alert_rule_settings);
  g_test_add ("/gui/preferences/window", Fixture, NULL,
              fixture_set_up, test_preferences_window, fixture_tear_down);

  return g_test_run ();
}
