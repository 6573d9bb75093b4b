#!/usr/bin/env python3
# check-translations.py - checks the translation catalogues of ReLoop Console.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage:
#   check-translations.py potfiles SRCROOT
#       every file under src/ and ui/ with a translatable string (_(), N_(),
#       C_(), NC_(), translatable="yes") is listed in po/POTFILES.in, and
#       every listed file exists.
#   check-translations.py stats PO
#       msgfmt --check accepts PO and reports no fuzzy or untranslated message.
#   check-translations.py coverage SRCROOT PO
#       extracts a fresh template from POTFILES.in with xgettext and checks
#       (msgcmp) that PO translates every message in it, so a string added to
#       the sources without a translation fails here.

import os
import re
import subprocess
import sys
import tempfile

MARKER_C = re.compile(r'(?<![A-Za-z0-9_])(?:N_|C_|NC_|_|g_dgettext|g_dngettext|g_dpgettext2)\s*\(')
MARKER_UI = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')
SCANNED_DIRS = ('src', 'ui')
ALWAYS_LISTED = (
    'data/org.reloop.Console.desktop.in',
    'data/org.reloop.Console.metainfo.xml.in',
    'data/org.reloop.Console.gschema.xml',
)
# The same as meson's i18n.gettext 'glib' preset (po/meson.build).
XGETTEXT_ARGS = [
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]


def read_potfiles(srcroot):
    listed = []
    with open(os.path.join(srcroot, 'po', 'POTFILES.in'), encoding='utf-8') as stream:
        for line in stream:
            line = line.strip()
            if line and not line.startswith('#'):
                listed.append(line)
    return listed


def has_translatable(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as stream:
            text = stream.read()
    except OSError:
        return False
    if path.endswith('.ui'):
        return MARKER_UI.search(text) is not None
    return MARKER_C.search(text) is not None


CDATA = re.compile(r'<!\[CDATA\[(.*?)\]\]>', re.S)
CDATA_TRANSLATABLE = re.compile(r'translatable="(?:yes|true|1)"[^>]*>([^<]*)<')


def untranslatable_cdata(path):
    """Strings marked translatable inside a .ui file's CDATA (a
    GtkBuilderListItemFactory's bytes): xgettext never extracts them, so
    they would stay English in every language. They must come from C."""
    with open(path, encoding='utf-8', errors='replace') as stream:
        text = stream.read()
    return [found for block in CDATA.findall(text)
            for found in CDATA_TRANSLATABLE.findall(block)]


def check_potfiles(srcroot):
    listed = read_potfiles(srcroot)
    errors = []
    seen = set()
    for entry in listed:
        if entry in seen:
            errors.append(f'{entry} is listed twice')
        seen.add(entry)
        if not os.path.isfile(os.path.join(srcroot, entry)):
            errors.append(f'{entry} is listed but does not exist')
    for entry in ALWAYS_LISTED:
        if entry not in seen:
            errors.append(f'{entry} is not listed')

    scanned = 0
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(srcroot, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(('.c', '.h', '.ui')):
                    continue
                path = os.path.join(dirpath, name)
                relative = os.path.relpath(path, srcroot).replace(os.sep, '/')
                scanned += 1
                if name.endswith('.ui'):
                    for found in untranslatable_cdata(path):
                        errors.append(f'{relative}: "{found}" is marked translatable inside '
                                      'CDATA (a list item factory): xgettext cannot extract '
                                      'it; bind the text to a C closure that returns _(…)')
                if has_translatable(path) and relative not in seen:
                    errors.append(f'{relative} has translatable strings but is not '
                                  'in po/POTFILES.in')
    for error in errors:
        print(error, file=sys.stderr)
    print(f'POTFILES.in: {len(listed)} files listed, {scanned} source files scanned')
    return 1 if errors else 0


STATS = re.compile(r'(\d+) (translated|fuzzy|untranslated)')


def check_stats(po):
    result = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po],
                            capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    print(output)
    if result.returncode != 0:
        print(f'{po}: msgfmt --check failed', file=sys.stderr)
        return 1
    counts = {'translated': 0, 'fuzzy': 0, 'untranslated': 0}
    for number, kind in STATS.findall(output):
        counts[kind] = int(number)
    if counts['translated'] == 0:
        print(f'{po}: no translated message', file=sys.stderr)
        return 1
    if counts['fuzzy'] or counts['untranslated']:
        print(f'{po}: {counts["fuzzy"]} fuzzy and {counts["untranslated"]} '
              'untranslated messages', file=sys.stderr)
        return 1
    return 0


def check_coverage(srcroot, po):
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'reloop-console.pot')
        result = subprocess.run(['xgettext', '--package-name=reloop-console',
                                 '--files-from=' + os.path.join(srcroot, 'po', 'POTFILES.in'),
                                 '--directory=' + srcroot, '--output=' + pot]
                                + XGETTEXT_ARGS,
                                capture_output=True, text=True)
        if result.returncode != 0 or not os.path.exists(pot):
            print('xgettext failed: ' + result.stderr.strip(), file=sys.stderr)
            return 1
        result = subprocess.run(['msgcmp', po, pot], capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stderr.strip(), file=sys.stderr)
            print(f'{po} does not translate every message of the sources: run '
                  '`ninja reloop-console-pot reloop-console-update-po` and translate',
                  file=sys.stderr)
            return 1
        count = subprocess.run(['msgattrib', '--no-obsolete', pot],
                               capture_output=True, text=True).stdout.count('\nmsgid ') - 1
        print(f'{po} translates all {count} messages of the sources')
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == 'potfiles':
        return check_potfiles(argv[2])
    if len(argv) == 3 and argv[1] == 'stats':
        return check_stats(argv[2])
    if len(argv) == 4 and argv[1] == 'coverage':
        return check_coverage(argv[2], argv[3])
    print(__doc__ or f'usage: {argv[0]} potfiles|stats|coverage …', file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
