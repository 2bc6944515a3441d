export { AUDIO_EXTENSIONS, IMAGE_EXTENSIONS, readClassFolder } from './class-folder.ts';
export { readDatasetDir, writeDatasetDir } from './dataset-dir.ts';
