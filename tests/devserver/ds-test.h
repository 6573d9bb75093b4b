/* ds-test.h — HTTP helpers for the devserver tests (status, headers, body).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rl-test-util.h"

G_BEGIN_DECLS

typedef struct
{
  guint               status; /* 0: no response (connection dropped) */
  JsonNode           *root;   /* NULL when the body is not JSON */
  SoupMessageHeaders *headers;
  GBytes             *body;
} DsReply;

void ds_reply_free (DsReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DsReply, ds_reply_free)

/* path is appended to server->url ("/api/v1/…", "/__dev/…"); token may be
 * NULL; headers: NULL-terminated name/value pairs. */
DsReply *ds_call (RlTestDevserver   *server,
                  const char        *method,
                  const char        *path,
                  const char        *token,
                  const char        *json_body,
                  const char *const *headers);

JsonObject *ds_envelope (DsReply *reply); /* asserts an envelope */
JsonObject *ds_data_object (DsReply *reply);
JsonArray  *ds_data_array (DsReply *reply);
const char *ds_error_code (DsReply *reply);
JsonObject *ds_error_details (DsReply *reply);
const char *ds_header (DsReply *reply, const char *name);

/* Asserts status and returns the reply. */
DsReply *ds_expect (RlTestDevserver   *server,
                    guint              status,
                    const char        *method,
                    const char        *path,
                    const char        *token,
                    const char        *json_body,
                    const char *const *headers);

RlTestDevserver *ds_start (const char *const *extra_args);

G_END_DECLS
