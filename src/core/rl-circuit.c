/* rl-circuit.c — placeholder, being written. SPDX-License-Identifier: GPL-3.0-or-later */
#include "rl-circuit.h"
