import DeskCore
import Foundation

extension Dialect {
    /// Seed / UI-TARS-2 XML tool calls: `<seed:tool_call><function=click><parameter=point><point>x y</point>…`,
    /// points relative 0–1000, several functions per step.
    public static let seedXML = Dialect(
        name: "seed-xml",
        summary: "Seed / UI-TARS-2 <seed:tool_call> functions, points relative 0–1000",
        convention: .relative1000,
        resize: .doubao,
        sampling: Sampling(temperature: 0, maxTokens: 2000),
        formatReminder: "Answer with <seed:tool_call><function=NAME><parameter=KEY>VALUE</parameter></function></seed:tool_call>; points are <point>x y</point> from 0 to 1000.",
        markGrammar: Dialect.xmlMarkGrammar,
        prompt: { ctx in
            let system = UITarsPrompt.header + "\n\n"
                + "Think about the next step, then call one or more of the functions below, in this format:\n"
                + "<seed:tool_call>\n<function=NAME>\n<parameter=KEY>VALUE</parameter>\n</function>\n</seed:tool_call>\n"
                + "Several <function> blocks in one <seed:tool_call> run in order. Points are written <point>x y</point>, "
                + "x and y from 0 to 1000 relative to the screenshot's width and height. Release every key you press "
                + "before the end of the step. Think in \(ctx.language).\n\n"
                + "## Functions\n" + SeedXMLFunctions.schemaLines.joined(separator: "\n")
            return [.system(system), .user(ctx.goal)]
        },
        parser: SeedXMLParser.parse)
}

/// The Seed XML tool set (reference §5.3), as one-line JSON schemas for the system prompt.
enum SeedXMLFunctions {
    static let point: JSONValue = .object(["type": .string("string"), "description": .string("<point>x y</point>, 0–1000")])
    static let text: JSONValue = .object(["type": .string("string")])

    static func schema(_ name: String, _ description: String, _ params: [String: JSONValue], required: [String]) -> String {
        let v: JSONValue = .object([
            "name": .string(name), "description": .string(description),
            "parameters": .object(["type": .string("object"), "properties": .object(params),
                                   "required": .array(required.map { .string($0) })]),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(v)).map { String(decoding: $0, as: UTF8.self) } ?? name
    }

    static let schemaLines: [String] = [
        schema("click", "Left-click a point.", ["point": point], required: ["point"]),
        schema("left_double", "Double-click a point.", ["point": point], required: ["point"]),
        schema("right_single", "Right-click a point.", ["point": point], required: ["point"]),
        schema("drag", "Drag with the left button.", ["start_point": point, "end_point": point], required: ["start_point", "end_point"]),
        schema("scroll", "Scroll at a point.", ["point": point, "direction": .object(["type": .string("string"),
            "enum": .array(["up", "down", "left", "right"].map { .string($0) })])], required: ["direction"]),
        schema("move_to", "Move the pointer.", ["point": point], required: ["point"]),
        schema("mouse_down", "Press a mouse button.", ["point": point, "button": text], required: []),
        schema("mouse_up", "Release a mouse button.", ["point": point, "button": text], required: []),
        schema("type", "Type text; end with \\n to press Enter.", ["content": text], required: ["content"]),
        schema("hotkey", "Press a key chord such as 'ctrl c'.", ["key": text], required: ["key"]),
        schema("press", "Hold one key down.", ["key": text], required: ["key"]),
        schema("release", "Release a held key.", ["key": text], required: ["key"]),
        schema("wait", "Wait, then look again.", ["time": .object(["type": .string("number")])], required: []),
        schema("finished", "The task is done.", ["content": text], required: []),
        schema("call_user", "Ask the user for help.", ["content": text], required: []),
        schema("infeasible", "The task cannot be done.", ["content": text], required: ["content"]),
    ]
}
