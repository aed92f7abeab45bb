import DeskAgent
import DeskCore
import DeskModels
import DeskModelsURLSession
import DeskTesting
import Foundation
import Testing
import DeskTestSupport

/// The agent loop against the fake app and the scripted model server on loopback.
@Suite(.ownThread) struct LoopTests {
    /// Answers for: click OK (screen (150,120) on the 1000x800 fake screen), type "hello", finished.
    static let scripts: [(dialect: String, answers: [String])] = [
        ("ui-tars-1.0", ["Thought: press OK\nAction: click(start_box='(150,150)')",
                         "Thought: type\nAction: type(content='hello')",
                         "Thought: done\nAction: finished(content='all done')"]),
        ("ui-tars-1.5", ["Thought: press OK\nAction: click(start_box='<|box_start|>(151,122)<|box_end|>')",
                         "Thought: type\nAction: type(content='hello')",
                         "Thought: done\nAction: finished(content='all done')"]),
        ("seed", ["Thought: press OK\nAction: click(point='<point>150 150</point>')",
                  "Thought: type\nAction: type(content='hello')",
                  "Thought: done\nAction: finished(content='all done')"]),
        ("seed-xml", ["<seed:tool_call>\n<function=click>\n<parameter=point><point>150 150</point></parameter>\n</function>\n</seed:tool_call>",
                      "<seed:tool_call>\n<function=type>\n<parameter=content>hello</parameter>\n</function>\n</seed:tool_call>",
                      "<seed:tool_call>\n<function=finished>\n<parameter=content>all done</parameter>\n</function>\n</seed:tool_call>"]),
        ("qwen2.5-vl", ["<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": [151, 122]}}\n</tool_call>",
                        "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"type\", \"text\": \"hello\"}}\n</tool_call>",
                        "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"terminate\", \"status\": \"success\"}}\n</tool_call>"]),
    ]

    struct Harness {
        let app: FakeApp
        let server: ScriptedModelServer
        let loop: AgentLoop
        let reporter: CollectingReporter
    }

    static func harness(dialect name: String = "ui-tars-1.0", replies: [ScriptedReply],
                        configuration: AgentConfiguration = AgentConfiguration(), policy: Policy = Policy(name: "test"),
                        prompt: FakePrompt? = nil) async throws -> Harness {
        let app = FakeApp()
        let server = try await ScriptedModelServer.start(script: replies)
        let dialect = try DialectRegistry.named(name)
        var options = ModelOptions(endpoint: server.baseURL, model: server.modelName, dialect: name, timeout: 10)
        options.retry = RetryPolicy(maxRetries: 0)
        let client = try ModelClient(options: options)
        let executor = makeExecutor(app: app, policy: policy, prompt: prompt)
        let reporter = CollectingReporter()
        let loop = AgentLoop(configuration: configuration, dialect: dialect, client: client, executor: executor,
                             trace: .none(codec: FakeCodec()), reporter: reporter, redactor: Redactor())
        return Harness(app: app, server: server, loop: loop, reporter: reporter)
    }

    static func texts(_ answers: [String]) -> [ScriptedReply] { answers.map { .text($0) } }

    @Test(arguments: scripts.map(\.dialect))
    func multiStepGoalFinishesInEveryDialect(dialect: String) async throws {
        let answers = try #require(Self.scripts.first { $0.dialect == dialect }).answers
        for answer in answers {
            if case .failure(let e) = try DialectRegistry.named(dialect).parse(answer) {
                Issue.record("fixture answer does not parse in \(dialect): \(e)")
            }
        }
        let h = try await Self.harness(dialect: dialect, replies: Self.texts(answers))
        let outcome = await h.loop.run(goal: "press OK and type hello")
        await h.server.stop()
        #expect(outcome.ending == .finished)
        #expect(outcome.ending.exitStatus == .success)
        #expect(outcome.steps == 3)
        #expect(h.app.clicked == ["OK"])
        #expect(h.app.typed == "hello")
        #expect(await h.server.requests.count == 3)
        #expect(h.reporter.steps.map(\.action) == ["click", "type", "finished"])
        #expect(outcome.promptTokens == 300 && outcome.completionTokens == 60)
    }

    @Test func historyRepeatsEarlierAnswers() async throws {
        let h = try await Self.harness(replies: Self.texts(Self.scripts[0].answers))
        _ = await h.loop.run(goal: "g")
        await h.server.stop()
        let third = try #require(await h.server.requests.last).chatRequest()
        let assistant = third.messages.filter { $0.role == .assistant }.map(\.text)
        #expect(assistant.count == 2)
        #expect(assistant.first?.contains("click(start_box='(150,150)')") == true)
        #expect(third.imageURLs.count == 3)
    }

    @Test func callUserWithoutAPersonEndsWithExit5() async throws {
        let h = try await Self.harness(replies: Self.texts(["Action: call_user(content='Which file do you mean?')"]),
                                       prompt: FakePrompt(interactive: false))
        let outcome = await h.loop.run(goal: "g")
        await h.server.stop()
        #expect(outcome.ending == .callUser)
        #expect(outcome.ending.exitStatus == .needsUser)
        #expect(outcome.reason == "Which file do you mean?")
    }

    @Test func callUserAnsweredAtTheTerminalContinues() async throws {
        let prompt = FakePrompt(interactive: true, answers: ["the one on the desktop"])
        let h = try await Self.harness(replies: Self.texts(["Action: call_user(content='Which file?')",
                                                            "Action: finished(content='ok')"]), prompt: prompt)
        let outcome = await h.loop.run(goal: "g")
        await h.server.stop()
        #expect(outcome.ending == .finished)
        #expect(prompt.questions.first?.contains("Which file?") == true)
        let second = try #require(await h.server.requests.last).chatRequest()
        #expect(second.messages.last?.text.contains("the one on the desktop") == true)
    }

    @Test func infeasibleEndsWithExit1() async throws {
        let h = try await Self.harness(replies: Self.texts(["Action: infeasible(content='no such app')"]))
        let outcome = await h.loop.run(goal: "g")
        await h.server.stop()
        #expect(outcome.ending == .infeasible)
        #expect(outcome.ending.exitStatus == .failure)
        #expect(outcome.reason.contains("no such app"))
    }

    @Test func maxStepsStopsTheRun() async throws {
        let clicks = Array(repeating: "Action: click(start_box='(150,150)')", count: 5)
        let h = try await Self.harness(replies: Self.texts(clicks), configuration: AgentConfiguration(maxSteps: 3))
        let outcome = await h.loop.run(goal: "g")
        await h.server.stop()
        #expect(outcome.ending == .maxSteps)
        #expect(outcome.ending.exitStatus == .failure)
        #expect(await h.server.requests.count == 3)
        #expect(h.app.clicked.count == 3)
    }

    @Test func maxDurationStopsTheRun() async throws {
        let h = try await Self.harness(replies: Self.texts(["Action: click(start_box='(150,150)')"]),
                                       configuration: AgentConfiguration(maxDuration: 5))
        let outcome = await h.loop.run(goal: "g", startedAt: MonotonicClock.now() - 10)
        await h.server.stop()
        #expect(outcome.ending == .maxDuration)
        #expect(await h.server.requests.isEmpty)
    }

    @Test func tokenBudgetStopsTheRun() async throws {
        // Each answer reports 120 tokens: after three the 250-token budget is spent.
        let clicks = Array(repeating: "Action: click(start_box='(150,150)')", count: 6)
        let h = try await Self.harness(replies: Self.texts(clicks), configuration: AgentConfiguration(budgetTokens: 250))
        let outcome = await h.loop.run(goal: "g")
        await h.server.stop()
        #expect(outcome.ending == .tokenBudget)
        #expect(outcome.ending.exitStatus == .failure)
        #expect(await h.server.requests.count == 3)
        #expect(outcome.totalTokens == 360)
    }

    @Test func repeatedActionWithoutChangeWarnsThenStops() async throws {
        // (500,500) relative is (500,400) on screen: no button there, so nothing changes.
        let clicks = Array(repeating: "Action: click(start_box='(500,500)')", count: 8)
        let h = try await Self.harness(replies: Self.texts(clicks))
        let outcome = await h.loop.run(goal: "g")
        await h.server.stop()
        #expect(outcome.ending == .noProgress)
        #expect(outcome.ending.exitStatus == .failure)
        let requests = await h.server.requests
        try #require(requests.count == 5)
        let fourth = try requests[3].chatRequest()
        #expect(fourth.messages.last?.text.contains("the screen did not change") == true)
        let third = try requests[2].chatRequest()
        #expect(third.messages.last?.text.contains("the screen did not change") != true)
    }

    @Test func parseErrorIsSentBackAndRetried() async throws {
        let h = try await Self.harness(replies: Self.texts(["I think I should click somewhere",
                                                            "Action: click(start_box='(150,150)')",
                                                            "Action: finished(content='ok')"]))
        let outcome = await h.loop.run(goal: "g")
        await h.server.stop()
        #expect(outcome.ending == .finished)
        #expect(outcome.steps == 2)
        #expect(h.app.clicked == ["OK"])
        let retry = try #require(await h.server.requests.dropFirst().first).chatRequest()
        #expect(retry.messages.last?.text.contains("could not be parsed") == true)
        #expect(retry.messages.dropLast().last?.text == "I think I should click somewhere")
    }

    @Test func parseRetriesUsedUpEndTheRun() async throws {
        let h = try await Self.harness(replies: Self.texts(["nonsense 1", "nonsense 2", "nonsense 3", "Action: finished()"]))
        let outcome = await h.loop.run(goal: "g")
        await h.server.stop()
        #expect(outcome.ending == .parseFailure)
        #expect(outcome.ending.exitStatus == .failure)
        #expect(await h.server.requests.count == 3)
    }

    @Test func deniedActionIsReportedToTheModel() async throws {
        let policy = Policy(name: "no-typing", actions: ActionRules(deny: [.type]))
        let h = try await Self.harness(replies: Self.texts(["Action: type(content='rm -rf /')",
                                                            "Action: finished(content='ok')"]), policy: policy)
        let outcome = await h.loop.run(goal: "g")
        await h.server.stop()
        #expect(outcome.ending == .finished)
        #expect(h.app.typed.isEmpty)
        let second = try #require(await h.server.requests.last).chatRequest()
        #expect(second.messages.last?.text.contains("was not performed") == true)
        #expect(h.reporter.steps.first?.decision.hasPrefix("deny") == true)
    }

    @Test func deniedActionUnderAbortEndsWithExit4() async throws {
        let policy = Policy(name: "no-typing", actions: ActionRules(deny: [.type]), onViolation: .abort)
        let h = try await Self.harness(replies: Self.texts(["Action: type(content='x')", "Action: finished()"]),
                                       policy: policy)
        let outcome = await h.loop.run(goal: "g")
        await h.server.stop()
        #expect(outcome.ending == .policyAbort)
        #expect(outcome.ending.exitStatus == .policy)
        #expect(h.app.typed.isEmpty)
        #expect(await h.server.requests.count == 1)
    }

    @Test func badKeyNameIsFedBackNotFatal() async throws {
        let h = try await Self.harness(replies: Self.texts(["Action: hotkey(key='nonsense')", "Action: finished()"]))
        let outcome = await h.loop.run(goal: "g")
        await h.server.stop()
        #expect(outcome.ending == .finished)
        let second = try #require(await h.server.requests.last).chatRequest()
        // The policy reads the chord first and refuses it; either way the model hears about it.
        #expect(second.messages.last?.text.contains("nonsense") == true)
    }

    @Test func unreachableModelIsAnEnvironmentError() async throws {
        let app = FakeApp()
        var options = ModelOptions(endpoint: URL(string: "http://127.0.0.1:9/v1"), model: "m", dialect: "seed", timeout: 2)
        options.retry = RetryPolicy(maxRetries: 0)
        let loop = AgentLoop(configuration: AgentConfiguration(), dialect: try DialectRegistry.named("seed"),
                             client: try ModelClient(options: options), executor: makeExecutor(app: app),
                             trace: .none(codec: FakeCodec()), reporter: CollectingReporter(), redactor: Redactor())
        let outcome = await loop.run(goal: "g")
        #expect(outcome.ending == .environmentError)
        #expect(outcome.ending.exitStatus == .environment)
    }
}
