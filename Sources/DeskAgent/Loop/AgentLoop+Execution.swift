import DeskCore

extension AgentLoop {
    /// Copies what executing one action did into its trace record and the step's stage times; shared by the
    /// model-driven and the planner-driven steps.
    static func note(_ exec: ActionExecution, in record: inout TraceAction, policyMs: inout Double,
                     actMs: inout Double, settleMs: inout Double, decisions: inout [String]) {
        policyMs += exec.policyMs ?? 0
        actMs += exec.actMs ?? 0
        settleMs += exec.settleMs ?? 0
        record.decision = exec.gate?.traceDecision
        record.executed = exec.executed
        record.actMs = exec.actMs
        decisions.append(exec.gate?.summary ?? "error")
    }
}
