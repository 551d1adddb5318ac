import { Channel, type ChannelControl, channelSettings } from '../../../engine/channel/index.ts';
import type { RadioParameters } from '../../../engine/materials/index.ts';
import type { Scene } from '../../../engine/scene/index.ts';
import type { Bvh } from '../../../engine/tracer/index.ts';
import type { BackendUsed, ChannelRequest } from '../protocol.ts';
import { radioParametersOf } from './materials.ts';

/**
 * The channel of a studio request: the scene with the studio's material assignment (overrides
 * of one object included), its radio parameters at the carrier, the person's channel settings
 * and backend — the same Channel the CLI opens for the same inputs.
 */
export async function channelFor(
  scene: Scene,
  bvh: Bvh,
  req: ChannelRequest,
): Promise<{ channel: Channel; materials: Record<string, RadioParameters>; extrapolated: string[] }> {
  const assigned: Scene = {
    ...scene,
    objects: scene.objects.map((o, i) => ({ ...o, materialId: req.objectMaterial[i] ?? o.materialId })),
  };
  const { params, extrapolated } = radioParametersOf(req);
  const settings = channelSettings({ ...req.channel, frequencyHz: req.frequencyHz });
  const channel = await Channel.open(assigned, settings, { backend: req.backend, bvh });
  return { channel, materials: params, extrapolated };
}

/** A control that records which backend ran (the last job's) for the response. */
export function recordBackend(control: ChannelControl): ChannelControl & { used: BackendUsed } {
  const out = { ...control, used: { label: 'CPU', reason: '' } };
  out.onBackend = (d) => {
    out.used = { label: d.label, reason: d.reason };
    control.onBackend?.(d);
  };
  return out;
}
