#!/usr/bin/env python3
# check-metainfo-screenshot.py — every screenshot the metainfo names is kept in
# data/screenshots/, is a real PNG of a window, and is one the GUI tests save.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import struct
import sys
import xml.etree.ElementTree as ET

root = sys.argv[1]
metainfo = os.path.join(root, "data", "org.reloop.Console.metainfo.xml.in")
gui_tests = os.path.join(root, "tests", "gui")
sources = ""
for name in os.listdir(gui_tests):
    if name.endswith((".c", ".py", ".build")):
        with open(os.path.join(gui_tests, name), encoding="utf-8") as f:
            sources += f.read()

images = [el.text.strip() for el in ET.parse(metainfo).getroot().iter("image")]
if not images:
    sys.exit("the metainfo names no screenshot")
for url in images:
    base = url.rsplit("/", 1)[-1]
    path = os.path.join(root, "data", "screenshots", base)
    if not os.path.exists(path):
        sys.exit(f"{base}: not in data/screenshots/")
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{base}: not a PNG")
    width, height = struct.unpack(">II", head[16:24])
    if width < 800 or height < 500:
        sys.exit(f"{base}: {width}x{height} is too small for a window screenshot")
    # test-screenshots.c saves main-<SHOT_LANG>.png for each language that
    # tests/gui/meson.build builds it for.
    lang = base[len("main-"):-len(".png")] if base.startswith("main-") else None
    if lang is None or '"main-" SHOT_LANG' not in sources or f"'{lang}'" not in sources:
        sys.exit(f"{base}: no GUI test saves a screenshot of that name")
    print(f"{base}: {width}x{height}, saved by a GUI test")
