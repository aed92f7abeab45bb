#!/usr/bin/env python3
"""The peers deskpilot's benchmark compares against, measured in-process and driven over JSON lines.

`deskpilot bench` starts this once per display and sends one request per line on stdin; each answer is one
JSON line on stdout. Keeping the process alive lets the benchmark alternate deskpilot and peer runs
(A B A B) without paying Python's start-up in the peer's numbers. Time is measured with perf_counter
around exactly the operation named.
"""
import json
import os
import sys
import time


def ms(t0):
    return (time.perf_counter() - t0) * 1000.0


class Peers:
    def __init__(self):
        self._mss = None

    def mss(self):
        if self._mss is None:
            import mss
            self._mss = (getattr(mss, "MSS", None) or mss.mss)()
        return self._mss

    def op_mss_grab(self, n, **_):
        sct = self.mss()
        mon = sct.monitors[0]
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            shot = sct.grab(mon)
            _ = shot.raw  # force the pixels to be read
            times.append(ms(t0))
        return {"times_ms": times}

    def op_mss_grab_png(self, n, out, **_):
        import mss.tools
        sct = self.mss()
        mon = sct.monitors[0]
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            shot = sct.grab(mon)
            mss.tools.to_png(shot.rgb, shot.size, output=out)
            times.append(ms(t0))
        return {"times_ms": times, "bytes": os.path.getsize(out)}

    def op_pil_save(self, n, out, level=None, **_):
        from PIL import Image
        sct = self.mss()
        mon = sct.monitors[0]
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            shot = sct.grab(mon)
            img = Image.frombytes("RGB", shot.size, shot.bgra, "raw", "BGRX")
            if level is None:
                img.save(out, "PNG")
            else:
                img.save(out, "PNG", compress_level=level)
            times.append(ms(t0))
        return {"times_ms": times, "bytes": os.path.getsize(out)}

    def op_pyautogui_write(self, n, text, **_):
        import pyautogui
        pyautogui.FAILSAFE = False
        pyautogui.PAUSE = 0
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            pyautogui.write(text)
            times.append(ms(t0))
        return {"times_ms": times}

    def op_pynput_type(self, n, text, **_):
        from pynput.keyboard import Controller
        kb = Controller()
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            kb.type(text)
            times.append(ms(t0))
        return {"times_ms": times}

    def op_pyautogui_click(self, n, x, y, **_):
        import pyautogui
        pyautogui.FAILSAFE = False
        pyautogui.PAUSE = 0
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            pyautogui.click(x, y)
            times.append(ms(t0))
        return {"times_ms": times}

    def op_rss_holding_frame(self, **_):
        """Peak RSS (KiB) of a process that imported mss and holds one full-screen frame."""
        import resource
        sct = self.mss()
        shot = sct.grab(sct.monitors[0])
        _ = shot.raw
        self._held = shot
        return {"rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}

    def op_pyautogui_rss(self, **_):
        import resource
        import pyautogui  # noqa: F401
        return {"rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}

    def op_versions(self, **_):
        out = {"python": sys.version.split()[0]}
        for name in ("mss", "pyautogui", "pynput", "PIL", "cv2", "pytesseract"):
            try:
                mod = __import__(name)
                out[name] = getattr(mod, "__version__", "?")
            except Exception as e:  # a missing peer is reported, not fatal
                out[name] = "missing: %s" % e.__class__.__name__
        return out

    def op_opencv_match(self, n, screen, template, **_):
        import cv2
        s = cv2.imread(screen, cv2.IMREAD_GRAYSCALE)
        t = cv2.imread(template, cv2.IMREAD_GRAYSCALE)
        times = []
        best = None
        for _ in range(n):
            t0 = time.perf_counter()
            res = cv2.matchTemplate(s, t, cv2.TM_CCOEFF_NORMED)
            _, maxv, _, maxloc = cv2.minMaxLoc(res)
            times.append(ms(t0))
            best = (float(maxv), int(maxloc[0]), int(maxloc[1]))
        return {"times_ms": times, "score": best[0], "x": best[1], "y": best[2]}

    def op_pytesseract(self, n, image, **_):
        import pytesseract
        from PIL import Image
        img = Image.open(image)
        times = []
        text = ""
        for _ in range(n):
            t0 = time.perf_counter()
            text = pytesseract.image_to_string(img)
            times.append(ms(t0))
        return {"times_ms": times, "text": text}


def main():
    peers = Peers()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            op = getattr(peers, "op_" + req.pop("op"))
            res = op(**req)
        except Exception as e:
            res = {"error": "%s: %s" % (e.__class__.__name__, e)}
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
