import DeskCore

/// A failure to encode, decode or write an image. The message says what and where (the path, the PNG's
/// own complaint, the frame's size); bad input data and unwritable paths map to exit status 2.
public struct ImagingError: DeskError {
    /// The one line the CLI prints.
    public var message: String
    /// The exit status this error maps to (``ExitStatus/usage`` for bad data and paths).
    public var exitStatus: ExitStatus

    /// Creates an error; the default status is ``ExitStatus/usage`` because nearly every cause is the input.
    public init(_ message: String, exitStatus: ExitStatus = .usage) {
        self.message = message
        self.exitStatus = exitStatus
    }

    public var description: String { message }
}
