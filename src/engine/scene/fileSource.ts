import { FileAccessError, InputError } from '../core/errors.ts';
import { DEFAULT_LIMITS, type InputLimits, limitHint, withDefaultLimits } from '../core/limits.ts';

/** What a read may take: the limits (file bytes) and, in Node, the folder it must lie in. */
export interface ReadRequest {
  limits?: InputLimits;
  /**
   * Folder the file must lie in once symbolic links are followed (Node only; a browser's
   * dropped files have no links). Undefined when references outside are allowed.
   */
  within?: string;
}

/**
 * Where an importer reads the files a scene references. In Node it is the file system;
 * in the browser it is the set of files the person dropped. Paths use '/' separators.
 * `read` returns the bytes of a regular file and throws a FileAccessError (missing, a folder,
 * a FIFO or device, larger than limits.fileBytes) without blocking or reading without bound.
 */
export interface FileSource {
  read(path: string, request?: ReadRequest): Promise<Uint8Array>;
  /** whether a file exists (used to report a missing referenced file clearly) */
  exists(path: string): Promise<boolean>;
}

/** How a loader may read: limits, and whether references may leave the top file's folder. */
export interface LoadOptions {
  limits?: Partial<InputLimits>;
  /** read referenced files (meshes, buffers, images, mtllib) outside the top file's folder tree */
  allowOutside?: boolean;
}

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

/** Resolve `relative` against the folder of `base` ("scenes/a.xml" + "meshes/b.ply" → "scenes/meshes/b.ply"). */
export function resolveRelative(base: string, relative: string): string {
  if (isAbsolute(relative)) return relative;
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

/** The folder of a path ("a/b/c.xml" → "a/b", "c.xml" → ""). */
export const folderOf = (path: string): string => {
  const p = path.replace(/\\/g, '/');
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i) || '/';
};

/** Whether `path` (resolved by resolveRelative) lies in `folder` or below it. */
function inside(path: string, folder: string): boolean {
  const p = path.replace(/\\/g, '/');
  if (folder === '') return !isAbsolute(p) && p !== '..' && !p.startsWith('../');
  const f = folder.endsWith('/') ? folder : `${folder}/`;
  return p.startsWith(f) && !p.slice(f.length).split('/').includes('..');
}

/**
 * The files one load reads: the top file the person named and the files it references, all
 * through one FileSource under one set of limits. References resolve relative to the file that
 * names them and are refused outside the top file's folder tree unless `allowOutside` is set
 * (a scene that names /dev/zero, ~/.ssh/id_rsa or ../../etc/passwd is not read).
 */
export class InputFiles {
  readonly limits: InputLimits;
  readonly root: string;
  readonly allowOutside: boolean;

  constructor(
    readonly source: FileSource,
    readonly top: string,
    options: LoadOptions = {},
  ) {
    this.limits = withDefaultLimits(options.limits);
    this.allowOutside = options.allowOutside ?? false;
    this.root = folderOf(top);
  }

  /** The top file's bytes. */
  readTop(): Promise<Uint8Array> {
    return this.source.read(this.top, { limits: this.limits });
  }

  /**
   * Resolve reference `ref` written in `from` at `element` (a mesh filename, a buffer uri, an
   * image path); an InputError naming `from` and `element` when it leaves the folder tree.
   */
  resolve(from: string, ref: string, element: string, what: string): string {
    const path = resolveRelative(from, ref);
    if (!this.allowOutside && !inside(path, this.root)) {
      throw new InputError(
        from,
        element,
        `${what} '${ref}' is outside the folder of ${this.top} (${this.root || '.'}); only files in that folder tree are read unless --allow-outside is given`,
      );
    }
    return path;
  }

  /** Whether a referenced file exists (`path` from resolve). */
  exists(path: string): Promise<boolean> {
    return this.source.exists(path);
  }

  /**
   * Read a referenced file (`path` from resolve). A file that cannot be read (missing, a
   * FIFO or device, too large) is reported against `from` and `element`.
   */
  async readRef(from: string, path: string, element: string, what: string): Promise<Uint8Array> {
    try {
      return await this.source.read(path, {
        limits: this.limits,
        within: this.allowOutside ? undefined : this.root || '.',
      });
    } catch (e) {
      if (e instanceof FileAccessError) throw new InputError(from, element, `${what} ${path} ${e.problem}`);
      throw e;
    }
  }
}

/** The problem of a file larger than limits.fileBytes. */
export const tooLargeProblem = (size: number, limits: InputLimits) =>
  `is ${size.toLocaleString('en-US')} bytes, more than the file size limit (${limitHint('fileBytes', limits)})`;

/** A FileSource over in-memory files (dropped files in the browser, tests). Matches by full path, then by suffix. */
export function memoryFileSource(files: Map<string, Uint8Array>): FileSource {
  // dropped files often lose their folder: index by file name, pick the longest common path suffix
  const byName = new Map<string, { parts: string[]; data: Uint8Array }[]>();
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/^\.\//, '');
  for (const [name, data] of files) {
    const parts = norm(name).split('/');
    const key = parts.at(-1)!;
    const list = byName.get(key);
    if (list) list.push({ parts, data });
    else byName.set(key, [{ parts, data }]);
  }
  const find = (path: string): Uint8Array | undefined => {
    const direct = files.get(norm(path));
    if (direct) return direct;
    const parts = norm(path).split('/');
    let best: Uint8Array | undefined;
    let bestLength = 0;
    for (const c of byName.get(parts.at(-1)!) ?? []) {
      let k = 1;
      while (k < c.parts.length && k < parts.length && c.parts.at(-1 - k) === parts.at(-1 - k)) k++;
      if (k > bestLength) {
        best = c.data;
        bestLength = k;
      }
    }
    return best;
  };
  return {
    async read(path, request = {}) {
      const data = find(path);
      if (!data) throw new FileAccessError(path, 'was not found among the provided files');
      const limits = request.limits ?? DEFAULT_LIMITS;
      if (data.length > limits.fileBytes)
        throw new FileAccessError(path, tooLargeProblem(data.length, limits));
      return data;
    },
    async exists(path) {
      return find(path) !== undefined;
    },
  };
}
