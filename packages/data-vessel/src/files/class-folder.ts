import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { AicError } from '@aic/core';
import type { LabelledFile } from '../importers/index.ts';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;
export const AUDIO_EXTENSIONS = ['.wav'] as const;

/**
 * Reads a class-per-folder collection: `<root>/<class>/<file>`, keeping files whose extension is listed
 * (case-insensitive), sorted by class then name so an import is reproducible. Throws DATA_SOURCE_UNREADABLE.
 */
export async function readClassFolder(root: string, extensions: readonly string[]): Promise<LabelledFile[]> {
  try {
    const files: LabelledFile[] = [];
    const classes = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    for (const label of classes.sort()) {
      const names = (await readdir(join(root, label))).filter((n) => extensions.includes(extname(n).toLowerCase()));
      for (const name of names.sort()) files.push({ label, name, bytes: await readFile(join(root, label, name)) });
    }
    return files;
  } catch (cause) {
    throw new AicError('DATA_SOURCE_UNREADABLE', `cannot read the folder ${root}`, { cause, details: { root } });
  }
}
