import DeskAgent
import DeskCore
import DeskTesting
import Foundation
import Testing
import DeskTestSupport

/// `deskpilot eval` and `deskpilot replay` end to end: the real binary, real Xvfb servers, real apps.
@Suite(.serialized, .enabled(if: EndToEnd.available, "needs Xvfb and the built deskpilot binaries"), .ownThread)
struct EvalEndToEndTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A fixture window the tasks below click, on a screen size no other test uses (to find leftovers).
    static func fixtureSetup(screen: String) -> String {
        """
        screen: \(screen)
        setup:
          - launch: [deskpilot-fixture, --log, "${env:DESKPILOT_SCRATCH}/f.log", --geometry, 400x300+0+0]
          - wait_for: {window: {class: DeskpilotFixture}, timeout: 10s}
        """
    }

    static let clickOK = """
        steps:
          - click: {in_window: {class: DeskpilotFixture, at: [100, 140]}}
        """

    static func expectLog(_ label: String) -> String {
        """
        checks:
          - file_matches: {path: "${env:DESKPILOT_SCRATCH}/f.log", regex: '"label":"\(label)"'}
        """
    }

    static func writeSuite(_ tasks: [String: String]) throws -> String {
        let dir = try temporaryFolder() + "/suite"
        for (id, yaml) in tasks {
            let path = dir + "/" + id + ".yaml"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return dir
    }

    static func xvfbs(screen: String) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { entry in
            guard Int32(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return false }
            let text = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return text.hasPrefix("Xvfb") && text.contains(" \(screen)x24 ")
        }.count
    }

    static func uniqueScreen() -> String { "\(700 + Int.random(in: 1...300))x\(500 + Int.random(in: 1...200))" }

    /// Checks the way they read in both runs: the scratch folders differ from run to run.
    static func comparable(_ task: EvalTaskResult) -> String {
        let checks = task.runs.flatMap(\.checks).map { check in
            let name = check.name.replacingOccurrences(of: #"/[^ ]*deskpilot-eval-[^ ]*/"#, with: "<scratch>/",
                                                       options: .regularExpression)
            return "\(name)=\(check.outcome.rawValue)"
        }
        return "\(task.id) \(task.status.rawValue) \(task.runs.map(\.status.rawValue)) steps \(task.runs.map(\.steps)) \(checks)"
    }

    @Test func brokenTasksFailAloneAndResultsValidate() async throws {
        let screen = Self.uniqueScreen()
        let setup = Self.fixtureSetup(screen: screen)
        let suite = try Self.writeSuite([
            "good/pass": "goal: Press OK.\n\(setup)\n\(Self.clickOK)\n\(Self.expectLog("OK"))",
            "bad/check-fails": "goal: Press Cancel.\n\(setup)\n\(Self.clickOK)\n\(Self.expectLog("Cancel"))",
            "bad/setup-fails": """
                goal: Nothing.
                screen: \(screen)
                setup:
                  - "exit 7"
                steps:
                  - wait: 100ms
                checks:
                  - file_exists: /nonexistent
                """,
            // The app under test dies a second after it started; the click then finds no window.
            "bad/app-crashes": """
                goal: Press OK before the app dies.
                screen: \(screen)
                setup:
                  - launch: [sh, -c, 'deskpilot-fixture --log "$DESKPILOT_SCRATCH/f.log" --geometry 400x300+0+0 & sleep 1; kill -KILL $!; wait']
                  - wait_for: {window: {class: DeskpilotFixture}, timeout: 10s}
                steps:
                  - wait: 2s
                \(Self.clickOK.split(separator: "\n").dropFirst().joined(separator: "\n"))
                \(Self.expectLog("OK"))
                """,
            // The task's own X server is killed (it is a child of the run, the setup command's parent).
            "bad/xvfb-killed": "goal: Press OK.\n\(setup)\n  - \"pkill -KILL -P $PPID -x Xvfb\"\n\(Self.clickOK)\n\(Self.expectLog("OK"))",
            // deskpilot run itself is killed.
            "bad/run-killed": """
                goal: Nothing.
                screen: \(screen)
                setup:
                  - "kill -KILL $PPID"
                steps:
                  - wait: 100ms
                checks:
                  - file_exists: /nonexistent
                """,
            "bad/hangs": "goal: Wait.\nscreen: \(screen)\nsteps:\n  - wait: 60s\nchecks:\n  - file_exists: /nonexistent\n",
            "good/pass-too": "goal: Press OK.\n\(setup)\n\(Self.clickOK)\n\(Self.expectLog("OK"))",
        ])
        let out = try temporaryFolder() + "/out"
        let result = try await EndToEnd.run(["eval", suite, "--parallel", "2", "--task-timeout", "12s", "--out", out],
                                            timeout: 180)
        #expect(result.status == 1, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let results = try EvalResultsStore.read(out)
        let status = Dictionary(uniqueKeysWithValues: results.tasks.map { ($0.id, $0.status) })
        #expect(status == [
            "good/pass": .passed, "good/pass-too": .passed, "bad/check-fails": .failed, "bad/setup-fails": .setupFailed,
            "bad/app-crashes": .failed, "bad/xvfb-killed": .error, "bad/run-killed": .crashed, "bad/hangs": .timeout,
        ], "stderr: \(result.stderr)")
        let byID = Dictionary(uniqueKeysWithValues: results.tasks.map { ($0.id, $0) })
        #expect(byID["bad/check-fails"]?.runs.first?.checks.map(\.outcome) == [.failed])
        #expect(byID["bad/check-fails"]?.runs.first?.error?.contains("check failed") == true)
        #expect(byID["bad/setup-fails"]?.runs.first?.checks.map(\.outcome) == [.notRun])
        #expect(byID["bad/setup-fails"]?.runs.first?.error?.contains("exited with 7") == true)
        #expect(byID["bad/run-killed"]?.runs.first?.error?.contains("SIGKILL") == true)
        #expect(byID["bad/hangs"]?.runs.first?.exitCode == nil)
        #expect(byID["good/pass"]?.runs.first?.checks.map(\.outcome) == [.passed])
        #expect(results.groups.map(\.group) == ["bad", "good"])
        #expect(results.totals.passedTasks == 2)

        // Every attempt left its output where the results say.
        for task in results.tasks {
            let run = try #require(task.runs.first)
            let log = try #require(run.log)
            #expect(FileManager.default.fileExists(atPath: out + "/" + log), "\(task.id): no \(log)")
            if task.status == .passed {
                let trace = try #require(run.trace)
                #expect(FileManager.default.fileExists(atPath: out + "/" + trace + "/trace.jsonl"))
            }
        }
        // The three result files, the JSON as the documented schema says.
        let md = try String(contentsOfFile: out + "/results.md", encoding: .utf8)
        for id in status.keys { #expect(md.contains("| \(id) |")) }
        #expect(FileManager.default.fileExists(atPath: out + "/success-by-group.svg"))
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: out + "/results.json")))
        let errors = SchemaValidator(root: try EvalSchemaTests.schema()).validate(json)
        #expect(errors.isEmpty, "\(errors)")
        // The progress line reports every attempt.
        #expect(result.stderr.contains("[8/8]"))
        // No private X server outlived its task.
        #expect(Self.xvfbs(screen: screen) == 0)
    }

    @Test func mergedShardsEqualTheUnshardedRun() async throws {
        let setup = Self.fixtureSetup(screen: Self.uniqueScreen())
        let suite = try Self.writeSuite([
            "a/ok": "goal: OK.\n\(setup)\n\(Self.clickOK)\n\(Self.expectLog("OK"))",
            "a/wrong": "goal: Cancel.\n\(setup)\n\(Self.clickOK)\n\(Self.expectLog("Cancel"))",
            "b/ok": "goal: OK.\n\(setup)\n\(Self.clickOK)\n\(Self.expectLog("OK"))",
            "b/no-setup": "goal: x.\nsetup:\n  - \"false\"\nsteps:\n  - wait: 10ms\nchecks:\n  - file_exists: /nonexistent\n",
            "c/ok": "goal: OK.\n\(setup)\n\(Self.clickOK)\n\(Self.expectLog("OK"))",
        ])
        let root = try temporaryFolder()
        let whole = try await EndToEnd.run(["eval", suite, "--parallel", "2", "--out", root + "/whole", "-q"], timeout: 120)
        #expect(whole.status == 1, "\(whole.stderr)")
        for i in 0..<2 {
            let shard = try await EndToEnd.run(["eval", suite, "--shard", "\(i)/2", "--out", root + "/shard-\(i)", "-q"],
                                               timeout: 120)
            #expect(shard.status == 1, "\(shard.stderr)")
        }
        let merge = try await EndToEnd.run(["eval", "--merge", root + "/merged", root + "/shard-1", root + "/shard-0"])
        #expect(merge.status == 1, "\(merge.stderr)")
        #expect(merge.stdout.contains("3/5 tasks passed"))

        let a = try EvalResultsStore.read(root + "/whole")
        let s0 = try EvalResultsStore.read(root + "/shard-0")
        let s1 = try EvalResultsStore.read(root + "/shard-1")
        let merged = try EvalResultsStore.read(root + "/merged")
        // The shards partition the suite ...
        #expect(Set(s0.tasks.map(\.id)).isDisjoint(with: s1.tasks.map(\.id)))
        #expect(Set(s0.tasks.map(\.id)).union(s1.tasks.map(\.id)) == Set(a.tasks.map(\.id)))
        #expect(s0.shard == (try EvalShard(index: 0, count: 2)))
        // ... and their merge reads like the unsharded run.
        #expect(merged.tasks.map(Self.comparable) == a.tasks.map(Self.comparable))
        #expect(merged.totals.passedTasks == a.totals.passedTasks)
        #expect(merged.totals.runStatuses == a.totals.runStatuses)
        #expect(merged.groups.map(\.group) == a.groups.map(\.group))
        #expect(merged.missingShards == nil)
        #expect(merged.mergedFrom?.map(\.path).sorted() == ["../shard-0", "../shard-1"])
        // Trace paths were rebased onto the merged folder.
        for task in merged.tasks where task.status == .passed {
            let trace = try #require(task.runs.first?.trace)
            #expect(FileManager.default.fileExists(atPath: root + "/merged/" + trace + "/trace.jsonl"), "\(trace)")
        }
        // A missing shard makes a partial report, said so.
        let partial = try await EndToEnd.run(["eval", "--merge", root + "/partial", root + "/shard-0"])
        #expect(partial.stdout.contains("partial"))
        #expect(try EvalResultsStore.read(root + "/partial").missingShards == [1])
    }

    @Test(arguments: ["windows/focus-window", "calculator/keyboard-sum", "text/replace-line"])
    func replayOfARecordedRunPasses(task: String) async throws {
        let out = try temporaryFolder()
        let taskFile = Self.repository + "/tasks/suite/" + task + ".yaml"
        let eval = try await EndToEnd.run(["eval", taskFile, "--out", out, "-q"], timeout: 120)
        #expect(eval.status == 0, "\(eval.stdout)\n\(eval.stderr)")
        let results = try EvalResultsStore.read(out)
        let trace = try #require(results.tasks.first?.runs.first?.trace)

        let replays = try temporaryFolder()
        let replay = try await EndToEnd.run(["replay", out + "/" + trace, "--trace-dir", replays], timeout: 120)
        #expect(replay.status == 0, "stdout: \(replay.stdout)\nstderr: \(replay.stderr)")
        #expect(replay.stdout.contains("replaying"))
        let (_, events) = try EndToEnd.trace(in: replays)
        guard case .runStart(let start)? = events.first, case .runEnd(let end)? = events.last else {
            Issue.record("replay trace incomplete")
            return
        }
        #expect(start.kind == .replay)
        #expect(end.status == .succeeded)
        #expect(events.contains { if case .check(let c) = $0 { c.passed } else { false } })
        #expect(!events.contains { if case .check(let c) = $0 { !c.passed } else { false } })
    }

    @Test func replayNoticesABrokenRegression() async throws {
        // A recorded run of one task, replayed against a task whose check now expects something else.
        let setup = Self.fixtureSetup(screen: "1024x768")
        let suite = try Self.writeSuite(["t": "goal: OK.\n\(setup)\n\(Self.clickOK)\n\(Self.expectLog("OK"))"])
        let traces = try temporaryFolder()
        let run = try await EndToEnd.run(["run", suite + "/t.yaml", "--headless", "--trace-dir", traces])
        #expect(run.status == 0, "\(run.stderr)")
        try "goal: OK.\n\(setup)\n\(Self.clickOK)\n\(Self.expectLog("Cancel"))"
            .write(toFile: suite + "/t.yaml", atomically: true, encoding: .utf8)
        let (folder, _) = try EndToEnd.trace(in: traces)
        let replay = try await EndToEnd.run(["replay", folder, "--trace-dir", try temporaryFolder()])
        #expect(replay.status == 1, "\(replay.stdout)\n\(replay.stderr)")
        #expect(replay.stdout.contains("check failed"))
    }

    /// Agent mode: the goal goes to the model (the scripted steps, which would fail the checks, do not run);
    /// then the recorded answer is replayed with the model server gone.
    @Test func agentModeRunsGoalsAndItsTraceReplaysWithoutTheModel() async throws {
        let suite = try Self.writeSuite(["forms/ok": """
            goal: Press OK.
            screen: 1280x800
            setup:
              - launch: [deskpilot-fixture, --log, "${env:DESKPILOT_SCRATCH}/f.log", --geometry, 800x600+0+0]
              - wait_for: {window: {class: DeskpilotFixture}, timeout: 10s}
            steps:
              - click: {in_window: {class: DeskpilotFixture, at: [290, 140]}}
            checks:
              - file_matches: {path: "${env:DESKPILOT_SCRATCH}/f.log", regex: '"label":"OK"'}
              - not:
                  file_matches: {path: "${env:DESKPILOT_SCRATCH}/f.log", regex: '"label":"Cancel"'}
            """])
        let server = try await ScriptedModelServer.start(script: [
            .text("Thought: OK\nAction: click(start_box='<|box_start|>(101,142)<|box_end|>')"),
            .text("Thought: done\nAction: finished(content='pressed')"),
        ])
        let out = try temporaryFolder() + "/out"
        let eval = try await EndToEnd.run(["eval", suite, "--out", out, "--endpoint", server.baseURL.absoluteString,
                                           "--model", server.modelName, "--dialect", "ui-tars-1.5", "--timeout", "20s"],
                                          timeout: 120)
        let requests = await server.requests.count
        await server.stop()
        #expect(eval.status == 0, "stdout: \(eval.stdout)\nstderr: \(eval.stderr)")
        #expect(requests == 2)
        let results = try EvalResultsStore.read(out)
        #expect(results.mode == .agent)
        #expect(results.model?.model == server.modelName)
        #expect(results.model?.dialect == "ui-tars-1.5")
        #expect(results.tasks.first?.status == .passed)
        #expect(results.tasks.first?.runs.first?.steps == 2)

        let trace = try #require(results.tasks.first?.runs.first?.trace)
        let replays = try temporaryFolder()
        let replay = try await EndToEnd.run(["replay", out + "/" + trace, "--trace-dir", replays], timeout: 120)
        #expect(replay.status == 0, "stdout: \(replay.stdout)\nstderr: \(replay.stderr)")
        #expect(replay.stdout.contains("not replayed: step 2"))   // `finished` acts on nothing
    }

    @Test func usageMistakesExit2() async throws {
        let dir = try temporaryFolder()
        for args in [["eval"], ["eval", dir + "/missing"], ["eval", dir, "--shard", "2/2"], ["eval", dir, "--parallel", "0"],
                     ["eval", "--merge", dir + "/out"], ["eval", "--merge", dir + "/out", dir], ["replay", dir]] {
            let result = try await EndToEnd.run(args, timeout: 30)
            #expect(result.status == 2, "\(args): \(result.status) \(result.stderr)")
            #expect(!result.stderr.isEmpty)
        }
    }
}
