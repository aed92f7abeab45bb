/// One function call as a model wrote it, before it means anything: a name and its arguments,
/// with the offsets of each so errors can point at them.
struct ActionCall: Sendable {
    struct Argument: Sendable {
        var key: String
        var value: String
        /// Offset of the value in the raw answer.
        var offset: Int
    }

    var name: String
    var offset: Int
    var arguments: [Argument]

    func argument(_ keys: [String]) -> Argument? { arguments.first { keys.contains($0.key) } }
}
