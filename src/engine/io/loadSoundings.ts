import { parseSoundingsCsv, type Sounding, type SoundingsReadOptions } from './soundings.ts';
import { parseSoundingsJson } from './soundingsJson.ts';

/** Parse soundings by file extension: .json (multipath lists) or CSV (anything else). */
export function parseSoundings(
  data: string | Uint8Array,
  file: string,
  options: SoundingsReadOptions = {},
): Sounding[] {
  return file.toLowerCase().endsWith('.json')
    ? parseSoundingsJson(data, file, options)
    : parseSoundingsCsv(data, file, options);
}
