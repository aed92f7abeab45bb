import DeskCore
@testable import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// The typing corpus, typed into the fixture app under several layouts, checked character for character;
/// after every string no key is down and the keymap is the one from before the test.
@Suite("Typing corpus", .ownThread)
struct TypingCorpusTests {
    @Test func corpusCoversTheRequiredScripts() {
        let all = TypingCorpus.all.joined()
        #expect(TypingCorpus.all.count >= 200)
        for c in ["<", ">", "|", "~", "^", "\\", "`", "'", "\"", "é", "ł", "ő", "ş", "λ", "ж", "日", "😀"] {
            #expect(all.contains(c), "corpus lacks \(c)")
        }
        #expect(Set(TypingCorpus.all).count == TypingCorpus.all.count, "corpus has duplicates")
    }

    @Test("corpus typed exactly", arguments: ["us", "de", "fr", "ru", "ru,us"])
    func corpusTypedExactly(layout: String) throws {
        let bed = try InputTestBed(layout: layout)
        var failures: [String] = []
        for text in TypingCorpus.all {
            let got = try bed.typeAndRead(text)
            if got != text { failures.append("\(text.debugDescription) arrived as \(got?.debugDescription ?? "nothing")") }
            let problems = try bed.leftovers()
            if !problems.isEmpty { failures.append("after \(text.debugDescription): \(problems.joined(separator: "; "))") }
            if failures.count > 10 { break }
        }
        #expect(failures.isEmpty, "\(layout): \(failures.joined(separator: "\n"))")
    }

    @Test("corpus pasted exactly", arguments: ["us", "ru"])
    func corpusPastedExactly(layout: String) throws {
        let bed = try InputTestBed(layout: layout)
        var failures: [String] = []
        for text in TypingCorpus.all {
            let got = try bed.typeAndRead(text, method: .paste)
            if got != text { failures.append("\(text.debugDescription) arrived as \(got?.debugDescription ?? "nothing")") }
            if failures.count > 10 { break }
        }
        #expect(failures.isEmpty, "\(layout): \(failures.joined(separator: "\n"))")
        #expect(try bed.leftovers() == [])
        #expect(bed.fixture.events(ofType: "paste").count == TypingCorpus.all.count)
    }
}
