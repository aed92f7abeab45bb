import Foundation

/// The SVG bar chart of success rate by task group that `results.md` shows.
public enum EvalChart {
    /// The chart's file name in the results folder.
    public static let fileName = "success-by-group.svg"

    /// A self-contained SVG: one horizontal bar per group (passed attempts over attempts), then the total.
    public static func render(_ results: EvalResults) -> String {
        let rows = results.groups.map { ($0.group, $0.totals) } + [("all tasks", results.totals)]
        let labelWidth = 170, barWidth = 360, rowHeight = 28, top = 44
        let width = labelWidth + barWidth + 150
        let height = top + rows.count * rowHeight + 16
        var svg: [String] = []
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"13\">")
        svg.append("<title>Success rate by task group: \(xml(results.suite))</title>")
        svg.append("<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>")
        svg.append("<text x=\"10\" y=\"24\" font-size=\"15\" font-weight=\"bold\">Success rate by group (\(results.mode.rawValue), \(results.repeat) attempt\(results.repeat == 1 ? "" : "s") per task)</text>")
        for (i, row) in rows.enumerated() {
            let (name, t) = row
            let y = top + i * rowHeight
            let filled = Int((Double(barWidth) * t.successRate).rounded())
            let color = t.successRate >= 1 ? "#2e7d32" : (t.successRate >= 0.5 ? "#f9a825" : "#c62828")
            let weight = i == rows.count - 1 ? " font-weight=\"bold\"" : ""
            svg.append("<text x=\"\(labelWidth - 8)\" y=\"\(y + 17)\" text-anchor=\"end\"\(weight)>\(xml(name))</text>")
            svg.append("<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(barWidth)\" height=\"\(rowHeight - 8)\" fill=\"#eeeeee\"/>")
            if filled > 0 {
                svg.append("<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(filled)\" height=\"\(rowHeight - 8)\" fill=\"\(color)\"><title>\(xml(name)): \(t.passedRuns) of \(t.runs) attempts passed</title></rect>")
            }
            svg.append("<text x=\"\(labelWidth + barWidth + 8)\" y=\"\(y + 17)\"\(weight)>\(EvalMarkdown.percent(t.successRate)) (\(t.passedRuns)/\(t.runs))</text>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    static func xml(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
