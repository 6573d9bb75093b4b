/* rl-sync-jobs-view.c — the Activity page's sync jobs (the view itself lands
 * on branch activity-jobs; this file is replaced there).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-sync-jobs-view.h"

struct _RlSyncJobsView
{
  GtkWidget  parent_instance;
  RlSession *session;
};

G_DEFINE_FINAL_TYPE (RlSyncJobsView, rl_sync_jobs_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rl_sync_jobs_view_dispose (GObject *object)
{
  RlSyncJobsView *self = RL_SYNC_JOBS_VIEW (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (rl_sync_jobs_view_parent_class)->dispose (object);
}

static void
rl_sync_jobs_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RlSyncJobsView *self = RL_SYNC_JOBS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_sync_jobs_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RlSyncJobsView *self = RL_SYNC_JOBS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      rl_sync_jobs_view_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_sync_jobs_view_class_init (RlSyncJobsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rl_sync_jobs_view_dispose;
  object_class->get_property = rl_sync_jobs_view_get_property;
  object_class->set_property = rl_sync_jobs_view_set_property;

  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL, RL_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_sync_jobs_view_init (RlSyncJobsView *self)
{
}

RlSession *
rl_sync_jobs_view_get_session (RlSyncJobsView *self)
{
  g_return_val_if_fail (RL_IS_SYNC_JOBS_VIEW (self), NULL);
  return self->session;
}

void
rl_sync_jobs_view_set_session (RlSyncJobsView *self,
                               RlSession      *session)
{
  g_return_if_fail (RL_IS_SYNC_JOBS_VIEW (self));
  if (g_set_object (&self->session, session))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}
