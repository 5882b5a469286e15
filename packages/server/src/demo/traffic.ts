// The demo's traffic generator: streams each customer's events into Vigil through the real
// ingestion paths, as the customer's own senders would, from outside the server's code:
// - Windows security events, Entra ID sign-ins and Office 365 activity over HTTPS to the Logs
//   Ingestion API, with a token of the customer's forwarder service principal (client
//   credentials) and the data collection rule declared for it;
// - Linux syslog (RFC 5424) as UDP datagrams to the customer's Syslog connector port;
// - firewall CEF over a TCP connection to the customer's CEF connector port;
// - Azure activity by doing ARM writes as the customer's admin (the AzureActivity connector
//   copies the subscription's activity log).
// Attacks shaped to fire the demo's rules are mixed in: a first wave moments after start, then
// one per customer every `attackEveryMs`.
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { RunningServer } from '../server.ts';
import { ATTACKS, benignFirewall, benignOfficeActivity, benignSignIns, benignSyslog, benignWindowsEvents, estateOf, type Attack, type Estate, type Random } from './events.ts';

/** What the generator sends to one customer workspace, and as whom. */
export interface DemoTarget {
  directory: string;
  tenantId: string;
  domain: string;
  subscriptionId: string;
  workspaceName: string;
  /** The workspace id (customerId) queries use. */
  workspaceId: string;
  syslogPort?: number;
  cefPort?: number;
  /** The data collection rule's immutable id, and the streams it takes. */
  dcr?: { immutableId: string; streams: string[] };
  /** The forwarder service principal that may send through the rule. */
  forwarder?: { appId: string; secret: string; principalId: string };
  /** An Owner of the subscription, for Azure activity. */
  admin?: { upn: string; password: string };
}

export interface TrafficOptions {
  /** Between two rounds of ordinary events (default 15 s). */
  tickMs?: number;
  /** From start to the first wave of attacks (default 20 s). */
  firstAttackMs?: number;
  /** Between two attacks on one customer (default 15 minutes). */
  attackEveryMs?: number;
  /** Between two ordinary Azure activity writes per customer (default 10 minutes). */
  azureActivityEveryMs?: number;
  random?: Random;
}

export const DEFAULT_TRAFFIC = { tickMs: 15_000, firstAttackMs: 20_000, attackEveryMs: 15 * 60_000, azureActivityEveryMs: 10 * 60_000 };

/** Events per customer per round: Windows, sign-ins, Office, syslog, firewall. */
export const EVENTS_PER_ROUND = { windows: 3, signIns: 1, office: 1, syslog: 2, firewall: 3 };

export interface SentCounts {
  windows: number;
  signIns: number;
  office: number;
  syslog: number;
  firewall: number;
  azureActivity: number;
  failures: number;
}

export interface TrafficGenerator {
  /** Events sent so far per customer (by directory handle), and the attacks made. */
  sent: Map<string, SentCounts>;
  attacks: { directory: string; name: string; expect: string; at: Date }[];
  /** Makes the attack of ATTACKS at `index` on one customer now (tests, or a demo on demand). */
  attack(directory: string, index: number): Promise<void>;
  stop(): Promise<void>;
}

interface Token { value: string; expires: number }

export function startTraffic(server: RunningServer, targets: DemoTarget[], options: TrafficOptions = {}): TrafficGenerator {
  const o = { ...DEFAULT_TRAFFIC, ...options };
  const random = options.random ?? Math.random;
  const log = server.services.log.child({ component: 'demo-traffic' });
  const host = connectHost(server.services.config.host);
  const base = `https://${host.includes(':') ? `[${host}]` : host}:${server.port}`;
  // The server's own certificate (self-signed by default), or one a public CA issued.
  const ca = [...rootCertificates, server.tls.cert];
  const udp: UdpSocket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const cefSockets = new Map<string, Socket>();
  const tokens = new Map<string, Token>();
  const pendingAssignments = new Set<string>();
  const sent = new Map<string, SentCounts>(targets.map((t) => [t.directory, { windows: 0, signIns: 0, office: 0, syslog: 0, firewall: 0, azureActivity: 0, failures: 0 }]));
  const attacks: TrafficGenerator['attacks'] = [];
  const estates = new Map<string, Estate>(targets.map((t, i) => [t.directory, estateOf(t.domain, i)]));
  const lastWarning = new Map<string, number>();
  let stopped = false;
  const inFlight = new Set<Promise<unknown>>();

  const warn = (key: string, error: unknown) => {
    const now = Date.now();
    if ((lastWarning.get(key) ?? 0) > now - 60_000) return;
    lastWarning.set(key, now);
    log.warn({ err: error }, `demo traffic: ${key} failed`);
  };

  const https = (method: string, url: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = request(`${base}${url}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) }, ca, checkServerIdentity: () => undefined }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.setTimeout(30_000, () => req.destroy(new Error('timed out')));
      if (body !== undefined) req.write(body);
      req.end();
    });

  const token = async (tenant: string, form: Record<string, string>): Promise<string> => {
    const key = `${tenant}|${form.client_id ?? form.username}|${form.scope}`;
    const cached = tokens.get(key);
    if (cached !== undefined && cached.expires > Date.now() + 300_000) return cached.value;
    const res = await https('POST', `/${tenant}/oauth2/v2.0/token`, { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(form).toString());
    const body = JSON.parse(res.text) as { access_token?: string; expires_in?: number; error_description?: string };
    if (body.access_token === undefined) throw new Error(`sign-in to ${tenant} refused: ${body.error_description ?? res.status}`);
    tokens.set(key, { value: body.access_token, expires: Date.now() + (body.expires_in ?? 3600) * 1000 });
    return body.access_token;
  };

  const upload = async (t: DemoTarget, stream: string, rows: Record<string, unknown>[]): Promise<boolean> => {
    if (rows.length === 0 || t.dcr === undefined || t.forwarder === undefined || !t.dcr.streams.includes(stream)) return false;
    const access = await token(t.tenantId, { grant_type: 'client_credentials', client_id: t.forwarder.appId, client_secret: t.forwarder.secret, scope: 'https://monitor.azure.com/.default' });
    const res = await https('POST', `/dataCollectionRules/${t.dcr.immutableId}/streams/${stream}?api-version=2023-01-01`,
      { authorization: `Bearer ${access}`, 'content-type': 'application/json' }, JSON.stringify(rows));
    if (res.status !== 204) throw new Error(`Logs Ingestion API answered ${res.status}: ${res.text.slice(0, 300)}`);
    return true;
  };

  const sendSyslog = (t: DemoTarget, lines: string[]): Promise<boolean> => {
    if (lines.length === 0 || t.syslogPort === undefined) return Promise.resolve(false);
    const port = t.syslogPort;
    return Promise.all(lines.map((line) => new Promise<void>((resolve, reject) => udp.send(line, port, host, (error) => (error ? reject(error) : resolve()))))).then(() => true);
  };

  const sendCef = async (t: DemoTarget, lines: string[]): Promise<boolean> => {
    if (lines.length === 0 || t.cefPort === undefined) return false;
    let socket = cefSockets.get(t.directory);
    if (socket === undefined || socket.destroyed) {
      const port = t.cefPort;
      socket = await new Promise<Socket>((resolve, reject) => {
        const s = connect({ host, port }, () => resolve(s));
        s.once('error', reject);
      });
      socket.on('error', () => socket!.destroy());
      socket.unref();
      cefSockets.set(t.directory, socket);
    }
    const s = socket;
    await new Promise<void>((resolve, reject) => s.write(`${lines.join('\n')}\n`, (error) => (error ? reject(error) : resolve())));
    return true;
  };

  const arm = async (t: DemoTarget, method: string, path: string, body?: unknown): Promise<void> => {
    if (t.admin === undefined) throw new Error('no admin to sign in as');
    const access = await token(t.tenantId, { grant_type: 'password', username: t.admin.upn, password: t.admin.password, scope: 'https://management.azure.com/.default' });
    const res = await https(method, path, { authorization: `Bearer ${access}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body === undefined ? undefined : JSON.stringify(body));
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
  };

  /** An ordinary Azure write: the admin tags the workspace's resource group as reviewed. */
  const azureActivity = async (t: DemoTarget): Promise<void> => {
    const rg = await server.services.db.selectFrom('workspaces').innerJoin('resource_groups', 'resource_groups.id', 'workspaces.resource_group_id')
      .select(['resource_groups.name', 'resource_groups.location']).where('workspaces.customer_id', '=', t.workspaceId).executeTakeFirst();
    if (rg === undefined) return;
    await arm(t, 'PUT', `/subscriptions/${t.subscriptionId}/resourceGroups/${rg.name}?api-version=2021-04-01`, { location: rg.location, tags: { reviewedBy: 'it-operations', reviewedAt: new Date().toISOString().slice(0, 10) } });
    sent.get(t.directory)!.azureActivity += 1;
  };

  /** The attack: an Owner role assignment for the forwarder app, removed again a minute later. */
  const roleAssignmentAttack = async (t: DemoTarget): Promise<void> => {
    if (t.forwarder === undefined) return;
    const path = `/subscriptions/${t.subscriptionId}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=2022-04-01`;
    await arm(t, 'PUT', path, { properties: { roleDefinitionId: `/subscriptions/${t.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`, principalId: t.forwarder.principalId } });
    sent.get(t.directory)!.azureActivity += 1;
    const key = `${t.directory}|${path}`;
    pendingAssignments.add(key);
    later(60_000, async () => {
      if (!pendingAssignments.delete(key)) return;
      await arm(t, 'DELETE', path);
      sent.get(t.directory)!.azureActivity += 1;
    }, 'removing the demo role assignment');
  };

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => Promise<void>, what: string) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
      void track(fn().catch((error: unknown) => warn(what, error)));
    }, ms);
    timers.add(timer);
  };

  const deliver = async (t: DemoTarget, batch: { windows?: Record<string, unknown>[]; signIns?: Record<string, unknown>[]; office?: Record<string, unknown>[]; syslog?: string[]; firewall?: string[] }): Promise<void> => {
    const counts = sent.get(t.directory)!;
    const paths: [keyof SentCounts, () => Promise<boolean>, number][] = [
      ['windows', () => upload(t, 'Microsoft-SecurityEvent', batch.windows ?? []), batch.windows?.length ?? 0],
      ['signIns', () => upload(t, 'Microsoft-SigninLogs', batch.signIns ?? []), batch.signIns?.length ?? 0],
      ['office', () => upload(t, 'Microsoft-OfficeActivity', batch.office ?? []), batch.office?.length ?? 0],
      ['syslog', () => sendSyslog(t, batch.syslog ?? []), batch.syslog?.length ?? 0],
      ['firewall', () => sendCef(t, batch.firewall ?? []), batch.firewall?.length ?? 0],
    ];
    await Promise.all(paths.map(async ([key, send, n]) => {
      try {
        if (await send()) counts[key] += n;
      } catch (error) {
        counts.failures += 1;
        warn(`${key} to ${t.directory}`, error);
      }
    }));
  };

  const round = async (): Promise<void> => {
    await Promise.all(targets.map((t) => {
      const e = estates.get(t.directory)!;
      return deliver(t, {
        windows: benignWindowsEvents(random, e, EVENTS_PER_ROUND.windows),
        signIns: benignSignIns(random, e, EVENTS_PER_ROUND.signIns),
        office: benignOfficeActivity(random, e, EVENTS_PER_ROUND.office),
        syslog: benignSyslog(random, e, EVENTS_PER_ROUND.syslog),
        firewall: benignFirewall(random, e, EVENTS_PER_ROUND.firewall),
      });
    }));
  };

  const attack = async (t: DemoTarget, index: number): Promise<void> => {
    const a: Attack = ATTACKS[index % ATTACKS.length]!(random, estates.get(t.directory)!);
    attacks.push({ directory: t.directory, name: a.name, expect: a.expect, at: new Date() });
    log.info({ customer: t.directory, attack: a.name, rule: a.expect }, 'demo attack');
    await deliver(t, a);
    if (a.roleAssignment) await roleAssignmentAttack(t);
  };

  // Ordinary events every tick; each round waits for the one before (a slow server is not flooded).
  let busy = false;
  const tick = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    void track(round().finally(() => { busy = false; }));
  }, o.tickMs);
  void track(round());

  // Attacks: the first wave gives each customer a near-real-time one (an incident at once) and
  // a scheduled one (an incident once its 5-minute window has run); then one every attackEveryMs,
  // each customer going round the list from its own place.
  const attackIndex = targets.map((_, i) => i);
  later(o.firstAttackMs, async () => {
    await Promise.all(targets.map(async (t, i) => {
      await attack(t, i % 2);
      await attack(t, 2 + (i % (ATTACKS.length - 2)));
      attackIndex[i] = 3 + i;
    }));
  }, 'the first attacks');
  const attackTimer = setInterval(() => {
    if (stopped) return;
    void track(Promise.all(targets.map((t, i) => attack(t, attackIndex[i]!++))).catch((error: unknown) => warn('an attack', error)));
  }, o.attackEveryMs);
  const activityTimer = setInterval(() => {
    if (stopped) return;
    for (const t of targets) void track(azureActivity(t).catch((error: unknown) => warn(`Azure activity of ${t.directory}`, error)));
  }, o.azureActivityEveryMs);
  later(Math.min(o.firstAttackMs, 5_000), async () => { await Promise.all(targets.map((t) => azureActivity(t))); }, 'the first Azure activity');

  return {
    sent,
    attacks,
    attack: (directory, index) => {
      const t = targets.find((x) => x.directory === directory);
      if (t === undefined) return Promise.reject(new Error(`no demo customer '${directory}'`));
      return track(attack(t, index));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(tick);
      clearInterval(attackTimer);
      clearInterval(activityTimer);
      for (const timer of timers) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
      // Role assignments the attacks made and had not removed yet: removed now, so none stays.
      await Promise.allSettled([...pendingAssignments].map((key) => {
        const [directory, path] = key.split('|') as [string, string];
        return arm(targets.find((t) => t.directory === directory)!, 'DELETE', path);
      }));
      pendingAssignments.clear();
      for (const s of cefSockets.values()) s.end();
      udp.close();
    },
  };
}

function connectHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}
