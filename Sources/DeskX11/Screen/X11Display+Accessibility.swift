import DeskCore
import Foundation

extension X11Display {
    /// The AT-SPI accessibility bus address the display advertises in the `AT_SPI_BUS` property of its root
    /// window (`at-spi-bus-launcher` sets it), or nil when no accessibility bus runs for it.
    public func accessibilityBusProperty() -> String? {
        guard let text = propertyString(root, "AT_SPI_BUS") else { return nil }
        let address = text.trimmingCharacters(in: CharacterSet(charactersIn: "\0 \n"))
        return address.isEmpty ? nil : address
    }
}
