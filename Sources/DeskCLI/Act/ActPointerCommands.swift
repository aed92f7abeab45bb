import ArgumentParser
import DeskCore
import DeskX11

/// `act click X Y [--button B] [--count N]`.
struct ActClick: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "click", abstract: "Click at X Y (root pixels).")

    @OptionGroup var displayOptions: DisplayOptions
    @OptionGroup var policyOptions: ActPolicyOptions
    @Argument(help: "X in root-window pixels.") var x: Int
    @Argument(help: "Y in root-window pixels.") var y: Int
    @Option(help: "left, right or middle.") var button: MouseButton = .left
    @Option(help: "1 = single, 2 = double, 3 = triple click.") var count = 1
    @Option(help: "How long each click holds the button (10ms–50ms is what toolkits expect).") var hold: DurationArgument?

    func validate() throws {
        guard (1...10).contains(count) else { throw ValidationError("--count must be 1…10") }
    }

    func run() throws {
        var input = InputOptions()
        if let hold { input.clickHold = hold.seconds }
        let session = try ActSession.open(displayOptions, policy: policyOptions, input: input,
                                          stoppable: count > 1 || hold != nil)
        let point = Point(x: x, y: y)
        try session.injector.validate(point)
        try session.permit(.click(at: point, button: button, count: count))
        try session.injector.click(at: point, button: button, count: count)
    }
}

/// `act move X Y`.
struct ActMove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "move", abstract: "Move the pointer to X Y.")

    @OptionGroup var displayOptions: DisplayOptions
    @OptionGroup var policyOptions: ActPolicyOptions
    @Argument(help: "X in root-window pixels.") var x: Int
    @Argument(help: "Y in root-window pixels.") var y: Int

    func run() throws {
        let session = try ActSession.open(displayOptions, policy: policyOptions)
        let point = Point(x: x, y: y)
        try session.injector.validate(point)
        try session.permit(.move(to: point))
        try session.injector.move(to: point)
    }
}

/// `act drag X1 Y1 X2 Y2`.
struct ActDrag: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drag", abstract: "Press at X1 Y1, move there in small steps to X2 Y2, release.")

    @OptionGroup var displayOptions: DisplayOptions
    @OptionGroup var policyOptions: ActPolicyOptions
    @Argument var x1: Int
    @Argument var y1: Int
    @Argument var x2: Int
    @Argument var y2: Int
    @Option(help: "left, right or middle.") var button: MouseButton = .left
    @Option(help: "Intermediate motion steps.") var steps: Int?

    func validate() throws {
        if let steps, !(1...1000).contains(steps) { throw ValidationError("--steps must be 1…1000") }
    }

    func run() throws {
        var input = InputOptions()
        if let steps { input.dragSteps = steps }
        let session = try ActSession.open(displayOptions, policy: policyOptions, input: input, stoppable: true)
        let from = Point(x: x1, y: y1), to = Point(x: x2, y: y2)
        try session.injector.validate(from)
        try session.injector.validate(to)
        try session.permit(.drag(from: from, to: to, button: button))
        try session.injector.drag(from: from, to: to, button: button)
    }
}

/// `act scroll up|down|left|right [N] [--at X,Y]`.
struct ActScroll: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scroll", abstract: "Scroll N notches (buttons 4–7), at the pointer or at --at X,Y.")

    @OptionGroup var displayOptions: DisplayOptions
    @OptionGroup var policyOptions: ActPolicyOptions
    @Argument(help: "up, down, left or right.") var direction: ScrollDirection
    @Argument(help: "Notches (default 1).") var notches = 1
    @Option(help: "Where to scroll, X,Y in root pixels (default: where the pointer is).") var at: PointArgument?

    func validate() throws {
        guard (1...1000).contains(notches) else { throw ValidationError("notches must be 1…1000") }
    }

    func run() throws {
        let session = try ActSession.open(displayOptions, policy: policyOptions, stoppable: notches > 1)
        if let point = at?.point { try session.injector.validate(point) }
        try session.permit(.scroll(at: at?.point, direction: direction, notches: notches))
        try session.injector.scroll(direction, notches: notches, at: at?.point)
    }
}
