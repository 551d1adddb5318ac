import type { RootState } from '../store.ts';
import type { ChannelRequest } from '../worker/protocol.ts';

/** What every channel job sends: the twin, its materials, the channel settings and the backend. */
export function channelRequest(s: RootState): ChannelRequest {
  if (!s.twin) throw new Error('no twin loaded');
  return {
    sceneId: s.twin.sceneId,
    frequencyHz: s.frequencyHz,
    materials: Object.fromEntries(Object.entries(s.materials).map(([id, m]) => [id, m.spec])),
    objectMaterial: s.objectMaterial,
    channel: s.channelSettings,
    backend: s.backendChoice,
  };
}
