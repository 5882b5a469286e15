// The windows a rule evaluates.
//
// Scheduled rules: windows end at schedule_from + k x frequency (k = 0, 1, 2, ...), each covering
// the query period before its end on TimeGenerated, and each runs once it is `delay` old (late
// rows get that long to arrive, as Sentinel's 5-minute offset does). The first window of a new or
// rescheduled rule ends `delay` before it was saved, so it runs at once, as Sentinel runs a new
// rule immediately.
//
// Near-real-time rules: windows on ingestion time (_TimeReceived), each from the end of the last
// one to the workspace's received watermark (every row received before it is committed), so they
// tile ingestion time with no gap and no overlap and need no delay. They run as rows commit.
import type { VigilConfig } from '../config.ts';
import type { RuleKind } from './rule-model.ts';

export function scheduledDelayMs(config: Pick<VigilConfig, 'scheduledRuleDelaySeconds'>): number {
  return config.scheduledRuleDelaySeconds * 1000;
}

/** Where a new or rescheduled rule's windows start counting: its first window's end. */
export function firstWindowEnd(config: Pick<VigilConfig, 'scheduledRuleDelaySeconds'>, kind: RuleKind, now: Date): Date {
  return kind === 'NRT' ? now : new Date(now.getTime() - scheduledDelayMs(config));
}

export interface Window {
  start: Date;
  end: Date;
}

/**
 * The scheduled window after `lastEnd` (the end of the newest window evaluated since
 * `scheduleFrom`, or undefined when none was): the one ending at `scheduleFrom` first, then
 * every `frequencyMs`.
 */
export function nextWindow(scheduleFrom: Date, lastEnd: Date | undefined, frequencyMs: number, periodMs: number): Window {
  const end = lastEnd === undefined || lastEnd < scheduleFrom
    ? scheduleFrom
    : new Date(scheduleFrom.getTime() + (Math.floor((lastEnd.getTime() - scheduleFrom.getTime()) / frequencyMs) + 1) * frequencyMs);
  return { start: new Date(end.getTime() - periodMs), end };
}

/** Whether a scheduled window may run now: it has been over for at least the delay. */
export function isDue(window: Window, now: Date, delayMs: number): boolean {
  return window.end.getTime() + delayMs <= now.getTime();
}

/** The next near-real-time window: from the last one's end (or schedule_from) to the watermark; none when empty. */
export function nextNrtWindow(scheduleFrom: Date, lastEnd: Date | undefined, watermark: Date): Window | undefined {
  const start = lastEnd === undefined || lastEnd < scheduleFrom ? scheduleFrom : lastEnd;
  return watermark > start ? { start, end: watermark } : undefined;
}
