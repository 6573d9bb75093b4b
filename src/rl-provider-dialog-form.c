/* rl-provider-dialog-form.c — the provider dialog's form, generated from the
 * type's field descriptors: one row per field, its value, its message.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rl-provider-dialog-private.h"
#include "rl-ui-format.h"
#include "rl-record-rules.h"
#include "rl-time.h"
#include "rl-ui-errors.h"

/* Role values as sent, in the combo's order. */
static const char *const role_values[] = { "primary", "fallback", "backup" };

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* "%g" without the locale's decimal comma (the server's numbers). */
static char *
format_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", value));
}

/* "…4242, set 3 Dec" for a set secret; NULL when it is not set. */
static char *
secret_hint (JsonObject *secret)
{
  g_autoptr (GDateTime) when = NULL;
  g_autofree char *date = NULL;
  const char      *hint = string_member (secret, "hint");
  const char      *updated = string_member (secret, "updatedAt");
  JsonNode        *set = secret ? json_object_get_member (secret, "set") : NULL;

  if (set == NULL || !JSON_NODE_HOLDS_VALUE (set) || !json_node_get_boolean (set))
    return NULL;
  if (updated != NULL)
    when = g_date_time_new_from_iso8601 (updated, NULL);
  if (when != NULL)
    {
      g_autoptr (GDateTime) local = g_date_time_to_local (when);
      /* TRANSLATORS: the day a secret was set, as in "…4242, set 3 Dec" */
      date = g_date_time_format (local, _ ("%-d %b"));
    }
  if (date != NULL)
    /* TRANSLATORS: a secret's masked tail and the day it was set: "…4242, set 3 Dec" */
    return g_strdup_printf (_ ("%s, set %s"), hint ? hint : "…", date);
  /* TRANSLATORS: a secret's masked tail when its day is not known: "…4242, set" */
  return g_strdup_printf (_ ("%s, set"), hint ? hint : "…");
}

static void
entry_activated_cb (RlProviderDialog *self)
{
  rl_provider_dialog_submit (self);
}

static void
input_changed_cb (GtkWidget        *input,
                  GParamSpec       *pspec,
                  RlProviderDialog *self)
{
  /* Once a field was refused, its message goes as soon as it is edited: the
   * next submit checks it again. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      RlFormRow *row = g_ptr_array_index (self->rows, i);
      if (row->input == input && row->has_error)
        rl_provider_dialog_show_error (self, row, NULL);
    }
}

static void
remove_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  RlProviderDialog *self = RL_PROVIDER_DIALOG (gtk_widget_get_root (GTK_WIDGET (button)));

  for (guint i = 0; i < self->rows->len; i++)
    {
      RlFormRow *row = g_ptr_array_index (self->rows, i);
      if (row->remove_button == GTK_WIDGET (button))
        rl_provider_dialog_remove_secret (self, row);
    }
  (void) user_data;
}

static RlFormRow *
add_row (RlProviderDialog      *self,
         AdwPreferencesGroup   *group,
         const char            *key,
         const RlProviderField *field,
         GtkWidget             *row,
         GtkWidget             *input)
{
  RlFormRow *form_row = g_new0 (RlFormRow, 1);

  form_row->key = g_strdup (key);
  form_row->field = field;
  form_row->row = row;
  form_row->input = input;
  adw_preferences_group_add (group, row);

  /* The note under the row: an error, or a set secret's hint. */
  form_row->note_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (form_row->note_label), 0);
  gtk_label_set_wrap (GTK_LABEL (form_row->note_label), TRUE);
  gtk_widget_set_margin_start (form_row->note_label, 12);
  gtk_widget_set_margin_end (form_row->note_label, 12);
  gtk_widget_set_margin_top (form_row->note_label, 6);
  gtk_widget_set_margin_bottom (form_row->note_label, 6);
  gtk_widget_add_css_class (form_row->note_label, "caption");
  form_row->note_row = adw_preferences_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (form_row->note_row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (form_row->note_row), FALSE);
  gtk_widget_set_focusable (form_row->note_row, FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (form_row->note_row), form_row->note_label);
  gtk_widget_set_visible (form_row->note_row, FALSE);
  adw_preferences_group_add (group, form_row->note_row);

  g_ptr_array_add (self->rows, form_row);
  return form_row;
}

static GtkWidget *
new_entry_row (RlProviderDialog *self,
               const char       *title,
               const char       *text,
               gboolean          password)
{
  GtkWidget *row = password ? adw_password_entry_row_new () : adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (entry_activated_cb), self);
  g_signal_connect (row, "notify::text", G_CALLBACK (input_changed_cb), self);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), FALSE);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), FALSE);
  return row;
}

static GtkWidget *
new_spin_row (RlProviderDialog *self,
              const char       *title,
              double            min,
              double            max,
              double            step,
              guint             digits,
              double            value,
              GtkWidget       **out_spin)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  /* GTK 4.8's spin button has no "activate": its text does. */
  g_signal_connect_swapped (gtk_editable_get_delegate (GTK_EDITABLE (spin)), "activate",
                            G_CALLBACK (entry_activated_cb), self);
  g_signal_connect (spin, "notify::value", G_CALLBACK (input_changed_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  *out_spin = spin;
  return row;
}

static void
add_general_rows (RlProviderDialog    *self,
                  AdwPreferencesGroup *group)
{
  const char *name = string_member (self->provider, "name");
  const char *role = string_member (self->provider, "role");
  gint64      priority = 1;
  GtkWidget  *row, *spin;
  g_autoptr (GtkStringList) roles = gtk_string_list_new (NULL);

  if (self->provider != NULL && json_object_has_member (self->provider, "priority"))
    priority = json_object_get_int_member (self->provider, "priority");

  row = new_entry_row (self, _ ("Name"), name ? name : self->type->label, FALSE);
  add_row (self, group, "name", NULL, row, row);

  gtk_string_list_append (roles, rl_ui_provider_role_label (RL_PROVIDER_ROLE_PRIMARY));
  gtk_string_list_append (roles, rl_ui_provider_role_label (RL_PROVIDER_ROLE_FALLBACK));
  gtk_string_list_append (roles, rl_ui_provider_role_label (RL_PROVIDER_ROLE_BACKUP));
  row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("Role"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _ ("The platform tries a kind’s primary first, then its "
                                  "fallbacks, then its backups"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (roles));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 2);
  for (guint i = 0; role != NULL && i < G_N_ELEMENTS (role_values); i++)
    if (g_str_equal (role, role_values[i]))
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
  g_signal_connect (row, "notify::selected", G_CALLBACK (input_changed_cb), self);
  add_row (self, group, "role", NULL, row, row);

  row = new_spin_row (self, _ ("Priority"), 1, 100, 1, 0, (double) priority, &spin);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _ ("1 is tried first within its role"));
  add_row (self, group, "priority", NULL, row, spin);
}

static void
add_field_row (RlProviderDialog      *self,
               AdwPreferencesGroup   *group,
               const RlProviderField *field)
{
  JsonObject *config = object_member (self->provider, "config");
  JsonNode   *current = config ? json_object_get_member (config, field->key) : NULL;
  JsonNode   *value = current != NULL ? current : field->default_value;
  GtkWidget  *row = NULL, *input = NULL;
  RlFormRow  *form_row;

  switch (field->type)
    {
    case RL_PROVIDER_FIELD_STRING:
    case RL_PROVIDER_FIELD_URL:
      {
        g_autofree char *text = value ? rl_record_format_value (value) : NULL;
        row = input = new_entry_row (self, field->label, text, FALSE);
        if (field->type == RL_PROVIDER_FIELD_URL)
          adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_URL);
        break;
      }

    case RL_PROVIDER_FIELD_SECRET:
      row = input = new_entry_row (self, field->label, NULL, TRUE);
      break;

    case RL_PROVIDER_FIELD_INT:
    case RL_PROVIDER_FIELD_FLOAT:
      {
        gboolean is_int = field->type == RL_PROVIDER_FIELD_INT;
        double   min = field->has_min ? field->min : -1e9;
        double   max = field->has_max ? field->max : 1e9;
        double   v = value && JSON_NODE_HOLDS_VALUE (value) ? json_node_get_double (value)
                                                            : (field->has_min ? field->min : 0);
        double   step = is_int ? 1 : (max - min <= 2 ? 0.05 : (max - min <= 100 ? 0.5 : 1));

        row = new_spin_row (self, field->label, min, max, step, is_int ? 0 : 2, v, &input);
        if (field->has_min && field->has_max)
          {
            g_autofree char *lo = format_number (field->min);
            g_autofree char *hi = format_number (field->max);
            g_autofree char *range = g_strdup_printf (_ ("From %s to %s"), lo, hi);
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), range);
          }
        break;
      }

    case RL_PROVIDER_FIELD_BOOL:
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field->label);
      input = gtk_switch_new ();
      gtk_widget_set_valign (input, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (input), value && JSON_NODE_HOLDS_VALUE (value)
                                                     && json_node_get_value_type (value) == G_TYPE_BOOLEAN
                                                     && json_node_get_boolean (value));
      gtk_accessible_update_property (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      field->label, -1);
      g_signal_connect (input, "notify::active", G_CALLBACK (input_changed_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), input);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), input);
      break;

    case RL_PROVIDER_FIELD_ENUM:
      {
        g_autoptr (GtkStringList) options = gtk_string_list_new (NULL);
        const char *selected = value ? string_member (config, field->key) : NULL;
        guint       offset = field->required ? 0 : 1;

        if (selected == NULL && field->default_value != NULL
            && JSON_NODE_HOLDS_VALUE (field->default_value)
            && json_node_get_value_type (field->default_value) == G_TYPE_STRING)
          selected = json_node_get_string (field->default_value);
        if (!field->required)
          gtk_string_list_append (options, _ ("Not set"));
        for (guint i = 0; field->options[i]; i++)
          gtk_string_list_append (options, field->options[i]);
        row = input = adw_combo_row_new ();
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field->label);
        adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (options));
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
        for (guint i = 0; selected != NULL && field->options[i]; i++)
          if (g_str_equal (field->options[i], selected))
            adw_combo_row_set_selected (ADW_COMBO_ROW (row), i + offset);
        g_signal_connect (row, "notify::selected", G_CALLBACK (input_changed_cb), self);
        break;
      }

    default:
      g_assert_not_reached ();
    }

  form_row = add_row (self, group, field->key, field, row, input);
  if (field->type == RL_PROVIDER_FIELD_SECRET)
    {
      JsonObject *secrets = object_member (self->provider, "secrets");

      form_row->hint = secret_hint (object_member (secrets, field->key));
      if (form_row->hint != NULL)
        {
          g_autofree char *name = NULL;

          form_row->remove_button = gtk_button_new_with_label (_ ("Remove"));
          gtk_widget_set_valign (form_row->remove_button, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (form_row->remove_button, "flat");
          /* TRANSLATORS: the button that removes a secret, e.g. "Remove Secret key" */
          name = g_strdup_printf (_ ("Remove %s"), field->label);
          gtk_accessible_update_property (GTK_ACCESSIBLE (form_row->remove_button),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
          gtk_widget_set_tooltip_text (form_row->remove_button,
                                       _ ("Delete this secret on the server and in the keyring"));
          g_signal_connect (form_row->remove_button, "clicked", G_CALLBACK (remove_clicked_cb),
                            NULL);
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), form_row->remove_button);
        }
      if (self->secrets_read_only)
        {
          gtk_editable_set_editable (GTK_EDITABLE (row), FALSE);
          gtk_widget_set_sensitive (row, FALSE);
        }
      rl_provider_dialog_show_error (self, form_row, NULL);
    }
}

void
rl_form_row_free (RlFormRow *row)
{
  g_free (row->key);
  g_free (row->hint);
  g_free (row);
}

void
rl_provider_dialog_build_form (RlProviderDialog *self)
{
  AdwPreferencesGroup *general, *settings = NULL, *secrets = NULL;
  g_autoptr (GPtrArray) groups = g_ptr_array_new ();
  const char *kind_label;

  g_assert (self->type != NULL);

  /* The groups first, each once: removing one destroys its rows, which
   * later rows of the same group would otherwise be asked about. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      RlFormRow *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row->row, ADW_TYPE_PREFERENCES_GROUP);
      if (group != NULL && !g_ptr_array_find (groups, group, NULL))
        g_ptr_array_add (groups, group);
    }
  for (guint i = 0; i < groups->len; i++)
    if (gtk_widget_get_parent (g_ptr_array_index (groups, i)) != NULL)
      adw_preferences_page_remove (self->form_page, g_ptr_array_index (groups, i));
  g_ptr_array_set_size (self->rows, 0);

  general = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (general, self->type->label);
  kind_label = rl_ui_provider_kind_label (self->type->kind);
  adw_preferences_group_set_description (general, kind_label);
  add_general_rows (self, general);
  adw_preferences_page_add (self->form_page, general);

  for (guint i = 0; i < self->type->fields->len; i++)
    {
      const RlProviderField *field = g_ptr_array_index (self->type->fields, i);
      gboolean               secret = field->type == RL_PROVIDER_FIELD_SECRET;

      if (secret && secrets == NULL)
        {
          secrets = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (secrets, _ ("Secrets"));
          adw_preferences_group_set_description (
              secrets, self->secrets_read_only
                           ? _ ("The keyring is locked, so secrets cannot be changed now. Unlock "
                                "it (for example by signing in to your desktop again) and open "
                                "this dialog again. Secrets are never kept anywhere else.")
                           : _ ("Kept in your keyring and sent to the server only. Afterwards "
                                "only the last characters are shown; type a new value to "
                                "replace one."));
        }
      else if (!secret && settings == NULL)
        {
          settings = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (settings, _ ("Settings"));
        }
      add_field_row (self, secret ? secrets : settings, field);
    }
  if (settings != NULL)
    adw_preferences_page_add (self->form_page, settings);
  if (secrets != NULL)
    adw_preferences_page_add (self->form_page, secrets);
}

RlFormRow *
rl_provider_dialog_find_row (RlProviderDialog *self,
                             const char       *key)
{
  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    {
      RlFormRow *row = g_ptr_array_index (self->rows, i);
      if (g_strcmp0 (row->key, key) == 0)
        return row;
    }
  return NULL;
}

JsonObject *
rl_provider_dialog_collect_values (RlProviderDialog *self)
{
  JsonObject *values = json_object_new ();

  for (guint i = 0; i < self->rows->len; i++)
    {
      RlFormRow *row = g_ptr_array_index (self->rows, i);

      if (g_str_equal (row->key, "role") && row->field == NULL)
        {
          guint n = adw_combo_row_get_selected (ADW_COMBO_ROW (row->input));
          json_object_set_string_member (values, "role", role_values[MIN (n, 2)]);
        }
      else if (GTK_IS_SPIN_BUTTON (row->input))
        {
          gtk_spin_button_update (GTK_SPIN_BUTTON (row->input));
          json_object_set_double_member (values, row->key,
                                         gtk_spin_button_get_value (GTK_SPIN_BUTTON (row->input)));
        }
      else if (GTK_IS_SWITCH (row->input))
        json_object_set_boolean_member (values, row->key,
                                        gtk_switch_get_active (GTK_SWITCH (row->input)));
      else if (ADW_IS_COMBO_ROW (row->input))
        {
          guint n = adw_combo_row_get_selected (ADW_COMBO_ROW (row->input));
          guint offset = row->field->required ? 0 : 1;

          if (n < offset || n == GTK_INVALID_LIST_POSITION)
            json_object_set_string_member (values, row->key, "");
          else
            json_object_set_string_member (values, row->key, row->field->options[n - offset]);
        }
      else
        json_object_set_string_member (values, row->key,
                                       gtk_editable_get_text (GTK_EDITABLE (row->input)));
    }
  return values;
}

void
rl_provider_dialog_show_error (RlProviderDialog *self,
                               RlFormRow        *row,
                               const char       *message)
{
  const char *note = message != NULL ? message : row->hint;

  row->has_error = message != NULL;
  if (message != NULL)
    gtk_widget_add_css_class (row->row, "error");
  else
    gtk_widget_remove_css_class (row->row, "error");
  if (message != NULL)
    {
      gtk_widget_add_css_class (row->note_label, "error");
      gtk_widget_remove_css_class (row->note_label, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (row->note_label, "error");
      gtk_widget_add_css_class (row->note_label, "dim-label");
    }
  gtk_label_set_text (GTK_LABEL (row->note_label), note ? note : "");
  gtk_widget_set_visible (row->note_row, note != NULL);
  gtk_widget_set_tooltip_text (row->row, message);
  if (note != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row->input),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, note, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row->input),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  if (message != NULL)
    gtk_accessible_update_state (GTK_ACCESSIBLE (row->input), GTK_ACCESSIBLE_STATE_INVALID,
                                 GTK_ACCESSIBLE_INVALID_TRUE, -1);
  else
    gtk_accessible_reset_state (GTK_ACCESSIBLE (row->input), GTK_ACCESSIBLE_STATE_INVALID);
  (void) self;
}

void
rl_provider_dialog_clear_errors (RlProviderDialog *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      RlFormRow *row = g_ptr_array_index (self->rows, i);
      if (row->has_error)
        rl_provider_dialog_show_error (self, row, NULL);
    }
}

char *
rl_provider_dialog_error_text (RlFormRow    *row,
                               const GError *error)
{
  const RlProviderField *field = row->field;

  if (error->domain == RL_RECORD_ERROR && field != NULL)
    switch (error->code)
      {
      case RL_RECORD_ERROR_REQUIRED:
        return g_strdup (field->type == RL_PROVIDER_FIELD_SECRET
                             ? _ ("Enter this secret: the provider cannot work without it.")
                             : _ ("Enter a value: this setting is required."));
      case RL_RECORD_ERROR_RANGE:
        {
          g_autofree char *lo = format_number (field->min);
          g_autofree char *hi = format_number (field->max);

          if (field->has_min && field->has_max)
            return g_strdup_printf (_ ("Enter a number from %s to %s."), lo, hi);
          if (field->has_min)
            return g_strdup_printf (_ ("Enter a number of at least %s."), lo);
          return g_strdup_printf (_ ("Enter a number of at most %s."), hi);
        }
      case RL_RECORD_ERROR_CHOICE:
        return g_strdup (_ ("Choose one of the options."));
      case RL_RECORD_ERROR_TYPE:
      default:
        return g_strdup (field->type == RL_PROVIDER_FIELD_INT ? _ ("Enter a whole number.")
                                                              : _ ("This value cannot be used here."));
      }
  return rl_ui_error_message (error);
}

void
rl_provider_dialog_clear_secrets (RlProviderDialog *self)
{
  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    {
      RlFormRow *row = g_ptr_array_index (self->rows, i);
      if (row->field != NULL && row->field->type == RL_PROVIDER_FIELD_SECRET)
        gtk_editable_set_text (GTK_EDITABLE (row->input), "");
    }
}
