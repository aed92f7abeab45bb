/// Redaction of every free-text field of an event before it is written.
///
/// Paths, run ids, numbers and enum values are left alone; everything that can carry typed text,
/// model output, a goal or a reason passes through `redact`.
extension TraceEvent {
    /// This event with `redact` applied to every text field.
    public func redacted(with redact: (String) -> String) -> TraceEvent {
        switch self {
        case .runStart(var e):
            e.command = e.command.map(redact)
            e.goal = e.goal.map(redact)
            e.task = e.task.map(redact)
            e.endpoint = e.endpoint.map(redact)
            return .runStart(e)
        case .step(var e):
            e.answer = e.answer.map(redact)
            e.thought = e.thought.map(redact)
            e.parseError = e.parseError.map(redact)
            e.note = e.note.map(redact)
            e.error = e.error.map(redact)
            e.source = e.source.map(redact)
            if var r = e.request {
                r.images = r.images.map { var i = $0; i.label = i.label.map(redact); return i }
                e.request = r
            }
            e.actions = e.actions.map { $0.redacted(with: redact) }
            return .step(e)
        case .check(var e):
            e.name = redact(e.name)
            e.detail = e.detail.map(redact)
            return .check(e)
        case .runEnd(var e):
            e.reason = e.reason.map(redact)
            return .runEnd(e)
        case .other(let type, let fields):
            return .other(type: type, fields: fields.redacted(with: redact))
        }
    }
}

extension TraceAction {
    /// This action record with `redact` applied to its texts (typed text, messages, description, reasons).
    public func redacted(with redact: (String) -> String) -> TraceAction {
        var copy = self
        copy.modelAction = modelAction?.redactingText(with: redact)
        copy.action = action?.redactingText(with: redact)
        copy.description = redact(description)
        copy.error = error.map(redact)
        if var d = decision {
            d.reason = d.reason.map(redact)
            d.rule = d.rule.map(redact)
            copy.decision = d
        }
        return copy
    }
}

extension Action {
    /// The action with `redact` applied to the text it carries (typed text, key names, messages).
    public func redactingText(with redact: (String) -> String) -> Action {
        switch self {
        case .type(let text): .type(text: redact(text))
        case .key(let chord): .key(chord: redact(chord))
        case .press(let key): .press(key: redact(key))
        case .release(let key): .release(key: redact(key))
        case .finished(let m): .finished(message: m.map(redact))
        case .callUser(let q): .callUser(question: q.map(redact))
        case .infeasible(let r): .infeasible(reason: r.map(redact))
        default: self
        }
    }
}

extension JSONValue {
    /// Every string in the value redacted, except the event's `type`.
    func redacted(with redact: (String) -> String) -> JSONValue {
        switch self {
        case .string(let s): return .string(redact(s))
        case .array(let a): return .array(a.map { $0.redacted(with: redact) })
        case .object(let o):
            var out: [String: JSONValue] = [:]
            for (k, v) in o { out[k] = k == "type" ? v : v.redacted(with: redact) }
            return .object(out)
        default: return self
        }
    }
}
