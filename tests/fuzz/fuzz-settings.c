/* fuzz-settings.c — the text of a setting as the core validates it
 * (src/core/net/rl-url.c: server, broker, topic prefix, tile template,
 * provider service URL; rl_store_path_for_server for the server's cache).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte picks the setting, the rest is the text. A valid text's
 * normal form is valid and is its own normal form (the preferences store
 * the normal form and validate it again at the next start); a refusal is
 * an RL_URL_ERROR of the setting's kind; a valid server's cache file is a
 * plain file name in the servers directory.
 */
#include <string.h>

#include "fuzz-util.h"
#include "rl-store.h"
#include "rl-url.h"

typedef gboolean (*Validate) (const char *text,
                              char      **out_normalised,
                              GError    **error);

static const struct
{
  Validate  validate;
  RlUrlKind kind;
} settings[] = {
  { rl_url_validate_server, RL_URL_KIND_SERVER },
  { rl_url_validate_broker, RL_URL_KIND_BROKER },
  { rl_url_validate_topic_prefix, RL_URL_KIND_TOPIC_PREFIX },
  { rl_url_validate_tile_template, RL_URL_KIND_TILE_TEMPLATE },
  { rl_url_validate_service, RL_URL_KIND_SERVICE },
};

static char *servers_dir;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  servers_dir = g_build_filename (g_get_user_data_dir (), "reloop-console", "servers", NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autofree char *normalised = NULL;
  g_autofree char *again = NULL;
  g_autoptr (GError) error = NULL;
  guint    which;
  gboolean valid;

  if (size < 1)
    return 0;
  which = data[0] % G_N_ELEMENTS (settings);
  text = fuzz_strndup (data + 1, size - 1);

  valid = settings[which].validate (text, &normalised, &error);
  if (!valid)
    {
      g_assert_null (normalised);
      g_assert_true (error != NULL && error->domain == RL_URL_ERROR);
      g_assert_true (rl_url_error_get_kind (error) == settings[which].kind);
      g_assert_nonnull (rl_url_error_get_text (error));
      g_assert_nonnull (error->message);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_nonnull (normalised);
      if (!settings[which].validate (normalised, &again, &error))
        g_error ("setting %u: “%s” is valid, its normal form “%s” is not: %s", which, text,
                 normalised, error->message);
      if (g_strcmp0 (again, normalised) != 0)
        g_error ("setting %u: “%s” → “%s” → “%s”", which, text, normalised, again);
    }
  /* Without a normal form asked for, the same answer. */
  g_assert_true (settings[which].validate (text, NULL, NULL) == valid);

  if (settings[which].kind == RL_URL_KIND_SERVER)
    {
      g_autofree char *path = rl_store_path_for_server (text);
      g_autofree char *dir = NULL;
      g_autofree char *base = NULL;

      g_assert_true ((path != NULL) == valid);
      if (path != NULL)
        {
          dir = g_path_get_dirname (path);
          base = g_path_get_basename (path);
          g_assert_cmpstr (dir, ==, servers_dir);
          g_assert_true (g_str_has_suffix (base, ".sqlite"));
        }
    }
  (void) rl_url_host_is_loopback (text);
  {
    g_autofree char *copy = g_strdup (text);
    gsize            n = strlen (rl_url_trim_trailing_slashes (copy));

    g_assert_true (n == 0 || copy[n - 1] != '/');
  }
  return 0;
}
