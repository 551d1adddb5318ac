import { writeFileSync } from 'node:fs';
import { encodePng } from './src/engine/vision/image.ts';
import { LAYOUT_A, roomObjects, roomScene, roomCameras, renderRoomViews } from './src/engine/vision/syntheticRoom.ts';
import { loadClipEmbedder } from './src/engine/vision/clipEmbedder.ts';
import { estimateSurfacePriors } from './src/engine/vision/surfacePriors.ts';
const objs = roomObjects(LAYOUT_A);
const scene = roomScene('A', objs);
let t = Date.now();
const views = renderRoomViews(scene, objs, roomCameras(4, 6));
console.log('render', Date.now() - t);
views.forEach((v) => writeFileSync(`/tmp/vis/${v.name}.png`, encodePng(v.image)));
const emb = await loadClipEmbedder('/tmp/tinyclip');
t = Date.now();
const res = await estimateSurfacePriors(scene, views, emb, { onProgress: console.log });
console.log('priors', Date.now() - t, res.warnings);
let ok = 0, seen = 0;
for (const p of res.patches) {
  const truth = objs[p.patch.objectIndex].cls;
  if (p.status === 'seen') { seen++; if (p.evidence.label === truth) ok++; else console.log('WRONG', p.patch.id, truth, p.evidence.top3.map(x=>x.label+':'+x.score.toFixed(3)).join(' '), p.evidence.viewsUsed.length, p.evidence.crops); }
}
console.log('patches', res.patches.length, 'seen', seen, 'ok', ok);
res.objects.forEach((o, i) => console.log(objs[i].name, objs[i].cls, o ? `${o.label} conf=${o.confidence.toFixed(2)} S=${o.roughness.scatteringCoefficient.toFixed(3)} ${o.roughness.label} views=${o.viewsUsed.length} spread=${o.viewSpread.toFixed(3)}` : 'UNSEEN'));
