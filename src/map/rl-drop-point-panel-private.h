/* rl-drop-point-panel-private.h — what the panel's files share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rl-drop-point-panel.c: GObject and API; rl-drop-point-panel-load.c: the
 * cache (core _async calls) and the server; rl-drop-point-panel-view.c:
 * filling the widgets; rl-drop-point-panel-edit.c: saving, the outbox and
 * the conflict dialog.
 */
#pragma once

#include "rl-drop-point-panel.h"
#include "rl-fill-chart.h"
#include "rl-store-async.h"

G_BEGIN_DECLS

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)

/* What the next read of the record from the cache tells about a save. */
typedef enum
{
  RL_DPP_AFTER_RELOAD_NONE,
  RL_DPP_AFTER_RELOAD_SAVED,       /* "Saved (version N)." */
  RL_DPP_AFTER_RELOAD_KEPT_THEIRS, /* "Kept the other change (version N)." */
} RlDppAfterReload;
#define HISTORY_MS (7 * 24 * HOUR_MS)

struct _RlDropPointPanel
{
  GtkWidget parent_instance;

  RlSession        *session;
  char             *drop_point_id;
  JsonObject       *record;
  GCancellable     *cancellable;
  double            threshold;
  RlForecast        forecast;
  guint             n_readings;
  guint             busy;
  guint             age_timeout;
  gboolean          fetched_readings;
  guint             record_generation;   /* loads of the record from the cache */
  guint             readings_generation; /* loads of its readings */
  guint             alerts_generation;   /* loads of its alerts */
  char             *readings_device;     /* the bin the chart shows */
  gboolean          live_in_flight;
  gboolean          live_pending;
  char             *save_message;
  gint64            save_row;  /* the outbox row of the last save (0: none) */
  gboolean          save_busy; /* busy until the drain's first answer to it */
  RlDppAfterReload  after_reload;
  char             *conflict_id; /* the local conflict the dialog settles */
  AdwMessageDialog *conflict_dialog;
  JsonObject       *conflict_current;

  /* template */
  GtkStack            *stack;
  AdwStatusPage       *empty_page;
  GtkLabel            *title_label;
  GtkLabel            *address_label;
  GtkBox              *pills_box;
  GtkLabel            *status_value;
  GtkLabel            *fill_value;
  GtkLabel            *weight_value;
  GtkLabel            *temperature_value;
  GtkLabel            *humidity_value;
  GtkLabel            *battery_value;
  GtkLabel            *age_value;
  RlFillChart         *chart;
  GtkLabel            *forecast_label;
  GtkLabel            *forecast_detail;
  AdwPreferencesGroup *alerts_group;
  GtkListBox          *alerts_list;
  AdwComboRow         *status_combo;
  GtkTextView         *notes_view;
  GtkLabel            *save_status;
  GtkButton           *save_button;
  GtkButton           *export_button; /* win.export-readings of the device */
};

extern const char *const rl_dpp_status_ids[3];

/* rl-drop-point-panel.c */
void     rl_dpp_busy_push (RlDropPointPanel *self);
void     rl_dpp_busy_pop (RlDropPointPanel *self);
RlStore *rl_dpp_get_store (RlDropPointPanel *self);
gboolean rl_dpp_is_online (RlDropPointPanel *self);

/* rl-drop-point-panel-load.c */
/* Shows @record (NULL: nothing) and reloads its readings and alerts. */
void rl_dpp_set_record (RlDropPointPanel *self,
                        JsonObject       *record);
/* Writes @record into the cache (in a worker; busy meanwhile). */
void rl_dpp_store_record (RlDropPointPanel *self,
                          JsonObject       *record);
/* Reads the shown bin's last week of readings, then its forecast. */
void rl_dpp_load_readings (RlDropPointPanel *self);
/* Reads the shown point's alerts from the cache, then shows them. */
void rl_dpp_load_alerts (RlDropPointPanel *self);

/* rl-drop-point-panel-view.c */
double      rl_dpp_member_double (JsonObject *o,
                                  const char *key);
const char *rl_dpp_member_string (JsonObject *o,
                                  const char *key);
const char *rl_dpp_status_label (const char *status);
char       *rl_dpp_format_age (gint64 then_ms,
                               gint64 now_ms);
void        rl_dpp_update_age (RlDropPointPanel *self);
gboolean    rl_dpp_age_tick_cb (gpointer user_data);
void        rl_dpp_fill_forecast (RlDropPointPanel *self);
void        rl_dpp_fill_record (RlDropPointPanel *self);
/* The live values only (fill, weight, temperature, humidity, battery,
 * age of the last reading). */
void rl_dpp_fill_live (RlDropPointPanel *self);
/* The alerts list: @alerts (contract records), or emptied (NULL). */
void rl_dpp_show_alerts (RlDropPointPanel *self,
                         JsonArray        *alerts);
/* No record to show: the status page says why (@title NULL: nothing selected). */
void rl_dpp_show_empty (RlDropPointPanel *self,
                        const char       *title,
                        const char       *description);

/* rl-drop-point-panel-edit.c */
void rl_dpp_set_save_message (RlDropPointPanel *self,
                              const char       *message);
/* Follows the session's outbox answers (the session changed from
 * @old_session, which may be NULL). */
void rl_dpp_watch_session (RlDropPointPanel *self,
                           RlSession        *old_session);
/* Stops waiting for the last save's row (another point, dispose). */
void rl_dpp_forget_save (RlDropPointPanel *self);
/* The record was read again from the cache (after a save's answer). */
void rl_dpp_record_reloaded (RlDropPointPanel *self);

G_END_DECLS
