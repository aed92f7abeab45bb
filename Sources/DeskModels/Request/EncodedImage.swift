import DeskCore
import Foundation

/// An image ready to send: encoded bytes (PNG or JPEG) and their pixel size.
///
/// DeskModels never decodes or resizes pixels (that is DeskImaging's job, with C libraries); the
/// caller encodes at the size the history plan asks for.
public struct EncodedImage: Sendable, Hashable {
    public var data: Data
    public var size: Size
    /// `image/png` or `image/jpeg`.
    public var mimeType: String

    public init(data: Data, size: Size, mimeType: String = "image/png") {
        self.data = data
        self.size = size
        self.mimeType = mimeType
    }

    /// `data:image/png;base64,…`
    public var dataURL: String { "data:\(mimeType);base64,\(data.base64EncodedString())" }
}
