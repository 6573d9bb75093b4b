/* Fixture for tests/check-sql.py: every way of putting a value into SQL text
 * that it must find (the test expects it to fail here). Not compiled. */
static void
bad (sqlite3 *db, const char *name, gint64 since, char *built)
{
  char *a = g_strdup_printf ("SELECT * FROM drop_points WHERE name = '%s'", name);
  char *b = g_strdup_printf ("SELECT * FROM changes WHERE seq > %" G_GINT64_FORMAT, since);
  char *c = g_strdup_printf ("DELETE FROM alerts WHERE id = %s", name);
  char *d = g_strdup_printf ("SELECT * FROM runs LIMIT %u", 10);

  sqlite3_exec (db, built, NULL, NULL, NULL);
}
