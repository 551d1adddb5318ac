import { expect } from 'vitest';
import type { Vec3 } from '../engine/core/vec3.ts';
import type { Scene } from '../engine/scene/types.ts';
import {
  type SearchReport,
  type TracePathsOptions,
  tracePathsSync,
} from '../engine/tracer/cpu/tracePaths.ts';
import { compareWithReference, imageMethodPathsToMany } from './oracles/imageMethod.ts';

export interface RecallResult {
  links: number;
  referencePaths: number;
  /** 'Tx → Rx: signature' of every reference path the tracer missed */
  missed: string[];
  /** tracer paths the reference does not have */
  extra: string[];
  reports: SearchReport[];
}

/**
 * Every (transmitter, receiver) pair traced by the production search (one tracer per
 * transmitter, specular mechanisms only, otherwise `options` or the defaults) and by the
 * exhaustive reference (imageMethod.ts).
 */
export function recallRun(
  scene: Scene,
  txs: readonly Vec3[],
  rxs: readonly Vec3[],
  options: TracePathsOptions & { maxDepth: number },
): RecallResult {
  const out: RecallResult = { links: 0, referencePaths: 0, missed: [], extra: [], reports: [] };
  const transmission = options.transmission ?? true;
  for (const tx of txs) {
    const reports: SearchReport[] = [];
    const found = tracePathsSync(
      scene,
      undefined,
      tx,
      rxs,
      { ...options, scattering: false, diffraction: false },
      {},
      reports,
    );
    out.reports.push(...reports);
    const refs = imageMethodPathsToMany(scene, tx, rxs, { maxDepth: options.maxDepth, transmission });
    rxs.forEach((rx, i) => {
      const ref = refs[i]!;
      const { missed, extra } = compareWithReference(found[i]!, ref);
      const link = `${tx.map((x) => x.toFixed(3))} → ${rx.map((x) => x.toFixed(3))}`;
      out.links++;
      out.referencePaths += ref.length;
      out.missed.push(...missed.map((m) => `${link}: ${m}`));
      out.extra.push(...extra.map((m) => `${link}: ${m}`));
    });
  }
  return out;
}

/**
 * What every recall test asserts: the tracer found every reference path and nothing else, and
 * each search reported itself complete with no planned misses; over `links` links and, where
 * given, more than `atLeast` reference paths (so that the check is not vacuous).
 */
export function expectFullRecall(r: RecallResult, links: number, atLeast?: number): void {
  expect(r.links).toBe(links);
  if (atLeast !== undefined) expect(r.referencePaths).toBeGreaterThan(atLeast);
  expect(r.missed).toEqual([]);
  expect(r.extra).toEqual([]);
  expect(r.reports.every((x) => x.complete && x.missRate === 0)).toBe(true);
}
