#!/usr/bin/env node
// The `vigil` command: serve, apply, onboard, import, kql explain.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { configFromEnvironment, configFromFile, resolveConfig, ConfigError, type ConfigOverrides } from '../../server/src/config.ts';
import { startServer, startupBanner } from '../../server/src/server.ts';
import { NewerDataDirectoryError, openDatabase } from '../../server/src/db/database.ts';
import { applyEnvironmentText, EnvironmentError } from '../../server/src/bootstrap/apply-environment.ts';
import { ApiError } from '../../server/src/errors.ts';
import { demoBanner, demoDisabledByEnvironment, demoInstalled, installDemo, isEmptyDataDirectory, startDemoTraffic } from '../../server/src/demo/demo.ts';
import type { TrafficGenerator } from '../../server/src/demo/traffic.ts';
import { signIn } from './api-client.ts';
import { registerImportCommand } from './import-command.ts';
import { registerKqlCommand } from './kql-command.ts';
import { registerParsersCommand } from './parsers-command.ts';
import { registerRulesCommand } from './rules-command.ts';
import { registerQueryCommand } from './query-command.ts';
import { registerBackupCommands } from './backup-command.ts';
import { registerUsersCommand } from './users-command.ts';
import { exitCodesForUsage, urlFromEnvironment } from './cli-common.ts';

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
  .option('--no-demo', 'on an empty data directory, start empty instead of setting up the demo world (or VIGIL_DEMO=0); see docs/demo.md')
  .action(async (options: CommonOptions & { port?: string; host?: string; demo: boolean }) => {
    const config = loadConfig(options);
    // The demo world on the first start of an empty data directory (docs/demo.md); its traffic
    // again on every later start of a data directory that has it, unless turned off.
    const demo = options.demo && !demoDisabledByEnvironment(process.env);
    const firstStart = demo && isEmptyDataDirectory(config.dataDir);
    if (firstStart) process.stdout.write(`Empty data directory ${config.dataDir}: setting up the demo world (docs/demo.md; --no-demo to start empty)...\n`);
    const summary = firstStart ? await installDemo(config) : undefined;
    const server = await startServer(config);
    process.stdout.write(`${startupBanner(server)}\n`);
    let traffic: TrafficGenerator | undefined;
    if (demo && demoInstalled(config.dataDir)) {
      const started = await startDemoTraffic(server);
      traffic = started.traffic;
      process.stdout.write(`${demoBanner(server, started.targets, summary)}\n`);
    }
    const stop = async () => {
      await traffic?.stop();
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
      const summary = await applyEnvironmentText(db, text, file, () => new Date(), { scheduledRuleDelaySeconds: config.scheduledRuleDelaySeconds });
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

program
  .command('onboard')
  .description("Deploy a Lighthouse onboarding template into a customer subscription, signed in as the customer's Owner (through the HTTPS API, as an Azure CLI deployment would).")
  .argument('<template>', 'ARM template file, e.g. Microsoft\'s delegated-resource-management subscription.json')
  .requiredOption('--parameters <file>', 'parameters file (with real ids in place of the published placeholders)')
  .requiredOption('--subscription <id>', 'the customer subscription to onboard')
  .option('--resource-group <name>', 'deploy at resource-group scope instead of subscription scope')
  .requiredOption('--tenant <id>', "the customer's directory (tenant id or domain) to sign in to")
  .requiredOption('--username <upn>', "a user of the customer's directory who is Owner of the subscription")
  .option('--password <password>', 'their password (or VIGIL_PASSWORD)')
  .option('--url <url>', 'the Vigil server', 'https://127.0.0.1:8443')
  .option('--name <deployment>', 'deployment name', 'lighthouse-onboarding')
  .action(async (templateFile: string, options: { parameters: string; subscription: string; resourceGroup?: string; tenant: string; username: string; password?: string; url: string; name: string }) => {
    const password = options.password ?? process.env.VIGIL_PASSWORD;
    if (password === undefined) throw new ConfigError('Give the password with --password or the VIGIL_PASSWORD variable.');
    const readJson = (file: string): unknown => {
      try {
        return JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new ConfigError(`Cannot read ${file} as JSON: ${(error as Error).message}`);
      }
    };
    const template = readJson(templateFile);
    const parameters = (readJson(options.parameters) as { parameters?: unknown }).parameters ?? readJson(options.parameters);
    const api = await signIn(options.url, options.tenant, options.username, password);
    const scope = options.resourceGroup === undefined ? `/subscriptions/${options.subscription}` : `/subscriptions/${options.subscription}/resourceGroups/${options.resourceGroup}`;
    const res = await fetch(`${api.base}${scope}/providers/Microsoft.Resources/deployments/${encodeURIComponent(options.name)}?api-version=2025-04-01`, {
      method: 'PUT',
      headers: { authorization: api.authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ location: 'westeurope', properties: { mode: 'Incremental', template, parameters } }),
    });
    const body = (await res.json()) as { error?: { code: string; message: string }; properties?: { provisioningState: string; outputResources: { id: string }[] } };
    if (!res.ok || body.error !== undefined) {
      process.stderr.write(`vigil: onboarding failed (${res.status} ${body.error?.code}): ${body.error?.message}\n`);
      process.exit(3);
    }
    process.stdout.write(`Deployment ${options.name}: ${body.properties?.provisioningState}\n`);
    for (const r of body.properties?.outputResources ?? []) process.stdout.write(`  ${r.id}\n`);
  });

registerImportCommand(program);
registerKqlCommand(program);
registerParsersCommand(program);
registerRulesCommand(program);
registerQueryCommand(program);
registerBackupCommands(program);
registerUsersCommand(program);
exitCodesForUsage(program);
urlFromEnvironment(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EnvironmentError || error instanceof ApiError || error instanceof NewerDataDirectoryError) {
    process.stderr.write(`vigil: ${error.message}\n`);
    process.exit(2);
  }
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  process.stderr.write(`vigil: ${error instanceof Error ? error.message : String(error)}${cause}\n`);
  process.exit(1);
});
