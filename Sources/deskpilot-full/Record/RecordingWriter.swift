import DeskAgent
import DeskCore
import DeskGrounding
import DeskImaging
import DeskRuntime
import DeskX11
import Foundation

/// Turns a finished recording into a task file (targets named in words, waits where the screen changed)
/// and a trace in the same layout a run writes.
struct RecordingWriter {
    let taskURL: URL
    let traceParent: String
    let started: Date
    let display: String
    /// Commands started with `--launch`, and the class of the window each opened.
    let launched: [(command: String, windowClass: String?)]
    /// The accessibility tree's walks during the recording (empty without a bus).
    var walks: [TreeSnapshots.Walk] = []
    /// The private desktop the recording ran on (`--headless --desktop`), written as the task's `desktop:`.
    var desktop: DesktopChoice?

    struct Outcome {
        var summary: String
        var secretNames: [String]
    }

    func write(_ recording: DemonstrationRecorder.Recording) throws -> Outcome {
        var builder = DemonstrationBuilder()
        var pressTimes: [Int: Double] = [:]
        for event in recording.events {
            switch event {
            case .key(var key):
                // What goes into a password field is a secret, whatever window it is in.
                if !key.secret, walks.passwordFocused(around: key.time) { key.secret = true }
                builder.add(.key(key))
            case .press(_, _, let time, let site, _):
                pressTimes[site] = time
                builder.add(event)
            case .release:
                builder.add(event)
            }
        }
        let recorded = builder.finish()
        var namer = RecordedTargetNamer(locator: TextLocator(), taskPath: taskURL)
        var named: [(step: NamedStep, frame: Frame?)] = []
        var previous: DesktopSnapshot?
        let startClasses = Set(recording.snapshots.min { $0.key < $1.key }?.value.windows.map(\.className) ?? [])
            .union(launched.compactMap(\.windowClass))
        var previousClass: String?
        var secrets = 0

        func pointer(site: Int, at point: Point) -> (RecordedTarget, DesktopSnapshot?) {
            let snapshot = recording.snapshots[site]
            let tree = pressTimes[site].flatMap { walks.tree(before: $0) }
            let target = namer.name(point, on: snapshot, tree: tree)
            if let snapshot, let window = snapshot.window(at: point) {
                if window.className != previousClass, !startClasses.contains(window.className), !window.className.isEmpty {
                    named.append((.waitForWindow(className: window.className), nil))
                }
                previousClass = window.className
            }
            // The first pointer action waits too: what it aims at may be drawn only after the keys typed
            // before it (a calculator's display), and replay types faster than a person.
            if let snapshot, previous.map({ Self.changed($0.frame, snapshot.frame) }) ?? true {
                if case .text(let text) = target {
                    named.append((.waitForText(text), nil))
                } else if case .element(let role, let name) = target {
                    named.append((.waitForElement(role: role, name: name), nil))
                } else {
                    named.append((.waitForStable(milliseconds: 300), nil))
                }
            }
            if let snapshot { previous = snapshot }
            return (target, snapshot)
        }

        for step in recorded {
            switch step {
            case .click(let site, let at, let button, let count):
                let (target, snapshot) = pointer(site: site, at: at)
                named.append((.click(target, button: button, count: count), snapshot?.frame))
            case .drag(let site, let from, let to, let button):
                let (start, snapshot) = pointer(site: site, at: from)
                let end = namer.name(to, on: snapshot, tree: pressTimes[site].flatMap { walks.tree(before: $0) })
                named.append((.drag(from: start, to: end, button: button), snapshot?.frame))
            case .scroll(let site, let at, let direction, let notches):
                let (target, snapshot) = pointer(site: site, at: at)
                named.append((.scroll(target, direction: direction, notches: notches), snapshot?.frame))
            case .type(let text, let secret):
                if secret {
                    secrets += 1
                    named.append((.type("", secretName: "RECORDED_\(secrets)"), nil))
                } else {
                    named.append((.type(text, secretName: nil), nil))
                }
            case .key(let chord):
                named.append((.key(chord), nil))
            }
        }

        let name = taskURL.deletingPathExtension().lastPathComponent
        let usesTree = named.contains { item in
            Self.targets(item.step)?.contains { if case .element = $0 { true } else { false } } ?? false
        }
        let writer = RecordedTaskWriter(
            name: name, screen: recording.screen, desktop: (desktop.flatMap { $0.isBare ? nil : $0 } ?? (usesTree ? .openbox : nil))?.description,
            launches: launched.map(\.command),
            windowWaits: launched.compactMap(\.windowClass),
            steps: named.map(\.step),
            comment: "Recorded by deskpilot record on \(display) at \(TraceCoding.formatTime(started)).")
        do {
            try Data(writer.text().utf8).write(to: taskURL, options: .atomic)
        } catch {
            throw InputError("cannot write \(taskURL.path): \(error.localizedDescription)")
        }
        let traceDirectory = try writeTrace(named, screen: recording.screen)
        let pointerSteps = named.map(\.step).compactMap(Self.targets).flatMap { $0 }
        let semantic = pointerSteps.filter(\.isSemantic).count
        var kinds: [String: Int] = [:]
        for target in pointerSteps { kinds[target.kind, default: 0] += 1 }
        let kindText = kinds.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let summary = "recorded \(recorded.count) actions as \(named.count) steps (targets: \(kindText.isEmpty ? "none" : kindText); \(semantic) in words) → \(taskURL.path); trace: \(traceDirectory)"
        return Outcome(summary: summary, secretNames: writer.secretNames)
    }

    static func targets(_ step: NamedStep) -> [RecordedTarget]? {
        switch step {
        case .click(let t, _, _), .scroll(let t, _, _): [t]
        case .drag(let a, let b, _): [a, b]
        default: nil
        }
    }

    /// True when more than a few pixels differ (sampled every 4th pixel of every 4th row).
    static func changed(_ a: Frame, _ b: Frame) -> Bool {
        guard a.width == b.width, a.height == b.height, a.format == b.format else { return true }
        let bpp = a.format.bytesPerPixel
        var differing = 0
        for y in stride(from: 0, to: a.height, by: 4) {
            for x in stride(from: 0, to: a.width, by: 4) {
                let i = y * a.stride + x * bpp
                if a.pixels[i] != b.pixels[i] || a.pixels[i + 1] != b.pixels[i + 1] || a.pixels[i + 2] != b.pixels[i + 2] {
                    differing += 1
                    if differing > 8 { return true }
                }
            }
        }
        return false
    }

    /// The demonstration as a trace: one step per task step, with the screen from before each pointer action.
    private func writeTrace(_ steps: [(step: NamedStep, frame: Frame?)], screen: Size) throws -> String {
        let trace = try TraceRecorder(parent: traceParent)
        try trace.record(.runStart(RunStartEvent(
            runID: trace.runID.rawValue, time: started, kind: .recording, command: CommandLine.arguments,
            task: taskURL.path, screen: screen, policy: "none (recording)", dryRun: false,
            deskpilotVersion: Deskpilot.version, display: display)))
        for (index, item) in steps.enumerated() {
            let number = index + 1
            let text = RecordedTaskWriter.yaml(item.step)
            var frame: String?
            if let image = item.frame, let png = try? PNGCodec.encode(image) {
                frame = try trace.writeFrame(step: number, png: png)
            }
            try trace.record(.step(StepEvent(
                step: number, time: Date(), frame: frame,
                actions: [TraceAction(index: 0, action: nil, description: text, executed: true)],
                source: text)))
        }
        try trace.record(.runEnd(RunEndEvent(time: Date(), status: .succeeded, reason: "recorded \(steps.count) steps",
                                             steps: steps.count, durationS: Date().timeIntervalSince(started))))
        try trace.finish()
        return trace.directory.path
    }
}
