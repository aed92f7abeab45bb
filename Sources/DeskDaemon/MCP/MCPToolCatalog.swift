import DeskCore
import MCP

/// The tools `deskpilot mcp` offers, as MCP 2025-11-25 describes tools: input schemas with enums and bounds
/// (coordinates within the screen), annotations (read-only tools say so; input tools are destructive, since
/// a click can do anything the person at the desktop could), and an output schema for every tool that
/// returns data, whose result then carries `structuredContent` of that shape.
public struct MCPToolCatalog: Sendable {
    /// The screen the coordinates must lie on.
    public let screen: Size
    /// Whether `locate` is offered (local OCR grounding is available).
    public let canLocate: Bool

    public init(screen: Size, canLocate: Bool) {
        self.screen = screen
        self.canLocate = canLocate
    }

    /// The input tools, named as the HTTP API's actions (`POST /actions`).
    public static let actionNames = ["click", "double_click", "triple_click", "right_click", "middle_click", "move",
                                     "drag", "scroll", "key", "type", "press", "release"]

    public var tools: [Tool] {
        var list: [Tool] = [
            Tool(name: "screenshot", title: "Screenshot",
                 description: "A PNG screenshot of the whole screen (\(screen.width)x\(screen.height)). Coordinates of the other tools are pixels of this image.",
                 inputSchema: Self.object([:]), annotations: Self.readOnly("Screenshot")),
            Tool(name: "info", title: "Display and policy",
                 description: "The display (name, size, facts such as extensions), the policy in force and the deskpilot version.",
                 inputSchema: Self.object([:]), annotations: Self.readOnly("Display and policy"),
                 outputSchema: Self.infoOutput),
            Tool(name: "windows", title: "Windows",
                 description: "The top-level windows: id, WM_CLASS, title, box {x, y, width, height} and which has focus.",
                 inputSchema: Self.object([:]), annotations: Self.readOnly("Windows"), outputSchema: Self.windowsOutput),
            Tool(name: "tree", title: "Accessibility tree",
                 description: "The accessibility tree (AT-SPI) of what is showing: each element's role, name, states, actions, text or value and box {x, y, width, height}. Needs the display's accessibility bus (deskpilot mcp --headless --desktop openbox has one).",
                 inputSchema: Self.object(["depth": Self.integer("Levels below each window (default: all).", min: 0, max: 100)]),
                 annotations: Self.readOnly("Accessibility tree"), outputSchema: Self.treeOutput),
        ]
        if canLocate {
            list.append(Tool(name: "locate", title: "Locate text",
                             description: "Find text on the screen (local OCR); returns each match's box {x, y, width, height}, click point {x, y} and score, best first.",
                             inputSchema: Self.object(["text": Self.text("The text to find (a word or a phrase, case-insensitive).")],
                                                      required: ["text"]),
                             annotations: Self.readOnly("Locate text"), outputSchema: Self.locateOutput))
        }
        let x = Self.integer("Root-window pixels from the left.", max: screen.width - 1)
        let y = Self.integer("Root-window pixels from the top.", max: screen.height - 1)
        let xy: [String: Value] = ["x": x, "y": y]
        func input(_ name: String, _ title: String, _ description: String, _ properties: [String: Value],
                   required: [String]) -> Tool {
            Tool(name: name, title: title, description: description + " Every action passes the policy first.",
                 inputSchema: Self.object(properties, required: required), annotations: Self.input(title),
                 outputSchema: Self.actionOutput)
        }
        list += [
            input("click", "Click", "Click at (x, y), or where the pointer is.",
                  xy.merging(["button": Self.choice(["left", "middle", "right"], "Which button (default left)."),
                              "count": Self.integer("Clicks (default 1).", min: 1, max: 3)]) { a, _ in a }, required: []),
            input("double_click", "Double-click", "Double-click at (x, y).", xy, required: ["x", "y"]),
            input("triple_click", "Triple-click", "Triple-click at (x, y) (selects a line or paragraph).", xy, required: ["x", "y"]),
            input("right_click", "Right-click", "Right-click at (x, y).", xy, required: ["x", "y"]),
            input("middle_click", "Middle-click", "Middle-click at (x, y) (pastes the X selection).", xy, required: ["x", "y"]),
            input("move", "Move the pointer", "Move the pointer to (x, y).", xy, required: ["x", "y"]),
            input("drag", "Drag", "Drag with the left button from (x, y) to (to_x, to_y).",
                  xy.merging(["to_x": x, "to_y": y]) { a, _ in a }, required: ["x", "y", "to_x", "to_y"]),
            input("scroll", "Scroll", "Scroll by amount notches, at (x, y) or at the pointer.",
                  xy.merging(["direction": Self.choice(["up", "down", "left", "right"], "Which way."),
                              "amount": Self.integer("Notches (default 3).", min: 1, max: 50)]) { a, _ in a },
                  required: ["direction"]),
            input("key", "Key chord", "Press and release a key chord such as ctrl+s, alt+F4 or Return.",
                  ["keys": Self.text("The chord: modifiers and one key joined by +.")], required: ["keys"]),
            input("type", "Type text", "Type text exactly as given (\\n is Return).",
                  ["text": Self.text("The text to type.")], required: ["text"]),
            input("press", "Hold a key down", "Press a key and keep it down (shift, ctrl, a letter) until release.",
                  ["key": Self.text("The key (an X keysym name such as shift or a).")], required: ["key"]),
            input("release", "Let a key go", "Release a key held by press.",
                  ["key": Self.text("The key held by press.")], required: ["key"]),
            Tool(name: "run_task", title: "Run a task",
                 description: "Run a deskpilot task (task_yaml or task_path) or a goal (with endpoint/model/dialect, the server's DESKPILOT_ENDPOINT, or dialect local, offline) to its end. Sends a progress notification per step when the request has a progressToken; cancelling the request stops the job cleanly. Returns how it ended and where its trace is.",
                 inputSchema: Self.object([
                     "task_yaml": Self.text("A task file's YAML."), "task_path": Self.text("A task file on the server."),
                     "goal": Self.text("A goal in plain words."), "endpoint": Self.text("The model's endpoint URL."),
                     "model": Self.text("The model name."), "dialect": Self.text("The model dialect (local: offline, no endpoint)."),
                     "policy": Self.text("default, strict, permissive or a policy file."),
                     "max_steps": Self.integer("Most model steps (default 50).", min: 1, max: 1000),
                     "max_duration": Self.text("Longest run, e.g. 90s or 10m."),
                     "dry_run": .object(["type": "boolean", "description": "Judge and record every action, inject none."]),
                     "agent": .object(["type": "boolean", "description": "Hand the task's goal to the model instead of its steps."]),
                     "keep_scratch": .object(["type": "boolean", "description": "Keep the job's DESKPILOT_SCRATCH folder with its trace."]),
                 ]),
                 annotations: .init(title: "Run a task", readOnlyHint: false, destructiveHint: true, idempotentHint: false,
                                    openWorldHint: true),
                 outputSchema: Self.runOutput),
        ]
        return list
    }

    // MARK: - Schemas

    static func object(_ properties: [String: Value], required: [String] = []) -> Value {
        .object(["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) }),
                 "additionalProperties": false])
    }

    static func integer(_ description: String, min: Int = 0, max: Int? = nil) -> Value {
        var schema: [String: Value] = ["type": "integer", "description": .string(description), "minimum": .int(min)]
        if let max { schema["maximum"] = .int(max) }
        return .object(schema)
    }

    static func text(_ description: String) -> Value {
        .object(["type": "string", "minLength": 1, "description": .string(description)])
    }

    static func choice(_ values: [String], _ description: String) -> Value {
        .object(["type": "string", "enum": .array(values.map { .string($0) }), "description": .string(description)])
    }

    static func readOnly(_ title: String) -> Tool.Annotations {
        .init(title: title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false)
    }

    static func input(_ title: String) -> Tool.Annotations {
        .init(title: title, readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false)
    }

    static let box: Value = .object([
        "type": "object", "required": ["x", "y", "width", "height"], "additionalProperties": false,
        "properties": ["x": ["type": "integer"], "y": ["type": "integer"], "width": ["type": "integer"],
                       "height": ["type": "integer"]],
    ])
    static let point: Value = .object([
        "type": "object", "required": ["x", "y"], "additionalProperties": false,
        "properties": ["x": ["type": "integer"], "y": ["type": "integer"]],
    ])

    static let locateOutput: Value = .object([
        "type": "object", "required": ["matches"],
        "properties": ["matches": .object(["type": "array", "items": .object([
            "type": "object", "required": ["box", "point"],
            "properties": .object(["text": ["type": "string"], "role": ["type": "string"], "name": ["type": "string"],
                                   "box": box, "point": point, "score": ["type": "number"],
                                   "source": ["type": "string", "enum": ["ocr", "image", "a11y"]]]),
        ])])],
    ])

    static let treeOutput: Value = .object([
        "type": "object", "required": ["nodes"],
        "properties": ["nodes": .object(["type": "array", "items": .object([
            "type": "object", "required": ["id", "depth", "role", "name", "states", "actions", "box", "app"],
            "properties": .object(["id": ["type": "integer"], "parent": ["type": "integer"], "depth": ["type": "integer"],
                                   "role": ["type": "string"], "name": ["type": "string"], "description": ["type": "string"],
                                   "states": ["type": "array", "items": ["type": "string"]],
                                   "actions": ["type": "array", "items": ["type": "string"]],
                                   "text": ["type": "string"], "value": ["type": "number"], "box": box,
                                   "app": ["type": "string"], "window": ["type": "string", "pattern": "^0x[0-9a-f]+$"]]),
        ])])],
    ])

    static let windowsOutput: Value = .object([
        "type": "object", "required": ["windows"],
        "properties": ["windows": .object(["type": "array", "items": .object([
            "type": "object", "required": ["id", "instance", "class", "title", "box", "focused"],
            "properties": .object(["id": ["type": "string", "pattern": "^0x[0-9a-f]+$"], "instance": ["type": "string"],
                                   "class": ["type": "string"], "title": ["type": "string"], "box": box,
                                   "focused": ["type": "boolean"]]),
        ])])],
    ])

    static let infoOutput: Value = .object([
        "type": "object", "required": ["version", "display", "width", "height", "policy_name"],
        "properties": ["version": ["type": "string"], "display": ["type": "string"], "width": ["type": "integer"],
                       "height": ["type": "integer"], "headless": ["type": "boolean"], "policy_name": ["type": "string"],
                       "trace_dir": ["type": "string"], "details": ["type": "object"]],
    ])

    static let actionOutput: Value = .object([
        "type": "object", "required": ["action", "executed", "decision", "reason"],
        "properties": ["action": ["type": "string"], "executed": ["type": "boolean"],
                       "decision": ["type": "string", "enum": ["allow", "deny", "denied_by_person", "dry_run", "confirm"]],
                       "rule": ["type": "string"], "reason": ["type": "string"], "error": ["type": "string"]],
    ])

    static let runOutput: Value = .object([
        "type": "object", "required": ["id", "state", "steps"],
        "properties": ["id": ["type": "string"],
                       "state": ["type": "string", "enum": ["succeeded", "failed", "stopped"]],
                       "exit_code": ["type": "integer"], "steps": ["type": "integer"], "reason": ["type": "string"],
                       "trace_dir": ["type": "string"]],
    ])
}
