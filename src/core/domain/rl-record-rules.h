/* rl-record-rules.h — what a value of a record's field may be, for editors.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules the contract sets for fields a person edits (a drop point's
 * latitude in −90…90, its status one of active|maintenance|retired, …), and
 * the reading of a value typed as text. Fields without a rule take any JSON
 * value. The server has the last word (422 details.fields); these catch what
 * can be caught before sending. Codes, not words: the UI words them
 * (rl_ui_error_message).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define RL_RECORD_ERROR (rl_record_error_quark ())

typedef enum
{
  RL_RECORD_ERROR_REQUIRED, /* the field may not be absent or empty */
  RL_RECORD_ERROR_TYPE,     /* not a number / boolean / text / list / JSON as expected */
  RL_RECORD_ERROR_RANGE,    /* a number out of its range */
  RL_RECORD_ERROR_CHOICE,   /* not one of the allowed values */
} RlRecordError;

GQuark rl_record_error_quark (void);

/* Checks @value (NULL: absent) for the field @path of a record of
 * @entity_type ("drop_point", "provider", …, or anything: then any value). */
gboolean rl_record_check_field (const char *entity_type,
                                const char *path,
                                JsonNode   *value,
                                GError    **error);
/* Reads @text typed for a field whose other values look like @like (NULL:
 * text): a number, true/false, null, a text, or JSON for a list or object.
 * NULL + RL_RECORD_ERROR_TYPE when @text is not such a value. */
JsonNode *rl_record_parse_value (const char *text,
                                 JsonNode   *like,
                                 GError    **error);
/* A value as a person reads it: text unquoted, numbers without trailing
 * zeros, lists and objects as compact JSON, absent as NULL. */
char *rl_record_format_value (JsonNode *value);

G_END_DECLS
