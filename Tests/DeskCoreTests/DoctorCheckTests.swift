import DeskCore
import Testing

/// `deskpilot doctor`'s lines: status, name, finding, fix; only a failed required check changes the exit.
@Suite("doctor checks")
struct DoctorCheckTests {
    @Test func doctorLinesCarryTheFixAndOnlyRequiredFailuresBlock() {
        let missing = DoctorCheck(name: "xvfb", status: .fail, required: true, detail: "Xvfb not found", fix: "apt install xvfb")
        #expect(missing.line == "FAIL  xvfb        Xvfb not found → apt install xvfb")
        #expect(missing.blocks)
        let optional = DoctorCheck(name: "tesseract", status: .fail, required: false, detail: "no data")
        #expect(optional.line == "fail  tesseract   no data")
        #expect(!optional.blocks)
        #expect(!DoctorCheck(name: "mit-shm", status: .warn, required: false, detail: "missing").blocks)
    }
}
