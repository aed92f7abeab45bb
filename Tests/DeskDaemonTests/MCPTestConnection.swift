@testable import DeskDaemon
import MCP

/// An MCP client of swift-sdk connected in process (InMemoryTransport) to a tool server's MCP server.
enum MCPTestConnection {
    static func connect(_ tools: MCPToolServer) async throws -> (Client, Server) {
        let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
        let server = await tools.makeServer()
        try await server.start(transport: serverSide)
        let client = Client(name: "test", version: "1")
        _ = try await client.connect(transport: clientSide)
        return (client, server)
    }
}
