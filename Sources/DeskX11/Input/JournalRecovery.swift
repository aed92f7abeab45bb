internal import CX11
import DeskCore
import Foundation

/// Undoes what dead deskpilot injectors left on a display, from their journals (``DisplayJournal``): spare
/// keycodes still bound, keys and buttons still down, per-key autorepeat still off, MouseKeys switched.
/// Keys kept down on purpose (`act press`) are adopted instead, for the caller to judge again.
///
/// Only what the server still shows is undone (a key the journal lists but that is up is left alone), and
/// nothing a live injector's journal lists is touched: its owner may be typing with it right now.
enum JournalRecovery {
    /// What was undone, for the one line the command prints.
    struct Report: Equatable {
        var processes: [String] = []
        var clearedKeycodes = 0
        var releasedKeys = 0
        var releasedButtons: [Int] = []
        var autorepeatRestored = 0
        var mouseKeys: Bool?

        var isEmpty: Bool {
            clearedKeycodes == 0 && releasedKeys == 0 && releasedButtons.isEmpty && autorepeatRestored == 0 && mouseKeys == nil
        }

        /// `deskpilot: undid what deskpilot pid 812 (killed) left on display :5: 16 spare keycodes unbound, …`
        func line(display: String) -> String {
            var done: [String] = []
            if clearedKeycodes > 0 { done.append("\(clearedKeycodes) spare keycode\(clearedKeycodes == 1 ? "" : "s") unbound") }
            if releasedKeys > 0 { done.append("\(releasedKeys) key\(releasedKeys == 1 ? "" : "s") released") }
            if !releasedButtons.isEmpty { done.append(releasedButtons.map { "Button\($0)" }.joined(separator: ", ") + " released") }
            if autorepeatRestored > 0 { done.append("autorepeat back on for \(autorepeatRestored) key\(autorepeatRestored == 1 ? "" : "s")") }
            if let mouseKeys { done.append("MouseKeys switched back \(mouseKeys ? "on" : "off")") }
            let who = processes.isEmpty ? "an earlier deskpilot" : "deskpilot pid \(processes.joined(separator: ", "))"
            return "deskpilot: undid what \(who) (ended without cleaning up) left on display \(display): \(done.joined(separator: ", "))"
        }
    }

    /// Recovers every dead journal of `journal`'s display; adopted kept keys go to `state`.
    static func run(journal: DisplayJournal, map: KeyboardMap, state: InputState) -> Report {
        let found = journal.others()
        let dead = found.filter { $0.heldLock != nil }
        guard !dead.isEmpty else { return Report() }
        let live = found.compactMap { $0.heldLock == nil ? $0.record : nil }
        let liveKeys = Set(live.flatMap { $0.keys.union($0.kept.flatMap(\.keycodes)) })
        let liveButtons = Set(live.flatMap(\.buttons))
        let liveSpare = Set(live.flatMap { $0.spareKeys.keys })
        let display = map.display
        var report = Report()
        report.processes = dead.compactMap { d in d.record == nil ? nil : pid(of: d.path) }

        let records = dead.compactMap(\.record)
        let down = Set(display.pressedKeycodes().map { UInt8($0) })
        // Kept keys still down are adopted (judged again by the caller); the others only need autorepeat back.
        var adopted: [KeptKey] = []
        for record in records {
            for key in record.kept where key.keycodes.last.map(down.contains) == true && !adopted.contains(key) {
                adopted.append(key)
            }
        }
        let adoptedCodes = Set(adopted.flatMap(\.keycodes))
        let repeatOff = Set(records.flatMap(\.repeatOff))
        if !adopted.isEmpty { state.adopt(adopted, repeatOff: repeatOff.intersection(adoptedCodes)) }

        // Spare keycodes: cleared where they still carry what the dead process bound.
        for record in records where !record.spareKeys.isEmpty {
            let device = record.spareDevice ?? KeyboardMap.coreKeyboard
            var mine: [UInt8: SpareBinding] = [:]
            for (kc, syms) in record.spareKeys where !liveSpare.contains(kc) && !syms.isEmpty {
                mine[kc] = SpareBinding(lower: syms[0], upper: syms.count > 1 ? syms[1] : nil)
            }
            guard !mine.isEmpty, let layout = try? map.layout(device: device) else { continue }
            let stillBound = mine.filter { kc, binding in
                layout.keys[Int(kc)].groups == [[binding.lower] + (binding.upper.map { [$0] } ?? [])]
            }
            guard !stillBound.isEmpty else { continue }
            var changes: [UInt8: SpareBinding?] = [:]
            for kc in stillBound.keys { changes[kc] = .some(nil) }
            if (try? map.apply(changes, device: device, clearingOnlyIf: stillBound)) != nil {
                report.clearedKeycodes += stillBound.count
            }
        }

        // Keys and buttons the dead process may have held and the server still shows down.
        let toRelease = Set(records.flatMap(\.keys)).subtracting(adoptedCodes).subtracting(liveKeys).intersection(down)
        let buttons = Set(records.flatMap(\.buttons)).subtracting(liveButtons)
        let downButtons = Set(display.pressedButtons())
        let logical = logicalButtons(display)
        let buttonsDown = buttons.filter { downButtons.contains(logical[$0] ?? Int($0)) }
        if !toRelease.isEmpty || !buttonsDown.isEmpty {
            display.withDisplay { d in
                for b in buttonsDown.sorted() { _ = XTestFakeButtonEvent(d, b, 0, 0) }
                for k in toRelease.sorted() { _ = XTestFakeKeyEvent(d, UInt32(k), 0, 0) }
                _ = XSync(d, 0)
            }
        }
        report.releasedKeys = toRelease.count
        report.releasedButtons = buttonsDown.map { logical[$0] ?? Int($0) }.sorted()

        // Per-key autorepeat the dead process turned off, unless a kept (adopted) or live key still needs it off.
        let repeating = autorepeatingKeys(display)
        for kc in repeatOff.subtracting(adoptedCodes).subtracting(liveKeys).sorted() where !repeating.contains(kc) {
            InputState.setAutorepeat(display, kc, on: true)
            report.autorepeatRestored += 1
        }

        if live.allSatisfy({ $0.mouseKeysFound == nil }), let found = records.compactMap(\.mouseKeysFound).first,
           display.mouseKeysEnabled != found {
            display.setMouseKeys(found)
            report.mouseKeys = found
        }
        display.sync()
        for d in dead { DisplayJournal.finish(d) }
        return report
    }

    /// The pid in a journal path `…/<display>@<pid>.<n>`.
    static func pid(of path: String) -> String? {
        guard let at = path.lastIndex(of: "@") else { return nil }
        return path[path.index(after: at)...].split(separator: ".").first.map(String.init)
    }

    /// Physical button → the logical button it acts as (the pointer mapping).
    private static func logicalButtons(_ display: X11Display) -> [UInt32: Int] {
        display.withDisplay { d in
            var map = [UInt8](repeating: 0, count: 256)
            let count = Int(XGetPointerMapping(d, &map, Int32(map.count)))
            var result: [UInt32: Int] = [:]
            for i in 0..<min(count, map.count) { result[UInt32(i + 1)] = Int(map[i]) }
            return result
        }
    }

    /// Keycodes whose autorepeat is on now (`XGetKeyboardControl`'s per-key bits).
    static func autorepeatingKeys(_ display: X11Display) -> Set<UInt8> {
        display.withDisplay { d in
            var state = XKeyboardState()
            XGetKeyboardControl(d, &state)
            var result = Set<UInt8>()
            withUnsafeBytes(of: &state.auto_repeats) { bits in
                for kc in 0..<256 where (bits[kc / 8] >> (kc % 8)) & 1 == 1 { result.insert(UInt8(kc)) }
            }
            return result
        }
    }
}
