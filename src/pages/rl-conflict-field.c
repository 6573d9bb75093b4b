/* rl-conflict-field.c — one field of a conflict, as the conflict editor shows and picks it.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-conflict-field.h"
#include "rl-record-rules.h"
#include "rl-ui-errors.h"

struct _RlConflictField
{
  GObject        parent_instance;
  char          *entity_type;
  char          *path;
  JsonNode      *base, *mine, *theirs; /* NULL: absent */
  char          *base_text, *mine_text, *theirs_text;
  RlMergeOutcome outcome;
  RlMergePick    pick;
  char          *edited_text;
  JsonNode      *edited;
  char          *error;
};

G_DEFINE_FINAL_TYPE (RlConflictField, rl_conflict_field, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_BASE_TEXT,
  PROP_MINE_TEXT,
  PROP_THEIRS_TEXT,
  PROP_OUTCOME,
  PROP_PICK,
  PROP_EDITED_TEXT,
  PROP_ERROR,
  PROP_RESOLVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rl_conflict_field_finalize (GObject *object)
{
  RlConflictField *self = RL_CONFLICT_FIELD (object);

  g_free (self->entity_type);
  g_free (self->path);
  g_clear_pointer (&self->base, json_node_unref);
  g_clear_pointer (&self->mine, json_node_unref);
  g_clear_pointer (&self->theirs, json_node_unref);
  g_clear_pointer (&self->edited, json_node_unref);
  g_free (self->base_text);
  g_free (self->mine_text);
  g_free (self->theirs_text);
  g_free (self->edited_text);
  g_free (self->error);

  G_OBJECT_CLASS (rl_conflict_field_parent_class)->finalize (object);
}

static void
rl_conflict_field_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RlConflictField *self = RL_CONFLICT_FIELD (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_BASE_TEXT:
      g_value_set_string (value, self->base_text);
      break;
    case PROP_MINE_TEXT:
      g_value_set_string (value, self->mine_text);
      break;
    case PROP_THEIRS_TEXT:
      g_value_set_string (value, self->theirs_text);
      break;
    case PROP_OUTCOME:
      g_value_set_enum (value, self->outcome);
      break;
    case PROP_PICK:
      g_value_set_enum (value, self->pick);
      break;
    case PROP_EDITED_TEXT:
      g_value_set_string (value, self->edited_text);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_RESOLVED:
      g_value_set_boolean (value, rl_conflict_field_get_resolved (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_conflict_field_class_init (RlConflictFieldClass *klass)
{
  GObjectClass     *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rl_conflict_field_finalize;
  object_class->get_property = rl_conflict_field_get_property;

  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, ro);
  properties[PROP_BASE_TEXT] = g_param_spec_string ("base-text", NULL, NULL, NULL, ro);
  properties[PROP_MINE_TEXT] = g_param_spec_string ("mine-text", NULL, NULL, NULL, ro);
  properties[PROP_THEIRS_TEXT] = g_param_spec_string ("theirs-text", NULL, NULL, NULL, ro);
  properties[PROP_OUTCOME] = g_param_spec_enum ("outcome", NULL, NULL, RL_TYPE_MERGE_OUTCOME,
                                                RL_MERGE_SAME, ro);
  properties[PROP_PICK] =
      g_param_spec_enum ("pick", NULL, NULL, RL_TYPE_MERGE_PICK, RL_MERGE_PICK_NONE, ro);
  properties[PROP_EDITED_TEXT] = g_param_spec_string ("edited-text", NULL, NULL, NULL, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_RESOLVED] = g_param_spec_boolean ("resolved", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_conflict_field_init (RlConflictField *self)
{
}

static JsonNode *
copy_or_null (JsonNode *node)
{
  return node != NULL ? json_node_copy (node) : NULL;
}

RlConflictField *
rl_conflict_field_new (const char         *entity_type,
                       const RlMergeField *field)
{
  RlConflictField *self;

  g_return_val_if_fail (field != NULL, NULL);

  self = g_object_new (RL_TYPE_CONFLICT_FIELD, NULL);
  self->entity_type = g_strdup (entity_type);
  self->path = g_strdup (field->path);
  self->base = copy_or_null (field->base);
  self->mine = copy_or_null (field->mine);
  self->theirs = copy_or_null (field->theirs);
  self->base_text = rl_record_format_value (field->base);
  self->mine_text = rl_record_format_value (field->mine);
  self->theirs_text = rl_record_format_value (field->theirs);
  self->outcome = field->outcome;
  return self;
}

const char *
rl_conflict_field_get_path (RlConflictField *self)
{
  g_return_val_if_fail (RL_IS_CONFLICT_FIELD (self), NULL);

  return self->path;
}

RlMergeOutcome
rl_conflict_field_get_outcome (RlConflictField *self)
{
  g_return_val_if_fail (RL_IS_CONFLICT_FIELD (self), RL_MERGE_SAME);

  return self->outcome;
}

RlMergePick
rl_conflict_field_get_pick (RlConflictField *self)
{
  g_return_val_if_fail (RL_IS_CONFLICT_FIELD (self), RL_MERGE_PICK_NONE);

  return self->pick;
}

gboolean
rl_conflict_field_get_resolved (RlConflictField *self)
{
  g_return_val_if_fail (RL_IS_CONFLICT_FIELD (self), FALSE);

  if (self->outcome != RL_MERGE_CONFLICT)
    return TRUE;
  if (self->pick == RL_MERGE_PICK_NONE || self->error != NULL)
    return FALSE;
  return self->pick != RL_MERGE_PICK_EDITED || self->edited != NULL;
}

const char *
rl_conflict_field_get_error (RlConflictField *self)
{
  g_return_val_if_fail (RL_IS_CONFLICT_FIELD (self), NULL);

  return self->error;
}

const char *
rl_conflict_field_get_text (RlConflictField *self,
                            RlMergePick      side)
{
  g_return_val_if_fail (RL_IS_CONFLICT_FIELD (self), NULL);

  switch (side)
    {
    case RL_MERGE_PICK_MINE:
      return self->mine_text;
    case RL_MERGE_PICK_THEIRS:
      return self->theirs_text;
    case RL_MERGE_PICK_BASE:
      return self->base_text;
    case RL_MERGE_PICK_EDITED:
      return self->edited_text;
    case RL_MERGE_PICK_NONE:
    default:
      return NULL;
    }
}

static void
set_error (RlConflictField *self,
           GError          *error)
{
  g_clear_pointer (&self->error, g_free);
  if (error != NULL)
    self->error = rl_ui_error_message (error);
}

void
rl_conflict_field_pick (RlConflictField *self,
                        RlMergePick      pick,
                        const char      *edited_text)
{
  gboolean was_resolved;

  g_return_if_fail (RL_IS_CONFLICT_FIELD (self));

  was_resolved = rl_conflict_field_get_resolved (self);
  g_object_freeze_notify (G_OBJECT (self));
  if (self->pick != pick)
    {
      self->pick = pick;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PICK]);
    }
  g_clear_pointer (&self->edited, json_node_unref);
  set_error (self, NULL);
  if (pick == RL_MERGE_PICK_EDITED)
    {
      g_autoptr (GError) error = NULL;
      JsonNode *like = self->theirs != NULL ? self->theirs : self->mine;

      if (g_strcmp0 (self->edited_text, edited_text) != 0)
        {
          g_free (self->edited_text);
          self->edited_text = g_strdup (edited_text);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITED_TEXT]);
        }
      self->edited = rl_record_parse_value (edited_text != NULL ? edited_text : "", like, &error);
      if (self->edited != NULL
          && !rl_record_check_field (self->entity_type, self->path, self->edited, &error))
        g_clear_pointer (&self->edited, json_node_unref);
      set_error (self, error);
    }
  else if (pick != RL_MERGE_PICK_NONE)
    {
      g_autoptr (GError) error = NULL;

      /* A side's value is checked too: a base from before a rule changed. */
      if (!rl_record_check_field (self->entity_type, self->path, rl_conflict_field_get_value (self),
                                  &error))
        set_error (self, error);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  if (was_resolved != rl_conflict_field_get_resolved (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLVED]);
  g_object_thaw_notify (G_OBJECT (self));
}

JsonNode *
rl_conflict_field_get_value (RlConflictField *self)
{
  g_return_val_if_fail (RL_IS_CONFLICT_FIELD (self), NULL);

  switch (self->outcome == RL_MERGE_CONFLICT ? self->pick
          : self->outcome == RL_MERGE_MINE   ? RL_MERGE_PICK_MINE
                                             : RL_MERGE_PICK_THEIRS)
    {
    case RL_MERGE_PICK_MINE:
      return self->mine;
    case RL_MERGE_PICK_THEIRS:
      return self->theirs;
    case RL_MERGE_PICK_BASE:
      return self->base;
    case RL_MERGE_PICK_EDITED:
      return self->edited;
    case RL_MERGE_PICK_NONE:
    default:
      return NULL;
    }
}
