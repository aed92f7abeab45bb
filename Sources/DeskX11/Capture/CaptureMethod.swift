/// How pixels are read from the X server.
public enum CaptureMethod: String, Sendable, Codable {
    /// MIT-SHM: the server copies into shared memory; one round trip, no pixels on the socket.
    case shm
    /// Core GetImage: pixels travel over the socket (about 25x slower at 1080p); works remotely.
    case getImage = "get_image"
}
