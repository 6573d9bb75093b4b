/* rl-error.c — placeholder, being written. SPDX-License-Identifier: GPL-3.0-or-later */
#include "rl-error.h"
