import Foundation

/// One shard's results folded into a merged report.
public struct EvalPart: Sendable, Hashable, Codable {
    /// The results folder, relative to the merged results folder when it could be, else absolute.
    public var path: String
    public var shard: EvalShard?
    public var host: String?
    public var started: Date
    public var wallS: Double
    public var tasks: Int

    public init(path: String, shard: EvalShard?, host: String?, started: Date, wallS: Double, tasks: Int) {
        self.path = path
        self.shard = shard
        self.host = host
        self.started = started
        self.wallS = wallS
        self.tasks = tasks
    }

    enum CodingKeys: String, CodingKey { case path, shard, host, started, wallS = "wall_s", tasks }
}
