/* rl-test-certs.c — a CA and server certificates made at test time with
 * the openssl command line (nothing committed): for mqtts:// and https://.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-test-certs.h"
#include "rl-test-util.h"

static void
openssl (RlTestCerts       *certs,
         const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *binary = g_find_program_in_path ("openssl");
  int              status = 0;

  if (binary == NULL)
    g_error ("the openssl command is missing (build-aux/install-deps.sh installs it)");
  g_ptr_array_add (argv, binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (certs->dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                     &err, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("openssl %s failed: %s\n%s", args[0], error->message, err);
}

static char *
write_file (RlTestCerts *certs,
            const char  *name,
            const char  *contents)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (certs->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* A self-signed CA: NAME.crt and NAME.key. */
static char *
make_ca (RlTestCerts *certs,
         const char  *name)
{
  g_autofree char *conf = write_file (certs, "ca.cnf", "[req]\n"
                                                       "distinguished_name = dn\n"
                                                       "prompt = no\n"
                                                       "x509_extensions = v3_ca\n"
                                                       "[dn]\n"
                                                       "CN = ReLoop test CA\n"
                                                       "[v3_ca]\n"
                                                       "basicConstraints = critical,CA:TRUE\n"
                                                       "keyUsage = critical,keyCertSign,cRLSign\n"
                                                       "subjectKeyIdentifier = hash\n");
  g_autofree char *crt = g_strconcat (name, ".crt", NULL);
  g_autofree char *key = g_strconcat (name, ".key", NULL);

  openssl (certs, (const char *[]){ "req", "-x509", "-config", conf, "-newkey", "ec", "-pkeyopt",
                                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", crt,
                                    "-days", "2", NULL });
  return g_build_filename (certs->dir, crt, NULL);
}

/* A server certificate NAME.crt/NAME.key for @san, signed by ca. */
static void
make_server_cert (RlTestCerts *certs,
                  const char  *name,
                  const char  *common_name,
                  const char  *san,
                  char       **out_cert,
                  char       **out_key)
{
  g_autofree char *ext_name = g_strconcat (name, ".ext", NULL);
  g_autofree char *ext_text = g_strdup_printf ("basicConstraints = CA:FALSE\n"
                                               "keyUsage = critical,digitalSignature\n"
                                               "extendedKeyUsage = serverAuth\n"
                                               "subjectAltName = %s\n",
                                               san);
  g_autofree char *ext = write_file (certs, ext_name, ext_text);
  g_autofree char *subject = g_strdup_printf ("/CN=%s", common_name);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *crt = g_strconcat (name, ".crt", NULL);
  g_autofree char *key = g_strconcat (name, ".key", NULL);

  openssl (certs, (const char *[]){ "req", "-new", "-newkey", "ec", "-pkeyopt",
                                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr,
                                    "-subj", subject, NULL });
  openssl (certs, (const char *[]){ "x509", "-req", "-in", csr, "-CA", "ca.crt", "-CAkey", "ca.key",
                                    "-set_serial", "2", "-days", "2", "-extfile", ext, "-out", crt,
                                    NULL });
  *out_cert = g_build_filename (certs->dir, crt, NULL);
  *out_key = g_build_filename (certs->dir, key, NULL);
}

RlTestCerts *
rl_test_certs_make (void)
{
  RlTestCerts *certs = g_new0 (RlTestCerts, 1);
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  certs->dir = g_dir_make_tmp ("rl-tls-XXXXXX", &error);
  g_assert_no_error (error);
  certs->ca = make_ca (certs, "ca");
  certs->other_ca = make_ca (certs, "other-ca");
  make_server_cert (certs, "good", "localhost", "DNS:localhost,IP:127.0.0.1", &certs->good_cert,
                    &certs->good_key);
  make_server_cert (certs, "wrong", "broker.elsewhere.example", "DNS:broker.elsewhere.example",
                    &certs->wrong_cert, &certs->wrong_key);
  g_test_message ("certificates made in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  return certs;
}

void
rl_test_certs_free (RlTestCerts *certs)
{
  if (certs == NULL)
    return;
  rl_test_rm_rf (certs->dir);
  g_free (certs->dir);
  g_free (certs->ca);
  g_free (certs->other_ca);
  g_free (certs->good_cert);
  g_free (certs->good_key);
  g_free (certs->wrong_cert);
  g_free (certs->wrong_key);
  g_free (certs);
}
