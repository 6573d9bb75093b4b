/* rl-test-certs.h — a CA and server certificates made at test time.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The certificates of a run, in one temporary directory. */
typedef struct
{
  char *dir;
  char *ca;        /* ca.crt */
  char *good_cert; /* for localhost and 127.0.0.1, signed by ca */
  char *good_key;
  char *wrong_cert; /* for broker.elsewhere.example, signed by ca */
  char *wrong_key;
  char *other_ca; /* a CA that signed nothing here */
} RlTestCerts;

/* Needs the openssl command (build-aux/install-deps.sh); fails the test
 * without it. */
RlTestCerts *rl_test_certs_make (void);
/* Removes the directory too. */
void rl_test_certs_free (RlTestCerts *certs);

G_END_DECLS
