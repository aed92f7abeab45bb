"""Drives `deskpilot mcp --headless` with the official MCP Python SDK, as an MCP client a user has would.

Checks what the Swift tests check with swift-sdk's own client, from the other side: the handshake, tool
annotations and output schemas (the SDK validates every structuredContent against its tool's schema), the
action set, unknown tools as -32602, run_task's progress notifications, a local goal offline, and a
cancelled run_task that frees the display. Prints one line per check; exits 1 at the first failure.

Usage: mcp-client-check.py DESKPILOT_BINARY
"""
import sys

import anyio
from mcp import ClientSession, MCPError
from mcp.client.stdio import StdioServerParameters, stdio_client

READ_ONLY = {"screenshot", "info", "windows", "tree"}
ACTIONS = {"click", "double_click", "triple_click", "right_click", "middle_click", "move", "drag", "scroll",
           "key", "type", "press", "release"}


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        sys.exit(1)


async def main(binary):
    params = StdioServerParameters(command=binary, args=["mcp", "--headless", "--screen", "1024x768", "--no-trace"])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            hello = await session.initialize()
            check(hello.server_info.name == "deskpilot", f"server {hello.server_info.name}, protocol {hello.protocol_version}")

            tools = {t.name: t for t in (await session.list_tools()).tools}
            check(READ_ONLY | ACTIONS | {"run_task"} <= set(tools), f"{len(tools)} tools listed")
            check(all(tools[n].annotations and tools[n].annotations.read_only_hint for n in READ_ONLY),
                  "screenshot, info, windows and tree are read-only")
            check(all(tools[n].annotations.destructive_hint for n in ACTIONS | {"run_task"}),
                  "input tools and run_task are destructive")
            check(all(tools[n].output_schema for n in {"info", "windows", "run_task"}), "data tools declare an output schema")
            check(tools["scroll"].input_schema["properties"]["direction"]["enum"] == ["up", "down", "left", "right"],
                  "scroll.direction is an enum")

            info = await session.call_tool("info", {})
            check(not info.is_error and info.structured_content["width"] == 1024, "info answers structured content")
            shot = await session.call_tool("screenshot", {})
            check(shot.content[0].type == "image" and shot.content[0].mime_type == "image/png", "screenshot is a PNG")
            for name, args in [("triple_click", {"x": 10, "y": 10}), ("middle_click", {"x": 20, "y": 20}),
                               ("press", {"key": "shift"}), ("release", {"key": "shift"})]:
                result = await session.call_tool(name, args)
                check(not result.is_error and result.structured_content["executed"], f"{name} ran")

            try:
                await session.call_tool("format_disk", {})
                check(False, "an unknown tool is an error")
            except MCPError as error:
                check(error.error.code == -32602, f"an unknown tool is error {error.error.code}")

            steps = []

            async def progress(done, total, message):
                steps.append((done, total, message))

            task = "name: p\nsteps:\n  - click: [5, 5]\n  - click: [6, 6]\n  - wait: 10ms\n"
            run = await session.call_tool("run_task", {"task_yaml": task}, progress_callback=progress)
            check(not run.is_error and run.structured_content["state"] == "succeeded", "run_task succeeded")
            with anyio.fail_after(5):
                while len(steps) < 3:
                    await anyio.sleep(0.02)
            check([s[0] for s in steps] == [1, 2, 3] and steps[0][1] == 3, f"progress per step: {steps}")

            local = await session.call_tool("run_task", {"goal": "wait 200ms", "dialect": "local"})
            check(not local.is_error and local.structured_content["state"] == "succeeded", "a local goal runs offline")

            # Cancelling the request (the SDK sends notifications/cancelled) must stop the job and free the display.
            with anyio.move_on_after(2):
                await session.call_tool("run_task", {"task_yaml": "name: long\nsteps:\n  - wait: 30s\n"})
            freed = False
            with anyio.move_on_after(15):
                while not freed:
                    probe = await session.call_tool("move", {"x": 1, "y": 1})
                    freed = not probe.is_error
                    if not freed:
                        await anyio.sleep(0.1)
            check(freed, "a cancelled run_task stops its job and frees the display")


if __name__ == "__main__":
    anyio.run(main, sys.argv[1])
