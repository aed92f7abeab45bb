/// The version every command, trace and report names.
public enum DeskpilotVersion {
    public static let current = "0.1.0"
}
