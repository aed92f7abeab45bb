import DeskCore

/// Turns a screen region into the image Tesseract reads best: dark text on white, contrast stretched,
/// enlarged when the text is small, with a white border.
struct RegionPreparer: Sendable {
    /// Pixels of screen kept around the region's ink.
    var margin = 3
    /// The line height (in the enlarged image) Tesseract is given at least: 9–13 px screen text is enlarged
    /// about 1.5–2.2 times (measured on the labelled scenes: higher costs time without gaining accuracy).
    var targetLineHeight = 20.0
    /// Enlargements below this are not worth the extra pixels (Tesseract's cost grows with them, its
    /// accuracy on lines of 14 px and more does not): the text is read at its own size.
    var minimumScale = 1.45
    /// The largest enlargement.
    var maximumScale = 4.0
    /// White border around the prepared image, in its own pixels.
    var border = 10

    /// A prepared region: the image, how it maps back to the screen, and how to read it.
    struct Prepared: Sendable {
        /// What Tesseract reads: `normalized` enlarged by `scale`, with a white border.
        var image: GrayImage
        /// The crop with ink mapped to black and background to white, before enlarging.
        var normalized: GrayImage
        /// Where the crop came from, in the source image's pixels.
        var crop: Rect
        /// Prepared pixels per source pixel.
        var scale: Double
        var layout: OCREngine.Layout
        /// The region's line height in source pixels.
        var lineHeight: Int
        /// White border of `image`, in its own pixels.
        var border: Int
        /// Cache key: the prepared pixels and the layout.
        var key: UInt64

        /// `normalized` enlarged by `scale` (1 keeps it) with the white border.
        static func render(_ normalized: GrayImage, scale: Double, border: Int) -> GrayImage {
            var gray = normalized
            if scale > 1.05 {
                gray = gray.resized(width: Int((Double(gray.width) * scale).rounded()),
                                    height: Int((Double(gray.height) * scale).rounded()))
            }
            return gray.padded(by: border, fill: 255)
        }

        /// Maps a box in the pixels of an image rendered at `scale` back to crop pixels.
        func cropBox(_ box: Rect, scale: Double) -> Rect {
            let x0 = Double(box.x - border) / scale, y0 = Double(box.y - border) / scale
            let x1 = Double(box.maxX - border) / scale, y1 = Double(box.maxY - border) / scale
            let left = max(0, Int(x0.rounded(.down))), top = max(0, Int(y0.rounded(.down)))
            let right = min(crop.width, Int(x1.rounded(.up))), bottom = min(crop.height, Int(y1.rounded(.up)))
            return Rect(x: left, y: top, width: max(1, right - left), height: max(1, bottom - top))
        }
    }

    /// Prepares `region` of `image`, or `nil` when it has too little contrast to hold text.
    func prepare(_ region: TextRegion, of image: GrayImage) -> Prepared? {
        let bounds = Rect(x: 0, y: 0, width: image.width, height: image.height)
        let wanted = Rect(x: region.rect.x - margin, y: region.rect.y - margin,
                          width: region.rect.width + 2 * margin, height: region.rect.height + 2 * margin)
        guard let crop = wanted.intersection(bounds) else { return nil }
        var gray = image.cropped(to: crop)
        // Background: the most common level. Ink: the level farthest from it that is not a stray pixel.
        var histogram = [Int](repeating: 0, count: 256)
        for v in gray.pixels { histogram[Int(v)] += 1 }
        let background = histogram.indices.max { histogram[$0] < histogram[$1] } ?? 255
        let total = gray.pixels.count
        let tail = max(1, total / 200)
        var ink: Int
        if background >= 128 {
            var seen = 0
            ink = 0
            for v in 0..<256 { seen += histogram[v]; if seen >= tail { ink = v; break } }
        } else {
            var seen = 0
            ink = 255
            for v in stride(from: 255, through: 0, by: -1) { seen += histogram[v]; if seen >= tail { ink = v; break } }
        }
        let contrast = abs(background - ink)
        guard contrast >= 24 else { return nil }
        // Map ink to 0 and background to 255 whichever is lighter: light-on-dark text comes out inverted.
        var table = [UInt8](repeating: 0, count: 256)
        for v in 0..<256 {
            let t = Double(v - ink) / Double(background - ink)
            table[v] = UInt8(max(0, min(255, (t * 255).rounded())))
        }
        for i in gray.pixels.indices { gray.pixels[i] = table[Int(gray.pixels[i])] }
        var scale = min(maximumScale, max(1, targetLineHeight / Double(max(1, region.lineHeight))))
        if scale < minimumScale { scale = 1 }
        let prepared = Prepared.render(gray, scale: scale, border: border)
        let layout: OCREngine.Layout = region.isBlock ? .block : .line
        var key = prepared.digest
        key ^= region.isBlock ? 0x9E37_79B9_7F4A_7C15 : 0
        return Prepared(image: prepared, normalized: gray, crop: crop, scale: scale, layout: layout,
                        lineHeight: region.lineHeight, border: border, key: key)
    }
}
