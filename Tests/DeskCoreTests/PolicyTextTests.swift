import Testing
@testable import DeskCore

@Suite("Policy text normalisation and redaction")
struct PolicyTextTests {
    static let disguised: [(String, String)] = [
        ("ｒｍ －ｒｆ", "rm -rf"),                    // fullwidth
        ("RM -RF", "rm -rf"),
        ("ѕudo", "sudo"),                            // Cyrillic dze
        ("ЅUDО", "sudo"),                            // Cyrillic capitals
        ("rm \u{2212}rf", "rm -rf"),                 // minus sign
        ("rm \u{2014}rf", "rm -rf"),                 // em dash
        ("r\u{200B}m -r\u{200D}f", "rm -rf"),        // zero-width space and joiner
        ("rm\u{00A0}-rf", "rm -rf"),                 // no-break space
        ("mkf\u{0455}", "mkfs"),
        ("ｓｕｄｏ", "sudo"),
        ("ΑΒΕ", "abe"),                              // Greek capitals
        ("curl x ｜ sh", "curl x | sh"),
        ("su\u{0301}do", "sudo"),                    // combining accent
        ("ﬁle", "file"),                             // ligature
    ]

    @Test(arguments: disguised)
    func foldsLookAlikes(_ example: (String, String)) {
        #expect(TextNormalizer.normalize(example.0) == example.1)
    }

    @Test func leavesPlainTextAlone() {
        #expect(TextNormalizer.normalize("echo hello > out.txt\n") == "echo hello > out.txt\n")
    }

    @Test func redactsSecretsLongestFirstAndPatterns() throws {
        let redactor = Redactor(patterns: [try PolicyRegex(#"\bsk-[a-z0-9]{8,}"#)], secrets: ["hunter2", "hunter2-extra", ""])
        #expect(redactor.redact("pw hunter2-extra and hunter2") == "pw [redacted] and [redacted]")
        #expect(redactor.redact("key SK-ABCDEF123456 ok") == "key [redacted] ok")
        #expect(redactor.redact("nothing here") == "nothing here")
        #expect(redactor.wouldRedact("a hunter2 b"))
        #expect(!redactor.wouldRedact("hunter"))
        #expect(redactor.secrets == ["hunter2-extra", "hunter2"])
    }

    @Test func redactorAddsSecretsWithoutDuplicates() {
        let redactor = Redactor(secrets: ["a1"]).adding(secrets: ["a1", "b22"])
        #expect(redactor.secrets == ["b22", "a1"])
        #expect(redactor.redact("a1 b22") == "[redacted] [redacted]")
    }

    @Test func replacementIsLiteral() throws {
        let redactor = Redactor(patterns: [try PolicyRegex("x(y)")])
        #expect(redactor.redact("axyb $1") == "a[redacted]b $1")
    }

    @Test func badRegexSaysWhy() {
        #expect(throws: PolicyError.self) { try PolicyRegex("a(b") }
        do {
            _ = try PolicyRegex("a(b")
        } catch {
            #expect(error.message.contains("a(b"))
            #expect(error.exitStatus == .usage)
        }
        #expect(throws: PolicyError.self) { try PolicyRegex("") }
    }

    @Test func regexCaseModes() throws {
        #expect(try PolicyRegex("abc").matches("xABCx"))
        #expect(try !PolicyRegex("abc", caseInsensitive: false).matches("xABCx"))
        #expect(try PolicyRegex("^b", caseInsensitive: false).matches("a\nb"), "anchors match at line starts")
    }
}
