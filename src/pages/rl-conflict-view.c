/* rl-conflict-view.c — one conflict, field by field: base, mine, theirs, and a pick per field.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fields are a GtkListBox bound to a GListStore of RlConflictField (a
 * record has tens of fields, each row holds its own editor); the columns line
 * up through one GtkSizeGroup per column shared with the header row.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rl-a11y.h"
#include "rl-conflict-field.h"
#include "rl-conflict-view.h"
#include "rl-core-enums.h"
#include "rl-merge.h"
#include "rl-ui-format.h"

struct _RlConflictView
{
  GtkWidget parent_instance;

  GtkLabel     *title_label;
  GtkLabel     *subtitle_label;
  GtkRevealer  *message_revealer;
  GtkLabel     *message_label;
  GtkBox       *header_row;
  GtkLabel     *field_header, *base_header, *mine_header, *theirs_header, *choice_header;
  GtkListBox   *fields_box;
  AdwEntryRow  *comment_row;
  GtkBox       *buttons_box;
  GtkButton    *take_mine_button;
  GtkButton    *take_theirs_button;
  GtkButton    *resolve_button;
  GtkSizeGroup *columns[5];

  JsonObject    *conflict;
  RlMergeResult *merge;
  GListStore    *fields;
  gboolean       open;
  char          *note;
  guint          n_conflicts;
  guint          n_resolved;
};

G_DEFINE_FINAL_TYPE (RlConflictView, rl_conflict_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_N_CONFLICTS,
  PROP_N_RESOLVED,
  PROP_CAN_RESOLVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  RESOLVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The choices of a conflicting field's drop-down, in order. */
static const RlMergePick choice_picks[] = {
  RL_MERGE_PICK_NONE,
  RL_MERGE_PICK_MINE,
  RL_MERGE_PICK_THEIRS,
  RL_MERGE_PICK_BASE,
  RL_MERGE_PICK_EDITED,
};

/* ---- Counting --------------------------------------------------------------------- */

static void
count_resolved (RlConflictView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  guint resolved = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlConflictField) field = g_list_model_get_item (G_LIST_MODEL (self->fields), i);

      if (rl_conflict_field_get_outcome (field) == RL_MERGE_CONFLICT
          && rl_conflict_field_get_resolved (field))
        resolved++;
    }
  if (resolved == self->n_resolved)
    return;
  self->n_resolved = resolved;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RESOLVED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RESOLVE]);
}

static char *
progress_closure (RlConflictView *self,
                  guint           n_resolved,
                  guint           n_conflicts)
{
  if (self->conflict == NULL)
    return g_strdup ("");
  if (!self->open)
    return g_strdup (_ ("Resolved"));
  if (n_conflicts == 0)
    return g_strdup (_ ("No field differs on both sides: every change merges."));
  /* Translators: 1: fields decided, 2: fields changed on both sides. */
  return g_strdup_printf (ngettext ("%1$u of %2$u field resolved", "%1$u of %2$u fields resolved",
                                    n_conflicts),
                          n_resolved, n_conflicts);
}

/* ---- Rows ---------------------------------------------------------------------------- */

static GtkWidget *
value_label (RlConflictView *self,
             const char     *text,
             guint           column,
             gboolean        differs,
             const char     *accessible)
{
  GtkWidget *label = gtk_label_new (text != NULL ? text : _ ("(none)"));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_tooltip_text (label, text);
  if (text == NULL)
    gtk_widget_add_css_class (label, "dim-label");
  if (differs)
    gtk_widget_add_css_class (label, "conflict-value");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  gtk_size_group_add_widget (self->columns[column], label);
  return label;
}

static void
choice_changed_cb (GtkDropDown *drop_down,
                   GParamSpec  *pspec,
                   gpointer     user_data)
{
  RlConflictField *field = user_data;
  GtkEntry        *entry = g_object_get_data (G_OBJECT (drop_down), "rl-entry");
  guint            selected = gtk_drop_down_get_selected (drop_down);
  RlMergePick      pick = selected < G_N_ELEMENTS (choice_picks) ? choice_picks[selected]
                                                                 : RL_MERGE_PICK_NONE;

  gtk_widget_set_visible (GTK_WIDGET (entry), pick == RL_MERGE_PICK_EDITED);
  if (pick == RL_MERGE_PICK_EDITED)
    {
      if (*gtk_editable_get_text (GTK_EDITABLE (entry)) == '\0')
        {
          const char *start = rl_conflict_field_get_text (field, RL_MERGE_PICK_THEIRS);

          gtk_editable_set_text (GTK_EDITABLE (entry), start != NULL ? start : "");
        }
      gtk_widget_grab_focus (GTK_WIDGET (entry));
    }
  rl_conflict_field_pick (field, pick, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
edited_cb (GtkEditable *entry,
           gpointer     user_data)
{
  RlConflictField *field = user_data;

  if (rl_conflict_field_get_pick (field) == RL_MERGE_PICK_EDITED)
    rl_conflict_field_pick (field, RL_MERGE_PICK_EDITED, gtk_editable_get_text (entry));
}

/* The field's pick moved (here or by "keep all"): the drop-down, the
 * error and the count follow. */
static void
field_notify_cb (RlConflictField *field,
                 GParamSpec      *pspec,
                 GtkWidget       *row)
{
  RlConflictView *self = g_object_get_data (G_OBJECT (row), "rl-view");
  GtkDropDown    *drop_down = g_object_get_data (G_OBJECT (row), "rl-drop-down");
  GtkLabel       *error = g_object_get_data (G_OBJECT (row), "rl-error");
  const char     *message = rl_conflict_field_get_error (field);

  if (drop_down != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (choice_picks); i++)
      if (choice_picks[i] == rl_conflict_field_get_pick (field)
          && gtk_drop_down_get_selected (drop_down) != i)
        gtk_drop_down_set_selected (drop_down, i);
  if (error != NULL)
    {
      GtkWidget *entry = gtk_widget_get_prev_sibling (GTK_WIDGET (error));

      gtk_label_set_text (error, message != NULL ? message : "");
      gtk_widget_set_visible (GTK_WIDGET (error), message != NULL);
      /* Only while shown: GTK 4.8's AT-SPI bridge cannot name a relation to
       * a label that is not on screen (a CRITICAL, then a crash). */
      if (message != NULL)
        gtk_accessible_update_relation (GTK_ACCESSIBLE (entry),
                                        GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE, error,
                                        -1); /* GTK 4.8: one reference, no list */
      else
        gtk_accessible_reset_relation (GTK_ACCESSIBLE (entry),
                                       GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE);
    }
  count_resolved (self);
}

static GtkWidget *
choice_widget (RlConflictView  *self,
               RlConflictField *field,
               GtkWidget       *row)
{
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  const char      *path = rl_conflict_field_get_path (field);
  const char      *labels[] = { _ ("Choose…"), _ ("Mine"), _ ("Theirs"), _ ("Base"),
                                _ ("Another value…"), NULL };
  GtkWidget       *drop_down, *entry, *error;
  g_autofree char *drop_down_name = NULL;
  g_autofree char *entry_name = NULL;

  /* Without a base record there is no base value to keep. */
  if (json_object_get_member (self->conflict, "base") == NULL
      || JSON_NODE_HOLDS_NULL (json_object_get_member (self->conflict, "base")))
    labels[3] = NULL, labels[4] = NULL;
  drop_down = gtk_drop_down_new_from_strings (labels);
  /* Translators: %s is a field's name, e.g. "config.apiKey". */
  drop_down_name = g_strdup_printf (_ ("Value to keep for %s"), path);
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  drop_down_name, -1);
  gtk_widget_set_tooltip_text (drop_down, drop_down_name);

  entry = gtk_entry_new ();
  /* Translators: %s is a field's name. */
  entry_name = g_strdup_printf (_ ("Another value for %s"), path);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  entry_name, -1);
  gtk_widget_set_visible (entry, FALSE);

  error = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_set_visible (error, FALSE);

  gtk_box_append (GTK_BOX (box), drop_down);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), error);

  g_object_set_data (G_OBJECT (drop_down), "rl-entry", entry);
  g_object_set_data (G_OBJECT (row), "rl-drop-down", drop_down);
  g_object_set_data (G_OBJECT (row), "rl-error", error);
  g_signal_connect_object (drop_down, "notify::selected", G_CALLBACK (choice_changed_cb), field,
                           0);
  g_signal_connect_object (entry, "changed", G_CALLBACK (edited_cb), field, 0);
  return box;
}

static const char *
outcome_text (RlMergeOutcome outcome)
{
  switch (outcome)
    {
    case RL_MERGE_MINE:
      return _ ("Mine (merged)");
    case RL_MERGE_THEIRS:
      return _ ("Theirs (merged)");
    case RL_MERGE_SAME:
    default:
      return _ ("Same on both sides");
    }
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  RlConflictView  *self = user_data;
  RlConflictField *field = item;
  RlMergeOutcome   outcome = rl_conflict_field_get_outcome (field);
  gboolean         conflict = outcome == RL_MERGE_CONFLICT && self->open;
  GtkWidget       *row = gtk_list_box_row_new ();
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget       *name_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget       *name = gtk_label_new (rl_conflict_field_get_path (field));
  GtkWidget       *choice;
  g_autofree char *row_name = NULL;

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  /* A conflict is told by an icon and words, not by colour alone. */
  if (outcome == RL_MERGE_CONFLICT)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_set_tooltip_text (icon, _ ("Changed on both sides"));
      gtk_box_append (GTK_BOX (name_box), icon);
      gtk_widget_add_css_class (name, "heading");
      /* Translators: %s is a field's name; read by screen readers. */
      row_name = g_strdup_printf (_ ("%s, changed on both sides"), rl_conflict_field_get_path (field));
    }
  else
    row_name = g_strdup (rl_conflict_field_get_path (field));
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_box_append (GTK_BOX (name_box), name);
  gtk_size_group_add_widget (self->columns[0], name_box);
  gtk_box_append (GTK_BOX (box), name_box);

  gtk_box_append (GTK_BOX (box),
                  value_label (self, rl_conflict_field_get_text (field, RL_MERGE_PICK_BASE), 1,
                               FALSE, _ ("Base")));
  gtk_box_append (GTK_BOX (box),
                  value_label (self, rl_conflict_field_get_text (field, RL_MERGE_PICK_MINE), 2,
                               outcome == RL_MERGE_CONFLICT || outcome == RL_MERGE_MINE,
                               _ ("Mine")));
  gtk_box_append (GTK_BOX (box),
                  value_label (self, rl_conflict_field_get_text (field, RL_MERGE_PICK_THEIRS), 3,
                               outcome == RL_MERGE_CONFLICT || outcome == RL_MERGE_THEIRS,
                               _ ("Theirs")));

  g_object_set_data (G_OBJECT (row), "rl-view", self);
  if (conflict)
    choice = choice_widget (self, field, row);
  else
    {
      choice = gtk_label_new (outcome == RL_MERGE_CONFLICT ? "" : outcome_text (outcome));
      gtk_label_set_xalign (GTK_LABEL (choice), 0);
      gtk_widget_add_css_class (choice, "dim-label");
    }
  gtk_widget_set_hexpand (choice, TRUE);
  gtk_size_group_add_widget (self->columns[4], choice);
  gtk_box_append (GTK_BOX (box), choice);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, row_name,
                                  -1);
  g_signal_connect_object (field, "notify", G_CALLBACK (field_notify_cb), row, 0);
  return row;
}

/* ---- The conflict ----------------------------------------------------------------------- */

static JsonObject *
member_object (JsonObject *object,
               const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *key)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
                 && json_node_get_value_type (node) == G_TYPE_STRING
             ? json_node_get_string (node)
             : NULL;
}

static void
fill_header (RlConflictView *self)
{
  JsonObject      *local = member_object (self->conflict, "local");
  JsonObject      *remote = member_object (self->conflict, "remote");
  const char      *name = member_string (remote, "name") ?: member_string (local, "name");
  const char      *entity = member_string (self->conflict, "entityType");
  const char      *id = member_string (self->conflict, "entityId");
  const char      *job = member_string (self->conflict, "jobId");
  g_autofree char *detected = rl_ui_format_time (member_string (self->conflict, "detectedAt"));
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (name != NULL)
    /* Translators: 1: the kind of record (drop_point, customer, …), 2: its id, 3: its name. */
    title = g_strdup_printf (_ ("%1$s %2$s — %3$s"), rl_ui_entity_label (entity), id ? id : "", name);
  else
    title = g_strdup_printf ("%s %s", rl_ui_entity_label (entity), id ? id : "");
  if (job == NULL)
    /* Translators: %s is a date and time. */
    subtitle = g_strdup_printf (_ ("Found %s · an edit made on this console met a newer one"),
                                detected);
  else
    /* Translators: 1: a date and time, 2: a sync job's id. */
    subtitle = g_strdup_printf (_ ("Found %1$s · sync job %2$s"), detected, job);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->subtitle_label, subtitle);
}

/* The text above the fields: the caller's note, then (a resolved conflict)
 * who resolved it, when, how, and their comment. */
static void
update_message (RlConflictView *self)
{
  JsonObject *resolution = self->conflict != NULL ? member_object (self->conflict, "resolution") : NULL;
  GString    *text = g_string_new (self->note);

  if (self->conflict != NULL && !self->open)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (resolution == NULL)
        g_string_append (text, _ ("This conflict is resolved."));
      else
        {
          g_autofree char *when = rl_ui_format_time (member_string (resolution, "resolvedAt"));
          const char      *comment = member_string (resolution, "comment");

          /* Translators: 1: who, 2: when, 3: how ("Server version kept", "Resolved field by field", …). */
          g_string_append_printf (text, _ ("Resolved by %1$s, %2$s · %3$s"),
                                  member_string (resolution, "resolvedBy") ?: _ ("someone"), when,
                                  rl_ui_strategy_label (rl_enum_from_wire (
                                      RL_TYPE_CONFLICT_STRATEGY, member_string (resolution, "strategy"))));
          if (comment != NULL && *comment != '\0')
            g_string_append_printf (text, "\n“%s”", comment);
        }
    }
  gtk_label_set_text (self->message_label, text->str);
  gtk_revealer_set_reveal_child (self->message_revealer, text->len > 0);
  g_string_free (text, TRUE);
}

void
rl_conflict_view_set_conflict (RlConflictView *self,
                               JsonObject     *conflict)
{
  guint n_conflicts = 0;

  g_return_if_fail (RL_IS_CONFLICT_VIEW (self));

  g_clear_pointer (&self->merge, rl_merge_result_free);
  g_clear_pointer (&self->conflict, json_object_unref);
  g_list_store_remove_all (self->fields);
  gtk_editable_set_text (GTK_EDITABLE (self->comment_row), "");

  if (conflict != NULL)
    {
      JsonObject *base = member_object (conflict, "base");
      JsonObject *local = member_object (conflict, "local");
      JsonObject *remote = member_object (conflict, "remote");
      const char *entity = member_string (conflict, "entityType");

      self->conflict = json_object_ref (conflict);
      self->open = g_strcmp0 (member_string (conflict, "status"), "open") == 0;
      fill_header (self);
      if (local != NULL && remote != NULL)
        {
          self->merge = rl_merge_three_way (base, local, remote, rl_merge_ignored_keys (entity));
          n_conflicts = rl_merge_result_get_n_conflicts (self->merge);
          for (guint i = 0; i < rl_merge_result_get_n_fields (self->merge); i++)
            {
              g_autoptr (RlConflictField) field =
                  rl_conflict_field_new (entity, rl_merge_result_get_field (self->merge, i));

              g_list_store_append (self->fields, field);
            }
        }
    }
  else
    {
      self->open = FALSE;
      gtk_label_set_text (self->title_label, "");
      gtk_label_set_text (self->subtitle_label, "");
    }

  update_message (self);
  gtk_widget_set_visible (GTK_WIDGET (self->buttons_box), self->open);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->comment_row)), self->open);
  self->n_conflicts = n_conflicts;
  self->n_resolved = G_MAXUINT; /* counted again below */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONFLICTS]);
  count_resolved (self);
}

/* ---- Actions ------------------------------------------------------------------------------ */

static void
take_mine_clicked_cb (RlConflictView *self)
{
  rl_conflict_view_pick_all (self, RL_MERGE_PICK_MINE);
}

static void
take_theirs_clicked_cb (RlConflictView *self)
{
  rl_conflict_view_pick_all (self, RL_MERGE_PICK_THEIRS);
}

static void
resolve_clicked_cb (RlConflictView *self)
{
  guint              n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  gboolean           all_mine = TRUE, all_theirs = TRUE;
  RlConflictStrategy strategy;

  if (!rl_conflict_view_get_can_resolve (self))
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlConflictField) field = g_list_model_get_item (G_LIST_MODEL (self->fields), i);

      if (rl_conflict_field_get_outcome (field) != RL_MERGE_CONFLICT)
        continue;
      all_mine &= rl_conflict_field_get_pick (field) == RL_MERGE_PICK_MINE;
      all_theirs &= rl_conflict_field_get_pick (field) == RL_MERGE_PICK_THEIRS;
      rl_merge_result_set (self->merge, rl_conflict_field_get_path (field),
                           rl_conflict_field_get_value (field));
    }
  if (self->n_conflicts > 0 && all_mine)
    strategy = RL_CONFLICT_STRATEGY_LOCAL_WINS;
  else if (self->n_conflicts > 0 && all_theirs)
    strategy = RL_CONFLICT_STRATEGY_REMOTE_WINS;
  else
    strategy = RL_CONFLICT_STRATEGY_MANUAL;
  g_signal_emit (self, signals[RESOLVE], 0, strategy, rl_merge_result_get_merged (self->merge),
                 gtk_editable_get_text (GTK_EDITABLE (self->comment_row)));
}

static void
next_unresolved_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  rl_conflict_view_next_unresolved (RL_CONFLICT_VIEW (widget));
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
rl_conflict_view_dispose (GObject *object)
{
  RlConflictView *self = RL_CONFLICT_VIEW (object);
  GtkWidget      *child;

  if (self->fields_box != NULL)
    gtk_list_box_bind_model (self->fields_box, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_CONFLICT_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  for (guint i = 0; i < G_N_ELEMENTS (self->columns); i++)
    g_clear_object (&self->columns[i]);

  G_OBJECT_CLASS (rl_conflict_view_parent_class)->dispose (object);
}

static void
rl_conflict_view_finalize (GObject *object)
{
  RlConflictView *self = RL_CONFLICT_VIEW (object);

  g_clear_pointer (&self->merge, rl_merge_result_free);
  g_clear_pointer (&self->conflict, json_object_unref);
  g_clear_object (&self->fields);
  g_free (self->note);

  G_OBJECT_CLASS (rl_conflict_view_parent_class)->finalize (object);
}

static void
rl_conflict_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RlConflictView *self = RL_CONFLICT_VIEW (object);

  switch (prop_id)
    {
    case PROP_N_CONFLICTS:
      g_value_set_uint (value, self->n_conflicts);
      break;
    case PROP_N_RESOLVED:
      g_value_set_uint (value, self->n_resolved);
      break;
    case PROP_CAN_RESOLVE:
      g_value_set_boolean (value, rl_conflict_view_get_can_resolve (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_conflict_view_class_init (RlConflictViewClass *klass)
{
  GObjectClass     *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass   *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = rl_conflict_view_dispose;
  object_class->finalize = rl_conflict_view_finalize;
  object_class->get_property = rl_conflict_view_get_property;

  properties[PROP_N_CONFLICTS] = g_param_spec_uint ("n-conflicts", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_RESOLVED] = g_param_spec_uint ("n-resolved", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_CAN_RESOLVE] = g_param_spec_boolean ("can-resolve", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RlConflictView::resolve:
   * @strategy: RlConflictStrategy
   * @merged: the record to keep (JsonObject)
   * @comment: the comment, maybe ""
   */
  signals[RESOLVE] = g_signal_new ("resolve", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 3, RL_TYPE_CONFLICT_STRATEGY,
                                   JSON_TYPE_OBJECT | G_SIGNAL_TYPE_STATIC_SCOPE,
                                   G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/reloop/Console/ui/rl-conflict-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, title_label);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, message_label);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, header_row);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, field_header);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, base_header);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, mine_header);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, theirs_header);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, choice_header);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, fields_box);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, comment_row);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, buttons_box);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, take_mine_button);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, take_theirs_button);
  gtk_widget_class_bind_template_child (widget_class, RlConflictView, resolve_button);
  gtk_widget_class_bind_template_callback (widget_class, progress_closure);
  gtk_widget_class_bind_template_callback (widget_class, take_mine_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, take_theirs_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, resolve_clicked_cb);

  gtk_widget_class_install_action (widget_class, "conflict.next-unresolved", NULL,
                                   next_unresolved_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_ALT_MASK,
                                       "conflict.next-unresolved", NULL);
}

static void
rl_conflict_view_init (RlConflictView *self)
{
  GtkLabel *headers[5];

  gtk_widget_init_template (GTK_WIDGET (self));
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));

  headers[0] = self->field_header;
  headers[1] = self->base_header;
  headers[2] = self->mine_header;
  headers[3] = self->theirs_header;
  headers[4] = self->choice_header;
  for (guint i = 0; i < G_N_ELEMENTS (self->columns); i++)
    {
      self->columns[i] = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
      gtk_size_group_add_widget (self->columns[i], GTK_WIDGET (headers[i]));
    }
  gtk_widget_set_hexpand (GTK_WIDGET (self->choice_header), TRUE);

  self->fields = g_list_store_new (RL_TYPE_CONFLICT_FIELD);
  gtk_list_box_bind_model (self->fields_box, G_LIST_MODEL (self->fields), create_row_cb, self,
                           NULL);
}

/* ---- Public API ---------------------------------------------------------------------------- */

GtkWidget *
rl_conflict_view_new (void)
{
  return g_object_new (RL_TYPE_CONFLICT_VIEW, NULL);
}

JsonObject *
rl_conflict_view_get_conflict (RlConflictView *self)
{
  g_return_val_if_fail (RL_IS_CONFLICT_VIEW (self), NULL);

  return self->conflict;
}

guint
rl_conflict_view_get_n_conflicts (RlConflictView *self)
{
  g_return_val_if_fail (RL_IS_CONFLICT_VIEW (self), 0);

  return self->n_conflicts;
}

guint
rl_conflict_view_get_n_resolved (RlConflictView *self)
{
  g_return_val_if_fail (RL_IS_CONFLICT_VIEW (self), 0);

  return self->n_resolved;
}

gboolean
rl_conflict_view_get_can_resolve (RlConflictView *self)
{
  g_return_val_if_fail (RL_IS_CONFLICT_VIEW (self), FALSE);

  return self->conflict != NULL && self->open && self->merge != NULL
         && self->n_resolved == self->n_conflicts;
}

void
rl_conflict_view_pick_all (RlConflictView *self,
                           int             pick)
{
  guint n;

  g_return_if_fail (RL_IS_CONFLICT_VIEW (self));
  g_return_if_fail (pick == RL_MERGE_PICK_MINE || pick == RL_MERGE_PICK_THEIRS);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlConflictField) field = g_list_model_get_item (G_LIST_MODEL (self->fields), i);

      if (rl_conflict_field_get_outcome (field) == RL_MERGE_CONFLICT
          && !rl_conflict_field_get_resolved (field))
        rl_conflict_field_pick (field, pick, NULL);
    }
}

gboolean
rl_conflict_view_next_unresolved (RlConflictView *self)
{
  GtkWidget *focus;
  int        start = -1;
  guint      n;

  g_return_val_if_fail (RL_IS_CONFLICT_VIEW (self), FALSE);

  /* After the row that has the focus, wrapping around. */
  focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
  while (focus != NULL && !GTK_IS_LIST_BOX_ROW (focus))
    focus = gtk_widget_get_parent (focus);
  if (focus != NULL && gtk_widget_get_parent (focus) == GTK_WIDGET (self->fields_box))
    start = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (focus));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  for (guint k = 1; k <= n; k++)
    {
      guint i = (guint) (start + (int) k) % n;
      g_autoptr (RlConflictField) field = g_list_model_get_item (G_LIST_MODEL (self->fields), i);
      GtkListBoxRow *row;
      GtkWidget     *drop_down;

      if (rl_conflict_field_get_resolved (field))
        continue;
      row = gtk_list_box_get_row_at_index (self->fields_box, (int) i);
      drop_down = g_object_get_data (G_OBJECT (row), "rl-drop-down");
      gtk_widget_grab_focus (drop_down != NULL ? drop_down : GTK_WIDGET (row));
      return TRUE;
    }
  return FALSE;
}

void
rl_conflict_view_set_note (RlConflictView *self,
                           const char     *note)
{
  g_return_if_fail (RL_IS_CONFLICT_VIEW (self));

  if (g_strcmp0 (note, self->note) == 0)
    return;
  g_free (self->note);
  self->note = g_strdup (note);
  update_message (self);
}
