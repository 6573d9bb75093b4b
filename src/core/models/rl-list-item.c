/* rl-list-item.c — RlListItem and the item type of each list.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An item holds one GValue per column of its list's spec. The properties are
 * installed from the spec when the item class is initialised, so a column
 * added to rl-list-specs.c is a property without more code.
 */
#include "config.h"

#include "rl-list-private.h"

typedef struct
{
  char   *id;
  GValue *values; /* spec->n_columns */
} RlListItemPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RlListItem, rl_list_item, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const RlListSpec *
item_spec (RlListItem *self)
{
  return RL_LIST_ITEM_GET_CLASS (self)->spec;
}

static void
rl_list_item_finalize (GObject *object)
{
  RlListItem        *self = RL_LIST_ITEM (object);
  RlListItemPrivate *priv = rl_list_item_get_instance_private (self);

  if (priv->values != NULL)
    {
      for (guint i = 0; i < item_spec (self)->n_columns; i++)
        g_value_unset (&priv->values[i]);
      g_free (priv->values);
    }
  g_free (priv->id);

  G_OBJECT_CLASS (rl_list_item_parent_class)->finalize (object);
}

static void
rl_list_item_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RlListItem        *self = RL_LIST_ITEM (object);
  RlListItemPrivate *priv = rl_list_item_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, priv->id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_list_item_class_init (RlListItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rl_list_item_finalize;
  object_class->get_property = rl_list_item_get_property;

  properties[PROP_ID] =
      g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_list_item_init (RlListItem *self)
{
}

/* The column properties of a subclass: property id = column index + 1. */
static void
column_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  RlListItem        *self = RL_LIST_ITEM (object);
  RlListItemPrivate *priv = rl_list_item_get_instance_private (self);

  if (prop_id == 0 || prop_id > item_spec (self)->n_columns)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_value_copy (&priv->values[prop_id - 1], value);
}

void
rl_list_item_class_install (RlListItemClass  *klass,
                            const RlListSpec *spec)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  klass->spec = spec;
  object_class->get_property = column_get_property;

  for (guint i = 0; i < spec->n_columns; i++)
    {
      const RlListColumn *col = &spec->columns[i];
      const GParamFlags   flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
      GParamSpec         *pspec;

      switch (col->fundamental)
        {
        case G_TYPE_STRING:
          pspec = g_param_spec_string (col->name, NULL, NULL, NULL, flags);
          break;
        case G_TYPE_INT64:
          pspec = g_param_spec_int64 (col->name, NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
          break;
        case G_TYPE_BOOLEAN:
          pspec = g_param_spec_boolean (col->name, NULL, NULL, FALSE, flags);
          break;
        case G_TYPE_ENUM:
          pspec = g_param_spec_enum (col->name, NULL, NULL, col->enum_type (), 0, flags);
          break;
        default:
          g_assert_not_reached ();
        }
      g_object_class_install_property (object_class, i + 1, pspec);
    }
}

static void
value_from_row (const RlListColumn *col,
                GValue             *value,
                sqlite3_stmt       *stmt,
                int                 index)
{
  gboolean is_null = sqlite3_column_type (stmt, index) == SQLITE_NULL;

  switch (col->fundamental)
    {
    case G_TYPE_STRING:
      g_value_set_string (value, is_null ? NULL : (const char *) sqlite3_column_text (stmt, index));
      break;
    case G_TYPE_INT64:
      g_value_set_int64 (value, is_null ? 0 : sqlite3_column_int64 (stmt, index));
      break;
    case G_TYPE_BOOLEAN:
      g_value_set_boolean (value, !is_null && sqlite3_column_int64 (stmt, index) != 0);
      break;
    case G_TYPE_ENUM:
      g_value_set_enum (value,
                        is_null ? 0
                                : rl_enum_from_wire (col->enum_type (),
                                                     (const char *) sqlite3_column_text (stmt, index)));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
value_init_for (const RlListColumn *col,
                GValue             *value)
{
  g_value_init (value, col->fundamental == G_TYPE_ENUM ? col->enum_type () : col->fundamental);
}

RlListItem *
rl_list_item_new_from_row (const RlListSpec *spec,
                           const char       *id,
                           sqlite3_stmt     *stmt,
                           int               first)
{
  RlListItem        *self = g_object_new (spec->item_type (), NULL);
  RlListItemPrivate *priv = rl_list_item_get_instance_private (self);

  g_assert (item_spec (self) == spec);

  priv->id = g_strdup (id);
  priv->values = g_new0 (GValue, spec->n_columns);
  for (guint i = 0; i < spec->n_columns; i++)
    {
      value_init_for (&spec->columns[i], &priv->values[i]);
      if (stmt != NULL)
        value_from_row (&spec->columns[i], &priv->values[i], stmt, first + (int) i);
    }
  return self;
}

gboolean
rl_list_item_update_from_row (RlListItem   *self,
                              sqlite3_stmt *stmt,
                              int           first)
{
  RlListItemPrivate *priv = rl_list_item_get_instance_private (self);
  const RlListSpec  *spec = item_spec (self);
  GObjectClass      *klass = G_OBJECT_GET_CLASS (self);
  gboolean           changed = FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < spec->n_columns; i++)
    {
      g_auto (GValue) fresh = G_VALUE_INIT;

      value_init_for (&spec->columns[i], &fresh);
      value_from_row (&spec->columns[i], &fresh, stmt, first + (int) i);
      if (g_param_values_cmp (g_object_class_find_property (klass, spec->columns[i].name), &fresh,
                              &priv->values[i])
          != 0)
        {
          g_value_copy (&fresh, &priv->values[i]);
          g_object_notify (G_OBJECT (self), spec->columns[i].name);
          changed = TRUE;
        }
    }
  g_object_thaw_notify (G_OBJECT (self));
  return changed;
}

/* ---- Typed reads ----------------------------------------------------------- */

const char *
rl_list_item_get_id (RlListItem *self)
{
  RlListItemPrivate *priv;

  g_return_val_if_fail (RL_IS_LIST_ITEM (self), NULL);

  priv = rl_list_item_get_instance_private (self);
  return priv->id;
}

static const GValue *
column_value (RlListItem *self,
              const char *property,
              GType       fundamental)
{
  RlListItemPrivate *priv = rl_list_item_get_instance_private (self);
  guint              index;

  if (rl_list_spec_column (item_spec (self), property, &index) == NULL)
    {
      g_critical ("%s has no column “%s”", G_OBJECT_TYPE_NAME (self), property);
      return NULL;
    }
  if (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (&priv->values[index])) != fundamental)
    {
      g_critical ("%s.%s is a %s", G_OBJECT_TYPE_NAME (self), property,
                  G_VALUE_TYPE_NAME (&priv->values[index]));
      return NULL;
    }
  return &priv->values[index];
}

const char *
rl_list_item_get_string (RlListItem *self,
                         const char *property)
{
  const GValue *value;

  g_return_val_if_fail (RL_IS_LIST_ITEM (self), NULL);

  value = column_value (self, property, G_TYPE_STRING);
  return value != NULL ? g_value_get_string (value) : NULL;
}

gint64
rl_list_item_get_int64 (RlListItem *self,
                        const char *property)
{
  const GValue *value;

  g_return_val_if_fail (RL_IS_LIST_ITEM (self), 0);

  value = column_value (self, property, G_TYPE_INT64);
  return value != NULL ? g_value_get_int64 (value) : 0;
}

gint
rl_list_item_get_enum (RlListItem *self,
                       const char *property)
{
  const GValue *value;

  g_return_val_if_fail (RL_IS_LIST_ITEM (self), 0);

  value = column_value (self, property, G_TYPE_ENUM);
  return value != NULL ? g_value_get_enum (value) : 0;
}

gboolean
rl_list_item_get_boolean (RlListItem *self,
                          const char *property)
{
  const GValue *value;

  g_return_val_if_fail (RL_IS_LIST_ITEM (self), FALSE);

  value = column_value (self, property, G_TYPE_BOOLEAN);
  return value != NULL && g_value_get_boolean (value);
}

/* ---- The item type of each list -------------------------------------------- */

#define DEFINE_ITEM(TypeName, type_name, KIND)                                             \
  struct _##TypeName                                                                       \
  {                                                                                        \
    RlListItem parent_instance;                                                            \
  };                                                                                       \
  G_DEFINE_FINAL_TYPE (TypeName, type_name, RL_TYPE_LIST_ITEM)                             \
  static void type_name##_class_init (TypeName##Class *klass)                              \
  {                                                                                        \
    rl_list_item_class_install (RL_LIST_ITEM_CLASS (klass), rl_list_spec_for_kind (KIND)); \
  }                                                                                        \
  static void type_name##_init (TypeName *self)                                            \
  {                                                                                        \
  }

DEFINE_ITEM (RlAlertItem, rl_alert_item, RL_LIST_KIND_ALERTS)
DEFINE_ITEM (RlProviderItem, rl_provider_item, RL_LIST_KIND_PROVIDERS)
DEFINE_ITEM (RlWorkflowItem, rl_workflow_item, RL_LIST_KIND_WORKFLOWS)
DEFINE_ITEM (RlRunItem, rl_run_item, RL_LIST_KIND_RUNS)
DEFINE_ITEM (RlSyncJobItem, rl_sync_job_item, RL_LIST_KIND_SYNC_JOBS)
DEFINE_ITEM (RlSyncLogItem, rl_sync_log_item, RL_LIST_KIND_SYNC_LOG)
DEFINE_ITEM (RlConflictItem, rl_conflict_item, RL_LIST_KIND_CONFLICTS)
DEFINE_ITEM (RlOutboxItem, rl_outbox_item, RL_LIST_KIND_OUTBOX)
DEFINE_ITEM (RlForecastItem, rl_forecast_item, RL_LIST_KIND_DISPATCH)
