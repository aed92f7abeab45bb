import DeskCore
import Foundation

/// Exports a run as OSWorld writes trajectories: `traj.jsonl`, `step_N_<timestamp>.png` and `result.txt`.
///
/// One `traj.jsonl` line per action, as OSWorld's `lib_run_single.py` does:
/// `{"step_num", "action_timestamp" (YYYYmmdd@HHMMSSffffff), "action" (pyautogui code, or `WAIT`/`DONE`/`FAIL`),
/// "response" (the raw model answer), "reward": 0, "done", "info": {}, "screenshot_file"}`; actions of one
/// step share its `step_num`, and steps are numbered 1, 2, 3… over the steps that have a line (a step whose
/// actions all were refused leaves no gap). OSWorld's screenshot is the one taken after the action, so each
/// line gets the frame of the next step, and the last step the screen after the run's last action
/// (`run_end`'s `final_frame`; its own frame in a trace older than that). Actions that did not run (denied,
/// failed) are left out, except terminal ones and dry-run ones. `result.txt` holds the score as OSWorld
/// writes it: `1.0` for a run that succeeded (every check passed), else `0.0`.
public enum OSWorldExporter {
    /// What an export wrote.
    public struct Export: Sendable, Hashable {
        public var lines: Int
        public var screenshots: Int
        public var trajectory: URL
        /// `result.txt`.
        public var result: URL
        public var score: Double
    }

    /// One `traj.jsonl` line.
    public struct Line: Sendable, Hashable, Codable {
        public var stepNum: Int
        public var actionTimestamp: String
        public var action: String
        public var response: String
        public var reward: Double
        public var done: Bool
        public var info: [String: String]
        public var screenshotFile: String?

        enum CodingKeys: String, CodingKey {
            case stepNum = "step_num", actionTimestamp = "action_timestamp", action, response, reward, done, info
            case screenshotFile = "screenshot_file"
        }
    }

    /// Exports the run folder at `runPath` into `outPath` (created if needed; must not already hold a
    /// `traj.jsonl`). Throws ``InputError`` naming the path for a missing or non-trace folder.
    @discardableResult
    public static func export(runPath: String, to outPath: String, timeZone: TimeZone = .current) throws -> Export {
        let runDir = try TraceReader.runDirectory(runPath)
        let summary = TraceSummary(log: try TraceReader.read(runDirectory: runDir))
        let out = URL(fileURLWithPath: outPath, isDirectory: true)
        let fm = FileManager.default
        let trajectory = out.appendingPathComponent("traj.jsonl")
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: out.path, isDirectory: &isDir), !isDir.boolValue {
            throw InputError("\(outPath): exists and is not a folder")
        }
        if fm.fileExists(atPath: trajectory.path) {
            throw InputError("\(trajectory.path) already exists; export into an empty folder")
        }
        do {
            try fm.createDirectory(at: out, withIntermediateDirectories: true)
        } catch {
            throw TraceError(path: out.path, reason: TraceRecorder.reason(error))
        }
        let plan = lines(for: summary, timeZone: timeZone)
        var text = ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var copied = 0
        for (line, source) in plan {
            if let name = line.screenshotFile, let source {
                let from = runDir.appendingPathComponent(source)
                let to = out.appendingPathComponent(name)
                do {
                    try fm.copyItem(at: from, to: to)
                    copied += 1
                } catch {
                    throw TraceError(path: to.path, reason: "cannot copy \(from.path): \(TraceRecorder.reason(error))")
                }
            }
            text += String(decoding: try encoder.encode(line), as: UTF8.self) + "\n"
        }
        do {
            try Data(text.utf8).write(to: trajectory)
        } catch {
            throw TraceError(path: trajectory.path, reason: TraceRecorder.reason(error))
        }
        let score = Self.score(summary)
        let result = out.appendingPathComponent("result.txt")
        do {
            try Data("\(score)\n".utf8).write(to: result)
        } catch {
            throw TraceError(path: result.path, reason: TraceRecorder.reason(error))
        }
        return Export(lines: plan.count, screenshots: copied, trajectory: trajectory, result: result, score: score)
    }

    /// OSWorld's score of a run: 1 when it succeeded (every check passed), else 0.
    public static func score(_ summary: TraceSummary) -> Double {
        summary.end?.status == .succeeded ? 1.0 : 0.0
    }

    /// The `traj.jsonl` lines of a run, each with the frame (relative to the run folder) to copy as its
    /// screenshot. Pure, for tests.
    public static func lines(for summary: TraceSummary, timeZone: TimeZone = .current) -> [(Line, String?)] {
        var out: [(Line, String?)] = []
        let steps = summary.steps
        var number = 0
        for (i, step) in steps.enumerated() {
            let after = steps[(i + 1)...].first(where: { $0.frame != nil })?.frame ?? summary.end?.finalFrame ?? step.frame
            var numbered = false
            for a in step.actions {
                guard let action = a.action ?? a.modelAction?.mapPoints({ Point(x: Int($0.x), y: Int($0.y)) }) else { continue }
                let ran = a.executed || action.isTerminal || a.decision?.verdict == .dryRun
                guard ran else { continue }
                if !numbered {
                    number += 1
                    numbered = true
                }
                // Actions of one step happen within microseconds in the trace's clock; keep their names apart.
                let time = step.time.addingTimeInterval(Double(a.index) * 1e-6)
                let stamp = timestamp(time, timeZone: timeZone)
                let name = after.map { _ in "step_\(number)_\(stamp).png" }
                let line = Line(stepNum: number, actionTimestamp: stamp, action: pyautogui(action),
                                response: step.answer ?? step.source ?? "", reward: 0, done: action.isTerminal,
                                info: [:], screenshotFile: name)
                out.append((line, after))
            }
        }
        // A run that ended without a terminal action (max steps, stopped) is still done at its last line.
        if summary.end != nil, var last = out.popLast() {
            last.0.done = true
            out.append(last)
        }
        return out
    }

    /// `20250601@120000123456` in `timeZone`, as OSWorld's `datetime.now().strftime("%Y%m%d@%H%M%S%f")`.
    public static func timestamp(_ date: Date, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let whole = date.timeIntervalSince1970.rounded(.down)
        let micros = min(999_999, max(0, Int(((date.timeIntervalSince1970 - whole) * 1_000_000).rounded())))
        func pad(_ v: Int?, _ n: Int) -> String {
            let s = String(v ?? 0)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "@" + pad(c.hour, 2) + pad(c.minute, 2)
            + pad(c.second, 2) + pad(micros, 6)
    }

    /// The action as OSWorld's `pyautogui` action space writes it; terminal actions are `DONE`/`FAIL`.
    public static func pyautogui(_ action: ScreenAction) -> String {
        func xy(_ p: Point?) -> String { p.map { "\($0.x), \($0.y)" } ?? "" }
        func button(_ b: MouseButton) -> String { "button=\(py(b.rawValue))" }
        switch action {
        case .click(let p, let b, let count):
            let args = p.map { [xy($0)] } ?? []
            switch (b, count) {
            case (.left, 1): return "pyautogui.click(\(args.joined()))"
            case (.left, 2): return "pyautogui.doubleClick(\(args.joined()))"
            case (.left, _) where count >= 3: return "pyautogui.tripleClick(\(args.joined()))"
            case (.right, 1): return "pyautogui.rightClick(\(args.joined()))"
            case (.middle, 1): return "pyautogui.middleClick(\(args.joined()))"
            default: return "pyautogui.click(\((args + ["clicks=\(count)", button(b)]).joined(separator: ", ")))"
            }
        case .move(let p): return "pyautogui.moveTo(\(xy(p)))"
        case .drag(let a, let b, let btn):
            return "pyautogui.moveTo(\(xy(a)))\npyautogui.dragTo(\(xy(b)), duration=0.5, \(button(btn)))"
        case .scroll(let p, let d, let n):
            let at = p.map { ", x=\($0.x), y=\($0.y)" } ?? ""
            switch d {
            case .up: return "pyautogui.scroll(\(n)\(at))"
            case .down: return "pyautogui.scroll(\(-n)\(at))"
            case .right: return "pyautogui.hscroll(\(n)\(at))"
            case .left: return "pyautogui.hscroll(\(-n)\(at))"
            }
        case .key(let chord):
            let keys = chord.split(whereSeparator: { $0 == "+" || $0 == " " }).map { py(String($0).lowercased()) }
            return keys.count == 1 ? "pyautogui.press(\(keys[0]))" : "pyautogui.hotkey(\(keys.joined(separator: ", ")))"
        case .press(let key): return "pyautogui.keyDown(\(py(key.lowercased())))"
        case .release(let key): return "pyautogui.keyUp(\(py(key.lowercased())))"
        case .mouseDown(let p, let b): return "pyautogui.mouseDown(\(p.map { xy($0) + ", " } ?? "")\(button(b)))"
        case .mouseUp(let p, let b): return "pyautogui.mouseUp(\(p.map { xy($0) + ", " } ?? "")\(button(b)))"
        case .type(let text): return "pyautogui.typewrite(\(py(text)))"
        case .wait: return "WAIT"
        case .finished: return "DONE"
        case .callUser, .infeasible: return "FAIL"
        }
    }

    /// A Python string literal for `text` (single quotes, escapes as `repr` writes them).
    static func py(_ text: String) -> String {
        var out = "'"
        for s in text.unicodeScalars {
            switch s {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if s.properties.generalCategory == .control {
                    let hex = String(s.value, radix: 16)
                    out += "\\x" + String(repeating: "0", count: max(0, 2 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(s)
                }
            }
        }
        return out + "'"
    }
}
