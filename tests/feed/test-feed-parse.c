/* test-feed-parse.c — the fast reading scanner against json-glib's path.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rl_feed_parse_payload takes a flat reading without json-glib
 * (rl-feed-parse-fast.c) and hands everything else to json-glib. Over valid
 * readings, test-feed's rejected payloads and thousands of mutated ones,
 * both paths must give the same outcome: accepted with the same fields, or
 * rejected for the same reason. The fast path must also take every valid
 * reading of the plain shape (else it would be dead code) and leave the
 * message alone when it declines.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "rl-feed-private.h"
#include "rl-time.h"

typedef struct
{
  guint compared;
  guint fast_taken;
  guint accepted;
} Tally;

static gboolean
same_double (double a,
             double b)
{
  if (isnan (a) || isnan (b))
    return isnan (a) && isnan (b);
  return memcmp (&a, &b, sizeof a) == 0;
}

static void
check_payload (Tally      *tally,
               MsgKind     kind,
               const char *device,
               const char *payload,
               gsize       length)
{
  Msg              slow = { 0 }, both = { 0 }, fast, untouched;
  RlFeedReject     slow_reason = RL_FEED_N_REJECTS, both_reason = RL_FEED_N_REJECTS;
  gboolean         slow_ok, both_ok;
  g_autofree char *shown = g_strescape (payload, NULL);

  slow_ok = rl_feed_parse_payload_json (kind, device, payload, length, &slow, &slow_reason);
  both_ok = rl_feed_parse_payload (kind, device, payload, length, &both, &both_reason);
  tally->compared++;
  if (slow_ok != both_ok)
    g_error ("%s: json-glib %s, fast path %s", shown, slow_ok ? "accepts" : "rejects",
             both_ok ? "accepts" : "rejects");
  if (!slow_ok && slow_reason != both_reason)
    g_error ("%s: json-glib says %s, fast path %s", shown, rl_feed_reject_to_string (slow_reason),
             rl_feed_reject_to_string (both_reason));
  if (slow_ok)
    {
      tally->accepted++;
      if (slow.kind != both.kind || slow.ts_ms != both.ts_ms || !same_double (slow.fill, both.fill)
          || !same_double (slow.weight, both.weight)
          || !same_double (slow.temperature, both.temperature)
          || !same_double (slow.humidity, both.humidity)
          || !same_double (slow.battery, both.battery) || slow.online != both.online)
        g_error ("%s: fields differ (fill %g/%g weight %g/%g temperature %g/%g humidity %g/%g "
                 "battery %g/%g ts %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT ")",
                 shown, slow.fill, both.fill, slow.weight, both.weight, slow.temperature,
                 both.temperature, slow.humidity, both.humidity, slow.battery, both.battery,
                 slow.ts_ms, both.ts_ms);
      g_free (slow.alert_type);
      g_free (slow.severity);
      g_free (slow.message);
      g_free (both.alert_type);
      g_free (both.severity);
      g_free (both.message);
    }
  if (kind != MSG_READING)
    return;

  /* The fast path alone: it takes only what json-glib takes, and a decline
   * leaves the message as it was. */
  memset (&fast, 0xa5, sizeof fast);
  untouched = fast;
  if (rl_feed_parse_reading_fast (device, payload, length, &fast))
    {
      tally->fast_taken++;
      g_assert_true (slow_ok);
      g_assert_true (fast.kind == MSG_READING && fast.ts_ms == slow.ts_ms);
      g_assert_true (same_double (fast.fill, slow.fill) && same_double (fast.weight, slow.weight)
                     && same_double (fast.temperature, slow.temperature)
                     && same_double (fast.humidity, slow.humidity)
                     && same_double (fast.battery, slow.battery));
    }
  else
    g_assert_true (memcmp (&fast, &untouched, sizeof fast) == 0);
}

static void
check (Tally      *tally,
       MsgKind     kind,
       const char *device,
       const char *payload)
{
  check_payload (tally, kind, device, payload, strlen (payload));
}

/* A number as a bin might write it, within or (now and then) outside
 * [min, max]. */
static char *
random_number (double min,
               double max)
{
  double value = g_test_rand_double_range (min - (max - min) * 0.05, max + (max - min) * 0.05);

  switch (g_test_rand_int_range (0, 5))
    {
    case 0:
      return g_strdup_printf ("%.0f", value);
    case 1:
      return g_strdup_printf ("%.1f", value);
    case 2:
      return g_strdup_printf ("%.6f", value);
    case 3:
      return g_strdup_printf ("%.3f", value);
    default:
      return g_strdup_printf ("%d", (int) value);
    }
}

static const char *
random_space (void)
{
  static const char *spaces[] = { "", "", "", " ", "\n", "\t", "  ", "\r\n" };

  return spaces[g_test_rand_int_range (0, G_N_ELEMENTS (spaces))];
}

/* A reading in the plain shape: the contract's members in a random order,
 * the optional ones sometimes left out, random spacing. */
static char *
random_reading (const char *device,
                gboolean   *out_in_range)
{
  const struct
  {
    const char *name;
    double      min, max;
  } numbers[] = {
    { "fillLevel", 0, 100 },
    { "weight", 0, 500 },
    { "temperature", -40, 85 },
    { "humidity", 0, 100 },
    { "batteryLevel", 0, 100 },
  };
  GPtrArray       *members = g_ptr_array_new_with_free_func (g_free);
  GString         *json = g_string_new (NULL);
  gint64           ts = rl_time_now_ms () - g_test_rand_int_range (0, 1000 * 1000 * 1000);
  g_autofree char *when = rl_time_format_ms (ts);

  *out_in_range = TRUE;
  g_ptr_array_add (members, g_strdup_printf ("\"binId\":%s\"%s\"", random_space (), device));
  g_ptr_array_add (members, g_strdup_printf ("\"timestamp\":%s\"%s\"", random_space (), when));
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *value = NULL;

      if (i > 0 && g_test_rand_bit ())
        continue;
      value = random_number (numbers[i].min, numbers[i].max);
      if (g_ascii_strtod (value, NULL) < numbers[i].min
          || (i != 1 && g_ascii_strtod (value, NULL) > numbers[i].max))
        *out_in_range = FALSE;
      g_ptr_array_add (members,
                       g_strdup_printf ("\"%s\"%s:%s%s", numbers[i].name, random_space (),
                                        random_space (), value));
    }
  if (g_test_rand_bit ())
    g_ptr_array_add (members,
                     g_strdup_printf ("\"gpsCoordinates\":{\"latitude\":%.4f,%s\"longitude\":%.4f}",
                                      g_test_rand_double_range (-90, 90), random_space (),
                                      g_test_rand_double_range (-180, 180)));
  /* Shuffle. */
  for (guint i = members->len; i > 1; i--)
    {
      guint    j = (guint) g_test_rand_int_range (0, (gint32) i);
      gpointer t = members->pdata[i - 1];

      members->pdata[i - 1] = members->pdata[j];
      members->pdata[j] = t;
    }
  g_string_append_printf (json, "%s{%s", random_space (), random_space ());
  for (guint i = 0; i < members->len; i++)
    g_string_append_printf (json, "%s%s%s", i > 0 ? "," : "", (char *) members->pdata[i],
                            random_space ());
  g_string_append_printf (json, "}%s", random_space ());
  g_ptr_array_unref (members);
  return g_string_free (json, FALSE);
}

/* One random change: a byte in, out or replaced, a token swapped for
 * another kind of value, an escape, an exponent, a duplicate. */
static char *
mutate (const char *payload)
{
  static const char *tokens[] = {
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "-",
    "+",
    ".",
    "e",
    "E",
    "0",
    "1",
    "9",
    " ",
    "null",
    "true",
    "false",
    "1e2",
    "-0",
    "0.0",
    "-0.0",
    "00",
    "01",
    "1.",
    ".5",
    "\\u0062",
    "\\n",
    "\\\"",
    "\xc3\xa9",
    "\x80",
    "\x01",
    "x",
    "1234567890123456",
    "99999999999999999999",
    "12345678901234.5",
    "{}",
    "[]",
    "{\"a\":1}",
    "\"binId\":\"bin-1\",",
    "\"fillLevel\":5,",
    "\"fillLevel\":500,",
    "\"extra\":1,",
    "\"timestamp\":\"2020-01-01T00:00:00Z\",",
    "\"weight\":null,",
    "/*c*/",
    "\t",
  };
  gsize       length = strlen (payload);
  gsize       at = length > 0 ? (gsize) g_test_rand_int_range (0, (gint32) length + 1) : 0;
  GString    *out = g_string_new_len (payload, (gssize) at);
  const char *token = tokens[g_test_rand_int_range (0, G_N_ELEMENTS (tokens))];

  switch (g_test_rand_int_range (0, 4))
    {
    case 0: /* insert */
      g_string_append (out, token);
      g_string_append (out, payload + at);
      break;
    case 1: /* delete one byte */
      if (at < length)
        g_string_append (out, payload + at + 1);
      break;
    case 2: /* replace a byte */
      g_string_append (out, token);
      if (at < length)
        g_string_append (out, payload + at + 1);
      break;
    default: /* truncate */
      break;
    }
  return g_string_free (out, FALSE);
}

static void
test_equivalence (void)
{
  Tally            tally = { 0 };
  gint64           now = rl_time_now_ms ();
  g_autofree char *when = rl_time_format_ms (now - 60 * 1000);
  g_autofree char *future = rl_time_format_ms (now + 10 * 60 * 1000);
  guint            valid_plain = 0;
  /* test-feed's rejected payloads (/feed/rejects), and a few more shapes. */
  char *fixed[] = {
    g_strdup ("not json at all"),
    g_strdup ("[1,2,3]"),
    g_strdup ("{\"binId\":\"bin-1\",\"fillLevel\":5"),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"timestamp\":\"%s\"}", when),
    g_strdup ("{\"binId\":\"bin-1\",\"fillLevel\":5}"),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":\"high\",\"timestamp\":\"%s\"}", when),
    g_strdup ("{\"binId\":\"bin-1\",\"fillLevel\":5,\"timestamp\":\"yesterday\"}"),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":120,\"timestamp\":\"%s\"}", when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"temperature\":99,\"timestamp\":\"%s\"}",
                     when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"weight\":-3,\"timestamp\":\"%s\"}",
                     when),
    g_strdup_printf ("{\"binId\":\"bin-2\",\"fillLevel\":50,\"timestamp\":\"%s\"}", future),
    g_strdup_printf ("{\"binId\":\"bin-2\",\"fillLevel\":50,\"timestamp\":\"%s\"}", when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"timestamp\":\"%s\"}", future),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"timestamp\":\"%s\"}", when),
    g_strdup_printf ("{\"binId\":\"bin\\u002d1\",\"fillLevel\":50,\"timestamp\":\"%s\"}", when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":5e1,\"timestamp\":\"%s\"}", when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":null,\"timestamp\":\"%s\"}", when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"weight\":null,\"timestamp\":\"%s\"}",
                     when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"fillLevel\":60,\"timestamp\":\"%s\"}",
                     when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"other\":[1,{}],\"timestamp\":\"%s\"}",
                     when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":-0,\"timestamp\":\"%s\"}", when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":-0.0,\"timestamp\":\"%s\"}", when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":100.0000001,\"timestamp\":\"%s\"}", when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"timestamp\":\"%s\"} x", when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"timestamp\":\"%s\"},", when),
    g_strdup_printf ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"timestamp\":\"%s\",}", when),
    g_strdup ("{\"binId\":\"bin-1\",\"fillLevel\":50,\"timestamp\":\"2026-12-07T10:00:00+05:45\"}"),
    g_strdup ("{}"),
    g_strdup (""),
    NULL,
  };
  const char *other[][2] = {
    { "status", "{\"online\":\"yes\",\"timestamp\":\"2026-12-07T10:00:00Z\"}" },
    { "status", "{\"timestamp\":\"2026-12-07T10:00:00Z\"}" },
    { "status", "{\"online\":true,\"timestamp\":\"2026-12-07T10:00:00Z\"}" },
    { "alerts", "{\"severity\":\"HIGH\",\"timestamp\":\"2026-12-07T10:00:00Z\"}" },
    { "alerts", "{\"type\":\"FULL_BIN\",\"severity\":\"HIGH\",\"timestamp\":\"2026-12-07T10:00:00Z\"}" },
  };
  g_autofree char *big = g_malloc0 (RL_FEED_MAX_PAYLOAD + 101);

  for (guint i = 0; fixed[i] != NULL; i++)
    {
      check (&tally, MSG_READING, "bin-1", fixed[i]);
      g_free (fixed[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (other); i++)
    check (&tally, other[i][0][0] == 's' ? MSG_STATUS : MSG_ALERT, "bin-1", other[i][1]);
  memset (big, ' ', RL_FEED_MAX_PAYLOAD + 100);
  memcpy (big, "{\"binId\":\"bin-1\",\"fillLevel\":5,\"timestamp\":\"", 45);
  check (&tally, MSG_READING, "bin-1", big);
  /* An embedded NUL. */
  check_payload (&tally, MSG_READING, "bin-1", "{\"binId\":\"bin-1\"\0}", 18);

  /* Valid readings of the plain shape, and mutations of each. */
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *device = g_strdup_printf ("bin-%u", (guint) g_test_rand_int_range (0, 10000));
      gboolean         in_range;
      g_autofree char *reading = random_reading (device, &in_range);
      guint            taken = tally.fast_taken;

      check (&tally, MSG_READING, device, reading);
      if (in_range)
        {
          valid_plain++;
          if (tally.fast_taken != taken + 1)
            g_error ("the fast path declined a plain valid reading: %s", reading);
        }
      /* The same for another device: BIN_MISMATCH. */
      check (&tally, MSG_READING, "bin-x", reading);
      for (guint m = 0; m < 6; m++)
        {
          g_autofree char *once = mutate (reading);
          g_autofree char *twice = mutate (once);

          check (&tally, MSG_READING, device, once);
          check (&tally, MSG_READING, device, twice);
        }
    }
  g_test_message ("%u payloads compared: %u accepted, %u of them by the fast path; %u plain valid",
                  tally.compared, tally.accepted, tally.fast_taken, valid_plain);
  g_assert_cmpuint (tally.compared, >, 30000);
  g_assert_cmpuint (valid_plain, >, 1000);
  /* Mutations that stay valid JSON go either way; some are taken by json-glib alone. */
  g_assert_cmpuint (tally.accepted, >, tally.fast_taken);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/feed/parse/fast-equals-json-glib", test_equivalence);
  return g_test_run ();
}
