#!/usr/bin/env node
// The `vigil` command: serve, apply.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { configFromEnvironment, configFromFile, resolveConfig, ConfigError, type ConfigOverrides } from '../../server/src/config.ts';
import { startServer, startupBanner } from '../../server/src/server.ts';
import { openDatabase } from '../../server/src/db/database.ts';
import { applyEnvironmentText, EnvironmentError } from '../../server/src/bootstrap/apply-environment.ts';
import { ApiError } from '../../server/src/errors.ts';

const program = new Command();
program.name('vigil').description('Vigil: a self-hosted, multi-tenant SIEM for MSSPs, shaped like Microsoft Sentinel and Azure Lighthouse.');

interface CommonOptions { config?: string; dataDir?: string }

function loadConfig(options: CommonOptions & { port?: string; host?: string }) {
  const flags: ConfigOverrides = {};
  if (options.dataDir !== undefined) flags.dataDir = options.dataDir;
  if (options.host !== undefined) flags.host = options.host;
  if (options.port !== undefined) {
    if (!/^\d+$/.test(options.port)) throw new ConfigError(`--port ${options.port} is not a port number.`);
    flags.port = Number(options.port);
  }
  return resolveConfig(options.config === undefined ? {} : configFromFile(options.config), configFromEnvironment(process.env), flags);
}

program
  .command('serve')
  .description('Serve the API (and portal) over HTTPS from a data directory.')
  .option('-c, --config <file>', 'configuration file (JSON or YAML)')
  .option('-d, --data-dir <dir>', 'data directory (default ./data, or VIGIL_DATA_DIR)')
  .option('-p, --port <port>', 'port (default 8443, or VIGIL_PORT)')
  .option('--host <host>', 'address to listen on (default 127.0.0.1, or VIGIL_HOST)')
  .action(async (options: CommonOptions & { port?: string; host?: string }) => {
    const config = loadConfig(options);
    const server = await startServer(config);
    process.stdout.write(`${startupBanner(server)}\n`);
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });

program
  .command('apply')
  .description('Create directories, principals, subscriptions, workspaces, roles and delegations from an environment file, idempotently.')
  .argument('<file>', 'environment file (YAML); see docs/environment-file.md')
  .option('-c, --config <file>', 'configuration file (JSON or YAML)')
  .option('-d, --data-dir <dir>', 'data directory (default ./data, or VIGIL_DATA_DIR)')
  .addOption(new Option('--json', 'print the summary as JSON'))
  .action(async (file: string, options: CommonOptions & { json?: boolean }) => {
    const config = loadConfig(options);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`Cannot read ${file}: ${(error as Error).message}`);
    }
    const { db, close } = await openDatabase(config.dataDir);
    try {
      const summary = await applyEnvironmentText(db, text, file);
      if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        for (const c of summary.created) process.stdout.write(`+ ${c}\n`);
        for (const u of summary.updated) process.stdout.write(`~ ${u}\n`);
        process.stdout.write(`${summary.created.length} created, ${summary.updated.length} updated, ${summary.unchanged} unchanged\n`);
      }
    } finally {
      await close();
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EnvironmentError || error instanceof ApiError) {
    process.stderr.write(`vigil: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`vigil: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
