/* rl-provider-row.c — one provider in the Providers page.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Health is an icon and words (never colour alone). The row's menu, its
 * keyboard shortcuts and drag and drop all go through the page's
 * "providers.*" actions with the provider's id as target.
 */
#include "config.h"

#include "rl-provider-row.h"

#include <glib/gi18n.h>

#include "rl-core-enums.h"
#include "rl-ui-format.h"

struct _RlProviderRow
{
  AdwActionRow parent_instance;

  RlProviderItem       *item;
  RlProviderTestResult *test;
  gboolean              testing;
  GtkImage             *health_icon;
  GtkLabel             *health_label;
  GtkLabel             *disabled_label;
  GtkMenuButton        *menu_button;
};

G_DEFINE_FINAL_TYPE (RlProviderRow, rl_provider_row, ADW_TYPE_ACTION_ROW)

/* ---- Words --------------------------------------------------------------------- */

/* ---- Helpers ------------------------------------------------------------------- */

static const char *
health_icon (RlProviderHealth health)
{
  switch (health)
    {
    case RL_PROVIDER_HEALTH_HEALTHY:
      return "emblem-ok-symbolic";
    case RL_PROVIDER_HEALTH_DEGRADED:
      return "dialog-warning-symbolic";
    case RL_PROVIDER_HEALTH_DOWN:
      return "network-error-symbolic";
    case RL_PROVIDER_HEALTH_CIRCUIT_OPEN:
      return "process-stop-symbolic";
    case RL_PROVIDER_HEALTH_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

static const char *
health_class (RlProviderHealth health)
{
  switch (health)
    {
    case RL_PROVIDER_HEALTH_HEALTHY:
      return "success";
    case RL_PROVIDER_HEALTH_DEGRADED:
      return "warning";
    case RL_PROVIDER_HEALTH_DOWN:
    case RL_PROVIDER_HEALTH_CIRCUIT_OPEN:
      return "error";
    case RL_PROVIDER_HEALTH_UNKNOWN:
    default:
      return "dim-label";
    }
}

static void
set_css_class (GtkWidget  *widget,
               const char *name)
{
  const char *all[] = { "success", "warning", "error", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (g_strcmp0 (all[i], name) != 0)
      gtk_widget_remove_css_class (widget, all[i]);
  gtk_widget_add_css_class (widget, name);
}

static GMenuModel *
build_menu (RlProviderRow *self)
{
  RlListItem    *li = RL_LIST_ITEM (self->item);
  const char    *id = rl_list_item_get_id (li);
  RlProviderRole role = rl_list_item_get_enum (li, "role");
  g_autoptr (GMenu) menu = g_menu_new ();
  g_autoptr (GMenu) test = g_menu_new ();
  g_autoptr (GMenu) order = g_menu_new ();
  g_autoptr (GMenu) roles = g_menu_new ();
  g_autoptr (GMenu) edit = g_menu_new ();
  g_autoptr (GMenuItem) up = NULL;
  g_autoptr (GMenuItem) down = NULL;
  static const RlProviderRole all_roles[] = { RL_PROVIDER_ROLE_PRIMARY, RL_PROVIDER_ROLE_FALLBACK,
                                              RL_PROVIDER_ROLE_BACKUP };

  {
    g_autoptr (GMenuItem) try = g_menu_item_new (_ ("_Test Connection"), NULL);
    g_autoptr (GMenuItem) reset = g_menu_item_new (_ ("_Reset Circuit…"), NULL);

    g_menu_item_set_action_and_target (try, "providers.test", "s", id);
    g_menu_item_set_attribute (try, "accel", "s", "<Control>t");
    g_menu_item_set_action_and_target (reset, "providers.reset", "s", id);
    g_menu_append_item (test, try);
    g_menu_append_item (test, reset);
  }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (test));

  up = g_menu_item_new (_ ("Move _Up"), NULL);
  g_menu_item_set_action_and_target (up, "providers.move-up", "s", id);
  g_menu_item_set_attribute (up, "accel", "s", "<Alt>Up");
  g_menu_append_item (order, up);
  down = g_menu_item_new (_ ("Move _Down"), NULL);
  g_menu_item_set_action_and_target (down, "providers.move-down", "s", id);
  g_menu_item_set_attribute (down, "accel", "s", "<Alt>Down");
  g_menu_append_item (order, down);
  for (guint i = 0; i < G_N_ELEMENTS (all_roles); i++)
    {
      g_autoptr (GMenuItem) r = NULL;
      g_autofree char *label = NULL;

      if (all_roles[i] == role)
        continue;
      /* Translators: a menu item that changes a provider's role, e.g. "Make Fallback". */
      label = g_strdup_printf (_ ("Make %s"), rl_ui_provider_role_label (all_roles[i]));
      r = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (r, "providers.role", "(ss)", id,
                                         rl_enum_to_wire (RL_TYPE_PROVIDER_ROLE, all_roles[i]));
      g_menu_append_item (roles, r);
    }
  g_menu_append_submenu (order, _ ("R_ole"), G_MENU_MODEL (roles));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (order));

  {
    g_autoptr (GMenuItem) toggle = g_menu_item_new (
        rl_list_item_get_boolean (li, "enabled") ? _ ("_Disable") : _ ("_Enable"), NULL);
    g_autoptr (GMenuItem) ed = g_menu_item_new (_ ("_Edit…"), NULL);
    g_autoptr (GMenuItem) del = g_menu_item_new (_ ("De_lete…"), NULL);

    g_menu_item_set_action_and_target (
        toggle, rl_list_item_get_boolean (li, "enabled") ? "providers.disable" : "providers.enable",
        "s", id);
    g_menu_item_set_action_and_target (ed, "providers.edit", "s", id);
    g_menu_item_set_action_and_target (del, "providers.delete", "s", id);
    g_menu_append_item (edit, toggle);
    g_menu_append_item (edit, ed);
    g_menu_append_item (edit, del);
  }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (edit));
  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static void
update (RlProviderRow *self)
{
  RlListItem      *li = RL_LIST_ITEM (self->item);
  RlProviderHealth health = rl_list_item_get_enum (li, "health");
  RlProviderRole   role = rl_list_item_get_enum (li, "role");
  gboolean         enabled = rl_list_item_get_boolean (li, "enabled");
  gint64           failures = rl_list_item_get_int64 (li, "consecutive-failures");
  gint64           latency = rl_list_item_get_int64 (li, "latency");
  gint64           checked = rl_list_item_get_int64 (li, "last-checked");
  const char      *last_error = rl_list_item_get_string (li, "last-error");
  const char      *name = rl_list_item_get_string (li, "name");
  g_autoptr (GString) subtitle = g_string_new (NULL);
  g_autoptr (GMenuModel) menu = NULL;
  g_autofree char *menu_name = NULL;
  g_autofree char *title = g_markup_escape_text (name ? name : "", -1);
  g_autofree char *details = NULL;
  g_autofree char *test_line = NULL;

  /* Markup for the test's line alone: everything else is escaped text. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  /* Translators: a provider's type, role, priority and whether it is on,
   * e.g. "Khalti · Primary · priority 1 · enabled". */
  g_string_append_printf (subtitle, _ ("%1$s · %2$s · priority %3$d · %4$s"),
                          rl_ui_provider_type_label (rl_list_item_get_string (li, "provider-type")),
                          rl_ui_provider_role_label (role),
                          (int) rl_list_item_get_int64 (li, "priority"),
                          enabled ? _ ("enabled") : _ ("disabled"));
  g_string_append_c (subtitle, '\n');
  if (checked > 0)
    {
      g_autofree char *when = rl_ui_format_time_ms (checked);

      g_string_append_printf (subtitle,
                              g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: 1: failures in a row, 2: ms, 3: a time. */
                                           "%1$d failure in a row · %2$d ms · checked %3$s",
                                           "%1$d failures in a row · %2$d ms · checked %3$s",
                                           failures),
                              (int) failures, (int) latency, when);
    }
  else
    g_string_append (subtitle, _ ("Not checked yet"));
  if (last_error != NULL && *last_error != '\0' && health != RL_PROVIDER_HEALTH_HEALTHY)
    /* Translators: the provider's last error, in the server's words. */
    g_string_append_printf (subtitle, _ (" · last error: %s"), last_error);
  if (self->testing)
    test_line = g_strdup (_ ("Testing the connection…"));
  else if (self->test != NULL)
    {
      g_autofree char *when = rl_ui_format_time_ms (self->test->when_ms);

      /* Translators: a connection test's result: 1: passed/failed, 2: ms,
       * 3: the server's message, 4: when. */
      test_line = g_strdup_printf (_ ("Test %1$s in %2$d ms: %3$s (%4$s)"),
                                   self->test->ok ? _ ("passed") : _ ("failed"),
                                   (int) self->test->latency_ms, self->test->message, when);
    }
  /* The test's result is a line of its own, in bold: what the admin just
   * asked for, apart from the health the server reports. */
  details = g_markup_escape_text (subtitle->str, -1);
  if (test_line != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (test_line, -1);
      g_autofree char *with_test = g_strdup_printf ("%s\n<b>%s</b>", details, escaped);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self), with_test);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), details);

  gtk_image_set_from_icon_name (self->health_icon, health_icon (health));
  set_css_class (GTK_WIDGET (self->health_icon), health_class (health));
  gtk_label_set_text (self->health_label, rl_ui_provider_health_label (health));
  gtk_widget_set_visible (GTK_WIDGET (self->disabled_label), !enabled);
  gtk_widget_set_opacity (GTK_WIDGET (self->health_icon), enabled ? 1.0 : 0.55);

  menu = build_menu (self);
  gtk_menu_button_set_menu_model (self->menu_button, menu);
  /* Translators: the accessible name of a provider row's menu button. */
  menu_name = g_strdup_printf (_ ("Actions for %s"), name ? name : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_name, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), _ ("Actions"));
}

/* ---- Callbacks ----------------------------------------------------------------- */

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 RlProviderRow *self)
{
  GValue              value = G_VALUE_INIT;
  GdkContentProvider *content;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, rl_list_item_get_id (RL_LIST_ITEM (self->item)));
  content = gdk_content_provider_new_for_value (&value);
  g_value_unset (&value);
  return content;
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               RlProviderRow *self)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, paintable, 0, 0);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         RlProviderRow *self)
{
  const char *moved = g_value_get_string (value);
  const char *id = rl_list_item_get_id (RL_LIST_ITEM (self->item));
  gboolean    after = y > gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  if (moved == NULL || g_str_equal (moved, id))
    return FALSE;
  return gtk_widget_activate_action (GTK_WIDGET (self), "providers.drop", "(ssb)", moved, id,
                                     after);
}

/* ---- GObject ------------------------------------------------------------------- */

static void
rl_provider_row_dispose (GObject *object)
{
  RlProviderRow *self = RL_PROVIDER_ROW (object);

  g_clear_object (&self->item);
  g_clear_pointer (&self->test, rl_provider_test_result_free);

  G_OBJECT_CLASS (rl_provider_row_parent_class)->dispose (object);
}

static void
rl_provider_row_class_init (RlProviderRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rl_provider_row_dispose;
}

static void
rl_provider_row_init (RlProviderRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), TRUE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 0);

  self->health_icon = GTK_IMAGE (gtk_image_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->health_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Health"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), GTK_WIDGET (self->health_icon));

  self->health_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->health_label), "heading");
  self->disabled_label = GTK_LABEL (gtk_label_new (_ ("Disabled")));
  gtk_widget_add_css_class (GTK_WIDGET (self->disabled_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->disabled_label), "caption");
  self->menu_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (self->menu_button, "view-more-symbolic");
  gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "flat");
  gtk_widget_set_valign (GTK_WIDGET (self->menu_button), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->disabled_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->health_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->menu_button));
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), box);
}

/* ---- Public API ---------------------------------------------------------------- */

static void
add_shortcut (GtkShortcutController *controller,
              guint                  key,
              GdkModifierType        mods,
              const char            *action,
              const char            *id)
{
  gtk_shortcut_controller_add_shortcut (
      controller, gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (key, mods),
                                                   gtk_named_action_new (action), "s", id));
}

GtkWidget *
rl_provider_row_new (RlProviderItem *item)
{
  RlProviderRow      *self = g_object_new (RL_TYPE_PROVIDER_ROW, NULL);
  const char         *id = rl_list_item_get_id (RL_LIST_ITEM (item));
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkDragSource      *source = gtk_drag_source_new ();
  GtkDropTarget      *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);

  self->item = g_object_ref (item);
  g_signal_connect_object (item, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);

  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Up, GDK_ALT_MASK,
                "providers.move-up", id);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Down, GDK_ALT_MASK,
                "providers.move-down", id);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Delete, 0, "providers.delete", id);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_t, GDK_CONTROL_MASK,
                "providers.test", id);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare_cb), self);
  g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (source));
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  update (self);
  return GTK_WIDGET (self);
}

RlProviderItem *
rl_provider_row_get_item (RlProviderRow *self)
{
  g_return_val_if_fail (RL_IS_PROVIDER_ROW (self), NULL);

  return self->item;
}

void
rl_provider_row_set_test_result (RlProviderRow              *self,
                                 const RlProviderTestResult *result)
{
  g_return_if_fail (RL_IS_PROVIDER_ROW (self));

  g_clear_pointer (&self->test, rl_provider_test_result_free);
  self->test = result ? rl_provider_test_result_copy (result) : NULL;
  self->testing = FALSE;
  update (self);
}

void
rl_provider_row_set_testing (RlProviderRow *self,
                             gboolean       testing)
{
  g_return_if_fail (RL_IS_PROVIDER_ROW (self));

  self->testing = testing;
  update (self);
}
