/* rl-provider-dialog-private.h — what the provider dialog's files share:
 * the instance struct and the generated form (rl-provider-dialog-form.c).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-provider-dialog.h"
#include "rl-provider-form.h"

G_BEGIN_DECLS

/* One row of the form: a field of the type, or name / role / priority. */
typedef struct
{
  char                  *key;           /* the field's key, or "name", "role", "priority" */
  const RlProviderField *field;         /* NULL for name, role, priority */
  GtkWidget             *row;           /* AdwEntryRow, AdwPasswordEntryRow, AdwActionRow, AdwComboRow */
  GtkWidget             *input;         /* the row itself (entries, combo), a GtkSpinButton or GtkSwitch */
  GtkWidget             *note_row;      /* under the row: the error or the secret's hint */
  GtkWidget             *note_label;    /* its label */
  GtkWidget             *remove_button; /* a set secret's "Remove" (NULL otherwise) */
  char                  *hint;          /* a set secret's "…4242, set 3 Dec" (NULL otherwise) */
  gboolean               has_error;
} RlFormRow;

struct _RlProviderDialog
{
  AdwWindow parent_instance;

  RlSession            *session;
  GCancellable         *cancellable;
  GPtrArray            *types;         /* RlProviderType*, from the session */
  char                 *kind;          /* the kind to show first (add), or NULL */
  char                 *provider_id;   /* edit: the provider; NULL while adding */
  JsonObject           *provider;      /* edit: the cached record */
  const RlProviderType *type;          /* the chosen type (in @types) */
  GPtrArray            *rows;          /* RlFormRow* */
  GPtrArray            *picker_groups; /* AdwPreferencesGroup* per kind */
  gint64                edit_row_id;   /* the outbox row of a save waiting for its answer */
  gulong                settled_id;
  guint                 busy : 1;
  guint                 secrets_read_only : 1;

  AdwToastOverlay    *toasts;
  AdwWindowTitle     *window_title;
  GtkWidget          *cancel_button;
  GtkWidget          *back_button;
  GtkWidget          *submit_button;
  GtkStack           *stack;
  AdwStatusPage      *error_status;
  GtkSearchEntry     *search_entry;
  AdwPreferencesPage *picker_page;
  AdwPreferencesPage *form_page;
};

/* rl-provider-dialog-form.c */
void       rl_provider_dialog_build_form (RlProviderDialog *self);
RlFormRow *rl_provider_dialog_find_row (RlProviderDialog *self,
                                        const char       *key);
/* The form's values: field key → value (text, number, boolean), plus
 * "name", "role", "priority". */
JsonObject *rl_provider_dialog_collect_values (RlProviderDialog *self);
void        rl_provider_dialog_show_error (RlProviderDialog *self,
                                           RlFormRow        *row,
                                           const char       *message);
void        rl_provider_dialog_clear_errors (RlProviderDialog *self);
/* The words for a form model error on @row's field. */
char *rl_provider_dialog_error_text (RlFormRow    *row,
                                     const GError *error);
void  rl_form_row_free (RlFormRow *row);
/* Wipes and clears every secret entry. */
void rl_provider_dialog_clear_secrets (RlProviderDialog *self);

/* rl-provider-dialog.c */
void rl_provider_dialog_submit (RlProviderDialog *self);
void rl_provider_dialog_toast (RlProviderDialog *self,
                               const char       *text);
/* "@what" and the UI's words for @error, as a toast. */
void rl_provider_dialog_toast_error (RlProviderDialog *self,
                                     const char       *what,
                                     const GError     *error);
void rl_provider_dialog_set_busy (RlProviderDialog *self,
                                  gboolean          busy);
/* (Re)builds the form for self->type and self->provider, and shows it. */
void rl_provider_dialog_show_form (RlProviderDialog *self);
/* Each of a 422's details.fields on its row; TRUE when all found one. */
gboolean rl_provider_dialog_show_server_fields (RlProviderDialog *self,
                                                JsonObject       *fields);
/* key → typed value of the secrets typed in @values. */
JsonObject *rl_provider_dialog_secret_values (RlProviderDialog *self,
                                              JsonObject       *values);

/* rl-provider-dialog-edit.c */
void rl_provider_dialog_submit_edit (RlProviderDialog *self,
                                     JsonObject       *values);
void rl_provider_dialog_remove_secret (RlProviderDialog *self,
                                       RlFormRow        *row);

G_END_DECLS
