// The windows a rule evaluates. A rule's windows end at schedule_from + k x frequency (k = 0, 1,
// 2, ...), each covering the query period before its end, and each runs once it is `delay` old
// (late rows get that long to arrive, as Sentinel's 5-minute offset does). The first window of a
// new or rescheduled rule ends `delay` before it was saved, so it runs at once, as Sentinel runs
// a new rule immediately.
import type { VigilConfig } from '../config.ts';
import type { RuleKind } from './rule-model.ts';

export function ruleDelayMs(config: Pick<VigilConfig, 'scheduledRuleDelaySeconds' | 'nrtRuleDelaySeconds'>, kind: RuleKind): number {
  return (kind === 'NRT' ? config.nrtRuleDelaySeconds : config.scheduledRuleDelaySeconds) * 1000;
}

export function firstWindowEnd(config: Pick<VigilConfig, 'scheduledRuleDelaySeconds' | 'nrtRuleDelaySeconds'>, kind: RuleKind, now: Date): Date {
  return new Date(now.getTime() - ruleDelayMs(config, kind));
}

export interface Window {
  start: Date;
  end: Date;
}

/**
 * The window after `lastEnd` (the end of the newest window evaluated since `scheduleFrom`, or
 * undefined when none was): the one ending at `scheduleFrom` first, then every `frequencyMs`.
 */
export function nextWindow(scheduleFrom: Date, lastEnd: Date | undefined, frequencyMs: number, periodMs: number): Window {
  const end = lastEnd === undefined || lastEnd < scheduleFrom
    ? scheduleFrom
    : new Date(scheduleFrom.getTime() + (Math.floor((lastEnd.getTime() - scheduleFrom.getTime()) / frequencyMs) + 1) * frequencyMs);
  return { start: new Date(end.getTime() - periodMs), end };
}

/** Whether a window may run now: it has been over for at least the delay. */
export function isDue(window: Window, now: Date, delayMs: number): boolean {
  return window.end.getTime() + delayMs <= now.getTime();
}
