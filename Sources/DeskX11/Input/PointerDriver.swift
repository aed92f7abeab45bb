internal import CX11
import DeskCore
import Foundation
import Synchronization

/// Mouse input through XTest: absolute motion in root pixels, clicks with a real hold, multi-clicks inside
/// the double-click time, drags in small steps, scroll notches (buttons 4–7).
///
/// Points are checked against the root window and the RandR monitors (the server would silently clamp, and
/// areas no monitor shows are not visible to anyone). Button numbers honour the pointer mapping, so "left"
/// is the logical left button even when a left-handed user swapped them.
final class PointerDriver: Sendable {
    let display: X11Display
    let state: InputState
    var options: InputOptions {
        get { settings.withLock { $0 } }
        set { settings.withLock { $0 = newValue } }
    }
    private let settings: Mutex<InputOptions>

    init(display: X11Display, state: InputState, options: InputOptions) {
        self.display = display
        self.state = state
        settings = Mutex(options)
    }

    /// Throws an input error (exit 2) when `point` is outside the screen or on no monitor.
    func validate(_ point: Point) throws {
        let size = display.screenSize
        guard point.x >= 0, point.y >= 0, point.x < size.width, point.y < size.height else {
            throw InputError("point (\(point.x), \(point.y)) is outside the screen of display \(display.name) (\(size.width)x\(size.height); x 0…\(size.width - 1), y 0…\(size.height - 1))")
        }
        let monitors = display.monitors()
        guard monitors.isEmpty || monitors.contains(where: { $0.rect.contains(point) }) else {
            let list = monitors.map { "\($0.name) \($0.rect.width)x\($0.rect.height)+\($0.rect.x)+\($0.rect.y)" }.joined(separator: ", ")
            throw InputError("point (\(point.x), \(point.y)) is on no monitor of display \(display.name) (\(list))")
        }
    }

    /// The physical button that acts as logical button `logical` under the current pointer mapping.
    func physicalButton(_ logical: Int) -> UInt32 {
        display.withDisplay { d in
            var map = [UInt8](repeating: 0, count: 256)
            let count = Int(XGetPointerMapping(d, &map, Int32(map.count)))
            for i in 0..<min(count, map.count) where Int(map[i]) == logical { return UInt32(i + 1) }
            return UInt32(logical)
        }
    }

    func move(to point: Point) throws {
        try validate(point)
        state.motion(to: point)
        display.sync()
    }

    /// Moves there (if given) and waits for the app to see the pointer arrive.
    private func moveIfNeeded(_ point: Point?) throws {
        guard let point else { return }
        try move(to: point)
        try Pause.sleep(options.moveSettle)
    }

    func click(at point: Point?, button: MouseButton, count: Int) throws {
        guard (1...10).contains(count) else { throw InputError("click count must be 1…10, got \(count)") }
        try moveIfNeeded(point)
        let b = physicalButton(button.number)
        for i in 0..<count {
            if i > 0 { try Pause.sleep(options.multiClickInterval) }
            try pressAndRelease(b, hold: options.clickHold)
        }
    }

    /// One press, a hold, one release; the release happens even when a stop interrupts the hold.
    private func pressAndRelease(_ button: UInt32, hold: Double) throws {
        state.button(button, down: true)
        display.sync()
        defer {
            state.button(button, down: false)
            display.sync()
            state.settle()
        }
        try Pause.sleep(hold, interruptible: false)
    }

    func buttonDown(at point: Point?, button: MouseButton) throws {
        try moveIfNeeded(point)
        state.button(physicalButton(button.number), down: true)
        display.sync()
    }

    func buttonUp(at point: Point?, button: MouseButton) throws {
        try moveIfNeeded(point)
        state.button(physicalButton(button.number), down: false)
        display.sync()
        state.settle()
    }

    /// Press at `from`, settle, move in ``InputOptions/dragSteps`` steps, settle, release at `to`.
    func drag(from: Point, to: Point, button: MouseButton) throws {
        try validate(from)
        try validate(to)
        try move(to: from)
        try Pause.sleep(options.moveSettle)
        let b = physicalButton(button.number)
        state.button(b, down: true)
        display.sync()
        defer {
            state.button(b, down: false)
            display.sync()
            state.settle()
        }
        try Pause.sleep(options.dragSettle)
        let steps = max(options.dragSteps, 1)
        for i in 1...steps {
            let t = Double(i) / Double(steps)
            let p = Point(x: from.x + Int((Double(to.x - from.x) * t).rounded()),
                          y: from.y + Int((Double(to.y - from.y) * t).rounded()))
            state.motion(to: p)
            display.sync()
            try Pause.sleep(options.dragStepDelay)
        }
        state.motion(to: to)
        display.sync()
        try Pause.sleep(options.dragSettle)
    }

    func scroll(at point: Point?, direction: ScrollDirection, notches: Int) throws {
        guard (1...1000).contains(notches) else { throw InputError("scroll notches must be 1…1000, got \(notches)") }
        try moveIfNeeded(point)
        let b = physicalButton(direction.button)
        for i in 0..<notches {
            if i > 0 { try Pause.sleep(options.scrollNotchDelay) }
            try pressAndRelease(b, hold: 0)
        }
    }
}
