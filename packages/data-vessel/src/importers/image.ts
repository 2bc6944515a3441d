import { buildDataset, type ImportedDataset, type PublishOptions } from '../digitize/index.ts';
import { decodeImage, resizeToUnitFloats } from './image-decode.ts';
import { classIdsOf, type LabelledFile } from './labelled-file.ts';

/** How to digitize an image-per-file, class-per-folder collection. */
export interface ImageImportOptions extends PublishOptions {
  readonly name: string;
  readonly description?: string;
  readonly width: number;
  readonly height: number;
  /** 1 = grayscale, 3 = RGB. */
  readonly channels: 1 | 3;
}

/**
 * Digitizes images (PNG/JPEG): decoded, resized bilinearly to width × height, grayscale or RGB, scaled to [0, 1];
 * features [height, width, channels] F32, labels = class ids in sorted class-name order. Throws
 * DATA_IMAGE_UNSUPPORTED / DATA_IMAGE_INVALID naming the file, or DATA_IMPORT_EMPTY.
 *
 * @example
 * const dataset = importImages(await readClassFolder('photos', IMAGE_EXTENSIONS), { name: 'cats', width: 32, height: 32, channels: 3, license, pricePerUseWei });
 */
export function importImages(files: readonly LabelledFile[], options: ImageImportOptions): ImportedDataset {
  const { width, height, channels } = options;
  const perImage = width * height * channels;
  const features = new Float32Array(files.length * perImage);
  for (const [i, file] of files.entries()) {
    resizeToUnitFloats(
      decodeImage(file.bytes, `${file.label}/${file.name}`),
      width,
      height,
      channels,
      features,
      i * perImage,
    );
  }
  const { classes, labels } = classIdsOf(files);
  return buildDataset(
    { rows: files.length, features, featureShape: [height, width, channels], labels, labelShape: [] },
    {
      name: options.name,
      ...(options.description === undefined ? {} : { description: options.description }),
      sourceKind: 'image-folder',
      task: 'classification',
      classes,
      normalization: { kind: 'scale', factor: 1 / 255 },
      preprocessing: { kind: 'image', width, height, channels, resize: 'bilinear' },
    },
    options,
  );
}
