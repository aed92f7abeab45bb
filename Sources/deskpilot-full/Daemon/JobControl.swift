import DeskCLI
import DeskCore
import DeskDaemon

/// What `pause` and `resume` share: post one control verb to a job, or to every job in a state.
enum JobControl {
    /// Posts `/jobs/{id}/<verb>` for `id`, or for every job in `state` (an input error naming `none` when
    /// there is none), and prints each job as it is afterwards.
    static func send(_ verb: String, to id: String?, everyJobIn state: JobState, none: String,
                     client: DaemonClient) throws {
        var ids: [String] = []
        if let id {
            ids = [id]
        } else {
            ids = try client.call("GET", "/jobs?state=\(state.rawValue)", as: JobList.self).jobs.map(\.id)
            if ids.isEmpty { throw InputError(none) }
        }
        for id in ids {
            print(try client.call("POST", "/jobs/\(id)/\(verb)", json: [:], as: JobSnapshot.self).line)
        }
    }
}
