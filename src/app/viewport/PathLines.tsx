import { Line } from '@react-three/drei';
import { useDeferredValue, useEffect, useRef } from 'react';
import type * as THREE from 'three';
import type { Vec3 } from '../../engine/core/index.ts';
import { cabs2 } from '../../engine/core/index.ts';
import type { Path } from '../../engine/tracer/index.ts';
import { viridisCss } from '../colors.ts';
import { studio, useStudio } from '../store.ts';
import { decodePath, pathGainDbAt } from '../worker/compactTrace.ts';

/** Dynamic range of the path colour scale below the strongest path (dB). */
export const PATH_RANGE_DB = 60;
/** Paths drawn per link (strongest first) so large scatter sets stay interactive. */
const MAX_PATHS_DRAWN = 150;
/**
 * Paths drawn over all links: each is its own fat line (mesh), and mounting thousands of them
 * when a many-link trace arrives froze the page for ~1 s (software WebGL, e2e/10-responsive).
 */
const MAX_PATHS_DRAWN_TOTAL = 600;

export const pathGainDb = (p: Path) => 10 * Math.log10(cabs2(p.a));

export function pathPoints(tx: Vec3, rx: Vec3, p: Path): Vec3[] {
  return [tx, ...p.interactions.map((i) => i.point), rx];
}

/** Propagation paths as 3D polylines coloured by gain (viridis over the strongest 60 dB). */
export function PathLines() {
  // deferred: mounting hundreds of lines when a trace arrives is rendered in interruptible
  // slices, so key presses and clicks are handled meanwhile (e2e/10-responsive)
  const outcome = useDeferredValue(useStudio((s) => s.trace));
  const selectedLink = useStudio((s) => s.selectedLink);
  const hovered = useStudio((s) => s.hoveredPath);
  // while a timeline is shown, the 3D view draws its step's paths instead (TimelinePaths)
  const timeline = useStudio((s) => s.timeline);
  if (!outcome || timeline) return null;
  const trace = outcome.compact;
  let maxDb = -Infinity;
  for (let p = 0; p < trace.delay.length; p++) maxDb = Math.max(maxDb, pathGainDbAt(trace, p));
  return (
    <group>
      {trace.links.map((link, li) => {
        // gains from the typed arrays; only the drawn paths are decoded into objects
        const order = Array.from(
          { length: link.pathCount },
          (_, i) => [pathGainDbAt(trace, link.firstPath + i), i] as const,
        )
          .filter(([g]) => Number.isFinite(g))
          .sort((a, b) => b[0] - a[0])
          .slice(
            0,
            Math.min(MAX_PATHS_DRAWN, Math.max(5, Math.floor(MAX_PATHS_DRAWN_TOTAL / trace.links.length))),
          );
        // a path hovered in the plots or the path table is drawn even when it is not among the strongest
        if (
          hovered?.link === li &&
          !order.some(([, pi]) => pi === hovered.path) &&
          hovered.path < link.pathCount
        )
          order.push([pathGainDbAt(trace, link.firstPath + hovered.path), hovered.path]);
        const dim = selectedLink !== null && selectedLink !== li;
        return order.map(([g, pi]) => {
          const isHovered = hovered?.link === li && hovered.path === pi;
          return (
            <Line
              key={`${link.txId}-${link.rxId}-${pi}`}
              points={pathPoints(link.tx, link.rx, decodePath(trace, link.firstPath + pi))}
              color={isHovered ? '#ffffff' : viridisCss((g - (maxDb - PATH_RANGE_DB)) / PATH_RANGE_DB)}
              lineWidth={isHovered ? 5 : 2}
              renderOrder={isHovered ? 3 : 0}
              depthTest={!isHovered}
              transparent
              opacity={dim ? 0.25 : 0.95}
              onPointerOver={(e) => {
                e.stopPropagation();
                studio.set({
                  hoveredPath: { link: li, path: pi, x: e.nativeEvent.clientX, y: e.nativeEvent.clientY },
                });
              }}
              onPointerOut={() => {
                const h = studio.get().hoveredPath;
                if (h?.link === li && h.path === pi) studio.set({ hoveredPath: null });
              }}
              onClick={(e) => {
                e.stopPropagation();
                studio.set({ selectedLink: li });
              }}
            />
          );
        });
      })}
    </group>
  );
}

/**
 * The paths of the timeline step shown (Dynamics panel): they change as the timeline plays or is
 * scrubbed (a person blocking the line of sight removes it). From the step's JSON line, as
 * `rftwin timeline` writes it; coloured like the link paths.
 */
export function TimelinePaths() {
  const timeline = useStudio((s) => s.timeline);
  const index = useStudio((s) => s.timelineIndex);
  const group = useRef<THREE.Group>(null);
  useEffect(() => {
    window.__rftwinTimelinePaths = () =>
      group.current ? (group.current.userData as { step: number; paths: number }) : null;
    return () => {
      window.__rftwinTimelinePaths = undefined;
    };
  }, []);
  const line = timeline?.lines.split('\n')[index];
  if (!line) return null;
  const step = JSON.parse(line) as {
    tx: Vec3;
    rx: Vec3;
    paths: { interactions: { point: Vec3 }[]; gain_db: number | null }[];
  };
  const gains = step.paths.map((p) => p.gain_db ?? -Infinity);
  const maxDb = Math.max(...gains);
  const order = gains
    .map((g, i) => [g, i] as const)
    .filter(([g]) => Number.isFinite(g))
    .sort((a, b) => b[0] - a[0])
    .slice(0, MAX_PATHS_DRAWN);
  return (
    <group ref={group} name="timeline-paths" userData={{ step: index, paths: order.length }}>
      {order.map(([g, i]) => (
        <Line
          key={`${index}-${i}`}
          points={[step.tx, ...step.paths[i]!.interactions.map((it) => it.point), step.rx]}
          color={viridisCss((g - (maxDb - PATH_RANGE_DB)) / PATH_RANGE_DB)}
          lineWidth={2}
          transparent
          opacity={0.95}
        />
      ))}
    </group>
  );
}

/** Tooltip (HTML, outside the canvas) for the path under the mouse: delay, gain, interactions. */
export function PathTooltip() {
  const hovered = useStudio((s) => s.hoveredPath);
  const trace = useStudio((s) => s.trace);
  const twin = useStudio((s) => s.twin);
  const devices = useStudio((s) => s.devices);
  const link = hovered && trace && !hovered.fromTable ? trace.compact.links[hovered.link] : undefined;
  const path =
    link && hovered && hovered.path < link.pathCount
      ? decodePath(trace!.compact, link.firstPath + hovered.path)
      : undefined;
  if (!hovered || !link || !path) return null;
  const objectName = (i: number) => twin?.scene.objects[i]?.name ?? `object ${i}`;
  const deviceName = (id: string) => devices.find((d) => d.id === id)?.name ?? id;
  return (
    <div
      className="path-tooltip"
      style={{ left: hovered.x + 14, top: hovered.y + 10 }}
      data-testid="path-tooltip"
    >
      <div>
        <b>{path.kind}</b> · {deviceName(link.txId)} → {deviceName(link.rxId)}
      </div>
      <div>
        delay {(path.delay * 1e9).toFixed(3)} ns · gain {pathGainDb(path).toFixed(2)} dB ·{' '}
        {path.length.toFixed(3)} m
      </div>
      {path.interactions.length === 0 ? (
        <div className="dim">line of sight</div>
      ) : (
        <ol>
          {path.interactions.map((it, k) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: interactions of a path are in fixed order
            <li key={k}>
              {it.type} · {objectName(it.objectIndex)} · ({it.point.map((v) => v.toFixed(2)).join(', ')})
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
