import DeskCore

/// Finds text on a display (local OCR grounding), for the MCP `locate` tool. The executable provides it
/// when the grounding module is available; it should load its models on first use.
public protocol TextLocating: Sendable {
    /// Every match, best first, in the shared ``LocatedMatch`` shape (box `{x, y, width, height}`, point `{x, y}`).
    func locate(_ text: String, on display: any DaemonDisplay) throws -> [LocatedMatch]
}
