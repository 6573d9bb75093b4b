/* fuzz-util.h — what every libFuzzer target of tests/fuzz shares.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each target is built with -fsanitize=fuzzer,address,undefined by a
 * -Dfuzzing=true build (docs/testing.md "Fuzzing"): a crash, a sanitizer
 * report, a failed g_assert or a CRITICAL/WARNING logged by the core is a
 * finding. The targets link libreloop-core only (no GTK).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* CRITICAL and WARNING abort (a CRITICAL or WARNING is a bug); debug
 * messages stay quiet unless G_MESSAGES_DEBUG asks for them. */
void fuzz_init (void);

/* @data as a NUL-terminated string (the bytes may hold NULs: the C string
 * then ends at the first). */
char *fuzz_strndup (const uint8_t *data,
                    size_t         size);

/* Splits @data at its first '\n': the line before (NUL-terminated, newly
 * allocated) and the bytes after it (borrowed). No '\n': the whole input is
 * the line and the rest is empty. */
char *fuzz_split_line (const uint8_t  *data,
                       size_t          size,
                       const uint8_t **out_rest,
                       size_t         *out_rest_size);

G_END_DECLS
