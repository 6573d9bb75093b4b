/* rl-feed-device-item.h — one row of the Feed dialog's devices list.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rl-store-devices.h"

G_BEGIN_DECLS

#define RL_TYPE_FEED_DEVICE_ITEM (rl_feed_device_item_get_type ())
G_DECLARE_FINAL_TYPE (RlFeedDeviceItem, rl_feed_device_item, RL, FEED_DEVICE_ITEM, GObject)

/* Properties "device-id", "name", "online" (read-only). */
struct _RlFeedDeviceItem
{
  GObject       parent_instance;
  RlDeviceSeen *seen; /* owned */
};

/* Takes @seen. */
RlFeedDeviceItem *rl_feed_device_item_new (RlDeviceSeen *seen);

G_END_DECLS
