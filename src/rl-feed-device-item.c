/* rl-feed-device-item.c — one row of the Feed dialog's devices list.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-feed-device-item.h"

G_DEFINE_FINAL_TYPE (RlFeedDeviceItem, rl_feed_device_item, G_TYPE_OBJECT)

enum
{
  ITEM_PROP_0,
  ITEM_PROP_DEVICE_ID,
  ITEM_PROP_NAME,
  ITEM_PROP_ONLINE,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

static void
rl_feed_device_item_finalize (GObject *object)
{
  rl_device_seen_free (RL_FEED_DEVICE_ITEM (object)->seen);
  G_OBJECT_CLASS (rl_feed_device_item_parent_class)->finalize (object);
}

static void
rl_feed_device_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RlDeviceSeen *seen = RL_FEED_DEVICE_ITEM (object)->seen;

  switch (prop_id)
    {
    case ITEM_PROP_DEVICE_ID:
      g_value_set_string (value, seen->device_id);
      break;
    case ITEM_PROP_NAME:
      g_value_set_string (value, seen->name);
      break;
    case ITEM_PROP_ONLINE:
      g_value_set_boolean (value, seen->online);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_feed_device_item_class_init (RlFeedDeviceItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rl_feed_device_item_finalize;
  object_class->get_property = rl_feed_device_item_get_property;
  item_properties[ITEM_PROP_DEVICE_ID] = g_param_spec_string (
      "device-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_NAME] =
      g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_ONLINE] = g_param_spec_boolean (
      "online", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
rl_feed_device_item_init (RlFeedDeviceItem *self)
{
}

RlFeedDeviceItem *
rl_feed_device_item_new (RlDeviceSeen *seen)
{
  RlFeedDeviceItem *self = g_object_new (RL_TYPE_FEED_DEVICE_ITEM, NULL);

  self->seen = seen;
  return self;
}
