/* rl-providers-page.c — the providers page: one group per kind, each row a
 * provider in the order the platform tries them, the chain per kind, and
 * what the page cannot do offline or with the keyring locked.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each kind has its own RlRecordList (RL_LIST_KIND_PROVIDERS filtered on
 * "kind", in the kinds' default order: role, then priority) bound to a
 * GtkListBox: tens of rows, refreshed in place as the cache changes.
 * The actions live in rl-providers-page-actions.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "rl-a11y.h"
#include "rl-providers-page-private.h"
#include "rl-spinners.h"
#include "rl-ui-format.h"
#include "rl-sync-engine.h"
#include "rl-ui-errors.h"

const char *const rl_providers_page_kinds[RL_PROVIDER_N_KINDS] = {
  "payment",
  "ai_classification",
  "email",
  "sms",
  "storage",
  "maps",
  "translation",
  "llm",
  "analytics",
};

G_DEFINE_FINAL_TYPE (RlProvidersPage, rl_providers_page, RL_TYPE_PAGE)

/* ---- Helpers ------------------------------------------------------------------- */

static guint
kind_index (RlProvidersPage *self,
            RlRecordList    *list)
{
  for (guint k = 0; k < RL_PROVIDER_N_KINDS; k++)
    if (self->lists[k] == list)
      return k;
  g_assert_not_reached ();
}

static void
update_group (RlProvidersPage *self,
              guint            k)
{
  gboolean         has_primary = FALSE;
  g_autofree char *chain = rl_providers_page_chain (self, k, &has_primary);
  guint            n = g_list_model_get_n_items (G_LIST_MODEL (self->lists[k]));
  const char      *kind = rl_ui_provider_kind_label (rl_providers_page_kinds[k]);
  g_autofree char *description = NULL;
  g_autofree char *warning = NULL;

  if (chain != NULL)
    /* Translators: the order the platform tries a kind's providers in,
     * e.g. "Tried in order: Khalti → eSewa → Fonepay". */
    description = g_strdup_printf (_ ("Tried in order: %s"), chain);
  else if (n > 0)
    description = g_strdup (_ ("Every provider of this kind is disabled."));
  else
    description = g_strdup (_ ("No provider of this kind."));
  adw_preferences_group_set_description (self->groups[k], description);
  gtk_widget_set_visible (GTK_WIDGET (self->boxes[k]), n > 0);

  if (chain == NULL)
    /* Translators: %s is a kind of provider, e.g. "Payment". */
    warning = g_strdup_printf (
        _ ("No enabled primary: %s calls would fail over to nothing."), kind);
  else if (!has_primary)
    /* Translators: %s is a kind of provider, e.g. "Payment". */
    warning = g_strdup_printf (
        _ ("No enabled primary: %s calls start at a fallback."), kind);
  gtk_widget_set_visible (GTK_WIDGET (self->warnings[k]), warning != NULL);
  gtk_label_set_text (self->warning_labels[k], warning ? warning : "");
}

static void
update_state (RlProvidersPage *self)
{
  RlSession       *session = rl_page_get_session (RL_PAGE (self));
  RlSessionState   state = session ? rl_session_get_state (session) : RL_SESSION_STATE_SIGNED_OUT;
  RlKeyringState   keyring = session ? rl_session_get_keyring_state (session) : RL_KEYRING_UNKNOWN;
  const GError    *error = NULL;
  gboolean         loading = FALSE;
  guint            total = 0, missing = 0;
  g_autofree char *summary = NULL;

  for (guint k = 0; k < RL_PROVIDER_N_KINDS; k++)
    {
      gboolean         has_primary = FALSE;
      g_autofree char *chain = rl_providers_page_chain (self, k, &has_primary);

      total += g_list_model_get_n_items (G_LIST_MODEL (self->lists[k]));
      loading |= rl_record_list_get_loading (self->lists[k]);
      if (error == NULL)
        error = rl_record_list_get_error (self->lists[k]);
      if (!has_primary)
        missing++;
    }

  if (state == RL_SESSION_STATE_SIGNED_OUT || rl_session_get_store (session) == NULL)
    gtk_stack_set_visible_child_name (self->stack, "signed-out");
  else if (total == 0 && error != NULL)
    {
      g_autofree char *message = rl_ui_error_message (error);

      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else if (total == 0 && loading)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");

  if (total == 0)
    summary = g_strdup (_ ("No providers yet: add one for each kind of service the platform "
                           "calls."));
  else if (missing > 0)
    /* Translators: 1: providers, 2: kinds with no enabled primary. */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%1$u providers · %2$u kind without an enabled primary",
                                            "%1$u providers · %2$u kinds without an enabled primary",
                                            missing),
                               total, missing);
  else
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u provider", "%u providers", total),
                               total);
  gtk_label_set_text (self->summary_label, summary);

  gtk_widget_set_visible (GTK_WIDGET (self->offline_box), state == RL_SESSION_STATE_OFFLINE);
  switch (keyring)
    {
    case RL_KEYRING_LOCKED:
      gtk_label_set_text (
          self->keyring_label,
          _ ("The keyring is locked. Providers’ secrets cannot be set or changed until it is "
             "unlocked; everything else works, and no secret is ever kept anywhere else."));
      gtk_widget_set_visible (GTK_WIDGET (self->unlock_button), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->keyring_box), TRUE);
      break;
    case RL_KEYRING_NO_SERVICE:
      gtk_label_set_text (
          self->keyring_label,
          _ ("No keyring is available (no Secret Service). Providers’ secrets cannot be set or "
             "changed here, and are never kept in a file instead."));
      gtk_widget_set_visible (GTK_WIDGET (self->unlock_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->keyring_box), TRUE);
      break;
    case RL_KEYRING_AVAILABLE:
    case RL_KEYRING_UNKNOWN:
    default:
      gtk_widget_set_visible (GTK_WIDGET (self->keyring_box), FALSE);
      break;
    }
  rl_providers_page_update_actions (self);
}

static void
build_groups (RlProvidersPage *self);

/* ---- Callbacks ----------------------------------------------------------------- */

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  RlProvidersPage      *self = user_data;
  GtkWidget            *row = rl_provider_row_new (RL_PROVIDER_ITEM (item));
  RlProviderTestResult *test =
      g_hash_table_lookup (self->tests, rl_list_item_get_id (RL_LIST_ITEM (item)));

  if (test != NULL)
    rl_provider_row_set_test_result (RL_PROVIDER_ROW (row), test);
  return row;
}

static void
list_changed_cb (RlRecordList    *list,
                 guint            position,
                 guint            removed,
                 guint            added,
                 RlProvidersPage *self)
{
  update_group (self, kind_index (self, list));
  update_state (self);
  /* A changed or moved provider is a new row widget: give the focus back
   * to it (Alt+Down twice moves the same provider twice). */
  if (self->focus_id != NULL)
    {
      RlProviderRow *row = rl_providers_page_find_row (self, self->focus_id);

      if (row != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (row));
      g_clear_pointer (&self->focus_id, g_free);
    }
}

/* Before the list box replaces its rows: which provider has the focus. */
static void
list_changing_cb (RlRecordList    *list,
                  guint            position,
                  guint            removed,
                  guint            added,
                  RlProvidersPage *self)
{
  GtkRoot   *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row = focus ? gtk_widget_get_ancestor (focus, RL_TYPE_PROVIDER_ROW) : NULL;

  if (row != NULL
      && gtk_widget_is_ancestor (row, GTK_WIDGET (self->boxes[kind_index (self, list)])))
    {
      g_free (self->focus_id);
      self->focus_id = g_strdup (
          rl_list_item_get_id (RL_LIST_ITEM (rl_provider_row_get_item (RL_PROVIDER_ROW (row)))));
    }
}

static void
list_state_cb (RlRecordList    *list,
               GParamSpec      *pspec,
               RlProvidersPage *self)
{
  update_state (self);
}

static void
store_changed_cb (RlProvidersPage *self)
{
  RlSession *session = rl_page_get_session (RL_PAGE (self));
  RlStore   *store = session ? rl_session_get_store (session) : NULL;

  for (guint k = 0; k < RL_PROVIDER_N_KINDS; k++)
    if (rl_record_list_get_store (self->lists[k]) != store)
      rl_record_list_set_store (self->lists[k], store);
  update_state (self);
}

static void
session_changed (RlPage *page)
{
  RlProvidersPage *self = RL_PROVIDERS_PAGE (page);
  RlSession       *session = rl_page_get_session (page);

  if (self->watched != session)
    {
      if (self->watched != NULL)
        g_signal_handlers_disconnect_by_data (self->watched, self);
      g_set_object (&self->watched, session);
      if (session != NULL)
        {
          g_signal_connect_swapped (session, "notify::store", G_CALLBACK (store_changed_cb), self);
          g_signal_connect_swapped (session, "notify::keyring-state", G_CALLBACK (update_state),
                                    self);
          g_signal_connect_swapped (session, "notify::api-reachable", G_CALLBACK (update_state),
                                    self);
        }
    }
  store_changed_cb (self);
}

/* ---- GObject ------------------------------------------------------------------- */

static void
build_groups (RlProvidersPage *self)
{
  for (guint k = 0; k < RL_PROVIDER_N_KINDS; k++)
    {
      const char      *kind_values[2] = { rl_providers_page_kinds[k], NULL };
      const char      *kind = rl_ui_provider_kind_label (rl_providers_page_kinds[k]);
      GtkWidget       *group = adw_preferences_group_new ();
      GtkWidget       *box = gtk_list_box_new ();
      GtkWidget       *warning = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget       *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      GtkWidget       *label = gtk_label_new (NULL);
      GtkWidget       *add = gtk_button_new_from_icon_name ("list-add-symbolic");
      g_autofree char *add_name = NULL;
      g_autofree char *list_name = NULL;

      self->lists[k] = rl_record_list_new (NULL, RL_LIST_KIND_PROVIDERS);
      rl_record_list_set_values (self->lists[k], "kind", kind_values);
      /* Around the list box's own handler (connected later, in
       * gtk_list_box_bind_model): the focused provider before, its new
       * row after. */
      g_signal_connect (self->lists[k], "items-changed", G_CALLBACK (list_changing_cb), self);
      g_signal_connect_after (self->lists[k], "items-changed", G_CALLBACK (list_changed_cb),
                              self);
      g_signal_connect (self->lists[k], "notify::loading", G_CALLBACK (list_state_cb), self);
      g_signal_connect (self->lists[k], "notify::failed", G_CALLBACK (list_state_cb), self);

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), kind);
      gtk_widget_add_css_class (add, "flat");
      /* With the title, not centred on title and description together. */
      gtk_widget_set_valign (add, GTK_ALIGN_START);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "providers.add");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (add), "s", rl_providers_page_kinds[k]);
      /* Translators: the accessible name and tooltip of a kind's add button,
       * e.g. "Add a Payment provider". */
      add_name = g_strdup_printf (_ ("Add a %s provider"), kind);
      gtk_widget_set_tooltip_text (add, add_name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      add_name, -1);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), add);

      gtk_widget_add_css_class (icon, "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("Warning"), -1);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "warning");
      gtk_box_append (GTK_BOX (warning), icon);
      gtk_box_append (GTK_BOX (warning), label);
      gtk_widget_set_margin_bottom (warning, 6);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), warning);

      gtk_widget_add_css_class (box, "boxed-list");
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (box), GTK_SELECTION_NONE);
      /* Translators: the accessible name of a kind's list, e.g. "Payment providers". */
      list_name = g_strdup_printf (_ ("%s providers"), kind);
      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      list_name, -1);
      gtk_list_box_bind_model (GTK_LIST_BOX (box), G_LIST_MODEL (self->lists[k]), create_row_cb,
                               self, NULL);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), box);

      self->groups[k] = ADW_PREFERENCES_GROUP (group);
      self->boxes[k] = GTK_LIST_BOX (box);
      self->warnings[k] = GTK_BOX (warning);
      self->warning_labels[k] = GTK_LABEL (label);
      gtk_box_append (self->groups_box, group);
      update_group (self, k);
    }
}

static void
rl_providers_page_dispose (GObject *object)
{
  RlProvidersPage *self = RL_PROVIDERS_PAGE (object);

  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_data (self->watched, self);
  g_clear_object (&self->watched);
  for (guint k = 0; k < RL_PROVIDER_N_KINDS; k++)
    if (self->lists[k] != NULL)
      {
        g_signal_handlers_disconnect_by_data (self->lists[k], self);
        if (self->boxes[k] != NULL)
          gtk_list_box_bind_model (self->boxes[k], NULL, NULL, NULL, NULL);
        rl_record_list_set_store (self->lists[k], NULL);
        g_clear_object (&self->lists[k]);
      }
  g_clear_pointer (&self->tests, g_hash_table_unref);
  g_clear_pointer (&self->focus_id, g_free);

  G_OBJECT_CLASS (rl_providers_page_parent_class)->dispose (object);
}

static void
rl_providers_page_class_init (RlProvidersPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RlPageClass    *page_class = RL_PAGE_CLASS (klass);

  object_class->dispose = rl_providers_page_dispose;
  page_class->session_changed = session_changed;

  rl_page_class_set_template (page_class, "/org/reloop/Console/ui/rl-providers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RlProvidersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RlProvidersPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, RlProvidersPage, groups_box);
  gtk_widget_class_bind_template_child (widget_class, RlProvidersPage, keyring_box);
  gtk_widget_class_bind_template_child (widget_class, RlProvidersPage, keyring_label);
  gtk_widget_class_bind_template_child (widget_class, RlProvidersPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, RlProvidersPage, offline_box);
  gtk_widget_class_bind_template_child (widget_class, RlProvidersPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RlProvidersPage, add_button);
  rl_providers_page_class_add_actions (widget_class);
}

static void
rl_providers_page_init (RlProvidersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rl_spinners_spin_while_mapped (GTK_WIDGET (self));
  rl_a11y_fix_mnemonic_names (GTK_WIDGET (self));

  self->tests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) rl_provider_test_result_free);
  build_groups (self);
  update_state (self);
}
