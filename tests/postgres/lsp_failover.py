#!/usr/bin/env python3
"""Fault test: the replica stops in the middle of an editing session.

Starts `copydesk lsp` with the corpus setting a multi-host URL (the replica first), opens a
draft, waits for its diagnostics, runs STOP_REPLICA (a shell command), edits the draft (a new
figure, so the server must query the store again) and expects diagnostics for the edit: the
server fails over to the primary and keeps publishing.

    lsp_failover.py BIN URL DRAFT   (env STOP_REPLICA)
"""
import json
import os
import pathlib
import queue
import subprocess
import sys
import threading
import time

binary, url, draft = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3]).resolve()
proc = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
inbox = queue.Queue()


def reader():
    out = proc.stdout
    while True:
        length = None
        while True:
            line = out.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        inbox.put(json.loads(out.read(length)))


threading.Thread(target=reader, daemon=True).start()


def send(message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def wait_for(pred, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            message = inbox.get(timeout=0.2)
        except queue.Empty:
            continue
        if message.get("method") == "window/showMessage":
            print("  server says:", message["params"]["message"])
        if "id" in message and "method" in message:  # a request from the server: answer it
            send({"jsonrpc": "2.0", "id": message["id"], "result": None})
        if pred(message):
            return message
    sys.exit(f"FAIL: no {what} within {timeout} s")


uri = draft.as_uri()
text = draft.read_text()
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "processId": os.getpid(), "rootUri": None, "capabilities": {},
    "initializationOptions": {"copydesk": {"corpus": url, "debounceMs": 0}}}})
wait_for(lambda m: m.get("id") == 1, 30, "initialize result")
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
    "textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})


def diagnostics(version):
    return lambda m: (m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                      and m["params"].get("version") == version and m["params"]["diagnostics"])


first = wait_for(diagnostics(1), 60, "diagnostics for the opened draft")["params"]["diagnostics"]
print(f"  before: {len(first)} diagnostics")
subprocess.run(os.environ["STOP_REPLICA"], shell=True, check=True)
print("  replica stopped")
edited = text + "\nOne American entrepreneur said their business saves US$40 million annually by using Alibaba's Qwen.\n"
started = time.time()
send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
    "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edited}]}})
second = wait_for(diagnostics(2), 60, "diagnostics after the replica stopped")["params"]["diagnostics"]
print(f"  after: {len(second)} diagnostics in {time.time() - started:.2f} s")
key = lambda d: (d["code"], d["message"], d["range"]["start"]["line"])
missing = {key(d) for d in first} - {key(d) for d in second}
if missing:
    sys.exit(f"FAIL: diagnostics lost after failover: {sorted(missing)}")
if len(second) <= len(first):
    sys.exit("FAIL: the edit's new figure was not checked after failover")
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
wait_for(lambda m: m.get("id") == 2, 10, "shutdown result")
send({"jsonrpc": "2.0", "method": "exit"})
proc.wait(timeout=10)
print("PASS: the server failed over to the primary and kept publishing diagnostics")
