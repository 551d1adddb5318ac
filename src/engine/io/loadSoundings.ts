import { parseSoundingsCsv, type Sounding } from './soundings.ts';
import { parseSoundingsJson } from './soundingsJson.ts';

/** Parse soundings by file extension: .json (multipath lists) or CSV (anything else). */
export function parseSoundings(text: string, file: string): Sounding[] {
  return file.toLowerCase().endsWith('.json')
    ? parseSoundingsJson(text, file)
    : parseSoundingsCsv(text, file);
}
