/// Turns screen actions into real input (XTest in the executable, a recording in tests).
///
/// Only the agent loop's and the runner's single policy check point call ``perform(_:)``: an action reaches
/// a performer after the policy engine allowed it, never before.
public protocol ActionPerformer: AnyObject, Sendable {
    /// Performs one non-terminal action (`click`, `type`, `key`, …). Terminal actions and `wait` are
    /// handled by the caller and never arrive here.
    func perform(_ action: ScreenAction) throws
    /// Gives `window` the keyboard focus (and raises it).
    func focus(window: UInt) throws
    /// Releases every key and button this performer pressed; called on every exit path.
    func releaseAll()
    /// Keys held down on purpose beyond the process that pressed them (an earlier `act press`), which this
    /// performer took over: a run treats them as its own held keys (judged again, released with `release`).
    var keptKeyNames: [String] { get }
}

extension ActionPerformer {
    public var keptKeyNames: [String] { [] }
}
