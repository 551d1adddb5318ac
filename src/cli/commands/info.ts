import {
  complexRelativePermittivity,
  ITU_EDITION,
  resolveRadioParameters,
} from '../../engine/materials/index.ts';
import { nodeFileSource } from '../../engine/node/index.ts';
import { loadScene } from '../../engine/scene/index.ts';
import { checkFlags, flag, numberFlag, parseArgs, UsageError } from '../args.ts';
import { INPUT_BOOLEAN_FLAGS, INPUT_VALUE_FLAGS, inputOptions } from '../inputs.ts';
import { USAGE } from '../usage.ts';

export const usage = USAGE.info;

/** `rftwin info`: objects, triangle and face counts, materials at a frequency, bounding box. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['json', 'extrapolate', ...INPUT_BOOLEAN_FLAGS]);
  checkFlags(args, ['frequency', 'json', 'extrapolate', ...INPUT_VALUE_FLAGS, ...INPUT_BOOLEAN_FLAGS]);
  const path = args.positional[0];
  if (!path) throw new UsageError(`missing scene file\nusage: ${usage}`);
  if (args.positional.length > 1)
    throw new UsageError(`unexpected argument '${args.positional[1]}'\nusage: ${usage}`);
  const frequencyHz = numberFlag(args, 'frequency', 28e9);
  if (!(frequencyHz > 0))
    throw new UsageError(`--frequency must be a positive number of Hz, got ${frequencyHz}`);
  const scene = await loadScene(nodeFileSource, path, inputOptions(args));
  const allowExtrapolation = flag(args, 'extrapolate') === 'true';
  const materials = Object.values(scene.materials).map((m) => {
    const p = resolveRadioParameters(m.spec, frequencyHz, { allowExtrapolation });
    const eta = complexRelativePermittivity(p.relativePermittivity, p.conductivity, frequencyHz);
    return {
      id: m.id,
      kind: m.spec.kind,
      itu_name: m.spec.kind === 'itu' ? m.spec.ituName : undefined,
      source: m.source,
      relative_permittivity: p.relativePermittivity,
      conductivity: p.conductivity,
      eta: [eta.re, eta.im],
      scattering_coefficient: p.scatteringCoefficient,
      xpd_coefficient: p.xpdCoefficient,
      thickness: p.thickness,
    };
  });
  const result = {
    scene: scene.name,
    file: path,
    frequency_hz: frequencyHz,
    itu_edition: ITU_EDITION,
    objects: scene.objects.map((o) => ({
      name: o.name,
      material: o.materialId,
      triangles: o.triangleCount,
      faces: o.faceIds.length,
    })),
    triangles: scene.triangleObject.length,
    faces: scene.faces.length,
    materials,
    bbox: scene.bbox,
    warnings: scene.warnings,
  };
  if (flag(args, 'json') === 'true') {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `${scene.name} (${path}) at ${(frequencyHz / 1e9).toPrecision(4)} GHz, ${ITU_EDITION}`,
    `${result.objects.length} objects, ${result.triangles} triangles, ${result.faces} faces`,
    ...result.objects.map(
      (o) =>
        `  ${o.name.padEnd(24)} ${o.material.padEnd(20)} ${String(o.triangles).padStart(7)} tri ${String(o.faces).padStart(5)} faces`,
    ),
    'materials:',
    ...materials.map(
      (m) =>
        `  ${m.id.padEnd(22)} ${(m.itu_name ?? m.kind).padEnd(14)} εr=${m.relative_permittivity.toFixed(4)} σ=${m.conductivity.toPrecision(4)} S/m η=${m.eta[0].toFixed(4)}${m.eta[1] < 0 ? '−' : '+'}j${Math.abs(m.eta[1]).toPrecision(4)} d=${m.thickness} m`,
    ),
    `bbox: min ${scene.bbox.min.map((x) => x.toFixed(3)).join(', ')}  max ${scene.bbox.max.map((x) => x.toFixed(3)).join(', ')}`,
    ...scene.warnings.map((w) => `warning: ${w}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
