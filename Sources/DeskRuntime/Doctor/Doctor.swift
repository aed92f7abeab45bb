import DeskAgent
import DeskCore
import DeskModels
import DeskX11
import Foundation

/// The checks of `deskpilot doctor`: what a first run needs, each found or explained with its fix. Runs on
/// the real machine (the display, `PATH`, the file system, the buses, the model endpoint) and never starts
/// an X server itself; `--headless` users are covered by the Xvfb check.
public struct Doctor: Sendable {
    /// The display to check; nil means `$DISPLAY`.
    public var display: String?
    /// The environment programs are looked up in (`PATH`, `TESSDATA_PREFIX`, `DBUS_SESSION_BUS_ADDRESS`).
    public var environment: [String: String]
    /// The resolved model settings; an absent endpoint makes the model check a skip.
    public var model: ModelOptions?
    /// Why the model settings could not be resolved (a bad config line), reported as the model check.
    public var modelProblem: String?
    /// Where the helpers and data were found.
    public var layout: InstallLayout

    public init(display: String?, environment: [String: String], model: ModelOptions?, modelProblem: String? = nil,
                layout: InstallLayout) {
        self.display = display
        self.environment = environment
        self.model = model
        self.modelProblem = modelProblem
        self.layout = layout
    }

    /// Every check, in the order they are printed; `transport` carries the model endpoint's one request.
    public func run(transport: any HTTPTransport) async -> [DoctorCheck] {
        var checks = displayChecks()
        checks += xvfbChecks()
        checks.append(tesseractCheck())
        checks.append(accessibilityCheck())
        checks.append(installCheck())
        checks += await modelChecks(transport: transport)
        return checks
    }

    // MARK: display

    /// The display itself, then its extensions and keyboard layout (skipped when it cannot be opened).
    func displayChecks() -> [DoctorCheck] {
        let requested = display ?? environment["DISPLAY"].flatMap { $0.isEmpty ? nil : $0 }
        guard let requested else {
            let wayland = environment["WAYLAND_DISPLAY"].flatMap { $0.isEmpty ? nil : $0 }
            let detail = wayland.map { "no X display: DISPLAY is not set (Wayland session \($0) without Xwayland)" }
                ?? "no X display: DISPLAY is not set and no --display given"
            return [DoctorCheck(name: "display", status: .fail, required: true, detail: detail,
                                fix: "set DISPLAY (e.g. DISPLAY=:0) or pass --display :N; without a desktop, use --headless (package xvfb)"),
                    DoctorCheck(name: "extensions", status: .skip, required: true, detail: "no display to ask")]
        }
        let opened: X11Display
        do {
            opened = try X11Display(name: requested)
        } catch {
            return [DoctorCheck(name: "display", status: .fail, required: true,
                                detail: "\(requested): cannot connect (is an X server running there, and may this user connect?)",
                                fix: "start the X server, check XAUTHORITY (xhost/xauth), or use --headless (package xvfb)"),
                    DoctorCheck(name: "extensions", status: .skip, required: true, detail: "no display to ask")]
        }
        let size = opened.screenSize
        var checks = [DoctorCheck(name: "display", status: .ok, required: true,
                                  detail: "\(opened.name): \(size.width)x\(size.height)\(opened.isXwayland() ? ", Xwayland (X11 clients only)" : "")")]
        let present = Set(X11Display.reportedExtensions.filter { opened.hasExtension($0) })
        checks += Self.extensionChecks(present: present, display: opened.name)
        let keyboard = opened.keyboardDescription()
        checks.append(keyboard.layout.isEmpty
            ? DoctorCheck(name: "layout", status: .warn, required: false,
                          detail: "\(opened.name): no XKB layout named (_XKB_RULES_NAMES unset); characters outside the keymap are typed by remapping",
                          fix: "setxkbmap us (package x11-xkb-utils)")
            : DoctorCheck(name: "layout", status: .ok, required: false,
                          detail: "\(keyboard.layout)\(keyboard.variant.isEmpty ? "" : " (\(keyboard.variant))"), model \(keyboard.model), group \(keyboard.group)"))
        return checks
    }

    /// One line per extension deskpilot uses: XTEST is required (all input), the others have fallbacks.
    static func extensionChecks(present: Set<String>, display: String) -> [DoctorCheck] {
        let wanted: [(name: String, key: String, required: Bool, without: String)] = [
            ("XTEST", "xtest", true, "no input can be sent"),
            ("MIT-SHM", "mit-shm", false, "capture falls back to XGetImage (slower; also the case over ssh -X)"),
            ("XKEYBOARD", "xkb", false, "the keyboard layout and group are unknown to typing"),
            ("DAMAGE", "damage", false, "waits for a settled screen compare screenshots instead of listening"),
        ]
        let fix = "enable it in the X server (Xorg: Section \"Extensions\" in xorg.conf; Xvfb has all of them)"
        return wanted.map { e in
            present.contains(e.name)
                ? DoctorCheck(name: e.key, status: .ok, required: e.required, detail: "\(e.name) on \(display)")
                : DoctorCheck(name: e.key, status: e.required ? .fail : .warn, required: e.required,
                              detail: "\(e.name) missing on \(display): \(e.without)", fix: fix)
        }
    }

    // MARK: programs and data

    /// Xvfb for `--headless`, and `xkbcomp`, without which Xvfb starts with no keymap.
    func xvfbChecks() -> [DoctorCheck] {
        let path = environment["PATH"]
        let here = FileManager.default.currentDirectoryPath
        guard let xvfb = ProgramLookup.find("Xvfb", path: path, directory: here) else {
            return [DoctorCheck(name: "xvfb", status: .fail, required: true,
                                detail: "Xvfb not found on PATH (\(path ?? "unset")): --headless cannot start a private screen",
                                fix: "apt install xvfb")]
        }
        var checks = [DoctorCheck(name: "xvfb", status: .ok, required: true, detail: xvfb)]
        if ProgramLookup.find("xkbcomp", path: path, directory: here) == nil {
            checks.append(DoctorCheck(name: "xkbcomp", status: .fail, required: true,
                                      detail: "xkbcomp not found on PATH: Xvfb would start without a keyboard map",
                                      fix: "apt install x11-xkb-utils xkb-data"))
        }
        return checks
    }

    /// English Tesseract data, which `locate`, text targets and OCR checks need (nothing else does).
    func tesseractCheck() -> DoctorCheck {
        if let folder = TessdataLocation.find(language: "eng", environment: environment,
                                              exists: { FileManager.default.fileExists(atPath: $0) }) {
            return DoctorCheck(name: "tesseract", status: .ok, required: false, detail: "\(folder)/eng.traineddata")
        }
        let looked = TessdataLocation.candidates(environment: environment).joined(separator: ", ")
        return DoctorCheck(name: "tesseract", status: .warn, required: false,
                           detail: "no eng.traineddata in \(looked): text targets and `locate` cannot read the screen",
                           fix: "apt install tesseract-ocr-eng (or set TESSDATA_PREFIX)")
    }

    /// The helper folder (the fixture the example tasks start) and the data folder, with how they were found.
    func installCheck() -> DoctorCheck {
        let data = layout.policiesDirectory.map { ($0 as NSString).deletingLastPathComponent } ?? "unknown"
        let detail = "\(layout.origin.rawValue): helpers \(layout.helperDirectory), data \(data)"
        guard FileManager.default.isExecutableFile(atPath: layout.helperDirectory + "/deskpilot-fixture") else {
            return DoctorCheck(name: "install", status: .warn, required: false,
                               detail: detail + "; no deskpilot-fixture there (the example tasks start it)",
                               fix: "install the deskpilot package, or set \(InstallLayout.helperVariable) to the folder holding deskpilot-fixture")
        }
        return DoctorCheck(name: "install", status: .ok, required: false, detail: detail)
    }

    /// The AT-SPI bus of the session, which element targets (`role:`/`name:`) and `tree` read.
    func accessibilityCheck() -> DoctorCheck {
        let fix = "run inside a desktop session with at-spi2-core running, or use --headless --desktop openbox"
        guard let session = environment["DBUS_SESSION_BUS_ADDRESS"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            return DoctorCheck(name: "a11y-bus", status: .warn, required: false,
                               detail: "no session bus (DBUS_SESSION_BUS_ADDRESS unset): element targets fall back to OCR", fix: fix)
        }
        guard BusProbe.busAnswers(address: session, timeout: 2) else {
            return DoctorCheck(name: "a11y-bus", status: .warn, required: false,
                               detail: "the session bus \(session) does not answer", fix: fix)
        }
        guard let bus = BusProbe.accessibilityBusAddress(sessionBus: session, timeout: 2),
              BusProbe.accessibilityBusAnswers(address: bus, timeout: 2) else {
            return DoctorCheck(name: "a11y-bus", status: .warn, required: false,
                               detail: "the session bus answers but no accessibility bus does (org.a11y.Bus)",
                               fix: "apt install at-spi2-core")
        }
        return DoctorCheck(name: "a11y-bus", status: .ok, required: false, detail: bus)
    }

    // MARK: model

    /// The provider and endpoint, then one cheap request (`GET …/models`): any answer but 401/403 and 5xx
    /// counts. Required only when an endpoint is configured (then the user means to use it).
    func modelChecks(transport: any HTTPTransport) async -> [DoctorCheck] {
        if let modelProblem {
            return [DoctorCheck(name: "model", status: .fail, required: true, detail: modelProblem,
                                fix: "fix the model settings (flags, DESKPILOT_* variables, ~/.config/deskpilot/config.yaml)")]
        }
        guard let model, let endpoint = model.endpoint else {
            return [DoctorCheck(name: "model", status: .skip, required: false,
                                detail: "no endpoint configured (only goals and --agent need a model)",
                                fix: "pass --endpoint URL --model NAME, or set DESKPILOT_ENDPOINT and DESKPILOT_MODEL")]
        }
        let provider = (try? ProviderRegistry.named(model.provider)) ?? .openAIChat
        let url = Self.modelsURL(provider: provider, base: endpoint)
        var headers: [String: String] = [:]
        if let key = model.apiKey {
            if provider == .anthropic {
                headers["x-api-key"] = key
                headers["anthropic-version"] = "2023-06-01"
            } else {
                headers["Authorization"] = "Bearer \(key)"
            }
        }
        let named = "\(provider.name)\(model.model.map { ", model \($0)" } ?? ", no model name")"
        do {
            let response = try await transport.send(TransportRequest(url: url, method: "GET", headers: headers, timeout: 5))
            switch response.status {
            case 401, 403:
                return [DoctorCheck(name: "model", status: .fail, required: true,
                                    detail: "\(named): GET \(url.absoluteString) → HTTP \(response.status) (the key is refused)",
                                    fix: "set \(provider.keyVariables.joined(separator: " or ")) or pass --api-key-file")]
            case 500...:
                return [DoctorCheck(name: "model", status: .fail, required: true,
                                    detail: "\(named): GET \(url.absoluteString) → HTTP \(response.status)",
                                    fix: "check the model server's log")]
            default:
                let check = DoctorCheck(name: "model", status: model.model == nil ? .warn : .ok, required: true,
                                        detail: "\(named): GET \(url.absoluteString) → HTTP \(response.status)",
                                        fix: model.model == nil ? "pass --model NAME or set DESKPILOT_MODEL" : nil)
                return [check]
            }
        } catch {
            return [DoctorCheck(name: "model", status: .fail, required: true,
                                detail: "\(named): GET \(url.absoluteString): no answer (\(error))",
                                fix: "start the model server, or fix --endpoint / DESKPILOT_ENDPOINT")]
        }
    }

    /// `{base}/models` beside the provider's request path (`…/v1/chat/completions` → `…/v1/models`).
    static func modelsURL(provider: ModelProvider, base: URL) -> URL {
        var s = provider.url(for: base).absoluteString
        let tail = provider.pathAfterVersion?.path ?? provider.path
        if s.hasSuffix(tail) { s.removeLast(tail.count) }
        return URL(string: s + "/models") ?? base
    }
}
