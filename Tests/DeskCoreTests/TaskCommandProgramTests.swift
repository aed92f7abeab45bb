import DeskCore
import Testing

/// Which program a setup command starts, known without running a shell.
@Suite struct TaskCommandProgramTests {
    func shell(_ text: String) -> TaskCommand { .shell(TaskText(text)) }

    @Test func argvAndPlainShellStringsNameTheirProgram() {
        #expect(TaskCommand.argv([TaskText("mousepad"), TaskText("/tmp/a.txt")]).programName == "mousepad")
        #expect(shell("mousepad /tmp/a.txt").programName == "mousepad")
        #expect(shell("HOME=/tmp/h LANG=C galculator").programName == "galculator")
        #expect(shell("exec env -i setsid featherpad x.txt").programName == "featherpad")
        #expect(shell("/usr/bin/soffice --calc").programName == "/usr/bin/soffice")
    }

    @Test func shellConstructsAreNotGuessed() {
        #expect(shell("cd /tmp && mousepad").programName == nil)
        #expect(shell("$EDITOR file").programName == nil)
        #expect(shell("echo hi > /tmp/x").programName == nil)
        #expect(shell("'my app' --flag").programName == nil)
        #expect(shell("for i in 1 2; do :; done").programName == nil)
    }
}
