import ArgumentParser
import DeskTesting
import Foundation

/// `deskpilot-model-server --script FILE.json [--port N] [--record FILE.jsonl]`: a scripted
/// OpenAI-compatible model server on 127.0.0.1. The first line of stdout is the base URL to pass as
/// `--endpoint`; it runs until interrupted.
struct ModelServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deskpilot-model-server",
        abstract: "Serve scripted model replies (chat completions, Anthropic Messages, OpenAI Responses) on 127.0.0.1 and record every request.",
        discussion: """
        The script is a JSON list of replies (or {"replies": [...]}), used in order:
          {"content": "Action: click(start_box='(100,200)')", "usage": {"prompt_tokens": 10, "completion_tokens": 5}}
          {"status": 500, "body": "overloaded", "headers": {"Retry-After": "1"}}
          {"delay": 2.5, "content": "Action: finished()"}
          {"json": {"content": [{"type": "tool_use", "id": "t1", "name": "computer", "input": {"action": "screenshot"}}], "stop_reason": "tool_use"}}
        --api anthropic prints a base URL without /v1 (deskpilot appends /v1/messages); the other APIs print …/v1.
        Once the script is used up, requests get HTTP 410.
        """)

    @Option(help: "The JSON script of replies.")
    var script: String

    @Option(help: "The port to listen on (0 picks a free one).")
    var port: UInt16 = 0

    @Option(help: "Append every request to this JSONL file (the Authorization header is redacted).")
    var record: String?

    @Option(help: "The API whose base URL to print: openai-chat, anthropic, openai-responses (every route answers).")
    var api: String = "openai-chat"

    @Option(help: "The model name GET /v1/models reports.")
    var model: String = "scripted-model"

    func serve() async throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: script)) } catch {
            throw ValidationError("\(script): cannot read the script: \(error.localizedDescription)")
        }
        let replies: [ScriptedReply]
        do { replies = try ScriptedReply.script(from: data) } catch {
            throw ValidationError("\(script): not a script of replies: \(error)")
        }
        let recordURL = record.map { URL(fileURLWithPath: $0) }
        if let recordURL { FileManager.default.createFile(atPath: recordURL.path, contents: nil) }
        guard let which = ScriptedModelServer.API(rawValue: api) else {
            throw ValidationError("--api wants one of \(ScriptedModelServer.API.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let server = try await ScriptedModelServer.start(script: replies, port: port, modelName: model, recordFile: recordURL, api: which)
        // Written straight to fd 1 so a pipe reader sees the URL at once (print() may buffer).
        FileHandle.standardOutput.write(Data((server.baseURL.absoluteString + "\n").utf8))
        FileHandle.standardError.write(Data("deskpilot-model-server: \(replies.count) replies scripted; Ctrl-C stops\n".utf8))
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(3600))
        }
        await server.stop()
    }
}

// main.swift cannot use @main, and ArgumentParser's async dispatch needs it: parse here, then serve.
do {
    let command = try ModelServerCommand.parse()
    try await command.serve()
} catch {
    ModelServerCommand.exit(withError: error)
}
