// What commands take from their arguments: a workspace's ARM id, and files given as files or
// folders (walked recursively, hidden entries left out).
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { ConfigError } from '../../server/src/config.ts';

/** `--workspace`: /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}. */
export function parseWorkspace(id: string): string {
  const m = /^\/?subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/(?:providers\/microsoft\.operationalinsights\/)?workspaces\/([^/]+)\/?$/i.exec(id.trim());
  if (m === null) {
    throw new ConfigError(`--workspace ${id} is not a workspace id: give /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.OperationalInsights/workspaces/{name}.`);
  }
  return `/subscriptions/${m[1]}/resourceGroups/${m[2]}/providers/Microsoft.OperationalInsights/workspaces/${m[3]}`;
}

export interface InputFile {
  path: string;
  /** The path below the folder argument it was found in (its own name for a file argument), with / separators. */
  name: string;
}

/** Every file of the arguments; an argument that cannot be read is a ConfigError, as is finding none. */
export function inputFiles(inputs: string[], what: string): InputFile[] {
  const out: InputFile[] = [];
  const walk = (root: string, path: string, top: boolean): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      if (top) throw new ConfigError(`Cannot read ${path}: ${(error as Error).message}`);
      return;
    }
    if (!stat.isDirectory()) {
      out.push({ path, name: top ? basename(path) : relative(root, path).split(sep).join('/') });
      return;
    }
    for (const name of readdirSync(path).sort()) if (!name.startsWith('.')) walk(root, join(path, name), false);
  };
  for (const input of inputs) walk(input, input, true);
  if (out.length === 0) throw new ConfigError(`No files to ${what} in ${inputs.join(', ')}.`);
  return out;
}
