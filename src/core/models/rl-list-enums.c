/* rl-list-enums.c — contract wire values ⇄ the list enumerations.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-core-enums.h"
#include "rl-list-enums.h"

/* "FULL_BIN", "circuit_open", "full-bin" → "full-bin" */
static char *
wire_to_nick (const char *wire)
{
  char *nick = g_ascii_strdown (wire, -1);

  g_strdelimit (nick, "_", '-');
  return nick;
}

gint
rl_enum_from_wire (GType       enum_type,
                   const char *wire)
{
  g_autoptr (GEnumClass) klass = NULL;
  g_autofree char *nick = NULL;
  GEnumValue      *value;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), 0);

  if (wire == NULL || *wire == '\0')
    return 0;
  klass = g_type_class_ref (enum_type);
  nick = wire_to_nick (wire);
  value = g_enum_get_value_by_nick (klass, nick);
  return value != NULL ? value->value : 0;
}

const char *
rl_enum_to_wire (GType enum_type,
                 gint  value)
{
  g_autoptr (GEnumClass) klass = NULL;
  g_autofree char *wire = NULL;
  GEnumValue      *found;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), NULL);

  if (value == 0)
    return NULL;
  klass = g_type_class_ref (enum_type);
  found = g_enum_get_value (klass, value);
  if (found == NULL)
    return NULL;
  /* Alert types and severities are upper case on the wire (contract §2). */
  if (enum_type == RL_TYPE_ALERT_TYPE || enum_type == RL_TYPE_ALERT_SEVERITY)
    wire = g_ascii_strup (found->value_nick, -1);
  else
    wire = g_strdup (found->value_nick);
  g_strdelimit (wire, "-", '_');
  return g_intern_string (wire);
}
