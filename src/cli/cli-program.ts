import { Injectable } from '@nestjs/common';
import { InjectCommander } from 'nest-commander';

/** The part of commander's `Command` the CLI touches (nest-commander bundles its own commander). */
interface CommanderNode {
  readonly commands: readonly CommanderNode[];
  name(name: string): unknown;
  description(text: string): unknown;
  exitOverride(callback: (error: Error) => never): unknown;
  showHelpAfterError(message: string): unknown;
}

/** The commander program nest-commander builds from the commands, adjusted for Custode. */
@Injectable()
export class CliProgram {
  constructor(@InjectCommander() private readonly root: CommanderNode) {}

  /**
   * nest-commander puts the exit override on the root only; a parse error in a subcommand (unknown
   * option, missing value) would then call process.exit itself. Every command throws instead.
   */
  prepare(): void {
    this.root.name('custode');
    this.root.description('Custode administration. Run as: npm run cli -- <command> [options]');
    const rethrow = (error: Error): never => {
      throw error;
    };
    const visit = (node: CommanderNode): void => {
      node.exitOverride(rethrow);
      node.showHelpAfterError('(add --help for usage)');
      node.commands.forEach(visit);
    };
    visit(this.root);
  }
}
