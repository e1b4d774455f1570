// How the Thea language server is started, from the `thea` settings.
// vscode-languageclient appends `--stdio` itself (TransportKind.stdio), so neither form adds it.
import * as os from 'os';
import * as vscode from 'vscode';
import { ServerOptions, TransportKind } from 'vscode-languageclient/node';

export interface ServerCommand {
  command: string;
  args: string[];
}

/** `thea.path` when set, else `<thea.interpreter or python3> -m thea_lsp`. */
export function serverCommand(config: vscode.WorkspaceConfiguration): ServerCommand {
  const path = expand(config.get<string>('path', ''));
  if (path) {
    return { command: path, args: [] };
  }
  const interpreter = expand(config.get<string>('interpreter', '')) || 'python3';
  return { command: interpreter, args: ['-m', 'thea_lsp'] };
}

export function serverOptions(server: ServerCommand): ServerOptions {
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const executable = { command: server.command, args: server.args, transport: TransportKind.stdio, options: { cwd } };
  return { run: executable, debug: executable };
}

/**
 * The settings the server lints with from its first file on (initializationOptions); it pulls the
 * `thea` section again (workspace/configuration) when didChangeConfiguration says it changed.
 * A null preset means "not set here": the project's config file decides.
 */
export function serverSettings(config: vscode.WorkspaceConfiguration): { preset: string | null; rules: Record<string, unknown> } {
  return {
    preset: config.get<string | null>('preset', null),
    rules: config.get<Record<string, unknown>>('rules', {}),
  };
}

function expand(value: string): string {
  let out = value.trim();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder) {
    out = out.split('${workspaceFolder}').join(folder);
  }
  if (out === '~' || out.startsWith('~/')) {
    out = os.homedir() + out.slice(1);
  }
  return out;
}
