// Syslog receivers, one per Syslog or CEF data connector: UDP, TCP or TLS on the connector's
// port. Messages with a CEF payload go to CommonSecurityLog, the rest to Syslog, as the Azure
// Monitor Agent routes them. A TCP/TLS connection is not read further until what was read is
// committed, so a frame read is a frame stored; UDP cannot be acknowledged, and what cannot be
// parsed or queued is counted as dropped in the connector's status.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { hostname } from 'node:os';
import type { Services } from '../services.ts';

/** What a receiver needs of the server: where rows go, the counters, the clock, the log. */
export type ReceiverDeps = Pick<Services, 'db' | 'ingestor' | 'log' | 'now'>;
import { ApiError } from '../errors.ts';
import { findStandardTable, type TableSchema } from '../logstore/schema.ts';
import { SyslogDeframer } from './syslog/deframer.ts';
import { parseSyslog } from './syslog/parse-syslog.ts';
import { parseCef } from './syslog/parse-cef.ts';
import { cefRow, syslogRow } from './syslog/to-rows.ts';
import { typeRows } from './type-rows.ts';
import { recordSourceStats } from './ingestor.ts';

export type SyslogProtocol = 'udp' | 'tcp' | 'tls';

export interface ReceiverConfig {
  /** The data connector's id (lower-case ARM id). */
  connectorId: string;
  connectorName: string;
  workspaceId: string;
  protocol: SyslogProtocol;
  port: number;
  host: string;
}

/** Largest syslog message taken (RFC 5425 asks receivers for at least 2 KiB; senders go to 64 KiB). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** UDP datagrams are gathered this long before a write. */
const UDP_FLUSH_MS = 20;

interface Running {
  config: ReceiverConfig;
  close(): Promise<void>;
  /** The port actually bound (a configured 0 picks one). */
  port: number;
}

export class SyslogReceivers {
  private readonly running = new Map<string, Running>();
  private readonly collector = hostname();
  private readonly syslog: TableSchema;
  private readonly cef: TableSchema;

  constructor(private readonly services: ReceiverDeps, private readonly tls: { cert: string; key: string }) {
    this.syslog = findStandardTable('Syslog')!;
    this.cef = findStandardTable('CommonSecurityLog')!;
  }

  port(connectorId: string): number | undefined {
    return this.running.get(connectorId)?.port;
  }

  /** Starts (or restarts with a new configuration) a connector's receiver; a port in use is a 409. */
  async start(config: ReceiverConfig): Promise<number> {
    await this.stop(config.connectorId);
    const running = config.protocol === 'udp' ? await this.startUdp(config) : await this.startStream(config);
    this.running.set(config.connectorId, running);
    return running.port;
  }

  async stop(connectorId: string): Promise<void> {
    const r = this.running.get(connectorId);
    if (r === undefined) return;
    this.running.delete(connectorId);
    await r.close();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id)));
  }

  /** Messages that were not stored (unparsable, or not taken), shown in the connector's status. */
  private countDrops(config: ReceiverConfig, dropped: number): Promise<void> {
    return recordSourceStats(this.services.db, config.workspaceId, sourceOf(config), this.services.now().toISOString().slice(0, 10), { events: 0, bytes: 0, dropped, lastEventAt: null });
  }

  /** Parses frames into rows of the two tables and writes them; returns when committed. */
  private async ingestFrames(config: ReceiverConfig, frames: Buffer[], sourceIp: string): Promise<void> {
    const receivedAt = this.services.now();
    const ctx = { receivedAt, sourceIp, collectorHostName: this.collector };
    const syslogRows: Record<string, unknown>[] = [];
    const cefRows: Record<string, unknown>[] = [];
    let syslogBytes = 0;
    let cefBytes = 0;
    let dropped = 0;
    for (const frame of frames) {
      const parsed = parseSyslog(frame.toString('utf8'), { receivedAt, sourceIp });
      if ('error' in parsed) {
        dropped += 1;
        continue;
      }
      if (parsed.message.includes('CEF:')) {
        const cef = parseCef(parsed.message);
        if (!('error' in cef)) {
          cefRows.push(cefRow(cef, parsed, ctx));
          cefBytes += frame.length;
          continue;
        }
      }
      syslogRows.push(syslogRow(parsed, ctx));
      syslogBytes += frame.length;
    }
    const source = sourceOf(config);
    const writes: Promise<void>[] = [];
    for (const [schema, rows, bytes] of [[this.syslog, syslogRows, syslogBytes], [this.cef, cefRows, cefBytes]] as const) {
      if (rows.length === 0) continue;
      const typed = typeRows(schema, rows, { workspaceId: config.workspaceId, receivedAt, bytes });
      dropped += typed.rejected.length;
      writes.push(this.services.ingestor.write(config.workspaceId, schema, typed, source, bytes));
    }
    try {
      await Promise.all(writes);
    } finally {
      if (dropped > 0) {
        await this.countDrops(config, dropped);
      }
    }
  }

  private async startStream(config: ReceiverConfig): Promise<Running> {
    const sockets = new Set<Socket>();
    const onConnection = (socket: Socket) => {
      sockets.add(socket);
      const deframer = new SyslogDeframer({ maxFrameBytes: MAX_MESSAGE_BYTES });
      const sourceIp = socket.remoteAddress?.replace(/^::ffff:/, '') ?? 'unknown';
      let chain = Promise.resolve();
      const handle = (frames: Buffer[], errors: string[]) => {
        if (frames.length === 0 && errors.length === 0) return;
        // Read no further until these frames are committed.
        socket.pause();
        chain = chain.then(async () => {
          try {
            if (errors.length > 0) {
              await this.countDrops(config, errors.length);
            }
            if (frames.length > 0) await this.ingestFrames(config, frames, sourceIp);
            if (!socket.destroyed) socket.resume();
          } catch (error) {
            // The store refused (busy or failing): end the connection so the sender resends.
            this.services.log.warn({ err: error, connector: config.connectorName }, 'syslog frames not stored; closing the connection');
            socket.destroy();
          }
        });
      };
      socket.on('data', (chunk: Buffer) => {
        const { frames, errors } = deframer.push(chunk);
        handle(frames, errors);
      });
      socket.on('end', () => {
        const { frames, errors } = deframer.end();
        handle(frames, errors);
        void chain.then(() => socket.end());
      });
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    };
    const server: TcpServer = config.protocol === 'tls'
      ? createTlsServer({ cert: this.tls.cert, key: this.tls.key }, onConnection)
      : createTcpServer(onConnection);
    const port = await listen(server, config);
    return {
      config,
      port,
      close: () => new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
    };
  }

  private async startUdp(config: ReceiverConfig): Promise<Running> {
    const socket: UdpSocket = createSocket(config.host.includes(':') ? 'udp6' : 'udp4');
    let pending: { frames: Buffer[]; sourceIp: string }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      const batch = pending;
      pending = [];
      const bySource = new Map<string, Buffer[]>();
      for (const p of batch) bySource.set(p.sourceIp, [...(bySource.get(p.sourceIp) ?? []), ...p.frames]);
      for (const [sourceIp, frames] of bySource) {
        this.ingestFrames(config, frames, sourceIp).catch(async () => {
          // UDP cannot be told to resend: what the store could not take is counted as dropped.
          await this.countDrops(config, frames.length).catch(() => undefined);
        });
      }
    };
    socket.on('message', (msg, rinfo) => {
      // A datagram may carry several newline-separated messages.
      const frames = msg.toString('utf8').split(/\r?\n|\0/).filter((l) => l.trim() !== '').map((l) => Buffer.from(l.slice(0, MAX_MESSAGE_BYTES)));
      pending.push({ frames, sourceIp: rinfo.address });
      timer ??= setTimeout(flush, UDP_FLUSH_MS);
    });
    const port = await new Promise<number>((resolve, reject) => {
      socket.once('error', (error: NodeJS.ErrnoException) => reject(portError(config, error)));
      socket.bind(config.port, config.host, () => resolve(socket.address().port));
    });
    return {
      config,
      port,
      close: () => new Promise<void>((resolve) => {
        if (timer !== undefined) {
          clearTimeout(timer);
          flush();
        }
        socket.close(() => resolve());
      }),
    };
  }
}

/** The ingestion source a connector's receiver counts under (see connectorSource). */
function sourceOf(config: ReceiverConfig): string {
  return `Syslog:${config.connectorName}`;
}

function listen(server: TcpServer, config: ReceiverConfig): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(portError(config, error)));
    server.listen(config.port, config.host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : config.port);
    });
  });
}

function portError(config: ReceiverConfig, error: NodeJS.ErrnoException): ApiError {
  if (error.code === 'EADDRINUSE') {
    return new ApiError('Conflict', `Port ${config.port}/${config.protocol} on ${config.host} is already in use (by another connector or program). Choose another properties.port.`, { target: 'properties.port' });
  }
  if (error.code === 'EACCES') {
    return new ApiError('InvalidParameter', `Vigil may not listen on port ${config.port} (ports below 1024 need privileges). Use a port of 1024 or above, such as 5514.`, { target: 'properties.port' });
  }
  return new ApiError('InvalidParameter', `Cannot listen on ${config.host}:${config.port}/${config.protocol}: ${error.message}`, { target: 'properties.port' });
}
