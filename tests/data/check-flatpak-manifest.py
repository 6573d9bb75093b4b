#!/usr/bin/env python3
# check-flatpak-manifest.py - checks the Flatpak manifest of ReLoop Console.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-flatpak-manifest.py MANIFEST
#
# Parses the JSON, checks the keys the build and the sandbox rely on, and, when
# flatpak-builder is installed, lets it parse the manifest too
# (--show-manifest works offline; no runtime is needed).

import json
import os
import shutil
import subprocess
import sys

APP_ID = 'org.reloop.Console'
REQUIRED_FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=fallback-x11',
    '--socket=wayland',
    '--device=dri',
    '--talk-name=org.freedesktop.secrets',
]
# Forbidden: the console needs no access to the user's files or the whole bus.
FORBIDDEN_FINISH_ARGS = [
    '--filesystem=home',
    '--filesystem=host',
    '--socket=session-bus',
    '--socket=system-bus',
]
REQUIRED_MODULES = ['libmosquitto', 'libshumate']


def fail(errors, message):
    errors.append(message)


def check_source(errors, module_name, source):
    kind = source.get('type')
    if kind == 'git':
        if not source.get('url', '').startswith('https://'):
            fail(errors, f'{module_name}: git source needs an https url')
        commit = source.get('commit', '')
        if len(commit) != 40 or any(c not in '0123456789abcdef' for c in commit):
            fail(errors, f'{module_name}: git source must pin a full commit')
        if 'tag' not in source and 'branch' in source:
            fail(errors, f'{module_name}: git source must use a tag, not a branch')
    elif kind in ('archive', 'file'):
        if not source.get('url', '').startswith('https://'):
            fail(errors, f'{module_name}: {kind} source needs an https url')
        sha = source.get('sha256', '')
        if len(sha) != 64:
            fail(errors, f'{module_name}: {kind} source needs a sha256')
    elif kind == 'dir':
        if 'path' not in source:
            fail(errors, f'{module_name}: dir source needs a path')
    else:
        fail(errors, f'{module_name}: unexpected source type {kind!r}')


def check_manifest(manifest):
    errors = []

    if manifest.get('app-id', manifest.get('id')) != APP_ID:
        fail(errors, f'app-id must be {APP_ID}')
    for key in ('runtime', 'runtime-version', 'sdk', 'command'):
        if not isinstance(manifest.get(key), str) or not manifest[key]:
            fail(errors, f'missing or empty key {key!r}')
    if manifest.get('runtime') != 'org.gnome.Platform':
        fail(errors, 'runtime must be org.gnome.Platform')
    if manifest.get('sdk') != 'org.gnome.Sdk':
        fail(errors, 'sdk must be org.gnome.Sdk')
    if manifest.get('command') != 'reloop-console':
        fail(errors, 'command must be reloop-console')

    finish_args = manifest.get('finish-args')
    if not isinstance(finish_args, list):
        fail(errors, 'finish-args must be a list')
        finish_args = []
    for arg in REQUIRED_FINISH_ARGS:
        if arg not in finish_args:
            fail(errors, f'finish-args lacks {arg}')
    for arg in FORBIDDEN_FINISH_ARGS:
        if arg in finish_args:
            fail(errors, f'finish-args must not contain {arg}')

    modules = manifest.get('modules')
    if not isinstance(modules, list) or not modules:
        fail(errors, 'modules must be a non-empty list')
        return errors

    names = []
    for module in modules:
        if not isinstance(module, dict):
            fail(errors, 'every module must be an object (no external files)')
            continue
        name = module.get('name', '')
        names.append(name)
        if not name:
            fail(errors, 'a module has no name')
        if 'buildsystem' not in module:
            fail(errors, f'{name}: no buildsystem')
        sources = module.get('sources')
        if not isinstance(sources, list) or not sources:
            fail(errors, f'{name}: no sources')
            continue
        for source in sources:
            check_source(errors, name, source)

    for name in REQUIRED_MODULES:
        if name not in names:
            fail(errors, f'module {name} is missing')

    last = modules[-1] if isinstance(modules[-1], dict) else {}
    if last.get('name') != 'reloop-console':
        fail(errors, 'the last module must be reloop-console')
    if last.get('buildsystem') != 'meson':
        fail(errors, 'reloop-console must build with meson')
    if not any(s.get('type') == 'dir' and s.get('path') == '..'
               for s in last.get('sources', []) if isinstance(s, dict)):
        fail(errors, 'reloop-console must build from the source tree (dir "..")')
    if '-Dtests=false' not in last.get('config-opts', []):
        fail(errors, 'reloop-console must be configured with -Dtests=false')

    mosquitto = next((m for m in modules
                      if isinstance(m, dict) and m.get('name') == 'libmosquitto'), {})
    opts = mosquitto.get('config-opts', [])
    for opt in ('-DWITH_BROKER=OFF', '-DWITH_APPS=OFF', '-DDOCUMENTATION=OFF',
                '-DWITH_CJSON=OFF'):
        if opt not in opts:
            fail(errors, f'libmosquitto must be configured with {opt}')

    return errors


def run_flatpak_builder(path):
    builder = shutil.which('flatpak-builder')
    if builder is None:
        print('flatpak-builder not installed: parse check only')
        return []
    result = subprocess.run([builder, '--show-manifest', os.path.basename(path)],
                            cwd=os.path.dirname(os.path.abspath(path)),
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        return [f'flatpak-builder --show-manifest failed ({result.returncode}): '
                + result.stderr.strip()]
    try:
        shown = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        return [f'flatpak-builder printed no JSON: {error}']
    if shown.get('id', shown.get('app-id')) != APP_ID:
        return ['flatpak-builder read a different app id']
    print('flatpak-builder --show-manifest: OK')
    return []


def main():
    if len(sys.argv) != 2:
        print(f'usage: {sys.argv[0]} MANIFEST', file=sys.stderr)
        return 2
    path = sys.argv[1]
    try:
        with open(path, encoding='utf-8') as stream:
            manifest = json.load(stream)
    except (OSError, json.JSONDecodeError) as error:
        print(f'{path}: {error}', file=sys.stderr)
        return 1
    if not isinstance(manifest, dict):
        print(f'{path}: not a JSON object', file=sys.stderr)
        return 1

    errors = check_manifest(manifest)
    if not errors:
        errors = run_flatpak_builder(path)
    for error in errors:
        print(f'{path}: {error}', file=sys.stderr)
    if errors:
        return 1
    print(f'{path}: OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
