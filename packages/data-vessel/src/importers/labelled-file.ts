/** One raw file and the class it belongs to (its folder name in a class-per-folder layout). */
export interface LabelledFile {
  readonly label: string;
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Sorted distinct class names and each file's class id. */
export function classIdsOf(files: readonly LabelledFile[]): { classes: string[]; labels: Int32Array } {
  const classes = [...new Set(files.map((f) => f.label))].sort();
  const id = new Map(classes.map((c, i) => [c, i]));
  return { classes, labels: Int32Array.from(files, (f) => id.get(f.label) as number) };
}
