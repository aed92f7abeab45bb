import ArgumentParser
import DeskCore
import DeskX11

/// `act click X Y [--button B] [--count N]`.
struct ActClick: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "click", abstract: "Click at X Y (root pixels).")

    @OptionGroup var displayOptions: DisplayOptions
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
        let session = try ActSession.open(displayOptions, input: input)
        try session.injector.click(at: Point(x: x, y: y), button: button, count: count)
    }
}

/// `act move X Y`.
struct ActMove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "move", abstract: "Move the pointer to X Y.")

    @OptionGroup var displayOptions: DisplayOptions
    @Argument(help: "X in root-window pixels.") var x: Int
    @Argument(help: "Y in root-window pixels.") var y: Int

    func run() throws {
        let session = try ActSession.open(displayOptions)
        try session.injector.move(to: Point(x: x, y: y))
    }
}

/// `act drag X1 Y1 X2 Y2`.
struct ActDrag: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drag", abstract: "Press at X1 Y1, move there in small steps to X2 Y2, release.")

    @OptionGroup var displayOptions: DisplayOptions
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
        let session = try ActSession.open(displayOptions, input: input)
        try session.injector.drag(from: Point(x: x1, y: y1), to: Point(x: x2, y: y2), button: button)
    }
}

/// `act scroll up|down|left|right [N] [--at X,Y]`.
struct ActScroll: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scroll", abstract: "Scroll N notches (buttons 4–7), at the pointer or at --at X,Y.")

    @OptionGroup var displayOptions: DisplayOptions
    @Argument(help: "up, down, left or right.") var direction: ScrollDirection
    @Argument(help: "Notches (default 1).") var notches = 1
    @Option(help: "Where to scroll, X,Y in root pixels (default: where the pointer is).") var at: PointArgument?

    func validate() throws {
        guard (1...1000).contains(notches) else { throw ValidationError("notches must be 1…1000") }
    }

    func run() throws {
        let session = try ActSession.open(displayOptions)
        try session.injector.scroll(direction, notches: notches, at: at?.point)
    }
}
