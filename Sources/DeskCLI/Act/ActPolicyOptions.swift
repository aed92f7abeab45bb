import ArgumentParser

/// `--policy` and `--yes` for every `act` command: `act` passes the same policy engine as a run, under the
/// `permissive` policy unless told otherwise.
struct ActPolicyOptions: ParsableArguments {
    @Option(name: .long, help: "Policy file, or default, strict, permissive (default: permissive).")
    var policy: String?

    @Flag(name: .long, help: "Approve the policy's confirmation gates without asking.")
    var yes = false

    /// The policy's name as given, or `permissive`.
    var reference: String { policy ?? "permissive" }
}
