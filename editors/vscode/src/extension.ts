// Thea for VS Code: starts the Thea language server for JavaScript files. Diagnostics, quick fixes
// and `source.fixAll.thea` all come from the server; this file only wires the client, settings,
// commands and the status bar item.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions } from 'vscode-languageclient/node';
import { serverCommand, serverOptions, serverSettings } from './server';
import { ServerStatus } from './status';

const SECTION = 'thea';
const FIX_ALL = vscode.CodeActionKind.SourceFixAll.append('thea');
// changing these means starting a different process; `rules` and `preset` reach the running server
const RESTART_ON = ['thea.path', 'thea.interpreter'];

let client: LanguageClient | undefined;
let stateListener: vscode.Disposable | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Thea', { log: true });
  const status = new ServerStatus();
  context.subscriptions.push(output, status);

  const start = async (): Promise<void> => {
    const config = vscode.workspace.getConfiguration(SECTION);
    const server = serverCommand(config);
    const shown = [server.command, ...server.args].join(' ');
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'javascript' },
        { scheme: 'file', language: 'javascriptreact' },
        { scheme: 'untitled', language: 'javascript' },
        { scheme: 'untitled', language: 'javascriptreact' },
      ],
      outputChannel: output,
      initializationOptions: serverSettings(config),
      synchronize: { configurationSection: SECTION },
    };
    client = new LanguageClient('thea', 'Thea', serverOptions(server), clientOptions);
    stateListener = client.onDidChangeState((event) => status.show(event.newState, shown));
    output.info(`Starting the Thea server: ${shown} --stdio`);
    try {
      await client.start();
    } catch (error) {
      // the client has logged the details; the status item turns red through onDidChangeState
      void vscode.window.showErrorMessage(
        `Thea: the server did not start (${shown}). Set "thea.interpreter" to a Python that has Thea installed.`,
      );
    }
  };

  const stop = async (): Promise<void> => {
    const running = client;
    client = undefined;
    stateListener?.dispose();
    if (running) {
      await running.dispose();
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('thea.restart', async () => {
      await stop();
      await start();
    }),
    vscode.commands.registerCommand('thea.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('thea.fixAll', () =>
      vscode.commands.executeCommand('editor.action.sourceAction', { kind: FIX_ALL.value, apply: 'first' }),
    ),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (RESTART_ON.some((key) => event.affectsConfiguration(key))) {
        await stop();
        await start();
      }
    }),
  );

  await start();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
