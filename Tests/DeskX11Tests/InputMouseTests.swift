import DeskCore
@testable import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// Clicks, multi-clicks, drags and scrolls against the fixture, on a two-monitor Xvfb.
@Suite("Input mouse", .ownThread)
struct InputMouseTests {
    /// A 1600x600 screen split into two RandR monitors of 800x600, with the fixture covering both.
    static func twoMonitorBed() throws -> InputTestBed {
        let bed = try InputTestBed(screen: Size(width: 1600, height: 600),
                                   fixtureGeometry: Rect(x: 0, y: 0, width: 1600, height: 600), focus: false)
        var env = ProcessInfo.processInfo.environment
        env["DISPLAY"] = bed.session.displayName
        for args in [["--setmonitor", "left", "800/211x600/158+0+0", "screen"],
                     ["--setmonitor", "right", "800/211x600/158+800+0", "none"]] {
            let child = try ChildProcess.spawn(["xrandr"] + args, environment: env)
            #expect(child.wait(timeout: 10) == 0, "xrandr \(args) failed")
        }
        return bed
    }

    static func wait(_ bed: InputTestBed, for type: String, count: Int, after mark: Int) -> [FixtureEvent] {
        let deadline = Date().addingTimeInterval(5)
        while true {
            let hits = bed.fixture.events()[mark...].filter { $0.type == type }
            if hits.count >= count || Date() >= deadline { return Array(hits) }
            usleep(2_000)
        }
    }

    @Test func clicksLandOnTheExactPixelOnBothMonitors() throws {
        let bed = try Self.twoMonitorBed()
        #expect(bed.display.monitors().count == 2)
        for (point, button) in [(Point(x: 100, y: 150), MouseButton.left), (Point(x: 1234, y: 567), .right),
                                (Point(x: 799, y: 0), .middle), (Point(x: 800, y: 599), .left)] {
            let mark = bed.fixture.count
            try bed.injector.click(at: point, button: button)
            let presses = Self.wait(bed, for: "button_release", count: 1, after: mark)
            let press = try #require(bed.fixture.events()[mark...].first { $0.type == "button_press" })
            #expect(press.int("root_x") == point.x && press.int("root_y") == point.y, "click at \(point) arrived at \(press)")
            #expect(press.int("button") == button.number)
            #expect(presses.count == 1)
        }
        #expect(try bed.leftovers() == [])
    }

    @Test(arguments: [2, 3])
    func multiClicksArriveInsideTheDoubleClickTime(count: Int) throws {
        let bed = try Self.twoMonitorBed()
        let mark = bed.fixture.count
        try bed.injector.click(at: Point(x: 300, y: 300), count: count)
        let presses = Self.wait(bed, for: "button_press", count: count, after: mark)
        let releases = Self.wait(bed, for: "button_release", count: count, after: mark)
        #expect(presses.count == count && releases.count == count)
        let times = presses.compactMap { $0.int("xtime") }
        #expect(times.count == count)
        if let first = times.first, let last = times.last { #expect(last - first < 400, "clicks spread over \(last - first) ms") }
        for (p, r) in zip(presses, releases) {
            let hold = (r.int("xtime") ?? 0) - (p.int("xtime") ?? 0)
            #expect((5...100).contains(hold), "button held \(hold) ms")
        }
        #expect(try bed.leftovers() == [])
    }

    @Test func offScreenPointsAreInputErrors() throws {
        let bed = try Self.twoMonitorBed()
        for point in [Point(x: 1600, y: 10), Point(x: -1, y: 10), Point(x: 10, y: 600)] {
            #expect(throws: InputError.self) { try bed.injector.click(at: point) }
            #expect(throws: InputError.self) { try bed.injector.move(to: point) }
        }
        #expect(bed.fixture.events(ofType: "button_press").isEmpty)
    }

    @Test func dragArrivesInSteps() throws {
        let bed = try Self.twoMonitorBed()
        let mark = bed.fixture.count
        try bed.injector.drag(from: Point(x: 700, y: 400), to: Point(x: 900, y: 450))
        let drag = try bed.fixture.waitFor(type: "drag", after: mark)
        #expect(drag.intPair("from").map { [$0.0, $0.1] } == [700, 400])
        #expect(drag.intPair("to").map { [$0.0, $0.1] } == [900, 450])
        let held = bed.fixture.events()[mark...].filter { $0.type == "motion" && ($0.int("state") ?? 0) & 0x100 != 0 }
        #expect(held.count >= 5, "only \(held.count) motion events with the button held")
        #expect(try bed.leftovers() == [])
    }

    @Test func scrollSendsOneButtonPerNotchAtThePoint() throws {
        let bed = try Self.twoMonitorBed()
        let mark = bed.fixture.count
        try bed.injector.scroll(.down, notches: 3, at: Point(x: 1000, y: 200))
        try bed.injector.scroll(.left, notches: 2)
        let presses = Self.wait(bed, for: "button_press", count: 5, after: mark)
        #expect(presses.compactMap { $0.int("button") } == [5, 5, 5, 6, 6])
        #expect(presses.allSatisfy { $0.int("root_x") == 1000 && $0.int("root_y") == 200 })
        #expect(try bed.leftovers() == [])
    }

    @Test func performRunsScreenActions() throws {
        let bed = try Self.twoMonitorBed()
        let mark = bed.fixture.count
        try bed.injector.perform(.mouseDown(at: Point(x: 50, y: 60), button: .left))
        #expect(bed.display.pressedButtons() == [1])
        try bed.injector.perform(.mouseUp(at: Point(x: 80, y: 60), button: .left))
        #expect(try bed.fixture.waitFor(type: "drag", after: mark).intPair("to").map { [$0.0, $0.1] } == [80, 60])
        try bed.injector.perform(.mouseDown(at: nil, button: .right))
        bed.injector.releaseAll()
        #expect(try bed.leftovers() == [])
    }
}
