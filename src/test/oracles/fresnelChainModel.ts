import type { ForwardModel } from '../../engine/calibrate/forwardModel.ts';
import type { TrainableParameter } from '../../engine/calibrate/parameters.ts';
import type { SimulatedLink } from '../../engine/calibrate/synthesize.ts';
import { type Complex, cadd, cdiv, cmul, complex, cscale, csqrt } from '../../engine/core/complex.ts';
import { VACUUM_PERMITTIVITY, wavelength } from '../../engine/core/constants.ts';
import { seededRandom } from '../../engine/core/random.ts';
import type { MaterialParameterName } from '../../engine/io/materialsJson.ts';
import { linkMetricsFromStats } from '../../engine/metrics/linkMetrics.ts';
import {
  accumulateLinkStats,
  emptyLinkStats,
  PATH_DETERMINISTIC,
  PATH_LOS,
} from '../../engine/metrics/linkStats.ts';
import type { Path } from '../../engine/tracer/path.ts';

/**
 * A small forward model with closed-form derivatives, independent of the tracer and field
 * code: each path is a chain of half-space ⊥ reflections (Fresnel, docs/physics.md) scaled by the
 * specular share √(1−S²), a = λ/(4πL)·Π √(1−Sₖ²)·r⊥(ηₖ, cosθₖ). It proves the losses,
 * optimisers, uncertainty and planning on their own, and is the reference the scene-backed
 * model is compared with.
 */
export interface ChainBounce {
  material: string;
  cosTheta: number;
}
export interface ChainPath {
  bounces: ChainBounce[];
  length: number;
  aoaAzimuthDeg: number;
}
export interface ChainMaterial {
  relativePermittivity: number;
  conductivity: number;
  scatteringCoefficient: number;
}

const NAME_TO_FIELD: Record<MaterialParameterName, keyof ChainMaterial | undefined> = {
  relative_permittivity: 'relativePermittivity',
  conductivity: 'conductivity',
  scattering_coefficient: 'scatteringCoefficient',
  thickness: undefined,
};

/** r⊥ = (c − s)/(c + s), s = √(η − sin²θ); dr⊥/dη = −c / (s (c + s)²). */
function perpReflection(eta: Complex, c: number): { r: Complex; drdEta: Complex } {
  const s = csqrt({ re: eta.re - (1 - c * c), im: eta.im });
  const cs = cadd(complex(c), s);
  const r = cdiv({ re: c - s.re, im: -s.im }, cs);
  const drdEta = cscale(cdiv(complex(1), cmul(s, cmul(cs, cs))), -c);
  return { r, drdEta };
}

export function fresnelChainModel(
  links: readonly ChainPath[][],
  materials: Record<string, ChainMaterial>,
  parameters: readonly TrainableParameter[],
  frequencyHz: number,
  taps: readonly { link: number; path: number }[] = [],
): ForwardModel {
  for (const p of parameters) {
    if (!materials[p.owner]) throw new Error(`unknown material '${p.owner}'`);
    if (!NAME_TO_FIELD[p.name]) throw new Error(`the Fresnel chain model has no ${p.name}`);
  }
  const lambda = wavelength(frequencyHz);
  const sigmaToEta = -1 / (VACUUM_PERMITTIVITY * 2 * Math.PI * frequencyHz); // ∂Im η/∂σ
  const flat = links.flat();
  const first = links.map((_, l) => links.slice(0, l).reduce((s, p) => s + p.length, 0));
  const delay = Float64Array.from(flat, (p) => p.length / 299_792_458);
  const azimuth = Float64Array.from(flat, (p) => p.aoaAzimuthDeg);
  const kind = Uint8Array.from(flat, (p) => (p.bounces.length === 0 ? PATH_LOS : PATH_DETERMINISTIC));
  return {
    parameters,
    linkCount: links.length,
    taps,
    tracedDelays: links.map((paths) => paths.map((p) => p.length / 299_792_458)),
    pathsTouching: parameters.map(
      (p) => flat.filter((path) => path.bounces.some((b) => b.material === p.owner)).length,
    ),
    async evaluate(theta) {
      const n = parameters.length;
      const mats: Record<string, ChainMaterial> = {};
      for (const [id, m] of Object.entries(materials)) mats[id] = { ...m };
      parameters.forEach((p, k) => {
        (mats[p.owner]! as unknown as Record<string, number>)[NAME_TO_FIELD[p.name]!] = theta[k]!;
      });
      const aAll = new Float64Array(2 * flat.length);
      const daAll = new Float64Array(2 * n * flat.length);
      flat.forEach((path, i) => {
        let a = complex(lambda / (4 * Math.PI * path.length));
        // log-derivative of each factor w.r.t. each parameter: ∂a/∂θ = a·Σ ∂ln(factor)/∂θ
        const dLog: Complex[] = Array.from({ length: n }, () => complex(0));
        for (const b of path.bounces) {
          const m = mats[b.material]!;
          const eta = { re: m.relativePermittivity, im: sigmaToEta * m.conductivity };
          const { r, drdEta } = perpReflection(eta, b.cosTheta);
          const spec = Math.sqrt(1 - m.scatteringCoefficient ** 2);
          a = cscale(cmul(a, r), spec);
          const dlnr = cdiv(drdEta, r);
          parameters.forEach((p, k) => {
            if (p.owner !== b.material) return;
            if (p.name === 'relative_permittivity') dLog[k] = cadd(dLog[k]!, dlnr);
            else if (p.name === 'conductivity')
              dLog[k] = cadd(dLog[k]!, cmul(dlnr, { re: 0, im: sigmaToEta }));
            else
              dLog[k] = cadd(
                dLog[k]!,
                complex(-m.scatteringCoefficient / (1 - m.scatteringCoefficient ** 2)),
              );
          });
        }
        aAll[2 * i] = a.re;
        aAll[2 * i + 1] = a.im;
        for (let k = 0; k < n; k++) {
          const d = cmul(a, dLog[k]!);
          daAll[2 * n * i + 2 * k] = d.re;
          daAll[2 * n * i + 2 * k + 1] = d.im;
        }
      });
      const stats = emptyLinkStats(links.length + taps.length, n);
      const reduce = (l: number, offset: number, count: number) =>
        accumulateLinkStats(stats, l, frequencyHz, {
          count,
          a: aAll,
          da: daAll,
          offset,
          delayS: delay,
          aoaAzimuthDeg: azimuth,
          kind,
        });
      links.forEach((paths, l) => {
        reduce(l, first[l]!, paths.length);
      });
      taps.forEach((t, j) => {
        reduce(links.length + j, first[t.link]! + t.path, 1);
      });
      return stats;
    },
  };
}

/**
 * A synthetic "room" for tests: random links whose paths are a LoS plus single and double
 * bounces on the given materials, at random incidence angles and lengths.
 */
export function randomChainLinks(
  materialIds: readonly string[],
  linkCount: number,
  seed: number,
): ChainPath[][] {
  const rnd = seededRandom(seed);
  const links: ChainPath[][] = [];
  for (let l = 0; l < linkCount; l++) {
    const d = 2 + 8 * rnd();
    const paths: ChainPath[] = [{ bounces: [], length: d, aoaAzimuthDeg: 360 * rnd() - 180 }];
    const count = 3 + Math.floor(5 * rnd());
    for (let j = 0; j < count; j++) {
      const depth = 1 + Math.floor(2 * rnd());
      const bounces = Array.from({ length: depth }, () => ({
        material: materialIds[Math.floor(rnd() * materialIds.length)]!,
        cosTheta: 0.1 + 0.85 * rnd(),
      }));
      paths.push({ bounces, length: d * (1.05 + 1.5 * rnd()), aoaAzimuthDeg: 360 * rnd() - 180 });
    }
    links.push(paths);
  }
  return links;
}

/**
 * The chain links simulated with the given materials as the channel layer reports links (paths
 * and metrics), for synthesizeSoundings; positions label the soundings.
 */
export async function simulateChain(
  links: readonly ChainPath[][],
  materials: Record<string, ChainMaterial>,
  frequencyHz: number,
  positions: readonly { tx: [number, number, number]; rx: [number, number, number] }[],
): Promise<SimulatedLink[]> {
  const stats = await fresnelChainModel(links, materials, [], frequencyHz).evaluate(new Float64Array(0));
  const lambda = wavelength(frequencyHz);
  const sigmaToEta = -1 / (VACUUM_PERMITTIVITY * 2 * Math.PI * frequencyHz);
  return links.map((paths, l) => ({
    ...positions[l]!,
    metrics: linkMetricsFromStats(stats, l),
    paths: paths.map((p): Path => {
      let a = complex(lambda / (4 * Math.PI * p.length));
      for (const b of p.bounces) {
        const m = materials[b.material]!;
        const { r } = perpReflection(
          { re: m.relativePermittivity, im: sigmaToEta * m.conductivity },
          b.cosTheta,
        );
        a = cscale(cmul(a, r), Math.sqrt(1 - m.scatteringCoefficient ** 2));
      }
      return {
        kind: p.bounces.length === 0 ? 'los' : 'specular',
        interactions: [],
        length: p.length,
        a,
        delay: p.length / 299_792_458,
        aod: { azimuthDeg: 0, elevationDeg: 0 },
        aoa: { azimuthDeg: p.aoaAzimuthDeg, elevationDeg: 0 },
      };
    }),
  }));
}
