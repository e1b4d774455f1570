// The status bar item: whether the Thea server is starting, running or stopped; a click shows its output.
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';

const LOOK: Record<State, { icon: string; words: string }> = {
  [State.Starting]: { icon: '$(sync~spin)', words: 'starting' },
  [State.Running]: { icon: '$(check)', words: 'running' },
  [State.Stopped]: { icon: '$(error)', words: 'stopped' },
  [State.StartFailed]: { icon: '$(error)', words: 'failed to start' },
};

export class ServerStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('thea.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Thea';
    this.item.command = 'thea.showOutput';
    this.show(State.Starting, '');
    this.item.show();
  }

  show(state: State, serverCommand: string): void {
    const look = LOOK[state];
    this.item.text = `${look.icon} Thea`;
    this.item.tooltip = `Thea server ${look.words}${serverCommand ? `: ${serverCommand}` : ''}. Click for its output.`;
    this.item.backgroundColor =
      state === State.Stopped || state === State.StartFailed ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
