import DeskCore
import DeskModels

/// libFuzzer entry: every dialect's parser must return a result or a located error for any bytes,
/// never crash, never produce a non-finite point, and every parsed point must either map to the screen
/// or be refused with an error.
@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let length = text.count
    let screen = Rect(x: 1920, y: 0, width: 1920, height: 1080)
    for dialect in DialectRegistry.builtIn {
        switch dialect.parse(text) {
        case .success(let answer):
            guard let mapping = try? dialect.mapping(screen: screen, sentImage: screen.size) else { fatalError("mapping") }
            for action in answer.actions {
                for p in action.points where !(p.x.isFinite && p.y.isFinite) { fatalError("non-finite point \(p)") }
                if let mapped = try? mapping.toScreen(action) {
                    for q in mapped.points where !screen.contains(q) { fatalError("mapped off screen: \(q)") }
                }
            }
        case .failure(let error):
            if error.line < 1 || error.column < 1 || error.offset < 0 || error.offset > length || error.message.isEmpty {
                fatalError("bad error location: \(error)")
            }
        }
    }
    // smartResize and the history planner on sizes taken from the first bytes.
    if size >= 4 {
        let w = Int(data[0]) << 4 | Int(data[1]) & 0x0F, h = Int(data[2]) << 4 | Int(data[3]) & 0x0F
        if let s = try? SmartResize.uiTars15.resize(Size(width: w, height: h)),
           s.width % 28 != 0 || s.height % 28 != 0 || s.width <= 0 || s.height <= 0 {
            fatalError("smartResize \(w)x\(h) → \(s)")
        }
        let steps = (0..<Int(data[0] % 9)).map { HistoryStep(step: $0 + 1, captureTime: UInt64($0), size: Size(width: max(1, w), height: max(1, h))) }
        let budget = Int(data[2]) * 40
        let plan = HistoryPlanner(rule: .tokenBudget(budget)).plan(steps: steps)
        if plan.withinBudget, plan.totalTokens > budget { fatalError("budget exceeded") }
    }
    return 0
}
