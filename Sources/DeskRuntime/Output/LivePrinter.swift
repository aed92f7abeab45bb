import DeskAgent
import DeskCore
import Foundation
import Synchronization

/// The live output of `agent` and `run`: one line per step on stdout, JSON lines with `--json`, nothing
/// but the final line with `-q`.
///
/// Every line is redacted (secrets and the policy's `redact` patterns, once the run knows them) and has
/// its control characters made visible: step lines carry model text, window titles and OCR readings.
public final class LivePrinter: StepReporter, Sendable {
    public enum Mode: Sendable { case lines, json, quiet }

    public let mode: Mode
    private let redactor = Mutex(Redactor())

    public init(mode: Mode) { self.mode = mode }

    /// Redacts what `redactor` hides from every later line.
    public func redacting(with redactor: Redactor) {
        self.redactor.withLock { $0 = redactor }
    }

    public func step(_ outcome: StepOutcome) {
        switch mode {
        case .quiet: return
        case .lines: write(outcome.line)
        case .json:
            let encoder = JSONStyle.encoder()
            if let data = try? encoder.encode(JSONStep(type: "step", outcome: outcome)) {
                write(String(decoding: data, as: UTF8.self))
            }
        }
    }

    public func message(_ text: String) {
        switch mode {
        case .quiet: return
        case .lines: write(text)
        case .json:
            let encoder = JSONStyle.encoder()
            if let data = try? encoder.encode(["type": "message", "text": text]) {
                write(String(decoding: data, as: UTF8.self))
            }
        }
    }

    /// The final line, printed even with `-q` (as JSON with `--json`).
    public func final(_ result: FinalLine) {
        switch mode {
        case .json:
            let encoder = JSONStyle.encoder()
            if let data = try? encoder.encode(result) { write(String(decoding: data, as: UTF8.self)) }
        default:
            write(result.text)
        }
    }

    private func write(_ line: String) {
        redactor.withLock { redactor in
            let shown = ControlCharacters.printable(redactor.redact(line))
            FileHandle.standardOutput.write(Data((shown + "\n").utf8))
        }
    }
}

/// A step as one JSON line.
struct JSONStep: Encodable {
    var type: String
    var outcome: StepOutcome

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(type, forKey: .type)
        try c.encode(outcome.step, forKey: .step)
        try c.encode(outcome.action, forKey: .action)
        try c.encodeIfPresent(outcome.target, forKey: .target)
        try c.encodeIfPresent(outcome.modelSeconds, forKey: .modelSeconds)
        try c.encodeIfPresent(outcome.tokens, forKey: .tokens)
        try c.encode(outcome.decision, forKey: .decision)
        try c.encodeIfPresent(outcome.screenChanged, forKey: .screenChanged)
        try c.encodeIfPresent(outcome.note, forKey: .note)
    }

    enum Keys: String, CodingKey {
        case type, step, action, target, decision, tokens, note
        case modelSeconds = "model_s", screenChanged = "screen_changed"
    }
}

/// The last line of a run: how it ended, and where its trace is.
public struct FinalLine: Encodable, Sendable {
    public var type = "result"
    public var status: String
    public var exitCode: Int32
    public var reason: String
    public var steps: Int
    public var tokens: Int?
    public var trace: String?

    public init(status: String, exitCode: Int32, reason: String, steps: Int, tokens: Int?, trace: String?) {
        self.status = status
        self.exitCode = exitCode
        self.reason = reason
        self.steps = steps
        self.tokens = tokens
        self.trace = trace
    }

    public var text: String {
        var s = "\(status == "finished" ? "done" : status): \(reason) (\(steps) step\(steps == 1 ? "" : "s")"
        if let tokens, tokens > 0 { s += ", \(tokens) tokens" }
        s += ")"
        if let trace { s += "\ntrace: \(trace)" }
        return s
    }

    enum CodingKeys: String, CodingKey {
        case type, status, exitCode = "exit_code", reason, steps, tokens, trace
    }
}
