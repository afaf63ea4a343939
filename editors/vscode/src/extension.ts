// VS Code client for `copydesk lsp`: starts the server for Markdown and plain-text documents,
// passes the `copydesk.*` settings to it (again on every change, restarting when the binary
// changes), and shows the corpus state and the server's version in the status bar.
//
// Which binary: `copydesk.server.path` when set, else the server bundled in a platform-specific
// .vsix (`server/copydesk`, see bundle.sh), else `copydesk` from PATH (a plain .vsix).

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";
import {
  ClientCapabilities,
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  FeatureState,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  StaticFeature,
  TransportKind,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from "vscode-languageclient/node";

const SECTION = "copydesk";
const RELOAD_SERVER_COMMAND = "copydesk.reloadCorpus";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let status: CorpusStatus;
// The binary the running client was started with, to know when a settings change needs a restart.
let startedWith: string | undefined;
// The extension's folder, where a platform-specific .vsix keeps the server (server/).
let extensionPath = "";
// Serialises starts and stops so quick setting changes cannot interleave them.
let lifecycle: Promise<void> = Promise.resolve();

function plural(documents: number): string {
  return documents === 1 ? "1 document" : `${documents} documents`;
}

/** The corpus state in the status bar: starting, indexing (with progress), ready, or an error. */
class CorpusStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  // "copydesk 0.1.0 (bundled server)": from the running server's initialize result.
  private server = "";

  constructor() {
    this.item = vscode.window.createStatusBarItem("copydesk.status", vscode.StatusBarAlignment.Left, 10);
    this.item.name = "copydesk corpus";
    this.item.command = "copydesk.showOutput";
    this.item.show();
  }

  starting(): void {
    this.set("$(sync~spin) copydesk: starting", "Starting copydesk lsp");
  }

  indexing(message?: string, percentage?: number): void {
    const parts = ["$(sync~spin) copydesk: indexing"];
    if (percentage !== undefined) {
      parts.push(`${percentage}%`);
    }
    if (message) {
      parts.push(`(${message})`);
    }
    this.set(parts.join(" "), "copydesk is indexing the corpus. Click to show the output.");
  }

  ready(documents: number | string): void {
    const count = typeof documents === "number" ? plural(documents) : documents.replace(/^1 documents$/, "1 document");
    this.set(`$(book) copydesk: ${count} indexed`, "Corpus indexed. Click to show the output.");
  }

  error(message: string): void {
    this.set(`$(error) copydesk: ${message}`, `${message}. Click to show the output.`, true);
  }

  /** Names the server that answered `initialize` (empty when none runs). */
  setServer(description: string): void {
    this.server = description;
    this.set(this.text, this.tip, this.isError);
  }

  private text = "";
  private tip = "";
  private isError = false;

  private set(text: string, tooltip: string, isError = false): void {
    this.text = text;
    this.tip = tooltip;
    this.isError = isError;
    this.item.text = text;
    this.item.tooltip = this.server ? `${this.server}\n\n${tooltip}` : tooltip;
    // Read by screen readers (and the UI test): the state and which server reports it.
    const label = text.replace(/\$\([^)]*\)\s*/g, "");
    this.item.accessibilityInformation = { label: this.server ? `${label}, ${this.server}` : label };
    this.item.backgroundColor = isError ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

/**
 * Follows the server's `$/progress` for corpus indexing: the server creates a token with
 * `window/workDoneProgress/create` right after `initialized`, then reports begin/report/end on
 * it; these map onto the status bar.
 */
function followProgress(c: LanguageClient): void {
  c.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    const subscription = c.onProgress(WorkDoneProgress.type, token, (value) => {
      switch (value.kind) {
        case "begin":
        case "report":
          status.indexing(value.message, value.percentage);
          break;
        case "end":
          subscription.dispose();
          if (value.message === "failed") {
            status.error("corpus failed to load");
          } else {
            status.ready(value.message ?? "corpus");
          }
          break;
      }
    });
  });
}

/**
 * The client's own progress feature installs its `window/workDoneProgress/create` handler after
 * `initialized` is sent and would replace ours. This feature is registered after it, so its
 * initialize re-installs ours; the handler set before start() covers a request that arrives
 * in between.
 */
class CorpusProgressFeature implements StaticFeature {
  constructor(private readonly languageClient: LanguageClient) {}

  fillClientCapabilities(capabilities: ClientCapabilities): void {
    capabilities.window = capabilities.window ?? {};
    capabilities.window.workDoneProgress = true;
  }

  initialize(): void {
    followProgress(this.languageClient);
  }

  getState(): FeatureState {
    return { kind: "static" };
  }

  clear(): void {}
}

/** The settings as the server reads them, under a `copydesk` key. */
function serverSettings(): { copydesk: Record<string, unknown> } {
  const config = vscode.workspace.getConfiguration(SECTION);
  const corpus = (config.get<string[]>("corpus") ?? []).filter((p) => typeof p === "string" && p.trim() !== "");
  return {
    copydesk: {
      corpus: corpus.map(expandPath),
      debounceMs: config.get<number>("debounceMs", 150),
      severity: config.get<Record<string, string>>("severity") ?? {},
    },
  };
}

/** Expands `~` and `${workspaceFolder}`; relative paths are left for the server (workspace root). */
function expandPath(p: string): string {
  let out = p.trim();
  if (out === "~" || out.startsWith("~/")) {
    out = path.join(os.homedir(), out.slice(1));
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder) {
    out = out.replace(/\$\{workspaceFolder\}/g, folder);
  }
  return out;
}

/** Where the binary came from, for the log and the status bar. */
type ServerSource = "setting" | "bundled" | "PATH";

/** The server a platform-specific .vsix carries, if this one does. */
function bundledServer(): string | undefined {
  if (!extensionPath) {
    return undefined;
  }
  const bundled = path.join(extensionPath, "server", process.platform === "win32" ? "copydesk.exe" : "copydesk");
  if (!fs.existsSync(bundled)) {
    return undefined;
  }
  if (process.platform !== "win32") {
    try {
      fs.accessSync(bundled, fs.constants.X_OK);
    } catch {
      // An installer that drops the executable bit (some unzip paths do) would leave it unusable.
      try {
        fs.chmodSync(bundled, 0o755);
      } catch (err) {
        output.appendLine(`[copydesk] cannot make ${bundled} executable: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  return bundled;
}

/** The binary to start: `copydesk.server.path`, else the bundled server, else `copydesk` on PATH. */
function serverCommand(): { command: string; source: ServerSource } {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>("server.path", "").trim();
  if (configured !== "") {
    return { command: expandPath(configured), source: "setting" };
  }
  const bundled = bundledServer();
  return bundled ? { command: bundled, source: "bundled" } : { command: "copydesk", source: "PATH" };
}

function serverPath(): string {
  return serverCommand().command;
}

const SOURCE_NAMES: Record<ServerSource, string> = {
  setting: "copydesk.server.path",
  bundled: "bundled server",
  PATH: "from PATH",
};

function createClient(command: string): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { command, args: ["lsp"], transport: TransportKind.stdio },
    debug: { command, args: ["lsp", "--log-level", "debug"], transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "plaintext" },
      { scheme: "untitled", language: "markdown" },
      { scheme: "untitled", language: "plaintext" },
    ],
    initializationOptions: serverSettings(),
    outputChannel: output,
    traceOutputChannel: output,
    // Settings are pushed by onDidChangeConfiguration below, in the shape the server reads.
    synchronize: {},
  };
  // The id "copydesk" makes the client honour the `copydesk.trace.server` setting.
  const c = new LanguageClient("copydesk", "copydesk", serverOptions, clientOptions);
  c.registerFeature(new CorpusProgressFeature(c));
  followProgress(c);
  c.onDidChangeState((e) => {
    if (e.newState === State.Stopped && client === c) {
      status.error("server stopped");
    }
  });
  return c;
}

function startClient(): Promise<void> {
  return (lifecycle = lifecycle.then(async () => {
    const { command, source } = serverCommand();
    const c = createClient(command);
    client = c;
    startedWith = command;
    status.setServer("");
    status.starting();
    output.appendLine(`[copydesk] starting ${command} lsp (${SOURCE_NAMES[source]})`);
    try {
      await c.start();
      // The version is the running server's own (serverInfo), not the extension's.
      const info = c.initializeResult?.serverInfo;
      const name = info ? `${info.name} ${info.version ?? "(version unknown)"}` : "copydesk (version unknown)";
      output.appendLine(`[copydesk] started ${name}: ${command} (${SOURCE_NAMES[source]})`);
      status.setServer(`${name} (${SOURCE_NAMES[source]})`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      output.appendLine(`[copydesk] could not start ${command} lsp: ${message}`);
      status.error("server not started");
      const openSettings = "Open Settings";
      const showOutput = "Show Output";
      void vscode.window
        .showErrorMessage(
          `copydesk: could not start \`${command} lsp\`. Install copydesk (cargo install --path .) or set copydesk.server.path; the platform-specific copydesk .vsix carries the server.`,
          openSettings,
          showOutput,
        )
        .then((choice) => {
          if (choice === openSettings) {
            void vscode.commands.executeCommand("workbench.action.openSettings", "copydesk.server.path");
          } else if (choice === showOutput) {
            output.show(true);
          }
        });
    }
  }));
}

function stopClient(): Promise<void> {
  return (lifecycle = lifecycle.then(async () => {
    const c = client;
    client = undefined;
    startedWith = undefined;
    if (c && c.needsStop()) {
      try {
        await c.stop();
      } catch (err) {
        output.appendLine(`[copydesk] stopping the server: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }));
}

async function restartClient(): Promise<void> {
  await stopClient();
  await startClient();
}

async function reloadCorpus(): Promise<void> {
  await lifecycle;
  const c = client;
  if (!c || !c.isRunning()) {
    void vscode.window.showWarningMessage("copydesk: the server is not running (see copydesk: Show output).");
    return;
  }
  status.indexing();
  try {
    const result = (await c.sendRequest(ExecuteCommandRequest.type, {
      command: RELOAD_SERVER_COMMAND,
      arguments: [],
    })) as { documents?: number } | null;
    if (result && typeof result.documents === "number") {
      status.ready(result.documents);
      void vscode.window.setStatusBarMessage(`copydesk: corpus reloaded, ${plural(result.documents)}`, 5000);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    status.error("corpus failed to load");
    output.appendLine(`[copydesk] reload failed: ${message}`);
    void vscode.window.showErrorMessage(`copydesk: ${message}`, "Show Output").then((choice) => {
      if (choice) {
        output.show(true);
      }
    });
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  output = vscode.window.createOutputChannel("copydesk");
  status = new CorpusStatus();
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand("copydesk.reload", reloadCorpus),
    vscode.commands.registerCommand("copydesk.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("copydesk.restartServer", restartClient),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration(SECTION)) {
        return;
      }
      if (event.affectsConfiguration(`${SECTION}.server.path`) && serverPath() !== startedWith) {
        output.appendLine("[copydesk] copydesk.server.path changed: restarting the server");
        await restartClient();
        return;
      }
      await lifecycle;
      if (client?.isRunning()) {
        // trace.server is applied by the client itself; everything else goes to the server.
        await client.sendNotification(DidChangeConfigurationNotification.type, { settings: serverSettings() });
      } else if (!event.affectsConfiguration(`${SECTION}.trace.server`)) {
        // A failed start may be fixed by the new settings.
        await restartClient();
      }
    }),
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
