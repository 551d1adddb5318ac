import { selectSurface } from '../actions/devices.ts';
import { materialColor, SOURCE_LABEL } from '../colors.ts';
import { useStudio } from '../store.ts';
import { CalibrationBadge } from './CalibrationBadge.tsx';

/** Materials with their objects: the legend of the viewport colours and the way to select by name. */
export function SceneTree() {
  const twin = useStudio((s) => s.twin);
  const materials = useStudio((s) => s.materials);
  const objectMaterial = useStudio((s) => s.objectMaterial);
  const selection = useStudio((s) => s.selection);
  if (!twin) return <section className="panel">No twin loaded</section>;
  const groups = new Map<string, number[]>();
  twin.scene.objects.forEach((o, i) => {
    const id = objectMaterial[i] ?? o.materialId;
    groups.set(id, [...(groups.get(id) ?? []), i]);
  });
  return (
    <section className="panel" aria-label="Scene materials and objects" data-testid="material-legend">
      <h2>
        {twin.scene.name} <span className="dim">· {twin.scene.objects.length} objects</span>
      </h2>
      <ul className="tree">
        {[...groups].map(([id, objs]) => {
          const m = materials[id];
          const conf = m?.confidence;
          return (
            <li key={id}>
              <div
                className="tree-material"
                title={m?.evidence}
                data-testid="tree-material"
                data-material={id}
              >
                <span
                  className="swatch"
                  style={{ background: materialColor(m), opacity: 0.4 + 0.6 * (conf ?? 1) }}
                />
                <span className="mat-name">{id}</span>
                <span className={`badge src-${m?.source ?? 'default'}`}>
                  {SOURCE_LABEL[m?.source ?? 'default']}
                </span>
                <CalibrationBadge material={m} />
              </div>
              <ul>
                {objs.map((i) => (
                  <li key={i}>
                    <button
                      type="button"
                      className={`tree-object${selection?.objectIndex === i ? ' selected' : ''}`}
                      onClick={() => {
                        const o = twin.scene.objects[i]!;
                        selectSurface(
                          i,
                          o.faceIds[0] ?? 0,
                          twin.scene.faces[o.faceIds[0] ?? 0]?.normal ?? [0, 0, 0],
                        );
                      }}
                    >
                      {twin.scene.objects[i]!.name}
                    </button>
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
