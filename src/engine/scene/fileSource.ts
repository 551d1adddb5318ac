/**
 * Where an importer reads the files a scene references. In Node it is the file system;
 * in the browser it is the set of files the person dropped. Paths use '/' separators.
 */
export interface FileSource {
  read(path: string): Promise<Uint8Array>;
  /** whether a file exists (used to report a missing referenced file clearly) */
  exists(path: string): Promise<boolean>;
}

/** Resolve `relative` against the folder of `base` ("scenes/a.xml" + "meshes/b.ply" → "scenes/meshes/b.ply"). */
export function resolveRelative(base: string, relative: string): string {
  if (relative.startsWith('/') || /^[A-Za-z]:[\\/]/.test(relative)) return relative;
  const baseParts = base.replace(/\\/g, '/').split('/');
  baseParts.pop();
  for (const part of relative.replace(/\\/g, '/').split('/')) {
    if (part === '..') {
      if (baseParts.length > 0 && baseParts.at(-1) !== '..' && baseParts.at(-1) !== '') baseParts.pop();
      else baseParts.push('..');
    } else if (part !== '.' && part !== '') baseParts.push(part);
  }
  return baseParts.join('/');
}

/** A FileSource over in-memory files (dropped files in the browser, tests). Matches by full path, then by suffix. */
export function memoryFileSource(files: Map<string, Uint8Array>): FileSource {
  const find = (path: string): Uint8Array | undefined => {
    const norm = path.replace(/\\/g, '/').replace(/^\.\//, '');
    const direct = files.get(norm);
    if (direct) return direct;
    // Dropped files often lose their folder: match the longest common path suffix.
    const parts = norm.split('/');
    for (let k = 0; k < parts.length; k++) {
      const suffix = parts.slice(k).join('/');
      for (const [name, data] of files) {
        if (name === suffix || name.endsWith(`/${suffix}`)) return data;
      }
    }
    return undefined;
  };
  return {
    async read(path) {
      const data = find(path);
      if (!data) throw new Error(`${path}: file not found among the provided files`);
      return data;
    },
    async exists(path) {
      return find(path) !== undefined;
    },
  };
}
