import DeskCore

/// Runs one action the way every run must: policy gate, input, settle. The agent loop and the task runner
/// both act only through here, so there is exactly one policy check point.
public final class ActionExecutor: Sendable {
    public let desktop: Desktop
    public let gate: PolicyGate
    public let settler: Settler
    public var dryRun: Bool { gate.dryRun }

    public init(desktop: Desktop, gate: PolicyGate, settler: Settler) {
        self.desktop = desktop
        self.gate = gate
        self.settler = settler
    }

    /// Judges `action` (never a terminal one) for `step`, performs it when allowed and waits for the screen
    /// to settle. `before` is the screen the action was chosen on. Only a stop request is thrown; input
    /// and capture errors come back in ``ActionExecution/error`` for the caller to judge.
    public func execute(_ action: ScreenAction, step: Int, before: Frame) throws(StoppedError) -> ActionExecution {
        var result = ActionExecution()
        let policyStart = MonotonicClock.now()
        let gateResult: GateResult
        do {
            gateResult = try gate.check(action, step: step)
        } catch let stop as StoppedError {
            throw stop
        } catch {
            result.error = error
            return result
        }
        result.gate = gateResult
        result.policyMs = (MonotonicClock.now() - policyStart) * 1000
        if gateResult.simulated {
            gate.recordExecuted(action, context: gateResult.context)
            return result
        }
        guard gateResult.runs else { return result }

        let actStart = MonotonicClock.now()
        do {
            if case .wait(let seconds) = action {
                result.executed = true
                gate.recordExecuted(action, context: gateResult.context)
                // A wait never outlasts the run's max_duration: the next action then meets the limit.
                let settled = try settler.waitForChange(after: before, timeout: min(seconds, gate.secondsLeft ?? seconds))
                result.actMs = 0
                result.settleMs = settled.seconds * 1000
                result.settle = settled
                return result
            }
            // A key the run holds (press) is let go before this action carries it into a context the
            // policy refuses it in: the pointer moving to a refused window, a modifier making a refused chord.
            for refusal in gate.refusedHeldKeys(gate.heldKeyNames, before: action) {
                try desktop.performer.perform(.release(key: refusal.key))
                gate.recordExecuted(.release(key: refusal.key), context: gateResult.context)
                result.releasedHeldKeys.append(refusal)
            }
            settler.arm()
            try desktop.performer.perform(action)
            result.executed = true
            gate.recordExecuted(action, context: gateResult.context)
        } catch let stop as StoppedError {
            throw stop
        } catch {
            result.actMs = (MonotonicClock.now() - actStart) * 1000
            result.error = error
            return result
        }
        result.actMs = (MonotonicClock.now() - actStart) * 1000
        do {
            let settled = try settler.settle(after: before)
            result.settle = settled
            result.settleMs = settled.seconds * 1000
        } catch let stop as StoppedError {
            throw stop
        } catch {
            result.error = error
        }
        return result
    }
}

/// What happened to one action.
public struct ActionExecution: Sendable {
    /// Keys the run held that were released before the action, because it would have carried them into a
    /// context the policy refuses them in.
    public var releasedHeldKeys: [HeldKeyRefusal] = []
    /// The gate's decision; nil when judging itself failed (see ``error``).
    public var gate: GateResult?
    /// True when the input was injected (false for denials and dry runs).
    public var executed = false
    /// The settled screen after the action, when it ran.
    public var settle: SettleResult?
    public var policyMs: Double?
    public var actMs: Double?
    public var settleMs: Double?
    /// An input, capture or policy error.
    public var error: (any Error)?

    public init() {}

    /// True when the screen changed after the action (nil when it did not run).
    public var screenChanged: Bool? { settle?.changed }
}
