@testable import DeskDaemon
import Testing
import DeskTestSupport

/// The request parser: framing, limits and malformed input, without sockets.
@Suite(.ownThread) struct HTTPParserTests {
    func parse(_ text: String, limits: HTTPRequestParser.Limits = .init()) throws(HTTPParseError) -> [HTTPRequestParser.Parsed] {
        var parser = HTTPRequestParser(limits: limits)
        parser.append(Array(text.utf8))
        var out: [HTTPRequestParser.Parsed] = []
        while let next = try parser.next() { out.append(next) }
        return out
    }

    @Test func aGetWithQueryAndHeaders() throws {
        let parsed = try parse("GET /jobs?state=running&x=a%20b HTTP/1.1\r\nHost: d\r\nX-Thing:  v \r\n\r\n")
        let r = try #require(parsed.first).request
        #expect(r.method == "GET" && r.path == "/jobs")
        #expect(r.query == ["state": "running", "x": "a b"])
        #expect(r.headers["x-thing"] == "v")
        #expect(parsed[0].keepAlive)
    }

    @Test func pipelinedRequestsWithBodiesComeOutInOrder() throws {
        let parsed = try parse("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(parsed.map(\.request.path) == ["/a", "/b"])
        #expect(parsed[0].request.bodyText == "abc")
        #expect(parsed[1].keepAlive == false)
    }

    @Test func anIncompleteBodyWaitsForMoreBytes() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nab".utf8))
        #expect(try parser.next() == nil)
        parser.append(Array("cde".utf8))
        #expect(try parser.next()?.request.bodyText == "abcde")
    }

    @Test func chunkedBodiesAreDecoded() throws {
        let parsed = try parse("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n")
        #expect(parsed.first?.request.bodyText == "abcde")
    }

    @Test func aDeclaredBodyOverTheLimitIsRefusedBeforeItArrives() {
        var parser = HTTPRequestParser(limits: .init(maxBodyBytes: 10))
        parser.append(Array("POST /a HTTP/1.1\r\nContent-Length: 11\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.next() }
        do { _ = try parser.next() } catch { #expect(error.status.code == 413) }
    }

    @Test func aChunkedBodyOverTheLimitIs413() {
        var parser = HTTPRequestParser(limits: .init(maxBodyBytes: 4))
        parser.append(Array("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n".utf8))
        do { _ = try parser.next(); Issue.record("no error") } catch { #expect(error.status.code == 413) }
    }

    @Test(arguments: [
        ("GARBAGE\r\n\r\n", 400),
        ("GET /a HTTP/2.0\r\n\r\n", 505),
        ("GET /a HTTP/1.1\r\nno colon here\r\n\r\n", 400),
        ("POST /a HTTP/1.1\r\nContent-Length: many\r\n\r\n", 400),
        ("POST /a HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("get /a HTTP/1.1\r\n\r\n", 400),
    ])
    func malformedRequestsHaveTheirStatus(text: String, status: Int) {
        do {
            _ = try parse(text)
            Issue.record("parsed \(text.debugDescription)")
        } catch {
            #expect(error.status.code == status)
        }
    }

    @Test func headersOverTheLimitAre431() {
        var parser = HTTPRequestParser(limits: .init(maxHeaderBytes: 64))
        parser.append(Array(("GET /a HTTP/1.1\r\nX: " + String(repeating: "a", count: 100)).utf8))
        do { _ = try parser.next(); Issue.record("no error") } catch { #expect(error.status.code == 431) }
    }

    @Test func http10ClosesUnlessAskedToKeepAlive() throws {
        #expect(try parse("GET /a HTTP/1.0\r\n\r\n").first?.keepAlive == false)
        #expect(try parse("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").first?.keepAlive == true)
    }

    @Test func theWriterNeverLetsAValueStartANewHeader() {
        let r = DaemonResponse(status: .ok, headers: [("X-A", "one\r\nX-Evil: 1")], body: .bytes(Array("hi".utf8)))
        let text = String(decoding: HTTPResponseWriter.complete(r, keepAlive: true), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(!text.contains("\r\nX-Evil"))
        #expect(text.contains("Content-Length: 2\r\n") && text.hasSuffix("\r\n\r\nhi"))
    }
}
