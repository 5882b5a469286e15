// `vigil users list|add|set-password|remove|join|leave`: the users of a directory and their
// group memberships, worked on in the data directory's control database with the same
// control-plane functions the server and `vigil apply` use (passwords hashed with the server's
// scrypt). Offline on purpose: Vigil has no user-management API (no Microsoft Graph), and this
// is how an operator makes the first user of a directory or resets a lost administrator's
// password. It runs beside a running server too (SQLite in WAL mode, writers wait their turn):
// the server reads users from the database at each sign-in and request, so a change applies at
// once, and a removed user's tokens are refused at their next call.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openDatabase, type Db } from '../../server/src/db/database.ts';
import { createPrincipal, findDirectory, findUserByName, addGroupMember, type Directory, type Principal } from '../../server/src/control/directories.ts';
import { hashSecret } from '../../server/src/identity/secrets.ts';
import { CliError, dataDirConfig, EXIT, withExit, type DataDirOptions } from './cli-common.ts';

/** As the environment file requires (docs/environment-file.md). */
const MIN_PASSWORD = 8;
const UPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface UserOptions extends DataDirOptions { directory?: string; json?: boolean }

const dataOptions = (c: Command) => c
  .option('-c, --config <file>', 'configuration file (JSON or YAML)')
  .option('-d, --data-dir <dir>', 'data directory (default ./data, or VIGIL_DATA_DIR)');

export function registerUsersCommand(program: Command): void {
  const users = program.command('users')
    .description('List, add and remove the users of a directory, set their passwords and group memberships (in the data directory; works while the server runs).')
    .addHelpText('after', `
Examples:
  vigil users list --directory contososoc.example
  vigil users add carol@contososoc.example --display-name "Carol (tier-1 analyst)" --group "SOC Tier 1" --password-stdin
  vigil users set-password admin@fabrikam.example --password-stdin < new-password.txt
  vigil users remove carol@contososoc.example

Exit codes: 0 done, 2 bad input (unknown directory, user or group, duplicate sign-in name,
password too short), 5 the control database is busy.`);

  dataOptions(users.command('list'))
    .description('List the users (members and guests) of one directory, or of all, with their groups.')
    .option('--directory <id|domain>', 'the directory (tenant id or domain); all directories when left out')
    .option('--json', 'print as JSON')
    .action(withExit((options: UserOptions) => withDb(options, async (db) => {
      const directories = options.directory === undefined ? await db.selectFrom('directories').selectAll().orderBy('display_name').execute() : [await directoryOf(db, options.directory)];
      const out = [];
      for (const d of directories) out.push({ directory: { id: d.id, displayName: d.display_name, domain: d.default_domain }, users: await listUsers(db, d) });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(options.directory === undefined ? out : out[0])}\n`);
        return;
      }
      for (const [i, { directory, users: list }] of out.entries()) {
        process.stdout.write(`${i > 0 ? '\n' : ''}${directory.displayName} (${directory.domain}, ${directory.id}): ${list.length} user${list.length === 1 ? '' : 's'}\n`);
        const rows = list.map((u) => [u.userPrincipalName, u.displayName, u.guestOf === undefined ? 'member' : `guest from ${u.guestOf}`, u.groups.join(', ')]);
        const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length), 0));
        for (const r of rows) process.stdout.write(`  ${r.map((v, c) => (c < 3 ? v.padEnd(widths[c]!) : v)).join('  ').trimEnd()}\n`);
      }
    })));

  dataOptions(users.command('add'))
    .description('Add a user (a member who signs in with a password) to a directory.')
    .argument('<upn>', 'the sign-in name, e.g. carol@contososoc.example')
    .option('--directory <id|domain>', "the directory (default: the one whose domain ends the sign-in name)")
    .option('--display-name <name>', 'the name shown (default: the sign-in name)')
    .option('--id <guid>', 'its object id (default: a new one); fixed ids let templates and environment files name the user')
    .option('--password <password>', `the password (at least ${MIN_PASSWORD} characters); prefer --password-stdin`)
    .option('--password-stdin', 'read the password from standard input (its first line)')
    .option('--group <name>', 'add to this group of the directory (its display name); repeat for several', collect)
    .option('--json', 'print the user as JSON')
    .action(withExit((upn: string, options: UserOptions & { displayName?: string; id?: string; password?: string; passwordStdin?: boolean; group?: string[] }) => withDb(options, async (db) => {
      if (options.id !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(options.id)) throw new CliError(`--id ${options.id} is not an object id: give a GUID such as 55555555-5555-4555-8555-555555555555.`, EXIT.usage);
      if (options.id !== undefined && (await db.selectFrom('principals').select('id').where('id', '=', options.id.toLowerCase()).executeTakeFirst()) !== undefined) throw new CliError(`--id ${options.id} is already the id of another user, group or service principal.`, EXIT.usage);
      if (!UPN.test(upn)) throw new CliError(`'${upn}' is not a sign-in name: give one such as carol@contososoc.example.`, EXIT.usage);
      const directory = await directoryOf(db, options.directory ?? upn.split('@')[1]!, options.directory === undefined ? upn : undefined);
      const password = newPassword(options);
      const existing = await findUserByName(db, directory.id, upn);
      if (existing !== undefined) {
        throw new CliError(`${upn} already exists in ${directory.display_name} (${directory.default_domain})${existing.home_principal_id !== null ? ' as a guest' : ''}. Use vigil users set-password to change their password.`, EXIT.usage);
      }
      const groups = await Promise.all((options.group ?? []).map((g) => groupOf(db, directory, g)));
      const user = await db.transaction().execute(async (trx) => {
        const created = await createPrincipal(trx, { directoryId: directory.id, kind: 'User', displayName: options.displayName ?? upn, userPrincipalName: upn, password, ...(options.id === undefined ? {} : { id: options.id }) });
        for (const g of groups) await addGroupMember(trx, g.id, created.id);
        return created;
      });
      if (options.json) process.stdout.write(`${JSON.stringify({ id: user.id, userPrincipalName: user.user_principal_name, displayName: user.display_name, directoryId: directory.id, groups: groups.map((g) => g.display_name) })}\n`);
      else process.stdout.write(`Added ${user.user_principal_name} (${user.display_name}, id ${user.id}) to ${directory.display_name}${groups.length > 0 ? `, in ${groups.map((g) => g.display_name).join(', ')}` : ''}.\n`);
    })));

  dataOptions(users.command('set-password'))
    .description("Set a user's password (a guest signs in with their home account's: set it there).")
    .argument('<upn>', 'the sign-in name')
    .option('--directory <id|domain>', "the directory (default: the one whose domain ends the sign-in name)")
    .option('--password <password>', `the new password (at least ${MIN_PASSWORD} characters); prefer --password-stdin`)
    .option('--password-stdin', 'read the password from standard input (its first line)')
    .action(withExit((upn: string, options: UserOptions & { password?: string; passwordStdin?: boolean }) => withDb(options, async (db) => {
      const { directory, user } = await userOf(db, upn, options.directory);
      if (user.home_principal_id !== null) {
        const home = await db.selectFrom('principals').innerJoin('directories', 'directories.id', 'principals.directory_id').select(['directories.default_domain as domain']).where('principals.id', '=', user.home_principal_id).executeTakeFirst();
        throw new CliError(`${upn} is a guest in ${directory.display_name} and signs in with the password of their home account: set it there (--directory ${home?.domain ?? 'their home directory'}).`, EXIT.usage);
      }
      const password = newPassword(options);
      await db.updateTable('principals').set({ password_hash: await hashSecret(password) }).where('id', '=', user.id).execute();
      process.stdout.write(`Set the password of ${user.user_principal_name} in ${directory.display_name}.\n`);
    })));

  dataOptions(users.command('remove'))
    .description('Remove a user from a directory, with their role assignments, group memberships and (for a member) their guest accounts in other directories.')
    .argument('<upn>', 'the sign-in name')
    .option('--directory <id|domain>', "the directory (default: the one whose domain ends the sign-in name)")
    .action(withExit((upn: string, options: UserOptions) => withDb(options, async (db) => {
      const { directory, user } = await userOf(db, upn, options.directory);
      const roles = await db.selectFrom('role_assignments').select(db.fn.countAll<number>().as('n')).where('principal_id', '=', user.id).executeTakeFirstOrThrow();
      const groups = await db.selectFrom('group_members').select(db.fn.countAll<number>().as('n')).where('member_id', '=', user.id).executeTakeFirstOrThrow();
      const guests = await db.selectFrom('principals').innerJoin('directories', 'directories.id', 'principals.directory_id').select('directories.display_name as name').where('principals.home_principal_id', '=', user.id).execute();
      // Role assignments, memberships, guest accounts and sessions go with the user (ON DELETE CASCADE).
      await db.deleteFrom('principals').where('id', '=', user.id).execute();
      const also = [`${Number(roles.n)} role assignment${Number(roles.n) === 1 ? '' : 's'}`, `${Number(groups.n)} group membership${Number(groups.n) === 1 ? '' : 's'}`];
      if (guests.length > 0) also.push(`guest account${guests.length === 1 ? '' : 's'} in ${guests.map((g) => g.name).join(', ')}`);
      process.stdout.write(`Removed ${user.user_principal_name} from ${directory.display_name}, with ${also.join(', ')}.\n`);
    })));

  for (const [name, joining] of [['join', true], ['leave', false]] as const) {
    dataOptions(users.command(name))
      .description(joining ? 'Add a user (member or guest) to a group of their directory.' : 'Take a user out of a group of their directory.')
      .argument('<upn>', 'the sign-in name')
      .argument('<group>', 'the group (its display name or object id)')
      .option('--directory <id|domain>', "the directory (default: the one whose domain ends the sign-in name)")
      .action(withExit((upn: string, groupName: string, options: UserOptions) => withDb(options, async (db) => {
        const { directory, user } = await userOf(db, upn, options.directory);
        const group = await groupOf(db, directory, groupName);
        const member = await db.selectFrom('group_members').selectAll().where('group_id', '=', group.id).where('member_id', '=', user.id).executeTakeFirst();
        if (joining) {
          if (member !== undefined) throw new CliError(`${upn} is already in ${group.display_name}.`, EXIT.usage);
          await addGroupMember(db, group.id, user.id);
        } else {
          if (member === undefined) throw new CliError(`${upn} is not in ${group.display_name}.`, EXIT.usage);
          await db.deleteFrom('group_members').where('group_id', '=', group.id).where('member_id', '=', user.id).execute();
        }
        process.stdout.write(`${joining ? 'Added' : 'Took'} ${user.user_principal_name} ${joining ? 'to' : 'out of'} ${group.display_name} (${directory.display_name}).\n`);
      })));
  }
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

async function withDb(options: DataDirOptions, fn: (db: Db) => Promise<void>): Promise<void> {
  const dataDir = dataDirConfig(options).dataDir;
  if (!existsSync(join(dataDir, 'control.sqlite'))) {
    throw new CliError(`${dataDir} is not a Vigil data directory (it has no control.sqlite). Give it with --data-dir, --config or VIGIL_DATA_DIR; create one with vigil apply or vigil serve.`, EXIT.usage);
  }
  const { db, close } = await openDatabase(dataDir);
  try {
    await fn(db);
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new CliError(`The control database in ${dataDir} stayed busy (a backup or restore holds it?); try again.`, EXIT.busy);
    throw error;
  } finally {
    await close();
  }
}

async function directoryOf(db: Db, reference: string, fromUpn?: string): Promise<Directory> {
  const d = await findDirectory(db, reference);
  if (d !== undefined) return d;
  const all = await db.selectFrom('directories').select(['display_name', 'default_domain']).orderBy('display_name').execute();
  const known = all.map((x) => `${x.default_domain} (${x.display_name})`).join(', ') || 'none yet';
  const why = fromUpn !== undefined ? `${fromUpn}: no directory has the domain '${reference}'; give the directory with --directory` : `--directory ${reference}: no directory has that id or domain`;
  throw new CliError(`${why}. Directories: ${known}.`, EXIT.usage);
}

async function userOf(db: Db, upn: string, directoryRef: string | undefined): Promise<{ directory: Directory; user: Principal }> {
  const directory = await directoryOf(db, directoryRef ?? upn.split('@')[1] ?? upn, directoryRef === undefined ? upn : undefined);
  const user = await findUserByName(db, directory.id, upn);
  if (user === undefined) throw new CliError(`${upn} is not a user of ${directory.display_name} (${directory.default_domain}). vigil users list --directory ${directory.default_domain} lists them.`, EXIT.usage);
  return { directory, user };
}

async function groupOf(db: Db, directory: Directory, name: string): Promise<Principal> {
  const groups = await db.selectFrom('principals').selectAll().where('directory_id', '=', directory.id).where('kind', '=', 'Group').execute();
  const matches = groups.filter((g) => g.id === name.toLowerCase() || g.display_name.toLowerCase() === name.toLowerCase());
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new CliError(`${matches.length} groups of ${directory.display_name} are named '${name}': give the object id of one (${matches.map((g) => g.id).join(', ')}).`, EXIT.usage);
  throw new CliError(`${directory.display_name} has no group '${name}'. Its groups: ${groups.map((g) => g.display_name).sort().join(', ') || 'none'}.`, EXIT.usage);
}

function newPassword(options: { password?: string; passwordStdin?: boolean }): string {
  if (options.password !== undefined && options.passwordStdin) throw new CliError('Give the password with --password or --password-stdin, not both.', EXIT.usage);
  let password = options.password;
  if (options.passwordStdin) password = readFileSync(0, 'utf8').split(/\r?\n/)[0];
  if (password === undefined || password === '') throw new CliError('Give the password with --password-stdin (or --password).', EXIT.usage);
  if (password.length < MIN_PASSWORD) throw new CliError(`The password is too short: it must be at least ${MIN_PASSWORD} characters.`, EXIT.usage);
  return password;
}

async function listUsers(db: Db, d: Directory) {
  const rows = await db.selectFrom('principals').selectAll().where('directory_id', '=', d.id).where('kind', '=', 'User').orderBy('user_principal_name').execute();
  const memberships = await db.selectFrom('group_members').innerJoin('principals as g', 'g.id', 'group_members.group_id').select(['group_members.member_id', 'g.display_name']).where('g.directory_id', '=', d.id).execute();
  const homes = await db.selectFrom('principals').innerJoin('directories', 'directories.id', 'principals.directory_id').select(['principals.id', 'directories.display_name']).where('principals.id', 'in', [...rows.map((r) => r.home_principal_id ?? ''), '']).execute();
  return rows.map((u) => ({
    id: u.id,
    userPrincipalName: u.user_principal_name ?? '',
    displayName: u.display_name,
    ...(u.home_principal_id === null ? {} : { guestOf: homes.find((h) => h.id === u.home_principal_id)?.display_name ?? u.home_principal_id }),
    groups: memberships.filter((m) => m.member_id === u.id).map((m) => m.display_name).sort(),
  }));
}
