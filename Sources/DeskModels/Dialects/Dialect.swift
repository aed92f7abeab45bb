import DeskCore
import Foundation

/// A model family's conventions, as one value: how to prompt it, how to read its answers, how it
/// writes coordinates and how many pixels it takes. Adding a dialect is adding one of these to
/// ``DialectRegistry``; nothing else changes.
public struct Dialect: Sendable {
    /// The name `--dialect` takes.
    public var name: String
    /// One line for `--help` and error messages.
    public var summary: String
    public var convention: CoordinateConvention
    /// The pixel budget: screenshots are sent at native size when they fit, scaled down when not.
    public var resize: SmartResize
    /// Decoding settings the model family was published with (options can override them).
    public var sampling: Sampling
    /// Screenshots in the published history convention (the current one included).
    public var historyImages: Int
    /// Whether the model needs a network endpoint (a local grounder does not).
    public var needsEndpoint: Bool
    /// Builds the instruction messages (system and/or first user turn) for a goal.
    public var prompt: @Sendable (PromptContext) -> [ChatMessage]
    /// Rewrites an earlier answer before it goes back into the history (UI-TARS-1.5 re-adds box tokens).
    public var historyAnswer: @Sendable (String) -> String
    /// Reads an answer.
    public var parser: @Sendable (String) -> Result<ParsedAnswer, ParseError>
    /// One line reminding the model of the answer format, sent back with a parse error.
    public var formatReminder: String
    /// How to name a Set-of-Mark mark instead of a point in this format (sent with `--observe som`).
    public var markGrammar: String

    /// Marks in the function-call formats (UI-TARS, Seed text).
    public static let callMarkGrammar = "To act on a marked element you may write mark=N in place of a point, with N the number on its tag: click(mark=17), left_double(mark=4), drag(mark=3, end_mark=5), scroll(mark=8, direction='down'). mark=N is only for the numbers shown; '[17]' or '(17)' are not marks."
    /// Marks in the Qwen JSON tool call.
    public static let jsonMarkGrammar = "To act on a marked element you may give \"mark\": N instead of \"coordinate\" (and \"mark2\" instead of \"coordinate2\"), with N the number on its tag: {\"action\": \"left_click\", \"mark\": 17}."
    /// Marks in the Seed XML tool call.
    public static let xmlMarkGrammar = "To act on a marked element you may write <parameter=mark>N</parameter> instead of the point parameter (and <parameter=end_mark>N</parameter> for a drag's end), with N the number on its tag."

    /// Decoding settings for a request.
    public struct Sampling: Sendable, Hashable {
        public var temperature: Double?
        public var topP: Double?
        public var maxTokens: Int?
        public var frequencyPenalty: Double?
        public init(temperature: Double? = 0, topP: Double? = nil, maxTokens: Int? = 1000, frequencyPenalty: Double? = nil) {
            self.temperature = temperature
            self.topP = topP
            self.maxTokens = maxTokens
            self.frequencyPenalty = frequencyPenalty
        }
    }

    /// What a prompt builder may use.
    public struct PromptContext: Sendable, Hashable {
        public var goal: String
        /// The language the model should think in (`English`, `Chinese`).
        public var language: String
        /// The current screenshot's size as sent.
        public var imageSize: Size
        /// Its smart-resized size (what absolute-coordinate models see and must be told).
        public var modelImageSize: Size
    }

    public init(name: String, summary: String, convention: CoordinateConvention, resize: SmartResize,
                sampling: Sampling = Sampling(), historyImages: Int = 5, needsEndpoint: Bool = true,
                formatReminder: String, markGrammar: String = Dialect.callMarkGrammar,
                prompt: @escaping @Sendable (PromptContext) -> [ChatMessage],
                historyAnswer: @escaping @Sendable (String) -> String = { $0 },
                parser: @escaping @Sendable (String) -> Result<ParsedAnswer, ParseError>) {
        self.name = name
        self.summary = summary
        self.convention = convention
        self.resize = resize
        self.sampling = sampling
        self.historyImages = historyImages
        self.needsEndpoint = needsEndpoint
        self.formatReminder = formatReminder
        self.markGrammar = markGrammar
        self.prompt = prompt
        self.historyAnswer = historyAnswer
        self.parser = parser
    }

    /// Reads a model answer into actions in this dialect's coordinate space.
    public func parse(_ text: String) -> Result<ParsedAnswer, ParseError> { parser(text) }

    /// What to tell the model after `error`, so its next answer parses.
    public func feedback(for error: ParseError) -> String {
        "Your last answer could not be parsed (\(error.description)). \(formatReminder)"
    }

    /// The size to send a screenshot of native `size` at (native when within the pixel budget).
    public func sendSize(for size: Size) -> Size { resize.sendSize(for: size) }

    /// The history rule the model was published with: the last ``historyImages`` screenshots.
    public var defaultHistoryRule: HistoryPlanner.Rule { .lastN(historyImages) }

    /// The mapping from this dialect's points to root-window pixels for one observation.
    public func mapping(screen: Rect, sentImage: Size) throws(SmartResizeError) -> CoordinateMapping {
        try CoordinateMapping(convention: convention, screen: screen, sentImage: sentImage)
    }
}
