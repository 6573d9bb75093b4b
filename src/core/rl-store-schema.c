/* rl-store-schema.c — placeholder. SPDX-License-Identifier: GPL-3.0-or-later */
#include "rl-store.h"
