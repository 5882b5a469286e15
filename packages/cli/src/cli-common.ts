// What several `vigil` commands share: the exit codes scripts rely on, the configuration of a
// data directory (as `serve` and `apply` read it), the password from a flag or VIGIL_PASSWORD,
// and a one-line progress display on standard error.
import type { Command } from 'commander';
import { configFromEnvironment, configFromFile, resolveConfig, ConfigError, type ConfigOverrides, type VigilConfig } from '../../server/src/config.ts';

/**
 * Exit codes of every command (docs/cli.md lists them):
 * 0 done; 1 partly done (some items refused or rejected, the rest done) or an unexpected
 * failure; 2 bad usage, configuration or input (nothing done); 3 the server refused or failed
 * the request (nothing done); 4 the KQL query is not accepted; 5 the data directory is in use.
 */
export const EXIT = { ok: 0, partial: 1, unexpected: 1, usage: 2, refused: 3, query: 4, busy: 5 } as const;

/** An error whose message is for the user, with the exit code it ends the command with. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

export interface DataDirOptions { config?: string; dataDir?: string }

/** The configuration as `vigil serve` resolves it: defaults, --config file, VIGIL_* variables, flags. */
export function dataDirConfig(options: DataDirOptions): VigilConfig {
  const flags: ConfigOverrides = {};
  if (options.dataDir !== undefined) flags.dataDir = options.dataDir;
  return resolveConfig(options.config === undefined ? {} : configFromFile(options.config), configFromEnvironment(process.env), flags);
}

export function passwordOf(options: { password?: string }): string {
  const password = options.password ?? process.env.VIGIL_PASSWORD;
  if (password === undefined || password === '') throw new ConfigError('Give the password with --password or the VIGIL_PASSWORD variable.');
  return password;
}

/**
 * Usage errors (unknown option, missing argument) exit 2 like every other input error, instead
 * of commander's 1; --help and --version still exit 0. Applied to every command of the tree.
 */
export function exitCodesForUsage(program: Command): void {
  program.addHelpText('after', `
Exit codes (every command): 0 done; 1 partly done, or an unexpected failure; 2 bad usage,
configuration or input; 3 the server refused the request; 4 the KQL query is not accepted;
5 the data directory is in use. Every command, with examples: docs/cli.md.`);
  const walk = (command: Command): void => {
    command.exitOverride((error) => {
      if (error.exitCode === 0) process.exit(0);
      process.exit(EXIT.usage);
    });
    for (const sub of command.commands) walk(sub);
  };
  walk(program);
}

/**
 * `--url` of every command that calls the server defaults to VIGIL_URL when it is set (scripts
 * and the documented examples set it once), else https://127.0.0.1:8443.
 */
export function urlFromEnvironment(program: Command): void {
  program.hook('preAction', (_root, action) => {
    const url = process.env.VIGIL_URL;
    if (url !== undefined && url !== '' && action.options.some((o) => o.attributeName() === 'url') && action.getOptionValueSource('url') === 'default') {
      action.setOptionValueWithSource('url', url, 'env');
    }
  });
}

/** A progress line on standard error, redrawn in place on a terminal; silent otherwise. */
export class ProgressLine {
  private drawn = false;
  private last = 0;
  constructor(private readonly tty = process.stderr.isTTY === true) {}

  show(text: string, force = false): void {
    if (!this.tty) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const width = Math.max(20, (process.stderr.columns || 80) - 1);
    process.stderr.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.tty && this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** 1536 -> "1.5 KB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** Wraps a command's action: a CliError ends the command with its message and exit code. */
export function withExit<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      process.stderr.write(`vigil: ${error.message}\n`);
      process.exit(error.exitCode);
    }
  };
}
