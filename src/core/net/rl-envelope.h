/* rl-envelope.h — a REST response body parsed into the contract's envelope.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What the caller expects in `data` on success. */
typedef enum
{
  RL_ENVELOPE_EXPECT_ANY,
  RL_ENVELOPE_EXPECT_OBJECT,
  RL_ENVELOPE_EXPECT_ARRAY,
  RL_ENVELOPE_EXPECT_OBJECT_OR_NULL,
} RlEnvelopeExpect;

typedef struct
{
  guint     http_status;
  JsonNode *data;           /* never NULL on success (a JSON null node when data is null) */
  JsonNode *meta;           /* the meta object, or NULL */
  char     *timestamp;      /* meta.timestamp, or NULL */
  gboolean  has_pagination; /* meta.pagination present */
  char     *next_cursor;    /* meta.pagination.nextCursor; NULL on the last page */
  gint64    total;          /* meta.pagination.total, or -1 */
  gint64    next_since;     /* meta.pagination.nextSince (/changes), or -1 */
  gboolean  has_more;       /* meta.pagination.hasMore (/changes) */
  gboolean  replayed;       /* Idempotent-Replayed: true (set by RlApi) */
  char     *etag;           /* ETag header (set by RlApi), or NULL */
} RlEnvelope;

/* Parses (status, content type, body). A success envelope → RlEnvelope; an
 * error envelope → NULL and its RL_ERROR (code from error.code, message,
 * details, HTTP status); anything that is not the envelope → NULL and
 * RL_ERROR_BAD_RESPONSE. content_type may be NULL (then only the body
 * decides); body may be NULL (same as empty). Never crashes on any input. */
RlEnvelope *rl_envelope_parse (guint            http_status,
                               const char      *content_type,
                               GBytes          *body,
                               RlEnvelopeExpect expect,
                               GError         **error);

/* The same on a raw buffer. */
RlEnvelope *rl_envelope_parse_data (guint            http_status,
                                    const char      *content_type,
                                    const char      *data,
                                    gsize            length,
                                    RlEnvelopeExpect expect,
                                    GError         **error);

/* data as an array / object, or NULL when it is not one. */
JsonArray  *rl_envelope_get_array (RlEnvelope *envelope);
JsonObject *rl_envelope_get_object (RlEnvelope *envelope);

void rl_envelope_free (RlEnvelope *envelope);

/* Bodies are refused beyond this size and nesting depth (BAD_RESPONSE). */
#define RL_ENVELOPE_MAX_BYTES (256u * 1024u * 1024u)
#define RL_ENVELOPE_MAX_DEPTH 256

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlEnvelope, rl_envelope_free)

G_END_DECLS
