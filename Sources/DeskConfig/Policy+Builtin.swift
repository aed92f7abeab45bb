import DeskCore

extension Policy {
    /// The compiled-in `default` policy (identical to `policies/default.yaml`): runs driven by a model or a task.
    public static var builtinDefault: Policy {
        get throws(ConfigError) { try PolicyLoader.builtin(named: "default") }
    }

    /// The compiled-in `strict` policy (identical to `policies/strict.yaml`): allow-list style.
    public static var builtinStrict: Policy {
        get throws(ConfigError) { try PolicyLoader.builtin(named: "strict") }
    }

    /// The compiled-in `permissive` policy (identical to `policies/permissive.yaml`): `act` and trusted scripts.
    public static var builtinPermissive: Policy {
        get throws(ConfigError) { try PolicyLoader.builtin(named: "permissive") }
    }
}
