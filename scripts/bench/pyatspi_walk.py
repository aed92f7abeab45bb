#!/usr/bin/python3
"""The accessibility-tree walk deskpilot's `tree` does, in python3-pyatspi (Debian's /usr/bin/python3):
every application, every showing node with its role, name, description, states, screen extents, action
names, text (text roles and editable nodes) and value. Prints one JSON object: the node count and the
milliseconds of each walk (the first is cold; the others walk the unchanged applications again).

Usage: pyatspi_walk.py [N]    (N walks in one process, default 1)
"""
import json
import sys
import time

import pyatspi

TEXT_ROLES = {"text", "entry", "password text", "terminal", "paragraph", "document text", "editbar", "spin button",
              "document frame", "document web"}


def visit(obj, depth, out):
    states = obj.getState()
    if not (states.contains(pyatspi.STATE_SHOWING) and states.contains(pyatspi.STATE_VISIBLE)):
        return
    try:
        extents = obj.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        box = (extents.x, extents.y, extents.width, extents.height)
    except NotImplementedError:
        box = (0, 0, 0, 0)
    if box[0] <= -2**31 + 1 or box[1] <= -2**31 + 1:
        return
    role = obj.getRoleName()
    node = {"role": role, "name": obj.name, "description": obj.description,
            "states": sorted(pyatspi.stateToString(s) for s in states.getStates()), "box": box}
    try:
        action = obj.queryAction()
        node["actions"] = [action.getName(i) for i in range(min(action.nActions, 16))]
    except NotImplementedError:
        pass
    if role in TEXT_ROLES or states.contains(pyatspi.STATE_EDITABLE):
        try:
            text = obj.queryText()
            node["text"] = text.getText(0, min(text.characterCount, 4000))
        except NotImplementedError:
            pass
    try:
        node["value"] = obj.queryValue().currentValue
    except NotImplementedError:
        pass
    out.append(node)
    for i in range(obj.childCount):
        child = obj.getChildAtIndex(i)
        if child is not None:
            visit(child, depth + 1, out)


def walk():
    nodes = []
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is None:
            continue
        for j in range(app.childCount):
            window = app.getChildAtIndex(j)
            if window is not None:
                visit(window, 1, nodes)
    return nodes


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    times, count = [], 0
    for _ in range(n):
        t0 = time.perf_counter()
        count = len(walk())
        times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"nodes": count, "times_ms": times}))


if __name__ == "__main__":
    main()
