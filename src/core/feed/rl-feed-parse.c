/* rl-feed-parse.c — the contract §3 checks of one MQTT payload (network thread).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "rl-core-enums.h"
#include "rl-feed-private.h"
#include "rl-list-enums.h"
#include "rl-time.h"

/* A number member: absent or null → NAN and TRUE (unless @required);
 * present but not a number → FALSE with @reason. */
static gboolean
get_number (JsonObject   *object,
            const char   *member,
            gboolean      required,
            double        min,
            double        max,
            double       *out,
            RlFeedReject *reason)
{
  JsonNode *node = json_object_get_member (object, member);
  GType     type;

  *out = NAN;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        *reason = RL_FEED_REJECT_MISSING_FIELD;
      return !required;
    }
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    {
      *reason = RL_FEED_REJECT_BAD_VALUE;
      return FALSE;
    }
  *out = json_node_get_double (node);
  if (!isfinite (*out) || *out < min || *out > max)
    {
      *reason = RL_FEED_REJECT_OUT_OF_RANGE;
      return FALSE;
    }
  return TRUE;
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A required member holding one of @enum_type's wire values (contract §2:
 * alert types and severities), any case; *@out is its canonical spelling. */
static gboolean
get_enum (JsonObject   *object,
          const char   *member,
          GType         enum_type,
          const char  **out,
          RlFeedReject *reason)
{
  JsonNode   *node = json_object_get_member (object, member);
  const char *text;
  gint        value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *reason = RL_FEED_REJECT_MISSING_FIELD;
      return FALSE;
    }
  if ((text = get_string (object, member)) == NULL
      || (value = rl_enum_from_wire (enum_type, text)) == 0)
    {
      *reason = RL_FEED_REJECT_BAD_VALUE;
      return FALSE;
    }
  *out = rl_enum_to_wire (enum_type, value);
  return TRUE;
}

static gboolean
parse_timestamp (JsonObject   *object,
                 gint64       *out_ms,
                 RlFeedReject *reason)
{
  JsonNode   *node = json_object_get_member (object, "timestamp");
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *reason = RL_FEED_REJECT_MISSING_FIELD;
      return FALSE;
    }
  text = get_string (object, "timestamp");
  if (text == NULL || !rl_time_parse_ms (text, out_ms))
    {
      *reason = RL_FEED_REJECT_BAD_VALUE;
      return FALSE;
    }
  if (*out_ms > rl_time_now_ms () + RL_FEED_MAX_FUTURE_MS)
    {
      *reason = RL_FEED_REJECT_FUTURE;
      return FALSE;
    }
  return TRUE;
}

/* One parser per thread (the network thread's, a replay's), used again for
 * each payload: a new one per message cost a tenth of the message's time
 * (docs/feed.md "Ingest"). */
static GPrivate thread_parser = G_PRIVATE_INIT (g_object_unref);

/* Fills @msg from a payload; FALSE with @reason when the contract rejects it. */
gboolean
rl_feed_parse_payload_json (MsgKind       kind,
                            const char   *device_id,
                            const char   *payload,
                            gsize         length,
                            Msg          *msg,
                            RlFeedReject *reason)
{
  JsonParser *parser = g_private_get (&thread_parser);
  JsonNode   *root;
  JsonObject *object;

  if (parser == NULL)
    {
      parser = json_parser_new_immutable ();
      g_private_set (&thread_parser, parser);
    }
  if (!g_utf8_validate (payload, (gssize) length, NULL)
      || !json_parser_load_from_data (parser, payload, (gssize) length, NULL)
      || (root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root))
    {
      *reason = RL_FEED_REJECT_NOT_JSON;
      return FALSE;
    }
  object = json_node_get_object (root);
  msg->kind = kind;

  switch (kind)
    {
    case MSG_READING:
      {
        const char *bin_id;

        if (!json_object_has_member (object, "binId")
            || !json_object_has_member (object, "fillLevel"))
          {
            *reason = RL_FEED_REJECT_MISSING_FIELD;
            return FALSE;
          }
        bin_id = get_string (object, "binId");
        if (bin_id == NULL)
          {
            *reason = RL_FEED_REJECT_BAD_VALUE;
            return FALSE;
          }
        if (strcmp (bin_id, device_id) != 0)
          {
            *reason = RL_FEED_REJECT_BIN_MISMATCH;
            return FALSE;
          }
        if (!get_number (object, "fillLevel", TRUE, 0, 100, &msg->fill, reason)
            || !get_number (object, "weight", FALSE, 0, G_MAXDOUBLE, &msg->weight, reason)
            || !get_number (object, "temperature", FALSE, -40, 85, &msg->temperature, reason)
            || !get_number (object, "humidity", FALSE, 0, 100, &msg->humidity, reason)
            || !get_number (object, "batteryLevel", FALSE, 0, 100, &msg->battery, reason))
          return FALSE;
        return parse_timestamp (object, &msg->ts_ms, reason);
      }

    case MSG_STATUS:
      {
        JsonNode *online = json_object_get_member (object, "online");

        if (online == NULL || JSON_NODE_HOLDS_NULL (online))
          {
            *reason = RL_FEED_REJECT_MISSING_FIELD;
            return FALSE;
          }
        if (!JSON_NODE_HOLDS_VALUE (online) || json_node_get_value_type (online) != G_TYPE_BOOLEAN)
          {
            *reason = RL_FEED_REJECT_BAD_VALUE;
            return FALSE;
          }
        msg->online = json_node_get_boolean (online);
        return parse_timestamp (object, &msg->ts_ms, reason);
      }

    case MSG_ALERT:
      {
        const char *type, *severity;
        JsonNode   *message;

        if (!get_enum (object, "type", RL_TYPE_ALERT_TYPE, &type, reason)
            || !get_enum (object, "severity", RL_TYPE_ALERT_SEVERITY, &severity, reason))
          return FALSE;
        message = json_object_get_member (object, "message");
        if (message != NULL && !JSON_NODE_HOLDS_NULL (message)
            && get_string (object, "message") == NULL)
          {
            *reason = RL_FEED_REJECT_BAD_VALUE;
            return FALSE;
          }
        if (!parse_timestamp (object, &msg->ts_ms, reason))
          return FALSE;
        /* Only now: a rejected payload leaves nothing behind. */
        msg->alert_type = g_strdup (type);
        msg->severity = g_strdup (severity);
        msg->message = g_strdup (get_string (object, "message"));
        return TRUE;
      }

    case MSG_STOP:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

gboolean
rl_feed_parse_payload (MsgKind       kind,
                       const char   *device_id,
                       const char   *payload,
                       gsize         length,
                       Msg          *msg,
                       RlFeedReject *reason)
{
  /* The common reading without json-glib (rl-feed-parse-fast.c); anything
   * it declines, json-glib decides. */
  if (kind == MSG_READING && rl_feed_parse_reading_fast (device_id, payload, length, msg))
    return TRUE;
  return rl_feed_parse_payload_json (kind, device_id, payload, length, msg, reason);
}
