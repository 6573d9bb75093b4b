/* fuzz-util.c — what every libFuzzer target of tests/fuzz shares.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"

/* GLib ends on a fatal message with a breakpoint (SIGTRAP), which libFuzzer
 * does not catch: without this it would keep no crashing input. */
static void
trap_cb (int signum)
{
  abort ();
}

void
fuzz_init (void)
{
  signal (SIGTRAP, trap_cb);
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_ERROR);
  g_log_set_fatal_mask ("reloop-core", G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING
                                           | G_LOG_LEVEL_ERROR);
}

char *
fuzz_strndup (const uint8_t *data,
              size_t         size)
{
  return g_strndup ((const char *) data, size);
}

char *
fuzz_split_line (const uint8_t  *data,
                 size_t          size,
                 const uint8_t **out_rest,
                 size_t         *out_rest_size)
{
  const uint8_t *nl = memchr (data, '\n', size);

  if (nl == NULL)
    {
      *out_rest = data + size;
      *out_rest_size = 0;
      return fuzz_strndup (data, size);
    }
  *out_rest = nl + 1;
  *out_rest_size = size - (size_t) (nl - data) - 1;
  return fuzz_strndup (data, (size_t) (nl - data));
}
